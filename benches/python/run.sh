#!/usr/bin/env bash
# Python-side benchmarks: a private venv with the peers (pyrad 2.6) and a release wheel
# of nacwire, then the scripts. Not part of the test run.
# Usage: benches/python/run.sh [FreeRADIUS dir] [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "pyrad==2.6.*" "maturin>=1.7,<2"
fi
rm -rf target/bench-wheels
"$venv/bin/maturin" build --release --quiet -m bindings/python/Cargo.toml -o target/bench-wheels
"$venv/bin/pip" install --quiet --force-reinstall --no-deps target/bench-wheels/nacwire-*.whl
"$venv/bin/python" benches/python/dict_load.py "$@"
echo
"$venv/bin/python" benches/python/bench_radius.py
