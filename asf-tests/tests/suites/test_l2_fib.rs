//! Port of `test/test_l2_fib.py`: static and learned L2 FIB entries of
//! two bridge domains, deletion, flushing, and MAC-learning events.

use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;
use std::time::Duration;

use asf_core::packet::{Ether, Ipv4, Mac, Packet, Raw, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::l2::{
    BdFlags, BridgeDomainAddDelV2, BridgeFlags, L2MacsEvent, L2fibAddDel, L2fibFlushAll,
    L2fibFlushBd, L2fibFlushInt, L2fibSetScanDelay, MacEventAction, SwInterfaceSetL2Bridge,
    WantL2MacsEvents, WantL2MacsEvents2,
};
use asf_vocab::pg::{self, extend_packet, Expect, PacketInfos, PgInterface};

const N_BRS: [u32; 2] = [1, 2];
const N_IFS_PER_BD: usize = 4;
const SIZES: [usize; 4] = [64, 512, 1518, 9018];

/// A host: its MAC and address.
type Host = (Mac, Ipv4Addr);
/// Hosts by the `sw_if_index` they are behind.
type Hosts = HashMap<u32, Vec<Host>>;

/// The indexes of a bridge domain's interfaces, as the original has them:
/// `range((bd_id - 1) * 4, bd_id * 4 - 1)`, three of the four.
fn bd_ifs(bd_id: u32) -> std::ops::Range<usize> {
    (bd_id as usize - 1) * N_IFS_PER_BD..bd_id as usize * N_IFS_PER_BD - 1
}

fn set_up_class(t: &mut TestCase) -> TestResult {
    let pgs = pg::create_interfaces(t, 0..(N_IFS_PER_BD * N_BRS.len()) as u32)?;
    for bd_id in N_BRS {
        // BD with MAC learning and unknown unicast flooding disabled.
        t.api().request(&BridgeDomainAddDelV2 {
            bd_id,
            is_add: true,
            uu_flood: false,
            learn: false,
            flood: true,
            forward: true,
            ..BridgeDomainAddDelV2::default()
        })?;
        for i in bd_ifs(bd_id) {
            t.api().request(&SwInterfaceSetL2Bridge {
                rx_sw_if_index: pgs[i].sw_if_index(),
                bd_id,
                enable: true,
                ..SwInterfaceSetL2Bridge::default()
            })?;
        }
    }
    for i in &pgs {
        i.admin_up(t)?;
    }
    Ok(())
}

fn tear_down(t: &mut TestCase) -> TestResult {
    for bd_id in N_BRS {
        t.ppcli(&format!("show bridge-domain {bd_id} detail"))?;
    }
    Ok(())
}

/// Every interface of the bridge domain except `i`.
fn flows(pgs: &[PgInterface], i: usize) -> Vec<PgInterface> {
    let bd = (i / N_IFS_PER_BD) as u32 + 1;
    bd_ifs(bd)
        .filter(|&x| x != i)
        .map(|x| pgs[x].clone())
        .collect()
}

fn create_hosts(pgs: &[PgInterface], n: u32, subnet: u32) -> Hosts {
    pgs.iter()
        .map(|pg_if| {
            let swif = pg_if.sw_if_index();
            let hosts = (0..n)
                .map(|j| {
                    let mac = Mac([0, 0, subnet as u8, 0xff, swif as u8, j as u8]);
                    let ip = format!("172.{subnet:02}.1{swif:02x}.{j}")
                        .parse()
                        .expect("a valid address");
                    (mac, ip)
                })
                .collect();
            (swif, hosts)
        })
        .collect()
}

/// Takes the first `n` hosts of every interface off `hosts` and returns them.
fn split_hosts(hosts: &mut Hosts, n: usize) -> Hosts {
    hosts
        .iter_mut()
        .map(|(swif, list)| (*swif, list.drain(..n.min(list.len())).collect()))
        .collect()
}

fn bridge_learn(t: &mut TestCase, bd_id: u32, on: bool) -> TestResult {
    t.api().request(&BridgeFlags {
        bd_id,
        is_set: on,
        flags: BdFlags::Learn,
    })?;
    Ok(())
}

/// Broadcast frames from `hosts` so the bridge domain learns them.
fn learn_hosts(t: &mut TestCase, pgs: &[PgInterface], bd_id: u32, hosts: &Hosts) -> TestResult {
    bridge_learn(t, bd_id, true)?;
    for i in bd_ifs(bd_id) {
        let frames: Vec<Packet> = hosts[&pgs[i].sw_if_index()]
            .iter()
            .map(|(mac, _)| Ether::new(*mac, Mac::BROADCAST).into())
            .collect();
        pgs[i].add_stream(t, &frames)?;
    }
    tracing::info!("Sending broadcast eth frames for MAC learning");
    pg::start(t)
}

fn l2fib(
    t: &mut TestCase,
    pgs: &[PgInterface],
    bd_id: u32,
    hosts: &Hosts,
    is_add: bool,
) -> TestResult {
    for i in bd_ifs(bd_id) {
        let swif = pgs[i].sw_if_index();
        for (mac, _) in &hosts[&swif] {
            t.api().request(&L2fibAddDel {
                mac: mac.0,
                bd_id,
                sw_if_index: swif,
                is_add,
                static_mac: is_add,
                ..L2fibAddDel::default()
            })?;
        }
    }
    Ok(())
}

fn create_stream(
    t: &mut TestCase,
    pgs: &[PgInterface],
    i: usize,
    src_hosts: &Hosts,
    dst_hosts: &Hosts,
    infos: &mut PacketInfos,
) -> Vec<Packet> {
    let src_if = &pgs[i];
    let srcs = &src_hosts[&src_if.sw_if_index()];
    if srcs.is_empty() {
        return Vec::new();
    }
    let mut pkts = Vec::new();
    for dst_if in flows(pgs, i) {
        let Some(dsts) = dst_hosts.get(&dst_if.sw_if_index()) else {
            continue;
        };
        for (dmac, dip) in dsts {
            let (smac, sip) = srcs[t.rng().usize(..srcs.len())];
            let info = infos.create(src_if, &dst_if);
            let mut p = Ether::new(smac, *dmac)
                / Ipv4::new(sip, *dip)
                / Udp::new(1234, 1234)
                / Raw::new(info.to_payload());
            infos.set_data(&info, p.clone());
            extend_packet(&mut p, SIZES[t.rng().usize(..SIZES.len())], b" ");
            pkts.push(p);
        }
    }
    pkts
}

fn send(
    t: &mut TestCase,
    bd_id: u32,
    src_hosts: &Hosts,
    dst_hosts: &Hosts,
) -> TestResult<(Vec<PgInterface>, PacketInfos)> {
    let pgs = pg::interfaces(t)?;
    let mut infos = PacketInfos::new();
    let ifs: Vec<PgInterface> = bd_ifs(bd_id).map(|i| pgs[i].clone()).collect();
    for i in bd_ifs(bd_id) {
        let pkts = create_stream(t, &pgs, i, src_hosts, dst_hosts, &mut infos);
        if !pkts.is_empty() {
            pgs[i].add_stream(t, &pkts)?;
        }
    }
    bridge_learn(t, bd_id, false)?;
    pg::enable_capture(t, &ifs)?;
    pg::start(t)?;
    Ok((ifs, infos))
}

fn run_verify_test(
    t: &mut TestCase,
    bd_id: u32,
    src_hosts: &Hosts,
    dst_hosts: &Hosts,
) -> TestResult {
    let (ifs, infos) = send(t, bd_id, src_hosts, dst_hosts)?;
    for i in &ifs {
        if dst_hosts[&i.sw_if_index()].is_empty() {
            continue;
        }
        let capture = i.get_capture(t, infos.count_for(i.sw_if_index()))?;
        tracing::info!("Verifying capture on interface {}", i.name());
        crate::flows::verify_ip4_udp_capture(i.sw_if_index(), &capture, &infos)?;
    }
    Ok(())
}

fn run_verify_negat_test(
    t: &mut TestCase,
    bd_id: u32,
    src_hosts: &Hosts,
    dst_hosts: &Hosts,
) -> TestResult {
    let (ifs, _) = send(t, bd_id, src_hosts, dst_hosts)?;
    let mut timeout = Duration::from_secs(1);
    for i in &ifs {
        let mut e = Expect::new(i, 0);
        e.timeout = Some(timeout);
        i.get_capture_with(t, &e)?;
        i.assert_nothing_captured_remark(t, "outgoing interface")?;
        timeout = Duration::from_millis(100);
    }
    Ok(())
}

/// The MACs of the hosts of bridge domain `bd_id`'s interfaces.
fn bd_macs(pgs: &[PgInterface], bd_id: u32, hosts: &Hosts) -> HashSet<[u8; 6]> {
    bd_ifs(bd_id)
        .flat_map(|i| hosts[&pgs[i].sw_if_index()].iter().map(|(m, _)| m.0))
        .collect()
}

/// The MACs the events say were learned.
fn learned(evs: &[L2MacsEvent]) -> HashSet<[u8; 6]> {
    evs.iter()
        .flat_map(|e| e.mac.iter())
        .filter(|m| m.action == MacEventAction::Add)
        .map(|m| m.mac_addr)
        .collect()
}

fn want_events(
    t: &mut TestCase,
    v2: bool,
    enable: bool,
    max_macs_in_event: Option<u8>,
) -> TestResult {
    let pid = std::process::id();
    if v2 {
        let mut m = WantL2MacsEvents2 {
            enable_disable: enable,
            pid,
            ..WantL2MacsEvents2::default()
        };
        if let Some(n) = max_macs_in_event {
            m.max_macs_in_event = n;
        }
        t.api().request(&m)?;
    } else {
        let mut m = WantL2MacsEvents {
            enable_disable: enable,
            pid,
            ..WantL2MacsEvents::default()
        };
        if let Some(n) = max_macs_in_event {
            m.max_macs_in_event = n;
        }
        t.api().request(&m)?;
    }
    Ok(())
}

/// L2 FIB Test Case
#[vpp_test(
    name = "TestL2fib",
    set_up_class = set_up_class,
    tear_down = tear_down,
    show_at_teardown = ["show l2fib verbose"],
    // VPP's bridging: bridge domains, the L2 FIB, learning and its events.
    requires_messages = ["bridge_domain_add_del_v2"]
)]
mod l2_fib {
    use super::*;

