//! IP fragmentation and reassembly as VPP's tests do them
//! (`fragment_rfc791`, `fragment_rfc8200`, `reassemble4` and
//! `reassemble4_ether` of its `util.py`).

use crate::{Ether, Fragment, Ipv4, Ipv6, Layer, Link, Packet};

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

/// Why an IPv6 packet cannot be fragmented (`fragment_rfc8200`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fragment6Error {
    /// There is no IPv6 header.
    #[error("no IPv6 header to fragment")]
    NoIpv6,
    /// It has a fragment header already.
    #[error("already fragmented")]
    AlreadyFragmented,
    /// Nothing but extension headers follow the IPv6 header.
    #[error("upper layer header not found in IPv6 packet")]
    NoUpperLayer,
    /// The headers every fragment repeats leave no room for payload.
    #[error("cannot fragment this packet - MTU too small ({headers} bytes of headers, fragments of {fragsize})")]
    TooSmall {
        /// The fragment size asked for.
        fragsize: usize,
        /// What a fragment needs before any payload.
        headers: usize,
    },
}

fn is_ext(l: &Layer) -> bool {
    matches!(
        l,
        Layer::HopByHop(_)
            | Layer::DestOpts(_)
            | Layer::Routing(_)
            | Layer::Srh(_)
            | Layer::Fragment(_)
    )
}

/// Fragments the first IPv6 header of `p` into fragments of at most
/// `fragsize` bytes (counting an Ethernet header), with `identification`,
/// as VPP's `fragment_rfc8200` does: the IPv6 header, and a hop-by-hop or
/// routing header when there is one, are repeated in every fragment; the
/// rest is cut in multiples of 8 bytes; a packet that fits comes back
/// alone, rebuilt. Byte for byte VPP's helper's fragments where it works;
/// where it fails (a hop-by-hop or routing header, whose next header it
/// leaves pointing past the fragment header, so that its own rebuild finds
/// no fragment header), the last repeated header announces the fragment
/// header and the fragment header carries its old next header, as RFC
/// 8200 says.
pub fn fragment_rfc8200(
    p: &Packet,
    identification: u32,
    fragsize: usize,
) -> Result<Vec<Packet>, Fragment6Error> {
    let link = match p.layers().first() {
        Some(Layer::Ipv6(_)) => Link::Ipv6,
        _ => Link::Ethernet,
    };
    let p = Packet::dissect(&p.build(), link);
    if p.len() <= fragsize {
        return Ok(vec![p]);
    }
    let layers = p.layers();
    let ipv6_nr = layers
        .iter()
        .position(|l| matches!(l, Layer::Ipv6(_)))
        .ok_or(Fragment6Error::NoIpv6)?;
    let (mut routing, mut hop_by_hop, mut upper) = (None, None, None);
    for (i, l) in layers.iter().enumerate().skip(ipv6_nr + 1) {
        match l {
            // ignore 2nd IPv6 header and everything below..
            Layer::Ipv6(_) => break,
            Layer::Fragment(_) => return Err(Fragment6Error::AlreadyFragmented),
            Layer::Routing(_) => routing = Some(i),
            Layer::HopByHop(_) => hop_by_hop = Some(i),
            l if upper.is_none() && !is_ext(l) => upper = Some(i),
            _ => {}
        }
    }
    upper.ok_or(Fragment6Error::NoUpperLayer)?;
    let last = routing.or(hop_by_hop).unwrap_or(ipv6_nr);
    let mut per_fragment = Packet::from_layers(layers[..=last].to_vec());
    if let Some(h) = per_fragment.get_mut::<Ipv6>() {
        h.plen = None;
    }
    // The last repeated header's next header moves to the fragment header.
    let orig_nh = match per_fragment.layers_mut().last_mut() {
        Some(Layer::Ipv6(h)) => h.nh.take(),
        Some(Layer::HopByHop(h)) => h.nh.take(),
        Some(Layer::Routing(h)) => h.nh.take(),
        _ => None,
    };
    let rest = Packet::from_layers(layers[last + 1..].to_vec());
    let hex_payload = rest.build();
    let first_header = hex_payload.len()
        - Packet::from_layers(layers[last + 2..].to_vec())
            .build()
            .len();
    let with_frag = |offset: u16, m: bool, data: &[u8]| -> Packet {
        let p = per_fragment.clone()
            / Fragment {
                nh: orig_nh,
                offset,
                m,
                id: identification,
                ..Fragment::default()
            }
            / crate::Raw::new(data);
        Packet::dissect(&p.build(), link)
    };
    let head = with_frag(0, true, &[]).len();
    if head + first_header > fragsize {
        return Err(Fragment6Error::TooSmall {
            fragsize,
            headers: head + first_header,
        });
    }
    let nfb = (fragsize - head) / 8;
    if nfb == 0 {
        return Err(Fragment6Error::TooSmall {
            fragsize,
            headers: head,
        });
    }
    let mut out = Vec::new();
    let mut offset = 0;
    while offset < hex_payload.len() {
        let end = (offset + nfb * 8).min(hex_payload.len());
        let last_one = end == hex_payload.len();
        out.push(with_frag(
            (offset / 8) as u16,
            !last_one,
            &hex_payload[offset..end],
        ));
        offset = end;
    }
    Ok(out)
}
