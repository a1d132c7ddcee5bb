//! pg interfaces: creation, VPP's addressing convention, and the
//! configuration calls of `vpp_interface.py`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use asf_packet::Mac;

use crate::api::interface::{
    IfStatusFlags, SwInterfaceDump, SwInterfaceSetFlags, SwInterfaceSetTable,
};
use crate::api::ip6_nd::SwInterfaceIp6ndRaConfig;
use crate::api::ip_neighbor::{IpNeighbor, IpNeighborAddDel};
use crate::api::pg::{PgCreateInterfaceV3, PgInterfaceFlags, PgInterfaceMode};
use asf_core::case::{TestCase, TestResult};

/// What a pg interface takes and gives: Ethernet frames, or bare IPv4 or
/// IPv6 packets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PgMode {
    /// Ethernet frames (`create_pg_interfaces`).
    #[default]
    Ethernet,
    /// IPv4 packets (`create_pg_ip4_interfaces`).
    Ip4,
    /// IPv6 packets (`create_pg_ip6_interfaces`).
    Ip6,
}

/// How pg interfaces are created (`pg_create_interface_v3`).
#[derive(Clone, Copy, Debug, Default)]
pub struct PgConfig {
    /// The interfaces' mode.
    pub mode: PgMode,
    /// Checksum offload.
    pub csum_offload: bool,
    /// GSO with this segment size.
    pub gso_size: Option<u32>,
}

/// A remote host on a pg interface's subnet (`Host` of VPP's `util.py`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Host {
    /// `02:<sw_if_index>:00:00:ff:<n>`.
    pub mac: Mac,
    /// `172.16.<sw_if_index>.<n>`.
    pub ip4: Ipv4Addr,
    /// `fd01:<sw_if_index>::<n>`.
    pub ip6: Ipv6Addr,
    /// The link-local address of its MAC.
    pub ip6_ll: Ipv6Addr,
}

#[derive(Debug)]
struct Inner {
    /// The pg index; None for a BVI or another interface.
    pg: Option<u32>,
    /// A BVI (made by `create_bvi_interfaces`).
    bvi: bool,
    pg_index: u32,
    sw_if_index: u32,
    name: String,
    mode: PgMode,
    tempdir: PathBuf,
    state: Mutex<State>,
}

#[derive(Debug, Clone)]
struct State {
    local_mac: Mac,
    hosts: Vec<Host>,
    has_ip4: bool,
    has_ip6: bool,
}

/// A pg interface of the class's VPP. Clones share one interface: what
/// [`PgInterface::resolve_arp`] learns, every clone sees.
#[derive(Clone, Debug)]
pub struct PgInterface(Arc<Inner>);

fn hosts(sw_if_index: u32, count: usize) -> Vec<Host> {
    (2..count as u32 + 2)
        .map(|i| {
            let mac = Mac([2, sw_if_index as u8, 0, 0, 0xff, i as u8]);
            Host {
                mac,
                ip4: Ipv4Addr::new(172, 16, sw_if_index as u8, i as u8),
                ip6: format!("fd01:{sw_if_index:x}::{i:x}")
                    .parse()
                    .expect("a valid address"),
                ip6_ll: mac.link_local(),
            }
        })
        .collect()
}

/// Creates Ethernet pg interfaces `pg<i>` for each index (VPP's
/// `create_pg_interfaces`); they become the class's interfaces, in order.
pub fn create_interfaces(
    t: &mut TestCase,
    indexes: impl IntoIterator<Item = u32>,
) -> TestResult<Vec<PgInterface>> {
    create_interfaces_with(t, indexes, PgConfig::default())
}

