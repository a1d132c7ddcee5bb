//! The CLI commands the stand-in understands, run through `cli_inband`.
//! Output is shaped like VPP's; anything else gets VPP's
//! ``unknown input `...'`` and retval -1.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::state::{Interface, State};

/// Version strings, shared by `show_version` and `show version`.
pub const VERSION: &str = "26.10-rc0~asf-fake";
/// Build date reported.
pub const BUILD_DATE: &str = "2026-11-25T00:00:00";
/// Build directory reported.
pub const BUILD_DIR: &str = "/asf/fake-vpp";

/// A thread as `show threads` lists it.
#[derive(Clone, Debug)]
pub struct ThreadInfo {
    /// Name, `vpp_main` or `vpp_wk_N`.
    pub name: String,
    /// Kernel thread id.
    pub lwp: i32,
    /// CPU it is pinned to.
    pub cpu: usize,
}

/// What a command line did: output, retval, and interfaces whose state
/// changed (for `sw_interface_event`).
pub struct Output {
    /// 0 or -1.
    pub retval: i32,
    /// What the commands printed.
    pub text: String,
    /// Changed interfaces: (interface, deleted).
    pub changed: Vec<(Interface, bool)>,
    /// `fake stats corrupt` was run.
    pub corrupt_stats: bool,
}

/// CLI over the shared state.
pub struct Cli<'a> {
    /// Interfaces and clock.
    pub state: &'a Mutex<State>,
    /// Threads.
    pub threads: &'a [ThreadInfo],
}

