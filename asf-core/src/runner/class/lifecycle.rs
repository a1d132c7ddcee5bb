//! The life of a class process: read the plan, set up signals and the
//! panic hook, boot or attach to VPP, run the class and its tests in order,
//! report each verdict, and quit.

use super::boot::*;
use super::log::*;
use super::state::*;
use super::teardown::*;
use super::verdict::*;
use crate::config::Config;
use crate::exit::chain;
use crate::model::{self};
use crate::runner::debug::{self, Mode};
use crate::runner::event::{ChildPlan, Event, Status};
use crate::runner::plan::{class_tempdir, EVENT_FD, PLAN_ENV};
use crate::vpp::startup::{self};
use std::fs::File;
use std::time::{Duration, Instant};

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

pub(super) fn clean_up_and_exit(sig: nix::sys::signal::Signal) -> ! {
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

impl ClassRun<'_> {
    pub(super) fn run(&mut self) -> i32 {
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
            startup::api_sock(&startup::runtime_link(&tempdir)).display()
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
                // `requires_vpp` on the test, when the version was not
                // known before boot (VPP without `--version`).
                let too_old = test
                    .host
                    .vpp_release
                    .and_then(|want| case.vpp_too_old(want).ok().flatten());
                let outcome = match too_old {
                    Some(reason) => Err(Failure::Skip(reason)),
                    None => Ok(()),
                }
                .and_then(|()| test_set_up(&mut case, test.name))
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
                case.earlier.push(test.name);
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
}
