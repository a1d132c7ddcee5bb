//! Port of `test/asf/test_api_client.py`.

use asf_core::{vpp_test, TestCase, TestResult};

/// API Internal client Test Cases
#[vpp_test(name = "TestAPIClient", requires_plugins = ["unittest_plugin.so"])]
mod api_client {
    use super::*;

    /// Internal API client
    #[vpp_test]
    fn test_client_unittest(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test api internal", "failed")?;
        Ok(())
    }
}
