//! What a run leaves behind: the closing `TEST RESULTS:` block of VPP's
//! framework, JUnit XML, a JSON-lines event file, `-FAILED` links and
//! `failed_tests.txt`, and the timing history the scheduler orders by.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use colored::Colorize;
use quick_junit::{
    NonSuccessKind, Report, TestCase as JCase, TestCaseStatus, TestRerun, TestSuite,
};

use super::console::{Console, Failure, Totals, DOUBLE_LINE};
use super::event::Status;
use super::plan::{class_tempdir, ClassId, Outcome, Planned, Verdict};

/// Counts and failures of a run.
pub struct Summary {
    /// libtest's counts.
    pub totals: Totals,
    /// Failed tests with messages, for the list before the summary.
    pub failures: Vec<Failure>,
    counts: BTreeMap<Count, u64>,
}

/// A line of the TEST RESULTS block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Count {
    /// Every selected test.
    Scheduled,
    /// Those that started (skipped ones included).
    Executed,
    /// Passed.
    Passed,
    /// Passed on a retry.
    Flaky,
    /// Failed as `expected_failure` said.
    ExpectedFailures,
    /// Skipped, not for CPUs.
    Skipped,
    /// Never got to start.
    NotExecuted,
    /// Failed.
    Failures,
    /// Passed though `expected_failure`.
    UnexpectedPasses,
    /// Errors, class errors included.
    Errors,
    /// Skipped because the class needs more CPUs than the run has.
    CpuShortage,
}

