"""The repository's own ontology, data and shapes: they parse, conform, and every class has a shape."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest
import rdflib

from conftest import ROOT
from visitgraph.core import vocab
from visitgraph.core.config import load_settings
from visitgraph.publish.pipeline import check
from visitgraph.sources.load import discover_sources, read_source
from visitgraph.sources.validate import load_shapes, shapes_files

SETTINGS = load_settings(ROOT, environ={})
SOURCES = discover_sources(SETTINGS)


@pytest.mark.parametrize("source", SOURCES, ids=[s.relpath for s in SOURCES])
def test_repo_file_parses(source: object) -> None:
    quads = read_source(SETTINGS, source)  # type: ignore[arg-type]
    assert quads or source.relpath == "data/retired.ttl"  # type: ignore[attr-defined]  # no retirement yet


def test_repo_has_thirty_visit_files() -> None:
    assert len(list((ROOT / "data" / "visits").glob("*.ttl"))) == 30


def test_repo_data_conforms() -> None:
    report = check(SETTINGS)
    assert report.conforms, report.to_text()


def test_repo_every_data_class_has_a_shape() -> None:
    shapes = load_shapes(shapes_files(ROOT))
    targeted = {str(o) for o in shapes.objects(None, rdflib.URIRef(vocab.SH + "targetClass"))}
    classes = set()
    for source in SOURCES:
        if source.kind != "data":
            continue
        for q in read_source(SETTINGS, source):
            if q.predicate.value == vocab.RDF_TYPE and isinstance(q.object, ox.NamedNode):
                classes.add(q.object.value)
    covered_by_kind = {
        vocab.SCHEMA + "Event",
        vocab.SCHEMA + "GiveAction",
        vocab.SCHEMA + "Library",
        vocab.SCHEMA + "PostalAddress",
        vocab.SCHEMA + "CreativeWork",
        vocab.SCHEMA + "Product",
        vocab.PROV + "Entity",
        vocab.SCHEMA + "Thing",
    }
    missing = classes - targeted - covered_by_kind
    assert not missing, f"classes used in data/ with no shape: {sorted(missing)}"


def test_repo_ontology_terms_documented() -> None:
    g = rdflib.Graph().parse(ROOT / "ontology" / "visitgraph.ttl")
    terms = {s for s in g.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(vocab.VG)}
    assert terms
    for term in terms:
        for prop in (rdflib.RDFS.label, rdflib.RDFS.comment):
            assert g.value(term, prop) is not None, f"{term} lacks {prop}"
    ontology = rdflib.URIRef(vocab.VG_ONTOLOGY)
    for prop in (
        rdflib.OWL.versionIRI,
        rdflib.OWL.versionInfo,
        rdflib.URIRef(vocab.DCTERMS + "license"),
        rdflib.URIRef(vocab.DCTERMS + "creator"),
    ):
        assert g.value(ontology, prop) is not None, f"ontology lacks {prop}"


def test_repo_source_text_copied_verbatim() -> None:
    """The local copy of the source text is byte-for-byte the seed file: its SHA-256, recorded when the
    copy was checked against ../shared/seed, is committed beside it (so this runs on every clone)."""
    copy = ROOT / "data" / "source" / "presidential-library-visits.txt"
    recorded, name = (ROOT / "data" / "source" / "presidential-library-visits.txt.sha256").read_text().split()
    assert name == copy.name
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == recorded
    shared = ROOT.parent / "shared" / "seed"
    for original in shared.glob("*.txt") if shared.is_dir() else []:  # beside a checkout: the seed agrees too
        assert hashlib.sha256(original.read_bytes()).hexdigest() == recorded, original
