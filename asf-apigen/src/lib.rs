//! Typed Rust bindings for VPP's binary API, generated from the `.api.json`
//! files `vppapigen` writes, in the manner of `prost-build`: a build script
//! turns schema files into Rust source in `OUT_DIR`, and the crate includes
//! it.
//!
//! ```no_run
//! // build.rs
//! asf_apigen::Builder::new()
//!     .api_dir("api")
//!     .generate()
//!     .expect("generate the API bindings");
//! ```
//!
//! ```ignore
//! // src/lib.rs or a test
//! pub mod api {
//!     include!(concat!(env!("OUT_DIR"), "/vpp_api.rs"));
//! }
//! ```
//!
//! Each `.api.json` file becomes a module named after it (`interface`,
//! `lb`, ...) holding a struct per message and type, an enum per enum, a
//! bit set per flags type, the name and CRC of every message, and the
//! request/reply, dump/details, stream and event relations of its
//! `services`; asf's `ApiClient::request`, `dump`, `stream` and
//! `wait_for_event_typed` take them. The module [`schema`] is the one
//! reader of `.api.json` files, shared with asf's dynamic codec.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod codegen;
pub mod compat;
mod error;
mod names;
pub mod schema;
pub mod subset;

use std::path::{Path, PathBuf};

pub use error::Error;
pub use schema::SchemaError;

/// Configures and runs the generator.
#[derive(Clone, Debug)]
pub struct Builder {
    dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
    runtime: String,
    out_dir: Option<PathBuf>,
    out_file: String,
    json: bool,
    message_table: bool,
    tables_only: bool,
    rerun: bool,
    externs: Vec<(PathBuf, String)>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// A builder with no files, generating code for asf's runtime
    /// (`::asf_core::api`) into `$OUT_DIR/vpp_api.rs`. In the build script
    /// of a crate that depends on asf-vocab, the types the vocabulary
    /// generates (`Address`, `Prefix`, `MacAddress`, `IfStatusFlags`, ...)
    /// are used rather than generated again wherever a file defines them
    /// the same way, so values pass between the two and the vocabulary's
    /// helpers for them apply; likewise asf-core's own (asf-core and
    /// asf-vocab announce their API dirs as `DEP_ASF_CORE_API_DIR` and
    /// `DEP_ASF_VOCAB_API_DIR`). A crate that depends on asf-core alone
    /// generates the common types itself.
    pub fn new() -> Builder {
        let externs = [
            ("DEP_ASF_CORE_API_DIR", "::asf_core::api::vpp"),
            ("DEP_ASF_VOCAB_API_DIR", "::asf_vocab::api"),
        ]
        .into_iter()
        .filter_map(|(var, path)| {
            std::env::var_os(var).map(|d| (PathBuf::from(d), path.to_string()))
        })
        .collect();
        Builder {
            externs,
            dirs: Vec::new(),
            files: Vec::new(),
            runtime: "::asf_core::api".into(),
            out_dir: None,
            out_file: "vpp_api.rs".into(),
            json: false,
            message_table: false,
            tables_only: false,
            rerun: true,
        }
    }

