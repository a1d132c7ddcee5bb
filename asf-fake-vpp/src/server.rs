//! The binary-API socket server: framing, the `sockclnt_create` handshake
//! with a message table, and handlers for the messages the stand-in
//! implements. Unknown ids, truncated messages and unknown client indexes
//! get no reply, as in VPP.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::IpAddr;
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::cli::{Cli, ThreadInfo, BUILD_DATE, BUILD_DIR, VERSION};
use crate::faults::{CliFault, CrashClose, Faults};
use crate::state::{Interface, State};

/// Names, CRCs, file CRCs and versions of the modules the stand-in
/// implements, generated from `asf-core/api/*.api.json` and `asf-vocab/api/*.api.json`.
mod api {
    include!(concat!(env!("OUT_DIR"), "/vpp_api.rs"));
}

/// Dynamic modules in the order the stand-in "initialises" them: each gets
/// a block of ids from 29 on, in definition order, as VPP allocates them
/// (memclnt's 28 messages have fixed ids 1..=28).
const DYNAMIC: [&str; 10] = [
    "vpe",
    "interface",
    "vlib",
    "demo",
    "pg",
    "ip",
    "ip_neighbor",
    "l2",
    "ip6_nd",
    "ping",
];

/// Of the `interface` module and the packet path's modules, the requests
/// (and events) the stand-in implements; their replies and details go with
/// them. The rest of those files it does not announce, so a test that needs
/// them skips or fails at once instead of waiting for a reply that never
/// comes.
const IMPLEMENTED: [&str; 16] = [
    "create_loopback",
    "create_loopback_instance",
    "delete_loopback",
    "sw_interface_set_flags",
    "sw_interface_dump",
    "want_interface_events",
    "sw_interface_event",
    "pg_create_interface_v3",
    "sw_interface_add_del_address",
    "ip_neighbor_add_del",
    "sw_interface_set_l2_xconnect",
    "sw_interface_ip6nd_ra_config",
    "sw_interface_set_table",
    "ip_route_add_del",
    "want_ping_finished_events",
    "ping_finished_event",
];

fn announced(module: &str, message: &str) -> bool {
    if matches!(module, "vpe" | "vlib" | "demo") || message == "sw_interface_details" {
        return true;
    }
    let request = message.strip_suffix("_reply").unwrap_or(message);
    IMPLEMENTED.contains(&request)
}

/// The `.api.json` files of what the stand-in implements, for `get_api_json`.
const API_JSON: [&str; 6] = [
    include_str!("../../asf-vocab/api/ip_types.api.json"),
    include_str!("../../asf-core/api/memclnt.api.json"),
    include_str!("../../asf-core/api/vlib.api.json"),
    include_str!("../../asf-core/api/vpe.api.json"),
    include_str!("../../asf-vocab/api/interface.api.json"),
    include_str!("../../examples/plugin-tests/api/demo.api.json"),
];

fn module(name: &str) -> &'static api::ApiModule {
    api::MODULES
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no module {name} in asf-core/api or asf-vocab/api"))
}

/// The message table: id ↔ name, with CRCs.
struct Table {
    first_ids: HashMap<String, u16>,
    by_id: HashMap<u16, &'static str>,
    by_name: HashMap<&'static str, u16>,
    entries: Vec<(u16, String)>,
}

impl Table {
    fn new() -> Table {
        let mut t = Table {
            first_ids: HashMap::new(),
            by_id: HashMap::new(),
            by_name: HashMap::new(),
            entries: Vec::new(),
        };
        let mut add = |id: u16, name: &'static str, crc: &str| {
            t.by_id.insert(id, name);
            t.by_name.insert(name, id);
            t.entries.push((id, format!("{name}_{crc}")));
        };
        let memclnt = module("memclnt");
        for (i, (name, crc)) in memclnt.messages.iter().enumerate() {
            add(i as u16 + 1, name, crc);
        }
        let mut next = memclnt.messages.len() as u16 + 1;
        let mut first_ids = HashMap::new();
        first_ids.insert(format!("memclnt_{:08x}", memclnt.file_crc), 1);
        for name in DYNAMIC {
            let m = module(name);
            first_ids.insert(format!("{}_{:08x}", m.name, m.file_crc), next);
            for (msg, crc) in m.messages {
                if announced(name, msg) {
                    add(next, msg, crc);
                }
                next += 1;
            }
        }
        t.first_ids = first_ids;
        t
    }

    fn id(&self, name: &str) -> u16 {
        self.by_name[name]
    }

    fn name_crc(&self, id: u16) -> String {
        self.entries
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    }
}

/// A registered client: where its replies and events go.
struct Client {
    conn: Arc<Mutex<UnixStream>>,
    interface_events: Option<u32>,
    demo_events: Option<u32>,
}

