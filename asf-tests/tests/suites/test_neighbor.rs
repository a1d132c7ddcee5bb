//! Port of `test/test_neighbor.py`: ARP (requests, replies, unnumbered
//! interfaces, events, proxy ARP, GARP, static and dynamic entries, MAC
//! changes, VRRP MACs, table swaps, glean source selection), neighbour
//! counters, aging and recycling, replacement and flushing.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use asf_core::packet::{Arp, Dot1Q, Ether, Ipv4, Ipv6, Mac, Mpls, Packet, Raw, Tcp, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::arp::{ProxyArp, ProxyArpAddDel};
use asf_vocab::api::ip::{FibPathType, IpPuntRedirect, IpUnnumberedDump, PuntRedirect};
use asf_vocab::api::ip_neighbor::{
    IpNeighborConfig, IpNeighborConfigGet, IpNeighborDump, IpNeighborEvent, IpNeighborEventFlags,
    IpNeighborEventV2, IpNeighborFlush, IpNeighborReplaceBegin, IpNeighborReplaceEnd,
    WantIpNeighborEvents, WantIpNeighborEventsV2,
};
use asf_vocab::api::ip_types::AddressFamily;
use asf_vocab::objects::{
    self, find_nbr, IpInterfaceAddress, IpRoute, IpTable, MplsLabel, Neighbor, RoutePath, VppObject,
};
use asf_vocab::pg::{self, PgInterface, SendOptions, SubInterface, DOT1AD_TYPE};

const NUM_PKTS: usize = 67;

fn v4(s: &str) -> Ipv4Addr {
    s.parse().expect("an IPv4 address")
}

fn mac(s: &str) -> Mac {
    s.parse().expect("a MAC")
}

fn any4() -> IpAddr {
    Ipv4Addr::UNSPECIFIED.into()
}

/// `Ether(dst=bcast, src=hwsrc) / ARP(op="who-has", hwsrc, psrc, pdst)`.
fn who_has(hwsrc: Mac, psrc: Ipv4Addr, pdst: Ipv4Addr) -> Packet {
    Ether::new(hwsrc, Mac::BROADCAST) / Arp::who_has(hwsrc, psrc, pdst)
}

/// The same with a VLAN 0 tag.
fn who_has_tagged(hwsrc: Mac, psrc: Ipv4Addr, pdst: Ipv4Addr) -> Packet {
    Ether::new(hwsrc, Mac::BROADCAST) / Dot1Q::new(0) / Arp::who_has(hwsrc, psrc, pdst)
}

/// A gratuitous ARP of `op` from `ether_src` (`hwdst` given).
fn garp(op: u16, ether_src: Mac, hwdst: Mac, hwsrc: Mac, ip: Ipv4Addr) -> Packet {
    Ether::new(ether_src, Mac::BROADCAST)
        / Arp {
            op,
            hwdst,
            ..Arp::who_has(hwsrc, ip, ip)
        }
}

/// UDP from pg0's remote host to `dst`, to pg0's MAC.
fn udp_from_pg0(pg0: &PgInterface, dst: Ipv4Addr) -> Packet {
    Ether::new(pg0.remote_mac(), pg0.local_mac())
        / Ipv4::new(pg0.remote_ip4(), dst)
        / Udp::new(1234, 1234)
        / Raw::new([])
}

fn verify_arp_req(rx: &Packet, smac: Mac, sip: Ipv4Addr, dip: Ipv4Addr, etype: u16) {
    let ether = rx.expect::<Ether>();
    assert_eq!(ether.dst, Mac::BROADCAST);
    assert_eq!(ether.src, smac);
    assert_eq!(ether.ty, Some(etype));
    let arp = rx.expect::<Arp>();
    assert_eq!(arp.hwtype, 1);
    assert_eq!(arp.ptype, 0x800);
    assert_eq!(arp.hwlen, Some(6));
    assert_eq!(arp.plen, Some(4));
    assert_eq!(arp.op, Arp::WHO_HAS);
    assert_eq!(arp.hwsrc, smac);
    assert_eq!(arp.hwdst, Mac::ZERO);
    assert_eq!(arp.psrc, sip);
    assert_eq!(arp.pdst, dip);
}

fn verify_arp_resp(rx: &Packet, smac: Mac, dmac: Mac, sip: Ipv4Addr, dip: Ipv4Addr) {
    let ether = rx.expect::<Ether>();
    assert_eq!(ether.dst, dmac);
    assert_eq!(ether.src, smac);
    assert_eq!(ether.ty, Some(0x0806));
    let arp = rx.expect::<Arp>();
    assert_eq!(arp.hwtype, 1);
    assert_eq!(arp.ptype, 0x800);
    assert_eq!(arp.hwlen, Some(6));
    assert_eq!(arp.plen, Some(4));
    assert_eq!(arp.op, Arp::IS_AT);
    assert_eq!(arp.hwsrc, smac);
    assert_eq!(arp.hwdst, dmac);
    assert_eq!(arp.psrc, sip);
    assert_eq!(arp.pdst, dip);
}

fn verify_ip(rx: &Packet, smac: Mac, dmac: Mac, sip: Ipv4Addr, dip: Ipv4Addr) {
    let ether = rx.expect::<Ether>();
    assert_eq!(ether.dst, dmac);
    assert_eq!(ether.src, smac);
    assert_eq!(ether.ty, Some(0x0800));
    let ip = rx.expect::<Ipv4>();
    assert_eq!(ip.src, sip);
    assert_eq!(ip.dst, dip);
}

fn verify_ip_o_mpls(rx: &Packet, smac: Mac, dmac: Mac, sip: Ipv4Addr, dip: Ipv4Addr) {
    let ether = rx.expect::<Ether>();
    assert_eq!(ether.dst, dmac);
    assert_eq!(ether.src, smac);
    assert_eq!(ether.ty, Some(0x8847));
    // The original's label check is assertTrue(label, 55), true for any
    // label; the MPLS header must be there.
    let _ = rx.expect::<Mpls>();
    let ip = rx.expect::<Ipv4>();
    assert_eq!(ip.src, sip);
    assert_eq!(ip.dst, dip);
}

/// An ARP counter of the interface (`get_arp_*`).
fn arp_stat(t: &mut TestCase, name: &str, itf: &PgInterface) -> TestResult<u64> {
    Ok(t.get_counter(&format!("/net/arp/{name}"))?
        .sum_index(itf.sw_if_index() as usize))
}

/// Sends `pkts` into `input` and takes `n` from `output` (`add_stream`,
/// `pg_enable_capture`, `pg_start`, `get_capture(n)`).
fn send_n(
    t: &mut TestCase,
    input: &PgInterface,
    pkts: &[Packet],
    output: &PgInterface,
    n: usize,
) -> TestResult<Vec<Packet>> {
    pg::send_and_expect_with(
        t,
        input,
        pkts,
        output,
        &SendOptions {
            n_rx: Some(n),
            ..SendOptions::default()
        },
    )
}

fn send1(
    t: &mut TestCase,
    input: &PgInterface,
    p: &Packet,
    output: &PgInterface,
) -> TestResult<Packet> {
    Ok(send_n(t, input, std::slice::from_ref(p), output, 1)?.remove(0))
}

fn no_reply(t: &mut TestCase, input: &PgInterface, p: &Packet, remark: &str) -> TestResult {
    pg::send_and_assert_no_replies_with(
        t,
        input,
        std::slice::from_ref(p),
        &pg::SendOptions::remark(remark),
    )
}

fn nbr(t: &mut TestCase, sw: u32, ip: impl Into<IpAddr>) -> TestResult<bool> {
    find_nbr(t.api(), sw, ip.into(), false, None)
}

fn nbr_static(
    t: &mut TestCase,
    sw: u32,
    ip: impl Into<IpAddr>,
    mac: Option<Mac>,
) -> TestResult<bool> {
    find_nbr(t.api(), sw, ip.into(), true, mac.map(|m| m.0))
}

fn nbr_dynamic(
    t: &mut TestCase,
    sw: u32,
    ip: impl Into<IpAddr>,
    mac: Option<Mac>,
) -> TestResult<bool> {
    find_nbr(t.api(), sw, ip.into(), false, mac.map(|m| m.0))
}

/// A neighbour for a host, dynamic unless made static.
fn neighbor(sw: u32, m: Mac, ip: impl Into<IpAddr>) -> Neighbor {
    let mut n = Neighbor::new(sw, "00:00:00:00:00:00", "0.0.0.0").expect("valid");
    n.mac = m.0;
    n.ip = ip.into();
    n
}

/// Whether the table has a route to `ip`/32 (`find_route`).
fn find_route(t: &mut TestCase, ip: Ipv4Addr, table_id: u32) -> TestResult<bool> {
    IpRoute::new(&format!("{ip}/32"), [])?
        .in_table(table_id)
        .query_vpp_config(t.api())
}

