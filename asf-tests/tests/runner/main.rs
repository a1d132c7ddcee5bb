//! Drives the `suites` test binary as a user would, against the stand-in
//! VPP, and checks what the run does: VPPs booted, skips, filters, faults,
//! exit codes, and that no process outlives the run. One binary; one file
//! per subject.
#![forbid(unsafe_code)]

mod common;
mod configuration;
mod lifecycle;
mod reports;
mod selection;
mod verdicts;
mod vpp_faults;
