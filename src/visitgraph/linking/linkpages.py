"""Contributed links on resource pages, a page at a time: a resource may hold tens of thousands.

A person with 22,000 contributed links rendered a 6.2 MB page in 1.8 s on every request.
The HTML page now shows :data:`LINKS_PER_PAGE` links of the "Also known in" list per
``?links=N`` page, and at most :data:`MAX_SHOWN_VALUES` values of any one property in the
statements table and the page's JSON-LD; the RDF representations (``.ttl`` …) keep everything.

The sorted rows of every resource come from a :class:`LinkIndex` built once per published
generation (under a lock, shared by requests), so a page costs one slice of a list, not a
read of all the resource's links.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.describe.browse import Paged
from visitgraph.describe.resources import ResourceView
from visitgraph.linking.linkset_files import LINK_PREDICATES
from visitgraph.linking.linksets import linkset_node, linkset_text
from visitgraph.store.backend import Reader, Store

LINKS_PER_PAGE = 100
MAX_SHOWN_VALUES = 50
#: Most values per predicate (outgoing and incoming) a page or its `.json` describes; the
#: page models list them (members, parts, narrower topics), the statements table shows 50.
MAX_DESCRIBED_VALUES = 500


@dataclass(frozen=True)
class LinkPage(Paged):
    """One page of a resource's contributed links: (predicate IRI, their IRI, contributor) rows."""

    items: list[tuple[str, str, str]]
    total: int
    page: int
    pages: int

    def __bool__(self) -> bool:
        return self.total > 0


def page_number(raw: str | None) -> int:
    """Read a `?links=` page number (1 when absent or not a small ASCII number)."""
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= 6:
        return max(1, int(raw))
    return 1


def _contributor(reader: Reader, graph: ox.NamedNode) -> str:
    for q in reader.quads_for_pattern(None, ox.NamedNode(vocab.PROV + "wasAttributedTo"), None, graph):
        agent = linkset_node(q.object, graph, "the object of prov:wasAttributedTo")
        for n in reader.quads_for_pattern(agent, ox.NamedNode(vocab.SCHEMA + "name"), None, graph):
            return linkset_text(n.object, graph, "the contributor's schema:name")
    return graph.value.rsplit("/", 1)[-1].removesuffix(".ttl")


LinkRow = tuple[str, str, str]


def link_rows(reader: Reader, base: str) -> dict[str, list[LinkRow]]:
    """Return every accepted link, sorted, by subject IRI (contributor read once per linkset)."""
    prefix = vocab.graph_iri(base, "linksets/accepted/")
    graphs = [g for g in reader.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith(prefix)]
    rows: dict[str, set[LinkRow]] = {}
    for graph in graphs:
        who = _contributor(reader, graph)
        for pred in LINK_PREDICATES:
            for q in reader.quads_for_pattern(None, ox.NamedNode(pred), None, graph):
                if isinstance(q.subject, ox.NamedNode):
                    rows.setdefault(q.subject.value, set()).add(
                        (pred, linkset_text(q.object, graph, "a link's object"), who)
                    )
    return {iri: sorted(found) for iri, found in rows.items()}


@dataclass(frozen=True)
class LinkIndex:
    """The accepted links of one published generation, by subject."""

    generation: str | None
    base: str
    rows: dict[str, list[LinkRow]]


class LinkIndexCache:
    """Keep one :class:`LinkIndex` per published generation, built once under a lock and shared."""

    def __init__(self) -> None:
        self._index: LinkIndex | None = None
        self._lock = threading.Lock()
        self.builds = 0

    def rows(self, store: Store, base: str, iri: str) -> list[LinkRow]:
        """Return the sorted link rows of `iri` in `store`'s current generation."""
        current = store.current()
        gen = current.id if current is not None else None
        index = self._index
        if index is None or index.generation != gen or index.base != base:
            with self._lock:
                index = self._index
                if index is None or index.generation != gen or index.base != base:
                    index = LinkIndex(gen, base, link_rows(store.reader(), base))
                    self.builds += 1
                    self._index = index
        return index.rows.get(iri, [])


def contributed_links(rows: list[LinkRow], page: int = 1, per_page: int = LINKS_PER_PAGE) -> LinkPage:
    """Return one page of a resource's sorted link rows (the last page when `page` is past the end)."""
    pages = max(1, -(-len(rows) // per_page))
    page = min(max(1, page), pages)
    return LinkPage(rows[(page - 1) * per_page : page * per_page], len(rows), page, pages)


def trim_view(view: ResourceView, cap: int = MAX_SHOWN_VALUES) -> tuple[ResourceView, dict[str, int]]:
    """Cap the values shown per property; return the trimmed view and how many were left out per predicate."""
    more: dict[str, int] = {}
    props = []
    for p in view.properties:
        if len(p.values) > cap or p.omitted:
            more[p.predicate.value] = max(0, len(p.values) - cap) + p.omitted
            p = dataclasses.replace(p, values=p.values[:cap])
        props.append(p)
    return (dataclasses.replace(view, properties=props) if more else view), more
