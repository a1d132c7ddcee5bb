//! Port of `test/asf/test_http_static.py`.

use std::io::Write;

use crate::api::http_static::{HttpStaticDisable, HttpStaticEnableV5, HttpStaticGet};
use asf_core::host::Netns;
use asf_core::{vpp_test, TestCase, TestResult};

use crate::vpp_objects::{curl_in, host_interface_to_vpp};

/// What the class set-up made: the namespace and two files in /tmp (the
/// server's www-root), "Hello world" and "Hello world2".
struct Fixture {
    ns: Netns,
    temp: tempfile::NamedTempFile,
    temp2: tempfile::NamedTempFile,
}

/// The class's [`Fixture`], from set_up_class to tear_down_class.
#[derive(Default)]
struct ClassFixture(Option<Fixture>);

fn temp_file(text: &[u8]) -> TestResult<tempfile::NamedTempFile> {
    let mut f = tempfile::Builder::new().tempfile_in("/tmp")?;
    f.write_all(text)?;
    f.flush()?;
    Ok(f)
}

/// The original's setUpClass: 2 temp files to improve coverage of
/// http_cache.c, a namespace plumbed to VPP.
fn set_up_class(t: &mut TestCase) -> TestResult {
    let temp = temp_file(b"Hello world")?;
    let temp2 = temp_file(b"Hello world2")?;
    let ns = host_interface_to_vpp(t)?;
    t.class_data::<ClassFixture>().0 = Some(Fixture { ns, temp, temp2 });
    Ok(())
}

/// The original's tearDownClass: the files go (the namespace and the veth
/// pair go with the class).
fn tear_down_class(t: &mut TestCase) -> TestResult {
    t.class_data::<ClassFixture>().0.take();
    Ok(())
}

/// The namespace and the two file names relative to /tmp.
fn fixture(t: &TestCase) -> TestResult<(Netns, String, String)> {
    let f = t
        .class_data_ref::<ClassFixture>()
        .and_then(|c| c.0.as_ref())
        .ok_or("no fixture from set_up_class")?;
    let rel = |p: &tempfile::NamedTempFile| {
        p.path()
            .strip_prefix("/tmp")
            .map(|r| r.display().to_string())
            .unwrap_or_default()
    };
    Ok((f.ns.clone(), rel(&f.temp), rel(&f.temp2)))
}

fn has(haystack: &str, needle: &str) -> bool {
    haystack.contains(needle)
}

/// enable the http static server and send requests [VAPI]
#[vpp_test(
    name = "TestHttpStaticVapi",
    set_up_class = set_up_class,
    tear_down_class = tear_down_class,
    requires_root,
    requires_programs = ["curl", "ip"],
    skip_if = asf_core::host::netns_unavailable,
    requires_plugins = ["http_static_plugin.so", "af_packet_plugin.so"],
    requires_messages = ["http_static_enable_v5"]
)]
mod vapi {
    use super::*;

    #[vpp_test]
    fn test_http_static_vapi(t: &mut TestCase) -> TestResult {
        let (ns, temp, temp2) = fixture(t)?;
        // Until 26.06 the test (and VPP) wrote the port after a slash, and
        // the server could be neither disabled nor asked (26.10's
        // http_static_disable, http_static_get): an older VPP runs its
        // release's test.
        let newer = t.vpp_at_least("26.10")?;
        t.api().request(&HttpStaticEnableV5 {
            www_root: "/tmp".into(),
            uri: if newer {
                "tcp://0.0.0.0:80"
            } else {
                "tcp://0.0.0.0/80"
            }
            .into(),
            ..HttpStaticEnableV5::default()
        })?;
        let url = format!("10.10.1.2/{temp}");
        let p = curl_in(t, &ns, &["--noproxy", "10.10.1.2", "-v", &url])?;
        if !p.success() {
            tracing::error!("Subprocess failed with return code {:?}", p.code);
            tracing::error!("stderr: {}", p.stderr);
            return Err("Subprocess execution failed".into());
        }
        t.ppcli("sh session verbose")?;
        assert!(has(&p.stdout, "Hello world"), "{p:?}");
        assert!(has(&p.stderr, "max-age=600"), "{p:?}");

        let url2 = format!("10.10.1.2/{temp2}");
        let p = curl_in(t, &ns, &["--noproxy", "10.10.1.2", &url2])?;
        assert!(has(&p.stdout, "Hello world2"), "{p:?}");
        if !newer {
            return Ok(());
        }

        t.api().request(&HttpStaticDisable)?;
        let p = curl_in(t, &ns, &["--noproxy", "10.10.1.2", &url2])?;
        assert!(!has(&p.stdout, "Hello world2"), "{p:?}");

        // Now enable again
        t.api().request(&HttpStaticEnableV5 {
            www_root: "/tmp".into(),
            uri: "http://0.0.0.0:80".into(),
            ..HttpStaticEnableV5::default()
        })?;
        let p = curl_in(t, &ns, &["--noproxy", "10.10.1.2", &url2])?;
        assert!(has(&p.stdout, "Hello world2"), "{p:?}");

        let reply = t.api().request(&HttpStaticGet)?;
        assert_eq!(reply.www_root, "/tmp");
        assert_eq!(reply.uri, "http://0.0.0.0:80");
        Ok(())
    }
}

/// enable the static http server and send requests [CLI]
#[vpp_test(
    name = "TestHttpStaticCli",
    set_up_class = set_up_class,
    tear_down_class = tear_down_class,
    requires_root,
    requires_programs = ["curl", "ip"],
    skip_if = asf_core::host::netns_unavailable,
    requires_plugins = ["http_static_plugin.so", "af_packet_plugin.so"]
)]
mod cli {
    use super::*;

    #[vpp_test]
    fn test_http_static_cli(t: &mut TestCase) -> TestResult {
        let (ns, temp, temp2) = fixture(t)?;
        t.cli("http static server www-root /tmp uri tcp://0.0.0.0/80 cache-size 2m")?;
        let p = curl_in(t, &ns, &[&format!("10.10.1.2/{temp}")])?;
        assert!(has(&p.stdout, "Hello world"), "{p:?}");

        let url2 = format!("10.10.1.2/{temp2}");
        let p = curl_in(t, &ns, &[&url2])?;
        assert!(has(&p.stdout, "Hello world2"), "{p:?}");

        t.ppcli("show http static server cache")?;
        t.ppcli("clear http static cache")?;
        t.ppcli("show http static server sessions")?;

        // Now turn the server off again (a CLI of 26.10: an older VPP runs
        // its release's test, which ends here).
        if !t.vpp_at_least("26.10")? {
            return Ok(());
        }
        t.cli("http static server disable")?;
        let p = curl_in(t, &ns, &[&url2])?;
        assert!(!has(&p.stdout, "Hello world2"), "{p:?}");
        Ok(())
    }
}
