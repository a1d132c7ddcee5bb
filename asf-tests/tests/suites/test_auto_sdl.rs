//! Port of `test/asf/test_auto_sdl.py`. The original plumbs VPP to the
//! host with a tap (`tap_create_v3`), which needs the kernel's vhost-net
//! (`/dev/vhost-net`, absent on many VMs and containers); the port uses a
//! veth pair and VPP's af_packet interface instead, with the same addresses
//! (8.8.8.2/24 and 2001::2/64 on the host's end), the host's end in a
//! namespace of the class (not the machine's own), and runs curl there.
//! The checks, on the ACL, the auto-SDL entries and their time-outs, are
//! the original's.

use std::time::Duration;

use crate::api::auto_sdl::AutoSdlConfig;
use crate::api::interface::{SwInterfaceAddDelAddress, SwInterfaceSetTable};
use crate::api::session::{RtBackendEngine, SessionSdlV3Details, SessionSdlV3Dump};
use asf_core::helper::{Helper, HelperExit};
use asf_core::host::{HostInterface, Netns};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::objects::{self, Acl, AclInterface, AclRule};

use crate::vpp_objects::{
    af_packet_to_vpp, interface_address, ip6_table, ip_table, namespace_on, session_engine,
    session_off, session_on,
};
use asf_vocab::objects::{IpTable, VppObject};

const VPP_TAP_IP4: &str = "8.8.8.1";
const VPP_TAP_IP6: &str = "2001::1";

const HOST_TAP_IP4: &str = "8.8.8.2";
const HOST_TAP_IP6: &str = "2001::2";
const SCALE_COUNT: u32 = 10;

/// Auto SDL Unit Tests Case
#[vpp_test(
    fixme_vpp_workers,
    name = "TestAutoSDLUnitTests",
    set_up = session_on,
    tear_down = session_off,
    requires_plugins = ["auto_sdl_unittest_plugin.so"],
    requires_messages = ["session_enable_disable"]
)]
mod unit {
    use super::*;

    /// Auto SDL Unit Tests
    #[vpp_test]
    fn test_session(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test auto-sdl all", "failed")?;
        Ok(())
    }
}

/// VPP's interface to the host (the original's tap0), the namespace
/// holding the host's end, and the veth pair: the running test's, from
/// set-up to tear-down (kept in the class's data).
#[derive(Default)]
struct Tap(Option<(u32, Netns, HostInterface)>);

fn tap(t: &TestCase) -> TestResult<(u32, Netns)> {
    t.class_data_ref::<Tap>()
        .and_then(|tap| tap.0.clone())
        .map(|(sw, ns, _)| (sw, ns))
        .ok_or_else(|| "no host interface from set-up".into())
}

/// The original's setUp: SDL on, VPP's interface to the host (the host's
/// end 8.8.8.2/24 and 2001::2/64), up.
fn set_up(t: &mut TestCase) -> TestResult {
    session_engine(t, RtBackendEngine::Sdl)?;
    let (ns, hi, sw) = af_packet_to_vpp(
        t,
        &[&format!("{HOST_TAP_IP4}/24"), &format!("{HOST_TAP_IP6}/64")],
    )?;
    t.class_data::<Tap>().0 = Some((sw, ns, hi));
    Ok(())
}

/// The original's tearDown: addresses off, the interface deleted, SDL
/// off, and no SDL entry left.
fn tear_down(t: &mut TestCase) -> TestResult {
    let (sw, _, hi) = t
        .class_data::<Tap>()
        .0
        .take()
        .ok_or("no host interface from set-up")?;
    for p in [format!("{VPP_TAP_IP4}/24"), format!("{VPP_TAP_IP6}/64")] {
        let r = t.api().request(&SwInterfaceAddDelAddress {
            is_add: false,
            sw_if_index: sw,
            prefix: p.parse()?,
            del_all: true,
        })?;
        tracing::info!("{r:?}");
    }
    t.ppcli(&format!("delete host-interface name {}", hi.vpp_if_name))?;
    session_engine(t, RtBackendEngine::Disable)?;
    let dump = sdl_dump(t)?;
    assert!(dump.is_empty(), "SDL entries left: {dump:?}");
    Ok(())
}

fn sdl_dump(t: &mut TestCase) -> TestResult<Vec<SessionSdlV3Details>> {
    Ok(t.api().dump(&SessionSdlV3Dump)?)
}

fn add_address(t: &mut TestCase, sw: u32, p: &str) -> TestResult {
    interface_address(t, sw, p, true)
}

