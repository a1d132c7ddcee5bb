//! Link-layer addresses (IP addresses are `std::net`'s).

use std::fmt;
use std::str::FromStr;

/// An Ethernet MAC address.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Mac(pub [u8; 6]);

impl Mac {
    /// `ff:ff:ff:ff:ff:ff`.
    pub const BROADCAST: Mac = Mac([0xff; 6]);
    /// `00:00:00:00:00:00`.
    pub const ZERO: Mac = Mac([0; 6]);

    /// The Ethernet multicast MAC of a multicast address
    /// (`mcast_ip_to_mac`): `01:00:5e` and its low 23 bits for IPv4,
    /// `33:33` and its low 32 bits for IPv6; None if `ip` is not multicast.
    pub fn multicast(ip: std::net::IpAddr) -> Option<Mac> {
        match ip {
            std::net::IpAddr::V4(a) if a.is_multicast() => {
                let o = a.octets();
                Some(Mac([0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]]))
            }
            std::net::IpAddr::V6(a) if a.is_multicast() => {
                let o = a.octets();
                Some(Mac([0x33, 0x33, o[12], o[13], o[14], o[15]]))
            }
            _ => None,
        }
    }

    /// The address's six bytes.
    pub fn octets(&self) -> [u8; 6] {
        self.0
    }

    /// True for a group (multicast or broadcast) address.
    pub fn is_multicast(&self) -> bool {
        self.0[0] & 1 == 1
    }

    /// The multicast MAC of an IPv6 address (`33:33:` and its last four bytes).
    pub fn ipv6_multicast(ip: std::net::Ipv6Addr) -> Mac {
        let o = ip.octets();
        Mac([0x33, 0x33, o[12], o[13], o[14], o[15]])
    }

    /// The IPv6 link-local address of this MAC (EUI-64 with the
    /// universal/local bit flipped; VPP's framework's `mk_ll_addr`).
    pub fn link_local(&self) -> std::net::Ipv6Addr {
        let m = self.0;
        std::net::Ipv6Addr::from([
            0xfe,
            0x80,
            0,
            0,
            0,
            0,
            0,
            0,
            m[0] ^ 2,
            m[1],
            m[2],
            0xff,
            0xfe,
            m[3],
            m[4],
            m[5],
        ])
    }

    /// The multicast MAC of an IPv4 group (`01:00:5e:` and its low 23 bits).
    pub fn ipv4_multicast(ip: std::net::Ipv4Addr) -> Mac {
        let o = ip.octets();
        Mac([0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]])
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5]
        )
    }
}

impl fmt::Debug for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A MAC address that is not six hex bytes separated by `:` or `-`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a MAC address (six hex bytes such as 02:01:00:00:ff:02)")]
pub struct BadMac(pub String);

impl FromStr for Mac {
    type Err = BadMac;
    fn from_str(s: &str) -> Result<Mac, BadMac> {
        let bad = || BadMac(s.to_string());
        let mut out = [0u8; 6];
        let mut parts = s.split([':', '-']);
        for b in &mut out {
            let p = parts.next().ok_or_else(bad)?;
            if p.is_empty() || p.len() > 2 {
                return Err(bad());
            }
            *b = u8::from_str_radix(p, 16).map_err(|_| bad())?;
        }
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(Mac(out))
    }
}

impl From<[u8; 6]> for Mac {
    fn from(b: [u8; 6]) -> Mac {
        Mac(b)
    }
}

/// Parses a MAC address written in a test; panics with the reason on a typo
/// (for literals: `mac("02:01:00:00:ff:02")`).
pub fn mac(s: &str) -> Mac {
    match s.parse() {
        Ok(m) => m,
        Err(e) => panic!("{e}"),
    }
}

/// The solicited-node multicast address of `addr` (RFC 4291:
/// `ff02::1:ff` and its last 24 bits; scapy's `in6_getnsma`).
pub fn solicited_node(addr: std::net::Ipv6Addr) -> std::net::Ipv6Addr {
    let o = addr.octets();
    std::net::Ipv6Addr::from([
        0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, o[13], o[14], o[15],
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_parse_and_print_as_scapy_does() {
        let m: Mac = "02:01:00:00:FF:2".parse().unwrap();
        assert_eq!(m.to_string(), "02:01:00:00:ff:02");
        assert_eq!("02-01-00-00-ff-02".parse::<Mac>().unwrap(), m);
        for bad in [
            "",
            "02:01:00:00:ff",
            "02:01:00:00:ff:02:03",
            "0g:01:00:00:ff:02",
            "002:01:00:00:ff:02",
        ] {
            assert!(bad.parse::<Mac>().is_err(), "{bad}");
        }
        assert_eq!(
            Mac::ipv6_multicast("ff02::1:ff00:2".parse().unwrap()).to_string(),
            "33:33:ff:00:00:02"
        );
        assert!(Mac::BROADCAST.is_multicast());
    }
}
