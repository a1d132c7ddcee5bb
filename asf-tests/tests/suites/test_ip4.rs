//! Port of `test/test_ip4.py`: every class, with VPP's framework's class
//! and test names, in its alphabetical test order within a class.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use asf_core::errors::ApiError;
use asf_core::packet::{Dot1Q, Ether, GtpU, Icmp, Ipv4, Ipv6, Mpls, Packet, Raw, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::interface::{SwInterfaceAddDelAddress, SwInterfaceSetIpDirectedBroadcast};
use asf_vocab::api::ip::{
    AddDelIpPuntRedirectV2, FibPathType, IpFlowHashConfig, IpFlowHashConfigV2, IpRouteLookup,
    PuntRedirectV2, SetIpFlowHash, SetIpFlowHashRouterId, SetIpFlowHashV2, SetIpFlowHashV3,
};
use asf_vocab::api::ip_types::AddressFamily;
use asf_vocab::api::punt::{IpProto, Punt, PuntL4, PuntType, PuntUnion, SetPunt};
use asf_vocab::objects::{
    self, IpInterfaceAddress, IpPathMtu, IpRoute, IpTable, Loopback, Neighbor, RoutePath, VppObject,
};
use asf_vocab::pg::{self, extend_packet, PacketInfos, PgInterface, SubInterface};

use crate::ip_shared::{
    address_replace_test, deag_test, fib_test, interface_rx, punt_police_and_redirect,
    punt_policer_handoff, punt_redirect_dump, redirect, table_replace, DeagAddresses, Port,
    ReplaceFamily,
};

/// `NUM_PKTS` of VPP's framework.
const NUM_PKTS: usize = 67;

fn v4(s: &str) -> Ipv4Addr {
    s.parse().expect("an IPv4 address")
}

/// The ports of TestIPv4: pg0, pg1.100 and the 802.1ad pg2.200.
#[derive(Default)]
struct Ports(Vec<Port>);

fn ipv4_set_up(t: &mut TestCase) -> TestResult {
    // create 3 pg interfaces
    let p = pg::create_interfaces(t, 0..3)?;
    // create 2 subinterfaces for pg1 and pg2
    let subs = [
        SubInterface::dot1q(t, &p[1], 100)?,
        SubInterface::dot1ad(t, &p[2], 200, 300, 400)?,
    ];
    // setup all interfaces
    for i in &p {
        i.admin_up(t)?.config_ip4(t)?.resolve_arp(t)?;
    }
    for s in &subs {
        s.admin_up(t)?;
        s.intf().config_ip4(t)?;
        s.resolve_arp(t)?;
    }
    t.class_data::<Ports>().0 = vec![
        Port::Pg(p[0].clone()),
        Port::Sub(subs[0].clone()),
        Port::Sub(subs[1].clone()),
    ];
    Ok(())
}

fn ports(t: &mut TestCase) -> Vec<Port> {
    t.class_data::<Ports>().0.clone()
}

/// IPv4 Test Case
#[vpp_test(
    name = "TestIPv4",
    set_up = ipv4_set_up,
    show_at_teardown = ["show ip4 neighbors"],
    // Sub-interfaces (the stand-in has none).
    requires_messages = ["create_subif"]
)]
mod ipv4 {
    use super::*;

    /// IPv4 FIB test
    ///
    /// Test scenario:
    ///
    ///     - Create IPv4 stream for pg0 interface
    ///     - Create IPv4 tagged streams for pg1's and pg2's sub-interface.
    ///     - Send and verify received packets on each interface.
    #[vpp_test]
    fn test_fib(t: &mut TestCase) -> TestResult {
        let all = ports(t);
        fib_test(t, &all, false)
    }
}

/// `ip_route_lookup`: the route found, or the negative retval.
fn route_lookup(
    t: &mut TestCase,
    prefix: &str,
    exact: bool,
    table_id: u32,
) -> TestResult<Result<String, i32>> {
    let r = t.api().request_raw(&IpRouteLookup {
        table_id,
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
    let drop_nh = || RoutePath::drop(v4("127.0.0.1").into());
    // Add 3 routes
    for dst in ["1.1.0.0/16", "1.1.1.0/24", "1.1.1.1/32"] {
        objects::add(t, IpRoute::new(dst, [drop_nh()])?)?;
    }
    objects::add(
        t,
        IpTable {
            table_id: 200,
            is_ip6: false,
        },
    )?;
    for dst in ["2.2.0.0/16", "2.2.2.0/24", "2.2.2.2/32"] {
        objects::add(t, IpRoute::new(dst, [drop_nh()])?.in_table(200))?;
    }
    Ok(())
}

/// IPv4 Route Lookup Test Case
#[vpp_test(
    name = "TestIPv4RouteLookup",
    set_up = lookup_set_up,
    requires_messages = ["ip_route_lookup"]
)]
mod route_lookup_tests {
    use super::*;

    /// (no docstring in the original)
    #[vpp_test]
    fn test_exact_match(t: &mut TestCase) -> TestResult {
        for (table, host, middle, missing) in [
            (0, "1.1.1.1/32", "1.1.1.0/24", "1.1.1.2/32"),
            (200, "2.2.2.2/32", "2.2.2.0/24", "2.2.2.1/32"),
        ] {
            // Verify we find the host route
            assert_eq!(route_lookup(t, host, true, table)?, Ok(host.to_string()));
            // Verify we find a middle prefix route
            assert_eq!(
                route_lookup(t, middle, true, table)?,
                Ok(middle.to_string())
            );
            // Verify we do not find an available LPM.
            assert!(matches!(route_lookup(t, missing, true, table)?, Err(r) if r < 0));
        }
        Ok(())
    }

    /// (no docstring in the original)
    #[vpp_test]
    fn test_longest_prefix_match(t: &mut TestCase) -> TestResult {
        for (table, lpm_prefix, inside) in [
            (0, "1.1.1.0/24", "1.1.1.2/32"),
            (200, "2.2.2.0/24", "2.2.2.1/32"),
        ] {
            // verify we find lpm
            assert_eq!(
                route_lookup(t, inside, false, table)?,
                Ok(lpm_prefix.to_string())
            );
            // Verify we find the exact when not requested
            assert_eq!(
                route_lookup(t, lpm_prefix, false, table)?,
                Ok(lpm_prefix.to_string())
            );
        }
        // Can't seem to delete the default route so no negative LPM test.
        Ok(())
    }
}

fn one_pg_set_up(t: &mut TestCase) -> TestResult {
    // create 1 pg interface
    for i in pg::create_interfaces(t, 0..1)? {
        i.admin_up(t)?.config_ip4(t)?.resolve_arp(t)?;
    }
    Ok(())
}

fn one_pg_tear_down(t: &mut TestCase) -> TestResult {
    for i in pg::interfaces(t)? {
        i.unconfig_ip4(t)?.admin_down(t)?;
    }
    Ok(())
}

/// `find_route(self, addr, 32)`.
fn route_in_fib(t: &mut TestCase, addr: &str) -> TestResult<bool> {
    objects::find_route(t.api(), 0, &format!("{addr}/32").parse()?, false)
}

/// IPv4 Interface Addr Route Test Case
#[vpp_test(
    name = "TestIPv4IfAddrRoute",
    set_up = one_pg_set_up,
    tear_down = one_pg_tear_down,
    requires_messages = ["ip_route_dump"]
)]
mod if_addr_route {
    use super::*;

    /// IPv4 Interface Addresses Same Prefix test
    ///
    /// Test scenario:
    ///
    ///     - Verify no route in FIB for prefix 10.10.10.0/24
    ///     - Configure IPv4 address 10.10.10.10/24 on an interface
    ///     - Verify route in FIB for prefix 10.10.10.0/24
    ///     - Configure IPv4 address 10.10.10.20/24 on an interface
    ///     - Delete 10.10.10.10/24 from interface
    ///     - Verify route in FIB for prefix 10.10.10.0/24
    ///     - Delete 10.10.10.20/24 from interface
    ///     - Verify no route in FIB for prefix 10.10.10.0/24
    #[vpp_test]
    fn test_ipv4_ifaddrs_same_prefix(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        // (address present, 10.10.10.10, .20, .255, .0 in the FIB)
        let check = |t: &mut TestCase,
                     addr: &IpInterfaceAddress,
                     present: bool,
                     routes: [bool; 4]|
         -> TestResult {
            assert_eq!(addr.query_vpp_config(t.api())?, present, "{addr}");
            for (a, want) in ["10.10.10.10", "10.10.10.20", "10.10.10.255", "10.10.10.0"]
                .iter()
                .zip(routes)
            {
                assert_eq!(route_in_fib(t, a)?, want, "{a}/32");
            }
            Ok(())
        };
        // create two addresses, verify route not present
        let if_addr1 = IpInterfaceAddress::new(pg0.sw_if_index(), "10.10.10.10", 24)?;
        let if_addr2 = IpInterfaceAddress::new(pg0.sw_if_index(), "10.10.10.20", 24)?;
        check(t, &if_addr1, false, [false; 4])?;
        // configure first address, verify route present
        let if_addr1 = objects::add(t, if_addr1)?;
        check(t, &if_addr1, true, [true, false, true, true])?;
        // configure second address, delete first, verify route not removed
        let if_addr2 = objects::add(t, if_addr2)?;
        objects::remove(t, &if_addr1)?;
        check(t, &if_addr1, false, [false, true, true, true])?;
        assert!(if_addr2.query_vpp_config(t.api())?);
        // delete second address, verify route removed
        objects::remove(t, &if_addr2)?;
        check(t, &if_addr2, false, [false; 4])
    }

    /// IPv4 Interface Address Route test
    ///
    /// Test scenario:
    ///
    ///     - Create loopback
    ///     - Configure IPv4 address on loopback
    ///     - Verify that address is not in the FIB
    ///     - Bring loopback up
    ///     - Verify that address is in the FIB now
    ///     - Bring loopback down
    ///     - Verify that address is not in the FIB anymore
    ///     - Bring loopback up
    ///     - Configure IPv4 address on loopback
    ///     - Verify that address is in the FIB now
    #[vpp_test]
    fn test_ipv4_ifaddr_route(t: &mut TestCase) -> TestResult {
        // create a loopback and configure IPv4
        let lo = Loopback::create(t)?;
        let lo_if = pg::interface_of(t, lo.sw_if_index)?;
        // local_ip4_prefix_len = 32
        let addr = IpInterfaceAddress::new(lo.sw_if_index, &lo_if.local_ip4().to_string(), 32)?;
        let local = lo_if.local_ip4().to_string();
        let mut a = addr.clone();
        a.add_vpp_config(t.api())?;
        // The intf was down when addr was added -> entry not in FIB
        assert!(!route_in_fib(t, &local)?);
        // When intf is brought up, entry is added
        lo_if.admin_up(t)?;
        assert!(route_in_fib(t, &local)?);
        // When intf is brought down, entry is removed
        lo_if.admin_down(t)?;
        assert!(!route_in_fib(t, &local)?);
        // Remove addr, bring up interface, re-add -> entry in FIB
        addr.remove_vpp_config(t.api())?;
        lo_if.admin_up(t)?;
        a.add_vpp_config(t.api())?;
        assert!(route_in_fib(t, &local)?);
        Ok(())
    }