/// Creates pg interfaces with a mode, checksum offload or GSO.
pub fn create_interfaces_with(
    t: &mut TestCase,
    indexes: impl IntoIterator<Item = u32>,
    config: PgConfig,
) -> TestResult<Vec<PgInterface>> {
    let mut out = Vec::new();
    for pg_index in indexes {
        let (pg_flags, gso_size) = match (config.csum_offload, config.gso_size) {
            (true, _) => (PgInterfaceFlags::CsumOffload, 0),
            (false, Some(size)) => (PgInterfaceFlags::Gso, size),
            (false, None) => (PgInterfaceFlags::None, 0),
        };
        let mode = match config.mode {
            PgMode::Ethernet => PgInterfaceMode::Ethernet,
            PgMode::Ip4 => PgInterfaceMode::Ip4,
            PgMode::Ip6 => PgInterfaceMode::Ip6,
        };
        let sw_if_index = t
            .api()
            .request(&PgCreateInterfaceV3 {
                interface_id: pg_index,
                pg_flags,
                gso_size,
                mode,
            })?
            .sw_if_index;
        if sw_if_index > 255 {
            return Err(format!(
                "pg{pg_index} has sw_if_index {sw_if_index}: VPP's addressing convention \
                 (172.16.<sw_if_index>.0/24) stops at 255"
            )
            .into());
        }
        let details = t.api().dump(&SwInterfaceDump {
            sw_if_index,
            ..SwInterfaceDump::default()
        })?;
        let d = details
            .iter()
            .find(|d| d.sw_if_index == sw_if_index)
            .ok_or_else(|| {
                format!("pg{pg_index} (sw_if_index {sw_if_index}) is not in VPP's interface dump")
            })?;
        let intf = PgInterface(Arc::new(Inner {
            pg: Some(pg_index),
            bvi: false,
            pg_index,
            sw_if_index,
            name: d.interface_name.trim_end_matches('\0').trim().to_string(),
            mode: config.mode,
            tempdir: t.tempdir().to_path_buf(),
            state: Mutex::new(State {
                local_mac: Mac(d.l2_address),
                hosts: hosts(sw_if_index, 1),
                has_ip4: false,
                has_ip6: false,
            }),
        }));
        tracing::info!(
            "created {} (sw_if_index {sw_if_index}, {:?}, MAC {})",
            intf.name(),
            config.mode,
            intf.local_mac()
        );
        let pg = &mut t.class_data::<PgState>().interfaces;
        pg.retain(|i| i.pg_index() != pg_index);
        pg.push(intf.clone());
        out.push(intf);
    }
    Ok(out)
}

/// Creates `n` BVI interfaces (`create_bvi_interfaces`): interfaces with
/// VPP's addressing convention and configuration calls, for a bridge
/// domain's routed port; no streams or captures of their own.
pub fn create_bvi_interfaces(t: &mut TestCase, n: usize) -> TestResult<Vec<PgInterface>> {
    use crate::api::l2::BviCreate;
    let mut out = Vec::new();
    for _ in 0..n {
        let sw_if_index = t
            .api()
            .request(&BviCreate {
                user_instance: u32::MAX,
                mac: [0; 6],
            })?
            .sw_if_index;
        let mut bvi = interface_of(t, sw_if_index)?;
        Arc::get_mut(&mut bvi.0).expect("just made").bvi = true;
        out.push(bvi);
    }
    Ok(out)
}

/// A handle on another VPP interface (a BVI, a tunnel, a loopback) with
/// VPP's addressing convention and the configuration calls of a pg
/// interface (`VppInterface`): `config_ip4`, `admin_up`, remote hosts. It
/// has no streams or captures of its own.
pub fn interface_of(t: &mut TestCase, sw_if_index: u32) -> TestResult<PgInterface> {
    let details = t.api().dump(&SwInterfaceDump {
        sw_if_index,
        ..SwInterfaceDump::default()
    })?;
    let d = details
        .iter()
        .find(|d| d.sw_if_index == sw_if_index)
        .ok_or_else(|| format!("sw_if_index {sw_if_index} is not in VPP's interface dump"))?;
    Ok(PgInterface(Arc::new(Inner {
        pg: None,
        bvi: false,
        pg_index: u32::MAX,
        sw_if_index,
        name: d.interface_name.trim_end_matches('\0').trim().to_string(),
        mode: PgMode::Ethernet,
        tempdir: t.tempdir().to_path_buf(),
        state: Mutex::new(State {
            local_mac: Mac(d.l2_address),
            hosts: hosts(sw_if_index, 1),
            has_ip4: false,
            has_ip6: false,
        }),
    })))
}

