//! Port of `test/asf/test_vcl.py`.
//!
//! VPP's VCL test apps (`vperf_server`/`vperf_client`, `vperf_cl_udp`,
//! `vcl_cfg_test`, and the LD_PRELOADed `sock_test_server`/`sock_test_client`
//! and `iperf3`) run as background helpers on the class's helper CPUs
//! (`helpers = 2`, VCLTestCase's `helper_count`). A server is started, the
//! client follows after the pre-test sleep, and `validate_results` judges
//! the client's exit, as the original's `validateResults` does.
//!
//! The set-up and tear-down of the original's `setUp`/`tearDown` are the
//! classes' `set_up`/`tear_down` hooks; the routes and tables the original's
//! object registry removes at tear-down are removed by the tear-down hooks.
//! The original's `vppDebug` adjustments (fewer sockets on a debug build)
//! have no counterpart here: the release values are used.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use asf_core::helper::{Helper, HelperExit, RunningHelper};
use asf_core::{vpp_test, TestCase, TestResult};

use crate::vpp_objects::{
    admin, config_ip4, config_ip6, ip6_table, ip_table, local_ip4, local_ip6, route6_via_table,
    route_via_table, session_off, session_on, set_table_ip4, set_table_ip6,
};

/// `self.server_addr`.
const SERVER_ADDR: &str = "127.0.0.1";
/// `self.server_port`.
const SERVER_PORT: &str = "22000";
/// `self.server_ipv6_addr`.
const SERVER_IPV6_ADDR: &str = "::1";
/// `self.echo_phrase`.
const ECHO_PHRASE: &str = "Hello, world! Jenny is a friend of mine.";
/// `self.timeout`: seconds the client may run (VCLTestCase's default).
const TIMEOUT: u64 = 20;
/// `self.pre_test_sleep`: seconds between starting the server and the client.
const PRE_TEST_SLEEP: f64 = 2.0;
/// `self.post_test_sleep`.
const POST_TEST_SLEEP: f64 = 1.0;
/// The LD_PRELOAD library of the LDP tests (`VCLAppWorker.libname`).
const LIBNAME: &str = "libvcl_ldpreload.so";
/// iperf3 (the original's `/usr/bin/iperf3`), looked up on PATH.
const IPERF3: &str = "iperf3";
/// How much longer than the test's own timeout a helper may live before
/// asf kills it (its hard limit; the test's timeout is enforced here).
const HELPER_GRACE: u64 = 60;
/// The scope variable of cut-thru apps.
const SCOPE_LOCAL: &str = "VCL_APP_SCOPE_LOCAL";
/// The scope variable of thru-host-stack apps.
const SCOPE_GLOBAL: &str = "VCL_APP_SCOPE_GLOBAL";

/// The two loopbacks of the running test (set-up to tear-down).
static LOOPS: Mutex<[u32; 2]> = Mutex::new([0, 0]);

/// The running test's loopbacks: `[loop0, loop1]`.
fn loops() -> [u32; 2] {
    *LOOPS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Creates the two loopbacks of a test and remembers them (they are
/// removed at tear-down by asf's registry).
fn create_loops(t: &mut TestCase) -> TestResult<[u32; 2]> {
    let lo = asf_vocab::objects::create_loopback_interfaces(t, 2)?;
    let lo = [lo[0], lo[1]];
    *LOOPS.lock().unwrap_or_else(|e| e.into_inner()) = lo;
    Ok(lo)
}

/// Strings from `&str`s, for helper arguments.
fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| (*a).to_string()).collect()
}

/// A VCL test app: `VCLAppWorker`'s `appname` and `executable_args`.
struct App {
    name: &'static str,
    args: Vec<String>,
}

/// An [`App`] from its name and arguments.
fn app(name: &'static str, args: &[&str]) -> App {
    App {
        name,
        args: strings(args),
    }
}

/// The path of `program` in a directory of PATH, if it is there.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// `app_namespace_add_del_v4(namespace_id, secret, sw_if_index, is_add)`:
/// `vpp_objects::app_namespace` with the namespace's secret.
fn app_namespace_secret(
    t: &mut TestCase,
    id: &str,
    secret: u64,
    sw_if_index: u32,
    is_add: bool,
) -> TestResult {
    t.api().request(&crate::vpp_objects::namespace_on(
        id,
        sw_if_index,
        Some(secret),
        is_add,
    ))?;
    Ok(())
}

/// `VCLTestCase.setUp`: removes a stale LDP server socket file.
fn vcl_set_up(_t: &mut TestCase) -> TestResult {
    let stale = std::path::Path::new("/tmp/ldp_server_af_unix_socket");
    if stale.is_file() {
        std::fs::remove_file(stale)?;
    }
    Ok(())
}

/// `cut_thru_setup`, after VCLTestCase's set-up: the session layer on.
fn cut_thru_set_up(t: &mut TestCase) -> TestResult {
    vcl_set_up(t)?;
    session_on(t)
}

/// `cut_thru_tear_down`: the session layer off.
fn cut_thru_tear_down(t: &mut TestCase) -> TestResult {
    session_off(t)
}

/// `thru_host_stack_setup`, after VCLTestCase's set-up: the session layer
/// on, two loopbacks, up, in tables 1 and 2 with their /24s, app namespace
/// "1" (secret 1234) on loop0 and "2" (secret 5678) on loop1, and each
/// loopback's address routed from the other's table.
fn thru_host_stack_set_up(t: &mut TestCase) -> TestResult {
    vcl_set_up(t)?;
    session_on(t)?;
    let lo = create_loops(t)?;
    for (i, &sw) in lo.iter().enumerate() {
        let table_id = i as u32 + 1;
        admin(t, sw, true)?;
        ip_table(t, table_id, true)?;
        set_table_ip4(t, sw, table_id)?;
        config_ip4(t, sw, true)?;
    }

    // Configure namespaces
    app_namespace_secret(t, "1", 1234, lo[0], true)?;
    app_namespace_secret(t, "2", 5678, lo[1], true)?;

    // Add inter-table routes
    route_via_table(t, &local_ip4(lo[1]), 32, 1, 2, true)?;
    route_via_table(t, &local_ip4(lo[0]), 32, 2, 1, true)?;
    t.cli("show ip fib")?;
    Ok(())
}

