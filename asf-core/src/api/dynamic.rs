//! Encoding and decoding of any message of a [`Schema`] to and from
//! `serde_json::Value`, the reach of VPP's `vapi.api.<name>(**kwargs)`.
//! Omitted fields take their `default` from the schema, else zero.

use serde_json::{Map, Value};

use super::codec::{DecodeError, Reader, Writer};
use super::schema::{Base, Field, Len, Schema, TypeDef, MAX_DEPTH};

/// A value that does not fit its field, with the path to the field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct EncodeError {
    /// `message.field.subfield[3]`.
    pub path: String,
    /// What is wrong.
    pub problem: String,
}

fn err(path: &str, problem: impl Into<String>) -> EncodeError {
    EncodeError {
        path: path.to_string(),
        problem: problem.into(),
    }
}

/// Encoding and decoding by the loaded `.api.json` definitions.
pub trait Dynamic {
    /// Encodes message `name` from `args` (an object; header fields such as
    /// `_vl_msg_id`, `client_index` and `context` are ordinary fields).
    fn encode(&self, name: &str, args: &Value) -> Result<Vec<u8>, EncodeError>;
    /// Decodes message `name` into an object with every field.
    fn decode(&self, name: &str, body: &[u8]) -> Result<Value, DecodeError>;
    /// The name of an enum member with value `n`, or the set flag names of an
    /// enumflag, for readable assertion messages.
    fn enum_name(&self, ty: &str, n: i64) -> Option<String>;
}

impl Dynamic for Schema {
    fn encode(&self, name: &str, args: &Value) -> Result<Vec<u8>, EncodeError> {
        Dyn(self).encode(name, args)
    }
    fn decode(&self, name: &str, body: &[u8]) -> Result<Value, DecodeError> {
        Dyn(self).decode(name, body)
    }
    fn enum_name(&self, ty: &str, n: i64) -> Option<String> {
        Dyn(self).enum_name(ty, n)
    }
}

struct Dyn<'a>(&'a Schema);

