"""Reads of issue 17 on a published project: search p95, and institution-timeline for other organisations.

On an existing project (built, or published with `bench_scale.py --reads-only`; its generation must
have a search index), in this process, no result cache, page 1 of 20 through ``run_saved_query``:

- `search` for every text of ``bench_search.TEXTS`` from the full-text index, `--repeats` runs
  each over pages 1, 2 and 6;
- `institution-timeline` for organisations other than the default (whose answer is stored), run as
  SPARQL the way the service runs it (its rewrite in parts, each starting from the organisation),
  and interleaved the query itself without the rewrite (the reference: the UNION Oxigraph evaluates
  before joining the organisation), the reference at most `--reference-runs` times per organisation.

Example:

    python bench/bench_reads.py --project /tmp/vg-100k --repeats 30 --out bench/results/reads-100000.json

`--queries DIR` takes the saved queries from another folder (this checkout's `queries/` against a
project generated from an older one).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import pyoxigraph as ox  # noqa: E402
from bench_search import TEXTS  # noqa: E402

from visitgraph.core.config import load_settings  # noqa: E402
from visitgraph.queries import searchindex  # noqa: E402
from visitgraph.queries.catalog import load_saved_query, run_saved_query  # noqa: E402
from visitgraph.store.embedded import EmbeddedStore, now_iso  # noqa: E402

ORGANIZATIONS = (
    "organization/syn-000007",
    "organization/syn-000123",
    "organization/syn-004321",
    "organization/national-library-of-lithuania",
    "organization/oclc",
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(samples: list[float], **extra: Any) -> dict[str, Any]:
    if not samples:
        return {"runs": 0, **extra}
    return {
        "runs": len(samples),
        "p50_ms": round(percentile(samples, 0.5), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "max_ms": round(max(samples), 2),
        **extra,
    }


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return (time.perf_counter() - start) * 1000, out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--queries", type=Path, default=HERE.parent / "queries")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--reference-runs", type=int, default=2)
    parser.add_argument("--organizations", default=",".join(ORGANIZATIONS), help="comma-separated, for the timeline")
    parser.add_argument("--skip", default="", help="comma-separated: search, timeline, reference")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--index", type=Path, help="search with this index file instead of the generation's")
    parser.add_argument(
        "--reference-index", type=Path, help="interleave each search run with this index file (same-run reference)"
    )
    parser.add_argument("--read-only", action="store_true", help="open the generation's store read-only, by path")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    settings = load_settings(args.project, environ={})
    embedded = EmbeddedStore(settings.store)
    store = ox.Store.read_only(str(embedded.require_current().path)) if args.read_only else embedded.reader()
    loads = [os.getloadavg()[0]]
    result: dict[str, Any] = {
        "project": str(args.project),
        "generation": embedded.require_current().id,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "when": now_iso()},
    }
    if "search" not in skip:
        index = searchindex.SearchIndex(args.index) if args.index else searchindex.for_store(embedded, rebuild=False)
        if index is None:
            raise SystemExit("no search index for the current generation")
        reference_index = searchindex.SearchIndex(args.reference_index) if args.reference_index else None
        result["search_index"] = str(index.path)
        result["search_reference_index"] = str(args.reference_index or "")
        result["search_reference"] = {}
        search = load_saved_query(args.queries / "search.rq")
        result["search"] = {}
        pooled: list[float] = []
        for text in TEXTS:
            samples, reference = [], []
            rows = 0
            for i in range(args.repeats):
                if reference_index is not None:
                    ref_ms, ref_page = timed(
                        lambda i=i, text=text: run_saved_query(
                            store,
                            search,
                            {"text": text},
                            20,
                            (0, 20, 100)[i % 3],
                            base_iri=settings.base_iri,
                            search=reference_index,
                        )
                    )
                    reference.append(ref_ms)
                ms, page = timed(
                    lambda i=i, text=text: run_saved_query(
                        store, search, {"text": text}, 20, (0, 20, 100)[i % 3], base_iri=settings.base_iri, search=index
                    )
                )
                assert page.source == "index", page.source
                samples.append(ms)
                rows = rows or len(page.rows)
            pooled += samples
            loads.append(os.getloadavg()[0])
            result["search"][text] = summary(samples, rows_page1=rows)
            if reference:
                result["search_reference"][text] = summary(reference)
            print(f"search {text!r}: {result['search'][text]} reference {summary(reference)}", flush=True)
        result["search_all_texts"] = summary(pooled)
    if "timeline" not in skip:
        query = load_saved_query(args.queries / "institution-timeline.rq")
        plain = dataclasses.replace(query, rewrites=())
        result["institution_timeline"] = {}
        pooled = []
        for org in args.organizations.split(","):
            samples, reference = [], []
            rows: Any = None
            for i in range(args.repeats):
                ms, page = timed(
                    lambda org=org: run_saved_query(
                        store, query, {"organization": org}, 20, 0, base_iri=settings.base_iri
                    )
                )
                samples.append(ms)
                rows = len(page.rows)
                if "reference" not in skip and i < args.reference_runs:
                    ref_ms, ref = timed(
                        lambda org=org: run_saved_query(
                            store, plain, {"organization": org}, 20, 0, base_iri=settings.base_iri
                        )
                    )
                    assert (ref.rows, ref.has_next) == (page.rows, page.has_next), org
                    reference.append(ref_ms)
            pooled += samples
            loads.append(os.getloadavg()[0])
            result["institution_timeline"][org] = {
                "parts": summary(samples, rows_page1=rows),
                "union_reference": summary(reference),
            }
            print(f"timeline {org}: {result['institution_timeline'][org]}", flush=True)
        result["institution_timeline_all"] = summary(pooled)
    result["load"] = {"min": round(min(loads), 2), "max": round(max(loads), 2)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k.endswith("_all") or k == "load"}, indent=1))


if __name__ == "__main__":
    main()
