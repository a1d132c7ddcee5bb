//! Port of `test/asf/test_counters.py` (the counter C unit tests; asf's
//! own stats suite is `asf_stats.rs`).

use asf_core::{vpp_test, TestCase, TestResult};

/// Counters C Unit Tests
#[vpp_test(fixme_vpp_workers, name = "TestCounters", requires_plugins = ["unittest_plugin.so"])]
mod counters {
    use super::*;

    /// Simple Counter Expand
    #[vpp_test]
    fn test_counter_simple_expand(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test counter simple expand", "failed")?;
        Ok(())
    }

    /// Combined Counter Expand
    #[vpp_test]
    fn test_counter_combined_expand(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test counter combined expand", "failed")?;
        Ok(())
    }
}
