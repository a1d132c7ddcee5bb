//! How well the scheduler packs classes onto this machine's cores:
//! `cargo bench -p asf-fake-vpp --bench makespan`.
//!
//! Ten classes of known length (a sleep) and width (1 + workers) run with
//! `--jobs auto` against fake-vpp; the bench prints the makespan over the
//! lower bound max(longest class, total core-seconds / cores). The second
//! run orders longest-first from the timing history the first one left.
//! Target (issue 5): at most 1.15.

use std::process::Command;
use std::time::Instant;

use asf_core::{vpp_test, TestCase};

macro_rules! class {
    ($m:ident, $doc:literal, $workers:literal, $secs:literal) => {
        #[doc = $doc]
        #[vpp_test(workers = $workers)]
        mod $m {
            use super::*;

            /// sleeps
            #[vpp_test]
            fn test_sleep(_t: &mut TestCase) {
                std::thread::sleep(std::time::Duration::from_secs_f64($secs));
            }
        }
    };
}

class!(c01, "3.0 s wide 1", 0, 3.0);
class!(c02, "2.5 s wide 1", 0, 2.5);
class!(c03, "2.0 s wide 2", 1, 2.0);
class!(c04, "2.0 s wide 1", 0, 2.0);
class!(c05, "1.5 s wide 1", 0, 1.5);
class!(c06, "1.5 s wide 1", 0, 1.5);
class!(c07, "1.0 s wide 2", 1, 1.0);
class!(c08, "1.0 s wide 1", 0, 1.0);
class!(c09, "0.5 s wide 1", 0, 0.5);
class!(c10, "0.5 s wide 1", 0, 0.5);

/// (seconds, width) of the classes above.
const CLASSES: [(f64, f64); 10] = [
    (3.0, 1.0),
    (2.5, 1.0),
    (2.0, 2.0),
    (2.0, 1.0),
    (1.5, 1.0),
    (1.5, 1.0),
    (1.0, 2.0),
    (1.0, 1.0),
    (0.5, 1.0),
    (0.5, 1.0),
];

fn main() -> std::process::ExitCode {
    if std::env::var_os("ASF_CHILD_PLAN").is_some() || std::env::var_os("MAKESPAN_INNER").is_some()
    {
        return asf_core::main();
    }
    let cores = asf_core::runner::cpus::CpuPool::detect(None, false).len() as f64;
    let longest = CLASSES.iter().map(|c| c.0).fold(0.0, f64::max);
    let work: f64 = CLASSES.iter().map(|(s, w)| s * w.min(cores)).sum();
    let bound = longest.max(work / cores);
    let base = tempfile::tempdir().unwrap();
    println!("{} classes, {cores} cores: lower bound {bound:.2} s (longest {longest:.2} s, {work:.2} core-seconds)", CLASSES.len());
    for run in ["first run (no history)", "second run (longest first)"] {
        let t = Instant::now();
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--jobs", "auto", "--color", "never"])
            .env("MAKESPAN_INNER", "1")
            .env("VPP_BIN", env!("CARGO_BIN_EXE_fake-vpp"))
            .env("ASF_TMP_DIR", base.path())
            .output()
            .unwrap();
        let makespan = t.elapsed().as_secs_f64();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        println!(
            "{run:<28} makespan {makespan:.2} s   ratio {:.3}",
            makespan / bound
        );
    }
    std::process::ExitCode::SUCCESS
}
