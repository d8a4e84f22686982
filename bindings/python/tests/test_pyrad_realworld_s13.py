"""More programs written for pyrad, unchanged, on nacwire.pyrad: the same transcript as pyrad 2.6.

``test_pyrad_realworld.py`` covers privacyIDEA, LinOTP, django-radius, NAV, mx-bng-toolset,
openwisp-radius, websocket_nac and fakebras. This file adds programs that use pyrad in other
ways, each a short restatement in our own words (read, not copied) of a real open-source
project, named with its file:

- raok (astibal/raok): ``raok.py``, a RADIUS test server for VPN concentrators: a
  ``Server`` subclass built with ``super().__init__(dict=...)``, hosts put in ``self.hosts``
  from a JSON configuration, ``BindToAddress``; its ``pyrad_str_value`` reads ``pkt[attr][i]``
  until ``IndexError`` (and swaps the attribute's dictionary type to ``octets`` on a
  ``UnicodeDecodeError``); multi-step challenges driven by ``State``; CHAP with
  ``CHAP-Challenge`` or the request authenticator; Microsoft vendor attributes
  (``MS-CHAP-Challenge``, ``MS-CHAP-Response``, ``MS-CHAP2-Response``) and an ``MS-CHAP-Error``
  password-change reject; ``pkt.source``; reply attributes from configuration lists
  (``reply[name] = [...]``) and ``name in reply`` with names that are no attributes.
- RadiusTester (jamiesun/RadiusTester): ``tester.py``, a load tester that sends through its
  own UDP socket: an ``AuthPacket`` subclass calling ``AuthPacket.__init__`` positionally and
  computing CHAP itself (``CreateAuthenticator``, ``CreateID``), ``AcctPacket(dict=,
  secret=)`` built directly, attribute values from a ``ConfigParser`` converted with
  ``Dictionary.has_key`` and ``dictionary[name].type``, ``RequestPacket()``, and replies
  decoded with ``Packet(packet=..., dict=...)`` without a secret.
- An EAP proxy's RADIUS client found with the code search (a ``RADIUSClient.send_eap``
  module): ``req['EAP-Message'] = eap``, ``State`` carried between rounds,
  ``add_message_authenticator()``, ``b''.join(reply.get('EAP-Message', []))``.
- A sans-I/O ``PyradCodec`` found with the code search: a request decoded twice,
  ``Packet(packet=...)`` then ``AuthPacket(packet=...)`` for code 1; replies made with
  ``request.CreateReply(**{"Attribute-Name": value or [values]})``, ``"0x..."`` strings turned
  into bytes for attributes whose ``dictionary[key].type`` is ``octets``, ``reply.code`` set
  afterwards and ``ReplyPacket()``. Here it runs a plain-socket server, with
  - a VPN portal's accounting handler found with the code search (``AccountingHandler``:
    ``pkt.get(name)`` values mapped from names or digits to integers, ``request.CreateReply()``).
- Duo Authentication Proxy (duosecurity): ``duoauthproxy/lib/validation/connectivity/
  radius_client.py`` (``_connect_radius``): a Status-Server made with
  ``CreateAuthPacket(code=pyrad.packet.StatusServer)``, ``add_message_authenticator()`` before
  ``AddAttribute("NAS-IP-Address", ...)``, sent with ``SendPacket``; ``pyrad.packet`` reached
  through ``import pyrad`` and ``from pyrad.client import Client`` only.
- authentik (goauthentik/authentik): ``authentik/providers/radius/api/providers.py``
  (``get_attributes``): an empty ``AuthPacket()`` whose ``secret`` (a str) and ``dict`` are
  assigned afterwards, vendors and ``Attribute`` objects added to the dictionary at run time
  (``dict.vendors.forward``/``backward``, ``dict.vendors.Add``, ``dict.attributes[name] =
  Attribute(short_name, code, type, vendor=vendor_name)``), property mappings writing the
  packet, ``RequestPacket()`` base64-encoded for the outpost.
- An LDAP-backed RADIUS server found with the code search (``LdapRadiusServer``): a
  ``server.RemoteHost`` subclass carrying the NAS's user groups, a ``'0.0.0.0'`` catch-all
  client looked up through ``pkt.source``, ``acct_enabled=False``/``coa_enabled=False``,
  ``BindToAddress`` (with the private ``_GetAddrInfo``) and ``Run`` overridden,
  ``"User-Name" in pkt.keys()``.

Probes drawn from the same programs pin what pyrad 2.6 does with the values they pass:
unhashable values (``HasForward``), secrets that are not bytes once a
Message-Authenticator is computed (authentik's str secret), raw values and keys written
by wire key, and a dictionary as old pyrad-era servers ship it (toughradius's
``dictionarys/``: codes above 255, a vendor in the fifth column, duplicate VALUEs).

As in ``test_pyrad_realworld.py``, every program runs in a subprocess of its own with
``pyrad`` resolving to nacwire.pyrad through ``nacwire.pyrad.install()``; ``[pyrad]`` runs
every pairing of nacwire.pyrad and the real pyrad 2.6 and requires the same transcripts, and
the servers must answer fixed requests with the same bytes.

Run: ``cd bindings/python && python -m pytest tests/test_pyrad_realworld_s13.py -q``
"""

from __future__ import annotations

import hashlib
import pathlib
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from test_pyrad_realworld import PRELUDE, _env, _impls, _require_real, run

from conftest import FreeRadius

# ---------------------------------------------------------------------------------------
# Dictionaries

DICT_ROOT = """\
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
ATTRIBUTE	Vendor-Specific		26	octets
ATTRIBUTE	Session-Timeout		27	integer
ATTRIBUTE	Called-Station-Id	30	string
ATTRIBUTE	Calling-Station-Id	31	string
ATTRIBUTE	NAS-Identifier		32	string
ATTRIBUTE	Proxy-State		33	octets
ATTRIBUTE	Acct-Status-Type	40	integer
ATTRIBUTE	Acct-Input-Octets	42	integer
ATTRIBUTE	Acct-Output-Octets	43	integer
ATTRIBUTE	Acct-Session-Id		44	string
ATTRIBUTE	Acct-Session-Time	46	integer
ATTRIBUTE	Acct-Input-Packets	47	integer
ATTRIBUTE	Acct-Output-Packets	48	integer
ATTRIBUTE	Acct-Terminate-Cause	49	integer
ATTRIBUTE	CHAP-Challenge		60	octets
ATTRIBUTE	NAS-Port-Type		61	integer
ATTRIBUTE	EAP-Message		79	octets
ATTRIBUTE	Message-Authenticator	80	octets
ATTRIBUTE	Framed-IPv6-Prefix	97	ipv6prefix
VALUE	Service-Type		Login-User		1
VALUE	Service-Type		Framed-User		2
VALUE	Acct-Status-Type	Start			1
VALUE	Acct-Status-Type	Stop			2
VALUE	Acct-Status-Type	Interim-Update		3
VALUE	Acct-Status-Type	Accounting-On		7
VALUE	Acct-Status-Type	Accounting-Off		8
VALUE	Acct-Terminate-Cause	User-Request		1
VALUE	Acct-Terminate-Cause	Idle-Timeout		4
VALUE	Acct-Terminate-Cause	Admin-Reset		6
VALUE	NAS-Port-Type		Virtual			5
$INCLUDE dictionary.microsoft
"""

DICT_MICROSOFT = """\
VENDOR		Microsoft		311
BEGIN-VENDOR	Microsoft
ATTRIBUTE	MS-CHAP-Response	1	octets
ATTRIBUTE	MS-CHAP-Error		2	string
ATTRIBUTE	MS-MPPE-Encryption-Policy 7	integer
ATTRIBUTE	MS-MPPE-Encryption-Types 8	integer
ATTRIBUTE	MS-CHAP-Challenge	11	octets
ATTRIBUTE	MS-CHAP2-Response	25	octets
ATTRIBUTE	MS-CHAP2-Success	26	octets
END-VENDOR	Microsoft
"""

# ---------------------------------------------------------------------------------------
# raok's test server. argv: none (the ports are the kernel's, printed on the ready line).

