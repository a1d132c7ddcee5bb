//! Run configuration from the environment, read once and validated: which
//! VPP to test, where temp dirs go, and the knobs of VPP's own framework.
//!
//! This module is the only one that reads the environment. The parent
//! reads [`Settings`] first (listing needs the tag filters, not a VPP), then
//! [`Config`] with them; a class process reads its `Config` once at start,
//! from the environment it inherited; everything below is passed the values.
//! Two reads are elsewhere by design: the class process's plan
//! (`ASF_CHILD_PLAN`, in `runner::parent::main`) and `PATH`
//! ([`search_path`]), which programs are looked up on.

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::errors::ConfigError;
use asf_tags::Tag;

/// Every environment variable asf reads, with a one-line meaning (README table).
pub const ENV_VARS: &[(&str, &str)] = &[
    ("VPP_BIN", "the vpp binary to test"),
    (
        "WS_ROOT",
        "a VPP workspace; the binary is build-root/install-$TAG-native/vpp/bin/vpp",
    ),
    (
        "TAG",
        "the build of the workspace: vpp (release) or vpp_debug (default)",
    ),
    (
        "VPP_EXTRA_CMAKE_ARGS",
        "VPP's cmake args; -DVPP_ENABLE_SANITIZE_ADDR=ON marks an ASan build",
    ),
    (
        "EXTERN_PLUGINS",
        "colon-separated extra plugin dirs (plugins { add-path ... })",
    ),
    (
        "VPP_WORKER_COUNT",
        "workers for classes that do not set `workers` (default 0)",
    ),
    (
        "MAX_VPP_CPUS",
        "cap on the CPUs asf uses: auto (default) or a positive integer",
    ),
    (
        "ASF_CPU_CLAIMS",
        "dir where runs on this machine claim cores (default /run/lock/asf), or off",
    ),
    (
        "VARIANT",
        "node variant for node { default { variant X 100 } }",
    ),
    ("API_FUZZ", "api-fuzz { on|off } (default off)"),
    (
        "COREDUMP_SIZE",
        "unix { coredump-size ... }: unlimited (default) or a size like 4g",
    ),
    (
        "ASF_TMP_DIR",
        "base of the per-class temp dirs (default $TMPDIR or /tmp)",
    ),
    (
        "ASF_KEEP_TMP",
        "yes: keep the temp dirs of classes that passed (default no: only failed classes keep theirs)",
    ),
    (
        "ASF_START_TIMEOUT",
        "seconds VPP may take to become ready (default 60)",
    ),
    (
        "ASF_TAG",
        "comma-separated tags: run only tests carrying one of them (like --tag)",
    ),
    (
        "ASF_SKIP_TAG",
        "comma-separated tags: skip tests carrying any of them (like --skip-tag)",
    ),
    (
        "ASF_OS_RELEASE",
        "os-release file the distro tags read (default /etc/os-release)",
    ),
];

/// Where the VPP under test came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VppSource {
    /// `VPP_BIN`.
    Bin,
    /// `WS_ROOT` + `TAG`.
    Workspace,
    /// The bundled stand-in.
    Stand,
    /// None: `DEBUG=attach` uses a VPP that is already running.
    Attached,
}

/// `DEBUG` / `STEP`: how a developer debugs a class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Debug {
    /// `DEBUG=gdb`: print VPP's pid and wait, to attach gdb.
    Gdb,
    /// `DEBUG=gdbserver`: VPP starts under gdbserver.
    GdbServer,
    /// `DEBUG=attach`: use a VPP that is already running.
    Attach,
    /// `DEBUG=core`: load a core file in gdb after a crash.
    Core,
    /// `STEP=yes`: pause before each test.
    Step,
}

/// The settings that do not depend on the VPP under test, so that they
/// can be read before one is found (listing tests needs the tag filters,
/// not a VPP): read from the environment once, with [`Config`] or alone.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `ASF_TAG`.
    pub tags: Vec<Tag>,
    /// `ASF_SKIP_TAG`.
    pub skip_tags: Vec<Tag>,
    /// `NO_COLOR` is set (and not empty).
    pub no_color: bool,
    /// `DEBUG` / `STEP`.
    pub debug: Option<Debug>,
    /// `RND_SEED`, as given.
    pub rnd_seed: Option<String>,
    /// `ASF_VPP_MEMORY_MB`: memory one VPP takes, for the memory slots.
    pub vpp_memory_mb: u64,
    /// `VPP_SOCKET_DIR`: the runtime dir of the VPP `DEBUG=attach` uses.
    pub vpp_socket_dir: PathBuf,
    /// Where VPP's build keeps its test programs: `VPP_BUILD_DIR`, or
    /// `WS_ROOT/build-root/build-$TAG-native`.
    pub vpp_build_dir: Option<PathBuf>,
    /// `NEXTEST_RUN_ID` is set: cargo-nextest runs this process, and a
    /// test that skips says so in its output (nextest counts it as passed).
    pub under_nextest: bool,
}

