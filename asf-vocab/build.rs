//! Generates the vocabulary's API messages from the `.api.json` files in
//! `api/` (subsets of VPP's own files, with VPP's definitions and CRCs).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(e) = asf_apigen::Builder::new()
        .api_dir("api")
        .json(true)
        .generate()
    {
        panic!("cannot generate the API bindings: {e}");
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("api");
    println!("cargo:api_dir={}", dir.display());
}