RAOK_SERVER = r'''
import hashlib
import json
import struct
import sys

from pyrad import dictionary, packet, server

CONFIG = """{
  "settings": {"hosts": {"127.0.0.1": {"secret": "radpass"}}},
  "users": {
    "alice": {"Auth": {"Password": "wonderland", "Class": ["staff", "vpn"],
                       "Session-Timeout": 3600}},
    "tokenuser": {"Challenge": "pin:token:done", "Auth": {"Password": "1234"}},
    "mschapper": {"Auth": {"Password-Change": "yes"}},
    "locked": {"Auth": {"Password": "x"}, "Access": false},
    "default": {"Auth": {"Filter-Id": ["guests"], "Reply-Message": "ignored"}}
  }
}"""
QUIET = {"User-Password", "CHAP-Password", "Message-Authenticator"}  # random bytes


def say(*words):
    print(*words)
    sys.stdout.flush()


def pyrad_str_value(pkt, attr):
    # raok reads the values one by one; on a UnicodeDecodeError it reads the attribute
    # again as octets by changing the dictionary's type for a moment
    ret = []
    i = 0
    while True:
        try:
            ret.append(pkt[attr][i])
        except IndexError:
            return ret
        except UnicodeDecodeError:
            t = pkt.dict.attributes[attr].type
            if t == "string":
                pkt.dict.attributes[attr].type = "octets"
                try:
                    ret.append(pkt[attr][i])
                except IndexError:
                    return ret
                finally:
                    pkt.dict.attributes[attr].type = "string"
        i = i + 1


class RaokServer(server.Server):
    def __init__(self, dictionary_file):
        super().__init__(dict=dictionary_file)
        self.cfg = json.loads(CONFIG)

    def init_hosts(self):
        for h in self.cfg["settings"]["hosts"].keys():
            s = self.cfg["settings"]["hosts"][h]["secret"]
            self.hosts[h] = server.RemoteHost(h, bytes(s, encoding="ascii"), "localhost")

    @staticmethod
    def chap_generate(id_hex, password, challenge):
        return hashlib.md5(bytes([id_hex]) + bytes(password, encoding="ascii") + challenge).digest()

    @staticmethod
    def pap_decrypt(pkt):
        if "User-Password" in pkt:
            clean_pwd = pyrad_str_value(pkt, "User-Password")[0]
            try:
                return True, pkt.PwDecrypt(clean_pwd)
            except UnicodeDecodeError:
                say("   cannot convert decrypted password to UTF8")
            except Exception as e:
                say("   error in password decryption", type(e).__name__)
        return False, ""

    def find_user_password(self, user):
        try:
            return self.cfg["users"][user]["Auth"]["Password"]
        except (KeyError, TypeError):
            return ""

    def send_reply(self, orig_pkt, code, additionals=None):
        reply = self.CreateReplyPacket(orig_pkt)
        for add in (additionals or {}).keys():
            reply[add] = additionals[add]
        reply.code = code
        self.SendReplyPacket(orig_pkt.fd, reply)
        say("=> code", code, "for", repr(orig_pkt["User-Name"][0]))

    def auth_accept(self, orig_pkt, additionals=None):
        reply = self.CreateReplyPacket(orig_pkt)
        ret_challenge = ret_reject = False
        reason = "policy"
        u = orig_pkt["User-Name"][0]
        if u not in self.cfg["users"]:
            u = "default" if "default" in self.cfg["users"] else None
        if u:
            user = self.cfg["users"][u]
            if "Challenge" in user:
                ret_challenge = True
                steps = user["Challenge"].split(":")
                index = {step: i for i, step in enumerate(steps)}
                if "State" not in orig_pkt:
                    say("   initial request, initiate challenge")
                    reply["Reply-Message"] = steps[0].encode("ascii")
                    reply["State"] = steps[0].encode("ascii")
                else:
                    state = orig_pkt["State"][0].decode("ascii")
                    say("   current challenge state:", state)
                    try:
                        cur = index[state]
                        if cur + 1 >= len(steps):
                            ret_challenge = False
                        else:
                            reply["Reply-Message"] = steps[cur + 1].encode("ascii")
                            reply["State"] = steps[cur + 1].encode("ascii")
                    except KeyError:
                        ret_challenge = False
                        ret_reject = True
                        reason = "challenge state error"
            if "Auth" in user and not ret_challenge and not ret_reject:
                for a in user["Auth"]:
                    v = user["Auth"][a]
                    if isinstance(v, list):
                        reply[str(a)] = v
                    elif str(a) in reply:
                        reply[str(a)] = str(v)
            if "Access" in user and not user["Access"]:
                ret_reject = True
        reply.code = packet.AccessAccept
        if ret_reject:
            reply.code = packet.AccessReject
        if ret_challenge:
            reply.code = packet.AccessChallenge
        for add in (additionals or {}).keys():
            reply[add] = additionals[add]
        self.SendReplyPacket(orig_pkt.fd, reply)
        say("=> code", reply.code, "(%s)" % reason, "for", repr(orig_pkt["User-Name"][0]))

    def process_pap(self, pkt):
        ok, clean = self.pap_decrypt(pkt)
        username = pkt["User-Name"][0]
        correct = self.find_user_password(username)
        if ok and (not correct or correct == clean):
            say(">>>  PAP ok" if correct else ">>>  PAP check skipped", repr(clean))
            self.auth_accept(pkt)
        else:
            say(">>>  PAP failed", repr(clean))
            self.send_reply(pkt, packet.AccessReject)

    def process_chap(self, pkt):
        try:
            challenge = pkt["CHAP-Challenge"][0]
            say("   CHAP-Challenge of", len(challenge), "octets")
        except KeyError:
            say("   CHAP-Challenge is missing, using packet authenticator.")
            challenge = pkt.authenticator
        user = pkt["User-Name"][0]
        resp = pkt["CHAP-Password"][0]
        (ident, _) = struct.unpack_from("BB", resp)
        ident = "= packet id" if ident == pkt.id else ident  # (RadiusTester's are random)
        correct = self.find_user_password(user)
        if correct and self.chap_generate(resp[0], correct, challenge) != resp[1:]:
            say(">>>  CHAP failed, ident", ident)
            self.send_reply(pkt, packet.AccessReject)
        else:
            say(">>>  CHAP ok, ident", ident)
            self.auth_accept(pkt)

    def process_mschap(self, pkt):
        challenge = pkt["MS-CHAP-Challenge"][0]
        resp = pkt["MS-CHAP-Response"][0]
        (ident,) = struct.unpack_from("B", resp[49:])
        say("   MS-CHAP ident", ident, "challenge", challenge.hex(), "LM", resp[2:26].hex()[:8])
        return True  # no Password configured: raok skips the check

    def process_mschap2(self, pkt):
        challenge = pkt["MS-CHAP-Challenge"][0]
        resp = pkt["MS-CHAP2-Response"][0]
        (ident,) = struct.unpack_from("B", resp[49:])
        say("   MS-CHAP2 ident", ident, "peer", resp[2:18].hex(), "nt", resp[26:50].hex()[:8],
            "challenge", len(challenge))
        return {"Reply-Message": "default authentication"}

    def do_reject_filter(self, pkt):
        if "User-Name" not in pkt:
            say("RADIUS: client violates RFC: User-Name attribute missing")
            reply = self.CreateReplyPacket(pkt)
            reply.code = packet.AccessReject
            self.SendReplyPacket(pkt.fd, reply)
            return True
        username = pkt["User-Name"][0]
        if username[0] == "-":
            say("=> blocking user", username)
            self.send_reply(pkt, packet.AccessReject)
            return True
        if "User-Password" in pkt and "CHAP-Password" in pkt:
            say("RADIUS: client violates RFC: both CHAP and PAP")
            self.send_reply(pkt, packet.AccessReject)
            return True
        return False

    def HandleAuthPacket(self, pkt):
        say("=> Received an authentication request from", pkt.source[0])
        for at in pkt.keys():
            if at in QUIET:
                say("      %s = <%d octets>" % (at, len(pkt[at][0])))
            else:
                say("      %s = %s" % (at, pyrad_str_value(pkt, at)))
        if self.do_reject_filter(pkt):
            return
        if "User-Password" in pkt:
            self.process_pap(pkt)
        elif "CHAP-Password" in pkt:
            self.process_chap(pkt)
        elif "MS-CHAP-Response" in pkt and "MS-CHAP-Challenge" in pkt:
            self.process_mschap(pkt)
            auth = self.cfg["users"].get(pkt["User-Name"][0], {}).get("Auth", {})
            if auth.get("Password-Change"):
                self.send_reply(pkt, packet.AccessReject, {"MS-CHAP-Error": "E=648 R=1 V=2",
                                                           "Reply-Message": "E=648 R=1 V=2"})
            else:
                self.auth_accept(pkt)
        elif "MS-CHAP2-Response" in pkt and "MS-CHAP-Challenge" in pkt:
            self.auth_accept(pkt, additionals=self.process_mschap2(pkt))
        else:
            say("unknown authentication method")
            self.send_reply(pkt, packet.AccessReject)

    def _HandleAcctPacket(self, pkt):
        server.Server._HandleAcctPacket(self, pkt)
        say("=> Received an accounting request from", pkt.source[0])
        for attr in pkt.keys():
            say("       %s = %s" % (attr, pyrad_str_value(pkt, attr)))
        self.SendReplyPacket(pkt.fd, self.CreateReplyPacket(pkt))


srv = RaokServer(dictionary.Dictionary("dictionary"))
srv.init_hosts()
srv.authport = srv.acctport = 0  # (the test's: free ports, printed below)
srv.BindToAddress("127.0.0.1")
say("ready", srv.authfds[0].getsockname()[1], srv.acctfds[0].getsockname()[1])
srv.Run()
'''

# A NAS in front of raok: the requests a VPN concentrator sends. argv: auth, acct ports.

NAS_PROBE = r"""
import hashlib
import sys

import pyrad.packet
from pyrad.client import Client, Timeout
from pyrad.dictionary import Dictionary

AUTH, ACCT = int(sys.argv[1]), int(sys.argv[2])
srv = Client(server="127.0.0.1", authport=AUTH, acctport=ACCT, secret=b"radpass",
             dict=Dictionary("dictionary"), timeout=2, retries=1)


def show(label, req):
    try:
        reply = srv.SendPacket(req)
    except Timeout:
        print(label, "-> timeout")
        return None
    shown = [(k, reply[k]) for k in reply.keys() if k != "Message-Authenticator"]
    print(label, "->", reply.code, shown)
    return reply


def pap(user, password, **extra):
    req = srv.CreateAuthPacket(code=pyrad.packet.AccessRequest, User_Name=user)
    req["NAS-Identifier"] = "vpn-1"
    req["NAS-Port-Type"] = "Virtual"
    req["User-Password"] = req.PwCrypt(password)
    for k, v in extra.items():
        req[k] = v
    return req


show("alice pap", pap("alice", "wonderland"))
show("alice wrong", pap("alice", "guess"))
reply = show("token 1", pap("tokenuser", "1234"))
for step in (2, 3, 4):
    reply = show("token %d" % step, pap("tokenuser", "1234", State=reply["State"][0]))
show("token bad state", pap("tokenuser", "1234", State=b"bogus"))
show("locked", pap("locked", "x"))
show("blocked", pap("-mallory", "x"))
show("guest bytes name", pap(b"\xffguest", "x"))

# CHAP: with CHAP-Challenge, then with the request authenticator as the challenge
req = srv.CreateAuthPacket(code=pyrad.packet.AccessRequest, User_Name="alice", id=200)
challenge = bytes(range(16))
req["CHAP-Challenge"] = challenge
req["CHAP-Password"] = b"\x07" + hashlib.md5(b"\x07wonderland" + challenge).digest()
show("chap challenge", req)
req = srv.CreateAuthPacket(code=pyrad.packet.AccessRequest, User_Name="alice", id=200)
req.authenticator = req.CreateAuthenticator()
req["CHAP-Password"] = b"\x09" + hashlib.md5(b"\x09wonderland" + req.authenticator).digest()
show("chap authenticator", req)
req = srv.CreateAuthPacket(code=pyrad.packet.AccessRequest, User_Name="alice", id=200)
req["CHAP-Password"] = b"\x01" + bytes(16)
show("chap wrong", req)
req = pap("alice", "wonderland")
req["CHAP-Password"] = b"\x01" + bytes(16)
show("pap and chap", req)
req = srv.CreateAuthPacket(code=pyrad.packet.AccessRequest, NAS_Identifier="vpn-1")
show("no user name", req)

# MS-CHAP (a password change asked for) and MS-CHAPv2 (no password configured)
req = srv.CreateAuthPacket(code=pyrad.packet.AccessRequest, User_Name="mschapper")
req["MS-CHAP-Challenge"] = bytes(range(8))
req["MS-CHAP-Response"] = b"\x05\x01" + b"\xaa" * 24 + b"\xbb" * 23 + b"\x05"
show("mschap", req)
req = srv.CreateAuthPacket(code=pyrad.packet.AccessRequest, User_Name="vpnuser")
req["MS-CHAP-Challenge"] = bytes(range(16))
req["MS-CHAP2-Response"] = b"\x06\x00" + bytes(range(16)) + bytes(8) + b"\xcc" * 23 + b"\x06"
show("mschap2", req)
req = srv.CreateAuthPacket(code=pyrad.packet.AccessRequest, User_Name="nobody")
show("no method", req)

req = srv.CreateAcctPacket(User_Name="alice", Acct_Session_Id="s-1")
req["Acct-Status-Type"] = "Start"
req["Framed-IP-Address"] = "10.8.0.2"
req["Class"] = b"staff"
show("acct start", req)
"""

