//! Port of `test/asf/test_lb_api.py`.

use crate::api::lb::{LbAsDump, LbVipDump};
use asf_core::{vpp_test, TestCase, TestResult};

/// TestLbEmptyApi
#[vpp_test(name = "TestLbEmptyApi", requires_plugins = ["lb_plugin.so"])]
mod lb_empty {
    use super::*;

    /// no VIP is listed before one is added
    #[vpp_test]
    fn test_lb_empty_vip_dump(t: &mut TestCase) -> TestResult {
        let rv = t.api().dump(&LbVipDump::default())?;
        assert!(rv.is_empty(), "Expected: [] Received: {rv:?}");
        Ok(())
    }

    /// no application server is listed before one is added
    #[vpp_test]
    fn test_lb_empty_as_dump(t: &mut TestCase) -> TestResult {
        let rv = t.api().dump(&LbAsDump::default())?;
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
        let rv = t.api().dump(&LbVipDump::default())?;
        let last = rv.last().ok_or("no VIP dumped")?;
        assert_eq!(last.vip.pfx.to_string(), "2001::/16", "{last:?}");
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
        let rv = t.api().dump(&LbAsDump::default())?;
        let first = rv.first().ok_or("no application server dumped")?;
        assert_eq!(first.vip.pfx.to_string(), "2001::/16", "{first:?}");
        assert_eq!(first.app_srv.to_string(), "2000::1", "{first:?}");
        Ok(())
    }
}
