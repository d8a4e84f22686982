"""nacwire.ecp: the crate's vectors, controller redirects signed by an independent
SigV4 implementation (hashlib/hmac), every error kind with its fields, key rotation,
thread sharing, and hypothesis fuzz of random and mutated URLs."""

from __future__ import annotations

import datetime as dt
import doctest
import hashlib
import hmac
import ipaddress
import json
import pathlib
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import nacwire
from conftest import ROOT
from nacwire import ecp, nac

TESTDATA = ROOT / "crates" / "ecp-sigv4" / "testdata"
T0 = "20261122T120000Z"
NOW = ecp.parse_amz_date(T0)
SECRET = b"s3cret"
FIELDS = ("parameter", "value", "expected", "reason", "length", "maximum", "seconds", "identity")


# ---------------------------------------------------------------------------------
# An independent SigV4 (the ECP flavour): what a controller does, in stdlib Python.


def signing_key(secret: bytes, day: str, region: str = "world", service: str = "ecp") -> bytes:
    key = hmac.new(b"AWS4" + secret, day.encode(), hashlib.sha256).digest()
    for part in (region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def controller_sign(
    pairs: list[tuple[str, str]],
    *,
    identity: str = "portal-1",
    secret: bytes = SECRET,
    amz_date: str = T0,
    expires: int = 20,
    host: str = "portal.example.net",
    port: int | None = None,
    path: str = "/ecp/login",
    encode: bool = True,
) -> str:
    """A controller redirect: the values spelled as a controller does (``!`` kept
    raw, like JavaScript's encodeURIComponent), the parameters in the controller's
    order, the signature over the raw query sorted by raw key (as Extreme's sample
    verifier does)."""
    day = amz_date[:8]
    raw = [(k, quote(v, safe="!*'()-_.~") if encode else v) for k, v in pairs]
    amz = [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        ("X-Amz-Credential", f"{identity}%2F{day}%2Fworld%2Fecp%2Faws4_request"),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", str(expires)),
        ("X-Amz-SignedHeaders", "host"),
    ]
    canonical_query = "&".join(f"{k}={v}" for k, v in sorted(raw + amz, key=lambda p: p[0]))
    host_line = host.lower() + (f":{port}" if port not in (None, 443) else "")
    creq = f"GET\n{path or '/'}\n{canonical_query}\nhost:{host_line}\n\nhost\nUNSIGNED-PAYLOAD"
    sts = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            amz_date,
            f"{day}/world/ecp/aws4_request",
            hashlib.sha256(creq.encode()).hexdigest(),
        ]
    )
    sig = hmac.new(signing_key(secret, day), sts.encode(), hashlib.sha256).hexdigest()
    query = "&".join(f"{k}={v}" for k, v in [*raw, *amz, ("X-Amz-Signature", sig)])
    authority = host + (f":{port}" if port is not None else "")
    return f"https://{authority}{path}?{query}"


def keys() -> ecp.Keyring:
    return ecp.Keyring({"portal-1": SECRET})


def verifier(**kw: object) -> ecp.Verifier:
    return ecp.Verifier(keys(), **kw)  # type: ignore[arg-type]


BASE = [
    ("token", "T7vb1LdUZmsuY0q9V60Iww!!"),
    ("wlan", "1"),
    ("dest", "http://neverssl.com/"),
]
REDIRECT = [
    ("token", "T7vb1LdUZmsuY0q9V60Iww!!"),
    ("wlan", "12"),
    ("dest", "http://neverssl.com/?a=b&c=d"),
    ("hwc_ip", "10.10.21.6"),
    ("hwc_port", "8443"),
    ("mac", "b0:ee:7b:97:7f:33"),
    ("bssid", "00-11-22-33-44-55"),
    ("ssid", "6775657374"),
    ("vns", "Guest VNS"),
    ("ap", "AP-3rd-floor"),
    ("sn", "1234567890"),
    ("role", "Unregistered"),
    ("vlan", "200"),
    ("apmac", "001122334455"),
]


# ---------------------------------------------------------------------------------
# The crate's vectors


def test_reference_implementation_matches_the_aws_suite() -> None:
    """The Python SigV4 above reproduces the AWS suite's query signatures (so it is a
    fair independent check of the binding)."""
    cases = sorted(p for p in (TESTDATA / "aws-c-auth").iterdir() if p.is_dir())
    assert len(cases) > 20
    for case in cases:
        ctx = json.loads((case / "context.json").read_text())
        creq = (case / "query-canonical-request.txt").read_text()
        sts = (case / "query-string-to-sign.txt").read_text()
        assert sts.splitlines()[-1] == hashlib.sha256(creq.encode()).hexdigest(), case.name
        day = sts.splitlines()[1][:8]
        key = signing_key(
            ctx["credentials"]["secret_access_key"].encode(), day, ctx["region"], ctx["service"]
        )
        sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
        assert sig == (case / "query-signature.txt").read_text().strip(), case.name


