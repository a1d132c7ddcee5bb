//! Fault switches: environment variables that make the stand-in misbehave
//! so every failure path of a client can be tested.
//!
//! | variable | effect |
//! |---|---|
//! | `FAKE_VPP_EXIT_AT_START=N` | print an error and exit with status N before opening any socket |
//! | `FAKE_VPP_CRASH_AT_START=SIG` | kill itself with signal SIG (e.g. `SIGSEGV`, `SIGABRT`) at start |
//! | `FAKE_VPP_SOCKET_DELAY_MS=N` | wait N ms before creating `api.sock` |
//! | `FAKE_VPP_CRASH_ON_MSG=N` | crash on receiving the Nth API message (1 = `sockclnt_create`) |
//! | `FAKE_VPP_CRASH_ON_API=NAME` | crash on receiving the first API message called NAME (e.g. `sw_interface_dump`) |
//! | `FAKE_VPP_CRASH_ON_CLI=TEXT` | crash when a `cli_inband` command starts with TEXT |
//! | `FAKE_VPP_CRASH_DELAY_MS=N` | with `FAKE_VPP_CRASH_ON_CLI`: run the command, and crash N ms after it started (a `kill -SEGV` while VPP works on it) |
//! | `FAKE_VPP_CRASH_SIGNAL=SIG` | the signal of the crashes above (default `SIGSEGV`) |
//! | `FAKE_VPP_CRASH_CORE_MS=N` | crash as VPP's signal handler does: print `received signal SIG, PC ...`, stay N ms "writing a core" with its sockets open, close them, then die by SIGABRT |
//! | `FAKE_VPP_CRASH_CLOSE=fin\|reset` | how the sockets of a crash with `FAKE_VPP_CRASH_CORE_MS` close: `fin` (default) shuts them down, so a client reads end of file; `reset` closes them with the crashing request's bytes unread (a message is then read up to its id, and the crash decided there), so a client's read gets `ECONNRESET` and its write `EPIPE`, as from a VPP that dies while requests wait in its socket |
//! | `FAKE_VPP_CRASH_EXIT_MS=N` | with `FAKE_VPP_CRASH_CORE_MS`: the time between closing the sockets and dying (default [`CORE_EXIT_GAP`]) |
//! | `FAKE_VPP_NO_SOCKET=1` | start, but never create `api.sock` |
//! | `FAKE_VPP_HANG_ON_CLI=TEXT` | stop answering (but stay alive) when a `cli_inband` command starts with TEXT |
//! | `FAKE_VPP_TRUNCATE_ON_CLI=TEXT` | answer such a command with a reply cut short inside its fields |
//! | `FAKE_VPP_BAD_FRAME_ON_CLI=TEXT` | answer such a command with a frame header announcing a 4 GiB body |
//! | `FAKE_VPP_UNKNOWN_MSG_ON_CLI=TEXT` | send a message with an id not in the table (same context) before the reply |
//! | `FAKE_VPP_IGNORE_SIGTERM=1` | ignore SIGTERM (only SIGKILL ends it) |
//! | `FAKE_VPP_CRASH_AT_EXIT=1` | crash by the crash signal on SIGTERM instead of exiting cleanly |
//! | `FAKE_VPP_FAULT_SCOPE=TEXT` | apply the faults only when the runtime dir contains TEXT |
//! | `FAKE_VPP_STATS_ERRORS=N` | publish N more (synthetic) error counters, for size |

use std::str::FromStr;
use std::time::Duration;

/// How long a crashing stand-in lives on after closing its sockets (a real VPP's files close as it exits, a moment before its
/// parent can reap it).
pub const CORE_EXIT_GAP: Duration = Duration::from_millis(300);

/// How a crash's sockets close.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum CrashClose {
    /// Shut down: clients read end of file.
    #[default]
    Fin,
    /// Closed by the exit with request bytes unread: clients get a reset.
    Reset,
}

use nix::sys::signal::{self, SigHandler, Signal};

