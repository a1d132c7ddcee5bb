//! Typed bindings for the VPP messages the suites send that asf-core does
//! not generate itself: `api/*.api.json`, subsets of VPP's files made with
//! `asf-apigen-subset` (see `api/README.md`).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    asf_apigen::Builder::new()
        .api_dir("api")
        .generate()
        .unwrap_or_else(|e| panic!("cannot generate the suites' API bindings: {e}"));
}
