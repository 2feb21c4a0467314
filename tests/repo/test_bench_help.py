"""Every script under bench/ explains itself: `--help` exits 0 without doing any work, and prints a
description, the script's name and at least one runnable example (an `Example:` or `Examples:` section),
as sqlite-utils' commands do; a bad argument gets argparse's usage and an error line, never a traceback.

Each script runs in a fresh, empty working directory, with its scratch places (`WORK`, `OUT`,
`BENCH_WORK`, `TMPDIR`) pointed at an empty folder beside it: both must still be empty afterwards.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
SCRIPTS = sorted([*BENCH.glob("*.py"), *BENCH.glob("*.sh")])


def run(script: Path, flag: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], list[Path]]:
    """Run `script flag` in an empty folder; return the result and whatever files it left behind."""
    cwd, scratch = tmp_path / "cwd", tmp_path / "scratch"
    cwd.mkdir()
    scratch.mkdir()
    env = {**os.environ, **{name: str(scratch) for name in ("WORK", "OUT", "BENCH_WORK", "TMPDIR")}}
    command = [sys.executable, str(script)] if script.suffix == ".py" else ["bash", str(script)]
    done = subprocess.run([*command, flag], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False)
    return done, sorted([*cwd.rglob("*"), *scratch.rglob("*")])


def words(text: str) -> str:
    """Text with its runs of white space made single spaces (help output is re-wrapped)."""
    return " ".join(text.split())


def description(script: Path) -> str:
    """The first paragraph of a Python script's docstring (what its --help must describe it with)."""
    doc = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8"))) or ""
    return words(doc.split("\n\n")[0])


def test_every_script_is_checked() -> None:
    names = {p.name for p in SCRIPTS}
    assert {"bench_scale.py", "report.py", "same_answers.py", "sbs_build.sh"} <= names


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_help_describes_the_script_with_an_example_and_does_no_work(script: Path, tmp_path: Path) -> None:
    done, left = run(script, "--help", tmp_path)
    out = done.stdout + done.stderr
    assert done.returncode == 0, f"{script.name} --help exited {done.returncode}:\n{out[-3000:]}"
    assert "Traceback" not in out, out[-3000:]
    assert script.name in done.stdout, f"--help does not name {script.name}:\n{done.stdout}"
    assert re.search(r"^Examples?:$", done.stdout, re.M), (
        f"{script.name} --help has no Example(s): section:\n{done.stdout}"
    )
    if script.suffix == ".py":
        assert description(script) in words(done.stdout), f"{script.name}: no one-paragraph description"
    assert not left, f"{script.name} --help did some work: it left {[str(p) for p in left]}"


@pytest.mark.parametrize("script", [p for p in SCRIPTS if p.suffix == ".sh"], ids=lambda p: p.name)
def test_a_shell_script_takes_h_too(script: Path, tmp_path: Path) -> None:
    done, left = run(script, "-h", tmp_path)
    assert done.returncode == 0 and re.search(r"^Examples?:$", done.stdout, re.M), done.stdout + done.stderr
    assert not left


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_a_bad_argument_is_named_without_a_traceback(script: Path, tmp_path: Path) -> None:
    done, left = run(script, "--no-such-option", tmp_path)
    assert done.returncode == 2, f"{script.name} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    assert "error:" in done.stderr and "usage:" in done.stderr, f"no usage and error line:\n{done.stderr}"
    assert not left
