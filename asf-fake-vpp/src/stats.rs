//! The stand-in's statistics segment: a memfd laid out as VPP's version-2
//! segment (22.06+ type numbering), handed out over a SEQPACKET socket with
//! SCM_RIGHTS, updated with VPP's epoch / in-progress protocol. Written
//! with `pwrite` on the memfd, so this side needs no mapping.

use std::fs::File;
use std::io::IoSlice;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nix::sys::socket::{
    self, AddressFamily, ControlMessage, MsgFlags, SockFlag, SockType, UnixAddr,
};

/// VPP's address of the segment (any value works; readers translate).
const BASE: u64 = 0x7f12_3400_0000;
/// VPP's heap starts one page after the header.
const HEAP: usize = 4096;
const ENTRY: usize = 144;

/// Directory entry types (22.06+).
const SCALAR: u32 = 1;
const SIMPLE: u32 = 2;
const COMBINED: u32 = 3;
const NAMES: u32 = 4;
const SYMLINK: u32 = 6;

/// The error counters the stand-in has: (node, counter).
pub const ERRORS: [(&str, &str); 6] = [
    ("ethernet-input", "no_error"),
    ("ip4-input", "time_expired"),
    ("ip4-input", "bad_checksum"),
    ("ip4-local", "unknown_protocol"),
    ("ip6-input", "hop_limit_expired"),
    ("loop0-output", "tx_no_buffer"),
];

/// Every error counter: [`ERRORS`], plus `FAKE_VPP_STATS_ERRORS=N`
/// synthetic ones (`/err/fake-node-<k>/error_<k>`) to give the segment the
/// size of a real VPP's (~4300 error counters).
pub fn error_names() -> &'static [(String, String)] {
    static NAMES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let extra: usize = std::env::var("FAKE_VPP_STATS_ERRORS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        ERRORS
            .iter()
            .map(|(n, c)| (n.to_string(), c.to_string()))
            .chain((0..extra).map(|k| (format!("fake-node-{}", k / 10), format!("error_{k}"))))
            .collect()
    })
}

/// The graph nodes `/sys/node/names` lists.
pub const NODES: [&str; 6] = [
    "ethernet-input",
    "ip4-input",
    "ip4-local",
    "ip6-input",
    "loop0-output",
    "drop",
];

/// Counter values, `[thread][index]`.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    /// Threads (1 + workers).
    pub threads: usize,
    /// `/if/names` by sw_if_index (`deleted` after deletion).
    pub if_names: Vec<Option<String>>,
    /// `/if/rx`: (packets, bytes).
    pub if_rx: Vec<Vec<(u64, u64)>>,
    /// `/if/tx`: (packets, bytes).
    pub if_tx: Vec<Vec<(u64, u64)>>,
    /// `/if/drops`.
    pub if_drops: Vec<Vec<u64>>,
    /// `/node/errors` by [`ERRORS`] index.
    pub errors: Vec<Vec<u64>>,
    /// The error counts at the last `clear errors` (VPP's
    /// `counters_last_clear`): `show errors` subtracts them; the segment
    /// keeps the raw counts, as in VPP.
    pub errors_last_clear: Vec<Vec<u64>>,
    /// `/sys/boottime` (seconds since the epoch).
    pub boottime: u64,
}

impl Counters {
    /// Zeroed counters for `threads` threads.
    pub fn new(threads: usize, boottime: u64) -> Counters {
        Counters {
            threads,
            if_names: Vec::new(),
            if_rx: vec![Vec::new(); threads],
            if_tx: vec![Vec::new(); threads],
            if_drops: vec![Vec::new(); threads],
            errors: vec![vec![0; error_names().len()]; threads],
            errors_last_clear: vec![vec![0; error_names().len()]; threads],
            boottime,
        }
    }

    /// Records an interface name at `index`, growing the vectors.
    pub fn set_name(&mut self, index: u32, name: Option<&str>) {
        let i = index as usize;
        if self.if_names.len() <= i {
            self.if_names.resize(i + 1, None);
        }
        self.if_names[i] = name.map(str::to_string);
        for t in 0..self.threads {
            if self.if_rx[t].len() <= i {
                self.if_rx[t].resize(i + 1, (0, 0));
                self.if_tx[t].resize(i + 1, (0, 0));
                self.if_drops[t].resize(i + 1, 0);
            }
        }
    }

