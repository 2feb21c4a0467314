"""A whole build's dump with some graphs written from their source files (decision 0080).

Whatever the file, the dump must hold exactly the store's lines: a graph written from its file has the same lines as
the store's dump of it (sorted, so each subject's lines are next to each other), and a file whose text the store
would not give back (blank nodes, typed literals the store keeps in another form, repeated lines, an edit since the
load) is dumped from the store, byte for byte as before.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from visitgraph.store import nquads
from visitgraph.store.nquads import FilePart, write_nquads

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
GRAPH = f"{EX}graph/file"
OTHER = f"{EX}graph/other"


def loaded(folder: Path, text: str, suffix: str = ".nt") -> tuple[ox.Store, FilePart]:
    """A store on disk with `text` bulk-loaded into GRAPH (as a build loads a big file) and a small other graph."""
    source = folder / f"source{suffix}"
    source.write_text(text, encoding="utf-8")
    fmt = ox.RdfFormat.N_TRIPLES if suffix == ".nt" else ox.RdfFormat.TURTLE
    store = ox.Store(str(folder / "store"))
    store.bulk_load(path=str(source), format=fmt, base_iri=EX, to_graph=ox.NamedNode(GRAPH))
    store.add(ox.Quad(ox.NamedNode(EX + "o"), ox.NamedNode(EX + "p"), ox.Literal("other"), ox.NamedNode(OTHER)))
    store.flush()
    count = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH)))
    st_ = source.stat()
    return store, FilePart(source, fmt, EX, count, (st_.st_size, st_.st_mtime_ns))


def lines_of(data: bytes) -> list[bytes]:
    return data.split(b"\n")[:-1]


def store_lines(store: ox.Store, folder: Path) -> list[bytes]:
    path = folder / "store.nq"
    store.dump(str(path), format=ox.RdfFormat.N_QUADS)
    return lines_of(path.read_bytes())


def dumped(store: ox.Store, folder: Path, part: FilePart, threads: int = 2) -> tuple[set[str], bytes]:
    path = folder / "dump.nq"
    used = write_nquads(store, path, threads=threads, files={GRAPH: part})
    return used, path.read_bytes()


def grouped(lines: list[bytes]) -> bool:
    """Each (subject, graph) has its lines next to each other."""
    seen: set[tuple[bytes, bytes]] = set()
    last = None
    for line in lines:
        key = (line.split(b" ", 1)[0], line.rsplit(b" ", 2)[-2])
        if key != last:
            if key in seen:
                return False
            seen.add(key)
            last = key
    return True


OUT_OF_ORDER = (
    "".join(
        f'<{EX}visit/{i % 7}> <{EX}p{i}> "v {i}" .\n<{EX}gift/{i}> <{EX}of> <{EX}visit/{i % 7}> .\n' for i in range(60)
    )
    + f'<{EX}visit/1> <{EX}date> "2020-01-02"^^<{XSD}date> .\n<{EX}visit/1> <{EX}n> "5"^^<{XSD}integer> .\n'
)


def test_a_file_graph_has_the_stores_lines_grouped_by_subject(tmp_path: Path) -> None:
    store, part = loaded(tmp_path, OUT_OF_ORDER)
    used, data = dumped(store, tmp_path, part)
    assert used == {GRAPH}
    ours, theirs = lines_of(data), store_lines(store, tmp_path)
    assert sorted(ours) == sorted(theirs)  # the same lines, none repeated, none missing
    assert ours != theirs  # (the file's graph in sorted order, not the store's)
    assert grouped(ours)
    # the graphs come in the store's order: the other graph's line where the store puts it
    graphs = [line.rsplit(b" ", 2)[-2] for line in ours]
    theirs_graphs = [line.rsplit(b" ", 2)[-2] for line in theirs]
    assert [g for i, g in enumerate(graphs) if i == 0 or g != graphs[i - 1]] == [
        g for i, g in enumerate(theirs_graphs) if i == 0 or g != theirs_graphs[i - 1]
    ]


def test_one_thread_also_reads_the_file(tmp_path: Path) -> None:
    store, part = loaded(tmp_path, OUT_OF_ORDER)
    used, data = dumped(store, tmp_path, part, threads=1)
    assert used == {GRAPH}
    assert sorted(lines_of(data)) == sorted(store_lines(store, tmp_path))


@pytest.mark.parametrize(
    ("why", "extra"),
    [
        ("an integer the store writes as 1", f'<{EX}s> <{EX}n> "01"^^<{XSD}integer> .\n'),
        ("a decimal the store writes as 1", f'<{EX}s> <{EX}n> "1.0"^^<{XSD}decimal> .\n'),
        ("a duration the store writes as PT1M", f'<{EX}s> <{EX}n> "PT60S"^^<{XSD}duration> .\n'),
        ("a boolean the store writes as true", f'<{EX}s> <{EX}n> "1"^^<{XSD}boolean> .\n'),
        ("a dateTime the store writes with Z", f'<{EX}s> <{EX}n> "2020-01-01T00:00:00+00:00"^^<{XSD}dateTime> .\n'),
        ("a blank node the loader relabels", f'<{EX}s> <{EX}address> _:a .\n_:a <{EX}country> "AZ" .\n'),
        (
            "a triple term with a typed literal (found by a review: the check itself failed)",
            f'<{EX}s> <{EX}p> <<( <{EX}a> <{EX}b> "01"^^<{XSD}integer> )>> .\n',
        ),
        ("a triple term with a canonical literal", f'<{EX}s> <{EX}p> <<( <{EX}a> <{EX}b> "1"^^<{XSD}integer> )>> .\n'),
        ("a triple term with a plain literal", f'<{EX}s> <{EX}p> <<( <{EX}a> <{EX}b> "x" )>> .\n'),
        ("two forms of one value", f'<{EX}s> <{EX}n> "1"^^<{XSD}integer> .\n<{EX}s> <{EX}n> "01"^^<{XSD}integer> .\n'),
    ],
)
def test_a_file_the_store_would_not_give_back_is_dumped_from_the_store(tmp_path: Path, why: str, extra: str) -> None:
    store, part = loaded(tmp_path, OUT_OF_ORDER + extra)
    used, data = dumped(store, tmp_path, part)
    assert used == set(), why
    assert lines_of(data) == store_lines(store, tmp_path)  # byte for byte the store's own dump


def test_a_line_the_file_repeats_is_written_once(tmp_path: Path) -> None:
    """The store holds a repeated statement once; so does the part (the synthetic 1M files repeat a few)."""
    repeated = OUT_OF_ORDER.splitlines(keepends=True)
    store, part = loaded(tmp_path, OUT_OF_ORDER + repeated[0] + repeated[5] + repeated[0])
    used, data = dumped(store, tmp_path, part)
    assert used == {GRAPH}
    assert sorted(lines_of(data)) == sorted(store_lines(store, tmp_path))
    assert grouped(lines_of(data))


def test_a_literal_that_only_looks_like_a_blank_node_or_a_typed_one(tmp_path: Path) -> None:
    """Cautious: text holding `_:` goes to the store; text quoting a typed literal is checked and kept."""
    looks = f'<{EX}s> <{EX}t> "see \\"x\\"^^<{XSD}integer> here" .\n'
    store, part = loaded(tmp_path, OUT_OF_ORDER + looks)
    used, data = dumped(store, tmp_path, part)
    assert used == {GRAPH}
    assert sorted(lines_of(data)) == sorted(store_lines(store, tmp_path))
    (tmp_path / "b").mkdir()
    store2, part2 = loaded(tmp_path / "b", OUT_OF_ORDER + f'<{EX}s> <{EX}t> "_:b0" .\n')
    used2, data2 = dumped(store2, tmp_path / "b", part2)
    assert used2 == set()
    assert lines_of(data2) == store_lines(store2, tmp_path / "b")


def test_a_file_edited_since_the_load_is_dumped_from_the_store(tmp_path: Path) -> None:
    store, part = loaded(tmp_path, OUT_OF_ORDER)
    text = OUT_OF_ORDER.replace('"v 3"', '"v 4"')  # same size, other text
    part.path.write_text(text, encoding="utf-8")
    os.utime(part.path, ns=(part.stat[1] + 10**9, part.stat[1] + 10**9))
    used, data = dumped(store, tmp_path, part)
    assert used == set()
    assert lines_of(data) == store_lines(store, tmp_path)


def test_a_count_that_differs_or_a_gone_file_or_a_bad_file(tmp_path: Path) -> None:
    store, part = loaded(tmp_path, OUT_OF_ORDER)
    for wrong in (
        FilePart(part.path, part.format, part.base_iri, part.quads + 1, part.stat),
        FilePart(part.path, part.format, part.base_iri, part.quads - 1, part.stat),
        FilePart(tmp_path / "gone.nt", part.format, part.base_iri, part.quads, part.stat),
        FilePart(part.path, ox.RdfFormat.TURTLE, part.base_iri, part.quads, (0, 0)),
    ):
        used, data = dumped(store, tmp_path, wrong)
        assert used == set()
        assert lines_of(data) == store_lines(store, tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dump.nq")]  # no part left behind


def test_a_file_over_the_size_limit_is_dumped_from_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, part = loaded(tmp_path, OUT_OF_ORDER)
    monkeypatch.setattr(nquads, "FILE_PART_BYTES", 100)
    used, data = dumped(store, tmp_path, part)
    assert used == set()
    assert lines_of(data) == store_lines(store, tmp_path)


def test_an_annotated_turtle_statement_goes_to_the_store(tmp_path: Path) -> None:
    """An RDF 1.2 annotation (`~ reifier`) writes a triple term: the store keeps its typed literal as a value."""
    ttl = '@prefix ex: <http://example.org/> .\nex:s ex:p 1 ~ex:r .\nex:t ex:q "x" .\n'
    store, part = loaded(tmp_path, ttl, suffix=".ttl")
    used, data = dumped(store, tmp_path, part)
    assert used == set()
    assert lines_of(data) == store_lines(store, tmp_path)


def test_a_check_that_cannot_read_a_line_means_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the literal check raises on, the graph comes from the store and the dump is whole."""
    store, part = loaded(tmp_path, OUT_OF_ORDER)

    def unreadable(lines: list[bytes]) -> bool:
        raise SyntaxError("The subject of a triple must be an IRI or a blank node")

    monkeypatch.setattr(nquads, "_kept_as_written", unreadable)
    used, data = dumped(store, tmp_path, part)
    assert used == set()
    assert lines_of(data) == store_lines(store, tmp_path)


