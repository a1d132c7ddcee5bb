//! JSON values for the common VPP types that dynamic calls take and
//! return: addresses and prefixes (`vl_api_address_t`, `vl_api_prefix_t`),
//! as VPP's Python client converts them.

use std::net::IpAddr;

use serde_json::{json, Value};

/// `vl_api_address_t` for an IPv4 or IPv6 address: `{"af", "un": {"ip4"|"ip6"}}`.
pub fn address(ip: IpAddr) -> Value {
    match ip {
        IpAddr::V4(a) => json!({"af": 0, "un": {"ip4": a.octets()}}),
        IpAddr::V6(a) => json!({"af": 1, "un": {"ip6": a.octets()}}),
    }
}

/// `vl_api_prefix_t` from `a.b.c.d/len` or `x::y/len` (a bare address is a
/// host prefix).
pub fn prefix(text: &str) -> Result<Value, String> {
    let (ip, len) = match text.split_once('/') {
        Some((ip, len)) => (ip, Some(len)),
        None => (text, None),
    };
    let ip: IpAddr = ip
        .parse()
        .map_err(|_| format!("{text:?} is not an IP prefix"))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let len: u8 = match len {
        Some(l) => l
            .parse()
            .ok()
            .filter(|l| *l <= max)
            .ok_or_else(|| format!("{text:?}: bad prefix length"))?,
        None => max,
    };
    Ok(json!({"address": address(ip), "len": len}))
}

/// The address a `vl_api_address_t` value holds (as decoded: every union
/// arm present, `af` choosing), or a `vl_api_ip4/6_address_t` byte array.
pub fn to_ip(v: &Value) -> Option<IpAddr> {
    let bytes = |b: &Value| -> Option<Vec<u8>> {
        b.as_array()?
            .iter()
            .map(|x| x.as_u64().map(|n| n as u8))
            .collect()
    };
    if let Some(af) = v.get("af").and_then(Value::as_u64) {
        let un = v.get("un")?;
        return match af {
            0 => {
                let b: [u8; 4] = bytes(un.get("ip4")?)?.get(..4)?.try_into().ok()?;
                Some(IpAddr::from(b))
            }
            _ => {
                let b: [u8; 16] = bytes(un.get("ip6")?)?.get(..16)?.try_into().ok()?;
                Some(IpAddr::from(b))
            }
        };
    }
    let b = bytes(v)?;
    match b.len() {
        4 => Some(IpAddr::from(<[u8; 4]>::try_from(b).ok()?)),
        16 => Some(IpAddr::from(<[u8; 16]>::try_from(b).ok()?)),
        _ => None,
    }
}

/// `a.b.c.d/len` for a `vl_api_prefix_t` value.
pub fn format_prefix(v: &Value) -> Option<String> {
    Some(format!(
        "{}/{}",
        to_ip(v.get("address")?)?,
        v.get("len")?.as_u64()?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_round_trip() {
        for p in ["172.100.1.1/32", "2001::/16", "10.0.0.0/8"] {
            assert_eq!(format_prefix(&prefix(p).unwrap()).as_deref(), Some(p));
        }
        assert_eq!(
            format_prefix(&prefix("2000::1").unwrap()).as_deref(),
            Some("2000::1/128")
        );
        assert!(prefix("1.2.3.4/33").is_err());
        assert!(prefix("nope/8").is_err());
        // As decoded from the wire: both union arms, af chooses.
        let decoded = json!({"af": 1, "un": {"ip4": [32, 1, 0, 0], "ip6": [32, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}});
        assert_eq!(to_ip(&decoded).unwrap().to_string(), "2001::");
    }
}
