//! Byte access to a stats segment. The parser ([`super::layout`]) reads
//! only through [`Memory`], so it runs unchanged on a mapped segment and on
//! a plain buffer (tests, property tests). The only `unsafe` code of the
//! stats reader is here.

use std::num::NonZeroUsize;
use std::os::fd::AsFd;
use std::ptr::NonNull;

/// Read access to a segment of `size()` bytes.
pub trait Memory {
    /// Size in bytes.
    fn size(&self) -> usize;
    /// Copies `out.len()` bytes from `off`; false if that is out of bounds.
    fn read(&self, off: usize, out: &mut [u8]) -> bool;

    /// A native-endian u64 at `off`.
    fn u64_at(&self, off: usize) -> Option<u64> {
        let mut b = [0u8; 8];
        self.read(off, &mut b).then(|| u64::from_ne_bytes(b))
    }

    /// A native-endian u32 at `off`.
    fn u32_at(&self, off: usize) -> Option<u32> {
        let mut b = [0u8; 4];
        self.read(off, &mut b).then(|| u32::from_ne_bytes(b))
    }
}

impl Memory for [u8] {
    fn size(&self) -> usize {
        self.len()
    }
    fn read(&self, off: usize, out: &mut [u8]) -> bool {
        match off
            .checked_add(out.len())
            .and_then(|end| self.get(off..end))
        {
            Some(src) => {
                out.copy_from_slice(src);
                true
            }
            None => false,
        }
    }
}

impl Memory for Vec<u8> {
    fn size(&self) -> usize {
        self.len()
    }
    fn read(&self, off: usize, out: &mut [u8]) -> bool {
        self.as_slice().read(off, out)
    }
}

/// A read-only shared mapping of a segment file descriptor.
pub struct Mapping {
    ptr: NonNull<u8>,
    len: usize,
}

// SAFETY: the mapping is read-only and never handed out as a reference;
// reads go through volatile loads, so sharing it between threads is fine.
unsafe impl Send for Mapping {}
// SAFETY: as above: no `&` access to the mapped bytes exists.
unsafe impl Sync for Mapping {}

impl Mapping {
    /// Maps `len` bytes of `fd` read-only and shared.
    pub fn new(fd: impl AsFd, len: usize) -> std::io::Result<Mapping> {
        let nz = NonZeroUsize::new(len)
            .ok_or_else(|| std::io::Error::other("the stats segment is empty"))?;
        // SAFETY: a fresh mapping at an address the kernel chooses; it
        // aliases no Rust object, and PROT_READ means we never write it.
        // VPP may change the bytes at any time: they are only read with
        // volatile loads, never through references.
        let ptr = unsafe {
            nix::sys::mman::mmap(
                None,
                nz,
                nix::sys::mman::ProtFlags::PROT_READ,
                nix::sys::mman::MapFlags::MAP_SHARED,
                fd,
                0,
            )
        }
        .map_err(std::io::Error::from)?;
        Ok(Mapping {
            ptr: ptr.cast(),
            len,
        })
    }
}

impl Memory for Mapping {
    fn size(&self) -> usize {
        self.len
    }

    fn read(&self, off: usize, out: &mut [u8]) -> bool {
        let Some(end) = off.checked_add(out.len()) else {
            return false;
        };
        if end > self.len {
            return false;
        }
        let base = self.ptr.as_ptr();
        let mut i = 0;
        // Bytes up to 8-byte alignment, then aligned words (counters are
        // aligned u64 stores on VPP's side), then the tail.
        while i < out.len() && !(off + i).is_multiple_of(8) {
            // SAFETY: off + i < end <= len: inside the mapping.
            out[i] = unsafe { std::ptr::read_volatile(base.add(off + i)) };
            i += 1;
        }
        while i + 8 <= out.len() {
            // SAFETY: off + i + 8 <= end <= len: inside the mapping, and the
            // address is 8-aligned (the mapping itself is page-aligned).
            let w = unsafe { std::ptr::read_volatile(base.add(off + i).cast::<u64>()) };
            out[i..i + 8].copy_from_slice(&w.to_ne_bytes());
            i += 8;
        }
        while i < out.len() {
            // SAFETY: off + i < end <= len: inside the mapping.
            out[i] = unsafe { std::ptr::read_volatile(base.add(off + i)) };
            i += 1;
        }
        true
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: ptr/len are exactly what mmap returned and the mapping is
        // unmapped once, here; no reference into it outlives `self`.
        unsafe {
            let _ = nix::sys::mman::munmap(self.ptr.cast(), self.len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn slices_and_mappings_read_the_same_and_refuse_out_of_bounds() {
        let data: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&data).unwrap();
        let m = Mapping::new(&f, data.len()).unwrap();
        for (off, n) in [(0, 8), (3, 17), (4096, 100), (9_990, 10)] {
            let (mut a, mut b) = (vec![0; n], vec![0; n]);
            assert!(m.read(off, &mut a) && data.read(off, &mut b));
            assert_eq!(a, b);
        }
        let mut buf = [0u8; 16];
        assert!(!m.read(9_995, &mut buf));
        assert!(!data.read(usize::MAX - 4, &mut buf));
        assert_eq!(m.u64_at(0), data.u64_at(0));
    }
}
