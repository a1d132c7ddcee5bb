//! Layer-2 objects: bridge domains and their ports, L2 FIB entries,
//! cross-connects (`vpp_l2.py`).

use std::fmt;

use asf_core::api::client::ApiClient;
use asf_core::case::TestResult;

use super::object::AddDel;
pub use crate::api::l2::L2PortType;

/// A bridge domain (`VppBridgeDomain`): learning, forwarding, flooding,
/// unknown-unicast flooding and ARP termination on by default, as VPP's
/// framework has them.
#[derive(Clone, Debug)]
pub struct BridgeDomain {
    /// Its id.
    pub bd_id: u32,
    /// Flood broadcasts.
    pub flood: bool,
    /// Flood unknown unicasts.
    pub uu_flood: bool,
    /// Forward.
    pub forward: bool,
    /// Learn source MACs.
    pub learn: bool,
    /// Terminate ARP.
    pub arp_term: bool,
    /// MAC age in minutes (0: none).
    pub mac_age: u8,
}

impl BridgeDomain {
    /// Bridge domain `bd_id` with the defaults.
    pub fn new(bd_id: u32) -> BridgeDomain {
        BridgeDomain {
            bd_id,
            flood: true,
            uu_flood: true,
            forward: true,
            learn: true,
            arp_term: true,
            mac_age: 0,
        }
    }
}

impl fmt::Display for BridgeDomain {
    // `bridge-domain-<id>`, VPP's framework's object id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bridge-domain-{}", self.bd_id)
    }
}

impl AddDel for BridgeDomain {
    type Request = crate::api::l2::BridgeDomainAddDelV2;

    fn request(&self, is_add: bool) -> Self::Request {
        crate::api::l2::BridgeDomainAddDelV2 {
            bd_id: self.bd_id,
            flood: self.flood,
            uu_flood: self.uu_flood,
            forward: self.forward,
            learn: self.learn,
            arp_term: self.arp_term,
            mac_age: self.mac_age,
            is_add,
            ..Default::default()
        }
    }

    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&crate::api::l2::BridgeDomainDump {
            bd_id: self.bd_id,
            sw_if_index: u32::MAX,
        })?;
        Ok(found.iter().any(|d| d.bd_id == self.bd_id))
    }
}

/// An interface in a bridge domain (`VppBridgeDomainPort`): a normal port,
/// the BVI, or the unknown-unicast forwarding port, in a split-horizon
/// group or not.
///
/// ```ignore
/// objects::add(t, BridgeDomainPort::new(1, pg0.sw_if_index()).shg(1))?;
/// objects::add(t, BridgeDomainPort::new(1, pg1.sw_if_index()).port_type(L2PortType::UuFwd))?;
/// ```
#[derive(Clone, Debug)]
pub struct BridgeDomainPort {
    /// The bridge domain.
    pub bd_id: u32,
    /// The interface.
    pub sw_if_index: u32,
    /// Its split-horizon group (0: none).
    pub shg: u8,
    /// What the port is: normal, BVI or unknown-unicast forwarding
    /// (`L2_API_PORT_TYPE_*`).
    pub port_type: L2PortType,
}

impl BridgeDomainPort {
    /// `sw_if_index` in `bd_id`, a normal port in no split-horizon group
    /// (`VppBridgeDomainPort(test, bd, itf)`).
    pub fn new(bd_id: u32, sw_if_index: u32) -> BridgeDomainPort {
        BridgeDomainPort {
            bd_id,
            sw_if_index,
            shg: 0,
            port_type: L2PortType::Normal,
        }
    }

    /// In split-horizon group `shg` (`VppBridgeDomainPort(..., shg=)`).
    pub fn shg(mut self, shg: u8) -> BridgeDomainPort {
        self.shg = shg;
        self
    }

    /// As the BVI or the unknown-unicast forwarding port
    /// (`VppBridgeDomainPort(..., port_type=)`).
    pub fn port_type(mut self, port_type: L2PortType) -> BridgeDomainPort {
        self.port_type = port_type;
        self
    }

    /// Whether a bridge domain's details list this port: as a member, or,
    /// for the unknown-unicast forwarding port (which VPP lists apart), as
    /// `uu_fwd_sw_if_index`.
    pub fn in_details(&self, d: &crate::api::l2::BridgeDomainDetails) -> bool {
        d.bd_id == self.bd_id
            && (d
                .sw_if_details
                .iter()
                .any(|s| s.sw_if_index == self.sw_if_index)
                || (self.port_type == L2PortType::UuFwd
                    && d.uu_fwd_sw_if_index == self.sw_if_index))
    }
}

impl fmt::Display for BridgeDomainPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BD-Port-{}-{}", self.bd_id, self.sw_if_index)
    }
}

impl AddDel for BridgeDomainPort {
    type Request = crate::api::l2::SwInterfaceSetL2Bridge;