/// `thru_host_stack_tear_down`, then what the original's registry removes:
/// the routes and the tables (the loopbacks go with asf's registry).
fn thru_host_stack_tear_down(t: &mut TestCase) -> TestResult {
    let lo = loops();
    app_namespace_secret(t, "1", 1234, lo[0], false)?;
    app_namespace_secret(t, "2", 5678, lo[1], false)?;
    for &sw in &lo {
        config_ip4(t, sw, false)?;
        set_table_ip4(t, sw, 0)?;
        admin(t, sw, false)?;
    }
    route_via_table(t, &local_ip4(lo[0]), 32, 2, 1, false)?;
    route_via_table(t, &local_ip4(lo[1]), 32, 1, 2, false)?;
    ip_table(t, 2, false)?;
    ip_table(t, 1, false)?;
    Ok(())
}

/// `thru_host_stack_ipv6_setup`, after VCLTestCase's set-up: as
/// [`thru_host_stack_set_up`] with IPv6 tables, /64s and /128 routes.
fn thru_host_stack_ipv6_set_up(t: &mut TestCase) -> TestResult {
    vcl_set_up(t)?;
    session_on(t)?;
    let lo = create_loops(t)?;
    for (i, &sw) in lo.iter().enumerate() {
        let table_id = i as u32 + 1;
        admin(t, sw, true)?;
        ip6_table(t, table_id, true)?;
        set_table_ip6(t, sw, table_id)?;
        config_ip6(t, sw, true)?;
    }

    // Configure namespaces
    app_namespace_secret(t, "1", 1234, lo[0], true)?;
    app_namespace_secret(t, "2", 5678, lo[1], true)?;

    // Add inter-table routes
    route6_via_table(t, &local_ip6(lo[1]), 1, 2, true)?;
    route6_via_table(t, &local_ip6(lo[0]), 2, 1, true)?;
    t.cli("show interface addr")?;
    t.cli("show ip6 fib")?;
    Ok(())
}

/// `thru_host_stack_ipv6_tear_down`, then what the original's registry
/// removes: the routes and the IPv6 tables.
fn thru_host_stack_ipv6_tear_down(t: &mut TestCase) -> TestResult {
    let lo = loops();
    app_namespace_secret(t, "1", 1234, lo[0], false)?;
    app_namespace_secret(t, "2", 5678, lo[1], false)?;
    for &sw in &lo {
        config_ip6(t, sw, false)?;
        set_table_ip6(t, sw, 0)?;
        admin(t, sw, false)?;
    }
    session_off(t)?;
    route6_via_table(t, &local_ip6(lo[0]), 2, 1, false)?;
    route6_via_table(t, &local_ip6(lo[1]), 1, 2, false)?;
    ip6_table(t, 2, false)?;
    ip6_table(t, 1, false)?;
    Ok(())
}

/// The set-up of VCLProgrammaticConfig (which skips VCLTestCase's): the
/// session layer on, two loopbacks, up, with their /24s in table 0.
fn loops_ip4_set_up(t: &mut TestCase) -> TestResult {
    session_on(t)?;
    let lo = create_loops(t)?;
    for &sw in &lo {
        admin(t, sw, true)?;
        config_ip4(t, sw, true)?;
    }
    Ok(())
}

/// The set-up of VCLThruHostStackCLUDPBinds: VCLTestCase's, then
/// [`loops_ip4_set_up`].
fn cl_udp_binds_set_up(t: &mut TestCase) -> TestResult {
    vcl_set_up(t)?;
    loops_ip4_set_up(t)
}

/// Undoes [`loops_ip4_set_up`] (the loopbacks go with asf's registry).
fn loops_ip4_tear_down(t: &mut TestCase) -> TestResult {
    for sw in loops() {
        config_ip4(t, sw, false)?;
        admin(t, sw, false)?;
    }
    Ok(())
}

/// `update_vcl_app_env` on a fresh `{scope: "true"}`: the namespace id and
/// secret when given, and the session API socket of namespace `attach_sock`
/// (`<runtime dir>/app_ns_sockets/<attach_sock>`), or VPP's binary API socket
/// when `attach_sock` is empty.
fn vcl_app_env(
    t: &TestCase,
    scope: &str,
    ns_id: &str,
    ns_secret: &str,
    attach_sock: &str,
) -> Vec<(String, String)> {
    let mut env = vec![(scope.to_string(), "true".to_string())];
    if !ns_id.is_empty() {
        env.push(("VCL_APP_NAMESPACE_ID".to_string(), ns_id.to_string()));
    }
    if !ns_secret.is_empty() {
        env.push((
            "VCL_APP_NAMESPACE_SECRET".to_string(),
            ns_secret.to_string(),
        ));
    }
    if attach_sock.is_empty() {
        env.push((
            "VCL_VPP_API_SOCKET".to_string(),
            t.api_sock_path().display().to_string(),
        ));
    } else {
        env.push((
            "VCL_VPP_SAPI_SOCKET".to_string(),
            sapi_sock_path(t, attach_sock),
        ));
    }
    env
}

/// The session API socket of app namespace `name`.
fn sapi_sock_path(t: &TestCase, name: &str) -> String {
    t.runtime_dir()
        .join("app_ns_sockets")
        .join(name)
        .display()
        .to_string()
}