# ---------------------------------------------------------------------------------------
# RadiusTester's tester.py, in Python 3. argv: "auth"|"acct", mode, requests, then the
# configuration file.

RADIUS_TESTER = r"""
import configparser
import hashlib
import socket
import sys

from pyrad import packet
from pyrad.dictionary import Dictionary
from pyrad.packet import AccessRequest, AuthPacket

status_vars = {"start": 1, "stop": 2, "update": 3, "on": 7, "off": 8}
MASKED = {"User-Password", "CHAP-Password", "Message-Authenticator"}


class NewConfig(configparser.ConfigParser):
    def __init__(self, filename):
        configparser.ConfigParser.__init__(self)
        self.read(filename)

    def optionxform(self, optionstr):
        return optionstr


class AuthPacket2(AuthPacket):
    def __init__(self, code=AccessRequest, id=None, secret=b"", authenticator=None,
                 **attributes):
        AuthPacket.__init__(self, code, id, secret, authenticator, **attributes)

    def ChapEcrypt(self, password):
        if not self.authenticator:
            self.authenticator = self.CreateAuthenticator()
        if not self.id:
            self.id = self.CreateID()
        if isinstance(password, str):
            password = password.strip().encode("utf-8")
        return bytes([self.id]) + hashlib.md5(bytes([self.id]) + password
                                              + self.authenticator).digest()


def show(attr, value):
    return "<%d octets>" % len(value[0]) if attr in MASKED else value


class TestClient:
    def __init__(self, kind, mode, requests, cfg):
        self.kind, self.mode, self.requests = kind, mode, requests
        self.config = NewConfig(cfg)
        self.dict = Dictionary("dictionary")
        self.server = self.config.get("server", "host")
        self.authport = self.config.getint("server", "authport")
        self.acctport = self.config.getint("server", "acctport")
        self.authsecret = self.config.get("server", "authsecret").encode()
        self.acctsecret = self.config.get("server", "acctsecret").encode()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.settimeout(1.0)
        self.sent = set()

    def start(self):
        for _ in range(self.requests):
            self.sendauth() if self.kind == "auth" else self.sendacct()
        self.recv()

    def recv(self):
        replies = 0
        while True:
            try:
                msg, addr = self.sock.recvfrom(8192)
            except socket.timeout:
                break
            replies += 1
            resp = packet.Packet(packet=msg, dict=self.dict)
            print("Received an response: id known", resp.id in self.sent, "code", resp.code)
            for attr in resp.keys():
                print("  %s: %s" % (attr, show(attr, [resp[attr][0]])))
        print("response total:%s" % replies)

    def sendauth(self):
        req = AuthPacket2(secret=self.authsecret, dict=self.dict)
        req["User-Name"] = self.config.get("auth_user", "username")
        password = self.config.get("auth_user", "password")
        if self.mode == "chap":
            req["CHAP-Password"] = req.ChapEcrypt(password)
        else:
            req["User-Password"] = req.PwCrypt(password)
        for _key in self.config.options("auth_attrs"):
            req[_key] = self._get_val("auth_attrs", _key)
        print("send an authentication request")
        for attr in req.keys():
            print("  %s: %s" % (attr, show(attr, req[attr])))
        data = req.RequestPacket()
        self.sent.add(req.id)
        self.sock.sendto(data, (self.server, self.authport))

    def sendacct(self):
        req = packet.AcctPacket(dict=self.dict, secret=self.acctsecret)
        req["User-Name"] = self.config.get("auth_user", "username")
        req["Acct-Status-Type"] = status_vars[self.mode]
        for _key in self.config.options("acct_attrs"):
            req[_key] = self._get_val("acct_attrs", _key)
        _attrs_key = "acct_attrs_%s" % self.mode
        for _key in self.config.options(_attrs_key):
            req[_key] = self._get_val(_attrs_key, _key)
        print("send an accounting request")
        for attr in req.keys():
            print("  %s: %s" % (attr, req[attr]))
        data = req.RequestPacket()
        self.sent.add(req.id)
        self.sock.sendto(data, (self.server, self.acctport))

    def _get_val(self, opts, key):
        if self.dict.has_key(key):
            typ = self.dict[key].type
            val = self.config.get(opts, key)
            if typ == "integer":
                val = int(val)
            return val


TestClient(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]).start()
"""

TESTER_CFG = """\
[server]
host = 127.0.0.1
authport = {auth}
acctport = {acct}
authsecret = {secret}
acctsecret = {secret}

[auth_user]
username = {user}
password = {password}

[auth_attrs]
NAS-IP-Address = 192.168.8.122
Calling-Station-Id = 00-01-24-80-B3-9C
NAS-Port = 7

[acct_attrs]
NAS-IP-Address = 192.168.8.122
NAS-Port = 0
NAS-Identifier = trillian
Acct-Session-Id = sess-42
Framed-IP-Address = 10.8.0.9

[acct_attrs_start]

[acct_attrs_stop]
Acct-Input-Octets = 772138064
Acct-Output-Octets = 786765986
Acct-Session-Time = 3600
Acct-Terminate-Cause = 1

[acct_attrs_update]
Acct-Input-Octets = 1024
Acct-Output-Octets = 2048
Acct-Session-Time = 60

[acct_attrs_on]

[acct_attrs_off]
"""

# ---------------------------------------------------------------------------------------
# The PyradCodec on a plain UDP socket, with the accounting handler and an EAP-MD5 server.
# argv: none (the port is printed on the ready line).

