//! Property tests of the API decoders: encoding round-trips for every type
//! kind, and arbitrary bytes never make a decoder panic.

use std::path::Path;

use asf_core::api::codec::{Reader, Writer};
use asf_core::api::dynamic::Dynamic;
use asf_core::api::message::Message;
use asf_core::api::schema::Schema;
use asf_core::api::vpp::memclnt::{ControlPingReply, GetApiJsonReply};
use asf_core::api::vpp::vlib::{CliInbandReply, ShowThreadsReply};
use asf_core::api::vpp::vpe::ShowVersionReply;
use proptest::prelude::*;
use serde_json::{json, Value};

/// The stand-in's `.api.json` files: real message shapes of every kind.
fn fake_vpp_schema() -> Schema {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Schema::load_dirs(&[root.join("api"), root.join("../asf-vocab/api")]).unwrap()
}

const KINDS: &str = r#"{
    "types": [["pair", ["u16", "a"], ["i8", "b"]]],
    "unions": [["either", ["u32", "word"], ["u8", "bytes", 6]]],
    "enums": [["color", ["RED", 0], ["GREEN", 1], {"enumtype": "u16"}]],
    "enumflags": [["perm", ["R", 1], ["W", 2], {"enumtype": "u8"}]],
    "aliases": {"mac": {"type": "u8", "length": 6}, "idx": {"type": "u32"}},
    "messages": [["all_kinds", ["u16", "_vl_msg_id"], ["u8", "a"], ["i16", "b"], ["u32", "c"], ["i32", "d"],
        ["u64", "e"], ["i64", "f"], ["f64", "g"], ["bool", "h"], ["vl_api_color_t", "i"], ["vl_api_perm_t", "j"],
        ["vl_api_mac_t", "k"], ["vl_api_idx_t", "l"], ["vl_api_pair_t", "m"], ["u32", "n", 3],
        ["string", "o", 16], ["vl_api_either_t", "p"], ["u8", "count"], ["vl_api_pair_t", "q", 0, "count"],
        ["string", "r", 0], {"crc": "0x12345678"}]]
}"#;

fn kinds_schema() -> Schema {
    let mut s = Schema::new();
    s.add_json(KINDS, Path::new("kinds.api.json")).unwrap();
    s
}

