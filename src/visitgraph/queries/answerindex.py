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
``python -m visitgraph.queries.answerindex`` child processes (one per worker, reused across queries),
killed at the timeout like a query worker.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import select
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.queries.savedquery import bind_parameters
from visitgraph.store.embedded import on_prune

FORMAT = 1
MANIFEST = "manifest.json"
Term = ox.NamedNode | ox.Literal | ox.BlankNode
_NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in (
    "integer", "decimal", "double", "float", "long", "int", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt")}
_YEARS = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("date", "dateTime", "gYear", "gYearMonth")}


def answers_root(store_path: Path | str) -> Path:
    """Return the folder that holds one answers folder per generation."""
    return Path(store_path) / "answers"


def fingerprint(query: Any) -> str:
    """Return what ties a stored answer to the query text and parameter declarations it came from."""
    digest = hashlib.sha256(f"{FORMAT}\n{query.sparql}".encode())
    for p in query.params:
        digest.update(f"\n{p.name} {p.type} {p.filter}".encode())
    return digest.hexdigest()[:20]


def indexable(query: Any) -> bool:
    """Say whether a saved query's answer can be stored: paged SELECT queries."""
    return bool(query.form == "SELECT" and query.paged)


def anchor_binding(query: Any, bound: Mapping[str, Term]) -> dict[str, Term]:
    """Keep the bound parameters that are not filters: they select which stored answer applies."""
    return {name: term for name, term in bound.items()
            if (p := query.param(name)) is not None and p.filter is None}


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

def derive(generation: str, job: dict[str, Any], out: Path) -> dict[str, Any]:
    """Run one query whole on a generation and write its rows to a new SQLite file `out`."""
    from visitgraph.sparql.engine import run_query

    started = time.monotonic()
    store = ox.Store.read_only(generation)
    subs = {name: term for name, item in job["bindings"].items() if (term := decode_term(item)) is not None}
    result = run_query(store, job["sparql"], substitutions=subs or None, base_iri=job.get("base_iri"))
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    columns = list(dict.fromkeys(job["columns"]))
    paths = {column: op[5:] for column, op in job.get("filters", []) if op.startswith("path:")}
    where = {c: names.index(c) for c in columns if c in names}
    db = sqlite3.connect(out)
    extra = "".join(f", k{i} TEXT, x{i} REAL" for i in range(len(columns)))
    db.execute(f"CREATE TABLE answer (n INTEGER PRIMARY KEY, row TEXT NOT NULL{extra})")
    marks = ", ".join("?" * (2 + 2 * len(columns)))
    insert = f"INSERT INTO answer VALUES ({marks})"
    batch: list[tuple[Any, ...]] = []
    reach_keys: dict[str, set[str]] = {c: set() for c in paths}  # IRIs a path filter starts from
    count = 0
    limit = int(job["max_rows"])
    for solution in result:  # type: ignore[union-attr]
        terms = [solution[n] for n in names]
        values: list[Any] = [count, json.dumps([encode_term(t) for t in terms], ensure_ascii=False)]
        for c in columns:
            term = terms[where[c]] if c in where else None
            values += [None if term is None else term.value, _number(term)]
            if c in reach_keys and isinstance(term, ox.NamedNode):
                reach_keys[c].add(term.value)
        batch.append(tuple(values))
        count += 1
        if count > limit:
            db.close()
            out.unlink(missing_ok=True)
            return {"error": f"more than {limit} rows (index_max_rows)", "seconds": round(time.monotonic() - started, 3)}
        if len(batch) >= 20000:
            db.executemany(insert, batch)
            batch.clear()
    db.executemany(insert, batch)
    for i in range(len(columns)):
        db.execute(f"CREATE INDEX ik{i} ON answer (k{i}, n)")
        db.execute(f"CREATE INDEX ix{i} ON answer (x{i}, n)")
    for i, column in enumerate(columns):
        if column in paths:
            _reach_table(store, db, i, paths[column], sorted(reach_keys[column]), job.get("prefixes", {}))
    db.execute("ANALYZE")
    db.commit()
    db.close()
    return {"rows": count, "variables": names, "columns": columns, "seconds": round(time.monotonic() - started, 3)}


