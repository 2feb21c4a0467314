"""The one validate-then-publish path every write goes through (build, updates, linksets).

Longer than 400 lines because it is the one build path (load, replay, guard, validate, commit) and the check that runs the same steps without publishing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox
from tqdm import tqdm

from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.core.crashpoints import crash_point
from visitgraph.core.errors import BadQuery, DataSyntaxError, ShapesViolation, StoreError
from visitgraph.linking.matchstats import build as build_match_stats
from visitgraph.publish.entitynames import EntityNames
from visitgraph.publish.incremental import (
    Inputs,
    Plan,
    affected_nodes,
    counts_after,
    delta,
    gather_inputs,
    load_inputs,
    plan_build,
    quads_after,
    save_inputs,
    targeted,
)
from visitgraph.publish.journal import FileSwap as FileSwap
from visitgraph.publish.journal import Journal, PendingChange, begin_change, finish_change, recover
from visitgraph.publish.undo import keep_blobs
from visitgraph.queries.answerindex import answers_root, build_index
from visitgraph.queries.searchindex import build as build_search_index
from visitgraph.release.persistence import announce_generation, confirm_generation
from visitgraph.sources.load import (
    RDF_SUFFIXES,
    SourceFile,
    apply_changeset,
    apply_update,
    bulk_loaded,
    discover_sources,
    list_changesets,
    load_sources_into,
    read_source,
)
from visitgraph.sources.review import Unreviewed
from visitgraph.sources.shacl_engine import ENGINE_BYTES_PER_QUAD
from visitgraph.sources.validate import (
    ValidationBeside,
    ValidationReport,
    load_shapes,
    shape_targets,
    shapes_files,
    validate_beside,
    validate_quads,
    validate_store,
)
from visitgraph.sparql.analysis import Analysed
from visitgraph.sparql.guards import check as check_guard
from visitgraph.sparql.guards import snapshot as guard_snapshot
from visitgraph.store.backend import Reader, Store
from visitgraph.store.embedded import EmbeddedStore, Generation, StagedGeneration
from visitgraph.store.nquads import FilePart


@dataclass
class BuildReport:
    """What a build read, how validation went and what it published."""

    files: list[tuple[SourceFile, int]] = field(default_factory=list)
    changesets: list[str] = field(default_factory=list)
    validation: ValidationReport | None = None
    generation: Generation | None = None
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    reused: dict[str, Any] = field(default_factory=dict)  # what of the published generation was reused
    changes: set[ox.Triple] | None = field(default=None, repr=False)  # the triples added or removed
    search: dict[str, Any] = field(default_factory=dict)  # how the full-text index was built (searchindex)
    match: dict[str, Any] = field(default_factory=dict)  # how the matcher's statistics were built (matchstats)
    dump: dict[str, Any] = field(default_factory=dict)  # how a whole build's N-Quads dump was written (decision 0080)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready mapping."""
        return {
            "generation": self.generation.id if self.generation else None,
            "triples": self.triples,
            "files": [{**s.to_dict(), "quads": n} for s, n in self.files],
            "changesets": self.changesets,
            "counts": self.counts,
            "timings": self.timings,
            "answers": self.answers,
            "reused": self.reused,
            "search": self.search,
            "match": self.match,
            "dump": self.dump,
            "validation": self.validation.to_dict() if self.validation else None,
        }


COUNTED_CLASSES = {
    vocab.shorten(iri): iri
    for iri in (
        f"{vocab.VG}Visit",
        f"{vocab.SCHEMA}Person",
        f"{vocab.SCHEMA}Organization",
        f"{vocab.VG}Gift",
        f"{vocab.VG}Agreement",
        f"{vocab.SKOS}Concept",
    )
}
COUNT_QUERY = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  VALUES ?class {{ {" ".join(f"<{iri}>" for iri in COUNTED_CLASSES.values())} }}
  ?s a ?class }} GROUP BY ?class"""


def count_classes(store: ox.Store) -> dict[str, int]:
    """Count the instances of the profile's main classes (union of all graphs)."""
    out = {}
    for row in store.query(COUNT_QUERY, use_default_graph_as_union=True):  # type: ignore[union-attr]
        out[vocab.shorten(row["class"].value)] = int(row["n"].value)
    return dict(sorted(out.items()))


