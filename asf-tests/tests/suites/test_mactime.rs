//! Port of `test/asf/test_mactime.py` (the coverage-only test keeps its
//! command list out: it needs the packet generator).

use asf_core::{vpp_test, TestCase, TestResult};

/// Mactime Unit Test Cases
#[vpp_test(name = "TestMactime", requires_plugins = ["unittest_plugin.so"])]
mod mactime {
    use super::*;

    /// Time Range Test
    #[vpp_test]
    fn test_mactime_range_unittest(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test time-range", "FAILED")?;
        Ok(())
    }

    /// Mactime Plugin Code Coverage Test
    #[vpp_test(ignore = "part of code coverage tests; needs the packet generator")]
    fn test_mactime_unittest(_t: &mut TestCase) {}
}
