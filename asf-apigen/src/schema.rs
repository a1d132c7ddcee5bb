//! The `.api.json` files VPP's `vppapigen` writes: messages, typedefs,
//! unions, enums, aliases and services. [`ApiFile`] is one file as written
//! (its definitions in order, its imports, version and comments), what the
//! code generator reads; [`Schema`] merges files into one registry, what
//! asf's dynamic codec reads at run time.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// An `.api.json` file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// A file or directory could not be read.
    #[error("cannot read {path:?}")]
    Read {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A file is not JSON.
    #[error("{path:?} is not valid JSON")]
    Json {
        /// The file.
        path: PathBuf,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// A file is JSON but not a valid API definition.
    #[error("{path:?}: {what}")]
    Bad {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        what: String,
    },
}

/// Nesting limit for user types (a self-referencing schema is an error).
pub const MAX_DEPTH: usize = 32;

/// A base type of the API language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// `u8`
    U8,
    /// `i8`
    I8,
    /// `u16`
    U16,
    /// `i16`
    I16,
    /// `u32`
    U32,
    /// `i32`
    I32,
    /// `u64`
    U64,
    /// `i64`
    I64,
    /// `f64` (little-endian on the wire)
    F64,
    /// `bool`
    Bool,
}

impl Base {
    /// Parses a base type name.
    pub fn parse(s: &str) -> Option<Base> {
        Some(match s {
            "u8" => Base::U8,
            "i8" => Base::I8,
            "u16" => Base::U16,
            "i16" => Base::I16,
            "u32" => Base::U32,
            "i32" => Base::I32,
            "u64" => Base::U64,
            "i64" => Base::I64,
            "f64" => Base::F64,
            "bool" => Base::Bool,
            _ => return None,
        })
    }

    /// Wire size in bytes.
    pub fn size(self) -> usize {
        match self {
            Base::U8 | Base::I8 | Base::Bool => 1,
            Base::U16 | Base::I16 => 2,
            Base::U32 | Base::I32 => 4,
            Base::U64 | Base::I64 | Base::F64 => 8,
        }
    }
}

/// How many elements a field holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Len {
    /// A single value.
    One,
    /// `T name[N]`, N > 0 (for `string`: a fixed N-byte string).
    Fixed(usize),
    /// `T name[0]`: the rest of the message (for `string`: u32 length + bytes).
    Rest,
    /// `T name[count_field]`.
    Counted(String),
}

/// A field of a message, typedef or union.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Field name.
    pub name: String,
    /// Type name as written (`u32`, `string`, `vl_api_mac_address_t`).
    pub ty: String,
    /// Element count.
    pub len: Len,
    /// `{"default": ...}`, the value used when the caller omits the field.
    pub default: Option<Value>,
}

/// A user type.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeDef {
    /// `enum` / `enumflag`.
    Enum {
        /// The integer type on the wire (default u32).
        base: Base,
        /// Members and values.
        members: Vec<(String, i64)>,
        /// `enumflag`: values are bit masks.
        flags: bool,
    },
    /// `typedef <type> name[length]`.
    Alias {
        /// The aliased type.
        ty: String,
        /// Array length, if an array.
        length: Option<usize>,
    },
    /// `typedef { ... }`.
    Struct(Vec<Field>),
    /// `union { ... }`.
    Union(Vec<Field>),
}

/// A message definition.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageDef {
    /// Name.
    pub name: String,
    /// CRC, 8 lowercase hex digits.
    pub crc: String,
    /// Fields, `_vl_msg_id` first.
    pub fields: Vec<Field>,
    /// The doc comment vppapigen kept (`/** \\brief ... */`), if any.
    pub comment: Option<String>,
}

/// A `services` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Service {
    /// The reply message (None: no reply is ever sent).
    pub reply: Option<String>,
    /// A multi-part result.
    pub stream: bool,
    /// Details message of a cursor stream.
    pub stream_msg: Option<String>,
    /// Events the request subscribes to.
    pub events: Vec<String>,
}

