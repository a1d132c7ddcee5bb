//! Port of `test/asf/test_tcp.py`: the TCP unit tests. `TestTCP` (an echo
//! transfer between two IP tables through the vperf plugin) is not ported yet.

use asf_core::{vpp_test, TestCase, TestResult};
use serde_json::json;

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
        // Each case on its own: the tamper cases wait for retransmit
        // timeouts, which must not add up in one reply.
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
            t.unittest_cli(&format!("test tcp {case}"), "failed")?;
        }
        Ok(())
    }
}
