//! Building, dissecting, checksums and pcap files: properties over random
//! packets of every stack, and the cases a test writer meets.

mod common;

use std::net::{Ipv4Addr, Ipv6Addr};

use asf_packet::pcap::{self, LinkType};
use asf_packet::*;
use common::gen::Gen;
use proptest::prelude::*;

fn ip4(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

fn ip6(s: &str) -> Ipv6Addr {
    s.parse().unwrap()
}

fn udp4() -> Packet {
    Ether::new(mac("02:01:00:00:ff:02"), mac("02:fe:00:00:00:01"))
        / Ipv4::new(ip4("172.16.1.2"), ip4("172.16.2.2"))
        / Udp::new(1234, 5678)
        / Raw::new(b"hello")
}

#[test]
fn a_built_packet_dissects_to_itself_with_every_field_set() {
    let mut g = Gen::new(1);
    for i in 0..3000 {
        let p = g.frame();
        let bytes = p.build();
        let back = Packet::ether(&bytes);
        assert_eq!(back.build(), bytes, "packet {i}:\n{}", back.show());
        assert_eq!(
            back.layers().len(),
            p.layers().len(),
            "packet {i}:\n{p}\n{back}"
        );
        for l in back.layers() {
            for (name, v) in l.fields() {
                assert_ne!(
                    v,
                    field::Value::Auto,
                    "packet {i}: {}.{name} unset after dissection",
                    l.name()
                );
            }
        }
        back.verify_checksums(false)
            .unwrap_or_else(|e| panic!("packet {i}: {e}\n{back}"));
        let mut again = back.clone();
        again.unset_auto_fields();
        assert_eq!(again.build(), bytes, "packet {i}: computed fields differ");
    }
}

#[test]
fn unset_fields_are_filled_in_and_set_ones_go_out_as_they_are() {
    let b = udp4().build();
    assert_eq!(&b[12..14], &[0x08, 0x00], "EtherType from the next layer");
    assert_eq!(b[14], 0x45);
    assert_eq!(
        u16::from_be_bytes([b[16], b[17]]),
        20 + 8 + 5,
        "IP total length"
    );
    assert_eq!(b[23], 17, "protocol from the next layer");
    assert_eq!(u16::from_be_bytes([b[38], b[39]]), 8 + 5, "UDP length");
    // Wrong on purpose: sent as written, and the checks say so.
    let mut p = udp4();
    p.get_mut::<Ipv4>().unwrap().len = Some(1000);
    p.get_mut::<Ipv4>().unwrap().chksum = Some(0xdead);
    p.get_mut::<Udp>().unwrap().chksum = Some(0x1234);
    let b = p.build();
    assert_eq!(u16::from_be_bytes([b[16], b[17]]), 1000);
    assert_eq!(u16::from_be_bytes([b[24], b[25]]), 0xdead);
    let back = Packet::ether(&b);
    let err = back.verify_checksums(true).unwrap_err();
    assert_eq!(
        err.index, 2,
        "the UDP checksum is checked first (innermost): {err}"
    );
    assert_eq!(err.field, "chksum");
    assert_eq!(err.got, 0x1234);
    assert!(
        err.to_string()
            .starts_with("packet checksum on layer #2: UDP: chksum is 0x1234"),
        "{err}"
    );
    let mut fixed_udp = back.clone();
    fixed_udp.get_mut::<Udp>().unwrap().chksum = None;
    let err = Packet::ether(&fixed_udp.build())
        .verify_checksums(true)
        .unwrap_err();
    assert_eq!((err.index, err.layer, err.got), (1, "IP", 0xdead));
}

#[test]
fn a_zero_udp_checksum_passes_only_when_allowed() {
    let mut p = udp4();
    p.get_mut::<Udp>().unwrap().chksum = Some(0);
    let back = Packet::ether(&p.build());
    back.verify_checksums(true).unwrap();
    assert_eq!(back.verify_checksums(false).unwrap_err().layer, "UDP");
}

#[test]
fn the_checksum_of_a_quoted_packet_is_checked_too() {
    let quoted =
        Ipv4::new(ip4("172.16.2.2"), ip4("10.0.0.1")) / Udp::new(1, 2) / Raw::new([7u8; 12]);
    let mut inner = quoted.clone();
    inner.get_mut::<Ipv4>().unwrap().chksum = Some(0xbad);
    let p = Ether::default()
        / Ipv4::new(ip4("172.16.1.1"), ip4("172.16.2.2"))
        / Icmp::dest_unreach(3)
        / inner;
    let back = Packet::ether(&p.build());
    let err = back.verify_checksums(true).unwrap_err();
    assert_eq!((err.index, err.layer, err.got), (3, "IP", 0xbad), "{err}");
    // The quoted packet is not the packet's own: scapy's IPerror.
    assert_eq!(back.get::<Ipv4>().unwrap().dst, ip4("172.16.2.2"));
    assert!(!back.has::<Udp>());
    assert_eq!(back.quoted().unwrap().expect::<Udp>().dport, 2);
    assert_eq!(back.titles()[3], "IP in ICMP");
}

#[test]
fn a_short_frame_keeps_its_padding_outside_lengths_and_checksums() {
    let p = udp4() / Padding::new([0u8; 11]);
    let b = p.build();
    assert_eq!(b.len(), 14 + 20 + 8 + 5 + 11);
    let back = Packet::ether(&b);
    assert!(matches!(back.layers().last(), Some(Layer::Padding(pad)) if pad.load.len() == 11));
    assert_eq!(back.expect::<Raw>().load, b"hello");
    back.verify_checksums(false).unwrap();
    assert_eq!(back.build(), b);
}

#[test]
fn layers_are_found_by_type_and_shown_as_scapy_shows_them() {
    let p = Packet::ether(&udp4().build());
    assert!(p.has::<Ipv4>() && !p.has::<Ipv6>());
    assert_eq!(p.expect::<Udp>().dport, 5678);
    assert_eq!(p.payload_of::<Udp>().unwrap(), b"hello");
    assert_eq!(p.without::<Udp>().layers().len(), 2);
    assert_eq!(p.from_layer::<Ipv4>().unwrap().layers().len(), 3);
    let shown = p.show();
    assert!(shown.starts_with("###[ Ethernet ]### \n  dst       = 02:fe:00:00:00:01\n  src       = 02:01:00:00:ff:02\n  type      = 0x800\n###[ IP ]### \n  version   = 4\n"), "{shown}");
    assert!(shown.contains("  flags     = \n"), "{shown}");
    assert!(
        shown.ends_with("###[ Raw ]### \n  load      = 'hello'\n"),
        "{shown}"
    );
    assert_eq!(
        p.summary(),
        "Ether 02:01:00:00:ff:02 > 02:fe:00:00:00:01 / IP 172.16.1.2 > 172.16.2.2 / UDP 1234 > 5678 / Raw (5 bytes)"
    );
    let unbuilt = Udp::new(1, 2).into();
    let shown = Packet::show(&unbuilt);
    assert!(shown.contains("len       = None"), "{shown}");
}

#[test]
#[should_panic(expected = "the packet has no ARP layer")]
fn expecting_a_missing_layer_names_it() {
    Packet::ether(&udp4().build()).expect::<Arp>();
}

#[test]
fn neighbour_discovery_builds_as_vpp_expects() {
    let src = ip6("fe80::1");
    let p = Ether::new(
        mac("02:01:00:00:ff:02"),
        Mac::ipv6_multicast(ip6("ff02::1:ff00:2")),
    ) / Ipv6::new(src, ip6("ff02::1:ff00:2")).hlim(255)
        / Nd::ns(ip6("fd01:1::2"))
        / NdOpt::src_ll(mac("02:01:00:00:ff:02"));
    let back = Packet::ether(&p.build());
    assert_eq!(back.expect::<Ipv6>().nh, Some(58));
    assert_eq!(back.expect::<Ipv6>().plen, Some(24 + 8));
    assert_eq!(back.expect::<Nd>().tgt(), Some(ip6("fd01:1::2")));
    assert_eq!(
        back.expect::<NdOpt>().lladdr(),
        Some(mac("02:01:00:00:ff:02"))
    );
    assert_eq!(back.expect::<NdOpt>().len, Some(1));
    back.verify_checksums(false).unwrap();
}

#[test]
fn a_routing_header_of_no_whole_addresses_stays_raw_and_loses_nothing() {
    // Found by the any-bytes property: length 7 is 56 bytes after the
    // first 8, three addresses and half of a fourth.
    let mut b = vec![0x60, 0, 0, 0, 0, 64, 43, 64];
    b.extend_from_slice(&[0; 32]);
    b.extend_from_slice(&[59, 7, 0, 0, 0, 0, 0, 0]);
    b.extend_from_slice(&[0xab; 56]);
    let p = Packet::dissect(&b, Link::Ipv6);
    assert!(!p.has::<Routing>(), "{p}");
    assert_eq!(p.build(), b);
}

#[test]
fn a_non_first_fragment_is_not_dissected_further() {
    let p = Ether::default()
        / Ipv4 {
            frag: 10,
            ..Ipv4::new(ip4("1.1.1.1"), ip4("2.2.2.2"))
        }
        / Raw::new([0u8; 16]);
    let back = Packet::ether(&p.build());
    assert_eq!(back.layers().len(), 3);
    assert!(matches!(back.layers()[2], Layer::Raw(_)));
}

#[test]
fn a_port_bound_to_vxlan_dissects_as_vxlan_only_where_bound() {
    let inner = Ether::new(mac("00:00:00:00:00:02"), mac("00:00:00:00:00:01"))
        / Ipv4::new(ip4("4.3.2.1"), ip4("1.2.3.4"))
        / Udp::new(20000, 10000)
        / Raw::new([0xa5; 10]);
    let p = Ether::default()
        / Ipv4::new(ip4("1.1.1.1"), ip4("2.2.2.2"))
        / Udp::new(1111, 1111)
        / Vxlan::new(0x12345)
        / inner.clone();
    let bytes = p.build();
    // Unbound, as scapy without bind_layers: the rest is Raw.
    assert!(!Packet::ether(&bytes).has::<Vxlan>());
    let mut b = Bindings::default();
    b.bind_udp_dport(1111, UdpLayer::Vxlan);
    let back = Packet::dissect_with(&bytes, Link::Ethernet, &b);
    assert_eq!(back.expect::<Vxlan>().vni, 0x12345);
    assert_eq!(back.payload_of::<Vxlan>(), Some(inner.build()));
    assert_eq!(
        back.after::<Vxlan>().map(|p| p.build()),
        Some(inner.build())
    );
    // The newest binding of a port wins.
    b.bind_udp_dport(1111, UdpLayer::Mpls);
    assert!(!Packet::dissect_with(&bytes, Link::Ethernet, &b).has::<Vxlan>());
}

#[test]
fn erspan_follows_gre_0x88be_and_carries_a_frame() {
    let frame = Ether::new(mac("00:00:00:00:00:02"), mac("00:00:00:00:00:01"))
        / Ipv4::new(ip4("4.3.2.1"), ip4("1.2.3.4"))
        / Raw::new([1, 2, 3]);
    let gre = Gre {
        seqnum_present: true,
        sequence_number: 7,
        ..Gre::new()
    };
    let p = Ether::default()
        / Ipv4::new(ip4("1.1.1.1"), ip4("2.2.2.2"))
        / gre
        / Erspan::new(543)
        / frame.clone();
    let back = Packet::ether(&p.build());
    assert_eq!(back.expect::<Gre>().proto, Some(0x88be));
    let e = back.expect::<Erspan>();
    assert_eq!((e.ver, e.session_id), (1, 543));
    assert_eq!(back.payload_of::<Erspan>(), Some(frame.build()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any bytes dissect, on any link type, and build back to themselves
    /// (what cannot be read is kept as it is).
    #[test]
    fn any_bytes_dissect_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..300), link in 0u8..4) {
        let link = [Link::Ethernet, Link::RawIp, Link::Ipv4, Link::Ipv6][link as usize];
        let p = Packet::dissect(&bytes, link);
        let _ = p.show();
        let _ = p.verify_checksums(true);
        prop_assert_eq!(p.build(), bytes);
    }

    /// Real packets cut short or with a byte changed still dissect, and
    /// build back to the same bytes.
    #[test]
    fn damaged_packets_dissect_without_panicking(seed in any::<u64>(), cut in any::<prop::sample::Index>(), flip in any::<prop::sample::Index>(), x in 1u8..) {
        let mut bytes = Gen::new(seed).frame().build();
        let at = flip.index(bytes.len());
        bytes[at] ^= x;
        let n = cut.index(bytes.len() + 1);
        bytes.truncate(n);
        let p = Packet::ether(&bytes);
        let _ = p.show();
        let _ = p.verify_checksums(true);
        prop_assert_eq!(p.build(), bytes);
    }
}

#[test]
fn pcap_files_round_trip_and_a_file_being_written_reads_up_to_its_last_whole_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pg0_in.pcap");
    let mut g = Gen::new(9);
    let packets: Vec<Packet> = (0..50).map(|_| g.frame()).collect();
    let built = pcap::write(&path, LinkType::Ethernet, &packets).unwrap();
    let cap = pcap::read(&path).unwrap();
    assert_eq!(cap.link, LinkType::Ethernet);
    assert_eq!(cap.incomplete, 0);
    assert_eq!(cap.records.len(), 50);
    for (r, b) in cap.records.iter().zip(&built) {
        assert_eq!(&r.data, b);
        assert_eq!(r.orig_len as usize, b.len());
    }
    assert_eq!(cap.packets()[7].build(), built[7]);
    // Every cut of the file: the whole records before it, the rest pending.
    let bytes = std::fs::read(&path).unwrap();
    let mut ends = vec![24];
    for b in &built {
        ends.push(ends.last().unwrap() + 16 + b.len());
    }
    for cut in 24..bytes.len() {
        let cap = pcap::parse(&bytes[..cut], &path).unwrap();
        let whole = ends.iter().filter(|&&e| e <= cut).count() - 1;
        assert_eq!(cap.records.len(), whole, "cut at {cut}");
        assert_eq!(cap.incomplete, cut - ends[whole], "cut at {cut}");
    }
    let err = pcap::parse(&bytes[..10], &path).unwrap_err().to_string();
    assert!(
        err.contains("pg0_in.pcap: not a pcap file: 10 bytes"),
        "{err}"
    );
    let err = pcap::parse(b"\x0a\x0d\x0d\x0a a pcapng section header block", &path)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("pg0_in.pcap: not a classic pcap file (magic 0x0a0d0d0a"),
        "{err}"
    );
    let mut corrupt = bytes.clone();
    corrupt[24 + 8..24 + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    let err = pcap::parse(&corrupt, &path).unwrap_err().to_string();
    assert!(
        err.contains("record 0 at offset 24 says it holds 4294967295 bytes"),
        "{err}"
    );
    let err = pcap::read(dir.path().join("missing.pcap"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing.pcap: No such file"), "{err}");
}

#[test]
fn pcap_reads_big_endian_and_nanosecond_files() {
    // A big-endian, nanosecond file with one raw-IP record.
    let ip = (Ipv4::new(ip4("10.0.0.1"), ip4("10.0.0.2")) / Icmp::echo_request(1, 2)).build();
    let mut f = Vec::new();
    f.extend_from_slice(&0xa1b2_3c4du32.to_be_bytes());
    f.extend_from_slice(&2u16.to_be_bytes());
    f.extend_from_slice(&4u16.to_be_bytes());
    f.extend_from_slice(&[0; 8]);
    f.extend_from_slice(&65535u32.to_be_bytes());
    f.extend_from_slice(&101u32.to_be_bytes());
    f.extend_from_slice(&5u32.to_be_bytes());
    f.extend_from_slice(&7u32.to_be_bytes());
    f.extend_from_slice(&(ip.len() as u32).to_be_bytes());
    f.extend_from_slice(&(ip.len() as u32).to_be_bytes());
    f.extend_from_slice(&ip);
    let cap = pcap::parse(&f, std::path::Path::new("x.pcap")).unwrap();
    assert_eq!(cap.link, LinkType::RawIp);
    assert_eq!(cap.records[0].ts, std::time::Duration::new(5, 7));
    assert_eq!(cap.packets()[0].expect::<Icmp>().seq(), 2);
}

#[test]
fn fragments_fit_and_reassemble_to_the_packet() {
    let p = Ether::new(mac("00:00:00:00:00:02"), mac("00:00:00:00:00:01"))
        / Ipv4::new(ip4("4.3.2.1"), ip4("1.2.3.4")).flags(Ipv4::DF)
        / Udp::new(20000, 10000)
        / Raw::new((0..1450u32).map(|i| i as u8).collect::<Vec<_>>());
    let frags = fragment_rfc791(&p, 600).unwrap();
    assert_eq!(frags.len(), 3);
    for (i, f) in frags.iter().enumerate() {
        assert!(f.len() <= 600, "fragment {i} is {} bytes", f.len());
        let ip = f.expect::<Ipv4>();
        let mut unset = f.clone();
        unset.get_mut::<Ipv4>().unwrap().chksum = None;
        assert_eq!(
            Packet::ether(&unset.build()).expect::<Ipv4>().chksum,
            ip.chksum
        );
        let last = i + 1 == frags.len();
        assert_eq!(
            ip.flags,
            if last { Ipv4::DF } else { Ipv4::MF },
            "fragment {i}"
        );
    }
    // Past the first fragment nothing is dissected beyond IPv4.
    assert!(!frags[1].has::<Udp>());
    let whole = reassemble4_ether(&frags).unwrap();
    let mut want = Packet::ether(&p.build());
    want.get_mut::<Ipv4>().unwrap().flags = 0;
    want.get_mut::<Ipv4>().unwrap().chksum = None;
    assert_eq!(whole.build(), want.build());
    assert_eq!(
        reassemble4(&frags).unwrap().build(),
        want.from_layer::<Ipv4>().unwrap().build()
    );
    // A packet that fits is not cut.
    assert_eq!(fragment_rfc791(&p, 1500).unwrap().len(), 1);
    assert_eq!(
        fragment_rfc791(&p, 30),
        Err(FragmentError::TooSmall {
            fragsize: 30,
            headers: 34
        })
    );
}

#[test]
fn multicast_macs_are_vpps() {
    let m = |s: &str| Mac::multicast(s.parse().unwrap()).map(|m| m.to_string());
    assert_eq!(m("239.1.1.1").as_deref(), Some("01:00:5e:01:01:01"));
    assert_eq!(m("239.255.1.1").as_deref(), Some("01:00:5e:7f:01:01"));
    assert_eq!(m("ff02::1:ff00:2").as_deref(), Some("33:33:ff:00:00:02"));
    assert_eq!(m("10.0.0.1"), None);
}

#[test]
fn ipv6_fragments_repeat_the_unfragmentable_part_and_carry_the_rest() {
    let tail =
        || Udp::new(1234, 5678) / Raw::new((0..1400u32).map(|i| i as u8).collect::<Vec<_>>());
    let base = || Ether::default() / Ipv6::new(ip6("2001::1"), ip6("2001::2"));
    for (p, repeated) in [
        (base() / tail(), 0),
        (base() / HopByHop::new(HopByHop::router_alert()) / tail(), 8),
    ] {
        let frags = fragment_rfc8200(&p, 7, 600).unwrap();
        assert_eq!(frags.len(), 3);
        let mut data = Vec::new();
        for (i, f) in frags.iter().enumerate() {
            assert!(f.len() <= 600);
            let fh = f.expect::<Fragment>();
            assert_eq!((fh.id, fh.nh, fh.m), (7, Some(17), i + 1 < frags.len()));
            assert_eq!(usize::from(fh.offset) * 8, data.len());
            data.extend(f.payload_of::<Fragment>().unwrap());
            // What every fragment repeats announces the fragment header.
            let b = f.build();
            let nh_at = if repeated == 0 { 14 + 6 } else { 14 + 40 };
            assert_eq!(b[nh_at], 44);
        }
        let whole = p.build();
        assert_eq!(data, whole[14 + 40 + repeated..]);
    }
    assert_eq!(
        fragment_rfc8200(&(base() / Raw::new([0u8; 10])), 7, 1500)
            .unwrap()
            .len(),
        1
    );
}

/// An unset hop limit is 255 right under a neighbour discovery message and
/// 64 otherwise, as scapy 2.4.5 builds them (`IPv6()/ICMPv6ND_NS()` and
/// the others overload it; a hop-by-hop header between them does not).
#[test]
fn unset_hop_limit_is_scapys() {
    use std::net::Ipv6Addr;
    let ip = || Ipv6::new(Ipv6Addr::LOCALHOST, Ipv6Addr::LOCALHOST);
    let hlim = |p: Packet| {
        Packet::dissect(&p.build(), Link::Ipv6)
            .expect::<Ipv6>()
            .hop_limit()
    };
    let tgt = Ipv6Addr::LOCALHOST;
    assert_eq!(hlim(ip() / Nd::ns(tgt)), 255);
    assert_eq!(hlim(ip() / Nd::na(tgt, 0)), 255);
    assert_eq!(hlim(ip() / Nd::rs()), 255);
    assert_eq!(hlim(ip() / Nd::ra()), 255);
    assert_eq!(hlim(ip() / Icmpv6::echo_request(0, 0)), 64);
    assert_eq!(hlim(ip() / Udp::new(1, 2)), 64);
    assert_eq!(hlim(ip() / HopByHop::new([]) / Nd::ns(tgt)), 64);
    // A hop limit set is kept.
    assert_eq!(hlim(ip().hlim(7) / Nd::ns(tgt)), 7);
}

#[test]
fn a_long_payload_is_shortened_in_text_and_kept_whole_in_full() {
    let p = Ether::default()
        / Ipv4::new("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap())
        / Udp::new(1234, 1234)
        / Raw::new([b'x'; 9000]);
    let p = Packet::ether(&p.build());
    let short = p.show();
    assert!(
        short.contains(&format!(
            "load      = '{}'...'{}' (9000 bytes)\n",
            "x".repeat(32),
            "x".repeat(16)
        )),
        "{short}"
    );
    assert!(short.len() < 1000, "{} characters", short.len());
    // assert_eq! on packets prints the same.
    let debug = format!("{p:?}");
    assert!(
        debug.len() < 1200 && debug.contains("(9000 bytes)"),
        "{debug}"
    );
    assert!(
        debug.contains("type      = 0x800"),
        "EtherTypes in hex: {debug}"
    );
    let full = p.show_full();
    assert!(
        full.contains(&"x".repeat(9000)),
        "show_full keeps every byte"
    );
    // Short payloads are shown whole.
    let small = (Ether::default() / Raw::new([b'y'; 64])).show();
    assert!(
        small.contains(&format!("'{}'\n", "y".repeat(64))),
        "{small}"
    );
}
