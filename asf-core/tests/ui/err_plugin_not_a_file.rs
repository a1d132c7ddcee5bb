use asf_core::{vpp_test, TestCase};

/// Class
#[vpp_test(plugins = ["acl_plugin"])]
mod test_c {
    use super::*;

    /// test
    #[vpp_test]
    fn test_x(_t: &mut TestCase) {}
}

fn main() {}
