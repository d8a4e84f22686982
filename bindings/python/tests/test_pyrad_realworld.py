"""Programs written for pyrad, unchanged, on nacwire.pyrad: the same transcript as pyrad 2.6.

Each program below is a short restatement, in our own words, of how a real open-source
project uses pyrad (read, not copied; the project and file are named on each program):

- privacyIDEA (privacyidea/privacyidea): ``privacyidea/lib/radiusserver.py``
  (``RADIUSServer.request``, ``test_radius``), ``privacyidea/lib/tokens/radiustoken.py``
  (Access-Challenge, State and Reply-Message) and ``tests/radiusmock.py`` (patching
  ``pyrad.client.Client.SendPacket``; ``CreateReply(**{"Reply-Message": ...})``).
- LinOTP (LinOTP/LinOTP): ``linotp/lib/request.py`` (the RADIUS token's request, the
  challenge mapped from ``response.keys()``) and ``linotp/tests/tools/dummy_radius_server.py``
  (a ``Server`` subclass reading ``pkt[1][0]``, ``PwDecrypt``, ``pkt["State"][0]``, setting a
  str State and replying through ``self._fdmap[self._realauthfds[0]]``).
- django-radius (robgolding/django-radius): ``radiusauth/backends/radius.py`` (a dictionary
  from a ``StringIO`` with ``Vendor-Specific`` as ``octets``, ``Class`` group/role parsing,
  ``Timeout`` and other exceptions logged).
- NAV (Uninett/nav): ``python/nav/statemon/checker/RadiusChecker.py`` (a monitoring check: a
  str secret from the configuration, every exception turned into a DOWN event).
- mx-bng-toolset (farsonic/mx-bng-toolset): ``coa.py`` and ``disconnect.py`` (Juniper ERX
  vendor attributes given as ``k.replace("-", "_")`` keywords, a str secret from argv), and
  a CoA/Disconnect helper found with the code search (``add_message_authenticator()`` in a
  ``try``, the packets dumped through ``items()``, ``int(key)`` and ``dict.attrindex.get``).
- openwisp-radius (openwisp/openwisp-radius): ``openwisp_radius/radclient/client.py`` and
  ``tests/test_radclient.py`` (``CoAPacket`` subclasses overriding ``_EncodeKeyValues`` and
  ``AddAttribute``, ``Dictionary(*paths)``, ``client._SendPacket(request, port=coaport)``,
  ``mock.patch.object(Client, "_SendPacket", side_effect=Timeout)``).
- websocket_nac (tmunzer/websocket_nac): ``src/mist_acct_radius.py`` (accounting built with
  ``AddAttribute`` after ``CreateAcctPacket()``/``CreateID()``, logged with ``packet.get``)
  and ``src/dumb_rad_server.py`` (``CreateReplyPacket(pkt, **{"Service-Type": ...})``, a
  Disconnect answered with ``reply.code = 45``).
- fakebras (EMamoshin/fakebras): ``pyrad_test.py`` (a server overriding the private
  ``_HandleAuthPacket``/``_HandleAcctPacket`` and calling the base class first).

Every program runs in a subprocess of its own, with ``pyrad`` resolving to nacwire.pyrad
through ``nacwire.pyrad.install()``, against a server program that runs the same way. The
``[nacwire]`` tests check the transcripts for what the programs must print; the ``[pyrad]``
tests run every pairing of nacwire.pyrad and the real pyrad 2.6 (client and server) and
require the same transcripts from all of them, and the same reply bytes from the servers
for the same request bytes. ``[pyrad]`` skips without pyrad 2.6 installed next to nacwire,
except under ``NACWIRE_REQUIRE_PYRAD=1`` (scripts/test.sh's second venv), where it fails.
Two programs also run against FreeRADIUS 3.2 (``require("freeradius")``). Also: a
captive portal's CHAP login (pyrad's documentation), a Twisted ``curved`` server (skips
without Twisted), pickles made by pyrad 2.6 loaded after the switch (a cache, a task
queue), and dictionary files as programs meet them (not UTF-8, missing, ``DictFile``).

Run: ``cd bindings/python && python -m pytest tests/test_pyrad_realworld.py -q``
"""

from __future__ import annotations

import importlib.util
import io
import os
import pathlib
import pickle
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from conftest import FreeRadius, free_udp_port

REAL = importlib.util.find_spec("pyrad") is not None
TIMEOUT = 60  # seconds for one program; the exchanges take milliseconds, timeouts < 2 s

# Runs one program: install() for nacwire, then the program with its arguments.
PRELUDE = """\
import os, runpy, sys
if os.environ["REALWORLD_IMPL"] == "nacwire":
    import nacwire.pyrad
    nacwire.pyrad.install()
import pyrad
assert (pyrad.__name__ == "nacwire.pyrad") == (os.environ["REALWORLD_IMPL"] == "nacwire")
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""

# ---------------------------------------------------------------------------------------
# Dictionaries: a root file that $INCLUDEs the RFC attributes and two vendors.

DICT_ROOT = """\
# the lab's dictionary, as privacyIDEA's and FreeRADIUS's: a root file of includes
$INCLUDE dictionary.rfc
$INCLUDE dictionary.erx
$INCLUDE dictionary.cisco
"""

DICT_RFC = """\
ATTRIBUTE	User-Name		1	string
ATTRIBUTE	User-Password		2	string	encrypt=1
ATTRIBUTE	CHAP-Password		3	octets
ATTRIBUTE	NAS-IP-Address		4	ipaddr
ATTRIBUTE	NAS-Port		5	integer
ATTRIBUTE	Service-Type		6	integer
ATTRIBUTE	Framed-IP-Address	8	ipaddr
ATTRIBUTE	Filter-Id		11	string
ATTRIBUTE	Reply-Message		18	string
ATTRIBUTE	State			24	octets
ATTRIBUTE	Class			25	octets
ATTRIBUTE	Session-Timeout		27	integer
ATTRIBUTE	Called-Station-Id	30	string
ATTRIBUTE	Calling-Station-Id	31	string
ATTRIBUTE	NAS-Identifier		32	string
ATTRIBUTE	Proxy-State		33	octets
ATTRIBUTE	Acct-Status-Type	40	integer
ATTRIBUTE	Acct-Delay-Time		41	integer
ATTRIBUTE	Acct-Input-Octets	42	integer
ATTRIBUTE	Acct-Output-Octets	43	integer
ATTRIBUTE	Acct-Session-Id		44	string
ATTRIBUTE	Acct-Authentic		45	integer
ATTRIBUTE	Acct-Session-Time	46	integer
ATTRIBUTE	Acct-Input-Packets	47	integer
ATTRIBUTE	Acct-Output-Packets	48	integer
ATTRIBUTE	Acct-Terminate-Cause	49	integer
ATTRIBUTE	Event-Timestamp		55	date
ATTRIBUTE	CHAP-Challenge		60	octets
ATTRIBUTE	NAS-Port-Type		61	integer
ATTRIBUTE	Message-Authenticator	80	octets
ATTRIBUTE	Framed-IPv6-Prefix	97	ipv6prefix
ATTRIBUTE	Error-Cause		101	integer
VALUE	Service-Type		Login-User		1
VALUE	Service-Type		Framed-User		2
VALUE	Acct-Status-Type	Start			1
VALUE	Acct-Status-Type	Stop			2
VALUE	Acct-Status-Type	Interim-Update		3
VALUE	Acct-Authentic		RADIUS			1
VALUE	Acct-Terminate-Cause	User-Request		1
VALUE	Acct-Terminate-Cause	Port-Unneeded		12
VALUE	NAS-Port-Type		Wireless-802.11		19
VALUE	Error-Cause		Session-Context-Not-Found	503
"""

DICT_ERX = """\
VENDOR		ERX			4874
BEGIN-VENDOR	ERX
ATTRIBUTE	ERX-Ingress-Policy-Name	10	string
ATTRIBUTE	ERX-Egress-Policy-Name	11	string
END-VENDOR	ERX
"""

DICT_CISCO = """\
VENDOR		Cisco			9
BEGIN-VENDOR	Cisco
ATTRIBUTE	Cisco-AVPair		1	string
END-VENDOR	Cisco
"""

# ---------------------------------------------------------------------------------------
# The server: LinOTP's dummy server for Access-Requests (OTP users, a challenge for
# unknown users), fakebras's private-handler override for accounting, websocket_nac's
# dumb server for CoA and Disconnect. argv: auth, acct and CoA ports.

LAB_SERVER = """\
import sys
from pyrad import packet, server
from pyrad.dictionary import Dictionary
from pyrad.packet import AccessAccept, AccessChallenge, AccessReject
from pyrad.server import RemoteHost, Server

CHALLENGE_STATE = "11321312313213132"
USERS = {"otpuser": "123456", "alice": "wonderland"}
SESSIONS = {"sess-1"}


def say(*words):
    print(*words)
    sys.stdout.flush()


def dump(pkt):
    # what the packet handlers of these servers print: every attribute by name
    for key in pkt.keys():
        if key != "Message-Authenticator":
            say("  %s: %s" % (key, pkt[key]))