impl Dyn<'_> {
    /// Encodes message `name` from `args` (an object; header fields such as
    /// `_vl_msg_id`, `client_index` and `context` are ordinary fields).
    fn encode(&self, name: &str, args: &Value) -> Result<Vec<u8>, EncodeError> {
        let msg = self
            .0
            .message(name)
            .ok_or_else(|| err(name, "no such message in the loaded .api.json files"))?;
        let mut w = Writer::new();
        self.encode_fields(&msg.fields, args, name, &mut w, 0)?;
        Ok(w.into_bytes())
    }

    /// Decodes message `name` into an object with every field.
    fn decode(&self, name: &str, body: &[u8]) -> Result<Value, DecodeError> {
        let msg = self.0.message(name).ok_or_else(|| {
            DecodeError(format!(
                "{name}: no such message in the loaded .api.json files"
            ))
        })?;
        let mut r = Reader::new(body);
        self.decode_fields(&msg.fields, &mut r, name, 0)
    }

    fn encode_fields(
        &self,
        fields: &[Field],
        args: &Value,
        path: &str,
        w: &mut Writer,
        depth: usize,
    ) -> Result<(), EncodeError> {
        let empty = Map::new();
        let obj = match args {
            Value::Object(o) => o,
            Value::Null => &empty,
            other => return Err(err(path, format!("expected an object, got {other}"))),
        };
        if let Some(unknown) = obj.keys().find(|k| !fields.iter().any(|f| &f.name == *k)) {
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            return Err(err(
                &format!("{path}.{unknown}"),
                format!("no such field; fields: {}", names.join(", ")),
            ));
        }
        for f in fields {
            let fpath = format!("{path}.{}", f.name);
            let given = obj.get(&f.name);
            // A count field left out takes the length of its array.
            let counted = fields
                .iter()
                .find(|o| o.len == Len::Counted(f.name.clone()));
            let value = match (given, counted) {
                (Some(v), _) => v.clone(),
                (None, Some(arr)) => Value::from(
                    obj.get(&arr.name)
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len),
                ),
                // A bool's default is C's: any non-zero number is true
                // (`bool enable [default=0xffffffff]` in l2.api).
                (None, None) => match &f.default {
                    Some(Value::Number(n)) if f.ty == "bool" => {
                        Value::Bool(n.as_f64().is_some_and(|x| x != 0.0))
                    }
                    d => d.clone().unwrap_or(Value::Null),
                },
            };
            let count = match &f.len {
                Len::Counted(c) => {
                    let n = obj.get(c.as_str()).map_or_else(
                        || Ok(value.as_array().map_or(0, Vec::len)),
                        |v| {
                            v.as_u64().map(|n| n as usize).ok_or_else(|| {
                                err(&fpath, format!("count field {c} is not a number"))
                            })
                        },
                    )?;
                    Some(n)
                }
                _ => None,
            };
            self.encode_field(f, &value, count, &fpath, w, depth)?;
        }
        Ok(())
    }

    fn encode_field(
        &self,
        f: &Field,
        v: &Value,
        count: Option<usize>,
        path: &str,
        w: &mut Writer,
        depth: usize,
    ) -> Result<(), EncodeError> {
        if f.ty == "string" {
            let s = match v {
                Value::Null => "",
                Value::String(s) => s.as_str(),
                other => return Err(err(path, format!("expected a string, got {other}"))),
            };
            match f.len {
                Len::Fixed(n) => {
                    if s.len() >= n {
                        return Err(err(
                            path,
                            format!("string of {} bytes does not fit in string[{n}]", s.len()),
                        ));
                    }
                    w.fixed_string(s, n);
                }
                _ => {
                    w.string(s);
                }
            }
            return Ok(());
        }
        match &f.len {
            Len::One => self.encode_value(&f.ty, v, path, w, depth),
            Len::Fixed(n) => self.encode_array(&f.ty, v, Some(*n), path, w, depth),
            Len::Rest => self.encode_array(&f.ty, v, None, path, w, depth),
            Len::Counted(_) => {
                let n = count.unwrap_or(0);
                let have = v.as_array().map_or(0, Vec::len);
                if have != n {
                    return Err(err(
                        path,
                        format!("count says {n} elements, the array has {have}"),
                    ));
                }
                self.encode_array(&f.ty, v, None, path, w, depth)
            }
        }
    }

    fn encode_array(
        &self,
        ty: &str,
        v: &Value,
        fixed: Option<usize>,
        path: &str,
        w: &mut Writer,
        depth: usize,
    ) -> Result<(), EncodeError> {
        let items: &[Value] = match v {
            Value::Null => &[],
            Value::Array(a) => a,
            other => return Err(err(path, format!("expected an array, got {other}"))),
        };
        if let Some(n) = fixed {
            if items.len() > n {
                return Err(err(
                    path,
                    format!("{} elements do not fit in [{n}]", items.len()),
                ));
            }
        }
        for (i, item) in items.iter().enumerate() {
            self.encode_value(ty, item, &format!("{path}[{i}]"), w, depth)?;
        }
        if let Some(n) = fixed {
            for i in items.len()..n {
                self.encode_value(ty, &Value::Null, &format!("{path}[{i}]"), w, depth)?;
            }
        }
        Ok(())
    }

    fn encode_value(
        &self,
        ty: &str,
        v: &Value,
        path: &str,
        w: &mut Writer,
        depth: usize,
    ) -> Result<(), EncodeError> {
        if depth > MAX_DEPTH {
            return Err(err(
                path,
                "types nest too deeply (a type refers to itself?)",
            ));
        }
        if let Some(b) = Base::parse(ty) {
            return encode_base(b, v, path, w);
        }
        match self.0.type_def(ty) {
            None => Err(err(path, format!("unknown type {ty}"))),
            Some(TypeDef::Enum { base, members, .. }) => {
                let n = match v {
                    Value::String(name) => members
                        .iter()
                        .find(|(m, _)| m == name)
                        .map(|(_, n)| Value::from(*n))
                        .ok_or_else(|| {
                            let names: Vec<&str> =
                                members.iter().map(|(m, _)| m.as_str()).collect();
                            err(
                                path,
                                format!(
                                    "{name} is not a member of {ty}; members: {}",
                                    names.join(", ")
                                ),
                            )
                        })?,
                    other => other.clone(),
                };
                encode_base(*base, &n, path, w)
            }
            Some(TypeDef::Alias {
                ty: target,
                length: None,
            }) => self.encode_value(target, v, path, w, depth + 1),
            Some(TypeDef::Alias {
                ty: target,
                length: Some(n),
            }) => self.encode_array(target, v, Some(*n), path, w, depth + 1),
            Some(TypeDef::Struct(fields)) => self.encode_fields(fields, v, path, w, depth + 1),
            Some(TypeDef::Union(arms)) => {
                let size = self.union_size(arms, path, depth)?;
                let mut sub = Writer::new();
                if let Value::Object(o) = v {
                    if o.len() > 1 {
                        return Err(err(path, "a union takes one arm"));
                    }
                    if let Some((k, val)) = o.iter().next() {
                        let arm = arms
                            .iter()
                            .find(|a| &a.name == k)
                            .ok_or_else(|| err(&format!("{path}.{k}"), "no such union arm"))?;
                        self.encode_field(
                            arm,
                            val,
                            None,
                            &format!("{path}.{k}"),
                            &mut sub,
                            depth + 1,
                        )?;
                    }
                } else if !v.is_null() {
                    return Err(err(
                        path,
                        format!("expected an object with one union arm, got {v}"),
                    ));
                }
                let mut bytes = sub.into_bytes();
                bytes.resize(size, 0);
                w.bytes(&bytes);
                Ok(())
            }
        }
    }

    fn union_size(&self, arms: &[Field], path: &str, depth: usize) -> Result<usize, EncodeError> {
        let mut max = 0;
        for a in arms {
            let s = self
                .0
                .fixed_size(&a.ty, &a.len, depth + 1)
                .ok_or_else(|| err(path, format!("union arm {} has no fixed size", a.name)))?;
            max = max.max(s);
        }
        Ok(max)
    }

    fn decode_fields(
        &self,
        fields: &[Field],
        r: &mut Reader,
        path: &str,
        depth: usize,
    ) -> Result<Value, DecodeError> {
        let mut out = Map::new();
        for f in fields {
            let fpath = format!("{path}.{}", f.name);
            let v = self.decode_field(f, &out, r, &fpath, depth)?;
            out.insert(f.name.clone(), v);
        }
        Ok(Value::Object(out))
    }

    fn decode_field(
        &self,
        f: &Field,
        seen: &Map<String, Value>,
        r: &mut Reader,
        path: &str,
        depth: usize,
    ) -> Result<Value, DecodeError> {
        let ctx = |e: DecodeError| DecodeError(format!("{path}: {}", e.0));
        if f.ty == "string" {
            return match f.len {
                Len::Fixed(n) => r.fixed_string(n).map(Value::from).map_err(ctx),
                _ => r.string().map(Value::from).map_err(ctx),
            };
        }
        match &f.len {
            Len::One => self.decode_value(&f.ty, r, path, depth),
            Len::Fixed(n) => self.decode_array(&f.ty, *n, r, path, depth),
            Len::Counted(c) => {
                let n = seen
                    .get(c.as_str())
                    .and_then(Value::as_u64)
                    .ok_or_else(|| {
                        DecodeError(format!("{path}: count field {c} missing or not a number"))
                    })?;
                self.decode_array(&f.ty, n as usize, r, path, depth)
            }
            Len::Rest => {
                let size = self
                    .0
                    .fixed_size(&f.ty, &Len::One, depth)
                    .filter(|s| *s > 0)
                    .ok_or_else(|| {
                        DecodeError(format!("{path}: element type {} has no fixed size", f.ty))
                    })?;
                self.decode_array(&f.ty, r.remaining() / size, r, path, depth)
            }
        }
    }

    fn decode_array(
        &self,
        ty: &str,
        n: usize,
        r: &mut Reader,
        path: &str,
        depth: usize,
    ) -> Result<Value, DecodeError> {
        // Refuse counts the remaining bytes cannot hold before allocating.
        let min = self.0.fixed_size(ty, &Len::One, depth).unwrap_or(1).max(1);
        if n.saturating_mul(min) > r.remaining() {
            return Err(DecodeError(format!(
                "{path}: {n} elements need more than the {} bytes left",
                r.remaining()
            )));
        }
        let mut items = Vec::with_capacity(n);
        for i in 0..n {
            items.push(self.decode_value(ty, r, &format!("{path}[{i}]"), depth)?);
        }
        Ok(Value::Array(items))
    }

    fn decode_value(
        &self,
        ty: &str,
        r: &mut Reader,
        path: &str,
        depth: usize,
    ) -> Result<Value, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError(format!("{path}: types nest too deeply")));
        }
        let ctx = |e: DecodeError| DecodeError(format!("{path}: {}", e.0));
        if let Some(b) = Base::parse(ty) {
            return decode_base(b, r).map_err(ctx);
        }
        match self.0.type_def(ty) {
            None => Err(DecodeError(format!("{path}: unknown type {ty}"))),
            Some(TypeDef::Enum { base, .. }) => decode_base(*base, r).map_err(ctx),
            Some(TypeDef::Alias {
                ty: target,
                length: None,
            }) => self.decode_value(target, r, path, depth + 1),
            Some(TypeDef::Alias {
                ty: target,
                length: Some(n),
            }) => self.decode_array(target, *n, r, path, depth + 1),
            Some(TypeDef::Struct(fields)) => self.decode_fields(fields, r, path, depth + 1),
            Some(TypeDef::Union(arms)) => {
                let size = self
                    .union_size(arms, path, depth)
                    .map_err(|e| DecodeError(e.to_string()))?;
                let raw = r.take(size).map_err(ctx)?;
                // The wire does not say which arm is in use: give every arm.
                let mut out = Map::new();
                for a in arms {
                    let mut sub = Reader::new(raw);
                    let v = self.decode_field(
                        a,
                        &Map::new(),
                        &mut sub,
                        &format!("{path}.{}", a.name),
                        depth + 1,
                    )?;
                    out.insert(a.name.clone(), v);
                }
                Ok(Value::Object(out))
            }
        }
    }

    /// The name of an enum member with value `n`, or the set flag names of an
    /// enumflag, for readable assertion messages.
    fn enum_name(&self, ty: &str, n: i64) -> Option<String> {
        match self.0.type_def(ty)? {
            TypeDef::Enum {
                members,
                flags: false,
                ..
            } => members
                .iter()
                .find(|(_, v)| *v == n)
                .map(|(m, _)| m.clone()),
            TypeDef::Enum {
                members,
                flags: true,
                ..
            } => {
                let set: Vec<&str> = members
                    .iter()
                    .filter(|(_, v)| *v != 0 && n & v == *v)
                    .map(|(m, _)| m.as_str())
                    .collect();
                Some(if set.is_empty() {
                    "0".into()
                } else {
                    set.join("|")
                })
            }
            _ => None,
        }
    }
}

