//! The check VPP's L2 suites make of a capture (not a suite: shared by
//! `test_l2xc`, `test_l2_fib`, `test_l2bd`, `test_l2bd_multi_instance`,
//! `test_ip4_vrf_multi_instance`):
//! every packet is the next one expected from its source, with the
//! addresses and ports it was sent with.

use asf_core::packet::{Ipv4, Packet, Udp};
use asf_core::TestResult;
use asf_vocab::pg::{InfoCursor, PacketInfos};

/// Checks the packets captured on `dst` against `infos`; logs a packet
/// that fails, as the originals do. Returns where the check stands.
pub fn verify_ip4_udp_capture(
    dst: u32,
    capture: &[Packet],
    infos: &PacketInfos,
) -> TestResult<InfoCursor> {
    let mut cursor = InfoCursor::default();
    for p in capture {
        let mut check = || -> TestResult {
            let ip = p.get::<Ipv4>().ok_or("no IP layer")?;
            let udp = p.get::<Udp>().ok_or("no UDP layer")?;
            let (_, saved) = infos.expect_next(&mut cursor, p, dst)?;
            let invalid = || format!("Unexpected or invalid packet:\n{}", p.show());
            assert_eq!(ip.src, saved.expect::<Ipv4>().src, "{}", invalid());
            assert_eq!(ip.dst, saved.expect::<Ipv4>().dst, "{}", invalid());
            assert_eq!(udp.sport, saved.expect::<Udp>().sport, "{}", invalid());
            assert_eq!(udp.dport, saved.expect::<Udp>().dport, "{}", invalid());
            Ok(())
        };
        if let Err(e) = check() {
            tracing::error!("Unexpected or invalid packet:\n{}", p.show());
            return Err(e);
        }
    }
    Ok(cursor)
}
