"""The stored rows of a saved query's whole answer: their SQLite format, their order, and deriving them.

One SQLite file per query and generation: table `answer` holds the row number (rows are written
:data:`GAP` apart, so rows a write adds fit between two kept rows), the row's terms as JSON, its key,
and each filter column's text and number; a `reach<i>` table serves a path filter. :func:`derive`
writes it in a child of the killable pool (:mod:`visitgraph.workers.pool`),
:mod:`visitgraph.queries.answermaintain` brings it up to date after a write, and
:class:`visitgraph.queries.answerindex.AnswerIndex` reads pages of it.

Longer than 400 lines because the rows' format, their derivation (with the count that may refuse it first,
decision 0076) and the readers of a query's text that derivation and maintenance share (ORDER BY, the WHERE
clause, a key bound by LATERAL) are one contract: a change to one is checked against the others here.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from visitgraph.core import vocab

if TYPE_CHECKING:
    from visitgraph.sparql.engine import Queryable

#: Row numbers are written this far apart, so rows a write adds can go between two kept rows.
GAP = 1 << 16
Term = ox.NamedNode | ox.Literal | ox.BlankNode
_NUMERIC = vocab.XSD_NUMERIC
_YEARS = {vocab.XSD + t for t in ("date", "dateTime", "gYear", "gYearMonth")}
#: A string as JSON with ensure_ascii off, as ``json.dumps`` writes it (the C encoder where the build has it).
_string: Callable[[str], str] = json.encoder.encode_basestring


# -- terms <-> stored rows -------------------------------------------------------------------


def encode_term(term: Term | None) -> list[str] | None:
    """Write a term as a short JSON-ready list: ``["u", iri]``, ``["b", id]``, ``["l", text, dt|@lang]``."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ["u", term.value]
    if isinstance(term, ox.BlankNode):
        return ["b", term.value]
    if term.language:
        return ["l", term.value, "@" + term.language]
    return ["l", term.value, term.datatype.value]


def decode_term(item: list[str] | None) -> Term | None:
    """Read back what :func:`encode_term` wrote.

    >>> decode_term(encode_term(ox.Literal("x", language="az")))
    <Literal value=x language=az>
    """
    if item is None:
        return None
    kind, value = item[0], item[1]
    if kind == "u":
        return ox.NamedNode(value)
    if kind == "b":
        return ox.BlankNode(value)
    extra = item[2]
    if extra.startswith("@"):
        return ox.Literal(value, language=extra[1:])
    return ox.Literal(value, datatype=ox.NamedNode(extra))


def job_bindings(job: Mapping[str, Any]) -> dict[str, Term]:
    """The bound parameters of a derivation or maintenance job, decoded (unbound ones left out)."""
    return {name: term for name, item in job["bindings"].items() if (term := decode_term(item)) is not None}


def filter_number(term: Term | None) -> float | None:
    """The value a numeric or year filter compares: the number, or the year of a date."""
    if not isinstance(term, ox.Literal):
        return None
    try:
        if term.datatype.value in _NUMERIC:
            return float(term.value)
        if term.datatype.value in _YEARS:
            sign = -1 if term.value.startswith("-") else 1
            return float(sign * int(term.value.lstrip("-").split("-")[0]))
    except ValueError:
        return None
    return None


# -- building (one child process per query) --------------------------------------------------

_STORES: dict[str, ox.Store] = {}


def read_only(path: str) -> ox.Store:
    """Open a generation read-only once per child process (a child serves one build's jobs)."""
    if path not in _STORES:
        _STORES[path] = ox.Store.read_only(path)
    return _STORES[path]


