//! The VPP startup command line, built as VPP's own test framework builds it
//! (`setUpConstants` in `test/asf/asfframework.py`): one argv element per
//! token, no shell.

use std::path::{Path, PathBuf};

/// Everything the command line depends on.
#[derive(Clone, Debug, Default)]
pub struct Startup {
    /// The class temp dir (names the API segment).
    pub tempdir: PathBuf,
    /// VPP's runtime dir, where it makes its sockets: the class's
    /// [`runtime_link`] to its temp dir.
    pub runtime_dir: PathBuf,
    /// CPUs: main core first, then one per worker.
    pub cpus: Vec<usize>,
    /// `unix { coredump-size ... }`.
    pub coredump_size: String,
    /// `node { default { variant X 100 } }`.
    pub variant: Option<String>,
    /// `api-fuzz { on }`.
    pub api_fuzz: bool,
    /// `plugins { add-path ... }` for external plugins.
    pub extern_plugins: Vec<PathBuf>,
    /// Adds `cli-listen localhost:5002` for interactive debugging.
    pub debug_cli: bool,
    /// `memory { main-heap-size ... }`.
    pub heap_size: Option<String>,
    /// Class extras inside `statseg { }`.
    pub statseg_config: Vec<String>,
    /// Class extras inside `plugins { }`.
    pub plugin_config: Vec<String>,
    /// Class extras after all stanzas.
    pub vpp_config: Vec<String>,
    /// Only these plugins (`plugin default { disable }` plus each enabled).
    pub plugins: Option<Vec<String>>,
    /// `unix { poll-sleep-usec N }`: the main thread sleeps between idle
    /// polls (set when the class's helpers share VPP's CPUs).
    pub poll_sleep_usec: Option<u32>,
}

/// Path of the binary API socket in VPP's runtime dir.
pub fn api_sock(runtime_dir: &Path) -> PathBuf {
    runtime_dir.join("api.sock")
}

/// Path of the stats socket in VPP's runtime dir.
pub fn stats_sock(runtime_dir: &Path) -> PathBuf {
    runtime_dir.join("stats.sock")
}

/// The short name a class's VPP knows its temp dir by: `/tmp/asf-<hash of
/// the temp dir>`, a symlink to it (see [`link_runtime_dir`]).
///
/// A Unix socket's path holds at most 107 bytes, and VPP puts its sockets
/// (`api.sock`, `stats.sock`, `cli.sock`, `app_ns_sockets/<namespace>`)
/// under its runtime dir: under a class temp dir of a long `ASF_TMP_DIR`
/// (a CI workspace) they would not fit. Through the link they always do,
/// while the sockets, the core file (VPP runs in its runtime dir) and
/// everything else stay in the class temp dir, where a user finds them.
pub fn runtime_link(tempdir: &Path) -> PathBuf {
    PathBuf::from(format!(
        "/tmp/asf-{:012x}",
        fnv1a(tempdir.as_os_str().as_encoded_bytes()) & 0xffff_ffff_ffff
    ))
}

/// Makes the class's [`runtime_link`] point at `tempdir`, replacing what an
/// earlier run of the class left there; returns the link. Something at
/// that path that is not a symlink, or one another user owns (`/tmp` is
/// sticky), is an error naming it, never followed nor removed.
pub fn link_runtime_dir(tempdir: &Path) -> std::io::Result<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let link = runtime_link(tempdir);
    let named = |e: std::io::Error, what: &str| {
        std::io::Error::new(e.kind(), format!("{what} {}: {e}", link.display()))
    };
    match std::fs::symlink_metadata(&link) {
        Ok(m) if m.file_type().is_symlink() && m.uid() == nix::unistd::geteuid().as_raw() => {
            std::fs::remove_file(&link).map_err(|e| named(e, "cannot replace"))?;
        }
        Ok(_) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "{} exists and is not a symlink of this user's: remove it (a class's runtime dir link)",
                    link.display()
                ),
            ))
        }
        Err(_) => {}
    }
    std::os::unix::fs::symlink(tempdir, &link).map_err(|e| named(e, "cannot make"))?;
    Ok(link)
}

/// Removes the class's [`runtime_link`] if it points at `tempdir` (and is
/// so this run's or an earlier run's of the same class).
pub fn unlink_runtime_dir(tempdir: &Path) {
    let link = runtime_link(tempdir);
    if std::fs::read_link(&link).is_ok_and(|to| to == tempdir) {
        if let Err(e) = std::fs::remove_file(&link) {
            tracing::warn!("cannot remove {}: {e}", link.display());
        }
    }
}

