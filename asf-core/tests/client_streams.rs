//! The client against a scripted server: cursor streams (`*_get` →
//! details then reply), stale replies after a timeout, and events that
//! arrive between replies.

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use asf_core::api::schema::Schema;
use asf_core::api::ApiClient;
use serde_json::json;

const SCHEMA: &str = r#"{
    "messages": [
        ["thing_get", ["u16", "_vl_msg_id"], ["u32", "client_index"], ["u32", "context"], ["u32", "cursor"], {"crc": "0x11111111"}],
        ["thing_get_reply", ["u16", "_vl_msg_id"], ["u32", "context"], ["i32", "retval"], ["u32", "cursor"], {"crc": "0x22222222"}],
        ["thing_details", ["u16", "_vl_msg_id"], ["u32", "context"], ["u32", "value"], {"crc": "0x33333333"}],
        ["thing_event", ["u16", "_vl_msg_id"], ["u32", "client_index"], ["u32", "value"], {"crc": "0x44444444"}],
        ["thing_set", ["u16", "_vl_msg_id"], ["u32", "client_index"], ["u32", "context"], ["u32", "value"], {"crc": "0x55555555"}],
        ["thing_set_reply", ["u16", "_vl_msg_id"], ["u32", "context"], ["i32", "retval"], {"crc": "0x66666666"}],
        ["other_reply", ["u16", "_vl_msg_id"], ["u32", "context"], ["i32", "retval"], {"crc": "0x77777777"}]
    ],
    "services": {"thing_get": {"reply": "thing_get_reply", "stream": true, "stream_msg": "thing_details"}}
}"#;

fn frame(body: &[u8]) -> Vec<u8> {
    let mut f = vec![0u8; 8];
    f.extend_from_slice(&(body.len() as u32).to_be_bytes());
    f.extend_from_slice(&[0; 4]);
    f.extend_from_slice(body);
    f
}

fn read_frame(c: &mut UnixStream) -> Vec<u8> {
    let mut h = [0u8; 16];
    c.read_exact(&mut h).unwrap();
    let len = u32::from_be_bytes([h[8], h[9], h[10], h[11]]) as usize;
    let mut b = vec![0u8; len];
    c.read_exact(&mut b).unwrap();
    b
}

fn handshake_reply(context: &[u8]) -> Vec<u8> {
    let mut r = vec![0, 16, 0, 0, 0, 0];
    r.extend_from_slice(context);
    r.extend_from_slice(&0i32.to_be_bytes());
    r.extend_from_slice(&0x8000_0001u32.to_be_bytes());
    let table = [
        (23u16, "control_ping_51077d14"),
        (24, "control_ping_reply_f6b0b8ca"),
        (100, "thing_get_11111111"),
        (101, "thing_get_reply_22222222"),
        (102, "thing_details_33333333"),
        (103, "thing_event_44444444"),
        (104, "thing_set_55555555"),
        (105, "thing_set_reply_66666666"),
        (106, "other_reply_77777777"),
    ];
    r.extend_from_slice(&(table.len() as u16).to_be_bytes());
    for (id, name) in table {
        r.extend_from_slice(&id.to_be_bytes());
        let mut n = name.as_bytes().to_vec();
        n.resize(64, 0);
        r.extend_from_slice(&n);
    }
    r
}

/// Runs `script` as the server side of one connection.
fn serve(script: impl FnOnce(&mut UnixStream) + Send + 'static) -> (tempfile::TempDir, ApiClient) {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("api.sock");
    let listener = UnixListener::bind(&sock).unwrap();
    std::thread::spawn(move || {
        let (mut c, _) = listener.accept().unwrap();
        let hello = read_frame(&mut c);
        c.write_all(&frame(&handshake_reply(&hello[2..6]))).unwrap();
        script(&mut c);
    });
    let mut api = ApiClient::connect(&sock, "t", Some(Duration::from_millis(500))).unwrap();
    let mut schema = Schema::new();
    schema
        .add_json(SCHEMA, Path::new("thing.api.json"))
        .unwrap();
    api.set_schema(Arc::new(schema));
    (dir, api)
}

fn details(ctx: &[u8], value: u32) -> Vec<u8> {
    let mut d = vec![0, 102];
    d.extend_from_slice(ctx);
    d.extend_from_slice(&value.to_be_bytes());
    frame(&d)
}

