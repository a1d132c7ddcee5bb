//! Tunnels (`vpp_gre_interface.py`, `vpp_vxlan_tunnel.py`,
//! `vpp_mpls_tunnel_interface.py`), TEIB entries (`vpp_teib.py`) and SPAN
//! mirrors. A tunnel learns its `sw_if_index` when added;
//! [`crate::pg::interface_of`] gives the handle to configure it
//! (`config_ip4`, `admin_up`) as a Python test does on the object itself.

use std::fmt;
use std::net::IpAddr;

use super::ip::RoutePath;
use super::object::{AddDel, VppObject};
use crate::api::gre::{
    GreTunnelAddDelV2, GreTunnelAddDelV2Reply, GreTunnelType, GreTunnelV2, GreTunnelV2Dump,
    TunnelEncapDecapFlags, TunnelMode,
};
use crate::api::mpls::{
    MplsTunnel as ApiMplsTunnel, MplsTunnelAddDel, MplsTunnelAddDelReply, MplsTunnelDump,
};
use crate::api::span::{SpanState, SwInterfaceSpanDump, SwInterfaceSpanEnableDisable};
use crate::api::teib::{TeibDump, TeibEntry, TeibEntryAddDel};
use crate::api::vxlan::{VxlanAddDelTunnelV3, VxlanAddDelTunnelV3Reply, VxlanTunnelV2Dump};
use asf_core::api::client::ApiClient;
use asf_core::case::TestResult;

/// A GRE tunnel (`VppGreInterface`): layer 3 (the default), transparent
/// Ethernet bridging or ERSPAN; point-to-point (the default) or
/// multipoint.
#[derive(Clone, Debug)]
pub struct GreTunnel {
    /// The outer source.
    pub src: IpAddr,
    /// The outer destination.
    pub dst: IpAddr,
    /// The table the outer packet is looked up in.
    pub outer_table_id: u32,
    /// L3, TEB or ERSPAN.
    pub tunnel_type: GreTunnelType,
    /// Point-to-point or multipoint.
    pub mode: TunnelMode,
    /// `TUNNEL_API_ENCAP_DECAP_FLAG_*` bits.
    pub flags: u8,
    /// ERSPAN session id.
    pub session_id: u16,
    /// The GRE key (0: none).
    pub key: u32,
    /// Its interface, once added (`u32::MAX` before).
    pub sw_if_index: u32,
}

impl GreTunnel {
    /// A layer-3 point-to-point tunnel from `src` to `dst`.
    pub fn new(src: impl Into<IpAddr>, dst: impl Into<IpAddr>) -> GreTunnel {
        GreTunnel {
            src: src.into(),
            dst: dst.into(),
            outer_table_id: 0,
            tunnel_type: GreTunnelType::L3,
            mode: TunnelMode::P2p,
            flags: 0,
            session_id: 0,
            key: 0,
            sw_if_index: u32::MAX,
        }
    }

    /// The same tunnel of another type (`GreTunnelType::Teb`, `::Erspan`).
    pub fn of_type(mut self, tunnel_type: GreTunnelType) -> GreTunnel {
        self.tunnel_type = tunnel_type;
        self
    }

    fn tunnel(&self) -> GreTunnelV2 {
        GreTunnelV2 {
            r#type: self.tunnel_type,
            mode: self.mode,
            flags: TunnelEncapDecapFlags::from_value(self.flags),
            session_id: self.session_id,
            instance: u32::MAX,
            outer_table_id: self.outer_table_id,
            sw_if_index: self.sw_if_index,
            src: self.src.into(),
            dst: self.dst.into(),
            key: self.key,
        }
    }
}

impl fmt::Display for GreTunnel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gre-{}", self.sw_if_index)
    }
}

impl AddDel for GreTunnel {
    type Request = GreTunnelAddDelV2;

    fn request(&self, is_add: bool) -> GreTunnelAddDelV2 {
        GreTunnelAddDelV2 {
            is_add,
            tunnel: self.tunnel(),
        }
    }