    /// Generates a module for every `*.api.json` under `dir`, recursively.
    pub fn api_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.dirs.push(dir.as_ref().to_path_buf());
        self
    }

    /// Generates a module for one `.api.json` file.
    pub fn file(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.files.push(path.as_ref().to_path_buf());
        self
    }

    /// The path generated code reaches asf's runtime by (its `codec` and
    /// `message` modules): `::asf_core::api` unless set; asf-core itself
    /// uses `crate::api`.
    pub fn runtime(&mut self, path: &str) -> &mut Self {
        self.runtime = path.to_string();
        self
    }

    /// Uses the types of the `.api.json` files under `dir`, generated at
    /// `rust_path` (a path whose modules are named after the files), instead
    /// of generating a type again where a file defines it identically.
    pub fn extern_types(&mut self, dir: impl AsRef<Path>, rust_path: &str) -> &mut Self {
        self.externs
            .push((dir.as_ref().to_path_buf(), rust_path.to_string()));
        self
    }

    /// Generates every type, using none from elsewhere (not even asf-core's).
    pub fn no_extern_types(&mut self) -> &mut Self {
        self.externs.clear();
        self
    }

    /// Where to write (default: `$OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// The file name to write (default: `vpp_api.rs`).
    pub fn out_file(&mut self, name: &str) -> &mut Self {
        self.out_file = name.to_string();
        self
    }

    /// Also implement `ToJson` (the dynamic codec's shape of a value), for
    /// logs and for checking one codec against the other.
    pub fn json(&mut self, on: bool) -> &mut Self {
        self.json = on;
        self
    }

    /// Also emit `MESSAGE_TABLE` in every module: each message reachable
    /// by name, to decode, re-encode and compare (implies [`Builder::json`]).
    pub fn message_table(&mut self, on: bool) -> &mut Self {
        self.message_table = on;
        if on {
            self.json = true;
        }
        self
    }

    /// Emit only the module constants (name, version, file CRC, messages
    /// with their CRCs), no types: for code that speaks the protocol by
    /// other means, such as a stand-in VPP. Needs no runtime.
    pub fn tables_only(&mut self, on: bool) -> &mut Self {
        self.tables_only = on;
        self
    }

    /// Print `cargo:rerun-if-changed` for the inputs (default: on, when
    /// run from a build script).
    pub fn emit_rerun_if_changed(&mut self, on: bool) -> &mut Self {
        self.rerun = on;
        self
    }

    /// Reads the inputs and gives the generated source.
    pub fn generate_string(&self) -> Result<String, Error> {
        let mut paths = self.files.clone();
        for d in &self.dirs {
            paths.extend(schema::api_files_under(d)?);
        }
        if paths.is_empty() {
            let mut looked = self.dirs.clone();
            looked.extend(self.files.iter().cloned());
            return Err(Error::NoFiles(looked));
        }
        let mut files = Vec::with_capacity(paths.len());
        for p in &paths {
            files.push(schema::ApiFile::read(p)?);
        }
        files.sort_by(|a, b| a.module.cmp(&b.module));
        for w in files.windows(2) {
            if w[0].module == w[1].module {
                return Err(Error::DuplicateModule {
                    module: w[0].module.clone(),
                    first: w[0].path.clone(),
                    second: w[1].path.clone(),
                });
            }
        }
        let mut externs = std::collections::HashMap::new();
        for (dir, path) in &self.externs {
            let mut ext = Vec::new();
            for f in schema::api_files_under(dir)? {
                ext.push(schema::ApiFile::read(&f)?);
            }
            let index: std::collections::HashMap<&str, usize> = ext
                .iter()
                .enumerate()
                .map(|(i, f)| (f.module.as_str(), i))
                .collect();
            for (i, f) in ext.iter().enumerate() {
                for (name, def) in &f.types {
                    let owner = codegen::owner(&ext, &index, i, name, 0);
                    let module = format!("{path}::{}", names::field(&ext[owner].module));
                    externs
                        .entry(name.clone())
                        .or_insert_with(|| (module, def.clone()));
                }
            }
        }
        codegen::generate(
            &files,
            &codegen::Options {
                externs,
                runtime: self.runtime.clone(),
                json: self.json,
                message_table: self.message_table,
                tables_only: self.tables_only,
            },
        )
    }

    /// Generates, writes `<out_dir>/<out_file>` and gives its path. From a
    /// build script it also tells cargo to run again when an input changes.
    pub fn generate(&self) -> Result<PathBuf, Error> {
        let code = self.generate_string()?;
        let dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(Error::NoOutDir)?,
        };
        let path = dir.join(&self.out_file);
        // Leave an unchanged file alone: its timestamp drives rebuilds.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(code.as_str()) {
            std::fs::write(&path, code).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        }
        if self.rerun && std::env::var_os("CARGO_MANIFEST_DIR").is_some() {
            for p in self.dirs.iter().chain(&self.files) {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        }
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("asf-apigen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn every_kind_generates_and_names_what_it_made() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../asf-core/fuzz/seeds/api_json");
        let code = Builder::new()
            .no_extern_types()
            .file(seeds.join("every-kind.api.json"))
            .generate_string()
            .unwrap();
        for item in [
            "pub mod every_kind {",
            "pub struct AllKinds {",
            "pub q: ::std::vec::Vec<Pair>,",
            "pub o: ::asf_core::api::message::FixedString<16>,",
            "pub r: ::std::string::String,",
            "pub enum Color {",
            "Unknown(u16),",
            "pub struct Perm(pub u8);",
            "pub const R: Self = Self(1);",
            "pub struct Either(pub [u8; 6]);",
            "pub fn from_word(v: &u32) -> Self {",
            "pub type Mac = [u8; 6];",
            "const CRC: &'static str = \"12345678\";",
            "const HEADER: ::asf_core::api::message::Header = ::asf_core::api::message::Header::None;",
        ] {
            assert!(code.contains(item), "no {item:?} in:\n{code}");
        }
        assert!(
            !code.contains("pub count:"),
            "the count is written from q's length"
        );
    }

    #[test]
    fn what_cannot_be_generated_is_an_error_naming_the_file_and_the_definition() {
        let d = scratch("errors");
        let cases = [
            (
                r#"{"messages": [["m", ["u16", "_vl_msg_id"], ["vl_api_nope_t", "x"], {"crc": "0x00000001"}]]}"#,
                "unknown type vl_api_nope_t",
            ),
            (
                r#"{"unions": [["u", ["string", "s", 0]]], "messages": []}"#,
                "union u: arm s has no fixed size",
            ),
            (
                r#"{"enums": [["e", ["E_BIG", 300], {"enumtype": "u8"}]], "messages": []}"#,
                "enum e.E_BIG: 300 is out of range",
            ),
            (
                r#"{"messages": [["m", ["u16", "_vl_msg_id"], ["u32", "x", 0, "n"], ["u8", "n"], {"crc": "0x00000001"}]]}"#,
                "count field n comes after the array",
            ),
        ];
        for (i, (text, expect)) in cases.iter().enumerate() {
            let f = write(&d, &format!("bad{i}.api.json"), text);
            let e = Builder::new()
                .no_extern_types()
                .file(&f)
                .generate_string()
                .unwrap_err()
                .to_string();
            assert!(
                e.contains(expect) && e.contains(&format!("bad{i}.api.json")),
                "{e}"
            );
        }
        let a = write(&d.join("a"), "x.api.json", r#"{"messages": []}"#);
        let b = write(&d.join("b"), "x.api.json", r#"{"messages": []}"#);
        let e = Builder::new()
            .file(&a)
            .file(&b)
            .generate_string()
            .unwrap_err();
        assert!(e.to_string().contains("module x is given twice"), "{e}");
        let e = Builder::new()
            .api_dir(d.join("none"))
            .generate_string()
            .unwrap_err();
        assert!(e.to_string().contains("cannot read"), "{e}");
        let e = Builder::new().generate_string().unwrap_err();
        assert!(e.to_string().contains("no .api.json files"), "{e}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn types_defined_elsewhere_identically_are_used_not_generated() {
        let d = scratch("extern");
        let theirs = write(
            &d.join("theirs"),
            "base.api.json",
            r#"{"aliases": {"mac": {"type": "u8", "length": 6}, "idx": {"type": "u32"}}, "messages": []}"#,
        );
        let _ = theirs;
        let mine = write(
            &d.join("mine"),
            "p.api.json",
            r#"{"aliases": {"mac": {"type": "u8", "length": 6}, "idx": {"type": "u16"}},
                "messages": [["p", ["u16", "_vl_msg_id"], ["vl_api_mac_t", "m"], ["vl_api_idx_t", "i"], {"crc": "0x00000001"}]]}"#,
        );
        let code = Builder::new()
            .no_extern_types()
            .extern_types(d.join("theirs"), "::dep::api")
            .file(&mine)
            .generate_string()
            .unwrap();
        assert!(code.contains("pub use ::dep::api::base::Mac;"), "{code}");
        assert!(
            code.contains("pub type Idx = u16;"),
            "a different idx is generated: {code}"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
