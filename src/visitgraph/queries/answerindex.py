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
(a fingerprint), and the rows are exactly what SPARQL returns: ``tests/unit/queries/test_answerindex.py``
compares every indexed query page by page against SPARQL, filter values included. A query that
cannot be answered within ``index_timeout`` or has more than ``index_max_rows`` rows is not
stored (the manifest says why) and keeps running as SPARQL; a write does not try again a derivation
that ran out of time on the previous generation (``visitgraph queries index`` does, decision 0047). Queries are answered in
``python -m visitgraph.queries.answerindex`` children of the one killable pool
(:mod:`visitgraph.workers.pool`; at most one per worker thread, reused across queries), killed at the
timeout like a query worker.

The rows' SQLite format and their derivation live in :mod:`visitgraph.queries.answerrows`, the
maintenance after a write in :mod:`visitgraph.queries.answermaintain`; this module decides, per
publish, what is reused, maintained or derived, and serves pages.

Longer than 400 lines because `build_index` (190 lines) keeps a publish's reuse, maintenance and derivation decisions in one place, beside the reader that serves them.
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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.newest import NewestPerStore
from visitgraph.queries import answermemory
from visitgraph.queries.answermaintain import changed_roots as changed_roots
from visitgraph.queries.answermaintain import maintain, maintenance, mentioned_predicates
from visitgraph.queries.answeroverlay import attach_base, live, needs_compaction, reach_condition
from visitgraph.queries.answerrows import GAP as GAP
from visitgraph.queries.answerrows import (
    Term,
    Unmaintainable,
    decode_term,
    derive,
    encode_term,
    filter_number,
    order_by,
)
from visitgraph.queries.answerrows import compare_rows as compare_rows
from visitgraph.queries.savedquery import bind_parameters
from visitgraph.store.backend import Store
from visitgraph.store.embedded import on_prune
from visitgraph.workers.pool import ChildGone, ChildTimeout, Handler, Pool, serve

FORMAT = 2
MANIFEST = "manifest.json"


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


@dataclass
class IndexReport:
    """What building the stored answers did: per query, rows and seconds, or why it was skipped."""

    folder: Path
    entries: dict[str, dict[str, Any]]
    seconds: float
    memory: str = ""  # where whole derivations read the generation, and why (visitgraph.queries.answermemory)

    @property
    def stored(self) -> list[str]:
        return sorted(n for n, e in self.entries.items() if "error" not in e)

    @property
    def skipped(self) -> dict[str, str]:
        return {n: e["error"] for n, e in sorted(self.entries.items()) if "error" in e}


