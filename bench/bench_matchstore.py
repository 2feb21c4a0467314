"""Reconciliation batches of 10 with the store matcher (decision 0048): start-up, RSS, batch times.

In-process (no HTTP), on a published project opened read-only: the generation's store, its search
index and its matcher statistics (``--index`` / ``--stats`` name files built aside when the project
must not be written to). Timed:

- the store matcher's start-up (opening the two files, reading the topics) and the process's peak
  RSS right after it;
- `--repeats` batches of ``bench_reconcile.BATCH`` (`reconcile_v02`, what `POST /reconcile`
  answers for OpenRefine's batches of 10): **cold** (the matcher's entity cache and the folding
  caches emptied before each batch, so every candidate is read from the store and every label
  folded, as in a process that just started), **unseen** (the entity cache emptied: entities not
  read yet, in a running process) and **warm** (the same matcher again, at once), with
  `--beside` the same three on a project at another scale, interleaved;
- with `--reference memory`, interleaved, the in-memory matcher of before (built once, timed, with
  the peak RSS after it), and whether both answer the batch the same (first two candidates: id,
  score, match).

Example:

    python bench/bench_matchstore.py --project /tmp/vg-100k --reference memory --out bench/results/x.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import pyoxigraph as ox  # noqa: E402
from bench_reconcile import BATCH, summary  # noqa: E402

from visitgraph.core.config import load_settings  # noqa: E402
from visitgraph.core.names import fold, translit_word  # noqa: E402
from visitgraph.linking.match import Matcher  # noqa: E402
from visitgraph.linking.matchstats import MatchStats, label_facts, stats_path  # noqa: E402
from visitgraph.linking.matchstore import StoreMatcher  # noqa: E402
from visitgraph.linking.reconcile import reconcile_v02  # noqa: E402
from visitgraph.queries.searchindex import SearchIndex, index_path  # noqa: E402
from visitgraph.store.embedded import EmbeddedStore, now_iso  # noqa: E402


def rss_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def tops(answers: dict[str, Any]) -> dict[str, list[tuple[str, float, bool]]]:
    return {k: [(c["id"], c["score"], c["match"]) for c in v["result"][:2]] for k, v in answers.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--index", type=Path, help="the search index file (default: the generation's)")
    parser.add_argument("--stats", type=Path, help="the matcher statistics file (default: the generation's)")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--reference", choices=("none", "memory"), default="none")
    parser.add_argument(
        "--beside",
        nargs=3,
        type=Path,
        metavar=("PROJECT", "INDEX", "STATS"),
        help="a project at another scale whose store matcher runs the same batches, interleaved",
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    settings = load_settings(args.project, environ={})
    embedded = EmbeddedStore(settings.store)
    gen = embedded.require_current()
    loads = [os.getloadavg()[0]]
    rss_before = rss_mib()
    start = time.monotonic()
    reader = ox.Store.read_only(str(gen.path))
    index = SearchIndex(args.index or index_path(embedded.path, gen.id))
    stats = MatchStats(args.stats or stats_path(embedded.path, gen.id))
    matcher = StoreMatcher(reader, settings.base_iri, index, stats, gen.id)
    startup = time.monotonic() - start
    rss_store = rss_mib()
    print(f"store matcher: {startup:.2f} s, {stats.entities} entities counted, peak RSS {rss_store} MiB", flush=True)
    result: dict[str, Any] = {
        "project": str(args.project),
        "generation": gen.id,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "when": now_iso()},
        "index": str(index.path),
        "stats": str(stats.path),
        "entities": stats.entities,
        "batch": BATCH,
        "store_matcher": {"startup_s": round(startup, 3), "peak_rss_mib_after": rss_store, "rss_before": rss_before},
    }
    beside = None
    if args.beside:
        other = EmbeddedStore(load_settings(args.beside[0], environ={}).store)
        other_gen = other.require_current()
        beside = StoreMatcher(
            ox.Store.read_only(str(other_gen.path)),
            settings.base_iri,
            SearchIndex(args.beside[1]),
            MatchStats(args.beside[2]),
            other_gen.id,
        )
        result["beside"] = {"project": str(args.beside[0]), "entities": beside.stats.entities}
    memory = None
    if args.reference == "memory":
        start = time.monotonic()
        memory = Matcher.from_store(reader, settings.base_iri, search=index)
        built = time.monotonic() - start
        result["memory_matcher"] = {
            "build_s": round(built, 1),
            "peak_rss_mib_after": rss_mib(),
            "entities": len(memory.entities),
        }
        print(f"in-memory matcher: {len(memory.entities)} entities, {built:.1f} s, RSS {rss_mib()} MiB", flush=True)
    modes = ("cold", "unseen", "warm")
    times: dict[str, dict[str, list[float]]] = {}
    ref, ref_cpu, reads = [], [], []
    same: list[bool] = []
    answers: dict[str, Any] = {}
    runs = [("main", matcher)] + ([("beside", beside)] if beside is not None else [])
    for i in range(args.repeats):
        loads.append(os.getloadavg()[0])
        for name, m in runs:
            for mode in modes:
                if mode != "warm":
                    m._cache.clear()  # unseen: entities not read yet, in a running process
                if mode == "cold":  # cold: a process that just started (its folding caches emptied too)
                    fold.cache_clear()
                    translit_word.cache_clear()
                    label_facts.cache_clear()
                before = m.reads
                t, c = time.perf_counter(), time.process_time()
                got = reconcile_v02(m, BATCH)
                times.setdefault(f"{name} {mode}", {"wall": [], "cpu": []})["wall"].append(
                    (time.perf_counter() - t) * 1000
                )
                times[f"{name} {mode}"]["cpu"].append((time.process_time() - c) * 1000)
                if name == "main" and mode == "cold":
                    answers = got
                    reads.append(m.reads - before)
                if name == "beside":
                    result["beside"]["top"] = tops(got)
        if memory is not None:
            t, c = time.perf_counter(), time.process_time()
            ref_answers = reconcile_v02(memory, BATCH)
            ref.append((time.perf_counter() - t) * 1000)
            ref_cpu.append((time.process_time() - c) * 1000)
            same.append(tops(ref_answers) == tops(answers))
            if i == 0:
                result["memory_top"] = tops(ref_answers)
        print(
            f"  batch {i}: "
            + ", ".join(f"{k} {v['wall'][-1]:.1f} ms" for k, v in times.items())
            + f", reads {reads[-1]}, ref {ref[-1] if ref else '-'}",
            flush=True,
        )
    loads.append(os.getloadavg()[0])
    result |= {
        "batches": {k: {"wall": summary(v["wall"]), "cpu": summary(v["cpu"])} for k, v in times.items()},
        "entities_read_per_cold_batch": {"min": min(reads), "max": max(reads)},
        "memory_reference": summary(ref),
        "memory_reference_cpu": summary(ref_cpu),
        "same_answers_as_memory": (all(same), len(same)) if same else None,
        "store_top": tops(answers),
        "load": {"min": round(min(loads), 2), "max": round(max(loads), 2)},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    keys = ("store_matcher", "memory_matcher", "batches", "memory_reference", "same_answers_as_memory", "load")
    print(json.dumps({k: result.get(k) for k in keys}, indent=1))


if __name__ == "__main__":
    main()
