//! A blocking client of VPP's API socket: the `sockclnt_create` handshake,
//! the message table, request/reply by context with a time limit, and a
//! liveness check of the VPP process before every call.

use std::collections::{HashMap, VecDeque};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::codec::{Reader, Writer};
use super::messages::{
    CliInband, ControlPing, ControlPingReply, Message, Reply, Request, ShowVersion,
    ShowVersionReply, SockclntDelete, SOCKCLNT_CREATE_ID, SOCKCLNT_CREATE_REPLY_ID,
};
use crate::errors::{ApiError, CliError};
use crate::vpp::process::ExitInfo;

/// Reports how VPP ended, if it has; checked before every call.
pub type Liveness = Arc<dyn Fn() -> Option<ExitInfo> + Send + Sync>;

/// Largest body accepted from VPP (the connect reply of a full build is ~150 KB).
const MAX_BODY: usize = 64 << 20;
/// How often a blocked read wakes to check that VPP is alive.
const POLL: Duration = Duration::from_millis(100);
/// Events and stray replies kept for later inspection.
const MAX_PENDING: usize = 10_000;

/// One framed message received from VPP.
#[derive(Clone, Debug)]
pub struct Frame {
    /// `_vl_msg_id`.
    pub id: u16,
    /// The whole body, id included.
    pub body: Vec<u8>,
}

/// A connected API client.
pub struct ApiClient {
    stream: UnixStream,
    rx: Vec<u8>,
    client_index: u32,
    table: HashMap<String, u16>,
    names: HashMap<String, String>,
    context: u32,
    timeout: Option<Duration>,
    liveness: Option<Liveness>,
    pending: VecDeque<Frame>,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("client_index", &self.client_index)
            .field("messages", &self.table.len())
            .finish()
    }
}

impl ApiClient {
    /// Connects to `path` and registers as `name`; `timeout` bounds the
    /// handshake and, later, every reply (None: wait forever, for debugging).
    pub fn connect(
        path: &Path,
        name: &str,
        timeout: Option<Duration>,
    ) -> Result<ApiClient, ApiError> {
        let stream = UnixStream::connect(path)?;
        let mut client = ApiClient {
            stream,
            rx: Vec::new(),
            client_index: 0,
            table: HashMap::new(),
            names: HashMap::new(),
            context: 0,
            timeout,
            liveness: None,
            pending: VecDeque::new(),
        };
        client.handshake(name)?;
        Ok(client)
    }

    /// Checks `liveness` before every call from now on.
    pub fn set_liveness(&mut self, liveness: Liveness) {
        self.liveness = Some(liveness);
    }

