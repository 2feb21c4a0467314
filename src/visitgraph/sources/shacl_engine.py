"""The fast SHACL engine (the `shacl` package, in Rust) behind validate.py, with pyshacl as reference.

:func:`split_shapes` sends every shape the fast engine supports to it and the rest (SHACL-SPARQL,
SHACL-AF, custom constraint components, shapes listed in :data:`PYSHACL_ONLY`) to pyshacl;
:func:`validate_fast` runs the fast part and maps its results to the fields of
:class:`visitgraph.sources.validate.ValidationResult`, in the words pyshacl's path gives them: the same focus,
path, shape, constraint, value, and the shape's own `sh:message` (what the librarian reads).
tests/unit/sources/test_shacl_engine.py holds the two engines to the same violations.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
import rdflib.collection

from visitgraph.core import vocab
from visitgraph.sources.shacl_plan import (
    UNION_BASE,
    EngineFeedError,
    EnginePlan,
    component,
    engine_plan,
    own,
    report_text,
    shapes_text,
    unskolem,
    validate_file_with,
)
from visitgraph.sources.shaclpath import path_text as path_text

__all__ = ["EngineFeedError", "EnginePlan", "UNION_BASE", "engine_plan", "shapes_text"]

#: The values of the `shacl_engine` setting.
ENGINES = ("pyshacl", "shacl")

SH = rdflib.Namespace(vocab.SH)

#: SHACL Core predicates the fast engine implements (shacl 0.3.4: every W3C SHACL Core test that
#: applies gives pyshacl's results, tests/unit/sources/test_shacl_engine.py). A shape using any other `sh:` predicate
#: (sh:sparql, sh:rule, sh:target, sh:js…, sh:expression…) is validated by pyshacl.
CORE = frozenset(
    SH[name]
    for name in (
        "targetClass targetNode targetSubjectsOf targetObjectsOf property path inversePath alternativePath "
        "zeroOrMorePath oneOrMorePath zeroOrOnePath class datatype nodeKind minCount maxCount minExclusive "
        "minInclusive maxExclusive maxInclusive minLength maxLength pattern flags languageIn uniqueLang equals "
        "disjoint lessThan lessThanOrEquals not and or xone node qualifiedValueShape qualifiedMinCount "
        "qualifiedMaxCount qualifiedValueShapesDisjoint closed ignoredProperties hasValue in severity message "
        "deactivated name description order group defaultValue"
    ).split()
)

#: Shapes (IRIs) the fast engine is known to get wrong on this project's data: pyshacl checks them.
#: Empty: the differential test found none (decision 0033).
PYSHACL_ONLY: frozenset[str] = frozenset()

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass(frozen=True)
class FastResult:
    """One result of the fast engine, in the terms validate.py's ValidationResult uses."""

    severity: str
    focus: str
    path: str | None
    message: str
    shape: str | None
    constraint: str | None
    value: str | None


def _closure(shapes: rdflib.Graph, root: rdflib.term.Node) -> set[rdflib.term.Node]:
    """Return the root shape and every node its definition reaches (nested shapes, lists, paths)."""
    seen = {root}
    todo = [root]
    while todo:
        node = todo.pop()
        for pred, obj in shapes.predicate_objects(node):
            nested = isinstance(obj, rdflib.URIRef) and pred in _NESTING and (obj, None, None) in shapes
            if obj not in seen and (isinstance(obj, rdflib.BNode) or nested):
                seen.add(obj)
                todo.append(obj)
    return seen


_NESTING = frozenset({SH.node, SH.property, SH.qualifiedValueShape, SH["not"], rdflib.RDF.first})


def _roots(shapes: rdflib.Graph) -> list[rdflib.term.Node]:
    """Return the shapes that are validated on their own: declared as shapes, or with targets."""
    declared = set(shapes.subjects(rdflib.RDF.type, SH.NodeShape)) | set(
        shapes.subjects(rdflib.RDF.type, SH.PropertyShape)
    )
    declared |= {s for pred in (*_TARGETS, SH.target) for s in shapes.subjects(pred, None)}
    return sorted(declared, key=str)


