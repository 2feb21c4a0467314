"""A matcher that reads the entities it scores from the store, a few per query (decision 0048).

:class:`~visitgraph.linking.match.Matcher` holds every visit, person, organisation and topic of a
generation in memory: 214 s and 1.1 GB for 240,000 entities at 100k visits, never built at a
million. :class:`StoreMatcher` holds none of them. For each query it asks

- the generation's full-text index for at most ``LOOKUP_LIMIT`` resources of the asked kinds with
  the query's words (all words first, then any: :meth:`SearchIndex.resources`), as the in-memory
  matcher does for a common word;
- the statistics file (:mod:`visitgraph.linking.matchstats`) for the resources of the query's compact
  form and acronyms (``#`` keys), as the in-memory matcher does, and for the word weights;
- its own small word index of the topics (their SKOS labels are not in the full-text index; a
  generation has few) for the topics sharing a key;

then reads those resources' labels, classes and kept properties from the store (one subject's
triples each, kept in a bounded cache: a generation never changes) and scores them with the
in-memory matcher's own code. A query with no name (properties alone) scores every entity, as in
memory, each read from the store as it comes: its time limit (``reconcile_timeout``) ends it at scale.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.names import STOPWORDS, LabelKeys
from visitgraph.linking import match as match_module
from visitgraph.linking import matchstats
from visitgraph.linking.entities import KIND_TYPES, LABEL_PREDICATES, PROPERTY_PATHS, VISIT_LINKS, Entity, resolve_id
from visitgraph.linking.match import Matcher, _prefixes
from visitgraph.linking.matchindex import WordIndex, label_keys
from visitgraph.linking.matchstats import MatchStats
from visitgraph.queries import searchindex
from visitgraph.store.backend import Reader, Store

#: Entities kept read (a batch of 10 queries reads at most ~1,000; a generation never changes).
CACHE_SIZE = 20_000
#: Resources a suggest (`prefix=`) completes from: the first hits of the full-text index.
SUGGEST_POOL = 200
_TYPE = vocab.RDF_TYPE
_NAMES = (vocab.SCHEMA + "name", vocab.SKOS + "prefLabel")
_ONE_STEP = {path[0]: pid for pid, path in PROPERTY_PATHS.items() if len(path) == 1}
_TWO_STEP = {path[0]: (pid, path[1]) for pid, path in PROPERTY_PATHS.items() if len(path) == 2}
_LIGHT = tuple(ox.NamedNode(p) for p in (*LABEL_PREDICATES, _TYPE))


def read_entity(reader: Reader, base: str, iri: str, props: bool = True) -> Entity | None:
    """Read one entity as :func:`~visitgraph.linking.matchread.read_entities` reads every one (no "visits").

    With `props` false only its labels and classes (what scoring a name needs: a visit's other
    triples, its source passage among them, cost more to read than these five look-ups).
    None when `iri` is not minted under `base` for a kind, or has no label or no class.
    """
    split = vocab.split_iri(base, iri)
    if split is None or split[0] not in KIND_TYPES:
        return None
    e = Entity(iri, f"{split[0]}/{split[1]}", split[0], "")
    by_predicate: dict[str, list[Any]] = {}
    node = ox.NamedNode(iri)
    if props:
        for q in reader.quads_for_pattern(node, None, None, None):
            by_predicate.setdefault(q.predicate.value, []).append(q.object)
    else:
        for light in _LIGHT:
            by_predicate[light.value] = [q.object for q in reader.quads_for_pattern(node, light, None, None)]
    seen: set[tuple[str, str]] = set()
    for pred in LABEL_PREDICATES:
        for obj in by_predicate.get(pred, ()):
            if isinstance(obj, ox.Literal) and ("", obj.value) not in seen:
                seen.add(("", obj.value))
                if pred in _NAMES and not e.name:
                    e.name = obj.value
                e.labels.append(obj.value)
    e.types = {o.value for o in by_predicate.get(_TYPE, ()) if isinstance(o, ox.NamedNode)}
    for pred, objects in by_predicate.items() if props else ():
        pid = _ONE_STEP.get(pred)
        if pid is not None:
            ends: list[Any] = objects
        elif pred in _TWO_STEP:
            pid, second = _TWO_STEP[pred]
            ends = [
                q.object
                for o in objects
                if isinstance(o, (ox.NamedNode, ox.BlankNode))
                for q in reader.quads_for_pattern(o, ox.NamedNode(second), None, None)
            ]
        else:
            continue
        for end in ends:
            if isinstance(end, (ox.NamedNode, ox.Literal)) and (pid, end.value) not in seen:
                seen.add((pid, end.value))
                e.props[pid].append(end.value)
    if not e.labels or not e.types:
        return None
    e.name = e.name or e.labels[0]
    for values in e.props.values():
        values.sort()
    e.keys = [LabelKeys.of(label) for label in e.labels]
    return e


def visits_of(reader: Reader, base: str, iri: str) -> list[str]:
    """Return the visits linked to `iri` by attendee, contributor or about (the "visits" property), sorted."""
    out: set[str] = set()
    node = ox.NamedNode(iri)
    for pid in VISIT_LINKS:
        for q in reader.quads_for_pattern(None, ox.NamedNode(PROPERTY_PATHS[pid][0]), node, None):
            if not isinstance(q.subject, ox.NamedNode):
                continue
            split = vocab.split_iri(base, q.subject.value)
            if split is not None and split[0] == "visit":
                out.add(q.subject.value)
    return sorted(out)


class StoreMatcher(Matcher):
    """A matcher of one published generation that reads only the entities each query needs."""

    def __init__(
        self, reader: Reader, base: str, search: Any, stats: MatchStats, generation: str | None = None
    ) -> None:
        self.base = base
        self.generation = generation
        self.reader = reader
        #: The generation's full-text index (required: it hands the candidates).
        self.search = search
        self.stats = stats
        self.word_limit = 0
        self.lookups = 0
        self.reads = 0  # entities read from the store (each once while cached)
        #: Entities read, by (IRI, with properties): candidates are first read for their names alone.
        self._cache: OrderedDict[tuple[str, bool], Entity | None] = OrderedDict()
        self._lock = threading.Lock()
        topics = [
            e
            for q in reader.quads_for_pattern(None, ox.NamedNode(_TYPE), ox.NamedNode(KIND_TYPES["topic"][0]), None)
            if isinstance(q.subject, ox.NamedNode)
            and (e := self.by_iri(q.subject.value)) is not None
            and e.kind == "topic"
        ]
        self.topics = {e.id: e for e in topics}
        #: Topics by key: their SKOS labels are not in the full-text index (a generation has few).
        self.unindexed = WordIndex((e.id, e.kind, e.keys) for e in self.topics.values())

    @classmethod
    def open(cls, store: Store, base: str, search: Any, stats: MatchStats) -> StoreMatcher:
        """Return the matcher of `store`'s current generation (a :class:`~visitgraph.store.backend.Store`)."""
        current = store.current()
        return cls(store.reader(), base, search, stats, current.id if current is not None else None)

    # -- entities, read per use ----------------------------------------------------------------

    def _read(self, iri: str, props: bool) -> Entity | None:
        key = (iri, props)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            if not props and (iri, True) in self._cache:
                return self._cache[(iri, True)]
        found = read_entity(self.reader, self.base, iri, props)
        with self._lock:
            self.reads += 1
            self._cache[key] = found
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return found

    @property
    def entities_read(self) -> int:
        """Return how many distinct resources the matcher has read and still keeps."""
        with self._lock:
            return len({iri for iri, _ in self._cache})

    def by_iri(self, iri: str) -> Entity | None:
        """Return the entity with this IRI, read from the store with its properties (None: not an entity)."""
        return self._read(iri, True)

    def complete(self, entity: Entity) -> Entity:
        """Return a candidate read for its name alone with its kept properties too (it scored well enough)."""
        return self._read(entity.iri, True) or entity

    def get(self, ref: str) -> Entity | None:
        """Return the entity for an id (`kind/slug`), its IRI, or an encoded form of either, with its visits."""
        key = resolve_id(ref, self.base)
        found = self.by_iri(self.base + key) if key else None
        if found is None:
            return None
        visits = visits_of(self.reader, self.base, found.iri)
        if not visits:
            return found
        full = Entity(
            found.iri, found.id, found.kind, found.name, found.labels, found.types, found.props.copy(), found.keys
        )
        full.props["visits"] = visits
        return full

    def label_of(self, value: str) -> str:
        """Return the name of an entity's IRI, else the value itself."""
        entity = self.by_iri(value) if value.startswith(self.base) else None
        return entity.name if entity else value

    def weight(self, kind: str, word: str) -> float:
        """Return a word's weight among `kind`'s labels, from the generation's statistics."""
        return self.stats.weight(kind, word)

    # -- candidates ----------------------------------------------------------------------------

    def candidates(self, query: LabelKeys, kinds: set[str] | None = None) -> set[str]:
        """Return the IRIs worth scoring: topics sharing a key, the compact form's and acronyms'
        resources (at most ``LOOKUP_LIMIT`` each), and what the full-text index finds by the words."""
        limit = match_module.LOOKUP_LIMIT
        out = {self.topics[i].iri for i in self.unindexed.candidates(query)}
        for key in sorted(k for k in label_keys(query) if k.startswith("#")):
            out |= set(self.stats.tagged(key, limit) or ())
        words = [w for w in query.person if w not in STOPWORDS]
        out |= set(self.search.resources(words, limit, _prefixes(self.base, kinds)))
        self.lookups += 1
        return out

    def pool(self, query: LabelKeys | None, kinds: set[str] | None) -> Iterable[Entity]:
        """Return the candidates' entities by id; for a query with no name, every entity, read one by one."""
        if query is None:
            return self._every_entity()
        found = [e for iri in self.candidates(query, kinds) if (e := self._read(iri, False)) is not None]
        return sorted(found, key=lambda e: e.id)

    def _every_entity(self) -> Iterator[Entity]:
        """Yield every entity of the generation, read as it comes (a query with properties alone scores
        each, as the in-memory matcher does; its time limit stops it long before the end at scale)."""
        seen: set[str] = set()
        for q in self.reader.quads_for_pattern(None, ox.NamedNode(_TYPE), None, None):
            iri = q.subject.value if isinstance(q.subject, ox.NamedNode) else ""
            if iri in seen or vocab.split_iri(self.base, iri) is None:
                continue
            seen.add(iri)
            found = self._read(iri, True)
            if found is not None:
                yield found

    def suggest_pool(self, prefix: str, kinds: set[str] | None) -> Iterable[Entity]:
        """Return the resources whose names the full-text index finds for a typed prefix, and the topics."""
        hits, _ = self.search.search(prefix, SUGGEST_POOL, 0)
        iris = dict.fromkeys(h.resource for h in hits if h.field in ("name", "other name"))
        found = [e for iri in iris if (e := self.by_iri(iri)) is not None]
        return [*found, *(t for t in self.topics.values() if t.iri not in iris)]