    /// Zeroes the interface counters (`clear interfaces`).
    pub fn clear_interfaces(&mut self) {
        for t in 0..self.threads {
            self.if_rx[t].iter_mut().for_each(|c| *c = (0, 0));
            self.if_tx[t].iter_mut().for_each(|c| *c = (0, 0));
            self.if_drops[t].iter_mut().for_each(|c| *c = 0);
        }
    }

    /// Zeroes the error counters (`clear errors`).
    pub fn clear_errors(&mut self) {
        self.errors_last_clear = self.errors.clone();
    }

    fn shape(&self) -> (usize, Vec<Option<String>>) {
        (self.threads, self.if_names.clone())
    }
}

/// Where the counter vectors were placed by the last rebuild.
struct Placed {
    shape: (usize, Vec<Option<String>>),
    rx: Vec<usize>,
    tx: Vec<usize>,
    drops: Vec<usize>,
    errors: Vec<usize>,
    dir: usize,
    /// End of the heap in use.
    end: usize,
}

/// The segment and its publisher.
pub struct Segment {
    file: File,
    size: usize,
    epoch: u64,
    placed: Option<Placed>,
}

/// Bump allocator for VPP vectors in the heap image.
struct Heap {
    buf: Vec<u8>,
}

impl Heap {
    /// Places a vector of `len` elements (`data` its bytes) and returns its
    /// VPP address. Element 0 is 64-byte aligned, with VPP's 8-byte vector
    /// header (`len`, `hdr_size = 1`) right before it.
    fn vec(&mut self, data: &[u8], len: usize) -> u64 {
        let start = (self.buf.len() + 8).next_multiple_of(64);
        self.buf.resize(start, 0);
        self.buf[start - 8..start - 4].copy_from_slice(&(len as u32).to_ne_bytes());
        self.buf[start - 4] = 1;
        self.buf.extend_from_slice(data);
        BASE + (HEAP + start) as u64
    }

    fn offset(addr: u64) -> usize {
        (addr - BASE) as usize
    }
}

fn u64s(v: impl IntoIterator<Item = u64>) -> Vec<u8> {
    v.into_iter().flat_map(u64::to_ne_bytes).collect()
}

fn entry(kind: u32, word: u64, name: &str) -> [u8; ENTRY] {
    let mut e = [0u8; ENTRY];
    e[0..4].copy_from_slice(&kind.to_ne_bytes());
    e[8..16].copy_from_slice(&word.to_ne_bytes());
    let n = name.len().min(127);
    e[16..16 + n].copy_from_slice(&name.as_bytes()[..n]);
    e
}

impl Segment {
    /// A segment of `size` bytes in a fresh memfd.
    pub fn new(size: usize) -> std::io::Result<Segment> {
        let fd =
            nix::sys::memfd::memfd_create("stat segment", nix::sys::memfd::MFdFlags::MFD_CLOEXEC)?;
        let file = File::from(fd);
        file.set_len(size as u64)?;
        file.write_all_at(&u64s([2, BASE, 0, 0, 0]), 0)?;
        Ok(Segment {
            file,
            size,
            epoch: 0,
            placed: None,
        })
    }

    /// The memfd, for handing out.
    pub fn fd(&self) -> &File {
        &self.file
    }

    /// Brings the segment up to date: a rebuild under in_progress with an
    /// epoch bump when the structure changed, else counter values in place.
    pub fn publish(&mut self, c: &Counters) -> std::io::Result<()> {
        match &self.placed {
            Some(p) if p.shape == c.shape() => self.write_values(c),
            _ => self.rebuild(c),
        }
    }

    /// Sets `/sys/heartbeat` (entry 0), in place as VPP's collector does.
    pub fn heartbeat(&self, beat: u64) -> std::io::Result<()> {
        match &self.placed {
            Some(p) => self
                .file
                .write_all_at(&beat.to_ne_bytes(), (p.dir + 8) as u64),
            None => Ok(()),
        }
    }

