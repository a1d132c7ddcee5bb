use asf_core::{vpp_test, TestCase};

/// Class
#[vpp_test]
mod test_c {
    use super::*;

    /// test
    #[vpp_test(workers = 2)]
    fn test_x(_t: &mut TestCase) {}

    /// test
    #[vpp_test(solo)]
    fn test_y(_t: &mut TestCase) {}
}

fn main() {}
