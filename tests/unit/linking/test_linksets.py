"""Contributed linksets: refused with line numbers, reviewed, published in their own graph, replaced, withdrawn."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import READ_TOKEN, TEST_DATA, WRITE_TOKEN
from visitgraph.cli.main import cli, register_commands
from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.core.errors import LinksetInvalid, ShapesViolation
from visitgraph.linking.linksets import (
    add_linkset,
    also_known_as,
    linkset_void_triples,
    list_linksets,
)
from visitgraph.publish.linkset_review import review_linkset, withdraw_linkset
from visitgraph.store.backend import store_from_settings
from visitgraph.store.embedded import EmbeddedStore

LINKSETS = TEST_DATA / "linksets"
SLUG = "example-national-library"
CONTRIBUTOR = "Example National Library"


def _graphs(store: EmbeddedStore) -> dict[str, set[str]]:
    """Every graph's triples, blank nodes labelled canonically (RDFC-1.0) so builds compare equal."""
    from visitgraph.store.dump import dump_quads

    by_graph: dict[str, list[ox.Quad]] = {}
    for q in store.quads():
        by_graph.setdefault(str(q.graph_name), []).append(q)
    out = {}
    for graph, quads in by_graph.items():
        data = dump_quads(quads, "nq").data
        text = data.decode() if isinstance(data, bytes) else str(data)
        out[graph] = {line.rsplit(" ", 2)[0] for line in text.splitlines() if line.strip()}
    return out


def _others(graphs: dict[str, set[str]], settings: Settings) -> dict[str, set[str]]:
    prefix = "<" + vocab.graph_iri(settings.base_iri, "linksets/")
    return {g: q for g, q in graphs.items() if not g.startswith(prefix)}


def _same_others(after: dict[str, set[str]], before: dict[str, set[str]], settings: Settings) -> None:
    """Assert every non-linkset graph is unchanged; on failure say which graphs and triples differ."""
    a, b = _others(after, settings), _others(before, settings)
    if a == b:
        return
    diff = {
        g: {
            "added": sorted(a.get(g, set()) - b.get(g, set()))[:5],
            "gone": sorted(b.get(g, set()) - a.get(g, set()))[:5],
        }
        for g in sorted(set(a) | set(b))
        if a.get(g) != b.get(g)
    }
    raise AssertionError(f"graphs outside the linksets changed: {diff}")


def _graph_of(settings: Settings, slug: str = SLUG) -> str:
    return f"<{vocab.graph_iri(settings.base_iri, f'linksets/accepted/{slug}.ttl')}>"


def _publish(settings: Settings, store: EmbeddedStore, file: str = "good.csv") -> None:
    add_linkset(settings, store, CONTRIBUTOR, (LINKSETS / file).read_bytes(), file)
    review_linkset(settings, store, SLUG, accept=True, reason="checked by hand", reviewer="Aysel Q.")


@pytest.mark.parametrize(
    ("file", "lines"),
    [
        ("bad.csv", [3, 4, 5, 6, 7, 8]),  # never minted, relative IRI, broken row, duplicate, our namespace, predicate
        ("bad.ttl", [5, 6]),  # never minted, relative IRI
        ("syntax.ttl", [5]),
    ],
)
def test_add_bad_linkset_refused_with_lines_store_unchanged(
    built_project: Settings, file: str, lines: list[int]
) -> None:
    store = store_from_settings(built_project)
    before, gen = _graphs(store), store.current()
    with pytest.raises(LinksetInvalid) as info:
        add_linkset(built_project, store, CONTRIBUTOR, (LINKSETS / file).read_bytes(), file)
    assert sorted({line for line, _ in info.value.problems}) == lines
    assert all(f"{file}:{n}:" in str(info.value) for n in lines)
    assert _graphs(store) == before and store.current() == gen
    assert list_linksets(built_project) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("person/mayil-ahmadov,http://viaf.org/viaf/1\nperson/no-such-person,http://viaf.org/viaf/2\n", "never minted"),
        ("person/mayil-ahmadov,viaf/1\n", "not a well-formed absolute IRI"),
        ('person/mayil-ahmadov,"http://viaf.org/viaf/1\n', "does not parse as CSV"),
        ("person/mayil-ahmadov,http://viaf.org/viaf/1,http://www.w3.org/2000/01/rdf-schema#seeAlso\n", "not allowed"),
    ],
)
def test_add_bad_csv_names_the_problem(built_project: Settings, text: str, message: str) -> None:
    with pytest.raises(LinksetInvalid, match=message):
        add_linkset(built_project, store_from_settings(built_project), CONTRIBUTOR, text, "links.csv")


