//! Checks that `test_ip4` and `test_ip6` make alike for their family (VPP's
//! framework repeats them in each file): punt redirects and policers, and
//! the punt redirect dump, interface-receive paths, table and address
//! replacement, the FIB test of tagged and untagged flows.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use asf_core::packet::{Dot1Q, Ether, Ipv4, Ipv6, Packet, Raw, Tcp, Udp};
use asf_core::{TestCase, TestResult};
use asf_vocab::api::interface::{SwInterfaceAddressReplaceBegin, SwInterfaceAddressReplaceEnd};
use asf_vocab::api::ip::{FibPathType, IpAddressDump, IpPuntRedirectDump};
use asf_vocab::objects::{
    self, IpInterfaceAddress, IpMRoute, IpPuntPolicer, IpPuntRedirect, IpRoute, IpTable,
    MRoutePath, Policer, PolicerAction, PolicerStats, RoutePath, VppObject,
};
use asf_vocab::pg::{self, extend_packet, InfoCursor, PacketInfos, PgInterface, SubInterface};

/// A redirect of what VPP punts on `rx` (all interfaces: `u32::MAX`) to
/// `nh` through `tx` (`VppIpPuntRedirect`).
pub fn redirect(rx: u32, tx: &PgInterface, nh: IpAddr) -> IpPuntRedirect {
    IpPuntRedirect {
        rx_sw_if_index: rx,
        tx_sw_if_index: tx.sw_if_index(),
        nh,
    }
}

fn punt_policer(t: &mut TestCase, policer: &Policer, is_ip6: bool) -> TestResult<IpPuntPolicer> {
    objects::add(
        t,
        IpPuntPolicer {
            policer_index: policer.policer_index,
            is_ip6,
        },
    )
}

/// `test_ip_punt` of TestIPPunt and TestIP6Punt: `pkts` (punted by VPP
/// on pg0) are redirected to `nh` through pg1, policed by the `name`
/// policer, and dropped once nothing redirects them.
pub fn punt_police_and_redirect(
    t: &mut TestCase,
    pkts: &[Packet],
    nh_addr: IpAddr,
    name: &str,
) -> TestResult {
    let p = pg::interfaces(t)?;
    let (pg0, pg1) = (&p[0], &p[1]);
    // Configure a punt redirect via pg1.
    let ip_punt_redirect = objects::add(t, redirect(pg0.sw_if_index(), pg1, nh_addr))?;
    pg::send_and_expect(t, pg0, pkts, pg1)?;
    // add a policer
    let policer = objects::add(t, Policer::new(name, 400, 0, 10, 0).pps())?;
    let ip_punt_policer = punt_policer(t, &policer, nh_addr.is_ipv6())?;
    t.cli("clear trace")?;
    pg0.add_stream(t, pkts)?;
    pg::enable_capture(t, &p)?;
    pg::start(t)?;
    // the number of packet received should be greater than 0,
    // but not equal to the number sent, since some were policed
    let rx = pg1.capture(t)?;
    let stats = policer.stats(t, None)?;
    // Single rate policer - expect conform, violate but no exceed
    assert!(stats.conform_packets > 0, "{stats:?}");
    assert_eq!(stats.exceed_packets, 0);
    assert!(stats.violate_packets > 0, "{stats:?}");
    assert!(!rx.is_empty());
    assert!(rx.len() < pkts.len(), "{} of {} came", rx.len(), pkts.len());
    // remove the policer. back to full rx
    objects::remove(t, &ip_punt_policer)?;
    objects::remove(t, &policer)?;
    pg::send_and_expect(t, pg0, pkts, pg1)?;
    // remove the redirect. expect full drop.
    objects::remove(t, &ip_punt_redirect)?;
    pg::send_and_assert_no_replies_with(
        t,
        pg0,
        pkts,
        &pg::SendOptions::remark("IP no punt config"),
    )?;
    // Add a redirect that is not input port selective
    let ip_punt_redirect = objects::add(t, redirect(u32::MAX, pg1, nh_addr))?;
    pg::send_and_expect(t, pg0, pkts, pg1)?;
    objects::remove(t, &ip_punt_redirect)
}

