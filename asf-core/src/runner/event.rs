//! Events a class process sends its parent, one JSON object per line.

use serde::{Deserialize, Serialize};

/// The verdict on one test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Passed.
    Pass,
    /// A check failed (the test panicked).
    Fail,
    /// The test returned an error, or its VPP died.
    Error,
    /// Not run, with a reason.
    Skip,
    /// Failed, as it was expected to.
    ExpectedFail,
    /// Passed although it was expected to fail.
    UnexpectedPass,
    /// Failed, then passed on a retry (decided by the parent).
    Flaky,
    /// Never ran: its class was killed, cut short or interrupted (decided by the parent).
    NotRun,
}

impl Status {
    /// True for the verdicts that fail a run.
    pub fn is_failure(self) -> bool {
        matches!(self, Status::Fail | Status::Error | Status::UnexpectedPass)
    }
}

/// What the class process reports, in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// VPP is up and connected.
    ClassStarted {
        /// VPP's pid.
        vpp_pid: u32,
        /// The class temp dir.
        tempdir: String,
    },
    /// The class could not start, or its set-up failed: every test not yet
    /// reported gets this error.
    ClassError {
        /// Why.
        message: String,
    },
    /// A test is starting.
    TestStarted {
        /// The test's function name.
        test: String,
    },
    /// A test finished.
    TestFinished {
        /// The test's function name.
        test: String,
        /// Verdict.
        status: Status,
        /// Failure or skip message.
        message: Option<String>,
        /// Wall time in seconds.
        duration: f64,
    },
    /// The class is done and its VPP stopped.
    ClassFinished,
}

/// The work a parent hands a class process (in `ASF_CHILD_PLAN`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChildPlan {
    /// `module_path` of the class.
    pub class: String,
    /// Tests to run, by function name, in order.
    pub tests: Vec<String>,
    /// VPP's CPUs: main core first, then one per worker.
    pub cpus: Vec<usize>,
    /// Workers.
    pub workers: u32,
    /// CPUs for the class's helper programs (`helpers = N`): its own, or
    /// VPP's when the class runs oversubscribed; empty without helpers.
    #[serde(default)]
    pub helper_cpus: Vec<usize>,
    /// The class runs oversubscribed (`--oversubscribe`).
    #[serde(default)]
    pub oversubscribed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_one_json_line_each() {
        let e = Event::TestFinished {
            test: "test_x".into(),
            status: Status::ExpectedFail,
            message: Some("boom\nline 2".into()),
            duration: 0.25,
        };
        let line = serde_json::to_string(&e).unwrap();
        assert!(!line.contains('\n'));
        assert!(
            line.contains(r#""event":"test_finished""#)
                && line.contains(r#""status":"expected_fail""#)
        );
        assert_eq!(serde_json::from_str::<Event>(&line).unwrap(), e);
    }
}