    /// Delete an interface address that does not exist
    #[vpp_test]
    fn test_ipv4_ifaddr_del(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        let lo = Loopback::create(t)?;
        let lo_if = pg::interface_of(t, lo.sw_if_index)?;
        lo_if.config_ip4(t)?.admin_up(t)?;
        // try and remove pg0's subnet from lo
        let r = t.api().request_raw(&SwInterfaceAddDelAddress {
            sw_if_index: lo.sw_if_index,
            is_add: false,
            del_all: false,
            prefix: pg0.local_ip4_prefix().parse()?,
        })?;
        assert!(
            r.retval < 0,
            "removing an address lo does not have answered {}",
            r.retval
        );
        Ok(())
    }
}

/// ICMP Echo Test Case
#[vpp_test(
    name = "TestICMPEcho",
    set_up = one_pg_set_up,
    tear_down = one_pg_tear_down,
    // Exclude tests requiring Ping plugin
    requires_plugins = ["ping_plugin.so"]
)]
mod icmp_echo {
    use super::*;

    /// VPP replies to ICMP Echo Request
    ///
    /// Test scenario:
    ///
    ///     - Receive ICMP Echo Request message on pg0 interface.
    ///     - Check outgoing ICMP Echo Reply message on pg0 interface.
    #[vpp_test]
    fn test_icmp_echo(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        let (icmp_id, icmp_seq) = (0xb, 5);
        let icmp_load = [0x0a; 18];
        let p_echo_request = Ether::new(pg0.remote_mac(), pg0.local_mac())
            / Ipv4::new(pg0.remote_ip4(), pg0.local_ip4())
            / Icmp::echo_request(icmp_id, icmp_seq)
            / Raw::new(icmp_load);
        let rx = pg::send_and_expect(t, &pg0, &[p_echo_request], &pg0)?.remove(0);
        let ether = rx.expect::<Ether>();
        let ipv4 = rx.expect::<Ipv4>();
        let icmp = rx.expect::<Icmp>();
        assert_eq!(ether.src, pg0.local_mac());
        assert_eq!(ether.dst, pg0.remote_mac());
        assert_eq!(ipv4.src, pg0.local_ip4());
        assert_eq!(ipv4.dst, pg0.remote_ip4());
        assert_eq!(icmp.ty, Icmp::ECHO_REPLY);
        assert_eq!((icmp.id(), icmp.seq()), (icmp_id, icmp_seq));
        assert_eq!(rx.expect::<Raw>().load, icmp_load);
        Ok(())
    }
}

/// The class's pg interfaces, up, addressed and resolved.
fn fib_crud_set_up_class(t: &mut TestCase) -> TestResult {
    // create 3 pg interfaces
    for i in pg::create_interfaces(t, 0..3)? {
        i.admin_up(t)?.config_ip4(t)?.resolve_arp(t)?;
    }
    Ok(())
}

/// Routes to `pattern` with `{}` as `start..start + count`, /32, through
/// `next_hop` (`config_fib_many_to_one`); the routes.
fn config_fib_many_to_one(
    t: &mut TestCase,
    pattern: &str,
    next_hop: Ipv4Addr,
    count: u32,
    start: u32,
) -> TestResult<Vec<IpRoute>> {
    (start..start + count)
        .map(|i| {
            let dst = pattern.replace("{}", &i.to_string());
            objects::add(
                t,
                IpRoute::new(
                    &format!("{dst}/32"),
                    [RoutePath::via(next_hop.into(), u32::MAX)],
                )?,
            )
        })
        .collect()
}

/// Removes them (`unconfig_fib_many_to_one`); the routes removed.
fn unconfig_fib_many_to_one(
    t: &mut TestCase,
    pattern: &str,
    next_hop: Ipv4Addr,
    count: u32,
    start: u32,
) -> TestResult<Vec<IpRoute>> {
    (start..start + count)
        .map(|i| {
            let dst = pattern.replace("{}", &i.to_string());
            let r = IpRoute::new(
                &format!("{dst}/32"),
                [RoutePath::via(next_hop.into(), u32::MAX)],
            )?;
            objects::remove(t, &r)?;
            Ok(r)
        })
        .collect()
}

const FIB_CRUD_SIZES: [usize; 4] = [64, 512, 1518, 9018];

/// `count` packets from `src_if` to random ones of `routes`
/// (`create_stream`).
fn fib_crud_stream(
    t: &mut TestCase,
    infos: &mut PacketInfos,
    src_if: &PgInterface,
    dst_if: &PgInterface,
    routes: &[IpRoute],
    count: usize,
) -> Vec<Packet> {
    (0..count)
        .map(|_| {
            let dst = routes[t.rng().usize(..routes.len())].prefix.address.ip();
            let info = infos.create(src_if, dst_if);
            let dst = match dst {
                std::net::IpAddr::V4(a) => a,
                std::net::IpAddr::V6(_) => unreachable!("IPv4 routes"),
            };
            let mut p = Ether::new(src_if.remote_mac(), src_if.local_mac())
                / Ipv4::new(src_if.remote_ip4(), dst)
                / Udp::new(1234, 1234)
                / Raw::new(info.to_payload());
            infos.set_data(&info, p.clone());
            let size = FIB_CRUD_SIZES[t.rng().usize(..FIB_CRUD_SIZES.len())];
            extend_packet(&mut p, size, b" ");
            p
        })
        .collect()
}

/// Every packet `dst_interface` got is one expected, from its MAC to its
/// remote host, with the same info, addresses and ports; none is missing
/// (`verify_capture`, `_find_ip_match`).
fn fib_crud_verify(
    dst_interface: &PgInterface,
    received: &[Packet],
    expected: &[Packet],
) -> TestResult {
    assert_eq!(received.len(), expected.len());
    let key = |p: &Packet| -> TestResult<(i32, Ipv4Addr, Ipv4Addr, u16, u16)> {
        let (ip, udp) = (p.expect::<Ipv4>(), p.expect::<Udp>());
        Ok((
            asf_vocab::pg::PacketInfo::of(p)?.index,
            ip.src,
            ip.dst,
            udp.sport,
            udp.dport,
        ))
    };
    let mut to_verify = expected.iter().map(key).collect::<TestResult<Vec<_>>>()?;
    for p in received {
        let eth = p.expect::<Ether>();
        assert_eq!(eth.src, dst_interface.local_mac());
        assert_eq!(eth.dst, dst_interface.remote_mac());
        let k = key(p)?;
        let at = to_verify
            .iter()
            .position(|e| *e == k)
            .ok_or_else(|| format!("a packet that was not sent, or not so:\n{}", p.show()))?;
        to_verify.remove(at);
    }
    assert!(to_verify.is_empty());
    Ok(())
}

fn verify_route_dump(t: &mut TestCase, routes: &[IpRoute], present: bool) -> TestResult {
    for r in routes {
        assert_eq!(
            objects::find_route(t.api(), 0, &r.prefix, false)?,
            present,
            "{r}"
        );
    }
    Ok(())
}

/// Sends `(stream 1 + 3)` from pg1 and `(2 + 4)` from pg2; pg0 gets just
/// 1 and 2.
fn fib_crud_traffic(
    t: &mut TestCase,
    configured: &[IpRoute],
    deleted: &[IpRoute],
    n: usize,
) -> TestResult {
    let p = pg::interfaces(t)?;
    let mut infos = PacketInfos::new();
    let s1 = fib_crud_stream(t, &mut infos, &p[1], &p[0], configured, n);
    let s2 = fib_crud_stream(t, &mut infos, &p[2], &p[0], configured, n);
    let (s3, s4) = if deleted.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            fib_crud_stream(t, &mut infos, &p[1], &p[0], deleted, 100),
            fib_crud_stream(t, &mut infos, &p[2], &p[0], deleted, 100),
        )
    };
    p[1].add_stream(t, &[s1.clone(), s3].concat())?;
    p[2].add_stream(t, &[s2.clone(), s4].concat())?;
    pg::enable_capture(t, &p)?;
    pg::start(t)?;
    let expected = [s1, s2].concat();
    let pkts = p[0].get_capture(t, expected.len())?;
    fib_crud_verify(&p[0], &pkts, &expected)
}

/// Removes `gone` from `from` by prefix.
fn without(from: &mut Vec<IpRoute>, gone: &[IpRoute]) {
    from.retain(|r| !gone.iter().any(|g| g.prefix == r.prefix));
}

/// FIB - add/update/delete - ip4 routes
///
/// Test scenario:
///     - add 1k,
///     - del 100,
///     - add new 1k,
///     - del 1.5k
///
/// ..note:: Python API is too slow to add many routes, needs replacement.
#[vpp_test(
    name = "TestIPv4FibCrud",
    set_up_class = fib_crud_set_up_class,
    requires_messages = ["ip_route_dump"]
)]
mod fib_crud {
    use super::*;

    /// Add 1k routes
    #[vpp_test]
    fn test_1_add_routes(t: &mut TestCase) -> TestResult {
        let nh = pg::interface(t, "pg0")?.remote_ip4();
        // add 100 routes check with traffic script.
        let configured = config_fib_many_to_one(t, "10.0.0.{}", nh, 100, 0)?;
        verify_route_dump(t, &configured, true)?;
        fib_crud_traffic(t, &configured, &[], 100)
    }

    /// Delete 100 routes
    ///
    /// - delete 10 routes check with traffic script.
    #[vpp_test]
    fn test_2_del_routes(t: &mut TestCase) -> TestResult {
        let nh = pg::interface(t, "pg0")?.remote_ip4();
        // config 1M FIB entries
        let mut configured = config_fib_many_to_one(t, "10.0.0.{}", nh, 100, 0)?;
        let deleted = unconfig_fib_many_to_one(t, "10.0.0.{}", nh, 10, 10)?;
        without(&mut configured, &deleted);
        verify_route_dump(t, &configured, true)?;
        fib_crud_traffic(t, &configured, &deleted, 100)
    }

