"""Review marks: drafts carry ``# check: …`` on every guessed value until a librarian has confirmed it.

``build`` refuses data files that still carry a mark (naming file and line) unless told
``--allow-unreviewed``; ``validate`` and ``diff`` report them. A file is scanned when its digest is
taken; a build that reuses a recorded digest reuses the recorded marks too (decision 0013).
"""

from __future__ import annotations

import mmap
from collections.abc import Mapping, Sequence
from pathlib import Path

from visitgraph.core.config import Settings
from visitgraph.core.errors import VisitgraphError

MARK = b"# check:"


class Unreviewed(VisitgraphError):
    """Data files still carry `# check:` marks."""

    status = 409

    def __init__(self, marks: Mapping[str, list[int]]) -> None:
        self.marks = dict(marks)
        super().__init__(
            f"{describe(marks)} Confirm or fix each guessed value and delete its `# check:` mark, "
            "or run `visitgraph build --allow-unreviewed` to publish them as they are."
        )


def marks_in(path: Path) -> list[int]:
    """Return the line numbers (1-based) of a file's `# check:` marks."""
    with open(path, "rb") as fh:
        if path.stat().st_size == 0:
            return []
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            lines: list[int] = []
            line, last = 1, 0
            found = data.find(MARK)
            while found >= 0:
                line += data[last:found].count(b"\n")
                last = found
                if not lines or lines[-1] != line:
                    lines.append(line)
                found = data.find(MARK, found + len(MARK))
            return lines


def describe(marks: Mapping[str, list[int]], limit: int = 10) -> str:
    """Say which files carry marks and on which lines (the first few)."""
    files = sorted(marks)
    total = sum(len(v) for v in marks.values())
    named = "; ".join(
        f"{f} line{'s' if len(marks[f]) > 1 else ''} "
        f"{', '.join(str(n) for n in marks[f][:5])}{' …' if len(marks[f]) > 5 else ''}"
        for f in files[:limit]
    )
    more = f" and {len(files) - limit} more file(s)" if len(files) > limit else ""
    return f"{total} unreviewed `# check:` mark(s) in {len(files)} data file(s): {named}{more}."


def scan(settings: Settings, extra: Sequence[Path] = ()) -> dict[str, list[int]]:
    """Return the `# check:` marks of the data files (and `extra` files), by path."""
    from visitgraph.sources.load import discover_sources

    out: dict[str, list[int]] = {}
    paths = [(s.relpath, settings.root / s.relpath) for s in discover_sources(settings) if s.kind == "data"]
    paths += [(p.as_posix(), p) for p in extra]
    for name, path in paths:
        lines = marks_in(path)
        if lines:
            out[name] = lines
    return out
