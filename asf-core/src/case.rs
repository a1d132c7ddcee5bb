//! What a test receives: the class's VPP, its API connection and its temp dir.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::api::ApiClient;
use crate::errors::{ApiError, CliError};
use crate::vpp::process::VppProcess;

/// What a test returns: `Ok(())`, or any error (reported as ERROR; a panic,
/// such as a failed `assert!`, is reported as FAIL).
pub type TestResult<T = ()> = Result<T, Box<dyn Error + Send + Sync>>;

/// What a test case knows of its class (from its `ClassDesc`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClassInfo {
    /// The class module's path.
    pub module_path: &'static str,
    /// Its display name.
    pub name: &'static str,
    /// `requires_plugins`.
    pub requires_plugins: &'static [&'static str],
    /// `requires_cli`.
    pub requires_cli: &'static [&'static str],
    /// `requires_messages`.
    pub requires_messages: &'static [&'static str],
    /// `keep_vpp_objects`.
    pub keep_vpp_objects: bool,
    /// `show_at_teardown`.
    pub show_at_teardown: &'static [&'static str],
    /// `requires_vpp`.
    pub requires_vpp: Option<&'static str>,
}

/// The test case a test function receives: the VPP of its class and the
/// connection to it. One per class; tests of a class run one after another.
pub struct TestCase {
    pub(crate) class: ClassInfo,
    pub(crate) test: Option<&'static str>,
    /// The tests of the class that ran before the running one, on this VPP.
    pub(crate) earlier: Vec<&'static str>,
    pub(crate) api: ApiClient,
    pub(crate) vpp: Arc<VppProcess>,
    pub(crate) tempdir: PathBuf,
    /// VPP's runtime dir, where its sockets are: the short link to the
    /// temp dir, or VPP_SOCKET_DIR when attached.
    pub(crate) socket_dir: PathBuf,
    pub(crate) cpus: Vec<usize>,
    /// CPUs for helper programs (`helpers = N`); empty: the class's CPUs.
    pub(crate) helper_cpus: Vec<usize>,
    /// The class runs oversubscribed (`--oversubscribe`).
    pub(crate) oversubscribed: bool,
    pub(crate) workers: u32,
    pub(crate) registry: Vec<(String, Remover)>,
    pub(crate) stats: Option<crate::stats::StatsClient>,
    /// State that helper modules keep per class, by type (the packet
    /// generator's interfaces and streams, say), so the test case need not
    /// know them.
    pub(crate) ext: std::collections::HashMap<std::any::TypeId, Box<dyn std::any::Any + Send>>,
    /// How the stats socket found VPP's end gone, if it did.
    pub(crate) stats_hangup: Option<crate::errors::Hangup>,
    pub(crate) rng: fastrand::Rng,
    pub(crate) seed: u64,
    /// The VPP binary (for finding its test programs).
    pub(crate) vpp_bin: PathBuf,
    /// The run's settings (debugging, the build dir of VPP's programs).
    pub(crate) settings: crate::config::Settings,
    /// Failed subtests of the running test: name, panicked (a FAIL, else an
    /// ERROR), message.
    pub(crate) subtest_failures: Vec<(String, bool, String)>,
}

