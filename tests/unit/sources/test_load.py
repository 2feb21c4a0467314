"""Reading sources: any file name publishes as a valid graph IRI; no readable file is dropped; errors name the file."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import settings_for
from visitgraph.cli.main import cli, register_commands
from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.core.errors import DataSyntaxError, StoreError, VisitgraphError
from visitgraph.publish.pipeline import build, check
from visitgraph.sources.load import SourceFile, discover_sources, load_source_into, parse_rdf, read_source
from visitgraph.sources.rdfinput import BOM
from visitgraph.store.backend import store_from_settings
from visitgraph.store.dump import dump_quads

register_commands()
PERSON = '@prefix schema: <http://schema.org/> .\n<person/{slug}> a schema:Person ; schema:name "{name}" .\n'
#: One past Oxigraph's parser buffer (16 MiB): a term this long cannot be read.
LONG = 17 * 1024 * 1024


@pytest.fixture
def bare(tmp_path: Path) -> Settings:
    """A project holding only an empty data/ folder."""
    (tmp_path / "data").mkdir()
    return settings_for(tmp_path)


def source_named(settings: Settings, relpath: str) -> SourceFile:
    return next(s for s in discover_sources(settings) if s.relpath == relpath)


def test_build_publishes_file_names_an_iri_cannot_hold_and_serves_their_graphs(mini_project: Settings) -> None:
    """`new visit.ttl` was a ValueError traceback, `a#b.ttl` a graph IRI with a fragment; now: escaped, served, dumped."""
    names = {"new visit.ttl": "new%20visit.ttl", "a#b.ttl": "a%23b.ttl", "100%.ttl": "100%25.ttl"}
    for n, name in enumerate(names):
        (mini_project.root / "data" / name).write_text(PERSON.format(slug=f"new-{n}", name=f"New {n}"))
    store = store_from_settings(mini_project)
    build(mini_project, store, who="pytest")
    reader = store.reader()
    from visitgraph.web import create_app

    client = create_app(mini_project).test_client()
    for n, (name, escaped) in enumerate(names.items()):
        graph = f"{mini_project.base_iri}graph/data/{escaped}"
        assert graph in store.graphs(), name
        rows = list(reader.query(f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s a ?t }} }}"))
        assert [r["s"].value for r in rows] == [f"{mini_project.base_iri}person/new-{n}"]
        resp = client.get(vocab.local_path(mini_project.base_iri, graph) + ".nt")
        assert resp.status_code == 200, name
        assert len(list(ox.parse(resp.data, format=ox.RdfFormat.N_TRIPLES))) == 2
    result = CliRunner().invoke(cli, ["--root", str(mini_project.root), "dump", "--format", "nq"])
    assert result.exit_code == 0, result.output
    again = ox.Store()
    again.load(result.stdout_bytes, format=ox.RdfFormat.N_QUADS)
    assert dump_quads(again, "nq").data == result.stdout_bytes  # the dump reads back as itself
    assert {f"{mini_project.base_iri}graph/data/{e}" for e in names.values()} <= {g.value for g in again.named_graphs()}


def test_two_file_names_giving_one_graph_iri_are_refused(bare: Settings) -> None:
    for name in ("a b.ttl", "a%20b.ttl"):
        (bare.root / "data" / name).write_text(PERSON.format(slug="x", name="X"))
    with pytest.raises(VisitgraphError, match=r"data/a b.ttl and data/a%20b.ttl would both be published as graph"):
        discover_sources(bare)


def test_a_broken_symbolic_link_is_refused_not_skipped(bare: Settings) -> None:
    """Before: skipped without a word, so nothing was published for it."""
    (bare.root / "data" / "x.ttl").symlink_to("/nonexistent")
    with pytest.raises(StoreError, match=r"Cannot read data/x.ttl: it is a symbolic link to /nonexistent, which is"):
        discover_sources(bare)


def test_symbolic_links_to_files_and_hidden_links_are_as_before(bare: Settings) -> None:
    target = bare.root / "people.ttl"
    target.write_text(PERSON.format(slug="x", name="X"))
    (bare.root / "data" / "people.ttl").symlink_to(target)
    (bare.root / "data" / ".#people.ttl").symlink_to("user@host.1234")  # an editor's lock file: not a source
    (bare.root / "data" / "folder.ttl").mkdir()
    assert [s.relpath for s in discover_sources(bare)] == ["data/people.ttl"]


def test_a_fifo_is_refused(bare: Settings) -> None:
    os.mkfifo(bare.root / "data" / "pipe.ttl")
    with pytest.raises(StoreError, match="Cannot read data/pipe.ttl: it is not a regular file"):
        discover_sources(bare)


@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_a_term_longer_than_the_parser_takes_names_the_file(bare: Settings, suffix: str) -> None:
    """A .ttl is parsed in Python (parse_rdf), an .nt by the store's bulk loader: both gave a MemoryError traceback."""
    text = f'<http://example.org/a> <http://schema.org/description> "{"x" * LONG}" .\n'
    (bare.root / "data" / f"big{suffix}").write_text(text)
    with pytest.raises(DataSyntaxError, match=rf"^data/big{suffix}: a term is longer than 16 MiB \(Oxigraph's parser"):
        load_source_into(bare, source_named(bare, f"data/big{suffix}"), ox.Store())


