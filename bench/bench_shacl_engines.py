"""SHACL engines side by side: whole-graph validation of N synthetic visits, time and agreement with pyshacl.

Examples:

    python bench/bench_shacl_engines.py --visits 10000
    python bench/bench_shacl_engines.py --visits 10000 --engines pyshacl,shacl,shacl_rust,pyshacl_turbo,pyshifty

`pyshacl` and `shacl` go through `visitgraph.sources.validate.validate_quads` (the project's mapping of the
results). The other candidates of decision 0033 are not dependencies: install them by hand to
compare (`pip install shacl-rust pyshacl-turbo pyshifty`); each is given the same union graph and
shapes, and its results are compared with pyshacl's as (focus node, constraint component, severity).
`cpu_s` is the process's CPU time (all threads): on a shared machine it says more than the wall time.
A planted violation per 1,000 visits (a visit without a name) makes the comparison non-trivial.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import rdflib

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402

from visitgraph.core import vocab  # noqa: E402
from visitgraph.core.config import load_settings  # noqa: E402
from visitgraph.sources.load import discover_sources, read_source  # noqa: E402
from visitgraph.sources.validate import load_shapes, shapes_files, validate_quads  # noqa: E402

Key = set[tuple[str, str, str]]


def project_quads(visits: int, folder: Path) -> tuple[str, list[ox.Quad]]:
    """Generate a synthetic project and read it; drop the name of every 1,000th synthetic visit."""
    synth.generate(visits, folder)
    settings = load_settings(folder, {"store": str(folder / "var")}, environ={})
    quads = [q for s in discover_sources(settings) for q in read_source(settings, s)]
    name = vocab.SCHEMA + "name"
    dropped = {f"{synth.BASE}visit/syn-{i:07d}" for i in range(0, visits, 1000)}
    return settings.base_iri, [q for q in quads if not (q.predicate.value == name and q.subject.value in dropped)]


def nt(quads: list[ox.Quad]) -> str:
    return (ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b"").decode()


def strip(term: str) -> str:
    return term[1:-1] if term.startswith("<") and term.endswith(">") else term


def report_key(graph: rdflib.Graph) -> Key:
    sh = rdflib.Namespace(vocab.SH)
    return {
        (
            str(graph.value(r, sh.focusNode)),
            str(graph.value(r, sh.sourceConstraintComponent)),
            str(graph.value(r, sh.resultSeverity)).rsplit("#", 1)[-1],
        )
        for r in graph.subjects(rdflib.RDF.type, sh.ValidationResult)
    }


def engines(shapes: rdflib.Graph, base: str) -> dict[str, Callable[[list[ox.Quad]], Key]]:
    shapes_nt = shapes.serialize(format="nt")

    def project(engine: str) -> Callable[[list[ox.Quad]], Key]:
        def run(quads: list[ox.Quad]) -> Key:
            report = validate_quads(quads, shapes, base=base, engine=engine)
            return {(r.focus, r.constraint or "", r.severity) for r in report.results}

        return run

    def shacl_rust(quads: list[ox.Quad]) -> Key:
        import shacl_rust as engine  # type: ignore[import-not-found]

        report = engine.validate(nt(quads), shapes_nt, data_format="nt", shapes_format="nt")
        return {
            (strip(r["focusNode"]), strip(r["sourceConstraintComponent"]), strip(r["severity"]).rsplit("#", 1)[-1])
            for r in report["results"]
        }

    def pyshacl_turbo(quads: list[ox.Quad]) -> Key:
        import pyshacl_turbo as engine  # type: ignore[import-not-found]

        data = rdflib.Graph().parse(data=nt(quads), format="nt")
        _, graph, _ = engine.validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
        return report_key(graph)

    def pyshifty(quads: list[ox.Quad]) -> Key:
        import shifty as engine  # type: ignore[import-not-found]

        data = rdflib.Graph().parse(data=nt(quads), format="nt")
        _, graph, _ = engine.validate(data, shacl_graph=shapes)
        return report_key(graph)

    return {
        "pyshacl": project("pyshacl"),
        "shacl": project("shacl"),
        "shacl_rust": shacl_rust,
        "pyshacl_turbo": pyshacl_turbo,
        "pyshifty": pyshifty,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--engines", default="pyshacl,shacl")
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    shapes = load_shapes(shapes_files(root))
    with tempfile.TemporaryDirectory() as tmp:
        base, quads = project_quads(args.visits, Path(tmp) / "project")
    table = engines(shapes, base)
    out: dict[str, dict[str, object]] = {}
    reference: Key | None = None
    for name in args.engines.split(","):
        start, cpu = time.monotonic(), time.process_time()
        try:
            found = table[name](quads)
        except ImportError as e:
            out[name] = {"error": f"not installed: {e}"}
            continue
        seconds, cpu = time.monotonic() - start, time.process_time() - cpu
        reference = found if name == "pyshacl" else reference
        out[name] = {
            "seconds": round(seconds, 2),
            "cpu_s": round(cpu, 2),
            "results": len(found),
            "violations": sum(1 for k in found if k[2] == "Violation"),
            "same_as_pyshacl": None if reference is None else found == reference,
        }
        print(name, out[name], file=sys.stderr)
    print(json.dumps({"visits": args.visits, "triples": len(quads), "engines": out}, indent=2))


if __name__ == "__main__":
    main()
