"""Persistent IRIs: what each published IRI is in a generation, the build's guard, and the ledger hooks.

A resource's *record* is the statements with it as subject (every graph of the union) plus those of
its blank nodes, written as canonical N-Triples (blank nodes named by a hash of the subject and of
their content, so the same statements always give the same text and digest). A record typed
``vg:RetiredResource`` is a retirement record (curated in ``data/retired.ttl``): with
``dcterms:isReplacedBy`` the IRI was merged or renamed (answers 301), without it withdrawn (410).

Three hooks, each one call from the code that publishes: :func:`announce_generation` (from the
build, once the generation is staged and before readers switch: it refuses a generation that drops
a published IRI without a record), :func:`confirm_generation` (after the switch) and
:func:`announce_rollback` (after a rollback's switch). :func:`record_release` ties a release to the
state it was made from.

Longer than 400 lines because a record has three readers that must agree byte for byte (quad by quad, a graph's N-Triples, the build's N-Quads dump; decision 0056) beside the hooks that compare it with the ledger.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import IO, Any, Protocol, TypeAlias, cast

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.errors import VisitgraphError
from visitgraph.describe.resources import LABEL_PREDICATES
from visitgraph.linking.entities import LABEL_PREDICATES as ENTITY_NAMES
from visitgraph.release.ledger import LOOKUP_CHUNK, Ledger, Record, chunked, ledger_exists, open_ledger
from visitgraph.release.ntdiff import diffable
from visitgraph.store.backend import Reader, Store, owning_iris
from visitgraph.store.embedded import Generation, on_rollback

RETIRED = vocab.VG + "RetiredResource"
FORMER_TYPE = vocab.VG + "formerType"
REPLACED_BY = vocab.DCTERMS + "isReplacedBy"
INVALIDATED = vocab.PROV + "invalidatedAtTime"
CHANGE_NOTE = vocab.SKOS + "changeNote"
#: Kinds whose IRIs a build may not drop without a retirement record (the curated data's resources).
GUARDED_KINDS = ("visit", "person", "organization", "topic", "gift", "agreement", "source", "scheme")
RETIRED_FILE = "data/retired.ttl"
#: The predicates of the statements that name a record's status, class and label, and the names the matcher reads of
#: an entity (:attr:`Record.names`; decision 0079), and as N-Triples terms.
_NAMING = frozenset((vocab.RDF_TYPE, REPLACED_BY, FORMER_TYPE, *LABEL_PREDICATES, *ENTITY_NAMES))
_NAMING_TERMS = frozenset(f"<{p}>" for p in _NAMING)
#: IRIs that are subjects in more than one named graph (their records are read whole, not graph by graph).
_SHARED = "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?s HAVING (COUNT(DISTINCT ?g) > 1)"
#: One run of an N-Quads dump: consecutive lines with the same subject (group 1) and graph (group 2, the
#: line's last term). Terms are written without spaces but literals, so these two are space-free tokens.
_RUN = re.compile(r"([^ \n]+) [^\n]* ([^ \n]+) \.\n(?:\1 [^\n]* \2 \.\n)*")
#: A language tag as Oxigraph writes it (lower case, no direction): read as is, as its parser would.
_LANG = re.compile("[a-z0-9]+(?:-[a-z0-9]+)*")
#: Characters of the dump read at a time (a run that goes on past them is carried to the next read).
_PIECE = 1 << 22
#: What a record's naming statement says: (predicate, object's value, its language, whether it is an IRI).
Fact: TypeAlias = tuple[str, str, str | None, bool]


class DroppedIris(VisitgraphError):
    """A build would drop IRIs published before, without a record of what became of them."""

    status = 409

    def __init__(self, iris: list[str]) -> None:
        self.iris = iris
        shown = "\n".join(f"  {iri}" for iri in iris[:50])
        more = f"\n  ... and {len(iris) - 50} more" if len(iris) > 50 else ""
        super().__init__(
            f"This build would drop {len(iris)} published IRI(s) without saying what became of them; "
            f"nothing was published:\n{shown}{more}\n"
            f"Record each in {RETIRED_FILE} (or in the same write, in graph <…/graph/{RETIRED_FILE}>):\n"
            "  merged or renamed (answers 301): <IRI> a vg:RetiredResource ; dcterms:isReplacedBy <successor> ;\n"
            '      rdfs:label "its label" ; vg:formerType schema:Person ;\n'
            '      prov:invalidatedAtTime "2026-12-02T00:00:00Z"^^xsd:dateTime ; skos:changeNote "why" .\n'
            "  withdrawn (answers 410 Gone): the same without dcterms:isReplacedBy.\n"
            "Or keep the resources in the data. Then build again."
        )

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "iris": self.iris}


def guarded(iri: str, base: str) -> bool:
    """Say whether `iri` is a curated resource a build may not drop silently.

    >>> guarded("https://w3id.org/visitgraph/id/person/x", "https://w3id.org/visitgraph/id/")
    True
    >>> guarded("https://w3id.org/visitgraph/id/linkset/x", "https://w3id.org/visitgraph/id/")
    False
    """
    split = vocab.split_iri(base, iri)
    return split is not None and split[0] in GUARDED_KINDS


def _closure(store: Reader, subject: ox.NamedNode | ox.BlankNode, out: set[ox.Triple], seen: set[Any]) -> None:
    _close_over(store, (q.triple for q in store.quads_for_pattern(subject, None, None, None)), out, seen)


def _close_over(store: Reader, triples: Iterable[ox.Triple], out: set[ox.Triple], seen: set[Any]) -> None:
    """Add `triples` to `out`, with the statements of every blank node they reach (each read once).

    Walked with a stack, not by recursion: a Turtle list is a chain of blank nodes one per item, so a
    long list (or deeply nested blank nodes) would exceed Python's recursion limit.
    """
    pending: list[Iterator[ox.Triple]] = [iter(triples)]
    while pending:
        for t in pending[-1]:
            out.add(t)
            if isinstance(t.object, ox.BlankNode) and t.object not in seen:
                seen.add(t.object)
                pending.append(q.triple for q in store.quads_for_pattern(t.object, None, None, None))
                break
        else:
            pending.pop()


def canonical_nt(iri: str, triples: set[ox.Triple]) -> bytes:
    """Write a record as sorted N-Triples, its blank nodes named by subject and content."""
    if not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        return "".join(sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)).encode("utf-8")
    prefix = "_:h" + hashlib.sha1(iri.encode()).hexdigest()[:8]

    def term(text: str) -> str:
        return prefix + text[3:] if text.startswith("_:h") else text

    return "".join(f"{term(s)} {p} {term(o)} .\n" for s, p, o in sorted(diffable(triples))).encode("utf-8")


def _label_order(lit: tuple[str | None, str]) -> tuple[bool, str, str]:
    """Order a record's labels as pages do: English or untagged first, then by language and text."""
    return (lit[0] not in (None, "en"), lit[0] or "", lit[1])


