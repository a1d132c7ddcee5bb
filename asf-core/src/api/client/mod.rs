//! A blocking client of VPP's API socket: the connection, its handshake and
//! message table, and its state (here); framing and waiting for replies
//! (`transport`); typed messages (`typed`); messages by name, as JSON
//! (`by_name`); the CLI ([`cli`]). A liveness check of the VPP process
//! comes before every call.

mod by_name;
pub mod cli;
mod transport;
mod typed;

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
use crate::errors::{ApiError, CliError, Hangup};
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
    /// How VPP's end went away, once it has.
    hangup: Option<Hangup>,
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
            hangup: None,
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

    /// How VPP's end of the connection went away, if it has: end of file,
    /// a reset or a broken pipe, on a read or a write. Each is what a dying
    /// VPP does first: its sockets close while the kernel may still write
    /// its core.
    pub fn closed_by_vpp(&self) -> Option<Hangup> {
        self.hangup
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

    pub(super) fn usable(&self) -> Result<(), ApiError> {
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

    pub(super) fn handshake(&mut self, name: &str) -> Result<(), ApiError> {
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

    pub(super) fn check_alive(&self) -> Result<(), ApiError> {
        match self.liveness.as_ref().and_then(|f| f()) {
            Some(info) => Err(ApiError::VppDied(info)),
            None => Ok(()),
        }
    }

    pub(super) fn next_context(&mut self) -> u32 {
        self.context = self.context.wrapping_add(1).max(1);
        self.context
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

    pub(super) fn check_retval(&self, msg: &str, retval: i32) -> Result<(), ApiError> {
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
}
