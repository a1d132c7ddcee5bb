use asf_core::{vpp_test, TestCase};

fn no_device(_t: &mut TestCase) -> bool {
    true
}

/// Class
#[vpp_test(skip_if = no_device)]
mod test_c {
    use super::*;

    /// test
    #[vpp_test]
    fn test_x(_t: &mut TestCase) {}
}

fn main() {}
