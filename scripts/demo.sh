#!/usr/bin/env bash
# The README's main job: the `nacwire` command line on loopback with the built-in
# dictionary. A test responder (`nacwire serve`) runs in the background; a CoA-Request
# (Cisco-AVPair, tagged tunnel attributes, Message-Authenticator) and an Access-Request
# (PAP) are sent to it; both sides print every packet decoded by name.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${NACWIRE_DEMO_PORT:-31812}"
# scripts/test.sh sets NACWIRE_DEMO_PROFILE=debug to reuse the test build.
# The binary is where cargo puts it: CARGO_TARGET_DIR when set (relative to here, as
# cargo reads it), target/ otherwise.
target="${CARGO_TARGET_DIR:-target}"
if [ "${NACWIRE_DEMO_PROFILE:-release}" = debug ]; then
  cargo build --quiet -p nacwire-cli
  nw="$target/debug/nacwire"
else
  cargo build --release --quiet -p nacwire-cli
  nw="$target/release/nacwire"
fi

"$nw" serve testing123 --listen "127.0.0.1:$PORT" --user bob:hello \
  --session 0A1B2C3D-00000042 > >(sed -u 's/^/    server| /') 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 0.5

echo "== nacwire send coa 127.0.0.1:$PORT testing123 ..."
"$nw" send coa "127.0.0.1:$PORT" testing123 \
  Acct-Session-Id=0A1B2C3D-00000042 \
  Cisco-AVPair=subscriber:command=reauthenticate \
  Tunnel-Type:1=VLAN Tunnel-Medium-Type:1=IEEE-802 Tunnel-Private-Group-Id:1=200
sleep 0.2
echo "== nacwire send auth 127.0.0.1:$PORT testing123 User-Name=bob User-Password=hello"
"$nw" send auth "127.0.0.1:$PORT" testing123 User-Name=bob User-Password=hello
sleep 0.2
echo "== the same Access-Request as JSON (one object per packet, then a summary)"
"$nw" send auth "127.0.0.1:$PORT" testing123 User-Name=bob User-Password=hello --json
sleep 0.2
