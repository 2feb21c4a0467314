"""Stored whole answers of the saved queries, one set per published generation.

At a million visits the listing and aggregate saved queries scan the graph (tens of seconds), and
a page of them must still come back in well under 100 ms. So every publish runs each paged SELECT
saved query once, whole (no LIMIT), for its default anchor binding, and keeps the rows in a small
SQLite file per query under ``<store>/answers/<generation>/``:

- a page is then a slice by row number (``ORDER BY n LIMIT … OFFSET …``);
- a parameter declared ``filter=<column>[>=|<=|:year]`` only keeps the rows whose ``?column``
  matches, so it becomes an indexed SQL condition on the stored rows instead of a new SPARQL run
  (queries are written so that such a parameter left unbound keeps every row);
- every other parameter is an *anchor*: the stored answer is for its default (or empty) value;
  another value runs as SPARQL, where the ``VALUES`` binding makes it an index lookup.

The stored answer is used only if the query text and parameters have not changed since
(a fingerprint), and the rows are exactly what SPARQL returns: ``tests/test_answerindex.py``
compares every indexed query page by page against SPARQL, filter values included. A query that
cannot be answered within ``index_timeout`` or has more than ``index_max_rows`` rows is not
stored (the manifest says why) and keeps running as SPARQL. Queries are answered in
``python -m visitgraph.queries.answerindex`` children of the one killable pool
(:mod:`visitgraph.workers.pool`; at most one per worker thread, reused across queries), killed at the
timeout like a query worker.

Longer than 400 lines because deriving, maintaining after a write and reading stored answers share the rows' SQLite format and the child's job format; the maintenance is the part to split out next.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.newest import NewestPerStore
from visitgraph.queries.savedquery import bind_parameters
from visitgraph.store.embedded import on_prune
from visitgraph.workers.pool import ChildGone, ChildTimeout, Handler, Pool, serve

FORMAT = 2
#: Row numbers are written this far apart, so rows a write adds can go between two kept rows.
GAP = 1 << 16
MANIFEST = "manifest.json"
Term = ox.NamedNode | ox.Literal | ox.BlankNode
_NUMERIC = vocab.XSD_NUMERIC
_YEARS = {vocab.XSD + t for t in ("date", "dateTime", "gYear", "gYearMonth")}


def answers_root(store_path: Path | str) -> Path:
    """Return the folder that holds one answers folder per generation."""
    return Path(store_path) / "answers"


def fingerprint(query: Any) -> str:
    """Return what ties a stored answer to the query text and parameter declarations it came from."""
    digest = hashlib.sha256(f"{FORMAT}\n{query.sparql}".encode())
    for p in query.params:
        digest.update(f"\n{p.name} {p.type} {p.filter}".encode())
    digest.update(f"\nmaintain {getattr(query, 'maintain', '')}".encode())
    return digest.hexdigest()[:20]


def indexable(query: Any) -> bool:
    """Say whether a saved query's answer can be stored: paged SELECT queries."""
    return bool(query.form == "SELECT" and query.paged)


def anchor_binding(query: Any, bound: Mapping[str, Term]) -> dict[str, Term]:
    """Keep the bound parameters that are not filters: they select which stored answer applies."""
    return {name: term for name, term in bound.items() if (p := query.param(name)) is not None and p.filter is None}


def anchor_key(binding: Mapping[str, Term]) -> str:
    """Return a canonical text of an anchor binding (N-Triples terms, sorted by name)."""
    return "&".join(f"{name}={term}" for name, term in sorted(binding.items()))


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


def _number(term: Term | None) -> float | None:
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


def _read_only(path: str) -> ox.Store:
    """Open a generation read-only once per child process (a child serves one build's jobs)."""
    if path not in _STORES:
        _STORES[path] = ox.Store.read_only(path)
    return _STORES[path]


