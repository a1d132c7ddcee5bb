//! Encode + decode of one message, generated types versus asf's dynamic
//! (schema-driven, `serde_json::Value`) codec, measured in the same run for
//! a few message shapes: `cargo bench -p asf-apigen-tests`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use asf_apigen_tests::repo_core::memclnt;
use asf_apigen_tests::repo_example::demo;
use asf_apigen_tests::repo_vocab::interface;
use asf_core::api::codec::{Reader, Writer};
use asf_core::api::dynamic::Dynamic;
use asf_core::api::message::{FixedString, Message};
use asf_core::api::schema::Schema;
use serde_json::{json, Value};

/// Nanoseconds per call of `f`: the best of 7 runs of `n` calls.
fn time(n: u32, mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..7 {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        best = best.min(t.elapsed().as_secs_f64() * 1e9 / f64::from(n));
    }
    best
}

/// One shape: the typed value, the same value as the dynamic codec's JSON.
fn compare<M: Message + PartialEq + std::fmt::Debug>(
    schema: &Schema,
    shape: &str,
    typed: &M,
    dynamic: &Value,
    n: u32,
) {
    let header = M::HEADER.size();
    let mut w = Writer::new();
    typed.encode(&mut w);
    let typed_bytes = w.into_bytes();
    let dyn_bytes = schema.encode(M::NAME, dynamic).unwrap();
    assert_eq!(typed_bytes, dyn_bytes[header..], "{shape}: the same bytes");

    let t = time(n, || {
        let mut w = Writer::new();
        black_box(typed).encode(&mut w);
        let bytes = w.into_bytes();
        let back = M::decode(&mut Reader::new(&bytes)).unwrap();
        black_box(back);
    });
    let d = time(n, || {
        let bytes = schema.encode(M::NAME, black_box(dynamic)).unwrap();
        let back = schema.decode(M::NAME, &bytes).unwrap();
        black_box(back);
    });
    println!(
        "{shape:<44}{:>8}{:>12.0}{:>12.0}{:>9.1}x",
        typed_bytes.len(),
        t,
        d,
        d / t
    );
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let schema = Schema::load_dirs(&[
        root.join("asf-core/api"),
        root.join("asf-vocab/api"),
        root.join("examples/plugin-tests/api"),
    ])
    .unwrap();
    let n = 20_000;
    println!(
        "{:<44}{:>8}{:>12}{:>12}{:>10}",
        "message (shape)", "bytes", "typed ns", "dynamic ns", "ratio"
    );

    compare(
        &schema,
        "sw_interface_set_flags (small, fixed)",
        &interface::SwInterfaceSetFlags {
            sw_if_index: 3,
            flags: interface::IfStatusFlags::ADMIN_UP,
        },
        &json!({"sw_if_index": 3, "flags": 1}),
        n,
    );
    compare(
        &schema,
        "sw_interface_details (fixed, 3 strings)",
        &interface::SwInterfaceDetails {
            sw_if_index: 1,
            interface_name: FixedString::from("loop0"),
            interface_dev_type: FixedString::from("Loopback"),
            l2_address: [2, 0, 0, 0, 0, 0x2a],
            ..interface::SwInterfaceDetails::default()
        },
        &json!({"sw_if_index": 1, "interface_name": "loop0", "interface_dev_type": "Loopback",
                "l2_address": [2, 0, 0, 0, 0, 42]}),
        n,
    );
    let modules = [
        "memclnt",
        "vpe",
        "interface",
        "vlib",
        "ip4",
        "ip6",
        "lb",
        "acl",
    ];
    compare(
        &schema,
        "api_versions_reply (array of 8 structs)",
        &memclnt::ApiVersionsReply {
            retval: 0,
            api_versions: modules
                .iter()
                .map(|m| memclnt::ModuleVersion {
                    major: 1,
                    minor: 2,
                    patch: 3,
                    name: FixedString::from(*m),
                })
                .collect(),
        },
        &json!({"retval": 0, "api_versions": modules.iter()
            .map(|m| json!({"major": 1, "minor": 2, "patch": 3, "name": m}))
            .collect::<Vec<_>>()}),
        n,
    );
    let ports: Vec<u16> = (1000..1016).collect();
    compare(
        &schema,
        "demo_rule_add (union, 16-element array)",
        &demo::DemoRuleAdd {
            mode: demo::DemoMode::Drop,
            flags: demo::DemoFlags::IP6,
            key: demo::DemoKey::from_ip6(&[
                0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
            ]),
            tag: "web".into(),
            ports: ports.clone(),
        },
        &json!({"mode": 2, "flags": 2,
                "key": {"ip6": [0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]},
                "tag": "web", "ports": ports}),
        n,
    );
    println!("ratio: dynamic time / typed time, encode + decode of one message (best of 7 x {n})");
}
