//! Runs classes in parallel: each in a class process of its own, on its own
//! cores, bounded by `--jobs`, free cores and memory; solo classes after
//! all others, one at a time; longest first from the timing history.
//! Enforces per-test time limits by killing the class's process group,
//! reruns failed tests (`--retries`) on a fresh VPP, and stops scheduling
//! at the first failure under `--failfast`.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

use super::console::Console;
use super::cpus::CpuPool;
use super::event::{ChildPlan, Event, Status};
use super::plan::{
    ClassId, Outcome, Planned, RunEvent, Span, Verdict, EVENT_FD, OVERSUBSCRIBED_TIME_FACTOR,
    PLAN_ENV,
};
use super::signals::SignalGuard;
use crate::exit::ExitInfo;
use crate::vpp::process::die_with_parent_by;

/// How the scheduler runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Classes at once, at most.
    pub jobs: usize,
    /// Classes at once by memory, at most.
    pub memory_slots: usize,
    /// Default per-test limit, seconds (None: no limit, for debugging).
    pub timeout: Option<u32>,
    /// Extra attempts for failed tests.
    pub retries: u32,
    /// Stop at the first failure.
    pub failfast: bool,
    /// How long a class may take to boot its VPP.
    pub start_timeout: Duration,
    /// A debug mode: class processes stay in the terminal's foreground
    /// process group so a debugger can read the terminal.
    pub foreground: bool,
    /// `--compress-core`: passed to the class processes as COMPRESS_CORE=1.
    pub compress_core: bool,
}

struct Job {
    class: usize,
    /// Indexes into the class's tests.
    tests: Vec<usize>,
    attempt: u32,
}

struct Running {
    job: Job,
    pgid: i32,
    child: std::process::Child,
    cpus: Vec<usize>,
    started: Instant,
    /// Running test and when it must end.
    current: Option<(String, Instant, u32)>,
    deadline: Instant,
    results: HashMap<String, (Status, Option<String>, f64)>,
    class_error: Option<String>,
    finished: bool,
    timed_out: Option<String>,
    eof: bool,
}

enum Msg {
    Event(usize, Event),
    Eof(usize),
}

/// Runs the planned classes; `order` gives the queue order (solo last).
pub fn run(
    planned: &[Planned],
    order: &[usize],
    opts: &Options,
    pool: &mut CpuPool,
    guard: &SignalGuard,
    console: &Console,
) -> Outcome {
    let run_started = Instant::now();
    let mut out = Outcome::new(planned.iter().map(|p| p.tests.len()));
    let mut queue = queue_jobs(planned, order, &mut out, console);

    let (tx, rx) = mpsc::channel::<Msg>();
    let mut running: HashMap<usize, Running> = HashMap::new();
    let mut next_slot = 0usize;
    let mut stop = false;
    let total = queue.len();
    let mut finished_classes = 0usize;
    let mut shown = None;

    loop {
        let now_progress = (
            running.len(),
            finished_classes,
            total.saturating_sub(finished_classes + running.len()),
        );
        if shown != Some(now_progress) {
            console.progress(now_progress.0, now_progress.1, now_progress.2);
            shown = Some(now_progress);
        }
        if super::console::stdout_closed() {
            guard.interrupt_quietly();
        }
        if guard.interrupted() {
            stop = true;
        }
        if !stop {
            let shared = Shared {
                planned,
                opts,
                guard,
                console,
            };
            launch_ready(
                &shared,
                &mut queue,
                &mut running,
                &mut next_slot,
                pool,
                &tx,
                &mut out,
            );
        }
        if running.is_empty() && (queue.is_empty() || stop) {
            break;
        }

        receive(&rx, &mut running, planned, opts);

        kill_overdue(&mut running, planned);

        // Finish the classes whose process has ended.
        let done: Vec<usize> = running
            .iter()
            .filter(|(_, r)| r.eof)
            .map(|(s, _)| *s)
            .collect();
        for slot in done {
            let mut r = running.remove(&slot).expect("present");
            finished_classes += 1;
            guard.untrack(r.pgid);
            let status = r.child.wait().ok();
            pool.give(&r.cpus);
            out.record(RunEvent::Ran(Span {
                class: ClassId(r.job.class),
                attempt: r.job.attempt,
                cpus: r.cpus.clone(),
                start: r.started.duration_since(run_started).as_secs_f64(),
                end: run_started.elapsed().as_secs_f64(),
            }));
            let failed = finish(&mut r, status, planned, &mut out, guard, opts);
            let ci = r.job.class;
            print_block(
                console,
                &planned[ci],
                &r.job.tests,
                &out.verdicts[ci],
                r.job.attempt,
            );
            if failed.is_empty() && r.class_error.is_none() {
                out.record(RunEvent::Duration(
                    ClassId(ci),
                    r.started.elapsed().as_secs_f64(),
                ));
            }
            if !failed.is_empty() && opts.failfast && !stop {
                stop = true;
                for other in running.values() {
                    // Their current test finishes, then they stop.
                    let _ = nix::sys::signal::kill(Pid::from_raw(other.pgid), Signal::SIGUSR1);
                }
            }
            if !failed.is_empty() && r.job.attempt <= opts.retries && !stop {
                queue.push_front(Job {
                    class: ci,
                    tests: failed,
                    attempt: r.job.attempt + 1,
                });
            }
        }
    }

    not_run(queue, planned, &mut out, console, guard.interrupted());
    out
}