    /// L2 FIB - program 100 MACs
    #[vpp_test]
    fn test_l2_fib_program100(t: &mut TestCase) -> TestResult {
        let pgs = pg::interfaces(t)?;
        let hosts = create_hosts(&pgs, 100, 17);
        l2fib(t, &pgs, 1, &hosts, true)?;
        run_verify_test(t, 1, &hosts, &hosts)
    }

    /// L2 FIB - program 100, delete 12 MACs
    #[vpp_test]
    fn test_l2_fib_program100_delete12(t: &mut TestCase) -> TestResult {
        let pgs = pg::interfaces(t)?;
        let mut hosts = create_hosts(&pgs, 100, 17);
        l2fib(t, &pgs, 1, &hosts, true)?;
        let del_hosts = split_hosts(&mut hosts, 12);
        l2fib(t, &pgs, 1, &del_hosts, false)?;
        run_verify_test(t, 1, &hosts, &hosts)?;
        run_verify_negat_test(t, 1, &hosts, &del_hosts)
    }

    /// L2 FIB - program 100, add 100 MACs
    #[vpp_test]
    fn test_l2_fib_program100_add100(t: &mut TestCase) -> TestResult {
        let pgs = pg::interfaces(t)?;
        let hosts = create_hosts(&pgs, 100, 17);
        l2fib(t, &pgs, 1, &hosts, true)?;
        let hosts2 = create_hosts(&pgs, 100, 22);
        l2fib(t, &pgs, 1, &hosts2, true)?;
        run_verify_test(t, 1, &hosts, &hosts2)
    }