def test_turtle_with_a_base_and_prefixes(tmp_path: Path) -> None:
    ttl = (
        "@prefix ex: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        'ex:b ex:p "x"@EN , 3 , 4.5 , true , "2020"^^xsd:gYear .\n<relative> ex:p ex:a .\nex:a ex:q "y" .\n'
    )
    store, part = loaded(tmp_path, ttl, suffix=".ttl")
    used, data = dumped(store, tmp_path, part)
    assert sorted(lines_of(data)) == sorted(store_lines(store, tmp_path))
    assert used == {GRAPH}


# Lexical forms around the canonical ones, for datatypes the store keeps as values and for others.
LEXICAL = {
    "integer": ["0", "1", "01", "+1", "-0", "10", "007", "123456789012345678901234567890", " 1", "x"],
    "decimal": ["1", "1.0", "1.5", "1.50", ".5", "0.5", "-0.0", "+2", "1e2"],
    "double": ["1", "1E0", "1.0E0", "1.5E1", "NaN", "INF", "-INF", "-0", "0.1", "1e400"],
    "float": ["1", "1E0", "10", "1.0e1", "NaN", "-0"],
    "boolean": ["true", "false", "1", "0", "TRUE"],
    "date": ["2020-01-01", "2020-01-01Z", "2020-01-01+00:00", "2020-02-30", "20-01-01", "2020-1-1"],
    "dateTime": ["2020-01-01T00:00:00Z", "2020-01-01T00:00:00+00:00", "2020-01-01T00:00:00.000", "2020-01-01T24:00:00"],
    "gYear": ["2020", "0020", "-0044", "20200", "2020Z"],
    "duration": ["PT60S", "PT1M", "P1Y", "P12M", "PT0S", "P0D", "-P1D"],
    "string": ["a", ""],
    "int": ["01", "1"],
    "anyURI": ["http://x", ""],
}


