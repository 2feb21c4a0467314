"""Dump folders, manifests and releases on a store written by hand (the mutation tool's `dumps` target).

What users rely on: every format is written plain and gzip-compressed, each manifest entry's size,
SHA-256, encoding, media type and statement count describe the bytes on disk (checked here with
hashlib, gzip and pyoxigraph's parser, not with the code that wrote them), quad formats keep the named
graphs, a dump folder appears whole and is written once, old generations' folders are pruned, and
releases are listed oldest first. The store has four quads: three distinct triples, one of them in two
graphs.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from conftest import settings_for
from visitgraph.core.config import Settings
from visitgraph.release.dumps import (
    DumpFile,
    Manifest,
    default_version,
    dump_media_type,
    ensure_dumps,
    list_releases,
    read_manifest,
    write_dumps,
    write_manifest,
)
from visitgraph.release.void import void_graph
from visitgraph.store.dump import dump_quads, store_prefixes

EX = "https://w3id.org/visitgraph/id/"
G1, G2 = ox.NamedNode(EX + "graph/one"), ox.NamedNode(EX + "graph/two")
NAME = ox.NamedNode("http://schema.org/name")
ANNA, BORIS = ox.NamedNode(EX + "person/anna"), ox.NamedNode(EX + "person/boris")
QUADS = [
    ox.Quad(ANNA, NAME, ox.Literal("Anna"), G1),
    ox.Quad(ANNA, NAME, ox.Literal("Anna"), G2),  # the same triple in a second graph
    ox.Quad(BORIS, NAME, ox.Literal("Boris"), G1),
    ox.Quad(BORIS, NAME, ox.Literal("Борис", language="ru"), G2),
]
#: The ten files, with the media type each is served with (from the format registrations, by hand).
FILES = {
    "visitgraph.ttl": ("ttl", "text/turtle", False),
    "visitgraph.nt": ("nt", "application/n-triples", False),
    "visitgraph.nq": ("nq", "application/n-quads", True),
    "visitgraph.trig": ("trig", "application/trig", True),
    "visitgraph.jsonld": ("jsonld", "application/ld+json", False),
}


def hand_store() -> ox.Store:
    store = ox.Store()
    store.extend(QUADS)
    return store


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path / "project")


def parsed(path: Path, fmt: ox.RdfFormat) -> list[Any]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return list(ox.parse(data, format=fmt))


def test_every_format_is_written_plain_and_compressed_as_the_manifest_says(settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    files, void_triples = write_dumps(hand_store(), settings, out)
    expected_names = [n for plain in FILES for n in (plain, plain + ".gz")]
    assert [f.name for f in files] == expected_names
    assert sorted(p.name for p in out.iterdir()) == sorted(expected_names)
    void_quads = [
        q for q in parsed(out / "visitgraph.nq", ox.RdfFormat.N_QUADS) if q.graph_name.value == void_graph(EX)
    ]
    assert void_triples == len(void_quads) > 0
    for f in files:
        body = (out / f.name).read_bytes()
        fmt, media_type, named = FILES[f.name.removesuffix(".gz")]
        gz = f.name.endswith(".gz")
        assert (f.format, f.media_type, f.named_graphs) == (fmt, media_type, named), f.name
        assert f.encoding == ("gzip" if gz else None), f.name
        assert f.size == len(body) and f.sha256 == hashlib.sha256(body).hexdigest(), f.name
        if gz:
            assert gzip.decompress(body) == (out / f.name.removesuffix(".gz")).read_bytes()
        # four data quads in quad formats; three distinct triples in triple formats; plus the description
        assert f.statements == (4 if named else 3) + void_triples, f.name
    nt = parsed(out / "visitgraph.nt", ox.RdfFormat.N_TRIPLES)
    assert len(nt) == 3 + void_triples
    trig = parsed(out / "visitgraph.trig.gz", ox.RdfFormat.TRIG)
    assert {q.graph_name for q in trig} == {G1, G2, ox.NamedNode(void_graph(EX))}


def test_the_manifest_counts_triples_and_quads_and_reads_back(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    manifest = write_manifest(hand_store(), settings, folder, "g000007", "2026-12-01T10:00:00Z", version="v1")
    on_disk = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert (on_disk["store_triples"], on_disk["store_quads"]) == (3, 4)
    assert (on_disk["generation"], on_disk["published"], on_disk["version"]) == (
        "g000007",
        "2026-12-01T10:00:00Z",
        "v1",
    )
    assert "released" not in on_disk and "previous" not in on_disk and "extra" not in on_disk  # unset: left out
    assert len(on_disk["files"]) == 10 and on_disk["files"][0]["name"] == "visitgraph.ttl"
    assert read_manifest(folder) == manifest
    assert manifest.file("visitgraph.nq.gz") is not None and manifest.file("visitgraph.nq.gz").encoding == "gzip"  # type: ignore[union-attr]
    assert manifest.file("visitgraph.rdf") is None
    assert read_manifest(tmp_path / "nothing-here") is None


def test_a_manifest_keeps_extra_fields_and_drops_only_unset_ones() -> None:
    entry = DumpFile("visitgraph.nt", "nt", "application/n-triples", None, 10, "ab", 2, False)
    manifest = Manifest("ds", "g1", "2026", 1, 1, 0, [entry], extra={"note": "x"})
    data = manifest.to_dict()
    assert data["extra"] == {"note": "x"} and data["files"][0]["encoding"] is None  # a file's None stays
    assert Manifest.from_dict(data) == manifest
    assert Manifest.from_dict({k: v for k, v in data.items() if k != "files"}).files == []


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("visitgraph.ttl", "text/turtle"),
        ("visitgraph.nq", "application/n-quads"),
        ("visitgraph.jsonld", "application/ld+json"),
        ("visitgraph.ttl.gz", "application/gzip"),
        ("visitgraph.trig.gz", "application/gzip"),
    ],
)
def test_dump_media_type(name: str, media_type: str) -> None:
    assert dump_media_type(name) == media_type


def release(out: Path, folder: str, version: str | None, released: str | None) -> None:
    (out / folder).mkdir(parents=True)
    m = Manifest("ds", "g1", "2026", 1, 1, 0, [], version=version, released=released)
    (out / folder / "manifest.json").write_text(json.dumps(m.to_dict()), encoding="utf-8")


def test_releases_are_listed_oldest_first(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    assert list_releases(out) == []
    release(out, "b", "2026-02-01", "2026-02-01T09:00:00Z")
    release(out, "a", "2026-03-01", "2026-03-01T09:00:00Z")
    release(out, "c", "2026-02-01.2", "2026-02-01T09:00:00Z")  # same moment: by version
    release(out, "no-version", None, "2026-01-01T00:00:00Z")  # a dump folder, not a release
    release(out, ".tmp-d", "2025-01-01", "2025-01-01T00:00:00Z")  # half-written
    (out / "empty").mkdir()
    (out / "README").write_text("not a folder", encoding="utf-8")
    assert [m.version for m in list_releases(out)] == ["2026-02-01", "2026-02-01.2", "2026-03-01"]


def test_default_version_counts_up_from_two(tmp_path: Path) -> None:
    assert default_version(tmp_path, "2026-12-05") == "2026-12-05"
    (tmp_path / "2026-12-05").mkdir()
    assert default_version(tmp_path, "2026-12-05") == "2026-12-05.2"
    (tmp_path / "2026-12-05.2").mkdir()
    assert default_version(tmp_path, "2026-12-05") == "2026-12-05.3"


@dataclass
class Gen:
    id: str
    published: str


class FakeStore:
    """What ensure_dumps needs of a store: its folder, the current generation, a reader, the generations kept."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.reads = 0

    def require_current(self) -> Gen:
        return Gen("g000002", "2026-12-02T00:00:00Z")

    def reader(self) -> ox.Store:
        self.reads += 1
        return hand_store()

    def generation_ids(self) -> list[str]:
        return ["g000001", "g000002"]


