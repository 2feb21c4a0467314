"""The generation store: atomic publish, read-only readers, history, rollback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from visitgraph.core.errors import NotPublished, VisitgraphError
from visitgraph.store.backend import Reader, reader_of
from visitgraph.store.embedded import EmbeddedStore
from visitgraph.store.remote import RemoteStore

EX = "http://example.org/"


def quad(n: int) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"{EX}s{n}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(n)), ox.NamedNode(f"{EX}g"))


def publish(store: EmbeddedStore, count: int) -> str:
    with store.stage() as staged:
        staged.add(quad(i) for i in range(count))
        return staged.commit("test").id


def test_store_unpublished_raises(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    assert store.current() is None
    with pytest.raises(NotPublished, match="visitgraph build"):
        store.reader()


def test_store_publish_switches_readers(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    first = publish(store, 2)
    assert len(store.reader()) == 2
    second = publish(store, 3)
    assert second > first
    assert len(store.reader()) == 3


def test_store_staging_without_commit_leaves_current(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    publish(store, 2)
    with pytest.raises(RuntimeError), store.stage() as staged:
        staged.add([quad(9)])
        raise RuntimeError("validation failed")
    assert len(store.reader()) == 2
    assert not [p for p in store.generations_dir.iterdir() if p.name.startswith(".staging")]


def test_store_rollback_and_history(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    first = publish(store, 1)
    publish(store, 5)
    gen = store.rollback(who="tester")
    assert gen.id == first and len(store.reader()) == 1
    actions = [(e.action, e.who) for e in store.history()]
    assert actions == [("publish", "test"), ("publish", "test"), ("rollback", "tester")]


def test_store_rollback_unknown_generation_is_named(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    publish(store, 1)
    with pytest.raises(VisitgraphError, match="g999999"):
        store.rollback("g999999")


def test_store_prunes_old_generations(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s", keep=2)
    ids = [publish(store, i + 1) for i in range(4)]
    assert store.generation_ids() == ids[-2:]


def test_store_ids_keep_growing_after_rollback(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    publish(store, 1)
    second = publish(store, 2)
    store.rollback()
    assert publish(store, 3) > second


class InProcessSparqlServer:
    """A SPARQL 1.1 server in this process, with RemoteClient's two calls: the remote backend without a network."""

    timeout = 30.0

    def __init__(self) -> None:
        self.data = ox.Store()

    def query(
        self,
        sparql: str,
        accept: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        timeout: float | None = None,
    ) -> bytes:
        dataset: dict[str, Any] = {}
        if default_graphs or named_graphs:
            dataset = {
                "default_graph": [ox.NamedNode(g) for g in default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in named_graphs],
            }
        result = self.data.query(sparql, **dataset)
        if isinstance(result, ox.QueryTriples):
            return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
        return result.serialize(format=ox.QueryResultsFormat.XML) or b""

    def update(self, sparql: str, timeout: float | None = None) -> None:
        self.data.update(sparql)


def both_backends(tmp_path: Path, count: int) -> tuple[EmbeddedStore, RemoteStore]:
    """The same generation published on each backend."""
    embedded, remote = EmbeddedStore(tmp_path / "e"), RemoteStore(tmp_path / "r", InProcessSparqlServer(), EX)
    for store in (embedded, remote):
        with store.stage() as staged:
            staged.add(quad(i) for i in range(count))
            staged.add([ox.Quad(ox.NamedNode(f"{EX}s0"), ox.NamedNode(f"{EX}q"), ox.Literal("default"))])
            staged.commit("test")
    return embedded, remote


def test_store_readers_count_and_iterate_alike_on_both_backends(tmp_path: Path) -> None:
    """`len()` and iteration are part of the Reader protocol (release dumps count with them): each backend has them."""
    embedded, remote = both_backends(tmp_path, 4)
    readers: list[Reader] = [embedded.reader(), remote.reader()]
    assert [len(r) for r in readers] == [5, 5]
    assert sorted(map(str, readers[0])) == sorted(map(str, readers[1]))
    assert {q.graph_name for q in readers[1]} == {ox.NamedNode(f"{EX}g"), ox.DefaultGraph()}


def test_store_reader_of_tells_a_store_from_a_reader(tmp_path: Path) -> None:
    embedded, remote = both_backends(tmp_path, 2)
    for store in (embedded, remote):
        assert not isinstance(store, Reader)
        reader = reader_of(store)
        assert isinstance(reader, Reader) and reader_of(reader) is reader
        assert len(reader_of(store)) == 3


def test_store_reader_protocol_is_what_callers_use(tmp_path: Path) -> None:
    """mypy --strict accepts len(), iteration and run_query on a `Reader`, and both backends' stores as `Store`s.

    Before, Store.reader() returned Any and Reader had no __len__ or __iter__: release/dumps called len() on an
    untyped reader, and the mismatch went unseen.
    """
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import pyoxigraph as ox\n"
        "from visitgraph.sparql.engine import Queryable, run_query\n"
        "from visitgraph.store.backend import Reader, Store\n"
        "from visitgraph.store.embedded import EmbeddedStore\n"
        "from visitgraph.store.remote import RemoteStore\n\n\n"
        "def count(store: Store) -> tuple[int, list[ox.Quad]]:\n"
        "    reader = store.reader()\n"
        "    reveal_type(reader)\n"
        "    run_query(reader, 'ASK {}')\n"
        "    return len(reader), list(reader)\n\n\n"
        "def stores(embedded: EmbeddedStore, remote: RemoteStore, plain: ox.Store) -> list[Queryable]:\n"
        "    count(embedded), count(remote)\n"
        "    readers: list[Reader] = [embedded.reader(), remote.reader(), plain]\n"
        "    return [*readers]\n",
        encoding="utf-8",
    )
    mypy = [str(Path(sys.executable).parent / "mypy"), "--strict", "--ignore-missing-imports", "--no-incremental"]
    # MYPYPATH: the editable install has no py.typed, so without it mypy finds no visitgraph and all is Any
    env = {**os.environ, "MYPYPATH": str(Path(__file__).resolve().parents[3] / "src")}
    done = subprocess.run([*mypy, str(probe)], capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
    assert 'Revealed type is "visitgraph.store.backend.Reader"' in done.stdout, done.stdout[-3000:]