class MatcherCache:
    """Keep one matcher per published generation, shared by every request.

    With the generation's full-text index (an embedded store), the matcher is a
    :class:`StoreMatcher`: it reads the entities each query needs
    from the store, and its start-up opens two files (the statistics file is built whole first if
    it is missing). Without one (a remote store, or the index still being built), it is the
    in-memory :class:`Matcher`, built once under a lock while concurrent requests wait for it;
    requests for an unchanged generation never take the lock. ``builds`` counts the matchers made.
    """

    def __init__(self) -> None:
        self._matcher: Matcher | None = None
        self._lock = threading.Lock()
        self.builds = 0

    def get(self, store: Store, base: str) -> Matcher:
        """Return the matcher of `store`'s current generation, making it on first use."""
        current = store.current()
        gen = current.id if current is not None else None
        cached = self._matcher
        if cached is not None and cached.generation == gen and cached.base == base:
            if cached.search is None:  # the index was still being built when the matcher was
                cached.search = searchindex.for_store(store, rebuild=False)
            return cached
        with self._lock:
            cached = self._matcher
            if cached is None or cached.generation != gen or cached.base != base:
                search = searchindex.for_store(store)
                stats = None
                if search is not None:
                    try:
                        stats = matchstats.for_store(store, base)
                    except (OSError, sqlite3.Error):  # a full disk, a damaged file: every entity in memory
                        stats = None
                if search is not None and stats is not None:
                    cached = StoreMatcher.open(store, base, search, stats)
                else:
                    cached = Matcher.from_store(store, base, search)
                self.builds += 1
                self._matcher = cached
            return cached
