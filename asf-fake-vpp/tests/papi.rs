//! VPP's own Python client, `vpp_papi` from PyPI, talks to fake-vpp using
//! fake-vpp's `.api.json` files: an independent check of the protocol.
//! A missing `vpp_papi` is installed with pip; if that fails the test fails.

use std::path::Path;
use std::process::Command;

mod common;
use common::{papi_python, FakeVpp};

/// asf-core's and asf-vocab's `.api.json` dirs, `:`-separated.
fn api_dir() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    format!(
        "{}:{}",
        root.join("../asf-core/api").display(),
        root.join("../asf-vocab/api").display()
    )
}

#[test]
fn vpp_papi_talks_to_fake_vpp() {
    let Some(python) = papi_python("vpp_papi") else {
        return;
    };
    let vpp = FakeVpp::start(&[], &[]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/papi_client.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(vpp.path("api.sock"))
        .arg(api_dir())
        .arg("check")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "vpp_papi failed:\n{stdout}\n{stderr}");
    let v: serde_json::Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(v["program"], "vpe");
    assert_eq!(v["version"], "26.10-rc0~asf-fake");
    assert_eq!(v["cli_retval"], 0);
    assert!(
        v["cli_reply"]
            .as_str()
            .unwrap()
            .starts_with("vpp v26.10-rc0~asf-fake built by"),
        "{v}"
    );
    assert_eq!(v["loopback_retval"], 0);
    let ifs = v["interfaces"].as_array().unwrap();
    assert_eq!(ifs.len(), 1, "{v}");
    assert_eq!(ifs[0]["sw_if_index"], v["loopback"]);
    assert_eq!(ifs[0]["name"], "loop0");
    assert_eq!(ifs[0]["dev_type"], "Loopback");
    assert_eq!(ifs[0]["mac"], "02:00:00:00:00:2a");
}