CODEC_SERVER = r"""
import hashlib
import ipaddress
import socket
import sys
from dataclasses import dataclass
from typing import Any, Callable, Optional, Tuple

from pyrad import packet
from pyrad import packet as pyrad_packet
from pyrad.dictionary import Dictionary

SECRET = b"testing123"
USERS = {"alice": "wonderland", "carol": "carol-pass"}


def say(*words):
    print(*words)
    sys.stdout.flush()


Decoder = Callable[[bytes], Any]
Encoder = Callable[[int, "dict[str, Any]", Any], bytes]


@dataclass(frozen=True)
class PyradCodec:
    secret: bytes
    dictionary: Dictionary

    def decoder(self) -> Decoder:
        secret, dictionary = self.secret, self.dictionary

        def _decode(data):
            pkt = pyrad_packet.Packet(packet=data, secret=secret, dict=dictionary)
            if pkt.code == 1:
                return pyrad_packet.AuthPacket(packet=data, secret=secret, dict=dictionary)
            if pkt.code == 4:  # the accounting handler is given an AcctPacket
                return pyrad_packet.AcctPacket(packet=data, secret=secret, dict=dictionary)
            return pkt

        return _decode

    def encoder(self) -> Encoder:
        dictionary = self.dictionary

        def _encode(reply_code, reply_attributes, request):
            reply = request.CreateReply(**_convert_attributes(reply_attributes, dictionary))
            reply.code = reply_code
            return reply.ReplyPacket()

        return _encode


def _convert_attributes(attributes, dictionary):
    converted = {}
    for key, value in attributes.items():
        if isinstance(value, list):
            converted[key] = [_convert_value(key, v, dictionary) for v in value]
        else:
            converted[key] = _convert_value(key, value, dictionary)
    return converted


def _convert_value(key, value, dictionary):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if not isinstance(value, str):
        return value
    if value.startswith("0x") and key in dictionary:
        if dictionary[key].type in {"octets", "abinary"}:
            return bytes.fromhex(value[2:])
    return value


# --- the accounting handler (sessions in a dict instead of the portal's database)

ACCT_STATUS_MAP = {"Start": 1, "Stop": 2, "Interim-Update": 3, "Accounting-On": 7,
                   "Accounting-Off": 8}
ACCT_TERMINATE_CAUSE_MAP = {"User-Request": 1, "Lost-Carrier": 2, "Idle-Timeout": 4,
                            "Admin-Reset": 6}
SESSIONS = {}


class AccountingHandler:
    def __init__(self, dictionary):
        self.dictionary = dictionary

    def handle_acct_request(self, pkt, client_address):
        status = self._get_int_attribute(pkt, "Acct-Status-Type", ACCT_STATUS_MAP)
        session_id = self._get_attribute(pkt, "Acct-Session-Id")
        username = self._get_attribute(pkt, "User-Name")
        nas_ip = self._get_attribute(pkt, "NAS-IP-Address") or client_address[0]
        say("acct type=%s user=%s session=%s nas=%s" % (status, username, session_id, nas_ip))
        if status == 1:
            SESSIONS[(session_id, nas_ip)] = {
                "user": username, "ip": self._get_attribute(pkt, "Framed-IP-Address")}
        elif status in (2, 3):
            stats = {name: self._get_int_attribute(pkt, "Acct-" + name)
                     for name in ("Session-Time", "Input-Octets", "Output-Octets",
                                  "Input-Packets", "Output-Packets")}
            stats = {k: v for k, v in stats.items() if v is not None}
            if status == 2:
                stats["cause"] = self._get_int_attribute(pkt, "Acct-Terminate-Cause",
                                                         ACCT_TERMINATE_CAUSE_MAP)
            session = SESSIONS.get((session_id, nas_ip))
            if session is None:
                say("  session %s not found" % session_id)
            else:
                session.update(stats)
                say("  session", session_id, sorted(session.items()))
        elif status in (7, 8):
            stale = [k for k in SESSIONS if k[1] == nas_ip]
            for k in stale:
                del SESSIONS[k]
            say("  NAS %s: %d sessions closed" % (nas_ip, len(stale)))
        else:
            say("  Unknown Acct-Status-Type:", status)
        return self._create_response(pkt)

    def _get_attribute(self, pkt, attr_name) -> Optional[str]:
        try:
            values = pkt.get(attr_name)
            if values:
                value = values[0]
                if isinstance(value, bytes):
                    return value.decode("utf-8")
                return str(value)
        except Exception as e:
            say("  error getting", attr_name, type(e).__name__)
        return None

    def _resolve_int_value(self, val, attr_name, map_dict):
        if isinstance(val, bytes):
            val = val.decode("utf-8")
        if isinstance(val, int):
            return val
        if isinstance(val, str):
            if val.isdigit():
                return int(val)
            if map_dict and val in map_dict:
                return map_dict[val]
        try:
            return int(val)
        except (ValueError, TypeError):
            return None

    def _get_int_attribute(self, pkt, attr_name, map_dict=None):
        try:
            values = pkt.get(attr_name)
            if values:
                return self._resolve_int_value(values[0], attr_name, map_dict)
        except Exception as e:
            say("  error getting int", attr_name, type(e).__name__)
        return None

    def _create_response(self, request):
        return request.CreateReply()


# --- EAP-MD5 (RFC 3748 5.4) behind the codec

CHALLENGES = {}


def eap_md5(request) -> Tuple[int, dict]:
    if not request.verify_message_authenticator():
        say("  bad Message-Authenticator")
        return packet.AccessReject, {}
    eap = b"".join(request["EAP-Message"])
    code, ident, length, kind = eap[0], eap[1], int.from_bytes(eap[2:4], "big"), eap[4]
    say("  eap code %d id %d length %d type %d" % (code, ident, length, kind))
    if kind == 1:  # Identity
        identity = eap[5:length].decode("utf-8")
        challenge = hashlib.md5(identity.encode() + b"/challenge").digest()
        state = hashlib.md5(challenge).hexdigest()[:12]
        CHALLENGES[state] = (identity, challenge)
        body = bytes([4, 16]) + challenge + b"nacwire"
        out = bytes([1, ident + 1]) + (5 + len(body)).to_bytes(2, "big") + body
        return packet.AccessChallenge, {"EAP-Message": out, "State": "0x" + state,
                                        "Reply-Message": ["EAP-MD5", "challenge"]}
    state = request["State"][0].hex() if "State" in request else ""
    identity, challenge = CHALLENGES.pop(state, (None, None))
    if kind != 4 or identity is None:
        return packet.AccessReject, {"EAP-Message": bytes([4, ident, 0, 4])}
    size = eap[5]
    value = eap[6:6 + size]
    expected = hashlib.md5(bytes([ident]) + USERS.get(identity, "").encode() + challenge)
    if value != expected.digest():
        return packet.AccessReject, {"EAP-Message": bytes([4, ident, 0, 4]),
                                     "Reply-Message": "wrong password for " + identity}
    attributes = {"EAP-Message": bytes([3, ident, 0, 4]), "Session-Timeout": 3600,
                  "Class": "0x" + identity.encode().hex(), "Framed-IPv6-Prefix": "2001:db8::/64"}
    if identity == "carol":
        # "If value is an IP/network object etc., let pyrad handle str"
        attributes["Framed-IP-Address"] = ipaddress.IPv4Address("10.0.0.7")
    return packet.AccessAccept, attributes


dictionary = Dictionary("dictionary")
codec = PyradCodec(SECRET, dictionary)
decode, encode = codec.decoder(), codec.encoder()
accounting = AccountingHandler(dictionary)
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", 0))
say("ready", sock.getsockname()[1])
while True:
    data, addr = sock.recvfrom(4096)
    try:
        request = decode(data)
    except pyrad_packet.PacketError as e:
        say("bad packet:", e)
        continue
    say("request", request.code, type(request).__name__, sorted(map(str, request.keys())))
    if request.code == 4:
        if not request.VerifyAcctRequest():
            say("  bad accounting authenticator")
            continue
        sock.sendto(accounting.handle_acct_request(request, addr).ReplyPacket(), addr)
        continue
    if request.code != 1:
        say("  not handled")
        continue
    if "EAP-Message" in request:
        code, attributes = eap_md5(request)
    else:
        user = request["User-Name"][0]
        ok = USERS.get(user) == request.PwDecrypt(request["User-Password"][0])
        code = packet.AccessAccept if ok else packet.AccessReject
        attributes = {"Reply-Message": ["Welcome", user], "Class": "0xc0ffee"} if ok else {}
    try:
        sock.sendto(encode(code, attributes, request), addr)
        say("  reply", code, sorted(attributes))
    except Exception as e:
        say("  encode failed:", type(e).__name__, e)
        sock.sendto(encode(packet.AccessReject, {}, request), addr)
"""

# ---------------------------------------------------------------------------------------
# The EAP proxy's RADIUSClient as an EAP-MD5 peer. argv: the codec server's port.

EAP_CLIENT = r"""
import hashlib
import sys

from pyrad.client import Client, Timeout
from pyrad.dictionary import Dictionary
from pyrad.packet import AccessAccept, AccessChallenge, AccessReject, AccessRequest


class RADIUSClient:
    def __init__(self, server, secret, port=1812):
        self.client = Client(server=server, secret=secret.encode(),
                             dict=Dictionary("dictionary"), authport=port)
        self.client.timeout = 2
        self.client.retries = 1
        self.state = None

    def send_eap(self, eap):
        req = self.client.CreateAuthPacket(code=AccessRequest)
        req["EAP-Message"] = eap
        if self.state:
            req["State"] = self.state
        req.add_message_authenticator()
        reply = self.client.SendPacket(req)
        if "State" in reply:
            self.state = reply["State"][0]
        eap_reply = b"".join(reply.get("EAP-Message", [])) if "EAP-Message" in reply else None
        return reply.code, eap_reply


NAMES = {AccessAccept: "accept", AccessReject: "reject", AccessChallenge: "challenge"}


def login(identity, password):
    peer = RADIUSClient("127.0.0.1", "testing123", port=int(sys.argv[1]))
    ident = 1
    response = bytes([2, ident]) + (5 + len(identity)).to_bytes(2, "big") + bytes([1])
    code, eap = peer.send_eap(response + identity.encode())
    print(identity, NAMES[code], eap.hex(), peer.state)
    while code == AccessChallenge:
        ident, size = eap[1], eap[5]
        challenge = eap[6:6 + size]
        value = hashlib.md5(bytes([ident]) + password.encode() + challenge).digest()
        body = bytes([4, 16]) + value
        code, eap = peer.send_eap(bytes([2, ident]) + (5 + len(body)).to_bytes(2, "big") + body)
        print(identity, NAMES[code], eap.hex() if eap else None)


login("alice", "wonderland")
login("alice", "not-it")
login("carol", "carol-pass")
# an EAP-TLS fragment does not fit one attribute: the caller has to split it
peer = RADIUSClient("127.0.0.1", "testing123", port=int(sys.argv[1]))
try:
    peer.send_eap(bytes([2, 9, 1, 44, 13]) + bytes(295))
except Exception as e:
    print("long EAP message:", type(e).__name__, e)
try:
    RADIUSClient("127.0.0.1", "testing123", port=1).send_eap(b"")
except Timeout:
    print("port 1: timeout")
except Exception as e:
    print("port 1:", type(e).__name__)
"""

# ---------------------------------------------------------------------------------------
# Duo Authentication Proxy's RADIUS connectivity check. argv: auth port, secret, timeout.

DUO_CHECK = r"""
import sys

import pyrad
from pyrad.client import Client
from pyrad.dictionary import Dictionary


def test_connect_radius(client, request):
    try:
        reply = client.SendPacket(request)
    except pyrad.client.Timeout:
        return ("timeout",)
    except Exception as e:
        return ("error", type(e).__name__, str(e))
    return ("reachable", reply.code, sorted(k for k in reply.keys() if isinstance(k, str)))


def _connect_radius(host, port, secret, nas_ip, timeout):
    client = Client(server=host, authport=port, secret=secret.encode(),
                    dict=Dictionary("dictionary"))
    client.timeout = timeout
    client.retries = 1
    request = client.CreateAuthPacket(code=pyrad.packet.StatusServer)
    request.add_message_authenticator()
    request.AddAttribute("NAS-IP-Address", nas_ip)
    print("request", request.code, list(request.keys()), request["NAS-IP-Address"])
    return test_connect_radius(client, request)


port, secret, timeout = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
print(_connect_radius("127.0.0.1", port, secret, "192.0.2.1", timeout))
for nas_ip in ("proxy.example", "2001:db8::1"):
    try:
        _connect_radius("127.0.0.1", port, secret, nas_ip, timeout)
    except Exception as e:
        print("nas_ip %s: %s" % (nas_ip, type(e).__name__))
"""

# ---------------------------------------------------------------------------------------
# authentik's RADIUS provider: the attributes of a packet made by property mappings.

AUTHENTIK = r"""
import base64

from pyrad.dictionary import Attribute, Dictionary
from pyrad.packet import AuthPacket


def get_attributes(shared_secret, mappings):
    dict = Dictionary("dictionary")
    packet = AuthPacket()
    packet.secret = shared_secret
    packet.dict = dict

    def define_attribute(vendor_code, vendor_name, attribute_name, attribute_code,
                         attribute_type):
        if vendor_code not in dict.vendors.backward or vendor_name not in dict.vendors.forward:
            dict.vendors.Add(vendor_name, vendor_code)
        full_attribute_name = f"{vendor_name}-{attribute_name}"
        if full_attribute_name not in dict.attributes:
            dict.attributes[full_attribute_name] = Attribute(
                attribute_name, attribute_code, attribute_type, vendor=vendor_name
            )

    for mapping in mappings:
        try:
            mapping(packet, define_attribute)
        except Exception as exc:
            print("Failed to evaluate property-mapping", mapping.__name__, type(exc).__name__)
            return None
    return base64.b64encode(packet.RequestPacket()).decode()


def cisco(packet, define_attribute):
    define_attribute(vendor_code=9, vendor_name="Cisco", attribute_name="AVPair",
                     attribute_code=1, attribute_type="string")
    packet["Cisco-AVPair"] = "shell:priv-lvl=15"


def fortinet(packet, define_attribute):
    define_attribute(12356, "Fortinet", "Group-Name", 1, "string")
    define_attribute(12356, "Fortinet", "Access-Profile", 6, "string")
    packet["Fortinet-Group-Name"] = ["admins", "ops"]
    packet["Fortinet-Access-Profile"] = "super_admin"


def microsoft(packet, define_attribute):
    # the vendor is in the dictionary already; a new attribute of it
    define_attribute(311, "Microsoft", "Primary-DNS-Server", 28, "ipaddr")
    packet["Microsoft-Primary-DNS-Server"] = "192.0.2.53"


def standard(packet, define_attribute):
    packet["Session-Timeout"] = 3600
    packet["Filter-Id"] = "authentik-admins"
    packet["Class"] = b"\x00\x01ak"


def broken(packet, define_attribute):
    packet["Session-Timeout"] = "an hour"


def unknown(packet, define_attribute):
    packet["Juniper-Local-User-Name"] = "admin"


for mappings in ([cisco, fortinet, microsoft, standard], [standard, broken], [unknown], []):
    out = get_attributes("a-shared-secret", mappings)
    if out is None:
        continue
    raw = base64.b64decode(out)
    print("code", raw[0], "length", len(raw), "attributes", raw[20:].hex())
"""