def derive(generation: str, job: dict[str, Any], out: Path) -> dict[str, Any]:
    """Run one query whole on a generation and write its rows to a new SQLite file `out`."""
    from visitgraph.sparql.engine import run_query

    started = time.monotonic()
    store = _read_only(generation)
    subs = {name: term for name, item in job["bindings"].items() if (term := decode_term(item)) is not None}
    result = run_query(store, job["sparql"], substitutions=subs or None, base_iri=job.get("base_iri"))
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    columns = list(dict.fromkeys(job["columns"]))
    paths = {column: op[5:] for column, op in job.get("filters", []) if op.startswith("path:")}
    where = {c: names.index(c) for c in columns if c in names}
    key = job.get("key")
    key_at = names.index(key) if key in names else None
    unkeyed = key is not None and key_at is None
    db = sqlite3.connect(out)
    _create_answer(db, len(columns))
    insert = _insert_sql(len(columns))
    batch: list[tuple[Any, ...]] = []
    reach_keys: dict[str, set[str]] = {c: set() for c in paths}  # IRIs a path filter starts from
    count = 0
    limit = int(job["max_rows"])
    for solution in result:  # type: ignore[union-attr]
        terms = [solution[n] for n in names]
        values = _row_values(count * GAP, terms, columns, where, key_at)
        if key_at is not None and terms[key_at] is None:
            unkeyed = True
        for c in columns:
            term = terms[where[c]] if c in where else None
            if c in reach_keys and isinstance(term, ox.NamedNode):
                reach_keys[c].add(term.value)
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
    for i in range(len(columns)):
        db.execute(f"CREATE INDEX ik{i} ON answer (k{i}, n)")
        db.execute(f"CREATE INDEX ix{i} ON answer (x{i}, n)")
    db.execute("CREATE INDEX ikey ON answer (key)")
    for i, column in enumerate(columns):
        if column in paths:
            db.execute(f"CREATE TABLE reach{i} (k TEXT NOT NULL, v TEXT NOT NULL)")
            _reach_rows(store, db, i, paths[column], sorted(reach_keys[column]), job.get("prefixes", {}))
            db.execute(f"CREATE INDEX ir{i} ON reach{i} (v, k)")
    db.execute("ANALYZE")
    db.commit()
    db.close()
    out_entry: dict[str, Any] = {
        "rows": count,
        "variables": names,
        "columns": columns,
        "seconds": round(time.monotonic() - started, 3),
    }
    if unkeyed:
        out_entry["unmaintainable"] = f"a row leaves the key ?{key} unbound: only a whole re-derivation is right"
    return out_entry


def _create_answer(db: sqlite3.Connection, columns: int) -> None:
    extra = "".join(f", k{i} TEXT, x{i} REAL" for i in range(columns))
    db.execute(f"CREATE TABLE answer (n INTEGER PRIMARY KEY, row TEXT NOT NULL, key TEXT{extra})")


def _insert_sql(columns: int) -> str:
    return f"INSERT INTO answer VALUES ({', '.join('?' * (3 + 2 * columns))})"


def _row_values(
    n: int, terms: Sequence[Term | None], columns: Sequence[str], where: Mapping[str, int], key_at: int | None
) -> tuple[Any, ...]:
    """The stored row: number, terms as JSON, the key (N-Triples), then each filter column's text and number."""
    key = terms[key_at] if key_at is not None else None
    values: list[Any] = [
        n,
        json.dumps([encode_term(t) for t in terms], ensure_ascii=False),
        None if key is None else str(key),
    ]
    for c in columns:
        term = terms[where[c]] if c in where else None
        values += [None if term is None else term.value, _number(term)]
    return tuple(values)


def _reach_rows(
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


def mentioned_predicates(query: Any) -> frozenset[str] | None:
    """Return every predicate a saved query's whole answer can depend on, or None for "any".

    A change that adds or removes only triples with other predicates cannot change the answer, so
    a publish can keep the previous generation's file. None when that cannot be told: a variable
    predicate, a negated property set, SERVICE, no predicate at all, or text rdflib cannot parse.
    """
    from rdflib import URIRef
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    from visitgraph.core import vocab

    prologue = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in vocab.PREFIXES.items())
    texts = [query.sparql] + [
        f"SELECT * WHERE {{ ?a {p.filter[1][5:]} ?b }}"
        for p in query.params
        if p.filter is not None and p.filter[1].startswith("path:")
    ]
    found: set[str] = set()

    def path(p: object) -> bool:
        if isinstance(p, URIRef):
            found.add(str(p))
            return True
        if isinstance(p, AlternativePath | SequencePath):
            return all(path(a) for a in p.args)
        if isinstance(p, InvPath | MulPath):
            return path(p.arg if isinstance(p, InvPath) else p.path)
        return False  # a variable, NegatedPath or anything unknown

    def walk(node: object) -> bool:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return False
            for key, value in node.items():
                if key == "triples" and isinstance(value, list | tuple):
                    if not all(path(t[1]) for t in value):
                        return False
                elif not walk(value):
                    return False
            return True
        if isinstance(node, list | tuple):
            return all(walk(n) for n in node)
        if isinstance(node, dict):
            return all(walk(v) for v in node.values())
        return not isinstance(node, NegatedPath)

    for text in texts:
        try:
            algebra = translateQuery(parseQuery(prologue + text)).algebra
        except Exception:  # rdflib's parser is stricter than Oxigraph's in places: assume "any"
            return None
        if not walk(algebra):
            return None
    return frozenset(found) or None


