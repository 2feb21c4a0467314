"""The questions the graph must answer, asked in plain SPARQL with profile terms only (no inference)."""

from __future__ import annotations

from collections import Counter

from visitgraph.sparql.engine import run_query
from visitgraph.store.embedded import EmbeddedStore

PREFIXES = """
PREFIX schema: <http://schema.org/>
PREFIX vg: <https://w3id.org/visitgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
BASE = "https://w3id.org/visitgraph/id/"
LIBRARY = f"<{BASE}organization/presidential-library>"


def select(store: EmbeddedStore, query: str) -> list[dict[str, str]]:
    result = run_query(store.reader(), PREFIXES + query)
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]  # type: ignore[union-attr]


def test_competency_thirty_visits_each_with_one_date(repo_store: EmbeddedStore) -> None:
    rows = select(
        repo_store,
        "SELECT ?v (COUNT(?d) AS ?n) WHERE { ?v a vg:Visit , schema:Event ; "
        "schema:startDate ?d FILTER(DATATYPE(?d) = xsd:date) } GROUP BY ?v",
    )
    assert len(rows) == 30 and {r["n"] for r in rows} == {"1"}


def test_competency_visits_per_year(repo_store: EmbeddedStore) -> None:
    rows = select(
        repo_store,
        """SELECT ?year (COUNT(?v) AS ?n) WHERE {
        ?v a vg:Visit ; schema:startDate ?d BIND(YEAR(?d) AS ?year) } GROUP BY ?year ORDER BY ?year""",
    )
    assert {int(r["year"]): int(r["n"]) for r in rows} == {
        2006: 1,
        2007: 2,
        2008: 2,
        2011: 2,
        2012: 4,
        2013: 4,
        2014: 2,
        2015: 2,
        2016: 2,
        2017: 2,
        2018: 3,
        2019: 3,
        2020: 1,
    }


def test_competency_repeat_visiting_institutions(repo_store: EmbeddedStore) -> None:
    rows = select(
        repo_store,
        f"""SELECT ?org (COUNT(DISTINCT ?v) AS ?n) WHERE {{
        ?v a vg:Visit ; schema:attendee ?a .
        {{ ?a a schema:Person ; schema:affiliation ?org }} UNION {{ ?a a schema:Organization BIND(?a AS ?org) }}
        FILTER (?org != {LIBRARY})
    }} GROUP BY ?org HAVING (COUNT(DISTINCT ?v) > 1)""",
    )
    assert {r["org"].removeprefix(BASE + "organization/"): int(r["n"]) for r in rows} == {
        "rudomino-library": 2,
        "oclc": 2,
        "kazakhstan-first-president-library": 2,
        "ifla": 2,
    }


def test_competency_people_from_oclc(repo_store: EmbeddedStore) -> None:
    rows = select(
        repo_store,
        f"""SELECT ?name WHERE {{
        ?p a schema:Person ; schema:name ?name ; schema:affiliation <{BASE}organization/oclc> }}""",
    )
    assert sorted(r["name"] for r in rows) == ["Catherine Fureti", "Reyn van Haldropin", "Sezen Tan", "Sinan Tan"]


def test_competency_gifts_received_by_the_library(repo_store: EmbeddedStore) -> None:
    rows = select(
        repo_store,
        f"""SELECT DISTINCT ?date WHERE {{
        ?v vg:gift ?g ; schema:startDate ?date . ?g schema:recipient ?r .
        ?r schema:affiliation? {LIBRARY} }}""",
    )
    assert sorted(r["date"] for r in rows) == ["2008-03-18", "2015-05-15", "2017-04-14", "2020-01-24"]


def test_competency_gifts_given_by_the_library(repo_store: EmbeddedStore) -> None:
    rows = select(
        repo_store,
        f"""SELECT ?date ?item WHERE {{
        ?v vg:gift ?g ; schema:startDate ?date . ?g schema:agent ?a ; schema:object ?o .
        ?a schema:affiliation? {LIBRARY} .
        OPTIONAL {{ ?o schema:name ?n }} OPTIONAL {{ ?o schema:description ?d }} BIND(COALESCE(?n, ?d) AS ?item) }}""",
    )
    by_date = Counter(r["date"] for r in rows)
    assert by_date == {"2020-01-24": 2, "2019-05-06": 1, "2018-03-19": 1, "2016-10-18": 1}
    assert {"Carpets of Azerbaijan", "Kelaghayi"} <= {r["item"] for r in rows}


def test_competency_signed_memorandum(repo_store: EmbeddedStore) -> None:
    rows = select(
        repo_store,
        """SELECT ?v ?date ?name WHERE {
        ?v vg:outcome ?a ; schema:startDate ?date . ?a a vg:Agreement ; vg:signed true ; schema:name ?name }""",
    )
    assert [r["date"] for r in rows] == ["2013-09-25"]
    assert "memorandum" in rows[0]["name"].lower()


def test_competency_unsigned_agreements(repo_store: EmbeddedStore) -> None:
    rows = select(
        repo_store,
        """SELECT DISTINCT ?date WHERE {
        ?v vg:outcome ?a ; schema:startDate ?date . ?a vg:signed false }""",
    )
    assert sorted(r["date"] for r in rows) == ["2014-06-12", "2014-06-13", "2019-06-25"]


def test_competency_inferred_dates_have_notes(repo_store: EmbeddedStore) -> None:
    rows = select(
        repo_store,
        """SELECT ?date ?note WHERE {
        ?v vg:yearInferred true ; schema:startDate ?date ; vg:dateNote ?note }""",
    )
    assert sorted(r["date"] for r in rows) == ["2012-11-05", "2012-12-03", "2018-02-28"]
    assert all(len(r["note"]) > 20 for r in rows)


def test_competency_director_is_one_node_with_both_spellings(repo_store: EmbeddedStore) -> None:
    rows = select(
        repo_store,
        """SELECT ?p WHERE { ?p a schema:Person ; schema:name|schema:alternateName ?n
        FILTER (?n IN ("Mayil Ahmadov", "Mayil Ahmedov")) }""",
    )
    assert len({r["p"] for r in rows}) == 1 and len(rows) == 2


def test_competency_rudomino_is_one_node_with_both_spellings(repo_store: EmbeddedStore) -> None:
    rows = select(
        repo_store,
        """SELECT DISTINCT ?o WHERE { ?o a schema:Organization ;
        schema:name|schema:alternateName ?n FILTER (CONTAINS(?n, "All-Russia") && CONTAINS(?n, "Rudomino")) }""",
    )
    assert len(rows) == 1


def test_competency_source_text_is_verbatim(repo_store: EmbeddedStore) -> None:
    from conftest import ROOT

    paragraphs = {
        p.strip()
        for p in (ROOT / "data/source/presidential-library-visits.txt").read_text(encoding="utf-8").split("\n\n")
        if p.strip()
    }
    rows = select(repo_store, "SELECT ?t WHERE { ?v a vg:Visit ; vg:sourceText ?t ; prov:wasDerivedFrom ?src }")
    assert len(paragraphs) == 30
    assert {r["t"] for r in rows} == paragraphs
