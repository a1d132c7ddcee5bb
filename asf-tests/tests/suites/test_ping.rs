//! Port of `test/test_ping.py`: VPP's `ping` CLI and API send echo
//! requests out of a pg interface.

use std::time::Duration;

use crate::api::ping::{PingFinishedEvent, WantPingFinishedEvents};
use asf_core::packet::{Icmp, Ipv4, Packet};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::objects::{self, IpInterfaceAddress, IpRoute, Neighbor, RoutePath};
use asf_vocab::pg::{self, PgInterface};

fn set_up_class(t: &mut TestCase) -> TestResult {
    for i in pg::create_interfaces(t, 0..2)? {
        i.admin_up(t)?;
        i.config_ip4(t)?;
        i.config_ip6(t)?;
        i.disable_ipv6_ra(t)?;
        i.resolve_arp(t)?;
        i.resolve_ndp(t, Duration::from_secs(1))?;
    }
    Ok(())
}

fn pg1(t: &TestCase) -> TestResult<PgInterface> {
    pg::interface(t, "pg1")
}

/// Every pg interface captures, and the generator runs once (no streams).
fn arm(t: &mut TestCase) -> TestResult {
    let all = pg::interfaces(t)?;
    pg::enable_capture(t, &all)?;
    pg::start(t)
}

/// The original's `verify_ping_request`: returns the ICMP layer.
fn verify_ping_request(p: &Packet, src: &str, dst: &str, seq: u16) -> Icmp {
    let ip = p.expect::<Ipv4>();
    assert_eq!(ip.version, 4);
    assert_eq!(ip.flags, 0);
    assert_eq!(ip.src.to_string(), src);
    assert_eq!(ip.dst.to_string(), dst);
    assert_eq!(ip.proto, Some(1));
    assert!(ip.options.is_empty());
    assert!(ip.ttl >= 254, "ttl {}", ip.ttl);
    let icmp = p.expect::<Icmp>();
    assert_eq!(icmp.ty, 8);
    assert_eq!(icmp.code, 0);
    assert_eq!(icmp.seq(), seq);
    icmp.clone()
}

/// Checks `out` as a run of pings from pg1: `per_seq` requests per
/// sequence number from 1, one ICMP id.
fn verify_run(out: &[Packet], src: &str, dst: &str, per_seq: usize) {
    let mut id = None;
    for (n, p) in out.iter().enumerate() {
        let icmp = verify_ping_request(p, src, dst, (n / per_seq + 1) as u16);
        assert_eq!(*id.get_or_insert(icmp.id()), icmp.id());
    }
}

/// Ping Test Case
#[vpp_test(
    name = "TestPing",
    set_up_class = set_up_class,
    show_at_teardown = ["show hardware"],
    // Python skips the class when the ping plugin is excluded.
    requires_messages = ["want_ping_finished_events"]
)]
mod ping {
    use super::*;

    /// basic ping test
    #[vpp_test]
    fn test_ping_basic(t: &mut TestCase) -> TestResult {
        arm(t)?;
        t.ppcli("show ip4 neighbors")?;
        t.ppcli("show ip6 neighbors")?;
        let pg1 = pg1(t)?;
        let ret = t.cli(&format!(
            "ping {} interval 0.01 repeat 10",
            pg1.remote_ip4()
        ));
        tracing::info!("{ret:?}");
        let out = pg1.get_capture(t, 10);
        t.cli("show error")?;
        verify_run(
            &out?,
            &pg1.local_ip4().to_string(),
            &pg1.remote_ip4().to_string(),
            1,
        );
        Ok(())
    }

    /// burst ping test
    #[vpp_test]
    fn test_ping_burst(t: &mut TestCase) -> TestResult {
        arm(t)?;
        t.ppcli("show ip neighbors")?;
        let pg1 = pg1(t)?;
        let ret = t.cli(&format!("ping {} interval 0.01 burst 3", pg1.remote_ip4()));
        tracing::info!("{ret:?}");
        let out = pg1.get_capture(t, 3 * 5);
        t.cli("show error")?;
        verify_run(
            &out?,
            &pg1.local_ip4().to_string(),
            &pg1.remote_ip4().to_string(),
            3,
        );
        Ok(())
    }

    /// ping with source address set
    #[vpp_test]
    fn test_ping_src(t: &mut TestCase) -> TestResult {
        arm(t)?;
        t.ppcli("show ip4 neighbors")?;
        t.ppcli("show ip6 neighbors")?;
        let pg1 = pg1(t)?;
        let nbr_addr = "10.0.0.2";
        objects::add(
            t,
            IpInterfaceAddress::new(pg1.sw_if_index(), "10.0.0.1", 24)?,
        )?;
        objects::add(
            t,
            Neighbor::new(pg1.sw_if_index(), "00:11:22:33:44:55", nbr_addr)?,
        )?;

        t.cli(&format!("ping {} interval 0.01 repeat 3", pg1.remote_ip4()))?;
        let out = pg1.get_capture(t, 3)?;
        verify_run(
            &out,
            &pg1.local_ip4().to_string(),
            &pg1.remote_ip4().to_string(),
            1,
        );

        arm(t)?;
        t.cli(&format!("ping {nbr_addr} interval 0.01 repeat 3"))?;
        let out = pg1.get_capture(t, 3)?;
        verify_run(&out, "10.0.0.1", nbr_addr, 1);
        Ok(())
    }

    /// ping destination routed according to FIB table
    #[vpp_test]
    fn test_ping_fib_routed_dst(t: &mut TestCase) -> TestResult {
        let pg1 = pg1(t)?;
        pg1.generate_remote_hosts(1);
        arm(t)?;
        let routed_dst = "10.0.2.0";
        t.ppcli("show ip4 neighbors")?;
        let nh = pg1.remote_hosts()[0].ip4.into();
        objects::add(
            t,
            IpRoute::new(
                &format!("{routed_dst}/24"),
                [RoutePath::via(nh, pg1.sw_if_index())],
            )?,
        )?;
        let ret = t.cli(&format!("ping {routed_dst} interval 0.01 repeat 3"));
        tracing::info!("{ret:?}");
        let out = pg1.get_capture(t, 3);
        t.cli("show error")?;
        verify_run(&out?, &pg1.local_ip4().to_string(), routed_dst, 1);
        Ok(())
    }

    /// ping api
    #[vpp_test]
    fn test_ping_api(t: &mut TestCase) -> TestResult {
        arm(t)?;
        let pg1 = pg1(t)?;
        let ret = t.api().request(&WantPingFinishedEvents {
            address: std::net::IpAddr::V4(pg1.remote_ip4()).into(),
            repeat: 4,
            interval: 0.2,
        })?;
        tracing::info!("{ret:?}");
        let ev = t
            .api()
            .wait_for_event_typed::<PingFinishedEvent>(Duration::from_secs(1))?;
        tracing::info!("{ev:?}");
        assert_eq!(ev.request_count, 4);
        let out = pg1.get_capture(t, 4);
        t.cli("show error")?;
        verify_run(
            &out?,
            &pg1.local_ip4().to_string(),
            &pg1.remote_ip4().to_string(),
            1,
        );
        Ok(())
    }
}
