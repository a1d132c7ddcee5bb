//! Port of `test/test_mpls.py`: label swap, imposition and disposition,
//! local-label bindings, tunnels (pipe, uniform, ECMP, many), explicit
//! null, de-aggregation, interface-rx, multicast LSPs, 6PE, attached
//! prefixes; MPLS disabled on an interface; prefix-independent
//! convergence; pseudo-wires (VPWS, VPLS).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use asf_core::packet::{Arp, Ether, Icmp, Icmpv6, Ipv4, Ipv6, Mac, Mpls, Packet, Raw, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::ip::{FibPathNhProto, FibPathType};
use asf_vocab::api::l2::{SwInterfaceSetL2Bridge, SwInterfaceSetL2Xconnect};
use asf_vocab::objects::{
    self, IpMRoute, IpRoute, IpTable, MRoutePath, MplsIpBind, MplsLabel, MplsRoute, MplsTable,
    MplsTunnel, RoutePath,
};
use asf_vocab::pg::{self, extend_packet, PacketInfos, PgInterface, SendOptions};

const NUM_PKTS: usize = 67;

/// `FIB_PATH_FLAG_RESOLVE_VIA_ATTACHED`.
const RESOLVE_VIA_ATTACHED: u8 = 1;
/// `FIB_PATH_FLAG_RESOLVE_VIA_HOST`.
const RESOLVE_VIA_HOST: u8 = 2;
/// `FIB_PATH_FLAG_POP_PW_CW`.
const POP_PW_CW: u8 = 4;
/// `MFIB_API_ITF_FLAG_ACCEPT`, `MFIB_API_ITF_FLAG_FORWARD`.
const ITF_ACCEPT: u32 = 2;
const ITF_FORWARD: u32 = 4;

fn v4(s: &str) -> Ipv4Addr {
    s.parse().expect("an IPv4 address")
}

fn v6(s: &str) -> Ipv6Addr {
    s.parse().expect("an IPv6 address")
}

fn any4() -> IpAddr {
    Ipv4Addr::UNSPECIFIED.into()
}

fn any6() -> IpAddr {
    Ipv6Addr::UNSPECIFIED.into()
}

fn l(label: u32) -> MplsLabel {
    MplsLabel::new(label)
}

/// Through `nh` on `intf`.
fn via(nh: impl Into<IpAddr>, intf: &PgInterface) -> RoutePath {
    RoutePath::via(nh.into(), intf.sw_if_index())
}

/// An IPv4 route added and registered.
fn ip_route(t: &mut TestCase, dst: &str, paths: Vec<RoutePath>) -> TestResult<IpRoute> {
    objects::add(t, IpRoute::new(dst, paths)?)
}

/// An MPLS route added and registered.
fn mpls_route(t: &mut TestCase, r: MplsRoute) -> TestResult<MplsRoute> {
    objects::add(t, r)
}

/// The MPLS header of each label, outermost first (`MPLS(label=, ttl=,
/// cos=)`), the last at the bottom of the stack.
fn push_labels(mut p: Packet, labels: &[MplsLabel]) -> Packet {
    for (i, lb) in labels.iter().enumerate() {
        let mut m = Mpls::new(lb.label, lb.ttl);
        m.cos = lb.exp;
        if i + 1 < labels.len() {
            m = m.not_bottom();
        }
        p = p / m;
    }
    p
}