def derive(generation: str, job: dict[str, Any], out: Path) -> dict[str, Any]:
    """Run one query whole on a generation and write its rows to a new SQLite file `out`."""
    from visitgraph.sparql.engine import run_query

    started = time.monotonic()
    if job.get("memory"):  # the child's in-memory copy of the generation (visitgraph.queries.answermemory)
        from visitgraph.queries.answermemory import in_memory

        store = in_memory(str(job["memory"]))
    else:
        store = read_only(generation)
    subs = job_bindings(job)
    limit = int(job["max_rows"])
    counted = None
    if job.get("count_first"):  # decision 0076: a whole answer over the limit is refused by the engine's count
        counted = count_rows(store, job["sparql"], subs, limit, job.get("base_iri"))
        if counted is not None and counted > limit:
            return {
                "error": f"more than {limit} rows (index_max_rows)",
                "counted": True,
                "seconds": round(time.monotonic() - started, 3),
            }
    result = run_query(store, job["sparql"], substitutions=subs or None, base_iri=job.get("base_iri"))
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    columns = list(dict.fromkeys(job["columns"]))
    paths = {column: op[5:] for column, op in job.get("filters", []) if op.startswith("path:")}
    where = {c: names.index(c) for c in columns if c in names}
    key = job.get("key")
    key_at = names.index(key) if key in names else None
    unkeyed = key is not None and key_at is None
    db = sqlite3.connect(out)
    create_answer(db, len(columns))
    insert = insert_sql(len(columns))
    batch: list[tuple[Any, ...]] = []
    reach_keys: dict[str, set[str]] = {c: set() for c in paths}  # IRIs a path filter starts from
    count = 0
    row = RowEncoder().for_columns(columns, where, key_at)
    reach_at = [(where[c], reach_keys[c]) for c in paths if c in where]
    for solution in result:  # type: ignore[union-attr]
        terms = list(solution)  # the values in the order of `names`
        values = row(count * GAP, terms)
        if key_at is not None and terms[key_at] is None:
            unkeyed = True
        for i, keys in reach_at:
            term = terms[i]
            if isinstance(term, ox.NamedNode):
                keys.add(term.value)
        batch.append(values)
        count += 1
        if count > limit:
            db.close()
            out.unlink(missing_ok=True)
            return {
                "error": f"more than {limit} rows (index_max_rows)",
                "seconds": round(time.monotonic() - started, 3),
            }
        if len(batch) >= 20000:
            db.executemany(insert, batch)
            batch.clear()
    db.executemany(insert, batch)
    for i, column in enumerate(columns):
        if column in paths:
            db.execute(f"CREATE TABLE reach{i} (k TEXT NOT NULL, v TEXT NOT NULL)")
            reach_rows(store, db, i, paths[column], sorted(reach_keys[column]), job.get("prefixes", {}))
    create_indexes(db, len(columns), [i for i, c in enumerate(columns) if c in paths])
    db.execute("ANALYZE")
    db.commit()
    db.close()
    out_entry: dict[str, Any] = {
        "rows": count,
        "variables": names,
        "columns": columns,
        "seconds": round(time.monotonic() - started, 3),
    }
    if counted is not None:
        out_entry["counted"] = True
    if unkeyed:
        out_entry["unmaintainable"] = f"a row leaves the key ?{key} unbound: only a whole re-derivation is right"
    return out_entry


def count_query(sparql: str, limit: int) -> str | None:
    """A query counting the rows of the SELECT `sparql`, at most `limit` + 1 of them, in the engine alone.

    The SELECT becomes a subquery without its ORDER BY (the order changes no count) and cut at `limit` + 1
    rows, so an answer far over the limit stops there; no row becomes a Python term (decision 0076). None
    where the text is not a SELECT whose solution modifiers end in plain ORDER BY conditions, or has a
    LIMIT, OFFSET or trailing VALUES of its own.

    >>> print(count_query('PREFIX a: <x:> SELECT DISTINCT ?s WHERE { ?s a:p "ORDER BY" } ORDER BY ?s', 9))
    PREFIX a: <x:> SELECT (COUNT(*) AS ?rows) WHERE { SELECT DISTINCT ?s WHERE { ?s a:p "ORDER BY" }  LIMIT 10 }
    >>> count_query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", 9) is None
    True
    """
    from visitgraph.sparql.text import tokenize

    tokens = [t for t in tokenize(sparql) if t.kind != "comment"]
    select = next((t for t in tokens if t.kind == "word" and t.text.upper() == "SELECT"), None)
    try:
        _, close = where_span(sparql)
    except Unmaintainable:
        return None
    if select is None or select.start > close:
        return None
    tail = [t for t in tokens if t.start > close]
    words = [t.text.upper() for t in tail]
    if any(w in ("LIMIT", "OFFSET", "VALUES") for w in words):
        return None
    end = len(sparql)
    for i in range(len(tail) - 1):
        if words[i] == "ORDER" and words[i + 1] == "BY":
            if order_by(sparql[tail[i].start :]) is None:
                return None  # an expression to order by: keep the text as it is, no count
            end = tail[i].start
    names = {t.text[1:] for t in tokens if t.text.startswith(("?", "$"))}
    name = next(n for n in ("rows", "rowCount", "visitgraphRows") if n not in names)
    body = sparql[select.start : end].rstrip()
    return f"{sparql[: select.start]}SELECT (COUNT(*) AS ?{name}) WHERE {{ {body}  LIMIT {limit + 1} }}"


