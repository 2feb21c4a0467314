"""Turn bench result JSON files into the Markdown tables of bench/README.md.

Reads the JSON files `bench_scale.py` writes (one per scale; they are sorted by visits) and prints, on stdout,
the tables of build against raw load, dumps, batch validation, writes, stored answers and saved-query latency.
A file of a run cut short (without `saved_queries`, as `scale-1000000.json`) cannot be reported. The example
reports the runs recorded in bench/README.md.

Example:

    python bench/report.py bench/results/scale-1000.json bench/results/scale-100000.json \\
        bench/results/scale-1000000-reads.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def main(paths: list[str]) -> None:
    runs = [json.loads(Path(p).read_text()) for p in paths]
    runs.sort(key=lambda r: r["visits"])
    print(
        table(
            [
                "visits",
                "triples",
                "mode",
                "publish s",
                "raw `oxigraph load` s",
                "ratio",
                "triples/s",
                "load / validate / publish s",
                "build peak RSS MiB",
            ],
            [
                [
                    f"{r['visits']:,}",
                    f"{r['triples']:,}",
                    r["mode"],
                    r.get("build_s", r.get("publish_s")),
                    r["raw_oxigraph_load_s"],
                    r.get("ratio_build_vs_raw_load", "–"),
                    r.get("build_rate_tps", "–"),
                    " / ".join(str(r.get("timings", {}).get(k, "–")) for k in ("load_s", "validate_s", "publish_s")),
                    r.get("build_peak_rss_mib", "–"),
                ]
                for r in runs
                if "triples" in r
            ],
        )
    )
    print()
    fmts = ["nt", "ttl", "nq", "trig", "jsonld"]
    print(
        table(
            ["visits", *[f"dump {f} s" for f in fmts], "serve peak RSS MiB"],
            [
                [
                    f"{r['visits']:,}",
                    *[r.get("dump_s", {}).get(f, "–") for f in fmts],
                    r.get("serve", {}).get("peak_rss_mib", "–"),
                ]
                for r in runs
            ],
        )
    )
    print()
    sizes = ["10", "100", "1000"]
    print(
        table(
            ["visits", *[f"validate {n} new visits s" for n in sizes]],
            [
                [
                    f"{r['visits']:,}",
                    *[
                        r.get("validate_batch_s", {}).get(
                            n, r.get("validate_batch_of_100_s", "–") if n == "100" else "–"
                        )
                        for n in sizes
                    ],
                ]
                for r in runs
            ],
        )
    )
    print()
    writes = [r for r in runs if "write" in r]
    print(
        table(
            [
                "visits",
                "write of 100 visits s",
                "plan / load / validate / publish s",
                "records validated",
                "changed triples",
                "answers re-stored",
                "refused write s",
            ],
            [
                [
                    f"{r['visits']:,}",
                    w["accepted_s"],
                    " / ".join(str(w["timings"].get(k, "–")) for k in ("plan_s", "load_s", "validate_s", "publish_s")),
                    w["reused"].get("focus_nodes", "all"),
                    w["reused"].get("changed_triples", "–"),
                    "yes" if w["answers_stored"] else "no",
                    w["refused_s"],
                ]
                for r in writes
                for w in [r["write"]]
            ]
            if writes
            else [],
        )
    )
    print()
    print(
        table(
            ["visits", "store answers s", "stored", "skipped (why)", "largest answer (rows)"],
            [
                [
                    f"{r['visits']:,}",
                    r["index"]["seconds"],
                    len(r["index"]["stored"]),
                    "; ".join(f"{k}: {v}" for k, v in r["index"]["skipped"].items()) or "–",
                    max(((q.get("rows") or 0), n) for n, q in r["index"]["per_query"].items()),
                ]
                for r in runs
                if "index" in r
            ],
        )
    )
    print()
    names = sorted({n for r in runs for n in r["saved_queries"]})
    header = ["saved query (defaults; pages 1, 2, 6, 51)"] + [f"{r['visits']:,} p50 / p95 ms" for r in runs]
    print(table(header, _rows(names, runs, lambda r, n: r["saved_queries"].get(n, {}))))
    print()
    variants = sorted({(n, v) for r in runs for n, q in r["saved_queries"].items() for v in q.get("variants", {})})
    header = ["saved query", "other values"] + [f"{r['visits']:,} p50 / p95 ms" for r in runs]
    rows = []
    for name, values in variants:
        cells = _rows([name], runs, lambda r, n, v=values: r["saved_queries"].get(n, {}).get("variants", {}).get(v, {}))
        rows.append([name, values, *cells[0][1:]])
    print(table(header, rows))


def _rows(names: list[str], runs: list[dict], pick: object) -> list[list[object]]:
    out = []
    for name in names:
        row: list[object] = [name]
        for r in runs:
            q = pick(r, name)  # type: ignore[operator]
            if "p50_ms" in q:
                row.append(f"{q['p50_ms']} / {q['p95_ms']} ({q.get('source', 'sparql')})")
            else:
                row.append(("timeout" if "timed out" in q.get("error", "") else q.get("error", "–")[:40]) or "–")
        out.append(row)
    return out


def cli() -> None:
    """Parse the command line (the result files) and print the tables."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("results", nargs="+", type=Path, help="result files of bench_scale.py (scale-<visits>.json)")
    args = parser.parse_args()
    missing = [str(p) for p in args.results if not p.is_file()]
    if missing:
        parser.error(f"no such result file: {', '.join(missing)}")
    main([str(p) for p in args.results])


if __name__ == "__main__":
    cli()
