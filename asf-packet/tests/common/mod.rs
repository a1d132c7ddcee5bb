//! Shared by the crate's integration tests.
#![allow(dead_code, reason = "each test binary uses part of it")]

pub mod gen;
pub mod scapy;
