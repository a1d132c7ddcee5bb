//! The class process: boots the class's VPP, runs its tests one by one, and
//! reports each verdict to the parent as an [`Event`].

use std::fs::{self, File};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::debug::{self, Mode};
use super::event::{ChildPlan, Event, Status};
use super::plan::{class_lock, class_tempdir, EVENT_FD, OVERSUBSCRIBED_POLL_SLEEP_USEC, PLAN_ENV};
use crate::api::ApiClient;
use crate::case::TestCase;
use crate::config::Config;
use crate::errors::{ApiError, VppError};
use crate::model::{self, Class, Hook};
use crate::vpp::process::VppProcess;
use crate::vpp::startup::{self, Startup};

/// Set when the parent asks the class to stop after the running test.
static STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Grace period between SIGTERM and SIGKILL at tear-down.
const STOP_GRACE: Duration = Duration::from_secs(5);

struct Reporter {
    out: File,
}

impl Reporter {
    fn send(&mut self, e: &Event) {
        if let Ok(mut line) = serde_json::to_string(e) {
            line.push('\n');
            // The parent going away ends this process via PDEATHSIG; nothing to do here.
            let _ = self.out.write_all(line.as_bytes());
        }
    }
}

/// Entry point of a class process. Returns the process exit code.
pub fn run(plan_json: &str) -> i32 {
    // SAFETY: the parent dup2()ed the write end of its event pipe onto
    // EVENT_FD just before exec; nothing else in this process owns it.
    let out = unsafe { <File as std::os::fd::FromRawFd>::from_raw_fd(EVENT_FD) };
    // VPP must not inherit the event pipe: the parent reads EOF as "the
    // class process is gone".
    let _ = nix::fcntl::fcntl(
        &out,
        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC),
    );
    let mut reporter = Reporter { out };
    let plan: ChildPlan = match serde_json::from_str(plan_json) {
        Ok(p) => p,
        Err(e) => {
            reporter.send(&Event::ClassError {
                message: format!("bad {PLAN_ENV}: {e}"),
            });
            return 2;
        }
    };
    let classes = model::registry();
    let Some(class) = classes.iter().find(|c| c.desc.module_path == plan.class) else {
        reporter.send(&Event::ClassError {
            message: format!("no class {} in this binary", plan.class),
        });
        return 2;
    };
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            reporter.send(&Event::ClassError {
                message: e.to_string(),
            });
            return 2;
        }
    };
    install_panic_hook();
    // Pinned to the class's main core, as VPP's framework pins its driver
    // (VPP inherits it; its workers pin themselves to their cores).
    if let Some(&main_core) = plan.cpus.first() {
        let mut set = nix::sched::CpuSet::new();
        if set.set(main_core).is_ok() {
            let _ = nix::sched::sched_setaffinity(nix::unistd::Pid::from_raw(0), &set);
        }
    }
    // SIGTERM, SIGINT or SIGHUP (Ctrl-C, or the parent's death): kill this
    // class's VPP, remove its API segment files and host objects, and go.
    let mut term = nix::sys::signal::SigSet::empty();
    for sig in [
        nix::sys::signal::Signal::SIGTERM,
        nix::sys::signal::Signal::SIGINT,
        nix::sys::signal::Signal::SIGHUP,
    ] {
        term.add(sig);
    }
    if term.thread_block().is_ok() {
        std::thread::spawn(move || {
            if let Ok(sig) = term.wait() {
                clean_up_and_exit(sig);
            }
        });
    }
    // --failfast: SIGUSR1 from the parent means "stop after this test".
    let mut usr1 = nix::sys::signal::SigSet::empty();
    usr1.add(nix::sys::signal::Signal::SIGUSR1);
    if usr1.thread_block().is_ok() {
        std::thread::spawn(move || {
            if usr1.wait().is_ok() {
                STOP.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        });
    }
    let mut runner = ClassRun {
        class,
        plan,
        reporter,
        debug: config.settings.debug,
        seed: crate::case::class_seed(config.settings.rnd_seed.as_deref()),
        config,
    };
    runner.run()
}

