//! For every message of every `.api.json` checked (the repository's; a real
//! VPP's `share/vpp/api` when `ASF_API_DIR` names it at build time): random
//! values of the message, encoded by asf's dynamic codec from the schema,
//! are decoded by the generated type and encoded again to the same bytes,
//! and the generated type's value equals the dynamic decoding of them;
//! `Default` encodes as the dynamic codec encodes an empty object (the
//! `.api.json` defaults).

use std::collections::HashMap;
use std::path::PathBuf;

use asf_apigen_tests::SETS;
use asf_core::api::dynamic::Dynamic;
use asf_core::api::message::MessageEntry;
use asf_core::api::schema::{self, ApiFile, Base, Field, Len, Schema, TypeDef};
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value};

/// Each module's file of `dir`, read alone: every file carries the types it uses.
fn schemas(dir: &str) -> HashMap<String, Schema> {
    let mut out = HashMap::new();
    for path in schema::api_files_under(&PathBuf::from(dir)).unwrap() {
        let f = ApiFile::read(&path).unwrap();
        let module = f.module.clone();
        let mut s = Schema::new();
        s.add_file(f);
        out.insert(module, s);
    }
    out
}

fn base(b: Base) -> BoxedStrategy<Value> {
    match b {
        Base::U8 => any::<u8>().prop_map(Value::from).boxed(),
        Base::I8 => any::<i8>().prop_map(Value::from).boxed(),
        Base::U16 => any::<u16>().prop_map(Value::from).boxed(),
        Base::I16 => any::<i16>().prop_map(Value::from).boxed(),
        Base::U32 => any::<u32>().prop_map(Value::from).boxed(),
        Base::I32 => any::<i32>().prop_map(Value::from).boxed(),
        Base::U64 => any::<u64>().prop_map(Value::from).boxed(),
        Base::I64 => any::<i64>().prop_map(Value::from).boxed(),
        Base::Bool => any::<bool>().prop_map(Value::from).boxed(),
        Base::F64 => (prop::num::f64::NORMAL | prop::num::f64::ZERO | prop::num::f64::SUBNORMAL)
            .prop_map(Value::from)
            .boxed(),
    }
}

fn value(s: &Schema, ty: &str, depth: usize) -> BoxedStrategy<Value> {
    if let Some(b) = Base::parse(ty) {
        return base(b);
    }
    assert!(depth < 32, "{ty} nests too deeply");
    match s
        .type_def(ty)
        .unwrap_or_else(|| panic!("unknown type {ty}"))
    {
        // Any value of the base type: names it does not give included.
        TypeDef::Enum { base: b, .. } => base(*b),
        TypeDef::Alias { ty, length: None } => value(s, ty, depth + 1),
        TypeDef::Alias {
            ty,
            length: Some(n),
        } => array(s, ty, *n, depth + 1),
        TypeDef::Struct(fields) => object(s, fields, depth + 1),
        TypeDef::Union(arms) => Union::new(arms.iter().map(|a| {
            let name = a.name.clone();
            field(s, a, depth + 1)
                .prop_map(move |v| {
                    let mut m = Map::new();
                    m.insert(name.clone(), v);
                    Value::Object(m)
                })
                .boxed()
        }))
        .boxed(),
    }
}

fn array(s: &Schema, ty: &str, n: usize, depth: usize) -> BoxedStrategy<Value> {
    if ty == "string" {
        return field(
            s,
            &Field {
                name: String::new(),
                ty: ty.into(),
                len: Len::Fixed(n),
                default: None,
            },
            depth,
        );
    }
    prop::collection::vec(value(s, ty, depth), n)
        .prop_map(Value::Array)
        .boxed()
}

