"""`visitgraph diff`: per-resource changes against the published generation, blank nodes by content."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from visitgraph.authoring.diff import canonical_triples, diff_graphs, diff_settings
from visitgraph.cli.main import cli, register_commands
from visitgraph.core.config import Settings

E = "http://e/"


def run(runner: CliRunner, settings: Settings, *args: str) -> object:
    register_commands()
    return runner.invoke(
        cli, ["--root", str(settings.root), *args, "--store", str(settings.store)], catch_exceptions=False
    )


def q(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal, g: str = E + "g") -> ox.Quad:
    return ox.Quad(s, ox.NamedNode(E + p), o, ox.NamedNode(g))


def test_diff_graphs_relabelled_blank_nodes_are_no_change() -> None:
    org = ox.NamedNode(E + "org")
    a, b = ox.BlankNode(), ox.BlankNode()
    current = [q(org, "address", a), q(a, "country", ox.Literal("RU"))]
    proposed = [q(org, "address", b), q(b, "country", ox.Literal("RU"))]
    assert diff_graphs(current, proposed).empty


def test_diff_graphs_changed_blank_node_shows_inline_on_its_resource() -> None:
    org = ox.NamedNode(E + "org")
    a, b = ox.BlankNode(), ox.BlankNode()
    current = [q(org, "address", a), q(a, "country", ox.Literal("RU"))]
    proposed = [q(org, "address", b), q(b, "country", ox.Literal("BY"))]
    d = diff_graphs(current, proposed)
    assert [(r.iri, r.status) for r in d.resources] == [(E + "org", "changed")]
    change = d.resources[0].properties[0]
    assert change.status == "changed"
    assert change.added == [f'[ {E}country "BY" ]'] and change.removed == [f'[ {E}country "RU" ]']


def test_diff_graphs_moving_a_triple_between_graphs_changes_no_resource() -> None:
    s = ox.NamedNode(E + "s")
    d = diff_graphs([q(s, "p", ox.Literal("x"), E + "g1")], [q(s, "p", ox.Literal("x"), E + "g2")])
    assert d.resources == [] and d.graphs_added == [E + "g2"] and d.graphs_removed == [E + "g1"]


def test_canonical_triples_nested_blank_nodes_compare_by_content() -> None:
    s = ox.NamedNode(E + "s")
    a1, a2, b1, b2 = ox.BlankNode(), ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    one = [q(s, "p", a1), q(a1, "q", a2), q(a2, "r", ox.Literal("1"))]
    two = [q(s, "p", b1), q(b1, "q", b2), q(b2, "r", ox.Literal("1"))]
    assert canonical_triples(one).keys == canonical_triples(two).keys


def test_canonical_triples_of_a_long_list_compare_by_content() -> None:
    """A list is a chain of blank nodes, one per item: 10,000 of them are named without recursion."""
    text = f"<{E}s> <{E}p> ( {' '.join(str(i) for i in range(10_000))} ) .\n".encode()
    one, two = (canonical_triples(ox.parse(input=text, format=ox.RdfFormat.TURTLE)) for _ in range(2))
    assert one.keys == two.keys and len(one.keys) == 1 + 2 * 10_000


def test_diff_unchanged_repo_reports_no_changes(built_project: Settings, runner: CliRunner) -> None:
    assert diff_settings(built_project).empty
    result = run(runner, built_project, "diff")
    assert result.exit_code == 0 and "No changes" in result.output


def test_diff_shows_edit_removal_and_new_resource_with_labels(built_project: Settings, runner: CliRunner) -> None:
    people = built_project.root / "data" / "people.ttl"
    text = people.read_text(encoding="utf-8")
    text = text.replace('schema:jobTitle "Writer" .', 'schema:jobTitle "Novelist" .')
    text += '\nperson:new-person a schema:Person ; schema:name "New Person" ; schema:jobTitle "Guest" .\n'
    people.write_text(text, encoding="utf-8")
    (built_project.root / "data" / "visits" / "2006-06-26-president-ilham-aliyev.ttl").unlink()
    result = run(runner, built_project, "diff")
    assert result.exit_code == 0, result.output
    out = result.output
    assert 'person/gerard-cardonne  "Gerard Cardonne"' in out
    assert '- schema:jobTitle "Writer"' in out and '+ schema:jobTitle "Novelist"' in out
    assert 'person/new-person  "New Person"' in out.split("Added")[1].split("Changed")[0]
    assert 'visit/2006-06-26-president-ilham-aliyev  "Visit of President Ilham Aliyev"' in out.split("Removed")[1]
    assert "- graph graph/data/visits/2006-06-26-president-ilham-aliyev.ttl" in out
    data = json.loads(run(runner, built_project, "diff", "--format", "json").output)
    assert data["resources"] == {"added": 1, "changed": 1, "removed": 1}
    statuses = {c["id"]: c["status"] for c in data["changes"]}
    assert statuses["person/gerard-cardonne"] == "changed"
    job = next(p for c in data["changes"] if c["id"] == "person/gerard-cardonne" for p in c["properties"])
    assert job == {"property": "schema:jobTitle", "status": "changed", "added": ['"Novelist"'], "removed": ['"Writer"']}


@pytest.mark.parametrize("fmt", ["text", "json", "nt"])
def test_diff_before_any_build_lists_everything_as_added(project: Settings, runner: CliRunner, fmt: str) -> None:
    result = run(runner, project, "diff", "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "nt":
        lines = result.output.splitlines()
        assert lines and all(line.startswith("+ ") and line.endswith(" .") for line in lines)
    elif fmt == "json":
        assert json.loads(result.output)["published"] is None
    else:
        assert "nothing published yet" in result.output


def test_diff_nt_patch_lines_for_a_change(built_project: Settings, runner: CliRunner) -> None:
    people = built_project.root / "data" / "people.ttl"
    people.write_text(people.read_text(encoding="utf-8").replace('"Writer"', '"Novelist"'), encoding="utf-8")
    lines = run(runner, built_project, "diff", "--format", "nt").output.splitlines()
    assert lines == [
        '- <https://w3id.org/visitgraph/id/person/gerard-cardonne> <http://schema.org/jobTitle> "Writer" .',
        '+ <https://w3id.org/visitgraph/id/person/gerard-cardonne> <http://schema.org/jobTitle> "Novelist" .',
    ]
