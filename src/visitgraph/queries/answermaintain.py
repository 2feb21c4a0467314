"""Stored answers follow writes: a saved query's stored rows brought up to date with what a write changed.

A write changes a few resources; a stored answer that declares its key (`# maintain: <key> <path>`) is
updated over the previous generation's rows (an overlay on the previous whole file, decision 0043:
:mod:`visitgraph.queries.answeroverlay`): the rows of the changed keys are removed and derived again
for those keys alone (the WHERE clause run per key, LATERAL), and placed in the answer's order between
the kept rows; a counting aggregate (``per <unit>``) is followed by :mod:`visitgraph.queries.answercounts`
(:func:`maintain`, run in a child of the killable pool like a derivation). An answer that cannot follow
(:class:`~visitgraph.queries.answerrows.Unmaintainable`) is derived whole.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.queries import answeroverlay as overlay
from visitgraph.queries.answeroverlay import delete_where, live
from visitgraph.queries.answerrows import (
    GAP,
    Term,
    Unmaintainable,
    bind_lateral,
    compare_rows,
    decode_term,
    insert_sql,
    job_bindings,
    order_by,
    order_columns,
    reach_rows,
    read_only,
    row_values,
    sort_rows,
)
from visitgraph.store.backend import Reader


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


def maintenance(query: Any) -> tuple[str, str | None, str | None] | str:
    """Return (key variable, reach path or None, counted unit or None), or why the answer is derived whole.

    ``# maintain: <key> <path>`` re-runs the rows of the keys reached; ``# maintain: <key> per <unit>
    <path>`` (an aggregate counting units, :mod:`visitgraph.queries.answercounts`) counts the units reached.
    """
    text = getattr(query, "maintain", "")
    if not text:
        return "no `# maintain:` declaration in the query file"
    key, path = text.split(" ", 1)
    unit = None
    if path.startswith("per "):
        words = path[4:].strip().split(None, 1)
        if len(words) != 2:
            return "`# maintain: <key> per <unit> <path>` needs a unit variable and a path"
        unit, path = words[0].removeprefix("?"), words[1]
    if order_by(query.sparql) is None:
        return "its ORDER BY is not a list of variables (ASC/DESC): new rows cannot be placed"
    if f"?{key}" not in query.sparql.split("WHERE", 1)[0] and "SELECT *" not in query.sparql:
        return f"the key ?{key} is not a result column"
    return key, None if path.strip() == "-" else path.strip(), unit


def changed_roots(stores: Sequence[Reader], changes: Iterable[ox.Triple], depth: int = 4) -> set[ox.NamedNode]:
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


def maintain(generation: str, job: dict[str, Any], out: Path) -> dict[str, Any]:
    """Bring `out` (the previous answer's overlay over ``job["base"]``, or a new one) up to date with a write."""
    from visitgraph.sparql.engine import run_query

    started = time.monotonic()
    new = read_only(generation)
    old = read_only(job["previous"])
    key: str = job["key"]
    roots = [t for item in job["changed"] if isinstance(t := decode_term(item), ox.NamedNode)]
    prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in job.get("prefixes", {}).items())
    key_list = _reached((old, new), roots, job.get("reach"), prologue)
    phases = {"reach_s": round(time.monotonic() - started, 3)}
    if job.get("unit"):
        return _maintain_counts(new, old, job, out, key_list, started, phases, len(roots))
    subs = job_bindings(job)
    columns = list(dict.fromkeys(job["columns"]))
    paths = {column: op[5:] for column, op in job.get("filters", []) if op.startswith("path:")}
    db, has_base = _open_overlay(job, out, len(columns), [i for i, c in enumerate(columns) if c in paths])
    try:
        db.execute("BEGIN")
        touched_reach: dict[int, set[str]] = {i: set() for i, c in enumerate(columns) if c in paths}
        removed = 0
        added: list[list[Term | None]] = []
        names: list[str] | None = None
        for start in range(0, len(key_list), 1000):
            chunk = key_list[start : start + 1000]
            marks = ",".join("?" * len(chunk))
            for i in touched_reach:
                sql, args = live(has_base, f"k{i}", f"key IN ({marks}) AND k{i} IS NOT NULL", [str(k) for k in chunk])
                touched_reach[i].update(value for (value,) in db.execute(sql, args))
            removed += delete_where(db, has_base, f"key IN ({marks})", [str(k) for k in chunk])
            result = run_query(
                new, bind_lateral(job["sparql"], key, chunk), substitutions=subs or None, base_iri=job.get("base_iri")
            )
            names = [v.value for v in result.variables]  # type: ignore[union-attr]
            added.extend([s[n] for n in names] for s in result)  # type: ignore[union-attr]
        if names is not None and names != job["variables"]:
            raise Unmaintainable("the query's result columns differ from the stored answer's")
        names = job["variables"]
        where = {c: names.index(c) for c in columns if c in names}
        order = order_columns(job["order"], names)
        key_at = names.index(key)
        if any(row[key_at] is None for row in added):
            raise Unmaintainable(f"a new row leaves the key ?{key} unbound")
        sort_rows(added, order)
        phases["query_s"] = round(time.monotonic() - started - phases["reach_s"], 3)
        _place(db, has_base, added, order, columns, where, key_at)
        phases["place_s"] = round(time.monotonic() - started - phases["reach_s"] - phases["query_s"], 3)
        count = overlay.count(db, has_base)
        if count > int(job["max_rows"]):
            raise Unmaintainable(f"more than {job['max_rows']} rows (index_max_rows)")
        for i, reached in touched_reach.items():
            for row in added:
                term = row[where[columns[i]]] if columns[i] in where else None
                if isinstance(term, ox.NamedNode):
                    reached.add(term.value)
            ordered = sorted(reached)
            for start in range(0, len(ordered), 500):
                overlay.delete_reach(db, has_base, i, ordered[start : start + 500])
            still = [v for v in ordered if db.execute(*live(has_base, "1", f"k{i} = ?", [v])).fetchone()]
            reach_rows(new, db, i, paths[columns[i]], still, job.get("prefixes", {}))
        db.commit()
        size = overlay.overlay_size(db) if has_base else None
    finally:
        db.close()
    return {
        "rows": count,
        "variables": names,
        "columns": columns,
        "seconds": round(time.monotonic() - started, 3),
        "maintained": {"changed": len(roots), "keys": len(key_list), "removed": removed, "added": len(added), **phases},
        **_layers(job, size),
    }