@st.composite
def nt_files(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=25))):
        s = f"<{EX}s/{draw(st.integers(0, 5))}>"
        p = f"<{EX}p/{draw(st.integers(0, 3))}>"
        kind = draw(st.sampled_from(["typed", "typed", "plain", "iri", "lang"]))
        if kind == "typed":
            dt = draw(st.sampled_from(sorted(LEXICAL)))
            o = f'"{draw(st.sampled_from(LEXICAL[dt]))}"^^<{XSD}{dt}>'
        elif kind == "plain":
            o = '"' + draw(st.text(alphabet='ab _:\\"\t.é', max_size=6)).replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif kind == "lang":
            o = f'"x"@{draw(st.sampled_from(["en", "EN", "en-GB", "az-Latn"]))}'
        else:
            o = f"<{EX}o/{draw(st.integers(0, 3))}>"
        lines.append(f"{s} {p} {o} .\n")
    return "".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=nt_files())
def test_any_file_gives_exactly_the_stores_lines(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    folder = tmp_path_factory.mktemp("nt")
    store, part = loaded(folder, text)
    used, data = dumped(store, folder, part)
    ours, theirs = lines_of(data), store_lines(store, folder)
    if used:
        assert sorted(ours) == sorted(theirs)
        assert grouped(ours)
    else:
        assert ours == theirs