/// The class's pg interfaces, in creation order (`self.pg_interfaces`).
pub fn interfaces(t: &TestCase) -> TestResult<Vec<PgInterface>> {
    let all = created(t);
    if all.is_empty() {
        return Err("the class has no pg interfaces: create them with pg::create_interfaces (in set_up_class)".into());
    }
    Ok(all.to_vec())
}

fn created(t: &TestCase) -> &[PgInterface] {
    t.class_data_ref::<PgState>()
        .map_or(&[], |s| s.interfaces.as_slice())
}

/// The class's pg interface of this name (`pg0`).
pub fn interface(t: &TestCase, name: &str) -> TestResult<PgInterface> {
    let all = created(t);
    all.iter()
        .find(|i| i.name() == name)
        .cloned()
        .ok_or_else(|| {
            let have: Vec<&str> = all.iter().map(|i| i.name()).collect();
            format!("no pg interface {name} in this class (it has {have:?})").into()
        })
}

impl PgInterface {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `pg<N>`, as VPP names it.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The pg index N of `pg<N>`.
    pub fn pg_index(&self) -> u32 {
        self.0.pg_index
    }

    /// VPP's `sw_if_index`.
    pub fn sw_if_index(&self) -> u32 {
        self.0.sw_if_index
    }

    /// The interface's mode.
    pub fn mode(&self) -> PgMode {
        self.0.mode
    }

    /// VPP's MAC on the interface.
    pub fn local_mac(&self) -> Mac {
        self.state().local_mac
    }

    /// Records the MAC VPP answered with (ARP, ND).
    pub(crate) fn set_local_mac(&self, mac: Mac) {
        self.state().local_mac = mac;
    }

    /// VPP's IPv4 address: `172.16.<sw_if_index>.1`.
    pub fn local_ip4(&self) -> Ipv4Addr {
        Ipv4Addr::new(172, 16, self.sw_if_index() as u8, 1)
    }

    /// VPP's IPv4 address with its length: `172.16.<sw_if_index>.1/24`.
    pub fn local_ip4_prefix(&self) -> String {
        format!("{}/24", self.local_ip4())
    }

    /// VPP's IPv6 address: `fd01:<sw_if_index>::1`.
    pub fn local_ip6(&self) -> Ipv6Addr {
        format!("fd01:{:x}::1", self.sw_if_index())
            .parse()
            .expect("a valid address")
    }

    /// VPP's IPv6 address with its length: `fd01:<sw_if_index>::1/64`.
    pub fn local_ip6_prefix(&self) -> String {
        format!("{}/64", self.local_ip6())
    }

    /// The remote hosts (one unless [`PgInterface::generate_remote_hosts`]).
    pub fn remote_hosts(&self) -> Vec<Host> {
        self.state().hosts.clone()
    }

    /// The first remote host.
    pub fn remote_host(&self) -> Host {
        self.state().hosts[0].clone()
    }

    /// The first remote host's MAC: `02:<sw_if_index>:00:00:ff:02`.
    pub fn remote_mac(&self) -> Mac {
        self.remote_host().mac
    }

    /// The first remote host's IPv4 address: `172.16.<sw_if_index>.2`.
    pub fn remote_ip4(&self) -> Ipv4Addr {
        self.remote_host().ip4
    }

    /// The first remote host's IPv6 address: `fd01:<sw_if_index>::2`.
    pub fn remote_ip6(&self) -> Ipv6Addr {
        self.remote_host().ip6
    }

    /// VPP's link-local address on the interface, as VPP says it now
    /// (`local_ip6_ll`).
    pub fn local_ip6_ll(&self, t: &mut TestCase) -> TestResult<Ipv6Addr> {
        let r = t
            .api()
            .request(&crate::api::ip::SwInterfaceIp6GetLinkLocalAddress {
                sw_if_index: self.sw_if_index(),
            })?;
        Ok(r.ip.into())
    }

    /// The first remote host's link-local address.
    pub fn remote_ip6_ll(&self) -> Ipv6Addr {
        self.remote_host().ip6_ll
    }

    /// True for a packet-generator interface (not a BVI).
    pub fn is_pg(&self) -> bool {
        self.0.pg.is_some()
    }

