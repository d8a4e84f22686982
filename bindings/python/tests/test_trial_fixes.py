"""Findings of the s12 user trial of the Python package, each pinned by a test: the
BlastRADIUS refusal names its way out, AsyncClient cannot be half-built, and
UnsignedReplyWarning points at the caller's line."""

from __future__ import annotations

import asyncio
import logging
import os
import warnings
from collections.abc import Iterator

import pytest

import nacwire
from conftest import ROOT, SECRET, accepting_server
from nacwire import nac, radius
from nacwire.pyrad import dictionary as pyrad_dictionary


@pytest.fixture
def unsigned_server() -> Iterator[int]:
    """Answers Access-Requests unsigned, as FreeRADIUS 3.2.1 does."""
    with accepting_server(signed=False) as port:
        yield port


LOGIN = {"User-Name": "bob", "User-Password": "hello"}
WAY_OUT = 'require_message_authenticator="auto"'


def test_unsigned_accept_refusal_names_the_way_out(unsigned_server: int) -> None:
    with radius.UdpClient("127.0.0.1", unsigned_server, SECRET, timeout=0.2, retries=1) as c:
        with pytest.raises(nacwire.VerifyError) as refused:
            c.request("Access-Request", LOGIN)
    text = str(refused.value)
    assert "Access-Accept has no Message-Authenticator" in text
    assert "FreeRADIUS before 3.2.5" in text
    assert WAY_OUT in text
    # and the way out works
    with radius.UdpClient(
        "127.0.0.1",
        unsigned_server,
        SECRET,
        timeout=0.2,
        retries=1,
        require_message_authenticator="auto",
    ) as c:
        with pytest.warns(nacwire.UnsignedReplyWarning):
            assert c.request("Access-Request", LOGIN).code_name == "Access-Accept"


def test_verify_reply_refusal_names_the_way_out() -> None:
    request = radius.build("Access-Request", SECRET, LOGIN)
    answer = radius.reply(request, "Access-Accept", SECRET, message_authenticator=False)
    with pytest.raises(nacwire.VerifyError, match=WAY_OUT):
        radius.Packet.decode(bytes(answer)).verify_reply(request, SECRET)