def count_rows(store: Queryable, sparql: str, subs: Mapping[str, Term], limit: int, base_iri: str | None) -> int | None:
    """How many rows `sparql` has (at most `limit` + 1: :func:`count_query`), bound like a derivation; None if
    the text cannot be counted that way."""
    from visitgraph.sparql.engine import run_query
    from visitgraph.sparql.text import inject_values

    try:
        bound = inject_values(sparql, dict(subs)) if subs else sparql
    except ValueError:
        return None
    text = count_query(bound, limit)
    if text is None:
        return None
    rows = list(run_query(store, text, base_iri=base_iri))  # type: ignore[arg-type]
    return int(rows[0][0].value) if rows and rows[0][0] is not None else 0


def create_indexes(db: sqlite3.Connection, columns: int, reach: Sequence[int]) -> None:
    """Index an answer file (whole or overlay): each filter column, the key, and each path filter's reach table."""
    for i in range(columns):
        db.execute(f"CREATE INDEX ik{i} ON answer (k{i}, n)")
        db.execute(f"CREATE INDEX ix{i} ON answer (x{i}, n)")
    db.execute("CREATE INDEX ikey ON answer (key)")
    for i in reach:
        db.execute(f"CREATE INDEX ir{i} ON reach{i} (v, k)")


def create_answer(db: sqlite3.Connection, columns: int) -> None:
    """Create the `answer` table of `columns` filter columns (row number, row, key, each column's text and number)."""
    extra = "".join(f", k{i} TEXT, x{i} REAL" for i in range(columns))
    db.execute(f"CREATE TABLE answer (n INTEGER PRIMARY KEY, row TEXT NOT NULL, key TEXT{extra})")


def insert_sql(columns: int) -> str:
    return f"INSERT INTO answer VALUES ({', '.join('?' * (3 + 2 * columns))})"


def row_values(
    n: int, terms: Sequence[Term | None], columns: Sequence[str], where: Mapping[str, int], key_at: int | None
) -> tuple[Any, ...]:
    """The stored row: number, terms as JSON, the key (N-Triples), then each filter column's text and number."""
    return RowEncoder().row_values(n, terms, columns, where, key_at)


class RowEncoder:
    """:func:`row_values` for a derivation's many rows: a whole answer repeats its terms, so each term's JSON
    is written once (at most `limit` kept); the text is ``json.dumps``' (items joined by ``", "``). Decision 0058.

    A term's JSON is put together from its strings, each written by the json module's own string encoder, not by
    ``JSONEncoder.encode`` over a list (a third of a row's Python at 100k visits, decision 0076); the texts are
    the same, a test compares them with ``json.dumps`` on hostile strings.
    """

    def __init__(self, limit: int = 1 << 17) -> None:
        self.limit, self.known = limit, dict[Term | None, str]()

    def text(self, term: Term | None) -> str:
        """The JSON of :func:`encode_term`'s list for `term`, remembered."""
        if term is None:
            text = "null"
        elif isinstance(term, ox.NamedNode):
            text = '["u", ' + _string(term.value) + "]"
        elif isinstance(term, ox.BlankNode):
            text = '["b", ' + _string(term.value) + "]"
        else:
            extra = "@" + term.language if term.language else term.datatype.value
            text = '["l", ' + _string(term.value) + ", " + _string(extra) + "]"
        if len(self.known) >= self.limit:
            self.known.clear()
        self.known[term] = text
        return text

    def for_columns(
        self, columns: Sequence[str], where: Mapping[str, int], key_at: int | None
    ) -> Callable[[int, Sequence[Term | None]], tuple[Any, ...]]:
        """:meth:`row_values` with its columns fixed: a function of (row number, terms)."""
        known, text = self.known, self.text
        at = [where.get(c) for c in columns]

        def row(n: int, terms: Sequence[Term | None]) -> tuple[Any, ...]:
            parts = [known.get(t) or text(t) for t in terms]
            key = terms[key_at] if key_at is not None else None
            values: list[Any] = [n, "[" + ", ".join(parts) + "]", None if key is None else str(key)]
            for i in at:
                term = None if i is None else terms[i]
                values += (None, None) if term is None else (term.value, filter_number(term))
            return tuple(values)

        return row

    def row_values(
        self, n: int, terms: Sequence[Term | None], columns: Sequence[str], where: Mapping[str, int], key_at: int | None
    ) -> tuple[Any, ...]:
        return self.for_columns(columns, where, key_at)(n, terms)


