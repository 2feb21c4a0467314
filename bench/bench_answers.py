"""Stored answers after a write: followed (answerindex.maintain) against a whole re-derivation, same run.

For each scale: generate the synthetic project (bench/synth.py), build it once, then `--writes` times:
publish 100 new visits through `write_update` (stored answers followed, the default) and time the
write and its `index_s` part; then, on the same new generation, re-derive every stored answer whole
(`build_index` without `follow`: what a write cost before) and time it. Reference and candidate
alternate in one run on the same data. The followed answers are kept aside and compared with the
whole ones (same rows, key and filter columns) before the next write, so a figure is only kept
for answers that are right.

Example:

    python bench/bench_answers.py --scales 1000,100000 --writes 2 --out bench/results
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import synth  # noqa: E402

from visitgraph.core.config import load_settings  # noqa: E402
from visitgraph.publish.pipeline import build  # noqa: E402
from visitgraph.publish.writes import write_update  # noqa: E402
from visitgraph.queries.answerindex import MANIFEST, answers_root, build_index  # noqa: E402
from visitgraph.queries.catalog import discover_queries  # noqa: E402
from visitgraph.store.embedded import EmbeddedStore  # noqa: E402


def _rows(path: Path, columns: int) -> Counter[tuple[Any, ...]]:
    cols = ", ".join(["row", "key"] + [f"k{i}, x{i}" for i in range(columns)])
    db = sqlite3.connect(path)
    try:
        return Counter(tuple(r) for r in db.execute(f"SELECT {cols} FROM answer"))
    finally:
        db.close()


def one_write(project: Path, settings: Any, store: EmbeddedStore, batch: int) -> dict[str, Any]:
    rng = synth.random.Random(len(store.history()))
    people = [(f"{synth.BASE}person/syn-{i:07d}", "x", f"{synth.BASE}organization/syn-{i % 50:06d}") for i in range(50)]
    first = 20_000_000 + len(store.history()) * 10_000
    lines = "".join(line for i in range(first, first + batch) for line in synth.visit_lines(i, rng, people, []))
    graph = f"{synth.BASE}graph/changes/bench-{first}"
    load = os.getloadavg()[0]
    start = time.monotonic()
    report = write_update(
        settings, store, f"INSERT DATA {{ GRAPH <{graph}> {{\n{lines}}} }}", who="bench", what=f"{batch} new visits"
    )
    write_s = time.monotonic() - start
    gen = store.current()
    assert gen is not None and report.generation is not None and gen.id == report.generation.id
    folder = answers_root(store.path) / gen.id
    aside = folder.parent / f".followed-{gen.id}"
    shutil.rmtree(aside, ignore_errors=True)
    shutil.copytree(folder, aside)
    followed = json.loads((aside / MANIFEST).read_text(encoding="utf-8"))["queries"]
    # Reference: every stored answer derived whole on the same generation.
    start = time.monotonic()
    whole = build_index(settings, store.path, gen.path, gen.id, discover_queries(settings.root))
    whole_s = time.monotonic() - start
    differing = []
    for name, entry in whole.entries.items():
        if "error" in entry or name not in followed or "error" in followed[name]:
            continue
        if _rows(aside / followed[name]["file"], len(entry["columns"])) != _rows(
            whole.folder / entry["file"], len(entry["columns"])
        ):
            differing.append(name)
    shutil.rmtree(aside, ignore_errors=True)
    return {
        "visits": batch,
        "write_s": round(write_s, 2),
        "answers_s": report.timings.get("index_s"),
        "whole_rederivation_s": round(whole_s, 2),
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "maintained": report.answers.get("maintained", []),
        "derived": report.answers.get("derived", {}),
        "reused": report.answers.get("reused", []),
        "per_query_s": {n: e.get("seconds") for n, e in sorted(followed.items())},
        "whole_per_query_s": {n: e.get("seconds") for n, e in sorted(whole.entries.items())},
        "differing_from_whole": differing,
        "timings": report.timings,
    }


def bench(visits: int, work: Path, writes: int, batch: int) -> dict[str, Any]:
    project = work / f"vg-answers-{visits}"
    if not (project / "var" / "store").exists():
        shutil.rmtree(project, ignore_errors=True)
        synth.generate(visits, project, 1)
        settings = load_settings(project)
        start = time.monotonic()
        build(settings, EmbeddedStore(settings.store), who="bench")
        built = time.monotonic() - start
    else:
        built = None
    settings = load_settings(project)
    store = EmbeddedStore(settings.store)
    runs = [one_write(project, settings, store, batch) for _ in range(writes)]
    return {"visits": visits, "build_s": None if built is None else round(built, 1), "writes": runs}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--scales", default="1000,100000")
    parser.add_argument("--writes", type=int, default=2)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--work", type=Path, default=Path("/tmp"))
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    results = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_at_start": os.getloadavg()},
        "scales": [],
    }
    for visits in (int(v) for v in args.scales.split(",")):
        results["scales"].append(bench(visits, args.work, args.writes, args.batch))
        (args.out / "answers.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        for run in results["scales"][-1]["writes"]:
            print(
                f"{visits} visits: write {run['write_s']} s (answers {run['answers_s']} s) | whole re-derivation "
                f"{run['whole_rederivation_s']} s | load {run['load_before']}→{run['load_after']} | "
                f"differing {run['differing_from_whole']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
