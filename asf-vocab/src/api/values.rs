//! The common VPP types of `ip_types` (`vl_api_address_t`,
//! `vl_api_prefix_t`) as std's: conversions to and from `IpAddr` and text
//! (`"10.0.0.0/24"`). Their JSON forms, for dynamic calls, are the
//! framework's (`asf_core::api::values`).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use asf_core::api::values::parse_prefix;

use super::ip_types::{Address, AddressFamily, AddressUnion, Prefix};

impl From<IpAddr> for Address {
    fn from(ip: IpAddr) -> Address {
        match ip {
            IpAddr::V4(a) => Address::from(a),
            IpAddr::V6(a) => Address::from(a),
        }
    }
}

impl From<Ipv4Addr> for Address {
    fn from(a: Ipv4Addr) -> Address {
        Address {
            af: AddressFamily::Ip4,
            un: AddressUnion::from_ip4(&a.octets()),
        }
    }
}

impl From<Ipv6Addr> for Address {
    fn from(a: Ipv6Addr) -> Address {
        Address {
            af: AddressFamily::Ip6,
            un: AddressUnion::from_ip6(&a.octets()),
        }
    }
}

impl Address {
    /// The address, as `af` says (any family but IPv4 reads as IPv6).
    pub fn ip(&self) -> IpAddr {
        match self.af {
            AddressFamily::Ip4 => IpAddr::from(self.un.ip4()),
            _ => IpAddr::from(self.un.ip6()),
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.ip().fmt(f)
    }
}

impl FromStr for Address {
    type Err = String;
    fn from_str(s: &str) -> Result<Address, String> {
        s.parse::<IpAddr>()
            .map(Address::from)
            .map_err(|_| format!("{s:?} is not an IP address"))
    }
}

impl FromStr for Prefix {
    type Err = String;
    /// `a.b.c.d/len` or `x::y/len`; a bare address is a host prefix.
    fn from_str(text: &str) -> Result<Prefix, String> {
        let (ip, len) = parse_prefix(text)?;
        Ok(Prefix {
            address: Address::from(ip),
            len,
        })
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_prefixes_and_addresses() {
        let p: Prefix = "10.0.0.0/24".parse().unwrap();
        assert_eq!(p.address.af, AddressFamily::Ip4);
        assert_eq!(p.to_string(), "10.0.0.0/24");
        let p6: Prefix = "2001:db8::1".parse().unwrap();
        assert_eq!(
            (p6.len, p6.address.to_string().as_str()),
            (128, "2001:db8::1")
        );
        assert!("10.0.0.0/33".parse::<Prefix>().is_err());
        let a = Address::from(Ipv4Addr::new(1, 2, 3, 4));
        assert_eq!(a.ip(), IpAddr::from([1, 2, 3, 4]));
        assert_eq!(a.un.0[..4], [1, 2, 3, 4]);
    }
}