def reach_rows(
    store: ox.Store, db: sqlite3.Connection, i: int, path: str, keys: Sequence[str], prefixes: Mapping[str, str]
) -> None:
    """For a `column/<path>` filter: every (row key, value reached by the path) pair of `keys`."""
    from visitgraph.sparql.engine import run_query

    prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items())
    for start in range(0, len(keys), 500):
        values = " ".join(str(ox.NamedNode(k)) for k in keys[start : start + 500])
        sparql = f"{prologue}SELECT DISTINCT ?k ?v WHERE {{ VALUES ?k {{ {values} }} ?k {path} ?v }}"
        rows = [(r["k"].value, str(r["v"])) for r in run_query(store, sparql)]  # type: ignore[union-attr]
        db.executemany(f"INSERT INTO reach{i} VALUES (?, ?)", rows)


def order_by(sparql: str) -> list[tuple[str, bool]] | None:
    """Return the ORDER BY conditions as (variable, descending), [] without ORDER BY, None if not plain variables."""
    from visitgraph.sparql.text import tokenize

    tokens = [t for t in tokenize(sparql) if t.kind != "comment"]
    at = None
    for i in range(len(tokens) - 1):
        if tokens[i].text.upper() == "ORDER" and tokens[i + 1].text.upper() == "BY":
            at = i + 2
    if at is None:
        return []
    out: list[tuple[str, bool]] = []
    i = at
    while i < len(tokens):
        word = tokens[i].text.upper()
        if word in ("LIMIT", "OFFSET", "VALUES"):
            break
        if tokens[i].text.startswith("?") and len(tokens[i].text) > 1:
            out.append((tokens[i].text[1:], False))
            i += 1
        elif (
            word in ("ASC", "DESC")
            and i + 3 < len(tokens)
            and tokens[i + 1].text == "("
            and tokens[i + 2].text.startswith("?")
            and tokens[i + 3].text == ")"
        ):
            out.append((tokens[i + 2].text[1:], word == "DESC"))
            i += 4
        else:
            return None
    return out


def where_span(sparql: str) -> tuple[int, int]:
    """Return the offsets of the `{` opening the WHERE clause and of the `}` closing it.

    >>> q = 'SELECT ?s WHERE { ?s ?p "}" { ?a ?b ?c } } ORDER BY ?s'
    >>> o, c = where_span(q); q[o : c + 1]
    '{ ?s ?p "}" { ?a ?b ?c } }'
    """
    from visitgraph.sparql.text import tokenize, where_brace

    brace = where_brace(sparql)
    if brace is None:
        raise Unmaintainable("no WHERE clause to bind the key in")
    depth = 0
    for t in tokenize(sparql):
        if t.start >= brace and t.kind == "punct" and t.text in "{}":
            depth += 1 if t.text == "{" else -1
            if depth == 0:
                return brace, t.start
    raise Unmaintainable("the WHERE clause does not close")


def bind_lateral(sparql: str, key: str, terms: Sequence[Term]) -> str:
    """Run the WHERE clause once per key: ``{ VALUES ?key { … } } LATERAL { <the clause> }``.

    A ``VALUES`` block that merely opens the clause is joined with it by Oxigraph like any other
    pattern, so a pattern that does not start from the key (a UNION, a FILTER over every value)
    is evaluated whole and joined after (decision 0034's `search` and `person-visits`: as slow as a
    whole derivation, or slower). LATERAL evaluates the clause with each key substituted, so the
    cost is the keys' rows, not the data.

    >>> bind_lateral("SELECT ?v WHERE { ?v ?p ?o } ORDER BY ?v", "v", [ox.NamedNode("x:a")])
    'SELECT ?v WHERE { { VALUES ?v { <x:a> } } LATERAL { ?v ?p ?o } } ORDER BY ?v'
    """
    start, end = where_span(sparql)
    values = " ".join(str(t) for t in terms)
    return (
        f"{sparql[: start + 1]} {{ VALUES ?{key} {{ {values} }} }} LATERAL {{{sparql[start + 1 : end]}}} {sparql[end:]}"
    )