def _less(available: int | None, reserve: int) -> int | None:
    """What is available once `reserve` is set aside (never below 0).

    >>> _less(10, 3), _less(3, 10), _less(None, 3)
    (7, 0, None)
    """
    return None if available is None else max(0, available - reserve)


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
    cancel: threading.Event | None = None,
    quads: int | None = None,
    dump: Path | None = None,
    reserve: int = 0,
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
        declaring `# maintain:` updates its previous answer for just those, copy-on-write (see
        :func:`maintain`); the others, and any it cannot follow, are derived whole and say why in
        the manifest (``how``, ``why``). A string instead says why no answer can follow the write.
    :param reserve: bytes of memory that something beside is about to take (a validation running beside the
        publish, decision 0065): taken off what is available before the in-memory copies are planned.
    :param cancel: when set (by another thread: a publish step beside it failed), the children are
        killed, no further query starts, and :class:`Cancelled` is raised; the folder is not put in place.
    :param quads: the generation's quad count, given by a whole build: whole derivations may then read an
        in-memory copy of it, as many copies as `answers_in_memory` allows (:mod:`visitgraph.queries.answermemory`).
    :param dump: an N-Quads dump of exactly this generation (the whole build's validation wrote it): the copies
        load it instead of a new dump; it is removed when the answers are done, whether or not they used it.
    :raises Cancelled: `cancel` was set before the folder was in place.
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
            if entry is not None and "file" in entry and _files_exist(previous, entry):
                _link_files(previous, work, entry)
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
                or not _files_exist(before, entry)
            ):
                continue
            mentioned = mentioned_predicates(query)
            if mentioned is not None and mentioned.isdisjoint(reuse[1]):
                _link_files(before, work, entry)
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

    def attempt(
        query: Any, bound: Mapping[str, Term], anchored: Sequence[str], count_first: bool = False
    ) -> dict[str, Any]:
        anchors = {**anchor_binding(query, bound), **{n: bound[n] for n in anchored if n in bound}}
        job = job_for(query, anchors, anchored)
        if count_first:
            job["count_first"] = True
        out = work / f"{query.name}.sqlite"
        entry: dict[str, Any] = {
            "fingerprint": fingerprint(query),
            "key": anchor_key(anchors),
            "file": out.name,
            "anchored": list(anchored),
            "bindings": job["bindings"],
        }
        call = memory.call_for(query) if memory is not None else None
        if call is not None and memory is not None:
            job["memory"] = memory.dump
            entry["read"] = "memory"
        entry.update(_run_in_child(call or pool.run, job, out, float(settings.index_timeout)))
        return entry

    previous_entries: dict[str, dict[str, Any]] = {}
    if isinstance(follow, tuple) and (root / follow[0] / MANIFEST).exists():
        previous_entries = json.loads((root / follow[0] / MANIFEST).read_text(encoding="utf-8")).get("queries", {})

    def follow_write(query: Any) -> dict[str, Any] | str:
        """Update the previous answer (its overlay) for what the write changed; or say why not."""
        if follow is None:
            return "no published answer to start from"
        if isinstance(follow, str):
            return follow
        plan = maintenance(query)
        if isinstance(plan, str):
            return plan
        old = previous_entries.get(query.name)
        if old is None or "error" in old or "file" not in old or not _files_exist(root / follow[0], old):
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
            unit=plan[2],
            order=order_by(query.sparql),
            variables=old["variables"],
        )
        # Copy-on-write (decision 0043): the previous whole file is linked as the base, never written;
        # only its overlay (what the writes since changed) is copied, unless it is due to be compacted.
        out, before = work / old["file"], root / follow[0]
        base = work / f"{Path(old['file']).stem}.base.sqlite"
        if old.get("base"):
            os.link(before / old["base"], base)
            shutil.copyfile(before / old["file"], out)
            job["compact"] = needs_compaction(int(old.get("overlay_rows", 0)), int(old.get("rows", 0)))
        else:
            os.link(before / old["file"], base)
        job["base"] = str(base)
        result = _run_in_child(pool.run, job, out, float(settings.index_timeout), kind="maintain")
        if "error" in result or not result.get("base"):
            base.unlink(missing_ok=True)
        if "error" in result:
            out.unlink(missing_ok=True)
            return str(result["error"])
        if not result.get("base"):
            result.pop("base", None)
        return {
            **{k: old[k] for k in ("fingerprint", "key", "file", "anchored", "bindings") if k in old},
            **({"note": old["note"]} if "note" in old else {}),
            **result,
            "how": "maintained",
        }

    def not_tried(query: Any) -> dict[str, Any] | None:
        """A write does not run again a whole derivation that ran out of time on the previous generation
        (same query, same index_timeout): at a million visits that is index_timeout seconds per write
        for an answer that is still not stored. `visitgraph queries index <name>` tries again."""
        old = previous_entries.get(query.name)
        if not isinstance(follow, tuple) or old is None or old.get("fingerprint") != fingerprint(query):
            return None
        if old.get("error") != timed_out(float(settings.index_timeout)):
            return None
        since = str(old.get("since", follow[0]))
        why = (
            f"its whole derivation was not answered within index_timeout at generation {since}; a write does "
            f"not run it again (`visitgraph queries index {query.name}` does)"
        )
        return {
            "fingerprint": old["fingerprint"],
            "error": old["error"],
            "since": since,
            "how": "not tried",
            "why": why,
        }

    def count_first(query: Any, defaulted: Sequence[str]) -> bool:
        """Count a whole answer's rows in the engine before deriving it (decision 0076) where a refusal is likely
        and costs little: a generation of at least `index_max_rows` quads, and a query whose defaulted filter
        parameter has rewrite parts, so that the default's stored answer and the parts serve every request.
        At 1M visits `institution-timeline` (every organisation's timeline, > 5M rows) spent ~157 s of a
        build's answers on rows it then refused."""
        rewritten = {name for name, _ in query.rewrites}
        return quads is not None and quads >= int(settings.index_max_rows) and bool(rewritten & set(defaulted))

    def one(query: Any) -> tuple[str, dict[str, Any]]:
        followed = follow_write(query)
        if isinstance(followed, dict):
            if on_done is not None:
                on_done(query.name, followed)
            return query.name, followed
        skipped = not_tried(query)
        if skipped is not None:
            if on_done is not None:
                on_done(query.name, skipped)
            return query.name, skipped
        bound = bind_parameters(query, {}, settings.base_iri)
        defaulted = [p.name for p in query.params if p.filter is not None and p.name in bound]
        entry = attempt(query, bound, (), count_first=count_first(query, defaulted))
        if "error" in entry and defaulted:
            # Too big or too slow whole: store the default values' answer instead, like an anchor's.
            fallback = attempt(query, bound, defaulted)
            if "error" not in fallback:
                counted = ", counted before deriving" if entry.get("counted") else ""
                spent = f", {entry['seconds']} s" if "seconds" in entry else ""
                fallback["note"] = (
                    f"whole answer not stored ({entry['error']}{counted}{spent}); stored for the defaults"
                )
                entry = fallback
        entry.update(how="derived", why=followed)
        if on_done is not None:
            on_done(query.name, entry)
        return query.name, entry

    todo = [q for q in queries if indexable(q) and q.name not in entries]
    pool = Pool("visitgraph.queries.answerindex", (str(generation),), keep_stderr=True)
    memory_plan = answermemory.plan(
        quads if todo else None,
        int(settings.query_workers),
        float(settings.answers_in_memory),
        _less(answermemory.available_bytes(), reserve),
    )
    memory = (
        answermemory.Copies(generation, root / f".dump-{gen_id}-{os.getpid()}.nq", memory_plan.copies, settings, dump)
        if memory_plan.copies
        else None
    )
    if memory is None and dump is not None:
        dump.unlink(missing_ok=True)
    finished = threading.Event()
    if cancel is not None:  # kill the running children as soon as the caller cancels

        def watch() -> None:
            while not finished.is_set():
                if cancel.wait(0.2):
                    pool.close()
                    if memory is not None:
                        memory.close()
                    return

        threading.Thread(target=watch, name="answers-cancel", daemon=True).start()

    def one_unless_cancelled(query: Any) -> tuple[str, dict[str, Any]]:
        if cancel is not None and cancel.is_set():
            return query.name, {"error": "cancelled"}
        return one(query)

    try:
        for name, entry in answermemory.share_out(todo, int(settings.query_workers), memory, one_unless_cancelled):
            entries[name] = entry
    finally:
        finished.set()
        pool.close()
        if memory is not None:
            memory.close()
    if cancel is not None and cancel.is_set():
        shutil.rmtree(work, ignore_errors=True)
        raise Cancelled("the stored answers were cancelled: a publish step beside them failed")
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
    why = memory_plan.why
    if memory is not None:
        why += "; loaded from the validation's dump" if dump is not None else "; loaded from a dump of the generation"
        if memory.loaded:
            why += f"; {'each copy' if len(memory.loaded) > 1 else 'the copy'} loaded in "
            why += ", ".join(f"{s:.1f}" for s in memory.loaded) + " s"
        why += f"; {memory.failed}" if memory.failed else ""
    return IndexReport(final, entries, round(time.monotonic() - started, 3), why)