class LabServer(Server):
    def HandleAuthPacket(self, pkt):
        if "CHAP-Password" in pkt:
            return self.chap(pkt)
        username = pkt[1][0]
        password = pkt.PwDecrypt(pkt[2][0])
        try:
            state = pkt["State"][0]
        except Exception:
            state = None
        say("auth", repr(username), repr(password), repr(state))
        name = username.decode("utf-8")
        if name == "blackhole":
            say("  (no answer)")
            return
        if state is not None:
            ok = password in USERS.values()
        elif name in USERS:
            ok = USERS[name] == password
        else:
            ok = None
        reply = self.CreateReplyPacket(pkt)
        if ok is True:
            reply.code = AccessAccept
            if name == "alice":
                reply["Class"] = [b"group=staff-net", b"role=staff"]
                reply["Session-Timeout"] = 3600
                reply["Cisco-AVPair"] = "shell:priv-lvl=15"
        elif ok is False:
            reply.code = AccessReject
            reply["Reply-Message"] = "Wrong password"
        else:
            reply.code = AccessChallenge
            reply["State"] = CHALLENGE_STATE
            reply["Reply-Message"] = "Enter your challenge reply:"
        say("  reply", reply.code)
        self.SendReplyPacket(self._fdmap[self._realauthfds[0]], reply)

    def chap(self, pkt):
        name = pkt["User-Name"][0]
        ok = pkt.VerifyChapPasswd(USERS.get(name, ""))
        say("chap", repr(name), ok, "CHAP-Challenge" in pkt)
        reply = self.CreateReplyPacket(pkt)
        reply.code = AccessAccept if ok else AccessReject
        if ok:
            reply["Session-Timeout"] = 600
            reply["Filter-Id"] = "portal-user"
        self.SendReplyPacket(pkt.fd, reply)

    def _HandleAcctPacket(self, pkt):
        Server._HandleAcctPacket(self, pkt)
        say("acct")
        dump(pkt)
        self.SendReplyPacket(pkt.fd, self.CreateReplyPacket(pkt))

    def HandleCoaPacket(self, pkt):
        say("coa")
        dump(pkt)
        self.SendReplyPacket(pkt.fd, self.CreateReplyPacket(pkt))

    def HandleDisconnectPacket(self, pkt):
        say("disconnect")
        dump(pkt)
        if pkt.get("Acct-Session-Id", [None])[0] in SESSIONS:
            reply = self.CreateReplyPacket(pkt)
        else:
            reply = self.CreateReplyPacket(pkt, **{"Error-Cause": "Session-Context-Not-Found"})
            reply.code = 42  # Disconnect-NAK
        self.SendReplyPacket(pkt.fd, reply)


if sys.argv[4:] == ["log"]:
    # a handler that keeps each record's template and arguments apart, as Sentry's
    # logging integration and structured-logging formatters do
    import logging

    class Keep(logging.Handler):
        def emit(self, record):
            say("log", record.name, record.levelname, repr(record.msg), repr(record.args))

    logging.getLogger("pyrad").addHandler(Keep())
    logging.getLogger("pyrad").setLevel(logging.INFO)

srv = LabServer(
    addresses=["127.0.0.1"],
    authport=int(sys.argv[1]),
    acctport=int(sys.argv[2]),
    coaport=int(sys.argv[3]),
    coa_enabled=True,
    hosts={"127.0.0.1": RemoteHost("127.0.0.1", b"testing123", "localhost")},
    dict=Dictionary("dictionary"),
)
# (ports given as 0: the kernel's, bound here, so no other process can take them first)
say("ready", *(fds[0].getsockname()[1] for fds in (srv.authfds, srv.acctfds, srv.coafds)))
srv.Run()
"""

# ---------------------------------------------------------------------------------------
# privacyIDEA's RADIUSServer.request and RADIUS token, LinOTP's challenge mapping.
# argv: auth port, a port that never answers, then a mode.

OTP_CLIENT = """\
import logging
import sys
from unittest import mock

import pyrad.packet
from pyrad.client import Client, Timeout
from pyrad.dictionary import Dictionary
from pyrad.packet import AccessAccept, AccessChallenge, AccessReject

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")
log = logging.getLogger("otp")
PORT, SILENT, MODE = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
WAIT = 3  # answers come in milliseconds; FreeRADIUS delays an Access-Reject by 1 s
DEAD = 0.3  # for the requests that get no answer


def request(user, password, state=None, check_ma=False, port=PORT, wait=WAIT):
    srv = Client(server="127.0.0.1", authport=port, secret=b"testing123",
                 dict=Dictionary("dictionary"))
    srv.timeout = wait
    srv.retries = 2
    req = srv.CreateAuthPacket(code=pyrad.packet.AccessRequest,
                               User_Name=user.encode("utf-8"),
                               NAS_Identifier="privacyIDEA".encode("ascii"),
                               message_authenticator=check_ma)
    req["User-Password"] = req.PwCrypt(password)
    if state:
        req["State"] = state
    sent = req.authenticator
    try:
        response = srv.SendPacket(req)
    except Timeout:
        log.warning("Timeout while contacting remote radius server")
        return None
    try:
        if not response.verify_message_authenticator(original_authenticator=sent):
            log.warning("Verification of Message-Authenticator failed")
        else:
            log.info("Message-Authenticator verified")
    except Exception as e:
        log.warning("Unable to verify Message-Authenticator Attribute in response: %s", e)
    return response


def check(user, password, state=None, check_ma=False, port=PORT, wait=WAIT):
    response = request(user, password, state, check_ma, port, wait)
    if response is None:
        print(user, "-> no answer")
        return None
    if response.code == pyrad.packet.AccessChallenge:
        opt = {}
        for attr in list(response.keys()):
            opt[attr] = response[attr]
        print(user, "-> challenge", sorted(k for k in opt if k != "Message-Authenticator"))
        log.info("Server requires Challenge-Response (Answer: {!r})".format(
            response["Reply-Message"]))
        return opt["State"][0] if "State" in opt else None
    if response.code == pyrad.packet.AccessAccept:
        print(user, "-> accept", response.code == AccessAccept)
    else:
        print(user, "-> reject", response.code == AccessReject, response.get("Reply-Message"))
    return None


if MODE == "server":
    check("otpuser", "123456", check_ma=True)
    check("otpuser", "000000")
    state = check("newbie", "654321")
    print("state", repr(state))
    check("newbie", "123456", state=state, check_ma=True)
    check("newbie", "bad", state=state)
    check("n\\u00f6n\\u00e4scii", "passw\\u00f6rd")
    check("blackhole", "x", wait=DEAD)
    check("otpuser", "123456", port=SILENT, wait=DEAD)
elif MODE == "freeradius":
    check("bob", "hello", check_ma=True)
    response = request("bob", "hello")
    print(sorted(response.keys()), response["Reply-Message"], response["Session-Timeout"])
    check("bob", "wrong")
elif MODE == "mock":
    # tests/radiusmock.py: SendPacket replaced on the class, the reply made locally
    def answer(client, pkt, *args, **kwargs):
        pkt.RequestPacket()
        reply = pkt.CreateReply(**{"Reply-Message": "Please enter OTP"})
        reply.code = AccessChallenge
        return reply

    with mock.patch("pyrad.client.Client.SendPacket", answer):
        check("user", "password", check_ma=True)
        response = request("n\\u00f6n\\u00e4scii", "passw\\u00f6rd")
        print(isinstance(response, pyrad.packet.Packet), response.code)
    with mock.patch("pyrad.client.Client.SendPacket", side_effect=Timeout):
        check("user", "password")
