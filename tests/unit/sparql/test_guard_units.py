"""Fast, exact tests of the network guard, the SPARQL tokenizer, query budgets and the row cap.

Every expected value here is written by hand (or read back by pyoxigraph's own parsers, a second
implementation), never taken from the function under test. These are the tests the mutation tool
(tools/mutation.py) runs against mutants of ssrf.py, sparqltext.py, querylimits.py and answers.py.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pyoxigraph as ox
import pytest

from visitgraph.core.errors import BadQuery, LimitExceeded
from visitgraph.core.formats import get_format
from visitgraph.sparql import querylimits
from visitgraph.sparql.analysis import operation_kind
from visitgraph.sparql.answers import Answer, serialize_capped, serialize_solutions
from visitgraph.sparql.querylimits import ClientBudget, ResultCache
from visitgraph.sparql.ssrf import allowed, check_network, network_targets, unescape_codepoints
from visitgraph.sparql.text import has_dataset_clause, inject_values, iris_after, tokenize, where_brace

# --- ssrf: escapes, operation kinds, targets, the allow-list -----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"\u0053ERVICE", "SERVICE"),
        (r"\U00000053ERVICE", "SERVICE"),
        (r"\u004c\u004f\u0041\u0044", "LOAD"),
        (r"\uD800x", r"\uD800x"),  # a lone surrogate is not a character: left as written
        (r"\uDFFF", r"\uDFFF"),
        (r"\uD7FF", "\ud7ff"),  # just below the surrogates: decoded
        (r"\uE000", "\ue000"),  # just above: decoded
        (r"\U0010FFFF", "\U0010ffff"),  # the last code point
        (r"\U00110000", r"\U00110000"),  # past it: left as written
        (r"\u00", r"\u00"),  # too short: not an escape
        ("plain", "plain"),
    ],
)
def test_unescape_codepoints(text: str, expected: str) -> None:
    assert unescape_codepoints(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * {}", "SELECT"),
        ("ask {}", "ASK"),
        ("Construct WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://e/x>", "DESCRIBE"),
        ("PREFIX a: <http://e/> BASE <http://b/> SELECT ?s {}", "SELECT"),
        ("# SELECT\nINSERT DATA { <a:a> <a:b> <a:c> }", "UPDATE"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
        ("CLEAR ALL", "UPDATE"),
        ("LOAD <http://e/x>", "UPDATE"),
        (r"\u0041SK {}", "ASK"),
        ("hello world", None),
        ("", None),
        ("{ SELECT * {} }", None),
        ("PREFIX", None),
    ],
)
def test_operation_kind(text: str, expected: str | None) -> None:
    assert operation_kind(text) == expected


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [
        ("SELECT * { SERVICE <http://e.org/sparql> { ?s ?p ?o } }", None, [("SERVICE", "http://e.org/sparql")]),
        ("select * { service silent <http://e.org/s> {} }", None, [("SERVICE", "http://e.org/s")]),
        ("SELECT * { SERVICE SILENT SILENT <http://e/> {} }", None, [("SERVICE", "http://e/")]),
        ("LOAD <http://e.org/x.ttl> INTO GRAPH <http://g>", None, [("LOAD", "http://e.org/x.ttl")]),
        ("PREFIX e: <http://e.org/> SELECT * { SERVICE e:x {} }", None, [("SERVICE", "http://e.org/x")]),
        ("PREFIX e: <http://e.org/> SELECT * { SERVICE f:x {} }", None, [("SERVICE", None)]),
        ("SELECT * { SERVICE ?where {} }", None, [("SERVICE", None)]),
        ("SELECT * { SERVICE <rel> {} }", None, [("SERVICE", None)]),
        ("SELECT * { SERVICE <rel> {} }", "http://base.org/a/", [("SERVICE", "http://base.org/a/rel")]),
        ("BASE <http://b.org/> SELECT * { SERVICE <x> {} }", None, [("SERVICE", "http://b.org/x")]),
        ("BASE <http://b.org/d/> BASE <e/> SELECT * { SERVICE <x> {} }", None, [("SERVICE", "http://b.org/d/e/x")]),
        (
            "BASE <http://b.org/> PREFIX p: <rel/> SELECT * { SERVICE p:x {} }",
            None,
            [("SERVICE", "http://b.org/rel/x")],
        ),
        ("PREFIX p: <rel/> SELECT * { SERVICE p:x {} }", None, [("SERVICE", None)]),
        ("BASE <rel/> SELECT * { SERVICE <x> {} }", "http://k/", [("SERVICE", "http://k/rel/x")]),
        ("LOAD", None, [("LOAD", None)]),
        ("SELECT * { SERVICE <http://x/> {} } PREFIX e:", None, [("SERVICE", "http://x/")]),  # a dangling PREFIX
        ("SELECT * { SERVICE <http://x/> {} } PREFIX", None, [("SERVICE", "http://x/")]),
        ("SELECT * { SERVICE <x> {} } BASE", "http://k/", [("SERVICE", "http://k/x")]),
        (
            "SELECT * { SERVICE <http://a/> {} SERVICE <http://a/> {} SERVICE <http://b/> {} }",
            None,
            [("SERVICE", "http://a/"), ("SERVICE", "http://b/")],
        ),
        (r"SELECT * { \u0053ERVICE <http://evil/> {} }", None, [("SERVICE", "http://evil/")]),
        # as written the backslash ends the IRI token (no target: None); decoded it is <http://evil/>
        (r"SELECT * { SERVICE <http://evil\u002F> {} }", None, [("SERVICE", None), ("SERVICE", "http://evil/")]),
        ('SELECT * { ?s ?p "SERVICE <http://x/>" }', None, []),
        ("SELECT * { ?s ?p ?o } # SERVICE <http://x/>", None, []),
        ("SELECT * { ?s <http://e/SERVICE> ?o }", None, []),
        ("SELECT * { ?s ?p ?o }", None, []),
    ],
)
def test_network_targets(text: str, base: str | None, expected: list[tuple[str, str | None]]) -> None:
    assert network_targets(text, base) == expected


def test_network_targets_escaped_and_plain_views_both_count() -> None:
    # As written the second SERVICE sits in a comment; decoded, `\u000a` ends the comment and it is live code.
    text = r"SELECT * { SERVICE <http://ok/> {} # \u000a SERVICE <http://evil/> {} }"
    assert network_targets(text) == [("SERVICE", "http://ok/"), ("SERVICE", "http://evil/")]
    with pytest.raises(BadQuery, match="<http://evil/>"):
        check_network(text, ["http://ok/"])


@pytest.mark.parametrize(
    ("iri", "allowlist", "expected"),
    [
        ("https://query.wikidata.org/sparql", ["https://query.wikidata.org/"], True),
        ("https://query.wikidata.org/sparql", ["http://other/", "https://query.wikidata.org/"], True),
        ("https://query.wikidata.org.evil/sparql", ["https://query.wikidata.org/"], False),
        ("http://evil/https://query.wikidata.org/", ["https://query.wikidata.org/"], False),
        ("http://evil/", [""], False),  # an empty entry allows nothing
        ("http://evil/", [], False),
        (None, ["http://"], False),  # an unresolvable target is never allowed
        (None, [""], False),
    ],
)
def test_allowed(iri: str | None, allowlist: list[str], expected: bool) -> None:
    assert allowed(iri, allowlist) is expected


def test_check_network_refuses_unresolvable_and_unlisted_targets() -> None:
    allow = ["http://ok.org/"]
    check_network("SELECT * { SERVICE <http://ok.org/sparql> {} }", allow)  # allowed: no error
    check_network("SELECT * { ?s ?p ?o }", [])
    with pytest.raises(BadQuery) as info:
        check_network("SELECT * { SERVICE ?x {} }", allow)
    assert "SERVICE a target that is not a plain IRI is refused" in str(info.value)
    assert "Allowed prefixes: http://ok.org/." in str(info.value)
    with pytest.raises(BadQuery) as info:
        check_network("LOAD <http://169.254.169.254/latest>", [])
    assert str(info.value).startswith("LOAD <http://169.254.169.254/latest> is refused")
    assert "This server reaches no other server on a client's behalf." in str(info.value)
    with pytest.raises(BadQuery, match="<http://evil/>"):
        check_network("SELECT * { SERVICE <http://ok.org/> {} SERVICE <http://evil/> {} }", allow)
    with pytest.raises(BadQuery, match="a target that is not a plain IRI"):
        check_network("SELECT * { SERVICE <relative> {} }", allow)
    check_network("SELECT * { SERVICE <sparql> {} }", allow, base_iri="http://ok.org/")


# --- sparqltext ------------------------------------------------------------------------------------


def test_tokenize_kinds() -> None:
    text = 'PREFIX s: <http://s/> SELECT ?x $y { ?x s:n \'a}\' , """b\n{""" } # c {\n( :z )'
    got = [(t.kind, t.text) for t in tokenize(text)]
    assert got == [
        ("word", "PREFIX"),
        ("word", "s:"),
        ("iri", "<http://s/>"),
        ("word", "SELECT"),
        ("var", "?x"),
        ("var", "$y"),
        ("punct", "{"),
        ("var", "?x"),
        ("word", "s:n"),
        ("string", "'a}'"),
        ("other", ","),
        ("string", '"""b\n{"""'),
        ("punct", "}"),
        ("comment", "# c {"),
        ("punct", "("),
        ("word", ":z"),
        ("punct", ")"),
    ]
    assert [t.start for t in tokenize("ab  ?c")] == [0, 4]


@pytest.mark.parametrize(
    ("query", "rest"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"),
        ("SELECT ?s { ?s ?p ?o }", "{ ?s ?p ?o }"),
        ("PREFIX a: <x:> SELECT ?s { ?s ?p ?o }", "{ ?s ?p ?o }"),
        ("SELECT (COUNT(?s) AS ?n) { ?s ?p ?o }", "{ ?s ?p ?o }"),
        ("SELECT ((1) AS ?n) WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?q ?o }", "{ ?s ?q ?o }"),
        ("CONSTRUCT { ?s ?p ?o } { ?s ?q ?o }", "{ ?s ?q ?o }"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"),
        ("CONSTRUCT { ?s a ?o } WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"),  # a word inside the template
        ("SELECT (EXISTS { ?s ?p ?o } AS ?e) WHERE { ?a ?b ?c }", "{ ?a ?b ?c }"),  # a brace inside ( )
        ("CONSTRUCT { ?s ?p ?o . { ?a ?b ?c } } { ?s ?q ?o }", "{ ?s ?q ?o }"),
        ("ASK { ?s ?p ?o }", "{ ?s ?p ?o }"),
        ("DESCRIBE ?s WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"),
        ("SELECT * { { ?s ?p ?o } }", "{ { ?s ?p ?o } }"),
        ('SELECT * # {\n { ?s ?p "{" }', '{ ?s ?p "{" }'),
    ],
)
def test_where_brace(query: str, rest: str) -> None:
    brace = where_brace(query)
    assert brace is not None and query[brace:] == rest


@pytest.mark.parametrize(
    "query",
    ["DESCRIBE <http://e/x>", "INSERT DATA { <a:a> <a:b> <a:c> }", "{ ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o }", ""],
)
def test_where_brace_none(query: str) -> None:
    assert where_brace(query) is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * FROM <http://g> { ?s ?p ?o }", True),
        ("SELECT * FROM NAMED <http://g> { GRAPH ?g { ?s ?p ?o } }", True),
        ("select * from <http://g> where { ?s ?p ?o }", True),
        ("SELECT * { ?s ?p ?o }", False),
        ('SELECT * { ?s ?p "FROM <x>" } # FROM <y>', False),
        ("SELECT ?from { ?from ?p ?o }", False),
        ("SELECT * { { SELECT * FROM <http://g> { ?s ?p ?o } } }", False),
        ("SELECT * { ?s <http://e/from> ?o }", False),
        ("DESCRIBE <http://e/x> FROM <http://g>", True),
        ("DESCRIBE <http://e/from>", False),  # "from" in the text, no WHERE clause, no FROM keyword
    ],
)
def test_has_dataset_clause(query: str, expected: bool) -> None:
    assert has_dataset_clause(query) is expected


def test_inject_values_exact_text() -> None:
    q = "SELECT ?n WHERE { ?s ?p ?n }"
    assert inject_values(q, {}) == q
    got = inject_values(q, {"s": ox.NamedNode("http://e/x"), "p": ox.Literal('say "hi"\n', language="en")})
    assert got == 'SELECT ?n WHERE { VALUES (?s ?p) { (<http://e/x> "say \\"hi\\"\\n"@en) } ?s ?p ?n }'
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert inject_values(
        construct, {"o": ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))}
    ) == ('CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?o) { ("2"^^<http://www.w3.org/2001/XMLSchema#integer>) } ?s ?p ?o }')
    with pytest.raises(ValueError, match="WHERE clause"):
        inject_values("DESCRIBE <http://e/x>", {"s": ox.NamedNode("http://e/x")})


def test_inject_values_answers_like_hand_bound_query() -> None:
    store = ox.Store()
    ex = "http://e/"
    for s, o in (("a", "1"), ("b", "2")):
        store.add(ox.Quad(ox.NamedNode(ex + s), ox.NamedNode(ex + "p"), ox.Literal(o)))
    bound = inject_values("SELECT ?o WHERE { ?s <http://e/p> ?o }", {"s": ox.NamedNode(ex + "b")})
    assert [sol["o"] for sol in store.query(bound)] == [ox.Literal("2")]  # type: ignore[index,union-attr]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * { SERVICE SILENT <http://x/> { ?s ?p ?o } } # SERVICE <y>", [("SERVICE", "<http://x/>")]),
        ("LOAD <a> ; LOAD silent ex:b", [("LOAD", "<a>"), ("LOAD", "ex:b")]),
        ("SELECT * { SERVICE ?v {} }", [("SERVICE", "?v")]),
        ("LOAD", [("LOAD", "")]),
        ('SELECT * { ?s ?p "LOAD <x>" }', []),
        ("SELECT * { ?s ?p ?o }", []),
    ],
)
def test_iris_after(query: str, expected: list[tuple[str, str]]) -> None:
    assert iris_after(query, ("SERVICE", "LOAD")) == expected


# --- querylimits: the per-client budget and the result cache --------------------------------------


class Clock:
    """A hand-driven monotonic clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(querylimits.time, "monotonic", c)
    return c


def test_budget_refuses_at_the_limit_and_returns_after_the_window(clock: Clock) -> None:
    budget = ClientBudget(10.0, window=60.0)
    budget.check("a")
    budget.charge("a", 6.0)
    clock.now += 20
    budget.charge("a", 3.9)
    budget.check("a")  # 9.9 s of 10 used: still allowed
    budget.charge("a", 0.1)
    with pytest.raises(LimitExceeded) as info:
        budget.check("a")  # exactly 10 s used: refused
    # the oldest charge (t=1000) leaves the window at t=1060; now is 1020: 40 s, plus one
    assert info.value.status == 429 and info.value.retry_after == 41
    assert "budget of 10 query seconds per minute" in str(info.value) and "Try again in 41 s" in str(info.value)
    budget.check("b")  # another client is unaffected
    clock.now = 1060.0
    with pytest.raises(LimitExceeded):
        budget.check("a")  # at exactly the window's edge the first charge still counts
    clock.now = 1060.5
    budget.check("a")  # the 6 s charge has left the window: 4 s used
    budget.charge("a", 5.0)
    budget.check("a")  # 3.9 + 0.1 + 5 = 9 s
    budget.charge("a", 1.0)
    with pytest.raises(LimitExceeded):
        budget.check("a")  # 10 s again


def test_budget_sums_and_forgets(clock: Clock) -> None:
    budget = ClientBudget(10.0, window=60.0)
    budget.charge("a", 4.0)
    budget.charge("a", 4.0)
    budget.check("a")  # 8 s
    budget.charge("a", 2.0)
    with pytest.raises(LimitExceeded):
        budget.check("a")  # 10 s
    clock.now += 61
    budget.check("a")
    assert "a" not in budget._spent and "a" not in budget._totals  # idle clients are forgotten
    budget.charge("a", 1.0)
    assert budget._totals["a"] == 1.0


def test_budget_wait_is_at_least_one_second(clock: Clock) -> None:
    budget = ClientBudget(1.0, window=60.0)
    budget.charge("a", 5.0)
    clock.now += 59.9
    with pytest.raises(LimitExceeded) as info:
        budget.check("a")
    assert info.value.retry_after == 1


def test_budget_off_for_anonymous_and_zero_limit(clock: Clock) -> None:
    anon = ClientBudget(1.0)
    anon.charge(None, 100.0)
    anon.check(None)
    assert anon._spent == {}
    off = ClientBudget(0.0)
    off.charge("a", 100.0)
    off.check("a")
    negative = ClientBudget(-1.0)
    negative.charge("a", 100.0)
    negative.check("a")


def _answer(n: int) -> Answer:
    return Answer(b"x", "text/plain", "csv", "SELECT", n, False)


def test_result_cache_is_lru_of_its_size() -> None:
    cache = ResultCache(2)
    cache.put(("a",), _answer(1))
    cache.put(("b",), _answer(2))
    assert cache.get(("a",)) == _answer(1)  # a is now the most recent
    cache.put(("c",), _answer(3))
    assert cache.get(("b",)) is None and cache.get(("a",)) == _answer(1) and cache.get(("c",)) == _answer(3)
    cache.put(("a",), _answer(4))  # replacing keeps the size
    cache.put(("d",), _answer(5))
    assert cache.get(("c",)) is None and cache.get(("a",)) == _answer(4) and cache.get(("d",)) == _answer(5)
    assert cache.get(("zz",)) is None
    off = ResultCache(0)
    off.put(("a",), _answer(1))
    assert off.get(("a",)) is None


# --- answers: the row cap and the results formats -------------------------------------------------

EX = "http://e/"
XSD_INT = "http://www.w3.org/2001/XMLSchema#integer"


def _store(n: int) -> ox.Store:
    store = ox.Store()
    for i in range(n):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(str(i))))
    return store