/// Removes what a class's VPP and tests may leave on the host: the VPP's
/// API segment files in /dev/shm and the class's recorded host objects
/// (namespaces, interfaces). Returns what could not be removed. Used at the
/// start of a class (an earlier run was killed), after its VPP stops or
/// fails to start, when the class process is told to go, and by the parent
/// when the class process died.
pub fn remove_leftovers(tempdir: &Path) -> Vec<String> {
    startup::remove_api_segment_files(tempdir);
    crate::host::ledger::remove(tempdir, crate::host::ledger::Scope::Class)
}

/// What a class process must clean up if it is told to go: its VPP's pid
/// and its temp dir.
static CLEANUP: std::sync::Mutex<Option<(u32, PathBuf)>> = std::sync::Mutex::new(None);

fn clean_up_and_exit(sig: nix::sys::signal::Signal) -> ! {
    let state = CLEANUP.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some((pid, tempdir)) = state {
        let pid = nix::unistd::Pid::from_raw(pid as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
        // Reap it (it is our child), so its files are closed.
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            match nix::sys::wait::waitpid(pid, Some(nix::sys::wait::WaitPidFlag::WNOHANG)) {
                Ok(nix::sys::wait::WaitStatus::StillAlive) => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                _ => break,
            }
        }
        remove_leftovers(&tempdir);
    }
    std::process::exit(128 + sig as i32)
}

struct ClassRun<'a> {
    class: &'a Class,
    plan: ChildPlan,
    config: Config,
    reporter: Reporter,
    debug: Option<Mode>,
    seed: u64,
}

