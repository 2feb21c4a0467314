"""Stored counts follow a write by the units the write touched, not by re-running their groups.

An aggregate saved query of the shape

    SELECT ?key ?k2 … (COUNT(DISTINCT ?a) AS ?n) (MIN(?d) AS ?first) (MAX(?d) AS ?last) …
    WHERE { … } GROUP BY ?key ?k2 … ORDER BY …

declares ``# maintain: <key> per <unit> <path>`` (decisions 0043, 0047) when every counted variable is,
in every solution, either unbound or the *unit* (a variable of the pattern: a visit, a gift), and
every solution counts its unit at least once. Then a group (the values of the GROUP BY variables) has
a count that is the number of units with a solution in it, and a write changes it by exactly what
the units it touched gained or lost:

- the touched units are the changed resources and what ``?r <path> ?unit`` reaches from them, in the
  previous and in the new generation;
- for those units alone, the pattern runs on both generations (``VALUES ?unit { … }`` opening it),
  giving each unit's groups before and after;
- a group's count changes by (units now in it) − (units in it before); only the groups whose counts
  or extremes changed are rewritten (a row whose counts all reach 0 is removed; a new group is
  inserted) and placed in the ORDER BY between the kept rows as other followed answers are.

A ``MIN``/``MAX`` of a variable follows the (unit, value) pairs the same way: pairs added can only
lower a minimum (raise a maximum), so the new one is Oxigraph's MIN (MAX) of the stored value and the
added values; a pair removed whose value *is* the stored extreme may leave another one, so that
group's key is derived again (its rows run with the key bound, as a keyed answer is), which costs
the group's size, and only then.

So the cost grows with the units a write touches (a 100-visit write: about 100 visits), not with the
size of the groups (a year or a country holds thousands of visits, a host most of them). A year
computed by ``BIND(YEAR(?date) AS ?year)`` is fine here: the key is never bound, only the unit.
Anything this cannot vouch for (another aggregate, HAVING, a counted value that is not the unit, an
unbound key or extreme, a count going below zero) raises
:class:`~visitgraph.queries.answerrows.Unmaintainable`, and the answer is derived whole.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from visitgraph.queries.answeroverlay import delete_where, live
from visitgraph.queries.answerrows import (
    Term,
    Unmaintainable,
    bind_lateral,
    decode_term,
    job_bindings,
    order_columns,
    sort_rows,
    where_span,
)

_AGGREGATE = re.compile(r"\(\s*(COUNT\s*\(\s*DISTINCT|MIN\s*\(|MAX\s*\()\s*\?(\w+)\s*\)\s+AS\s+\?(\w+)\s*\)", re.I)
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@dataclass(frozen=True)
class Shape:
    """A counting aggregate split up: the text before SELECT, the WHERE body, the GROUP BY variables
    (the key first), {result column: counted variable} and {result column: ("min" or "max", variable)}."""

    prologue: str
    body: str
    group: tuple[str, ...]
    counted: dict[str, str]
    extremes: dict[str, tuple[str, str]] = field(default_factory=dict)


def count_shape(sparql: str, key: str) -> Shape:
    """Split a counting aggregate grouped by `key` (and perhaps more) into its :class:`Shape`.

    >>> q = "PREFIX a: <x:> SELECT ?y (COUNT(DISTINCT ?v) AS ?n) WHERE { ?v a:d ?y } GROUP BY ?y ORDER BY ?y"
    >>> count_shape(q, "y")
    Shape(prologue='PREFIX a: <x:> ', body=' ?v a:d ?y ', group=('y',), counted={'n': 'v'}, extremes={})
    >>> q = "SELECT ?p ?m (COUNT(DISTINCT ?v) AS ?n) (MIN(?d) AS ?lo) WHERE { ?v <x:p> ?p ; <x:d> ?d . ?p <x:m> ?m } "
    >>> s = count_shape(q + "GROUP BY ?m ?p ORDER BY ?lo", "p")
    >>> s.group, s.counted, s.extremes
    (('p', 'm'), {'n': 'v'}, {'lo': ('min', 'd')})
    """
    from visitgraph.sparql.text import tokenize

    select = next((t for t in tokenize(sparql) if t.kind == "word" and t.text.upper() == "SELECT"), None)
    if select is None:
        raise Unmaintainable("not a SELECT query")
    brace, close = where_span(sparql)
    head = sparql[select.start + len("SELECT") : brace]
    head = re.sub(r"\bWHERE\s*$", "", head.strip(), flags=re.I)
    counted: dict[str, str] = {}
    extremes: dict[str, tuple[str, str]] = {}
    for kind, var, out in _AGGREGATE.findall(head):
        word = kind.split("(")[0].strip().lower()
        if word == "count":
            counted[out] = var
        else:
            extremes[out] = (word, var)
    plain = _AGGREGATE.sub(" ", head).split()
    tail = sparql[close + 1 :]
    grouped = re.fullmatch(r"\s*GROUP\s+BY\s+((?:\?\w+\s+)+)ORDER\s+BY\s+[^{}]*", tail, re.I)
    if not counted or f"?{key}" not in plain or any(not re.fullmatch(r"\?\w+", w) for w in plain):
        raise Unmaintainable(
            f"its result columns are not ?{key} (and other grouped variables), COUNT(DISTINCT ?v), MIN and MAX"
        )
    group = tuple(v.removeprefix("?") for v in grouped.group(1).split()) if grouped else ()
    if (
        not grouped
        or sorted(group) != sorted(w.removeprefix("?") for w in plain)
        or re.search(r"\b(HAVING|LIMIT|OFFSET|VALUES)\b", tail, re.I)
    ):
        raise Unmaintainable(
            f"it is not grouped by ?{key} and its other plain result columns, and ordered (no HAVING, LIMIT, OFFSET or VALUES)"
        )
    group = (key, *(v for v in group if v != key))  # the key first: a group's first term is its key
    return Shape(sparql[: select.start], sparql[brace + 1 : close], group, counted, extremes)


@dataclass
class _Group:
    """One group's members among the touched units: its terms, units per count, (unit, value) per extreme."""

    terms: tuple[Term | None, ...]
    units: dict[str, set[str]]
    pairs: dict[str, set[tuple[str, str]]]