    fn request(&self, enable: bool) -> Self::Request {
        crate::api::l2::SwInterfaceSetL2Bridge {
            rx_sw_if_index: self.sw_if_index,
            bd_id: self.bd_id,
            port_type: self.port_type,
            shg: self.shg,
            enable,
        }
    }

    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&crate::api::l2::BridgeDomainDump {
            bd_id: self.bd_id,
            sw_if_index: u32::MAX,
        })?;
        Ok(found.iter().any(|d| self.in_details(d)))
    }
}

/// An L2 FIB entry (`VppL2FibEntry`).
#[derive(Clone, Debug)]
pub struct L2FibEntry {
    /// The bridge domain.
    pub bd_id: u32,
    /// The MAC.
    pub mac: [u8; 6],
    /// The interface it is behind.
    pub sw_if_index: u32,
    /// Static (never learned over).
    pub static_mac: bool,
    /// Drop frames to it.
    pub filter_mac: bool,
    /// A BVI's MAC.
    pub bvi_mac: bool,
}

impl L2FibEntry {
    /// `mac` behind `sw_if_index` in `bd_id`, static.
    pub fn new(bd_id: u32, mac: [u8; 6], sw_if_index: u32) -> L2FibEntry {
        L2FibEntry {
            bd_id,
            mac,
            sw_if_index,
            static_mac: true,
            filter_mac: false,
            bvi_mac: false,
        }
    }
}

impl fmt::Display for L2FibEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "L2FibEntry-{}-{}-{}",
            self.bd_id,
            asf_core::api::values::mac_ntop(&self.mac),
            self.sw_if_index
        )
    }
}

impl AddDel for L2FibEntry {
    type Request = crate::api::l2::L2fibAddDel;

    fn request(&self, is_add: bool) -> Self::Request {
        crate::api::l2::L2fibAddDel {
            mac: self.mac,
            bd_id: self.bd_id,
            sw_if_index: self.sw_if_index,
            is_add,
            static_mac: self.static_mac,
            filter_mac: self.filter_mac,
            bvi_mac: self.bvi_mac,
        }
    }

    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&crate::api::l2::L2FibTableDump { bd_id: self.bd_id })?;
        Ok(found
            .iter()
            .any(|d| d.mac == self.mac && d.sw_if_index == self.sw_if_index))
    }
}

/// A one-way layer-2 cross-connect (`sw_interface_set_l2_xconnect`).
#[derive(Clone, Debug)]
pub struct L2Xconnect {
    /// What comes in here ...
    pub rx_sw_if_index: u32,
    /// ... goes out there.
    pub tx_sw_if_index: u32,
}

impl fmt::Display for L2Xconnect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "l2xc-{}-{}", self.rx_sw_if_index, self.tx_sw_if_index)
    }
}

impl AddDel for L2Xconnect {
    type Request = crate::api::l2::SwInterfaceSetL2Xconnect;

    fn request(&self, enable: bool) -> Self::Request {
        crate::api::l2::SwInterfaceSetL2Xconnect {
            rx_sw_if_index: self.rx_sw_if_index,
            tx_sw_if_index: self.tx_sw_if_index,
            enable,
        }
    }

    /// From `show mode <rx>`: `l2 xconnect <rx> <tx>`.
    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let name = |api: &mut ApiClient, i: u32| -> TestResult<String> {
            let d = api.dump(&crate::api::interface::SwInterfaceDump {
                sw_if_index: i,
                ..Default::default()
            })?;
            Ok(d.first()
                .map(|d| d.interface_name.to_string())
                .unwrap_or_default())
        };
        let (rx, tx) = (
            name(api, self.rx_sw_if_index)?,
            name(api, self.tx_sw_if_index)?,
        );
        let out = api.cli(&format!("show mode {rx}"))?;
        Ok(out.lines().any(|l| {
            l.split_whitespace().collect::<Vec<_>>() == ["l2", "xconnect", rx.as_str(), tx.as_str()]
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::l2::{BridgeDomainDetails, BridgeDomainSwIf};

    #[test]
    fn a_port_of_any_type_is_found_where_vpp_lists_it() {
        let d = BridgeDomainDetails {
            bd_id: 7,
            bvi_sw_if_index: 3,
            uu_fwd_sw_if_index: 5,
            sw_if_details: vec![
                BridgeDomainSwIf {
                    sw_if_index: 1,
                    shg: 1,
                    ..Default::default()
                },
                BridgeDomainSwIf {
                    sw_if_index: 3,
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        assert!(BridgeDomainPort::new(7, 1).shg(1).in_details(&d));
        assert!(BridgeDomainPort::new(7, 3)
            .port_type(L2PortType::Bvi)
            .in_details(&d));
        // VPP lists the unknown-unicast forwarding port apart from the members.
        let uu = BridgeDomainPort::new(7, 5).port_type(L2PortType::UuFwd);
        assert!(uu.in_details(&d));
        assert!(!BridgeDomainPort::new(7, 5).in_details(&d));
        assert!(!BridgeDomainPort::new(8, 1).in_details(&d));
        let r = uu.request(true);
        assert_eq!((r.port_type, r.shg, r.enable), (L2PortType::UuFwd, 0, true));
        assert_eq!(BridgeDomainPort::new(7, 1).shg(2).request(false).shg, 2);
    }
}
