"""Resource pages with many contributed links (issue 21, finding 11), against a real `serve`.

For each link count, the test project (`tests/data/mini`) gets one accepted linkset giving one
person that many `skos:exactMatch` links; the project is built and served on 127.0.0.1. Then:

- `sequential`: median and max of `--rounds` requests each of the HTML page (first and last
  `?links=` page), `.json` and `.ttl`, after one warm-up request (the first page of a new
  generation builds the link index);
- `parallel`: `--parallel` clients each ask the HTML page `--rounds` times while a watcher asks
  `/-/health` every 0.1 s; the watcher's worst latency is recorded.

Example:

    python bench/bench_links.py --links 100,22000 --out bench/results

Bounded: a few requests per phase; the whole run takes about a minute per link count.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from visitgraph.core.config import load_settings  # noqa: E402
from visitgraph.linking.linkset_files import DEFAULT_PREDICATE, Link, render_linkset  # noqa: E402
from visitgraph.publish.pipeline import build  # noqa: E402
from visitgraph.store.backend import store_from_settings  # noqa: E402

PERSON = "person/svetlana-gorokhova"


def make_project(dest: Path, links: int) -> Path:
    """Copy the test project to `dest`, add one linkset of `links` links to one person, and build it."""
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copytree(ROOT / "tests" / "data" / "mini", dest / "data")
    if (ROOT / "data" / "source").exists() and not (dest / "data" / "source").exists():
        shutil.copytree(ROOT / "data" / "source", dest / "data" / "source")
    settings = load_settings(dest, {"store": str(dest / "var" / "store")}, environ={})
    iri = settings.base_iri + PERSON
    rows = [Link(iri, DEFAULT_PREDICATE, f"https://example.org/agent/{i:05d}") for i in range(links)]
    folder = dest / "linksets" / "accepted"
    folder.mkdir(parents=True)
    text = render_linkset(settings.base_iri, "many", "Many Links Library", "2026-01-01T00:00:00Z", "many.csv", rows)
    (folder / "many.ttl").write_text(text, encoding="utf-8")
    build(settings, store_from_settings(settings), who="bench")
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, accept: str = "text/html") -> tuple[int, int, float]:
    """Ask one URL; return (status, body bytes, seconds)."""
    started = time.monotonic()
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            status, body = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    return status, len(body), time.monotonic() - started


def serve(root: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "VISITGRAPH_STORE": str(root / "var" / "store"), "VISITGRAPH_CLIENT_BUDGET": "100000"}
    cmd = [sys.executable, "-m", "visitgraph", "--root", str(root), "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if get(f"http://127.0.0.1:{port}/-/health")[0] == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("serve did not answer within 120 s")


def sequential(url: str, links: int, rounds: int) -> dict[str, Any]:
    last = max(1, -(-links // 100))
    cases = {
        "html_first": (url, "text/html"),
        "html_last": (f"{url}?links={last}", "text/html"),
        "json": (url + ".json", "application/json"),
        "ttl": (url + ".ttl", "text/turtle"),
    }
    out: dict[str, Any] = {}
    for name, (target, accept) in cases.items():
        get(target, accept)
        times, size = [], 0
        for _ in range(rounds):
            status, size, seconds = get(target, accept)
            assert status == 200, (name, status)
            times.append(seconds)
        out[name] = {"median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3), "bytes": size}
    return out


def parallel(base: str, url: str, clients: int, rounds: int) -> dict[str, Any]:
    seen: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.append(get(base + "/-/health", "application/json")[2])
            stop.wait(0.1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(lambda _: get(url), range(clients * rounds)))
    wall = time.monotonic() - started
    stop.set()
    watcher.join()
    times = [r[2] for r in results]
    return {
        "clients": clients,
        "requests": len(results),
        "statuses": sorted({r[0] for r in results}),
        "wall_s": round(wall, 2),
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "health_max_s": round(max(seen), 3),
        "health_samples": len(seen),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--links", default="100,22000", help="comma-separated link counts")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    report: dict[str, Any] = {
        "machine": f"{platform.machine()} {os.cpu_count()} CPU, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "runs": {},
    }
    for links in (int(n) for n in args.links.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-links-") as tmp:
            root = make_project(Path(tmp) / "project", links)
            port = free_port()
            proc = serve(root, port)
            try:
                base = f"http://127.0.0.1:{port}"
                url = f"{base}/id/{PERSON}"
                run = {
                    "sequential": sequential(url, links, args.rounds),
                    "parallel": parallel(base, url, args.parallel, args.rounds),
                }
            finally:
                proc.terminate()
                proc.wait(30)
        report["runs"][str(links)] = run
        print(links, json.dumps(run))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "links.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
