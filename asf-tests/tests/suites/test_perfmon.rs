//! Port of `test/asf/test_perfmon.py`.

use asf_core::{vpp_test, TestCase, TestResult};

/// Simple perfmon test
#[vpp_test(name = "TestPerfmon", requires_plugins = ["perfmon_plugin.so"])]
mod perfmon {
    use super::*;

    /// the context-switches bundle starts, reports and stops
    #[vpp_test]
    fn test_perfmon(t: &mut TestCase) -> TestResult {
        let reply = t.cli("show perfmon active-bundle")?;
        assert!(!reply.contains("context-switches"), "{reply}");
        let reply = t.cli("show perfmon bundle")?;
        assert!(reply.contains("context-switches"), "{reply}");
        t.cli("perfmon start bundle context-switches type thread")?;
        let reply = t.cli("show perfmon active-bundle")?;
        assert!(reply.contains("name: context-switches"), "{reply}");
        let reply = t.cli("show perfmon statistics")?;
        assert!(reply.contains("per-thread context switches"), "{reply}");
        let reply = t.cli("show perfmon source linux verbose")?;
        assert!(
            reply.contains("description: Linux kernel performance counters"),
            "{reply}"
        );
        t.cli("perfmon reset")?;
        let reply = t.cli("show perfmon active-bundle")?;
        assert!(!reply.contains("context-switches"), "{reply}");
        t.cli("perfmon start bundle context-switches type thread")?;
        t.cli("perfmon stop")?;
        Ok(())
    }
}
