"""Find the published resources a name written elsewhere refers to (the reconciliation matcher).

A :class:`Matcher` indexes every visit, person, organisation and topic of one
published generation by all its labels (``schema:name``, ``schema:alternateName``,
``skos:prefLabel``, ``skos:altLabel``), each normalised several ways, and scores a
query text against them. Scores run from 0 to 100:

* 100 — the normalised query equals a label (case, diacritics, Turkish dotted İ,
  honorifics, punctuation, hyphen/space variants ignored);
* 97–98 — equal once "named after …" / "(IFLA)" noise or the word order is set aside;
* ~95 — a person named by given name and family name only (patronymic left out),
  or an organisation named by a clear part of its name;
* 88 — equal only up to transliteration (Kh/X/H, ya/ia, y/i, -ian/-ia …);
* below that, a rapidfuzz similarity scaled down so that it never decides alone.

Property constraints (country, date or year, affiliation, job title, attendee) add
or remove points. ``match`` is true only for the top candidate, when it reaches
:data:`MATCH_THRESHOLD` and leads the next one by :data:`MATCH_MARGIN` — so a name
equal only up to transliteration ("Natalia Ivanova") needs a confirming property.

Longer than 400 lines because candidate retrieval (word index, then the search index for common keys) and
scoring with property constraints are one decision per query and are read together.

Reuse it to find existing IRIs before minting new ones::

    matcher = Matcher.from_store(store, settings.base_iri)
    for c in matcher.reconcile("Dr. Mayil Ahmedov", type="person"):
        print(c.iri, c.score, c.match)
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from visitgraph.core import vocab
from visitgraph.core.names import STOPWORDS, LabelKeys, country_code, fold
from visitgraph.linking.entities import KIND_TYPES, Entity, resolve_id
from visitgraph.linking.matchindex import WordIndex, label_keys
from visitgraph.linking.namescore import name_score
from visitgraph.store.backend import Reader, Store

MATCH_THRESHOLD = 85.0
MATCH_MARGIN = 8.0
#: A name score at least this high means the query equals a label (up to case, accents, punctuation).
EXACT = 99.0
#: The most characters of a query (or of a property value naming an entity) the matcher reads.
MAX_QUERY_CHARS = 500
#: Entities scored by name between two calls of `reconcile`'s `check` (a request's time limit);
#: with properties it is called for every entity: one query with no name and 20 properties
#: scores every entity against each (issue 21: minutes at 14,000 entities).
CHECK_EVERY = 8
#: Candidates scoring below this are not returned at all (a name that exists nowhere returns nothing).
MIN_SCORE = 45.0
#: Candidates the word index may hand over before the full-text index is asked instead: a query
#: whose keys reach more entities than this (a common surname at a million visits reaches 100,000)
#: takes its candidates from its rarest keys (this many entities at most) plus at most
#: :data:`LOOKUP_LIMIT` from the full-text index. Scoring one candidate costs 0.3–1 ms (an
#: organisation's labels most), and a batch of 10 queries should answer in well under a second.
WORD_LIMIT = 50
#: Kinds whose labels the full-text index does not hold (SKOS labels): always from the word index.
UNINDEXED_KINDS = frozenset({"topic"})
#: The most candidates a look-up in the full-text index returns (each is scored by name).
LOOKUP_LIMIT = 50


@dataclass(frozen=True)
class Feature:
    """One reason behind a score (the name similarity, a property that agreed or not)."""

    id: str
    name: str
    value: float | bool


@dataclass(frozen=True)
class Candidate:
    """A resource that may be what the query names, with its score (0–100) and match flag."""

    entity: Entity
    score: float
    match: bool
    features: tuple[Feature, ...] = ()

    @property
    def id(self) -> str:
        """Return the short id `kind/slug` the reconciliation service uses."""
        return self.entity.id

    @property
    def iri(self) -> str:
        """Return the resource's IRI."""
        return self.entity.iri

    @property
    def name(self) -> str:
        """Return the resource's preferred name."""
        return self.entity.name


