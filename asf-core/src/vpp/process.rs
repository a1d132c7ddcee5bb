//! The VPP process of a class: spawned with `PR_SET_PDEATHSIG` so it dies
//! with its class process, its output pumped into the class log and files,
//! watched for death, and stopped with SIGTERM, a grace period, then SIGKILL.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

use crate::errors::VppError;

use crate::exit::ExitInfo;

/// Makes the command's process die by SIGKILL when the process that started
/// it dies (`PR_SET_PDEATHSIG`), with an empty signal mask.
pub fn die_with_parent(cmd: &mut Command) {
    die_with_parent_by(cmd, Signal::SIGKILL);
}

/// Like [`die_with_parent`], with `sig` as the death signal: a class process
/// gets SIGTERM, which it handles by killing its VPP and removing what it
/// left (API segment files, host objects) before it exits.
pub fn die_with_parent_by(cmd: &mut Command, sig: Signal) {
    let parent = nix::unistd::getpid();
    // SAFETY: the closure runs between fork and exec; it only makes the
    // async-signal-safe calls prctl(2), sigprocmask(2) and getppid(2), and
    // allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            nix::sys::prctl::set_pdeathsig(sig)?;
            nix::sys::signal::sigprocmask(
                nix::sys::signal::SigmaskHow::SIG_SETMASK,
                Some(&nix::sys::signal::SigSet::empty()),
                None,
            )?;
            // The parent may have died before prctl took effect.
            if nix::unistd::getppid() != parent {
                return Err(std::io::Error::other("parent exited before exec"));
            }
            Ok(())
        });
    }
}

/// Gives SIGPIPE its default action back (Rust ignores it): a listing
/// written into a closed pipe (`--list | head`) then ends the process
/// quietly with the status of SIGPIPE, as command-line tools do.
pub fn die_quietly_on_closed_stdout() {
    // SAFETY: installing the default disposition runs no code of ours in
    // signal context; nothing in this process relies on SIGPIPE being
    // ignored while it lists (no child, no socket).
    unsafe {
        let _ = nix::sys::signal::signal(Signal::SIGPIPE, nix::sys::signal::SigHandler::SigDfl);
    }
}

/// Makes the command start on `cpus` (sched_setaffinity between fork and
/// exec): it and everything it starts inherit them from the first
/// instruction, with no window where a child it forks runs elsewhere.
pub fn pin_to(cmd: &mut Command, cpus: &[usize]) {
    if cpus.is_empty() {
        return;
    }
    let mut set = nix::sched::CpuSet::new();
    for &c in cpus {
        let _ = set.set(c);
    }
    // SAFETY: the closure runs between fork and exec; it only makes the
    // async-signal-safe call sched_setaffinity(2) with a CPU set built
    // before the fork, and allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            nix::sched::sched_setaffinity(nix::unistd::Pid::from_raw(0), &set)?;
            Ok(())
        });
    }
}

/// Makes the command run inside a network namespace: `ns` is the open
/// namespace file (`/run/netns/<name>`), entered with setns(2) between fork
/// and exec, so the program starts there and nothing else moves.
pub fn enter_netns(cmd: &mut Command, ns: std::fs::File) {
    // SAFETY: the closure runs between fork and exec; it only makes the
    // async-signal-safe call setns(2) on a descriptor opened before the
    // fork, and allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            nix::sched::setns(&ns, nix::sched::CloneFlags::CLONE_NEWNET)?;
            Ok(())
        });
    }
}

/// A running (or finished) VPP.
pub struct VppProcess {
    /// None for a VPP this run attached to (`DEBUG=attach`): never stopped.
    child: Mutex<Option<Child>>,
    outputs: [SharedFile; 2],
    status: Mutex<Option<ExitStatus>>,
    pid: u32,
    stderr_tail: Arc<Mutex<VecDeque<String>>>,
    pumps: Mutex<Vec<JoinHandle<()>>>,
}

const TAIL_LINES: usize = 20;

