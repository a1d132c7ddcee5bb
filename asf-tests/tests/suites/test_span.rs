//! Port of `test/test_span.py`: SPAN mirrors what an interface receives,
//! sends or both to another interface, at the device or in L2, into a
//! VLAN sub-interface with tag rewrite, a VXLAN tunnel, a GRE (TEB) tunnel's
//! sub-interface or an ERSPAN tunnel.

use asf_core::packet::{Erspan, Ether, Ipv4, Packet, Raw, Udp, Vxlan};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::gre::GreTunnelType;
use asf_vocab::api::span::SpanState;
use asf_vocab::objects::{self, BridgeDomainPort, GreTunnel, L2Xconnect, Span, VxlanTunnel};
use asf_vocab::pg::{
    self, extend_packet, remove_tag, PgInterface, SubInterface, Vtr, DOT1AD_TYPE, DOT1Q_TYPE,
};

const PKTS_PER_BURST: usize = 257;
const BD_ID: u32 = 55;
const PG_IF_PACKET_SIZES: [usize; 3] = [64, 512, 1518];

/// The class's sub-interfaces: pg0.100, pg2.300 (pops its tag) and the
/// 802.1ad pg2.33 (pops both).
#[derive(Default)]
struct Subs {
    sub_if: Option<SubInterface>,
    vlan_sub_if: Option<SubInterface>,
    qinq_sub_if: Option<SubInterface>,
}

fn subs(t: &mut TestCase) -> TestResult<(SubInterface, SubInterface, SubInterface)> {
    let s = t.class_data::<Subs>();
    match (&s.sub_if, &s.vlan_sub_if, &s.qinq_sub_if) {
        (Some(a), Some(b), Some(c)) => Ok((a.clone(), b.clone(), c.clone())),
        _ => Err("no sub-interfaces from set_up_class".into()),
    }
}

fn set_up_class(t: &mut TestCase) -> TestResult {
    // create 3 pg interfaces
    let pgs = pg::create_interfaces(t, 0..3)?;
    let sub_if = SubInterface::dot1q(t, &pgs[0], 100)?;
    let vlan_sub_if = SubInterface::dot1q(t, &pgs[2], 300)?;
    vlan_sub_if.set_vtr(t, Vtr::Pop1)?;
    let qinq_sub_if = SubInterface::dot1ad(t, &pgs[2], 33, 400, 500)?;
    qinq_sub_if.set_vtr(t, Vtr::Pop2)?;
    // setup all interfaces
    for i in &pgs {
        i.admin_up(t)?;
        i.config_ip4(t)?;
        i.resolve_arp(t)?;
    }
    *t.class_data::<Subs>() = Subs {
        sub_if: Some(sub_if),
        vlan_sub_if: Some(vlan_sub_if),
        qinq_sub_if: Some(qinq_sub_if),
    };
    Ok(())
}

/// The VXLAN tunnel each test gets, from pg2 to its remote host.
#[derive(Default)]
struct Tunnel(Option<VxlanTunnel>);

fn set_up(t: &mut TestCase) -> TestResult {
    let pg2 = pg::interface(t, "pg2")?;
    let vxlan = objects::add(t, VxlanTunnel::new(pg2.local_ip4(), pg2.remote_ip4(), 1111))?;
    t.class_data::<Tunnel>().0 = Some(vxlan);
    Ok(())
}

fn pgs(t: &TestCase) -> TestResult<(PgInterface, PgInterface, PgInterface)> {
    let p = pg::interfaces(t)?;
    Ok((p[0].clone(), p[1].clone(), p[2].clone()))
}

/// Cross-connects `a` and `b` both ways (`xconnect`).
fn xconnect(t: &mut TestCase, a: u32, b: u32) -> TestResult<[L2Xconnect; 2]> {
    let ab = L2Xconnect {
        rx_sw_if_index: a,
        tx_sw_if_index: b,
    };
    let ba = L2Xconnect {
        rx_sw_if_index: b,
        tx_sw_if_index: a,
    };
    Ok([objects::add(t, ab)?, objects::add(t, ba)?])
}

/// Takes both cross-connects down (`xconnect(a, b, is_add=0)`).
fn unxconnect(t: &mut TestCase, xc: &[L2Xconnect; 2]) -> TestResult {
    for x in xc {
        objects::remove(t, x)?;
    }
    Ok(())
}