/// curl in the tap's namespace with the original's `--noproxy "'*'"`; a
/// run past `timeout` is an error, as `subprocess.run(timeout=...)` raises.
fn curl(t: &mut TestCase, ns: &Netns, v6: bool, url: &str, timeout: f64) -> TestResult<HelperExit> {
    let mut args = vec![];
    if v6 {
        args.push("-6");
    }
    args.extend(["--noproxy", "'*'", url]);
    t.run_helper(
        Helper::new("curl")
            .args(args)
            .netns(ns)
            .timeout(Duration::from_secs_f64(timeout)),
    )
}

/// `VppAcl(self, rules=[AclRule(is_permit=0, proto=6, src, dst, ports=80)]).add_vpp_config()`
/// then `VppAclInterface(self, sw_if_index, n_input=0, acls=[acl]).add_vpp_config()`:
/// a deny ACL on the interface's output.
fn deny_acl(t: &mut TestCase, sw: u32, src: &str, dst: &str) -> TestResult<(Acl, AclInterface)> {
    let mut rule = AclRule::new(false, 6);
    rule.src = src.parse()?;
    rule.dst = dst.parse()?;
    rule.sport = 80..=80;
    rule.dport = 80..=80;
    let acl = objects::add(t, Acl::new([rule], ""))?;
    let binding = objects::add(
        t,
        AclInterface {
            sw_if_index: sw,
            n_input: 0,
            acls: vec![acl.acl_index],
        },
    )?;
    Ok((acl, binding))
}

/// Removes what [`deny_acl`] made.
fn remove_acl(t: &mut TestCase, (acl, binding): (Acl, AclInterface)) -> TestResult {
    objects::remove(t, &binding)?;
    objects::remove(t, &acl)
}

fn rmt(v: &SessionSdlV3Details) -> Option<String> {
    Some(v.rmt.to_string())
}

fn auto_sdl(t: &mut TestCase, threshold: u32, remove_timeout: u32, enable: bool) -> TestResult {
    t.api().request(&AutoSdlConfig {
        threshold,
        remove_timeout,
        enable,
    })?;
    Ok(())
}

fn namespace_1(t: &mut TestCase, sw: u32, is_add: bool) -> TestResult {
    t.api().request(&namespace_on("1", sw, Some(1), is_add))?;
    Ok(())
}

/// Auto SDL Baasic Test Case
#[vpp_test(
    fixme_vpp_workers,
    extended,
    name = "TestAutoSDL",
    vpp_config = "tcp { syn-rcvd-time 1 }",
    set_up = set_up,
    tear_down = tear_down,
    requires_root,
    requires_programs = ["curl", "ip"],
    skip_if = asf_core::host::netns_unavailable,
    requires_plugins = ["auto_sdl_plugin.so", "acl_plugin.so", "af_packet_plugin.so", "http_plugin.so", "hs_apps_plugin.so"],
    requires_messages = ["auto_sdl_config", "session_sdl_v3_dump"]
)]
mod auto_sdl {
    use super::*;

    /// Auto SDL test
    #[vpp_test]
    fn test_auto_sdl(t: &mut TestCase) -> TestResult {
        let (sw, ns) = tap(t)?;
        add_address(t, sw, &format!("{VPP_TAP_IP4}/24"))?;
        add_address(t, sw, &format!("{VPP_TAP_IP6}/64"))?;

        // start the cli server
        tracing::info!("Starting cli sever");
        t.ppcli("http cli server")?;
        t.ppcli("http cli server uri http://::0/80 listener add")?;

        let url4 = format!("http://{VPP_TAP_IP4}:80/sh/version");
        let url6 = format!("http://[{VPP_TAP_IP6}]:80/sh/version");

        // Test 1. No ACL. curl should work.
        tracing::info!("Starting test 1");
        let mut process = None;
        for _ in 0..10 {
            match curl(t, &ns, false, &url4, 2.0) {
                Err(_) => tracing::info!("timeout"),
                Ok(p) => {
                    process = Some(p);
                    break;
                }
            }
        }
        assert_eq!(Some(0), process.and_then(|p| p.code));
        tracing::info!("Test 1 passed");

        // Test 2. Add ACL to block the source.
        let acl = deny_acl(t, sw, "8.8.0.0/16", &format!("{VPP_TAP_IP4}/32"))?;
        // Auto SDL entry should be created and timed out accordingly
        auto_sdl(t, 2, 3, true)?;
        for _ in 0..2 {
            if curl(t, &ns, false, &url4, 2.0).is_err() {
                tracing::info!("curl timeout -- as exepcted");
            }
        }

        // check for the SDL entry
        let mut dump = Vec::new();
        for _ in 0..10 {
            dump = sdl_dump(t)?;
            if dump.is_empty() {
                t.sleep(1.0, "");
            }
        }
        assert!(!dump.is_empty());
        assert_eq!(rmt(&dump[0]), Some(format!("{HOST_TAP_IP4}/32")));

        // verify entry is timed out and removed eventually
        for _ in 0..10 {
            dump = sdl_dump(t)?;
            if !dump.is_empty() {
                t.sleep(1.0, "");
            }
        }
        assert!(dump.is_empty(), "{dump:?}");

        remove_acl(t, acl)?;
        tracing::info!("Test 2 passed");

        // Test 3: Do the same for IPv6
        let p = curl(t, &ns, true, &url6, 60.0)?;
        assert_eq!(Some(0), p.code);

        let acl = deny_acl(
            t,
            sw,
            &format!("{HOST_TAP_IP6}/128"),
            &format!("{VPP_TAP_IP6}/128"),
        )?;
        for _ in 0..2 {
            if curl(t, &ns, true, &url6, 2.0).is_err() {
                tracing::info!("curl timeout -- as exepcted");
            }
        }
        remove_acl(t, acl)?;

        // verify the SDL entry is added
        for _ in 0..5 {
            dump = sdl_dump(t)?;
            if dump.is_empty() {
                t.sleep(1.0, "");
            }
        }
        assert!(!dump.is_empty());
        assert_eq!(rmt(&dump[0]), Some(format!("{HOST_TAP_IP6}/128")));

        // verify the entry is removed after timeout
        for _ in 0..10 {
            dump = sdl_dump(t)?;
            if !dump.is_empty() {
                t.sleep(1.0, "");
            }
        }
        assert_eq!(dump.len(), 0);
        tracing::info!("Test 3 passed");

        t.api().request(&AutoSdlConfig {
            enable: false,
            ..AutoSdlConfig::default()
        })?;

        // bring down the cli server
        t.ppcli("http cli server listener del")?;
        t.ppcli("http cli server uri http://::0/80 listener del")?;
        Ok(())
    }

