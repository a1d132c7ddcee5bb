//! Sub-interfaces of a pg interface (`vpp_sub_interface.py`): 802.1Q and
//! 802.1ad (QinQ) sub-interfaces, and the tags a test adds to what it sends
//! through them and takes off what it receives.

use asf_packet::{Dot1Q, Ether, Layer, Packet};

use super::interface::PgInterface;
use crate::api::interface::{
    CreateSubif, CreateVlanSubif, DeleteSubif, IfStatusFlags, SubIfFlags, SwInterfaceSetFlags,
};
use crate::api::l2::L2InterfaceVlanTagRewrite;
use asf_core::case::{TestCase, TestResult};

/// The EtherType of an 802.1Q tag.
pub const DOT1Q_TYPE: u16 = 0x8100;
/// The EtherType of an 802.1ad service tag.
pub const DOT1AD_TYPE: u16 = 0x88a8;

/// VLAN tag rewrite operations (`L2_VTR_OP`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum VtrOp {
    /// No rewrite.
    Disabled = 0,
    /// Push one tag.
    Push1 = 1,
    /// Push two tags.
    Push2 = 2,
    /// Pop one tag.
    Pop1 = 3,
    /// Pop two tags.
    Pop2 = 4,
    /// Translate one tag to one.
    Translate1To1 = 5,
    /// Translate one tag to two.
    Translate1To2 = 6,
    /// Translate two tags to one.
    Translate2To1 = 7,
    /// Translate two tags to two.
    Translate2To2 = 8,
}

/// The tags of a sub-interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tags {
    /// One 802.1Q tag (`VppDot1QSubint`).
    Dot1Q {
        /// Its VLAN.
        vlan: u16,
    },
    /// An 802.1ad outer tag and an 802.1Q inner tag (`VppDot1ADSubint`).
    Dot1AD {
        /// The service VLAN.
        outer: u16,
        /// The customer VLAN.
        inner: u16,
    },
}

/// A sub-interface of a pg interface. Its traffic goes through the parent:
/// streams are added to, and captures read from, the parent.
#[derive(Clone, Debug)]
pub struct SubInterface {
    parent: PgInterface,
    sub_id: u32,
    sw_if_index: u32,
    tags: Tags,
    /// The sub-interface as an interface of its own.
    intf: PgInterface,
}

impl SubInterface {
    /// `<parent>.<vlan>` with one 802.1Q tag (`VppDot1QSubint(parent, vlan)`).
    pub fn dot1q(t: &mut TestCase, parent: &PgInterface, vlan: u16) -> TestResult<SubInterface> {
        let sw_if_index = t
            .api()
            .request(&CreateVlanSubif {
                sw_if_index: parent.sw_if_index(),
                vlan_id: u32::from(vlan),
            })?
            .sw_if_index;
        Self::made(
            t,
            parent,
            u32::from(vlan),
            sw_if_index,
            Tags::Dot1Q { vlan },
        )
    }

    /// `<parent>.<sub_id>` matching exactly an 802.1ad `outer` and an
    /// 802.1Q `inner` tag (`VppDot1ADSubint`).
    pub fn dot1ad(
        t: &mut TestCase,
        parent: &PgInterface,
        sub_id: u32,
        outer: u16,
        inner: u16,
    ) -> TestResult<SubInterface> {
        let sw_if_index = t
            .api()
            .request(&CreateSubif {
                sw_if_index: parent.sw_if_index(),
                sub_id,
                sub_if_flags: SubIfFlags(
                    SubIfFlags::DOT1AD.0 | SubIfFlags::TWO_TAGS.0 | SubIfFlags::EXACT_MATCH.0,
                ),
                outer_vlan_id: outer,
                inner_vlan_id: inner,
            })?
            .sw_if_index;
        Self::made(
            t,
            parent,
            sub_id,
            sw_if_index,
            Tags::Dot1AD { outer, inner },
        )
    }

    fn made(
        t: &mut TestCase,
        parent: &PgInterface,
        sub_id: u32,
        sw_if_index: u32,
        tags: Tags,
    ) -> TestResult<SubInterface> {
        let sub = SubInterface {
            parent: parent.clone(),
            sub_id,
            sw_if_index,
            tags,
            intf: super::interface::interface_of(t, sw_if_index)?,
        };
        // As VPP's framework: no tag rewrite to start with.
        sub.set_vtr(t, VtrOp::Disabled, 0, 0, 0)?;
        Ok(sub)
    }

    /// The parent pg interface.
    pub fn parent(&self) -> &PgInterface {
        &self.parent
    }

    /// The sub-interface as an interface of its own (`VppSubInterface` is
    /// a `VppInterface`): its addresses and remote hosts by VPP's
    /// convention for its `sw_if_index`, and the configuration calls
    /// (`config_ip4`, `set_table_ip4` …). Its traffic still goes through
    /// the parent.
    pub fn intf(&self) -> &PgInterface {
        &self.intf
    }

