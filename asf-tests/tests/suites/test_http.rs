//! Port of `test/asf/test_http.py`. VPP's framework skips it always
//! ("Requires root"); asf runs it as root. The original plumbs VPP to the
//! host with a tap, which needs the kernel's vhost-net (`/dev/vhost-net`,
//! absent on many VMs and containers); the port uses a veth pair and VPP's
//! af_packet interface instead, the host end in a namespace of the class
//! (not 172.0.0.2 in the machine's own namespace), and makes the GET there
//! with curl (the original uses Python's http.client). The check is the
//! original's: the 1 MiB body arrives whole.

use asf_core::helper::Helper;
use asf_core::host::Netns;
use asf_core::{vpp_test, TestCase, TestResult};
use std::time::Duration;

use crate::api::session::SessionEnableDisable;

use crate::vpp_objects::{af_packet_to_vpp, interface_address};

const CLIENT_IP4: &str = "172.0.0.2";
const SERVER_IP4: &str = "172.0.0.1";

/// The namespace of the running test, from set-up (kept in the class's
/// data; each test's set-up replaces it).
#[derive(Default)]
struct TestNs(Option<Netns>);

/// The original's setUp: the host side 172.0.0.2/24, VPP's side
/// 172.0.0.1/24, up; the session layer on.
fn set_up(t: &mut TestCase) -> TestResult {
    let (ns, _, sw) = af_packet_to_vpp(t, &[&format!("{CLIENT_IP4}/24")])?;
    interface_address(t, sw, &format!("{SERVER_IP4}/24"), true)?;
    t.api().request(&SessionEnableDisable { is_enable: true })?;
    t.class_data::<TestNs>().0 = Some(ns);
    Ok(())
}

/// HTTP test class
#[vpp_test(
    name = "TestHttpTps",
    set_up = set_up,
    requires_root,
    requires_programs = ["curl", "ip"],
    skip_if = asf_core::host::netns_unavailable,
    requires_plugins = ["af_packet_plugin.so", "http_plugin.so", "hs_apps_plugin.so"]
)]
mod http_tps {
    use super::*;

    #[vpp_test]
    fn test_http_tps(t: &mut TestCase) -> TestResult {
        let fname = "test_file_1M";
        t.cli("http tps uri http://0.0.0.0/8080")?;
        let ns = t
            .class_data_ref::<TestNs>()
            .and_then(|c| c.0.clone())
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
