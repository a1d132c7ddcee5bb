//! Generates bindings, with a table of every message, for the `.api.json`
//! files to check: the repository's four sets (asf-core's, asf-vocab's, the
//! example plugin's and the suites', each its own namespace: the suites' subset of
//! `interface` is not asf-core's), and those under `ASF_API_DIR` (a real
//! VPP's `share/vpp/api`) when it is set, which are then the ones checked.
//! The benchmark uses the repository's.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn generate(dir: &Path, out_file: &str) {
    let mut b = asf_apigen::Builder::new();
    b.api_dir(dir).message_table(true).out_file(out_file);
    if let Err(e) = b.generate() {
        panic!("cannot generate bindings for {}: {e}", dir.display());
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=ASF_API_DIR");
    let repo = [
        ("repo_core", "../asf-core/api"),
        ("repo_vocab", "../asf-vocab/api"),
        ("repo_example", "../examples/plugin-tests/api"),
        ("repo_tests", "../asf-tests/api"),
    ];
    let mut sets = String::new();
    let mut checked = Vec::new();
    for (name, dir) in repo {
        generate(Path::new(dir), &format!("{name}.rs"));
        writeln!(
            sets,
            "/// Generated from `{dir}`.\npub mod {name} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/{name}.rs\"));\n}}"
        )
        .unwrap();
        checked.push((name, PathBuf::from(dir)));
    }
    let started = std::time::Instant::now();
    if let Ok(v) = std::env::var("ASF_API_DIR") {
        if !v.is_empty() {
            generate(Path::new(&v), "real.rs");
            sets.push_str("/// Generated from `ASF_API_DIR`.\npub mod real {\n    include!(concat!(env!(\"OUT_DIR\"), \"/real.rs\"));\n}\n");
            checked = vec![("real", PathBuf::from(v))];
        }
    }
    let ms = started.elapsed().as_millis();
    sets.push_str("/// The message tables of a set's modules, by module name.\npub type ModuleTables = &'static [(&'static str, &'static [::asf_core::api::message::MessageEntry])];\n/// Each checked set: its dir and its modules' message tables.\npub const SETS: &[(&str, ModuleTables)] = &[\n");
    for (name, dir) in &checked {
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.clone());
        writeln!(
            sets,
            "    ({:?}, {name}::MESSAGE_TABLES),",
            dir.display().to_string()
        )
        .unwrap();
    }
    sets.push_str("];\n");
    writeln!(sets, "/// Milliseconds the generator took for `ASF_API_DIR` (0 when unset).\npub const GENERATE_MS: u128 = {ms};").unwrap();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("sets.rs"), sets).expect("write sets.rs");
}
