//! VPP's statistics segment: receiving the memfd over `stats.sock`, mapping
//! it read-only, and reading it with the epoch / in-progress protocol.
//! Every read is bounds-checked: a corrupt or hostile segment is an error.

pub mod client;
pub mod layout;
pub mod memory;
pub mod value;

pub use client::StatsClient;
pub use value::{Combined, StatValue};
