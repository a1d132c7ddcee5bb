//! Port of `test/test_ip4_irb.py`: integrated routing and bridging, a BVI
//! routing between a bridge domain (pg0, pg1) and a routed pg2.

use asf_core::packet::{mac, Ether, Ipv4, Packet, Raw, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::l2::{L2PortType, SwInterfaceSetL2Bridge};
use asf_vocab::pg::{self, extend_packet, InfoCursor, PacketInfo, PacketInfos, PgInterface};

const BD_ID: u32 = 10;
const REMOTE_HOSTS_COUNT: usize = 250;
const SIZES: [usize; 4] = [64, 512, 1518, 9018];

/// The class's BVI (pg interfaces come back with `pg::interfaces`).
#[derive(Default)]
struct Bvi(Option<PgInterface>);

fn bvi0(t: &TestCase) -> TestResult<PgInterface> {
    t.class_data_ref::<Bvi>()
        .and_then(|b| b.0.clone())
        .ok_or_else(|| "no BVI from set_up_class".into())
}

fn set_up_class(t: &mut TestCase) -> TestResult {
    let pgs = pg::create_interfaces(t, 0..3)?;
    let bvi = pg::create_bvi_interfaces(t, 1)?.remove(0);
    for i in pgs.iter().chain([&bvi]) {
        i.admin_up(t)?;
    }
    for (sw_if_index, port_type) in [
        (bvi.sw_if_index(), L2PortType::Bvi),
        (pgs[0].sw_if_index(), L2PortType::Normal),
        (pgs[1].sw_if_index(), L2PortType::Normal),
    ] {
        t.api().request(&SwInterfaceSetL2Bridge {
            rx_sw_if_index: sw_if_index,
            bd_id: BD_ID,
            port_type,
            enable: true,
            ..SwInterfaceSetL2Bridge::default()
        })?;
    }
    bvi.config_ip4(t)?;
    pgs[2].config_ip4(t)?;
    bvi.generate_remote_hosts(REMOTE_HOSTS_COUNT);
    bvi.configure_ipv4_neighbors(t)?;
    pgs[2].resolve_arp(t)?;
    let hosts = bvi.remote_hosts();
    let half = REMOTE_HOSTS_COUNT / 2;
    pgs[0].set_remote_hosts(hosts[..half].to_vec());
    pgs[1].set_remote_hosts(hosts[half..].to_vec());
    t.class_data::<Bvi>().0 = Some(bvi);
    Ok(())
}

fn tear_down_class(t: &mut TestCase) -> TestResult {
    t.class_data::<Bvi>().0.take();
    Ok(())
}

fn create_stream(
    t: &mut TestCase,
    src_ip_if: &PgInterface,
    dst_ip_if: &PgInterface,
    infos: &mut PacketInfos,
) -> Vec<Packet> {
    (0..257)
        .map(|i| {
            let hosts = dst_ip_if.remote_hosts();
            let dst = &hosts[t.rng().usize(..hosts.len())];
            let info = infos.create(src_ip_if, dst_ip_if);
            let mut p = Ether::new(src_ip_if.remote_mac(), src_ip_if.local_mac())
                / Ipv4::new(src_ip_if.remote_ip4(), dst.ip4)
                / Udp::new(1234, 1234)
                / Raw::new(info.to_payload());
            infos.set_data(&info, p.clone());
            extend_packet(&mut p, SIZES[(i / 2) % SIZES.len()], b" ");
            p
        })
        .collect()
}

fn create_stream_l2_to_ip(
    t: &mut TestCase,
    src_l2_if: &PgInterface,
    src_ip_if: &PgInterface,
    dst_ip_if: &PgInterface,
    infos: &mut PacketInfos,
) -> Vec<Packet> {
    (0..257)
        .map(|i| {
            let info = infos.create(src_ip_if, dst_ip_if);
            let hosts = src_l2_if.remote_hosts();
            let host = &hosts[t.rng().usize(..hosts.len())];
            let mut p = Ether::new(host.mac, src_ip_if.local_mac())
                / Ipv4::new(host.ip4, dst_ip_if.remote_ip4())
                / Udp::new(1234, 1234)
                / Raw::new(info.to_payload());
            infos.set_data(&info, p.clone());
            extend_packet(&mut p, SIZES[(i / 2) % SIZES.len()], b" ");
            p
        })
        .collect()
}

fn verify_capture(
    dst_ip_if: &PgInterface,
    src_ip_if: &PgInterface,
    capture: &[Packet],
    infos: &PacketInfos,
) -> TestResult {
    let mut cursor = InfoCursor::default();
    for packet in capture {
        let (ip, udp) = (packet.expect::<Ipv4>(), packet.expect::<Udp>());
        let (_, saved) = infos.expect_next(&mut cursor, packet, dst_ip_if.sw_if_index())?;
        let eth = packet.expect::<Ether>();
        assert_eq!(eth.src, dst_ip_if.local_mac());
        let host = dst_ip_if
            .host_by_mac(eth.dst)
            .ok_or("no host with the destination MAC")?;
        assert_eq!(ip.src, src_ip_if.remote_ip4());
        assert_eq!(ip.dst, saved.expect::<Ipv4>().dst);
        assert_eq!(ip.dst, host.ip4);
        assert_eq!(udp.sport, saved.expect::<Udp>().sport);
        assert_eq!(udp.dport, saved.expect::<Udp>().dport);
    }
    Ok(())
}

fn verify_capture_l2_to_ip(
    dst_ip_if: &PgInterface,
    src_ip_if: &PgInterface,
    capture: &[Packet],
    infos: &PacketInfos,
) -> TestResult {
    let mut cursor = InfoCursor::default();
    for packet in capture {
        let (ip, udp) = (packet.expect::<Ipv4>(), packet.expect::<Udp>());
        let info = PacketInfo::of(packet)?;
        assert_eq!(info.dst, dst_ip_if.sw_if_index() as i32);
        // As the original: the packet's own index is not compared here.
        let next = infos
            .next_in(&mut cursor, info.src as u32, dst_ip_if.sw_if_index())
            .ok_or("no packet info left for it")?;
        let saved = infos.data(next.index).ok_or("no packet kept for it")?;
        let eth = packet.expect::<Ether>();
        assert_eq!(eth.src, dst_ip_if.local_mac());
        assert_eq!(eth.dst, dst_ip_if.remote_mac());
        assert!(
            src_ip_if.host_by_ip(ip.src.into()).is_some(),
            "no host {}",
            ip.src
        );
        assert_eq!(ip.dst, saved.expect::<Ipv4>().dst);
        assert_eq!(ip.dst, dst_ip_if.remote_ip4());
        assert_eq!(udp.sport, saved.expect::<Udp>().sport);
        assert_eq!(udp.dport, saved.expect::<Udp>().dport);
    }
    Ok(())
}

fn send_and_verify_l2_to_ip(t: &mut TestCase, infos: &mut PacketInfos) -> TestResult {
    let pgs = pg::interfaces(t)?;
    let bvi = bvi0(t)?;
    let stream1 = create_stream_l2_to_ip(t, &pgs[0], &bvi, &pgs[2], infos);
    let stream2 = create_stream_l2_to_ip(t, &pgs[1], &bvi, &pgs[2], infos);
    t.cli("clear trace")?;
    pgs[0].add_stream(t, &stream1)?;
    pgs[1].add_stream(t, &stream2)?;
    pg::enable_capture(t, &pgs)?;
    pg::start(t)?;
    let rcvd = pgs[2].get_capture(t, 514)?;
    verify_capture_l2_to_ip(&pgs[2], &bvi, &rcvd, infos)
}

/// IRB Test Case
#[vpp_test(
    name = "TestIpIrb",
    set_up_class = set_up_class,
    tear_down_class = tear_down_class,
    show_at_teardown = [
        "show l2patch",
        "show l2fib verbose",
        "show bridge-domain 10 detail",
        "show ip neighbors"
    ],
    // A BVI in a bridge domain: VPP's bridging.
    requires_messages = ["bvi_create"]
)]
mod irb {
    use super::*;

