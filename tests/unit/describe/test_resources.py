"""Resource descriptions and page models, on the real data."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.core.errors import BadParameter
from visitgraph.describe.browse import home_page, list_page, page_number, timeline
from visitgraph.describe.ontology_doc import ontology_doc
from visitgraph.describe.pagemodels import (
    OrganizationPage,
    PersonPage,
    TopicPage,
    VisitPage,
    country_page,
    page_for,
    schema_jsonld,
)
from visitgraph.describe.resources import describe_resource, href_for, resource_quads, suggest
from visitgraph.store.embedded import EmbeddedStore

S = vocab.SCHEMA


@pytest.fixture(scope="module")
def reader(repo_store: EmbeddedStore) -> object:
    return repo_store.reader()


@pytest.fixture(scope="module")
def base(repo_settings: Settings) -> str:
    return repo_settings.base_iri


def test_describe_resource_unknown_is_none(reader: object, base: str) -> None:
    assert describe_resource(reader, base + "person/nobody-at-all", base) is None


def test_describe_resource_labels_links_and_incoming(reader: object, base: str) -> None:
    view = describe_resource(reader, base + "person/mayil-ahmadov", base)
    assert view is not None and view.label == "Mayil Ahmadov" and view.kind == "person"
    assert view.path == "/id/person/mayil-ahmadov"
    affiliation = view.first(S + "affiliation")
    assert affiliation is not None and affiliation.href == "/id/organization/presidential-library"
    assert affiliation.label.startswith("Presidential Library")
    hosted = view.subjects(S + "contributor")
    assert hosted and all(t.href and t.href.startswith("/id/visit/") for t in hosted)
    assert [p.predicate.value for p in view.properties][0] == vocab.RDF_TYPE


def test_describe_resource_nests_blank_nodes(reader: object, base: str) -> None:
    view = describe_resource(reader, base + "organization/rudomino-library", base)
    assert view is not None
    address = view.first(S + "address")
    assert address is not None and address.kind == "bnode"
    assert any(v.value == "RU" for p in address.nested for v in p.values)


def test_resource_quads_hold_own_incoming_and_labels(reader: object, base: str) -> None:
    iri = base + "person/mayil-ahmadov"
    quads = resource_quads(reader, iri)
    triples = {q.triple for q in quads}
    own = {q.triple for q in reader.quads_for_pattern(ox.NamedNode(iri), None, None, None)}  # type: ignore[attr-defined]
    assert own <= triples
    library = ox.NamedNode(base + "organization/presidential-library")
    assert any(t.subject == library and t.predicate.value == S + "name" for t in triples)
    assert any(t.object == ox.NamedNode(iri) and t.predicate.value == S + "contributor" for t in triples)
    assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)


def test_resource_quads_include_blank_node_closure(reader: object, base: str) -> None:
    triples = {q.triple for q in resource_quads(reader, base + "organization/rudomino-library")}
    assert any(t.predicate.value == S + "addressCountry" and t.object.value == "RU" for t in triples)


def _long_and_deep() -> ox.Store:
    """A list of 10,000 items (a chain of 10,000 blank nodes) and blank nodes nested 5,000 deep, through names too."""
    cells = " ".join(f'"item {i}"' for i in range(10_000))
    nested = "".join(f"[ <{S}name> " for _ in range(5_000)) + '"bottom"' + " ]" * 5_000
    store = ox.Store()
    text = f"<http://e/list> <{S}itemListElement> ( {cells} ) .\n<http://e/deep> <{S}name> {nested} .\n"
    store.load(input=text.encode(), format=ox.RdfFormat.TURTLE)
    return store


def test_resource_quads_of_a_long_list_and_deep_blank_nodes_hold_every_node() -> None:
    store = _long_and_deep()
    assert len(resource_quads(store, "http://e/list")) == 1 + 2 * 10_000
    assert len(resource_quads(store, "http://e/deep")) == 5_000 + 1


def test_schema_jsonld_follows_a_chain_of_names_to_a_bounded_depth() -> None:
    found = schema_jsonld(_long_and_deep(), "http://e/deep")
    depth = 0
    while isinstance(found, dict) and "name" in found:
        found, depth = found["name"], depth + 1
    assert found == {} and depth == 17  # the resource's own name, then MAX_JSONLD_DEPTH blank nodes


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        ("https://w3id.org/visitgraph/id/visit/x", "/id/visit/x"),
        ("https://w3id.org/visitgraph/ontology#gift", "/ontology#gift"),
        ("https://w3id.org/visitgraph/ontology", "/ontology"),
        ("http://schema.org/Event", "http://schema.org/Event"),
    ],
)
def test_href_for_maps_local_and_external(iri: str, expected: str) -> None:
    assert href_for(iri, "https://w3id.org/visitgraph/id/") == expected


def test_visit_page_model(reader: object, base: str) -> None:
    found = page_for(reader, base + "visit/2020-01-24-rudomino-ipr-books", base)
    assert found is not None
    model = found[1]
    assert isinstance(model, VisitPage)
    assert model.date == "2020-01-24" and model.date_label == "24 January 2020" and not model.year_inferred
    assert model.source_text and model.source_text.startswith("On January 24, 2020")
    names = [p.who.label for p in model.visitors]
    assert names == sorted(names, key=str.casefold) and "Svetlana Gorokhova" in names
    gorokhova = next(p for p in model.visitors if p.who.label == "Svetlana Gorokhova")
    assert gorokhova.role == "Director of International Activities"
    assert [i.label for i in gorokhova.institutions] == [
        "All-Russia State Library for Foreign Literature named after M. I. Rudomino"
    ]
    assert {g.to_guests for g in model.gifts} == {True, False}
    assert model.gifts[0].to_guests, "gifts to the guests come first"
    assert any(item.name == "Carpets of Azerbaijan" for g in model.gifts for item in g.items)
    assert len(model.topics) == 6 and model.host_institutions


def test_visit_page_inferred_date(reader: object, base: str) -> None:
    found = page_for(reader, base + "visit/2012-11-05-igf-participants", base)
    assert found is not None and isinstance(found[1], VisitPage)
    assert found[1].year_inferred and found[1].date_note and "no year" in found[1].date_note


def test_visit_page_host_contributor(reader: object, base: str) -> None:
    found = page_for(reader, base + "visit/2018-02-28-graham-wilson", base)
    assert found is not None and isinstance(found[1], VisitPage)
    assert [h.who.label for h in found[1].hosts] == ["Mayil Ahmadov"]


def test_person_page_model(reader: object, base: str) -> None:
    found = page_for(reader, base + "person/svetlana-gorokhova", base)
    assert found is not None and isinstance(found[1], PersonPage)
    assert [v.date for v in found[1].visits] == ["2020-01-24"] and found[1].job_titles


def test_organization_page_visits_over_time(reader: object, base: str) -> None:
    found = page_for(reader, base + "organization/presidential-library", base)
    assert found is not None and isinstance(found[1], OrganizationPage)
    model = found[1]
    assert model.hosted_count == 30 and model.countries == [("AZ", "Azerbaijan")]
    years = [y for y, _ in model.hosted_by_year]
    assert years == sorted(years)
    guest = page_for(reader, base + "organization/rudomino-library", base)
    assert guest is not None and isinstance(guest[1], OrganizationPage) and guest[1].visit_count >= 1


def test_topic_page_model(reader: object, base: str) -> None:
    found = page_for(reader, base + "topic/library-automation", base)
    assert found is not None and isinstance(found[1], TopicPage)
    assert found[1].visits and found[1].broader


def test_country_page_model(reader: object, base: str) -> None:
    page = country_page(reader, "tr", base)
    assert page is not None and page.code == "TR" and page.organizations and page.visits
    assert country_page(reader, "ZZ", base) is None and country_page(reader, "../x", base) is None


def test_schema_jsonld_statements_are_in_the_store(reader: object, base: str) -> None:
    doc = schema_jsonld(reader, base + "visit/2020-01-24-rudomino-ipr-books")
    import json

    parsed = list(ox.parse(json.dumps(doc).encode(), format=ox.RdfFormat.JSON_LD))
    assert any(q.predicate.value == S + "startDate" for q in parsed)
    for q in parsed:
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode):
            assert next(iter(reader.quads_for_pattern(q.subject, q.predicate, q.object, None)), None)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "per_page"), [("visits", 7), ("people", 10), ("organizations", 5), ("topics", 4), ("countries", 3)]
)
def test_list_pages_partition_the_items(reader: object, base: str, name: str, per_page: int) -> None:
    first = list_page(reader, base, name, 1, per_page)
    seen = [i.term.value for p in range(1, first.pages + 1) for i in list_page(reader, base, name, p, per_page).items]
    assert len(seen) == len(set(seen)) == first.total
    assert first.prev_page is None and (first.next_page == 2 or first.pages == 1)


def test_list_page_past_the_end_is_bad_parameter(reader: object, base: str) -> None:
    with pytest.raises(BadParameter):
        list_page(reader, base, "visits", 99)


@pytest.mark.parametrize("raw", ["0", "-1", "two"])
def test_page_number_rejects_bad_values(raw: str) -> None:
    with pytest.raises(BadParameter):
        page_number(raw)


def test_timeline_fills_gaps_and_scales() -> None:
    t = timeline({"2006": 1, "2008": 4})
    assert [b.year for b in t.bars] == ["2006", "2007", "2008"]
    tallest = max(t.bars, key=lambda b: b.height)
    assert tallest.year == "2008" and tallest.y + tallest.height == t.baseline
    assert t.bars[1].height == 0


def test_home_page_counts(reader: object, base: str) -> None:
    home = home_page(reader, base)
    assert home.counts["visits"] == 30 and home.first_year == "2006" and home.last_year == "2020"
    assert home.latest[0].date >= home.latest[-1].date


def test_ontology_doc_covers_terms(reader: object, base: str) -> None:
    doc = ontology_doc(reader, base)
    assert doc is not None
    assert {c.name for c in doc.classes} >= {"Visit", "Gift", "Agreement"}
    source_text = next(p for p in doc.properties if p.name == "sourceText")
    assert [t.value for t in source_text.sub_property_of] == [S + "description"]
    assert [t.value for t in source_text.domain] == [vocab.VG + "Visit"]


def test_suggest_finds_near_slugs(reader: object, base: str) -> None:
    hints = suggest(reader, base, "person", "ahmadov-mayil")
    assert hints and hints[0].value == base + "person/mayil-ahmadov"
