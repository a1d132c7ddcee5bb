//! Error types of asf, one per area. Messages are lowercase, sources are
//! chained with `#[source]` and never repeated in the message.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

/// A bad environment variable or flag, or a VPP binary that cannot be found.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// An environment variable has a value asf does not understand.
    #[error("{var}={value:?} is not valid: {expected}")]
    BadEnv {
        /// The variable.
        var: &'static str,
        /// Its value.
        value: String,
        /// What would have been valid.
        expected: String,
    },
    /// The VPP binary named by the environment is not usable.
    #[error("{what} {path:?} {problem}; {hint}")]
    VppBinary {
        /// Where the path came from (`VPP_BIN`, `WS_ROOT and TAG` ...).
        what: String,
        /// The path that was tried.
        path: PathBuf,
        /// What is wrong with it.
        problem: &'static str,
        /// How to point at a usable one.
        hint: &'static str,
    },
    /// No VPP was named and the bundled stand-in was not found.
    #[error(
        "no VPP to test: VPP_BIN and WS_ROOT are unset and the stand-in fake-vpp is not at {}; \
         build it with `cargo build -p asf-fake-vpp`, or point VPP_BIN at a vpp binary \
         (or WS_ROOT and TAG at a VPP workspace)",
        looked.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" or ")
    )]
    NoVpp {
        /// The places searched for fake-vpp.
        looked: Vec<PathBuf>,
    },
}

/// Starting, watching or stopping a VPP process failed.
#[derive(Debug, Error)]
pub enum VppError {
    /// The class temp dir could not be prepared.
    #[error("cannot prepare the class temp dir {path:?}")]
    TempDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// `exec` of the VPP binary failed.
    #[error("cannot start VPP {binary:?}")]
    Spawn {
        /// The binary.
        binary: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// VPP exited while starting.
    #[error(
        "VPP died shortly after startup with {status}; the tail of its stderr:\n{stderr_tail}"
    )]
    DiedAtStart {
        /// Exit code or signal, VPP-framework style.
        status: crate::exit::ExitInfo,
        /// The last lines VPP wrote to stderr.
        stderr_tail: String,
    },
    /// VPP never became ready.
    #[error("VPP did not become ready within {secs} s: {last}; raise ASF_START_TIMEOUT if it is just slow")]
    NotReady {
        /// The time limit.
        secs: f64,
        /// The last thing that went wrong while waiting.
        last: String,
    },
}

/// How VPP's end of a socket went away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hangup {
    /// A read found the end of the stream (VPP closed it cleanly).
    EndOfFile,
    /// The connection was reset (`ECONNRESET`, `ECONNABORTED`).
    Reset,
    /// A write found the other end closed (`EPIPE`, `ENOTCONN`).
    BrokenPipe,
    /// Nobody listens on the socket any more (`ECONNREFUSED`).
    Refused,
}

impl Hangup {
    /// The hang-up an I/O error means, if it means VPP's end is gone.
    pub fn of(e: &io::Error) -> Option<Hangup> {
        match e.kind() {
            io::ErrorKind::UnexpectedEof => Some(Hangup::EndOfFile),
            io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
                Some(Hangup::Reset)
            }
            io::ErrorKind::BrokenPipe | io::ErrorKind::NotConnected => Some(Hangup::BrokenPipe),
            io::ErrorKind::ConnectionRefused => Some(Hangup::Refused),
            _ => None,
        }
    }
}

impl std::fmt::Display for Hangup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Hangup::EndOfFile => "end of file",
            Hangup::Reset => "connection reset",
            Hangup::BrokenPipe => "broken pipe",
            Hangup::Refused => "connection refused",
        })
    }
}