# -- following a write (incremental maintenance) -------------------------------------------------
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


def maintenance(query: Any) -> tuple[str, str | None] | str:
    """Return (key variable, reach path or None), or why the query's answer is derived whole after a write."""
    text = getattr(query, "maintain", "")
    if not text:
        return "no `# maintain:` declaration in the query file"
    key, path = text.split(" ", 1)
    if order_by(query.sparql) is None:
        return "its ORDER BY is not a list of variables (ASC/DESC): new rows cannot be placed"
    if f"?{key}" not in query.sparql.split("WHERE", 1)[0] and "SELECT *" not in query.sparql:
        return f"the key ?{key} is not a result column"
    return key, None if path.strip() == "-" else path.strip()


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


def changed_roots(stores: Sequence[ox.Store], changes: Iterable[ox.Triple], depth: int = 4) -> set[ox.NamedNode]:
    """The IRIs a write changed: subjects of added or removed triples; a blank subject is replaced by
    the IRIs that point at it (in any of `stores`, through up to `depth` blank nodes)."""
    roots: set[ox.NamedNode] = set()
    blanks: set[ox.BlankNode] = set()
    for t in changes:
        if isinstance(t.subject, ox.NamedNode):
            roots.add(t.subject)
        elif isinstance(t.subject, ox.BlankNode):
            blanks.add(t.subject)
    seen: set[ox.BlankNode] = set()
    for _ in range(depth):
        nxt: set[ox.BlankNode] = set()
        for b in blanks - seen:
            seen.add(b)
            for store in stores:
                for q in store.quads_for_pattern(None, None, b, None):
                    if isinstance(q.subject, ox.NamedNode):
                        roots.add(q.subject)
                    elif isinstance(q.subject, ox.BlankNode):
                        nxt.add(q.subject)
        blanks = nxt
        if not blanks:
            break
    if blanks - seen:
        raise Unmaintainable("blank nodes nested deeper than the changed-resource search goes")
    return roots


def _bind_keys(sparql: str, key: str, terms: Sequence[Term]) -> str:
    from visitgraph.sparql.text import where_brace

    brace = where_brace(sparql)
    if brace is None:
        raise Unmaintainable("no WHERE clause to bind the key in")
    values = " ".join(str(t) for t in terms)
    return f"{sparql[: brace + 1]} VALUES ?{key} {{ {values} }}{sparql[brace + 1 :]}"


