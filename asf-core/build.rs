//! Generates asf's own API messages from the `.api.json` files in `api/`.

fn main() {
    if let Err(e) = asf_apigen::Builder::new()
        .api_dir("api")
        .runtime("crate::api")
        .json(true)
        .generate()
    {
        panic!("cannot generate the API bindings: {e}");
    }
}