impl ClassRun<'_> {
    fn run(&mut self) -> i32 {
        let desc = self.class.desc;
        let tempdir = class_tempdir(&self.config.tmp_dir, desc.module_path);
        // Another run of the same class (a second `cargo test`, or nextest
        // running two tests of one class at once) waits here instead of
        // wiping this class's temp dir under its feet.
        let _lock = match lock_class(&tempdir) {
            Ok(lock) => lock,
            Err(e) => {
                self.reporter
                    .send(&Event::ClassError { message: chain(&e) });
                return 1;
            }
        };
        // What an earlier run of this class left (it was killed with
        // SIGKILL, say): its VPP's API segment files, and host objects (the
        // record is in the temp dir about to go).
        for problem in remove_leftovers(&tempdir) {
            eprintln!("asf: {}: left by an earlier run: {problem}", desc.name);
        }
        if let Err(e) = prepare_tempdir(&tempdir) {
            self.reporter
                .send(&Event::ClassError { message: chain(&e) });
            return 1;
        }
        init_log(&tempdir);
        tracing::debug!(
            "Random seed is {} (RND_SEED={} replays it)",
            self.seed,
            self.seed
        );
        tracing::debug!("--- setUpClass() for {} called ---", desc.name);
        tracing::info!(
            "Temporary dir is {}, api socket is {}",
            tempdir.display(),
            startup::api_sock(&tempdir).display()
        );

        let mut case = match self.boot(&tempdir) {
            Ok(case) => case,
            Err(message) => {
                // The VPP that failed to come up is gone (killed when
                // dropped); what it left goes too.
                remove_leftovers(&tempdir);
                tracing::error!("{message}");
                self.reporter.send(&Event::ClassError { message });
                return 1;
            }
        };
        self.reporter.send(&Event::ClassStarted {
            vpp_pid: case.vpp_pid(),
            tempdir: tempdir.display().to_string(),
        });

        // Capabilities the class needs, asked of the VPP itself, then the
        // class set-up; either may skip the whole class with a reason.
        let skip = match case.missing_capability() {
            Some(reason) => Err(Failure::Skip(reason)),
            None => run_hook(desc.set_up_class, &mut case),
        };
        let mut class_error = match skip {
            Ok(()) => None,
            Err(Failure::Skip(reason)) => {
                tracing::info!("skipping the class: {reason}");
                for t in self
                    .class
                    .tests
                    .iter()
                    .filter(|t| self.plan.tests.iter().any(|n| n == t.name))
                {
                    self.reporter.send(&Event::TestFinished {
                        test: t.name.into(),
                        status: Status::Skip,
                        message: Some(reason.clone()),
                        duration: 0.0,
                    });
                }
                self.quit(case);
                self.reporter.send(&Event::ClassFinished);
                return 0;
            }
            Err(e) => Some(format!("set_up_class failed: {}", died_or(&case, None, e))),
        };
        if let Some(message) = &class_error {
            self.reporter.send(&Event::ClassError {
                message: message.clone(),
            });
        }

        let tests: Vec<_> = self
            .class
            .tests
            .iter()
            .filter(|t| self.plan.tests.iter().any(|n| n == t.name))
            .copied()
            .collect();
        for test in tests {
            if class_error.is_some() || STOP.load(std::sync::atomic::Ordering::SeqCst) {
                break;
            }
            if self.debug == Some(Mode::Step) {
                debug::ask(&format!(
                    "next: {}.{} - press ENTER to run it",
                    desc.name, test.name
                ));
            }
            self.reporter.send(&Event::TestStarted {
                test: test.name.into(),
            });
            let started = Instant::now();
            let (status, message) = if let Some(info) = case.vpp.exit_info() {
                (
                    Status::Error,
                    Some(died_message(desc.name, test.name, &info)),
                )
            } else if let Some(why) = case.api.broken() {
                (
                    Status::Error,
                    Some(format!(
                        "not run: the API connection to VPP broke earlier in this class ({why})"
                    )),
                )
            } else {
                case.test = Some(test.name);
                // The class's tear_down runs after every test whose set-up
                // succeeded, also when the test failed or skipped itself (as
                // unittest's tearDown), unless VPP is gone.
                let outcome = test_set_up(&mut case, test.name)
                    .and_then(|()| run_hook(desc.set_up, &mut case))
                    .and_then(|()| {
                        let ran = with_subtests(run_hook(Some(test.run), &mut case), &mut case);
                        if vpp_lost(&case).is_some() {
                            return ran;
                        }
                        match (ran, run_hook(desc.tear_down, &mut case)) {
                            (ran, Ok(())) => ran,
                            (Ok(()) | Err(Failure::Skip(_)), Err(t)) => Err(t),
                            (Err(Failure::Panic(m)), Err(t)) => {
                                Err(Failure::Panic(format!("{m}\ntear_down: {t}")))
                            }
                            (Err(Failure::Error(m)), Err(t)) => {
                                Err(Failure::Error(format!("{m}\ntear_down: {t}")))
                            }
                        }
                    });
                let outcome = match (outcome, test_tear_down(&mut case, test.name)) {
                    (Ok(()), Err(e)) => Err(e),
                    // Both: the test's failure first, then what tear-down found.
                    (Err(Failure::Panic(m)), Err(t)) => Err(Failure::Panic(format!("{m}\n{t}"))),
                    (Err(Failure::Error(m)), Err(t)) => Err(Failure::Error(format!("{m}\n{t}"))),
                    (outcome, _) => outcome,
                };
                case.test = None;
                let outcome = outcome.map_err(|e| died_or(&case, Some(test.name), e));
                verdict(outcome, test.expected_failure)
            };
            let message = match (status.is_failure(), message) {
                (true, Some(m)) => Some(format!(
                    "{m}\nRND_SEED={} replays this class's randomness",
                    self.seed
                )),
                (_, m) => m,
            };
            if let Some(m) = &message {
                tracing::info!("{}.{}: {:?}: {m}", desc.name, test.name, status);
            }
            self.reporter.send(&Event::TestFinished {
                test: test.name.into(),
                status,
                message,
                duration: started.elapsed().as_secs_f64(),
            });
            if case.vpp.exit_info().is_some() {
                // Every later test of the class fails the same way, before it starts.
                continue;
            }
        }

        if class_error.is_none() && vpp_lost(&case).is_none() {
            if let Err(e) = run_hook(desc.tear_down_class, &mut case) {
                class_error = Some(format!(
                    "tear_down_class failed: {}",
                    died_or(&case, None, e)
                ));
                tracing::error!("{}", class_error.as_deref().unwrap_or_default());
            }
        }
        let class_tempdir = case.tempdir.clone();
        if let Some(crash) = self.quit(case) {
            tracing::error!("{crash}");
            class_error.get_or_insert(crash);
        }
        // The VPP is gone: its /dev/shm files and the class's host objects go.
        let problems = remove_leftovers(&class_tempdir);
        if !problems.is_empty() {
            let message = format!("cannot remove host objects: {}", problems.join("; "));
            tracing::error!("{message}");
            class_error.get_or_insert(message);
        }
        if let Some(message) = class_error {
            // Reported after the tests, it marks the class itself as broken.
            self.reporter.send(&Event::ClassError { message });
        }
        self.reporter.send(&Event::ClassFinished);
        0
    }

    /// Starts VPP and connects to it.
    fn boot(&self, tempdir: &Path) -> Result<TestCase, String> {
        let desc = self.class.desc;
        let startup = Startup {
            tempdir: tempdir.to_path_buf(),
            cpus: self.plan.cpus.clone(),
            coredump_size: self.config.coredump_size.clone(),
            variant: self.config.variant.clone(),
            api_fuzz: self.config.api_fuzz,
            extern_plugins: self.config.extern_plugins.clone(),
            debug_cli: matches!(self.debug, Some(Mode::Gdb | Mode::GdbServer | Mode::Step)),
            heap_size: None,
            statseg_config: desc
                .statseg_config
                .iter()
                .map(ToString::to_string)
                .collect(),
            plugin_config: desc.plugin_config.iter().map(ToString::to_string).collect(),
            vpp_config: desc.vpp_config.iter().map(ToString::to_string).collect(),
            plugins: desc
                .plugins
                .map(|p| p.iter().map(ToString::to_string).collect()),
            poll_sleep_usec: self
                .plan
                .oversubscribed
                .then_some(OVERSUBSCRIBED_POLL_SLEEP_USEC),
        };
        for sock in [
            startup::api_sock(tempdir),
            startup::stats_sock(tempdir),
            startup::cli_sock(tempdir),
        ] {
            let len = sock.as_os_str().len();
            if len > 107 {
                return Err(chain(&VppError::SocketPathTooLong { path: sock, len }));
            }
        }
        let argv = startup.argv();
        tracing::info!("vpp_cmdline args: {:?}", argv);
        if self.debug == Some(Mode::Attach) {
            return self.attach(tempdir);
        }
        // Debug modes wait for the person at the terminal: no time limits.
        let start_limit = if self.debug.is_some() {
            Duration::from_secs(365 * 24 * 3600)
        } else {
            self.config.start_timeout
        };
        let vpp = Arc::new(
            if self.debug == Some(Mode::GdbServer) {
                let mut gdb_argv = vec![
                    "localhost:7777".to_string(),
                    self.config.vpp_bin.display().to_string(),
                ];
                gdb_argv.extend(argv.iter().cloned());
                VppProcess::spawn(Path::new("gdbserver"), &gdb_argv, tempdir)
            } else {
                VppProcess::spawn(&self.config.vpp_bin, &argv, tempdir)
            }
            .map_err(|e| chain(&e))?,
        );
        *CLEANUP.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((vpp.pid(), tempdir.to_path_buf()));
        debug::announce(self.debug, vpp.pid(), &self.config.vpp_bin);
        let mut api = wait_ready(
            &vpp,
            tempdir,
            start_limit,
            &self.config.api_dirs,
            &self.config.extern_api_dirs,
        )
        .map_err(|e| {
            let _ = vpp.stop(STOP_GRACE);
            wait_for_core(
                &vpp,
                tempdir,
                &self.config.vpp_bin,
                self.config.compress_core,
                self.debug,
            );
            chain(&e)
        })?;
        if self.debug.is_some() {
            api.set_timeout(None);
        } else if let Some(secs) = desc.api_timeout {
            api.set_timeout(Some(Duration::from_secs(u64::from(secs))));
        }
        Ok(TestCase {
            class: desc.info(),
            test: None,
            api,
            vpp,
            tempdir: tempdir.to_path_buf(),
            cpus: self.plan.cpus.clone(),
            helper_cpus: self.plan.helper_cpus.clone(),
            oversubscribed: self.plan.oversubscribed,
            workers: self.plan.workers,
            registry: Vec::new(),
            stats: None,
            socket_dir: tempdir.to_path_buf(),
            rng: fastrand::Rng::with_seed(self.seed),
            seed: self.seed,
            vpp_bin: self.config.vpp_bin.clone(),
            settings: self.config.settings.clone(),
            subtest_failures: Vec::new(),
        })
    }

    /// `DEBUG=attach`: use the VPP whose sockets are in `VPP_SOCKET_DIR`
    /// (default /run/vpp); it is never started nor stopped.
    fn attach(&self, tempdir: &Path) -> Result<TestCase, String> {
        let dir = self.config.settings.vpp_socket_dir.clone();
        let sock = startup::api_sock(&dir);
        let mut api =
            ApiClient::connect(&sock, "asf", Some(Duration::from_secs(5))).map_err(|e| {
                format!(
                    "cannot attach to the VPP at {}: {}; set VPP_SOCKET_DIR to its runtime dir",
                    sock.display(),
                    chain(&e)
                )
            })?;
        let pid = api.control_ping().map_err(|e| chain(&e))?.vpe_pid;
        println!("Attached to VPP with PID {pid} at {}", dir.display());
        let vpp = Arc::new(VppProcess::attached(pid));
        let v = vpp.clone();
        api.set_liveness(Arc::new(move || v.exit_info()));
        api.set_timeout(None);
        api.set_schema_source(
            self.config.api_dirs.clone(),
            self.config.extern_api_dirs.clone(),
        );
        Ok(TestCase {
            class: self.class.desc.info(),
            test: None,
            api,
            vpp,
            tempdir: tempdir.to_path_buf(),
            socket_dir: dir,
            cpus: self.plan.cpus.clone(),
            helper_cpus: self.plan.helper_cpus.clone(),
            oversubscribed: self.plan.oversubscribed,
            workers: self.plan.workers,
            registry: Vec::new(),
            stats: None,
            rng: fastrand::Rng::with_seed(self.seed),
            seed: self.seed,
            vpp_bin: self.config.vpp_bin.clone(),
            settings: self.config.settings.clone(),
            subtest_failures: Vec::new(),
        })
    }

    /// Disconnects and stops VPP: SIGTERM, grace, SIGKILL. Returns an
    /// error when VPP, alive until then, crashed on the way out (killed by
    /// a signal other than the SIGTERM/SIGKILL sent to it).
    fn quit(&self, case: TestCase) -> Option<String> {
        let TestCase {
            api, vpp, tempdir, ..
        } = case;
        let alive = vpp.exit_info().is_none();
        if alive && api.broken().is_none() {
            if let Err(e) = api.disconnect() {
                tracing::debug!("disconnect: {e}");
            }
        } else {
            drop(api);
        }
        let info = vpp.stop(STOP_GRACE);
        tracing::info!("VPP exited with {info}");
        wait_for_core(
            &vpp,
            &tempdir,
            &self.config.vpp_bin,
            self.config.compress_core,
            self.debug,
        );
        match info.signal_name() {
            Some(sig) if alive && sig != "SIGTERM" && sig != "SIGKILL" => {
                Some(format!("VPP crashed during tear-down with {info}"))
            }
            _ => None,
        }
    }
}