/// A binary-API call failed.
#[derive(Debug, Error)]
pub enum ApiError {
    /// The socket failed.
    #[error("api socket i/o failed")]
    Io(#[from] io::Error),
    /// No reply within the reply time limit.
    #[error("no reply to {msg} within {secs} s")]
    Timeout {
        /// The request.
        msg: String,
        /// The limit.
        secs: f64,
    },
    /// VPP's end of the connection is gone: end of file, a reset (a
    /// process that dies with unread bytes in its socket), a broken pipe.
    /// What a dying VPP does first, while the kernel may still write its
    /// core.
    #[error("VPP closed the api connection ({0})")]
    Closed(Hangup),
    /// An earlier call left the connection out of step (no reply in time,
    /// a broken frame, a closed socket); nothing more is sent on it.
    #[error("the api connection is unusable since an earlier call: {0}")]
    Unusable(String),
    /// The VPP process is gone.
    #[error("VPP subprocess died unexpectedly with {0}")]
    VppDied(crate::exit::ExitInfo),
    /// A message VPP does not have (plugin not loaded, or unknown name).
    #[error("message {0} is not in this VPP (plugin not loaded?)")]
    UnknownMessage(String),
    /// A message exists under another CRC.
    #[error("{name} has CRC {vpp} in this VPP, the binding has {ours}")]
    CrcMismatch {
        /// Message name.
        name: String,
        /// CRC announced by VPP.
        vpp: String,
        /// CRC of the binding.
        ours: String,
    },
    /// A reply could not be decoded.
    #[error("malformed {msg}: {problem}")]
    Malformed {
        /// The message.
        msg: String,
        /// What is wrong.
        problem: String,
    },
    /// A reply carried a retval other than the expected one.
    #[error("{msg} returned retval {retval}, expected {expected}")]
    Retval {
        /// The request.
        msg: String,
        /// The retval.
        retval: i32,
        /// What was expected (`0`, `a negative value` ...).
        expected: String,
    },
    /// No event of the awaited kind arrived in time.
    #[error("no {name} event within {secs} s")]
    NoEvent {
        /// The event.
        name: String,
        /// The time waited.
        secs: f64,
    },
    /// A dynamic call's arguments do not fit the message.
    #[error("bad arguments")]
    Encode(#[from] crate::api::dynamic::EncodeError),
    /// The `.api.json` definitions could not be loaded.
    #[error("cannot load the api definitions")]
    Schema(#[from] SchemaError),
    /// No `.api.json` definition for a message.
    #[error("no .api.json definition of {0}; is its plugin's .api.json in the api dirs?")]
    NoDefinition(String),
    /// The handshake answered with something other than `sockclnt_create_reply`.
    #[error("invalid reply to sockclnt_create: message id {0}")]
    BadHandshake(u16),
}

/// A CLI command sent through `cli_inband` failed.
#[derive(Debug, Error)]
pub enum CliError {
    /// The API call itself failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// VPP did not understand the command.
    #[error("cli syntax error in `{cmd}`: {reply}")]
    Syntax {
        /// The command.
        cmd: String,
        /// VPP's reply text.
        reply: String,
    },
    /// The command ran and failed.
    #[error("cli command `{cmd}` failed (retval {retval}): {reply}")]
    Failed {
        /// The command.
        cmd: String,
        /// The retval.
        retval: i32,
        /// VPP's reply text.
        reply: String,
    },
}

pub use asf_apigen::SchemaError;

/// Reading the stats segment failed.
#[derive(Debug, Error)]
pub enum StatsError {
    /// `stats.sock` could not be reached.
    #[error("cannot connect to the stats socket {path:?}")]
    Connect {
        /// The socket.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The socket did not hand over a segment.
    #[error("the stats socket {path:?} sent no segment file descriptor")]
    NoSegment {
        /// The socket.
        path: PathBuf,
    },
    /// The segment could not be mapped.
    #[error("cannot map the stats segment")]
    Map(#[source] io::Error),
    /// The segment's contents are not valid.
    #[error(transparent)]
    Layout(#[from] crate::stats::layout::LayoutError),
    /// VPP kept the segment "in progress" longer than the read limit.
    #[error("VPP kept the stats segment busy (in_progress) for over {0:?}")]
    Busy(std::time::Duration),
    /// No entry of that name.
    #[error("no stats entry {0:?}")]
    NotFound(String),
    /// A pattern is not a valid regular expression.
    #[error("bad stats pattern {pattern:?}")]
    Pattern {
        /// The pattern.
        pattern: String,
        /// Why.
        #[source]
        source: regex::Error,
    },
}

impl StatsError {
    /// The hang-up this error means, if VPP's end of the stats socket is
    /// gone (refused, reset, closed before handing over the segment).
    pub fn hangup(&self) -> Option<Hangup> {
        match self {
            StatsError::Connect { source, .. } => Hangup::of(source),
            _ => None,
        }
    }
}

/// Errors of the host plumbing: network namespaces, interfaces, programs.
#[derive(Debug, Error)]
pub enum HostError {
    /// A program could not be started.
    #[error("cannot run `{command}`")]
    Spawn {
        /// The command line, for the message.
        command: String,
        /// Why it could not start.
        source: io::Error,
    },
    /// A program ran and failed.
    #[error("`{command}` failed ({status}): {stderr}")]
    Failed {
        /// The command line.
        command: String,
        /// Its exit status.
        status: String,
        /// What it wrote to stderr, trimmed.
        stderr: String,
    },
    /// The record of host objects in the class temp dir is unusable.
    #[error("cannot update the host object record {path}")]
    Ledger {
        /// The record file.
        path: std::path::PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A name or value that cannot be used.
    #[error("{0}")]
    Invalid(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_that_means_vpps_end_is_gone_is_a_hangup() {
        use io::ErrorKind::*;
        for (kind, how) in [
            (UnexpectedEof, Some(Hangup::EndOfFile)),
            (ConnectionReset, Some(Hangup::Reset)),
            (ConnectionAborted, Some(Hangup::Reset)),
            (BrokenPipe, Some(Hangup::BrokenPipe)),
            (NotConnected, Some(Hangup::BrokenPipe)),
            (ConnectionRefused, Some(Hangup::Refused)),
            (TimedOut, None),
            (WouldBlock, None),
            (PermissionDenied, None),
            (NotFound, None),
        ] {
            assert_eq!(Hangup::of(&io::Error::from(kind)), how, "{kind:?}");
        }
        // From the raw errno, as a socket call reports it.
        use nix::errno::Errno;
        for errno in [
            Errno::ECONNRESET,
            Errno::ECONNABORTED,
            Errno::EPIPE,
            Errno::ENOTCONN,
        ] {
            let e = io::Error::from_raw_os_error(errno as i32);
            assert!(Hangup::of(&e).is_some(), "{errno}");
        }
        let refused = StatsError::Connect {
            path: "/run/vpp/stats.sock".into(),
            source: io::Error::from(ConnectionRefused),
        };
        assert_eq!(refused.hangup(), Some(Hangup::Refused));
        assert_eq!(StatsError::NotFound("/x".into()).hangup(), None);
        assert_eq!(
            ApiError::Closed(Hangup::Reset).to_string(),
            "VPP closed the api connection (connection reset)"
        );
    }
}
