"""What the matcher's statistics file (decision 0048) adds to a write: copy the file, recount a change.

Takes 100 visits of a published generation and every resource they name, makes them new to a copy of
the generation's statistics file, then times what a write does: copy the previous file, recount the
change (``matchstats._apply``), commit and fsync. bench/README.md item 1 has the 1M figures; the example
measures its 1M project, with the statistics built aside by bench/build_aside.py.

Example:

    python bench/bench_matchstats_write.py --project /tmp/h17f-reads/project \\
        --stats /tmp/r1m/m1m/g000001.sqlite --runs 3 --out bench/results/matchstats-write-1000000.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.linking import matchstats as ms


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--project", type=Path, required=True, help="a published project (read-only)")
    parser.add_argument("--stats", type=Path, required=True, help="its generation's statistics file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--visits", type=int, default=100)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    gen = sorted((args.project / "var" / "store" / "generations").glob("g*"))[-1]
    store = ox.Store.read_only(str(gen))
    with sqlite3.connect(f"file:{args.stats}?mode=ro", uri=True) as db:
        base = db.execute("SELECT value FROM meta WHERE key = 'base'").fetchone()[0]
    query = f"SELECT DISTINCT ?v WHERE {{ GRAPH ?g {{ ?v a <{vocab.VG}Visit> }} }} LIMIT {args.visits} OFFSET 500"
    visits = [row["v"] for row in store.query(query)]  # type: ignore[union-attr,index]
    changes: list[ox.Triple] = []
    named: set[ox.NamedNode] = set()
    for subject in visits:
        for q in store.quads_for_pattern(subject, None, None, None):
            changes.append(ox.Triple(q.subject, q.predicate, q.object))
            if isinstance(q.object, ox.NamedNode):
                named.add(q.object)
    for subject in named:
        changes += [
            ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(subject, None, None, None)
        ]
    touched = {t.subject.value for t in changes}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work.sqlite"
        for _ in range(args.runs):
            started = time.monotonic()
            shutil.copyfile(args.stats, work)
            copied = time.monotonic()
            db = sqlite3.connect(work)
            for iri in touched:  # as if the write had added them
                old = ms._stored(db, iri)
                if old is not None:
                    ms._count(db, old, -1)
                    db.execute("DELETE FROM ent WHERE resource = ?", (iri,))
                    db.execute("DELETE FROM tag WHERE resource = ?", (iri,))
            db.commit()
            recount = time.monotonic()
            n = ms._apply(db, store, base, changes)
            db.commit()
            db.close()
            with open(work, "rb") as f:
                os.fsync(f.fileno())
            done = time.monotonic()
            row = {
                "copy_s": round(copied - started, 3),
                "recount_s": round(done - recount, 3),
                "recounted": n,
                "changes": len(changes),
                "load": os.getloadavg()[0],
            }
            results.append(row)
            print(row, flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
