//! asf's pg helpers beyond what the ports use: a worker's stream, and the
//! counters a send may be asked to move.

use asf_core::case::{DiffGroup, StatsDiff};
use asf_core::packet::{Ether, Ipv4, Packet, Raw, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::l2::SwInterfaceSetL2Xconnect;
use asf_vocab::pg::{self, PgInterface, SendOptions};

fn cross_connected(t: &mut TestCase) -> TestResult {
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

fn frames(pg0: &PgInterface, pg1: &PgInterface, n: usize) -> Vec<Packet> {
    (0..n)
        .map(|i| {
            Ether::new(pg0.remote_mac(), pg1.remote_mac())
                / Ipv4::new(pg0.remote_ip4(), pg1.remote_ip4())
                / Udp::new(1234, 1000 + i as u16)
                / Raw::new(b"worker")
        })
        .collect()
}

fn pair(t: &TestCase) -> TestResult<[PgInterface; 2]> {
    pg::interfaces(t)?
        .try_into()
        .map_err(|_| "two pg interfaces".into())
}

/// pg streams of a worker
#[vpp_test(name = "TestPgWorker", workers = 1, set_up_class = cross_connected)]
mod worker_stream {
    use super::*;

    /// a stream handled by worker 0 crosses the cross-connect
    #[vpp_test]
    fn test_worker_stream(t: &mut TestCase) -> TestResult {
        let [pg0, pg1] = pair(t)?;
        let o = SendOptions {
            worker: Some(0),
            ..SendOptions::default()
        };
        let rx = pg::send_and_expect_with(t, &pg0, &frames(&pg0, &pg1, 17), &pg1, &o)?;
        assert_eq!(rx.len(), 17);
        assert!(pg0.in_path(Some(0)).ends_with("pg0_wrk0_in.pcap"));
        Ok(())
    }
}

/// pg sends checked against interface counters
#[vpp_test(
    name = "TestPgStats",
    set_up_class = cross_connected,
    // Interface counters that move with traffic: the stand-in keeps none.
    requires_messages = ["bridge_domain_dump"]
)]
mod send_stats {
    use super::*;

    /// a send moves the output interface's tx counter by what it sent
    #[vpp_test]
    fn test_stats_diff(t: &mut TestCase) -> TestResult {
        let [pg0, pg1] = pair(t)?;
        let diff = StatsDiff(vec![
            (
                DiffGroup::Interface(pg1.sw_if_index()),
                vec![("/if/tx".into(), 9)],
            ),
            (
                DiffGroup::Interface(pg0.sw_if_index()),
                vec![("/if/rx".into(), 9)],
            ),
        ]);
        let o = SendOptions {
            stats_diff: Some(diff),
            ..SendOptions::default()
        };
        pg::send_and_expect_with(t, &pg0, &frames(&pg0, &pg1, 9), &pg1, &o)?;
        Ok(())
    }
}
