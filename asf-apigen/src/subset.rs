//! A subset of an `.api.json` file: the messages a test crate uses, what
//! answers them, and the types they need, with everything else about the
//! file (its version, CRC, imports) kept. For committing the part of VPP's
//! API a crate talks to, and for generating only that.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde_json::{Map, Value};

use crate::schema::{bare_type_name, implied_service, ApiFile, SchemaError, TypeDef};

/// The text of a subset of `path` holding `wanted` (those of them it
/// defines), with their replies, details, stream messages and events, and
/// the types they use; `None` when the file defines none of them.
pub fn subset(path: &Path, wanted: &[&str]) -> Result<Option<String>, SchemaError> {
    let file = ApiFile::read(path)?;
    let text = std::fs::read_to_string(path).map_err(|source| SchemaError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut root: Map<String, Value> =
        serde_json::from_str(&text).map_err(|source| SchemaError::Json {
            path: path.to_path_buf(),
            source,
        })?;
    let defined: HashSet<&str> = file.messages.iter().map(|m| m.name.as_str()).collect();
    let mut keep: BTreeSet<String> = wanted
        .iter()
        .filter(|w| defined.contains(**w))
        .map(|w| w.to_string())
        .collect();
    if keep.is_empty() {
        return Ok(None);
    }
    // What answers each kept request.
    for w in keep.clone() {
        let s = file
            .services
            .iter()
            .find(|(n, _)| *n == w)
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| implied_service(&w));
        let related = s.reply.into_iter().chain(s.stream_msg).chain(s.events);
        keep.extend(related.filter(|m| defined.contains(m.as_str())));
    }
    // The types they use, transitively.
    let mut types: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<String> = file
        .messages
        .iter()
        .filter(|m| keep.contains(&m.name))
        .flat_map(|m| m.fields.iter().map(|f| f.ty.clone()))
        .collect();
    while let Some(t) = todo.pop() {
        let bare = bare_type_name(&t).to_string();
        let Some(def) = file.type_def(&bare) else {
            continue;
        };
        if !types.insert(bare) {
            continue;
        }
        match def {
            TypeDef::Struct(fields) | TypeDef::Union(fields) => {
                todo.extend(fields.iter().map(|f| f.ty.clone()));
            }
            TypeDef::Alias { ty, .. } => todo.push(ty.clone()),
            TypeDef::Enum { .. } => {}
        }
    }
    let named = |v: &Value, set: &BTreeSet<String>| {
        v.as_array()
            .and_then(|a| a.first())
            .and_then(Value::as_str)
            .is_some_and(|n| set.contains(n))
    };
    for key in ["types", "unions", "enums", "enumflags"] {
        if let Some(Value::Array(a)) = root.get_mut(key) {
            a.retain(|v| named(v, &types));
        }
    }
    if let Some(Value::Array(a)) = root.get_mut("messages") {
        a.retain(|v| named(v, &keep));
    }
    if let Some(Value::Object(o)) = root.get_mut("aliases") {
        o.retain(|k, _| types.contains(k));
    }
    if let Some(Value::Object(o)) = root.get_mut("services") {
        o.retain(|k, _| keep.contains(k));
    }
    for key in ["counters", "paths"] {
        if root.contains_key(key) {
            root.insert(key.into(), Value::Array(Vec::new()));
        }
    }
    Ok(Some(write_compact(&root)))
}

/// One top-level key per line, one list element per line.
fn write_compact(root: &Map<String, Value>) -> String {
    let mut out = String::from("{\n");
    let n = root.len();
    for (i, (k, v)) in root.iter().enumerate() {
        let key = Value::from(k.as_str());
        match v {
            Value::Array(a) if !a.is_empty() => {
                out.push_str(&format!("    {key}: [\n"));
                for (j, item) in a.iter().enumerate() {
                    let sep = if j + 1 < a.len() { "," } else { "" };
                    out.push_str(&format!("        {item}{sep}\n"));
                }
                out.push_str("    ]");
            }
            Value::Object(o) if !o.is_empty() => {
                out.push_str(&format!("    {key}: {{\n"));
                for (j, (ik, iv)) in o.iter().enumerate() {
                    let sep = if j + 1 < o.len() { "," } else { "" };
                    out.push_str(&format!(
                        "        {}: {iv}{sep}\n",
                        Value::from(ik.as_str())
                    ));
                }
                out.push_str("    }");
            }
            other => out.push_str(&format!("    {key}: {other}")),
        }
        out.push_str(if i + 1 < n { ",\n" } else { "\n" });
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_the_messages_need() {
        let dir = std::env::temp_dir().join(format!("asf-apigen-subset-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.api.json");
        std::fs::write(
            &path,
            r#"{
            "types": [["pair", ["vl_api_ip4_t", "a"], ["u8", "b"]], ["unused", ["u8", "c"]]],
            "unions": [], "enums": [["e", ["E_A", 0]]], "enumflags": [],
            "aliases": {"ip4": {"type": "u8", "length": 4}, "other": {"type": "u32"}},
            "messages": [
                ["x_add", ["u16", "_vl_msg_id"], ["u32", "client_index"], ["u32", "context"], ["vl_api_pair_t", "p"], {"crc": "0x00000001"}],
                ["x_add_reply", ["u16", "_vl_msg_id"], ["u32", "context"], ["i32", "retval"], {"crc": "0x00000002"}],
                ["y_dump", ["u16", "_vl_msg_id"], ["u32", "client_index"], ["u32", "context"], {"crc": "0x00000003"}],
                ["y_details", ["u16", "_vl_msg_id"], ["u32", "context"], ["vl_api_e_t", "e"], {"crc": "0x00000004"}]
            ],
            "services": {"x_add": {"reply": "x_add_reply"}, "y_dump": {"reply": "y_details", "stream": true}},
            "options": {"version": "1.0.0"}, "vl_api_version": "0x12345678", "imports": []
        }"#,
        )
        .unwrap();
        let text = subset(&path, &["x_add", "nope"]).unwrap().unwrap();
        std::fs::write(&path, &text).unwrap();
        let f = ApiFile::read(&path).unwrap();
        let names: Vec<&str> = f.messages.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["x_add", "x_add_reply"]);
        let types: Vec<&str> = f.types.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(types, ["ip4", "pair"]);
        assert_eq!(f.file_crc, 0x1234_5678);
        assert_eq!(f.services.len(), 1);
        assert!(subset(&path, &["y_dump"]).unwrap().is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
