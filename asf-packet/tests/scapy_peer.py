"""scapy's side of asf-packet's interoperability test.

  read IN OUT   dissect the packets of IN (JSON: [{"link", "hex"}]) and write,
                for each, scapy's layers and fields, and its bytes rebuilt with
                every length, checksum and next-protocol field unset
  gen N SEED OUT
                write N random packets built by scapy (JSON: [{"link", "hex",
                "layers"}])
"""
import json
import random
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Dot1AD, Dot1Q, Ether, GRE,
                       ICMPv6DestUnreach, ICMPv6EchoReply, ICMPv6EchoRequest,
                       ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RA, ICMPv6ND_RS, ICMPv6ND_Redirect,
                       ICMPv6NDOptDstLLAddr, ICMPv6NDOptMTU,
                       ICMPv6NDOptPrefixInfo, ICMPv6NDOptSrcLLAddr,
                       ICMPv6PacketTooBig, ICMPv6ParamProblem,
                       ICMPv6TimeExceeded, IPerror, IPerror6, IPv6,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrSegmentRouting, Padding,
                       Raw, RouterAlert, UDPerror, conf)
from scapy.contrib.erspan import ERSPAN
from scapy.contrib.gtp import GTP_U_Header
from scapy.contrib.mpls import MPLS
from scapy.fields import ConditionalField
from scapy.layers.vxlan import VXLAN

conf.verb = 0

# The fields a build fills in when unset, by scapy's class name.
AUTO = {
    "Ether": ["type"], "Dot1Q": ["type"], "Dot1AD": ["type"],
    "ARP": ["hwlen", "plen"],
    "IP": ["ihl", "len", "proto", "chksum"], "IPerror": ["ihl", "len", "proto", "chksum"],
    "IPv6": ["plen", "nh"], "IPerror6": ["plen", "nh"],
    "UDP": ["len", "chksum"], "UDPerror": ["len", "chksum"],
    "TCP": ["dataofs", "chksum"], "TCPerror": ["dataofs", "chksum"],
    "ICMP": ["chksum"], "ICMPerror": ["chksum"],
    "IPv6ExtHdrHopByHop": ["nh", "len"], "IPv6ExtHdrDestOpt": ["nh", "len"],
    "IPv6ExtHdrRouting": ["nh", "len"],
    "IPv6ExtHdrSegmentRouting": ["nh", "len", "lastentry"],
    "IPv6ExtHdrFragment": ["nh"],
    "GRE": ["proto"],
    "GTP_U_Header": ["length"],
}


def auto_fields(layer):
    name = type(layer).__name__
    if name.startswith("ICMPv6NDOpt"):
        return ["len"]
    if name.startswith("ICMPv6"):
        return ["cksum"]
    if name == "GRE" and layer.chksum_present:
        return ["proto", "chksum"]
    if name == "IP" and layer.frag:
        # A fragment after the first: its protocol is not in its raw payload.
        return ["ihl", "len", "chksum"]
    return AUTO.get(name, [])


def value(layer, f, v):
    if v is None:
        return None
    if isinstance(v, (bytes, bytearray)):
        return "hex:" + bytes(v).hex()
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        if v and all(isinstance(x, str) for x in v):
            return v
        return "hex:" + f.addfield(layer, b"", v).hex()
    try:
        return int(v)
    except (TypeError, ValueError):
        return str(v)


def layers_of(p):
    out = []
    layer = p
    while layer is not None and type(layer).__name__ != "NoPayload":
        fields = {}
        for f in layer.fields_desc:
            if isinstance(f, ConditionalField) and not f._evalcond(layer):
                continue
            if f.name == "autopad":
                continue
            fields[f.name] = value(layer, f, layer.getfieldval(f.name))
        out.append({"name": layer.name, "class": type(layer).__name__, "fields": fields})
        layer = layer.payload
    return out


def dissect(link, data):
    if link == "ether":
        return Ether(data)
    return IPv6(data) if data[0] >> 4 == 6 else IP(data)


def read(inp, outp):
    res = []
    for item in json.load(open(inp)):
        data = bytes.fromhex(item["hex"])
        p = dissect(item["link"], data)
        layers = layers_of(p)
        q = dissect(item["link"], data)
        layer = q
        while layer is not None and type(layer).__name__ != "NoPayload":
            for name in auto_fields(layer):
                if name in layer.fields:
                    delattr(layer, name)
            layer = layer.payload
        res.append({"layers": layers, "rebuilt": bytes(q).hex(), "same": bytes(p).hex()})
    json.dump(res, open(outp, "w"))