def _class_order(iri: str) -> tuple[bool, str]:
    """Order a record's types: the ontology's classes first, then by IRI."""
    return (not iri.startswith(vocab.VG), iri)


def _label(labels: dict[str, list[tuple[str | None, str]]]) -> str | None:
    """Pick the record's label as pages do (first label predicate; English or untagged first)."""
    for predicate in LABEL_PREDICATES:
        found = labels.get(predicate)
        if found:
            return (found if len(found) == 1 else sorted(found, key=_label_order))[0][1]
    return None


def record_of(store: Reader, iri: str) -> Record | None:
    """Return the record of one IRI in `store` (None when nothing has it as subject)."""
    node = ox.NamedNode(iri)
    triples: set[ox.Triple] = set()
    _closure(store, node, triples, set())
    return _record(node, triples) if triples else None


def _record(node: ox.NamedNode, triples: set[ox.Triple]) -> Record:
    """Make the record of `node` from its statements (and its blank nodes')."""
    return _record_of_text(node.value, _facts(node, triples), canonical_nt(node.value, triples))


def _facts(node: ox.NamedNode | None, triples: Iterable[ox.Triple]) -> list[Fact]:
    """Return what the statements of `node` (None: every statement) say about its status, class and label."""
    facts: list[Fact] = []
    for t in triples:
        if (node is None or t.subject == node) and t.predicate.value in _NAMING:
            if isinstance(t.object, ox.NamedNode):
                facts.append((t.predicate.value, t.object.value, None, True))
            elif isinstance(t.object, ox.Literal):
                facts.append((t.predicate.value, t.object.value, t.object.language, False))
    return facts


