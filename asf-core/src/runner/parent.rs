//! The parent: selects tests, applies the tag rules, runs each class in a
//! child process of this same binary, turns the child's events into console
//! lines, and makes sure no class process (and so no VPP) outlives the run.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use libtest_mimic::{FormatSetting, Trial};
use nix::sys::signal::{kill, killpg, SigSet, SigmaskHow, Signal};
use nix::unistd::Pid;

use super::args::Cli;
use super::child::{self, EVENT_FD, PLAN_ENV};
use super::console::{Console, Failure, Totals};
use super::event::{ChildPlan, Event, Status};
use crate::config::Config;
use crate::model::{self, Class, Tag, TestDesc};
use crate::rules::{self, ClassPlan, Facts, OsRelease};
use crate::vpp::process::{die_with_parent, ExitInfo};

/// Entry point of an asf test binary (`fn main() -> ExitCode { asf_core::main() }`).
pub fn main() -> ExitCode {
    if let Ok(plan) = std::env::var(PLAN_ENV) {
        // This process is a class process started by the parent below.
        return ExitCode::from(u8::try_from(child::run(&plan)).unwrap_or(1));
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// A test selected to run, with the skip decided for it.
struct Selected {
    desc: &'static TestDesc,
    skip: Option<String>,
}

struct Planned<'a> {
    class: &'a Class,
    plan: ClassPlan,
    tests: Vec<Selected>,
}

fn selected_by_tags(test: &TestDesc, tags: &[Tag], skip_tags: &[Tag]) -> bool {
    let have = test.effective_tags();
    (tags.is_empty() || tags.iter().any(|t| have.contains(t)))
        && !skip_tags.iter().any(|t| have.contains(t))
}

fn trial(test: &TestDesc, with_kind: bool) -> Trial {
    let mut t = Trial::test(test.full_name(), || Ok(())).with_ignored_flag(test.ignore.is_some());
    if with_kind {
        let tags: Vec<&str> = test.effective_tags().iter().map(|t| t.as_str()).collect();
        if !tags.is_empty() {
            t = t.with_kind(tags.join(","));
        }
    }
    t
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let args = &cli.libtest;
    let classes = model::registry();
    let pretty = !matches!(
        args.format,
        Some(FormatSetting::Terse) | Some(FormatSetting::Json)
    );

    // Tag filters from flags and environment; flags add to the environment.
    let env_tags = |var: &'static str| -> Result<Vec<Tag>, String> {
        std::env::var(var)
            .ok()
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Tag::parse(s).map_err(|e| format!("{var}: {e}")))
                    .collect()
            })
            .unwrap_or(Ok(Vec::new()))
    };
    let mut tags = env_tags("ASF_TAG")?;
    tags.extend(cli.tags.iter().copied());
    let mut skip_tags = env_tags("ASF_SKIP_TAG")?;
    skip_tags.extend(cli.skip_tags.iter().copied());

    let all: Vec<&TestDesc> = classes
        .iter()
        .flat_map(|c| c.tests.iter().copied())
        .collect();
    let selected = |t: &TestDesc| {
        selected_by_tags(t, &tags, &skip_tags) && !args.is_filtered_out(&trial(t, false))
    };
    let filtered_out = all.iter().filter(|t| !selected(t)).count() as u64;

    if args.list {
        let trials: Vec<Trial> = all
            .iter()
            .filter(|t| selected_by_tags(t, &tags, &skip_tags))
            .map(|t| trial(t, pretty))
            .collect();
        let _listed = libtest_mimic::run(args, trials);
        return Ok(ExitCode::SUCCESS);
    }

    let config = Config::from_env().map_err(|e| e.to_string())?;
    let facts = gather_facts(&config);
    let console = Console::new(args.color.unwrap_or_default());

    let mut planned: Vec<Planned> = Vec::new();
    for class in &classes {
        let tests: Vec<Selected> = class
            .tests
            .iter()
            .filter(|t| selected(t))
            .map(|&desc| {
                let trial = trial(desc, false);
                let skip = if args.is_ignored(&trial) {
                    Some(match desc.ignore {
                        Some(r) if !r.is_empty() => format!("ignored: {r}"),
                        _ => "ignored".to_string(),
                    })
                } else {
                    rules::test_skip(desc, &facts)
                };
                Selected { desc, skip }
            })
            .collect();
        if tests.is_empty() {
            continue;
        }
        planned.push(Planned {
            class,
            plan: rules::plan_class(class.desc, &facts),
            tests,
        });
    }
    let order = rules::run_order(
        &planned
            .iter()
            .enumerate()
            .map(|(i, p)| (i, &p.plan))
            .collect::<Vec<_>>(),
    );

    let guard = SignalGuard::install();
    let started = Instant::now();
    let mut totals = Totals {
        filtered_out,
        ..Totals::default()
    };
    let mut failures = Vec::new();
    let allowed = allowed_cpus(&config);
    for i in order {
        if guard.interrupted() {
            break;
        }
        let p = &planned[i];
        console.header(&p.plan.header);
        let (results, class_failure) = run_class(p, &allowed, &console, &guard);
        if let Some(message) = class_failure {
            totals.failed += 1;
            failures.push(Failure {
                flavour: "ERROR",
                title: format!("class {} ({})", p.class.desc.name, p.class.desc.path()),
                message,
            });
        }
        for (sel, status, message) in results {
            match status {
                Status::Pass | Status::ExpectedFail => totals.passed += 1,
                Status::Skip => totals.ignored += 1,
                Status::Fail | Status::Error | Status::UnexpectedPass => {
                    totals.failed += 1;
                    failures.push(Failure {
                        flavour: match status {
                            Status::Fail => "FAIL",
                            Status::UnexpectedPass => "UNEXPECTED PASS",
                            _ => "ERROR",
                        },
                        title: format!("{} ({})", sel.desc.description(), sel.desc.full_name()),
                        message: message.unwrap_or_default(),
                    });
                }
            }
        }
    }
    console.failures(&failures);
    if guard.interrupted() {
        console.note("interrupted: classes not started were not run");
    }
    console.summary(totals, started.elapsed());
    Ok(if guard.interrupted() {
        ExitCode::from(130)
    } else if totals.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn gather_facts(config: &Config) -> Facts {
    Facts {
        asan: config.asan_reason(),
        debug_build: config.debug_reason(),
        os: std::fs::read_to_string(&config.os_release)
            .map(|t| OsRelease::parse(&t))
            .unwrap_or_default(),
        cpus_available: allowed_cpus(config).len(),
        default_workers: config.default_workers,
    }
}

/// CPUs this process may run on, capped by `MAX_VPP_CPUS`.
fn allowed_cpus(config: &Config) -> Vec<usize> {
    let mut cpus: Vec<usize> = match nix::sched::sched_getaffinity(Pid::from_raw(0)) {
        Ok(set) => (0..nix::sched::CpuSet::count())
            .filter(|&c| set.is_set(c).unwrap_or(false))
            .collect(),
        Err(_) => (0..std::thread::available_parallelism().map_or(1, |n| n.get())).collect(),
    };
    if let Some(max) = config.max_vpp_cpus {
        cpus.truncate(max);
    }
    cpus
}

type Verdict<'a> = (&'a Selected, Status, Option<String>);