fn route(t: &mut TestCase, dst: &str, paths: Vec<RoutePath>) -> TestResult<IpRoute> {
    objects::add(t, IpRoute::new(dst, paths)?)
}

fn proxy_arp(t: &mut TestCase, low: Ipv4Addr, hi: Ipv4Addr, is_add: bool) -> TestResult {
    t.api().request(&ProxyArpAddDel {
        is_add,
        proxy: ProxyArp {
            table_id: 0,
            low: low.octets(),
            hi: hi.octets(),
        },
    })?;
    Ok(())
}

fn want_events(
    t: &mut TestCase,
    enable: bool,
    sw_if_index: u32,
    ip: Option<Ipv4Addr>,
) -> TestResult {
    t.api().request(&WantIpNeighborEvents {
        enable,
        pid: std::process::id(),
        ip: ip
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), IpAddr::V4)
            .into(),
        sw_if_index,
    })?;
    Ok(())
}

fn set_up(t: &mut TestCase) -> TestResult {
    // create 3 pg interfaces
    let p = pg::create_interfaces(t, 0..4)?;
    // pg0 configured with ip4 and 6 addresses used for input
    // pg1 configured with ip4 and 6 addresses used for output
    // pg2 is unnumbered to pg0
    for i in &p {
        i.admin_up(t)?;
    }
    p[0].config_ip4(t)?.config_ip6(t)?.resolve_arp(t)?;
    p[1].config_ip4(t)?.config_ip6(t)?;
    // pg3 in a different VRF
    objects::add(
        t,
        IpTable {
            table_id: 1,
            is_ip6: false,
        },
    )?;
    p[3].set_table_ip4(t, 1)?.config_ip4(t)?;
    Ok(())
}

fn tear_down(t: &mut TestCase) -> TestResult {
    let p = pg::interfaces(t)?;
    p[0].unconfig_ip4(t)?.unconfig_ip6(t)?;
    p[1].unconfig_ip4(t)?.unconfig_ip6(t)?;
    p[3].unconfig_ip4(t)?.set_table_ip4(t, 0)?;
    for i in &p {
        i.admin_down(t)?;
    }
    Ok(())
}

fn pgs(t: &TestCase) -> TestResult<[PgInterface; 4]> {
    let p = pg::interfaces(t)?;
    Ok([p[0].clone(), p[1].clone(), p[2].clone(), p[3].clone()])
}

/// ARP Test Case
#[vpp_test(
    name = "ARPTestCase",
    set_up = set_up,
    tear_down = tear_down,
    // VPP's ARP and neighbour API (the stand-in has neither).
    requires_messages = ["proxy_arp_add_del", "ip_neighbor_dump"]
)]
mod arp {
    use super::*;