def maintain(generation: str, job: dict[str, Any], out: Path) -> dict[str, Any]:
    """Bring `out` (a copy of the previous generation's answer) up to date with a write; see above."""
    from visitgraph.sparql.engine import run_query

    started = time.monotonic()
    new = _read_only(generation)
    old = _read_only(job["previous"])
    key: str = job["key"]
    roots = [t for item in job["changed"] if isinstance(t := decode_term(item), ox.NamedNode)]
    prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in job.get("prefixes", {}).items())
    keys: set[Term] = set(roots)
    if job.get("reach"):
        for start in range(0, len(roots), 500):
            values = " ".join(str(t) for t in roots[start : start + 500])
            sparql = f"{prologue}SELECT DISTINCT ?key WHERE {{ VALUES ?r {{ {values} }} ?r {job['reach']} ?key }}"
            for store in (old, new):
                keys.update(r["key"] for r in run_query(store, sparql) if r["key"] is not None)  # type: ignore[union-attr]
    key_list = sorted(keys, key=str)
    phases = {"reach_s": round(time.monotonic() - started, 3)}
    subs = {name: term for name, item in job["bindings"].items() if (term := decode_term(item)) is not None}
    columns = list(dict.fromkeys(job["columns"]))
    paths = {column: op[5:] for column, op in job.get("filters", []) if op.startswith("path:")}
    db = sqlite3.connect(out)
    try:
        db.execute("BEGIN")
        touched_reach: dict[int, set[str]] = {i: set() for i, c in enumerate(columns) if c in paths}
        removed = 0
        added: list[list[Term | None]] = []
        names: list[str] | None = None
        for start in range(0, len(key_list), 1000):
            chunk = key_list[start : start + 1000]
            for i in touched_reach:
                for (value,) in db.execute(
                    f"SELECT DISTINCT k{i} FROM answer WHERE key IN "
                    f"({','.join('?' * len(chunk))}) AND k{i} IS NOT NULL",
                    [str(k) for k in chunk],
                ):
                    touched_reach[i].add(value)
            removed += db.execute(
                f"DELETE FROM answer WHERE key IN ({','.join('?' * len(chunk))})", [str(k) for k in chunk]
            ).rowcount
            result = run_query(
                new, _bind_keys(job["sparql"], key, chunk), substitutions=subs or None, base_iri=job.get("base_iri")
            )
            names = [v.value for v in result.variables]  # type: ignore[union-attr]
            added.extend([s[n] for n in names] for s in result)  # type: ignore[union-attr]
        if names is not None and names != job["variables"]:
            raise Unmaintainable("the query's result columns differ from the stored answer's")
        names = job["variables"]
        where = {c: names.index(c) for c in columns if c in names}
        order = [(names.index(v), desc) for v, desc in job["order"] if v in names]
        if len(order) != len(job["order"]):
            raise Unmaintainable("an ORDER BY variable is not a result column")
        key_at = names.index(key)
        if any(row[key_at] is None for row in added):
            raise Unmaintainable(f"a new row leaves the key ?{key} unbound")
        import functools

        def by_order(a: list[Term | None], b: list[Term | None]) -> int:
            return compare_rows(a, b, order)

        added.sort(key=functools.cmp_to_key(by_order))
        phases["query_s"] = round(time.monotonic() - started - phases["reach_s"], 3)
        _place(db, added, order, columns, where, key_at)
        phases["place_s"] = round(time.monotonic() - started - phases["reach_s"] - phases["query_s"], 3)
        count = db.execute("SELECT count(*) FROM answer").fetchone()[0]
        if count > int(job["max_rows"]):
            raise Unmaintainable(f"more than {job['max_rows']} rows (index_max_rows)")
        for i, reached in touched_reach.items():
            for row in added:
                term = row[where[columns[i]]] if columns[i] in where else None
                if isinstance(term, ox.NamedNode):
                    reached.add(term.value)
            ordered = sorted(reached)
            for start in range(0, len(ordered), 500):
                part = ordered[start : start + 500]
                db.execute(f"DELETE FROM reach{i} WHERE k IN ({','.join('?' * len(part))})", part)
            still = [v for v in ordered if db.execute(f"SELECT 1 FROM answer WHERE k{i} = ? LIMIT 1", (v,)).fetchone()]
            _reach_rows(new, db, i, paths[columns[i]], still, job.get("prefixes", {}))
        db.commit()
    finally:
        db.close()
    return {
        "rows": count,
        "variables": names,
        "columns": columns,
        "seconds": round(time.monotonic() - started, 3),
        "maintained": {"changed": len(roots), "keys": len(key_list), "removed": removed, "added": len(added), **phases},
    }


