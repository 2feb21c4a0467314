"""Where an ad-hoc SPARQL request's time goes: each layer of `serve` timed on its own, interleaved.

The layers are peeled from the inside out and each is timed over the same ad-hoc queries
(`bench_endpoint.make_query`, unique text, result cache off), in rounds that alternate the
layers, so the machine's load falls on all of them alike:

- `engine`: pyoxigraph evaluates and serialises in this process (the worker's own work);
- `executor`: `QueryExecutor.execute` through a real query-worker process (adds admission,
  the guards, the budget and the IPC to the worker);
- `flask`: the WSGI app called directly with a GET environ (adds Flask, the protocol reading,
  negotiation, the heavy slot, headers);
- `gateway`: the ASGI gateway on a uvloop event loop in front of the WSGI app (adds the hand-off
  to a request thread and back);
- `http`: the whole `visitgraph serve` over a persistent connection (adds granian, the sockets and
  this client; measured with `--serve`).

The difference between neighbouring layers is that layer's cost per request. A `--profile`
run prints the top functions of the `flask` layer under cProfile.

Example:

    python bench/bench_overhead.py --project /tmp/vg-endpoint-bench/vg-1000 --rounds 5 --serve
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import http.client
import io
import os
import pstats
import random
import shutil
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_endpoint as endpoint  # noqa: E402
import pyoxigraph as ox  # noqa: E402

from visitgraph.core.config import load_settings  # noqa: E402
from visitgraph.core.formats import get_format  # noqa: E402
from visitgraph.sparql.engine import Dataset  # noqa: E402
from visitgraph.store.embedded import EmbeddedStore  # noqa: E402
from visitgraph.web import create_app  # noqa: E402
from visitgraph.web.gateway import Gateway  # noqa: E402
from visitgraph.workers.executor import QueryExecutor, _answer_job  # noqa: E402

ACCEPT = "application/sparql-results+json"


def queries(visits: int, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    names = list(endpoint.TEMPLATES)
    return [endpoint.make_query(rng.choice(names), rng, visits, fixed=False) for _ in range(n)]


def environ_for(query: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/sparql",
        "QUERY_STRING": "query=" + urllib.parse.quote(query),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_ACCEPT": ACCEPT,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def scope_for(query: str) -> dict[str, Any]:
    return {
        "type": "http",
        "method": "GET",
        "http_version": "1.1",
        "scheme": "http",
        "path": "/sparql",
        "root_path": "",
        "query_string": ("query=" + urllib.parse.quote(query)).encode("latin-1"),
        "headers": [(b"host", b"127.0.0.1"), (b"accept", ACCEPT.encode())],
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 50000),
    }


class Layers:
    """Every layer set up once over the same published project."""

    def __init__(self, project: Path) -> None:
        env = {
            "VISITGRAPH_STORE": str(project / "var" / "store"),
            "VISITGRAPH_RESULT_CACHE": "0",
            "VISITGRAPH_CLIENT_BUDGET": "1000000",
            "VISITGRAPH_MAX_QUEUE": "64",
        }
        self.settings = load_settings(project, environ=env)
        self.store = EmbeddedStore(self.settings.store)
        gen = self.store.require_current()
        self.gen = gen
        self.reader = ox.Store.read_only(str(gen.path))
        self.executor = QueryExecutor(self.settings, self.store)
        self.app = create_app(self.settings)
        self.app.extensions["visitgraph"].extras["executor"] = self.executor  # one pool for both layers
        self.gateway = Gateway(
            self.app.wsgi_app, self.settings.threads, self.settings.max_body, self.settings.body_timeout
        )
        try:
            import uvloop

            self.loop = uvloop.new_event_loop()
        except ImportError:
            self.loop = asyncio.new_event_loop()
        self.port = 0

    def engine(self, query: str) -> None:
        job = (str(self.gen.path), query, "json", (), (), {}, self.settings.base_iri, self.settings.max_rows)
        _answer_job(self.reader, job)

    def executor_layer(self, query: str) -> None:
        self.executor.execute(query, get_format("json"), dataset=Dataset(), client="127.0.0.1", use_cache=False)

    def flask(self, query: str) -> None:
        out: list[str] = []
        body = b"".join(self.app.wsgi_app(environ_for(query), lambda status, headers, exc=None: out.append(status)))
        if not out[0].startswith("200") or not body:
            raise SystemExit(f"flask layer answered {out[0]}")

    def gateway_layer(self, query: str) -> None:
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            await asyncio.Event().wait()
            raise AssertionError("unreachable")

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        self.loop.run_until_complete(self.gateway(scope_for(query), receive, send))
        if sent[0]["status"] != 200:
            raise SystemExit(f"gateway layer answered {sent[0]['status']}")

    def http(self, query: str) -> None:
        self.conn.request("GET", "/sparql?query=" + urllib.parse.quote(query), headers={"Accept": ACCEPT})
        resp = self.conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise SystemExit(f"http layer answered {resp.status}")


def proc_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds (user, system) of one process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_split(
    project: Path, visits: int, clients: int, seconds: float, rounds: int, reference: Path | None = None
) -> None:
    """CPU per answered request of each process of `serve` (front vs query workers) and of the Oxigraph server
    (and of the reference code's `serve`, when given), under the same ad-hoc load, rounds alternating."""
    os.environ["VISITGRAPH_RESULT_CACHE"] = "0"
    vg, vg_port = endpoint.start_visitgraph(project, 30.0, Path("/tmp") / f"split-vg-{os.getpid()}.log")
    ref = None
    if reference is not None:
        copy = project.parent / f"{project.name}-reference"
        if not copy.is_dir():
            raise SystemExit(f"Run bench_endpoint.py --reference … first (it copies {project} to {copy}).")
        ref, ref_port = endpoint.start_visitgraph(
            copy, 30.0, Path("/tmp") / f"split-ref-{os.getpid()}.log", source=reference
        )
    gen = EmbeddedStore(project / "var" / "store").require_current()
    work = Path("/tmp") / f"split-{os.getpid()}"
    work.mkdir(exist_ok=True)
    ox_proc, ox_port = endpoint.start_oxigraph(gen.path, work, 30.0, work / "ox.log")
    names = list(endpoint.TEMPLATES)

    def mix(rng: random.Random) -> str:
        return endpoint.make_query(rng.choice(names), rng, visits, fixed=False)

    sums: dict[str, list[float]] = {}
    answered = {"visitgraph": 0, "oxigraph": 0, "reference": 0}
    qps: dict[str, list[float]] = {"visitgraph": [], "oxigraph": [], "reference": []}
    try:
        targets = [
            endpoint.Target("visitgraph", vg_port, "/sparql", vg.pid),
            endpoint.Target("oxigraph", ox_port, "/query", ox_proc.pid),
        ]
        if ref is not None:
            targets.insert(1, endpoint.Target("reference", ref_port, "/sparql", ref.pid))
        for target in targets:
            if target.name != "oxigraph":
                endpoint.run_phase(target, mix, clients, 1.0)  # warm up: workers started
        for r in range(rounds):
            for target in targets if r % 2 == 0 else reversed(targets):
                pids = tree(target.pid)
                roles = {}
                for p in pids:
                    cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    role = (
                        "query workers"
                        if "workers.executor" in cmd
                        else "server"
                        if target.name == "oxigraph"
                        else "supervisor"
                        if p == target.pid
                        else "front (granian+gateway+flask)"
                    )
                    roles[p] = f"{target.name}: {role}"
                before = {p: proc_cpu(p) for p in pids}
                result = endpoint.run_phase(target, mix, clients, seconds, seed=r + 1)
                for p in pids:
                    try:
                        now, then = proc_cpu(p), before[p]
                    except OSError:
                        continue
                    total = sums.setdefault(roles[p], [0.0, 0.0])
                    total[0] += now[0] - then[0]
                    total[1] += now[1] - then[1]
                answered[target.name] += result["statuses"].get(200, 0)
                qps[target.name].append(result["statuses"].get(200, 0) / result["seconds"])
    finally:
        endpoint.stop(vg)
        endpoint.stop(ox_proc)
        if ref is not None:
            endpoint.stop(ref)
        shutil.rmtree(work, ignore_errors=True)  # the Oxigraph server's copy of the store
    load = os.getloadavg()
    print(
        f"\nCPU per answered request, {clients} clients, {rounds} × {seconds:g} s per server; answered: "
        f"{answered}; load average {load[0]:.2f}\n"
    )
    print("| process | CPU ms per request | of which user | system |\n|---|---|---|---|")
    per_server: dict[str, float] = {}
    for role, (user, system) in sorted(sums.items()):
        name = role.split(":")[0]
        n = answered[name]
        per_server[name] = per_server.get(name, 0.0) + (user + system) / n
        print(f"| {role} | {(user + system) / n * 1000:.3f} | {user / n * 1000:.3f} | {system / n * 1000:.3f} |")
    print("\n| server | CPU ms per request, all processes | q/s per round |\n|---|---|---|")
    for name, total in per_server.items():
        print(f"| {name} | {total * 1000:.3f} | {', '.join(f'{q:.0f}' for q in qps[name])} |")
    for other in ("oxigraph", "reference"):
        if qps[other]:
            rounds_ratio = sorted(a / b for a, b in zip(qps["visitgraph"], qps[other], strict=True))
            print(
                f"\nvisitgraph ÷ {other}: q/s per round {', '.join(f'{r:.2f}' for r in rounds_ratio)} "
                f"(median {statistics.median(rounds_ratio):.2f}); CPU per request {other} ÷ visitgraph "
                f"{per_server[other] / per_server['visitgraph']:.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--project", type=Path, required=True, help="a project published by bench_endpoint.py")
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=150, help="queries per layer per round")
    parser.add_argument("--serve", action="store_true", help="also time the whole `serve` over HTTP")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of the flask layer")
    parser.add_argument(
        "--cpu-split",
        type=int,
        default=0,
        metavar="CLIENTS",
        help="only measure CPU per request of each server process under CLIENTS ad-hoc clients",
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="phase length of --cpu-split")
    parser.add_argument("--reference", type=Path, default=None, help="--cpu-split: src/ folder of another checkout")
    args = parser.parse_args()
    if args.cpu_split:
        return cpu_split(args.project, args.visits, args.cpu_split, args.seconds, args.rounds, args.reference)
    layers = Layers(args.project)
    timed: dict[str, Any] = {
        "engine": layers.engine,
        "executor": layers.executor_layer,
        "flask": layers.flask,
        "gateway": layers.gateway_layer,
    }
    proc = None
    if args.serve:
        os.environ["VISITGRAPH_RESULT_CACHE"] = "0"
        proc, layers.port = endpoint.start_visitgraph(args.project, 30.0, Path("/tmp") / f"overhead-{os.getpid()}.log")
        layers.conn = http.client.HTTPConnection("127.0.0.1", layers.port, timeout=30)  # type: ignore[attr-defined]
        timed["http"] = layers.http
    try:
        for fn in timed.values():  # warm up: workers started, caches filled
            for q in queries(args.visits, 20, 1):
                fn(q)
        cpu = {name: 0.0 for name in timed}
        lat: dict[str, list[float]] = {name: [] for name in timed}
        for r in range(args.rounds):
            batch = queries(args.visits, args.per_round, 100 + r)
            names = list(timed) if r % 2 == 0 else list(reversed(timed))
            for name in names:
                c0 = time.process_time()
                for q in batch:
                    t0 = time.perf_counter()
                    timed[name](q)
                    lat[name].append(time.perf_counter() - t0)
                cpu[name] += time.process_time() - c0
        load = os.getloadavg()
        print(
            f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.rounds} rounds × {args.per_round} "
            f"ad-hoc queries per layer, result cache off\n"
        )
        print("| layer | p50 ms | mean ms | this process CPU ms/req | added p50 ms over the layer inside |")
        print("|---|---|---|---|---|")
        previous = None
        for name in timed:
            p50 = statistics.median(lat[name]) * 1000
            mean = statistics.fmean(lat[name]) * 1000
            added = f"{p50 - previous:+.3f}" if previous is not None else ""
            print(f"| {name} | {p50:.3f} | {mean:.3f} | {cpu[name] / len(lat[name]) * 1000:.3f} | {added} |")
            previous = p50
        if args.profile:
            prof = cProfile.Profile()
            batch = queries(args.visits, 300, 999)
            prof.enable()
            for q in batch:
                layers.flask(q)
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    finally:
        layers.executor.close()
        if proc is not None:
            endpoint.stop(proc)


if __name__ == "__main__":
    main()