pub(crate) fn verdicts<'a>(
    planned: &'a [Planned],
    out: &'a Outcome,
) -> impl Iterator<Item = (usize, usize, &'a Verdict)> + 'a {
    out.verdicts
        .iter()
        .enumerate()
        .flat_map(|(c, row)| {
            row.iter()
                .enumerate()
                .filter_map(move |(t, v)| v.as_ref().map(|v| (c, t, v)))
        })
        .filter(move |(c, t, _)| *t < planned[*c].tests.len())
}

impl Summary {
    /// Counts the verdicts of `out`.
    pub fn new(planned: &[Planned], out: &Outcome) -> Summary {
        let mut totals = Totals::default();
        let mut failures = Vec::new();
        let mut counts: BTreeMap<Count, u64> = BTreeMap::new();
        for (c, t, v) in verdicts(planned, out) {
            let p = &planned[c];
            let desc = p.tests[t].desc;
            // As VPP's framework counts: every scheduled test is executed
            // (started, skipped ones included) unless it never got to start.
            *counts.entry(Count::Scheduled).or_default() += 1;
            if v.status != Status::NotRun {
                *counts.entry(Count::Executed).or_default() += 1;
            }
            let key = match v.status {
                Status::Pass => Count::Passed,
                Status::Flaky => Count::Flaky,
                Status::ExpectedFail => Count::ExpectedFailures,
                Status::Skip
                    if p.plan
                        .skip
                        .as_ref()
                        .is_some_and(crate::rules::SkipReason::is_cpu_shortage) =>
                {
                    Count::CpuShortage
                }
                Status::Skip => Count::Skipped,
                Status::NotRun => Count::NotExecuted,
                Status::Fail => Count::Failures,
                Status::UnexpectedPass => Count::UnexpectedPasses,
                Status::Error => Count::Errors,
            };
            *counts.entry(key).or_default() += 1;
            match v.status {
                Status::Pass | Status::ExpectedFail | Status::Flaky => totals.passed += 1,
                Status::Skip => totals.ignored += 1,
                Status::Fail | Status::Error | Status::UnexpectedPass | Status::NotRun => {
                    totals.failed += 1;
                    failures.push(Failure {
                        flavour: match v.status {
                            Status::Fail => "FAIL",
                            Status::UnexpectedPass => "UNEXPECTED PASS",
                            Status::NotRun => "NOT RUN",
                            _ => "ERROR",
                        },
                        title: format!("{} ({})", desc.description(), desc.full_name()),
                        message: v.message.clone().unwrap_or_default(),
                    });
                }
            }
        }
        for (c, m) in &out.class_errors {
            totals.failed += 1;
            *counts.entry(Count::Errors).or_default() += 1;
            let d = planned[c.0].class.desc;
            failures.push(Failure {
                flavour: "ERROR",
                title: format!("class {} ({})", d.name, d.path()),
                message: m.clone(),
            });
        }
        Summary {
            totals,
            failures,
            counts,
        }
    }

    /// How many tests a line of the block counts.
    pub fn count(&self, key: Count) -> u64 {
        self.counts.get(&key).copied().unwrap_or(0)
    }

    /// The `TEST RESULTS:` block of VPP's framework, with its definitions:
    /// Scheduled = every selected test; Executed = those that started
    /// (skipped ones included; Scheduled - Not Executed); Passed, Expected
    /// failures, Skipped (not for CPUs), Not Executed, Failures, Unexpected
    /// passes, Errors and "Tests skipped due to lack of CPUS" as VPP's
    /// `run_tests.py` counts them. asf's own line: Flaky tests (passed on a
    /// retry).
    /// The lines of the `TEST RESULTS:` block that are shown: label, count.
    pub fn result_lines(&self) -> Vec<(&'static str, u64)> {
        self.rows()
            .into_iter()
            .filter(|r| r.3 || r.1 > 0)
            .map(|r| (r.0, r.1))
            .collect()
    }

    fn rows(&self) -> Vec<(&'static str, u64, Option<colored::Color>, bool)> {
        vec![
            ("Scheduled tests", self.count(Count::Scheduled), None, true),
            ("Executed tests", self.count(Count::Executed), None, true),
            (
                "Passed tests",
                self.count(Count::Passed),
                Some(colored::Color::Green),
                true,
            ),
            (
                "Flaky tests",
                self.count(Count::Flaky),
                Some(colored::Color::Yellow),
                false,
            ),
            (
                "Expected failures",
                self.count(Count::ExpectedFailures),
                Some(colored::Color::Green),
                false,
            ),
            (
                "Skipped tests",
                self.count(Count::Skipped),
                Some(colored::Color::Yellow),
                false,
            ),
            (
                "Not Executed tests",
                self.count(Count::NotExecuted),
                Some(colored::Color::Red),
                false,
            ),
            (
                "Failures",
                self.count(Count::Failures),
                Some(colored::Color::Red),
                false,
            ),
            (
                "Unexpected passes",
                self.count(Count::UnexpectedPasses),
                Some(colored::Color::Red),
                false,
            ),
            (
                "Errors",
                self.count(Count::Errors),
                Some(colored::Color::Red),
                false,
            ),
            (
                "Tests skipped due to lack of CPUS",
                self.count(Count::CpuShortage),
                Some(colored::Color::Yellow),
                false,
            ),
        ]
    }

    /// Prints the block and the failures by class.
    pub fn print_results(&self, console: &Console, planned: &[Planned], out: &Outcome) {
        let shown: Vec<_> = self.rows().into_iter().filter(|r| r.3 || r.1 > 0).collect();
        let width = shown.iter().map(|r| r.0.len()).max().unwrap_or(0) + 4;
        console.note("");
        console.note(DOUBLE_LINE);
        console.note("TEST RESULTS:");
        for (label, n, color, _) in &shown {
            let value = match color {
                Some(c) => n.to_string().color(*c).to_string(),
                None => n.to_string(),
            };
            console.note(&format!("{label:>width$}: {value}"));
        }
        let mut printed_class = None;
        let mut any = false;
        for (c, t, v) in verdicts(planned, out) {
            let headline = match v.status {
                Status::Fail => "FAILURE",
                Status::Error => "ERROR",
                Status::UnexpectedPass => "UNEXPECTED PASS",
                Status::NotRun => "NOT RUN",
                _ => continue,
            };
            if !any {
                console.note("FAILURES AND ERRORS IN TESTS:");
                any = true;
            }
            if printed_class != Some(c) {
                console.note(&format!(
                    "  Testcase name: {}",
                    planned[c].plan.header.plain().red()
                ));
                printed_class = Some(c);
            }
            let desc = planned[c].tests[t].desc;
            console.note(&format!(
                "    {headline}: {} [{}]",
                desc.description().red(),
                desc.full_name()
            ));
        }
        if !out.cut_short.is_empty() {
            console.note("TESTCASES CUT SHORT BY FAILFAST:");
            for &c in &out.cut_short {
                console.note(&format!("  {}", planned[c.0].plan.header.plain().yellow()));
            }
        }
        console.note(DOUBLE_LINE);
    }
}

/// `<failed_dir>/vpp-unittest-<class>-FAILED` → the class temp dir, and
/// `failed_tests.txt` with the failed tests' names, as VPP's framework.
pub fn failed_artifacts(planned: &[Planned], out: &Outcome, failed_dir: &Path, tmp: &Path) {
    let mut failed_names = Vec::new();
    for (c, p) in planned.iter().enumerate() {
        let failed: Vec<String> = out.verdicts[c]
            .iter()
            .enumerate()
            .filter(|(_, v)| {
                v.as_ref()
                    .is_some_and(|v| v.status.is_failure() || v.status == Status::NotRun)
            })
            .map(|(t, _)| p.tests[t].desc.full_name())
            .collect();
        let class_failed = !failed.is_empty() || out.class_errors.iter().any(|(ci, _)| ci.0 == c);
        if !class_failed {
            // A link an earlier failing run of this class left is stale now.
            let dir = class_tempdir(tmp, p.class.desc.module_path);
            if let Some(name) = dir.file_name() {
                let link = failed_dir.join(format!("{}-FAILED", name.to_string_lossy()));
                if std::fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()) {
                    let _ = std::fs::remove_file(&link);
                }
            }
            continue;
        }
        failed_names.extend(failed);
        // A class that failed to boot never announced its dir; it has one all the same.
        let dir = out
            .tempdirs
            .get(&ClassId(c))
            .map(PathBuf::from)
            .or_else(|| Some(class_tempdir(tmp, p.class.desc.module_path)).filter(|d| d.is_dir()));
        if let Some(dir) = dir {
            if let Some(name) = dir.file_name() {
                let link = failed_dir.join(format!("{}-FAILED", name.to_string_lossy()));
                let _ = std::fs::create_dir_all(failed_dir);
                if std::fs::symlink_metadata(&link).is_ok() {
                    let _ = std::fs::remove_file(&link);
                }
                if let Err(e) = std::os::unix::fs::symlink(&dir, &link) {
                    tracing::warn!("cannot link {} to {}: {e}", link.display(), dir.display());
                }
            }
        }
    }
    let file = failed_dir.join("failed_tests.txt");
    if failed_names.is_empty() {
        let _ = std::fs::remove_file(file);
    } else {
        let _ = std::fs::create_dir_all(failed_dir);
        let _ = std::fs::write(file, format!("{}\n", failed_names.join(",")));
    }
}

