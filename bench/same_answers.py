"""Compare the stored answers of two builds (folders `<store>/answers/<generation>`), query by query.

For each query: the `answer` table (row number, row, key, filter columns) the same row for row; if not,
whether the rows are the same multiset and their ORDER BY keys come in the same sequence (rows tied on every
ORDER BY key may come in another order: Oxigraph's, which varies between processes, decision 0049); every
other table (reach tables) the same set of rows. Prints one line per query, then a count of differences.

Example:

    .venv/bin/python bench/same_answers.py A/answers/g000001 B/answers/g000001 --queries queries/
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from visitgraph.queries.answerrows import order_by  # noqa: E402


def tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    out = {}
    for name in names:
        order = " ORDER BY n" if name == "answer" else ""
        out[name] = list(db.execute(f"SELECT * FROM {name}{order}"))
    db.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    ap.add_argument("a", type=Path, help="one build's answers folder (<store>/answers/<generation>)")
    ap.add_argument("b", type=Path, help="the other build's answers folder")
    ap.add_argument("--queries", type=Path, required=True, help="the project's queries/ folder (ORDER BY keys)")
    args = ap.parse_args()
    ma = json.loads((args.a / "manifest.json").read_text())["queries"]
    mb = json.loads((args.b / "manifest.json").read_text())["queries"]
    differ = 0
    for name in sorted(set(ma) | set(mb)):
        ea, eb = ma.get(name, {}), mb.get(name, {})
        if "file" not in ea or "file" not in eb:
            print(name, "not stored in both", ea.get("error"), eb.get("error"))
            differ += 1
            continue
        ta, tb = tables(args.a / ea["file"]), tables(args.b / eb["file"])
        note = []
        for t in sorted(set(ta) | set(tb)):
            ra, rb = ta.get(t), tb.get(t)
            if t != "answer":
                if ra is None or rb is None or sorted(map(repr, ra)) != sorted(map(repr, rb)):
                    note.append(f"{t} DIFFERENT")
                continue
            if ra == rb:
                continue
            rows_a = [r[1] for r in ra]  # type: ignore[index]
            rows_b = [r[1] for r in rb]  # type: ignore[index]
            if Counter(rows_a) != Counter(rows_b):
                note.append("answer rows DIFFERENT")
                continue
            keys = [v for v, _ in order_by((args.queries / f"{name}.rq").read_text(encoding="utf-8")) or []]
            at = [ea["variables"].index(k) for k in keys if k in ea["variables"]]
            seq_a = [tuple(json.loads(r)[i] for i in at) for r in rows_a]
            seq_b = [tuple(json.loads(r)[i] for i in at) for r in rows_b]
            if seq_a == seq_b and at:
                note.append(f"same rows, same ORDER BY key sequence (?{' ?'.join(keys)}); ties in another order")
            else:
                note.append("answer order DIFFERENT")
        bad = any("DIFFERENT" in n for n in note)
        differ += bad
        print(name, len(ta.get("answer", [])), "; ".join(note) if note else "same")
    print(f"{differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