def _text_facts(subject: str, triples: list[str]) -> list[Fact]:
    """Return what a record's lines (sorted, each about `subject`, without ``" ."``) say about its status and label.

    An IRI or a literal without an escape is read from its text, which is what Oxigraph's parser gives
    for them (an IRI is written as is; a literal's value has no quote or backslash left unescaped; the
    language tag is lower case). Any other object (an escape, a tag in another case or with a direction,
    a triple term) is parsed with ``ox.parse``, with the other naming lines (:func:`_parsed_facts`).
    """
    start = len(subject) + 1
    named = [t for t in triples if t[start : t.index(" ", start)] in _NAMING_TERMS]
    facts: list[Fact] = []
    for line in named:
        cut = line.index(" ", start)
        predicate, obj = line[start + 1 : cut - 1], line[cut + 1 :]
        if "\\" in obj:
            return _parsed_facts(named)
        if obj[0] == "<" and obj[1] != "<":
            facts.append((predicate, obj[1:-1], None, True))
        elif obj[0] == '"':
            end = obj.rindex('"')
            tag = obj[end + 2 :] if obj[end + 1 : end + 2] == "@" else None
            if tag is not None and _LANG.fullmatch(tag) is None:
                return _parsed_facts(named)
            facts.append((predicate, obj[1:end], tag, False))
        else:
            return _parsed_facts(named)
    return facts


def _parsed_facts(named: list[str]) -> list[Fact]:
    """Return what a record's naming lines (without ``" ."``) say, parsed into terms (as before decision 0062)."""
    text = "".join(line + " .\n" for line in named)
    return _facts(None, (q.triple for q in ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)))


def _record_of_text(iri: str, facts: list[Fact], nt: bytes) -> Record:
    """Make the record of `iri` from its text and what its own statements say about its status and label.

    Its class is its first type (ontology classes first), or the former type of a retirement record; a
    retirement record's successor is its first ``dcterms:isReplacedBy`` (in the order of `facts`).
    """
    types: list[str] = []
    replaced: str | None = None
    former: str | None = None
    labels: dict[str, list[tuple[str | None, str]]] = {}
    for predicate, value, language, named in facts:
        if not named:
            labels.setdefault(predicate, []).append((language, value))
        elif predicate == vocab.RDF_TYPE:
            types.append(value)
        elif predicate == REPLACED_BY and replaced is None:
            replaced = value
        elif predicate == FORMER_TYPE and former is None:
            former = value
    retired = RETIRED in types
    target = replaced if retired else None
    return Record(
        iri,
        "moved" if target is not None else "withdrawn" if retired else "live",
        hashlib.sha256(nt).hexdigest()[:32],
        nt,
        _label(labels),
        (former if retired else None)
        or (sorted(types, key=_class_order)[0] if len(types) > 1 else next(iter(types), None)),
        target,
        _names(labels),
        bool(types),
    )


def _names(labels: dict[str, list[tuple[str | None, str]]]) -> tuple[str, ...]:
    """A record's names as the matcher reads them, sorted (most records have none or one)."""
    found = [value for predicate in ENTITY_NAMES if predicate in labels for _, value in labels[predicate]]
    return tuple(found) if len(found) < 2 else tuple(sorted(found))


class WholeScan(Protocol):
    """What wants every record of a full comparison, as the ledger step reads them (decision 0079)."""

    def begin(self) -> None:
        """A full scan begins: forget anything a scan given up before this one handed over."""

    def add(self, record: Record) -> None:
        """One record of the generation (each IRI once)."""

    def done(self) -> None:
        """The scan read the whole generation: every record was handed over."""


def _tapped(records: Iterable[Record], scan: WholeScan | None) -> Iterator[Record]:
    """Yield `records`, handing each to `scan` too, and tell it when they are all read."""
    if scan is None:
        yield from records
        return
    scan.begin()
    for record in records:
        scan.add(record)
        yield record
    scan.done()


class DumpUnusable(Exception):
    """The N-Quads text given for a full scan is not the store's own dump (order, lines or count): scan the store."""


def all_records(store: Reader, nquads: IO[str] | None = None) -> Iterator[Record]:
    """Iterate the records of every IRI that is the subject of a statement in `store`, each once.

    Read graph by graph in the store's own order, where a subject's statements are next to each
    other: one sequential read instead of one look-up per subject (most of a full build's ledger
    step, decision 0042). An IRI that is a subject in more than one graph, or in the default graph,
    is looked up whole instead (its record is the union of every graph).

    :param nquads: the store's own N-Quads dump (``store.dump``, as validation leaves it), read instead of
        the store: Oxigraph's reads of every term are most of a scan's time (decision 0056).
    :raises DumpUnusable: `nquads` turned out not to be the store's dump (found once read to its end).
    """
    shared = {row["s"].value for row in store.query(_SHARED) if isinstance(row["s"], ox.NamedNode)}
    default = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        if isinstance(q.subject, ox.NamedNode)
    }
    shared |= default
    for iri in sorted(shared):
        rec = record_of(store, iri)
        if rec is not None:
            yield rec
    if nquads is not None and isinstance(store, ox.Store) and not default:
        yield from _dump_records(store, nquads, shared)
        return
    for graph in store.named_graphs():
        yield from _graph_records(store, graph, shared)