"""

# ---------------------------------------------------------------------------------------
# django-radius's RADIUSBackend, without Django. argv: auth port, a silent port.

DJANGO_BACKEND = '''\
import logging
import sys
from io import StringIO

from pyrad.client import Client, Timeout
from pyrad.dictionary import Dictionary
from pyrad.packet import AccessAccept, AccessReject, AccessRequest

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")

DICTIONARY = u"""
ATTRIBUTE   User-Name       1   string
ATTRIBUTE   User-Password   2   string
ATTRIBUTE   NAS-IP-Address  4   ipaddr
ATTRIBUTE   Reply-Message   18  string
ATTRIBUTE   State           24  octets
ATTRIBUTE   Class           25  octets
ATTRIBUTE   Vendor-Specific 26  octets
ATTRIBUTE   Session-Timeout 27  integer
ATTRIBUTE   Called-Station-Id 30 string
ATTRIBUTE   NAS-Identifier  32  string
"""
RADIUS_ATTRIBUTES = {"NAS-IP-Address": "192.0.2.10", "Called-Station-Id": "portal"}


class RADIUSBackend(object):
    def _get_dictionary(self):
        return Dictionary(StringIO(DICTIONARY))

    def _get_auth_packet(self, username, password, client):
        pkt = client.CreateAuthPacket(code=AccessRequest, User_Name=username)
        pkt["User-Password"] = pkt.PwCrypt(password)
        pkt["NAS-Identifier"] = "django-radius"
        for key, val in list(RADIUS_ATTRIBUTES.items()):
            pkt[key] = val
        return pkt

    def _get_client(self, server):
        client = Client(server=server[0], authport=server[1], secret=server[2],
                        dict=self._get_dictionary())
        client.timeout = 0.3 if server[1] == silent else 3
        client.retries = 2
        return client

    def _perform_radius_auth(self, client, packet):
        try:
            reply = client.SendPacket(packet)
        except Timeout:
            logging.error("RADIUS timeout occurred contacting %s" % (client.server,))
            return None
        except Exception as e:
            logging.error("RADIUS error: %s" % e)
            return None
        if reply.code == AccessReject:
            logging.warning("RADIUS access rejected for user '%s'" % (packet["User-Name"]))
            return None
        elif reply.code != AccessAccept:
            logging.error("RADIUS access error for user '%s' (code %s)"
                          % (packet["User-Name"], reply.code))
            return None
        logging.info("RADIUS access granted for user '%s'" % (packet["User-Name"]))
        logging.info("reply keys %s" % ([k for k in reply.keys()
                                          if k != 80 and k != "Message-Authenticator"],))
        if "Class" not in reply.keys():
            return [], False, False
        groups, is_staff, is_superuser = [], False, False
        for cl in reply["Class"]:
            cl = cl.decode("utf-8")
            if cl.lower().find("group=") == 0:
                groups.append(cl[len("group="):])
            elif cl.lower().find("role=") == 0:
                role = cl[len("role="):]
                is_staff = is_staff or role == "staff"
                is_superuser = is_superuser or role == "superuser"
        return groups, is_staff, is_superuser

    def authenticate(self, server, username, password):
        client = self._get_client(server)
        packet = self._get_auth_packet(username, password, client)
        return self._perform_radius_auth(client, packet)


backend = RADIUSBackend()
port, silent = int(sys.argv[1]), int(sys.argv[2])
for user, password, where in (("alice", "wonderland", port), ("alice", "guess", port),
                              ("otpuser", "123456", port), ("bob", "hello", port),
                              ("alice", "wonderland", silent)):
    print(user, backend.authenticate(("127.0.0.1", where, b"testing123"), user, password))
try:  # a settings.RADIUS_SECRET left a str: Django sees the exception
    backend.authenticate(("127.0.0.1", port, "testing123"), "alice", "x")
except TypeError as e:
    print("str secret:", e)
'''

# ---------------------------------------------------------------------------------------
# NAV's RadiusChecker as a Nagios-style check. argv: auth port, silent port.

NAV_CHECK = """\
import sys

import pyrad.packet
from pyrad.client import Client
from pyrad.dictionary import Dictionary

UP, DOWN = "UP", "DOWN"


def execute(port, secret, username, password, identifier="nav"):
    try:
        srv = Client(server="127.0.0.1", authport=port, secret=secret,
                     dict=Dictionary("dictionary"), retries=2,
                     timeout=3 if port == PORT and username != "blackhole" else 0.3)
        req = srv.CreateAuthPacket(code=pyrad.packet.AccessRequest,
                                   User_Name=username, NAS_Identifier=identifier)
        req["User-Password"] = req.PwCrypt(password)
        srv.SendPacket(req)
    except Exception as err:
        where = "the server" if port == PORT else "the silent port"
        return DOWN, "Failed connecting to %s: %s (%s)" % (where, str(err), type(err).__name__)
    return UP, "Radius: FreeRadius 1.0"


PORT, SILENT = int(sys.argv[1]), int(sys.argv[2])
states = []
for args in ((PORT, b"testing123", "otpuser", "000000"),
             (PORT, "testing123", "otpuser", "123456"),
             (SILENT, b"testing123", "otpuser", "123456"),
             (PORT, b"testing123", "blackhole", "x")):
    event, text = execute(*args)
    print(event, text)
    states.append(event)
sys.exit(0 if states.count(DOWN) == 3 else 2)
"""

# ---------------------------------------------------------------------------------------
# mx-bng-toolset's coa.py / disconnect.py and a CoA/Disconnect helper. argv: CoA port.

COA_SENDER = """\
import ipaddress
import sys

from pyrad import dictionary, packet
from pyrad.client import Client

PORT = int(sys.argv[1])
ERROR_CAUSE = {503: "Session-Context-Not-Found"}


def attr_name(pkt, attr_id):
    try:
        a = pkt.dict.attrindex.get(attr_id)
        if a:
            return a.name
    except Exception:
        pass
    return str(attr_id)


def decode(attr_id, b):
    if not isinstance(b, (bytes, bytearray)):
        return str(b)
    if len(b) == 4:
        i = int.from_bytes(b, "big", signed=False)
        if attr_id in (4, 8):
            return str(ipaddress.IPv4Address(i))
        if attr_id == 101:
            return "%d (%s)" % (i, ERROR_CAUSE.get(i, "Unknown"))
        return str(i)
    if attr_id == 80:
        return "MA of %d bytes" % len(b)
    return b.decode("utf-8", errors="replace")


def pkt_to_dict(pkt):
    out = {}
    try:
        for k, v in pkt.items():
            attr_id = int(k)
            values = v if isinstance(v, (list, tuple)) else [v]
            decoded = [decode(attr_id, x) for x in values]
            out[attr_name(pkt, attr_id)] = decoded[0] if len(decoded) == 1 else decoded
    except Exception as e:
        return {"_decode_error": repr(e)}
    return out


def client(secret):
    c = Client(server="127.0.0.1", secret=secret, dict=dictionary.Dictionary("dictionary"),
               coaport=PORT)
    c.timeout = 2
    c.retries = 1
    return c


# coa.py: a session's policies, the secret from the command line (a str)
ATTRIBUTES = {"Acct-Session-Id": "sess-1", "ERX-Ingress-Policy-Name": "in-10M",
              "ERX-Egress-Policy-Name": "out-10M"}
attributes = {k.replace("-", "_"): ATTRIBUTES[k] for k in ATTRIBUTES}
try:
    request = client("testing123").CreateCoAPacket(**attributes)
    print("str secret", request.code)
except Exception as e:
    print("str secret:", type(e).__name__, e)
c = client(b"testing123")
request = c.CreateCoAPacket(**attributes)
print(pkt_to_dict(request), sorted(map(str, request.keys())))
print(c.SendPacket(request).code)

# disconnect.py
for session in ("sess-1", "sess-9"):
    req = c.CreateCoAPacket(code=packet.DisconnectRequest, Acct_Session_Id=session,
                            Framed_IP_Address="10.0.0.7", NAS_Identifier="bng-1")
    try:
        req.add_message_authenticator()
    except Exception:
        pass
    print("tx", req.code, pkt_to_dict(req))
    reply = c.SendPacket(req)
    print("rx", reply.code, pkt_to_dict(reply), reply.get("Error-Cause"))

# a role change: the packet first, then the attributes one by one
req = c.CreateCoAPacket(code=packet.CoARequest)
req["Filter-Id"] = "role-guest"
req["Calling-Station-Id"] = "02-00-00-00-00-01"
req["User-Name"] = "alice"
req.add_message_authenticator()
reply = c.SendPacket(req)
print("role", reply.code, pkt_to_dict(reply))
"""

# ---------------------------------------------------------------------------------------
# openwisp-radius's RadClient and its tests. argv: CoA port.

OPENWISP_RADCLIENT = """\
import logging
import sys
from unittest.mock import Mock, patch

from pyrad.client import Client, Timeout
from pyrad.dictionary import Dictionary
from pyrad.packet import CoAACK, CoANAK, CoAPacket as BaseCoAPacket
from pyrad.packet import DisconnectACK, DisconnectNAK, DisconnectRequest

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")
logger = logging.getLogger("radclient")
PORT = int(sys.argv[1])


class CoaPacket(BaseCoAPacket):
    def _EncodeKeyValues(self, key, values):
        if values == "":
            return (key, values)
        return super()._EncodeKeyValues(key, values)

    def AddAttribute(self, key, value):
        try:
            return super().AddAttribute(key, value)
        except KeyError:
            logger.warning(f"RADIUS attribute '{key}' not found in dictionary")


class DisconnectPacket(BaseCoAPacket):
    def __init__(self, code=DisconnectRequest, *args, **kwargs):
        super().__init__(code=code, *args, **kwargs)


class RadClient(object):
    def __init__(self, host, radsecret):
        self.client = Client(server=host, secret=radsecret.encode(),
                             dict=Dictionary(*self.get_dictionaries()), coaport=PORT)
        self.client.timeout = 2
        self.client.retries = 1

    def get_dictionaries(self):
        return ["dictionary", "dictionary.erx"]

    def _send(self, packet_class, attributes, name, success_code, nak_code):
        request = packet_class(secret=self.client.secret, dict=self.client.dict, **attributes)
        try:
            response = self.client._SendPacket(request, port=self.client.coaport)
        except Timeout:
            logger.info(f"Failed to perform {name}: {name} request timed out.")
            return False
        if response.code == success_code:
            logger.info(f"{name}ACK received for payload: {attributes}")
            return True
        if response.code == nak_code:
            logger.info(f"{name}NAK received for payload: {attributes}")
        return False

    def perform_change_of_authorization(self, attributes):
        return self._send(CoaPacket, attributes, "CoA", CoAACK, CoANAK)

    def perform_disconnect(self, attributes):
        return self._send(DisconnectPacket, attributes, "Disconnect", DisconnectACK,
                          DisconnectNAK)


