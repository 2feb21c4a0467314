"""Mutate the SHACL shapes and check that some test fails on each mutant.

Usage (from the repository root):

    .venv/bin/python tools/mutation_shapes.py --budget 1200

Each mutant deletes one constraint or target triple of `shapes/visitgraph-shapes.ttl`, loosens a
maximum count by one, turns a Violation into a Warning, or narrows the privacy shape to persons only. It is
written to a scratch folder, and `tests/unit/sources/test_shapes.py` (fast: no store, no build) runs against it
through `SHAPES_UNDER_TEST`. A mutant on which every test passes survives. Each test run is a forked
child of this process, which imported pytest, rdflib, pyshacl and visitgraph once (a fresh interpreter
per mutant spent most of its time importing them); the child imports the test module itself. The
fixtures whose `# expect:`/`# also:` lines name the mutated shape (or one of its property shapes) run
first, with `test_mini_conforms`; the whole file runs only when they all pass, so a survivor has
passed every test. The results go to
tools/mutation-results/shapes.json and into docs/mutation-report.md, with the other targets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import rdflib
from rdflib.namespace import SH

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutation import RESULTS, ROOT, WORK, write_report  # noqa: E402

SHAPES = ROOT / "shapes" / "visitgraph-shapes.ttl"
TESTS = ["tests/unit/sources/test_shapes.py"]
SCHEMA = rdflib.Namespace("http://schema.org/")
DELETABLE = [
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH["class"],
    SH.pattern,
    SH["in"],
    SH.hasValue,
    SH.nodeKind,
    SH.node,
    SH["or"],
    SH.uniqueLang,
    SH.languageIn,
    SH.minLength,
    SH.maxLength,
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.targetNode,
    SH.property,
]


def _short(graph: rdflib.Graph, node: Any) -> str:
    return str(node.n3(graph.namespace_manager)) if isinstance(node, rdflib.term.Identifier) else str(node)


def mutants(graph: rdflib.Graph) -> Iterator[tuple[str, Any, rdflib.Graph]]:
    """Yield (description, mutated shape, mutated graph) triples, in a stable order: the privacy narrowing and target
    deletions first (what hurts users most when a run is cut short), then each constraint."""
    privacy = rdflib.URIRef("https://w3id.org/visitgraph/shapes#PrivacyShape")
    if (privacy, SH.targetSubjectsOf, None) in graph:
        g = _copy(graph)
        g.remove((privacy, SH.targetSubjectsOf, None))
        g.add((privacy, SH.targetClass, SCHEMA.Person))
        yield "privacy shape targets persons only (`sh:targetClass schema:Person`)", privacy, g
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
    triples = sorted(
        (t for t in graph if isinstance(t[0], rdflib.URIRef)), key=lambda t: (t[1] not in targets, *map(str, t))
    )
    for s, p, o in triples:
        what = f"{_short(graph, s)} {_short(graph, p)} {_short(graph, o)}"
        if p in DELETABLE:
            g = _copy(graph)
            g.remove((s, p, o))
            yield f"delete `{what}`", s, g
        if p == SH.maxCount and isinstance(o, rdflib.Literal):  # (every sh:minCount is 1: deleting it = minus one)
            g = _copy(graph)
            g.set((s, p, rdflib.Literal(int(o) + 1)))
            yield f"loosen `{what}` by one", s, g
        if p == SH.severity and o == SH.Violation:
            g = _copy(graph)
            g.set((s, p, SH.Warning))
            yield f"`{_short(graph, s)}` reported as a Warning", s, g


def _copy(graph: rdflib.Graph) -> rdflib.Graph:
    g = rdflib.Graph()
    for prefix, ns in graph.namespaces():
        g.bind(prefix, ns)
    for t in graph:
        g.add(t)
    return g


PYTEST_ARGS = [
    "-x",
    "-q",
    "-p",
    "no:randomly",
    "-p",
    "no:cacheprovider",
    "-p",
    "no:hypothesispytest",
    "-p",
    "no:schemathesis",
]
#: Fixture folders, the test that loads each fixture, and the header lines naming the shapes it trips.
FIXTURES = [
    ("invalid", "test_fixture_violates_exactly_its_headers", "expect|also"),
    ("advisory", "test_advisory_fixture_warns_exactly_its_headers", "warn"),
]


def fixture_shapes() -> dict[str, set[str]]:
    """Map each fixture's test id to the shape IRIs its header lines name."""
    out: dict[str, set[str]] = {}
    for folder, test, kinds in FIXTURES:
        for path in sorted((ROOT / "tests" / "data" / folder).glob("*.ttl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if m := re.match(rf"#\s*({kinds}):\s*(\S+)", line):
                    out.setdefault(f"{TESTS[0]}::{test}[{path.stem}]", set()).add(m.group(2))
    return out


def first_tests(graph: rdflib.Graph, shape: Any, fixtures: dict[str, set[str]]) -> list[str]:
    """Return the test ids most likely to fail on a mutant of `shape`: the fixtures naming it, one of
    its property shapes or the node shape it belongs to, and the valid data's test."""
    near = {str(shape)} | {str(o) for o in graph.objects(shape, SH.property)}
    near |= {str(n) for n in graph.subjects(SH.property, shape)}
    return [f"{TESTS[0]}::test_mini_conforms"] + [test for test, named in fixtures.items() if named & near]


def _preload() -> None:
    """Import what every test run needs, once, so that forked children start at once."""
    import pyoxigraph  # noqa: F401
    import pyshacl  # noqa: F401
    import pytest  # noqa: F401

    import visitgraph.sources.load  # noqa: F401
    import visitgraph.sources.validate  # noqa: F401


def run_tests(folder: Path, timeout: float, tests: list[str] = TESTS) -> int:
    """Run `tests` against the shapes in `folder` in a forked child; return its exit code
    (-1 when it ran past `timeout` and was killed)."""
    pid = os.fork()
    if pid == 0:  # the child: quiet, in the repository root, pointed at the mutated shapes
        code = 3
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.chdir(ROOT)
            os.environ["SHAPES_UNDER_TEST"] = str(folder)
            import pytest

            code = int(pytest.main([*PYTEST_ARGS, *tests]))
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -1
        time.sleep(0.05)


def run(budget: float, timeout: float, only: frozenset[int] = frozenset()) -> dict[str, Any]:
    """Test every shapes mutant within `budget` seconds and return the summary."""
    graph = rdflib.Graph().parse(SHAPES, format="turtle")
    folder = WORK / "shapes"
    folder.mkdir(parents=True, exist_ok=True)
    _preload()
    started, begun = dt.datetime.now(dt.UTC), time.monotonic()
    counts = {"killed": 0, "survived": 0, "incompetent": 0, "skipped": 0, "not run": 0}
    survivors = []
    todo = list(mutants(graph))
    (folder / SHAPES.name).write_text(SHAPES.read_text(encoding="utf-8"), encoding="utf-8")
    if run_tests(folder, timeout) != 0:
        raise SystemExit("Error: tests/unit/sources/test_shapes.py fails on the unmutated shapes; fix that first")
    fixtures = fixture_shapes()
    for n, (what, shape, mutated) in enumerate(todo):
        if n and time.monotonic() - begun > budget:
            counts["not run"] = len(todo) - n
            break
        if only and n + 1 not in only:
            continue
        (folder / SHAPES.name).write_text(mutated.serialize(format="turtle"), encoding="utf-8")
        rc = run_tests(folder, timeout, first_tests(graph, shape, fixtures))  # -1: a hang is caught
        if rc == 0:
            rc = run_tests(folder, timeout)
        if rc == 0:
            counts["survived"] += 1
            survivors.append({"line": n, "operator": "shape", "occurrence": 0, "diff": f"+ {what}"})
        else:
            counts["killed"] += 1
        print(f"{n + 1}/{len(todo)} {'SURVIVED' if rc == 0 else 'killed'}: {what}", flush=True)
    if only:
        return counts  # a re-check of chosen mutants: the stored results stay those of the last full run
    summary = {
        "target": "shapes",
        "module": "shapes/visitgraph-shapes.ttl",
        "tests": TESTS,
        "functions": None,
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "finished": counts["not run"] == 0,
        "command": "python tools/mutation_shapes.py",
        "counts": counts,
        "survivors": survivors,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "shapes.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary


def main() -> None:
    """Parse arguments, run the shapes mutants and rewrite the report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budget", type=float, default=1800.0, help="seconds in all (default 1800)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per mutant (default 120)")
    parser.add_argument("--list", action="store_true", help="only list the mutants, numbered")
    parser.add_argument(
        "--only",
        type=int,
        nargs="+",
        default=[],
        metavar="N",
        help="re-check only these mutants (numbers as listed); the stored results are kept",
    )
    args = parser.parse_args()
    if args.list:
        for n, (what, _, _) in enumerate(mutants(rdflib.Graph().parse(SHAPES, format="turtle"))):
            print(f"{n + 1}: {what}")
        return
    if args.only:
        print(run(float("inf"), args.timeout, frozenset(args.only)))
        return
    print(run(args.budget, args.timeout)["counts"])
    write_report()


if __name__ == "__main__":
    main()