/// What the scheduler's steps share.
struct Shared<'a, 'p> {
    planned: &'a [Planned<'p>],
    opts: &'a Options,
    guard: &'a SignalGuard,
    console: &'a Console,
}

/// Starts whatever fits: no head-of-line blocking among non-solo
/// classes; a solo class only when nothing else runs or waits.
fn launch_ready(
    shared: &Shared,
    queue: &mut VecDeque<Job>,
    running: &mut HashMap<usize, Running>,
    next_slot: &mut usize,
    pool: &mut CpuPool,
    tx: &mpsc::Sender<Msg>,
    out: &mut Outcome,
) {
    let Shared {
        planned,
        opts,
        guard,
        console,
    } = *shared;
    let mut i = 0;
    while i < queue.len() {
        if running.len() >= opts.jobs.min(opts.memory_slots).max(1) {
            break;
        }
        let p = &planned[queue[i].class];
        let others_waiting = queue.iter().any(|j| !planned[j.class].plan.solo);
        if p.plan.solo && (!running.is_empty() || others_waiting) {
            i += 1;
            continue;
        }
        if running.values().any(|r| planned[r.job.class].plan.solo) {
            break;
        }
        let Some(cpus) = pool.take(p.plan.cpus_required) else {
            if running.is_empty() {
                if let Some(note) = pool.wait_note() {
                    console.note(&note);
                }
            }
            i += 1;
            continue;
        };
        let job = queue.remove(i).expect("index in range");
        match start(planned, job, cpus.clone(), *next_slot, tx.clone(), opts) {
            Ok(r) => {
                guard.track(r.pgid);
                running.insert(*next_slot, r);
                *next_slot += 1;
            }
            Err((job, e)) => {
                pool.give(&cpus);
                let p = &planned[job.class];
                for &t in &job.tests {
                    out.record(RunEvent::Verdict {
                        class: ClassId(job.class),
                        test: t,
                        verdict: verdict(
                            Status::Error,
                            Some(format!("cannot start the class process: {e}")),
                            0.0,
                            job.attempt,
                        ),
                    });
                }
                print_block(
                    console,
                    p,
                    &job.tests,
                    &out.verdicts[job.class],
                    job.attempt,
                );
            }
        }
    }
}