/// `test_ip_punt_dump`: three redirects to pg3, to `nh` from pg0 and pg1
/// and to `any` from pg2, in the dump of every interface's.
pub fn punt_redirect_dump(t: &mut TestCase, nh_address: IpAddr, any: IpAddr) -> TestResult {
    let p = pg::interfaces(t)?;
    let pg3 = &p[3];
    // Configure a punt redirects
    let redirects = [
        redirect(p[0].sw_if_index(), pg3, nh_address),
        redirect(p[1].sw_if_index(), pg3, nh_address),
        redirect(p[2].sw_if_index(), pg3, any),
    ];
    for r in &redirects {
        objects::add(t, r.clone())?;
    }
    // Dump pg0 punt redirects
    for r in &redirects {
        assert!(r.query_vpp_config(t.api())?, "{r} is not in VPP");
    }
    // Dump punt redirects for all interfaces
    let punts = t.api().dump(&IpPuntRedirectDump {
        sw_if_index: u32::MAX,
        is_ipv6: nh_address.is_ipv6(),
    })?;
    assert_eq!(punts.len(), 3);
    for p in &punts {
        assert_eq!(p.punt.tx_sw_if_index, pg3.sw_if_index());
    }
    // Python's `assertNotEqual(punts[1].punt.nh, pg3.remote_ip4)`
    // compares an address with a string and cannot fail; not ported.
    assert_eq!(punts[2].punt.nh.ip(), any);
    Ok(())
}

/// `test_ip_punt_policer_handoff` of TestIPPuntHandoff and
/// TestIP6PuntHandoff: the `name` policer polices `pkts` on the worker it
/// is bound to, whichever worker they come in on.
pub fn punt_policer_handoff(
    t: &mut TestCase,
    pkts: &[Packet],
    nh_addr: IpAddr,
    name: &str,
) -> TestResult {
    let p = pg::interfaces(t)?;
    let (pg0, pg1) = (&p[0], &p[1]);
    // Configure a punt redirect via pg1.
    let ip_punt_redirect = objects::add(t, redirect(pg0.sw_if_index(), pg1, nh_addr))?;
    // This policer drops no packets, we are just
    // testing that they get to the right thread.
    let tx = PolicerAction::TRANSMIT;
    let policer = Policer::new(name, 400, 0, 10, 0).pps().actions(tx, tx, tx);
    let policer = objects::add(t, policer)?;
    let ip_punt_policer = punt_policer(t, &policer, nh_addr.is_ipv6())?;
    let send_on_both = |t: &mut TestCase| -> TestResult {
        for worker in [0, 1] {
            let o = pg::SendOptions {
                worker: Some(worker),
                ..pg::SendOptions::default()
            };
            pg::send_and_expect_with(t, pg0, pkts, pg1, &o)?;
            let trace = t.cli("show trace max 100")?;
            tracing::debug!("{trace}");
        }
        Ok(())
    };
    let policed = |s: &PolicerStats| {
        assert!(s.conform_packets > 0, "{s:?}");
        assert_eq!(s.exceed_packets, 0, "{s:?}");
        assert!(s.violate_packets > 0, "{s:?}");
    };
    send_on_both(t)?;
    // Combined stats, all threads
    let stats = policer.stats(t, None)?;
    // Single rate policer - expect conform, violate but no exceed
    policed(&stats);
    // Worker 0, should have done all the policing
    let stats0 = policer.stats(t, Some(0))?;
    assert_eq!(stats, stats0);
    // Worker 1, should have handed everything off
    let stats1 = policer.stats(t, Some(1))?;
    assert_eq!(
        (
            stats1.conform_packets,
            stats1.exceed_packets,
            stats1.violate_packets
        ),
        (0, 0, 0)
    );
    // Bind the policer to worker 1 and repeat
    policer.bind(t.api(), 1, true)?;
    send_on_both(t)?;
    // The 2 workers should now have policed the same amount
    let stats = policer.stats(t, None)?;
    let stats0 = policer.stats(t, Some(0))?;
    let stats1 = policer.stats(t, Some(1))?;
    policed(&stats0);
    policed(&stats1);
    assert_eq!(
        stats0.conform_packets + stats1.conform_packets,
        stats.conform_packets
    );
    assert_eq!(
        stats0.violate_packets + stats1.violate_packets,
        stats.violate_packets
    );
    // Unbind the policer and repeat
    policer.bind(t.api(), 1, false)?;
    send_on_both(t)?;
    // The policer should auto-bind to worker 0 when packets arrive
    let stats0new = policer.stats(t, Some(0))?;
    let stats1new = policer.stats(t, Some(1))?;
    assert!(stats0new.conform_packets > stats0.conform_packets);
    assert_eq!(stats0new.exceed_packets, 0);
    assert!(stats0new.violate_packets > stats0.violate_packets);
    assert_eq!(stats1, stats1new);
    // Clean up
    objects::remove(t, &ip_punt_policer)?;
    objects::remove(t, &policer)?;
    objects::remove(t, &ip_punt_redirect)
}

