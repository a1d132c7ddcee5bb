//! asf's VPP objects (`asf_vocab::objects`): each adds itself, says whether
//! VPP has it, and removes itself (here by hand, and at tear-down).

use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::interface::{IfStatusFlags, SwInterfaceSetFlags};
use asf_vocab::objects::{
    self, BridgeDomain, BridgeDomainPort, IpInterfaceAddress, IpMRoute, IpRoute, IpTable,
    L2FibEntry, L2Xconnect, Loopback, MRoutePath, Neighbor, RoutePath, VppObject,
};

/// Adds `o`, checks VPP has it, removes it, checks it is gone.
fn round_trip<O: VppObject>(t: &mut TestCase, mut o: O) -> TestResult {
    o.add_vpp_config(t.api())?;
    assert!(
        o.query_vpp_config(t.api())?,
        "{o} not in VPP after adding it"
    );
    o.remove_vpp_config(t.api())?;
    assert!(
        !o.query_vpp_config(t.api())?,
        "{o} still in VPP after removing it"
    );
    Ok(())
}

/// An object to query and remove through a `dyn` reference.
trait Gone {
    fn there(&self, t: &mut TestCase) -> TestResult<bool>;
    fn remove(&self, t: &mut TestCase) -> TestResult;
    fn what(&self) -> String;
}

impl<O: VppObject> Gone for O {
    fn there(&self, t: &mut TestCase) -> TestResult<bool> {
        self.query_vpp_config(t.api())
    }
    fn remove(&self, t: &mut TestCase) -> TestResult {
        self.remove_vpp_config(t.api())
    }
    fn what(&self) -> String {
        self.to_string()
    }
}

/// VPP objects
#[vpp_test(
    name = "TestObjects",
    // The queries need VPP's lookups and dumps (the stand-in has none).
    requires_messages = ["ip_route_lookup", "ip_neighbor_dump", "bridge_domain_dump", "l2_fib_table_dump"]
)]
mod objects_test {
    use super::*;

    /// routes, tables, addresses and neighbours add, query and remove
    #[vpp_test]
    fn test_ip_objects(t: &mut TestCase) -> TestResult {
        let lo = Loopback::create(t)?;
        assert!(lo.query_vpp_config(t.api())?);
        let sw = lo.sw_if_index;
        t.api().request(&SwInterfaceSetFlags {
            sw_if_index: sw,
            flags: IfStatusFlags::ADMIN_UP,
        })?;
        round_trip(t, IpInterfaceAddress::new(sw, "10.11.0.1", 24)?)?;
        objects::add(t, IpInterfaceAddress::new(sw, "10.11.0.1", 24)?)?;
        round_trip(t, Neighbor::new(sw, "00:11:22:33:44:55", "10.11.0.2")?)?;
        round_trip(
            t,
            IpRoute::new("10.12.0.0/16", [RoutePath::via("10.11.0.2".parse()?, sw)])?,
        )?;
        round_trip(
            t,
            IpTable {
                table_id: 7,
                is_ip6: false,
            },
        )?;
        let mroute = IpMRoute {
            table_id: 0,
            src: "1.1.1.1".parse()?,
            grp: "232.1.1.1".parse()?,
            grp_len: 32,
            entry_flags: 0,
            rpf_id: 0,
            paths: vec![MRoutePath {
                sw_if_index: sw,
                itf_flags: 2,
            }],
        };
        round_trip(t, mroute)?;
        assert_eq!(lo.to_string(), format!("loopback-{sw}"));
        Ok(())
    }

    /// pg interfaces, BVIs and sub-interfaces are there until removed
    #[vpp_test]
    fn test_interfaces(t: &mut TestCase) -> TestResult {
        let pg9 = asf_vocab::pg::create_interfaces(t, [9])?.remove(0);
        let bvi = asf_vocab::pg::create_bvi_interfaces(t, 1)?.remove(0);
        let sub = asf_vocab::pg::SubInterface::dot1q(t, &pg9, 99)?;
        for o in [&sub as &dyn Gone, &bvi, &pg9] {
            assert!(o.there(t)?, "{} not in VPP", o.what());
            o.remove(t)?;
            assert!(!o.there(t)?, "{} still in VPP", o.what());
        }
        // Registered, a sub-interface goes at the test's tear-down.
        let pg8 = asf_vocab::pg::create_interfaces(t, [8])?.remove(0);
        let again = asf_vocab::pg::SubInterface::dot1q(t, &pg8, 98)?;
        objects::register(t, &again);
        assert_eq!(again.to_string(), "pg8.98");
        Ok(())
    }

    /// bridge domains, their ports, L2 FIB entries and cross-connects
    #[vpp_test]
    fn test_l2_objects(t: &mut TestCase) -> TestResult {
        let a = Loopback::create(t)?;
        let b = Loopback::create(t)?;
        let bd = objects::add(t, BridgeDomain::new(3))?;
        assert!(bd.query_vpp_config(t.api())?);
        round_trip(t, BridgeDomainPort::new(3, a.sw_if_index))?;
        objects::add(t, BridgeDomainPort::new(3, a.sw_if_index))?;
        round_trip(t, L2FibEntry::new(3, [0, 1, 2, 3, 4, 5], a.sw_if_index))?;
        round_trip(
            t,
            L2Xconnect {
                rx_sw_if_index: a.sw_if_index,
                tx_sw_if_index: b.sw_if_index,
            },
        )?;
        assert_eq!(bd.to_string(), "bridge-domain-3");
        Ok(())
    }

