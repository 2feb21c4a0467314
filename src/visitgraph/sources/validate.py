"""SHACL validation with pyshacl: a report that names file, record, property and what to fix.

Longer than 400 lines because the report, the focus-node context and the parallel validation share the shapes' targets.
"""

from __future__ import annotations

import contextlib
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
import rdflib.collection
from pyshacl import validate as shacl_validate

from visitgraph.core import vocab
from visitgraph.core.errors import DataSyntaxError
from visitgraph.store.nquads import FilePart, write_nquads

SH = rdflib.Namespace(vocab.SH)
_XSD_STRING = vocab.XSD + "string"


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
            "severity": self.severity,
            "focus": self.focus,
            "path": self.path,
            "message": self.message,
            "shape": self.shape,
            "constraint": self.constraint,
            "value": self.value,
            "file": self.file,
        }


@dataclass
class ValidationReport:
    """The outcome of validating a graph: it conforms when it has no Violation."""

    results: list[ValidationResult]
    report_turtle: str = ""
    focus_count: int | None = None
    base: str | None = field(default=None, repr=False)
    scope: str = ""  # what was validated, when not the whole graph

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
            **({"scope": self.scope} if self.scope else {}),
        }

    def to_text(self, warnings: bool = True, listed_by: str = "--warnings") -> str:
        """Render the report for people, violations first; with ``warnings=False`` warnings are one summary line."""
        if not self.results:
            return "Conforms: no violations, no warnings."
        lines = [
            f"{'Conforms' if self.conforms else 'Does not conform'}: "
            f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)."
        ]
        shown = self.violations + self.warnings if warnings else self.violations
        for r in shown:
            lines.append(f"  {r.severity.upper():9} {r.describe(self.base)}")
        if self.warnings and not warnings:
            lines.append(warnings_summary(self.warnings, listed_by))
        return "\n".join(lines)


def warnings_summary(warnings: Sequence[ValidationResult], listed_by: str = "--warnings") -> str:
    """Summarise advisory warnings in one line: how many, of which shapes, and how to list them.

    >>> w = ValidationResult("Warning", "x", None, "m", "https://w3id.org/visitgraph/shapes#A", None, None, None)
    >>> warnings_summary([w, w])
    '2 advisory warning(s), not blocking (A ×2); list them with --warnings.'
    """
    counts = Counter(w.shape.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if w.shape else "unnamed" for w in warnings)
    kinds = ", ".join(f"{name} ×{n}" for name, n in sorted(counts.items()))
    return f"{len(warnings)} advisory warning(s), not blocking ({kinds}); list them with {listed_by}."


def load_shapes(paths: Sequence[Path]) -> rdflib.Graph:
    """Parse the SHACL shapes files into one rdflib graph.

    :raises DataSyntaxError: naming the shapes file that does not parse.
    """
    from visitgraph.sources.load import parse_rdf

    quads: list[ox.Quad] = []
    for path in paths:
        quads.extend(
            q for q in parse_rdf(path, base_iri=vocab.VGSH, name=str(path)) if q.predicate.value not in _DOCUMENTATION
        )
    return to_rdflib(quads)


# Documentation a validator never reads. pyshacl compares every predicate of a shape against each
# constraint parameter, each time it evaluates the shape (per batch, and per value node in sh:or),
# so the label and comment of every shape cost about a quarter of its time at scale.
_DOCUMENTATION = frozenset({vocab.RDFS + "label", vocab.RDFS + "comment"})


def shapes_files(root: Path) -> list[Path]:
    """List the shapes files of a project, sorted."""
    return sorted((root / "shapes").glob("*.ttl"))


