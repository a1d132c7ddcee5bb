//! Typed bindings for the plugin's API: `api/demo.api.json`, which
//! vppapigen writes from `api/demo.api` when the plugin is built.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    asf_apigen::Builder::new()
        .file("api/demo.api.json")
        .generate()
        .unwrap_or_else(|e| panic!("cannot generate the demo plugin's API bindings: {e}"));
}