rc = RadClient("127.0.0.1", "testing123")
print(rc.perform_change_of_authorization({"Session-Timeout": "10800",
                                          "ERX-Ingress-Policy-Name": "gold"}))
print(rc.perform_change_of_authorization({"User-Name": "bob", "No-Such-Attribute": "1"}))
print(rc.perform_disconnect({"User-Name": "testuser"}))
print(rc.perform_disconnect({"User-Name": "testuser", "Acct-Session-Id": "sess-1"}))
with patch.object(Client, "_SendPacket", side_effect=Timeout):
    print(rc.perform_change_of_authorization({"Session-Timeout": "10800"}))
mocked = Mock()
mocked.code = CoANAK
with patch.object(Client, "_SendPacket", return_value=mocked):
    print(rc.perform_change_of_authorization({"Session-Timeout": "10800"}))

# the unit tests of the packet classes
packet = CoaPacket(dict=rc.client.dict)
print(packet._EncodeKeyValues("Session-Timeout", ""))
print(packet._EncodeKeyValues("Session-Timeout", "10"))
packet = DisconnectPacket(dict=rc.client.dict)
print(packet.code, packet._EncodeKeyValues("User-Name", ""),
      packet._EncodeKeyValues("User-Name", "testuser"))
packet = CoaPacket(dict=rc.client.dict)
packet.AddAttribute("User-Name", "testuser")
packet.AddAttribute("Unknown-Attribute", "test-value")
print(len(packet), packet.keys())
"""

# ---------------------------------------------------------------------------------------
# websocket_nac's RadiusAcct (Mist clients as accounting). argv: acct port, silent port.

MIST_ACCT = """\
import socket
import sys

from pyrad.client import Client, Timeout
from pyrad.dictionary import Dictionary
from pyrad.packet import Packet

PORT, SILENT = int(sys.argv[1]), int(sys.argv[2])


class MistClient:
    username = "alice@example.org"
    assoc_time = 1700000123
    ip = "10.1.2.3"
    bssid = "5c5b35000001"
    ssid = "corp"
    mac = "02-00-00-00-00-01"
    rx_bytes, tx_bytes, rx_pkts, tx_pkts, uptime = 123456, 654321, 1000, 2000, 3600


class RadiusAcct:
    def __init__(self, port):
        self.pyrad_client = Client(server="127.0.0.1", secret=b"testing123", acctport=port,
                                   dict=Dictionary("dictionary"), retries=2,
                                   timeout=3 if port == PORT else 0.3)

    def _send_packet(self, rad_acct: Packet):
        try:
            self.pyrad_client.SendPacket(rad_acct)
            print("sent")
        except Timeout:
            print("RADIUS server does not reply")
        except socket.error as error:
            print("Network error: " + str(error))

    def _base(self, client):
        rad_acct = self.pyrad_client.CreateAcctPacket()
        rad_acct.CreateID()
        rad_acct.AddAttribute("User-Name", client.username)
        rad_acct.AddAttribute("Acct-Session-Id", str(client.assoc_time)[2:])
        rad_acct.AddAttribute("Event-Timestamp", 1700000456)
        rad_acct.AddAttribute("Framed-IP-Address", client.ip)
        rad_acct.AddAttribute("Called-Station-Id", f"{client.bssid}:{client.ssid}")
        rad_acct.AddAttribute("Calling-Station-Id", client.mac)
        rad_acct.AddAttribute("Acct-Delay-Time", 0)
        rad_acct.AddAttribute("Acct-Authentic", "RADIUS")
        rad_acct.AddAttribute("NAS-Port-Type", "Wireless-802.11")
        return rad_acct

    def _stop(self, client, terminate_cause="Port-Unneeded"):
        rad_acct = self._base(client)
        rad_acct.AddAttribute("Acct-Status-Type", "Stop")
        rad_acct.AddAttribute("Acct-Input-Octets", client.rx_bytes)
        rad_acct.AddAttribute("Acct-Output-Octets", client.tx_bytes)
        rad_acct.AddAttribute("Acct-Input-Packets", client.rx_pkts)
        rad_acct.AddAttribute("Acct-Output-Packets", client.tx_pkts)
        rad_acct.AddAttribute("Acct-Session-Time", client.uptime)
        rad_acct.AddAttribute("Acct-Terminate-Cause", terminate_cause)
        return rad_acct

    def _get_log(self, packet):
        return ", ".join(f"{field}: {packet.get(field)}" for field in packet.keys())

    def start(self, client):
        rad_acct = self._base(client)
        rad_acct.AddAttribute("Acct-Status-Type", "Start")
        print("start:", self._get_log(rad_acct))
        self._send_packet(rad_acct)

    def stop(self, client):
        rad_acct = self._stop(client)
        print("stop:", self._get_log(rad_acct))
        self._send_packet(rad_acct)
        print("delay after the send:", rad_acct.get("Acct-Delay-Time"))


acct = RadiusAcct(PORT)
acct.start(MistClient())
acct.stop(MistClient())
RadiusAcct(SILENT).stop(MistClient())
"""

# ---------------------------------------------------------------------------------------
# A Twisted server on pyrad.curved, as the RADIUSAccess subclass found with the code search
# (its __init__ calls curved.RADIUS.__init__, replies go out with transport.write).
# argv: auth port.

CURVED_SERVER = """\
import sys

from twisted.internet import reactor
from twisted.python import log

from pyrad import curved, dictionary, packet, server


class RadiusServer(curved.RADIUSAccess):
    def __init__(self, secret):
        self.secret = secret
        hosts = {"127.0.0.1": server.RemoteHost("127.0.0.1", secret, "localhost")}
        curved.RADIUS.__init__(self, hosts=hosts, dict=dictionary.Dictionary("dictionary"))

    def reply(self, code, pkt):
        reply = pkt.CreateReply()
        reply.source = pkt.source
        reply.secret = self.secret
        reply.code = code
        return reply.ReplyPacket()

    def processPacket(self, pkt):
        curved.RADIUSAccess.processPacket(self, pkt)
        attrs = {}
        for attr in pkt.keys():
            attrs[attr] = pkt[attr][0]
        print("request", sorted(k for k in attrs if k != "Message-Authenticator"),
              attrs.get("User-Name"))
        sys.stdout.flush()
        if attrs.get("User-Name") == "boom":
            raise ValueError("handler failed")
        self.transport.write(self.reply(packet.AccessAccept, pkt), pkt.source)


def lines(event):
    # Twisted's log events as plain lines: no times, a traceback by its last line
    text = log.textFromEventDict(event)
    if text:
        text = text.strip().splitlines()
        print("log", text[-1] if "Traceback (most recent call last):" in text else text[0])
        sys.stdout.flush()


log.startLoggingWithObserver(lines, setStdout=False)
reactor.listenUDP(int(sys.argv[1]), RadiusServer(b"testing123"), interface="127.0.0.1")
reactor.callWhenRunning(lambda: (print("ready"), sys.stdout.flush()))
reactor.run()
"""

# ---------------------------------------------------------------------------------------
# A captive portal's CHAP login, as pyrad's documentation and CoovaChilli-style portals do
# it: CHAP-Password = ident + MD5(ident + password + challenge), the challenge in
# CHAP-Challenge or in the Request Authenticator. argv: auth port.

PORTAL_CHAP = """\
import hashlib
import sys

import pyrad.packet
from pyrad.client import Client
from pyrad.dictionary import Dictionary

client = Client(server="127.0.0.1", authport=int(sys.argv[1]), secret=b"testing123",
                dict=Dictionary("dictionary"), retries=2, timeout=1)


def login(user, password, challenge=None, ident=b"\\x07"):
    req = client.CreateAuthPacket(code=pyrad.packet.AccessRequest, User_Name=user,
                                  NAS_Identifier="portal")
    if challenge is None:  # RFC 2865 2.2: the Request Authenticator is the challenge
        req.authenticator = req.CreateAuthenticator()
        challenge_used = req.authenticator
    else:
        req["CHAP-Challenge"] = challenge
        challenge_used = challenge
    digest = hashlib.md5(ident + password.encode() + challenge_used).digest()
    req["CHAP-Password"] = ident + digest
    reply = client.SendPacket(req)
    attrs = {k: reply[k] for k in reply.keys() if k != "Message-Authenticator"}
    print(user, reply.code == pyrad.packet.AccessAccept, sorted(attrs.items()))


