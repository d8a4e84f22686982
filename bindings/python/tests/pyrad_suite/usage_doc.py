#!/usr/bin/env python3
"""pyrad user code as pyrad 2.6's usage documentation (docs/source/usage.rst) writes it.

Attributes (set, append, read, delete, errors), a str secret, Status-Server, a Server
subclass whose handler raises or drops, Proxy-State copied into replies, a client
refusing a reply with an unsolicited Proxy-State, and ClientAsync's errors. Prints one
line per check; the pyrad logger's records are printed without tracebacks. Written
against `pyrad`: run it with the real pyrad, or with nacwire.pyrad through install().

Usage: usage_doc.py DICTIONARY_DIR (the sdist's example/ directory)
"""

import asyncio
import logging
import os
import socket
import sys
import threading

from pyrad import packet
from pyrad.client import Client
from pyrad.client_async import ClientAsync
from pyrad.dictionary import Dictionary
from pyrad.server import RemoteHost, Server, ServerPacketError


class Short(logging.Formatter):
    def format(self, record):
        exc = f" [{record.exc_info[0].__name__}]" if record.exc_info else ""
        return f"{record.levelname} {record.name} {record.getMessage()}{exc}"


handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(Short())
logging.getLogger("pyrad").addHandler(handler)
logging.getLogger("pyrad").setLevel(logging.INFO)

os.chdir(sys.argv[1])
d = Dictionary("dictionary", "dictionary.freeradius")


def check(label, f):
    try:
        print(label, "->", f())
    except Exception as e:
        print(label, "raises", type(e).__name__, str(e)[:60])


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


check("str secret", lambda: packet.AuthPacket(secret="x", dict=d, User_Name="a").RequestPacket())
c0 = Client(server="127.0.0.1", secret=b"k", dict=d)
req = c0.CreateAuthPacket(User_Name="alice", NAS_Port=1)
req["NAS-Identifier"] = "nas01"
req["Reply-Message"] = ["first", "second"]
req.AddAttribute("Reply-Message", "third")
print(req["User-Name"], "NAS-Port" in req, req.get("Class", []), req["Reply-Message"])
del req["Reply-Message"]
print(list(req.keys()), list(req.items())[:2])
check("unknown attribute", lambda: req.__setitem__("No-Such", "x"))
check("integer from text", lambda: req.__setitem__("NAS-Port", "abc"))
check("bad address", lambda: req.__setitem__("Framed-IP-Address", "300.1.1.1"))
check("unknown value name", lambda: req.__setitem__("Service-Type", "No-Such-Value"))
check("missing attribute", lambda: req["Class"])
check(
    "status-server",
    lambda: (
        c0.CreateAcctPacket(code=packet.StatusServer).code,
        "Message-Authenticator" in c0.CreateAuthPacket(code=packet.StatusServer),
    ),
)


class MyServer(Server):
    def HandleAuthPacket(self, pkt):
        user = pkt["User-Name"][0]
        if user == "boom":
            raise RuntimeError("handler failed")
        if user == "drop":
            raise ServerPacketError("dropping on purpose")
        reply = self.CreateReplyPacket(pkt, Reply_Message="Hello")
        print("server: reply", list(reply.keys()), "request Proxy-State", pkt.get("Proxy-State"))
        self.SendReplyPacket(pkt.fd, reply)


port = free_port()
hosts = {"127.0.0.1": RemoteHost("127.0.0.1", b"k", "localhost")}
srv = MyServer(addresses=["127.0.0.1"], authport=port, acctport=free_port(), hosts=hosts, dict=d)
threading.Thread(target=srv.Run, daemon=True).start()
c = Client(server="127.0.0.1", authport=port, secret=b"k", dict=d, timeout=0.3, retries=1)
for user in ("boom", "drop", "alice"):
    r = c.CreateAuthPacket(User_Name=user)
    r["Proxy-State"] = b"ps1"
    r.AddAttribute("Proxy-State", b"ps2")
    check(
        "user " + user,
        lambda r=r: (lambda rep: (rep.code, list(rep.keys()), rep.get("Proxy-State")))(
            c.SendPacket(r)
        ),
    )
check("status-server to a pyrad server", lambda: c.SendPacket(c.CreateAuthPacket(code=12)).code)

# a server that adds a Proxy-State its client did not send
fake = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
fake.bind(("127.0.0.1", 0))


def answer():
    for _ in range(3):
        data, addr = fake.recvfrom(4096)
        request = packet.AuthPacket(packet=data, secret=b"k", dict=d)
        reply = request.CreateReply(Reply_Message="x")
        if request["User-Name"][0] == "inject":
            reply.AddAttribute("Proxy-State", b"evil")
        fake.sendto(reply.ReplyPacket(), addr)


threading.Thread(target=answer, daemon=True).start()
cf = Client(server="127.0.0.1", authport=fake.getsockname()[1], secret=b"k", dict=d)
cf.timeout = 0.3
cf.retries = 1
for user in ("plain", "inject"):
    r = cf.CreateAuthPacket(User_Name=user)
    check("fake " + user, lambda r=r: (lambda rep: (rep.code, list(rep.keys())))(cf.SendPacket(r)))


async def main():
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))
    ca = ClientAsync(server="127.0.0.1", auth_port=silent.getsockname()[1], secret=b"k", dict=d)
    await ca.initialize_transports(enable_auth=True)
    check("async: acct packet without its transport", lambda: ca.CreateAcctPacket(User_Name="x"))
    pending = ca.SendPacket(ca.CreateAuthPacket(User_Name="x"))
    await asyncio.sleep(0.1)
    await ca.deinitialize_transports()
    try:
        await pending
    except BaseException as e:
        print("async: pending on deinitialize_transports:", type(e).__name__, e)


asyncio.run(main())
