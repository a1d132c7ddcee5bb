//! Port of `test/asf/test_crypto.py`.

use asf_core::{vpp_test, TestCase, TestResult};

fn crypto(t: &mut TestCase) -> TestResult {
    let out = t.cli("test crypto quiet")?;
    assert_eq!(out.trim(), "OK", "test crypto quiet:\n{out}");
    Ok(())
}

fn crypto_leak(t: &mut TestCase) -> TestResult {
    let out = t.cli("test crypto leak")?;
    assert!(!out.contains("FAIL"), "{out}");
    assert!(out.contains("OK"), "{out}");
    Ok(())
}

fn crypto_perf(t: &mut TestCase) -> TestResult {
    for alg in ["aes-128-cbc-sha1-160", "aes-128-ctr-sha1-160"] {
        for size in [64, 1024, 2048] {
            t.unittest_cli(
                &format!("test crypto perf {alg} buffers 512 rounds 200 buffer-size {size}"),
                "FAIL",
            )?;
        }
    }
    Ok(())
}

/// Crypto Test Case
#[vpp_test(name = "TestCrypto", requires_plugins = ["unittest_plugin.so"])]
mod crypto {
    use super::*;

    /// Crypto Unit Tests
    #[vpp_test]
    fn test_crypto(t: &mut TestCase) -> TestResult {
        crypto(t)
    }

    /// Crypto ctx key_data ADD/REMOVE accounting regression
    #[vpp_test]
    fn test_crypto_leak(t: &mut TestCase) -> TestResult {
        crypto_leak(t)
    }

    /// Crypto+HMAC Performance Tests
    #[vpp_test]
    fn test_crypto_perf(t: &mut TestCase) -> TestResult {
        crypto_perf(t)
    }
}

/// Crypto Test Case (worker thread)
// As the original, only the tests of its worker allowlist run with a worker.
#[vpp_test(name = "TestCryptoWorker", workers = 1, requires_plugins = ["unittest_plugin.so"])]
mod crypto_worker {
    use super::*;

    /// Crypto Unit Tests
    #[vpp_test(ignore = "not in worker_tests allowlist")]
    fn test_crypto(t: &mut TestCase) -> TestResult {
        crypto(t)
    }

    /// Crypto ctx key_data ADD/REMOVE accounting regression
    #[vpp_test]
    fn test_crypto_leak(t: &mut TestCase) -> TestResult {
        crypto_leak(t)
    }

    /// Crypto+HMAC Performance Tests
    #[vpp_test(ignore = "not in worker_tests allowlist")]
    fn test_crypto_perf(t: &mut TestCase) -> TestResult {
        crypto_perf(t)
    }
}