/// `VCLAppWorker`: the helper running `app` with `env`. iperf3 (on PATH)
/// and the `sock_*` apps get `libvcl_ldpreload.so` as LD_PRELOAD, the others
/// are VPP's test programs; like the original's `Worker`, it runs under
/// `stdbuf -o0 -e0` (when there is one) with `CK_LOG_FILE_NAME=-`. The
/// library is looked up for every app, as the original does.
fn vcl_app_worker(
    t: &TestCase,
    app: &App,
    mut env: Vec<(String, String)>,
    role: &str,
    timeout: u64,
) -> TestResult<Helper> {
    let ldpreload = t.vpp_library(LIBNAME)?.display().to_string();
    let program: PathBuf = if app.name.contains("iperf") {
        env.push(("LD_PRELOAD".to_string(), ldpreload));
        PathBuf::from(app.name)
    } else if app.name.contains("sock") {
        env.push(("LD_PRELOAD".to_string(), ldpreload));
        t.vpp_program(app.name)?
    } else {
        t.vpp_program(app.name)?
    };
    env.push(("CK_LOG_FILE_NAME".to_string(), "-".to_string()));
    tracing::debug!("{} {role}: {}", app.name, app.args.join(" "));
    let helper = match on_path("stdbuf") {
        Some(stdbuf) => Helper::new(stdbuf).args(vec![
            "-o0".to_string(),
            "-e0".to_string(),
            program.display().to_string(),
        ]),
        None => Helper::new(program),
    };
    let mut helper = helper
        .args(app.args.iter().cloned())
        .timeout(Duration::from_secs(timeout + HELPER_GRACE));
    for (k, v) in env {
        helper = helper.env(k, v);
    }
    Ok(helper)
}

/// What the body shared by `cut_thru_test` and `thru_host_stack_test`
/// does: the server, the pre-test sleep, the client, `validateResults`,
/// the post-test sleep.
fn run_server_client(t: &mut TestCase, server: Helper, client: Helper, timeout: u64) -> TestResult {
    let worker_server = t.start_helper(server)?;
    t.sleep(PRE_TEST_SLEEP, "");
    let worker_client = t.start_helper(client)?;
    validate_results(t, worker_client, worker_server, timeout)?;
    t.sleep(POST_TEST_SLEEP, "");
    Ok(())
}

/// `cut_thru_test`: server and client in the same (default) namespace,
/// local scope, attached through session API socket `sapi_sock` (VPP's
/// binary API socket when empty).
fn cut_thru_test(
    t: &mut TestCase,
    server: App,
    client: App,
    sapi_sock: &str,
    timeout: u64,
) -> TestResult {
    let env = vcl_app_env(t, SCOPE_LOCAL, "", "", sapi_sock);
    let server = vcl_app_worker(t, &server, env.clone(), "server", timeout)?;
    let client = vcl_app_worker(t, &client, env, "client", timeout)?;
    run_server_client(t, server, client, timeout)
}

/// `thru_host_stack_test`: the server in app namespace "1", the client in
/// "2", global scope, each attached through its namespace's socket.
fn thru_host_stack_test(t: &mut TestCase, server: App, client: App, timeout: u64) -> TestResult {
    let server_env = vcl_app_env(t, SCOPE_GLOBAL, "1", "1234", "1");
    let client_env = vcl_app_env(t, SCOPE_GLOBAL, "2", "5678", "2");
    let server = vcl_app_worker(t, &server, server_env, "server", timeout)?;
    let client = vcl_app_worker(t, &client, client_env, "client", timeout)?;
    run_server_client(t, server, client, timeout)
}

/// How a helper ended, for messages: its exit code or its signal.
fn describe(exit: &HelperExit) -> String {
    match (exit.code, exit.signal) {
        (Some(code), _) => code.to_string(),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        (None, None) => "unknown".to_string(),
    }
}

/// `validateResults`: waits `timeout` seconds for the client; terminates
/// the server if it still runs; kills a client that did not finish (a
/// failure) or checks that it exited with 0. Any problem fails the test
/// with "Failed with <problem>", as the original's `self.fail` does.
fn validate_results(
    _t: &TestCase,
    client: RunningHelper,
    server: RunningHelper,
    timeout: u64,
) -> TestResult {
    if let Err(error) = check_workers(client, server, timeout) {
        panic!("Failed with {error}");
    }
    Ok(())
}

/// The checks of [`validate_results`], a problem as an error.
fn check_workers(mut client: RunningHelper, mut server: RunningHelper, timeout: u64) -> TestResult {
    // worker_client.join(self.timeout)
    let result = client.wait_timeout(Duration::from_secs(timeout))?;
    if server.is_running() {
        tracing::info!("Killing server worker process (pid {})", server.pid());
        server.terminate()?;
    }
    let Some(exit) = result else {
        tracing::error!(
            "Timeout: {timeout}s! Killing client worker process (pid {})",
            client.pid()
        );
        client.kill()?;
        return Err(format!("Timeout! Client worker did not finish in {timeout}s").into());
    };
    tracing::info!("Client worker result is `{}'", describe(&exit));
    if exit.code != Some(0) {
        return Err(format!(
            "Invalid Binary test return code: {} does not match expected value 0",
            describe(&exit)
        )
        .into());
    }
    Ok(())
}

/// LDP Cut Thru Tests
#[vpp_test(
    fixme_asan,
    name = "LDPCutThruTestCase",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = cut_thru_set_up,
    tear_down = cut_thru_tear_down,
    show_at_teardown = ["show session verbose 2", "show app mq"],
    requires_messages = ["session_enable_disable"]
)]
mod ldp_cut_thru {
    use super::*;

    /// run LDP cut thru echo test
    #[vpp_test(extended)]
    fn test_ldp_cut_thru_echo(t: &mut TestCase) -> TestResult {
        cut_thru_test(
            t,
            app("sock_test_server", &[SERVER_PORT]),
            app(
                "sock_test_client",
                &["-E", ECHO_PHRASE, "-X", SERVER_ADDR, SERVER_PORT],
            ),
            "default",
            TIMEOUT,
        )
    }

