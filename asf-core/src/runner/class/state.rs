//! What a class process holds while it runs: its plan, configuration and
//! connection to the parent, and what it must clean up if told to go.

use crate::config::Config;
use crate::errors::ApiError;
use crate::exit::chain;
use crate::model::Class;
use crate::runner::debug::Mode;
use crate::runner::event::{ChildPlan, Event};
use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// Set when the parent asks the class to stop after the running test.
pub(super) static STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Grace period between SIGTERM and SIGKILL at tear-down.
pub(super) const STOP_GRACE: Duration = Duration::from_secs(5);

pub(super) struct Reporter {
    pub(super) out: File,
}

impl Reporter {
    pub(super) fn send(&mut self, e: &Event) {
        if let Ok(mut line) = serde_json::to_string(e) {
            line.push('\n');
            // The parent going away ends this process via PDEATHSIG; nothing to do here.
            let _ = self.out.write_all(line.as_bytes());
        }
    }
}

/// What a class process must clean up if it is told to go: its VPP's pid
/// and its temp dir.
pub(super) static CLEANUP: std::sync::Mutex<Option<(u32, PathBuf)>> = std::sync::Mutex::new(None);

pub(super) struct ClassRun<'a> {
    pub(super) class: &'a Class,
    pub(super) plan: ChildPlan,
    pub(super) config: Config,
    pub(super) reporter: Reporter,
    pub(super) debug: Option<Mode>,
    pub(super) seed: u64,
}

/// A failed test or hook, replaced by the VPP-died message when VPP is gone.
#[derive(Debug)]
pub(super) enum Failure {
    Panic(String),
    Error(String),
    /// The test skipped itself ([`crate::case::Skip`]).
    Skip(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Panic(m) | Failure::Error(m) | Failure::Skip(m) => f.write_str(m),
        }
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Failure {
        Failure::Error(chain(&e))
    }
}