/// One `.api.json` file, its definitions in the order it gives them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApiFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The module name: the file name without `.api.json` (`interface`).
    pub module: String,
    /// The modules it imports (`vnet/ip/ip_types.api` gives `ip_types`).
    pub imports: Vec<String>,
    /// `option version = "x.y.z"`, (0, 0, 0) when absent.
    pub version: (u32, u32, u32),
    /// `vl_api_version`: the CRC of the whole file, for `get_first_msg_id`.
    pub file_crc: u32,
    /// Enums, flags, aliases, typedefs and unions, imported ones included
    /// (vppapigen copies every type a file uses into it).
    pub types: Vec<(String, TypeDef)>,
    /// Messages in definition order (the order VPP numbers them in).
    pub messages: Vec<MessageDef>,
    /// `services`, in file order.
    pub services: Vec<(String, Service)>,
}

impl ApiFile {
    /// Reads and parses one file.
    pub fn read(path: &Path) -> Result<ApiFile, SchemaError> {
        let text = std::fs::read_to_string(path).map_err(|source| SchemaError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        ApiFile::parse(&text, path)
    }

    /// Parses the text of one file; `origin` names it in errors and gives
    /// the module name.
    pub fn parse(text: &str, origin: &Path) -> Result<ApiFile, SchemaError> {
        let bad = |what: String| SchemaError::Bad {
            path: origin.to_path_buf(),
            what,
        };
        let root: Value = serde_json::from_str(text).map_err(|e| SchemaError::Json {
            path: origin.to_path_buf(),
            source: e,
        })?;
        let obj = root
            .as_object()
            .ok_or_else(|| bad("the top level is not an object".into()))?;
        let file_name = origin
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut f = ApiFile {
            path: origin.to_path_buf(),
            module: file_name
                .strip_suffix(".api.json")
                .unwrap_or(&file_name)
                .to_string(),
            ..ApiFile::default()
        };
        for i in list(obj, "imports").map_err(&bad)? {
            let i = i
                .as_str()
                .ok_or_else(|| bad(format!("imports: {i} is not a string")))?;
            let base = i.rsplit('/').next().unwrap_or(i);
            f.imports
                .push(base.strip_suffix(".api").unwrap_or(base).to_string());
        }
        if let Some(v) = obj
            .get("options")
            .and_then(|o| o.get("version"))
            .and_then(Value::as_str)
        {
            let mut parts = v.split('.').map(|p| p.parse::<u32>());
            let mut next = || -> Result<u32, SchemaError> {
                parts
                    .next()
                    .unwrap_or(Ok(0))
                    .map_err(|_| bad(format!("options.version {v:?} is not x.y.z")))
            };
            f.version = (next()?, next()?, next()?);
        }
        if let Some(v) = obj.get("vl_api_version") {
            let text = v
                .as_str()
                .ok_or_else(|| bad("vl_api_version is not a string".into()))?;
            f.file_crc = u32::from_str_radix(text.trim_start_matches("0x"), 16)
                .map_err(|_| bad(format!("vl_api_version {text:?} is not a hex number")))?;
        }

        for (key, flags) in [("enums", false), ("enumflags", true)] {
            for e in list(obj, key).map_err(&bad)? {
                let (name, def) = parse_enum(e, flags).map_err(|w| bad(format!("{key}: {w}")))?;
                f.types.push((name, def));
            }
        }
        if let Some(aliases) = obj.get("aliases") {
            let aliases = aliases
                .as_object()
                .ok_or_else(|| bad("aliases is not an object".into()))?;
            for (name, a) in aliases {
                let ty = a
                    .get("type")
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad(format!("aliases.{name}: no \"type\"")))?;
                let length =
                    match a.get("length") {
                        None => None,
                        Some(l) => Some(l.as_u64().ok_or_else(|| {
                            bad(format!("aliases.{name}.length is not an integer"))
                        })? as usize),
                    };
                f.types.push((
                    name.clone(),
                    TypeDef::Alias {
                        ty: ty.to_string(),
                        length,
                    },
                ));
            }
        }
        for (key, union) in [("types", false), ("unions", true)] {
            for t in list(obj, key).map_err(&bad)? {
                let (name, fields, _) = parse_fields(t).map_err(|w| bad(format!("{key}: {w}")))?;
                let def = if union {
                    TypeDef::Union(fields)
                } else {
                    TypeDef::Struct(fields)
                };
                f.types.push((name, def));
            }
        }
        for m in list(obj, "messages").map_err(&bad)? {
            let (name, fields, meta) =
                parse_fields(m).map_err(|w| bad(format!("messages: {w}")))?;
            let crc = meta
                .and_then(|m| m.get("crc"))
                .and_then(Value::as_str)
                .ok_or_else(|| bad(format!("messages.{name}: no \"crc\"")))?;
            let crc = crc.trim_start_matches("0x").to_lowercase();
            if crc.len() != 8 || !crc.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad(format!(
                    "messages.{name}: crc {crc:?} is not 8 hex digits"
                )));
            }
            let comment = meta
                .and_then(|m| m.get("comment"))
                .and_then(Value::as_str)
                .map(str::to_string);
            f.messages.push(MessageDef {
                name,
                crc,
                fields,
                comment,
            });
        }
        if let Some(services) = obj.get("services") {
            let services = services
                .as_object()
                .ok_or_else(|| bad("services is not an object".into()))?;
            for (req, s) in services {
                let reply = s
                    .get("reply")
                    .and_then(Value::as_str)
                    .filter(|r| *r != "null")
                    .map(str::to_string);
                f.services.push((
                    req.clone(),
                    Service {
                        reply,
                        stream: s.get("stream").and_then(Value::as_bool).unwrap_or(false),
                        stream_msg: s
                            .get("stream_msg")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        events: s
                            .get("events")
                            .and_then(Value::as_array)
                            .map(|a| {
                                a.iter()
                                    .filter_map(Value::as_str)
                                    .map(str::to_string)
                                    .collect()
                            })
                            .unwrap_or_default(),
                    },
                ));
            }
        }
        // vppapigen can copy a type in twice (from two imports): keep one.
        let mut seen = std::collections::HashSet::new();
        f.types.retain(|(n, _)| seen.insert(n.clone()));
        Ok(f)
    }

    /// A type this file defines or copies, by bare name or `vl_api_<name>_t`.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        let bare = bare_type_name(name);
        self.types.iter().find(|(n, _)| n == bare).map(|(_, t)| t)
    }
}

