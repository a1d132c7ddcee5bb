//! A minimal writer of version-2 stats segments, shared by the property
//! tests and the fuzz targets.
#![allow(
    dead_code,
    reason = "shared by several test binaries; each uses part of it"
)]

pub const BASE: u64 = 0x7000_0000_0000;

/// A minimal writer of version-2 segments (the layout VPP writes).
pub struct Builder {
    buf: Vec<u8>,
    dir: Vec<[u8; 144]>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder {
            buf: vec![0; 4096],
            dir: Vec::new(),
        }
    }

    pub fn vec(&mut self, data: &[u8], len: usize) -> u64 {
        let start = (self.buf.len() + 8).next_multiple_of(64);
        self.buf.resize(start, 0);
        self.buf[start - 8..start - 4].copy_from_slice(&(len as u32).to_ne_bytes());
        self.buf.extend_from_slice(data);
        BASE + start as u64
    }

    pub fn u64s(v: &[u64]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_ne_bytes()).collect()
    }

    pub fn per_thread(&mut self, rows: &[Vec<u64>]) -> u64 {
        let ptrs: Vec<u64> = rows
            .iter()
            .map(|r| self.vec(&Self::u64s(r), r.len()))
            .collect();
        self.vec(&Self::u64s(&ptrs), ptrs.len())
    }

    pub fn entry(&mut self, kind: u32, word: u64, name: &str) {
        let mut e = [0u8; 144];
        e[0..4].copy_from_slice(&kind.to_ne_bytes());
        e[8..16].copy_from_slice(&word.to_ne_bytes());
        e[16..16 + name.len()].copy_from_slice(name.as_bytes());
        self.dir.push(e);
    }

    pub fn finish(mut self, epoch: u64) -> Vec<u8> {
        let flat: Vec<u8> = self.dir.concat();
        let n = self.dir.len();
        let dir = self.vec(&flat, n);
        let mut out = self.buf;
        out[0..40].copy_from_slice(&Self::u64s(&[2, BASE, epoch, 0, dir]));
        out.resize(out.len() + 64, 0);
        out
    }
}

pub fn segment(
    simple: &[Vec<u64>],
    combined: &[Vec<(u64, u64)>],
    names: &[Option<String>],
    hist: &[Vec<u64>],
) -> Vec<u8> {
    let mut b = Builder::new();
    b.entry(1, 42, "/sys/heartbeat");
    b.entry(9, 7, "/sys/gauge");
    let s = b.per_thread(simple);
    b.entry(2, s, "/node/errors");
    let flat: Vec<Vec<u64>> = combined
        .iter()
        .map(|r| r.iter().flat_map(|(p, y)| [*p, *y]).collect())
        .collect();
    let ptrs: Vec<u64> = flat
        .iter()
        .zip(combined)
        .map(|(r, c)| b.vec(&Builder::u64s(r), c.len()))
        .collect();
    let c = b.vec(&Builder::u64s(&ptrs), ptrs.len());
    b.entry(3, c, "/if/rx");
    let name_ptrs: Vec<u64> = names
        .iter()
        .map(|n| match n {
            None => 0,
            Some(s) => {
                let mut v = s.as_bytes().to_vec();
                v.push(0);
                let len = v.len();
                b.vec(&v, len)
            }
        })
        .collect();
    let nv = b.vec(&Builder::u64s(&name_ptrs), name_ptrs.len());
    b.entry(4, nv, "/if/names");
    b.entry(5, 0, "");
    b.entry(6, 2 | (1u64 << 32), "/err/node/second");
    let h = b.per_thread(hist);
    b.entry(7, h, "/latency");
    b.finish(1)
}
