//! Port of `test/test_ip6.py`, class by class, with VPP's framework's class
//! and test names, in its alphabetical test order within a class. The
//! classes not yet here are listed in `docs/porting.md` (issue 22 is
//! open).

use std::net::Ipv6Addr;
use std::time::Duration;

use asf_core::api::vpp::interface::SwInterfaceAddDelAddress;
use asf_core::api::vpp::ip::{FibPathType, IpRouteLookup};
use asf_core::objects::{
    self, IpInterfaceAddress, IpMRoute, IpRoute, Loopback, MRoutePath, RoutePath, VppObject,
};
use asf_core::packet::{Ether, Icmpv6, Ipv6, Packet, Raw, Udp};
use asf_core::pg::{self, PgInterface};
use asf_core::{vpp_test, TestCase, TestResult};

/// `NUM_PKTS` of VPP's framework.
#[allow(dead_code)]
const NUM_PKTS: usize = 67;

fn v6(s: &str) -> Ipv6Addr {
    s.parse().expect("an IPv6 address")
}

/// How long `resolve_ndp` waits for VPP's advertisement (its default).
const NDP_TIMEOUT: Duration = Duration::from_secs(1);

/// `count` pg interfaces, up, with VPP's IPv6 address, resolved.
fn pgs_up_ip6(t: &mut TestCase, count: u32) -> TestResult<Vec<PgInterface>> {
    let p = pg::create_interfaces(t, 0..count)?;
    for i in &p {
        i.admin_up(t)?.config_ip6(t)?.resolve_ndp(t, NDP_TIMEOUT)?;
    }
    Ok(p)
}

fn one_pg_set_up(t: &mut TestCase) -> TestResult {
    pgs_up_ip6(t, 1)?;
    Ok(())
}

fn unconfig_down(t: &mut TestCase) -> TestResult {
    for i in pg::interfaces(t)? {
        i.unconfig_ip6(t)?.admin_down(t)?;
    }
    Ok(())
}

/// `ip_route_lookup`: the route found, or the negative retval.
fn route_lookup(t: &mut TestCase, prefix: &str, exact: bool) -> TestResult<Result<String, i32>> {
    let r = t.api().request_raw(&IpRouteLookup {
        table_id: 0,
        exact: u8::from(exact),
        prefix: prefix.parse()?,
    })?;
    Ok(if r.retval == 0 {
        Ok(r.route.prefix.to_string())
    } else {
        Err(r.retval)
    })
}

fn lookup_set_up(t: &mut TestCase) -> TestResult {
    // Add 3 routes
    for dst in [
        "2001:1111::/32",
        "2001:1111:2222::/48",
        "2001:1111:2222::1/128",
    ] {
        objects::add(t, IpRoute::new(dst, [RoutePath::drop(v6("::1").into())])?)?;
    }
    Ok(())
}

/// IPv6 Route Lookup Test Case
#[vpp_test(
    name = "TestIPv6RouteLookup",
    set_up = lookup_set_up,
    requires_messages = ["ip_route_lookup"]
)]
mod route_lookup_tests {
    use super::*;

    /// (no docstring in the original)
    #[vpp_test]
    fn test_exact_match(t: &mut TestCase) -> TestResult {
        // Verify we find the host route
        let prefix = "2001:1111:2222::1/128";
        assert_eq!(route_lookup(t, prefix, true)?, Ok(prefix.to_string()));
        // Verify we find a middle prefix route
        let prefix = "2001:1111:2222::/48";
        assert_eq!(route_lookup(t, prefix, true)?, Ok(prefix.to_string()));
        // Verify we do not find an available LPM.
        assert!(matches!(route_lookup(t, "2001::2/128", true)?, Err(r) if r < 0));
        Ok(())
    }

    /// (no docstring in the original)
    #[vpp_test]
    fn test_longest_prefix_match(t: &mut TestCase) -> TestResult {
        // verify we find lpm
        let lpm_prefix = "2001:1111:2222::/48";
        assert_eq!(
            route_lookup(t, "2001:1111:2222::2/128", false)?,
            Ok(lpm_prefix.to_string())
        );
        // Verify we find the exact when not requested
        assert_eq!(
            route_lookup(t, lpm_prefix, false)?,
            Ok(lpm_prefix.to_string())
        );
        // Can't seem to delete the default route so no negative LPM test.
        Ok(())
    }
}

/// `find_route(self, addr, 128)`.
fn route_in_fib(t: &mut TestCase, addr: &str) -> TestResult<bool> {
    objects::find_route(t.api(), 0, &format!("{addr}/128").parse()?, false)
}

/// IPv6 Interface Addr Route Test Case
#[vpp_test(
    name = "TestIPv6IfAddrRoute",
    set_up = one_pg_set_up,
    tear_down = unconfig_down,
    requires_messages = ["ip_route_dump"]
)]
mod if_addr_route {
    use super::*;

