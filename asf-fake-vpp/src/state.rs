//! The stand-in's data plane state: the interface table and the clock.

use std::collections::BTreeMap;
use std::time::Instant;

use crate::stats::Counters;

/// `if_status_flags`: admin up.
pub const ADMIN_UP: u32 = 1;
/// `if_status_flags`: link up.
pub const LINK_UP: u32 = 2;

/// One software interface.
#[derive(Clone, Debug)]
pub struct Interface {
    /// `sw_if_index`.
    pub index: u32,
    /// `loop0`, `local0`.
    pub name: String,
    /// Device class: `Loopback`, `local`.
    pub dev_type: String,
    /// MAC address (zero for local0).
    pub mac: [u8; 6],
    /// Admin state.
    pub admin_up: bool,
    /// Loopback instance number (`loopN`).
    pub instance: Option<u32>,
}

impl Interface {
    /// `if_status_flags`: a loopback's link follows its admin state.
    pub fn flags(&self) -> u32 {
        if self.admin_up {
            ADMIN_UP | LINK_UP
        } else {
            0
        }
    }
}

/// Why an interface operation failed: the VPP retval.
pub type Retval = i32;
/// `VNET_API_ERROR_INVALID_SW_IF_INDEX`.
pub const INVALID_SW_IF_INDEX: Retval = -2;
/// `VNET_API_ERROR_INSTANCE_IN_USE`.
pub const INSTANCE_IN_USE: Retval = -29;

/// Interfaces and clock.
pub struct State {
    /// By `sw_if_index`.
    pub interfaces: BTreeMap<u32, Interface>,
    next_index: u32,
    started: Instant,
    /// Seconds added by `set clock adjust`.
    pub clock_adjust: f64,
    /// What the stats segment publishes.
    pub counters: Counters,
    /// The event log (`show log`, `log_dump`).
    pub log: Vec<LogEntry>,
    /// API trace: on, and the `name_crc` of each message received while on.
    pub trace_on: bool,
    /// The traced messages.
    pub trace: Vec<String>,
    /// The packet path.
    pub dp: crate::dataplane::Dataplane,
}

/// One entry of VPP's event log.
#[derive(Clone, Debug)]
pub struct LogEntry {
    /// Seconds since the epoch.
    pub timestamp: f64,
    /// `log_level` (0 emerg .. 7 debug).
    pub level: u32,
    /// Class and subclass, `fib/entry`.
    pub class: String,
    /// The text.
    pub message: String,
}

/// Seconds since the epoch.
pub fn wall_time() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

impl State {
    /// The state of a freshly started VPP with `threads` threads: just `local0`.
    pub fn new(started: Instant, threads: usize) -> State {
        let mut interfaces = BTreeMap::new();
        interfaces.insert(
            0,
            Interface {
                index: 0,
                name: "local0".into(),
                dev_type: "local".into(),
                mac: [0; 6],
                admin_up: false,
                instance: None,
            },
        );
        let boottime = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut counters = Counters::new(threads.max(1), boottime);
        counters.set_name(0, Some("local0"));
        State {
            interfaces,
            next_index: 1,
            started,
            clock_adjust: 0.0,
            counters,
            log: vec![LogEntry {
                timestamp: wall_time(),
                level: 5,
                class: "vlib/unix".into(),
                message: "fake-vpp started".into(),
            }],
            // api-trace { on } is on VPP's framework's command line.
            trace_on: true,
            trace: Vec::new(),
            dp: Default::default(),
        }
    }

    /// VPP's time: seconds since start plus adjustments.
    pub fn now(&self) -> f64 {
        self.clock() + self.clock_adjust
    }