/// An IPv4 or IPv6 header from `src` to `dst` (both of one family).
pub fn ip_header(src: IpAddr, dst: IpAddr) -> Packet {
    match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => Packet::from(Ipv4::new(s, d)),
        (IpAddr::V6(s), IpAddr::V6(d)) => Packet::from(Ipv6::new(s, d)),
        _ => panic!("{src} and {dst} are of two families"),
    }
}

/// A remote host's address on `i` of `family`'s.
pub fn remote_ip(i: &PgInterface, family: IpAddr) -> IpAddr {
    match family {
        IpAddr::V4(_) => i.remote_ip4().into(),
        IpAddr::V6(_) => i.remote_ip6().into(),
    }
}

/// `test_interface_rx` of TestIP4InterfaceRx and TestIP6InterfaceRx, with
/// pg0, pg1 and pg2 in tables 0, 1 and 2: a route to `cover` in table 0
/// receives on pg1 (so in table 1) and, in table 1, on pg2; each of the
/// `flows` (source and destination) is dropped there until a host route in
/// the next table sends it out of that table's interface.
pub fn interface_rx(t: &mut TestCase, cover: &str, flows: [(&str, &str); 2]) -> TestResult {
    let p = pg::interfaces(t)?;
    let pg0 = &p[0];
    for (table_id, (src, dst)) in (0..).zip(flows) {
        let (src, dst): (IpAddr, IpAddr) = (src.parse()?, dst.parse()?);
        let any: IpAddr = match dst {
            IpAddr::V4(_) => Ipv4Addr::UNSPECIFIED.into(),
            IpAddr::V6(_) => Ipv6Addr::UNSPECIFIED.into(),
        };
        let (rx_if, out) = (&p[table_id as usize + 1], table_id + 1);
        // add a route in the table to receive ...
        let path = RoutePath::via(any, rx_if.sw_if_index()).of_type(FibPathType::InterfaceRx);
        objects::add(t, IpRoute::new(cover, [path])?.in_table(table_id))?;
        // packets to these destination are dropped, since they'll
        // hit the respective default routes in the next table
        let pkt = Ether::new(pg0.remote_mac(), pg0.local_mac())
            / ip_header(src, dst)
            / Tcp::new(1234, 1234)
            / Raw::new([0xa5; 100]);
        let pkts_dst = vec![pkt; 10];
        let remark = format!("IP in table {out}");
        pg::send_and_assert_no_replies_with(t, pg0, &pkts_dst, &pg::SendOptions::remark(&remark))?;
        // add a route in the next table to forward via its interface
        let host = format!("{dst}/{}", if dst.is_ipv4() { 32 } else { 128 });
        let path = RoutePath::via(remote_ip(rx_if, dst), rx_if.sw_if_index());
        objects::add(t, IpRoute::new(&host, [path])?.in_table(out))?;
        pg::send_and_expect(t, pg0, &pkts_dst, rx_if)?;
    }
    Ok(())
}