/// Records the verdicts of what is skipped before boot and queues the
/// rest, class by class in `order`.
fn queue_jobs(
    planned: &[Planned],
    order: &[usize],
    out: &mut Outcome,
    console: &Console,
) -> VecDeque<Job> {
    let mut queue: VecDeque<Job> = VecDeque::new();
    for &ci in order {
        let p = &planned[ci];
        if let Some(reason) = &p.plan.skip {
            let reason = reason.to_string();
            for t in 0..p.tests.len() {
                out.record(RunEvent::Verdict {
                    class: ClassId(ci),
                    test: t,
                    verdict: skip(&reason),
                });
            }
            print_block(
                console,
                p,
                &(0..p.tests.len()).collect::<Vec<_>>(),
                &out.verdicts[ci],
                1,
            );
            continue;
        }
        let mut to_run = Vec::new();
        for (t, sel) in p.tests.iter().enumerate() {
            match &sel.skip {
                Some(reason) => out.record(RunEvent::Verdict {
                    class: ClassId(ci),
                    test: t,
                    verdict: skip(reason),
                }),
                None => to_run.push(t),
            }
        }
        if to_run.is_empty() {
            print_block(
                console,
                p,
                &(0..p.tests.len()).collect::<Vec<_>>(),
                &out.verdicts[ci],
                1,
            );
            continue;
        }
        queue.push_back(Job {
            class: ci,
            tests: to_run,
            attempt: 1,
        });
    }

    queue
}

/// Waits for the next message of a class process, or the nearest deadline.
fn receive(
    rx: &mpsc::Receiver<Msg>,
    running: &mut HashMap<usize, Running>,
    planned: &[Planned],
    opts: &Options,
) {
    // Wait for the next event or the nearest deadline.
    let now = Instant::now();
    let next_deadline = running
        .values()
        .map(|r| r.deadline)
        .min()
        .unwrap_or(now + Duration::from_millis(200));
    let wait = next_deadline
        .saturating_duration_since(now)
        .min(Duration::from_millis(200));
    match rx.recv_timeout(wait) {
        Ok(Msg::Event(slot, e)) => {
            if let Some(r) = running.get_mut(&slot) {
                on_event(r, e, planned, opts);
            }
        }
        Ok(Msg::Eof(slot)) => {
            if let Some(r) = running.get_mut(&slot) {
                r.eof = true;
            }
        }
        Err(_) => {}
    }
}

/// Time limits: kills the process group (its VPP with it) of every class
/// past its deadline.
fn kill_overdue(running: &mut HashMap<usize, Running>, planned: &[Planned]) {
    // Time limits: kill the class's process group (its VPP with it).
    let now = Instant::now();
    for r in running.values_mut() {
        if r.timed_out.is_none() && !r.eof && now >= r.deadline {
            let what = match &r.current {
                Some((test, _, secs)) => {
                    r.timed_out = Some(test.clone());
                    format!("{test} timed out after {secs} s")
                }
                None => {
                    r.timed_out = Some(String::new());
                    "class set-up timed out".to_string()
                }
            };
            tracing::warn!(
                "{}: {what}: killing its process group",
                planned[r.job.class].class.desc.path()
            );
            let _ = killpg(Pid::from_raw(r.pgid), Signal::SIGKILL);
        }
    }
}

/// Records what never started (failfast, interrupt) as not run.
fn not_run(
    queue: VecDeque<Job>,
    planned: &[Planned],
    out: &mut Outcome,
    console: &Console,
    interrupted: bool,
) {
    // What never started (failfast, interrupt) is not run.
    let reason = if interrupted {
        "not run: the run was interrupted"
    } else {
        "not run: cut short by --failfast"
    };
    for job in queue {
        for &t in &job.tests {
            if out.verdicts[job.class][t]
                .as_ref()
                .is_none_or(|v| v.status != Status::Flaky)
            {
                out.record(RunEvent::Verdict {
                    class: ClassId(job.class),
                    test: t,
                    verdict: verdict(Status::NotRun, Some(reason.into()), 0.0, job.attempt - 1),
                });
            }
        }
        out.record(RunEvent::CutShort(ClassId(job.class)));
        print_block(
            console,
            &planned[job.class],
            &job.tests,
            &out.verdicts[job.class],
            job.attempt,
        );
    }
}

