use asf_core::{vpp_test, TestCase};

/// Class
#[vpp_test(extended = true)]
mod test_c {
    use super::*;

    /// test
    #[vpp_test]
    fn test_x(_t: &mut TestCase) {}
}

fn main() {}
