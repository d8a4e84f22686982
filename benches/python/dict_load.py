#!/usr/bin/env python3
"""Load the whole FreeRADIUS dictionary tree with pyrad and with radius-dict, in the
same run, on the same files, and print both.

pyrad cannot load the tree as shipped (it stops at dictionary.juniper line 25, type
`String`); as in shared/reference/radius-landscape.md section 4, those two lines are
commented out in a private copy, and pyrad then skips what it does not support
(1,621 attributes). radius-dict loads the unmodified tree, strictly, from memory.

Run: benches/python/run.sh   (creates target/bench-venv with pyrad 2.6)
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

FR = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/freeradius"
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 10


def pyrad_copy(src):
    """A private copy with the two `String` lines pyrad rejects commented out."""
    dst = tempfile.mkdtemp(prefix="pyrad-dict-")
    for name in os.listdir(src):
        shutil.copy(os.path.join(src, name), dst)
    path = os.path.join(dst, "dictionary.juniper")
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.readlines()
    patched = 0
    for i, line in enumerate(lines):
        fields = line.split()
        if len(fields) >= 4 and fields[0] == "ATTRIBUTE" and fields[3] == "String":
            lines[i] = "# " + line
            patched += 1
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)
    return dst, patched


def bench_pyrad(root):
    import logging

    import pyrad
    from pyrad.dictionary import Dictionary

    logging.getLogger("pyrad").setLevel(logging.ERROR)
    times = []
    d = None
    for _ in range(RUNS):
        t = time.perf_counter()
        d = Dictionary(os.path.join(root, "dictionary"))
        times.append((time.perf_counter() - t) * 1e3)
    return {
        "version": pyrad.__version__,
        "median_ms": statistics.median(times),
        "attributes": len(d.attributes),
        "vendors": len(d.vendors),
    }


def bench_radius_dict():
    out = subprocess.run(
        [
            "cargo",
            "run",
            "-q",
            "--release",
            "-p",
            "radius-dict",
            "--example",
            "load_tree",
            "--",
            FR,
            str(RUNS * 2),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    copy, patched = pyrad_copy(FR)
    try:
        py = bench_pyrad(copy)
    finally:
        shutil.rmtree(copy)
    rs = bench_radius_dict()
    print(f"FreeRADIUS tree: {FR}")
    print(
        f"pyrad {py['version']}: {py['median_ms']:.1f} ms median of {RUNS} "
        f"({py['attributes']} attributes, {py['vendors']} vendors; {patched} lines patched out)"
    )
    print(
        f"radius-dict: {rs['median_ms']:.2f} ms median of {RUNS * 2} "
        f"({rs['attributes']} attributes, {rs['vendors']} vendors, {rs['values']} values; "
        "unmodified, strict)"
    )
    print(
        f"ratio: radius-dict is {py['median_ms'] / rs['median_ms']:.0f}x faster while loading "
        f"{rs['attributes'] - py['attributes']} more attributes"
    )


if __name__ == "__main__":
    main()
