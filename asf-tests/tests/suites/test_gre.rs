//! Port of `test/test_gre.py`: GRE tunnels over IPv4 and IPv6, with keys,
//! in another table, carrying Ethernet (TEB) and VLANs, in a forwarding
//! loop, and multipoint (mGRE) with TEIB entries; and the GRE input node
//! registered only once a tunnel exists.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use asf_core::packet::{Dot1Q, Ether, Gre, Ipv4, Ipv6, Mac, Packet, Raw, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::gre::{GreTunnelType, TunnelMode};
use asf_vocab::api::l2::SwInterfaceSetL2Xconnect;
use asf_vocab::objects::{
    self, GreTunnel, IpRoute, IpTable, MplsLabel, MplsTunnel, RoutePath, Teib, VppObject,
};
use asf_vocab::pg::{self, PacketInfos, PgInterface, SubInterface, Vtr};

/// `TUNNEL_API_ENCAP_DECAP_FLAG_ENCAP_COPY_DSCP`.
const COPY_DSCP: u8 = 4;
/// `TUNNEL_API_ENCAP_DECAP_FLAG_ENCAP_COPY_ECN`.
const COPY_ECN: u8 = 8;

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

/// A route to `dst` (`"4.4.4.4/32"`) through `paths`, added and registered.
fn route(t: &mut TestCase, dst: &str, paths: Vec<RoutePath>) -> TestResult<IpRoute> {
    objects::add(t, IpRoute::new(dst, paths)?)
}

/// 257 packets from `src_if`'s remote host, each with a packet info;
/// `inner` stacks the headers under the Ethernet header.
fn stream(src_if: &PgInterface, mut inner: impl FnMut() -> Packet) -> Vec<Packet> {
    let mut infos = PacketInfos::new();
    (0..257)
        .map(|_| {
            let info = infos.create(src_if, src_if);
            Ether::new(src_if.remote_mac(), src_if.local_mac())
                / inner()
                / Udp::new(1234, 1234)
                / Raw::new(info.to_payload())
        })
        .collect()
}

fn create_stream_ip4(
    src_if: &PgInterface,
    src: Ipv4Addr,
    dst: Ipv4Addr,
    dscp: u8,
    ecn: u8,
) -> Vec<Packet> {
    let tos = (dscp << 2) | ecn;
    stream(src_if, || {
        Ipv4 {
            tos,
            ..Ipv4::new(src, dst)
        }
        .into()
    })
}

fn create_stream_ip6(
    src_if: &PgInterface,
    src: Ipv6Addr,
    dst: Ipv6Addr,
    dscp: u8,
    ecn: u8,
) -> Vec<Packet> {
    let tc = (dscp << 2) | ecn;
    stream(src_if, || {
        Ipv6 {
            tc,
            ..Ipv6::new(src, dst)
        }
        .into()
    })
}

fn create_tunnel_stream_4o4(
    src_if: &PgInterface,
    tunnel_src: Ipv4Addr,
    tunnel_dst: Ipv4Addr,
    src: Ipv4Addr,
    dst: Ipv4Addr,
) -> Vec<Packet> {
    stream(src_if, || {
        Ipv4::new(tunnel_src, tunnel_dst) / Gre::new() / Ipv4::new(src, dst)
    })
}

fn create_tunnel_stream_6o4(
    src_if: &PgInterface,
    tunnel_src: Ipv4Addr,
    tunnel_dst: Ipv4Addr,
    src: Ipv6Addr,
    dst: Ipv6Addr,
) -> Vec<Packet> {
    stream(src_if, || {
        Ipv4::new(tunnel_src, tunnel_dst) / Gre::new() / Ipv6::new(src, dst)
    })
}

fn create_tunnel_stream_6o6(
    src_if: &PgInterface,
    tunnel_src: Ipv6Addr,
    tunnel_dst: Ipv6Addr,
    src: Ipv6Addr,
    dst: Ipv6Addr,
) -> Vec<Packet> {
    stream(src_if, || {
        Ipv6::new(tunnel_src, tunnel_dst) / Gre::new() / Ipv6::new(src, dst)
    })
}

/// Random MACs and addresses inside (`RandMAC`, `RandIP`), optionally
/// VLAN-tagged.
fn create_tunnel_stream_l2o4(
    t: &mut TestCase,
    src_if: &PgInterface,
    tunnel_src: Ipv4Addr,
    tunnel_dst: Ipv4Addr,
    vlan: Option<u16>,
) -> Vec<Packet> {
    let rng = t.rng();
    stream(src_if, || {
        let mut mac = || Mac(std::array::from_fn(|_| rng.u8(..)));
        let (a, b) = (mac(), mac());
        let mut p = Ipv4::new(tunnel_src, tunnel_dst) / Gre::new() / Ether::new(b, a);
        if let Some(vlan) = vlan {
            p = p / Dot1Q::new(vlan);
        }
        p / Ipv4::new(rng.u32(..).into(), rng.u32(..).into())
    })
}

/// The bytes of the IPv4 packet from its header on (`len(rx[IP])`).
fn ip4_len(p: &Packet) -> usize {
    p.from_layer::<Ipv4>().map_or(0, |p| p.len())
}

/// What GRE carries in `p`.
fn gre_payload(p: &Packet) -> Packet {
    p.after::<Gre>()
        .unwrap_or_else(|| panic!("no GRE layer:\n{}", p.show()))
}