/// Runs one class: prints its lines and returns a verdict per selected test,
/// plus a class-level error no test carries (a failed `tear_down_class`).
fn run_class<'a>(
    p: &'a Planned,
    allowed: &[usize],
    console: &Console,
    guard: &SignalGuard,
) -> (Vec<Verdict<'a>>, Option<String>) {
    let mut out: Vec<Verdict> = Vec::new();
    let mut report = |sel: &'a Selected, status: Status, message: Option<String>, secs: f64| {
        let reason = if status == Status::Skip {
            message.as_deref()
        } else {
            None
        };
        console.test(
            &sel.desc.description(),
            Duration::from_secs_f64(secs),
            status,
            reason,
        );
        out.push((sel, status, message));
    };
    if let Some(reason) = &p.plan.skip {
        for sel in &p.tests {
            report(sel, Status::Skip, Some(reason.clone()), 0.0);
        }
        return (out, None);
    }
    let to_run: Vec<&Selected> = p.tests.iter().filter(|s| s.skip.is_none()).collect();
    if to_run.is_empty() {
        for sel in &p.tests {
            report(sel, Status::Skip, sel.skip.clone(), 0.0);
        }
        return (out, None);
    }

    let plan = ChildPlan {
        class: p.class.desc.module_path.to_string(),
        tests: to_run.iter().map(|s| s.desc.name.to_string()).collect(),
        cpus: allowed.iter().copied().take(p.plan.cpus_required).collect(),
        workers: p.plan.workers,
    };
    let mut child = match spawn_child(&plan) {
        Ok(c) => c,
        Err(e) => {
            for sel in &p.tests {
                report(
                    sel,
                    Status::Error,
                    Some(format!("cannot start the class process: {e}")),
                    0.0,
                );
            }
            return (out, None);
        }
    };
    guard.track(child.pgid);

    // Verdicts by test name, filled from the child's events.
    let mut results: HashMap<&str, (Status, Option<String>, f64)> = HashMap::new();
    let mut running: Option<String> = None;
    let mut class_dir: Option<String> = None;
    let mut class_error: Option<String> = None;
    let mut finished = false;
    let mut next = 0usize;
    let names: Vec<&str> = p.tests.iter().map(|s| s.desc.name).collect();
    // Print lines in declaration order as soon as each verdict is known.
    let mut flush = |results: &HashMap<&str, (Status, Option<String>, f64)>, next: &mut usize| {
        while *next < p.tests.len() {
            let sel = &p.tests[*next];
            if let Some(reason) = &sel.skip {
                report(sel, Status::Skip, Some(reason.clone()), 0.0);
            } else if let Some((status, message, secs)) = results.get(sel.desc.name) {
                report(sel, *status, message.clone(), *secs);
            } else {
                break;
            }
            *next += 1;
        }
    };
    let mut lines = BufReader::new(child.events.take().expect("event pipe")).lines();
    while let Some(Ok(line)) = lines.next() {
        let Ok(event) = serde_json::from_str::<Event>(&line) else {
            tracing::warn!("unreadable event from class process: {line}");
            continue;
        };
        match event {
            Event::ClassStarted { tempdir, .. } => class_dir = Some(tempdir),
            Event::TestStarted { test } => running = Some(test),
            Event::TestFinished {
                test,
                status,
                message,
                duration,
            } => {
                running = None;
                let message = match (&class_dir, status.is_failure()) {
                    (Some(dir), true) => Some(format!(
                        "{}\nclass log: {dir}/log.txt",
                        message.unwrap_or_default()
                    )),
                    _ => message,
                };
                if let Some(name) = names.iter().find(|n| **n == test) {
                    results.insert(name, (status, message, duration));
                }
                flush(&results, &mut next);
            }
            Event::ClassError { message } => class_error = Some(message),
            Event::ClassFinished => finished = true,
        }
    }
    // EOF: the class process is exiting or a zombie, so its process group
    // id cannot have been reused yet; whatever is left in it (a VPP the class
    // process failed to stop) is killed before the class process is reaped.
    guard.untrack(child.pgid);
    let status = child.wait();

    // Whatever the child did not report: the test it was in died with it,
    // the rest were never run.
    let exit = status
        .map(|s| ExitInfo(s).to_string())
        .unwrap_or_else(|| "unknown status".into());
    for sel in &to_run {
        let name = sel.desc.name;
        if results.contains_key(name) {
            continue;
        }
        let message = if guard.interrupted() {
            "not run: the run was interrupted".to_string()
        } else if let Some(m) = &class_error {
            m.clone()
        } else if running.as_deref() == Some(name) {
            format!(
                "the class process died while running {}.{} with {exit}",
                p.class.desc.name, name
            )
        } else if finished {
            "not run: the class process did not run it".to_string()
        } else {
            format!("not run: the class process exited early with {exit}")
        };
        results.insert(name, (Status::Error, Some(message), 0.0));
    }
    flush(&results, &mut next);
    let used = |m: &String| results.values().any(|r| r.1.as_ref() == Some(m));
    let class_failure = class_error.filter(|m| !used(m));
    (out, class_failure)
}

