"""Reconciliation batches of 10 queries: candidates from the full-text index vs the word index alone.

In-process (no HTTP): one :class:`~visitgraph.linking.match.Matcher` of the project's published
generation is built once (timed, with the process's peak RSS), then the same batch of 10 queries
(`reconcile_v02`, what `POST /reconcile` answers for OpenRefine's batches) runs `--repeats` times
with the generation's search index handing the candidates of common words (the code now), and
interleaved the same batch with the word index alone (the reference: every entity sharing a key is
scored). The reference stops after `--budget` seconds. Results go to a JSON file.

Example:

    python bench/bench_reconcile.py --project /tmp/vg-100k --repeats 30 --out bench/results/reconcile-100000.json
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
sys.path.insert(0, str(HERE.parent / "src"))

from visitgraph.core.config import load_settings  # noqa: E402
from visitgraph.linking.match import Matcher  # noqa: E402
from visitgraph.linking.reconcile import reconcile_v02  # noqa: E402
from visitgraph.queries import searchindex  # noqa: E402
from visitgraph.store.embedded import EmbeddedStore, now_iso  # noqa: E402

#: One batch as OpenRefine sends it: names from the synthetic data (common first and last names,
#: institutions, the curated people), spellings and scripts it does not use, a topic, and nobody.
BATCH = {
    "q0": {"query": "Leyla Aliyeva", "type": "person"},
    "q1": {"query": "Mammadov, Murad", "type": "person"},
    "q2": {"query": "National Library No. 7 of RU", "type": "organization"},
    "q3": {"query": "Dr. Mayil Ahmedov", "type": "person"},
    "q4": {"query": "Rudomino Library", "type": "organization"},
    "q5": {"query": "Sofia Kowalski"},
    "q6": {"query": "Natalia Ivanova", "type": "person", "properties": [{"pid": "affiliation", "v": "IPR Books"}]},
    "q7": {"query": "Гюльнара Гусейнова", "type": "person"},
    "q8": {"query": "Digitisation"},
    "q9": {"query": "Zzyzx Qwerty", "type": "person"},
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(samples: list[float]) -> dict[str, Any]:
    if not samples:
        return {"runs": 0}
    return {
        "runs": len(samples),
        "p50_ms": round(percentile(samples, 0.5), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
        "max_ms": round(max(samples), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--project", type=Path, required=True, help="a built project (published generation)")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--budget", type=float, default=300.0, help="seconds the reference may take in all")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    settings = load_settings(args.project, environ={})
    store = EmbeddedStore(settings.store)
    load = [os.getloadavg()[0]]
    start = time.monotonic()
    index = searchindex.for_store(store, rebuild=False)
    if index is None:
        raise SystemExit(f"no search index for the current generation of {args.project}")
    matcher = Matcher.from_store(store, settings.base_iri, search=index)
    built = time.monotonic() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"matcher: {len(matcher.entities)} entities in {built:.1f} s, peak RSS {rss} MiB", flush=True)
    words_only = Matcher.__new__(Matcher)
    words_only.__dict__.update(matcher.__dict__)
    words_only.search = None
    with_index: list[float] = []
    reference: list[float] = []
    spent = 0.0
    answers: dict[str, Any] = {}
    for i in range(args.repeats):
        load.append(os.getloadavg()[0])
        t = time.perf_counter()
        answers = reconcile_v02(matcher, BATCH)
        with_index.append((time.perf_counter() - t) * 1000)
        if spent < args.budget:
            t = time.perf_counter()
            ref_answers = reconcile_v02(words_only, BATCH)
            elapsed = time.perf_counter() - t
            spent += elapsed
            reference.append(elapsed * 1000)
            if i == 0:
                reference_top = {k: [c["id"] for c in v["result"][:1]] for k, v in ref_answers.items()}
        print(
            f"  batch {i}: index {with_index[-1]:.1f} ms, words only {reference[-1] if reference else '-'}", flush=True
        )
    tops = {k: [(c["id"], c["score"], c["match"]) for c in v["result"][:2]] for k, v in answers.items()}
    result = {
        "project": str(args.project),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "when": now_iso()},
        "load": {"min": round(min(load), 2), "max": round(max(load), 2)},
        "entities": len(matcher.entities),
        "matcher_build_s": round(built, 1),
        "matcher_peak_rss_mib": rss,
        "batch": BATCH,
        "with_search_index": summary(with_index),
        "word_index_only": summary(reference),
        "lookups": matcher.lookups,
        "top_with_index": tops,
        "top_words_only_first_batch": reference_top if reference else {},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("with_search_index", "word_index_only", "load")}, indent=1))


if __name__ == "__main__":
    main()
