"""What the fast SHACL engine is given: shapes it checks quickly, and data streamed to it (decision 0070).

:func:`engine_plan` rewrites each `sh:or` of plain `sh:class` members as one `sh:class` of a union class, with the
subclass triples the data must get; :func:`validate_file_with` streams a dump and those triples to the engine
through a named pipe; :func:`component`, :func:`unskolem` and :func:`own` read the engine's results back as the
shapes graph says them. shacl_engine.py maps the results; tests/unit/sources/test_shacl_engine_unions.py holds both
engines to the same results.
"""

from __future__ import annotations

import contextlib
import threading
import traceback
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
import rdflib.collection

from visitgraph.core import vocab
from visitgraph.core.errors import StoreError

SH = rdflib.Namespace(vocab.SH)


#: The engine checks `sh:or ( [ sh:class A ] [ sh:class B ] … )` about ten times slower than one `sh:class` (the
#: project's three such shapes took 40 of the 47 s of a whole 100k validation, decision 0070). Each such list becomes
#: one `sh:class` of a union class whose IRI is made afresh in each process (so no data can name it), and the data
#: the engine reads gets `A rdfs:subClassOf U`, `B rdfs:subClassOf U`: a value is a SHACL instance of U exactly when
#: it is one of A or of B. The results are mapped back to `sh:OrConstraintComponent` of the same shape.
UNION_BASE = f"urn:visitgraph:engine:class-union:{uuid.uuid4().hex}:"

OR_COMPONENT = f"{vocab.SH}OrConstraintComponent"
CLASS_COMPONENT = f"{vocab.SH}ClassConstraintComponent"


@dataclass(frozen=True)
class EnginePlan:
    """What the engine is given for a shapes graph: its shapes, and what the data it reads must add.

    :ivar shapes_nt: the shapes the engine compiles (sorted N-Triples).
    :ivar closure: N-Triples the engine's data gets (`<A> rdfs:subClassOf <U>` for each class of each rewritten list).
    :ivar rewritten: the shapes (N-Triples terms, as the engine names a result's source shape) whose
        `sh:ClassConstraintComponent` result is the `sh:or`'s result.
    :ivar skolem: of those, the IRIs that stand for a blank node shape (reported as a blank node again), each with
        the shape that holds it by `sh:property` when that is one named shape (the engine gives a named property shape
        as its own root; the report names the shape that holds a blank one).
    """

    shapes_nt: str
    closure: str = ""
    rewritten: frozenset[str] = frozenset()
    skolem: Mapping[str, str | None] = field(default_factory=dict)


def _class_members(shapes: rdflib.Graph, head: rdflib.term.Node) -> list[rdflib.URIRef] | None:
    """Return the classes of an `sh:or` list whose every member is a blank node with one `sh:class` and nothing else."""
    try:
        members = list(rdflib.collection.Collection(shapes, head))
    except Exception:  # noqa: BLE001 - a malformed list is left to the engine as it is
        return None
    classes = []
    for member in members:
        said = list(shapes.predicate_objects(member))
        if not isinstance(member, rdflib.BNode) or len(said) != 1 or said[0][0] != SH["class"]:
            return None
        if not isinstance(said[0][1], rdflib.URIRef) or not _writable_iri(str(said[0][1])):
            return None
        classes.append(said[0][1])
    return classes or None


