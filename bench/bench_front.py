"""Front-end latency of `visitgraph serve` against another checkout's, one client, interleaved.

Where `bench_endpoint.py` measures throughput of query mixes, this isolates what the HTTP front
(server, gateway, Flask) adds per request: one persistent connection sends `/-/health` and a
cached SPARQL query (a result-cache hit after the first) for `--seconds` per phase, alternating
between this code and the reference code (`--reference`, the `src/` folder of another checkout)
every round, in alternating order. Both serve copies of the same published project made by
`bench_endpoint.py` (run it first with the same `--work`).

Example:

    python bench/bench_front.py --reference /tmp/ref/src --work /tmp/vg-endpoint-bench --rounds 6
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_endpoint as endpoint  # noqa: E402

PATHS = {
    "health": "/-/health",
    "cached query": "/sparql?query=" + urllib.parse.quote("SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"),
}


def phase(port: int, path: str, seconds: float) -> list[float]:
    """Send `path` over one connection for `seconds`; return the latencies."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    out: list[float] = []
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise SystemExit(f"{path} answered {resp.status}")
        out.append(time.perf_counter() - started)
    conn.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--reference", type=Path, required=True, help="src/ folder of the checkout to compare with")
    parser.add_argument(
        "--work", type=Path, default=Path("/tmp/vg-endpoint-bench"), help="bench_endpoint's scratch folder"
    )
    parser.add_argument("--visits", type=int, default=1000, help="scale published by bench_endpoint")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=1.5)
    args = parser.parse_args()
    project, copy = args.work / f"vg-{args.visits}", args.work / f"vg-{args.visits}-reference"
    if not (project.is_dir() and copy.is_dir()):
        raise SystemExit(f"Run bench_endpoint.py --reference … --work {args.work} first (it publishes {project}).")
    this, this_port = endpoint.start_visitgraph(project, 30.0, args.work / "front-this.log")
    ref, ref_port = endpoint.start_visitgraph(copy, 30.0, args.work / "front-reference.log", source=args.reference)
    results: dict[tuple[str, str], list[float]] = {}
    try:
        for r in range(args.rounds):
            targets = [("this", this_port), ("reference", ref_port)]
            for name, port in targets if r % 2 == 0 else reversed(targets):
                for label, path in PATHS.items():
                    results.setdefault((label, name), []).extend(phase(port, path, args.seconds))
    finally:
        endpoint.stop(this)
        endpoint.stop(ref)
    print("| request | code | requests | p50 ms | p90 ms |\n|---|---|---|---|---|")
    for (label, name), lat in sorted(results.items()):
        lat.sort()
        print(
            f"| {label} | {name} | {len(lat)} | {statistics.median(lat) * 1000:.3f} | "
            f"{lat[int(len(lat) * 0.9)] * 1000:.3f} |"
        )


if __name__ == "__main__":
    main()