/// Puts `sw_if_index` in the class's bridge domain (`bridge`).
fn bridge(t: &mut TestCase, sw_if_index: u32) -> TestResult<BridgeDomainPort> {
    objects::add(t, BridgeDomainPort::new(BD_ID, sw_if_index))
}

/// Takes the Ethernet header's tags off, outermost first (`remove_tags`).
fn remove_tags(p: Packet, tags: &[(u16, u16)]) -> TestResult<Packet> {
    tags.iter()
        .try_fold(p, |p, &(dot1, vlan)| remove_tag(p, vlan, dot1))
}

/// Checks the outer Ethernet and IPv4 headers of what pg2 sends into a
/// tunnel to its remote host.
fn check_outer(pg2: &PgInterface, p: &Packet) {
    let eth = p.expect::<Ether>();
    assert_eq!(eth.src, pg2.local_mac());
    assert_eq!(eth.dst, pg2.remote_mac());
    let ip = p.expect::<Ipv4>();
    assert_eq!(ip.src, pg2.local_ip4());
    assert_eq!(ip.dst, pg2.remote_ip4());
}

/// The frame a GRE packet carries (`decap_gre`).
fn decap_gre(pg2: &PgInterface, p: &Packet) -> TestResult<Packet> {
    check_outer(pg2, p);
    Ok(p.after::<asf_core::packet::Gre>().ok_or("no GRE layer")?)
}

/// The frame an ERSPAN packet carries (`decap_erspan`), checking its
/// header: type II, session `session`, everything else 0 but `en` 3.
fn decap_erspan(pg2: &PgInterface, p: &Packet, session: u16) -> TestResult<Packet> {
    check_outer(pg2, p);
    let e = p.expect::<Erspan>();
    assert_eq!(e.ver, 1);
    assert_eq!(e.vlan, 0);
    assert_eq!(e.cos, 0);
    assert_eq!(e.en, 3);
    assert_eq!(e.t, 0);
    assert_eq!(e.session_id, session);
    assert_eq!(e.reserved, 0);
    assert_eq!(e.index, 0);
    Ok(p.after::<Erspan>().ok_or("no ERSPAN layer")?)
}

/// The frame a VXLAN packet carries (`decap_vxlan`).
fn decap_vxlan(pg2: &PgInterface, p: &Packet) -> TestResult<Packet> {
    check_outer(pg2, p);
    Ok(p.after::<Vxlan>().ok_or("no VXLAN layer")?)
}

/// `pkts_per_burst` UDP packets from `src_if`'s remote host to the other
/// pg's (pg0 and pg1 are each other's flow), tagged for pg0.100 if asked,
/// to VPP's MAC or broadcast.
fn create_stream(
    t: &mut TestCase,
    src_if: &PgInterface,
    do_dot1: bool,
    bcast: bool,
) -> TestResult<Vec<Packet>> {
    let (pg0, pg1, _) = pgs(t)?;
    let dst_if = if src_if.sw_if_index() == pg0.sw_if_index() {
        &pg1
    } else {
        &pg0
    };
    let (sub_if, _, _) = subs(t)?;
    let dst_mac = if bcast {
        "ff:ff:ff:ff:ff:ff".parse()?
    } else {
        src_if.remote_mac()
    };
    Ok((0..PKTS_PER_BURST)
        .map(|i| {
            let size = PG_IF_PACKET_SIZES[(i / 2) % PG_IF_PACKET_SIZES.len()];
            let sport = 10000 + src_if.sw_if_index() as u16 * 1000 + i as u16;
            let mut p = Ether::new(src_if.local_mac(), dst_mac)
                / Ipv4::new(src_if.remote_ip4(), dst_if.remote_ip4())
                / Udp::new(sport, 1234)
                / Raw::new(b"span test");
            if do_dot1 {
                p = sub_if.add_dot1_layer(p);
            }
            extend_packet(&mut p, size, b" ");
            p
        })
        .collect())
}

/// The flow of a packet: its IPv4 addresses and UDP ports.
fn flow(p: &Packet) -> TestResult<(String, String, u16, u16)> {
    let ip = p
        .get::<Ipv4>()
        .ok_or_else(|| format!("not IPv4:\n{}", p.show()))?;
    let udp = p
        .get::<Udp>()
        .ok_or_else(|| format!("not UDP:\n{}", p.show()))?;
    Ok((ip.src.to_string(), ip.dst.to_string(), udp.sport, udp.dport))
}

