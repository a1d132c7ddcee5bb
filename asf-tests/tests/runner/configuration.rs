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

/// A class's VPP makes its sockets (API, stats, CLI, app namespaces)
/// through a short link to the class temp dir: a class whose VPP serves the
/// app socket API runs under a temp base of 100 characters, where a socket
/// in the class temp dir could not be made (its path would be over 107
/// bytes), and the link goes with the class.
#[test]
fn app_namespace_sockets_fit_under_a_temp_base_of_100_characters() {
    let r = Run::new();
    let tmp = r.tmp.path().as_os_str().len();
    assert!(
        tmp + 2 < 100,
        "the temp dir of {tmp} bytes is too long for this test"
    );
    let base = r.tmp.path().join("b".repeat(100 - tmp - 1));
    assert_eq!(base.as_os_str().len(), 100);
    let (out, text) = r.run(
        &["asf_sockets::"],
        &[
            ("ASF_TMP_DIR", base.to_str().unwrap()),
            ("ASF_KEEP_TMP", "yes"),
        ],
    );
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Passed tests: 2"), "{text}");
    let class = base.join("vpp-unittest-suites.asf_sockets.sockets");
    assert!(
        class.join("api.sock").as_os_str().len() > 107,
        "the test must put the class dir past a socket's limit"
    );
    // The link went with the class.
    let link = asf_core::vpp::startup::runtime_link(&class);
    assert!(class.is_dir(), "{text}");
    assert!(
        std::fs::symlink_metadata(&link).is_err(),
        "{} left behind",
        link.display()
    );
}