/// A unicast and a multicast route of a table.
type RoutePair = (IpRoute, IpMRoute);

/// Checks each table's dumps: route `jj` must be there if `want(jj)` says
/// `Some(true)`, must not be if `Some(false)`.
fn assert_in_tables(
    t: &mut TestCase,
    tables: &[IpTable],
    routes: &[Vec<RoutePair>],
    want: impl Fn(usize) -> Option<bool>,
) -> TestResult {
    for (table, routes) in tables.iter().zip(routes) {
        let dump = table.dump(t.api())?;
        let mdump = table.mdump(t.api())?;
        for (jj, (uni, multi)) in routes.iter().enumerate() {
            if let Some(present) = want(jj) {
                assert_eq!(uni.in_dump(&dump), present, "{uni}");
                assert_eq!(multi.in_dump(&mdump), present, "{multi}");
            }
        }
    }
    Ok(())
}

/// Adds again the routes `jj` for which `pick(jj)`.
fn add_again(
    t: &mut TestCase,
    routes: &mut [Vec<RoutePair>],
    pick: impl Fn(usize) -> bool,
) -> TestResult {
    for routes in routes.iter_mut() {
        for (jj, (uni, multi)) in routes.iter_mut().enumerate() {
            if pick(jj) {
                uni.add_vpp_config(t.api())?;
                multi.add_vpp_config(t.api())?;
            }
        }
    }
    Ok(())
}

/// What the table-replace test of a family adds and finds.
pub struct ReplaceFamily {
    /// IPv6 tables rather than IPv4.
    pub is_ip6: bool,
    /// The route numbers (IPv4: 0 to 19; IPv6: 1 to 19).
    pub routes: std::ops::Range<usize>,
    /// The unicast route of number `jj` (`10.0.0.jj/32`).
    pub uni: fn(usize) -> String,
    /// The group of multicast route `jj` (`239.0.0.jj`).
    pub grp: fn(usize) -> IpAddr,
    /// The routes and multicast routes an empty table dumps.
    pub empty: (usize, usize),
    /// Whether the test checks the empty tables first (IPv6 does).
    pub check_empty_first: bool,
}

/// `test_replace` of TestIPReplace and TestIP6Replace: each link's table
/// (1 to 4) gets unicast routes via its two remote hosts and multicast
/// routes accepting on pg0, forwarding on the others; three times the
/// tables are replaced with the even routes only, then all again; last
/// they are flushed.
pub fn table_replace(t: &mut TestCase, f: &ReplaceFamily) -> TestResult {
    let links = pg::interfaces(t)?;
    let tables: Vec<IpTable> = (1..=4)
        .map(|table_id| IpTable {
            table_id,
            is_ip6: f.is_ip6,
        })
        .collect();
    // the sizes of 'empty' tables
    if f.check_empty_first {
        for table in &tables {
            assert_eq!(table.dump(t.api())?.len(), f.empty.0);
            assert_eq!(table.mdump(t.api())?.len(), f.empty.1);
        }
    }
    let any = if f.is_ip6 {
        Ipv6Addr::UNSPECIFIED.into()
    } else {
        IpAddr::from(Ipv4Addr::UNSPECIFIED)
    };
    let mut routes: Vec<Vec<RoutePair>> = Vec::new();
    // load up the tables with some routes
    for (link, table) in links.iter().zip(&tables) {
        let mut in_table = Vec::new();
        for jj in f.routes.clone() {
            let paths = link.remote_hosts()[..2]
                .iter()
                .map(|h| {
                    let nh: IpAddr = if f.is_ip6 { h.ip6.into() } else { h.ip4.into() };
                    RoutePath::via(nh, link.sw_if_index())
                })
                .collect::<Vec<_>>();
            let uni = IpRoute::new(&(f.uni)(jj), paths)?.in_table(table.table_id);
            // MFIB_API_ITF_FLAG_ACCEPT on pg0, MFIB_API_ITF_FLAG_FORWARD
            // on the others
            let paths = links
                .iter()
                .enumerate()
                .map(|(k, i)| MRoutePath {
                    sw_if_index: i.sw_if_index(),
                    itf_flags: if k == 0 { 2 } else { 4 },
                })
                .collect();
            let multi = IpMRoute {
                table_id: table.table_id,
                src: any,
                grp: (f.grp)(jj),
                grp_len: if f.is_ip6 { 128 } else { 32 },
                entry_flags: 0,
                rpf_id: 0,
                paths,
            };
            in_table.push((objects::add(t, uni)?, objects::add(t, multi)?));
        }
        routes.push(in_table);
    }
    // replace the tables a few times
    for _ in 0..3 {
        // replace_begin each table
        for table in &tables {
            table.replace_begin(t.api())?;
        }
        // all the routes are still there
        assert_in_tables(t, &tables, &routes, |_| Some(true))?;
        // redownload the even numbered routes
        add_again(t, &mut routes, |jj| jj % 2 == 0)?;
        // signal each table replace_end
        for table in &tables {
            table.replace_end(t.api())?;
        }
        // we should find the even routes, but not the odd (the original
        // checks the odd ones below the 19th only)
        assert_in_tables(t, &tables, &routes, |jj| match jj % 2 {
            0 => Some(true),
            _ if jj < 19 => Some(false),
            _ => None,
        })?;
        // reload all the routes
        add_again(t, &mut routes, |_| true)?;
        // all the routes are still there
        assert_in_tables(t, &tables, &routes, |_| Some(true))?;
    }
    // finally flush the tables for good measure
    for table in &tables {
        table.flush(t.api())?;
        assert_eq!(table.dump(t.api())?.len(), f.empty.0);
        assert_eq!(table.mdump(t.api())?.len(), f.empty.1);
    }
    Ok(())
}