/// State shared by all connections.
pub struct Server {
    state: Mutex<State>,
    segment: Arc<Mutex<crate::stats::Segment>>,
    threads: Vec<ThreadInfo>,
    faults: Faults,
    table: Table,
    demo: Mutex<crate::demo::Demo>,
    messages: AtomicU64,
    clients: Mutex<(u32, HashMap<u32, Client>)>,
}

/// What happened to an interface, for `sw_interface_event`.
#[derive(Clone, Copy)]
enum EventKind {
    Added,
    State,
    Deleted,
}

enum Reply {
    Send(Vec<u8>),
    /// Bytes written as they are, framing included.
    Raw(Vec<u8>),
    SendAndClose(Vec<u8>),
    Nothing,
}

impl Server {
    /// A server with the given state, threads and faults.
    pub fn new(
        state: State,
        threads: Vec<ThreadInfo>,
        faults: Faults,
        segment: Arc<Mutex<crate::stats::Segment>>,
    ) -> Server {
        Server {
            state: Mutex::new(state),
            segment,
            threads,
            faults,
            table: Table::new(),
            demo: Mutex::new(crate::demo::Demo::default()),
            messages: AtomicU64::new(0),
            clients: Mutex::new((0, HashMap::new())),
        }
    }

    /// Accepts connections forever, one thread each.
    pub fn serve(self: Arc<Self>, listener: UnixListener) {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let me = self.clone();
            std::thread::spawn(move || me.connection(conn));
        }
    }

    fn clients(&self) -> std::sync::MutexGuard<'_, (u32, HashMap<u32, Client>)> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn connection(&self, conn: UnixStream) {
        let Ok(reader) = conn.try_clone() else { return };
        let writer = Arc::new(Mutex::new(conn));
        let mut reader = reader;
        let mut registered: Vec<u32> = Vec::new();
        let mut buf: Vec<u8> = Vec::new();
        let mut chunk = [0u8; 4096];
        // Crashing with a reset: read a message up to its id and decide
        // there, so the rest of it stays unread in the socket.
        let exact = self.faults.crash_close == CrashClose::Reset;
        'read: loop {
            while buf.len() >= 16 {
                let len = u32::from_be_bytes([buf[8], buf[9], buf[10], buf[11]]) as usize;
                if exact && buf.len() >= 18 {
                    let n = self.messages.load(Ordering::SeqCst) + 1;
                    let id = u16::from_be_bytes([buf[16], buf[17]]);
                    let name = self.table.by_id.get(&id).copied().unwrap_or("");
                    if self.faults.crashes_on(n, name) {
                        self.faults.crash(&format!(
                            "API message number {n} ({name}), read up to its id"
                        ));
                    }
                }
                if buf.len() < 16 + len {
                    break;
                }
                let body: Vec<u8> = buf[16..16 + len].to_vec();
                buf.drain(..16 + len);
                let reply = self.handle(&body, &writer, &mut registered);
                let (bytes, close) = match reply {
                    Reply::Send(b) => (b, false),
                    Reply::SendAndClose(b) => (b, true),
                    Reply::Raw(b) => {
                        let mut w = writer.lock().unwrap_or_else(|e| e.into_inner());
                        if w.write_all(&b).is_err() {
                            break 'read;
                        }
                        continue;
                    }
                    Reply::Nothing => continue,
                };
                let sent = send(
                    &mut writer.lock().unwrap_or_else(|e| e.into_inner()),
                    &bytes,
                );
                if sent.is_err() || close {
                    break 'read;
                }
            }
            let want = match (exact, buf.len()) {
                (false, _) => chunk.len(),
                (true, n) if n < 18 => 18 - n,
                (true, n) => {
                    let len = u32::from_be_bytes([buf[8], buf[9], buf[10], buf[11]]) as usize;
                    (16 + len).saturating_sub(n).clamp(1, chunk.len())
                }
            };
            match reader.read(&mut chunk[..want]) {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        // The connection is gone: drop its registrations (VPP's reaper).
        let mut c = self.clients();
        for index in registered {
            c.1.remove(&index);
        }
    }

    fn handle(
        &self,
        body: &[u8],
        writer: &Arc<Mutex<UnixStream>>,
        registered: &mut Vec<u32>,
    ) -> Reply {
        let n = self.messages.fetch_add(1, Ordering::SeqCst) + 1;
        let id = body
            .get(..2)
            .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]));
        let named = self.table.by_id.get(&id).copied();
        if self.faults.crashes_on(n, named.unwrap_or("")) {
            self.faults.crash(&format!("API message number {n}"));
        }
        if body.len() < 2 {
            return Reply::Nothing;
        }
        let Some(name) = named else {
            eprintln!("fake-vpp: no handler for msg id {id}");
            return Reply::Nothing;
        };
        {
            let mut st = self.state();
            if st.trace_on && st.trace.len() < 100_000 {
                st.trace.push(self.table.name_crc(id));
            }
        }
        if name == "sockclnt_create" {
            return self.sockclnt_create(body, writer, registered);
        }
        // Every other request: client_index @2, context @6, payload @10.
        let Some(mut p) = Payload::new(body) else {
            eprintln!("fake-vpp: truncated message {name}");
            return Reply::Nothing;
        };
        let client = p.client;
        let context = p.context;
        if !self.clients().1.contains_key(&client) {
            eprintln!("fake-vpp: {name} from unknown client index {client:#x}");
            return Reply::Nothing;
        }
        let reply = |name: &str, payload: &[u8]| {
            let mut r = self.table.id(name).to_be_bytes().to_vec();
            r.extend_from_slice(&context);
            r.extend_from_slice(payload);
            r
        };
        let retval_only = |name: &str, rv: i32| reply(name, &rv.to_be_bytes());
        match name {
            "control_ping" => {
                let mut out = 0i32.to_be_bytes().to_vec();
                out.extend_from_slice(&client.to_be_bytes());
                out.extend_from_slice(&std::process::id().to_be_bytes());
                Reply::Send(reply("control_ping_reply", &out))
            }
            "get_first_msg_id" => {
                let Some(name) = p.take(64) else {
                    return Reply::Nothing;
                };
                let end = name.iter().position(|&b| b == 0).unwrap_or(64);
                let key = String::from_utf8_lossy(&name[..end]).into_owned();
                let (rv, first): (i32, u16) = match self.table.first_ids.get(key.as_str()) {
                    Some(id) => (0, *id),
                    None => (-7, 0xffff),
                };
                let mut out = rv.to_be_bytes().to_vec();
                out.extend_from_slice(&first.to_be_bytes());
                Reply::Send(reply("get_first_msg_id_reply", &out))
            }
            "api_versions" => {
                let mut out = 0i32.to_be_bytes().to_vec();
                out.extend_from_slice(&(1 + DYNAMIC.len() as u32).to_be_bytes());
                for name in std::iter::once("memclnt").chain(DYNAMIC) {
                    let (major, minor, patch) = module(name).version;
                    for v in [major, minor, patch] {
                        out.extend_from_slice(&v.to_be_bytes());
                    }
                    out.extend_from_slice(&fixed(name, 64));
                }
                Reply::Send(reply("api_versions_reply", &out))
            }
            "sockclnt_delete" => {
                let Some(index) = p.u32() else {
                    return Reply::Nothing;
                };
                let removed = self.clients().1.remove(&index).is_some();
                Reply::SendAndClose(retval_only(
                    "sockclnt_delete_reply",
                    if removed { 1 } else { -1 },
                ))
            }
            "get_api_json" => {
                let json = format!("[{}]", API_JSON.join(","));
                let mut out = 0i32.to_be_bytes().to_vec();
                out.extend_from_slice(&(json.len() as u32).to_be_bytes());
                out.extend_from_slice(json.as_bytes());
                Reply::Send(reply("get_api_json_reply", &out))
            }
            "show_version" => {
                let mut out = 0i32.to_be_bytes().to_vec();
                for (s, n) in [
                    ("vpe", 32),
                    (VERSION, 32),
                    (BUILD_DATE, 32),
                    (BUILD_DIR, 256),
                ] {
                    out.extend_from_slice(&fixed(s, n));
                }
                Reply::Send(reply("show_version_reply", &out))
            }
            "cli_inband" => {
                let Some(cmd) = p.string() else {
                    return Reply::Send(reply(
                        "cli_inband_reply",
                        &[&(-1i32).to_be_bytes()[..], &[0; 4]].concat(),
                    ));
                };
                let fault = self.faults.on_cli(&cmd);
                match fault {
                    Some(CliFault::Crash) => match self.faults.crash_delay {
                        // As `kill -SEGV` while VPP works on the command.
                        Some(delay) => {
                            let faults = self.faults.clone();
                            let why = format!("{} ms into CLI `{}`", delay.as_millis(), cmd.trim());
                            std::thread::spawn(move || {
                                std::thread::sleep(delay);
                                faults.crash(&why)
                            });
                        }
                        None => self.faults.crash(&format!("CLI `{}`", cmd.trim())),
                    },
                    Some(CliFault::Hang) => {
                        eprintln!("fake-vpp: hanging on CLI `{}`", cmd.trim());
                        loop {
                            std::thread::park();
                        }
                    }
                    Some(CliFault::BadFrame) => {
                        let mut frame = vec![0u8; 8];
                        frame.extend_from_slice(&u32::MAX.to_be_bytes());
                        frame.extend_from_slice(&[0u8; 4]);
                        frame.extend_from_slice(&reply("cli_inband_reply", &[0; 8]));
                        return Reply::Raw(frame);
                    }
                    Some(CliFault::UnknownMsg) => {
                        let mut w = writer.lock().unwrap_or_else(|e| e.into_inner());
                        let mut odd = 0xfff0u16.to_be_bytes().to_vec();
                        odd.extend_from_slice(&context);
                        odd.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
                        let _ = send(&mut w, &odd);
                    }
                    Some(CliFault::Truncate) | None => {}
                }
                let out = Cli {
                    state: &self.state,
                    threads: &self.threads,
                }
                .run(&cmd);
                self.publish_stats();
                if out.corrupt_stats {
                    let _ = self
                        .segment
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .corrupt();
                }
                for (i, deleted) in &out.changed {
                    self.interface_event(
                        i,
                        if *deleted {
                            EventKind::Deleted
                        } else {
                            EventKind::State
                        },
                    );
                }
                let mut payload = out.retval.to_be_bytes().to_vec();
                payload.extend_from_slice(&(out.text.len() as u32).to_be_bytes());
                payload.extend_from_slice(out.text.as_bytes());
                if fault == Some(CliFault::Truncate) {
                    // The retval, then half of the reply's length field.
                    payload.truncate(6);
                }
                Reply::Send(reply("cli_inband_reply", &payload))
            }
            "show_vpe_system_time" => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64());
                let mut out = 0i32.to_be_bytes().to_vec();
                out.extend_from_slice(&now.to_le_bytes());
                Reply::Send(reply("show_vpe_system_time_reply", &out))
            }
            "get_f64_endian_value" => {
                let Some(b) = p.take(8) else {
                    return Reply::Nothing;
                };
                let one = f64::from_le_bytes(b.try_into().expect("8 bytes"));
                // VNET_API_ERROR_API_ENDIAN_FAILED when the client sent 1.0 wrong.
                let rv: i32 = if one == 1.0 { 0 } else { -160 };
                let mut out = rv.to_be_bytes().to_vec();
                out.extend_from_slice(&1.0f64.to_le_bytes());
                Reply::Send(reply("get_f64_endian_value_reply", &out))
            }
            "get_f64_increment_by_one" => {
                let Some(b) = p.take(8) else {
                    return Reply::Nothing;
                };
                let v = f64::from_le_bytes(b.try_into().expect("8 bytes"));
                let mut out = 0i32.to_be_bytes().to_vec();
                out.extend_from_slice(&(v + 1.0).to_le_bytes());
                Reply::Send(reply("get_f64_increment_by_one_reply", &out))
            }
            "log_dump" => {
                let Some(b) = p.take(8) else {
                    return Reply::Nothing;
                };
                let start = f64::from_le_bytes(b.try_into().expect("8 bytes"));
                let entries: Vec<crate::state::LogEntry> = self
                    .state()
                    .log
                    .iter()
                    .filter(|e| e.timestamp >= start)
                    .cloned()
                    .collect();
                send_all(
                    writer,
                    entries.iter().map(|e| {
                        let mut d = e.timestamp.to_le_bytes().to_vec();
                        d.extend_from_slice(&e.level.to_be_bytes());
                        d.extend_from_slice(&fixed(&e.class, 32));
                        d.extend_from_slice(&fixed(&e.message, 256));
                        reply("log_details", &d)
                    }),
                );
                Reply::Nothing
            }
            "show_threads" => {
                let mut out = 0i32.to_be_bytes().to_vec();
                out.extend_from_slice(&(self.threads.len() as u32).to_be_bytes());
                for (i, t) in self.threads.iter().enumerate() {
                    out.extend_from_slice(&(i as u32).to_be_bytes());
                    out.extend_from_slice(&fixed(&t.name, 64));
                    out.extend_from_slice(&fixed(if i == 0 { "" } else { "workers" }, 64));
                    for v in [t.lwp as u32, t.cpu as u32, t.cpu as u32, 0] {
                        out.extend_from_slice(&v.to_be_bytes());
                    }
                }
                Reply::Send(reply("show_threads_reply", &out))
            }
            "create_loopback" | "create_loopback_instance" => {
                let Some(mac) = p.mac() else {
                    return Reply::Nothing;
                };
                let instance = if name == "create_loopback_instance" {
                    let (Some(specified), Some(n)) = (p.u8(), p.u32()) else {
                        return Reply::Nothing;
                    };
                    (specified != 0).then_some(n)
                } else {
                    None
                };
                let result = self.state().create_loopback(mac, instance);
                self.publish_stats();
                let (rv, index) = match result {
                    Ok(i) => {
                        // VPP reports additions too (flags 0, not deleted).
                        if let Some(created) = self.state().interfaces.get(&i).cloned() {
                            self.interface_event(&created, EventKind::Added);
                        }
                        (0, i)
                    }
                    Err(rv) => (rv, u32::MAX),
                };
                let mut out = rv.to_be_bytes().to_vec();
                out.extend_from_slice(&index.to_be_bytes());
                Reply::Send(reply(&format!("{name}_reply"), &out))
            }
            "delete_loopback" => {
                let Some(index) = p.u32() else {
                    return Reply::Nothing;
                };
                let result = self.state().delete_loopback(index);
                self.publish_stats();
                let rv = match result {
                    Ok(gone) => {
                        self.interface_event(&gone, EventKind::Deleted);
                        0
                    }
                    Err(rv) => rv,
                };
                Reply::Send(retval_only("delete_loopback_reply", rv))
            }
            "sw_interface_set_flags" => {
                let (Some(index), Some(flags)) = (p.u32(), p.u32()) else {
                    return Reply::Nothing;
                };
                let result = self
                    .state()
                    .set_admin(index, flags & crate::state::ADMIN_UP != 0);
                let rv = match result {
                    Ok(Some(changed)) => {
                        self.interface_event(&changed, EventKind::State);
                        0
                    }
                    Ok(None) => 0,
                    Err(rv) => rv,
                };
                Reply::Send(retval_only("sw_interface_set_flags_reply", rv))
            }
            "sw_interface_dump" => {
                let (Some(index), Some(filter_valid), Some(filter)) = (p.u32(), p.u8(), p.string())
                else {
                    return Reply::Nothing;
                };
                let all: Vec<Interface> = self.state().interfaces.values().cloned().collect();
                let filter = filter.to_lowercase();
                let selected = all.iter().filter(|i| {
                    if filter_valid != 0 {
                        i.name.to_lowercase().contains(&filter)
                    } else if index != u32::MAX && index != 0 {
                        i.index == index
                    } else {
                        true
                    }
                });
                // Details go out right away; the client's control_ping ends the dump.
                send_all(
                    writer,
                    selected.map(|i| reply("sw_interface_details", &details(i))),
                );
                Reply::Nothing
            }
            "pg_create_interface_v3" => {
                let (Some(id), Some(_flags), Some(_gso), Some(mode)) =
                    (p.u32(), p.u32(), p.u32(), p.u8())
                else {
                    return Reply::Nothing;
                };
                let mode = match mode {
                    1 => crate::dataplane::Mode::Ip4,
                    2 => crate::dataplane::Mode::Ip6,
                    _ => crate::dataplane::Mode::Ethernet,
                };
                let index = self.state().create_pg(id, mode);
                self.publish_stats();
                let mut out = 0i32.to_be_bytes().to_vec();
                out.extend_from_slice(&index.to_be_bytes());
                Reply::Send(reply("pg_create_interface_v3_reply", &out))
            }
            "sw_interface_add_del_address" => {
                let (Some(index), Some(is_add), Some(del_all), Some(addr), Some(len)) =
                    (p.u32(), p.u8(), p.u8(), p.address(), p.u8())
                else {
                    return Reply::Nothing;
                };
                let mut st = self.state();
                let rv = if !st.interfaces.contains_key(&index) {
                    crate::state::INVALID_SW_IF_INDEX
                } else {
                    let list = st.dp.addresses.entry(index).or_default();
                    if del_all != 0 {
                        list.clear();
                    } else if is_add != 0 {
                        if !list.contains(&(addr, len)) {
                            list.push((addr, len));
                        }
                    } else {
                        list.retain(|a| *a != (addr, len));
                    }
                    0
                };
                Reply::Send(retval_only("sw_interface_add_del_address_reply", rv))
            }
            "ip_neighbor_add_del" => {
                let (Some(is_add), Some(index), Some(_flags), Some(mac), Some(addr)) =
                    (p.u8(), p.u32(), p.u8(), p.mac(), p.address())
                else {
                    return Reply::Nothing;
                };
                let mut st = self.state();
                if is_add != 0 {
                    st.dp.neighbors.insert((index, addr), asf_packet::Mac(mac));
                } else {
                    st.dp.neighbors.remove(&(index, addr));
                }
                let mut out = 0i32.to_be_bytes().to_vec();
                out.extend_from_slice(&0u32.to_be_bytes());
                Reply::Send(reply("ip_neighbor_add_del_reply", &out))
            }
            "sw_interface_set_l2_xconnect" => {
                let (Some(rx), Some(tx), Some(enable)) = (p.u32(), p.u32(), p.u8()) else {
                    return Reply::Nothing;
                };
                let mut st = self.state();
                if enable != 0 {
                    st.dp.xconnect.insert(rx, tx);
                } else {
                    st.dp.xconnect.remove(&rx);
                }
                Reply::Send(retval_only("sw_interface_set_l2_xconnect_reply", 0))
            }
            "sw_interface_ip6nd_ra_config" | "sw_interface_set_table" => {
                // Accepted: the stand-in sends no router advertisements
                // and has one table.
                Reply::Send(retval_only(&format!("{name}_reply"), 0))
            }
            "ip_route_add_del" => {
                let (Some(is_add), Some(_multipath), Some(_table), Some(_stats)) =
                    (p.u8(), p.u8(), p.u32(), p.u32())
                else {
                    return Reply::Nothing;
                };
                let (Some(net), Some(len), Some(n_paths)) = (p.address(), p.u8(), p.u8()) else {
                    return Reply::Nothing;
                };
                let mut st = self.state();
                st.dp.routes.retain(|r| !(r.0 == net && r.1 == len));
                if is_add != 0 {
                    let mut paths = Vec::new();
                    for _ in 0..n_paths {
                        // sw_if_index, then table, rpf, weight, preference,
                        // type, flags, proto, the next hop (16 bytes and three
                        // words), the label count and 16 labels of 7 bytes.
                        let Some(sw) = p.u32() else { break };
                        let _ = p.take(4 + 4 + 1 + 1 + 4 + 4);
                        let proto = p.u32().unwrap_or(0);
                        let nh = p.take(16).map(|b| {
                            if proto == 1 {
                                IpAddr::V6(std::net::Ipv6Addr::from(
                                    <[u8; 16]>::try_from(b).unwrap_or([0; 16]),
                                ))
                            } else {
                                IpAddr::V4(std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]))
                            }
                        });
                        let _ = p.take(12 + 1 + 16 * 7);
                        let nh = nh.filter(|a| !a.is_unspecified());
                        // A path without an interface goes where its next hop goes.
                        let sw = if sw == u32::MAX {
                            nh.and_then(|a| st.dp.lookup(a))
                                .map_or(u32::MAX, |(s, _)| s)
                        } else {
                            sw
                        };
                        paths.push((nh, sw));
                    }
                    st.dp.routes.push((net, len, paths));
                }
                let mut out = 0i32.to_be_bytes().to_vec();
                out.extend_from_slice(&0u32.to_be_bytes());
                Reply::Send(reply("ip_route_add_del_reply", &out))
            }
            "want_ping_finished_events" => {
                let (Some(dst), Some(repeat)) = (p.address(), p.u32()) else {
                    return Reply::Nothing;
                };
                let sent = {
                    let mut st = self.state();
                    let ports = st.ports();
                    let sent = st.dp.ping(&ports, dst, repeat, 1);
                    st.dp.flush();
                    sent
                };
                let _ = send(
                    &mut writer.lock().unwrap_or_else(|e| e.into_inner()),
                    &retval_only("want_ping_finished_events_reply", 0),
                );
                let mut e = self.table.id("ping_finished_event").to_be_bytes().to_vec();
                e.extend_from_slice(&client.to_be_bytes());
                e.extend_from_slice(&sent.to_be_bytes());
                e.extend_from_slice(&0u32.to_be_bytes());
                Reply::Send(e)
            }
            "want_interface_events" => {
                let (Some(enable), Some(pid)) = (p.u32(), p.u32()) else {
                    return Reply::Nothing;
                };
                if let Some(c) = self.clients().1.get_mut(&client) {
                    c.interface_events = (enable != 0).then_some(pid);
                }
                Reply::Send(retval_only("want_interface_events_reply", 0))
            }
            "demo_rule_add" => {
                let Some((rv, id)) = self.demo().add(p.rest) else {
                    return Reply::Nothing;
                };
                if rv == 0 {
                    self.demo_event(id, false);
                }
                let mut out = rv.to_be_bytes().to_vec();
                out.extend_from_slice(&id.to_be_bytes());
                Reply::Send(reply("demo_rule_add_reply", &out))
            }
            "demo_rule_del" => {
                let Some(rv) = self.demo().del(p.rest) else {
                    return Reply::Nothing;
                };
                if rv == 0 {
                    self.demo_event(
                        u32::from_be_bytes(p.rest[..4].try_into().expect("4 bytes")),
                        true,
                    );
                }
                Reply::Send(retval_only("demo_rule_del_reply", rv))
            }
            "demo_rule_set_comment" => match self.demo().set_comment(p.rest) {
                Some(rv) => Reply::Send(retval_only("demo_rule_set_comment_reply", rv)),
                None => Reply::Nothing,
            },
            "demo_rule_dump" => {
                let demo = self.demo();
                let Some(rules) = demo.dump(p.rest) else {
                    return Reply::Nothing;
                };
                send_all(
                    writer,
                    rules
                        .into_iter()
                        .map(|r| reply("demo_rule_details", &crate::demo::details(r))),
                );
                Reply::Nothing
            }
            "demo_rules_get" => {
                let demo = self.demo();
                let Some((rules, next)) = demo.get(p.rest) else {
                    return Reply::Nothing;
                };
                let details = rules
                    .into_iter()
                    .map(|r| reply("demo_rule_details", &crate::demo::details(r)));
                if !send_all(writer, details) {
                    return Reply::Nothing;
                }
                let mut out = 0i32.to_be_bytes().to_vec();
                out.extend_from_slice(&next.to_be_bytes());
                Reply::Send(reply("demo_rules_get_reply", &out))
            }
            "want_demo_events" => {
                let (Some(enable), Some(pid)) = (p.u32(), p.u32()) else {
                    return Reply::Nothing;
                };
                if let Some(c) = self.clients().1.get_mut(&client) {
                    c.demo_events = (enable != 0).then_some(pid);
                }
                Reply::Send(retval_only("want_demo_events_reply", 0))
            }
            other => {
                eprintln!("fake-vpp: no handler for {other}");
                Reply::Nothing
            }
        }
    }

    /// Brings the stats segment up to date with the state.
    pub fn publish_stats(&self) {
        let st = self.state();
        let mut seg = self.segment.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = seg.publish(&st.counters) {
            eprintln!("fake-vpp: stats segment: {e}");
        }
    }

    fn demo(&self) -> std::sync::MutexGuard<'_, crate::demo::Demo> {
        self.demo.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends `demo_event` (client_index, pid, rule_id, deleted) to every subscriber.
    fn demo_event(&self, rule_id: u32, deleted: bool) {
        let mut tail = rule_id.to_be_bytes().to_vec();
        tail.push(u8::from(deleted));
        self.broadcast("demo_event", |c| c.demo_events, &tail);
    }

    /// Sends event `name` to every client `subscribed` says wants it (with
    /// its pid): `_vl_msg_id`, `client_index`, `pid`, then `tail`.
    fn broadcast(&self, name: &str, subscribed: impl Fn(&Client) -> Option<u32>, tail: &[u8]) {
        let id = self.table.id(name);
        let subscribers: Vec<(u32, u32, Arc<Mutex<UnixStream>>)> = self
            .clients()
            .1
            .iter()
            .filter_map(|(index, c)| subscribed(c).map(|pid| (*index, pid, c.conn.clone())))
            .collect();
        for (index, pid, conn) in subscribers {
            let mut e = id.to_be_bytes().to_vec();
            e.extend_from_slice(&index.to_be_bytes());
            e.extend_from_slice(&pid.to_be_bytes());
            e.extend_from_slice(tail);
            let _ = send(&mut conn.lock().unwrap_or_else(|e| e.into_inner()), &e);
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends `sw_interface_event` to every subscriber. As in VPP, `flags`
    /// says which up-events happened (admin up; a loopback's link follows),
    /// and creation and deletion are reported with flags 0.
    fn interface_event(&self, i: &Interface, kind: EventKind) {
        let (flags, deleted) = match kind {
            EventKind::Added => (0, false),
            EventKind::State => (i.flags(), false),
            EventKind::Deleted => (0, true),
        };
        let mut tail = i.index.to_be_bytes().to_vec();
        tail.extend_from_slice(&flags.to_be_bytes());
        tail.push(u8::from(deleted));
        self.broadcast("sw_interface_event", |c| c.interface_events, &tail);
    }

    fn sockclnt_create(
        &self,
        body: &[u8],
        writer: &Arc<Mutex<UnixStream>>,
        registered: &mut Vec<u32>,
    ) -> Reply {
        if body.len() < 6 {
            return Reply::Nothing;
        }
        let index = {
            let mut c = self.clients();
            c.0 += 1;
            let index = 0x8000_0000 | c.0;
            c.1.insert(
                index,
                Client {
                    conn: writer.clone(),
                    interface_events: None,
                    demo_events: None,
                },
            );
            index
        };
        registered.push(index);
        let mut r = self
            .table
            .id("sockclnt_create_reply")
            .to_be_bytes()
            .to_vec();
        r.extend_from_slice(&0u32.to_be_bytes());
        r.extend_from_slice(&body[2..6]);
        r.extend_from_slice(&0i32.to_be_bytes());
        r.extend_from_slice(&index.to_be_bytes());
        r.extend_from_slice(&(self.table.entries.len() as u16).to_be_bytes());
        for (id, name) in &self.table.entries {
            r.extend_from_slice(&id.to_be_bytes());
            r.extend_from_slice(&fixed(name, 64));
        }
        Reply::Send(r)
    }
}

/// The 295-byte `sw_interface_details` payload after `context`.
fn details(i: &Interface) -> Vec<u8> {
    let mut d = Vec::with_capacity(289);
    d.extend_from_slice(&i.index.to_be_bytes());
    d.extend_from_slice(&i.index.to_be_bytes()); // sup_sw_if_index
    d.extend_from_slice(&i.mac);
    d.extend_from_slice(&i.flags().to_be_bytes());
    d.extend_from_slice(&0u32.to_be_bytes()); // type: hardware
    d.extend_from_slice(&0u32.to_be_bytes()); // link_duplex
    d.extend_from_slice(&0u32.to_be_bytes()); // link_speed
    let mtu: u32 = if i.instance.is_some() { 9000 } else { 0 };
    d.extend_from_slice(&(mtu as u16).to_be_bytes()); // link_mtu
    for m in [mtu, 0, 0, 0] {
        d.extend_from_slice(&m.to_be_bytes());
    }
    d.resize(d.len() + 4 + 1 + 2 + 2 + 4 + 16 + 2 + 6 + 6 + 2 + 4, 0); // sub_*, vtr_*, tags, b_*, i_sid
    d.extend_from_slice(&fixed(&i.name, 64));
    d.extend_from_slice(&fixed(&i.dev_type, 64));
    d.extend_from_slice(&fixed("", 64));
    d
}

/// A request's payload after `_vl_msg_id`, `client_index` and `context`.
struct Payload<'a> {
    client: u32,
    context: [u8; 4],
    rest: &'a [u8],
}

