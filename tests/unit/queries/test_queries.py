"""Saved queries: header parsing, typed binding, every query against the real data, RDF description, CLI."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import generated_store
from visitgraph.core.config import Settings
from visitgraph.core.errors import BadParameter, DataSyntaxError, QueryNotFound
from visitgraph.queries.catalog import (
    bind_parameters,
    copyable_sparql,
    discover_queries,
    get_query,
    page_limits,
    paged_sparql,
    query_choices,
    query_description_quads,
    run_saved_query,
    saved_query_catalogue_triples,
)
from visitgraph.queries.savedquery import Param, SavedQuery, bind_value, parse_param, parse_saved_query
from visitgraph.sparql.engine import run_query
from visitgraph.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parents[3]
BASE = "https://w3id.org/visitgraph/id/"
QUERIES = discover_queries(ROOT)
NAMES = [q.name for q in QUERIES]


def run(
    store: EmbeddedStore, name: str, params: dict[str, str] | None = None, limit: int = 500, offset: int = 0
) -> list[dict[str, str]]:
    page = run_saved_query(store.reader(), get_query(ROOT, name), params or {}, limit, offset, base_iri=BASE)
    return [{k: v.removeprefix(BASE) for k, v in r.items()} for r in page.records()]


# --- header parsing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("year xsd:gYear", Param("year", "xsd:gYear")),
        (
            "year xsd:gYear required default=2013 — The year.",
            Param("year", "xsd:gYear", True, "2013", help="The year."),
        ),
        (
            "p iri:schema:Person example=person/x -- Who.",
            Param("p", "iri:schema:Person", example="person/x", help="Who."),
        ),
        ('t xsd:string default="two words" label="Text"', Param("t", "xsd:string", default="two words", label="Text")),
        ("d xsd:string choices=received|given", Param("d", "xsd:string", choices=("received", "given"))),
        ("n xsd:integer min=1 max=9", Param("n", "xsd:integer", minimum=1, maximum=9)),
        ("c country choices-query=visits-per-country", Param("c", "country", choices_query="visits-per-country")),
    ],
)
def test_parse_param_valid_header(text: str, expected: Param) -> None:
    assert parse_param(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("year", "param: <name> <type>"),
        ("year xsd:float", "unknown type"),
        ("p iri:nope:Person", "unknown prefix"),
        ("limit xsd:integer", "bad parameter name"),
        ("year xsd:gYear sometimes", "unknown option"),
    ],
)
def test_parse_param_bad_header_explains(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_param(text)


def test_parse_saved_query_reads_header_and_body() -> None:
    q = parse_saved_query(
        "# title: T\n# description: one\n# description: two\n# param: y xsd:gYear\n"
        "# hide_sql: true\nSELECT ?y WHERE { }\n",
        Path("queries/x.rq"),
    )
    assert (q.name, q.title, q.description, q.hide_sql, q.paged, q.form) == ("x", "T", "one two", True, True, "SELECT")
    assert q.sparql == "SELECT ?y WHERE { }\n"


def test_parse_saved_query_construct_is_not_paged() -> None:
    q = parse_saved_query("# paged: true\nCONSTRUCT WHERE { ?s ?p ?o }\n", Path("q.rq"))
    assert (q.form, q.paged) == ("CONSTRUCT", False)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("# title: T\n# param: y xsd:nope\nSELECT ?y {}", 2, "unknown type"),
        ("# param: y xsd:gYear\nSELECT ?x {}", 1, r"not used as \?y"),
        ("# param: y xsd:gYear\n# param: y xsd:gYear\nSELECT ?y {}", 2, "declared twice"),
        ("# title: T\n# param: y xsd:gYear\nSELECT ?y { FILTER(!BOUND(?y)) }", 2, "COALESCE"),
        ("# param: y xsd:gYear default=13\nSELECT ?y {}", 1, "default/example"),
    ],
)
def test_parse_saved_query_bad_file_names_line(text: str, line: int, reason: str) -> None:
    with pytest.raises(DataSyntaxError, match=reason) as info:
        parse_saved_query(text, Path("queries/bad.rq"))
    assert info.value.path == "queries/bad.rq" and info.value.line == line


def test_get_query_unknown_raises_not_found() -> None:
    for name in ("no-such-query", "../pyproject", "Visits"):
        with pytest.raises(QueryNotFound):
            get_query(ROOT, name)


# --- binding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ptype", "raw", "term"),
    [
        (
            "xsd:date",
            "2013-09-25",
            ox.Literal("2013-09-25", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
        ),
        ("xsd:gYear", "2013", ox.Literal("2013", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))),
        ("xsd:integer", "+007", ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        ("xsd:boolean", "true", ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))),
        ("xsd:string", 'a "quoted" }', ox.Literal('a "quoted" }')),
        ("country", "lt", ox.Literal("LT")),
        ("iri:schema:Person", f"{BASE}person/mayil-ahmadov", ox.NamedNode(f"{BASE}person/mayil-ahmadov")),
        ("iri:schema:Person", "/id/person/mayil-ahmadov", ox.NamedNode(f"{BASE}person/mayil-ahmadov")),
        ("iri:schema:Person", "person/mayil-ahmadov", ox.NamedNode(f"{BASE}person/mayil-ahmadov")),
    ],
)
def test_bind_value_valid_gives_typed_term(ptype: str, raw: str, term: Any) -> None:
    assert bind_value(Param("p", ptype), raw, BASE) == term


@pytest.mark.parametrize(
    ("ptype", "raw", "form"),
    [
        ("xsd:date", "2013-02-30", "YYYY-MM-DD"),
        ("xsd:date", "25.09.2013", "YYYY-MM-DD"),
        ("xsd:gYear", "13", "four digits"),
        ("xsd:gYear", "0000", "four digits"),
        ("xsd:integer", "2.5", "whole number"),
        ("xsd:boolean", "yes", "true or false"),
        ("xsd:string", "x" * 1001, "at most 1000"),
        ("country", "XX", "ISO 3166-1"),
        ("country", "LTU", "ISO 3166-1"),
        ("iri:schema:Person", "<x> } UNION { ?s ?p ?o", "IRI of a schema:Person"),
        ("iri:schema:Person", "http://e.org/a b", "IRI of a schema:Person"),
        ("iri:schema:Person", "not an iri", "IRI of a schema:Person"),
    ],
)
def test_bind_value_invalid_names_parameter_and_form(ptype: str, raw: str, form: str) -> None:
    with pytest.raises(BadParameter, match=form) as info:
        bind_value(Param("who", ptype), raw, BASE)
    assert info.value.name == "who" and "'who'" in str(info.value) and info.value.status == 400


def test_bind_value_integer_out_of_range_refused() -> None:
    with pytest.raises(BadParameter, match="between 1 and"):
        bind_value(Param("min", "xsd:integer", minimum=1, maximum=10), "0", BASE)


def test_bind_parameters_defaults_empty_unknown_and_required() -> None:
    q = SavedQuery(
        "x",
        "X",
        "",
        (Param("a", "xsd:gYear", default="2013"), Param("b", "xsd:gYear"), Param("c", "xsd:gYear", required=True)),
        "SELECT ?a ?b ?c {}",
        Path("x.rq"),
    )
    bound = bind_parameters(q, {"c": "2001", "b": "", "limit": "5", "_": "1"}, BASE)
    assert {k: v.value for k, v in bound.items()} == {"a": "2013", "c": "2001"}
    with pytest.raises(BadParameter, match="required") as info:
        bind_parameters(q, {"c": ""}, BASE)
    assert info.value.name == "c"
    with pytest.raises(BadParameter, match="Unknown parameter 'yaer'") as info:
        bind_parameters(q, {"yaer": "2013", "c": "2001"}, BASE)
    assert info.value.name == "yaer"


@pytest.mark.parametrize(
    ("limit", "offset", "bad"),
    [
        ("0", "0", "limit"),
        ("501", "0", "limit"),
        ("x", "0", "limit"),
        ("-1", "0", "limit"),
        ("20", "-1", "offset"),
        ("20", "1e3", "offset"),
    ],
)
def test_page_limits_out_of_range_names_parameter(limit: str, offset: str, bad: str) -> None:
    with pytest.raises(BadParameter) as info:
        page_limits(limit, offset)
    assert info.value.name == bad


# --- every saved query over the real data ---------------------------------------------------


def test_saved_queries_at_least_fifteen() -> None:
    assert len(QUERIES) >= 15


@pytest.mark.parametrize("name", NAMES)
def test_saved_query_parses_paged_and_plain(name: str) -> None:
    q = get_query(ROOT, name)
    assert q.title and q.description
    ox.Store().query(q.sparql)
    if q.paged:
        ox.Store().query(paged_sparql(q.sparql, 20, 0))
        assert "ORDER BY" in q.sparql.upper(), "a paged query needs a stable order"


@pytest.mark.parametrize("name", NAMES)
def test_saved_query_uses_profile_terms_only(name: str) -> None:
    allowed = (
        "http://schema.org/",
        "https://w3id.org/visitgraph/ontology#",
        "http://www.w3.org/2004/02/skos/core#",
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/2002/07/owl#",
        "http://purl.org/dc/terms/",
        "http://www.w3.org/2001/XMLSchema#",
    )
    for iri in re.findall(r"PREFIX\s+\w*:\s*<([^>]+)>", get_query(ROOT, name).sparql):
        assert iri in allowed


@pytest.mark.parametrize("name", NAMES)
def test_saved_query_example_runs_with_rows(repo_store: EmbeddedStore, name: str) -> None:
    q = get_query(ROOT, name)
    assert run(repo_store, name, q.examples()), f"{name} with {q.examples()} returns nothing"


@pytest.mark.parametrize("name", NAMES)
def test_saved_query_substitution_equals_values_block(repo_store: EmbeddedStore, name: str) -> None:
    """pyoxigraph's own SEP-0007 substitution and the copyable VALUES text give the same answer.

    (`run_query(..., substitutions=)` writes a VALUES block itself, so it cannot be the reference.)
    """
    q = get_query(ROOT, name)
    bound = bind_parameters(q, q.examples(), BASE)
    reader = repo_store.reader()

    def answer(result: Any) -> list[str]:
        if isinstance(result, ox.QueryTriples):
            return sorted(str(t) for t in result)
        return sorted(str([str(s[v]) if s[v] is not None else None for v in result.variables]) for s in result)

    native = answer(
        reader.query(
            q.sparql, substitutions={ox.Variable(k): v for k, v in bound.items()}, use_default_graph_as_union=True
        )
    )
    assert native == answer(run_query(reader, copyable_sparql(q, bound)))
    assert native == answer(run_query(reader, q.sparql, substitutions=bound))


EXPECTED: list[tuple[str, dict[str, str], Any]] = [
    (
        "visits-in-range",
        {"start": "2013-01-01", "end": "2013-12-31"},
        lambda rows: [r["date"] for r in rows] == ["2013-09-25", "2013-09-26", "2013-09-26", "2013-11-25"],
    ),
    (
        "visits-per-year",
        {},
        lambda rows: (
            {r["year"]: r["visits"] for r in rows}["2013"] == "4" and sum(int(r["visits"]) for r in rows) == 30
        ),
    ),
    ("visits-per-country", {}, lambda rows: {r["country"]: r["visits"] for r in rows}["RU"] == "5"),
    (
        "visits-from-country",
        {"country": "lt"},
        lambda rows: [r["visit"] for r in rows] == ["visit/2013-09-25-lithuanian-national-library"],
    ),
    (
        "person-visits",
        {"person": "person/renaldas-gudauskas"},
        lambda rows: [(r["date"], r["role"]) for r in rows] == [("2013-09-25", "visitor")],
    ),
    (
        "person-visits",
        {"person": "/id/person/mayil-ahmadov"},
        lambda rows: {r["role"] for r in rows} == {"host"} and "2018-03-19" in {r["date"] for r in rows},
    ),
    (
        "organization-visits",
        {"organization": "organization/oclc"},
        lambda rows: sorted({r["date"] for r in rows}) == ["2011-11-05", "2016-07-12"],
    ),
    (
        "organization-people",
        {"organization": f"{BASE}organization/oclc"},
        lambda rows: (
            sorted(r["name"] for r in rows) == ["Catherine Fureti", "Reyn van Haldropin", "Sezen Tan", "Sinan Tan"]
        ),
    ),
    (
        "repeat-visitors",
        {"min": "2"},
        lambda rows: (
            {r["organization"]: r["visits"] for r in rows}
            == {
                "organization/rudomino-library": "2",
                "organization/oclc": "2",
                "organization/kazakhstan-first-president-library": "2",
                "organization/ifla": "2",
            }
        ),
    ),
    (
        "gifts",
        {"direction": "received"},
        lambda rows: sorted({r["date"] for r in rows}) == ["2008-03-18", "2015-05-15", "2017-04-14", "2020-01-24"],
    ),
    (
        "gifts",
        {"year": "2020", "institution": "organization/rudomino-library", "direction": "given"},
        lambda rows: sorted(r["item"] for r in rows) == ["Carpets of Azerbaijan", "Kelaghayi"],
    ),
    ("gifts-per-year", {}, lambda rows: {r["year"]: (r["received"], r["given"]) for r in rows}["2020"] == ("1", "2")),
    (
        "agreements",
        {"signed": "true"},
        lambda rows: (
            [r["visit"] for r in rows] == ["visit/2013-09-25-lithuanian-national-library"]
            and "memorandum" in rows[0]["name"].lower()
        ),
    ),
    ("agreements", {"signed": "false"}, lambda rows: len(rows) == 3 and {r["isSigned"] for r in rows} == {"false"}),
    ("topics", {}, lambda rows: {r["label"]: r["visits"] for r in rows}["Cooperation between libraries"] == "5"),
    (
        "topic-visits",
        {"topic": "topic/oclc-membership"},
        lambda rows: [r["date"] for r in rows] == ["2011-11-05", "2016-07-12"],
    ),
    (
        "visited-together",
        {"person": "person/sezen-tan"},
        lambda rows: sorted(r["companionName"] for r in rows) == ["Catherine Fureti", "Sinan Tan"],
    ),
    (
        "companions",
        {"person": "person/sezen-tan"},
        lambda rows: sorted(r["companionName"] for r in rows) == ["Catherine Fureti", "Sinan Tan"],
    ),
    (
        "institution-timeline",
        {"organization": "organization/rudomino-library"},
        lambda rows: (
            [(r["date"], r["event"]) for r in rows][0] == ("2012-03-12", "visit")
            and {"gift given", "gift received"} <= {r["event"] for r in rows}
        ),
    ),
    (
        "inferred-dates",
        {},
        lambda rows: (
            [r["date"] for r in rows] == ["2012-11-05", "2012-12-03", "2018-02-28"]
            and all("no year" in r["note"] for r in rows)
        ),
    ),
    (
        "search",
        {"text": "KELAGHAYI"},
        lambda rows: {r["resource"] for r in rows} >= {"visit/2020-01-24-rudomino-ipr-books"},
    ),
    (
        "search",
        {"text": "OCLC"},
        lambda rows: (
            "organization/oclc" in {r["resource"] for r in rows}
            and {"name", "other name", "source text"} <= {r["field"] for r in rows}
        ),
    ),
    ("people", {"country": "GR"}, lambda rows: [r["name"] for r in rows] == ["Antonia Arahova"]),
    ("host-participants", {}, lambda rows: rows[0]["name"] == "Mayil Ahmadov"),
    (
        "visit-card",
        {"visit": "visit/2013-09-25-lithuanian-national-library"},
        lambda rows: (
            {
                "object": "Memorandum of understanding on cooperation of the libraries",
                "predicate": "http://schema.org/name",
                "subject": "agreement/2013-09-25-lithuanian-national-library",
            }
            in rows
        ),
    ),
]


@pytest.mark.parametrize(
    ("name", "params", "check"), EXPECTED, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(EXPECTED)]
)
def test_saved_query_expected_answer(repo_store: EmbeddedStore, name: str, params: dict[str, str], check: Any) -> None:
    rows = run(repo_store, name, params)
    assert check(rows), rows


def test_every_saved_query_has_an_expected_answer() -> None:
    assert {n for n, _, _ in EXPECTED} == set(NAMES)


def test_run_saved_query_pages_fetch_one_more(repo_store: EmbeddedStore) -> None:
    q = get_query(ROOT, "visits-in-range")
    params = {"start": "2000-01-01", "end": "2030-12-31"}
    pages, offset = [], 0
    while True:
        page = run_saved_query(repo_store.reader(), q, params, 7, offset, base_iri=BASE)
        pages.append(page)
        if not page.has_next:
            break
        offset += 7
    assert [len(p.rows) for p in pages] == [7, 7, 7, 7, 2]
    assert len({r["visit"] for p in pages for r in p.records()}) == 30
    assert run_saved_query(repo_store.reader(), q, params, 30, 0, base_iri=BASE).has_next is False


def test_run_saved_query_iri_of_wrong_class_refused(repo_store: EmbeddedStore) -> None:
    with pytest.raises(BadParameter, match="no schema:Person") as info:
        run(repo_store, "person-visits", {"person": "organization/oclc"})
    assert info.value.name == "person"


def test_query_choices_from_graph(repo_store: EmbeddedStore) -> None:
    reader = repo_store.reader()
    country = get_query(ROOT, "visits-from-country").param("country")
    person = get_query(ROOT, "person-visits").param("person")
    assert country is not None and person is not None
    assert {"RU", "LT", "TR"} <= {
        v for v, _ in query_choices(reader, ROOT, get_query(ROOT, "visits-from-country"), country, BASE)
    }
    people = dict(query_choices(reader, ROOT, get_query(ROOT, "person-visits"), person, BASE))
    assert people["person/mayil-ahmadov"] == "Mayil Ahmadov" and len(people) >= 40


@pytest.mark.parametrize("name", NAMES)
def test_choices_queries_exist_without_required_params(name: str) -> None:
    for p in get_query(ROOT, name).params:
        if p.choices_query:
            assert not any(x.required for x in get_query(ROOT, p.choices_query).params)


# --- the catalogue as linked data -------------------------------------------------------------


def test_query_description_quads_describe_query(repo_settings: Settings) -> None:
    q = get_query(ROOT, "gifts")
    store = ox.Store()
    store.extend(query_description_quads(repo_settings, q))
    rows = list(
        store.query("""PREFIX schema: <http://schema.org/> PREFIX vg: <https://w3id.org/visitgraph/ontology#>
        SELECT ?title ?text ?pname ?type WHERE { ?q a schema:SoftwareSourceCode ; schema:name ?title ;
        schema:text ?text ; vg:parameter ?p . ?p schema:valueName ?pname ; vg:valueType ?type }""")
    )
    assert {r["title"].value for r in rows} == {q.title}
    assert {r["text"].value for r in rows} == {q.sparql}
    assert {(r["pname"].value, r["type"].value) for r in rows} == {
        ("year", "http://www.w3.org/2001/XMLSchema#gYear"),
        ("institution", "http://schema.org/Organization"),
        ("direction", "http://www.w3.org/2001/XMLSchema#string"),
    }
    assert rows and all(r["text"].value for r in rows)


def test_saved_query_catalogue_triples_link_every_query(repo_settings: Settings) -> None:
    service = ox.NamedNode("http://127.0.0.1/sparql")
    triples = saved_query_catalogue_triples(repo_settings, service)
    parts = {t.object.value for t in triples if t.subject == service}
    assert parts == {f"{BASE}query/{n}" for n in NAMES}


# --- CLI ----------------------------------------------------------------------------------------


def cli_invoke(runner: CliRunner, settings: Settings, args: list[str]) -> Any:
    from visitgraph.cli.main import cli, register_commands

    register_commands()
    return runner.invoke(cli, ["--root", str(ROOT), *args], env={"VISITGRAPH_STORE": str(settings.store)})


def test_cli_queries_run_csv(runner: CliRunner, repo_settings: Settings) -> None:
    result = cli_invoke(
        runner, repo_settings, ["queries", "run", "agreements", "--param", "signed=true", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "date,visit,agreement,name,isSigned,signed"
    assert "lithuanian-national-library" in result.output and len(result.output.splitlines()) == 2


def test_cli_queries_run_bad_param_exits_1(runner: CliRunner, repo_settings: Settings) -> None:
    result = cli_invoke(runner, repo_settings, ["queries", "run", "visits-in-range", "--param", "start=yesterday"])
    assert result.exit_code == 1 and "Error: Parameter 'start'" in result.output


def test_cli_queries_list_and_show(runner: CliRunner, repo_settings: Settings) -> None:
    listed = cli_invoke(runner, repo_settings, ["queries", "list"])
    assert listed.exit_code == 0 and all(n in listed.output for n in NAMES)
    shown = cli_invoke(runner, repo_settings, ["queries", "show", "gifts"])
    assert shown.exit_code == 0 and "--param year=" in shown.output and "SELECT" in shown.output


def _examples() -> list[list[str]]:
    from visitgraph.cli import queries as cli_queries

    out = []
    for fn in (
        cli_queries.queries_group,
        cli_queries.list_queries,
        cli_queries.show_query,
        cli_queries.run_query_command,
    ):
        doc = fn.help or ""
        for line in doc.split("Example:")[1].strip().splitlines():
            out.append(shlex.split(line.strip())[1:])
    return out


@pytest.mark.parametrize("args", _examples(), ids=lambda a: " ".join(a)[:60])
def test_cli_queries_examples_run(runner: CliRunner, repo_settings: Settings, args: list[str]) -> None:
    result = cli_invoke(runner, repo_settings, args)
    assert result.exit_code == 0, result.output
    assert result.output.strip()


@pytest.mark.parametrize("name", NAMES)
def test_saved_query_every_param_has_a_working_sample(name: str) -> None:
    assert all(p.sample is not None for p in get_query(ROOT, name).params)


# --- rewritten saved queries give exactly the answer of the form they replace (decision 0058) ----------

#: gifts-per-year as it was before decision 0058: EXISTS, which pyoxigraph's in-memory store evaluates
#: 8-30x slower than the on-disk one, so its stored answer was derived on disk (decision 0051).
GIFTS_PER_YEAR_WITH_EXISTS = """PREFIX schema: <http://schema.org/>
PREFIX vg: <https://w3id.org/visitgraph/ontology#>

