"""Turn bench result JSON files into the Markdown tables of bench/README.md.

    python bench/report.py bench/results/scale-*.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def main(paths: list[str]) -> None:
    runs = [json.loads(Path(p).read_text()) for p in paths]
    runs.sort(key=lambda r: r["visits"])
    print(table(["visits", "triples", "mode", "publish s", "raw `oxigraph load` s", "ratio", "triples/s",
                 "load / validate / publish s", "build peak RSS MiB"],
                [[f"{r['visits']:,}", f"{r['triples']:,}", r["mode"], r.get("build_s", r.get("publish_s")),
                  r["raw_oxigraph_load_s"], r.get("ratio_build_vs_raw_load", "–"), r.get("build_rate_tps", "–"),
                  " / ".join(str(r.get("timings", {}).get(k, "–")) for k in ("load_s", "validate_s", "publish_s")),
                  r.get("build_peak_rss_mib", "–")] for r in runs]))
    print()
    fmts = ["nt", "ttl", "nq", "trig", "jsonld"]
    print(table(["visits", *[f"dump {f} s" for f in fmts], "validate 100 new visits s", "serve peak RSS MiB"],
                [[f"{r['visits']:,}", *[r["dump_s"].get(f, "–") for f in fmts], r["validate_batch_of_100_s"],
                  r["serve"]["peak_rss_mib"]] for r in runs]))
    print()
    names = sorted({n for r in runs for n in r["saved_queries"]})
    header = ["saved query"] + [f"{r['visits']:,} p50 / p95 ms" for r in runs]
    rows = []
    for name in names:
        row: list[object] = [name]
        for r in runs:
            q = r["saved_queries"].get(name, {})
            row.append(f"{q['p50_ms']} / {q['p95_ms']}" if "p50_ms" in q else q.get("error", "–")[:40])
        rows.append(row)
    print(table(header, rows))


if __name__ == "__main__":
    main(sys.argv[1:])
