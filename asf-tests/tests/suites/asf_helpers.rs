use asf_core::helper::Helper;
use asf_core::{vpp_test, TestCase, TestResult};
use std::time::Duration;

/// Helper programs started by tests
#[vpp_test(name = "TestHelpers")]
mod helpers {
    use super::*;

    /// a helper's exit code and output come back; its environment is its own
    #[vpp_test]
    fn test_helper_output(t: &mut TestCase) -> TestResult {
        let out = t.run_helper(Helper::new("/usr/bin/env").env("ASF_HELPER_PROBE", "42"))?;
        assert_eq!(out.code, Some(0));
        assert!(
            out.stdout.lines().any(|l| l == "ASF_HELPER_PROBE=42"),
            "{}",
            out.stdout
        );
        let out = t.run_helper(Helper::new("/bin/sh").args(["-c", "exit 3"]))?;
        assert_eq!(out.code, Some(3));
        Ok(())
    }

    /// a helper past its time limit is killed and the test errors
    #[vpp_test]
    fn test_helper_timeout(t: &mut TestCase) -> TestResult {
        let start = std::time::Instant::now();
        let err = t
            .run_helper(
                Helper::new("/bin/sleep")
                    .args(["30"])
                    .timeout(Duration::from_millis(300)),
            )
            .expect_err("the helper must be stopped");
        assert!(err.to_string().contains("did not finish in 0 s"), "{err}");
        assert!(start.elapsed() < Duration::from_secs(5));
        Ok(())
    }

    /// a missing VPP test program is a skip that says where it was looked for
    #[vpp_test]
    fn test_missing_program(t: &mut TestCase) -> TestResult {
        let err = t
            .vpp_program("no_such_vpp_test_program")
            .expect_err("not there");
        let skip = err.downcast_ref::<asf_core::Skip>().expect("a Skip");
        assert!(
            skip.0.contains("no_such_vpp_test_program") && skip.0.contains("VPP_BUILD_DIR"),
            "{skip}"
        );
        Ok(())
    }
}