def test_dumps_are_written_once_whole_and_old_folders_pruned(settings: Settings, tmp_path: Path) -> None:
    store = FakeStore(tmp_path / "store")
    dumps = store.path / "dumps"
    for old in ("g000000", "g000001", ".tmp-g000009-1"):
        (dumps / old).mkdir(parents=True)
    (dumps / "notes.txt").write_text("kept", encoding="utf-8")
    folder, manifest = ensure_dumps(store, settings)  # type: ignore[arg-type]
    assert folder == dumps / "g000002" and store.reads == 1
    assert (manifest.generation, manifest.store_triples, manifest.store_quads) == ("g000002", 3, 4)
    assert sorted(p.name for p in folder.iterdir()) == sorted([*FILES, *(n + ".gz" for n in FILES), "manifest.json"])
    # the generation no longer kept is gone; kept ones, half-written folders and files stay
    assert sorted(p.name for p in dumps.iterdir()) == [".tmp-g000009-1", "g000001", "g000002", "notes.txt"]
    again_folder, again = ensure_dumps(store, settings)  # type: ignore[arg-type]
    assert (again_folder, again, store.reads) == (folder, manifest, 1)  # read back, not written again


def test_releases_made_at_one_moment_are_ordered_by_version(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    versions = ["2026-05-01.3", "2026-05-01", "2026-05-01.5", "2026-05-01.2", "2026-05-01.4"]
    for i, version in enumerate(versions):
        release(out, f"r{i}", version, "2026-05-01T12:00:00Z")
    assert [m.version for m in list_releases(out)] == sorted(versions)


def test_releases_are_ordered_by_date_not_by_name(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    release(out, "x", "zeta", "2026-01-01T00:00:00Z")
    release(out, "y", "alpha", "2026-03-01T00:00:00Z")
    release(out, "z", "mid", "2026-02-01T00:00:00Z")
    assert [m.version for m in list_releases(out)] == ["zeta", "mid", "alpha"]


def test_a_dump_folder_published_first_by_another_process_is_kept(settings: Settings, tmp_path: Path) -> None:
    """Two processes write the same generation's dumps: the second rename fails, its copy is dropped."""
    store = FakeStore(tmp_path / "store")
    theirs = store.path / "dumps" / "g000002"
    theirs.mkdir(parents=True)
    (theirs / "visitgraph.ttl").write_text("their complete copy\n", encoding="utf-8")  # renamed in, manifest next
    folder, manifest = ensure_dumps(store, settings)  # type: ignore[arg-type]
    assert folder == theirs and manifest.generation == "g000002"
    assert (theirs / "visitgraph.ttl").read_text(encoding="utf-8") == "their complete copy\n"  # untouched
    assert sorted(p.name for p in theirs.parent.iterdir()) == ["g000002"]  # our temporary copy is gone


def test_dump_prefixes_name_each_kind_and_org_for_organisations() -> None:
    prefixes = store_prefixes(EX)
    assert prefixes["org"] == EX + "organization/" and "organization" not in prefixes
    for kind in ("visit", "person", "topic", "gift", "agreement", "source", "scheme"):
        assert prefixes[kind] == f"{EX}{kind}/"


def test_blank_nodes_are_named_by_a_hash_of_what_is_said_about_them() -> None:
    """Two addresses saying the same thing stay two nodes; their labels follow the documented rule (SHA-256 of
    the sorted lines mentioning the node, itself as _:SELF, first 24 hex digits; a repeat gets `x2`), so a
    release made by another version of the code names them alike and its changelog shows no false change."""
    s, address, country = (
        ox.NamedNode(EX + "organization/a"),
        ox.NamedNode("http://schema.org/address"),
        ox.NamedNode("http://schema.org/addressCountry"),
    )
    one, two = ox.BlankNode(), ox.BlankNode()
    store = ox.Store()
    store.extend(
        [
            ox.Quad(s, address, one),
            ox.Quad(one, country, ox.Literal("LT")),
            ox.Quad(s, address, two),
            ox.Quad(two, country, ox.Literal("LT")),
        ]
    )
    body = dump_quads(store, "nt").data
    triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == 4 and len({t.object for t in triples if t.predicate == address}) == 2
    signature = "\n".join(
        sorted(
            [
                f" <{EX}organization/a> <http://schema.org/address> _:SELF",
                ' _:SELF <http://schema.org/addressCountry> "LT"',
            ]
        )
    )
    digest = hashlib.sha256(signature.encode()).hexdigest()[:24]
    labels = {t.object.value for t in triples if t.predicate == address}
    assert labels == {f"b{digest}", f"b{digest}x2"}


def test_turtle_and_trig_dumps_use_the_prefixes() -> None:
    store = hand_store()
    for fmt in ("ttl", "trig"):
        data = dump_quads(store, fmt, store_prefixes(EX)).data
        assert b"@prefix person: <" + EX.encode() + b"person/>" in data and b"person:anna" in data, fmt


def test_compressed_dumps_carry_no_timestamp_and_say_maximum_compression(settings: Settings, tmp_path: Path) -> None:
    """Read each `.gz` file's header as RFC 1952 (section 2.3.1) lays it out, not through the writer:
    ID1 ID2 = 1f 8b, CM = 8 (deflate), MTIME (bytes 4-7, little-endian) = 0, "no time stamp is
    available", so `gzip -N` restores no 1970 date and a rebuild gives the same bytes whenever it runs;
    XFL = 2, "compressor used maximum compression" (the smallest download)."""
    out = tmp_path / "out"
    out.mkdir()
    files, _ = write_dumps(hand_store(), settings, out)
    compressed = [f.name for f in files if f.name.endswith(".gz")]
    assert len(compressed) == len(FILES)
    for name in compressed:
        header = (out / name).read_bytes()[:10]
        assert header[:3] == b"\x1f\x8b\x08", name
        assert int.from_bytes(header[4:8], "little") == 0, name
        assert header[8] == 2, name