def _place(
    db: sqlite3.Connection,
    added: Sequence[Sequence[Term | None]],
    order: Sequence[tuple[int, bool]],
    columns: Sequence[str],
    where: Mapping[str, int],
    key_at: int,
) -> None:
    """Insert sorted new rows after every kept row that does not sort after them (row numbers between)."""
    probes: dict[int, tuple[int, list[Term | None]] | None] = {}  # the first searches' probes serve the rest

    def row_at_or_after(m: int) -> tuple[int, list[Term | None]] | None:
        if m not in probes:
            found = db.execute("SELECT n, row FROM answer WHERE n >= ? ORDER BY n LIMIT 1", (m,)).fetchone()
            probes[m] = None if found is None else (found[0], [decode_term(t) for t in json.loads(found[1])])
        return probes[m]

    last = db.execute("SELECT max(n) FROM answer").fetchone()[0]

    def first_after(row: Sequence[Term | None], lo: int) -> tuple[int, int | None]:
        """(smallest m >= lo where the first row at or after m sorts after `row` or is missing, that row's number)."""
        if last is None or last < lo:
            return lo, None
        hi = last + 1  # P(m): the first row at or after m is missing or sorts after `row`; P(hi) holds
        while lo < hi:
            mid = (lo + hi) // 2
            probe = row_at_or_after(mid)
            if probe is None or compare_rows(probe[1], row, order) > 0:
                hi = mid
            else:
                lo = probe[0] + 1  # P is false up to that row's number
        probe = row_at_or_after(lo)
        return lo, None if probe is None else probe[0]

    groups: list[tuple[int | None, list[Sequence[Term | None]]]] = []
    lo = -(1 << 62)
    for row in added:  # sorted: each row's place is at or after the previous one's
        lo, nxt = first_after(row, lo)
        if groups and groups[-1][0] == nxt:
            groups[-1][1].append(row)
        else:
            groups.append((nxt, [row]))
    if any(nxt is not None and _gap(db, nxt) <= len(rows) for nxt, rows in groups):
        _renumber(db)
        groups = [(None if nxt is None else _renumbered(db, nxt), rows) for nxt, rows in groups]
        if any(nxt is not None and _gap(db, nxt) <= len(rows) for nxt, rows in groups):
            raise Unmaintainable(f"more than {GAP - 1} new rows between two kept rows")
    insert = _insert_sql(len(columns))
    for nxt, rows in groups:
        if nxt is None:
            last = db.execute("SELECT max(n) FROM answer").fetchone()[0]
            base, step = (-GAP if last is None else last), GAP
        else:
            before = db.execute("SELECT max(n) FROM answer WHERE n < ?", (nxt,)).fetchone()[0]
            base = nxt - GAP if before is None else before
            step = (nxt - base) // (len(rows) + 1)
        db.executemany(
            insert, [_row_values(base + step * (j + 1), r, columns, where, key_at) for j, r in enumerate(rows)]
        )


def _gap(db: sqlite3.Connection, nxt: int) -> int:
    before = db.execute("SELECT max(n) FROM answer WHERE n < ?", (nxt,)).fetchone()[0]
    return GAP if before is None else nxt - before


def _renumber(db: sqlite3.Connection) -> None:
    """Spread the row numbers GAP apart again, keeping their order (old -> new in temp table renum)."""
    shift = 1 << 61
    db.execute("DROP TABLE IF EXISTS temp.renum")
    db.execute("CREATE TEMP TABLE renum (was INTEGER PRIMARY KEY, now INTEGER NOT NULL)")
    db.execute("INSERT INTO renum SELECT n, (row_number() OVER (ORDER BY n) - 1) * ? FROM answer", (GAP,))
    db.execute("UPDATE answer SET n = n + ?", (shift,))
    db.execute("UPDATE answer SET n = (SELECT now FROM renum WHERE was = answer.n - ?)", (shift,))


def _renumbered(db: sqlite3.Connection, old: int) -> int:
    found: int = db.execute("SELECT now FROM temp.renum WHERE was = ?", (old,)).fetchone()[0]
    return found


@dataclass
class IndexReport:
    """What building the stored answers did: per query, rows and seconds, or why it was skipped."""

    folder: Path
    entries: dict[str, dict[str, Any]]
    seconds: float

    @property
    def stored(self) -> list[str]:
        return sorted(n for n, e in self.entries.items() if "error" not in e)

    @property
    def skipped(self) -> dict[str, str]:
        return {n: e["error"] for n, e in sorted(self.entries.items()) if "error" in e}


