"""One analysis per SPARQL text (sparql/analysis.py): a write's text is tokenized once and parsed once.

Before, the web view tokenized a write for its kind, `using-graph-uri` tokenized it three times more,
the SSRF guard once again, and the incremental build once more (plus rdflib's parse). These tests count
the tokenizer's passes over the text of one request, through the whole path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from conftest import WRITE_TOKEN, settings_for
from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.core.errors import BadQuery
from visitgraph.publish.pipeline import build
from visitgraph.sparql import analysis, ssrf, text
from visitgraph.sparql.analysis import Analysed
from visitgraph.store.backend import store_from_settings

MARKER = "count-marker-issue-15"


class CountingPattern:
    """Stands in for the tokenizer's compiled pattern and counts its passes over texts holding MARKER."""

    def __init__(self, pattern: re.Pattern[str], passes: list[int]) -> None:
        self.pattern = pattern
        self.passes = passes

    def finditer(self, string: str, *args: Any) -> Iterator[re.Match[str]]:
        if MARKER in string:
            self.passes.append(len(string))
        return self.pattern.finditer(string, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern, name)


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count every tokenizer pass over a text holding MARKER, whichever module holds the pattern."""
    found: list[int] = []
    pattern = text._TOKEN
    for module in (text, ssrf, analysis):
        monkeypatch.setattr(module, "_TOKEN", CountingPattern(pattern, found), raising=False)
    return found


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count rdflib's parses of an update (the incremental build's reading of the graphs it writes)."""
    from rdflib.plugins.sparql import parser

    found: list[str] = []
    original = parser.parseUpdate

    def counting(update: str) -> Any:
        found.append(update)
        return original(update)

    monkeypatch.setattr(parser, "parseUpdate", counting)
    return found


@pytest.fixture
def big(mini_project: Settings) -> tuple[FlaskClient, str, str]:
    """A write-enabled app over the mini project (every build after the first incremental), a visit and its graph."""
    from visitgraph.web import create_app

    settings = settings_for(mini_project.root, validate_whole_limit=0, validate_workers=1)
    store = store_from_settings(settings)
    build(settings, store, who="pytest")
    reader = store.reader()
    visit = next(q.subject for q in reader if q.object == ox.NamedNode(vocab.VG + "Visit"))
    graph = next(q.graph_name for q in reader if q.subject == visit)
    app = create_app(settings)
    app.config["TESTING"] = True
    return app.test_client(), str(visit), str(graph)


def test_a_write_is_tokenized_once_and_parsed_once(
    big: tuple[FlaskClient, str, str], passes: list[int], parses: list[str]
) -> None:
    """One update over HTTP, with `using-graph-uri`, a word the SSRF guard looks for, on an incremental build."""
    client, visit, graph = big
    update = (
        f"# {MARKER}\n"
        f'INSERT {{ GRAPH {graph} {{ ?v <{vocab.SCHEMA}description> "Met at the service desk."@en }} }}\n'
        f"WHERE {{ GRAPH {graph} {{ ?v a <{vocab.VG}Visit> }} FILTER(?v = {visit}) }}"
    )
    resp = client.post(
        "/sparql/update",
        data={"update": update, "using-graph-uri": graph[1:-1]},
        headers={"Authorization": f"Bearer {WRITE_TOKEN}"},
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["ok"] is True
    # The request's text once (its kind and its dataset words), the text with USING once (guard, graphs): before,
    # the kind, USING (three passes), the guard and the build's plan each read it again.
    assert len(passes) == 2, passes
    assert len(parses) == 1  # rdflib, for the graphs the write touches (the build's plan)


def test_a_query_is_tokenized_once(big: tuple[FlaskClient, str, str], passes: list[int]) -> None:
    """The endpoint's kind and the executor's SSRF guard read one analysis (before: two passes)."""
    client, visit, _ = big
    query = f'# {MARKER}\nSELECT ?v WHERE {{ ?v ?p ?o FILTER(?o != "service desk") FILTER(?v = {visit}) }} LIMIT 1'
    resp = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert len(passes) == 1, passes


def test_the_kind_reads_only_the_first_tokens_and_the_rest_continues_the_same_pass(passes: list[int]) -> None:
    op = Analysed(f"INSERT DATA {{ <x:a> <x:b> '{MARKER}' }} ; LOAD <http://x/>", "http://base/")
    assert op.kind == "UPDATE"
    assert len(op.tokens(0)._read) == 1  # one token was enough
    assert op.network_targets == [("LOAD", "http://x/")]
    assert op.touched_graphs == {analysis.DEFAULT_GRAPH}  # the data block's triple and the LOAD, both default
    assert len(passes) == 1


def test_using_refused_when_the_update_names_its_dataset() -> None:
    with pytest.raises(BadQuery, match="names its dataset"):
        Analysed("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }").with_using(["http://g/2"], [])
    with pytest.raises(BadQuery, match="using-graph-uri"):
        Analysed("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }").with_using(["not an iri"], [])
    same = Analysed("DELETE WHERE { ?s ?p ?o }")
    assert same.with_using([], []) is same


def test_escaped_keywords_are_read_in_the_decoded_view() -> None:
    op = Analysed("\\u0053ELECT * { \\u0053ERVICE <http://evil/> { ?s ?p ?o } }")
    assert op.kind == "SELECT" and len(op.views) == 2
    with pytest.raises(BadQuery, match="evil"):
        op.check_network(["http://ok/"])


def test_syntax_checked_once_with_line_and_column() -> None:
    op = Analysed("INSERT DATA {\n  <x:a> <x:b> }", "http://base/")
    with pytest.raises(BadQuery) as caught:
        op.check_update_syntax()
    assert caught.value.line == 2
    fine = Analysed("INSERT DATA { <x:a> <x:b> <x:c> }", "http://base/")
    fine.check_update_syntax()  # a valid update passes quietly


def test_an_analysis_is_reused_only_against_its_own_base() -> None:
    op = Analysed("ASK {}", "http://x/")
    assert Analysed.of(op, "http://x/") is op
    other = Analysed.of(op, "http://y/")
    assert other is not op and (other.text, other.base_iri) == ("ASK {}", "http://y/")
    assert (Analysed.of("ASK {}", None).text, Analysed.of("ASK {}", None).base_iri) == ("ASK {}", None)