    /// ARP
    #[vpp_test]
    fn test_arp(t: &mut TestCase) -> TestResult {
        let [pg0, pg1, pg2, _] = pgs(t)?;
        // Generate some hosts on the LAN
        pg1.generate_remote_hosts(11);
        let h1 = pg1.remote_hosts();
        // watch for:
        //  - all neighbour events
        //  - all neighbor events on pg1
        //  - neighbor events for host[1] on pg1
        want_events(t, true, u32::MAX, None)?;
        want_events(t, true, pg1.sw_if_index(), None)?;
        want_events(t, true, pg1.sw_if_index(), Some(h1[1].ip4))?;
        tracing::info!("{}", t.cli("sh ip neighbor-watcher")?);
        // Send IP traffic to one of these unresolved hosts.
        //  expect the generation of an ARP request
        let p = udp_from_pg0(&pg0, h1[1].ip4);
        let rx = send1(t, &pg0, &p, &pg1)?;
        verify_arp_req(&rx, pg1.local_mac(), pg1.local_ip4(), h1[1].ip4, 0x0806);
        tracing::info!("{}", t.cli("sh ip neighbor-stats")?);
        tracing::info!("{}", t.cli("sh ip neighbor-stats pg1")?);
        assert_eq!(arp_stat(t, "tx/requests", &pg1)?, 1);
        // And a dynamic ARP entry for host 1
        let dyn_arp = objects::add(t, neighbor(pg1.sw_if_index(), h1[1].mac, h1[1].ip4))?;
        assert!(dyn_arp.query_vpp_config(t.api())?);
        tracing::info!("{}", t.cli("show ip neighbor-watcher")?);
        // this matches all of the listnerers
        for _ in 0..3 {
            let e: IpNeighborEvent = t.api().wait_for_event_typed(Duration::from_secs(1))?;
            assert_eq!(e.neighbor.ip_address.ip(), IpAddr::V4(h1[1].ip4));
        }
        // now we expect IP traffic forwarded
        let dyn_p = udp_from_pg0(&pg0, h1[1].ip4);
        let rx = send1(t, &pg0, &dyn_p, &pg1)?;
        verify_ip(&rx, pg1.local_mac(), h1[1].mac, pg0.remote_ip4(), h1[1].ip4);
        // And a Static ARP entry for host 2
        let static_arp = objects::add(
            t,
            neighbor(pg1.sw_if_index(), h1[2].mac, h1[2].ip4).static_entry(),
        )?;
        for _ in 0..2 {
            let e: IpNeighborEvent = t.api().wait_for_event_typed(Duration::from_secs(1))?;
            assert_eq!(e.neighbor.ip_address.ip(), IpAddr::V4(h1[2].ip4));
        }
        let static_p = udp_from_pg0(&pg0, h1[2].ip4);
        let rx = send1(t, &pg0, &static_p, &pg1)?;
        verify_ip(&rx, pg1.local_mac(), h1[2].mac, pg0.remote_ip4(), h1[2].ip4);
        // remove all the listeners
        want_events(t, false, u32::MAX, None)?;
        want_events(t, false, pg1.sw_if_index(), None)?;
        want_events(t, false, pg1.sw_if_index(), Some(h1[1].ip4))?;
        // flap the link. dynamic ARPs get flush, statics don't
        pg1.admin_down(t)?.admin_up(t)?;
        let rx = send1(t, &pg0, &static_p, &pg1)?;
        verify_ip(&rx, pg1.local_mac(), h1[2].mac, pg0.remote_ip4(), h1[2].ip4);
        pg::past_resolution_throttle(t);
        let rx = send1(t, &pg0, &dyn_p, &pg1)?;
        verify_arp_req(&rx, pg1.local_mac(), pg1.local_ip4(), h1[1].ip4, 0x0806);
        assert_eq!(arp_stat(t, "tx/requests", &pg1)?, 2);
        assert!(!dyn_arp.query_vpp_config(t.api())?);
        assert!(static_arp.query_vpp_config(t.api())?);
        // Send an ARP request from one of the so-far unlearned remote hosts
        let p = who_has(h1[3].mac, h1[3].ip4, pg1.local_ip4());
        let rx = send1(t, &pg1, &p, &pg1)?;
        verify_arp_resp(&rx, pg1.local_mac(), h1[3].mac, pg1.local_ip4(), h1[3].ip4);
        tracing::info!("{}", t.cli("sh ip neighbor-stats pg1")?);
        assert_eq!(arp_stat(t, "rx/requests", &pg1)?, 1);
        assert_eq!(arp_stat(t, "tx/replies", &pg1)?, 1);
        // VPP should have learned the mapping for the remote host
        assert!(nbr(t, pg1.sw_if_index(), h1[3].ip4)?);
        // Fire in an ARP request before the interface becomes IP enabled
        pg2.generate_remote_hosts(4);
        let h2 = pg2.remote_hosts();
        let p = who_has(pg2.remote_mac(), h2[3].ip4, pg1.local_ip4());
        let pt = who_has_tagged(pg2.remote_mac(), h2[3].ip4, pg1.local_ip4());
        no_reply(t, &pg2, &p, "interface not IP enabled")?;
        // Make pg2 un-numbered to pg1
        pg2.set_unnumbered(t, pg1.sw_if_index())?;
        // test the unnumbered dump both by all interfaces and just the enabled
        // one
        for sw in [u32::MAX, pg2.sw_if_index()] {
            let unnum = t.api().dump(&IpUnnumberedDump { sw_if_index: sw })?;
            assert!(!unnum.is_empty());
            assert_eq!(unnum[0].ip_sw_if_index, pg1.sw_if_index());
            assert_eq!(unnum[0].sw_if_index, pg2.sw_if_index());
        }
        // Allow for ARP requests from point-to-point ethernet neighbors
        // without an attached route on pg2
        let rx = send1(t, &pg2, &p, &pg2)?;
        verify_arp_resp(
            &rx,
            pg2.local_mac(),
            pg2.remote_mac(),
            pg1.local_ip4(),
            h2[3].ip4,
        );
        // Allow for ARP requests from neighbors on unnumbered with
        // an attached route on pg2
        route(
            t,
            &format!("{}/32", h2[3].ip4),
            vec![RoutePath::via(any4(), pg2.sw_if_index())],
        )?;
        let rx = send1(t, &pg2, &p, &pg2)?;
        verify_arp_resp(
            &rx,
            pg2.local_mac(),
            pg2.remote_mac(),
            pg1.local_ip4(),
            h2[3].ip4,
        );
        let rx = send1(t, &pg2, &pt, &pg2)?;
        verify_arp_resp(
            &rx,
            pg2.local_mac(),
            pg2.remote_mac(),
            pg1.local_ip4(),
            h2[3].ip4,
        );
        // A neighbor entry that has no associated FIB-entry
        let mut arp_no_fib = neighbor(pg1.sw_if_index(), h1[4].mac, h1[4].ip4);
        arp_no_fib.no_fib_entry = true;
        objects::add(t, arp_no_fib)?;
        // check we have the neighbor, but no route
        assert!(nbr(t, pg1.sw_if_index(), h1[4].ip4)?);
        assert!(!find_route(t, h1[4].ip4, 0)?);
        // pg2 is unnumbered to pg1, so we can form adjacencies out of pg2
        // from within pg1's subnet
        objects::add(t, neighbor(pg2.sw_if_index(), h1[5].mac, h1[5].ip4))?;
        let p = udp_from_pg0(&pg0, h1[5].ip4);
        let rx = send1(t, &pg0, &p, &pg2)?;
        verify_ip(&rx, pg2.local_mac(), h1[5].mac, pg0.remote_ip4(), h1[5].ip4);
        // ARP requests from hosts in pg1's subnet sent on pg2 are replied to
        // with the unnumbered interface's address as the source
        let p = who_has(pg2.remote_mac(), h1[6].ip4, pg1.local_ip4());
        let rx = send1(t, &pg2, &p, &pg2)?;
        verify_arp_resp(
            &rx,
            pg2.local_mac(),
            pg2.remote_mac(),
            pg1.local_ip4(),
            h1[6].ip4,
        );
        // An attached host route out of pg2 for an undiscovered hosts generates
        // an ARP request with the unnumbered address as the source
        route(
            t,
            &format!("{}/32", h1[7].ip4),
            vec![RoutePath::via(any4(), pg2.sw_if_index())],
        )?;
        let p = udp_from_pg0(&pg0, h1[7].ip4);
        let rx = send1(t, &pg0, &p, &pg2)?;
        verify_arp_req(&rx, pg2.local_mac(), pg1.local_ip4(), h1[7].ip4, 0x0806);
        let p = who_has(pg2.remote_mac(), h1[7].ip4, pg1.local_ip4());
        let rx = send1(t, &pg2, &p, &pg2)?;
        verify_arp_resp(
            &rx,
            pg2.local_mac(),
            pg2.remote_mac(),
            pg1.local_ip4(),
            h1[7].ip4,
        );
        // An attached host route as yet unresolved out of pg2 for an
        // undiscovered host, an ARP requests begets a response.
        route(
            t,
            &format!("{}/32", h1[8].ip4),
            vec![RoutePath::via(any4(), pg2.sw_if_index())],
        )?;
        let p = who_has(pg2.remote_mac(), h1[8].ip4, pg1.local_ip4());
        let rx = send1(t, &pg2, &p, &pg2)?;
        verify_arp_resp(
            &rx,
            pg2.local_mac(),
            pg2.remote_mac(),
            pg1.local_ip4(),
            h1[8].ip4,
        );
        // Send an ARP request from one of the so-far unlearned remote hosts
        // with a VLAN0 tag
        let p = who_has_tagged(h1[9].mac, h1[9].ip4, pg1.local_ip4());
        let rx = send1(t, &pg1, &p, &pg1)?;
        verify_arp_resp(&rx, pg1.local_mac(), h1[9].mac, pg1.local_ip4(), h1[9].ip4);
        // Add a hierarchy of routes for a host in the sub-net.
        // Should still get an ARP resp since the cover is attached
        let p = who_has(pg1.remote_mac(), h1[10].ip4, pg1.local_ip4());
        for len in [30, 32] {
            route(
                t,
                &format!("{}/{len}", h1[10].ip4),
                vec![RoutePath::via(h1[10].ip4.into(), pg1.sw_if_index())],
            )?;
            let rx = send1(t, &pg1, &p, &pg1)?;
            verify_arp_resp(
                &rx,
                pg1.local_mac(),
                pg1.remote_mac(),
                pg1.local_ip4(),
                h1[10].ip4,
            );
        }
        // add an ARP entry that's not on the sub-net and so whose
        // adj-fib fails the refinement check. then send an ARP request
        // from that source
        objects::add(
            t,
            neighbor(pg0.sw_if_index(), pg0.remote_mac(), v4("100.100.100.50")),
        )?;
        let p = who_has(pg0.remote_mac(), v4("100.100.100.50"), pg0.remote_ip4());
        no_reply(t, &pg0, &p, "ARP req for from failed adj-fib")?;
        // ERROR Cases
        //  1 - don't respond to ARP request for address not within the
        //      interface's sub-net
        //  1b - nor within the unnumbered subnet
        //  1c - nor within the subnet of a different interface
        let p = who_has(pg0.remote_mac(), pg0.remote_ip4(), v4("10.10.10.3"));
        no_reply(t, &pg0, &p, "ARP req for non-local destination")?;
        assert!(!nbr(t, pg0.sw_if_index(), v4("10.10.10.3"))?);
        let p = who_has(pg2.remote_mac(), h1[7].ip4, v4("10.10.10.3"));
        no_reply(t, &pg0, &p, "ARP req for non-local destination - unnum")?;
        let p = who_has(pg0.remote_mac(), pg1.remote_ip4(), pg1.local_ip4());
        no_reply(t, &pg0, &p, "ARP req diff sub-net")?;
        assert!(!nbr(t, pg0.sw_if_index(), pg1.remote_ip4())?);
        //  2 - don't respond to ARP request from an address not within the
        //      interface's sub-net
        //   2b - to a proxied address
        //   2c - not within a different interface's sub-net
        let p = who_has(pg0.remote_mac(), v4("10.10.10.3"), pg0.local_ip4());
        no_reply(t, &pg0, &p, "ARP req for non-local source")?;
        let p = who_has(pg2.remote_mac(), v4("10.10.10.3"), pg0.local_ip4());
        no_reply(t, &pg0, &p, "ARP req for non-local source - unnum")?;
        let p = who_has(pg0.remote_mac(), pg1.remote_ip4(), pg0.local_ip4());
        no_reply(t, &pg0, &p, "ARP req for non-local source 2c")?;
        //  3 - don't respond to ARP request from an address that belongs to
        //      the router
        let p = who_has(pg0.remote_mac(), pg0.local_ip4(), pg0.local_ip4());
        no_reply(t, &pg0, &p, "ARP req for non-local source")?;
        //  4 - don't respond to ARP requests that has mac source different
        //      from ARP request HW source
        let p = Ether::new(pg0.remote_mac(), Mac::BROADCAST)
            / Arp::who_has(mac("00:00:00:DE:AD:BE"), pg0.remote_ip4(), pg0.local_ip4());
        no_reply(t, &pg0, &p, "ARP req for non-local source")?;
        //  5 - don't respond to ARP requests for address within the
        //      interface's sub-net but not the interface's address
        pg0.generate_remote_hosts(2);
        let h0 = pg0.remote_hosts();
        let p = who_has(pg0.remote_mac(), h0[0].ip4, h0[1].ip4);
        no_reply(t, &pg0, &p, "ARP req for non-local destination")?;
        // cleanup
        objects::remove(t, &static_arp)?;
        pg2.unset_unnumbered(t, pg1.sw_if_index())?;
        // need this to flush the adj-fibs
        pg2.unset_unnumbered(t, pg1.sw_if_index())?;
        pg2.admin_down(t)?;
        pg1.admin_down(t)?;
        Ok(())
    }

    /// ARP (after MAC address change)
    #[vpp_test]
    fn test_arp_after_mac_change(t: &mut TestCase) -> TestResult {
        let [pg0, pg1, _, _] = pgs(t)?;
        // Prepare a subinterface
        let subif0 = SubInterface::dot1ad(t, &pg1, 0, 300, 400)?;
        subif0.admin_up(t)?;
        let sub = pg::interface_of(t, subif0.sw_if_index())?;
        sub.config_ip4(t)?;
        // Send a packet to cause ARP generation for the parent interface's remote host
        let p1 = udp_from_pg0(&pg0, pg1.remote_ip4());
        let rx = send1(t, &pg0, &p1, &pg1)?;
        verify_arp_req(
            &rx,
            pg1.local_mac(),
            pg1.local_ip4(),
            pg1.remote_ip4(),
            0x0806,
        );
        // Send a packet to cause ARP generation for the subinterface's remote host
        let p2 = udp_from_pg0(&pg0, sub.remote_ip4());
        let rx = send1(t, &pg0, &p2, &pg1)?;
        verify_arp_req(
            &rx,
            pg1.local_mac(),
            sub.local_ip4(),
            sub.remote_ip4(),
            DOT1AD_TYPE,
        );
        // Change MAC address of the parent interface
        let pg1_mac_saved = pg1.local_mac();
        pg1.set_mac(t, mac("00:00:00:11:22:33"))?;
        // Send a packet to cause ARP generation for the parent interface's remote host
        //   - expect new MAC address is used as the source
        pg::past_resolution_throttle(t);
        let rx = send1(t, &pg0, &p1, &pg1)?;
        verify_arp_req(
            &rx,
            pg1.local_mac(),
            pg1.local_ip4(),
            pg1.remote_ip4(),
            0x0806,
        );
        // Send a packet to cause ARP generation for the subinterface's remote host
        //   - expect new MAC address is used as the source
        let rx = send1(t, &pg0, &p2, &pg1)?;
        verify_arp_req(
            &rx,
            pg1.local_mac(),
            sub.local_ip4(),
            sub.remote_ip4(),
            DOT1AD_TYPE,
        );
        // Cleanup
        subif0.delete(t)?;
        pg1.set_mac(t, pg1_mac_saved)?;
        Ok(())
    }