/// Logs the packets of a failed check (`ppp("Rx:")`, `ppp("Tx:")`).
fn each(capture: &[Packet], sent: &[Packet], check: impl Fn(&Packet, &Packet)) {
    assert_eq!(capture.len(), sent.len());
    for (rx, tx) in capture.iter().zip(sent) {
        if let Err(e) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(rx, tx))) {
            tracing::error!("Rx:\n{}", rx.show());
            tracing::error!("Tx:\n{}", tx.show());
            std::panic::resume_unwind(e);
        }
    }
}

fn verify_tunneled_4o4(
    capture: &[Packet],
    sent: &[Packet],
    tunnel_src: Ipv4Addr,
    tunnel_dst: Ipv4Addr,
    dscp: u8,
    ecn: u8,
) {
    let tos = (dscp << 2) | ecn;
    each(capture, sent, |rx, tx| {
        let tx_ip = tx.expect::<Ipv4>();
        let rx_ip = rx.expect::<Ipv4>();
        assert_eq!(rx_ip.src, tunnel_src);
        assert_eq!(rx_ip.dst, tunnel_dst);
        assert_eq!(rx_ip.tos, tos);
        assert_eq!(rx_ip.len.map(usize::from), Some(ip4_len(rx)));
        let inner = gre_payload(rx);
        let rx_ip = inner.expect::<Ipv4>();
        assert_eq!(rx_ip.src, tx_ip.src);
        assert_eq!(rx_ip.dst, tx_ip.dst);
        // IP processing post pop has decremented the TTL
        assert_eq!(rx_ip.ttl + 1, tx_ip.ttl);
    });
}

/// Verify GRE encapsulation with key field:
/// - Basic GRE tunnel checks (source, destination, etc.)
/// - Verify GRE flags indicate key field is present (0x2000)
/// - Verify the GRE key value matches what we configured
fn verify_tunneled_4o4_with_key(
    capture: &[Packet],
    sent: &[Packet],
    tunnel_src: Ipv4Addr,
    tunnel_dst: Ipv4Addr,
    key: u32,
) {
    each(capture, sent, |rx, tx| {
        let tx_ip = tx.expect::<Ipv4>();
        let rx_ip = rx.expect::<Ipv4>();
        // Verify tunnel outer header
        assert_eq!(rx_ip.src, tunnel_src);
        assert_eq!(rx_ip.dst, tunnel_dst);
        assert_eq!(rx_ip.tos, 0);
        assert_eq!(rx_ip.len.map(usize::from), Some(ip4_len(rx)));
        // Verify GRE header
        let gre = rx.expect::<Gre>();
        assert!(gre.key_present, "GRE key field not present in packet");
        assert_eq!(
            gre.key, key,
            "GRE key value mismatch: expected {key}, got {}",
            gre.key
        );
        tracing::info!("Verified GRE key: {}", gre.key);
        // Verify inner packet data
        let inner = gre_payload(rx);
        let rx_inner_ip = inner.expect::<Ipv4>();
        assert_eq!(rx_inner_ip.src, tx_ip.src);
        assert_eq!(rx_inner_ip.dst, tx_ip.dst);
        // IP processing post pop has decremented the TTL
        assert_eq!(rx_inner_ip.ttl + 1, tx_ip.ttl);
    });
}

fn verify_tunneled_6o6(
    capture: &[Packet],
    sent: &[Packet],
    tunnel_src: Ipv6Addr,
    tunnel_dst: Ipv6Addr,
    dscp: u8,
    ecn: u8,
) {
    let tc = (dscp << 2) | ecn;
    each(capture, sent, |rx, tx| {
        let tx_ip = tx.expect::<Ipv6>();
        let rx_ip = rx.expect::<Ipv6>();
        assert_eq!(rx_ip.src, tunnel_src);
        assert_eq!(rx_ip.dst, tunnel_dst);
        assert_eq!(rx_ip.tc, tc);
        let gre = rx.from_layer::<Gre>().expect("a GRE layer");
        assert_eq!(rx_ip.plen.map(usize::from), Some(gre.len()));
        let inner = gre_payload(rx);
        let rx_ip = inner.expect::<Ipv6>();
        assert_eq!(rx_ip.src, tx_ip.src);
        assert_eq!(rx_ip.dst, tx_ip.dst);
    });
}

fn verify_tunneled_4o6(
    capture: &[Packet],
    sent: &[Packet],
    tunnel_src: Ipv6Addr,
    tunnel_dst: Ipv6Addr,
) {
    each(capture, sent, |rx, tx| {
        let rx_ip = rx.expect::<Ipv6>();
        assert_eq!(rx_ip.src, tunnel_src);
        assert_eq!(rx_ip.dst, tunnel_dst);
        let gre = rx.from_layer::<Gre>().expect("a GRE layer");
        assert_eq!(rx_ip.plen.map(usize::from), Some(gre.len()));
        let tx_ip = tx.expect::<Ipv4>();
        let inner = gre_payload(rx);
        let rx_ip = inner.expect::<Ipv4>();
        assert_eq!(rx_ip.src, tx_ip.src);
        assert_eq!(rx_ip.dst, tx_ip.dst);
    });
}

fn verify_tunneled_6o4(
    capture: &[Packet],
    sent: &[Packet],
    tunnel_src: Ipv4Addr,
    tunnel_dst: Ipv4Addr,
) {
    each(capture, sent, |rx, tx| {
        let rx_ip = rx.expect::<Ipv4>();
        assert_eq!(rx_ip.src, tunnel_src);
        assert_eq!(rx_ip.dst, tunnel_dst);
        assert_eq!(rx_ip.len.map(usize::from), Some(ip4_len(rx)));
        let inner = gre_payload(rx);
        let (rx_ip, tx_ip) = (inner.expect::<Ipv6>(), tx.expect::<Ipv6>());
        assert_eq!(rx_ip.src, tx_ip.src);
        assert_eq!(rx_ip.dst, tx_ip.dst);
    });
}

