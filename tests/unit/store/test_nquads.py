"""A store's N-Quads dump written graph by graph in threads (decision 0078): Oxigraph's own bytes, every time."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from visitgraph.store import nquads
from visitgraph.store.nquads import write_nquads

EX = "http://example.org/"
# Literal text that a line-based rewrite could trip on: the line end inside, escapes, other line breaks.
NASTY = [" .\n", " .", ' "x" .\n<a> <b> <c> .', "\\", "\r\n", "\u2028", "\x00", "\t", "é ü 北京", "_:b0 <x> ."]


def on_disk(folder: Path, quads: list[ox.Quad]) -> ox.Store:
    """A store on disk, as a build's staged generation is (an in-memory store lists quads in another order)."""
    store = ox.Store(str(folder))
    store.extend(quads)
    store.flush()
    return store


def rich_quads() -> list[ox.Quad]:
    """Default graph, graphs named by IRIs and by a blank node, blank nodes shared across graphs, triple terms,
    tagged and typed literals, the nasty texts above."""
    shared = ox.BlankNode("shared")
    quads = []
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
        ox.DefaultGraph(),
        ox.BlankNode("graph"),
        *(ox.NamedNode(f"{EX}graph/{n}") for n in range(7)),
    ]
    for g, graph in enumerate(graphs):
        for i in range(40 + 30 * g):
            s = ox.NamedNode(f"{EX}thing/{g}-{i}") if i % 5 else ox.BlankNode(f"b{g}x{i}")
            quads.append(ox.Quad(s, ox.NamedNode(EX + "text"), ox.Literal(NASTY[i % len(NASTY)] + str(i)), graph))
            quads.append(ox.Quad(s, ox.NamedNode(EX + "name"), ox.Literal(f"Name {i}", language="en"), graph))
            quads.append(
                ox.Quad(s, ox.NamedNode(EX + "n"), ox.Literal(str(i), datatype=ox.NamedNode(EX + "int")), graph)
            )
            quads.append(ox.Quad(s, ox.NamedNode(EX + "with"), shared, graph))
        triple = ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "b"), ox.Literal(" .\n"))
        quads.append(ox.Quad(ox.NamedNode(EX + "said"), ox.NamedNode(EX + "that"), triple, graph))
    return quads


