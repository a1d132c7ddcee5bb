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
use super::dynamic::Dynamic;
use super::message::{
    DumpRequest, Message, Reply, Request, StreamRequest, SOCKCLNT_CREATE_ID,
    SOCKCLNT_CREATE_REPLY_ID,
};
use super::schema::Schema;
use super::vpp::memclnt::{ControlPing, ControlPingReply, GetApiJson, SockclntDelete};
use super::vpp::vlib::CliInband;
use super::vpp::vpe::{ShowVersion, ShowVersionReply};
use crate::errors::{ApiError, CliError};
use crate::exit::ExitInfo;

/// Reports how VPP ended, if it has; checked before every call.
pub type Liveness = Arc<dyn Fn() -> Option<ExitInfo> + Send + Sync>;

/// Largest body accepted from VPP (the connect reply of a full build is ~150 KB).
const MAX_BODY: usize = 64 << 20;
/// How often a blocked read wakes to check that VPP is alive.
const POLL: Duration = Duration::from_millis(100);
/// Events and stray replies kept for later inspection.
const MAX_PENDING: usize = 10_000;

/// What answers a request.
#[derive(Clone, Copy, Debug)]
enum Collect {
    /// One reply.
    Single { reply: u16 },
    /// Details, then the reply of a trailing control_ping.
    Dump { details: u16, ping_reply: u16 },
    /// Details, then the reply (cursor streams).
    Stream { details: u16, reply: u16 },
}

/// Which retvals count as success (VppPapiProvider's expectations).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Expect {
    /// Zero, the default.
    #[default]
    Zero,
    /// Any negative value.
    Negative,
    /// One of these values.
    AnyOf(Vec<i32>),
    /// Anything: the caller checks.
    Any,
}