login("alice", "wonderland", challenge=bytes(range(16)))
login("alice", "wonderland")
login("alice", "nope", challenge=b"c" * 16)
login("nobody", "x")
"""

PROGRAMS = {
    "lab_server.py": LAB_SERVER,
    "otp_client.py": OTP_CLIENT,
    "django_backend.py": DJANGO_BACKEND,
    "nav_check.py": NAV_CHECK,
    "coa_sender.py": COA_SENDER,
    "openwisp_radclient.py": OPENWISP_RADCLIENT,
    "mist_acct.py": MIST_ACCT,
    "portal_chap.py": PORTAL_CHAP,
    "curved_server.py": CURVED_SERVER,
}

# ---------------------------------------------------------------------------------------
# Running them


def _require_real() -> None:
    if not REAL:
        message = (
            "the real pyrad 2.6 is not installed next to nacwire (scripts/test.sh's py-pyrad venv)"
        )
        if os.environ.get("NACWIRE_REQUIRE_PYRAD") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A directory with the programs and the dictionary files."""
    work = tmp_path_factory.mktemp("pyrad-realworld")
    files = {
        "dictionary": DICT_ROOT,
        "dictionary.rfc": DICT_RFC,
        "dictionary.erx": DICT_ERX,
        "dictionary.cisco": DICT_CISCO,
        **PROGRAMS,
    }
    for name, text in files.items():
        (work / name).write_text(text)
    return work


def _env(impl: str) -> dict[str, str]:
    env = dict(os.environ)
    env["REALWORLD_IMPL"] = impl
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run(lab: pathlib.Path, impl: str, program: str, *args: object, status: int = 0) -> str:
    """Runs a program to its end; its stdout and stderr together."""
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE, program, *map(str, args)],
        cwd=lab,
        env=_env(impl),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == status, f"{program} {args} ({impl}):\n{done.stdout}"
    return done.stdout