/// How many addresses of the family the interface has (`get_n_pfxs`).
fn n_pfxs(t: &mut TestCase, intf: &PgInterface, is_ipv6: bool) -> TestResult<usize> {
    let d = t.api().dump(&IpAddressDump {
        sw_if_index: intf.sw_if_index(),
        is_ipv6,
    })?;
    Ok(d.len())
}

fn address_replace(t: &mut TestCase, begin: bool) -> TestResult {
    if begin {
        t.api().request(&SwInterfaceAddressReplaceBegin)?;
    } else {
        t.api().request(&SwInterfaceAddressReplaceEnd)?;
    }
    Ok(())
}

/// `test_replace` of TestIP4Replace and TestIP6AddrReplace. `addr(net,
/// x, host)` is the address `host` of subnet `net` for interface `x`
/// (IPv4 `172.<net>.<x>.<host>`, IPv6 `2001:<net>:<x>::<host>`), of
/// length `len`.
pub fn address_replace_test(
    t: &mut TestCase,
    is_ipv6: bool,
    addr: fn(u32, u32, u32) -> String,
    len: u8,
) -> TestResult {
    let p = pg::interfaces(t)?;
    let add = |t: &mut TestCase, intf: &PgInterface, a: String| -> TestResult<IpInterfaceAddress> {
        objects::add(t, IpInterfaceAddress::new(intf.sw_if_index(), &a, len)?)
    };
    let assert_n = |t: &mut TestCase, intfs: &[PgInterface], n: usize| -> TestResult {
        for intf in intfs {
            assert_eq!(n_pfxs(t, intf, is_ipv6)?, n, "addresses on {}", intf.name());
        }
        Ok(())
    };
    let assert_there = |t: &mut TestCase, addrs: &[IpInterfaceAddress]| -> TestResult {
        for a in addrs {
            assert!(a.query_vpp_config(t.api())?, "{a} is gone");
        }
        Ok(())
    };
    let add_back = |t: &mut TestCase, which: &mut [Vec<IpInterfaceAddress>]| -> TestResult {
        for a in which.iter_mut().flatten() {
            a.add_vpp_config(t.api())?;
        }
        Ok(())
    };
    let mut intf_pfxs: Vec<Vec<IpInterfaceAddress>> = Vec::new();
    // add prefixes to each of the interfaces: x.1 and x.2 of subnet 16
    // (a different address in the same subnet), x.2 of subnet 15 (a
    // different address and subnet)
    for intf in &p {
        let x = intf.sw_if_index();
        intf_pfxs.push(vec![
            add(t, intf, addr(16, x, 1))?,
            add(t, intf, addr(16, x, 2))?,
            add(t, intf, addr(15, x, 2))?,
        ]);
    }
    // a dump should n_address in it
    assert_n(t, &p, 3)?;
    // remove all the address thru a replace
    address_replace(t, true)?;
    address_replace(t, false)?;
    assert_n(t, &p, 0)?;
    // add all the interface addresses back
    add_back(t, &mut intf_pfxs)?;
    assert_n(t, &p, 3)?;
    // replace again, but this time update/re-add the address on the first
    // two interfaces
    address_replace(t, true)?;
    add_back(t, &mut intf_pfxs[..2])?;
    address_replace(t, false)?;
    // on the first two the address still exist,
    // on the other two they do not
    assert_n(t, &p[..2], 3)?;
    assert_there(t, &intf_pfxs[..2].concat())?;
    assert_n(t, &p[2..], 0)?;
    // add all the interface addresses back on the last two
    add_back(t, &mut intf_pfxs[2..])?;
    assert_n(t, &p, 3)?;
    // replace again, this time add different prefixes on all the interfaces
    // (x.1 of subnet 18)
    address_replace(t, true)?;
    let mut pfxs = Vec::new();
    for intf in &p {
        pfxs.push(add(t, intf, addr(18, intf.sw_if_index(), 1))?);
    }
    address_replace(t, false)?;
    // only .18 should exist on each interface
    assert_n(t, &p, 1)?;
    assert_there(t, &pfxs)?;
    // remove everything
    address_replace(t, true)?;
    address_replace(t, false)?;
    assert_n(t, &p, 0)?;
    // add prefixes to each interface. post-begin add the prefix from
    // interface X onto interface Y. this would normally be an error
    // since it would generate a 'duplicate address' warning. but in
    // this case, since what is newly downloaded is sane, it's ok
    for intf in &p {
        add(t, intf, addr(18, intf.sw_if_index(), 1))?;
    }
    address_replace(t, true)?;
    let mut pfxs = Vec::new();
    for intf in &p {
        pfxs.push(add(t, intf, addr(18, intf.sw_if_index() + 1, 1))?);
    }
    address_replace(t, false)?;
    let addrs = t.cli("sh int addr")?;
    tracing::info!("{addrs}");
    assert_n(t, &p, 1)?;
    assert_there(t, &pfxs)
}