    /// L2 FIB - program 10 MACs, learn 10
    #[vpp_test]
    fn test_l2_fib_program10_learn10(t: &mut TestCase) -> TestResult {
        let pgs = pg::interfaces(t)?;
        let mut hosts = create_hosts(&pgs, 20, 35);
        let lhosts = split_hosts(&mut hosts, 10);
        learn_hosts(t, &pgs, 1, &lhosts)?;
        learn_hosts(t, &pgs, 2, &lhosts)?;
        l2fib(t, &pgs, 1, &hosts, true)?;
        l2fib(t, &pgs, 2, &hosts, true)?;
        run_verify_test(t, 1, &lhosts, &hosts)?;
        run_verify_test(t, 2, &lhosts, &hosts)
    }

    /// L2 FIB - flush interface
    #[vpp_test]
    fn test_l2_fib_flush_int(t: &mut TestCase) -> TestResult {
        let pgs = pg::interfaces(t)?;
        let mut hosts = create_hosts(&pgs, 20, 36);
        let mut lhosts = split_hosts(&mut hosts, 10);
        learn_hosts(t, &pgs, 1, &lhosts)?;
        l2fib(t, &pgs, 1, &hosts, true)?;
        run_verify_test(t, 1, &lhosts, &hosts)?;
        let swif = pgs[0].sw_if_index();
        t.api().request(&L2fibFlushInt { sw_if_index: swif })?;
        let flushed: Hosts = [(
            swif,
            std::mem::take(lhosts.get_mut(&swif).expect("every interface")),
        )]
        .into();
        run_verify_test(t, 1, &hosts, &lhosts)?;
        run_verify_negat_test(t, 1, &hosts, &flushed)
    }