def _dump_records(store: ox.Store, nquads: IO[str], shared: set[str]) -> Iterator[Record]:
    """Yield the records of the named graphs' IRI subjects not in `shared`, cut from the store's N-Quads dump.

    The dump lists the graphs in ``named_graphs()`` order and each graph's quads in ``quads_for_pattern``
    order (what :func:`_graph_records` reads), so the records come in the same order as from the store;
    except a graph a whole build wrote from its source file (decision 0080), whose lines, and so its
    records, come sorted. It is read in runs of one subject's lines in one graph (a regular
    expression, not a Python step per line); every line must belong to one, and each subject of a graph
    to one run, or the dump is refused.
    """
    graphs = {str(g): g for g in store.named_graphs()}
    order = iter(graphs)
    graph, tail, count = "", "", 0
    seen: set[int] = set()  # this graph's subjects so far (their hashes: a collision only costs the store's read)
    for subject, here, run in _runs(nquads):
        if here != graph:
            if here not in graphs or next((g for g in order if g == here), None) is None:
                raise DumpUnusable(f"graph {here} out of the store's order")
            graph, tail = here, f" {here} .\n"
            seen.clear()
        if subject.startswith("<<"):
            raise DumpUnusable("a quoted triple as subject")
        if not subject.startswith("<") or subject[1:-1] in shared:
            count += run.count("\n")
            continue
        key = hash(subject)
        if key in seen:  # a graph written from its source file (decision 0080) whose subject's lines are apart
            raise DumpUnusable(f"the statements of {subject} in graph {here} are not next to each other")
        seen.add(key)
        triples = run.split(tail)  # a line ends with the tail, and a newline is nowhere else
        triples.pop()
        count += len(triples)
        # With a graph named by an IRI, " _:" is in the run exactly when it is in one of its triples.
        blank = " _:" in run if graph[0] == "<" else any(" _:" in t for t in triples)
        yield _text_record(store, graphs[graph], subject, triples, blank)
    if count != len(store):
        raise DumpUnusable(f"{count} lines for {len(store)} quads")


def _runs(nquads: IO[str]) -> Iterator[tuple[str, str, str]]:
    """Yield (subject, graph, lines) of each run of an N-Quads text's lines with one subject and graph, in order.

    :raises DumpUnusable: a line is not a quad of a named graph (fewer than four terms, no final ``" ."``).
    """
    rest = ""
    while True:
        piece = nquads.read(_PIECE)
        text = rest + piece
        end = text.rfind("\n") + 1 if piece else len(text)
        pos, last = 0, None
        while (m := _RUN.match(text, pos, end)) is not None:
            if last is not None:
                yield cast("tuple[str, str, str]", last.group(1, 2, 0))
            last, pos = m, m.end()
        if pos != end:
            raise DumpUnusable(f"a line is not a quad of a named graph: {text[pos : pos + 200]!r}")
        if not piece:
            if last is not None:
                yield cast("tuple[str, str, str]", last.group(1, 2, 0))
            return
        rest = text[last.start() :] if last is not None else text  # the last run may go on in the next piece


def _graph_records(store: Reader, graph: ox.NamedNode | ox.BlankNode, shared: set[str]) -> Iterator[Record]:
    """Yield the records of the IRI subjects of one graph not in `shared`, in the store's order.

    The graph is written as N-Triples by Oxigraph in one call (one line per quad, in the order of
    ``quads_for_pattern``, so a subject's lines are next to each other) and cut into records as text.
    """
    if not isinstance(store, ox.Store):  # a remote reader: no dump of one graph
        yield from _graph_records_from_quads(store, graph, shared)
        return
    lines = (store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b"").decode("utf-8").split("\n")
    lines.pop()  # the text ends with a newline
    if any(line.startswith("<<") for line in lines):  # a quoted triple as subject: read it as quads
        yield from _graph_records_from_quads(store, graph, shared)
        return
    for subject, group in groupby(lines, key=lambda line: line[: line.index(" ")]):
        if subject.startswith("<") and subject[1:-1] not in shared:
            triples = [line[:-2] for line in group]
            yield _text_record(store, graph, subject, triples, any(" _:" in t for t in triples))