def to_rdflib(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """Merge quads of every graph into one rdflib graph (the union the public sees).

    Terms are built directly (no N-Triples text in between, which rdflib parses in pure Python),
    each distinct term once; plain literals carry no datatype, as rdflib's own parsers give them.
    """
    graph = rdflib.Graph()
    terms: dict[object, rdflib.term.Node] = {}

    def term(t: object) -> rdflib.term.Node:
        made = terms.get(t)
        if made is None:
            if isinstance(t, ox.NamedNode):
                made = rdflib.URIRef(t.value)
            elif isinstance(t, ox.BlankNode):
                made = rdflib.BNode(t.value)
            elif isinstance(t, ox.Literal):
                datatype = t.datatype.value
                made = (
                    rdflib.Literal(t.value, lang=t.language)
                    if t.language
                    else rdflib.Literal(t.value, datatype=None if datatype == _XSD_STRING else rdflib.URIRef(datatype))
                )
            else:
                raise TypeError(f"cannot validate a triple term: {t}")
            terms[t] = made
        return made

    add = graph.add  # a set: the same triple in two graphs is one triple of the union
    for q in quads:
        add((term(q.subject), term(q.predicate), term(q.object)))
    return graph


def record_files(quads: Iterable[ox.Quad], base: str) -> dict[str, str]:
    """Map each subject IRI to the source file that describes it (typed subjects first)."""
    prefix = vocab.graph_iri(base, "")
    typed: dict[str, str] = {}
    any_: dict[str, str] = {}
    for q in quads:
        if not isinstance(q.graph_name, ox.NamedNode) or not q.graph_name.value.startswith(prefix):
            continue
        rel = q.graph_name.value[len(prefix) :]
        key = str(q.subject.value) if isinstance(q.subject, ox.NamedNode | ox.BlankNode) else ""
        if q.predicate.value == vocab.RDF_TYPE:
            typed.setdefault(key, rel)
        any_.setdefault(key, rel)
    return {**any_, **typed}


def _text(node: object) -> str | None:
    if node is None:
        return None
    return str(node)


def _path_text(graph: rdflib.Graph, node: object) -> str | None:
    """Write a SHACL property path readably: IRIs whole, sequences with `/`, inverses with `^`."""
    if node is None:
        return None
    if isinstance(node, rdflib.URIRef):
        return str(node)
    assert isinstance(node, rdflib.BNode)
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + (_path_text(graph, inverse) or "?")
    if graph.value(node, rdflib.RDF.first) is not None:
        items = rdflib.collection.Collection(graph, node)
        return "/".join(vocab.shorten(_path_text(graph, i) or "?") for i in items)
    return "(complex path)"


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
    focus: Mapping[str, Sequence[str]] | None = None,
    engine: str = "pyshacl",
) -> ValidationReport:
    """Validate quads (as their union graph) against shapes.

    :param focus: validate only these nodes, each against the shapes listed for it (shape IRI ->
        nodes, from :func:`focus_by_shape`); the other quads are context. The shapes' own targets are
        replaced by `sh:targetNode`s: pyshacl's `focus_nodes` option would also filter the value nodes
        of nested shapes (`sh:or`, `sh:node`), passing every such constraint unchecked.
    :param engine: `pyshacl` (the reference) or `shacl` (the fast engine, :mod:`visitgraph.sources.shacl_engine`;
        the shapes it does not support are still checked by pyshacl).
    :raises DataSyntaxError: when the shapes themselves cannot be used.
    """
    if engine == "pyshacl":
        results, turtle = _pyshacl_results(quads, shapes, focus)
    else:
        fast, slow = _split(shapes)
        results, turtle = _fast_results(quads, fast, focus)
        if slow is not None:
            more, more_turtle = _pyshacl_results(quads, slow, _only(focus, slow))
            results += more
            turtle = "\n".join(t for t in (turtle, more_turtle) if t)
    focused = {r.focus for r in results}
    files = record_files((q for q in quads if getattr(q.subject, "value", None) in focused), base) if results else {}
    results = [replace(r, file=files.get(r.focus)) for r in results]
    if focus is not None:
        wanted = {n for nodes in focus.values() for n in nodes}
        results = [r for r in results if r.focus in wanted]
    results.sort(key=lambda r: (r.severity != "Violation", r.file or "", r.focus, r.path or "", r.message))
    return ValidationReport(results, turtle if results else "", base=base)


