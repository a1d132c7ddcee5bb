//! Sub-interfaces of a pg interface (`vpp_sub_interface.py`): 802.1Q and
//! 802.1ad (QinQ) sub-interfaces, and the tags a test adds to what it sends
//! through them and takes off what it receives.

use asf_packet::{Dot1Q, Ether, Layer, Packet};

use super::interface::PgInterface;
use crate::api::interface::{
    CreateSubif, CreateVlanSubif, DeleteSubif, IfStatusFlags, SubIfFlags, SwInterfaceSetFlags,
};
use crate::api::l2::L2InterfaceVlanTagRewrite;
use asf_core::case::{AssertionFailed, TestCase, TestResult};

/// The EtherType of an 802.1Q tag.
pub const DOT1Q_TYPE: u16 = 0x8100;
/// The EtherType of an 802.1ad service tag.
pub const DOT1AD_TYPE: u16 = 0x88a8;

/// VLAN tag rewrite operations (`L2_VTR_OP`); a [`Vtr`] carries one with
/// its tags.
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

/// A VLAN tag rewrite: an operation with the tags it uses, as VPP's
/// framework's `set_vtr(vtr, push1q=, tag=, inner=, outer=)` takes them.
/// The operations on one tag take `tag`; those that make two tags take
/// `outer` and `inner`; `push_dot1q` (Python's `push1q`) says whether the
/// tags pushed are 802.1Q (`true`, 0x8100) or 802.1ad (`false`, 0x88a8).
/// What an operation does not use is not sent, as in Python:
///
/// | Python | asf |
/// |---|---|
/// | `set_vtr(L2_VTR_OP.L2_POP_1)` | `set_vtr(t, Vtr::Pop1)` |
/// | `set_vtr(L2_VTR_OP.L2_PUSH_1, push1q=1, tag=100)` | `set_vtr(t, Vtr::Push1 { push_dot1q: true, tag: 100 })` |
/// | `set_vtr(L2_VTR_OP.L2_TRANSLATE_1_2, push1q=0, outer=200, inner=100)` | `set_vtr(t, Vtr::Translate1To2 { push_dot1q: false, outer: 200, inner: 100 })` |
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vtr {
    /// No rewrite (`L2_DISABLED`).
    Disabled,
    /// Push one tag (`L2_PUSH_1`).
    Push1 {
        /// 802.1Q rather than 802.1ad.
        push_dot1q: bool,
        /// The tag's VLAN.
        tag: u16,
    },
    /// Push two tags (`L2_PUSH_2`).
    Push2 {
        /// 802.1Q rather than 802.1ad for the outer tag.
        push_dot1q: bool,
        /// The outer tag's VLAN.
        outer: u16,
        /// The inner tag's VLAN.
        inner: u16,
    },
    /// Pop one tag (`L2_POP_1`).
    Pop1,
    /// Pop two tags (`L2_POP_2`).
    Pop2,
    /// Translate one tag to one (`L2_TRANSLATE_1_1`).
    Translate1To1 {
        /// 802.1Q rather than 802.1ad.
        push_dot1q: bool,
        /// The new tag's VLAN.
        tag: u16,
    },
    /// Translate one tag to two (`L2_TRANSLATE_1_2`).
    Translate1To2 {
        /// 802.1Q rather than 802.1ad for the outer tag.
        push_dot1q: bool,
        /// The outer tag's VLAN.
        outer: u16,
        /// The inner tag's VLAN.
        inner: u16,
    },
    /// Translate two tags to one (`L2_TRANSLATE_2_1`).
    Translate2To1 {
        /// 802.1Q rather than 802.1ad.
        push_dot1q: bool,
        /// The new tag's VLAN.
        tag: u16,
    },
    /// Translate two tags to two (`L2_TRANSLATE_2_2`).
    Translate2To2 {
        /// 802.1Q rather than 802.1ad for the outer tag.
        push_dot1q: bool,
        /// The outer tag's VLAN.
        outer: u16,
        /// The inner tag's VLAN.
        inner: u16,
    },
}

