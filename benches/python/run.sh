#!/usr/bin/env bash
# Python-side benchmarks: a private venv with the peers (pyrad 2.6), then the scripts.
# Not part of the test run. Usage: benches/python/run.sh [FreeRADIUS dir] [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "pyrad==2.6.*"
fi
"$venv/bin/python" benches/python/dict_load.py "$@"
