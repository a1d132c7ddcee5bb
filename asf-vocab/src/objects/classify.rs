//! Classifier tables and sessions, and the mask and match builders of
//! VPP's `template_classifier.py`: hex strings, built and trimmed exactly
//! as there (their lengths decide a table's vectors).
//!
//! ```ignore
//! let table = objects::add(t, ClassifyTable::new(&ip4_mask(&Ip4Mask { src_ip: "ffffffff", ..Default::default() }))?)?;
//! objects::add(t, ClassifySession::new(&table, &ip4_match(&Ip4Match { src_ip: Some(a), ..Default::default() }))?)?;
//! ```

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::object::{AddDel, VppObject};
use crate::api::classify::{
    ClassifyAction, ClassifyAddDelSession, ClassifyAddDelTable, ClassifyTableIds,
};
use asf_core::api::client::ApiClient;
use asf_core::case::TestResult;

/// Right-aligns `s` in `width` with zeros (Python's `{!s:0>width}`).
fn zfill(s: &str, width: usize) -> String {
    format!("{s:0>width$}")
}

fn hex(v: u32) -> String {
    format!("{v:x}")
}

/// A MAC mask or match (`build_mac_mask`, `build_mac_match`): destination
/// MAC, source MAC and ethertype, as hex.
pub fn mac_hex(dst_mac: &str, src_mac: &str, ether_type: &str) -> String {
    let (d, s) = (dst_mac.replace(':', ""), src_mac.replace(':', ""));
    // Python strips whitespace only here.
    format!("{}{}{}", zfill(&d, 12), zfill(&s, 12), zfill(ether_type, 4))
}

/// The fields an IPv4 mask covers, as hex (`build_ip_mask`: "ff",
/// "ffffffff" …); empty ones are left out.
#[derive(Clone, Debug, Default)]
pub struct Ip4Mask<'a> {
    /// Protocol.
    pub proto: &'a str,
    /// Source address.
    pub src_ip: &'a str,
    /// Destination address.
    pub dst_ip: &'a str,
    /// Source port.
    pub src_port: &'a str,
    /// Destination port.
    pub dst_port: &'a str,
}

/// `build_ip_mask`.
pub fn ip4_mask(m: &Ip4Mask<'_>) -> String {
    trim_zeros(format!(
        "{}{}{}{}{}",
        zfill(m.proto, 20),
        zfill(m.src_ip, 12),
        zfill(m.dst_ip, 8),
        zfill(m.src_port, 4),
        zfill(m.dst_port, 4)
    ))
}

/// The values an IPv4 match has (`build_ip_match`).
#[derive(Clone, Debug, Default)]
pub struct Ip4Match {
    /// Protocol.
    pub proto: u8,
    /// Source address.
    pub src_ip: Option<Ipv4Addr>,
    /// Destination address.
    pub dst_ip: Option<Ipv4Addr>,
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
}

fn addr_hex(octets: &[u8]) -> String {
    octets.iter().map(|b| format!("{b:02x}")).collect()
}

/// `build_ip_match`.
pub fn ip4_match(m: &Ip4Match) -> String {
    let ip = |a: Option<Ipv4Addr>| a.map_or(String::new(), |a| addr_hex(&a.octets()));
    trim_zeros(format!(
        "{}{}{}{}{}",
        zfill(&hex(m.proto.into()), 20),
        zfill(&ip(m.src_ip), 12),
        zfill(&ip(m.dst_ip), 8),
        zfill(&hex(m.src_port.into()), 4),
        zfill(&hex(m.dst_port.into()), 4)
    ))
}

/// The fields an IPv6 mask covers, as hex (`build_ip6_mask`).
#[derive(Clone, Debug, Default)]
pub struct Ip6Mask<'a> {
    /// Next header.
    pub nh: &'a str,
    /// Source address.
    pub src_ip: &'a str,
    /// Destination address.
    pub dst_ip: &'a str,
    /// Source port.
    pub src_port: &'a str,
    /// Destination port.
    pub dst_port: &'a str,
}

