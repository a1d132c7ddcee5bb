//! Port of `test/asf/test_sparse_vec.py`.

use asf_core::{vpp_test, TestCase, TestResult};

/// SparseVec Test Cases
#[vpp_test(name = "TestSparseVec", requires_plugins = ["unittest_plugin.so"])]
mod sparse_vec {
    use super::*;

    /// SparseVec unit tests
    #[vpp_test]
    fn test_string_unittest(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test sparse_vec", "failed")?;
        Ok(())
    }
}
