//! The layout of the stats segment (version 2, VPP >= 22.06 numbering, and
//! the types added in 26.02): header, directory, entries. Everything is
//! read through [`Memory`] and every pointer and length is checked against
//! the segment, so corrupt or hostile bytes give an error, not UB or a panic.

use super::memory::Memory;
use super::value::{Combined, Histogram, RingBuffer, StatValue};

/// Size of a directory entry.
pub const ENTRY_SIZE: usize = 144;
/// Offset of the name in an entry.
const NAME_OFF: usize = 16;
/// Longest name (the field is 128 bytes, NUL-terminated).
const NAME_LEN: usize = 128;

/// Entry types.
pub mod kind {
    /// Unused slot.
    pub const ILLEGAL: u32 = 0;
    /// One number.
    pub const SCALAR_INDEX: u32 = 1;
    /// `[thread][index]` u64.
    pub const COUNTER_VECTOR_SIMPLE: u32 = 2;
    /// `[thread][index]` (packets, bytes).
    pub const COUNTER_VECTOR_COMBINED: u32 = 3;
    /// Names by index.
    pub const NAME_VECTOR: u32 = 4;
    /// A deleted entry.
    pub const EMPTY: u32 = 5;
    /// An alias for one column of another entry.
    pub const SYMLINK: u32 = 6;
    /// Per-thread log2 histogram (26.02).
    pub const HISTOGRAM_LOG2: u32 = 7;
    /// Per-thread ring buffer (26.02).
    pub const RING_BUFFER: u32 = 8;
    /// One number (26.02).
    pub const GAUGE: u32 = 9;
}

/// The segment does not hold what the layout says.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// The header's version is not 2.
    #[error(
        "stats segment version {0} is not supported (asf reads version 2, VPP 20.09 and later)"
    )]
    Version(u64),
    /// A pointer or length leaves the segment.
    #[error("stats segment is corrupt: {0}")]
    Corrupt(String),
}

fn corrupt(what: impl Into<String>) -> LayoutError {
    LayoutError::Corrupt(what.into())
}

/// The 40-byte shared header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Layout version (2).
    pub version: u64,
    /// VPP's address of the segment.
    pub base: u64,
    /// Bumped after each structural change.
    pub epoch: u64,
    /// Non-zero while VPP changes structure.
    pub in_progress: u64,
    /// VPP's address of the directory vector.
    pub directory: u64,
}

/// Reads the header.
pub fn header(m: &(impl Memory + ?Sized)) -> Result<Header, LayoutError> {
    let w = |off| {
        m.u64_at(off)
            .ok_or_else(|| corrupt("shorter than its header"))
    };
    let h = Header {
        version: w(0)?,
        base: w(8)?,
        epoch: w(16)?,
        in_progress: w(24)?,
        directory: w(32)?,
    };
    if h.version != 2 {
        return Err(LayoutError::Version(h.version));
    }
    Ok(h)
}

/// One directory slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Directory index.
    pub index: usize,
    /// Entry type ([`kind`]).
    pub kind: u32,
    /// The union word at +8 (value, pointer, or index1 | index2 << 32).
    pub word: u64,
    /// Name.
    pub name: String,
}

/// Pointer translation and bounds checks for one segment.
pub struct View<'a, M: Memory + ?Sized> {
    mem: &'a M,
    base: u64,
}