impl Settings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Settings, ConfigError> {
        Settings::from(&ProcessEnv)
    }

    /// Reads the settings from `env`; a bad value names the valid ones.
    pub fn from(env: &dyn Env) -> Result<Settings, ConfigError> {
        let debug = match env.get("DEBUG").as_deref() {
            None => None,
            Some("gdb" | "gdb-all") => Some(Debug::Gdb),
            Some("gdbserver" | "gdbserver-all") => Some(Debug::GdbServer),
            Some("attach") => Some(Debug::Attach),
            Some("core") => Some(Debug::Core),
            Some(v) => return Err(bad("DEBUG", v, "one of gdb, gdbserver, attach, core")),
        };
        let step = matches!(
            env.get("STEP").as_deref(),
            Some("1" | "yes" | "true" | "on")
        );
        let vpp_memory_mb = match env.get("ASF_VPP_MEMORY_MB") {
            None => 300,
            Some(v) => match v.parse::<u64>() {
                Ok(n) if n > 0 => n,
                _ => return Err(bad("ASF_VPP_MEMORY_MB", &v, "a positive number of MB")),
            },
        };
        let vpp_build_dir = env.get("VPP_BUILD_DIR").map(PathBuf::from).or_else(|| {
            let ws = env.get("WS_ROOT")?;
            let tag = env.get("TAG").unwrap_or_else(|| "vpp_debug".into());
            Some(PathBuf::from(ws).join(format!("build-root/build-{tag}-native")))
        });
        Ok(Settings {
            tags: tag_list(env, "ASF_TAG")?,
            skip_tags: tag_list(env, "ASF_SKIP_TAG")?,
            no_color: env.get("NO_COLOR").is_some(),
            debug: debug.or(step.then_some(Debug::Step)),
            rnd_seed: env.get("RND_SEED"),
            vpp_memory_mb,
            vpp_socket_dir: env
                .get("VPP_SOCKET_DIR")
                .map_or_else(|| PathBuf::from("/run/vpp"), PathBuf::from),
            vpp_build_dir,
            under_nextest: env.get("NEXTEST_RUN_ID").is_some(),
        })
    }
}

/// The directories of `PATH`, where programs are looked for. The one read
/// of the environment outside [`Settings`] and [`Config`]: `PATH` is the
/// process's own (the programs it starts find theirs the same way).
pub fn search_path() -> Vec<PathBuf> {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default()
}

/// The validated configuration of a run.
#[derive(Clone, Debug)]
pub struct Config {
    /// The VPP binary.
    pub vpp_bin: PathBuf,
    /// How it was found.
    pub vpp_source: VppSource,
    /// `TAG`, if set (or implied by `WS_ROOT`).
    pub tag: Option<String>,
    /// `VPP_EXTRA_CMAKE_ARGS`.
    pub extra_cmake_args: String,
    /// `EXTERN_PLUGINS`.
    pub extern_plugins: Vec<PathBuf>,
    /// Dirs of `.api.json` files of the VPP under test (`ASF_API_DIR`, else
    /// its install tree's `share/vpp/api`), empty when none exists: the
    /// definitions then come from VPP itself (`get_api_json`).
    pub api_dirs: Vec<PathBuf>,
    /// `EXTERN_APIDIR`: extra `.api.json` dirs, always added.
    pub extern_api_dirs: Vec<PathBuf>,
    /// `VPP_WORKER_COUNT`.
    pub default_workers: u32,
    /// `MAX_VPP_CPUS` (None = auto).
    pub max_vpp_cpus: Option<usize>,
    /// `USE_SMT`: siblings count as cores.
    pub use_smt: bool,
    /// Where runs on this machine claim the cores they give a class
    /// (`ASF_CPU_CLAIMS`: a directory, or `off`; by default `/run/lock/asf`,
    /// or `asf-locks` in the system temp dir without `/run/lock`), so that
    /// several runs at once (cargo-nextest's test processes, two users)
    /// never put two VPPs on one core. None when off.
    pub cpu_claims: Option<PathBuf>,
    /// `VARIANT`.
    pub variant: Option<String>,
    /// `API_FUZZ` is on.
    pub api_fuzz: bool,
    /// `COREDUMP_SIZE` (`unlimited` or a size).
    pub coredump_size: String,
    /// Base of the class temp dirs.
    pub tmp_dir: PathBuf,
    /// How long VPP may take to become ready.
    pub start_timeout: Duration,
    /// The settings that do not depend on the VPP (tags, debugging, ...).
    pub settings: Settings,
    /// The os-release file.
    pub os_release: PathBuf,
    /// `ASF_KEEP_TMP`: keep the temp dirs of classes that passed.
    pub keep_tmp: bool,
    /// `COMPRESS_CORE=1` (or `--compress-core`): compress VPP's core file
    /// after its backtrace.
    pub compress_core: bool,
}