    /// run LDP cut thru iperf3 test
    #[vpp_test(requires_programs = ["iperf3"])]
    fn test_ldp_cut_thru_iperf3(t: &mut TestCase) -> TestResult {
        // self.client_iperf3_timeout
        cut_thru_test(
            t,
            app(IPERF3, &["-4", "-s"]),
            app(IPERF3, &["-4", "-t 2", "-c", SERVER_ADDR]),
            "default",
            20,
        )
    }

    /// run LDP cut thru uni-directional (multiple sockets) test
    #[vpp_test(extended)]
    fn test_ldp_cut_thru_uni_dir_nsock(t: &mut TestCase) -> TestResult {
        // self.client_uni_dir_nsock_timeout
        cut_thru_test(
            t,
            app("sock_test_server", &[SERVER_PORT]),
            app(
                "sock_test_client",
                &[
                    "-N",
                    "1000",
                    "-U",
                    "-X",
                    "-I",
                    "2",
                    SERVER_ADDR,
                    SERVER_PORT,
                ],
            ),
            "default",
            20,
        )
    }

    /// run LDP cut thru bi-directional (multiple sockets) test
    #[vpp_test(extended, ignore = "sock test apps need to be improved")]
    fn test_ldp_cut_thru_bi_dir_nsock(t: &mut TestCase) -> TestResult {
        // self.client_bi_dir_nsock_timeout
        cut_thru_test(
            t,
            app("sock_test_server", &[SERVER_PORT]),
            app(
                "sock_test_client",
                &[
                    "-N",
                    "1000",
                    "-B",
                    "-X",
                    "-I",
                    "2",
                    SERVER_ADDR,
                    SERVER_PORT,
                ],
            ),
            "default",
            20,
        )
    }
}

/// VCL Cut Thru Tests
#[vpp_test(
    name = "VCLCutThruTestCase",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = cut_thru_set_up,
    show_at_teardown = ["show session verbose 2", "show app mq"],
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable"]
)]
mod vcl_cut_thru {
    use super::*;

    /// run VCL cut thru echo test
    #[vpp_test]
    fn test_vcl_cut_thru_echo(t: &mut TestCase) -> TestResult {
        cut_thru_test(
            t,
            app("vperf_server", &[SERVER_PORT]),
            app(
                "vperf_client",
                &["-E", ECHO_PHRASE, "-X", SERVER_ADDR, SERVER_PORT],
            ),
            "default",
            TIMEOUT,
        )
    }

    /// run VCL cut thru uni-directional (multiple sockets) test
    #[vpp_test]
    fn test_vcl_cut_thru_uni_dir_nsock(t: &mut TestCase) -> TestResult {
        // self.client_uni_dir_nsock_timeout
        cut_thru_test(
            t,
            app("vperf_server", &[SERVER_PORT]),
            app(
                "vperf_client",
                &[
                    "-N",
                    "1000",
                    "-U",
                    "-X",
                    "-I",
                    "2",
                    SERVER_ADDR,
                    SERVER_PORT,
                ],
            ),
            "default",
            20,
        )
    }

    /// run VCL cut thru bi-directional (multiple sockets) test
    #[vpp_test]
    fn test_vcl_cut_thru_bi_dir_nsock(t: &mut TestCase) -> TestResult {
        // self.client_bi_dir_nsock_timeout
        cut_thru_test(
            t,
            app("vperf_server", &[SERVER_PORT]),
            app(
                "vperf_client",
                &[
                    "-N",
                    "1000",
                    "-B",
                    "-X",
                    "-I",
                    "2",
                    SERVER_ADDR,
                    SERVER_PORT,
                ],
            ),
            "default",
            20,
        )
    }
}

/// The echo test of VCLThruHostStackEcho and its interrupt-mode subclass.
fn thru_host_stack_echo(t: &mut TestCase) -> TestResult {
    let [loop0, _] = loops();
    let ip = local_ip4(loop0);
    thru_host_stack_test(
        t,
        app("vperf_server", &[SERVER_PORT]),
        app(
            "vperf_client",
            &["-E", ECHO_PHRASE, "-X", ip.as_str(), SERVER_PORT],
        ),
        TIMEOUT,
    )
}

/// VCL Thru Host Stack Echo
#[vpp_test(
    name = "VCLThruHostStackEcho",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    show_at_teardown = ["show app server", "show session verbose", "show app mq"],
    requires_programs = ["iperf3"],
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod vcl_host_stack_echo {
    use super::*;

    /// run VCL IPv4 thru host stack echo test
    #[vpp_test]
    fn test_vcl_thru_host_stack_echo(t: &mut TestCase) -> TestResult {
        thru_host_stack_echo(t)
    }
}

/// VCL Thru Host Stack CL UDP Echo
#[vpp_test(
    name = "VCLThruHostStackCLUDPEcho",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    show_at_teardown = ["show app server", "show session verbose", "show app mq"],
    requires_programs = ["iperf3"],
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod vcl_host_stack_cl_udp_echo {
    use super::*;

    /// `self.timeout` of this class.
    const CL_UDP_TIMEOUT: u64 = 5;

    /// run VCL IPv4 thru host stack CL UDP echo test
    #[vpp_test]
    fn test_vcl_thru_host_stack_cl_udp_echo(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        thru_host_stack_test(
            t,
            app("vperf_cl_udp", &["-s", ip.as_str()]),
            app("vperf_cl_udp", &["-c", ip.as_str()]),
            CL_UDP_TIMEOUT,
        )
    }

    /// run VCL IPv4 thru host stack CL UDP MT echo test
    #[vpp_test]
    fn test_vcl_thru_host_stack_cl_udp_mt_echo(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        thru_host_stack_test(
            t,
            app("vperf_cl_udp", &["-s", ip.as_str(), "-w", "2"]),
            app("vperf_cl_udp", &["-c", ip.as_str(), "-w", "2"]),
            CL_UDP_TIMEOUT,
        )
    }
}

