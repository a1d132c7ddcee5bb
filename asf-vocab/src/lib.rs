//! The vocabulary of asf: what a test says to VPP, apart from how tests run
//! (`asf-core`, the framework, which knows nothing of this crate).
//!
//! * [`pg`]: packet-generator interfaces and the traffic through them
//!   (`vpp_pg_interface.py`, `framework.py`'s send/expect helpers);
//! * [`objects`]: VPP objects that add themselves, say whether VPP has them
//!   and remove themselves at a test's tear-down (`vpp_*.py`), one module
//!   per feature family;
//! * [`api`]: the messages those send, generated from `.api.json` subsets of
//!   VPP's files, one module per file.
//!
//! A test crate depends on both crates; an out-of-tree plugin's test crate
//! that speaks only its own messages needs `asf-core` alone.
//!
//! ```ignore
//! use asf_core::{vpp_test, TestCase, TestResult};
//! use asf_vocab::{objects, pg};
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod api;
pub mod objects;
pub mod pg;

/// Packets as Rust values (the `asf-packet` crate), as `asf_core::packet`.
pub use asf_packet as packet;
