"""Incremental publishing: what changed since the published generation, and which records it touches.

A build records what it was made from (each source file's SHA-256, the changesets replayed, the
shapes). The next build compares: when only changesets were appended (every write over HTTP or the
CLI), it starts from a checkpoint of the published store and applies just those; and whenever the
graphs a change can touch are known, only the focus nodes whose validation context changed are
validated again. Everything else was validated when the published generation was built, against the
same shapes, and its context is unchanged, so its results are too (decision 0013).

The context of a focus node is what :func:`visitgraph.sources.validate.context_quads` extracts: its own
triples, its objects' triples, and back-links along the shapes' inverse paths with the types of
their subjects. A triple (x, y, z) added or removed can only change the context of

- x itself, and every node with a triple pointing at x (x's triples are their neighbours' triples);
- z, when y is an inverse path of some shape (a back-link of z);
- every node x points to along an inverse path, when y is rdf:type (the type of a back-link);

and it can make z a new focus node when y is a `sh:targetObjectsOf` predicate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.sources.load import SourceFile
from visitgraph.sources.validate import Targets
from visitgraph.sparql.analysis import DEFAULT_GRAPH, Analysed
from visitgraph.store.backend import Reader, owning_iris
from visitgraph.store.embedded import on_prune

_DEFAULT = DEFAULT_GRAPH  # how the default graph is named among touched graphs


@dataclass(frozen=True)
class Inputs:
    """What a generation was built from: enough to tell what the next build changes."""

    sources: dict[str, str]  # source path -> SHA-256 of its bytes
    changesets: tuple[str, ...]  # file names, in replay order
    shapes: str  # SHA-256 over the shapes files (names and bytes)
    base: str  # the IRI base graph names and relative IRIs were made with
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (size, mtime_ns) when hashed
    taken_ns: int = 0  # when the digests were taken
    marks: dict[str, list[int]] = field(default_factory=dict)  # data file -> lines with `# check:`

    def to_dict(self) -> dict[str, Any]:
        """Return the inputs as a JSON-ready mapping (kept in the history entry)."""
        return {
            "sources": dict(sorted(self.sources.items())),
            "changesets": list(self.changesets),
            "shapes": self.shapes,
            "base": self.base,
            "stats": {k: list(v) for k, v in sorted(self.stats.items())},
            "taken_ns": self.taken_ns,
            "marks": dict(sorted(self.marks.items())),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Inputs | None:
        """Read inputs back from a history entry; None if absent or not understood."""
        try:
            stats = {str(k): (int(v[0]), int(v[1])) for k, v in data.get("stats", {}).items()}
            return cls(
                {str(k): str(v) for k, v in data["sources"].items()},
                tuple(str(c) for c in data["changesets"]),
                str(data["shapes"]),
                str(data["base"]),
                stats,
                int(data.get("taken_ns", 0)),
                {str(k): [int(n) for n in v] for k, v in data.get("marks", {}).items()},
            )
        except (KeyError, TypeError, AttributeError, ValueError, IndexError):
            return None


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file's bytes, read in blocks (sources can be gigabytes)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def gather_inputs(
    root: Path,
    sources: Sequence[SourceFile],
    changesets: Sequence[Path],
    shapes: Sequence[Path],
    base: str,
    previous: Inputs | None = None,
) -> Inputs:
    """Fingerprint the sources, changesets and shapes a build is about to read.

    A source whose size and modification time are what `previous` recorded keeps its digest (as
    git's index does), unless it was modified in the two seconds before that digest was taken:
    an edit within the clock's resolution could leave both unchanged. Hashing 3.2 GB of sources
    took 17 s of every write at 1M visits.
    """
    import time

    taken = time.time_ns()
    shapes_digest = hashlib.sha256()
    for path in shapes:
        shapes_digest.update(path.name.encode() + b"\0" + file_digest(path).encode() + b"\0")
    from visitgraph.sources.review import marks_in

    digests: dict[str, str] = {}
    stats: dict[str, tuple[int, int]] = {}
    marks: dict[str, list[int]] = {}
    for source in sources:
        st = (root / source.relpath).stat()
        stat = stats[source.relpath] = (st.st_size, st.st_mtime_ns)
        known = previous.sources.get(source.relpath) if previous is not None else None
        if (
            known is not None
            and previous is not None
            and previous.stats.get(source.relpath) == stat
            and stat[1] < previous.taken_ns - 2_000_000_000
        ):
            digests[source.relpath] = known
            lines = previous.marks.get(source.relpath, [])
        else:
            digests[source.relpath] = file_digest(root / source.relpath)
            lines = marks_in(root / source.relpath) if source.kind == "data" else []
        if lines:
            marks[source.relpath] = lines
    return Inputs(
        digests,
        tuple(p.name.removeprefix(".pending-") for p in changesets),
        shapes_digest.hexdigest(),
        base,
        stats,
        taken,
        marks,
    )


@dataclass
class Plan:
    """How the next build can reuse the published generation."""

    changed: list[SourceFile] = field(default_factory=list)  # added or edited sources
    removed: list[str] = field(default_factory=list)  # graph IRIs of sources that are gone
    new_changesets: list[Path] = field(default_factory=list)  # appended since, in replay order
    from_checkpoint: bool = False  # stage = checkpoint of the published store + the new changesets
    touched: set[str] = field(default_factory=set)  # graphs whose content may differ (or _DEFAULT)
    base_triples: int | None = None  # the published generation's quads, from its history entry
    base_counts: dict[str, int] | None = None  # and its class counts

    def describe(self) -> str:
        """Say what the build reuses, for the report."""
        parts = [
            f"{len(self.changed)} changed source(s)",
            f"{len(self.removed)} removed",
            f"{len(self.new_changesets)} new changeset(s)",
        ]
        return (
            "from the published store: " if self.from_checkpoint else "reloaded, validated by change: "
        ) + ", ".join(parts)


def plan_build(
    previous: Inputs | None,
    now: Inputs,
    sources: Sequence[SourceFile],
    changesets: Sequence[Path],
    base: str,
    analysed: Mapping[Path, Analysed] | None = None,
) -> tuple[Plan | None, str]:
    """Decide how much of the published generation the next build can reuse.

    :param analysed: changesets already analysed (the write being built): their text is not read again.

    :returns: a plan, or None and the reason the whole graph must be validated again.
    """
    if previous is None:
        return None, "the published generation does not record its inputs"
    if previous.shapes != now.shapes:
        return None, "the shapes changed"
    if previous.base != now.base:
        return None, "the IRI base changed"
    if now.changesets[: len(previous.changesets)] != previous.changesets:
        return None, "changesets were removed or reordered"
    by_path = {s.relpath: s for s in sources}
    changed = [by_path[p] for p, digest in now.sources.items() if previous.sources.get(p) != digest]
    gone = sorted(set(previous.sources) - set(now.sources))
    if any(s.kind == "ontology" for s in changed) or any(p.startswith("ontology/") for p in gone):
        return None, "the ontology changed"
    if any(s.relpath.endswith(".trig") for s in changed) or any(p.endswith(".trig") for p in gone):
        return None, "a TriG source changed (it can name any graph)"
    new = list(changesets[len(previous.changesets) :])
    plan = Plan(changed, [vocab.graph_iri(base, p) for p in gone], new)
    plan.touched = {s.graph for s in changed} | set(plan.removed)
    # A checkpoint already holds every replayed changeset: only appending is safe on top of it.
    # When a source changed, the old changesets are replayed over it, so their graphs may differ too.
    replayed = new if not (changed or gone) else list(changesets)
    plan.from_checkpoint = not (changed or gone)
    for path in replayed:
        known = (analysed or {}).get(path)
        if known is not None and known.base_iri == base:
            graphs = known.touched_graphs
        else:
            graphs = touched_graphs(path.read_text(encoding="utf-8"), base)
        if graphs is None:
            return None, f"changeset {path.name.removeprefix('.pending-')} can write to any graph"
        plan.touched |= graphs
    return plan, ""


def touched_graphs(sparql: str, base: str) -> set[str] | None:
    """Name the graphs a SPARQL Update can write to; None when it may write to any graph.

    (:attr:`visitgraph.sparql.analysis.Analysed.touched_graphs`: a write passes its analysis instead.)
    """
    return Analysed(sparql, base).touched_graphs


def _graph_term(name: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if name == _DEFAULT else ox.NamedNode(name)


def graph_triples(store: Reader, name: str) -> set[ox.Triple]:
    """Return the triples of one graph of a store."""
    return {q.triple for q in store.quads_for_pattern(None, None, None, _graph_term(name))}


def delta(old: Reader, new: Reader, graphs: Iterable[str]) -> set[ox.Triple]:
    """Return the triples added to or removed from `graphs` between two stores."""
    out: set[ox.Triple] = set()
    for name in graphs:
        out |= graph_triples(old, name) ^ graph_triples(new, name)
    return out


def _term_key(term: object) -> str | None:
    if isinstance(term, ox.NamedNode):
        return term.value
    return None


def affected_nodes(stores: Sequence[Reader], changes: Iterable[ox.Triple], targets: Targets) -> set[str]:
    """Return the IRIs whose validation context (or focus-node status) the changed triples touch."""
    inverse = set(targets.inverse)
    objects_of = set(targets.objects_of)
    direct: set[str] = set()  # x of every changed triple
    retyped: set[str] = set()  # x of changed rdf:type triples
    blank: set[ox.BlankNode] = set()  # blank subjects: found by pattern, not by IRI
    for t in changes:
        if isinstance(t.subject, ox.BlankNode):
            blank.add(t.subject)
        x = _term_key(t.subject)
        if x is not None:
            direct.add(x)
            if t.predicate.value == vocab.RDF_TYPE:
                retyped.add(x)
        z = _term_key(t.object)
        if z is not None and (t.predicate.value in inverse or t.predicate.value in objects_of):
            direct.add(z)
    out = set(direct)
    subjects: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(x) for x in direct] + list(blank)
    for store in stores:
        # Nodes pointing at x: x's triples are part of their context; a blank node pointing at x counts as the
        # IRIs that hold it.
        out |= owning_iris(store, subjects, set(blank))
        for typed in retyped:  # x's type is part of the context of what x back-links to
            for predicate in inverse:
                for q in store.quads_for_pattern(ox.NamedNode(typed), ox.NamedNode(predicate), None, None):
                    key = _term_key(q.object)
                    if key is not None:
                        out.add(key)
    return out


def targeted(store: ox.Store, nodes: Iterable[str], targets: Targets) -> list[str]:
    """Keep the nodes some shape targets in `store`, sorted."""
    from visitgraph.sources.validate import focus_by_shape

    return sorted({n for found in focus_by_shape(store, sorted(set(nodes)), targets).values() for n in found})


# -- what each generation was built from ------------------------------------------------------


def _inputs_path(store_path: Path, gen_id: str) -> Path:
    return Path(store_path) / "inputs" / f"{gen_id}.json"


def save_inputs(store_path: Path, gen_id: str, inputs: Inputs) -> None:
    """Keep a generation's inputs beside it (a file per generation: a history line stays short)."""
    import json

    from visitgraph.core.fileio import write_atomic

    write_atomic(_inputs_path(store_path, gen_id), json.dumps(inputs.to_dict(), sort_keys=True))


def load_inputs(store_path: Path, gen_id: str) -> Inputs | None:
    """Read a generation's inputs; None when it was built before they were kept, or unreadable."""
    import json

    try:
        return Inputs.from_dict(json.loads(_inputs_path(store_path, gen_id).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def prune_inputs(store_path: Path, keep: Sequence[str]) -> None:
    """Remove the inputs of generations no longer on disk."""
    folder = Path(store_path) / "inputs"
    if folder.is_dir():
        for path in folder.glob("*.json"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)


on_prune(prune_inputs)  # the store calls it after removing old generations


def quads_after(old: Reader, new: Reader, graphs: Iterable[str], before: int) -> int:
    """Count a store's quads from the count before and the graphs that changed (not a full scan)."""
    for name in graphs:
        term = _graph_term(name)
        before += sum(1 for _ in new.quads_for_pattern(None, None, None, term))
        before -= sum(1 for _ in old.quads_for_pattern(None, None, None, term))
    return before


def counts_after(
    old: Reader, new: Reader, changes: Iterable[ox.Triple], before: Mapping[str, int], classes: Mapping[str, str]
) -> dict[str, int]:
    """Update per-class instance counts (`classes`: short name -> IRI) from the changed type triples.

    Only a subject whose rdf:type triples changed can start or stop being an instance; it is
    counted once whatever graph types it, as `COUNT(DISTINCT ?s)` over the union graph does.
    """
    rdf_type = ox.NamedNode(vocab.RDF_TYPE)
    out = {name: before.get(name, 0) for name in classes}
    retyped = {t.subject for t in changes if t.predicate == rdf_type}
    for subject in retyped:
        was = {q.object.value for q in old.quads_for_pattern(subject, rdf_type, None, None)}  # type: ignore[union-attr]
        now = {q.object.value for q in new.quads_for_pattern(subject, rdf_type, None, None)}  # type: ignore[union-attr]
        for name, iri in classes.items():
            out[name] += (iri in now) - (iri in was)
    return {name: n for name, n in sorted(out.items()) if n}
