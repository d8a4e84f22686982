#!/usr/bin/env bash
# The one test command: installs what it needs, then runs formatting, lints, every
# test (unit, property, doc, live FreeRADIUS interop) and bounded fuzz runs.
#
#   scripts/test.sh                 # everything
#   FUZZ_SECONDS=10 scripts/test.sh # shorter fuzz runs
#
# Needs root (or sudo) for apt-get on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

step "peers: FreeRADIUS 3.2 (radiusd, radclient)"
if ! command -v radclient >/dev/null || ! { command -v freeradius >/dev/null || [ -x /usr/sbin/freeradius ]; }; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq freeradius freeradius-utils >/dev/null
fi
/usr/sbin/freeradius -v 2>&1 | sed -n 1p  # sed reads everything: no SIGPIPE under pipefail

step "peers: radsecproxy (RadSec interop, both directions)"
if ! command -v radsecproxy >/dev/null && [ ! -x /usr/sbin/radsecproxy ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq radsecproxy >/dev/null
fi
(radsecproxy -v 2>&1 || /usr/sbin/radsecproxy -v 2>&1) | sed -n 1p

step "peers: pyrad2 (RADIUS/1.1 interop) in target/pyrad2 (needs Python >= 3.12)"
# pyrad2 3.x requires Python >= 3.12; Debian 12's python3 is 3.11. Use the first
# interpreter >= 3.12 found (PYRAD2_PYTHON, python3.1x on the PATH, pyenv's versions).
py312=""
for cand in "${PYRAD2_PYTHON:-}" python3.14 python3.13 python3.12 python3 \
    "$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V | tail -n1)"; do
  [ -n "$cand" ] || continue
  if "$cand" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
    py312="$cand"; break
  fi
done
if [ -z "$py312" ]; then
  echo "no Python >= 3.12 for pyrad2: set PYRAD2_PYTHON" >&2
  exit 1
fi
if ! target/pyrad2/bin/python -c 'import pyrad2.radsec.v11' >/dev/null 2>&1; then
  rm -rf target/pyrad2
  "$py312" -m venv target/pyrad2
  target/pyrad2/bin/pip install -q --upgrade pip
  target/pyrad2/bin/pip install -q "pyrad2==3.2"
fi
target/pyrad2/bin/pip show pyrad2 | sed -n 2p

step "tools: cargo-fuzz"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --quiet
fi
cargo fuzz --version

step "cargo fmt --check"
cargo fmt --all -- --check
cargo fmt --manifest-path fuzz/Cargo.toml -- --check

step "cargo clippy --all-targets -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo clippy: nacwire-io with its tokio feature"
cargo clippy -p nacwire-io --all-targets --features tokio --quiet -- -D warnings

step "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "cargo test (unit, property, doc and live interop tests)"
cargo test --workspace 2>&1 | tee target/test-output.txt
if grep -q "SKIPPED:" target/test-output.txt; then
  echo "a peer was missing: interop tests were skipped" >&2
  exit 1
fi

step "README main job: scripts/demo.sh (nacwire serve + send on loopback)"
NACWIRE_DEMO_PROFILE=debug scripts/demo.sh > target/demo-output.txt 2>&1 || { cat target/demo-output.txt >&2; exit 1; }
grep -q "Received CoA-ACK" target/demo-output.txt
grep -q "Received Access-Accept" target/demo-output.txt
echo "demo ok"

step "cargo test: nacwire-io's async (tokio) client"
cargo test -p nacwire-io --features tokio --quiet

step "Python bindings: wheel (maturin), fresh venv, ruff, stubtest, pytest"
# Build the wheel in one venv, install it into a fresh one: a file missing from the
# wheel fails here. pytest exits non-zero when it collects no test.
PY="${PYTHON:-python3}"
if ! "$PY" -c "import venv, ensurepip" >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi
rm -rf target/py-build target/py-test target/wheels
"$PY" -m venv target/py-build
target/py-build/bin/pip install -q --upgrade pip "maturin>=1.7,<2"
target/py-build/bin/maturin build --manifest-path bindings/python/Cargo.toml -o target/wheels --quiet
"$PY" -m venv target/py-test
target/py-test/bin/pip install -q --upgrade pip
target/py-test/bin/pip install -q target/wheels/nacwire-*.whl pytest hypothesis "mypy==2.4.1" "ruff==0.17.6"
(
  cd bindings/python
  ../../target/py-test/bin/ruff check python tests ../../benches/python
  ../../target/py-test/bin/ruff format --check python tests ../../benches/python
  ../../target/py-test/bin/python -m mypy.stubtest nacwire --allowlist stubtest-allowlist.txt
  ../../target/py-test/bin/python -c "import nacwire, sys; assert 'site-packages' in nacwire.__file__, nacwire.__file__"
  # (the files that compare with the real pyrad run whole in the py-pyrad venv below,
  # where its absence is a failure: not here, where they would only skip)
  ../../target/py-test/bin/python -m pytest tests -q -p no:cacheprovider \
    --ignore=tests/test_pyrad_differential.py --ignore=tests/test_pyrad_gateway.py \
    --ignore=tests/test_pyrad_examples.py --ignore=tests/test_pyrad_native_methods.py \
    --ignore=tests/test_pyrad_init_review.py --ignore=tests/test_pyrad_dict_differential.py \
    --ignore=tests/test_pyrad_realworld.py --ignore=tests/test_pyrad_realworld_s13.py
)

step "nacwire.pyrad: pyrad 2.6.0's own test-suite (sdist from PyPI) against the drop-in"
# target/py-test has no real pyrad: the suite's `import pyrad` resolves to nacwire.pyrad
# through nacwire.pyrad.install(). The script exits non-zero below 502 of 512 passed, and
# under CI=true when the sdist cannot be downloaded.
target/py-test/bin/pip install -q netaddr
target/py-test/bin/python bindings/python/tests/pyrad_suite/run_pyrad_suite.py --min-pass 502

step "nacwire.pyrad against the real pyrad 2.6 (differential tests, the native methods, the gateway app and pyrad's example programs with both)"
# A separate venv: here the real pyrad is installed next to nacwire (no install()).
rm -rf target/py-pyrad
"$PY" -m venv target/py-pyrad
target/py-pyrad/bin/pip install -q --upgrade pip
target/py-pyrad/bin/pip install -q target/wheels/nacwire-*.whl "pyrad==2.6.0" pytest hypothesis twisted
(
  cd bindings/python
  NACWIRE_REQUIRE_PYRAD=1 ../../target/py-pyrad/bin/python -m pytest -q -p no:cacheprovider \
    tests/test_pyrad_differential.py tests/test_pyrad_gateway.py tests/test_pyrad_examples.py \
    tests/test_pyrad_native_methods.py tests/test_pyrad_init_review.py \
    tests/test_pyrad_dict_differential.py tests/test_pyrad_realworld.py \
    tests/test_pyrad_realworld_s13.py
)

step "the wheel on the other CPython versions it supports (abi3, 3.10+): 3.10, 3.12, 3.13"
# The same abi3 wheel, the Python suite (real pyrad 2.6 beside it; the live tests ran
# above) and pyrad 2.6's own suite against the drop-in, on each version. Interpreters:
# python3.1x on the PATH, else pyenv's. Under CI=true a missing one is a failure.
for minor in 10 12 13; do
  # (a pyenv shim on the PATH fails when that version is not selected: try each)
  pyx=""
  for cand in "$(command -v "python3.$minor" || true)" \
      "$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3."$minor".*/bin/python3 2>/dev/null | sort -V | tail -n1)"; do
    if [ -n "$cand" ] && "$cand" -c 'import venv, ensurepip' >/dev/null 2>&1; then
      pyx="$cand"; break
    fi
  done
  if [ -z "$pyx" ]; then
    if [ "${CI:-}" = true ]; then
      echo "no Python 3.$minor with venv: the wheel is not tested there" >&2
      exit 1
    fi
    echo "-- Python 3.$minor: not found, skipped (a failure under CI=true)"
    continue
  fi
  echo "-- $("$pyx" --version)"
  venv="target/py-3.$minor"
  rm -rf "$venv" "$venv-suite"
  "$pyx" -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q target/wheels/nacwire-*.whl "pyrad==2.6.0" pytest hypothesis twisted "mypy==2.4.1"
  (
    cd bindings/python
    NACWIRE_REQUIRE_PYRAD=1 "../../$venv/bin/python" -m pytest tests -q -p no:cacheprovider \
      --ignore=tests/test_live.py --ignore=tests/test_pyrad_live.py
  )
  "$pyx" -m venv "$venv-suite"
  "$venv-suite/bin/pip" install -q --upgrade pip
  "$venv-suite/bin/pip" install -q target/wheels/nacwire-*.whl pytest netaddr
  "$venv-suite/bin/python" bindings/python/tests/pyrad_suite/run_pyrad_suite.py --min-pass 502
done

step "fuzz: build every target, run each for ${FUZZ_SECONDS}s"
# The stable toolchain builds cargo-fuzz targets with RUSTC_BOOTSTRAP=1.
export RUSTC_BOOTSTRAP=1
cargo +stable fuzz build -O
# Seed the dictionary fuzzer with real FreeRADIUS files (CC-BY 4.0; not committed).
mkdir -p fuzz/corpus/dict_parse
for f in rfc2865 rfc6929 wimax cisco freeradius.evs5 juniper usr; do
  cp "/usr/share/freeradius/dictionary.$f" "fuzz/corpus/dict_parse/fr-$f" 2>/dev/null || true
done
for target in $(cargo fuzz list); do
  mkdir -p "fuzz/corpus/$target"
  echo "-- $target"
  log="target/fuzz-$target.log"
  if ! cargo +stable fuzz run -O "$target" "fuzz/corpus/$target" -- \
      -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -max_len=8192 -timeout=10 >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz target $target failed (crash, leak, timeout or out of memory): see fuzz/artifacts/$target" >&2
    exit 1
  fi
  grep -E "^Done [0-9]+ runs" "$log" || tail -n 3 "$log"
done

step "all checks passed"
