"""Contributed linksets: links from our IRIs to another institution's, reviewed before they are published.

A contributor's file (Turtle, N-Triples, or a CSV of ``ours,theirs[,predicate]``) is
checked line by line, then kept as ``linksets/pending/<contributor-slug>.ttl`` with
its PROV-O provenance. A librarian accepts it (moved to ``linksets/accepted/``, which
every build reads as one named graph per file, then published through
:func:`visitgraph.publish.pipeline.build` by :mod:`visitgraph.publish.linkset_review`) or rejects it (``linksets/rejected/`` with the
reason). Replacing or withdrawing a contributor's published links swaps one file
and rebuilds; if the build fails the file is put back, so nothing else changes.
"""

from __future__ import annotations

import contextlib
import fcntl
import heapq
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.core.errors import LinksetInvalid, VisitgraphError
from visitgraph.core.fileio import write_atomic
from visitgraph.linking.linkset_files import (
    DEFAULT_PREDICATE,
    LINK_PREDICATES,
    STATES,
    Link,
    LinksetInfo,
    check_links,
    contributor_slug,
    published_resources,
    read_links,
    read_linkset_file,
    render_linkset,
)
from visitgraph.store.backend import Reader, Store, reader_of
from visitgraph.store.embedded import now_iso

__all__ = [
    "DEFAULT_PREDICATE",
    "LINK_PREDICATES",
    "Link",
    "LinksetInfo",
    "LinksetProblems",
    "add_linkset",
    "add_links",
    "also_known_as",
    "check_links",
    "contributor_slug",
    "linkset_node",
    "linkset_path",
    "linkset_text",
    "linkset_void_triples",
    "linksets_lock",
    "list_linksets",
    "read_links",
]


#: Most problems a refused linkset names, by line; the rest are counted (a 1 MB body can hold 200,000).
MAX_PROBLEMS = 100


class LinksetProblems(LinksetInvalid):
    """A refused linkset: names its first :data:`MAX_PROBLEMS` problems by line and counts the rest."""

    def __init__(self, name: str, problems: list[tuple[int | None, str]]) -> None:
        self.total = len(problems)
        shown = heapq.nsmallest(MAX_PROBLEMS, problems, key=lambda p: (p[0] or 0, p[1]))
        more = self.total - len(shown)
        super().__init__(name, shown + [(None, f"and {more} more problem(s), not listed")] if more else shown)
        if more:
            head = f"{name}: {len(shown) + 1} problem(s)"
            self.message = (
                f"{name}: {self.total} problem(s), the first {len(shown)} listed" + self.message.removeprefix(head)
            )
            self.args = (self.message,)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "type": LinksetInvalid.__name__, "problems_total": self.total}


def linksets_dir(settings: Settings) -> Path:
    """Return the folder holding pending/, accepted/, rejected/ and withdrawn/ linksets."""
    return settings.root / "linksets"


@contextlib.contextmanager
def linksets_lock(settings: Settings) -> Iterator[None]:
    """Hold the linksets folder's lock (one change to the stored linksets at a time, across processes)."""
    folder = linksets_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def linkset_path(settings: Settings, state: str, slug: str) -> Path:
    """Return where a contributor's linkset in a state (pending, accepted, ...) is kept."""
    return linksets_dir(settings) / state / f"{slug}.ttl"


def add_linkset(
    settings: Settings, store: Store, contributor: str, data: bytes | str, filename: str, *, merge: bool = False
) -> LinksetInfo:
    """Check a contributed file and keep it as the contributor's pending linkset (replacing any).

    :param merge: add to the contributor's pending (else published) links instead of replacing them.
    :raises LinksetInvalid: naming the bad lines (the first hundred, the rest counted); nothing is stored.
    """
    name = Path(filename).name or "linkset"
    links, problems = read_links(data, name, settings.base_iri)
    return add_links(settings, store, contributor, links, name, merge=merge, problems=problems)


