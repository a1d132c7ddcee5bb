//! The stand-in's message table (names, CRCs, file CRCs, versions) comes
//! from the same `.api.json` files asf-core's and asf-vocab's typed messages do, and from
//! the example plugin's, which the stand-in implements too.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(e) = asf_apigen::Builder::new()
        .api_dir("../asf-core/api")
        .api_dir("../asf-vocab/api")
        .file("../examples/plugin-tests/api/demo.api.json")
        .file("../asf-tests/api/ping.api.json")
        .tables_only(true)
        .generate()
    {
        panic!("cannot generate the message tables: {e}");
    }
}