fn field(s: &Schema, f: &Field, depth: usize) -> BoxedStrategy<Value> {
    if f.ty == "string" {
        let re = match f.len {
            Len::Fixed(n) => format!("[a-zA-Z0-9 ._-]{{0,{}}}", n.saturating_sub(1).min(24)),
            _ => "[ -~]{0,40}".to_string(),
        };
        return prop::string::string_regex(&re)
            .expect("a valid regex")
            .prop_map(Value::from)
            .boxed();
    }
    match &f.len {
        Len::One => value(s, &f.ty, depth),
        Len::Fixed(n) => array(s, &f.ty, *n, depth),
        Len::Rest | Len::Counted(_) => prop::collection::vec(value(s, &f.ty, depth), 0..4)
            .prop_map(Value::Array)
            .boxed(),
    }
}

/// An object of `fields`; count fields are left out (the dynamic codec
/// writes them from their arrays).
fn object(s: &Schema, fields: &[Field], depth: usize) -> BoxedStrategy<Value> {
    let counts: Vec<&str> = fields
        .iter()
        .filter_map(|f| match &f.len {
            Len::Counted(c) => Some(c.as_str()),
            _ => None,
        })
        .collect();
    let chosen: Vec<&Field> = fields
        .iter()
        .filter(|f| !counts.contains(&f.name.as_str()))
        .collect();
    let names: Vec<String> = chosen.iter().map(|f| f.name.clone()).collect();
    let parts: Vec<BoxedStrategy<Value>> = chosen.iter().map(|f| field(s, f, depth)).collect();
    parts
        .prop_map(move |vals| Value::Object(names.iter().cloned().zip(vals).collect()))
        .boxed()
}

fn check(s: &Schema, e: &MessageEntry, config: &Config) -> Result<(), String> {
    let msg = s
        .message(e.name)
        .ok_or_else(|| format!("{}: not in the schema", e.name))?;
    if msg.crc != e.crc {
        return Err(format!("{}: CRC {} vs {}", e.name, e.crc, msg.crc));
    }
    let header = e.header.fields();
    let names: Vec<&str> = msg.fields.iter().map(|f| f.name.as_str()).collect();
    if names.get(..header.len()) != Some(header) {
        return Err(format!("{}: header {header:?}, fields {names:?}", e.name));
    }
    // Defaults.
    let empty = s
        .encode(e.name, &Value::Object(Map::new()))
        .map_err(|x| format!("{}: dynamic encode of {{}}: {x}", e.name))?;
    if (e.default_payload)() != empty[e.header.size()..] {
        return Err(format!(
            "{}: Default encodes as {:?}, the .api.json defaults as {:?}",
            e.name,
            (e.default_payload)(),
            &empty[e.header.size()..]
        ));
    }
    let strategy = object(s, &msg.fields[header.len()..], 0);
    TestRunner::new(config.clone())
        .run(&strategy, |v| {
            let bytes = s
                .encode(e.name, &v)
                .map_err(|x| TestCaseError::fail(format!("dynamic encode: {x}")))?;
            let payload = &bytes[e.header.size()..];
            let again = (e.reencode)(payload)
                .map_err(|x| TestCaseError::fail(format!("typed decode: {x}")))?;
            prop_assert_eq!(&again[..], payload, "typed re-encoding");
            let typed = (e.decode_json)(payload)
                .map_err(|x| TestCaseError::fail(format!("typed decode: {x}")))?;
            let mut dynamic = s
                .decode(e.name, &bytes)
                .map_err(|x| TestCaseError::fail(format!("dynamic decode: {x}")))?;
            if let Value::Object(m) = &mut dynamic {
                for h in header {
                    m.remove(*h);
                }
            }
            prop_assert_eq!(typed, dynamic, "typed and dynamic values");
            Ok(())
        })
        .map_err(|x| format!("{}: {x}", e.name))
}