    /// Delete an interface address that does not exist
    #[vpp_test]
    fn test_ipv6_ifaddr_del(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        let lo = Loopback::create(t)?;
        let lo_if = pg::interface_of(t, lo.sw_if_index)?;
        lo_if.config_ip6(t)?.admin_up(t)?;
        // try and remove pg0's subnet from lo
        let r = t.api().request_raw(&SwInterfaceAddDelAddress {
            sw_if_index: lo.sw_if_index,
            is_add: false,
            del_all: false,
            prefix: pg0.local_ip6_prefix().parse()?,
        })?;
        assert!(
            r.retval < 0,
            "removing an address lo does not have answered {}",
            r.retval
        );
        Ok(())
    }

    /// IPv6 Interface Addresses Same Prefix test
    ///
    /// Test scenario:
    ///
    ///     - Verify no route in FIB for prefix 2001:10::/64
    ///     - Configure IPv4 address 2001:10::10/64  on an interface
    ///     - Verify route in FIB for prefix 2001:10::/64
    ///     - Configure IPv4 address 2001:10::20/64 on an interface
    ///     - Delete 2001:10::10/64 from interface
    ///     - Verify route in FIB for prefix 2001:10::/64
    ///     - Delete 2001:10::20/64 from interface
    ///     - Verify no route in FIB for prefix 2001:10::/64
    #[vpp_test]
    fn test_ipv6_ifaddrs_same_prefix(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        let (addr1, addr2) = ("2001:10::10", "2001:10::20");
        let if_addr1 = IpInterfaceAddress::new(pg0.sw_if_index(), addr1, 64)?;
        let if_addr2 = IpInterfaceAddress::new(pg0.sw_if_index(), addr2, 64)?;
        let routes = |t: &mut TestCase| -> TestResult<(bool, bool)> {
            Ok((route_in_fib(t, addr1)?, route_in_fib(t, addr2)?))
        };
        assert!(!if_addr1.query_vpp_config(t.api())?);
        assert_eq!(routes(t)?, (false, false));
        // configure first address, verify route present
        let if_addr1 = objects::add(t, if_addr1)?;
        assert!(if_addr1.query_vpp_config(t.api())?);
        assert_eq!(routes(t)?, (true, false));
        // configure second address, delete first, verify route not removed
        let if_addr2 = objects::add(t, if_addr2)?;
        objects::remove(t, &if_addr1)?;
        assert!(!if_addr1.query_vpp_config(t.api())?);
        assert!(if_addr2.query_vpp_config(t.api())?);
        assert_eq!(routes(t)?, (false, true));
        // delete second address, verify route removed
        objects::remove(t, &if_addr2)?;
        assert!(!if_addr1.query_vpp_config(t.api())?);
        assert_eq!(routes(t)?, (false, false));
        Ok(())
    }
}

fn echo_set_up(t: &mut TestCase) -> TestResult {
    for i in pg::create_interfaces(t, 0..1)? {
        i.admin_up(t)?.config_ip6(t)?;
        i.resolve_ndp_link_local(t, NDP_TIMEOUT)?;
        i.resolve_ndp(t, NDP_TIMEOUT)?;
    }
    Ok(())
}

/// ICMPv6 Echo Test Case
#[vpp_test(
    name = "TestICMPv6Echo",
    set_up = echo_set_up,
    tear_down = unconfig_down,
    // Exclude tests requiring Ping plugin
    requires_plugins = ["ping_plugin.so"]
)]
mod icmpv6_echo {
    use super::*;

    /// VPP replies to ICMPv6 Echo Request
    ///
    /// Test scenario:
    ///
    ///     - Receive ICMPv6 Echo Request message on pg0 interface.
    ///     - Check outgoing ICMPv6 Echo Reply message on pg0 interface.
    #[vpp_test]
    fn test_icmpv6_echo(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        // test both with global and local ipv6 addresses
        let dsts = [pg0.local_ip6(), pg0.local_ip6_ll(t)?];
        let (id, seq) = (0xb, 5);
        let data = [0x0a; 18];
        let p: Vec<Packet> = dsts
            .iter()
            .map(|&dst| {
                Ether::new(pg0.remote_mac(), pg0.local_mac())
                    / Ipv6::new(pg0.remote_ip6(), dst)
                    / Icmpv6::echo_request(id, seq)
                    / Raw::new(data)
            })
            .collect();
        pg0.add_stream(t, &p)?;
        pg::enable_capture(t, &[pg0.clone()])?;
        pg::start(t)?;
        let rxs = pg0.get_capture(t, dsts.len())?;
        for (rx, dst) in rxs.iter().zip(dsts) {
            let ether = rx.expect::<Ether>();
            let ipv6 = rx.expect::<Ipv6>();
            let icmpv6 = rx.expect::<Icmpv6>();
            assert_eq!(ether.src, pg0.local_mac());
            assert_eq!(ether.dst, pg0.remote_mac());
            assert_eq!(ipv6.src, dst);
            assert_eq!(ipv6.dst, pg0.remote_ip6());
            // "Echo Reply"
            assert_eq!(icmpv6.ty, Icmpv6::ECHO_REPLY);
            assert_eq!((icmpv6.id(), icmpv6.seq()), (id, seq));
            assert_eq!(rx.expect::<Raw>().load, data);
        }
        Ok(())
    }
}

