"""Whole builds of the search index and the matcher statistics: a reference checkout's code against this one's, same run.

For each built project (its newest generation, read-only), each run builds both files whole into a
scratch folder twice — once with the reference's code (its ``src`` first on ``PYTHONPATH``, e.g. a
clone of main), once with this checkout's — alternating which goes first, each in a fresh process.
Recorded per build: CPU seconds of the build call (``time.process_time``: the process's every
thread, user and system), wall seconds, peak RSS, the load average before it, and a digest of every
table's rows (the two must be equal: decision 0063). The machine is shared: compare CPU seconds
and ratios within one run. With `--steps`, one more build each under py-spy (if installed) splits
the CPU into steps by the innermost visitgraph function sampled.

Example:

    git -C /work/main archive main src | tar -x -C /tmp/ref
    python bench/bench_whole_builds.py --reference /tmp/ref/src --projects /tmp/p10000,/tmp/p100000 \\
        --runs 3 --steps --out bench/results/whole-builds.json

Each project must have been built (`visitgraph --root <project> build`). Not run by the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
BASE = "https://w3id.org/visitgraph/id/"
FILES = ("search", "match")
#: Steps of a profile, by the innermost visitgraph function a sample is in (else "other").
STEPS = {
    "search": {
        "_literals": "read literals",
        "_add_all": "insert rows (SQL)",
        "_digest": "digest, clean",
        "clean": "digest, clean",
        "build": "optimize, commit",
        "fill_terms": "fill terms",
        "seal_generation_file": "seal",
    },
    "match": {
        "_all_facts": "read classes, labels",
        "_all_facts.<locals>.<dictcomp>": "read classes, labels",
        "_write_all": "write rows (SQL)",
        "_write_all.<locals>.<genexpr>": "write rows (SQL)",
        "build": "commit",
        "seal_generation_file": "seal",
    },
}
FOLD = "fold words, labels"


def table_digest(path: Path) -> dict[str, str]:
    """Return a digest of each table's rows (FTS5 content columns only; the build's own generation row left out)."""
    out = {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        names = [
            r[0]
            for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'")
            if not str(r[0]).startswith(("fts_", "sqlite_"))
        ]
        if "doc" in names:
            names.append("fts")
        for name in sorted(names):
            cols = "rowid, keys, skel" if name == "fts" else "*"
            where = " WHERE key != 'generation'" if name == "meta" else ""
            h = hashlib.sha256()
            for row in db.execute(f"SELECT {cols} FROM {name}{where} ORDER BY 1, 2"):  # noqa: S608 (own names)
                h.update(repr(row).encode())
            out[name] = h.hexdigest()[:16]
    return out


def child(args: argparse.Namespace) -> None:
    """Build one file whole (in this process) and print what it cost as JSON."""
    import resource

    import pyoxigraph as ox

    from visitgraph.linking import matchstats
    from visitgraph.queries import searchindex

    gen = sorted((args.project / "var" / "store" / "generations").glob("g*"))[-1]
    store = ox.Store.read_only(str(gen))
    started, cpu = time.monotonic(), time.process_time()
    if args.child == "search":
        path = searchindex.build(args.scratch, store, gen.name).path
    else:
        path = matchstats.build(args.scratch, store, gen.name, args.base).path
    cpu, wall = time.process_time() - cpu, time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "cpu_s": round(cpu, 2),
                "wall_s": round(wall, 2),
                "peak_mib": round(peak),
                "size_kib": path.stat().st_size // 1024,
                "tables": table_digest(path),
                "code": str(Path(searchindex.__file__).parents[2]),
            }
        )
    )


def run_child(args: argparse.Namespace, project: Path, file: str, src: Path, profile: Path | None) -> dict[str, Any]:
    """Build one file in a fresh process with `src` first on the path; return its figures."""
    with tempfile.TemporaryDirectory(prefix="whole-builds-") as scratch:
        command = [sys.executable, str(Path(__file__).resolve()), "--child", file, "--project", str(project)]
        command += ["--scratch", scratch, "--base", args.base]
        if profile is not None:
            command = [args.py_spy, "record", "-r", "100", "-f", "raw", "-o", str(profile), "--", *command]
        env = {**os.environ, "PYTHONPATH": str(src)}
        load = os.getloadavg()[0]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        line = [x for x in done.stdout.splitlines() if x.startswith("{")][-1]
        return {**json.loads(line), "load1": round(load, 2)}


def steps(profile: Path, file: str, cpu: float) -> dict[str, float]:
    """Split a build's CPU seconds by step, in proportion to py-spy's samples inside the build call."""
    counts: Counter[str] = Counter()
    for line in profile.read_text(encoding="utf-8").splitlines():
        stack, _, n = line.rpartition(" ")
        frames = stack.split(";")
        if not any(f.startswith("build (visitgraph/") for f in frames):
            continue  # start-up and imports
        inner = next((f for f in reversed(frames) if "(visitgraph/" in f), "")
        name = inner.split(" (")[0]
        module = inner.split("(visitgraph/")[-1].split(":")[0]
        if name in STEPS[file] and module.endswith(("searchindex.py", "matchstats.py", "embedded.py")):
            step = STEPS[file][name]
        elif module.startswith(("core/", "linking/match", "queries/searchindex")):
            step = FOLD
        else:
            step = "other"
        counts[step] += int(n)
    total = sum(counts.values()) or 1
    return {k: round(cpu * n / total, 2) for k, n in counts.most_common()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--reference", type=Path, help="the reference's src folder (e.g. a clone of main's)")
    parser.add_argument("--projects", help="comma-separated built project roots (read-only)")
    parser.add_argument("--runs", type=int, default=3, help="builds of each file per implementation and project")
    parser.add_argument("--files", default="search,match", help="which files: search, match or both")
    parser.add_argument("--steps", action="store_true", help="one more build each under py-spy, split by step")
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy"))
    parser.add_argument("--base", default=BASE, help="the IRI base entities are minted under")
    parser.add_argument("--out", type=Path, help="JSON results file")
    parser.add_argument("--child", choices=FILES, help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if args.reference is None or not args.projects:
        parser.error("--reference and --projects are required")
    files = [f for f in args.files.split(",") if f]
    if not set(files) <= set(FILES):
        parser.error(f"--files takes {', '.join(FILES)}")
    impls = {"reference": args.reference.resolve(), "this": SRC}
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "reference": str(impls["reference"]),
        "projects": {},
    }
    for project in [Path(p) for p in args.projects.split(",")]:
        entry: dict[str, Any] = {}
        for file in files:
            runs: dict[str, list[dict[str, Any]]] = {"reference": [], "this": []}
            for i in range(args.runs):
                order = ["reference", "this"] if i % 2 == 0 else ["this", "reference"]
                for name in order:
                    got = run_child(args, project, file, impls[name], None)
                    runs[name].append(got)
                    print(
                        f"{project.name} {file} {name}: {got['cpu_s']} s CPU, {got['wall_s']} s wall, load {got['load1']}"
                    )
            same = all(r["tables"] == runs["reference"][0]["tables"] for r in runs["reference"] + runs["this"])
            summary = {
                name: {
                    "cpu_s_median": statistics.median(r["cpu_s"] for r in rs),
                    "wall_s_median": statistics.median(r["wall_s"] for r in rs),
                    "peak_mib_max": max(r["peak_mib"] for r in rs),
                }
                for name, rs in runs.items()
            }
            ratio = summary["this"]["cpu_s_median"] / summary["reference"]["cpu_s_median"]
            entry[file] = {"runs": runs, "summary": summary, "cpu_ratio": round(ratio, 3), "same_tables": same}
            print(f"{project.name} {file}: CPU ratio this/reference {ratio:.3f}, same tables: {same}")
            if args.steps and Path(args.py_spy).exists():
                entry[file]["steps"] = {}
                with tempfile.TemporaryDirectory(prefix="whole-builds-profile-") as tmp:
                    for name in ("reference", "this"):
                        profile = Path(tmp) / f"{name}.txt"
                        got = run_child(args, project, file, impls[name], profile)
                        entry[file]["steps"][name] = {"cpu_s": got["cpu_s"], "load1": got["load1"]}
                        entry[file]["steps"][name]["split"] = steps(profile, file, got["cpu_s"])
                        print(f"{project.name} {file} {name} steps: {entry[file]['steps'][name]['split']}")
        results["projects"][str(project)] = entry
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
