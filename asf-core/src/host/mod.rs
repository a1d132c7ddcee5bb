//! The host side of a test: Linux network namespaces, veth pairs and the
//! programs tests run against VPP (`curl` ...). Everything created here is
//! written to the class's record of host objects before it is created, and
//! removed at the tear-down of the test (or class) that made it, by the
//! parent when a class process dies, and by the next run of the class after
//! a SIGKILL of the whole run. Programs run with an argument vector, never a
//! shell.

pub mod cmd;
pub mod ledger;
pub mod netns;

pub use cmd::{find_program, ip, link_exists, run};
pub use netns::{HostInterface, Netns};

use crate::case::{TestCase, TestResult};

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
