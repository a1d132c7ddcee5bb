use asf_core::{vpp_test, TestCase, TestResult};

/// A class with every kind of option
#[vpp_test(solo, fixme_asan, workers = 2, vpp_config = "nat { endpoint-dependent }",
           plugin_config = "plugin nat_plugin.so { enable }", statseg_config = "per-node-counters on",
           set_up_class = hook, tear_down_class = hook_unit, set_up = hook, tear_down = hook, name = "TestFull",
           show_at_teardown = ["show ip fib", "show nat44"], keep_vpp_objects, plugins = ["nat_plugin.so"], timeout = 30)]
mod test_full {
    use super::*;

    fn hook(_: &mut TestCase) -> TestResult {
        Ok(())
    }

    fn hook_unit(_: &mut TestCase) {}

    /// returns a result
    #[vpp_test(fixme_vpp_debug, fixme_ubuntu2204, fixme_debian11)]
    fn test_result(t: &mut TestCase) -> TestResult {
        let _ = t.vpp_pid();
        Ok(())
    }

    /// returns nothing and takes a shared reference
    #[vpp_test(expected_failure, ignore = "needs a real VPP")]
    fn test_unit(_t: &TestCase) {}

    #[vpp_test(ignore)]
    fn test_no_doc(_t: &mut TestCase) -> Result<(), std::io::Error> {
        Ok(())
    }
}

fn main() {
    let names: Vec<_> = asf_core::model::registry()
        .iter()
        .flat_map(|c| c.tests.iter().map(|t| t.full_name()))
        .collect();
    assert_eq!(names, ["test_full::test_result", "test_full::test_unit", "test_full::test_no_doc"]);
    let class = asf_core::model::registry()[0].desc;
    assert_eq!(class.name, "TestFull");
    assert_eq!(class.workers, Some(2));
    assert_eq!(class.vpp_config, ["nat", "{", "endpoint-dependent", "}"]);
    assert_eq!(class.show_at_teardown, ["show ip fib", "show nat44"]);
    assert!(class.keep_vpp_objects);
    assert_eq!(class.plugins, Some(&["nat_plugin.so"][..]));
    assert_eq!(class.timeout, Some(30));
}