/// FNV-1a: stable across runs and Rust versions.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The prefix of VPP's shared-memory API segment (`api-segment { prefix }`,
/// the names of its `/dev/shm` files): the class temp dir's name, as VPP's
/// framework names it, plus a hash of the temp base, so two runs with
/// different temp bases never share (or remove) each other's files.
pub fn api_prefix(tempdir: &Path) -> String {
    let name = tempdir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = tempdir
        .parent()
        .map(|p| p.as_os_str().as_encoded_bytes().to_vec())
        .unwrap_or_default();
    format!("{name}-{:08x}", fnv1a(&base) as u32)
}

/// The `/dev/shm` files VPP creates for its API segment: `<prefix>-global_vm`,
/// `<prefix>-vpe-api` and any other `<prefix>-<name>`.
pub fn api_segment_files(tempdir: &Path) -> Vec<PathBuf> {
    let want = format!("{}-", api_prefix(tempdir));
    let Ok(dir) = std::fs::read_dir("/dev/shm") else {
        return Vec::new();
    };
    dir.flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_prefix(&want))
                .is_some_and(|rest| !rest.is_empty() && !rest.contains(['.', '/']))
        })
        .map(|e| e.path())
        .collect()
}

/// Removes the `/dev/shm` files of the API segment of the class VPP whose
/// temp dir is `tempdir` (left by a VPP that was killed); returns them.
pub fn remove_api_segment_files(tempdir: &Path) -> Vec<PathBuf> {
    let files = api_segment_files(tempdir);
    for f in &files {
        match std::fs::remove_file(f) {
            Ok(()) => tracing::info!("removed {}", f.display()),
            Err(e) => tracing::warn!("cannot remove {}: {e}", f.display()),
        }
    }
    files
}

/// Path of the CLI socket in VPP's runtime dir.
pub fn cli_sock(runtime_dir: &Path) -> PathBuf {
    runtime_dir.join("cli.sock")
}

