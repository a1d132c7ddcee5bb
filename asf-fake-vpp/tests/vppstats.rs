//! VPP's own stats reader, `vpp_papi.VPPStats` from PyPI, reads fake-vpp's
//! segment and gets the same values as asf's reader.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use asf_core::api::ApiClient;
use asf_core::stats::{StatValue, StatsClient};
use serde_json::{json, Value};

mod common;
use common::{papi_python, FakeVpp};

/// One worker: per-thread counters have two rows.
const CPU: &[&str] = &["cpu", "{", "main-core", "0", "workers", "1", "}"];

/// asf's values in the shape VPPStats gives them.
fn plain(v: &StatValue) -> Value {
    match v {
        StatValue::Scalar(n) | StatValue::Gauge(n) => json!(n),
        StatValue::Simple(rows) => json!(rows),
        StatValue::Combined(rows) => json!(rows
            .iter()
            .map(|r| r.iter().map(|c| [c.packets, c.bytes]).collect::<Vec<_>>())
            .collect::<Vec<_>>()),
        // VPPStats leaves empty slots out.
        StatValue::Names(n) => json!(n.iter().flatten().collect::<Vec<_>>()),
        StatValue::SimpleColumn(c) => json!(c),
        StatValue::CombinedColumn(c) => {
            json!(c.iter().map(|x| [x.packets, x.bytes]).collect::<Vec<_>>())
        }
        StatValue::Histogram(h) => json!({"min_exp": h.min_exp, "bins": h.bins}),
        StatValue::RingBuffer(_) => Value::Null,
    }
}

#[test]
fn vppstats_and_asf_read_the_same_values() {
    let Some(python) = papi_python("vpp_papi.vpp_stats") else {
        return;
    };
    let vpp = FakeVpp::start(CPU, &[]);
    let mut api =
        ApiClient::connect(&vpp.path("api.sock"), "t", Some(Duration::from_secs(5))).unwrap();
    api.cli("create loopback interface").unwrap();
    api.cli("create loopback interface").unwrap();
    api.cli("fake counters interface loop1 rx 7 448").unwrap();
    api.cli("fake counters interface loop1 tx 3 192 thread 1")
        .unwrap();
    api.cli("fake counters interface loop0 drops 2").unwrap();
    api.cli("fake counters error ip4-input time_expired 11 thread 1")
        .unwrap();
    api.cli("delete loopback interface intfc loop0").unwrap();

    let sock = vpp.path("stats.sock");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/stats_client.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(&sock)
        .arg("check")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "VPPStats failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Value = serde_json::from_slice(&out.stdout).unwrap();

    let mut stats = StatsClient::connect(&sock).unwrap();
    let ours = stats.dump(&[]).unwrap();
    let theirs = theirs.as_object().unwrap();
    // The heartbeat may tick between the two reads; everything else is still.
    let names: Vec<&String> = ours.keys().filter(|k| *k != "/sys/heartbeat").collect();
    assert_eq!(
        names.len() + 1,
        theirs.len(),
        "same entries: {:?} vs {:?}",
        ours.keys(),
        theirs.keys()
    );
    for name in names {
        assert_eq!(plain(&ours[name]), theirs[name.as_str()], "{name}");
    }
    assert_eq!(ours["/interfaces/loop1/rx"].per_thread(), vec![7, 0]);
    assert_eq!(ours["/err/ip4-input/time_expired"].sum(), 11);
    let names = ours["/if/names"].names().unwrap();
    assert_eq!(names[1].as_deref(), Some("deleted"));
    assert_eq!(names[2].as_deref(), Some("loop1"));
}

#[test]
fn a_restarted_vpp_is_followed_to_its_new_segment() {
    let vpp = FakeVpp::start(CPU, &[]);
    let sock = vpp.path("stats.sock");
    let mut stats = StatsClient::connect(&sock).unwrap();
    let mut api =
        ApiClient::connect(&vpp.path("api.sock"), "t", Some(Duration::from_secs(5))).unwrap();
    api.cli("create loopback interface").unwrap();
    assert_eq!(stats.get("/if/names").unwrap().names().unwrap().len(), 2);
    drop(api);
    // Restart: same runtime dir, fresh segment with only local0.
    let mut vpp = vpp;
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(vpp.child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    );
    vpp.child.wait().unwrap();
    let dir = vpp.take_dir();
    let _ = std::fs::remove_file(dir.path().join("api.sock"));
    let vpp = FakeVpp::start_in(dir, CPU, &[]);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !sock.exists() {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        stats.get("/if/names").unwrap().names().unwrap().len(),
        1,
        "reads the new segment"
    );
    drop(vpp);
}