# ---------------------------------------------------------------------------------------
# An LDAP-backed server: a RemoteHost subclass with the NAS's user groups, a '0.0.0.0'
# catch-all client, accounting and CoA disabled, BindToAddress and Run overridden (the
# private _GetAddrInfo), membership tested on keys(). The directory is a dict here.

LDAP_SERVER = r"""
import configparser
import sys

from pyrad import dictionary, packet, server

DIRECTORY = {"alice": ("wonderland", "Alice Liddell", ["CN=p,OU=letters,DC=lab"]),
             "bob": ("builder", "Bob", ["CN=admins,OU=groups,DC=lab"])}
CONFIG = '''
[Radius]
Dictionary = dictionary
Addresses = 127.0.0.1
Port = 0
Clients = anywhere
[Radius_anywhere]
Address = 0.0.0.0
Secret = ldapsecret
UserGroups = vpn,,
'''


def say(*words):
    print(*words)
    sys.stdout.flush()


class LdapAuthenticator:
    def authenticate(self, username, password):
        entry = DIRECTORY.get(username)
        if entry is None or entry[0] != password:
            return False, "invalid credentials for %r" % (username,), None, []
        return True, "ok", entry[1], entry[2]


class RemoteHost(server.RemoteHost):
    def __init__(self, address, secret, name, groups):
        super().__init__(address, secret, name)
        self.groups = groups or []


class LdapRadiusServer(server.Server):
    def __init__(self, ldapAuthenticator, addresses=[], authport=1812, hosts=None, dict=None):
        super().__init__(addresses=addresses, authport=authport, hosts=hosts, dict=dict,
                         auth_enabled=True, acct_enabled=False, coa_enabled=False)
        self.ldap = ldapAuthenticator

    def HandleAuthPacket(self, pkt):
        username = (pkt["User-Name"][0]
                    if "User-Name" in pkt.keys() and len(pkt["User-Name"]) else None)
        password = (pkt.PwDecrypt(pkt["User-Password"][0])
                    if "User-Password" in pkt.keys() and len(pkt["User-Password"]) else None)
        say("Authenticate user %r" % (username,))
        user_authenticated = False
        if username and password:
            success, msg, fullname, member_of = self.ldap.authenticate(username, password)
            if success:
                remote_host = self.__get_remote_host__(pkt)
                # (as the original: the repr of the list, so its characters are the groups)
                user_groups = repr(getattr(remote_host, "groups", []))
                if len(user_groups):
                    user_authenticated = any(
                        any(m.startswith(f"CN={g},") for m in member_of) for g in user_groups)
                else:
                    user_authenticated = True
                say("Authenticated%s %r via %s" % ("" if user_authenticated else " NOT",
                                                   fullname, remote_host.name))
            else:
                say(msg)
        else:
            say("username or password is missing")
        reply = self.CreateReplyPacket(pkt, **{"Service-Type": "Framed-User"})
        reply.code = packet.AccessAccept if user_authenticated else packet.AccessReject
        self.SendReplyPacket(pkt.fd, reply)

    def BindToAddress(self, addr):
        for _, address in self._GetAddrInfo(addr):
            say("Listening on:", address)
        return super().BindToAddress(addr)

    def Run(self):
        for address, client in self.hosts.items():
            say("client %r at %r, groups %r" % (getattr(client, "name", "N/A"), address,
                                                getattr(client, "groups", [])))
        say("ready", self.authfds[0].getsockname()[1], len(self.acctfds), len(self.coafds))
        return super().Run()

    def __get_remote_host__(self, pkt):
        if pkt.source[0] in self.hosts:
            return self.hosts[pkt.source[0]]
        elif "0.0.0.0" in self.hosts:
            return self.hosts["0.0.0.0"]
        raise server.ServerPacketError("Received packet from unknown host")


config = configparser.ConfigParser()
config.read_string(CONFIG)
srv = LdapRadiusServer(LdapAuthenticator(), authport=int(config["Radius"]["Port"]),
                       dict=dictionary.Dictionary(config["Radius"]["Dictionary"]))
for client_name in config["Radius"]["Clients"].split(","):
    client_config = config[f"Radius_{client_name}"]
    user_groups = [g for g in client_config["UserGroups"].split(",") if g]
    srv.hosts[client_config["Address"]] = RemoteHost(
        client_config["Address"], client_config["Secret"].encode(), client_name, user_groups)
for address in config["Radius"]["Addresses"].split(","):
    srv.BindToAddress(address)
srv.Run()
"""

# ---------------------------------------------------------------------------------------
# Values as configuration-driven programs pass them (raok's JSON, RadiusTester's
# ConfigParser, the PyradCodec's pass-through of non-str values): pyrad looks each one up
# in the attribute's named values first, so an unhashable one is a TypeError there.

VALUE_PROBE = r"""
from pyrad.dictionary import Dictionary
from pyrad.packet import AuthPacket

d = Dictionary("dictionary")


class Mine(AuthPacket):
    pass


VALUES = [bytearray(b"ab"), {"a": 1}, [b"x", bytearray(b"y")], 3600.0, None, "0x6162"]
for name in ("Class", "Reply-Message", "Session-Timeout", "Service-Type", "NAS-IP-Address",
             "EAP-Message", "MS-CHAP-Challenge"):
    for value in VALUES:
        results = []
        for how in ("set", "keyword", "add", "subclass"):
            cls = Mine if how == "subclass" else AuthPacket
            try:
                if how == "keyword":
                    pkt = cls(dict=d, id=1, authenticator=bytes(16),
                              **{name.replace("-", "_"): value})
                else:
                    pkt = cls(dict=d, id=1, authenticator=bytes(16))
                    if how == "add":
                        pkt.AddAttribute(name, value)
                    else:
                        pkt[name] = value
                results.append(pkt.RequestPacket()[20:].hex())
            except Exception as e:
                results.append("%s: %s" % (type(e).__name__, e))
        print(name, repr(value), results[0] if len(set(results)) == 1 else results)
"""

# ---------------------------------------------------------------------------------------
# authentik assigns a str secret to its packet; what pyrad does with secrets that are
# not bytes once a Message-Authenticator is to be computed (pyrad's hmac.new raises).

SECRET_PROBE = r"""
from pyrad.dictionary import Dictionary
from pyrad.packet import AcctPacket, AuthPacket, CoAPacket

d = Dictionary("dictionary")
for secret in ("a-shared-secret", bytearray(b"a-shared-secret"), None, b"a-shared-secret"):
    for cls in (AuthPacket, AcctPacket, CoAPacket):
        results = []
        pkt = cls(dict=d, id=9, authenticator=bytes(16))
        pkt.secret = secret
        pkt["User-Name"] = "alice"
        for step in ("RequestPacket", "add_message_authenticator", "RequestPacket",
                     "CreateReply", "verify"):
            try:
                if step == "add_message_authenticator":
                    out = pkt.add_message_authenticator()
                elif step == "RequestPacket":
                    out = pkt.RequestPacket()
                elif step == "CreateReply":
                    out = pkt.CreateReply(Reply_Message="hi").ReplyPacket()
                else:
                    out = pkt.verify_message_authenticator()
                results.append(out.hex() if isinstance(out, bytes) else repr(out))
            except Exception as e:
                results.append("%s: %s" % (type(e).__name__, e))
        print(type(secret).__name__, cls.__name__, results)
"""

# ---------------------------------------------------------------------------------------
# The raw view written by wire key (as the CoA helpers read it) with values and keys
# pyrad's encoder refuses, and a named value added at run time as an int (authentik's
# define_attribute style): pyrad's errors come from its _PktEncodeAttribute.

RAW_PROBE = r"""
from pyrad.dictionary import Attribute, Dictionary
from pyrad.packet import AcctPacket, AuthPacket

d = Dictionary("dictionary")


class Mine(AuthPacket):
    pass


CASES = [(1, ["str"]), (1, "x"), (1, b"xy"), (27, [3600]), (1, [None]), (1, [[1, 2]]),
         (1, [memoryview(b"mv")]), (1, [bytearray(b"ba")]), ((311,), [b"x"]),
         ((311, 11), [b"x"]), ((311, 300), [b"x"]), ((2**32, 1), [b"x"]), (1.0, [b"x"]),
         (300, [b"x"]), ("1", [b"x"]), (1, [b"x" * 254])]
for key, value in CASES:
    results = []
    for cls in (AuthPacket, Mine, AcctPacket):
        for signed in (False, True):
            pkt = cls(dict=d, secret=b"s", id=1, authenticator=bytes(16))
            if signed:
                pkt.add_message_authenticator()
            try:
                pkt[key] = value
                results.append(pkt.RequestPacket()[20:].hex())
            except Exception as e:
                results.append("%s: %s" % (type(e).__name__, e))
    shown = "[memoryview(b'mv')]" if "memory" in repr(value) else repr(value)
    plain, signed = results[0::2], [r[36:] if r.startswith("5012") else r for r in results[1::2]]
    print(repr(key), shown, plain[0] if len(set(plain)) == 1 else plain,
          "| signed:", signed[0] if len(set(signed)) == 1 else signed)

d.vendors.Add("Acme", 9999)
role = Attribute("Role", 2, "integer", vendor="Acme")
role.values.Add("admin", 1)
d.attributes["Acme-Role"] = role
pkt = AuthPacket(dict=d, secret=b"s", id=1, authenticator=bytes(16))
pkt["Acme-Role"] = "admin"
try:
    pkt.RequestPacket()
except Exception as e:
    print("named value added as an int:", type(e).__name__, e)
"""

# ---------------------------------------------------------------------------------------
# A dictionary as old pyrad-era servers ship it (toughradius's ``dictionarys/``, and
# FreeRADIUS 1.x's): server-internal attributes numbered above 255, a vendor named in
# a fifth column instead of BEGIN-VENDOR, the same VALUE number under two names and the
# same name with two numbers, comments after the type. Setting an internal attribute on
# a packet fails when the packet is encoded (pyrad's struct.error).

