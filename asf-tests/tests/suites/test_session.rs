//! Port of `test/asf/test_session.py`.

use crate::api::interface::SwInterfaceSetTable;
use crate::api::session::{
    AppNamespaceAddDelV4, RtBackendEngine, SessionEnableDisableV2, SessionRuleAddDel,
    SessionRuleAddDelReply, SessionRuleScope, SessionRulesDump, SessionRulesV2Dump, TransportProto,
};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::interface::SwInterfaceDump;

use crate::vpp_objects::{
    ip6_table, ip_table, local_ip4, namespace_on, session_off, session_on, two_tables,
    two_tables_down, with_inter_table_routes,
};

/// Session Test Case
#[vpp_test(
    fixme_vpp_workers,
    name = "TestSession",
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod session {
    use super::*;

    /// Session Segment Manager Multiple Segment Allocation
    #[vpp_test]
    fn test_segment_manager_alloc(t: &mut TestCase) -> TestResult {
        let lo = two_tables(t)?;
        let result = with_inter_table_routes(t, lo, |t| {
            // Builtin server and client with small private segments.
            let uri = format!("tcp://{}/1234", local_ip4(lo[0]));
            t.unittest_cli(
                &format!("vperf server appns 0 fifo-size 64k private-segment-size 1m uri {uri}"),
                "failed",
            )?;
            t.unittest_cli(
                &format!("vperf client nclients 100 appns 1 fifo-size 64k syn-timeout 2 bytes 8k private-segment-size 1m uri {uri}"),
                "failed",
            )?;
            Ok(())
        });
        two_tables_down(t, lo)?;
        result
    }
}

/// Session Unit Tests Case
#[vpp_test(
    name = "TestSessionUnitTests",
    set_up = session_on,
    tear_down = session_off,
    requires_plugins = ["unittest_plugin.so"],
    requires_messages = ["session_enable_disable"]
)]
mod session_unit {
    use super::*;

    /// Session Unit Tests
    #[vpp_test]
    fn test_session(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test session all", "failed")?;
        Ok(())
    }
}

fn rule_table_on(t: &mut TestCase) -> TestResult {
    t.api().request(&SessionEnableDisableV2 {
        rt_engine_type: RtBackendEngine::RuleTable,
    })?;
    Ok(())
}

fn rule_table_off(t: &mut TestCase) -> TestResult {
    t.api().request(&SessionEnableDisableV2 {
        rt_engine_type: RtBackendEngine::Disable,
    })?;
    Ok(())
}

/// Session Rule Table Tests Case
#[vpp_test(
    fixme_vpp_workers,
    name = "TestSessionRuleTableTests",
    set_up = rule_table_on,
    tear_down = rule_table_off,
    requires_messages = ["session_enable_disable_v2", "session_rule_add_del", "session_rules_dump"]
)]
mod session_rule_table {
    use super::*;

    /// Session Rule Table Tests
    #[vpp_test]
    fn test_session_rule_table(t: &mut TestCase) -> TestResult {
        let (lcl, rmt, lcl_port, rmt_port) = ("172.100.1.1/32", "172.100.1.2/32", 5000, 80);
        let rule = |is_add: bool| -> TestResult<SessionRuleAddDel> {
            Ok(SessionRuleAddDel {
                transport_proto: TransportProto::Tcp,
                lcl: lcl.parse()?,
                rmt: rmt.parse()?,
                lcl_port,
                rmt_port,
                action_index: 1,
                is_add,
                appns_index: 0,
                scope: SessionRuleScope::Global,
                tag: "rule-1".into(),
            })
        };
        t.api().request(&rule(true)?)?;
        let dump = t.api().dump(&SessionRulesDump)?;
        assert!(dump.len() > 1, "{dump:?}");
        let d = &dump[1];
        assert_eq!(d.rmt_port, rmt_port);
        assert_eq!(d.lcl_port, lcl_port);
        assert_eq!(d.lcl.to_string(), lcl);
        assert_eq!(d.rmt.to_string(), rmt);
        assert_eq!(d.action_index, 1);
        assert_eq!(d.appns_index, 0);
        assert_eq!(d.scope, SessionRuleScope::Global);
        assert_eq!(d.scope.name(), Some("SESSION_RULE_SCOPE_API_GLOBAL"));
        t.api().request(&rule(false)?)?;
        let dump2 = t.api().dump(&SessionRulesDump)?;
        assert_eq!(dump.len() - 1, dump2.len(), "the rule is removed");
        Ok(())
    }
}

