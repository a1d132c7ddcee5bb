//! Bindings for every `.api.json` file checked (see `build.rs`), with a
//! table of every message; `tests/equivalence.rs` encodes and decodes each
//! one both ways, typed and dynamic.
#![forbid(unsafe_code)]

include!(concat!(env!("OUT_DIR"), "/vpp_api.rs"));

/// The dirs the bindings were generated from.
pub const API_DIRS: &str = env!("ASF_APIGEN_TEST_DIRS");

/// How long generating them took, in milliseconds.
pub const GENERATE_MS: &str = env!("ASF_APIGEN_TEST_GEN_MS");

/// The repository's API files (those the benchmark uses), whichever are
/// checked.
#[cfg(asf_api_dir)]
pub mod repo {
    include!(concat!(env!("OUT_DIR"), "/repo_api.rs"));
}

/// The repository's API files (those the benchmark uses), whichever are
/// checked.
#[cfg(not(asf_api_dir))]
pub mod repo {
    pub use super::*;
}