    /// L2 FIB - flush BD
    #[vpp_test]
    fn test_l2_fib_flush_bd(t: &mut TestCase) -> TestResult {
        let pgs = pg::interfaces(t)?;
        let mut hosts = create_hosts(&pgs, 20, 37);
        let mut lhosts = split_hosts(&mut hosts, 10);
        learn_hosts(t, &pgs, 1, &lhosts)?;
        l2fib(t, &pgs, 1, &hosts, true)?;
        run_verify_test(t, 1, &lhosts, &hosts)?;
        t.api().request(&L2fibFlushBd { bd_id: 1 })?;
        let flushed: Hosts = bd_ifs(1)
            .map(|i| {
                let swif = pgs[i].sw_if_index();
                (
                    swif,
                    std::mem::take(lhosts.get_mut(&swif).expect("every interface")),
                )
            })
            .collect();
        run_verify_negat_test(t, 1, &hosts, &flushed)
    }

    /// L2 FIB - flush all
    #[vpp_test]
    fn test_l2_fib_flush_all(t: &mut TestCase) -> TestResult {
        let pgs = pg::interfaces(t)?;
        let mut hosts = create_hosts(&pgs, 20, 38);
        let lhosts = split_hosts(&mut hosts, 10);
        learn_hosts(t, &pgs, 1, &lhosts)?;
        learn_hosts(t, &pgs, 2, &lhosts)?;
        l2fib(t, &pgs, 1, &hosts, true)?;
        l2fib(t, &pgs, 2, &hosts, true)?;
        run_verify_test(t, 1, &hosts, &lhosts)?;
        run_verify_test(t, 2, &hosts, &lhosts)?;
        t.api().request(&L2fibFlushAll)?;
        run_verify_negat_test(t, 1, &hosts, &lhosts)?;
        run_verify_negat_test(t, 2, &hosts, &lhosts)
    }

