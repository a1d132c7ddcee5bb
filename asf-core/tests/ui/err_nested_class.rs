use asf_core::{vpp_test, TestCase};

/// Outer
#[vpp_test]
mod test_outer {
    use super::*;

    /// Inner
    #[vpp_test]
    mod test_inner {}

    /// test
    #[vpp_test]
    fn test_x(_t: &mut TestCase) {}
}

fn main() {}