    /// what the test removed itself, or VPP removed with another object, is
    /// not removed again at tear-down
    #[vpp_test]
    fn test_removed_before_tear_down(t: &mut TestCase) -> TestResult {
        let lo = Loopback::create(t)?;
        objects::add(t, BridgeDomain::new(4))?;
        let port = objects::add(t, BridgeDomainPort::new(4, lo.sw_if_index))?;
        // Removed by the test: its registration goes too.
        objects::remove(t, &port)?;
        assert!(!port.query_vpp_config(t.api())?);
        objects::add(t, BridgeDomainPort::new(4, lo.sw_if_index))?;
        // The port goes with its interface, behind the registry's back;
        // the tear-down finds the port and the loopback gone and carries on.
        lo.remove_vpp_config(t.api())?;
        Ok(())
    }
}

/// VPP objects of the packet suites: punt, policing, path MTU, tunnels
#[vpp_test(
    name = "TestMoreObjects",
    // Each needs its message (the stand-in has none of them).
    requires_messages = [
        "policer_add",
        "ip_punt_redirect_dump",
        "ip_path_mtu_get",
        "ipip_add_tunnel",
        "ip6nd_proxy_add_del",
        "ip_route_v2_dump",
        "sw_interface_ip6_get_link_local_address"
    ]
)]
mod more_objects {
    use super::*;
    use asf_vocab::objects::{
        Ip6LinkLocalAddress, Ip6NdProxy, IpIpTunnel, IpPathMtu, IpPuntRedirect, IpRouteV2, Policer,
    };

    /// policers, punt redirects, path MTUs, tunnels, ND proxies, v2 routes
    /// and link-local addresses add, query and remove
    #[vpp_test]
    fn test_packet_suite_objects(t: &mut TestCase) -> TestResult {
        let lo = Loopback::create(t)?;
        let sw = lo.sw_if_index;
        t.api().request(&SwInterfaceSetFlags {
            sw_if_index: sw,
            flags: IfStatusFlags::ADMIN_UP,
        })?;
        objects::add(t, IpInterfaceAddress::new(sw, "10.21.0.1", 24)?)?;
        // (an ND proxy resolves through an IPv6 interface)
        asf_vocab::pg::interface_of(t, sw)?.ip6_enable(t)?;
        round_trip(t, Policer::new("objects", 400, 0, 10, 0).pps())?;
        round_trip(
            t,
            IpPuntRedirect {
                rx_sw_if_index: sw,
                tx_sw_if_index: sw,
                nh: "10.21.0.2".parse()?,
            },
        )?;
        round_trip(t, IpPathMtu::new("10.21.0.2".parse()?, 1300))?;
        round_trip(
            t,
            IpIpTunnel::new(
                "10.21.0.1".parse::<std::net::IpAddr>()?,
                "10.21.0.9".parse::<std::net::IpAddr>()?,
            ),
        )?;
        round_trip(
            t,
            Ip6NdProxy {
                sw_if_index: sw,
                ip: "2001:db8::7".parse()?,
            },
        )?;
        let route = IpRoute::new("10.22.0.0/16", [RoutePath::via("10.21.0.2".parse()?, sw)])?;
        round_trip(t, IpRouteV2::new(route, 0))?;
        // A link-local address cannot be removed: it is there, and stays.
        let mut ll = Ip6LinkLocalAddress {
            sw_if_index: sw,
            addr: "fe80::42".parse()?,
        };
        ll.add_vpp_config(t.api())?;
        assert!(ll.query_vpp_config(t.api())?);
        ll.remove_vpp_config(t.api())?;
        assert!(ll.query_vpp_config(t.api())?);
        Ok(())
    }
}

/// ACL plugin objects
#[vpp_test(name = "TestAclObjects", requires_plugins = ["acl_plugin.so"])]
mod acl_objects {
    use super::*;
    use asf_vocab::objects::{MacipAcl, MacipAclInterface, MacipRule};

    /// MACIP ACLs and their binding add, query and remove
    #[vpp_test]
    fn test_macip_objects(t: &mut TestCase) -> TestResult {
        let lo = Loopback::create(t)?;
        let rules = [
            MacipRule::new(true, [2, 0, 0, 0, 0, 1], [0xff; 6], "10.0.0.0/8")?,
            MacipRule::new(false, [0; 6], [0; 6], "0.0.0.0/0")?,
        ];
        round_trip(t, MacipAcl::new(rules.clone(), "objects"))?;
        let acl = objects::add(t, MacipAcl::new(rules, "objects"))?;
        let d = acl.dump(t.api())?;
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].r.len(), 2);
        round_trip(
            t,
            MacipAclInterface {
                sw_if_index: lo.sw_if_index,
                acls: vec![acl.acl_index],
            },
        )?;
        // Registered, the binding goes at the tear-down before the ACL.
        objects::add(
            t,
            MacipAclInterface {
                sw_if_index: lo.sw_if_index,
                acls: vec![acl.acl_index],
            },
        )?;
        Ok(())
    }
}