def build(
    settings: Settings,
    store: Store,
    *,
    who: str = "cli",
    change: PendingChange | None = None,
    files: Sequence[FileSwap] = (),
    progress: bool = False,
    note: str = "",
    full: bool = False,
    allow_unreviewed: bool = False,
) -> BuildReport:
    """Read every source, replay changesets (and `change`), validate, and publish atomically.

    Only a conforming whole is published; otherwise the current generation stays as it was.
    The change (and `files`) are made durable before anything is staged and kept only if the
    generation is published (:mod:`visitgraph.publish.journal`); leftovers of interrupted writes are
    settled first. Above `validate_whole_limit` triples, what the published generation was built
    from is compared with what is on disk (:mod:`visitgraph.publish.incremental`): appended changesets are
    applied to a checkpoint of it, and only the records a change touches are validated again.

    :param change: a new write to keep as a changeset if, and only if, the result conforms.
    :param files: files to put in place (or remove) for this build, put back if it is not published.
    :param full: reload and validate everything, whatever changed.
    :param allow_unreviewed: publish data files that still carry `# check:` marks.
    :raises DataSyntaxError: a source file does not parse (names file:line:column).
    :raises BadQuery: a changeset does not parse.
    :raises Unreviewed: a data file carries `# check:` marks (names file and line).
    :raises Conflict: an HTTP write touches the ontology or shapes, or destroys data unconfirmed.
    :raises ShapesViolation: the result does not conform (carries the report).
    """
    journal = Journal(store, settings.root)
    with store.stage(recover=lambda: recover(store, settings.root)) as staged:
        note = note or ("change: " + change.what if change else "build")
        entry, pending = begin_change(journal, staged.id, settings, change, files, who, note)
        try:
            report = _build_staged(
                settings,
                store,
                staged,
                pending,
                change,
                who=who,
                progress=progress,
                note=note,
                full=full,
                allow_unreviewed=allow_unreviewed,
            )
        except BaseException:
            if entry is not None:
                journal.settle(entry, lambda line: None)
            raise
        finish_change(journal, entry, pending)
    return report


def _build_staged(
    settings: Settings,
    store: Store,
    staged: StagedGeneration,
    pending: Path | None,
    change: PendingChange | None,
    *,
    who: str,
    progress: bool,
    note: str,
    full: bool,
    allow_unreviewed: bool,
) -> BuildReport:
    """Load, replay, validate and commit one staged generation (the writer lock is held)."""
    report = BuildReport()
    sources = discover_sources(settings)
    shapes_paths = shapes_files(settings.root)
    shapes = load_shapes(shapes_paths)
    clock = time.monotonic()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        report.timings[name] = round(now - clock, 3)
        clock = now

    changesets = list_changesets(settings) + ([pending] if pending else [])
    published = store.current()
    previous = load_inputs(store.path, published.id) if published is not None and not full else None
    inputs = gather_inputs(settings.root, sources, changesets, shapes_paths, settings.base_iri, previous)
    if inputs.marks and not allow_unreviewed:
        raise Unreviewed(inputs.marks)
    analysed = {pending: change.analysis(settings.base_iri)} if pending is not None and change is not None else {}
    plan = _plan(settings, store, published, previous, inputs, sources, changesets, full, report, analysed)
    lap("plan_s")
    if plan is not None and plan.from_checkpoint and published is not None:
        staged.seed_from(published)
        replay = plan.new_changesets
    else:
        with tqdm(total=len(sources), desc="parse", unit="file", disable=not progress, leave=False) as bar:
            report.files.extend(load_sources_into(settings, sources, staged.writable(), done=lambda: bar.update(1)))
        replay = changesets
    # staged.writable() at each use, never bound to a local here: a caller holding the traceback of a failed build
    # would keep this frame, and with it the staged RocksDB store and its lock, after stage() closed it.
    guarded = change is not None and change.guard is not None and pending is not None
    before = None
    for path in replay:
        if guarded and path == pending:
            known = plan.base_triples if plan is not None and plan.from_checkpoint and replay == [pending] else None
            before = guard_snapshot(
                staged.writable(),
                settings.base_iri,
                [s.graph for s in sources],
                known if known is not None else len(staged.writable()),
            )
        text = path.read_text(encoding="utf-8")
        apply_update(staged.writable(), text, base_iri=settings.base_iri, name=path.name, max_depth=settings.max_depth)
        report.changesets.append(path.name.removeprefix(".pending-"))
    if plan is not None and plan.from_checkpoint and plan.base_triples is not None:
        report.triples = quads_after(store.reader(), staged.writable(), plan.touched, plan.base_triples)
    else:
        report.triples = len(staged.writable())
    if before is not None and change is not None and change.guard is not None:
        after = guard_snapshot(staged.writable(), settings.base_iri, [s.graph for s in sources], report.triples)
        check_guard(change.guard, before, after)
    lap("load_s")
    dump: Path | None = None
    beside: ValidationBeside | None = None
    if plan is not None and report.triples > settings.validate_whole_limit:
        report.validation = _validate_changes(
            settings, store, staged.writable(), shapes, plan, report, progress=progress, path=staged.path
        )
    else:
        # The engine's dump of the whole store is kept for the stored answers' in-memory copies (decision 0051).
        dump = _answers_dump(settings, store)
        files = _file_parts(settings, sources, replay, inputs, report)
        beside = _validate_beside(settings, store, staged, shapes, report, dump, files)
        if beside is not None:
            dump = beside.dump
            report.dump = {
                "from_files": sorted(s.relpath for s, _ in report.files if s.graph in beside.from_files),
                "from_store": len(report.files) - len(beside.from_files),
            }
            crash_point("validation.beside")
        else:
            report.validation = validate_staged(
                settings, staged.writable(), shapes, progress=progress, path=staged.path, keep_dump=dump
            )
    lap("validate_s")
    try:
        if report.validation is not None and not report.validation.conforms:
            raise ShapesViolation(report.validation)
        if plan is not None and plan.from_checkpoint and plan.base_counts is not None and report.changes is not None:
            report.counts = counts_after(
                store.reader(), staged.writable(), report.changes, plan.base_counts, COUNTED_CLASSES
            )
        else:
            report.counts = count_classes(staged.writable())
        _commit(
            settings,
            store,
            staged,
            published,
            inputs,
            plan,
            report,
            who=who,
            note=note,
            lap=lap,
            dump=dump,
            beside=beside,
            progress=progress,
        )
    finally:
        if dump is not None:  # the stored answers remove it once loaded; any failure before them leaves it here
            dump.unlink(missing_ok=True)
    return report