/// Reads one variable from a lookup function (the environment in real runs).
pub trait Env {
    /// The value of `name`, if set and non-empty.
    fn get(&self, name: &str) -> Option<String>;
}

/// The process environment.
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

impl<const N: usize> Env for [(&str, &str); N] {
    fn get(&self, name: &str) -> Option<String> {
        self.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .filter(|v| !v.is_empty())
    }
}

impl Config {
    /// Reads and validates the configuration from the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from(&ProcessEnv, &stand_in_candidates())
    }

    /// The configuration, given the [`Settings`] already read from the
    /// process environment (they are not read again).
    pub fn from_env_with(settings: Settings) -> Result<Config, ConfigError> {
        Config::from_parts(&ProcessEnv, &stand_in_candidates(), Some(settings))
    }

    /// Reads and validates the configuration from `env`; `stand_in` lists
    /// where the bundled fake-vpp may be.
    pub fn from(env: &dyn Env, stand_in: &[PathBuf]) -> Result<Config, ConfigError> {
        Config::from_parts(env, stand_in, None)
    }

    fn from_parts(
        env: &dyn Env,
        stand_in: &[PathBuf],
        settings: Option<Settings>,
    ) -> Result<Config, ConfigError> {
        let settings = match settings {
            Some(s) => s,
            None => Settings::from(env)?,
        };
        let tag = env.get("TAG");
        let (vpp_bin, vpp_source, tag) = locate_vpp(env, tag, stand_in)?;
        let default_workers = match env.get("VPP_WORKER_COUNT") {
            None => 0,
            Some(v) => {
                // VPP's make passes either "N" or "workers N".
                let n = v.strip_prefix("workers ").unwrap_or(&v);
                n.trim()
                    .parse()
                    .map_err(|_| bad("VPP_WORKER_COUNT", &v, "a non-negative integer"))?
            }
        };
        let max_vpp_cpus = match env.get("MAX_VPP_CPUS") {
            None => None,
            Some(v) if v == "auto" => None,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n > 0 => Some(n),
                _ => return Err(bad("MAX_VPP_CPUS", &v, "auto or a positive integer")),
            },
        };
        let cpu_claims = match env.get("ASF_CPU_CLAIMS") {
            Some(v) if v == "off" => None,
            Some(v) if Path::new(&v).is_absolute() => Some(PathBuf::from(v)),
            Some(v) => {
                return Err(bad(
                    "ASF_CPU_CLAIMS",
                    &v,
                    "off or an absolute path of a directory",
                ))
            }
            None if Path::new("/run/lock").is_dir() => Some(PathBuf::from("/run/lock/asf")),
            None => Some(std::env::temp_dir().join("asf-locks")),
        };
        let api_fuzz = match env.get("API_FUZZ").as_deref() {
            None | Some("off") => false,
            Some("on") => true,
            Some(v) => return Err(bad("API_FUZZ", v, "on or off")),
        };
        let compress_core = match env.get("COMPRESS_CORE").as_deref() {
            None | Some("0" | "no" | "false" | "off") => false,
            Some("1" | "yes" | "true" | "on") => true,
            Some(v) => return Err(bad("COMPRESS_CORE", v, "yes or no")),
        };
        let keep_tmp = match env.get("ASF_KEEP_TMP").as_deref() {
            None | Some("0" | "no" | "false" | "off") => false,
            Some("1" | "yes" | "true" | "on") => true,
            Some(v) => return Err(bad("ASF_KEEP_TMP", v, "yes or no")),
        };
        let coredump_size = match env.get("COREDUMP_SIZE") {
            None => "unlimited".to_string(),
            Some(v) if v == "unlimited" || is_size(&v) => v.to_lowercase(),
            Some(v) => {
                return Err(bad(
                    "COREDUMP_SIZE",
                    &v,
                    "unlimited or a size such as 512m or 4g",
                ))
            }
        };
        let start_timeout = match env.get("ASF_START_TIMEOUT") {
            None => Duration::from_secs(60),
            Some(v) => match v.parse::<f64>() {
                Ok(s) if s > 0.0 && s.is_finite() => Duration::from_secs_f64(s),
                _ => return Err(bad("ASF_START_TIMEOUT", &v, "a positive number of seconds")),
            },
        };
        let tmp_dir = match env.get("ASF_TMP_DIR") {
            Some(v) => {
                let p = PathBuf::from(&v);
                if !p.is_absolute() || (p.exists() && !p.is_dir()) {
                    return Err(bad("ASF_TMP_DIR", &v, "an absolute directory path"));
                }
                startup_safe("ASF_TMP_DIR", &p)?;
                p
            }
            None => {
                let p = std::env::temp_dir();
                startup_safe("TMPDIR", &p).map_err(|_| {
                    bad(
                        "TMPDIR",
                        &p.to_string_lossy(),
                        "a path without white space, braces or quotes (it goes into VPP's \
                         startup configuration); or set ASF_TMP_DIR to such a directory",
                    )
                })?;
                p
            }
        };
        let paths = |var: &str| -> Vec<PathBuf> {
            env.get(var)
                .map(|v| {
                    v.split(':')
                        .filter(|s| !s.is_empty())
                        .map(PathBuf::from)
                        .collect()
                })
                .unwrap_or_default()
        };
        let extern_plugins = paths("EXTERN_PLUGINS");
        for d in &extern_plugins {
            if !d.is_dir() {
                return Err(bad(
                    "EXTERN_PLUGINS",
                    &d.display().to_string(),
                    "existing directories of VPP plugins",
                ));
            }
            startup_safe("EXTERN_PLUGINS", d)?;
        }
        let extern_api_dirs = paths("EXTERN_APIDIR");
        for d in &extern_api_dirs {
            if !d.is_dir() {
                return Err(bad(
                    "EXTERN_APIDIR",
                    &d.display().to_string(),
                    "existing directories of .api.json files",
                ));
            }
        }
        let mut api_dirs = paths("ASF_API_DIR");
        for d in &api_dirs {
            if !d.is_dir() {
                return Err(bad(
                    "ASF_API_DIR",
                    &d.display().to_string(),
                    "existing directories of .api.json files",
                ));
            }
        }
        if api_dirs.is_empty() {
            api_dirs = install_api_dir(&vpp_bin).into_iter().collect();
        }
        Ok(Config {
            vpp_bin,
            vpp_source,
            tag,
            extra_cmake_args: env.get("VPP_EXTRA_CMAKE_ARGS").unwrap_or_default(),
            extern_plugins,
            api_dirs,
            extern_api_dirs,
            default_workers,
            max_vpp_cpus,
            use_smt: matches!(
                env.get("USE_SMT").as_deref(),
                Some("1" | "yes" | "true" | "on")
            ),
            cpu_claims,
            variant: env.get("VARIANT"),
            api_fuzz,
            coredump_size,
            tmp_dir,
            start_timeout,
            settings,
            os_release: env
                .get("ASF_OS_RELEASE")
                .map_or_else(|| PathBuf::from("/etc/os-release"), PathBuf::from),
            keep_tmp,
            compress_core,
        })
    }

    /// Why the VPP under test is an ASan build, if it is: the cmake args as
    /// VPP's framework checks them, or libasan linked into the binary.
    pub fn asan_reason(&self) -> Option<String> {
        if self
            .extra_cmake_args
            .contains("DVPP_ENABLE_SANITIZE_ADDR=ON")
        {
            return Some("VPP_EXTRA_CMAKE_ARGS has -DVPP_ENABLE_SANITIZE_ADDR=ON".into());
        }
        if crate::vpp::binary::links_libasan(&self.vpp_bin) {
            return Some(format!("{} links libasan", self.vpp_bin.display()));
        }
        None
    }

    /// Why the VPP under test is a debug build, if it is: `TAG=vpp_debug` or
    /// a binary from a `*vpp_debug*` install tree.
    pub fn debug_reason(&self) -> Option<String> {
        if let Some(tag) = &self.tag {
            if tag == "vpp_debug" || tag.ends_with("_debug") {
                return Some(format!("TAG={tag}"));
            }
        }
        let from_debug_tree = self
            .vpp_bin
            .components()
            .any(|c| c.as_os_str().to_string_lossy().contains("vpp_debug"));
        from_debug_tree.then(|| {
            format!(
                "{} is from a vpp_debug install tree",
                self.vpp_bin.display()
            )
        })
    }
}