/// Removes the temp dirs (and lock files) of classes where nothing failed,
/// so the temp base keeps only what a person needs to look at; `keep`
/// (`ASF_KEEP_TMP=1`) keeps everything, as VPP's framework does.
pub fn tidy_tempdirs(planned: &[Planned], out: &Outcome, tmp: &Path, keep: bool) {
    if keep {
        return;
    }
    for (c, p) in planned.iter().enumerate() {
        let clean = out.verdicts[c]
            .iter()
            .flatten()
            .all(|v| matches!(v.status, Status::Pass | Status::Skip | Status::ExpectedFail))
            && !out.class_errors.iter().any(|(ci, _)| ci.0 == c);
        if !clean {
            continue;
        }
        let dir = class_tempdir(tmp, p.class.desc.module_path);
        let lock = super::plan::class_lock(&dir);
        // Only while no other run holds the class: take its lock first.
        let Ok(file) = std::fs::OpenOptions::new().write(true).open(&lock) else {
            let _ = std::fs::remove_dir_all(&dir);
            continue;
        };
        if let Ok(held) = nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock)
        {
            let _ = std::fs::remove_dir_all(&dir);
            let _ = std::fs::remove_file(&lock);
            drop(held);
        }
    }
}

/// JUnit XML: one test suite per class, skip reasons, failure messages
/// (with the class log path), flaky runs as `flakyFailure`.
pub fn junit(
    planned: &[Planned],
    out: &Outcome,
    elapsed: Duration,
    path: &Path,
) -> std::io::Result<()> {
    let mut report = Report::new("asf");
    report.set_time(elapsed);
    for (c, p) in planned.iter().enumerate() {
        let mut suite = TestSuite::new(p.class.desc.path());
        for (t, sel) in p.tests.iter().enumerate() {
            let Some(v) = &out.verdicts[c][t] else {
                continue;
            };
            let mut status = match v.status {
                Status::Pass | Status::ExpectedFail => TestCaseStatus::success(),
                Status::Flaky => {
                    let mut s = TestCaseStatus::success();
                    for m in &v.earlier {
                        let mut rerun = TestRerun::new(NonSuccessKind::Failure);
                        rerun.set_message(first_line(m)).set_description(m.as_str());
                        s.add_rerun(rerun);
                    }
                    s
                }
                Status::Skip => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(v.message.clone().unwrap_or_default());
                    s
                }
                Status::Fail | Status::UnexpectedPass => {
                    TestCaseStatus::non_success(NonSuccessKind::Failure)
                }
                Status::Error | Status::NotRun => {
                    TestCaseStatus::non_success(NonSuccessKind::Error)
                }
            };
            if matches!(
                v.status,
                Status::Fail | Status::UnexpectedPass | Status::Error | Status::NotRun
            ) {
                let m = v.message.clone().unwrap_or_default();
                status
                    .set_message(first_line(&m))
                    .set_description(m.as_str());
                status.set_type(format!("{:?}", v.status));
            }
            let mut case = JCase::new(sel.desc.name, status);
            case.set_classname(p.class.desc.path());
            case.set_time(Duration::from_secs_f64(v.secs));
            if v.status == Status::Flaky {
                case.add_property(("flaky", "true"));
            }
            if let Some(dir) = out.tempdirs.get(&ClassId(c)) {
                case.add_property(("class_log", format!("{dir}/log.txt").as_str()));
            }
            if p.plan.oversubscribed {
                case.add_property(("oversubscribed", "true"));
            }
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let f = std::fs::File::create(path)?;
    report.serialize(f).map_err(std::io::Error::other)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// One JSON object per verdict, then a summary line.
pub fn events(planned: &[Planned], out: &Outcome, path: &Path) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    for (c, t, v) in verdicts(planned, out) {
        let p = &planned[c];
        let line = serde_json::json!({
            "event": "test",
            "class": p.class.desc.path(),
            "class_name": p.class.desc.name,
            "test": p.tests[t].desc.name,
            "status": v.status,
            "message": v.message,
            "duration": v.secs,
            "attempts": v.attempts,
            "earlier_failures": v.earlier,
            "class_log": out.tempdirs.get(&ClassId(c)).map(|d| format!("{d}/log.txt")),
            "oversubscribed": p.plan.oversubscribed,
        });
        writeln!(f, "{line}")?;
    }
    for (c, m) in &out.class_errors {
        writeln!(
            f,
            "{}",
            serde_json::json!({"event": "class_error", "class": planned[c.0].class.desc.path(), "message": m})
        )?;
    }
    f.flush()
}

/// How many VPPs fit in the memory available: `MemAvailable` (80% of it)
/// over `per_vpp_mb` (`ASF_VPP_MEMORY_MB`, default 300, a real VPP's ~280
/// MB resident).
pub fn memory_slots(per_vpp_mb: u64) -> usize {
    let available_kb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemAvailable:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        })
        .unwrap_or(u64::MAX / 2048);
    ((available_kb / 1024 * 8 / 10) / per_vpp_mb).max(1) as usize
}

