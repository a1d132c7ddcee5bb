//! IP objects: interface addresses, neighbours, tables, routes and their
//! paths (`vpp_ip_route.py`, `vpp_neighbor.py`).

use std::fmt;
use std::net::IpAddr;

use crate::api::interface::SwInterfaceAddDelAddress;
use crate::api::ip::{
    FibMplsLabel, FibPath, FibPathFlags, FibPathNh, FibPathNhProto, FibPathType, IpMrouteDetails,
    IpMrouteDump, IpPathMtu as ApiPathMtu, IpPathMtuDetails, IpPathMtuGet, IpPathMtuReplaceBegin,
    IpPathMtuReplaceEnd, IpPathMtuUpdate, IpRoute as ApiRoute, IpRouteAddDel, IpRouteDetails,
    IpRouteDump, IpRouteLookup, IpTable as ApiTable, IpTableAddDel, IpTableFlush,
    IpTableReplaceBegin, IpTableReplaceEnd,
};
use crate::api::ip_neighbor::{IpNeighbor, IpNeighborAddDel, IpNeighborDump, IpNeighborFlags};
use crate::api::ip_types::{AddressFamily, AddressUnion, Prefix};
use asf_core::api::client::ApiClient;
use asf_core::case::{TestCase, TestResult};

use super::object::AddDel;

fn prefix(s: &str) -> TestResult<Prefix> {
    Ok(s.parse().map_err(|e: String| format!("{s:?}: {e}"))?)
}

/// An address on an interface (`VppIpInterfaceAddress`).
#[derive(Clone, Debug)]
pub struct IpInterfaceAddress {
    /// The interface.
    pub sw_if_index: u32,
    /// The address and its length.
    pub prefix: Prefix,
}

impl IpInterfaceAddress {
    /// `address/len` on `sw_if_index`.
    pub fn new(sw_if_index: u32, address: &str, len: u8) -> TestResult<IpInterfaceAddress> {
        Ok(IpInterfaceAddress {
            sw_if_index,
            prefix: prefix(&format!("{address}/{len}"))?,
        })
    }

    /// Adds (`is_add`) or removes `address_len` ("10.10.10.10/16") on
    /// `sw_if_index` and registers nothing: VPP's framework's
    /// `vapi.sw_interface_add_del_address`, for a test that removes what it
    /// added itself.
    pub fn add_del(
        api: &mut ApiClient,
        sw_if_index: u32,
        address_len: &str,
        is_add: bool,
    ) -> TestResult {
        let a = IpInterfaceAddress {
            sw_if_index,
            prefix: prefix(address_len)?,
        };
        api.request(&a.request(is_add))?;
        Ok(())
    }
}

impl fmt::Display for IpInterfaceAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "interface-address-{}-{}", self.sw_if_index, self.prefix)
    }
}

impl AddDel for IpInterfaceAddress {
    type Request = SwInterfaceAddDelAddress;

    fn request(&self, is_add: bool) -> Self::Request {
        SwInterfaceAddDelAddress {
            sw_if_index: self.sw_if_index,
            is_add,
            del_all: false,
            prefix: self.prefix.clone(),
        }
    }

    /// The interface has the address, and the table its connected and
    /// local routes (VPP's framework's three checks).
    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let ip = self.prefix.address.ip();
        let found = api.dump(&crate::api::ip::IpAddressDump {
            sw_if_index: self.sw_if_index,
            is_ipv6: ip.is_ipv6(),
        })?;
        let has = found.iter().any(|d| {
            d.sw_if_index == self.sw_if_index
                && d.prefix.address.ip() == ip
                && d.prefix.len == self.prefix.len
        });
        let host_len = if ip.is_ipv4() { 32 } else { 128 };
        let host = Prefix {
            address: ip.into(),
            len: host_len,
        };
        let net = find_route(api, 0, &network(&self.prefix), false)?;
        let local = find_route(api, 0, &host, false)?;
        tracing::debug!("{self}: address {has}, connected route {net}, local route {local}");
        Ok(has && net && local)
    }
}