@pytest.mark.parametrize(
    ("rows", "cap", "truncated"),
    [(3, 3, False), (3, 4, False), (3, 2, True), (1, 1, False), (2, 1, True), (0, 1, False)],
)
def test_select_truncated_only_past_the_cap(rows: int, cap: int, truncated: bool) -> None:
    store = _store(rows)
    for name in ("json", "xml", "csv", "tsv"):
        body, fmt, form, count, cut = serialize_capped(store.query("SELECT ?s { ?s ?p ?o }"), get_format(name), cap)
        assert (form, count, cut, fmt.name) == ("SELECT", min(rows, cap), truncated, name)
        if name == "csv":
            assert len(list(csv.reader(io.StringIO(body.decode())))) == 1 + min(rows, cap)
        else:
            parsed = list(ox.parse_query_results(body, format=fmt.results))  # type: ignore[arg-type]
            assert len(parsed) == min(rows, cap)
    body = serialize_capped(store.query("SELECT ?s { ?s ?p ?o }"), get_format("json"), cap)[0]
    doc = json.loads(body)
    if truncated:
        assert doc["truncated"] == {
            "max_rows": cap,
            "message": (f"Only the first {cap} rows are returned; add LIMIT/OFFSET to page through the rest."),
        }
        assert list(doc)[0] == "truncated"
    else:
        assert "truncated" not in doc