class Matcher:
    """An index of one published generation's visits, people, organisations and topics."""

    def __init__(
        self, entities: Iterable[Entity], base: str, generation: str | None = None, search: Any = None
    ) -> None:
        self.base = base
        self.generation = generation
        #: The generation's full-text index (:class:`~visitgraph.queries.searchindex.SearchIndex`), if any.
        self.search = search
        self.word_limit = WORD_LIMIT
        self.lookups = 0  # queries whose candidates came from the full-text index
        self.entities: dict[str, Entity] = {e.id: e for e in entities}
        self._by_iri = {e.iri: e for e in self.entities.values()}
        for e in self.entities.values():
            e.keys = [LabelKeys.of(label) for label in e.labels]
        self.index = WordIndex((e.id, e.kind, e.keys) for e in self.entities.values())
        #: Entities the full-text index does not hold: topics are labelled with SKOS labels.
        self.unindexed = WordIndex((e.id, e.kind, e.keys) for e in self.entities.values() if e.kind in UNINDEXED_KINDS)

    @classmethod
    def from_store(cls, store: Store | Reader, base: str, search: Any = None) -> Matcher:
        """Index the published generation of `store` (a :class:`~visitgraph.store.backend.Store`), or a reader
        (a pyoxigraph Store: the sources, a draft's store; the matcher then knows no generation).

        :param base: the IRI base resources are minted under; ids are `kind/slug` below it.
        :param search: the generation's full-text index, for the candidates of common words.
        """
        generation = None
        if isinstance(store, Reader):
            reader = store
        else:
            current = store.current()
            generation = current.id if current is not None else None
            reader = store.reader()
        from visitgraph.linking.matchread import read_entities

        return cls(read_entities(reader, base), base, generation, search)

    def candidates(self, query: LabelKeys, kinds: set[str] | None = None) -> set[str]:
        """Return the ids of the entities worth scoring against `query`.

        The word index answers when its keys reach at most :attr:`word_limit` entities (every
        entity sharing a key, as always). Beyond that, and with a full-text index, the candidates
        are the topics sharing a key (SKOS labels are not in the full-text index), the entities of
        the compact form and acronyms, those of the rarest keys (at most :attr:`word_limit` in
        all), plus at most :data:`LOOKUP_LIMIT` resources the full-text index finds by the query's words (all words
        first, then any; same folding), of the asked kinds only.
        """
        if self.search is None or self.index.count(query) <= self.word_limit:
            return self.index.candidates(query)
        out = self.unindexed.candidates(query)
        for key in label_keys(query):  # the compact form and acronyms ("IFLA"): no full-text column holds them
            found = self.index.by_key.get(key, set())
            if key.startswith("#") and len(found) <= LOOKUP_LIMIT:
                out |= found
        budget = self.word_limit  # the rarest keys' entities, as many as the word limit allows
        for found in sorted((self.index.by_key.get(key, set()) for key in label_keys(query)), key=len):
            if len(found) > budget:
                break
            out |= found
            budget -= len(found)
        words = [w for w in query.person if w not in STOPWORDS]
        try:
            iris = self.search.resources(words, LOOKUP_LIMIT, _prefixes(self.base, kinds))
        except sqlite3.Error:  # a damaged or closed file: every entity sharing a key, as without it
            return self.index.candidates(query)
        self.lookups += 1
        return out | {e.id for iri in iris if (e := self._by_iri.get(iri)) is not None}

    def get(self, ref: str) -> Entity | None:
        """Return the entity for an id (`kind/slug`), its IRI, or an encoded form of either."""
        key = resolve_id(ref, self.base)
        return self.entities.get(key) if key else None

    def by_iri(self, iri: str) -> Entity | None:
        """Return the entity with this IRI, if indexed."""
        return self._by_iri.get(iri)

    def label_of(self, value: str) -> str:
        """Return the name of an indexed IRI, else the value itself."""
        entity = self._by_iri.get(value)
        return entity.name if entity else value

    def reconcile(
        self,
        query_text: str,
        type: str | Sequence[str] | None = None,
        properties: Sequence[tuple[str, Any] | Mapping[str, Any]] = (),
        limit: int = 5,
        check: Callable[[], None] | None = None,
    ) -> list[Candidate]:
        """Rank the resources `query_text` may name, best first; at most one has ``match``.

        :param type: a kind ("person"), a class IRI or CURIE (``schema:Person``), or several.
        :param properties: ``(property id, value)`` pairs or ``{"pid", "v"}`` mappings; ids as in
            :data:`PROPERTY_PATHS`, full IRIs, or ``country``/``date``/``year``/``affiliation``.
        :param limit: the most candidates returned.
        :param check: called every :data:`CHECK_EVERY` entities; raises to stop (a time limit).
        """
        kinds = kinds_for(type)
        query_text = query_text[:MAX_QUERY_CHARS]  # a name is short: the rest is never read (issue 21)
        query = LabelKeys.of(query_text) if query_text.strip() else None
        constraints = [c for c in (_constraint(p) for p in properties) if c is not None]
        pool = self.pool(query, kinds)
        scored: list[tuple[float, Candidate]] = []
        for n, entity in enumerate(pool):
            if check is not None and (constraints or n % CHECK_EVERY == 0):  # properties cost ~1 ms each
                check()
            if kinds is not None and entity.kind not in kinds and not (entity.types & kinds):
                continue
            base_score = self.name_score(query, entity) if query else 0.0
            if query and base_score < MIN_SCORE:
                continue
            if constraints:
                entity = self.complete(entity)
            features = [Feature("name", "Name similarity", base_score)]
            score = base_score
            for pid, value in constraints:
                delta = self._property_delta(entity, pid, value)
                if delta is not None:
                    score += delta
                    features.append(Feature(pid, f"Property {pid} agrees", delta > 0))
            if score > 0:
                # the raw score may pass 100 (exact name plus agreeing properties): it ranks and
                # decides the match; clients see it capped to the standardised 0-100 range
                scored.append((score, Candidate(entity, round(min(100.0, score), 1), False, tuple(features))))
        scored.sort(key=lambda r: (-r[0], r[1].entity.name, r[1].id))
        ranked = [c for _, c in scored]
        if _clear_winner(scored):
            top = ranked[0]
            ranked[0] = Candidate(top.entity, top.score, True, top.features)
        return [Candidate(self.complete(c.entity), c.score, c.match, c.features) for c in ranked[: max(0, limit)]]

    def pool(self, query: LabelKeys | None, kinds: set[str] | None) -> Iterable[Entity]:
        """Return the entities worth scoring against `query` (every entity when there is no name), by id."""
        if query is None:
            return self.entities.values()
        return [self.entities[i] for i in sorted(self.candidates(query, kinds))]

    def complete(self, entity: Entity) -> Entity:
        """Return `entity` with its kept properties, for a property to compare or a candidate to return
        (here it has them: everything is read at once)."""
        return entity

    def suggest_pool(self, prefix: str, kinds: set[str] | None) -> Iterable[Entity]:
        """Return the entities a typed prefix is completed from (here: every entity)."""
        return self.entities.values()

    def weight(self, kind: str, word: str) -> float:
        """Return a word's weight among `kind`'s labels (inverse document frequency)."""
        return self.index.weight(kind, word)

    def name_score(self, query: LabelKeys, entity: Entity) -> float:
        """Return the best score of the query against any label of `entity`, words weighted for its kind."""

        def weight(word: str) -> float:
            return self.weight(entity.kind, word)

        return max((name_score(query, k, entity.kind, weight) for k in entity.keys), default=0.0)

    def _property_delta(self, entity: Entity, pid: str, value: Any) -> float | None:
        values = entity.props.get(pid, [])
        if pid == "schema:startDate":
            wanted = str(value).strip()
            if not values:
                return None
            if wanted in values:
                return 10.0
            if any(v[:4] == wanted[:4] for v in values):
                return 6.0 if len(wanted) == 4 else -5.0
            return -25.0
        if pid == "schema:address/schema:addressCountry":
            code = country_code(str(value))
            if not values or code is None:
                return None
            return 8.0 if code in values else -20.0
        if pid in (
            "schema:affiliation",
            "schema:attendee",
            "schema:parentOrganization",
            "schema:about",
            "schema:contributor",
            "skos:broader",
        ):
            if not values or self._unknown_ref(value):
                return None
            return 10.0 if any(self._refers_to(v, value) for v in values) else -15.0
        if pid in ("schema:jobTitle", "schema:description"):
            if not values:
                return None
            best = max(fuzz.token_set_ratio(fold(str(value)), fold(v)) for v in values)
            return 4.0 if best >= 80 else None
        return None

    def _unknown_ref(self, value: Any) -> bool:
        """Say whether a property value is an id or IRI of this graph that names nothing in it (decision 0074).

        A resource the graph has never seen (one minted by a draft, "Stellenbosch University" as someone's new
        workplace) is no evidence about a known entity: it can neither agree with its record nor contradict it.
        """
        ref = value.get("id") if isinstance(value, dict) else value
        if not isinstance(ref, str) or not ref or not resolve_id(ref, self.base):
            return False
        return self.get(ref) is None

    def _refers_to(self, iri: str, value: Any) -> bool:
        """Say whether a property value (an id, an IRI or a name) denotes the resource `iri`."""
        target = self.by_iri(iri)
        if target is None:
            return False
        ref = value.get("id") if isinstance(value, dict) else None
        text = str(value.get("name", "")) if isinstance(value, dict) else str(value)
        for candidate in (ref, text):
            if candidate and resolve_id(candidate, self.base):
                found = self.get(candidate)
                return found is not None and found.iri == target.iri
        if not text:
            return False
        return self.name_score(_keys_of(text[:MAX_QUERY_CHARS]), target) >= 85


