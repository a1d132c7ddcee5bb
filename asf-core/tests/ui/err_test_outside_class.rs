use asf_core::{vpp_test, TestCase};

/// test
#[vpp_test]
fn test_x(_t: &mut TestCase) {}

fn main() {}
