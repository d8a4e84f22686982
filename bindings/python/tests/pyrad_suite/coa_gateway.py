#!/usr/bin/env python3
"""A CoA gateway written against pyrad, as such tools are: JSON attributes in, the
reply code's name out. Used unchanged with the real pyrad and with nacwire.pyrad
(through nacwire.pyrad.install(), or with the import line below changed).

Usage: coa_gateway.py DICT_DIR SERVER PORT SECRET JSON
"""

import json
import os
import sys

from pyrad import client, dictionary, packet

REPLY_NAMES = {
    packet.CoAACK: "CoA-ACK",
    packet.CoANAK: "CoA-NAK",
    packet.DisconnectACK: "Disconnect-ACK",
    packet.DisconnectNAK: "Disconnect-NAK",
}


def send_coa(dict_dir, server, port, secret, attributes):
    d = dictionary.Dictionary(os.path.join(dict_dir, "dictionary"))
    unknown = [name for name in attributes if name not in d]
    if unknown:
        raise KeyError("unknown attributes: " + ", ".join(unknown))
    c = client.Client(server=server, secret=secret, dict=d, coaport=port, retries=2, timeout=2)
    req = c.CreateCoAPacket(code=packet.CoARequest)
    for name, value in attributes.items():
        req[name] = value
    reply = c.SendPacket(req)
    return REPLY_NAMES.get(reply.code, str(reply.code))


def main(argv):
    dict_dir, server, port, secret, text = argv[1:6]
    try:
        print(send_coa(dict_dir, server, int(port), secret.encode(), json.loads(text)))
    except KeyError as e:
        print("error:", e.args[0])
        return 2
    except client.Timeout:
        print("timeout")
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