impl<'a> Payload<'a> {
    fn new(body: &'a [u8]) -> Option<Payload<'a>> {
        Some(Payload {
            client: u32::from_be_bytes(body.get(2..6)?.try_into().ok()?),
            context: body.get(6..10)?.try_into().ok()?,
            rest: body.get(10..)?,
        })
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = (self.rest.get(..n)?, self.rest.get(n..)?);
        self.rest = tail;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }

    fn mac(&mut self) -> Option<[u8; 6]> {
        self.take(6)?.try_into().ok()
    }

    /// A `vl_api_address_t`: the family, then 16 bytes.
    fn address(&mut self) -> Option<IpAddr> {
        let af = self.u8()?;
        let b: [u8; 16] = self.take(16)?.try_into().ok()?;
        Some(match af {
            0 => IpAddr::V4(std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3])),
            _ => IpAddr::V6(std::net::Ipv6Addr::from(b)),
        })
    }

    fn string(&mut self) -> Option<String> {
        let len = self.u32()? as usize;
        Some(String::from_utf8_lossy(self.take(len)?).into_owned())
    }
}

fn fixed(s: &str, n: usize) -> Vec<u8> {
    let mut v = s.as_bytes()[..s.len().min(n - 1)].to_vec();
    v.resize(n, 0);
    v
}

