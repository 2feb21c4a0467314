"""Rollback that holds: revert the inputs, not only the store pointer.

A rollback to generation T makes the set of changesets equal to what T was built from: those it
steps back over are moved to ``changesets/reverted/`` (kept, never replayed, listed in the history
line) and ones T was built with that an earlier rollback set aside come back. Source files that
differ from T's recorded inputs are named; with ``restore_files`` the current versions are moved
to ``changesets/reverted/files/<from>-to-<T>/`` and T's versions are copied back from the store's
record of every published source (``<store>/inputs/blobs/<sha256>``, one copy per distinct
version). The whole is journaled like a write (:mod:`visitgraph.publish.journal`), so a crash mid-way is
finished or undone at restart. After it, the next build publishes exactly T again.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from visitgraph.core.config import Settings
from visitgraph.core.crashpoints import crash_point
from visitgraph.publish.incremental import Inputs, gather_inputs, load_inputs
from visitgraph.publish.journal import Journal, apply_step, recover, sha256_file
from visitgraph.release import persistence  # noqa: F401  (its import registers the rollback announcement)
from visitgraph.sources.load import CHANGESET_DIR, discover_sources, list_changesets
from visitgraph.sources.validate import shapes_files
from visitgraph.store.backend import Store
from visitgraph.store.embedded import Generation, fsync_dir, on_prune

REVERTED_DIR = f"{CHANGESET_DIR}/reverted"


def blobs_dir(store_path: Path) -> Path:
    """Return the folder keeping every published version of every source file, by SHA-256."""
    return Path(store_path) / "inputs" / "blobs"


def keep_blobs(store_path: Path, root: Path, inputs: Inputs) -> None:
    """Keep a copy of each source version a generation is built from (skipped when already kept)."""
    folder = blobs_dir(store_path)
    for rel, digest in inputs.sources.items():
        blob = folder / digest
        if blob.exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{digest}.{os.getpid()}.tmp"
        try:
            shutil.copyfile(root / rel, tmp)
            if sha256_file(tmp) != digest:
                continue  # edited since it was read: this version is not the one published
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, blob)
        finally:
            tmp.unlink(missing_ok=True)
    if folder.exists():
        fsync_dir(folder)


def prune_blobs(store_path: Path, keep: Sequence[str]) -> None:
    """Remove recorded source versions no kept generation was built from."""
    folder = blobs_dir(store_path)
    if not folder.is_dir():
        return
    wanted: set[str] = set()
    for gen_id in keep:
        inputs = load_inputs(Path(store_path), gen_id)
        if inputs is not None:
            wanted |= set(inputs.sources.values())
    for blob in folder.iterdir():
        if blob.name not in wanted and not blob.name.startswith("."):
            blob.unlink(missing_ok=True)


on_prune(prune_blobs)  # the store calls it after removing old generations


@dataclass
class RollbackReport:
    """What a rollback did to the pointer and to the inputs."""

    generation: Generation
    previous: str
    reverted: list[str] = field(default_factory=list)  # changesets set aside
    reinstated: list[str] = field(default_factory=list)  # changesets brought back from reverted/
    differing: list[tuple[str, str]] = field(default_factory=list)  # (path, how it differs)
    restored: list[str] = field(default_factory=list)  # files put back from the recorded inputs
    unrecorded: list[str] = field(default_factory=list)  # differing files whose old version is not kept
    inputs_known: bool = True

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready mapping."""
        return {
            "generation": self.generation.id,
            "from": self.previous,
            "reverted": self.reverted,
            "reinstated": self.reinstated,
            "differing": [{"path": p, "how": h} for p, h in self.differing],
            "restored": self.restored,
            "unrecorded": self.unrecorded,
            "inputs_known": self.inputs_known,
        }


