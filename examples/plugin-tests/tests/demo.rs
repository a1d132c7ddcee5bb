//! The tests of the example "demo" plugin, written against its generated
//! bindings: what a plugin developer writes. They run against any VPP that
//! has loaded `demo_plugin.so`: the stand-in implements it.

use std::time::Duration;

use asf_core::api::client::Expect;
use asf_core::errors::ApiError;
use asf_core::{vpp_test, TestCase, TestResult};
use asf_example_plugin_tests::demo::{
    DemoEvent, DemoFlags, DemoKey, DemoMode, DemoRuleAdd, DemoRuleDel, DemoRuleDetails,
    DemoRuleDump, DemoRuleSetComment, DemoRulesGet, WantDemoEvents,
};

/// Adds a rule and registers its removal at tear-down.
fn add(t: &mut TestCase, rule: &DemoRuleAdd) -> TestResult<u32> {
    let id = t.api().request(rule)?.rule_id;
    t.register(format!("demo rule {id}"), move |api| {
        api.request(&DemoRuleDel { rule_id: id }).map(drop)
    });
    Ok(id)
}

fn web_rule() -> DemoRuleAdd {
    DemoRuleAdd {
        mode: DemoMode::Drop,
        flags: DemoFlags::IP4 | DemoFlags::L2,
        key: DemoKey::from_ip4(&[10, 0, 0, 1]),
        tag: "web".into(),
        ports: vec![80, 443],
    }
}

/// The demo plugin's API through its generated bindings
#[vpp_test(name = "TestDemoPlugin", requires_plugins = ["demo_plugin.so"])]
mod demo_plugin {
    use super::*;

    /// defaults come from the .api.json
    #[vpp_test]
    fn test_defaults(_t: &mut TestCase) -> TestResult {
        let d = DemoRuleAdd::default();
        assert_eq!(d.mode, DemoMode::Count, "[default=1] on mode");
        assert_eq!(d.flags, DemoFlags::IP4, "[default=1] on flags");
        assert_eq!(
            DemoRuleDump::default().rule_id,
            u32::MAX,
            "[default=0xffffffff]"
        );
        Ok(())
    }

    /// a rule goes in and comes back out field by field
    #[vpp_test]
    fn test_add_and_dump(t: &mut TestCase) -> TestResult {
        let id = add(t, &web_rule())?;
        let rules: Vec<DemoRuleDetails> = t.api().dump(&DemoRuleDump { rule_id: id })?;
        assert_eq!(rules.len(), 1, "one rule by id");
        let r = &rules[0];
        assert_eq!(r.rule_id, id);
        assert_eq!(r.mode, DemoMode::Drop);
        assert!(
            r.flags.contains(DemoFlags::IP4) && r.flags.contains(DemoFlags::L2),
            "{:?}",
            r.flags
        );
        assert!(!r.flags.contains(DemoFlags::IP6), "{:?}", r.flags);
        assert_eq!(r.key.ip4(), [10, 0, 0, 1], "the union read as its ip4 arm");
        assert_eq!(r.tag, "web");
        assert_eq!(
            r.ports,
            [80, 443],
            "the variable array, its count written for us"
        );
        Ok(())
    }

    /// the other union arms round-trip
    #[vpp_test]
    fn test_union_arms(t: &mut TestCase) -> TestResult {
        let six = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        let mac = [0x02, 0xfe, 0, 0, 0, 0x2a];
        let a = add(
            t,
            &DemoRuleAdd {
                flags: DemoFlags::IP6,
                key: DemoKey::from_ip6(&six),
                ..DemoRuleAdd::default()
            },
        )?;
        let b = add(
            t,
            &DemoRuleAdd {
                flags: DemoFlags::L2,
                key: DemoKey::from_mac(&mac),
                ..DemoRuleAdd::default()
            },
        )?;
        let all = t.api().dump(&DemoRuleDump::default())?;
        let key = |id| all.iter().find(|r| r.rule_id == id).map(|r| r.key);
        assert_eq!(key(a).map(|k| k.ip6()), Some(six));
        assert_eq!(key(b).map(|k| k.mac()), Some(mac));
        Ok(())
    }