/// SVM Fifo Unit Tests Case
#[vpp_test(solo, name = "TestSegmentManagerTests", requires_plugins = ["unittest_plugin.so"])]
mod segment_manager {
    use super::*;

    /// Segment manager Tests
    #[vpp_test]
    fn test_segment_manager(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test segment-manager all", "failed")?;
        Ok(())
    }
}

/// SVM Fifo Unit Tests Case
#[vpp_test(solo, name = "TestSvmFifoUnitTests", requires_plugins = ["unittest_plugin.so"])]
mod svm_fifo {
    use super::*;

    /// SVM Fifo Unit Tests
    #[vpp_test]
    fn test_svm_fifo(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test svm fifo all", "failed")?;
        Ok(())
    }
}

fn one_loopback(t: &mut TestCase) -> TestResult {
    asf_vocab::objects::create_loopback_interfaces(t, 1)?;
    Ok(())
}

/// A session rule on (lcl, rmt) in a namespace, added or removed.
fn session_rule(
    t: &mut TestCase,
    lcl: &str,
    rmt: &str,
    appns_index: u32,
    is_add: bool,
) -> TestResult<SessionRuleAddDelReply> {
    Ok(t.api()
        .request(&rule_add_del(lcl, rmt, appns_index, is_add)?)?)
}

fn rule_add_del(
    lcl: &str,
    rmt: &str,
    appns_index: u32,
    is_add: bool,
) -> TestResult<SessionRuleAddDel> {
    Ok(SessionRuleAddDel {
        transport_proto: TransportProto::Tcp,
        lcl: lcl.parse()?,
        rmt: rmt.parse()?,
        lcl_port: 5000,
        rmt_port: 5000,
        action_index: 1,
        appns_index,
        scope: SessionRuleScope::Global,
        is_add,
        ..SessionRuleAddDel::default()
    })
}

/// `session_rules_v2_dump()[1]`: its namespace indexes and count.
fn rule_namespaces(t: &mut TestCase) -> TestResult<(Vec<u32>, usize)> {
    let dump = t.api().dump(&SessionRulesV2Dump)?;
    let d = dump
        .get(1)
        .ok_or("no second rule in session_rules_v2_dump")?;
    Ok((d.appns_index.clone(), d.appns_index.len()))
}

/// `self.loop0.sw_if_index`: the loopback set-up created.
fn loop0(t: &mut TestCase) -> TestResult<u32> {
    let found = t.api().dump(&SwInterfaceDump {
        name_filter_valid: true,
        name_filter: "loop0".into(),
        ..SwInterfaceDump::default()
    })?;
    let lo = found
        .iter()
        .find(|i| i.interface_name == "loop0")
        .ok_or("no loop0")?;
    Ok(lo.sw_if_index)
}

fn namespace(t: &mut TestCase, ns: AppNamespaceAddDelV4) -> TestResult<u32> {
    Ok(t.api().request(&ns)?.appns_index)
}

/// `app_namespace_add_del_v4` of namespace `id` in the given tables.
fn in_tables(id: &str, ip4_fib_id: u32, ip6_fib_id: u32, is_add: bool) -> AppNamespaceAddDelV4 {
    AppNamespaceAddDelV4 {
        namespace_id: id.into(),
        ip4_fib_id,
        ip6_fib_id,
        is_add,
        ..AppNamespaceAddDelV4::default()
    }
}

