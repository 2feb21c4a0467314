"""A followed answer without copying it: the previous file, hard-linked and never written, plus a small overlay.

Decision 0034 made a followed answer by copying the previous generation's file whole and editing the
copy (at 100k visits `institution-timeline` alone was 479 MB per write). Now (decision 0043) a
followed answer is two files in the generation's folder:

- ``<name>.base.sqlite``: a hard link to a whole answer file made by an earlier generation
  (derived or compacted); opened read-only, so no generation can change another's rows;
- ``<name>.sqlite``: the overlay, in the answer format (:mod:`visitgraph.queries.answerrows`) plus
  ``gone(n)``, the base rows removed, and ``reach_gone<i>(k)``, the base reach rows void. It starts
  as a copy of the previous overlay (small: what the writes since the base changed).

The live rows are the base's rows not in ``gone`` and the overlay's rows, in row-number order; a
page is one SQL statement that merges both (each side by its own index, no sort). When an overlay
holds more than :func:`needs_compaction` allows (64·√rows), the next write writes the live rows into
one whole file again (cost of a copy, once per many writes). All of it happens in the ``.building-`` folder,
like every answer of the write, so a crash keeps the previous generation's files as they were.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from visitgraph.queries.answerrows import create_answer, create_indexes


def overlay_schema(db: sqlite3.Connection, columns: int, reach: Sequence[int]) -> None:
    """Create the tables of an empty overlay (answer rows, removed base rows, reach rows and removed ones)."""
    create_answer(db, columns)
    db.execute("CREATE TABLE gone (n INTEGER PRIMARY KEY)")
    for i in reach:
        db.execute(f"CREATE TABLE reach{i} (k TEXT NOT NULL, v TEXT NOT NULL)")
        db.execute(f"CREATE TABLE reach_gone{i} (k TEXT PRIMARY KEY)")
    create_indexes(db, columns, reach)


def attach_base(db: sqlite3.Connection, base: Path | str | None) -> bool:
    """Attach an overlay's base read-only as schema ``b``; False when the file is whole (no base)."""
    if base is None:
        return False
    db.execute("ATTACH DATABASE ? AS b", (f"file:{base}?mode=ro&immutable=1",))
    return True


def live(has_base: bool, columns: str, cond: str = "", args: Sequence[Any] = ()) -> tuple[str, list[Any]]:
    """A SELECT of the live rows (`cond` applies to each side; order them with ``ORDER BY n``).

    >>> live(True, "n", "key = ?", ["a"])[0]
    'SELECT n FROM b.answer WHERE n NOT IN (SELECT n FROM main.gone) AND (key = ?) UNION ALL SELECT n FROM main.answer WHERE (key = ?)'
    """
    if not has_base:
        return f"SELECT {columns} FROM answer" + (f" WHERE ({cond})" if cond else ""), list(args)
    both = f" AND ({cond})" if cond else ""
    return (
        f"SELECT {columns} FROM b.answer WHERE n NOT IN (SELECT n FROM main.gone){both} UNION ALL "
        f"SELECT {columns} FROM main.answer" + (f" WHERE ({cond})" if cond else ""),
        [*args, *args],
    )


def reach_condition(has_base: bool, i: int) -> tuple[str, int]:
    """The condition of a path filter on column `i` (one ``?`` per returned count, each the value)."""
    if not has_base:
        return f"k{i} IN (SELECT k FROM reach{i} WHERE v = ?)", 1
    return (
        f"k{i} IN (SELECT k FROM b.reach{i} WHERE v = ? AND k NOT IN (SELECT k FROM main.reach_gone{i}) "
        f"UNION ALL SELECT k FROM main.reach{i} WHERE v = ?)",
        2,
    )


def reach_pairs(has_base: bool, i: int) -> str:
    """A SELECT of the live (key, value) rows of path filter `i`'s reach table."""
    if not has_base:
        return f"SELECT k, v FROM reach{i}"
    return (
        f"SELECT k, v FROM b.reach{i} WHERE k NOT IN (SELECT k FROM main.reach_gone{i}) "
        f"UNION ALL SELECT k, v FROM main.reach{i}"
    )


