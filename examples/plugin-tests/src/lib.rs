//! Typed bindings of the example "demo" plugin's API, generated at build
//! time from `api/demo.api.json` by `asf-apigen` (see `build.rs`): the
//! module [`demo`] holds a struct per message, an enum per enum, a bit set
//! per flags type, and the request/reply relations asf's client uses.
#![forbid(unsafe_code)]

include!(concat!(env!("OUT_DIR"), "/vpp_api.rs"));

/// The bindings of the plugin's previous version (1.1.0, before
/// `demo_rule_add` had a tag), for the test of a CRC mismatch.
pub mod v1_1 {
    include!(concat!(env!("OUT_DIR"), "/demo_1_1.rs"));
}
