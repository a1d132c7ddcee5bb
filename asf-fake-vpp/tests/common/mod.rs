//! Starting fake-vpp and finding VPP's Python client, shared by the tests
//! and benches of this crate (benches include it with `#[path]`).
#![allow(dead_code)]

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

/// The Python to run VPP's client with (`PYTHON`, default `python3`).
pub fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Makes `module` (`vpp_papi`, `vpp_papi.vpp_stats`) importable, with pip
/// if need be; fails the caller if it cannot.
pub fn ensure_papi(module: &str) {
    let have = || {
        Command::new(python())
            .args(["-c", &format!("import {module}")])
            .status()
            .is_ok_and(|s| s.success())
    };
    if have() {
        return;
    }
    let _ = Command::new(python())
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "vpp_papi",
        ])
        .status();
    assert!(
        have(),
        "{module} is not importable and `pip install vpp_papi` did not fix it"
    );
}
