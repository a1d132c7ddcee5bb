//! Packet-info payloads (VPP's framework's `_PacketInfo`): which packet a
//! received one was, from its payload, byte for byte as Python writes it.

use std::collections::HashMap;

use asf_packet::{Packet, Raw};

use super::interface::PgInterface;

/// What a test packet says of itself in its payload: its index, the
/// `sw_if_index` it was sent into and the one it should leave by, and two
/// values the test may set (an IP version, a protocol).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PacketInfo {
    /// Index among the packets of the test (0, 1, 2 ...).
    pub index: i32,
    /// `sw_if_index` of the input interface.
    pub src: i32,
    /// `sw_if_index` of the expected output interface.
    pub dst: i32,
    /// Set by the test (-1 unset).
    pub ip: i32,
    /// Set by the test (-1 unset).
    pub proto: i16,
}

/// A payload that does not hold a packet info.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BadInfo {
    /// Fewer than 18 bytes.
    #[error("a packet info needs 18 bytes of payload, this one has {0}")]
    Short(usize),
    /// An index no test makes.
    #[error("Index value is invalid: {0}")]
    Index(i32),
    /// The packet has no payload.
    #[error("the packet has no Raw payload to hold a packet info")]
    NoPayload,
}

impl PacketInfo {
    /// The payload: `struct.pack("iiiih", index, src, dst, ip, proto)`,
    /// 18 little-endian bytes.
    pub fn to_payload(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(18);
        for v in [self.index, self.src, self.dst, self.ip] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.proto.to_le_bytes());
        out
    }

    /// Reads the info from the first 18 bytes of a payload (`payload_to_info`).
    pub fn from_payload(payload: &[u8]) -> Result<PacketInfo, BadInfo> {
        if payload.len() < 18 {
            return Err(BadInfo::Short(payload.len()));
        }
        let i32_at = |i: usize| {
            i32::from_le_bytes([payload[i], payload[i + 1], payload[i + 2], payload[i + 3]])
        };
        let info = PacketInfo {
            index: i32_at(0),
            src: i32_at(4),
            dst: i32_at(8),
            ip: i32_at(12),
            proto: i16::from_le_bytes([payload[16], payload[17]]),
        };
        if info.index > 0x4000 {
            return Err(BadInfo::Index(info.index));
        }
        Ok(info)
    }

    /// Reads the info from a packet's `Raw` payload.
    pub fn of(p: &Packet) -> Result<PacketInfo, BadInfo> {
        let raw = p.get::<Raw>().ok_or(BadInfo::NoPayload)?;
        PacketInfo::from_payload(&raw.load)
    }
}

/// The packet infos of a test (`_packet_infos` and
/// `_packet_count_for_dst_if_idx` of VPP's framework), with the packet each
/// stands for (`pkt_info.data`) once [`PacketInfos::set_data`] gave it.
#[derive(Clone, Debug, Default)]
pub struct PacketInfos {
    infos: Vec<PacketInfo>,
    counts: HashMap<u32, usize>,
    data: HashMap<i32, Packet>,
}

/// Where a capture's check stands: the last info matched from each source
/// (`last_info` of VPP's suites).
#[derive(Clone, Debug, Default)]
pub struct InfoCursor(HashMap<i32, PacketInfo>);

impl InfoCursor {
    /// The last info matched from `src`, if any.
    pub fn last(&self, src: u32) -> Option<&PacketInfo> {
        self.0.get(&(src as i32))
    }
}

impl PacketInfos {
    /// None yet.
    pub fn new() -> PacketInfos {
        PacketInfos::default()
    }

    /// A new info for a packet from `src` to `dst` (`create_packet_info`).
    pub fn create(&mut self, src: &PgInterface, dst: &PgInterface) -> PacketInfo {
        self.create_for(src.sw_if_index(), dst.sw_if_index(), dst.sw_if_index())
    }

    /// The same by `sw_if_index`, counting the packet under `count_as` (a
    /// sub-interface's packets count under its parent).
    pub fn create_for(&mut self, src: u32, dst: u32, count_as: u32) -> PacketInfo {
        let info = PacketInfo {
            index: self.infos.len() as i32,
            src: src as i32,
            dst: dst as i32,
            ip: -1,
            proto: -1,
        };
        *self.counts.entry(count_as).or_insert(0) += 1;
        self.infos.push(info);
        info
    }

