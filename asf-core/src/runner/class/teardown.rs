//! After a test and at the end: the tear-down hooks and VPP's checks,
//! telling a dying VPP from a living one, core files, and what a class
//! leaves on the host.

use super::state::*;
use crate::case::TestCase;
use crate::exit::chain;
use crate::runner::debug::{self, Mode};
use crate::vpp::process::VppProcess;
use crate::vpp::startup::{self};
use std::fs::{self};
use std::path::Path;
use std::time::{Duration, Instant};

/// Removes what a class's VPP and tests may leave on the host: the VPP's
/// API segment files in /dev/shm, the link to its runtime dir in /tmp
/// (`vpp::startup::runtime_link`) and the class's recorded host objects
/// (namespaces, interfaces). Returns what could not be removed. Used at the
/// start of a class (an earlier run was killed), after its VPP stops or
/// fails to start, when the class process is told to go, and by the parent
/// when the class process died.
pub fn remove_leftovers(tempdir: &Path) -> Vec<String> {
    startup::remove_api_segment_files(tempdir);
    startup::unlink_runtime_dir(tempdir);
    crate::host::ledger::remove(tempdir, crate::host::ledger::Scope::Class)
}

/// The framework's part of a test's set-up, as VPP's framework does it: a
/// marker in the log and both VPP output files, then `clear trace`.
pub(super) fn test_set_up(case: &mut TestCase, test: &str) -> Result<(), Failure> {
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

/// How long a VPP that closed its sockets may take to finish dying:
/// its signal handler prints, then the kernel writes a core (about a second
/// per GB here) before the process can be reaped.
pub(super) const DYING_LIMIT: Duration = Duration::from_secs(120);

/// When VPP's end of its API or stats socket went away (end of file, a
/// reset, a broken pipe) but its process is still there, waits (bounded)
/// for it to finish dying, so its death is blamed on the step that was
/// running, not on whatever looks next.
pub(super) fn settle_death(case: &TestCase) {
    if let (Some(how), None) = (case.vpp_hung_up(), case.vpp.exit_info()) {
        tracing::info!(
            "VPP closed its socket ({how}): waiting for its process to end (a core being written?)"
        );
        let started = Instant::now();
        match case.vpp.wait_timeout(DYING_LIMIT) {
            Some(info) => tracing::info!(
                "VPP ended with {info}, {:.1} s after closing its socket",
                started.elapsed().as_secs_f64()
            ),
            None => tracing::warn!(
                "VPP closed its socket ({how}) and still runs after {} s",
                DYING_LIMIT.as_secs()
            ),
        }
    }
}

/// Why VPP can no longer be talked to, if it cannot: it died, or the API
/// connection broke. (`died_or` turns the first into the died message.)
pub(super) fn vpp_lost(case: &TestCase) -> Option<String> {
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
pub(super) fn test_tear_down(case: &mut TestCase, test: &str) -> Result<(), Failure> {
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
pub(super) fn vpp_tear_down(case: &mut TestCase, test: &str) -> Result<(), Failure> {
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

/// Reports VPP's core file, if it dumped one (see [`crate::vpp::core`]).
pub(super) fn wait_for_core(
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

impl ClassRun<'_> {
    /// Disconnects and stops VPP: SIGTERM, grace, SIGKILL. Returns an
    /// error when VPP, alive until then, crashed on the way out (killed by
    /// a signal other than the SIGTERM/SIGKILL sent to it).
    pub(super) fn quit(&self, case: TestCase) -> Option<String> {
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
