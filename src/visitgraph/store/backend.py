"""The `Store` protocol both backends implement, and opening the backend the settings name.

:class:`~visitgraph.store.embedded.EmbeddedStore` (generations of an on-disk Oxigraph store) and
:class:`~visitgraph.store.remote.RemoteStore` (stage locally, publish to a SPARQL server) implement
:class:`Store`; neither inherits the other. Code that must know which one it has reads ``store.backend``
(``"embedded"`` or ``"remote"``) and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pyoxigraph as ox

from visitgraph.sparql.engine import Queryable
from visitgraph.store.embedded import EmbeddedStore, Generation, HistoryEntry, StagedGeneration
from visitgraph.store.remote import RemoteClient, RemoteStore

#: A subject, predicate, object or graph name to match (None: anything), as pyoxigraph takes them.
Subject = ox.NamedNode | ox.BlankNode | ox.Triple | None
Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None
Bound = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@runtime_checkable
class Reader(Queryable, Protocol):
    """What pages read from a published generation: a read-only `pyoxigraph.Store` (embedded) or a
    :class:`~visitgraph.store.remote.RemoteReader` (remote) -- :meth:`Store.reader` gives one.

    It is a :class:`~visitgraph.sparql.engine.Queryable`, so :func:`~visitgraph.sparql.engine.run_query` takes it.
    ``len()`` counts its quads (every graph) and iterating yields them, on both backends. ``isinstance(x, Reader)``
    tells a reader from a :class:`Store` (which has none of these methods).
    """

    def quads_for_pattern(
        self, subject: Subject, predicate: ox.NamedNode | None, obj: Object, graph: GraphName = None, /
    ) -> Iterator[ox.Quad]: ...

    def query(
        self,
        query: str,
        /,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
        substitutions: dict[ox.Variable, Bound] | None = None,
    ) -> Any:  # QuerySolutions, QueryBoolean or QueryTriples, by the query's form
        ...

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[ox.Quad]: ...


class Store(Protocol):
    """What the library asks of a published store, whichever backend holds it."""

    #: ``"embedded"`` or ``"remote"``: the one way to ask which backend this is.
    backend: str
    #: The local folder: generations being staged, the history, the writer lock, derived data.
    path: Path
    keep: int

    @property
    def generations_dir(self) -> Path: ...

    def current(self) -> Generation | None: ...

    def require_current(self) -> Generation: ...

    def reader(self) -> Reader:
        """Return a read-only view of the published generation."""
        ...

    def quads(self, graph: ox.NamedNode | ox.DefaultGraph | None = None) -> Iterator[ox.Quad]: ...

    def graphs(self) -> list[str]: ...

    def history(self) -> list[HistoryEntry]: ...

    def generation_ids(self) -> list[str]: ...

    def write_lock(self) -> AbstractContextManager[None]: ...

    def stage(self, recover: Callable[[], object] | None = None) -> AbstractContextManager[StagedGeneration]: ...

    def record_switch(self, gen_id: str, entry: HistoryEntry, published: str | None = None) -> Generation: ...

    def prune(self) -> None: ...

    def rollback_target(self, to: str | None = None, current: Generation | None = None) -> tuple[Generation, str]: ...

    def switch_back(
        self, current: Generation, to: str, who: str, details: dict[str, Any] | None = None, note: str = ""
    ) -> Generation: ...

    def rollback(self, to: str | None = None, who: str = "cli") -> Generation: ...


def reader_of(source: Store | Reader) -> Reader:
    """Return the reader of a store's published generation, or `source` itself when it is a reader already."""
    return source if isinstance(source, Reader) else source.reader()


def store_from_settings(settings: Any) -> Store:
    """Open the store the settings name: embedded generations, or a remote SPARQL server."""
    if settings.backend == "remote":
        client = RemoteClient(
            settings.remote_query_url,
            settings.remote_update_url,
            settings.remote_user,
            settings.remote_password,
            timeout=settings.query_timeout,
        )
        return RemoteStore(settings.store, client, settings.base_iri, keep=settings.keep_generations)
    return EmbeddedStore(settings.store, keep=settings.keep_generations)


def owning_iris(store: Reader, starts: Iterable[ox.NamedNode | ox.BlankNode], seen: set[ox.BlankNode]) -> set[str]:
    """Return the IRIs that point at any of `starts`, directly or through blank nodes, walking up from them.

    Blank nodes in `seen` are not walked again (a caller sharing one set across calls walks each once); the walk
    adds those it passes. With a stack, not by recursion: the 900th cell of a list is 900 blank nodes below the
    IRI that holds it.
    """
    found: set[str] = set()
    pending = list(starts)
    while pending:
        for q in store.quads_for_pattern(None, None, pending.pop(), None):
            if isinstance(q.subject, ox.NamedNode):
                found.add(q.subject.value)
            elif isinstance(q.subject, ox.BlankNode) and q.subject not in seen:
                seen.add(q.subject)
                pending.append(q.subject)
    return found