/// The mirror got as many packets as were forwarded (`verify_capture`).
/// The original then compares `list.sort()` with `list.sort()`, which is
/// `None == None`; here the two sets of flows are compared for real.
fn verify_capture(cap1: &[Packet], cap2: &[Packet]) -> TestResult {
    assert_eq!(
        cap1.len(),
        cap2.len(),
        "Different number of sent and mirrored packets :{} != {}",
        cap1.len(),
        cap2.len()
    );
    let mut a = cap1.iter().map(flow).collect::<TestResult<Vec<_>>>()?;
    let mut b = cap2.iter().map(flow).collect::<TestResult<Vec<_>>>()?;
    a.sort();
    b.sort();
    assert_eq!(a, b, "the mirror's packets are not the forwarded ones");
    Ok(())
}

/// Sends pg0's tagged stream through pg0.100 cross-connected to pg1 with
/// `span` on; checks pg2 got a copy of each, as `decap` gives them.
fn l2_rx_mirror(
    t: &mut TestCase,
    to: u32,
    decap: impl Fn(&mut TestCase, &Packet) -> TestResult<Packet>,
) -> TestResult {
    let (pg0, pg1, pg2) = pgs(t)?;
    let (sub_if, _, _) = subs(t)?;
    sub_if.admin_up(t)?;
    let port = bridge(t, to)?;
    // Create bi-directional cross-connects between pg0 subif and pg1
    let xc = xconnect(t, sub_if.sw_if_index(), pg1.sw_if_index())?;
    // Create incoming packet streams for packet-generator interfaces
    let pkts = create_stream(t, &pg0, true, false)?;
    pg0.add_stream(t, &pkts)?;
    // Enable SPAN on pg0 sub if (mirrored to `to`)
    let span = objects::add(t, Span::new(sub_if.sw_if_index(), to).l2())?;
    tracing::info!("{}", t.ppcli("show interface span")?);
    // Enable packet capturing and start packet sending
    pg::enable_capture(t, &pg::interfaces(t)?)?;
    pg::start(t)?;
    // Verify packets outgoing packet streams on mirrored interface (pg2)
    let n_pkts = pkts.len();
    let pg1_pkts = pg1.get_capture(t, n_pkts)?;
    let pg2_pkts = pg2
        .get_capture(t, n_pkts)?
        .iter()
        .map(|p| decap(t, p))
        .collect::<TestResult<Vec<_>>>()?;
    objects::remove(t, &port)?;
    // Disable SPAN on pg0 sub if
    objects::remove(t, &span)?;
    unxconnect(t, &xc)?;
    verify_capture(&pg1_pkts, &pg2_pkts)
}

/// SPAN Test Case
#[vpp_test(
    name = "TestSpan",
    set_up_class = set_up_class,
    set_up = set_up,
    show_at_teardown = ["show interface span"],
    // Exclude tests requiring VXLAN plugin
    requires_plugins = ["vxlan_plugin.so"],
    // VPP's SPAN, VXLAN and GRE (the stand-in has none).
    requires_messages = ["sw_interface_span_enable_disable", "vxlan_add_del_tunnel_v3", "gre_tunnel_add_del_v2"]
)]
mod span {
    use super::*;

    /// SPAN device rx mirror
    #[vpp_test]
    fn test_device_span(t: &mut TestCase) -> TestResult {
        let (pg0, pg1, pg2) = pgs(t)?;
        // Create bi-directional cross-connects between pg0 and pg1
        let xc = xconnect(t, pg0.sw_if_index(), pg1.sw_if_index())?;
        // Create incoming packet streams for packet-generator interfaces
        let pkts = create_stream(t, &pg0, false, false)?;
        pg0.add_stream(t, &pkts)?;
        // Enable SPAN on pg0 (mirrored to pg2)
        let span = objects::add(t, Span::new(pg0.sw_if_index(), pg2.sw_if_index()))?;
        tracing::info!("{}", t.ppcli("show interface span")?);
        // Enable packet capturing and start packet sending
        pg::enable_capture(t, &pg::interfaces(t)?)?;
        pg::start(t)?;
        // Verify packets outgoing packet streams on mirrored interface (pg2)
        let n_pkts = pkts.len();
        let pg1_pkts = pg1.get_capture(t, n_pkts)?;
        let pg2_pkts = pg2.get_capture(t, n_pkts)?;
        // Disable SPAN on pg0 (mirrored to pg2)
        objects::remove(t, &span)?;
        unxconnect(t, &xc)?;
        verify_capture(&pg1_pkts, &pg2_pkts)
    }

