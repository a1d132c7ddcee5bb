//! Interoperability with scapy, the packet library VPP's Python tests are
//! written on, as an independent peer: random packets of every stack built
//! by asf are read by scapy to the same fields and rebuilt by scapy, with
//! every length, checksum and next-protocol field unset, to the same
//! bytes; random packets built by scapy dissect in asf to the same fields
//! and rebuild to the same bytes.
//!
//! scapy (the version VPP's tests pin) lives in a private venv under
//! `target/`; without Python's venv the test says so and passes, unless
//! `ASF_REQUIRE_SCAPY=1` (CI), which makes that a failure.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use asf_packet::field::Value;
use asf_packet::{Link, Packet};
use serde_json::{json, Value as Json};

use common::gen::Gen;
use common::scapy::{scapy_python, SCAPY};

fn peer(py: &Path, args: &[&str]) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scapy_peer.py");
    let out = Command::new(py).arg(&script).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "scapy_peer.py {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn json_of(v: &Value) -> Json {
    match v {
        Value::Auto => Json::Null,
        Value::Int(n) | Value::Hex(n) | Value::Flags(n, _) => json!(n),
        Value::Mac(m) => json!(m.to_string()),
        Value::Ip4(a) => json!(a.to_string()),
        Value::Ip6(a) => json!(a.to_string()),
        Value::Bytes(b) => json!(format!("hex:{}", hex(b))),
        Value::List(items) => Json::Array(items.iter().map(json_of).collect()),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

/// asf's layers: (name, fields).
fn ours(p: &Packet) -> Vec<(String, BTreeMap<String, Json>)> {
    p.layers()
        .iter()
        .zip(p.titles())
        .map(|(l, name)| {
            let fields = l
                .fields()
                .iter()
                .map(|(k, v)| (k.to_string(), json_of(v)))
                .collect();
            (name.to_string(), fields)
        })
        .collect()
}

/// scapy's layers, with its echo `data` field as the Raw layer asf has.
fn theirs(layers: &Json) -> Vec<(String, BTreeMap<String, Json>)> {
    let mut out = Vec::new();
    for l in layers.as_array().unwrap() {
        let name = l["name"].as_str().unwrap().to_string();
        let mut fields: BTreeMap<String, Json> = l["fields"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let data = if name.starts_with("ICMPv6 Echo") {
            fields.remove("data")
        } else {
            None
        };
        out.push((name, fields));
        if let Some(d) = data.filter(|d| d != "hex:") {
            out.push(("Raw".into(), BTreeMap::from([("load".into(), d)])));
        }
    }
    out
}

fn same_value(a: &Json, b: &Json) -> bool {
    if a == b {
        return true;
    }
    // IPv6 text forms may differ; the addresses may not.
    let ip = |v: &Json| {
        v.as_str()
            .and_then(|s| s.parse::<std::net::Ipv6Addr>().ok())
    };
    match (a, b) {
        (Json::String(_), Json::String(_)) => ip(a).is_some() && ip(a) == ip(b),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b))
        }
        _ => false,
    }
}

/// What differs between asf's and scapy's view of one packet.
fn differences(
    ours: &[(String, BTreeMap<String, Json>)],
    theirs: &[(String, BTreeMap<String, Json>)],
) -> Vec<String> {
    let mut d = Vec::new();
    let names = |l: &[(String, BTreeMap<String, Json>)]| -> Vec<String> {
        l.iter().map(|(n, _)| n.clone()).collect()
    };
    if names(ours) != names(theirs) {
        d.push(format!(
            "layers: asf {:?}, scapy {:?}",
            names(ours),
            names(theirs)
        ));
        return d;
    }
    for ((name, a), (_, b)) in ours.iter().zip(theirs) {
        for (field, v) in a {
            match b.get(field) {
                None => d.push(format!("{name}.{field}: asf has it, scapy does not")),
                Some(w) if !same_value(v, w) => {
                    d.push(format!("{name}.{field}: asf {v}, scapy {w}"))
                }
                Some(_) => {}
            }
        }
    }
    d
}

#[test]
fn packets_agree_with_scapy_both_ways() {
    let Some(py) = scapy_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let n: usize = std::env::var("ASF_SCAPY_PACKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);

    // asf builds, scapy reads.
    let mut g = Gen::new(0x5ca9);
    let built: Vec<Vec<u8>> = (0..n).map(|_| g.frame().build()).collect();
    let input: Vec<Json> = built
        .iter()
        .map(|b| json!({"link": "ether", "hex": hex(b)}))
        .collect();
    let (inp, outp) = (dir.path().join("asf.json"), dir.path().join("scapy.json"));
    std::fs::write(&inp, serde_json::to_string(&input).unwrap()).unwrap();
    peer(
        &py,
        &["read", inp.to_str().unwrap(), outp.to_str().unwrap()],
    );
    let read: Vec<Json> = serde_json::from_str(&std::fs::read_to_string(&outp).unwrap()).unwrap();
    let mut failures = Vec::new();
    for (i, (bytes, scapy)) in built.iter().zip(&read).enumerate() {
        let p = Packet::dissect(bytes, Link::Ethernet);
        let mut why = differences(&ours(&p), &theirs(&scapy["layers"]));
        if scapy["rebuilt"].as_str() != Some(&hex(bytes)) {
            why.push(format!(
                "scapy rebuilt it with lengths and checksums unset as\n  {}\nasf built\n  {}",
                scapy["rebuilt"].as_str().unwrap_or_default(),
                hex(bytes)
            ));
        }
        if !why.is_empty() {
            failures.push(format!("asf packet {i}:\n{}\n{}", why.join("\n"), p.show()));
        }
    }

    // scapy builds, asf reads.
    let gen = dir.path().join("gen.json");
    peer(&py, &["gen", &n.to_string(), "7", gen.to_str().unwrap()]);
    let made: Vec<Json> = serde_json::from_str(&std::fs::read_to_string(&gen).unwrap()).unwrap();
    for (i, item) in made.iter().enumerate() {
        let bytes = unhex(item["hex"].as_str().unwrap());
        let p = Packet::dissect(&bytes, Link::Ethernet);
        let mut why = differences(&ours(&p), &theirs(&item["layers"]));
        if p.build() != bytes {
            why.push(format!("asf rebuilt it as\n  {}", hex(&p.build())));
        }
        let mut q = p.clone();
        q.unset_auto_fields();
        if q.build() != bytes {
            why.push(format!(
                "asf rebuilt it with lengths and checksums unset as\n  {}\nscapy built\n  {}",
                hex(&q.build()),
                hex(&bytes)
            ));
        }
        if !why.is_empty() {
            failures.push(format!(
                "scapy packet {i}:\n{}\n{}",
                why.join("\n"),
                p.show()
            ));
        }
    }
    let total = failures.len();
    failures.truncate(5);
    assert!(
        total == 0,
        "{total} of {} packets disagree with scapy; the first:\n\n{}",
        2 * n,
        failures.join("\n\n")
    );
    eprintln!("{} packets agree with {SCAPY}, {n} each way", 2 * n);
}