/// Removes one configured object from VPP at tear-down.
pub type Remover = Box<dyn FnOnce(&mut ApiClient) -> TestResult + Send>;

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

    /// The class temp dir (logs, pcaps, VPP's sockets and core file).
    pub fn tempdir(&self) -> &Path {
        &self.tempdir
    }

    /// VPP's runtime dir, the path to give a program that connects to a
    /// socket VPP makes there (`api.sock`, `app_ns_sockets/<namespace>`):
    /// a short link (`/tmp/asf-<hash>`) to the temp dir, so a socket's path
    /// fits whatever the length of `ASF_TMP_DIR`; with `DEBUG=attach`,
    /// `VPP_SOCKET_DIR`.
    pub fn runtime_dir(&self) -> &Path {
        &self.socket_dir
    }

    /// The class's display name.
    pub fn class_name(&self) -> &'static str {
        self.class.name
    }

    /// The running test's name (None in class set-up / tear-down).
    pub fn test_name(&self) -> Option<&'static str> {
        self.test
    }

    /// The tests of this class that ran before the running one on this VPP,
    /// in order.
    pub fn earlier_tests(&self) -> &[&'static str] {
        &self.earlier
    }

    /// For a test that builds on what earlier tests of its class left in
    /// VPP (as VPP's framework's classes may, running their tests in
    /// order): a [`Skip`] naming those of `names` that did not run before
    /// it on this VPP. That happens when the test runs alone (`--exact`,
    /// as cargo-nextest runs every test) or a retry reruns it alone; a
    /// retry that skips so leaves the failure standing.
    pub fn require_earlier(&self, names: &[&str]) -> Result<(), Skip> {
        let missing: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !self.earlier.contains(n))
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(Skip::new(format!(
                "builds on {} of its class, which did not run before it on this VPP",
                missing.join(", ")
            )))
        }
    }

    /// Workers VPP was started with.
    pub fn worker_count(&self) -> u32 {
        self.workers
    }

    /// CPUs assigned to this class's VPP: main core first, then workers.
    pub fn cpus(&self) -> &[usize] {
        &self.cpus
    }

    /// CPUs for the class's helper programs (VPP's framework's
    /// `helper_affinity()`): the class's own helper CPUs, VPP's when the
    /// class runs oversubscribed, empty for a class without `helpers`.
    pub fn helper_cpus(&self) -> &[usize] {
        &self.helper_cpus
    }

    /// True when the class runs oversubscribed (`--oversubscribe`): its
    /// helpers share CPUs with VPP.
    pub fn oversubscribed(&self) -> bool {
        self.oversubscribed
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

    /// Registers an object the test configured; at tear-down the registered
    /// objects are removed in reverse order (unless the class sets
    /// `keep_vpp_objects`).
    pub fn register<E: Into<Box<dyn Error + Send + Sync>>>(
        &mut self,
        what: impl Into<String>,
        remove: impl FnOnce(&mut ApiClient) -> Result<(), E> + Send + 'static,
    ) {
        self.registry.push((
            what.into(),
            Box::new(move |api| remove(api).map_err(Into::into)),
        ));
    }

    /// Drops the newest registration named `what` (the test removed the
    /// object itself); whether there was one.
    pub fn unregister(&mut self, what: &str) -> bool {
        match self.registry.iter().rposition(|(w, _)| w == what) {
            Some(i) => {
                drop(self.registry.remove(i));
                true
            }
            None => false,
        }
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
                .and_then(|sc| crate::api::dynamic::Dynamic::enum_name(&*sc, enum_type, v))
                .map_or_else(|| v.to_string(), |n| format!("{n} ({v})"))
        };
        let (r, e) = (name(self, real), name(self, expected));
        panic!("invalid {enum_type}: {r} != {e}");
    }
}

impl TestCase {
    /// The class's random generator, seeded from `RND_SEED` (or the clock);
    /// the seed is in the class log and in every failure report, so a
    /// failing run can be replayed with `RND_SEED=<seed>`.
    pub fn rng(&mut self) -> &mut fastrand::Rng {
        &mut self.rng
    }