def count(db: sqlite3.Connection, has_base: bool) -> int:
    """How many live rows."""
    if not has_base:
        return int(db.execute("SELECT count(*) FROM answer").fetchone()[0])
    found = db.execute(
        "SELECT (SELECT count(*) FROM b.answer) - (SELECT count(*) FROM main.gone) + (SELECT count(*) FROM main.answer)"
    ).fetchone()
    return int(found[0])


def max_below(db: sqlite3.Connection, has_base: bool, below: int | None = None) -> int | None:
    """The largest live row number (below `below`, if given)."""
    cond, args = ("n < ?", [below]) if below is not None else ("", [])
    sql, args = live(has_base, "max(n) AS n", cond, args)
    found = db.execute(f"SELECT max(n) FROM ({sql})", args).fetchone()
    return None if found is None else found[0]


def delete_where(db: sqlite3.Connection, has_base: bool, cond: str, args: Sequence[Any]) -> int:
    """Remove the live rows matching `cond` (base rows are recorded in ``gone``); return how many."""
    removed = db.execute(f"DELETE FROM main.answer WHERE {cond}", list(args)).rowcount
    if has_base:
        removed += db.execute(
            f"INSERT OR IGNORE INTO main.gone SELECT n FROM b.answer WHERE ({cond}) "
            "AND n NOT IN (SELECT n FROM main.gone)",
            list(args),
        ).rowcount
    return int(removed)


def delete_reach(db: sqlite3.Connection, has_base: bool, i: int, keys: Sequence[str]) -> None:
    """Void the reach rows of `keys` (they are written again for the keys still in the answer)."""
    marks = ",".join("?" * len(keys))
    db.execute(f"DELETE FROM main.reach{i} WHERE k IN ({marks})", list(keys))
    if has_base:
        db.executemany(f"INSERT OR IGNORE INTO main.reach_gone{i} VALUES (?)", [(k,) for k in keys])


def overlay_size(db: sqlite3.Connection) -> int:
    """Rows the overlay holds (added and removed): what compaction bounds."""
    return int(db.execute("SELECT (SELECT count(*) FROM main.answer) + (SELECT count(*) FROM main.gone)").fetchone()[0])


def needs_compaction(overlay_rows: int, live_rows: int) -> bool:
    """Write the answer whole again once the overlay holds more than 64·√rows rows (and more than 20,000).

    Each write copies the overlay (it grows by about what a write changes, c rows) and a compaction
    copies all S rows once; compacting at about √S·64 rows keeps the copying per write, averaged over
    a cycle, near √(S·c) rather than S: 64,000 rows at a million rows, 2.5 % of a 6.5M-row answer.

    >>> needs_compaction(19_999, 10), needs_compaction(20_001, 10), needs_compaction(64_000, 1_000_000)
    (False, True, False)
    >>> needs_compaction(64_001, 1_000_000)
    True
    """
    import math

    return overlay_rows > max(20_000, 64 * math.isqrt(live_rows))


def compact(out: Path, base: Path, columns: int, reach: Sequence[int]) -> None:
    """Replace the overlay `out` (over `base`) by one whole answer file with the same live rows."""
    whole = out.with_name(out.name + ".whole")
    whole.unlink(missing_ok=True)
    db = sqlite3.connect(whole)
    try:
        db.execute("ATTACH DATABASE ? AS o", (f"file:{out}?mode=ro",))
        db.execute("ATTACH DATABASE ? AS b", (f"file:{base}?mode=ro&immutable=1",))
        create_answer(db, columns)
        db.execute(
            "INSERT INTO main.answer SELECT * FROM b.answer WHERE n NOT IN (SELECT n FROM o.gone) "
            "UNION ALL SELECT * FROM o.answer ORDER BY n"
        )
        for i in reach:
            db.execute(f"CREATE TABLE main.reach{i} (k TEXT NOT NULL, v TEXT NOT NULL)")
            db.execute(
                f"INSERT INTO main.reach{i} SELECT k, v FROM b.reach{i} WHERE k NOT IN (SELECT k FROM o.reach_gone{i}) "
                f"UNION ALL SELECT k, v FROM o.reach{i}"
            )
        db.commit()
        db.execute("DETACH DATABASE o")
        db.execute("DETACH DATABASE b")
        create_indexes(db, columns, reach)
        db.execute("ANALYZE")
        db.commit()
    finally:
        db.close()
    os.replace(whole, out)
