"""nacwire.pyrad against the real pyrad 2.6, on hypothesis-generated packets.

Both libraries build the same packet (same dictionary, secret, identifier,
authenticator and salts): the bytes must be equal. Each decodes the other's bytes:
the attributes read back must be equal and the authenticators must verify.

Needs the real pyrad 2.6 importable next to nacwire (scripts/test.sh runs this in its
own venv, with NACWIRE_REQUIRE_PYRAD=1 so that a missing pyrad fails instead of skipping).
"""

from __future__ import annotations

import io
import os
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

if os.environ.get("NACWIRE_REQUIRE_PYRAD") != "1":
    pytest.importorskip("pyrad")
import pyrad.dictionary
import pyrad.packet

import nacwire.pyrad.dictionary
import nacwire.pyrad.packet

assert "nacwire" not in (pyrad.__file__ or ""), "the real pyrad is needed here, not the alias"

DICT = """
ATTRIBUTE User-Name 1 string
ATTRIBUTE User-Password 2 string encrypt=1
ATTRIBUTE NAS-IP-Address 4 ipaddr
ATTRIBUTE NAS-Port 5 integer
ATTRIBUTE Service-Type 6 integer
ATTRIBUTE Class 25 octets
ATTRIBUTE Session-Timeout 27 integer
ATTRIBUTE Proxy-State 33 octets
ATTRIBUTE Event-Timestamp 55 date
ATTRIBUTE Tunnel-Type 64 integer has_tag
ATTRIBUTE Tunnel-Password 69 string has_tag,encrypt=2
ATTRIBUTE Tunnel-Client-Endpoint 66 string has_tag
ATTRIBUTE Message-Authenticator 80 octets
ATTRIBUTE NAS-IPv6-Address 95 ipv6addr
ATTRIBUTE Framed-Interface-Id 96 ifid
ATTRIBUTE Framed-IPv6-Prefix 97 ipv6prefix
ATTRIBUTE Test-Short 240 short
ATTRIBUTE Test-Byte 239 byte
ATTRIBUTE Test-Signed 238 signed
ATTRIBUTE Test-Integer64 237 integer64
ATTRIBUTE Test-Ether 236 ether
ATTRIBUTE Test-Tlv 235 tlv
ATTRIBUTE Test-Tlv-String 235.1 string
ATTRIBUTE Test-Tlv-Integer 235.2 integer
VALUE Service-Type Login-User 1
VALUE Service-Type Framed-User 2
VALUE Tunnel-Type L2TP 3
VENDOR Cisco 9
BEGIN-VENDOR Cisco
ATTRIBUTE Cisco-AVPair 1 string
ATTRIBUTE Cisco-Integer 2 integer
END-VENDOR Cisco
"""

SECRET = b"testing123"
THEIRS = pyrad.dictionary.Dictionary(io.StringIO(DICT))
OURS = nacwire.pyrad.dictionary.Dictionary(io.StringIO(DICT))

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)
u32 = st.integers(0, 2**32 - 1)
ipv4 = st.ip_addresses(v=4).map(str)
ipv6 = st.ip_addresses(v=6).map(str)
VALUES: dict[str, Any] = {
    "User-Name": text,
    "NAS-IP-Address": ipv4,
    "NAS-Port": u32,
    "Service-Type": st.sampled_from(["Login-User", "Framed-User"]),
    "Class": st.binary(min_size=1, max_size=60),
    "Session-Timeout": u32,
    "Event-Timestamp": u32,
    "Tunnel-Type": st.just("L2TP"),
    "Tunnel-Password": st.text(st.characters(codec="ascii"), min_size=1, max_size=30),
    "Tunnel-Client-Endpoint": st.text(
        st.characters(min_codepoint=0x41, max_codepoint=0x7A), min_size=1
    ),
    "NAS-IPv6-Address": ipv6,
    "Framed-Interface-Id": st.tuples(*[st.integers(0, 0xFFFF)] * 4).map(
        lambda g: ":".join(f"{x:x}" for x in g)
    ),
    "Framed-IPv6-Prefix": st.tuples(st.ip_addresses(v=6), st.integers(0, 128)).map(
        lambda t: str(__import__("ipaddress").IPv6Network((t[0], t[1]), strict=False))
    ),
    "Test-Short": st.integers(0, 0xFFFF),
    "Test-Byte": st.integers(0, 0xFF),
    "Test-Signed": st.integers(-(2**31), 2**31 - 1),
    "Test-Integer64": st.integers(0, 2**64 - 1),
    "Test-Ether": st.binary(min_size=6, max_size=6).map(lambda b: ":".join(f"{x:02x}" for x in b)),
    "Test-Tlv-String": text,
    "Test-Tlv-Integer": u32,
    "Cisco-AVPair": text,
    "Cisco-Integer": u32,
}

attrs = st.lists(
    st.sampled_from(sorted(VALUES)).flatmap(lambda n: st.tuples(st.just(n), VALUES[n])),
    min_size=0,
    max_size=12,
)


def build(
    mod: Any, d: Any, kind: str, pairs: list[tuple[str, Any]], seed: int
) -> tuple[Any, bytes]:
    mod.packet.random_generator = random.Random(seed)  # the same salts on both sides
    auth = random.Random(seed).randbytes(16)
    if kind == "auth":
        p = mod.packet.AuthPacket(id=seed % 256, secret=SECRET, authenticator=auth, dict=d)
        p.add_message_authenticator()
    elif kind == "acct":
        p = mod.packet.AcctPacket(id=seed % 256, secret=SECRET, dict=d)
    else:
        p = mod.packet.CoAPacket(id=seed % 256, secret=SECRET, dict=d)
    for name, value in pairs:
        p.AddAttribute(name, value)
    return p, p.RequestPacket()