@pytest.mark.parametrize(("rows", "cap", "truncated"), [(3, 3, False), (3, 2, True), (2, 5, False)])
def test_construct_truncated_only_past_the_cap(rows: int, cap: int, truncated: bool) -> None:
    store = _store(rows)
    for name, kind in (("nt", "graph"), ("nq", "dataset"), ("ttl", "graph")):
        body, fmt, form, count, cut = serialize_capped(
            store.query("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }"), get_format(name), cap
        )
        assert (form, count, cut, fmt.name, fmt.kind) == ("CONSTRUCT", min(rows, cap), truncated, name, kind)
        assert len(list(ox.parse(body, format=fmt.rdf))) == min(rows, cap)


def test_capped_falls_back_to_the_forms_default_format() -> None:
    store = _store(2)
    body, fmt, form, count, cut = serialize_capped(store.query("ASK { ?s ?p ?o }"), get_format("ttl"), 1)
    assert (fmt.name, form, count, cut) == ("json", "ASK", 1, False) and json.loads(body)["boolean"] is True
    body, fmt, form, _, _ = serialize_capped(store.query("ASK { ?s ?p ?o }"), get_format("xml"), 1)
    assert fmt.name == "xml" and b"<boolean>true</boolean>" in body
    body, fmt, form, _, _ = serialize_capped(store.query("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }"), get_format("csv"), 5)
    assert (fmt.name, form) == ("ttl", "CONSTRUCT") and len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) == 2
    _, fmt, form, _, _ = serialize_capped(store.query("SELECT * { ?s ?p ?o }"), get_format("ttl"), 5)
    assert (fmt.name, form) == ("json", "SELECT")