    /// Add 1k routes
    ///
    /// - re-add 5 routes check with traffic script.
    /// - add 100 routes check with traffic script.
    #[vpp_test]
    fn test_3_add_new_routes(t: &mut TestCase) -> TestResult {
        let nh = pg::interface(t, "pg0")?.remote_ip4();
        // config 1M FIB entries
        let mut configured = config_fib_many_to_one(t, "10.0.0.{}", nh, 100, 0)?;
        let mut deleted = unconfig_fib_many_to_one(t, "10.0.0.{}", nh, 10, 10)?;
        without(&mut configured, &deleted);
        let tmp = config_fib_many_to_one(t, "10.0.0.{}", nh, 5, 10)?;
        without(&mut deleted, &tmp);
        configured.extend(tmp);
        configured.extend(config_fib_many_to_one(t, "10.0.1.{}", nh, 100, 0)?);
        verify_route_dump(t, &configured, true)?;
        fib_crud_traffic(t, &configured, &deleted, 300)?;
        // delete 5 routes check with traffic script.
        // add 100 routes check with traffic script.
        let mut gone = unconfig_fib_many_to_one(t, "10.0.0.{}", nh, 15, 0)?;
        gone.extend(unconfig_fib_many_to_one(t, "10.0.0.{}", nh, 85, 0)?);
        gone.extend(unconfig_fib_many_to_one(t, "10.0.1.{}", nh, 100, 0)?);
        deleted.extend(gone);
        verify_route_dump(t, &deleted, false)
    }
}

fn two_pg_set_up(t: &mut TestCase) -> TestResult {
    // create 2 pg interfaces
    for i in pg::create_interfaces(t, 0..2)? {
        i.admin_up(t)?.config_ip4(t)?.resolve_arp(t)?;
    }
    Ok(())
}

/// A route of one path of `path_type` (`VppRoutePath("0.0.0.0",
/// 0xffffffff, type=...)`).
fn special(
    t: &mut TestCase,
    dst: &str,
    path_type: FibPathType,
    table_id: u32,
) -> TestResult<IpRoute> {
    let path = RoutePath::via(v4("0.0.0.0").into(), u32::MAX).of_type(path_type);
    objects::add(t, IpRoute::new(dst, [path])?.in_table(table_id))
}

fn udp_a5(pg0: &PgInterface, dst: Ipv4Addr) -> Packet {
    Ether::new(pg0.remote_mac(), pg0.local_mac())
        / Ipv4::new(pg0.remote_ip4(), dst)
        / Udp::new(1234, 1234)
        / Raw::new([0xa5; 100])
}

/// IPv4 routes via NULL
#[vpp_test(
    name = "TestIPNull",
    set_up = two_pg_set_up,
    tear_down = one_pg_tear_down,
    requires_messages = ["ip_route_dump"]
)]
mod ip_null {
    use super::*;

    /// IP NULL route
    #[vpp_test]
    fn test_ip_null(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        for (dst, path_type, code) in [
            // A route via IP NULL that will reply with ICMP unreachables
            ("10.0.0.1", FibPathType::IcmpUnreach, 1),
            // A route via IP NULL that will reply with ICMP prohibited
            ("10.0.0.2", FibPathType::IcmpProhibit, 10),
        ] {
            special(t, &format!("{dst}/32"), path_type, 0)?;
            let rx = pg::send_and_expect(t, &pg0, &[udp_a5(&pg0, v4(dst))], &pg0)?.remove(0);
            let icmp = rx.expect::<Icmp>();
            // dest-unreach, host-unreachable or host-prohibited
            assert_eq!((icmp.ty, icmp.code), (Icmp::DEST_UNREACH, code));
            let quoted = rx.quoted().ok_or("no quoted packet")?;
            assert_eq!(quoted.expect::<Ipv4>().src, pg0.remote_ip4());
            assert_eq!(quoted.expect::<Ipv4>().dst, v4(dst));
            // ICMP replies are rate limited. so sit and spin.
            if code == 1 {
                t.sleep(1.0, "ICMP replies are rate limited");
            }
        }
        Ok(())
    }

    /// IP NULL route remove from non-default table
    #[vpp_test]
    fn test_ip_null_remove(t: &mut TestCase) -> TestResult {
        // Create non-default table
        let table = objects::add(
            t,
            IpTable {
                table_id: 2,
                is_ip6: false,
            },
        )?;
        let ip_unreach = special(t, "10.0.0.1/32", FibPathType::IcmpUnreach, 2)?;
        let ip_prohibit = special(t, "10.0.0.2/32", FibPathType::IcmpProhibit, 2)?;
        // Should not crash
        objects::remove(t, &ip_unreach)?;
        objects::remove(t, &ip_prohibit)?;
        objects::remove(t, &table)
    }

    /// IP Drop Routes
    #[vpp_test]
    fn test_ip_drop(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        let pkts = vec![udp_a5(pg0, v4("1.1.1.1")); 67];
        objects::add(
            t,
            IpRoute::new(
                "1.1.1.0/24",
                [RoutePath::via(pg1.remote_ip4().into(), pg1.sw_if_index())],
            )?,
        )?;
        pg::send_and_expect(t, pg0, &pkts, pg1)?;
        // insert a more specific as a drop
        let r2 = special(t, "1.1.1.1/32", FibPathType::Drop, 0)?;
        pg::send_and_assert_no_replies_with(t, pg0, &pkts, &pg::SendOptions::remark("Drop Route"))?;
        objects::remove(t, &r2)?;
        pg::send_and_expect(t, pg0, &pkts, pg1)?;
        Ok(())
    }

    /// IP Drop Routes remove from non-default table
    #[vpp_test]
    fn test_ip_drop_remove(t: &mut TestCase) -> TestResult {
        // Create non-default table
        let table = objects::add(
            t,
            IpTable {
                table_id: 3,
                is_ip6: false,
            },
        )?;
        let r1 = special(t, "1.1.2.0/24", FibPathType::Drop, 3)?;
        // Insert a more specific as a drop
        let r2 = special(t, "1.1.2.1/32", FibPathType::Drop, 3)?;
        // Should not crash
        objects::remove(t, &r2)?;
        objects::remove(t, &r1)?;
        objects::remove(t, &table)
    }
}

fn disabled_set_up(t: &mut TestCase) -> TestResult {
    // create 2 pg interfaces
    let p = pg::create_interfaces(t, 0..2)?;
    // PG0 is IP enalbed
    p[0].admin_up(t)?.config_ip4(t)?.resolve_arp(t)?;
    // PG 1 is not IP enabled
    p[1].admin_up(t)?;
    Ok(())
}

/// A UDP packet from pg1's remote host with `src` to `dst`.
fn from_pg1(pg1: &PgInterface, src: Ipv4Addr, dst: Ipv4Addr) -> Packet {
    Ether::new(pg1.remote_mac(), pg1.local_mac())
        / Ipv4::new(src, dst)
        / Udp::new(1234, 1234)
        / Raw::new([0xa5; 100])
}

/// IPv4 disabled
#[vpp_test(
    name = "TestIPDisabled",
    set_up = disabled_set_up,
    tear_down = one_pg_tear_down,
    requires_messages = ["ip_mroute_add_del"]
)]
mod ip_disabled {
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
            objects::IpMRoute {
                table_id: 0,
                src: v4("0.0.0.0").into(),
                grp: v4("232.1.1.1").into(),
                grp_len: 32,
                entry_flags: 0,
                rpf_id: 0,
                paths: vec![
                    // MFIB_API_ITF_FLAG_ACCEPT, MFIB_API_ITF_FLAG_FORWARD
                    objects::MRoutePath {
                        sw_if_index: pg1.sw_if_index(),
                        itf_flags: 2,
                    },
                    objects::MRoutePath {
                        sw_if_index: pg0.sw_if_index(),
                        itf_flags: 4,
                    },
                ],
            },
        )?;
        let pu = from_pg1(pg1, v4("10.10.10.10"), pg0.remote_ip4());
        let pm = from_pg1(pg1, v4("10.10.10.10"), v4("232.1.1.1"));
        // PG1 does not forward IP traffic
        for p in [&pu, &pm] {
            pg::send_and_assert_no_replies_with(
                t,
                pg1,
                std::slice::from_ref(p),
                &pg::SendOptions::remark("IP disabled"),
            )?;
        }
        // IP enable PG1
        pg1.config_ip4(t)?;
        // Now we get packets through
        for p in [&pu, &pm] {
            pg::send_and_expect(t, pg1, std::slice::from_ref(p), pg0)?;
        }
        // Disable PG1
        pg1.unconfig_ip4(t)?;
        // PG1 does not forward IP traffic
        for p in [&pu, &pm] {
            pg::send_and_assert_no_replies_with(
                t,
                pg1,
                std::slice::from_ref(p),
                &pg::SendOptions::remark("IP disabled"),
            )?;
        }
        Ok(())
    }
}

fn sub_nets_set_up(t: &mut TestCase) -> TestResult {
    // create a 2 pg interfaces
    let p = pg::create_interfaces(t, 0..2)?;
    // pg0 we will use to experiment
    p[0].admin_up(t)?;
    // pg1 is setup normally
    p[1].admin_up(t)?.config_ip4(t)?.resolve_arp(t)?;
    Ok(())
}

fn all_down(t: &mut TestCase) -> TestResult {
    for i in pg::interfaces(t)? {
        i.admin_down(t)?;
    }
    Ok(())
}

/// IPv4 Subnets
#[vpp_test(
    name = "TestIPSubNets",
    set_up = sub_nets_set_up,
    tear_down = all_down,
    requires_messages = ["ip_route_dump"]
)]
mod ip_sub_nets {
    use super::*;

