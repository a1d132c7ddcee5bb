//! The vocabulary's generated decoders: arbitrary bytes never make one
//! panic, and what one decodes encodes to bytes that decode and encode to
//! themselves (the first encoding may differ from the input: a fixed-width
//! string that fills its field loses its last byte to the NUL, as in VPP).

use asf_core::api::codec::{Reader, Writer};
use asf_core::api::message::Message;
use asf_vocab::api::interface::{SwInterfaceDetails, SwInterfaceEvent};
use asf_vocab::api::ip::{IpAddressDetails, IpRouteDetails};
use asf_vocab::api::l2::BridgeDomainDetails;
use proptest::prelude::*;

fn encode<M: Message>(m: &M) -> Vec<u8> {
    let mut w = Writer::new();
    m.encode(&mut w);
    w.into_bytes()
}

/// Decodes `bytes` as `M`; if that works, its encoding must be a fixed
/// point of decoding and encoding.
fn round_trip<M: Message + std::fmt::Debug>(bytes: &[u8]) {
    if let Ok(m) = M::decode(&mut Reader::new(bytes)) {
        let first = encode(&m);
        let again = M::decode(&mut Reader::new(&first))
            .unwrap_or_else(|e| panic!("{}: {m:?} encodes to what it cannot decode: {e}", M::NAME));
        assert_eq!(encode(&again), first, "{}: {again:?}", M::NAME);
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_a_decoder(bytes in prop::collection::vec(any::<u8>(), 0..900)) {
        round_trip::<SwInterfaceDetails>(&bytes);
        round_trip::<SwInterfaceEvent>(&bytes);
        round_trip::<IpAddressDetails>(&bytes);
        round_trip::<IpRouteDetails>(&bytes);
        round_trip::<BridgeDomainDetails>(&bytes);
    }
}
