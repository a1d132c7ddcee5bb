//! Port of `test/asf/test_cli.py` (asf's own CLI checks are `asf_cli.rs`).

use std::time::Duration;

use asf_core::api::vpp::vlib::CliInband;
use asf_core::api::vpp::vpe::ShowVpeSystemTime;
use asf_core::errors::ApiError;
use asf_core::{vpp_test, TestCase, TestResult};

fn cli_inband(t: &mut TestCase, cmd: &str) -> Result<i32, ApiError> {
    Ok(t.api().request_raw(&CliInband { cmd: cmd.into() })?.retval)
}

/// CLI Test Case
#[vpp_test(name = "TestCLI", api_timeout = 5)]
mod cli {
    use super::*;

    /// CLI inband retval
    #[vpp_test]
    fn test_cli_retval(t: &mut TestCase) -> TestResult {
        assert_ne!(cli_inband(t, "this command does not exist")?, 0);
        assert_eq!(cli_inband(t, "show version")?, 0);
        Ok(())
    }

    /// Test that VppApiClient raises VppIOError if timeout.
    #[vpp_test]
    fn test_long_cli_delay(t: &mut TestCase) -> TestResult {
        match cli_inband(t, "wait 10") {
            Err(ApiError::Timeout { .. }) => {}
            other => return Err(format!("expected a reply timeout, got {other:?}").into()),
        }
        // VPP is still waiting: let it finish before the next call.
        t.api()
            .with_timeout(Some(Duration::from_secs(15)), |api| api.control_ping())?;
        Ok(())
    }

    /// Test per-command _timeout option.
    #[vpp_test]
    fn test_long_cli_delay_override(t: &mut TestCase) -> TestResult {
        let rv = t.api().with_timeout(Some(Duration::from_secs(15)), |api| {
            api.request_raw(&CliInband {
                cmd: "wait 10".into(),
            })
        })?;
        assert_eq!(rv.retval, 0);
        Ok(())
    }
}

/// CLI Test Case w/ Extended (15sec) Vapi Timeout
#[vpp_test(name = "TestCLIExtendedVapiTimeout", api_timeout = 15, requires_messages = ["show_vpe_system_time"])]
mod cli_extended {
    use super::*;

    /// Test that delayed result returns with extended timeout.
    #[vpp_test]
    fn test_long_cli_delay(t: &mut TestCase) -> TestResult {
        let wait_secs = 15 - 1;
        let time = |t: &mut TestCase| -> TestResult<f64> {
            Ok(t.api().request(&ShowVpeSystemTime)?.vpe_system_time)
        };
        let start = time(t)?;
        cli_inband(t, &format!("wait {wait_secs}"))?;
        let now = time(t)?;
        // The measurement itself takes well under half a second.
        assert_eq!((now - start).round() as i64, wait_secs, "{start} -> {now}");
        Ok(())
    }
}
