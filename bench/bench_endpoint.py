r"""Endpoint benchmark: visitgraph's /sparql against the Oxigraph server on the same data, same machine.

For each scale (synthetic visits from `bench/synth.py`) the data is published as a visitgraph
generation; the Oxigraph server (`oxigraph serve-read-only --union-default-graph`, PyPI `oxigraph`)
opens a byte-for-byte copy of that generation, so both answer over identical stores. The same query
mix runs against both, interleaved (phases alternate target and order every round), at
concurrency 1 and 8, over persistent HTTP connections:

- `saved`: five fixed query texts cycled (what saved queries and dashboards send; visitgraph's
  result cache answers repeats, keyed by the published generation);
- `adhoc`: the same five templates with random parameters and a unique comment per request
  (never a cache hit), i.e. strangers' queries.

A `hostile` phase then runs four clients sending cartesian-product queries with a 2 s budget on
both servers while a fifth sends simple queries, and measures the fifth's latency and the
server process tree's CPU in the 2 s after the bad clients stop.

Examples:

    python bench/bench_endpoint.py --scales 1000,100000 --seconds 3 --out bench/results
    python bench/bench_endpoint.py --project /tmp/h17f-reads/project --scales 1000000 --seconds 150 \
        --workloads adhoc --concurrency 1,4 --hostile-seconds 0     # an already published project, read-only

Bounded: each phase runs `--seconds`; the whole run takes a few minutes.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import pyoxigraph as ox  # noqa: E402
import synth  # noqa: E402

from visitgraph.core.config import load_settings  # noqa: E402
from visitgraph.publish.pipeline import build  # noqa: E402
from visitgraph.store.embedded import EmbeddedStore  # noqa: E402

PY = sys.executable
OXIGRAPH = str(Path(sys.executable).parent / "oxigraph")
B = synth.BASE
PREFIXES = (
    "PREFIX schema: <http://schema.org/>\nPREFIX vg: <https://w3id.org/visitgraph/ontology#>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
)
TEMPLATES: dict[str, str] = {
    "lookup": "SELECT ?p ?o WHERE {{ <" + B + "visit/syn-{i:07d}> ?p ?o }}",
    "year": (
        "SELECT ?v ?d WHERE {{ ?v a vg:Visit ; schema:startDate ?d "
        'FILTER(?d >= "{y}-01-01"^^xsd:date && ?d < "{y1}-01-01"^^xsd:date) }} ORDER BY ?d LIMIT 20'
    ),
    "per_year": (
        "SELECT ?y (COUNT(?v) AS ?n) WHERE {{ ?v a vg:Visit ; schema:startDate ?d "
        "BIND(YEAR(?d) AS ?y) FILTER(?y >= {y}) }} GROUP BY ?y ORDER BY ?y"
    ),
    "search": 'SELECT ?v ?name WHERE {{ ?v a vg:Visit ; schema:name ?name FILTER(CONTAINS(?name, "{word}")) }} LIMIT 20',
    "topic": "SELECT ?v ?d WHERE {{ ?v schema:about <" + B + "topic/syn-{k:03d}> ; schema:startDate ?d }} "
    "ORDER BY DESC(?d) LIMIT 10",
}
WORDS = ("Anna", "Ali", "Elena", "Farid", "Orhan", "Peter", "Schmidt", "Kim", "Demir", "Wilson")
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def make_query(name: str, rng: random.Random, visits: int, fixed: bool) -> str:
    """Fill a template: fixed parameters for `saved`, random ones (plus a unique comment) for `adhoc`."""
    r = random.Random(7) if fixed else rng
    y = r.randrange(2000, 2025)
    text = PREFIXES + TEMPLATES[name].format(
        i=r.randrange(visits), y=y, y1=y + 1, word=r.choice(WORDS), k=r.randrange(10)
    )
    return text if fixed else f"{text}\n# adhoc {rng.getrandbits(48):x}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


# -- data and servers -----------------------------------------------------------------------------


def publish(visits: int, work: Path) -> tuple[Path, Path, dict[str, Any]]:
    """Generate the project and publish it as a visitgraph generation; return (project, generation, facts)."""
    project = work / f"vg-{visits}"
    started = time.monotonic()
    triples_written = synth.generate(visits, project)
    facts: dict[str, Any] = {"generate_s": round(time.monotonic() - started, 1)}
    settings = load_settings(project, {"store": str(project / "var" / "store")}, environ={})
    store = EmbeddedStore(settings.store)
    started = time.monotonic()
    if visits <= 5000:
        report = build(settings, store, who="bench")  # the full path: parse, validate, publish
        facts["published_by"] = "visitgraph build (validated)"
        facts["triples"] = report.triples
    else:  # validation cost at this scale is measured by bench_scale.py; reads are what matter here
        with store.stage() as staged:
            s = staged.writable()
            for f in sorted((project / "data").rglob("*")) + sorted((project / "ontology").glob("*.ttl")):
                if f.suffix in (".nt", ".ttl"):
                    fmt = ox.RdfFormat.N_TRIPLES if f.suffix == ".nt" else ox.RdfFormat.TURTLE
                    graph = ox.NamedNode(f"{settings.base_iri}graph/{f.relative_to(project).as_posix()}")
                    s.bulk_load(path=str(f), format=fmt, base_iri=settings.base_iri, to_graph=graph)
            facts["triples"] = len(s)
            staged.commit("bench", note="bulk load (endpoint benchmark)")
        facts["published_by"] = "bulk load + optimize (no SHACL)"
    facts["publish_s"] = round(time.monotonic() - started, 1)
    facts["synth_triples_written"] = triples_written
    gen = store.require_current()
    return project, gen.path, facts


def read_only_view(project: Path, work: Path, name: str = "read-only-view") -> tuple[Path, Path, dict[str, Any]]:
    """Serve an already published project without writing into it; return (view, generation, facts).

    `serve` settles an interrupted write at start-up (it removes staging folders and pending
    changesets) and takes the store's writer lock, so it must not be started on a project that is
    not ours to change. The view is a scratch project in `work`: its source folders are symbolic
    links to the project's, `changesets/` is empty, and its store holds copies of `CURRENT` and
    the history plus a link to the published generation, which every server opens read-only."""
    project = project.resolve()
    origin = EmbeddedStore(project / "var" / "store")
    gen = origin.current()
    if gen is None or not gen.path.is_dir():
        raise SystemExit(f"--project {project}: nothing is published in {origin.path} (no CURRENT generation).")
    view = work / name
    shutil.rmtree(view, ignore_errors=True)
    (view / "changesets").mkdir(parents=True)
    for entry in sorted(project.iterdir()):
        if entry.name not in ("var", "changesets"):
            (view / entry.name).symlink_to(entry)
    store = view / "var" / "store"
    (store / "generations").mkdir(parents=True)
    for name in ("CURRENT", "history.jsonl"):
        if (origin.path / name).is_file():
            shutil.copyfile(origin.path / name, store / name)
    (store / "generations" / gen.id).symlink_to(gen.path)
    published = [e for e in origin.history() if e.generation == gen.id]
    facts: dict[str, Any] = {
        "published_by": f"existing project {project}, generation {gen.id}, served read-only through {view}",
        "triples": published[-1].triples if published else None,
        "publish_note": published[-1].note if published else None,
    }
    return view, gen.path, facts


def wait_http(port: int, path: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"port {port} did not answer within {timeout} s")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_visitgraph(
    project: Path, timeout: float, log: Path, source: Path | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """Start `visitgraph serve` on `project` (from the source folder `source` instead of the installed code, if given)."""
    port = free_port()
    extra = {"PYTHONPATH": str(source)} if source else {}
    env = {
        **os.environ,
        **extra,
        "VISITGRAPH_STORE": str(project / "var" / "store"),
        "VISITGRAPH_THREADS": "8",
        "VISITGRAPH_QUERY_WORKERS": os.environ.get("BENCH_WORKERS", "2"),
        "VISITGRAPH_MAX_QUEUE": "64",
        "VISITGRAPH_CLIENT_BUDGET": "1000000",
        "VISITGRAPH_RESULT_CACHE": os.environ.get("BENCH_RESULT_CACHE", "256"),
        "VISITGRAPH_QUERY_TIMEOUT": str(timeout),
        "VISITGRAPH_LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [PY, "-m", "visitgraph", "--root", str(project), "serve", "--port", str(port)],
        env=env,
        stdout=open(log, "wb"),
        stderr=subprocess.STDOUT,
    )  # noqa: SIM115
    wait_http(port, "/-/health")
    return proc, port


def start_oxigraph(
    generation: Path, work: Path, timeout: float, log: Path, copy_store: bool = True
) -> tuple[subprocess.Popen[bytes], int]:
    """Start the Oxigraph server on a byte-for-byte copy of `generation` (or, without `copy_store`, on
    the generation itself: `serve-read-only` opens it read-only, as visitgraph's query workers do)."""
    copy = work / "oxigraph-store"
    if copy_store:
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(generation, copy)
    else:
        copy = generation
    port = free_port()
    proc = subprocess.Popen(
        [
            OXIGRAPH,
            "serve-read-only",
            "--location",
            str(copy),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            str(int(timeout)),
        ],
        stdout=open(log, "wb"),
        stderr=subprocess.STDOUT,
    )  # noqa: SIM115
    wait_http(port, "/query?query=ASK%7B%7D")
    return proc, port


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


# -- load ------------------------------------------------------------------------------------------


class Target:
    """One server: where to send a query and how."""

    def __init__(self, name: str, port: int, path: str, pid: int) -> None:
        self.name, self.port, self.path, self.pid = name, port, path, pid

    def url(self, query: str) -> str:
        return f"{self.path}?query={urllib.parse.quote(query)}"


def run_phase(
    target: Target, queries: Any, concurrency: int, seconds: float, seed: int | None = None
) -> dict[str, Any]:
    """Send queries from `concurrency` threads for `seconds`; return latencies and status counts.

    With `seed`, client n draws the same query sequence in every phase of that seed, so the targets
    of one round get the same queries in the same order (at 100k visits a round's mix of cheap and
    scanning templates otherwise decides the ratio)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n * 7919 + (int(time.monotonic() * 1000) if seed is None else seed * 1_000_003))
        conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=60)
        while time.monotonic() < stop_at:
            query = queries(rng)
            started = time.monotonic()
            try:
                conn.request("GET", target.url(query), headers={"Accept": "application/sparql-results+json"})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=60)
                status = 0
            elapsed = time.monotonic() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    started = time.monotonic()
    cpu_before = tree_cpu(target.pid, reaped=True)
    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "latencies": latencies,
        "statuses": statuses,
        "seconds": time.monotonic() - started,
        "cpu_s": tree_cpu(target.pid, reaped=True) - cpu_before,
        "load": round(os.getloadavg()[0], 2),
    }


def summarise(phases: list[dict[str, Any]]) -> dict[str, Any]:
    lat = [x for p in phases for x in p["latencies"]]
    ok = sum(p["statuses"].get(200, 0) for p in phases)
    total_s = sum(p["seconds"] for p in phases)
    statuses: dict[str, int] = {}
    for p in phases:
        for k, v in p["statuses"].items():
            statuses[str(k)] = statuses.get(str(k), 0) + v
    cpu_s = sum(p.get("cpu_s", 0.0) for p in phases)
    return {
        "requests": len(lat),
        "ok": ok,
        "qps": round(ok / total_s, 3) if total_s else 0.0,
        "cpu_ms_per_ok": round(cpu_s / ok * 1000, 2) if ok else None,
        "load": [p.get("load") for p in phases],
        "p50_ms": round(percentile(lat, 0.5) * 1000, 2),
        "p95_ms": round(percentile(lat, 0.95) * 1000, 2),
        "statuses": statuses,
    }


def compare(
    targets: list[Target],
    visits: int,
    seconds: float,
    rounds: int,
    workloads: tuple[str, ...] = ("saved", "adhoc"),
    concurrencies: tuple[int, ...] = (1, 8),
) -> list[dict[str, Any]]:
    """Run every (workload, concurrency) against all targets, interleaved; one summary row each.

    Besides the pooled figures, each row has `ratio_rounds`: this code's q/s over Oxigraph's (and
    over the reference's) per round, whose median and spread say how stable the ratio is."""
    rows = []
    for workload in workloads:
        for concurrency in concurrencies:
            phases: dict[str, list[dict[str, Any]]] = {t.name: [] for t in targets}
            for r in range(rounds):
                order = targets if r % 2 == 0 else list(reversed(targets))
                for target in order:
                    names = list(TEMPLATES)

                    def queries(rng: random.Random, names: list[str] = names, saved: bool = workload == "saved") -> str:
                        return make_query(rng.choice(names), rng, visits, fixed=saved)

                    phases[target.name].append(run_phase(target, queries, concurrency, seconds, seed=r + 1))
            summary = {name: summarise(p) for name, p in phases.items()}
            per_round = {name: [summarise([p])["qps"] for p in ps] for name, ps in phases.items()}
            vg, oxs = summary["visitgraph"], summary["oxigraph"]
            row = {
                "visits": visits,
                "workload": workload,
                "concurrency": concurrency,
                **{f"{name}_{k}": v for name, s in summary.items() for k, v in s.items()},
                "qps_ratio": round(vg["qps"] / oxs["qps"], 2) if oxs["qps"] else None,
                "p50_ratio": round(vg["p50_ms"] / oxs["p50_ms"], 2) if oxs["p50_ms"] else None,
            }
            row["phases"] = {
                name: [{k: p[k] for k in ("seconds", "cpu_s", "load")} | {"ok": p["statuses"].get(200, 0)} for p in ps]
                for name, ps in phases.items()
            }
            row["ratio_rounds"] = {
                other: [
                    round(a / b, 2) if b else None
                    for a, b in zip(per_round["visitgraph"], per_round[other], strict=True)
                ]
                for other in per_round
                if other != "visitgraph"
            }
            if "reference" in summary:  # --reference: this code against another checkout, same run
                ref = summary["reference"]
                row["qps_vs_reference"] = round(vg["qps"] / ref["qps"], 2) if ref["qps"] else None
                row["p50_vs_reference"] = round(vg["p50_ms"] / ref["p50_ms"], 2) if ref["p50_ms"] else None
            print(json.dumps(row), file=sys.stderr)
            rows.append(row)
    return rows


def tree_cpu(pid: int, reaped: bool = False) -> float:
    """CPU seconds (user+system) of a process and all its descendants, from /proc.

    With `reaped`, also the CPU of children they have reaped: a query worker killed past its budget
    leaves the tree and its CPU moves to its parent's reaped-children fields, so the difference of two
    readings around a phase still counts it (without, that difference can even be negative)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if reaped else 0)
        except OSError:
            continue
    return total / os.sysconf("SC_CLK_TCK")


def hostile(target: Target, visits: int, seconds: float) -> dict[str, Any]:
    """Four cartesian clients plus one simple client; then the tree's CPU over 2 s once they stop."""
    simple_rng = random.Random(3)
    baseline = run_phase(target, lambda rng: make_query("lookup", simple_rng, visits, fixed=False), 1, 2.0)
    bad = threading.Thread(target=run_phase, args=(target, lambda rng: CARTESIAN, 4, seconds))
    bad.start()
    time.sleep(0.5)
    loaded = run_phase(target, lambda rng: make_query("lookup", simple_rng, visits, fixed=False), 1, seconds - 1.0)
    bad.join()
    time.sleep(1.0)
    before = tree_cpu(target.pid)
    time.sleep(2.0)
    idle_cpu = tree_cpu(target.pid) - before
    return {
        "target": target.name,
        "visits": visits,
        "simple_p50_ms_alone": round(percentile(baseline["latencies"], 0.5) * 1000, 1),
        "simple_p50_ms_under_attack": round(percentile(loaded["latencies"], 0.5) * 1000, 1),
        "simple_p95_ms_under_attack": round(percentile(loaded["latencies"], 0.95) * 1000, 1),
        "simple_max_ms_under_attack": round(max(loaded["latencies"] or [0]) * 1000, 1),
        "simple_ok": loaded["statuses"].get(200, 0),
        "simple_requests": len(loaded["latencies"]),
        "cpu_s_in_2s_after": round(idle_cpu, 2),
    }


def bench_scale(
    visits: int,
    work: Path,
    seconds: float,
    rounds: int,
    hostile_seconds: float,
    reference: Path | None = None,
    workloads: tuple[str, ...] = ("saved", "adhoc"),
    concurrencies: tuple[int, ...] = (1, 8),
    existing: Path | None = None,
) -> dict[str, Any]:
    """Publish `visits` synthetic visits (or, with `existing`, serve that published project read-only) and
    compare the servers on it."""
    if existing is None:
        project, generation, facts = publish(visits, work)
    else:
        project, generation, facts = read_only_view(existing, work)
    print(f"[{visits}] published: {facts}", file=sys.stderr)
    copy_store = existing is None
    vg_proc, vg_port = start_visitgraph(project, 30.0, work / f"vg-{visits}.log")
    ox_proc, ox_port = start_oxigraph(generation, work, 30.0, work / f"ox-{visits}.log", copy_store)
    procs = [vg_proc, ox_proc]
    try:
        targets = [
            Target("visitgraph", vg_port, "/sparql", vg_proc.pid),
            Target("oxigraph", ox_port, "/query", ox_proc.pid),
        ]
        if reference is not None:  # a copy of the same published project, served by the reference code
            if existing is None:
                copy = work / f"vg-{visits}-reference"
                shutil.rmtree(copy, ignore_errors=True)
                shutil.copytree(project, copy)
            else:
                copy = read_only_view(existing, work, "read-only-view-reference")[0]
            ref_proc, ref_port = start_visitgraph(copy, 30.0, work / f"ref-{visits}.log", source=reference)
            procs.append(ref_proc)
            targets.insert(1, Target("reference", ref_port, "/sparql", ref_proc.pid))
        rows = compare(targets, visits, seconds, rounds, workloads, concurrencies)
    finally:
        for proc in procs:
            stop(proc)
    attacks = []
    if hostile_seconds > 0:
        vg_proc, vg_port = start_visitgraph(project, 2.0, work / f"vg-{visits}-hostile.log")
        ox_proc, ox_port = start_oxigraph(generation, work, 2.0, work / f"ox-{visits}-hostile.log", copy_store)
        try:
            attacks.append(hostile(Target("visitgraph", vg_port, "/sparql", vg_proc.pid), visits, hostile_seconds))
            attacks.append(hostile(Target("oxigraph", ox_port, "/query", ox_proc.pid), visits, hostile_seconds))
        finally:
            stop(vg_proc)
            stop(ox_proc)
        for a in attacks:
            print(json.dumps(a), file=sys.stderr)
    return {"visits": visits, **facts, "rows": rows, "hostile": attacks}


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "| visits | workload | conc. | visitgraph q/s | oxigraph q/s | ratio | vg p50 ms | ox p50 ms | "
        "vg p95 ms | ox p95 ms | non-200 (vg/ox) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for scale in result["scales"]:
        for r in scale["rows"]:
            bad_vg = r["visitgraph_requests"] - r["visitgraph_ok"]
            bad_ox = r["oxigraph_requests"] - r["oxigraph_ok"]
            lines.append(
                f"| {r['visits']} | {r['workload']} | {r['concurrency']} | {r['visitgraph_qps']} | "
                f"{r['oxigraph_qps']} | {r['qps_ratio']} | {r['visitgraph_p50_ms']} | {r['oxigraph_p50_ms']} | "
                f"{r['visitgraph_p95_ms']} | {r['oxigraph_p95_ms']} | {bad_vg}/{bad_ox} |"
            )
    lines += [
        "",
        "| visits | server | simple p50 alone | p50 under attack | p95 | max | ok/sent | CPU s in 2 s after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scale in result["scales"]:
        for a in scale["hostile"]:
            lines.append(
                f"| {a['visits']} | {a['target']} | {a['simple_p50_ms_alone']} | "
                f"{a['simple_p50_ms_under_attack']} | {a['simple_p95_ms_under_attack']} | "
                f"{a['simple_max_ms_under_attack']} | {a['simple_ok']}/{a['simple_requests']} | "
                f"{a['cpu_s_in_2s_after']} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--scales", default="1000,100000", help="comma-separated visit counts")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of one measured phase")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds per (workload, concurrency)")
    parser.add_argument("--hostile-seconds", type=float, default=8.0, help="length of the hostile phase (0: skip)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/vg-endpoint-bench"), help="scratch folder")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="where results are written")
    parser.add_argument(
        "--reference",
        type=Path,
        default=None,
        help="src/ folder of another checkout: its `serve` runs as a third target, interleaved",
    )
    parser.add_argument("--workloads", default="saved,adhoc", help="comma-separated: saved, adhoc")
    parser.add_argument("--concurrency", default="1,8", help="comma-separated client thread counts")
    parser.add_argument(
        "--project",
        type=Path,
        default=None,
        help="an already published project to measure instead of generating one, opened read-only (nothing is "
        "built or written in it); --scales then names its one visit count (the range of the queries' parameters)",
    )
    args = parser.parse_args()
    if args.project is not None and len(args.scales.split(",")) != 1:
        parser.error("--project measures one published project: give its visit count as the only --scales value")
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpu": _cpu_model(),
        },
        "pyoxigraph": ox.__version__,
        "http_server": _http_server(),
        "seconds_per_phase": args.seconds,
        "rounds": args.rounds,
        "scales": [],
    }
    for visits in (int(v) for v in args.scales.split(",")):
        result["scales"].append(
            bench_scale(
                visits,
                args.work,
                args.seconds,
                args.rounds,
                args.hostile_seconds,
                args.reference,
                tuple(w for w in args.workloads.split(",") if w),
                tuple(int(c) for c in args.concurrency.split(",")),
                args.project,
            )
        )
    (args.out / "endpoint.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (args.out / "endpoint.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


def _http_server() -> str:
    """Name and version of the HTTP server `visitgraph serve` runs under."""
    from importlib.metadata import version

    return f"granian {version('granian')}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    main()
