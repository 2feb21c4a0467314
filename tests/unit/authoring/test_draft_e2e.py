"""A news item outside data/ goes text -> draft -> librarian edit -> diff -> build -> published and queryable.

Not a held-out measurement: the item arrived together with the gift rule that reads it (in-sample)."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from conftest import TEST_DATA
from visitgraph.cli.main import cli, register_commands
from visitgraph.core.config import Settings
from visitgraph.sparql.engine import run_query
from visitgraph.store.backend import store_from_settings

NEWS = TEST_DATA / "news" / "national-library-2021.txt"
BASE = "https://w3id.org/visitgraph/id/"


def run(runner: CliRunner, settings: Settings, *args: str) -> object:
    register_commands()
    result = runner.invoke(cli, ["--root", str(settings.root), *args], catch_exceptions=False)
    return result


def test_news_item_to_published_record(project: Settings, runner: CliRunner) -> None:
    store_args = ("--store", str(project.store))
    assert run(runner, project, "build", *store_args).exit_code == 0

    drafted = run(runner, project, "draft", str(NEWS), "--json")
    assert drafted.exit_code == 0, drafted.output
    (record,) = json.loads(drafted.output)
    assert record["date"] == "2021-05-14" and record["contributors"] == [BASE + "person/mayil-ahmadov"]
    path = project.root / "data" / "visits" / "2021-05-14-martin-hallik.ttl"
    text = path.read_text(encoding="utf-8")
    assert text.count("# check:") >= 5

    # the librarian reviews: fixes one guess (the label), confirms the rest, deletes the marks
    text = text.replace(
        '"Visit of Director General Martin Hallik"',
        '"Visit of Martin Hallik, Director General of the National Library of Estonia"',
    )
    text = re.sub(r"  # check: .*$", "", text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    assert "# check:" not in text

    shown = run(runner, project, "diff", *store_args)
    assert shown.exit_code == 0, shown.output
    added = shown.output.split("Added")[1].split("Changed")[0]
    assert 'visit/2021-05-14-martin-hallik  "Visit of Martin Hallik, Director General' in added
    assert 'person/martin-hallik  "Martin Hallik"' in added
    assert 'organization/national-library-of-estonia  "National Library of Estonia"' in added
    assert "+ graph graph/data/visits/2021-05-14-martin-hallik.ttl" in shown.output

    built = run(runner, project, "build", *store_args)
    assert built.exit_code == 0, built.output
    assert run(runner, project, "diff", *store_args).output.startswith("No changes")

    result = run_query(
        store_from_settings(project).reader(),
        """
        PREFIX schema: <http://schema.org/>  PREFIX vg: <https://w3id.org/visitgraph/ontology#>
        SELECT ?date ?who ?org ?director ?signed (COUNT(DISTINCT ?gift) AS ?gifts) WHERE {
          ?v a vg:Visit ; schema:startDate ?date ; schema:attendee ?p ; schema:contributor ?d ;
             vg:gift ?gift ; vg:outcome ?a .
          ?p schema:name ?who ; schema:affiliation/schema:name ?org .
          ?d schema:name ?director . ?a vg:signed ?signed .
          FILTER(?date = "2021-05-14"^^<http://www.w3.org/2001/XMLSchema#date>)
        } GROUP BY ?date ?who ?org ?director ?signed""",
    )
    rows = [{k: row[k].value for k in ("who", "org", "director", "signed", "gifts")} for row in result]
    assert rows == [
        {
            "who": "Martin Hallik",
            "org": "National Library of Estonia",
            "director": "Mayil Ahmadov",
            "signed": "true",
            "gifts": "2",
        }
    ]
