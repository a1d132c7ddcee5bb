//! The host side of a test: Linux network namespaces, veth pairs and the
//! programs tests run against VPP (`curl` ...). Everything created here is
//! written to the class's record of host objects before it is created, and
//! removed at the tear-down of the test (or class) that made it, by the
//! parent when a class process dies, and by the next run of the class after
//! a SIGKILL of the whole run. Programs run with an argument vector, never a
//! shell.

pub mod ledger;
pub mod netns;

use std::path::PathBuf;
use std::process::Command;

pub use netns::{HostInterface, Netns};

use crate::case::{TestCase, TestResult};
use crate::errors::HostError;

/// The full path of `program` on `PATH`, if it is there and executable.
pub fn find_program(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    if program.contains('/') {
        let p = PathBuf::from(program);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Runs `program args...` to completion and returns its stdout; a non-zero
/// exit is an error carrying its stderr.
pub fn run(program: &str, args: &[&str]) -> Result<String, HostError> {
    let command = std::iter::once(program)
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    tracing::debug!("host: {command}");
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|source| HostError::Spawn {
            command: command.clone(),
            source,
        })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(HostError::Failed {
            command,
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}

/// `ip args...` in the root namespace (iproute2).
pub fn ip(args: &[&str]) -> Result<String, HostError> {
    run("ip", args)
}

/// True if a network interface of that name exists in the root namespace.
pub fn link_exists(name: &str) -> bool {
    ip(&["link", "show", "dev", name]).is_ok()
}

/// A name for a host object unique on this machine while the class runs:
/// `asf<class pid><kind><n>`, at most 15 characters (the kernel's limit for
/// interface names).
fn unique_name(kind: char) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("asf{}{kind}{n}", std::process::id())
}

impl TestCase {
    /// Creates a network namespace with a unique name, removed at the
    /// tear-down of the test that made it (or of the class, when made in
    /// `set_up_class`), also when the test fails or VPP dies.
    /// (`create_namespace` of VPP's `vpp_qemu_utils.py`.)
    pub fn create_namespace(&mut self) -> TestResult<Netns> {
        let name = unique_name('n');
        ledger::record(
            &self.tempdir,
            self.ledger_scope(),
            ledger::Kind::Netns,
            &name,
        )?;
        ip(&["netns", "add", &name])?;
        // Loopback up, as a fresh host would have it.
        let ns = Netns::new(name);
        ns.set_up("lo")?;
        tracing::info!("created network namespace {}", ns.name());
        Ok(ns)
    }

    /// Creates a veth pair: one end stays in the root namespace for VPP
    /// (`create host-interface name <vpp_if_name>`), up; the other goes into
    /// `ns`, up, with `prefixes` as its addresses. Removed like the
    /// namespace. (`create_host_interface` of `vpp_qemu_utils.py`.)
    pub fn create_host_interface(
        &mut self,
        ns: &Netns,
        prefixes: &[&str],
    ) -> TestResult<HostInterface> {
        let vpp_if_name = unique_name('v');
        let host_if_name = unique_name('h');
        ledger::record(
            &self.tempdir,
            self.ledger_scope(),
            ledger::Kind::Link,
            &vpp_if_name,
        )?;
        ip(&[
            "link",
            "add",
            "name",
            &vpp_if_name,
            "type",
            "veth",
            "peer",
            "name",
            &host_if_name,
        ])?;
        ip(&["link", "set", "dev", &host_if_name, "netns", ns.name()])?;
        ip(&["link", "set", "dev", &vpp_if_name, "up"])?;
        ns.set_up(&host_if_name)?;
        for prefix in prefixes {
            ns.add_address(&host_if_name, prefix)?;
        }
        tracing::info!(
            "created veth pair {vpp_if_name} (for VPP) / {host_if_name} (in {})",
            ns.name()
        );
        Ok(HostInterface {
            vpp_if_name,
            host_if_name,
            netns: ns.name().to_string(),
        })
    }

    /// A unique name for a host object VPP itself creates (a tap's host
    /// side, its namespace), recorded for removal like the others: use it
    /// when a test asks VPP for `host-ns <name>`, say.
    pub fn host_name(&mut self, kind: ledger::Kind) -> TestResult<String> {
        let name = unique_name(match kind {
            ledger::Kind::Netns => 'n',
            ledger::Kind::Link => 't',
        });
        ledger::record(&self.tempdir, self.ledger_scope(), kind, &name)?;
        Ok(name)
    }

    fn ledger_scope(&self) -> ledger::Scope {
        if self.test.is_some() {
            ledger::Scope::Test
        } else {
            ledger::Scope::Class
        }
    }
}

/// Why network namespaces cannot be used here, if they cannot: a host
/// check for `#[vpp_test(skip_if = asf_core::host::netns_unavailable)]`
/// (VPP's framework tries `ip netns add` once, the same way).
pub fn netns_unavailable() -> Option<String> {
    if find_program("ip").is_none() {
        return Some(
            "netns not available: needs `ip` (Debian package iproute2) on PATH".to_string(),
        );
    }
    let name = format!("asf{}chk", std::process::id());
    match ip(&["netns", "add", &name]) {
        Ok(_) => {
            let _ = ip(&["netns", "del", &name]);
            None
        }
        Err(e) => Some(format!("netns not available: {e}")),
    }
}