/// A static neighbour (`VppNeighbor`).
#[derive(Clone, Debug)]
pub struct Neighbor {
    /// The interface.
    pub sw_if_index: u32,
    /// Its MAC.
    pub mac: [u8; 6],
    /// Its address.
    pub ip: IpAddr,
    /// Static rather than dynamic (learnt entries are dynamic; a link
    /// going down flushes them).
    pub is_static: bool,
    /// No FIB entry for the address (`is_no_fib_entry`).
    pub no_fib_entry: bool,
    /// Its adjacency's index in `/net/adjacency`, once added.
    pub stats_index: u32,
}

impl Neighbor {
    /// `ip` at `mac` on `sw_if_index`, dynamic, as `VppNeighbor` makes it.
    pub fn new(sw_if_index: u32, mac: &str, ip: &str) -> TestResult<Neighbor> {
        Ok(Neighbor {
            sw_if_index,
            mac: asf_core::api::values::mac_pton(mac)?,
            ip: ip.parse().map_err(|e| format!("{ip:?}: {e}"))?,
            is_static: false,
            no_fib_entry: false,
            stats_index: u32::MAX,
        })
    }

    /// The same neighbour, static (`is_static=1`).
    pub fn static_entry(mut self) -> Neighbor {
        self.is_static = true;
        self
    }

    /// What its adjacency counted (`get_stats`; `adj counters enable`
    /// first).
    pub fn stats(&self, t: &mut TestCase) -> TestResult<asf_core::stats::Combined> {
        route_counter(t, "/net/adjacency", self.stats_index)
    }
}

/// Whether VPP has a neighbour for `ip` on `sw_if_index`, static or not
/// as asked, with `mac` if given (`find_nbr`).
pub fn find_nbr(
    api: &mut ApiClient,
    sw_if_index: u32,
    ip: IpAddr,
    is_static: bool,
    mac: Option<[u8; 6]>,
) -> TestResult<bool> {
    let af = if ip.is_ipv4() {
        AddressFamily::Ip4
    } else {
        AddressFamily::Ip6
    };
    let found = api.dump(&IpNeighborDump { sw_if_index, af })?;
    Ok(found.iter().any(|d| {
        let n = &d.neighbor;
        n.sw_if_index == sw_if_index
            && n.ip_address.ip() == ip
            && (n.flags.value() & 1 == 1) == is_static
            && mac.is_none_or(|m| m == n.mac_address)
    }))
}

impl fmt::Display for Neighbor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "neighbor-{}-{}", self.sw_if_index, self.ip)
    }
}

impl AddDel for Neighbor {
    type Request = IpNeighborAddDel;

    fn request(&self, is_add: bool) -> Self::Request {
        IpNeighborAddDel {
            is_add,
            neighbor: IpNeighbor {
                sw_if_index: self.sw_if_index,
                flags: IpNeighborFlags::from_value(
                    u8::from(self.is_static) | u8::from(self.no_fib_entry) << 1,
                ),
                mac_address: self.mac,
                ip_address: self.ip.into(),
            },
        }
    }

    fn added(&mut self, reply: &crate::api::ip_neighbor::IpNeighborAddDelReply) {
        self.stats_index = reply.stats_index;
    }

    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let af = if self.ip.is_ipv4() {
            AddressFamily::Ip4
        } else {
            AddressFamily::Ip6
        };
        let found = api.dump(&IpNeighborDump {
            sw_if_index: self.sw_if_index,
            af,
        })?;
        Ok(found
            .iter()
            .any(|d| d.neighbor.ip_address.ip() == self.ip && d.neighbor.mac_address == self.mac))
    }
}

/// An IP table (`VppIpTable`).
#[derive(Clone, Debug)]
pub struct IpTable {
    /// Its id.
    pub table_id: u32,
    /// IPv6 rather than IPv4.
    pub is_ip6: bool,
}

impl fmt::Display for IpTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "table-{}-{}",
            if self.is_ip6 { "ip6" } else { "ip4" },
            self.table_id
        )
    }
}

impl AddDel for IpTable {
    type Request = IpTableAddDel;

    fn request(&self, is_add: bool) -> Self::Request {
        IpTableAddDel {
            is_add,
            table: self.api_table(),
        }
    }

    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let any: Prefix = prefix(if self.is_ip6 { "::/0" } else { "0.0.0.0/0" })?;
        let r = api.expect(asf_core::api::client::Expect::Any, |api| {
            api.request(&IpRouteLookup {
                table_id: self.table_id,
                exact: 1,
                prefix: any,
            })
        })?;
        Ok(r.retval == 0)
    }
}