/// `vl_api_mac_address_t` → `mac_address`; other names unchanged.
pub fn bare_type_name(name: &str) -> &str {
    name.strip_prefix("vl_api_")
        .and_then(|n| n.strip_suffix("_t"))
        .unwrap_or(name)
}

/// Every `*.api.json` under `dir`, recursively, sorted.
pub fn api_files_under(dir: &Path) -> Result<Vec<PathBuf>, SchemaError> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    Ok(files)
}

/// Every definition of the loaded files.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    types: HashMap<String, TypeDef>,
    messages: HashMap<String, MessageDef>,
    services: HashMap<String, Service>,
    files: Vec<PathBuf>,
}

impl Schema {
    /// An empty registry.
    pub fn new() -> Schema {
        Schema::default()
    }

    /// Loads every `*.api.json` under `dirs`, recursively, in sorted order.
    pub fn load_dirs(dirs: &[PathBuf]) -> Result<Schema, SchemaError> {
        let mut s = Schema::new();
        s.add_dirs(dirs)?;
        Ok(s)
    }

    /// Adds every `*.api.json` under `dirs`; later definitions replace
    /// earlier ones of the same name.
    pub fn add_dirs(&mut self, dirs: &[PathBuf]) -> Result<(), SchemaError> {
        let mut files = Vec::new();
        for d in dirs {
            collect(d, &mut files)?;
        }
        files.sort();
        for f in files {
            self.add_file(ApiFile::read(&f)?);
        }
        Ok(())
    }