@lru_cache(maxsize=8)
def engine_plan(shapes_nt: str) -> EnginePlan:
    """Rewrite each `sh:or` of plain `sh:class` members as one `sh:class` of a union class (see :data:`UNION_BASE`).

    Nothing is rewritten where that could change a result: a shapes graph that mentions `rdfs:subClassOf` (a shape
    could then see the added triples) or has a closed shape that another shape reaches (`sh:node`, `sh:not`, a list
    of `sh:and`/`sh:or`/`sh:xone`…: a closed shape sees the added triple of a member class, and its nested outcome
    flips the outer result, where a closed shape's own result about it is dropped), or a shape that has an
    `sh:class` of its own (its results could not be told apart).
    """
    shapes = rdflib.Graph().parse(data=shapes_nt, format="nt")
    if any(rdflib.RDFS.subClassOf in (p, o) for _, p, o in shapes) or _nested_closed(shapes):
        return EnginePlan(shapes_nt)
    closure: dict[str, None] = {}
    rewritten: set[str] = set()
    skolem: dict[str, str | None] = {}
    for number, (shape, head) in enumerate(sorted(shapes.subject_objects(SH["or"]), key=str)):
        classes = _class_members(shapes, head)
        if classes is None or (shape, SH["class"], None) in shapes:
            continue
        union = rdflib.URIRef(f"{UNION_BASE}{_digest(' '.join(sorted({str(c) for c in classes})))}")
        shapes.remove((shape, SH["or"], head))
        shapes.add((shape, SH["class"], union))
        for cls in classes:
            closure.setdefault(f"<{cls}> <{rdflib.RDFS.subClassOf}> <{union}> .\n")
        if isinstance(shape, rdflib.BNode):
            named = rdflib.URIRef(f"{UNION_BASE}shape-{number}")
            for triple in list(shapes.triples((shape, None, None))):
                shapes.remove(triple)
                shapes.add((named, triple[1], triple[2]))
            for triple in list(shapes.triples((None, None, shape))):
                shapes.remove(triple)
                shapes.add((triple[0], triple[1], named))
            skolem[f"<{named}>"] = None
            shape = named
        rewritten.add(f"<{shape}>")
    if not rewritten:
        return EnginePlan(shapes_nt)
    for term in skolem:  # once every blank shape has its IRI: a holder that was a blank node is none to name
        holders = [
            f"<{h}>" for h in shapes.subjects(SH.property, rdflib.URIRef(term[1:-1])) if isinstance(h, rdflib.URIRef)
        ]
        named_holders = [h for h in holders if h not in skolem]
        skolem[term] = named_holders[0] if len(named_holders) == 1 else None
    return EnginePlan(shapes_text(shapes), "".join(closure), frozenset(rewritten), skolem)


_REACHING = (SH.node, SH["not"], SH.property, SH.qualifiedValueShape, rdflib.RDF.first)


def _nested_closed(shapes: rdflib.Graph) -> bool:
    """Say whether a closed shape is reached from another shape (nested, its outcome is part of another result)."""
    closed = {s for s, o in shapes.subject_objects(SH.closed) if str(o).strip().lower() not in ("false", "0")}
    return any((None, reach, shape) in shapes for shape in closed for reach in _REACHING)


def _writable_iri(iri: str) -> bool:
    """Say whether an IRI can be written as N-Triples as it is (one the engine's parser would refuse is left alone)."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return not any(c in iri for c in '<>"{}|^`\\ ') and all(ord(c) > 0x20 for c in iri)


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:16]


def shapes_text(shapes: rdflib.Graph) -> str:
    """Write a shapes graph as sorted N-Triples (the key of the compiled-shapes cache)."""
    return "\n".join(sorted(line for line in shapes.serialize(format="nt").splitlines() if line.strip())) + "\n"


def own(results: Iterable[object]) -> list[Any]:
    """Drop the results about what the engine's data got added (:func:`engine_plan`): a value naming a union class."""
    union = f"<{UNION_BASE}"
    return [r for r in results if not (r.value or "").startswith(union) and not (r.focus_node or "").startswith(union)]  # type: ignore[attr-defined]


def component(result: Any, plan: EnginePlan) -> str:
    """The constraint component of a result, as the shapes graph says it (a rewritten `sh:or` is an `sh:or`)."""
    if result.component_iri == CLASS_COMPONENT and result.source_shape in plan.rewritten:
        return OR_COMPONENT
    return str(result.component_iri)


def unskolem(source: str | None, root: str | None, plan: EnginePlan) -> tuple[str | None, str | None]:
    """A result's shape and root shape as the shapes graph has them: an IRI :func:`engine_plan` made for a blank node
    is a blank node again, and its root the named shape that holds it."""
    if source is not None and source in plan.skolem:
        return "_:shape", plan.skolem[source] if root in plan.skolem or root == source else root
    return source, "_:shape" if root in plan.skolem else root


