//! Port of `test/asf/test_vhost.py`.

use std::time::Duration;

use crate::api::vhost_user::{
    CreateVhostUserIfV2, DeleteVhostUserIf, SwInterfaceVhostUserDetails, SwInterfaceVhostUserDump,
};
use asf_core::api::values::{mac_ntop, mac_pton};
use asf_core::case::assert_equal;
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::interface::{SwInterfaceDump, SwInterfaceEvent, WantInterfaceEvents};

use crate::vpp_objects::admin;

/// `VppVhostInterface(test, sock_filename, use_custom_mac, mac_address).add_vpp_config()`:
/// a vhost-user client interface; returns its `sw_if_index`. The socket is
/// in the class temp dir, named through VPP's runtime dir so that its path
/// fits (the original's `/tmp/sockN` is shared by every run on the machine).
fn add_vhost(t: &mut TestCase, sock: &str, custom_mac: Option<&str>) -> TestResult<u32> {
    let sock_filename = t.runtime_dir().join(sock).display().to_string();
    let r = t.api().request(&CreateVhostUserIfV2 {
        is_server: false,
        sock_filename: sock_filename.into(),
        renumber: false,
        disable_mrg_rxbuf: false,
        disable_indirect_desc: false,
        enable_gso: false,
        enable_packed: false,
        enable_event_idx: false,
        custom_dev_instance: u32::MAX,
        use_custom_mac: custom_mac.is_some(),
        mac_address: mac_pton(custom_mac.unwrap_or("00:00:00:00:00:00"))?,
        tag: "".into(),
    })?;
    Ok(r.sw_if_index)
}

fn remove_vhost(t: &mut TestCase, sw_if_index: u32) -> TestResult {
    t.api().request(&DeleteVhostUserIf { sw_if_index })?;
    Ok(())
}

fn vhost_dump(t: &mut TestCase) -> TestResult<Vec<SwInterfaceVhostUserDetails>> {
    Ok(t.api().dump(&SwInterfaceVhostUserDump::default())?)
}

/// `is_interface_config_in_dump`.
fn in_dump(dump: &[SwInterfaceVhostUserDetails], sw_if_index: u32) -> bool {
    dump.iter().any(|i| i.sw_if_index == sw_if_index)
}

/// `assert_interface_state(admin, link, expect_event=True)`.
fn assert_interface_state(t: &mut TestCase, sw_if_index: u32, admin: u64, link: u64) -> TestResult {
    let event: SwInterfaceEvent = t.api().wait_for_event_typed(Duration::from_secs(1))?;
    assert_equal(event.sw_if_index, sw_if_index, "sw_if_index");
    let flags = u64::from(event.flags.bits());
    assert_equal(flags & 1, admin, "admin state");
    assert_equal(flags & 2, link, "link state");
    let dump = t.api().dump(&SwInterfaceDump::default())?;
    let state = dump
        .iter()
        .find(|i| i.sw_if_index == sw_if_index)
        .ok_or_else(|| format!("interface {sw_if_index} not in sw_interface_dump"))?;
    let flags = u64::from(state.flags.bits());
    assert_equal(flags & 1, admin, "admin state");
    assert_equal(flags & 2, link, "link state");
    Ok(())
}

/// The original's tearDown: every vhost-user interface left is deleted.
fn delete_all_vhost(t: &mut TestCase) -> TestResult {
    for ifc in vhost_dump(t)? {
        remove_vhost(t, ifc.sw_if_index)?;
    }
    Ok(())
}

/// Vhost User Test Case
#[vpp_test(
    name = "TesVhostInterface",
    tear_down = delete_all_vhost,
    requires_plugins = ["vhost_plugin.so"],
    requires_messages = ["create_vhost_user_if_v2", "sw_interface_vhost_user_dump"]
)]
mod vhost {
    use super::*;