def _pyshacl_results(
    quads: Sequence[ox.Quad], shapes: rdflib.Graph, focus: Mapping[str, Sequence[str]] | None
) -> tuple[list[ValidationResult], str]:
    """Validate with pyshacl: the results (no file yet) and the report as Turtle."""
    data = to_rdflib(quads)
    shacl = _targeting(shapes, focus) if focus is not None else shapes
    try:
        _, results_graph, _ = shacl_validate(
            data,
            shacl_graph=shacl,
            inference="none",
            advanced=True,
            allow_warnings=True,
            allow_infos=True,
            inplace=True,
        )
    except Exception as e:  # pyshacl raises its own error types for broken shapes
        raise DataSyntaxError("shapes/", None, None, f"the shapes cannot be used: {e}") from e
    owners = {
        str(prop): str(node) for node, prop in shapes.subject_objects(SH.property) if isinstance(node, rdflib.URIRef)
    }
    results: list[ValidationResult] = []
    for res in results_graph.subjects(rdflib.RDF.type, SH.ValidationResult):
        node = results_graph.value(res, SH.focusNode)
        severity = results_graph.value(res, SH.resultSeverity)
        messages = sorted(str(m) for m in results_graph.objects(res, SH.resultMessage))
        results.append(
            ValidationResult(
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                focus=str(node),
                path=_path_text(results_graph, results_graph.value(res, SH.resultPath)),
                message=messages[0] if messages else "does not conform",
                shape=_shape_name(results_graph.value(res, SH.sourceShape), owners),
                constraint=_text(results_graph.value(res, SH.sourceConstraintComponent)),
                value=_text(results_graph.value(res, SH.value)),
                file=None,
            )
        )
    return results, results_graph.serialize(format="turtle") if results else ""


def _fast_results(
    quads: Sequence[ox.Quad], shapes_nt: str, focus: Mapping[str, Sequence[str]] | None
) -> tuple[list[ValidationResult], str]:
    """Validate with the fast engine: the results (no file yet) and the report as Turtle."""
    from visitgraph.sources.shacl_engine import EngineMismatch, validate_fast

    if not shapes_nt.strip():
        return [], ""
    try:
        found, turtle = validate_fast(
            quads,
            shapes_nt,
            focus=None
            if focus is None
            else {shape: nodes for shape, nodes in focus.items() if f"<{shape}> " in shapes_nt},
        )
    except EngineMismatch:  # not seen in the differential tests; pyshacl answers instead
        return _pyshacl_results(quads, rdflib.Graph().parse(data=shapes_nt, format="nt"), focus)
    except ValueError as e:  # the engine refuses shapes it cannot compile
        raise DataSyntaxError("shapes/", None, None, f"the shapes cannot be used: {e}") from e
    return [
        ValidationResult(r.severity, r.focus, r.path, r.message, r.shape, r.constraint, r.value, None) for r in found
    ], turtle


_SPLITS: dict[int, tuple[rdflib.Graph, str, rdflib.Graph | None]] = {}


def _split(shapes: rdflib.Graph) -> tuple[str, rdflib.Graph | None]:
    """Split shapes once per graph: (the fast engine's part as N-Triples, pyshacl's part or None)."""
    from visitgraph.sources.shacl_engine import shapes_text, split_shapes

    cached = _SPLITS.get(id(shapes))
    if cached is None or cached[0] is not shapes:
        fast, slow = split_shapes(shapes)
        if len(_SPLITS) > 8:
            _SPLITS.clear()
        cached = _SPLITS[id(shapes)] = (shapes, shapes_text(fast), slow if len(slow) else None)
    return cached[1], cached[2]


def _only(focus: Mapping[str, Sequence[str]] | None, shapes: rdflib.Graph) -> dict[str, Sequence[str]] | None:
    """Keep the focus of the shapes defined in `shapes`."""
    if focus is None:
        return None
    return {shape: nodes for shape, nodes in focus.items() if (rdflib.URIRef(shape), None, None) in shapes}


_TARGETS = {
    SH.targetClass: "class",
    SH.targetSubjectsOf: "subjectsOf",
    SH.targetObjectsOf: "objectsOf",
    SH.targetNode: "node",
}


@dataclass(frozen=True)
class Targets:
    """What the shapes target, and which links they follow backwards."""

    classes: tuple[str, ...]
    subjects_of: tuple[str, ...]
    objects_of: tuple[str, ...]
    inverse: tuple[str, ...]
    by_shape: tuple[tuple[str, str, str], ...] = ()  # (shape, "class"|"subjectsOf"|"objectsOf"|"node", IRI)


def shape_targets(shapes: rdflib.Graph) -> Targets:
    """Read the target declarations and inverse paths out of a shapes graph."""

    def values(pred: rdflib.URIRef) -> tuple[str, ...]:
        return tuple(sorted({str(o) for o in shapes.objects(None, pred) if isinstance(o, rdflib.URIRef)}))

    by_shape = sorted(
        (str(shape), kind, str(value))
        for pred, kind in _TARGETS.items()
        for shape, value in shapes.subject_objects(pred)
        if isinstance(shape, rdflib.URIRef) and isinstance(value, rdflib.URIRef)
    )
    return Targets(
        values(SH.targetClass),
        values(SH.targetSubjectsOf),
        values(SH.targetObjectsOf),
        values(SH.inversePath),
        tuple(by_shape),
    )