    /// ARP Duplicates
    #[vpp_test]
    fn test_arp_duplicates(t: &mut TestCase) -> TestResult {
        let [pg0, pg1, pg2, _] = pgs(t)?;
        // Generate some hosts on the LAN
        pg1.generate_remote_hosts(3);
        let h1 = pg1.remote_hosts();
        // Add host 1 on pg1 and pg2
        let arp_pg1 = objects::add(t, neighbor(pg1.sw_if_index(), h1[1].mac, h1[1].ip4))?;
        objects::add(t, neighbor(pg2.sw_if_index(), pg2.remote_mac(), h1[1].ip4))?;
        // IP packet destined for pg1 remote host arrives on pg1 again.
        let p = udp_from_pg0(&pg0, h1[1].ip4);
        let rx1 = send1(t, &pg0, &p, &pg1)?;
        verify_ip(
            &rx1,
            pg1.local_mac(),
            h1[1].mac,
            pg0.remote_ip4(),
            h1[1].ip4,
        );
        // remove the duplicate on pg1
        // packet stream should generate ARPs out of pg1
        objects::remove(t, &arp_pg1)?;
        let rx1 = send1(t, &pg0, &p, &pg1)?;
        verify_arp_req(&rx1, pg1.local_mac(), pg1.local_ip4(), h1[1].ip4, 0x0806);
        // Add it back
        objects::add(t, arp_pg1)?;
        let rx1 = send1(t, &pg0, &p, &pg1)?;
        verify_ip(
            &rx1,
            pg1.local_mac(),
            h1[1].mac,
            pg0.remote_ip4(),
            h1[1].ip4,
        );
        Ok(())
    }

    /// ARP for for-us
    #[vpp_test]
    fn test_arp_forus(t: &mut TestCase) -> TestResult {
        let [pg0, _, _, _] = pgs(t)?;
        // Test that VPP responds with ARP requests to addresses that
        // are connected and local routes.
        // Use one of the 'remote' addresses in the subnet as a local address
        // The intention of this route is that it then acts like a secondary
        // address added to an interface
        pg0.generate_remote_hosts(2);
        let h0 = pg0.remote_hosts();
        route(
            t,
            &format!("{}/32", h0[1].ip4),
            vec![RoutePath::via(any4(), pg0.sw_if_index()).of_type(FibPathType::Local)],
        )?;
        let p = Ether::new(pg0.remote_mac(), Mac::BROADCAST)
            / Arp {
                hwdst: pg0.local_mac(),
                ..Arp::who_has(pg0.remote_mac(), pg0.remote_ip4(), h0[1].ip4)
            };
        let rx = send1(t, &pg0, &p, &pg0)?;
        verify_arp_resp(
            &rx,
            pg0.local_mac(),
            pg0.remote_mac(),
            h0[1].ip4,
            pg0.remote_ip4(),
        );
        Ok(())
    }

    /// ARP Incomplete
    #[vpp_test]
    fn test_arp_incomplete(t: &mut TestCase) -> TestResult {
        let [pg0, pg1, pg2, _] = pgs(t)?;
        pg1.generate_remote_hosts(4);
        let h1 = pg1.remote_hosts();
        let p0 = udp_from_pg0(&pg0, h1[1].ip4);
        let p1 = udp_from_pg0(&pg0, h1[2].ip4);
        let p2 = udp_from_pg0(&pg0, v4("1.1.1.1"));
        // a packet to an unresolved destination generates an ARP request
        let rx = send1(t, &pg0, &p0, &pg1)?;
        verify_arp_req(&rx, pg1.local_mac(), pg1.local_ip4(), h1[1].ip4, 0x0806);
        // add a neighbour for remote host 1
        objects::add(
            t,
            neighbor(pg1.sw_if_index(), h1[1].mac, h1[1].ip4).static_entry(),
        )?;
        // add a route through remote host 3 hence we get an incomplete
        route(
            t,
            "1.1.1.1/32",
            vec![RoutePath::via(h1[3].ip4.into(), pg1.sw_if_index())],
        )?;
        let rx = send1(t, &pg0, &p2, &pg1)?;
        verify_arp_req(&rx, pg1.local_mac(), pg1.local_ip4(), h1[3].ip4, 0x0806);
        // change the interface's MAC
        let new_mac = mac("00:00:00:33:33:33");
        pg1.set_mac(t, new_mac)?;
        // now ARP requests come from the new source mac
        let rx = send1(t, &pg0, &p1, &pg1)?;
        verify_arp_req(&rx, new_mac, pg1.local_ip4(), h1[2].ip4, 0x0806);
        pg::past_resolution_throttle(t);
        let rx = send1(t, &pg0, &p2, &pg1)?;
        verify_arp_req(&rx, new_mac, pg1.local_ip4(), h1[3].ip4, 0x0806);
        // packets to the resolved host also have the new source mac
        let rx = send1(t, &pg0, &p0, &pg1)?;
        verify_ip(&rx, new_mac, h1[1].mac, pg0.remote_ip4(), h1[1].ip4);
        // set the mac address on the interface that does not have a
        // configured subnet and thus no glean
        pg2.set_mac(t, new_mac)?;
        Ok(())
    }

    /// Incomplete Entries
    #[vpp_test]
    fn test_arp_incomplete2(t: &mut TestCase) -> TestResult {
        let [pg0, pg1, _, _] = pgs(t)?;
        // ensure that we throttle the ARP and ND requests
        pg0.generate_remote_hosts(2);
        let h0 = pg0.remote_hosts();
        // IPv4/ARP
        route(
            t,
            "10.0.0.1/32",
            vec![RoutePath::via(h0[1].ip4.into(), pg0.sw_if_index())],
        )?;
        let p1 = Ether::new(pg1.remote_mac(), pg1.local_mac())
            / Ipv4::new(pg1.remote_ip4(), v4("10.0.0.1"))
            / Udp::new(1234, 1234)
            / Raw::new([]);
        let throttled = |t: &mut TestCase, p: Packet| -> TestResult {
            pg1.add_stream(t, &vec![p; 257])?;
            pg::enable_capture(t, &pg::interfaces(t)?)?;
            pg::start(t)?;
            let rx = pg0.capture(t)?;
            // how many we get is going to be dependent on the time for packet
            // processing but it should be small
            assert!(rx.len() < 64, "{} requests", rx.len());
            Ok(())
        };
        throttled(t, p1)?;
        // IPv6/ND
        route(
            t,
            "10::1/128",
            vec![RoutePath::via(h0[1].ip6.into(), pg0.sw_if_index())],
        )?;
        let p1 = Ether::new(pg1.remote_mac(), pg1.local_mac())
            / Ipv6::new(pg1.remote_ip6(), "10::1".parse::<Ipv6Addr>()?)
            / Udp::new(1234, 1234)
            / Raw::new([]);
        throttled(t, p1)
    }

    /// ARP Static
    #[vpp_test]
    fn test_arp_static(t: &mut TestCase) -> TestResult {
        let [_, _, pg2, _] = pgs(t)?;
        pg2.generate_remote_hosts(3);
        let h2 = pg2.remote_hosts();
        // Add a static ARP entry
        let static_arp = objects::add(
            t,
            neighbor(pg2.sw_if_index(), h2[1].mac, h2[1].ip4).static_entry(),
        )?;
        // Add the connected prefix to the interface
        pg2.config_ip4(t)?;
        // We should now find the adj-fib
        assert!(nbr_static(t, pg2.sw_if_index(), h2[1].ip4, None)?);
        assert!(find_route(t, h2[1].ip4, 0)?);
        // remove the connected
        pg2.unconfig_ip4(t)?;
        // put the interface into table 1
        pg2.set_table_ip4(t, 1)?;
        // configure the same connected and expect to find the
        // adj fib in the new table
        pg2.config_ip4(t)?;
        assert!(find_route(t, h2[1].ip4, 1)?);
        // clean-up
        pg2.unconfig_ip4(t)?;
        objects::remove(t, &static_arp)?;
        pg2.set_table_ip4(t, 0)?;
        Ok(())
    }