fn encode_base(b: Base, v: &Value, path: &str, w: &mut Writer) -> Result<(), EncodeError> {
    let int = |lo: i128, hi: i128| -> Result<i128, EncodeError> {
        let n: i128 = match v {
            Value::Null => 0,
            Value::Bool(x) => i128::from(*x),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => i128::from(i),
                (None, Some(u)) => i128::from(u),
                _ => return Err(err(path, format!("{n} is not an integer"))),
            },
            Value::String(s) => s
                .parse::<i128>()
                .map_err(|_| err(path, format!("expected an integer, got {s:?}")))?,
            other => return Err(err(path, format!("expected an integer, got {other}"))),
        };
        if n < lo || n > hi {
            return Err(err(path, format!("{n} is out of range {lo}..={hi}")));
        }
        Ok(n)
    };
    match b {
        Base::U8 => {
            w.u8(int(0, u8::MAX.into())? as u8);
        }
        Base::I8 => {
            w.u8(int(i8::MIN.into(), i8::MAX.into())? as i8 as u8);
        }
        Base::U16 => {
            w.u16(int(0, u16::MAX.into())? as u16);
        }
        Base::I16 => {
            w.u16(int(i16::MIN.into(), i16::MAX.into())? as i16 as u16);
        }
        Base::U32 => {
            w.u32(int(0, u32::MAX.into())? as u32);
        }
        Base::I32 => {
            w.i32(int(i32::MIN.into(), i32::MAX.into())? as i32);
        }
        Base::U64 => {
            w.u64(int(0, u64::MAX.into())? as u64);
        }
        Base::I64 => {
            w.u64(int(i64::MIN.into(), i64::MAX.into())? as i64 as u64);
        }
        Base::Bool => {
            let x = match v {
                Value::Null => false,
                Value::Bool(x) => *x,
                Value::String(s) if s == "true" || s == "false" => s == "true",
                Value::Number(_) => int(0, 1)? == 1,
                other => return Err(err(path, format!("expected a bool, got {other}"))),
            };
            w.bool(x);
        }
        Base::F64 => {
            let x = match v {
                Value::Null => 0.0,
                Value::Number(n) => n.as_f64().unwrap_or(0.0),
                Value::String(s) => s
                    .parse()
                    .map_err(|_| err(path, format!("expected a number, got {s:?}")))?,
                other => return Err(err(path, format!("expected a number, got {other}"))),
            };
            w.f64(x);
        }
    }
    Ok(())
}