    /// IP Sub Nets
    #[vpp_test]
    fn test_ip_sub_nets(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        let sw = pg0.sw_if_index();
        // Configure a covering route to forward so we know
        // when we are dropping
        objects::add(
            t,
            IpRoute::new(
                "10.0.0.0/8",
                [RoutePath::via(pg1.remote_ip4().into(), pg1.sw_if_index())],
            )?,
        )?;
        let to = |dst: &str| from_pg1(pg1, pg0.local_ip4(), v4(dst));
        pg::send_and_expect(t, pg1, &[to("10.10.10.10")], pg1)?;
        // Configure some non-/24 subnets on an IP interface
        IpInterfaceAddress::add_del(t.api(), sw, "10.10.10.10/16", true)?;
        let (pn, pb) = (to("10.10.0.0"), to("10.10.255.255"));
        pg::send_and_assert_no_replies_with(
            t,
            pg1,
            std::slice::from_ref(&pn),
            &pg::SendOptions::remark("IP Network address"),
        )?;
        pg::send_and_assert_no_replies_with(
            t,
            pg1,
            std::slice::from_ref(&pb),
            &pg::SendOptions::remark("IP Broadcast address"),
        )?;
        // remove the sub-net and we are forwarding via the cover again
        IpInterfaceAddress::add_del(t.api(), sw, "10.10.10.10/16", false)?;
        pg::send_and_expect(t, pg1, &[pn], pg1)?;
        pg::send_and_expect(t, pg1, &[pb], pg1)?;
        // A /31 is a special case where the 'other-side' is an attached host
        // packets to that peer generate ARP requests
        //
        // Let's consider two cases:
        // Case 1: interface has the second address of /31
        let garp = |t: &mut TestCase, prefix: &str, psrc: &str, pdst: &str| -> TestResult {
            pg::enable_capture(t, &p)?;
            IpInterfaceAddress::add_del(t.api(), sw, prefix, true)?;
            let rx = pg0.get_capture(t, 1)?;
            let arp = rx[0].expect::<asf_core::packet::Arp>();
            assert_eq!((arp.psrc, arp.pdst), (v4(psrc), v4(pdst)));
            Ok(())
        };
        garp(t, "10.10.10.11/31", "10.10.10.11", "10.10.10.10")?;
        // remove the sub-net
        IpInterfaceAddress::add_del(t.api(), sw, "10.10.10.11/31", false)?;
        // Case 2: interface has the first address of /31
        garp(t, "10.10.10.10/31", "10.10.10.10", "10.10.10.11")?;
        let pn = to("10.10.10.11");
        let rx = pg::send_and_expect(t, pg1, std::slice::from_ref(&pn), pg0)?;
        let arp = rx[0].expect::<asf_core::packet::Arp>();
        assert_eq!((arp.psrc, arp.pdst), (v4("10.10.10.10"), v4("10.10.10.11")));
        // remove the sub-net and we are forwarding via the cover again
        IpInterfaceAddress::add_del(t.api(), sw, "10.10.10.10/31", false)?;
        pg::send_and_expect(t, pg1, &[pn], pg1)?;
        Ok(())
    }
}

fn vlan0_set_up(t: &mut TestCase) -> TestResult {
    let p = pg::create_interfaces(t, 0..2)?;
    objects::add(t, objects::MplsTable { table_id: 0 })?;
    for i in &p {
        i.admin_up(t)?
            .config_ip4(t)?
            .resolve_arp(t)?
            .enable_mpls(t)?;
    }
    Ok(())
}

fn vlan0_tear_down(t: &mut TestCase) -> TestResult {
    for i in pg::interfaces(t)? {
        i.disable_mpls(t)?.unconfig_ip4(t)?.admin_down(t)?;
    }
    Ok(())
}

/// IPv4 VLAN-0
#[vpp_test(
    name = "TestIPVlan0",
    set_up = vlan0_set_up,
    tear_down = vlan0_tear_down,
    requires_messages = ["mpls_table_add_del"]
)]
mod ip_vlan0 {
    use super::*;

    /// IP VLAN-0
    #[vpp_test]
    fn test_ip_vlan_0(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        let pkt = Ether::new(pg0.remote_mac(), pg0.local_mac())
            / Dot1Q::new(0)
            / Ipv4::new(pg0.remote_ip4(), pg1.remote_ip4())
            / Udp::new(1234, 1234)
            / Raw::new([0xa5; 100]);
        // Expect that packets sent on VLAN-0 are forwarded on the
        // main interface.
        pg::send_and_expect(t, pg0, &vec![pkt; 67], pg1)?;
        Ok(())
    }
}

fn three_pg_set_up(t: &mut TestCase) -> TestResult {
    for i in pg::create_interfaces(t, 0..3)? {
        i.admin_up(t)?.config_ip4(t)?.resolve_arp(t)?;
    }
    Ok(())
}

/// IPv4 Deaggregate Routes
#[vpp_test(
    name = "TestIPDeag",
    set_up = three_pg_set_up,
    tear_down = one_pg_tear_down,
    requires_messages = ["ip_route_dump"]
)]
mod ip_deag {
    use super::*;

    /// IP Deag Routes
    #[vpp_test]
    fn test_ip_deag(t: &mut TestCase) -> TestResult {
        deag_test(
            t,
            &DeagAddresses {
                dst: "1.1.1.1",
                from_dst: "5.5.5.5",
                src_dst: "1.1.1.2",
                from_src: "2.2.2.2",
                loop_dst: "2.2.2.3",
                loop_src: "2.2.2.4",
            },
        )
    }
}

/// A UDP packet from pg0's remote host to pg1's, its IPv4 header as
/// `ip` makes it, with `load` bytes of 0xa5.
fn pg0_to_pg1(p: &[PgInterface], ip: impl FnOnce(Ipv4) -> Ipv4, load: usize) -> Packet {
    Ether::new(p[0].remote_mac(), p[0].local_mac())
        / ip(Ipv4::new(p[0].remote_ip4(), p[1].remote_ip4()))
        / Udp::new(1234, 1234)
        / Raw::new(vec![0xa5; load])
}

/// Each reply is an ICMP error of `ty` and `code` that quotes a packet
/// from pg0's remote host to pg1's (`icmp.src`, `icmp.dst` in scapy read
/// the quoted header).
fn assert_icmp_errors(rxs: &[Packet], p: &[PgInterface], ty: u8, code: u8) -> TestResult {
    for rx in rxs {
        let icmp = rx.expect::<Icmp>();
        assert_eq!((icmp.ty, icmp.code), (ty, code));
        let quoted = rx.quoted().ok_or("no quoted packet")?;
        let quoted = quoted.expect::<Ipv4>();
        assert_eq!(
            (quoted.src, quoted.dst),
            (p[0].remote_ip4(), p[1].remote_ip4())
        );
    }
    Ok(())
}

/// IPv4 Input Exceptions
#[vpp_test(
    name = "TestIPInput",
    set_up = two_pg_set_up,
    tear_down = one_pg_tear_down,
    requires_messages = ["sw_interface_set_mtu"]
)]
mod ip_input {
    use super::*;

    /// IP Input Exceptions
    #[vpp_test]
    fn test_ip_input(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        let n = |pkt: Packet| vec![pkt; NUM_PKTS];
        // Packet too short - this is forwarded
        let p_short = pg0_to_pg1(
            &p,
            |ip| Ipv4 {
                len: Some(40),
                ..ip
            },
            100,
        );
        pg::send_and_expect(t, pg0, &n(p_short), pg1)?;
        // Packet too long - this is dropped
        let p_long = pg0_to_pg1(
            &p,
            |ip| Ipv4 {
                len: Some(400),
                ..ip
            },
            100,
        );
        pg::send_and_assert_no_replies_with(
            t,
            pg0,
            &n(p_long),
            &pg::SendOptions::remark("too long"),
        )?;
        // bad chksum - this is dropped
        let p_chksum = pg0_to_pg1(
            &p,
            |ip| Ipv4 {
                chksum: Some(400),
                ..ip
            },
            100,
        );
        pg::send_and_assert_no_replies_with(
            t,
            pg0,
            &n(p_chksum),
            &pg::SendOptions::remark("bad checksum"),
        )?;
        // bad version - this is dropped
        let p_ver = pg0_to_pg1(&p, |ip| Ipv4 { version: 3, ..ip }, 100);
        pg::send_and_assert_no_replies_with(
            t,
            pg0,
            &n(p_ver),
            &pg::SendOptions::remark("funky version"),
        )?;
        // fragment offset 1 - this is dropped
        let p_frag = pg0_to_pg1(&p, |ip| Ipv4 { frag: 1, ..ip }, 100);
        pg::send_and_assert_no_replies_with(
            t,
            pg0,
            &n(p_frag),
            &pg::SendOptions::remark("frag offset"),
        )?;
        // TTL expired packet
        let p_ttl = pg0_to_pg1(&p, |ip| Ipv4 { ttl: 1, ..ip }, 100);
        let rxs = pg::send_and_expect_some(t, pg0, &n(p_ttl), pg0)?;
        // time-exceeded, ttl-zero-during-transit
        assert_icmp_errors(&rxs, &p, Icmp::TIME_EXCEEDED, 0)?;
        // MTU exceeded
        let p_mtu = pg0_to_pg1(
            &p,
            |ip| Ipv4 {
                ttl: 10,
                flags: Ipv4::DF,
                ..ip
            },
            2000,
        );
        pg1.set_l3_mtu(t, 1500)?;
        let rxs = pg::send_and_expect_some(t, pg0, &n(p_mtu.clone()), pg0)?;
        // dest-unreach, fragmentation-needed
        assert_icmp_errors(&rxs, &p, Icmp::DEST_UNREACH, 4)?;
        for rx in &rxs {
            assert_eq!(rx.expect::<Icmp>().nexthopmtu(), 1500);
        }
        pg1.set_l3_mtu(t, 2500)?;
        pg::send_and_expect(t, pg0, &n(p_mtu), pg1)?;
        // Reset MTU for subsequent tests
        pg1.set_l3_mtu(t, 9000)?;
        // source address 0.0.0.0 and 25.255.255.255 and for-us
        for src in ["0.0.0.0", "255.255.255.255"] {
            let p_s0 = Ether::new(pg0.remote_mac(), pg0.local_mac())
                / Ipv4::new(v4(src), pg0.local_ip4())
                / Icmp::echo_request(4, 4)
                / Raw::new([0x0a; 18]);
            pg::send_and_assert_no_replies(t, pg0, &vec![p_s0; 17])?;
        }
        Ok(())
    }
}

fn two_pg_up(t: &mut TestCase) -> TestResult {
    for i in pg::create_interfaces(t, 0..2)? {
        i.admin_up(t)?;
    }
    Ok(())
}

fn directed_broadcast(t: &mut TestCase, i: &PgInterface, enable: bool) -> TestResult {
    t.api().request(&SwInterfaceSetIpDirectedBroadcast {
        sw_if_index: i.sw_if_index(),
        enable,
    })?;
    Ok(())
}

/// The broadcast address of `i`'s subnet (`_local_ip4_bcast`).
fn local_ip4_bcast(i: &PgInterface) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(i.local_ip4()) | 0xff)
}

/// IPv4 Directed Broadcast
#[vpp_test(
    name = "TestIPDirectedBroadcast",
    set_up = two_pg_up,
    tear_down = all_down,
    requires_messages = ["sw_interface_set_ip_directed_broadcast"]
)]
mod ip_directed_broadcast {
    use super::*;