def _vals(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in sorted(set(iris))) or "<urn:visitgraph:none>"


def _class_closure(store: ox.Store, classes: Sequence[str]) -> dict[str, set[str]]:
    """Map each target class to itself and its subclasses in the data (SHACL instances, not inference)."""
    closure: dict[str, set[str]] = {c: {c} for c in classes}
    query = f"""SELECT ?c ?sub WHERE {{ VALUES ?c {{ {_vals(classes)} }} ?sub <{vocab.RDFS}subClassOf>+ ?c }}"""
    for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
        closure[row["c"].value].add(row["sub"].value)
    return closure


def _count_focus_nodes(store: ox.Store, targets: Targets) -> int:
    """How many nodes :func:`focus_nodes_in` lists, counted in the engine, for a thread beside the dump.

    No row becomes a Python object, so the count does not hold the interpreter lock while the dump's threads want it
    (decision 0080; at 100k visits 1.7 s of CPU against 4.2 s for the list). What it raises carries no locals
    across: its query's results belong to the thread that made them (pyoxigraph), and a traceback handed to the
    waiting thread must not keep them alive there (dropped on another thread they leak, with an "unsendable" error).
    """
    try:
        pattern = _focus_pattern(store, targets)
        nodes = _target_nodes(targets)
        named = f"UNION {{ VALUES ?n {{ {_vals(nodes)} }} }}" if nodes else ""
        query = f"SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {{ {pattern} {named} }}"
        solutions = store.query(query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        return int(next(solutions)["count"].value)
    except BaseException as e:
        traceback.clear_frames(e.__traceback__)
        raise


def _target_nodes(targets: Targets) -> set[str]:
    """The nodes shapes name as targets themselves (``sh:targetNode``), in the data or not."""
    return {value for _, kind, value in targets.by_shape if kind == "node"}


def _focus_pattern(store: ox.Store, targets: Targets) -> str:
    """The graph pattern that binds ?n to every IRI some shape targets by class, subject or object."""
    classes = {t for subs in _class_closure(store, targets.classes).values() for t in subs}
    return f"""{{ {{ VALUES ?c {{ {_vals(classes)} }} ?n a ?c }}
      UNION {{ VALUES ?p {{ {_vals(targets.subjects_of)} }} ?n ?p ?x }}
      UNION {{ VALUES ?p {{ {_vals(targets.objects_of)} }} ?x ?p ?n }}
      FILTER (isIRI(?n)) }}"""


def focus_nodes_in(store: ox.Store, targets: Targets) -> list[str]:
    """List every node some shape targets, sorted, using the store's indexes."""
    query = f"SELECT DISTINCT ?n WHERE {_focus_pattern(store, targets)}"
    nodes = {row["n"].value for row in store.query(query, use_default_graph_as_union=True)}  # type: ignore[union-attr]
    return sorted(nodes | _target_nodes(targets))


def focus_by_shape(
    store: ox.Store, nodes: Sequence[str], targets: Targets, closure: Mapping[str, set[str]] | None = None
) -> dict[str, list[str]]:
    """Say which of `nodes` each shape targets in `store` (shape IRI -> sorted nodes).

    Index lookups per node (a few each): one SPARQL join over a batch was 30x slower.

    :param closure: the target classes' subclasses, if already known (:func:`_class_closure`).
    """
    if closure is None:
        closure = _class_closure(store, targets.classes)
    by_class: dict[str, set[str]] = {}
    by_subject: dict[str, set[str]] = {}
    by_object: dict[str, set[str]] = {}
    by_node: dict[str, set[str]] = {}
    for shape, kind, value in targets.by_shape:
        if kind == "class":
            for sub in closure.get(value, {value}):
                by_class.setdefault(sub, set()).add(shape)
        else:
            table = {"subjectsOf": by_subject, "objectsOf": by_object, "node": by_node}[kind]
            table.setdefault(value, set()).add(shape)
    rdf_type = ox.NamedNode(vocab.RDF_TYPE)
    out: dict[str, set[str]] = {}
    for node in nodes:
        term = ox.NamedNode(node)
        shapes = set(by_node.get(node, ()))
        for q in store.quads_for_pattern(term, rdf_type, None, None):
            shapes |= by_class.get(str(getattr(q.object, "value", "")), set())
        for predicate, owners in by_subject.items():
            if not owners <= shapes and next(
                iter(store.quads_for_pattern(term, ox.NamedNode(predicate), None, None)), None
            ):
                shapes |= owners
        for predicate, owners in by_object.items():
            if not owners <= shapes and next(
                iter(store.quads_for_pattern(None, ox.NamedNode(predicate), term, None)), None
            ):
                shapes |= owners
        for shape in shapes:
            out.setdefault(shape, set()).add(node)
    return {shape: sorted(found) for shape, found in sorted(out.items())}


def _targeting(shapes: rdflib.Graph, focus: Mapping[str, Sequence[str]]) -> rdflib.Graph:
    """Return the shapes with their targets replaced by one `sh:targetNode` per focus node."""
    graph = rdflib.Graph()
    add = graph.add
    for triple in shapes:
        if triple[1] not in _TARGETS:
            add(triple)
    for shape, nodes in focus.items():
        for node in nodes:
            add((rdflib.URIRef(shape), SH.targetNode, rdflib.URIRef(node)))
    return graph


def context_quads(store: ox.Store, nodes: Sequence[str], targets: Targets) -> list[ox.Quad]:
    """Return what validating `nodes` needs: their triples, their neighbours' triples and back-links.

    Add :func:`subclass_quads` too: `sh:class` counts instances of subclasses (SHACL 1.0 §4.1.1).
    """
    values = " ".join(f"<{n}>" for n in nodes)
    inverse = " ".join(f"<{p}>" for p in targets.inverse) or "<urn:visitgraph:none>"
    query = f"""CONSTRUCT {{ ?n ?p ?o . ?o ?p2 ?o2 . ?s ?q ?n . ?s a ?t }} WHERE {{
      VALUES ?n {{ {values} }}
      {{ ?n ?p ?o OPTIONAL {{ ?o ?p2 ?o2 }} }}
      UNION {{ VALUES ?q {{ {inverse} }} ?s ?q ?n OPTIONAL {{ ?s a ?t }} }} }}"""
    triples = store.query(query, use_default_graph_as_union=True)
    return [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]  # type: ignore[union-attr]


def subclass_quads(store: ox.Store) -> list[ox.Quad]:
    """Return every `rdfs:subClassOf` link of the store (in the ontology: a few dozen)."""
    return [
        ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
        for q in store.quads_for_pattern(None, ox.NamedNode(vocab.RDFS + "subClassOf"), None, None)
    ]


def validate_store(
    store: ox.Store,
    shapes: rdflib.Graph,
    *,
    base: str,
    batch_size: int = 250,
    nodes: Sequence[str] | None = None,
    progress: bool = False,
    workers: int = 1,
    path: Path | str | None = None,
    engine: str = "pyshacl",
    keep_dump: Path | None = None,
) -> ValidationReport:
    """Validate a store batch by batch: each batch of focus nodes with just the context it references.

    Memory and time grow with the batch, not the store, so a new batch of records can be checked
    against a large published graph (pass `nodes`), and a large build never holds it all in rdflib.
    With `workers` > 1 the batches (their context extracted here) are checked in worker processes:
    pyshacl is pure Python, so processes are what use more than one core.

    :param nodes: validate only these focus nodes (default: every node the shapes target).
    :param path: where `store` lives on disk: worker processes then open it read-only and extract
        each batch's context themselves, so this process only hands out batches (at 1M visits it
        was the bottleneck, the workers half idle).
    :param engine: the SHACL engine, as for :func:`validate_quads`.
    :param keep_dump: when the whole store goes to the fast engine through one N-Quads dump, leave that dump
        here if it is exactly the store (decision 0051: a build's stored answers load it); nothing is
        written there on any other path.
    """
    from tqdm import tqdm

    targets = shape_targets(shapes)
    if nodes is None and engine != "pyshacl":
        # The records counted (the report's focus_count) by a query in a thread beside the engine's call:
        # both run in Rust without the GIL, on the other core (decision 0049).
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="focus-count") as beside:
            counted = beside.submit(_count_focus_nodes, store, targets)
            return _whole_store_fast(
                store,
                shapes,
                base=base,
                focus_count=counted.result,
                batch_size=batch_size,
                progress=progress,
                workers=workers,
                path=path,
                keep_dump=keep_dump,
            )
    todo = list(nodes) if nodes is not None else focus_nodes_in(store, targets)
    results: list[ValidationResult] = []
    turtle: list[str] = []
    files: dict[str, str] = {}
    chunks = [todo[start : start + batch_size] for start in range(0, len(todo), batch_size)]
    bar = tqdm(total=len(chunks), desc="validate", unit="batch", disable=not progress, leave=False)
    if path is not None and workers > 1 and len(chunks) > 1:
        with contextlib.suppress(RuntimeError):  # a read-only store has nothing to flush
            store.flush()
        reports = _reports_from_readers(Path(path), chunks, shapes, base, workers, engine)
    else:
        reports = _batch_reports(store, chunks, shapes, targets, base, workers, subclass_quads(store), engine)
    for report in reports:
        results.extend(report.results)
        if not report.conforms:
            turtle.append(report.report_turtle)
        bar.update()
    bar.close()
    if any(r.file is None for r in results):
        files = _files_of(store, {r.focus for r in results}, base)
    results = [r if r.file is not None else _with_file(r, files) for r in results]
    results.sort(key=lambda r: (r.severity != "Violation", r.file or "", r.focus, r.path or "", r.message))
    return ValidationReport(results, "\n".join(turtle), focus_count=len(todo), base=base)