class Cancelled(Exception):
    """:func:`build_index` was cancelled by its caller; nothing was put in place."""


def _files_exist(folder: Path, entry: Mapping[str, Any]) -> bool:
    """Say whether a stored answer's file (and its base, for an overlay) is in `folder`."""
    return (folder / entry["file"]).exists() and (not entry.get("base") or (folder / entry["base"]).exists())


def _link_files(source: Path, target: Path, entry: Mapping[str, Any]) -> None:
    """Hard-link a stored answer's file (and its base, for an overlay) into another generation's folder."""
    for name in (entry["file"], entry.get("base")):
        if name:
            os.link(source / name, target / name)


def _run_in_child(
    call: Callable[[Any, float], tuple[Any, bytes]],
    job: dict[str, Any],
    out: Path,
    timeout: float,
    kind: str = "derive",
) -> dict[str, Any]:
    """Derive (or maintain) one stored answer in a child (`call`: a pool's run); an error entry when it fails or times out."""
    started = time.monotonic()
    try:
        result, _ = call({"job": job, "out": str(out), "kind": kind}, timeout)
    except ChildTimeout:
        out.unlink(missing_ok=True)
        return {"error": timed_out(timeout), "seconds": _since(started)}
    except ChildGone as e:
        out.unlink(missing_ok=True)
        tail = e.stderr.strip().splitlines()[-1:] or [e.how]
        return {"error": f"the query failed: {tail[0][:300]}", "seconds": _since(started)}
    if not isinstance(result, dict):  # the pool's last-resort answer: ("error", (status, message))
        result = {"error": f"the query failed: {result[1][1]}"[:300]}
    if "error" in result:
        out.unlink(missing_ok=True)
    return result


