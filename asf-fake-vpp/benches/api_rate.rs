//! Round trips per second against one fake-vpp, asf's client versus VPP's
//! Python client (`vpp_papi`), measured in the same run:
//! `cargo bench -p asf-fake-vpp --bench api_rate`.
//!
//! fake-vpp answers both clients the same way, so the ratio is the ratio of
//! client overheads. Target (issue 3): asf at least 10x vpp_papi.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use asf_core::api::ApiClient;

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    // One CPU for the bench, fake-vpp and Python alike (children inherit
    // the affinity): round trips become same-core switches, which are
    // steadier than cross-core wake-ups on a small VM.
    let mut one = nix::sched::CpuSet::new();
    one.set(0).unwrap();
    nix::sched::sched_setaffinity(nix::unistd::Pid::from_raw(0), &one).unwrap();
    let n: usize = std::env::var("ASF_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let vpp = common::FakeVpp::start(&[], &[]);
    let sock = vpp.path("api.sock");

    let mut api = ApiClient::connect(&sock, "bench", Some(Duration::from_secs(5))).unwrap();
    for _ in 0..1000 {
        api.control_ping().unwrap();
    }
    let t = Instant::now();
    for _ in 0..n {
        api.control_ping().unwrap();
    }
    let asf_ping = n as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    for _ in 0..n {
        api.cli("show version").unwrap();
    }
    let asf_cli = n as f64 / t.elapsed().as_secs_f64();
    api.disconnect().unwrap();

    let papi_n = (n / 4).max(1000);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/papi_client.py");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let api_dir = format!(
        "{}:{}",
        root.join("../asf-core/api").display(),
        root.join("../asf-vocab/api").display()
    );
    let out = Command::new(
        common::papi_python("vpp_papi").expect("VPP's Python client (see the message above)"),
    )
    .arg(script)
    .arg(&sock)
    .arg(api_dir)
    .arg("bench")
    .arg(papi_n.to_string())
    .output()
    .unwrap();
    drop(vpp);
    assert!(
        out.status.success(),
        "vpp_papi bench failed (pip install vpp_papi?):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let papi: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let papi_ping = papi["control_ping"].as_f64().unwrap();
    let papi_cli = papi["cli_inband"].as_f64().unwrap();

    println!("round trips per second against fake-vpp (asf: {n} calls, vpp_papi: {papi_n} calls)");
    println!(
        "{:<14}{:>14}{:>14}{:>10}",
        "call", "asf", "vpp_papi", "ratio"
    );
    println!(
        "{:<14}{:>14.0}{:>14.0}{:>9.1}x",
        "control_ping",
        asf_ping,
        papi_ping,
        asf_ping / papi_ping
    );
    println!(
        "{:<14}{:>14.0}{:>14.0}{:>9.1}x",
        "cli_inband",
        asf_cli,
        papi_cli,
        asf_cli / papi_cli
    );
}