impl IpTable {
    fn api_table(&self) -> ApiTable {
        ApiTable {
            table_id: self.table_id,
            is_ip6: self.is_ip6,
            ..ApiTable::default()
        }
    }

    /// Marks every route of the table stale (`replace_begin`): those not
    /// added again before [`IpTable::replace_end`] go then.
    pub fn replace_begin(&self, api: &mut ApiClient) -> TestResult {
        api.request(&IpTableReplaceBegin {
            table: self.api_table(),
        })?;
        Ok(())
    }

    /// Removes the routes still stale since [`IpTable::replace_begin`]
    /// (`replace_end`).
    pub fn replace_end(&self, api: &mut ApiClient) -> TestResult {
        api.request(&IpTableReplaceEnd {
            table: self.api_table(),
        })?;
        Ok(())
    }

    /// Removes every route the API added to the table (`flush`).
    pub fn flush(&self, api: &mut ApiClient) -> TestResult {
        api.request(&IpTableFlush {
            table: self.api_table(),
        })?;
        Ok(())
    }

    /// The table's routes (`dump`).
    pub fn dump(&self, api: &mut ApiClient) -> TestResult<Vec<IpRouteDetails>> {
        Ok(api.dump(&IpRouteDump {
            table: self.api_table(),
        })?)
    }

    /// The table's multicast routes (`mdump`).
    pub fn mdump(&self, api: &mut ApiClient) -> TestResult<Vec<IpMrouteDetails>> {
        Ok(api.dump(&IpMrouteDump {
            table: self.api_table(),
        })?)
    }
}

/// A path of a route (`VppRoutePath`): through a next hop on an interface.
#[derive(Clone, Debug)]
pub struct RoutePath {
    /// The next hop (unspecified: none).
    pub nh: IpAddr,
    /// The interface (`u32::MAX`: resolved through the next hop).
    pub sw_if_index: u32,
    /// The table the next hop is looked up in.
    pub nh_table_id: u32,
    /// Normal, drop, local …
    pub path_type: FibPathType,
    /// The labels pushed on the way out, outermost first.
    pub labels: Vec<MplsLabel>,
    /// Resolve through this local label rather than an address
    /// (`nh_via_label`).
    pub via_label: Option<u32>,
    /// `FIB_PATH_FLAG_*` bits: 1 resolve via attached, 2 resolve via host,
    /// 4 pop the pseudo-wire control word.
    pub flags: u8,
    /// The next hop's protocol when it is not the address's family
    /// (Ethernet for an L2 interface-rx path).
    pub proto: Option<FibPathNhProto>,
    /// RPF id (a multicast label's path).
    pub rpf_id: u32,
}

/// An MPLS label a path pushes (`VppMplsLabel`): pipe mode, TTL 64 and
/// EXP 0 unless set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MplsLabel {
    /// The label.
    pub label: u32,
    /// Uniform mode (the TTL and EXP come from the packet) rather than
    /// pipe.
    pub uniform: bool,
    /// Its TTL.
    pub ttl: u8,
    /// Its EXP bits.
    pub exp: u8,
}

impl MplsLabel {
    /// `label` in pipe mode, TTL 64, EXP 0.
    pub fn new(label: u32) -> MplsLabel {
        MplsLabel {
            label,
            uniform: false,
            ttl: 64,
            exp: 0,
        }
    }

    /// `label` as a bare number in a Python path's `labels`: TTL 255.
    pub fn bare(label: u32) -> MplsLabel {
        MplsLabel {
            ttl: 255,
            ..MplsLabel::new(label)
        }
    }

    /// The same label in uniform mode (`MplsLspMode.UNIFORM`).
    pub fn uniform(mut self) -> MplsLabel {
        self.uniform = true;
        self
    }

    /// The same label with this TTL.
    pub fn ttl(mut self, ttl: u8) -> MplsLabel {
        self.ttl = ttl;
        self
    }

    /// The same label with these EXP bits.
    pub fn exp(mut self, exp: u8) -> MplsLabel {
        self.exp = exp;
        self
    }
}

