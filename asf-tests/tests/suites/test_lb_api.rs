//! Port of `test/asf/test_lb_api.py`.

use asf_core::api::values::{format_prefix, to_ip};
use asf_core::{vpp_test, TestCase, TestResult};
use serde_json::json;

/// TestLbEmptyApi
#[vpp_test(name = "TestLbEmptyApi", requires_plugins = ["lb_plugin.so"])]
mod lb_empty {
    use super::*;

    /// no VIP is listed before one is added
    #[vpp_test]
    fn test_lb_empty_vip_dump(t: &mut TestCase) -> TestResult {
        let rv = t.api().call_dump("lb_vip_dump", json!({}))?;
        assert!(rv.is_empty(), "Expected: [] Received: {rv:?}");
        Ok(())
    }

    /// no application server is listed before one is added
    #[vpp_test]
    fn test_lb_empty_as_dump(t: &mut TestCase) -> TestResult {
        let rv = t.api().call_dump("lb_as_dump", json!({}))?;
        assert!(rv.is_empty(), "Expected: [] Received: {rv:?}");
        Ok(())
    }
}

/// TestLbApi
#[vpp_test(name = "TestLbApi", requires_plugins = ["lb_plugin.so"])]
mod lb_vip {
    use super::*;

    /// a VIP added by CLI is dumped
    #[vpp_test]
    fn test_lb_vip_dump(t: &mut TestCase) -> TestResult {
        t.cli("lb vip 2001::/16 encap gre6")?;
        let rv = t.api().call_dump("lb_vip_dump", json!({}))?;
        let last = rv.last().ok_or("no VIP dumped")?;
        assert_eq!(
            format_prefix(&last["vip"]["pfx"]).as_deref(),
            Some("2001::/16"),
            "{last}"
        );
        t.cli("lb vip 2001::/16 del")?;
        Ok(())
    }
}

/// TestLbAsApi
#[vpp_test(name = "TestLbAsApi", requires_plugins = ["lb_plugin.so"])]
mod lb_as {
    use super::*;

    /// an application server added by CLI is dumped with its VIP
    #[vpp_test]
    fn test_lb_as_dump(t: &mut TestCase) -> TestResult {
        t.cli("lb vip 2001::/16 encap gre6")?;
        t.cli("lb as 2001::/16 2000::1")?;
        let rv = t.api().call_dump("lb_as_dump", json!({}))?;
        let first = rv.first().ok_or("no application server dumped")?;
        assert_eq!(
            format_prefix(&first["vip"]["pfx"]).as_deref(),
            Some("2001::/16"),
            "{first}"
        );
        assert_eq!(
            to_ip(&first["app_srv"]).map(|a| a.to_string()).as_deref(),
            Some("2000::1"),
            "{first}"
        );
        Ok(())
    }
}
