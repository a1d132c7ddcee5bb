use asf_core::{vpp_test, TestCase};

/// Class
#[vpp_test]
mod test_c {
    use super::*;

    /// test
    #[vpp_test]
    fn test_x<T: Default>(_t: &mut TestCase) {
        let _ = T::default();
    }
}

fn main() {}