def _file_parts(
    settings: Settings, sources: Sequence[SourceFile], replay: Sequence[Path], inputs: Inputs, report: BuildReport
) -> dict[str, FilePart]:
    """Name the graphs whose dump lines a whole build may read from their source files (decision 0080).

    Such a graph was filled by the store's bulk loader from one file of a triples format, this build (it is in
    `report.files`, with its count); no TriG file could have named it; no changeset replayed can have touched it
    (:attr:`Analysed.touched_graphs`; one that could touch any graph rules out every file); and the file was last
    modified more than two seconds before the build first looked at it, so that any later edit changes its size or
    modification time (the rule :func:`gather_inputs` follows). :func:`write_nquads` checks the rest.
    """
    if any(Path(s.relpath).suffix not in _TRIPLE_FORMATS for s in sources):
        return {}
    touched: set[str] = set()
    for path in replay:
        try:
            graphs = Analysed(path.read_text(encoding="utf-8"), settings.base_iri).touched_graphs
        except (OSError, ValueError, BadQuery):
            return {}
        if graphs is None:
            return {}
        touched |= graphs
    parts: dict[str, FilePart] = {}
    for source, quads in report.files:
        stat = inputs.stats.get(source.relpath)
        if source.graph in touched or stat is None or stat[1] >= inputs.taken_ns - 2_000_000_000:
            continue
        if not bulk_loaded(settings, source):
            continue  # parsed in Python and checked literal by literal: small, and cheap to dump from the store
        path = settings.root / source.relpath
        parts[source.graph] = FilePart(path, RDF_SUFFIXES[path.suffix], settings.base_iri, quads, stat)
    return parts


#: Source formats whose statements all go to the file's own graph (a TriG file can name any graph).
_TRIPLE_FORMATS = frozenset({".nt", ".ttl"})


