//! Port of `test/asf/test_session.py`; `TestApplicationNamespace` is not
//! ported yet.

use asf_core::api::values::{format_prefix, prefix};
use asf_core::{vpp_test, TestCase, TestResult};
use serde_json::json;

use crate::vpp_objects::{local_ip4, two_tables, two_tables_down, with_inter_table_routes};

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

fn session_on(t: &mut TestCase) -> TestResult {
    t.api()
        .call("session_enable_disable", json!({"is_enable": true}))?;
    Ok(())
}

fn session_off(t: &mut TestCase) -> TestResult {
    t.api()
        .call("session_enable_disable", json!({"is_enable": false}))?;
    Ok(())
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
    t.api().call(
        "session_enable_disable_v2",
        json!({"rt_engine_type": "RT_BACKEND_ENGINE_API_RULE_TABLE"}),
    )?;
    Ok(())
}

fn rule_table_off(t: &mut TestCase) -> TestResult {
    t.api().call(
        "session_enable_disable_v2",
        json!({"rt_engine_type": "RT_BACKEND_ENGINE_API_DISABLE"}),
    )?;
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
        let rule = |is_add: bool| {
            json!({
                "transport_proto": "TRANSPORT_PROTO_API_TCP",
                "lcl": prefix(lcl).expect("valid prefix"),
                "rmt": prefix(rmt).expect("valid prefix"),
                "lcl_port": lcl_port,
                "rmt_port": rmt_port,
                "action_index": 1,
                "is_add": is_add,
                "appns_index": 0,
                "scope": "SESSION_RULE_SCOPE_API_GLOBAL",
                "tag": "rule-1",
            })
        };
        t.api().call("session_rule_add_del", rule(true))?;
        let dump = t.api().call_dump("session_rules_dump", json!({}))?;
        assert!(dump.len() > 1, "{dump:?}");
        let d = &dump[1];
        assert_eq!(d["rmt_port"], rmt_port);
        assert_eq!(d["lcl_port"], lcl_port);
        assert_eq!(format_prefix(&d["lcl"]).as_deref(), Some(lcl));
        assert_eq!(format_prefix(&d["rmt"]).as_deref(), Some(rmt));
        assert_eq!(d["action_index"], 1);
        assert_eq!(d["appns_index"], 0);
        let schema = t.api().schema()?;
        let scope = d["scope"]
            .as_i64()
            .and_then(|s| schema.enum_name("session_rule_scope", s));
        assert_eq!(scope.as_deref(), Some("SESSION_RULE_SCOPE_API_GLOBAL"));
        t.api().call("session_rule_add_del", rule(false))?;
        let dump2 = t.api().call_dump("session_rules_dump", json!({}))?;
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
