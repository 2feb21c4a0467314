"""The write journal: one durable order for every write, and how a restart settles an interrupted one.

A build that carries a change (a SPARQL Update, a Graph Store request, a linkset review) first
writes a journal entry ``<store>/journal/gNNNNNN.json`` naming the generation it will publish and
the inputs it is about to change (a hidden ``.pending-*.ru`` changeset, files swapped in with a
backup of the old ones); then it writes those inputs (fsync, rename); only then does it stage,
validate and switch ``CURRENT``; and only after the switch does the changeset get its final name
and the entry go. A rollback writes its own entry (the changesets it sets aside, the files it
restores) before it switches.

:func:`recover` settles whatever a crash left, under the store's writer lock, at start-up and
before each build or rollback, with one log line per thing it settles. The rule is the same for
every entry: if its generation is the published one (or the history records it as published) the
change is kept (the changeset is renamed into place, backups are dropped, a rollback's moves are
finished); otherwise it is undone (the pending changeset is removed, backups are put back, a
rollback's moves are reversed). Staging folders and generations that were never published are
removed. So the published state always equals the replay of the inputs that are kept.

Longer than 400 lines because the durable write order and the recovery that settles it read and write the same journal records.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from visitgraph.core.config import Settings
from visitgraph.core.crashpoints import crash_point
from visitgraph.core.fileio import write_atomic
from visitgraph.sparql.analysis import Analysed
from visitgraph.sparql.guards import Guard
from visitgraph.store.backend import Store
from visitgraph.store.embedded import HistoryEntry, fsync_dir, now_iso

log = logging.getLogger("visitgraph.recovery")
JOURNAL_DIR = "journal"


def write_durable(path: Path, data: bytes | str) -> None:
    """Write a file atomically and make its name durable (data fsynced, renamed, folder fsynced)."""
    write_atomic(path, data)
    fsync_dir(path.parent)


def rename_durable(src: Path, dst: Path) -> None:
    """Rename `src` to `dst` and make both folders' entries durable."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dst)
    fsync_dir(dst.parent)
    if src.parent != dst.parent:
        fsync_dir(src.parent)


def remove_durable(path: Path) -> None:
    """Remove a file or folder (if there) and make the removal durable."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    if path.parent.exists():
        fsync_dir(path.parent)


def sha256_file(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Journal:
    """The journal folder of one store, with the project root its paths are relative to."""

    def __init__(self, store: Store, root: Path) -> None:
        self.store = store
        self.root = root
        self.folder = store.path / JOURNAL_DIR

    def path(self, gen_id: str) -> Path:
        """Return where the entry of one generation is kept."""
        return self.folder / f"{gen_id}.json"

    def backups(self, gen_id: str) -> Path:
        """Return the folder holding the old versions of files a build swaps."""
        return self.folder / gen_id

    def begin(self, entry: dict[str, Any]) -> Path:
        """Write an entry durably (before any input it names is touched)."""
        path = self.path(str(entry["generation"]))
        write_durable(path, json.dumps(entry, sort_keys=True, indent=1))
        if entry["kind"] == "rollback":
            crash_point("rollback.journal_written")
        else:
            crash_point("journal.written")
        return path

    def end(self, gen_id: str) -> None:
        """Drop an entry and its backups once settled."""
        remove_durable(self.backups(gen_id))
        remove_durable(self.path(gen_id))

    def entries(self) -> list[dict[str, Any]]:
        """Return the entries left behind, oldest generation first (unreadable ones are dropped)."""
        if not self.folder.is_dir():
            return []
        out = []
        for path in sorted(self.folder.glob("g*.json")):
            try:
                out.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                log.warning("Recovery: removed unreadable journal entry %s.", path.name)
                remove_durable(path)
        return out

    # -- settling one entry ------------------------------------------------------------

    def was_published(self, gen_id: str) -> bool:
        """Tell whether a generation is current or recorded as published."""
        current = self.store.current()
        if current is not None and current.id == gen_id:
            return True
        return any(e.generation == gen_id and e.action == "publish" for e in self.store.history())

    def settle(self, entry: dict[str, Any], say: Callable[[str], None]) -> None:
        """Keep or undo what one entry names, by whether its generation was published."""
        gen_id = str(entry["generation"])
        if entry["kind"] == "rollback":
            current = self.store.current()
            if current is not None and current.id == gen_id:
                finish_moves(self.root, entry, say)
            else:
                undo_moves(self.root, entry, say)
        elif self.was_published(gen_id):
            self._keep(entry, say)
        else:
            self._discard(entry, say)
        self.end(gen_id)

    def _keep(self, entry: dict[str, Any], say: Callable[[str], None]) -> None:
        gen_id = str(entry["generation"])
        if not any(e.generation == gen_id and e.action == "publish" for e in self.store.history()):
            record_recovered_publish(self.store, gen_id, str(entry.get("who", "unknown")), str(entry.get("note", "")))
            say(f"Recovery: generation {gen_id} was published before the crash; its history line was added.")
        for rel in entry.get("pending", []):
            pending = self.root / rel
            final = pending.with_name(pending.name.removeprefix(".pending-"))
            if pending.exists():
                rename_durable(pending, final)
                crash_point("changeset.after_rename")
                say(f"Recovery: kept changeset {final.name} (its generation {gen_id} was published).")
        for item in entry.get("files", []):
            say(f"Recovery: kept {item['path']} (its generation {gen_id} was published).")

    def _discard(self, entry: dict[str, Any], say: Callable[[str], None]) -> None:
        gen_id = str(entry["generation"])
        for rel in entry.get("pending", []):
            if (self.root / rel).exists():
                remove_durable(self.root / rel)
                say(f"Recovery: removed changeset {rel} (its generation {gen_id} was not published).")
        for item in reversed(entry.get("files", [])):
            target = self.root / item["path"]
            backup = self.backups(gen_id) / item["backup"] if item.get("backup") else None
            if backup is not None and backup.exists():
                write_durable(target, backup.read_bytes())
                say(f"Recovery: put back {item['path']} (generation {gen_id} was not published).")
            elif backup is None and target.exists():
                remove_durable(target)
                say(f"Recovery: removed {item['path']} (generation {gen_id} was not published).")
        folder = self.store.generations_dir / gen_id
        if folder.exists():
            remove_durable(folder)
            say(f"Recovery: removed unpublished generation {gen_id}.")


@dataclass(frozen=True)
class PendingChange:
    """A write accepted over HTTP or the CLI, waiting to be replayed by the build."""

    sparql: str
    who: str
    what: str
    guard: Guard | None = None  # HTTP writes: refused when destructive unless confirmed (visitgraph.sparql.guards)
    analysed: Analysed | None = None  # the text's analysis, made once by the caller (visitgraph.sparql.analysis)

    def analysis(self, base_iri: str) -> Analysed:
        """The analysis of `sparql` against `base_iri`: the caller's when it made one, else a new one."""
        known = self.analysed
        return Analysed.of(known if known is not None and known.text == self.sparql else self.sparql, base_iri)