    /// Auto SDL with appns test -- ip4
    #[vpp_test]
    fn test_auto_sdl_appns_ip4(t: &mut TestCase) -> TestResult {
        let (sw, ns) = tap(t)?;
        // Test tap0 in appns 1
        let table_id = 1;
        ip_table(t, table_id, true)?;
        t.register("ip table 1", move |api| {
            IpTable {
                table_id,
                is_ip6: false,
            }
            .remove_vpp_config(api)
            .map(drop)
        });

        // place tap0 to vrf 1
        t.api().request(&SwInterfaceSetTable {
            sw_if_index: sw,
            is_ipv6: false,
            vrf_id: table_id,
        })?;
        // place tap0 to appns 1
        namespace_1(t, sw, true)?;
        // configure ip4 address on tap0
        add_address(t, sw, &format!("{VPP_TAP_IP4}/24"))?;

        // start http cli server in appns 1
        t.ppcli("http cli server appns 1 secret 1")?;

        let url4 = format!("http://{VPP_TAP_IP4}:80/sh/version");
        let p = curl(t, &ns, false, &url4, 1.0)?;
        assert_eq!(Some(0), p.code);

        // Apply the ACL on the interface output
        let acl = deny_acl(t, sw, "8.8.0.0/16", &format!("{VPP_TAP_IP4}/32"))?;
        auto_sdl(t, 1, 60, true)?;
        for _ in 0..10 {
            if curl(t, &ns, false, &url4, 1.0).is_err() {
                tracing::info!("connect timeout -- as expected");
            } else if sdl_dump(t)?.is_empty() {
                t.sleep(1.0, "");
            } else {
                break;
            }
        }

        let mut dump = Vec::new();
        for _ in 0..60 {
            dump = sdl_dump(t)?;
            if dump.len() != 1 {
                t.sleep(1.0, "");
            }
        }
        assert_eq!(dump.len(), 1);
        assert_eq!(rmt(&dump[0]), Some(format!("{HOST_TAP_IP4}/32")));
        tracing::info!("Test 6 passed");

        remove_acl(t, acl)?;

        // bring down the cli server
        t.ppcli("http cli server listener del")?;

        // delete namespace
        namespace_1(t, sw, false)?;

        // Disable auto sdl -- quicker than waiting the entry to timeout
        t.api().request(&AutoSdlConfig {
            enable: false,
            ..AutoSdlConfig::default()
        })?;

        // disable session sdl
        session_engine(t, RtBackendEngine::Disable)?;

        let dump = sdl_dump(t)?;
        assert!(dump.is_empty());
        Ok(())
    }

