"""SPARQL the command line hands to Oxigraph: nesting refused by the `max_depth` setting, engine errors and
a crashed query process told in one line, saved query files that are not UTF-8 named.

Every test runs the real `visitgraph` command in a process (`python -m visitgraph`): the failures fixed here
were a SIGSEGV (exit 139, no message) and tracebacks, which only a real process shows.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import run_visitgraph
from visitgraph.core.config import Settings
from visitgraph.store.embedded import EmbeddedStore

DEEP = 5000
LIMIT = "the limit is 200 (setting max_depth). Write it flatter."


def visitgraph(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `visitgraph --root <project> ARGS` in a process; `env` adds VISITGRAPH_* settings."""
    return run_visitgraph(settings, *args, env={f"VISITGRAPH_{k.upper()}": v for k, v in env.items()})


def nested_select(n: int) -> str:
    return "SELECT ?s ?p ?o WHERE " + "{" * n + " ?s ?p ?o " + "}" * n


def save_query(settings: Settings, name: str, sparql: str) -> Path:
    path = settings.root / "queries" / f"{name}.rq"
    path.write_text(f"# title: {name}\n{sparql}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("depth", [199, 200, 201, DEEP])
def test_queries_run_refuses_a_saved_query_nested_past_max_depth(
    store: EmbeddedStore, mini_project: Settings, depth: int
) -> None:
    path = save_query(mini_project, "zz-deep", nested_select(depth))
    done = visitgraph(mini_project, "queries", "run", "zz-deep", "--format", "json")
    if depth <= 200:
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["rows"]
    else:
        assert (done.returncode, done.stderr) == (
            1,
            f"Error: {path} nests {depth} groups or expressions deep; {LIMIT}\n",
        )


@pytest.mark.parametrize("command", [("queries", "list"), ("queries", "show", "zz-deep"), ("build",)])
def test_listing_showing_and_building_refuse_a_saved_query_nested_past_max_depth(
    store: EmbeddedStore, mini_project: Settings, command: tuple[str, ...]
) -> None:
    path = save_query(mini_project, "zz-deep", nested_select(DEEP))
    done = visitgraph(mini_project, *command)
    assert done.returncode == 1, done.stderr
    assert done.stderr.endswith(f"Error: {path} nests {DEEP} groups or expressions deep; {LIMIT}\n"), done.stderr


def test_queries_list_accepts_a_saved_query_nested_at_max_depth(store: EmbeddedStore, mini_project: Settings) -> None:
    save_query(mini_project, "zz-deep", nested_select(200))
    done = visitgraph(mini_project, "queries", "list")
    assert done.returncode == 0 and "zz-deep" in done.stdout, done.stderr


def test_the_max_depth_setting_applies_to_saved_queries(store: EmbeddedStore, mini_project: Settings) -> None:
    path = save_query(mini_project, "zz-deep", nested_select(51))
    done = visitgraph(mini_project, "queries", "run", "zz-deep", max_depth="50")
    assert (done.returncode, done.stderr) == (
        1,
        f"Error: {path} nests 51 groups or expressions deep; the limit is 50 (setting max_depth). Write it flatter.\n",
    )


@pytest.mark.parametrize("depth", [199, 200, 201, DEEP])
def test_query_refuses_nesting_past_max_depth(store: EmbeddedStore, mini_project: Settings, depth: int) -> None:
    done = visitgraph(mini_project, "query", nested_select(depth) + " LIMIT 1", "--format", "csv")
    if depth <= 200:
        assert (done.returncode, done.stdout.splitlines()[0]) == (0, "s,p,o"), done.stderr
    else:
        assert (done.returncode, done.stderr) == (
            1,
            f"Error: The query nests {depth} groups or expressions deep; {LIMIT}\n",
        )


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { FILTER(" + "(" * DEEP + "true" + ")" * DEEP + ") }",
        "SELECT * WHERE " + "{ SELECT * WHERE " * DEEP + "{ ?s ?p ?o }" + " }" * DEEP,
        "SELECT * WHERE { ?s ?p ?o FILTER(1<CONCAT('>'))" + "{" * DEEP + "?s ?p ?o" + "}" * DEEP + " FILTER('x') }",
    ],
    ids=["parentheses", "subqueries", "less-than-then-string"],
)
def test_query_refuses_disguised_nesting(store: EmbeddedStore, mini_project: Settings, sparql: str) -> None:
    done = visitgraph(mini_project, "query", sparql)
    assert done.returncode == 1 and done.stderr.startswith("Error: The query nests "), done.stderr
    assert done.stderr.endswith(f"; {LIMIT}\n"), done.stderr