impl Cli<'_> {
    /// Runs newline-separated commands until one fails.
    pub fn run(&self, input: &str) -> Output {
        let mut out = Output {
            retval: 0,
            text: String::new(),
            changed: Vec::new(),
            corrupt_stats: false,
        };
        for line in input.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
            if line == "fake stats corrupt" {
                out.corrupt_stats = true;
                continue;
            }
            match self.one(line, &mut out.changed) {
                Ok(text) => out.text.push_str(&text),
                Err(e) => {
                    out.text.push_str(&e);
                    out.text.push('\n');
                    out.retval = -1;
                    return out;
                }
            }
        }
        out
    }

    /// `packet-generator new | enable | disable | delete | capture`.
    fn packet_generator(&self, words: &[&str]) -> Result<String, String> {
        use crate::dataplane::Stream;
        match words {
            ["new", rest @ ..] => {
                let mut path = None;
                let mut source = None;
                let mut name = None;
                let mut limit = None;
                let mut it = rest.iter();
                while let Some(w) = it.next() {
                    let v = it.next().ok_or_else(String::new)?;
                    match *w {
                        "pcap" => path = Some(std::path::PathBuf::from(v)),
                        "source" => {
                            source = Some(
                                v.strip_prefix("pg")
                                    .and_then(|n| n.parse::<u32>().ok())
                                    .ok_or_else(String::new)?,
                            )
                        }
                        "name" => name = Some(v.to_string()),
                        "limit" => limit = Some(v.parse::<u64>().map_err(|_| String::new())?),
                        "worker" | "maxframe" => {}
                        _ => return Err(String::new()),
                    }
                }
                let (Some(path), Some(source), Some(name)) = (path, source, name) else {
                    return Err("missing pcap, source or name".into());
                };
                let packets = match asf_packet::pcap::read(&path) {
                    Ok(cap) => cap.records.into_iter().map(|r| r.data).collect(),
                    Err(e) => return Err(format!("pcap read error: {e}")),
                };
                let mut st = self.state();
                if !st.dp.pg.contains_key(&source) {
                    return Err(format!("unknown interface `pg{source}'"));
                }
                st.dp.streams.insert(
                    name,
                    Stream {
                        path,
                        packets,
                        source,
                        limit,
                        enabled: false,
                    },
                );
                Ok(String::new())
            }
            ["enable" | "enable-stream", rest @ ..] => {
                let mut st = self.state();
                let ports = st.ports();
                st.dp.run_streams(&ports, rest.first().copied())?;
                Ok(String::new())
            }
            ["disable" | "disable-stream", ..] => Ok(String::new()),
            ["delete", name] => match self.state().dp.streams.remove(*name) {
                Some(_) => Ok(String::new()),
                None => Err("expected stream name".into()),
            },
            ["capture", intf, "pcap", path, rest @ ..] => {
                let mut st = self.state();
                let id = intf.strip_prefix("pg").and_then(|n| n.parse::<u32>().ok());
                let Some(&(sw, mode)) = id.and_then(|i| st.dp.pg.get(&i)) else {
                    return Err(format!("unknown input `{intf}'"));
                };
                match rest {
                    ["disable"] => {
                        st.dp.flush();
                        st.dp.captures.remove(&sw);
                        Ok(String::new())
                    }
                    [] => st
                        .dp
                        .capture(sw, mode, std::path::PathBuf::from(path))
                        .map(|()| String::new()),
                    _ => Err(String::new()),
                }
            }
            _ => Err(String::new()),
        }
    }

    /// `ping <address> [interval s] [repeat n] [burst n]`.
    fn ping(&self, words: &[&str]) -> Option<String> {
        let (dst, rest) = words.split_first()?;
        let dst: std::net::IpAddr = dst.parse().ok()?;
        let (mut repeat, mut burst) = (5u32, 1u32);
        let mut it = rest.iter();
        while let Some(w) = it.next() {
            let v = it.next()?;
            match *w {
                "repeat" => repeat = v.parse().ok()?,
                "burst" => burst = v.parse().ok()?,
                "interval" | "size" | "table-id" | "source" => {}
                _ => return None,
            }
        }
        let mut st = self.state();
        let ports = st.ports();
        let sent = st.dp.ping(&ports, dst, repeat, burst);
        st.dp.flush();
        Some(format!(
            "\nStatistics: {sent} sent, 0 received, 100% packet loss\n"
        ))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn one(&self, cmd: &str, changed: &mut Vec<(Interface, bool)>) -> Result<String, String> {
        let words: Vec<&str> = cmd.split_whitespace().collect();
        let unknown = || format!("unknown input `{cmd}'");
        match words.as_slice() {
            ["show", "version"] | ["sh", "ver"] => Ok(format!("vpp v{VERSION} built by asf on fake-vpp at {BUILD_DATE}\n")),
            ["show", "clock"] => {
                // As VPP: "Time now" is the CPU clock; `set clock adjust`
                // moves the per-thread offset (VPP time = clock + offset).
                let (now, offset) = {
                    let st = self.state();
                    (st.clock(), st.clock_adjust)
                };
                let wall = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
                let mut out = format!("Time now {now:.6}, {} GMT\nTime last barrier release 0.000000000\n", utc(wall));
                for i in 0..self.threads.len() {
                    out.push_str(&format!("{i}: Time now {now:.6}\nThread {i} offset {offset:.9} error 0.000000000\n"));
                }
                Ok(out)
            }
            ["set", "clock", "adjust", secs] => {
                let s: f64 = secs.parse().map_err(|_| unknown())?;
                if s.is_finite() && s >= 0.0 {
                    self.state().clock_adjust += s;
                }
                Ok(String::new())
            }
            ["clear", "trace"] => {
                self.state().dp.trace.clear();
                Ok(String::new())
            }
            ["clear", "run"] => Ok(String::new()),
            ["packet-generator", rest @ ..] => self.packet_generator(rest).map_err(|e| {
                if e.is_empty() {
                    unknown()
                } else {
                    e
                }
            }),
            ["trace", "add", "pg-input", n, ..] => {
                let n: usize = n.parse().map_err(|_| unknown())?;
                self.state().dp.trace_left = n;
                Ok(String::new())
            }
            ["ping", rest @ ..] => self.ping(rest).ok_or_else(unknown),
            ["show", "ip" | "ip4" | "ip6", "fib", ..] => {
                let v6 = words[1] == "ip6";
                let st = self.state();
                let mut out = format!("ipv{}-VRF:0, fib_index:0, flow hash:[src dst sport dport proto flowlabel ] epoch:0 flags:none locks:[default-route:1, ]\n", if v6 { 6 } else { 4 });
                for addrs in st.dp.addresses.values() {
                    for (a, len) in addrs.iter().filter(|(a, _)| a.is_ipv6() == v6) {
                        out.push_str(&format!("{a}/{len}\n  connected\n"));
                    }
                }
                for (net, len, paths) in st.dp.routes.iter().filter(|r| r.0.is_ipv6() == v6) {
                    out.push_str(&format!("{net}/{len}\n"));
                    for (nh, sw) in paths {
                        let via = nh.map_or("-".to_string(), |a| a.to_string());
                        out.push_str(&format!("  path via {via} sw_if_index {sw}\n"));
                    }
                }
                Ok(out)
            }
            ["show", "l2patch"] => {
                let st = self.state();
                let name = |i: &u32| st.interfaces.get(i).map_or(format!("sw_if_index {i}"), |x| x.name.clone());
                Ok(st
                    .dp
                    .xconnect
                    .iter()
                    .map(|(rx, tx)| format!("{:>20} -> {}\n", name(rx), name(tx)))
                    .collect())
            }
            ["show", "ip4" | "ip6" | "ip", "neighbors" | "neighbor"] => {
                let st = self.state();
                let mut out = format!("{:<14}{:<30}{:<7}{:<20}{}\n", "Time", "IP", "Flags", "Ethernet", "Interface");
                for ((sw, ip), mac) in &st.dp.neighbors {
                    let v4 = words[1] == "ip4";
                    if words[1] != "ip" && ip.is_ipv4() != v4 {
                        continue;
                    }
                    let name = st.interfaces.get(sw).map_or("?".to_string(), |i| i.name.clone());
                    out.push_str(&format!("{:<14}{:<30}{:<7}{:<20}{name}\n", "0.0000", ip, "D", mac));
                }
                Ok(out)
            }
            ["clear", "errors"] => {
                self.state().counters.clear_errors();
                Ok(String::new())
            }
            ["clear", "interfaces"] => {
                self.state().counters.clear_interfaces();
                Ok(String::new())
            }
            ["fake", "counters", rest @ ..] => self.fake_counters(rest).map_err(|e| format!("{e} (in `{cmd}')")),
            ["show", "threads"] => {
                let mut out = format!("{:<7}{:<20}{:<8}{:<8}{:<12}\n", "ID", "Name", "LWP", "CPU", "Sched");
                for (i, t) in self.threads.iter().enumerate() {
                    out.push_str(&format!("{:<7}{:<20}{:<8}{:<8}{:<12}\n", i, t.name, t.lwp, t.cpu, "other (0)"));
                }
                Ok(out)
            }
            ["show", "trace", ..] => {
                let st = self.state();
                let mut out = String::new();
                for (i, t) in self.threads.iter().enumerate() {
                    out.push_str(&format!("------------------- Start of thread {i} {} -------------------\n", t.name));
                    if i == 0 && !st.dp.trace.is_empty() {
                        out.push_str(&st.dp.trace.join("\n"));
                        out.push('\n');
                    } else {
                        out.push_str("No packets in trace buffer\n");
                    }
                }
                Ok(out)
            }
            ["show", "interface"] | ["show", "int"] | ["sh", "int"] => Ok(self.show_interface(None)),
            ["show", "interface", name] | ["show", "int", name] => {
                if self.state().by_name(name).is_none() {
                    return Err(format!("unknown input `{name}'"));
                }
                Ok(self.show_interface(Some(name)))
            }
            ["show", "hardware"] | ["show", "hardware-interfaces"] | ["show", "hard"] => {
                let mut out = format!("{:>15}{:>17}{:>8}  {}\n", "Name", "Idx", "Link", "Hardware");
                for i in self.state().interfaces.values() {
                    let link = if i.admin_up { "up" } else { "down" };
                    out.push_str(&format!("{:<30}{:>3}{:>8}  {}\n", i.name, i.index, link, i.name));
                    if i.instance.is_some() {
                        out.push_str(&format!("  Link speed: unknown\n  Ethernet address {}\n", mac(&i.mac)));
                    }
                }
                Ok(out)
            }
            ["create", "loopback", "interface", rest @ ..] => {
                let (mut m, mut inst) = ([0u8; 6], None);
                let mut it = rest.iter();
                while let Some(w) = it.next() {
                    match *w {
                        "mac" => m = it.next().and_then(|s| parse_mac(s)).ok_or_else(unknown)?,
                        "instance" => inst = Some(it.next().and_then(|s| s.parse().ok()).ok_or_else(unknown)?),
                        _ => return Err(unknown()),
                    }
                }
                let mut st = self.state();
                let index = st.create_loopback(m, inst).map_err(|rv| format!("create loopback failed: {rv}"))?;
                Ok(format!("{}\n", st.interfaces[&index].name))
            }
            ["delete", "loopback", "interface", "intfc", name] => {
                let mut st = self.state();
                let index = st.by_name(name).map(|i| i.index).ok_or_else(|| format!("unknown input `{name}'"))?;
                let gone = st.delete_loopback(index).map_err(|_| "not a loopback interface".to_string())?;
                changed.push((gone, true));
                Ok(String::new())
            }
            ["set", "interface", "state", name, updown @ ("up" | "down")] => {
                let mut st = self.state();
                let index = st.by_name(name).map(|i| i.index).ok_or_else(|| format!("unknown input `{name} {updown}'"))?;
                if let Ok(Some(i)) = st.set_admin(index, *updown == "up") {
                    changed.push((i, false));
                }
                Ok(String::new())
            }
            ["show", "packet-generator"] => {
                let st = self.state();
                if st.dp.streams.is_empty() {
                    return Ok("no streams currently defined\n".into());
                }
                let mut out = format!("{:<16}{:^12}{:^16}{}\n", "Name", "Enabled", "Count", "Parameters");
                for (name, s) in &st.dp.streams {
                    out.push_str(&format!("{:<16}{:^12}{:^16}{}\n", name, if s.enabled { "Yes" } else { "No" }, 0, s.path.display()));
                }
                Ok(out)
            }
            ["show", "errors"] | ["show", "error"] => {
                let st = self.state();
                let mut out = format!("{:>10}{:>30}{:>40}{:>20}\n", "Count", "Node", "Reason", "Severity");
                for (i, (node, counter)) in crate::stats::error_names().iter().enumerate() {
                    let n: u64 = st
                        .counters
                        .errors
                        .iter()
                        .zip(&st.counters.errors_last_clear)
                        .map(|(t, c)| t[i] - c[i])
                        .sum();
                    if n > 0 {
                        out.push_str(&format!("{n:>10}{node:>30}{counter:>40}{:>20}\n", "error"));
                    }
                }
                Ok(out)
            }
            ["show", "run"] | ["show", "runtime"] => {
                let now = self.state().now();
                Ok(format!("Time {now:.1}, 10 sec internal node vector rate 0.00 loops/sec 0.00\n  vector rates in 0.0000e0, out 0.0000e0, drop 0.0000e0, punt 0.0000e0\n"))
            }
            ["show", "plugins"] | ["show", "plugin"] => Ok(format!(
                " Plugin path is: {BUILD_DIR}/plugins, plugins shown in load order\n\n     {:<41}{:<33}{}\n  1. {:<41}{:<33}{}\n",
                "Plugin", "Version", "Description",
                "demo_plugin.so", VERSION, "asf's example plugin (demo.api)"
            )),
            ["show", "log"] => Ok(self
                .state()
                .log
                .iter()
                .map(|e| format!("{} {}: {}\n", utc(e.timestamp as u64), e.class, e.message))
                .collect()),
            // `test log <level> <class> <subclass> <message...>`, as VPP's vlib/log.c.
            ["test", "log", level, class, subclass, message @ ..] => {
                let levels = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"];
                let level = levels.iter().position(|l| l == level).ok_or_else(unknown)? as u32;
                self.state().log.push(crate::state::LogEntry {
                    timestamp: crate::state::wall_time(),
                    level,
                    class: format!("{class}/{subclass}"),
                    message: message.join(" "),
                });
                Ok(String::new())
            }
            // `wait <seconds>`: VPP's CLI that blocks the API process.
            ["wait", secs] => {
                let s: f64 = secs.parse().map_err(|_| unknown())?;
                std::thread::sleep(std::time::Duration::from_secs_f64(s.clamp(0.0, 3600.0)));
                Ok(String::new())
            }
            ["show", "bihash", ..] => Ok(String::new()),
            ["api", "trace", rest @ ..] if !rest.is_empty() && !matches!(rest[0], "save" | "status") => {
                let mut st = self.state();
                match rest {
                    ["on" | "enable"] | ["tx", "on"] => st.trace_on = true,
                    ["off" | "disable"] | ["tx", "off"] => st.trace_on = false,
                    ["free"] => st.trace.clear(),
                    ["save-json", file] => {
                        if file.contains("..") || file.contains('/') {
                            return Ok(format!("illegal characters in filename '{file}'\n"));
                        }
                        let path = format!("/tmp/{file}");
                        // Name and CRC of each traced message (VPP adds every field).
                        let items: Vec<String> = st
                            .trace
                            .iter()
                            .filter_map(|nc| nc.rsplit_once('_'))
                            .map(|(n, c)| format!("{{\n  \"_msgname\": \"{n}\",\n  \"_crc\": \"{c}\"\n}}"))
                            .collect();
                        return match std::fs::write(&path, format!("[\n{}\n]\n", items.join(",\n"))) {
                            Ok(()) => Ok(format!("API trace saved to {path}\n")),
                            Err(_) => Ok(format!("Couldn't create {path}\n")),
                        };
                    }
                    ["replay-json", file] => {
                        let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
                        // The stand-in replays the one message it can create things with.
                        let loops = text.matches("\"create_loopback\"").count();
                        drop(st);
                        for _ in 0..loops {
                            let mut st = self.state();
                            if let Ok(i) = st.create_loopback([0; 6], None) {
                                let created = st.interfaces[&i].clone();
                                changed.push((created, false));
                            }
                        }
                        return Ok(String::new());
                    }
                    _ => return Err(unknown()),
                }
                Ok(String::new())
            }
            ["api", "trace", "status"] => Ok("RX Trace: enabled\n".into()),
            ["api", "trace", "save", file] => {
                if file.contains("..") || file.contains('/') {
                    return Ok(format!("illegal characters in filename '{file}'\n"));
                }
                let path = format!("/tmp/{file}");
                if std::path::Path::new(&path).exists() {
                    return Ok(format!("file exists: {path}\n\n"));
                }
                match std::fs::write(&path, b"fake-vpp api trace\n") {
                    Ok(()) => Ok(format!("API trace saved to {path}\n")),
                    Err(_) => Ok(format!("Couldn't create {path}\n\n")),
                }
            }
            _ => Err(unknown()),
        }
    }

    /// `fake counters interface <name> rx|tx <packets> <bytes> [thread <t>]`,
    /// `fake counters interface <name> drops <n> [thread <t>]`,
    /// `fake counters error <node> <counter> <n> [thread <t>]`: add to a
    /// counter, so tests can assert on counters without traffic.
    fn fake_counters(&self, words: &[&str]) -> Result<String, String> {
        let (words, thread) = match words {
            [head @ .., "thread", t] => (
                head,
                t.parse::<usize>().map_err(|_| format!("bad thread {t}"))?,
            ),
            _ => (words, 0),
        };
        let num = |s: &str| s.parse::<u64>().map_err(|_| format!("bad number {s}"));
        let mut st = self.state();
        if thread >= st.counters.threads {
            return Err(format!("no thread {thread}"));
        }
        match words {
            ["interface", name, dir @ ("rx" | "tx"), packets, bytes] => {
                let index = st.by_name(name).map(|i| i.index).ok_or_else(|| format!("unknown interface {name}"))? as usize;
                let (p, b) = (num(packets)?, num(bytes)?);
                let row = if *dir == "rx" { &mut st.counters.if_rx[thread] } else { &mut st.counters.if_tx[thread] };
                row[index].0 += p;
                row[index].1 += b;
            }
            ["interface", name, "drops", n] => {
                let index = st.by_name(name).map(|i| i.index).ok_or_else(|| format!("unknown interface {name}"))? as usize;
                st.counters.if_drops[thread][index] += num(n)?;
            }
            ["error", node, counter, n] => {
                let i = crate::stats::error_names()
                    .iter()
                    .position(|(nd, c)| nd == node && c == counter)
                    .ok_or_else(|| format!("unknown error counter {node}/{counter}"))?;
                st.counters.errors[thread][i] += num(n)?;
            }
            _ => return Err("usage: fake counters interface <name> rx|tx <packets> <bytes> | interface <name> drops <n> | error <node> <counter> <n> [thread <t>]".into()),
        }
        Ok(String::new())
    }

    fn show_interface(&self, only: Option<&str>) -> String {
        let mut out = format!(
            "{:>15}{:>21}{:>8}{:>6}{:>24}{:>16}{:>14}\n",
            "Name", "Idx", "State", "MTU", "(L3/IP4/IP6/MPLS)", "Counter", "Count"
        );
        for i in self
            .state()
            .interfaces
            .values()
            .filter(|i| only.is_none_or(|n| n == i.name))
        {
            let state = if i.admin_up { "up" } else { "down" };
            let mtu = if i.instance.is_some() {
                "9000/0/0/0"
            } else {
                "0/0/0/0"
            };
            out.push_str(&format!(
                "{:<30}{:>6}{:>10}{:>17}\n",
                i.name, i.index, state, mtu
            ));
        }
        out
    }
}

