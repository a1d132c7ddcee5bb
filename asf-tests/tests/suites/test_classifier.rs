//! Port of `test/test_classifier.py` with its template
//! (`test/template_classifier.py`): classifier tables as input and output
//! ACLs on IPv4 addresses, protocols and ports, MACs, whole headers and
//! payload, nested tables, policy-based routing and punt ACLs.

use std::net::Ipv4Addr;
use std::time::Duration;

use asf_core::packet::{Ether, Ipv4, Ipv6, Packet, Raw, Tcp, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::classify::{
    InputAclSetInterface, OutputAclSetInterface, PuntAclAddDel, PuntAclGet,
};
use asf_vocab::objects::classify::{
    ip4_mask, ip4_match, ip6_mask, ip6_match, mac_hex, payload_mask, payload_match, Ip4Mask,
    Ip4Match, Ip6Mask, Ip6Match, VarMask, VarMatch,
};
use asf_vocab::objects::{
    self, ClassifySession, ClassifyTable, IpRoute, IpTable, RoutePath, VppObject,
};
use asf_vocab::pg::{self, extend_packet, InfoCursor, PacketInfos, PgInterface};

const PG_IF_PACKET_SIZES: [usize; 2] = [64, 9018];
const PBR_VRFID: u32 = 200;
const UDP: u8 = 17;
const TCP: u8 = 6;

/// The family of a class's streams (`cls.af`).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Af {
    #[default]
    Ip4,
    Ip6,
}

/// What a test leaves for the tear-down: the family, and the table bound
/// to pg0 and whether as an output ACL (`acl_active_table`).
#[derive(Default)]
struct State {
    af: Af,
    active: Option<(u32, bool)>,
}

/// Binds table `table_index` to `intf`'s input, or removes it
/// (`input_acl_set_interface`).
fn input_acl_set_interface(
    t: &mut TestCase,
    intf: &PgInterface,
    table_index: u32,
    is_add: bool,
) -> TestResult {
    let ip6 = t.class_data::<State>().af == Af::Ip6;
    t.api().request(&InputAclSetInterface {
        sw_if_index: intf.sw_if_index(),
        ip4_table_index: if ip6 { u32::MAX } else { table_index },
        ip6_table_index: if ip6 { table_index } else { u32::MAX },
        l2_table_index: u32::MAX,
        is_add,
    })?;
    Ok(())
}

/// The same for its output (`output_acl_set_interface`).
fn output_acl_set_interface(
    t: &mut TestCase,
    intf: &PgInterface,
    table_index: u32,
    is_add: bool,
) -> TestResult {
    let ip6 = t.class_data::<State>().af == Af::Ip6;
    t.api().request(&OutputAclSetInterface {
        sw_if_index: intf.sw_if_index(),
        ip4_table_index: if ip6 { u32::MAX } else { table_index },
        ip6_table_index: if ip6 { table_index } else { u32::MAX },
        l2_table_index: u32::MAX,
        is_add,
    })?;
    Ok(())
}

/// A table of `mask` (`create_classify_table`).
fn create_classify_table(
    t: &mut TestCase,
    mask: &str,
    data_offset: i16,
    next_table_index: Option<u32>,
) -> TestResult<ClassifyTable> {
    objects::add(
        t,
        ClassifyTable {
            data_offset,
            next_table_index: next_table_index.unwrap_or(u32::MAX),
            ..ClassifyTable::new(mask)
        },
    )
}

