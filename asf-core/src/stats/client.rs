//! Connecting to `stats.sock`, mapping the segment, and reading it with the
//! epoch / in-progress protocol.

use std::collections::BTreeMap;
use std::io::IoSliceMut;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::sys::socket::{
    self, AddressFamily, ControlMessageOwned, MsgFlags, SockFlag, SockType, UnixAddr,
};
use regex::Regex;

use super::layout::{self, Entry, Header, View};
use super::memory::{Mapping, Memory};
use super::value::StatValue;
use crate::errors::StatsError;

/// How long a read waits for VPP to finish a structural change.
const BUSY_LIMIT: Duration = Duration::from_secs(1);

/// A connected reader of one VPP's stats segment.
pub struct StatsClient {
    path: PathBuf,
    /// Identity (inode, ctime) of `stats.sock` when the segment was
    /// received: a new one means VPP restarted and the mapped segment is
    /// frozen.
    socket_inode: Option<(u64, i64, i64)>,
    mem: Box<dyn Memory + Send + Sync>,
    /// Directory at `epoch`, and its name → index map.
    cache: Option<(u64, Vec<Entry>, BTreeMap<String, usize>)>,
}

impl std::fmt::Debug for StatsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatsClient")
            .field("path", &self.path)
            .field("size", &self.mem.size())
            .finish()
    }
}

/// A set of entries resolved once, for fast repeated reads.
#[derive(Clone, Debug)]
pub struct Prepared {
    patterns: Vec<String>,
    epoch: u64,
    indexes: Vec<usize>,
}

impl StatsClient {
    /// Connects to `stats.sock` at `path` and maps the segment it hands over.
    pub fn connect(path: &Path) -> Result<StatsClient, StatsError> {
        let fd = receive_segment(path)?;
        let size = nix::sys::stat::fstat(&fd)
            .map_err(|e| StatsError::Map(e.into()))?
            .st_size;
        let size = usize::try_from(size)
            .map_err(|_| StatsError::Map(std::io::Error::other("negative segment size")))?;
        let mem = Mapping::new(&fd, size).map_err(StatsError::Map)?;
        let mut client = StatsClient::over(Box::new(mem), path);
        client.socket_inode = socket_inode(path);
        layout::header(client.mem.as_ref())?;
        Ok(client)
    }

    /// A reader over any [`Memory`] (tests, fuzzing, a saved segment).
    pub fn over(mem: Box<dyn Memory + Send + Sync>, path: &Path) -> StatsClient {
        StatsClient {
            path: path.to_path_buf(),
            socket_inode: None,
            mem,
            cache: None,
        }
    }

    /// Maps the segment anew (after VPP restarted, the old one is frozen).
    pub fn reconnect(&mut self) -> Result<(), StatsError> {
        *self = StatsClient::connect(&self.path.clone())?;
        Ok(())
    }

    /// Runs `f` under the read protocol: waits while VPP is changing the
    /// structure and retries when the epoch moved during the read.
    fn consistent<T>(
        &self,
        mut f: impl FnMut(&Header) -> Result<T, StatsError>,
    ) -> Result<T, StatsError> {
        let deadline = Instant::now() + BUSY_LIMIT;
        let mut spins = 0u32;
        loop {
            let h = layout::header(self.mem.as_ref())?;
            if h.in_progress == 0 {
                let out = f(&h);
                let after = layout::header(self.mem.as_ref())?;
                if after.epoch == h.epoch && after.in_progress == 0 {
                    return out;
                }
            }
            if Instant::now() >= deadline {
                return Err(StatsError::Busy(BUSY_LIMIT));
            }
            spins += 1;
            if spins > 100 {
                std::thread::sleep(Duration::from_micros(50));
            } else {
                std::hint::spin_loop();
            }
        }
    }

    /// The directory, rebuilt when the epoch changed; the segment is mapped
    /// anew first if VPP restarted (its `stats.sock` was re-created).
    fn directory(&mut self) -> Result<(u64, Vec<Entry>), StatsError> {
        if let Some(inode) = self.socket_inode {
            if socket_inode(&self.path).is_some_and(|now| now != inode) {
                tracing::debug!(
                    "{} was re-created: mapping the new stats segment",
                    self.path.display()
                );
                self.reconnect()?;
            }
        }
        let epoch = layout::header(self.mem.as_ref())?.epoch;
        if let Some((e, dir, _)) = &self.cache {
            if *e == epoch {
                return Ok((epoch, dir.clone()));
            }
        }
        let (epoch, dir) = self.consistent(|h| {
            let view = View::new(self.mem.as_ref(), h);
            Ok((h.epoch, view.directory(h)?))
        })?;
        let names = dir
            .iter()
            .filter(|e| e.kind != layout::kind::EMPTY && e.kind != layout::kind::ILLEGAL)
            .map(|e| (e.name.clone(), e.index))
            .collect();
        self.cache = Some((epoch, dir.clone(), names));
        Ok((epoch, dir))
    }

    fn compile(patterns: &[&str]) -> Result<Vec<Regex>, StatsError> {
        patterns
            .iter()
            .map(|p| {
                Regex::new(p).map_err(|source| StatsError::Pattern {
                    pattern: p.to_string(),
                    source,
                })
            })
            .collect()
    }

    /// Names of the live entries matching any of `patterns` (all if empty).
    pub fn ls(&mut self, patterns: &[&str]) -> Result<Vec<String>, StatsError> {
        let res = Self::compile(patterns)?;
        let (_, dir) = self.directory()?;
        Ok(dir
            .into_iter()
            .filter(|e| e.kind != layout::kind::EMPTY && e.kind != layout::kind::ILLEGAL)
            .filter(|e| res.is_empty() || res.iter().any(|r| r.is_match(&e.name)))
            .map(|e| e.name)
            .collect())
    }

