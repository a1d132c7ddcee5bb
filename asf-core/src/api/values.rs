//! VPP's common types as the dynamic codec's JSON values
//! (`vl_api_address_t`, `vl_api_prefix_t`, MAC addresses), as VPP's Python
//! client converts them; the typed forms of the same (`Address`, `Prefix`)
//! are the vocabulary's (`asf_vocab::api::values`).

use std::net::IpAddr;

/// `a.b.c.d/len` or `x::y/len` as an address and a length (a bare address
/// is a host prefix); the error names the text.
pub fn parse_prefix(text: &str) -> Result<(IpAddr, u8), String> {
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
    Ok((ip, len))
}

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
    let (ip, len) = parse_prefix(text)?;
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

/// The six bytes of a MAC address written `aa:bb:cc:dd:ee:ff` (VPP's
/// Python client's `mac_pton`; `-` and `.` separators also accepted).
pub fn mac_pton(text: &str) -> Result<[u8; 6], String> {
    let hex: String = text
        .chars()
        .filter(|c| !matches!(c, ':' | '-' | '.'))
        .collect();
    if hex.len() != 12 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("{text:?} is not a MAC address"));
    }
    let mut out = [0u8; 6];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
            .map_err(|_| format!("{text:?} is not a MAC address"))?;
    }
    Ok(out)
}

/// A MAC address as text, `aa:bb:cc:dd:ee:ff` (VPP's Python client's `mac_ntop`).
pub fn mac_ntop(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// A `vl_api_mac_address_t` value from its text.
pub fn mac(text: &str) -> Result<Value, String> {
    Ok(json!(mac_pton(text)?))
}

/// The text of a decoded `vl_api_mac_address_t` (an array of six numbers).
pub fn mac_string(v: &Value) -> Option<String> {
    let bytes: Vec<u8> = v
        .as_array()?
        .iter()
        .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
        .collect::<Option<_>>()?;
    (bytes.len() == 6).then(|| mac_ntop(&bytes))
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

    #[test]
    fn mac_to_binary_and_back() {
        let b = mac_pton("aa:bb:cc:dd:ee:ff").unwrap();
        assert_eq!(b, [0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
        assert_eq!(mac_ntop(&b), "aa:bb:cc:dd:ee:ff");
        assert_eq!(mac_pton("AA-BB-CC-00-11-22").unwrap()[3], 0);
        assert!(mac_pton("aa:bb:cc:dd:ee").is_err());
        assert!(mac_pton("aa:bb:cc:dd:ee:gg").is_err());
        assert_eq!(
            mac_string(&mac("02:fe:00:11:22:33").unwrap()).as_deref(),
            Some("02:fe:00:11:22:33")
        );
    }
}