@pytest.mark.parametrize(
    "case", ["ecp-synthetic-approval-default-port", "ecp-synthetic-approval-port-8443"]
)
def test_synthetic_approval_vectors(case: str) -> None:
    d = TESTDATA / case
    ctx = json.loads((d / "context.json").read_text())
    url = (d / "signed-url.txt").read_text().strip()
    secret = ctx["credentials"]["shared_secret"]
    when = dt.datetime.fromisoformat(ctx["timestamp"].replace("Z", "+00:00"))
    params = ctx["unsigned_params"]

    # the binding signs the vector byte for byte ...
    signer = ecp.Signer(ctx["credentials"]["identity"], secret, expires=ctx["expires"])
    approval = ecp.Approval(
        params["token"],
        params["wlan"],
        params["username"],
        dest=params["dest"],
        role=params["role"],
        session_timeout=int(params["opt27"]),
    )
    port = int(ctx["host_header"].split(":")[1]) if ":" in ctx["host_header"] else 443
    assert approval.signed_url("10.10.21.6", port, signer, now=when) == url
    # ... and verifies it (the controller's side)
    v = ecp.Verifier(ecp.Keyring({ctx["credentials"]["identity"]: secret}))
    assert v.verify_approval(url, now=when) == approval
    assert v.verify_approval(url, now=when.timestamp() + 60) == approval
    with pytest.raises(nacwire.SignatureError) as e:
        v.verify_approval(url, now=when.timestamp() + 61)
    assert (e.value.kind, e.value.seconds) == ("expired", 1)
    with pytest.raises(nacwire.SignatureError) as e:
        ecp.Verifier(ecp.Keyring({"BigAuthInc": "other"})).verify_approval(url, now=when)
    assert e.value.kind == "bad_signature"


def test_doc_example_parses_but_cannot_verify() -> None:
    d = TESTDATA / "ecp-extreme-doc-example-unverifiable"
    url = (d / "request-url.txt").read_text().strip()
    when = ecp.parse_amz_date("20140729T153754Z")
    with pytest.raises(nacwire.SignatureError) as e:
        ecp.Verifier(ecp.Keyring({"BigAuthInc": "guess"})).verify_approval(url, now=when)
    assert e.value.kind == "bad_signature"
    with pytest.raises(nacwire.SignatureError) as e:
        verifier().verify_approval(url, now=when)
    assert (e.value.kind, e.value.identity) == ("unknown_identity", "BigAuthInc")


def test_s3_vector_is_not_ecp() -> None:
    url = (TESTDATA / "s3-presigned-get-doc-example" / "query-signed-url.txt").read_text().strip()
    with pytest.raises(nacwire.SignatureError) as e:
        ecp.Verifier(ecp.Keyring({"AKIAIOSFODNN7EXAMPLE": "x"}), max_expires=86400).verify(url)
    assert (e.value.kind, e.value.value, e.value.expected) == ("wrong_region", "us-east-1", "world")


# ---------------------------------------------------------------------------------
# Controller redirects


def test_redirect_is_typed() -> None:
    url = controller_sign(REDIRECT)
    r = verifier().verify(url, now=NOW)
    assert r.token == "T7vb1LdUZmsuY0q9V60Iww!!"
    assert (r.wlan, r.dest) == ("12", "http://neverssl.com/?a=b&c=d")
    assert (r.hwc_ip, r.hwc_port, r.controller()) == ("10.10.21.6", 8443, ("10.10.21.6", 8443))
    assert r.mac == nac.MacAddress("b0:ee:7b:97:7f:33")
    assert isinstance(r.mac, nac.MacAddress)
    assert (r.mac_sent, r.bssid_sent) == ("b0:ee:7b:97:7f:33", "00-11-22-33-44-55")
    assert r.bssid == nac.MacAddress("00:11:22:33:44:55")
    assert r.ssid == "6775657374"
    assert r.ssid_octets() == b"guest"
    assert r.ssid_octets("text") == b"6775657374"
    assert r.ssid_octets("hex") == b"guest"
    assert (r.vns, r.ap, r.sn, r.role, r.vlan) == (
        "Guest VNS",
        "AP-3rd-floor",
        "1234567890",
        "Unregistered",
        200,
    )
    assert r.extras == [("apmac", "001122334455")]
    assert (r.extra("apmac"), r.extra("nope")) == ("001122334455", None)
    sig = r.signature
    assert sig is not None
    assert (sig.identity, sig.expires, sig.secret_index, sig.query_form) == (
        "portal-1",
        20,
        0,
        "raw",
    )
    assert sig.date == dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone.utc)
    assert "portal-1" in repr(sig)
    # equal to the same redirect signed by the binding (which sorts the query)
    ours = ecp.Signer("portal-1", SECRET, expires=20).presign(
        "portal.example.net", "/ecp/login", REDIRECT, now=NOW
    )
    assert verifier().verify(ours, now=NOW) == r
    assert r != verifier().verify(controller_sign(BASE), now=NOW)
    assert r != "not a redirect"