def report_text(report: object, names: Mapping[str, str], plan: EnginePlan, *, mark: str, mark_shape: str) -> str:
    """Write the engine's report as Turtle as the shapes graph and the data say it.

    Without the results of `mark_shape` and about `mark` (blank node labels, shacl_engine.py) and those about what the
    engine's data got added; blank nodes named as in the data (`names`); a rewritten `sh:or`'s result as an `sh:or`
    result of its shape (a blank node where the shape is one).
    """
    triples = list(ox.parse(report.serialize("ntriples"), format=ox.RdfFormat.N_TRIPLES))  # type: ignore[attr-defined]
    source, path, result, component, value, focus = (
        ox.NamedNode(vocab.SH + n)
        for n in ("sourceShape", "resultPath", "result", "sourceConstraintComponent", "value", "focusNode")
    )
    marks = {
        t.subject
        for t in triples
        if (t.predicate == source and t.object == ox.NamedNode(mark_shape))
        or (t.predicate == path and t.object == ox.NamedNode(mark))
        or (
            t.predicate in (value, focus)
            and isinstance(t.object, ox.NamedNode)
            and t.object.value.startswith(UNION_BASE)
        )
    }
    rewritten = {t.subject for t in triples if t.predicate == source and f"<{t.object.value}>" in plan.rewritten}
    renamed: dict[ox.NamedNode | ox.BlankNode, ox.NamedNode | ox.BlankNode] = {
        ox.BlankNode(engine[2:]): ox.BlankNode(data) for engine, data in names.items()
    }
    renamed.update({ox.NamedNode(term[1:-1]): ox.BlankNode() for term in sorted(plan.skolem)})

    def term(node: Any) -> Any:
        return renamed.get(node, node)

    kept = (
        ox.Triple(
            term(t.subject),
            t.predicate,
            ox.NamedNode(OR_COMPONENT)
            if t.predicate == component and t.subject in rewritten and t.object == ox.NamedNode(CLASS_COMPONENT)
            else term(t.object),
        )
        for t in triples
        if t.subject not in marks and not (t.predicate == result and t.object in marks)
    )
    return (ox.serialize(kept, format=ox.RdfFormat.TURTLE, prefixes={"sh": vocab.SH}) or b"").decode()


class EngineFeedError(StoreError):
    """The data could not be streamed to the engine whole: its report does not stand for the dump.

    A StoreError: the CLI prints it as `Error: …` (exit 1) and nothing is published.
    """


def validate_file_with(compiled: object, dump: Path, extra: str) -> object:
    """Run the engine on `dump` followed by the N-Triples `extra`, without writing either anywhere.

    With nothing extra the engine reads the dump itself. Otherwise a thread streams the dump and then `extra` into a
    named pipe the engine reads (where the system has none, a copy is made). The report is returned only when the
    whole stream was written: a stream cut short raises :class:`EngineFeedError`, never a report of part of the data.
    """
    import os
    import shutil
    import tempfile

    if not extra:
        return compiled.validate_file(str(dump), allow_warnings=True)  # type: ignore[attr-defined]
    folder = Path(tempfile.mkdtemp(prefix="visitgraph-engine-"))
    pipe = folder / "data.nq"
    try:
        if not hasattr(os, "mkfifo"):  # pragma: no cover - POSIX systems have named pipes
            shutil.copyfile(dump, pipe)
            with open(pipe, "ab") as out:
                out.write(b"\n" + extra.encode())  # a last line without its end stays a line
            return compiled.validate_file(str(pipe), allow_warnings=True)  # type: ignore[attr-defined]
        os.mkfifo(pipe, 0o600)
        outcome: list[BaseException | None] = []

        def feed() -> None:
            try:
                with open(pipe, "wb") as out:
                    with open(dump, "rb") as source:
                        shutil.copyfileobj(source, out, 1 << 20)
                    out.write(b"\n" + extra.encode())  # a last line without its end stays a line
                outcome.append(None)
            except BaseException as e:  # noqa: BLE001 - read by the caller below
                traceback.clear_frames(e.__traceback__)  # handed to the caller's thread: no locals go with it
                outcome.append(e)

        feeder = threading.Thread(target=feed, name="shacl-engine-feed", daemon=True)
        feeder.start()
        try:
            report = compiled.validate_file(str(pipe), allow_warnings=True)  # type: ignore[attr-defined]
        finally:
            end_feed(feeder, pipe)
        if not outcome or outcome[0] is not None:
            why = outcome[0] if outcome else "the stream did not end"
            raise EngineFeedError(
                f"the data could not be streamed whole to the SHACL engine ({why}); nothing was validated or published."
                f" Build again; if it recurs, check the disk that holds {dump}"
            )
        return report
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def end_feed(feeder: threading.Thread, pipe: Path) -> None:
    """Wait for the thread feeding `pipe`; if the engine stopped reading (or never began), let its writes fail."""
    import os

    feeder.join(timeout=1.0)
    while feeder.is_alive():
        # A reader that opens and leaves at once wakes a writer waiting to open, and makes every write fail (EPIPE).
        with contextlib.suppress(OSError):
            os.close(os.open(pipe, os.O_RDONLY | os.O_NONBLOCK))
        feeder.join(timeout=0.2)