/// Bridged, not forwarded: the inner TTL is as sent; with `vlan`, the
/// inner frame carries that tag (`verify_tunneled_l2o4`,
/// `verify_tunneled_vlano4`).
fn verify_tunneled_l2o4(
    capture: &[Packet],
    sent: &[Packet],
    tunnel_src: Ipv4Addr,
    tunnel_dst: Ipv4Addr,
    vlan: Option<u16>,
) {
    if capture.len() != sent.len() {
        tracing::error!("Unexpected packets captured: {}", capture.len());
    }
    each(capture, sent, |rx, tx| {
        let rx_ip = rx.expect::<Ipv4>();
        assert_eq!(rx_ip.src, tunnel_src);
        assert_eq!(rx_ip.dst, tunnel_dst);
        if vlan.is_none() {
            assert_eq!(rx_ip.len.map(usize::from), Some(ip4_len(rx)));
        }
        let rx_l2 = gre_payload(rx);
        if let Some(vlan) = vlan {
            assert_eq!(rx_l2.expect::<Dot1Q>().vlan, vlan);
        }
        let tx_l2 = gre_payload(tx);
        let (rx_ip, tx_ip) = (rx_l2.expect::<Ipv4>(), tx_l2.expect::<Ipv4>());
        assert_eq!(rx_ip.src, tx_ip.src);
        assert_eq!(rx_ip.dst, tx_ip.dst);
        // bridged, not L3 forwarded, so no TTL decrement
        assert_eq!(rx_ip.ttl, tx_ip.ttl);
    });
}

fn verify_decapped_4o4(capture: &[Packet], sent: &[Packet]) {
    each(capture, sent, |rx, tx| {
        let rx_ip = rx.expect::<Ipv4>();
        let inner = gre_payload(tx);
        let tx_ip = inner.expect::<Ipv4>();
        assert_eq!(rx_ip.src, tx_ip.src);
        assert_eq!(rx_ip.dst, tx_ip.dst);
        // IP processing post pop has decremented the TTL
        assert_eq!(rx_ip.ttl + 1, tx_ip.ttl);
    });
}

/// `verify_decapped_6o4` and `verify_decapped_6o6`.
fn verify_decapped_6(capture: &[Packet], sent: &[Packet]) {
    each(capture, sent, |rx, tx| {
        let rx_ip = rx.expect::<Ipv6>();
        let inner = gre_payload(tx);
        let tx_ip = inner.expect::<Ipv6>();
        assert_eq!(rx_ip.src, tx_ip.src);
        assert_eq!(rx_ip.dst, tx_ip.dst);
        assert_eq!(rx_ip.hop_limit() + 1, tx_ip.hop_limit());
    });
}

/// A GRE tunnel added, up, and its interface's handle.
fn gre_up(t: &mut TestCase, gre: GreTunnel) -> TestResult<(GreTunnel, PgInterface)> {
    let gre = objects::add(t, gre)?;
    let intf = pg::interface_of(t, gre.sw_if_index)?;
    intf.admin_up(t)?;
    Ok((gre, intf))
}

fn input_nodes_set_up(t: &mut TestCase) -> TestResult {
    // create 3 pg interfaces - set one in a non-default table.
    for i in pg::create_interfaces(t, 0..1)? {
        i.admin_up(t)?;
        i.config_ip4(t)?;
    }
    Ok(())
}

fn input_nodes_tear_down(t: &mut TestCase) -> TestResult {
    for i in pg::interfaces(t)? {
        i.unconfig_ip4(t)?;
        i.admin_down(t)?;
    }
    Ok(())
}

/// GRE Input Nodes Test Case
#[vpp_test(
    name = "TestGREInputNodes",
    fixme_vpp_workers,
    set_up = input_nodes_set_up,
    tear_down = input_nodes_tear_down,
    // Exclude GRE plugin tests
    requires_plugins = ["gre_plugin.so"],
    requires_messages = ["gre_tunnel_add_del_v2"]
)]
mod gre_input_nodes {
    use super::*;

    /// GRE gre input nodes not registerd unless configured
    #[vpp_test]
    fn test_gre_input_node(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        let pkt = Ether::new(pg0.remote_mac(), pg0.local_mac())
            / Ipv4::new(pg0.remote_ip4(), pg0.local_ip4())
            / Gre::new();
        pg0.add_stream(t, std::slice::from_ref(&pkt))?;
        pg::start(t)?;
        // no tunnel created, gre-input not registered
        let err = t
            .get_counter("/err/ip4-local/unknown_protocol")?
            .sum_index(0);
        assert_eq!(err, 1);
        let err_count = err;
        // create gre tunnel
        let mut gre_if = GreTunnel::new(pg0.local_ip4(), v4("1.1.1.2"));
        assert!(!gre_if.query_vpp_config(t.api())?);
        gre_if = objects::add(t, gre_if)?;
        assert!(gre_if.query_vpp_config(t.api())?);
        pg0.add_stream(t, &[pkt])?;
        pg::start(t)?;
        // tunnel created, gre-input registered
        let err = t
            .get_counter("/err/ip4-local/unknown_protocol")?
            .sum_index(0);
        // expect no new errors
        assert_eq!(err, err_count);
        Ok(())
    }
}

