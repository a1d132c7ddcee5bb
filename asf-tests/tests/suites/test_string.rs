//! Port of `test/asf/test_string.py`.

use asf_core::{vpp_test, TestCase, TestResult};

/// String Test Cases
#[vpp_test(name = "TestString", requires_plugins = ["unittest_plugin.so"])]
mod string {
    use super::*;

    /// String unit tests
    #[vpp_test]
    fn test_string_unittest(t: &mut TestCase) -> TestResult {
        let names = [
            "memcpy_s",
            "clib_memcmp",
            "clib_memcpy",
            "clib_memset",
            "clib_strcmp",
            "clib_strncmp",
            "clib_strncpy",
            "clib_strnlen",
            "clib_strtok",
            "memcmp_s",
            "memcpy_s",
            "memset_s ",
            "strcat_s",
            "strcmp_s",
            "strcpy_s",
            "strncat_s",
            "strncmp_s",
            "strncpy_s",
            "strnlen_s",
            "strstr_s",
            "strtok_s",
        ];
        for name in names {
            t.unittest_cli(&format!("test string {name}"), "failed")?;
        }
        Ok(())
    }
}