    /// IPv4 IRB test 1
    #[vpp_test]
    fn test_ip4_irb_1(t: &mut TestCase) -> TestResult {
        let pgs = pg::interfaces(t)?;
        let bvi = bvi0(t)?;
        let mut infos = PacketInfos::new();
        let stream = create_stream(t, &pgs[2], &bvi, &mut infos);
        pgs[2].add_stream(t, &stream)?;
        pg::enable_capture(t, &pgs)?;
        pg::start(t)?;
        let packet_count = infos.count_for(bvi.sw_if_index());
        let rcvd1 = pgs[0].get_capture(t, packet_count)?;
        let rcvd2 = pgs[1].get_capture(t, packet_count)?;
        verify_capture(&bvi, &pgs[2], &rcvd1, &infos)?;
        verify_capture(&bvi, &pgs[2], &rcvd2, &infos)?;
        let bytes = |c: &[Packet]| c.iter().map(Packet::build).collect::<Vec<_>>();
        assert!(
            bytes(&rcvd1) == bytes(&rcvd2),
            "pg0 and pg1 got different packets"
        );
        Ok(())
    }

    /// IPv4 IRB test 2
    #[vpp_test]
    fn test_ip4_irb_2(t: &mut TestCase) -> TestResult {
        let mut infos = PacketInfos::new();
        send_and_verify_l2_to_ip(t, &mut infos)?;
        bvi0(t)?.set_mac(t, mac("00:00:00:11:11:33"))?;
        send_and_verify_l2_to_ip(t, &mut infos)?;
        pg::interface(t, "pg1")?.assert_nothing_captured_remark(t, "UU Flood")?;
        Ok(())
    }
}