@contextlib.contextmanager
def _heartbeat(what: str, progress: bool) -> Iterator[None]:
    """Show `what` with the time it has taken so far, refreshed every second, around one long call.

    The fast engine validates the whole store in one call that reports nothing while it runs (on
    200 MB of data, several minutes): without this line the command looked hung.
    """
    if not progress:
        yield
        return
    import threading

    from tqdm import tqdm

    done = threading.Event()
    bar = tqdm(total=1, desc=what, bar_format="{desc}: {elapsed} elapsed", leave=False)

    def beat() -> None:
        while not done.wait(1.0):
            bar.refresh()

    beater = threading.Thread(target=beat, name="validate-heartbeat", daemon=True)
    beater.start()
    try:
        yield
    finally:
        done.set()
        beater.join()
        bar.close()


def _whole_store_fast(
    store: ox.Store,
    shapes: rdflib.Graph,
    *,
    base: str,
    focus_count: Callable[[], int],
    batch_size: int,
    progress: bool,
    workers: int,
    path: Path | str | None,
    keep_dump: Path | None = None,
) -> ValidationReport:
    """Validate a whole store with the fast engine in one call (no context extraction per batch).

    Extracting each batch's context was most of the time once the engine was fast (decision 0033);
    the engine holds the graph in Rust instead. Shapes it does not support are validated by pyshacl
    batch by batch, as before.
    """
    from visitgraph.sources.shacl_engine import EngineMismatch, validate_store_fast

    fast, slow = _split(shapes)
    results: list[ValidationResult] = []
    turtle: list[str] = []
    if fast.strip():
        try:
            with _heartbeat("validate the whole store (shacl engine)", progress):
                found, text = validate_store_fast(store, fast, keep=keep_dump)
        except EngineMismatch:  # not seen in the differential tests; pyshacl answers instead
            return validate_store(
                store,
                shapes,
                base=base,
                batch_size=batch_size,
                progress=progress,
                workers=workers,
                path=path,
                engine="pyshacl",
            )
        results = [
            ValidationResult(r.severity, r.focus, r.path, r.message, r.shape, r.constraint, r.value, None)
            for r in found
        ]
        turtle.append(text)
    if slow is not None:
        rest = validate_store(
            store,
            slow,
            base=base,
            batch_size=batch_size,
            progress=progress,
            workers=workers,
            path=path,
            engine="pyshacl",
        )
        results += rest.results
        turtle.append(rest.report_turtle)
    return _whole_report(store, results, turtle, base=base, focus_count=focus_count())