    /// IP Directed Broadcast
    #[vpp_test]
    fn test_ip_input(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        // set the directed broadcast on pg0 first, then config IP4 addresses
        // for pg1 directed broadcast is always disabled
        directed_broadcast(t, pg0, true)?;
        let to = |from: &PgInterface, bcast: &PgInterface| {
            let pkt = Ether::new(from.remote_mac(), from.local_mac())
                / Ipv4::new(v4("1.1.1.1"), local_ip4_bcast(bcast))
                / Udp::new(1234, 1234)
                / Raw::new([0xa5; 2000]);
            vec![pkt; NUM_PKTS]
        };
        let (p0, p1) = (to(pg1, pg0), to(pg0, pg1));
        pg0.config_ip4(t)?.resolve_arp(t)?;
        pg1.config_ip4(t)?.resolve_arp(t)?;
        // test packet is L2 broadcast (Python's `assertTrue(dst, "ff:…")`
        // cannot fail; the port checks the address)
        let rx = pg::send_and_expect(t, pg1, &p0, pg0)?;
        assert_eq!(rx[0].expect::<Ether>().dst, "ff:ff:ff:ff:ff:ff".parse()?);
        pg::send_and_assert_no_replies_with(
            t,
            pg0,
            &p1,
            &pg::SendOptions::remark("directed broadcast disabled"),
        )?;
        // toggle directed broadcast on pg0
        directed_broadcast(t, pg0, false)?;
        pg::send_and_assert_no_replies_with(
            t,
            pg1,
            &p0,
            &pg::SendOptions::remark("directed broadcast disabled"),
        )?;
        directed_broadcast(t, pg0, true)?;
        pg::send_and_expect(t, pg1, &p0, pg0)?;
        pg0.unconfig_ip4(t)?;
        pg1.unconfig_ip4(t)?;
        Ok(())
    }
}

fn four_pg_set_up(t: &mut TestCase) -> TestResult {
    for i in pg::create_interfaces(t, 0..4)? {
        i.admin_up(t)?.config_ip4(t)?.resolve_arp(t)?;
    }
    Ok(())
}

/// IPv4 longest Prefix Match
#[vpp_test(
    name = "TestIPLPM",
    set_up = four_pg_set_up,
    tear_down = one_pg_tear_down,
    requires_messages = ["ip_route_dump"]
)]
mod ip_lpm {
    use super::*;

    /// IP longest Prefix Match
    #[vpp_test]
    fn test_ip_lpm(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1, pg2) = (&p[0], &p[1], &p[2]);
        let via = |i: &PgInterface| RoutePath::via(i.remote_ip4().into(), i.sw_if_index());
        objects::add(t, IpRoute::new("10.1.2.0/24", [via(pg1)])?)?;
        objects::add(t, IpRoute::new("10.0.0.0/8", [via(pg2)])?)?;
        let to = |dst: &str| {
            let pkt = Ether::new(pg0.remote_mac(), pg0.local_mac())
                / Ipv4::new(v4("1.1.1.1"), v4(dst))
                / Udp::new(1234, 1234)
                / Raw::new([0xa5; 2000]);
            vec![pkt; NUM_PKTS]
        };
        let mtrie = t.cli("sh ip fib mtrie")?;
        tracing::info!("{mtrie}");
        pg::send_and_expect(t, pg0, &to("10.1.1.1"), pg2)?;
        pg::send_and_expect(t, pg0, &to("10.1.2.1"), pg1)?;
        Ok(())
    }
}

/// IPv4 fragmentation
#[vpp_test(
    name = "TestIPv4Frag",
    set_up_class = two_pg_set_up,
    requires_messages = ["sw_interface_set_mtu"]
)]
mod ipv4_frag {
    use super::*;

    /// Fragmentation of large packets
    #[vpp_test]
    fn test_frag_large_packets(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (src_if, dst_if) = (&p[0], &p[1]);
        t.cli("adjacency counters enable")?;
        let mut pkt = Ether::new(src_if.remote_mac(), src_if.local_mac())
            / Ipv4::new(src_if.remote_ip4(), dst_if.remote_ip4())
            / Udp::new(1234, 5678)
            / Raw::new([]);
        extend_packet(&mut pkt, 6000, b"abcde");
        let saved_payload = pkt.expect::<Raw>().load.clone();
        let nbr = objects::add(
            t,
            Neighbor::new(
                dst_if.sw_if_index(),
                &dst_if.remote_mac().to_string(),
                &dst_if.remote_ip4().to_string(),
            )?,
        )?;
        // Force fragmentation by setting MTU of output interface
        // lower than packet size
        dst_if.set_l3_mtu(t, 5000)?;
        pg::enable_capture(t, &p)?;
        src_if.add_stream(t, &[pkt])?;
        pg::start(t)?;
        // Expecting 3 fragments because size of created fragments currently
        // cannot be larger then VPP buffer size (which is 2048)
        let packets = dst_if.get_capture(t, 3)?;
        // we should show 3 packets thru the neighbor
        assert_eq!(nbr.stats(t)?.packets, 3);
        // Assume VPP sends the fragments in order
        let mut payload = Vec::new();
        for p in &packets {
            let mut payload_offset = usize::from(p.expect::<Ipv4>().frag) * 8;
            if payload_offset > 0 {
                payload_offset -= 8; // UDP header is not in payload
            }
            assert_eq!(payload_offset, payload.len());
            payload.extend_from_slice(&p.expect::<Raw>().load);
        }
        assert_eq!(payload, saved_payload, "payload");
        Ok(())
    }
}

/// Four pg interfaces, up, addressed and resolved, each with two remote
/// hosts and a table of its own (1 to 4).
fn four_tables_set_up(t: &mut TestCase) -> TestResult {
    for (table_id, i) in (1..).zip(pg::create_interfaces(t, 0..4)?) {
        i.admin_up(t)?.config_ip4(t)?.resolve_arp(t)?;
        i.generate_remote_hosts(2);
        objects::add(
            t,
            IpTable {
                table_id,
                is_ip6: false,
            },
        )?;
    }
    Ok(())
}

fn down_unconfig(t: &mut TestCase) -> TestResult {
    for i in pg::interfaces(t)? {
        i.admin_down(t)?.unconfig_ip4(t)?;
    }
    Ok(())
}

/// IPv4 Table Replace
#[vpp_test(
    name = "TestIPReplace",
    set_up = four_tables_set_up,
    tear_down = down_unconfig,
    requires_messages = ["ip_table_replace_begin", "ip_mroute_dump"]
)]
mod ip_replace {
    use super::*;

    /// IP Table Replace
    #[vpp_test]
    fn test_replace(t: &mut TestCase) -> TestResult {
        table_replace(
            t,
            &ReplaceFamily {
                is_ip6: false,
                routes: 0..20,
                uni: |jj| format!("10.0.0.{jj}/32"),
                grp: |jj| IpAddr::from([239, 0, 0, jj as u8]),
                empty: (5, 3),
                check_empty_first: false,
            },
        )
    }
}

/// IPv4 Table Cover
#[vpp_test(
    name = "TestIPCover",
    set_up = four_tables_set_up,
    tear_down = down_unconfig,
    requires_messages = ["ip_route_dump"]
)]
mod ip_cover {
    use super::*;

    /// IP Table Cover
    #[vpp_test]
    fn test_cover(t: &mut TestCase) -> TestResult {
        // add a loop back with a /32 prefix
        let lo = Loopback::create(t)?;
        let lo_if = pg::interface_of(t, lo.sw_if_index)?;
        lo_if.admin_up(t)?;
        let a = objects::add(t, IpInterfaceAddress::new(lo.sw_if_index, "127.0.0.1", 32)?)?;
        // add a neighbour that matches the loopback's /32
        let mac = lo_if.remote_mac().to_string();
        objects::add(t, Neighbor::new(lo.sw_if_index, &mac, "127.0.0.1")?)?;
        // add the default route which will be the cover for /32
        let via_lo = || RoutePath::via(v4("127.0.0.1").into(), lo.sw_if_index);
        let r = objects::add(t, IpRoute::new("0.0.0.0/0", [via_lo()])?)?;
        // add/remove/add a longer mask cover
        let mut r8 = objects::add(t, IpRoute::new("127.0.0.0/8", [via_lo()])?)?;
        objects::remove(t, &r8)?;
        r8.add_vpp_config(t.api())?;
        objects::remove(t, &r8)?;
        // remove the default route
        objects::remove(t, &r)?;
        // remove the interface prefix
        objects::remove(t, &a)
    }
}

fn four_pg_up(t: &mut TestCase) -> TestResult {
    for i in pg::create_interfaces(t, 0..4)? {
        i.admin_up(t)?;
    }
    Ok(())
}

/// IPv4 Interface Address Replace
#[vpp_test(
    name = "TestIP4Replace",
    set_up = four_pg_up,
    tear_down = all_down,
    requires_messages = ["sw_interface_address_replace_begin", "ip_route_dump"]
)]
mod ip4_replace {
    use super::*;

    /// IP interface address replace
    #[vpp_test]
    fn test_replace(t: &mut TestCase) -> TestResult {
        address_replace_test(t, false, |net, x, host| format!("172.{net}.{x}.{host}"), 24)
    }
}

fn three_pg(t: &mut TestCase) -> TestResult {
    pg::create_interfaces(t, 0..3)?;
    Ok(())
}

fn table(t: &mut TestCase, table_id: u32, is_ip6: bool) -> TestResult<IpTable> {
    objects::add(t, IpTable { table_id, is_ip6 })
}

/// An attached route to `intf`'s subnet (`VppRoutePath("0.0.0.0",
/// sw_if_index)`) in `table_id`.
fn attached(
    t: &mut TestCase,
    prefix: String,
    intf: &PgInterface,
    table_id: u32,
) -> TestResult<IpRoute> {
    let path = RoutePath::via(v4("0.0.0.0").into(), intf.sw_if_index());
    objects::add(t, IpRoute::new(&prefix, [path])?.in_table(table_id))
}

/// A UDP packet in on `from` to `dst`, from `src_if`'s remote host.
fn udp_640(from: &PgInterface, src_if: &PgInterface, dst: Ipv4Addr) -> Packet {
    Ether::new(from.remote_mac(), from.local_mac())
        / Ipv4::new(src_if.remote_ip4(), dst)
        / Udp::new(1234, 5678)
        / Raw::new(b"0xa".repeat(640))
}

/// Sends `p` in on `input` and expects one packet on `output`: an ARP
/// request if `arp`, the packet forwarded otherwise.
fn expect_arp(
    t: &mut TestCase,
    input: &PgInterface,
    p: &Packet,
    output: &PgInterface,
    arp: bool,
) -> TestResult {
    if arp {
        pg::past_resolution_throttle(t);
    }
    let rx = pg::send_and_expect(t, input, std::slice::from_ref(p), output)?;
    assert_eq!(rx[0].get::<asf_core::packet::Arp>().is_some(), arp);
    Ok(())
}

/// IPv4 Interface Bind w/ attached routes
#[vpp_test(
    name = "TestIPv4ItfRebind",
    set_up = three_pg,
    requires_messages = ["ip_table_flush"]
)]
mod ipv4_itf_rebind {
    use super::*;