    /// The seed of [`TestCase::rng`].
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Runs a unit-test command (the unittest plugin's `test ...` CLIs) and
    /// fails the test when its output contains `failure`, as VPP's C unit
    /// test suites check (`assertNotIn("failed", error)`); returns the output.
    #[track_caller]
    pub fn unittest_cli(&mut self, cmd: &str, failure: &str) -> TestResult<String> {
        let out = self.cli(cmd)?;
        if !out.trim().is_empty() {
            tracing::error!("{cmd}:\n{out}");
        }
        assert!(
            !out.contains(failure),
            "`{failure}' in the output of `{cmd}':\n{out}"
        );
        Ok(out)
    }

    /// Runs one case of a test (unittest's `with self.subTest(...)`): a
    /// failing case (a panic, as a failed `assert!`, or an error) is
    /// recorded with its name and the test goes on with the next case; the
    /// test fails at its end if any case failed, every failing case named
    /// in its report (console, JUnit, JSON events). A case that skips itself
    /// is logged and counts as passed.
    pub fn subtest(
        &mut self,
        name: impl Into<String>,
        f: impl FnOnce(&mut TestCase) -> TestResult,
    ) {
        let name = name.into();
        tracing::info!("--- subtest {name}");
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        let failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(e)) => match e.downcast::<Skip>() {
                Ok(skip) => {
                    tracing::info!("subtest {name} skipped: {skip}");
                    None
                }
                Err(e) => Some((AssertionFailed::is_in(&*e), e.to_string())),
            },
            Err(payload) => Some((
                true,
                payload
                    .downcast_ref::<&str>()
                    .map(ToString::to_string)
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic with a non-string payload".into()),
            )),
        };
        if let Some((panicked, message)) = failure {
            tracing::error!("subtest {name} failed: {message}");
            self.subtest_failures.push((name, panicked, message));
        }
    }

    /// The failed subtests of the running test, taken (the framework calls
    /// it when the test's body returns).
    pub(crate) fn take_subtest_failures(&mut self) -> Vec<(String, bool, String)> {
        std::mem::take(&mut self.subtest_failures)
    }

    /// `cli_inband` with its retval and reply as VPP sent them, no error for
    /// a non-zero retval (`cli_return_response` of VPP's framework).
    pub fn cli_return_response(
        &mut self,
        cmd: &str,
    ) -> Result<crate::api::vpp::vlib::CliInbandReply, ApiError> {
        tracing::debug!("CLI: {cmd}");
        let r = self.api.request_raw(&crate::api::vpp::vlib::CliInband {
            cmd: cmd.to_string(),
        })?;
        tracing::debug!("CLI retval {} output of `{cmd}`:\n{}", r.retval, r.reply);
        Ok(r)
    }

    /// Runs CLI commands in order, as VPP's suites do in a
    /// `for cmd in cmds: cli_return_response(cmd)` loop: a command VPP
    /// refuses is logged (`<cmd> FAIL reply ...`), not an error.
    pub fn cli_sequence(&mut self, cmds: &[&str]) -> Result<(), ApiError> {
        for cmd in cmds {
            let r = self.cli_return_response(cmd)?;
            if r.retval != 0 {
                tracing::info!("{cmd} FAIL reply {}", r.reply);
            }
        }
        Ok(())
    }

    /// The plugins VPP has loaded (`show plugins`); empty when VPP has no
    /// such command.
    pub fn loaded_plugins(&mut self) -> Vec<String> {
        self.api
            .cli("show plugins")
            .map(|out| {
                out.split_whitespace()
                    .filter(|w| w.ends_with(".so"))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Why this class cannot run on this VPP, if it cannot: a plugin from
    /// `requires_plugins` not loaded, or a message of `requires_messages`
    /// missing from the message table.
    pub(crate) fn missing_capability(&mut self) -> Option<String> {
        if !self.class.requires_plugins.is_empty() {
            let loaded = self.loaded_plugins();
            let missing: Vec<&str> = self
                .class
                .requires_plugins
                .iter()
                .copied()
                .filter(|p| !loaded.iter().any(|l| l == p))
                .collect();
            if !missing.is_empty() {
                return Some(format!(
                    "needs {} which this VPP has not loaded (show plugins)",
                    missing.join(", ")
                ));
            }
        }
        for cmd in self.class.requires_cli {
            if let Err(crate::errors::CliError::Syntax { .. }) = self.api.cli(cmd) {
                return Some(format!(
                    "needs the CLI command `{cmd}`, which this VPP does not know"
                ));
            }
        }
        if let Some(want) = self.class.requires_vpp {
            if let Ok(Some(reason)) = self.vpp_too_old(want) {
                return Some(reason);
            }
        }
        let missing: Vec<&str> = self
            .class
            .requires_messages
            .iter()
            .copied()
            .filter(|m| !self.api.has_message(m))
            .collect();
        if !missing.is_empty() {
            return Some(format!(
                "needs the API message(s) {} which this VPP does not have",
                missing.join(", ")
            ));
        }
        None
    }

    /// Skips the test (or, in a subtest, the subtest) when the VPP under
    /// test is older than `release` (`"26.10"`): for a check of behaviour
    /// that changed in that release, where `requires_vpp` on the test would
    /// skip too much. The version is asked of VPP (`show_version`).
    pub fn require_vpp(&mut self, release: &str) -> TestResult {
        match self.vpp_too_old(release)? {
            Some(reason) => Err(Skip::new(reason).into()),
            None => Ok(()),
        }
    }

    /// Whether the VPP under test is `release` (`"26.10"`) or newer, for a
    /// check of behaviour that changed there inside a test that runs on
    /// older VPPs too; a version asf cannot read counts as new.
    pub fn vpp_at_least(&mut self, release: &str) -> TestResult<bool> {
        Ok(self.vpp_too_old(release)?.is_none())
    }

    /// Why the VPP under test is older than `release`, if it is (its
    /// version asked with `show_version`).
    pub(crate) fn vpp_too_old(&mut self, release: &str) -> TestResult<Option<String>> {
        crate::vpp::release::Release::parse(release)?;
        let version = self.api.show_version()?.version.to_string();
        Ok(crate::vpp::release::too_old(release, &version))
    }

    /// The stats segment reader (`statistics` of VPP's framework), connected
    /// on first use to the class's `stats.sock`.
    pub fn stats(&mut self) -> Result<&mut crate::stats::StatsClient, crate::errors::StatsError> {
        if self.stats.is_none() {
            let path = crate::vpp::startup::stats_sock(&self.socket_dir);
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            let client = loop {
                // VPP hands the segment out once its main loop polls the
                // listener: retry briefly, as VPP's framework does.
                match crate::stats::StatsClient::connect(&path) {
                    Ok(c) => break c,
                    Err(e) => {
                        // VPP's end gone (refused, reset, closed before the
                        // hand-over) or VPP dead: it is dying, not slow.
                        if let Some(how) = e.hangup() {
                            self.stats_hangup = Some(how);
                            return Err(e);
                        }
                        if self.vpp.exit_info().is_some() || std::time::Instant::now() >= deadline {
                            return Err(e);
                        }
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                }
            };
            self.stats = Some(client);
        }
        Ok(self.stats.as_mut().expect("connected above"))
    }

    /// The class's own data of type `T`, made with `Default` on first use
    /// and kept for the class's later tests (what a Python class keeps in
    /// class attributes, `cls.vrf_list`): set it in `set_up_class`, read
    /// and change it in the tests.
    pub fn class_data<T: std::any::Any + Send + Default>(&mut self) -> &mut T {
        self.ext
            .entry(std::any::TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()))
            .downcast_mut()
            .expect("stored under its own type")
    }

    /// The class's data of type `T`, if a test or `set_up_class` made it.
    pub fn class_data_ref<T: std::any::Any + Send>(&self) -> Option<&T> {
        self.ext
            .get(&std::any::TypeId::of::<T>())
            .and_then(|b| b.downcast_ref())
    }

    /// How VPP's end of its API or stats socket went away, if it has (end
    /// of file, reset, broken pipe, refused): VPP is dying, and the runner
    /// waits for its process before it gives a verdict.
    pub(crate) fn vpp_hung_up(&self) -> Option<crate::errors::Hangup> {
        self.api.closed_by_vpp().or(self.stats_hangup)
    }

    /// A counter: a stats path (`/if/rx`) read from the segment, or an
    /// error name as `show errors` prints it (its total count).
    pub fn get_counter(&mut self, counter: &str) -> TestResult<crate::stats::StatValue> {
        if counter.starts_with('/') {
            return Ok(self.stats()?.get(counter)?);
        }
        let out = self.cli("show errors")?;
        let mut total = 0u64;
        for line in out.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() >= 3 && (fields[2] == counter || line.contains(&format!(" {counter} ")))
            {
                total += fields[0].parse::<u64>().unwrap_or(0);
            }
        }
        Ok(crate::stats::StatValue::Scalar(total))
    }

    /// Asserts a counter's value at `[thread][index]`, or summed over
    /// threads at `index` when `thread` is None (`assert_counter_equal`).
    #[track_caller]
    pub fn assert_counter_equal(
        &mut self,
        counter: &str,
        expected: u64,
        thread: Option<usize>,
        index: usize,
    ) {
        let v = match self.get_counter(counter) {
            Ok(v) => v,
            Err(e) => panic!("cannot read counter `{counter}': {e}"),
        };
        let real = match thread {
            Some(t) => v.at(t, index).unwrap_or(0),
            None => v.sum_index(index),
        };
        tracing::debug!(
            "validate counter `{counter}[{index}]', expected: {expected}, real value: {real}"
        );
        assert_equal(real, expected, &format!("counter `{counter}[{index}]'"));
    }

    /// Asserts an error counter's total over threads (`assert_error_counter_equal`).
    #[track_caller]
    pub fn assert_error_counter_equal(&mut self, counter: &str, expected: u64) {
        let real = match self
            .stats()
            .map_err(|e| e.to_string())
            .and_then(|s| s.get(counter).map_err(|e| e.to_string()))
        {
            Ok(v) => v.sum(),
            Err(e) => panic!("cannot read error counter `{counter}': {e}"),
        };
        assert_equal(real, expected, &format!("error counter `{counter}'"));
    }

    /// The non-zero error counters, one `<count> <path>` line each, for the
    /// tear-down log (`set_errors_str` of VPP's framework).
    pub fn errors_str(&mut self) -> TestResult<String> {
        let errs = self.stats()?.dump(&["^/err/"])?;
        let mut out = String::new();
        for (name, v) in errs {
            let n = v.sum();
            if n != 0 {
                out.push_str(&format!("{n:>12} {name}\n"));
            }
        }
        Ok(out)
    }

    /// Snapshots the counters named in `diff` (`snapshot_stats`).
    pub fn snapshot_stats(&mut self, diff: &StatsDiff) -> TestResult<StatsSnapshot> {
        let mut snap = StatsSnapshot::default();
        for (_, counters) in &diff.0 {
            for (name, _) in counters {
                if !snap.0.contains_key(name) {
                    let v = self.stats()?.get(name)?;
                    snap.0.insert(name.clone(), v);
                }
            }
        }
        tracing::debug!(
            "took statistics snapshot: {:?}",
            snap.0.keys().collect::<Vec<_>>()
        );
        Ok(snap)
    }

    /// Asserts that each counter moved by its expected difference since the
    /// snapshot (`compare_stats_with_snapshot`): per sw_if_index (summed
    /// over threads) or, for the `err` group, in total.
    #[track_caller]
    pub fn compare_stats_with_snapshot(&mut self, diff: &StatsDiff, snapshot: &StatsSnapshot) {
        for (group, counters) in &diff.0 {
            for (name, d) in counters {
                let now = match self
                    .stats()
                    .map_err(|e| e.to_string())
                    .and_then(|s| s.get(name).map_err(|e| e.to_string()))
                {
                    Ok(v) => v,
                    Err(e) => panic!("cannot read `{name}': {e}"),
                };
                let Some(before) = snapshot.0.get(name) else {
                    panic!("`{name}' is not in the snapshot");
                };
                let (now, before) = match group {
                    DiffGroup::Err => (now.sum(), before.sum()),
                    DiffGroup::Interface(i) => {
                        (now.sum_index(*i as usize), before.sum_index(*i as usize))
                    }
                };
                assert_equal(
                    now as i128,
                    before as i128 + *d as i128,
                    &format!(
                        "'{name}' counter value (previous value: {before}, expected diff: {d})"
                    ),
                );
            }
        }
    }
}

/// The seed for a class: `RND_SEED` (an integer, or a float such as VPP's
/// framework prints, whose bits are used), else the clock.
pub fn class_seed(rnd_seed: Option<&str>) -> u64 {
    match rnd_seed.filter(|s| !s.is_empty()) {
        Some(s) => s
            .parse::<u64>()
            .or_else(|_| s.parse::<f64>().map(f64::to_bits))
            .unwrap_or_else(|_| {
                s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                })
            }),
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    }
}

