use asf_core::api::client::Expect;
use asf_core::case::{assert_equal, assert_in_range};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::interface::{
    CreateLoopback, CreateLoopbackInstance, DeleteLoopback, IfStatusFlags, SwInterfaceDump,
    SwInterfaceEvent, SwInterfaceSetFlags, WantInterfaceEvents,
};
use serde_json::json;
use std::time::Duration;

/// Interfaces through typed and dynamic API calls
#[vpp_test(name = "TestInterface", show_at_teardown = ["show interface"])]
mod interfaces {
    use super::*;

    fn names(t: &mut TestCase, filter: Option<&str>) -> TestResult<Vec<String>> {
        let dump = SwInterfaceDump {
            name_filter_valid: filter.is_some(),
            name_filter: filter.unwrap_or_default().to_string(),
            ..SwInterfaceDump::default()
        };
        Ok(t.api()
            .dump(&dump)?
            .into_iter()
            .map(|d| d.interface_name.0)
            .collect())
    }

    /// a loopback's life cycle through typed calls
    #[vpp_test]
    fn test_loopback_typed(t: &mut TestCase) -> TestResult {
        let idx = t.api().request(&CreateLoopback::default())?.sw_if_index;
        let details = t.api().dump(&SwInterfaceDump {
            sw_if_index: idx,
            ..SwInterfaceDump::default()
        })?;
        assert_equal(details.len(), 1, "details for one index");
        let d = &details[0];
        assert_equal(d.sw_if_index, idx, "sw_if_index");
        assert!(
            d.interface_name.0.starts_with("loop"),
            "{:?}",
            d.interface_name
        );
        assert_equal(d.interface_dev_type.0.as_str(), "Loopback", "device type");
        assert_equal(d.flags, IfStatusFlags::empty(), "flags of a new loopback");
        t.api().request(&SwInterfaceSetFlags {
            sw_if_index: idx,
            flags: IfStatusFlags::ADMIN_UP,
        })?;
        let d = t.api().dump(&SwInterfaceDump {
            sw_if_index: idx,
            ..SwInterfaceDump::default()
        })?;
        assert!(
            d[0].flags.contains(IfStatusFlags::ADMIN_UP),
            "admin up: {:?}",
            d[0].flags
        );
        t.api().request(&DeleteLoopback { sw_if_index: idx })?;
        let after = t.api().dump(&SwInterfaceDump {
            sw_if_index: idx,
            ..SwInterfaceDump::default()
        })?;
        assert!(after.is_empty(), "deleted loopback still listed");
        Ok(())
    }

    /// a loopback's life cycle through dynamic calls by name
    #[vpp_test]
    fn test_loopback_dynamic(t: &mut TestCase) -> TestResult {
        let reply = t.api().call(
            "create_loopback_instance",
            json!({"is_specified": true, "user_instance": 42}),
        )?;
        let idx = reply["sw_if_index"].as_u64().ok_or("no sw_if_index")?;
        let found = t.api().call_dump(
            "sw_interface_dump",
            json!({"name_filter_valid": true, "name_filter": "loop42"}),
        )?;
        assert_equal(found.len(), 1, "interfaces named loop42");
        assert_equal(found[0]["sw_if_index"].as_u64(), Some(idx), "sw_if_index");
        assert_equal(found[0]["interface_name"].as_str(), Some("loop42"), "name");
        // sw_if_index is omitted: its default (all interfaces) applies.
        let all = t.api().call_dump("sw_interface_dump", json!({}))?;
        assert!(
            all.iter().any(|i| i["interface_name"] == "local0"),
            "{all:?}"
        );
        t.api()
            .call("delete_loopback", json!({"sw_if_index": idx}))?;
        assert!(!names(t, Some("loop42"))?.contains(&"loop42".to_string()));
        Ok(())
    }

    /// a name filter selects by case-insensitive substring
    #[vpp_test]
    fn test_name_filter(t: &mut TestCase) -> TestResult {
        let created = asf_vocab::objects::create_loopback_interfaces(t, 3)?;
        assert_equal(created.len(), 3, "loopbacks created");
        let loops = names(t, Some("LOOP"))?;
        assert!(loops.len() >= 3, "{loops:?}");
        assert!(loops.iter().all(|n| n.starts_with("loop")), "{loops:?}");
        assert!(names(t, None)?.contains(&"local0".to_string()));
        Ok(())
    }