/// `share/vpp/api` of the install tree a vpp binary belongs to
/// (`<prefix>/bin/vpp` → `<prefix>/share/vpp/api`), if it exists.
pub fn install_api_dir(vpp_bin: &Path) -> Option<PathBuf> {
    let prefix = vpp_bin.parent()?.parent()?;
    let dir = prefix.join("share/vpp/api");
    dir.is_dir().then_some(dir)
}

/// Paths that go into VPP's startup configuration must survive its parser:
/// no white space, braces or quotes.
fn startup_safe(var: &'static str, path: &Path) -> Result<(), ConfigError> {
    let text = path.to_string_lossy();
    if text
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '{' | '}' | '"' | '\''))
    {
        return Err(bad(
            var,
            &text,
            "a path without white space, braces or quotes (it goes into VPP's startup configuration)",
        ));
    }
    Ok(())
}

fn bad(var: &'static str, value: &str, expected: &str) -> ConfigError {
    ConfigError::BadEnv {
        var,
        value: value.to_string(),
        expected: expected.to_string(),
    }
}

fn is_size(v: &str) -> bool {
    let digits = v.trim_end_matches(['k', 'K', 'm', 'M', 'g', 'G']);
    !digits.is_empty() && v.len() - digits.len() <= 1 && digits.bytes().all(|b| b.is_ascii_digit())
}