impl std::fmt::Display for Expect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expect::Zero => f.write_str("0"),
            Expect::Negative => f.write_str("a negative value"),
            Expect::AnyOf(v) => write!(f, "one of {v:?}"),
            Expect::Any => f.write_str("anything"),
        }
    }
}

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
    expect: Expect,
    ids: HashMap<u16, String>,
    schema: Option<Arc<Schema>>,
    /// Ids of typed messages already checked against the table, by name
    /// and CRC (two bindings of one message may differ in CRC).
    resolved: std::cell::RefCell<HashMap<(&'static str, &'static str), u16>>,
    /// The socket's current read timeout.
    read_timeout: Option<Duration>,
    /// Read buffer, allocated once.
    chunk: Box<[u8]>,
    /// Frame being sent, reused.
    tx: Vec<u8>,
    api_dirs: Vec<std::path::PathBuf>,
    extern_api_dirs: Vec<std::path::PathBuf>,
    /// Why the connection can no longer be used, once it cannot.
    broken: Option<String>,
    /// The last reply that did not come in time, until [`ApiClient::recover`].
    timed_out: Option<String>,
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
            expect: Expect::Zero,
            ids: HashMap::new(),
            schema: None,
            resolved: std::cell::RefCell::new(HashMap::new()),
            read_timeout: None,
            chunk: vec![0u8; 64 * 1024].into_boxed_slice(),
            tx: Vec::new(),
            api_dirs: Vec::new(),
            extern_api_dirs: Vec::new(),
            broken: None,
            timed_out: None,
        };
        client.handshake(name)?;
        Ok(client)
    }

    /// Why the connection is out of step, if it is: a reply that did not
    /// come in time (VPP hangs), a broken frame, or a closed socket. Every
    /// later call fails at once with [`ApiError::Unusable`].
    pub fn broken(&self) -> Option<&str> {
        self.broken.as_deref()
    }

    /// True when the connection broke because VPP closed its end (what a
    /// dying VPP does first: its sockets close while the kernel still
    /// writes its core).
    pub fn closed_by_vpp(&self) -> bool {
        self.broken.as_deref() == Some(ApiError::Closed.to_string().as_str())
    }

    /// After a reply that did not come in time: asks VPP for a
    /// `control_ping`, allowing three reply limits (a slow command ahead of
    /// it may still be running). No answer means VPP hangs: the connection
    /// is marked broken, so later calls fail at once instead of each
    /// waiting out its limit. Without an earlier time-out this does nothing.
    pub fn recover(&mut self) -> Result<(), ApiError> {
        let Some(why) = self.timed_out.take() else {
            return Ok(());
        };
        let limit = self.timeout.map(|t| t * 3);
        match self.with_timeout(limit, |c| c.request_raw(&ControlPing)) {
            Ok(_) => Ok(()),
            Err(ApiError::Timeout { .. }) => {
                let secs = limit.map_or(0.0, |l| l.as_secs_f64());
                let broken =
                    format!("{why}, and no reply to a control_ping within {secs} s after it");
                self.broken = Some(broken.clone());
                self.timed_out = None;
                Err(ApiError::Unusable(broken))
            }
            Err(e) => Err(e),
        }
    }

    fn usable(&self) -> Result<(), ApiError> {
        match &self.broken {
            None => Ok(()),
            Some(why) => {
                self.check_alive()?;
                Err(ApiError::Unusable(why.clone()))
            }
        }
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
                expected: "0".into(),
            });
        }
        self.client_index = r.u32().map_err(malformed)?;
        let count = r.u16().map_err(malformed)?;
        for _ in 0..count {
            let id = r.u16().map_err(malformed)?;
            let name_crc = r.fixed_string(64).map_err(malformed)?;
            if let Some((name, crc)) = name_crc.rsplit_once('_') {
                self.names.insert(name.to_string(), crc.to_string());
                self.ids.insert(id, name.to_string());
            }
            self.table.insert(name_crc, id);
        }
        Ok(())
    }

    /// The message id of `M`, checked against the name and CRC VPP announced.
    pub fn msg_id<M: Message>(&self) -> Result<u16, ApiError> {
        if let Some(id) = self.resolved.borrow().get(&(M::NAME, M::CRC)) {
            return Ok(*id);
        }
        if let Some(id) = self.table.get(&M::name_crc()) {
            self.resolved.borrow_mut().insert((M::NAME, M::CRC), *id);
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
        let mut frame = std::mem::take(&mut self.tx);
        frame.clear();
        frame.extend_from_slice(&[0u8; 8]);
        frame.extend_from_slice(&u32::try_from(body.len()).unwrap_or(u32::MAX).to_be_bytes());
        frame.extend_from_slice(&[0u8; 4]);
        frame.extend_from_slice(body);
        let written = self.stream.write_all(&frame);
        self.tx = frame;
        match written {
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
                    let e = ApiError::Malformed {
                        msg: msg.to_string(),
                        problem: format!("frame announces a body of {len} bytes"),
                    };
                    self.broken = Some(e.to_string());
                    return Err(e);
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
            let wait = wait.max(Duration::from_millis(1));
            // setsockopt only when the wait changes (a syscall saved per read).
            if self.read_timeout != Some(wait) {
                self.stream.set_read_timeout(Some(wait))?;
                self.read_timeout = Some(wait);
            }
            let chunk = &mut self.chunk[..];
            match self.stream.read(chunk) {
                Ok(0) => {
                    self.check_alive()?;
                    // VPP may be dying right now: give the exit a moment to show.
                    std::thread::sleep(Duration::from_millis(50));
                    self.check_alive()?;
                    self.broken = Some(ApiError::Closed.to_string());
                    return Err(ApiError::Closed);
                }
                Ok(n) => self.rx.extend_from_slice(&self.chunk[..n]),
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

    /// Sends a request body and collects what answers it: the frames of
    /// `details` (if any) and the terminating frame.
    fn exchange(
        &mut self,
        body: Vec<u8>,
        context: u32,
        collect: Collect,
        name: &str,
    ) -> Result<(Vec<Frame>, Frame), ApiError> {
        self.check_alive()?;
        self.usable()?;
        self.send(&body)?;
        if let Collect::Dump { .. } = collect {
            // A classic dump has no end marker: a control_ping with the same
            // context is answered after the last details message.
            let ping = self.msg_id::<ControlPing>()?;
            let mut w = Writer::new();
            w.u16(ping).u32(self.client_index).u32(context);
            self.send(&w.into_bytes())?;
        }
        let (details_id, end_id) = match collect {
            Collect::Single { reply } => (None, reply),
            Collect::Dump {
                details,
                ping_reply,
            } => (Some(details), ping_reply),
            Collect::Stream { details, reply } => (Some(details), reply),
        };
        let deadline = self.timeout.map(|t| Instant::now() + t);
        let mut details = Vec::new();
        loop {
            let frame = match self.recv_frame(deadline, name) {
                Ok(f) => f,
                Err(e) => {
                    if let ApiError::Timeout { .. } = e {
                        // VPP may be slow (a late reply is dropped by its
                        // context) or hung: `recover` tells which.
                        self.timed_out = Some(e.to_string());
                    }
                    return Err(e);
                }
            };
            let ours =
                (frame.id == end_id || Some(frame.id) == details_id) && frame.body.len() >= 6;
            if ours {
                let ctx = u32::from_be_bytes([
                    frame.body[2],
                    frame.body[3],
                    frame.body[4],
                    frame.body[5],
                ]);
                if ctx == context {
                    if frame.id == end_id {
                        return Ok((details, frame));
                    }
                    details.push(frame);
                    continue;
                }
                tracing::debug!(
                    "api: dropping a stale reply (context {ctx}) while waiting for {name}"
                );
                continue;
            }
            if !self.ids.contains_key(&frame.id) {
                tracing::warn!(
                    "api: message id {} is not in VPP's message table; kept aside while waiting for {name}",
                    frame.id
                );
            }
            if self.pending.len() == MAX_PENDING {
                self.pending.pop_front();
            }
            self.pending.push_back(frame);
        }
    }

    fn header<M: Message>(&mut self) -> Result<(Writer, u32), ApiError> {
        let id = self.msg_id::<M>()?;
        let context = self.next_context();
        let mut w = Writer::new();
        w.u16(id).u32(self.client_index).u32(context);
        Ok((w, context))
    }

    fn decode_reply<M: Message>(frame: &Frame) -> Result<M, ApiError> {
        let Some(payload) = frame.body.get(M::HEADER.size()..) else {
            return Err(ApiError::Malformed {
                msg: M::NAME.into(),
                problem: format!("{} bytes do not hold its header", frame.body.len()),
            });
        };
        let mut r = Reader::new(payload);
        M::decode(&mut r).map_err(|e| ApiError::Malformed {
            msg: M::NAME.into(),
            problem: e.0,
        })
    }

    /// Sends `req` and waits for its reply, without checking the retval.
    pub fn request_raw<R: Request>(&mut self, req: &R) -> Result<R::Reply, ApiError> {
        let reply = self.msg_id::<R::Reply>()?;
        let (mut w, context) = self.header::<R>()?;
        req.encode(&mut w);
        let (_, frame) =
            self.exchange(w.into_bytes(), context, Collect::Single { reply }, R::NAME)?;
        Self::decode_reply::<R::Reply>(&frame)
    }

    /// Sends `req`, waits for its reply, and checks the retval against the
    /// current expectation (zero unless [`ApiClient::expect`] says otherwise).
    pub fn request<R: Request>(&mut self, req: &R) -> Result<R::Reply, ApiError> {
        let reply = self.request_raw(req)?;
        if let Some(retval) = reply.retval() {
            self.check_retval(R::NAME, retval)?;
        }
        Ok(reply)
    }

    /// Runs a classic dump: the details messages, ended by `control_ping`.
    pub fn dump<R: DumpRequest>(&mut self, req: &R) -> Result<Vec<R::Details>, ApiError> {
        let details = self.msg_id::<R::Details>()?;
        let ping_reply = self.msg_id::<ControlPingReply>()?;
        let (mut w, context) = self.header::<R>()?;
        req.encode(&mut w);
        let (frames, _) = self.exchange(
            w.into_bytes(),
            context,
            Collect::Dump {
                details,
                ping_reply,
            },
            R::NAME,
        )?;
        frames
            .iter()
            .map(Self::decode_reply::<R::Details>)
            .collect()
    }

    /// Runs a cursor stream (a `services` entry with `stream_msg`): the
    /// details messages, then the reply that ends them, its retval checked.
    pub fn stream<R: StreamRequest>(
        &mut self,
        req: &R,
    ) -> Result<(Vec<R::Details>, R::Reply), ApiError> {
        let details = self.msg_id::<R::Details>()?;
        let reply = self.msg_id::<R::Reply>()?;
        let (mut w, context) = self.header::<R>()?;
        req.encode(&mut w);
        let (frames, end) = self.exchange(
            w.into_bytes(),
            context,
            Collect::Stream { details, reply },
            R::NAME,
        )?;
        let end = Self::decode_reply::<R::Reply>(&end)?;
        if let Some(retval) = end.retval() {
            self.check_retval(R::NAME, retval)?;
        }
        let details = frames
            .iter()
            .map(Self::decode_reply::<R::Details>)
            .collect::<Result<_, _>>()?;
        Ok((details, end))
    }

    /// Waits up to `timeout` for an event of type `E` (events that arrived
    /// earlier, while waiting for replies, count); other events stay queued.
    pub fn wait_for_event_typed<E: Message>(&mut self, timeout: Duration) -> Result<E, ApiError> {
        let id = self.msg_id::<E>()?;
        let frame = self.wait_for_frame(timeout, id, E::NAME)?;
        Self::decode_reply::<E>(&frame)
    }

    fn wait_for_frame(
        &mut self,
        timeout: Duration,
        id: u16,
        name: &str,
    ) -> Result<Frame, ApiError> {
        if let Some(pos) = self.pending.iter().position(|f| f.id == id) {
            return Ok(self.pending.remove(pos).expect("position is in range"));
        }
        self.usable()?;
        let deadline = Instant::now() + timeout;
        loop {
            self.check_alive()?;
            match self.recv_frame(Some(deadline), name) {
                Ok(f) if f.id == id => return Ok(f),
                Ok(f) => {
                    if self.pending.len() == MAX_PENDING {
                        self.pending.pop_front();
                    }
                    self.pending.push_back(f);
                }
                Err(ApiError::Timeout { .. }) => {
                    return Err(ApiError::NoEvent {
                        name: name.to_string(),
                        secs: timeout.as_secs_f64(),
                    })
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Uses reply time limit `timeout` for the calls inside `f` (VPP
    /// framework's per-call `_timeout`), then restores the previous one.
    pub fn with_timeout<T>(
        &mut self,
        timeout: Option<Duration>,
        f: impl FnOnce(&mut ApiClient) -> T,
    ) -> T {
        let saved = std::mem::replace(&mut self.timeout, timeout);
        let out = f(self);
        self.timeout = saved;
        out
    }

    /// Sets what retvals count as success for the calls inside `f`, then
    /// restores the previous expectation (also when `f` panics).
    pub fn expect<T>(&mut self, expect: Expect, f: impl FnOnce(&mut ApiClient) -> T) -> T {
        struct Restore<'a> {
            client: &'a mut ApiClient,
            saved: Expect,
        }
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                self.client.expect = std::mem::take(&mut self.saved);
            }
        }
        let saved = std::mem::replace(&mut self.expect, expect);
        let guard = Restore {
            client: self,
            saved,
        };
        f(guard.client)
    }

    fn check_retval(&self, msg: &str, retval: i32) -> Result<(), ApiError> {
        let ok = match &self.expect {
            Expect::Zero => retval == 0,
            Expect::Negative => retval < 0,
            Expect::AnyOf(set) => set.contains(&retval),
            Expect::Any => true,
        };
        if ok {
            Ok(())
        } else {
            Err(ApiError::Retval {
                msg: msg.to_string(),
                retval,
                expected: self.expect.to_string(),
            })
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

impl ApiClient {
    /// Uses `schema` for dynamic calls and event decoding.
    pub fn set_schema(&mut self, schema: Arc<Schema>) {
        self.schema = Some(schema);
    }

    /// Where the schema comes from on first use: `api_dirs` (the VPP
    /// install's `.api.json` files), or VPP itself (`get_api_json`) when
    /// that is empty; `extern_dirs` are added either way.
    pub fn set_schema_source(
        &mut self,
        api_dirs: Vec<std::path::PathBuf>,
        extern_dirs: Vec<std::path::PathBuf>,
    ) {
        self.api_dirs = api_dirs;
        self.extern_api_dirs = extern_dirs;
        self.schema = None;
    }

    /// The schema in use, loaded on first use (see [`ApiClient::set_schema_source`]).
    pub fn schema(&mut self) -> Result<Arc<Schema>, ApiError> {
        if let Some(s) = &self.schema {
            return Ok(s.clone());
        }
        let mut schema = Schema::new();
        if self.api_dirs.is_empty() {
            let reply = self.request(&GetApiJson)?;
            let modules: serde_json::Value =
                serde_json::from_str(&reply.json).map_err(|e| ApiError::Malformed {
                    msg: "get_api_json_reply".into(),
                    problem: e.to_string(),
                })?;
            for (i, m) in modules
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                schema.add_json(&m.to_string(), Path::new(&format!("get_api_json[{i}]")))?;
            }
        } else {
            schema.add_dirs(&self.api_dirs)?;
        }
        schema.add_dirs(&self.extern_api_dirs)?;
        tracing::debug!("api schema: {} messages", schema.message_count());
        let schema = Arc::new(schema);
        self.schema = Some(schema.clone());
        Ok(schema)
    }

    /// The id of a message known to the schema, checked against VPP's table.
    fn dyn_id(&mut self, schema: &Schema, name: &str) -> Result<u16, ApiError> {
        let def = schema
            .message(name)
            .ok_or_else(|| ApiError::NoDefinition(name.to_string()))?;
        if let Some(id) = self.table.get(&format!("{name}_{}", def.crc)) {
            return Ok(*id);
        }
        match self.names.get(name) {
            Some(crc) => Err(ApiError::CrcMismatch {
                name: name.into(),
                vpp: crc.clone(),
                ours: def.crc.clone(),
            }),
            None => Err(ApiError::UnknownMessage(name.into())),
        }
    }

    fn dyn_body(
        &mut self,
        schema: &Schema,
        name: &str,
        args: &serde_json::Value,
    ) -> Result<(Vec<u8>, u32), ApiError> {
        let id = self.dyn_id(schema, name)?;
        let context = self.next_context();
        let mut full = match args {
            serde_json::Value::Object(o) => o.clone(),
            serde_json::Value::Null => serde_json::Map::new(),
            other => {
                return Err(ApiError::Encode(crate::api::dynamic::EncodeError {
                    path: name.to_string(),
                    problem: format!("arguments must be an object, got {other}"),
                }))
            }
        };
        full.insert("_vl_msg_id".into(), id.into());
        full.insert("client_index".into(), self.client_index.into());
        full.insert("context".into(), context.into());
        Ok((
            schema.encode(name, &serde_json::Value::Object(full))?,
            context,
        ))
    }

    fn dyn_decode(
        schema: &Schema,
        name: &str,
        frame: &Frame,
    ) -> Result<serde_json::Value, ApiError> {
        schema
            .decode(name, &frame.body)
            .map_err(|e| ApiError::Malformed {
                msg: name.to_string(),
                problem: e.0,
            })
    }

    fn dyn_retval(&self, name: &str, reply: &serde_json::Value) -> Result<(), ApiError> {
        match reply.get("retval").and_then(serde_json::Value::as_i64) {
            Some(rv) => self.check_retval(name, rv as i32),
            None => Ok(()),
        }
    }

    /// Calls any request by name with JSON arguments (omitted fields take
    /// their defaults) and returns its reply as JSON, retval checked.
    pub fn call(
        &mut self,
        name: &str,
        args: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        let schema = self.schema()?;
        let service = schema.service(name);
        if service.stream {
            return Err(ApiError::Malformed {
                msg: name.to_string(),
                problem: "it is a dump or stream: use call_dump".into(),
            });
        }
        let reply_name = service
            .reply
            .ok_or_else(|| ApiError::NoDefinition(format!("{name} (it has no reply)")))?;
        let reply = self.dyn_id(&schema, &reply_name)?;
        let (body, context) = self.dyn_body(&schema, name, &args)?;
        let (_, frame) = self.exchange(body, context, Collect::Single { reply }, name)?;
        let value = Self::dyn_decode(&schema, &reply_name, &frame)?;
        self.dyn_retval(name, &value)?;
        Ok(value)
    }

    /// Calls a classic dump (`*_dump` → `*_details`, ended by control_ping)
    /// or a cursor stream (`*_get`) by name; returns the details.
    pub fn call_dump(
        &mut self,
        name: &str,
        args: serde_json::Value,
    ) -> Result<Vec<serde_json::Value>, ApiError> {
        let schema = self.schema()?;
        let service = schema.service(name);
        let reply_name = service
            .reply
            .clone()
            .ok_or_else(|| ApiError::NoDefinition(format!("{name} (it has no reply)")))?;
        let (details_name, collect) = match &service.stream_msg {
            Some(details) => {
                let d = self.dyn_id(&schema, details)?;
                let r = self.dyn_id(&schema, &reply_name)?;
                (
                    details.clone(),
                    Collect::Stream {
                        details: d,
                        reply: r,
                    },
                )
            }
            None if service.stream => {
                let d = self.dyn_id(&schema, &reply_name)?;
                let ping_reply = self.msg_id::<ControlPingReply>()?;
                (
                    reply_name.clone(),
                    Collect::Dump {
                        details: d,
                        ping_reply,
                    },
                )
            }
            None => {
                return Err(ApiError::Malformed {
                    msg: name.to_string(),
                    problem: "it is not a dump or stream: use call".into(),
                })
            }
        };
        let (body, context) = self.dyn_body(&schema, name, &args)?;
        let (frames, end) = self.exchange(body, context, collect, name)?;
        if let Some(stream_msg) = &service.stream_msg {
            let _ = stream_msg;
            let reply = Self::dyn_decode(&schema, &reply_name, &end)?;
            self.dyn_retval(name, &reply)?;
        }
        frames
            .iter()
            .map(|f| Self::dyn_decode(&schema, &details_name, f))
            .collect()
    }

    /// Waits up to `timeout` for an event called `name` and returns it as JSON.
    pub fn wait_for_event(
        &mut self,
        timeout: Duration,
        name: &str,
    ) -> Result<serde_json::Value, ApiError> {
        let schema = self.schema()?;
        let id = self.dyn_id(&schema, name)?;
        let frame = self.wait_for_frame(timeout, id, name)?;
        Self::dyn_decode(&schema, name, &frame)
    }

    /// Takes every queued event (and stray message), decoded where the
    /// schema knows it, each with a `_name` field.
    pub fn collect_events(&mut self) -> Result<Vec<serde_json::Value>, ApiError> {
        let schema = self.schema()?;
        // What VPP has already sent is queued too, as a reader thread would
        // have queued it.
        self.usable()?;
        loop {
            match self.recv_frame(Some(Instant::now() + Duration::from_millis(1)), "events") {
                Ok(f) => {
                    if self.pending.len() == MAX_PENDING {
                        self.pending.pop_front();
                    }
                    self.pending.push_back(f);
                }
                Err(ApiError::Timeout { .. }) => break,
                Err(e) => return Err(e),
            }
        }
        let frames: Vec<Frame> = self.pending.drain(..).collect();
        Ok(frames
            .iter()
            .map(|f| {
                let name = self
                    .ids
                    .get(&f.id)
                    .cloned()
                    .unwrap_or_else(|| format!("unknown_{}", f.id));
                let mut v = schema
                    .decode(&name, &f.body)
                    .unwrap_or_else(|_| serde_json::json!({"_vl_msg_id": f.id}));
                if let Some(o) = v.as_object_mut() {
                    o.insert("_name".into(), name.into());
                }
                v
            })
            .collect())
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