    fn added(&mut self, reply: &GreTunnelAddDelV2Reply) {
        self.sw_if_index = reply.sw_if_index;
    }

    /// The tunnel of its interface, with its ends, type and key.
    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&GreTunnelV2Dump {
            sw_if_index: self.sw_if_index,
        })?;
        Ok(found.iter().any(|d| {
            let t = &d.tunnel;
            t.sw_if_index == self.sw_if_index
                && t.src.ip() == self.src
                && t.dst.ip() == self.dst
                && t.r#type == self.tunnel_type
                && (self.key == 0 || t.key == self.key)
        }))
    }
}

/// VXLAN's UDP port, taken when a tunnel says 0.
pub const VXLAN_PORT: u16 = 4789;

/// A VXLAN tunnel (`VppVxlanTunnel`).
#[derive(Clone, Debug)]
pub struct VxlanTunnel {
    /// The outer source.
    pub src: IpAddr,
    /// The outer destination, perhaps multicast.
    pub dst: IpAddr,
    /// The VNI.
    pub vni: u32,
    /// The source port (0: 4789).
    pub src_port: u16,
    /// The destination port (0: 4789).
    pub dst_port: u16,
    /// The interface of a multicast destination (`u32::MAX`: none).
    pub mcast_sw_if_index: u32,
    /// The table of the outer packets.
    pub encap_vrf_id: u32,
    /// The graph node after decapsulation (`u32::MAX`: the default).
    pub decap_next_index: u32,
    /// An interface instance (`u32::MAX`: any).
    pub instance: u32,
    /// A layer-3 interface (no MAC).
    pub is_l3: bool,
    /// Its interface, once added (`u32::MAX` before).
    pub sw_if_index: u32,
}

impl VxlanTunnel {
    /// A tunnel from `src` to `dst` with this VNI, on port 4789.
    pub fn new(src: impl Into<IpAddr>, dst: impl Into<IpAddr>, vni: u32) -> VxlanTunnel {
        VxlanTunnel {
            src: src.into(),
            dst: dst.into(),
            vni,
            src_port: 0,
            dst_port: 0,
            mcast_sw_if_index: u32::MAX,
            encap_vrf_id: 0,
            decap_next_index: u32::MAX,
            instance: u32::MAX,
            is_l3: false,
            sw_if_index: u32::MAX,
        }
    }

    /// The same tunnel with both UDP ports `port`.
    pub fn with_port(mut self, port: u16) -> VxlanTunnel {
        self.src_port = port;
        self.dst_port = port;
        self
    }
}

impl fmt::Display for VxlanTunnel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "vxlan-{}-{}-{}-{}",
            self.sw_if_index, self.vni, self.src, self.dst
        )
    }
}

impl AddDel for VxlanTunnel {
    type Request = VxlanAddDelTunnelV3;

    fn request(&self, is_add: bool) -> VxlanAddDelTunnelV3 {
        VxlanAddDelTunnelV3 {
            is_add,
            instance: self.instance,
            src_address: self.src.into(),
            dst_address: self.dst.into(),
            src_port: self.src_port,
            dst_port: self.dst_port,
            mcast_sw_if_index: self.mcast_sw_if_index,
            encap_vrf_id: self.encap_vrf_id,
            decap_next_index: self.decap_next_index,
            vni: self.vni,
            is_l3: self.is_l3,
        }
    }

    fn added(&mut self, reply: &VxlanAddDelTunnelV3Reply) {
        self.sw_if_index = reply.sw_if_index;
    }

    /// A tunnel with its ends, ports and VNI (`find_vxlan_tunnel`).
    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let or_default = |p: u16| if p == 0 { VXLAN_PORT } else { p };
        let found = api.dump(&VxlanTunnelV2Dump {
            sw_if_index: u32::MAX,
        })?;
        Ok(found.iter().any(|d| {
            d.src_address.ip() == self.src
                && d.dst_address.ip() == self.dst
                && d.src_port == or_default(self.src_port)
                && d.dst_port == or_default(self.dst_port)
                && d.vni == self.vni
        }))
    }
}

