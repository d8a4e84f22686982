"""pyrad 2.6.0's own example programs, unchanged, on nacwire.pyrad.

The sdist's ``example/`` directory (auth.py, acct.py, coa.py, client-coa.py, server.py,
server_async.py, auth_async.py and their ``dictionary`` files) is downloaded from PyPI
at test time (``pip download``; never committed), or read from the tarball named by
``NACWIRE_PYRAD_SDIST``. Each program runs in a subprocess of its own, unchanged, after
a prelude that calls ``nacwire.pyrad.install()`` (so its ``import pyrad...`` lines give
nacwire.pyrad) and maps the fixed ports the programs use (1812, 1813, 3799, 18121, the async
client's local 8000) to free loopback ports at the socket layer, so that the test can
share the machine. client-coa.py imports ``prctl`` (python-prctl, a C extension) to
name its process: a no-op stand-in module is put on its path.

Client programs are paired with server programs and both outputs are checked. When the
real pyrad 2.6 is importable as well (``scripts/test.sh``'s py-pyrad venv), every pair
also runs mixed (a nacwire.pyrad client against a real pyrad server and the other way
round) and with pyrad on both sides, and all must print the same transcript.
auth.py, acct.py and status.py also run against FreeRADIUS 3.2 on loopback, set up
with the examples' secrets (``require("freeradius")``: a failure under ``CI=true``);
``NACWIRE_REQUIRE_PYRAD=1`` makes the real pyrad required. Under ``CI=true`` a failed
download fails instead of skipping.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from conftest import free_udp_port, require

VERSION = "2.6.0"
TIMEOUT = 20  # seconds for one client program (the servers answer in milliseconds)

# Runs one example program: the port map, then (for nacwire) install(), then the program.
PRELUDE = """\
import os, runpy, socket, sys
PORTS = dict(tuple(map(int, p.split("="))) for p in os.environ["EXAMPLE_PORTS"].split(","))
def _map(addr):
    if isinstance(addr, tuple) and len(addr) >= 2 and addr[1] in PORTS:
        return (addr[0], PORTS[addr[1]], *addr[2:])
    return addr
def _wrap(name):
    orig = getattr(socket.socket, name)
    def call(self, *args):
        return orig(self, *args[:-1], _map(args[-1]))
    setattr(socket.socket, name, call)
for _name in ("bind", "connect", "connect_ex", "sendto"):
    _wrap(_name)
if os.environ["EXAMPLE_IMPL"] == "nacwire":
    import nacwire.pyrad
    nacwire.pyrad.install()
import pyrad
assert (pyrad.__name__ == "nacwire.pyrad") == (os.environ["EXAMPLE_IMPL"] == "nacwire"), pyrad
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""

PRCTL_STUB = (
    '"""Stand-in for python-prctl: names no process."""\n\n\ndef set_name(name):\n    pass\n'
)

REAL = importlib.util.find_spec("pyrad") is not None
if os.environ.get("NACWIRE_REQUIRE_PYRAD") and not REAL:
    raise RuntimeError("NACWIRE_REQUIRE_PYRAD is set but the real pyrad is not importable")
# (server, client) implementations; the first is the one this test is about.
COMBOS = [("nacwire", "nacwire")] + (
    [("real", "nacwire"), ("nacwire", "real"), ("real", "real")] if REAL else []
)