/// The framework's part of a test's set-up, as VPP's framework does it: a
/// marker in the log and both VPP output files, then `clear trace`.
fn test_set_up(case: &mut TestCase, test: &str) -> Result<(), Failure> {
    let marker = format!(
        "--- test setUp() for {}.{test} starts here ---",
        case.class.name
    );
    tracing::info!("{marker}");
    case.vpp.mark(&marker);
    case.cli("clear trace")
        .map(drop)
        .map_err(|e| Failure::Error(format!("set-up: {}", chain(&e))))
}

/// How long a VPP that closed its API connection may take to finish dying:
/// its signal handler prints, then the kernel writes a core (about a second
/// per GB here) before the process can be reaped.
const DYING_LIMIT: Duration = Duration::from_secs(120);

/// When VPP closed the API connection but its process is still there, waits
/// (bounded) for it to finish dying, so its death is blamed on the step that
/// was running, not on whatever looks next.
fn settle_death(case: &TestCase) {
    if case.api.closed_by_vpp() && case.vpp.exit_info().is_none() {
        tracing::info!(
            "VPP closed the API connection: waiting for its process to end (a core being written?)"
        );
        let started = Instant::now();
        match case.vpp.wait_timeout(DYING_LIMIT) {
            Some(info) => tracing::info!(
                "VPP ended with {info}, {:.1} s after closing the connection",
                started.elapsed().as_secs_f64()
            ),
            None => tracing::warn!(
                "VPP closed the API connection and still runs after {} s",
                DYING_LIMIT.as_secs()
            ),
        }
    }
}