impl RoutePath {
    /// Through `nh` on `sw_if_index`.
    pub fn via(nh: IpAddr, sw_if_index: u32) -> RoutePath {
        RoutePath {
            nh,
            sw_if_index,
            nh_table_id: 0,
            path_type: FibPathType::Normal,
            labels: Vec::new(),
            via_label: None,
            flags: 0,
            proto: None,
            rpf_id: 0,
        }
    }

    /// Through local label `label` (`VppRoutePath("0.0.0.0", 0xffffffff,
    /// nh_via_label=label)`).
    pub fn via_label(label: u32) -> RoutePath {
        RoutePath {
            via_label: Some(label),
            ..RoutePath::via(std::net::Ipv4Addr::UNSPECIFIED.into(), u32::MAX)
        }
    }

    /// The same path of another type (`FibPathType::InterfaceRx`).
    pub fn of_type(mut self, path_type: FibPathType) -> RoutePath {
        self.path_type = path_type;
        self
    }

    /// The same path, pushing `labels` (outermost first; at most 16).
    pub fn with_labels(mut self, labels: impl IntoIterator<Item = MplsLabel>) -> RoutePath {
        self.labels = labels.into_iter().collect();
        self
    }

    /// A path that drops (`FIB_PATH_TYPE_DROP`), of `family`'s unspecified
    /// address.
    pub fn drop(family: IpAddr) -> RoutePath {
        let any: IpAddr = match family {
            IpAddr::V4(_) => std::net::Ipv4Addr::UNSPECIFIED.into(),
            IpAddr::V6(_) => std::net::Ipv6Addr::UNSPECIFIED.into(),
        };
        RoutePath {
            path_type: FibPathType::Drop,
            ..RoutePath::via(any, u32::MAX)
        }
    }

    pub(crate) fn encode(&self) -> FibPath {
        let (proto, address) = match (self.via_label, self.nh) {
            (Some(_), _) => (FibPathNhProto::Mpls, AddressUnion::default()),
            (None, IpAddr::V4(a)) => (FibPathNhProto::Ip4, AddressUnion::from_ip4(&a.octets())),
            (None, IpAddr::V6(a)) => (FibPathNhProto::Ip6, AddressUnion::from_ip6(&a.octets())),
        };
        let proto = self.proto.unwrap_or(proto);
        FibPath {
            sw_if_index: self.sw_if_index,
            table_id: self.nh_table_id,
            rpf_id: self.rpf_id,
            weight: 1,
            preference: 0,
            r#type: self.path_type,
            flags: FibPathFlags::from_value(self.flags.into()),
            proto,
            nh: FibPathNh {
                address,
                // MPLS_LABEL_INVALID: not through a label.
                via_label: self.via_label.unwrap_or(0x10_0000),
                obj_id: u32::MAX,
                classify_table_index: u32::MAX,
            },
            n_labels: self.labels.len() as u8,
            label_stack: std::array::from_fn(|i| {
                self.labels
                    .get(i)
                    .map_or_else(FibMplsLabel::default, |l| FibMplsLabel {
                        is_uniform: u8::from(l.uniform),
                        label: l.label,
                        ttl: l.ttl,
                        exp: l.exp,
                    })
            }),
        }
    }
}

/// A route (`VppIpRoute`).
#[derive(Clone, Debug)]
pub struct IpRoute {
    /// The table.
    pub table_id: u32,
    /// The destination.
    pub prefix: Prefix,
    /// The paths.
    pub paths: Vec<RoutePath>,
    /// Its index in the route counters, once added.
    pub stats_index: u32,
}

impl IpRoute {
    /// A route to `dst` (`10.0.2.0/24`) in table 0.
    pub fn new(dst: &str, paths: impl IntoIterator<Item = RoutePath>) -> TestResult<IpRoute> {
        Ok(IpRoute {
            table_id: 0,
            prefix: prefix(dst)?,
            paths: paths.into_iter().collect(),
            stats_index: u32::MAX,
        })
    }

    /// The same route in table `table_id`.
    pub fn in_table(mut self, table_id: u32) -> IpRoute {
        self.table_id = table_id;
        self
    }

    /// Whether `dump` (of [`IpTable::dump`]) has the route, with as many
    /// paths (`find_route_in_dump`).
    pub fn in_dump(&self, dump: &[IpRouteDetails]) -> bool {
        dump.iter().any(|d| {
            d.route.table_id == self.table_id
                && same_network(&d.route.prefix, &self.prefix)
                && d.route.paths.len() == self.paths.len()
        })
    }

