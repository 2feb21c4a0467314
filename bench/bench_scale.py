"""Scale benchmark: build, raw load, dumps, SHACL, saved-query latency and serve memory at N visits.

Each scale runs side by side with the reference on the same data and the same machine, in one run:
`visitgraph build` against a raw `oxigraph load` of the same files. Results go to a JSON file and a
Markdown table; `bench/README.md` records runs that were made.

Examples:

    python bench/bench_scale.py --scales 1000,100000 --out bench/results
    python bench/bench_scale.py --scales 1000000 --phases generate,raw,build   # then, later:
    python bench/bench_scale.py --scales 1000000 --phases dumps,batch,queries,serve --repeats 5

`--reads-only` publishes the synthetic data with the raw bulk loader instead of `visitgraph build`
(full SHACL at 1M visits takes longer than a bench run; its rate is measured at smaller scales), then
measures everything that reads: dumps, saved queries, the batch-of-100 validation, serve memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import pyoxigraph as ox  # noqa: E402
import synth  # noqa: E402

from visitgraph.core.config import load_settings  # noqa: E402
from visitgraph.queries.catalog import discover_queries, run_saved_query  # noqa: E402
from visitgraph.sources.validate import load_shapes, shapes_files, validate_store  # noqa: E402
from visitgraph.store.embedded import EmbeddedStore, now_iso  # noqa: E402

PY = sys.executable
OXIGRAPH = str(Path(sys.executable).parent / "oxigraph")


def run_timed(cmd: list[str], **kw: Any) -> tuple[float, int, str]:
    """Run a command; return (seconds, its peak RSS in MiB, its stdout)."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, **kw)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err.read().decode()[-2000:]}")
        return elapsed, int(usage.ru_maxrss / 1024), out.read().decode()


def data_files(project: Path) -> list[Path]:
    return sorted(p for p in (project / "data").rglob("*") if p.suffix in (".nt", ".ttl")) + sorted(
        (project / "ontology").glob("*.ttl")
    )


def raw_load(project: Path, work: Path) -> float:
    """Time `oxigraph load` of the same files (the reference); Turtle files get the base IRI."""
    location = work / "raw-oxigraph"
    shutil.rmtree(location, ignore_errors=True)
    files = [str(p) for p in data_files(project)]
    start = time.monotonic()
    subprocess.run(
        [OXIGRAPH, "load", "--location", str(location), "--base", synth.BASE, "--file", *files],
        check=True,
        capture_output=True,
    )
    elapsed = time.monotonic() - start
    shutil.rmtree(location, ignore_errors=True)
    return elapsed


def publish_raw(project: Path) -> tuple[float, int]:
    """Publish with the bulk loader only (for --reads-only): a generation readers can open."""
    settings = load_settings(project, environ={})
    store = EmbeddedStore(settings.store)
    start = time.monotonic()
    with store.stage() as staged:
        s = staged.writable()
        for f in data_files(project):
            fmt = ox.RdfFormat.N_TRIPLES if f.suffix == ".nt" else ox.RdfFormat.TURTLE
            graph = ox.NamedNode(f"{settings.base_iri}graph/{f.relative_to(project).as_posix()}")
            s.bulk_load(path=str(f), format=fmt, base_iri=settings.base_iri, to_graph=graph)
        triples = len(s)
        staged.commit("bench-raw", note="bulk load without validation (benchmark of reads)")
    return time.monotonic() - start, triples


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def saved_query_latency(project: Path, repeats: int, timeout: float) -> dict[str, dict[str, Any]]:
    """p50/p95 of each saved query, cold (no result cache), as the service runs them: pages from the
    generation's stored answers where they apply, else SPARQL in a query worker stopped at `timeout`.

    Each query is measured with its default parameters, then with other values of each parameter
    (filter values read from the stored answer; another anchor value runs as SPARQL).
    """
    from visitgraph.queries.answerindex import for_store
    from visitgraph.workers.executor import ExecutorReader, QueryExecutor

    settings = load_settings(project, {"result_cache": 0, "query_timeout": timeout, "client_budget": 1e9}, environ={})
    embedded = EmbeddedStore(settings.store)
    executor = QueryExecutor(settings, embedded)
    store = ExecutorReader(executor)
    out: dict[str, dict[str, Any]] = {}
    try:
        return _latencies(project, settings, store, repeats, out, for_store(embedded))
    finally:
        executor.close()


