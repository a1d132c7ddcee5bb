//! Port of `test/test_l2bd.py`: MAC learning in a bridge domain of an
//! untagged interface, an 802.1Q sub-interface and an 802.1ad one.

use std::collections::HashMap;
use std::net::Ipv4Addr;

use asf_core::packet::{Dot1Q, Ether, Ipv4, Mac, Packet, Raw, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::l2::SwInterfaceSetL2Bridge;
use asf_vocab::pg::{self, extend_packet, PacketInfo, PacketInfos, PgInterface, SubInterface};

const BD_ID: u32 = 1;
const MAC_ENTRIES_COUNT: usize = 100;
const DOT1Q_TAG: u16 = 100;
const DOT1AD_SUB_ID: u32 = 20;
const DOT1AD_OUTER_TAG: u16 = 200;
const DOT1AD_INNER_TAG: u16 = 300;
const SL_PKTS_PER_BURST: usize = 2;
const DL_PKTS_PER_BURST: usize = 257;
const PG_IF_PACKET_SIZES: [usize; 4] = [64, 512, 1518, 9018];
const SUB_IF_PACKET_SIZES: [usize; 4] = [64, 512, 1518 + 4, 9018 + 4];

type Host = (Mac, Ipv4Addr);

/// What the class keeps: the pg interfaces, the sub-interface of pg1 and
/// pg2, and the hosts behind each pg interface.
struct Fixture {
    pgs: Vec<PgInterface>,
    subs: HashMap<u32, SubInterface>,
    hosts: HashMap<u32, Vec<Host>>,
}

/// The class's [`Fixture`], from set_up_class to tear_down_class (shared,
/// so a test holds it while it drives `t`).
#[derive(Default)]
struct ClassFixture(Option<std::sync::Arc<Fixture>>);

fn fixture(t: &TestCase) -> TestResult<std::sync::Arc<Fixture>> {
    t.class_data_ref::<ClassFixture>()
        .and_then(|c| c.0.clone())
        .ok_or_else(|| "no fixture from set_up_class".into())
}

fn set_up_class(t: &mut TestCase) -> TestResult {
    let pgs = pg::create_interfaces(t, 0..3)?;
    let dot1q = SubInterface::dot1q(t, &pgs[1], DOT1Q_TAG)?;
    let dot1ad = SubInterface::dot1ad(
        t,
        &pgs[2],
        DOT1AD_SUB_ID,
        DOT1AD_OUTER_TAG,
        DOT1AD_INNER_TAG,
    )?;
    let subs: HashMap<u32, SubInterface> = [
        (pgs[1].sw_if_index(), dot1q.clone()),
        (pgs[2].sw_if_index(), dot1ad.clone()),
    ]
    .into();
    for pg_if in &pgs {
        let sw_if_index = subs
            .get(&pg_if.sw_if_index())
            .map_or(pg_if.sw_if_index(), SubInterface::sw_if_index);
        t.api().request(&SwInterfaceSetL2Bridge {
            rx_sw_if_index: sw_if_index,
            bd_id: BD_ID,
            enable: true,
            ..SwInterfaceSetL2Bridge::default()
        })?;
    }
    for i in &pgs {
        i.admin_up(t)?;
    }
    for s in [&dot1q, &dot1ad] {
        s.admin_up(t)?;
    }
    let hosts = create_hosts_and_learn(t, &pgs, &subs, MAC_ENTRIES_COUNT)?;
    t.ppcli("show l2fib")?;
    t.class_data::<ClassFixture>().0 = Some(std::sync::Arc::new(Fixture { pgs, subs, hosts }));
    Ok(())
}

fn tear_down_class(t: &mut TestCase) -> TestResult {
    t.class_data::<ClassFixture>().0.take();
    Ok(())
}

fn tear_down(t: &mut TestCase) -> TestResult {
    t.ppcli("show l2fib verbose")?;
    t.ppcli(&format!("show bridge-domain {BD_ID} detail"))?;
    Ok(())
}

/// Hosts spread over the interfaces, and a broadcast from each so the
/// bridge domain learns them (tagged on the sub-interfaces' parents).
fn create_hosts_and_learn(
    t: &mut TestCase,
    pgs: &[PgInterface],
    subs: &HashMap<u32, SubInterface>,
    count: usize,
) -> TestResult<HashMap<u32, Vec<Host>>> {
    let n_int = pgs.len();
    let per_if = count / n_int;
    let mut all = HashMap::new();
    for (i, pg_if) in pgs.iter().enumerate() {
        let swif = pg_if.sw_if_index();
        let end = if i == n_int - 1 {
            count
        } else {
            per_if * (i + 1)
        };
        let mut hosts = Vec::new();
        let mut packets = Vec::new();
        for j in per_if * i..end {
            let mac = Mac([0, 0, 0, 0xff, swif as u8, j as u8]);
            let ip = format!("172.17.1{swif:02x}.{j}").parse()?;
            hosts.push((mac, ip));
            let mut p: Packet = Ether::new(mac, Mac::BROADCAST).into();
            if let Some(s) = subs.get(&swif) {
                p = s.add_dot1_layer(p);
            }
            packets.push(p);
        }
        pg_if.add_stream(t, &packets)?;
        all.insert(swif, hosts);
    }
    tracing::info!("Sending broadcast eth frames for MAC learning");
    pg::start(t)?;
    Ok(all)
}

fn create_stream(
    t: &mut TestCase,
    f: &Fixture,
    i: usize,
    n: usize,
    infos: &mut PacketInfos,
) -> Vec<Packet> {
    let src_if = &f.pgs[i];
    let flows: Vec<&PgInterface> = f
        .pgs
        .iter()
        .filter(|p| p.pg_index() != src_if.pg_index())
        .collect();
    let sizes = if f.subs.contains_key(&src_if.sw_if_index()) {
        SUB_IF_PACKET_SIZES
    } else {
        PG_IF_PACKET_SIZES
    };
    (0..n)
        .map(|k| {
            let dst_if = flows[k % 2];
            let dsts = &f.hosts[&dst_if.sw_if_index()];
            let srcs = &f.hosts[&src_if.sw_if_index()];
            let (dmac, dip) = dsts[t.rng().usize(..dsts.len())];
            let (smac, sip) = srcs[t.rng().usize(..srcs.len())];
            let info = infos.create(src_if, dst_if);
            let mut p = Ether::new(smac, dmac)
                / Ipv4::new(sip, dip)
                / Udp::new(1234, 1234)
                / Raw::new(info.to_payload());
            infos.set_data(&info, p.clone());
            if let Some(s) = f.subs.get(&src_if.sw_if_index()) {
                p = s.add_dot1_layer(p);
            }
            extend_packet(&mut p, sizes[t.rng().usize(..sizes.len())], b" ");
            p
        })
        .collect()
}

/// Takes off each packet the tags its source sub-interface put on (frames
/// keep them: no tag rewrite), then checks the capture as the other L2
/// suites do.
fn verify_capture(
    f: &Fixture,
    pg_if: &PgInterface,
    capture: &[Packet],
    infos: &PacketInfos,
) -> TestResult {
    let mut untagged = Vec::with_capacity(capture.len());
    for packet in capture {
        let info = PacketInfo::of(packet)?;
        let packet = match f.subs.get(&(info.src as u32)) {
            Some(s) if info.src as u32 != pg_if.sw_if_index() => {
                s.remove_dot1_layer(packet.clone())?
            }
            _ => packet.clone(),
        };
        assert!(!packet.has::<Dot1Q>(), "a tag left:\n{}", packet.show());
        untagged.push(packet);
    }
    crate::flows::verify_ip4_udp_capture(pg_if.sw_if_index(), &untagged, infos).map(drop)
}

fn run_l2bd_test(t: &mut TestCase, pkts_per_burst: usize) -> TestResult {
    let f = fixture(t)?;
    let mut infos = PacketInfos::new();
    for i in 0..f.pgs.len() {
        let pkts = create_stream(t, &f, i, pkts_per_burst, &mut infos);
        f.pgs[i].add_stream(t, &pkts)?;
    }
    pg::enable_capture(t, &f.pgs)?;
    pg::start(t)?;
    for i in &f.pgs {
        let capture = i.get_capture(t, infos.count_for(i.sw_if_index()))?;
        tracing::info!("Verifying capture on interface {}", i.name());
        verify_capture(&f, i, &capture, &infos)?;
    }
    Ok(())
}

/// L2BD Test Case
#[vpp_test(
    name = "TestL2bd",
    set_up_class = set_up_class,
    tear_down_class = tear_down_class,
    tear_down = tear_down,
    // VPP's bridging and sub-interfaces.
    requires_messages = ["bridge_domain_add_del_v2", "create_subif"]
)]
mod l2bd {
    use super::*;

    /// L2BD MAC learning single-loop test
    #[vpp_test]
    fn test_l2bd_sl(t: &mut TestCase) -> TestResult {
        run_l2bd_test(t, SL_PKTS_PER_BURST)
    }

    /// L2BD MAC learning dual-loop test
    #[vpp_test]
    fn test_l2bd_dl(t: &mut TestCase) -> TestResult {
        run_l2bd_test(t, DL_PKTS_PER_BURST)
    }
}