fn set_up(t: &mut TestCase) -> TestResult {
    // create 3 pg interfaces - set one in a non-default table.
    let p = pg::create_interfaces(t, 0..5)?;
    objects::add(
        t,
        IpTable {
            table_id: 1,
            is_ip6: false,
        },
    )?;
    p[1].set_table_ip4(t, 1)?;
    for i in &p {
        i.admin_up(t)?;
    }
    p[0].config_ip4(t)?.resolve_arp(t)?;
    p[1].config_ip4(t)?.resolve_arp(t)?;
    p[2].config_ip6(t)?.resolve_ndp(t, Duration::from_secs(1))?;
    p[3].config_ip4(t)?.resolve_arp(t)?;
    p[4].config_ip4(t)?.resolve_arp(t)?;
    Ok(())
}

fn tear_down(t: &mut TestCase) -> TestResult {
    let p = pg::interfaces(t)?;
    for i in &p {
        i.unconfig_ip4(t)?;
        i.unconfig_ip6(t)?;
        i.admin_down(t)?;
    }
    p[1].set_table_ip4(t, 0)?;
    Ok(())
}

fn xconnect(t: &mut TestCase, a: u32, b: u32, enable: bool) -> TestResult {
    for (rx, tx) in [(a, b), (b, a)] {
        t.api().request(&SwInterfaceSetL2Xconnect {
            rx_sw_if_index: rx,
            tx_sw_if_index: tx,
            enable,
        })?;
    }
    Ok(())
}

/// GRE Test Case
#[vpp_test(
    name = "TestGRE",
    set_up = set_up,
    tear_down = tear_down,
    requires_plugins = ["gre_plugin.so"],
    requires_messages = ["gre_tunnel_add_del_v2", "teib_entry_add_del", "mpls_tunnel_add_del"]
)]
mod gre {
    use super::*;

    /// GRE IPv4 tunnel Tests
    #[vpp_test]
    fn test_gre(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let pg0 = &p[0];
        // Create an L3 GRE tunnel.
        //  - set it admin up
        //  - assign an IP Addres
        //  - Add a route via the tunnel
        let gre_if = objects::add(t, GreTunnel::new(pg0.local_ip4(), v4("1.1.1.2")))?;
        // The double create (create the same tunnel twice) should fail,
        // and we should still be able to use the original
        if gre_if.clone().add_vpp_config(t.api()).is_ok() {
            return Err("Double GRE tunnel add does not fail".into());
        }
        let gre = pg::interface_of(t, gre_if.sw_if_index)?;
        gre.admin_up(t)?.config_ip4(t)?;
        let route_via_tun = route(
            t,
            "4.4.4.4/32",
            vec![RoutePath::via(any4(), gre_if.sw_if_index)],
        )?;
        // Send a packet stream that is routed into the tunnel
        //  - they are all dropped since the tunnel's destintation IP
        //    is unresolved - or resolves via the default route - which
        //    which is a drop.
        let tx = create_stream_ip4(pg0, v4("5.5.5.5"), v4("4.4.4.4"), 0, 0);
        pg::send_and_assert_no_replies(t, pg0, &tx)?;
        // Add a route that resolves the tunnel's destination
        let route_tun_dst = route(
            t,
            "1.1.1.2/32",
            vec![RoutePath::via(pg0.remote_ip4().into(), pg0.sw_if_index())],
        )?;
        // Send a packet stream that is routed into the tunnel
        //  - packets are GRE encapped
        let tx = create_stream_ip4(pg0, v4("5.5.5.5"), v4("4.4.4.4"), 0, 0);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_tunneled_4o4(&rx, &tx, pg0.local_ip4(), v4("1.1.1.2"), 0, 0);
        // Send tunneled packets that match the created tunnel and
        // are decapped and forwarded
        let tx = create_tunnel_stream_4o4(
            pg0,
            v4("1.1.1.2"),
            pg0.local_ip4(),
            pg0.local_ip4(),
            pg0.remote_ip4(),
        );
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_decapped_4o4(&rx, &tx);
        // Send tunneled packets that do not match the tunnel's src
        t.cli("clear trace")?;
        let tx = create_tunnel_stream_4o4(
            pg0,
            v4("1.1.1.3"),
            pg0.local_ip4(),
            pg0.local_ip4(),
            pg0.remote_ip4(),
        );
        pg::send_and_assert_no_replies_with(
            t,
            pg0,
            &tx,
            &pg::SendOptions::remark("GRE packets forwarded despite no SRC address match"),
        )?;
        // Configure IPv6 on the PG interface so we can route IPv6
        // packets
        pg0.config_ip6(t)?.resolve_ndp(t, Duration::from_secs(1))?;
        // Send IPv6 tunnel encapslated packets
        //  - dropped since IPv6 is not enabled on the tunnel
        let tx = create_tunnel_stream_6o4(
            pg0,
            v4("1.1.1.2"),
            pg0.local_ip4(),
            pg0.local_ip6(),
            pg0.remote_ip6(),
        );
        pg::send_and_assert_no_replies_with(
            t,
            pg0,
            &tx,
            &pg::SendOptions::remark(
                "IPv6 GRE packets forwarded despite IPv6 not enabled on tunnel",
            ),
        )?;
        // Enable IPv6 on the tunnel
        gre.config_ip6(t)?;
        // Send IPv6 tunnel encapslated packets
        //  - forwarded since IPv6 is enabled on the tunnel
        let tx = create_tunnel_stream_6o4(
            pg0,
            v4("1.1.1.2"),
            pg0.local_ip4(),
            pg0.local_ip6(),
            pg0.remote_ip6(),
        );
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_decapped_6(&rx, &tx);
        // Send v6 packets for v4 encap
        let route6_via_tun = route(
            t,
            "2001::1/128",
            vec![RoutePath::via(any6(), gre_if.sw_if_index)],
        )?;
        let tx = create_stream_ip6(pg0, v6("2001::2"), v6("2001::1"), 0, 0);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_tunneled_6o4(&rx, &tx, pg0.local_ip4(), v4("1.1.1.2"));
        // add a labelled route through the tunnel
        let label_via_tun = route(
            t,
            "5.4.3.2/32",
            vec![RoutePath::via(any4(), gre_if.sw_if_index).with_labels([MplsLabel::new(33)])],
        )?;
        let tx = create_stream_ip4(pg0, v4("5.5.5.5"), v4("5.4.3.2"), 0, 0);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_tunneled_4o4(&rx, &tx, pg0.local_ip4(), v4("1.1.1.2"), 0, 0);
        // an MPLS tunnel over the GRE tunnel add a route through
        // the mpls tunnel
        let labels = [MplsLabel::new(44), MplsLabel::new(46)];
        let mpls_tun = objects::add(
            t,
            MplsTunnel::new([RoutePath::via(any4(), gre_if.sw_if_index).with_labels(labels)]),
        )?;
        pg::interface_of(t, mpls_tun.sw_if_index)?.admin_up(t)?;
        let label_via_mpls = route(
            t,
            "5.4.3.1/32",
            vec![RoutePath::via(any4(), mpls_tun.sw_if_index).with_labels([MplsLabel::new(33)])],
        )?;
        let tx = create_stream_ip4(pg0, v4("5.5.5.5"), v4("5.4.3.1"), 0, 0);
        let rx = pg::send_and_expect(t, pg0, &tx, pg0)?;
        verify_tunneled_4o4(&rx, &tx, pg0.local_ip4(), v4("1.1.1.2"), 0, 0);
        let mut l2 =
            MplsTunnel::new([RoutePath::via(any4(), gre_if.sw_if_index).with_labels(labels)]);
        l2.l2_only = true;
        let mpls_tun_l2 = objects::add(t, l2)?;
        pg::interface_of(t, mpls_tun_l2.sw_if_index)?.admin_up(t)?;
        // test case cleanup
        objects::remove(t, &route_tun_dst)?;
        objects::remove(t, &route_via_tun)?;
        objects::remove(t, &route6_via_tun)?;
        objects::remove(t, &label_via_mpls)?;
        objects::remove(t, &label_via_tun)?;
        objects::remove(t, &mpls_tun)?;
        objects::remove(t, &mpls_tun_l2)?;
        objects::remove(t, &gre_if)?;
        pg0.unconfig_ip6(t)?;
        Ok(())
    }