OLD_DICTIONARY = """\
$INCLUDE dictionary.old-vendor
ATTRIBUTE	User-Name		1	string
ATTRIBUTE	Acct-Status-Type	40	integer
ATTRIBUTE	EAP-Message		79	string
ATTRIBUTE	NAS-IPv6-Address	95	octets	# an IPv6 address, really
ATTRIBUTE	Framed-IPv6-Prefix	97	octets	# the old format
ATTRIBUTE	Fall-Through		500	integer
ATTRIBUTE	Auth-Type		1000	integer
ATTRIBUTE	Group-Name		1030	string
VALUE		Acct-Status-Type	Interim-Update		3
VALUE		Acct-Status-Type	Alive			3
VALUE		Acct-Status-Type	Start			1
VALUE		Auth-Type		Local			0
VALUE		Auth-Type		CRAM			1030
VALUE		Auth-Type		CRAM			1032
VALUE		Fall-Through		Yes			1
"""

OLD_VENDOR = """\
VENDOR          DogCo                      18721
ATTRIBUTE       DogCo-Version              1       string  DogCo
ATTRIBUTE       DogCo-Config               2       integer  DogCo
VALUE		DogCo-Config		On		1
"""

OLD_DICTIONARY_USE = r"""
from pyrad.dictionary import Dictionary
from pyrad.packet import AcctPacket

d = Dictionary("dictionary.old")
for name in sorted(d.attributes.keys()):
    a = d.attributes[name]
    print(name, a.code, a.type, repr(a.vendor), sorted(a.values.forward.items()))
print(sorted(d.vendors.forward.items()))
for name, value in [("Acct-Status-Type", "Alive"), ("Acct-Status-Type", "Interim-Update"),
                    ("Auth-Type", "CRAM"), ("Fall-Through", "Yes"), ("Group-Name", "staff"),
                    ("DogCo-Version", "1.0"), ("DogCo-Config", "On"),
                    ("Framed-IPv6-Prefix", "2001:db8::/64"), ("EAP-Message", b"\x02\x01\0\x05\x01"),
                    ("EAP-Message", b"\xff\xfe")]:
    pkt = AcctPacket(dict=d, secret=b"s", id=1, authenticator=bytes(16))
    try:
        pkt[name] = value
        raw = pkt.RequestPacket()
        back = AcctPacket(packet=raw, dict=d, secret=b"s")
        print(name, repr(value), raw[20:].hex(), back.keys(), back[name])
    except Exception as e:
        print(name, repr(value), "%s.%s: %s" % (type(e).__module__, type(e).__name__, e))
"""

PROGRAMS = {
    "raok_server.py": RAOK_SERVER,
    "nas_probe.py": NAS_PROBE,
    "radius_tester.py": RADIUS_TESTER,
    "codec_server.py": CODEC_SERVER,
    "eap_client.py": EAP_CLIENT,
    "duo_check.py": DUO_CHECK,
    "authentik_attributes.py": AUTHENTIK,
    "value_probe.py": VALUE_PROBE,
    "ldap_server.py": LDAP_SERVER,
    "secret_probe.py": SECRET_PROBE,
    "raw_probe.py": RAW_PROBE,
    "old_dictionary.py": OLD_DICTIONARY_USE,
}