/// VCL Programmatic Configuration Tests
#[vpp_test(
    name = "VCLProgrammaticConfig",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = loops_ip4_set_up,
    tear_down = loops_ip4_tear_down,
    requires_plugins = ["hs_apps_plugin.so"],
    requires_messages = ["session_enable_disable"]
)]
mod vcl_programmatic_config {
    use super::*;

    /// `self.cfg_timeout`.
    const CFG_TIMEOUT: &str = "3";
    /// `self.test_timeout`.
    const TEST_TIMEOUT: u64 = 5;

    /// run VCL configuration test with programmatic config and session creation
    #[vpp_test]
    fn test_vcl_cfg_test_programmatic_config(t: &mut TestCase) -> TestResult {
        // Test the vcl_cfg_test application which uses programmatic VCL configuration
        // and creates a session to test the configuration-based app creation

        // Set up minimal VCL environment - let vcl_cfg_test handle all configs programmatically
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        let sapi_sock = sapi_sock_path(t, "default");
        let server_args = [
            "-s",
            ip.as_str(),
            "-t",
            CFG_TIMEOUT,
            "-a",
            sapi_sock.as_str(),
            "-d",
            "2",
        ];
        let worker = vcl_app_worker(
            t,
            &app("vcl_cfg_test", &server_args),
            Vec::new(),
            "server",
            TEST_TIMEOUT,
        )?;
        let mut worker_cfg_test = t.start_helper(worker)?;
        t.sleep(0.5, "");

        // Check with VPP CLI that the session is bound in VPP
        let session_output = t.cli("show session verbose")?;
        assert!(
            session_output.contains(&ip),
            "{ip} not in show session verbose:\n{session_output}"
        );
        assert!(
            session_output.contains("[U]"),
            "[U] not in show session verbose:\n{session_output}"
        );
        assert!(
            session_output.contains("LISTEN"),
            "LISTEN not in show session verbose:\n{session_output}"
        );

        // worker_cfg_test.join(self.test_timeout): its result is not checked
        worker_cfg_test.wait_timeout(Duration::from_secs(TEST_TIMEOUT))?;
        Ok(())
    }
}

/// VCL Thru Host Stack CL UDP Binds
#[vpp_test(
    name = "VCLThruHostStackCLUDPBinds",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = cl_udp_binds_set_up,
    tear_down = loops_ip4_tear_down,
    show_at_teardown = ["show app server", "show session verbose", "show app mq"],
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable"]
)]
mod vcl_host_stack_cl_udp_binds {
    use super::*;

    /// `self.timeout` of this class.
    const CL_UDP_TIMEOUT: u64 = 5;

    /// run VCL IPv4 thru host stack CL UDP multiple binds test
    #[vpp_test]
    fn test_vcl_thru_host_stack_cl_udp_multiple_binds(t: &mut TestCase) -> TestResult {
        let [loop0, loop1] = loops();
        let (ip0, ip1) = (local_ip4(loop0), local_ip4(loop1));

        // 2 CL UDP servers bound to the same port but different IPs
        let server1_args = ["-s", ip0.as_str(), "-w", "2"];
        let server2_args = ["-s", ip1.as_str(), "-w", "2"];

        let env = vec![
            (SCOPE_GLOBAL.to_string(), "true".to_string()),
            (
                "VCL_VPP_SAPI_SOCKET".to_string(),
                sapi_sock_path(t, "default"),
            ),
        ];
        let server1 = vcl_app_worker(
            t,
            &app("vperf_cl_udp", &server1_args),
            env.clone(),
            "server1",
            CL_UDP_TIMEOUT,
        )?;
        let server2 = vcl_app_worker(
            t,
            &app("vperf_cl_udp", &server2_args),
            env,
            "server2",
            CL_UDP_TIMEOUT,
        )?;

        let worker_server1 = t.start_helper(server1)?;
        t.sleep(0.5, "");
        let mut worker_server2 = t.start_helper(server2)?;
        t.sleep(0.5, "");

        let session_output = t.cli("show session verbose")?;
        for want in [ip0.as_str(), ip1.as_str(), "[U]", "LISTEN"] {
            assert!(
                session_output.contains(want),
                "{want} not in show session verbose:\n{session_output}"
            );
        }

        for worker in [&worker_server1, &worker_server2] {
            if let Err(e) = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(worker.pid() as i32),
                nix::sys::signal::Signal::SIGUSR1,
            ) {
                tracing::warn!("Failed to send SIGUSR1: {e}");
            }
        }

        t.sleep(0.5, "");

        // worker_server2.join(self.timeout): its result is not checked
        worker_server2.wait_timeout(Duration::from_secs(CL_UDP_TIMEOUT))?;
        drop(worker_server1);
        Ok(())
    }
}

/// The test of VCLThruHostStackTLS and its interrupt-mode subclass.
fn thru_host_stack_tls_uni_dir(t: &mut TestCase) -> TestResult {
    let [loop0, _] = loops();
    let ip = local_ip4(loop0);
    // self.client_uni_dir_tls_timeout
    thru_host_stack_test(
        t,
        app("vperf_server", &["-L", SERVER_PORT]),
        app(
            "vperf_client",
            &["-N", "1000", "-U", "-X", "-L", ip.as_str(), SERVER_PORT],
        ),
        20,
    )
}

/// VCL Thru Host Stack TLS
#[vpp_test(
    name = "VCLThruHostStackTLS",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    show_at_teardown = ["show app server", "show session verbose 2", "show app mq"],
    requires_programs = ["iperf3"],
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod vcl_host_stack_tls {
    use super::*;

    /// run VCL thru host stack uni-directional TLS test
    #[vpp_test]
    fn test_vcl_thru_host_stack_tls_uni_dir(t: &mut TestCase) -> TestResult {
        thru_host_stack_tls_uni_dir(t)
    }
}