class Watched:
    """A store whose dumps are noted (their keyword arguments, in the order begun) and fail for graph `failing`."""

    def __init__(self, store: ox.Store, failing: str | None = None) -> None:
        self.store, self.failing = store, failing
        self.calls: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def named_graphs(self) -> Any:
        return self.store.named_graphs()

    def dump(self, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            self.calls.append(kwargs)
        if self.failing is not None and str(kwargs.get("from_graph")) == self.failing:
            raise OSError("No space left on device")
        return self.store.dump(*args, **kwargs)


def oxigraph_dump(store: ox.Store, folder: Path) -> bytes:
    path = folder / "oxigraph.nq"
    store.dump(str(path), format=ox.RdfFormat.N_QUADS)
    return path.read_bytes()


@pytest.mark.parametrize("threads", [1, 2, 3, 8])
@pytest.mark.parametrize("piece", [nquads._PIECE, 1, 97])
def test_the_same_bytes_as_oxigraphs_own_dump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int, piece: int
) -> None:
    """Every kind of graph, term and text, any number of threads, parts read in pieces cut anywhere in a line."""
    monkeypatch.setattr(nquads, "_PIECE", piece)
    store = on_disk(tmp_path / "store", rich_quads())
    out = tmp_path / "mine.nq"
    write_nquads(store, out, threads=threads)
    assert out.read_bytes() == oxigraph_dump(store, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.nq", "oxigraph.nq", "store"]  # no part left


def test_sizes_change_the_schedule_not_the_text(tmp_path: Path) -> None:
    """The biggest graphs by `sizes` are begun first; the parts are still joined in the store's order."""
    store = on_disk(tmp_path / "store", rich_quads())
    watched = Watched(store)
    sizes = {f"{EX}graph/3": 10**9, f"{EX}graph/5": 10**8}
    out = tmp_path / "mine.nq"
    write_nquads(watched, out, threads=2, sizes=sizes)
    begun = [str(call["from_graph"]) for call in watched.calls]
    assert begun[:2] == [f"<{EX}graph/3>", f"<{EX}graph/5>"]
    assert out.read_bytes() == oxigraph_dump(store, tmp_path)


def test_one_thread_or_one_graph_is_oxigraphs_one_call(tmp_path: Path) -> None:
    one_graph = Watched(
        on_disk(tmp_path / "one", [q for q in rich_quads() if q.graph_name == ox.NamedNode(EX + "graph/0")])
    )
    write_nquads(one_graph, tmp_path / "a.nq", threads=4)
    many = Watched(on_disk(tmp_path / "many", rich_quads()))
    write_nquads(many, tmp_path / "b.nq", threads=1)
    calls = one_graph.calls + many.calls
    assert calls == [{"format": ox.RdfFormat.N_QUADS}] * 2
    assert (tmp_path / "a.nq").read_bytes() == oxigraph_dump(one_graph.store, tmp_path)


def test_an_empty_store(tmp_path: Path) -> None:
    store = on_disk(tmp_path / "store", [])
    write_nquads(store, tmp_path / "mine.nq", threads=2)
    assert (tmp_path / "mine.nq").read_bytes() == b""


def test_a_failing_graph_raises_and_leaves_no_part(tmp_path: Path) -> None:
    """One graph's dump fails (the disk is full, say): the error is raised as it is and no part file stays."""
    store = on_disk(tmp_path / "store", rich_quads())
    with pytest.raises(OSError, match="No space left"):
        write_nquads(Watched(store, failing=f"<{EX}graph/4>"), tmp_path / "mine.nq", threads=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.nq", "store"]  # the caller removes its own file
    assert not [t for t in threading.enumerate() if t.name.startswith("dump-graph")]


_iri = st.integers(0, 6).map(lambda n: ox.NamedNode(f"{EX}r{n}"))
_blank = st.integers(0, 3).map(lambda n: ox.BlankNode(f"n{n}"))
_literal = st.one_of(
    st.text(max_size=12).map(ox.Literal),
    st.builds(lambda t, lang: ox.Literal(t, language=lang), st.text(max_size=6), st.sampled_from(["en", "az-Latn"])),
    st.sampled_from(NASTY).map(ox.Literal),
)
_graph = st.one_of(st.just(ox.DefaultGraph()), _iri, _blank)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    quads=st.lists(
        st.builds(ox.Quad, st.one_of(_iri, _blank), _iri, st.one_of(_iri, _blank, _literal), _graph), max_size=60
    ),
    threads=st.integers(1, 4),
)
def test_any_store_any_threads(tmp_path_factory: pytest.TempPathFactory, quads: list[ox.Quad], threads: int) -> None:
    folder = tmp_path_factory.mktemp("any")
    store = on_disk(folder / "store", quads)
    write_nquads(store, folder / "mine.nq", threads=threads)
    assert (folder / "mine.nq").read_bytes() == oxigraph_dump(store, folder)


@pytest.mark.parametrize("kernel", ["refused", "partly"])
def test_parts_joined_through_python_where_the_kernel_will_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel: str
) -> None:
    """``copy_file_range`` refused at once (another file system, an old kernel) or after a first piece: the rest of
    the part is copied through Python from where the kernel stopped."""
    import errno
    import os

    real = os.copy_file_range
    calls: list[int] = []

    def copy_file_range(src: int, dst: int, count: int, *args: Any) -> int:
        calls.append(count)
        if kernel == "partly" and len(calls) % 2 == 1:
            return real(src, dst, min(count, 1000), *args)
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(nquads.os, "copy_file_range", copy_file_range)
    store = on_disk(tmp_path / "store", rich_quads())
    write_nquads(store, tmp_path / "mine.nq", threads=2)
    assert calls and (tmp_path / "mine.nq").read_bytes() == oxigraph_dump(store, tmp_path)