/// A session of `table` (`create_classify_session`).
fn create_classify_session(
    t: &mut TestCase,
    table: &ClassifyTable,
    r#match: &str,
    pbr_option: u8,
    vrfid: u32,
) -> TestResult<ClassifySession> {
    objects::add(
        t,
        ClassifySession {
            action: pbr_option,
            metadata: vrfid,
            ..ClassifySession::new(table, r#match)
        },
    )
}

/// Binds `table` to pg0's input and notes it for the tear-down.
fn activate_input(t: &mut TestCase, table: &ClassifyTable) -> TestResult {
    let pg0 = pg::interface(t, "pg0")?;
    input_acl_set_interface(t, &pg0, table.table_index, true)?;
    t.class_data::<State>().active = Some((table.table_index, false));
    Ok(())
}

/// Binds `table` to pg0's output and notes it for the tear-down.
fn activate_output(t: &mut TestCase, table: &ClassifyTable) -> TestResult {
    let pg0 = pg::interface(t, "pg0")?;
    output_acl_set_interface(t, &pg0, table.table_index, true)?;
    t.class_data::<State>().active = Some((table.table_index, true));
    Ok(())
}

fn set_up_with(t: &mut TestCase, af: Af) -> TestResult {
    *t.class_data::<State>() = State { af, active: None };
    // create 4 pg interfaces
    for intf in pg::create_interfaces(t, 0..4)? {
        intf.admin_up(t)?;
        match af {
            Af::Ip4 => {
                intf.config_ip4(t)?.resolve_arp(t)?;
            }
            Af::Ip6 => {
                intf.config_ip6(t)?.resolve_ndp(t, Duration::from_secs(1))?;
            }
        }
    }
    Ok(())
}

fn set_up(t: &mut TestCase) -> TestResult {
    set_up_with(t, Af::Ip4)
}

fn set_up_ip6(t: &mut TestCase) -> TestResult {
    set_up_with(t, Af::Ip6)
}

/// Run standard test teardown and acl related log.
fn tear_down(t: &mut TestCase) -> TestResult {
    let af = t.class_data::<State>().af;
    let fam = if af == Af::Ip4 { "ip4" } else { "ip6" };
    tracing::info!("{}", t.ppcli(&format!("show inacl type {fam}"))?);
    tracing::info!("{}", t.ppcli(&format!("show outacl type {fam}"))?);
    tracing::info!("{}", t.cli("show classify table verbose")?);
    tracing::info!("{}", t.cli("show ip fib")?);
    tracing::info!("{}", t.cli("show error")?);
    let pg0 = pg::interface(t, "pg0")?;
    match t.class_data::<State>().active.take() {
        Some((index, true)) => output_acl_set_interface(t, &pg0, index, false)?,
        Some((index, false)) => input_acl_set_interface(t, &pg0, index, false)?,
        None => {}
    }
    for intf in pg::interfaces(t)? {
        match af {
            Af::Ip4 => intf.unconfig_ip4(t)?,
            Af::Ip6 => intf.unconfig_ip6(t)?,
        };
        intf.admin_down(t)?;
    }
    Ok(())
}

/// The layer 4 of a stream: UDP or TCP with these ports.
#[derive(Clone, Copy)]
struct L4 {
    proto: u8,
    sport: u16,
    dport: u16,
}

const DEFAULT_L4: L4 = L4 {
    proto: UDP,
    sport: 1234,
    dport: 5678,
};

/// One packet per size from `src_if`'s remote host to `dst_if`'s, with
/// `payload_ex` after the info (`create_stream`).
fn create_stream(
    t: &mut TestCase,
    infos: &mut PacketInfos,
    src_if: &PgInterface,
    dst_if: &PgInterface,
    l4: L4,
    payload_ex: &[u8],
) -> Vec<Packet> {
    let af = t.class_data::<State>().af;
    PG_IF_PACKET_SIZES
        .iter()
        .map(|&size| {
            let info = infos.create(src_if, dst_if);
            let mut payload = info.to_payload();
            // append any additional payload after info
            payload.extend_from_slice(payload_ex);
            let eth = Ether::new(src_if.remote_mac(), src_if.local_mac());
            let ip: Packet = match af {
                Af::Ip4 => Ipv4::new(src_if.remote_ip4(), dst_if.remote_ip4()).into(),
                Af::Ip6 => Ipv6::new(src_if.remote_ip6(), dst_if.remote_ip6()).into(),
            };
            let l4p: Packet = if l4.proto == TCP {
                Tcp::new(l4.sport, l4.dport).into()
            } else {
                Udp::new(l4.sport, l4.dport).into()
            };
            let mut p = eth / ip / l4p / Raw::new(payload);
            infos.set_data(&info, p.clone());
            extend_packet(&mut p, size, b" ");
            p
        })
        .collect()
}

/// Checks what `dst_if` got: each packet the next expected, with the
/// addresses and ports sent; nothing expected missing (`verify_capture`).
fn verify_capture(
    t: &mut TestCase,
    infos: &PacketInfos,
    dst_if: &PgInterface,
    capture: &[Packet],
    proto: u8,
) -> TestResult {
    tracing::info!("Verifying capture on interface {}", dst_if.name());
    let ip6 = t.class_data::<State>().af == Af::Ip6;
    let mut cursor = InfoCursor::default();
    let dst = dst_if.sw_if_index();
    for packet in capture {
        let mut check = || -> TestResult {
            let (info, saved) = infos.expect_next(&mut cursor, packet, dst)?;
            tracing::debug!(
                "Got packet on port {}: src={} (id={})",
                dst_if.name(),
                info.src,
                info.index
            );
            // Check standard fields
            if ip6 {
                let (a, b) = (packet.expect::<Ipv6>(), saved.expect::<Ipv6>());
                assert_eq!((a.src, a.dst), (b.src, b.dst));
            } else {
                let (a, b) = (packet.expect::<Ipv4>(), saved.expect::<Ipv4>());
                assert_eq!((a.src, a.dst), (b.src, b.dst));
            }
            let ports = |p: &Packet| {
                if proto == TCP {
                    let l = p.expect::<Tcp>();
                    (l.sport, l.dport)
                } else {
                    let l = p.expect::<Udp>();
                    (l.sport, l.dport)
                }
            };
            assert_eq!(ports(packet), ports(saved));
            Ok(())
        };
        check()
            .inspect_err(|_| tracing::error!("Unexpected or invalid packet:\n{}", packet.show()))?;
    }
    for i in pg::interfaces(t)? {
        assert!(
            infos
                .next_in(&mut cursor.clone(), i.sw_if_index(), dst)
                .is_none(),
            "Interface {}: Packet expected from interface {} didn't arrive",
            dst_if.name(),
            i.name()
        );
    }
    Ok(())
}

fn err(t: &mut TestCase, path: &str) -> TestResult<u64> {
    Ok(t.get_counter(path)?.sum())
}

fn nothing_on(t: &mut TestCase, names: &[&str]) -> TestResult {
    for n in names {
        pg::interface(t, n)?.assert_nothing_captured_remark(t, "packets forwarded")?;
    }
    Ok(())
}

fn ip(a: Ipv4Addr) -> Option<Ipv4Addr> {
    Some(a)
}

/// pg0 → pg1 through an input table of `mask` with one session of
/// `r#match`: all of it arrives, checked; the hit counter counts it if
/// given.
fn iacl_pass(
    t: &mut TestCase,
    l4: L4,
    mask: &str,
    r#match: &str,
    hits: Option<&str>,
    verify: bool,
) -> TestResult {
    let p = pg::interfaces(t)?;
    let mut infos = PacketInfos::new();
    let pkts = create_stream(t, &mut infos, &p[0], &p[1], l4, &[]);
    p[0].add_stream(t, &pkts)?;
    let table = create_classify_table(t, mask, 0, None)?;
    create_classify_session(t, &table, r#match, 0, 0)?;
    activate_input(t, &table)?;
    let pre = hits.map(|h| err(t, h)).transpose()?;
    pg::enable_capture(t, &p)?;
    pg::start(t)?;
    let rx = p[1].get_capture(t, pkts.len())?;
    if verify {
        verify_capture(t, &infos, &p[1], &rx, l4.proto)?;
    }
    nothing_on(t, &["pg0", "pg2", "pg3"])?;
    if let (Some(h), Some(pre)) = (hits, pre) {
        let post = err(t, h)?;
        assert_eq!(
            post,
            pre + rx.len() as u64,
            "iACL must increment input ACL hits error counter"
        );
    }
    Ok(())
}

/// pg0 → pg1 through an input table that misses: nothing arrives, the
/// miss counters count every packet.
fn iacl_miss(t: &mut TestCase, mask: &str, r#match: &str) -> TestResult {
    let p = pg::interfaces(t)?;
    let mut infos = PacketInfos::new();
    let pkts = create_stream(t, &mut infos, &p[0], &p[1], DEFAULT_L4, &[]);
    p[0].add_stream(t, &pkts)?;
    let table = create_classify_table(t, mask, 0, None)?;
    create_classify_session(t, &table, r#match, 0, 0)?;
    activate_input(t, &table)?;
    let acl_err_path = "/err/ip4-inacl/input ACL misses";
    let input_err_path = "/err/ip4-input/inacl_table_miss";
    let (acl_pre, input_pre) = (err(t, acl_err_path)?, err(t, input_err_path)?);
    pg::enable_capture(t, &p)?;
    pg::start(t)?;
    nothing_on(t, &["pg0", "pg1", "pg2", "pg3"])?;
    let (acl_post, input_post) = (err(t, acl_err_path)?, err(t, input_err_path)?);
    assert_eq!(
        acl_post,
        acl_pre + pkts.len() as u64,
        "Source IP iACL must increment input ACL misses error counter"
    );
    assert_eq!(
        input_post,
        input_pre + pkts.len() as u64,
        "Source IP iACL must increment input ACL table-miss error counter"
    );
    Ok(())
}

const HITS: &str = "/err/ip4-inacl/input ACL hits";

fn mask_ip(m: Ip4Mask<'_>) -> String {
    ip4_mask(&m)
}

fn match_ip(m: Ip4Match) -> String {
    ip4_match(&m)
}

/// Classifier IP Test Case
#[vpp_test(
    name = "TestClassifierIP",
    set_up = set_up,
    tear_down = tear_down,
    requires_messages = ["classify_add_del_table"]
)]
mod classifier_ip {
    use super::*;

    /// Source IP iACL test
    ///
    /// Test scenario for basic IP ACL with source IP
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create iACL with source IP address of pg0 remote IP address.
    ///     - Send and verify received packets on pg1 interface.
    ///     - Verify that the input ACL hits error counter is incremented.
    #[vpp_test]
    fn test_iacl_src_ip(t: &mut TestCase) -> TestResult {
        let a = pg::interface(t, "pg0")?.remote_ip4();
        let mask = mask_ip(Ip4Mask {
            src_ip: "ffffffff",
            ..Default::default()
        });
        iacl_pass(
            t,
            DEFAULT_L4,
            &mask,
            &match_ip(Ip4Match {
                src_ip: ip(a),
                ..Default::default()
            }),
            Some(HITS),
            true,
        )
    }

    /// Source IP iACL miss test
    ///
    /// Test scenario for basic IP ACL with source IP miss
    ///     - Create iACL with source IP address of pg1 remote IP address.
    ///     - Send and verify received packets on pg1 interface.
    ///     - Verify that the input ACL misses error counter is incremented.
    #[vpp_test(requires_vpp = "26.10")]
    fn test_iacl_src_ip_miss(t: &mut TestCase) -> TestResult {
        let a = pg::interface(t, "pg1")?.remote_ip4();
        let mask = mask_ip(Ip4Mask {
            src_ip: "ffffffff",
            ..Default::default()
        });
        iacl_miss(
            t,
            &mask,
            &match_ip(Ip4Match {
                src_ip: ip(a),
                ..Default::default()
            }),
        )
    }

    /// Destination IP iACL test
    ///
    /// Test scenario for basic IP ACL with destination IP
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create iACL with destination IP address.
    ///     - Send and verify received packets on pg1 interface.
    ///     - Verify that the input ACL hits error counter is incremented.
    #[vpp_test]
    fn test_iacl_dst_ip(t: &mut TestCase) -> TestResult {
        let a = pg::interface(t, "pg1")?.remote_ip4();
        let mask = mask_ip(Ip4Mask {
            dst_ip: "ffffffff",
            ..Default::default()
        });
        iacl_pass(
            t,
            DEFAULT_L4,
            &mask,
            &match_ip(Ip4Match {
                dst_ip: ip(a),
                ..Default::default()
            }),
            Some(HITS),
            true,
        )
    }

    /// Destination IP iACL miss test
    ///
    /// Test scenario for basic IP ACL with destination IP miss
    ///     - Create iACL with destination IP address of pg2 remote IP address.
    ///     - Send and verify received packets on pg1 interface.
    ///     - Verify that the input ACL misses error counter is incremented.
    #[vpp_test(requires_vpp = "26.10")]
    fn test_iacl_dst_ip_miss(t: &mut TestCase) -> TestResult {
        let a = pg::interface(t, "pg2")?.remote_ip4();
        let mask = mask_ip(Ip4Mask {
            dst_ip: "ffffffff",
            ..Default::default()
        });
        iacl_miss(
            t,
            &mask,
            &match_ip(Ip4Match {
                dst_ip: ip(a),
                ..Default::default()
            }),
        )
    }

    /// Source and destination IP iACL test
    ///
    /// Test scenario for basic IP ACL with source and destination IP
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create iACL with source and destination IP addresses.
    ///     - Send and verify received packets on pg1 interface.
    #[vpp_test]
    fn test_iacl_src_dst_ip(t: &mut TestCase) -> TestResult {
        let (a, b) = (
            pg::interface(t, "pg0")?.remote_ip4(),
            pg::interface(t, "pg1")?.remote_ip4(),
        );
        let mask = mask_ip(Ip4Mask {
            src_ip: "ffffffff",
            dst_ip: "ffffffff",
            ..Default::default()
        });
        let m = match_ip(Ip4Match {
            src_ip: ip(a),
            dst_ip: ip(b),
            ..Default::default()
        });
        iacl_pass(t, DEFAULT_L4, &mask, &m, Some(HITS), false)
    }
}

/// A protocol iACL: the protocol, and the ports given, matched.
fn proto_acl(t: &mut TestCase, l4: L4, sport: bool, dport: bool) -> TestResult {
    let mask = mask_ip(Ip4Mask {
        proto: "ff",
        src_port: if sport { "ffff" } else { "" },
        dst_port: if dport { "ffff" } else { "" },
        ..Default::default()
    });
    let m = match_ip(Ip4Match {
        proto: l4.proto,
        src_port: if sport { l4.sport } else { 0 },
        dst_port: if dport { l4.dport } else { 0 },
        ..Default::default()
    });
    iacl_pass(t, l4, &mask, &m, None, true)
}

/// Classifier UDP proto Test Case
#[vpp_test(
    name = "TestClassifierUDP",
    set_up = set_up,
    tear_down = tear_down,
    requires_messages = ["classify_add_del_table"]
)]
mod classifier_udp {
    use super::*;

