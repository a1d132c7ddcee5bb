//! Classic pcap files (microsecond or nanosecond timestamps, either byte
//! order), as VPP's packet generator reads and writes them; reading is
//! lax about a record cut short at the end, since VPP may still be
//! writing the file.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::packet::{Link, Packet};

/// A capture's link type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkType {
    /// Ethernet (1).
    Ethernet,
    /// Raw IP, IPv4 or IPv6 (101).
    RawIp,
    /// IPv4 (228).
    Ipv4,
    /// IPv6 (229).
    Ipv6,
    /// Any other.
    Other(u32),
}

impl LinkType {
    /// The number in the file header.
    pub fn number(self) -> u32 {
        match self {
            LinkType::Ethernet => 1,
            LinkType::RawIp => 101,
            LinkType::Ipv4 => 228,
            LinkType::Ipv6 => 229,
            LinkType::Other(n) => n,
        }
    }

    /// The link type of a number.
    pub fn from_number(n: u32) -> LinkType {
        match n {
            1 => LinkType::Ethernet,
            101 | 12 | 14 => LinkType::RawIp,
            228 => LinkType::Ipv4,
            229 => LinkType::Ipv6,
            n => LinkType::Other(n),
        }
    }

    /// How packets of this link type start, for dissection.
    pub fn link(self) -> Link {
        match self {
            LinkType::RawIp => Link::RawIp,
            LinkType::Ipv4 => Link::Ipv4,
            LinkType::Ipv6 => Link::Ipv6,
            LinkType::Ethernet | LinkType::Other(_) => Link::Ethernet,
        }
    }
}

/// One captured packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Time stamp since the epoch.
    pub ts: Duration,
    /// The packet's length on the wire (may exceed the bytes captured).
    pub orig_len: u32,
    /// The bytes captured.
    pub data: Vec<u8>,
}

/// A pcap file read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capture {
    /// The link type.
    pub link: LinkType,
    /// The records, in file order.
    pub records: Vec<Record>,
    /// Bytes at the end that do not make a whole record yet (a file still
    /// being written); 0 for a complete file.
    pub incomplete: usize,
}

impl Capture {
    /// The records dissected.
    pub fn packets(&self) -> Vec<Packet> {
        self.packets_with(&crate::Bindings::default())
    }

    /// The records dissected with these bindings of ports to layers.
    pub fn packets_with(&self, bindings: &crate::Bindings) -> Vec<Packet> {
        let link = self.link.link();
        self.records
            .iter()
            .map(|r| Packet::dissect_with(&r.data, link, bindings))
            .collect()
    }
}

/// A pcap file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum PcapError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// Fewer than the 24 bytes of the file header.
    #[error("{path}: not a pcap file: {len} bytes, the file header alone has 24")]
    Short {
        /// The file.
        path: PathBuf,
        /// Its length.
        len: usize,
    },
    /// Not a pcap magic number.
    #[error("{path}: not a classic pcap file (magic {magic:#010x}; pcapng is not read)")]
    Magic {
        /// The file.
        path: PathBuf,
        /// The first four bytes.
        magic: u32,
    },
    /// A record header with an impossible length.
    #[error("{path}: record {index} at offset {offset} says it holds {len} bytes (snap length {snaplen}): the file is corrupt")]
    Record {
        /// The file.
        path: PathBuf,
        /// The record's index.
        index: usize,
        /// Its offset in the file.
        offset: usize,
        /// The length it claims.
        len: u32,
        /// The file's snap length.
        snaplen: u32,
    },
}

const MAGIC_US: u32 = 0xa1b2_c3d4;
const MAGIC_NS: u32 = 0xa1b2_3c4d;
/// Largest record accepted whatever the snap length says.
const MAX_RECORD: u32 = 1 << 20;

