//! asf: a test framework for FD.io VPP.
//!
//! Tests are functions in class modules marked `#[vpp_test]`; the test
//! binary's `main` is [`main`]. Each class gets its own VPP, booted in a
//! child process after the tag rules have decided what runs.
//!
//! ```ignore
//! use asf_core::{vpp_test, TestCase, TestResult};
//!
//! /// Basic API checks
//! #[vpp_test(workers = 1)]
//! mod test_basic {
//!     use super::*;
//!
//!     /// control_ping returns the pid of the VPP this class booted
//!     #[vpp_test]
//!     fn test_ping(t: &mut TestCase) -> TestResult {
//!         assert_eq!(t.ping()?, t.vpp_pid());
//!         Ok(())
//!     }
//! }
//!
//! fn main() -> std::process::ExitCode { asf_core::main() }
//! ```
#![warn(missing_docs)]

pub mod api;
pub mod case;
pub mod config;
pub mod errors;
pub mod exit;
pub mod helper;
pub mod host;
pub mod model;
pub mod rules;
pub mod runner;
pub mod stats;
pub mod vpp;

pub use asf_macros::vpp_test;
/// Packets as Rust values (the `asf-packet` crate): scapy's layers,
/// dissection, checksums, pcap files.
pub use asf_packet as packet;
pub use case::{AssertionFailed, Skip, TestCase, TestResult};
pub use model::Tag;
pub use runner::parent::main;

/// Used by the code `#[vpp_test]` generates; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::case::IntoTestResult;
    pub use crate::model::{ClassDesc, HostNeeds, Tag, TestDesc};
    pub use inventory;
}