/// What the labelled streams carry inside the labels.
enum Inner<'a> {
    /// UDP to `dst` (the source interface's remote host if None).
    Udp { dst: Option<&'a str>, ttl: u8 },
    /// A ping of `ip_itf`'s address from its remote host.
    Ping(&'a PgInterface),
}

/// `create_stream_labelled_ip4`.
fn create_stream_labelled_ip4(
    src_if: &PgInterface,
    labels: &[MplsLabel],
    inner: Inner<'_>,
    chksum: Option<u16>,
    n: usize,
) -> Vec<Packet> {
    let mut infos = PacketInfos::new();
    (0..n)
        .map(|_| {
            let info = infos.create(src_if, src_if);
            let p = push_labels(
                Ether::new(src_if.remote_mac(), src_if.local_mac()).into(),
                labels,
            );
            let mut p = match inner {
                Inner::Udp { dst, ttl } => {
                    let dst = dst.map_or(src_if.remote_ip4(), v4);
                    p / Ipv4::new(src_if.local_ip4(), dst).ttl(ttl)
                        / Udp::new(1234, 1234)
                        / Raw::new(info.to_payload())
                }
                Inner::Ping(itf) => {
                    p / Ipv4::new(itf.remote_ip4(), itf.local_ip4()) / Icmp::echo_request(0, 0)
                }
            };
            if let Some(c) = chksum {
                p.get_mut::<Ipv4>().expect("IPv4").chksum = Some(c);
            }
            p
        })
        .collect()
}

fn labelled4(src_if: &PgInterface, labels: &[MplsLabel]) -> Vec<Packet> {
    create_stream_labelled_ip4(src_if, labels, Inner::Udp { dst: None, ttl: 64 }, None, 257)
}

/// `create_stream_ip4`: to `dst` (each in turn), from the remote host.
fn create_stream_ip4(
    src_if: &PgInterface,
    dst: &[&str],
    ttl: u8,
    dscp: u8,
    payload_size: Option<usize>,
    n: usize,
) -> Vec<Packet> {
    let mut infos = PacketInfos::new();
    (0..n)
        .map(|i| {
            let info = infos.create(src_if, src_if);
            let mut p = Ether::new(src_if.remote_mac(), src_if.local_mac())
                / Ipv4 {
                    tos: dscp,
                    ..Ipv4::new(src_if.remote_ip4(), v4(dst[i % dst.len()])).ttl(ttl)
                }
                / Udp::new(1234, 1234)
                / Raw::new(info.to_payload());
            if let Some(size) = payload_size {
                extend_packet(&mut p, size, b" ");
            }
            p
        })
        .collect()
}

fn ip4_to(src_if: &PgInterface, dst: &str) -> Vec<Packet> {
    create_stream_ip4(src_if, &[dst], 64, 0, None, 257)
}

/// `create_stream_ip6`.
fn create_stream_ip6(src_if: &PgInterface, dst: &str, hlim: u8, dscp: u8) -> Vec<Packet> {
    let mut infos = PacketInfos::new();
    (0..257)
        .map(|_| {
            let info = infos.create(src_if, src_if);
            Ether::new(src_if.remote_mac(), src_if.local_mac())
                / Ipv6 {
                    tc: dscp,
                    ..Ipv6::new(src_if.remote_ip6(), v6(dst)).hlim(hlim)
                }
                / Udp::new(1234, 1234)
                / Raw::new(info.to_payload())
        })
        .collect()
}

/// `create_stream_labelled_ip6`.
fn create_stream_labelled_ip6(
    src_if: &PgInterface,
    labels: &[MplsLabel],
    hlim: u8,
    dst: Option<Ipv6Addr>,
    ping: Option<&PgInterface>,
) -> Vec<Packet> {
    let dst = dst.unwrap_or(src_if.remote_ip6());
    let mut infos = PacketInfos::new();
    (0..257)
        .map(|_| {
            let info = infos.create(src_if, src_if);
            let p = push_labels(
                Ether::new(src_if.remote_mac(), src_if.local_mac()).into(),
                labels,
            );
            match ping {
                Some(itf) => {
                    p / Ipv6::new(itf.remote_ip6(), itf.local_ip6()) / Icmpv6::echo_request(0, 0)
                }
                None => {
                    p / Ipv6::new(src_if.remote_ip6(), dst).hlim(hlim)
                        / Udp::new(1234, 1234)
                        / Raw::new(info.to_payload())
                }
            }
        })
        .collect()
}

fn labelled6(src_if: &PgInterface, labels: &[MplsLabel]) -> Vec<Packet> {
    create_stream_labelled_ip6(src_if, labels, 64, None, None)
}

/// Drops IPv6 packets (router advertisements) when the counts differ
/// (`verify_filter`).
fn verify_filter(capture: &[Packet], sent: &[Packet]) -> Vec<Packet> {
    if capture.len() == sent.len() {
        return capture.to_vec();
    }
    capture
        .iter()
        .filter(|p| !p.has::<Ipv6>())
        .cloned()
        .collect()
}

/// The label stack of `rx` is `labels` (`verify_mpls_stack`).
fn verify_mpls_stack(rx: &Packet, labels: &[MplsLabel]) {
    assert_eq!(rx.expect::<Ether>().ty, Some(0x8847));
    let stack: Vec<&Mpls> = rx
        .layers()
        .iter()
        .filter_map(|l| match l {
            asf_core::packet::Layer::Mpls(m) => Some(m),
            _ => None,
        })
        .collect();
    for (ii, want) in labels.iter().enumerate() {
        let got = stack
            .get(ii)
            .unwrap_or_else(|| panic!("label {ii} missing:\n{}", rx.show()));
        assert_eq!(got.label, want.label);
        assert_eq!(got.cos, want.exp);
        assert_eq!(got.ttl, want.ttl);
        assert_eq!(got.s, u8::from(ii + 1 == labels.len()));
    }
}

/// How `verify_capture_ip4` checks the TTL or that it is a reply.
#[derive(Clone, Copy)]
enum Ip4Check {
    /// Forwarded: TTL one less unless given, TOS as given.
    Forwarded { ttl: Option<u8>, dscp: u8 },
    /// An echo reply.
    PingResp,
}

fn fwd() -> Ip4Check {
    Ip4Check::Forwarded { ttl: None, dscp: 0 }
}

fn verify_capture_ip4(capture: &[Packet], sent: &[Packet], check: Ip4Check) {
    let capture = verify_filter(capture, sent);
    assert_eq!(capture.len(), sent.len());
    for (rx, tx) in capture.iter().zip(sent) {
        // the rx'd packet has the MPLS label popped
        assert_eq!(rx.expect::<Ether>().ty, Some(0x800));
        let (tx_ip, rx_ip) = (tx.expect::<Ipv4>(), rx.expect::<Ipv4>());
        match check {
            Ip4Check::Forwarded { ttl, dscp } => {
                assert_eq!(rx_ip.src, tx_ip.src);
                assert_eq!(rx_ip.dst, tx_ip.dst);
                assert_eq!(rx_ip.tos, dscp);
                match ttl {
                    // IP processing post pop has decremented the TTL
                    None => assert_eq!(rx_ip.ttl + 1, tx_ip.ttl),
                    Some(ttl) => assert_eq!(rx_ip.ttl, ttl),
                }
            }
            Ip4Check::PingResp => {
                assert_eq!(rx_ip.src, tx_ip.dst);
                assert_eq!(rx_ip.dst, tx_ip.src);
            }
        }
    }
}

/// `verify_capture_labelled_ip4` (TTL one less unless given) and
/// `verify_capture_tunneled_ip4` (one less).
fn verify_capture_labelled_ip4(
    capture: &[Packet],
    sent: &[Packet],
    labels: &[MplsLabel],
    ttl: Option<u8>,
) {
    let capture = verify_filter(capture, sent);
    assert_eq!(capture.len(), sent.len());
    for (rx, tx) in capture.iter().zip(sent) {
        let (tx_ip, rx_ip) = (tx.expect::<Ipv4>(), rx.expect::<Ipv4>());
        verify_mpls_stack(rx, labels);
        assert_eq!(rx_ip.src, tx_ip.src);
        assert_eq!(rx_ip.dst, tx_ip.dst);
        match ttl {
            // IP processing post pop has decremented the TTL
            None => assert_eq!(rx_ip.ttl + 1, tx_ip.ttl),
            Some(ttl) => assert_eq!(rx_ip.ttl, ttl),
        }
    }
}

fn verify_capture_labelled_ip6(
    capture: &[Packet],
    sent: &[Packet],
    labels: &[MplsLabel],
    ttl: Option<u8>,
) {
    let capture = verify_filter(capture, sent);
    assert_eq!(capture.len(), sent.len());
    for (rx, tx) in capture.iter().zip(sent) {
        let (tx_ip, rx_ip) = (tx.expect::<Ipv6>(), rx.expect::<Ipv6>());
        verify_mpls_stack(rx, labels);
        assert_eq!(rx_ip.src, tx_ip.src);
        assert_eq!(rx_ip.dst, tx_ip.dst);
        match ttl {
            // IP processing post pop has decremented the TTL
            None => assert_eq!(rx_ip.hop_limit() + 1, tx_ip.hop_limit()),
            Some(ttl) => assert_eq!(rx_ip.hop_limit(), ttl),
        }
    }
}

fn verify_capture_labelled(capture: &[Packet], sent: &[Packet], labels: &[MplsLabel]) {
    let capture = verify_filter(capture, sent);
    assert_eq!(capture.len(), sent.len());
    for rx in &capture {
        verify_mpls_stack(rx, labels);
    }
}

/// `verify_capture_ip6`: forwarded (hop limit one less unless given, TC as
/// given) or an echo reply.
fn verify_capture_ip6(
    capture: &[Packet],
    sent: &[Packet],
    hlim: Option<u8>,
    dscp: u8,
    ping_resp: bool,
) {
    assert_eq!(capture.len(), sent.len());
    for (rx, tx) in capture.iter().zip(sent) {
        // the rx'd packet has the MPLS label popped
        assert_eq!(rx.expect::<Ether>().ty, Some(0x86dd));
        let (tx_ip, rx_ip) = (tx.expect::<Ipv6>(), rx.expect::<Ipv6>());
        if !ping_resp {
            assert_eq!(rx_ip.src, tx_ip.src);
            assert_eq!(rx_ip.dst, tx_ip.dst);
            assert_eq!(rx_ip.tc, dscp);
            // IP processing post pop has decremented the TTL
            match hlim {
                None => assert_eq!(rx_ip.hop_limit() + 1, tx_ip.hop_limit()),
                Some(h) => assert_eq!(rx_ip.hop_limit(), h),
            }
        } else {
            assert_eq!(rx_ip.src, tx_ip.dst);
            assert_eq!(rx_ip.dst, tx_ip.src);
        }
    }
}

fn verify_capture_ip6_icmp(src_if: &PgInterface, capture: &[Packet], sent: &[Packet]) {
    // rate limited ICMP
    assert!(capture.len() <= sent.len());
    for (rx, tx) in capture.iter().zip(sent) {
        // the rx'd packet has the MPLS label popped
        assert_eq!(rx.expect::<Ether>().ty, Some(0x86dd));
        let (tx_ip, rx_ip) = (tx.expect::<Ipv6>(), rx.expect::<Ipv6>());
        assert_eq!(rx_ip.dst, tx_ip.src);
        // ICMP sourced from the interface's address
        assert_eq!(rx_ip.src, src_if.local_ip6());
        // hop-limit reset to 255 for IMCP packet
        assert_eq!(rx_ip.hop_limit(), 255);
        assert_eq!(rx.expect::<Icmpv6>().ty, Icmpv6::TIME_EXCEEDED);
    }
}

/// Every fragment carries the labels and the first packet's addresses
/// (`verify_capture_fragmented_labelled_ip4`).
fn verify_capture_fragmented_labelled_ip4(
    capture: &[Packet],
    sent: &[Packet],
    labels: &[MplsLabel],
) {
    let capture = verify_filter(capture, sent);
    let tx_ip = sent[0].expect::<Ipv4>();
    for rx in &capture {
        let rx_ip = rx.expect::<Ipv4>();
        verify_mpls_stack(rx, labels);
        assert_eq!(rx_ip.src, tx_ip.src);
        assert_eq!(rx_ip.dst, tx_ip.dst);
        // IP processing post pop has decremented the TTL
        assert_eq!(rx_ip.ttl + 1, tx_ip.ttl);
    }
}

fn send_n(
    t: &mut TestCase,
    input: &PgInterface,
    tx: &[Packet],
    output: &PgInterface,
    n_rx: usize,
) -> TestResult<Vec<Packet>> {
    pg::send_and_expect_with(
        t,
        input,
        tx,
        output,
        &SendOptions {
            n_rx: Some(n_rx),
            ..SendOptions::default()
        },
    )
}

/// Sends `tx` from `input` with every interface capturing; returns what
/// `output` got, `expected` packets (`add_stream`, `pg_start`,
/// `get_capture`).
fn start_and_capture(
    t: &mut TestCase,
    input: &PgInterface,
    tx: &[Packet],
    output: &PgInterface,
    expected: usize,
) -> TestResult<Vec<Packet>> {
    input.add_stream(t, tx)?;
    pg::enable_capture(t, &pg::interfaces(t)?)?;
    pg::start(t)?;
    output.get_capture(t, expected)
}

fn set_up(t: &mut TestCase) -> TestResult {
    // create 2 pg interfaces
    let pgs = pg::create_interfaces(t, 0..4)?;
    // setup both interfaces
    // assign them different tables.
    objects::add(t, MplsTable { table_id: 0 })?;
    for (table_id, i) in pgs.iter().enumerate() {
        let table_id = table_id as u32;
        i.admin_up(t)?;
        if table_id != 0 {
            objects::add(
                t,
                IpTable {
                    table_id,
                    is_ip6: false,
                },
            )?;
            objects::add(
                t,
                IpTable {
                    table_id,
                    is_ip6: true,
                },
            )?;
        }
        i.set_table_ip4(t, table_id)?;
        i.set_table_ip6(t, table_id)?;
        i.config_ip4(t)?.resolve_arp(t)?;
        i.config_ip6(t)?.resolve_ndp(t, Duration::from_secs(1))?;
        i.enable_mpls(t)?;
    }
    Ok(())
}

fn tear_down(t: &mut TestCase) -> TestResult {
    for i in pg::interfaces(t)? {
        i.unconfig_ip4(t)?;
        i.unconfig_ip6(t)?;
        i.set_table_ip4(t, 0)?;
        i.set_table_ip6(t, 0)?;
        i.disable_mpls(t)?;
        i.admin_down(t)?;
    }
    Ok(())
}

/// MPLS Test Case
#[vpp_test(
    name = "TestMPLS",
    fixme_vpp_workers,
    set_up = set_up,
    tear_down = tear_down,
    // VPP's MPLS (the stand-in has none).
    requires_messages = ["mpls_route_add_del", "mpls_tunnel_add_del"]
)]
mod mpls {
    use super::*;

