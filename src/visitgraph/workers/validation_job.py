"""SHACL validation of a posted graph, as a job for a query worker (killable, memory-capped, budgeted).

The shapes and the ontology are read once per worker process and project root; the posted
graph is parsed with the bounded parser (depth limit, no XML entities) inside the worker, so
neither a parser crash nor a slow validation can touch the server process. The report is cut to
its first `max_rows` results here, in the worker, before it is sent back: a small body can have
tens of thousands of results, and only the cut report ever reaches the server process.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.formats import get_format

if TYPE_CHECKING:
    from visitgraph.sources.validate import ValidationReport, ValidationResult

#: First element of a validation job: (VALIDATE, settings, body bytes, format name of :mod:`visitgraph.core.formats`).
VALIDATE = "validate"
_CONTEXTS: dict[str, tuple[Any, list[ox.Quad]]] = {}
_SH_RESULT = ox.NamedNode(vocab.SH + "result")
_SH_FOCUS = ox.NamedNode(vocab.SH + "focusNode")
_SH_SEVERITY = ox.NamedNode(vocab.SH + "resultSeverity")


@dataclass(frozen=True)
class CappedReport:
    """A validation report cut to its first `max_rows` results (violations first), with the whole report's counts."""

    report: ValidationReport  # the results shown, and the SHACL report in Turtle of those results only
    violations: int
    warnings: int
    max_rows: int

    @property
    def total(self) -> int:
        return self.violations + self.warnings

    @property
    def shown(self) -> int:
        return len(self.report.results)

    @property
    def truncated(self) -> bool:
        return self.shown < self.total

    @property
    def conforms(self) -> bool:
        return not self.violations

    def cut_message(self) -> str:
        """Say how many results there are and how many are shown (empty when none is left out)."""
        if not self.truncated:
            return ""
        return (
            f"The report has {self.total} results ({self.violations} violation(s), {self.warnings} warning(s)); "
            f"only the first {self.shown} are shown, violations first (setting max_rows = {self.max_rows}). "
            "Fix these, or send fewer records at a time, to see the rest."
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready mapping: the whole report's counts, the results shown."""
        out = {**self.report.to_dict(), "conforms": self.conforms, "violations": self.violations}
        out["warnings"] = self.warnings
        if self.truncated:
            out["truncated"] = {
                "results": self.total,
                "shown": self.shown,
                "max_rows": self.max_rows,
                "message": self.cut_message(),
            }
        return out


def cap_report(report: ValidationReport, max_rows: int) -> CappedReport:
    """Cut a report to its first `max_rows` results (at least one), its Turtle to the same results.

    :param max_rows: the most results kept (setting `max_rows`).
    """
    keep = max(1, max_rows)
    capped = CappedReport(report, len(report.violations), len(report.warnings), keep)
    if len(report.results) <= keep:
        return capped
    shown = report.results[:keep]
    capped = replace(capped, report=replace(report, results=shown))
    turtle = _cut_turtle(report.report_turtle, shown)
    return replace(capped, report=replace(capped.report, report_turtle=f"# {capped.cut_message()}\n{turtle}"))


def _cut_turtle(turtle: str, shown: list[ValidationResult]) -> str:
    """Keep of a SHACL report in Turtle the report nodes and the results `shown` (with their blank nodes).

    Read in streaming passes (the whole report as objects would cost far more than its text): the first
    picks the `sh:result` nodes matching the shown results by focus node and severity (others in their
    place when a blank focus node, named anew by the parser, does not match); the next ones collect what
    those nodes reach, until a pass adds no blank node.
    """
    reports: set[Any] = set()
    results: list[Any] = []
    focus: dict[Any, str] = {}
    severity: dict[Any, str] = {}
    for q in _quads(turtle):
        if q.predicate == _SH_RESULT:
            reports.add(q.subject)
            results.append(q.object)
        elif q.predicate == _SH_FOCUS and not isinstance(q.object, ox.Triple):
            focus[q.subject] = q.object.value
        elif q.predicate == _SH_SEVERITY and not isinstance(q.object, ox.Triple):
            severity[q.subject] = q.object.value
    wanted = Counter((r.focus, vocab.SH + r.severity) for r in shown)
    kept: list[Any] = []
    for node in results:
        key = (focus.get(node, ""), severity.get(node, ""))
        if wanted[key] > 0:
            wanted[key] -= 1
            kept.append(node)
    chosen = set(kept)
    kept += [n for n in results if n not in chosen][: len(shown) - len(kept)]
    reach, grown = set(kept), True
    out: dict[ox.Quad, None] = {}
    while grown:
        grown = False
        for q in _quads(turtle):
            if q.subject in reach or (q.subject in reports and (q.predicate != _SH_RESULT or q.object in reach)):
                out[q] = None
                if q.subject in reach and isinstance(q.object, ox.BlankNode) and q.object not in reach:
                    reach.add(q.object)
                    grown = True
    return (ox.serialize(list(out), format=ox.RdfFormat.TURTLE, prefixes={"sh": vocab.SH}) or b"").decode()


def _quads(turtle: str) -> Iterator[ox.Quad]:
    return ox.parse(turtle, format=ox.RdfFormat.TURTLE)


def _context(settings: Any) -> tuple[Any, list[ox.Quad]]:
    """Return (shapes graph, ontology quads) of a project, read once per process."""
    from visitgraph.sources.load import discover_sources, read_source
    from visitgraph.sources.validate import load_shapes, shapes_files

    key = str(settings.root)
    if key not in _CONTEXTS:
        ontology = [q for s in discover_sources(settings) if s.kind == "ontology" for q in read_source(settings, s)]
        _CONTEXTS[key] = (load_shapes(shapes_files(settings.root)), ontology)
    return _CONTEXTS[key]


def _rdf_format(name: str) -> ox.RdfFormat:
    found = get_format(name).rdf
    if found is None:
        raise ValueError(f"{name} is not an RDF format")
    return found


def answer_validation(job: tuple[Any, ...]) -> tuple[CappedReport, int]:
    """Run one validation job: return (the report cut to `max_rows` results, the number of triples posted).

    :raises DataSyntaxError: the body does not parse (400).
    :raises InputTooDeep: the body nests too deep or declares XML entities (400).
    """
    from visitgraph.sources.load import parse_rdf
    from visitgraph.sources.validate import validate_quads

    _, settings, data, format_name = job
    quads = parse_rdf(
        data,
        base_iri=settings.base_iri,
        name="request body",
        rdf_format=_rdf_format(format_name),
        max_depth=int(settings.max_depth),
    )
    shapes, ontology = _context(settings)
    report = validate_quads(quads + ontology, shapes, base=settings.base_iri, engine=settings.shacl_engine)
    return cap_report(report, int(settings.max_rows)), len(quads)
