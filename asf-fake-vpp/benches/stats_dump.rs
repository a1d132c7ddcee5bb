//! Full dumps of one stats segment per second, asf's reader versus VPP's
//! Python reader (`vpp_papi.VPPStats`), measured in the same run:
//! `cargo bench -p asf-fake-vpp --bench stats_dump`.
//!
//! fake-vpp publishes ~4300 error counters (`FAKE_VPP_STATS_ERRORS`), the
//! size of a real VPP's segment. Target (issue 4): asf at least 20x VPPStats.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let errors = std::env::var("ASF_BENCH_ERRORS").unwrap_or_else(|_| "4300".into());
    let (vpp, mut stats) = common::stats_of_real_size(&errors);
    let sock = vpp.path("stats.sock");
    let entries = stats.ls(&[]).unwrap().len();
    let rounds = 20;
    // Each round lists and dumps everything, as VPPStats' dump(ls([""])).
    let mut asf = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let names = stats.ls(&[""]).unwrap();
        let all = stats.dump(&[]).unwrap();
        assert_eq!(all.len(), names.len());
        asf.push(t.elapsed().as_secs_f64());
    }
    asf.sort_by(f64::total_cmp);
    let asf_median = asf[rounds / 2];

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/stats_client.py");
    let papi_rounds = 3;
    let out = Command::new(
        common::papi_python("vpp_papi").expect("VPP's Python client (see the message above)"),
    )
    .arg(script)
    .arg(&sock)
    .arg("bench")
    .arg(papi_rounds.to_string())
    .output()
    .unwrap();
    drop(vpp);
    assert!(
        out.status.success(),
        "VPPStats bench failed (pip install vpp_papi?):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let papi: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let papi_per = papi["seconds"].as_f64().unwrap() / f64::from(papi_rounds);

    println!(
        "full dump of a {entries}-entry stats segment (fake-vpp, FAKE_VPP_STATS_ERRORS={errors})"
    );
    println!("{:<12}{:>14}", "reader", "ms per dump");
    println!("{:<12}{:>14.3}", "asf", asf_median * 1e3);
    println!("{:<12}{:>14.3}", "VPPStats", papi_per * 1e3);
    println!("ratio: asf is {:.1}x faster", papi_per / asf_median);

    // The same dump in the dev profile, the one `cargo test` builds tests
    // in (asf-core gets opt-level 2 there, see the workspace Cargo.toml).
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let dev = Command::new(cargo)
        .args([
            "bench",
            "-q",
            "-p",
            "asf-fake-vpp",
            "--profile",
            "dev",
            "--bench",
            "stats_dump_time",
        ])
        .env("ASF_BENCH_ERRORS", &errors)
        .output()
        .unwrap();
    let dev_ms: Option<f64> = String::from_utf8_lossy(&dev.stdout)
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok());
    match dev_ms {
        Some(ms) => println!(
            "profiles: dev {ms:.3} ms, release {:.3} ms per dump (dev/release {:.2})",
            asf_median * 1e3,
            ms / (asf_median * 1e3)
        ),
        None => println!(
            "profiles: the dev-profile run failed:\n{}",
            String::from_utf8_lossy(&dev.stderr)
        ),
    }
}
