//! Port of `test/asf/test_endian.py`: f64 on the wire, both directions,
//! through the generated types and through the dynamic codec.

use asf_core::api::vpp::vlib::{GetF64EndianValue, GetF64IncrementByOne};
use asf_core::{vpp_test, TestCase, TestResult};
use serde_json::json;

/// TestEndian
#[vpp_test(name = "TestEndian", requires_messages = ["get_f64_endian_value", "get_f64_increment_by_one"])]
mod endian {
    use super::*;

    /// f64 one, sent and received
    #[vpp_test]
    fn test_f64_endian_value(t: &mut TestCase) -> TestResult {
        let typed = t
            .api()
            .request(&GetF64EndianValue { f64_one: 1.0 })
            .map_err(|e| format!("typed client incorrectly serializes f64 values: {e}"))?;
        assert_eq!(typed.f64_one_result, 1.0, "typed client: {typed:?}");
        let rv = t
            .api()
            .call("get_f64_endian_value", json!({"f64_one": 1.0}))
            .map_err(|e| format!("client incorrectly serializes f64 values: {e}"))?;
        assert_eq!(
            rv["f64_one_result"].as_f64(),
            Some(1.0),
            "client incorrectly deserializes f64 values: {rv}"
        );
        Ok(())
    }

    /// f64 incremented by VPP
    #[vpp_test]
    fn test_get_f64_increment_by_one(t: &mut TestCase) -> TestResult {
        let typed = t.api().request(&GetF64IncrementByOne { f64_value: 42.0 })?;
        assert_eq!(typed.f64_value, 43.0, "typed client: {typed:?}");
        let rv = t
            .api()
            .call("get_f64_increment_by_one", json!({"f64_value": 42.0}))?;
        assert_eq!(rv["f64_value"].as_f64(), Some(43.0), "{rv}");
        Ok(())
    }
}