    /// The reply time limit (None: none).
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }

    /// The client handle VPP assigned.
    pub fn client_index(&self) -> u32 {
        self.client_index
    }

    /// Number of entries in VPP's message table.
    pub fn message_count(&self) -> usize {
        self.table.len()
    }

    /// True when VPP has a message called `name` (any CRC).
    pub fn has_message(&self, name: &str) -> bool {
        self.names.contains_key(name)
    }

    fn handshake(&mut self, name: &str) -> Result<(), ApiError> {
        let context = 0x0000_7c7c;
        let mut w = Writer::new();
        w.u16(SOCKCLNT_CREATE_ID)
            .u32(context)
            .fixed_string(name, 64);
        self.send(&w.into_bytes())?;
        let deadline = self.timeout.map(|t| Instant::now() + t);
        let frame = self.recv_frame(deadline, "sockclnt_create")?;
        if frame.id != SOCKCLNT_CREATE_REPLY_ID {
            return Err(ApiError::BadHandshake(frame.id));
        }
        let malformed = |e: super::codec::DecodeError| ApiError::Malformed {
            msg: "sockclnt_create_reply".into(),
            problem: e.0,
        };
        let mut r = Reader::new(&frame.body[2..]);
        let _client_index = r.u32().map_err(malformed)?;
        let _context = r.u32().map_err(malformed)?;
        let response = r.i32().map_err(malformed)?;
        if response != 0 {
            return Err(ApiError::Retval {
                msg: "sockclnt_create".into(),
                retval: response,
            });
        }
        self.client_index = r.u32().map_err(malformed)?;
        let count = r.u16().map_err(malformed)?;
        for _ in 0..count {
            let id = r.u16().map_err(malformed)?;
            let name_crc = r.fixed_string(64).map_err(malformed)?;
            if let Some((name, crc)) = name_crc.rsplit_once('_') {
                self.names.insert(name.to_string(), crc.to_string());
            }
            self.table.insert(name_crc, id);
        }
        Ok(())
    }

    /// The message id of `M`, checked against the name and CRC VPP announced.
    pub fn msg_id<M: Message>(&self) -> Result<u16, ApiError> {
        if let Some(id) = self.table.get(&M::name_crc()) {
            return Ok(*id);
        }
        match self.names.get(M::NAME) {
            Some(crc) => Err(ApiError::CrcMismatch {
                name: M::NAME.into(),
                vpp: crc.clone(),
                ours: M::CRC.into(),
            }),
            None => Err(ApiError::UnknownMessage(M::NAME.into())),
        }
    }

    fn check_alive(&self) -> Result<(), ApiError> {
        match self.liveness.as_ref().and_then(|f| f()) {
            Some(info) => Err(ApiError::VppDied(info)),
            None => Ok(()),
        }
    }

    fn next_context(&mut self) -> u32 {
        self.context = self.context.wrapping_add(1).max(1);
        self.context
    }

    fn send(&mut self, body: &[u8]) -> Result<(), ApiError> {
        let mut frame = Vec::with_capacity(16 + body.len());
        frame.extend_from_slice(&[0u8; 8]);
        frame.extend_from_slice(&u32::try_from(body.len()).unwrap_or(u32::MAX).to_be_bytes());
        frame.extend_from_slice(&[0u8; 4]);
        frame.extend_from_slice(body);
        match self.stream.write_all(&frame) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.check_alive()?;
                Err(e.into())
            }
        }
    }

    /// Reads one frame, waking every [`POLL`] to check that VPP lives.
    fn recv_frame(&mut self, deadline: Option<Instant>, msg: &str) -> Result<Frame, ApiError> {
        loop {
            if self.rx.len() >= 16 {
                let len =
                    u32::from_be_bytes([self.rx[8], self.rx[9], self.rx[10], self.rx[11]]) as usize;
                if !(2..=MAX_BODY).contains(&len) {
                    return Err(ApiError::Malformed {
                        msg: msg.to_string(),
                        problem: format!("frame announces a body of {len} bytes"),
                    });
                }
                if self.rx.len() >= 16 + len {
                    let body: Vec<u8> = self.rx[16..16 + len].to_vec();
                    self.rx.drain(..16 + len);
                    let id = u16::from_be_bytes([body[0], body[1]]);
                    return Ok(Frame { id, body });
                }
            }
            let wait = match deadline {
                None => POLL,
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        self.check_alive()?;
                        return Err(ApiError::Timeout {
                            msg: msg.to_string(),
                            secs: self.timeout.map_or(0.0, |t| t.as_secs_f64()),
                        });
                    }
                    (d - now).min(POLL)
                }
            };
            self.stream
                .set_read_timeout(Some(wait.max(Duration::from_millis(1))))?;
            let mut chunk = [0u8; 64 * 1024];
            match self.stream.read(&mut chunk) {
                Ok(0) => {
                    self.check_alive()?;
                    // VPP may be dying right now: give the exit a moment to show.
                    std::thread::sleep(Duration::from_millis(50));
                    self.check_alive()?;
                    return Err(ApiError::Closed);
                }
                Ok(n) => self.rx.extend_from_slice(&chunk[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                    ) =>
                {
                    self.check_alive()?;
                }
                Err(e) => {
                    self.check_alive()?;
                    return Err(e.into());
                }
            }
        }
    }

    /// Sends `req` and waits for its reply, without checking the retval.
    pub fn request_raw<R: Request>(&mut self, req: &R) -> Result<R::Reply, ApiError> {
        self.check_alive()?;
        let id = self.msg_id::<R>()?;
        let reply_id = self.msg_id::<R::Reply>()?;
        let context = self.next_context();
        let mut w = Writer::new();
        w.u16(id).u32(self.client_index).u32(context);
        req.encode(&mut w);
        self.send(&w.into_bytes())?;
        let deadline = self.timeout.map(|t| Instant::now() + t);
        loop {
            let frame = self.recv_frame(deadline, R::NAME)?;
            if frame.id == reply_id && frame.body.len() >= 6 {
                let ctx = u32::from_be_bytes([
                    frame.body[2],
                    frame.body[3],
                    frame.body[4],
                    frame.body[5],
                ]);
                if ctx == context {
                    let mut r = Reader::new(&frame.body[6..]);
                    return R::Reply::decode(&mut r).map_err(|e| ApiError::Malformed {
                        msg: R::Reply::NAME.into(),
                        problem: e.0,
                    });
                }
            }
            tracing::debug!(
                "api: message id {} while waiting for {}: kept as pending",
                frame.id,
                R::NAME
            );
            if self.pending.len() == MAX_PENDING {
                self.pending.pop_front();
            }
            self.pending.push_back(frame);
        }
    }

    /// Sends `req`, waits for its reply, and fails on a non-zero retval.
    pub fn request<R: Request>(&mut self, req: &R) -> Result<R::Reply, ApiError> {
        let reply = self.request_raw(req)?;
        match reply.retval() {
            Some(retval) if retval != 0 => Err(ApiError::Retval {
                msg: R::NAME.into(),
                retval,
            }),
            _ => Ok(reply),
        }
    }

    /// `control_ping`.
    pub fn control_ping(&mut self) -> Result<ControlPingReply, ApiError> {
        self.request(&ControlPing)
    }

    /// `show_version`.
    pub fn show_version(&mut self) -> Result<ShowVersionReply, ApiError> {
        self.request(&ShowVersion)
    }

    /// Runs a CLI command through `cli_inband` and returns what it printed,
    /// ANSI escapes removed.
    pub fn cli(&mut self, cmd: &str) -> Result<String, CliError> {
        let reply = self.request_raw(&CliInband {
            cmd: format!("{cmd}\n"),
        })?;
        let text = strip_ansi(&reply.reply);
        match reply.retval {
            0 => Ok(text),
            -156 => Err(CliError::Syntax {
                cmd: cmd.into(),
                reply: text.trim_end().into(),
            }),
            _ if text.contains("unknown input") || text.contains("parse error") => {
                Err(CliError::Syntax {
                    cmd: cmd.into(),
                    reply: text.trim_end().into(),
                })
            }
            retval => Err(CliError::Failed {
                cmd: cmd.into(),
                retval,
                reply: text.trim_end().into(),
            }),
        }
    }

    /// Ends the registration (`sockclnt_delete`); tolerates VPP closing the
    /// socket before its reply arrives.
    pub fn disconnect(mut self) -> Result<(), ApiError> {
        let index = self.client_index;
        let saved = self.timeout;
        self.timeout = Some(
            saved
                .unwrap_or(Duration::from_secs(1))
                .min(Duration::from_secs(1)),
        );
        match self.request_raw(&SockclntDelete { index }) {
            Ok(_) | Err(ApiError::Closed) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// Removes ANSI escape sequences (CSI and two-byte escapes).
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        if chars.next() == Some('[') {
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_colour_codes() {
        assert_eq!(strip_ansi("\u{1b}[1;32mID\u{1b}[0m  Name"), "ID  Name");
        assert_eq!(strip_ansi("plain"), "plain");
    }
}
