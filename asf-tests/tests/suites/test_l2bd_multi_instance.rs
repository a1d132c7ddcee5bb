//! Port of `test/test_l2bd_multi_instance.py`: five bridge domains of
//! three interfaces each, created, changed and deleted.

use std::collections::HashMap;
use std::net::Ipv4Addr;

use asf_core::packet::{Ether, Ipv4, Mac, Packet, Raw, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::l2::{
    BdFlags, BridgeDomainAddDelV2, BridgeDomainDump, BridgeFlags, SwInterfaceSetL2Bridge,
};
use asf_vocab::pg::{self, extend_packet, PacketInfos, PgInterface};

const N_BD: usize = 5;
const IFS_PER_BD: usize = 3;
const SIZES: [usize; 3] = [64, 512, 1518];

type Host = (Mac, Ipv4Addr);

fn bd_if_range(b: usize) -> std::ops::Range<usize> {
    let start = (b - 1) * IFS_PER_BD;
    start..start + IFS_PER_BD
}

fn set_up_class(t: &mut TestCase) -> TestResult {
    for i in pg::create_interfaces(t, 0..(N_BD * IFS_PER_BD) as u32)? {
        i.admin_up(t)?;
    }
    Ok(())
}

fn tear_down(t: &mut TestCase) -> TestResult {
    t.ppcli("show l2fib verbose")?;
    t.ppcli("show bridge-domain")?;
    Ok(())
}

/// Five hosts behind every interface: `00:00:00:ff:<swif>:<j+1>`,
/// `172.17.1<swif in decimal>.<j+1>`.
fn hosts_of(pg_if: &PgInterface) -> Vec<Host> {
    let idx = pg_if.sw_if_index();
    (0..5u32)
        .map(|j| {
            let mac = Mac([0, 0, 0, 0xff, idx as u8, (j + 1) as u8]);
            let ip = format!("172.17.1{idx:02}.{}", j + 1)
                .parse()
                .expect("a valid address");
            (mac, ip)
        })
        .collect()
}

/// The other interfaces of an interface's bridge domain.
fn flows(pgs: &[PgInterface], i: usize) -> Vec<PgInterface> {
    let b = i / IFS_PER_BD + 1;
    bd_if_range(b)
        .filter(|&x| x != i)
        .map(|x| pgs[x].clone())
        .collect()
}

/// The test's bridge domains (`bd_list`, `bd_map`, `bd_deleted_list`,
/// `pg_in_bd` of the original).
#[derive(Default)]
struct Bds {
    list: Vec<u32>,
    map: HashMap<usize, u32>,
    deleted: Vec<u32>,
    pg_in_bd: Vec<usize>,
}

fn add_bd(t: &mut TestCase, bd_id: u32) -> TestResult<u32> {
    Ok(t.api()
        .request(&BridgeDomainAddDelV2 {
            bd_id,
            flood: true,
            uu_flood: true,
            forward: true,
            learn: true,
            is_add: true,
            ..BridgeDomainAddDelV2::default()
        })?
        .bd_id)
}

fn create_bd_and_mac_learn(
    t: &mut TestCase,
    bds: &mut Bds,
    count: usize,
    start: usize,
) -> TestResult {
    let pgs = pg::interfaces(t)?;
    for b in start..start + count {
        let bd_id = if b == start {
            add_bd(t, b as u32)?;
            b as u32
        } else {
            add_bd(t, u32::MAX)?
        };
        tracing::info!("Bridge domain ID {bd_id} created");
        if !bds.list.contains(&bd_id) {
            bds.map.insert(b, bd_id);
            bds.list.push(bd_id);
        }
        bds.deleted.retain(|&d| d != bd_id);
        for j in bd_if_range(b) {
            let pg_if = &pgs[j];
            t.api().request(&SwInterfaceSetL2Bridge {
                rx_sw_if_index: pg_if.sw_if_index(),
                bd_id,
                enable: true,
                ..SwInterfaceSetL2Bridge::default()
            })?;
            tracing::info!(
                "pg-interface {} added to bridge domain ID {bd_id}",
                pg_if.name()
            );
            bds.pg_in_bd.push(j);
            let packets: Vec<Packet> = hosts_of(pg_if)
                .iter()
                .map(|(mac, _)| Ether::new(*mac, Mac::BROADCAST).into())
                .collect();
            pg_if.add_stream(t, &packets)?;
        }
    }
    tracing::info!("Sending broadcast eth frames for MAC learning");
    pg::start(t)?;
    t.ppcli("show bridge-domain")?;
    t.ppcli("show l2fib")?;
    Ok(())
}

fn delete_bd(t: &mut TestCase, bds: &mut Bds, count: usize, start: usize) -> TestResult {
    let pgs = pg::interfaces(t)?;
    for b in start..start + count {
        let bd_id = bds.map[&b];
        for j in bd_if_range(b) {
            t.api().request(&SwInterfaceSetL2Bridge {
                rx_sw_if_index: pgs[j].sw_if_index(),
                bd_id,
                enable: false,
                ..SwInterfaceSetL2Bridge::default()
            })?;
            bds.pg_in_bd.retain(|&x| x != j);
            tracing::info!(
                "pg-interface {} removed from bridge domain ID {bd_id}",
                pgs[j].name()
            );
        }
        t.api().request(&BridgeDomainAddDelV2 {
            bd_id,
            is_add: false,
            ..BridgeDomainAddDelV2::default()
        })?;
        bds.map.remove(&b);
        bds.list.retain(|&x| x != bd_id);
        bds.deleted.push(bd_id);
        tracing::info!("Bridge domain ID {bd_id} deleted");
    }
    Ok(())
}

fn create_stream(
    t: &mut TestCase,
    pgs: &[PgInterface],
    i: usize,
    infos: &mut PacketInfos,
) -> Vec<Packet> {
    let src_if = &pgs[i];
    let src_hosts = hosts_of(src_if);
    let mut pkts = Vec::new();
    for dst_if in flows(pgs, i) {
        for (dmac, dip) in hosts_of(&dst_if) {
            let info = infos.create(src_if, &dst_if);
            let (smac, sip) = src_hosts[t.rng().usize(..src_hosts.len())];
            let mut p = Ether::new(smac, dmac)
                / Ipv4::new(sip, dip)
                / Udp::new(1234, 1234)
                / Raw::new(info.to_payload());
            infos.set_data(&info, p.clone());
            extend_packet(&mut p, SIZES[t.rng().usize(..SIZES.len())], b" ");
            pkts.push(p);
        }
    }
    tracing::debug!(
        "Input stream created for port {}. Length: {} pkt(s)",
        src_if.name(),
        pkts.len()
    );
    pkts
}

fn verify_capture(
    t: &mut TestCase,
    pgs: &[PgInterface],
    i: usize,
    infos: &PacketInfos,
) -> TestResult {
    let dst_if = &pgs[i];
    let dst = dst_if.sw_if_index();
    let capture = dst_if.get_capture(t, infos.count_for(dst))?;
    let last = crate::flows::verify_ip4_udp_capture(dst, &capture, infos)?;
    // As the original: every source's packets arrived (the first source
    // at least, the way its check accumulates).
    let mut remaining = 0;
    let mut s = String::new();
    for src in flows(pgs, i) {
        if infos
            .next_for_interface2(src.sw_if_index(), dst, last.last(src.sw_if_index()))
            .is_none()
        {
            s.push_str(&format!(
                "Port {dst}: Packet expected from source {} didn't arrive\n",
                src.sw_if_index()
            ));
            remaining += 1;
        }
        assert_ne!(0, remaining, "{s}");
    }
    Ok(())
}

fn set_bd_flags(t: &mut TestCase, bd_id: u32, flags: &[(BdFlags, bool)]) -> TestResult {
    for &(flag, on) in flags {
        t.api().request(&BridgeFlags {
            bd_id,
            is_set: on,
            flags: flag,
        })?;
    }
    tracing::info!("Bridge domain ID {bd_id} updated");
    Ok(())
}

/// Whether bridge domain `bd_id` exists, checking the flags given.
fn verify_bd(t: &mut TestCase, bd_id: u32, flags: &[(BdFlags, bool)]) -> TestResult<bool> {
    let dump = t.api().dump(&BridgeDomainDump {
        bd_id,
        sw_if_index: u32::MAX,
    })?;
    let Some(bd) = dump.first() else {
        tracing::info!("Bridge domain ID {bd_id} is not configured");
        return Ok(false);
    };
    for &(flag, expected) in flags {
        let status = match flag {
            BdFlags::Learn => bd.learn,
            BdFlags::Fwd => bd.forward,
            BdFlags::Flood => bd.flood,
            BdFlags::UuFlood => bd.uu_flood,
            BdFlags::ArpTerm => bd.arp_term,
            other => return Err(format!("Unknown feature used: {other:?}").into()),
        };
        assert_eq!(expected, status, "{flag:?} of bridge domain {bd_id}");
    }
    Ok(true)
}

fn run_verify_test(t: &mut TestCase, bds: &Bds) -> TestResult {
    let pgs = pg::interfaces(t)?;
    let mut infos = PacketInfos::new();
    for &i in &bds.pg_in_bd {
        let pkts = create_stream(t, &pgs, i, &mut infos);
        pgs[i].add_stream(t, &pkts)?;
    }
    let in_bd: Vec<PgInterface> = bds.pg_in_bd.iter().map(|&i| pgs[i].clone()).collect();
    pg::enable_capture(t, &in_bd)?;
    pg::start(t)?;
    for &i in &bds.pg_in_bd {
        verify_capture(t, &pgs, i, &infos)?;
    }
    Ok(())
}

/// L2BD Multi-instance Test Case
#[vpp_test(
    name = "TestL2bdMultiInst",
    set_up_class = set_up_class,
    tear_down = tear_down,
    // VPP's bridge domains.
    requires_messages = ["bridge_domain_add_del_v2"]
)]
mod l2bd_multi_instance {
    use super::*;
    use BdFlags::{Flood, Fwd, Learn, UuFlood};

