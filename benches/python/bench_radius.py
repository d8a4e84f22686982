#!/usr/bin/env python3
"""nacwire (native API) against pyrad 2.6 in one process, on the shared bench packets.

Operations, each on the same bytes for both libraries:
- decode + read every attribute as typed values (packets A, B, C);
- build + encode packet A (Access-Request) with Message-Authenticator;
- verify a reply (Access-Accept with Message-Authenticator) against its request;
- load the FreeRADIUS dictionary tree (pyrad: a copy with the two lines it rejects
  commented out, see dict_load.py).

Also: the cost of creating the Python objects the decode returns (a pure-Python floor),
and the per-call overhead of crossing into Rust (`Packet.code` on a decoded packet).

Each figure is the best of ROUNDS rounds of N calls (microseconds per call): on this
shared VM the minimum is the repeatable number.

Run: benches/python/run.sh  (builds a release wheel into target/bench-venv with pyrad)
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import pathlib
import sys
import time
from collections.abc import Callable

import pyrad.packet
from pyrad.dictionary import Dictionary as PyradDictionary

import nacwire
import nacwire.pyrad.packet
from nacwire import radius
from nacwire.pyrad.dictionary import Dictionary as DropInDictionary

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from dict_load import pyrad_copy

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("NACWIRE_SHARED", ROOT.parent / "shared"))
BENCH = SHARED / "vectors" / "bench-packets"
FR = os.environ.get("FREERADIUS_DICT", "/usr/share/freeradius")
SECRET = b"testing123"
ROUNDS = int(os.environ.get("ROUNDS", "7"))


def race(*calls: tuple[Callable[[], object], int]) -> list[float]:
    """Best-of-ROUNDS microseconds per call of each (fn, n), the calls taking turns
    within every round: a change in the machine's load meets all of them alike, so
    their ratios are same-moment ratios."""
    for fn, _ in calls:
        fn()
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(ROUNDS):
        for (fn, n), out in zip(calls, times, strict=True):
            t = time.perf_counter()
            for _ in range(n):
                fn()
            out.append((time.perf_counter() - t) / n * 1e6)
    return [min(t) for t in times]


def best(fn: Callable[[], object], n: int) -> float:
    """Best-of-ROUNDS microseconds per call of fn."""
    return race((fn, n))[0]


def main() -> None:
    logging.getLogger("pyrad").setLevel(logging.ERROR)
    packets = {k: bytes.fromhex((BENCH / f"{k}.hex").read_text().strip()) for k in "ABC"}
    spec = json.loads((BENCH / "attrs.json").read_text())
    copy, _ = pyrad_copy(FR)
    pd = PyradDictionary(os.path.join(copy, "dictionary"))
    nd = radius.Dictionary.builtin()
    key = radius.Secret(SECRET)  # a long-lived secret, prepared once (as a service keeps it)
    rows: list[tuple[str, float, float]] = []
    # nacwire.pyrad (the drop-in, same calls as pyrad): rows printed after the table
    dropin: list[tuple[str, float, float]] = []
    dd = DropInDictionary(os.path.join(FR, "dictionary"))  # the tree as shipped

    # decode + read every attribute as typed values
    for k, data in packets.items():

        def pyrad_decode(data: bytes = data) -> list[object]:
            cls = pyrad.packet.AuthPacket if data[0] == 1 else pyrad.packet.Packet
            p = cls(packet=data, dict=pd, secret=SECRET)
            out = [(key, p[key]) for key in p.keys()]
            if data[0] == 1:
                p.PwDecrypt(p["User-Password"][0])
            return out

        def nacwire_decode(data: bytes = data) -> list[object]:
            return radius.Packet.decode(data, dictionary=nd, secret=key).items()

        def dropin_decode(data: bytes = data) -> list[object]:
            mod = nacwire.pyrad.packet
            cls = mod.AuthPacket if data[0] == 1 else mod.Packet
            p = cls(packet=data, dict=dd, secret=SECRET)
            out = [(key, p[key]) for key in p.keys()]
            if data[0] == 1:
                p.PwDecrypt(p["User-Password"][0])
            return out

        assert dropin_decode() == pyrad_decode(), f"nacwire.pyrad reads packet {k} differently"
        p, n, d = race((pyrad_decode, 2000), (nacwire_decode, 20000), (dropin_decode, 5000))
        rows.append((f"decode + read all, packet {k}", p, n))
        dropin.append((f"decode + read all, packet {k}", p, d))

    # the floor: creating the same Python objects in Python
    a_items = radius.Packet.decode(packets["A"], dictionary=nd, secret=SECRET).items()
    makers = []
    for name, value in a_items:
        if isinstance(value, ipaddress.IPv4Address):
            makers.append((name, ipaddress.IPv4Address, int(value)))
        elif isinstance(value, radius.EnumValue):
            makers.append((name, lambda v, n=value.name: radius.EnumValue(v, n), int(value)))
        elif isinstance(value, int):
            makers.append((name, int, int(value)))
        elif isinstance(value, str):
            makers.append((name, bytes.decode, value.encode()))
        else:
            makers.append((name, bytes, bytes(value)))

    def floor() -> list[object]:
        return [(n, f(a)) for n, f, a in makers]

    floor_us = best(floor, 20000)

    # build + encode A with Message-Authenticator
    a = spec["A"]
    auth = bytes.fromhex(a["authenticator"])
    pairs = [(x["name"], x["value"]) for x in a["attrs"] if x["name"] != "Message-Authenticator"]

    def pyrad_build() -> bytes:
        p = pyrad.packet.AuthPacket(id=42, secret=SECRET, authenticator=auth, dict=pd)
        p.add_message_authenticator()
        for name, value in pairs:
            if name == "User-Password":
                p[name] = p.PwCrypt(value)
            else:
                p[name] = value
        return p.RequestPacket()

    def nacwire_build() -> bytes:
        return bytes(radius.build(1, key, pairs, identifier=42, authenticator=auth, dictionary=nd))

    def dropin_build() -> bytes:
        p = nacwire.pyrad.packet.AuthPacket(id=42, secret=SECRET, authenticator=auth, dict=dd)
        p.add_message_authenticator()
        for name, value in pairs:
            if name == "User-Password":
                p[name] = p.PwCrypt(value)
            else:
                p[name] = value
        return p.RequestPacket()

    assert dropin_build() == packets["A"], "nacwire.pyrad does not reproduce packet A"
    assert nacwire_build() == packets["A"], "nacwire does not reproduce packet A"
    assert pyrad_build() == packets["A"], "pyrad does not reproduce packet A"
    p, n, d = race((pyrad_build, 2000), (nacwire_build, 20000), (dropin_build, 5000))
    rows.append(("build + encode A with Message-Authenticator", p, n))
    dropin.append(("build + encode A with Message-Authenticator", p, d))

    # verify a reply
    req = radius.Packet.decode(packets["A"], dictionary=nd)
    accept = bytes(radius.reply(req, "Access-Accept", SECRET, {"Reply-Message": "welcome"}))
    preq = pyrad.packet.AuthPacket(packet=packets["A"], dict=pd, secret=SECRET)

    def pyrad_verify() -> bool:
        r = pyrad.packet.Packet(packet=accept, dict=pd, secret=SECRET)
        return preq.VerifyReply(r, accept, enforce_ma=True)

    def nacwire_verify() -> bool:
        return radius.Packet.decode(accept, dictionary=nd).verify_reply(req, key)

    assert pyrad_verify() and nacwire_verify()
    rows.append(
        (
            "verify an Access-Accept with Message-Authenticator",
            *race((pyrad_verify, 2000), (nacwire_verify, 20000)),
        )
    )

    # dictionary tree
    tree = os.path.join(FR, "dictionary")
    p, n, d = race(
        (lambda: PyradDictionary(os.path.join(copy, "dictionary")), 1),
        (lambda: radius.Dictionary.load(tree), 3),
        (lambda: DropInDictionary(tree), 1),
    )
    rows.append(("load the FreeRADIUS tree", p, n))
    dropin.append(("load the FreeRADIUS tree (pyrad: the part it can)", p, d))
    crossing = best(lambda: req.code, 200000)

    print(
        f"nacwire {nacwire.__version__}, pyrad {pyrad.__version__}, Python {sys.version.split()[0]}"
    )
    print(f"best of {ROUNDS} rounds, microseconds per call\n")
    print("| operation | pyrad 2.6 | nacwire | nacwire faster |")
    print("|---|---|---|---|")
    for name, p, n in rows:
        print(f"| {name} | {p:,.2f} | {n:,.2f} | {p / n:,.1f}x |")
    print("\nnacwire.pyrad (the pyrad 2.6 drop-in, the same calls as the pyrad column):\n")
    print("| operation | pyrad 2.6 | nacwire.pyrad | nacwire.pyrad faster |")
    print("|---|---|---|---|")
    for name, p, n in dropin:
        print(f"| {name} | {p:,.2f} | {n:,.2f} | {p / n:,.1f}x |")
    print(
        f"\nfloor: creating packet A's {len(makers)} (name, value) tuples in Python: "
        f"{floor_us:.2f} us"
    )
    print(f"crossing into Rust (Packet.code getter): {crossing:.3f} us")


if __name__ == "__main__":
    main()