#[test]
fn typed_and_dynamic_codecs_agree_on_every_message() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut modules = 0;
    for (dir, tables) in SETS {
        let schemas = schemas(dir);
        for (module, table) in *tables {
            modules += 1;
            let s = &schemas[*module];
            for e in *table {
                checked += 1;
                if let Err(f) = check(s, e, &config) {
                    failures.push(format!("{dir}: {module}.{f}"));
                }
            }
        }
    }
    let dirs: Vec<&str> = SETS.iter().map(|(d, _)| *d).collect();
    eprintln!(
        "{checked} messages of {modules} modules from {}, {cases} random values each",
        dirs.join(", ")
    );
    assert!(checked > 0, "no messages checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} messages differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The repository's `.api.json` files give the CRCs of the VPP they were
/// taken from: a real VPP's files (`ASF_API_DIR`, given when running this
/// test, not at build time) must have the same definitions.
#[test]
#[ignore = "needs ASF_API_DIR=<a real VPP's share/vpp/api>"]
fn repository_files_match_a_real_vpp() {
    let real = std::env::var("ASF_API_DIR").expect("ASF_API_DIR");
    let real = Schema::load_dirs(&real.split(':').map(PathBuf::from).collect::<Vec<_>>()).unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut differ = Vec::new();
    let mut checked = 0;
    for dir in ["asf-core/api", "asf-vocab/api", "asf-tests/api"] {
        let Ok(files) = schema::api_files_under(&root.join(dir)) else {
            continue;
        };
        for path in files {
            let f = ApiFile::read(&path).unwrap();
            for m in &f.messages {
                checked += 1;
                match real.message(&m.name) {
                    Some(r) if r.crc == m.crc && r.fields == m.fields => {}
                    Some(r) => differ.push(format!("{}: {} here, {} in VPP", m.name, m.crc, r.crc)),
                    None => differ.push(format!("{}: not in VPP's files", m.name)),
                }
            }
        }
    }
    eprintln!("{checked} messages compared");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// Bytes from outside never make a generated decoder panic, and decoding
/// is stable after one encoding: the value of `encode(decode(b))` encodes
/// to bytes that decode to that same value. (`decode(b)` itself may not
/// survive: a fixed string filling all N bytes, or one that is not UTF-8,
/// is stored as at most N-1 bytes of valid UTF-8, as VPP writes them.)
#[test]
fn generated_decoders_survive_any_bytes() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut failures = Vec::new();
    let decoded = std::cell::Cell::new(0usize);
    let tried = std::cell::Cell::new(0usize);
    for (_, tables) in SETS {
        for (module, table) in *tables {
            for e in *table {
                let result = TestRunner::new(config.clone()).run(
                    &prop::collection::vec(any::<u8>(), 0..320),
                    |bytes| {
                        tried.set(tried.get() + 1);
                        let caught = std::panic::catch_unwind(|| (e.decode_json)(&bytes));
                        let Ok(first) = caught else {
                            return Err(TestCaseError::fail("the decoder panicked"));
                        };
                        if first.is_ok() {
                            decoded.set(decoded.get() + 1);
                            let fail = |what: &str, x: asf_core::api::codec::DecodeError| {
                                TestCaseError::fail(format!("{what}: {x}"))
                            };
                            let once = (e.reencode)(&bytes).map_err(|x| fail("re-encode", x))?;
                            let value = (e.decode_json)(&once).map_err(|x| fail("decode", x))?;
                            let twice = (e.reencode)(&once).map_err(|x| fail("re-encode", x))?;
                            prop_assert_eq!(&twice, &once, "encode(decode(b)) is a fixed point");
                            let back = (e.decode_json)(&twice).map_err(|x| fail("decode", x))?;
                            prop_assert_eq!(back, value);
                        }
                        Ok(())
                    },
                );
                if let Err(x) = result {
                    failures.push(format!("{module}.{}: {x}", e.name));
                }
            }
        }
    }
    eprintln!("{} byte strings, {} decoded", tried.get(), decoded.get());
    assert!(
        decoded.get() > 0,
        "no input decoded: the property checked nothing"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
