//! VPP objects a test configures (what `vpp_object.py`, `vpp_ip_route.py`
//! and `vpp_neighbor.py` give a Python test): each is a value that says
//! what it is, adds itself, removes itself at the test's tear-down, and can
//! say whether VPP has it.
//!
//! ```ignore
//! let route = objects::add(t, IpRoute::new("10.0.2.0/24", [RoutePath::via(nh, pg1.sw_if_index())])?)?;
//! assert!(route.query(t)?);
//! ```

mod acl;
pub mod classify;
mod ip;
mod l2;
mod loopback;
mod mpls;
mod object;
mod punt;
mod tunnel;

pub use acl::{Acl, AclInterface, AclRule, EtypeWhitelist, MacipAcl, MacipAclInterface, MacipRule};
pub use classify::{ClassifySession, ClassifyTable};
pub use ip::{
    find_nbr, find_route, route_v2_dump, Ip6LinkLocalAddress, Ip6NdProxy, IpInterfaceAddress,
    IpMRoute, IpPathMtu, IpRoute, IpRouteV2, IpTable, MRoutePath, MplsLabel, Neighbor, RoutePath,
};
pub use l2::{BridgeDomain, BridgeDomainPort, L2FibEntry, L2PortType, L2Xconnect};
pub use loopback::{create_loopback_interfaces, Loopback};
pub use mpls::{MplsIpBind, MplsRoute, MplsTable};
pub use object::{add, register, remove, AddDel, VppObject};
pub use punt::{IpPuntPolicer, IpPuntRedirect, Policer, PolicerAction, PolicerStats};
pub use tunnel::{GreTunnel, IpIpTunnel, MplsTunnel, Span, Teib, VxlanTunnel, VXLAN_PORT};
