//! Core files of a crashed VPP: where `core_pattern` puts them, waiting for
//! the dump to complete, and a gdb backtrace into the class log.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where the kernel sends core dumps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoreTarget {
    /// Piped to a handler (`|/usr/lib/systemd/systemd-coredump ...`).
    Handler(String),
    /// Files: a directory and the literal start of their names.
    Files {
        /// The directory (VPP's working directory for a relative pattern).
        dir: PathBuf,
        /// The name up to the first part that cannot be known in advance.
        prefix: String,
    },
}

/// Interprets `core_pattern` for a process `pid` named `comm` running in `cwd`.
pub fn target(pattern: &str, cwd: &Path, pid: u32, comm: &str, uses_pid: bool) -> CoreTarget {
    let pattern = pattern.trim();
    if let Some(handler) = pattern.strip_prefix('|') {
        return CoreTarget::Handler(handler.to_string());
    }
    let mut name = String::new();
    let mut chars = pattern.chars();
    let mut complete = true;
    while let Some(c) = chars.next() {
        if c != '%' {
            name.push(c);
            continue;
        }
        match chars.next() {
            Some('p') | Some('P') => name.push_str(&pid.to_string()),
            Some('e') => name.push_str(&comm.chars().take(15).collect::<String>()),
            Some('%') => name.push('%'),
            // Time, host, uid, signal ...: known only to the kernel.
            _ => {
                complete = false;
                break;
            }
        }
    }
    if complete && uses_pid && !pattern.contains("%p") {
        name.push_str(&format!(".{pid}"));
    }
    let path = if Path::new(&name).is_absolute() {
        PathBuf::from(&name)
    } else {
        cwd.join(&name)
    };
    let dir = path
        .parent()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
    let prefix = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    CoreTarget::Files { dir, prefix }
}

/// The core target of this machine for a process.
pub fn this_machine(cwd: &Path, pid: u32, comm: &str) -> CoreTarget {
    let pattern =
        std::fs::read_to_string("/proc/sys/kernel/core_pattern").unwrap_or_else(|_| "core".into());
    let uses_pid =
        std::fs::read_to_string("/proc/sys/kernel/core_uses_pid").is_ok_and(|v| v.trim() == "1");
    target(&pattern, cwd, pid, comm, uses_pid)
}

/// Finds VPP's core file, waits until it stops growing (60 s at most, as
/// VPP's framework), and logs a gdb backtrace when gdb is installed.
pub fn collect(cwd: &Path, pid: u32, comm: &str, binary: &Path) -> Option<PathBuf> {
    let core = match this_machine(cwd, pid, comm) {
        CoreTarget::Handler(h) => {
            tracing::error!("VPP dumped core to the handler of core_pattern: |{h}");
            return None;
        }
        CoreTarget::Files { dir, prefix } => {
            let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
                .ok()?
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
                })
                .filter(|p| p.is_file())
                .collect();
            found.sort();
            found.pop()?
        }
    };
    tracing::error!("waiting for coredump to complete: {}", core.display());
    let mut size = std::fs::metadata(&core).map(|m| m.len()).unwrap_or(0);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let now = std::fs::metadata(&core).map(|m| m.len()).unwrap_or(size);
        if now == size {
            tracing::error!("coredump complete: {}, size {now}", core.display());
            break;
        }
        if Instant::now() >= deadline {
            tracing::error!(
                "timed out waiting for coredump to complete: {}",
                core.display()
            );
            break;
        }
        size = now;
    }
    backtrace(binary, &core);
    Some(core)
}

/// Compresses a core file in place with `zstd` (when installed) or `gzip`,
/// through an argument vector; returns the compressed file. Done after the
/// backtrace, which needs the plain core.
pub fn compress(core: &Path) -> Option<PathBuf> {
    let (program, args, suffix): (&str, &[&str], &str) =
        if crate::host::find_program("zstd").is_some() {
            ("zstd", &["-q", "--rm", "-T0", "-3"], "zst")
        } else {
            ("gzip", &["-1"], "gz")
        };
    let started = Instant::now();
    let before = std::fs::metadata(core).map(|m| m.len()).unwrap_or(0);
    match Command::new(program)
        .args(args)
        .arg(core)
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) if out.status.success() => {
            let mut name = core.as_os_str().to_os_string();
            name.push(format!(".{suffix}"));
            let packed = PathBuf::from(name);
            let after = std::fs::metadata(&packed).map(|m| m.len()).unwrap_or(0);
            tracing::error!(
                "core compressed with {program}: {} ({before} -> {after} bytes, {:.1} s)",
                packed.display(),
                started.elapsed().as_secs_f64()
            );
            Some(packed)
        }
        Ok(out) => {
            tracing::error!(
                "cannot compress {} with {program}: {}",
                core.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
            None
        }
        Err(e) => {
            tracing::error!("cannot run {program} to compress {}: {e}", core.display());
            None
        }
    }
}

/// `gdb -batch` over the core, 60 s at most, its output into the log.
fn backtrace(binary: &Path, core: &Path) {
    let mut cmd = Command::new("gdb");
    cmd.args([
        "-batch",
        "-nx",
        "-ex",
        "info threads",
        "-ex",
        "thread apply all bt",
    ])
    .arg(binary)
    .arg(core)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let Ok(child) = cmd.spawn() else {
        tracing::info!("no gdb to print a backtrace of {}", core.display());
        return;
    };
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(Ok(out)) => tracing::error!(
            "gdb backtrace of {}:\n{}{}",
            core.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        _ => {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid as i32),
                nix::sys::signal::Signal::SIGKILL,
            );
            tracing::error!("gdb took over 60 s on {}", core.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_patterns() {
        let cwd = Path::new("/tmp/class");
        let files = |dir: &str, prefix: &str| CoreTarget::Files {
            dir: PathBuf::from(dir),
            prefix: prefix.into(),
        };
        assert_eq!(
            target("core", cwd, 42, "vpp_main", false),
            files("/tmp/class", "core")
        );
        assert_eq!(
            target("core", cwd, 42, "vpp_main", true),
            files("/tmp/class", "core.42")
        );
        assert_eq!(
            target("/var/crash/core.%e.%p", cwd, 42, "vpp_main", false),
            files("/var/crash", "core.vpp_main.42")
        );
        assert_eq!(
            target("core.%p.%t", cwd, 7, "x", true),
            files("/tmp/class", "core.7.")
        );
        assert_eq!(
            target("|/usr/lib/systemd/systemd-coredump %P", cwd, 7, "x", false),
            CoreTarget::Handler("/usr/lib/systemd/systemd-coredump %P".into())
        );
    }
}