impl Vtr {
    /// Its operation.
    pub fn op(self) -> VtrOp {
        match self {
            Vtr::Disabled => VtrOp::Disabled,
            Vtr::Push1 { .. } => VtrOp::Push1,
            Vtr::Push2 { .. } => VtrOp::Push2,
            Vtr::Pop1 => VtrOp::Pop1,
            Vtr::Pop2 => VtrOp::Pop2,
            Vtr::Translate1To1 { .. } => VtrOp::Translate1To1,
            Vtr::Translate1To2 { .. } => VtrOp::Translate1To2,
            Vtr::Translate2To1 { .. } => VtrOp::Translate2To1,
            Vtr::Translate2To2 { .. } => VtrOp::Translate2To2,
        }
    }

    /// `l2_interface_vlan_tag_rewrite` for `sw_if_index`: `tag1` the tag
    /// or the outer tag, `tag2` the inner tag, as VPP's framework fills
    /// them.
    pub fn request(self, sw_if_index: u32) -> L2InterfaceVlanTagRewrite {
        let (push, tag1, tag2) = match self {
            Vtr::Disabled | Vtr::Pop1 | Vtr::Pop2 => (false, 0, 0),
            Vtr::Push1 { push_dot1q, tag }
            | Vtr::Translate1To1 { push_dot1q, tag }
            | Vtr::Translate2To1 { push_dot1q, tag } => (push_dot1q, tag, 0),
            Vtr::Push2 {
                push_dot1q,
                outer,
                inner,
            }
            | Vtr::Translate1To2 {
                push_dot1q,
                outer,
                inner,
            }
            | Vtr::Translate2To2 {
                push_dot1q,
                outer,
                inner,
            } => (push_dot1q, outer, inner),
        };
        L2InterfaceVlanTagRewrite {
            sw_if_index,
            vtr_op: self.op() as u32,
            push_dot1q: u32::from(push),
            tag1: u32::from(tag1),
            tag2: u32::from(tag2),
        }
    }
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
        sub.set_vtr(t, Vtr::Disabled)?;
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