    /// What traffic to the route has counted (`get_stats_to`).
    pub fn stats_to(&self, t: &mut TestCase) -> TestResult<asf_core::stats::Combined> {
        route_counter(t, "/net/route/to", self.stats_index)
    }

    /// What traffic through the route has counted (`get_stats_via`).
    pub fn stats_via(&self, t: &mut TestCase) -> TestResult<asf_core::stats::Combined> {
        route_counter(t, "/net/route/via", self.stats_index)
    }
}

/// `prefix` with its host bits cleared (`10.10.10.0/24` of
/// `10.10.10.10/24`).
fn network(prefix: &Prefix) -> Prefix {
    let len = u32::from(prefix.len);
    let address: IpAddr = match prefix.address.ip() {
        IpAddr::V4(a) => {
            let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            std::net::Ipv4Addr::from(u32::from(a) & mask).into()
        }
        IpAddr::V6(a) => {
            let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
            std::net::Ipv6Addr::from(u128::from(a) & mask).into()
        }
    };
    Prefix {
        address: address.into(),
        len: prefix.len,
    }
}

/// Whether table `table_id` has an entry for the network of `prefix` in
/// its route dump (`find_route`); with `ignore_default_route`, not an entry whose one
/// path drops (a default or special route of the table).
pub fn find_route(
    api: &mut ApiClient,
    table_id: u32,
    prefix: &Prefix,
    ignore_default_route: bool,
) -> TestResult<bool> {
    let found = api.dump(&IpRouteDump {
        table: ApiTable {
            table_id,
            is_ip6: matches!(prefix.address.af, AddressFamily::Ip6),
            ..ApiTable::default()
        },
    })?;
    Ok(found.iter().any(|d| {
        let r = &d.route;
        let only_drop = r.paths.len() == 1 && r.paths[0].r#type == FibPathType::Drop;
        r.table_id == table_id
            && same_network(&r.prefix, prefix)
            && !(ignore_default_route && only_drop)
    }))
}

/// Whether two prefixes are the same network, as VPP's Python client
/// reads prefixes: VPP dumps a connected route with the interface
/// address's host bits (10.11.0.1/24), and only the family's bytes of the
/// address union count.
fn same_network(a: &Prefix, b: &Prefix) -> bool {
    let (a, b) = (network(a), network(b));
    a.address.ip() == b.address.ip() && a.len == b.len
}

/// Cell `stats_index` of a route counter, summed over threads.
pub(crate) fn route_counter(
    t: &mut TestCase,
    counter: &str,
    stats_index: u32,
) -> TestResult<asf_core::stats::Combined> {
    if stats_index == u32::MAX {
        return Err(
            format!("{counter}: the route has no stats index (added with objects::add?)").into(),
        );
    }
    Ok(t.get_counter(counter)?.combined_index(stats_index as usize))
}

impl fmt::Display for IpRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.table_id, self.prefix)
    }
}

impl AddDel for IpRoute {
    type Request = IpRouteAddDel;

    /// Adding replaces the route's paths with these (as adding again after
    /// changing `paths` does: `modify`); removing takes the whole route
    /// (no paths), whatever paths it has now.
    fn request(&self, is_add: bool) -> Self::Request {
        let paths = if is_add {
            self.paths.iter().map(RoutePath::encode).collect()
        } else {
            Vec::new()
        };
        IpRouteAddDel {
            is_add,
            is_multipath: false,
            route: ApiRoute {
                table_id: self.table_id,
                prefix: self.prefix.clone(),
                paths,
                ..ApiRoute::default()
            },
        }
    }

    fn added(&mut self, reply: &crate::api::ip::IpRouteAddDelReply) {
        self.stats_index = reply.stats_index;
    }

    /// In the table's route dump (`find_route` with
    /// `ignore_default_route`): an entry whose one path drops is there for
    /// the FIB's sake (a tunnel's tracked destination under a drop route),
    /// not as this route, unless this route drops.
    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let drops = self.paths.iter().any(|p| p.path_type == FibPathType::Drop);
        find_route(api, self.table_id, &self.prefix, !drops)
    }
}

