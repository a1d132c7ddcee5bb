//! The VPP test suites: one file per suite, each a class module marked
//! `#[vpp_test]`. Run with `cargo test -p asf-tests`; see the README.

mod test_api;
mod test_cli;
mod test_counters;
mod test_interface;
mod test_solo;
mod test_workers;

fn main() -> std::process::ExitCode {
    asf_core::main()
}