    /// SPAN l2 rx mirror
    #[vpp_test]
    fn test_span_l2_rx(t: &mut TestCase) -> TestResult {
        let pg2 = pg::interface(t, "pg2")?;
        l2_rx_mirror(t, pg2.sw_if_index(), |_, p| Ok(p.clone()))
    }

    /// SPAN l2 rx mirror into vxlan
    #[vpp_test]
    fn test_span_l2_rx_dst_vxlan(t: &mut TestCase) -> TestResult {
        let pg2 = pg::interface(t, "pg2")?;
        let vxlan = t
            .class_data::<Tunnel>()
            .0
            .clone()
            .ok_or("no VXLAN tunnel from set_up")?;
        pg::interface_of(t, vxlan.sw_if_index)?.admin_up(t)?;
        l2_rx_mirror(t, vxlan.sw_if_index, |_, p| decap_vxlan(&pg2, p))
    }

    /// SPAN l2 rx mirror into gre-erspan
    #[vpp_test]
    fn test_span_l2_rx_dst_gre_erspan(t: &mut TestCase) -> TestResult {
        let pg2 = pg::interface(t, "pg2")?;
        let mut gre =
            GreTunnel::new(pg2.local_ip4(), pg2.remote_ip4()).of_type(GreTunnelType::Erspan);
        gre.session_id = 543;
        let gre_if = objects::add(t, gre)?;
        pg::interface_of(t, gre_if.sw_if_index)?.admin_up(t)?;
        l2_rx_mirror(t, gre_if.sw_if_index, |_, p| decap_erspan(&pg2, p, 543))?;
        objects::remove(t, &gre_if)
    }

    /// SPAN l2 rx mirror into gre-subif+vtr
    #[vpp_test]
    fn test_span_l2_rx_dst_gre_subif_vtr(t: &mut TestCase) -> TestResult {
        let pg2 = pg::interface(t, "pg2")?;
        let gre = GreTunnel::new(pg2.local_ip4(), pg2.remote_ip4()).of_type(GreTunnelType::Teb);
        let gre_if = objects::add(t, gre)?;
        let gre_intf = pg::interface_of(t, gre_if.sw_if_index)?;
        gre_intf.admin_up(t)?;
        let gre_sub_if = SubInterface::dot1q(t, &gre_intf, 500)?;
        gre_sub_if.set_vtr(t, Vtr::Pop1)?;
        gre_sub_if.admin_up(t)?;
        l2_rx_mirror(t, gre_sub_if.sw_if_index(), |_, p| {
            remove_tags(decap_gre(&pg2, p)?, &[(DOT1Q_TYPE, 500)])
        })?;
        // The sub-interface goes with its tunnel.
        objects::remove(t, &gre_if)
    }

    /// SPAN l2 rx mirror into 1q subif+vtr
    #[vpp_test]
    fn test_span_l2_rx_dst_1q_vtr(t: &mut TestCase) -> TestResult {
        let (_, vlan_sub_if, _) = subs(t)?;
        vlan_sub_if.admin_up(t)?;
        l2_rx_mirror(t, vlan_sub_if.sw_if_index(), |_, p| {
            remove_tags(p.clone(), &[(DOT1Q_TYPE, 300)])
        })
    }

    /// SPAN l2 rx mirror into 1ad subif+vtr
    #[vpp_test]
    fn test_span_l2_rx_dst_1ad_vtr(t: &mut TestCase) -> TestResult {
        let (_, _, qinq_sub_if) = subs(t)?;
        qinq_sub_if.admin_up(t)?;
        l2_rx_mirror(t, qinq_sub_if.sw_if_index(), |_, p| {
            remove_tags(p.clone(), &[(DOT1AD_TYPE, 400), (DOT1Q_TYPE, 500)])
        })
    }