SELECT ?year (COUNT(DISTINCT ?receivedGift) AS ?received) (COUNT(DISTINCT ?givenGift) AS ?given) WHERE {
  ?visit vg:gift ?gift ;
         schema:startDate ?date ;
         schema:location ?host .
  BIND(YEAR(?date) AS ?year)
  BIND(IF(EXISTS { ?gift schema:recipient/schema:affiliation? ?host }, ?gift, ?nothing) AS ?receivedGift)
  BIND(IF(EXISTS { ?gift schema:recipient/schema:affiliation? ?host }, ?nothing, ?gift) AS ?givenGift)
}
GROUP BY ?year
ORDER BY ?year
"""

#: gifts as it was before decision 0058: the direction by EXISTS, and the institution filter an EXISTS
#: evaluated for every row even when no institution is asked for.
GIFTS_WITH_EXISTS = """PREFIX schema: <http://schema.org/>
PREFIX vg: <https://w3id.org/visitgraph/ontology#>

SELECT ?date ?visit ?gift ?item ?giftDirection
       (GROUP_CONCAT(DISTINCT ?giverName; separator=", ") AS ?givers)
       (GROUP_CONCAT(DISTINCT ?recipientName; separator=", ") AS ?recipients)
       ?year ?institution ?direction
WHERE {
  ?visit vg:gift ?gift ;
         schema:startDate ?date ;
         schema:location ?host .
  ?gift a vg:Gift ;
        schema:object ?object ;
        schema:agent/schema:name ?giverName ;
        schema:recipient/schema:name ?recipientName .
  OPTIONAL { ?object schema:name ?objectName }
  OPTIONAL { ?object schema:description ?objectDescription }
  BIND(COALESCE(?objectName, ?objectDescription) AS ?item)
  BIND(IF(EXISTS { ?gift schema:recipient/schema:affiliation? ?host }, "received", "given") AS ?giftDirection)
  FILTER(COALESCE(YEAR(?date) = YEAR(?year), true))
  FILTER(COALESCE(?giftDirection = ?direction, true))
  FILTER EXISTS { ?gift (schema:agent|schema:recipient)/schema:affiliation? ?institution }
}
GROUP BY ?date ?visit ?gift ?item ?giftDirection ?year ?institution ?direction
ORDER BY ?date ?gift
"""


def _rows(
    store: ox.Store, sparql: str, bound: dict[str, ox.NamedNode | ox.Literal | ox.BlankNode] | None = None
) -> list[tuple[str | None, ...]]:
    result = run_query(store, sparql, substitutions=bound, base_iri=BASE)
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    return [tuple(None if s[n] is None else str(s[n]) for n in names) for s in result]  # type: ignore[union-attr]


def _in_memory(store: ox.Store, tmp: Path) -> ox.Store:
    """An in-memory copy, loaded as a whole build's answer children load theirs (decision 0051)."""
    from visitgraph.queries.answermemory import in_memory

    tmp.mkdir(parents=True, exist_ok=True)
    dump = tmp / "copy.nq"
    store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    return in_memory(str(dump))