@functools.lru_cache(maxsize=256)
def _keys_of(text: str) -> LabelKeys:
    """Return the keys of a property value's text, computed once (it is compared with every candidate)."""
    return LabelKeys.of(text)


def _prefixes(base: str, kinds: set[str] | None) -> tuple[str, ...]:
    """Return the IRI prefixes of the asked kinds (none: any IRI), when every asked type is a kind."""
    if not kinds:
        return ()
    names = {k for k in kinds if k in KIND_TYPES}
    if kinds - names - {KIND_TYPES[k][0] for k in names}:
        return ()  # a class that is not a kind: filtered after scoring, as before
    return tuple(f"{base}{k}/" for k in sorted(names))


def _clear_winner(scored: list[tuple[float, Candidate]]) -> bool:
    """Say whether the top candidate is clear, unique and strong enough to be flagged ``match``.

    Strong: at least :data:`MATCH_THRESHOLD`. Clear and unique: it leads the next candidate
    of its own kind by :data:`MATCH_MARGIN` (a visit named after a person does not compete
    with the person), or its name equals the query and no other candidate's does.
    """
    if not scored or scored[0][0] < MATCH_THRESHOLD:
        return False
    top = scored[0][1]
    rivals = [s for s, c in scored[1:] if c.entity.kind == top.entity.kind]
    if not rivals or scored[0][0] - rivals[0] >= MATCH_MARGIN:
        return True
    exact = [c for _, c in scored if c.entity.kind == top.entity.kind and _name(c) >= EXACT]
    return len(exact) == 1 and exact[0] is top