def _fail_or_skip(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The sdist's example/ directory, unpacked, with the prctl stand-in next to it."""
    work = tmp_path_factory.mktemp("pyrad-examples")
    given = os.environ.get("NACWIRE_PYRAD_SDIST")
    if given:
        sdist = pathlib.Path(given)
    else:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        cmd += ["--no-binary", ":all:", f"pyrad=={VERSION}", "-d", str(work)]
        if subprocess.run(cmd, check=False, capture_output=True).returncode != 0:
            _fail_or_skip(f"could not download the pyrad {VERSION} sdist from PyPI")
        sdist = work / f"pyrad-{VERSION}.tar.gz"
    if not sdist.is_file():
        _fail_or_skip(f"no pyrad sdist at {sdist}")
    prefix = f"pyrad-{VERSION}/example/"
    out = work / "example"
    out.mkdir()
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            if member.name.startswith(prefix) and member.isfile():
                src = tar.extractfile(member)
                assert src is not None
                (out / member.name[len(prefix) :]).write_bytes(src.read())
    shim = work / "shim"
    shim.mkdir()
    (shim / "prctl.py").write_text(PRCTL_STUB)
    (work / "prelude.py").write_text(PRELUDE)
    return out


@dataclass
class Runner:
    """Runs example programs with one port map, in their own directory."""

    examples: pathlib.Path
    ports: dict[int, int]

    def env(self, impl: str) -> dict[str, str]:
        env = dict(os.environ)
        env["EXAMPLE_IMPL"] = impl
        env["EXAMPLE_PORTS"] = ",".join(f"{a}={b}" for a, b in self.ports.items()) or "0=0"
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(self.examples.parent / "shim"), env.get("PYTHONPATH")) if p
        )
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def command(self, program: str, *args: str) -> list[str]:
        prelude = (self.examples.parent / "prelude.py").read_text()
        return [sys.executable, "-c", prelude, program, *args]

    def client(self, impl: str, program: str, *args: str) -> str:
        done = subprocess.run(
            self.command(program, *args),
            cwd=self.examples,
            env=self.env(impl),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, f"{program} {args} ({impl}):\n{done.stdout}"
        return done.stdout


def _bound(port: int) -> bool:
    """Whether someone listens on 127.0.0.1:port (the servers set SO_REUSEADDR, we do not)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError as err:
            return err.errno == errno.EADDRINUSE
    return False


@pytest.fixture
def runner(examples: pathlib.Path) -> Runner:
    return Runner(examples, {p: free_udp_port() for p in (1812, 1813, 3799, 8000)})


@dataclass
class Server:
    proc: subprocess.Popen[str]

    def stop(self) -> str:
        self.proc.terminate()
        out, _ = self.proc.communicate(timeout=10)
        return out


def _serve(runner: Runner, impl: str, program: str, *args: str, ports: tuple[int, ...]) -> Server:
    proc = subprocess.Popen(
        runner.command(program, *args),
        cwd=runner.examples,
        env=runner.env(impl),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 15
    while not all(_bound(runner.ports[p]) for p in ports):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"{program} ({impl}) did not start:\n{proc.communicate()[0]}")
        time.sleep(0.05)
    return Server(proc)


@pytest.fixture
def serve(runner: Runner) -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for s in started:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.communicate()


def normalize(text: str) -> list[str]:
    """The lines that do not vary from run to run: no random values, times, ports, ids."""
    subs = [
        (r"^\d{4}-\d\d-\d\d [\d:,]+ ", "TS "),
        (r"Message-Authenticator: \[b.*\]$", "Message-Authenticator: [MA]"),
        (r"(Octets|Session-Time): \[\d+\]", r"\1: [N]"),
        (r"Acct-Terminate-Cause: \['(User-Request|Idle-Timeout)'\]", "Acct-Terminate-Cause: [C]"),
        (r"packet: [0-9a-f]+$", "packet: HEX"),
        (r"^Authenticator  [0-9a-f]{32}$", "Authenticator  HEX"),
        (r"with id  \d+$", "with id  N"),
        (r"\('127\.0\.0\.1', \d+\)", "('127.0.0.1', P)"),
        (r"binding in 127\.0\.0\.1:\d+$", "binding in 127.0.0.1:P"),
        (r"processed in \d+ ms$", "processed in N ms"),
    ]
    lines = []
    for line in text.splitlines():
        for pattern, repl in subs:
            line = re.sub(pattern, repl, line)
        lines.append(line)
    return lines


AUTH_REPLY = [
    "Sending authentication request",
    "Access accepted",
    "Attributes returned by server:",
    "Message-Authenticator: [MA]",
    "Service-Type: ['Framed-User']",
    "Framed-IP-Address: ['192.168.0.1']",
    "Framed-IPv6-Prefix: ['fc66::/64']",
]
ACCT_CLIENT = ["Sending accounting start packet", "Sending accounting stop packet"]
AUTH_REQUEST = [
    "Message-Authenticator: [MA]",
    "User-Name: ['wichert']",
    "NAS-IP-Address: ['192.168.1.10']",
    "NAS-Port: [0]",
    "Service-Type: ['Login-User']",
    "NAS-Identifier: ['trillian']",
    "Called-Station-Id: ['00-04-5F-00-0F-D1']",
    "Calling-Station-Id: ['00-01-24-80-B3-9C']",
    "Framed-IP-Address: ['10.0.0.100']",
]
ACCT_COMMON = [
    "User-Name: ['wichert']",
    "NAS-IP-Address: ['192.168.1.10']",
    "NAS-Port: [0]",
    "NAS-Identifier: ['trillian']",
    "Called-Station-Id: ['00-04-5F-00-0F-D1']",
    "Calling-Station-Id: ['00-01-24-80-B3-9C']",
    "Framed-IP-Address: ['10.0.0.100']",
]
ACCT_START = [*ACCT_COMMON, "Acct-Status-Type: ['Start']"]
ACCT_STOP = [
    *ACCT_COMMON,
    "Acct-Status-Type: ['Stop']",
    "Acct-Input-Octets: [N]",
    "Acct-Output-Octets: [N]",
    "Acct-Session-Time: [N]",
    "Acct-Terminate-Cause: [C]",
]
COA_ATTRIBUTES = ["Acct-Session-Id: ['1337']", "NAS-Identifier: ['daemon-1234']"]


@pytest.mark.parametrize(("server_impl", "client_impl"), COMBOS)
def test_server_py(runner: Runner, serve: list[Server], server_impl: str, client_impl: str) -> None:
    """example/server.py (auth, acct, CoA on 0.0.0.0) with auth.py, acct.py, coa.py."""
    serve.append(_serve(runner, server_impl, "server.py", ports=(1812, 1813, 3799)))
    auth = runner.client(client_impl, "auth.py")
    acct = runner.client(client_impl, "acct.py")
    coa = runner.client(client_impl, "coa.py", "coa", "daemon-1234")
    dis = runner.client(client_impl, "coa.py", "dis", "daemon-1234")
    server_out = serve[0].stop()
    assert normalize(auth) == AUTH_REPLY
    assert normalize(acct) == ACCT_CLIENT
    assert normalize(coa) == ["CoAPacket()", "44"]  # CoA-ACK
    assert normalize(dis) == ["CoAPacket()", "45"]  # the server answers CoA-NAK on purpose
    assert normalize(server_out) == [
        "Received an authentication request",
        "Attributes: ",
        *AUTH_REQUEST,
        "Received an accounting request",
        "Attributes: ",
        *ACCT_START,
        "Received an accounting request",
        "Attributes: ",
        *ACCT_STOP,
        "Received a CoA request",
        "Attributes: ",
        *COA_ATTRIBUTES,
        "Received a disconnect request",
        "Attributes: ",
        *COA_ATTRIBUTES,
    ]


@pytest.mark.parametrize(("server_impl", "client_impl"), COMBOS)
def test_client_coa_py(
    runner: Runner, serve: list[Server], server_impl: str, client_impl: str
) -> None:
    """example/client-coa.py (a CoA-only server on the port given) with coa.py."""
    serve.append(_serve(runner, server_impl, "client-coa.py", "3799", ports=(3799,)))
    coa = runner.client(client_impl, "coa.py", "coa", "daemon-1234")
    dis = runner.client(client_impl, "coa.py", "dis", "daemon-1234")
    server_out = serve[0].stop()
    assert normalize(coa) == ["CoAPacket()", "44"]  # CoA-ACK
    assert normalize(dis) == ["CoAPacket()", "41"]  # Disconnect-ACK
    indented = [f"  {line}" for line in COA_ATTRIBUTES]
    assert normalize(server_out) == [
        "Received a coa request 43",
        "  Attributes: ",
        *indented,
        "Received a disconnect request 40",
        "  Attributes: ",
        *indented,
    ]


def _async_request(server: int, size: int, lines: list[str]) -> list[str]:
    """What server_async.py (debug=True, DEBUG logging) prints for one request."""
    head = f"TS [DEBUG   ] [127.0.0.1:{server}]"
    return [
        f"{head} Received {size} bytes from ('127.0.0.1', P)",
        f"{head} Received from ('127.0.0.1', P) packet: HEX",
        *lines,
        f"{head} Request from ('127.0.0.1', P) processed in N ms",
    ]


@pytest.mark.parametrize(("server_impl", "client_impl"), COMBOS)
def test_server_async_py(
    runner: Runner, serve: list[Server], server_impl: str, client_impl: str
) -> None:
    """example/server_async.py with auth.py, acct.py, coa.py and auth_async.py."""
    serve.append(_serve(runner, server_impl, "server_async.py", ports=(1812, 1813, 3799)))
    auth = runner.client(client_impl, "auth.py")
    acct = runner.client(client_impl, "acct.py")
    coa = runner.client(client_impl, "coa.py", "coa", "daemon-1234")
    dis = runner.client(client_impl, "coa.py", "dis", "daemon-1234")
    auth_async = runner.client(client_impl, "auth_async.py")
    server_out = serve[0].stop()
    assert normalize(auth) == AUTH_REPLY
    assert normalize(acct) == ACCT_CLIENT
    assert normalize(coa) == ["CoAPacket()", "44"]
    assert normalize(dis) == ["CoAPacket()", "45"]
    lines = normalize(auth_async)
    # the three transports open concurrently: their records come in any order
    created = sorted(line for line in lines if "Transport created" in line)
    assert created == [
        f"TS [INFO    ] [localhost:{p}] Transport created with binding in 127.0.0.1:P"
        for p in (1812, 1813, 3799)
    ]
    assert [line for line in lines if "Transport created" not in line] == [
        "TS [DEBUG   ] Using selector: EpollSelector",
        *AUTH_REPLY[1:],
        "END",
        *(
            line
            for p in (3799, 1812, 1813)
            for line in (
                f"TS [DEBUG   ] [localhost:{p}] Closing transport...",
                f"TS [INFO    ] [localhost:{p}] Transport closed",
            )
        ),
    ]
    request = [
        "Received an authentication request with id  N",
        "Authenticator  HEX",
        "Secret  b'Kah3choteereethiejeimaeziecumi'",
        "Attributes: ",
        *AUTH_REQUEST,
    ]
    got = normalize(server_out)
    started = [f"TS [INFO    ] [127.0.0.1:{p}] Transport created" for p in (1813, 1812, 3799)]
    assert got[0] == "TS [DEBUG   ] Using selector: EpollSelector"
    assert sorted(got[1:4]) == sorted(started)
    assert got[4:] == [
        *_async_request(1812, 119, request),
        *_async_request(1813, 101, ["Received an accounting request", "Attributes: ", *ACCT_START]),
        *_async_request(1813, 125, ["Received an accounting request", "Attributes: ", *ACCT_STOP]),
        *_async_request(3799, 39, ["Received a CoA request", "Attributes: ", *COA_ATTRIBUTES]),
        *_async_request(
            3799, 39, ["Received a disconnect request", "Attributes: ", *COA_ATTRIBUTES]
        ),
        *_async_request(1812, 119, request),
    ]


def test_star_import_binds_pyrads_names() -> None:
    """`from pyrad import *` binds pyrad 2.6's __all__ (its six modules), nothing more."""
    code = (
        "import nacwire.pyrad; nacwire.pyrad.install()\n"
        "ns = {}\n"
        "exec('from pyrad import *', ns)\n"
        "print(sorted(k for k in ns if not k.startswith('__')))\n"
        "print(ns['packet'].AccessAccept, ns['client'].Timeout.__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == [
        "['client', 'dictfile', 'dictionary', 'packet', 'server', 'tools']",
        "2 Timeout",
    ]


FR_SITE = """server default {
listen {
\ttype = auth
\tipaddr = 127.0.0.1
\tport = %(auth)d
}
listen {
\ttype = acct
\tipaddr = 127.0.0.1
\tport = %(acct)d
}
authorize {
\tpreprocess
\tfiles
\tpap
}
authenticate {
\tAuth-Type PAP {
\t\tpap
\t}
}
preacct {
\tpreprocess
\tacct_unique
}
accounting {
\tok
}
post-auth {
\tok
}
}
server status {
listen {
\ttype = status
\tipaddr = 127.0.0.1
\tport = %(status)d
}
client admin {
\tipaddr = 127.0.0.1
\tsecret = test
}
authorize {
\tok
\tAutz-Type Status-Server {
\t\tok
\t}
}
}
"""


@pytest.fixture(scope="module")
def freeradius_ports() -> Iterator[dict[int, int]]:
    """FreeRADIUS 3.2 set up as the examples expect: their secret, status on '18121'
    with secret 'test', and the user 'wichert' accepted without a password."""
    binary = require("freeradius")
    work = pathlib.Path(tempfile.mkdtemp(prefix="nacwire-pyrad-examples-fr-"))
    conf = work / "raddb"
    shutil.copytree("/etc/freeradius/3.0", conf, symlinks=False)
    ports = {p: free_udp_port() for p in (1812, 1813, 18121)}
    site = FR_SITE % {"auth": ports[1812], "acct": ports[1813], "status": ports[18121]}
    (conf / "sites-enabled" / "default").write_text(site)
    inner = conf / "sites-enabled" / "inner-tunnel"
    if inner.exists():
        inner.write_text(inner.read_text().replace("port = 18120", f"port = {free_udp_port()}"))
    (conf / "clients.conf").write_text(
        "client localhost {\n\tipaddr = 127.0.0.1\n\tsecret = Kah3choteereethiejeimaeziecumi\n}\n"
    )
    (conf / "mods-config" / "files" / "authorize").write_text(
        'wichert\tAuth-Type := Accept\n\tReply-Message := "Hello, %{User-Name}",\n'
        "\tSession-Timeout := 3600\n"
    )
    text = (conf / "radiusd.conf").read_text().splitlines()
    lines = [
        "#" + line if line.strip().startswith(("user = ", "group = ")) else line for line in text
    ]
    (conf / "radiusd.conf").write_text("\n".join(lines) + "\n")
    command = [binary, "-d", str(conf), "-f", "-x", "-l", "stdout"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            log.append(line)
            if "Ready to process requests" in line:
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(30):
        proc.kill()
        pytest.fail("freeradius did not start:\n" + "".join(log[-40:]))
    try:
        yield ports
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)


STATUS_LINE = re.compile(r"^(FreeRADIUS-[A-Za-z-]+|\(11344, \d+\)): \[.+\]$")


def test_clients_against_freeradius(
    examples: pathlib.Path, freeradius_ports: dict[int, int]
) -> None:
    """auth.py, acct.py and status.py against FreeRADIUS 3.2 (Status-Server, vendor
    attributes of the example dictionary, and attributes it lacks shown as raw keys)."""
    runner = Runner(examples, freeradius_ports)
    auth = runner.client("nacwire", "auth.py")
    acct = runner.client("nacwire", "acct.py")
    status = runner.client("nacwire", "status.py")
    # FreeRADIUS 3.2.1 signs no PAP reply: no Message-Authenticator here
    assert normalize(auth) == [
        "Sending authentication request",
        "Access accepted",
        "Attributes returned by server:",
        "Reply-Message: ['Hello, wichert']",
        "Session-Timeout: [3600]",
    ]
    assert normalize(acct) == ACCT_CLIENT
    lines = status.splitlines()
    assert lines[:2] == ["Sending FreeRADIUS status request", "Attributes returned by server:"]
    assert all(STATUS_LINE.match(line) for line in lines[2:]), lines
    keys = [line.split(": ")[0] for line in lines[2:]]
    # the server's counters by name; 191 and 192 are not in the example dictionary and
    # print as raw (vendor, type) keys, as pyrad prints them
    assert keys[:3] == [
        "FreeRADIUS-Total-Access-Requests",
        "FreeRADIUS-Total-Access-Accepts",
        "FreeRADIUS-Total-Access-Rejects",
    ]
    assert "(11344, 191): [b'\\x00\\x00\\x00\\x00']" in lines
    # what this test sent: one Access-Request (and the Status-Server), two Accounting-Requests
    assert "FreeRADIUS-Total-Access-Requests: [2]" in lines
    assert "FreeRADIUS-Total-Accounting-Requests: [2]" in lines
    if REAL:
        # pyrad on the same server prints the same lines (counters aside)
        real = runner.client("real", "status.py").splitlines()
        assert [re.sub(r"\d+\]$", "N]", x) for x in real] == [
            re.sub(r"\d+\]$", "N]", x) for x in lines
        ]


USAGE_DOC = [
    "str secret raises TypeError secret must be a binary string",
    "['alice'] True [] ['first', 'second', 'third']",
    "['User-Name', 'NAS-Port', 'NAS-Identifier'] [(1, [b'alice']), (5, [b'\\x00\\x00\\x00\\x01'])]",
    "unknown attribute raises KeyError 'No-Such'",
    "integer from text raises TypeError Can not encode non-integer as integer",
    "bad address raises AddressValueError Octet 300 (> 255) not permitted in '300.1.1.1'",
    "unknown value name raises TypeError Can not encode non-integer as integer",
    "missing attribute raises KeyError 25",
    "status-server -> (12, False)",
    "ERROR pyrad Error processing packet [RuntimeError]",
    "user boom raises Timeout ",
    "INFO pyrad Dropping packet: dropping on purpose",
    "user drop raises Timeout ",
    "server: reply ['Reply-Message', 'Proxy-State'] request Proxy-State [b'ps1', b'ps2']",
    "user alice -> (2, ['Message-Authenticator', 'Reply-Message', 'Proxy-State'],"
    " [b'ps1', b'ps2'])",
    "INFO pyrad Dropping packet: Received non-authentication packet on authentication port",
    "status-server to a pyrad server raises Timeout ",
    "fake plain -> (2, ['Message-Authenticator', 'Reply-Message'])",
    "fake inject raises Timeout ",
    "INFO pyrad [127.0.0.1:P] Transport created with binding in 127.0.0.1:P",
    "async: acct packet without its transport raises Exception Transport not initialized",
    "INFO pyrad [127.0.0.1:P] Transport closed",
    "async: pending on deinitialize_transports: ConnectionAbortedError Transport closed",
]


@pytest.mark.parametrize("impl", ["nacwire", "real"] if REAL else ["nacwire"])
def test_usage_documentation_code(examples: pathlib.Path, impl: str) -> None:
    """pyrad_suite/usage_doc.py: the code of pyrad 2.6's usage documentation (attributes
    and their errors, Server handlers that raise, Proxy-State, ClientAsync errors)."""
    program = pathlib.Path(__file__).parent / "pyrad_suite" / "usage_doc.py"
    out = Runner(examples, {}).client(impl, str(program), str(examples))
    lines = [re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:P", line) for line in out.splitlines()]
    assert lines == USAGE_DOC