    /// UDP protocol iACL test
    ///
    /// Test scenario for basic protocol ACL with UDP protocol
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create iACL with UDP IP protocol.
    ///     - Send and verify received packets on pg1 interface.
    #[vpp_test]
    fn test_iacl_proto_udp(t: &mut TestCase) -> TestResult {
        proto_acl(t, DEFAULT_L4, false, false)
    }

    /// UDP source port iACL test
    ///
    /// Test scenario for basic protocol ACL with UDP and sport
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create iACL with UDP IP protocol and defined sport.
    ///     - Send and verify received packets on pg1 interface.
    #[vpp_test]
    fn test_iacl_proto_udp_sport(t: &mut TestCase) -> TestResult {
        proto_acl(
            t,
            L4 {
                proto: UDP,
                sport: 38,
                dport: 5678,
            },
            true,
            false,
        )
    }

    /// UDP destination port iACL test
    ///
    /// Test scenario for basic protocol ACL with UDP and dport
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create iACL with UDP IP protocol and defined dport.
    ///     - Send and verify received packets on pg1 interface.
    #[vpp_test]
    fn test_iacl_proto_udp_dport(t: &mut TestCase) -> TestResult {
        proto_acl(
            t,
            L4 {
                proto: UDP,
                sport: 1234,
                dport: 427,
            },
            false,
            true,
        )
    }