def _text_record(
    store: ox.Store, graph: ox.NamedNode | ox.BlankNode, subject: str, triples: list[str], blank: bool
) -> Record:
    """Return the record of IRI `subject` (an N-Triples term) from its statements in one graph, as text.

    `triples` are its lines in the store's order, without their final ``" ."`` and newline. A record
    without blank nodes is those lines sorted, which is what :func:`canonical_nt` writes from the terms
    (the same Oxigraph writer); what names its type, label or successor is read from them
    (:func:`_text_facts`). Sorting the lines without their ends gives the same order: where one line's
    triple is the start of another's (``"a"`` and ``"a"@en``), the other goes on with a character above
    the space that ended the first (``@``, ``^``, ``-``, a letter or digit; Oxigraph escapes every
    character below a space).

    With `blank` (a blank node, or text that looks like one, in a line) the record is made from terms:
    its lines parsed, in the store's order (the dump keeps blank node labels, so they are the store's),
    and its blank nodes' statements read from the store.
    """
    if blank:
        node = ox.NamedNode(subject[1:-1])
        text = (" .\n".join(triples) + " .\n").encode("utf-8")
        quads: set[ox.Triple] = set()
        _close_over(store, (q.triple for q in ox.parse(input=text, format=ox.RdfFormat.N_TRIPLES)), quads, set())
        return _record(node, quads)
    triples.sort()
    nt = " .\n".join(triples) + " .\n"
    return _record_of_text(subject[1:-1], _text_facts(subject, triples), nt.encode("utf-8"))


def _graph_records_from_quads(store: Reader, graph: ox.NamedNode | ox.BlankNode, shared: set[str]) -> Iterator[Record]:
    """Yield the records of one graph's IRI subjects not in `shared`, read as quads (terms, not text)."""
    for node, quads in groupby(store.quads_for_pattern(None, None, None, graph), key=lambda q: q.subject):
        if not isinstance(node, ox.NamedNode) or node.value in shared:
            continue  # blank nodes belong to the records that point at them
        triples: set[ox.Triple] = set()
        _close_over(store, (q.triple for q in quads), triples, set())
        yield _record(node, triples)


def touched_iris(changes: Iterable[ox.Triple], stores: list[Reader]) -> set[str]:
    """Return the IRIs whose records the changed triples touch."""
    out: set[str] = set()
    walked: list[set[ox.BlankNode]] = [set() for _ in stores]  # per store: its blank node labels are its own
    for t in changes:
        if isinstance(t.subject, ox.NamedNode):
            out.add(t.subject.value)
        elif isinstance(t.subject, ox.BlankNode):
            for store, seen in zip(stores, walked, strict=True):
                if t.subject not in seen:
                    seen.add(t.subject)
                    out |= owning_iris(store, [t.subject], seen)
    return out


def _diff(
    ledger: Ledger,
    records: Iterable[Record],
    candidates: Iterable[str] | None,
    base: str,
) -> Iterator[tuple[str | None, Record]]:
    """Yield the changes of `records` against the ledger, then raise if a guarded IRI vanished.

    `candidates` None means `records` is everything published: the IRIs seen are kept in a temporary
    table, not in memory, so a full build at any size compares in SQL. Consumed inside
    :meth:`Ledger.announce`'s transaction, so :class:`DroppedIris` leaves nothing written.
    """
    seen = ledger.seen_table() if candidates is None else None
    small: set[str] = set()
    for chunk in chunked(records, LOOKUP_CHUNK):  # one query per chunk, not one per record (decision 0042)
        iris = [rec.iri for rec in chunk]
        if seen is not None:
            seen.add_all(iris)
        else:
            small.update(iris)
        known = ledger.statuses(iris)
        for rec in chunk:
            before = known.get(rec.iri)
            if before is None or before[0] != rec.status or before[1] != rec.digest:
                yield (before[0] if before else None), rec
    if seen is not None:
        missing = seen.missing()
    else:
        missing = [i for i in set(candidates or ()) - small if (ledger.status(i) or ("gone",))[0] != "gone"]
    # An IRI already `gone` was withdrawn by a rollback (a publish never leaves a guarded IRI gone
    # without a record): the rollback is the recorded decision, so it is not asked for again.
    dropped = sorted({i for i in missing if guarded(i, base)})
    if dropped:
        raise DroppedIris(dropped)
    for iri in sorted(missing):
        before = ledger.status(iri)
        yield (before[0] if before else None), Record(iri, "gone")


