//! Port of `test/test_arping.py`: the arping plugin's CLI and API send ARP
//! requests, gratuitous ARPs, neighbour solicitations and advertisements.

use std::time::Duration;

use crate::api::arping::Arping;
use asf_core::packet::{Arp, Ipv6, Nd, NdMsg, Packet};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::pg::{self, PgInterface};

fn set_up_class(t: &mut TestCase) -> TestResult {
    for i in pg::create_interfaces(t, 0..2)? {
        i.admin_up(t)?;
        i.config_ip4(t)?;
        i.config_ip6(t)?;
        i.disable_ipv6_ra(t)?;
        i.resolve_arp(t)?;
        i.resolve_ndp(t, Duration::from_secs(1))?;
    }
    Ok(())
}

fn verify_arping_request(p: &Packet, src: &str, dst: &str) {
    let arp = p.expect::<Arp>();
    assert_eq!(arp.hwtype, 1);
    assert_eq!(arp.ptype, 0x0800);
    assert_eq!(arp.hwlen, Some(6));
    assert_eq!(arp.op, 1);
    assert_eq!(arp.psrc.to_string(), src);
    assert_eq!(arp.pdst.to_string(), dst);
}

fn verify_arping_ip6_ns(p: &Packet, src: &str, dst: &str) {
    let nd = p.expect::<Nd>();
    assert_eq!(nd.ty(), 135);
    assert!(matches!(nd.msg, NdMsg::Ns { .. }));
    assert_eq!(nd.tgt().map(|a| a.to_string()).as_deref(), Some(dst));
    assert_eq!(p.expect::<Ipv6>().src.to_string(), src);
}

fn verify_arping_ip6_na(p: &Packet, src: &str, dst: &str) {
    let nd = p.expect::<Nd>();
    assert_eq!(nd.ty(), 136);
    assert_eq!(nd.tgt().map(|a| a.to_string()).as_deref(), Some(dst));
    assert_eq!(p.expect::<Ipv6>().src.to_string(), src);
}

/// Captures armed on every pg interface; then `run` sends, and pg1 must
/// capture six packets, each checked by `verify`.
fn arping(
    t: &mut TestCase,
    run: impl FnOnce(&mut TestCase, &PgInterface) -> TestResult,
    verify: impl Fn(&Packet, &PgInterface),
) -> TestResult {
    let all = pg::interfaces(t)?;
    pg::enable_capture(t, &all)?;
    pg::start(t)?;
    let pg1 = pg::interface(t, "pg1")?;
    let sent = run(t, &pg1);
    let out = sent.and_then(|()| pg1.get_capture(t, 6));
    t.cli("show error")?;
    for p in out? {
        verify(&p, &pg1);
    }
    Ok(())
}

/// The CLI twice, as the original types it: the address and the
/// interface name with no space between.
fn cli(t: &mut TestCase, head: &str, addr: &str) -> TestResult {
    let ret = t.cli(&format!("{head}{addr}pg1 repeat 5 interval 0.1"))?;
    tracing::info!("{ret}");
    let ret = t.cli(&format!("{head}{addr}pg1"))?;
    tracing::info!("{ret}");
    Ok(())
}

/// The API twice: five with an interval, then one with the defaults.
fn api(t: &mut TestCase, pg1: &PgInterface, addr: std::net::IpAddr, is_garp: bool) -> TestResult {
    let five = Arping {
        address: addr.into(),
        sw_if_index: pg1.sw_if_index(),
        is_garp,
        repeat: 5,
        interval: 0.1,
    };
    tracing::info!("{:?}", t.api().request(&five)?);
    let one = Arping {
        address: addr.into(),
        sw_if_index: pg1.sw_if_index(),
        is_garp,
        ..Arping::default()
    };
    tracing::info!("{:?}", t.api().request(&one)?);
    Ok(())
}

