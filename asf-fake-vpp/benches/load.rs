//! A run of 200 classes: `cargo bench -p asf-fake-vpp --bench load`.
//!
//! 200 classes of two tests each (a CLI call and a control_ping) run with
//! `--jobs auto` against fake-vpp. The bench samples the resident memory of
//! the whole process tree (harness, class processes, VPPs) every 20 ms and
//! prints wall time per class and peak memory, each as a ratio against a
//! baseline measured in the same run: 10 of the same classes. A time ratio
//! near 1 means the per-class cost does not grow with the size of the run;
//! a memory ratio near 1 means memory is bounded by the parallel jobs, not
//! by the number of classes (nothing accumulates per class). It then
//! checks that the run left nothing behind: no process, no class temp dir.

use std::collections::HashMap;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use asf_core::{vpp_test, TestCase, TestResult};

macro_rules! classes {
    ($($m:ident)*) => {$(
        /// load class
        #[vpp_test]
        mod $m {
            use super::*;

            /// a CLI call
            #[vpp_test]
            fn test_cli(t: &mut TestCase) -> TestResult {
                t.cli("show version")?;
                Ok(())
            }

            /// a control_ping
            #[vpp_test]
            fn test_ping(t: &mut TestCase) -> TestResult {
                t.api().control_ping()?;
                Ok(())
            }
        }
    )*};
}

macro_rules! tens {
    ($($p:ident)*) => {$(
        mod $p {
            use super::*;
            classes!(c0 c1 c2 c3 c4 c5 c6 c7 c8 c9);
        }
    )*};
}

tens!(
    g00 g01 g02 g03 g04 g05 g06 g07 g08 g09
    g10 g11 g12 g13 g14 g15 g16 g17 g18 g19
);

const CLASSES: usize = 200;

/// Resident memory (KiB) of `root` and all its descendants.
fn tree_rss(root: u32) -> u64 {
    let mut parent: HashMap<u32, u32> = HashMap::new();
    let mut rss: HashMap<u32, u64> = HashMap::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(status) = std::fs::read_to_string(e.path().join("status")) else {
            continue;
        };
        for line in status.lines() {
            if let Some(v) = line.strip_prefix("PPid:") {
                parent.insert(pid, v.trim().parse().unwrap_or(0));
            } else if let Some(v) = line.strip_prefix("VmRSS:") {
                rss.insert(
                    pid,
                    v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0),
                );
            }
        }
    }
    rss.iter()
        .filter(|(pid, _)| {
            let mut p = **pid;
            for _ in 0..64 {
                if p == root {
                    return true;
                }
                match parent.get(&p) {
                    Some(&pp) if pp > 1 => p = pp,
                    _ => return false,
                }
            }
            false
        })
        .map(|(_, kb)| kb)
        .sum()
}

/// Runs the classes matching `filter`; returns (seconds, peak KiB, tests passed).
fn run(filter: &str, base: &std::path::Path) -> (f64, u64, usize) {
    let t = Instant::now();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([filter, "--jobs", "auto", "--color", "never"])
        .env("LOAD_INNER", "1")
        .env("VPP_BIN", env!("CARGO_BIN_EXE_fake-vpp"))
        .env("ASF_TMP_DIR", base)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while !done.load(Ordering::SeqCst) {
                peak = peak.max(tree_rss(pid));
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            peak
        })
    };
    let mut stdout = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
    let status = child.wait().unwrap();
    let secs = t.elapsed().as_secs_f64();
    done.store(true, Ordering::SeqCst);
    let peak = sampler.join().unwrap();
    assert!(status.success(), "{stdout}");
    let passed = stdout
        .lines()
        .find_map(|l| l.strip_prefix("test result: ok. "))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    (secs, peak, passed)
}

/// Processes still running whose command line names `base`, and class
/// dirs left in it.
fn leftovers(base: &std::path::Path) -> (usize, usize) {
    let needle = base.to_string_lossy().into_owned();
    let procs = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            std::fs::read(e.path().join("cmdline"))
                .map(|c| String::from_utf8_lossy(&c).contains(&needle))
                .unwrap_or(false)
        })
        .count();
    let dirs = std::fs::read_dir(base)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("vpp-unittest-"))
        .count();
    (procs, dirs)
}

fn main() -> std::process::ExitCode {
    if std::env::var_os("ASF_CHILD_PLAN").is_some() || std::env::var_os("LOAD_INNER").is_some() {
        return asf_core::main();
    }
    let cores = asf_core::runner::cpus::CpuPool::detect(None, false).len();
    let base = tempfile::tempdir().unwrap();
    // Best of three for the small baseline (a 10-class run is short).
    let (one_secs, one_peak) = (0..3)
        .map(|_| {
            let (s, p, n) = run("g00::", base.path());
            assert_eq!(n, 20);
            (s, p)
        })
        .fold((f64::MAX, 0), |(s, p), (s2, p2)| (s.min(s2), p.max(p2)));
    let (secs, peak, passed) = run("g", base.path());
    assert_eq!(passed, 2 * CLASSES, "every test passed");
    let (procs, dirs) = leftovers(base.path());
    println!("{CLASSES} classes ({passed} tests), --jobs auto on {cores} cores");
    println!(
        "baseline (10 classes): {one_secs:7.2} s   {:6.1} ms/class   peak {:7.1} MiB",
        one_secs * 100.0,
        one_peak as f64 / 1024.0
    );
    println!(
        "{CLASSES} classes:           {secs:7.2} s   {:6.1} ms/class   peak {:7.1} MiB",
        secs * 1000.0 / CLASSES as f64,
        peak as f64 / 1024.0
    );
    println!(
        "per-class time ratio {:.2}   peak memory ratio {:.2}   ({:.0} classes/s)",
        (secs / CLASSES as f64) / (one_secs / 10.0),
        peak as f64 / one_peak as f64,
        CLASSES as f64 / secs
    );
    println!("left behind: {procs} processes, {dirs} class temp dirs");
    if procs > 0 || dirs > 0 {
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