def _bootstrap(ledger: Ledger, published: Generation | None, reader: Reader | None) -> None:
    """Announce the published generation when the ledger is new (a store published before it existed)."""
    if ledger.last_state() is not None or published is None or reader is None:
        return
    state = ledger.announce(published.id, "bootstrap", ((None, r) for r in all_records(reader)))
    ledger.confirm(state, published.published)


def announce_generation(
    store: Store,
    base: str,
    gen_id: str,
    folder: Path,
    changes: set[ox.Triple] | None,
    nquads: IO[str] | None = None,
    scan: WholeScan | None = None,
) -> int:
    """Check a staged generation against every IRI published before and write its pending state.

    Called once the generation is in place and before readers switch to it.

    :param changes: the triples the build added or removed (None: compare everything).
    :param nquads: the generation's own N-Quads dump, open, for a full comparison to read instead of the
        store (the store is read instead if it turns out not to be that dump).
    :param scan: given every record when the comparison is a full one (told ``done`` once all were read); a
        comparison of the changed IRIs only does not call it.
    :raises DroppedIris: when the generation lacks a published IRI and no record says what became of it.
    """
    published = store.current()
    reader = store.reader() if published is not None else None
    staged = ox.Store.read_only(str(folder))
    with open_ledger(store.path, write=True) as ledger:
        ledger.heal(published.id if published else None, published.published if published else None)
        _bootstrap(ledger, published, reader)
        last = ledger.last_state()
        if (
            changes is not None
            and last is not None
            and published is not None
            and last[1] == published.id
            and reader is not None
        ):
            candidates = touched_iris(changes, [reader, staged])
            records = [r for r in (record_of(staged, i) for i in sorted(candidates)) if r is not None]
            diff = _diff(ledger, records, candidates, base)
        else:
            if nquads is not None:
                try:
                    scanned = _tapped(all_records(staged, nquads), scan)
                    return ledger.announce(gen_id, "publish", _diff(ledger, scanned, None, base))
                except DumpUnusable:
                    pass  # nothing was written (one transaction): compare from the store itself
            diff = _diff(ledger, _tapped(all_records(staged), scan), None, base)
        return ledger.announce(gen_id, "publish", diff)


def confirm_generation(store: Store, gen: Generation) -> None:
    """Make the pending state of a just-published generation visible to readers."""
    with open_ledger(store.path, write=True) as ledger:
        state = ledger.pending(gen.id)
        if state is not None:
            ledger.confirm(state, gen.published)


def announce_rollback(store: Store, gen: Generation) -> None:
    """Announce a rollback: the differences between the last announced state and `gen`, as a new state."""
    with open_ledger(store.path, write=True) as ledger:
        ledger.heal(None, None)
        last = ledger.last_state()
        if last is None:
            return
        known = ledger.latest_state_of(gen.id)
        if known is not None:
            changes = ledger.changes_to(known)
        else:
            reader = ox.Store.read_only(str(gen.path))
            changes = _rollback_scan(ledger, reader)
        ledger.confirm(ledger.announce(gen.id, "rollback", changes), gen.published)


on_rollback(announce_rollback)  # the store calls it after a rollback switched readers


def _rollback_scan(ledger: Ledger, reader: Reader) -> list[tuple[str | None, Record]]:
    changes: list[tuple[str | None, Record]] = []
    seen: set[str] = set()
    for rec in all_records(reader):
        seen.add(rec.iri)
        before = ledger.status(rec.iri)
        if before is None or before != (rec.status, rec.digest):
            changes.append((before[0] if before else None, rec))
    changes += [(status, Record(iri, "gone")) for iri, status, _ in list(ledger.present()) if iri not in seen]
    return changes


def record_release(store: Store, version: str, gen: Generation, released: str) -> None:
    """Tie a release to the announced state of its generation (announcing it first if needed)."""
    with open_ledger(store.path, write=True) as ledger:
        ledger.heal(gen.id, gen.published)
        _bootstrap(ledger, gen, store.reader())
        state = ledger.latest_state_of(gen.id)
        if state is None:
            announce_rollback(store, gen)
            state = ledger.latest_state_of(gen.id)
        if state is not None:
            ledger.add_release(version, state, gen.id, released)


def has_ledger(store: Store) -> bool:
    """Say whether the store keeps a ledger (the machine that builds)."""
    return ledger_exists(Path(store.path))
