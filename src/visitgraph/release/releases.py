"""Versioned releases: every dump, the manifest, VoID, and a changelog of added and removed triples."""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.core.errors import BadParameter, StoreError
from visitgraph.core.fileio import write_atomic
from visitgraph.describe.resources import fallback_label, find_label
from visitgraph.release.dumps import (
    Manifest,
    dataset_description,
    default_version,
    describe_left_out,
    list_releases,
    write_manifest,
)
from visitgraph.release.ntdiff import Line, data_triples, diffable
from visitgraph.release.void import DUMP_BASENAME, void_graph
from visitgraph.store.backend import Reader, Store
from visitgraph.store.dump import dump_quads, store_prefixes
from visitgraph.store.embedded import now_iso

log = logging.getLogger("visitgraph.release")

MAX_VERSION = 64
_IDENT = r"[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*"
#: SemVer 2.0 (MAJOR.MINOR.PATCH[-pre][+build]) or the default date form YYYY-MM-DD[.N]; ASCII only.
#: Linear: every repetition is separated by a dot, so no input makes the engine backtrack.
_VERSION = re.compile(
    rf"(?:0|[1-9][0-9]{{0,8}})(?:\.(?:0|[1-9][0-9]{{0,8}})){{2}}(?:-{_IDENT})?(?:\+{_IDENT})?"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}(?:\.[1-9][0-9]{0,5})?",
    re.ASCII,
)


def check_version(version: str) -> None:
    """Refuse a release version that is not SemVer-like (or the default date form).

    >>> check_version("1.2.0-rc.1+build.5")
    >>> check_version("-rf")
    Traceback (most recent call last):
    ...
    visitgraph.core.errors.BadParameter: Release version '-rf' is not a version; write it as SemVer, e.g. 1.2.0 or 1.2.0-rc.1 (or leave it out for today's date).
    """
    shown = version if len(version) <= MAX_VERSION else version[:MAX_VERSION] + "…"
    if len(version) > MAX_VERSION or not _VERSION.fullmatch(version):
        raise BadParameter(
            "version",
            f"Release version {shown!a} is not a version; write it as SemVer, e.g. "
            "1.2.0 or 1.2.0-rc.1 (or leave it out for today's date).",
        )


@dataclass
class ReleaseReport:
    """What `release` wrote."""

    version: str
    folder: Path
    previous: str | None
    manifest: Manifest
    added: int
    removed: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "folder": str(self.folder),
            "previous": self.previous,
            "added": self.added,
            "removed": self.removed,
            "triples": self.manifest.store_triples,
            "files": [f.name for f in self.manifest.files],
            "left_out": self.manifest.left_out,
        }


def _nt(lines: set[Line]) -> bytes:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(lines)).encode()


def _label(store: Reader, old_names: dict[str, str], text: str, base: str) -> str:
    if not text.startswith("<"):
        return text
    iri = text[1:-1]
    found = find_label(store, ox.NamedNode(iri)) or old_names.get(text)
    return found or fallback_label(iri, base)


def _section(title: str, lines: set[Line], store: Reader, old_names: dict[str, str], base: str) -> list[str]:
    out = [f"## {title} ({len(lines)} triple{'s' if len(lines) != 1 else ''})", ""]
    grouped: dict[str, list[Line]] = {}
    for line in lines:
        grouped.setdefault(line[0], []).append(line)
    for subject in sorted(grouped, key=lambda s: (_label(store, old_names, s, base).casefold(), s)):
        out.append(f"### {_label(store, old_names, subject, base)} — `{subject.strip('<>')}`")
        out.append("")
        for _, pred, obj in sorted(grouped[subject]):
            shown = _label(store, old_names, obj, base) if obj.startswith("<") else obj
            out.append(f"- `{vocab.shorten(pred.strip('<>'))}` {shown}")
        out.append("")
    return out


