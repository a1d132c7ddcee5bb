use asf_core::{vpp_test, TestCase};

/// Class
#[vpp_test]
mod test_c {
    use super::*;

    /// test
    #[vpp_test]
    fn test_x(t: TestCase) {
        let _ = t;
    }
}

fn main() {}