prop_compose! {
    fn all_kinds()(
        a in any::<u8>(), b in any::<i16>(), c in any::<u32>(), d in any::<i32>(), e in any::<u64>(),
        f in any::<i64>(), g in -1e12f64..1e12, h in any::<bool>(), i in 0u16..2, j in 0u8..4,
        k in prop::array::uniform6(any::<u8>()), l in any::<u32>(), m in (any::<u16>(), any::<i8>()),
        n in prop::array::uniform3(any::<u32>()), o in "[a-z0-9]{0,15}", p in any::<u32>(),
        q in prop::collection::vec((any::<u16>(), any::<i8>()), 0..5), r in "[ -~]{0,40}",
    ) -> Value {
        json!({
            "_vl_msg_id": 7, "a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "h": h, "i": i, "j": j,
            "k": k, "l": l, "m": {"a": m.0, "b": m.1}, "n": n, "o": o, "p": {"word": p},
            "count": q.len(), "q": q.iter().map(|(a, b)| json!({"a": a, "b": b})).collect::<Vec<_>>(), "r": r,
        })
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_kind_round_trips(v in all_kinds()) {
        let s = kinds_schema();
        let bytes = s.encode("all_kinds", &v).unwrap();
        let back = s.decode("all_kinds", &bytes).unwrap();
        for key in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "count", "q", "r"] {
            prop_assert_eq!(&back[key], &v[key], "field {}", key);
        }
        // A union decodes every arm from the same bytes; the written arm reads back.
        prop_assert_eq!(&back["p"]["word"], &v["p"]["word"]);
        // A decoded message encodes to the same bytes once its union holds one arm.
        let mut again = back.clone();
        again["p"] = json!({"word": back["p"]["word"]});
        prop_assert_eq!(s.encode("all_kinds", &again), Ok(bytes));
    }

    #[test]
    fn codec_round_trips(xs in prop::collection::vec((any::<u64>(), any::<i32>(), any::<bool>(), "[a-z]{0,20}"), 0..20)) {
        let mut w = Writer::new();
        for (a, b, c, d) in &xs {
            w.u64(*a).i32(*b).bool(*c).string(d).fixed_string(d, 21);
        }
        let bytes = w.into_bytes();
        let mut r = Reader::new(&bytes);
        for (a, b, c, d) in &xs {
            prop_assert_eq!(r.u64().unwrap(), *a);
            prop_assert_eq!(r.i32().unwrap(), *b);
            prop_assert_eq!(r.bool().unwrap(), *c);
            prop_assert_eq!(&r.string().unwrap(), d);
            prop_assert_eq!(&r.fixed_string(21).unwrap(), d);
        }
        prop_assert_eq!(r.remaining(), 0);
    }

    #[test]
    fn arbitrary_bytes_never_panic_a_decoder(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let s = fake_vpp_schema();
        for name in ["sw_interface_details", "sw_interface_dump", "show_threads_reply", "sockclnt_create_reply",
                     "api_versions_reply", "get_api_json_reply", "cli_inband_reply", "sw_interface_event"] {
            let _ = s.decode(name, &bytes);
        }
        let _ = kinds_schema().decode("all_kinds", &bytes);
        let _ = ShowThreadsReply::decode(&mut Reader::new(&bytes));
        let _ = ShowVersionReply::decode(&mut Reader::new(&bytes));
        let _ = CliInbandReply::decode(&mut Reader::new(&bytes));
        let _ = ControlPingReply::decode(&mut Reader::new(&bytes));
        let _ = GetApiJsonReply::decode(&mut Reader::new(&bytes));
    }

    #[test]
    fn huge_counts_are_refused_without_allocating(count in any::<u32>()) {
        let s = fake_vpp_schema();
        let mut w = Writer::new();
        w.u16(1).u32(2).i32(0).u32(count);
        let r = s.decode("show_threads_reply", &w.into_bytes());
        prop_assert_eq!(r.is_ok(), count == 0);
    }
}

/// Serves `reply` (a raw frame or garbage) to the first connection, then closes.
fn hostile_server(reply: Vec<u8>) -> (tempfile::TempDir, std::path::PathBuf) {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("api.sock");
    let listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    std::thread::spawn(move || {
        if let Ok((mut c, _)) = listener.accept() {
            let mut buf = [0u8; 86];
            let _ = c.read(&mut buf);
            let _ = c.write_all(&reply);
        }
    });
    (dir, sock)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_hostile_handshake_is_an_error_not_a_panic(body in prop::collection::vec(any::<u8>(), 0..200), len_delta in -4i64..4) {
        let mut frame = vec![0u8; 8];
        let len = (body.len() as i64 + len_delta).max(0) as u32;
        frame.extend_from_slice(&len.to_be_bytes());
        frame.extend_from_slice(&[0; 4]);
        frame.extend_from_slice(&body);
        let (_dir, sock) = hostile_server(frame);
        let r = asf_core::api::ApiClient::connect(&sock, "t", Some(std::time::Duration::from_millis(500)));
        // Garbage is refused; only a well-formed sockclnt_create_reply connects.
        if let Ok(c) = r {
            prop_assert!(body.len() >= 20 && body[0..2] == [0, 16], "{:?}", c);
        }
    }
}

#[test]
fn an_absurd_frame_length_is_refused() {
    let mut frame = vec![0u8; 8];
    frame.extend_from_slice(&u32::MAX.to_be_bytes());
    frame.extend_from_slice(&[0; 4]);
    let (_dir, sock) = hostile_server(frame);
    let err =
        asf_core::api::ApiClient::connect(&sock, "t", Some(std::time::Duration::from_secs(1)))
            .unwrap_err();
    assert!(
        err.to_string()
            .contains("frame announces a body of 4294967295 bytes"),
        "{err}"
    );
}
