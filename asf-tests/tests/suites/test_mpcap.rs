//! Port of `test/asf/test_mpcap.py`.

use asf_core::{vpp_test, TestCase, TestResult};

/// Mpcap Unit Test Cases
#[vpp_test(name = "TestMpcap", requires_plugins = ["unittest_plugin.so"])]
mod mpcap {
    use super::*;

    /// Where VPP's `mpcap-unittest` node writes its file (fixed in VPP).
    const PCAP: &str = "/tmp/mpcap_unittest.pcap";

    /// Mapped pcap file test
    #[vpp_test]
    fn test_mpcap_unittest(t: &mut TestCase) -> TestResult {
        for cmd in [
            "packet-generator new {\n name mpcap\n limit 15\n size 128-128\n interface local0\n node mpcap-unittest\n data {\n   IP6: 00:d0:2d:5e:86:85 -> 00:0d:ea:d0:00:00\n   ICMP: db00::1 -> db00::2\n   incrementing 30\n   }\n",
            "trace add pg-input 15",
            "pa en",
            "show trace",
            "show error",
        ] {
            t.ppcli(cmd)?;
        }
        let size = std::fs::metadata(PCAP)
            .map_err(|e| format!("{PCAP}: {e}"))?
            .len();
        std::fs::remove_file(PCAP)?;
        if size != 2184 {
            tracing::error!("BUG: file size {size} not 2184");
        }
        assert_eq!(size, 2184, "WrongMPCAPFileSize: {PCAP}");
        Ok(())
    }
}
