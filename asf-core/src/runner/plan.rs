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

/// What the scheduler reports as a run goes. The [`Outcome`] is these
/// events folded in order ([`Outcome::record`]); the console, the JUnit and
/// JSON reports, the HTML page and the TEST RESULTS block read the outcome,
/// so each can be checked from a list of events, without a VPP.
#[derive(Clone, Debug, PartialEq)]
pub enum RunEvent {
    /// A test's verdict; a later one for the same test (a retry) replaces it.
    Verdict {
        /// The class.
        class: ClassId,
        /// The test's index among the class's selected tests.
        test: usize,
        /// The verdict.
        verdict: Verdict,
    },
    /// `--failfast` stopped the class before its end.
    CutShort(ClassId),
    /// A class-level error no test carries (a failed `tear_down_class`).
    ClassError(ClassId, String),
    /// Where the class keeps its files.
    TempDir(ClassId, String),
    /// How long the class's successful attempt took, in seconds.
    Duration(ClassId, f64),
    /// A class process ran.
    Ran(Span),
}

/// What a run produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every event, in the order recorded.
    pub events: Vec<RunEvent>,
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

impl Outcome {
    /// An empty outcome for classes with these numbers of selected tests.
    pub fn new(tests_per_class: impl IntoIterator<Item = usize>) -> Outcome {
        Outcome {
            verdicts: tests_per_class.into_iter().map(|n| vec![None; n]).collect(),
            ..Outcome::default()
        }
    }

    /// Folds one event into the outcome, and keeps it.
    pub fn record(&mut self, e: RunEvent) {
        match &e {
            RunEvent::Verdict {
                class,
                test,
                verdict,
            } => {
                if let Some(slot) = self
                    .verdicts
                    .get_mut(class.0)
                    .and_then(|r| r.get_mut(*test))
                {
                    *slot = Some(verdict.clone());
                }
            }
            RunEvent::CutShort(c) => {
                if !self.cut_short.contains(c) {
                    self.cut_short.push(*c);
                }
            }
            RunEvent::ClassError(c, m) => self.class_errors.push((*c, m.clone())),
            RunEvent::TempDir(c, d) => {
                self.tempdirs.insert(*c, d.clone());
            }
            RunEvent::Duration(c, secs) => {
                self.durations.insert(*c, *secs);
            }
            RunEvent::Ran(span) => self.spans.push(span.clone()),
        }
        self.events.push(e);
    }

    /// The verdict recorded for a test, if any.
    pub fn verdict(&self, class: ClassId, test: usize) -> Option<&Verdict> {
        self.verdicts.get(class.0)?.get(test)?.as_ref()
    }
}

/// One class process: when it ran (seconds from the start of the run) and
/// on which CPUs.
#[derive(Clone, Debug, PartialEq)]
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