def _validate_beside(
    settings: Settings,
    store: Store,
    staged: StagedGeneration,
    shapes: Any,
    report: BuildReport,
    dump: Path | None,
    files: Mapping[str, FilePart] | None = None,
) -> ValidationBeside | None:
    """Start a whole build's validation in a thread beside publishing, where it applies (decision 0065).

    It applies to a whole build of an embedded store above `validate_whole_limit` with the fast engine and no shape
    that needs pyshacl: the engine reads the store's N-Quads dump while the ledger, the search index, the matcher's
    statistics and the stored answers are derived from the same dump and store, and the generation is switched to
    only once the report says it conforms. Otherwise (None) validation runs first, as before.
    """
    if (
        store.backend != "embedded"
        or settings.shacl_engine == "pyshacl"
        or not settings.validate_beside
        or report.triples <= settings.validate_whole_limit
    ):
        return None
    if dump is None:  # the stored answers keep none: the engine's own, in the folder whose leftovers prune removes
        root = answers_root(store.path)
        root.mkdir(parents=True, exist_ok=True)
        dump = root / f".dump-validate-{os.getpid()}.nq"
    sizes = {source.graph: quads for source, quads in report.files}
    return validate_beside(
        staged.writable(),
        shapes,
        base=settings.base_iri,
        dump=dump,
        threads=int(settings.dump_threads),
        sizes=sizes,
        files=files,
    )


def _open_dump(dump: Path | None) -> TextIO | None:
    """Open the validation's N-Quads dump for the ledger to read (None: there is none, or it cannot be read)."""
    if dump is None:
        return None
    try:
        return dump.open(encoding="utf-8", newline="\n")
    except OSError:
        return None  # the ledger reads the store instead


def _answers_dump(settings: Settings, store: Store) -> Path | None:
    """Where a whole build's validation leaves its N-Quads dump for the stored answers (None: not kept)."""
    if not settings.answer_index or store.backend != "embedded" or float(settings.answers_in_memory) <= 0:
        return None
    root = answers_root(store.path)
    root.mkdir(parents=True, exist_ok=True)
    return root / f".dump-staged-{os.getpid()}.nq"