    /// The files loaded.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Number of messages known.
    pub fn message_count(&self) -> usize {
        self.messages.len()
    }

    /// A message by name.
    pub fn message(&self, name: &str) -> Option<&MessageDef> {
        self.messages.get(name)
    }

    /// Every message, in no particular order.
    pub fn messages(&self) -> impl Iterator<Item = &MessageDef> {
        self.messages.values()
    }

    /// A user type by its bare name (`mac_address`) or reference (`vl_api_mac_address_t`).
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(bare_type_name(name))
    }

    /// The service entry of a request, or the one vppapigen would synthesise.
    pub fn service(&self, request: &str) -> Service {
        if let Some(s) = self.services.get(request) {
            return s.clone();
        }
        implied_service(request)
    }

    /// Adds the definitions of one file (its text); `origin` names it in errors.
    pub fn add_json(&mut self, text: &str, origin: &Path) -> Result<(), SchemaError> {
        self.add_file(ApiFile::parse(text, origin)?);
        Ok(())
    }

    /// Adds the definitions of a parsed file.
    pub fn add_file(&mut self, f: ApiFile) {
        self.types.extend(f.types);
        for m in f.messages {
            self.messages.insert(m.name.clone(), m);
        }
        self.services.extend(f.services);
        self.files.push(f.path);
    }

    /// Wire size of a fixed-size type (None for variable-length ones).
    pub fn fixed_size(&self, ty: &str, len: &Len, depth: usize) -> Option<usize> {
        fixed_size(&|n| self.type_def(n), ty, len, depth)
    }
}

/// The service VPP's naming rules give a request with no `services` entry:
/// `X_dump` streams `X_details`, anything else answers with `X_reply`.
pub fn implied_service(request: &str) -> Service {
    match request.strip_suffix("_dump") {
        Some(base) => Service {
            reply: Some(format!("{base}_details")),
            stream: true,
            ..Service::default()
        },
        None => Service {
            reply: Some(format!("{request}_reply")),
            ..Service::default()
        },
    }
}

/// Wire size of `ty` (with element count `len`) when it is fixed, looking
/// user types up with `lookup`; None for variable-length types, unknown
/// types and types nested deeper than `MAX_DEPTH`.
pub fn fixed_size<'a>(
    lookup: &dyn Fn(&str) -> Option<&'a TypeDef>,
    ty: &str,
    len: &Len,
    depth: usize,
) -> Option<usize> {
    if depth > MAX_DEPTH {
        return None;
    }
    let one = if ty == "string" {
        return match len {
            Len::Fixed(n) => Some(*n),
            _ => None,
        };
    } else if let Some(b) = Base::parse(ty) {
        b.size()
    } else {
        match lookup(ty)? {
            TypeDef::Enum { base, .. } => base.size(),
            TypeDef::Alias { ty, length } => {
                let l = length.map_or(Len::One, Len::Fixed);
                fixed_size(lookup, ty, &l, depth + 1)?
            }
            TypeDef::Struct(fields) => {
                let mut total = 0;
                for f in fields {
                    total += fixed_size(lookup, &f.ty, &f.len, depth + 1)?;
                }
                total
            }
            TypeDef::Union(arms) => {
                let mut max = 0;
                for a in arms {
                    max = max.max(fixed_size(lookup, &a.ty, &a.len, depth + 1)?);
                }
                max
            }
        }
    };
    match len {
        Len::One => Some(one),
        Len::Fixed(n) => one.checked_mul(*n),
        Len::Rest | Len::Counted(_) => None,
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), SchemaError> {
    let entries = std::fs::read_dir(dir).map_err(|source| SchemaError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    for e in entries.flatten() {
        let p = e.path();
        let ft = e.file_type().map_err(|source| SchemaError::Read {
            path: p.clone(),
            source,
        })?;
        if ft.is_dir() {
            collect(&p, out)?;
        } else if p.to_string_lossy().ends_with(".api.json") {
            out.push(p);
        }
    }
    Ok(())
}

fn list<'a>(obj: &'a serde_json::Map<String, Value>, key: &str) -> Result<&'a [Value], String> {
    match obj.get(key) {
        None => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(format!("{key} is not an array")),
    }
}