    /// ARP Static can replace Dynamic (diff mac)
    #[vpp_test]
    fn test_arp_static_replace_dynamic_diff_mac(t: &mut TestCase) -> TestResult {
        static_replaces_dynamic(t, 1)
    }

    /// ARP Static can replace Dynamic (same mac)
    #[vpp_test]
    fn test_arp_static_replace_dynamic_same_mac(t: &mut TestCase) -> TestResult {
        static_replaces_dynamic(t, 0)
    }

    /// (no docstring in the original)
    #[vpp_test]
    fn test_arp_table_swap(t: &mut TestCase) -> TestResult {
        let [_, pg1, _, _] = pgs(t)?;
        // Generate some hosts on the LAN
        const N_NBRS: usize = 4;
        pg1.generate_remote_hosts(N_NBRS);
        let h1 = pg1.remote_hosts();
        for (n, h) in h1.iter().enumerate() {
            // a route thru each neighbour
            route(
                t,
                &format!("10.0.0.{n}/32"),
                vec![RoutePath::via(h.ip4.into(), pg1.sw_if_index())],
            )?;
            // resolve each neighbour
            let p1 = Ether::new(pg1.remote_mac(), pg1.local_mac())
                / Arp::is_at(
                    mac("00:00:5e:00:01:09"),
                    h.ip4,
                    pg1.local_mac(),
                    pg1.local_ip4(),
                );
            no_reply(t, &pg1, &p1, "ARP reply")?;
        }
        tracing::info!("{}", t.cli("sh ip neighbors")?);
        // swap the table pg1 is in
        objects::add(
            t,
            IpTable {
                table_id: 100,
                is_ip6: false,
            },
        )?;
        pg1.unconfig_ip4(t)?.set_table_ip4(t, 100)?.config_ip4(t)?;
        // all neighbours are cleared
        for h in &h1 {
            assert!(!nbr(t, pg1.sw_if_index(), h.ip4)?);
        }
        // packets to all neighbours generate ARP requests
        for (n, h) in h1.iter().enumerate() {
            // a route thru each neighbour
            objects::add(
                t,
                IpRoute::new(
                    &format!("10.0.0.{n}/32"),
                    [RoutePath::via(h.ip4.into(), pg1.sw_if_index())],
                )?
                .in_table(100),
            )?;
            let p = Ether::new(h.mac, pg1.local_mac())
                / Ipv4::new(h.ip4, v4(&format!("10.0.0.{n}")))
                / Raw::new(b"0x5".repeat(100));
            for rx in pg::send_and_expect(t, &pg1, &[p], &pg1)? {
                verify_arp_req(&rx, pg1.local_mac(), pg1.local_ip4(), h.ip4, 0x0806);
            }
        }
        pg1.unconfig_ip4(t)?.set_table_ip4(t, 0)?;
        Ok(())
    }

    /// ARP reply with VRRP virtual src hw addr
    #[vpp_test]
    fn test_arp_vrrp(t: &mut TestCase) -> TestResult {
        let [pg0, pg1, _, _] = pgs(t)?;
        // IP packet destined for pg1 remote host arrives on pg0 resulting
        // in an ARP request for the address of the remote host on pg1
        let p0 = udp_from_pg0(&pg0, pg1.remote_ip4());
        let rx1 = send1(t, &pg0, &p0, &pg1)?;
        verify_arp_req(
            &rx1,
            pg1.local_mac(),
            pg1.local_ip4(),
            pg1.remote_ip4(),
            0x0806,
        );
        // ARP reply for address of pg1 remote host arrives on pg1 with
        // the hw src addr set to a value in the VRRP IPv4 range of
        // MAC addresses
        let vrrp = mac("00:00:5e:00:01:09");
        let p1 = Ether::new(pg1.remote_mac(), pg1.local_mac())
            / Arp::is_at(vrrp, pg1.remote_ip4(), pg1.local_mac(), pg1.local_ip4());
        no_reply(t, &pg1, &p1, "ARP reply")?;
        // IP packet destined for pg1 remote host arrives on pg0 again.
        // VPP should have an ARP entry for that address now and the packet
        // should be sent out pg1.
        let rx1 = send1(t, &pg0, &p0, &pg1)?;
        verify_ip(
            &rx1,
            pg1.local_mac(),
            vrrp,
            pg0.remote_ip4(),
            pg1.remote_ip4(),
        );
        pg1.admin_down(t)?.admin_up(t)?;
        Ok(())
    }

    /// GARP
    #[vpp_test]
    fn test_garp(t: &mut TestCase) -> TestResult {
        let [_, pg1, pg2, _] = pgs(t)?;
        // Generate some hosts on the LAN
        pg1.generate_remote_hosts(4);
        pg2.generate_remote_hosts(4);
        let (h1, h2) = (pg1.remote_hosts(), pg2.remote_hosts());
        // And an ARP entry
        objects::add(t, neighbor(pg1.sw_if_index(), h1[1].mac, h1[1].ip4))?;
        assert!(nbr_dynamic(
            t,
            pg1.sw_if_index(),
            h1[1].ip4,
            Some(h1[1].mac)
        )?);
        let send = |t: &mut TestCase, p: Packet| -> TestResult {
            pg1.add_stream(t, &[p])?;
            pg::enable_capture(t, &pg::interfaces(t)?)?;
            pg::start(t)
        };
        // Send a GARP (request) to swap the host 1's address to that of host 2
        send(
            t,
            garp(
                Arp::WHO_HAS,
                h1[2].mac,
                pg1.local_mac(),
                h1[2].mac,
                h1[1].ip4,
            ),
        )?;
        assert!(nbr_dynamic(
            t,
            pg1.sw_if_index(),
            h1[1].ip4,
            Some(h1[2].mac)
        )?);
        assert_eq!(arp_stat(t, "rx/gratuitous", &pg1)?, 1);
        // Send a GARP (reply) to swap the host 1's address to that of host 3
        send(
            t,
            garp(Arp::IS_AT, h1[3].mac, pg1.local_mac(), h1[3].mac, h1[1].ip4),
        )?;
        assert!(nbr_dynamic(
            t,
            pg1.sw_if_index(),
            h1[1].ip4,
            Some(h1[3].mac)
        )?);
        assert_eq!(arp_stat(t, "rx/gratuitous", &pg1)?, 2);
        // GARPs (request nor replies) for host we don't know yet
        // don't result in new neighbour entries
        for op in [Arp::WHO_HAS, Arp::IS_AT] {
            send(
                t,
                garp(op, h1[3].mac, pg1.local_mac(), h1[3].mac, h1[2].ip4),
            )?;
            assert!(!nbr(t, pg1.sw_if_index(), h1[2].ip4)?);
        }
        // IP address in different subnets are not learnt
        pg2.configure_ipv4_neighbors(t)?;
        let path = "/err/arp-reply/l3_dst_address_not_local";
        let cntr = t.get_counter(path)?.sum();
        for op in [Arp::IS_AT, Arp::WHO_HAS] {
            let p1 = [
                garp(op, h2[1].mac, pg2.local_mac(), h2[1].mac, h2[1].ip4),
                garp(op, h2[1].mac, Mac::BROADCAST, h2[1].mac, h2[1].ip4),
            ];
            pg::send_and_assert_no_replies(t, &pg1, &p1)?;
            assert!(!nbr(t, pg1.sw_if_index(), h2[1].ip4)?);
        }
        // they are all dropped because the subnet's don't match
        assert_eq!(cntr + 4, t.get_counter(path)?.sum());
        Ok(())
    }

