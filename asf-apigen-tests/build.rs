//! Generates bindings, with a table of every message, for the `.api.json`
//! files to check: the repository's (asf-core's, the example plugin's and
//! the suites'), or those under `ASF_API_DIR` (a real VPP's
//! `share/vpp/api`; several dirs separated by `:`). The benchmark's
//! messages are always the repository's.

use std::path::PathBuf;

fn generate(dirs: &[PathBuf], table: bool, out_file: &str) {
    let mut b = asf_apigen::Builder::new();
    for d in dirs {
        b.api_dir(d);
    }
    b.message_table(table).json(true).out_file(out_file);
    if let Err(e) = b.generate() {
        panic!("cannot generate bindings for {dirs:?}: {e}");
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=ASF_API_DIR");
    println!("cargo:rustc-check-cfg=cfg(asf_api_dir)");
    let repo: Vec<PathBuf> = [
        "../asf-core/api",
        "../examples/plugin-tests/api",
        "../asf-tests/api",
    ]
    .iter()
    .map(PathBuf::from)
    .filter(|d| d.is_dir())
    .collect();
    let dirs: Vec<PathBuf> = match std::env::var("ASF_API_DIR") {
        Ok(v) if !v.is_empty() => {
            println!("cargo:rustc-cfg=asf_api_dir");
            generate(&repo, false, "repo_api.rs");
            v.split(':').map(PathBuf::from).collect()
        }
        _ => repo,
    };
    let started = std::time::Instant::now();
    generate(&dirs, true, "vpp_api.rs");
    let dirs: Vec<String> = dirs
        .iter()
        .map(|d| {
            d.canonicalize()
                .unwrap_or_else(|_| d.clone())
                .display()
                .to_string()
        })
        .collect();
    println!("cargo:rustc-env=ASF_APIGEN_TEST_DIRS={}", dirs.join(":"));
    println!(
        "cargo:rustc-env=ASF_APIGEN_TEST_GEN_MS={}",
        started.elapsed().as_millis()
    );
}