    /// SPAN l2 tx mirror
    #[vpp_test]
    fn test_l2_tx_span(t: &mut TestCase) -> TestResult {
        let (pg0, pg1, pg2) = pgs(t)?;
        let (sub_if, _, _) = subs(t)?;
        sub_if.admin_up(t)?;
        let port = bridge(t, pg2.sw_if_index())?;
        // Create bi-directional cross-connects between pg0 and pg1
        let xc = xconnect(t, sub_if.sw_if_index(), pg1.sw_if_index())?;
        // Create incoming packet streams for packet-generator interfaces
        let pkts = create_stream(t, &pg0, true, false)?;
        pg0.add_stream(t, &pkts)?;
        // Enable SPAN on pg1 (mirrored to pg2)
        let span = objects::add(
            t,
            Span::new(pg1.sw_if_index(), pg2.sw_if_index())
                .l2()
                .state(SpanState::Tx),
        )?;
        tracing::info!("{}", t.ppcli("show interface span")?);
        // Enable packet capturing and start packet sending
        pg::enable_capture(t, &pg::interfaces(t)?)?;
        pg::start(t)?;
        // Verify packets outgoing packet streams on mirrored interface (pg2)
        let n_pkts = pkts.len();
        let pg1_pkts = pg1.get_capture(t, n_pkts)?;
        let pg2_pkts = pg2.get_capture(t, n_pkts)?;
        objects::remove(t, &port)?;
        // Disable SPAN on pg0 (mirrored to pg2)
        objects::remove(t, &span)?;
        unxconnect(t, &xc)?;
        verify_capture(&pg1_pkts, &pg2_pkts)
    }

    /// SPAN l2 rx tx mirror
    #[vpp_test]
    fn test_l2_rx_tx_span(t: &mut TestCase) -> TestResult {
        let (pg0, pg1, pg2) = pgs(t)?;
        let (sub_if, _, _) = subs(t)?;
        sub_if.admin_up(t)?;
        let port = bridge(t, pg2.sw_if_index())?;
        // Create bi-directional cross-connects between pg0 and pg1
        let xc = xconnect(t, sub_if.sw_if_index(), pg1.sw_if_index())?;
        rx_tx_mirror(t, &pg0, &pg1, &pg2, &sub_if, false)?;
        objects::remove(t, &port)?;
        unxconnect(t, &xc)
    }

    /// SPAN l2 broadcast mirror
    #[vpp_test]
    fn test_l2_bcast_mirror(t: &mut TestCase) -> TestResult {
        let (pg0, pg1, pg2) = pgs(t)?;
        let (sub_if, _, _) = subs(t)?;
        sub_if.admin_up(t)?;
        let port = bridge(t, pg2.sw_if_index())?;
        // Create bi-directional cross-connects between pg0 and pg1
        let in_99 = [
            objects::add(t, BridgeDomainPort::new(99, sub_if.sw_if_index()))?,
            objects::add(t, BridgeDomainPort::new(99, pg1.sw_if_index()))?,
        ];
        rx_tx_mirror(t, &pg0, &pg1, &pg2, &sub_if, true)?;
        objects::remove(t, &port)?;
        for p in &in_99 {
            objects::remove(t, p)?;
        }
        Ok(())
    }
}

/// Streams both ways between pg0.100 and pg1, broadcast or not, with
/// pg0.100's both directions mirrored to pg2; checks pg2 got a copy of
/// every packet (`test_l2_rx_tx_span`, `test_l2_bcast_mirror`).
fn rx_tx_mirror(
    t: &mut TestCase,
    pg0: &PgInterface,
    pg1: &PgInterface,
    pg2: &PgInterface,
    sub_if: &SubInterface,
    bcast: bool,
) -> TestResult {
    // Create incoming packet streams for packet-generator interfaces
    let pg0_pkts = create_stream(t, pg0, true, bcast)?;
    pg0.add_stream(t, &pg0_pkts)?;
    let pg1_pkts = create_stream(t, pg1, false, bcast)?;
    pg1.add_stream(t, &pg1_pkts)?;
    // Enable SPAN on pg0 (mirrored to pg2)
    let span = objects::add(
        t,
        Span::new(sub_if.sw_if_index(), pg2.sw_if_index())
            .l2()
            .state(SpanState::RxTx),
    )?;
    tracing::info!("{}", t.ppcli("show interface span")?);
    // Enable packet capturing and start packet sending
    pg::enable_capture(t, &pg::interfaces(t)?)?;
    pg::start(t)?;
    // Verify packets outgoing packet streams on mirrored interface (pg2)
    let pg0_expected = pg1_pkts.len();
    let pg1_expected = pg0_pkts.len();
    let pg2_expected = pg0_expected + pg1_expected;
    let mut got = pg0.get_capture(t, pg0_expected)?;
    got.extend(pg1.get_capture(t, pg1_expected)?);
    let pg2_pkts = pg2.get_capture(t, pg2_expected)?;
    // Disable SPAN on pg0 (mirrored to pg2)
    objects::remove(t, &span)?;
    verify_capture(&got, &pg2_pkts)
}