impl VppProcess {
    /// Starts `binary` with `argv` in `tempdir`; stdout and stderr go to
    /// `vpp_stdout.txt` / `vpp_stderr.txt` there and into the class log.
    pub fn spawn(binary: &Path, argv: &[String], tempdir: &Path) -> Result<VppProcess, VppError> {
        let mut cmd = Command::new(binary);
        cmd.args(argv)
            .current_dir(tempdir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        die_with_parent(&mut cmd);
        let mut child = cmd.spawn().map_err(|source| VppError::Spawn {
            binary: binary.to_path_buf(),
            source,
        })?;
        let pid = child.id();
        tracing::info!(
            "spawned VPP with PID {pid}: {} {}",
            binary.display(),
            argv.join(" ")
        );
        let stderr_tail = Arc::new(Mutex::new(VecDeque::new()));
        let outputs = [
            Arc::new(Mutex::new(
                File::create(tempdir.join("vpp_stdout.txt")).ok(),
            )),
            Arc::new(Mutex::new(
                File::create(tempdir.join("vpp_stderr.txt")).ok(),
            )),
        ];
        let mut pumps = Vec::new();
        if let Some(out) = child.stdout.take() {
            pumps.push(pump(out, outputs[0].clone(), "stdout", None));
        }
        if let Some(err) = child.stderr.take() {
            pumps.push(pump(
                err,
                outputs[1].clone(),
                "stderr",
                Some(stderr_tail.clone()),
            ));
        }
        Ok(VppProcess {
            child: Mutex::new(Some(child)),
            outputs,
            status: Mutex::new(None),
            pid,
            stderr_tail,
            pumps: Mutex::new(pumps),
        })
    }

    /// A VPP that runs already (`DEBUG=attach`), known by its pid; it is
    /// watched but never stopped.
    pub fn attached(pid: u32) -> VppProcess {
        VppProcess {
            child: Mutex::new(None),
            outputs: [Arc::new(Mutex::new(None)), Arc::new(Mutex::new(None))],
            status: Mutex::new(None),
            pid,
            stderr_tail: Arc::new(Mutex::new(VecDeque::new())),
            pumps: Mutex::new(Vec::new()),
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// How VPP ended, if it has (reaps it without blocking).
    pub fn exit_info(&self) -> Option<ExitInfo> {
        let mut status = lock(&self.status);
        if status.is_none() {
            match lock(&self.child).as_mut() {
                Some(child) => {
                    if let Ok(Some(s)) = child.try_wait() {
                        *status = Some(s);
                    }
                }
                None => {
                    // Not our child: gone when signal 0 finds no process.
                    if kill(Pid::from_raw(self.pid as i32), None) == Err(nix::errno::Errno::ESRCH) {
                        *status = Some(ExitStatus::from_raw(0));
                    }
                }
            }
        }
        status.map(ExitInfo)
    }

    /// Writes a line into both saved VPP output files (`vpp_stdout.txt`,
    /// `vpp_stderr.txt`), e.g. the per-test set-up marker.
    pub fn mark(&self, line: &str) {
        for out in &self.outputs {
            if let Some(f) = lock(out).as_mut() {
                let _ = writeln!(f, "{line}");
            }
        }
    }

    /// The last lines VPP wrote to stderr.
    pub fn stderr_tail(&self) -> String {
        lock(&self.stderr_tail)
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Waits up to `limit` for VPP to exit by itself.
    pub fn wait_timeout(&self, limit: Duration) -> Option<ExitInfo> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(info) = self.exit_info() {
                return Some(info);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// SIGTERM, up to `grace` to exit, then SIGKILL; reaps the process and
    /// waits for its output to be written out.
    pub fn stop(&self, grace: Duration) -> ExitInfo {
        if lock(&self.child).is_none() {
            // An attached VPP is left running.
            return ExitInfo(ExitStatus::from_raw(0));
        }
        let info = match self.exit_info() {
            Some(info) => info,
            None => {
                let pid = Pid::from_raw(self.pid as i32);
                let _ = kill(pid, Signal::SIGTERM);
                match self.wait_timeout(grace) {
                    Some(info) => info,
                    None => {
                        tracing::warn!("VPP ignored SIGTERM for {grace:?}; sending SIGKILL");
                        let status = lock(&self.child).as_mut().and_then(|c| {
                            let _ = c.kill();
                            c.wait().ok()
                        });
                        *lock(&self.status) = status;
                        status.map_or(ExitInfo(ExitStatus::from_raw(9)), ExitInfo)
                    }
                }
            }
        };
        for p in lock(&self.pumps).drain(..) {
            let _ = p.join();
        }
        info
    }
}

impl Drop for VppProcess {
    fn drop(&mut self) {
        if self.exit_info().is_none() {
            if let Some(c) = lock(&self.child).as_mut() {
                let _ = c.kill();
                let _ = c.wait();
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

type SharedFile = Arc<Mutex<Option<File>>>;

fn pump(
    src: impl Read + Send + 'static,
    out: SharedFile,
    stream: &'static str,
    tail: Option<Arc<Mutex<VecDeque<String>>>>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(src);
        let mut line = Vec::new();
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            if let Some(f) = lock(&out).as_mut() {
                let _ = f.write_all(&line);
            }
            let text = String::from_utf8_lossy(&line).trim_end().to_string();
            tracing::debug!("VPP {stream}: {text}");
            if let Some(tail) = &tail {
                let mut t = lock(tail);
                if t.len() == TAIL_LINES {
                    t.pop_front();
                }
                t.push_back(text);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_info_formats_like_vpps_framework() {
        let segv = ExitInfo(ExitStatus::from_raw(11));
        assert_eq!(segv.return_code(), -11);
        assert_eq!(segv.to_string(), "return code: -11 [SIGSEGV]");
        let exit3 = ExitInfo(ExitStatus::from_raw(3 << 8));
        assert_eq!(exit3.to_string(), "return code: 3");
    }

    #[test]
    fn stop_terminates_and_captures_output() {
        let dir = tempfile::tempdir().unwrap();
        let argv = vec![
            "-c".to_string(),
            "echo hello; echo oops >&2; exec sleep 30".to_string(),
        ];
        let vpp = VppProcess::spawn(Path::new("/bin/sh"), &argv, dir.path()).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        assert!(vpp.exit_info().is_none());
        let info = vpp.stop(Duration::from_secs(5));
        assert_eq!(info.signal_name(), Some("SIGTERM"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("vpp_stdout.txt")).unwrap(),
            "hello\n"
        );
        assert_eq!(vpp.stderr_tail(), "oops");
    }
}