def test_capped_turtle_uses_prefixes_only_where_the_format_has_them() -> None:
    store = _store(1)
    prefixes = {"e": EX}
    ttl = serialize_capped(store.query("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }"), get_format("ttl"), 5, prefixes)[0]
    assert b"@prefix e: <http://e/>" in ttl and b"e:s0 e:p" in ttl
    nt = serialize_capped(store.query("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }"), get_format("nt"), 5, prefixes)[0]
    assert nt == b'<http://e/s0> <http://e/p> "0" .\n'


ROW_TERMS: list[Any] = [
    ox.NamedNode("http://e/a&b"),
    ox.BlankNode("b1"),
    ox.Literal("plain <x>"),
    ox.Literal("hej", language="sv"),
    ox.Literal("7", datatype=ox.NamedNode(XSD_INT)),
    None,
]
NAMES = ["iri", "bnode", "plain", "lang", "typed", "unbound"]


def test_solutions_json_by_hand() -> None:
    body = serialize_solutions(NAMES, [ROW_TERMS], get_format("json"))
    assert json.loads(body) == {
        "head": {"vars": NAMES},
        "results": {
            "bindings": [
                {
                    "iri": {"type": "uri", "value": "http://e/a&b"},
                    "bnode": {"type": "bnode", "value": "b1"},
                    "plain": {"type": "literal", "value": "plain <x>"},
                    "lang": {"type": "literal", "value": "hej", "xml:lang": "sv"},
                    "typed": {"type": "literal", "value": "7", "datatype": XSD_INT},
                }
            ]
        },
    }
    triple = ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("o", language="en"))
    body = serialize_solutions(["t"], [[triple]], get_format("json"))
    assert json.loads(body)["results"]["bindings"] == [
        {
            "t": {
                "type": "triple",
                "value": {
                    "subject": {"type": "uri", "value": EX + "s"},
                    "predicate": {"type": "uri", "value": EX + "p"},
                    "object": {"type": "literal", "value": "o", "xml:lang": "en"},
                },
            }
        }
    ]
    assert json.loads(serialize_solutions(["x"], [], get_format("json"), True, 0))["truncated"]["max_rows"] == 0


