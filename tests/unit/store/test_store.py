"""The generation store: atomic publish, read-only readers, history, rollback."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from visitgraph.core.errors import NotPublished, VisitgraphError
from visitgraph.store.embedded import EmbeddedStore

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