    /// Auto SDL with appns test -- ip6
    #[vpp_test]
    fn test_auto_sdl_appns_ip6(t: &mut TestCase) -> TestResult {
        let (sw, ns) = tap(t)?;
        // Test tap0 in appns 1
        let table_id = 1;
        ip6_table(t, table_id, true)?;
        t.register("ip6 table 1", move |api| {
            IpTable {
                table_id,
                is_ip6: true,
            }
            .remove_vpp_config(api)
            .map(drop)
        });

        // place tap0 to vrf 1
        t.api().request(&SwInterfaceSetTable {
            sw_if_index: sw,
            is_ipv6: true,
            vrf_id: table_id,
        })?;
        // place tap0 to appns 1
        namespace_1(t, sw, true)?;
        // configure ip6 address on tap0
        add_address(t, sw, &format!("{VPP_TAP_IP6}/64"))?;

        // start http cli server in appns 1
        t.ppcli("http cli server appns 1 secret 1 uri http://::0/80")?;

        t.sleep(3.0, "");
        let url6 = format!("http://[{VPP_TAP_IP6}]:80/sh/version");
        let p = curl(t, &ns, true, &url6, 5.0)?;
        assert_eq!(Some(0), p.code);

        // Apply the ACL on the interface output
        let acl = deny_acl(
            t,
            sw,
            &format!("{HOST_TAP_IP6}/128"),
            &format!("{VPP_TAP_IP6}/128"),
        )?;
        auto_sdl(t, 1, 60, true)?;
        for _ in 0..10 {
            if curl(t, &ns, true, &url6, 1.0).is_err() {
                tracing::info!("connect timeout -- as expected");
            } else if sdl_dump(t)?.is_empty() {
                t.sleep(1.0, "");
            } else {
                break;
            }
        }

        let mut dump = Vec::new();
        for _ in 0..60 {
            dump = sdl_dump(t)?;
            if dump.len() != 1 {
                t.sleep(1.0, "");
            }
        }
        assert_eq!(dump.len(), 1);
        assert_eq!(rmt(&dump[0]), Some(format!("{HOST_TAP_IP6}/128")));
        tracing::info!("Test 6 passed");

        remove_acl(t, acl)?;

        // bring down the cli server
        t.ppcli("http cli server uri http://::0/80 listener del")?;

        // delete namespace
        namespace_1(t, sw, false)?;
        Ok(())
    }

    /// Auto SDL scale test
    #[vpp_test(ignore = "test disabled for auto sdl")]
    fn test_auto_sdl_scale(t: &mut TestCase) -> TestResult {
        let (sw, ns) = tap(t)?;
        // Test 4: Scale
        // Send 250 packets from different sources. Should create 250 auto-SDL
        // and SDL entries
        add_address(t, sw, &format!("{VPP_TAP_IP4}/24"))?;

        // start the cli server
        tracing::info!("Starting cli sever");
        t.ppcli("http cli server")?;

        let acl = deny_acl(t, sw, "8.8.0.0/16", &format!("{VPP_TAP_IP4}/32"))?;
        // set the remove_timeout to a large value. Otherwise, some entries may
        // get timed out before we accumulate all of them for verification
        auto_sdl(t, 1, 300, true)?;

        let host_if = {
            let links = ns.ip(&["-o", "link", "show"])?;
            links
                .lines()
                .filter_map(|l| l.split(':').nth(1).map(str::trim))
                .find(|n| *n != "lo")
                .map(|n| n.split('@').next().unwrap_or(n).to_string())
                .ok_or("no tap in the namespace")?
        };
        for i in 0..SCALE_COUNT {
            let source = format!("8.8.8.{}", i + 3);
            ns.add_address(&host_if, &format!("{source}/24"))?;
            for _ in 0..2 {
                let url = format!("http://{VPP_TAP_IP4}:80/");
                let r = t.run_helper(
                    Helper::new("curl")
                        .args([
                            "--noproxy",
                            "*",
                            "--interface",
                            &source,
                            "--local-port",
                            "5000",
                            &url,
                        ])
                        .netns(&ns)
                        .timeout(Duration::from_millis(500)),
                );
                if r.is_err() {
                    tracing::info!("connect timeout -- as exepcted");
                }
            }
        }

        // check for the SDL entry
        let mut dump = Vec::new();
        for _ in 0..60 {
            dump = sdl_dump(t)?;
            if dump.len() != SCALE_COUNT as usize {
                t.sleep(1.0, "");
            }
        }
        assert_eq!(dump.len(), SCALE_COUNT as usize);
        tracing::info!("Test 4 passed");

        // Test 5: Disable auto-sdl
        // It should clean up the Auto SDL and SDL entries immediately
        t.api().request(&AutoSdlConfig {
            enable: false,
            ..AutoSdlConfig::default()
        })?;
        let dump = sdl_dump(t)?;
        assert_eq!(dump.len(), 0);

        remove_acl(t, acl)?;
        tracing::info!("Test 5 passed");

        // bring down the cli server
        t.cli("http cli server listener del")?;
        Ok(())
    }
}