    /// UDP source and destination ports iACL test
    ///
    /// Test scenario for basic protocol ACL with UDP and sport and dport
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create iACL with UDP IP protocol and defined sport and dport.
    ///     - Send and verify received packets on pg1 interface.
    #[vpp_test]
    fn test_iacl_proto_udp_sport_dport(t: &mut TestCase) -> TestResult {
        proto_acl(
            t,
            L4 {
                proto: UDP,
                sport: 13720,
                dport: 9080,
            },
            true,
            true,
        )
    }
}

/// Classifier TCP proto Test Case
#[vpp_test(
    name = "TestClassifierTCP",
    set_up = set_up,
    tear_down = tear_down,
    requires_messages = ["classify_add_del_table"]
)]
mod classifier_tcp {
    use super::*;

    /// TCP protocol iACL test
    ///
    /// Test scenario for basic protocol ACL with TCP protocol
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create iACL with TCP IP protocol.
    ///     - Send and verify received packets on pg1 interface.
    #[vpp_test]
    fn test_iacl_proto_tcp(t: &mut TestCase) -> TestResult {
        proto_acl(
            t,
            L4 {
                proto: TCP,
                sport: 1234,
                dport: 5678,
            },
            false,
            false,
        )
    }

    /// TCP source port iACL test
    ///
    /// Test scenario for basic protocol ACL with TCP and sport
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create iACL with TCP IP protocol and defined sport.
    ///     - Send and verify received packets on pg1 interface.
    #[vpp_test]
    fn test_iacl_proto_tcp_sport(t: &mut TestCase) -> TestResult {
        proto_acl(
            t,
            L4 {
                proto: TCP,
                sport: 38,
                dport: 5678,
            },
            true,
            false,
        )
    }

    /// TCP destination port iACL test
    ///
    /// Test scenario for basic protocol ACL with TCP and dport
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create iACL with TCP IP protocol and defined dport.
    ///     - Send and verify received packets on pg1 interface.
    #[vpp_test]
    fn test_iacl_proto_tcp_dport(t: &mut TestCase) -> TestResult {
        proto_acl(
            t,
            L4 {
                proto: TCP,
                sport: 1234,
                dport: 427,
            },
            false,
            true,
        )
    }

    /// TCP source and destination ports iACL test
    ///
    /// Test scenario for basic protocol ACL with TCP and sport and dport
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create iACL with TCP IP protocol and defined sport and dport.
    ///     - Send and verify received packets on pg1 interface.
    #[vpp_test]
    fn test_iacl_proto_tcp_sport_dport(t: &mut TestCase) -> TestResult {
        proto_acl(
            t,
            L4 {
                proto: TCP,
                sport: 13720,
                dport: 9080,
            },
            true,
            true,
        )
    }
}

/// Classifier output IP Test Case
#[vpp_test(
    name = "TestClassifierIPOut",
    set_up = set_up,
    tear_down = tear_down,
    requires_messages = ["classify_add_del_table"]
)]
mod classifier_ip_out {
    use super::*;

