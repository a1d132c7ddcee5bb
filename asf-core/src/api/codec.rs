//! The wire encoding of API message bodies: packed fields, big-endian
//! integers, little-endian `f64`, fixed and length-prefixed strings.

use std::fmt;

/// A body could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Appends fields to a message body.
#[derive(Default, Debug)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty body.
    pub fn new() -> Writer {
        Writer::default()
    }

    /// The encoded bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// `u8`.
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.buf.push(v);
        self
    }

    /// `bool` (0 or 1).
    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.u8(u8::from(v))
    }

    /// Big-endian `u16`.
    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// Big-endian `u32`.
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// Big-endian `i32`.
    pub fn i32(&mut self, v: i32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// Big-endian `u64`.
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// `f64`, in host (little-endian) order as VPP sends it.
    pub fn f64(&mut self, v: f64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// Raw bytes.
    pub fn bytes(&mut self, v: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(v);
        self
    }

    /// `string name[N]`: at most N-1 bytes, cut at a character boundary
    /// (never inside a UTF-8 sequence), NUL-padded to N.
    pub fn fixed_string(&mut self, v: &str, n: usize) -> &mut Self {
        let bytes = v.as_bytes();
        let mut len = bytes.len().min(n.saturating_sub(1));
        while !v.is_char_boundary(len) {
            len -= 1;
        }
        self.buf.extend_from_slice(&bytes[..len]);
        self.buf.resize(self.buf.len() + (n - len), 0);
        self
    }

    /// `string name[]`: u32 length, then the bytes, no NUL.
    pub fn string(&mut self, v: &str) -> &mut Self {
        let len = u32::try_from(v.len()).unwrap_or(u32::MAX);
        self.u32(len);
        self.buf.extend_from_slice(&v.as_bytes()[..len as usize]);
        self
    }
}

/// Reads fields from a message body; every read is bounds-checked.
#[derive(Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Reads `buf` from the start.
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if self.remaining() < n {
            return Err(DecodeError(format!(
                "needs {n} bytes at offset {}, only {} left",
                self.pos,
                self.remaining()
            )));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    /// `u8`.
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    /// `bool` (non-zero is true).
    pub fn bool(&mut self) -> Result<bool, DecodeError> {
        Ok(self.u8()? != 0)
    }

    /// Big-endian `u16`.
    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    /// Big-endian `u32`.
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// Big-endian `i32`.
    pub fn i32(&mut self) -> Result<i32, DecodeError> {
        Ok(i32::from_be_bytes(self.array()?))
    }

    /// Big-endian `u64`.
    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    /// Little-endian `f64`.
    pub fn f64(&mut self) -> Result<f64, DecodeError> {
        Ok(f64::from_le_bytes(self.array()?))
    }

    /// `string name[N]`: up to the first NUL, or all N bytes.
    pub fn fixed_string(&mut self, n: usize) -> Result<String, DecodeError> {
        let raw = self.take(n)?;
        let end = raw.iter().position(|&b| b == 0).unwrap_or(n);
        Ok(String::from_utf8_lossy(&raw[..end]).into_owned())
    }

    /// `string name[]`: u32 length then bytes.
    pub fn string(&mut self) -> Result<String, DecodeError> {
        let len = self.u32()? as usize;
        Ok(String::from_utf8_lossy(self.take(len)?).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_field_kind() {
        let mut w = Writer::new();
        w.u8(7)
            .bool(true)
            .u16(0x0102)
            .u32(0x0304_0506)
            .i32(-2)
            .u64(1 << 40)
            .f64(1.0);
        w.fixed_string("loop0", 8).string("show version");
        let bytes = w.into_bytes();
        assert_eq!(&bytes[2..4], &[1, 2]);
        assert_eq!(
            &bytes[20..28],
            &[0, 0, 0, 0, 0, 0, 0xf0, 0x3f],
            "f64 1.0 is little-endian"
        );
        let mut r = Reader::new(&bytes);
        assert_eq!(r.u8().unwrap(), 7);
        assert!(r.bool().unwrap());
        assert_eq!(r.u16().unwrap(), 0x0102);
        assert_eq!(r.u32().unwrap(), 0x0304_0506);
        assert_eq!(r.i32().unwrap(), -2);
        assert_eq!(r.u64().unwrap(), 1 << 40);
        assert_eq!(r.f64().unwrap(), 1.0);
        assert_eq!(r.fixed_string(8).unwrap(), "loop0");
        assert_eq!(r.string().unwrap(), "show version");
        assert_eq!(r.remaining(), 0);
    }

    #[test]
    fn fixed_strings_keep_a_nul_and_short_reads_fail() {
        let mut w = Writer::new();
        w.fixed_string("abcdef", 4);
        assert_eq!(w.into_bytes(), b"abc\0");
        let mut w = Writer::new();
        w.fixed_string("ab\u{e9}", 4);
        assert_eq!(
            w.into_bytes(),
            b"ab\0\0",
            "é does not fit whole: it is left out, not cut"
        );
        let mut r = Reader::new(&[0, 0, 0, 9, b'x']);
        let err = r.string().unwrap_err();
        assert!(err.0.contains("needs 9 bytes"), "{err}");
        let mut r = Reader::new(b"abcd");
        assert_eq!(r.fixed_string(4).unwrap(), "abcd", "no NUL: all N bytes");
    }
}
