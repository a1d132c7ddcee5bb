//! Port of `test/test_pg.py`: packet-generator interfaces in Ethernet, IPv4
//! and IPv6 modes, with checksum offload and GSO.

use asf_core::packet::{Ether, Ipv4, Ipv6, Packet, Raw, Tcp, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::pg::{self, PgConfig, PgInterface, PgMode};

/// The original's setUp: pg0 Ethernet, pg1 IPv4, pg2 IPv6, pg3 with
/// checksum offload, pg4 with GSO (segment size 1458); addresses, ARP and ND.
fn set_up(t: &mut TestCase) -> TestResult {
    let mode = |mode| PgConfig {
        mode,
        ..PgConfig::default()
    };
    pg::create_interfaces(t, [0])?;
    pg::create_interfaces_with(t, [1], mode(PgMode::Ip4))?;
    pg::create_interfaces_with(t, [2], mode(PgMode::Ip6))?;
    pg::create_interfaces_with(
        t,
        [3],
        PgConfig {
            csum_offload: true,
            ..PgConfig::default()
        },
    )?;
    pg::create_interfaces_with(
        t,
        [4],
        PgConfig {
            gso_size: Some(1458),
            ..PgConfig::default()
        },
    )?;
    let [pg0, pg1, pg2, pg3, pg4] = five(t)?;
    for i in [&pg0, &pg1, &pg2, &pg3, &pg4] {
        i.admin_up(t)?;
    }
    for i in [&pg0, &pg1, &pg3, &pg4] {
        i.config_ip4(t)?;
    }
    for i in [&pg0, &pg2] {
        i.config_ip6(t)?;
    }
    pg0.resolve_arp(t)?;
    pg3.resolve_arp(t)?;
    pg4.resolve_arp(t)?;
    pg0.resolve_ndp(t, std::time::Duration::from_secs(1))?;
    Ok(())
}

fn tear_down(t: &mut TestCase) -> TestResult {
    let [pg0, pg1, pg2, pg3, pg4] = five(t)?;
    for i in [&pg0, &pg1, &pg3, &pg4] {
        i.unconfig_ip4(t)?;
    }
    for i in [&pg0, &pg2] {
        i.unconfig_ip6(t)?;
    }
    for i in [&pg0, &pg1, &pg2, &pg3, &pg4] {
        i.admin_down(t)?;
    }
    Ok(())
}

fn five(t: &TestCase) -> TestResult<[PgInterface; 5]> {
    let all = pg::interfaces(t)?;
    all.try_into()
        .map_err(|v: Vec<PgInterface>| format!("expected 5 pg interfaces, have {}", v.len()).into())
}

fn times(p: Packet, n: usize) -> Vec<Packet> {
    vec![p; n]
}

/// PG Test Case
#[vpp_test(
    name = "TestPg",
    set_up = set_up,
    tear_down = tear_down,
    // GSO and checksum offload on pg interfaces (the stand-in has neither).
    requires_messages = ["pg_interface_enable_disable_coalesce"]
)]
mod pg_test {
    use super::*;

    /// IP[46] Tunnel Mode PG
    #[vpp_test]
    fn test_pg_tun(t: &mut TestCase) -> TestResult {
        let [pg0, pg1, pg2, _, _] = five(t)?;
        const N_PKTS: usize = 31;
        let payload = Raw::new([b'0'; 48]);

        // v4 tun to ethernet
        let p =
            Ipv4::new(pg1.remote_ip4(), pg0.remote_ip4()) / Udp::new(1234, 1234) / payload.clone();
        for rx in pg::send_and_expect(t, &pg1, &times(p, N_PKTS), &pg0)? {
            assert_eq!(rx.expect::<Ether>().dst, pg0.remote_mac());
            assert_eq!(rx.expect::<Ipv4>().dst, pg0.remote_ip4());
        }

        // v6 tun to ethernet
        let p =
            Ipv6::new(pg2.remote_ip6(), pg0.remote_ip6()) / Udp::new(1234, 1234) / payload.clone();
        for rx in pg::send_and_expect(t, &pg2, &times(p, N_PKTS), &pg0)? {
            assert_eq!(rx.expect::<Ether>().dst, pg0.remote_mac());
            assert_eq!(rx.expect::<Ipv6>().dst, pg0.remote_ip6());
        }

        // eth to v4 tun
        let p = Ether::new(pg0.remote_mac(), pg0.local_mac())
            / Ipv4::new(pg0.remote_ip4(), pg1.remote_ip4())
            / Udp::new(1234, 1234)
            / payload.clone();
        for rx in pg::send_and_expect(t, &pg0, &times(p, N_PKTS), &pg1)? {
            assert!(!rx.has::<Ether>(), "{rx}");
            assert_eq!(rx.expect::<Ipv4>().dst, pg1.remote_ip4());
        }

        // eth to v6 tun
        let p = Ether::new(pg0.remote_mac(), pg0.local_mac())
            / Ipv6::new(pg0.remote_ip6(), pg2.remote_ip6())
            / Udp::new(1234, 1234)
            / payload;
        for rx in pg::send_and_expect(t, &pg0, &times(p, N_PKTS), &pg2)? {
            assert!(!rx.has::<Ether>(), "{rx}");
            assert_eq!(rx.expect::<Ipv6>().dst, pg2.remote_ip6());
        }
        Ok(())
    }

    /// PG Interface Offload
    #[vpp_test]
    fn test_pg_offload(t: &mut TestCase) -> TestResult {
        let [pg0, _, _, pg3, pg4] = five(t)?;
        const N_PKTS: usize = 31;

        let mut udp = Udp::new(1234, 1234);
        udp.chksum = Some(0);
        let p03 = Ether::new(pg3.remote_mac(), pg3.local_mac())
            / Ipv4::new(pg3.remote_ip4(), pg0.remote_ip4())
            / udp
            / Raw::new([b'0'; 48]);
        for rx in pg::send_and_expect(t, &pg3, &times(p03, N_PKTS), &pg0)? {
            assert_eq!(rx.expect::<Ether>().src, pg0.local_mac());
            assert_eq!(rx.expect::<Ether>().dst, pg0.remote_mac());
            // The offloaded checksums were filled in: none may be zero.
            rx.verify_checksums(false)?;
            assert_eq!(rx.expect::<Ipv4>().dst, pg0.remote_ip4());
        }

        let p04 = Ether::new(pg4.remote_mac(), pg4.local_mac())
            / Ipv4::new(pg4.remote_ip4(), pg3.remote_ip4()).flags(Ipv4::DF)
            / Tcp::new(1234, 1234)
            / Raw::new(vec![0xa5; 65200]);
        for rx in pg::send_and_expect(t, &pg4, &times(p04, N_PKTS), &pg3)? {
            assert_eq!(rx.expect::<Ether>().src, pg3.local_mac());
            assert_eq!(rx.expect::<Ether>().dst, pg3.remote_mac());
            assert_eq!(rx.expect::<Ipv4>().dst, pg3.remote_ip4());
        }

        let r = t.cli_return_response("show errors")?;
        assert_eq!(r.retval, 0);
        assert!(
            r.reply.contains(
                "31               pg3-tx              gso disabled on itf  -- gso packet    error"
            ),
            "{}",
            r.reply
        );
        Ok(())
    }
}
