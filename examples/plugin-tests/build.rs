//! Typed bindings for the plugin's API: `api/demo.api.json`, which
//! vppapigen writes from `api/demo.api` when the plugin is built; and, to
//! show what happens when bindings and VPP disagree, those of the plugin's
//! previous version (`api-1.1/`).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    asf_apigen::Builder::new()
        .file("api/demo.api.json")
        .generate()
        .unwrap_or_else(|e| panic!("cannot generate the demo plugin's API bindings: {e}"));
    asf_apigen::Builder::new()
        .file("api-1.1/demo.api.json")
        .out_file("demo_1_1.rs")
        .generate()
        .unwrap_or_else(|e| panic!("cannot generate the demo 1.1 bindings: {e}"));
}