/// `build_ip6_mask`.
pub fn ip6_mask(m: &Ip6Mask<'_>) -> String {
    trim_zeros(format!(
        "{}{}{}{}{}",
        zfill(m.nh, 14),
        zfill(m.src_ip, 34),
        zfill(m.dst_ip, 32),
        zfill(m.src_port, 4),
        zfill(m.dst_port, 4)
    ))
}

/// The values an IPv6 match has (`build_ip6_match`).
#[derive(Clone, Debug, Default)]
pub struct Ip6Match {
    /// Next header.
    pub nh: u8,
    /// Source address.
    pub src_ip: Option<Ipv6Addr>,
    /// Destination address.
    pub dst_ip: Option<Ipv6Addr>,
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
}

/// `build_ip6_match`.
pub fn ip6_match(m: &Ip6Match) -> String {
    let ip = |a: Option<Ipv6Addr>| a.map_or(String::new(), |a| addr_hex(&a.octets()));
    trim_zeros(format!(
        "{}{}{}{}{}",
        zfill(&hex(m.nh.into()), 14),
        zfill(&ip(m.src_ip), 34),
        zfill(&ip(m.dst_ip), 32),
        zfill(&hex(m.src_port.into()), 4),
        zfill(&hex(m.dst_port.into()), 4)
    ))
}

/// A mask of payload bytes at `offset` (`VarMask`).
#[derive(Clone, Debug)]
pub struct VarMask<'a> {
    /// Bytes after the previous part.
    pub offset: usize,
    /// The mask, as hex.
    pub spec: &'a str,
}

/// A match of payload bytes at `offset` (`VarMatch`).
#[derive(Clone, Debug)]
pub struct VarMatch {
    /// Bytes after the previous part.
    pub offset: usize,
    /// The value.
    pub value: u64,
    /// Its length in bytes.
    pub length: usize,
}

/// `build_payload_mask`.
pub fn payload_mask(masks: &[VarMask<'_>]) -> String {
    trim_zeros(
        masks
            .iter()
            .map(|m| zfill(m.spec, m.offset * 2 + m.spec.len()))
            .collect(),
    )
}

/// `build_payload_match`.
pub fn payload_match(matches: &[VarMatch]) -> String {
    trim_zeros(
        matches
            .iter()
            .map(|m| zfill(&format!("{:x}", m.value), (m.offset + m.length) * 2))
            .collect(),
    )
}

fn trim_zeros(s: String) -> String {
    s.trim_end_matches('0').to_string()
}

/// A mask or match as bytes, zero-padded to whole 16-byte vectors
/// (`_resolve_mask_match`).
pub fn resolve_mask_match(hex_str: &str) -> TestResult<Vec<u8>> {
    if !hex_str.len().is_multiple_of(2) {
        return Err(format!("{hex_str:?}: an odd number of hex digits").into());
    }
    let mut bytes = (0..hex_str.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex_str[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|e| format!("{hex_str:?}: {e}"))?;
    let len = (bytes.len().max(1) - 1) / 16 * 16 + 16;
    bytes.resize(len, 0);
    Ok(bytes)
}

/// A classifier table (`create_classify_table`): a mask, where it applies
/// (`current_data_offset`, -14 for the Ethernet header), and the table a
/// miss goes on to.
#[derive(Clone, Debug)]
pub struct ClassifyTable {
    /// The mask, as hex.
    pub mask: String,
    /// Where the mask applies, from the current data.
    pub data_offset: i16,
    /// The table a miss goes on to (`u32::MAX`: none).
    pub next_table_index: u32,
    /// Its index, once added.
    pub table_index: u32,
}

impl ClassifyTable {
    /// A table of `mask` (hex) at the current data.
    pub fn new(mask: &str) -> ClassifyTable {
        ClassifyTable {
            mask: mask.to_string(),
            data_offset: 0,
            next_table_index: u32::MAX,
            table_index: u32::MAX,
        }
    }
}

impl ClassifyTable {
    fn request(&self, is_add: bool) -> TestResult<ClassifyAddDelTable> {
        Ok(ClassifyAddDelTable {
            is_add,
            match_n_vectors: ((self.mask.len().max(1) - 1) / 32 + 1) as u32,
            miss_next_index: 0,
            current_data_flag: 1,
            current_data_offset: self.data_offset,
            next_table_index: self.next_table_index,
            mask: resolve_mask_match(&self.mask)?,
            ..ClassifyAddDelTable::default()
        })
    }
}

impl fmt::Display for ClassifyTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "classify-table-{}", self.table_index)
    }
}