    /// Records a change the test made to an info (its `ip`, `proto`).
    pub fn update(&mut self, info: PacketInfo) {
        if let Some(i) = self.infos.get_mut(info.index as usize) {
            *i = info;
        }
    }

    /// How many packets are expected out of this `sw_if_index`.
    pub fn count_for(&self, sw_if_index: u32) -> usize {
        self.counts.get(&sw_if_index).copied().unwrap_or(0)
    }

    /// The info of this index.
    pub fn get(&self, index: i32) -> Option<&PacketInfo> {
        usize::try_from(index).ok().and_then(|i| self.infos.get(i))
    }

    /// The info after `after` (the first for None) (`get_next_packet_info`).
    pub fn next(&self, after: Option<&PacketInfo>) -> Option<PacketInfo> {
        let i = after.map_or(0, |a| a.index as usize + 1);
        self.infos.get(i).copied()
    }

    /// The next info sent into `src` (`get_next_packet_info_for_interface`).
    pub fn next_for_interface(&self, src: u32, after: Option<&PacketInfo>) -> Option<PacketInfo> {
        let mut cur = after.copied();
        loop {
            let n = self.next(cur.as_ref())?;
            if n.src == src as i32 {
                return Some(n);
            }
            cur = Some(n);
        }
    }

    /// The next info sent into `src` for `dst` (`..._for_interface2`).
    pub fn next_for_interface2(
        &self,
        src: u32,
        dst: u32,
        after: Option<&PacketInfo>,
    ) -> Option<PacketInfo> {
        let mut cur = after.copied();
        loop {
            let n = self.next_for_interface(src, cur.as_ref())?;
            if n.dst == dst as i32 {
                return Some(n);
            }
            cur = Some(n);
        }
    }

    /// Keeps the packet an info stands for, as sent (`info.data = p.copy()`).
    pub fn set_data(&mut self, info: &PacketInfo, p: Packet) {
        self.data.insert(info.index, p);
    }

    /// The packet the info of this index stands for.
    pub fn data(&self, index: i32) -> Option<&Packet> {
        self.data.get(&index)
    }

    /// The next info from `src` to `dst` after the last one `cursor` holds
    /// for `src`, which it then holds (`last_info[src] =
    /// get_next_packet_info_for_interface2(src, dst, last_info[src])`).
    pub fn next_in(&self, cursor: &mut InfoCursor, src: u32, dst: u32) -> Option<PacketInfo> {
        let key = src as i32;
        let next = self.next_for_interface2(src, dst, cursor.0.get(&key));
        match next {
            Some(n) => cursor.0.insert(key, n),
            None => cursor.0.remove(&key),
        };
        next
    }

    /// Checks a packet captured on `dst` as VPP's suites do: its info says
    /// `dst`, and is the next one expected from its source. Returns the
    /// info and the packet it stands for.
    #[track_caller]
    pub fn expect_next(
        &self,
        cursor: &mut InfoCursor,
        p: &Packet,
        dst: u32,
    ) -> asf_core::case::TestResult<(PacketInfo, &Packet)> {
        let info = PacketInfo::of(p)?;
        assert_eq!(
            info.dst, dst as i32,
            "the packet's info names another output"
        );
        let next = self
            .next_in(cursor, info.src as u32, dst)
            .ok_or_else(|| format!("no packet info left from {} to {dst}", info.src))?;
        assert_eq!(info.index, next.index, "packets arrived out of order");
        let data = self
            .data(next.index)
            .ok_or_else(|| format!("no packet kept for info {}", next.index))?;
        Ok((info, data))
    }

    /// Forgets every info (`reset_packet_infos`).
    pub fn reset(&mut self) {
        *self = PacketInfos::default();
    }
}