/// A SPAN mirror (`sw_interface_span_enable_disable`): what `from`
/// receives, sends or both is copied to `to`, at the device or in L2.
#[derive(Clone, Debug)]
pub struct Span {
    /// The mirrored interface.
    pub from: u32,
    /// Where the copies go.
    pub to: u32,
    /// Rx, Tx or both.
    pub state: SpanState,
    /// Mirror in L2 rather than at the device.
    pub is_l2: bool,
}

impl Span {
    /// Mirrors what `from` receives to `to`, at the device.
    pub fn new(from: u32, to: u32) -> Span {
        Span {
            from,
            to,
            state: SpanState::Rx,
            is_l2: false,
        }
    }

    /// The same, in L2.
    pub fn l2(mut self) -> Span {
        self.is_l2 = true;
        self
    }

    /// The same, for these directions.
    pub fn state(mut self, state: SpanState) -> Span {
        self.state = state;
        self
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.is_l2 { "l2" } else { "device" };
        write!(f, "span-{at}-{}-{}", self.from, self.to)
    }
}

impl AddDel for Span {
    type Request = SwInterfaceSpanEnableDisable;

    fn request(&self, is_add: bool) -> SwInterfaceSpanEnableDisable {
        SwInterfaceSpanEnableDisable {
            sw_if_index_from: self.from,
            sw_if_index_to: self.to,
            state: if is_add {
                self.state
            } else {
                SpanState::Disabled
            },
            is_l2: self.is_l2,
        }
    }

    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&SwInterfaceSpanDump { is_l2: self.is_l2 })?;
        Ok(found
            .iter()
            .any(|d| d.sw_if_index_from == self.from && d.sw_if_index_to == self.to))
    }
}

/// An MPLS tunnel (`VppMPLSTunnelInterface`): an interface whose packets
/// take its paths, with their labels.
#[derive(Clone, Debug)]
pub struct MplsTunnel {
    /// The paths.
    pub paths: Vec<RoutePath>,
    /// Multicast.
    pub is_multicast: bool,
    /// Carries L2 frames only.
    pub l2_only: bool,
    /// Its interface, once added (`u32::MAX` before).
    pub sw_if_index: u32,
    /// Its tunnel index, once added.
    pub tunnel_index: u32,
}

impl MplsTunnel {
    /// A unicast L3 tunnel over `paths`.
    pub fn new(paths: impl IntoIterator<Item = RoutePath>) -> MplsTunnel {
        MplsTunnel {
            paths: paths.into_iter().collect(),
            is_multicast: false,
            l2_only: false,
            sw_if_index: u32::MAX,
            tunnel_index: u32::MAX,
        }
    }
}

impl fmt::Display for MplsTunnel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mpls-tunnel{}-{}", self.tunnel_index, self.sw_if_index)
    }
}

impl AddDel for MplsTunnel {
    type Request = MplsTunnelAddDel;

    fn request(&self, is_add: bool) -> MplsTunnelAddDel {
        MplsTunnelAddDel {
            mt_is_add: is_add,
            mt_tunnel: ApiMplsTunnel {
                mt_sw_if_index: self.sw_if_index,
                mt_l2_only: self.l2_only,
                mt_is_multicast: self.is_multicast,
                mt_paths: self.paths.iter().map(RoutePath::encode).collect(),
                ..ApiMplsTunnel::default()
            },
        }
    }

    fn added(&mut self, reply: &MplsTunnelAddDelReply) {
        self.sw_if_index = reply.sw_if_index;
        self.tunnel_index = reply.tunnel_index;
    }

    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&MplsTunnelDump {
            sw_if_index: u32::MAX,
        })?;
        Ok(found.iter().any(|d| {
            d.mt_tunnel.mt_sw_if_index == self.sw_if_index
                && d.mt_tunnel.mt_tunnel_index == self.tunnel_index
        }))
    }
}