def test_add_good_linkset_waits_for_review(built_project: Settings) -> None:
    store = store_from_settings(built_project)
    before = _graphs(store)
    info = add_linkset(built_project, store, CONTRIBUTOR, (LINKSETS / "good.csv").read_bytes(), "good.csv")
    assert (info.name, info.state, info.contributor, info.source, info.links) == (
        SLUG,
        "pending",
        CONTRIBUTOR,
        "good.csv",
        3,
    )
    assert (built_project.root / "linksets" / "pending" / f"{SLUG}.ttl").exists()
    assert _graphs(store) == before


def test_accept_publishes_own_graph_with_provenance(built_project: Settings) -> None:
    store = store_from_settings(built_project)
    before = _graphs(store)
    _publish(built_project, store)
    after = _graphs(store)
    graph = after[_graph_of(built_project)]
    ls = f"<{built_project.base_iri}linkset/{SLUG}>"
    assert (
        f"<{built_project.base_iri}person/mayil-ahmadov> <{vocab.OWL}sameAs> <http://viaf.org/viaf/000000001>" in graph
    )
    assert any(t.startswith(f"{ls} <{vocab.PROV}wasAttributedTo>") for t in graph)
    assert any(t.startswith(f"{ls} <{vocab.PROV}generatedAtTime>") for t in graph)
    assert f'{ls} <{vocab.DCTERMS}source> "good.csv"' in graph
    assert any(t.startswith(f'{ls} <{vocab.VOID}triples> "3"') for t in graph)
    assert any(f'<{vocab.SCHEMA}name> "Aysel Q."' in t for t in graph)
    _same_others(after, before, built_project)
    assert not (built_project.root / "linksets" / "pending" / f"{SLUG}.ttl").exists()


def test_accepted_links_in_also_known_as_and_void(built_project: Settings) -> None:
    store = store_from_settings(built_project)
    _publish(built_project, store)
    iri = built_project.base_iri + "organization/oclc"
    assert also_known_as(store, iri) == [(vocab.SKOS + "exactMatch", "http://viaf.org/viaf/000000002", CONTRIBUTOR)]
    void = {
        (t.subject.value, t.predicate.value, t.object.value)
        for t in linkset_void_triples(store, built_project.base_iri)
    }
    subsets = {s for s, p, o in void if p == vocab.VOID + "linkPredicate"}
    assert len(subsets) == 2  # owl:sameAs (1 link) and skos:exactMatch (2 links, the CSV default)
    assert all((s, vocab.VOID + "objectsTarget", "http://viaf.org/viaf/") in void for s in subsets)
    assert all((s, vocab.VOID + "subjectsTarget", built_project.base_iri) in void for s in subsets)
    assert {o for s, p, o in void if p == vocab.VOID + "triples"} == {"1", "2", "3"}


def test_replace_is_atomic_and_touches_nothing_else(built_project: Settings) -> None:
    store = store_from_settings(built_project)
    _publish(built_project, store, "good.csv")
    before = _graphs(store)
    _publish(built_project, store, "good.ttl")
    after = _graphs(store)
    _same_others(after, before, built_project)
    links = [t for t in after[_graph_of(built_project)] if "catalogue.example.org" in t]
    assert len(links) == 3 and not any("viaf.org" in t for t in after[_graph_of(built_project)])


def test_withdraw_removes_graph_only(built_project: Settings) -> None:
    store = store_from_settings(built_project)
    _publish(built_project, store)
    before = _graphs(store)
    withdraw_linkset(built_project, store, SLUG, who="Aysel Q.", reason="asked by the contributor")
    after = _graphs(store)
    assert _graph_of(built_project) not in after
    _same_others(after, before, built_project)
    assert [i.state for i in list_linksets(built_project)] == ["withdrawn"]


def test_reject_keeps_reason_and_store(built_project: Settings) -> None:
    store = store_from_settings(built_project)
    before = _graphs(store)
    add_linkset(built_project, store, CONTRIBUTOR, (LINKSETS / "good.csv").read_bytes(), "good.csv")
    info = review_linkset(built_project, store, SLUG, accept=False, reason="wrong people", reviewer="Aysel Q.")
    assert (info.state, info.reason, info.reviewer) == ("rejected", "wrong people", "Aysel Q.")
    assert _graphs(store) == before


