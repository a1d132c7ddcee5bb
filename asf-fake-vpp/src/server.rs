//! The binary-API socket server: framing, the `sockclnt_create` handshake
//! with a message table, and the handlers of the messages the stand-in
//! implements. Unknown ids and unknown client indexes get no reply, as in VPP.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::cli::{Cli, BUILD_DATE, BUILD_DIR, VERSION};
use crate::faults::Faults;

/// memclnt messages: fixed ids 1..=28 (id = position + 1).
const MEMCLNT: [(&str, &str); 28] = [
    ("memclnt_create", "9c5e1c2f"),
    ("memclnt_create_reply", "42ec4560"),
    ("memclnt_delete", "7e1c04e3"),
    ("memclnt_delete_reply", "3d3b6312"),
    ("rx_thread_exit", "c3a3a452"),
    ("memclnt_rx_thread_suspend", "c3a3a452"),
    ("memclnt_read_timeout", "c3a3a452"),
    ("rpc_call", "7e8a2c95"),
    ("rpc_call_reply", "e8d4e804"),
    ("get_first_msg_id", "ebf79a66"),
    ("get_first_msg_id_reply", "7d337472"),
    ("api_versions", "51077d14"),
    ("api_versions_reply", "5f0d99d6"),
    ("trace_plugin_msg_ids", "f476d3ce"),
    ("sockclnt_create", "455fb9c4"),
    ("sockclnt_create_reply", "35166268"),
    ("sockclnt_delete", "8ac76db6"),
    ("sockclnt_delete_reply", "8f38b1ee"),
    ("sock_init_shm", "51646d92"),
    ("sock_init_shm_reply", "e8d4e804"),
    ("memclnt_keepalive", "51077d14"),
    ("memclnt_keepalive_reply", "e8d4e804"),
    ("control_ping", "51077d14"),
    ("control_ping_reply", "f6b0b8ca"),
    ("memclnt_create_v2", "c4bd4882"),
    ("memclnt_create_v2_reply", "42ec4560"),
    ("get_api_json", "51077d14"),
    ("get_api_json_reply", "ea715b59"),
];

/// Dynamic modules, in the order the stand-in "initialises" them. The ids
/// start at 29 as in VPP, but clients must look them up.
const DYNAMIC: [(&str, &str); 6] = [
    ("show_version", "51077d14"),
    ("show_version_reply", "c919bde1"),
    ("cli_inband", "f8377302"),
    ("cli_inband_reply", "05879051"),
    ("show_threads", "51077d14"),
    ("show_threads_reply", "efd78e83"),
];

const SOCKCLNT_CREATE: u16 = 15;
const SOCKCLNT_CREATE_REPLY: u16 = 16;
const SOCKCLNT_DELETE: u16 = 17;
const SOCKCLNT_DELETE_REPLY: u16 = 18;
const KEEPALIVE: u16 = 21;
const KEEPALIVE_REPLY: u16 = 22;
const CONTROL_PING: u16 = 23;
const CONTROL_PING_REPLY: u16 = 24;
const SHOW_VERSION: u16 = 29;
const SHOW_VERSION_REPLY: u16 = 30;
const CLI_INBAND: u16 = 31;
const CLI_INBAND_REPLY: u16 = 32;
const SHOW_THREADS: u16 = 33;
const SHOW_THREADS_REPLY: u16 = 34;

/// State shared by all connections.
pub struct Server {
    cli: Cli,
    faults: Faults,
    messages: AtomicU64,
    clients: Mutex<(u32, HashSet<u32>)>,
}