def _name(c: Candidate) -> float:
    return next((float(f.value) for f in c.features if f.id == "name"), 0.0)


_KIND_ALIASES = {
    "organisation": "organization",
    "org": "organization",
    "concept": "topic",
    "event": "visit",
    "people": "person",
}


def kinds_for(type_: str | Sequence[str] | None) -> set[str] | None:
    """Map type ids (kinds, class IRIs, CURIEs) to the kinds and classes they filter on.

    >>> sorted(kinds_for("http://schema.org/Person"))
    ['http://schema.org/Person', 'person']
    """
    if not type_:
        return None
    out: set[str] = set()
    for t in [type_] if isinstance(type_, str) else type_:
        t = t.strip()
        expanded = _expand(t)
        kind = _KIND_ALIASES.get(t.casefold(), t.casefold())
        if kind in KIND_TYPES:
            out |= {kind, KIND_TYPES[kind][0]}
            continue
        out.add(expanded)
        out |= {k for k, (iri, _) in KIND_TYPES.items() if iri == expanded}
    return out


def _expand(curie_or_iri: str) -> str:
    prefix, sep, local = curie_or_iri.partition(":")
    if sep and prefix in vocab.PREFIXES and not local.startswith("//"):
        return vocab.PREFIXES[prefix] + local
    return curie_or_iri


_PID_ALIASES = {
    "country": "schema:address/schema:addressCountry",
    "schema:addresscountry": "schema:address/schema:addressCountry",
    "date": "schema:startDate",
    "year": "schema:startDate",
    "affiliation": "schema:affiliation",
    "jobtitle": "schema:jobTitle",
    "attendee": "schema:attendee",
}


def property_id(pid: str) -> str:
    """Return the canonical property id (a CURIE path of :data:`PROPERTY_PATHS`) for any spelling.

    >>> property_id("http://schema.org/addressCountry")
    'schema:address/schema:addressCountry'
    """
    text = pid.strip()
    for prefix in ("schema", "skos"):
        ns = vocab.PREFIXES[prefix]
        text = text.replace(ns, prefix + ":")
    return _PID_ALIASES.get(text.casefold(), _PID_ALIASES.get(text.casefold().split("/")[-1], text))


def _constraint(prop: tuple[str, Any] | Mapping[str, Any]) -> tuple[str, Any] | None:
    if isinstance(prop, Mapping):
        pid, value = prop.get("pid") or prop.get("propertyId"), prop.get("v", prop.get("propertyValue"))
    else:
        pid, value = prop
    if not pid or value in (None, "", []):
        return None
    if isinstance(value, list):
        value = value[0]
    return property_id(str(pid)), value
