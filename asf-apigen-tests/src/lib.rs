//! Bindings for every `.api.json` file checked (see `build.rs`), with a
//! table of every message; `tests/equivalence.rs` encodes and decodes each
//! one both ways, typed and dynamic.
#![forbid(unsafe_code)]

include!(concat!(env!("OUT_DIR"), "/sets.rs"));