ROWS = [
    # (name, params, ssid text, ssid auto, vlan, extras)
    (
        "plain-text SSID and vlan=0 (live controller)",
        [("ssid", "Guest-WiFi"), ("vlan", "0"), ("hwc_ip", "10.10.21.6"), ("hwc_port", "443")],
        b"Guest-WiFi",
        b"Guest-WiFi",
        None,
        [],
    ),
    (
        "hex SSID (vendor table)",
        [("ssid", "47756573742d57694669"), ("vlan", "200")],
        b"47756573742d57694669",
        b"Guest-WiFi",
        200,
        [],
    ),
    (
        "SSID with spaces, empty vlan",
        [("ssid", "Guest WiFi 5GHz"), ("vlan", "")],
        b"Guest WiFi 5GHz",
        b"Guest WiFi 5GHz",
        None,
        [],
    ),
    ("optional fields absent", [], None, None, None, []),
    (
        "unknown extra parameters (AP location fields), in order",
        [
            ("mac", "B0-EE-7B-97-7F-33"),
            ("aploc", "Building 2 / Floor 3"),
            ("apmac", "00:11:22:33:44:55"),
            ("vns", "Guest"),
            ("ssid", "café 🙂"),
            ("apname", "AP-3rd-floor"),
            ("vlan", "4094"),
        ],
        "café 🙂".encode(),
        "café 🙂".encode(),
        4094,
        [
            ("aploc", "Building 2 / Floor 3"),
            ("apmac", "00:11:22:33:44:55"),
            ("apname", "AP-3rd-floor"),
        ],
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_realistic_redirects(row: tuple) -> None:  # type: ignore[type-arg]
    _, params, ssid_text, ssid_auto, vlan, extras = row
    pairs = BASE + params
    controller = controller_sign(pairs)  # the controller's order, raw `!!`
    ours = ecp.Signer("portal-1", SECRET, expires=20).presign(
        "portal.example.net", "/ecp/login", pairs, now=NOW
    )
    unsigned = "https://portal.example.net/ecp/login?" + "&".join(
        f"{k}={quote(v, safe='')}" for k, v in pairs
    )
    v = verifier()
    for how, r in [
        ("controller", v.verify(controller, now=NOW)),
        ("binding", v.verify(ours, now=NOW)),
        ("unsigned", ecp.parse_unsigned(unsigned)),
    ]:
        assert r.token == "T7vb1LdUZmsuY0q9V60Iww!!", how
        assert r.dest == "http://neverssl.com/", how
        assert r.ssid_octets("text") == ssid_text, how
        assert r.ssid_octets("auto") == ssid_auto, how
        assert r.vlan == vlan, how
        assert r.extras == (sorted(extras) if how == "binding" else extras), how
        if r.mac is not None:
            assert (r.mac_sent, str(r.mac)) == ("B0-EE-7B-97-7F-33", "b0:ee:7b:97:7f:33")
        assert (r.signature is None) == (how == "unsigned")


def test_verify_request_from_parts() -> None:
    url = controller_sign(REDIRECT, port=8443)
    query = url.split("?", 1)[1]
    v = verifier()
    want = v.verify(url, now=NOW)
    assert v.verify_request("portal.example.net", "/ecp/login", query, port=8443, now=NOW) == want
    assert (
        v.verify_request("PORTAL.example.net", "/ecp/login", "?" + query, port=8443, now=NOW)
        == want
    )
    assert (
        v.verify_request("portal.example.net", "/ecp/login", query.encode(), port=8443, now=NOW)
        == want
    )
    # the port is signed (default rule), the scheme's default port is not
    with pytest.raises(nacwire.SignatureError) as e:
        v.verify_request("portal.example.net", "/ecp/login", query, now=NOW)
    assert e.value.kind == "bad_signature"
    omit = verifier(port_rule="omit")
    with pytest.raises(nacwire.SignatureError):
        omit.verify(url, now=NOW)
    v6 = controller_sign(BASE, host="[2001:db8::1]")
    assert v.verify_request("2001:db8::1", "/ecp/login", v6.split("?", 1)[1], now=NOW).wlan == "1"
    for host, path, query_, scheme, reason in [
        ("portal.example.net", "ecp/login", query, "https", "path does not start with /"),
        ("portal.example.net", "/a?b", query, "https", "path contains ? or #"),
        ("portal.example.net", "/ecp/login", query + "#frag", "https", "query contains #"),
        ("portal.example.net", "/ecp/login", query, "ftp", "scheme is not http or https"),
        ("a/b", "/ecp/login", query, "https", "host is not a hostname or an address"),
        ("", "/ecp/login", query, "https", "host is not a hostname or an address"),
    ]:
        with pytest.raises(nacwire.SignatureError) as e:
            v.verify_request(host, path, query_, scheme=scheme, now=NOW)
        assert (e.value.kind, e.value.reason) == ("invalid_url", reason)


def test_empty_path_rule() -> None:
    signer = ecp.Signer("portal-1", SECRET, empty_path="empty")
    url = signer.presign("portal.example.net", "", BASE, now=NOW)
    assert verifier(empty_path="empty").verify(url, now=NOW).wlan == "1"
    with pytest.raises(nacwire.SignatureError) as e:
        verifier().verify(url, now=NOW)
    assert e.value.kind == "bad_signature"


def test_reserialized_query_fallback() -> None:
    url = controller_sign([*BASE, ("vns", "Guest VNS")])
    # a web framework decoded the query and encoded it again (`!` -> %21, space -> +)
    mangled = url.replace("!!", "%21%21").replace("Guest%20VNS", "Guest+VNS")
    with pytest.raises(nacwire.SignatureError) as e:
        verifier().verify(mangled, now=NOW)
    assert e.value.kind == "bad_signature"
    assert "re-encoded the query" in str(e.value)
    r = verifier(reserialized_query_fallback=True).verify(mangled, now=NOW)
    assert (r.token, r.vns) == ("T7vb1LdUZmsuY0q9V60Iww!!", "Guest VNS")
    assert r.signature is not None and r.signature.query_form == "reencoded_uri_component"


def test_apostrophe_a_browser_escaped_still_verifies() -> None:
    # The controller leaves ' literal (encodeURIComponent); a browser following the
    # redirect sends it as %27 (WHATWG special-query set): the default verifier takes
    # it, says so, and reads the values as the controller sent them.
    url = controller_sign([*BASE, ("ssid", "Joe's Cafe"), ("vns", "a+b")])
    assert "Joe's%20Cafe" in url
    r = verifier().verify(url, now=NOW)
    assert r.signature is not None and r.signature.query_form == "raw"
    r = verifier().verify(url.replace("'", "%27"), now=NOW)
    assert (r.ssid, r.vns) == ("Joe's Cafe", "a+b")
    assert r.signature is not None and r.signature.query_form == "raw_browser_quote"
    assert "query_form='raw_browser_quote'" in repr(r.signature)
    with pytest.raises(nacwire.SignatureError) as e:
        verifier().verify(url.replace("'", "%2527"), now=NOW)
    assert e.value.kind == "bad_signature"


def test_time_window_and_now_types() -> None:
    url = controller_sign(BASE, expires=20)
    t = NOW.timestamp()
    v = verifier()
    for now in (NOW, t, int(t), t - 10, t + 20, NOW + dt.timedelta(seconds=20)):
        v.verify(url, now=now)
    for now, kind, secs in [(t - 11, "not_yet_valid", 1), (t + 21, "expired", 1)]:
        with pytest.raises(nacwire.SignatureError) as e:
            v.verify(url, now=now)
        assert (e.value.kind, e.value.seconds) == (kind, secs)
    # the default clock: this URL is from 2026-11-22
    with pytest.raises(nacwire.SignatureError) as e:
        v.verify(controller_sign(BASE, amz_date="20140729T153754Z"))
    assert e.value.kind == "expired"
    lax = verifier(max_future_skew=dt.timedelta(minutes=5), expiry_grace=30.0)
    lax.verify(url, now=t - 300)
    lax.verify(url, now=t + 50)
    with pytest.raises(nacwire.SignatureError):
        lax.verify(url, now=t + 51)
    for bad in (float("nan"), -1.0):
        with pytest.raises(ValueError):
            v.verify(url, now=bad)
    with pytest.raises(ValueError):
        verifier(max_future_skew=-1)
    with pytest.raises(TypeError):
        v.verify(url, now="yesterday")  # type: ignore[arg-type]


def test_unsigned_redirects_and_controller_allowed() -> None:
    url = (
        "https://portal.example/x?token=abc&wlan=1&dest=http%3A%2F%2Fx%2F&hwc_ip=10.0.0.5&vlan=4094"
    )
    r = ecp.parse_unsigned(url)
    assert (r.vlan, r.signature, r.dest) == (4094, None, "http://x/")
    assert "signed_by=None" in repr(r)
    ip, port = r.controller_allowed(["10.0.0.5", ipaddress.ip_address("10.0.0.6")])
    assert (ip, port) == (ipaddress.IPv4Address("10.0.0.5"), 443)
    with pytest.raises(nacwire.SignatureError) as e:
        r.controller_allowed([ipaddress.ip_address("10.0.0.6")])
    assert (e.value.kind, e.value.parameter, e.value.value) == (
        "controller_not_allowed",
        "hwc_ip",
        "10.0.0.5",
    )
    with pytest.raises(ValueError):
        r.controller_allowed(["not an address"])
    with pytest.raises(nacwire.SignatureError) as e:
        verifier().verify(url, now=NOW)
    assert e.value.kind == "not_signed"
    assert "parse_unsigned" in str(e.value)
    no_hwc = ecp.parse_unsigned("https://p/x?token=t&wlan=1&dest=d")
    with pytest.raises(nacwire.SignatureError) as e:
        no_hwc.controller()
    assert (e.value.kind, e.value.parameter) == ("missing_parameter", "hwc_ip")
    with pytest.raises(nacwire.SignatureError) as e:
        ecp.parse_unsigned(url, max_url_len=10)
    assert (e.value.kind, e.value.length, e.value.maximum) == ("url_too_long", len(url), 10)


# ---------------------------------------------------------------------------------
# Approvals


def test_approval_round_trip() -> None:
    url = controller_sign(REDIRECT)
    r = verifier().verify(url, now=NOW)
    signer = ecp.Signer("portal-1", SECRET)
    a = ecp.Approval.for_redirect(r, "guest-42", role="Guest_Access", session_timeout=3600)
    assert (a.token, a.wlan, a.username, a.dest, a.role, a.session_timeout) == (
        r.token,
        r.wlan,
        "guest-42",
        r.dest,
        "Guest_Access",
        3600,
    )
    back = a.signed_url(*r.controller(), signer, now=NOW)
    assert back.startswith("https://10.10.21.6:8443/ext_approval.php?X-Amz-Algorithm=")
    assert "&opt27=3600&" in back
    assert "token=T7vb1LdUZmsuY0q9V60Iww%21%21" in back
    assert verifier().verify_approval(back, now=NOW) == a
    assert ecp.Approval("t", "1", "u") != a
    # http on port 80, IPv6 bracketed, ipaddress objects accepted
    plain = ecp.Approval("t", "1", "u")
    assert plain.signed_url("10.0.0.1", 80, signer, now=NOW).startswith(
        "http://10.0.0.1/ext_approval.php?"
    )
    assert plain.signed_url(ipaddress.ip_address("2001:db8::1"), 443, signer, now=NOW).startswith(
        "https://[2001:db8::1]/ext_approval.php?"
    )
    for bad, kind, field in [
        (ecp.Approval("", "1", "u"), "missing_parameter", "token"),
        (ecp.Approval("t", "1", ""), "missing_parameter", "username"),
    ]:
        with pytest.raises(nacwire.SignatureError) as e:
            bad.signed_url("10.0.0.1", 443, signer, now=NOW)
        assert (e.value.kind, e.value.parameter) == (kind, field)
    with pytest.raises(nacwire.SignatureError) as e:
        plain.signed_url("bad host!", 443, signer, now=NOW)
    assert (e.value.kind, e.value.value) == ("invalid_host", "bad host!")
    with pytest.raises(nacwire.SignatureError) as e:
        signer.presign("p.example", "/x", {"X-Amz-Date": "1"}, now=NOW)
    assert (e.value.kind, e.value.parameter) == ("reserved_parameter", "X-Amz-Date")
    with pytest.raises(TypeError):
        plain.signed_url(b"10.0.0.1", 443, signer)  # type: ignore[arg-type]


def test_reprs_never_show_secrets() -> None:
    secret = "TOPSECRET-do-not-print"
    ring = ecp.Keyring({"portal-1": [secret, "other-" + secret]})
    signer = ecp.Signer("portal-1", secret)
    v = ecp.Verifier(ring)
    for obj in (ring, signer, v):
        assert secret not in repr(obj)
    assert repr(ring) == "Keyring({'portal-1': <2 secrets>})"
    assert repr(signer).startswith("Signer('portal-1', <secret redacted>, expires=60")
    assert repr(v).startswith("Verifier(Keyring({'portal-1': <2 secrets>}), max_future_skew=10.0")
    r = ecp.Verifier(ecp.Keyring({"portal-1": SECRET})).verify(controller_sign(REDIRECT), now=NOW)
    text = repr(r)
    assert text.startswith("ControllerRedirect(token='T7vb1LdUZmsuY0q9V60Iww!!', wlan='12'")
    assert "vlan=200" in text and "extras=[('apmac', '001122334455')]" in text
    assert text.endswith("signed_by='portal-1')")
    a = ecp.Approval("t", "1", "u", session_timeout=5)
    assert repr(a) == (
        "Approval(token='t', wlan='1', username='u', dest=None, role=None, session_timeout=5)"
    )


def test_classes_are_immutable() -> None:
    r = ecp.parse_unsigned("https://p/x?token=t&wlan=1&dest=d")
    for obj, attr in [
        (r, "token"),
        (ecp.Approval("t", "1", "u"), "username"),
        (ecp.Signer("i", "s"), "identity"),
        (keys(), "identities"),
    ]:
        with pytest.raises(AttributeError):
            setattr(obj, attr, "x")


def test_doctest() -> None:
    assert doctest.testmod(ecp).failed == 0


# ---------------------------------------------------------------------------------
# Key rotation and secret lookups


def test_key_rotation() -> None:
    url = controller_sign(BASE)
    ring = ecp.Keyring({"portal-1": [b"new-secret", SECRET]})
    v = ecp.Verifier(ring)
    sig = v.verify(url, now=NOW).signature
    assert sig is not None and sig.secret_index == 1
    assert ring.identities == ["portal-1"] and "portal-1" in ring and len(ring) == 1
    # the controller moved to the new secret; the old one is dropped while v is in use
    ring.replace({"portal-1": "new-secret", "portal-2": "s3cret"})
    with pytest.raises(nacwire.SignatureError) as e:
        v.verify(url, now=NOW)
    assert e.value.kind == "bad_signature"
    newer = controller_sign(BASE, secret=b"new-secret")
    sig = v.verify(newer, now=NOW).signature
    assert sig is not None and sig.secret_index == 0
    assert v.verify(controller_sign(BASE, identity="portal-2"), now=NOW).wlan == "1"
    ring.replace([("portal-3", SECRET)])
    with pytest.raises(nacwire.SignatureError) as e:
        v.verify(newer, now=NOW)
    assert (e.value.kind, e.value.identity) == ("unknown_identity", "portal-1")
    assert ring.identities == ["portal-3"]
    for bad in ({"": SECRET}, {"x": 5}, [("x",)]):
        with pytest.raises((TypeError, ValueError)):
            ecp.Keyring(bad)  # type: ignore[arg-type]


def test_callable_lookup() -> None:
    calls: list[str] = []

    def lookup(identity: str) -> list[bytes] | None:
        calls.append(identity)
        return {"portal-1": [b"new", SECRET]}.get(identity)

    v = ecp.Verifier(lookup)
    assert v.keys is lookup
    sig = v.verify(controller_sign(BASE), now=NOW).signature
    assert sig is not None and sig.secret_index == 1
    with pytest.raises(nacwire.SignatureError) as e:
        v.verify(controller_sign(BASE, identity="nobody"), now=NOW)
    assert e.value.kind == "unknown_identity"
    assert calls == ["portal-1", "nobody"]
    # a single secret, str
    assert ecp.Verifier(lambda i: "s3cret").verify(controller_sign(BASE), now=NOW).wlan == "1"

    # an exception in the lookup propagates as is
    def broken(identity: str) -> list[bytes]:
        raise KeyError(identity)

    with pytest.raises(KeyError):
        ecp.Verifier(broken).verify(controller_sign(BASE), now=NOW)
    with pytest.raises(TypeError):
        ecp.Verifier(lambda i: [1, 2]).verify(controller_sign(BASE), now=NOW)  # type: ignore[list-item]
    # and does not leak into the next verification
    assert verifier().verify(controller_sign(BASE), now=NOW).wlan == "1"
    with pytest.raises(TypeError):
        ecp.Verifier(42)  # type: ignore[arg-type]


def test_threads_share_a_verifier_while_keys_rotate() -> None:
    ring = ecp.Keyring({"portal-1": [SECRET, b"next"]})
    v = ecp.Verifier(ring)
    signer = ecp.Signer("portal-1", SECRET, expires=20)
    urls = [controller_sign([*BASE, ("n", str(i))]) for i in range(50)]
    stop = threading.Event()

    def rotate() -> None:
        while not stop.is_set():
            ring.replace({"portal-1": [SECRET, b"next"]})
            ring.replace({"portal-1": [b"next", SECRET]})

    def work(i: int) -> tuple[str, str]:
        r = v.verify(urls[i % len(urls)], now=NOW)
        back = ecp.Approval.for_redirect(r, f"u{i}").signed_url("10.0.0.1", 443, signer, now=NOW)
        return r.extra("n") or "", v.verify_approval(back, now=NOW).username

    rotator = threading.Thread(target=rotate)
    rotator.start()
    try:
        with ThreadPoolExecutor(8) as pool:
            got = list(pool.map(work, range(400)))
    finally:
        stop.set()
        rotator.join()
    assert got == [(str(i % 50), f"u{i}") for i in range(400)]

    # a Python lookup called from many threads at once (it needs the GIL)
    seen: set[int] = set()

    def lookup(identity: str) -> list[bytes]:
        seen.add(threading.get_ident())
        time.sleep(0.001)
        return [SECRET]

    cb = ecp.Verifier(lookup)
    with ThreadPoolExecutor(8) as pool:
        assert all(r.wlan == "1" for r in pool.map(lambda u: cb.verify(u, now=NOW), urls))
    assert len(seen) > 1


# ---------------------------------------------------------------------------------
# Every error kind, with its fields


GOOD = controller_sign([("token", "t"), ("wlan", "1"), ("dest", "d")])
CRED = "X-Amz-Credential=portal-1%2F20261122%2Fworld%2Fecp%2Faws4_request"


def swap(old: str, new: str, url: str = GOOD) -> str:
    assert old in url, old
    return url.replace(old, new, 1)


def signed_raw(query: str) -> str:
    """A validly signed URL over a raw query (values not re-encoded)."""
    pairs = [tuple(p.split("=", 1)) for p in query.split("&")]
    return controller_sign(pairs, encode=False)  # type: ignore[arg-type]


ERRORS = [
    # (kind, url, expected fields)
    ("url_too_long", GOOD + "&pad=" + "x" * 5000, {"length": len(GOOD) + 5005, "maximum": 4096}),
    ("invalid_url", "portal.example.net/x?a=b", {"reason": "no scheme"}),
    ("invalid_url", "ftp://p/x?a=b", {"reason": "scheme is not http or https"}),
    ("invalid_url", "https://p/x y", {"reason": "control character or space in URL"}),
    ("invalid_url", b"https://p/\xff", {"reason": "not UTF-8 text"}),
    ("bad_percent_encoding", swap("wlan=1", "wlan=1&x=%G1"), {"value": "%G1"}),
    ("missing_parameter", swap("X-Amz-Date=20261122T120000Z&", ""), {"parameter": "X-Amz-Date"}),
    ("duplicate_parameter", GOOD + "&wlan=2", {"parameter": "wlan"}),
    ("encoded_amz_name", swap("wlan=1", "wlan=1&X%2DAmz-Foo=1"), {"parameter": "X%2DAmz-Foo"}),
    (
        "wrong_algorithm",
        swap("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1"),
        {"parameter": "X-Amz-Algorithm", "value": "AWS4-HMAC-SHA1", "expected": "AWS4-HMAC-SHA256"},
    ),
    ("bad_credential", swap(CRED, "X-Amz-Credential=portal-1"), {"parameter": "X-Amz-Credential"}),
    (
        "wrong_region",
        swap("%2Fworld%2F", "%2Fus-east-1%2F"),
        {"parameter": "X-Amz-Credential", "value": "us-east-1", "expected": "world"},
    ),
    (
        "wrong_service",
        swap("%2Fecp%2F", "%2Fs3%2F"),
        {"parameter": "X-Amz-Credential", "value": "s3", "expected": "ecp"},
    ),
    (
        "wrong_terminator",
        swap("%2Faws4_request", "%2Faws5_request"),
        {"parameter": "X-Amz-Credential", "value": "aws5_request", "expected": "aws4_request"},
    ),
    (
        "credential_date_mismatch",
        swap("%2F20261122%2F", "%2F20261121%2F"),
        {"parameter": "X-Amz-Credential", "value": "20261121", "expected": "20261122"},
    ),
    (
        "bad_date",
        swap("X-Amz-Date=20261122T120000Z", "X-Amz-Date=20261122T126000Z"),
        {"parameter": "X-Amz-Date", "value": "20261122T126000Z"},
    ),
    (
        "bad_expires",
        swap("X-Amz-Expires=20", "X-Amz-Expires=-5"),
        {"parameter": "X-Amz-Expires", "value": "-5"},
    ),
    (
        "expires_too_long",
        swap("X-Amz-Expires=20", "X-Amz-Expires=901"),
        {"parameter": "X-Amz-Expires", "seconds": 901, "maximum": 900},
    ),
    (
        "wrong_signed_headers",
        swap("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3Bx"),
        {"parameter": "X-Amz-SignedHeaders", "value": "host%3Bx", "expected": "host"},
    ),
    ("not_yet_valid", controller_sign(BASE, amz_date="20261122T120011Z"), {"seconds": 1}),
    ("expired", controller_sign(BASE, amz_date="20261122T115939Z"), {"seconds": 1}),
    ("unknown_identity", controller_sign(BASE, identity="nobody"), {"identity": "nobody"}),
    (
        "bad_signature_format",
        GOOD[: GOOD.index("X-Amz-Signature=") + 16] + "abc",
        {"parameter": "X-Amz-Signature", "length": 3},
    ),
    ("bad_signature", swap("wlan=1", "wlan=2"), {}),
    ("not_signed", "https://p/x?token=t&wlan=1&dest=d", {}),
    ("not_utf8", signed_raw("token=t&wlan=1&dest=d&ap=%FF"), {"parameter": "ap"}),
    (
        "missing_parameter",
        signed_raw("token=t&wlan=1"),
        {"parameter": "dest"},
    ),
    (
        "invalid_value",
        signed_raw("token=t&wlan=1&dest=d&vlan=4095"),
        {"parameter": "vlan", "reason": "not 0, empty or a VLAN id in 1..=4094"},
    ),
    (
        "invalid_value",
        signed_raw("token=t&wlan=1&dest=d&mac=zz"),
        {"parameter": "mac", "reason": "not a MAC address"},
    ),
]


@pytest.mark.parametrize(
    "kind,url,fields", ERRORS, ids=[f"{e[0]}-{i}" for i, e in enumerate(ERRORS)]
)
def test_every_error_kind(kind: str, url: str | bytes, fields: dict[str, object]) -> None:
    with pytest.raises(nacwire.SignatureError) as e:
        verifier().verify(url, now=NOW)
    err = e.value
    assert isinstance(err, nacwire.Error)
    assert err.kind == kind
    for name in FIELDS:
        assert getattr(err, name) == fields.get(name), name
    assert str(err)


def test_error_kinds_cover_the_crate() -> None:
    kinds = {k for k, _, _ in ERRORS} | {
        "invalid_host",
        "reserved_parameter",
        "controller_not_allowed",
    }  # raised by signing and controller_allowed, tested above
    src = (ROOT / "crates" / "ecp-sigv4" / "src" / "error.rs").read_text()
    variants = re.findall(r"^    ([A-Z][A-Za-z0-9]+)[ ({,]", src, re.M)
    snake = {re.sub(r"(?<!^)([A-Z])", r"_\1", v).lower() for v in variants}
    assert snake == kinds, snake ^ kinds


def test_ssid_hex_rule_error() -> None:
    r = ecp.parse_unsigned("https://p/x?token=t&wlan=1&dest=d&ssid=Guest")
    with pytest.raises(nacwire.SignatureError) as e:
        r.ssid_octets("hex")
    assert (e.value.kind, e.value.parameter) == ("invalid_value", "ssid")
    with pytest.raises(ValueError):
        r.ssid_octets("base64")  # type: ignore[arg-type]
    assert ecp.parse_unsigned("https://p/x?token=t&wlan=1&dest=d").ssid_octets() is None
    odd = ecp.parse_unsigned("https://p/x?token=t&wlan=1&dest=d&ssid=%FFab")
    assert (odd.ssid, odd.ssid_octets("text")) == ("\ufffdab", b"\xffab")


def test_bad_options() -> None:
    for kw in ({"port_rule": "sometimes"}, {"empty_path": "maybe"}):
        with pytest.raises(ValueError):
            verifier(**kw)
        with pytest.raises(ValueError):
            ecp.Signer("i", "s", **kw)  # type: ignore[arg-type]
    for identity in ("", "a/b"):
        with pytest.raises(ValueError):
            ecp.Signer(identity, "s")
    with pytest.raises(TypeError):
        ecp.Signer("i", 42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        verifier().verify(42)  # type: ignore[arg-type]
    with pytest.raises(nacwire.SignatureError) as e:
        ecp.parse_amz_date("yesterday")
    assert e.value.kind == "bad_date"


# ---------------------------------------------------------------------------------
# Fuzz: nothing but nacwire.SignatureError escapes, whatever the URL


def check(call: object, *args: object, **kw: object) -> None:
    try:
        call(*args, **kw)  # type: ignore[operator]
    except nacwire.SignatureError as e:
        assert e.kind and isinstance(str(e), str)
        for name in FIELDS:
            getattr(e, name)


V = verifier(reserialized_query_fallback=True)
URL_CHARS = st.sampled_from([*"%&=?#/:@[]!+ ._-~aAzZ09fF", "\x00", "\x7f", "é", "🙂", "X-Amz-"])
SEEDS = [GOOD, controller_sign(REDIRECT), *[u for _, u, _ in ERRORS if isinstance(u, str)]]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.lists(URL_CHARS, max_size=200).map("".join)))
def test_fuzz_random_urls(text: str) -> None:
    for url in (text, "https://p/x?" + text, "https://" + text):
        check(V.verify, url, now=NOW)
        check(V.verify_approval, url, now=NOW)
        check(ecp.parse_unsigned, url)
    check(V.verify_request, "portal.example.net", "/ecp/login", text, now=NOW)
    check(V.verify_request, text, text, text, now=NOW)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SEEDS),
    st.lists(
        st.tuples(
            st.sampled_from(["insert", "delete", "replace", "swap"]),
            st.integers(0, 10_000),
            st.one_of(URL_CHARS, st.text(max_size=4)),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_fuzz_mutated_signed_urls(seed: str, edits: list[tuple[str, int, str]]) -> None:
    url = seed
    for op, at, s in edits:
        i = at % (len(url) + 1)
        if op == "insert":
            url = url[:i] + s + url[i:]
        elif op == "delete":
            url = url[:i] + url[i + len(s) + 1 :]
        elif op == "replace":
            url = url[:i] + s + url[i + len(s) :]
        else:
            parts = url.split("&")
            j = at % len(parts)
            parts[0], parts[j] = parts[j], parts[0]
            url = "&".join(parts)
    check(V.verify, url, now=NOW)
    check(V.verify, url.encode("utf-8", "surrogatepass"), now=NOW)
    check(V.verify_approval, url, now=NOW)
    check(ecp.parse_unsigned, url)
    if "?" in url:
        check(V.verify_request, "portal.example.net", "/ecp/login", url.split("?", 1)[1], now=NOW)


def test_huge_urls_do_not_hang() -> None:
    start = time.monotonic()
    for url in (
        "https://p/x?" + "a=b&" * 1_000_000,
        "https://p/x?" + "%" * 1_000_000,
        "https://" + "[" * 1_000_000,
    ):
        check(V.verify, url, now=NOW)
        check(ecp.parse_unsigned, url, max_url_len=10_000_000)
    assert time.monotonic() - start < 30


def test_module_surface() -> None:
    assert nacwire.SignatureError is ecp.SignatureError
    assert issubclass(nacwire.SignatureError, nacwire.Error)
    assert set(ecp.__all__) <= set(dir(ecp))
    assert pathlib.Path(ecp.__file__).name == "ecp.py"