def _generated(tmp: Path, visits: int) -> ox.Store:
    """A project from bench/synth.py (seed 1), its files loaded into an on-disk store."""
    return generated_store(tmp, visits, BASE)


def test_gifts_per_year_has_no_exists_so_it_is_derived_in_memory() -> None:
    from visitgraph.queries.answermemory import disk_only

    assert disk_only(GIFTS_PER_YEAR_WITH_EXISTS) == "EXISTS is much slower in memory"
    assert disk_only(get_query(ROOT, "gifts-per-year").sparql) is None


def test_gifts_per_year_gives_exactly_the_answer_of_its_exists_form(
    repo_store: EmbeddedStore, store: EmbeddedStore, tmp_path: Path
) -> None:
    """Same rows in the same order as the EXISTS form read on disk: on the real data, on tests/data/mini and
    on a generated project, each read on disk and from an in-memory copy."""
    sparql = get_query(ROOT, "gifts-per-year").sparql
    for label, disk in (
        ("repository", repo_store.reader()),
        ("mini", store.reader()),
        ("generated", _generated(tmp_path, 3000)),
    ):
        expected = _rows(disk, GIFTS_PER_YEAR_WITH_EXISTS)
        assert sum(int(str(r[1]).split('"')[1]) for r in expected) > 0, label  # some gifts received
        assert _rows(disk, sparql) == expected, label
        assert _rows(_in_memory(disk, tmp_path / label), sparql) == expected, label


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"institution": "organization/rudomino-library"},
        {"direction": "received"},
        {"direction": "given", "institution": "organization/ifla"},
        {"year": "2020", "institution": "organization/rudomino-library", "direction": "given"},
    ],
    ids=lambda p: ",".join(p) or "whole",
)
def test_gifts_gives_exactly_the_answer_of_its_exists_form(
    repo_store: EmbeddedStore, store: EmbeddedStore, tmp_path: Path, params: dict[str, str]
) -> None:
    """The same rows as the EXISTS form, whole and with its parameters bound as a request binds them, on the
    real data, tests/data/mini and a generated project, on disk; since decision 0067 the names each list joins
    are in alphabetical order, so rows are compared with their lists split and sorted."""
    query = get_query(ROOT, "gifts")
    assert "IF(EXISTS" not in query.sparql and "IF(sameTerm(?institution, ?institution)," in query.sparql
    bound = bind_parameters(query, params, BASE) or None
    for label, disk in (
        ("repository", repo_store.reader()),
        ("mini", store.reader()),
        ("generated", _generated(tmp_path, 3000)),
    ):
        expected = _rows(disk, GIFTS_WITH_EXISTS, bound)
        assert expected or label == "mini" or params.get("direction") == "received", label
        assert _names_sorted(_rows(disk, query.sparql, bound)) == _names_sorted(expected), label