def changelog(
    version: str,
    released: str,
    previous: Manifest | None,
    added: set[Line],
    removed: set[Line],
    store: Reader,
    old_names: dict[str, str],
    base: str,
    total: int,
    left_out: dict[str, str] | None = None,
) -> str:
    """Write the release's changelog in Markdown, grouped by subject with labels (and the dumps left out)."""
    head = [f"# Release {version}", "", f"Released {released}; {total} triples in all."]
    if left_out:
        head.append(f"This release {describe_left_out(left_out)}")
    if previous is None:
        head += ["", "First release: every triple is new (see `added.nt`).", ""]
        return "\n".join(head) + "\n"
    head += [
        f"Compared with release {previous.version} ({previous.released}): "
        f"{len(added)} triples added, {len(removed)} removed.",
        "Raw differences: `added.nt` and `removed.nt` (blank nodes named by a hash of their content).",
        "",
    ]
    body = _section("Added", added, store, old_names, base) + _section("Removed", removed, store, old_names, base)
    return "\n".join(head + body).rstrip() + "\n"


def _previous_lines(out: Path, previous: Manifest, settings: Settings) -> tuple[set[Line], dict[str, str]]:
    path = out / (previous.version or "") / f"{DUMP_BASENAME}.nq"
    quads = ox.parse(path.read_bytes(), format=ox.RdfFormat.N_QUADS)
    triples = data_triples(quads, void_graph(settings.base_iri))
    names = {
        str(t.subject): t.object.value
        for t in triples
        if t.predicate.value == vocab.SCHEMA + "name" and isinstance(t.object, ox.Literal)
    }
    return diffable(triples), names


def release(store: Store, settings: Settings, version: str | None = None, out: Path | None = None) -> ReleaseReport:
    """Write a versioned release folder: dumps, manifest, VoID and a changelog against the previous release.

    Dump formats that cannot hold the data are left out, and the manifest, the changelog and a warning
    on the `visitgraph.release` log say which and why.

    :param version: the release's name (default: today's date, then `.2`, `.3`…).
    :param out: the folder holding releases (default `<root>/releases`).
    :raises StoreError: when that version already exists.
    :raises BadParameter: when the version is not SemVer-like.
    :raises NotPublished: when nothing is published.
    """
    out = out or settings.root / "releases"
    if version is not None:
        check_version(version)
    gen = store.require_current()
    reader = store.reader()
    released = now_iso()
    version = version or default_version(out, released[:10])
    check_version(version)
    if (out / version).exists():
        raise StoreError(f"Release {version!r} already exists in {out}; choose another --version.")
    history = list_releases(out)
    previous = history[-1] if history else None
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".tmp-{version}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        manifest = write_manifest(
            reader,
            settings,
            tmp,
            gen.id,
            gen.published,
            version=version,
            released=released,
            previous=previous.version if previous else None,
        )
        created = history[0].released if history else released
        void = dataset_description(reader, settings, created=created, modified=released, version=version)
        write_atomic(tmp / "void.ttl", dump_quads(void, "ttl", store_prefixes(settings.base_iri)).data)
        new_lines = diffable(data_triples(reader.quads_for_pattern(None, None, None, None)))
        old_lines, old_names = _previous_lines(out, previous, settings) if previous else (set(), {})
        added, removed = new_lines - old_lines, old_lines - new_lines
        write_atomic(tmp / "added.nt", _nt(added))
        write_atomic(tmp / "removed.nt", _nt(removed))
        text = changelog(
            version,
            released,
            previous,
            added,
            removed,
            reader,
            old_names,
            settings.base_iri,
            manifest.store_triples,
            manifest.left_out,
        )
        write_atomic(tmp / "CHANGES.md", text.encode())
        os.rename(tmp, out / version)
        from visitgraph.release.persistence import record_release  # the ledger ties the release to its state

        record_release(store, version, gen, released)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if manifest.left_out:  # on standard error in the command line, in the log in a server
        log.warning("Release %s %s", version, describe_left_out(manifest.left_out))
    return ReleaseReport(
        version, out / version, previous.version if previous else None, manifest, len(added), len(removed)
    )