def rmac(r):
    return "%02x:%02x:%02x:%02x:%02x:%02x" % tuple(r.randrange(256) for _ in range(6))


def rip4(r):
    return "%d.%d.%d.%d" % tuple(r.randrange(256) for _ in range(4))


def rip6(r):
    w = [r.randrange(65536) for _ in range(8)]
    w[0] = 0x2000 | (w[0] & 0x0fff)
    return ":".join("%x" % x for x in w)


def payload(r):
    return Raw(bytes(r.randrange(256) for _ in range(r.randrange(64))) + b"Z")


def ip4(r, depth=0):
    ip = IP(src=rip4(r), dst=rip4(r), ttl=r.randrange(1, 256), id=r.randrange(65536),
            tos=r.randrange(256), flags=r.choice([0, 2]))
    k = r.randrange(7)
    if k == 0:
        return ip / UDP(sport=r.randrange(10000, 30000), dport=r.randrange(10000, 30000)) / payload(r)
    if k == 1:
        opts = [("MSS", r.randrange(500, 9000))] if r.randrange(2) else []
        return ip / TCP(sport=r.randrange(10000, 30000), dport=r.randrange(10000, 30000),
                        seq=r.randrange(2**32), flags=r.randrange(256), options=opts) / payload(r)
    if k == 2:
        return ip / ICMP(type=8, id=r.randrange(65536), seq=r.randrange(65536)) / payload(r)
    if k == 3:
        icmp = r.choice([ICMP(type=3, code=4, nexthopmtu=r.randrange(65536)),
                         ICMP(type=11, code=0), ICMP(type=3, code=r.randrange(16))])
        return ip / icmp / IPerror(src=rip4(r), dst=rip4(r)) / UDPerror(
            sport=r.randrange(10000, 30000), dport=r.randrange(10000, 30000)) / payload(r)
    if k == 4 and depth == 0:
        g = GRE(key_present=1, key=r.randrange(2**32)) if r.randrange(2) else GRE()
        k = r.randrange(3)
        if k == 0:
            g.seqnum_present = 1
            g.sequence_number = r.randrange(2**32)
            e = ERSPAN(ver=r.randrange(16), vlan=r.randrange(1 << 12), cos=r.randrange(8),
                       en=r.randrange(4), t=r.randrange(2), session_id=r.randrange(1 << 10),
                       reserved=r.randrange(1 << 12), index=r.randrange(1 << 20))
            return ip / g / e / Ether(src=rmac(r), dst=rmac(r)) / ip4(r, 1)
        if k == 1:
            return ip / g / Ether(src=rmac(r), dst=rmac(r)) / ip4(r, 1)
        return ip / g / ip4(r, 1)
    if k == 6 and depth == 0:
        # GTP-U: a G-PDU carrying IPv4 or IPv6, or an end marker.
        g = GTP_U_Header(teid=r.randrange(2**32))
        if r.randrange(2):
            g.S = 1
            g.seq = r.randrange(65536)
            g.npdu = r.randrange(256)
        u = UDP(sport=2152, dport=2152)
        k = r.randrange(3)
        if k == 0:
            return ip / u / g / ip4(r, 1)
        if k == 1:
            return ip / u / g / ip6(r)
        g.gtp_type = 254
        return ip / u / g / payload(r)
    if k == 5 and r.randrange(2):
        # A fragment after the first: its payload is raw bytes.
        ip.frag = r.randrange(1, 8192)
        ip.flags = int(ip.flags) | r.choice([0, 1])
        ip.proto = r.choice([1, 6, 17, 47])
        return ip / payload(r)
    return ip / payload(r)