def _units_by_group(
    store: ox.Store, shape: Shape, unit: str, units: Sequence[Term], subs: Mapping[str, Term], base_iri: str | None
) -> tuple[dict[tuple[str, ...], _Group], dict[str, Term]]:
    """({group as N-Triples of its GROUP BY values: its members}, {value as N-Triples: term}) for `units`."""
    from visitgraph.sparql.engine import run_query

    measured = [v for _, v in shape.extremes.values()]
    variables = list(dict.fromkeys([unit, *shape.group, *shape.counted.values(), *measured]))
    found: dict[tuple[str, ...], _Group] = {}
    values: dict[str, Term] = {}
    key = shape.group[0]
    for start in range(0, len(units), 500):
        chunk = " ".join(str(t) for t in units[start : start + 500])
        sparql = (
            f"{shape.prologue}SELECT DISTINCT {' '.join('?' + v for v in variables)} "
            f"WHERE {{ {{ VALUES ?{unit} {{ {chunk} }} }} LATERAL {{ {shape.body} }} }}"
        )
        for s in run_query(store, sparql, substitutions=dict(subs) or None, base_iri=base_iri):  # type: ignore[union-attr]
            terms = tuple(s[v] for v in shape.group)
            member = s[unit]
            if s[key] is None:
                raise Unmaintainable(f"a solution leaves the key ?{key} unbound")
            group = found.setdefault(
                tuple("" if t is None else str(t) for t in terms),
                _Group(terms, {out: set() for out in shape.counted}, {out: set() for out in shape.extremes}),
            )
            bound = False
            for out, var in shape.counted.items():
                value = s[var]
                if value is None:
                    continue
                if value != member:
                    raise Unmaintainable(f"?{var} is not the unit ?{unit} in every solution")
                group.units[out].add(str(member))
                bound = True
            if not bound:
                raise Unmaintainable(f"a solution counts its ?{unit} in no column")
            for out, (_, var) in shape.extremes.items():
                value = s[var]
                if value is None or isinstance(value, ox.BlankNode):
                    raise Unmaintainable(f"?{var} is unbound or a blank node in a solution (MIN/MAX of it)")
                values[str(value)] = value
                group.pairs[out].add((str(member), str(value)))
    return found, values