fn skip(reason: &str) -> Verdict {
    verdict(Status::Skip, Some(reason.to_string()), 0.0, 0)
}

fn verdict(status: Status, message: Option<String>, secs: f64, attempts: u32) -> Verdict {
    Verdict {
        status,
        message,
        secs,
        attempts,
        earlier: Vec::new(),
    }
}

fn test_limit(p: &Planned, name: &str, opts: &Options) -> Option<u32> {
    let desc = p.tests.iter().find(|s| s.desc.name == name)?.desc;
    let limit = desc
        .timeout
        .or(p.class.desc.timeout)
        .map(Some)
        .unwrap_or(opts.timeout)?;
    Some(if p.plan.oversubscribed {
        limit.saturating_mul(OVERSUBSCRIBED_TIME_FACTOR)
    } else {
        limit
    })
}

fn on_event(r: &mut Running, e: Event, planned: &[Planned], opts: &Options) {
    let p = &planned[r.job.class];
    match e {
        Event::ClassStarted { tempdir, .. } => {
            r.results
                .insert("\0tempdir".into(), (Status::Pass, Some(tempdir), 0.0));
        }
        Event::TestStarted { test } => {
            let limit = test_limit(p, &test, opts);
            r.deadline = limit.map_or(far(), |s| {
                Instant::now() + Duration::from_secs(u64::from(s))
            });
            r.current = Some((test, r.deadline, limit.unwrap_or(0)));
        }
        Event::TestFinished {
            test,
            status,
            message,
            duration,
        } => {
            let dir = r.results.get("\0tempdir").and_then(|v| v.1.clone());
            let message = match (&dir, status.is_failure()) {
                (Some(dir), true) => Some(format!(
                    "{}\nclass log: {dir}/log.txt",
                    message.unwrap_or_default()
                )),
                _ => message,
            };
            r.results.insert(test, (status, message, duration));
            r.current = None;
            // Between tests the class has the set-up limit again.
            r.deadline = between_tests(opts);
        }
        Event::ClassError { message } => r.class_error = Some(message),
        Event::ClassFinished => r.finished = true,
    }
}

fn far() -> Instant {
    Instant::now() + Duration::from_secs(365 * 24 * 3600)
}

fn between_tests(opts: &Options) -> Instant {
    match opts.timeout {
        Some(t) => Instant::now() + opts.start_timeout + Duration::from_secs(u64::from(t)),
        None => far(),
    }
}

/// The CPUs the helpers of an oversubscribed class share with its VPP:
/// the main core only. The main thread sleeps between polls there
/// (`poll-sleep-usec`, [`super::plan::OVERSUBSCRIBED_POLL_SLEEP_USEC`]);
/// a worker busy-polls its core, and a helper preempting it stalls the
/// worker's sessions. Measured on VPP 26.10 with quicly, 2 cores, the 12
/// external QUIC transfers one class at a time: helpers on both of VPP's
/// cores 6 of 12 passed (exit 42 after the idle time-out, and once VPP
/// aborted in quicly's `do_send_closed`), on the main core only 12 of 12.
fn oversubscribed_helper_cpus(cpus: &[usize]) -> Vec<usize> {
    cpus.first().copied().into_iter().collect()
}