# --- gifts' name lists in a defined order, so its stored answer reads the in-memory copy (decision 0067) --

#: gifts as it was after decision 0058: GROUP_CONCAT(DISTINCT …) over the scanned rows, so each list joined
#: its names in the store's scan order, which differs between the on-disk and the in-memory store.
GIFTS_IN_SCAN_ORDER = GIFTS_WITH_EXISTS.replace(
    """  BIND(IF(EXISTS { ?gift schema:recipient/schema:affiliation? ?host }, "received", "given") AS ?giftDirection)""",
    """  OPTIONAL { ?gift schema:recipient ?receiver . ?receiver schema:affiliation? ?host }
  BIND(IF(BOUND(?receiver), "received", "given") AS ?giftDirection)""",
).replace(
    "  FILTER EXISTS { ?gift (schema:agent|schema:recipient)/schema:affiliation? ?institution }",
    """  FILTER(COALESCE(IF(sameTerm(?institution, ?institution),
                     EXISTS { ?gift (schema:agent|schema:recipient)/schema:affiliation? ?institution }, false), true))""",
)

GIFTS_PARAMS = [
    {},
    {"institution": "organization/rudomino-library"},
    {"direction": "received"},
    {"direction": "given", "institution": "organization/ifla"},
    {"year": "2020", "institution": "organization/rudomino-library", "direction": "given"},
]