/// Why VPP can no longer be talked to, if it cannot: it died, or the API
/// connection broke. (`died_or` turns the first into the died message.)
fn vpp_lost(case: &TestCase) -> Option<String> {
    settle_death(case);
    if case.vpp.exit_info().is_some() {
        Some("VPP died".into())
    } else {
        case.api
            .broken()
            .map(|why| format!("the API connection to VPP broke ({why})"))
    }
}

/// The framework's part of a test's tear-down: remove what the test
/// registered, log VPP's state, save the API trace into the class temp dir,
/// and remove the test's host objects whatever happened to VPP.
fn test_tear_down(case: &mut TestCase, test: &str) -> Result<(), Failure> {
    let vpp_side = vpp_tear_down(case, test);
    // The test's namespaces and interfaces go whatever happened to VPP.
    let problems = crate::host::ledger::remove(&case.tempdir, crate::host::ledger::Scope::Test);
    match (vpp_side, problems.is_empty()) {
        (r, true) => r,
        (Ok(()), false) => Err(Failure::Error(format!(
            "tear-down: cannot remove host objects: {}",
            problems.join("; ")
        ))),
        (Err(Failure::Error(m)), false) => Err(Failure::Error(format!(
            "{m}\ntear-down: cannot remove host objects: {}",
            problems.join("; ")
        ))),
        (Err(e), false) => Err(e),
    }
}