@dataclass(frozen=True)
class FileSwap:
    """A source file a build puts in place (`text`) or removes (None), put back if not published."""

    relpath: str
    text: str | None


def _changeset_text(change: PendingChange) -> str:
    header = f"# who: {change.who}\n# when: {now_iso()}\n# what: {change.what}\n"
    return header + change.sparql.rstrip() + "\n"


def _changeset_name(settings: Settings, change: PendingChange) -> Path:
    """Choose the final name of a new changeset (replay order = name order)."""
    from visitgraph.sources.load import CHANGESET_DIR

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
    return final


def begin_change(
    journal: Journal,
    gen_id: str,
    settings: Settings,
    change: PendingChange | None,
    files: Sequence[FileSwap],
    who: str,
    note: str,
) -> tuple[dict[str, Any] | None, Path | None]:
    """Make the change durable before anything is staged: journal entry first, then the inputs it names."""
    if change is None and not files:
        return None, None
    pending = None
    entry: dict[str, Any] = {
        "kind": "build",
        "generation": gen_id,
        "who": who,
        "note": note,
        "pending": [],
        "files": [
            {"path": f.relpath, "backup": str(i) if (settings.root / f.relpath).exists() else None}
            for i, f in enumerate(files)
        ],
    }
    if change is not None:
        pending = (final := _changeset_name(settings, change)).with_name(f".pending-{final.name}")
        entry["pending"] = [pending.relative_to(settings.root).as_posix()]
    for item in entry["files"]:
        if item["backup"] is not None:
            backups = journal.backups(gen_id)
            backups.mkdir(parents=True, exist_ok=True)
            write_durable(backups / item["backup"], (settings.root / item["path"]).read_bytes())
    journal.begin(entry)
    if pending is not None and change is not None:
        write_durable(pending, _changeset_text(change))
    for swap in files:
        if swap.text is None:
            remove_durable(settings.root / swap.relpath)
        else:
            write_durable(settings.root / swap.relpath, swap.text)
    crash_point("inputs.written")
    return entry, pending


def finish_change(journal: Journal, entry: dict[str, Any] | None, pending: Path | None) -> None:
    """After the switch: give the changeset its final name, then drop the journal entry."""
    if entry is None:
        return
    if pending is not None:
        rename_durable(pending, pending.with_name(pending.name.removeprefix(".pending-")))
        crash_point("changeset.after_rename")
    journal.end(str(entry["generation"]))
    crash_point("journal.removed")


