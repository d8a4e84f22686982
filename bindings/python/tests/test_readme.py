"""The README's Python quick start runs as written."""

from __future__ import annotations

import asyncio
import re

from conftest import ROOT, accepting_server


def python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quick start (Python)", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_readme_quick_start_runs(capsys) -> None:  # type: ignore[no-untyped-def]
    blocks = python_blocks()
    assert len(blocks) == 4
    scopes = []
    for block in blocks:
        scope = {"__name__": "readme"}
        exec(compile(block, "README.md", "exec"), scope)
        scopes.append(scope)
    out = capsys.readouterr().out
    assert "CoA-ACK" in out
    assert "CoA-Request Id 7" in out
    assert "rejected: packet is 4 octets" in out
    assert "b0:ee:7b:97:7f:33 Guest-WiFi BigAuthInc" in out
    assert "https://10.10.21.6/ext_approval.php?" in out
    assert "rejected: bad_signature" in out

    # The client examples define functions: run them against a loopback server that
    # signs its replies. (Against one that does not, the blocking example raises the
    # VerifyError its comment quotes once every retransmission is answered unsigned,
    # 15 s with its timeout=1.0, retries=3: test_trial_fixes checks that error.)
    authenticate = next(s["authenticate"] for s in scopes if "authenticate" in s)
    with accepting_server(signed=True) as port:
        assert authenticate("127.0.0.1", port) is True

    authenticate_all = next(s["authenticate_all"] for s in scopes if "authenticate_all" in s)
    users = {"bob": "hello", "alice": "secret", "carol": "pw"}
    with accepting_server(signed=True) as port:
        result = asyncio.run(authenticate_all("127.0.0.1", port, users))
    assert result == {"bob": True, "alice": True, "carol": True}