def _custom_parameters(shapes: rdflib.Graph) -> set[rdflib.term.Node]:
    """Return the parameter predicates of custom constraint components declared in the shapes."""
    return {p for param in shapes.objects(None, SH.parameter) for p in shapes.objects(param, SH.path)}


def split_shapes(shapes: rdflib.Graph) -> tuple[rdflib.Graph, rdflib.Graph]:
    """Split a shapes graph into (what the fast engine validates, what pyshacl validates).

    A shape goes to pyshacl when its definition (with the shapes it nests) uses an `sh:` predicate
    outside :data:`CORE`, a custom constraint component's parameter, or is in :data:`PYSHACL_ONLY`.
    Each part keeps the definitions its shapes nest; a shape validated by the other part loses its
    targets here, so nothing is reported twice.
    """
    custom = _custom_parameters(shapes)
    fast_nodes: set[rdflib.term.Node] = set()
    slow_nodes: set[rdflib.term.Node] = set()
    fast_roots: set[rdflib.term.Node] = set()
    for root in _roots(shapes):
        nodes = _closure(shapes, root)
        used = {p for n in nodes for p in shapes.predicates(n)}
        unsupported = {p for p in used if (str(p).startswith(vocab.SH) and p not in CORE) or p in custom}
        if unsupported or str(root) in PYSHACL_ONLY:
            slow_nodes |= nodes
        else:
            fast_nodes |= nodes
            fast_roots.add(root)
    fast, slow = rdflib.Graph(), rdflib.Graph()
    for triple in shapes:
        s, p, _ = triple
        if s in fast_nodes and not (p in _TARGETS and s not in fast_roots):
            fast.add(triple)
        if s in slow_nodes and not (p in _TARGETS and s in fast_roots):
            slow.add(triple)
        if s not in fast_nodes and s not in slow_nodes:
            slow.add(triple)  # components, prefixes, anything not part of a shape: pyshacl reads them
    if not any(p in _TARGETS or p == SH.target for p in slow.predicates()):
        slow = rdflib.Graph()  # nothing for pyshacl to validate
    _ignore_mark(fast)
    return fast, slow


def _ignore_mark(shapes: rdflib.Graph) -> None:
    """Let every closed shape allow MARK (`sh:closed` is the one Core constraint that sees every property)."""
    for shape in list(shapes.subjects(SH.closed, None)):
        head = shapes.value(shape, SH.ignoredProperties)
        items = list(rdflib.collection.Collection(shapes, head)) if head is not None else []
        if head is not None:
            shapes.remove((shape, SH.ignoredProperties, head))
        fresh = rdflib.BNode()
        rdflib.collection.Collection(shapes, fresh, [*items, rdflib.URIRef(MARK)])
        shapes.add((shape, SH.ignoredProperties, fresh))


@lru_cache(maxsize=8)
def _compiled(shapes_nt: str) -> object:
    """Compile shapes exactly as given (the caller has applied :func:`engine_plan`)."""
    import shacl

    return shacl.Shapes.from_text(shapes_nt, format="ntriples")


@lru_cache(maxsize=4)
def _untargeted_nt(shapes_nt: str) -> str:
    """Drop the target triples of an N-Triples shapes graph (batches give their own `sh:targetNode`s)."""
    targets = tuple(f"<{t}>" for t in _TARGETS)
    return (
        "\n".join(line for line in shapes_nt.splitlines() if line.split(" ", 2)[1:2] not in ([t] for t in targets))
        + "\n"
    )


#: Resident bytes the engine's copy of a graph takes per quad while it validates a dump (measured: the 100k-visit
#: generation, 2,502,816 quads, peak RSS 57 -> 377 MiB, decision 0065), rounded up.
ENGINE_BYTES_PER_QUAD = 160