    /// The CPU clock: seconds since start (what `show clock` calls "Time now").
    pub fn clock(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Creates `loop<N>`: the given instance, or the lowest free one.
    pub fn create_loopback(&mut self, mac: [u8; 6], instance: Option<u32>) -> Result<u32, Retval> {
        let used: Vec<u32> = self
            .interfaces
            .values()
            .filter_map(|i| i.instance)
            .collect();
        let instance = match instance {
            Some(n) if used.contains(&n) => return Err(INSTANCE_IN_USE),
            Some(n) => n,
            None => (0..).find(|n| !used.contains(n)).unwrap_or(0),
        };
        let mac = if mac == [0; 6] {
            [0xde, 0xad, 0, 0, 0, (instance & 0xff) as u8]
        } else {
            mac
        };
        let index = self.next_index;
        self.next_index += 1;
        self.counters
            .set_name(index, Some(&format!("loop{instance}")));
        self.interfaces.insert(
            index,
            Interface {
                index,
                name: format!("loop{instance}"),
                dev_type: "Loopback".into(),
                mac,
                admin_up: false,
                instance: Some(instance),
            },
        );
        Ok(index)
    }

    /// Deletes a loopback.
    pub fn delete_loopback(&mut self, index: u32) -> Result<Interface, Retval> {
        match self.interfaces.get(&index) {
            Some(i) if i.instance.is_some() => {
                self.counters.set_name(index, Some("deleted"));
                Ok(self.interfaces.remove(&index).expect("present"))
            }
            _ => Err(INVALID_SW_IF_INDEX),
        }
    }

    /// Sets admin state; returns the interface if it changed.
    pub fn set_admin(&mut self, index: u32, up: bool) -> Result<Option<Interface>, Retval> {
        let i = self.interfaces.get_mut(&index).ok_or(INVALID_SW_IF_INDEX)?;
        if i.admin_up == up {
            return Ok(None);
        }
        i.admin_up = up;
        Ok(Some(i.clone()))
    }

    /// Creates `pg<id>` in `mode`, or returns it if it exists (as VPP's
    /// `pg_interface_add_or_get`).
    pub fn create_pg(&mut self, id: u32, mode: crate::dataplane::Mode) -> u32 {
        if let Some(&(index, _)) = self.dp.pg.get(&id) {
            return index;
        }
        let index = self.next_index;
        self.next_index += 1;
        let name = format!("pg{id}");
        self.counters.set_name(index, Some(&name));
        // VPP gives a pg interface a random 02:fe MAC; this one is stable.
        let mac = match mode {
            crate::dataplane::Mode::Ethernet => [0x02, 0xfe, 0x5a, 0x00, (id >> 8) as u8, id as u8],
            _ => [0; 6],
        };
        self.interfaces.insert(
            index,
            Interface {
                index,
                name,
                dev_type: "pg".into(),
                mac,
                admin_up: false,
                instance: None,
            },
        );
        self.dp.pg.insert(id, (index, mode));
        index
    }

    /// The interfaces as the packet path sees them.
    pub fn ports(&self) -> BTreeMap<u32, crate::dataplane::Port> {
        use crate::dataplane::{Mode, Port};
        let modes: BTreeMap<u32, Mode> = self.dp.pg.values().map(|&(i, m)| (i, m)).collect();
        self.interfaces
            .values()
            .map(|i| {
                (
                    i.index,
                    Port {
                        index: i.index,
                        mac: asf_packet::Mac(i.mac),
                        up: i.admin_up,
                        mode: modes.get(&i.index).copied().unwrap_or(Mode::Ethernet),
                    },
                )
            })
            .collect()
    }

    /// An interface by name.
    pub fn by_name(&self, name: &str) -> Option<&Interface> {
        self.interfaces.values().find(|i| i.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_life_cycle() {
        let mut s = State::new(Instant::now(), 1);
        let a = s.create_loopback([0; 6], None).unwrap();
        let b = s.create_loopback([2, 0, 0, 0, 0, 1], None).unwrap();
        assert_eq!((a, b), (1, 2));
        assert_eq!(s.interfaces[&a].name, "loop0");
        assert_eq!(s.interfaces[&a].mac, [0xde, 0xad, 0, 0, 0, 0]);
        assert_eq!(s.interfaces[&b].name, "loop1");
        assert_eq!(s.create_loopback([0; 6], Some(1)), Err(INSTANCE_IN_USE));
        assert_eq!(
            s.create_loopback([0; 6], Some(7))
                .map(|i| s.interfaces[&i].name.clone()),
            Ok("loop7".into())
        );
        assert!(s.set_admin(a, true).unwrap().is_some());
        assert!(
            s.set_admin(a, true).unwrap().is_none(),
            "no change, no event"
        );
        assert_eq!(s.interfaces[&a].flags(), ADMIN_UP | LINK_UP);
        assert_eq!(
            s.delete_loopback(0).unwrap_err(),
            INVALID_SW_IF_INDEX,
            "local0 is not a loopback"
        );
        assert_eq!(s.delete_loopback(a).unwrap().name, "loop0");
        assert_eq!(s.set_admin(a, false).unwrap_err(), INVALID_SW_IF_INDEX);
        assert_eq!(
            s.create_loopback([0; 6], None)
                .map(|i| s.interfaces[&i].name.clone()),
            Ok("loop0".into())
        );
    }
}
