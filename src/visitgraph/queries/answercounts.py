"""Stored counts follow a write by the units the write touched, not by re-running their groups.

An aggregate saved query of the shape

    SELECT ?key (COUNT(DISTINCT ?a) AS ?n) … WHERE { … } GROUP BY ?key ORDER BY …

declares ``# maintain: <key> per <unit> <path>`` (decision 0043) when every counted variable is, in
every solution, either unbound or the *unit* (a variable of the pattern: a visit, a gift), and every
solution counts its unit at least once. Then a group's count is the number of units that have a
solution in that group, and a write changes it by exactly what the units it touched gained or lost:

- the touched units are the changed resources and what ``?r <path> ?unit`` reaches from them, in the
  previous and in the new generation;
- for those units alone, the pattern runs on both generations (``VALUES ?unit { … }`` opening it),
  giving each unit's groups before and after;
- a group's count changes by (units now in it) − (units in it before); only the groups whose counts
  changed are rewritten (a row whose counts all reach 0 is removed; a new group is inserted) and
  placed in the ORDER BY between the kept rows as other followed answers are.

So the cost grows with the units a write touches (a 100-visit write: about 100 visits), not with the
size of the groups (a year or a country holds thousands of visits). A year computed by
``BIND(YEAR(?date) AS ?year)`` is fine here: the key is never bound, only the unit. Anything this
cannot vouch for (another aggregate, HAVING, a counted value that is not the unit, an unbound key,
a count going below zero) raises :class:`~visitgraph.queries.answerrows.Unmaintainable`, and the answer
is derived whole.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

import pyoxigraph as ox

from visitgraph.queries.answeroverlay import delete_where, live
from visitgraph.queries.answerrows import (
    Term,
    Unmaintainable,
    decode_term,
    job_bindings,
    order_columns,
    sort_rows,
    where_span,
)

_COUNT = re.compile(r"\(\s*COUNT\s*\(\s*DISTINCT\s+\?(\w+)\s*\)\s+AS\s+\?(\w+)\s*\)", re.I)
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def count_shape(sparql: str, key: str) -> tuple[str, str, dict[str, str]]:
    """Split a counting aggregate into (text before SELECT, WHERE body, {result column: counted variable}).

    >>> q = "PREFIX a: <x:> SELECT ?y (COUNT(DISTINCT ?v) AS ?n) WHERE { ?v a:d ?y } GROUP BY ?y ORDER BY ?y"
    >>> count_shape(q, "y")
    ('PREFIX a: <x:> ', ' ?v a:d ?y ', {'n': 'v'})
    """
    from visitgraph.sparql.text import tokenize

    select = next((t for t in tokenize(sparql) if t.kind == "word" and t.text.upper() == "SELECT"), None)
    if select is None:
        raise Unmaintainable("not a SELECT query")
    brace, close = where_span(sparql)
    head = sparql[select.start + len("SELECT") : brace]
    head = re.sub(r"\bWHERE\s*$", "", head.strip(), flags=re.I)
    counted = {out: var for var, out in _COUNT.findall(head)}
    rest = _COUNT.sub(" ", head).split()
    if not counted or rest != [f"?{key}"]:
        raise Unmaintainable(f"its result columns are not ?{key} and COUNT(DISTINCT ?v) AS ?n alone")
    tail = sparql[close + 1 :]
    if not re.fullmatch(rf"\s*GROUP\s+BY\s+\?{key}\s+ORDER\s+BY\s+[^{{}}]*", tail, re.I) or re.search(
        r"\b(HAVING|LIMIT|OFFSET|VALUES)\b", tail, re.I
    ):
        raise Unmaintainable(f"it is not grouped by ?{key} alone and ordered (no HAVING, LIMIT, OFFSET or VALUES)")
    return sparql[: select.start], sparql[brace + 1 : close], counted


def _units_by_group(
    store: ox.Store,
    prologue: str,
    body: str,
    key: str,
    unit: str,
    counted: Mapping[str, str],
    units: Sequence[Term],
    subs: Mapping[str, Term],
    base_iri: str | None,
) -> dict[str, tuple[Term, dict[str, set[str]]]]:
    """{group key as N-Triples: (its term, {result column: the units counted in it})} for `units`."""
    from visitgraph.sparql.engine import run_query

    variables = list(dict.fromkeys([unit, key, *counted.values()]))
    found: dict[str, tuple[Term, dict[str, set[str]]]] = {}
    for start in range(0, len(units), 500):
        values = " ".join(str(t) for t in units[start : start + 500])
        sparql = (
            f"{prologue}SELECT DISTINCT {' '.join('?' + v for v in variables)} "
            f"WHERE {{ {{ VALUES ?{unit} {{ {values} }} }} LATERAL {{ {body} }} }}"
        )
        for s in run_query(store, sparql, substitutions=dict(subs) or None, base_iri=base_iri):  # type: ignore[union-attr]
            group, member = s[key], s[unit]
            if group is None:
                raise Unmaintainable(f"a solution leaves the key ?{key} unbound")
            slot = found.setdefault(str(group), (group, {out: set() for out in counted}))[1]
            bound = False
            for out, var in counted.items():
                value = s[var]
                if value is None:
                    continue
                if value != member:
                    raise Unmaintainable(f"?{var} is not the unit ?{unit} in every solution")
                slot[out].add(str(member))
                bound = True
            if not bound:
                raise Unmaintainable(f"a solution counts its ?{unit} in no column")
    return found


def follow_counts(
    db: sqlite3.Connection,
    has_base: bool,
    new: ox.Store,
    old: ox.Store,
    job: Mapping[str, Any],
    units: Sequence[Term],
    place: Any,
) -> dict[str, int]:
    """Rewrite the stored rows of the groups whose counts the touched `units` change (see the module text).

    `place(added, order, key_at)` inserts sorted new rows; returns how many rows were removed and added.
    """
    key, unit = job["key"], job["unit"]
    prologue, body, counted = count_shape(job["sparql"], key)
    names: list[str] = job["variables"]
    if set(names) != {key, *counted}:
        raise Unmaintainable("the stored answer's columns are not the query's")
    subs = job_bindings(job)
    args = (prologue, body, key, unit, counted, units, subs, job.get("base_iri"))
    before = _units_by_group(old, *args)
    after = _units_by_group(new, *args)
    key_at = names.index(key)
    removed = 0
    added: list[list[Term | None]] = []
    for group in sorted(set(before) | set(after)):
        term = (after.get(group) or before[group])[0]
        was = before.get(group, (term, {out: set() for out in counted}))[1]
        now = after.get(group, (term, {out: set() for out in counted}))[1]
        delta = {out: len(now[out]) - len(was[out]) for out in counted}
        if not any(delta.values()):
            continue
        stored = db.execute(*live(has_base, "n, row", "key = ?", [group])).fetchall()
        if len(stored) > 1:
            raise Unmaintainable(f"more than one stored row for ?{key} = {group}")
        counts = dict.fromkeys(counted, 0)
        if stored:
            import json

            row = [decode_term(t) for t in json.loads(stored[0][1])]
            counts = {out: int(row[names.index(out)].value) for out in counted}  # type: ignore[union-attr]
            if not any(counts.values()):
                raise Unmaintainable("a stored group counts nothing: its solutions do not all count their unit")
            delete_where(db, has_base, "n = ?", [stored[0][0]])
            removed += 1
        counts = {out: counts[out] + delta[out] for out in counted}
        if any(c < 0 for c in counts.values()):
            raise Unmaintainable(f"a count of ?{key} = {group} would fall below zero: a touched unit was missed")
        if any(counts.values()):
            fresh: list[Term | None] = [None] * len(names)
            fresh[key_at] = term
            for out, c in counts.items():
                fresh[names.index(out)] = ox.Literal(str(c), datatype=_INTEGER)
            added.append(fresh)
    order = order_columns(job["order"], names)
    sort_rows(added, order)
    place(added, order, key_at)
    return {"units": len(units), "groups": len(set(before) | set(after)), "removed": removed, "added": len(added)}