impl VppObject for ClassifyTable {
    fn add_vpp_config(&mut self, api: &mut ApiClient) -> TestResult {
        let reply = api.request(&self.request(true)?)?;
        self.table_index = reply.new_table_index;
        Ok(())
    }

    /// The same request, of this index, not adding: VPP checks the mask's
    /// length against its vectors on a delete too.
    fn remove_vpp_config(&self, api: &mut ApiClient) -> TestResult {
        api.request(&ClassifyAddDelTable {
            table_index: self.table_index,
            ..self.request(false)?
        })?;
        Ok(())
    }

    fn query_vpp_config(&self, api: &mut ApiClient) -> TestResult<bool> {
        Ok(api
            .request(&ClassifyTableIds)?
            .ids
            .contains(&self.table_index))
    }
}

/// A session of a classifier table (`create_classify_session`): what
/// matches, and the action (1: set the IP table, PBR; 3: set metadata)
/// with its `metadata`.
#[derive(Clone, Debug)]
pub struct ClassifySession {
    /// The table.
    pub table_index: u32,
    /// The match, as hex.
    pub r#match: String,
    /// `ClassifyAction` value (0: none).
    pub action: u8,
    /// The action's value (a VRF id).
    pub metadata: u32,
}

impl ClassifySession {
    /// A session of `table` matching `r#match` (hex), no action.
    pub fn new(table: &ClassifyTable, r#match: &str) -> ClassifySession {
        ClassifySession {
            table_index: table.table_index,
            r#match: r#match.to_string(),
            action: 0,
            metadata: 0,
        }
    }
}

impl fmt::Display for ClassifySession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "classify-session-{}-{}", self.table_index, self.r#match)
    }
}

impl AddDel for ClassifySession {
    type Request = ClassifyAddDelSession;

    fn request(&self, is_add: bool) -> ClassifyAddDelSession {
        ClassifyAddDelSession {
            is_add,
            table_index: self.table_index,
            opaque_index: 0,
            action: ClassifyAction::from_value(self.action),
            metadata: self.metadata,
            // A match that does not resolve is refused by VPP as empty.
            r#match: resolve_mask_match(&self.r#match).unwrap_or_default(),
            ..ClassifyAddDelSession::default()
        }
    }

    /// Its table is there (sessions go with their table).
    fn query(&self, api: &mut ApiClient) -> TestResult<bool> {
        Ok(api
            .request(&ClassifyTableIds)?
            .ids
            .contains(&self.table_index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_trim_and_pad_as_vpps_template() {
        assert_eq!(
            ip4_mask(&Ip4Mask {
                src_ip: "ffffffff",
                ..Default::default()
            }),
            "000000000000000000000000ffffffff"
        );
        assert_eq!(
            ip4_match(&Ip4Match {
                proto: 17,
                src_port: 38,
                ..Default::default()
            }),
            "00000000000000000011000000000000000000000026"
        );
        assert_eq!(
            mac_hex("", "ffffffffffff", ""),
            "000000000000ffffffffffff0000"
        );
        assert_eq!(
            payload_match(&[VarMatch {
                offset: 40,
                value: 0x1234,
                length: 2
            }])
            .len(),
            82 + 2
        );
        let b = resolve_mask_match("ffff").unwrap();
        assert_eq!(b.len(), 16);
        assert_eq!(resolve_mask_match(&"ff".repeat(17)).unwrap().len(), 32);
        assert!(resolve_mask_match("fff").is_err());
    }
}
