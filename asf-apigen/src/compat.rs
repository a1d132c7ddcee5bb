//! Which of a set of `.api.json` files' messages a VPP lacks, or has with
//! another CRC: what a user checks before running asf's tests against a VPP
//! release other than the one asf's files were taken from
//! (`asf-api-check <vpp>/share/vpp/api`).

use std::path::{Path, PathBuf};

use crate::schema::{api_files_under, ApiFile, Schema, SchemaError};

/// How one of our messages differs from the VPP's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Difference {
    /// None of the VPP's files defines it.
    Missing,
    /// The VPP's has another CRC (its fields or types changed).
    Changed {
        /// Our CRC.
        ours: String,
        /// The VPP's.
        theirs: String,
    },
}

/// One message of ours that the VPP does not have as we do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The message name.
    pub message: String,
    /// The file of ours that defines it.
    pub file: PathBuf,
    /// How it differs.
    pub difference: Difference,
}

/// The outcome of a comparison.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Messages of ours compared.
    pub checked: usize,
    /// Those the VPP lacks or has otherwise, in file and message order.
    pub mismatches: Vec<Mismatch>,
}

/// Compares every message of the `.api.json` files under `ours` with the
/// definitions of `theirs` (a VPP's files, [`Schema::load_dirs`]).
pub fn compare(ours: &[PathBuf], theirs: &Schema) -> Result<Report, SchemaError> {
    let mut report = Report::default();
    for dir in ours {
        for path in api_files_under(dir)? {
            let file = ApiFile::read(&path)?;
            for m in &file.messages {
                report.checked += 1;
                let difference = match theirs.message(&m.name) {
                    Some(t) if t.crc == m.crc => continue,
                    Some(t) => Difference::Changed {
                        ours: m.crc.clone(),
                        theirs: t.crc.clone(),
                    },
                    None => Difference::Missing,
                };
                report.mismatches.push(Mismatch {
                    message: m.name.clone(),
                    file: path.clone(),
                    difference,
                });
            }
        }
    }
    Ok(report)
}

impl Report {
    /// The report as text: one line per mismatch, `relative_to` taken off
    /// the file names, then a count.
    pub fn text(&self, relative_to: &Path) -> String {
        let mut out = String::new();
        let width = self
            .mismatches
            .iter()
            .map(|m| m.message.len())
            .max()
            .unwrap_or(0);
        for m in &self.mismatches {
            let file = m.file.strip_prefix(relative_to).unwrap_or(&m.file);
            let what = match &m.difference {
                Difference::Missing => "missing".to_string(),
                Difference::Changed { ours, theirs } => {
                    format!("changed: asf 0x{ours}, this VPP 0x{theirs}")
                }
            };
            out.push_str(&format!(
                "{:<width$}  {what}  ({})\n",
                m.message,
                file.display()
            ));
        }
        out.push_str(&format!(
            "{} of {} messages as asf has them; {} missing, {} changed\n",
            self.checked - self.mismatches.len(),
            self.checked,
            self.mismatches
                .iter()
                .filter(|m| m.difference == Difference::Missing)
                .count(),
            self.mismatches
                .iter()
                .filter(|m| matches!(m.difference, Difference::Changed { .. }))
                .count(),
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &Path, name: &str, messages: &[(&str, &str)]) {
        let msgs: Vec<String> = messages
            .iter()
            .map(|(n, crc)| {
                format!(r#"["{n}", ["u16", "_vl_msg_id"], ["u32", "context"], {{"crc": "{crc}"}}]"#)
            })
            .collect();
        let text = format!(
            r#"{{"types": [], "messages": [{}], "unions": [], "enums": [], "enumflags": [], "services": {{}}, "options": {{"version": "1.0.0"}}, "aliases": {{}}, "vl_api_version": "0x1", "imports": [], "counters": [], "paths": []}}"#,
            msgs.join(", ")
        );
        std::fs::write(dir.join(format!("{name}.api.json")), text).unwrap();
    }

    #[test]
    fn missing_and_changed_messages_are_named_with_their_file() {
        let tmp = std::env::temp_dir().join(format!("asf-compat-{}", std::process::id()));
        let (ours, vpp) = (tmp.join("ours"), tmp.join("vpp"));
        std::fs::create_dir_all(&ours).unwrap();
        std::fs::create_dir_all(&vpp).unwrap();
        file(
            &ours,
            "http_static",
            &[
                ("http_static_get", "0x11111111"),
                ("http_static_enable_v4", "0x22222222"),
            ],
        );
        file(&ours, "pg", &[("pg_create_interface_v3", "0x33333333")]);
        file(
            &vpp,
            "http_static",
            &[("http_static_enable_v4", "0x22222222")],
        );
        file(&vpp, "pg", &[("pg_create_interface_v3", "0x44444444")]);
        let theirs = Schema::load_dirs(std::slice::from_ref(&vpp)).unwrap();
        let r = compare(std::slice::from_ref(&ours), &theirs).unwrap();
        assert_eq!(r.checked, 3);
        assert_eq!(
            r.mismatches
                .iter()
                .map(|m| (m.message.as_str(), &m.difference))
                .collect::<Vec<_>>(),
            [
                ("http_static_get", &Difference::Missing),
                (
                    "pg_create_interface_v3",
                    &Difference::Changed {
                        ours: "33333333".into(),
                        theirs: "44444444".into()
                    }
                ),
            ]
        );
        let text = r.text(&tmp);
        assert!(
            text.contains("http_static_get         missing  (ours/http_static.api.json)"),
            "{text}"
        );
        assert!(
            text.contains("changed: asf 0x33333333, this VPP 0x44444444  (ours/pg.api.json)"),
            "{text}"
        );
        assert!(
            text.ends_with("1 of 3 messages as asf has them; 1 missing, 1 changed\n"),
            "{text}"
        );
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