    /// Gives the interface these remote hosts (`intf.remote_hosts = ...`).
    pub fn set_remote_hosts(&self, hosts: Vec<Host>) {
        if !hosts.is_empty() {
            self.state().hosts = hosts;
        }
    }

    /// Sets VPP's MAC on the interface (`set_mac`).
    pub fn set_mac(&self, t: &mut TestCase, mac: Mac) -> TestResult<&Self> {
        t.api()
            .request(&crate::api::interface::SwInterfaceSetMacAddress {
                sw_if_index: self.sw_if_index(),
                mac_address: mac.0,
            })?;
        self.set_local_mac(mac);
        Ok(self)
    }

    /// Replaces the remote hosts with `count` of them, from `.2` on.
    pub fn generate_remote_hosts(&self, count: usize) {
        self.state().hosts = hosts(self.sw_if_index(), count.max(1));
    }

    /// The remote host with this MAC.
    pub fn host_by_mac(&self, mac: Mac) -> Option<Host> {
        self.state().hosts.iter().find(|h| h.mac == mac).cloned()
    }

    /// The remote host with this address.
    pub fn host_by_ip(&self, ip: IpAddr) -> Option<Host> {
        self.state()
            .hosts
            .iter()
            .find(|h| IpAddr::V4(h.ip4) == ip || IpAddr::V6(h.ip6) == ip)
            .cloned()
    }

    /// Where a stream's packets are written: `pg<N>_in.pcap`
    /// (`pg<N>_wrk<W>_in.pcap` for a worker's stream).
    pub fn in_path(&self, worker: Option<u32>) -> PathBuf {
        self.0.tempdir.join(match worker {
            Some(w) => format!("pg{}_wrk{w}_in.pcap", self.pg_index()),
            None => format!("pg{}_in.pcap", self.pg_index()),
        })
    }

    /// Where VPP writes what the interface sends: `pg<N>_out.pcap`.
    pub fn out_path(&self) -> PathBuf {
        self.0
            .tempdir
            .join(format!("pg{}_out.pcap", self.pg_index()))
    }

    /// The name of a stream into the interface.
    pub(crate) fn stream_name(&self, worker: Option<u32>) -> String {
        let base = format!("pcap{}-sw_if_index-{}", self.pg_index(), self.sw_if_index());
        match worker {
            Some(w) => format!("{base}-worker{w}"),
            None => base,
        }
    }

    fn address(t: &mut TestCase, sw_if_index: u32, prefix: &str, is_add: bool) -> TestResult {
        crate::objects::IpInterfaceAddress::add_del(t.api(), sw_if_index, prefix, is_add)
    }

    /// Adds VPP's IPv4 address (`config_ip4`).
    pub fn config_ip4(&self, t: &mut TestCase) -> TestResult<&Self> {
        Self::address(t, self.sw_if_index(), &self.local_ip4_prefix(), true)?;
        self.state().has_ip4 = true;
        Ok(self)
    }

    /// Removes it, if it was added (`unconfig_ip4`).
    pub fn unconfig_ip4(&self, t: &mut TestCase) -> TestResult<&Self> {
        if std::mem::take(&mut self.state().has_ip4) {
            Self::address(t, self.sw_if_index(), &self.local_ip4_prefix(), false)?;
        }
        Ok(self)
    }

    /// Adds VPP's IPv6 address (`config_ip6`).
    pub fn config_ip6(&self, t: &mut TestCase) -> TestResult<&Self> {
        Self::address(t, self.sw_if_index(), &self.local_ip6_prefix(), true)?;
        self.state().has_ip6 = true;
        Ok(self)
    }

    /// Removes it, if it was added (`unconfig_ip6`).
    pub fn unconfig_ip6(&self, t: &mut TestCase) -> TestResult<&Self> {
        if std::mem::take(&mut self.state().has_ip6) {
            Self::address(t, self.sw_if_index(), &self.local_ip6_prefix(), false)?;
        }
        Ok(self)
    }

    /// Removes both addresses (`unconfig`).
    pub fn unconfig(&self, t: &mut TestCase) -> TestResult<&Self> {
        self.unconfig_ip4(t)?.unconfig_ip6(t)
    }

