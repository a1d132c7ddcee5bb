use asf_core::vpp_test;

/// Not a class
#[vpp_test(solo)]
struct TestThing;

fn main() {}