#: Each blank node of the data gets `_:x <MARK> "x"`, and the shapes a MARK_SHAPE that reports every
#: such node with that value (a datatype no literal has): the engine renames blank nodes, and its
#: report says which is which.
MARK = "urn:visitgraph:blank-label"
MARK_SHAPE = "urn:visitgraph:BlankLabelShape"
_MARK_SHAPES = (
    f"<{MARK_SHAPE}> <{vocab.SH}targetSubjectsOf> <{MARK}> .\n"
    f"<{MARK_SHAPE}> <{vocab.SH}path> <{MARK}> .\n"
    f"<{MARK_SHAPE}> <{vocab.SH}datatype> <{MARK}> .\n"
)  # fails, and names the value


def _data_nt(quads: Iterable[ox.Quad]) -> str:
    """Write the union of quads as N-Triples, with a MARK triple for each blank node."""
    text = (ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b"").decode()
    return text + _marks(_blank_labels(text)) if "_:" in text else text


def _blank_labels(text: str) -> list[str]:
    """Return the blank node labels of N-Triples text (subjects and objects; not inside literals)."""
    labels: dict[str, None] = {}
    for line in text.splitlines():
        if line.startswith("_:"):
            labels.setdefault(line[2 : line.index(" ")])
        if line.endswith(" ."):
            last = line[:-2].rsplit(" ", 1)[-1]
            if last.startswith("_:") and '"' not in last:  # not the end of a literal
                labels.setdefault(last[2:])
    return list(labels)


def _marks(labels: Iterable[str]) -> str:
    return "".join(f'_:{label} <{MARK}> "{label}" .\n' for label in labels)


def validate_store_fast(store: ox.Store, shapes_nt: str, keep: Path | None = None) -> tuple[list[FastResult], str]:
    """Validate a whole store (its union graph) in one engine call, through one N-Quads dump written by the store.

    The dump is what :func:`validate_dump` reads; the store is not read again (decision 0065).

    :param keep: where to leave the dump (exactly the store), for a caller that reads the same store next (a
        build's stored answers, decision 0051); it is written in that folder and renamed there. Otherwise it is
        removed.
    """
    import os
    import tempfile

    fd, name = tempfile.mkstemp(suffix=".nq", prefix="visitgraph-shacl-", dir=keep.parent if keep else None)
    os.close(fd)
    try:
        store.dump(name, format=ox.RdfFormat.N_QUADS)
        found = validate_dump(Path(name), shapes_nt)
        if keep is not None:
            os.replace(name, keep)
        return found
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def validate_dump(dump: Path, shapes_nt: str) -> tuple[list[FastResult], str]:
    """Validate the N-Quads dump of a whole store (its union graph) in one engine call; the dump is never changed.

    The engine renames blank nodes, so results naming one need the MARK triples: only when a first run's results name
    a blank node or hold a violation (whose report is kept) is the engine run again, on the dump followed by a MARK
    triple for each blank node the dump has (decision 0049; the labels are read from the dump, not from a store, so
    this can run beside a publish that has closed the store: decision 0065). What follows the dump (the MARK triples,
    what :func:`engine_plan` adds) is streamed after it through a pipe, never written into it (decision 0070).
    """
    plan = engine_plan(shapes_nt)
    report = validate_file_with(_compiled(plan.shapes_nt), dump, plan.closure)
    if not _needs_marks(report):
        return _results(report, plan)
    # The engine names blank nodes by the MARK results, in any order: the marks follow the dump in the same stream.
    marks = _marks(_dump_blank_labels(dump)) + plan.closure
    return _results(validate_file_with(_compiled(plan.shapes_nt + _MARK_SHAPES), dump, marks), plan)


def _dump_blank_labels(dump: Path) -> list[str]:
    """Return the labels of the blank nodes of an N-Quads file's statements (subjects and objects), each once."""
    labels: dict[str, None] = {}
    for quad in ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS):
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.BlankNode):
                labels.setdefault(term.value)
    return list(labels)


def _needs_marks(report: object) -> bool:
    """Say whether a report made without MARK triples needs them: a violation (its report is kept), or a blank node."""
    return any(
        r.severity == "Violation" or (r.focus_node or "").startswith("_:") or (r.value or "").startswith("_:")
        for r in own(report.results)  # type: ignore[attr-defined]
    )