    /// Import of Adj FIBs
    #[vpp_test]
    fn test_adj_fib(t: &mut TestCase) -> TestResult {
        const TABLE_ID: u32 = 1;
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        table(t, TABLE_ID, false)?;
        pg1.set_table_ip4(t, TABLE_ID)?;
        pg0.generate_remote_hosts(4);
        for i in &p {
            i.admin_up(t)?.config_ip4(t)?.resolve_arp(t)?;
        }
        // add an attached route via an pg0
        // in a different table. this prefix should import
        attached(t, format!("{}/24", pg0.local_ip4()), pg0, TABLE_ID)?;
        let hosts = pg0.remote_hosts();
        let p0 = udp_640(pg1, pg1, pg0.remote_ip4());
        let p1 = udp_640(pg1, pg1, hosts[1].ip4);
        let p2 = udp_640(pg1, pg1, hosts[2].ip4);
        let nbr = |t: &mut TestCase, h: usize| -> TestResult {
            let (mac, ip) = (hosts[h].mac.to_string(), hosts[h].ip4.to_string());
            objects::add(t, Neighbor::new(pg0.sw_if_index(), &mac, &ip)?)?;
            Ok(())
        };
        // host zero has a resolved ARP entry
        for _ in 0..2 {
            expect_arp(t, pg1, &p0, pg0, false)?;
        }
        // host 1 does not
        for _ in 0..2 {
            expect_arp(t, pg1, &p1, pg0, true)?;
        }
        // resolve host 1
        nbr(t, 1)?;
        for _ in 0..2 {
            expect_arp(t, pg1, &p1, pg0, false)?;
        }
        // for host 2 start with the adj incomplete ...
        let path = RoutePath::via(hosts[2].ip4.into(), pg0.sw_if_index());
        objects::add(t, IpRoute::new("1.1.1.1/32", [path])?)?;
        for _ in 0..2 {
            expect_arp(t, pg1, &p2, pg0, true)?;
        }
        // ... then add the neighbour
        nbr(t, 2)?;
        for _ in 0..2 {
            expect_arp(t, pg1, &p2, pg0, false)?;
        }
        // cleanup
        for i in &p {
            i.unconfig_ip4(t)?;
        }
        pg1.set_table_ip4(t, 0)?;
        Ok(())
    }

    /// Swap import tables
    #[vpp_test]
    fn test_delete(t: &mut TestCase) -> TestResult {
        const TABLE_ID1: u32 = 1;
        const TABLE_ID2: u32 = 2;
        let p = pg::interfaces(t)?;
        let (pg0, pg1, pg2) = (&p[0], &p[1], &p[2]);
        let tbl1_4 = table(t, TABLE_ID1, false)?;
        let tbl1_6 = table(t, TABLE_ID1, true)?;
        table(t, TABLE_ID2, false)?;
        table(t, TABLE_ID2, true)?;
        // table mappings
        pg1.set_table_ip4(t, TABLE_ID1)?
            .set_table_ip6(t, TABLE_ID1)?;
        pg2.set_table_ip4(t, TABLE_ID2)?
            .set_table_ip6(t, TABLE_ID2)?;
        for i in &p {
            i.admin_up(t)?.config_ip4(t)?.resolve_arp(t)?;
        }
        // add an attached route in the default table via pg0
        // this should import to table 1
        attached(t, format!("{}/24", pg1.local_ip4()), pg1, 0)?;
        attached(t, format!("{}/64", pg1.local_ip6()), pg1, 0)?;
        let p1 = udp_640(pg0, pg1, pg1.remote_ip4());
        // inject into table 0
        expect_arp(t, pg0, &p1, pg1, false)?;
        // swap the attached interface to table 2
        pg1.unconfig_ip4(t)?.unconfig_ip6(t)?;
        pg1.set_table_ip4(t, TABLE_ID2)?
            .set_table_ip6(t, TABLE_ID2)?;
        pg1.config_ip4(t)?.config_ip6(t)?.resolve_arp(t)?;
        // delete table 1
        for tbl in [&tbl1_4, &tbl1_6] {
            tbl.flush(t.api())?;
        }
        for tbl in [&tbl1_4, &tbl1_6] {
            objects::remove(t, tbl)?;
        }
        expect_arp(t, pg0, &p1, pg1, false)?;
        for i in &p {
            i.unconfig_ip4(t)?.unconfig_ip6(t)?;
            i.set_table_ip4(t, 0)?.set_table_ip6(t, 0)?.admin_down(t)?;
        }
        Ok(())
    }

    /// Import to no import
    #[vpp_test]
    fn test_rebind(t: &mut TestCase) -> TestResult {
        const TABLE_ID: u32 = 1;
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        let tbl = table(t, TABLE_ID, false)?;
        pg1.set_table_ip4(t, TABLE_ID)?;
        for i in &p {
            i.admin_up(t)?.config_ip4(t)?.resolve_arp(t)?;
        }
        // add an attached route via an pg0
        // in a different table. this prefix should import
        let rt = attached(t, format!("{}/24", pg0.local_ip4()), pg0, TABLE_ID)?;
        let pkt = udp_640(pg1, pg1, pg0.remote_ip4());
        expect_arp(t, pg1, &pkt, pg0, false)?;
        // then bind pg0 to a new table
        // so the prefix no longer imports
        // (and then revert back to imported)
        for table_id in [TABLE_ID, 0] {
            pg0.unconfig_ip4(t)?;
            pg0.set_table_ip4(t, table_id)?;
            pg0.config_ip4(t)?.resolve_arp(t)?;
            expect_arp(t, pg1, &pkt, pg0, false)?;
        }
        // cleanup
        for i in &p {
            i.unconfig_ip4(t)?.set_table_ip4(t, 0)?.admin_down(t)?;
        }
        objects::remove(t, &rt)?;
        objects::remove(t, &tbl)
    }
}

/// pg0, pg1 and pg2 in tables 0, 1 and 2, up, addressed and resolved.
fn interface_rx_set_up(t: &mut TestCase) -> TestResult {
    for (table_id, i) in (0..).zip(pg::create_interfaces(t, 0..3)?) {
        i.admin_up(t)?;
        if table_id != 0 {
            table(t, table_id, false)?;
        }
        i.set_table_ip4(t, table_id)?
            .config_ip4(t)?
            .resolve_arp(t)?;
    }
    Ok(())
}

fn interface_rx_tear_down(t: &mut TestCase) -> TestResult {
    for i in pg::interfaces(t)? {
        i.unconfig_ip4(t)?.admin_down(t)?.set_table_ip4(t, 0)?;
    }
    Ok(())
}

/// IPv4 Interface Receive
#[vpp_test(
    name = "TestIP4InterfaceRx",
    set_up = interface_rx_set_up,
    tear_down = interface_rx_tear_down,
    requires_messages = ["ip_route_dump"]
)]
mod ip4_interface_rx {
    use super::*;

    /// IPv4 Interface Receive
    #[vpp_test]
    fn test_interface_rx(t: &mut TestCase) -> TestResult {
        interface_rx(
            t,
            "1.1.1.0/24",
            [("5.5.5.5", "1.1.1.1"), ("6.6.6.6", "1.1.1.2")],
        )
    }
}

/// Sends `p_2k` and `p_1k` from pg0 and expects them on pg1 in `n_2k` and
/// `n_1k` fragments.
fn expect_frags(
    t: &mut TestCase,
    p: &[PgInterface],
    pkts: &[Packet; 2],
    n_2k: usize,
    n_1k: usize,
) -> TestResult {
    for (pkt, n_rx) in pkts.iter().zip([n_2k, n_1k]) {
        let o = pg::SendOptions {
            n_rx: Some(n_rx),
            ..pg::SendOptions::default()
        };
        pg::send_and_expect_with(t, &p[0], std::slice::from_ref(pkt), &p[1], &o)?;
    }
    Ok(())
}

/// `p_2k` and `p_1k` of TestIPv4PathMTU: 1920 and 960 bytes of `b"0xa"`
/// to `dst`.
fn pmtu_pkts(pg0: &PgInterface, dst: Ipv4Addr) -> [Packet; 2] {
    [640, 320].map(|n| {
        Ether::new(pg0.remote_mac(), pg0.local_mac())
            / Ipv4::new(pg0.remote_ip4(), dst)
            / Udp::new(1234, 5678)
            / Raw::new(b"0xa".repeat(n))
    })
}

fn path_mtu_replace(
    t: &mut TestCase,
    between: impl FnOnce(&mut TestCase) -> TestResult,
) -> TestResult {
    IpPathMtu::replace_begin(t.api())?;
    between(t)?;
    IpPathMtu::replace_end(t.api())
}

/// IPv4 Path MTU
#[vpp_test(
    name = "TestIPv4PathMTU",
    set_up_class = two_pg_set_up,
    requires_messages = ["ip_path_mtu_update"]
)]
mod ipv4_path_mtu {
    use super::*;

