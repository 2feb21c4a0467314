"""Build a read-only project's matcher statistics and a search index with its terms table, aside.

For projects that must not be written to (a copy another process reads): the statistics file
(:func:`visitgraph.linking.matchstats.build`, whole) and a copy of the generation's search index
with the ``terms`` table added (:func:`visitgraph.queries.searchindex.fill_terms`), both under
`--out`; prints what each took. ``bench_matchstore.py --index/--stats`` and ``bench_reads.py
--index`` then point at them.

Example:

    python bench/build_aside.py --project /tmp/vg-1m --out /tmp/aside-1m
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from visitgraph.core.config import load_settings  # noqa: E402
from visitgraph.linking.matchstats import build  # noqa: E402
from visitgraph.queries.searchindex import fill_terms, index_path  # noqa: E402
from visitgraph.store.embedded import EmbeddedStore  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    settings = load_settings(args.project, environ={})
    store = EmbeddedStore(settings.store)
    gen = store.require_current()
    args.out.mkdir(parents=True, exist_ok=True)
    index = args.out / "search.sqlite"
    started = time.monotonic()
    shutil.copyfile(index_path(store.path, gen.id), index)
    copied = time.monotonic() - started
    started = time.monotonic()
    db = sqlite3.connect(index)
    terms = fill_terms(db)
    db.commit()
    db.close()
    filled = time.monotonic() - started
    stats = build(store.path, gen.path, gen.id, settings.base_iri, out=args.out / "match.sqlite")
    print(
        json.dumps(
            {
                "index_copy_s": round(copied, 1),
                "fill_terms_s": round(filled, 1),
                "terms": terms,
                "stats": {"how": stats.how, "entities": stats.entities, "seconds": stats.seconds},
                "stats_bytes": stats.path.stat().st_size,
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