def build_index(
    settings: Any,
    store_path: Path | str,
    generation: Path,
    gen_id: str,
    queries: Sequence[Any],
    *,
    on_done: Callable[[str, dict[str, Any]], None] | None = None,
    keep: Sequence[str] = (),
    reuse: tuple[str, frozenset[str]] | None = None,
    follow: tuple[str, Path, Sequence[ox.NamedNode]] | str | None = None,
) -> IndexReport:
    """Store the whole answer of every indexable saved query for one published generation.

    Queries run side by side in `query_workers` child processes, each stopped at `index_timeout`
    seconds. The folder appears complete or not at all (built aside, then renamed into place).

    :param keep: names of queries whose answers already stored for this generation are kept as
        they are (re-indexing only some queries); a kept answer with a stale fingerprint is
        simply never used.
    :param reuse: (previous generation, predicates of every triple added or removed since): a
        query that mentions none of them keeps the previous generation's answer file (hard link).
    :param follow: (previous generation id, its store folder, the IRIs the write changed): a query
        declaring `# maintain:` updates a copy of its previous answer for just those (see
        :func:`maintain`); the others, and any it cannot follow, are derived whole and say why in
        the manifest (``how``, ``why``). A string instead says why no answer can follow the write.
    """
    started = time.monotonic()
    root = answers_root(store_path)
    root.mkdir(parents=True, exist_ok=True)
    work = root / f".building-{gen_id}-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    entries: dict[str, dict[str, Any]] = {}
    previous = root / gen_id
    if keep and (previous / MANIFEST).exists():
        old_entries = json.loads((previous / MANIFEST).read_text(encoding="utf-8")).get("queries", {})
        for name in keep:
            entry = old_entries.get(name)
            if entry is not None and "file" in entry and (previous / entry["file"]).exists():
                os.link(previous / entry["file"], work / entry["file"])
                entries[name] = entry

    if reuse is not None and (root / reuse[0] / MANIFEST).exists():
        before = root / reuse[0]
        old_entries = json.loads((before / MANIFEST).read_text(encoding="utf-8")).get("queries", {})
        for query in queries:
            entry = old_entries.get(query.name)
            if (
                query.name in entries
                or entry is None
                or "error" in entry
                or "file" not in entry
                or entry.get("fingerprint") != fingerprint(query)
                or not (before / entry["file"]).exists()
            ):
                continue
            mentioned = mentioned_predicates(query)
            if mentioned is not None and mentioned.isdisjoint(reuse[1]):
                os.link(before / entry["file"], work / entry["file"])
                entries[query.name] = {**entry, "reused_from": entry.get("reused_from", reuse[0]), "how": "reused"}
                entries[query.name].pop("why", None)
                entries[query.name].pop("maintained", None)
                if on_done is not None:
                    on_done(query.name, entries[query.name])

    from visitgraph.core import vocab

    def job_for(query: Any, anchors: Mapping[str, Term], anchored: Sequence[str]) -> dict[str, Any]:
        filters = [p for p in query.params if p.filter is not None and p.name not in anchored]
        plan = maintenance(query)
        return {
            "sparql": query.sparql,
            "bindings": {k: encode_term(v) for k, v in anchors.items()},
            "columns": [p.filter[0] for p in filters],
            "filters": [list(p.filter) for p in filters],
            "prefixes": dict(vocab.PREFIXES),
            "base_iri": settings.base_iri,
            "max_rows": settings.index_max_rows,
            "key": plan[0] if isinstance(plan, tuple) else None,
        }

    def attempt(query: Any, bound: Mapping[str, Term], anchored: Sequence[str]) -> dict[str, Any]:
        anchors = {**anchor_binding(query, bound), **{n: bound[n] for n in anchored if n in bound}}
        job = job_for(query, anchors, anchored)
        out = work / f"{query.name}.sqlite"
        entry: dict[str, Any] = {
            "fingerprint": fingerprint(query),
            "key": anchor_key(anchors),
            "file": out.name,
            "anchored": list(anchored),
            "bindings": job["bindings"],
        }
        entry.update(_run_in_child(pool, job, out, float(settings.index_timeout)))
        return entry

    previous_entries: dict[str, dict[str, Any]] = {}
    if isinstance(follow, tuple) and (root / follow[0] / MANIFEST).exists():
        previous_entries = json.loads((root / follow[0] / MANIFEST).read_text(encoding="utf-8")).get("queries", {})

    def follow_write(query: Any) -> dict[str, Any] | str:
        """Update a copy of the previous answer for what the write changed; or say why not."""
        if follow is None:
            return "no published answer to start from"
        if isinstance(follow, str):
            return follow
        plan = maintenance(query)
        if isinstance(plan, str):
            return plan
        old = previous_entries.get(query.name)
        if old is None or "error" in old or "file" not in old or not (root / follow[0] / old["file"]).exists():
            return "the previous generation has no stored answer for it"
        if old.get("fingerprint") != fingerprint(query) or "bindings" not in old:
            return "the query or its parameters changed since the previous answer"
        if "unmaintainable" in old:
            return str(old["unmaintainable"])
        anchors = {k: t for k, item in old["bindings"].items() if (t := decode_term(item)) is not None}
        bound = bind_parameters(query, {}, settings.base_iri)
        expected = {**anchor_binding(query, bound), **{n: bound[n] for n in old.get("anchored", []) if n in bound}}
        if anchor_key(anchors) != anchor_key(expected):
            return "the default parameter values changed"
        job = job_for(query, anchors, old.get("anchored", []))
        job.update(
            previous=str(follow[1]),
            changed=[encode_term(t) for t in follow[2]],
            reach=plan[1],
            order=order_by(query.sparql),
            variables=old["variables"],
        )
        out = work / old["file"]
        shutil.copyfile(root / follow[0] / old["file"], out)
        result = _run_in_child(pool, job, out, float(settings.index_timeout), kind="maintain")
        if "error" in result:
            out.unlink(missing_ok=True)
            return str(result["error"])
        return {
            **{k: old[k] for k in ("fingerprint", "key", "file", "anchored", "bindings") if k in old},
            **({"note": old["note"]} if "note" in old else {}),
            **result,
            "how": "maintained",
        }

    def one(query: Any) -> tuple[str, dict[str, Any]]:
        followed = follow_write(query)
        if isinstance(followed, dict):
            if on_done is not None:
                on_done(query.name, followed)
            return query.name, followed
        bound = bind_parameters(query, {}, settings.base_iri)
        entry = attempt(query, bound, ())
        defaulted = [p.name for p in query.params if p.filter is not None and p.name in bound]
        if "error" in entry and defaulted:
            # Too big or too slow whole: store the default values' answer instead, like an anchor's.
            fallback = attempt(query, bound, defaulted)
            if "error" not in fallback:
                fallback["note"] = f"whole answer not stored ({entry['error']}); stored for the defaults"
                entry = fallback
        entry.update(how="derived", why=followed)
        if on_done is not None:
            on_done(query.name, entry)
        return query.name, entry

    todo = [q for q in queries if indexable(q) and q.name not in entries]
    pool = Pool("visitgraph.queries.answerindex", (str(generation),), keep_stderr=True)
    try:
        with ThreadPoolExecutor(max_workers=max(1, int(settings.query_workers))) as threads:
            for name, entry in threads.map(one, todo):
                entries[name] = entry
    finally:
        pool.close()
    manifest = {
        "format": FORMAT,
        "generation": gen_id,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "queries": entries,
    }
    (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    from visitgraph.core.crashpoints import crash_point

    crash_point("answers.before_rename")  # every answer file is written aside; the folder is not in place
    final = root / gen_id
    old = root / f".old-{gen_id}-{os.getpid()}"
    if final.exists():
        os.replace(final, old)
    os.replace(work, final)
    shutil.rmtree(old, ignore_errors=True)
    return IndexReport(final, entries, round(time.monotonic() - started, 3))


def _run_in_child(pool: Pool, job: dict[str, Any], out: Path, timeout: float, kind: str = "derive") -> dict[str, Any]:
    """Derive (or maintain) one stored answer in a child of `pool`; an error entry when it fails or times out."""
    started = time.monotonic()
    try:
        result, _ = pool.run({"job": job, "out": str(out), "kind": kind}, timeout)
    except ChildTimeout:
        out.unlink(missing_ok=True)
        return {"error": f"not answered within index_timeout ({timeout:g} s)", "seconds": _since(started)}
    except ChildGone as e:
        out.unlink(missing_ok=True)
        tail = e.stderr.strip().splitlines()[-1:] or [e.how]
        return {"error": f"the query failed: {tail[0][:300]}", "seconds": _since(started)}
    if not isinstance(result, dict):  # the pool's last-resort answer: ("error", (status, message))
        result = {"error": f"the query failed: {result[1][1]}"[:300]}
    if "error" in result:
        out.unlink(missing_ok=True)
    return result


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)


