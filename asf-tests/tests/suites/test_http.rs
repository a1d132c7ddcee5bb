//! Port of `test/asf/test_http.py`. VPP's framework skips it always
//! ("Requires root"); asf runs it as root. The tap's host side goes into a
//! network namespace of the class (the original leaves `tap0` with
//! 172.0.0.2 in the machine's own namespace), and the GET is made there
//! with curl (the original uses Python's http.client).

use asf_core::helper::Helper;
use asf_core::host::ledger::Kind;
use asf_core::host::Netns;
use asf_core::{vpp_test, TestCase, TestResult};
use serde_json::json;
use std::sync::Mutex;
use std::time::Duration;

const CLIENT_IP4: &str = "172.0.0.2";
const SERVER_IP4: &str = "172.0.0.1";

/// The namespace of the running test, from set-up.
static NS: Mutex<Option<Netns>> = Mutex::new(None);

/// The original's setUp: a tap (host side 172.0.0.2/24), VPP side
/// 172.0.0.1/24, up; the session layer on.
fn set_up(t: &mut TestCase) -> TestResult {
    let ns = t.create_namespace()?;
    let host_if = t.host_name(Kind::Link)?;
    t.cli(&format!(
        "create tap id 0 host-ip4-addr {CLIENT_IP4}/24 host-ns {} host-if-name {host_if}",
        ns.name()
    ))?;
    t.cli(&format!("set int ip addr tap0 {SERVER_IP4}/24"))?;
    t.cli("set int state tap0 up")?;
    t.api()
        .call("session_enable_disable", json!({"is_enable": 1}))?;
    *NS.lock().unwrap_or_else(|e| e.into_inner()) = Some(ns);
    Ok(())
}

/// HTTP test class
#[vpp_test(
    name = "TestHttpTps",
    set_up = set_up,
    requires_root,
    requires_programs = ["curl"],
    requires_plugins = ["tap_plugin.so", "http_plugin.so", "hs_apps_plugin.so"]
)]
mod http_tps {
    use super::*;

    #[vpp_test]
    fn test_http_tps(t: &mut TestCase) -> TestResult {
        let fname = "test_file_1M";
        t.cli("http tps uri http://0.0.0.0/8080")?;
        let ns = NS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or("no namespace from set-up")?;
        let r = t.run_helper(
            Helper::new("curl")
                .args([
                    "--noproxy",
                    "*",
                    "-sS",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{size_download}",
                    &format!("http://{SERVER_IP4}:8080/{fname}"),
                ])
                .netns(&ns)
                .timeout(Duration::from_secs(60)),
        )?;
        assert!(r.success(), "curl failed: {r:?}");
        assert_eq!(r.stdout.trim(), (1u64 << 20).to_string());
        Ok(())
    }
}