    /// Multi Connecteds
    #[vpp_test]
    fn test_glean_src_select(t: &mut TestCase) -> TestResult {
        let [pg0, pg1, _, pg3] = pgs(t)?;
        // configure multiple connected subnets on an interface
        // and ensure that ARP requests for hosts on those subnets
        // pick up the correct source address
        let addr = |a: &str| IpInterfaceAddress::new(pg1.sw_if_index(), a, 24);
        let conn1 = objects::add(t, addr("10.0.0.1")?)?;
        let conn2 = objects::add(t, addr("10.0.1.1")?)?;
        let to = |dst: &str| {
            Ether::new(pg0.remote_mac(), pg0.local_mac())
                / Ipv4::new(pg1.remote_ip4(), v4(dst))
                / Raw::new(b"0x5".repeat(100))
        };
        let expect_req = |t: &mut TestCase,
                          input: &PgInterface,
                          p: &Packet,
                          src: &str,
                          dst: &str|
         -> TestResult {
            pg::past_resolution_throttle(t);
            for rx in pg::send_and_expect(t, input, std::slice::from_ref(p), &pg1)? {
                verify_arp_req(&rx, pg1.local_mac(), v4(src), v4(dst), 0x0806);
            }
            Ok(())
        };
        let p1 = to("10.0.0.128");
        expect_req(t, &pg0, &p1, "10.0.0.1", "10.0.0.128")?;
        let mut p2 = to("10.0.1.128");
        expect_req(t, &pg0, &p2, "10.0.1.1", "10.0.1.128")?;
        // add a local address in the same subnet
        //  the source addresses are equivalent.
        // VPP leaves the glean address being used for a prefix
        // in place until that address is deleted.
        let conn3 = objects::add(t, addr("10.0.1.2")?)?;
        expect_req(t, &pg0, &p2, "10.0.1.1", "10.0.1.128")?;
        // remove first address, which is currently in use
        // the second address should be used now
        objects::remove(t, &conn2)?;
        expect_req(t, &pg0, &p2, "10.0.1.2", "10.0.1.128")?;
        // add first address back. Second address should continue
        // being used.
        let conn2 = objects::add(t, addr("10.0.1.1")?)?;
        expect_req(t, &pg0, &p2, "10.0.1.2", "10.0.1.128")?;
        objects::remove(t, &conn1)?;
        expect_req(t, &pg0, &p2, "10.0.1.2", "10.0.1.128")?;
        // apply a connected prefix to an interface in a different table
        objects::add(
            t,
            IpRoute::new("10.0.1.0/24", [RoutePath::via(any4(), pg1.sw_if_index())])?.in_table(1),
        )?;
        p2.get_mut::<Ether>().expect("Ethernet").dst = pg3.local_mac();
        expect_req(t, &pg3, &p2, "10.0.1.2", "10.0.1.128")?;
        // apply an attached prefix to the interface
        // since there's no local address in this prefix,
        // any other address is used
        let p3 = to("10.0.2.128");
        route(
            t,
            "10.0.2.0/24",
            vec![RoutePath::via(any4(), pg1.sw_if_index())],
        )?;
        for rx in pg::send_and_expect(t, &pg0, &[p3], &pg1)? {
            verify_arp_req(
                &rx,
                pg1.local_mac(),
                pg1.local_ip4(),
                v4("10.0.2.128"),
                0x0806,
            );
        }
        // cleanup
        objects::remove(t, &conn3)?;
        objects::remove(t, &conn2)
    }

    /// MPLS
    #[vpp_test]
    fn test_mpls(t: &mut TestCase) -> TestResult {
        let [pg0, _, pg2, _] = pgs(t)?;
        // Interface 2 does not yet have ip4 config
        pg2.config_ip4(t)?;
        pg2.generate_remote_hosts(2);
        let h2 = pg2.remote_hosts();
        // Add a route with out going label via an ARP unresolved next-hop
        route(
            t,
            "10.0.0.1/32",
            vec![RoutePath::via(h2[1].ip4.into(), pg2.sw_if_index())
                .with_labels([MplsLabel::bare(55)])],
        )?;
        // packets should generate an ARP request
        let p = Ether::new(pg0.remote_mac(), pg0.local_mac())
            / Ipv4::new(pg0.remote_ip4(), v4("10.0.0.1"))
            / Udp::new(1234, 1234)
            / Raw::new([0xa5; 100]);
        let rx = send1(t, &pg0, &p, &pg2)?;
        verify_arp_req(&rx, pg2.local_mac(), pg2.local_ip4(), h2[1].ip4, 0x0806);
        // now resolve the neighbours
        pg2.configure_ipv4_neighbors(t)?;
        // Now packet should be properly MPLS encapped.
        //  This verifies that MPLS link-type adjacencies are completed
        //  when the ARP entry resolves
        let rx = send1(t, &pg0, &p, &pg2)?;
        verify_ip_o_mpls(
            &rx,
            pg2.local_mac(),
            h2[1].mac,
            pg0.remote_ip4(),
            v4("10.0.0.1"),
        );
        pg2.unconfig_ip4(t)?;
        Ok(())
    }

    /// Proxy ARP
    #[vpp_test]
    fn test_proxy_arp(t: &mut TestCase) -> TestResult {
        let [pg0, pg1, pg2, pg3] = pgs(t)?;
        pg1.generate_remote_hosts(2);
        let h1 = pg1.remote_hosts();
        let target = v4("10.10.10.3");
        // Proxy ARP request packets for each interface
        let arp_req_pg0 = who_has(pg0.remote_mac(), pg0.remote_ip4(), target);
        let arp_req_pg0_tagged = who_has_tagged(pg0.remote_mac(), pg0.remote_ip4(), target);
        let arp_req_pg1 = who_has(pg1.remote_mac(), pg1.remote_ip4(), target);
        let arp_req_pg2 = who_has(pg2.remote_mac(), h1[1].ip4, target);
        let arp_req_pg3 = who_has(pg3.remote_mac(), pg3.remote_ip4(), target);
        // Configure Proxy ARP for 10.10.10.0 -> 10.10.10.124
        proxy_arp(t, v4("10.10.10.2"), v4("10.10.10.124"), true)?;
        // No responses are sent when the interfaces are not enabled for proxy
        // ARP
        no_reply(t, &pg0, &arp_req_pg0, "ARP req from unconfigured interface")?;
        no_reply(t, &pg2, &arp_req_pg2, "ARP req from unconfigured interface")?;
        // Make pg2 un-numbered to pg1
        //  still won't reply.
        pg2.set_unnumbered(t, pg1.sw_if_index())?;
        no_reply(t, &pg2, &arp_req_pg2, "ARP req from unnumbered interface")?;
        // Enable each interface to reply to proxy ARPs
        for i in pg::interfaces(t)? {
            i.set_proxy_arp(t, true)?;
        }
        // Now each of the interfaces should reply to a request to a proxied
        // address
        for req in [&arp_req_pg0, &arp_req_pg0_tagged] {
            let rx = send1(t, &pg0, req, &pg0)?;
            verify_arp_resp(
                &rx,
                pg0.local_mac(),
                pg0.remote_mac(),
                target,
                pg0.remote_ip4(),
            );
        }
        let rx = send1(t, &pg1, &arp_req_pg1, &pg1)?;
        verify_arp_resp(
            &rx,
            pg1.local_mac(),
            pg1.remote_mac(),
            target,
            pg1.remote_ip4(),
        );
        let rx = send1(t, &pg2, &arp_req_pg2, &pg2)?;
        verify_arp_resp(&rx, pg2.local_mac(), pg2.remote_mac(), target, h1[1].ip4);
        // A request for an address out of the configured range
        let arp_req_pg1_hi = who_has(pg1.remote_mac(), pg1.remote_ip4(), v4("10.10.10.125"));
        no_reply(t, &pg1, &arp_req_pg1_hi, "ARP req out of range HI")?;
        let arp_req_pg1_low = who_has(pg1.remote_mac(), pg1.remote_ip4(), v4("10.10.10.1"));
        no_reply(t, &pg1, &arp_req_pg1_low, "ARP req out of range Low")?;
        // Request for an address in the proxy range but from an interface
        // in a different VRF
        no_reply(t, &pg3, &arp_req_pg3, "ARP req from different VRF")?;
        // Disable Each interface for proxy ARP
        //  - expect none to respond
        for i in pg::interfaces(t)? {
            i.set_proxy_arp(t, false)?;
        }
        no_reply(t, &pg0, &arp_req_pg0, "ARP req from disable")?;
        no_reply(t, &pg1, &arp_req_pg1, "ARP req from disable")?;
        no_reply(t, &pg2, &arp_req_pg2, "ARP req from disable")?;
        // clean up on interface 2
        pg2.unset_unnumbered(t, pg1.sw_if_index())?;
        Ok(())
    }

