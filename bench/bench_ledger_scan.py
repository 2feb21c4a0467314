"""The ledger step of a whole build, reference code against this checkout, alternating, same run (decisions 0056, 0062).

Examples:

    git show main:src/visitgraph/release/persistence.py > /tmp/persistence_ref.py
    git show main:src/visitgraph/release/ledger.py > /tmp/ledger_ref.py
    python bench/bench_ledger_scan.py /path/to/project --ref /tmp/persistence_ref.py \\
        --ref-ledger /tmp/ledger_ref.py --rounds 2 --work /tmp/x

Loads the project's sources into an on-disk store (as a staged generation is; no validation), writes its
N-Quads dump once (``store.dump``, the same call a whole build's validation makes, so a build pays nothing
more for it) and then, in each round, announces every record into a fresh ledger with the reference code
and with this checkout's, both reading the dump (``--ref-reads-store``: the reference reads the store, as
before decision 0056), in alternating order. The reference ``persistence.py`` imports ``--ref-ledger`` as
its ``ledger`` module (default: this checkout's). Reports wall and CPU seconds with the load average before
and after each, and checks that both ledgers hold the same rows (a digest of every table).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import shutil
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox

from visitgraph.core.config import load_settings
from visitgraph.release import ledger, persistence
from visitgraph.release.ledger import open_ledger
from visitgraph.sources.load import discover_sources, load_source_into

TABLES = ("states", "blobs", "versions", "records", "releases")


def _module(path: Path, name: str, ledger: ModuleType | None = None) -> ModuleType:
    """Import `path` as module `name`; with `ledger`, the code imports it as ``visitgraph.release.ledger``."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    saved = sys.modules["visitgraph.release.ledger"]
    if ledger is not None:
        sys.modules["visitgraph.release.ledger"] = ledger
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules["visitgraph.release.ledger"] = saved
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


def _announce(
    code: ModuleType, ledgers: ModuleType, store: ox.Store, dump: Path | None, folder: Path, base: str
) -> dict[str, Any]:
    shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()[0]
    wall, cpu = time.monotonic(), time.process_time()
    with ledgers.open_ledger(folder, write=True) as ledger:
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
    parser.add_argument("--ref-ledger", type=Path, help="the reference ledger.py (default: this checkout's)")
    parser.add_argument(
        "--ref-reads-store", action="store_true", help="the reference reads the store, not the dump (before 0056)"
    )
    parser.add_argument("--reuse-dump", action="store_true", help="keep the dump a run before left in --work")
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
    if not (args.reuse_dump and dump.is_file()):
        started = time.monotonic()
        store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        print(
            f"{len(store)} quads; dump {time.monotonic() - started:.1f} s (validation writes it in a build)", flush=True
        )
    ref_ledger = _module(args.ref_ledger, "ledger_ref") if args.ref_ledger else ledger
    ref = _module(args.ref, "persistence_ref", ref_ledger)
    for r in range(1, args.rounds + 1):
        order = [("ref", ref, ref_ledger, None if args.ref_reads_store else dump), ("new", persistence, ledger, dump)]
        if r % 2 == 0:
            order.reverse()
        digests = {}
        for name, code, ledgers, text in order:
            got = _announce(code, ledgers, store, text, work / f"ledger-{name}", settings.base_iri)
            digests[name] = got.pop("versions")
            print(f"round {r} {name}: {got}", flush=True)
        print(f"round {r} same rows: {digests['ref'] == digests['new']} {digests['new']}", flush=True)


if __name__ == "__main__":
    main()
