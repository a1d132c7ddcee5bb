//! Port of `test/asf/test_vpe_api.py`.

use asf_core::api::vpp::vpe::{LogDump, ShowVpeSystemTime};
use asf_core::{vpp_test, TestCase, TestResult};

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// TestVpeApi
#[vpp_test(name = "TestVpeApi", requires_messages = ["log_dump", "show_vpe_system_time"])]
mod vpe_api {
    use super::*;

    /// log_dump lists the log
    #[vpp_test]
    fn test_log_dump_default(t: &mut TestCase) -> TestResult {
        t.cli("test log notice fib entry this is a test")?;
        let rv = t.api().dump(&LogDump::default())?;
        assert!(!rv.is_empty(), "log_dump returned nothing");
        Ok(())
    }

    /// log_dump from timestamp 0 lists the log
    #[vpp_test]
    fn test_log_dump_timestamp_0(t: &mut TestCase) -> TestResult {
        t.cli("test log notice fib entry this is a test")?;
        let rv = t.api().dump(&LogDump {
            start_timestamp: 0.0,
        })?;
        assert!(!rv.is_empty(), "log_dump returned nothing");
        Ok(())
    }

    /// log_dump from the future lists nothing
    #[vpp_test]
    fn test_log_dump_timestamp_future(t: &mut TestCase) -> TestResult {
        t.cli("test log debug fib entry test")?;
        let rv = t.api().dump(&LogDump {
            start_timestamp: now() + 60.0,
        })?;
        assert!(rv.is_empty(), "{rv:?}");
        Ok(())
    }

    /// show_vpe_system_time is close to this host's clock
    #[vpp_test]
    fn test_show_vpe_system_time(t: &mut TestCase) -> TestResult {
        let local_start = now();
        let vpp = t.api().request(&ShowVpeSystemTime)?.vpe_system_time;
        assert!(
            vpp > local_start - 3600.0,
            "system times differ by more than an hour: {vpp} vs {local_start}"
        );
        Ok(())
    }
}