def _names_sorted(rows: list[tuple[str | None, ...]]) -> list[tuple[str | None, ...]]:
    """The rows, sorted, with gifts' two name lists (columns 5 and 6) split and sorted: the same answer
    whatever order the names were joined in."""

    def names(value: str | None) -> str | None:
        return None if value is None else ", ".join(sorted(value[1:-1].split(", ")))

    return sorted((*r[:5], names(r[5]), names(r[6]), *r[7:]) for r in rows)


def test_gifts_in_scan_order_was_read_on_disk_and_gifts_now_may_be_read_in_memory() -> None:
    from visitgraph.queries.answermemory import disk_only, reads_disk

    query = get_query(ROOT, "gifts")
    assert query.concat_order == ("givers", "recipients")
    assert reads_disk(query) is None
    assert disk_only(GIFTS_IN_SCAN_ORDER, unbound=["institution"]) is not None  # undeclared GROUP_CONCAT
    # declared, it would be read in memory: the declaration is what a test must hold true (the next test)
    assert disk_only(GIFTS_IN_SCAN_ORDER, ["givers", "recipients"], ["institution"]) is None
    assert disk_only(GIFTS_IN_SCAN_ORDER, ["givers", "recipients"]) == "EXISTS is much slower in memory"


def _ordered_lists(rows: list[tuple[str | None, ...]], at: list[int]) -> bool:
    lists = [str(r[i])[1:-1].split(", ") for r in rows for i in at if r[i] is not None]
    return all(names == sorted(names) for names in lists)


