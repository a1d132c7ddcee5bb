//! What a test receives: the class's VPP, its API connection and its temp dir.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::api::ApiClient;
use crate::errors::{ApiError, CliError};
use crate::model::ClassDesc;
use crate::vpp::process::VppProcess;

/// What a test returns: `Ok(())`, or any error (reported as ERROR; a panic,
/// such as a failed `assert!`, is reported as FAIL).
pub type TestResult<T = ()> = Result<T, Box<dyn Error + Send + Sync>>;

/// The test case a test function receives: the VPP of its class and the
/// connection to it. One per class; tests of a class run one after another.
pub struct TestCase {
    pub(crate) class: &'static ClassDesc,
    pub(crate) test: Option<&'static str>,
    pub(crate) api: ApiClient,
    pub(crate) vpp: Arc<VppProcess>,
    pub(crate) tempdir: PathBuf,
    pub(crate) cpus: Vec<usize>,
    pub(crate) workers: u32,
    pub(crate) registry: Vec<(String, Remover)>,
}

/// Removes one configured object from VPP at tear-down.
pub type Remover = Box<dyn FnOnce(&mut ApiClient) -> Result<(), ApiError> + Send>;

impl std::fmt::Debug for TestCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestCase")
            .field("class", &self.class.module_path)
            .field("test", &self.test)
            .field("vpp_pid", &self.vpp.pid())
            .finish()
    }
}

impl TestCase {
    /// The binary API client (`vapi` in VPP's framework).
    pub fn api(&mut self) -> &mut ApiClient {
        &mut self.api
    }

    /// Runs a CLI command and returns its output, ANSI escapes removed.
    pub fn cli(&mut self, cmd: &str) -> Result<String, CliError> {
        tracing::debug!("CLI: {cmd}");
        let out = self.api.cli(cmd);
        if let Ok(text) = &out {
            tracing::debug!("CLI output of `{cmd}`:\n{text}");
        }
        out
    }

    /// Like [`TestCase::cli`], and also writes the command and its output
    /// into the class log at info level (`ppcli` of VPP's framework).
    pub fn ppcli(&mut self, cmd: &str) -> Result<String, CliError> {
        let out = self.api.cli(cmd)?;
        tracing::info!("\n--- CLI: {cmd}\n{out}");
        Ok(out)
    }

    /// `control_ping`; returns VPP's pid as VPP reports it.
    pub fn ping(&mut self) -> Result<u32, ApiError> {
        Ok(self.api.control_ping()?.vpe_pid)
    }

    /// The pid of the VPP process this class booted.
    pub fn vpp_pid(&self) -> u32 {
        self.vpp.pid()
    }

    /// The class temp dir (VPP's runtime dir, logs, sockets).
    pub fn tempdir(&self) -> &Path {
        &self.tempdir
    }

    /// The class's display name.
    pub fn class_name(&self) -> &'static str {
        self.class.name
    }

    /// The running test's name (None in class set-up / tear-down).
    pub fn test_name(&self) -> Option<&'static str> {
        self.test
    }

    /// Workers VPP was started with.
    pub fn worker_count(&self) -> u32 {
        self.workers
    }

    /// CPUs assigned to this class: main core first, then workers.
    pub fn cpus(&self) -> &[usize] {
        &self.cpus
    }
}

impl TestCase {
    /// VPP's clock (`Time now` of `show clock`), in seconds, as VPP's
    /// framework reads it (virtual sleeps do not move it: see
    /// [`TestCase::get_vpp_time_offset`]).
    pub fn get_vpp_time(&mut self) -> TestResult<f64> {
        let out = self.cli("show clock")?;
        parse_vpp_time(&out)
            .ok_or_else(|| format!("no `Time now <seconds>` in show clock output: {out:?}").into())
    }