/// An interface of TestIPv4's and TestIPv6's flows: a pg interface or a
/// sub-interface.
#[derive(Clone)]
pub enum Port {
    /// A pg interface.
    Pg(PgInterface),
    /// A sub-interface of one.
    Sub(SubInterface),
}

impl Port {
    /// The interface its addresses are of.
    pub fn intf(&self) -> &PgInterface {
        match self {
            Port::Pg(p) => p,
            Port::Sub(s) => s.intf(),
        }
    }

    /// The pg interface its traffic goes through.
    pub fn pg(&self) -> &PgInterface {
        match self {
            Port::Pg(p) => p,
            Port::Sub(s) => s.parent(),
        }
    }
}

fn remote(i: &PgInterface, v6: bool) -> IpAddr {
    if v6 {
        i.remote_ip6().into()
    } else {
        i.remote_ip4().into()
    }
}

/// The addresses of a packet's IPv4 or IPv6 header.
fn addresses(p: &Packet) -> Option<(IpAddr, IpAddr)> {
    if let Some(ip) = p.get::<Ipv4>() {
        return Some((ip.src.into(), ip.dst.into()));
    }
    p.get::<Ipv6>().map(|ip| (ip.src.into(), ip.dst.into()))
}

/// The stream from `src` (`create_stream`): packets of 64 to 1500 bytes
/// by 10 and 1500 to 9020 by 50 (4 more on a sub-interface), each to one
/// of the other two ports by its size (`modify_packet`).
fn create_stream(infos: &mut PacketInfos, src: &Port, flows: [&Port; 2], v6: bool) -> Vec<Packet> {
    let hdr_ext = if matches!(src, Port::Sub(_)) { 4 } else { 0 };
    let s = src.intf();
    (64..1500)
        .step_by(10)
        .chain((1500 + hdr_ext..9020 + hdr_ext).step_by(50))
        .map(|size| {
            let dst = flows[(size / 10) % 2];
            let info = infos.create_for(
                s.sw_if_index(),
                dst.intf().sw_if_index(),
                dst.pg().sw_if_index(),
            );
            let p = Ether::new(s.remote_mac(), s.local_mac())
                / ip_header(remote(s, v6), remote(dst.intf(), v6))
                / Udp::new(1234, 1234)
                / Raw::new(info.to_payload());
            infos.set_data(&info, p.clone());
            let mut p = match src {
                Port::Sub(sub) => sub.add_dot1_layer(p),
                Port::Pg(_) => p,
            };
            extend_packet(&mut p, size, b" ");
            p
        })
        .collect()
}