    /// MPLS label swap tests
    #[vpp_test]
    fn test_swap(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        // A simple MPLS xconnect - eos label in label out
        let path = || via(pg0.remote_ip4(), pg0).with_labels([l(33)]);
        let route_32_eos = mpls_route(t, MplsRoute::new(32, true, [path()]))?;
        assert!(MplsRoute::new(32, true, [path()]).query_paths(t.api())?);
        // a stream that matches the route for 10.0.0.1
        // PG0 is in the default table
        let tx = labelled4(pg0, &[l(32).ttl(32).exp(1)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_labelled(&rx, &tx, &[l(33).ttl(31).exp(1)]);
        assert_eq!(route_32_eos.stats_to(t)?.packets, 257);
        // A simple MPLS xconnect - non-eos label in label out
        let route_32_neos = mpls_route(t, MplsRoute::new(32, false, [path()]))?;
        // a stream that matches the route for 10.0.0.1
        // PG0 is in the default table
        let tx = labelled4(pg0, &[l(32).ttl(21).exp(7), l(99)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_labelled(&rx, &tx, &[l(33).ttl(20).exp(7), l(99)]);
        assert_eq!(route_32_neos.stats_to(t)?.packets, 257);
        // A simple MPLS xconnect - non-eos label in label out, uniform mode
        mpls_route(
            t,
            MplsRoute::new(
                42,
                false,
                [via(pg0.remote_ip4(), pg0).with_labels([l(43).uniform()])],
            ),
        )?;
        let tx = labelled4(pg0, &[l(42).ttl(21).exp(7), l(99)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_labelled(&rx, &tx, &[l(43).ttl(20).exp(7), l(99)]);
        // An MPLS xconnect - EOS label in IP out
        let route_33_eos = mpls_route(t, MplsRoute::new(33, true, [via(pg0.remote_ip4(), pg0)]))?;
        let tx = labelled4(pg0, &[l(33)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_ip4(&rx, &tx, fwd());
        // disposed packets have an invalid IPv4 checksum
        let tx = create_stream_labelled_ip4(
            pg0,
            &[l(33)],
            Inner::Udp {
                dst: Some(&pg0.remote_ip4().to_string()),
                ttl: 64,
            },
            Some(1),
            65,
        );
        pg::send_and_assert_no_replies_with(
            t,
            pg0,
            &tx,
            &pg::SendOptions::remark("Invalid Checksum"),
        )?;
        // An MPLS xconnect - EOS label in IP out, uniform mode
        mpls_route(
            t,
            MplsRoute::new(
                3333,
                true,
                [via(pg0.remote_ip4(), pg0).with_labels([l(3).uniform()])],
            ),
        )?;
        let tx = labelled4(pg0, &[l(3333).ttl(55).exp(3)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_ip4(
            &rx,
            &tx,
            Ip4Check::Forwarded {
                ttl: Some(54),
                dscp: 0x60,
            },
        );
        let tx = labelled4(pg0, &[l(3333).ttl(66).exp(4)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_ip4(
            &rx,
            &tx,
            Ip4Check::Forwarded {
                ttl: Some(65),
                dscp: 0x80,
            },
        );
        // An MPLS xconnect - EOS label in IPv6 out
        mpls_route(
            t,
            MplsRoute::new(333, true, [via(pg0.remote_ip6(), pg0)]).eos_proto(FibPathNhProto::Ip6),
        )?;
        let tx = labelled6(pg0, &[l(333)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_ip6(&rx, &tx, None, 0, false);
        // disposed packets have an TTL expired
        let tx =
            create_stream_labelled_ip6(pg0, &[l(333).ttl(64)], 1, Some(pg1.remote_ip6()), None);
        let rx = pg::send_and_expect_some(t, pg0, &tx, pg0)?;
        verify_capture_ip6_icmp(pg0, &rx, &tx);
        // An MPLS xconnect - EOS label in IPv6 out w imp-null
        mpls_route(
            t,
            MplsRoute::new(334, true, [via(pg0.remote_ip6(), pg0).with_labels([l(3)])])
                .eos_proto(FibPathNhProto::Ip6),
        )?;
        let tx = labelled6(pg0, &[l(334).ttl(64)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_ip6(&rx, &tx, None, 0, false);
        // An MPLS xconnect - EOS label in IPv6 out w imp-null in uniform mode
        mpls_route(
            t,
            MplsRoute::new(
                335,
                true,
                [via(pg0.remote_ip6(), pg0).with_labels([l(3).uniform()])],
            )
            .eos_proto(FibPathNhProto::Ip6),
        )?;
        let tx = labelled6(pg0, &[l(335).ttl(27).exp(4)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_ip6(&rx, &tx, Some(26), 0x80, false);
        // disposed packets have an TTL expired
        let tx = create_stream_labelled_ip6(pg0, &[l(334)], 0, Some(pg1.remote_ip6()), None);
        let rx = pg::send_and_expect_some(t, pg0, &tx, pg0)?;
        verify_capture_ip6_icmp(pg0, &rx, &tx);
        // An MPLS xconnect - non-EOS label in IP out - an invalid configuration
        // so this traffic should be dropped.
        let route_33_neos = mpls_route(t, MplsRoute::new(33, false, [via(pg0.remote_ip4(), pg0)]))?;
        let tx = labelled4(pg0, &[l(33), l(99)]);
        pg::send_and_assert_no_replies_with(
            t,
            pg0,
            &tx,
            &pg::SendOptions::remark("MPLS non-EOS packets popped and forwarded"),
        )?;
        // A recursive EOS x-connect, which resolves through another x-connect
        // in pipe mode
        let route_34_eos = mpls_route(
            t,
            MplsRoute::new(
                34,
                true,
                [RoutePath::via_label(32).with_labels([l(44), l(45)])],
            ),
        )?;
        tracing::info!("{}", t.cli("sh mpls fib 34")?);
        let tx = labelled4(pg0, &[l(34).ttl(3)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_labelled(&rx, &tx, &[l(33), l(44), l(45).ttl(2)]);
        assert_eq!(route_34_eos.stats_to(t)?.packets, 257);
        assert_eq!(route_32_neos.stats_via(t)?.packets, 257);
        // A recursive EOS x-connect, which resolves through another x-connect
        // in uniform mode
        mpls_route(
            t,
            MplsRoute::new(35, true, [RoutePath::via_label(42).with_labels([l(44)])]),
        )?;
        let tx = labelled4(pg0, &[l(35).ttl(3)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_labelled(&rx, &tx, &[l(43).ttl(2), l(44).ttl(2)]);
        // A recursive non-EOS x-connect, which resolves through another
        // x-connect
        let route_34_neos = mpls_route(
            t,
            MplsRoute::new(
                34,
                false,
                [RoutePath::via_label(32).with_labels([l(44), l(46)])],
            ),
        )?;
        let tx = labelled4(pg0, &[l(34).ttl(45), l(99)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        // it's the 2nd (counting from 0) label in the stack that is swapped
        verify_capture_labelled(&rx, &tx, &[l(33), l(44), l(46).ttl(44), l(99)]);
        // an recursive IP route that resolves through the recursive non-eos
        // x-connect
        let ip_10_0_0_1 = ip_route(
            t,
            "10.0.0.1/32",
            vec![RoutePath::via_label(34).with_labels([l(55)])],
        )?;
        let tx = ip4_to(pg0, "10.0.0.1");
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(33), l(44), l(46), l(55)], None);
        assert_eq!(ip_10_0_0_1.stats_to(t)?.packets, 257);
        objects::remove(t, &ip_10_0_0_1)?;
        objects::remove(t, &route_34_neos)?;
        objects::remove(t, &route_34_eos)?;
        objects::remove(t, &route_33_neos)?;
        objects::remove(t, &route_33_eos)?;
        objects::remove(t, &route_32_neos)?;
        objects::remove(t, &route_32_eos)
    }

    /// MPLS Local Label Binding test
    #[vpp_test]
    fn test_bind(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        // Add a non-recursive route with a single out label
        let route_10_0_0_1 = ip_route(
            t,
            "10.0.0.1/32",
            vec![via(pg0.remote_ip4(), &pg0).with_labels([l(45)])],
        )?;
        // bind a local label to the route
        let binding = objects::add(t, MplsIpBind::new(44, "10.0.0.1/32")?)?;
        // non-EOS stream
        let tx = labelled4(&pg0, &[l(44), l(99)]);
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_capture_labelled(&rx, &tx, &[l(45).ttl(63), l(99)]);
        // EOS stream
        let tx = labelled4(&pg0, &[l(44)]);
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_capture_labelled(&rx, &tx, &[l(45).ttl(63)]);
        // IP stream
        let tx = ip4_to(&pg0, "10.0.0.1");
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(45)], None);
        // cleanup
        objects::remove(t, &binding)?;
        objects::remove(t, &route_10_0_0_1)
    }

    /// MPLS label imposition test
    #[vpp_test]
    fn test_imposition(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        // Add a non-recursive route with a single out label
        let route_10_0_0_1 = ip_route(
            t,
            "10.0.0.1/32",
            vec![via(pg0.remote_ip4(), &pg0).with_labels([l(32)])],
        )?;
        // a stream that matches the route for 10.0.0.1
        // PG0 is in the default table
        let tx = ip4_to(&pg0, "10.0.0.1");
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(32)], None);
        // Add a non-recursive route with a 3 out labels
        let route_10_0_0_2 = ip_route(
            t,
            "10.0.0.2/32",
            vec![via(pg0.remote_ip4(), &pg0).with_labels([l(32), l(33), l(34)])],
        )?;
        let tx = create_stream_ip4(&pg0, &["10.0.0.2"], 44, 0xff, None, 257);
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(32), l(33), l(34)], Some(43));
        // Add a non-recursive route with a single out label in uniform mode
        ip_route(
            t,
            "10.0.0.3/32",
            vec![via(pg0.remote_ip4(), &pg0).with_labels([l(32).uniform()])],
        )?;
        let tx = create_stream_ip4(&pg0, &["10.0.0.3"], 54, 0xbe, None, 257);
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(32).ttl(53).exp(5)], None);
        // Add a IPv6 non-recursive route with a single out label in
        // uniform mode
        ip_route(
            t,
            "2001::3/128",
            vec![via(pg0.remote_ip6(), &pg0).with_labels([l(32).uniform()])],
        )?;
        let tx = create_stream_ip6(&pg0, "2001::3", 54, 0xbe);
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_capture_labelled_ip6(&rx, &tx, &[l(32).ttl(53).exp(5)], None);
        // add a recursive path, with output label, via the 1 label route
        let route_11_0_0_1 = ip_route(
            t,
            "11.0.0.1/32",
            vec![RoutePath::via(v4("10.0.0.1").into(), u32::MAX).with_labels([l(44)])],
        )?;
        // a stream that matches the route for 11.0.0.1, should pick up
        // the label stack for 11.0.0.1 and 10.0.0.1
        let tx = ip4_to(&pg0, "11.0.0.1");
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(32), l(44)], None);
        assert_eq!(route_11_0_0_1.stats_to(t)?.packets, 257);
        // add a recursive path, with 2 labels, via the 3 label route
        let route_11_0_0_2 = ip_route(
            t,
            "11.0.0.2/32",
            vec![RoutePath::via(v4("10.0.0.2").into(), u32::MAX).with_labels([l(44), l(45)])],
        )?;
        // a stream that matches the route for 11.0.0.1, should pick up
        // the label stack for 11.0.0.1 and 10.0.0.1
        let tx = ip4_to(&pg0, "11.0.0.2");
        let stack = [l(32), l(33), l(34), l(44), l(45)];
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_capture_labelled_ip4(&rx, &tx, &stack, None);
        assert_eq!(route_11_0_0_2.stats_to(t)?.packets, 257);
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_capture_labelled_ip4(&rx, &tx, &stack, None);
        assert_eq!(route_11_0_0_2.stats_to(t)?.packets, 514);
        // cleanup
        objects::remove(t, &route_11_0_0_2)?;
        objects::remove(t, &route_11_0_0_1)?;
        objects::remove(t, &route_10_0_0_2)?;
        objects::remove(t, &route_10_0_0_1)
    }

    /// MPLS label imposition fragmentation test
    #[vpp_test]
    fn test_imposition_fragmentation(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        // Add a ipv4 non-recursive route with a single out label
        let route_10_0_0_1 = ip_route(
            t,
            "10.0.0.1/32",
            vec![via(pg0.remote_ip4(), &pg0).with_labels([l(32)])],
        )?;
        ip_route(
            t,
            "1000::1/128",
            vec![via(pg0.remote_ip6(), &pg0).with_labels([l(32)])],
        )?;
        // a stream that matches the route for 10.0.0.1
        // PG0 is in the default table
        let mut tx = ip4_to(&pg0, "10.0.0.1");
        for p in &mut tx {
            extend_packet(p, 10000, b" ");
        }
        // 5 fragments per packet (257*5=1285)
        let rx = send_n(t, &pg0, &tx, &pg0, 1285)?;
        verify_capture_fragmented_labelled_ip4(&rx, &tx, &[l(32)]);
        // packets with DF bit set generate ICMP
        for p in &mut tx {
            p.get_mut::<Ipv4>().expect("IPv4").flags = Ipv4::DF;
        }
        let rxs = pg::send_and_expect_some(t, &pg0, &tx, &pg0)?;
        for rx in &rxs {
            let icmp = rx.expect::<Icmp>();
            // dest-unreach, fragmentation-needed
            assert_eq!(icmp.ty, Icmp::DEST_UNREACH);
            assert_eq!(icmp.code, 4);
            // the link MTU is 9000, the MPLS over head is 4 bytes
            assert_eq!(icmp.nexthopmtu(), 9000 - 4);
        }
        assert_eq!(
            t.get_counter("/err/mpls-frag/dont_fragment_set")?.sum(),
            tx.len() as u64
        );
        // a stream that matches the route for 1000::1/128
        // PG0 is in the default table
        let mut tx = create_stream_ip6(&pg0, "1000::1", 64, 0);
        for p in &mut tx {
            extend_packet(p, 10000, b" ");
        }
        let rxs = pg::send_and_expect_some(t, &pg0, &tx, &pg0)?;
        for rx in &rxs {
            let icmp = rx.expect::<Icmpv6>();
            assert_eq!(icmp.ty, Icmpv6::PACKET_TOO_BIG);
            assert_eq!(icmp.rest, 9000 - 4);
        }
        // cleanup
        objects::remove(t, &route_10_0_0_1)
    }

    /// MPLS Tunnel Tests - Pipe
    #[vpp_test]
    fn test_tunnel_pipe(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        // Create a tunnel with two out labels
        let mpls_tun = objects::add(
            t,
            MplsTunnel::new([via(pg0.remote_ip4(), &pg0).with_labels([l(44), l(46)])]),
        )?;
        let tun = pg::interface_of(t, mpls_tun.sw_if_index)?;
        tun.admin_up(t)?;
        // add an unlabelled route through the new tunnel
        ip_route(
            t,
            "10.0.0.3/32",
            vec![RoutePath::via(any4(), mpls_tun.sw_if_index)],
        )?;
        t.cli("clear trace")?;
        let tx = ip4_to(&pg0, "10.0.0.3");
        let rx = start_and_capture(t, &pg0, &tx, &pg0, tx.len())?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(44), l(46)], None);
        // add a labelled route through the new tunnel
        ip_route(
            t,
            "10.0.0.4/32",
            vec![RoutePath::via(any4(), mpls_tun.sw_if_index).with_labels([MplsLabel::bare(33)])],
        )?;
        t.cli("clear trace")?;
        let tx = ip4_to(&pg0, "10.0.0.4");
        let rx = start_and_capture(t, &pg0, &tx, &pg0, tx.len())?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(44), l(46), l(33).ttl(255)], None);
        // change tunnel's MTU to a low value
        tun.set_l3_mtu(t, 1200)?;
        // send IP into the tunnel to be fragmented
        let twice = |tx: &[Packet]| -> Vec<Packet> {
            tx.iter().flat_map(|p| [p.clone(), p.clone()]).collect()
        };
        let tx = create_stream_ip4(&pg0, &["10.0.0.3"], 64, 0, Some(1500), 257);
        let rx = send_n(t, &pg0, &tx, &pg0, tx.len() * 2)?;
        verify_capture_labelled_ip4(&rx, &twice(&tx), &[l(44), l(46)], None);
        // send MPLS into the tunnel to be fragmented
        let tx = create_stream_ip4(&pg0, &["10.0.0.4"], 64, 0, Some(1500), 257);
        let rx = send_n(t, &pg0, &tx, &pg0, tx.len() * 2)?;
        verify_capture_labelled_ip4(&rx, &twice(&tx), &[l(44), l(46), l(33).ttl(255)], None);
        Ok(())
    }

    /// MPLS Tunnel Tests - Uniform
    #[vpp_test]
    fn test_tunnel_uniform(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        // Create a tunnel with a single out label
        // The label stack is specified here from outer to inner
        let mpls_tun = objects::add(
            t,
            MplsTunnel::new([
                via(pg0.remote_ip4(), &pg0).with_labels([l(44).ttl(32), l(46).uniform()])
            ]),
        )?;
        pg::interface_of(t, mpls_tun.sw_if_index)?.admin_up(t)?;
        // add an unlabelled route through the new tunnel
        ip_route(
            t,
            "10.0.0.3/32",
            vec![RoutePath::via(any4(), mpls_tun.sw_if_index)],
        )?;
        t.cli("clear trace")?;
        let tx = create_stream_ip4(&pg0, &["10.0.0.3"], 24, 0, None, 257);
        let rx = start_and_capture(t, &pg0, &tx, &pg0, tx.len())?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(44).ttl(32), l(46).ttl(23)], None);
        // add a labelled route through the new tunnel
        ip_route(
            t,
            "10.0.0.4/32",
            vec![RoutePath::via(any4(), mpls_tun.sw_if_index).with_labels([l(33).ttl(47)])],
        )?;
        t.cli("clear trace")?;
        let tx = ip4_to(&pg0, "10.0.0.4");
        let rx = start_and_capture(t, &pg0, &tx, &pg0, tx.len())?;
        verify_capture_labelled_ip4(
            &rx,
            &tx,
            &[l(44).ttl(32), l(46).ttl(47), l(33).ttl(47)],
            None,
        );
        Ok(())
    }

    /// MPLS Tunnel Tests - ECMP
    #[vpp_test]
    fn test_tunnel_ecmp(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        // Create a tunnel with multiple paths and labels
        pg0.generate_remote_hosts(2);
        pg0.configure_ipv4_neighbors(t)?;
        let hosts = pg0.remote_hosts();
        let mpls_tun = objects::add(
            t,
            MplsTunnel::new([
                via(hosts[0].ip4, &pg0).with_labels([l(3)]),
                via(hosts[1].ip4, &pg0).with_labels([l(44)]),
            ]),
        )?;
        pg::interface_of(t, mpls_tun.sw_if_index)?.admin_up(t)?;
        t.cli("clear trace")?;
        let dsts: Vec<String> = (0..NUM_PKTS).map(|i| format!("10.0.0.{i}")).collect();
        let dsts: Vec<&str> = dsts.iter().map(String::as_str).collect();
        let pkts = create_stream_ip4(&pg0, &dsts, 64, 0, None, NUM_PKTS);
        let send_and_expect_mpls_lb =
            |t: &mut TestCase, path_labels: &[&[u32]], min_ratio: f64| -> TestResult {
                let rx = start_and_capture(t, &pg0, &pkts, &pg0, pkts.len())?;
                let mut paths: HashMap<String, usize> = HashMap::new();
                for packet in &rx {
                    let eth = packet.expect::<Ether>();
                    assert_eq!(eth.ty, Some(0x8847));
                    let labels: Vec<u32> = packet
                        .layers()
                        .iter()
                        .filter_map(|l| match l {
                            asf_core::packet::Layer::Mpls(m) => Some(m.label),
                            _ => None,
                        })
                        .collect();
                    assert!(
                        path_labels.contains(&labels.as_slice()),
                        "{labels:?} not in {path_labels:?}"
                    );
                    let key = format!(
                        "{}-{}",
                        eth.dst,
                        labels
                            .iter()
                            .map(u32::to_string)
                            .collect::<Vec<_>>()
                            .join("-")
                    );
                    *paths.entry(key).or_default() += 1;
                }
                // Check distribution over multiple mpls paths
                assert_eq!(paths.len(), path_labels.len());
                for n in paths.values() {
                    assert!(
                        *n as f64 >= NUM_PKTS as f64 / paths.len() as f64 * min_ratio,
                        "{paths:?}"
                    );
                }
                Ok(())
            };
        // Add labelled route through the new tunnel,
        // traffic should be balanced over all tunnel paths only.
        ip_route(
            t,
            "10.0.0.0/16",
            vec![RoutePath::via(any4(), mpls_tun.sw_if_index).with_labels([MplsLabel::bare(33)])],
        )?;
        send_and_expect_mpls_lb(t, &[&[33], &[44, 33]], 0.85)?;
        // Add labelled multipath route through the new tunnel,
        // traffic should be balanced over both paths first and
        // then over all tunnel paths.
        ip_route(
            t,
            "10.0.0.0/16",
            vec![
                RoutePath::via(v4("0.0.0.1").into(), mpls_tun.sw_if_index)
                    .with_labels([MplsLabel::bare(33)]),
                RoutePath::via(v4("0.0.0.2").into(), mpls_tun.sw_if_index)
                    .with_labels([MplsLabel::bare(34)]),
            ],
        )?;
        send_and_expect_mpls_lb(t, &[&[33], &[44, 33], &[34], &[44, 34]], 0.70)
    }

    /// MPLS Multiple Tunnels
    #[vpp_test]
    fn test_mpls_tunnel_many(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        for l2_only in [false, true] {
            for _ in 0..100 {
                let mut tun = MplsTunnel::new([
                    via(pg0.remote_ip4(), &pg0).with_labels([l(44).ttl(32), l(46).uniform()])
                ]);
                tun.l2_only = l2_only;
                let tun = objects::add(t, tun)?;
                pg::interface_of(t, tun.sw_if_index)?.admin_up(t)?;
            }
        }
        Ok(())
    }

    /// MPLS V4 Explicit NULL test
    #[vpp_test]
    fn test_v4_exp_null(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        // The first test case has an MPLS TTL of 0
        // all packet should be dropped
        let tx = labelled4(pg0, &[l(0).ttl(0)]);
        pg::send_and_assert_no_replies_with(
            t,
            pg0,
            &tx,
            &pg::SendOptions::remark("MPLS TTL=0 packets forwarded"),
        )?;
        // a stream with a non-zero MPLS TTL
        // PG0 is in the default table
        let tx = labelled4(pg0, &[l(0)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_ip4(&rx, &tx, fwd());
        // a stream with a non-zero MPLS TTL
        // PG1 is in table 1
        // we are ensuring the post-pop lookup occurs in the VRF table
        let tx = labelled4(pg1, &[l(0)]);
        let rx = pg::send_and_expect(t, pg1, &tx, pg1)?;
        verify_capture_ip4(&rx, &tx, fwd());
        Ok(())
    }

    /// MPLS V6 Explicit NULL test
    #[vpp_test]
    fn test_v6_exp_null(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        // a stream with a non-zero MPLS TTL
        // PG0 is in the default table
        let tx = labelled6(pg0, &[l(2)]);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_ip6(&rx, &tx, None, 0, false);
        // a stream with a non-zero MPLS TTL
        // PG1 is in table 1
        // we are ensuring the post-pop lookup occurs in the VRF table
        let tx = labelled6(pg1, &[l(2)]);
        let rx = pg::send_and_expect(t, pg1, &tx, pg1)?;
        verify_capture_ip6(&rx, &tx, None, 0, false);
        Ok(())
    }

    /// MPLS Deagg
    #[vpp_test]
    fn test_deag(t: &mut TestCase) -> TestResult {
        // The original skips the test when the ping plugin is excluded (the
        // plugin answers the pings); a plugin is a class option here, so
        // the test asks the VPP it runs on.
        if !t.api().has_message("want_ping_finished_events") {
            return Err(asf_core::Skip::new("Exclude tests requiring Ping plugin").into());
        }
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        let deag = |table: u32, any: IpAddr| RoutePath {
            nh_table_id: table,
            ..RoutePath::via(any, u32::MAX)
        };
        // A de-agg route - next-hop lookup in default table
        let route_34_eos = mpls_route(t, MplsRoute::new(34, true, [deag(0, any4())]))?;
        // ping an interface in the default table
        // PG0 is in the default table
        let tx = create_stream_labelled_ip4(pg0, &[l(34)], Inner::Ping(pg0), None, 257);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_capture_ip4(&rx, &tx, Ip4Check::PingResp);
        // A de-agg route - next-hop lookup in non-default table
        let route_35_eos = mpls_route(t, MplsRoute::new(35, true, [deag(1, any4())]))?;
        mpls_route(
            t,
            MplsRoute::new(356, true, [deag(1, any6())]).eos_proto(FibPathNhProto::Ip6),
        )?;
        // ping an interface in the non-default table
        // PG0 is in the default table. packet arrive labelled in the
        // default table and egress unlabelled in the non-default
        let tx = create_stream_labelled_ip4(pg0, &[l(35)], Inner::Ping(pg1), None, 257);
        let rx = pg::send_and_expect(t, pg0, &tx, pg1)?;
        verify_capture_ip4(&rx, &tx, Ip4Check::PingResp);
        let tx = create_stream_labelled_ip6(pg0, &[l(356)], 64, None, Some(pg1));
        let rx = pg::send_and_expect(t, pg0, &tx, pg1)?;
        verify_capture_ip6(&rx, &tx, None, 0, true);
        // Double pop
        let route_36_neos = mpls_route(
            t,
            MplsRoute::new(36, false, [RoutePath::via(any4(), u32::MAX)]),
        )?;
        let tx = create_stream_labelled_ip4(pg0, &[l(36), l(35)], Inner::Ping(pg1), None, 257);
        let rx = pg::send_and_expect(t, pg0, &tx, pg1)?;
        verify_capture_ip4(&rx, &tx, Ip4Check::PingResp);
        objects::remove(t, &route_36_neos)?;
        objects::remove(t, &route_35_eos)?;
        objects::remove(t, &route_34_eos)
    }

    /// MPLS Interface Receive
    #[vpp_test]
    fn test_interface_rx(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        // Add a non-recursive route that will forward the traffic
        // post-interface-rx
        objects::add(
            t,
            IpRoute::new("10.0.0.1/32", [via(pg1.remote_ip4(), pg1)])?.in_table(1),
        )?;
        // An interface receive label that maps traffic to RX on interface
        // pg1
        // by injecting the packet in on pg0, which is in table 0
        // doing an interface-rx on pg1 and matching a route in table 1
        // if the packet egresses, then we must have swapped to pg1
        // so as to have matched the route in table 1
        mpls_route(
            t,
            MplsRoute::new(
                34,
                true,
                [via(any4(), pg1).of_type(FibPathType::InterfaceRx)],
            ),
        )?;
        // ping an interface in the default table
        // PG0 is in the default table
        let tx = create_stream_labelled_ip4(
            pg0,
            &[l(34)],
            Inner::Udp {
                dst: Some("10.0.0.1"),
                ttl: 64,
            },
            None,
            257,
        );
        let rx = pg::send_and_expect(t, pg0, &tx, pg1)?;
        verify_capture_ip4(&rx, &tx, fwd());
        Ok(())
    }

    /// MPLS Multicast Mid Point
    #[vpp_test]
    fn test_mcast_mid_point(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1, pg2, pg3) = (&p[0], &p[1], &p[2], &p[3]);
        // Add a non-recursive route that will forward the traffic
        // post-interface-rx
        objects::add(
            t,
            IpRoute::new("10.0.0.1/32", [via(pg1.remote_ip4(), pg1)])?.in_table(1),
        )?;
        // Add a mcast entry that replicate to pg2 and pg3
        // and replicate to a interface-rx (like a bud node would)
        let mut r = MplsRoute::new(
            3400,
            true,
            [
                via(pg2.remote_ip4(), pg2).with_labels([l(3401)]),
                via(pg3.remote_ip4(), pg3).with_labels([l(3402)]),
                via(any4(), pg1).of_type(FibPathType::InterfaceRx),
            ],
        );
        r.is_multicast = true;
        mpls_route(t, r)?;
        // ping an interface in the default table
        // PG0 is in the default table
        t.cli("clear trace")?;
        let tx = create_stream_labelled_ip4(
            pg0,
            &[l(3400).ttl(64)],
            Inner::Udp {
                dst: Some("10.0.0.1"),
                ttl: 64,
            },
            None,
            257,
        );
        let rx = start_and_capture(t, pg0, &tx, pg1, 257)?;
        verify_capture_ip4(&rx, &tx, fwd());
        let rx = pg2.get_capture(t, 257)?;
        verify_capture_labelled(&rx, &tx, &[l(3401).ttl(63)]);
        let rx = pg3.get_capture(t, 257)?;
        verify_capture_labelled(&rx, &tx, &[l(3402).ttl(63)]);
        Ok(())
    }

    /// MPLS Multicast Head-end
    #[vpp_test]
    fn test_mcast_head(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg2, pg3) = (&p[0], &p[2], &p[3]);
        // Create a multicast tunnel with two replications
        let mut tun = MplsTunnel::new([
            via(pg2.remote_ip4(), pg2).with_labels([l(42)]),
            via(pg3.remote_ip4(), pg3).with_labels([l(43)]),
        ]);
        tun.is_multicast = true;
        let mpls_tun = objects::add(t, tun)?;
        pg::interface_of(t, mpls_tun.sw_if_index)?.admin_up(t)?;
        // add an unlabelled route through the new tunnel
        ip_route(
            t,
            "10.0.0.3/32",
            vec![RoutePath::via(any4(), mpls_tun.sw_if_index)],
        )?;
        t.cli("clear trace")?;
        let tx = ip4_to(pg0, "10.0.0.3");
        let rx = start_and_capture(t, pg0, &tx, pg2, 257)?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(42)], None);
        let rx = pg3.get_capture(t, 257)?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(43)], None);
        // An an IP multicast route via the tunnel
        // A (*,G).
        // one accepting interface, pg0, 1 forwarding interface via the tunnel
        objects::add(
            t,
            IpMRoute {
                table_id: 0,
                src: any4(),
                grp: v4("232.1.1.1").into(),
                grp_len: 32,
                entry_flags: 0,
                rpf_id: 0,
                paths: vec![
                    MRoutePath {
                        sw_if_index: pg0.sw_if_index(),
                        itf_flags: ITF_ACCEPT,
                    },
                    MRoutePath {
                        sw_if_index: mpls_tun.sw_if_index,
                        itf_flags: ITF_FORWARD,
                    },
                ],
            },
        )?;
        tracing::info!("{}", t.cli("sh ip mfib index 0")?);
        t.cli("clear trace")?;
        let tx = ip4_to(pg0, "232.1.1.1");
        let rx = start_and_capture(t, pg0, &tx, pg2, 257)?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(42)], None);
        let rx = pg3.get_capture(t, 257)?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(43)], None);
        Ok(())
    }

    /// MPLS IPv4 Multicast Tail
    #[vpp_test]
    fn test_mcast_ip4_tail(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        // Add a multicast route that will forward the traffic
        // post-disposition
        let mut route_232_1_1_1 = objects::add(
            t,
            IpMRoute {
                table_id: 1,
                src: any4(),
                grp: v4("232.1.1.1").into(),
                grp_len: 32,
                entry_flags: 0,
                rpf_id: 0,
                paths: vec![MRoutePath {
                    sw_if_index: pg1.sw_if_index(),
                    itf_flags: ITF_FORWARD,
                }],
            },
        )?;
        // An interface receive label that maps traffic to RX on interface
        // pg1
        // by injecting the packet in on pg0, which is in table 0
        // doing an rpf-id  and matching a route in table 1
        // if the packet egresses, then we must have matched the route in
        // table 1
        let mut r = MplsRoute::new(
            34,
            true,
            [RoutePath {
                nh_table_id: 1,
                rpf_id: 55,
                ..RoutePath::via(any4(), u32::MAX)
            }],
        );
        r.is_multicast = true;
        mpls_route(t, r)?;
        let mcast = |n| {
            create_stream_labelled_ip4(
                pg0,
                &[l(34)],
                Inner::Udp {
                    dst: Some("232.1.1.1"),
                    ttl: 64,
                },
                None,
                n,
            )
        };
        // Drop due to interface lookup miss
        t.cli("clear trace")?;
        pg::send_and_assert_no_replies_with(
            t,
            pg0,
            &mcast(1),
            &pg::SendOptions::remark("RPF-ID drop none"),
        )?;
        // set the RPF-ID of the entry to match the input packet's
        route_232_1_1_1.update_rpf_id(t, 55)?;
        tracing::info!("{}", t.cli("sh ip mfib index 1 232.1.1.1")?);
        let tx = mcast(257);
        let rx = pg::send_and_expect(t, pg0, &tx, pg1)?;
        verify_capture_ip4(&rx, &tx, fwd());
        // disposed packets have an invalid IPv4 checksum
        let tx = create_stream_labelled_ip4(
            pg0,
            &[l(34)],
            Inner::Udp {
                dst: Some("232.1.1.1"),
                ttl: 64,
            },
            Some(1),
            65,
        );
        pg::send_and_assert_no_replies_with(
            t,
            pg0,
            &tx,
            &pg::SendOptions::remark("Invalid Checksum"),
        )?;
        // set the RPF-ID of the entry to not match the input packet's
        route_232_1_1_1.update_rpf_id(t, 56)?;
        pg::send_and_assert_no_replies_with(
            t,
            pg0,
            &mcast(257),
            &pg::SendOptions::remark("RPF-ID drop 56"),
        )
    }

    /// MPLS IPv6 Multicast Tail
    #[vpp_test]
    fn test_mcast_ip6_tail(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        // Add a multicast route that will forward the traffic
        // post-disposition
        let mut route_ff = objects::add(
            t,
            IpMRoute {
                table_id: 1,
                src: any6(),
                grp: v6("ff01::1").into(),
                grp_len: 32,
                entry_flags: 0,
                rpf_id: 0,
                paths: vec![MRoutePath {
                    sw_if_index: pg1.sw_if_index(),
                    itf_flags: ITF_FORWARD,
                }],
            },
        )?;
        // An interface receive label that maps traffic to RX on interface
        // pg1
        // by injecting the packet in on pg0, which is in table 0
        // doing an rpf-id  and matching a route in table 1
        // if the packet egresses, then we must have matched the route in
        // table 1
        let mut r = MplsRoute::new(
            34,
            true,
            [RoutePath {
                nh_table_id: 1,
                rpf_id: 55,
                ..RoutePath::via(any6(), u32::MAX)
            }],
        )
        .eos_proto(FibPathNhProto::Ip6);
        r.is_multicast = true;
        mpls_route(t, r)?;
        let ff = Some(v6("ff01::1"));
        // Drop due to interface lookup miss
        let tx = create_stream_labelled_ip6(pg0, &[l(34)], 64, ff, None);
        pg::send_and_assert_no_replies_with(t, pg0, &tx, &pg::SendOptions::remark("RPF Miss"))?;
        // set the RPF-ID of the entry to match the input packet's
        route_ff.update_rpf_id(t, 55)?;
        let tx = create_stream_labelled_ip6(pg0, &[l(34)], 64, ff, None);
        let rx = pg::send_and_expect(t, pg0, &tx, pg1)?;
        verify_capture_ip6(&rx, &tx, None, 0, false);
        // disposed packets have hop-limit = 1
        let tx = create_stream_labelled_ip6(pg0, &[l(34)], 1, ff, None);
        let rx = pg::send_and_expect_some(t, pg0, &tx, pg0)?;
        verify_capture_ip6_icmp(pg0, &rx, &tx);
        // set the RPF-ID of the entry to not match the input packet's
        route_ff.update_rpf_id(t, 56)?;
        let tx = create_stream_labelled_ip6(pg0, &[l(34)], 64, ff, None);
        pg::send_and_assert_no_replies_with(t, pg0, &tx, &pg::SendOptions::remark("RPF-ID drop 56"))
    }

    /// MPLS 6PE
    #[vpp_test]
    fn test_6pe(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        // Add a non-recursive route with a single out label
        ip_route(
            t,
            "10.0.0.1/32",
            vec![via(pg0.remote_ip4(), &pg0).with_labels([l(45)])],
        )?;
        // bind a local label to the route
        objects::add(t, MplsIpBind::new(44, "10.0.0.1/32")?)?;
        // a labelled v6 route that resolves through the v4
        ip_route(
            t,
            "2001::3/128",
            vec![RoutePath::via(v4("10.0.0.1").into(), u32::MAX).with_labels([l(32)])],
        )?;
        let tx = create_stream_ip6(&pg0, "2001::3", 64, 0);
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_capture_labelled_ip6(&rx, &tx, &[l(45), l(32)], None);
        // and a v4 recursive via the v6
        ip_route(
            t,
            "20.0.0.3/32",
            vec![RoutePath::via(v6("2001::3").into(), u32::MAX).with_labels([l(99)])],
        )?;
        let tx = ip4_to(&pg0, "20.0.0.3");
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_capture_labelled_ip4(&rx, &tx, &[l(45), l(32), l(99)], None);
        Ok(())
    }

    /// Attach Routes with Local Label
    #[vpp_test]
    fn test_attached(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        // test that if a local label is associated with an attached/connected
        // prefix, that we can reach hosts in the prefix.
        let [a, b, c, _] = pg0.local_ip4().octets();
        objects::add(t, MplsIpBind::new(44, &format!("{a}.{b}.{c}.0/24"))?)?;
        let tx = Ether::new(pg0.remote_mac(), pg0.local_mac())
            / Mpls::new(44, 64)
            / Ipv4::new(pg0.remote_ip4(), pg0.remote_ip4())
            / Udp::new(1234, 1234)
            / Raw::new([0xa5; 100]);
        let rxs = pg::send_and_expect(t, &pg0, &[tx], &pg0)?;
        for rx in &rxs {
            // if there's an ARP then the label is linked to the glean
            // which is wrong.
            assert!(!rx.has::<Arp>());
            // it should be unicasted to the host
            assert_eq!(rx.expect::<Ether>().dst, pg0.remote_mac());
            assert_eq!(rx.expect::<Ipv4>().dst, pg0.remote_ip4());
        }
        Ok(())
    }
}

