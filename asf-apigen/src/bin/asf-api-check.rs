//! `asf-api-check <vpp api dir>... [--asf <dir>]...`: lists the messages of
//! asf's `.api.json` files (asf-core's, asf-vocab's and the suites', or the
//! `--asf` dirs given) that the VPP whose files are given lacks, or has
//! with another CRC, so a user knows before running which tests that VPP
//! cannot serve. Exit status 0 when it has them all, 1 when it does not,
//! 2 for bad arguments or unreadable files.
//!
//! ```sh
//! cargo run -p asf-apigen --bin asf-api-check -- /usr/share/vpp/api
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use asf_apigen::compat;
use asf_apigen::schema::Schema;

const USAGE: &str = "usage: asf-api-check <vpp api dir>... [--asf <dir>]...
  <vpp api dir>  a VPP's .api.json files (<prefix>/share/vpp/api), colon-separated or several
  --asf <dir>    .api.json files of yours to check instead of asf's own (a plugin's test crate)";

fn main() -> ExitCode {
    let mut vpp = Vec::new();
    let mut ours = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--asf" => match args.next() {
                Some(d) => ours.push(PathBuf::from(d)),
                None => return usage("--asf needs a directory"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            s if s.starts_with('-') => return usage(&format!("unknown flag {s}")),
            s => vpp.extend(s.split(':').filter(|p| !p.is_empty()).map(PathBuf::from)),
        }
    }
    if vpp.is_empty() {
        return usage("no VPP api dir given");
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = root.canonicalize().unwrap_or(root);
    if ours.is_empty() {
        ours = ["asf-core/api", "asf-vocab/api", "asf-tests/api"]
            .iter()
            .map(|d| root.join(d))
            .collect();
    }
    for d in vpp.iter().chain(&ours) {
        if !d.is_dir() {
            eprintln!("asf-api-check: {} is not a directory", d.display());
            return ExitCode::from(2);
        }
    }
    let theirs = match Schema::load_dirs(&vpp) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("asf-api-check: {e}");
            return ExitCode::from(2);
        }
    };
    if theirs.message_count() == 0 {
        eprintln!(
            "asf-api-check: no .api.json files under {}",
            vpp.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return ExitCode::from(2);
    }
    let report = match compat::compare(&ours, &theirs) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("asf-api-check: {e}");
            return ExitCode::from(2);
        }
    };
    print!("{}", report.text(&root));
    if report.mismatches.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn usage(why: &str) -> ExitCode {
    eprintln!("asf-api-check: {why}\n{USAGE}");
    ExitCode::from(2)
}