@pytest.mark.parametrize("name", [q.name for q in QUERIES if q.concat_order])
def test_a_declared_concat_order_is_the_same_on_disk_and_in_memory(
    repo_store: EmbeddedStore, store: EmbeddedStore, tmp_path: Path, name: str
) -> None:
    """What `# concat-order:` declares holds: the query gives the same rows in the same order on the on-disk
    store and on an in-memory copy loaded as a whole build's answer children load theirs, whole and with its
    parameters bound, on the real data, tests/data/mini and a generated project; each declared list is sorted."""
    query = get_query(ROOT, name)
    params = GIFTS_PARAMS if name == "gifts" else [{}]
    for label, disk in (
        ("repository", repo_store.reader()),
        ("mini", store.reader()),
        ("generated", _generated(tmp_path, 1000)),
    ):
        memory = _in_memory(disk, tmp_path / label)
        for values in params:
            bound = bind_parameters(query, values, BASE) or None
            rows = _rows(disk, query.sparql, bound)
            assert rows or label == "mini" or values, (label, values)
            assert _rows(memory, query.sparql, bound) == rows, (label, values)
            names = [v.value for v in run_query(disk, query.sparql + "LIMIT 0", base_iri=BASE).variables]  # type: ignore[union-attr]
            assert _ordered_lists(rows, [names.index(c) for c in query.concat_order]), (label, values)