def _open_overlay(job: Mapping[str, Any], out: Path, columns: int, reach: list[int]) -> tuple[sqlite3.Connection, bool]:
    """Open the answer being followed: the overlay over `job["base"]` (made empty if new), or a whole file."""
    base = job.get("base")
    if base is not None and job.get("compact"):
        overlay.compact(out, Path(base), columns, reach)
        base = None
    elif base is not None and not out.exists():
        db = sqlite3.connect(out)
        overlay.overlay_schema(db, columns, reach)
        db.commit()
        db.close()
    db = sqlite3.connect(out)
    return db, overlay.attach_base(db, base)


def _layers(job: Mapping[str, Any], size: int | None) -> dict[str, Any]:
    """What the manifest says of the files: an overlay's size over its base, or a whole file."""
    return {"base": None} if size is None else {"base": Path(job["base"]).name, "overlay_rows": size}


def _reached(stores: Sequence[ox.Store], roots: Sequence[ox.NamedNode], path: str | None, prologue: str) -> list[Term]:
    """The roots and what ``?r <path> ?key`` reaches from them in any of `stores`, sorted."""
    from visitgraph.sparql.engine import run_query

    keys: set[Term] = set(roots)
    if path:
        for start in range(0, len(roots), 500):
            values = " ".join(str(t) for t in roots[start : start + 500])
            sparql = f"{prologue}SELECT DISTINCT ?key WHERE {{ VALUES ?r {{ {values} }} ?r {path} ?key }}"
            for store in stores:
                keys.update(r["key"] for r in run_query(store, sparql) if r["key"] is not None)  # type: ignore[union-attr]
    return sorted(keys, key=str)


def _maintain_counts(
    new: ox.Store,
    old: ox.Store,
    job: dict[str, Any],
    out: Path,
    units: list[Term],
    started: float,
    phases: dict[str, float],
    changed: int,
) -> dict[str, Any]:
    """Follow a counting aggregate (:func:`visitgraph.queries.answercounts.follow_counts`) in `out`."""
    from visitgraph.queries.answercounts import follow_counts

    names: list[str] = job["variables"]
    columns = list(dict.fromkeys(job["columns"]))
    if any(op.startswith("path:") for _, op in job.get("filters", [])):
        raise Unmaintainable("a counted aggregate with a path filter")
    where = {c: names.index(c) for c in columns if c in names}
    db, has_base = _open_overlay(job, out, len(columns), [])
    try:
        db.execute("BEGIN")

        def place(added: Sequence[Sequence[Term | None]], order: Sequence[tuple[int, bool]], key_at: int) -> None:
            _place(db, has_base, added, order, columns, where, key_at)

        done = follow_counts(db, has_base, new, old, job, units, place)
        count = overlay.count(db, has_base)
        if count > int(job["max_rows"]):
            raise Unmaintainable(f"more than {job['max_rows']} rows (index_max_rows)")
        db.commit()
        size = overlay.overlay_size(db) if has_base else None
    finally:
        db.close()
    phases["count_s"] = round(time.monotonic() - started - phases["reach_s"], 3)
    return {
        "rows": count,
        "variables": names,
        "columns": columns,
        "seconds": round(time.monotonic() - started, 3),
        "maintained": {"changed": changed, **done, **phases},
        **_layers(job, size),
    }


def _place(
    db: sqlite3.Connection,
    has_base: bool,
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
            sql, args = live(has_base, "n, row", "n >= ?", [m])
            found = db.execute(f"{sql} ORDER BY n LIMIT 1", args).fetchone()
            probes[m] = None if found is None else (found[0], [decode_term(t) for t in json.loads(found[1])])
        return probes[m]

    last = overlay.max_below(db, has_base)

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
    if any(nxt is not None and _gap(db, has_base, nxt) <= len(rows) for nxt, rows in groups):
        if has_base:
            raise Unmaintainable("the row numbers between two kept rows are used up: the answer is written whole")
        _renumber(db)
        groups = [(None if nxt is None else _renumbered(db, nxt), rows) for nxt, rows in groups]
        if any(nxt is not None and _gap(db, has_base, nxt) <= len(rows) for nxt, rows in groups):
            raise Unmaintainable(f"more than {GAP - 1} new rows between two kept rows")
    insert = insert_sql(len(columns))
    for nxt, rows in groups:
        if nxt is None:
            last = overlay.max_below(db, has_base)
            base, step = (-GAP if last is None else last), GAP
        else:
            before = overlay.max_below(db, has_base, nxt)
            base = nxt - GAP if before is None else before
            step = (nxt - base) // (len(rows) + 1)
        db.executemany(
            insert, [row_values(base + step * (j + 1), r, columns, where, key_at) for j, r in enumerate(rows)]
        )


def _gap(db: sqlite3.Connection, has_base: bool, nxt: int) -> int:
    before = overlay.max_below(db, has_base, nxt)
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