/// Pads the packet's `Raw` payload with `padding` so that the frame, with
/// its 4-byte FCS, is `size` bytes (`extend_packet`); a larger packet is
/// left as it is.
pub fn extend_packet(p: &mut Packet, size: usize, padding: &[u8]) {
    let len = p.len() + 4;
    if size <= len || padding.is_empty() {
        return;
    }
    let extend = size - len;
    if let Some(raw) = p.get_mut::<Raw>() {
        raw.load
            .extend(padding.iter().copied().cycle().take(extend));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_are_pythons_struct_pack_iiiih() {
        let info = PacketInfo {
            index: 0,
            src: 1,
            dst: 2,
            ip: -1,
            proto: -1,
        };
        let p = info.to_payload();
        assert_eq!(
            p,
            [0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(
            PacketInfo::from_payload(&[&p[..], b"tail"].concat()),
            Ok(info)
        );
        assert_eq!(PacketInfo::from_payload(&p[..17]), Err(BadInfo::Short(17)));
        let mut big = p.clone();
        big[0..4].copy_from_slice(&0x4001i32.to_le_bytes());
        assert_eq!(PacketInfo::from_payload(&big), Err(BadInfo::Index(0x4001)));
    }

    #[test]
    fn infos_count_by_output_and_iterate_by_interface() {
        let mut infos = PacketInfos::new();
        let a = infos.create_for(1, 2, 2);
        let b = infos.create_for(2, 1, 1);
        let c = infos.create_for(1, 3, 3);
        assert_eq!((a.index, b.index, c.index), (0, 1, 2));
        assert_eq!(infos.count_for(2), 1);
        assert_eq!(infos.next(None), Some(a));
        assert_eq!(infos.next(Some(&c)), None);
        assert_eq!(infos.next_for_interface(1, Some(&a)), Some(c));
        assert_eq!(infos.next_for_interface2(1, 3, None), Some(c));
        assert_eq!(infos.next_for_interface2(2, 3, None), None);
    }

    #[test]
    fn a_cursor_walks_each_source_in_order_and_finds_the_packet_sent() {
        use asf_packet::{Ether, Ipv4, Udp};
        let mut infos = PacketInfos::new();
        let mut sent = Vec::new();
        for src in [1, 2, 1] {
            let info = infos.create_for(src, 3, 3);
            let p = Ether::default()
                / Ipv4::default()
                / Udp::new(src as u16, 9)
                / Raw::new(info.to_payload());
            infos.set_data(&info, p.clone());
            sent.push(p);
        }
        let mut cursor = InfoCursor::default();
        // From 1: index 0 then 2; from 2: index 1.
        let (i, p) = infos
            .expect_next(&mut cursor, &Packet::ether(&sent[0].build()), 3)
            .unwrap();
        assert_eq!((i.index, p.expect::<Udp>().sport), (0, 1));
        assert_eq!(
            infos.expect_next(&mut cursor, &sent[1], 3).unwrap().0.index,
            1
        );
        assert_eq!(cursor.last(1).map(|i| i.index), Some(0));
        assert_eq!(
            infos.expect_next(&mut cursor, &sent[2], 3).unwrap().0.index,
            2
        );
        assert_eq!(
            infos.next_in(&mut cursor, 1, 3),
            None,
            "nothing more from 1"
        );
        assert_eq!(cursor.last(1), None, "and the cursor starts over");
    }

    #[test]
    #[should_panic(expected = "packets arrived out of order")]
    fn a_packet_out_of_order_fails_the_check() {
        use asf_packet::Ether;
        let mut infos = PacketInfos::new();
        let a = infos.create_for(1, 3, 3);
        let b = infos.create_for(1, 3, 3);
        infos.set_data(&a, Ether::default() / Raw::new(a.to_payload()));
        infos.set_data(&b, Ether::default() / Raw::new(b.to_payload()));
        let second = Ether::default() / Raw::new(b.to_payload());
        let _ = infos.expect_next(&mut InfoCursor::default(), &second, 3);
    }

    #[test]
    fn extend_packet_pads_the_payload_to_size_less_the_fcs() {
        use asf_packet::{Ether, Ipv4, Udp};
        let mut p = Ether::default() / Ipv4::default() / Udp::default() / Raw::new(b"x");
        extend_packet(&mut p, 128, b" ");
        assert_eq!(p.len(), 124);
        assert!(p.expect::<Raw>().load.ends_with(b"   "));
        extend_packet(&mut p, 64, b" ");
        assert_eq!(p.len(), 124, "never shortened");
    }
}
