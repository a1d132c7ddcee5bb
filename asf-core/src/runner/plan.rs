//! What a run is made of, as plain data at the bottom of the runner: the
//! planned classes and their selected tests, the verdicts and outcome the
//! scheduler produces, where a class keeps its files, and how a class
//! process is handed its plan. Every other runner module may use this one;
//! it uses none of them but `event`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::event::Status;
use crate::model::{Class, TestDesc};
use crate::rules::ClassPlan;

/// Environment variable carrying the [`super::event::ChildPlan`] as JSON.
pub const PLAN_ENV: &str = "ASF_CHILD_PLAN";
/// The fd the class process writes events to.
pub const EVENT_FD: i32 = 3;
/// The temp dir of a class: `<base>/vpp-unittest-<module path, dotted>`.
pub fn class_tempdir(base: &Path, module_path: &str) -> PathBuf {
    base.join(format!("vpp-unittest-{}", module_path.replace("::", ".")))
}

/// The lock file beside a class temp dir: `<tempdir>.lock`.
pub fn class_lock(tempdir: &Path) -> PathBuf {
    let mut path = tempdir.as_os_str().to_owned();
    path.push(".lock");
    PathBuf::from(path)
}

/// A planned class: its index in the run's list of planned classes (the
/// order classes are listed in, not the order they run in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClassId(pub usize);

impl std::fmt::Display for ClassId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "class #{}", self.0)
    }
}

/// A test selected to run, with the skip decided for it.
pub struct Selected {
    /// The test.
    pub desc: &'static TestDesc,
    /// Why it is skipped before boot, if it is.
    pub skip: Option<String>,
}

/// A class to run: its tests and what the rules decided.
pub struct Planned<'a> {
    /// The class.
    pub class: &'a Class,
    /// The rules' decision.
    pub plan: ClassPlan,
    /// Its selected tests, in order.
    pub tests: Vec<Selected>,
}

/// The final word on one test.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Status (FLAKY when a retry passed).
    pub status: Status,
    /// Failure or skip message (of the last failed attempt for FLAKY).
    pub message: Option<String>,
    /// Seconds of the last attempt.
    pub secs: f64,
    /// Attempts made (0 for skips decided before boot).
    pub attempts: u32,
    /// Messages of earlier failed attempts.
    pub earlier: Vec<String>,
}

/// What a run produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// `[planned class][test]`.
    pub verdicts: Vec<Vec<Option<Verdict>>>,
    /// Classes cut short by `--failfast`.
    pub cut_short: Vec<ClassId>,
    /// Class-level errors no test carries (a failed `tear_down_class`).
    pub class_errors: Vec<(ClassId, String)>,
    /// Class temp dirs, by planned class.
    pub tempdirs: HashMap<ClassId, String>,
    /// Seconds each class took (successful attempts), by planned class.
    pub durations: HashMap<ClassId, f64>,
    /// When each class process ran and on which CPUs, for the timeline.
    pub spans: Vec<Span>,
}

/// One class process: when it ran (seconds from the start of the run) and
/// on which CPUs.
#[derive(Clone, Debug)]
pub struct Span {
    /// Planned class.
    pub class: ClassId,
    /// Attempt (1 = first run, more for retries).
    pub attempt: u32,
    /// The CPUs it was given (VPP's and its helpers').
    pub cpus: Vec<usize>,
    /// Start, in seconds from the start of the run.
    pub start: f64,
    /// End, in seconds from the start of the run.
    pub end: f64,
}

/// `unix { poll-sleep-usec }` for the VPP of an oversubscribed class: its
/// main thread sleeps this long between idle polls. Measured on VPP 26.10
/// with 2 CPUs (VCLThruHostStackHTTPPost, 3 runs each): without a sleep the
/// HTTP POST transfer stalls at a zero window and the HTTP transport drops
/// it after 60 s (0 of 3 passed, as VPP's framework fails it with its
/// helpers sharing CPUs); 100 us passed 1 of 3; 1000 us 3 of 3 (6.8-7.1 s),
/// whether the helpers had a CPU of their own or shared VPP's.
pub const OVERSUBSCRIBED_POLL_SLEEP_USEC: u32 = 1000;

/// How much longer a test of an oversubscribed class may take: its
/// helpers share CPUs with VPP's busy-polling threads, so each side gets
/// about half of a CPU.
pub const OVERSUBSCRIBED_TIME_FACTOR: u32 = 2;