/// Checks what `dst` got: untagged as its tags say, each the next
/// expected, with the addresses and ports sent; nothing missing
/// (`verify_capture`).
fn verify_capture(infos: &PacketInfos, all: &[Port], dst: &Port, capture: &[Packet]) -> TestResult {
    tracing::info!("Verifying capture on interface {}", dst.intf().name());
    let mut cursor = InfoCursor::default();
    let dst_sw_if_index = dst.intf().sw_if_index();
    for packet in capture {
        let packet = match dst {
            // Check VLAN tags and Ethernet header
            Port::Sub(sub) => sub.remove_dot1_layer(packet.clone())?,
            Port::Pg(_) => packet.clone(),
        };
        assert!(!packet.has::<Dot1Q>());
        let (_, saved) = infos
            .expect_next(&mut cursor, &packet, dst_sw_if_index)
            .inspect_err(|_| tracing::error!("Unexpected or invalid packet:\n{}", packet.show()))?;
        // Check standard fields
        assert_eq!(addresses(&packet), addresses(saved));
        let (udp, sudp) = (packet.expect::<Udp>(), saved.expect::<Udp>());
        assert_eq!((udp.sport, udp.dport), (sudp.sport, sudp.dport));
    }
    for i in all {
        assert!(
            infos
                .next_in(&mut cursor.clone(), i.intf().sw_if_index(), dst_sw_if_index)
                .is_none(),
            "Interface {}: Packet expected from interface {} didn't arrive",
            dst.intf().name(),
            i.intf().name()
        );
    }
    Ok(())
}

/// `test_fib` of TestIPv4 and TestIPv6: a stream from each of the three
/// ports to the other two (IPv6 if `v6`), each checked where it comes
/// out.
pub fn fib_test(t: &mut TestCase, all: &[Port], v6: bool) -> TestResult {
    let flows = |i: usize| -> [&Port; 2] {
        // packet flows mapping pg0 -> pg1.sub, pg2.sub, etc.
        match i {
            0 => [&all[1], &all[2]],
            1 => [&all[0], &all[2]],
            _ => [&all[0], &all[1]],
        }
    };
    let mut infos = PacketInfos::new();
    for (i, src) in all.iter().enumerate() {
        let pkts = create_stream(&mut infos, src, flows(i), v6);
        src.pg().add_stream(t, &pkts)?;
    }
    pg::enable_capture(t, &pg::interfaces(t)?)?;
    pg::start(t)?;
    for dst in all {
        let n = infos.count_for(dst.pg().sw_if_index());
        let pkts = dst.pg().get_capture(t, n)?;
        verify_capture(&infos, all, dst, &pkts)?;
    }
    Ok(())
}

/// 257 TCP packets from `src` to `dst` in on pg0.
fn tcp_a5(pg0: &PgInterface, src: IpAddr, dst: IpAddr) -> Vec<Packet> {
    let p = Ether::new(pg0.remote_mac(), pg0.local_mac())
        / ip_header(src, dst)
        / Tcp::new(1234, 1234)
        / Raw::new([0xa5; 100]);
    vec![p; 257]
}