/// The VPP side of a test's tear-down.
fn vpp_tear_down(case: &mut TestCase, test: &str) -> Result<(), Failure> {
    if vpp_lost(case).is_none() {
        // A reply that did not come in time: is VPP slow or hung?
        if let Err(e) = case.api.recover() {
            tracing::error!("tear-down: {}", chain(&e));
        }
    }
    if let Some(lost) = vpp_lost(case) {
        return Err(Failure::Error(format!("tear-down: {lost}")));
    }
    let mut problems = Vec::new();
    if case.class.keep_vpp_objects {
        case.registry.clear();
    } else {
        problems.extend(
            case.remove_registered()
                .into_iter()
                .map(|p| format!("cannot remove {p}")),
        );
    }
    match case.errors_str() {
        Ok(errors) => tracing::info!("\n--- tear-down: non-zero error counters\n{errors}"),
        Err(e) => tracing::info!("\n--- tear-down: error counters unreadable: {e}"),
    }
    let standard = [
        "show trace max 1000",
        "show interface",
        "show hardware",
        "show run",
        "show log",
        "show bihash",
    ];
    for cmd in standard.iter().chain(case.class.show_at_teardown) {
        match case.api.cli(cmd) {
            Ok(out) => tracing::info!("\n--- tear-down: {cmd}\n{out}"),
            Err(e) => tracing::info!("\n--- tear-down: {cmd} failed: {}", chain(&e)),
        }
    }
    let file = format!("vpp_api_trace.{test}.{}.log", case.vpp.pid());
    match case.api.cli(&format!("api trace save {file}")) {
        Ok(out) => {
            tracing::debug!("api trace save: {}", out.trim());
            let saved = Path::new("/tmp").join(&file);
            if saved.exists() {
                let target = case.tempdir.join(&file);
                if fs::rename(&saved, &target).is_err() {
                    // /tmp may be another filesystem: copy, then remove.
                    if fs::copy(&saved, &target).is_ok() {
                        let _ = fs::remove_file(&saved);
                    }
                }
            }
        }
        Err(e) => tracing::debug!("api trace save failed: {}", chain(&e)),
    }
    // VPP dying or hanging here is this test's doing, not the next one's
    // (`died_or` turns the first into the died message).
    problems.extend(vpp_lost(case));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::Error(format!(
            "tear-down: {}",
            problems.join("; ")
        )))
    }
}

