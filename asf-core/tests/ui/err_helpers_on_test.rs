use asf_core::{vpp_test, TestCase};

/// Class
#[vpp_test]
mod test_c {
    use super::*;

    /// test
    #[vpp_test(helpers = 2)]
    fn test_x(_t: &mut TestCase) {}
}

fn main() {}