def _commit(
    settings: Settings,
    store: Store,
    staged: StagedGeneration,
    published: Generation | None,
    inputs: Inputs,
    plan: Plan | None,
    report: BuildReport,
    *,
    who: str,
    note: str,
    lap: Callable[[str], None],
    dump: Path | None = None,
    beside: ValidationBeside | None = None,
    progress: bool = False,
) -> None:
    """Publish a validated staged generation: inputs, recorded files and stored answers first.

    :param dump: an N-Quads dump of exactly this generation, if validation left one (the stored answers load it).
    :param beside: the generation's validation, still running (decision 0065): everything is derived meanwhile and
        the switch waits for its report; a violation raises :class:`ShapesViolation` and nothing is switched to.
    """
    changes, follow = _answer_changes(settings, store, staged, published, report)

    def validated(folder: Path) -> None:
        """Wait for the validation running beside and raise if the generation does not conform."""
        if beside is None:
            return
        crash_point("validation.verdict")
        waited = time.monotonic()
        reader = ox.Store.read_only(str(folder))
        try:
            report.validation = beside.result(
                reader, workers=settings.validate_workers, batch_size=settings.validate_batch, progress=progress
            )
        finally:
            del reader
        report.timings["validate_wait_s"] = round(time.monotonic() - waited, 3)
        if beside.seconds is not None:
            report.timings["validate_beside_s"] = beside.seconds
        if not report.validation.conforms:
            raise ShapesViolation(report.validation)

    def stop_early() -> None:
        """Between two derivations: a validation that has already failed stops the publish now."""
        if beside is not None and beside.failed():
            validated(folder_of[0])

    folder_of: list[Path] = []

    def before_switch(gen_id: str, folder: Path) -> dict[str, Any] | None:
        # The stored answers (children of the pool) start at once, beside the ledger, the inputs and the search
        # index in this process: each reads the generation in place and none reads what another writes
        # (decision 0049). The generation is published only if all of them succeed: a failure here cancels the
        # answers (their folder is never put in place) and is raised once they have stopped.
        whole = report.triples if not (plan is not None and plan.from_checkpoint) else None
        ready = dump if dump is not None and dump.exists() else None
        # The ledger reads the same dump as text (decision 0056); opened before the answers start, since they
        # remove it once loaded (an open file stays readable after its name is gone).
        folder_of[:] = [folder]
        stop_early()
        text = _open_dump(ready)
        # A validation still running holds its graph meanwhile: the answers' in-memory copies are planned without it.
        held = report.triples * ENGINE_BYTES_PER_QUAD if beside is not None and not beside.done() else 0
        answers = _start_answers(settings, store, published, changes, follow, gen_id, folder, whole, ready, held)
        names = EntityNames(settings.base_iri)  # the entities' names, if the ledger reads every record
        try:
            started = time.monotonic()
            # Persistent IRIs and the change feed (visitgraph.release.persistence): refuses silent drops.
            try:
                with text if text is not None else nullcontext():
                    announce_generation(
                        store, settings.base_iri, gen_id, folder, report.changes, nquads=text, scan=names
                    )
            except Exception:
                validated(folder)  # data that does not conform is the error to report, not what followed from it
                raise
            report.timings["ledger_s"] = round(time.monotonic() - started, 3)  # part of publish_s, like search_index_s
            stop_early()
            save_inputs(store.path, gen_id, inputs)
            keep_blobs(store.path, settings.root, inputs)
            # The matcher's word weights and acronyms (visitgraph.linking.matchstats): the reconciliation service
            # reads entities per query and these once (decision 0048). A whole build counts the names the ledger's
            # full scan handed over (decision 0079), so it comes first, and they are let go before the search index.
            # Derived data: a failure does not stop the publish (the file is rebuilt when missing).
            try:
                counted = build_match_stats(
                    store.path,
                    folder,
                    gen_id,
                    settings.base_iri,
                    previous=published.id if published is not None else None,
                    changes=report.changes,
                    names=names,
                )
                report.match = {"how": counted.how, "entities": counted.entities, "seconds": counted.seconds}
                report.timings["match_stats_s"] = counted.seconds
            except (OSError, sqlite3.Error) as e:
                report.match = {"error": f"match statistics not built: {e}"[:300]}
            names.forget()  # what was not handed over (a failed or incremental statistics build)
            stop_early()
            # The full-text index (visitgraph.queries.searchindex): the previous one plus the change, or whole.
            # It is derived data the same way.
            try:
                searched = build_search_index(
                    store.path,
                    folder,
                    gen_id,
                    previous=published.id if published is not None else None,
                    changes=report.changes,
                )
                report.search = {"how": searched.how, "values": searched.rows, "seconds": searched.seconds}
                report.timings["search_index_s"] = searched.seconds
            except (OSError, sqlite3.Error) as e:
                report.search = {"error": f"search index not built: {e}"[:300]}
            validated(folder)  # nothing is switched to before the report says the generation conforms
        except BaseException:
            if answers is not None:
                answers.cancel()
            raise
        if answers is None:
            return None  # remote: every front-end reads the server; nothing is kept locally
        lap("publish_s")
        try:
            index = answers.result()
        except BaseException:  # theirs, or an interrupt while waiting: nothing of them stays in place
            answers.cancel()
            raise
        report.answers = {
            "stored": index.stored,
            "skipped": index.skipped,
            "reused": sorted(n for n, e in index.entries.items() if "reused_from" in e),
            "maintained": sorted(n for n, e in index.entries.items() if e.get("how") == "maintained"),
            "derived": {n: e.get("why", "") for n, e in sorted(index.entries.items()) if e.get("how") == "derived"},
            "not_tried": {n: e["why"] for n, e in sorted(index.entries.items()) if e.get("how") == "not tried"},
            "memory": index.memory,
            "in_memory": sorted(n for n, e in index.entries.items() if e.get("read") == "memory"),
        }
        report.timings["answers_s"] = index.seconds  # the stored answers' own time, begun beside publish_s
        lap("index_s")  # what of the stored answers was left once the rest of publishing was done
        return {"answers": report.answers}

    report.generation = staged.commit(
        who,
        note=note,
        details={
            "counts": report.counts,
            "files": len(report.files),
            "changesets": len(report.changesets),
            "timings": report.timings,
            **({"reused": report.reused} if report.reused else {}),
        },
        before_switch=before_switch,
        optimize=not (plan is not None and plan.from_checkpoint),
        triples=report.triples,
    )
    confirm_generation(store, report.generation)
    lap("switch_s" if "index_s" in report.timings else "publish_s")


