"""The one validate-then-publish path every write goes through (build, updates, linksets)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from tqdm import tqdm

from visitgraph import vocab
from visitgraph.answerindex import build_index
from visitgraph.config import Settings
from visitgraph.errors import ShapesViolation
from visitgraph.load import (
    CHANGESET_DIR,
    SourceFile,
    apply_update,
    discover_sources,
    list_changesets,
    load_source_into,
    read_source,
)
from visitgraph.store import EmbeddedStore, Generation, now_iso
from visitgraph.validate import (
    ValidationReport,
    load_shapes,
    shapes_files,
    validate_quads,
    validate_store,
)


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
            "validation": self.validation.to_dict() if self.validation else None,
        }


@dataclass(frozen=True)
class PendingChange:
    """A write accepted over HTTP or the CLI, waiting to be replayed by the build."""

    sparql: str
    who: str
    what: str


COUNT_QUERY = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  VALUES ?class {{ <{vocab.VG}Visit> <{vocab.SCHEMA}Person> <{vocab.SCHEMA}Organization>
                  <{vocab.VG}Gift> <{vocab.VG}Agreement> <{vocab.SKOS}Concept> }}
  ?s a ?class }} GROUP BY ?class"""


def count_classes(store: ox.Store) -> dict[str, int]:
    """Count the instances of the profile's main classes (union of all graphs)."""
    out = {}
    for row in store.query(COUNT_QUERY, use_default_graph_as_union=True):  # type: ignore[union-attr]
        out[vocab.shorten(row["class"].value)] = int(row["n"].value)
    return dict(sorted(out.items()))


def _changeset_text(change: PendingChange) -> str:
    header = f"# who: {change.who}\n# when: {now_iso()}\n# what: {change.what}\n"
    return header + change.sparql.rstrip() + "\n"


@contextmanager
def _pending_changeset(settings: Settings, change: PendingChange | None) -> Iterator[Path | None]:
    """Write the change beside the sources as a hidden file; keep it only if the build publishes."""
    if change is None:
        yield None
        return
    folder = settings.root / CHANGESET_DIR
    folder.mkdir(parents=True, exist_ok=True)
    # Microseconds keep replay order when writes come within one second (a "-1" suffix sorts first).
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    who = re.sub(r"[^A-Za-z0-9_.-]+", "-", change.who)[:40] or "anonymous"
    final = folder / f"{stamp}-{os.getpid()}-{who}.ru"
    n = 1
    while final.exists():
        final = folder / f"{stamp}-{os.getpid()}-{who}-{n}.ru"
        n += 1
    pending = folder / f".pending-{final.name}"
    pending.write_text(_changeset_text(change), encoding="utf-8")
    try:
        yield pending
    except BaseException:
        pending.unlink(missing_ok=True)
        raise
    else:
        os.replace(pending, final)


def build(
    settings: Settings,
    store: EmbeddedStore,
    *,
    who: str = "cli",
    change: PendingChange | None = None,
    progress: bool = False,
    note: str = "",
) -> BuildReport:
    """Read every source, replay changesets (and `change`), validate, and publish atomically.

    Only a conforming whole is published; otherwise the current generation stays as it was.

    :param change: a new write to keep as a changeset if, and only if, the result conforms.
    :raises DataSyntaxError: a source file does not parse (names file:line:column).
    :raises BadQuery: a changeset does not parse.
    :raises ShapesViolation: the result does not conform (carries the report).
    """
    report = BuildReport()
    sources = discover_sources(settings)
    shapes = load_shapes(shapes_files(settings.root))
    clock = time.monotonic()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        report.timings[name] = round(now - clock, 3)
        clock = now

    with store.stage() as staged, _pending_changeset(settings, change) as pending:
        for source in tqdm(sources, desc="parse", unit="file", disable=not progress, leave=False):
            report.files.append((source, load_source_into(settings, source, staged._require())))
        changesets = list_changesets(settings) + ([pending] if pending else [])
        for path in changesets:
            text = path.read_text(encoding="utf-8")
            apply_update(staged._require(), text, base_iri=settings.base_iri, name=path.name)
            report.changesets.append(path.name.removeprefix(".pending-"))
        report.triples = len(staged._require())
        lap("load_s")
        report.validation = validate_staged(settings, staged._require(), shapes, progress=progress)
        lap("validate_s")
        if not report.validation.conforms:
            raise ShapesViolation(report.validation)
        report.counts = count_classes(staged._require())

        def store_answers(gen_id: str, folder: Path) -> dict[str, Any] | None:
            # Saved queries' whole answers, stored before readers switch (visitgraph.answerindex).
            if not settings.answer_index or settings.backend != "embedded":
                return None  # remote: every front-end reads the server; nothing is kept locally
            from visitgraph.queries import discover_queries

            lap("publish_s")
            index = build_index(settings, store.path, folder, gen_id, discover_queries(settings.root))
            report.answers = {"stored": index.stored, "skipped": index.skipped}
            lap("index_s")
            return {"answers": report.answers}

        report.generation = staged.commit(
            who, note=note or ("change: " + change.what if change else "build"),
            details={"counts": report.counts, "files": len(report.files), "changesets": len(report.changesets),
                     "timings": report.timings},
            before_switch=store_answers,
        )
        lap("switch_s" if "index_s" in report.timings else "publish_s")
    return report


def validate_staged(settings: Settings, store: ox.Store, shapes: Any, *, progress: bool = False) -> ValidationReport:
    """Validate a staged store: whole when small, batch by batch (bounded memory) when large."""
    if len(store) <= settings.validate_whole_limit:
        return validate_quads(list(store), shapes, base=settings.base_iri)
    return validate_store(store, shapes, base=settings.base_iri, batch_size=settings.validate_batch,
                          progress=progress, workers=settings.validate_workers)


def check(settings: Settings, extra: list[Path] | None = None) -> ValidationReport:
    """Validate the repository's sources (plus `extra` files) without publishing anything.

    :raises DataSyntaxError: a file does not parse.
    """
    from visitgraph.load import parse_rdf

    quads: list[ox.Quad] = []
    for source in discover_sources(settings):
        quads.extend(read_source(settings, source))
    for path in extra or []:
        rel = path.as_posix()
        quads.extend(parse_rdf(path, base_iri=settings.base_iri, name=rel,
                               graph=vocab.graph_iri(settings.base_iri, rel)))
    scratch = ox.Store()
    scratch.bulk_extend(quads)
    for path in list_changesets(settings):
        apply_update(scratch, path.read_text(encoding="utf-8"), base_iri=settings.base_iri, name=path.name)
    return validate_staged(settings, scratch, load_shapes(shapes_files(settings.root)))