fn disabled_set_up(t: &mut TestCase) -> TestResult {
    // create 2 pg interfaces
    let p = pg::create_interfaces(t, 0..2)?;
    objects::add(t, MplsTable { table_id: 0 })?;
    // PG0 is MPLS enabled
    p[0].admin_up(t)?
        .config_ip4(t)?
        .resolve_arp(t)?
        .enable_mpls(t)?;
    // PG 1 is not MPLS enabled
    p[1].admin_up(t)?;
    Ok(())
}

fn disabled_tear_down(t: &mut TestCase) -> TestResult {
    let p = pg::interfaces(t)?;
    for i in &p {
        i.unconfig_ip4(t)?;
        i.admin_down(t)?;
    }
    p[0].disable_mpls(t)?;
    Ok(())
}

/// MPLS disabled
#[vpp_test(
    name = "TestMPLSDisabled",
    set_up = disabled_set_up,
    tear_down = disabled_tear_down,
    requires_messages = ["mpls_route_add_del"]
)]
mod mpls_disabled {
    use super::*;

    /// MPLS Disabled
    #[vpp_test]
    fn test_mpls_disabled(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        tracing::info!("{}", t.cli("show mpls interface")?);
        tracing::info!("{}", t.cli("show mpls interface pg1")?);
        tracing::info!("{}", t.cli("show mpls interface pg0")?);
        let tx = Ether::new(pg1.remote_mac(), pg1.local_mac())
            / Mpls::new(32, 64)
            / Ipv6::new(v6("2001::1"), pg0.remote_ip6())
            / Udp::new(1234, 1234)
            / Raw::new([0xa5; 100]);
        // A simple MPLS xconnect - eos label in label out
        mpls_route(
            t,
            MplsRoute::new(
                32,
                true,
                [via(pg0.remote_ip4(), pg0).with_labels([MplsLabel::bare(33)])],
            ),
        )?;
        // PG1 does not forward IP traffic
        pg::send_and_assert_no_replies_with(
            t,
            pg1,
            std::slice::from_ref(&tx),
            &pg::SendOptions::remark("MPLS disabled"),
        )?;
        // MPLS enable PG1
        pg1.enable_mpls(t)?;
        tracing::info!("{}", t.cli("show mpls interface")?);
        tracing::info!("{}", t.cli("show mpls interface pg1")?);
        // Now we get packets through
        start_and_capture(t, pg1, std::slice::from_ref(&tx), pg0, 1)?;
        // Disable PG1
        pg1.disable_mpls(t)?;
        // PG1 does not forward IP traffic
        pg::send_and_assert_no_replies_with(
            t,
            pg1,
            std::slice::from_ref(&tx),
            &pg::SendOptions::remark("IPv6 disabled"),
        )?;
        pg::send_and_assert_no_replies_with(
            t,
            pg1,
            &[tx],
            &pg::SendOptions::remark("IPv6 disabled"),
        )
    }
}