    fn flags(&self, t: &mut TestCase, up: bool) -> TestResult<&Self> {
        t.api().request(&SwInterfaceSetFlags {
            sw_if_index: self.sw_if_index(),
            flags: if up {
                IfStatusFlags::ADMIN_UP
            } else {
                IfStatusFlags::default()
            },
        })?;
        Ok(self)
    }

    /// Sets the interface admin up.
    pub fn admin_up(&self, t: &mut TestCase) -> TestResult<&Self> {
        self.flags(t, true)
    }

    /// Sets the interface admin down.
    pub fn admin_down(&self, t: &mut TestCase) -> TestResult<&Self> {
        self.flags(t, false)
    }

    fn table(&self, t: &mut TestCase, is_ipv6: bool, vrf_id: u32) -> TestResult<&Self> {
        t.api().request(&SwInterfaceSetTable {
            sw_if_index: self.sw_if_index(),
            is_ipv6,
            vrf_id,
        })?;
        Ok(self)
    }

    /// Puts the interface in IPv4 table `table_id` (`set_table_ip4`).
    pub fn set_table_ip4(&self, t: &mut TestCase, table_id: u32) -> TestResult<&Self> {
        self.table(t, false, table_id)
    }

    /// Sets the interface's link up, as if its cable came back
    /// (`link_up`: `test interface link-state <name> up`).
    pub fn link_up(&self, t: &mut TestCase) -> TestResult<&Self> {
        t.cli(&format!("test interface link-state {} up", self.name()))?;
        Ok(self)
    }

    /// Sets its link down (`link_down`).
    pub fn link_down(&self, t: &mut TestCase) -> TestResult<&Self> {
        t.cli(&format!("test interface link-state {} down", self.name()))?;
        Ok(self)
    }

    /// Puts the interface in IPv6 table `table_id` (`set_table_ip6`).
    pub fn set_table_ip6(&self, t: &mut TestCase, table_id: u32) -> TestResult<&Self> {
        self.table(t, true, table_id)
    }

    /// Makes the interface unnumbered, borrowing `ip_sw_if_index`'s
    /// addresses (`set_unnumbered`).
    pub fn set_unnumbered(&self, t: &mut TestCase, ip_sw_if_index: u32) -> TestResult<&Self> {
        self.unnumbered(t, ip_sw_if_index, true)
    }

    /// Undoes it (`unset_unnumbered`).
    pub fn unset_unnumbered(&self, t: &mut TestCase, ip_sw_if_index: u32) -> TestResult<&Self> {
        self.unnumbered(t, ip_sw_if_index, false)
    }

    fn unnumbered(&self, t: &mut TestCase, ip_sw_if_index: u32, is_add: bool) -> TestResult<&Self> {
        t.api()
            .request(&crate::api::interface::SwInterfaceSetUnnumbered {
                sw_if_index: ip_sw_if_index,
                unnumbered_sw_if_index: self.sw_if_index(),
                is_add,
            })?;
        Ok(self)
    }

    /// Turns proxy ARP on or off on the interface (`set_proxy_arp`).
    pub fn set_proxy_arp(&self, t: &mut TestCase, enable: bool) -> TestResult<&Self> {
        t.api()
            .request(&crate::api::arp::ProxyArpIntfcEnableDisable {
                sw_if_index: self.sw_if_index(),
                enable,
            })?;
        Ok(self)
    }

    /// Turns MPLS on on the interface (`enable_mpls`).
    pub fn enable_mpls(&self, t: &mut TestCase) -> TestResult<&Self> {
        self.mpls(t, true)
    }

    /// Turns it off (`disable_mpls`).
    pub fn disable_mpls(&self, t: &mut TestCase) -> TestResult<&Self> {
        self.mpls(t, false)
    }

    fn mpls(&self, t: &mut TestCase, enable: bool) -> TestResult<&Self> {
        t.api()
            .request(&crate::api::mpls::SwInterfaceSetMplsEnable {
                sw_if_index: self.sw_if_index(),
                enable,
            })?;
        Ok(self)
    }