    /// a value the enum does not name is sent as it is, and refused
    #[vpp_test]
    fn test_unknown_enum_value(t: &mut TestCase) -> TestResult {
        let bad = DemoRuleAdd {
            mode: DemoMode::from_value(7),
            ..web_rule()
        };
        assert_eq!(bad.mode, DemoMode::Unknown(7));
        assert_eq!(bad.mode.name(), None);
        let reply = t.api().expect(Expect::Negative, |api| api.request(&bad))?;
        assert_eq!(reply.retval, -1, "VNET_API_ERROR_INVALID_VALUE");
        Ok(())
    }

    /// a cursor stream comes back in batches until the cursor is ~0
    #[vpp_test]
    fn test_stream(t: &mut TestCase) -> TestResult {
        let mut added = Vec::new();
        for i in 0..5 {
            added.push(add(
                t,
                &DemoRuleAdd {
                    tag: format!("r{i}").into(),
                    ..web_rule()
                },
            )?);
        }
        let mut seen = Vec::new();
        let mut cursor = added[0];
        let mut calls = 0;
        while cursor != u32::MAX {
            let (details, reply) = t.api().stream(&DemoRulesGet { cursor })?;
            seen.extend(details.iter().map(|d| d.rule_id));
            cursor = reply.cursor;
            calls += 1;
            assert!(calls <= 5, "the stream does not end: cursor {cursor}");
        }
        assert_eq!(seen, added);
        assert!(calls > 1, "more than one batch ({calls})");
        Ok(())
    }

    /// events arrive typed after subscribing
    #[vpp_test]
    fn test_events(t: &mut TestCase) -> TestResult {
        t.api().request(&WantDemoEvents {
            enable_disable: 1,
            pid: std::process::id(),
        })?;
        let id = add(t, &web_rule())?;
        let e: DemoEvent = t.api().wait_for_event_typed(Duration::from_secs(5))?;
        assert_eq!((e.rule_id, e.deleted), (id, false));
        t.api().request(&WantDemoEvents {
            enable_disable: 0,
            pid: std::process::id(),
        })?;
        Ok(())
    }

    /// bindings of another version of the plugin are refused at the first
    /// call, naming the message and both CRCs
    #[vpp_test]
    fn test_crc_mismatch(t: &mut TestCase) -> TestResult {
        use asf_example_plugin_tests::v1_1;
        let old = v1_1::demo::DemoRuleAdd::default();
        match t.api().request(&old) {
            Err(ApiError::CrcMismatch { name, vpp, ours }) => {
                assert_eq!(name, "demo_rule_add");
                assert_eq!((vpp.as_str(), ours.as_str()), ("3cf3685a", "8209e687"));
            }
            other => panic!("expected a CRC mismatch, got {other:?}"),
        }
        let e = t.api().request(&old).unwrap_err().to_string();
        assert!(
            e.contains("demo_rule_add") && e.contains("3cf3685a") && e.contains("8209e687"),
            "{e}"
        );
        // Messages that did not change still work with the old bindings.
        let none: Vec<v1_1::demo::DemoRuleDetails> =
            t.api().dump(&v1_1::demo::DemoRuleDump { rule_id: 12345 })?;
        assert!(none.is_empty());
        Ok(())
    }

    /// a variable-length string of any size
    #[vpp_test]
    fn test_long_comment(t: &mut TestCase) -> TestResult {
        let id = add(t, &web_rule())?;
        t.api().request(&DemoRuleSetComment {
            rule_id: id,
            comment: "x".repeat(3000),
        })?;
        let missing = t.api().expect(Expect::Negative, |api| {
            api.request(&DemoRuleSetComment {
                rule_id: u32::MAX - 1,
                comment: "nobody".into(),
            })
        })?;
        assert_eq!(missing.retval, -6, "VNET_API_ERROR_NO_SUCH_ENTRY");
        Ok(())
    }
}

fn main() -> std::process::ExitCode {
    asf_core::main()
}