    /// Output IP ACL test
    ///
    /// Test scenario for basic IP ACL with source IP
    ///     - Create IPv4 stream for pg1 -> pg0 interface.
    ///     - Create ACL with source IP address.
    ///     - Send and verify received packets on pg0 interface.
    #[vpp_test]
    fn test_acl_ip_out(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        // Basic oACL testing with source IP
        let mut infos = PacketInfos::new();
        let pkts = create_stream(t, &mut infos, &p[1], &p[0], DEFAULT_L4, &[]);
        p[1].add_stream(t, &pkts)?;
        let table = create_classify_table(
            t,
            &mask_ip(Ip4Mask {
                src_ip: "ffffffff",
                ..Default::default()
            }),
            0,
            None,
        )?;
        create_classify_session(
            t,
            &table,
            &match_ip(Ip4Match {
                src_ip: ip(p[1].remote_ip4()),
                ..Default::default()
            }),
            0,
            0,
        )?;
        activate_output(t, &table)?;
        pg::enable_capture(t, &p)?;
        pg::start(t)?;
        let rx = p[0].get_capture(t, pkts.len())?;
        verify_capture(t, &infos, &p[0], &rx, UDP)
    }
}

/// Classifier MAC Test Case
#[vpp_test(
    name = "TestClassifierMAC",
    set_up = set_up,
    tear_down = tear_down,
    requires_messages = ["classify_add_del_table"]
)]
mod classifier_mac {
    use super::*;

    /// MAC ACL test
    ///
    /// Test scenario for basic MAC ACL with source MAC
    ///     - Create IPv4 stream for pg0 -> pg2 interface.
    ///     - Create ACL with source MAC address.
    ///     - Send and verify received packets on pg2 interface.
    #[vpp_test]
    fn test_acl_mac(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        // Basic iACL testing with source MAC
        let mut infos = PacketInfos::new();
        let pkts = create_stream(t, &mut infos, &p[0], &p[2], DEFAULT_L4, &[]);
        p[0].add_stream(t, &pkts)?;
        let table = create_classify_table(t, &mac_hex("", "ffffffffffff", ""), -14, None)?;
        create_classify_session(
            t,
            &table,
            &mac_hex("", &p[0].remote_mac().to_string(), ""),
            0,
            0,
        )?;
        activate_input(t, &table)?;
        pg::enable_capture(t, &p)?;
        pg::start(t)?;
        let rx = p[2].get_capture(t, pkts.len())?;
        verify_capture(t, &infos, &p[2], &rx, UDP)
    }
}

/// The whole-header mask of the large and nested tests: both MACs, the
/// ethertype, protocol, addresses and ports.
fn header_mask() -> String {
    mac_hex("ffffffffffff", "ffffffffffff", "ffff")
        + &mask_ip(Ip4Mask {
            proto: "ff",
            src_ip: "ffffffff",
            dst_ip: "ffffffff",
            src_port: "ffff",
            dst_port: "ffff",
        })
}

/// The match of that mask for a UDP packet `src_if` → `dst_if`
/// (`src_mac`, `dst_mac` as on the wire where the table applies).
fn header_match(
    src_mac: &str,
    dst_mac: &str,
    src_if: &PgInterface,
    dst_if: &PgInterface,
    l4: L4,
) -> String {
    // ipv4 next header
    mac_hex(dst_mac, src_mac, "0800")
        + &match_ip(Ip4Match {
            proto: UDP,
            src_ip: ip(src_if.remote_ip4()),
            dst_ip: ip(dst_if.remote_ip4()),
            src_port: l4.sport,
            dst_port: l4.dport,
        })
}

const LARGE_L4: L4 = L4 {
    proto: UDP,
    sport: 13720,
    dport: 9080,
};

/// A large ACL on the headers and a payload field: pg0 → pg1 in, or
/// pg1 → pg0 out (`test_iacl_large`, `test_oacl_large`).
fn large(t: &mut TestCase, out: bool) -> TestResult {
    let p = pg::interfaces(t)?;
    let (src, dst) = if out { (&p[1], &p[0]) } else { (&p[0], &p[1]) };
    // 40b offset = 80bytes - (sizeof(UDP/IP/ETH) + 4b)
    // + 4b as build_ip_ma*() func, do not match against UDP Len & Chksum
    let payload_msk = payload_mask(&[VarMask {
        offset: 40,
        spec: "ffff",
    }]);
    let payload_mth = payload_match(&[VarMatch {
        offset: 40,
        value: 0x1234,
        length: 2,
    }]);
    // 36b offset = 80bytes - (sizeof(UDP/IP/ETH))
    let mut packet_ex = vec![0u8; 18];
    packet_ex.extend_from_slice(&[0x12, 0x34]);
    let mut infos = PacketInfos::new();
    let pkts = create_stream(t, &mut infos, src, dst, LARGE_L4, &packet_ex);
    src.add_stream(t, &pkts)?;
    let table = create_classify_table(t, &(header_mask() + &payload_msk), -14, None)?;
    let (smac, dmac) = if out {
        (p[0].local_mac().to_string(), p[0].remote_mac().to_string())
    } else {
        (p[0].remote_mac().to_string(), p[0].local_mac().to_string())
    };
    create_classify_session(
        t,
        &table,
        &(header_match(&smac, &dmac, src, dst, LARGE_L4) + &payload_mth),
        0,
        0,
    )?;
    if out {
        activate_output(t, &table)?;
    } else {
        activate_input(t, &table)?;
    }
    pg::enable_capture(t, &p)?;
    pg::start(t)?;
    let rx = dst.get_capture(t, pkts.len())?;
    verify_capture(t, &infos, dst, &rx, UDP)
}

