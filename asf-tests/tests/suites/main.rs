//! The VPP test suites: one file per suite, each a class module marked
//! `#[vpp_test]`. Run with `cargo test -p asf-tests`; see the README.
#![forbid(unsafe_code)]

/// Typed messages of the VPP API the suites use beyond asf-core's own,
/// generated from `asf-tests/api` by `build.rs`.
#[expect(
    dead_code,
    reason = "generated bindings: the suites send only some of the messages"
)]
mod api {
    include!(concat!(env!("OUT_DIR"), "/vpp_api.rs"));
}

mod asf_api;
mod asf_cli;
mod asf_helpers;
mod asf_host;
mod asf_interface;
mod asf_sockets;
mod asf_solo;
mod asf_stats;
mod asf_workers;
mod bench_pg;
mod flows;
mod ip_shared;
mod lib_objects;
mod lib_pg;
mod test_acl_plugin;
mod test_adl;
mod test_api_client;
mod test_api_trace;
mod test_arping;
mod test_auto_sdl;
mod test_bihash;
mod test_buffers;
mod test_classifier;
mod test_cli;
mod test_counters;
mod test_crypto;
mod test_endian;
mod test_fib;
mod test_gre;
mod test_http;
mod test_http_static;
mod test_ip4;
mod test_ip4_irb;
mod test_ip4_vrf_multi_instance;
mod test_ip6;
mod test_ip_ecmp;
mod test_l2_fib;
mod test_l2bd;
mod test_l2bd_multi_instance;
mod test_l2xc;
mod test_lb_api;
mod test_mactime;
mod test_mpcap;
mod test_mpls;
mod test_mtu;
mod test_neighbor;
mod test_offload;
mod test_perfmon;
mod test_pg;
mod test_ping;
mod test_policer;
mod test_prom;
mod test_quic;
mod test_session;
mod test_session_sdl;
mod test_span;
mod test_sparse_vec;
mod test_string;
mod test_tap;
mod test_tcp;
mod test_time;
mod test_tls;
mod test_util;
mod test_vapi;
mod test_vcl;
mod test_vhost;
mod test_virtio;
mod test_vpe_api;
mod test_vppinfra;
mod test_vxlan;
mod vpp_objects;

fn main() -> std::process::ExitCode {
    asf_core::main()
}