def test_accept_failing_build_restores_files(built_project: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    store = store_from_settings(built_project)
    _publish(built_project, store)
    accepted = built_project.root / "linksets" / "accepted" / f"{SLUG}.ttl"
    old_text, before = accepted.read_text(encoding="utf-8"), _graphs(store)
    add_linkset(built_project, store, CONTRIBUTOR, (LINKSETS / "good.ttl").read_bytes(), "good.ttl")

    def failing_build(*args: object, **kwargs: object) -> None:
        raise ShapesViolation.__new__(ShapesViolation)

    monkeypatch.setattr("visitgraph.publish.linkset_review.build", failing_build)
    with pytest.raises(ShapesViolation):
        review_linkset(built_project, store, SLUG, accept=True)
    assert accepted.read_text(encoding="utf-8") == old_text and _graphs(store) == before
    assert (built_project.root / "linksets" / "pending" / f"{SLUG}.ttl").exists()


def test_cli_add_review_accept(built_project: Settings, runner: CliRunner) -> None:
    register_commands()
    root = ["--root", str(built_project.root)]
    env = {"VISITGRAPH_STORE": str(built_project.store)}
    bad = runner.invoke(
        cli, [*root, "linkset", "add", "--contributor", CONTRIBUTOR, str(LINKSETS / "bad.csv")], env=env
    )
    assert bad.exit_code == 1 and "bad.csv:3:" in bad.output and "bad.csv:8:" in bad.output
    ok = runner.invoke(
        cli, [*root, "linkset", "add", "--contributor", CONTRIBUTOR, str(LINKSETS / "good.csv")], env=env
    )
    assert ok.exit_code == 0, ok.output
    listed = runner.invoke(cli, [*root, "linkset", "review"], env=env)
    assert SLUG in listed.output and "pending" in listed.output
    assert runner.invoke(cli, [*root, "linkset", "review", SLUG, "--reject"], env=env).exit_code == 2
    done = runner.invoke(cli, [*root, "linkset", "review", SLUG, "--accept", "--reason", "ok"], env=env)
    assert done.exit_code == 0, done.output
    assert _graph_of(built_project) in _graphs(store_from_settings(built_project))


@pytest.fixture
def write_client(built_project: Settings):  # type: ignore[no-untyped-def]
    from visitgraph.web import create_app

    app = create_app(built_project)
    app.config["TESTING"] = True
    return app.test_client()


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"Authorization": "Bearer wrong"}, 401), ({"Authorization": f"Bearer {READ_TOKEN}"}, 403)],
)
def test_http_linkset_needs_write_token(write_client, headers: dict[str, str], status: int) -> None:  # type: ignore[no-untyped-def]
    resp = write_client.post(
        "/linksets?contributor=X", data=(LINKSETS / "good.csv").read_bytes(), content_type="text/csv", headers=headers
    )
    assert resp.status_code == status and resp.json["ok"] is False


def test_http_linkset_upload_pending(write_client, built_project: Settings) -> None:  # type: ignore[no-untyped-def]
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    bad = write_client.post(
        "/linksets",
        headers=auth,
        content_type="multipart/form-data",
        data={"contributor": CONTRIBUTOR, "file": (io.BytesIO((LINKSETS / "bad.csv").read_bytes()), "bad.csv")},
    )
    assert bad.status_code == 422 and [p["line"] for p in bad.json["problems"]] == [3, 4, 5, 6, 7, 8]
    ok = write_client.post(
        "/linksets",
        headers=auth,
        content_type="multipart/form-data",
        data={"contributor": CONTRIBUTOR, "file": (io.BytesIO((LINKSETS / "good.ttl").read_bytes()), "good.ttl")},
    )
    assert ok.status_code == 202 and ok.json["linkset"]["state"] == "pending"
    assert write_client.get("/linksets").json["linksets"] == []  # the public sees published ones only
    assert [i["name"] for i in write_client.get("/linksets", headers=auth).json["linksets"]] == [SLUG]


def test_http_confirm_matches_become_pending_linkset(write_client, built_project: Settings) -> None:  # type: ignore[no-untyped-def]
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    body = {
        "contributor": CONTRIBUTOR,
        "matches": [
            {"id": "person%2Fmayil-ahmadov", "target": "http://viaf.org/viaf/1", "predicate": "owl:sameAs"},
            {"id": "organization/oclc", "target": "http://viaf.org/viaf/2"},
        ],
    }
    resp = write_client.post("/reconcile/confirm", json=body, headers=auth)
    assert resp.status_code == 202, resp.json
    more = write_client.post(
        "/reconcile/confirm",
        headers=auth,
        json={"contributor": CONTRIBUTOR, "matches": [{"id": "topic/rfid", "target": "http://viaf.org/viaf/3"}]},
    )
    assert more.json["linkset"]["links"] == 3  # confirmations add up
    bad = write_client.post(
        "/reconcile/confirm",
        headers=auth,
        json={"contributor": CONTRIBUTOR, "matches": [{"id": "person/nobody", "target": "x"}]},
    )
    assert bad.status_code == 422 and len(bad.json["problems"]) == 2
    assert write_client.post("/reconcile/confirm", json=body).status_code == 401


