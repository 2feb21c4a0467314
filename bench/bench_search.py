"""Search latency: the old SPARQL scan (`queries/search.rq`) vs the full-text index, same run.

Per scale: generate the synthetic project (bench/synth.py), publish it with the bulk loader only
(no validation: reads are measured, as `bench_scale.py --reads-only` does), build the generation's
search index whole (timed, file size), then time the `search` saved query for a fixed set of texts
both ways through ``run_saved_query`` (page 1 of 20, in this process, no result cache).

Example:

    python bench/bench_search.py --scales 1000,100000

The index side runs `--repeats` times per text (pages 1, 2 and 6 in turn); the scan side at most
`--scan-repeats` times and two minutes per text. Results go to `bench/results/search-<scale>.json`
and a Markdown table on stdout (pasted into bench/README.md). Not run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import pyoxigraph as ox  # noqa: E402
import synth  # noqa: E402
from bench_scale import percentile, publish_raw  # noqa: E402

from visitgraph.core.config import load_settings  # noqa: E402
from visitgraph.queries import searchindex  # noqa: E402
from visitgraph.queries.catalog import get_query, run_saved_query  # noqa: E402
from visitgraph.store.embedded import EmbeddedStore, now_iso  # noqa: E402

#: What people search for: a common word, names in two scripts, a phrase, a prefix, a rare word,
#: nothing, and text full of FTS5 syntax.
TEXTS = [
    "library",
    "Aliyeva",
    "zzqxj",
    "Алиева",
    "Mammadov",
    "Мамедов",
    "presidential library",
    "nazarb",
    "kelaghayi",
    'NEAR("a" AND -b*',
]


def _timed(fn: Any, repeats: int, budget: float) -> tuple[list[float], Any]:
    samples: list[float] = []
    result = None
    deadline = time.monotonic() + budget
    while len(samples) < repeats and (len(samples) < 2 or time.monotonic() < deadline):
        start = time.perf_counter()
        result = fn(len(samples))
        samples.append((time.perf_counter() - start) * 1000)
    return samples, result


def bench(visits: int, work: Path, repeats: int, scan_repeats: int, reuse: bool, scan_texts: int) -> dict[str, Any]:
    project = work / f"vg-search-{visits}"
    settings = load_settings(project, {"result_cache": 0}, environ={}) if reuse and project.exists() else None
    generate_s = load_s = 0.0
    if settings is None:
        shutil.rmtree(project, ignore_errors=True)
        started = time.monotonic()
        synth.generate(visits, project)
        generate_s = time.monotonic() - started
        load_s, _ = publish_raw(project)
        settings = load_settings(project, {"result_cache": 0}, environ={})
    store = EmbeddedStore(settings.store)
    gen = store.require_current()
    triples = len(store.reader())
    built = searchindex.build(store.path, gen.path, gen.id)
    index = searchindex.SearchIndex(built.path)
    reader = ox.Store.read_only(str(gen.path))
    query = get_query(project, "search")
    out: dict[str, Any] = {
        "visits": visits,
        "triples": triples,
        "generate_s": round(generate_s, 2),
        "load_s": round(load_s, 2),
        "index": {"seconds": built.seconds, "rows": built.rows, "bytes": built.path.stat().st_size},
        "texts": {},
    }
    # An incremental publish: copy the file and apply 100 changed values (here: 100 names renamed).
    names = [
        q
        for q, _ in zip(
            reader.quads_for_pattern(None, ox.NamedNode(synth.S + "name"), None, None), range(100), strict=False
        )
    ]
    changes = {ox.Triple(q.subject, q.predicate, q.object) for q in names}
    again = searchindex.build(store.path, gen.path, gen.id + "-incremental", previous=gen.id, changes=changes)
    out["incremental_100_s"] = again.seconds
    again.path.unlink()
    for n, text in enumerate(TEXTS):

        def by_index(i: int, text: str = text) -> Any:
            return run_saved_query(
                reader, query, {"text": text}, 20, (0, 20, 100)[i % 3], base_iri=settings.base_iri, search=index
            )

        def by_scan(i: int, text: str = text) -> Any:
            return run_saved_query(reader, query, {"text": text}, 20, 0, base_iri=settings.base_iri)

        fast, page = _timed(by_index, repeats, 60)
        slow, old = _timed(by_scan, scan_repeats, 120) if n < scan_texts else ([float("nan")], None)
        out["texts"][text] = {
            "index_p50_ms": round(percentile(fast, 0.5), 2),
            "index_p95_ms": round(percentile(fast, 0.95), 2),
            "index_runs": len(fast),
            "index_source": page.source,
            "index_rows_page1": len(by_index(0).rows),
            "scan_p50_ms": round(percentile(slow, 0.5), 2),
            "scan_p95_ms": round(percentile(slow, 0.95), 2),
            "scan_runs": len(slow) if old is not None else 0,
            "scan_rows_page1": len(old.rows) if old else None,
        }
        print(f"  {visits}: {text!r}: {out['texts'][text]}", file=sys.stderr, flush=True)
    if not reuse:
        shutil.rmtree(project, ignore_errors=True)
    return out


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| visits | text | index p50 / p95 ms | scan p50 / p95 ms | rows on page 1 (index / scan) |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        for text, t in r["texts"].items():
            lines.append(
                f"| {r['visits']:,} | `{text}` | {t['index_p50_ms']} / **{t['index_p95_ms']}** | "
                f"{t['scan_p50_ms']} / {t['scan_p95_ms']} | {t['index_rows_page1']} / {t['scan_rows_page1']} |"
            )
    lines += [
        "",
        "| visits | triples | index build s | index rows | index MiB | incremental (100 changes) s |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['visits']:,} | {r['triples']:,} | {r['index']['seconds']} | {r['index']['rows']:,} | "
            f"{r['index']['bytes'] / 2**20:.1f} | {r['incremental_100_s']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--scales", default="1000,100000")
    parser.add_argument("--work", type=Path, default=Path("/tmp"))
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--scan-repeats", type=int, default=10)
    parser.add_argument(
        "--scan-texts",
        type=int,
        default=len(TEXTS),
        help="time the scan for the first N texts only (it costs the same for any text)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the generated project and reuse it when present (the index is rebuilt)",
    )
    args = parser.parse_args()
    results = []
    for scale in (int(s) for s in args.scales.split(",")):
        result = bench(scale, args.work, args.repeats, args.scan_repeats, args.reuse, args.scan_texts)
        result.update(
            machine=f"{platform.machine()} {platform.processor() or ''}".strip(),
            python=platform.python_version(),
            when=now_iso(),
        )
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"search-{scale}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        results.append(result)
    print(table(results))


if __name__ == "__main__":
    main()