    /// Path MTU
    #[vpp_test]
    fn test_path_mtu(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        // The goal here is not to test that fragmentation works correctly,
        // that's done elsewhere, the intent is to ensure that the Path MTU
        // settings are honoured.
        t.cli("adjacency counters enable")?;
        // set the interface MTU to a reasonable value
        pg1.set_l3_mtu(t, 1800)?;
        pg1.generate_remote_hosts(4);
        let pkts = pmtu_pkts(pg0, pg1.remote_ip4());
        let mac = pg1.remote_mac().to_string();
        let ip = pg1.remote_ip4().to_string();
        objects::add(t, Neighbor::new(pg1.sw_if_index(), &mac, &ip)?)?;
        // this is now the interface MTU frags
        expect_frags(t, &p, &pkts, 2, 1)?;
        // drop the path MTU for this neighbour to below the interface MTU
        // expect more frags
        let mut pmtu = objects::add(t, IpPathMtu::new(pg1.remote_ip4().into(), 900))?;
        expect_frags(t, &p, &pkts, 3, 2)?;
        // print/format the adj delegate
        let adj = t.cli("sh adj 5")?;
        tracing::info!("{adj}");
        // increase the path MTU to more than the interface
        // expect to use the interface MTU
        pmtu.modify(t, 8192)?;
        expect_frags(t, &p, &pkts, 2, 1)?;
        // go back to an MTU from the path
        // wrap the call around mark-n-sweep to enusre updates clear stale
        path_mtu_replace(t, |t| pmtu.modify(t, 900))?;
        expect_frags(t, &p, &pkts, 3, 2)?;
        // raise the interface's MTU
        // should still use that of the path
        pg1.set_l3_mtu(t, 2000)?;
        expect_frags(t, &p, &pkts, 3, 2)?;
        // set path high and interface low
        pmtu.modify(t, 2000)?;
        pg1.set_l3_mtu(t, 900)?;
        expect_frags(t, &p, &pkts, 3, 2)?;
        // remove the path MTU using the mark-n-sweep semantics
        pg1.set_l3_mtu(t, 1800)?;
        path_mtu_replace(t, |_| Ok(()))?;
        expect_frags(t, &p, &pkts, 2, 1)?;
        // set path MTU for a neighbour that doesn't exist, yet
        let h2 = pg1.remote_hosts()[2].clone();
        objects::add(t, IpPathMtu::new(h2.ip4.into(), 900))?;
        let pkts = pmtu_pkts(pg0, h2.ip4);
        let (mac, ip) = (h2.mac.to_string(), h2.ip4.to_string());
        let mut nbr2 = objects::add(t, Neighbor::new(pg1.sw_if_index(), &mac, &ip)?)?;
        // should frag to the path MTU
        expect_frags(t, &p, &pkts, 3, 2)?;
        // remove and re-add the neighbour
        nbr2.remove_vpp_config(t.api())?;
        nbr2.add_vpp_config(t.api())?;
        // should frag to the path MTU
        expect_frags(t, &p, &pkts, 3, 2)?;
        // set PMTUs for many peers
        const N_HOSTS: usize = 16;
        pg1.generate_remote_hosts(N_HOSTS);
        pg1.configure_ipv4_neighbors(t)?;
        let hosts = pg1.remote_hosts();
        for h in &hosts {
            let pmtu = objects::add(t, IpPathMtu::new(h.ip4.into(), 900))?;
            assert!(pmtu.query_vpp_config(t.api())?, "{pmtu} is not in VPP");
        }
        let pmtus = t.cli("sh ip pmtu")?;
        tracing::info!("{pmtus}");
        assert_eq!(IpPathMtu::dump(t.api())?.len(), N_HOSTS);
        for h in &hosts {
            // should frag to the path MTU
            expect_frags(t, &p, &pmtu_pkts(pg0, h.ip4), 3, 2)?;
        }
        Ok(())
    }
}

/// Punts UDP to `port` of `af` (`set_punt`).
fn punt_udp(t: &mut TestCase, af: AddressFamily, port: u16) -> TestResult {
    t.api().request(&SetPunt {
        is_add: true,
        punt: Punt {
            r#type: PuntType::L4,
            punt: PuntUnion::from_l4(&PuntL4 {
                af,
                protocol: IpProto::Udp,
                port,
            }),
        },
    })?;
    Ok(())
}

/// `punt_setup` of IPPuntSetup: four pg interfaces, up, addressed and
/// resolved, and UDP to port 1234 (IPv4) and 1236 (IPv6) punted.
fn punt_set_up(t: &mut TestCase) -> TestResult {
    for i in pg::create_interfaces(t, 0..4)? {
        i.admin_up(t)?.config_ip4(t)?.resolve_arp(t)?;
    }
    // use UDP packet that have a port we need to explicitly
    // register to get punted.
    punt_udp(t, AddressFamily::Ip4, 1234)?;
    punt_udp(t, AddressFamily::Ip6, 1236)
}

/// IPPuntSetup's packet: from pg0's remote host to VPP, UDP 1234.
fn punt_pkt(pg0: &PgInterface) -> Packet {
    Ether::new(pg0.remote_mac(), pg0.local_mac())
        / Ipv4::new(pg0.remote_ip4(), pg0.local_ip4())
        / Udp::new(1234, 1234)
        / Raw::new([0xa5; 100])
}

/// IPv4 Punt Police/Redirect
#[vpp_test(
    name = "TestIPPunt",
    set_up = punt_set_up,
    tear_down = one_pg_tear_down,
    requires_messages = ["ip_punt_police", "policer_add", "set_punt"]
)]
mod ip_punt {
    use super::*;

    /// IP punt police and redirect
    #[vpp_test]
    fn test_ip_punt(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let pkts = vec![punt_pkt(&p[0]); 1025];
        punt_police_and_redirect(t, &pkts, p[1].remote_ip4().into(), "ip4-punt")
    }

    /// IP punt API parameter validation
    #[vpp_test]
    fn test_ip_punt_api_validation(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        let punt = AddDelIpPuntRedirectV2 {
            is_add: true,
            punt: PuntRedirectV2 {
                rx_sw_if_index: pg0.sw_if_index(),
                af: AddressFamily::Ip4,
                paths: Vec::new(),
            },
        };
        // n_paths says 1000000 with no paths: VPP drops the message
        // unanswered (VPPIOError in Python, after its 5 s read limit).
        let r = t.api().with_timeout(Some(Duration::from_secs(2)), |api| {
            api.request_altered(&punt, |fields| {
                // is_add, rx_sw_if_index, af, then n_paths
                fields[6..10].copy_from_slice(&1_000_000u32.to_be_bytes());
            })
        });
        assert!(
            matches!(r, Err(ApiError::Timeout { .. })),
            "VPP answered a message whose count its bytes do not hold: {r:?}"
        );
        t.api().recover()?;
        t.api().request(&punt)?;
        Ok(())
    }

    /// IP4 punt redirect dump
    #[vpp_test]
    fn test_ip_punt_dump(t: &mut TestCase) -> TestResult {
        let pg3 = pg::interface(t, "pg3")?;
        punt_redirect_dump(t, pg3.remote_ip4().into(), v4("0.0.0.0").into())
    }

    /// IP punt/local with VRFs
    #[vpp_test]
    fn test_ip_punt_vrf(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1) = (&p[0], &p[1]);
        let mut vlans_pg0 = Vec::new();
        let mut vlans_pg1 = Vec::new();
        for v in 100..104 {
            vlans_pg0.push(SubInterface::dot1q(t, pg0, v)?);
        }
        for v in 100..104 {
            vlans_pg1.push(SubInterface::dot1q(t, pg1, v)?);
        }
        for is_ip6 in [false, true] {
            for table_id in 100..104 {
                table(t, table_id, is_ip6)?;
            }
        }
        for v in vlans_pg0.iter().chain(&vlans_pg1) {
            let vlan = u32::from(vlan_of(v));
            v.admin_up(t)?;
            let i = v.intf();
            i.set_table_ip4(t, vlan)?.set_table_ip6(t, vlan)?;
            i.config_ip4(t)?.config_ip6(t)?;
            v.resolve_arp(t)?.resolve_ndp(t, Duration::from_secs(1))?;
        }
        for (v0, v1) in vlans_pg0.iter().zip(&vlans_pg1) {
            for nh in [v1.intf().remote_ip4().into(), v1.intf().remote_ip6().into()] {
                objects::add(t, redirect(v0.sw_if_index(), v1.intf(), nh))?;
            }
        }
        // A packet on each pg0 VLAN from `src` to VPP's address there.
        let to_vpp = |src: &dyn Fn(&SubInterface) -> IpAddr, v6: bool| -> Vec<Packet> {
            vlans_pg0
                .iter()
                .map(|i| {
                    let eth =
                        Ether::new(pg0.remote_mac(), pg0.local_mac()) / Dot1Q::new(vlan_of(i));
                    let ip = match (v6, src(i)) {
                        (false, IpAddr::V4(s)) => eth / Ipv4::new(s, i.intf().local_ip4()),
                        (true, IpAddr::V6(s)) => eth / Ipv6::new(s, i.intf().local_ip6()),
                        _ => unreachable!("the source is of the packet's family"),
                    };
                    let port = if v6 { 1236 } else { 1234 };
                    ip / Udp::new(port, port) / Raw::new([0xa5; 100])
                })
                .collect()
        };
        let four_times = |pkts: &[Packet]| -> Vec<Packet> {
            (0..4).flat_map(|_| pkts.iter().cloned()).collect()
        };
        let n_rx = |n: usize| pg::SendOptions {
            n_rx: Some(n),
            ..pg::SendOptions::default()
        };
        let remote = |i: &SubInterface, v6: bool| -> IpAddr {
            if v6 {
                i.intf().remote_ip6().into()
            } else {
                i.intf().remote_ip4().into()
            }
        };
        let pkts = to_vpp(&|i| remote(i, false), false);
        pg::send_and_expect(t, pg0, &pkts, pg1)?;
        for (v6, stranger, counter) in [
            (
                false,
                IpAddr::from(v4("1.1.1.1")),
                "/err/ip4-local/src_lookup_miss",
            ),
            (true, "1::1".parse()?, "/err/ip6-input/src_lookup_miss"),
        ] {
            // we reject packets for source addresses in the wrong vlan/VRF
            let pkts = to_vpp(&|_| stranger, v6);
            // single and dual loop
            pg::send_and_assert_no_replies(t, pg0, &pkts[..1])?;
            pg::send_and_assert_no_replies(t, pg0, &pkts)?;
            t.assert_error_counter_equal(counter, pkts.len() as u64 + 1);
            // using the same source in different tables, should reject
            // for the table that the source is not present in
            // the first packet in the stream is drop (source of VLAN 100),
            // then accept (source of VLAN 103)
            for (k, first) in [(0, 0), (3, 3)] {
                let src = remote(&vlans_pg0[k], v6);
                let pkts = to_vpp(&|_| src, v6);
                // single loop accept and drop
                // followed by both in the same frame/loop
                pg::send_and_expect(t, pg0, &pkts[first..=first], pg1)?;
                pg::send_and_assert_no_replies(t, pg0, &pkts[1..2])?;
                pg::send_and_expect_with(t, pg0, &four_times(&pkts), pg1, &n_rx(4))?;
            }
        }
        for v in vlans_pg0.iter().chain(&vlans_pg1) {
            let i = v.intf();
            i.unconfig_ip4(t)?.unconfig_ip6(t)?;
            i.set_table_ip4(t, 0)?.set_table_ip6(t, 0)?;
        }
        Ok(())
    }
}

/// The VLAN of a one-tag sub-interface.
fn vlan_of(s: &SubInterface) -> u16 {
    match s.tags() {
        pg::Tags::Dot1Q { vlan } => vlan,
        other => panic!("{} is not a dot1q sub-interface: {other:?}", s.name()),
    }
}

/// IPv4 Punt Policer thread handoff
#[vpp_test(
    name = "TestIPPuntHandoff",
    workers = 2,
    set_up = punt_set_up,
    tear_down = one_pg_tear_down,
    requires_messages = ["policer_bind_v2", "set_punt"]
)]
mod ip_punt_handoff {
    use super::*;

    /// IP4 punt policer thread handoff
    #[vpp_test]
    fn test_ip_punt_policer_handoff(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let pkts = vec![punt_pkt(&p[0]); NUM_PKTS];
        punt_policer_handoff(t, &pkts, p[1].remote_ip4().into(), "ip4-punt")
    }
}

