//! Helper programs a test starts (the `Worker` of VPP's framework): VPP's
//! own test clients, traffic tools. Each runs with its own environment, on
//! the class's cores, its output in the test log, killed with the class.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::case::{Skip, TestCase, TestResult};
use crate::runner::debug::{self, Mode};

/// A program to run.
#[derive(Clone, Debug)]
pub struct Helper {
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    timeout: Duration,
    netns: Option<crate::host::Netns>,
}

/// How a helper ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelperExit {
    /// Exit code (None when killed by a signal).
    pub code: Option<i32>,
    /// The signal that killed it, if one did.
    pub signal: Option<i32>,
    /// Everything it wrote to stdout.
    pub stdout: String,
    /// Everything it wrote to stderr.
    pub stderr: String,
}

impl HelperExit {
    /// True if it exited with status 0.
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

impl Helper {
    /// `program`, no arguments, a 60 s limit.
    pub fn new(program: impl Into<PathBuf>) -> Helper {
        Helper {
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
            timeout: Duration::from_secs(60),
            netns: None,
        }
    }

    /// Adds arguments.
    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Helper {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets an environment variable for the helper.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Helper {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Runs it inside a network namespace (setns before exec; the same
    /// logging, CPUs, time limit and kill as any helper).
    pub fn netns(mut self, ns: &crate::host::Netns) -> Helper {
        self.netns = Some(ns.clone());
        self
    }

    /// How long it may run before it is killed (an error).
    pub fn timeout(mut self, timeout: Duration) -> Helper {
        self.timeout = timeout;
        self
    }
}

/// Where VPP's build keeps its test programs: `build_dir` (`VPP_BUILD_DIR`,
/// or `WS_ROOT/build-root/build-$TAG-native`), then beside the vpp binary.
pub fn program_dirs(build_dir: Option<&Path>, vpp_bin: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(b) = build_dir {
        dirs.push(b.join("vpp/bin"));
        dirs.push(b.join("bin"));
    }
    if let Some(d) = vpp_bin.parent() {
        dirs.push(d.to_path_buf());
    }
    dirs
}

impl TestCase {
    /// A test program of the VPP under test (`vapi_c_test` ...), or a
    /// [`Skip`] saying where it was looked for.
    pub fn vpp_program(&self, name: &str) -> TestResult<PathBuf> {
        let dirs = program_dirs(self.settings.vpp_build_dir.as_deref(), &self.vpp_bin);
        match dirs.iter().map(|d| d.join(name)).find(|p| p.is_file()) {
            Some(p) => Ok(p),
            None => Err(Skip::new(format!(
                "needs VPP's test program {name}, not found in {} (set VPP_BUILD_DIR to VPP's build dir)",
                dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
            ))
            .into()),
        }
    }

    /// The prefix of VPP's shared-memory API segment (`api-segment { prefix }`).
    pub fn api_segment_prefix(&self) -> String {
        crate::vpp::startup::api_prefix(&self.tempdir)
    }

    /// The binary API socket of this class's VPP.
    pub fn api_sock_path(&self) -> PathBuf {
        crate::vpp::startup::api_sock(&self.socket_dir)
    }

    /// Runs a helper to completion: its output goes to the test log, it runs
    /// on the class's helper CPUs (or the class's CPUs), dies with the
    /// class, and is killed (an error) past its time limit. In `DEBUG=gdb`
    /// its pid is announced for attaching; in `DEBUG=gdbserver` it runs
    /// under gdbserver on :7778.
    pub fn run_helper(&mut self, helper: Helper) -> TestResult<HelperExit> {
        let mut running = self.start_helper(helper)?;
        let limit = running.limit;
        match running.wait_timeout(limit)? {
            Some(exit) => Ok(exit),
            None => {
                let name = running.name.clone();
                let _ = running.kill();
                Err(format!("helper {name} did not finish in {} s", limit.as_secs()).into())
            }
        }
    }

    /// Starts a helper in the background (VPP's framework's `Worker`): the
    /// same logging, CPUs, namespace and debug modes as [`TestCase::run_helper`],
    /// in a process group of its own. Wait for it, terminate or kill it
    /// through the handle; one still running when the handle is dropped (at
    /// the latest when the test ends, also by a panic) is killed, and one
    /// past its time limit is killed at the next wait.
    pub fn start_helper(&mut self, helper: Helper) -> TestResult<RunningHelper> {
        let mode = self.settings.debug;
        let mut cmd = if mode == Some(Mode::GdbServer) {
            let mut c = Command::new("gdbserver");
            c.arg("localhost:7778").arg(&helper.program);
            c
        } else {
            Command::new(&helper.program)
        };
        cmd.args(&helper.args)
            .envs(helper.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        crate::vpp::process::die_with_parent(&mut cmd);
        if let Some(ns) = &helper.netns {
            crate::vpp::process::enter_netns(&mut cmd, ns.open()?);
        }
        let cpus = if self.helper_cpus.is_empty() {
            &self.cpus
        } else {
            &self.helper_cpus
        };
        crate::vpp::process::pin_to(&mut cmd, cpus);
        tracing::info!(
            "helper{} on CPUs {cpus:?}: {} {}{}",
            helper
                .netns
                .as_ref()
                .map(|n| format!(" (in network namespace {})", n.name()))
                .unwrap_or_default(),
            helper.program.display(),
            helper.args.join(" "),
            helper
                .env
                .iter()
                .map(|(k, v)| format!(" {k}={v}"))
                .collect::<String>()
        );
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start helper {}: {e}", helper.program.display()))?;
        let pid = child.id();
        if mode == Some(Mode::Gdb) {
            eprintln!(
                "Spawned helper {} with PID: {pid}",
                helper.program.display()
            );
            debug::ask("attach gdb now if you want to, then press ENTER...");
        }
        let stdout = child.stdout.take().map(|o| pump_lines(o, "stdout"));
        let stderr = child.stderr.take().map(|e| pump_lines(e, "stderr"));
        let limit = if mode.is_some() {
            Duration::from_secs(365 * 24 * 3600)
        } else {
            helper.timeout
        };
        Ok(RunningHelper {
            name: helper.program.display().to_string(),
            child: Some(child),
            pid,
            limit,
            deadline: Instant::now() + limit,
            stdout,
            stderr,
        })
    }

    /// A library of the VPP under test (`libvcl_ldpreload.so` ...), found
    /// under its install tree (the prefix of the vpp binary), or a [`Skip`]
    /// saying where it was looked for.
    pub fn vpp_library(&self, name: &str) -> TestResult<PathBuf> {
        let prefix = self
            .vpp_bin
            .parent()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let found = [
            "lib",
            "lib64",
            "lib/x86_64-linux-gnu",
            "lib/aarch64-linux-gnu",
        ]
        .iter()
        .map(|d| prefix.join(d).join(name))
        .find(|p| p.is_file());
        match found {
            Some(p) => Ok(p),
            None => Err(Skip::new(format!(
                "needs VPP's library {name}, not found under {}/lib (point VPP_BIN at an installed VPP)",
                prefix.display()
            ))
            .into()),
        }
    }
}

/// A helper program running in the background ([`TestCase::start_helper`]).
#[derive(Debug)]
pub struct RunningHelper {
    name: String,
    child: Option<std::process::Child>,
    pid: u32,
    limit: Duration,
    deadline: Instant,
    stdout: Option<std::thread::JoinHandle<String>>,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl RunningHelper {
    /// Its process id (also its process group's).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// True while it runs.
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// Waits up to `timeout` for it to end: its exit, or None if it still
    /// runs. Past its own time limit it is killed and that is an error.
    pub fn wait_timeout(&mut self, timeout: Duration) -> TestResult<Option<HelperExit>> {
        let until = Instant::now() + timeout;
        loop {
            let Some(child) = self.child.as_mut() else {
                return Err(format!("helper {} was already reaped", self.name).into());
            };
            if let Some(status) = child.try_wait()? {
                return Ok(Some(self.reaped(status)));
            }
            let now = Instant::now();
            if now >= self.deadline {
                let _ = self.signal(nix::sys::signal::Signal::SIGKILL);
                return Err(format!(
                    "helper {} did not finish in {} s",
                    self.name,
                    self.limit.as_secs()
                )
                .into());
            }
            if now >= until {
                return Ok(None);
            }
            std::thread::sleep(Duration::from_millis(20).min(until - now));
        }
    }

    /// SIGTERM to its process group; SIGKILL if it has not ended after 5 s.
    pub fn terminate(mut self) -> TestResult<HelperExit> {
        let _ = self.signal(nix::sys::signal::Signal::SIGTERM);
        let grace = Instant::now() + Duration::from_secs(5);
        while Instant::now() < grace {
            if !self.is_running() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.kill()
    }

    /// SIGKILL to its process group, then its exit.
    pub fn kill(mut self) -> TestResult<HelperExit> {
        let Some(child) = self.child.as_mut() else {
            return Err(format!("helper {} was already reaped", self.name).into());
        };
        if matches!(child.try_wait(), Ok(None)) {
            let _ = self.signal(nix::sys::signal::Signal::SIGKILL);
        }
        let status = self.child.as_mut().expect("checked above").wait()?;
        Ok(self.reaped(status))
    }

    fn signal(&self, sig: nix::sys::signal::Signal) -> nix::Result<()> {
        tracing::info!("helper {} (pid {}): {sig}", self.name, self.pid);
        nix::sys::signal::killpg(nix::unistd::Pid::from_raw(self.pid as i32), sig)
    }

    fn reaped(&mut self, status: std::process::ExitStatus) -> HelperExit {
        use std::os::unix::process::ExitStatusExt;
        self.child = None;
        let stdout = self
            .stdout
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        let stderr = self
            .stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        tracing::info!("helper {} ended: {status}", self.name);
        HelperExit {
            code: status.code(),
            signal: status.signal(),
            stdout,
            stderr,
        }
    }
}

impl Drop for RunningHelper {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            if matches!(child.try_wait(), Ok(None)) {
                let _ = self.signal(nix::sys::signal::Signal::SIGKILL);
            }
            if let Some(mut child) = self.child.take() {
                let _ = child.wait();
            }
        }
    }
}

fn pump_lines(
    src: impl Read + Send + 'static,
    stream: &'static str,
) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut kept = String::new();
        for line in BufReader::new(src).lines().map_while(Result::ok) {
            tracing::info!("helper {stream}: {line}");
            kept.push_str(&line);
            kept.push('\n');
        }
        kept
    })
}
