//! IPv4 fragmentation and reassembly as VPP's tests do them
//! (`fragment_rfc791`, `reassemble4` and `reassemble4_ether` of its
//! `util.py`).

use crate::{Ether, Ipv4, Layer, Link, Packet};

/// Why a packet cannot be fragmented.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FragmentError {
    /// There is no IPv4 header.
    #[error("no IPv4 header to fragment")]
    NoIpv4,
    /// IPv4 options are not supported (as in VPP's helper).
    #[error("fragmenting an IPv4 header with options is not implemented")]
    Options,
    /// Not even 8 bytes of payload fit in a fragment.
    #[error(
        "a fragment of {fragsize} bytes has no room for payload after {headers} bytes of headers"
    )]
    TooSmall {
        /// The fragment size asked for.
        fragsize: usize,
        /// The bytes up to the end of the IPv4 header.
        headers: usize,
    },
}

/// The link a packet starts with: Ethernet, or IPv4.
fn link_of(p: &Packet) -> Link {
    match p.layers().first() {
        Some(Layer::Ipv4(_)) => Link::Ipv4,
        _ => Link::Ethernet,
    }
}

fn ipv4_mut(p: &mut Packet) -> &mut Ipv4 {
    p.get_mut::<Ipv4>().expect("checked to have an IPv4 header")
}

/// Fragments the first IPv4 header of `p` so that no fragment is longer
/// than `fragsize` bytes, counting what comes before the IPv4 header (an
/// Ethernet header), per RFC 791. Each fragment but the last has MF set
/// and the other flags cleared; the last keeps the packet's flags. A packet
/// that fits comes back alone, rebuilt.
pub fn fragment_rfc791(p: &Packet, fragsize: usize) -> Result<Vec<Packet>, FragmentError> {
    let link = link_of(p);
    // Every length and checksum computed, as the packet would be sent.
    let p = Packet::dissect(&p.build(), link);
    let ip = p.get::<Ipv4>().ok_or(FragmentError::NoIpv4)?;
    if !ip.options.is_empty() {
        return Err(FragmentError::Options);
    }
    let bytes = p.build();
    if bytes.len() <= fragsize {
        return Ok(vec![p]);
    }
    let ip_part = p
        .from_layer::<Ipv4>()
        .ok_or(FragmentError::NoIpv4)?
        .build()
        .len();
    let headers = bytes.len() - ip_part + 20;
    let nfb = fragsize.saturating_sub(headers) / 8;
    if nfb == 0 {
        return Err(FragmentError::TooSmall { fragsize, headers });
    }
    let otl = usize::from(ip.len.unwrap_or(ip_part as u16));
    let fo = ip.frag;
    let (head, payload) = bytes.split_at(headers);
    let cut = (nfb * 8).min(payload.len());

    let mut first = Packet::dissect(&[head, &payload[..cut]].concat(), link);
    let h = ipv4_mut(&mut first);
    h.flags = Ipv4::MF;
    h.frag = fo;
    h.len = Some((20 + nfb * 8) as u16);
    h.chksum = None;
    let first = Packet::dissect(&first.build(), link);

    let mut rest = Packet::dissect(&[head, &payload[cut..]].concat(), link);
    let h = ipv4_mut(&mut rest);
    h.len = Some(otl.saturating_sub(nfb * 8) as u16);
    h.frag = fo + nfb as u16;
    h.chksum = None;

    let mut out = vec![first];
    out.extend(fragment_rfc791(&rest, fragsize)?);
    Ok(out)
}

/// The IPv4 payload of the fragments put together at their offsets, under
/// the first fragment's header with MF cleared and the length and checksum
/// recomputed (`reassemble4`): the IPv4 packet.
pub fn reassemble4(fragments: &[Packet]) -> Option<Packet> {
    let (ip, payload) = reassembled(fragments)?;
    Some(Packet::dissect(
        &(Packet::from(ip) / crate::Raw::new(payload)).build(),
        Link::Ipv4,
    ))
}

/// The same under the first fragment's Ethernet header
/// (`reassemble4_ether`).
pub fn reassemble4_ether(fragments: &[Packet]) -> Option<Packet> {
    let eth: Ether = fragments.first()?.get::<Ether>()?.clone();
    let (ip, payload) = reassembled(fragments)?;
    Some(Packet::ether(
        &(Packet::from(eth) / ip / crate::Raw::new(payload)).build(),
    ))
}

fn reassembled(fragments: &[Packet]) -> Option<(Ipv4, Vec<u8>)> {
    let mut buf: Vec<u8> = Vec::new();
    for f in fragments {
        let at = usize::from(f.get::<Ipv4>()?.frag) * 8;
        let data = f.payload_of::<Ipv4>()?;
        if buf.len() < at + data.len() {
            buf.resize(at + data.len(), 0);
        }
        buf[at..at + data.len()].copy_from_slice(&data);
    }
    let mut ip = fragments.first()?.get::<Ipv4>()?.clone();
    ip.ihl = None;
    ip.options.clear();
    ip.len = None;
    ip.flags = 0;
    ip.frag = 0;
    ip.chksum = None;
    Some((ip, buf))
}
