//! Port of `test/asf/test_tls.py`.

use crate::api::tls_openssl::TlsOpensslSetEngine;
use asf_core::{vpp_test, TestCase, TestResult};

use crate::vpp_objects::{local_ip4, two_tables, two_tables_down, with_inter_table_routes};

/// Text in a `u8 name[64]` field, as VPP's Python client packs bytes.
fn nul_padded(s: &str) -> [u8; 64] {
    let mut out = [0u8; 64];
    out[..s.len().min(63)].copy_from_slice(&s.as_bytes()[..s.len().min(63)]);
    out
}

/// `checkQat()`: a QAT device is present.
fn check_qat() -> bool {
    std::path::Path::new("/dev/qat_dev_processes").exists()
}

/// `checkOpenSSLVersion()`: `$OPENSSL_ROOT_DIR/bin/openssl version` is 3 or later.
fn check_openssl_version() -> bool {
    let Some(root) = std::env::var_os("OPENSSL_ROOT_DIR") else {
        return false;
    };
    let bin = std::path::Path::new(&root).join("bin/openssl");
    let Ok(out) = std::process::Command::new(bin).arg("version").output() else {
        return false;
    };
    if !out.status.success() {
        return false;
    }
    // "OpenSSL 3.0.17 1 Jul 2025": the first number before a dotted version.
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .find(|w| w.matches('.').count() >= 2)
        .and_then(|v| v.split('.').next())
        .and_then(|major| major.parse::<u32>().ok())
        .is_some_and(|major| major >= 3)
}

/// The original's `skipUnless(checkAll(), ...)`, decided before VPP boots.
fn qat_or_openssl_missing() -> Option<String> {
    (!(check_qat() && check_openssl_version()))
        .then(|| "QAT or OpenSSL not satisfied,skip.".to_string())
}

/// TLS Qat Test Case.
#[vpp_test(
    name = "TestTLS",
    requires_plugins = ["vperf_plugin.so", "tlsopenssl_plugin.so"],
    requires_messages = ["tls_openssl_set_engine", "app_namespace_add_del_v4"]
)]
mod tls {
    use super::*;

    /// TLS qat echo client/server transfer
    #[vpp_test(skip_if = qat_or_openssl_missing)]
    fn test_tls_transfer(t: &mut TestCase) -> TestResult {
        // The original's setUp: session on, two loopbacks in tables 0 and 1,
        // a namespace on each.
        let lo = two_tables(t)?;
        let result = with_inter_table_routes(t, lo, |t| {
            // Enable QAT engine and TLS async
            let r = t.api().request(&TlsOpensslSetEngine {
                async_enable: 1,
                engine: nul_padded("qat"),
                algorithm: nul_padded("RSA,PKEY_CRYPTO"),
                ciphers: nul_padded("RSA"),
            })?;
            tracing::info!("{r:?}");

            // Start builtin server and client
            let uri = format!("tls://{}/1234", local_ip4(lo[0]));
            t.unittest_cli(
                &format!("vperf server appns 0 fifo-size 4k tls-engine 1 uri {uri}"),
                "failed",
            )?;
            t.unittest_cli(
                &format!("vperf client bytes 10m appns 1 fifo-size 4k test-bytes tls-engine 1 syn-timeout 2 uri {uri}"),
                "failed",
            )?;
            Ok(())
        });
        two_tables_down(t, lo)?;
        result
    }
}
