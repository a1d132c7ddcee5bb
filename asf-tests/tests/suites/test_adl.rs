//! Port of `test/asf/test_adl.py`.

use std::collections::BTreeMap;

use asf_core::{vpp_test, TestCase, TestResult};

/// Allow/Deny Plugin Unit Test Cases
#[vpp_test(name = "TestAdl", requires_plugins = ["adl_plugin.so"])]
mod adl {
    use super::*;

    /// Waits until the error counters have the expected values (5 s, as the
    /// original), then compares them all.
    fn wait_for_err_counters(t: &mut TestCase, counters: &[(&str, u64)]) -> TestResult {
        let expected: BTreeMap<String, u64> = counters
            .iter()
            .map(|(name, value)| (name.to_string(), *value))
            .collect();
        let read = |t: &mut TestCase| -> TestResult<BTreeMap<String, u64>> {
            let mut values = BTreeMap::new();
            for (name, _) in counters {
                values.insert(name.to_string(), t.stats()?.get(name)?.sum());
            }
            Ok(values)
        };
        let interval = 0.1;
        let mut remaining = 5.0;
        let mut values = read(t)?;
        while values != expected && remaining > 0.0 {
            t.sleep(interval, "wait for ADL counters");
            remaining -= interval;
            values = read(t)?;
        }
        assert_eq!(values, expected);
        Ok(())
    }

    /// Plugin API Test
    #[vpp_test]
    fn test_adl1_unittest(t: &mut TestCase) -> TestResult {
        t.cli_sequence(&[
            "loop create\n",
            "set int ip address loop0 192.168.1.1/24\n",
            "set int ip6 table loop0 0\n",
            "set int ip address loop0 2001:db01::1/64\n",
            "set int state loop0 up\n",
            "packet-generator new {\n name ip4\n limit 100\n rate 0\n size 128-128\n interface loop0\n node adl-input\n data { IP4: 1.2.40 -> 3cfd.fed0.b6c8\n        UDP: 192.168.1.2-192.168.1.10 -> 192.168.2.1\n        UDP: 1234 -> 2345\n        incrementing 114\n       }\n }\n",
            "packet-generator new {\n name ip6-allow\n limit 50\n rate 0\n size 128-128\n interface loop0\n node adl-input\n data { IP6: 1.2.40 -> 3cfd.fed0.b6c8\n        UDP: 2001:db01::2 -> 2001:db01::1\n        UDP: 1234 -> 2345\n        incrementing 80\n      }\n }\n",
            "packet-generator new {\n name ip6-drop\n limit 50\n rate 0\n size 128-128\n interface loop0\n node adl-input\n data { IP6: 1.2.40 -> 3cfd.fed0.b6c8\n        UDP: 2001:db01::3 -> 2001:db01::1\n        UDP: 1234 -> 2345\n        incrementing 80\n      }\n }\n",
            "ip table 1\n",
            "ip route add 192.168.2.1/32 via drop\n",
            "ip route add table 1 192.168.1.2/32 via local\n",
            "ip6 table 1\n",
            "ip route add 2001:db01::1/128 via drop\n",
            "ip route add table 1 2001:db01::2/128 via local\n",
            "bin adl_interface_enable_disable loop0\n",
            "bin adl_allowlist_enable_disable loop0 fib-id 1 ip4 ip6\n",
            "pa en\n",
        ])?;
        wait_for_err_counters(
            t,
            &[
                ("/err/adl-input/Allow/Deny packets processed", 200),
                ("/err/ip4-adl-allowlist/ip4 allowlist allowed", 12),
                ("/err/ip6-adl-allowlist/ip6 allowlist allowed", 50),
            ],
        )
    }
}