    /// L2BD Multi-instance test 1 - create 5 BDs
    #[vpp_test]
    fn test_l2bd_inst_01(t: &mut TestCase) -> TestResult {
        let mut bds = Bds::default();
        create_bd_and_mac_learn(t, &mut bds, 5, 1)?;
        for bd_id in bds.list.clone() {
            assert!(verify_bd(t, bd_id, &[])?);
        }
        run_verify_test(t, &bds)?;
        delete_bd(t, &mut bds, 5, 1)
    }

    /// L2BD Multi-instance test 2 - update data of 5 BDs
    #[vpp_test]
    fn test_l2bd_inst_02(t: &mut TestCase) -> TestResult {
        let mut bds = Bds::default();
        create_bd_and_mac_learn(t, &mut bds, 5, 1)?;
        let l = bds.list.clone();
        set_bd_flags(
            t,
            l[0],
            &[
                (Learn, false),
                (Fwd, false),
                (Flood, false),
                (UuFlood, false),
            ],
        )?;
        set_bd_flags(t, l[1], &[(Fwd, false)])?;
        set_bd_flags(t, l[2], &[(Flood, false)])?;
        set_bd_flags(t, l[3], &[(UuFlood, false)])?;
        set_bd_flags(t, l[4], &[(Learn, false)])?;
        verify_bd(
            t,
            l[0],
            &[
                (Learn, false),
                (Fwd, false),
                (Flood, false),
                (UuFlood, false),
            ],
        )?;
        verify_bd(
            t,
            l[1],
            &[(Learn, true), (Fwd, false), (Flood, true), (UuFlood, true)],
        )?;
        verify_bd(
            t,
            l[2],
            &[(Learn, true), (Fwd, true), (Flood, false), (UuFlood, true)],
        )?;
        verify_bd(
            t,
            l[3],
            &[(Learn, true), (Fwd, true), (Flood, true), (UuFlood, false)],
        )?;
        verify_bd(
            t,
            l[4],
            &[(Learn, false), (Fwd, true), (Flood, true), (UuFlood, true)],
        )?;
        delete_bd(t, &mut bds, 5, 1)
    }

