//! Port of `test/test_l2xc.py`: two pairs of pg interfaces cross-connected
//! at layer 2, with packets of several sizes from ten hosts each way.

use std::net::Ipv4Addr;

use asf_core::packet::{Ether, Ipv4, Mac, Packet, Raw, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::l2::SwInterfaceSetL2Xconnect;
use asf_vocab::pg::{self, extend_packet, PacketInfos, PgInterface};

const HOSTS_NR: u32 = 10;
const SIZES: [usize; 4] = [64, 512, 1518, 9018];

/// A test host: `00:00:00:ff:<sw_if_index>:<j>`, `172.17.1<sw_if_index in hex>.<j>`.
fn host(sw_if_index: u32, j: u32) -> (Mac, Ipv4Addr) {
    let mac = Mac([0, 0, 0, 0xff, sw_if_index as u8, j as u8]);
    let ip = format!("172.17.1{sw_if_index:02x}.{j}")
        .parse()
        .expect("sw_if_index below 0x100 keeps the address valid");
    (mac, ip)
}

fn set_up_class(t: &mut TestCase) -> TestResult {
    let pgs = pg::create_interfaces(t, 0..4)?;
    for (rx, tx) in [(0, 1), (1, 0), (2, 3), (3, 2)] {
        t.api().request(&SwInterfaceSetL2Xconnect {
            rx_sw_if_index: pgs[rx].sw_if_index(),
            tx_sw_if_index: pgs[tx].sw_if_index(),
            enable: true,
        })?;
    }
    for i in &pgs {
        i.admin_up(t)?;
    }
    Ok(())
}

/// pg0 <-> pg1, pg2 <-> pg3.
fn peer(pgs: &[PgInterface], i: usize) -> PgInterface {
    pgs[i ^ 1].clone()
}

/// The packets of `src` (index `i` of the class's interfaces), and their
/// infos with the packet as sent before padding.
fn create_stream(
    t: &mut TestCase,
    pgs: &[PgInterface],
    i: usize,
    n: usize,
    infos: &mut PacketInfos,
) -> Vec<Packet> {
    let src = &pgs[i];
    let dst = peer(pgs, i);
    (0..n)
        .map(|_| {
            let (dmac, dip) = host(dst.sw_if_index(), t.rng().u32(..HOSTS_NR));
            let (smac, sip) = host(src.sw_if_index(), t.rng().u32(..HOSTS_NR));
            let info = infos.create(src, &dst);
            let mut p = Ether::new(smac, dmac)
                / Ipv4::new(sip, dip)
                / Udp::new(1234, 1234)
                / Raw::new(info.to_payload());
            infos.set_data(&info, p.clone());
            let size = SIZES[t.rng().usize(..SIZES.len())];
            extend_packet(&mut p, size, b" ");
            p
        })
        .collect()
}

fn run_l2xc_test(t: &mut TestCase, n: usize) -> TestResult {
    let pgs = pg::interfaces(t)?;
    let mut infos = PacketInfos::new();
    for i in 0..pgs.len() {
        let pkts = create_stream(t, &pgs, i, n, &mut infos);
        pgs[i].add_stream(t, &pkts)?;
    }
    pg::enable_capture(t, &pgs)?;
    pg::start(t)?;
    for i in &pgs {
        let capture = i.get_capture(t, infos.count_for(i.sw_if_index()))?;
        tracing::info!("Verifying capture on interface {}", i.name());
        crate::flows::verify_ip4_udp_capture(i.sw_if_index(), &capture, &infos)?;
    }
    Ok(())
}

/// L2XC Test Case
#[vpp_test(
    name = "TestL2xc",
    set_up_class = set_up_class,
    show_at_teardown = ["show l2patch"]
)]
mod l2xc {
    use super::*;

    /// L2XC single-loop test
    #[vpp_test]
    fn test_l2xc_sl(t: &mut TestCase) -> TestResult {
        run_l2xc_test(t, 2)
    }

    /// L2XC dual-loop test
    #[vpp_test]
    fn test_l2xc_dl(t: &mut TestCase) -> TestResult {
        run_l2xc_test(t, 257)
    }
}