fn pic_set_up(t: &mut TestCase) -> TestResult {
    // create 2 pg interfaces
    let p = pg::create_interfaces(t, 0..4)?;
    objects::add(t, MplsTable { table_id: 0 })?;
    objects::add(
        t,
        IpTable {
            table_id: 1,
            is_ip6: false,
        },
    )?;
    objects::add(
        t,
        IpTable {
            table_id: 1,
            is_ip6: true,
        },
    )?;
    // core links
    for i in &p[..2] {
        i.admin_up(t)?
            .config_ip4(t)?
            .resolve_arp(t)?
            .enable_mpls(t)?;
    }
    // VRF (customer facing) link
    for i in &p[2..] {
        i.admin_up(t)?
            .set_table_ip4(t, 1)?
            .config_ip4(t)?
            .resolve_arp(t)?;
        i.set_table_ip6(t, 1)?
            .config_ip6(t)?
            .resolve_ndp(t, Duration::from_secs(1))?;
    }
    Ok(())
}

fn pic_tear_down(t: &mut TestCase) -> TestResult {
    let p = pg::interfaces(t)?;
    p[0].disable_mpls(t)?;
    p[1].disable_mpls(t)?;
    for i in &p {
        i.unconfig_ip4(t)?.unconfig_ip6(t)?;
        i.set_table_ip4(t, 0)?.set_table_ip6(t, 0)?;
        i.admin_down(t)?;
    }
    Ok(())
}

