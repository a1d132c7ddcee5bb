use asf_core::{vpp_test, TestCase, TestResult};

/// CLI through the binary API
#[vpp_test(fixme_asan, name = "TestCli")]
mod cli_inband {
    use super::*;

    fn vpp_time(t: &mut TestCase) -> TestResult<f64> {
        let out = t.cli("show clock")?;
        let rest = out
            .split("Time now")
            .nth(1)
            .ok_or_else(|| format!("no `Time now` in {out:?}"))?;
        let number: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        Ok(number.parse()?)
    }

    /// show clock reports a clock that moves forward
    #[vpp_test]
    fn test_show_clock(t: &mut TestCase) -> TestResult {
        let a = vpp_time(t)?;
        std::thread::sleep(std::time::Duration::from_millis(20));
        let b = vpp_time(t)?;
        assert!(b > a, "VPP time went from {a} to {b}");
        Ok(())
    }

    /// an unknown command is a CLI syntax error naming the input
    #[vpp_test]
    fn test_unknown_command(t: &mut TestCase) -> TestResult {
        match t.cli("frobnicate the widgets") {
            Err(asf_core::errors::CliError::Syntax { reply, .. }) => {
                assert!(reply.contains("frobnicate"), "{reply}");
                Ok(())
            }
            other => Err(format!("expected a syntax error, got {other:?}").into()),
        }
    }

    /// clear trace succeeds and prints nothing
    #[vpp_test]
    fn test_clear_trace(t: &mut TestCase) -> TestResult {
        let out = t.cli("clear trace")?;
        assert_eq!(out.trim(), "");
        Ok(())
    }

    /// the VPP stays up across CLI errors
    #[vpp_test(fixme_vpp_debug)]
    fn test_alive_after_errors(t: &mut TestCase) -> TestResult {
        for _ in 0..5 {
            assert!(t.cli("no such command").is_err());
        }
        assert_eq!(t.ping()?, t.vpp_pid());
        Ok(())
    }
}
