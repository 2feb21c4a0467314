"""Every entity's names, handed over by the ledger step's full scan to the matcher's statistics (decision 0079).

A whole build's ledger step reads every record of the generation (from the validation's N-Quads dump, or from the
store): its status, class and label, and now also its names as the matcher reads them and whether it is typed
(:attr:`~visitgraph.release.ledger.Record.names`, :attr:`~visitgraph.release.ledger.Record.typed`). Collected here
(a :class:`~visitgraph.release.persistence.WholeScan`) and given to the statistics' whole build (a
:class:`~visitgraph.linking.matchstats.GivenNames`), they replace its own two passes over the store, ~57 % of its CPU
at 1M visits. What is kept is what the statistics keep: an entity's IRI (typed by an IRI, under the base, of a
kind) and its literal names.
"""

from __future__ import annotations

from visitgraph.linking.matchstats import Facts, entity_facts, entity_prefixes
from visitgraph.release.ledger import Record


class EntityNames:
    """The entities' names of one full scan; handed over once, and only if the scan read every record."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.prefixes, self.bare = entity_prefixes(base)
        # tuples of strings, not lists: the garbage collector stops tracking them, and a million of them are held
        self.names: dict[str, tuple[str, ...]] = {}
        self.complete = False

    def begin(self) -> None:
        """A full scan begins: what a scan given up before it handed over is dropped."""
        self.names, self.complete = {}, False

    forget = begin  # let go of what was not handed over

    def add(self, record: Record) -> None:
        iri = record.iri
        if record.typed and record.names and iri.startswith(self.prefixes) and iri not in self.bare:
            self.names[iri] = record.names

    def done(self) -> None:
        self.complete = True

    def facts(self, base: str) -> dict[str, Facts] | None:
        """Every entity's facts, or None when no full scan was completed (or it was under another base)."""
        if not self.complete or base != self.base:
            return None
        names, self.names = self.names, {}  # handed over once
        return entity_facts(names, base)
