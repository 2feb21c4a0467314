"""Measure the ledger of published IRIs (decision 0026): a full scan of a generation and an incremental diff.

Examples:

    python bench/synth.py --visits 10000 --out /tmp/vg-10k
    python bench/bench_ledger.py /tmp/vg-10k

CPU seconds (time.process_time) are reported: wall time on a shared machine says more about the neighbours.
Loads the project's data into a throwaway store (no validation: only the ledger is measured), announces it
into a fresh ledger (every record: what a full build or a first build pays), then adds 100 visits and
announces only the records their triples touch (what a write on a checkpoint pays).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from visitgraph.core.config import load_settings
from visitgraph.release.ledger import open_ledger
from visitgraph.release.persistence import _diff, all_records, record_of, touched_iris
from visitgraph.sources.load import discover_sources, load_source_into


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("root", type=Path, help="the project folder (a generated one: bench/synth.py)")
    args = parser.parse_args()
    settings = load_settings(args.root, environ={})
    work = Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    store = ox.Store(str(work / "store"))
    for source in discover_sources(settings):
        load_source_into(settings, source, store)
    print(f"{len(store)} quads")
    with open_ledger(work, write=True) as ledger:
        started = time.process_time()
        records = list(all_records(store))
        scanned = time.process_time() - started
        state = ledger.announce("g000001", "publish", _diff(ledger, records, None, settings.base_iri))
        ledger.confirm(state, "2026-12-02T00:00:00Z")
        print(
            f"full scan: {len(records)} records in {scanned:.1f} s; written in {time.process_time() - started - scanned:.1f} s"
        )
        base = settings.base_iri
        added = set()
        for i in range(100):
            v = ox.NamedNode(f"{base}visit/bench-{i}")
            for t in (
                (
                    v,
                    ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                    ox.NamedNode("https://w3id.org/visitgraph/ontology#Visit"),
                ),
                (v, ox.NamedNode("http://schema.org/name"), ox.Literal(f"Bench visit {i}")),
                (v, ox.NamedNode("http://schema.org/attendee"), records[i].iri and ox.NamedNode(records[i].iri)),
            ):
                store.add(ox.Quad(*t))
                added.add(ox.Triple(*t))
        started = time.process_time()
        touched = touched_iris(added, [store])
        diff = list(
            _diff(ledger, [r for r in (record_of(store, i) for i in sorted(touched)) if r is not None], touched, base)
        )
        ledger.confirm(ledger.announce("g000002", "publish", diff), "2026-12-02T00:01:00Z")
        print(
            f"incremental: {len(diff)} versions for {len(added)} changed triples in {time.process_time() - started:.3f} s"
        )
        started = time.process_time()
        for rec in records[:1000]:
            ledger.status(rec.iri)
        print(f"status lookup: {(time.process_time() - started) * 1000:.3f} ms per 1000 IRIs")
    print(f"ledger size: {(work / 'ledger.sqlite').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
