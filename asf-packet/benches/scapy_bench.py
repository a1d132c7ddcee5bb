"""scapy's half of asf-packet's benchmark: N Ether/IP/UDP/Raw packets built
and written to a pcap, and a pcap of N packets read and dissected; prints
the best times of ROUNDS, in seconds, as JSON."""
import json
import sys
import time

from scapy.all import IP, UDP, Ether, Raw, rdpcap, wrpcap

n, rounds, out, inp = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
build = read = float("inf")
for _ in range(rounds):
    t = time.perf_counter()
    pkts = [Ether(src="02:01:00:00:ff:02", dst="02:fe:00:00:00:01")
            / IP(src="172.16.1.2", dst="172.16.2.2")
            / UDP(sport=1000 + i % 1000, dport=5678)
            / Raw(b"x" * 100) for i in range(n)]
    wrpcap(out, pkts)
    build = min(build, time.perf_counter() - t)
    t = time.perf_counter()
    ports = sum(p[UDP].dport for p in rdpcap(inp))
    read = min(read, time.perf_counter() - t)
    assert ports == 5678 * n, ports
print(json.dumps({"build": build, "read": read}))
