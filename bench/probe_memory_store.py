"""Each paged saved query on a generation on disk and on an in-memory copy of it (decision 0051): seconds, rows, same?

Dumps the generation to N-Quads, loads the dump into `pyoxigraph.Store()` (parsed, so blank-node labels are kept),
prints the load's time and resident memory, then runs each stored-answer query (default anchors) on both stores
and says whether the rows come in the same order, are the same set, or differ.

Example:

    .venv/bin/python bench/probe_memory_store.py <project>/var/store/generations/g000001 <project> /tmp/probe.nq
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from visitgraph.queries.answerindex import anchor_binding, indexable  # noqa: E402
from visitgraph.queries.catalog import discover_queries  # noqa: E402
from visitgraph.queries.savedquery import bind_parameters  # noqa: E402
from visitgraph.sparql.engine import run_query  # noqa: E402

BASE = "https://w3id.org/visitgraph/id/"


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("generation", help="a published generation's folder (var/store/generations/<id>)")
    parser.add_argument("project", type=Path, help="the project whose stored-answer queries are run")
    parser.add_argument("dump", help="where the generation's N-Quads dump is written (overwritten)")
    args = parser.parse_args()
    if not Path(args.generation).is_dir():
        parser.error(f"{args.generation} is not a generation folder (var/store/generations/<id>)")
    if not (args.project / "queries").is_dir():
        parser.error(f"{args.project} has no queries/ folder: give the project the generation was built from")
    generation, project, dump = args.generation, args.project, args.dump
    disk = ox.Store.read_only(generation)
    started = time.monotonic()
    disk.dump(dump, format=ox.RdfFormat.N_QUADS)
    print("dump_s", round(time.monotonic() - started, 2))
    before, started = rss_mib(), time.monotonic()
    mem = ox.Store()
    mem.bulk_extend(ox.parse(path=dump, format=ox.RdfFormat.N_QUADS))
    grown = rss_mib() - before
    print(
        "load_s",
        round(time.monotonic() - started, 2),
        "quads",
        len(mem),
        "rss_mib",
        round(grown),
        "B/quad",
        round(grown * 2**20 / len(mem)),
    )
    for query in (q for q in discover_queries(project) if indexable(q)):
        subs = anchor_binding(query, bind_parameters(query, {}, BASE))
        out = []
        for store in (disk, mem):
            started = time.monotonic()
            result = run_query(store, query.sparql, substitutions=subs or None, base_iri=BASE)
            names = [v.value for v in result.variables]  # type: ignore[union-attr]
            rows = [tuple(str(r[n]) for n in names) for r in result]  # type: ignore[union-attr]
            out.append((round(time.monotonic() - started, 2), rows))
        same = (
            "same order"
            if out[0][1] == out[1][1]
            else ("same set" if sorted(out[0][1]) == sorted(out[1][1]) else "DIFFERENT")
        )
        print(query.name, len(out[0][1]), "disk", out[0][0], "memory", out[1][0], same, flush=True)


if __name__ == "__main__":
    main()