/// Application Namespacee
#[vpp_test(
    name = "TestApplicationNamespace",
    set_up = one_loopback,
    tear_down = rule_table_off,
    requires_messages = ["session_enable_disable_v2", "app_namespace_add_del_v4", "session_rules_v2_dump"]
)]
mod application_namespace {
    use super::*;
    use asf_core::api::client::Expect;

    /// Application Namespace Create
    #[vpp_test]
    fn test_application_namespace(t: &mut TestCase) -> TestResult {
        rule_table_on(t)?;
        let lo = loop0(t)?;
        // Two namespaces sharing one interface.
        let app0 = namespace(t, namespace_on("0", lo, None, true))?;
        let app1 = namespace(t, namespace_on("1", lo, None, true))?;
        session_rule(t, "172.100.1.1/32", "172.100.1.2/32", app0, true)?;
        // The rule's table is shared by the default namespace, app0 and app1.
        assert_eq!(rule_namespaces(t)?, (vec![0, app0, app1], 3));
        namespace(t, namespace_on("1", lo, None, false))?;
        assert_eq!(rule_namespaces(t)?, (vec![0, app0], 2));
        session_rule(t, "172.100.1.1/32", "172.100.1.2/32", app0, false)?;
        namespace(t, namespace_on("0", lo, None, false))?;
        // A bad namespace index is refused.
        let bad = rule_add_del("172.100.1.1/32", "172.100.1.2/32", 10, true)?;
        let rv = t.api().expect(Expect::Negative, |api| api.request(&bad))?;
        assert_eq!(rv.retval, -1);
        Ok(())
    }

    /// Application Namespace Interface Binding
    #[vpp_test]
    fn test_application_namespace_binding(t: &mut TestCase) -> TestResult {
        rule_table_on(t)?;
        let lo = loop0(t)?;
        let table_id = 99u32;
        for (v4, v6) in [(table_id, 0), (0, table_id)] {
            let rv = t.api().expect(Expect::Negative, |api| {
                api.request(&in_tables("2", v4, v6, true))
            })?;
            assert_eq!(rv.retval, -19, "a table that does not exist");
        }
        ip_table(t, table_id, true)?;
        ip6_table(t, table_id, true)?;
        for (v4, v6) in [
            (table_id, table_id),
            (table_id, u32::MAX),
            (u32::MAX, table_id),
        ] {
            namespace(t, in_tables("2", v4, v6, true))?;
            namespace(t, in_tables("2", v4, v6, false))?;
        }
        let app0 = namespace(t, namespace_on("0", lo, None, true))?;
        session_rule(t, "172.100.1.1/32", "172.100.1.2/32", app0, true)?;
        assert_eq!(rule_namespaces(t)?.1, 2);
        let set_table = |t: &mut TestCase, is_ipv6: bool, vrf_id: u32| -> TestResult {
            t.api().request(&SwInterfaceSetTable {
                sw_if_index: lo,
                is_ipv6,
                vrf_id,
            })?;
            Ok(())
        };
        // Moving the interface to vrf 99 takes app0 out of the rule's table.
        set_table(t, false, table_id)?;
        assert_eq!(rule_namespaces(t)?.1, 1);
        session_rule(t, "172.100.1.1/32", "172.100.1.2/32", 0, false)?;
        set_table(t, false, 0)?;
        // The same with IPv6.
        session_rule(t, "2001::1/128", "2002::1/128", app0, true)?;
        assert_eq!(rule_namespaces(t)?.1, 2);
        set_table(t, true, table_id)?;
        assert_eq!(rule_namespaces(t)?.1, 2);
        set_table(t, true, 0)?;
        session_rule(t, "2001::1/128", "2002::1/128", 0, false)?;
        namespace(t, namespace_on("0", lo, None, false))?;
        ip_table(t, table_id, false)?;
        ip6_table(t, table_id, false)?;
        Ok(())
    }
}