fn parse_enum(e: &Value, flags: bool) -> Result<(String, TypeDef), String> {
    let items = e.as_array().ok_or("an entry is not an array")?;
    let name = items
        .first()
        .and_then(Value::as_str)
        .ok_or("an entry has no name")?
        .to_string();
    let mut base = Base::U32;
    let mut members = Vec::new();
    for it in &items[1..] {
        match it {
            Value::Array(pair) => {
                let m = pair
                    .first()
                    .and_then(Value::as_str)
                    .ok_or(format!("{name}: member without a name"))?;
                let v = pair
                    .get(1)
                    .and_then(Value::as_i64)
                    .ok_or(format!("{name}.{m}: value is not an integer"))?;
                members.push((m.to_string(), v));
            }
            Value::Object(o) => {
                if let Some(t) = o.get("enumtype").and_then(Value::as_str) {
                    base = Base::parse(t)
                        .ok_or(format!("{name}: enumtype {t:?} is not a base type"))?;
                }
            }
            _ => return Err(format!("{name}: unexpected element {it}")),
        }
    }
    Ok((
        name,
        TypeDef::Enum {
            base,
            members,
            flags,
        },
    ))
}

type Parsed<'a> = (
    String,
    Vec<Field>,
    Option<&'a serde_json::Map<String, Value>>,
);

fn parse_fields(t: &Value) -> Result<Parsed<'_>, String> {
    let items = t.as_array().ok_or("an entry is not an array")?;
    let name = items
        .first()
        .and_then(Value::as_str)
        .ok_or("an entry has no name")?
        .to_string();
    let mut fields = Vec::new();
    let mut meta = None;
    for it in &items[1..] {
        match it {
            Value::Array(f) => fields.push(parse_field(f).map_err(|w| format!("{name}: {w}"))?),
            Value::Object(o) => meta = Some(o),
            _ => return Err(format!("{name}: unexpected element {it}")),
        }
    }
    Ok((name, fields, meta))
}