fn decode_base(b: Base, r: &mut Reader) -> Result<Value, DecodeError> {
    Ok(match b {
        Base::U8 => Value::from(r.u8()?),
        Base::I8 => Value::from(r.u8()? as i8),
        Base::U16 => Value::from(r.u16()?),
        Base::I16 => Value::from(r.u16()? as i16),
        Base::U32 => Value::from(r.u32()?),
        Base::I32 => Value::from(r.i32()?),
        Base::U64 => Value::from(r.u64()?),
        Base::I64 => Value::from(r.u64()? as i64),
        Base::Bool => Value::from(r.bool()?),
        Base::F64 => {
            let x = r.f64()?;
            serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    const SCHEMA: &str = r#"{
        "types": [
            ["thread_data", ["u32", "id"], ["string", "name", 64], ["string", "type", 64], ["u32", "pid"],
             ["u32", "cpu_id"], ["u32", "core"], ["u32", "cpu_socket"]],
            ["address", ["vl_api_address_family_t", "af"], ["vl_api_address_union_t", "un"]]
        ],
        "unions": [["address_union", ["vl_api_ip4_address_t", "ip4"], ["vl_api_ip6_address_t", "ip6"]]],
        "enums": [["address_family", ["ADDRESS_IP4", 0], ["ADDRESS_IP6", 1], {"enumtype": "u8"}]],
        "enumflags": [["if_status_flags", ["IF_STATUS_API_FLAG_ADMIN_UP", 1], ["IF_STATUS_API_FLAG_LINK_UP", 2]]],
        "aliases": {"ip4_address": {"type": "u8", "length": 4}, "ip6_address": {"type": "u8", "length": 16},
                    "interface_index": {"type": "u32"}, "timestamp": {"type": "f64"}},
        "messages": [
            ["sw_interface_dump", ["u16", "_vl_msg_id"], ["u32", "client_index"], ["u32", "context"],
             ["vl_api_interface_index_t", "sw_if_index", {"default": 4294967295}],
             ["bool", "name_filter_valid"], ["string", "name_filter", 0], {"crc": "0xaa610c27"}],
            ["show_threads_reply", ["u16", "_vl_msg_id"], ["u32", "context"], ["i32", "retval"], ["u32", "count"],
             ["vl_api_thread_data_t", "thread_data", 0, "count"], {"crc": "0xefd78e83"}],
            ["everything", ["u16", "_vl_msg_id"], ["i8", "a"], ["i16", "b"], ["i64", "c"], ["vl_api_timestamp_t", "t", {"default": 1.0}],
             ["vl_api_if_status_flags_t", "flags"], ["vl_api_address_t", "addr"], ["u16", "ports", 3],
             ["string", "tag", 8], ["u8", "rest", 0], {"crc": "0x01020304"}]
        ]
    }"#;

    fn schema() -> Schema {
        let mut s = Schema::new();
        s.add_json(SCHEMA, Path::new("test.api.json")).unwrap();
        s
    }

    #[test]
    fn sw_interface_dump_matches_the_wire_doc() {
        let s = schema();
        let bytes = s
            .encode(
                "sw_interface_dump",
                &json!({"_vl_msg_id": 0x3e8, "client_index": 0x8000_0001u32, "context": 9}),
            )
            .unwrap();
        assert_eq!(
            bytes,
            [0x03, 0xe8, 0x80, 0, 0, 1, 0, 0, 0, 9, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0]
        );
        let bytes = s
            .encode(
                "sw_interface_dump",
                &json!({"_vl_msg_id": 0x3e8, "client_index": 0x8000_0001u32, "context": 9, "name_filter_valid": true, "name_filter": "loop"}),
            )
            .unwrap();
        assert_eq!(&bytes[14..], [1, 0, 0, 0, 4, b'l', b'o', b'o', b'p']);
    }

    #[test]
    fn counted_arrays_round_trip_and_fill_their_count() {
        let s = schema();
        let v = json!({"_vl_msg_id": 34, "context": 7, "retval": 0, "thread_data": [
            {"id": 0, "name": "vpp_main", "type": "", "pid": 10, "cpu_id": 0, "core": 0, "cpu_socket": 0},
            {"id": 1, "name": "vpp_wk_0", "type": "workers", "pid": 11, "cpu_id": 1, "core": 1, "cpu_socket": 0}
        ]});
        let bytes = s.encode("show_threads_reply", &v).unwrap();
        assert_eq!(bytes.len(), 14 + 2 * 148);
        let back = s.decode("show_threads_reply", &bytes).unwrap();
        assert_eq!(back["count"], 2);
        assert_eq!(back["thread_data"][1]["name"], "vpp_wk_0");
        assert_eq!(back["thread_data"], v["thread_data"]);
    }

    #[test]
    fn every_kind_round_trips() {
        let s = schema();
        let v = json!({"_vl_msg_id": 1, "a": -3, "b": -300, "c": -5_000_000_000i64, "t": 2.5,
            "flags": 3, "addr": {"af": "ADDRESS_IP4", "un": {"ip4": [10, 0, 0, 1]}},
            "ports": [80, 443], "tag": "abc", "rest": [1, 2, 3]});
        let bytes = s.encode("everything", &v).unwrap();
        let back = s.decode("everything", &bytes).unwrap();
        assert_eq!(back["a"], -3);
        assert_eq!(back["b"], -300);
        assert_eq!(back["c"], -5_000_000_000i64);
        assert_eq!(back["t"], 2.5);
        assert_eq!(back["flags"], 3);
        assert_eq!(back["addr"]["af"], 0);
        assert_eq!(back["addr"]["un"]["ip4"], json!([10, 0, 0, 1]));
        assert_eq!(back["ports"], json!([80, 443, 0]));
        assert_eq!(back["tag"], "abc");
        assert_eq!(back["rest"], json!([1, 2, 3]));
        // Defaults: f64 default 1.0 when omitted.
        let d = s
            .decode("everything", &s.encode("everything", &json!({})).unwrap())
            .unwrap();
        assert_eq!(d["t"], 1.0);
        assert_eq!(
            s.enum_name("if_status_flags", 3).as_deref(),
            Some("IF_STATUS_API_FLAG_ADMIN_UP|IF_STATUS_API_FLAG_LINK_UP")
        );
        assert_eq!(
            s.enum_name("vl_api_address_family_t", 1).as_deref(),
            Some("ADDRESS_IP6")
        );
    }

    #[test]
    fn bad_values_name_the_field() {
        let s = schema();
        let cases = [
            (
                json!({"a": 200}),
                "everything.a: 200 is out of range -128..=127",
            ),
            (
                json!({"tag": "12345678"}),
                "everything.tag: string of 8 bytes does not fit in string[8]",
            ),
            (
                json!({"ports": [1, 2, 3, 4]}),
                "everything.ports: 4 elements do not fit in [3]",
            ),
            (
                json!({"addr": {"af": "ADDRESS_IPX"}}),
                "everything.addr.af: ADDRESS_IPX is not a member",
            ),
            (json!({"nope": 1}), "everything.nope: no such field"),
            (
                json!({"addr": {"un": {"ip4": [1], "ip6": [2]}}}),
                "a union takes one arm",
            ),
        ];
        for (v, expect) in cases {
            let e = s.encode("everything", &v).unwrap_err().to_string();
            assert!(e.contains(expect), "{v}: {e}");
        }
    }
}