/// Polls until `api.sock` accepts a connection and `sockclnt_create`
/// succeeds, failing early when VPP dies.
fn wait_ready(
    vpp: &Arc<VppProcess>,
    tempdir: &Path,
    limit: Duration,
    api_dirs: &[PathBuf],
    extern_api_dirs: &[PathBuf],
) -> Result<ApiClient, VppError> {
    let sock = startup::api_sock(tempdir);
    let deadline = Instant::now() + limit;
    let mut last = String::from("api.sock never appeared");
    loop {
        if let Some(status) = vpp.exit_info() {
            // Let the output pumps catch the last lines before reporting.
            std::thread::sleep(Duration::from_millis(50));
            return Err(VppError::DiedAtStart {
                status,
                stderr_tail: vpp.stderr_tail(),
            });
        }
        if Instant::now() >= deadline {
            return Err(VppError::NotReady {
                secs: limit.as_secs_f64(),
                last,
            });
        }
        if sock.exists() {
            let remaining = deadline
                .saturating_duration_since(Instant::now())
                .min(Duration::from_secs(5));
            match ApiClient::connect(
                &sock,
                "asf",
                Some(remaining.max(Duration::from_millis(100))),
            ) {
                Ok(mut api) => {
                    let v = vpp.clone();
                    api.set_liveness(Arc::new(move || v.exit_info()));
                    api.set_timeout(Some(Duration::from_secs(5)));
                    api.set_schema_source(api_dirs.to_vec(), extern_api_dirs.to_vec());
                    tracing::info!("connected to VPP's api ({} messages)", api.message_count());
                    return Ok(api);
                }
                Err(e) => last = format!("connecting to {}: {}", sock.display(), chain(&e)),
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Reports VPP's core file, if it dumped one (see [`crate::vpp::core`]).
fn wait_for_core(
    vpp: &VppProcess,
    tempdir: &Path,
    binary: &Path,
    compress: bool,
    debug: Option<Mode>,
) {
    use std::os::unix::process::ExitStatusExt;
    if vpp.exit_info().is_some_and(|i| i.0.core_dumped()) {
        // %e of core_pattern: VPP names its main thread vpp_main.
        let name = binary
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let comm = if name == "vpp" {
            "vpp_main".to_string()
        } else {
            name
        };
        match crate::vpp::core::collect(tempdir, vpp.pid(), &comm, binary) {
            None => tracing::error!("VPP dumped core, but no core file was found (core_pattern)"),
            Some(core) if debug == Some(Mode::Core) => debug::open_core(binary, &core),
            Some(core) if compress => {
                crate::vpp::core::compress(&core);
            }
            Some(_) => {}
        }
    }
}

/// Takes an exclusive lock on `<tempdir>.lock`, held until the returned
/// value is dropped or the process exits.
fn lock_class(tempdir: &Path) -> Result<nix::fcntl::Flock<File>, VppError> {
    let path = class_lock(tempdir);
    let err = |source| VppError::TempDir {
        path: path.clone(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(err)?;
    }
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .mode(0o600)
        .open(&path)
        .map_err(err)?;
    nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, errno)| err(std::io::Error::from(errno)))
}

/// Removes and re-creates the temp dir, owner-only. `remove_dir_all` does
/// not follow symlinks, and a symlink planted in place of the directory is
/// removed, not followed.
fn prepare_tempdir(dir: &Path) -> Result<(), VppError> {
    let err = |source| VppError::TempDir {
        path: dir.to_path_buf(),
        source,
    };
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(dir).map_err(err)?,
        Ok(_) => fs::remove_file(dir).map_err(err)?,
        Err(_) => {}
    }
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent).map_err(err)?;
    }
    fs::DirBuilder::new().mode(0o700).create(dir).map_err(err)?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(err)
}