    fn write_values(&self, c: &Counters) -> std::io::Result<()> {
        let Some(p) = &self.placed else { return Ok(()) };
        for t in 0..c.threads {
            let pairs = |v: &[(u64, u64)]| u64s(v.iter().flat_map(|(a, b)| [*a, *b]));
            self.file
                .write_all_at(&pairs(&c.if_rx[t]), p.rx[t] as u64)?;
            self.file
                .write_all_at(&pairs(&c.if_tx[t]), p.tx[t] as u64)?;
            self.file
                .write_all_at(&u64s(c.if_drops[t].iter().copied()), p.drops[t] as u64)?;
            self.file
                .write_all_at(&u64s(c.errors[t].iter().copied()), p.errors[t] as u64)?;
        }
        Ok(())
    }

    fn rebuild(&mut self, c: &Counters) -> std::io::Result<()> {
        let mut heap = Heap { buf: Vec::new() };
        let mut placed = Placed {
            shape: c.shape(),
            rx: Vec::new(),
            tx: Vec::new(),
            drops: Vec::new(),
            errors: Vec::new(),
            dir: 0,
            end: 0,
        };
        let per_thread = |heap: &mut Heap, rows: Vec<(Vec<u8>, usize)>, out: &mut Vec<usize>| {
            let ptrs: Vec<u64> = rows
                .into_iter()
                .map(|(bytes, len)| {
                    let p = heap.vec(&bytes, len);
                    out.push(Heap::offset(p));
                    p
                })
                .collect();
            let n = ptrs.len();
            heap.vec(&u64s(ptrs), n)
        };
        let pairs = |v: &[(u64, u64)]| (u64s(v.iter().flat_map(|(a, b)| [*a, *b])), v.len());
        let rx = per_thread(
            &mut heap,
            c.if_rx.iter().map(|r| pairs(r)).collect(),
            &mut placed.rx,
        );
        let tx = per_thread(
            &mut heap,
            c.if_tx.iter().map(|r| pairs(r)).collect(),
            &mut placed.tx,
        );
        let drops = per_thread(
            &mut heap,
            c.if_drops
                .iter()
                .map(|r| (u64s(r.iter().copied()), r.len()))
                .collect(),
            &mut placed.drops,
        );
        let errors = per_thread(
            &mut heap,
            c.errors
                .iter()
                .map(|r| (u64s(r.iter().copied()), r.len()))
                .collect(),
            &mut placed.errors,
        );
        let names = |heap: &mut Heap, list: Vec<Option<String>>| {
            let ptrs: Vec<u64> = list
                .iter()
                .map(|n| match n {
                    None => 0,
                    Some(s) => {
                        let mut b = s.as_bytes().to_vec();
                        b.push(0);
                        let len = b.len();
                        heap.vec(&b, len)
                    }
                })
                .collect();
            let n = ptrs.len();
            heap.vec(&u64s(ptrs), n)
        };
        let if_names = names(&mut heap, c.if_names.clone());
        let node_names = names(
            &mut heap,
            NODES.iter().map(|n| Some(n.to_string())).collect(),
        );

        let mut dir: Vec<[u8; ENTRY]> = vec![
            entry(SCALAR, 0, "/sys/heartbeat"),
            entry(SCALAR, 0, "/sys/last_stats_clear"),
            entry(SCALAR, c.boottime, "/sys/boottime"),
            entry(SCALAR, (c.threads - 1) as u64, "/sys/num_worker_threads"),
            entry(NAMES, node_names, "/sys/node/names"),
            entry(NAMES, if_names, "/if/names"),
            entry(COMBINED, rx, "/if/rx"),
            entry(COMBINED, tx, "/if/tx"),
            entry(SIMPLE, drops, "/if/drops"),
            entry(SIMPLE, errors, "/node/errors"),
        ];
        let link = |target: usize, column: usize| target as u64 | ((column as u64) << 32);
        for (i, name) in c.if_names.iter().enumerate() {
            if let Some(name) = name.as_deref().filter(|n| *n != "deleted") {
                let n = name.replace('/', "_");
                dir.push(entry(SYMLINK, link(6, i), &format!("/interfaces/{n}/rx")));
                dir.push(entry(SYMLINK, link(7, i), &format!("/interfaces/{n}/tx")));
                dir.push(entry(
                    SYMLINK,
                    link(8, i),
                    &format!("/interfaces/{n}/drops"),
                ));
            }
        }
        for (i, (node, counter)) in error_names().iter().enumerate() {
            dir.push(entry(
                SYMLINK,
                link(9, i),
                &format!("/err/{node}/{counter}"),
            ));
        }
        let n = dir.len();
        let flat: Vec<u8> = dir.concat();
        let dir_ptr = heap.vec(&flat, n);
        placed.dir = Heap::offset(dir_ptr);
        placed.end = HEAP + heap.buf.len();
        if HEAP + heap.buf.len() > self.size {
            return Err(std::io::Error::other(format!(
                "stats segment of {} bytes is too small for {} bytes of counters",
                self.size,
                HEAP + heap.buf.len()
            )));
        }
        // VPP's writer protocol: in_progress, change, epoch + 1, done.
        self.file.write_all_at(&1u64.to_ne_bytes(), 24)?;
        self.file.write_all_at(&heap.buf, HEAP as u64)?;
        self.file.write_all_at(&dir_ptr.to_ne_bytes(), 32)?;
        self.epoch += 1;
        self.file.write_all_at(&self.epoch.to_ne_bytes(), 16)?;
        self.file.write_all_at(&0u64.to_ne_bytes(), 24)?;
        self.placed = Some(placed);
        Ok(())
    }