/// The addresses of `test_ip_deag`: `dst` (looked up again in table 1)
/// and `src_dst` (looked up by source in table 2), the sources sent from
/// to each, and a route `loop_dst` that looks up in table 0 again.
pub struct DeagAddresses {
    /// Looked up again in table 1, from `from_dst`.
    pub dst: &'static str,
    /// The source of the packets to `dst`.
    pub from_dst: &'static str,
    /// Looked up by source in table 2.
    pub src_dst: &'static str,
    /// The source of the packets to `src_dst`, routed in table 2.
    pub from_src: &'static str,
    /// A route that looks up in table 0: a loop.
    pub loop_dst: &'static str,
    /// The source of the packets to `loop_dst`.
    pub loop_src: &'static str,
}

/// `test_ip_deag` of TestIPDeag and TestIP6Deag: routes that look up
/// again in another table, by destination or by source.
pub fn deag_test(t: &mut TestCase, a: &DeagAddresses) -> TestResult {
    let p = pg::interfaces(t)?;
    let (pg0, pg1, pg2) = (&p[0], &p[1], &p[2]);
    let ip = |s: &str| -> TestResult<IpAddr> { Ok(s.parse()?) };
    let host = |s: &str| format!("{s}/{}", if s.contains(':') { 128 } else { 32 });
    let is_ip6 = a.dst.contains(':');
    let any: IpAddr = if is_ip6 {
        Ipv6Addr::UNSPECIFIED.into()
    } else {
        Ipv4Addr::UNSPECIFIED.into()
    };
    // Create a table to be used for:
    //  1 - another destination address lookup
    //  2 - a source address lookup
    for table_id in [1, 2] {
        objects::add(t, IpTable { table_id, is_ip6 })?;
    }
    // Add a route in the default table to point to a deag/
    // second lookup in each of these tables
    let lookup_in = |table_id: u32, path_type: FibPathType| RoutePath {
        nh_table_id: table_id,
        ..RoutePath::via(any, u32::MAX).of_type(path_type)
    };
    objects::add(
        t,
        IpRoute::new(&host(a.dst), [lookup_in(1, FibPathType::Normal)])?,
    )?;
    let by_src = lookup_in(2, FibPathType::SourceLookup);
    objects::add(t, IpRoute::new(&host(a.src_dst), [by_src])?)?;
    // packets to these destination are dropped, since they'll
    // hit the respective default routes in the second table
    let pkts_dst = tcp_a5(pg0, ip(a.from_dst)?, ip(a.dst)?);
    let pkts_src = tcp_a5(pg0, ip(a.from_src)?, ip(a.src_dst)?);
    pg::send_and_assert_no_replies_with(
        t,
        pg0,
        &pkts_dst,
        &pg::SendOptions::remark("IP in dst table"),
    )?;
    pg::send_and_assert_no_replies_with(
        t,
        pg0,
        &pkts_src,
        &pg::SendOptions::remark("IP in src table"),
    )?;
    // add a route in the dst table to forward via pg1
    let via = |i: &PgInterface| RoutePath::via(remote_ip(i, any), i.sw_if_index());
    objects::add(t, IpRoute::new(&host(a.dst), [via(pg1)])?.in_table(1))?;
    pg::send_and_expect(t, pg0, &pkts_dst, pg1)?;
    // add a route in the src table to forward via pg2
    objects::add(t, IpRoute::new(&host(a.from_src), [via(pg2)])?.in_table(2))?;
    pg::send_and_expect(t, pg0, &pkts_src, pg2)?;
    // loop in the lookup DP
    objects::add(
        t,
        IpRoute::new(&host(a.loop_dst), [lookup_in(0, FibPathType::Normal)])?,
    )?;
    let p_l = tcp_a5(pg0, ip(a.loop_src)?, ip(a.loop_dst)?);
    pg::send_and_assert_no_replies_with(t, pg0, &p_l, &pg::SendOptions::remark("IP lookup loop"))
}