impl<'a, M: Memory + ?Sized> View<'a, M> {
    /// A view using `header`'s base address.
    pub fn new(mem: &'a M, header: &Header) -> View<'a, M> {
        View {
            mem,
            base: header.base,
        }
    }

    /// VPP address → offset; 0 is "not set".
    fn xlate(&self, ptr: u64, what: &str) -> Result<Option<usize>, LayoutError> {
        if ptr == 0 {
            return Ok(None);
        }
        let off = ptr
            .checked_sub(self.base)
            .and_then(|o| usize::try_from(o).ok())
            .filter(|o| *o >= 8 && o.checked_add(8).is_some_and(|e| e <= self.mem.size()))
            .ok_or_else(|| corrupt(format!("{what} points outside the segment ({ptr:#x})")))?;
        Ok(Some(off))
    }

    /// A vector at VPP address `ptr`: (offset of element 0, length), with
    /// `len * elem` checked to fit.
    fn vector(
        &self,
        ptr: u64,
        elem: usize,
        what: &str,
    ) -> Result<Option<(usize, usize)>, LayoutError> {
        let Some(off) = self.xlate(ptr, what)? else {
            return Ok(None);
        };
        let len =
            self.mem
                .u32_at(off - 8)
                .ok_or_else(|| corrupt(format!("{what}: no vector header")))? as usize;
        let fits = len
            .checked_mul(elem)
            .and_then(|n| n.checked_add(off))
            .is_some_and(|end| end <= self.mem.size());
        if !fits {
            return Err(corrupt(format!(
                "{what}: {len} elements of {elem} bytes run past the segment"
            )));
        }
        Ok(Some((off, len)))
    }

    fn u64s(&self, off: usize, n: usize, what: &str) -> Result<Vec<u64>, LayoutError> {
        let mut bytes = vec![0u8; n * 8];
        if !self.mem.read(off, &mut bytes) {
            return Err(corrupt(format!("{what}: unreadable")));
        }
        Ok(bytes
            .chunks_exact(8)
            .map(|c| u64::from_ne_bytes(c.try_into().expect("8 bytes")))
            .collect())
    }

    /// The directory slots (EMPTY and ILLEGAL included).
    pub fn directory(&self, header: &Header) -> Result<Vec<Entry>, LayoutError> {
        let (off, len) = self
            .vector(header.directory, ENTRY_SIZE, "directory")?
            .ok_or_else(|| corrupt("no directory"))?;
        let mut raw = vec![0u8; len * ENTRY_SIZE];
        if !self.mem.read(off, &mut raw) {
            return Err(corrupt("directory unreadable"));
        }
        Ok(raw
            .chunks_exact(ENTRY_SIZE)
            .enumerate()
            .map(|(index, e)| {
                let name = &e[NAME_OFF..NAME_OFF + NAME_LEN];
                let end = name.iter().position(|&b| b == 0).unwrap_or(NAME_LEN);
                Entry {
                    index,
                    kind: u32::from_ne_bytes(e[0..4].try_into().expect("4 bytes")),
                    word: u64::from_ne_bytes(e[8..16].try_into().expect("8 bytes")),
                    name: String::from_utf8_lossy(&name[..end]).into_owned(),
                }
            })
            .collect())
    }

    /// The per-thread vectors of a counter: `(offset, len)` per thread.
    fn per_thread(
        &self,
        ptr: u64,
        elem: usize,
        what: &str,
    ) -> Result<Vec<Option<(usize, usize)>>, LayoutError> {
        let Some((off, threads)) = self.vector(ptr, 8, what)? else {
            return Ok(Vec::new());
        };
        self.u64s(off, threads, what)?
            .into_iter()
            .map(|p| self.vector(p, elem, what))
            .collect()
    }

    /// The value of `entry`; `directory` resolves symlinks.
    pub fn value(
        &self,
        entry: &Entry,
        directory: &[Entry],
    ) -> Result<Option<StatValue>, LayoutError> {
        self.value_cached(entry, directory, &mut std::collections::HashMap::new())
    }

    /// Like [`View::value`], reading each symlink target once per `cache`
    /// (thousands of `/err/...` symlinks share one `/node/errors` vector).
    pub fn value_cached(
        &self,
        entry: &Entry,
        directory: &[Entry],
        cache: &mut std::collections::HashMap<usize, StatValue>,
    ) -> Result<Option<StatValue>, LayoutError> {
        let what = entry.name.as_str();
        Ok(Some(match entry.kind {
            kind::SCALAR_INDEX => StatValue::Scalar(entry.word),
            kind::GAUGE => StatValue::Gauge(entry.word),
            kind::COUNTER_VECTOR_SIMPLE | kind::HISTOGRAM_LOG2 => {
                let rows = self
                    .per_thread(entry.word, 8, what)?
                    .into_iter()
                    .map(|v| v.map_or(Ok(Vec::new()), |(off, n)| self.u64s(off, n, what)))
                    .collect::<Result<Vec<_>, _>>()?;
                if entry.kind == kind::HISTOGRAM_LOG2 {
                    // Element 0 of each thread's vector is the minimum exponent.
                    let min_exp = rows.iter().find_map(|r| r.first().copied()).unwrap_or(0);
                    StatValue::Histogram(Histogram {
                        min_exp,
                        bins: rows
                            .into_iter()
                            .map(|r| r.into_iter().skip(1).collect())
                            .collect(),
                    })
                } else {
                    StatValue::Simple(rows)
                }
            }
            kind::COUNTER_VECTOR_COMBINED => StatValue::Combined(
                self.per_thread(entry.word, 16, what)?
                    .into_iter()
                    .map(|v| {
                        v.map_or(Ok(Vec::new()), |(off, n)| {
                            Ok(self
                                .u64s(off, n * 2, what)?
                                .chunks_exact(2)
                                .map(|c| Combined {
                                    packets: c[0],
                                    bytes: c[1],
                                })
                                .collect())
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            kind::NAME_VECTOR => {
                let Some((off, n)) = self.vector(entry.word, 8, what)? else {
                    return Ok(Some(StatValue::Names(Vec::new())));
                };
                let mut names = Vec::with_capacity(n);
                for p in self.u64s(off, n, what)? {
                    names.push(match self.vector(p, 1, what)? {
                        None => None,
                        Some((soff, slen)) => {
                            let mut b = vec![0u8; slen];
                            if !self.mem.read(soff, &mut b) {
                                return Err(corrupt(format!("{what}: name unreadable")));
                            }
                            let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
                            Some(String::from_utf8_lossy(&b[..end]).into_owned())
                        }
                    });
                }
                StatValue::Names(names)
            }
            kind::SYMLINK => {
                let (target, column) = (
                    (entry.word & 0xffff_ffff) as usize,
                    (entry.word >> 32) as usize,
                );
                let t = directory
                    .get(target)
                    .ok_or_else(|| corrupt(format!("{what}: symlink to missing entry {target}")))?;
                match t.kind {
                    kind::COUNTER_VECTOR_SIMPLE | kind::COUNTER_VECTOR_COMBINED => {}
                    _ => {
                        return Err(corrupt(format!(
                            "{what}: symlink to {} of type {}",
                            t.name, t.kind
                        )))
                    }
                }
                if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(target) {
                    if let Some(v) = self.value(t, &[])? {
                        slot.insert(v);
                    }
                }
                match cache.get(&target) {
                    Some(StatValue::Simple(rows)) => StatValue::SimpleColumn(
                        rows.iter()
                            .map(|r| r.get(column).copied().unwrap_or(0))
                            .collect(),
                    ),
                    Some(StatValue::Combined(rows)) => StatValue::CombinedColumn(
                        rows.iter()
                            .map(|r| r.get(column).copied().unwrap_or_default())
                            .collect(),
                    ),
                    _ => return Err(corrupt(format!("{what}: bad symlink target"))),
                }
            }
            kind::RING_BUFFER => StatValue::RingBuffer(self.ring_buffer(entry.word, what)?),
            // EMPTY, ILLEGAL and types newer than this reader: no value.
            _ => return Ok(None),
        }))
    }

    fn ring_buffer(&self, ptr: u64, what: &str) -> Result<RingBuffer, LayoutError> {
        let off = self
            .xlate(ptr, what)?
            .ok_or_else(|| corrupt(format!("{what}: no ring buffer")))?;
        let field = |i: usize| {
            self.mem
                .u32_at(off + 4 * i)
                .ok_or_else(|| corrupt(format!("{what}: descriptor unreadable")))
        };
        let (entry_size, ring_size, n_threads) = (field(0)?, field(1)?, field(2)?);
        let (metadata_offset, data_offset) = (field(5)? as usize, field(6)? as usize);
        let per_thread = (entry_size as usize)
            .checked_mul(ring_size as usize)
            .filter(|n| {
                n.checked_mul(n_threads as usize)
                    .is_some_and(|t| t <= self.mem.size())
            })
            .ok_or_else(|| {
                corrupt(format!(
                    "{what}: ring of {ring_size} x {entry_size} bytes x {n_threads} threads"
                ))
            })?;
        let mut threads = Vec::new();
        for t in 0..n_threads as usize {
            let meta = off + metadata_offset + 64 * t;
            let head = self
                .mem
                .u32_at(meta)
                .ok_or_else(|| corrupt(format!("{what}: metadata unreadable")))?;
            let sequence = self
                .mem
                .u64_at(meta + 8)
                .ok_or_else(|| corrupt(format!("{what}: metadata unreadable")))?;
            let mut data = vec![0u8; per_thread];
            if !self.mem.read(off + data_offset + per_thread * t, &mut data) {
                return Err(corrupt(format!("{what}: ring data runs past the segment")));
            }
            let n = (sequence.min(u64::from(ring_size))) as usize;
            let es = entry_size as usize;
            let start = if n < ring_size as usize {
                0
            } else {
                head as usize % ring_size.max(1) as usize
            };
            let entries = (0..n)
                .map(|k| {
                    let i = (start + k) % ring_size.max(1) as usize;
                    data[i * es..(i + 1) * es].to_vec()
                })
                .collect();
            threads.push((sequence, entries));
        }
        Ok(RingBuffer {
            entry_size,
            ring_size,
            threads,
        })
    }
}
