//! Port of `test/asf/test_api_trace.py`.

use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::interface::SwInterfaceDump;

fn trace_on(t: &mut TestCase) -> TestResult {
    t.cli("api trace free")?;
    t.cli("api trace on")?;
    t.cli("api trace tx on")?;
    Ok(())
}

/// JSON API trace related tests
#[vpp_test(name = "TestJsonApiTrace", set_up = trace_on)]
mod json_api_trace {
    use super::*;

    /// the JSON trace holds the messages sent
    #[vpp_test]
    fn test_json_api_trace_save(t: &mut TestCase) -> TestResult {
        t.api().show_version()?;
        let fname = format!("test_api_trace-{}.json", t.vpp_pid());
        let tmp = std::path::Path::new("/tmp").join(&fname);
        let path = t.tempdir().join(&fname);
        t.cli(&format!("api trace save-json {fname}"))?;
        if std::fs::rename(&tmp, &path).is_err() {
            std::fs::copy(&tmp, &path)?;
            std::fs::remove_file(&tmp)?;
        }
        let trace: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let found = trace
            .as_array()
            .ok_or("the trace is not a JSON array")?
            .iter()
            .find(|o| o["_msgname"] == "show_version");
        let o = found.ok_or("show_version is not in the trace")?;
        assert_eq!(o["_msgname"], "show_version");
        Ok(())
    }

    /// a JSON trace replays
    #[vpp_test]
    fn test_json_api_trace_replay(t: &mut TestCase) -> TestResult {
        let fname = "/tmp/create_loop.json";
        let req = r#"
[
{
        "_msgname": "create_loopback",
        "_crc": "42bb5d22",
        "mac_address": "00:00:00:00:00:00"
}]
"#;
        std::fs::write(fname, req)?;
        t.cli(&format!("api trace replay-json {fname}"))?;
        let r = t.api().dump(&SwInterfaceDump {
            name_filter_valid: true,
            name_filter: "loop".into(),
            ..SwInterfaceDump::default()
        })?;
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].interface_name.0, "loop0");
        Ok(())
    }
}