/// The faults in force for this process.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    /// Exit with this status at start.
    pub exit_at_start: Option<i32>,
    /// Die by this signal at start.
    pub crash_at_start: Option<Signal>,
    /// Delay before the API socket appears.
    pub socket_delay: Duration,
    /// Crash on the Nth message.
    pub crash_on_msg: Option<u64>,
    /// Crash on the first API message of this name.
    pub crash_on_api: Option<String>,
    /// Crash on a CLI command with this prefix.
    pub crash_on_cli: Option<String>,
    /// Crash this long after such a command started, while it runs.
    pub crash_delay: Option<Duration>,
    /// How a crash's sockets close.
    pub crash_close: CrashClose,
    /// With `Fin` and a core: from the sockets' shutdown to the death.
    pub crash_exit_gap: Duration,
    /// Crash like VPP's signal handler, "writing a core" this long.
    pub crash_core_ms: Option<u64>,
    /// Signal used for crashes.
    pub crash_signal: Option<Signal>,
    /// Never create the API socket.
    pub no_socket: bool,
    /// Stop answering on a CLI command with this prefix.
    pub hang_on_cli: Option<String>,
    /// Truncate the reply to a CLI command with this prefix.
    pub truncate_on_cli: Option<String>,
    /// Send a bad frame header for a CLI command with this prefix.
    pub bad_frame_on_cli: Option<String>,
    /// Send an unknown message id before the reply to a CLI command with this prefix.
    pub unknown_msg_on_cli: Option<String>,
    /// Ignore SIGTERM.
    pub ignore_sigterm: bool,
    /// Crash on SIGTERM.
    pub crash_at_exit: bool,
}

/// Which CLI fault, if any, applies to `cmd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliFault {
    /// Crash.
    Crash,
    /// Stop answering.
    Hang,
    /// Cut the reply short.
    Truncate,
    /// Announce an impossible body length.
    BadFrame,
    /// Precede the reply with an unknown message.
    UnknownMsg,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn parse<T: FromStr>(name: &str) -> Result<Option<T>, String> {
    var(name)
        .map(|v| v.parse().map_err(|_| format!("{name}={v:?} is not valid")))
        .transpose()
}

fn flag(name: &str) -> Result<bool, String> {
    match var(name).as_deref() {
        None | Some("0") => Ok(false),
        Some("1") => Ok(true),
        Some(v) => Err(format!("{name}={v:?} is not valid: 1 or 0")),
    }
}

fn parse_signal(name: &str) -> Result<Option<Signal>, String> {
    var(name)
        .map(|v| {
            let full = if v.starts_with("SIG") {
                v.clone()
            } else {
                format!("SIG{v}")
            };
            Signal::from_str(&full)
                .map_err(|_| format!("{name}={v:?} is not a signal name such as SIGSEGV"))
        })
        .transpose()
}

impl Faults {
    /// Reads the switches; `runtime_dir` decides whether they apply.
    pub fn from_env(runtime_dir: &str) -> Result<Faults, String> {
        if let Some(scope) = var("FAKE_VPP_FAULT_SCOPE") {
            if !runtime_dir.contains(&scope) {
                return Ok(Faults::default());
            }
        }
        Ok(Faults {
            exit_at_start: parse("FAKE_VPP_EXIT_AT_START")?,
            crash_at_start: parse_signal("FAKE_VPP_CRASH_AT_START")?,
            socket_delay: Duration::from_millis(parse("FAKE_VPP_SOCKET_DELAY_MS")?.unwrap_or(0)),
            crash_on_msg: parse("FAKE_VPP_CRASH_ON_MSG")?,
            crash_on_api: var("FAKE_VPP_CRASH_ON_API"),
            crash_on_cli: var("FAKE_VPP_CRASH_ON_CLI"),
            crash_delay: parse("FAKE_VPP_CRASH_DELAY_MS")?.map(Duration::from_millis),
            crash_close: match var("FAKE_VPP_CRASH_CLOSE").as_deref() {
                None | Some("fin") => CrashClose::Fin,
                Some("reset") => CrashClose::Reset,
                Some(v) => {
                    return Err(format!(
                        "FAKE_VPP_CRASH_CLOSE={v:?} is not valid: fin or reset"
                    ))
                }
            },
            crash_exit_gap: parse("FAKE_VPP_CRASH_EXIT_MS")?
                .map_or(CORE_EXIT_GAP, Duration::from_millis),
            crash_core_ms: parse("FAKE_VPP_CRASH_CORE_MS")?,
            crash_signal: parse_signal("FAKE_VPP_CRASH_SIGNAL")?,
            no_socket: flag("FAKE_VPP_NO_SOCKET")?,
            hang_on_cli: var("FAKE_VPP_HANG_ON_CLI"),
            truncate_on_cli: var("FAKE_VPP_TRUNCATE_ON_CLI"),
            bad_frame_on_cli: var("FAKE_VPP_BAD_FRAME_ON_CLI"),
            unknown_msg_on_cli: var("FAKE_VPP_UNKNOWN_MSG_ON_CLI"),
            ignore_sigterm: flag("FAKE_VPP_IGNORE_SIGTERM")?,
            crash_at_exit: flag("FAKE_VPP_CRASH_AT_EXIT")?,
        })
    }