    /// Asks VPP for its MAC on the sub-interface with a tagged ARP request
    /// through the parent, and keeps the answer (`resolve_arp` of a
    /// sub-interface); no answer is logged, as for a pg interface.
    pub fn resolve_arp(&self, t: &mut TestCase) -> TestResult<&Self> {
        tracing::info!(
            "Sending ARP request for {} on port {}",
            self.intf.local_ip4(),
            self.name()
        );
        let req = self.add_dot1_layer(self.intf.create_arp_req());
        self.parent.add_stream(t, &[req])?;
        self.parent.enable_capture(t)?;
        super::start(t)?;
        match self
            .parent
            .wait_for_packet(t, std::time::Duration::from_secs(1))
        {
            Ok(p) => match p.get::<asf_packet::Arp>() {
                Some(a) if a.op == asf_packet::Arp::IS_AT => self.intf.set_local_mac(a.hwsrc),
                Some(_) => tracing::info!("No ARP received on port {}", self.name()),
                None => {
                    return Err(format!("Unexpected response to ARP request:\n{}", p.show()).into())
                }
            },
            Err(_) => tracing::info!("No ARP received on port {}", self.name()),
        }
        Ok(self)
    }

    /// Asks VPP for its MAC on the sub-interface with a tagged neighbour
    /// solicitation through the parent, and keeps the answer
    /// (`resolve_ndp` of a sub-interface); no answer within `timeout` is
    /// an error, as for a pg interface.
    pub fn resolve_ndp(&self, t: &mut TestCase, timeout: std::time::Duration) -> TestResult<&Self> {
        tracing::info!(
            "Sending NDP request for {} on port {}",
            self.intf.local_ip6(),
            self.name()
        );
        let req = self.add_dot1_layer(self.intf.create_ndp_req(None));
        let mac = super::traffic::ndp_exchange(t, &self.parent, req, timeout)?;
        self.intf.set_local_mac(mac);
        Ok(self)
    }

    /// VPP's `sw_if_index` of the sub-interface.
    pub fn sw_if_index(&self) -> u32 {
        self.sw_if_index
    }

    /// `<parent>.<sub_id>`, as VPP names it.
    pub fn name(&self) -> String {
        format!("{}.{}", self.parent.name(), self.sub_id)
    }

    /// Its tags.
    pub fn tags(&self) -> Tags {
        self.tags
    }

    /// Sets the VLAN tag rewrite (`set_vtr`): `tag1`, `tag2` as VPP takes
    /// them for the operation.
    pub fn set_vtr(
        &self,
        t: &mut TestCase,
        op: VtrOp,
        push_dot1q: u32,
        tag1: u32,
        tag2: u32,
    ) -> TestResult<&Self> {
        t.api().request(&L2InterfaceVlanTagRewrite {
            sw_if_index: self.sw_if_index,
            vtr_op: op as u32,
            push_dot1q,
            tag1,
            tag2,
        })?;
        Ok(self)
    }

    /// Sets the sub-interface admin up.
    pub fn admin_up(&self, t: &mut TestCase) -> TestResult<&Self> {
        t.api().request(&SwInterfaceSetFlags {
            sw_if_index: self.sw_if_index,
            flags: IfStatusFlags::ADMIN_UP,
        })?;
        Ok(self)
    }

    /// Deletes the sub-interface (`remove_vpp_config`).
    pub fn delete(&self, t: &mut TestCase) -> TestResult {
        t.api().request(&DeleteSubif {
            sw_if_index: self.sw_if_index,
        })?;
        Ok(())
    }

    /// `p` with the sub-interface's tags after its Ethernet header
    /// (`add_dot1_layer`): the tags carry the old EtherType on.
    pub fn add_dot1_layer(&self, p: Packet) -> Packet {
        match self.tags {
            Tags::Dot1Q { vlan } => add_tag(p, vlan, DOT1Q_TYPE),
            Tags::Dot1AD { outer, inner } => {
                add_tag(add_tag(p, inner, DOT1Q_TYPE), outer, DOT1AD_TYPE)
            }
        }
    }

    /// `p` without the sub-interface's tags (`remove_dot1_layer`); an error
    /// if they are not there as expected.
    pub fn remove_dot1_layer(&self, p: Packet) -> TestResult<Packet> {
        match self.tags {
            Tags::Dot1Q { vlan } => remove_tag(p, vlan, DOT1Q_TYPE),
            Tags::Dot1AD { outer, inner } => {
                remove_tag(remove_tag(p, outer, DOT1AD_TYPE)?, inner, DOT1Q_TYPE)
            }
        }
    }
}