class _Answers:
    """The stored answers of one publish, derived in a thread (their queries run in the pool's children)."""

    def __init__(self, work: Callable[[threading.Event], Any]) -> None:
        self.stop = threading.Event()
        self.outcome: list[Any] = []

        def run() -> None:
            try:
                self.outcome.append(("ok", work(self.stop)))
            except BaseException as e:  # noqa: BLE001 - handed to the publishing thread by result()
                # The traceback's frames hold this thread's locals (pyoxigraph results are bound to the thread
                # that made them: dropped on another they leak, with an "unsendable" error): released here.
                traceback.clear_frames(e.__traceback__)
                self.outcome.append(("error", e))

        self.thread = threading.Thread(target=run, name="stored-answers", daemon=True)
        self.thread.start()

    def result(self) -> Any:
        """Wait for the answers; raise what they raised."""
        self.thread.join()
        kind, value = self.outcome[0]
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop them (their children are killed) and wait until they have: nothing of them is left in place."""
        self.stop.set()
        self.thread.join()
        kind, value = self.outcome[0]
        if kind == "ok":  # they were done before they saw it: their folder is in place, take it away
            shutil.rmtree(value.folder, ignore_errors=True)


def _start_answers(
    settings: Settings,
    store: Store,
    published: Generation | None,
    changes: set[ox.Triple] | None,
    follow: tuple[str, Path, list[ox.NamedNode]] | str | None,
    gen_id: str,
    folder: Path,
    quads: int | None = None,
    dump: Path | None = None,
    reserve: int = 0,
) -> _Answers | None:
    """Begin the saved queries' stored answers of a generation in place (visitgraph.queries.answerindex); None if not kept."""
    if not settings.answer_index or store.backend != "embedded":
        return None
    from visitgraph.queries.catalog import discover_queries

    reuse = (
        (published.id, frozenset(t.predicate.value for t in changes))
        if (published is not None and changes is not None)
        else None
    )
    queries = discover_queries(settings.root, settings.max_depth)
    return _Answers(
        lambda stop: build_index(
            settings,
            store.path,
            folder,
            gen_id,
            queries,
            reuse=reuse,
            follow=follow,
            cancel=stop,
            quads=quads,
            dump=dump,
            reserve=reserve,
        )
    )


def union_delta(old: Reader, new: Reader) -> set[ox.Triple]:
    """The triples of the union graph added or removed between two stores loaded separately.

    A store rebuilt from the sources gives every blank node a new identifier, so a blank node is
    compared by what identifies it here: the (subject, predicate) pairs pointing at it and its own
    triples to non-blank terms. A changed triple is returned as it is in each store.
    """
    from collections import defaultdict

    def canonical(store: Reader) -> dict[tuple[Any, ...], list[ox.Triple]]:
        triples = {q.triple for q in store}
        parents: dict[ox.BlankNode, set[tuple[str, str]]] = defaultdict(set)
        own: dict[ox.BlankNode, set[tuple[str, str]]] = defaultdict(set)
        for t in triples:
            if isinstance(t.object, ox.BlankNode) and not isinstance(t.subject, ox.BlankNode):
                parents[t.object].add((str(t.subject), str(t.predicate)))
            if isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode):
                own[t.subject].add((str(t.predicate), str(t.object)))

        def term(x: Any) -> Any:
            if isinstance(x, ox.BlankNode):
                return ("_", tuple(sorted(parents[x])), tuple(sorted(own[x])))
            return str(x)

        out: dict[tuple[Any, ...], list[ox.Triple]] = {}
        for t in triples:
            out.setdefault((term(t.subject), str(t.predicate), term(t.object)), []).append(t)
        return out

    before, after = canonical(old), canonical(new)
    changes: set[ox.Triple] = set()
    for key in before.keys() ^ after.keys():
        changes.update(before.get(key, ()))
        changes.update(after.get(key, ()))
    return changes


def _answer_changes(
    settings: Settings, store: Store, staged: StagedGeneration, published: Generation | None, report: BuildReport
) -> tuple[set[ox.Triple] | None, tuple[str, Path, list[ox.NamedNode]] | str | None]:
    """The triples this build added or removed, and what the stored answers follow it by (answerindex)."""
    from visitgraph.queries.answermaintain import changed_roots
    from visitgraph.queries.answerrows import Unmaintainable

    if published is None or not settings.answer_index or store.backend != "embedded":
        return report.changes, None
    changes = report.changes
    if changes is None:
        if report.triples > settings.validate_whole_limit:
            return None, "the change is not known (a graph above validate_whole_limit built whole)"
        changes = union_delta(store.reader(), staged.writable())
    try:
        roots = changed_roots([store.reader(), staged.writable()], changes)
    except Unmaintainable as e:
        return changes, str(e)
    return changes, (published.id, published.path, sorted(roots, key=str))


