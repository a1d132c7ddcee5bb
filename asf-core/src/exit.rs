//! How things ended, as leaf data every other module may use: a process's
//! exit ([`ExitInfo`]) and an error with its causes ([`chain`]).

use std::fmt;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

use nix::sys::signal::Signal;

/// How a process ended, printed the way VPP's framework prints it:
/// `return code: -11 [SIGSEGV]` for a signal, `return code: 3` for an exit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExitInfo(pub ExitStatus);

impl ExitInfo {
    /// Exit code, or minus the signal number (Python's `Popen.returncode`).
    pub fn return_code(&self) -> i32 {
        match (self.0.code(), self.0.signal()) {
            (Some(c), _) => c,
            (None, Some(s)) => -s,
            (None, None) => 0,
        }
    }

    /// The name of the signal that killed the process, if one did.
    pub fn signal_name(&self) -> Option<&'static str> {
        self.0
            .signal()
            .and_then(|s| Signal::try_from(s).ok())
            .map(Signal::as_str)
    }
}

impl fmt::Display for ExitInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "return code: {}", self.return_code())?;
        if let Some(name) = self.signal_name() {
            write!(f, " [{name}]")?;
        }
        Ok(())
    }
}

/// The message of an error with its sources, `a: b: c`.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(src) = cur {
        s.push_str(": ");
        s.push_str(&src.to_string());
        cur = src.source();
    }
    s
}
