//! fake-vpp: a small, protocol-faithful stand-in for VPP, used to test asf
//! where no real VPP can be built. It accepts VPP's startup command line,
//! serves the binary API on the configured socket with real state, exits
//! cleanly on SIGTERM, and misbehaves on request (see [`faults`]).

mod cli;
mod dataplane;
mod demo;
mod faults;
mod server;
mod startup;
mod state;
mod stats;

use std::os::unix::net::UnixListener;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use nix::sys::signal::{SigSet, SigmaskHow, Signal};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // As VPP: `-v`/`--version` prints the version and exits.
    if matches!(args.as_slice(), [a] if a == "-v" || a == "--version") {
        println!(
            "vpp v{} built by asf on fake-vpp at {}",
            cli::VERSION,
            cli::BUILD_DATE
        );
        return ExitCode::SUCCESS;
    }
    let started = Instant::now();
    let startup = match startup::Startup::parse(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("vpp[{}]: {e}", std::process::id());
            return ExitCode::from(1);
        }
    };
    let runtime_dir = startup.runtime_dir();
    // As VPP: run in the runtime dir, and take the core size from
    // `unix { full-coredump coredump-size ... }`.
    let _ = std::env::set_current_dir(&runtime_dir);
    if let Some(limit) = startup.coredump_limit() {
        let _ =
            nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_CORE, limit, limit);
    }
    // The scope of the faults is matched against where the runtime dir
    // really is (asf names it by a short link to the class temp dir).
    let here = std::env::current_dir().unwrap_or_else(|_| runtime_dir.clone());
    let faults = match faults::Faults::from_env(&here.to_string_lossy()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("fake-vpp: {e}");
            return ExitCode::from(1);
        }
    };
    if let Some(code) = faults.exit_at_start {
        eprintln!(
            "vpp[{}]: fake-vpp: exiting at start with status {code} (FAKE_VPP_EXIT_AT_START)",
            std::process::id()
        );
        return ExitCode::from(u8::try_from(code).unwrap_or(1));
    }
    if let Some(sig) = faults.crash_at_start {
        faults::crash(sig, "FAKE_VPP_CRASH_AT_START");
    }
    let workers = match startup.workers() {
        Ok(w) => w,
        Err(e) => {
            eprintln!("vpp[{}]: {e}", std::process::id());
            return ExitCode::from(1);
        }
    };

    // Like VPP: the API segment's files in /dev/shm, named by its prefix,
    // removed on a clean exit and left behind by a killed process.
    let shm: Vec<std::path::PathBuf> = startup
        .api_prefix()
        .map(|p| {
            ["global_vm", "vpe-api"]
                .iter()
                .map(|s| std::path::PathBuf::from(format!("/dev/shm/{p}-{s}")))
                .collect()
        })
        .unwrap_or_default();
    for f in &shm {
        if let Err(e) = std::fs::write(f, b"fake-vpp api segment\n") {
            eprintln!("fake-vpp: cannot create {}: {e}", f.display());
        }
    }
    let _shm_guard = ShmFiles(shm);

    // A slow start: SIGTERM still ends the process meanwhile.
    std::thread::sleep(faults.socket_delay);

    // Signals are taken synchronously by the main thread; block them before
    // any other thread exists so every thread inherits the mask.
    let mut sigs = SigSet::empty();
    sigs.add(Signal::SIGTERM);
    sigs.add(Signal::SIGINT);
    if let Err(e) = nix::sys::signal::pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&sigs), None) {
        eprintln!("fake-vpp: cannot block signals: {e}");
        return ExitCode::from(1);
    }

    let main_core = startup.main_core();
    let mut threads = vec![cli::ThreadInfo {
        name: "vpp_main".into(),
        lwp: nix::unistd::gettid().as_raw(),
        cpu: main_core,
    }];
    for i in 0..workers {
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name(format!("vpp_wk_{i}"))
            .spawn(move || {
                let _ = tx.send(nix::unistd::gettid().as_raw());
                loop {
                    std::thread::park();
                }
            });
        if spawned.is_err() {
            eprintln!("fake-vpp: cannot start worker {i}");
            return ExitCode::from(1);
        }
        threads.push(cli::ThreadInfo {
            name: format!("vpp_wk_{i}"),
            lwp: rx.recv().unwrap_or(0),
            cpu: main_core + 1 + i,
        });
    }

    let sock = startup.api_socket();
    if faults.no_socket {
        eprintln!(
            "vpp[{}]: fake-vpp: not creating {} (FAKE_VPP_NO_SOCKET)",
            std::process::id(),
            sock.display()
        );
        let _ = sigs.wait();
        return ExitCode::SUCCESS;
    }
    // Like VPP: a stale socket file nobody answers on is replaced.
    if sock.exists() {
        if std::os::unix::net::UnixStream::connect(&sock).is_ok() {
            eprintln!(
                "vpp[{}]: socksvr: Active listener on {}",
                std::process::id(),
                sock.display()
            );
            return ExitCode::from(1);
        }
        let _ = std::fs::remove_file(&sock);
    }
    let listener = match UnixListener::bind(&sock) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "vpp[{}]: socksvr: cannot listen on {}: {e}",
                std::process::id(),
                sock.display()
            );
            return ExitCode::from(1);
        }
    };
    // Like VPP's session layer with `use-app-socket-api`: the default app
    // namespace's socket, `<runtime-dir>/app_ns_sockets/default`.
    let _app_ns_socket = match startup.app_ns_socket() {
        Some(path) => match app_ns_listener(&path) {
            Ok(fd) => Some(fd),
            Err(e) => {
                eprintln!(
                    "vpp[{}]: session: cannot listen on {}: {e}",
                    std::process::id(),
                    path.display()
                );
                return ExitCode::from(1);
            }
        },
        None => None,
    };
    println!(
        "vpp[{}]: fake-vpp {} up: api socket {}, {} worker(s)",
        std::process::id(),
        cli::VERSION,
        sock.display(),
        workers
    );
    let state = state::State::new(started, threads.len());
    let segment = match stats::Segment::new(startup.statseg_size()) {
        Ok(s) => Arc::new(std::sync::Mutex::new(s)),
        Err(e) => {
            eprintln!(
                "vpp[{}]: statseg: cannot create the stats segment: {e}",
                std::process::id()
            );
            return ExitCode::from(1);
        }
    };
    if let Err(e) = segment
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .publish(&state.counters)
    {
        eprintln!("vpp[{}]: statseg: {e}", std::process::id());
        return ExitCode::from(1);
    }
    let stats_sock = startup.stats_socket();
    if let Err(e) = stats::serve(&stats_sock, segment.clone()) {
        eprintln!(
            "vpp[{}]: statseg: cannot listen on {}: {e}",
            std::process::id(),
            stats_sock.display()
        );
        return ExitCode::from(1);
    }
    {
        // The stats collector: /sys/heartbeat every update-interval.
        let seg = segment.clone();
        let every = startup.stats_update_interval();
        std::thread::spawn(move || {
            let mut beat = 0u64;
            loop {
                std::thread::sleep(every);
                beat += 1;
                let _ = seg
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .heartbeat(beat);
            }
        });
    }
    let server = Arc::new(server::Server::new(state, threads, faults.clone(), segment));
    std::thread::spawn(move || server.serve(listener));

    loop {
        match sigs.wait() {
            Ok(sig) if faults.ignore_sigterm => {
                println!(
                    "vpp[{}]: ignoring {sig} (FAKE_VPP_IGNORE_SIGTERM)",
                    std::process::id()
                );
                continue;
            }
            Ok(sig) if faults.crash_at_exit => faults.crash(&format!("{sig} at exit")),
            Ok(sig) => println!("vpp[{}]: received {sig}, exiting", std::process::id()),
            Err(e) => eprintln!("fake-vpp: sigwait: {e}"),
        }
        break;
    }
    // Like VPP: the stats socket goes away on a clean exit, api.sock stays.
    let _ = std::fs::remove_file(&stats_sock);
    ExitCode::SUCCESS
}

/// The API segment's files, removed when fake-vpp returns from `main` (a
/// clean exit); a crash or SIGKILL leaves them, as it leaves VPP's.
struct ShmFiles(Vec<std::path::PathBuf>);

impl Drop for ShmFiles {
    fn drop(&mut self) {
        for f in &self.0 {
            let _ = std::fs::remove_file(f);
        }
    }
}

/// A SEQPACKET socket listening at `path` (its directory made first), as
/// VPP's `appns_sapi_add_ns_socket` makes one.
fn app_ns_listener(path: &std::path::Path) -> nix::Result<std::os::fd::OwnedFd> {
    use nix::sys::socket::{
        bind, listen, socket, AddressFamily, Backlog, SockFlag, SockType, UnixAddr,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| nix::errno::Errno::from_raw(e.raw_os_error().unwrap_or(0)))?;
    }
    let _ = std::fs::remove_file(path);
    let fd = socket(
        AddressFamily::Unix,
        SockType::SeqPacket,
        SockFlag::SOCK_CLOEXEC,
        None,
    )?;
    bind(std::os::fd::AsRawFd::as_raw_fd(&fd), &UnixAddr::new(path)?)?;
    listen(&fd, Backlog::new(16)?)?;
    Ok(fd)
}
