//! Port of `test/asf/test_prom.py`.

use asf_core::host::Netns;
use asf_core::{vpp_test, TestCase, TestResult};

use crate::vpp_objects::{curl_in, host_interface_to_vpp};

/// The namespace the class's set-up plumbed to VPP.
#[derive(Default)]
struct ClassNs(Option<Netns>);

/// The original's setUpClass: a namespace plumbed to VPP.
fn set_up_class(t: &mut TestCase) -> TestResult {
    let ns = host_interface_to_vpp(t)?;
    t.class_data::<ClassNs>().0 = Some(ns);
    Ok(())
}

/// Prometheus plugin test
#[vpp_test(
    name = "TestProm",
    set_up_class = set_up_class,
    requires_root,
    requires_programs = ["curl", "ip"],
    skip_if = asf_core::host::netns_unavailable,
    requires_plugins = ["http_static_plugin.so", "prom_plugin.so", "af_packet_plugin.so"]
)]
mod prom {
    use super::*;

    /// Enable HTTP Static server and prometheus exporter, get stats
    #[vpp_test]
    fn test_prom(t: &mut TestCase) -> TestResult {
        t.cli("http static server uri tcp://0.0.0.0/80 url-handlers")?;
        t.cli("prom enable")?;
        t.sleep(1.0, "wait for min-scrape-interval to expire");

        let ns = t
            .class_data_ref::<ClassNs>()
            .and_then(|c| c.0.clone())
            .ok_or("no namespace from set_up_class")?;
        let p = curl_in(t, &ns, &["10.10.1.2/stats.prom"])?;
        assert!(p.stdout.contains("TYPE"), "no TYPE in /stats.prom: {p:?}");
        Ok(())
    }
}
