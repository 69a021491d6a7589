"""Compares `netpol connectivity --format json` with network-config-analyzer's
`--connectivity -o txt_no_fw_rules` output, pod to pod (IP ranges and self flows left out).

Both are normalised to sets of (source, destination, protocol, port) intervals; the script
prints how many ordered pod pairs agree and lists the pairs that do not.
Usage: python3 compare_nca.py NETPOL.json NCA.txt PODS  (PODS: one `namespace/name` a line).
"""

import json
import re
import sys

FULL = [(1, 65535)]
PROTOCOLS = ("TCP", "UDP", "SCTP")


def merge(ranges):
    out = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def netpol_flows(path):
    flows = {}
    for c in json.load(open(path)):
        if c["from"] == c["to"]:
            continue
        key = (c["from"], c["to"])
        per = flows.setdefault(key, {})
        per.setdefault(c["protocol"], []).extend(tuple(r) for r in c["ports"])
    return {k: {p: merge(r) for p, r in v.items()} for k, v in flows.items()}


def nca_connection(text):
    """`All connections`, or `{protocols:TCP,UDP,dst_ports:80,8000-8100};{...}`."""
    text = text.strip()
    if text == "All connections":
        return {p: merge(FULL) for p in PROTOCOLS}
    per = {}
    for part in re.findall(r"\{([^}]*)\}", text):
        fields = dict(re.findall(r"(protocols|dst_ports|src_ports):([^:]*?)(?=,\w+:|$)", part))
        if "src_ports" in fields:
            raise ValueError(f"source ports are not compared: {text}")
        ports = FULL
        if "dst_ports" in fields:
            ports = []
            for item in fields["dst_ports"].split(","):
                lo, _, hi = item.partition("-")
                ports.append((int(lo), int(hi or lo)))
        for proto in fields["protocols"].split(","):
            per.setdefault(proto, []).extend(ports)
    return {p: merge(r) for p, r in per.items()}


def nca_flows(path):
    flows = {}
    line_re = re.compile(r"^(\S+)\[Pod\] => (\S+)\[Pod\] : (.*)$")
    for line in open(path):
        m = line_re.match(line.strip())
        if not m or m.group(1) == m.group(2):
            continue
        # A pair may take several lines, one per group of protocols.
        per = flows.setdefault((m.group(1), m.group(2)), {})
        for proto, ranges in nca_connection(m.group(3)).items():
            per[proto] = merge(per.get(proto, ()) + ranges)
    return flows


def main():
    ours, theirs = netpol_flows(sys.argv[1]), nca_flows(sys.argv[2])
    pods = [p.strip() for p in open(sys.argv[3]) if p.strip()]
    # Only TCP, UDP and SCTP: the protocols NetworkPolicy names.
    theirs = {k: {p: r for p, r in v.items() if p in PROTOCOLS} for k, v in theirs.items()}
    pairs = [(a, b) for a in pods for b in pods if a != b]
    agree = 0
    disagreements = []
    for pair in pairs:
        a = {p: r for p, r in ours.get(pair, {}).items() if r}
        b = {p: r for p, r in theirs.get(pair, {}).items() if r}
        if a == b:
            agree += 1
        else:
            disagreements.append((pair, a, b))
    print(f"pod pairs: {len(pairs)}, agree: {agree}, differ: {len(disagreements)}")
    print(f"pairs with some flow: netpol {sum(1 for p in pairs if ours.get(p))}, "
          f"nca {sum(1 for p in pairs if theirs.get(p))}")
    for (src, dst), a, b in disagreements[:int(sys.argv[4]) if len(sys.argv) > 4 else 20]:
        print(f"{src} -> {dst}\n  netpol: {a}\n  nca:    {b}")
    return 0 if not disagreements else 1


if __name__ == "__main__":
    sys.exit(main())
