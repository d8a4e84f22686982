#!/usr/bin/env bash
# CLI benchmark (not part of scripts/test.sh): Access-Request with Message-Authenticator
# against the same responder (`nacwire serve -q` on loopback), radclient 3.2 and
# `nacwire send` at the same parallelism, in one run; plus what the responder absorbs
# alone. Results go to stdout; copy them into benches/RESULTS.md with this command line.
#
#   benches/cli/run.sh            # N=20000 requests per run, PAR="1 32 256", REPEAT=1
#   N=50000 PAR="32 256" REPEAT=3 benches/cli/run.sh
#   NW=/path/to/nacwire benches/cli/run.sh   # another build (e.g. a baseline), not rebuilt
#
# Per row: requests/s over the client process's wall time (the same measure for both
# tools, process start included: radclient loads its dictionaries in about 45 ms), the
# client's CPU time per request (user+system, from wait4) and the responder's (from
# /proc/PID/schedstat), which depend much less on the other tenants of the machine than
# the rates do. For nacwire also its own rate (first send to last reply) and p50/p99.
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${N:-20000}"
PAR="${PAR:-1 32 256}"
PORT="${PORT:-31999}"
REPEAT="${REPEAT:-1}"
if [ -z "${NW:-}" ]; then
  cargo build --release --quiet -p nacwire-cli
  NW=target/release/nacwire
fi
nw="$NW"
radclient=$(command -v radclient || echo /usr/bin/radclient)

# Socket receive buffers: the default 208 KiB overflows (RcvbufErrors) when 256
# small datagrams arrive at once on a busy machine; both tools get the same buffers.
# Needs root; restored at exit. RMEM=0 leaves the system setting alone.
RMEM="${RMEM:-4194304}"
old_rmem=$(sysctl -n net.core.rmem_default 2>/dev/null || echo 0)
if [ "$RMEM" != 0 ] && [ "$old_rmem" != 0 ]; then
  sysctl -q -w net.core.rmem_default="$RMEM" || true
fi
"$nw" serve testing123 --listen "127.0.0.1:$PORT" --user bob:hello -q 2>/dev/null &
server=$!
req=$(mktemp)
out=$(mktemp)
trap 'kill $server 2>/dev/null || true; rm -f "$req" "$out"; [ "$old_rmem" = 0 ] || sysctl -q -w net.core.rmem_default="$old_rmem" || true' EXIT
sleep 0.5
printf 'User-Name = "bob"\nUser-Password = "hello"\nMessage-Authenticator = 0x00\n' > "$req"

# measure OUT CMD...: runs CMD (stdout to OUT); prints "wall_s client_cpu_s responder_cpu_s".
measure() {
  local o=$1
  shift
  python3 - "$server" "$o" "$@" <<'PY'
import os, resource, subprocess, sys, time
srv, out, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
def srv_ns():
    with open(f"/proc/{srv}/schedstat") as f:
        return int(f.read().split()[0])
r0 = resource.getrusage(resource.RUSAGE_CHILDREN); s0 = srv_ns(); t0 = time.monotonic()
with open(out, "w") as f:
    subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
t1 = time.monotonic(); s1 = srv_ns(); r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
print(f"{t1 - t0} {cpu} {(s1 - s0) / 1e9}")
PY
}
us() { python3 -c "print('%5.2f' % ($1 / $N * 1e6))"; }

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, uptime:$(uptime | sed 's/.*load/ load/'); rmem_default $(sysctl -n net.core.rmem_default); N=$N Access-Requests (PAP, Message-Authenticator) per run"
echo "# $("$radclient" -v 2>&1 | sed -n 1p); nacwire: $nw"
echo "# rate = N / client process wall time; cpu = us per request (client, responder)"
for r in $(seq "$REPEAT"); do
  for p in $PAR; do
    # radclient: -c repeats the packet, -p sends a batch of p and waits for all of it.
    read -r w c s < <(measure "$out" "$radclient" -q -s -c "$N" -p "$p" -r 3 -t 5 -f "$req" "127.0.0.1:$PORT" auth testing123)
    acc=$(sed -n 's/.*accepted *: *\([0-9]*\).*/\1/Ip' "$out" | head -n1)
    rc_rate=$(python3 -c "print('%.0f' % ($N/$w))")
    printf 'parallel %4s  radclient %7s req/s  cpu %s / %s  accepted %s\n' "$p" "$rc_rate" "$(us "$c")" "$(us "$s")" "${acc:-?}"
    read -r w c s < <(measure "$out" "$nw" send auth "127.0.0.1:$PORT" testing123 User-Name=bob User-Password=hello -c "$N" -p "$p" --json -q)
    nw_rate=$(python3 -c "print('%.0f' % ($N/$w))")
    own=$(python3 -c 'import json,sys
s=[json.loads(l) for l in open(sys.argv[1]) if "\"summary\"" in l][-1]
lat=s["latency_ms"] or {}
ms=lambda k: "%.3f ms" % lat[k] if lat.get(k) is not None else "-"
print("(own %6.0f req/s, p50 %s, p99 %s, accepted %d, lost %d)" % (s["rate"] or 0, ms("p50"), ms("p99"), s["accepted"], s["lost"]))' "$out")
    ratio=$(python3 -c "print('%.1fx' % ($nw_rate/$rc_rate))")
    printf 'parallel %4s  nacwire   %7s req/s  cpu %s / %s  %s  %s radclient\n' "$p" "$nw_rate" "$(us "$c")" "$(us "$s")" "$own" "$ratio"
  done
done

# What the responder absorbs alone: its own CPU time for N requests (from
# /proc/PID/schedstat) gives the rate one core of it sustains.
read -r w c s < <(measure "$out" "$nw" send auth "127.0.0.1:$PORT" testing123 User-Name=bob User-Password=hello -c "$N" -p 256 --json -q)
python3 -c "print('responder alone: %.0f req/s per core (%d requests in %.3f s of its CPU time, -p 256)' % ($N/$s, $N, $s))"
echo "# end $(date -u +%H:%MZ), uptime:$(uptime | sed 's/.*load/ load/')"