def _plan(
    settings: Settings,
    store: Store,
    published: Generation | None,
    previous: Inputs | None,
    inputs: Inputs,
    sources: list[SourceFile],
    changesets: list[Path],
    full: bool,
    report: BuildReport,
    analysed: Mapping[Path, Analysed] | None = None,
) -> Plan | None:
    """Decide what of the published generation this build reuses (None: nothing)."""
    if full:
        report.reused = {"full": "--full asked for it"}
        return None
    if not settings.incremental or published is None:
        return None
    entry = next((e for e in reversed(store.history()) if e.generation == published.id and e.action == "publish"), None)
    if entry is None or entry.triples is None or entry.triples <= settings.validate_whole_limit:
        return None  # small graphs are validated whole: it is cheap and reports every warning
    plan, why = plan_build(previous, inputs, sources, changesets, settings.base_iri, analysed)
    if plan is not None:
        plan.base_triples = entry.triples
        counts = entry.details.get("counts")
        plan.base_counts = {str(k): int(v) for k, v in counts.items()} if isinstance(counts, dict) else None
    report.reused = {"generation": published.id, "how": plan.describe()} if plan else {"full": why}
    return plan


def _validate_changes(
    settings: Settings,
    store: Store,
    staged: ox.Store,
    shapes: Any,
    plan: Plan,
    report: BuildReport,
    *,
    progress: bool,
    path: Path | None = None,
) -> ValidationReport:
    """Validate only the focus nodes whose context differs from the published generation's."""
    targets = shape_targets(shapes)
    before = store.reader()
    changes = delta(before, staged, plan.touched)
    nodes = targeted(staged, affected_nodes([before, staged], changes, targets), targets)
    report.reused.update(changed_triples=len(changes), focus_nodes=len(nodes))
    report.changes = changes
    return validate_store(
        staged,
        shapes,
        base=settings.base_iri,
        batch_size=settings.validate_batch,
        nodes=nodes,
        progress=progress,
        workers=settings.validate_workers,
        path=path,
        engine=settings.shacl_engine,
    )


def validate_staged(
    settings: Settings,
    store: ox.Store,
    shapes: Any,
    *,
    progress: bool = False,
    path: Path | None = None,
    keep_dump: Path | None = None,
) -> ValidationReport:
    """Validate a staged store: whole when small, batch by batch (bounded memory) when large.

    :param path: the store's folder, so validation workers can read it themselves.
    :param keep_dump: where the fast engine's N-Quads dump of the whole store is left, when it is exactly the store.
    """
    if len(store) <= settings.validate_whole_limit:
        return validate_quads(list(store), shapes, base=settings.base_iri, engine=settings.shacl_engine)
    return validate_store(
        store,
        shapes,
        base=settings.base_iri,
        batch_size=settings.validate_batch,
        progress=progress,
        workers=settings.validate_workers,
        path=path,
        engine=settings.shacl_engine,
        keep_dump=keep_dump,
    )


def check(settings: Settings, extra: list[Path] | None = None, *, progress: bool = False) -> ValidationReport:
    """Validate the repository's sources (plus `extra` files) without publishing anything.

    Above `validate_whole_limit` triples, when the published generation was built from the same
    sources and shapes, the check starts from a checkpoint of it and validates only the records the
    extra files (and changesets not yet built) touch: a batch of new records costs in proportion to
    the batch, not to the published graph. Otherwise every file streams into a scratch store, on disk
    when the files are large (:data:`CHECK_ON_DISK` bytes), so memory does not grow with the input.

    :param progress: show tqdm bars (files read, batches validated) on stderr.
    :raises DataSyntaxError: a file does not parse.
    """
    import tempfile

    from visitgraph.sources.load import parse_rdf

    def graph_of(path: Path) -> str:
        return vocab.graph_iri(settings.base_iri, path.as_posix())

    def read_extra(path: Path) -> list[ox.Quad]:
        rel = path.as_posix()
        return parse_rdf(path, base_iri=settings.base_iri, name=rel, graph=graph_of(path))

    shapes = load_shapes(shapes_files(settings.root))
    reused = _checkpoint_check(settings, extra or [], read_extra, graph_of, shapes)
    if reused is not None:
        return reused
    sources = list(discover_sources(settings))
    size = sum((settings.root / s.relpath).stat().st_size for s in sources) + sum(p.stat().st_size for p in extra or [])
    with tempfile.TemporaryDirectory(prefix="vg-check-") as tmp:
        scratch = ox.Store(path=tmp) if size > CHECK_ON_DISK else ox.Store()
        for source in tqdm(sources, desc="read", unit="file", disable=not progress, leave=False):
            scratch.bulk_extend(read_source(settings, source))
        for path in tqdm(extra or [], desc="read extra", unit="file", disable=not progress, leave=False):
            _stream_into(scratch, path, settings.base_iri, graph_of(path))
        for path in list_changesets(settings):
            apply_changeset(scratch, settings, path)
        on_disk = Path(tmp) if size > CHECK_ON_DISK else None
        if on_disk is not None:
            scratch.flush()
        report = validate_staged(settings, scratch, shapes, progress=progress, path=on_disk)
        del scratch  # closes the on-disk store before its folder is removed
    return report


