//! Port of `test/asf/test_vapi.py`: VPP's own C and C++ VAPI test clients,
//! run as helper programs from the VPP build under test.

use asf_core::helper::Helper;
use asf_core::{vpp_test, TestCase, TestResult};
use std::time::Duration;

fn run_vapi(
    t: &mut TestCase,
    program: &str,
    path: String,
    transport: &str,
    secs: u64,
) -> TestResult {
    let exe = t.vpp_program(program)?;
    let out = t.run_helper(
        Helper::new(exe)
            .args(["vapi client".to_string(), path, transport.to_string()])
            .timeout(Duration::from_secs(secs)),
    )?;
    assert_eq!(out.code, Some(0), "Binary test return code ({out:?})");
    Ok(())
}

/// VAPI test
#[vpp_test(name = "VAPITestCase")]
mod vapi {
    use super::*;

    /// run C VAPI tests (over shared memory)
    #[vpp_test]
    fn test_vapi_c_shm(t: &mut TestCase) -> TestResult {
        let prefix = t.api_segment_prefix();
        run_vapi(t, "vapi_c_test", prefix, "shm", 60)
    }

    /// run C VAPI tests (over unix domain socket)
    #[vpp_test]
    fn test_vapi_c_uds(t: &mut TestCase) -> TestResult {
        let sock = t.api_sock_path().display().to_string();
        run_vapi(t, "vapi_c_test", sock, "uds", 60)
    }

    /// run C++ VAPI tests (over shared memory)
    #[vpp_test]
    fn test_vapi_cpp_shm(t: &mut TestCase) -> TestResult {
        let prefix = t.api_segment_prefix();
        run_vapi(t, "vapi_cpp_test", prefix, "shm", 120)
    }

    /// run C++ VAPI tests (over unix domain socket)
    #[vpp_test]
    fn test_vapi_cpp_uds(t: &mut TestCase) -> TestResult {
        let sock = t.api_sock_path().display().to_string();
        run_vapi(t, "vapi_cpp_test", sock, "uds", 120)
    }
}
