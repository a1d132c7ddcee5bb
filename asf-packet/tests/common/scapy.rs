//! A private venv under `target/` with the scapy VPP's tests pin, made
//! once and reused: nothing is installed into the system's Python.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The scapy VPP's tests use (`test/requirements-3.txt`).
pub const SCAPY: &str = "scapy==2.4.5";

pub fn scapy_python() -> Option<PathBuf> {
    match private_scapy() {
        Ok(p) => Some(p),
        Err(why) => {
            let msg = format!(
                "skipped: scapy is not available ({why}); install Debian's python3 and \
                 python3-venv (or set PYTHON to a Python with venv and pip)"
            );
            assert!(
                std::env::var("ASF_REQUIRE_SCAPY").as_deref() != Ok("1"),
                "ASF_REQUIRE_SCAPY=1: {msg}"
            );
            eprintln!("{msg}");
            None
        }
    }
}

fn private_scapy() -> Result<PathBuf, String> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scapy-venv");
    let py = dir.join("bin/python");
    let ready = |py: &Path| {
        Command::new(py)
            .args([
                "-c",
                "import scapy, sys; sys.exit(scapy.VERSION != '2.4.5')",
            ])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if ready(&py) {
        return Ok(py);
    }
    let base = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    std::fs::create_dir_all(env!("CARGO_TARGET_TMPDIR")).map_err(|e| e.to_string())?;
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
    let out = Command::new(&py)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            SCAPY,
        ])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", py.display()))?;
    if !out.status.success() {
        return Err(format!(
            "pip install {SCAPY} into {} failed: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    if ready(&py) {
        Ok(py)
    } else {
        Err(format!("{SCAPY} is not importable in {}", dir.display()))
    }
}