    /// The fault a `cli_inband` command triggers.
    pub fn on_cli(&self, cmd: &str) -> Option<CliFault> {
        let cmd = cmd.trim_start();
        [
            (&self.crash_on_cli, CliFault::Crash),
            (&self.hang_on_cli, CliFault::Hang),
            (&self.truncate_on_cli, CliFault::Truncate),
            (&self.bad_frame_on_cli, CliFault::BadFrame),
            (&self.unknown_msg_on_cli, CliFault::UnknownMsg),
        ]
        .into_iter()
        .find(|(prefix, _)| prefix.as_deref().is_some_and(|p| cmd.starts_with(p)))
        .map(|(_, f)| f)
    }

    /// Dies by the crash signal (or as VPP's handler does, with
    /// `FAKE_VPP_CRASH_CORE_MS`).
    pub fn crash(&self, why: &str) -> ! {
        let sig = self.crash_signal.unwrap_or(Signal::SIGSEGV);
        match self.crash_core_ms {
            Some(ms) => crash_like_vpp(
                sig,
                Duration::from_millis(ms),
                self.crash_close,
                self.crash_exit_gap,
                why,
            ),
            None => crash(sig, why),
        }
    }

    /// Whether message number `n`, called `name`, crashes the stand-in.
    pub fn crashes_on(&self, n: u64, name: &str) -> bool {
        self.crash_on_msg == Some(n) || self.crash_on_api.as_deref() == Some(name)
    }
}

/// Dies as VPP's signal handler makes VPP die: its line on stderr, then a
/// core written while the process (and its sockets) lives on, then the
/// sockets close `gap` before the process ends, and the exit status is
/// SIGABRT whatever the signal was. `Fin` shuts the sockets down (clients
/// read end of file); `Reset` closes them with whatever a client sent
/// still unread, so the kernel resets the connection (ECONNRESET on the
/// client's read, EPIPE on its write) while the process still lives.
pub fn crash_like_vpp(
    sig: Signal,
    core: Duration,
    close: CrashClose,
    gap: Duration,
    why: &str,
) -> ! {
    eprintln!("received signal {sig}, PC 0x7f43c1726408, faulting address 0x30d951681c ({why})");
    std::thread::sleep(core);
    // The process's files close as it exits, before its parent can reap it.
    let fds: Vec<i32> = std::fs::read_dir("/proc/self/fd")
        .map(|dir| {
            dir.flatten()
                .filter(|e| {
                    std::fs::read_link(e.path())
                        .is_ok_and(|l| l.to_string_lossy().starts_with("socket:"))
                })
                .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
                .collect()
        })
        .unwrap_or_default();
    for fd in fds {
        match close {
            CrashClose::Fin => {
                let _ = nix::sys::socket::shutdown(fd, nix::sys::socket::Shutdown::Both);
            }
            CrashClose::Reset => {
                use std::os::fd::FromRawFd;
                // SAFETY: the process is dying: these socket descriptors are
                // closed here, once, and nothing uses them afterwards (the
                // threads that own them are sleeping in this crash, in a
                // command, or blocked in a call that holds its own
                // reference); the process ends below without running their
                // destructors.
                drop(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) });
            }
        }
    }
    std::thread::sleep(gap);
    crash(Signal::SIGABRT, why)
}

/// Dies by `sig`, with the default action (a core dump for SIGSEGV/SIGABRT).
pub fn crash(sig: Signal, why: &str) -> ! {
    eprintln!("fake-vpp: crashing with {sig} ({why})");
    // SAFETY: installing the default disposition runs no code of ours in
    // signal context; it replaces the runtime's SIGSEGV handler so the
    // signal raised next takes its default action.
    unsafe {
        let _ = signal::signal(sig, SigHandler::SigDfl);
    }
    let _ = signal::pthread_sigmask(
        signal::SigmaskHow::SIG_UNBLOCK,
        Some(&signal::SigSet::from(sig)),
        None,
    );
    let _ = signal::raise(sig);
    std::process::abort()
}