impl Server {
    /// A server with the given CLI state and faults.
    pub fn new(cli: Cli, faults: Faults) -> Server {
        Server {
            cli,
            faults,
            messages: AtomicU64::new(0),
            clients: Mutex::new((0, HashSet::new())),
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

    fn connection(&self, mut conn: UnixStream) {
        let mut buf: Vec<u8> = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            while buf.len() >= 16 {
                let len = u32::from_be_bytes([buf[8], buf[9], buf[10], buf[11]]) as usize;
                if buf.len() < 16 + len {
                    break;
                }
                let body: Vec<u8> = buf[16..16 + len].to_vec();
                buf.drain(..16 + len);
                match self.handle(&body) {
                    Handled::Reply(r) => {
                        if send(&mut conn, &r).is_err() {
                            return;
                        }
                    }
                    Handled::ReplyAndClose(r) => {
                        let _ = send(&mut conn, &r);
                        return;
                    }
                    Handled::Nothing => {}
                }
            }
            match conn.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    }

    fn handle(&self, body: &[u8]) -> Handled {
        let n = self.messages.fetch_add(1, Ordering::SeqCst) + 1;
        if self.faults.crash_on_msg == Some(n) {
            self.faults.crash(&format!("API message number {n}"));
        }
        if body.len() < 2 {
            return Handled::Nothing;
        }
        let id = u16::from_be_bytes([body[0], body[1]]);
        if id == SOCKCLNT_CREATE {
            return self.sockclnt_create(body);
        }
        // Every other request: client_index @2, context @6.
        if body.len() < 10 {
            eprintln!("fake-vpp: truncated message id {id}");
            return Handled::Nothing;
        }
        let client = be32(&body[2..6]);
        let context = &body[6..10];
        if !self.lock().1.contains(&client) {
            eprintln!("fake-vpp: message id {id} from unknown client index {client:#x}");
            return Handled::Nothing;
        }
        let reply = |id: u16, payload: &[u8]| {
            let mut r = id.to_be_bytes().to_vec();
            r.extend_from_slice(context);
            r.extend_from_slice(payload);
            r
        };
        match id {
            CONTROL_PING => {
                let mut p = 0i32.to_be_bytes().to_vec();
                p.extend_from_slice(&body[2..6]);
                p.extend_from_slice(&std::process::id().to_be_bytes());
                Handled::Reply(reply(CONTROL_PING_REPLY, &p))
            }
            KEEPALIVE => Handled::Reply(reply(KEEPALIVE_REPLY, &0i32.to_be_bytes())),
            SOCKCLNT_DELETE => {
                let index = body.get(10..14).map_or(u32::MAX, be32);
                let removed = self.lock().1.remove(&index);
                let response: i32 = if removed { 1 } else { -1 };
                Handled::ReplyAndClose(reply(SOCKCLNT_DELETE_REPLY, &response.to_be_bytes()))
            }
            SHOW_VERSION => {
                let mut p = 0i32.to_be_bytes().to_vec();
                for (s, n) in [
                    ("vpe", 32),
                    (VERSION, 32),
                    (BUILD_DATE, 32),
                    (BUILD_DIR, 256),
                ] {
                    p.extend_from_slice(&fixed(s, n));
                }
                Handled::Reply(reply(SHOW_VERSION_REPLY, &p))
            }
            CLI_INBAND => {
                let Some(cmd) = vla_string(&body[10..]) else {
                    return Handled::Reply(reply(
                        CLI_INBAND_REPLY,
                        &[&(-1i32).to_be_bytes()[..], &[0; 4]].concat(),
                    ));
                };
                if let Some(prefix) = &self.faults.crash_on_cli {
                    if cmd.trim_start().starts_with(prefix.as_str()) {
                        self.faults.crash(&format!("CLI `{}`", cmd.trim()));
                    }
                }
                let out = self.cli.run(&cmd);
                let mut p = out.retval.to_be_bytes().to_vec();
                p.extend_from_slice(&(out.text.len() as u32).to_be_bytes());
                p.extend_from_slice(out.text.as_bytes());
                Handled::Reply(reply(CLI_INBAND_REPLY, &p))
            }
            SHOW_THREADS => {
                let mut p = 0i32.to_be_bytes().to_vec();
                p.extend_from_slice(&(self.cli.threads.len() as u32).to_be_bytes());
                for (i, t) in self.cli.threads.iter().enumerate() {
                    p.extend_from_slice(&(i as u32).to_be_bytes());
                    p.extend_from_slice(&fixed(&t.name, 64));
                    p.extend_from_slice(&fixed(if i == 0 { "" } else { "workers" }, 64));
                    p.extend_from_slice(&(t.lwp as u32).to_be_bytes());
                    p.extend_from_slice(&(t.cpu as u32).to_be_bytes());
                    p.extend_from_slice(&(t.cpu as u32).to_be_bytes());
                    p.extend_from_slice(&0u32.to_be_bytes());
                }
                Handled::Reply(reply(SHOW_THREADS_REPLY, &p))
            }
            _ => {
                eprintln!("fake-vpp: no handler for msg id {id}");
                Handled::Nothing
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (u32, HashSet<u32>)> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn sockclnt_create(&self, body: &[u8]) -> Handled {
        if body.len() < 6 {
            return Handled::Nothing;
        }
        let index = {
            let mut c = self.lock();
            c.0 += 1;
            let index = 0x8000_0000 | c.0;
            c.1.insert(index);
            index
        };
        let mut r = SOCKCLNT_CREATE_REPLY.to_be_bytes().to_vec();
        r.extend_from_slice(&0u32.to_be_bytes());
        r.extend_from_slice(&body[2..6]);
        r.extend_from_slice(&0i32.to_be_bytes());
        r.extend_from_slice(&index.to_be_bytes());
        let table: Vec<(u16, String)> = MEMCLNT
            .iter()
            .enumerate()
            .map(|(i, (n, c))| (i as u16 + 1, format!("{n}_{c}")))
            .chain(
                DYNAMIC
                    .iter()
                    .enumerate()
                    .map(|(i, (n, c))| (i as u16 + 29, format!("{n}_{c}"))),
            )
            .collect();
        r.extend_from_slice(&(table.len() as u16).to_be_bytes());
        for (id, name) in table {
            r.extend_from_slice(&id.to_be_bytes());
            r.extend_from_slice(&fixed(&name, 64));
        }
        Handled::Reply(r)
    }
}

enum Handled {
    Reply(Vec<u8>),
    ReplyAndClose(Vec<u8>),
    Nothing,
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

fn fixed(s: &str, n: usize) -> Vec<u8> {
    let mut v = s.as_bytes()[..s.len().min(n - 1)].to_vec();
    v.resize(n, 0);
    v
}

fn vla_string(b: &[u8]) -> Option<String> {
    let len = be32(b.get(0..4)?) as usize;
    let bytes = b.get(4..4usize.checked_add(len)?)?;
    Some(String::from_utf8_lossy(bytes).into_owned())
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