def read(pkt: Any) -> list[tuple[Any, Any]]:
    return [(k, pkt[k]) for k in pkt.keys()]


class _Pyrad:
    packet = pyrad.packet


class _Ours:
    packet = nacwire.pyrad.packet


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["auth", "acct", "coa"]), pairs=attrs, seed=st.integers(0, 2**31))
def test_same_bytes_and_cross_decode(kind: str, pairs: list[tuple[str, Any]], seed: int) -> None:
    saved = (pyrad.packet.random_generator, nacwire.pyrad.packet.random_generator)
    try:
        theirs, their_bytes = build(_Pyrad, THEIRS, kind, pairs, seed)
        ours, our_bytes = build(_Ours, OURS, kind, pairs, seed)
    finally:
        pyrad.packet.random_generator, nacwire.pyrad.packet.random_generator = saved
    assert our_bytes == their_bytes

    cls = {"auth": "AuthPacket", "acct": "AcctPacket", "coa": "CoAPacket"}[kind]
    # pyrad decodes our bytes, we decode pyrad's: the same attributes, verified.
    by_them = getattr(pyrad.packet, cls)(packet=our_bytes, dict=THEIRS, secret=SECRET)
    by_us = getattr(nacwire.pyrad.packet, cls)(packet=their_bytes, dict=OURS, secret=SECRET)
    assert read(by_us) == read(by_them)
    assert (by_us.code, by_us.id, by_us.authenticator) == (
        by_them.code,
        by_them.id,
        by_them.authenticator,
    )
    if kind == "auth":
        assert by_us.verify_message_authenticator() and by_them.verify_message_authenticator()
    elif kind == "acct":
        assert by_us.VerifyAcctRequest() and by_them.VerifyAcctRequest()
    else:
        assert by_us.VerifyCoARequest() and by_them.VerifyCoARequest()

    # Replies, both directions: the same bytes, each verifies the other's.
    their_reply = by_them.CreateReply(Session_Timeout=60)
    our_reply = by_us.CreateReply(Session_Timeout=60)
    their_raw, our_raw = their_reply.ReplyPacket(), our_reply.ReplyPacket()
    assert our_raw == their_raw
    assert ours.VerifyReply(
        nacwire.pyrad.packet.Packet(packet=their_raw, dict=OURS, secret=SECRET), their_raw
    )
    assert theirs.VerifyReply(
        pyrad.packet.Packet(packet=our_raw, dict=THEIRS, secret=SECRET), our_raw
    )


@settings(max_examples=300, deadline=None)
@given(data=st.binary(min_size=0, max_size=300))
def test_malformed_input_same_verdict(data: bytes) -> None:
    """Random bytes: we raise PacketError exactly when pyrad does, else read the same."""
    try:
        them = read(pyrad.packet.Packet(packet=data, dict=THEIRS))
    except pyrad.packet.PacketError:
        them = None
    except Exception:  # pyrad failing otherwise (e.g. a value it cannot decode)
        return
    try:
        us = read(nacwire.pyrad.packet.Packet(packet=data, dict=OURS))
    except nacwire.pyrad.packet.PacketError:
        us = None
    except Exception:
        return
    assert us == them


@settings(max_examples=100, deadline=None)
@given(password=st.binary(max_size=128), seed=st.integers(0, 2**31))
def test_pwcrypt_same_bytes(password: bytes, seed: int) -> None:
    auth = random.Random(seed).randbytes(16)
    theirs = pyrad.packet.AuthPacket(secret=SECRET, authenticator=auth, dict=THEIRS)
    ours = nacwire.pyrad.packet.AuthPacket(secret=SECRET, authenticator=auth, dict=OURS)
    assert ours.PwCrypt(password) == theirs.PwCrypt(password)
    assert ours.PwDecrypt(theirs.PwCrypt(password)) == theirs.PwDecrypt(ours.PwCrypt(password))


FR = "/usr/share/freeradius"


@pytest.mark.skipif(
    not os.path.exists(FR + "/dictionary") and os.environ.get("CI") != "true",
    reason="FreeRADIUS dictionaries (installed by scripts/test.sh; required under CI=true)",
)
def test_freeradius_tree_same_view(tmp_path: Any) -> None:
    """pyrad (on a copy with the two `String` lines it rejects lower-cased) and
    nacwire.pyrad (on the tree as shipped) see the same vendors, attributes, codes,
    types, flags and named values; we skip nothing pyrad keeps."""
    import shutil

    copy = tmp_path / "fr"
    shutil.copytree(FR, copy)
    juniper = copy / "dictionary.juniper"
    juniper.write_text(juniper.read_text().replace("\tString", "\tstring"))
    theirs = pyrad.dictionary.Dictionary(str(copy / "dictionary"))
    ours = nacwire.pyrad.dictionary.Dictionary(FR + "/dictionary")
    assert ours.vendors.forward == theirs.vendors.forward
    assert ours.attrindex.forward == theirs.attrindex.forward
    assert ours.attrindex.backward == theirs.attrindex.backward
    assert ours.skipped_attributes == theirs.skipped_attributes
    assert ours.attributes.keys() == theirs.attributes.keys()
    for name, attr in theirs.attributes.items():
        mine = ours.attributes[name]
        assert (mine.code, mine.type, mine.vendor, mine.encrypt, mine.has_tag) == (
            attr.code,
            attr.type,
            attr.vendor,
            attr.encrypt,
            attr.has_tag,
        ), name
        assert (mine.is_sub_attribute, mine.sub_attributes) == (
            attr.is_sub_attribute,
            attr.sub_attributes,
        ), name
        assert (mine.parent and mine.parent.name) == (attr.parent and attr.parent.name), name
        assert mine.values.forward == attr.values.forward, name
        assert mine.values.backward == attr.values.backward, name
