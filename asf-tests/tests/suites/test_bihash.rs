//! Port of `test/asf/test_bihash.py`.

use asf_core::{vpp_test, TestCase, TestResult};

/// Bihash Test Cases
// A long reply timeout, as the original, for slow "test bihash" runs.
#[vpp_test(name = "TestBihash", api_timeout = 200, requires_plugins = ["unittest_plugin.so"])]
mod bihash {
    use super::*;

    /// Bihash Add/Del Test
    #[vpp_test]
    fn test_bihash_unittest(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test bihash careful 0 verbose 0", "failed")?;
        Ok(())
    }

    /// Bihash Thread Test
    #[vpp_test(fixme_asan)]
    fn test_bihash_thread(t: &mut TestCase) -> TestResult {
        t.unittest_cli(
            "test bihash threads 2 nitems 10000 ncycles 10000 nbuckets 64000 careful 0 verbose 0",
            "failed",
        )?;
        Ok(())
    }

    /// Bihash vec64 Test
    #[vpp_test]
    fn test_bihash_vec64(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test bihash vec64", "failed")?;
        Ok(())
    }

    /// Improve Code Coverage
    #[vpp_test(gcov)]
    fn test_bihash_coverage(t: &mut TestCase) -> TestResult {
        t.unittest_cli(
            "test bihash nitems 10 ncycles 3search 2 careful 1 verbose 2 non-random-keys",
            "failed",
        )?;
        t.unittest_cli("test bihash nitems 10 nbuckets 1 ncycles 3search 2 careful 1 verbose 2 non-random-keys", "failed")?;
        Ok(())
    }
}
