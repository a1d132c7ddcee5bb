//! The `#[vpp_test]` attribute of asf.
//!
//! This crate is an implementation detail of `asf-core`, which re-exports the
//! attribute; depend on `asf-core` only. The macro is a pipeline of stages:
//! [`args`] parses the options, [`valid`] checks items and signatures,
//! [`expand`] generates the registration code.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod args;
mod expand;
mod valid;

use proc_macro::TokenStream;

/// Declares a test class (on an inline `mod`) or a test (on a `fn` inside one).
///
/// ```text
/// /// Header line of the class
/// #[vpp_test(solo, fixme_asan, workers = 2)]
/// mod test_foo {
///     use asf_core::{TestCase, TestResult};
///
///     /// What this test checks
///     #[vpp_test(fixme_vpp_debug)]
///     fn test_bar(t: &mut TestCase) -> TestResult { Ok(()) }
/// }
/// ```
#[proc_macro_attribute]
pub fn vpp_test(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::vpp_test(attr.into(), item.into()).into()
}