fn tag_list(env: &dyn Env, var: &'static str) -> Result<Vec<Tag>, ConfigError> {
    let Some(v) = env.get(var) else {
        return Ok(Vec::new());
    };
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            Tag::parse(s).map_err(|_| {
                bad(
                    var,
                    &v,
                    &format!(
                        "a comma-separated list of valid tags: {}",
                        Tag::valid_list()
                    ),
                )
            })
        })
        .collect()
}

/// Where the bundled stand-in may be: beside the test binary's `deps` dir
/// (`target/<profile>/fake-vpp`), or beside the running binary.
pub fn stand_in_candidates() -> Vec<PathBuf> {
    let Ok(exe) = std::env::current_exe() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(dir) = exe.parent() {
        if dir.file_name() == Some(OsStr::new("deps")) {
            if let Some(profile) = dir.parent() {
                out.push(profile.join("fake-vpp"));
            }
        }
        out.push(dir.join("fake-vpp"));
    }
    out
}

fn locate_vpp(
    env: &dyn Env,
    tag: Option<String>,
    stand_in: &[PathBuf],
) -> Result<(PathBuf, VppSource, Option<String>), ConfigError> {
    if let Some(bin) = env.get("VPP_BIN") {
        let path = PathBuf::from(&bin);
        check_binary(
            &path,
            "VPP_BIN".into(),
            "set VPP_BIN to the path of an executable vpp binary",
        )?;
        return Ok((path, VppSource::Bin, tag));
    }
    if let Some(ws) = env.get("WS_ROOT") {
        let tag = tag.unwrap_or_else(|| "vpp_debug".to_string());
        let path = Path::new(&ws)
            .join("build-root")
            .join(format!("install-{tag}-native"))
            .join("vpp/bin/vpp");
        check_binary(
            &path,
            format!("WS_ROOT={ws} with TAG={tag} gives"),
            "build VPP there (make build or make build-release) or set TAG to the build you have, e.g. TAG=vpp",
        )?;
        return Ok((path, VppSource::Workspace, Some(tag)));
    }
    match stand_in.iter().find(|p| is_executable(p)) {
        Some(p) => Ok((p.clone(), VppSource::Stand, tag)),
        // Attaching starts no VPP: no binary is needed.
        None if env.get("DEBUG").as_deref() == Some("attach") => {
            Ok((PathBuf::new(), VppSource::Attached, tag))
        }
        None => Err(ConfigError::NoVpp {
            looked: stand_in.to_vec(),
        }),
    }
}