def add_links(
    settings: Settings,
    store: Store,
    contributor: str,
    links: list[Link],
    source: str,
    *,
    merge: bool = False,
    problems: list[tuple[int | None, str]] | None = None,
) -> LinksetInfo:
    """Check links (e.g. matches a reconciliation client confirmed) and keep them as a pending linkset.

    :raises LinksetInvalid: naming the bad links (the first :data:`MAX_PROBLEMS` by line, the rest counted);
        nothing is stored.
    """
    slug = contributor_slug(contributor)
    problems = list(problems or [])
    problems += check_links(links, published_resources(store.reader(), settings.base_iri), settings.base_iri)
    if problems:
        raise LinksetProblems(source, problems)
    if not links:
        raise LinksetInvalid(source, [(None, "the file holds no links")])
    with linksets_lock(settings):
        if merge:
            for state in ("pending", "accepted"):
                if linkset_path(settings, state, slug).exists():
                    _, old = read_linkset_file(linkset_path(settings, state, slug), settings.base_iri, state)
                    have = {(k.subject, k.predicate, k.object) for k in links}
                    links = links + [k for k in old if (k.subject, k.predicate, k.object) not in have]
                    break
        text = render_linkset(settings.base_iri, slug, contributor, now_iso(), source, links)
        write_atomic(linkset_path(settings, "pending", slug), text)
    return read_linkset_file(linkset_path(settings, "pending", slug), settings.base_iri, "pending")[0]


def list_linksets(settings: Settings, state: str | None = None) -> list[LinksetInfo]:
    """List stored linksets (of one state, or all), by state then name."""
    out = []
    for st in STATES if state is None else (state,):
        folder = linksets_dir(settings) / st
        for path in sorted(folder.glob("*.ttl")) if folder.is_dir() else []:
            if not path.name.startswith("."):
                out.append(read_linkset_file(path, settings.base_iri, st)[0])
    return out


def _not_written(term: object, graph: ox.NamedNode, what: str, expected: str) -> VisitgraphError:
    name = graph.value.rsplit("/", 1)[-1]
    return VisitgraphError(
        f"The published linkset graph <{graph.value}> has {term} as {what}, where `visitgraph linkset` writes "
        f"{expected}: fix linksets/accepted/{name} (or add it again with `visitgraph linkset add`) and rebuild."
    )


def linkset_node(
    term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, graph: ox.NamedNode, what: str
) -> ox.NamedNode | ox.BlankNode:
    """Return a term of an accepted linkset's graph that must be an IRI or a blank node (a linkset, its contributor).

    :raises VisitgraphError: naming the graph, its file and the term (a file edited by hand).
    """
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term
    raise _not_written(term, graph, what, "an IRI")


def linkset_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, graph: ox.NamedNode, what: str) -> str:
    """Return the text of a term of an accepted linkset's graph: an IRI, a blank node's id or a literal's value.

    :raises VisitgraphError: for a triple term, which has no text (a file edited by hand).
    """
    if isinstance(term, ox.Triple):
        raise _not_written(term, graph, what, "an IRI or a literal")
    return term.value


def _linkset_graphs(reader: Reader, base: str) -> list[ox.NamedNode]:
    prefix = vocab.graph_iri(base, "linksets/accepted/")
    return sorted(
        (g for g in reader.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith(prefix)),
        key=lambda g: g.value,
    )


def _common_namespace(iris: list[str]) -> str:
    """Return the namespace the objects share (their common prefix up to a '/' or '#').

    >>> _common_namespace(["http://viaf.org/viaf/1", "http://viaf.org/viaf/22"])
    'http://viaf.org/viaf/'
    """
    prefix = os.path.commonprefix(iris)
    cut = max(prefix.rfind("/"), prefix.rfind("#"))
    namespace = prefix[: cut + 1]
    if not re.match(r"^[A-Za-z][\w+.-]*://[^/]+/", namespace):
        hosts = Counter(m.group(0) for i in iris if (m := re.match(r"^[A-Za-z][\w+.-]*://[^/?#]+/?", i)))
        namespace = hosts.most_common(1)[0][0] if hosts else namespace
    return namespace