/// A route of one path of `path_type` (`VppRoutePath("::", 0xffffffff,
/// type=...)`).
fn special(t: &mut TestCase, dst: &str, path_type: FibPathType) -> TestResult<IpRoute> {
    let path = RoutePath::via(v6("::").into(), u32::MAX).of_type(path_type);
    objects::add(t, IpRoute::new(dst, [path])?)
}

/// IPv6 routes via NULL
#[vpp_test(
    name = "TestIP6Null",
    set_up = one_pg_set_up,
    tear_down = unconfig_down,
    requires_messages = ["ip_route_dump"]
)]
mod ip6_null {
    use super::*;

    /// IP NULL route
    #[vpp_test]
    fn test_ip_null(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        let p = Ether::new(pg0.remote_mac(), pg0.local_mac())
            / Ipv6::new(pg0.remote_ip6(), v6("2001::1"))
            / Udp::new(1234, 1234)
            / Raw::new([0xa5; 100]);
        for (dst, path_type, code) in [
            // A route via IP NULL that will reply with ICMP unreachables
            // (0 = "No route to destination")
            ("2001::/64", FibPathType::IcmpUnreach, 0),
            // A route via IP NULL that will reply with ICMP prohibited
            // (1 = "Communication with destination administratively
            // prohibited")
            ("2001::1/128", FibPathType::IcmpProhibit, 1),
        ] {
            special(t, dst, path_type)?;
            let rx = pg::send_and_expect(t, &pg0, std::slice::from_ref(&p), &pg0)?.remove(0);
            let icmp = rx.expect::<Icmpv6>();
            assert_eq!((icmp.ty, icmp.code), (Icmpv6::DEST_UNREACH, code));
            if code == 0 {
                // ICMP is rate limited. pause a bit
                t.sleep(1.0, "ICMP is rate limited");
            }
        }
        Ok(())
    }
}

fn disabled_set_up(t: &mut TestCase) -> TestResult {
    // create 2 pg interfaces
    let p = pg::create_interfaces(t, 0..2)?;
    // PG0 is IP enabled
    p[0].admin_up(t)?
        .config_ip6(t)?
        .resolve_ndp(t, NDP_TIMEOUT)?;
    // PG 1 is not IP enabled
    p[1].admin_up(t)?;
    Ok(())
}

/// The tear-down of TestIP6Disabled: it unconfigures IPv4, which it never
/// configured (so pg0 keeps its IPv6 address, as in the original).
fn disabled_tear_down(t: &mut TestCase) -> TestResult {
    for i in pg::interfaces(t)? {
        i.unconfig_ip4(t)?.admin_down(t)?;
    }
    Ok(())
}

/// IPv6 disabled
#[vpp_test(
    name = "TestIP6Disabled",
    set_up = disabled_set_up,
    tear_down = disabled_tear_down,
    requires_messages = ["ip_mroute_add_del"]
)]
mod ip6_disabled {
    use super::*;

    /// IP Disabled
    #[vpp_test]
    fn test_ip_disabled(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        // An (S,G).
        // one accepting interface, pg0, 2 forwarding interfaces
        objects::add(
            t,
            IpMRoute {
                table_id: 0,
                src: v6("::").into(),
                grp: v6("ffef::1").into(),
                grp_len: 128,
                entry_flags: 0,
                rpf_id: 0,
                paths: vec![
                    // MFIB_API_ITF_FLAG_ACCEPT, MFIB_API_ITF_FLAG_FORWARD
                    MRoutePath {
                        sw_if_index: pg1.sw_if_index(),
                        itf_flags: 2,
                    },
                    MRoutePath {
                        sw_if_index: pg0.sw_if_index(),
                        itf_flags: 4,
                    },
                ],
            },
        )?;
        let from_pg1 = |dst: Ipv6Addr| {
            Ether::new(pg1.remote_mac(), pg1.local_mac())
                / Ipv6::new(v6("2001::1"), dst)
                / Udp::new(1234, 1234)
                / Raw::new([0xa5; 100])
        };
        let pu = from_pg1(pg0.remote_ip6());
        let pm = from_pg1(v6("ffef::1"));
        let both = [pu, pm];
        // PG1 does not forward IP traffic
        for p in &both {
            pg::send_and_assert_no_replies(t, pg1, std::slice::from_ref(p), "IPv6 disabled")?;
        }
        // IP enable PG1
        pg1.config_ip6(t)?;
        // Now we get packets through
        for p in &both {
            pg1.add_stream(t, std::slice::from_ref(p))?;
            pg::enable_capture(t, &[pg0.clone(), pg1.clone()])?;
            pg::start(t)?;
            pg0.get_capture(t, 1)?;
        }
        // Disable PG1
        pg1.unconfig_ip6(t)?;
        // PG1 does not forward IP traffic
        for p in &both {
            pg::send_and_assert_no_replies(t, pg1, std::slice::from_ref(p), "IPv6 disabled")?;
        }
        Ok(())
    }
}