/// A TEIB entry (`VppTeib`): the peer `peer` of a multipoint tunnel is
/// reached at `nh` in table `nh_table_id`.
#[derive(Clone, Debug)]
pub struct Teib {
    /// The tunnel's interface.
    pub sw_if_index: u32,
    /// The peer's overlay address.
    pub peer: IpAddr,
    /// Its underlay address.
    pub nh: IpAddr,
    /// The underlay table.
    pub nh_table_id: u32,
}

impl Teib {
    /// `peer` on the tunnel `sw_if_index` is at `nh` in table 0.
    pub fn new(sw_if_index: u32, peer: impl Into<IpAddr>, nh: impl Into<IpAddr>) -> Teib {
        Teib {
            sw_if_index,
            peer: peer.into(),
            nh: nh.into(),
            nh_table_id: 0,
        }
    }
}

impl fmt::Display for Teib {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "teib-{}-{}", self.sw_if_index, self.peer)
    }
}

impl AddDel for Teib {
    type Request = TeibEntryAddDel;

    fn request(&self, is_add: bool) -> TeibEntryAddDel {
        TeibEntryAddDel {
            is_add: u8::from(is_add),
            entry: TeibEntry {
                sw_if_index: self.sw_if_index,
                peer: self.peer.into(),
                nh: self.nh.into(),
                nh_table_id: self.nh_table_id,
            },
        }
    }

    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&TeibDump)?;
        Ok(found
            .iter()
            .any(|d| d.entry.sw_if_index == self.sw_if_index && d.entry.peer.ip() == self.peer))
    }
}

/// An IP-in-IP tunnel (`VppIpIpTunInterface`): point-to-point from `src`
/// to `dst`, its outer packets looked up in `table_id`.
#[derive(Clone, Debug)]
pub struct IpIpTunnel {
    /// The outer source.
    pub src: IpAddr,
    /// The outer destination.
    pub dst: IpAddr,
    /// The table the outer packet is looked up in.
    pub table_id: u32,
    /// Its interface, once added (`u32::MAX` before).
    pub sw_if_index: u32,
}

impl IpIpTunnel {
    /// A tunnel from `src` to `dst` in table 0.
    pub fn new(src: impl Into<IpAddr>, dst: impl Into<IpAddr>) -> IpIpTunnel {
        IpIpTunnel {
            src: src.into(),
            dst: dst.into(),
            table_id: 0,
            sw_if_index: u32::MAX,
        }
    }
}

impl fmt::Display for IpIpTunnel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ipip-{}", self.sw_if_index)
    }
}

impl VppObject for IpIpTunnel {
    fn add_vpp_config(&mut self, api: &mut ApiClient) -> TestResult {
        use crate::api::ipip::{IpipAddTunnel, IpipTunnel, TunnelMode as IpipMode};
        let r = api.request(&IpipAddTunnel {
            tunnel: IpipTunnel {
                instance: u32::MAX,
                src: self.src.into(),
                dst: self.dst.into(),
                table_id: self.table_id,
                mode: IpipMode::P2p,
                ..IpipTunnel::default()
            },
        })?;
        self.sw_if_index = r.sw_if_index;
        Ok(())
    }

    fn remove_vpp_config(&self, api: &mut ApiClient) -> TestResult {
        api.request(&crate::api::ipip::IpipDelTunnel {
            sw_if_index: self.sw_if_index,
        })?;
        Ok(())
    }

    /// The tunnel of its interface, with its ends.
    fn query_vpp_config(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&crate::api::ipip::IpipTunnelDump {
            sw_if_index: self.sw_if_index,
        })?;
        Ok(found.iter().any(|d| {
            d.tunnel.sw_if_index == self.sw_if_index
                && d.tunnel.src.ip() == self.src
                && d.tunnel.dst.ip() == self.dst
        }))
    }
}