fn start(
    planned: &[Planned],
    job: Job,
    cpus: Vec<usize>,
    slot: usize,
    tx: mpsc::Sender<Msg>,
    opts: &Options,
) -> Result<Running, (Job, std::io::Error)> {
    let p = &planned[job.class];
    // VPP's threads take the first CPUs; helper slots the rest, or share
    // VPP's main core when the class runs oversubscribed and none are left.
    let vpp_cpus = (1 + p.plan.workers as usize).min(cpus.len());
    let helper_cpus = match (p.plan.helpers, &cpus[vpp_cpus..]) {
        (0, _) => Vec::new(),
        (_, []) => oversubscribed_helper_cpus(&cpus),
        (_, rest) => rest.to_vec(),
    };
    let plan = ChildPlan {
        class: p.class.desc.module_path.to_string(),
        tests: job
            .tests
            .iter()
            .map(|&t| p.tests[t].desc.name.to_string())
            .collect(),
        cpus: cpus[..vpp_cpus].to_vec(),
        workers: p.plan.workers,
        helper_cpus,
        oversubscribed: p.plan.oversubscribed,
    };
    let spawned = (|| {
        let exe = std::env::current_exe()?;
        let (reader, writer) = std::io::pipe()?;
        let json = serde_json::to_string(&plan).map_err(std::io::Error::other)?;
        let mut cmd = Command::new(exe);
        cmd.env(PLAN_ENV, json)
            .stdin(Stdio::null())
            .process_group(0);
        // SIGTERM: the class process kills its VPP and removes what it
        // left before it goes (see `class::run`).
        die_with_parent_by(&mut cmd, nix::sys::signal::Signal::SIGTERM);
        if opts.compress_core {
            cmd.env("COMPRESS_CORE", "1");
        }
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
        Ok::<_, std::io::Error>((child, reader))
    })();
    let (child, reader) = match spawned {
        Ok(x) => x,
        Err(e) => return Err((job, e)),
    };
    std::thread::spawn(move || {
        for line in BufReader::new(reader).lines() {
            let Ok(line) = line else { break };
            match serde_json::from_str::<Event>(&line) {
                Ok(e) => {
                    if tx.send(Msg::Event(slot, e)).is_err() {
                        return;
                    }
                }
                Err(_) => tracing::warn!("unreadable event from a class process: {line}"),
            }
        }
        let _ = tx.send(Msg::Eof(slot));
    });
    Ok(Running {
        pgid: child.id() as i32,
        child,
        cpus,
        started: Instant::now(),
        current: None,
        deadline: between_tests(opts),
        results: HashMap::new(),
        class_error: None,
        finished: false,
        timed_out: None,
        eof: false,
        job,
    })
}

