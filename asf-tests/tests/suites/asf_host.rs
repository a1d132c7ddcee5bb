//! asf's own checks of the host plumbing (`asf_core::host`): namespaces,
//! veth pairs, programs run inside a namespace, and removal at the
//! tear-down of the test or class that made them. Needs root and iproute2;
//! runs against the stand-in VPP as well as a real one.

use asf_core::helper::Helper;
use asf_core::host::{self, Netns};
use asf_core::{vpp_test, TestCase, TestResult};

/// What the class's tests made (namespace and interface names), for its
/// later tests to check.
#[derive(Default)]
struct Made(Vec<String>);

/// The namespace the class's set-up made.
#[derive(Default)]
struct ClassNs(Option<Netns>);

fn netns_exists(name: &str) -> bool {
    host::ip(&["netns", "list"])
        .unwrap_or_default()
        .lines()
        .any(|l| l.split_whitespace().next() == Some(name))
}

fn class_namespace(t: &mut TestCase) -> TestResult {
    let ns = t.create_namespace()?;
    t.class_data::<ClassNs>().0 = Some(ns);
    Ok(())
}

/// Host namespaces and interfaces
#[vpp_test(
    set_up_class = class_namespace,
    requires_root,
    requires_programs = ["ip"],
    skip_if = asf_core::host::netns_unavailable
)]
mod plumbing {
    use super::*;

    /// a veth pair joins a namespace; addresses, routes, neighbours and MTU are set there
    #[vpp_test]
    fn test_namespace_plumbing(t: &mut TestCase) -> TestResult {
        let ns = t.create_namespace()?;
        assert!(netns_exists(ns.name()));
        let hi = t.create_host_interface(&ns, &["10.99.0.1/24"])?;
        assert!(host::link_exists(&hi.vpp_if_name));
        assert!(
            !host::link_exists(&hi.host_if_name),
            "the peer moved into the namespace"
        );
        assert!(ns.interface_exists(&hi.host_if_name));
        assert!(ns.is_up(&hi.host_if_name)?);
        assert_eq!(
            ns.addresses(&hi.host_if_name, Some("inet"))?,
            vec![("10.99.0.1".to_string(), 24)]
        );
        ns.add_address(&hi.host_if_name, "2001:db8:99::1/64")?;
        assert!(ns
            .addresses(&hi.host_if_name, Some("inet6"))?
            .contains(&("2001:db8:99::1".to_string(), 64)));
        ns.set_mtu(&hi.host_if_name, 1400)?;
        assert_eq!(ns.mtu(&hi.host_if_name)?, 1400);
        ns.add_route("10.98.0.0/16", Some("10.99.0.2"), None)?;
        ns.add_neighbor(&hi.host_if_name, "10.99.0.2", "02:00:00:00:00:02")?;
        assert!(ns
            .ip(&["route", "show"])?
            .contains("10.98.0.0/16 via 10.99.0.2"));
        assert!(ns.ip(&["neigh", "show"])?.contains("02:00:00:00:00:02"));
        ns.del_neighbor(&hi.host_if_name, "10.99.0.2")?;
        ns.del_route("10.98.0.0/16")?;
        ns.set_down(&hi.host_if_name)?;
        assert!(!ns.is_up(&hi.host_if_name)?);
        t.class_data::<Made>()
            .0
            .extend([ns.name().to_string(), hi.vpp_if_name.clone()]);
        Ok(())
    }

    /// a helper runs inside the namespace and sees its interfaces, not the host's
    #[vpp_test]
    fn test_helper_in_namespace(t: &mut TestCase) -> TestResult {
        let ns = t.create_namespace()?;
        let hi = t.create_host_interface(&ns, &["10.97.0.1/24"])?;
        let r = t.run_helper(Helper::new("ip").args(["-o", "addr", "show"]).netns(&ns))?;
        assert!(r.success(), "{r:?}");
        assert!(r.stdout.contains("10.97.0.1/24"), "{}", r.stdout);
        assert!(!r.stdout.contains(&hi.vpp_if_name), "{}", r.stdout);
        let r = t.run_helper(
            Helper::new("ip")
                .args(["link", "show", "dev", "nonexistent0"])
                .netns(&ns),
        )?;
        assert!(!r.success());
        assert!(r.stderr.contains("nonexistent0"), "stderr is kept: {r:?}");
        Ok(())
    }

    /// what a test made is gone after its tear-down; what the class made stays
    #[vpp_test]
    fn test_tear_down_removed_the_earlier_tests_objects(t: &mut TestCase) -> TestResult {
        t.require_earlier(&["test_namespace_plumbing"])?;
        let made = t
            .class_data_ref::<Made>()
            .map(|m| m.0.clone())
            .unwrap_or_default();
        assert_eq!(made.len(), 2, "the first test ran: {made:?}");
        assert!(!netns_exists(&made[0]), "{} left", made[0]);
        assert!(!host::link_exists(&made[1]), "{} left", made[1]);
        let class_ns = t
            .class_data_ref::<ClassNs>()
            .and_then(|c| c.0.clone())
            .ok_or("no class namespace")?;
        assert!(
            netns_exists(class_ns.name()),
            "the class's namespace lives on"
        );
        Ok(())
    }
}
