"""Plain-text tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence

from visitgraph.core.termtext import safe


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 60) -> str:
    """Render rows under a header as an aligned text table, cutting long cells (control characters escaped).

    >>> print(render_table(["a", "bb"], [["1", "2"], ["333", ""]]))
    a   | bb
    ----+---
    1   | 2
    333 |
    """

    def cut(s: str) -> str:
        s = safe(s.replace("\n", " "))
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    cells = [[cut(c) for c in header]] + [[cut(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)
