//! Port of `test/test_ip_ecmp.py`: a route with fifteen equal-cost paths
//! over three interfaces spreads flows over every next hop.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use asf_core::packet::{Ether, Ipv4, Ipv6, Mac, Packet, Raw, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::objects::{self, IpRoute, RoutePath};
use asf_vocab::pg::{self, extend_packet, PacketInfo, PacketInfos, PgInterface};

const N_PKTS_IN_STREAM: usize = 300;
const SIZES: [usize; 3] = [64, 1500, 9018];

fn set_up_class(t: &mut TestCase) -> TestResult {
    for i in pg::create_interfaces(t, 0..4)? {
        i.admin_up(t)?;
        i.generate_remote_hosts(5);
        i.config_ip4(t)?;
        i.resolve_arp(t)?;
        i.configure_ipv4_neighbors(t)?;
        i.config_ip6(t)?;
        i.resolve_ndp(t, Duration::from_secs(1))?;
        i.configure_ipv6_neighbors(t)?;
    }
    Ok(())
}

fn tear_down_class(t: &mut TestCase) -> TestResult {
    for i in pg::interfaces(t)? {
        i.unconfig_ip4(t)?;
        i.unconfig_ip6(t)?;
        i.admin_down(t)?;
    }
    Ok(())
}

/// A random address of the prefix `start/len` (the original's
/// `get_ip_address`: `start + randint(0, 2^(max - len) - 2)`).
fn get_ip_address(t: &mut TestCase, start: IpAddr, len: u32) -> IpAddr {
    match start {
        IpAddr::V4(a) => {
            let span = (1u64 << (32 - len)) - 2;
            IpAddr::V4((u32::from(a) + t.rng().u64(..=span) as u32).into())
        }
        IpAddr::V6(a) => {
            let span = (1u128 << (128 - len)) - 2;
            IpAddr::V6((u128::from(a) + t.rng().u128(..=span)).into())
        }
    }
}

fn create_stream(
    t: &mut TestCase,
    src_if: &PgInterface,
    src_start: IpAddr,
    dst_start: IpAddr,
    len: u32,
    infos: &mut PacketInfos,
    sent: &mut HashMap<i32, Packet>,
) -> Vec<Packet> {
    (0..N_PKTS_IN_STREAM)
        .map(|_| {
            let info = infos.create(src_if, src_if);
            let (src, dst) = (
                get_ip_address(t, src_start, len),
                get_ip_address(t, dst_start, len),
            );
            let ip: Packet = match (src, dst) {
                (IpAddr::V4(s), IpAddr::V4(d)) => Ipv4::new(s, d).into(),
                (IpAddr::V6(s), IpAddr::V6(d)) => Ipv6::new(s, d).into(),
                _ => unreachable!("one family"),
            };
            let mut p = Ether::new(src_if.remote_mac(), src_if.local_mac())
                / ip
                / Udp::new(1234, 1234)
                / Raw::new(info.to_payload());
            sent.insert(info.index, p.clone());
            let size = SIZES[t.rng().usize(..SIZES.len())];
            extend_packet(&mut p, size, b" ");
            p
        })
        .collect()
}

/// The addresses of the IP layer of a packet.
fn addresses(p: &Packet) -> Option<(IpAddr, IpAddr)> {
    if let Some(ip) = p.get::<Ipv4>() {
        return Some((ip.src.into(), ip.dst.into()));
    }
    p.get::<Ipv6>().map(|ip| (ip.src.into(), ip.dst.into()))
}

