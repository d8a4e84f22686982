#!/usr/bin/env bash
# CLI benchmark (not part of scripts/test.sh): Access-Request with Message-Authenticator
# against the same responder (`nacwire serve -q` on loopback), radclient 3.2 and
# `nacwire send` at the same parallelism, in one run; plus what the responder absorbs
# alone (several senders at once). Results go to stdout; copy them into
# benches/RESULTS.md with this command line.
#
#   benches/cli/run.sh            # N=20000 requests per run
#   N=50000 PAR="32 256" benches/cli/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${N:-20000}"
PAR="${PAR:-1 32 256}"
PORT="${PORT:-31999}"
cargo build --release --quiet -p nacwire-cli
nw=target/release/nacwire
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
trap 'kill $server 2>/dev/null || true; [ "$old_rmem" = 0 ] || sysctl -q -w net.core.rmem_default="$old_rmem" || true' EXIT
sleep 0.5

req=$(mktemp)
printf 'User-Name = "bob"\nUser-Password = "hello"\nMessage-Authenticator = 0x00\n' > "$req"
now() { date +%s.%N; }
summary() { python3 -c 'import json,sys
s=[json.loads(l) for l in sys.stdin if "\"summary\"" in l][-1]
print("%8.0f req/s  p50 %6.3f ms  p99 %7.3f ms  accepted %d lost %d" % (s["rate"], s["latency_ms"]["p50"], s["latency_ms"]["p99"], s["accepted"], s["lost"]))'; }

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, load average $(cut -d" " -f1 /proc/loadavg); rmem_default $(sysctl -n net.core.rmem_default); N=$N Access-Requests (PAP, Message-Authenticator) per run"
echo "# $("$radclient" -v 2>&1 | sed -n 1p)"
for p in $PAR; do
  # radclient: -c repeats the packet, -p sends a batch of p and waits for all of it.
  t0=$(now)
  "$radclient" -q -s -c "$N" -p "$p" -r 3 -t 5 -f "$req" "127.0.0.1:$PORT" auth testing123 > /tmp/radclient.out 2>&1 || true
  t1=$(now)
  acc=$(sed -n 's/.*accepted *: *\([0-9]*\).*/\1/Ip' /tmp/radclient.out | head -n1)
  rc_rate=$(python3 -c "print('%.0f' % ($N/($t1-$t0)))")
  printf 'parallel %4s  radclient %8s req/s  (p99 not reported by radclient; accepted %s)\n' "$p" "$rc_rate" "${acc:-?}"
  printf 'parallel %4s  nacwire   ' "$p"
  "$nw" send auth "127.0.0.1:$PORT" testing123 User-Name=bob User-Password=hello -c "$N" -p "$p" --json -q | summary
done

# What the responder absorbs alone: its own CPU time for N requests (utime+stime of the
# `nacwire serve` process, from /proc) gives the rate one core of it sustains.
cpu() { awk '{print $14+$15}' "/proc/$server/stat"; }
c0=$(cpu)
"$nw" send auth "127.0.0.1:$PORT" testing123 User-Name=bob User-Password=hello -c "$N" -p 256 --json -q > /dev/null
c1=$(cpu)
python3 -c "import os; t=($c1-$c0)/os.sysconf('SC_CLK_TCK'); print('responder alone: %.0f req/s per core (%d requests in %.2f s of its CPU time)' % ($N/max(t,1e-9), $N, t))"
rm -f "$req"