/// VCL Thru Host Stack Echo interrupt mode
#[vpp_test(
    name = "VCLThruHostStackEchoInterruptMode",
    helpers = 2,
    vpp_config = "session { use-private-rx-mqs use-app-socket-api }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    show_at_teardown = ["show app server", "show session verbose", "show app mq"],
    requires_programs = ["iperf3"],
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod vcl_host_stack_echo_interrupt_mode {
    use super::*;

    /// run VCL IPv4 thru host stack echo test interrupt mode
    #[vpp_test]
    fn test_vcl_thru_host_stack_echo(t: &mut TestCase) -> TestResult {
        // sapi_server_sock "1", sapi_client_sock "2": as thru_host_stack_test attaches
        thru_host_stack_echo(t)
    }
}

/// VCL Thru Host Stack TLS interrupt mode
#[vpp_test(
    name = "VCLThruHostStackTLSInterruptMode",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api use-private-rx-mqs }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    show_at_teardown = ["show app server", "show session verbose 2", "show app mq"],
    requires_programs = ["iperf3"],
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod vcl_host_stack_tls_interrupt_mode {
    use super::*;

    /// run VCL thru host stack uni-directional TLS test
    #[vpp_test]
    fn test_vcl_thru_host_stack_tls_uni_dir(t: &mut TestCase) -> TestResult {
        thru_host_stack_tls_uni_dir(t)
    }
}

/// VCL Thru Host Stack DTLS
#[vpp_test(
    name = "VCLThruHostStackDTLS",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    show_at_teardown = ["show app server", "show session verbose 2", "show app mq"],
    requires_programs = ["iperf3"],
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod vcl_host_stack_dtls {
    use super::*;

    /// run VCL thru host stack uni-directional DTLS test
    #[vpp_test]
    fn test_vcl_thru_host_stack_dtls_uni_dir(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        // self.client_uni_dir_dtls_timeout
        thru_host_stack_test(
            t,
            app("vperf_server", &["-p", "dtls", SERVER_PORT]),
            app(
                "vperf_client",
                &[
                    "-N",
                    "1000",
                    "-U",
                    "-X",
                    "-p",
                    "dtls",
                    "-T 1400",
                    ip.as_str(),
                    SERVER_PORT,
                ],
            ),
            20,
        )
    }
}

/// VCL Thru Host Stack QUIC
#[vpp_test(
    name = "VCLThruHostStackQUIC",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    plugin_config = "plugin quic_plugin.so { enable } plugin quic_quicly_plugin.so { enable }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    show_at_teardown = ["show app server", "show session verbose 2", "show app mq"],
    requires_programs = ["iperf3"],
    requires_plugins = ["vperf_plugin.so", "quic_plugin.so", "quic_quicly_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod vcl_host_stack_quic {
    use super::*;

    /// run VCL thru host stack uni-directional QUIC test
    #[vpp_test(extended)]
    fn test_vcl_thru_host_stack_quic_uni_dir(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        // self.client_uni_dir_quic_timeout
        thru_host_stack_test(
            t,
            app("vperf_server", &["-p", "quic", SERVER_PORT]),
            app(
                "vperf_client",
                &[
                    "-N",
                    "1000",
                    "-U",
                    "-X",
                    "-p",
                    "quic",
                    ip.as_str(),
                    SERVER_PORT,
                ],
            ),
            20,
        )
    }

    /// run VCL thru host stack bi-directional multi stream QUIC test
    #[vpp_test(extended)]
    fn test_vcl_thru_host_stack_quic_bi_dir_multi_stream(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        // self.client_uni_dir_quic_timeout
        thru_host_stack_test(
            t,
            app("vperf_server", &["-p", "quic", SERVER_PORT]),
            app(
                "vperf_client",
                &[
                    "-N",
                    "1000",
                    "-B",
                    "-X",
                    "-p",
                    "quic",
                    "-s",
                    "10",
                    "-q",
                    "10",
                    ip.as_str(),
                    SERVER_PORT,
                ],
            ),
            20,
        )
    }
}

/// VCL Thru Host Stack HTTP Post
#[vpp_test(
    name = "VCLThruHostStackHTTPPost",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    plugin_config = "plugin http_plugin.so { enable }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    show_at_teardown = ["show app server", "show session verbose 2", "show app mq"],
    requires_programs = ["iperf3"],
    requires_plugins = ["vperf_plugin.so", "http_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod vcl_host_stack_http_post {
    use super::*;

    /// run VCL thru host stack uni-directional HTTP POST test
    #[vpp_test]
    fn test_vcl_thru_host_stack_http_post_uni_dir(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        // self.client_uni_dir_http_post_timeout
        thru_host_stack_test(
            t,
            app("vperf_server", &["-p", "http", SERVER_PORT]),
            app(
                "vperf_client",
                &[
                    "-N",
                    "10000",
                    "-U",
                    "-X",
                    "-p",
                    "http",
                    ip.as_str(),
                    SERVER_PORT,
                ],
            ),
            120,
        )
    }
}

/// VCL Thru Host Stack Bidir Nsock
#[vpp_test(
    name = "VCLThruHostStackBidirNsock",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    show_at_teardown = ["show session verbose 2", "show app mq"],
    requires_programs = ["iperf3"],
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod vcl_host_stack_bidir_nsock {
    use super::*;

    /// run VCL thru host stack bi-directional (multiple sockets) test
    #[vpp_test]
    fn test_vcl_thru_host_stack_bi_dir_nsock(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        // self.client_bi_dir_nsock_timeout
        thru_host_stack_test(
            t,
            app("vperf_server", &[SERVER_PORT]),
            app(
                "vperf_client",
                &[
                    "-N",
                    "1000",
                    "-B",
                    "-X",
                    "-I",
                    "2",
                    ip.as_str(),
                    SERVER_PORT,
                ],
            ),
            20,
        )
    }
}

