//! Port of `test/asf/test_time.py`.

use asf_core::{vpp_test, TestCase, TestResult};

/// Time Handling Unit Test Cases
#[vpp_test(name = "TestTime", workers = 1, requires_plugins = ["unittest_plugin.so"])]
mod time {
    use super::*;

    /// Test that time never goes backward after frequency verification
    #[vpp_test]
    fn test_time_monotonicity(t: &mut TestCase) -> TestResult {
        t.cli("test time monotonicity")?;
        Ok(())
    }

    /// Test that CPU time discontinuities are handled correctly
    #[vpp_test]
    fn test_time_discontinuity(t: &mut TestCase) -> TestResult {
        t.cli("test time discontinuity")?;
        Ok(())
    }

    /// Test that barrier sync preserves time monotonicity on workers
    #[vpp_test]
    fn test_time_barrier_monotonicity(t: &mut TestCase) -> TestResult {
        t.cli("test time barrier")?;
        Ok(())
    }
}
