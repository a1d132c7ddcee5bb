//! Port of `test/asf/test_util.py`: the MAC address helpers of VPP's
//! Python client (`mac_pton`, `mac_ntop`) there; asf's own equivalents
//! (`asf_core::api::values`) here, with the same case.

use asf_core::api::values::{mac_ntop, mac_pton};
use asf_core::{vpp_test, TestCase};

/// Test framework utility tests
#[vpp_test(name = "TestUtil")]
mod util {
    use super::*;

    /// MAC to binary and back
    #[vpp_test]
    fn test_mac_to_binary(_t: &mut TestCase) {
        let mac = "aa:bb:cc:dd:ee:ff";
        let b = mac_pton(mac).expect("a valid MAC address");
        let mac2 = mac_ntop(&b);
        assert_eq!(mac2, mac);
    }
}
