"""POST /linksets: contributors named in any script, and refusals that name a bounded number of problems."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from conftest import WRITE_TOKEN, app_maker
from visitgraph.core.config import Settings
from visitgraph.core.errors import BadParameter, LinksetInvalid
from visitgraph.linking.linkset_files import contributor_slug, read_linkset_file
from visitgraph.linking.linksets import MAX_PROBLEMS, LinksetProblems, linkset_path

AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
CSV = "ours,theirs\nperson/mayil-ahmadov,https://example.org/p/42\n"


@pytest.fixture
def write_client(built_project: Settings) -> Iterator[FlaskClient]:
    with app_maker(built_project) as make:
        yield make().test_client()


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Российская библиотека", "rossiyskaya-biblioteka"),
        ("Εθνική Βιβλιοθήκη της Ελλάδος", "ethniki-vivliothiki-tis-ellados"),
        ("中国国家图书馆", "zhongguoguojiatushuguan"),
        ("国立国会図書館 🙂", "guoliguohuitushuguan"),  # symbols are not spelled out
        ("١٢٣", "123"),
    ],
)
def test_contributor_slug_transliterates_other_scripts(name: str, slug: str) -> None:
    assert contributor_slug(name) == slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Russian State Library (RSL)", "russian-state-library-rsl"),
        ("Example National Library", "example-national-library"),
        ("Mayıl Əhmədov Library", "mayl-hmdov-library"),  # the slug it always had: stored linksets keep their file
        ("Национальная библиотека / National Library", "national-library"),
    ],
)
def test_contributor_slug_unchanged_where_it_had_one(name: str, slug: str) -> None:
    assert contributor_slug(name) == slug


@pytest.mark.parametrize("name", ["!!!", "— · —", "🙂🙂", "☃"])
def test_contributor_without_letters_or_digits_refused(name: str) -> None:
    with pytest.raises(BadParameter, match="has no letters or digits; give a real name"):
        contributor_slug(name)


def test_http_linkset_from_a_cyrillic_contributor_accepted(write_client: FlaskClient, built_project: Settings) -> None:
    name = "Российская библиотека"
    resp = write_client.post(f"/linksets?contributor={quote(name)}", data=CSV, content_type="text/csv", headers=AUTH)
    assert resp.status_code == 202, resp.get_data(as_text=True)
    linkset = resp.get_json()["linkset"]
    assert (linkset["name"], linkset["contributor"], linkset["links"]) == ("rossiyskaya-biblioteka", name, 1)
    info, _ = read_linkset_file(
        linkset_path(built_project, "pending", "rossiyskaya-biblioteka"), built_project.base_iri, "pending"
    )
    assert info.contributor == name  # kept as written


def test_http_linkset_without_letters_refused(write_client: FlaskClient) -> None:
    resp = write_client.post(f"/linksets?contributor={quote('!!!')}", data=CSV, content_type="text/csv", headers=AUTH)
    assert resp.status_code == 400 and "has no letters or digits; give a real name" in resp.get_json()["error"]


def test_http_linkset_problems_capped(write_client: FlaskClient) -> None:
    items = 5_000
    body = (
        "<https://w3id.org/visitgraph/id/person/mayil-ahmadov> <http://www.w3.org/2002/07/owl#sameAs> ("
        + " ".join(f"<e:{i}>" for i in range(items))
        + ") .\n"
    )
    resp = write_client.post("/linksets?contributor=Big", data=body, content_type="text/turtle", headers=AUTH)
    assert resp.status_code == 422
    error = resp.get_json()
    total = 2 * items + 1  # each list node is a blank node twice over, and the link to the list
    assert error["type"] == "LinksetInvalid" and error["problems_total"] == total
    assert len(error["problems"]) == MAX_PROBLEMS + 1
    assert error["problems"][-1] == {"line": None, "message": f"and {total - MAX_PROBLEMS} more problem(s), not listed"}
    assert error["error"].startswith(f"linkset.ttl: {total} problem(s), the first {MAX_PROBLEMS} listed; nothing")
    assert len(resp.data) < 50_000


def test_linkset_problems_under_the_cap_all_named_in_line_order() -> None:
    problems: list[tuple[int | None, str]] = [(3, "c"), (None, "n"), (1, "b"), (1, "a")]
    error = LinksetProblems("x.csv", problems)
    assert isinstance(error, LinksetInvalid) and error.problems == [(None, "n"), (1, "a"), (1, "b"), (3, "c")]
    assert error.to_dict()["problems_total"] == 4 and str(error).startswith("x.csv: 4 problem(s); nothing was stored.")


def test_linkset_problems_over_the_cap_first_by_line() -> None:
    problems: list[tuple[int | None, str]] = [(n, f"p{n}") for n in range(MAX_PROBLEMS + 50, 0, -1)]
    error = LinksetProblems("x.csv", problems)
    assert [line for line, _ in error.problems[:-1]] == list(range(1, MAX_PROBLEMS + 1))
    assert error.problems[-1] == (None, "and 50 more problem(s), not listed")
    assert f"x.csv:{MAX_PROBLEMS}: p{MAX_PROBLEMS}" in str(error) and "x.csv:?: and 50 more" in str(error)