/// Sends `pkts` from `input`; both `a` and `b` get some, all of them in
/// all (`_get_capture` on each, the ECMP checks of the PIC tests).
fn expect_split(
    t: &mut TestCase,
    input: &PgInterface,
    pkts: &[Packet],
    a: &PgInterface,
    b: &PgInterface,
) -> TestResult {
    input.add_stream(t, pkts)?;
    pg::enable_capture(t, &pg::interfaces(t)?)?;
    pg::start(t)?;
    let rx0 = a.capture(t)?;
    let rx1 = b.capture(t)?;
    // not testing the LB hashing algorithm so we're not concerned
    // with the split ratio, just as long as neither is 0
    assert_ne!(0, rx0.len());
    assert_ne!(0, rx1.len());
    assert_eq!(
        pkts.len(),
        rx0.len() + rx1.len(),
        "Expected all ({}) packets across both ECMP paths. rx0: {} rx1: {}.",
        pkts.len(),
        rx0.len(),
        rx1.len()
    );
    Ok(())
}

/// All of `pkts` come out of `output` alone.
fn expect_single(
    t: &mut TestCase,
    input: &PgInterface,
    pkts: &[Packet],
    output: &PgInterface,
) -> TestResult {
    let rx0 = start_and_capture(t, input, pkts, output, NUM_PKTS)?;
    assert_eq!(
        pkts.len(),
        rx0.len(),
        "Expected all ({}) packets across single path. rx0: {}.",
        pkts.len(),
        rx0.len()
    );
    Ok(())
}