fn parse_field(f: &[Value]) -> Result<Field, String> {
    let ty = f
        .first()
        .and_then(Value::as_str)
        .ok_or("a field has no type")?
        .to_string();
    let name = f
        .get(1)
        .and_then(Value::as_str)
        .ok_or(format!("a field of type {ty} has no name"))?
        .to_string();
    let mut len = Len::One;
    let mut default = None;
    let mut rest = f[2..].iter();
    for v in rest.by_ref() {
        match v {
            Value::Number(n) => {
                let n = n
                    .as_u64()
                    .ok_or(format!("{name}: length {n} is not a non-negative integer"))?;
                len = if n == 0 {
                    Len::Rest
                } else {
                    Len::Fixed(n as usize)
                };
            }
            Value::String(count) => {
                if len != Len::Rest {
                    return Err(format!("{name}: count field {count:?} without length 0"));
                }
                len = Len::Counted(count.clone());
            }
            Value::Object(o) => default = o.get("default").cloned(),
            other => return Err(format!("{name}: unexpected {other}")),
        }
    }
    Ok(Field {
        name,
        ty,
        len,
        default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTERFACE: &str = r#"{
        "types": [["address", ["u8", "af"], ["vl_api_address_union_t", "un"]]],
        "unions": [["address_union", ["u8", "ip4", 4], ["u8", "ip6", 16]]],
        "enums": [["if_type", ["IF_API_TYPE_HARDWARE", 0], ["IF_API_TYPE_SUB", 1], {"enumtype": "u32"}]],
        "enumflags": [["if_status_flags", ["IF_STATUS_API_FLAG_ADMIN_UP", 1], ["IF_STATUS_API_FLAG_LINK_UP", 2], {"enumtype": "u32"}]],
        "aliases": {"interface_index": {"type": "u32"}, "mac_address": {"type": "u8", "length": 6}},
        "messages": [
            ["sw_interface_dump", ["u16", "_vl_msg_id"], ["u32", "client_index"], ["u32", "context"],
             ["vl_api_interface_index_t", "sw_if_index", {"default": 4294967295}],
             ["bool", "name_filter_valid"], ["string", "name_filter", 0], {"crc": "0xaa610c27", "options": {}}],
            ["show_threads_reply", ["u16", "_vl_msg_id"], ["u32", "context"], ["i32", "retval"], ["u32", "count"],
             ["vl_api_thread_data_t", "thread_data", 0, "count"], {"crc": "0xefd78e83"}]
        ],
        "services": {"want_interface_events": {"reply": "want_interface_events_reply", "events": ["sw_interface_event"]}},
        "options": {"version": "3.2.5"}, "vl_api_version": "0x98d849f6", "future_key": 1
    }"#;

    #[test]
    fn parses_every_element_kind() {
        let mut s = Schema::new();
        s.add_json(INTERFACE, Path::new("interface.api.json"))
            .unwrap();
        let m = s.message("sw_interface_dump").unwrap();
        assert_eq!(m.crc, "aa610c27");
        assert_eq!(m.fields[3].default, Some(serde_json::json!(4294967295u32)));
        assert_eq!(m.fields[5].len, Len::Rest);
        assert_eq!(
            s.message("show_threads_reply").unwrap().fields[4].len,
            Len::Counted("count".into())
        );
        assert!(matches!(
            s.type_def("vl_api_mac_address_t"),
            Some(TypeDef::Alias {
                length: Some(6),
                ..
            })
        ));
        assert!(matches!(
            s.type_def("if_status_flags"),
            Some(TypeDef::Enum { flags: true, .. })
        ));
        assert!(
            matches!(s.type_def("address_union"), Some(TypeDef::Union(arms)) if arms.len() == 2)
        );
        assert_eq!(
            s.service("want_interface_events").events,
            ["sw_interface_event"]
        );
        assert_eq!(
            s.service("sw_interface_dump").reply.as_deref(),
            Some("sw_interface_details")
        );
        assert!(s.service("sw_interface_dump").stream);
        assert_eq!(
            s.service("create_loopback").reply.as_deref(),
            Some("create_loopback_reply")
        );
    }

    fn chain(e: &dyn std::error::Error) -> String {
        let mut s = e.to_string();
        let mut cur = e.source();
        while let Some(src) = cur {
            s.push_str(": ");
            s.push_str(&src.to_string());
            cur = src.source();
        }
        s
    }

    #[test]
    fn bad_files_name_the_file_and_the_element() {
        let cases = [
            ("[1]", "the top level is not an object"),
            (
                r#"{"messages": [["m", ["u16"]]]}"#,
                "messages: m: a field of type u16 has no name",
            ),
            (
                r#"{"messages": [["m", ["u16", "_vl_msg_id"]]]}"#,
                "messages.m: no \"crc\"",
            ),
            (
                r#"{"messages": [["m", ["u16", "_vl_msg_id"], {"crc": "0x12"}]]}"#,
                "not 8 hex digits",
            ),
            (
                r#"{"enums": [["e", ["A", "x"]]]}"#,
                "enums: e.A: value is not an integer",
            ),
            (r#"{"aliases": {"a": {}}}"#, "aliases.a: no \"type\""),
            ("{", "EOF"),
        ];
        for (text, expect) in cases {
            let err = Schema::new()
                .add_json(text, Path::new("/x/bad.api.json"))
                .unwrap_err();
            let msg = chain(&err);
            assert!(
                msg.contains("/x/bad.api.json") && msg.contains(expect),
                "{text}: {msg}"
            );
        }
    }
}