def test_accepted_linkset_in_dump(built_project: Settings) -> None:
    from visitgraph.core.formats import get_format
    from visitgraph.store.dump import dump_quads, store_prefixes

    store = store_from_settings(built_project)
    _publish(built_project, store)
    dump = dump_quads(list(store.quads()), get_format("nq"), store_prefixes(built_project.base_iri))
    text = dump.data.decode() if isinstance(dump.data, bytes) else str(dump.data)
    assert "http://viaf.org/viaf/000000001" in text and f"linksets/accepted/{SLUG}.ttl" in text


def test_repo_linksets_folder_documented() -> None:
    readme = Path(__file__).resolve().parents[3] / "linksets" / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert all(f"`{d}/`" in text for d in ("pending", "accepted", "rejected", "withdrawn"))


def test_accepted_links_shown_on_page_and_in_served_void(built_project: Settings) -> None:
    from visitgraph.web import create_app

    store = store_from_settings(built_project)
    _publish(built_project, store)
    client = create_app(built_project).test_client()
    page = client.get("/id/organization/oclc", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Also known in" in page and "http://viaf.org/viaf/000000002" in page and CONTRIBUTOR in page
    void = client.get("/.well-known/void", headers={"Accept": "application/n-triples"}).get_data(as_text=True)
    assert f"<{vocab.VOID}Linkset>" in void and "<http://viaf.org/viaf/>" in void


HAND_BASE = "https://w3id.org/visitgraph/id/"


def _hand_edited(attributed: ox.NamedNode | ox.Literal, linked: ox.NamedNode | ox.Triple) -> ox.Store:
    """A published store whose accepted linkset was edited by hand into something `visitgraph linkset` never writes."""
    graph = ox.NamedNode(vocab.graph_iri(HAND_BASE, "linksets/accepted/hand-edited.ttl"))
    ls, ours = ox.NamedNode(f"{HAND_BASE}linkset/hand-edited"), ox.NamedNode(f"{HAND_BASE}person/someone")
    store = ox.Store()
    store.extend(
        ox.Quad(s, ox.NamedNode(p), o, graph)
        for s, p, o in [
            (ls, vocab.RDF_TYPE, ox.NamedNode(vocab.VOID + "Linkset")),
            (ls, vocab.PROV + "wasAttributedTo", attributed),
            (ours, vocab.SKOS + "exactMatch", linked),
        ]
    )
    return store


@pytest.mark.parametrize(
    ("attributed", "linked", "readers"),
    [
        (ox.Literal("A hand"), ox.NamedNode("http://viaf.org/viaf/1"), ("also_known_as", "link_rows")),
        (
            ox.NamedNode(f"{HAND_BASE}linkset/hand-edited#contributor"),
            ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x")),
            ("also_known_as", "link_rows", "linkset_void_triples"),
        ),
    ],
)
def test_hand_edited_linkset_terms_are_named_not_a_type_error(
    attributed: ox.NamedNode | ox.Literal, linked: ox.NamedNode | ox.Triple, readers: tuple[str, ...]
) -> None:
    """A literal contributor or a triple-term link object gave pages a pyoxigraph TypeError or an AttributeError."""
    from visitgraph.core.errors import VisitgraphError
    from visitgraph.linking.linkpages import link_rows

    store = _hand_edited(attributed, linked)
    calls = {
        "also_known_as": lambda: also_known_as(store, f"{HAND_BASE}person/someone", HAND_BASE),
        "link_rows": lambda: link_rows(store, HAND_BASE),
        "linkset_void_triples": lambda: linkset_void_triples(store, HAND_BASE),
    }
    for name in readers:
        with pytest.raises(VisitgraphError, match=r"fix linksets/accepted/hand-edited\.ttl") as caught:
            calls[name]()
        assert str(attributed if isinstance(attributed, ox.Literal) else linked) in str(caught.value), name


def test_a_hand_edited_linkset_error_keeps_no_store_iterator_alive() -> None:
    # pyoxigraph's store iterators belong to the thread that made them; one kept by an error's traceback (a
    # caller holding the error in a cycle) is collected on whatever thread runs the collector, and pyo3 leaks it
    # there with an "unsendable … dropped on another thread" error (decision 0060).
    from visitgraph.core.errors import VisitgraphError

    store = _hand_edited(
        ox.NamedNode(f"{HAND_BASE}linkset/hand-edited#contributor"),
        ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x")),
    )
    with pytest.raises(VisitgraphError) as caught:
        linkset_void_triples(store, HAND_BASE)
    tb = caught.value.__traceback__
    held = []
    while tb is not None:
        held += [
            f"{tb.tb_frame.f_code.co_name}: {k}"
            for k, v in tb.tb_frame.f_locals.items()
            if type(v).__name__ in ("QuadIter", "QuerySolutions", "QueryTriples")
        ]
        tb = tb.tb_next
    assert held == []