/// A path of a multicast route (`VppMRoutePath`): an interface and its
/// `MFIB_API_ITF_FLAG_*` bits (1 negate-signal, 2 accept, 4 forward, 8
/// signal-present, 16 don't-preserve).
#[derive(Clone, Debug)]
pub struct MRoutePath {
    /// The interface.
    pub sw_if_index: u32,
    /// The flags.
    pub itf_flags: u32,
}

/// A multicast route (`VppIpMRoute`): (source, group/length) in a table.
#[derive(Clone, Debug)]
pub struct IpMRoute {
    /// The table.
    pub table_id: u32,
    /// The source (unspecified: `*`).
    pub src: IpAddr,
    /// The group.
    pub grp: IpAddr,
    /// The group's prefix length.
    pub grp_len: u16,
    /// `MFIB_API_ENTRY_FLAG_*` bits.
    pub entry_flags: u32,
    /// RPF id.
    pub rpf_id: u32,
    /// The paths.
    pub paths: Vec<MRoutePath>,
}

impl IpMRoute {
    /// Sets the entry's RPF id (`update_rpf_id`): the entry is added again
    /// with no paths, which keeps them.
    pub fn update_rpf_id(&mut self, t: &mut TestCase, rpf_id: u32) -> TestResult {
        self.rpf_id = rpf_id;
        let mut route = self.encode();
        route.paths.clear();
        t.api().request(&crate::api::ip::IpMrouteAddDel {
            is_add: true,
            is_multipath: true,
            route,
        })?;
        Ok(())
    }

    /// Whether `dump` (of [`IpTable::mdump`]) has the entry
    /// (`find_mroute_in_dump`).
    pub fn in_dump(&self, dump: &[IpMrouteDetails]) -> bool {
        let want = self.encode().prefix;
        // Only the family's bytes of an address union mean anything; an
        // (S,G) entry comes back with the source's bits in the length
        // (232.1.1.1/32 from 1.1.1.1: 64).
        let n = if self.grp.is_ipv6() { 16 } else { 4 };
        let len = if self.src.is_unspecified() {
            want.grp_address_length
        } else {
            want.grp_address_length + 8 * n as u16
        };
        dump.iter().any(|d| {
            let p = &d.route.prefix;
            d.route.table_id == self.table_id
                && p.grp_address_length == len
                && p.grp_address.0[..n] == want.grp_address.0[..n]
                && p.src_address.0[..n] == want.src_address.0[..n]
        })
    }

    fn encode(&self) -> crate::api::ip::IpMroute {
        use crate::api::ip::{IpMroute, MfibEntryFlags, MfibItfFlags, MfibPath, Mprefix};
        let union = |a: IpAddr| match a {
            IpAddr::V4(a) => AddressUnion::from_ip4(&a.octets()),
            IpAddr::V6(a) => AddressUnion::from_ip6(&a.octets()),
        };
        let v6 = self.grp.is_ipv6();
        let any: IpAddr = if v6 {
            std::net::Ipv6Addr::UNSPECIFIED.into()
        } else {
            std::net::Ipv4Addr::UNSPECIFIED.into()
        };
        IpMroute {
            table_id: self.table_id,
            entry_flags: MfibEntryFlags::from_value(self.entry_flags),
            rpf_id: self.rpf_id,
            prefix: Mprefix {
                af: if v6 {
                    AddressFamily::Ip6
                } else {
                    AddressFamily::Ip4
                },
                grp_address_length: self.grp_len,
                grp_address: union(self.grp),
                src_address: union(self.src),
            },
            paths: self
                .paths
                .iter()
                .map(|p| MfibPath {
                    itf_flags: MfibItfFlags::from_value(p.itf_flags),
                    path: RoutePath::via(any, p.sw_if_index).encode(),
                })
                .collect(),
        }
    }
}

impl fmt::Display for IpMRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:({},{}/{})",
            self.table_id, self.src, self.grp, self.grp_len
        )
    }
}

impl AddDel for IpMRoute {
    type Request = crate::api::ip::IpMrouteAddDel;

    fn request(&self, is_add: bool) -> Self::Request {
        crate::api::ip::IpMrouteAddDel {
            is_add,
            is_multipath: true,
            route: self.encode(),
        }
    }

    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&IpMrouteDump {
            table: ApiTable {
                table_id: self.table_id,
                is_ip6: self.grp.is_ipv6(),
                ..ApiTable::default()
            },
        })?;
        Ok(self.in_dump(&found))
    }
}