    /// Resolves `patterns` to entries once; [`StatsClient::read`] then reads
    /// them without matching names again (re-resolving if the epoch moves).
    pub fn prepare(&mut self, patterns: &[&str]) -> Result<Prepared, StatsError> {
        let res = Self::compile(patterns)?;
        let (epoch, dir) = self.directory()?;
        let indexes = dir
            .iter()
            .filter(|e| e.kind != layout::kind::EMPTY && e.kind != layout::kind::ILLEGAL)
            .filter(|e| res.is_empty() || res.iter().any(|r| r.is_match(&e.name)))
            .map(|e| e.index)
            .collect();
        Ok(Prepared {
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
            epoch,
            indexes,
        })
    }

    /// Reads the entries of `prepared`.
    pub fn read(
        &mut self,
        prepared: &mut Prepared,
    ) -> Result<BTreeMap<String, StatValue>, StatsError> {
        loop {
            let epoch = layout::header(self.mem.as_ref())?.epoch;
            if epoch != prepared.epoch {
                let pats: Vec<String> = prepared.patterns.clone();
                let refs: Vec<&str> = pats.iter().map(String::as_str).collect();
                *prepared = self.prepare(&refs)?;
            }
            let (_, dir) = self.directory()?;
            let want = prepared.indexes.clone();
            let result = self.consistent(|h| {
                if h.epoch != prepared.epoch {
                    return Ok(None);
                }
                let view = View::new(self.mem.as_ref(), h);
                let mut out = BTreeMap::new();
                let mut targets = std::collections::HashMap::new();
                for &i in &want {
                    let e = dir
                        .get(i)
                        .ok_or_else(|| StatsError::NotFound(format!("directory index {i}")))?;
                    if let Some(v) = view.value_cached(e, &dir, &mut targets)? {
                        out.insert(e.name.clone(), v);
                    }
                }
                Ok(Some(out))
            })?;
            if let Some(out) = result {
                return Ok(out);
            }
        }
    }

    /// Every live entry matching any of `patterns` (all if empty), with its value.
    pub fn dump(&mut self, patterns: &[&str]) -> Result<BTreeMap<String, StatValue>, StatsError> {
        let mut p = self.prepare(patterns)?;
        self.read(&mut p)
    }

    /// The value of the entry called exactly `name`.
    pub fn get(&mut self, name: &str) -> Result<StatValue, StatsError> {
        self.directory()?;
        let index = self
            .cache
            .as_ref()
            .and_then(|(_, _, names)| names.get(name).copied())
            .ok_or_else(|| StatsError::NotFound(name.to_string()))?;
        let mut p = Prepared {
            patterns: vec![format!("^{}$", regex::escape(name))],
            epoch: self.cache.as_ref().map_or(0, |c| c.0),
            indexes: vec![index],
        };
        self.read(&mut p)?
            .remove(name)
            .ok_or_else(|| StatsError::NotFound(name.to_string()))
    }

    /// The current epoch (changes with every structural change).
    pub fn epoch(&self) -> Result<u64, StatsError> {
        Ok(layout::header(self.mem.as_ref())?.epoch)
    }
}

fn socket_inode(path: &Path) -> Option<(u64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.ino(), m.ctime(), m.ctime_nsec()))
}

/// Connects to the SEQPACKET stats socket and receives the segment's fd.
fn receive_segment(path: &Path) -> Result<OwnedFd, StatsError> {
    let err = |e: nix::Error| StatsError::Connect {
        path: path.to_path_buf(),
        source: e.into(),
    };
    let sock = socket::socket(
        AddressFamily::Unix,
        SockType::SeqPacket,
        SockFlag::SOCK_CLOEXEC,
        None,
    )
    .map_err(err)?;
    let addr = UnixAddr::new(path).map_err(err)?;
    socket::connect(sock.as_raw_fd(), &addr).map_err(err)?;
    socket::setsockopt(
        &sock,
        socket::sockopt::ReceiveTimeout,
        &nix::sys::time::TimeVal::new(1, 0),
    )
    .map_err(err)?;
    let mut byte = [0u8; 1];
    let mut iov = [IoSliceMut::new(&mut byte)];
    let mut space = nix::cmsg_space!([std::os::fd::RawFd; 1]);
    let msg = socket::recvmsg::<()>(
        sock.as_raw_fd(),
        &mut iov,
        Some(&mut space),
        MsgFlags::MSG_CMSG_CLOEXEC,
    )
    .map_err(err)?;
    let mut received: Vec<OwnedFd> = Vec::new();
    if msg.bytes == 0 && msg.cmsgs().map_err(err)?.next().is_none() {
        // A SEQPACKET read of nothing: VPP's end closed before the hand-over.
        return Err(StatsError::Connect {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the socket closed before handing over the segment",
            ),
        });
    }
    for c in msg.cmsgs().map_err(err)? {
        if let ControlMessageOwned::ScmRights(fds) = c {
            for fd in fds {
                // SAFETY: the kernel just installed `fd` in this process for
                // this SCM_RIGHTS message; nothing else owns it.
                received.push(unsafe { OwnedFd::from_raw_fd(fd) });
            }
        }
    }
    received
        .into_iter()
        .next()
        .ok_or_else(|| StatsError::NoSegment {
            path: path.to_path_buf(),
        })
}
