"""Dump files of a published generation with their manifest, and versioned releases with a changelog.

Triple dumps (Turtle, N-Triples, JSON-LD) hold the union of every graph with the
VoID/DCAT description merged in; quad dumps (N-Quads, TriG) keep every named
graph and carry the description in its own graph (:func:`visitgraph.release.void.void_graph`).
The embedded description depends only on the data, so the same data always gives
the same bytes. Checksums live only in ``manifest.json``.

A format that cannot hold the data (JSON-LD 1.1 and RDF 1.2 triple terms) is left out:
the manifest's ``left_out`` says why, and the description does not offer it (decision 0081).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core.config import Settings
from visitgraph.core.fileio import write_atomic
from visitgraph.core.formats import BYTES, GZIP, get_format
from visitgraph.release.void import dataset_iri, dump_file_names, site_root, void_graph, void_quads
from visitgraph.store.backend import Reader, Store
from visitgraph.store.dump import NO_TRIPLE_TERMS, TripleTermsUnsupported, dump_quads, has_triple_terms, store_prefixes

_LOCK = threading.Lock()
log = logging.getLogger("visitgraph.dumps")


@dataclass
class DumpFile:
    """One file of a dump folder and its facts."""

    name: str
    format: str
    media_type: str
    encoding: str | None
    size: int
    sha256: str
    statements: int
    named_graphs: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Manifest:
    """What a dump folder holds: each file with size, SHA-256 and statement count."""

    dataset: str
    generation: str
    published: str
    store_triples: int
    store_quads: int
    void_triples: int
    files: list[DumpFile]
    version: str | None = None
    released: str | None = None
    previous: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: Dump files not written because their format cannot hold the data: file name -> why.
    left_out: dict[str, str] = field(default_factory=dict)

    def file(self, name: str) -> DumpFile | None:
        """Return the entry of one file, or None."""
        return next((f for f in self.files if f.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["files"] = [f.to_dict() for f in self.files]
        return {k: v for k, v in out.items() if v not in (None, {})}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        """Read a manifest back from its JSON form."""
        files = [DumpFile(**f) for f in data.get("files", [])]
        return cls(**{**{k: v for k, v in data.items() if k != "files"}, "files": files})


def left_out_formats(store: Reader) -> dict[str, str]:
    """Return the dump formats that cannot hold this data, each with the reason (empty for most data)."""
    if not has_triple_terms(store):
        return {}
    return {name: TripleTermsUnsupported(get_format(name)).reason for name in NO_TRIPLE_TERMS}


def dataset_description(store: Reader, settings: Settings, **dates: str | None) -> list[ox.Quad]:
    """Return the VoID/DCAT description for `settings` (dates and version only when given).

    Dumps in a format that cannot hold the data are not offered as distributions.
    """
    return _described(store, settings, left_out_formats(store), **dates)


def _described(store: Reader, settings: Settings, left_out: dict[str, str], **dates: str | None) -> list[ox.Quad]:
    quads = void_quads(store, settings.base_iri, license=settings.license, publisher=settings.publisher, **dates)
    if not left_out:
        return quads
    site = site_root(settings.base_iri)
    gone = {ox.NamedNode(f"{site}dumps/{name}") for name, fmt, _ in dump_file_names() if fmt in left_out}
    return [q for q in quads if q.subject not in gone and q.object not in gone]


def live_void(store: Store, settings: Settings) -> list[ox.Quad]:
    """Describe the published state as served at `/.well-known/void`, with its creation and modification dates."""
    gen = store.require_current()
    history = store.history()
    created = next((h.when for h in history if h.action == "publish"), gen.published)
    return dataset_description(store.reader(), settings, created=created, modified=gen.published)


def write_dumps(
    store: Reader, settings: Settings, out: Path, left_out: dict[str, str] | None = None
) -> tuple[list[DumpFile], int]:
    """Write every dump format that can hold the data, plain and gzip-compressed, into `out`.

    :param left_out: the formats not to write, with why (default: :func:`left_out_formats`).
    :returns: the files written and the size of the VoID.
    """
    left_out = left_out_formats(store) if left_out is None else left_out
    void = _described(store, settings, left_out, graph=void_graph(settings.base_iri))
    prefixes = store_prefixes(settings.base_iri)
    files = []
    cache: dict[str, Any] = {}
    for name, fmt_name, gz in dump_file_names():
        if fmt_name in left_out:
            continue
        if fmt_name not in cache:
            cache[fmt_name] = dump_quads(store, fmt_name, prefixes, extra=void)
        dump = cache[fmt_name]
        body = dump.gzipped() if gz else dump.data
        write_atomic(out / name, body)
        files.append(
            DumpFile(
                name,
                fmt_name,
                dump.format.media_type,
                "gzip" if gz else None,
                len(body),
                hashlib.sha256(body).hexdigest(),
                dump.statements,
                dump.format.kind == "dataset",
            )
        )
    return files, len({q.triple for q in void})


def _union_count(store: Reader) -> int:
    return len({q.triple for q in store.quads_for_pattern(None, None, None, None)})


def dumps_dir(store: Store, generation: str) -> Path:
    """Return the folder holding one generation's dumps."""
    return store.path / "dumps" / generation