/// Checks what `rx_if` got: to one of its hosts, from its MAC, the
/// addresses sent; every host got some. Returns how many.
fn verify_capture(
    rx_if: &PgInterface,
    capture: &[Packet],
    sent: &mut HashMap<i32, Packet>,
) -> TestResult<usize> {
    tracing::info!("Verifying capture on interface {}", rx_if.name());
    let mut counters: HashMap<Mac, usize> =
        rx_if.remote_hosts().iter().map(|h| (h.mac, 0)).collect();
    for p in capture {
        let check = || -> TestResult<i32> {
            let info = PacketInfo::of(p)?;
            let original = sent
                .get(&info.index)
                .ok_or("a packet sent twice or never")?;
            let eth = p.get::<Ether>().ok_or("not Ethernet")?;
            if !counters.contains_key(&eth.dst) {
                return Err(format!(
                    "Destination MAC address {} shouldn't be routed via interface {}",
                    eth.dst,
                    rx_if.name()
                )
                .into());
            }
            assert_eq!(eth.src, rx_if.local_mac());
            assert_eq!(addresses(p), addresses(original));
            Ok(info.index)
        };
        match check() {
            Ok(index) => {
                *counters.get_mut(&p.expect::<Ether>().dst).expect("checked") += 1;
                sent.remove(&index);
            }
            Err(e) => {
                tracing::error!("Unexpected or invalid packet:\n{}", p.show());
                return Err(e);
            }
        }
    }
    let mut count = 0;
    for (mac, n) in counters {
        assert_ne!(n, 0, "No packet routed via host {mac}");
        tracing::info!(
            "{n} packets routed via host {mac} of {} interface",
            rx_if.name()
        );
        count += n;
    }
    tracing::info!(
        "Total amount of {count} packets routed via {} interface",
        rx_if.name()
    );
    Ok(count)
}

/// A route to `dst/len` through every remote host of pg1..pg3.
fn create_ip_routes(t: &mut TestCase, dst: &str, len: u32, is_ipv6: bool) -> TestResult {
    let mut paths = Vec::new();
    for pg_if in &pg::interfaces(t)?[1..] {
        for h in pg_if.remote_hosts() {
            let nh: IpAddr = if is_ipv6 { h.ip6.into() } else { h.ip4.into() };
            paths.push(RoutePath::via(nh, pg_if.sw_if_index()));
        }
    }
    objects::add(t, IpRoute::new(&format!("{dst}/{len}"), paths)?)?;
    tracing::debug!("{}", t.ppcli("show ip fib")?);
    tracing::debug!("{}", t.ppcli("show ip6 fib")?);
    Ok(())
}

fn run(t: &mut TestCase, src_net: &str, dst_net: &str, len: u32) -> TestResult {
    let is_ipv6 = dst_net.contains(':');
    create_ip_routes(t, dst_net, len, is_ipv6)?;
    let all = pg::interfaces(t)?;
    let mut infos = PacketInfos::new();
    let mut sent = HashMap::new();
    let pkts = create_stream(
        t,
        &all[0],
        src_net.parse()?,
        dst_net.parse()?,
        len,
        &mut infos,
        &mut sent,
    );
    all[0].add_stream(t, &pkts)?;
    pg::enable_capture(t, &all)?;
    pg::start(t)?;
    // We expect packets on pg1, pg2 and pg3, but not on pg0
    let mut rx_count = 0;
    for pg_if in &all[1..] {
        let capture = pg_if.capture(t)?;
        assert_ne!(capture.len(), 0, "No packets captured on {}", pg_if.name());
        rx_count += verify_capture(pg_if, &capture, &mut sent)?;
    }
    all[0].assert_nothing_captured_remark(t, "IP packets forwarded on pg0")?;
    // Check that all packets were forwarded via pg1, pg2 and pg3
    assert_eq!(rx_count, pkts.len());
    Ok(())
}

/// Equal-cost multi-path routing Test Case
#[vpp_test(
    name = "TestECMP",
    set_up_class = set_up_class,
    tear_down_class = tear_down_class,
    show_at_teardown = ["show ip4 neighbors", "show ip6 neighbors"]
)]
mod ecmp {
    use super::*;

    /// IP equal-cost multi-path routing test
    #[vpp_test]
    fn test_ip_ecmp(t: &mut TestCase) -> TestResult {
        run(t, "16.0.0.1", "32.0.0.1", 24)
    }

    /// IPv6 equal-cost multi-path routing test
    #[vpp_test]
    fn test_ip6_ecmp(t: &mut TestCase) -> TestResult {
        run(t, "3ffe:51::1", "3ffe:71::1", 64)
    }
}