@pytest.mark.parametrize("params", GIFTS_PARAMS, ids=lambda p: ",".join(p) or "whole")
def test_gifts_answers_as_in_scan_order_with_its_names_sorted(
    repo_store: EmbeddedStore, store: EmbeddedStore, tmp_path: Path, params: dict[str, str]
) -> None:
    """The rows of the 0058 form (names in scan order), with each list split and sorted, on disk and in memory:
    the one public change is the order of the names within `givers` and `recipients` (now alphabetical)."""
    query = get_query(ROOT, "gifts")
    bound = bind_parameters(query, params, BASE) or None
    for label, disk in (
        ("repository", repo_store.reader()),
        ("mini", store.reader()),
        ("generated", _generated(tmp_path, 1000)),
    ):
        expected = _names_sorted(_rows(disk, GIFTS_IN_SCAN_ORDER, bound))
        assert expected or label == "mini" or params, label
        assert _names_sorted(_rows(disk, query.sparql, bound)) == expected, label
        assert _names_sorted(_rows(_in_memory(disk, tmp_path / label), query.sparql, bound)) == expected, label


def test_a_concat_order_column_must_be_a_group_concat() -> None:
    text = get_query(ROOT, "gifts").path.read_text(encoding="utf-8")
    with pytest.raises(DataSyntaxError, match="names \\?item, which no"):
        parse_saved_query(
            text.replace("# concat-order: givers recipients", "# concat-order: givers item"), ROOT / "gifts.rq"
        )