    /// Sets the interface's L3 MTU (`set_l3_mtu`).
    pub fn set_l3_mtu(&self, t: &mut TestCase, mtu: u32) -> TestResult<&Self> {
        t.api().request(&crate::api::interface::SwInterfaceSetMtu {
            sw_if_index: self.sw_if_index(),
            mtu: [mtu, 0, 0, 0],
        })?;
        Ok(self)
    }

    /// Stops router advertisements on the interface (`disable_ipv6_ra`).
    pub fn disable_ipv6_ra(&self, t: &mut TestCase) -> TestResult<&Self> {
        t.api().request(&SwInterfaceIp6ndRaConfig {
            sw_if_index: self.sw_if_index(),
            suppress: 1,
            ..SwInterfaceIp6ndRaConfig::default()
        })?;
        Ok(self)
    }

    /// Enables IPv6 on the interface without an address (`ip6_enable`).
    pub fn ip6_enable(&self, t: &mut TestCase) -> TestResult<&Self> {
        self.ip6_enabled(t, true)
    }

    /// Disables it (`ip6_disable`).
    pub fn ip6_disable(&self, t: &mut TestCase) -> TestResult<&Self> {
        self.ip6_enabled(t, false)
    }

    fn ip6_enabled(&self, t: &mut TestCase, enable: bool) -> TestResult<&Self> {
        t.api()
            .request(&crate::api::ip::SwInterfaceIp6EnableDisable {
                sw_if_index: self.sw_if_index(),
                enable,
            })?;
        Ok(self)
    }

    /// Configures router advertisements on the interface
    /// (`ip6_ra_config`).
    pub fn ip6_ra_config(&self, t: &mut TestCase, c: RaConfig) -> TestResult<&Self> {
        t.api().request(&SwInterfaceIp6ndRaConfig {
            sw_if_index: self.sw_if_index(),
            is_no: c.no,
            suppress: u8::from(c.suppress),
            send_unicast: u8::from(c.send_unicast),
            ..SwInterfaceIp6ndRaConfig::default()
        })?;
        Ok(self)
    }

    /// Adds, changes or (`is_no`) removes a prefix the interface's router
    /// advertisements announce (`ip6_ra_prefix`); `prefix` as
    /// `2001:db8::1/64`. Its lifetimes are infinite, as VPP's framework's
    /// API defaults make them (`vpp_papi_provider.defaultmapping`).
    pub fn ip6_ra_prefix(&self, t: &mut TestCase, prefix: &str, p: RaPrefix) -> TestResult<&Self> {
        t.api()
            .request(&crate::api::ip6_nd::SwInterfaceIp6ndRaPrefix {
                sw_if_index: self.sw_if_index(),
                prefix: prefix.parse()?,
                use_default: p.use_default,
                off_link: p.off_link,
                no_autoconfig: p.no_autoconfig,
                is_no: p.is_no,
                val_lifetime: u32::MAX,
                pref_lifetime: u32::MAX,
                ..Default::default()
            })?;
        Ok(self)
    }

    fn neighbors(&self, t: &mut TestCase, v6: bool) -> TestResult<&Self> {
        for h in self.remote_hosts() {
            let ip = if v6 {
                IpAddr::V6(h.ip6)
            } else {
                IpAddr::V4(h.ip4)
            };
            t.api().request(&IpNeighborAddDel {
                is_add: true,
                neighbor: IpNeighbor {
                    sw_if_index: self.sw_if_index(),
                    mac_address: h.mac.0,
                    ip_address: ip.into(),
                    ..IpNeighbor::default()
                },
            })?;
        }
        Ok(self)
    }

    /// A static neighbour for every remote host's IPv4 address.
    pub fn configure_ipv4_neighbors(&self, t: &mut TestCase) -> TestResult<&Self> {
        self.neighbors(t, false)
    }

    /// A static neighbour for every remote host's IPv6 address.
    pub fn configure_ipv6_neighbors(&self, t: &mut TestCase) -> TestResult<&Self> {
        self.neighbors(t, true)
    }
}

