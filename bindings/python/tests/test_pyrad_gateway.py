"""Real tooling unchanged: a pyrad-style CoA gateway against a nacwire.pyrad CoA server.

The gateway (pyrad_suite/coa_gateway.py) is written against `pyrad`. It runs in a
subprocess three ways: with `nacwire.pyrad.install()` (the one-line switch), with its
import line changed to `nacwire.pyrad` (the only difference), and with the real pyrad
2.6 when that is installed. Its dictionary is a directory whose root file $INCLUDEs
FreeRADIUS's dictionary.rfc2865, rfc5176, cisco and juniper.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import threading

import pytest

from nacwire.pyrad import dictionary, packet, server

HERE = pathlib.Path(__file__).parent
APP = HERE / "pyrad_suite" / "coa_gateway.py"
FR = pathlib.Path(os.environ.get("FREERADIUS_DICT", "/usr/share/freeradius"))
SECRET = b"gateway-secret"
NAK_ATTRIBUTE = "Juniper-Local-User-Name"

pytestmark = pytest.mark.skipif(
    not (FR / "dictionary.cisco").exists() and os.environ.get("CI") != "true",
    reason="FreeRADIUS dictionaries (installed by scripts/test.sh; required under CI=true)",
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def dict_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    d = tmp_path_factory.mktemp("gateway-dict")
    for name in ("dictionary.cisco", "dictionary.juniper"):
        shutil.copy(FR / name, d / name)
    (d / "dictionary").write_text(
        f"$INCLUDE {FR}/dictionary.rfc2865\n"
        f"$INCLUDE {FR}/dictionary.rfc5176\n"
        "$INCLUDE dictionary.cisco\n"
        "$INCLUDE dictionary.juniper\n"
    )
    return d


class CoAServer(server.Server):
    """ACKs every CoA-Request, NAKs one that carries NAK_ATTRIBUTE."""

    def HandleCoaPacket(self, pkt: packet.Packet) -> None:
        reply = self.CreateReplyPacket(pkt)
        if NAK_ATTRIBUTE in pkt:
            reply.code = packet.CoANAK
        self.SendReplyPacket(pkt.fd, reply)


@pytest.fixture(scope="module")
def coa_port(dict_dir: pathlib.Path) -> int:
    port = _free_port()
    srv = CoAServer(
        addresses=["127.0.0.1"],
        coaport=port,
        auth_enabled=False,
        acct_enabled=False,
        coa_enabled=True,
        hosts={"127.0.0.1": server.RemoteHost("127.0.0.1", SECRET, "gateway")},
        dict=dictionary.Dictionary(str(dict_dir / "dictionary")),
    )
    threading.Thread(target=srv.Run, daemon=True).start()
    return port


def _run(
    dict_dir: pathlib.Path, port: int, attrs: dict[str, object], how: str, tmp: pathlib.Path
) -> str:
    args = [str(dict_dir), "127.0.0.1", str(port), SECRET.decode(), json.dumps(attrs)]
    if how == "install":
        code = (
            "import sys, runpy; import nacwire.pyrad; nacwire.pyrad.install(); "
            f"sys.argv = [{str(APP)!r}] + sys.argv[1:]; "
            f"runpy.run_path({str(APP)!r}, run_name='__main__')"
        )
        cmd = [sys.executable, "-c", code, *args]
    elif how == "import":
        original = APP.read_text()
        changed = original.replace(
            "from pyrad import client, dictionary, packet",
            "from nacwire.pyrad import client, dictionary, packet",
        )
        pairs = zip(original.splitlines(), changed.splitlines(), strict=True)
        diff = [(a, b) for a, b in pairs if a != b]
        assert len(diff) == 1, diff  # only the import line differs
        script = tmp / "coa_gateway_nacwire.py"
        script.write_text(changed)
        cmd = [sys.executable, str(script), *args]
    else:
        cmd = [sys.executable, str(APP), *args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert out.stderr == "" or "Traceback" not in out.stderr, out.stderr
    return out.stdout.strip()


CASES = [
    ({"User-Name": "alice", "Cisco-AVPair": "subscriber:command=reauthenticate"}, "CoA-ACK"),
    ({"User-Name": "bob", "Session-Timeout": 3600, "Juniper-Local-User-Name": "x"}, "CoA-NAK"),
    (
        {"User-Name": "carol", "No-Such-Attribute": "1"},
        "error: unknown attributes: No-Such-Attribute",
    ),
]


@pytest.mark.parametrize("how", ["install", "import"])
@pytest.mark.parametrize(("attrs", "expected"), CASES)
def test_gateway_with_nacwire(
    dict_dir: pathlib.Path,
    coa_port: int,
    attrs: dict[str, object],
    expected: str,
    how: str,
    tmp_path: pathlib.Path,
) -> None:
    assert _run(dict_dir, coa_port, attrs, how, tmp_path) == expected


@pytest.mark.skipif(
    importlib.util.find_spec("pyrad") is None and os.environ.get("NACWIRE_REQUIRE_PYRAD") != "1",
    reason="the real pyrad runs in scripts/test.sh's second venv (NACWIRE_REQUIRE_PYRAD=1)",
)
@pytest.mark.parametrize(("attrs", "expected"), CASES)
def test_gateway_with_real_pyrad(
    dict_dir: pathlib.Path,
    coa_port: int,
    attrs: dict[str, object],
    expected: str,
    tmp_path: pathlib.Path,
) -> None:
    # pyrad 2.6 rejects two lines of dictionary.juniper as shipped (type `String`):
    # it gets a copy with them lower-cased; nacwire.pyrad reads the file as shipped.
    theirs = tmp_path / "dict"
    shutil.copytree(dict_dir, theirs)
    juniper = theirs / "dictionary.juniper"
    juniper.write_text(
        juniper.read_text().replace("\tString", "\tstring").replace(" String", " string")
    )
    assert _run(theirs, coa_port, attrs, "pyrad", tmp_path) == expected


def test_install_aliases_every_pyrad_import() -> None:
    code = (
        "import nacwire.pyrad; nacwire.pyrad.install()\n"
        "import pyrad, pyrad.packet, pyrad.client, pyrad.server, pyrad.dictionary\n"
        "from pyrad.client_async import ClientAsync\n"
        "import nacwire.pyrad.packet as ours\n"
        "assert pyrad.packet is ours and pyrad is nacwire.pyrad\n"
        "assert ClientAsync.__module__ == 'nacwire.pyrad.client_async'\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.stdout.strip() == "ok", out.stderr
