//! UI tests of `#[vpp_test]`: every misuse is a compile error pointing at it.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass_*.rs");
    t.compile_fail("tests/ui/err_*.rs");
}
