use asf_core::{vpp_test, TestCase, TestResult};

/// Timing-sensitive checks
#[vpp_test(solo, name = "TestSolo", plugins = [])]
mod timing {
    use super::*;

    /// API and CLI calls interleave on one connection
    #[vpp_test]
    fn test_interleaved_calls(t: &mut TestCase) -> TestResult {
        let pid = t.vpp_pid();
        for _ in 0..20 {
            assert_eq!(t.ping()?, pid);
            assert!(t.cli("show version")?.starts_with("vpp v"));
            assert_eq!(t.api().show_version()?.program, "vpe");
        }
        Ok(())
    }

    /// a round trip takes well under the reply time limit
    #[vpp_test]
    fn test_round_trip(t: &mut TestCase) -> TestResult {
        let start = std::time::Instant::now();
        for _ in 0..100 {
            t.ping()?;
        }
        let per_call = start.elapsed() / 100;
        assert!(
            per_call < std::time::Duration::from_secs(1),
            "{per_call:?} per control_ping"
        );
        Ok(())
    }
}
