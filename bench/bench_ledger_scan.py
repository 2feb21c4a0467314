"""The ledger step of a whole build, reference code against this checkout, alternating, same run (decision 0056).

Examples:

    git show <ref>:src/visitgraph/release/persistence.py > /tmp/persistence_ref.py
    python bench/bench_ledger_scan.py /path/to/project --ref /tmp/persistence_ref.py --rounds 2 --work /tmp/x

Loads the project's sources into an on-disk store (as a staged generation is; no validation), writes its
N-Quads dump once (``store.dump``, the same call a whole build's validation makes, so a build pays nothing
more for it) and then, in each round, announces every record into a fresh ledger with the reference code
(reading the store) and with this checkout's (reading the dump), in alternating order. Reports wall and CPU
seconds with the load average before and after each, and checks that both ledgers hold the same rows
(a digest of every table).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import shutil
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox

from visitgraph.core.config import load_settings
from visitgraph.release import persistence
from visitgraph.release.ledger import open_ledger
from visitgraph.sources.load import discover_sources, load_source_into

TABLES = ("states", "blobs", "versions", "records", "releases")


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("persistence_ref", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _digest(folder: Path) -> dict[str, str]:
    with open_ledger(folder) as ledger:
        out = {}
        for table in TABLES:
            h = hashlib.sha256()
            for row in ledger.conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
                h.update(repr(row).encode())
            out[table] = h.hexdigest()[:16]
        return out


def _announce(code: ModuleType, store: ox.Store, dump: Path | None, folder: Path, base: str) -> dict[str, Any]:
    shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()[0]
    wall, cpu = time.monotonic(), time.process_time()
    with open_ledger(folder, write=True) as ledger:
        if dump is None:
            records = code.all_records(store)
            state = ledger.announce("g000001", "publish", code._diff(ledger, records, None, base))
        else:
            with dump.open(encoding="utf-8", newline="\n") as text:
                records = code.all_records(store, text)
                state = ledger.announce("g000001", "publish", code._diff(ledger, records, None, base))
    return {
        "wall_s": round(time.monotonic() - wall, 2),
        "cpu_s": round(time.process_time() - cpu, 2),
        "load": f"{load:.2f}->{os.getloadavg()[0]:.2f}",
        "versions": state and _digest(folder),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("root", type=Path, help="the project whose sources are loaded (not written to)")
    parser.add_argument("--ref", type=Path, required=True, help="the reference persistence.py")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args()
    settings = load_settings(args.root, environ={})
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(work / "store"))
    if len(store) == 0:
        started = time.monotonic()
        for source in discover_sources(settings):
            load_source_into(settings, source, store)
        store.flush()
        print(f"loaded {len(store)} quads in {time.monotonic() - started:.1f} s", flush=True)
    dump = work / "store.nq"
    started = time.monotonic()
    store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    print(f"{len(store)} quads; dump {time.monotonic() - started:.1f} s (validation writes it in a build)", flush=True)
    ref = _module(args.ref)
    for r in range(1, args.rounds + 1):
        order = [("ref", ref, None), ("new", persistence, dump)]
        if r % 2 == 0:
            order.reverse()
        digests = {}
        for name, code, text in order:
            got = _announce(code, store, text, work / f"ledger-{name}", settings.base_iri)
            digests[name] = got.pop("versions")
            print(f"round {r} {name}: {got}", flush=True)
        print(f"round {r} same rows: {digests['ref'] == digests['new']} {digests['new']}", flush=True)


if __name__ == "__main__":
    main()
