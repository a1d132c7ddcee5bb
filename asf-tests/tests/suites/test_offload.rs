//! Port of `test/asf/test_offload.py`.

use asf_core::{vpp_test, TestCase, TestResult};

/// Offload Unit Test Cases
// VPP's buffers with offload flags, through streams described in the CLI
// (`packet-generator new { ... data { ... } }`): the stand-in's generator
// only replays pcap files and has no buffer subsystem.
#[vpp_test(name = "TestOffload", requires_cli = ["show packet-generator", "show buffers"])]
mod offload {
    use super::*;

    /// Checksum Offload Test
    #[vpp_test]
    fn test_offload_unittest(t: &mut TestCase) -> TestResult {
        t.cli_sequence(&[
            "loop create",
            "set int ip address loop0 11.22.33.1/24",
            "set int state loop0 up",
            "loop create",
            "set int ip address loop1 11.22.34.1/24",
            "set int state loop1 up",
            "set ip neighbor loop1 11.22.34.44 03:00:11:22:34:44",
            "packet-generator new {\n  name s0\n  limit 100\n  size 128-128\n  interface loop0\n  tx-interface loop1\n  node loop1-output\n  buffer-flags ip4 offload\n  buffer-offload-flags offload-ip-cksum offload-udp-cksum\n  data {\n    IP4: 1.2.3 -> dead.0000.0001\n    UDP: 11.22.33.44 -> 11.22.34.44\n      ttl 2 checksum 13\n    UDP: 1234 -> 2345\n      checksum 11\n    incrementing 114\n  }\n}",
            "trace add pg-input 1",
            "pa en",
            "show error",
        ])?;
        let r = t.cli_return_response("show trace")?;
        assert_eq!(r.retval, 0);
        let look_here = r
            .reply
            .find("ethernet-input")
            .expect("no ethernet-input in the trace");
        assert!(
            !r.reply[look_here..].contains("should be"),
            "a bad checksum in the trace:\n{}",
            r.reply
        );
        Ok(())
    }
}
