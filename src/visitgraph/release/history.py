"""What pages show of a resource's past: its versions across states and releases, and its tombstone."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.describe.resources import Labeller, Term
from visitgraph.release.ledger import Ledger, Version, ledger_exists, open_ledger
from visitgraph.release.persistence import CHANGE_NOTE, FORMER_TYPE, INVALIDATED, REPLACED_BY, RETIRED
from visitgraph.release.void import site_root
from visitgraph.store.backend import Reader

LAST_RELEASE = vocab.VG + "lastRelease"


@dataclass
class VersionRow:
    """One version of a resource as a page lists it."""

    version: Version
    memento: str  # local path of the Memento
    releases: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the row as a JSON-ready mapping."""
        return {**self.version.to_dict(), "memento": self.memento, "releases": self.releases}


@dataclass
class Tombstone:
    """What a retired or vanished IRI was, when and why it stopped, and where it lives on."""

    iri: str
    status: str  # "moved", "withdrawn" or "gone" (absent without a record)
    label: str
    former_type: Term | None
    when: str | None
    why: str | None
    successor: Term | None
    last_release: str | None
    history: list[VersionRow]

    def to_dict(self) -> dict[str, Any]:
        """Return the tombstone as a JSON-ready mapping."""
        return {
            "iri": self.iri,
            "status": self.status,
            "label": self.label,
            "former_type": self.former_type.value if self.former_type else None,
            "when": self.when,
            "why": self.why,
            "successor": self.successor.value if self.successor else None,
            "last_release": self.last_release,
            "history": [r.to_dict() for r in self.history],
        }


def rows(ledger: Ledger, iri: str) -> list[VersionRow]:
    """List the versions of `iri` that have content, each with the releases that hold it."""
    versions = ledger.versions_of(iri)
    out = [VersionRow(v, f"/memento/{v.seq}") for v in versions if v.digest is not None]
    for release in ledger.releases():
        held = [r for r in out if r.version.state <= release.state]
        if held and (ledger.status_at(iri, release.state) or "gone") != "gone":
            held[-1].releases.append(release.version)
    return out


def history_for(store_path: Path, iri: str) -> list[VersionRow]:
    """List a resource's versions for its page (empty when the store keeps no ledger)."""
    if not ledger_exists(store_path):
        return []
    with open_ledger(store_path) as ledger:
        return rows(ledger, iri)


def last_release(ledger: Ledger, iri: str) -> str | None:
    """Return the latest release that held `iri` as a live resource."""
    found = None
    for release in ledger.releases():
        if ledger.status_at(iri, release.state) == "live":
            found = release.version
    return found


def is_retired(store: Reader, iri: str) -> bool:
    """Say whether the data holds a retirement record for `iri` (never for text that is not a valid IRI)."""
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False  # a request path with spaces, `<`, NUL ...: nothing was ever published there
    pattern = (node, ox.NamedNode(vocab.RDF_TYPE), ox.NamedNode(RETIRED), None)
    return next(iter(store.quads_for_pattern(*pattern)), None) is not None


def _value(store: Reader, iri: str, predicate: str) -> ox.NamedNode | ox.Literal | None:
    for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(predicate), None, None):
        if isinstance(q.object, ox.NamedNode | ox.Literal):
            return q.object
    return None


def tombstone(store: Reader, store_path: Path, base: str, iri: str) -> Tombstone | None:
    """Describe a retired IRI from its record, or a vanished one from the ledger (None if neither)."""
    labeller = Labeller(store, base)
    history: list[VersionRow] = []
    versions: list[Version] = []
    release = None
    status = None
    if ledger_exists(store_path):
        with open_ledger(store_path) as ledger:
            history = rows(ledger, iri)
            release = last_release(ledger, iri)
            known = ledger.status(iri)
            status = known[0] if known else None
            versions = ledger.versions_of(iri)
    if is_retired(store, iri):
        successor, former = _value(store, iri, REPLACED_BY), _value(store, iri, FORMER_TYPE)
        when, why = _value(store, iri, INVALIDATED), _value(store, iri, CHANGE_NOTE)
        return Tombstone(
            iri,
            "moved" if isinstance(successor, ox.NamedNode) else "withdrawn",
            labeller.label(iri),
            labeller.term(former) if isinstance(former, ox.NamedNode) else None,
            when.value if when else None,
            why.value if why else None,
            labeller.term(successor) if isinstance(successor, ox.NamedNode) else None,
            release,
            history,
        )
    if status is None:
        return None
    live = [v for v in versions if v.status == "live"]
    last = live[-1] if live else versions[-1]
    return Tombstone(
        iri,
        "gone",
        last.label or labeller.label(iri),
        labeller.term(ox.NamedNode(last.cls)) if last.cls else None,
        versions[-1].published,
        f"Not in the published data since generation {versions[-1].generation}, and no retirement record says why yet.",
        None,
        release,
        history,
    )


def tombstone_quads(store: Reader, stone: Tombstone, base: str) -> list[ox.Quad]:
    """Return the tombstone's RDF: the record's statements plus where the last release holding it is."""
    from visitgraph.describe.resources import resource_quads

    node = ox.NamedNode(stone.iri)
    quads = resource_quads(store, stone.iri) if stone.status != "gone" else []
    if stone.status == "gone":
        quads.append(ox.Quad(node, ox.NamedNode(vocab.RDF_TYPE), ox.NamedNode(RETIRED)))
        quads.append(ox.Quad(node, ox.NamedNode(vocab.RDFS + "label"), ox.Literal(stone.label)))
        if stone.former_type is not None:
            quads.append(ox.Quad(node, ox.NamedNode(FORMER_TYPE), ox.NamedNode(stone.former_type.value)))
        if stone.when:
            quads.append(
                ox.Quad(
                    node,
                    ox.NamedNode(INVALIDATED),
                    ox.Literal(stone.when, datatype=ox.NamedNode(vocab.XSD + "dateTime")),
                )
            )
        if stone.why:
            quads.append(ox.Quad(node, ox.NamedNode(CHANGE_NOTE), ox.Literal(stone.why)))
    if stone.last_release:
        folder = f"{site_root(base)}dumps/releases/{stone.last_release}/"
        quads.append(ox.Quad(node, ox.NamedNode(LAST_RELEASE), ox.NamedNode(folder)))
    return quads
