//! Bad configuration and API definitions are clear errors.

use std::path::PathBuf;

use crate::common::*;

#[test]
fn missing_or_bad_configuration_is_a_clear_error() {
    let r = Run::new();
    let (out, text) = r.run(&[], &[("VPP_BIN", "/nonexistent/vpp")]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("VPP_BIN \"/nonexistent/vpp\" does not exist; set VPP_BIN"),
        "{text}"
    );
    let (out, text) = r.run(&[], &[("VPP_WORKER_COUNT", "many")]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("VPP_WORKER_COUNT=\"many\" is not valid: a non-negative integer"),
        "{text}"
    );
    assert_eq!(r.launches(), 0);
}

#[test]
fn api_definitions_from_files_and_a_bad_file_named_in_the_error() {
    let r = Run::new();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let api = format!(
        "{}:{}",
        root.join("../asf-core/api").display(),
        root.join("../asf-vocab/api").display()
    );
    let (out, text) = r.run(&["asf_interface::"], &[("ASF_API_DIR", api.as_str())]);
    assert!(out.status.success(), "{text}");

    let bad = r.tmp.path().join("extern-api");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("myplugin.api.json"),
        r#"{"messages": [["my_msg", ["u16", "_vl_msg_id"]]]}"#,
    )
    .unwrap();
    let (out, text) = r.run(
        &["asf_interface::interfaces::test_loopback_dynamic"],
        &[("EXTERN_APIDIR", bad.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("myplugin.api.json\": messages.my_msg: no \"crc\""),
        "{text}"
    );

    let (out, text) = r.run(&[], &[("EXTERN_APIDIR", "/nonexistent/api")]);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("EXTERN_APIDIR=\"/nonexistent/api\" is not valid"),
        "{text}"
    );
}

/// A class whose VPP serves the app socket API makes its app namespace
/// sockets under the class temp dir; a temp base that leaves no room for
/// their names is a clear error before VPP starts, not VPP's bare retval
/// -1 from `app_namespace_add_del_v4`.
#[test]
fn no_room_for_app_namespace_sockets_is_a_clear_error() {
    let r = Run::new();
    let class = "/vpp-unittest-suites.test_quic.crypto_handler_mid_transfer_with_key_update";
    // A class temp dir of 95 bytes: its api.sock fits (104), its
    // app_ns_sockets/<id> leave 107 - 111 bytes for the id.
    let base_len = 95 - class.len();
    let tmp = r.tmp.path().as_os_str().len();
    assert!(
        base_len > tmp + 1,
        "the temp dir {tmp} bytes is too long for this test"
    );
    let base = r.tmp.path().join("b".repeat(base_len - tmp - 1));
    let test = "test_quic::crypto_handler_mid_transfer_with_key_update::test_quic_handler_switch_mid_transfer_with_key_update";
    let (_, text) = r.run(
        &["--oversubscribe", "--exact", test],
        &[("ASF_TMP_DIR", base.to_str().unwrap())],
    );
    assert!(
        text.contains("app namespace sockets go to")
            && text.contains("set ASF_TMP_DIR to a shorter directory"),
        "{text}"
    );
    assert_eq!(r.launches(), 0, "VPP started:\n{text}");
}
