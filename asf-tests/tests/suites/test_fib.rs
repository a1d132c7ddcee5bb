//! Port of `test/asf/test_fib.py`.

use asf_core::{vpp_test, TestCase, TestResult};

/// FIB Test Case
#[vpp_test(fixme_vpp_workers, name = "TestFIB", requires_plugins = ["unittest_plugin.so"])]
mod fib {
    use super::*;

    /// FIB Unit Tests
    #[vpp_test]
    fn test_fib(t: &mut TestCase) -> TestResult {
        let error = t.cli("test fib")?;
        // The show commands must not crash VPP; their output goes to the log.
        for cmd in [
            "sh fib source",
            "sh fib source prio",
            "sh fib memory",
            "sh fib entry",
            "sh fib entry 0",
            "sh fib entry 10000",
            "sh fib entry-delegate",
            "sh fib paths",
            "sh fib paths 0",
            "sh fib paths 10000",
            "sh fib path-list",
            "sh fib path-list 0",
            "sh fib path-list 10000",
            "sh fib walk",
            "sh fib uRPF",
        ] {
            t.ppcli(cmd)?;
        }
        assert!(!error.contains("Failed"), "test fib:\n{error}");
        Ok(())
    }
}