/// `aa:bb:cc:dd:ee:ff`.
pub fn mac(m: &[u8; 6]) -> String {
    m.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let parts: Vec<u8> = s
        .split(':')
        .map(|p| u8::from_str_radix(p, 16).ok())
        .collect::<Option<_>>()?;
    parts.try_into().ok()
}

fn utc(secs: u64) -> String {
    let days = secs / 86_400;
    let s = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y}/{m:02}/{d:02} {:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn known_and_unknown_commands() {
        let state = Mutex::new(State::new(Instant::now(), 1));
        let threads = [ThreadInfo {
            name: "vpp_main".into(),
            lwp: 10,
            cpu: 0,
        }];
        let c = Cli {
            state: &state,
            threads: &threads,
        };
        assert!(c
            .run("show version\n")
            .text
            .starts_with("vpp v26.10-rc0~asf-fake built by"));
        assert!(c.run("show clock").text.starts_with("Time now "));
        let bad = c.run("show version\nfrobnicate\nshow clock");
        assert_eq!(bad.retval, -1);
        assert!(bad.text.ends_with("unknown input `frobnicate'\n"));
        assert!(
            !bad.text.contains("Time now"),
            "stops at the failing command"
        );
        assert_eq!(utc(0), "1970/01/01 00:00:00");
        assert_eq!(utc(1_795_000_000), "2026/11/18 11:06:40");
    }

    #[test]
    fn interfaces_and_clock_through_the_cli() {
        let state = Mutex::new(State::new(Instant::now(), 1));
        let threads = [ThreadInfo {
            name: "vpp_main".into(),
            lwp: 10,
            cpu: 0,
        }];
        let c = Cli {
            state: &state,
            threads: &threads,
        };
        assert_eq!(c.run("create loopback interface").text, "loop0\n");
        assert_eq!(
            c.run("create loopback interface mac 02:00:00:00:00:07 instance 5")
                .text,
            "loop5\n"
        );
        let up = c.run("set interface state loop0 up");
        assert_eq!((up.retval, up.changed.len()), (0, 1));
        let shown = c.run("show interface").text;
        assert!(
            shown
                .lines()
                .any(|l| l.starts_with("loop0") && l.contains(" up")),
            "{shown}"
        );
        assert!(
            shown
                .lines()
                .any(|l| l.starts_with("local0") && l.contains("down")),
            "{shown}"
        );
        assert!(c.run("show hardware").text.contains("02:00:00:00:00:07"));
        let del = c.run("delete loopback interface intfc loop5");
        assert!(del.changed[0].1, "deleted");
        assert_eq!(c.run("show interface loop5").retval, -1);
        c.run("set clock adjust 100");
        assert!(state.lock().unwrap().now() >= 100.0);
        let clock = c.run("show clock").text;
        assert!(clock.contains("Thread 0 offset 100.000000000"), "{clock}");
    }
}
