//! Port of `test/asf/test_session_sdl.py` (a `VppTestCase` there, but it
//! sends no packets: loopbacks, tables, routes and SDL rules through the API).

use std::sync::Mutex;

use crate::api::session::{
    AppNamespaceAddDelV4Reply, RtBackendEngine, SdlRuleV2, SessionSdlAddDelV2, SessionSdlV3Details,
    SessionSdlV3Dump,
};
use asf_core::{vpp_test, TestCase, TestResult};

use crate::vpp_objects::{
    admin, config_ip4, config_ip6, ip6_table, ip_table, local_ip4, local_ip6, namespace_on,
    route6_via_table, route_via_table, session_engine, set_table_ip4, set_table_ip6,
};

/// The two loopbacks of the running test (set-up to tear-down).
static LOOPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

fn loops() -> [u32; 2] {
    let l = LOOPS.lock().unwrap_or_else(|e| e.into_inner());
    [l[0], l[1]]
}

/// The original's setUp: two loopbacks, up, in tables 0 and 1 (IPv4 and
/// IPv6), with their local addresses.
fn set_up(t: &mut TestCase) -> TestResult {
    let lo = asf_vocab::objects::create_loopback_interfaces(t, 2)?;
    *LOOPS.lock().unwrap_or_else(|e| e.into_inner()) = lo.clone();
    for (table_id, &sw) in lo.iter().enumerate() {
        let table_id = table_id as u32;
        admin(t, sw, true)?;
        if table_id != 0 {
            ip_table(t, table_id, true)?;
            ip6_table(t, table_id, true)?;
        }
        set_table_ip4(t, sw, table_id)?;
        set_table_ip6(t, sw, table_id)?;
        config_ip4(t, sw, true)?;
        config_ip6(t, sw, true)?;
    }
    Ok(())
}

/// The original's tearDown (the loopbacks go with the registry).
fn tear_down(t: &mut TestCase) -> TestResult {
    for sw in loops() {
        config_ip4(t, sw, false)?;
        set_table_ip4(t, sw, 0)?;
        config_ip6(t, sw, false)?;
        set_table_ip6(t, sw, 0)?;
        admin(t, sw, false)?;
    }
    Ok(())
}

/// `SessionSdl(rmt, action_index=0, tag="")`.
fn rule(rmt: &str) -> TestResult<SdlRuleV2> {
    Ok(SdlRuleV2 {
        rmt: rmt.parse()?,
        action_index: 0,
        tag: "".into(),
    })
}

/// `VppSessionSdl(self, rules, is_add, appns_index).add_vpp_config()`.
fn apply_rules(
    t: &mut TestCase,
    rules: Vec<SdlRuleV2>,
    is_add: bool,
    appns_index: u32,
) -> TestResult {
    t.api().request(&SessionSdlAddDelV2 {
        is_add,
        appns_index,
        r: rules,
    })?;
    Ok(())
}

fn sdl_dump(t: &mut TestCase) -> TestResult<Vec<SessionSdlV3Details>> {
    Ok(t.api().dump(&SessionSdlV3Dump)?)
}

fn app_ns(
    t: &mut TestCase,
    id: &str,
    sw_if_index: u32,
    is_add: bool,
) -> TestResult<AppNamespaceAddDelV4Reply> {
    Ok(t.api()
        .request(&namespace_on(id, sw_if_index, None, is_add))?)
}

fn appns(v: &SessionSdlV3Details) -> Vec<u32> {
    v.appns_index.clone()
}

/// Session SDL Test Case
#[vpp_test(
    fixme_vpp_workers,
    name = "TestSessionSDL",
    set_up = set_up,
    tear_down = tear_down,
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_sdl_add_del_v2", "session_sdl_v3_dump", "session_enable_disable_v2"]
)]
mod session_sdl {
    use super::*;