def _reach_table(store: ox.Store, db: sqlite3.Connection, i: int, path: str, keys: Sequence[str],
                 prefixes: Mapping[str, str]) -> None:
    """For a `column/<path>` filter: every (row key, value reached by the path) pair, indexed by value."""
    from visitgraph.sparql.engine import run_query

    db.execute(f"CREATE TABLE reach{i} (k TEXT NOT NULL, v TEXT NOT NULL)")
    prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items())
    for start in range(0, len(keys), 500):
        values = " ".join(str(ox.NamedNode(k)) for k in keys[start: start + 500])
        sparql = f"{prologue}SELECT DISTINCT ?k ?v WHERE {{ VALUES ?k {{ {values} }} ?k {path} ?v }}"
        rows = [(r["k"].value, str(r["v"])) for r in run_query(store, sparql)]  # type: ignore[union-attr]
        db.executemany(f"INSERT INTO reach{i} VALUES (?, ?)", rows)
    db.execute(f"CREATE INDEX ir{i} ON reach{i} (v, k)")


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
    texts = [query.sparql] + [f"SELECT * WHERE {{ ?a {p.filter[1][5:]} ?b }}" for p in query.params
                              if p.filter is not None and p.filter[1].startswith("path:")]
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


def build_index(settings: Any, store_path: Path | str, generation: Path, gen_id: str, queries: Sequence[Any],
                *, on_done: Callable[[str, dict[str, Any]], None] | None = None,
                keep: Sequence[str] = (), reuse: tuple[str, frozenset[str]] | None = None) -> IndexReport:
    """Store the whole answer of every indexable saved query for one published generation.

    Queries run side by side in `query_workers` child processes, each stopped at `index_timeout`
    seconds. The folder appears complete or not at all (built aside, then renamed into place).

    :param keep: names of queries whose answers already stored for this generation are kept as
        they are (re-indexing only some queries); a kept answer with a stale fingerprint is
        simply never used.
    :param reuse: (previous generation, predicates of every triple added or removed since): a
        query that mentions none of them keeps the previous generation's answer file (hard link).
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
            if (query.name in entries or entry is None or "error" in entry or "file" not in entry
                    or entry.get("fingerprint") != fingerprint(query) or not (before / entry["file"]).exists()):
                continue
            mentioned = mentioned_predicates(query)
            if mentioned is not None and mentioned.isdisjoint(reuse[1]):
                os.link(before / entry["file"], work / entry["file"])
                entries[query.name] = {**entry, "reused_from": entry.get("reused_from", reuse[0])}
                if on_done is not None:
                    on_done(query.name, entries[query.name])

    def attempt(query: Any, bound: Mapping[str, Term], anchored: Sequence[str]) -> dict[str, Any]:
        from visitgraph.core import vocab

        anchors = {**anchor_binding(query, bound), **{n: bound[n] for n in anchored if n in bound}}
        filters = [p for p in query.params if p.filter is not None and p.name not in anchored]
        job = {"sparql": query.sparql, "bindings": {k: encode_term(v) for k, v in anchors.items()},
               "columns": [p.filter[0] for p in filters], "filters": [list(p.filter) for p in filters],
               "prefixes": dict(vocab.PREFIXES), "base_iri": settings.base_iri,
               "max_rows": settings.index_max_rows}
        out = work / f"{query.name}.sqlite"
        entry: dict[str, Any] = {"fingerprint": fingerprint(query), "key": anchor_key(anchors),
                                 "file": out.name, "anchored": list(anchored)}
        deriver = local.__dict__.get("deriver")
        if deriver is None:
            deriver = local.deriver = _Deriver(generation)
            derivers.append(deriver)
        entry.update(deriver.run(job, out, float(settings.index_timeout)))
        return entry

    def one(query: Any) -> tuple[str, dict[str, Any]]:
        bound = bind_parameters(query, {}, settings.base_iri)
        entry = attempt(query, bound, ())
        defaulted = [p.name for p in query.params if p.filter is not None and p.name in bound]
        if "error" in entry and defaulted:
            # Too big or too slow whole: store the default values' answer instead, like an anchor's.
            fallback = attempt(query, bound, defaulted)
            if "error" not in fallback:
                fallback["note"] = f"whole answer not stored ({entry['error']}); stored for the defaults"
                entry = fallback
        if on_done is not None:
            on_done(query.name, entry)
        return query.name, entry

    todo = [q for q in queries if indexable(q) and q.name not in entries]
    local = threading.local()
    derivers: list[_Deriver] = []
    try:
        with ThreadPoolExecutor(max_workers=max(1, int(settings.query_workers))) as pool:
            for name, entry in pool.map(one, todo):
                entries[name] = entry
    finally:
        for deriver in derivers:
            deriver.close()
    manifest = {"format": FORMAT, "generation": gen_id, "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "queries": entries}
    (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    final = root / gen_id
    old = root / f".old-{gen_id}-{os.getpid()}"
    if final.exists():
        os.replace(final, old)
    os.replace(work, final)
    shutil.rmtree(old, ignore_errors=True)
    return IndexReport(final, entries, round(time.monotonic() - started, 3))


class _Deriver:
    """One child process that answers derive jobs one after the other (a line of JSON each way).

    Starting Python and pyoxigraph costs ~0.4 s, so a build keeps one child per worker thread
    rather than one per query; a job past its timeout kills the child, and the next job starts a
    fresh one.
    """

    def __init__(self, generation: Path) -> None:
        self.generation = generation
        self.proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        if self.proc is not None and self.proc.poll() is not None:
            self.close()  # a child that died: reap it and close its pipes before starting the next
        if self.proc is None:
            self.proc = subprocess.Popen([sys.executable, "-m", "visitgraph.queries.answerindex", str(self.generation)],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return self.proc

    def run(self, job: dict[str, Any], out: Path, timeout: float) -> dict[str, Any]:
        started = time.monotonic()
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps({"job": job, "out": str(out)}).encode() + b"\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], timeout)
            line = proc.stdout.readline() if ready else None
        except (BrokenPipeError, OSError):
            line = b""
        seconds = round(time.monotonic() - started, 3)
        if line is None:
            self.close()
            out.unlink(missing_ok=True)
            return {"error": f"not answered within index_timeout ({timeout:g} s)", "seconds": seconds}
        if not line:
            stderr = self.close()
            out.unlink(missing_ok=True)
            tail = stderr.strip().splitlines()[-1:] or ["no message"]
            return {"error": f"the query failed: {tail[0][:300]}", "seconds": seconds}
        result: dict[str, Any] = json.loads(line)
        if "error" in result:
            out.unlink(missing_ok=True)
        return result

    def close(self) -> str:
        """Stop the child; return what it wrote on stderr."""
        proc, self.proc = self.proc, None
        if proc is None:
            return ""
        proc.kill()
        _, err = proc.communicate()
        return err.decode("utf-8", "replace")


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
            manifest.get("queries", {}) if manifest.get("format") == FORMAT else {})
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
            found = self._connection(query.name).execute(
                f"SELECT row FROM answer {where} ORDER BY n LIMIT ? OFFSET ?", (*args, limit + 1, offset)).fetchall()
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


_OPEN: dict[tuple[str, int], AnswerIndex] = {}
_OPEN_LOCK = threading.Lock()


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
    key = (str(folder), stamp)
    with _OPEN_LOCK:
        found = _OPEN.get(key)
        if found is None:
            if len(_OPEN) > 16:
                _OPEN.clear()
            found = _OPEN[key] = AnswerIndex(folder)
        return found


def main(argv: Sequence[str]) -> int:
    """Child entry point: `python -m visitgraph.queries.answerindex <generation>`; one JSON job per stdin line."""
    generation = argv[1]
    for line in sys.stdin:
        request = json.loads(line)
        out = Path(request["out"])
        with contextlib.suppress(FileNotFoundError):
            out.unlink()
        try:
            result = derive(generation, request["job"], out)
        except Exception as e:  # noqa: BLE001 - reported to the parent, which records it
            result = {"error": f"the query failed: {e}"[:300]}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
