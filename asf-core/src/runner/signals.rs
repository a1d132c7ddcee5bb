//! Ctrl-C and friends: SIGINT, SIGTERM and SIGHUP stop the running class
//! process groups (their VPPs included), a second one kills them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use nix::sys::signal::{kill, killpg, SigSet, SigmaskHow, Signal};
use nix::unistd::Pid;

/// Blocks SIGINT/SIGTERM/SIGHUP in every thread and handles them on one:
/// the first signal terminates the running class process groups (their
/// VPPs included) and stops scheduling; a second one kills them outright.
pub struct SignalGuard {
    state: Arc<GuardState>,
}

struct GuardState {
    interrupted: AtomicBool,
    groups: Mutex<Vec<i32>>,
}

impl SignalGuard {
    /// Stops the run as a first SIGINT would, without a message (standard
    /// output was closed).
    pub fn interrupt_quietly(&self) {
        if !self.state.interrupted.swap(true, Ordering::SeqCst) {
            for &g in self
                .state
                .groups
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
            {
                let _ = killpg(Pid::from_raw(g), Signal::SIGTERM);
            }
        }
    }

    /// Installs the handling thread.
    pub fn install() -> SignalGuard {
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

    /// True once SIGINT/SIGTERM/SIGHUP arrived.
    pub fn interrupted(&self) -> bool {
        self.state.interrupted.load(Ordering::SeqCst)
    }

    /// Kills this process group on interruption.
    pub fn track(&self, pgid: i32) {
        self.state
            .groups
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(pgid);
        if self.interrupted() {
            let _ = kill(Pid::from_raw(pgid), Signal::SIGTERM);
        }
    }

    /// Kills what is left of the group and forgets it.
    pub fn untrack(&self, pgid: i32) {
        // The group may still hold a VPP the class process failed to stop.
        let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
        self.state
            .groups
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|&g| g != pgid);
    }
}