    /// Session SDL IP4 test
    #[vpp_test(fixme_asan)]
    fn test_session_sdl_ip4(t: &mut TestCase) -> TestResult {
        let [loop0, loop1] = loops();
        session_engine(t, RtBackendEngine::Sdl)?;

        // Configure namespaces
        let app0 = app_ns(t, "0", loop0, true)?;
        app_ns(t, "1", loop1, true)?;

        // Add inter-table routes
        let uri = format!("tcp://{}/1234", local_ip4(loop0));
        let server_cmd = format!("vperf server appns 0 fifo-size 4k uri {uri}");
        let client_cmd =
            format!("vperf client bytes 100000 appns 1 fifo-size 4k syn-timeout 2 uri {uri}");
        route_via_table(t, &local_ip4(loop1), 32, 0, 1, true)?;
        route_via_table(t, &local_ip4(loop0), 32, 1, 0, true)?;

        // Start builtin server for ip4 on loop0 appns 0
        t.ppcli(&server_cmd)?;

        // Add session filter to block loop1 (client on loop1 appns 1)
        apply_rules(t, vec![rule(&format!("{}/32", local_ip4(loop1)))?], true, 0)?;

        let filter = sdl_dump(t)?;
        assert_eq!(
            filter[0].rmt.to_string(),
            format!("{}/32", local_ip4(loop1))
        );
        assert_eq!(appns(&filter[0]).len(), 2);
        assert_eq!(appns(&filter[0])[0], 0);
        assert_eq!(appns(&filter[0])[1], app0.appns_index);

        // irrelevant rules - add 64k entries in one API call
        let mut rules = Vec::with_capacity(255 * 255);
        for i in 0..255 {
            for j in 0..255 {
                rules.push(rule(&format!("10.1.{i}.{j}/32"))?);
            }
        }
        apply_rules(t, rules, true, 0)?;

        let error = t.cli_return_response(&client_cmd)?;
        // Expecting an error because loop1 is blocked
        assert_eq!(-1, error.retval);

        // Remove the session filter
        apply_rules(
            t,
            vec![rule(&format!("{}/32", local_ip4(loop1)))?],
            false,
            0,
        )?;

        // Not expecting an error
        t.ppcli(&client_cmd)?;

        // Add a session filter not matching loop1
        apply_rules(t, vec![rule("172.100.1.0/24")?], true, 0)?;

        // Not expecting an error
        t.ppcli(&client_cmd)?;

        t.ppcli(&format!("{server_cmd} stop"))?;

        app_ns(t, "0", loop0, false)?;
        let filter = sdl_dump(t)?;
        assert_eq!(appns(&filter[0]).len(), 1);
        assert_eq!(appns(&filter[0])[0], 0);

        app_ns(t, "1", loop1, false)?;
        // Delete inter-table routes
        route_via_table(t, &local_ip4(loop1), 32, 0, 1, false)?;
        route_via_table(t, &local_ip4(loop0), 32, 1, 0, false)?;
        session_engine(t, RtBackendEngine::Disable)
    }

    /// Session SDL IP6 test
    #[vpp_test]
    fn test_session_sdl_ip6(t: &mut TestCase) -> TestResult {
        let [loop0, loop1] = loops();
        session_engine(t, RtBackendEngine::Sdl)?;

        // Configure namespaces
        app_ns(t, "0", loop0, true)?;
        app_ns(t, "1", loop1, true)?;

        // IP6 Test
        // Add inter-table routes
        let uri = format!("tcp://{}/1235", local_ip6(loop0));
        let client_cmd =
            format!("vperf client bytes 100000 appns 1 fifo-size 4k syn-timeout 2 uri {uri}");
        let server_cmd = format!("vperf server appns 0 fifo-size 4k uri {uri}");
        route6_via_table(t, &local_ip6(loop1), 0, 1, true)?;
        route6_via_table(t, &local_ip6(loop0), 1, 0, true)?;

        // Start builtin server for ip6 on loop0 appns 0
        t.ppcli(&server_cmd)?;

        // case 1: No filter
        // Not expecting an error
        t.ppcli(&client_cmd)?;

        // case 2: filter to block
        // Add session filter to block loop1, client appns 1
        apply_rules(
            t,
            vec![rule(&format!("{}/128", local_ip6(loop1)))?],
            true,
            0,
        )?;
        let filter = sdl_dump(t)?;
        assert_eq!(
            filter[0].rmt.to_string(),
            format!("{}/128", local_ip6(loop1))
        );

        let error = t.cli_return_response(&client_cmd)?;
        // Expecting an error because loop1 is blocked
        assert_eq!(-1, error.retval);

        // case 3: remove filter to unblock
        apply_rules(
            t,
            vec![rule(&format!("{}/128", local_ip6(loop1)))?],
            false,
            0,
        )?;
        // Not expecting an error
        t.ppcli(&client_cmd)?;

        // stop the server
        t.ppcli(&format!("{server_cmd} stop"))?;

        app_ns(t, "0", loop0, false)?;
        app_ns(t, "1", loop1, false)?;
        // Delete inter-table routes
        route6_via_table(t, &local_ip6(loop1), 0, 1, false)?;
        route6_via_table(t, &local_ip6(loop0), 1, 0, false)?;
        session_engine(t, RtBackendEngine::Disable)
    }

    /// Session SDL enable/disable test
    #[vpp_test]
    fn test_session_enable_disable(t: &mut TestCase) -> TestResult {
        for _ in 0..10 {
            // Enable sdl
            session_engine(t, RtBackendEngine::Sdl)?;
            // Disable
            session_engine(t, RtBackendEngine::Disable)?;
            // Enable rule-table
            session_engine(t, RtBackendEngine::RuleTable)?;
            // Disable
            session_engine(t, RtBackendEngine::Disable)?;
            // Enable sdl
            session_engine(t, RtBackendEngine::Sdl)?;
            // Disable
            session_engine(t, RtBackendEngine::Disable)?;
        }
        Ok(())
    }
}