    /// GRE IPv4 tunnel with Key Tests
    #[vpp_test]
    fn test_gre_with_key(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        // Use a key value for the GRE tunnel
        let key_value = 123;
        // Create a GRE interface with key support
        let mut gre = GreTunnel::new(pg0.local_ip4(), v4("1.1.1.2"));
        gre.key = key_value;
        let (gre_if, intf) = gre_up(t, gre)?;
        intf.config_ip4(t)?;
        // Create route via tunnel
        let route_via_tun = route(
            t,
            "4.4.4.4/32",
            vec![RoutePath::via(any4(), gre_if.sw_if_index)],
        )?;
        // Add a route that resolves the tunnel's destination
        let route_tun_dst = route(
            t,
            "1.1.1.2/32",
            vec![RoutePath::via(pg0.remote_ip4().into(), pg0.sw_if_index())],
        )?;
        // Send packets that should be routed via the tunnel
        let tx = create_stream_ip4(&pg0, v4("5.5.5.5"), v4("4.4.4.4"), 0, 0);
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        // Verify GRE encapsulation with key using the verification function
        tracing::info!("Verifying GRE encapsulation with key {key_value}");
        verify_tunneled_4o4_with_key(&rx, &tx, pg0.local_ip4(), v4("1.1.1.2"), key_value);
        // Cleanup
        objects::remove(t, &route_tun_dst)?;
        objects::remove(t, &route_via_tun)?;
        objects::remove(t, &gre_if)
    }