/// Writes message bodies (the details of a dump) one after another on a
/// connection, under one lock; false when the connection failed.
fn send_all(conn: &Mutex<UnixStream>, bodies: impl IntoIterator<Item = Vec<u8>>) -> bool {
    let mut w = conn.lock().unwrap_or_else(|e| e.into_inner());
    bodies.into_iter().all(|b| send(&mut w, &b).is_ok())
}

/// Writes one framed message, in chunks of at most 4096 bytes as VPP does.
fn send(conn: &mut UnixStream, body: &[u8]) -> std::io::Result<()> {
    let mut frame = vec![0u8; 8];
    frame.extend_from_slice(&(body.len() as u32).to_be_bytes());
    frame.extend_from_slice(&[0u8; 4]);
    frame.extend_from_slice(body);
    for chunk in frame.chunks(4096) {
        conn.write_all(chunk)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_295_bytes_with_the_header() {
        let i = Interface {
            index: 1,
            name: "loop0".into(),
            dev_type: "Loopback".into(),
            mac: [0xde, 0xad, 0, 0, 0, 0],
            admin_up: true,
            instance: Some(0),
        };
        assert_eq!(2 + 4 + details(&i).len(), 295);
        assert_eq!(&details(&i)[97..102], b"loop0");
    }

    #[test]
    fn the_table_keeps_memclnt_ids_and_numbers_modules_from_29() {
        let t = Table::new();
        assert_eq!(t.id("sockclnt_create"), 15);
        assert_eq!(t.id("control_ping_reply"), 24);
        assert_eq!(t.id("show_version"), 29);
        assert!(t.entries.iter().all(|(_, n)| n.len() < 64));
    }
}
