//! Port of `test/asf/test_tap.py`. VPP's framework skips it always
//! ("Requires root"); asf runs it when it is root and the kernel has
//! vhost-net (VPP's tap interfaces open `/dev/vhost-net`), and skips it
//! otherwise with that reason.
//! Each tap's host side gets a unique name (the original's `tap<id>` is
//! shared by every VPP on the machine), recorded for removal.

use crate::api::tapv2::{SwInterfaceTapV2Dump, TapCreateV2, TapDeleteV2};
use asf_core::host::ledger::Kind;
use asf_core::{vpp_test, TestCase, TestResult};

/// `VppTAPInterface(self, tap_id).add_vpp_config()`: `tap_create_v2(id)`,
/// registered for removal; returns its `sw_if_index`.
fn add_tap(t: &mut TestCase, tap_id: u32) -> TestResult<u32> {
    let host_if_name = t.host_name(Kind::Link)?;
    let sw = t
        .api()
        .request(&TapCreateV2 {
            id: tap_id,
            use_random_mac: false,
            host_if_name_set: true,
            host_if_name: host_if_name.as_str().into(),
            ..TapCreateV2::default()
        })?
        .sw_if_index;
    t.register(format!("tap {tap_id}"), move |api| {
        api.request(&TapDeleteV2 { sw_if_index: sw }).map(drop)
    });
    Ok(sw)
}

/// VPP's taps are virtio devices backed by the kernel's vhost-net.
fn no_vhost_net() -> Option<String> {
    (!std::path::Path::new("/dev/vhost-net").exists()).then(|| {
        "needs /dev/vhost-net (the kernel's vhost_net module), which VPP's tap interfaces open; \
         this machine has none"
            .to_string()
    })
}

/// TAP Test Case
#[vpp_test(
    name = "TestTAP",
    requires_root,
    skip_if = no_vhost_net,
    requires_plugins = ["tap_plugin.so"],
    requires_messages = ["tap_create_v2", "sw_interface_tap_v2_dump"]
)]
mod tap {
    use super::*;

    /// Create TAP interface
    #[vpp_test]
    fn test_tap_add_del(t: &mut TestCase) -> TestResult {
        let sw = add_tap(t, 0)?;
        // query_vpp_config: the tap is in its dump
        let dump = t.api().dump(&SwInterfaceTapV2Dump { sw_if_index: sw })?;
        assert!(!dump.is_empty(), "tap {sw} not in sw_interface_tap_v2_dump");
        Ok(())
    }

    /// Test api dump w/ and w/o sw_if_index filtering
    #[vpp_test]
    fn test_tap_dump(t: &mut TestCase) -> TestResult {
        const MAX_INSTANCES: u32 = 10;
        let mut taps = Vec::new();
        for instance in 0..MAX_INSTANCES {
            taps.push(add_tap(t, instance)?);
        }
        let details = t.api().dump(&SwInterfaceTapV2Dump::default())?;
        assert_eq!(MAX_INSTANCES as usize, details.len());
        let details = t.api().dump(&SwInterfaceTapV2Dump {
            sw_if_index: taps[5],
        })?;
        assert_eq!(1, details.len());
        Ok(())
    }
}
