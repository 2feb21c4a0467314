"""The shapes reject exactly what the invalid fixtures' headers say, and nothing in the valid data.

Each `tests/data/invalid/*.ttl` is validated on top of `tests/data/mini/` against
`shapes/visitgraph-shapes.ttl`; its `# expect:` and `# also:` lines (written by hand) are the complete
set of Violations it must produce. Each `tests/data/advisory/*.ttl` produces no Violation, and its
`# warn:` lines are the complete set of Warnings it adds to those of the mini data (advice to a
curator must reach every node it is written for). This file is fast (no store, no build), so the shape mutation
script (tools/mutation_shapes.py) runs it against every mutated shapes file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from conftest import ROOT, TEST_DATA, copy_project, settings_for
from visitgraph.core.config import Settings
from visitgraph.sources.load import discover_sources, parse_rdf, read_source
from visitgraph.sources.validate import load_shapes, validate_quads

INVALID = sorted((TEST_DATA / "invalid").glob("*.ttl"))
ADVISORY = sorted((TEST_DATA / "advisory").glob("*.ttl"))
# The shape mutation script points this at a mutated copy of the shapes folder.
SHAPES_DIR = Path(os.environ.get("SHAPES_UNDER_TEST", ROOT / "shapes"))


def headers(path: Path, kinds: str = "expect|also") -> set[tuple[str, str]]:
    """Read every `# expect:` / `# also:` line (or those of `kinds`) of a fixture as (shape IRI, relative focus)."""
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(rf"#\s*({kinds}):\s*(\S+)\s+(\S+)", line)
        if m:
            out.add((m.group(2), m.group(3)))
    assert out, f"{path.name} has no '# {kinds.split('|')[0]}:' line"
    return out


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, list[ox.Quad]]:
    settings = settings_for(copy_project(tmp_path_factory.mktemp("shapes") / "mini", TEST_DATA / "mini"))
    return settings, [q for s in discover_sources(settings) for q in read_source(settings, s)]


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return load_shapes(sorted(SHAPES_DIR.glob("*.ttl")))


def violations(
    settings: Settings, quads: list[ox.Quad], shapes: rdflib.Graph, severity: str = "violations"
) -> set[tuple[str, str]]:
    report = validate_quads(quads, shapes, base=settings.base_iri)
    base = settings.base_iri
    found = getattr(report, severity)
    return {(r.shape or "", r.focus[len(base) :] if r.focus.startswith(base) else r.focus) for r in found}


def fixture_quads(settings: Settings, fixture: Path) -> list[ox.Quad]:
    return parse_rdf(
        fixture,
        base_iri=settings.base_iri,
        name=fixture.name,
        rdf_format=ox.RdfFormat.TURTLE,
        graph=settings.base_iri + "graph/data/" + fixture.name,
    )


def test_mini_conforms(mini: tuple[Settings, list[ox.Quad]], shapes: rdflib.Graph) -> None:
    settings, quads = mini
    assert violations(settings, quads, shapes) == set()


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_fixture_violates_exactly_its_headers(
    fixture: Path, mini: tuple[Settings, list[ox.Quad]], shapes: rdflib.Graph
) -> None:
    settings, quads = mini
    extra = fixture_quads(settings, fixture)
    assert violations(settings, quads + extra, shapes) == headers(fixture)


@pytest.mark.parametrize("fixture", ADVISORY, ids=[p.stem for p in ADVISORY])
def test_advisory_fixture_warns_exactly_its_headers(
    fixture: Path, mini: tuple[Settings, list[ox.Quad]], shapes: rdflib.Graph
) -> None:
    settings, quads = mini
    extra = fixture_quads(settings, fixture)
    assert violations(settings, quads + extra, shapes) == set()  # advice never blocks a build
    before = violations(settings, quads, shapes, "warnings")
    assert violations(settings, quads + extra, shapes, "warnings") - before == headers(fixture, "warn")


def test_every_privacy_property_is_refused_on_every_kind_of_node(
    mini: tuple[Settings, list[ox.Quad]], shapes: rdflib.Graph
) -> None:
    """Contact data on a person, an organisation, a postal address, a gift item, a visit or an untyped node."""
    settings, quads = mini
    base = settings.base_iri
    props = {
        "PrivacySchemaEmail": "http://schema.org/email",
        "PrivacySchemaTelephone": "http://schema.org/telephone",
        "PrivacySchemaFaxNumber": "http://schema.org/faxNumber",
        "PrivacySchemaBirthDate": "http://schema.org/birthDate",
        "PrivacySchemaBirthPlace": "http://schema.org/birthPlace",
        "PrivacySchemaHomeLocation": "http://schema.org/homeLocation",
        "PrivacyVcardHasEmail": "http://www.w3.org/2006/vcard/ns#hasEmail",
        "PrivacyVcardHasTelephone": "http://www.w3.org/2006/vcard/ns#hasTelephone",
        "PrivacyFoafMbox": "http://xmlns.com/foaf/0.1/mbox",
        "PrivacyFoafPhone": "http://xmlns.com/foaf/0.1/phone",
    }
    nodes = [
        "person/svetlana-gorokhova",
        "organization/ipr-books",
        "visit/2020-01-24-rudomino-ipr-books",
        "gift/2020-01-24-rudomino-ipr-books-2-item",
        "thing/nothing-known",
    ]
    graph = ox.NamedNode(base + "graph/data/extra.ttl")
    for shape, prop in props.items():
        for node in nodes:
            extra = [ox.Quad(ox.NamedNode(base + node), ox.NamedNode(prop), ox.Literal("x"), graph)]
            assert (f"https://w3id.org/visitgraph/shapes#{shape}", node) in violations(
                settings, quads + extra, shapes
            ), (shape, node)
