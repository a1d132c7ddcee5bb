use asf_core::{vpp_test, TestCase};

/// Class
#[vpp_test(requires_plugins = "acl_plugin.so")]
mod test_c {
    use super::*;

    /// test
    #[vpp_test]
    fn test_x(_t: &mut TestCase) {}
}

fn main() {}