fn lb_set_up(t: &mut TestCase) -> TestResult {
    let p = pg::create_interfaces(t, 0..5)?;
    objects::add(t, objects::MplsTable { table_id: 0 })?;
    for i in &p {
        i.admin_up(t)?
            .config_ip4(t)?
            .resolve_arp(t)?
            .enable_mpls(t)?;
    }
    Ok(())
}

/// How many packets the captures hold (`total_len`).
fn total_len(rxs: &[Vec<Packet>]) -> usize {
    rxs.iter().map(Vec::len).sum()
}

/// `n` UDP packets from pg0's remote host, `src` and `dport` of each from
/// its index.
fn lb_udp(
    pg0: &PgInterface,
    n: usize,
    dst: &str,
    src: impl Fn(usize) -> String,
    dport: impl Fn(usize) -> u16,
) -> Vec<Packet> {
    (0..n)
        .map(|ii| {
            Ether::new(pg0.remote_mac(), pg0.local_mac())
                / Ipv4::new(v4(&src(ii)), v4(dst))
                / Udp::new(1234, dport(ii))
                / Raw::new([0xa5; 100])
        })
        .collect()
}

fn via(i: &PgInterface) -> RoutePath {
    RoutePath::via(i.remote_ip4().into(), i.sw_if_index())
}

fn recursive(nh: &str) -> RoutePath {
    RoutePath::via(v4(nh).into(), u32::MAX)
}

fn flow_hash_v2(t: &mut TestCase, config: u32) -> TestResult {
    t.api().request(&SetIpFlowHashV2 {
        af: AddressFamily::Ip4,
        table_id: 0,
        flow_hash_config: IpFlowHashConfig(config),
    })?;
    Ok(())
}

/// IPv4 Load-Balancing
#[vpp_test(
    name = "TestIPLoadBalance",
    set_up = lb_set_up,
    tear_down = vlan0_tear_down,
    requires_messages = ["set_ip_flow_hash_v3", "mpls_ip_bind_unbind"]
)]
mod ip_load_balance {
    use super::*;

    /// IP Load-Balancing
    #[vpp_test]
    fn test_ip_load_balance(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (pg0, pg1, pg2, pg3, pg4) = (&p[0], &p[1], &p[2], &p[3], &p[4]);
        let eth = || Ether::new(pg0.remote_mac(), pg0.local_mac());
        let udp_a5 = |src: String, dport: u16| {
            Ipv4::new(v4(&src), v4("10.0.0.1")) / Udp::new(1234, dport) / Raw::new([0xa5; 100])
        };
        let gtp = |teid: u32| {
            let udp = Udp {
                chksum: Some(0),
                ..Udp::new(2152, 2152)
            };
            eth()
                / Ipv4::new(v4("20.0.0.1"), v4("10.0.0.1"))
                / udp
                / GtpU::g_pdu(teid)
                / Raw::new([0xa5; 100])
        };
        // An array of packets that differ only in the destination port
        // (and of packets that differ only in the source address)
        let mut port_ip_pkts = Vec::new();
        let mut port_mpls_pkts = Vec::new();
        let mut port_gtp_pkts = Vec::new();
        let mut src_ip_pkts = Vec::new();
        let mut src_mpls_pkts = Vec::new();
        let mut src_gtp_pkts = Vec::new();
        for ii in 0..NUM_PKTS {
            let port_ip_hdr = udp_a5("20.0.0.1".into(), 1234 + ii as u16);
            port_ip_pkts.push(eth() / port_ip_hdr.clone());
            port_mpls_pkts.push(eth() / Mpls::new(66, 2) / port_ip_hdr);
            port_gtp_pkts.push(gtp(200));
            let src_ip_hdr = udp_a5(format!("20.0.0.{ii}"), 1234);
            src_ip_pkts.push(eth() / src_ip_hdr.clone());
            src_mpls_pkts.push(eth() / Mpls::new(66, 2) / src_ip_hdr);
            src_gtp_pkts.push(gtp(ii as u32));
        }
        objects::add(t, IpRoute::new("10.0.0.1/32", [via(pg1), via(pg2)])?)?;
        objects::add(t, objects::MplsIpBind::new(66, "10.0.0.1/32")?)?;
        let both = [pg1.clone(), pg2.clone()];
        // inject the packet on pg0 - expect load-balancing across the 2 paths
        //  - since the default hash config is to use IP src,dst and port
        //    src,dst
        // We are not going to ensure equal amounts of packets across each link,
        // since the hash algorithm is statistical and therefore this can never
        // be guaranteed. But with 64 different packets we do expect some
        // balancing. So instead just ensure there is traffic on each link.
        let rx = pg::send_and_expect_load_balancing(t, pg0, &port_ip_pkts, &both)?;
        let n_ip_pg0 = rx[0].len();
        pg::send_and_expect_load_balancing(t, pg0, &src_ip_pkts, &both)?;
        pg::send_and_expect_load_balancing(t, pg0, &port_mpls_pkts, &both)?;
        let rx = pg::send_and_expect_load_balancing(t, pg0, &src_mpls_pkts, &both)?;
        let n_mpls_pg0 = rx[0].len();
        // change the router ID and expect the distribution changes
        t.api().request(&SetIpFlowHashRouterId {
            router_id: 0x1111_1111,
        })?;
        let rx = pg::send_and_expect_load_balancing(t, pg0, &port_ip_pkts, &both)?;
        assert_ne!(n_ip_pg0, rx[0].len());
        let rx = pg::send_and_expect_load_balancing(t, pg0, &src_mpls_pkts, &both)?;
        assert_ne!(n_mpls_pg0, rx[0].len());
        // change the flow hash config so it's only IP src,dst
        //  - now only the stream with differing source address will
        //    load-balance
        let (src_ip, dst_ip, proto) = (
            IpFlowHashConfig::SRC_IP.0,
            IpFlowHashConfig::DST_IP.0,
            IpFlowHashConfig::PROTO.0,
        );
        flow_hash_v2(t, src_ip | dst_ip | proto)?;
        pg::send_and_expect_load_balancing(t, pg0, &src_ip_pkts, &both)?;
        pg::send_and_expect_load_balancing(t, pg0, &src_mpls_pkts, &both)?;
        pg::send_and_expect_only(t, pg0, &port_ip_pkts, pg2)?;
        // this case gtp v1 teid key LB
        t.api().request(&SetIpFlowHashV3 {
            af: AddressFamily::Ip4,
            table_id: 0,
            flow_hash_config: IpFlowHashConfigV2(
                IpFlowHashConfigV2::SRC_IP.0
                    | IpFlowHashConfigV2::PROTO.0
                    | IpFlowHashConfigV2::GTPV1_TEID.0,
            ),
        })?;
        let fib = t.cli("show ip fib")?;
        tracing::info!("{fib}");
        pg::send_and_expect_load_balancing(t, pg0, &src_gtp_pkts, &both)?;
        pg::send_and_expect_only(t, pg0, &port_gtp_pkts, pg2)?;
        // change the flow hash config back to defaults
        t.api().request(&SetIpFlowHash {
            vrf_id: 0,
            src: true,
            dst: true,
            proto: true,
            sport: true,
            dport: true,
            ..SetIpFlowHash::default()
        })?;
        // Recursive prefixes
        //  - testing that 2 stages of load-balancing occurs and there is no
        //    polarisation (i.e. only 2 of 4 paths are used)
        let port_pkts = lb_udp(
            pg0,
            257,
            "1.1.1.1",
            |_| "20.0.0.1".into(),
            |ii| 1234 + ii as u16,
        );
        let src_pkts = lb_udp(
            pg0,
            257,
            "1.1.1.1",
            |ii| format!("20.0.0.{}", ii % 256),
            |_| 1234,
        );
        objects::add(t, IpRoute::new("10.0.0.2/32", [via(pg3), via(pg4)])?)?;
        objects::add(
            t,
            IpRoute::new("1.1.1.1/32", [recursive("10.0.0.2"), recursive("10.0.0.1")])?,
        )?;
        let all = p[1..].to_vec();
        let expect_all = |t: &mut TestCase, outputs: &[PgInterface]| -> TestResult {
            let rx = pg::send_and_expect_load_balancing(t, pg0, &src_pkts, outputs)?;
            assert_eq!(src_pkts.len(), total_len(&rx));
            Ok(())
        };
        // inject the packet on pg0 - expect load-balancing across all 4 paths
        t.cli("clear trace")?;
        pg::send_and_expect_load_balancing(t, pg0, &port_pkts, &all)?;
        pg::send_and_expect_load_balancing(t, pg0, &src_pkts, &all)?;
        // bring down pg1 expect LB to adjust to use only those that are up
        pg1.link_down(t)?;
        expect_all(t, &p[2..])?;
        // bring down pg2 expect LB to adjust to use only those that are up
        pg2.link_down(t)?;
        expect_all(t, &p[3..])?;
        // bring the links back up - expect LB over all again
        pg1.link_up(t)?;
        pg2.link_up(t)?;
        expect_all(t, &all)?;
        // The same link-up/down but this time admin state
        pg1.admin_down(t)?;
        pg2.admin_down(t)?;
        expect_all(t, &p[3..])?;
        pg1.admin_up(t)?;
        pg2.admin_up(t)?;
        pg1.resolve_arp(t)?;
        pg2.resolve_arp(t)?;
        expect_all(t, &all)?;
        // Recursive prefixes
        //  - testing that 2 stages of load-balancing, no choices
        let port_pkts = lb_udp(
            pg0,
            257,
            "1.1.1.2",
            |_| "20.0.0.2".into(),
            |ii| 1234 + ii as u16,
        );
        objects::add(t, IpRoute::new("10.0.0.3/32", [via(pg3)])?)?;
        objects::add(t, IpRoute::new("1.1.1.2/32", [recursive("10.0.0.3")])?)?;
        // inject the packet on pg0 - rx only on via routes output interface
        t.cli("clear trace")?;
        pg::send_and_expect_only(t, pg0, &port_pkts, pg3)?;
        // Add a LB route in the presence of a down link - expect no
        // packets over the down link
        pg3.link_down(t)?;
        objects::add(t, IpRoute::new("10.0.0.3/32", [via(pg3), via(pg4)])?)?;
        let port_pkts = lb_udp(
            pg0,
            257,
            "10.0.0.3",
            |_| "20.0.0.2".into(),
            |ii| 1234 + ii as u16,
        );
        pg::send_and_expect_only(t, pg0, &port_pkts, pg4)?;
        // bring the link back up
        pg3.link_up(t)?;
        let rx =
            pg::send_and_expect_load_balancing(t, pg0, &port_pkts, &[pg3.clone(), pg4.clone()])?;
        assert_eq!(src_pkts.len(), total_len(&rx));
        Ok(())
    }
}
