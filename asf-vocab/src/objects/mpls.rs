//! MPLS objects: tables, label routes (LSPs) and local labels bound to IP
//! prefixes (`VppMplsTable`, `VppMplsRoute`, `VppMplsIpBind` of
//! `vpp_ip_route.py`). Paths push labels with
//! [`super::RoutePath::with_labels`]; tunnels are
//! [`super::MplsTunnel`].

use std::fmt;

use super::ip::{route_counter, RoutePath};
use super::object::AddDel;
use crate::api::ip::FibPathNhProto;
use crate::api::ip_types::Prefix;
use crate::api::mpls::{
    MplsIpBindUnbind, MplsRoute as ApiMplsRoute, MplsRouteAddDel, MplsRouteAddDelReply,
    MplsRouteDump, MplsTable as ApiMplsTable, MplsTableAddDel, MplsTableDump,
};
use asf_core::api::client::ApiClient;
use asf_core::case::{TestCase, TestResult};

/// An MPLS table (`VppMplsTable`); table 0 is made this way too.
#[derive(Clone, Debug)]
pub struct MplsTable {
    /// Its id.
    pub table_id: u32,
}

impl fmt::Display for MplsTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "table-mpls-{}", self.table_id)
    }
}

impl AddDel for MplsTable {
    type Request = MplsTableAddDel;

    fn request(&self, is_add: bool) -> MplsTableAddDel {
        MplsTableAddDel {
            mt_is_add: is_add,
            mt_table: ApiMplsTable {
                mt_table_id: self.table_id,
                ..ApiMplsTable::default()
            },
        }
    }

    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&MplsTableDump)?;
        Ok(found
            .iter()
            .any(|d| d.mt_table.mt_table_id == self.table_id))
    }
}

/// An MPLS route (`VppMplsRoute`): what a local label, with the
/// end-of-stack bit set or not, does.
#[derive(Clone, Debug)]
pub struct MplsRoute {
    /// The table.
    pub table_id: u32,
    /// The local label.
    pub label: u32,
    /// For the bottom of the stack (`eos_bit`).
    pub eos: bool,
    /// What follows the bottom of the stack (IPv4 unless set).
    pub eos_proto: FibPathNhProto,
    /// Replicates to every path.
    pub is_multicast: bool,
    /// The paths.
    pub paths: Vec<RoutePath>,
    /// Its index in the route counters, once added.
    pub stats_index: u32,
}

impl MplsRoute {
    /// `label` (at the bottom of the stack or not) through `paths`, in
    /// table 0, carrying IPv4.
    pub fn new(label: u32, eos: bool, paths: impl IntoIterator<Item = RoutePath>) -> MplsRoute {
        MplsRoute {
            table_id: 0,
            label,
            eos,
            eos_proto: FibPathNhProto::Ip4,
            is_multicast: false,
            paths: paths.into_iter().collect(),
            stats_index: u32::MAX,
        }
    }

    /// The same route carrying `proto` after the stack.
    pub fn eos_proto(mut self, proto: FibPathNhProto) -> MplsRoute {
        self.eos_proto = proto;
        self
    }

    /// What traffic to the route has counted (`get_stats_to`).
    pub fn stats_to(&self, t: &mut TestCase) -> TestResult<asf_core::stats::Combined> {
        route_counter(t, "/net/route/to", self.stats_index)
    }

    /// What traffic through the route has counted (`get_stats_via`).
    pub fn stats_via(&self, t: &mut TestCase) -> TestResult<asf_core::stats::Combined> {
        route_counter(t, "/net/route/via", self.stats_index)
    }

    /// Whether the table has the route with exactly these paths, compared
    /// as VPP's framework compares them: interface and labels
    /// (`find_mpls_route` with paths).
    pub fn query_paths(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&MplsRouteDump {
            table: ApiMplsTable {
                mt_table_id: self.table_id,
                ..ApiMplsTable::default()
            },
        })?;
        Ok(found.iter().any(|d| {
            let r = &d.mr_route;
            r.mr_label == self.label
                && r.mr_eos == u8::from(self.eos)
                && r.mr_table_id == self.table_id
                && r.mr_paths.len() == self.paths.len()
                && r.mr_paths.iter().zip(&self.paths).all(|(got, want)| {
                    let want = want.encode();
                    got.sw_if_index == want.sw_if_index
                        && got.n_labels == want.n_labels
                        && got.label_stack[..usize::from(got.n_labels)]
                            == want.label_stack[..usize::from(want.n_labels)]
                })
        }))
    }
}

impl fmt::Display for MplsRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mpls-route-{}:{}/{}",
            self.table_id,
            self.label,
            u8::from(self.eos)
        )
    }
}

impl AddDel for MplsRoute {
    type Request = MplsRouteAddDel;

    fn request(&self, is_add: bool) -> MplsRouteAddDel {
        MplsRouteAddDel {
            mr_is_add: is_add,
            mr_is_multipath: false,
            mr_route: ApiMplsRoute {
                mr_table_id: self.table_id,
                mr_label: self.label,
                mr_eos: u8::from(self.eos),
                mr_eos_proto: self.eos_proto.value() as u8,
                mr_is_multicast: self.is_multicast,
                mr_paths: self.paths.iter().map(RoutePath::encode).collect(),
            },
        }
    }

    fn added(&mut self, reply: &MplsRouteAddDelReply) {
        self.stats_index = reply.stats_index;
    }

    /// The label and bit in the table (`find_mpls_route`).
    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&MplsRouteDump {
            table: ApiMplsTable {
                mt_table_id: self.table_id,
                ..ApiMplsTable::default()
            },
        })?;
        Ok(found.iter().any(|d| {
            d.mr_route.mr_label == self.label
                && d.mr_route.mr_eos == u8::from(self.eos)
                && d.mr_route.mr_table_id == self.table_id
        }))
    }
}

/// A local label bound to an IP prefix (`VppMplsIpBind`).
#[derive(Clone, Debug)]
pub struct MplsIpBind {
    /// The label.
    pub label: u32,
    /// The prefix.
    pub prefix: Prefix,
    /// The MPLS table.
    pub table_id: u32,
    /// The IP table of the prefix.
    pub ip_table_id: u32,
}

impl MplsIpBind {
    /// `label` bound to `prefix` (`10.0.0.1/32`), tables 0.
    pub fn new(label: u32, prefix: &str) -> TestResult<MplsIpBind> {
        Ok(MplsIpBind {
            label,
            prefix: prefix
                .parse()
                .map_err(|e: String| format!("{prefix:?}: {e}"))?,
            table_id: 0,
            ip_table_id: 0,
        })
    }
}

impl fmt::Display for MplsIpBind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{} binds {}:{}",
            self.table_id, self.label, self.ip_table_id, self.prefix
        )
    }
}

impl AddDel for MplsIpBind {
    type Request = MplsIpBindUnbind;

    fn request(&self, is_add: bool) -> MplsIpBindUnbind {
        MplsIpBindUnbind {
            mb_mpls_table_id: self.table_id,
            mb_label: self.label,
            mb_ip_table_id: self.ip_table_id,
            mb_is_bind: is_add,
            mb_prefix: self.prefix.clone(),
        }
    }

    /// The label in the MPLS table.
    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        let found = api.dump(&MplsRouteDump {
            table: ApiMplsTable {
                mt_table_id: self.table_id,
                ..ApiMplsTable::default()
            },
        })?;
        Ok(found
            .iter()
            .any(|d| d.mr_route.mr_label == self.label && d.mr_route.mr_table_id == self.table_id))
    }
}
