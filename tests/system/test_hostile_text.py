"""Text handling stays linear on hostile input (issue 21, findings 1 and 9; issue 16's modules).

Every entry point that reads user text (the matcher's query and property values, the
name normalisation, and each step of drafting a news item) gets 19 kinds of adversarial
1 MB input — runs of "(", letters, initials, quotes, title words, gift phrases … — in a
subprocess, so that a backtracking regular expression is stopped by the timeout instead
of hanging the suite. Each call must finish within PER_CALL seconds (the quadratic
versions took minutes to hours at this size).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PER_CALL = 30.0


@pytest.mark.slow
def test_every_text_entry_point_is_linear_on_1mb_hostile_input() -> None:
    probe = Path(__file__).parents[1] / "hostile_text_probe.py"
    done = subprocess.run(
        [sys.executable, str(probe), str(ROOT)], capture_output=True, text=True, timeout=1500, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line.split("\t") for line in done.stdout.splitlines() if line.strip()]
    slow = sorted(((float(t), f, u) for t, f, u in rows), reverse=True)
    print("\nslowest calls (s, entry point, 1 MB input):", slow[:5])
    assert len(rows) >= 19 * 10
    assert slow[0][0] < PER_CALL, slow[:5]