    /// Interface Mirror Proxy ARP
    #[vpp_test]
    fn test_proxy_mirror_arp(t: &mut TestCase) -> TestResult {
        let [pg0, _, pg2, _] = pgs(t)?;
        // When VPP has an interface whose address is also applied to a TAP
        // interface on the host, then VPP's TAP interface will be unnumbered
        // to the 'real' interface and do proxy ARP from the host.
        // the curious aspect of this setup is that ARP requests from the host
        // will come from the VPP's own address.
        pg0.generate_remote_hosts(2);
        let h0 = pg0.remote_hosts();
        let arp_req_from_me = who_has(pg2.remote_mac(), pg0.local_ip4(), h0[1].ip4);
        // Configure Proxy ARP for the subnet on PG0addresses on pg0
        let [a, b, c, _] = pg0.local_ip4().octets();
        let (subnet, bcast) = (Ipv4Addr::new(a, b, c, 0), Ipv4Addr::new(a, b, c, 255));
        proxy_arp(t, subnet, bcast, true)?;
        // Make pg2 un-numbered to pg0
        pg2.set_unnumbered(t, pg0.sw_if_index())?;
        // Enable pg2 for proxy ARP
        pg2.set_proxy_arp(t, true)?;
        // Send the ARP request with an originating address that
        // is VPP's own address
        let rx = send1(t, &pg2, &arp_req_from_me, &pg2)?;
        verify_arp_resp(
            &rx,
            pg2.local_mac(),
            pg2.remote_mac(),
            h0[1].ip4,
            pg0.local_ip4(),
        );
        // validate we have not learned an ARP entry as a result of this
        assert!(!nbr(t, pg2.sw_if_index(), pg0.local_ip4())?);
        // setup a punt redirect so packets from the uplink go to the tap
        let redirect = |is_add| IpPuntRedirect {
            is_add,
            punt: PuntRedirect {
                rx_sw_if_index: pg0.sw_if_index(),
                tx_sw_if_index: pg2.sw_if_index(),
                nh: IpAddr::V4(pg0.local_ip4()).into(),
            },
        };
        t.api().request(&redirect(true))?;
        let p_tcp = Ether::new(pg0.remote_mac(), pg0.local_mac())
            / Ipv4::new(pg0.remote_ip4(), pg0.local_ip4())
            / Tcp::new(80, 80)
            / Raw::new([]);
        let rx = send1(t, &pg0, &p_tcp, &pg2)?;
        // there's no ARP entry so this is an ARP req
        assert!(rx.has::<Arp>());
        // and ARP entry for VPP's pg0 address on the host interface
        let mut n1 = neighbor(pg2.sw_if_index(), pg2.remote_mac(), pg0.local_ip4());
        n1.no_fib_entry = true;
        objects::add(t, n1)?;
        // now the packets shold forward
        let rx = send1(t, &pg0, &p_tcp, &pg2)?;
        assert!(!rx.has::<Arp>());
        assert_eq!(rx.expect::<Ether>().dst, pg2.remote_mac());
        // flush the neighbor cache on the uplink
        t.api().request(&IpNeighborFlush {
            af: AddressFamily::Ip4,
            sw_if_index: pg0.sw_if_index(),
        })?;
        // ensure we can still resolve the ARPs on the uplink
        pg0.resolve_arp(t)?;
        assert!(nbr(t, pg0.sw_if_index(), pg0.remote_ip4())?);
        // cleanup
        proxy_arp(t, subnet, bcast, false)?;
        t.api().request(&redirect(false))?;
        Ok(())
    }
}

/// A dynamic entry for host 0 on pg2, then a static one with host
/// `static_host`'s MAC replaces it.
fn static_replaces_dynamic(t: &mut TestCase, static_host: usize) -> TestResult {
    let [_, _, pg2, _] = pgs(t)?;
    pg2.generate_remote_hosts(static_host + 1);
    let h2 = pg2.remote_hosts();
    let sw = pg2.sw_if_index();
    // Add a dynamic ARP entry
    objects::add(t, neighbor(sw, h2[0].mac, h2[0].ip4))?;
    // We should find the dynamic nbr
    assert!(!nbr_static(t, sw, h2[0].ip4, None)?);
    assert!(nbr_dynamic(t, sw, h2[0].ip4, Some(h2[0].mac))?);
    // Add a static ARP entry with the same (or a changed) mac
    let static_arp = objects::add(
        t,
        neighbor(sw, h2[static_host].mac, h2[0].ip4).static_entry(),
    )?;
    // We should now find the static nbr
    assert!(!nbr_dynamic(t, sw, h2[0].ip4, None)?);
    assert!(nbr_static(t, sw, h2[0].ip4, Some(h2[static_host].mac))?);
    // clean-up
    objects::remove(t, &static_arp)
}

/// Interfaces up with both families, resolved (the set-up of the other
/// classes).
fn set_up_n(t: &mut TestCase, n: u32) -> TestResult {
    for i in pg::create_interfaces(t, 0..n)? {
        i.admin_up(t)?.config_ip4(t)?.config_ip6(t)?;
        i.resolve_arp(t)?.resolve_ndp(t, Duration::from_secs(1))?;
    }
    Ok(())
}

fn set_up_2(t: &mut TestCase) -> TestResult {
    set_up_n(t, 2)
}

fn set_up_1(t: &mut TestCase) -> TestResult {
    set_up_n(t, 1)
}

fn set_up_4(t: &mut TestCase) -> TestResult {
    set_up_n(t, 4)
}

fn tear_down_all(t: &mut TestCase) -> TestResult {
    for i in pg::interfaces(t)? {
        i.unconfig_ip4(t)?.unconfig_ip6(t)?.admin_down(t)?;
    }
    Ok(())
}

/// ARP/ND Counters
#[vpp_test(
    name = "NeighborStatsTestCase",
    set_up = set_up_2,
    tear_down = tear_down_all,
    requires_messages = ["ip_neighbor_dump"]
)]
mod neighbor_stats {
    use super::*;

    /// ARP Counters
    #[vpp_test]
    fn test_arp_stats(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        t.cli("adj counters enable")?;
        pg1.generate_remote_hosts(2);
        let h = pg1.remote_hosts();
        let arp1 = objects::add(t, neighbor(pg1.sw_if_index(), h[0].mac, h[0].ip4))?;
        let arp2 = objects::add(t, neighbor(pg1.sw_if_index(), h[1].mac, h[1].ip4))?;
        let p1 = udp_from_pg0(pg0, h[0].ip4);
        let p2 = udp_from_pg0(pg0, h[1].ip4);
        pg::send_and_expect(t, pg0, &vec![p1.clone(); NUM_PKTS], pg1)?;
        pg::send_and_expect(t, pg0, &vec![p2; NUM_PKTS], pg1)?;
        assert_eq!(NUM_PKTS as u64, arp1.stats(t)?.packets);
        assert_eq!(NUM_PKTS as u64, arp2.stats(t)?.packets);
        pg::send_and_expect(t, pg0, &vec![p1; NUM_PKTS], pg1)?;
        assert_eq!(NUM_PKTS as u64 * 2, arp1.stats(t)?.packets);
        Ok(())
    }

    /// ND Counters
    #[vpp_test]
    fn test_nd_stats(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        t.cli("adj counters enable")?;
        pg0.generate_remote_hosts(3);
        let h = pg0.remote_hosts();
        let nd1 = objects::add(t, neighbor(pg0.sw_if_index(), h[1].mac, h[1].ip6))?;
        let nd2 = objects::add(t, neighbor(pg0.sw_if_index(), h[2].mac, h[2].ip6))?;
        let to = |dst: Ipv6Addr| {
            Ether::new(pg1.remote_mac(), pg1.local_mac())
                / Ipv6::new(pg1.remote_ip6(), dst)
                / Udp::new(1234, 1234)
                / Raw::new([])
        };
        pg::send_and_expect(t, pg1, &vec![to(h[1].ip6); 16], pg0)?;
        pg::send_and_expect(t, pg1, &vec![to(h[2].ip6); 16], pg0)?;
        assert_eq!(16, nd1.stats(t)?.packets);
        assert_eq!(16, nd2.stats(t)?.packets);
        pg::send_and_expect(t, pg1, &vec![to(h[1].ip6); NUM_PKTS], pg0)?;
        assert_eq!(NUM_PKTS as u64 + 16, nd1.stats(t)?.packets);
        Ok(())
    }
}

fn neighbor_config(t: &mut TestCase, max_number: u32, max_age: u32, recycle: bool) -> TestResult {
    t.api().request(&IpNeighborConfig {
        af: AddressFamily::Ip4,
        max_number,
        max_age,
        recycle,
    })?;
    Ok(())
}

fn verify_ip_neighbor_config(
    t: &mut TestCase,
    max_number: u32,
    max_age: u32,
    recycle: bool,
) -> TestResult {
    let config = t.api().request(&IpNeighborConfigGet {
        af: AddressFamily::Ip4,
    })?;
    assert_eq!(config.af, AddressFamily::Ip4);
    assert_eq!(config.max_number, max_number);
    assert_eq!(config.max_age, max_age);
    assert_eq!(config.recycle, recycle);
    Ok(())
}

fn ip4_neighbors(t: &mut TestCase) -> TestResult<usize> {
    Ok(t.api()
        .dump(&IpNeighborDump {
            sw_if_index: u32::MAX,
            af: AddressFamily::Ip4,
        })?
        .len())
}

/// ARP/ND Aging
#[vpp_test(
    name = "NeighborAgeTestCase",
    extended,
    set_up = set_up_1,
    tear_down = tear_down_all,
    requires_messages = ["ip_neighbor_config"]
)]
mod neighbor_age {
    use super::*;

