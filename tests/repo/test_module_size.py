"""Modules stay short, or say why not (issue #15): a module over 400 lines carries a one-line reason in its
docstring, starting with :data:`PHRASE`; a reason on a module that is no longer long is stale and fails too."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "visitgraph"
LIMIT = 400
PHRASE = "Longer than 400 lines because"


def reason(path: Path) -> str | None:
    """The text after PHRASE in the module's docstring, or None when it has none."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    _, found, rest = doc.partition(PHRASE)
    return rest.strip().split("\n\n")[0] if found else None


def test_long_modules_say_why_and_short_ones_do_not() -> None:
    unexplained, stale = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        why = reason(path)
        if lines > LIMIT and (why is None or len(why) < 30):
            unexplained.append(f"{path.relative_to(PACKAGE)}: {lines} lines")
        elif lines <= LIMIT and why is not None:
            stale.append(f"{path.relative_to(PACKAGE)}: {lines} lines")
    assert not unexplained, f"split these, or say why in the docstring ({PHRASE} …):\n" + "\n".join(unexplained)
    assert not stale, "these are short now: remove the reason from the docstring:\n" + "\n".join(stale)


def test_the_check_reads_the_reason(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(f'"""What it does.\n\n{PHRASE} it holds one grammar and its checks.\n"""\n', encoding="utf-8")
    assert reason(module) == "it holds one grammar and its checks."
    module.write_text('"""What it does."""\n', encoding="utf-8")
    assert reason(module) is None
