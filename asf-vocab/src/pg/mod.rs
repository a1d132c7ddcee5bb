//! Packet-generator (pg) interfaces and the traffic through them: what
//! VPP's `framework.py`, `vpp_pg_interface.py` and `vpp_interface.py` give
//! a Python packet test.
//!
//! A class creates its pg interfaces once ([`create_interfaces`], usually
//! in `set_up_class`); any test gets them back with [`interfaces`]. A test
//! writes packets ([`crate::packet`]) into an interface as a stream, starts
//! the generator, and reads what VPP wrote on the others:
//!
//! ```ignore
//! let [pg0, pg1] = pg::interfaces(t)?.try_into().unwrap();
//! let p = Ether::new(pg0.remote_mac(), pg0.local_mac())
//!     / Ipv4::new(pg0.remote_ip4(), pg1.remote_ip4())
//!     / Udp::new(1234, 1234)
//!     / Raw::new(b"x");
//! let rx = pg::send_and_expect(t, &pg0, &[p], &pg1)?;
//! ```
//!
//! Files are those of VPP's framework, in the class temp dir:
//! `pg<N>_in.pcap` (a stream), `pg<N>_out.pcap` (a capture). A capture that
//! is not what the test expected is kept, with a decoded text beside it,
//! and the error names both.

mod info;
mod interface;
mod sub;
mod traffic;

pub use info::{extend_packet, InfoCursor, PacketInfo, PacketInfos};
pub use interface::{
    create_bvi_interfaces, create_interfaces, create_interfaces_with, interface, interface_of,
    interfaces, Host, PgConfig, PgInterface, PgMode, RaConfig, RaPrefix,
};
pub use sub::{add_tag, remove_tag, SubInterface, Tags, Vtr, VtrOp, DOT1AD_TYPE, DOT1Q_TYPE};
pub use traffic::{
    bind_udp_dport, enable_capture, is_ipv6_misc, past_resolution_throttle, pg_send,
    send_and_assert_no_replies, send_and_assert_no_replies_with, send_and_expect,
    send_and_expect_load_balancing, send_and_expect_multi, send_and_expect_only,
    send_and_expect_some, send_and_expect_with, start, start_with, CaptureError, Expect, Filter,
    Send, SendOptions,
};
