//! The VPP under test: finding its binary, its startup command line, and its
//! process.

pub mod binary;
pub mod core;
pub mod process;
pub mod release;
pub mod startup;