# ---------------------------------------------------------------------------------------
# Running them


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A directory with the programs and the dictionary files."""
    work = tmp_path_factory.mktemp("pyrad-realworld-s13")
    files = {
        "dictionary": DICT_ROOT,
        "dictionary.microsoft": DICT_MICROSOFT,
        "dictionary.old": OLD_DICTIONARY,
        "dictionary.old-vendor": OLD_VENDOR,
        **PROGRAMS,
    }
    for name, text in files.items():
        (work / name).write_text(text)
    return work


@pytest.fixture(params=["nacwire", "pyrad"])
def which(request: pytest.FixtureRequest) -> str:
    """nacwire.pyrad on both sides, or every pairing with the real pyrad 2.6."""
    if request.param == "pyrad":
        _require_real()
    return str(request.param)


class ServerProgram:
    """A server program on the kernel's ports, printed on its first line after 'ready'."""

    def __init__(self, lab: pathlib.Path, impl: str, program: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", PRELUDE, program],
            cwd=lab,
            env=_env(impl),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.proc.stdout is not None
        self.preamble: list[str] = []  # what it printed before 'ready'
        while True:
            line = self.proc.stdout.readline()
            ready, *ports = line.split() or [""]
            if ready == "ready" and ports:
                break
            self.preamble.append(line.rstrip("\n"))
            if not line or len(self.preamble) > 20:
                self.proc.kill()
                text = "\n".join(self.preamble)
                pytest.fail(f"{program} ({impl}) did not start:\n{text}{self.proc.stdout.read()}")
        self.ports = [int(p) for p in ports]

    def stop(self) -> str:
        """Stops the server; what it printed after 'ready'."""
        time.sleep(0.1)  # the last reply is sent after the last line is flushed
        self.proc.terminate()
        out, _ = self.proc.communicate(timeout=10)
        return out


@contextmanager
def serving(lab: pathlib.Path, impl: str, program: str) -> Iterator[ServerProgram]:
    server = ServerProgram(lab, impl, program)
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.communicate()


def pairings(
    lab: pathlib.Path,
    which: str,
    server_program: str,
    client_program: str,
    argv: Callable[[list[int]], list[object]],
) -> tuple[str, str]:
    """Client and server transcripts; with ``which="pyrad"`` every pairing of nacwire.pyrad
    and pyrad 2.6 must print the same (each server sees nacwire's client, then pyrad's)."""
    impls = _impls(which)
    clients: dict[tuple[str, str], str] = {}
    servers: dict[str, str] = {}
    for server_impl in impls:
        with serving(lab, server_impl, server_program) as srv:
            for client_impl in impls:
                out = run(lab, client_impl, client_program, *argv(srv.ports))
                clients[(server_impl, client_impl)] = out
            servers[server_impl] = srv.stop()
    reference = clients[("nacwire", "nacwire")]
    for pairing, out in clients.items():
        assert out == reference, (
            f"client transcript of {client_program}, (server, client) = {pairing}"
        )
    if which == "pyrad":
        assert servers["nacwire"] == servers["real"], f"server transcript with {client_program}"
    return reference, servers["nacwire"]


def _tester_cfg(lab: pathlib.Path, name: str, auth: int, acct: int, **values: str) -> str:
    text = TESTER_CFG.format(auth=auth, acct=acct, **values)
    (lab / name).write_text(text)
    return name


# ---------------------------------------------------------------------------------------
# The programs


def test_raok_server_with_a_nas(lab: pathlib.Path, which: str) -> None:
    """raok: PAP, a three-step challenge on State, CHAP with CHAP-Challenge and with the
    request authenticator, MS-CHAP and MS-CHAPv2 vendor attributes, RFC checks (no
    User-Name, PAP and CHAP together), a blocked user, a user name that is not UTF-8,
    configuration lists written to the reply, accounting through _HandleAcctPacket."""
    client, server = pairings(lab, which, "raok_server.py", "nas_probe.py", lambda p: p)
    assert client.splitlines() == [
        "alice pap -> 2 [('Class', [b'staff', b'vpn'])]",
        "alice wrong -> 3 []",
        "token 1 -> 11 [('Reply-Message', ['pin']), ('State', [b'pin'])]",
        "token 2 -> 11 [('Reply-Message', ['token']), ('State', [b'token'])]",
        "token 3 -> 11 [('Reply-Message', ['done']), ('State', [b'done'])]",
        "token 4 -> 2 []",
        "token bad state -> 3 []",
        "locked -> 3 []",
        "blocked -> 3 []",
        "guest bytes name -> 2 [('Filter-Id', ['guests'])]",
        "chap challenge -> 2 [('Class', [b'staff', b'vpn'])]",
        "chap authenticator -> 2 [('Class', [b'staff', b'vpn'])]",
        "chap wrong -> 3 []",
        "pap and chap -> 3 []",
        "no user name -> 3 []",
        "mschap -> 3 [('MS-CHAP-Error', ['E=648 R=1 V=2']), ('Reply-Message', ['E=648 R=1 V=2'])]",
        "mschap2 -> 2 [('Filter-Id', ['guests']), ('Reply-Message', ['default authentication'])]",
        "no method -> 3 []",
        "acct start -> 5 []",
    ]
    lines = server.splitlines()
    assert lines[:8] == [
        "=> Received an authentication request from 127.0.0.1",
        "      Message-Authenticator = <16 octets>",
        "      User-Name = ['alice']",
        "      NAS-Identifier = ['vpn-1']",
        "      NAS-Port-Type = ['Virtual']",
        "      User-Password = <16 octets>",
        ">>>  PAP ok 'wonderland'",
        "=> code 2 (policy) for 'alice'",
    ]
    for expected in (
        "      User-Name = [b'\\xffguest']",
        "=> code 2 (policy) for b'\\xffguest'",
        "   CHAP-Challenge is missing, using packet authenticator.",
        ">>>  CHAP ok, ident 9",
        "   MS-CHAP ident 5 challenge 0001020304050607 LM aaaaaaaa",
        "   MS-CHAP2 ident 6 peer 000102030405060708090a0b0c0d0e0f nt cccccccc challenge 16",
        "=> code 3 (challenge state error) for 'tokenuser'",
        "RADIUS: client violates RFC: User-Name attribute missing",
        "       Acct-Status-Type = ['Start']",
        "       Class = [b'staff']",
    ):
        assert expected in lines, expected


def test_radius_tester_load_against_raok(lab: pathlib.Path, which: str) -> None:
    """RadiusTester against raok: PAP and its own CHAP (AuthPacket subclass, CreateID,
    CreateAuthenticator), requests sent on its own socket, replies decoded without a
    secret; accounting start and stop from a ConfigParser file."""

    def argv(ports: list[int]) -> list[object]:
        name = _tester_cfg(
            lab,
            "raok.cfg",
            ports[0],
            ports[1],
            secret="radpass",
            user="alice",
            password="wonderland",
        )
        return ["auth", "chap", 3, name]

    client, server = pairings(lab, which, "raok_server.py", "radius_tester.py", argv)
    lines = client.splitlines()
    assert lines[:7] == [
        "send an authentication request",
        "  User-Name: ['alice']",
        "  CHAP-Password: <17 octets>",
        "  NAS-IP-Address: ['192.168.8.122']",
        "  Calling-Station-Id: ['00-01-24-80-B3-9C']",
        "  NAS-Port: [7]",
        "send an authentication request",
    ]
    assert lines.count("Received an response: id known True code 2") == 3
    assert lines.count("  Class: [b'staff']") == 3  # the first value only
    assert lines[-1] == "response total:3"
    assert server.count(">>>  CHAP ok, ident = packet id") == 3 * len(_impls(which))
    outs = {}
    for impl in _impls(which):
        with serving(lab, "nacwire", "raok_server.py") as srv:
            name = _tester_cfg(
                lab, "raok.cfg", *srv.ports, secret="radpass", user="alice", password="guess"
            )
            pap = run(lab, impl, "radius_tester.py", "auth", "pap", 2, name)
            start = run(lab, impl, "radius_tester.py", "acct", "start", 1, name)
            stop = run(lab, impl, "radius_tester.py", "acct", "stop", 1, name)
            outs[impl] = (pap, start, stop, srv.stop())
    pap, start, stop, log = outs["nacwire"]
    assert pap.splitlines()[-3:] == [
        "Received an response: id known True code 3",
        "  Message-Authenticator: <16 octets>",
        "response total:2",
    ]
    assert "  Acct-Status-Type: ['Start']" in start.splitlines()
    assert "  Acct-Terminate-Cause: ['User-Request']" in stop.splitlines()
    assert stop.splitlines()[-2:] == [
        "Received an response: id known True code 5",
        "response total:1",
    ]
    assert log.count(">>>  PAP failed 'guess'") == 2
    assert "       Acct-Input-Octets = [772138064]" in log.splitlines()
    assert outs.get("real", outs["nacwire"]) == outs["nacwire"]


def test_codec_server_accounting(lab: pathlib.Path, which: str) -> None:
    """The PyradCodec server with the accounting handler, driven by RadiusTester: Start,
    Interim-Update, Stop, Accounting-On/Off (values by name and by digits), and PAP
    answered with CreateReply(**{"Reply-Message": [...], "Class": "0x..."})."""
    impls = _impls(which)
    clients: dict[tuple[str, str], str] = {}
    servers: dict[str, str] = {}
    for server_impl in impls:
        with serving(lab, server_impl, "codec_server.py") as srv:
            port = srv.ports[0]
            name = _tester_cfg(
                lab,
                "codec.cfg",
                port,
                port,
                secret="testing123",
                user="alice",
                password="wonderland",
            )
            for client_impl in impls:
                out = "".join(
                    run(lab, client_impl, "radius_tester.py", "acct", mode, 1, name)
                    for mode in ("start", "update", "stop", "on", "off")
                )
                out += run(lab, client_impl, "radius_tester.py", "auth", "pap", 2, name)
                clients[(server_impl, client_impl)] = out
            servers[server_impl] = srv.stop()
    reference = clients[("nacwire", "nacwire")]
    assert all(out == reference for out in clients.values()), clients
    assert servers.get("real", servers["nacwire"]) == servers["nacwire"]
    lines = reference.splitlines()
    assert lines.count("Received an response: id known True code 5") == 5
    assert lines[-5:] == [
        "Received an response: id known True code 2",
        "  Message-Authenticator: <16 octets>",
        "  Reply-Message: ['Welcome']",
        "  Class: [b'\\xc0\\xff\\xee']",
        "response total:2",
    ]
    log = servers["nacwire"].splitlines()
    assert log[:2] == [
        "request 4 AcctPacket ['Acct-Session-Id', 'Acct-Status-Type', 'Framed-IP-Address',"
        " 'NAS-IP-Address', 'NAS-Identifier', 'NAS-Port', 'User-Name']",
        "acct type=1 user=alice session=sess-42 nas=192.168.8.122",
    ]
    assert (
        "  session sess-42 [('Input-Octets', 772138064), ('Output-Octets', 786765986),"
        " ('Session-Time', 3600), ('cause', 1), ('ip', '10.8.0.9'), ('user', 'alice')]"
    ) in log
    assert "  NAS 192.168.8.122: 1 sessions closed" in log
    assert "  reply 2 ['Class', 'Reply-Message']" in log


def test_eap_client_through_the_codec(lab: pathlib.Path, which: str) -> None:
    """The EAP proxy's RADIUSClient (EAP-Message, State, add_message_authenticator) as an
    EAP-MD5 peer against the PyradCodec server: success, a wrong password, a reply value
    pyrad cannot encode (an IPv4Address object), an EAP message longer than 253 octets."""
    client, server = pairings(lab, which, "codec_server.py", "eap_client.py", lambda p: p)
    lines = client.splitlines()
    assert [line.split()[:2] for line in lines[:6]] == [
        ["alice", "challenge"],
        ["alice", "accept"],
        ["alice", "challenge"],
        ["alice", "reject"],
        ["carol", "challenge"],
        ["carol", "reject"],
    ]
    assert lines[1] == "alice accept 03020004"
    assert lines[3] == "alice reject 04020004"
    assert lines[5] == "carol reject None"
    assert lines[6:] == [
        "long EAP message: ValueError Can only encode strings of <= 253 characters",
        "port 1: timeout",
    ]
    log = server.splitlines()
    assert "  reply 2 ['Class', 'EAP-Message', 'Framed-IPv6-Prefix', 'Session-Timeout']" in log
    assert "  encode failed: TypeError Address has to be a string" in log


def test_duo_status_server_check(lab: pathlib.Path, which: str) -> None:
    """Duo's connectivity check: Message-Authenticator first, NAS-IP-Address added after
    it; a pyrad Server drops a Status-Server on its auth port (timeout); a host name or an
    IPv6 address as NAS-IP-Address is refused while the packet is built."""
    client, _ = pairings(
        lab, which, "raok_server.py", "duo_check.py", lambda p: [p[0], "radpass", 0.3]
    )
    assert client.splitlines() == [
        "request 12 ['Message-Authenticator', 'NAS-IP-Address'] ['192.0.2.1']",
        "('timeout',)",
        "nas_ip proxy.example: AddressValueError",
        "nas_ip 2001:db8::1: AddressValueError",
    ]


def test_duo_status_server_check_against_freeradius(
    lab: pathlib.Path, which: str, freeradius: FreeRadius
) -> None:
    """The same check against FreeRADIUS 3.2, which answers Status-Server."""
    outs = {
        impl: run(lab, impl, "duo_check.py", freeradius.auth_port, "testing123", 3)
        for impl in _impls(which)
    }
    assert outs["nacwire"].splitlines()[:2] == [
        "request 12 ['Message-Authenticator', 'NAS-IP-Address'] ['192.0.2.1']",
        "('reachable', 2, [])",  # FreeRADIUS 3.2.1 does not sign it
    ]
    assert outs.get("real", outs["nacwire"]) == outs["nacwire"]


def test_authentik_property_mappings(lab: pathlib.Path, which: str) -> None:
    """authentik: an empty AuthPacket given a str secret and a dictionary afterwards,
    vendors and Attribute objects added at run time, mappings that fail (a value of the
    wrong type, an unknown attribute), the packet base64-encoded."""
    outs = {impl: run(lab, impl, "authentik_attributes.py") for impl in _impls(which)}
    attributes = "".join(
        (
            # Cisco-AVPair (9, 1): the vendor added at run time
            "1a19000000090113" + b"shell:priv-lvl=15".hex(),
            # two Fortinet-Group-Name (12356, 1), one Fortinet-Access-Profile (12356, 6)
            "1a0e000030440108" + b"admins".hex(),
            "1a0b000030440105" + b"ops".hex(),
            "1a1300003044060d" + b"super_admin".hex(),
            # Microsoft-Primary-DNS-Server (311, 28): an attribute added to a known vendor
            "1a0c000001371c06c0000235",
            # Session-Timeout, Filter-Id, Class
            "1b0600000e10",
            "0b12" + b"authentik-admins".hex(),
            "19060001616b",
        )
    )
    assert outs["nacwire"].splitlines() == [
        f"code 1 length 131 attributes {attributes}",
        "Failed to evaluate property-mapping broken TypeError",
        "Failed to evaluate property-mapping unknown KeyError",
        "code 1 length 20 attributes ",
    ]
    assert outs.get("real", outs["nacwire"]) == outs["nacwire"]


# ---------------------------------------------------------------------------------------
# The servers' bytes: fixed requests (made here, byte by byte) get the same replies from
# the programs on nacwire.pyrad and on pyrad 2.6.


def _attr(kind: int, value: bytes) -> bytes:
    return bytes((kind, len(value) + 2)) + value


def _vsa(vendor: int, kind: int, value: bytes) -> bytes:
    return _attr(26, vendor.to_bytes(4, "big") + _attr(kind, value))


def _access_request(ident: int, secret: bytes, attributes: bytes, password: str = "") -> bytes:
    authenticator = hashlib.md5(b"request %d" % ident).digest()
    if password:
        plain = password.encode().ljust(16, b"\0")
        key = hashlib.md5(secret + authenticator).digest()
        attributes += _attr(2, bytes(a ^ b for a, b in zip(plain, key, strict=True)))
    header = struct.pack("!BBH", 1, ident, 20 + len(attributes))
    return header + authenticator + attributes


def _accounting_request(ident: int, secret: bytes, attributes: bytes) -> bytes:
    header = struct.pack("!BBH", 4, ident, 20 + len(attributes))
    authenticator = hashlib.md5(header + bytes(16) + attributes + secret).digest()
    return header + authenticator + attributes


def _exchange(port: int, requests: list[bytes]) -> list[bytes]:
    """Each request's reply (b"" for none within 0.5 s)."""
    replies = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.5)
        for request in requests:
            s.sendto(request, ("127.0.0.1", port))
            try:
                replies.append(s.recv(4096))
            except TimeoutError:
                replies.append(b"")
    return replies


RAOK_REQUESTS = [
    _access_request(1, b"radpass", _attr(1, b"alice"), "wonderland"),
    _access_request(2, b"radpass", _attr(1, b"tokenuser"), "1234"),
    _access_request(3, b"radpass", _attr(1, b"tokenuser") + _attr(24, b"token"), "1234"),
    _access_request(4, b"radpass", _attr(1, b"alice"), "guess"),
    _access_request(
        5,
        b"radpass",
        _attr(1, b"mschapper")
        + _vsa(311, 11, bytes(8))
        + _vsa(311, 1, b"\x05\x01" + bytes(47) + b"\x05"),
    ),
    _access_request(6, b"radpass", _attr(1, b"\xffguest"), "x"),
    _access_request(7, b"radpass", _attr(1, b"-mallory"), "x"),
    _access_request(8, b"wrong", _attr(1, b"alice"), "wonderland"),
]

