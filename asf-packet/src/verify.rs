//! Checksum verification as VPP's framework does it
//! (`assert_packet_checksums_valid`): every checksum of the packet,
//! quoted packets included, against the value a rebuild computes.

use crate::layer::Layer;
use crate::packet::{Link, Packet};

/// A checksum that is not what the packet's bytes give.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("packet checksum on layer #{index}: {layer}: {field} is {got:#06x}, the packet's bytes give {want:#06x}")]
pub struct BadChecksum {
    /// Index of the layer, outermost 0.
    pub index: usize,
    /// The layer's name.
    pub layer: &'static str,
    /// The checksum field's name.
    pub field: &'static str,
    /// The checksum in the packet.
    pub got: u16,
    /// The checksum computed.
    pub want: u16,
}

impl Packet {
    /// Checks every checksum of the packet (IPv4, ICMP, ICMPv6, UDP, TCP,
    /// GRE; in an ICMP error's quoted packet too) as VPP's framework's
    /// `assert_packet_checksums_valid` does: the packet is rebuilt with
    /// them unset and each compared with the value computed. A zero UDP
    /// checksum ("none") passes when `ignore_zero_udp` is set (VPP's
    /// default).
    pub fn verify_checksums(&self, ignore_zero_udp: bool) -> Result<(), BadChecksum> {
        let link = match self.layers().first() {
            Some(Layer::Ipv4(_)) => Link::Ipv4,
            Some(Layer::Ipv6(_)) => Link::Ipv6,
            _ => Link::Ethernet,
        };
        let received = self.rebuilt();
        let mut temp = received.clone();
        let mut cleared = Vec::new();
        for (i, l) in temp.layers_mut().iter_mut().enumerate() {
            let Some((field, value)) = l.checksum() else {
                continue;
            };
            if ignore_zero_udp && matches!(l, Layer::Udp(_)) && value == Some(0) {
                continue;
            }
            l.set_checksum(None);
            cleared.push((i, field));
        }
        if cleared.is_empty() {
            return Ok(());
        }
        let fixed = Packet::dissect(&temp.build(), link);
        for (i, field) in cleared.into_iter().rev() {
            let got = received.layers()[i].checksum().and_then(|(_, v)| v);
            let want = fixed
                .layers()
                .get(i)
                .and_then(Layer::checksum)
                .and_then(|(_, v)| v);
            if let (Some(got), Some(want)) = (got, want) {
                if got != want {
                    return Err(BadChecksum {
                        index: i,
                        layer: received.layers()[i].name(),
                        field,
                        got,
                        want,
                    });
                }
            }
        }
        Ok(())
    }
}