_XSD = "http://www.w3.org/2001/XMLSchema#"
_STRINGS = {f"{_XSD}string"}
_DATES = {f"{_XSD}date", f"{_XSD}gYear", f"{_XSD}dateTime"}


def _term_rank(term: Term | None) -> tuple[int, Any, str]:
    """How Oxigraph orders a term: unbound < blank < IRI < literal; literals by family then value.

    Only literal pairs of one family compare here (numbers by value, strings and lang strings of one
    language by code point, dates/years/booleans of one datatype by their plain lexical form); any
    other pair raises Unmaintainable, so the answer is derived whole instead of guessed.
    """
    if term is None:
        return (0, 0, "")
    if isinstance(term, ox.BlankNode):
        return (1, 0, "")
    if isinstance(term, ox.NamedNode):
        return (2, term.value, "")
    if term.language:
        return (3, term.value, "@" + term.language)
    dt = term.datatype.value
    if dt in _NUMERIC:
        from decimal import Decimal, InvalidOperation

        try:
            return (3, Decimal(term.value.strip()), "number")
        except InvalidOperation as e:
            raise Unmaintainable(f"a number it cannot read: {term}") from e
    if dt in _STRINGS:
        return (3, term.value, "string")
    if (
        dt in _DATES
        and term.value[:1].isdigit()
        and not term.value.endswith("Z")
        and "+" not in term.value
        and term.value.count("-") <= 2
    ):
        return (3, term.value, dt)
    if dt == f"{_XSD}boolean" and term.value in ("true", "false"):
        return (3, term.value, dt)
    raise Unmaintainable(f"a value whose order against others is not known here: {term}")


def compare_rows(a: Sequence[Term | None], b: Sequence[Term | None], order: Sequence[tuple[int, bool]]) -> int:
    """Compare two rows as the ORDER BY does (`order`: column index, descending)."""
    for i, desc in order:
        x, y = _term_rank(a[i]), _term_rank(b[i])
        if x[0] != y[0] or x[0] < 3:
            c = (x[0] > y[0]) - (x[0] < y[0])
            if c == 0 and x[0] == 2:
                c = (x[1] > y[1]) - (x[1] < y[1])
        elif x[2] != y[2]:
            raise Unmaintainable(f"literals of different kinds in one ORDER BY column: {a[i]} and {b[i]}")
        else:
            c = (x[1] > y[1]) - (x[1] < y[1])
        if c:
            return -c if desc else c
    return 0


def order_columns(order: Sequence[Sequence[Any]], names: Sequence[str]) -> list[tuple[int, bool]]:
    """The stored ORDER BY (variable, descending) as (column index, descending) of the result `names`."""
    found = [(names.index(v), bool(desc)) for v, desc in order if v in names]
    if len(found) != len(order):
        raise Unmaintainable("an ORDER BY variable is not a result column")
    return found


def sort_rows(rows: list[Any], order: Sequence[tuple[int, bool]]) -> None:
    """Sort `rows` (each a sequence of terms) in place as the ORDER BY does (:func:`compare_rows`)."""
    import functools

    def by_order(a: Sequence[Term | None], b: Sequence[Term | None]) -> int:
        return compare_rows(a, b, order)

    rows.sort(key=functools.cmp_to_key(by_order))


#
# A query declaring `# maintain: <key> <path>` has rows that each belong to one value of ?key (a
# variable of its pattern, projected, never a BIND or aggregate). After a write, every resource
# that is the subject of an added or removed triple (a blank node stands for the IRIs pointing at
# it) is a *changed resource*; the keys whose rows may differ are the changed resources and what
# `?r <path> ?key` reaches from them in the previous and in the new graph. Those keys' rows are
# removed, the query runs again with `VALUES ?key { … }` on the new graph, and its rows are put
# in their ORDER BY place between the kept ones (row numbers are GAP apart). Anything that cannot
# be done this way says why, and the answer is derived whole instead.


class Unmaintainable(Exception):
    """This query's stored answer cannot follow this write: derive it whole (the message says why)."""