    /// Vhost User add/delete interface test
    #[vpp_test]
    fn test_vhost(t: &mut TestCase) -> TestResult {
        tracing::info!("Vhost User add interfaces");

        // create interface 1 (VirtualEthernet0/0/0)
        let if1 = add_vhost(t, "sock1", None)?;
        admin(t, if1, true)?;

        // create interface 2 (VirtualEthernet0/0/1)
        let if2 = add_vhost(t, "sock2", None)?;
        admin(t, if2, true)?;

        // verify both interfaces in the show
        let ifs = t.cli("show interface")?;
        assert!(ifs.contains("VirtualEthernet0/0/0"), "{ifs}");
        assert!(ifs.contains("VirtualEthernet0/0/1"), "{ifs}");

        // verify they are in the dump also
        let dump = vhost_dump(t)?;
        assert!(in_dump(&dump, if1));
        assert!(in_dump(&dump, if2));

        // delete VirtualEthernet0/0/1
        tracing::info!("Deleting VirtualEthernet0/0/1");
        remove_vhost(t, if2)?;

        tracing::info!("Verifying VirtualEthernet0/0/1 is deleted");
        let ifs = t.cli("show interface")?;
        // verify VirtualEthernet0/0/0 still in the show
        assert!(ifs.contains("VirtualEthernet0/0/0"), "{ifs}");
        // verify VirtualEthernet0/0/1 not in the show
        assert!(!ifs.contains("VirtualEthernet0/0/1"), "{ifs}");

        // verify VirtualEthernet0/0/1 is not in the dump
        let dump = vhost_dump(t)?;
        assert!(!in_dump(&dump, if2));
        // verify VirtualEthernet0/0/0 is still in the dump
        assert!(in_dump(&dump, if1));

        // delete VirtualEthernet0/0/0
        tracing::info!("Deleting VirtualEthernet0/0/0");
        remove_vhost(t, if1)?;

        tracing::info!("Verifying VirtualEthernet0/0/0 is deleted");
        // verify VirtualEthernet0/0/0 not in the show
        let ifs = t.cli("show interface")?;
        assert!(!ifs.contains("VirtualEthernet0/0/0"), "{ifs}");

        // verify VirtualEthernet0/0/0 is not in the dump
        let dump = vhost_dump(t)?;
        assert!(!in_dump(&dump, if1));
        Ok(())
    }

    /// Vhost User interface states and events test
    #[vpp_test]
    fn test_vhost_interface_state(t: &mut TestCase) -> TestResult {
        let pid = std::process::id();
        t.api().request(&WantInterfaceEvents {
            enable_disable: 1,
            pid,
        })?;

        // clear outstanding events
        // (like delete interface events from other tests)
        t.api().collect_events()?;

        // create vhost interface
        let sw = add_vhost(t, "sock1", None)?;
        t.sleep(0.1, "");
        let events = t.api().collect_events()?;
        // creating interface does now create events
        assert_equal(events.len(), 1, "number of events");

        admin(t, sw, true)?;
        assert_interface_state(t, sw, 1, 0)?;

        admin(t, sw, false)?;
        assert_interface_state(t, sw, 0, 0)?;

        // delete vhost interface
        remove_vhost(t, sw)?;
        let event: SwInterfaceEvent = t.api().wait_for_event_typed(Duration::from_secs(1))?;
        assert_equal(event.sw_if_index, sw, "sw_if_index");
        assert_equal(event.deleted, true, "deleted flag");

        // verify there are no more events
        let events = t.api().collect_events()?;
        assert_equal(events.len(), 0, "number of events");
        Ok(())
    }

    /// Vhost User interface custom mac address test
    #[vpp_test]
    fn test_vhost_interface_custom_mac_addr(t: &mut TestCase) -> TestResult {
        let mac_addr = "aa:bb:cc:dd:ee:ff";
        // create vhost interface
        let sw = add_vhost(t, "sock1", Some(mac_addr))?;
        t.sleep(0.1, "");

        // verify mac in the dump
        let dump = t.api().dump(&SwInterfaceDump {
            sw_if_index: sw,
            ..SwInterfaceDump::default()
        })?;
        assert_equal(dump.len(), 1, "if dump length");
        assert_equal(
            mac_ntop(&dump[0].l2_address).as_str(),
            mac_addr,
            "MAC Address",
        );

        // delete VirtualEthernet
        tracing::info!("Deleting VirtualEthernet");
        remove_vhost(t, sw)?;
        Ok(())
    }
}