/// LDP Thru Host Stack Bidir Nsock
#[vpp_test(
    fixme_asan,
    name = "LDPThruHostStackBidirNsock",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    show_at_teardown = ["show session verbose 2", "show app mq"],
    requires_programs = ["iperf3"],
    requires_plugins = ["hs_apps_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod ldp_host_stack_bidir_nsock {
    use super::*;

    /// run LDP thru host stack bi-directional (multiple sockets) test
    #[vpp_test]
    fn test_ldp_thru_host_stack_bi_dir_nsock(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        // self.client_bi_dir_nsock_timeout
        thru_host_stack_test(
            t,
            app("sock_test_server", &[SERVER_PORT]),
            app(
                "sock_test_client",
                &[
                    "-N",
                    "1000",
                    "-B",
                    "-X",
                    // OUCH! Host Stack Bug?
                    // Only fails when running
                    // 'make test TEST_JOBS=auto'
                    // or TEST_JOBS > 1
                    // "-I", "2",
                    ip.as_str(),
                    SERVER_PORT,
                ],
            ),
            20,
        )
    }
}

/// LDP Thru Host Stack Nsock
#[vpp_test(
    fixme_asan,
    name = "LDPThruHostStackNsock",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    requires_programs = ["iperf3"],
    requires_plugins = ["hs_apps_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod ldp_host_stack_nsock {
    use super::*;

    /// run LDP thru host stack uni-directional (multiple sockets) test
    #[vpp_test]
    fn test_ldp_thru_host_stack_uni_dir_nsock(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        // numSockets: "2" on a debug build (vppDebug), which asf does not tell apart.
        let num_sockets = "5";
        // self.client_uni_dir_nsock_timeout
        thru_host_stack_test(
            t,
            app("sock_test_server", &[SERVER_PORT]),
            app(
                "sock_test_client",
                &[
                    "-N",
                    "1000",
                    "-U",
                    "-X",
                    "-I",
                    num_sockets,
                    ip.as_str(),
                    SERVER_PORT,
                ],
            ),
            20,
        )
    }
}

/// VCL Thru Host Stack Nsock
#[vpp_test(
    name = "VCLThruHostStackNsock",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    requires_programs = ["iperf3"],
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod vcl_host_stack_nsock {
    use super::*;

    /// run VCL thru host stack uni-directional (multiple sockets) test
    #[vpp_test]
    fn test_vcl_thru_host_stack_uni_dir_nsock(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        // numSockets: "2" on a debug build (vppDebug), which asf does not tell apart.
        let num_sockets = "5";
        // self.client_uni_dir_nsock_timeout
        thru_host_stack_test(
            t,
            app("vperf_server", &[SERVER_PORT]),
            app(
                "vperf_client",
                &[
                    "-N",
                    "1000",
                    "-U",
                    "-X",
                    "-I",
                    num_sockets,
                    ip.as_str(),
                    SERVER_PORT,
                ],
            ),
            20,
        )
    }
}

/// LDP Thru Host Stack Iperf
#[vpp_test(
    fixme_asan,
    name = "LDPThruHostStackIperf",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    show_at_teardown = ["show session verbose 2", "show app mq"],
    requires_programs = ["iperf3"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod ldp_host_stack_iperf {
    use super::*;

    /// run LDP thru host stack iperf3 test
    #[vpp_test]
    fn test_ldp_thru_host_stack_iperf3(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        // self.client_iperf3_timeout
        thru_host_stack_test(
            t,
            app(IPERF3, &["-4", "-s"]),
            app(IPERF3, &["-4", "-t 2", "-c", ip.as_str()]),
            20,
        )
    }

    /// run LDP thru host stack iperf3 test with mss option
    #[vpp_test]
    fn test_ldp_thru_host_stack_iperf3_mss(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        // self.client_iperf3_timeout
        thru_host_stack_test(
            t,
            app(IPERF3, &["-4", "-s"]),
            app(IPERF3, &["-4", "-t 2", "-c", ip.as_str(), "-M 1000"]),
            20,
        )
    }
}

/// LDP Thru Host Stack Iperf UDP
#[vpp_test(
    fixme_asan,
    name = "LDPThruHostStackIperfUdp",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = thru_host_stack_set_up,
    tear_down = thru_host_stack_tear_down,
    show_at_teardown = ["show session verbose 2", "show app mq"],
    requires_programs = ["iperf3"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod ldp_host_stack_iperf_udp {
    use super::*;

    /// run LDP thru host stack iperf3 UDP test
    #[vpp_test]
    fn test_ldp_thru_host_stack_iperf3_udp(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip = local_ip4(loop0);
        // self.client_iperf3_timeout
        thru_host_stack_test(
            t,
            app(IPERF3, &["-4", "-s"]),
            app(
                IPERF3,
                &["-4", "-t 2", "-u", "-l 1400", "-P 2", "-c", ip.as_str()],
            ),
            20,
        )
    }
}

/// LDP IPv6 Cut Thru Tests
#[vpp_test(
    fixme_asan,
    name = "LDPIpv6CutThruTestCase",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = cut_thru_set_up,
    tear_down = cut_thru_tear_down,
    show_at_teardown = ["show session verbose 2", "show app mq"],
    requires_messages = ["session_enable_disable"]
)]
mod ldp_ipv6_cut_thru {
    use super::*;

    /// run LDP IPv6 cut thru echo test
    #[vpp_test(extended)]
    fn test_ldp_ipv6_cut_thru_echo(t: &mut TestCase) -> TestResult {
        cut_thru_test(
            t,
            app("sock_test_server", &["-6", SERVER_PORT]),
            app(
                "sock_test_client",
                &["-6", "-E", ECHO_PHRASE, "-X", SERVER_IPV6_ADDR, SERVER_PORT],
            ),
            "default",
            TIMEOUT,
        )
    }