def _results(report: object, plan: EnginePlan) -> tuple[list[FastResult], str]:
    """Map the engine's results to :class:`FastResult` (terms as pyshacl's report gives them), and its Turtle.

    The MARK results name each blank node; they and any `sh:closed` result about MARK are dropped, as is any result
    about what :func:`engine_plan` added to the data. A rewritten `sh:or`'s `sh:class` result is an `sh:or` result.
    """
    found = own(report.results)  # type: ignore[attr-defined]
    names = {r.focus_node: r.value_plain for r in found if r.root_shape == f"<{MARK_SHAPE}>"}
    kept = [r for r in found if r.root_shape != f"<{MARK_SHAPE}>" and r.path != f"<{MARK}>"]
    results = [
        FastResult(
            severity=r.severity,
            focus=_plain(r.focus_node, names) or "",
            path=path_text(r.path) if r.path else None,
            message=sorted(r.messages)[0] if r.messages else _default_message(component(r, plan).rsplit("#", 1)[-1]),
            shape=_shape(*unskolem(r.source_shape, r.root_shape, plan)),
            constraint=component(r, plan),
            value=_plain(r.value, names),
        )
        for r in kept
    ]
    if not results:
        return [], ""
    if not names and not plan.rewritten:
        return results, report.serialize("turtle")  # type: ignore[attr-defined]
    return results, report_text(report, names, plan, mark=MARK, mark_shape=MARK_SHAPE)


class EngineMismatch(RuntimeError):
    """The fast engine answered in a way the adapter cannot map back: the caller uses pyshacl."""


def validate_fast(
    quads: Sequence[ox.Quad],
    shapes_nt: str,
    *,
    focus: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[FastResult], str]:
    """Validate quads (as their union graph) with the fast engine: (results, report as Turtle).

    :param shapes_nt: the fast part of the shapes (:func:`split_shapes`), as :func:`shapes_text`.
    :param focus: as for :func:`visitgraph.sources.validate.validate_quads`: shape IRI -> the nodes it checks
        (the shapes' own targets are replaced by these `sh:targetNode`s).
    """
    if focus is not None:
        plan = engine_plan(_untargeted_nt(shapes_nt))
        targets = "".join(
            f"<{shape}> <{vocab.SH}targetNode> <{node}> .\n" for shape, nodes in sorted(focus.items()) for node in nodes
        )
        shapes = _compiled(plan.shapes_nt + targets + _MARK_SHAPES)
    else:
        plan = engine_plan(shapes_nt)
        shapes = _compiled(plan.shapes_nt + _MARK_SHAPES)
    report = shapes.validate_text(_data_nt(quads) + "\n" + plan.closure, format="ntriples", allow_warnings=True)  # type: ignore[attr-defined]
    return _results(report, plan)


def _plain(term: str | None, names: Mapping[str, str] | None = None) -> str | None:
    """Turn an N-Triples term into what pyshacl's report gives as str(): IRI, label or lexical form.

    :param names: the engine's blank node -> the data's label (from the MARK results).
    :raises EngineMismatch: a blank node the MARK results do not name.
    """
    if term is None:
        return None
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    if term.startswith("_:"):
        if names is None or term not in names:
            raise EngineMismatch(f"the engine reported blank node {term}, which no mark names")
        return names[term]
    if term.startswith('"'):
        literal = next(iter(ox.parse(f"<urn:x> <urn:x> {term} .", format=ox.RdfFormat.N_TRIPLES))).object
        return str(literal.value)
    return term


def _shape(source: str | None, root: str | None) -> str | None:
    """Name the shape as validate.py does: its IRI, or the named shape that holds a blank property shape."""
    if source and source.startswith("<"):
        return _plain(source)
    if root and root.startswith("<"):
        return _plain(root)
    return "a property shape" if source else None


def _default_message(component: str) -> str:
    """Say what a constraint without `sh:message` found (every shape of this project has one)."""
    name = component.removesuffix("ConstraintComponent")
    return f"does not conform ({re.sub(r'(?<!^)(?=[A-Z])', ' ', name).lower()} constraint)"