CODEC_REQUESTS = [
    _access_request(11, b"testing123", _attr(1, b"alice"), "wonderland"),
    _access_request(12, b"testing123", _attr(1, b"carol") + _attr(33, b"proxy-1"), "nope"),
    _accounting_request(
        13, b"testing123", _attr(1, b"bob") + _attr(40, bytes((0, 0, 0, 1))) + _attr(44, b"s-9")
    ),
    _accounting_request(
        14,
        b"testing123",
        _attr(40, bytes((0, 0, 0, 2))) + _attr(44, b"s-9") + _attr(49, b"\0\0\0\4"),
    ),
    _accounting_request(15, b"wrong", _attr(40, bytes((0, 0, 0, 7)))),
    b"\x01\x10\x00\x10" + bytes(12),  # shorter than its header
]


@pytest.mark.parametrize(
    ("program", "requests"),
    [("raok_server.py", RAOK_REQUESTS), ("codec_server.py", CODEC_REQUESTS)],
)
def test_server_reply_bytes(
    lab: pathlib.Path, which: str, program: str, requests: list[bytes]
) -> None:
    """The replies of raok and of the PyradCodec server to fixed requests, byte for byte
    (Message-Authenticator, Response Authenticator, attribute order, Proxy-State)."""
    replies = {}
    logs = {}
    for impl in _impls(which):
        with serving(lab, impl, program) as srv:
            replies[impl] = _exchange(
                srv.ports[-1 if program == "codec_server.py" else 0], requests
            )
            if program == "raok_server.py":  # the accounting port
                replies[impl] += _exchange(
                    srv.ports[1],
                    [
                        _accounting_request(
                            9, b"radpass", _attr(1, b"alice") + _attr(40, b"\0\0\0\1")
                        )
                    ],
                )
            logs[impl] = srv.stop()
    assert replies.get("real", replies["nacwire"]) == replies["nacwire"]
    assert logs.get("real", logs["nacwire"]) == logs["nacwire"]
    codes = [reply[:2] for reply in replies["nacwire"]]
    if program == "raok_server.py":
        # the request with the wrong secret decrypts to garbage and is rejected
        assert codes == [
            b"\x02\x01",
            b"\x0b\x02",
            b"\x0b\x03",
            b"\x03\x04",
            b"\x03\x05",
            b"\x02\x06",
            b"\x03\x07",
            b"\x03\x08",
            b"\x05\x09",
        ]
    else:
        # a bad accounting authenticator and a short packet get no answer
        assert codes == [b"\x02\x0b", b"\x03\x0c", b"\x05\x0d", b"\x05\x0e", b"", b""]
        assert b"proxy-1" in replies["nacwire"][1]  # Proxy-State copied by CreateReply


def test_unhashable_values_raise_as_in_pyrad(lab: pathlib.Path, which: str) -> None:
    """pyrad 2.6 looks every value up in the attribute's named values (``HasForward``)
    before encoding it, even when there are none: a bytearray or a dict is a
    ``TypeError: unhashable type`` for every attribute type, octets included (nacwire.pyrad
    used to encode a bytearray as octets, and gave other messages)."""
    outs = {impl: run(lab, impl, "value_probe.py") for impl in _impls(which)}
    lines = outs["nacwire"].splitlines()
    for name in ("Class", "Reply-Message", "Session-Timeout", "NAS-IP-Address", "EAP-Message"):
        assert f"{name} bytearray(b'ab') TypeError: unhashable type: 'bytearray'" in lines
        assert f"{name} {{'a': 1}} TypeError: unhashable type: 'dict'" in lines
    for name in ("Class", "Reply-Message", "EAP-Message"):  # the second value of a list
        assert f"{name} [b'x', bytearray(b'y')] TypeError: unhashable type: 'bytearray'" in lines
    assert "Class '0x6162' 19046162" in lines
    assert "MS-CHAP-Challenge '0x6162' 1a0a000001370b046162" in lines
    assert outs.get("real", outs["nacwire"]) == outs["nacwire"]


def test_ldap_server_with_a_catch_all_client(lab: pathlib.Path, which: str) -> None:
    """An LDAP-backed server: a RemoteHost subclass found through '0.0.0.0', accounting
    and CoA disabled (no sockets), BindToAddress and Run overridden, RadiusTester's PAP."""
    impls = _impls(which)
    outs: dict[tuple[str, str], str] = {}
    logs: dict[str, tuple[list[str], str]] = {}
    for server_impl in impls:
        with serving(lab, server_impl, "ldap_server.py") as srv:
            port = srv.ports[0]
            assert srv.ports[1:] == [0, 0]  # no accounting or CoA sockets
            for client_impl in impls:
                out = ""
                for user, password in (("alice", "wonderland"), ("bob", "builder"), ("bob", "x")):
                    name = _tester_cfg(
                        lab,
                        "ldap.cfg",
                        port,
                        port,
                        secret="ldapsecret",
                        user=user,
                        password=password,
                    )
                    out += run(lab, client_impl, "radius_tester.py", "auth", "pap", 1, name)
                outs[(server_impl, client_impl)] = out
            logs[server_impl] = (srv.preamble, srv.stop())
    reference = outs[("nacwire", "nacwire")]
    assert all(out == reference for out in outs.values())
    assert logs.get("real", logs["nacwire"]) == logs["nacwire"]
    codes = [line for line in reference.splitlines() if line.startswith("Received")]
    assert codes == [
        "Received an response: id known True code 2",
        "Received an response: id known True code 3",
        "Received an response: id known True code 3",
    ]
    preamble, log = logs["nacwire"]
    assert preamble == [
        "Listening on: 127.0.0.1",
        "client 'anywhere' at '0.0.0.0', groups ['vpn']",
    ]
    assert log.splitlines()[:6] == [
        "Authenticate user 'alice'",
        "Authenticated 'Alice Liddell' via anywhere",
        "Authenticate user 'bob'",
        "Authenticated NOT 'Bob' via anywhere",
        "Authenticate user 'bob'",
        "invalid credentials for 'bob'",
    ]


def test_secrets_that_are_not_bytes(lab: pathlib.Path, which: str) -> None:
    """authentik gives its packet a str secret: encoding works until a
    Message-Authenticator is computed, where pyrad's ``hmac.new`` raises its TypeError (a
    bytearray secret works). nacwire.pyrad used to raise another message and to refuse a
    bytearray secret there."""
    outs = {impl: run(lab, impl, "secret_probe.py") for impl in _impls(which)}
    lines = outs["nacwire"].splitlines()
    refused = "TypeError: key: expected bytes or bytearray, but got 'str'"
    for line in lines:
        if line.startswith("str "):
            assert refused in line, line
        if line.startswith("bytearray "):  # signed (a reply still needs a bytes secret)
            assert "key: expected" not in line and "'True']" in line, line
    assert any(
        line.startswith("NoneType AuthPacket") and "got 'NoneType'" in line for line in lines
    )
    assert outs.get("real", outs["nacwire"]) == outs["nacwire"]


def _struct_error(code: object) -> str:
    """pyrad's header packing error for an attribute code, in this interpreter's words
    (3.11 says "ubyte format requires ...", 3.12 "'B' format requires ...")."""
    try:
        struct.pack("!BB", code, 3)
    except struct.error as e:
        return str(e)
    raise AssertionError(f"{code!r} packs")


def test_raw_values_and_keys_pyrad_refuses(lab: pathlib.Path, which: str) -> None:
    """Wire-key writes of values that are not octets (a str, an int, a list of ints,
    None) or of keys that are not attribute codes: pyrad's own errors (its
    ``_PktEncodeAttribute``: ``struct.error``, ``IndexError``, the ``TypeError`` of
    ``bytes + value``); a memoryview or a bytearray is encoded. nacwire.pyrad used to
    encode a list of ints and to raise other exception types."""
    outs = {impl: run(lab, impl, "raw_probe.py") for impl in _impls(which)}
    lines = outs["nacwire"].splitlines()
    for expected in (
        "1 ['str'] TypeError: can't concat str to bytes",
        "27 [3600] TypeError: object of type 'int' has no len()",
        "1 [[1, 2]] TypeError: can't concat list to bytes",
        "1 [memoryview(b'mv')] 01046d76 | signed: 01046d76",
        "1 [bytearray(b'ba')] 01046261 | signed: 01046261",
        "(311,) [b'x'] IndexError: tuple index out of range",
        f"300 [b'x'] error: {_struct_error(300)}",
        f"1.0 [b'x'] error: {_struct_error(1.0)}",
    ):
        assert any(line.startswith(expected) for line in lines), expected
    assert lines[-1] == "named value added as an int: TypeError object of type 'int' has no len()"
    assert outs.get("real", outs["nacwire"]) == outs["nacwire"]


def test_an_old_server_dictionary(lab: pathlib.Path, which: str) -> None:
    """Codes above 255, a vendor in the fifth column, duplicate VALUE numbers (the last
    name wins when decoding) and names (the last number wins when encoding); an internal
    attribute set on a packet is pyrad's struct.error when the packet is encoded
    (nacwire.pyrad used to raise TypeError there)."""
    outs = {impl: run(lab, impl, "old_dictionary.py") for impl in _impls(which)}
    lines = outs["nacwire"].splitlines()
    assert "DogCo-Config 2 integer 'DogCo' [('On', b'\\x00\\x00\\x00\\x01')]" in lines
    assert (
        "Auth-Type 1000 integer '' [('CRAM', b'\\x00\\x00\\x04\\x08'),"
        " ('Local', b'\\x00\\x00\\x00\\x00')]" in lines
    )
    assert "Acct-Status-Type 'Interim-Update' 280600000003 ['Acct-Status-Type'] ['Alive']" in lines
    for name in ("Auth-Type 'CRAM'", "Fall-Through 'Yes'", "Group-Name 'staff'"):
        assert f"{name} struct.error: {_struct_error(1000)}" in lines
    assert "DogCo-Version '1.0' 1a0b000049210105312e30 ['DogCo-Version'] ['1.0']" in lines
    assert "EAP-Message b'\\xff\\xfe' 4f04fffe ['EAP-Message'] [b'\\xff\\xfe']" in lines
    assert outs.get("real", outs["nacwire"]) == outs["nacwire"]
