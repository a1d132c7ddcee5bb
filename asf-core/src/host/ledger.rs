//! The record of the host objects a class created (`host-objects.txt` in
//! its temp dir), written before each object is made, so that whoever
//! outlives a failure can remove them: the test's tear-down, the class's,
//! the parent when the class process died, the next run after a SIGKILL.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::errors::HostError;

/// The record's file name in the class temp dir.
pub const FILE: &str = "host-objects.txt";

/// What kind of host object a line names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A network namespace (`ip netns del`).
    Netns,
    /// A network interface in the root namespace (`ip link del`).
    Link,
}

/// Until when an object lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Removed at the tear-down of the test that made it.
    Test,
    /// Removed at the end of the class.
    Class,
}

fn path(tempdir: &Path) -> PathBuf {
    tempdir.join(FILE)
}

/// Appends an object to the record, before it is created.
pub fn record(tempdir: &Path, scope: Scope, kind: Kind, name: &str) -> Result<(), HostError> {
    if name.is_empty() || name.contains(char::is_whitespace) || name.contains('/') {
        return Err(HostError::Invalid(format!(
            "host object name {name:?}: no spaces or slashes"
        )));
    }
    let p = path(tempdir);
    let err = |source| HostError::Ledger {
        path: p.clone(),
        source,
    };
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .open(&p)
        .map_err(err)?;
    let scope = match scope {
        Scope::Test => "test",
        Scope::Class => "class",
    };
    let kind = match kind {
        Kind::Netns => "netns",
        Kind::Link => "link",
    };
    writeln!(f, "{scope} {kind} {name}").map_err(err)
}

/// Removes the recorded objects, newest first: those of `Scope::Test` only,
/// or (with `Scope::Class`) all of them. Objects already gone are fine.
/// Returns what could not be removed; the record keeps those.
pub fn remove(tempdir: &Path, scope: Scope) -> Vec<String> {
    let p = path(tempdir);
    let Ok(text) = fs::read_to_string(&p) else {
        return Vec::new();
    };
    let mut kept: Vec<&str> = Vec::new();
    let mut problems = Vec::new();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    for line in lines.iter().rev() {
        let mut words = line.split_whitespace();
        let (Some(s), Some(kind), Some(name), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            problems.push(format!("bad line in {}: {line:?}", p.display()));
            continue;
        };
        if scope == Scope::Test && s != "test" {
            kept.push(line);
            continue;
        }
        if let Err(e) = remove_one(kind, name) {
            let mut message = e.to_string();
            let mut cur = std::error::Error::source(&e);
            while let Some(src) = cur {
                message.push_str(&format!(": {src}"));
                cur = src.source();
            }
            problems.push(message);
            kept.push(line);
        }
    }
    kept.reverse();
    let rest: String = kept.iter().map(|l| format!("{l}\n")).collect();
    let written = if rest.is_empty() {
        fs::remove_file(&p)
    } else {
        fs::write(&p, rest)
    };
    if let Err(e) = written {
        problems.push(format!("cannot update {}: {e}", p.display()));
    }
    problems
}

fn remove_one(kind: &str, name: &str) -> Result<(), HostError> {
    match kind {
        "netns" => {
            if Path::new("/run/netns").join(name).exists() {
                super::cmd::ip(&["netns", "del", name])?;
                tracing::info!("removed network namespace {name}");
            }
            Ok(())
        }
        "link" => {
            if super::cmd::link_exists(name) {
                super::cmd::ip(&["link", "del", "dev", name])?;
                tracing::info!("removed interface {name}");
            }
            Ok(())
        }
        other => Err(HostError::Invalid(format!(
            "unknown host object kind {other:?} for {name}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_scope_removal_keeps_class_objects_and_bad_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        // Names that exist nowhere: removal is a no-op, the lines go.
        record(dir.path(), Scope::Class, Kind::Netns, "asf-nonexistent-c").unwrap();
        record(dir.path(), Scope::Test, Kind::Link, "asfnonexist0").unwrap();
        assert!(record(dir.path(), Scope::Test, Kind::Link, "a b").is_err());
        assert!(record(dir.path(), Scope::Test, Kind::Link, "../x").is_err());
        assert_eq!(remove(dir.path(), Scope::Test), Vec::<String>::new());
        let left = fs::read_to_string(path(dir.path())).unwrap();
        assert_eq!(left, "class netns asf-nonexistent-c\n");
        assert_eq!(remove(dir.path(), Scope::Class), Vec::<String>::new());
        assert!(!path(dir.path()).exists());
    }
}