def _whole_report(
    store: ox.Store, results: list[ValidationResult], turtle: list[str], *, base: str, focus_count: int
) -> ValidationReport:
    """Make a whole store's report: each result's file read from `store`, sorted, the report text kept on a violation."""
    files = _files_of(store, {r.focus for r in results}, base) if results else {}
    results = [_with_file(r, files) for r in results]
    results.sort(key=lambda r: (r.severity != "Violation", r.file or "", r.focus, r.path or "", r.message))
    conforming = not any(r.severity == "Violation" for r in results)
    return ValidationReport(
        results, "" if conforming else "\n".join(t for t in turtle if t), focus_count=focus_count, base=base
    )


class ValidationBeside:
    """A whole store's validation by the fast engine, run in a thread on the store's N-Quads dump (decision 0065).

    The engine reads only the dump (through a link of its own, so others may remove the dump's name), never the
    store, and releases the GIL: whoever started it goes on (a build publishes beside it) and asks for the report
    when it must know, with a store of the same data to name each result's file. The thread is a daemon: an
    interrupted build does not wait for it.
    """

    def __init__(self, dump: Path, shapes: rdflib.Graph, shapes_nt: str, *, base: str, focus_count: int) -> None:
        import os
        import threading

        self.dump, self.shapes, self.base, self.focus_count = dump, shapes, base, focus_count
        self._link = dump.with_name(f".validating-{os.getpid()}-{threading.get_ident()}-{dump.name}")
        self._link.unlink(missing_ok=True)
        os.link(dump, self._link)
        self._outcome: list[tuple[str, Any]] = []
        self._thread = threading.Thread(target=self._run, args=(shapes_nt,), name="validate-beside", daemon=True)
        self.started = _now()
        self.seconds: float | None = None
        self.from_files: set[str] = set()  # graphs whose dump lines were read from their source files (decision 0080)
        self._thread.start()

    def _run(self, shapes_nt: str) -> None:
        from visitgraph.sources.shacl_engine import validate_dump

        try:
            self._outcome.append(("ok", validate_dump(self._link, shapes_nt)))
        except BaseException as e:  # noqa: BLE001 - handed to the thread that asks for the report
            traceback.clear_frames(e.__traceback__)
            self._outcome.append(("error", e))
        finally:
            self.seconds = round(_now() - self.started, 3)
            self._link.unlink(missing_ok=True)

    def done(self) -> bool:
        """Say whether the engine has finished."""
        return not self._thread.is_alive()

    def failed(self) -> bool:
        """Say whether the engine has finished and found a violation (or could not validate)."""
        if not self.done():
            return False
        kind, value = self._outcome[0]
        return kind != "ok" or any(r.severity == "Violation" for r in value[0])

    def result(
        self, store: ox.Store, *, workers: int = 1, batch_size: int = 250, progress: bool = False
    ) -> ValidationReport:
        """Wait for the engine and return the report; `store` holds the same data (each result's file is read there).

        If the engine named a blank node the data does not have (:class:`EngineMismatch`, never seen), pyshacl
        validates `store` instead, as the synchronous path does.

        :param progress: while waiting, show how long the validation has been running (stderr).
        """
        from visitgraph.sources.shacl_engine import EngineMismatch

        if not self.done():
            with _heartbeat("validate the whole store (shacl engine, beside publishing)", progress):
                self._thread.join()
        self._thread.join()
        kind, value = self._outcome[0]
        if kind == "error":
            if isinstance(value, EngineMismatch):
                return validate_store(
                    store, self.shapes, base=self.base, batch_size=batch_size, workers=workers, engine="pyshacl"
                )
            raise value
        found, text = value
        results = [
            ValidationResult(r.severity, r.focus, r.path, r.message, r.shape, r.constraint, r.value, None)
            for r in found
        ]
        return _whole_report(store, results, [text], base=self.base, focus_count=self.focus_count)