def _extremes(kind: str, candidates: Mapping[int, Sequence[Term]]) -> tuple[dict[int, Term], set[int]]:
    """Oxigraph's MIN or MAX of each candidate list, and the lists holding two different terms that are
    equal (which one an aggregate keeps is not told: that group is derived again)."""
    if not candidates:
        return {}, set()
    rows = " ".join(f"({i} {t})" for i, terms in candidates.items() for t in terms)
    store = ox.Store()
    picked = {
        int(r["g"].value): r["x"]
        for r in store.query(
            f"SELECT ?g ({kind.upper()}(?v) AS ?x) WHERE {{ VALUES (?g ?v) {{ {rows} }} }} GROUP BY ?g"
        )  # type: ignore[union-attr]
    }
    tied = {
        int(r["g"].value)
        for r in store.query(  # type: ignore[union-attr]
            f"SELECT DISTINCT ?g WHERE {{ VALUES (?g ?a) {{ {rows} }} VALUES (?g ?b) {{ {rows} }} "
            "FILTER(!sameTerm(?a, ?b) && ?a = ?b) }"
        )
    }
    return picked, tied


def follow_counts(
    db: sqlite3.Connection,
    has_base: bool,
    new: ox.Store,
    old: ox.Store,
    job: Mapping[str, Any],
    units: Sequence[Term],
    place: Callable[[Sequence[Sequence[Term | None]], Sequence[tuple[int, bool]], int], None],
) -> dict[str, int]:
    """Rewrite the stored rows of the groups whose counts or extremes the touched `units` change (see the
    module text). `place(added, order, key_at)` inserts sorted new rows; returns what was done."""
    from visitgraph.sparql.engine import run_query

    key, unit = job["key"], job["unit"]
    shape = count_shape(job["sparql"], key)
    names: list[str] = job["variables"]
    if set(names) != {*shape.group, *shape.counted, *shape.extremes}:
        raise Unmaintainable("the stored answer's columns are not the query's")
    subs = job_bindings(job)
    before, was_values = _units_by_group(old, shape, unit, units, subs, job.get("base_iri"))
    after, now_values = _units_by_group(new, shape, unit, units, subs, job.get("base_iri"))
    values = {**was_values, **now_values}
    key_at = names.index(key)
    at = {v: names.index(v) for v in shape.group}
    stored_rows: dict[str, list[tuple[int, list[Term | None]]]] = {}

    def stored(terms: tuple[Term | None, ...]) -> tuple[int, list[Term | None]] | None:
        """The live stored row of a group (row number, terms), if any."""
        k = str(terms[0])
        if k not in stored_rows:
            found = db.execute(*live(has_base, "n, row", "key = ?", [k])).fetchall()
            stored_rows[k] = [(n, [decode_term(t) for t in json.loads(row)]) for n, row in found]
        same = [r for r in stored_rows[k] if all(r[1][at[v]] == terms[i] for i, v in enumerate(shape.group))]
        if len(same) > 1:
            raise Unmaintainable(f"more than one stored row for the group {terms}")
        return same[0] if same else None

    # What each changed group becomes: (its stored row or None, new counts, extremes to compute).
    plans: list[tuple[_Group, tuple[int, list[Term | None]] | None, dict[str, int]]] = []
    candidates: dict[str, dict[int, list[Term]]] = {out: {} for out in shape.extremes}
    redo: dict[str, Term] = {}  # keys whose groups are derived again (an extreme left)
    for gid in sorted(set(before) | set(after)):
        empty = _Group((), {out: set() for out in shape.counted}, {out: set() for out in shape.extremes})
        was, now = before.get(gid, empty), after.get(gid, empty)
        group = now if gid in after else was
        delta = {out: len(now.units[out]) - len(was.units[out]) for out in shape.counted}
        gone = {out: was.pairs[out] - now.pairs[out] for out in shape.extremes}
        came = {out: now.pairs[out] - was.pairs[out] for out in shape.extremes}
        if not any(delta.values()) and not any(gone.values()) and not any(came.values()):
            continue
        row = stored(group.terms)
        counts = dict.fromkeys(shape.counted, 0)
        if row is not None:
            counts = {out: int(row[1][names.index(out)].value) for out in shape.counted}  # type: ignore[union-attr]
            if not any(counts.values()):
                raise Unmaintainable("a stored group counts nothing: its solutions do not all count their unit")
        counts = {out: counts[out] + delta[out] for out in shape.counted}
        if any(c < 0 for c in counts.values()):
            raise Unmaintainable(f"a count of the group {gid} would fall below zero: a touched unit was missed")
        for out in shape.extremes:
            current = None if row is None else row[1][names.index(out)]
            if current is None and row is not None and any(counts.values()):
                raise Unmaintainable(f"a stored group without its ?{out}")
            if any(value == str(current) for _, value in gone[out]):
                redo[str(group.terms[0])] = group.terms[0]  # type: ignore[assignment]
            elif any(counts.values()):
                pool = [values[v] for _, v in came[out]] + ([current] if current is not None else [])
                candidates[out][len(plans)] = pool
        plans.append((group, row, counts))
    picked: dict[str, dict[int, Term]] = {}
    for out, (kind, _) in shape.extremes.items():
        picked[out], tied = _extremes(kind, candidates[out])
        for i in tied:
            redo[str(plans[i][0].terms[0])] = plans[i][0].terms[0]  # type: ignore[assignment]
    removed = 0
    added: list[list[Term | None]] = []
    for i, (group, row, counts) in enumerate(plans):
        if str(group.terms[0]) in redo:
            continue
        if row is not None:
            delete_where(db, has_base, "n = ?", [row[0]])
            removed += 1
        if any(counts.values()):
            fresh: list[Term | None] = [None] * len(names)
            for j, v in enumerate(shape.group):
                fresh[at[v]] = group.terms[j]
            for out, c in counts.items():
                fresh[names.index(out)] = ox.Literal(str(c), datatype=_INTEGER)
            for out in shape.extremes:
                fresh[names.index(out)] = picked[out][i]
            added.append(fresh)
    if redo:  # their rows, all groups of each key, derived again with the key bound
        keys = sorted(redo.values(), key=str)
        marks = ",".join("?" * len(keys))
        removed += delete_where(db, has_base, f"key IN ({marks})", [str(k) for k in keys])
        result = run_query(
            new, bind_lateral(job["sparql"], key, keys), substitutions=subs or None, base_iri=job.get("base_iri")
        )
        if [v.value for v in result.variables] != names:  # type: ignore[union-attr]
            raise Unmaintainable("the query's result columns differ from the stored answer's")
        added.extend([s[n] for n in names] for s in result)  # type: ignore[union-attr]
    order = order_columns(job["order"], names)
    sort_rows(added, order)
    place(added, order, key_at)
    return {
        "units": len(units),
        "groups": len(set(before) | set(after)),
        "removed": removed,
        "added": len(added),
        "keys_derived_again": len(redo),
    }
