"""SPARQL syntax errors people can act on: position, the line with a caret, a plain sentence.

Every case goes through the real engine (pyoxigraph's parser) and checks the message built from
its SyntaxError, on the library, `/sparql` (JSON and HTML), saved queries and `visitgraph query`.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask.testing import FlaskClient

from visitgraph.cli.main import cli, register_commands
from visitgraph.core.config import Settings
from visitgraph.core.errors import BadQuery
from visitgraph.sparql.engine import run_query

CASES = [
    # (query, line, column, words the sentence must carry)
    (
        "SELECT * WHERE { ?s foo:bar ?o }",
        1,
        21,
        [
            "prefix `foo:` is not declared",
            "schema: <http://schema.org/>",
            "vg: <https://w3id.org/visitgraph/ontology#>",
        ],
    ),
    ("SELECT * WHERE { ?s schema:name ?o }", 1, 21, ["Add `PREFIX schema: <http://schema.org/>`"]),
    (
        "PREFIX schema: <http://schema.org/>\nSELECT * WHERE {\n  ?s schema:name ?n\n  ?s schema:url ?o }",
        3,
        20,
        ["`.` that ends a triple pattern is missing", "after `?n`"],
    ),
    ("SELECT * WHERE { ?s ?p ?o ", 1, 27, ["add 1 `}`"]),
    ("SELECT * WHERE { OPTIONAL { ?s ?p ?o }", 1, 39, ["add 1 `}`"]),
    ("SELECT * WHERE { ?s ?p ?o } }", 1, 30, ["`}` with no `{`"]),
    ("SELEC * WHERE { ?s ?p ?o }", 1, 1, ["`SELEC` is not a SPARQL keyword; did you mean `SELECT`?"]),
    ("SELECT * WHER { ?s ?p ?o }", 1, 10, ["did you mean `WHERE`?"]),
    ("SELECT * WHERE { ?s ?p ?o FILTR(?o) }", 1, 27, ["did you mean `FILTER`?"]),
    ("SELECT * WHERE { ?s ?p ?o . }\nLIMT 3", 2, 1, ["did you mean `LIMIT`?"]),
    ('SELECT * WHERE { ?s <http://x> "a }', 1, 32, ["string that starts here is not closed"]),
]


def _error(query: str) -> BadQuery:
    with pytest.raises(BadQuery) as info:
        run_query(ox.Store(), query)
    return info.value


@pytest.mark.parametrize(("query", "line", "column", "words"), CASES)
def test_syntax_error_names_position_sentence_and_caret(query: str, line: int, column: int, words: list[str]) -> None:
    e = _error(query)
    assert (e.line, e.column) == (line, column)
    first, quoted, caret = str(e).split("\n")
    assert first.startswith(f"The query does not parse at line {line}, column {column}: ")
    for w in words:
        assert w in first
    assert quoted == f"{line} | " + query.split("\n")[line - 1]
    # the caret sits under the column it names
    assert caret.index("^") - caret.index("|") - 2 == column - 1
    assert "expected one of" not in str(e) and "\\u{" not in str(e)


def test_syntax_error_in_valid_prefixed_query_is_not_a_prefix_error() -> None:
    e = _error("PREFIX schema: <http://schema.org/>\nSELECT * WHERE { ?s schema:name ?n ?s ?p ?o }")
    assert "prefix" not in str(e).split("\n")[0].lower()


def test_sparql_json_error_carries_position_and_caret(repo_client: FlaskClient) -> None:
    resp = repo_client.get(
        "/sparql",
        query_string={"query": "SELECT * WHERE { ?s foo:bar ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["ok"] is False and (body["line"], body["column"]) == (1, 21)
    assert "prefix `foo:` is not declared" in body["error"]
    assert body["error"].endswith("1 | SELECT * WHERE { ?s foo:bar ?o }\n  |                     ^")


def test_sparql_html_error_shows_sentence_and_caret(repo_client: FlaskClient) -> None:
    resp = repo_client.get(
        "/sparql", query_string={"query": "SELEC * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/html"}
    )
    assert resp.status_code == 400
    alert = BeautifulSoup(resp.data, "html.parser").select_one("div.error")
    assert alert is not None
    assert "did you mean `SELECT`?" in alert.get_text()
    pre = alert.select_one("pre.excerpt")
    assert pre is not None and pre.get_text() == "1 | SELEC * WHERE { ?s ?p ?o }\n  | ^"


@pytest.fixture
def bad_saved_query(built_project: Settings) -> Settings:
    (built_project.root / "queries" / "broken.rq").write_text(
        "# title: Broken\n# description: misses a dot\nPREFIX schema: <http://schema.org/>\n"
        "SELECT ?s ?n WHERE {\n  ?s schema:name ?n\n  ?s schema:url ?u\n}\n",
        encoding="utf-8",
    )
    return built_project


def test_saved_query_syntax_error_on_the_web(bad_saved_query: Settings) -> None:
    from visitgraph.web import create_app

    app = create_app(bad_saved_query)
    resp = app.test_client().get("/queries/broken.json")
    assert resp.status_code == 400
    error = resp.get_json()["error"]
    assert "`.` that ends a triple pattern is missing" in error
    assert "\n3 |   ?s schema:name ?n\n" in error  # line 3 of the SPARQL the page shows (no header)
    page = app.test_client().get("/queries/broken", headers={"Accept": "text/html"})
    assert page.status_code == 400
    alert = BeautifulSoup(page.data, "html.parser").select_one("div.error")
    assert alert is not None and "`.` that ends a triple pattern is missing" in alert.get_text()
    pre = alert.select_one("pre.excerpt")
    assert pre is not None and pre.get_text().startswith("3 |   ?s schema:name ?n\n")


def test_saved_query_syntax_error_in_the_cli(bad_saved_query: Settings) -> None:
    register_commands()
    result = CliRunner().invoke(
        cli,
        ["--root", str(bad_saved_query.root), "queries", "run", "broken"],
        env={"VISITGRAPH_STORE": str(bad_saved_query.store)},
    )
    assert result.exit_code == 1
    assert "Error: The query does not parse at line" in result.output
    assert "`.` that ends a triple pattern is missing" in result.output


def test_cli_query_syntax_error(built_project: Settings) -> None:
    register_commands()
    result = CliRunner().invoke(
        cli,
        [
            "--root",
            str(built_project.root),
            "query",
            "--store",
            str(built_project.store),
            "SELECT * WHERE { ?s foo:bar ?o }",
        ],
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("Error: The query does not parse at line 1, column 21: the prefix `foo:`")
    assert lines[1:3] == ["1 | SELECT * WHERE { ?s foo:bar ?o }", "  |                     ^"]


def test_syntax_error_position_is_of_the_text_as_written() -> None:
    """The parser's position is of the text as written, even when a saved query's parameters are injected."""
    from visitgraph.sparql.engine import run_query as run

    with pytest.raises(BadQuery) as info:
        run(ox.Store(), "SELECT ?s WHERE {\n ?s ?p ?year ?x\n}", substitutions={"year": ox.Literal("2013")})
    assert (info.value.line, info.value.column) == (2, 13)
