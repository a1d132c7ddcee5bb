//! A network namespace and what tests do in it: addresses, routes,
//! neighbours, MTU, link state, GSO (the helpers of VPP's
//! `vpp_qemu_utils.py`), each an `ip -n <ns> ...` argument vector.

use std::fs::File;
use std::path::PathBuf;

use serde_json::Value;

use crate::errors::HostError;

/// A network namespace created by [`crate::TestCase::create_namespace`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Netns {
    name: String,
}

/// A veth pair between the root namespace (VPP's end) and a namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostInterface {
    /// The end in the root namespace, for `create host-interface name ...`.
    pub vpp_if_name: String,
    /// The end inside the namespace.
    pub host_if_name: String,
    /// The namespace holding `host_if_name`.
    pub netns: String,
}

impl Netns {
    /// A handle on an existing namespace (no check that it exists).
    pub fn new(name: impl Into<String>) -> Netns {
        Netns { name: name.into() }
    }

    /// The namespace's name (`ip netns list`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The namespace's file, for entering it (`/run/netns/<name>`).
    pub fn path(&self) -> PathBuf {
        PathBuf::from("/run/netns").join(&self.name)
    }

    /// Opens the namespace file (to setns(2) into it).
    pub fn open(&self) -> Result<File, HostError> {
        File::open(self.path()).map_err(|source| HostError::Spawn {
            command: format!("open {}", self.path().display()),
            source,
        })
    }

    /// `ip -n <ns> args...`.
    pub fn ip(&self, args: &[&str]) -> Result<String, HostError> {
        let mut full = vec!["-n", self.name.as_str()];
        full.extend_from_slice(args);
        super::cmd::ip(&full)
    }

    /// Adds an address (`10.0.0.1/24`, `2001::1/64`) to an interface.
    pub fn add_address(&self, ifname: &str, prefix: &str) -> Result<(), HostError> {
        self.ip(&["addr", "add", prefix, "dev", ifname]).map(drop)
    }

    /// Removes an address from an interface.
    pub fn del_address(&self, ifname: &str, prefix: &str) -> Result<(), HostError> {
        self.ip(&["addr", "del", prefix, "dev", ifname]).map(drop)
    }

    /// Adds a route: `prefix` is `NET/LEN` or `default`; a gateway, an
    /// output device, or both.
    pub fn add_route(
        &self,
        prefix: &str,
        via: Option<&str>,
        dev: Option<&str>,
    ) -> Result<(), HostError> {
        let mut args = vec!["route", "add", prefix];
        if let Some(gw) = via {
            args.extend(["via", gw]);
        }
        if let Some(d) = dev {
            args.extend(["dev", d]);
        }
        if via.is_none() && dev.is_none() {
            return Err(HostError::Invalid(format!(
                "route {prefix}: give a gateway, a device or both"
            )));
        }
        self.ip(&args).map(drop)
    }

    /// Adds a route of a special type (`blackhole`, `unreachable`, `prohibit`).
    pub fn add_special_route(&self, kind: &str, prefix: &str) -> Result<(), HostError> {
        self.ip(&["route", "add", kind, prefix]).map(drop)
    }

    /// Adds a multipath route: each next hop is (gateway, device), at least
    /// one of them given.
    pub fn add_multipath_route(
        &self,
        prefix: &str,
        next_hops: &[(Option<&str>, Option<&str>)],
    ) -> Result<(), HostError> {
        let mut args = vec!["route", "add", prefix];
        for (via, dev) in next_hops {
            if via.is_none() && dev.is_none() {
                return Err(HostError::Invalid(format!(
                    "route {prefix}: every next hop needs a gateway, a device or both"
                )));
            }
            args.push("nexthop");
            if let Some(gw) = via {
                args.extend(["via", gw]);
            }
            if let Some(d) = dev {
                args.extend(["dev", d]);
            }
        }
        self.ip(&args).map(drop)
    }

    /// Removes a route.
    pub fn del_route(&self, prefix: &str) -> Result<(), HostError> {
        self.ip(&["route", "del", prefix]).map(drop)
    }

    /// Adds (or replaces) a permanent neighbour entry (ARP / NDP).
    pub fn add_neighbor(&self, ifname: &str, ip: &str, mac: &str) -> Result<(), HostError> {
        self.ip(&[
            "neigh",
            "replace",
            ip,
            "dev",
            ifname,
            "lladdr",
            mac,
            "nud",
            "permanent",
        ])
        .map(drop)
    }