impl Startup {
    /// The arguments after the binary name.
    pub fn argv(&self) -> Vec<String> {
        let t = |s: &str| s.to_string();
        let p = |p: PathBuf| p.display().to_string();
        let mut v: Vec<String> = vec![t("unix"), t("{"), t("nodaemon"), t("nosyslog")];
        if self.debug_cli {
            v.extend([t("cli-listen"), t("localhost:5002")]);
        }
        v.push(t("full-coredump"));
        v.extend([t("coredump-size"), self.coredump_size.clone()]);
        v.extend([t("runtime-dir"), p(self.runtime_dir.clone())]);
        v.extend([t("cli-listen"), p(cli_sock(&self.runtime_dir))]);
        if let Some(us) = self.poll_sleep_usec {
            v.extend([t("poll-sleep-usec"), us.to_string()]);
        }
        v.push(t("}"));
        v.extend(["api-trace", "{", "on", "}"].map(t));
        v.extend([
            t("api-segment"),
            t("{"),
            t("prefix"),
            api_prefix(&self.tempdir),
            t("}"),
        ]);
        v.extend([
            t("cpu"),
            t("{"),
            t("main-core"),
            self.cpus.first().copied().unwrap_or(0).to_string(),
        ]);
        if self.cpus.len() > 1 {
            let workers: Vec<String> = self.cpus[1..].iter().map(ToString::to_string).collect();
            v.extend([t("corelist-workers"), workers.join(",")]);
        }
        v.push(t("}"));
        if let Some(heap) = &self.heap_size {
            v.extend([
                t("memory"),
                t("{"),
                t("main-heap-size"),
                heap.clone(),
                t("}"),
            ]);
        }
        v.extend(["physmem", "{", "max-size", "32m", "}"].map(t));
        v.extend([
            t("statseg"),
            t("{"),
            t("socket-name"),
            p(stats_sock(&self.runtime_dir)),
        ]);
        v.extend(self.statseg_config.iter().cloned());
        v.push(t("}"));
        v.extend([
            t("socksvr"),
            t("{"),
            t("socket-name"),
            p(api_sock(&self.runtime_dir)),
            t("}"),
        ]);
        v.extend([t("node"), t("{")]);
        if let Some(variant) = &self.variant {
            v.extend([
                t("default"),
                t("{"),
                t("variant"),
                variant.clone(),
                t("100"),
                t("}"),
            ]);
        }
        v.push(t("}"));
        // `api-fuzz` belongs to the unittest plugin: without it VPP refuses the stanza.
        let unittest = self
            .plugins
            .as_ref()
            .is_none_or(|p| p.iter().any(|x| x == "unittest_plugin.so"));
        if unittest {
            v.extend([
                t("api-fuzz"),
                t("{"),
                t(if self.api_fuzz { "on" } else { "off" }),
                t("}"),
            ]);
        }
        v.extend([t("plugins"), t("{")]);
        if let Some(only) = &self.plugins {
            v.extend(["plugin", "default", "{", "disable", "}"].map(t));
            for plugin in only {
                v.extend([t("plugin"), plugin.clone(), t("{"), t("enable"), t("}")]);
            }
        }
        let standard: &[(&str, &str)] = if self.plugins.is_some() {
            &[]
        } else {
            &[
                ("dpdk_plugin.so", "disable"),
                ("rdma_plugin.so", "disable"),
                ("lisp_unittest_plugin.so", "enable"),
                ("unittest_plugin.so", "enable"),
                ("auto_sdl_unittest_plugin.so", "enable"),
            ]
        };
        for &(plugin, state) in standard {
            v.extend([t("plugin"), t(plugin), t("{"), t(state), t("}")]);
        }
        v.extend(self.plugin_config.iter().cloned());
        if !self.extern_plugins.is_empty() {
            let paths: Vec<String> = self
                .extern_plugins
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            v.extend([t("add-path"), paths.join(":")]);
        }
        v.push(t("}"));
        v.extend(self.vpp_config.iter().cloned());
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv_is_pinned() {
        let s = Startup {
            tempdir: PathBuf::from("/tmp/vpp-unittest-suites.basic.test_x"),
            runtime_dir: PathBuf::from("/tmp/asf-0123456789ab"),
            cpus: vec![0, 1, 2],
            coredump_size: "unlimited".into(),
            variant: Some("skx".into()),
            api_fuzz: false,
            extern_plugins: vec![PathBuf::from("/ext/a"), PathBuf::from("/ext/b")],
            debug_cli: false,
            heap_size: Some("1G".into()),
            plugins: None,
            poll_sleep_usec: None,
            statseg_config: vec!["per-node-counters".into(), "on".into()],
            plugin_config: vec![
                "plugin".into(),
                "nat_plugin.so".into(),
                "{".into(),
                "enable".into(),
                "}".into(),
            ],
            vpp_config: vec![
                "nat".into(),
                "{".into(),
                "endpoint-dependent".into(),
                "}".into(),
            ],
        };
        let expected = "unix { nodaemon nosyslog full-coredump coredump-size unlimited \
            runtime-dir /tmp/asf-0123456789ab \
            cli-listen /tmp/asf-0123456789ab/cli.sock } \
            api-trace { on } api-segment { prefix vpp-unittest-suites.basic.test_x-PREFIXHASH } \
            cpu { main-core 0 corelist-workers 1,2 } memory { main-heap-size 1G } \
            physmem { max-size 32m } \
            statseg { socket-name /tmp/asf-0123456789ab/stats.sock per-node-counters on } \
            socksvr { socket-name /tmp/asf-0123456789ab/api.sock } \
            node { default { variant skx 100 } } api-fuzz { off } \
            plugins { plugin dpdk_plugin.so { disable } plugin rdma_plugin.so { disable } \
            plugin lisp_unittest_plugin.so { enable } plugin unittest_plugin.so { enable } \
            plugin auto_sdl_unittest_plugin.so { enable } plugin nat_plugin.so { enable } \
            add-path /ext/a:/ext/b } nat { endpoint-dependent }";
        let argv = s.argv();
        let expected = expected.replace(
            "PREFIXHASH",
            api_prefix(&s.tempdir).rsplit('-').next().unwrap(),
        );
        assert_eq!(argv.join(" "), expected);
        assert!(
            argv.iter().all(|a| !a.is_empty() && !a.contains(' ')),
            "one token per element: {argv:?}"
        );
    }

    #[test]
    fn a_plugin_list_disables_the_rest() {
        let s = Startup {
            tempdir: PathBuf::from("/t/c"),
            cpus: vec![0],
            coredump_size: "unlimited".into(),
            plugins: Some(vec!["acl_plugin.so".into()]),
            ..Startup::default()
        };
        let line = s.argv().join(" ");
        assert!(
            line.contains("plugins { plugin default { disable } plugin acl_plugin.so { enable } }"),
            "{line}"
        );
        assert!(
            !line.contains("api-fuzz"),
            "the unittest plugin's stanza goes with it: {line}"
        );
        assert!(!line.contains("dpdk_plugin.so"), "{line}");
    }

    #[test]
    fn minimal_argv_has_no_optional_stanzas() {
        let s = Startup {
            runtime_dir: PathBuf::from("/t/c"),
            cpus: vec![3],
            coredump_size: "4g".into(),
            debug_cli: true,
            ..Startup::default()
        };
        let line = s.argv().join(" ");
        assert!(line.starts_with("unix { nodaemon nosyslog cli-listen localhost:5002 full-coredump coredump-size 4g runtime-dir /t/c"));
        assert!(line.contains("cpu { main-core 3 }"));
        assert!(line.contains("node { } api-fuzz { off }"));
        assert!(!line.contains("memory") && !line.contains("add-path"));
    }

    #[test]
    fn poll_sleep_goes_into_unix() {
        let s = Startup {
            runtime_dir: PathBuf::from("/tmp/x"),
            cpus: vec![0],
            coredump_size: "unlimited".into(),
            poll_sleep_usec: Some(100),
            ..Startup::default()
        };
        let line = s.argv().join(" ");
        assert!(
            line.starts_with("unix { nodaemon nosyslog full-coredump coredump-size unlimited runtime-dir /tmp/x cli-listen /tmp/x/cli.sock poll-sleep-usec 100 }"),
            "{line}"
        );
    }

    #[test]
    fn the_runtime_link_is_short_and_replaces_only_a_link_of_its_own() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().to_path_buf();
        let long = base.join("d".repeat(150));
        std::fs::create_dir(&long).unwrap();
        let link = runtime_link(&long);
        assert_eq!(link.as_os_str().len(), "/tmp/asf-".len() + 12);
        assert_ne!(link, runtime_link(&base), "one link per temp dir");
        // Room for the longest socket VPP makes there, with a namespace id
        // of 64 bytes (the API's limit).
        assert!(
            link.join("app_ns_sockets")
                .join("n".repeat(64))
                .as_os_str()
                .len()
                <= 107
        );
        // A stale link of an earlier run is replaced; the sockets made
        // through it are in the temp dir.
        std::os::unix::fs::symlink("/nonexistent", &link).unwrap();
        assert_eq!(link_runtime_dir(&long).unwrap(), link);
        assert_eq!(std::fs::read_link(&link).unwrap(), long);
        let sock = std::os::unix::net::UnixListener::bind(api_sock(&link)).unwrap();
        assert!(long.join("api.sock").exists());
        drop(sock);
        unlink_runtime_dir(&base); // not its link: kept
        assert!(std::fs::symlink_metadata(&link).is_ok());
        unlink_runtime_dir(&long);
        assert!(std::fs::symlink_metadata(&link).is_err());
        // Something else in its place is named, not removed.
        std::fs::create_dir(&link).unwrap();
        let e = link_runtime_dir(&long).unwrap_err().to_string();
        assert!(
            e.contains(&link.display().to_string()) && e.contains("not a symlink"),
            "{e}"
        );
        assert!(link.is_dir());
        std::fs::remove_dir(&link).unwrap();
    }

    #[test]
    fn api_prefixes_differ_by_temp_base_and_files_match_only_their_own() {
        let a = api_prefix(Path::new("/tmp/a/vpp-unittest-x.y"));
        let b = api_prefix(Path::new("/tmp/b/vpp-unittest-x.y"));
        assert!(a.starts_with("vpp-unittest-x.y-") && b.starts_with("vpp-unittest-x.y-"));
        assert_ne!(a, b);
        assert_eq!(a, api_prefix(Path::new("/tmp/a/vpp-unittest-x.y")));
        // Files of another class whose name extends this one's are not ours.
        let dir = Path::new("/tmp/c/vpp-unittest-x.y");
        let mine = format!("/dev/shm/{}-global_vm", api_prefix(dir));
        let other = format!(
            "/dev/shm/{}-global_vm",
            api_prefix(Path::new("/tmp/c/vpp-unittest-x.y.z"))
        );
        std::fs::write(&mine, b"").unwrap();
        std::fs::write(&other, b"").unwrap();
        assert_eq!(remove_api_segment_files(dir), vec![PathBuf::from(&mine)]);
        assert!(!Path::new(&mine).exists() && Path::new(&other).exists());
        std::fs::remove_file(&other).unwrap();
    }
}