def prune(store_path: Path | str, keep: Sequence[str]) -> None:
    """Remove the answers of generations no longer on disk (and leftovers of interrupted builds)."""
    root = answers_root(store_path)
    if not root.exists():
        return
    for folder in root.iterdir():
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)


on_prune(prune)  # the store calls it after removing old generations


# -- serving ----------------------------------------------------------------------------------


@dataclass
class StoredPage:
    """A page read from a stored answer."""

    variables: list[str]
    rows: list[list[Term | None]]
    has_next: bool


class AnswerIndex:
    """The stored answers of one generation, read-only."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
        self.entries: dict[str, dict[str, Any]] = (
            manifest.get("queries", {}) if manifest.get("format") == FORMAT else {}
        )
        self._local = threading.local()

    def _connection(self, name: str) -> sqlite3.Connection:
        cache: dict[str, sqlite3.Connection] = self._local.__dict__.setdefault("connections", {})
        conn = cache.get(name)
        if conn is None:
            path = self.folder / self.entries[name]["file"]
            conn = cache[name] = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        return conn

    def page(self, query: Any, bound: Mapping[str, Term], limit: int, offset: int) -> StoredPage | None:
        """Return one page from the stored answer, or None when it does not apply (run SPARQL)."""
        entry = self.entries.get(query.name)
        if entry is None or "error" in entry or entry.get("fingerprint") != fingerprint(query):
            return None
        anchored = entry.get("anchored", [])
        anchors = {**anchor_binding(query, bound), **{n: bound[n] for n in anchored if n in bound}}
        if entry.get("key") != anchor_key(anchors):
            return None
        columns: list[str] = entry["columns"]
        conditions: list[str] = []
        args: list[Any] = []
        for name, term in bound.items():
            p = query.param(name)
            if p is None or p.filter is None or name in anchored:
                continue
            column, op = p.filter
            i = columns.index(column)
            if op == "=":
                conditions.append(f"k{i} = ?")
                args.append(term.value)
            elif op.startswith("path:"):
                conditions.append(f"k{i} IN (SELECT k FROM reach{i} WHERE v = ?)")
                args.append(str(term))
            elif op == "year":
                conditions.append(f"x{i} = ?")
                args.append(_number(term))
            elif _number(term) is not None and term.datatype.value in _NUMERIC:  # type: ignore[union-attr]
                conditions.append(f"x{i} {op} ?")
                args.append(_number(term))
            else:  # dates and text compare by their lexical form (YYYY-MM-DD sorts as it reads)
                conditions.append(f"k{i} {op} ?")
                args.append(term.value)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        try:
            found = (
                self._connection(query.name)
                .execute(f"SELECT row FROM answer {where} ORDER BY n LIMIT ? OFFSET ?", (*args, limit + 1, offset))
                .fetchall()
            )
        except sqlite3.Error:
            return None  # a damaged or missing file: SPARQL answers instead
        variables: list[str] = entry["variables"]
        fill = {i: bound[v] for i, v in enumerate(variables) if v in bound}
        rows = []
        for (text,) in found[:limit]:
            row = [decode_term(item) for item in json.loads(text)]
            for i, term in fill.items():
                if row[i] is None:
                    row[i] = term
            rows.append(row)
        return StoredPage(variables, rows, has_next=len(found) > limit)


#: The stored answers of the newest generation asked of each store (decision 0034: files stay open per thread).
_OPEN: NewestPerStore[AnswerIndex] = NewestPerStore()


def for_store(store: Any) -> AnswerIndex | None:
    """Return the stored answers of an embedded store's current generation (None if it has none)."""
    path = getattr(store, "path", None)
    current = getattr(store, "current", None)
    if path is None or current is None or getattr(store, "client", None) is not None:
        return None  # the remote backend keeps no stored answers: front-ends read the server
    gen = current()
    if gen is None:
        return None
    folder = answers_root(path) / gen.id
    try:
        stamp = (folder / MANIFEST).stat().st_mtime_ns
    except OSError:
        return None
    store_key, version = str(answers_root(path)), (gen.id, stamp)
    found = _OPEN.get(store_key, version)
    if found is None:
        found = AnswerIndex(folder)
        _OPEN.put(store_key, version, found)
    return found


def _handler(args: Sequence[str]) -> Handler:
    """The child's side (:func:`visitgraph.workers.pool.serve`): derive or maintain answers of generation `args[0]`."""
    generation = args[0]

    def answer(request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        out = Path(request["out"])
        if request.get("kind") != "maintain":  # maintain works on a copy of the previous answer
            with contextlib.suppress(FileNotFoundError):
                out.unlink()
        try:
            if request.get("kind") == "maintain":
                try:
                    result = maintain(generation, request["job"], out)
                except Unmaintainable as e:
                    result = {"error": f"not maintained: {e}"[:300]}
            else:
                result = derive(generation, request["job"], out)
        except Exception as e:  # noqa: BLE001 - reported to the parent, which records it
            result = {"error": f"the query failed: {e}"[:300]}
        return result, b""

    return answer


if __name__ == "__main__":
    serve(_handler)
