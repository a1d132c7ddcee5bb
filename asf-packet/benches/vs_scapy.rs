//! asf-packet against scapy on the same machine, in the same run: building
//! and writing 10,000 Ether/IPv4/UDP/Raw packets to a pcap file, and
//! reading and dissecting a 10,000-packet capture. Prints each time and
//! the ratio (the target is at least 50x).
//!
//! `cargo bench -p asf-packet --bench vs_scapy`

#[path = "../tests/common/scapy.rs"]
mod scapy;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use asf_packet::pcap::{self, LinkType};
use asf_packet::{mac, Ether, Ipv4, Packet, Raw, Udp};

const N: usize = 10_000;

fn best_of(rounds: usize, mut f: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn build_and_write(path: &Path) {
    let (src, dst) = (mac("02:01:00:00:ff:02"), mac("02:fe:00:00:00:01"));
    let (a, b) = ("172.16.1.2".parse().unwrap(), "172.16.2.2".parse().unwrap());
    let packets: Vec<Packet> = (0..N)
        .map(|i| {
            Ether::new(src, dst)
                / Ipv4::new(a, b)
                / Udp::new(1000 + (i % 1000) as u16, 5678)
                / Raw::new([b'x'; 100])
        })
        .collect();
    pcap::write(path, LinkType::Ethernet, &packets).unwrap();
}

fn read_and_dissect(path: &Path) -> u64 {
    pcap::read(path)
        .unwrap()
        .packets()
        .iter()
        .map(|p| u64::from(p.expect::<Udp>().dport))
        .sum()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("asf.pcap");
    let theirs = dir.path().join("scapy.pcap");
    let build = best_of(5, || build_and_write(&ours));
    let mut sum = 0;
    let read = best_of(5, || sum = read_and_dissect(&ours));
    assert_eq!(sum, 5678 * N as u64);
    println!(
        "asf-packet: build + write {N} packets {:.1} ms, read + dissect {:.1} ms",
        ms(build),
        ms(read)
    );
    let Some(py) = scapy::scapy_python() else {
        println!("no scapy: no ratio");
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/scapy_bench.py");
    let out = Command::new(py)
        .arg(script)
        .args([&N.to_string(), "3"])
        .arg(&theirs)
        .arg(&ours)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let (sb, sr) = (v["build"].as_f64().unwrap(), v["read"].as_f64().unwrap());
    println!(
        "{}: build + write {N} packets {:.1} ms, read + dissect {:.1} ms",
        scapy::SCAPY,
        sb * 1e3,
        sr * 1e3
    );
    println!(
        "ratio (scapy / asf): build + write {:.0}x, read + dissect {:.0}x",
        sb / build.as_secs_f64(),
        sr / read.as_secs_f64()
    );
    // scapy reads asf's file and asf reads scapy's: the same packets.
    assert_eq!(read_and_dissect(&theirs), 5678 * N as u64);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