impl std::fmt::Display for PgInterface {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl crate::objects::VppObject for PgInterface {
    /// pg interfaces and BVIs are made by [`create_interfaces`] and
    /// [`create_bvi_interfaces`], which learn their index.
    fn add_vpp_config(&mut self, _api: &mut asf_core::api::client::ApiClient) -> TestResult {
        Err("a pg interface or BVI is created with pg::create_interfaces or pg::create_bvi_interfaces".into())
    }

    /// `pg_delete_interface`, or `bvi_delete` for a BVI; a handle made by
    /// [`interface_of`] is removed with the object that made the interface.
    fn remove_vpp_config(&self, api: &mut asf_core::api::client::ApiClient) -> TestResult {
        let sw_if_index = self.sw_if_index();
        if self.is_pg() {
            api.request(&crate::api::pg::PgDeleteInterface { sw_if_index })?;
        } else if self.0.bvi {
            api.request(&crate::api::l2::BviDelete { sw_if_index })?;
        } else {
            return Err(format!(
                "{} is removed with the object that made it (a tunnel, a loopback), not with its handle",
                self.name()
            )
            .into());
        }
        Ok(())
    }

    fn query_vpp_config(&self, api: &mut asf_core::api::client::ApiClient) -> TestResult<bool> {
        let d = api.dump(&SwInterfaceDump {
            sw_if_index: self.sw_if_index(),
            ..SwInterfaceDump::default()
        })?;
        Ok(d.iter().any(|i| {
            i.sw_if_index == self.sw_if_index()
                && i.interface_name.trim_end_matches('\0').trim() == self.name()
        }))
    }
}

/// What the packet generator of a class keeps between calls (VPP's
/// framework keeps it on the class).
#[derive(Debug, Default)]
pub(crate) struct PgState {
    /// The class's pg interfaces, in creation order.
    pub interfaces: Vec<PgInterface>,
    /// Streams added since the last start: (interface, worker).
    pub pcaps: Vec<(PgInterface, Option<u32>)>,
    /// Streams of the last start, whose input files go at the next.
    pub old_pcaps: Vec<(PgInterface, Option<u32>)>,
    /// Records of each interface's capture already returned by
    /// `wait_for_packet`, by pg index.
    pub read: std::collections::HashMap<u32, usize>,
    /// Numbers the kept files of failed captures.
    pub kept: u32,
    /// Which layer follows which port in the class's captures.
    pub bindings: asf_packet::Bindings,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_hosts_follow_vpps_convention() {
        let h = hosts(1, 2);
        assert_eq!(h[0].mac.to_string(), "02:01:00:00:ff:02");
        assert_eq!(h[0].ip4, Ipv4Addr::new(172, 16, 1, 2));
        assert_eq!(h[0].ip6, "fd01:1::2".parse::<Ipv6Addr>().unwrap());
        assert_eq!(h[1].ip4, Ipv4Addr::new(172, 16, 1, 3));
        assert_eq!(
            hosts(10, 1)[0].ip6,
            "fd01:a::2".parse::<Ipv6Addr>().unwrap()
        );
        // scapy's in6_mactoifaceid: fe80::0001:00FF:FE00:FF02.
        assert_eq!(
            h[0].ip6_ll,
            "fe80::1:ff:fe00:ff02".parse::<Ipv6Addr>().unwrap()
        );
    }
}

/// What [`PgInterface::ip6_ra_config`] sets: VPP's framework's
/// `ip6_ra_config(no=, suppress=, send_unicast=)`, each false unless said.
#[derive(Clone, Copy, Debug, Default)]
pub struct RaConfig {
    /// Undo the settings given (`is_no`).
    pub no: bool,
    /// Suppress the advertisements.
    pub suppress: bool,
    /// Answer a solicitation to the unicast address it came from.
    pub send_unicast: bool,
}

/// How [`PgInterface::ip6_ra_prefix`] announces a prefix, each false unless
/// said.
#[derive(Clone, Copy, Debug, Default)]
pub struct RaPrefix {
    /// Remove the prefix.
    pub is_no: bool,
    /// Clear its on-link (L) flag.
    pub off_link: bool,
    /// Clear its autonomous (A) flag.
    pub no_autoconfig: bool,
    /// Reset its settings to the defaults.
    pub use_default: bool,
}