def test_query_does_not_count_braces_in_strings_and_comments(store: EmbeddedStore, mini_project: Settings) -> None:
    sparql = 'SELECT ?x WHERE { BIND("' + "{(" * DEEP + '" AS ?x) } # ' + "{" * DEEP
    done = visitgraph(mini_project, "query", sparql, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["x", "{(" * DEEP]


def test_query_engine_error_is_one_line_without_traceback(store: EmbeddedStore, mini_project: Settings) -> None:
    done = visitgraph(mini_project, "query", "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: The query failed while it ran: The port 1 is not allowed"), done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr and 'File "' not in done.stderr


def test_query_process_killed_by_a_signal_is_named(store: EmbeddedStore, mini_project: Settings) -> None:
    # not nested, so past the depth check: 5,000 BINDs in a row still overflow pyoxigraph 0.5's stack
    sparql = "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(DEEP)) + " }"
    done = visitgraph(mini_project, "query", sparql)
    if done.returncode == 0:
        pytest.skip("this pyoxigraph evaluates 5,000 BINDs without crashing")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: The query process was killed by signal 11 (SIGSEGV): "), done.stderr
    assert "write it flatter or in smaller parts." in done.stderr


NOT_UTF8 = b"# title: \xff\xfe\nSELECT * WHERE { ?s ?p ?o }\n"
NOT_UTF8_ERROR = "zz-bad.rq:1:10: not UTF-8 (byte 0xff at offset 9); save it as UTF-8."


@pytest.mark.parametrize("command", [("queries", "list"), ("queries", "show", "zz-bad"), ("build",)])
def test_saved_query_not_utf8_is_named_with_its_byte_offset(
    store: EmbeddedStore, mini_project: Settings, command: tuple[str, ...]
) -> None:
    (mini_project.root / "queries" / "zz-bad.rq").write_bytes(NOT_UTF8)
    done = visitgraph(mini_project, *command)
    assert done.returncode == 1
    last = done.stderr.splitlines()[-1]
    assert last.startswith(f"Error: {mini_project.root / 'queries'}/{NOT_UTF8_ERROR}"), done.stderr
    assert "Traceback" not in done.stderr


def test_serve_answers_a_saved_query_not_utf8_with_the_error_shape(
    store: EmbeddedStore, mini_project: Settings
) -> None:
    (mini_project.root / "queries" / "zz-bad.rq").write_bytes(NOT_UTF8)
    done = visitgraph(mini_project, "serve", "--get", "/queries.json")
    answer = json.loads(done.stdout)
    assert (answer["ok"], answer["status"], answer["type"]) == (False, 400, "DataSyntaxError")
    assert answer["error"].startswith(f"{mini_project.root / 'queries'}/{NOT_UTF8_ERROR}")
    assert "Traceback" not in done.stderr


def test_build_refuses_a_changeset_nested_past_max_depth(store: EmbeddedStore, mini_project: Settings) -> None:
    folder = mini_project.root / "changesets"
    folder.mkdir(exist_ok=True)
    (folder / "0001-deep.ru").write_text(
        "INSERT { <http://a> <http://b> <http://c> } WHERE " + "{" * DEEP + "}" * DEEP + "\n", encoding="utf-8"
    )
    done = visitgraph(mini_project, "build")
    assert done.returncode == 1, done.returncode
    assert done.stderr.endswith(f"Error: changesets/0001-deep.ru nests {DEEP} groups or expressions deep; {LIMIT}\n"), (
        done.stderr
    )


def test_a_changeset_within_a_raised_max_depth_is_replayed(store: EmbeddedStore, mini_project: Settings) -> None:
    """A write accepted over HTTP under a raised `max_depth` must replay at every later build (the same setting)."""
    folder = mini_project.root / "changesets"
    folder.mkdir(exist_ok=True)
    (folder / "0001-deeper.ru").write_text(
        "INSERT { <http://a> <http://b> <http://c> } WHERE " + "{" * 250 + "}" * 250 + "\n", encoding="utf-8"
    )
    refused = visitgraph(mini_project, "build")
    assert refused.returncode == 1 and "nests 250 groups" in refused.stderr
    done = visitgraph(mini_project, "build", max_depth="300")
    assert done.returncode == 0, done.stderr