    /// L2BD Multi-instance test 3 - delete 2 BDs
    #[vpp_test]
    fn test_l2bd_inst_03(t: &mut TestCase) -> TestResult {
        let mut bds = Bds::default();
        create_bd_and_mac_learn(t, &mut bds, 5, 1)?;
        delete_bd(t, &mut bds, 2, 1)?;
        for bd_id in bds.deleted.clone() {
            assert!(!verify_bd(t, bd_id, &[])?);
        }
        for bd_id in bds.list.clone() {
            assert!(verify_bd(t, bd_id, &[])?);
        }
        run_verify_test(t, &bds)?;
        delete_bd(t, &mut bds, 3, 3)
    }

    /// L2BD Multi-instance test 4 - add 2 BDs
    #[vpp_test]
    fn test_l2bd_inst_04(t: &mut TestCase) -> TestResult {
        let mut bds = Bds::default();
        create_bd_and_mac_learn(t, &mut bds, 2, 1)?;
        for bd_id in bds.list.clone() {
            assert!(verify_bd(t, bd_id, &[])?);
        }
        run_verify_test(t, &bds)?;
        delete_bd(t, &mut bds, 2, 1)
    }

    /// L2BD Multi-instance test 5 - delete 5 BDs
    #[vpp_test]
    fn test_l2bd_inst_05(t: &mut TestCase) -> TestResult {
        let mut bds = Bds::default();
        create_bd_and_mac_learn(t, &mut bds, 5, 1)?;
        delete_bd(t, &mut bds, 5, 1)?;
        for bd_id in bds.deleted.clone() {
            assert!(!verify_bd(t, bd_id, &[])?);
        }
        for bd_id in bds.list.clone() {
            assert!(verify_bd(t, bd_id, &[])?);
        }
        Ok(())
    }
}
