"""Reads a stats segment with VPP's own Python reader, vpp_papi.VPPStats.

Usage: stats_client.py <stats.sock> check        -> every entry as JSON
       stats_client.py <stats.sock> bench <n>    -> seconds for n full dumps
"""

import json
import sys
import time

from vpp_papi.vpp_stats import VPPStats


def plain(v):
    """VPPStats values as plain JSON (lists, numbers, strings)."""
    if isinstance(v, (int, float, str)) or v is None:
        return v
    if isinstance(v, tuple):
        return [plain(x) for x in v]
    if isinstance(v, list):
        return [plain(x) for x in v]
    if hasattr(v, "bins"):
        return {"min_exp": v.min_exp, "bins": v.bins}
    return repr(v)


def main():
    sock, mode = sys.argv[1], sys.argv[2]
    stats = VPPStats(socketname=sock, timeout=5)
    stats.connect()
    try:
        names = stats.ls([""])
        if mode == "check":
            print(json.dumps({k: plain(v) for k, v in stats.dump(names).items()}))
        elif mode == "bench":
            n = int(sys.argv[3])
            t = time.perf_counter()
            for _ in range(n):
                stats.dump(stats.ls([""]))
            print(json.dumps({"seconds": time.perf_counter() - t, "entries": len(names)}))
    finally:
        stats.disconnect()


if __name__ == "__main__":
    main()