    /// Sets the VLAN tag rewrite (`set_vtr`); see [`Vtr`] for how Python's
    /// arguments map.
    pub fn set_vtr(&self, t: &mut TestCase, vtr: Vtr) -> TestResult<&Self> {
        t.api().request(&vtr.request(self.sw_if_index))?;
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

/// `p` with a tag of `vlan` inserted right after its Ethernet header
/// (`_add_tag` of VPP's framework): the tag carries the frame's EtherType on
/// (scapy's: the next layer's, or 0x9000 for a frame with nothing after
/// its header) and the Ethernet header gets `tag_type` (`DOT1Q_TYPE`, or
/// `DOT1AD_TYPE` for an outer tag; scapy's layer for an 802.1ad tag here is
/// `Dot1Q`, as in VPP's framework). A packet that does not start with
/// Ethernet is returned as it is.
pub fn add_tag(p: Packet, vlan: u16, tag_type: u16) -> Packet {
    let mut layers = p.layers().to_vec();
    let bare = layers.len() == 1;
    let Some(Layer::Ether(eth)) = layers.first_mut() else {
        return p;
    };
    // An unset type follows the next layer at build time; with no next
    // layer, scapy's `packet.type` reads Ether's default.
    let old = eth.ty.or(bare.then_some(ETHER_DEFAULT_TYPE));
    eth.ty = Some(tag_type);
    let tag = Dot1Q {
        vlan,
        ty: old,
        ..Dot1Q::default()
    };
    layers.insert(1, Layer::Dot1Q(tag));
    Packet::from_layers(layers)
}

/// Scapy's `Ether.type` when nothing says otherwise (`LOOP`).
const ETHER_DEFAULT_TYPE: u16 = 0x9000;

/// An EtherType as failure text shows it: `0x8100`, or `None` when unset.
fn ethertype(ty: Option<u16>) -> String {
    ty.map_or_else(|| "None".into(), |t| format!("{t:#06x}"))
}

/// `p` without the tag after its Ethernet header, checking the Ethernet
/// header's EtherType (`tag_type`) and the tag's VLAN; the Ethernet header
/// gets the tag's EtherType (`_remove_tag` of VPP's framework). A packet
/// that is not so tagged is a failed check ([`AssertionFailed`]: a FAIL,
/// as Python's `assertEqual`), its text showing the packet.
pub fn remove_tag(p: Packet, vlan: u16, tag_type: u16) -> TestResult<Packet> {
    let mut layers = p.layers().to_vec();
    let fail = |what: String| -> TestResult<Packet> {
        Err(AssertionFailed::new(format!("{what}:\n{}", p.show())).into())
    };
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
        _ => return fail("no tag after the Ethernet header".into()),
    };
    if eth_ty != Some(tag_type) {
        return fail(format!(
            "the Ethernet header's type is {}, expected {}",
            ethertype(eth_ty),
            ethertype(Some(tag_type))
        ));
    }
    if tag.vlan != vlan {
        return fail(format!("the tag's VLAN is {}, expected {vlan}", tag.vlan));
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
    fn a_rewrite_sends_the_tags_as_vpps_framework_does() {
        let f = |v: Vtr| {
            let r = v.request(9);
            (r.sw_if_index, r.vtr_op, r.push_dot1q, r.tag1, r.tag2)
        };
        assert_eq!(f(Vtr::Disabled), (9, 0, 0, 0, 0));
        assert_eq!(
            f(Vtr::Push1 {
                push_dot1q: true,
                tag: 100
            }),
            (9, 1, 1, 100, 0)
        );
        let push2 = Vtr::Push2 {
            push_dot1q: false,
            outer: 200,
            inner: 100,
        };
        assert_eq!(f(push2), (9, 2, 0, 200, 100));
        assert_eq!(
            (f(Vtr::Pop1), f(Vtr::Pop2)),
            ((9, 3, 0, 0, 0), (9, 4, 0, 0, 0))
        );
        assert_eq!(
            f(Vtr::Translate1To1 {
                push_dot1q: true,
                tag: 7
            }),
            (9, 5, 1, 7, 0)
        );
        let t12 = Vtr::Translate1To2 {
            push_dot1q: true,
            outer: 300,
            inner: 400,
        };
        assert_eq!(f(t12), (9, 6, 1, 300, 400));
        assert_eq!(
            f(Vtr::Translate2To1 {
                push_dot1q: false,
                tag: 8
            }),
            (9, 7, 0, 8, 0)
        );
        let t22 = Vtr::Translate2To2 {
            push_dot1q: false,
            outer: 1,
            inner: 2,
        };
        assert_eq!(f(t22), (9, 8, 0, 1, 2));
    }

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
        let e = remove_tag(one, 100, DOT1AD_TYPE).unwrap_err();
        assert!(
            e.to_string().contains("type is 0x8100, expected 0x88a8"),
            "{e}"
        );
        assert!(AssertionFailed::is_in(&*e), "a mismatch is a failed check");
    }

    #[test]
    fn a_bare_frame_passes_its_type_to_the_tag_as_scapy_does() {
        // Ether(src=..., dst=...) with nothing after it: scapy's
        // `packet.type` is Ether's default, 0x9000, and the tag gets it.
        let bare = Packet::from(Ether::default());
        let tagged = add_tag(bare, 5, DOT1Q_TYPE);
        assert_eq!(tagged.get::<Dot1Q>().unwrap().ty, Some(0x9000));
        let bytes = tagged.build();
        assert_eq!(&bytes[12..18], &[0x81, 0x00, 0x00, 0x05, 0x90, 0x00]);
        // With a payload the tag's type follows it (0x800), as scapy's
        // overloaded `type` does; a type set by the test is kept.
        let ip = add_tag(Ether::default() / Ipv4::default(), 5, DOT1Q_TYPE);
        assert_eq!(&ip.build()[16..18], &[0x08, 0x00]);
        let set = Ether {
            ty: Some(0x1234),
            ..Ether::default()
        };
        let kept = add_tag(Packet::from(set), 5, DOT1AD_TYPE);
        assert_eq!(kept.get::<Dot1Q>().unwrap().ty, Some(0x1234));
        assert_eq!(kept.get::<Ether>().unwrap().ty, Some(DOT1AD_TYPE));
    }
}
