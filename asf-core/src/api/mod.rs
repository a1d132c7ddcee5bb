//! VPP's binary API over its Unix socket: framing, the big-endian codec,
//! typed messages generated from `.api.json` files, the dynamic codec, and a
//! blocking client.

pub mod client;
pub mod codec;
pub mod dynamic;
pub mod message;
pub mod values;
pub mod vpp;

pub use asf_apigen::schema;
pub use client::ApiClient;