/// The eBGP PIC tests, IPv4 or IPv6: many VPN routes through pg2's and
/// pg3's remote hosts with a local label each; labelled traffic from pg0
/// splits over both; pg2's connected prefix withdrawn (and, for IPv6, pg2
/// down so that the ND cache is flushed) with the FIB walk stopped, it all
/// goes to pg3, also once the FIB converges; and splits again once pg2 is
/// back.
fn ebgp_pic(t: &mut TestCase, ipv6: bool) -> TestResult {
    let p = pg::interfaces(t)?;
    let (pg0, pg2, pg3) = (&p[0], &p[2], &p[3]);
    let remote = |i: &PgInterface| -> IpAddr {
        if ipv6 {
            i.remote_ip6().into()
        } else {
            i.remote_ip4().into()
        }
    };
    // Lot's of VPN routes. We need more the 64 so VPP will build
    // the fast convergence indirection
    let mut pkts = Vec::new();
    for ii in 0..NUM_PKTS {
        let (dst, len) = if ipv6 {
            (format!("3000::{ii:x}"), 128)
        } else {
            (format!("192.168.1.{ii}"), 32)
        };
        let local_label = 1600 + ii as u32;
        let path = |nh: IpAddr| RoutePath {
            nh_table_id: 1,
            flags: RESOLVE_VIA_ATTACHED,
            ..RoutePath::via(nh, u32::MAX)
        };
        objects::add(
            t,
            IpRoute::new(
                &format!("{dst}/{len}"),
                [path(remote(pg2)), path(remote(pg3))],
            )?
            .in_table(1),
        )?;
        let mut bind = MplsIpBind::new(local_label, &format!("{dst}/{len}"))?;
        bind.ip_table_id = 1;
        objects::add(t, bind)?;
        let ip: Packet = if ipv6 {
            Ipv6::new(pg0.remote_ip6(), v6(&dst)).into()
        } else {
            Ipv4::new(pg0.remote_ip4(), v4(&dst)).into()
        };
        pkts.push(
            Ether::new(pg0.remote_mac(), pg0.local_mac())
                / Mpls::new(local_label, 64)
                / ip
                / Udp::new(1234, 1234)
                / Raw::new([0xa5; 100]),
        );
        if ipv6 {
            tracing::info!("{}", t.cli(&format!("sh ip6 fib {dst}"))?);
        }
    }
    // Send the packet stream (one pkt to each VPN route)
    //  - expect a 50-50 split of the traffic
    expect_split(t, pg0, &pkts, pg2, pg3)?;
    // use a test CLI command to stop the FIB walk process, this
    // will prevent the FIB converging the VPN routes and thus allow
    // us to probe the interim (post-fail, pre-converge) state
    t.ppcli("test fib-walk-process disable")?;
    // withdraw the connected prefix on the interface.
    // (IPv6: and shutdown the interface so the ND cache is flushed.)
    if ipv6 {
        pg2.unconfig_ip6(t)?.admin_down(t)?;
    } else {
        pg2.unconfig_ip4(t)?;
    }
    // now all packets should be forwarded through the remaining peer
    expect_single(t, pg0, &pkts, pg3)?;
    // enable the FIB walk process to converge the FIB
    t.ppcli("test fib-walk-process enable")?;
    // packets should still be forwarded through the remaining peer
    expect_single(t, pg0, &pkts, pg3)?;
    // put the connected routes back
    if ipv6 {
        tracing::info!("{}", t.cli("sh log")?);
        pg2.admin_up(t)?
            .config_ip6(t)?
            .resolve_ndp(t, Duration::from_secs(1))?;
    } else {
        pg2.config_ip4(t)?.resolve_arp(t)?;
    }
    expect_split(t, pg0, &pkts, pg2, pg3)
}

/// MPLS Prefix-Independent Convergence (PIC) edge convergence
#[vpp_test(
    name = "TestMPLSPIC",
    set_up = pic_set_up,
    tear_down = pic_tear_down,
    requires_messages = ["mpls_route_add_del", "mpls_ip_bind_unbind"]
)]
mod mpls_pic {
    use super::*;

    /// MPLS iBGP Prefix-Independent Convergence (PIC) edge convergence
    ///
    /// 1) setup many iBGP VPN routes via a pair of iBGP peers.
    /// 2) Check EMCP forwarding to these peers
    /// 3) withdraw the IGP route to one of these peers.
    /// 4) check forwarding continues to the remaining peer
    #[vpp_test]
    fn test_mpls_ibgp_pic(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1, pg2) = (&p[0], &p[1], &p[2]);
        // IGP+LDP core routes
        ip_route(
            t,
            "10.0.0.45/32",
            vec![via(pg0.remote_ip4(), pg0).with_labels([MplsLabel::bare(45)])],
        )?;
        let core_10_0_0_46 = ip_route(
            t,
            "10.0.0.46/32",
            vec![via(pg1.remote_ip4(), pg1).with_labels([MplsLabel::bare(46)])],
        )?;
        // Lot's of VPN routes. We need more the 64 so VPP will build
        // the fast convergence indirection
        let mut pkts = Vec::new();
        for ii in 0..NUM_PKTS {
            let dst = format!("192.168.1.{ii}");
            let path = |nh: &str, label: u32| RoutePath {
                flags: RESOLVE_VIA_HOST,
                ..RoutePath::via(v4(nh).into(), u32::MAX).with_labels([MplsLabel::bare(label)])
            };
            objects::add(
                t,
                IpRoute::new(
                    &format!("{dst}/32"),
                    [path("10.0.0.45", 145), path("10.0.0.46", 146)],
                )?
                .in_table(1),
            )?;
            pkts.push(
                Ether::new(pg2.remote_mac(), pg2.local_mac())
                    / Ipv4::new(pg2.remote_ip4(), v4(&dst))
                    / Udp::new(1234, 1234)
                    / Raw::new([0xa5; 100]),
            );
        }
        // Send the packet stream (one pkt to each VPN route)
        //  - expect a 50-50 split of the traffic
        expect_split(t, pg2, &pkts, pg0, pg1)?;
        // use a test CLI command to stop the FIB walk process, this
        // will prevent the FIB converging the VPN routes and thus allow
        // us to probe the interim (post-fail, pre-converge) state
        t.ppcli("test fib-walk-process disable")?;
        // Withdraw one of the IGP routes
        objects::remove(t, &core_10_0_0_46)?;
        // now all packets should be forwarded through the remaining peer
        t.ppcli("clear trace")?;
        expect_single(t, pg2, &pkts, pg0)?;
        // enable the FIB walk process to converge the FIB
        t.ppcli("test fib-walk-process enable")?;
        // packets should still be forwarded through the remaining peer
        expect_single(t, pg2, &pkts, pg0)?;
        // Add the IGP route back and we return to load-balancing
        objects::add(t, core_10_0_0_46)?;
        expect_split(t, pg2, &pkts, pg0, pg1)
    }

    /// MPLS eBGP Prefix-Independent Convergence (PIC) edge convergence
    ///
    /// 1) setup many eBGP VPN routes via a pair of eBGP peers.
    /// 2) Check EMCP forwarding to these peers
    /// 3) withdraw one eBGP path - expect LB across remaining eBGP
    #[vpp_test]
    fn test_mpls_ebgp_pic(t: &mut TestCase) -> TestResult {
        ebgp_pic(t, false)
    }

    /// MPLSv6 eBGP Prefix-Independent Convergence (PIC) edge convergence
    ///
    /// 1) setup many eBGP VPNv6 routes via a pair of eBGP peers
    /// 2) Check EMCP forwarding to these peers
    /// 3) withdraw one eBGP path - expect LB across remaining eBGP
    #[vpp_test]
    fn test_mpls_v6_ebgp_pic(t: &mut TestCase) -> TestResult {
        ebgp_pic(t, true)
    }
}

fn l2_set_up(t: &mut TestCase) -> TestResult {
    // create 2 pg interfaces
    let p = pg::create_interfaces(t, 0..2)?;
    // create the default MPLS table
    objects::add(t, MplsTable { table_id: 0 })?;
    // use pg0 as the core facing interface, don't resolve ARP
    p[0].admin_up(t)?.config_ip4(t)?.enable_mpls(t)?;
    // use the other 2 for customer facing L2 links
    for i in &p[1..] {
        i.admin_up(t)?;
    }
    Ok(())
}

fn l2_tear_down(t: &mut TestCase) -> TestResult {
    let p = pg::interfaces(t)?;
    for i in &p[1..] {
        i.admin_down(t)?;
    }
    p[0].disable_mpls(t)?.unconfig_ip4(t)?.admin_down(t)?;
    Ok(())
}

