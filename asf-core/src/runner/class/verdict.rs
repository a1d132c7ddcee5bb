//! How a test's outcome becomes a verdict: failures, VPP's death, panics,
//! subtests, expected failures.

use super::state::*;
use super::teardown::*;
use crate::case::TestCase;
use crate::exit::chain;
use crate::model::Hook;
use crate::runner::event::Status;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

pub(super) fn died_message(class: &str, test: &str, info: &crate::exit::ExitInfo) -> String {
    format!("VPP subprocess died unexpectedly while running {class}.{test} with {info}.")
}

/// A failure, blamed on VPP's death when VPP died: VPP's framework's
/// wording first, the step's own error (if any) as a second line.
pub(super) fn died_or(case: &TestCase, test: Option<&str>, f: Failure) -> Failure {
    settle_death(case);
    match case.vpp.exit_info() {
        Some(info) => {
            let died = match test {
                Some(t) => died_message(case.class.name, t, &info),
                None => format!("VPP subprocess died unexpectedly with {info}."),
            };
            Failure::Error(match f {
                Failure::Panic(m) | Failure::Error(m) if !m.is_empty() && m != died => {
                    format!("{died}\n{m}")
                }
                _ => died,
            })
        }
        None => f,
    }
}

pub(super) fn verdict(
    outcome: Result<(), Failure>,
    expected_failure: bool,
) -> (Status, Option<String>) {
    match (outcome, expected_failure) {
        (Ok(()), false) => (Status::Pass, None),
        (Ok(()), true) => (
            Status::UnexpectedPass,
            Some("the test passed but is marked expected_failure".into()),
        ),
        (Err(Failure::Skip(m)), _) => (Status::Skip, Some(m)),
        (Err(Failure::Panic(m)), false) => (Status::Fail, Some(m)),
        (Err(Failure::Error(m)), false) => (Status::Error, Some(m)),
        (Err(f), true) => (Status::ExpectedFail, Some(f.to_string())),
    }
}

pub(super) static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

pub(super) fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic with a non-string payload".to_string());
        let at = info
            .location()
            .map(|l| format!("  at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let text = format!("{msg}\n{at}");
        tracing::error!("panic: {text}");
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(text);
    }));
}

/// A test's outcome with its failed subtests added: each named on a line of
/// its own; a FAIL if any subtest (or the test) panicked, else an ERROR.
pub(super) fn with_subtests(ran: Result<(), Failure>, case: &mut TestCase) -> Result<(), Failure> {
    let failed = case.take_subtest_failures();
    if failed.is_empty() {
        return ran;
    }
    let mut lines: Vec<String> = failed
        .iter()
        .map(|(name, _, m)| format!("subtest [{name}] failed: {m}"))
        .collect();
    let any_panic = failed.iter().any(|(_, p, _)| *p);
    match ran {
        Ok(()) | Err(Failure::Skip(_)) => {}
        Err(Failure::Panic(m)) => return Err(Failure::Panic(format!("{m}\n{}", lines.join("\n")))),
        Err(Failure::Error(m)) => lines.insert(0, m),
    }
    let message = format!(
        "{} of the test's subtests failed\n{}",
        failed.len(),
        lines.join("\n")
    );
    Err(if any_panic {
        Failure::Panic(message)
    } else {
        Failure::Error(message)
    })
}

/// What a returned error means: a skip, a failed check (Python's
/// `AssertionError`: a FAIL, as a panic), or an ERROR.
fn failure_of(e: Box<dyn std::error::Error + Send + Sync>) -> Failure {
    match e.downcast::<crate::case::Skip>() {
        Ok(skip) => Failure::Skip(skip.0),
        Err(e) if crate::case::AssertionFailed::is_in(&*e) => Failure::Panic(chain(&*e)),
        Err(e) => Failure::Error(chain(&*e)),
    }
}

pub(super) fn run_hook(hook: Option<Hook>, case: &mut TestCase) -> Result<(), Failure> {
    let Some(hook) = hook else {
        return Ok(());
    };
    match panic::catch_unwind(AssertUnwindSafe(|| hook(case))) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(failure_of(e)),
        Err(_) => {
            let msg = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
            Err(Failure::Panic(
                msg.unwrap_or_else(|| "the test panicked".into()),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_check_is_a_fail_and_other_errors_are_errors() {
        use crate::case::{AssertionFailed, Skip};
        #[derive(Debug)]
        struct Wrapper(AssertionFailed);
        impl std::fmt::Display for Wrapper {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("remove_dot1_layer")
            }
        }
        impl std::error::Error for Wrapper {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let fail = failure_of(AssertionFailed::new("the tag's VLAN is 100, expected 101").into());
        assert!(
            matches!(&fail, Failure::Panic(m) if m.contains("VLAN is 100")),
            "{fail:?}"
        );
        let wrapped = failure_of(Box::new(Wrapper(AssertionFailed::new("no tag"))));
        assert!(
            matches!(&wrapped, Failure::Panic(m) if m.contains("no tag")),
            "{wrapped:?}"
        );
        assert!(matches!(
            failure_of("VPP refused it".into()),
            Failure::Error(_)
        ));
        assert!(
            matches!(failure_of(Skip::new("no tap").into()), Failure::Skip(m) if m == "no tap")
        );
    }

    #[test]
    fn outcomes_map_to_verdicts_as_unittest_does() {
        let panic = || Err(Failure::Panic("assertion failed".into()));
        let error = || Err(Failure::Error("VPP died".into()));
        assert_eq!(verdict(Ok(()), false), (Status::Pass, None));
        assert_eq!(verdict(panic(), false).0, Status::Fail);
        assert_eq!(verdict(error(), false).0, Status::Error);
        assert_eq!(
            verdict(Err(Failure::Skip("no tap".into())), false),
            (Status::Skip, Some("no tap".into()))
        );
        // expected_failure: a failure or error is expected, a pass is not.
        assert_eq!(verdict(panic(), true).0, Status::ExpectedFail);
        assert_eq!(verdict(error(), true).0, Status::ExpectedFail);
        assert_eq!(verdict(Ok(()), true).0, Status::UnexpectedPass);
        assert_eq!(
            verdict(Err(Failure::Skip("x".into())), true).0,
            Status::Skip,
            "a skip stays a skip"
        );
    }
}