def ensure_dumps(store: Store, settings: Settings) -> tuple[Path, Manifest]:
    """Return the current generation's dump folder and manifest, writing them on first use.

    The folder is built under a temporary name and renamed into place, so a
    reader sees either no dumps or all of them.

    :raises NotPublished: when nothing is published.
    """
    gen = store.require_current()
    folder = dumps_dir(store, gen.id)
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        return folder, Manifest.from_dict(json.loads(manifest_path.read_text(encoding="utf-8")))
    with _LOCK:
        if manifest_path.exists():
            return folder, Manifest.from_dict(json.loads(manifest_path.read_text(encoding="utf-8")))
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.parent / f".tmp-{gen.id}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:  # a failure leaves no half-written folder behind
            manifest = write_manifest(store.reader(), settings, tmp, gen.id, gen.published)
            try:
                os.rename(tmp, folder)
            except OSError:
                if not folder.is_dir():
                    raise
                # another process published the same folder first
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if manifest.left_out:
            log.warning("Dumps of generation %s: %s", gen.id, describe_left_out(manifest.left_out))
        _prune_dumps(store)
    return folder, manifest


def describe_left_out(left_out: dict[str, str]) -> str:
    """Say in one sentence which dump files were left out and why.

    >>> describe_left_out({"x.jsonld": "JSON-LD cannot", "x.jsonld.gz": "JSON-LD cannot"})
    'left out x.jsonld and x.jsonld.gz: JSON-LD cannot.'
    """
    names = sorted(left_out)
    shown = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"left out {shown}: {'; '.join(sorted(set(left_out.values())))}."


def write_manifest(
    reader: Reader, settings: Settings, folder: Path, generation: str, published: str, **extra: Any
) -> Manifest:
    left = left_out_formats(reader)
    files, void_triples = write_dumps(reader, settings, folder, left)
    left_out = {name: left[fmt] for name, fmt, _ in dump_file_names() if fmt in left}
    manifest = Manifest(
        dataset_iri(settings.base_iri),
        generation,
        published,
        _union_count(reader),
        len(reader),
        void_triples,
        files,
        **extra,
        left_out=left_out,
    )
    write_atomic(folder / "manifest.json", (json.dumps(manifest.to_dict(), indent=2) + "\n").encode())
    return manifest


def _prune_dumps(store: Store) -> None:
    keep = set(store.generation_ids())
    root = store.path / "dumps"
    for child in root.iterdir():
        if child.is_dir() and not child.name.startswith(".") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)


def dump_media_type(name: str) -> str:
    """Return the media type to serve a dump file with (`application/gzip` for compressed files).

    A file whose name has no RDF suffix (a README a librarian added to a release folder) is served as bytes:

    >>> dump_media_type("visitgraph.nt"), dump_media_type("visitgraph.nt.gz"), dump_media_type("NOTES")
    ('application/n-triples', 'application/gzip', 'application/octet-stream')
    """
    if name.endswith(".gz"):
        return GZIP
    if "." not in name:
        return BYTES
    try:
        return get_format(name.rsplit(".", 1)[-1]).media_type
    except ValueError:
        return BYTES


def read_manifest(folder: Path) -> Manifest | None:
    """Read the manifest of a dump or release folder, or None when it has none."""
    path = folder / "manifest.json"
    if not path.exists():
        return None
    return Manifest.from_dict(json.loads(path.read_text(encoding="utf-8")))


def list_releases(out: Path) -> list[Manifest]:
    """List the releases in `out`, oldest first."""
    if not out.is_dir():
        return []
    found = [
        m
        for d in out.iterdir()
        if d.is_dir() and not d.name.startswith(".")
        if (m := read_manifest(d)) is not None and m.version
    ]
    return sorted(found, key=lambda m: (m.released or "", m.version or ""))


def default_version(out: Path, today: str) -> str:
    """Pick a version for a release made `today` (YYYY-MM-DD), adding `.2`, `.3`… when taken.

    >>> default_version(Path("/nonexistent"), "2026-01-02")
    '2026-01-02'
    """
    version, n = today, 1
    while (out / version).exists():
        n += 1
        version = f"{today}.{n}"
    return version