struct ChildProc {
    child: std::process::Child,
    pgid: i32,
    events: Option<std::io::PipeReader>,
}

impl ChildProc {
    fn wait(&mut self) -> Option<std::process::ExitStatus> {
        self.child.wait().ok()
    }
}

fn spawn_child(plan: &ChildPlan) -> std::io::Result<ChildProc> {
    let exe = std::env::current_exe()?;
    let (reader, writer) = std::io::pipe()?;
    let json = serde_json::to_string(plan).map_err(std::io::Error::other)?;
    let mut cmd = Command::new(exe);
    cmd.env(PLAN_ENV, json)
        .stdin(Stdio::null())
        .process_group(0);
    die_with_parent(&mut cmd);
    let write_fd = std::os::fd::AsRawFd::as_raw_fd(&writer);
    // SAFETY: runs between fork and exec and only calls dup2(2), which is
    // async-signal-safe; `write_fd` stays open in the parent until spawn returns.
    unsafe {
        cmd.pre_exec(move || {
            if libc::dup2(write_fd, EVENT_FD) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = cmd.spawn()?;
    drop(writer);
    let pgid = child.id() as i32;
    Ok(ChildProc {
        child,
        pgid,
        events: Some(reader),
    })
}

/// Blocks SIGINT/SIGTERM/SIGHUP in every thread and handles them on one:
/// the first signal terminates the running class process groups (their
/// VPPs included) and stops scheduling; a second one kills them outright.
struct SignalGuard {
    state: Arc<GuardState>,
}

struct GuardState {
    interrupted: AtomicBool,
    groups: Mutex<Vec<i32>>,
}

impl SignalGuard {
    fn install() -> SignalGuard {
        let state = Arc::new(GuardState {
            interrupted: AtomicBool::new(false),
            groups: Mutex::new(Vec::new()),
        });
        let mut set = SigSet::empty();
        for s in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
            set.add(s);
        }
        if nix::sys::signal::pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&set), None).is_ok() {
            let st = state.clone();
            std::thread::spawn(move || loop {
                let Ok(sig) = set.wait() else { continue };
                let again = st.interrupted.swap(true, Ordering::SeqCst);
                let with = if again {
                    Signal::SIGKILL
                } else {
                    Signal::SIGTERM
                };
                eprintln!("\nasf: got {sig}; stopping the running classes");
                for &g in st.groups.lock().unwrap_or_else(|e| e.into_inner()).iter() {
                    let _ = killpg(Pid::from_raw(g), with);
                }
                if again {
                    std::process::exit(130);
                }
            });
        }
        SignalGuard { state }
    }

    fn interrupted(&self) -> bool {
        self.state.interrupted.load(Ordering::SeqCst)
    }

    fn track(&self, pgid: i32) {
        self.state
            .groups
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(pgid);
        if self.interrupted() {
            let _ = kill(Pid::from_raw(pgid), Signal::SIGTERM);
        }
    }

    fn untrack(&self, pgid: i32) {
        // The group may still hold a VPP the class process failed to stop.
        let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
        self.state
            .groups
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|&g| g != pgid);
    }
}