/// Arping Test Case
#[vpp_test(
    name = "TestArping",
    set_up_class = set_up_class,
    show_at_teardown = ["show hardware"],
    // Python skips the class when the arping plugin is excluded.
    requires_messages = ["arping"]
)]
mod arping_test {
    use super::*;

    /// arping IP4 arp request CLI test
    #[vpp_test]
    fn test_arping_ip4_arp_request_cli(t: &mut TestCase) -> TestResult {
        arping(
            t,
            |t, pg1| cli(t, "arping ", &pg1.remote_ip4().to_string()),
            |p, pg1| {
                verify_arping_request(
                    p,
                    &pg1.local_ip4().to_string(),
                    &pg1.remote_ip4().to_string(),
                )
            },
        )
    }

    /// arping ip4 gratuitous arp CLI test
    #[vpp_test]
    fn test_arping_ip4_garp_cli(t: &mut TestCase) -> TestResult {
        arping(
            t,
            |t, pg1| cli(t, "arping gratuitous", &pg1.local_ip4().to_string()),
            |p, pg1| {
                verify_arping_request(
                    p,
                    &pg1.local_ip4().to_string(),
                    &pg1.local_ip4().to_string(),
                )
            },
        )
    }

    /// arping ip4 arp request API test
    #[vpp_test]
    fn test_arping_ip4_arp_request_api(t: &mut TestCase) -> TestResult {
        arping(
            t,
            |t, pg1| api(t, pg1, pg1.remote_ip4().into(), false),
            |p, pg1| {
                verify_arping_request(
                    p,
                    &pg1.local_ip4().to_string(),
                    &pg1.remote_ip4().to_string(),
                )
            },
        )
    }

    /// arping ip4 gratuitous arp API test
    #[vpp_test]
    fn test_arping_ip4_garp_api(t: &mut TestCase) -> TestResult {
        arping(
            t,
            |t, pg1| api(t, pg1, pg1.local_ip4().into(), true),
            |p, pg1| {
                verify_arping_request(
                    p,
                    &pg1.local_ip4().to_string(),
                    &pg1.local_ip4().to_string(),
                )
            },
        )
    }

    /// arping IP6 neighbor solicitation CLI test
    #[vpp_test]
    fn test_arping_ip6_ns_cli(t: &mut TestCase) -> TestResult {
        arping(
            t,
            |t, pg1| cli(t, "arping ", &pg1.remote_ip6().to_string()),
            |p, pg1| {
                verify_arping_ip6_ns(
                    p,
                    &pg1.local_ip6().to_string(),
                    &pg1.remote_ip6().to_string(),
                )
            },
        )
    }

    /// arping ip6 neighbor solicitation API test
    #[vpp_test]
    fn test_arping_ip6_ns_api(t: &mut TestCase) -> TestResult {
        arping(
            t,
            |t, pg1| api(t, pg1, pg1.remote_ip6().into(), false),
            |p, pg1| {
                verify_arping_ip6_ns(
                    p,
                    &pg1.local_ip6().to_string(),
                    &pg1.remote_ip6().to_string(),
                )
            },
        )
    }

    /// arping ip6 neighbor advertisement CLI test
    #[vpp_test]
    fn test_arping_ip6_na_cli(t: &mut TestCase) -> TestResult {
        arping(
            t,
            |t, pg1| cli(t, "arping gratuitous", &pg1.local_ip6().to_string()),
            |p, pg1| {
                verify_arping_ip6_na(
                    p,
                    &pg1.local_ip6().to_string(),
                    &pg1.local_ip6().to_string(),
                )
            },
        )
    }

    /// arping ip6 neighbor advertisement API test
    #[vpp_test]
    fn test_arping_ip6_na_api(t: &mut TestCase) -> TestResult {
        arping(
            t,
            |t, pg1| api(t, pg1, pg1.local_ip6().into(), true),
            |p, pg1| {
                verify_arping_ip6_na(
                    p,
                    &pg1.local_ip6().to_string(),
                    &pg1.local_ip6().to_string(),
                )
            },
        )
    }
}
