use asf_core::vpp_test;

/// Class
#[vpp_test]
mod test_c {
    /// test
    #[vpp_test]
    fn test_x(_t: &mut String) {}
}

fn main() {}