def _now() -> float:
    import time

    return time.monotonic()


def validate_beside(
    store: ox.Store,
    shapes: rdflib.Graph,
    *,
    base: str,
    dump: Path,
    threads: int = 1,
    sizes: Mapping[str, int] | None = None,
    files: Mapping[str, FilePart] | None = None,
) -> ValidationBeside | None:
    """Start validating a whole store beside the caller: write its N-Quads dump at `dump`, start the fast engine on it
    in a thread, and count the records it checks meanwhile (decision 0065).

    The dump's graphs are written `threads` at a time, the biggest by `sizes` (quads per graph IRI) first
    (decision 0078); the text is the store's own N-Quads dump either way, except that the graphs in `files` may be
    written from their source files, the same lines sorted (decision 0080; which ones, the returned
    object's `from_files` says).

    The count is a query on the store in a thread of its own while the store writes the dump (both in Rust, without
    the GIL): it is not on the caller's way, who waits only for the dump (the count and the dump each took 5.6 s and
    24 s at 100k visits; decision 0070).

    Returns None, having written nothing, when some shape needs pyshacl (the synchronous path validates those).
    The dump is left at `dump` for the caller (a build's ledger and stored answers read it) and removed by it.
    """
    import os
    from concurrent.futures import ThreadPoolExecutor

    fast, slow = _split(shapes)
    if slow is not None or not fast.strip():
        return None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="count-records") as beside:
        counted = beside.submit(_count_focus_nodes, store, shape_targets(shapes))
        work = dump.with_name(f".{dump.name}.{os.getpid()}.part")
        try:
            from_files = write_nquads(store, work, threads=threads, sizes=sizes, files=files)
            os.replace(work, dump)
        finally:  # leaving the block waits for the count: nothing reads the store once this returns or raises
            work.unlink(missing_ok=True)
        pending = ValidationBeside(dump, shapes, fast, base=base, focus_count=0)
        pending.from_files = from_files
        pending.focus_count = counted.result()
    return pending