/// An empty table in front of one that matches the headers: pg0 → pg1
/// in, or pg1 → pg0 out (`test_iacl_nested`, `test_oacl_nested`).
fn nested(t: &mut TestCase, out: bool) -> TestResult {
    let p = pg::interfaces(t)?;
    let (src, dst) = if out { (&p[1], &p[0]) } else { (&p[0], &p[1]) };
    let mut infos = PacketInfos::new();
    let pkts = create_stream(t, &mut infos, src, dst, LARGE_L4, &[]);
    src.add_stream(t, &pkts)?;
    let subtable = create_classify_table(t, &header_mask(), -14, None)?;
    let table = create_classify_table(t, &header_mask(), 0, Some(subtable.table_index))?;
    let (smac, dmac) = if out {
        (p[0].local_mac().to_string(), p[0].remote_mac().to_string())
    } else {
        (p[0].remote_mac().to_string(), p[0].local_mac().to_string())
    };
    create_classify_session(
        t,
        &subtable,
        &header_match(&smac, &dmac, src, dst, LARGE_L4),
        0,
        0,
    )?;
    if out {
        activate_output(t, &table)?;
    } else {
        activate_input(t, &table)?;
    }
    pg::enable_capture(t, &p)?;
    pg::start(t)?;
    let rx = dst.get_capture(t, pkts.len())?;
    verify_capture(t, &infos, dst, &rx, UDP)
}

/// Large & Nested Classifiers Test Cases
#[vpp_test(
    name = "TestClassifierComplex",
    set_up = set_up,
    tear_down = tear_down,
    requires_messages = ["classify_add_del_table"]
)]
mod classifier_complex {
    use super::*;

    /// Large input ACL test
    ///
    /// Test scenario for Large ACL matching on ethernet+ip+udp headers
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create large acl matching on ethernet+ip+udp header fields
    ///     - Send and verify received packets on pg1 interface.
    #[vpp_test]
    fn test_iacl_large(t: &mut TestCase) -> TestResult {
        large(t, false)
    }

    /// Large output ACL test
    ///
    /// Test scenario for Large ACL matching on ethernet+ip+udp headers
    ///     - Create IPv4 stream for pg1 -> pg0 interface.
    ///     - Create large acl matching on ethernet+ip+udp header fields
    ///     - Send and verify received packets on pg0 interface.
    #[vpp_test]
    fn test_oacl_large(t: &mut TestCase) -> TestResult {
        large(t, true)
    }

    /// Nested input ACL test
    ///
    /// Test scenario for Large ACL matching on ethernet+ip+udp headers
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create 1st classifier table, without any entries
    ///     - Create nested acl matching on ethernet+ip+udp header fields
    ///     - Send and verify received packets on pg1 interface.
    #[vpp_test]
    fn test_iacl_nested(t: &mut TestCase) -> TestResult {
        nested(t, false)
    }

    /// Nested output ACL test
    ///
    /// Test scenario for Large ACL matching on ethernet+ip+udp headers
    ///     - Create IPv4 stream for pg1 -> pg0 interface.
    ///     - Create 1st classifier table, without any entries
    ///     - Create nested acl matching on ethernet+ip+udp header fields
    ///     - Send and verify received packets on pg0 interface.
    #[vpp_test]
    fn test_oacl_nested(t: &mut TestCase) -> TestResult {
        nested(t, true)
    }
}

/// Whether table `vrf_id` has routes (`verify_vrf`).
fn verify_vrf(t: &mut TestCase, vrf_id: u32) -> TestResult<bool> {
    let dump = t.api().dump(&asf_vocab::api::ip::IpRouteDump {
        table: asf_vocab::api::ip::IpTable {
            table_id: vrf_id,
            is_ip6: false,
            ..Default::default()
        },
    })?;
    let configured = !dump.is_empty();
    tracing::info!(
        "IPv4 VRF ID {vrf_id} is {}configured",
        if configured { "" } else { "not " }
    );
    Ok(configured)
}

/// Classifier PBR Test Case
#[vpp_test(
    name = "TestClassifierPBR",
    set_up = set_up,
    tear_down = tear_down,
    requires_messages = ["classify_add_del_table"]
)]
mod classifier_pbr {
    use super::*;

    /// IP PBR test
    ///
    /// Test scenario for PBR with source IP
    ///     - Create IPv4 stream for pg0 -> pg3 interface.
    ///     - Configure PBR fib entry for packet forwarding.
    ///     - Send and verify received packets on pg3 interface.
    #[vpp_test]
    fn test_acl_pbr(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        // PBR testing with source IP
        let mut infos = PacketInfos::new();
        let pkts = create_stream(t, &mut infos, &p[0], &p[3], DEFAULT_L4, &[]);
        p[0].add_stream(t, &pkts)?;
        let table = create_classify_table(
            t,
            &mask_ip(Ip4Mask {
                src_ip: "ffffffff",
                ..Default::default()
            }),
            0,
            None,
        )?;
        let pbr_option = 1;
        // this will create the VRF/table in which we will insert the route
        let m = match_ip(Ip4Match {
            src_ip: ip(p[0].remote_ip4()),
            ..Default::default()
        });
        let session = create_classify_session(t, &table, &m, pbr_option, PBR_VRFID)?;
        assert!(verify_vrf(t, PBR_VRFID)?);
        let [a, b, c, _] = p[3].local_ip4().octets();
        let r = objects::add(
            t,
            IpRoute::new(
                &format!("{a}.{b}.{c}.0/24"),
                [RoutePath::via(p[3].remote_ip4().into(), u32::MAX)],
            )?
            .in_table(PBR_VRFID),
        )?;
        input_acl_set_interface(t, &p[0], table.table_index, true)?;
        pg::enable_capture(t, &p)?;
        pg::start(t)?;
        let rx = p[3].get_capture(t, pkts.len())?;
        verify_capture(t, &infos, &p[3], &rx, UDP)?;
        input_acl_set_interface(t, &p[0], table.table_index, false)?;
        // remove the classify session and the route
        objects::remove(t, &r)?;
        objects::remove(t, &session)?;
        // and the table should be gone.
        assert!(!verify_vrf(t, PBR_VRFID)?);
        Ok(())
    }
}

