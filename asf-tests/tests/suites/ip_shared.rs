//! Checks that `test_ip4` and `test_ip6` make alike for their family (VPP's
//! framework repeats them in each file): punt redirects and policers, and
//! the punt redirect dump, interface-receive paths.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use asf_core::api::vpp::ip::{FibPathType, IpPuntRedirectDump};
use asf_core::objects::{
    self, IpPuntPolicer, IpPuntRedirect, IpRoute, Policer, PolicerAction, PolicerStats, RoutePath,
};
use asf_core::packet::{Ether, Ipv4, Ipv6, Packet, Raw, Tcp};
use asf_core::pg::{self, PgInterface};
use asf_core::{TestCase, TestResult};

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
    pg::send_and_assert_no_replies(t, pg0, pkts, "IP no punt config")?;
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
        assert!(
            objects::VppObject::query_vpp_config(r, t.api())?,
            "{r} is not in VPP"
        );
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
        pg::send_and_assert_no_replies(t, pg0, &pkts_dst, &remark)?;
        // add a route in the next table to forward via its interface
        let host = format!("{dst}/{}", if dst.is_ipv4() { 32 } else { 128 });
        let path = RoutePath::via(remote_ip(rx_if, dst), rx_if.sw_if_index());
        objects::add(t, IpRoute::new(&host, [path])?.in_table(out))?;
        pg::send_and_expect(t, pg0, &pkts_dst, rx_if)?;
    }
    Ok(())
}
