//! Port of `test/asf/test_mactime.py`.

use asf_core::{vpp_test, TestCase, TestResult};

/// Mactime Unit Test Cases
#[vpp_test(name = "TestMactime", requires_plugins = ["unittest_plugin.so"])]
mod mactime {
    use super::*;

    /// Time Range Test
    #[vpp_test]
    fn test_mactime_range_unittest(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test time-range", "FAILED")?;
        Ok(())
    }

    /// Mactime Plugin Code Coverage Test
    #[vpp_test(gcov)]
    fn test_mactime_unittest(t: &mut TestCase) -> TestResult {
        // The original joins some packet-generator commands without a comma,
        // so they go to VPP as one string; kept as it is.
        t.cli_sequence(&[
            "loopback create",
            "mactime enable-disable disable",
            "mactime enable-disable loop0",
            "mactime enable-disable loop0 disable",
            "mactime enable-disable sw_if_index 9999",
            "bin mactime_enable_disable loop0",
            "bin mactime_enable_disable loop0 disable",
            "bin mactime_enable_disable sw_if_index 1",
            "set interface state loop0 up",
            "clear mactime",
            "set ip neighbor loop0 192.168.1.1 00:d0:2d:5e:86:85",
            "bin mactime_add_del_range name sallow mac 00:d0:2d:5e:86:85 allow-static del",
            "bin mactime_add_del_range name sallow mac 00:d0:2d:5e:86:85 allow-static",
            "bin mactime_add_del_range name sallow mac 00:d0:2d:5e:86:85 allow-static del",
            "bin mactime_add_del_range name sallow mac 00:d0:2d:5e:86:85 allow-static",
            "bin mactime_add_del_range name sblock mac 01:00:5e:7f:ff:fa drop-static",
            "bin mactime_add_del_range name ddrop mac c8:bc:c8:5a:ba:f3 drop-range Sun - Sat 00:00 - 23:59",
            "bin mactime_add_del_range name dallow mac c8:bc:c8:5a:ba:f4 allow-range Sun - Sat 00:00 - 23:59",
            "bin mactime_add_del_range name multi mac c8:bc:c8:f0:f0:f0 allow-range Sun - Mon 00:00 - 23:59 Tue - Sat 00:00 - 23:59",
            "bin mactime_add_del_range bogus",
            "bin mactime_add_del_range mac 01:00:5e:7f:f0:f0 allow-static",
            "bin mactime_add_del_range name tooloooooooooooooooooooooooooooooooooooooooooooooooonnnnnnnnnnnnnnnnnnnnnnnnnnnnnng mac 00:00:de:ad:be:ef allow-static",
            PG_ALLOW,
            "}\n",
            PG_DENY,
            "}\n",
            PG_DDROP,
            "}\n",
            PG_REST,
            "pa en",
            "show mactime verbose 2",
            "show trace",
            "show error",
        ])?;
        Ok(())
    }
}

const PG_ALLOW: &str = "packet-generator new {\n name allow\n limit 15\n size 128-128\n interface loop0\n node ethernet-input\n data {\n   IP6: 00:d0:2d:5e:86:85 -> 00:0d:ea:d0:00:00\n   ICMP: db00::1 -> db00::2\n   incrementing 30\n   }\n";
const PG_DENY: &str = "packet-generator new {\n name deny\n limit 15\n size 128-128\n interface loop0\n node ethernet-input\n data {\n   IP6: 01:00:5e:7f:ff:fa -> 00:0d:ea:d0:00:00\n   ICMP: db00::1 -> db00::2\n   incrementing 30\n   }\n";
const PG_DDROP: &str = "packet-generator new {\n name ddrop\n limit 15\n size 128-128\n interface loop0\n node ethernet-input\n data {\n   IP6: c8:bc:c8:5a:ba:f3 -> 00:0d:ea:d0:00:00\n   ICMP: db00::1 -> db00::2\n   incrementing 30\n   }\n";
const PG_REST: &str = concat!(
    "packet-generator new {\n name dallow\n limit 15\n size 128-128\n interface loop0\n node ethernet-input\n data {\n   IP6: c8:bc:c8:5a:ba:f4 -> 00:0d:ea:d0:00:00\n   ICMP: db00::1 -> db00::2\n   incrementing 30\n   }\n",
    "}\n",
    "packet-generator new {\n name makeentry\n limit 15\n size 128-128\n interface loop0\n node ethernet-input\n data {\n   IP6: c8:bc:c8:5a:b0:0b -> 00:0d:ea:d0:00:00\n   ICMP: db00::1 -> db00::2\n   incrementing 30\n   }\n",
    "}\n",
    "packet-generator new {\n name tx\n limit 15\n size 128-128\n interface local0\n tx-interface loop0\n node loop0-output\n data {\n   hex 0x01005e7ffffa000dead0000008000102030405060708090a0b0c0d0e0f0102030405\n   }\n",
    "}\n",
    "trace add pg-input 2",
);
