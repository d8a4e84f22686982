"""Shared fixtures: test vectors, and FreeRADIUS / radclient on loopback.

Under ``CI=true`` a missing peer (freeradius, radclient) fails the test instead of
skipping it: the test command installs them.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

SECRET = b"testing123"
ROOT = pathlib.Path(__file__).resolve().parents[3]
SHARED = pathlib.Path(os.environ.get("NACWIRE_SHARED", ROOT.parent / "shared"))
VECTORS = SHARED / "vectors"


def require(program: str) -> str:
    """The path of a peer program, or a skip (a failure under CI=true)."""
    path = shutil.which(program) or next(
        (p for p in (f"/usr/sbin/{program}", f"/usr/bin/{program}") if os.path.exists(p)), None
    )
    if path is None:
        message = f"{program} is not installed (scripts/test.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def bench_packet(name: str) -> bytes:
    """One of the shared benchmark packets A, B, C."""
    return bytes.fromhex((VECTORS / "bench-packets" / f"{name}.hex").read_text().strip())


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def accepting_server(*, signed: bool) -> Iterator[int]:
    """A UDP server on loopback (secret ``SECRET``) that answers every Access-Request
    with an Access-Accept, signed with Message-Authenticator or not (as FreeRADIUS
    before 3.2.5 answers); yields its port."""
    from nacwire import radius

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                data, peer = sock.recvfrom(4096)
            except TimeoutError:
                continue
            request = radius.Packet.decode(data)
            answer = radius.reply(request, "Access-Accept", SECRET, message_authenticator=signed)
            sock.sendto(bytes(answer), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(sock.getsockname()[1])
    finally:
        stop.set()
        thread.join()
        sock.close()


SITE = """server default {
listen {
\ttype = auth
\tipaddr = 127.0.0.1
\tport = AUTH_PORT
}
listen {
\ttype = acct
\tipaddr = 127.0.0.1
\tport = ACCT_PORT
}
authorize {
\tpreprocess
\tchap
\tfiles
\teap {
\t\tok = return
\t}
\tpap
\tAutz-Type Status-Server {
\t\tok
\t}
}
authenticate {
\tAuth-Type PAP {
\t\tpap
\t}
\tAuth-Type CHAP {
\t\tchap
\t}
\teap
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
"""

USERS = """bob\tCleartext-Password := "hello"
\tReply-Message := "Hello, %{User-Name}",
\tSession-Timeout := 3600
"""


@dataclass
class FreeRadius:
    """A running radiusd on loopback (secret ``testing123``, user ``bob``/``hello``)."""

    auth_port: int
    acct_port: int
    log: list[str]


@pytest.fixture(scope="session")
def freeradius() -> Iterator[FreeRadius]:
    binary = require("freeradius")
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="nacwire-py-freeradius-"))
    conf = workdir / "raddb"
    shutil.copytree("/etc/freeradius/3.0", conf, symlinks=False)
    ports = {name: free_udp_port() for name in ("AUTH_PORT", "ACCT_PORT")}
    site = SITE
    for name, port in ports.items():
        site = site.replace(name, str(port))
    (conf / "sites-enabled" / "default").write_text(site)
    # the stock inner-tunnel listens on the fixed port 18120: move it to a free one
    # so that several servers (other test runs) can share the machine
    inner = conf / "sites-enabled" / "inner-tunnel"
    if inner.exists():
        text = inner.read_text().replace("port = 18120", f"port = {free_udp_port()}")
        inner.write_text(text)
    (conf / "clients.conf").write_text(
        "client localhost {\n\tipaddr = 127.0.0.1\n\tsecret = testing123\n}\n"
    )
    (conf / "mods-config" / "files" / "authorize").write_text(USERS)
    # run as the invoking user: the copy is not readable by `freerad`
    text = (conf / "radiusd.conf").read_text().splitlines()
    lines = [
        "#" + line if line.strip().startswith(("user = ", "group = ")) else line for line in text
    ]
    (conf / "radiusd.conf").write_text("\n".join(lines) + "\n")
    command = [binary, "-d", str(conf), "-f", "-x", "-l", "stdout"]
    if os.path.exists("/usr/bin/stdbuf"):
        command = ["/usr/bin/stdbuf", "-oL", *command]
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
        yield FreeRadius(ports["AUTH_PORT"], ports["ACCT_PORT"], log)
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(workdir, ignore_errors=True)


def wait_for(predicate, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False