/// Parses a pcap file's bytes; `path` names it in errors.
pub fn parse(bytes: &[u8], path: &Path) -> Result<Capture, PcapError> {
    if bytes.len() < 24 {
        return Err(PcapError::Short {
            path: path.to_path_buf(),
            len: bytes.len(),
        });
    }
    let le = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let (little, nanos) = match le {
        MAGIC_US => (true, false),
        MAGIC_NS => (true, true),
        m if m.swap_bytes() == MAGIC_US => (false, false),
        m if m.swap_bytes() == MAGIC_NS => (false, true),
        m => {
            return Err(PcapError::Magic {
                path: path.to_path_buf(),
                magic: m.swap_bytes(),
            })
        }
    };
    let u32_at = |at: usize| {
        let b = [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
        if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        }
    };
    let snaplen = u32_at(16);
    let link = LinkType::from_number(u32_at(20) & 0x0fff_ffff);
    let mut records = Vec::new();
    let mut at = 24;
    while bytes.len() - at >= 16 {
        let (sec, frac, incl, orig) = (u32_at(at), u32_at(at + 4), u32_at(at + 8), u32_at(at + 12));
        if incl > snaplen.clamp(65535, MAX_RECORD) {
            return Err(PcapError::Record {
                path: path.to_path_buf(),
                index: records.len(),
                offset: at,
                len: incl,
                snaplen,
            });
        }
        let end = at + 16 + incl as usize;
        if end > bytes.len() {
            break;
        }
        let ts = Duration::from_secs(sec.into())
            + if nanos {
                Duration::from_nanos(frac.into())
            } else {
                Duration::from_micros(frac.into())
            };
        records.push(Record {
            ts,
            orig_len: orig,
            data: bytes[at + 16..end].to_vec(),
        });
        at = end;
    }
    Ok(Capture {
        link,
        records,
        incomplete: bytes.len() - at,
    })
}

/// Reads a pcap file.
pub fn read(path: impl AsRef<Path>) -> Result<Capture, PcapError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| PcapError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&bytes, path)
}

/// Writes classic pcap (microseconds, little-endian), as VPP reads it.
#[derive(Debug)]
pub struct Writer<W: Write> {
    out: W,
}

impl<W: Write> Writer<W> {
    /// Writes the file header.
    pub fn new(mut out: W, link: LinkType) -> io::Result<Writer<W>> {
        let mut h = Vec::with_capacity(24);
        h.extend_from_slice(&MAGIC_US.to_le_bytes());
        h.extend_from_slice(&2u16.to_le_bytes());
        h.extend_from_slice(&4u16.to_le_bytes());
        h.extend_from_slice(&0i32.to_le_bytes());
        h.extend_from_slice(&0u32.to_le_bytes());
        h.extend_from_slice(&65535u32.to_le_bytes());
        h.extend_from_slice(&link.number().to_le_bytes());
        out.write_all(&h)?;
        Ok(Writer { out })
    }

    /// Writes one record.
    pub fn write(&mut self, ts: Duration, data: &[u8]) -> io::Result<()> {
        let mut h = [0u8; 16];
        h[0..4].copy_from_slice(&(ts.as_secs() as u32).to_le_bytes());
        h[4..8].copy_from_slice(&ts.subsec_micros().to_le_bytes());
        h[8..12].copy_from_slice(&(data.len() as u32).to_le_bytes());
        h[12..16].copy_from_slice(&(data.len() as u32).to_le_bytes());
        self.out.write_all(&h)?;
        self.out.write_all(data)
    }

    /// Flushes what was written.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// The underlying writer.
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// Writes `packets` to a new pcap file at `path` (time stamps one
/// microsecond apart), returning their bytes as written.
pub fn write(
    path: impl AsRef<Path>,
    link: LinkType,
    packets: &[Packet],
) -> Result<Vec<Vec<u8>>, PcapError> {
    let path = path.as_ref();
    let io = |source| PcapError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::create(path).map_err(io)?;
    let mut w = Writer::new(io::BufWriter::new(file), link).map_err(io)?;
    let mut built = Vec::with_capacity(packets.len());
    for (i, p) in packets.iter().enumerate() {
        let b = p.build();
        w.write(Duration::from_micros(i as u64), &b).map_err(io)?;
        built.push(b);
    }
    w.into_inner().flush().map_err(io)?;
    Ok(built)
}
