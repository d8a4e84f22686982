"""The README's Python quick start runs as written."""

from __future__ import annotations

import re

from conftest import ROOT


def python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quick start (Python)", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_readme_quick_start_runs(capsys) -> None:  # type: ignore[no-untyped-def]
    blocks = python_blocks()
    assert len(blocks) == 3
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out
    assert "CoA-ACK" in out
    assert "CoA-Request Id 7" in out
    assert "rejected: packet is 4 octets" in out
    assert "b0:ee:7b:97:7f:33 Guest-WiFi BigAuthInc" in out
    assert "https://10.10.21.6/ext_approval.php?" in out
    assert "rejected: bad_signature" in out
