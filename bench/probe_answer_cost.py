"""Where a stored answer's derivation spends its CPU, and whether a rewritten saved query answers as the old (0058).

Two modes, one process, CPU seconds (`time.process_time`, so a loaded machine changes them less than wall time).

Examples:

    # per stored-answer query on an in-memory copy: Oxigraph's evaluation and iteration, + making the Python
    # terms, + the rest of `derive` (the rows' JSON and SQLite); a query that must read the disk is read there
    .venv/bin/python bench/probe_answer_cost.py split <generation> <project> <dump.nq>

    # an old text against the project's saved query: rows (in order) equal?, CPU and wall, on disk and in memory
    .venv/bin/python bench/probe_answer_cost.py rewrite <generation> <project> <dump.nq> <name> <old.rq> [disk|memory|both]

The dump is written from the generation when it does not exist (as a whole build's answers would).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from visitgraph.core import vocab  # noqa: E402
from visitgraph.queries import answermemory  # noqa: E402
from visitgraph.queries.answerindex import anchor_binding, indexable  # noqa: E402
from visitgraph.queries.answermaintain import maintenance  # noqa: E402
from visitgraph.queries.answerrows import derive, encode_term  # noqa: E402
from visitgraph.queries.catalog import discover_queries  # noqa: E402
from visitgraph.queries.savedquery import bind_parameters  # noqa: E402
from visitgraph.sparql.engine import run_query  # noqa: E402

BASE = "https://w3id.org/visitgraph/id/"


def copy(generation: str, dump: str) -> ox.Store:
    if not Path(dump).exists():
        ox.Store.read_only(generation).dump(dump, format=ox.RdfFormat.N_QUADS)
    started = time.monotonic()
    store = answermemory.in_memory(dump)
    print(f"copy loaded in {time.monotonic() - started:.1f} s, {len(store)} quads", flush=True)
    return store


def split(generation: str, project: Path, dump: str) -> None:
    memory, disk = copy(generation, dump), ox.Store.read_only(generation)
    totals = [0.0, 0.0, 0.0]
    for query in sorted((q for q in discover_queries(project) if indexable(q)), key=lambda q: q.name):
        on_disk = answermemory.reads_disk(query) is not None
        store = disk if on_disk else memory
        anchors = anchor_binding(query, bind_parameters(query, {}, BASE))
        filters = [p for p in query.params if p.filter is not None]
        plan = maintenance(query)
        job: dict[str, Any] = {
            "sparql": query.sparql,
            "bindings": {k: encode_term(v) for k, v in anchors.items()},
            "columns": [p.filter[0] for p in filters],
            "filters": [list(p.filter) for p in filters],
            "prefixes": dict(vocab.PREFIXES),
            "base_iri": BASE,
            "max_rows": 10**8,
            "key": plan[0] if isinstance(plan, tuple) else None,
        }
        if not on_disk:
            job["memory"] = dump
        cpu = []
        for terms in (False, True):
            started = time.process_time()
            result = run_query(store, query.sparql, substitutions=anchors or None, base_iri=BASE)
            names = [v.value for v in result.variables]  # type: ignore[union-attr]
            for solution in result:  # type: ignore[union-attr]
                if terms:
                    [solution[n] for n in names]
            cpu.append(time.process_time() - started)
        out = Path(dump).with_name(f"probe-{query.name}.sqlite")
        out.unlink(missing_ok=True)
        started = time.process_time()
        entry = derive(generation, job, out)
        cpu.append(time.process_time() - started)
        out.unlink(missing_ok=True)
        totals = [a + b for a, b in zip(totals, cpu, strict=True)]
        print(
            f"{query.name:24} {'disk' if on_disk else 'memory':6} rows={entry.get('rows')!s:8} "
            f"query+iterate={cpu[0]:7.2f} +terms={cpu[1]:7.2f} derive={cpu[2]:7.2f}",
            flush=True,
        )
    print(f"total query+iterate={totals[0]:.2f} +terms={totals[1]:.2f} derive={totals[2]:.2f}")


def rewrite(generation: str, project: Path, dump: str, name: str, old: Path, where: str) -> None:
    query = next(q for q in discover_queries(project) if q.name == name)
    stores = {"disk": ox.Store.read_only(generation)}
    if where in ("memory", "both"):
        stores["memory"] = copy(generation, dump)

    def rows(store: ox.Store, sparql: str) -> tuple[list[tuple[str | None, ...]], float, float]:
        wall, cpu = time.monotonic(), time.process_time()
        result = run_query(store, sparql, base_iri=BASE)
        names = [v.value for v in result.variables]  # type: ignore[union-attr]
        out = [tuple(None if s[n] is None else str(s[n]) for n in names) for s in result]  # type: ignore[union-attr]
        return out, time.monotonic() - wall, time.process_time() - cpu

    expected, wall, cpu = rows(stores["disk"], old.read_text(encoding="utf-8"))
    print(f"old on disk: {len(expected)} rows, wall {wall:.2f} s, CPU {cpu:.2f} s", flush=True)
    for label, store in stores.items():
        if where == "memory" and label == "disk":
            continue
        got, wall, cpu = rows(store, query.sparql)
        differ = sum(a != b for a, b in zip(expected, got, strict=False)) + abs(len(expected) - len(got))
        print(
            f"new {label:6}: {'the same rows in the same order' if got == expected else f'{differ} rows differ'}, "
            f"wall {wall:.2f} s, CPU {cpu:.2f} s",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    modes = parser.add_subparsers(dest="mode", required=True)
    for name, what in (
        ("split", "CPU per stored-answer query"),
        ("rewrite", "an old query text against the saved one"),
    ):
        mode = modes.add_parser(name, help=what)
        mode.add_argument("generation", help="a published generation's folder (var/store/generations/<id>)")
        mode.add_argument("project", type=Path, help="the project whose queries/ are probed")
        mode.add_argument("dump", help="the generation's N-Quads dump (written first when missing)")
        if name == "rewrite":
            mode.add_argument("name", help="the saved query's name")
            mode.add_argument("old", type=Path, help="the old text (.rq) to compare with")
            mode.add_argument("where", nargs="?", default="both", choices=("disk", "memory", "both"))
    args = parser.parse_args()
    if not Path(args.generation).is_dir():
        parser.error(f"{args.generation} is not a generation folder (var/store/generations/<id>)")
    if not (args.project / "queries").is_dir():
        parser.error(f"{args.project} has no queries/ folder: give the project the generation was built from")
    if args.mode == "split":
        split(args.generation, args.project, args.dump)
    else:
        if not args.old.is_file():
            parser.error(f"{args.old} is not a file: give the old query text (.rq)")
        rewrite(args.generation, args.project, args.dump, args.name, args.old, args.where)


if __name__ == "__main__":
    main()