def test_solutions_xml_read_back_by_pyoxigraph() -> None:
    body = serialize_solutions(NAMES, [ROW_TERMS, [None] * 6], get_format("xml"))
    rows = list(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML))  # type: ignore[arg-type]
    assert [[row[n] for n in NAMES] for row in rows] == [ROW_TERMS, [None] * 6]  # type: ignore[index]
    triple = ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("7", datatype=ox.NamedNode(XSD_INT)))
    body = serialize_solutions(["t"], [[triple]], get_format("xml"))
    assert [row["t"] for row in ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)] == [triple]  # type: ignore[index,union-attr]


def test_solutions_csv_and_tsv_by_hand() -> None:
    rows = [ROW_TERMS, [ox.NamedNode("http://e/2"), None, ox.Literal('a,"b"\nc'), None, None, None]]
    csv_text = serialize_solutions(NAMES, rows, get_format("csv")).decode()
    assert csv_text.startswith("iri,bnode,plain,lang,typed,unbound\r\n")
    assert list(csv.reader(io.StringIO(csv_text))) == [
        NAMES,
        ["http://e/a&b", "_:b1", "plain <x>", "hej", "7", ""],
        ["http://e/2", "", 'a,"b"\nc', "", "", ""],
    ]
    tsv = serialize_solutions(NAMES, rows, get_format("tsv")).decode()
    assert tsv == (
        "?iri\t?bnode\t?plain\t?lang\t?typed\t?unbound\n"
        '<http://e/a&b>\t_:b1\t"plain <x>"\t"hej"@sv\t"7"^^<http://www.w3.org/2001/XMLSchema#integer>\t\n'
        '<http://e/2>\t\t"a,\\"b\\"\\nc"\t\t\t\n'
    )
    tabbed = serialize_solutions(["x"], [[ox.Literal("a\tb\rc")]], get_format("tsv")).decode()
    assert tabbed == '?x\n"a\\tb\\rc"\n'