def record_recovered_publish(store: Store, gen_id: str, who: str, note: str) -> None:
    """Write the local pointer and history line of a generation published just before a crash."""
    import pyoxigraph as ox

    try:
        triples = len(ox.Store.read_only(str(store.generations_dir / gen_id)))
    except OSError:
        triples = 0
    entry = HistoryEntry(
        gen_id,
        "publish",
        who,
        now_iso(),
        triples=triples,
        note=(note + " " if note else "") + "(recovered after a crash)",
    )
    store.record_switch(gen_id, entry)


def finish_moves(root: Path, entry: dict[str, Any], say: Callable[[str], None]) -> None:
    """Redo a rollback's moves and restores (each step is idempotent)."""
    for step in entry.get("steps", []):
        apply_step(root, step)
    say(f"Recovery: finished setting aside the inputs of rollback to {entry['generation']}.")


def undo_moves(root: Path, entry: dict[str, Any], say: Callable[[str], None]) -> None:
    """Reverse a rollback's moves and restores, last first (each step is idempotent)."""
    for step in reversed(entry.get("steps", [])):
        undo_step(root, step)
    say(f"Recovery: undid the input changes of an unfinished rollback to {entry['generation']}.")


def apply_step(root: Path, step: dict[str, Any]) -> None:
    """Do one step: move a file aside (`move`) or copy a recorded version into place (`put`)."""
    if step["op"] == "move":
        src, dst = root / step["src"], root / step["dst"]
        if src.exists() and not dst.exists():
            rename_durable(src, dst)
    else:
        target = root / step["path"]
        if not (target.exists() and sha256_file(target) == step["sha256"]):
            write_durable(target, Path(step["blob"]).read_bytes())


def undo_step(root: Path, step: dict[str, Any]) -> None:
    """Reverse one step, if it was done."""
    if step["op"] == "move":
        src, dst = root / step["src"], root / step["dst"]
        if dst.exists() and not src.exists():
            rename_durable(dst, src)
    else:
        target = root / step["path"]
        if target.exists() and sha256_file(target) == step["sha256"]:
            remove_durable(target)


def recover(store: Store, root: Path) -> list[str]:
    """Settle everything an interrupted write left; call with the store's writer lock held.

    Returns the log lines (each also logged as a warning).
    """
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        log.warning(line)

    journal = Journal(store, root)
    for entry in journal.entries():
        journal.settle(entry, say)
    for orphan in sorted(journal.folder.iterdir()) if journal.folder.is_dir() else []:
        remove_durable(orphan)  # backups or a temporary file written before their entry was
        say(f"Recovery: removed {orphan.name} from the journal (its write never began).")
    _stray_pending(store, root, say)
    _stray_generations(store, say)
    if lines:
        store.prune()
    return lines


def _stray_pending(store: Store, root: Path, say: Callable[[str], None]) -> None:
    """Settle `.pending-*.ru` files no journal names (left by versions before the journal)."""
    from visitgraph.publish.incremental import load_inputs
    from visitgraph.sources.load import CHANGESET_DIR

    folder = root / CHANGESET_DIR
    strays = sorted(folder.glob(".pending-*.ru")) if folder.is_dir() else []
    if not strays:
        return
    current = store.current()
    inputs = load_inputs(store.path, current.id) if current is not None else None
    published = set(inputs.changesets) if inputs is not None else set()
    for pending in strays:
        final = pending.with_name(pending.name.removeprefix(".pending-"))
        if final.name in published:
            rename_durable(pending, final)
            say(f"Recovery: kept changeset {final.name} (the published generation was built with it).")
        else:
            remove_durable(pending)
            say(f"Recovery: removed changeset {pending.name} (no published generation was built with it).")


def _stray_generations(store: Store, say: Callable[[str], None]) -> None:
    """Remove staging folders, temporary files and generations that were never published."""
    folder = store.generations_dir
    if folder.is_dir():
        known = {e.generation for e in store.history()}
        current = store.current()
        if current is not None and current.id not in known and (folder / current.id).is_dir():
            record_recovered_publish(store, current.id, "unknown", "build")
            say(f"Recovery: generation {current.id} was published before the crash; its history line was added.")
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".staging-"):
                remove_durable(path)
                say(f"Recovery: removed staging folder {path.name} of an interrupted build.")
            elif path.name.startswith("g") and path.name not in known and (current is None or path.name != current.id):
                remove_durable(path)
                say(f"Recovery: removed generation {path.name}, which was never published.")
    for tmp in [*store.path.glob(".*.tmp"), *(store.path / "inputs").glob(".*.tmp")]:
        with contextlib.suppress(OSError):
            tmp.unlink()
            say(f"Recovery: removed temporary file {tmp.name}.")
