"""SHACL validation with pyshacl: a report that names file, record, property and what to fix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate

from visitgraph import vocab
from visitgraph.errors import DataSyntaxError

SH = rdflib.Namespace(vocab.SH)


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, resolved to the file that holds the record."""

    severity: str  # "Violation" | "Warning" | "Info"
    focus: str
    path: str | None
    message: str
    shape: str | None
    constraint: str | None
    value: str | None
    file: str | None

    def describe(self, base: str | None = None) -> str:
        """Say the result as one line: file, record, property, message."""
        where = f"{self.file}: " if self.file else ""
        prop = f" {vocab.shorten(self.path)}" if self.path else ""
        shape = f" [{vocab.shorten(self.shape)}]" if self.shape else ""
        value = f" (value: {self.value})" if self.value and self.value != self.focus else ""
        return f"{where}{vocab.shorten(self.focus, base)}{prop}: {self.message}{value}{shape}"

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-ready mapping."""
        return {
            "severity": self.severity, "focus": self.focus, "path": self.path, "message": self.message,
            "shape": self.shape, "constraint": self.constraint, "value": self.value, "file": self.file,
        }


@dataclass
class ValidationReport:
    """The outcome of validating a graph: it conforms when it has no Violation."""

    results: list[ValidationResult]
    report_turtle: str = ""
    focus_count: int | None = None
    base: str | None = field(default=None, repr=False)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready mapping."""
        return {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "results": [r.to_dict() for r in self.results],
        }

    def to_text(self) -> str:
        """Render the report for people, violations first."""
        if not self.results:
            return "Conforms: no violations, no warnings."
        lines = [
            f"{'Conforms' if self.conforms else 'Does not conform'}: "
            f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)."
        ]
        for r in self.violations + self.warnings:
            lines.append(f"  {r.severity.upper():9} {r.describe(self.base)}")
        return "\n".join(lines)


def load_shapes(paths: Sequence[Path]) -> rdflib.Graph:
    """Parse the SHACL shapes files into one rdflib graph.

    :raises DataSyntaxError: naming the shapes file that does not parse.
    """
    from visitgraph.load import parse_rdf

    graph = rdflib.Graph()
    for path in paths:
        quads = parse_rdf(path, base_iri=vocab.VGSH, name=str(path))
        graph.parse(data=ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES).decode(),
                    format="nt")
    return graph


def shapes_files(root: Path) -> list[Path]:
    """List the shapes files of a project, sorted."""
    return sorted((root / "shapes").glob("*.ttl"))


def to_rdflib(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """Merge quads of every graph into one rdflib graph (the union the public sees)."""
    data = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def record_files(quads: Iterable[ox.Quad], base: str) -> dict[str, str]:
    """Map each subject IRI to the source file that describes it (typed subjects first)."""
    prefix = vocab.graph_iri(base, "")
    typed: dict[str, str] = {}
    any_: dict[str, str] = {}
    for q in quads:
        if not isinstance(q.graph_name, ox.NamedNode) or not q.graph_name.value.startswith(prefix):
            continue
        rel = q.graph_name.value[len(prefix):]
        key = str(q.subject.value) if isinstance(q.subject, ox.NamedNode | ox.BlankNode) else ""
        if q.predicate.value == vocab.RDF_TYPE:
            typed.setdefault(key, rel)
        any_.setdefault(key, rel)
    return {**any_, **typed}


def _text(node: object) -> str | None:
    if node is None:
        return None
    return str(node)


def _shape_name(shape: object, owners: dict[str, str]) -> str | None:
    if shape is None:
        return None
    if isinstance(shape, rdflib.BNode):
        return owners.get(str(shape), "a property shape")
    return str(shape)


def validate_quads(
    quads: Sequence[ox.Quad],
    shapes: rdflib.Graph,
    *,
    base: str,
    focus_nodes: Sequence[str] | None = None,
) -> ValidationReport:
    """Validate quads (as their union graph) against shapes.

    :param focus_nodes: validate only these IRIs (a batch) with the rest as context.
    :raises DataSyntaxError: never for valid quads; kept for the shapes' own errors.
    """
    data = to_rdflib(quads)
    kwargs: dict[str, Any] = {}
    if focus_nodes is not None:
        kwargs["focus_nodes"] = [rdflib.URIRef(f) for f in focus_nodes]
    try:
        _, results_graph, _ = shacl_validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
            allow_infos=True, **kwargs,
        )
    except Exception as e:  # pyshacl raises its own error types for broken shapes
        raise DataSyntaxError("shapes/", None, None, f"the shapes cannot be used: {e}") from e
    files = record_files(quads, base)
    owners = {str(prop): str(node) for node, prop in shapes.subject_objects(SH.property)
              if isinstance(node, rdflib.URIRef)}
    results: list[ValidationResult] = []
    for res in results_graph.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results_graph.value(res, SH.focusNode)
        severity = results_graph.value(res, SH.resultSeverity)
        messages = sorted(str(m) for m in results_graph.objects(res, SH.resultMessage))
        results.append(ValidationResult(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=str(focus),
            path=_text(results_graph.value(res, SH.resultPath)),
            message=messages[0] if messages else "does not conform",
            shape=_shape_name(results_graph.value(res, SH.sourceShape), owners),
            constraint=_text(results_graph.value(res, SH.sourceConstraintComponent)),
            value=_text(results_graph.value(res, SH.value)),
            file=files.get(str(focus)),
        ))
    results.sort(key=lambda r: (r.severity != "Violation", r.file or "", r.focus, r.path or "", r.message))
    return ValidationReport(results, results_graph.serialize(format="turtle"), base=base)
