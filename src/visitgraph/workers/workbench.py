"""The SPARQL workbench's library side: what the editor completes, a parse check, answers as one JSON table.

The check runs a query through the same worker pool class as every query, but on an empty store of
its own: parsing happens before evaluation, and evaluation over no data is cut at
:data:`CHECK_TIMEOUT_S` by killing the worker (Oxigraph evaluates `ORDER BY` over a `VALUES` cross
product eagerly, even on an empty store, so an in-process parse would not be bounded in time).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.errors import BadQuery, LimitExceeded, QueryTimeout, VisitgraphError
from visitgraph.sparql.analysis import operation_kind
from visitgraph.sparql.answers import Answer, json_term
from visitgraph.store.embedded import Generation
from visitgraph.workers.executor import QueryExecutor, execute

#: Largest query text the check endpoint parses, in bytes (413 past it).
CHECK_MAX_BYTES = 65_536
#: Seconds a check may take; parsing is done long before (measured: under 10 ms at the size cap).
CHECK_TIMEOUT_S = 2.0

ONTOLOGY_TERMS = f"""PREFIX owl: <{vocab.OWL}>
PREFIX rdf: <{vocab.RDF}>
PREFIX rdfs: <{vocab.RDFS}>
SELECT ?term ?kind (SAMPLE(?l) AS ?label) (SAMPLE(?c) AS ?comment) WHERE {{
  VALUES (?type ?kind) {{ (owl:Class "class") (rdfs:Class "class") (owl:ObjectProperty "property")
                         (owl:DatatypeProperty "property") (rdf:Property "property") }}
  ?term a ?type . FILTER(isIRI(?term))
  OPTIONAL {{ ?term rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en") || LANG(?l) = "") }}
  OPTIONAL {{ ?term rdfs:comment ?c FILTER(LANGMATCHES(LANG(?c), "en") || LANG(?c) = "") }}
}} GROUP BY ?term ?kind"""
DATA_CLASSES = "SELECT ?term (COUNT(*) AS ?n) WHERE { ?s a ?term FILTER(isIRI(?term)) } GROUP BY ?term"
DATA_PROPERTIES = "SELECT ?term (COUNT(*) AS ?n) WHERE { ?s ?term ?o } GROUP BY ?term"


@dataclass
class Term:
    """A class or property the editor offers: from the ontology, used in the data, or both."""

    iri: str
    kind: str  # "class" or "property"
    label: str = ""
    comment: str = ""
    uses: int = 0
    in_ontology: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of the vocabulary endpoint."""
        return dataclasses.asdict(self)


@dataclass
class Vocabulary:
    """Everything the editor completes from the server, for one published generation."""

    generation: str
    prefixes: dict[str, str]
    terms: list[Term] = field(default_factory=list)
    complete: bool = True  # False when the data's own vocabulary could not be counted in time

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of the vocabulary endpoint."""
        return {
            "generation": self.generation,
            "prefixes": self.prefixes,
            "complete": self.complete,
            "terms": [t.to_dict() for t in self.terms],
        }


def _bindings(answer: Answer) -> list[dict[str, dict[str, str]]]:
    doc = json.loads(answer.body)
    return list(doc["results"]["bindings"])


def workbench_prefixes(base: str) -> dict[str, str]:
    """Return the prefixes the editor completes: common vocabularies, then the service's own (which win).

    >>> workbench_prefixes("https://example.org/id/")["visit"]
    'https://example.org/id/visit/'
    """
    from visitgraph.store.dump import store_prefixes

    return dict(sorted({**vocab.COMMON_PREFIXES, **store_prefixes(base)}.items()))


def build_vocabulary(state: Any) -> Vocabulary:
    """Collect the ontology's classes and properties and the ones the data uses, with their counts.

    Runs through the executor (worker processes, the time budget, the result cache), charged to
    no client: it is the server's own question, asked once per generation.
    """
    gen = state.store.require_current()
    terms: dict[str, Term] = {}
    for row in _bindings(execute(state, ONTOLOGY_TERMS, "json", generation=gen)):
        term = terms.setdefault(row["term"]["value"], Term(row["term"]["value"], row["kind"]["value"]))
        term.in_ontology = True
        term.label = row.get("label", {}).get("value", "")
        term.comment = row.get("comment", {}).get("value", "")
    complete = True
    for kind, query in (("class", DATA_CLASSES), ("property", DATA_PROPERTIES)):
        try:
            rows = _bindings(execute(state, query, "json", generation=gen))
        except (QueryTimeout, LimitExceeded):
            complete = False
            continue
        for row in rows:
            iri = row["term"]["value"]
            term = terms.setdefault(iri, Term(iri, kind))
            term.uses = int(row["n"]["value"])
    ordered = sorted(terms.values(), key=lambda t: (t.kind, -t.uses, t.iri))
    return Vocabulary(gen.id, workbench_prefixes(state.settings.base_iri), ordered, complete)


def vocabulary_for(state: Any) -> Vocabulary:
    """Return the vocabulary of the current generation, built once per generation and kept."""
    gen = state.store.require_current()
    lock = state.extras.setdefault("workbench_vocabulary_lock", threading.Lock())
    with lock:
        kept: Vocabulary | None = state.extras.get("workbench_vocabulary")
        if kept is None or kept.generation != gen.id:
            kept = state.extras["workbench_vocabulary"] = build_vocabulary(state)
    return kept


# -- the parse check -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one query's syntax; `line`/`column` are 1-based when known."""

    valid: bool
    message: str = ""
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of the check endpoint."""
        return dataclasses.asdict(self)


class _EmptyStore:
    """A published 'generation' with no data, in a temporary folder removed with this object."""

    def __init__(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="visitgraph-check-"))
        self._finalizer = weakref.finalize(self, shutil.rmtree, folder, True)
        path = folder / "store"
        store = ox.Store(str(path))
        store.flush()
        del store
        self.generation = Generation("empty", path, "")

    def require_current(self) -> Generation:
        """Return the empty generation (the executor's store interface)."""
        return self.generation

    def reader(self) -> ox.Store:
        """Open the empty generation read-only (the executor's store interface; it reads in process only for
        the remote backend, which the checker never is)."""
        return ox.Store.read_only(str(self.generation.path))


class SyntaxChecker:
    """Check queries with the real engine's parser, in a worker of its own that a slow check cannot hold."""

    def __init__(self, settings: Any, budget: Any) -> None:
        self.budget = budget  # the endpoint's per-client budget: checks are paid like queries
        self.store = _EmptyStore()
        own = dataclasses.replace(
            settings,
            query_workers=1,
            max_queue=8,
            query_timeout=CHECK_TIMEOUT_S,
            client_budget=0.0,
            result_cache=256,
            max_rows=1,
            backend="embedded",
        )
        self.executor = QueryExecutor(own, self.store)

    def close(self) -> None:
        """Stop the checking worker."""
        self.executor.close()

    def check(self, text: str, client: str | None) -> CheckResult:
        """Parse `text` as a SPARQL query and say where it breaks.

        :raises LimitExceeded: the text is over :data:`CHECK_MAX_BYTES` (413), the client's query
            budget is spent (429) or the checker is saturated (503).
        """
        size = len(text.encode("utf-8"))
        if size > CHECK_MAX_BYTES:
            raise LimitExceeded(
                f"The query is {size} bytes; the check reads at most {CHECK_MAX_BYTES}. Run it to have it checked.", 413
            )
        if operation_kind(text) == "UPDATE":
            return CheckResult(False, "This is a SPARQL Update; POST it to /sparql/update with the write token.", 1, 1)
        self.budget.check(client)
        started = time.monotonic()
        try:
            self.executor.execute(text, "json", max_rows=1)
        except QueryTimeout:
            pass  # evaluation over no data ran long: parsing, which comes first, succeeded
        except BadQuery as e:
            return CheckResult(False, e.message, e.line, e.column)
        except LimitExceeded:
            raise
        except VisitgraphError as e:
            return CheckResult(True, f"The query parses; running it may fail: {e.message}")
        finally:
            self.budget.charge(client, time.monotonic() - started)
        return CheckResult(True)


def checker_for(state: Any) -> SyntaxChecker:
    """Return the app's syntax checker, started on first use."""
    from visitgraph.workers.executor import executor_for

    lock = state.extras.setdefault("workbench_checker_lock", threading.Lock())
    with lock:
        found: SyntaxChecker | None = state.extras.get("workbench_checker")
        if found is None:
            found = state.extras["workbench_checker"] = SyntaxChecker(state.settings, executor_for(state).budget)
    return found


# -- answers as one JSON table ---------------------------------------------------------------------


def answer_results(answer: Answer) -> dict[str, Any]:
    """Return an answer as a SPARQL JSON results document; a graph becomes subject/predicate/object rows."""
    if answer.format == "json":
        doc: dict[str, Any] = json.loads(answer.body)
        return doc
    triples = ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)
    rows = [
        {"subject": json_term(t.subject), "predicate": json_term(t.predicate), "object": json_term(t.object)}
        for t in triples
    ]
    return {"head": {"vars": ["subject", "predicate", "object"]}, "results": {"bindings": rows}}