def _changeset_steps(settings: Settings, target: Inputs, report: RollbackReport) -> list[dict[str, Any]]:
    now = [p.name for p in list_changesets(settings)]
    want = set(target.changesets)
    steps = []
    for name in now:
        if name not in want:
            steps.append({"op": "move", "src": f"{CHANGESET_DIR}/{name}", "dst": f"{REVERTED_DIR}/{name}"})
            report.reverted.append(name)
    for name in target.changesets:
        if name not in now and (settings.root / REVERTED_DIR / name).exists():
            steps.append({"op": "move", "src": f"{REVERTED_DIR}/{name}", "dst": f"{CHANGESET_DIR}/{name}"})
            report.reinstated.append(name)
    return steps


def _file_steps(
    settings: Settings,
    store: Store,
    target: Inputs,
    current: Inputs | None,
    report: RollbackReport,
    restore: bool,
) -> list[dict[str, Any]]:
    sources = discover_sources(settings)
    now = gather_inputs(settings.root, sources, [], shapes_files(settings.root), settings.base_iri, current).sources
    steps: list[dict[str, Any]] = []
    aside = f"{REVERTED_DIR}/files/{report.previous}-to-{report.generation.id}"
    for rel in sorted(set(now) | set(target.sources)):
        then, here = target.sources.get(rel), now.get(rel)
        if then == here:
            continue
        how = "added since" if then is None else "removed since" if here is None else "changed since"
        report.differing.append((rel, how))
        if not restore:
            continue
        blob = blobs_dir(store.path) / then if then else None
        if blob is not None and not blob.exists():
            report.unrecorded.append(rel)
            continue
        if here is not None:
            steps.append({"op": "move", "src": rel, "dst": f"{aside}/{rel}"})
        if blob is not None and then is not None:
            steps.append({"op": "put", "path": rel, "sha256": then, "blob": str(blob)})
        report.restored.append(rel)
    return steps


def rollback(
    settings: Settings, store: Store, to: str | None = None, *, who: str = "cli", restore_files: bool = False
) -> RollbackReport:
    """Make an earlier generation current again and revert the inputs to what it was built from.

    :param restore_files: also put back the source files that differ from that generation.
    :raises VisitgraphError: if that generation is no longer on disk.
    """
    journal = Journal(store, settings.root)
    with store.write_lock():
        recover(store, settings.root)
        current, target_id = store.rollback_target(to)
        report = RollbackReport(Generation(target_id, store.generations_dir / target_id, ""), current.id)
        target = load_inputs(store.path, target_id)
        steps: list[dict[str, Any]] = []
        if target is None:
            report.inputs_known = False
        else:
            steps = _changeset_steps(settings, target, report)
            steps += _file_steps(settings, store, target, load_inputs(store.path, current.id), report, restore_files)
        entry = {"kind": "rollback", "generation": target_id, "from": current.id, "who": who, "steps": steps}
        journal.begin(entry)
        try:
            details = {"reverted": report.reverted, "reinstated": report.reinstated, "restored": report.restored}
            report.generation = store.switch_back(
                current, target_id, who, details=details, note=_note(current.id, report)
            )
            crash_point("rollback.after_switch")
            for step in steps:
                apply_step(settings.root, step)
            crash_point("rollback.inputs_moved")
        except BaseException:
            journal.settle(entry, lambda line: None)
            raise
        journal.end(target_id)
    return report


def _note(previous: str, report: RollbackReport) -> str:
    parts = [f"from {previous}"]
    if report.reverted:
        parts.append("reverted changesets: " + ", ".join(report.reverted))
    if report.reinstated:
        parts.append("reinstated changesets: " + ", ".join(report.reinstated))
    if report.restored:
        parts.append("restored files: " + ", ".join(report.restored))
    return "; ".join(parts)


def reverted_changesets(settings: Settings) -> list[str]:
    """List the changesets rollbacks have set aside, oldest first."""
    folder = settings.root / REVERTED_DIR
    return sorted(p.name for p in folder.glob("*.ru")) if folder.is_dir() else []
