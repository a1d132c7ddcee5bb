"""Drives fake-vpp with VPP's own Python client, vpp_papi.

Usage: papi_client.py <api.sock> <api dir> <mode> [count]
  mode "check": calls show_version, cli_inband, create_loopback and
               sw_interface_dump, and prints one JSON object with the results.
  mode "bench": times <count> control_ping and <count> cli_inband round trips,
               prints {"control_ping": per_second, "cli_inband": per_second}.
"""

import glob
import json
import sys
import time

from vpp_papi import VPPApiClient


def main():
    sock, apidir, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    files = sorted(f for d in apidir.split(":") for f in glob.glob(f"{d}/**/*.api.json", recursive=True))
    vpp = VPPApiClient(apifiles=files, server_address=sock, use_socket=True)
    vpp.connect("papi-check")
    try:
        if mode == "check":
            v = vpp.api.show_version()
            cli = vpp.api.cli_inband(cmd="show version")
            lo = vpp.api.create_loopback(mac_address="02:00:00:00:00:2a")
            ifs = vpp.api.sw_interface_dump(name_filter_valid=True, name_filter="loop")
            print(json.dumps({
                "program": v.program,
                "version": v.version,
                "cli_retval": cli.retval,
                "cli_reply": cli.reply,
                "loopback_retval": lo.retval,
                "loopback": lo.sw_if_index,
                "interfaces": [
                    {"sw_if_index": i.sw_if_index, "name": i.interface_name,
                     "dev_type": i.interface_dev_type, "mac": str(i.l2_address)}
                    for i in ifs
                ],
            }))
        elif mode == "bench":
            n = int(sys.argv[4])
            t = time.perf_counter()
            for _ in range(n):
                vpp.api.control_ping()
            ping = n / (time.perf_counter() - t)
            t = time.perf_counter()
            for _ in range(n):
                vpp.api.cli_inband(cmd="show version")
            cli = n / (time.perf_counter() - t)
            print(json.dumps({"control_ping": ping, "cli_inband": cli}))
        else:
            raise SystemExit(f"unknown mode {mode}")
    finally:
        vpp.disconnect()


if __name__ == "__main__":
    main()