/// Turns a finished class process into verdicts; returns the tests that
/// failed (candidates for a retry).
fn finish(
    r: &mut Running,
    status: Option<std::process::ExitStatus>,
    planned: &[Planned],
    out: &mut Outcome,
    guard: &SignalGuard,
    opts: &Options,
) -> Vec<usize> {
    let ci = r.job.class;
    let p = &planned[ci];
    if let Some((_, Some(dir), _)) = r.results.get("\0tempdir") {
        out.record(RunEvent::TempDir(ClassId(ci), dir.clone()));
        // The class process is gone; what it could not remove (killed at a
        // time limit, crashed) the parent removes now: the API segment files
        // of a VPP killed with it, its runtime dir link, and host objects.
        // Unless another run of the class (a second `cargo test` with the
        // same temp base) took the class over meanwhile: those are its own.
        let dir = std::path::Path::new(dir);
        if let Some(_lock) = super::class::try_lock_class(dir) {
            for problem in super::class::remove_leftovers(dir) {
                eprintln!("asf: {}: {problem}", p.class.desc.name);
            }
        }
    }
    let exit = status
        .map(|s| ExitInfo(s).to_string())
        .unwrap_or_else(|| "unknown status".into());
    let mut failed = Vec::new();
    let mut cut = false;
    for &t in &r.job.tests {
        let name = p.tests[t].desc.name;
        let (status, message, secs) = match r.results.get(name) {
            Some((s, m, d)) => (*s, m.clone(), *d),
            None => {
                let running_this = r.current.as_ref().is_some_and(|(c, _, _)| c == name);
                if r.timed_out.as_deref() == Some(name) {
                    let limit = r.current.as_ref().map_or(0, |c| c.2);
                    (
                        Status::Error,
                        Some(format!("timed out after {limit} s")),
                        f64::from(limit),
                    )
                } else if let Some(m) = &r.class_error {
                    (Status::Error, Some(m.clone()), 0.0)
                } else if r.timed_out.as_deref() == Some("") {
                    (
                        Status::Error,
                        Some(format!(
                            "class set-up timed out after {} s",
                            opts.start_timeout.as_secs()
                        )),
                        0.0,
                    )
                } else if r.timed_out.is_some() {
                    (
                        Status::NotRun,
                        Some(format!(
                            "not run: {} timed out",
                            r.timed_out.as_deref().unwrap_or_default()
                        )),
                        0.0,
                    )
                } else if guard.interrupted() {
                    (
                        Status::NotRun,
                        Some("not run: the run was interrupted".into()),
                        0.0,
                    )
                } else if running_this {
                    (
                        Status::Error,
                        Some(format!(
                            "the class process died while running {}.{name} with {exit}",
                            p.class.desc.name
                        )),
                        0.0,
                    )
                } else if r.finished {
                    cut = true;
                    (
                        Status::NotRun,
                        Some("not run: cut short by --failfast".into()),
                        0.0,
                    )
                } else {
                    (
                        Status::Error,
                        Some(format!(
                            "not run: the class process exited early with {exit}"
                        )),
                        0.0,
                    )
                }
            }
        };
        let previous = out.verdict(ClassId(ci), t).cloned();
        let mut v = verdict(status, message.clone(), secs, r.job.attempt);
        let mut retry_skipped = false;
        if let Some(prev) = previous {
            if status == Status::Skip && prev.status.is_failure() {
                // A retry that skips (a test that needs the earlier tests
                // of its class, rerun alone) leaves the failure standing.
                retry_skipped = true;
                v = Verdict {
                    message: Some(format!(
                        "{}\n(its retry skipped: {})",
                        prev.message.as_deref().unwrap_or_default(),
                        message.as_deref().unwrap_or_default()
                    )),
                    attempts: r.job.attempt,
                    ..prev
                };
            } else {
                v.earlier = prev.earlier;
                if let Some(m) = prev.message {
                    v.earlier.push(m);
                }
                if status == Status::Pass && prev.status.is_failure() {
                    v.status = Status::Flaky;
                    v.message = v.earlier.last().cloned();
                }
            }
        }
        if !retry_skipped
            && (v.status.is_failure() || v.status == Status::NotRun && r.timed_out.is_some())
        {
            failed.push(t);
        }
        out.record(RunEvent::Verdict {
            class: ClassId(ci),
            test: t,
            verdict: v,
        });
    }
    if cut {
        out.record(RunEvent::CutShort(ClassId(ci)));
    }
    if let Some(m) = &r.class_error {
        let used = r.results.values().any(|v| v.1.as_ref() == Some(m));
        let any_test_carries = out.verdicts[ci]
            .iter()
            .flatten()
            .any(|v| v.message.as_ref() == Some(m));
        if !used && !any_test_carries {
            out.record(RunEvent::ClassError(ClassId(ci), m.clone()));
        }
    }
    failed
}

fn print_block(
    console: &Console,
    p: &Planned,
    tests: &[usize],
    verdicts: &[Option<Verdict>],
    attempt: u32,
) {
    let mut header = p.plan.header.clone();
    if attempt > 1 {
        header.0.push((
            format!(" [retry {}]", attempt - 1),
            crate::rules::Color::Yellow,
        ));
    }
    console.header(&header);
    // On the first attempt, list every selected test in order (skips too).
    let shown: Vec<usize> = if attempt == 1 {
        (0..p.tests.len()).collect()
    } else {
        tests.to_vec()
    };
    for t in shown {
        if let Some(v) = &verdicts[t] {
            let reason = matches!(v.status, Status::Skip | Status::NotRun)
                .then_some(v.message.as_deref())
                .flatten();
            console.test(
                &p.tests[t].desc.description(),
                Duration::from_secs_f64(v.secs),
                v.status,
                reason,
            );
        }
    }
}
