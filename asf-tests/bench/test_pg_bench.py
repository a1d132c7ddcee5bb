#!/usr/bin/env python3
"""VPP's framework's side of asf's send_and_expect benchmark
(asf-tests/tests/suites/asf_pg_bench.rs): the median time of one
send_and_expect through an L2 cross-connect, of 1 and of 257 packets, 30
calls each. Copy it into VPP's test/ directory and run it with VPP's
test/scripts/run.sh (--filter=test_pg_bench); the medians go to the log and,
with ASF_BENCH_OUT=<file>, to that file as JSON lines."""

import json
import os
import time
import unittest

from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether
from scapy.packet import Raw

from asfframework import VppTestRunner
from framework import VppTestCase

CALLS = 30


class TestPgBench(VppTestCase):
    """send_and_expect timing"""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_pg_interfaces(range(2))
        for rx, tx in ((0, 1), (1, 0)):
            cls.vapi.sw_interface_set_l2_xconnect(
                cls.pg_interfaces[rx].sw_if_index,
                cls.pg_interfaces[tx].sw_if_index,
                enable=1,
            )
        for i in cls.pg_interfaces:
            i.admin_up()

    def packets(self, n):
        return [
            Ether(src=self.pg0.remote_mac, dst=self.pg1.remote_mac)
            / IP(src=self.pg0.remote_ip4, dst=self.pg1.remote_ip4)
            / UDP(sport=1234, dport=1234 + i)
            / Raw(b"x" * 100)
            for i in range(n)
        ]

    def time(self, n):
        times = []
        for _ in range(CALLS):
            started = time.perf_counter()
            rx = self.send_and_expect(self.pg0, self.packets(n), self.pg1)
            self.assertEqual(len(rx), n)
            times.append(time.perf_counter() - started)
        times.sort()
        median = times[CALLS // 2]
        self.logger.info(
            "send_and_expect of %d packets: median %.2f ms over %d calls"
            % (n, median * 1e3, CALLS)
        )
        out = os.environ.get("ASF_BENCH_OUT")
        if out:
            with open(out, "a") as f:
                f.write(
                    json.dumps({"framework": "python", "packets": n, "median_s": median})
                    + "\n"
                )

    def test_one(self):
        """one packet per call"""
        self.time(1)

    def test_257(self):
        """257 packets per call"""
        self.time(257)


if __name__ == "__main__":
    unittest.main(testRunner=VppTestRunner)
