//! Console output in the shape of VPP's framework: a header block per class,
//! a line per test, the failures, then libtest's closing `test result:` line.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use colored::{ColoredString, Colorize};
use libtest_mimic::ColorSetting;

use super::event::Status;
use crate::rules::{Color, Header};

/// `=` × 78, as VPP's framework prints it.
pub const DOUBLE_LINE: &str =
    "==============================================================================";
/// `-` × 78.
pub const SINGLE_LINE: &str =
    "------------------------------------------------------------------------------";

/// Set once a write to stdout found it closed (`| head`): the run stops as
/// if interrupted, quietly, and exits with 141 (128 + SIGPIPE).
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// True once standard output was found closed.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(std::sync::atomic::Ordering::SeqCst)
}

/// Decides colour once (`--color`, `NO_COLOR`, terminal) and prints.
pub struct Console {
    out: std::io::Stdout,
    /// stdout is a terminal: a live progress line is shown.
    tty: bool,
    /// A progress line is on screen and must be erased before output.
    progress_shown: std::cell::Cell<bool>,
    /// The counts on that line.
    progress_last: std::cell::Cell<(usize, usize, usize)>,
}

/// A failed test, for the list printed at the end.
pub struct Failure {
    /// ERROR, FAIL or UNEXPECTED PASS.
    pub flavour: &'static str,
    /// Test description and name.
    pub title: String,
    /// The message.
    pub message: String,
}

/// Counts for the closing line.
#[derive(Default, Debug, Clone, Copy)]
pub struct Totals {
    /// Passed (expected failures included).
    pub passed: u64,
    /// Failed, errors and unexpected passes.
    pub failed: u64,
    /// Skipped or ignored.
    pub ignored: u64,
    /// Filtered out.
    pub filtered_out: u64,
}

impl Console {
    /// A console for `setting` (`no_color`: `NO_COLOR` is set).
    pub fn new(setting: ColorSetting, no_color: bool) -> Console {
        let enabled = match setting {
            ColorSetting::Always => true,
            ColorSetting::Never => false,
            ColorSetting::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        colored::control::set_override(enabled);
        Console {
            out: std::io::stdout(),
            tty: std::io::stdout().is_terminal(),
            progress_shown: std::cell::Cell::new(false),
            progress_last: std::cell::Cell::new((0, 0, 0)),
        }
    }

    fn line(&self, s: impl std::fmt::Display) {
        let mut out = self.out.lock();
        if self.progress_shown.replace(false) {
            let _ = write!(out, "\r\x1b[K");
        }
        let written = writeln!(out, "{s}").and_then(|()| out.flush());
        if written.is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
            STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }

    /// On a terminal, a live line: classes running, done and left.
    pub fn progress(&self, running: usize, done: usize, left: usize) {
        if !self.tty
            || (self.progress_shown.get() && self.progress_last.get() == (running, done, left))
        {
            return;
        }
        self.progress_last.set((running, done, left));
        let mut out = self.out.lock();
        let _ = write!(
            out,
            "\r\x1b[K[asf] classes: {running} running, {done} done, {left} left"
        );
        let _ = out.flush();
        self.progress_shown.set(true);
    }

    /// The header block of a class.
    pub fn header(&self, header: &Header) {
        let title: String = header
            .0
            .iter()
            .map(|(text, color)| paint(text, *color).to_string())
            .collect();
        self.line(DOUBLE_LINE);
        self.line(title);
        self.line(DOUBLE_LINE);
    }

    /// A free-form line.
    pub fn note(&self, s: &str) {
        self.line(s);
    }

    /// The line of one test: description, duration, verdict.
    pub fn test(
        &self,
        description: &str,
        duration: Duration,
        status: Status,
        reason: Option<&str>,
    ) {
        let (word, suffix) = match status {
            Status::Pass => ("OK".green(), String::new()),
            Status::Fail => ("FAIL".red(), String::new()),
            Status::Error => ("ERROR".red(), String::new()),
            Status::Skip => (
                "SKIP".yellow(),
                reason.map(|r| format!(" [{r}]")).unwrap_or_default(),
            ),
            Status::ExpectedFail => ("FAIL".green(), " [EXPECTED FAIL]".to_string()),
            Status::UnexpectedPass => ("OK".red(), " [UNEXPECTED PASS]".to_string()),
            Status::Flaky => ("FLAKY".yellow(), " [passed on a retry]".to_string()),
            Status::NotRun => (
                "NOT RUN".red(),
                reason.map(|r| format!(" [{r}]")).unwrap_or_default(),
            ),
        };
        self.line(format!(
            "{:<67} {:4.2} {}{}",
            description,
            duration.as_secs_f64(),
            word,
            suffix
        ));
    }

    /// The failures and errors, with their messages.
    pub fn failures(&self, failures: &[Failure]) {
        if failures.is_empty() {
            return;
        }
        self.line("");
        for f in failures {
            self.line(DOUBLE_LINE);
            self.line(format!("{}: {}", f.flavour, f.title));
            self.line(SINGLE_LINE);
            self.line(&f.message);
        }
    }

    /// libtest's closing line.
    pub fn summary(&self, t: Totals, elapsed: Duration) {
        let outcome = if t.failed > 0 {
            "FAILED".red()
        } else {
            "ok".green()
        };
        self.line("");
        self.line(format!(
            "test result: {outcome}. {} passed; {} failed; {} ignored; 0 measured; {} filtered out; finished in {:.2}s",
            t.passed,
            t.failed,
            t.ignored,
            t.filtered_out,
            elapsed.as_secs_f64()
        ));
        self.line("");
    }
}

fn paint(text: &str, color: Color) -> ColoredString {
    match color {
        Color::Green => text.green(),
        Color::Yellow => text.yellow(),
        Color::Red => text.red(),
        Color::Plain => text.normal(),
    }
}