    /// run LDP IPv6 cut thru iperf3 test
    #[vpp_test(requires_programs = ["iperf3"])]
    fn test_ldp_ipv6_cut_thru_iperf3(t: &mut TestCase) -> TestResult {
        // self.client_iperf3_timeout
        cut_thru_test(
            t,
            app(IPERF3, &["-6", "-s"]),
            app(IPERF3, &["-6", "-t 2", "-c", SERVER_IPV6_ADDR]),
            "default",
            20,
        )
    }

    /// run LDP IPv6 cut thru uni-directional (multiple sockets) test
    #[vpp_test(extended)]
    fn test_ldp_ipv6_cut_thru_uni_dir_nsock(t: &mut TestCase) -> TestResult {
        // self.client_uni_dir_nsock_timeout
        cut_thru_test(
            t,
            app("sock_test_server", &["-6", SERVER_PORT]),
            app(
                "sock_test_client",
                &[
                    "-N",
                    "1000",
                    "-U",
                    "-X",
                    "-6",
                    "-I",
                    "2",
                    SERVER_IPV6_ADDR,
                    SERVER_PORT,
                ],
            ),
            "default",
            20,
        )
    }

    /// run LDP IPv6 cut thru bi-directional (multiple sockets) test
    #[vpp_test(extended, ignore = "sock test apps need to be improved")]
    fn test_ldp_ipv6_cut_thru_bi_dir_nsock(t: &mut TestCase) -> TestResult {
        // self.client_bi_dir_nsock_timeout
        cut_thru_test(
            t,
            app("sock_test_server", &["-6", SERVER_PORT]),
            app(
                "sock_test_client",
                &[
                    "-N",
                    "1000",
                    "-B",
                    "-X",
                    "-6",
                    "-I",
                    "2",
                    SERVER_IPV6_ADDR,
                    SERVER_PORT,
                ],
            ),
            "default",
            20,
        )
    }
}

/// VCL IPv6 Cut Thru Tests
#[vpp_test(
    name = "VCLIpv6CutThruTestCase",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = cut_thru_set_up,
    tear_down = cut_thru_tear_down,
    show_at_teardown = ["show session verbose 2", "show app mq"],
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable"]
)]
mod vcl_ipv6_cut_thru {
    use super::*;

    /// run VCL IPv6 cut thru echo test
    #[vpp_test]
    fn test_vcl_ipv6_cut_thru_echo(t: &mut TestCase) -> TestResult {
        cut_thru_test(
            t,
            app("vperf_server", &["-6", SERVER_PORT]),
            app(
                "vperf_client",
                &["-6", "-E", ECHO_PHRASE, "-X", SERVER_IPV6_ADDR, SERVER_PORT],
            ),
            "default",
            TIMEOUT,
        )
    }

    /// run VCL IPv6 cut thru uni-directional (multiple sockets) test
    #[vpp_test(extended)]
    fn test_vcl_ipv6_cut_thru_uni_dir_nsock(t: &mut TestCase) -> TestResult {
        // self.client_uni_dir_nsock_timeout
        cut_thru_test(
            t,
            app("vperf_server", &["-6", SERVER_PORT]),
            app(
                "vperf_client",
                &[
                    "-N",
                    "1000",
                    "-U",
                    "-X",
                    "-6",
                    "-I",
                    "2",
                    SERVER_IPV6_ADDR,
                    SERVER_PORT,
                ],
            ),
            "default",
            20,
        )
    }

    /// run VCL IPv6 cut thru bi-directional (multiple sockets) test
    #[vpp_test(extended)]
    fn test_vcl_ipv6_cut_thru_bi_dir_nsock(t: &mut TestCase) -> TestResult {
        // self.client_bi_dir_nsock_timeout
        cut_thru_test(
            t,
            app("vperf_server", &["-6", SERVER_PORT]),
            app(
                "vperf_client",
                &[
                    "-N",
                    "1000",
                    "-B",
                    "-X",
                    "-6",
                    "-I",
                    "2",
                    SERVER_IPV6_ADDR,
                    SERVER_PORT,
                ],
            ),
            "default",
            20,
        )
    }
}

/// VCL IPv6 Thru Host Stack Echo
#[vpp_test(
    name = "VCLIpv6ThruHostStackEcho",
    helpers = 2,
    vpp_config = "session { poll-main use-app-socket-api }",
    set_up = thru_host_stack_ipv6_set_up,
    tear_down = thru_host_stack_ipv6_tear_down,
    requires_programs = ["iperf3"],
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod vcl_ipv6_host_stack_echo {
    use super::*;

    /// run VCL IPv6 thru host stack echo test
    #[vpp_test]
    fn test_vcl_ipv6_thru_host_stack_echo(t: &mut TestCase) -> TestResult {
        let [loop0, _] = loops();
        let ip6 = local_ip6(loop0);
        thru_host_stack_test(
            t,
            app("vperf_server", &["-6", SERVER_PORT]),
            app(
                "vperf_client",
                &["-6", "-E", ECHO_PHRASE, "-X", ip6.as_str(), SERVER_PORT],
            ),
            TIMEOUT,
        )
    }
}

/// VCL Cut Thru BAPI Test
#[vpp_test(
    name = "VCLCutThruTestCaseBAPI",
    helpers = 2,
    vpp_config = "session { poll-main use-bapi-socket-api }",
    set_up = cut_thru_set_up,
    show_at_teardown = ["show session verbose 2", "show app mq"],
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable"]
)]
mod vcl_cut_thru_bapi {
    use super::*;

    /// run VCL cut thru tcp test bapi
    #[vpp_test]
    fn test_vcl_cut_thru_tcp_bapi(t: &mut TestCase) -> TestResult {
        // Single binary api test after switching to app socket api as default
        // (sapi_server_sock and sapi_client_sock are "": the binary API socket)
        cut_thru_test(
            t,
            app("vperf_server", &[SERVER_PORT]),
            app("vperf_client", &["-N", "1000", SERVER_ADDR, SERVER_PORT]),
            "",
            TIMEOUT,
        )
    }
}