    /// L2 FIB - mac learning events
    #[vpp_test]
    fn test_l2_fib_mac_learn_evs(t: &mut TestCase) -> TestResult {
        let pgs = pg::interfaces(t)?;
        let hosts = create_hosts(&pgs, 10, 39);
        want_events(t, false, true, None)?;
        learn_hosts(t, &pgs, 1, &hosts)?;
        t.virtual_sleep(1.0)?;
        t.ppcli("show l2fib")?;
        let evs = t.api().collect_events_typed::<L2MacsEvent>()?;
        want_events(t, false, false, None)?;
        let macs = bd_macs(&pgs, 1, &hosts);
        assert_eq!(learned(&evs).symmetric_difference(&macs).count(), 0);
        Ok(())
    }

    /// L2 FIB - mac learning events using want_l2_macs_events2
    #[vpp_test]
    fn test_l2_fib_mac_learn_evs2(t: &mut TestCase) -> TestResult {
        let pgs = pg::interfaces(t)?;
        let hosts = create_hosts(&pgs, 10, 39);
        t.api().request(&L2fibSetScanDelay { scan_delay: 10 })?;
        want_events(t, true, true, None)?;
        t.sleep(1.0, "");
        learn_hosts(t, &pgs, 1, &hosts)?;
        t.virtual_sleep(1.0)?;
        t.ppcli("show l2fib")?;
        let evs = t.api().collect_events_typed::<L2MacsEvent>()?;
        want_events(t, true, false, None)?;
        let macs = bd_macs(&pgs, 1, &hosts);
        assert_eq!(learned(&evs).symmetric_difference(&macs).count(), 0);
        Ok(())
    }

    /// L2 FIB - mac learning max macs in event
    #[vpp_test]
    fn test_l2_fib_macs_learn_max(t: &mut TestCase) -> TestResult {
        let pgs = pg::interfaces(t)?;
        let hosts = create_hosts(&pgs, 10, 40);
        let ev_macs = 1;
        want_events(t, false, true, Some(ev_macs))?;
        learn_hosts(t, &pgs, 1, &hosts)?;
        t.sleep(1.0, "");
        t.ppcli("show l2fib")?;
        let evs = t.api().collect_events_typed::<L2MacsEvent>()?;
        want_events(t, false, false, None)?;
        assert!(!evs.is_empty());
        // The original asserts `len(e) < ev_macs * 10`, the number of the
        // event's fields (always 5); what VPP promises is at most ten MACs
        // per unit of max_macs_in_event.
        for e in &evs {
            assert!(
                e.mac.len() <= usize::from(ev_macs) * 10,
                "{} MACs in one event",
                e.mac.len()
            );
        }
        let macs = bd_macs(&pgs, 1, &hosts);
        assert_eq!(learned(&evs).symmetric_difference(&macs).count(), 0);
        Ok(())
    }

    /// L2 FIB - mac learning max macs in event using want_l2_macs_events2
    #[vpp_test]
    fn test_l2_fib_macs_learn_max2(t: &mut TestCase) -> TestResult {
        let pgs = pg::interfaces(t)?;
        let hosts = create_hosts(&pgs, 10, 40);
        let ev_macs = 1;
        t.api().request(&L2fibSetScanDelay { scan_delay: 10 })?;
        want_events(t, true, true, Some(ev_macs))?;
        t.sleep(1.0, "");
        learn_hosts(t, &pgs, 1, &hosts)?;
        t.virtual_sleep(1.0)?;
        t.ppcli("show l2fib")?;
        let evs = t.api().collect_events_typed::<L2MacsEvent>()?;
        want_events(t, true, false, None)?;
        assert!(!evs.is_empty());
        // The original asserts `len(e) < ev_macs * 10`, the number of the
        // event's fields (always 5); what VPP promises is at most ten MACs
        // per unit of max_macs_in_event.
        for e in &evs {
            assert!(
                e.mac.len() <= usize::from(ev_macs) * 10,
                "{} MACs in one event",
                e.mac.len()
            );
        }
        let macs = bd_macs(&pgs, 1, &hosts);
        assert_eq!(learned(&evs).symmetric_difference(&macs).count(), 0);
        Ok(())
    }
}