    /// Scribbles 0xff over the whole heap (vectors, pointers, names) and
    /// bumps the epoch, as a corrupted segment would look to a reader
    /// (`fake stats corrupt`). Until the next structural change.
    pub fn corrupt(&mut self) -> std::io::Result<()> {
        let used = self.placed.as_ref().map_or(HEAP, |p| p.end);
        self.file
            .write_all_at(&vec![0xff; used.min(self.size) - HEAP], HEAP as u64)?;
        self.epoch += 1;
        self.file.write_all_at(&self.epoch.to_ne_bytes(), 16)?;
        self.placed = None;
        Ok(())
    }
}

/// Serves the segment's fd on a SEQPACKET socket at `path`, one datagram
/// with SCM_RIGHTS per connection, as VPP does.
pub fn serve(path: &Path, segment: Arc<Mutex<Segment>>) -> std::io::Result<PathBuf> {
    let _ = std::fs::remove_file(path);
    let sock = socket::socket(
        AddressFamily::Unix,
        SockType::SeqPacket,
        SockFlag::SOCK_CLOEXEC,
        None,
    )?;
    socket::bind(sock.as_raw_fd(), &UnixAddr::new(path)?)?;
    socket::listen(&sock, socket::Backlog::new(16)?)?;
    std::thread::spawn(move || loop {
        let Ok(conn) = socket::accept(sock.as_raw_fd()) else {
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        // SAFETY: accept(2) just returned this descriptor; it is ours alone.
        let conn = unsafe { OwnedFd::from_raw_fd(conn) };
        let fd = segment
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .fd()
            .as_raw_fd();
        let fds = [fd];
        let cmsg = [ControlMessage::ScmRights(&fds)];
        let _ = socket::sendmsg::<()>(
            conn.as_raw_fd(),
            &[IoSlice::new(&[])],
            &cmsg,
            MsgFlags::empty(),
            None,
        );
    });
    Ok(path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishes_a_directory_and_bumps_the_epoch_only_on_structure() {
        let mut seg = Segment::new(1 << 20).unwrap();
        let mut c = Counters::new(2, 1_700_000_000);
        c.set_name(0, Some("local0"));
        seg.publish(&c).unwrap();
        let file = seg.fd().try_clone().unwrap();
        let word = |off| {
            let mut b = [0u8; 8];
            file.read_at(&mut b, off).unwrap();
            u64::from_ne_bytes(b)
        };
        assert_eq!(word(0), 2);
        assert_eq!(word(16), 1, "epoch");
        c.errors[1][2] = 5;
        seg.publish(&c).unwrap();
        assert_eq!(word(16), 1, "values in place: no epoch change");
        c.set_name(1, Some("loop0"));
        seg.publish(&c).unwrap();
        assert_eq!(word(16), 2, "a new interface is a structural change");
        assert_eq!(word(24), 0, "not in progress");
    }
}
