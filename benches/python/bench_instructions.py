#!/usr/bin/env python3
"""Instructions per call (valgrind callgrind) of bench_radius.py's drop-in operations,
for pyrad 2.6 and nacwire.pyrad: a figure the load of a shared machine does not move.

Each figure is (instructions of a run with N + 1 calls - instructions of a run with 1
call) / N: the steady state, where imports, dictionary loading and what a first call
does once (caches filled on first use, by either implementation) cancel out. The
operations are the ones bench_radius.py times: decode + read every attribute (packets
A, B, C; PwDecrypt for A), build + encode A with Message-Authenticator, load the
FreeRADIUS tree (pyrad: the copy with the two lines it rejects commented out).

`--impl floor` measures the same decode calls on a stand-in whose answers are all
precomputed (see floor_module): what pyrad's API costs by itself in CPython.

Run (needs valgrind; pyrad 2.6 installed for the pyrad rows):
    NACWIRE_SHARED=... PYTHONHASHSEED=0 python benches/python/bench_instructions.py
    python benches/python/bench_instructions.py --impl nacwire --ops A build
One op of one implementation: ... --child IMPL OP N (what the driver runs under valgrind).
"""

from __future__ import annotations

import argparse
import atexit
import json
import logging
import os
import pathlib
import re
import shutil
import subprocess
import sys
from collections import OrderedDict
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("NACWIRE_SHARED", ROOT.parent / "shared"))
BENCH = SHARED / "vectors" / "bench-packets"
FR = os.environ.get("FREERADIUS_DICT", "/usr/share/freeradius")
SECRET = b"testing123"
OPS = ["A", "B", "C", "build", "tree"]
CALLS = {"pyrad": 1000, "nacwire": 3000, "floor": 3000}


def floor_module(packets: dict[str, bytes]) -> tuple[Any, Any]:
    """The "floor" implementation: pyrad's packet shape (an OrderedDict subclass with a
    Python __init__, __getitem__ and keys) whose every answer is precomputed, so that
    only what the pyrad API itself costs in CPython is counted: the calls, frames,
    keyword arguments, the packet object, and a new list per read. No implementation
    of that API can take fewer instructions for these operations."""
    import nacwire.pyrad.packet as real
    from nacwire.pyrad.dictionary import Dictionary as RealDictionary

    d = RealDictionary(os.path.join(FR, "dictionary"))
    answers = {}
    for data in packets.values():
        cls = real.AuthPacket if data[0] == 1 else real.Packet
        p = cls(packet=data, dict=d, secret=SECRET)
        answers[data] = (p.keys(), {k: p[k] for k in p.keys()})

    class Packet(OrderedDict):  # type: ignore[type-arg]
        def __init__(
            self,
            code: int = 0,
            id: Any = None,
            secret: bytes = b"",
            authenticator: Any = None,
            **attributes: Any,
        ) -> None:
            self._keys, self._values = answers[attributes["packet"]]

        def __getitem__(self, key: Any) -> Any:
            return self._values[key][:]

        def keys(self) -> Any:  # type: ignore[override]
            return self._keys[:]

    class AuthPacket(Packet):
        def PwDecrypt(self, password: bytes) -> str:
            return ""

    class Module:
        pass

    mod = Module()
    mod.Packet, mod.AuthPacket = Packet, AuthPacket  # type: ignore[attr-defined]
    return mod, None


def child(impl: str, op: str, n: int) -> None:
    logging.getLogger("pyrad").setLevel(logging.ERROR)
    if impl == "pyrad":
        import pyrad.packet as mod
        from pyrad.dictionary import Dictionary

        sys.path.insert(0, str(pathlib.Path(__file__).parent))
        sys.argv[1:] = []  # dict_load reads its own arguments when imported
        from dict_load import pyrad_copy

        copy = pyrad_copy(FR)[0]
        atexit.register(shutil.rmtree, copy, True)
        tree = os.path.join(copy, "dictionary")
    else:  # nacwire (and the floor, which is measured with nacwire's dictionary loaded)
        import nacwire.pyrad.packet as mod
        from nacwire.pyrad.dictionary import Dictionary

        tree = os.path.join(FR, "dictionary")
    packets = {k: bytes.fromhex((BENCH / f"{k}.hex").read_text().strip()) for k in "ABC"}
    if impl == "floor":
        mod, d = floor_module(packets)  # before the "none" op returns: the same setup
        if op not in packets:
            return
    else:
        d = Dictionary(tree)
    a = json.loads((BENCH / "attrs.json").read_text())["A"]
    auth = bytes.fromhex(a["authenticator"])
    pairs = [(x["name"], x["value"]) for x in a["attrs"] if x["name"] != "Message-Authenticator"]

    def decode(data: bytes) -> list[object]:
        cls = mod.AuthPacket if data[0] == 1 else mod.Packet
        p = cls(packet=data, dict=d, secret=SECRET)
        out = [(key, p[key]) for key in p.keys()]
        if data[0] == 1:
            p.PwDecrypt(p["User-Password"][0])
        return out

    def build() -> bytes:
        p = mod.AuthPacket(id=42, secret=SECRET, authenticator=auth, dict=d)
        p.add_message_authenticator()
        for name, value in pairs:
            p[name] = p.PwCrypt(value) if name == "User-Password" else value
        return p.RequestPacket()

    if op in packets:
        for _ in range(n):
            decode(packets[op])
    elif op == "build":
        assert build() == packets["A"]
        for _ in range(n):
            build()
    elif op == "tree":
        for _ in range(n):
            Dictionary(tree)


def instructions(impl: str, op: str, n: int) -> int:
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable]
    cmd += [__file__, "--child", impl, op, str(n)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
    found = re.search(r"Collected : (\d+)", out)
    if not found:
        raise RuntimeError(out[-2000:])
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=3, metavar=("IMPL", "OP", "N"))
    parser.add_argument("--impl", nargs="+", default=["pyrad", "nacwire"])
    parser.add_argument("--ops", nargs="+", default=OPS)
    args = parser.parse_args()
    if args.child:
        impl, op, n = args.child
        child(impl, op, int(n))
        return
    rows: dict[str, dict[str, int]] = {}
    for impl in args.impl:
        for op in args.ops:
            if impl == "floor" and op not in ("A", "B", "C"):
                continue  # the floor is for the decode calls only
            n = 5 if op == "tree" else CALLS[impl]
            per_call = (instructions(impl, op, n + 1) - instructions(impl, op, 1)) // n
            rows.setdefault(op, {})[impl] = per_call
            print(f"{impl} {op}: {per_call:,} instructions per call", file=sys.stderr)
    print("| operation | " + " | ".join(args.impl) + " |")
    print("|---" * (len(args.impl) + 1) + "|")
    for op in args.ops:
        cells = [f"{rows[op][i]:,}" if i in rows[op] else "n/a" for i in args.impl]
        print(f"| {op} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