def test_a_term_longer_than_the_parser_takes_fails_validate(bare: Settings) -> None:
    (bare.root / "data" / "big.ttl").write_text(f'<a> <b> """{"x" * LONG}""" .\n')
    with pytest.raises(DataSyntaxError, match="data/big.ttl: a term is longer than 16 MiB"):
        check(bare)


@pytest.mark.parametrize(
    ("suffix", "text"),
    [
        (".ttl", PERSON.format(slug="bom", name="Bom")),
        (".nt", '<http://example.org/bom> <http://schema.org/name> "Bom" .\n<http://example.org/bom> <x:p> <x:T> .\n'),
        (".trig", '@prefix schema: <http://schema.org/> .\n{ <person/bom> a schema:Person ; schema:name "Bom" }\n'),
    ],
)
def test_a_leading_byte_order_mark_is_skipped(bare: Settings, suffix: str, text: str) -> None:
    """Before: `data/bom.ttl:1:1: \ufeff is not a valid subject`, the mark itself printed invisibly."""
    (bare.root / "data" / f"bom{suffix}").write_bytes(BOM + text.encode())
    assert load_source_into(bare, source_named(bare, f"data/bom{suffix}"), ox.Store()) == 2


def test_a_byte_order_mark_in_bytes_or_text_is_skipped() -> None:
    text = PERSON.format(slug="bom", name="Bom")
    for data in (BOM + text.encode(), "\ufeff" + text):
        assert len(parse_rdf(data, base_iri="http://example.org/", name="body")) == 2


def test_a_file_with_a_byte_order_mark_still_names_errors_where_they_are(bare: Settings) -> None:
    xsd = '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<a> <b> "2019-02-30"^^xsd:date .\n'
    (bare.root / "data" / "date.ttl").write_bytes(BOM + xsd.encode())
    (bare.root / "data" / "syntax.ttl").write_bytes(BOM + b"<a> <b> <c> .\n<a> <b> .\n")
    with pytest.raises(DataSyntaxError, match=r"^data/date.ttl:2:9: "):
        read_source(bare, source_named(bare, "data/date.ttl"))
    with pytest.raises(DataSyntaxError, match=r"^data/syntax.ttl:2:"):
        read_source(bare, source_named(bare, "data/syntax.ttl"))


def test_validate_of_an_extra_file_names_a_term_too_long_and_skips_a_byte_order_mark(
    bare: Settings, tmp_path: Path
) -> None:
    """`visitgraph validate FILE` streams the file (publish/pipeline._stream_into): it gave a MemoryError traceback
    for a term past 16 MiB and refused a byte-order mark as the first subject."""
    big = tmp_path / "big.ttl"
    big.write_text(f'<http://example.org/a> <http://schema.org/description> """{"x" * LONG}""" .\n')
    with pytest.raises(DataSyntaxError, match="big.ttl: a term is longer than 16 MiB"):
        check(bare, [big])
    bom = tmp_path / "bom.ttl"
    bom.write_bytes(BOM + PERSON.format(slug="bom", name="Bom").encode())
    assert check(bare, [bom]).conforms
