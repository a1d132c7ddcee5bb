//! VPP's binary API over its Unix socket: framing, the big-endian codec, the
//! typed core messages, and a blocking client.

pub mod client;
pub mod codec;
pub mod dynamic;
pub mod messages;
pub mod schema;
pub mod values;

pub use client::ApiClient;