fn is_executable(p: &Path) -> bool {
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

fn check_binary(path: &Path, what: String, hint: &'static str) -> Result<(), ConfigError> {
    let problem = match path.metadata() {
        Err(_) => "does not exist",
        Ok(m) if !m.is_file() => "is not a file",
        Ok(m) if m.permissions().mode() & 0o111 == 0 => "is not executable",
        Ok(_) => return Ok(()),
    };
    Err(ConfigError::VppBinary {
        what,
        path: path.to_path_buf(),
        problem,
        hint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stand_in() -> (tempfile::TempDir, Vec<PathBuf>) {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("fake-vpp");
        std::fs::write(&bin, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        (dir, vec![bin])
    }

    #[test]
    fn defaults_to_the_stand_in() {
        let (_d, s) = stand_in();
        let c = Config::from(&[("TAG", "")], &s).unwrap();
        assert_eq!(c.vpp_source, VppSource::Stand);
        assert_eq!(c.default_workers, 0);
        assert_eq!(c.coredump_size, "unlimited");
        assert_eq!(c.debug_reason(), None);
    }

    #[test]
    fn missing_binaries_say_where_they_looked() {
        let err = Config::from(&[("VPP_BIN", "/nonexistent/vpp")], &[])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("VPP_BIN \"/nonexistent/vpp\" does not exist"),
            "{err}"
        );
        let err = Config::from(&[("WS_ROOT", "/ws"), ("TAG", "vpp")], &[])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("/ws/build-root/install-vpp-native/vpp/bin/vpp"),
            "{err}"
        );
        let err = Config::from(&[("X", "")], &[PathBuf::from("/t/fake-vpp")])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("/t/fake-vpp") && err.contains("cargo build -p asf-fake-vpp"),
            "{err}"
        );
        // Attaching to a running VPP needs no binary.
        let c = Config::from(&[("DEBUG", "attach")], &[PathBuf::from("/t/fake-vpp")]).unwrap();
        assert_eq!(c.vpp_source, VppSource::Attached);
    }

    #[test]
    fn bad_values_name_the_valid_ones() {
        let (_d, s) = stand_in();
        let cases = [
            ("VPP_WORKER_COUNT", "two", "non-negative integer"),
            ("MAX_VPP_CPUS", "0", "auto or a positive integer"),
            ("API_FUZZ", "yes", "on or off"),
            ("COREDUMP_SIZE", "huge", "unlimited or a size"),
            ("ASF_TAG", "solo,fixme_asna", "fixme_vpp_debug"),
            ("ASF_START_TIMEOUT", "-1", "positive number"),
            ("ASF_KEEP_TMP", "maybe", "yes or no"),
            ("ASF_TMP_DIR", "/tmp/with space", "without white space"),
            (
                "EXTERN_PLUGINS",
                "/nonexistent/plugins",
                "existing directories",
            ),
            ("ASF_TMP_DIR", "relative/dir", "absolute"),
            ("ASF_CPU_CLAIMS", "claims", "off or an absolute path"),
        ];
        for (var, value, expect) in cases {
            let err = Config::from(&[(var, value)], &s).unwrap_err().to_string();
            assert!(err.contains(var) && err.contains(expect), "{var}: {err}");
        }
        let c = Config::from(
            &[
                ("VPP_WORKER_COUNT", "workers 2"),
                ("ASF_TAG", "solo, fixme_asan"),
            ],
            &s,
        )
        .unwrap();
        assert_eq!(c.default_workers, 2);
        assert_eq!(c.settings.tags, vec![Tag::Solo, Tag::FixmeAsan]);
    }

    #[test]
    fn asan_and_debug_detection() {
        let (_d, s) = stand_in();
        let c = Config::from(
            &[(
                "VPP_EXTRA_CMAKE_ARGS",
                "-DFOO=1 -DVPP_ENABLE_SANITIZE_ADDR=ON",
            )],
            &s,
        )
        .unwrap();
        assert!(c.asan_reason().unwrap().contains("SANITIZE_ADDR"));
        let c = Config::from(&[("TAG", "vpp_debug")], &s).unwrap();
        assert_eq!(c.debug_reason().as_deref(), Some("TAG=vpp_debug"));
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("install-vpp_debug-native/vpp/bin/vpp");
        std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
        std::fs::write(&bin, "").unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        let c = Config::from(&[("VPP_BIN", bin.to_str().unwrap())], &s).unwrap();
        assert!(c.debug_reason().unwrap().contains("vpp_debug install tree"));
    }
}