def linkset_void_triples(store: Store | Reader, base: str, dataset_iri: str | None = None) -> list[ox.Triple]:
    """Describe every published linkset as a void:Linkset (one subset per link predicate).

    Each gets void:linkPredicate, void:triples, void:subjectsTarget (our dataset, by
    default the base IRI) and void:objectsTarget (the namespace its objects share).

    :param store: a Store (its published generation) or a reader (a pyoxigraph Store, ...).
    """
    reader = reader_of(store)
    ours = ox.NamedNode(dataset_iri or base)
    void, rdf_type = vocab.VOID, ox.NamedNode(vocab.RDF_TYPE)
    out: list[ox.Triple] = []
    for graph in _linkset_graphs(reader, base):
        nodes = [q.subject for q in reader.quads_for_pattern(None, rdf_type, ox.NamedNode(void + "Linkset"), graph)]
        if not nodes:
            continue
        ls = linkset_node(nodes[0], graph, "a void:Linkset")
        by_pred: dict[str, list[str]] = {}
        for pred in LINK_PREDICATES:
            # Read whole before any check can raise: a traceback must not keep the store's iterator (decision 0060).
            found = list(reader.quads_for_pattern(None, ox.NamedNode(pred), None, graph))
            objs = [linkset_text(q.object, graph, "a link's object") for q in found]
            if objs:
                by_pred[pred] = objs
        every = [o for objs in by_pred.values() for o in objs]
        out += _void_node(ls, ours, every, by_pred if len(by_pred) == 1 else {})
        out.append(ox.Triple(ls, ox.NamedNode(vocab.DCTERMS + "source"), ox.NamedNode(graph.value)))
        if len(by_pred) > 1:
            for pred, objs in sorted(by_pred.items()):
                sub = ox.NamedNode(f"{ls.value}#{LINK_PREDICATES[pred].replace(':', '-')}")
                out.append(ox.Triple(ls, ox.NamedNode(void + "subset"), sub))
                out += _void_node(sub, ours, objs, {pred: objs})
    return out


def _void_node(node: Any, ours: ox.NamedNode, objects: list[str], preds: dict[str, list[str]]) -> list[ox.Triple]:
    void = vocab.VOID
    out = [
        ox.Triple(node, ox.NamedNode(vocab.RDF_TYPE), ox.NamedNode(void + "Linkset")),
        ox.Triple(
            node,
            ox.NamedNode(void + "triples"),
            ox.Literal(str(len(objects)), datatype=ox.NamedNode(vocab.XSD + "integer")),
        ),
        ox.Triple(node, ox.NamedNode(void + "subjectsTarget"), ours),
        ox.Triple(node, ox.NamedNode(void + "objectsTarget"), ox.NamedNode(_common_namespace(objects))),
    ]
    out += [ox.Triple(node, ox.NamedNode(void + "linkPredicate"), ox.NamedNode(p)) for p in preds]
    return out


def also_known_as(store: Store | Reader, iri: str, base: str | None = None) -> list[tuple[str, str, str]]:
    """List where else a resource is known: (link predicate IRI, their IRI, contributor name), sorted.

    Only links from published (accepted) linksets count.

    :param store: a Store (its published generation) or a reader (a pyoxigraph Store, ...).
    :param base: our IRI base (default: the part of `iri` before its kind).
    """
    reader = reader_of(store)
    if base is None:
        base = re.sub(r"[^/]+/[^/]+$", "", iri)
    out = set()
    for graph in _linkset_graphs(reader, base):
        for pred in LINK_PREDICATES:
            for q in reader.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(pred), None, graph):
                out.add((pred, linkset_text(q.object, graph, "a link's object"), _contributor(reader, graph)))
    return sorted(out)


def _contributor(reader: Reader, graph: ox.NamedNode) -> str:
    for q in reader.quads_for_pattern(None, ox.NamedNode(vocab.PROV + "wasAttributedTo"), None, graph):
        agent = linkset_node(q.object, graph, "the object of prov:wasAttributedTo")
        for n in reader.quads_for_pattern(agent, ox.NamedNode(vocab.SCHEMA + "name"), None, graph):
            return linkset_text(n.object, graph, "the contributor's schema:name")
    return graph.value.rsplit("/", 1)[-1].removesuffix(".ttl")
