//! Port of `test/asf/test_vppinfra.py`.

use asf_core::api::vpp::vlib::CliInband;
use asf_core::{vpp_test, TestCase, TestResult};

/// Vppinfra Unit Test Cases
#[vpp_test(name = "TestVppinfra", requires_plugins = ["unittest_plugin.so"])]
mod vppinfra {
    use super::*;

    /// `cli_return_response`: the command's retval, whatever it is.
    fn retval(t: &mut TestCase, cmd: &str) -> TestResult<i32> {
        Ok(t.api().request_raw(&CliInband { cmd: cmd.into() })?.retval)
    }

    /// Bitmap unit tests
    #[vpp_test]
    fn test_bitmap_unittest(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test bitmap", "failed")?;
        Ok(())
    }

    /// Memory Trace Test
    #[vpp_test]
    fn test_memory_trace(t: &mut TestCase) -> TestResult {
        assert_eq!(
            retval(t, "memory-trace on main-heap")?,
            0,
            "Failed to enable memory-trace"
        );
        assert_eq!(
            retval(t, "loopback create")?,
            0,
            "Failed to create loopback"
        );
        assert_eq!(
            retval(t, "show memory main-heap")?,
            0,
            "Failed to show memory"
        );
        // Disabling is where clib_mem_trace_main_free() used to assert.
        assert_eq!(
            retval(t, "memory-trace off")?,
            0,
            "Failed to disable memory-trace"
        );
        assert_eq!(
            retval(t, "show memory main-heap")?,
            0,
            "Failed to show memory after trace off"
        );
        assert_eq!(
            retval(t, "memory-trace on main-heap api-segment stats-segment")?,
            0,
            "Failed to enable memory-trace on all heaps"
        );
        assert_eq!(
            retval(t, "memory-trace off")?,
            0,
            "Failed to disable memory-trace on all heaps"
        );
        Ok(())
    }
}
