"""The code-quality gates of issue #15, run by the test command (so `.ci/run` runs them): `ruff check`,
`ruff format --check` and `mypy --strict` (configured in pyproject.toml) over the repository.

The tool versions are pinned to a minor range in pyproject.toml's `dev` extra: a new formatter
release may format differently, and a fresh clone must not fail for that.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = BIN / tool
    if not exe.exists():
        pytest.fail(f"{tool} is not installed next to {sys.executable}: run ./run test (it installs the dev extra)")
    return subprocess.run([str(exe), *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_check_is_clean() -> None:
    done = run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_ruff_format_is_clean() -> None:
    done = run("ruff", "format", "--check", ".")
    assert done.returncode == 0, "run `.venv/bin/ruff format .`\n" + done.stdout[-4000:] + done.stderr[-2000:]


def test_mypy_strict_is_clean() -> None:
    done = run("mypy")  # files and strict = true come from [tool.mypy]
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
