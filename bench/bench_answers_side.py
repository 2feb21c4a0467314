"""One write of a side-by-side answers bench: write number K (100 synthetic visits, deterministic in K) on a
built project, with the code found first on PYTHONPATH; prints one JSON line (write and answer seconds, per
query seconds and how each answer was made, bytes the answers folder added).

A side-by-side run writes to two copies of one built project, with the reference checkout's `src` and with
this one's, alternated per write (bench/README.md, "Stored answers after a write, per group").

Examples:

    PYTHONPATH=/tmp/ref/src python bench/bench_answers_side.py /tmp/ref-100000 2 100 > ref-2.json
    PYTHONPATH=$PWD/src     python bench/bench_answers_side.py /tmp/cand-100000 2 100 > cand-2.json
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # synth: the same generator for both sides
import synth

from visitgraph.core.config import load_settings
from visitgraph.publish.writes import write_update
from visitgraph.queries.answerindex import MANIFEST, answers_root
from visitgraph.store.embedded import EmbeddedStore


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("project", type=Path, help="a built project (written to: use a copy)")
    parser.add_argument("k", type=int, help="the write's number: its visits and their random choices follow from it")
    parser.add_argument("batch", type=int, help="how many synthetic visits the write adds (100 in bench/README.md)")
    args = parser.parse_args()
    if not args.project.is_dir():
        parser.error(f"{args.project} is not a folder: give a built project (a copy: the write publishes into it)")
    project, k, batch = args.project, args.k, args.batch
    settings = load_settings(project)
    store = EmbeddedStore(settings.store)
    rng = random.Random(k)
    people = [(f"{synth.BASE}person/syn-{i:07d}", "x", f"{synth.BASE}organization/syn-{i % 50:06d}") for i in range(50)]
    first = 20_000_000 + k * 10_000
    lines = "".join(line for i in range(first, first + batch) for line in synth.visit_lines(i, rng, people, []))
    graph = f"{synth.BASE}graph/changes/bench-{first}"
    load = os.getloadavg()[0]
    t = time.monotonic()
    report = write_update(
        settings, store, f"INSERT DATA {{ GRAPH <{graph}> {{\n{lines}}} }}", who="bench", what=f"{batch} new visits"
    )
    write_s = time.monotonic() - t
    gen = store.current()
    folder = answers_root(store.path) / gen.id
    entries = json.loads((folder / MANIFEST).read_text())["queries"]
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(
        json.dumps(
            {
                "code": os.environ.get("PYTHONPATH"),
                "k": k,
                "write_s": round(write_s, 2),
                "answers_s": report.timings.get("index_s"),
                "timings": report.timings,
                "reused": report.reused,
                "load": [round(load, 2), round(os.getloadavg()[0], 2)],
                "maintained": report.answers.get("maintained", []),
                "derived": report.answers.get("derived", {}),
                "per_query_s": {n: e.get("seconds") for n, e in sorted(entries.items())},
                "how": {n: e.get("how") for n, e in sorted(entries.items())},
                "bytes_in_folder_st_size": size,
                "new_bytes": sum(p.stat().st_size for p in folder.iterdir() if p.stat().st_nlink == 1),
            }
        )
    )


if __name__ == "__main__":
    main()