/// A path MTU for a neighbour (`VppIpPathMtu`): packets to `nh` through
/// table `table_id` are fragmented to `pmtu` when it is below the
/// interface's MTU.
#[derive(Clone, Debug)]
pub struct IpPathMtu {
    /// The table the next hop is in.
    pub table_id: u32,
    /// The neighbour.
    pub nh: IpAddr,
    /// The MTU (0 removes it).
    pub pmtu: u16,
}

impl IpPathMtu {
    /// `pmtu` for `nh` in table 0.
    pub fn new(nh: IpAddr, pmtu: u16) -> IpPathMtu {
        IpPathMtu {
            table_id: 0,
            nh,
            pmtu,
        }
    }

    /// Sets another MTU (`modify`); the tear-down removes the entry as it
    /// is now.
    pub fn modify(&mut self, t: &mut TestCase, pmtu: u16) -> TestResult {
        t.unregister(&self.to_string());
        self.pmtu = pmtu;
        t.api().request(&self.request(true))?;
        super::object::register(t, self);
        Ok(())
    }

    /// Every path MTU VPP has (`ip_path_mtu_get`).
    pub fn dump(api: &mut ApiClient) -> TestResult<Vec<IpPathMtuDetails>> {
        Ok(api.stream(&IpPathMtuGet { cursor: 0 })?.0)
    }

    /// Marks every path MTU stale (`ip_path_mtu_replace_begin`): those
    /// not set again before [`IpPathMtu::replace_end`] go then.
    pub fn replace_begin(api: &mut ApiClient) -> TestResult {
        api.request(&IpPathMtuReplaceBegin)?;
        Ok(())
    }

    /// Removes the path MTUs still stale (`ip_path_mtu_replace_end`).
    pub fn replace_end(api: &mut ApiClient) -> TestResult {
        api.request(&IpPathMtuReplaceEnd)?;
        Ok(())
    }
}

impl fmt::Display for IpPathMtu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ip-path-mtu-{}-{}-{}", self.table_id, self.nh, self.pmtu)
    }
}

impl AddDel for IpPathMtu {
    type Request = IpPathMtuUpdate;

    /// Removing sets the MTU to 0.
    fn request(&self, is_add: bool) -> Self::Request {
        IpPathMtuUpdate {
            pmtu: ApiPathMtu {
                table_id: self.table_id,
                nh: self.nh.into(),
                path_mtu: if is_add { self.pmtu } else { 0 },
                ..ApiPathMtu::default()
            },
        }
    }

    /// VPP has this MTU for the neighbour.
    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        Ok(IpPathMtu::dump(api)?.iter().any(|d| {
            d.pmtu.nh.ip() == self.nh
                && d.pmtu.table_id == self.table_id
                && d.pmtu.path_mtu == self.pmtu
        }))
    }
}

/// VPP's link-local address on an interface, set with the API made for it
/// (`VppIp6LinkLocalAddress`). A link-local address cannot be removed,
/// only changed: the removal does nothing.
#[derive(Clone, Debug)]
pub struct Ip6LinkLocalAddress {
    /// The interface.
    pub sw_if_index: u32,
    /// The address.
    pub addr: std::net::Ipv6Addr,
}

impl fmt::Display for Ip6LinkLocalAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ip6-link-local-{}-{}", self.sw_if_index, self.addr)
    }
}

impl super::VppObject for Ip6LinkLocalAddress {
    fn add_vpp_config(&mut self, api: &mut ApiClient) -> TestResult {
        api.request(&crate::api::ip::SwInterfaceIp6SetLinkLocalAddress {
            sw_if_index: self.sw_if_index,
            ip: self.addr.octets(),
        })?;
        Ok(())
    }

    fn remove_vpp_config(&self, _api: &mut ApiClient) -> TestResult {
        Ok(())
    }

    /// The interface's link-local address is this one.
    fn query_vpp_config(&self, api: &mut ApiClient) -> TestResult<bool> {
        let r = api.request(&crate::api::ip::SwInterfaceIp6GetLinkLocalAddress {
            sw_if_index: self.sw_if_index,
        })?;
        Ok(std::net::Ipv6Addr::from(r.ip) == self.addr)
    }
}