    /// How far `set clock adjust` has moved VPP's time on the main thread
    /// (the `Thread 0 offset` of `show clock`).
    pub fn get_vpp_time_offset(&mut self) -> TestResult<f64> {
        let out = self.cli("show clock")?;
        out.lines()
            .find_map(|l| l.trim().strip_prefix("Thread 0 offset "))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| {
                format!("no `Thread 0 offset <seconds>` in show clock output: {out:?}").into()
            })
    }

    /// Sleeps until VPP's clock has moved `secs` forward.
    pub fn sleep_on_vpp_time(&mut self, secs: f64) -> TestResult {
        let start = self.get_vpp_time()?;
        while self.get_vpp_time()? < start + secs {
            std::thread::sleep(
                std::time::Duration::from_millis(10)
                    .min(std::time::Duration::from_secs_f64(secs.max(0.0))),
            );
        }
        Ok(())
    }

    /// Sleeps `secs` of wall time; the class log warns when the sleep took
    /// more than twice as long (a loaded machine).
    pub fn sleep(&mut self, secs: f64, remark: &str) {
        let start = std::time::Instant::now();
        std::thread::sleep(std::time::Duration::from_secs_f64(secs.max(0.0)));
        let took = start.elapsed().as_secs_f64();
        tracing::debug!("slept {took:.6}s ({secs}s requested) {remark}");
        if took > 2.0 * secs && took - secs > 0.001 {
            tracing::warn!("unexpected long sleep: {took:.6}s instead of {secs}s {remark}");
        }
    }

    /// Moves VPP's clock `secs` forward without waiting (`set clock adjust`).
    pub fn virtual_sleep(&mut self, secs: f64) -> TestResult {
        self.cli(&format!("set clock adjust {secs}"))?;
        Ok(())
    }

    /// Creates `n` loopbacks, sets them admin up, and registers them for
    /// removal at tear-down; returns their `sw_if_index`es.
    pub fn create_loopback_interfaces(&mut self, n: usize) -> TestResult<Vec<u32>> {
        use crate::api::messages::{
            CreateLoopback, DeleteLoopback, SwInterfaceSetFlags, IF_STATUS_API_FLAG_ADMIN_UP,
        };
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let index = self.api.request(&CreateLoopback::default())?.sw_if_index;
            self.register(format!("loopback {index}"), move |api| {
                api.request(&DeleteLoopback { sw_if_index: index })
                    .map(drop)
            });
            self.api.request(&SwInterfaceSetFlags {
                sw_if_index: index,
                flags: IF_STATUS_API_FLAG_ADMIN_UP,
            })?;
            out.push(index);
        }
        Ok(out)
    }

    /// Registers an object the test configured; at tear-down the registered
    /// objects are removed in reverse order (unless the class sets
    /// `keep_vpp_objects`).
    pub fn register(
        &mut self,
        what: impl Into<String>,
        remove: impl FnOnce(&mut ApiClient) -> Result<(), ApiError> + Send + 'static,
    ) {
        self.registry.push((what.into(), Box::new(remove)));
    }

    /// Removes the registered objects, newest first; returns what failed.
    pub(crate) fn remove_registered(&mut self) -> Vec<String> {
        let mut failed = Vec::new();
        while let Some((what, remove)) = self.registry.pop() {
            tracing::debug!("removing {what}");
            if let Err(e) = remove(&mut self.api) {
                failed.push(format!("{what}: {e}"));
            }
        }
        failed
    }

    /// Asserts `real == expected`; for an enum or enumflag type of the API
    /// (`if_status_flags`), the message names the values.
    #[track_caller]
    pub fn assert_equal_enum(&mut self, real: i64, expected: i64, enum_type: &str) {
        if real == expected {
            return;
        }
        let name = |s: &mut Self, v: i64| {
            s.api
                .schema()
                .ok()
                .and_then(|sc| sc.enum_name(enum_type, v))
                .map_or_else(|| v.to_string(), |n| format!("{n} ({v})"))
        };
        let (r, e) = (name(self, real), name(self, expected));
        panic!("invalid {enum_type}: {r} != {e}");
    }
}

/// Asserts `real == expected`, naming what was compared
/// (`assert_equal` of VPP's framework).
#[track_caller]
pub fn assert_equal<T: PartialEq + std::fmt::Debug>(real: T, expected: T, name: &str) {
    if real != expected {
        panic!("invalid {name}: {real:?} != {expected:?}");
    }
}

/// Asserts `min <= real <= max` (`assert_in_range` of VPP's framework).
#[track_caller]
pub fn assert_in_range<T: PartialOrd + std::fmt::Debug>(real: T, min: T, max: T, name: &str) {
    if real < min || real > max {
        panic!("{name} not in range: {real:?} not in [{min:?}, {max:?}]");
    }
}

/// The seconds of `Time now <seconds>` in `show clock` output.
pub fn parse_vpp_time(out: &str) -> Option<f64> {
    let rest = out.split("Time now").nth(1)?;
    let number: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    number.parse().ok()
}

/// Converts what a test returns into a [`TestResult`].
#[diagnostic::on_unimplemented(
    message = "a test must return `()` or `Result<(), E>` with `E` an error type, not `{Self}`",
    label = "this is the test's return type",
    note = "write `fn test_x(t: &mut asf_core::TestCase) -> asf_core::TestResult`"
)]
pub trait IntoTestResult {
    /// The conversion.
    fn into_test_result(self) -> TestResult;
}

impl IntoTestResult for () {
    fn into_test_result(self) -> TestResult {
        Ok(())
    }
}

impl<E: Into<Box<dyn Error + Send + Sync>>> IntoTestResult for Result<(), E> {
    fn into_test_result(self) -> TestResult {
        self.map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vpp_time_from_show_clock() {
        let out =
            "Time now 6.384185, Wed, 25 Nov 2026 14:00:00 GMT\nTime last barrier release 6.1\n";
        assert_eq!(parse_vpp_time(out), Some(6.384185));
        assert_eq!(parse_vpp_time("nothing"), None);
    }

    #[test]
    #[should_panic(expected = "invalid answer: 41 != 42")]
    fn assert_equal_names_the_value() {
        assert_equal(41, 42, "answer");
    }

    #[test]
    #[should_panic(expected = "rate not in range: 11 not in [1, 10]")]
    fn assert_in_range_names_the_bounds() {
        assert_in_range(11, 1, 10, "rate");
    }
}
