//! Field values as a dump shows them, under scapy's field names: what
//! [`crate::Packet::show`] prints and what a test may compare generically.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::Mac;

/// One field's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A field left for the build to fill in (scapy's `None`).
    Auto,
    /// A number.
    Int(u64),
    /// A number shown in hex (scapy's `XShortField` and friends).
    Hex(u64),
    /// A MAC address.
    Mac(Mac),
    /// An IPv4 address.
    Ip4(Ipv4Addr),
    /// An IPv6 address.
    Ip6(Ipv6Addr),
    /// Bytes.
    Bytes(Vec<u8>),
    /// Flags: the bits and their names, lowest bit first.
    Flags(u64, &'static [&'static str]),
    /// A list (addresses of a routing header, say).
    List(Vec<Value>),
}

impl Value {
    /// The number, for integer, hex and flag fields.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Int(v) | Value::Hex(v) | Value::Flags(v, _) => Some(*v),
            _ => None,
        }
    }

    /// An optional number: `Auto` when unset.
    pub fn opt<T: Into<u64>>(v: Option<T>) -> Value {
        v.map_or(Value::Auto, |v| Value::Int(v.into()))
    }

    /// An optional number shown in hex: `Auto` when unset.
    pub fn opt_hex<T: Into<u64>>(v: Option<T>) -> Value {
        v.map_or(Value::Auto, |v| Value::Hex(v.into()))
    }
}

/// Bytes fields longer than this are shortened in text (not with `{:#}`).
pub const SHORT_BYTES: usize = 64;
const SHORT_HEAD: usize = 32;
const SHORT_TAIL: usize = 16;

/// Bytes as scapy shows them: quoted, printable ASCII as it is, the rest
/// as `\xNN`.
fn quoted(f: &mut fmt::Formatter<'_>, b: &[u8]) -> fmt::Result {
    f.write_str("'")?;
    for &c in b {
        match c {
            b'\\' => f.write_str("\\\\")?,
            b'\'' => f.write_str("\\'")?,
            0x20..=0x7e => write!(f, "{}", c as char)?,
            _ => write!(f, "\\x{c:02x}")?,
        }
    }
    f.write_str("'")
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Auto => f.write_str("None"),
            Value::Int(v) => write!(f, "{v}"),
            Value::Hex(v) => write!(f, "{v:#x}"),
            Value::Mac(m) => write!(f, "{m}"),
            Value::Ip4(a) => write!(f, "{a}"),
            Value::Ip6(a) => write!(f, "{a}"),
            // Whole with `{:#}`; else a long one (a padded payload) as its
            // first and last bytes and its length, so failure text stays
            // readable: `'abc…'...'…xyz' (9000 bytes)`.
            Value::Bytes(b) if b.len() > SHORT_BYTES && !f.alternate() => {
                quoted(f, &b[..SHORT_HEAD])?;
                f.write_str("...")?;
                quoted(f, &b[b.len() - SHORT_TAIL..])?;
                write!(f, " ({} bytes)", b.len())
            }
            Value::Bytes(b) => quoted(f, b),
            Value::Flags(bits, names) => {
                let set: Vec<&str> = names
                    .iter()
                    .enumerate()
                    .filter(|(i, n)| bits >> i & 1 == 1 && !n.is_empty())
                    .map(|(_, n)| *n)
                    .collect();
                let unnamed = bits
                    & !names.iter().enumerate().fold(0u64, |m, (i, n)| {
                        if n.is_empty() {
                            m
                        } else {
                            m | 1 << i
                        }
                    });
                if set.is_empty() && unnamed == 0 {
                    return f.write_str("");
                }
                f.write_str(&set.join("+"))?;
                if unnamed != 0 {
                    write!(f, "{}{unnamed:#x}", if set.is_empty() { "" } else { "+" })?;
                }
                Ok(())
            }
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    if f.alternate() {
                        write!(f, "{v:#}")?;
                    } else {
                        write!(f, "{v}")?;
                    }
                }
                f.write_str("]")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_as_scapy_shows_them() {
        assert_eq!(Value::Auto.to_string(), "None");
        assert_eq!(Value::Hex(0x800).to_string(), "0x800");
        assert_eq!(Value::Bytes(b"ab\x00'".to_vec()).to_string(), r"'ab\x00\''");
        const TCP: &[&str] = &["F", "S", "R", "P", "A", "U", "E", "C", "N"];
        assert_eq!(Value::Flags(0x12, TCP).to_string(), "S+A");
        assert_eq!(Value::Flags(0, TCP).to_string(), "");
        const IP: &[&str] = &["MF", "DF", "evil"];
        assert_eq!(Value::Flags(2, IP).to_string(), "DF");
    }
}