/// The label stack, then the frame sent (`verify_capture_tunneled_ethernet`).
fn verify_capture_tunneled_ethernet(capture: &[Packet], sent: &[Packet], labels: &[MplsLabel]) {
    let capture = verify_filter(capture, sent);
    assert_eq!(capture.len(), sent.len());
    for (rx, tx) in capture.iter().zip(sent) {
        // the MPLS TTL is 255 since it enters a new tunnel
        verify_mpls_stack(rx, labels);
        let tx_eth = tx.expect::<Ether>();
        let inner: Vec<u8> = rx
            .layers()
            .iter()
            .rposition(|l| matches!(l, asf_core::packet::Layer::Mpls(_)))
            .map(|i| Packet::from_layers(rx.layers()[i + 1..].to_vec()).build())
            .unwrap_or_default();
        let rx_eth = Packet::ether(&inner);
        let rx_eth = rx_eth.expect::<Ether>();
        assert_eq!(rx_eth.src, tx_eth.src);
        assert_eq!(rx_eth.dst, tx_eth.dst);
    }
}

fn verify_arp_req(rx: &Packet, smac: Mac, sip: Ipv4Addr, dip: Ipv4Addr) {
    let ether = rx.expect::<Ether>();
    assert_eq!(ether.dst, Mac::BROADCAST);
    assert_eq!(ether.src, smac);
    let arp = rx.expect::<Arp>();
    assert_eq!(arp.hwtype, 1);
    assert_eq!(arp.ptype, 0x800);
    assert_eq!(arp.hwlen, Some(6));
    assert_eq!(arp.plen, Some(4));
    assert_eq!(arp.op, 1);
    assert_eq!(arp.hwsrc, smac);
    assert_eq!(arp.hwdst, Mac::ZERO);
    assert_eq!(arp.psrc, sip);
    assert_eq!(arp.pdst, dip);
}

/// An L2-input path into `tun` (`FIB_PATH_TYPE_INTERFACE_RX`, Ethernet).
fn l2_input(tun: u32, flags: u8) -> RoutePath {
    RoutePath {
        flags,
        proto: Some(FibPathNhProto::Ethernet),
        ..RoutePath::via(any4(), tun).of_type(FibPathType::InterfaceRx)
    }
}

/// MPLS-L2
#[vpp_test(
    name = "TestMPLSL2",
    set_up = l2_set_up,
    tear_down = l2_tear_down,
    requires_messages = ["mpls_route_add_del", "mpls_tunnel_add_del"]
)]
mod mpls_l2 {
    use super::*;

    /// Virtual Private Wire Service
    #[vpp_test]
    fn test_vpws(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        // Create an MPLS tunnel that pushes 1 label
        // For Ethernet over MPLS the uniform mode is irrelevant since ttl/cos
        // information is not in the packet, but we test it works anyway
        let mut tun = MplsTunnel::new([via(pg0.remote_ip4(), pg0).with_labels([l(42).uniform()])]);
        tun.l2_only = true;
        let mpls_tun_1 = objects::add(t, tun)?;
        pg::interface_of(t, mpls_tun_1.sw_if_index)?.admin_up(t)?;
        // Create a label entry to for 55 that does L2 input to the tunnel
        mpls_route(
            t,
            MplsRoute::new(55, true, [l2_input(mpls_tun_1.sw_if_index, 0)])
                .eos_proto(FibPathNhProto::Ethernet),
        )?;
        // Cross-connect the tunnel with one of the customers L2 interfaces
        for (rx, tx) in [
            (pg1.sw_if_index(), mpls_tun_1.sw_if_index),
            (mpls_tun_1.sw_if_index, pg1.sw_if_index()),
        ] {
            t.api().request(&SwInterfaceSetL2Xconnect {
                rx_sw_if_index: rx,
                tx_sw_if_index: tx,
                enable: true,
            })?;
        }
        // inject a packet from the core
        let payload = Ether::new(
            Mac([0, 0, 0xde, 0xad, 0xbe, 0xef]),
            Mac([0, 0, 0xde, 0xad, 0xba, 0xbe]),
        ) / Ipv4::new(v4("10.10.10.10"), v4("11.11.11.11"))
            / Udp::new(1234, 1234)
            / Raw::new([0xa5; 100]);
        let pcore =
            Ether::new(pg0.remote_mac(), pg0.local_mac()) / Mpls::new(55, 64) / payload.clone();
        let tx0 = vec![pcore; NUM_PKTS];
        let rx0 = pg::send_and_expect(t, pg0, &tx0, pg1)?;
        assert_eq!(rx0[0].expect::<Ether>().dst, payload.expect::<Ether>().dst);
        assert_eq!(rx0[0].expect::<Ether>().src, payload.expect::<Ether>().src);
        // Inject a packet from the customer/L2 side
        // there's no resolved ARP entry so the first packet we see should be
        // an ARP request
        let rx1 = pg::send_and_expect(t, pg1, std::slice::from_ref(&payload), pg0)?;
        verify_arp_req(&rx1[0], pg0.local_mac(), pg0.local_ip4(), pg0.remote_ip4());
        // resolve the ARP entries and send again
        pg0.resolve_arp(t)?;
        let tx1 = vec![payload; NUM_PKTS];
        let rx1 = pg::send_and_expect(t, pg1, &tx1, pg0)?;
        verify_capture_tunneled_ethernet(&rx1, &tx1, &[l(42)]);
        Ok(())
    }

    /// Virtual Private LAN Service
    #[vpp_test]
    fn test_vpls(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        // we skipped this in the setup
        pg0.resolve_arp(t)?;
        // Create a L2 MPLS tunnels
        let mut tuns = Vec::new();
        for label in [42, 43] {
            let mut tun = MplsTunnel::new([via(pg0.remote_ip4(), pg0).with_labels([l(label)])]);
            tun.l2_only = true;
            let tun = objects::add(t, tun)?;
            pg::interface_of(t, tun.sw_if_index)?.admin_up(t)?;
            tuns.push(tun.sw_if_index);
        }
        // Create a label entries, 55 and 56, that do L2 input to the tunnel
        // the latter includes a Psuedo Wire Control Word
        let eth = FibPathNhProto::Ethernet;
        // move me
        mpls_route(
            t,
            MplsRoute::new(56, true, [l2_input(tuns[1], POP_PW_CW)]).eos_proto(eth),
        )?;
        mpls_route(
            t,
            MplsRoute::new(55, true, [l2_input(tuns[0], 0)]).eos_proto(eth),
        )?;
        tracing::info!("{}", t.cli("sh mpls fib 56")?);
        // add to tunnel to the customers bridge-domain
        let bridge = |t: &mut TestCase, sw: u32, enable: bool| -> TestResult {
            t.api().request(&SwInterfaceSetL2Bridge {
                rx_sw_if_index: sw,
                bd_id: 1,
                enable,
                ..SwInterfaceSetL2Bridge::default()
            })?;
            Ok(())
        };
        for sw in [tuns[0], tuns[1], pg1.sw_if_index()] {
            bridge(t, sw, true)?;
        }
        // Packet from host on the customer interface to each host
        // reachable over the core, and vice-versa
        let m = |last: u8| Mac([0, 0, 0xde, 0xad, 0xba, last]);
        let beef = Mac([0, 0, 0xde, 0xad, 0xbe, 0xef]);
        let cust = |dst_mac: Mac, dst: &str| {
            Ether::new(beef, dst_mac)
                / Ipv4::new(v4("10.10.10.10"), v4(dst))
                / Udp::new(1234, 1234)
                / Raw::new([0xa5; 100])
        };
        let p_cust1 = cust(m(0xb1), "11.11.11.11");
        let p_cust2 = cust(m(0xb2), "11.11.11.12");
        let core = |label: u32, cw: bool, src_mac: Mac, src: &str| {
            let mut p = Ether::new(pg0.remote_mac(), pg0.local_mac()) / Mpls::new(label, 64);
            if cw {
                // PW CW
                p = p / Raw::new([1u8; 4]);
            }
            let inner = Ether::new(src_mac, beef)
                / Ipv4::new(v4(src), v4("10.10.10.10"))
                / Udp::new(1234, 1234)
                / Raw::new([0xa5; 100]);
            // The control word is not a layer the frame can follow: the
            // frame goes in as bytes, as scapy builds it.
            Packet::ether(&(p / Raw::new(inner.build())).build())
        };
        let p_core1 = core(55, false, m(0xb1), "11.11.11.11");
        let p_core2 = core(56, true, m(0xb2), "11.11.11.12");
        // The BD is learning, so send in one of each packet to learn
        // 2 packets due to BD flooding
        for c in [&p_cust1, &p_cust2] {
            send_n(t, pg1, std::slice::from_ref(c), pg0, 2)?;
        }
        // we've learnt this so expect it be be forwarded not flooded
        for (core_pkt, cust_pkt) in [(&p_core1, &p_cust1), (&p_core2, &p_cust2)] {
            let rx = pg::send_and_expect(t, pg0, std::slice::from_ref(core_pkt), pg1)?;
            assert_eq!(rx[0].expect::<Ether>().dst, cust_pkt.expect::<Ether>().src);
            assert_eq!(rx[0].expect::<Ether>().src, cust_pkt.expect::<Ether>().dst);
        }
        // now a stream in each direction from each host
        let s1 = vec![p_cust1; NUM_PKTS];
        let rx = pg::send_and_expect(t, pg1, &s1, pg0)?;
        verify_capture_tunneled_ethernet(&rx, &s1, &[l(42)]);
        let s2 = vec![p_cust2; NUM_PKTS];
        let rx = pg::send_and_expect(t, pg1, &s2, pg0)?;
        verify_capture_tunneled_ethernet(&rx, &s2, &[l(43)]);
        pg::send_and_expect(t, pg0, &vec![p_core1; NUM_PKTS], pg1)?;
        pg::send_and_expect(t, pg0, &vec![p_core2; NUM_PKTS], pg1)?;
        // remove interfaces from customers bridge-domain
        for sw in [tuns[0], tuns[1], pg1.sw_if_index()] {
            bridge(t, sw, false)?;
        }
        Ok(())
    }
}
