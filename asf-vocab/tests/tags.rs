//! Tagging through the public API, as a suite builds tagged packets
//! (`_add_tag`/`_remove_tag` of VPP's framework).

use asf_vocab::packet::{Dot1Q, Ether, Ipv4, Packet, Udp};
use asf_vocab::pg::{add_tag, remove_tag, DOT1AD_TYPE, DOT1Q_TYPE};

#[test]
fn a_suite_tags_and_untags_packets() {
    let p = Ether::default() / Ipv4::default() / Udp::new(1, 2);
    let qinq = add_tag(add_tag(p.clone(), 100, DOT1Q_TYPE), 200, DOT1AD_TYPE);
    let wire = Packet::ether(&qinq.build());
    let inner = remove_tag(wire, 200, DOT1AD_TYPE).unwrap();
    assert_eq!(inner.get::<Dot1Q>().map(|t| t.vlan), Some(100));
    let plain = remove_tag(inner, 100, DOT1Q_TYPE).unwrap();
    assert_eq!(plain.build(), Packet::ether(&p.build()).build());
}
