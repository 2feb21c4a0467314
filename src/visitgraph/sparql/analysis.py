"""One SPARQL text, read once: the analysis that the guard, the executor and the write path share.

Each step of a request used to read the text on its own: the web view tokenized it for its kind
(`operation_kind`), the protocol's `using-graph-uri` tokenized it three times more, the SSRF guard
once per view, the write path parsed it on an empty store, and the incremental build tokenized it
again and parsed it with rdflib to learn which graphs it writes. Now the web layer makes one
:class:`Analysed` per text the server runs and hands it on; each reading is made on first use and
kept, so nothing is read twice and nothing is read that the request does not need:

- :attr:`Analysed.views`: the text as written and, when it holds `\\uXXXX` escapes, decoded (the
  guard checks both readings, :mod:`visitgraph.sparql.ssrf`);
- :meth:`Analysed.tokens`: one tokenizer pass per view (:func:`visitgraph.sparql.text.code_matches`),
  consumed lazily and kept: the kind needs only the tokens up to the first keyword, the guard and
  `USING` all of them, from the same pass;
- :attr:`Analysed.kind`, :attr:`Analysed.network_targets`, :meth:`Analysed.check_network` (queries and
  updates); :meth:`Analysed.with_using`, :meth:`Analysed.check_update_syntax`
  (Oxigraph's parser, on an empty store) and :attr:`Analysed.touched_graphs` (rdflib's algebra) for
  updates.

The hostile-input guarantees stay those of the readings themselves: each is linear in the text
(tests/system/test_linear_text.py), and the guard's other readings (:func:`visitgraph.sparql.ssrf.iter_suspects`,
regular expressions over the raw text, not tokens) are made only by :meth:`Analysed.check_network`.
A text rewritten by :meth:`Analysed.with_using` is a new text and gets an analysis of its own: the
guard must judge what runs.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property

import pyoxigraph as ox

from visitgraph.core.errors import BadQuery, StoreError
from visitgraph.sparql.ssrf import (
    iter_suspects,
    may_reach_network,
    refuse_unallowed,
    targets_in,
    view_may_reach_network,
    views,
)
from visitgraph.sparql.text import code_matches

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
DATASET_WORDS = ("USING", "WITH")
#: The graph name :attr:`Analysed.touched_graphs` gives the default graph.
DEFAULT_GRAPH = "DEFAULT"


class Tokens:
    """The code tokens (comments left out) of one view, read from one tokenizer pass as far as asked."""

    def __init__(self, view: str) -> None:
        self._source = code_matches(view)
        self._read: list[re.Match[str]] = []
        self._done = False

    def __iter__(self) -> Iterator[re.Match[str]]:
        i = 0
        while True:
            if i < len(self._read):
                yield self._read[i]
                i += 1
            elif self._done:
                return
            elif (m := next(self._source, None)) is not None:
                self._read.append(m)
            else:
                self._done = True

    def all(self) -> list[re.Match[str]]:
        """Every token of the view (the rest of the pass read now)."""
        if not self._done:
            self._read.extend(self._source)
            self._done = True
        return self._read


class Analysed:
    """A SPARQL query or update and what the server reads from it, each reading made once, on first use.

    >>> op = Analysed("PREFIX e: <http://e.org/> # SELECT\\ninsert data { <a:b> <a:c> <a:d> }")
    >>> op.kind, op.network_targets
    ('UPDATE', [])
    >>> Analysed("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }").network_targets
    [('SERVICE', 'http://x/')]
    """

    def __init__(self, text: str, base_iri: str | None = None) -> None:
        self.text = text
        self.base_iri = base_iri
        self._tokens: dict[int, Tokens] = {}
        self._syntax_checked = False

    @classmethod
    def of(cls, sparql: str | Analysed, base_iri: str | None) -> Analysed:
        """The analysis of `sparql` against `base_iri`: `sparql` itself when it is one made against that base.

        >>> op = Analysed("ASK {}", "http://x/")
        >>> Analysed.of(op, "http://x/") is op, Analysed.of(op, "http://y/").base_iri, Analysed.of("ASK {}", None).text
        (True, 'http://y/', 'ASK {}')
        """
        if isinstance(sparql, Analysed):
            return sparql if sparql.base_iri == base_iri else cls(sparql.text, base_iri)
        return cls(sparql, base_iri)

    def __repr__(self) -> str:
        return f"Analysed({self.text[:40]!r}{'…' if len(self.text) > 40 else ''})"

    @cached_property
    def views(self) -> list[str]:
        """The text as written, then decoded if it holds escapes (the last view is the engine's reading)."""
        return views(self.text)

    def tokens(self, view: int = 0) -> Tokens:
        """The code tokens of one view, from the one tokenizer pass made over it."""
        if view not in self._tokens:
            self._tokens[view] = Tokens(self.views[view])
        return self._tokens[view]

    @cached_property
    def kind(self) -> str | None:
        """The query form (SELECT, ASK, CONSTRUCT, DESCRIBE), "UPDATE", or None if neither.

        Read from the decoded view, only as far as the first word that is not a prologue.

        >>> Analysed("PREFIX s: <http://schema.org/> # SELECT\\nconstruct { ?s ?p ?o } {}").kind
        'CONSTRUCT'
        >>> Analysed("BASE <x:> INSERT DATA { <a> <b> <c> }").kind
        'UPDATE'
        """
        for m in self.tokens(len(self.views) - 1):
            kind, text = m.lastgroup, m.group()
            if kind == "iri" or (kind == "word" and ":" in text):
                continue
            upper = text.upper()
            if kind == "word" and upper in ("PREFIX", "BASE"):
                continue
            if upper in QUERY_FORMS:
                return upper
            if upper in UPDATE_WORDS:
                return "UPDATE"
            return None
        return None

    @cached_property
    def network_targets(self) -> list[tuple[str, str | None]]:
        """`(keyword, resolved IRI or None)` of every SERVICE and LOAD the tokenizer finds, in either view."""
        if not may_reach_network(self.text):
            return []  # no keyword can hide in this text: no tokens needed (every query passes here)
        read = [i for i, view in enumerate(self.views) if view_may_reach_network(view)]
        return targets_in([self.tokens(i).all() for i in read], self.base_iri)

    def check_network(self, allowlist: Iterable[str]) -> None:
        """Refuse the text when any SERVICE or LOAD, in any reading, could reach a target off the allow-list.

        :raises BadQuery: naming the first refused target (:func:`visitgraph.sparql.ssrf.refuse_unallowed`).
        """
        refuse_unallowed(itertools.chain(self.network_targets, iter_suspects(self.text, self.base_iri)), allowlist)

    def with_using(self, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> Analysed:
        """Apply protocol `using-graph-uri` / `using-named-graph-uri` to every operation with a WHERE clause.

        Each such operation gets `USING <g>` / `USING NAMED <g>` clauses before its WHERE; the rewritten
        text is a new text, analysed anew (this one unchanged when no graph is given).

        :raises BadQuery: when the update already names its dataset (USING, USING NAMED or WITH):
            the SPARQL Protocol forbids both at once; or a graph IRI is not absolute.

        >>> Analysed("INSERT { ?s a <x:T> } WHERE { ?s ?p ?o }").with_using(["http://g/1"], []).text
        'INSERT { ?s a <x:T> } USING <http://g/1> WHERE { ?s ?p ?o }'
        """
        if not default_graphs and not named_graphs:
            return self
        if any(
            m.lastgroup == "word" and m.group().upper() in DATASET_WORDS
            for view in range(len(self.views))
            for m in self.tokens(view).all()
        ):
            raise BadQuery(
                "The update names its dataset (USING, USING NAMED or WITH) and the request also sends "
                "using-graph-uri / using-named-graph-uri: send one or the other."
            )
        for iri in (*default_graphs, *named_graphs):
            check_iri(iri, "using-graph-uri")
        clause = " ".join([f"USING <{g}>" for g in default_graphs] + [f"USING NAMED <{g}>" for g in named_graphs])
        out, depth, last, prev = [], 0, 0, ""
        for m in self.tokens(0).all():
            text = m.group().upper() if m.lastgroup == "word" else m.group()
            if text == "{":
                depth += 1
            elif text == "}":
                depth -= 1
            elif m.lastgroup == "word" and text == "WHERE" and depth == 0 and prev != "DELETE":
                out.append(self.text[last : m.start()] + clause + " ")
                last = m.start()
            prev = text
        out.append(self.text[last:])
        rewritten = Analysed("".join(out), self.base_iri)
        rewritten.__dict__["kind"] = self.kind  # a USING clause does not change what the operation is
        return rewritten

    def check_update_syntax(self) -> None:
        """Parse the update on an empty in-memory store so a syntax error answers 400 before any build (a text that
        may be a long flat chain is parsed in a child process first: :mod:`visitgraph.sparql.parseprobe`).

        :raises BadQuery: with the line and column of the error, or naming a chain the parser cannot take.
        """
        if self._syntax_checked:
            return
        from visitgraph.sparql.parseprobe import probe

        probe(self.text, "update", "The update")  # a flat chain that would overflow the parser's stack: not here
        try:
            run_update(ox.Store(), self.text, base_iri=self.base_iri, name="update")
        except (RuntimeError, ValueError):
            pass  # a runtime failure on an empty store says nothing about the real one; the build decides
        self._syntax_checked = True

    @cached_property
    def touched_graphs(self) -> set[str] | None:
        """Name the graphs the update can write to (:data:`DEFAULT_GRAPH` for the default); None: any graph.

        `INSERT DATA` / `DELETE DATA` blocks are read from the tokens (they hold only ground quads); rdflib's
        parser then sees only the rest (it took 8 s for the 1,928 triples of 100 visits).
        """
        from rdflib.plugins.sparql.algebra import translateUpdate
        from rdflib.plugins.sparql.parser import parseUpdate
        from rdflib.term import URIRef

        blocks = self._data_blocks()
        skeleton, out = blocks if blocks is not None else (self.text, set())
        try:
            update = translateUpdate(parseUpdate(skeleton), base=self.base_iri)
        except Exception:  # the store's own parser decides what is an error; here it only costs reuse
            return None

        def graph(name: object) -> bool:
            if isinstance(name, URIRef):
                out.add(str(name))
                return True
            if name in (None, "DEFAULT"):
                out.add(DEFAULT_GRAPH)
                return True
            return False  # a variable, ALL or NAMED

        for op in update.algebra:
            kind = op.name
            if kind in ("InsertData", "DeleteData", "DeleteWhere"):
                if op.triples and not graph(None):
                    return None
                if not all(graph(g) for g in op.quads):
                    return None
            elif kind == "Modify":
                for clause in (op.delete, op.insert):
                    if clause is None:
                        continue
                    if clause.triples and not graph(op.withClause):
                        return None
                    if not all(graph(g) for g in clause.quads):
                        return None
            elif kind in ("Load", "Clear", "Drop", "Create"):
                if not graph(op.graphiri):
                    return None
            elif kind in ("Add", "Copy", "Move"):
                source, target = op.graph
                if not graph(target) or (kind == "Move" and not graph(source)):
                    return None
            else:
                return None
        return out

    def _data_blocks(self) -> tuple[str, set[str]] | None:
        """Empty every `INSERT DATA` / `DELETE DATA` block, naming the graphs it wrote (or the default).

        None when a graph name is not an absolute IRI (a prefixed or relative name): the caller parses
        everything instead.
        """
        tokens = self.tokens(0).all()
        sparql = self.text
        graphs: set[str] = set()
        parts: list[str] = []
        last = 0
        i = 0
        while i < len(tokens):
            opening = (
                tokens[i].lastgroup == "word"
                and tokens[i].group().upper() in ("INSERT", "DELETE")
                and i + 2 < len(tokens)
                and tokens[i + 1].group().upper() == "DATA"
                and tokens[i + 2].group() == "{"
            )
            if not opening:
                i += 1
                continue
            depth, j = 1, i + 3
            while j < len(tokens) and depth:
                tok = tokens[j].group()
                if tok == "{":
                    depth += 1
                elif tok == "}":
                    depth -= 1
                elif depth == 1 and tokens[j].lastgroup == "word" and tok.upper() == "GRAPH":
                    name = tokens[j + 1] if j + 1 < len(tokens) else None
                    if name is None or name.lastgroup != "iri" or ":" not in name.group():
                        return None
                    graphs.add(name.group()[1:-1])
                    j += 1
                elif depth == 1 and tok not in (".", ";", ","):
                    graphs.add(DEFAULT_GRAPH)  # a triple outside any GRAPH block
                j += 1
            if depth:
                return None
            parts.append(sparql[last : tokens[i + 2].start() + 1])
            last = tokens[j - 1].start()
            i = j
        parts.append(sparql[last:])
        return "".join(parts), graphs


def operation_kind(text: str) -> str | None:
    """Return the query form (SELECT, ASK, CONSTRUCT, DESCRIBE), "UPDATE", or None (:attr:`Analysed.kind`).

    >>> operation_kind("ASK {}"), operation_kind("nonsense")
    ('ASK', None)
    """
    return Analysed(text).kind


def check_iri(iri: str, name: str) -> None:
    """Refuse a graph IRI that is not absolute.

    :raises BadQuery: naming the parameter and the IRI.
    """
    try:
        ox.NamedNode(iri)
    except ValueError as e:
        raise BadQuery(f"{name}: {iri!r} is not a valid absolute IRI ({e}).") from e


def run_update(store: ox.Store, sparql: str, *, base_iri: str | None, name: str) -> None:
    """Apply a SPARQL Update to a writable store, mapping syntax errors to :class:`BadQuery`.

    :raises BadQuery: the update does not parse (with its line and column).
    :raises StoreError: the store could not be written.
    """
    try:
        store.update(sparql, base_iri=base_iri)
    except SyntaxError as e:
        m = re.search(r"(\d+):(\d+)", str(e))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        raise BadQuery(f"{name}: the update does not parse: {e}", line, col) from e
    except OSError as e:
        raise StoreError(f"{name}: the update failed: {e}") from e