def _batch_reports(
    store: ox.Store,
    chunks: list[list[str]],
    shapes: rdflib.Graph,
    targets: Targets,
    base: str,
    workers: int,
    schema: list[ox.Quad],
    engine: str,
) -> Iterator[ValidationReport]:
    if workers <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield validate_quads(
                context_quads(store, chunk, targets) + schema,
                shapes,
                base=base,
                focus=focus_by_shape(store, chunk, targets),
                engine=engine,
            )
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    shapes_nt = shapes.serialize(format="nt", encoding="utf-8")
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(shapes_nt, engine)
    ) as pool:
        pending = []
        for chunk in chunks:
            data = (
                ox.serialize(
                    (q.triple for q in context_quads(store, chunk, targets) + schema), format=ox.RdfFormat.N_TRIPLES
                )
                or b""
            )
            pending.append(pool.submit(_validate_in_worker, data, focus_by_shape(store, chunk, targets), base))
            while len(pending) > workers * 2:  # bounded: context waits in memory for at most 2 batches a worker
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def _reports_from_readers(
    path: Path, chunks: list[list[str]], shapes: rdflib.Graph, base: str, workers: int, engine: str
) -> Iterator[ValidationReport]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    shapes_nt = shapes.serialize(format="nt", encoding="utf-8")
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_reader, initargs=(shapes_nt, str(path), engine)
    ) as pool:
        pending = []
        for chunk in chunks:
            pending.append(pool.submit(_check_in_reader, chunk, base))
            while len(pending) > workers * 4:  # bounded: a few batches queued per worker
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


_WORKER_SHAPES: rdflib.Graph | None = None
_WORKER_ENGINE = "pyshacl"
_WORKER_READER: tuple[ox.Store, Targets, list[ox.Quad], dict[str, set[str]]] | None = None


def _init_reader(shapes_nt: bytes, path: str, engine: str) -> None:
    global _WORKER_READER
    _init_worker(shapes_nt, engine)
    assert _WORKER_SHAPES is not None
    store = ox.Store.read_only(path)
    targets = shape_targets(_WORKER_SHAPES)
    _WORKER_READER = (store, targets, subclass_quads(store), _class_closure(store, targets.classes))


def _check_in_reader(chunk: list[str], base: str) -> ValidationReport:
    assert _WORKER_SHAPES is not None and _WORKER_READER is not None
    store, targets, schema, closure = _WORKER_READER
    return validate_quads(
        context_quads(store, chunk, targets) + schema,
        _WORKER_SHAPES,
        base=base,
        focus=focus_by_shape(store, chunk, targets, closure),
        engine=_WORKER_ENGINE,
    )


def _init_worker(shapes_nt: bytes, engine: str) -> None:
    global _WORKER_SHAPES, _WORKER_ENGINE
    _WORKER_SHAPES = rdflib.Graph().parse(data=shapes_nt, format="nt")
    _WORKER_ENGINE = engine


def _validate_in_worker(data: bytes, focus: dict[str, list[str]], base: str) -> ValidationReport:
    assert _WORKER_SHAPES is not None
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    ]
    return validate_quads(quads, _WORKER_SHAPES, base=base, focus=focus, engine=_WORKER_ENGINE)


def _files_of(store: ox.Store, focus: set[str], base: str) -> dict[str, str]:
    iris = [f for f in focus if f.startswith(("http", "urn"))]
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    rows = store.query(f"SELECT ?n ?g WHERE {{ VALUES ?n {{ {values} }} GRAPH ?g {{ ?n a ?t }} }}")
    prefix = vocab.graph_iri(base, "")
    return {r["n"].value: r["g"].value.removeprefix(prefix) for r in rows}  # type: ignore[union-attr]


def _with_file(result: ValidationResult, files: dict[str, str]) -> ValidationResult:
    return replace(result, file=files.get(result.focus))
