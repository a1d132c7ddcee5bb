use asf_core::{vpp_test, TestCase};

/// Class
#[vpp_test]
mod test_c {
    use super::*;

    /// test
    #[vpp_test(requires_vpp = "v26.10")]
    fn test_x(_t: &mut TestCase) {}
}

fn main() {}
