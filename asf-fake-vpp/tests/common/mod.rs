//! Starting fake-vpp and finding VPP's Python client, shared by the tests
//! and benches of this crate (benches include it with `#[path]`).
#![allow(
    dead_code,
    reason = "shared by several test and bench binaries; each uses part of it"
)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A fake-vpp in its own temp runtime dir, killed when dropped.
pub struct FakeVpp {
    pub child: Child,
    dir: Option<tempfile::TempDir>,
}

impl FakeVpp {
    /// Starts fake-vpp with `api.sock` and `stats.sock` in a new temp dir,
    /// `extra` startup sections and `env`; returns once the API answers.
    pub fn start(extra: &[&str], env: &[(&str, &str)]) -> FakeVpp {
        FakeVpp::start_in(tempfile::tempdir().unwrap(), extra, env)
    }

    /// [`FakeVpp::start`] in a given runtime dir (a restart).
    pub fn start_in(dir: tempfile::TempDir, extra: &[&str], env: &[(&str, &str)]) -> FakeVpp {
        let d = dir.path().display().to_string();
        let api = format!("{d}/api.sock");
        let stats = format!("{d}/stats.sock");
        let child = Command::new(env!("CARGO_BIN_EXE_fake-vpp"))
            .args(["unix", "{", "nodaemon", "runtime-dir", &d, "}"])
            .args(["socksvr", "{", "socket-name", &api, "}"])
            .args(["statseg", "{", "socket-name", &stats, "}"])
            .args(extra)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::os::unix::net::UnixStream::connect(&api).is_err() {
            assert!(Instant::now() < deadline, "fake-vpp did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        FakeVpp {
            child,
            dir: Some(dir),
        }
    }

    /// A file in the runtime dir.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.as_ref().expect("running").path().join(name)
    }

    /// Takes the runtime dir (to restart in it); it is no longer removed.
    pub fn take_dir(&mut self) -> tempfile::TempDir {
        self.dir.take().expect("running")
    }
}

impl Drop for FakeVpp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fake-vpp publishing a real-sized stats segment (`errors` synthetic
/// error counters, one worker), and asf's client of it: the start of the
/// stats benches.
pub fn stats_of_real_size(errors: &str) -> (FakeVpp, asf_core::stats::StatsClient) {
    let vpp = FakeVpp::start(
        &["cpu", "{", "main-core", "0", "workers", "1", "}"],
        &[("FAKE_VPP_STATS_ERRORS", errors)],
    );
    let sock = vpp.path("stats.sock");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match asf_core::stats::StatsClient::connect(&sock) {
            Ok(s) => return (vpp, s),
            Err(e) => {
                assert!(Instant::now() < deadline, "no stats segment: {e}");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// The interpreter the private environment is made from (`PYTHON`,
/// default `python3`).
pub fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".into())
}

/// The Python of a private environment under `target/` that has VPP's
/// client (`vpp_papi`) and can import `module`: a venv made from
/// [`python`] once and reused, so no test run installs anything into the
/// system's Python (Debian's refuses anyway: PEP 668). None when it cannot
/// be made (the caller skips, saying what to install), unless
/// `ASF_REQUIRE_PAPI=1` (CI), which makes that a failure.
pub fn papi_python(module: &str) -> Option<PathBuf> {
    match private_papi(module) {
        Ok(p) => Some(p),
        Err(why) => {
            let msg = format!(
                "skipped: VPP's Python client is not available ({why}); install Debian's \
                 python3 and python3-venv (or set PYTHON to a Python with venv and pip)"
            );
            assert!(
                std::env::var("ASF_REQUIRE_PAPI").as_deref() != Ok("1"),
                "ASF_REQUIRE_PAPI=1: {msg}"
            );
            eprintln!("{msg}");
            None
        }
    }
}

fn private_papi(module: &str) -> Result<PathBuf, String> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("papi-venv");
    let py = dir.join("bin/python");
    let imports = |py: &std::path::Path| {
        Command::new(py)
            .args(["-c", &format!("import {module}")])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    // One test binary at a time makes the environment.
    std::fs::create_dir_all(env!("CARGO_TARGET_TMPDIR")).map_err(|e| e.to_string())?;
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.with_extension("lock"))
        .map_err(|e| e.to_string())?;
    let _lock = nix::fcntl::Flock::lock(lock, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| e.to_string())?;
    if imports(&py) {
        return Ok(py);
    }
    let base = python();
    if !py.exists() {
        let out = Command::new(&base)
            .args(["-m", "venv", "--clear"])
            .arg(&dir)
            .output()
            .map_err(|e| format!("cannot run {base}: {e}"))?;
        if !out.status.success() {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(format!(
                "`{base} -m venv` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    let out = Command::new(&py)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "vpp_papi",
        ])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", py.display()))?;
    if !out.status.success() {
        return Err(format!(
            "pip install vpp_papi into {} failed: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    if imports(&py) {
        Ok(py)
    } else {
        Err(format!("{module} is not importable in {}", dir.display()))
    }
}