/// Inserts a tag right after the Ethernet header; the tag carries the old
/// EtherType and the Ethernet header gets `tag_type` (scapy's layer for an
/// 802.1ad tag here is `Dot1Q`, as in VPP's framework).
fn add_tag(p: Packet, vlan: u16, tag_type: u16) -> Packet {
    let mut layers = p.layers().to_vec();
    let Some(Layer::Ether(eth)) = layers.first_mut() else {
        return p;
    };
    let old = eth.ty;
    eth.ty = Some(tag_type);
    let tag = Dot1Q {
        vlan,
        ty: old,
        ..Dot1Q::default()
    };
    layers.insert(1, Layer::Dot1Q(tag));
    Packet::from_layers(layers)
}

/// Takes the tag after the Ethernet header off, checking the Ethernet
/// header's EtherType (`tag_type`) and the tag's VLAN; the Ethernet header
/// gets the tag's EtherType (`_remove_tag` of VPP's tests).
pub fn remove_tag(p: Packet, vlan: u16, tag_type: u16) -> TestResult<Packet> {
    let mut layers = p.layers().to_vec();
    let (eth_ty, tag) = match (layers.first(), layers.get(1)) {
        (Some(Layer::Ether(e)), Some(Layer::Dot1Q(t))) => (e.ty, t.clone()),
        (Some(Layer::Ether(e)), Some(Layer::Dot1AD(t))) => (
            e.ty,
            Dot1Q {
                prio: t.prio,
                dei: t.dei,
                vlan: t.vlan,
                ty: t.ty,
            },
        ),
        _ => return Err(format!("no tag after the Ethernet header:\n{}", p.show()).into()),
    };
    if eth_ty != Some(tag_type) {
        return Err(format!(
            "the Ethernet header's type is {eth_ty:x?}, expected {tag_type:#x}:\n{}",
            p.show()
        )
        .into());
    }
    if tag.vlan != vlan {
        return Err(format!(
            "the tag's VLAN is {}, expected {vlan}:\n{}",
            tag.vlan,
            p.show()
        )
        .into());
    }
    layers.remove(1);
    if let Some(Layer::Ether(eth)) = layers.first_mut() {
        *eth = Ether {
            ty: tag.ty,
            ..eth.clone()
        };
    }
    Ok(Packet::from_layers(layers))
}

impl std::fmt::Display for SubInterface {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

impl crate::objects::VppObject for SubInterface {
    /// A sub-interface is made by [`SubInterface::dot1q`] or
    /// [`SubInterface::dot1ad`], which learn its index.
    fn add_vpp_config(&mut self, _api: &mut asf_core::api::client::ApiClient) -> TestResult {
        Err("a sub-interface is created with SubInterface::dot1q or ::dot1ad".into())
    }

    fn remove_vpp_config(&self, api: &mut asf_core::api::client::ApiClient) -> TestResult {
        api.request(&DeleteSubif {
            sw_if_index: self.sw_if_index,
        })?;
        Ok(())
    }

    fn query_vpp_config(&self, api: &mut asf_core::api::client::ApiClient) -> TestResult<bool> {
        let d = api.dump(&crate::api::interface::SwInterfaceDump {
            sw_if_index: self.sw_if_index,
            ..Default::default()
        })?;
        Ok(d.iter().any(|i| i.sw_if_index == self.sw_if_index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asf_packet::{Ipv4, Udp};

    #[test]
    fn tags_go_on_and_come_off_as_vpps_framework_puts_them() {
        let p = Ether::default() / Ipv4::default() / Udp::default();
        let q = add_tag(add_tag(p.clone(), 300, DOT1Q_TYPE), 200, DOT1AD_TYPE);
        let back = Packet::ether(&q.build());
        assert_eq!(back.get::<Ether>().unwrap().ty, Some(DOT1AD_TYPE));
        // An 0x88a8 frame dissects with an 802.1ad outer tag.
        assert_eq!(back.get::<asf_packet::Dot1AD>().unwrap().vlan, 200);
        assert_eq!(back.get::<Dot1Q>().unwrap().vlan, 300);
        let inner = remove_tag(back, 200, DOT1AD_TYPE).unwrap();
        let plain = remove_tag(inner, 300, DOT1Q_TYPE).unwrap();
        assert_eq!(plain.build(), Packet::ether(&p.build()).build());
        let one = Packet::ether(&add_tag(p, 100, DOT1Q_TYPE).build());
        assert!(remove_tag(one.clone(), 101, DOT1Q_TYPE)
            .unwrap_err()
            .to_string()
            .contains("VLAN is 100"));
        assert!(remove_tag(one, 100, DOT1AD_TYPE)
            .unwrap_err()
            .to_string()
            .contains("expected 0x88a8"));
    }
}