/// A route added by a FIB source of the test's choosing
/// (`VppIpRouteV2`): VPP forwards by the best source's route of a prefix.
#[derive(Clone, Debug)]
pub struct IpRouteV2 {
    /// The route.
    pub route: IpRoute,
    /// The source's id (0: the API's).
    pub src: u8,
}

impl IpRouteV2 {
    /// `route` from source `src`.
    pub fn new(route: IpRoute, src: u8) -> IpRouteV2 {
        IpRouteV2 { route, src }
    }
}

impl fmt::Display for IpRouteV2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.src, self.route)
    }
}

impl AddDel for IpRouteV2 {
    type Request = crate::api::ip::IpRouteAddDelV2;

    /// As [`IpRoute`]'s: adding replaces the source's paths, removing
    /// takes the source's route.
    fn request(&self, is_add: bool) -> Self::Request {
        let v1 = self.route.request(is_add).route;
        crate::api::ip::IpRouteAddDelV2 {
            is_add,
            is_multipath: false,
            route: crate::api::ip::IpRouteV2 {
                table_id: v1.table_id,
                prefix: v1.prefix,
                paths: v1.paths,
                src: self.src,
                ..Default::default()
            },
        }
    }

    fn added(&mut self, reply: &crate::api::ip::IpRouteAddDelV2Reply) {
        self.route.stats_index = reply.stats_index;
    }

    /// The source's dump of the table has the prefix.
    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let r = &self.route;
        let found = route_v2_dump(api, r.table_id, r.prefix.address.ip().is_ipv6(), self.src)?;
        Ok(found
            .iter()
            .any(|d| d.route.table_id == r.table_id && same_network(&d.route.prefix, &r.prefix)))
    }
}

/// The routes of table `table_id` of a family that FIB source `src` gave
/// (0: every source's) (`ip_route_v2_dump`).
pub fn route_v2_dump(
    api: &mut ApiClient,
    table_id: u32,
    is_ip6: bool,
    src: u8,
) -> TestResult<Vec<crate::api::ip::IpRouteV2Details>> {
    Ok(api.dump(&crate::api::ip::IpRouteV2Dump {
        src,
        table: ApiTable {
            table_id,
            is_ip6,
            ..ApiTable::default()
        },
    })?)
}

/// VPP answers neighbour solicitations on an interface for an address
/// of another link, and forwards to it there (`ip6nd_proxy_add_del`).
#[derive(Clone, Debug)]
pub struct Ip6NdProxy {
    /// The interface the proxied host is on.
    pub sw_if_index: u32,
    /// The proxied address.
    pub ip: std::net::Ipv6Addr,
}

impl fmt::Display for Ip6NdProxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ip6nd-proxy-{}-{}", self.sw_if_index, self.ip)
    }
}

impl AddDel for Ip6NdProxy {
    type Request = crate::api::ip6_nd::Ip6ndProxyAddDel;

    fn request(&self, is_add: bool) -> Self::Request {
        crate::api::ip6_nd::Ip6ndProxyAddDel {
            sw_if_index: self.sw_if_index,
            is_add,
            ip: self.ip.octets(),
        }
    }

    /// The interface's IPv6 table has the address's /128 from the ND
    /// proxy's FIB source. (`ip6nd_proxy_dump` would say, but VPP v26.10
    /// dumps nothing while `show ip6 fib` shows the proxy's entry.)
    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let table = api
            .request(&crate::api::interface::SwInterfaceGetTable {
                sw_if_index: self.sw_if_index,
                is_ipv6: true,
            })?
            .vrf_id;
        let sources = api.dump(&crate::api::fib::FibSourceDump)?;
        let Some(src) = sources
            .iter()
            .find(|s| s.src.name.as_str() == "IPv6-proxy-nd")
        else {
            return Err("VPP has no IPv6-proxy-nd FIB source".into());
        };
        let host = Prefix {
            address: IpAddr::V6(self.ip).into(),
            len: 128,
        };
        Ok(route_v2_dump(api, table, true, src.src.id)?
            .iter()
            .any(|d| d.route.table_id == table && same_network(&d.route.prefix, &host)))
    }
}