def _variants(query: Any) -> list[dict[str, str]]:
    """Other parameter values worth timing: each filter's choices/example, each anchor's example."""
    found: list[dict[str, str]] = []
    for p in query.params:
        values = list(p.choices) + [v for v in (p.example, p.default) if v]
        if p.type == "xsd:date":
            values += ["2019-01-01" if p.filter and p.filter[1] == ">=" else "2019-12-31"]
        if p.type == "country":
            values += ["DE", "TR"]
        if p.type == "xsd:integer":
            values += ["5"]
        if p.is_iri and p.type.endswith("Person"):
            values += ["person/syn-0000042"]
        if p.is_iri and p.type.endswith("Organization"):
            values += ["organization/syn-000007"]
        for value in dict.fromkeys(values):
            if value != p.default:
                found.append({p.name: value})
    return found[:4]


def _time(
    store: Any,
    settings: Any,
    query: Any,
    values: dict[str, str],
    repeats: int,
    answers: Any,
    offsets: tuple[int, ...] = (0,),
) -> dict[str, Any]:
    samples: list[float] = []
    source = "?"
    budget = time.monotonic() + 120  # at most two minutes per case, whatever the scale
    while len(samples) < repeats and (len(samples) < 2 or time.monotonic() < budget):
        start = time.perf_counter()
        try:
            page = run_saved_query(
                store,
                query,
                values,
                20,
                offsets[len(samples) % len(offsets)],
                base_iri=settings.base_iri,
                max_rows=1000,
                answers=answers,
            )
        except Exception as e:  # timed out, or a parameter absent from the data
            return {"error": str(e)[:120], "runs": len(samples)}
        samples.append((time.perf_counter() - start) * 1000)
        source = page.source
    return {
        "p50_ms": round(percentile(samples, 0.5), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "runs": len(samples),
        "paged": query.paged,
        "source": source,
    }


def _latencies(
    project: Path, settings: Any, store: Any, repeats: int, out: dict[str, Any], answers: Any = None
) -> dict[str, Any]:
    for query in discover_queries(project):
        # Pages 1, 2, 6 and 51 in turn: a stored answer must be as quick deep into the list.
        out[query.name] = _time(store, settings, query, {}, repeats, answers, offsets=(0, 20, 100, 1000))
        variants = {
            "&".join(f"{k}={v}" for k, v in values.items()): _time(
                store, settings, query, values, max(2, repeats // 2), answers
            )
            for values in _variants(query)
        }
        if variants:
            out[query.name]["variants"] = variants
        print(f"  {query.name}: {out[query.name]}", file=sys.stderr, flush=True)
    return out


def batch_validation(project: Path, work: Path, batch: int = 100) -> float:
    """Validate `batch` new visits against the published store with their context only (seconds)."""
    settings = load_settings(project, environ={})
    gen = EmbeddedStore(settings.store).require_current()
    copy = work / "validate-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(gen.path, copy)
    store = ox.Store(str(copy))
    rng = synth.random.Random(99)
    people = [(f"{synth.BASE}person/syn-{i:07d}", "x", f"{synth.BASE}organization/syn-{i % 50:06d}") for i in range(50)]
    lines = "".join(
        line for i in range(10_000_000, 10_000_000 + batch) for line in synth.visit_lines(i, rng, people, [])
    )
    graph = ox.NamedNode(f"{synth.BASE}graph/new-batch")
    store.load(lines.encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    nodes = sorted(
        {
            q.subject.value
            for q in store.quads_for_pattern(None, None, None, graph)
            if isinstance(q.subject, ox.NamedNode)
        }
    )
    shapes = load_shapes(shapes_files(project))
    start = time.monotonic()
    report = validate_store(store, shapes, base=settings.base_iri, nodes=nodes, engine=settings.shacl_engine)
    elapsed = time.monotonic() - start
    assert report.conforms, report.to_text()[:2000]
    del store
    shutil.rmtree(copy, ignore_errors=True)
    return elapsed


def serve_memory(project: Path, port: int, repeats: int = 3) -> dict[str, Any]:
    """Start `visitgraph serve`, call every saved query's JSON and /sparql, report peak RSS of the tree."""
    env = {**os.environ, "VISITGRAPH_QUERY_TIMEOUT": "60"}
    proc = subprocess.Popen(
        [PY, "-m", "visitgraph", "--root", str(project), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "/-/health", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        names = [q.name for q in discover_queries(project)]
        for _ in range(repeats):
            for name in names:
                try:
                    urllib.request.urlopen(f"{url}/queries/{name}.json", timeout=120).read()
                except OSError:
                    pass
        return {"peak_rss_mib": _tree_peak_rss(proc.pid)}
    finally:
        proc.terminate()
        proc.wait(30)


def _tree_peak_rss(pid: int) -> int:
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total // 1024


PHASES = ("generate", "raw", "build", "write", "index", "dumps", "batch", "queries", "serve")


def write_batch(project: Path, batch: int = 100) -> dict[str, Any]:
    """Publish `batch` new visits as one write (the path SPARQL Update and the Graph Store take), then
    time a refused write: one visit without a visitor. Settings come from the environment too, so
    `VISITGRAPH_ANSWER_INDEX=false` measures the write without re-storing the saved queries' answers."""
    from visitgraph.core.errors import ShapesViolation
    from visitgraph.publish.writes import write_update

    settings = load_settings(project)
    store = EmbeddedStore(settings.store)
    rng = synth.random.Random(7)
    people = [(f"{synth.BASE}person/syn-{i:07d}", "x", f"{synth.BASE}organization/syn-{i % 50:06d}") for i in range(50)]
    first = 20_000_000 + len(store.history()) * 10_000
    lines = "".join(line for i in range(first, first + batch) for line in synth.visit_lines(i, rng, people, []))
    graph = f"{synth.BASE}graph/changes/bench-{first}"
    start = time.monotonic()
    report = write_update(
        settings, store, f"INSERT DATA {{ GRAPH <{graph}> {{\n{lines}}} }}", who="bench", what=f"{batch} new visits"
    )
    accepted = time.monotonic() - start
    bad = f"{synth.BASE}visit/syn-bad-{first}"
    refused_update = (
        f"INSERT DATA {{ GRAPH <{graph}-bad> {{ <{bad}> a <{synth.VG}Visit> ; "
        f'<{synth.S}name> "A visit without visitors" ; '
        f'<{synth.S}startDate> "2020-01-01"^^<{synth.XSD}date> }} }}'
    )
    start = time.monotonic()
    try:
        write_update(settings, store, refused_update, who="bench", what="a visit without visitors")
        raise AssertionError("a visit without visitors was published")
    except ShapesViolation as e:
        refused = time.monotonic() - start
        reasons = len(e.report.violations)
    return {
        "visits": batch,
        "accepted_s": round(accepted, 2),
        "timings": report.timings,
        "reused": report.reused,
        "answers_stored": bool(report.answers),
        "refused_s": round(refused, 2),
        "refused_violations": reasons,
    }


def bench_scale(
    visits: int,
    out_dir: Path,
    reads_only: bool,
    repeats: int,
    query_timeout: float = 30.0,
    dump_formats: tuple[str, ...] = ("nt", "ttl", "nq", "trig", "jsonld"),
    phases: tuple[str, ...] = PHASES,
    previous: dict[str, Any] | None = None,
    serve_repeats: int = 3,
) -> dict[str, Any]:
    """Run the chosen phases at one scale; results of earlier runs (`previous`) are kept and updated.

    Phases run in order on the same project folder, so a long build can be measured in one run and
    the reads in a later one (`--phases dumps,batch,queries,serve`) without generating again.
    """
    work = Path(os.environ.get("BENCH_WORK", "/tmp/visitgraph-bench")) / f"v{visits}"
    project = work / "project"
    result: dict[str, Any] = {**(previous or {}), "visits": visits}
    if "generate" in phases:
        start = time.monotonic()
        result["triples_written"] = synth.generate(visits, project, progress=True)
        result["generate_s"] = round(time.monotonic() - start, 2)
        print(f"[{visits}] generated {result['triples_written']} triples in {result['generate_s']} s", file=sys.stderr)
    if "raw" in phases:
        result["raw_oxigraph_load_s"] = round(raw_load(project, work), 2)
        print(f"[{visits}] raw oxigraph load {result['raw_oxigraph_load_s']} s", file=sys.stderr)
    if "build" in phases and reads_only:
        seconds, triples = publish_raw(project)
        result.update(mode="reads-only (bulk load, no SHACL)", publish_s=round(seconds, 2), triples=triples)
    elif "build" in phases:
        seconds, rss, stdout = run_timed([PY, "-m", "visitgraph", "--root", str(project), "build", "--json"])
        report = json.loads(stdout)
        result.update(
            mode="visitgraph build",
            build_s=round(seconds, 2),
            build_peak_rss_mib=rss,
            triples=report["triples"],
            timings=report["timings"],
        )
        result["build_rate_tps"] = round(report["triples"] / seconds)
        result["ratio_build_vs_raw_load"] = round(seconds / result["raw_oxigraph_load_s"], 2)
    if "build" in phases:
        print(f"[{visits}] published: {result}", file=sys.stderr)
    if "write" in phases:
        result["write"] = write_batch(project)
        print(f"[{visits}] write {result['write']}", file=sys.stderr)
    if "index" in phases:  # the stored answers alone (build also stores them, timed as index_s)
        seconds, rss, stdout = run_timed([PY, "-m", "visitgraph", "--root", str(project), "queries", "index", "--json"])
        report = json.loads(stdout)
        result["index"] = {
            "seconds": round(seconds, 2),
            "peak_rss_mib": rss,
            "stored": report["stored"],
            "skipped": report["skipped"],
            "per_query": {n: {k: e.get(k) for k in ("rows", "seconds")} for n, e in report["queries"].items()},
        }
        print(f"[{visits}] index {result['index']}", file=sys.stderr)
    if "dumps" in phases:
        result["dump_s"] = {}
        for fmt in dump_formats:
            seconds, _, _ = run_timed(
                [
                    PY,
                    "-m",
                    "visitgraph",
                    "--root",
                    str(project),
                    "dump",
                    "--format",
                    fmt,
                    "-o",
                    str(work / f"dump.{fmt}"),
                ]
            )
            result["dump_s"][fmt] = round(seconds, 2)
            (work / f"dump.{fmt}").unlink(missing_ok=True)
        print(f"[{visits}] dumps {result['dump_s']}", file=sys.stderr)
    if "batch" in phases:
        # The curve: time against the batch size here, and against the store size across scales.
        result["validate_batch_s"] = {str(n): round(batch_validation(project, work, n), 2) for n in (10, 100, 1000)}
        result["validate_batch_of_100_s"] = result["validate_batch_s"]["100"]
        print(f"[{visits}] batch-of-100 validation {result['validate_batch_of_100_s']} s", file=sys.stderr)
    if "queries" in phases:
        result["saved_queries"] = saved_query_latency(project, repeats, query_timeout)
        print(f"[{visits}] saved queries done", file=sys.stderr)
    if "serve" in phases:
        result["serve"] = serve_memory(project, 18000 + visits % 1000, serve_repeats)
        print(f"[{visits}] serve {result['serve']}", file=sys.stderr)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--scales", default="1000,100000")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--reads-only", action="store_true")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--query-timeout", type=float, default=30.0, help="budget of one saved query (s)")
    parser.add_argument("--dump-formats", default="nt,ttl,nq,trig,jsonld")
    parser.add_argument(
        "--serve-repeats", type=int, default=3, help="calls of every saved query while serve's memory is watched"
    )
    parser.add_argument(
        "--phases",
        default=",".join(PHASES),
        help="comma-separated subset of " + ",".join(PHASES) + " (later phases reuse the project)",
    )
    args = parser.parse_args()
    phases = tuple(p for p in args.phases.split(",") if p)
    unknown = sorted(set(phases) - set(PHASES))
    if unknown:
        parser.error(f"unknown phase(s) {', '.join(unknown)}; choose from {', '.join(PHASES)}")
    args.out.mkdir(parents=True, exist_ok=True)
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "when": now_iso(),
        "pyoxigraph": ox.__version__,
    }
    for scale in [int(s) for s in args.scales.split(",")]:
        name = f"scale-{scale}{'-reads' if args.reads_only else ''}.json"
        previous = (
            json.loads((args.out / name).read_text()) if "generate" not in phases and (args.out / name).exists() else {}
        )
        runs = {**previous.get("machine_runs", {}), ",".join(phases): machine}
        result = bench_scale(
            scale,
            args.out,
            args.reads_only,
            args.repeats,
            args.query_timeout,
            tuple(args.dump_formats.split(",")),
            phases,
            previous,
            args.serve_repeats,
        )
        result.update(machine=machine, machine_runs=runs)
        (args.out / name).write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