/// Returned by a test (as its error) to skip itself at run time with a
/// reason, like unittest's `skipTest`: `return Err(Skip::new("why").into())`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip(pub String);

impl Skip {
    /// A skip with its reason.
    pub fn new(reason: impl Into<String>) -> Skip {
        Skip(reason.into())
    }
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "skipped: {}", self.0)
    }
}

impl Error for Skip {}

/// A check of what VPP did that did not hold (Python's `AssertionError`):
/// returned as a test's error, anywhere in its chain of sources, it makes
/// the test a FAIL, as a failed `assert!` does, where any other error is an
/// ERROR. The vocabulary's checks of packets and counters return it
/// (a tag that is not there, fewer packets than an assertion wants), so a
/// port gives the verdict its Python original gives:
/// `return Err(AssertionFailed::new(format!("...")).into())`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssertionFailed(pub String);

impl AssertionFailed {
    /// A failed check with what was wrong.
    pub fn new(message: impl Into<String>) -> AssertionFailed {
        AssertionFailed(message.into())
    }

    /// Whether `e`, or an error it wraps, is a failed check.
    pub fn is_in(e: &(dyn Error + 'static)) -> bool {
        let mut next = Some(e);
        while let Some(e) = next {
            if e.is::<AssertionFailed>() {
                return true;
            }
            next = e.source();
        }
        false
    }
}

impl std::fmt::Display for AssertionFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for AssertionFailed {}

/// A group of expected counter differences: per interface, or error counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffGroup {
    /// Counters of one sw_if_index.
    Interface(u32),
    /// Error counters (`err` in VPP's framework), compared in total.
    Err,
}

/// Expected counter differences, VPP-framework style:
/// `[(Interface(1), [("/if/rx", 10)]), (Err, [("/err/ip4-input/time_expired", 0)])]`.
#[derive(Clone, Debug, Default)]
pub struct StatsDiff(pub Vec<(DiffGroup, Vec<(String, i64)>)>);

/// Counter values taken by [`TestCase::snapshot_stats`].
#[derive(Clone, Debug, Default)]
pub struct StatsSnapshot(pub std::collections::BTreeMap<String, crate::stats::StatValue>);

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