def test_solutions_refuse_a_graph_format() -> None:
    with pytest.raises(ValueError, match="text/turtle cannot carry SELECT results"):
        serialize_solutions(["x"], [], get_format("ttl"))


def test_answer_meta_has_everything_but_the_body() -> None:
    a = Answer(b"body", "text/csv", "csv", "SELECT", 2, True, "g000001", 0.5, True, 0.25, 3)
    assert a.meta() == {
        "media_type": "text/csv",
        "format": "csv",
        "form": "SELECT",
        "rows": 2,
        "truncated": True,
        "generation": "g000001",
        "seconds": 0.5,
        "cached": True,
        "queued": 0.25,
        "beside": 3,
    }


def test_solutions_json_keeps_non_ascii_as_utf8() -> None:
    """Names and values outside ASCII are written as UTF-8, as pyoxigraph's own serializer writes them."""
    triple = ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("Bakı"))
    body = serialize_solutions(["città", "t"], [[ox.Literal("Gəncə"), triple]], get_format("json"))
    assert "città".encode() in body and "Gəncə".encode() in body and "Bakı".encode() in body
    assert b"\\u" not in body
    store = ox.Store()  # pyoxigraph's own JSON of a real query writes the same characters raw
    store.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("Gəncə")))
    theirs = store.query("SELECT ?città WHERE { ?s ?p ?città }").serialize(format=ox.QueryResultsFormat.JSON)
    assert "Gəncə".encode() in theirs and "città".encode() in theirs


def test_solutions_refuse_a_row_that_does_not_fit_the_header() -> None:
    """A row with fewer values than variables is an error, never a document with shifted bindings."""
    for name in ("json", "xml"):
        with pytest.raises(ValueError):
            serialize_solutions(["a", "b"], [[ox.Literal("only one")]], get_format(name))


class CountingSolutions:
    """A stand-in for a lazy SELECT answer that counts how many solutions were drawn from it."""

    def __init__(self, n: int) -> None:
        self.variables = [ox.Variable("x")]
        self.drawn = 0
        self._n = n

    def __iter__(self) -> Any:
        for i in range(self._n):
            self.drawn += 1
            yield [ox.Literal(str(i))]


def test_capped_select_reads_one_row_past_the_cap_and_no_more() -> None:
    """A huge answer is evaluated only as far as needed to know it is cut."""
    result = CountingSolutions(1000)
    _, _, _, rows, cut = serialize_capped(result, get_format("csv"), 5)
    assert (rows, cut, result.drawn) == (5, True, 6)