def timed_out(timeout: float) -> str:
    """The error of a stored answer not derived within `timeout` seconds (index_timeout).

    >>> timed_out(900.0)
    'not answered within index_timeout (900 s)'
    """
    return f"not answered within index_timeout ({timeout:g} s)"


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)


def prune(store_path: Path | str, keep: Sequence[str]) -> None:
    """Remove the answers of generations no longer on disk (and leftovers of interrupted builds)."""
    root = answers_root(store_path)
    if not root.exists():
        return
    for folder in root.iterdir():
        if folder.name not in keep:
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
            else:  # an interrupted build's N-Quads dump (decision 0051)
                folder.unlink(missing_ok=True)


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
            entry = self.entries[name]
            path = self.folder / entry["file"]
            conn = cache[name] = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
            attach_base(conn, self.folder / entry["base"] if entry.get("base") else None)
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
        has_base = bool(entry.get("base"))
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
                condition, times = reach_condition(has_base, i)
                conditions.append(condition)
                args.extend([str(term)] * times)
            elif op == "year":
                conditions.append(f"x{i} = ?")
                args.append(filter_number(term))
            elif filter_number(term) is not None and term.datatype.value in vocab.XSD_NUMERIC:  # type: ignore[union-attr]
                conditions.append(f"x{i} {op} ?")
                args.append(filter_number(term))
            else:  # dates and text compare by their lexical form (YYYY-MM-DD sorts as it reads)
                conditions.append(f"k{i} {op} ?")
                args.append(term.value)
        sql, args = live(has_base, "n, row", " AND ".join(conditions), args)
        try:
            found = [
                (row,)
                for _, row in self._connection(query.name)
                .execute(f"{sql} ORDER BY n LIMIT ? OFFSET ?", (*args, limit + 1, offset))
                .fetchall()
            ]
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


def for_store(store: Store) -> AnswerIndex | None:
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
        if request.get("kind") == "load":  # the in-memory copy of the generation, before any query
            try:
                return answermemory.load(str(request["dump"])), b""
            except (OSError, ValueError, SyntaxError) as e:
                return {"error": f"the dump could not be loaded: {e}"[:300]}, b""
        out = Path(request["out"])
        if request.get("kind") != "maintain":  # maintain works on the previous answer's overlay
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