def ip6(r):
    p = IPv6(src=rip6(r), dst=rip6(r), hlim=r.randrange(256), tc=r.randrange(256),
             fl=r.randrange(1 << 20))
    e = r.randrange(5)
    if e == 0:
        p = p / IPv6ExtHdrHopByHop(options=[RouterAlert()])
    elif e == 1:
        p = p / IPv6ExtHdrFragment(id=r.randrange(2**32), m=1)
    elif e == 2:
        segs = [rip6(r) for _ in range(r.randrange(1, 4))]
        p = p / IPv6ExtHdrSegmentRouting(addresses=segs, segleft=r.randrange(len(segs)))
    elif e == 3:
        p = p / IPv6ExtHdrDestOpt()
    k = r.randrange(7)
    if k == 0:
        return p / UDP(sport=r.randrange(10000, 30000), dport=r.randrange(10000, 30000)) / payload(r)
    if k == 1:
        return p / TCP(sport=r.randrange(10000, 30000), dport=r.randrange(10000, 30000)) / payload(r)
    if k == 2:
        cls = r.choice([ICMPv6EchoRequest, ICMPv6EchoReply])
        return p / cls(id=r.randrange(65536), seq=r.randrange(65536),
                       data=bytes(r.randrange(256) for _ in range(r.randrange(40))))
    if k == 3:
        err = r.choice([ICMPv6DestUnreach(code=r.randrange(7)), ICMPv6PacketTooBig(mtu=r.randrange(1280, 9000)),
                        ICMPv6TimeExceeded(code=r.randrange(2)), ICMPv6ParamProblem(code=r.randrange(3), ptr=r.randrange(64))])
        return p / err / IPerror6(src=rip6(r), dst=rip6(r)) / UDPerror(
            sport=r.randrange(10000, 30000), dport=r.randrange(10000, 30000)) / payload(r)
    if k == 4:
        return p / ICMPv6ND_NS(tgt=rip6(r)) / ICMPv6NDOptSrcLLAddr(lladdr=rmac(r))
    if k == 5:
        return p / ICMPv6ND_NA(tgt=rip6(r), R=r.randrange(2), S=r.randrange(2), O=r.randrange(2)) / \
            ICMPv6NDOptDstLLAddr(lladdr=rmac(r))
    k = r.randrange(3)
    if k == 0:
        return p / ICMPv6ND_RS() / ICMPv6NDOptSrcLLAddr(lladdr=rmac(r))
    if k == 1:
        return p / ICMPv6ND_Redirect(tgt=rip6(r), dst=rip6(r)) / ICMPv6NDOptDstLLAddr(lladdr=rmac(r))
    return p / ICMPv6ND_RA(routerlifetime=r.randrange(65536)) / ICMPv6NDOptSrcLLAddr(lladdr=rmac(r)) / \
        ICMPv6NDOptMTU(mtu=r.randrange(1280, 9000)) / ICMPv6NDOptPrefixInfo(prefix=rip6(r), prefixlen=64)


def frame(r):
    p = Ether(src=rmac(r), dst=rmac(r))
    t = r.randrange(4)
    if t == 0:
        p = p / Dot1Q(vlan=r.randrange(4096), prio=r.randrange(8))
    elif t == 1:
        p = p / Dot1AD(vlan=r.randrange(4096)) / Dot1Q(vlan=r.randrange(4096))
    k = r.randrange(7)
    if k in (0, 1):
        p = p / ip4(r)
    elif k in (2, 3):
        p = p / ip6(r)
    elif k == 4:
        p = p / ARP(op=r.choice([1, 2]), hwsrc=rmac(r), psrc=rip4(r), hwdst=rmac(r), pdst=rip4(r))
    elif k == 5:
        n = r.randrange(1, 4)
        for i in range(n):
            p = p / MPLS(label=r.randrange(16, 1 << 20), ttl=r.randrange(256), cos=r.randrange(8),
                         s=1 if i == n - 1 else 0)
        p = p / ip4(r, 1)
    else:
        inner = Ether(src=rmac(r), dst=rmac(r)) / ip4(r, 1)
        p = p / IP(src=rip4(r), dst=rip4(r)) / UDP(sport=r.randrange(1024, 65536), dport=4789) / \
            VXLAN(flags=0x08, vni=r.randrange(1 << 24)) / inner
    if len(p) < 60 and r.randrange(2):
        p = p / Padding(b"\x00" * (60 - len(p)))
    return p


def gen(n, seed, outp):
    r = random.Random(seed)
    res = []
    for _ in range(n):
        p = frame(r)
        data = bytes(p)
        res.append({"link": "ether", "hex": data.hex(), "layers": layers_of(Ether(data))})
    json.dump(res, open(outp, "w"))


if __name__ == "__main__":
    if sys.argv[1] == "read":
        read(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(__doc__)