    /// The next `sw_interface_event` for `idx` that satisfies `pred`; VPP
    /// batches events and also reports creation, so others are skipped.
    fn event_for(
        t: &mut TestCase,
        idx: u32,
        pred: impl Fn(&SwInterfaceEvent) -> bool,
    ) -> TestResult<SwInterfaceEvent> {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let e: SwInterfaceEvent = t.api().wait_for_event_typed(left)?;
            if e.sw_if_index == idx && pred(&e) {
                return Ok(e);
            }
        }
    }

    /// admin up and delete raise sw_interface_event for subscribers
    #[vpp_test]
    fn test_interface_events(t: &mut TestCase) -> TestResult {
        let pid = std::process::id();
        t.api().request(&WantInterfaceEvents {
            enable_disable: 1,
            pid,
        })?;
        let idx = t.api().request(&CreateLoopback::default())?.sw_if_index;
        t.api().request(&SwInterfaceSetFlags {
            sw_if_index: idx,
            flags: IfStatusFlags::ADMIN_UP,
        })?;
        let e = event_for(t, idx, |e| e.flags.contains(IfStatusFlags::ADMIN_UP))?;
        assert_equal(e.pid, pid, "event pid");
        t.assert_equal_enum(
            i64::from((e.flags & IfStatusFlags::ADMIN_UP).bits()),
            i64::from(IfStatusFlags::ADMIN_UP.bits()),
            "if_status_flags",
        );
        assert!(!e.deleted);
        t.api().request(&DeleteLoopback { sw_if_index: idx })?;
        // By name, as JSON: the deletion.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let e = t.api().wait_for_event(left, "sw_interface_event")?;
            if e["sw_if_index"].as_u64() == Some(u64::from(idx)) && e["deleted"] == true {
                break;
            }
        }
        t.api().request(&WantInterfaceEvents {
            enable_disable: 0,
            pid,
        })?;
        let _ = IfStatusFlags::LINK_UP;
        let left = t.api().collect_events()?;
        assert!(
            left.iter().all(|e| e["_name"] == "sw_interface_event"),
            "{left:?}"
        );
        Ok(())
    }

    /// a negative retval is an error unless the test expects it
    #[vpp_test]
    fn test_retval_expectations(t: &mut TestCase) -> TestResult {
        let bad = DeleteLoopback {
            sw_if_index: 0xdead,
        };
        let err = t.api().request(&bad).unwrap_err().to_string();
        assert!(
            err.contains("delete_loopback returned retval -2, expected 0"),
            "{err}"
        );
        let reply = t.api().expect(Expect::Negative, |api| api.request(&bad))?;
        assert_equal(reply.retval, -2, "retval");
        t.api()
            .expect(Expect::AnyOf(vec![-2, -6]), |api| api.request(&bad))?;
        let err = t
            .api()
            .expect(Expect::Negative, |api| {
                api.request(&CreateLoopback::default())
                    .map(|r| r.sw_if_index)
            })
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected a negative value"), "{err}");
        // The expectation ends with its scope.
        assert!(t.api().request(&bad).is_err());
        Ok(())
    }

    /// a loopback instance in use is refused
    #[vpp_test]
    fn test_instance_in_use(t: &mut TestCase) -> TestResult {
        let req = CreateLoopbackInstance {
            is_specified: true,
            user_instance: 7,
            ..CreateLoopbackInstance::default()
        };
        let idx = t.api().request(&req)?.sw_if_index;
        let again = t.api().expect(Expect::Negative, |api| api.request(&req))?;
        assert!(again.retval < 0);
        t.api().request(&DeleteLoopback { sw_if_index: idx })?;
        Ok(())
    }

    /// virtual sleep moves VPP's time without waiting
    #[vpp_test]
    fn test_virtual_sleep(t: &mut TestCase) -> TestResult {
        let before = t.get_vpp_time_offset()?;
        let wall = std::time::Instant::now();
        t.virtual_sleep(100.0)?;
        let after = t.get_vpp_time_offset()?;
        assert_in_range(after - before, 99.0, 110.0, "VPP time offset moved");
        assert!(
            wall.elapsed() < Duration::from_secs(5),
            "{:?}",
            wall.elapsed()
        );
        let clock = t.get_vpp_time()?;
        t.sleep_on_vpp_time(0.05)?;
        assert!(t.get_vpp_time()? >= clock + 0.05);
        Ok(())
    }
}
