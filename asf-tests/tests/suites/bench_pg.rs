//! The time of one `send_and_expect` through an L2 cross-connect, of 1 and
//! of 257 packets: the per-call cost of asf's packet path (build, pcap,
//! stream, capture, read, dissect) against VPP's framework's, which
//! `asf-tests/bench/test_pg_bench.py` measures the same way on the same
//! VPP. Extended (`--extended`); the medians go to the class log and, with
//! `ASF_BENCH_OUT=<file>`, to that file as JSON.

use std::time::Instant;

use asf_core::packet::{Ether, Ipv4, Packet, Raw, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::l2::SwInterfaceSetL2Xconnect;
use asf_vocab::pg::{self, PgInterface};

const CALLS: usize = 30;

fn set_up_class(t: &mut TestCase) -> TestResult {
    let pgs = pg::create_interfaces(t, 0..2)?;
    for (rx, tx) in [(0, 1), (1, 0)] {
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

fn packets(pg0: &PgInterface, pg1: &PgInterface, n: usize) -> Vec<Packet> {
    (0..n)
        .map(|i| {
            Ether::new(pg0.remote_mac(), pg1.remote_mac())
                / Ipv4::new(pg0.remote_ip4(), pg1.remote_ip4())
                / Udp::new(1234, 1234 + i as u16)
                / Raw::new([b'x'; 100])
        })
        .collect()
}

/// Median seconds of `CALLS` calls of `send_and_expect` with `n` packets.
fn time(t: &mut TestCase, n: usize) -> TestResult<f64> {
    let [pg0, pg1]: [PgInterface; 2] = pg::interfaces(t)?
        .try_into()
        .map_err(|_| "two pg interfaces")?;
    let mut times = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let started = Instant::now();
        let pkts = packets(&pg0, &pg1, n);
        let rx = pg::send_and_expect(t, &pg0, &pkts, &pg1)?;
        assert_eq!(rx.len(), n);
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let median = times[CALLS / 2];
    tracing::info!(
        "send_and_expect of {n} packets: median {:.2} ms over {CALLS} calls",
        median * 1e3
    );
    if let Ok(out) = std::env::var("ASF_BENCH_OUT") {
        let line =
            format!("{{\"framework\": \"asf\", \"packets\": {n}, \"median_s\": {median}}}\n");
        use std::io::Write;
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(out)?
            .write_all(line.as_bytes())?;
    }
    Ok(median)
}

/// send_and_expect timing
#[vpp_test(extended, name = "BenchSendAndExpect", set_up_class = set_up_class)]
mod pg_bench {
    use super::*;

    /// one packet per call
    #[vpp_test]
    fn test_one(t: &mut TestCase) -> TestResult {
        time(t, 1).map(drop)
    }

    /// 257 packets per call
    #[vpp_test]
    fn test_257(t: &mut TestCase) -> TestResult {
        time(t, 257).map(drop)
    }
}