/// Punts UDP to `dport` of `af` and redirects what pg0 punts to pg1's
/// remote host (`set_punt`, `ip_punt_redirect`).
fn punt_udp_to_pg1(t: &mut TestCase, af: Af, dport: u16) -> TestResult {
    use asf_vocab::api::ip::{IpPuntRedirect, PuntRedirect};
    use asf_vocab::api::ip_types::AddressFamily;
    use asf_vocab::api::punt::{IpProto, Punt, PuntL4, PuntType, PuntUnion, SetPunt};
    let p = pg::interfaces(t)?;
    let (fam, nh): (AddressFamily, std::net::IpAddr) = match af {
        Af::Ip4 => (AddressFamily::Ip4, p[1].remote_ip4().into()),
        Af::Ip6 => (AddressFamily::Ip6, p[1].remote_ip6().into()),
    };
    t.api().request(&SetPunt {
        is_add: true,
        punt: Punt {
            r#type: PuntType::L4,
            punt: PuntUnion::from_l4(&PuntL4 {
                af: fam,
                protocol: IpProto::Udp,
                port: dport,
            }),
        },
    })?;
    t.api().request(&IpPuntRedirect {
        is_add: true,
        punt: PuntRedirect {
            rx_sw_if_index: p[0].sw_if_index(),
            tx_sw_if_index: p[1].sw_if_index(),
            nh: nh.into(),
        },
    })?;
    Ok(())
}

fn punt_acl(t: &mut TestCase, ip4: u32, ip6: u32, is_add: bool) -> TestResult {
    t.api().request(&PuntAclAddDel {
        ip4_table_index: ip4,
        ip6_table_index: ip6,
        is_add,
    })?;
    Ok(())
}

fn punt_acl_get(t: &mut TestCase) -> TestResult<(u32, u32)> {
    let r = t.api().request(&PuntAclGet)?;
    Ok((r.ip4_table_index, r.ip6_table_index))
}

/// Classifier punt Test Case
#[vpp_test(
    name = "TestClassifierPunt",
    set_up = set_up,
    tear_down = tear_down,
    requires_messages = ["classify_add_del_table", "set_punt"]
)]
mod classifier_punt {
    use super::*;

    /// IPv4/UDP protocol punt ACL test
    ///
    /// Test scenario for basic punt ACL with UDP protocol
    ///     - Create IPv4 stream for pg0 -> pg1 interface.
    ///     - Create punt ACL with UDP IP protocol.
    ///     - Send and verify received packets on pg1 interface.
    #[vpp_test]
    fn test_punt_udp(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (sport, dport) = (6754, 17923);
        let table = create_classify_table(
            t,
            &mask_ip(Ip4Mask {
                src_ip: "ffffffff",
                proto: "ff",
                src_port: "ffff",
                ..Default::default()
            }),
            0,
            None,
        )?;
        punt_acl(t, table.table_index, u32::MAX, true)?;
        // punt udp packets to dport received on pg0 through pg1
        punt_udp_to_pg1(t, Af::Ip4, dport)?;
        let pkt = Ether::new(p[0].remote_mac(), p[0].local_mac())
            / Ipv4::new(p[0].remote_ip4(), p[0].local_ip4())
            / Udp::new(sport, dport)
            / Raw::new([0x17; 100]);
        let pkts = vec![pkt; 2];
        let m = |sport| {
            match_ip(Ip4Match {
                src_ip: ip(p[0].remote_ip4()),
                proto: UDP,
                src_port: sport,
                ..Default::default()
            })
        };
        // allow a session but not matching the stream: expect to drop
        create_classify_session(t, &table, &m(sport + 10), 0, 0)?;
        pg::send_and_assert_no_replies(t, &p[0], &pkts)?;
        // allow a session matching the stream: expect to pass
        create_classify_session(t, &table, &m(sport), 0, 0)?;
        pg::send_and_expect_only(t, &p[0], &pkts, &p[1])?;
        // test dump api: ip4 is set, ip6 is not
        assert_eq!(punt_acl_get(t)?, (table.table_index, u32::MAX));
        // cleanup
        punt_acl(t, table.table_index, u32::MAX, false)?;
        // test dump api: nothing set
        assert_eq!(punt_acl_get(t)?, (u32::MAX, u32::MAX));
        Ok(())
    }
}

/// The IPv6 punt table: source address, next header and source port.
fn ip6_punt_table(t: &mut TestCase) -> TestResult<ClassifyTable> {
    let mask = ip6_mask(&Ip6Mask {
        src_ip: "ffffffffffffffffffffffffffffffff",
        nh: "ff",
        src_port: "ffff",
        ..Default::default()
    });
    create_classify_table(t, &mask, 0, None)
}

fn ip6_punt_packet(p: &[PgInterface], sport: u16, dport: u16) -> Packet {
    Ether::new(p[0].remote_mac(), p[0].local_mac())
        / Ipv6::new(p[0].remote_ip6(), p[0].local_ip6())
        / Udp::new(sport, dport)
        / Raw::new([0x17; 100])
}

fn ip6_punt_match(p: &[PgInterface], sport: u16) -> String {
    ip6_match(&Ip6Match {
        src_ip: Some(p[0].remote_ip6()),
        nh: UDP,
        src_port: sport,
        ..Default::default()
    })
}

/// Punt ACL tests don't use input_acl_set_interface: nothing to unbind.
fn ip6_tear_down(t: &mut TestCase) -> TestResult {
    t.class_data::<State>().active = None;
    tear_down(t)
}