#: Above this many bytes of input, `check` keeps its scratch store on disk instead of in memory.
CHECK_ON_DISK = 32 * 1024 * 1024


#: Quads handed to one `bulk_extend` while streaming a file: Oxigraph's bulk loader buffers what
#: it is given (a 200 MB file in one call peaked at 1.1 GB; in chunks of this size, 0.3 GB).
STREAM_CHUNK = 200_000


def _stream_into(store: ox.Store, path: Path, base_iri: str, graph: str) -> None:
    """Parse a Turtle file straight into `store`, a bounded chunk at a time (no list of the whole file)."""
    from itertools import islice

    from visitgraph.sources.rdfinput import rdf_input, syntax_error, term_too_long

    target = ox.NamedNode(graph)
    try:
        with rdf_input(path) as where:  # past a leading byte-order mark, if any
            parsed = ox.parse(**where, format=ox.RdfFormat.TURTLE, base_iri=base_iri)
            quads = (
                q
                if not isinstance(q.graph_name, ox.DefaultGraph)
                else ox.Quad(q.subject, q.predicate, q.object, target)
                for q in parsed
            )
            while chunk := list(islice(quads, STREAM_CHUNK)):
                store.bulk_extend(chunk)
    except SyntaxError as e:
        raise syntax_error(path.as_posix(), e) from e
    except ValueError as e:
        raise DataSyntaxError(path.as_posix(), None, None, str(e)) from e
    except MemoryError as e:  # a term past the parser's buffer (any other MemoryError is raised again)
        raise term_too_long(path.as_posix(), e) from e
    except OSError as e:
        raise StoreError(f"Cannot read {path}: {e}") from e


def _checkpoint_check(
    settings: Settings, extra: list[Path], read_extra: Any, graph_of: Any, shapes: Any
) -> ValidationReport | None:
    """Check on a throwaway checkpoint of the published generation; None when it cannot be reused."""
    import shutil
    import tempfile

    if not settings.incremental or settings.backend != "embedded":
        return None
    store = EmbeddedStore(settings.store)
    published = store.current()
    if published is None:
        return None
    report = BuildReport()
    sources = discover_sources(settings)
    changesets = list_changesets(settings)
    previous = load_inputs(store.path, published.id)
    inputs = gather_inputs(settings.root, sources, changesets, shapes_files(settings.root), settings.base_iri, previous)
    plan = _plan(settings, store, published, previous, inputs, sources, changesets, False, report)
    if plan is None or not plan.from_checkpoint:
        return None
    scratch_dir = Path(tempfile.mkdtemp(prefix=".check-", dir=store.path))
    try:
        ox.Store.read_only(str(published.path)).backup(str(scratch_dir / "store"))
        scratch = ox.Store(str(scratch_dir / "store"))
        for path in extra:
            scratch.bulk_extend(read_extra(path))
            plan.touched.add(graph_of(path))
        for path in plan.new_changesets:
            apply_changeset(scratch, settings, path)
        if len(scratch) <= settings.validate_whole_limit:
            return validate_staged(settings, scratch, shapes)
        checked = _validate_changes(
            settings, store, scratch, shapes, plan, report, progress=False, path=scratch_dir / "store"
        )
        checked.scope = (
            f"Checked {report.reused['focus_nodes']} record(s) touched by "
            f"{report.reused['changed_triples']} new or changed triple(s) against published generation "
            f"{published.id} ({len(scratch)} triples); `visitgraph build --full` checks everything."
        )
        return checked
    finally:
        shutil.rmtree(scratch_dir, ignore_errors=True)
