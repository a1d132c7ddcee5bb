//! Port of `test/asf/test_virtio.py`: it needs a virtio NIC bound to VPP,
//! and skips (as the original does) when VPP has none.

use crate::api::interface::SwInterfaceSetMacAddress;
use asf_core::api::values::{mac_ntop, mac_pton};
use asf_core::{vpp_test, Skip, TestCase, TestResult};
use asf_vocab::api::interface::{SwInterfaceDetails, SwInterfaceDump};

fn interface_name(sw_if: &SwInterfaceDetails) -> String {
    sw_if.interface_name.to_string()
}

fn is_virtio_interface(name: &str) -> bool {
    name.starts_with("virtio-") || name.starts_with("VirtioEthernet")
}

fn filter_mac(sw_if_index: u32, salt: u32) -> String {
    format!(
        "02:fd:{:02x}:{:02x}:{:02x}:{:02x}",
        salt & 0xFF,
        (sw_if_index >> 16) & 0xFF,
        (sw_if_index >> 8) & 0xFF,
        sw_if_index & 0xFF
    )
}

fn find_virtio_interfaces(t: &mut TestCase) -> TestResult<Vec<SwInterfaceDetails>> {
    Ok(t.api()
        .dump(&SwInterfaceDump::default())?
        .into_iter()
        .filter(|i| is_virtio_interface(&interface_name(i)))
        .collect())
}

fn sw_index(v: &SwInterfaceDetails) -> u32 {
    v.sw_if_index
}

fn l2_address(t: &mut TestCase, sw_if_index: u32) -> TestResult<Vec<Option<String>>> {
    Ok(t.api()
        .dump(&SwInterfaceDump {
            sw_if_index,
            ..SwInterfaceDump::default()
        })?
        .iter()
        .map(|i| Some(mac_ntop(&i.l2_address)))
        .collect())
}

fn set_mac(t: &mut TestCase, sw_if_index: u32, mac: &str) -> TestResult {
    t.api().request(&SwInterfaceSetMacAddress {
        sw_if_index,
        mac_address: mac_pton(mac)?,
    })?;
    Ok(())
}

/// Virtio interface tests
#[vpp_test(name = "TestVirtioInterface")]
mod virtio {
    use super::*;

    /// Virtio interface MAC address change test
    #[vpp_test]
    fn test_virtio_interface_mac_addr_change(t: &mut TestCase) -> TestResult {
        let virtio_ifs = find_virtio_interfaces(t)?;
        let Some(virtio_if) = virtio_ifs.first() else {
            return Err(Skip::new("No virtio interface is present").into());
        };
        let sw = sw_index(virtio_if);
        let original_mac = mac_ntop(&virtio_if.l2_address);
        let mut new_mac = format!(
            "02:fe:{:02x}:{:02x}:{:02x}:{:02x}",
            (sw >> 24) & 0xFF,
            (sw >> 16) & 0xFF,
            (sw >> 8) & 0xFF,
            sw & 0xFF
        );
        if new_mac == original_mac {
            new_mac = "02:fe:00:11:22:33".into();
        }
        let result = (|| -> TestResult {
            set_mac(t, sw, &new_mac)?;
            let dump = l2_address(t, sw)?;
            assert_eq!(dump.len(), 1, "interface dump length");
            assert_eq!(dump[0].as_deref(), Some(new_mac.as_str()), "updated MAC");
            Ok(())
        })();
        let dump = l2_address(t, sw)?;
        if dump.len() == 1 && dump[0].as_deref() != Some(original_mac.as_str()) {
            set_mac(t, sw, &original_mac)?;
        }
        result
    }

    /// Virtio interface MAC filtering test
    #[vpp_test]
    fn test_virtio_interface_mac_filtering(t: &mut TestCase) -> TestResult {
        let virtio_ifs = find_virtio_interfaces(t)?;
        if virtio_ifs.is_empty() {
            return Err(Skip::new("No virtio interface is present").into());
        }
        let mut found = None;
        for sw_if in &virtio_ifs {
            let name = interface_name(sw_if);
            let show = t.cli(&format!("show virtio pci {name}"))?;
            if show.contains("mac-table-filtering 1") {
                found = Some((sw_index(sw_if), name));
                break;
            }
        }
        let Some((sw, name)) = found else {
            return Err(Skip::new("No virtio interface with MAC filtering enabled").into());
        };
        let mut added: Vec<String> = Vec::new();
        let mut unicast_mac = None;
        for salt in [0x11, 0x22] {
            let candidate = filter_mac(sw, salt);
            if t.cli(&format!(
                "set interface secondary-mac-address {name} {candidate} add"
            ))
            .is_ok()
            {
                unicast_mac = Some(candidate.clone());
                added.push(candidate);
                break;
            }
        }
        let Some(unicast_mac) = unicast_mac else {
            return Err(
                Skip::new("Unable to add a unicast test MAC filter on virtio interface").into(),
            );
        };
        let multicast_mac = format!(
            "01:00:5e:{:02x}:{:02x}:{:02x}",
            (sw >> 16) & 0x7F,
            (sw >> 8) & 0xFF,
            sw & 0xFF
        );
        let outcome = (|| -> TestResult {
            if t.cli(&format!(
                "set interface secondary-mac-address {name} {multicast_mac} add"
            ))
            .is_err()
            {
                return Err(Skip::new(
                    "Unable to add a multicast test MAC filter on virtio interface",
                )
                .into());
            }
            added.push(multicast_mac.clone());
            let show = t.cli(&format!("show virtio pci {name}"))?;
            assert!(show.contains("MAC Filters:"), "MAC filter section");
            assert!(
                show.contains(&unicast_mac),
                "added unicast MAC in virtio dump"
            );
            assert!(
                show.contains(&multicast_mac),
                "added multicast MAC in virtio dump"
            );

            let show = t.cli(&format!("show interface secondary-mac-address {name}"))?;
            assert!(
                show.contains(&unicast_mac),
                "added unicast MAC in interface secondary list"
            );
            assert!(
                show.contains(&multicast_mac),
                "added multicast MAC in interface secondary list"
            );

            for candidate in added.clone() {
                t.cli(&format!(
                    "set interface secondary-mac-address {name} {candidate} del"
                ))?;
                added.retain(|m| *m != candidate);
            }
            let show = t.cli(&format!("show virtio pci {name}"))?;
            assert!(
                !show.contains(&unicast_mac),
                "removed unicast MAC absent in virtio dump"
            );
            assert!(
                !show.contains(&multicast_mac),
                "removed multicast MAC absent in virtio dump"
            );
            Ok(())
        })();
        for candidate in added {
            let _ = t.cli(&format!(
                "set interface secondary-mac-address {name} {candidate} del"
            ));
        }
        outcome
    }
}