fn event(value: u32) -> Vec<u8> {
    let mut e = vec![0, 103, 0x80, 0, 0, 1];
    e.extend_from_slice(&value.to_be_bytes());
    frame(&e)
}

#[test]
fn a_cursor_stream_collects_details_until_its_reply() {
    let (_d, mut api) = serve(|c| {
        let req = read_frame(c);
        assert_eq!(&req[0..2], &[0, 100]);
        let ctx = req[6..10].to_vec();
        c.write_all(&details(&ctx, 7)).unwrap();
        c.write_all(&event(99)).unwrap();
        c.write_all(&details(&ctx, 8)).unwrap();
        let mut reply = vec![0, 101];
        reply.extend_from_slice(&ctx);
        reply.extend_from_slice(&0i32.to_be_bytes());
        reply.extend_from_slice(&2u32.to_be_bytes());
        c.write_all(&frame(&reply)).unwrap();
        std::thread::sleep(Duration::from_millis(200));
    });
    let got = api.call_dump("thing_get", json!({"cursor": 0})).unwrap();
    let values: Vec<u64> = got.iter().map(|d| d["value"].as_u64().unwrap()).collect();
    assert_eq!(values, [7, 8]);
    // The event that arrived in between was kept for the test.
    let e = api
        .wait_for_event(Duration::from_millis(100), "thing_event")
        .unwrap();
    assert_eq!(e["value"], 99);
    let err = api
        .wait_for_event(Duration::from_millis(50), "thing_event")
        .unwrap_err()
        .to_string();
    assert!(err.contains("no thing_event event within"), "{err}");
}

#[test]
fn a_late_reply_does_not_answer_the_next_request() {
    let (_d, mut api) = serve(|c| {
        // First request: answered after the client gave up.
        let first = read_frame(c);
        let second = read_frame(c);
        for (req, value) in [(&first, 1u32), (&second, 2u32)] {
            let mut reply = vec![0, 101];
            reply.extend_from_slice(&req[6..10]);
            reply.extend_from_slice(&0i32.to_be_bytes());
            reply.extend_from_slice(&value.to_be_bytes());
            c.write_all(&frame(&reply)).unwrap();
        }
        std::thread::sleep(Duration::from_millis(200));
    });
    api.set_timeout(Some(Duration::from_millis(100)));
    let err = api
        .call_dump("thing_get", json!({}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("no reply to thing_get within 0.1 s"), "{err}");
    api.set_timeout(Some(Duration::from_secs(2)));
    // Both replies arrive now; the stale one (context of the first) is dropped.
    let got = api.call_dump("thing_get", json!({})).unwrap();
    assert!(got.is_empty());
}

#[test]
fn a_reply_vpp_misnames_is_taken_by_its_context() {
    let (_d, mut api) = serve(|c| {
        let req = read_frame(c);
        assert_eq!(&req[0..2], &[0, 104]);
        // First another request's reply (another context): not ours.
        let mut stale = vec![0, 106, 0xde, 0xad, 0xbe, 0xef];
        stale.extend_from_slice(&(-1i32).to_be_bytes());
        c.write_all(&frame(&stale)).unwrap();
        // Then ours, under another reply's id (as VPP's
        // acl_stats_intf_counters_enable answers with acl_del_reply).
        let mut reply = vec![0, 106];
        reply.extend_from_slice(&req[6..10]);
        reply.extend_from_slice(&0i32.to_be_bytes());
        c.write_all(&frame(&reply)).unwrap();
        std::thread::sleep(Duration::from_millis(200));
    });
    let got = api.call("thing_set", json!({"value": 1})).unwrap();
    assert_eq!(got["retval"], 0);
}

#[test]
fn an_altered_request_goes_out_as_altered() {
    let (_d, mut api) = serve(|c| {
        let req = read_frame(c);
        // control_ping's header, then what the alteration wrote.
        assert_eq!(&req[0..2], &[0, 23]);
        assert_eq!(&req[10..], &[1, 2, 3]);
        let mut reply = vec![0, 24];
        reply.extend_from_slice(&req[6..10]);
        reply.extend_from_slice(&0i32.to_be_bytes());
        reply.extend_from_slice(&[0; 8]);
        c.write_all(&frame(&reply)).unwrap();
        std::thread::sleep(Duration::from_millis(200));
    });
    let ping = asf_core::api::vpp::memclnt::ControlPing;
    let r = api.request_altered(&ping, |b| b.extend_from_slice(&[1, 2, 3]));
    assert_eq!(r.unwrap().retval, 0);
}