    /// Removes a neighbour entry.
    pub fn del_neighbor(&self, ifname: &str, ip: &str) -> Result<(), HostError> {
        self.ip(&["neigh", "del", ip, "dev", ifname]).map(drop)
    }

    /// Sets an interface's MTU.
    pub fn set_mtu(&self, ifname: &str, mtu: u32) -> Result<(), HostError> {
        self.ip(&["link", "set", "mtu", &mtu.to_string(), "dev", ifname])
            .map(drop)
    }

    /// Sets an interface up.
    pub fn set_up(&self, ifname: &str) -> Result<(), HostError> {
        self.ip(&["link", "set", "up", "dev", ifname]).map(drop)
    }

    /// Sets an interface down.
    pub fn set_down(&self, ifname: &str) -> Result<(), HostError> {
        self.ip(&["link", "set", "down", "dev", ifname]).map(drop)
    }

    /// Turns rx/tx offload (GSO) on or off with `ethtool -K` inside the
    /// namespace.
    pub fn set_gso(&self, ifname: &str, on: bool) -> Result<(), HostError> {
        let state = if on { "on" } else { "off" };
        let mut cmd = std::process::Command::new("ethtool");
        cmd.args(["-K", ifname, "rx", state, "tx", state]);
        crate::vpp::process::enter_netns(&mut cmd, self.open()?);
        let command = format!(
            "ethtool -K {ifname} rx {state} tx {state} (in {})",
            self.name
        );
        let out = cmd.output().map_err(|source| HostError::Spawn {
            command: command.clone(),
            source,
        })?;
        if out.status.success() {
            Ok(())
        } else {
            Err(HostError::Failed {
                command,
                status: out.status.to_string(),
                stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
            })
        }
    }

    /// True if the interface exists in the namespace.
    pub fn interface_exists(&self, ifname: &str) -> bool {
        self.ip(&["link", "show", "dev", ifname]).is_ok()
    }

    /// The interface as `ip -j link show` describes it.
    pub fn link_info(&self, ifname: &str) -> Result<Value, HostError> {
        let out = self.ip(&["-j", "link", "show", "dev", ifname])?;
        first_json(&out, ifname)
    }

    /// True if the interface has the UP flag.
    pub fn is_up(&self, ifname: &str) -> Result<bool, HostError> {
        Ok(self.link_info(ifname)?["flags"]
            .as_array()
            .is_some_and(|f| f.iter().any(|v| v == "UP")))
    }

    /// The interface's MTU.
    pub fn mtu(&self, ifname: &str) -> Result<u32, HostError> {
        self.link_info(ifname)?["mtu"]
            .as_u64()
            .map(|m| m as u32)
            .ok_or_else(|| HostError::Invalid(format!("no mtu for {ifname} in {}", self.name)))
    }

    /// The interface's addresses as (address, prefix length); `family` is
    /// `inet`, `inet6` or None for both.
    pub fn addresses(
        &self,
        ifname: &str,
        family: Option<&str>,
    ) -> Result<Vec<(String, u8)>, HostError> {
        let out = self.ip(&["-j", "addr", "show", "dev", ifname])?;
        let data: Value = serde_json::from_str(&out)
            .map_err(|e| HostError::Invalid(format!("`ip -j addr` output: {e}")))?;
        let mut found = Vec::new();
        for iface in data.as_array().into_iter().flatten() {
            for a in iface["addr_info"].as_array().into_iter().flatten() {
                if family.is_some_and(|f| a["family"] != f) {
                    continue;
                }
                if let (Some(local), Some(len)) = (a["local"].as_str(), a["prefixlen"].as_u64()) {
                    found.push((local.to_string(), len as u8));
                }
            }
        }
        Ok(found)
    }
}

fn first_json(out: &str, ifname: &str) -> Result<Value, HostError> {
    let data: Value = serde_json::from_str(out)
        .map_err(|e| HostError::Invalid(format!("`ip -j` output for {ifname}: {e}")))?;
    data.as_array()
        .and_then(|a| a.first())
        .cloned()
        .ok_or_else(|| HostError::Invalid(format!("no such interface {ifname}")))
}