/// Classifier IPv6 punt ACL Test Case
///
/// Regression test for the bug where ip6_punt_acl_node was passing
/// ip4_main.fib_index_by_sw_if_index instead of ip6_main.fib_index_by_sw_if_index
/// to ip_in_out_acl_inline, causing punt ACL lookups to use the wrong FIB table.
#[vpp_test(
    name = "TestClassifierPuntIPv6",
    set_up = set_up_ip6,
    tear_down = ip6_tear_down,
    requires_messages = ["classify_add_del_table", "set_punt"]
)]
mod classifier_punt_ipv6 {
    use super::*;

    /// IPv6/UDP protocol punt ACL test
    ///
    /// Test scenario for punt ACL with IPv6/UDP:
    ///     - Create IPv6 stream for pg0 -> pg1 interface.
    ///     - Create punt ACL with UDP next-header for IPv6.
    ///     - Send and verify received packets on pg1 interface.
    #[vpp_test]
    fn test_punt_udp_ip6(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (sport, dport) = (6754, 17923);
        let table = ip6_punt_table(t)?;
        punt_acl(t, u32::MAX, table.table_index, true)?;
        // punt IPv6/UDP packets to dport received on pg0 through pg1
        punt_udp_to_pg1(t, Af::Ip6, dport)?;
        let pkts = vec![ip6_punt_packet(&p, sport, dport); 2];
        // allow a session not matching the stream: expect to drop
        create_classify_session(t, &table, &ip6_punt_match(&p, sport + 10), 0, 0)?;
        pg::send_and_assert_no_replies(t, &p[0], &pkts)?;
        // allow a session matching the stream: expect to pass
        create_classify_session(t, &table, &ip6_punt_match(&p, sport), 0, 0)?;
        pg::send_and_expect_only(t, &p[0], &pkts, &p[1])?;
        // test dump api: ip6 is set, ip4 is not
        assert_eq!(punt_acl_get(t)?, (u32::MAX, table.table_index));
        // cleanup
        punt_acl(t, u32::MAX, table.table_index, false)?;
        // test dump api: nothing set
        assert_eq!(punt_acl_get(t)?, (u32::MAX, u32::MAX));
        Ok(())
    }

    /// IPv6 punt ACL SET_METADATA picks ip6 fib_index, not ip4
    ///
    /// Regression test for the bug where ip6_punt_acl_node passed
    /// ip4_main.fib_index_by_sw_if_index to ip_in_out_acl_inline instead of
    /// ip6_main.fib_index_by_sw_if_index.
    ///
    /// Strategy: bind pg0 to a non-default *IPv4* VRF so the two per-protocol
    /// arrays disagree for that interface:
    ///   ip4_main.fib_index_by_sw_if_index[pg0] > 0  (VRF ip4_table_id)
    ///   ip6_main.fib_index_by_sw_if_index[pg0] == 0 (default IPv6 VRF)
    /// Since this test class uses AF_INET6, pg0 has no IPv4 addresses so the
    /// rebinding succeeds without error.  A CLASSIFY_ACTION_SET_METADATA
    /// session triggers ip_lookup_set_buffer_fib_index(); the trace then shows
    /// which array was actually used.
    #[vpp_test]
    fn test_punt_udp_ip6_fib_index(t: &mut TestCase) -> TestResult {
        let p = pg::interfaces(t)?;
        let (sport, dport) = (6755, 17924);
        let ip4_table_id = 100;
        // Bind pg0 to a non-default IPv4 VRF.
        // ip4_main.fib_index_by_sw_if_index[pg0] becomes > 0.
        // ip6_main.fib_index_by_sw_if_index[pg0] stays 0 (default IPv6 VRF).
        // Removed explicitly, as the original's register=False table.
        let mut tbl = IpTable {
            table_id: ip4_table_id,
            is_ip6: false,
        };
        tbl.add_vpp_config(t.api())?;
        p[0].set_table_ip4(t, ip4_table_id)?;
        let table = ip6_punt_table(t)?;
        punt_acl(t, u32::MAX, table.table_index, true)?;
        punt_udp_to_pg1(t, Af::Ip6, dport)?;
        let pkts = vec![ip6_punt_packet(&p, sport, dport)];
        // CLASSIFY_ACTION_SET_METADATA (pbr_option=3): triggers
        // ip_lookup_set_buffer_fib_index(fib_index_by_sw_if_index, b).
        // adj_index[VLIB_TX] (vrfid=0) is overwritten by ip6-punt-redirect
        // so forwarding to pg1 is unaffected.
        create_classify_session(t, &table, &ip6_punt_match(&p, sport), 3, 0)?;
        t.cli("clear trace")?;
        t.cli("trace add pg-input 100")?;
        pg::send_and_expect_only(t, &p[0], &pkts, &p[1])?;
        let trace = t.cli("show trace")?;
        // The VPP trace format puts the node name on one line and the
        // per-node data on the next indented line:
        //   00:00:00:xxxxxx: ip6-punt-acl
        //     INACL: ... action set-metadata, metadata 0, fib_index 0
        // Find the data line that follows an ip6-punt-acl node line and
        // contains "action set-metadata" (i.e. the matching session fired).
        let lines: Vec<&str> = trace.lines().collect();
        let acl_data_line = lines
            .windows(2)
            .find(|w| w[0].contains("ip6-punt-acl") && w[1].trim().contains("action set-metadata"))
            .map(|w| w[1].trim())
            .ok_or("ip6-punt-acl trace with action set-metadata not found")?;
        let fib_index: u32 = acl_data_line
            .split("fib_index ")
            .nth(1)
            .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|s| s.parse().ok())
            .ok_or("fib_index not found in ip6-punt-acl trace line")?;
        assert_eq!(
            fib_index, 0,
            "Expected IPv6 fib_index 0 (default VRF), got {fib_index}. Bug: ip4_main.fib_index_by_sw_if_index used instead of ip6_main."
        );
        // cleanup
        punt_acl(t, u32::MAX, table.table_index, false)?;
        p[0].set_table_ip4(t, 0)?;
        tbl.remove_vpp_config(t.api())
    }
}