    /// GRE IPv6 tunnel Tests
    #[vpp_test]
    fn test_gre6(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1, pg2) = (&p[0], &p[1], &p[2]);
        pg1.config_ip6(t)?.resolve_ndp(t, Duration::from_secs(1))?;
        // Create an L3 GRE tunnel.
        //  - set it admin up
        //  - assign an IP Address
        //  - Add a route via the tunnel
        let (gre_if, intf) = gre_up(t, GreTunnel::new(pg2.local_ip6(), v6("1002::1")))?;
        intf.config_ip6(t)?;
        let route_via_tun = route(
            t,
            "4004::1/128",
            vec![RoutePath::via(any6(), gre_if.sw_if_index)],
        )?;
        // Send a packet stream that is routed into the tunnel
        //  - they are all dropped since the tunnel's destintation IP
        //    is unresolved - or resolves via the default route - which
        //    which is a drop.
        let tx = create_stream_ip6(pg2, v6("5005::1"), v6("4004::1"), 0, 0);
        pg::send_and_assert_no_replies_with(
            t,
            pg2,
            &tx,
            &pg::SendOptions::remark("GRE packets forwarded without DIP resolved"),
        )?;
        // Add a route that resolves the tunnel's destination
        let route_tun_dst = route(
            t,
            "1002::1/128",
            vec![RoutePath::via(pg2.remote_ip6().into(), pg2.sw_if_index())],
        )?;
        // Send a packet stream that is routed into the tunnel
        //  - packets are GRE encapped
        let tx = create_stream_ip6(pg2, v6("5005::1"), v6("4004::1"), 0, 0);
        let rx = pg::send_and_expect(t, pg2, &tx, pg2)?;
        verify_tunneled_6o6(&rx, &tx, pg2.local_ip6(), v6("1002::1"), 0, 0);
        // Test decap. decapped packets go out pg1
        let tx = create_tunnel_stream_6o6(
            pg2,
            v6("1002::1"),
            pg2.local_ip6(),
            v6("2001::1"),
            pg1.remote_ip6(),
        );
        let rx = pg::send_and_expect(t, pg2, &tx, pg1)?;
        // RX'd packet is UDP over IPv6, test the GRE header is gone.
        assert!(!rx[0].has::<Gre>());
        assert_eq!(rx[0].expect::<Ipv6>().dst, pg1.remote_ip6());
        // Send v4 over v6
        let route4_via_tun = route(
            t,
            "1.1.1.1/32",
            vec![RoutePath::via(any4(), gre_if.sw_if_index)],
        )?;
        let tx = create_stream_ip4(pg0, v4("1.1.1.2"), v4("1.1.1.1"), 0, 0);
        let rx = pg::send_and_expect(t, pg0, &tx, pg2)?;
        verify_tunneled_4o6(&rx, &tx, pg2.local_ip6(), v6("1002::1"));
        // test case cleanup
        objects::remove(t, &route_tun_dst)?;
        objects::remove(t, &route_via_tun)?;
        objects::remove(t, &route4_via_tun)?;
        objects::remove(t, &gre_if)?;
        pg2.unconfig_ip6(t)?;
        pg1.unconfig_ip6(t)?;
        Ok(())
    }

    /// GRE tunnel VRF Tests
    #[vpp_test]
    fn test_gre_vrf(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1, pg2) = (&p[0], &p[1], &p[2]);
        // Create an L3 GRE tunnel whose destination is in the non-default
        // table. The underlay is thus non-default - the overlay is still
        // the default.
        //  - set it admin up
        //  - assign an IP Addres
        let mut gre = GreTunnel::new(pg1.local_ip4(), v4("2.2.2.2"));
        gre.outer_table_id = 1;
        gre.flags = COPY_DSCP | COPY_ECN;
        let (gre_if, intf) = gre_up(t, gre)?;
        intf.config_ip4(t)?;
        // Add a route via the tunnel - in the overlay
        let route_via_tun = route(
            t,
            "9.9.9.9/32",
            vec![RoutePath::via(any4(), gre_if.sw_if_index)],
        )?;
        // Add a route that resolves the tunnel's destination - in the
        // underlay table
        let mut dst = IpRoute::new(
            "2.2.2.2/32",
            [RoutePath::via(pg1.remote_ip4().into(), pg1.sw_if_index())],
        )?;
        dst.table_id = 1;
        let route_tun_dst = objects::add(t, dst)?;
        // Send a packet stream that is routed into the tunnel
        // packets are sent in on pg0 which is in the default table
        //  - packets are GRE encapped
        t.cli("clear trace")?;
        let tx = create_stream_ip4(pg0, v4("5.5.5.5"), v4("9.9.9.9"), 5, 3);
        let rx = pg::send_and_expect(t, pg0, &tx, pg1)?;
        verify_tunneled_4o4(&rx, &tx, pg1.local_ip4(), v4("2.2.2.2"), 5, 3);
        // Send tunneled packets that match the created tunnel and
        // are decapped and forwarded. This tests the decap lookup
        // does not happen in the encap table
        t.cli("clear trace")?;
        let tx = create_tunnel_stream_4o4(
            pg1,
            v4("2.2.2.2"),
            pg1.local_ip4(),
            pg0.local_ip4(),
            pg0.remote_ip4(),
        );
        let rx = pg::send_and_expect(t, pg1, &tx, pg0)?;
        verify_decapped_4o4(&rx, &tx);
        // Send tunneled packets that match the created tunnel
        // but arrive on an interface that is not in the tunnel's
        // encap VRF, these are dropped.
        // IP enable the interface so they aren't dropped due to
        // IP not being enabled.
        pg2.config_ip4(t)?;
        t.cli("clear trace")?;
        let tx = create_tunnel_stream_4o4(
            pg2,
            v4("2.2.2.2"),
            pg1.local_ip4(),
            pg0.local_ip4(),
            pg0.remote_ip4(),
        );
        pg::send_and_assert_no_replies_with(
            t,
            pg2,
            &tx,
            &pg::SendOptions::remark("GRE decap packets in wrong VRF"),
        )?;
        pg2.unconfig_ip4(t)?;
        // test case cleanup
        objects::remove(t, &route_tun_dst)?;
        objects::remove(t, &route_via_tun)?;
        objects::remove(t, &gre_if)
    }

    /// GRE tunnel L2 Tests
    #[vpp_test]
    fn test_gre_l2(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        // Add routes to resolve the tunnel destinations
        let via_pg0 = || vec![RoutePath::via(pg0.remote_ip4().into(), pg0.sw_if_index())];
        let route_tun1_dst = route(t, "2.2.2.2/32", via_pg0())?;
        let route_tun2_dst = route(t, "2.2.2.3/32", via_pg0())?;
        // Create 2 L2 GRE tunnels and x-connect them
        let teb = |dst| GreTunnel::new(pg0.local_ip4(), v4(dst)).of_type(GreTunnelType::Teb);
        let gre_if1 = objects::add(t, teb("2.2.2.2"))?;
        let gre_if2 = objects::add(t, teb("2.2.2.3"))?;
        let gre1 = pg::interface_of(t, gre_if1.sw_if_index)?;
        let gre2 = pg::interface_of(t, gre_if2.sw_if_index)?;
        gre1.admin_up(t)?;
        gre2.admin_up(t)?;
        xconnect(t, gre_if1.sw_if_index, gre_if2.sw_if_index, true)?;
        // Send in tunnel encapped L2. expect out tunnel encapped L2
        // in both directions
        let tx = create_tunnel_stream_l2o4(t, &pg0, v4("2.2.2.2"), pg0.local_ip4(), None);
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_tunneled_l2o4(&rx, &tx, pg0.local_ip4(), v4("2.2.2.3"), None);
        let tx = create_tunnel_stream_l2o4(t, &pg0, v4("2.2.2.3"), pg0.local_ip4(), None);
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_tunneled_l2o4(&rx, &tx, pg0.local_ip4(), v4("2.2.2.2"), None);
        xconnect(t, gre_if1.sw_if_index, gre_if2.sw_if_index, false)?;
        // Create a VLAN sub-interfaces on the GRE TEB interfaces
        // then x-connect them
        let gre_if_11 = SubInterface::dot1q(t, &gre1, 11)?;
        let gre_if_12 = SubInterface::dot1q(t, &gre2, 12)?;
        gre_if_11.admin_up(t)?;
        gre_if_12.admin_up(t)?;
        xconnect(t, gre_if_11.sw_if_index(), gre_if_12.sw_if_index(), true)?;
        // Configure both to pop thier respective VLAN tags,
        // so that during the x-coonect they will subsequently push
        gre_if_12.set_vtr(t, Vtr::Pop1)?;
        gre_if_11.set_vtr(t, Vtr::Pop1)?;
        // Send traffic in both directiond - expect the VLAN tags to
        // be swapped.
        let tx = create_tunnel_stream_l2o4(t, &pg0, v4("2.2.2.2"), pg0.local_ip4(), Some(11));
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_tunneled_l2o4(&rx, &tx, pg0.local_ip4(), v4("2.2.2.3"), Some(12));
        let tx = create_tunnel_stream_l2o4(t, &pg0, v4("2.2.2.3"), pg0.local_ip4(), Some(12));
        let rx = pg::send_and_expect(t, &pg0, &tx, &pg0)?;
        verify_tunneled_l2o4(&rx, &tx, pg0.local_ip4(), v4("2.2.2.2"), Some(11));
        // Cleanup Test resources
        gre_if_11.delete(t)?;
        gre_if_12.delete(t)?;
        objects::remove(t, &gre_if1)?;
        objects::remove(t, &gre_if2)?;
        // The original adds the routes again here (removed at tear-down).
        route_tun1_dst.clone().add_vpp_config(t.api())?;
        route_tun2_dst.clone().add_vpp_config(t.api())?;
        Ok(())
    }

    /// GRE tunnel loop Tests
    #[vpp_test]
    fn test_gre_loop(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1, pg2) = (&p[0], &p[1], &p[2]);
        // Create an L3 GRE tunnel.
        //  - set it admin up
        //  - assign an IP Addres
        let (gre_if, intf) = gre_up(t, GreTunnel::new(pg0.local_ip4(), v4("1.1.1.2")))?;
        intf.config_ip4(t)?;
        // add a route to the tunnel's destination that points
        // through the tunnel, hence forming a loop in the forwarding
        // graph
        let mut route_dst = route(
            t,
            "1.1.1.2/32",
            vec![RoutePath::via(any4(), gre_if.sw_if_index)],
        )?;
        // packets to the tunnels destination should be dropped
        let tx = create_stream_ip4(pg0, v4("1.1.1.1"), v4("1.1.1.2"), 0, 0);
        pg::send_and_assert_no_replies(t, pg2, &tx)?;
        tracing::info!("{}", t.ppcli("sh adj 7")?);
        // break the loop
        route_dst.paths = vec![RoutePath::via(pg1.remote_ip4().into(), pg1.sw_if_index())];
        route_dst.add_vpp_config(t.api())?;
        pg::send_and_expect(t, pg0, &tx, pg1)?;
        // a good route throught the tunnel to check it restacked
        let route_via_tun_2 = route(
            t,
            "2.2.2.2/32",
            vec![RoutePath::via(any4(), gre_if.sw_if_index)],
        )?;
        let tx = create_stream_ip4(pg0, v4("2.2.2.3"), v4("2.2.2.2"), 0, 0);
        let rx = pg::send_and_expect(t, pg0, &tx, pg1)?;
        verify_tunneled_4o4(&rx, &tx, pg0.local_ip4(), v4("1.1.1.2"), 0, 0);
        // cleanup
        objects::remove(t, &route_via_tun_2)?;
        objects::remove(t, &gre_if)
    }

    /// mGRE IPv4 tunnel Tests
    #[vpp_test]
    fn test_mgre(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let pg0 = &p[0];
        for itf in &p[3..] {
            // one underlay nh for each overlay/tunnel peer
            itf.generate_remote_hosts(4);
            itf.configure_ipv4_neighbors(t)?;
            // Create an L3 GRE tunnel.
            //  - set it admin up
            //  - assign an IP Addres
            //  - Add a route via the tunnel
            let mut gre = GreTunnel::new(itf.local_ip4(), Ipv4Addr::UNSPECIFIED);
            gre.mode = TunnelMode::Mp;
            let (gre_if, intf) = gre_up(t, gre)?;
            intf.config_ip4(t)?;
            intf.generate_remote_hosts(4);
            tracing::info!("{}", t.cli("sh adj")?);
            tracing::info!("{}", t.cli("sh ip fib")?);
            // ensure we don't match to the tunnel if the source address
            // is all zeros
            let tx = create_tunnel_stream_4o4(
                pg0,
                Ipv4Addr::UNSPECIFIED,
                itf.local_ip4(),
                pg0.local_ip4(),
                pg0.remote_ip4(),
            );
            pg::send_and_assert_no_replies(t, pg0, &tx)?;
            // for-each peer
            for ii in 1..4 {
                let route_addr = format!("4.4.4.{ii}");
                let tx_e = create_stream_ip4(pg0, v4("5.5.5.5"), v4(&route_addr), 0, 0);
                let peer = intf.remote_hosts()[ii].ip4;
                let nh = itf.remote_hosts()[ii].ip4;
                // route traffic via the peer
                route(
                    t,
                    &format!("{route_addr}/32"),
                    vec![RoutePath::via(peer.into(), gre_if.sw_if_index)],
                )?;
                // all packets dropped at this point
                pg::send_and_assert_no_replies(t, pg0, &tx_e)?;
                intf.admin_down(t)?.admin_up(t)?;
                pg::send_and_assert_no_replies(t, pg0, &tx_e)?;
                // Add a TEIB entry resolves the peer
                let teib = objects::add(t, Teib::new(gre_if.sw_if_index, peer, nh))?;
                // Send a packet stream that is routed into the tunnel
                //  - packets are GRE encapped
                let rx = pg::send_and_expect(t, pg0, &tx_e, itf)?;
                verify_tunneled_4o4(&rx, &tx_e, itf.local_ip4(), nh, 0, 0);
                let tx_i = create_tunnel_stream_4o4(
                    pg0,
                    nh,
                    itf.local_ip4(),
                    pg0.local_ip4(),
                    pg0.remote_ip4(),
                );
                let rx = pg::send_and_expect(t, pg0, &tx_i, pg0)?;
                verify_decapped_4o4(&rx, &tx_i);
                // delete and re-add the TEIB
                objects::remove(t, &teib)?;
                pg::send_and_assert_no_replies(t, pg0, &tx_e)?;
                pg::send_and_assert_no_replies(t, pg0, &tx_i)?;
                objects::add(t, teib)?;
                let rx = pg::send_and_expect(t, pg0, &tx_e, itf)?;
                verify_tunneled_4o4(&rx, &tx_e, itf.local_ip4(), nh, 0, 0);
                let rx = pg::send_and_expect(t, pg0, &tx_i, pg0)?;
                verify_decapped_4o4(&rx, &tx_i);
                // bounce the interface state and try packets again
                intf.admin_down(t)?.admin_up(t)?;
                let rx = pg::send_and_expect(t, pg0, &tx_e, itf)?;
                verify_tunneled_4o4(&rx, &tx_e, itf.local_ip4(), nh, 0, 0);
                let rx = pg::send_and_expect(t, pg0, &tx_i, pg0)?;
                verify_decapped_4o4(&rx, &tx_i);
            }
            intf.admin_down(t)?;
            intf.unconfig_ip4(t)?;
        }
        Ok(())
    }

    /// mGRE IPv6 tunnel Tests
    #[vpp_test]
    fn test_mgre6(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let pg0 = &p[0];
        pg0.config_ip6(t)?.resolve_ndp(t, Duration::from_secs(1))?;
        for itf in &p[3..] {
            // one underlay nh for each overlay/tunnel peer
            itf.config_ip6(t)?;
            itf.generate_remote_hosts(4);
            itf.configure_ipv6_neighbors(t)?;
            // Create an L3 GRE tunnel.
            //  - set it admin up
            //  - assign an IP Addres
            //  - Add a route via the tunnel
            let mut gre = GreTunnel::new(itf.local_ip6(), Ipv6Addr::UNSPECIFIED);
            gre.mode = TunnelMode::Mp;
            gre.flags = COPY_DSCP;
            let (gre_if, intf) = gre_up(t, gre)?;
            intf.config_ip6(t)?;
            intf.generate_remote_hosts(4);
            // for-each peer
            for ii in 1..4 {
                let route_addr = format!("4::{ii}");
                let peer = intf.remote_hosts()[ii].ip6;
                let nh = itf.remote_hosts()[ii].ip6;
                // Add a TEIB entry resolves the peer
                let teib = objects::add(t, Teib::new(gre_if.sw_if_index, peer, nh))?;
                // route traffic via the peer
                route(
                    t,
                    &format!("{route_addr}/128"),
                    vec![RoutePath::via(peer.into(), gre_if.sw_if_index)],
                )?;
                // Send a packet stream that is routed into the tunnel
                //  - packets are GRE encapped
                let tx_e = create_stream_ip6(pg0, v6("5::5"), v6(&route_addr), 2, 1);
                let rx = pg::send_and_expect(t, pg0, &tx_e, itf)?;
                verify_tunneled_6o6(&rx, &tx_e, itf.local_ip6(), nh, 2, 0);
                let tx_i = create_tunnel_stream_6o6(
                    pg0,
                    nh,
                    itf.local_ip6(),
                    pg0.local_ip6(),
                    pg0.remote_ip6(),
                );
                let rx = pg::send_and_expect(t, pg0, &tx_i, pg0)?;
                verify_decapped_6(&rx, &tx_i);
                // delete and re-add the TEIB
                objects::remove(t, &teib)?;
                pg::send_and_assert_no_replies(t, pg0, &tx_e)?;
                objects::add(t, teib)?;
                let rx = pg::send_and_expect(t, pg0, &tx_e, itf)?;
                verify_tunneled_6o6(&rx, &tx_e, itf.local_ip6(), nh, 2, 0);
                let rx = pg::send_and_expect(t, pg0, &tx_i, pg0)?;
                verify_decapped_6(&rx, &tx_i);
            }
            intf.admin_down(t)?;
            intf.unconfig_ip4(t)?;
            itf.unconfig_ip6(t)?;
        }
        pg0.unconfig_ip6(t)?;
        Ok(())
    }
}