class Lab:
    """The lab server on three free ports, and a bound socket that never answers."""

    def __init__(self, lab: pathlib.Path, impl: str, silent: int, *extra: str) -> None:
        self.silent = silent
        self.proc = subprocess.Popen(
            [sys.executable, "-c", PRELUDE, "lab_server.py", "0", "0", "0", *extra],
            cwd=lab,
            env=_env(impl),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline()
        ready, *ports = first.split() or [""]
        if ready != "ready" or len(ports) != 3:
            self.proc.kill()
            pytest.fail(f"lab_server.py ({impl}) did not start:\n{first}{self.proc.stdout.read()}")
        self.auth, self.acct, self.coa = map(int, ports)

    def stop(self) -> str:
        """Stops the server; what it printed after 'ready'."""
        time.sleep(0.1)  # the last reply is sent after the last line is flushed
        self.proc.terminate()
        out, _ = self.proc.communicate(timeout=10)
        return out


@pytest.fixture
def silent() -> Iterator[int]:
    """A UDP port with a socket bound that reads nothing: requests to it time out."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        yield int(s.getsockname()[1])


@contextmanager
def lab_server(lab: pathlib.Path, impl: str, silent: int, *extra: str) -> Iterator[Lab]:
    server = Lab(lab, impl, silent, *extra)
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.communicate()


def exchange(
    lab: pathlib.Path, which: str, silent: int, program: str, argv: Callable[[Lab], list[object]]
) -> tuple[str, str]:
    """Client and server transcripts of one program against the lab server.

    ``which="nacwire"``: both sides on nacwire.pyrad. ``which="pyrad"``: every pairing of
    nacwire.pyrad and pyrad 2.6; all client transcripts must be equal, and all server
    transcripts too (each server sees the nacwire client, then pyrad's).
    """
    impls = _impls(which)
    clients: dict[tuple[str, str], str] = {}
    servers: dict[str, str] = {}
    for server_impl in impls:
        with lab_server(lab, server_impl, silent) as srv:
            for client_impl in impls:
                clients[(server_impl, client_impl)] = run(lab, client_impl, program, *argv(srv))
            servers[server_impl] = srv.stop()
    reference = clients[("nacwire", "nacwire")]
    for pairing, out in clients.items():
        assert out == reference, f"client transcript of {program}, (server, client) = {pairing}"
    if which == "pyrad":
        assert servers["nacwire"] == servers["real"], f"server transcript with {program}"
    return reference, servers["nacwire"]


def _impls(which: str) -> list[str]:
    return ["nacwire"] if which == "nacwire" else ["nacwire", "real"]


@pytest.fixture(params=["nacwire", "pyrad"])
def which(request: pytest.FixtureRequest) -> str:
    """nacwire.pyrad on both sides, or every pairing with the real pyrad 2.6."""
    if request.param == "pyrad":
        _require_real()
    return str(request.param)


# ---------------------------------------------------------------------------------------
# The programs against the lab server

CHALLENGE_STATE = "b'(8\\xacn\\xd2\\x00\\xcc'"  # the server's str State, as pyrad 2.6 encodes it


def test_otp_client(lab: pathlib.Path, which: str, silent: int) -> None:
    """privacyIDEA's RADIUS token and LinOTP's: accept, reject, a challenge answered with
    its State, a user name and password outside ASCII, a dropped request, a dead server."""
    client, server = exchange(
        lab, which, silent, "otp_client.py", lambda s: [s.auth, s.silent, "server"]
    )
    verified = "INFO Message-Authenticator verified"
    timeout = "WARNING Timeout while contacting remote radius server"
    answer = "INFO Server requires Challenge-Response (Answer: ['Enter your challenge reply:'])"
    assert client.splitlines() == [
        verified,
        "otpuser -> accept True",
        verified,
        "otpuser -> reject True ['Wrong password']",
        verified,
        "newbie -> challenge ['Reply-Message', 'State']",
        answer,
        f"state {CHALLENGE_STATE}",
        verified,
        "newbie -> accept True",
        verified,
        "newbie -> reject True ['Wrong password']",
        verified,
        "n\u00f6n\u00e4scii -> challenge ['Reply-Message', 'State']",
        answer,
        timeout,
        "blackhole -> no answer",
        timeout,
        "otpuser -> no answer",
    ]
    # blackhole is sent twice (retries=2), the request to the silent port never arrives
    assert server.splitlines() == [
        "auth b'otpuser' '123456' None",
        "  reply 2",
        "auth b'otpuser' '000000' None",
        "  reply 3",
        "auth b'newbie' '654321' None",
        "  reply 11",
        f"auth b'newbie' '123456' {CHALLENGE_STATE}",
        "  reply 2",
        f"auth b'newbie' 'bad' {CHALLENGE_STATE}",
        "  reply 3",
        "auth b'n\\xc3\\xb6n\\xc3\\xa4scii' 'passw\u00f6rd' None",
        "  reply 11",
        "auth b'blackhole' 'x' None",
        "  (no answer)",
        "auth b'blackhole' 'x' None",
        "  (no answer)",
    ] * (1 if which == "nacwire" else 2)


def test_otp_client_radiusmock(lab: pathlib.Path, which: str) -> None:
    """privacyIDEA's tests/radiusmock.py: Client.SendPacket patched on the class, a reply
    made with CreateReply(**{"Reply-Message": ...}) that has no Message-Authenticator."""
    outs = {impl: run(lab, impl, "otp_client.py", 0, 0, "mock") for impl in _impls(which)}
    unable = "WARNING Unable to verify Message-Authenticator Attribute in response: 80"
    assert outs["nacwire"].splitlines() == [
        unable,
        "user -> challenge ['Reply-Message']",
        "INFO Server requires Challenge-Response (Answer: ['Please enter OTP'])",
        unable,
        "True 11",
        "WARNING Timeout while contacting remote radius server",
        "user -> no answer",
    ]
    assert outs.get("real", outs["nacwire"]) == outs["nacwire"]


def test_django_backend(lab: pathlib.Path, which: str, silent: int) -> None:
    """django-radius: a StringIO dictionary with Vendor-Specific as octets (the Cisco
    attribute of the reply is then a (vendor, type) key), Class parsed for groups and
    roles, a challenge taken as an error, a timeout, a str secret."""
    client, server = exchange(lab, which, silent, "django_backend.py", lambda s: [s.auth, s.silent])
    assert client.splitlines() == [
        "INFO RADIUS access granted for user '['alice']'",
        "INFO reply keys ['Class', 'Session-Timeout', (9, 1)]",
        "alice (['staff-net'], True, False)",
        "WARNING RADIUS access rejected for user '['alice']'",
        "alice None",
        "INFO RADIUS access granted for user '['otpuser']'",
        "INFO reply keys []",
        "otpuser ([], False, False)",
        "ERROR RADIUS access error for user '['bob']' (code 11)",
        "bob None",
        "ERROR RADIUS timeout occurred contacting 127.0.0.1",
        "alice None",
        "str secret: secret must be a binary string",
    ]
    assert server.splitlines()[:2] == ["auth b'alice' 'wonderland' None", "  reply 2"]


def test_nav_check(lab: pathlib.Path, which: str, silent: int) -> None:
    """NAV's RADIUS checker: every exception is the text of a DOWN event."""
    client, server = exchange(lab, which, silent, "nav_check.py", lambda s: [s.auth, s.silent])
    assert client.splitlines() == [
        "UP Radius: FreeRadius 1.0",
        "DOWN Failed connecting to the server: secret must be a binary string (TypeError)",
        "DOWN Failed connecting to the silent port:  (Timeout)",
        "DOWN Failed connecting to the server:  (Timeout)",
    ]
    assert server.splitlines()[:2] == ["auth b'otpuser' '000000' None", "  reply 3"]


def test_coa_sender(lab: pathlib.Path, which: str, silent: int) -> None:
    """mx-bng-toolset's coa.py/disconnect.py and a CoA helper: ERX vendor attributes as
    keywords, a str secret, add_message_authenticator(), packets dumped with items()."""
    client, server = exchange(lab, which, silent, "coa_sender.py", lambda s: [s.coa])
    # the vendor attributes' keys are (vendor, type) tuples: int(key) fails on them (the
    # message depends on the Python version)
    try:
        int((4874, 10))  # type: ignore[call-overload]
    except TypeError as err:
        int_of_tuple = err
    assert client.splitlines() == [
        "str secret: TypeError secret must be a binary string",
        f"{ {'_decode_error': repr(int_of_tuple)} }"
        " ['Acct-Session-Id', 'ERX-Egress-Policy-Name', 'ERX-Ingress-Policy-Name']",
        "44",
        "tx 40 {'80': 'MA of 16 bytes', '44': 'sess-1', '8': '10.0.0.7', '32': 'bng-1'}",
        "rx 41 {} None",
        "tx 40 {'80': 'MA of 16 bytes', '44': 'sess-9', '8': '10.0.0.7', '32': 'bng-1'}",
        "rx 42 {'101': '503 (Session-Context-Not-Found)'} ['Session-Context-Not-Found']",
        "role 44 {}",
    ]
    assert server.splitlines()[:4] == [
        "coa",
        "  Acct-Session-Id: ['sess-1']",
        "  ERX-Ingress-Policy-Name: ['in-10M']",
        "  ERX-Egress-Policy-Name: ['out-10M']",
    ]


def test_openwisp_radclient(lab: pathlib.Path, which: str, silent: int) -> None:
    """openwisp-radius: CoAPacket subclasses (an empty value kept, unknown attributes
    skipped with a warning, a default code), the private _SendPacket, patch.object."""
    client, server = exchange(lab, which, silent, "openwisp_radclient.py", lambda s: [s.coa])
    assert client.splitlines() == [
        "INFO CoAACK received for payload: "
        "{'Session-Timeout': '10800', 'ERX-Ingress-Policy-Name': 'gold'}",
        "True",
        "WARNING RADIUS attribute 'No-Such-Attribute' not found in dictionary",
        "INFO CoAACK received for payload: {'User-Name': 'bob', 'No-Such-Attribute': '1'}",
        "True",
        "INFO DisconnectNAK received for payload: {'User-Name': 'testuser'}",
        "False",
        "INFO DisconnectACK received for payload: "
        "{'User-Name': 'testuser', 'Acct-Session-Id': 'sess-1'}",
        "True",
        "INFO Failed to perform CoA: CoA request timed out.",
        "False",
        "INFO CoANAK received for payload: {'Session-Timeout': '10800'}",
        "False",
        "('Session-Timeout', '')",
        "(27, [b'\\x00\\x00\\x00\\n'])",
        "40 (1, [b'']) (1, [b'testuser'])",
        "WARNING RADIUS attribute 'Unknown-Attribute' not found in dictionary",
        "1 ['User-Name']",
    ]
    assert server.splitlines()[:3] == [
        "coa",
        "  Session-Timeout: [10800]",
        "  ERX-Ingress-Policy-Name: ['gold']",
    ]


def test_portal_chap(lab: pathlib.Path, which: str, silent: int) -> None:
    """CHAP with CHAP-Challenge and with the Request Authenticator as the challenge,
    checked by the server with VerifyChapPasswd."""
    client, server = exchange(lab, which, silent, "portal_chap.py", lambda s: [s.auth])
    accepted = "[('Filter-Id', ['portal-user']), ('Session-Timeout', [600])]"
    assert client.splitlines() == [
        f"alice True {accepted}",
        f"alice True {accepted}",
        "alice False []",
        "nobody False []",
    ]
    assert server.splitlines()[:4] == [
        "chap 'alice' True True",
        "chap 'alice' True False",
        "chap 'alice' False True",
        "chap 'nobody' False False",
    ]


def test_mist_acct(lab: pathlib.Path, which: str, silent: int) -> None:
    """websocket_nac: accounting built with AddAttribute and VALUE names, logged with
    packet.get(name), a Stop to a server that never answers (retries, Acct-Delay-Time)."""
    client, server = exchange(lab, which, silent, "mist_acct.py", lambda s: [s.acct, s.silent])
    common = (
        "User-Name: ['alice@example.org'], Acct-Session-Id: ['00000123'], "
        "Event-Timestamp: [1700000456], Framed-IP-Address: ['10.1.2.3'], "
        "Called-Station-Id: ['5c5b35000001:corp'], Calling-Station-Id: ['02-00-00-00-00-01'], "
        "Acct-Delay-Time: [0], Acct-Authentic: ['RADIUS'], NAS-Port-Type: ['Wireless-802.11'], "
    )
    stop = (
        f"stop: {common}Acct-Status-Type: ['Stop'], Acct-Input-Octets: [123456], "
        "Acct-Output-Octets: [654321], Acct-Input-Packets: [1000], "
        "Acct-Output-Packets: [2000], Acct-Session-Time: [3600], "
        "Acct-Terminate-Cause: ['Port-Unneeded']"
    )
    assert client.splitlines() == [
        f"start: {common}Acct-Status-Type: ['Start']",
        "sent",
        stop,
        "sent",
        "delay after the send: [0]",
        stop,
        "RADIUS server does not reply",
        "delay after the send: [0]",
    ]
    lines = server.splitlines()
    assert lines[0] == "acct" and "  Acct-Status-Type: ['Start']" in lines
    assert lines.count("  Acct-Terminate-Cause: ['Port-Unneeded']") == (
        1 if which == "nacwire" else 2
    )


# ---------------------------------------------------------------------------------------
# The server programs, byte for byte


def _requests(secret: bytes = b"testing123") -> list[tuple[str, str, bytes]]:
    """Fixed requests (identifier, authenticator given) for the lab server: (label, port
    name, bytes). Built with nacwire.pyrad, whose bytes equal pyrad 2.6's for the same
    inputs (tests/test_pyrad_differential.py)."""
    from nacwire.pyrad import dictionary, packet

    d = dictionary.Dictionary(io.StringIO(DICT_RFC + DICT_ERX + DICT_CISCO))

    def auth(i: int, user: str, password: str, key: bytes = secret, **kw: object) -> bytes:
        ma = bool(kw.pop("ma", True))
        p = packet.AuthPacket(
            id=i, secret=key, authenticator=bytes([i]) * 16, dict=d, message_authenticator=ma
        )
        p["User-Name"] = user
        p["User-Password"] = p.PwCrypt(password)
        for name, value in kw.items():
            p[name.replace("_", "-")] = value
        return bytes(p.RequestPacket())

    acct = packet.AcctPacket(id=20, secret=secret, dict=d, User_Name="alice")
    acct["Acct-Status-Type"] = "Start"
    acct["Acct-Session-Id"] = "sess-1"
    coa = packet.CoAPacket(id=30, secret=secret, dict=d, Acct_Session_Id="sess-1")
    coa["ERX-Egress-Policy-Name"] = "out-1M"
    dis = packet.CoAPacket(
        code=packet.DisconnectRequest, id=31, secret=secret, dict=d, Acct_Session_Id="sess-9"
    )
    dis.add_message_authenticator()
    return [
        ("accept, signed", "auth", auth(1, "otpuser", "123456")),
        ("accept with Class and a VSA", "auth", auth(2, "alice", "wonderland", ma=False)),
        ("challenge", "auth", auth(3, "newbie", "x")),
        ("Proxy-State echoed", "auth", auth(4, "otpuser", "0", Proxy_State=[b"p1", b"p2"])),
        ("accounting", "acct", bytes(acct.RequestPacket())),
        ("CoA with a VSA", "coa", bytes(coa.RequestPacket())),
        ("Disconnect-NAK", "coa", bytes(dis.RequestPacket())),
        ("wrong secret", "auth", auth(5, "otpuser", "123456", key=b"wrong")),
        (
            "wrong secret, no MA",
            "acct",
            bytes(packet.AcctPacket(id=21, secret=b"x", dict=d).RequestPacket()),
        ),
        ("Access-Request on the accounting port", "acct", auth(6, "otpuser", "123456")),
        ("broken header", "auth", b"\x01\x07\x00\x05x"),
        ("attribute past the end", "auth", b"\x01\x08\x00\x18" + b"\x00" * 16 + b"\x01\x09ab"),
    ]


_DROPPED = {
    "wrong secret",
    "wrong secret, no MA",
    "Access-Request on the accounting port",
    "broken header",
    "attribute past the end",
}


def _replies(srv: Lab) -> list[str]:
    out = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for label, port, data in _requests():
            # a reply comes in milliseconds: wait long for those that come
            s.settimeout(0.5 if label in _DROPPED else 5)
            s.sendto(data, ("127.0.0.1", getattr(srv, port)))
            try:
                out.append(f"{label}: {s.recv(4096).hex()}")
            except TimeoutError:
                out.append(f"{label}: no reply")
    return out


def test_lab_server_replies(lab: pathlib.Path, which: str, silent: int) -> None:
    """The server programs answer the same request bytes with the same reply bytes, drop
    the same packets, and log the same records (template and arguments)."""
    replies: dict[str, list[str]] = {}
    logs: dict[str, str] = {}
    for impl in _impls(which):
        with lab_server(lab, impl, silent, "log") as srv:
            replies[impl] = _replies(srv)
            logs[impl] = srv.stop()
    got = replies["nacwire"]
    assert [line.split(": ")[0] for line in got if line.endswith("no reply")] == sorted(
        _DROPPED, key=[label for label, _, _ in _requests()].index
    )
    assert [line.split(": ")[1][:2] for line in got if not line.endswith("no reply")] == [
        "02",
        "02",
        "0b",
        "03",
        "05",
        "2c",
        "2a",
    ]
    assert replies.get("real", got) == got
    log_lines = [line for line in logs["nacwire"].splitlines() if line.startswith("log ")]
    assert log_lines == [
        "log pyrad INFO 'Dropping packet: Received Access-Request with invalid "
        "Message-Authenticator' ()",
        "log pyrad INFO 'Received a broken packet: Packet verification failed' ()",
        "log pyrad INFO 'Dropping packet: Received non-accounting packet on accounting port' ()",
        "log pyrad INFO 'Received a broken packet: Packet header is corrupt' ()",
        # the attribute cut at the end of the datagram leaves no User-Password: the
        # handler's KeyError
        "log pyrad ERROR 'Error processing packet' ()",
    ]
    assert logs.get("real", logs["nacwire"]) == logs["nacwire"]


def _connection_lost_records(prefix: str) -> list[tuple[str, str, tuple[object, ...]]]:
    """The records the async protocols log when their transport is lost with an error."""
    import importlib
    import logging

    client_async = importlib.import_module(f"{prefix}.client_async")
    server_async = importlib.import_module(f"{prefix}.server_async")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger(f"realworld.{prefix}")
    logger.addHandler(Keep())
    logger.setLevel(logging.DEBUG)
    client = client_async.DatagramProtocolClient("127.0.0.1", 1812, logger, None)
    server = server_async.DatagramProtocolServer(
        "127.0.0.1", 1813, logger, None, server_async.ServerType.Acct, {}, None
    )
    for protocol in (client, server):
        protocol.connection_lost(ConnectionResetError(104, "Connection reset by peer"))
        protocol.connection_lost(None)
    return [(r.levelname, str(r.msg), tuple(r.args or ())) for r in records]


def test_async_connection_lost_records(which: str) -> None:
    """ClientAsync's and ServerAsync's transports log a lost connection with the error's
    text as the argument, as pyrad does (a handler reading record.args sees a str)."""
    ours = _connection_lost_records("nacwire.pyrad")
    lost = "[Errno 104] Connection reset by peer"
    assert ours == [
        ("WARNING", "[%s:%d] Connection lost: %s", ("127.0.0.1", 1812, lost)),
        ("INFO", "[%s:%d] Transport closed", ("127.0.0.1", 1812)),
        ("WARNING", "[%s:%d] Connection lost: %s", ("127.0.0.1", 1813, lost)),
        ("INFO", "[%s:%d] Transport closed", ("127.0.0.1", 1813)),
    ]
    if which == "pyrad":
        assert _connection_lost_records("pyrad") == ours


# ---------------------------------------------------------------------------------------
# Against FreeRADIUS 3.2 (conftest's radiusd: secret testing123, bob/hello)


def test_against_freeradius(lab: pathlib.Path, which: str, freeradius: FreeRadius) -> None:
    """privacyIDEA's request (FreeRADIUS 3.2.1 does not sign a PAP reply: the program's
    Message-Authenticator check logs that it cannot verify) and websocket_nac's
    accounting, with the real server."""
    auth = {
        impl: run(lab, impl, "otp_client.py", freeradius.auth_port, 0, "freeradius")
        for impl in _impls(which)
    }
    lines = auth["nacwire"].splitlines()
    assert lines[1:] == [
        "bob -> accept True",
        lines[2],
        "['Reply-Message', 'Session-Timeout'] ['Hello, bob'] [3600]",
        lines[4],
        # the users file's reply items go out with the Access-Reject too
        "bob -> reject True ['Hello, bob']",
    ]
    # 3.2.1 signs none of them; from 3.2.5 on FreeRADIUS signs replies to signed requests
    assert {lines[0], lines[2], lines[4]} <= {
        "INFO Message-Authenticator verified",
        "WARNING Unable to verify Message-Authenticator Attribute in response: "
        "No Message-Authenticator AVP present",
    }
    assert auth.get("real", auth["nacwire"]) == auth["nacwire"]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as dead:
        dead.bind(("127.0.0.1", 0))
        acct = {
            impl: run(lab, impl, "mist_acct.py", freeradius.acct_port, dead.getsockname()[1])
            for impl in _impls(which)
        }
    assert acct["nacwire"].splitlines()[1::2][:2] == ["sent", "sent"]
    assert acct.get("real", acct["nacwire"]) == acct["nacwire"]


# ---------------------------------------------------------------------------------------
# pyrad.curved (needs Twisted, as pyrad's does: scripts/test.sh installs it in the venvs
# that have the real pyrad, where NACWIRE_REQUIRE_PYRAD=1 makes its absence a failure)


def test_curved_server(lab: pathlib.Path, which: str) -> None:
    """A Twisted RADIUSAccess subclass: the same replies, drops and log lines."""
    try:
        import twisted  # noqa: F401
    except ImportError:
        message = "Twisted is not installed (scripts/test.sh's py-pyrad venv has it)"
        if os.environ.get("NACWIRE_REQUIRE_PYRAD") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from nacwire.pyrad import dictionary, packet

    d = dictionary.Dictionary(io.StringIO(DICT_RFC))

    def auth(i: int, user: str, secret: bytes = b"testing123", ma: bool = True) -> bytes:
        p = packet.AuthPacket(
            id=i, secret=secret, authenticator=bytes([i]) * 16, dict=d, message_authenticator=ma
        )
        p["User-Name"] = user
        p["User-Password"] = p.PwCrypt("pw")
        return bytes(p.RequestPacket())

    requests = [
        auth(1, "alice"),
        auth(2, "bob", ma=False),
        auth(3, "alice", secret=b"wrong"),
        auth(4, "boom"),
        b"\x01\x02\x00\x05x",
        bytes(packet.AcctPacket(id=5, secret=b"testing123", dict=d).RequestPacket()),
    ]
    outs = {}
    for impl in _impls(which):
        port = free_udp_port()
        proc = subprocess.Popen(
            [sys.executable, "-c", PRELUDE, "curved_server.py", str(port)],
            cwd=lab,
            env=_env(impl),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert proc.stdout is not None
            head: list[str] = []
            while not head or head[-1] != "ready":
                line = proc.stdout.readline()
                assert line, "\n".join(head)
                head.append(line.strip())
            replies = []
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                for i, data in enumerate(requests):
                    s.settimeout(5 if i < 2 else 0.5)  # only the first two are answered
                    s.sendto(data, ("127.0.0.1", port))
                    try:
                        replies.append(s.recv(4096).hex())
                    except TimeoutError:
                        replies.append("no reply")
            time.sleep(0.1)
        finally:
            proc.terminate()
            out, _ = proc.communicate(timeout=10)
        # the protocol's repr has its address; the port number is the free port's
        body = [line.split(" at 0x")[0] for line in out.splitlines() if str(port) not in line]
        outs[impl] = (replies, body)
    replies, lines = outs["nacwire"]
    assert [r[:2] for r in replies] == ["02", "02", "no", "no", "no", "no"]
    assert lines == [
        "request ['User-Name', 'User-Password'] alice",
        "request ['User-Name', 'User-Password'] bob",
        "log Dropping packet from 127.0.0.1: Received Access-Request with invalid "
        "Message-Authenticator",
        "request ['User-Name', 'User-Password'] boom",
        "log builtins.ValueError: handler failed",
        "log Dropping invalid packet: Packet header is corrupt",
        "log Dropping packet from 127.0.0.1: non-AccessRequest packet on authentication socket",
        "log Received SIGTERM, shutting down.",
        "log Stopping protocol <__main__.RadiusServer object",
        "log Main loop terminated.",
    ]
    assert outs.get("real", outs["nacwire"]) == outs["nacwire"]


# ---------------------------------------------------------------------------------------
# Pickles made by pyrad 2.6 (a cache, a task queue) loaded after the switch: `pyrad.x`
# names resolve to nacwire.pyrad.x, as install() makes them.

_DICT_TEXT = """\
ATTRIBUTE User-Name 1 string
ATTRIBUTE Service-Type 6 integer
VALUE Service-Type Framed-User 2
VENDOR Cisco 9
BEGIN-VENDOR Cisco
ATTRIBUTE Cisco-AVPair 1 string
END-VENDOR Cisco
"""


def _fresh_request() -> bytes:
    """The request both pickle tests build, with a dictionary read now."""
    from nacwire.pyrad import dictionary, packet

    d = dictionary.Dictionary(io.StringIO(_DICT_TEXT))
    p = packet.AuthPacket(
        id=7,
        secret=b"k",
        authenticator=b"A" * 16,
        dict=d,
        User_Name="bob",
        Service_Type="Framed-User",
    )
    return bytes(p.RequestPacket())


def _pickled_by_pyrad(expression: str) -> bytes:
    """pickle.dumps(expression) run by pyrad 2.6 in a subprocess (protocol 4)."""
    _require_real()
    code = (
        "import io, pickle, sys, pyrad.dictionary, pyrad.packet\n"
        f"TEXT = {_DICT_TEXT!r}\n"
        f"obj = {expression}\n"
        "sys.stdout.write(pickle.dumps(obj, protocol=4).hex())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT, check=True
    )
    return bytes.fromhex(out.stdout)


class _AsInstalled(pickle.Unpickler):
    """Finds `pyrad.x` classes where install() finds them: in nacwire.pyrad.x."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "pyrad" or module.startswith("pyrad."):
            module = "nacwire." + module
        return super().find_class(module, name)


def _load(data: bytes) -> Any:
    return _AsInstalled(io.BytesIO(data)).load()


def test_pyrad_pickle_of_a_dictionary_without_attributes() -> None:
    """pyrad's Dictionary state (its `_unsupported_vendors`, none of our caches) loads,
    and the dictionary reads files and serves packets afterwards."""
    from nacwire.pyrad import packet

    d = _load(_pickled_by_pyrad("pyrad.dictionary.Dictionary()"))
    d.ReadDictionary(io.StringIO(_DICT_TEXT))
    p = packet.AuthPacket(
        id=7,
        secret=b"k",
        authenticator=b"A" * 16,
        dict=d,
        User_Name="bob",
        Service_Type="Framed-User",
    )
    assert p.keys() == ["User-Name", "Service-Type"]
    assert bytes(p.RequestPacket()) == _fresh_request()
    p["Cisco-AVPair"] = "shell:priv-lvl=15"
    assert p[(9, 1)] == [b"shell:priv-lvl=15"]


def test_pyrad_pickle_of_an_attribute_with_a_program_field() -> None:
    """pyrad's Attribute state is its __dict__: its fields go to the native ones, a
    field a program added stays on the instance."""
    data = _pickled_by_pyrad(
        "(lambda a: (setattr(a, 'note', 'from the cache'), a)[1])("
        "pyrad.dictionary.Dictionary(io.StringIO(TEXT))['Service-Type'])"
    )
    a = _load(data)
    assert (a.name, a.code, a.type, a.vendor, a.encrypt, a.has_tag) == (
        "Service-Type",
        6,
        "integer",
        "",
        0,
        False,
    )
    assert (a.is_sub_attribute, a.parent, a.sub_attributes) == (False, None, {})
    assert a.values.GetForward("Framed-User") == b"\x00\x00\x00\x02"
    assert a.note == "from the cache"


_ATTRIBUTE_CALLS = [
    "()",
    "('X',)",
    "('X', 1)",
    "(name='X', datatype='string')",
    "('X', 1, 'string', False, '', None, 0, False, 9)",
    "('X', 1, 'string', bogus=1)",
    "('X', 1, 'string', name='Y')",
    "('X', 1, 'nope')",
    "(None, None, 'string')",
    "('X', 1, 'integer', values={'A': 1}, encrypt=2, has_tag=True, vendor='Acme')",
]


@pytest.mark.parametrize("call", _ATTRIBUTE_CALLS)
def test_attribute_constructor_binds_as_pyrads(call: str) -> None:
    """Attribute(...) as pyrad 2.6's __init__ binds it: the same attributes, or the
    same TypeError/ValueError text (the native __new__ binds its arguments itself, so
    that unpickling can make a blank one)."""
    _require_real()
    import pyrad.dictionary

    from nacwire.pyrad import dictionary

    def outcome(cls: Any) -> tuple[str, str]:
        try:
            a = eval(f"cls{call}", {"cls": cls})
        except Exception as err:
            return (type(err).__name__, str(err))
        return (
            "ok",
            repr(
                (
                    a.name,
                    a.code,
                    a.type,
                    a.vendor,
                    a.encrypt,
                    a.has_tag,
                    a.is_sub_attribute,
                    dict(a.values.forward),
                )
            ),
        )

    assert outcome(dictionary.Attribute) == outcome(pyrad.dictionary.Attribute)


def test_pyrad_pickle_of_a_packet_with_its_dictionary() -> None:
    """A packet pickled by pyrad 2.6 with its dictionary (a Celery task, a cached request)."""
    data = _pickled_by_pyrad(
        "pyrad.packet.AuthPacket(id=7, secret=b'k', authenticator=b'A' * 16, "
        "dict=pyrad.dictionary.Dictionary(io.StringIO(TEXT)), User_Name='bob', "
        "Service_Type='Framed-User')"
    )
    p = _load(data)
    assert p.keys() == ["User-Name", "Service-Type"]
    assert p["Service-Type"] == ["Framed-User"]
    assert p.dict["Service-Type"].values.GetForward("Framed-User") == b"\x00\x00\x00\x02"
    assert bytes(p.RequestPacket()) == _fresh_request()


# ---------------------------------------------------------------------------------------
# Dictionary files as programs meet them: a file that is not UTF-8 (a vendor file saved
# in Latin-1), a missing one, DictFile's position before the first line.


def _outcome(call: Any) -> tuple[str, str]:
    try:
        return ("ok", repr(call()))
    except Exception as err:
        return (type(err).__name__, str(err))


def _dictionary_outcomes(prefix: str, work: pathlib.Path) -> list[tuple[str, str]]:
    import importlib

    dictionary = importlib.import_module(f"{prefix}.dictionary")
    dictfile = importlib.import_module(f"{prefix}.dictfile")
    cwd = os.getcwd()
    os.chdir(work)
    try:
        partial = dictionary.Dictionary()
        out = [
            _outcome(lambda: dictionary.Dictionary("latin1.dict")),
            _outcome(lambda: partial.ReadDictionary("root.dict")),
            ("partial", repr(sorted(partial.attributes))),
            _outcome(lambda: dictionary.Dictionary(io.StringIO("$INCLUDE latin1.dict\n"))),
            _outcome(lambda: dictionary.Dictionary("missing.dict")),
            _outcome(lambda: dictfile.DictFile("latin1.dict")),
            _outcome(lambda: dictfile.DictFile("missing.dict")),
        ]
        f = dictfile.DictFile("root.dict")
        out.append(("before the first line", repr((f.File(), f.Line()))))
        out.append(_outcome(lambda: [line.strip() for line in f]))
        return out
    finally:
        os.chdir(cwd)


def test_dictionary_file_errors(which: str, tmp_path: pathlib.Path) -> None:
    """A dictionary file that is not UTF-8 raises pyrad's UnicodeDecodeError (a
    ValueError: programs catch OSError for a missing file), where pyrad raises it;
    DictFile raises for its first file when made, and names it before the first line."""
    (tmp_path / "latin1.dict").write_bytes(b"ATTRIBUTE Ok 3 string\nATTRIBUTE Caf\xe9 4 string\n")
    (tmp_path / "root.dict").write_text(
        "ATTRIBUTE A 1 string\n$INCLUDE latin1.dict\nATTRIBUTE B 2 string\n"
    )
    with pytest.raises(UnicodeDecodeError) as python_read:
        (tmp_path / "latin1.dict").read_text(encoding="utf-8")
    decode = ("UnicodeDecodeError", str(python_read.value))
    missing = f"[Errno 2] No such file or directory: '{tmp_path / 'missing.dict'}'"
    ours = _dictionary_outcomes("nacwire.pyrad", tmp_path)
    assert ours == [
        decode,
        decode,
        ("partial", "['A']"),  # the lines before the include were read
        decode,
        ("FileNotFoundError", missing),
        decode,
        ("FileNotFoundError", missing),
        ("before the first line", "('root.dict', 0)"),
        decode,
    ]
    if which == "pyrad":
        assert _dictionary_outcomes("pyrad", tmp_path) == ours


def test_dictfile_position_after_an_include_error(tmp_path: pathlib.Path) -> None:
    from nacwire.pyrad import dictfile

    (tmp_path / "root.dict").write_text("ATTRIBUTE A 1 string\n$INCLUDE missing.dict\n")
    f = dictfile.DictFile(str(tmp_path / "root.dict"))
    with pytest.raises(FileNotFoundError):
        list(f)
    assert (f.File(), f.Line()) == ("root.dict", 2)