    /// Aging/Recycle
    #[vpp_test]
    fn test_age(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        t.cli("set logging unthrottle 0")?;
        t.cli(&format!("set logging size {}", 0xffff))?;
        pg0.generate_remote_hosts(201);
        let h = pg0.remote_hosts();
        let sw = pg0.sw_if_index();
        // start listening on all interfaces
        pg::enable_capture(t, &pg::interfaces(t)?)?;
        // Verify neighbor configuration defaults
        verify_ip_neighbor_config(t, 50000, 0, false)?;
        // Set the neighbor configuration:
        //   limi = 200
        //   age  = 0 seconds
        //   recycle = false
        neighbor_config(t, 200, 0, false)?;
        verify_ip_neighbor_config(t, 200, 0, false)?;
        t.cli("sh ip neighbor-config")?;
        // add the 198 neighbours that should pass (-1 for one created in setup)
        for host in &h[..200] {
            objects::add(t, neighbor(sw, host.mac, host.ip4))?;
        }
        // one more neighbor over the limit should fail
        let mut over = neighbor(sw, h[200].mac, h[200].ip4);
        assert!(
            over.add_vpp_config(t.api()).is_err(),
            "a neighbour over the limit was added"
        );
        // change the config to allow recycling the old neighbors
        neighbor_config(t, 200, 0, true)?;
        verify_ip_neighbor_config(t, 200, 0, true)?;
        // now new additions are allowed
        objects::add(t, neighbor(sw, h[200].mac, h[200].ip4))?;
        // add the first neighbor we configured has been re-used
        assert!(!nbr(t, sw, h[0].ip4)?);
        assert!(nbr(t, sw, h[200].ip4)?);
        // change the config to age old neighbors
        neighbor_config(t, 200, 2, true)?;
        verify_ip_neighbor_config(t, 200, 2, true)?;
        t.cli("sh ip4 neighbor-sorted")?;
        // age out neighbors
        t.virtual_sleep(3.0)?;
        // expect probes from all these ARP entries as they age
        // 3 probes for each neighbor 3*200 = 600
        pg0.get_capture_with(
            t,
            &pg::Expect {
                timeout: Some(Duration::from_secs(2)),
                ..pg::Expect::new(&pg0, 600)
            },
        )?;
        // 3 probes sent then 1 more second to see if a reply comes, before
        // they age out
        t.virtual_sleep(1.0)?;
        assert_eq!(ip4_neighbors(t)?, 0);
        // load up some neighbours again with 2s aging enabled
        // they should be removed after 10s (2s age + 4s for probes + gap)
        // check for the add and remove events
        t.api().request(&WantIpNeighborEventsV2 {
            enable: true,
            ..WantIpNeighborEventsV2::default()
        })?;
        for host in &h[..10] {
            objects::add(t, neighbor(sw, host.mac, host.ip4))?;
            let e: IpNeighborEventV2 = t.api().wait_for_event_typed(Duration::from_secs(1))?;
            assert_eq!(e.flags, IpNeighborEventFlags::Added);
            assert_eq!(e.neighbor.ip_address.ip(), IpAddr::V4(host.ip4));
            assert_eq!(e.neighbor.mac_address, host.mac.0);
        }
        t.virtual_sleep(10.0)?;
        assert_eq!(ip4_neighbors(t)?, 0);
        let mut evs = Vec::new();
        for _ in 0..10 {
            let e: IpNeighborEventV2 = t.api().wait_for_event_typed(Duration::from_secs(1))?;
            assert_eq!(e.flags, IpNeighborEventFlags::Removed);
            evs.push(e);
        }
        // check we got the correct mac/ip pairs - done separately
        // because we don't care about the order the remove notifications
        // arrive
        for host in &h[..10] {
            assert!(evs.iter().any(|e| {
                e.neighbor.mac_address == host.mac.0
                    && e.neighbor.ip_address.ip() == IpAddr::V4(host.ip4)
            }));
        }
        // check if we can set age and recycle with empty neighbor list
        neighbor_config(t, 200, 1000, true)?;
        verify_ip_neighbor_config(t, 200, 1000, true)?;
        // load up some neighbours again, then disable the aging
        // they should still be there in 10 seconds time
        for host in &h[..10] {
            objects::add(t, neighbor(sw, host.mac, host.ip4))?;
        }
        neighbor_config(t, 200, 0, false)?;
        verify_ip_neighbor_config(t, 200, 0, false)?;
        t.virtual_sleep(10.0)?;
        assert!(nbr(t, sw, h[0].ip4)?);
        Ok(())
    }
}

/// ARP/ND Replacement
#[vpp_test(
    name = "NeighborReplaceTestCase",
    set_up = set_up_4,
    tear_down = tear_down_all,
    requires_messages = ["ip_neighbor_replace_begin"]
)]
mod neighbor_replace {
    use super::*;

    /// replace
    #[vpp_test]
    fn test_replace(t: &mut TestCase) -> TestResult {
        const N_HOSTS: usize = 16;
        let p = pg::interfaces(t)?;
        for i in &p {
            i.generate_remote_hosts(N_HOSTS);
            i.configure_ipv4_neighbors(t)?.configure_ipv6_neighbors(t)?;
        }
        // replace them all
        t.api().request(&IpNeighborReplaceBegin)?;
        t.api().request(&IpNeighborReplaceEnd)?;
        let h0 = p[0].remote_hosts();
        for _ in &p {
            for h in &h0 {
                assert!(!nbr(t, p[0].sw_if_index(), h.ip4)?);
                assert!(!nbr(t, p[0].sw_if_index(), h.ip6)?);
            }
        }
        // and them all back via the API
        for i in &p {
            for h in i.remote_hosts() {
                objects::add(t, neighbor(i.sw_if_index(), h.mac, h.ip4))?;
                objects::add(t, neighbor(i.sw_if_index(), h.mac, h.ip6))?;
            }
        }
        // begin the replacement again, this time touch some
        // the neighbours on pg1 so they are not deleted
        t.api().request(&IpNeighborReplaceBegin)?;
        // update from the API all neighbours on pg1
        for h in p[1].remote_hosts() {
            objects::add(t, neighbor(p[1].sw_if_index(), h.mac, h.ip4))?;
            objects::add(t, neighbor(p[1].sw_if_index(), h.mac, h.ip6))?;
        }
        // update from the data-plane all neighbours on pg3
        p[3].configure_ipv4_neighbors(t)?
            .configure_ipv6_neighbors(t)?;
        // complete the replacement
        tracing::info!("{}", t.cli("sh ip neighbors")?);
        t.api().request(&IpNeighborReplaceEnd)?;
        for (n, i) in p.iter().enumerate() {
            // neighbours on pg1 and pg3 are still present; all other
            // neighbours are toast
            let present = n == 1 || n == 3;
            for h in i.remote_hosts() {
                assert_eq!(nbr(t, i.sw_if_index(), h.ip4)?, present);
                assert_eq!(nbr(t, i.sw_if_index(), h.ip6)?, present);
            }
        }
        Ok(())
    }
}

fn flush(t: &mut TestCase, af: AddressFamily, sw_if_index: u32) -> TestResult {
    t.api().request(&IpNeighborFlush { af, sw_if_index })?;
    Ok(())
}

/// Neighbor Flush
#[vpp_test(
    name = "NeighborFlush",
    set_up = set_up_2,
    tear_down = tear_down_all,
    requires_messages = ["ip_neighbor_flush"]
)]
mod neighbor_flush {
    use super::*;

    /// Neighbour Flush
    #[vpp_test]
    fn test_flush(t: &mut TestCase) -> TestResult {
        const N_HOSTS: usize = 16;
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        pg0.generate_remote_hosts(N_HOSTS);
        pg1.generate_remote_hosts(N_HOSTS);
        let (h0, h1) = (pg0.remote_hosts(), pg1.remote_hosts());
        let (s0, s1) = (pg0.sw_if_index(), pg1.sw_if_index());
        for s in [false, true] {
            let add_all = |t: &mut TestCase| -> TestResult {
                // a few v4 and v6 dynamic neoghbors
                for n in 0..N_HOSTS {
                    let mut a = neighbor(s0, h0[n].mac, h0[n].ip4);
                    a.is_static = s;
                    objects::add(t, a)?;
                    let mut b = neighbor(s1, h1[n].mac, h1[n].ip6);
                    b.is_static = s;
                    objects::add(t, b)?;
                }
                Ok(())
            };
            add_all(t)?;
            // flush the interfaces individually
            flush(t, AddressFamily::Ip4, s0)?;
            // check we haven't flushed that which we shouldn't
            for h in &h1 {
                assert!(find_nbr(t.api(), s1, h.ip6.into(), s, None)?);
            }
            flush(t, AddressFamily::Ip6, s1)?;
            for n in 0..N_HOSTS {
                assert!(!nbr(t, s0, h0[n].ip4)?);
                assert!(!nbr(t, s1, h1[n].ip6)?);
            }
            // add the nieghbours back
            add_all(t)?;
            tracing::info!("{}", t.cli("sh ip neighbor")?);
            // flush both interfaces at the same time
            flush(t, AddressFamily::Ip6, u32::MAX)?;
            // check we haven't flushed that which we shouldn't
            for h in &h0 {
                assert!(find_nbr(t.api(), s0, h.ip4.into(), s, None)?);
            }
            flush(t, AddressFamily::Ip4, u32::MAX)?;
            for n in 0..N_HOSTS {
                assert!(!nbr(t, s0, h0[n].ip4)?);
                assert!(!nbr(t, s1, h1[n].ip6)?);
            }
        }
        Ok(())
    }
}
