//! Port of `test/asf/test_tcp.py`.

use asf_core::{vpp_test, TestCase, TestResult};

use crate::vpp_objects::{
    local_ip4, session_off, session_on, two_tables, two_tables_down, with_inter_table_routes,
};

/// TCP Test Case
#[vpp_test(
    name = "TestTCP",
    requires_plugins = ["vperf_plugin.so"],
    requires_messages = ["session_enable_disable", "app_namespace_add_del_v4", "ip_route_add_del"]
)]
mod tcp {
    use super::*;

    /// TCP echo client/server transfer
    #[vpp_test]
    fn test_tcp_transfer(t: &mut TestCase) -> TestResult {
        let lo = two_tables(t)?;
        let result = with_inter_table_routes(t, lo, |t| {
            let uri = format!("tcp://{}/1234", local_ip4(lo[0]));
            t.unittest_cli(
                &format!("vperf server appns 0 fifo-size 4k uri {uri}"),
                "failed",
            )?;
            t.unittest_cli(&format!("vperf client bytes 10m appns 1 fifo-size 4k test-bytes syn-timeout 2 uri {uri}"), "failed")?;
            Ok(())
        });
        two_tables_down(t, lo)?;
        result
    }
}

/// TCP Unit Tests
#[vpp_test(
    name = "TestTCPUnitTests",
    set_up = session_on,
    tear_down = session_off,
    requires_plugins = ["unittest_plugin.so"],
    requires_messages = ["session_enable_disable"]
)]
mod tcp_unit {
    use super::*;

    /// TCP Unit Tests
    #[vpp_test]
    fn test_tcp_unittest(t: &mut TestCase) -> TestResult {
        // Up to 26.06 the test (and VPP) had `test tcp all`, and no rto,
        // cubic or tamper cases: an older VPP runs its release's test.
        if !t.vpp_at_least("26.10")? {
            t.unittest_cli("test tcp all", "failed")?;
            return Ok(());
        }
        // Each case on its own, as the original's subTest: a failing case
        // does not hide the others. (The tamper cases wait for retransmit
        // timeouts, which must not add up in one reply.)
        for case in [
            "sack",
            "lookup",
            "delivery",
            "persist",
            "rto",
            "cubic",
            "bt",
            "tamper fin",
            "tamper lost-ack",
            "tamper peer-fin",
            "tamper chain-rxt",
            "tamper queued-fin",
            "tamper queued-data-loss",
            "tamper recov-pt",
            "tamper dsack-early",
            "tamper strand-head",
            "tamper rto",
        ] {
            t.subtest(format!("test_case={case}"), |t| {
                t.unittest_cli(&format!("test tcp {case}"), "failed")?;
                Ok(())
            });
        }
        Ok(())
    }
}
