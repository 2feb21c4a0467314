"""The search-index look-up of reconciliation candidates alone, per query of bench_reconcile's batch.

What `Matcher.candidates` asks the full-text index (decision 0038) for each query of the batch:
the query's person-name keys (stopwords out), at most `LOOKUP_LIMIT` resources of the asked kinds.
Needs only the generation's search index (not the matcher of every entity), so it runs at scales
where the matcher is too big to build beside other work.

Example:

    python bench/bench_lookup.py --project /tmp/vg-1m --repeats 20 --out bench/results/lookup-1000000.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from bench_reconcile import BATCH, summary  # noqa: E402

from visitgraph.core.config import load_settings  # noqa: E402
from visitgraph.core.names import STOPWORDS, LabelKeys  # noqa: E402
from visitgraph.linking.match import LOOKUP_LIMIT, _prefixes, kinds_for  # noqa: E402
from visitgraph.queries import searchindex  # noqa: E402
from visitgraph.store.embedded import EmbeddedStore  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    settings = load_settings(args.project, environ={})
    index = searchindex.for_store(EmbeddedStore(settings.store), rebuild=False)
    if index is None:
        raise SystemExit("no search index for the current generation")
    loads = [os.getloadavg()[0]]
    out: dict[str, dict[str, Any]] = {}
    batch_ms: list[float] = []
    for _ in range(args.repeats):
        total = 0.0
        for key, q in BATCH.items():
            words = [w for w in LabelKeys.of(q["query"]).person if w not in STOPWORDS]
            prefixes = _prefixes(settings.base_iri, kinds_for(q.get("type")))
            start = time.perf_counter()
            found = index.resources(words, LOOKUP_LIMIT, prefixes)
            ms = (time.perf_counter() - start) * 1000
            total += ms
            out.setdefault(key, {"query": q["query"], "samples": [], "found": len(found)})["samples"].append(ms)
        batch_ms.append(total)
        loads.append(os.getloadavg()[0])
    result = {
        "project": str(args.project),
        "per_query": {k: {"query": v["query"], "found": v["found"], **summary(v["samples"])} for k, v in out.items()},
        "batch_of_10": summary(batch_ms),
        "load": {"min": round(min(loads), 2), "max": round(max(loads), 2)},
    }
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