def test_request_refusal_gives_no_client_hint() -> None:
    # the server-side policy refusing an unsigned request is not about a server
    request = radius.build("Access-Request", SECRET, LOGIN, message_authenticator=False)
    with pytest.raises(nacwire.VerifyError) as refused:
        request.verify_request(SECRET, require_message_authenticator=True)
    assert "FreeRADIUS before 3.2.5" not in str(refused.value)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("127.0.0.1", 1812, b"x"), {"timeout": 1.0}),
        (("127.0.0.1", 1812, b"x"), {}),
        ((), {}),
    ],
)
def test_async_client_direct_construction_says_to_connect(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    with pytest.raises(TypeError, match=r"await AsyncClient\.connect\(host, port, secret"):
        radius.AsyncClient(*args, **kwargs)


def test_async_client_connect_still_works(unsigned_server: int) -> None:
    async def main() -> str:
        async with await radius.AsyncClient.connect(
            "127.0.0.1", unsigned_server, SECRET, timeout=0.2, require_message_authenticator="auto"
        ) as c:
            return (await c.request("Access-Request", LOGIN)).code_name

    with pytest.warns(nacwire.UnsignedReplyWarning):
        assert asyncio.run(main()) == "Access-Accept"


def test_unsigned_reply_warning_points_at_the_caller(unsigned_server: int) -> None:
    with radius.UdpClient(
        "127.0.0.1", unsigned_server, SECRET, timeout=0.2, require_message_authenticator="auto"
    ) as c:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            c.request("Access-Request", LOGIN)
    [warning] = [w for w in caught if issubclass(w.category, nacwire.UnsignedReplyWarning)]
    assert warning.filename == __file__


def test_unsigned_replies_accepted_on_purpose_are_not_warned_about(unsigned_server: int) -> None:
    # require_message_authenticator=False: the caller chose to accept unsigned
    # replies; "auto" warns on each (above), False does not.
    with radius.UdpClient(
        "127.0.0.1", unsigned_server, SECRET, timeout=0.2, require_message_authenticator=False
    ) as c:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert c.request("Access-Request", LOGIN).code_name == "Access-Accept"
    assert not [w for w in caught if issubclass(w.category, nacwire.UnsignedReplyWarning)]

    async def main() -> list[warnings.WarningMessage]:
        async with await radius.AsyncClient.connect(
            "127.0.0.1", unsigned_server, SECRET, timeout=0.2, require_message_authenticator=False
        ) as c:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                await c.request("Access-Request", LOGIN)
            return caught

    assert not [
        w for w in asyncio.run(main()) if issubclass(w.category, nacwire.UnsignedReplyWarning)
    ]


def test_async_unsigned_reply_warning_points_at_the_caller(unsigned_server: int) -> None:
    async def main() -> None:
        async with await radius.AsyncClient.connect(
            "127.0.0.1", unsigned_server, SECRET, timeout=0.2, require_message_authenticator="auto"
        ) as c:
            await c.request("Access-Request", LOGIN)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(main())
    [warning] = [w for w in caught if issubclass(w.category, nacwire.UnsignedReplyWarning)]
    assert warning.filename == __file__


def test_pyrad_full_tree_skips_what_pyrad_cannot_hold_and_says_so(caplog) -> None:  # type: ignore[no-untyped-def]
    root = "/usr/share/freeradius/dictionary"
    if not os.path.exists(root):
        if os.environ.get("CI") == "true":
            pytest.fail("FreeRADIUS dictionaries are not installed")
        pytest.skip("FreeRADIUS dictionaries are not installed")
    with caplog.at_level(logging.DEBUG, logger="pyrad"):
        d = pyrad_dictionary.Dictionary(root)
    # ipv4prefix (and the other types pyrad's API has no place for) are left out, as
    # pyrad 2.6 leaves them out of a file it can read
    assert "PMIP6-Home-IPv4-HoA" in d.skipped_attributes
    with pytest.raises(KeyError):
        d["PMIP6-Home-IPv4-HoA"]
    assert "Framed-IPv6-Prefix" in d
    # one WARNING with the count, pyrad's own message; each attribute at DEBUG
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage().split(" (")[0] for r in warned] == [
        f"Skipped {len(d.skipped_attributes)} unsupported dictionary attributes"
    ]
    debug = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert any("skipping attribute PMIP6-Home-IPv4-HoA: data type ipv4prefix" in m for m in debug)
    # and the README says so instead of "loads the whole FreeRADIUS tree"
    readme = (ROOT / "README.md").read_text()
    pyrad_part = readme.split("### Existing pyrad code", 1)[1].split("\n## ", 1)[0]
    assert "loads the whole FreeRADIUS tree" not in pyrad_part
    assert "skipped_attributes" in pyrad_part and "ipv4prefix" in pyrad_part


def test_plan_and_intent_reprs_name_attributes_the_builtin_dictionary_knows() -> None:
    session = nac.Session(
        nas_ip="192.0.2.10",
        acct_session_id="0A1B2C3D-00000042",
        calling_station=nac.MacAddress("b0:ee:7b:97:7f:33"),
    )
    plan = nac.Profile.get("cisco-ios").plan(session, nac.Intent.reauthenticate("last"))
    shown = repr(plan)
    assert 'Cisco-AVPair="subscriber:command=reauthenticate"' in shown
    assert "26.9.1" not in shown
    assert "NAS-IP-Address=192.0.2.10" in shown
    # a vendor attribute the built-in dictionary does not define keeps its numbers
    raw = nac.Intent.raw("coa", [((9, 1), "a=b"), ((99999, 7), b"x"), (6, 1)])
    assert repr(raw).count("Cisco-AVPair") == 1
    assert "26.99999.7" in repr(raw)
    assert "Service-Type" in repr(raw)


def test_wrong_secret_reveals_noise_and_verify_tells() -> None:
    request = radius.build("Access-Request", SECRET, LOGIN)  # signed
    right = radius.Packet.decode(bytes(request), secret=SECRET)
    wrong = radius.Packet.decode(bytes(request), secret=b"wrong")
    assert right["User-Password"] == "hello"
    assert wrong["User-Password"] != "hello"  # noise, no exception
    assert right.verify_request(SECRET) is True
    with pytest.raises(nacwire.VerifyError):
        wrong.verify_request(b"wrong")
    # unsigned: nothing to check the secret against, unless required
    unsigned = radius.Packet.decode(
        bytes(radius.build("Access-Request", SECRET, LOGIN, message_authenticator=False)),
        secret=b"wrong",
    )
    assert unsigned.verify_request(b"wrong") is False
    with pytest.raises(nacwire.VerifyError):
        unsigned.verify_request(b"wrong", require_message_authenticator=True)
    doc = radius.Packet.decode.__doc__ or ""
    assert "wrong secret" in doc.lower() and "verify_request" in doc