use crate::exit::chain;

fn died_message(class: &str, test: &str, info: &crate::exit::ExitInfo) -> String {
    format!("VPP subprocess died unexpectedly while running {class}.{test} with {info}.")
}

/// A failed test or hook, replaced by the VPP-died message when VPP is gone.
enum Failure {
    Panic(String),
    Error(String),
    /// The test skipped itself ([`crate::case::Skip`]).
    Skip(String),
}

/// A failure, blamed on VPP's death when VPP died: VPP's framework's
/// wording first, the step's own error (if any) as a second line.
fn died_or(case: &TestCase, test: Option<&str>, f: Failure) -> Failure {
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

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Panic(m) | Failure::Error(m) | Failure::Skip(m) => f.write_str(m),
        }
    }
}

fn verdict(outcome: Result<(), Failure>, expected_failure: bool) -> (Status, Option<String>) {
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

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

fn install_panic_hook() {
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
fn with_subtests(ran: Result<(), Failure>, case: &mut TestCase) -> Result<(), Failure> {
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

fn run_hook(hook: Option<Hook>, case: &mut TestCase) -> Result<(), Failure> {
    let Some(hook) = hook else {
        return Ok(());
    };
    match panic::catch_unwind(AssertUnwindSafe(|| hook(case))) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => match e.downcast::<crate::case::Skip>() {
            Ok(skip) => Err(Failure::Skip(skip.0)),
            Err(e) => Err(Failure::Error(chain(&*e))),
        },
        Err(_) => {
            let msg = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
            Err(Failure::Panic(
                msg.unwrap_or_else(|| "the test panicked".into()),
            ))
        }
    }
}

/// `HH:MM:SS,mmm` (UTC), the log time format of VPP's framework.
struct LogClock;

impl tracing_subscriber::fmt::time::FormatTime for LogClock {
    fn format_time(&self, w: &mut tracing_subscriber::fmt::format::Writer<'_>) -> std::fmt::Result {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let s = now.as_secs() % 86_400;
        write!(
            w,
            "{:02}:{:02}:{:02},{:03}",
            s / 3600,
            s / 60 % 60,
            s % 60,
            now.subsec_millis()
        )
    }
}

/// Sends the class's tracing output, debug level, to `log.txt`.
fn init_log(tempdir: &Path) {
    let Ok(file) = File::create(tempdir.join("log.txt")) else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_target(false)
        .with_level(false)
        .with_timer(LogClock)
        .with_max_level(tracing::Level::DEBUG)
        .try_init();
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Failure {
        Failure::Error(chain(&e))
    }
}