/// Seconds each class took in earlier successful runs, kept in the temp base.
#[derive(Debug, Default)]
pub struct Timings(BTreeMap<String, f64>);

const TIMINGS: &str = ".asf-timings.json";

impl Timings {
    /// Reads the history (empty if absent or unreadable).
    pub fn load(tmp: &Path) -> Timings {
        std::fs::read_to_string(tmp.join(TIMINGS))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .map(Timings)
            .unwrap_or_default()
    }

    /// The last duration of a class (0 if unknown).
    pub fn get(&self, class: &str) -> f64 {
        self.0.get(class).copied().unwrap_or(0.0)
    }

    /// Records the classes that ran without failure.
    pub fn record(&mut self, planned: &[Planned], out: &Outcome) {
        for (c, secs) in &out.durations {
            self.0
                .insert(planned[c.0].class.desc.module_path.to_string(), *secs);
        }
    }

    /// Writes the history (best effort: a read-only temp base is fine).
    pub fn save(&self, tmp: &Path) {
        if let Ok(text) = serde_json::to_string_pretty(&self.0) {
            let tmp_file = tmp.join(format!("{TIMINGS}.{}", std::process::id()));
            if std::fs::write(&tmp_file, text).is_ok() {
                let _ = std::fs::rename(&tmp_file, tmp.join(TIMINGS));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Class, ClassDesc, TestDesc};
    use crate::rules::{plan_class, Facts, SkipReason};
    use crate::runner::plan::{ClassId, RunEvent, Selected, Span};

    const fn test(class: &'static ClassDesc, name: &'static str, line: u32) -> TestDesc {
        TestDesc::for_tests(class, name, line, &[])
    }

    static RAN: ClassDesc = ClassDesc::for_tests("suites::ran", "Ran", "Ran", &[], None);
    static RAN_A: TestDesc = test(&RAN, "test_a", 1);
    static RAN_B: TestDesc = test(&RAN, "test_b", 2);
    static RAN_C: TestDesc = test(&RAN, "test_c", 3);
    static SHORT: ClassDesc = ClassDesc::for_tests("suites::short", "Short", "Short", &[], None);
    static SHORT_A: TestDesc = test(&SHORT, "test_a", 1);

    fn verdict(status: Status, message: Option<&str>) -> Verdict {
        Verdict {
            status,
            message: message.map(str::to_string),
            secs: 0.5,
            attempts: 1,
            earlier: Vec::new(),
        }
    }

    /// Two classes: one that ran (a pass, a failure, a flaky pass), one
    /// skipped for lack of CPUs; the outcome comes from events alone.
    fn run() -> (Vec<Class>, Vec<RunEvent>) {
        let classes = vec![
            Class {
                desc: &RAN,
                tests: vec![&RAN_A, &RAN_B, &RAN_C],
            },
            Class {
                desc: &SHORT,
                tests: vec![&SHORT_A],
            },
        ];
        let c0 = ClassId(0);
        let events = vec![
            RunEvent::Verdict {
                class: ClassId(1),
                test: 0,
                verdict: verdict(
                    Status::Skip,
                    Some("not enough cpus, required=3, available=2"),
                ),
            },
            RunEvent::Verdict {
                class: c0,
                test: 0,
                verdict: verdict(Status::Pass, None),
            },
            RunEvent::Verdict {
                class: c0,
                test: 1,
                verdict: verdict(Status::Fail, Some("assertion failed")),
            },
            RunEvent::Verdict {
                class: c0,
                test: 2,
                verdict: verdict(Status::Error, Some("first try")),
            },
            // The retry of test_c passes: its verdict replaces the first.
            RunEvent::Verdict {
                class: c0,
                test: 2,
                verdict: Verdict {
                    earlier: vec!["first try".into()],
                    ..verdict(Status::Flaky, Some("first try"))
                },
            },
            RunEvent::ClassError(c0, "tear_down_class failed".into()),
            RunEvent::TempDir(c0, "/tmp/vpp-unittest-suites.ran".into()),
            RunEvent::Ran(Span {
                class: c0,
                attempt: 1,
                cpus: vec![0],
                start: 0.0,
                end: 1.0,
            }),
        ];
        (classes, events)
    }

    fn planned(classes: &[Class]) -> Vec<Planned<'_>> {
        let facts = Facts {
            cpus_available: 2,
            ..Facts::default()
        };
        classes
            .iter()
            .map(|class| {
                let mut plan = plan_class(class.desc, &facts);
                if class.desc.name == "Short" {
                    plan.skip = Some(SkipReason::CpuShortage {
                        required: 3,
                        available: 2,
                        vpp_threads: None,
                    });
                }
                Planned {
                    class,
                    plan,
                    tests: class
                        .tests
                        .iter()
                        .map(|&desc| Selected { desc, skip: None })
                        .collect(),
                }
            })
            .collect()
    }

    #[test]
    fn the_outcome_is_its_events_folded() {
        let (classes, events) = run();
        let p = planned(&classes);
        let mut out = Outcome::new(p.iter().map(|p| p.tests.len()));
        for e in events.clone() {
            out.record(e);
        }
        assert_eq!(out.events, events);
        assert_eq!(
            out.verdict(ClassId(0), 2).map(|v| v.status),
            Some(Status::Flaky),
            "the retry's verdict replaced the first"
        );
        assert_eq!(out.class_errors.len(), 1);
        assert_eq!(out.spans.len(), 1);
        assert_eq!(
            out.tempdirs.get(&ClassId(0)).map(String::as_str),
            Some("/tmp/vpp-unittest-suites.ran")
        );
    }

    #[test]
    fn test_results_count_each_verdict_and_cpu_shortage_apart() {
        let (classes, events) = run();
        let p = planned(&classes);
        let mut out = Outcome::new(p.iter().map(|p| p.tests.len()));
        for e in events {
            out.record(e);
        }
        let s = Summary::new(&p, &out);
        let lines: BTreeMap<&str, u64> = s.result_lines().into_iter().collect();
        assert_eq!(lines.get("Scheduled tests"), Some(&4), "{lines:?}");
        assert_eq!(lines.get("Executed tests"), Some(&4), "{lines:?}");
        assert_eq!(lines.get("Passed tests"), Some(&1), "{lines:?}");
        assert_eq!(lines.get("Flaky tests"), Some(&1), "{lines:?}");
        assert_eq!(lines.get("Failures"), Some(&1), "{lines:?}");
        assert_eq!(lines.get("Errors"), Some(&1), "the class error: {lines:?}");
        assert_eq!(
            lines.get("Tests skipped due to lack of CPUS"),
            Some(&1),
            "{lines:?}"
        );
        assert_eq!(
            lines.get("Skipped tests"),
            None,
            "not a plain skip: {lines:?}"
        );
        // libtest's totals: a flaky pass passes; the failure and the class
        // error fail; the skip is ignored.
        assert_eq!(
            (s.totals.passed, s.totals.failed, s.totals.ignored),
            (2, 2, 1)
        );
        let titles: Vec<&str> = s.failures.iter().map(|f| f.flavour).collect();
        assert_eq!(titles, ["FAIL", "ERROR"]);
    }
}
