"""A generation's whole N-Quads dump: Oxigraph's one call against the dump graph by graph in threads (decision 0078).

Example:

    python bench/bench_dump.py /path/to/project/var/store/generations/g000001 --work /tmp/dump-bench \\
        --sizes /path/to/build.json --threads 2 --rounds 2

Opens the generation read-only and writes its N-Quads dump in each round both ways, in alternating order: wall and
CPU seconds, bytes, the load average before each. After the first round the two files are compared byte for byte
(they must be equal). `--sizes`: a `visitgraph build --json` report whose per-file quad counts schedule the biggest
graphs first, as a build does.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import resource
import time
from pathlib import Path

import pyoxigraph as ox

from visitgraph.store.nquads import write_nquads


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("generation", type=Path, help="a generation's store folder (opened read-only)")
    parser.add_argument("--work", type=Path, required=True, help="where the dumps are written (removed after)")
    parser.add_argument("--sizes", type=Path, help="a build report (JSON) with per-file quad counts")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not (args.generation / "CURRENT").is_file():
        parser.error(f"{args.generation} is not a store folder (no CURRENT file): give a generation's folder")
    if args.threads < 1 or args.rounds < 1:
        parser.error("--threads and --rounds must be 1 or more")
    sizes = None
    if args.sizes:
        try:
            sizes = {f["graph"]: int(f["quads"]) for f in json.loads(args.sizes.read_text())["files"]}
        except (OSError, ValueError, KeyError, TypeError) as e:
            parser.error(f"--sizes {args.sizes}: not a build report with per-file quad counts ({e})")
    store = ox.Store.read_only(str(args.generation))
    args.work.mkdir(parents=True, exist_ok=True)
    threaded = f"threads-{args.threads}"
    for r in range(1, args.rounds + 1):
        ways = ["one-call", threaded] if r % 2 else [threaded, "one-call"]
        for way in ways:
            path = args.work / f"{way}.nq"
            load, wall, cpu = os.getloadavg()[0], time.monotonic(), _cpu()
            if way == "one-call":
                store.dump(str(path), format=ox.RdfFormat.N_QUADS)
            else:
                write_nquads(store, path, threads=args.threads, sizes=sizes)
            print(
                f"round {r} {way} wall {time.monotonic() - wall:.1f} s cpu {_cpu() - cpu:.1f} s "
                f"bytes {path.stat().st_size} load {load:.2f}",
                flush=True,
            )
        if r == 1:
            same = filecmp.cmp(args.work / "one-call.nq", args.work / f"{threaded}.nq", shallow=False)
            print(f"same bytes: {same}", flush=True)
        for way in ways:
            (args.work / f"{way}.nq").unlink()


if __name__ == "__main__":
    main()
