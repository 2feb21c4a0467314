"""A whole build's matcher statistics count the names the ledger step's full scan handed over (decision 0079)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import copy_project, settings_for
from visitgraph.core.config import Settings
from visitgraph.linking import matchstats
from visitgraph.publish.pipeline import build
from visitgraph.release import persistence
from visitgraph.store.backend import store_from_settings

QUERIES = {
    "ent": "SELECT resource, kind, words, tags FROM ent ORDER BY resource",
    "kinds": "SELECT kind, n FROM kinds ORDER BY kind",
    "df": "SELECT kind, word, n FROM df ORDER BY kind, word",
    "tag": "SELECT key, resource FROM tag ORDER BY key, resource",
}


def rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return {name: db.execute(sql).fetchall() for name, sql in QUERIES.items()}


def from_the_store(settings: Settings, tmp_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The published generation's statistics built again, whole, by reading the store."""
    store = store_from_settings(settings)
    gen = store.require_current()
    out = tmp_path / "from-store.sqlite"
    matchstats.build(store.path, gen.path, gen.id, settings.base_iri, out=out)
    return rows(out)


def published(settings: Settings) -> dict[str, list[tuple[Any, ...]]]:
    store = store_from_settings(settings)
    return rows(matchstats.stats_path(store.path, store.require_current().id))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each whole statistics build read: 'store' when it made its own passes over the store."""
    seen: list[str] = []
    real = matchstats._all_facts

    def spy(*args: Any) -> Any:
        seen.append("store")
        return real(*args)

    monkeypatch.setattr(matchstats, "_all_facts", spy)
    return seen


@pytest.mark.parametrize("beside", [True, False], ids=["dump", "store"])
def test_a_whole_build_counts_the_names_the_ledger_read(tmp_path: Path, reads: list[str], beside: bool) -> None:
    """The ledger reads the validation's dump (validating beside) or the store (validating first): either way the
    statistics are built from what it handed over, and are the rows a build from the store writes."""
    settings = settings_for(copy_project(tmp_path / "p"), validate_whole_limit=0, validate_beside=beside)
    report = build(settings, store_from_settings(settings), who="pytest")
    assert report.match is not None and report.match["how"] == "full" and report.match["entities"] > 50
    assert reads == []
    assert published(settings) == from_the_store(settings, tmp_path) and published(settings)["ent"]


def test_a_dump_given_up_midway_hands_over_the_stores_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]
) -> None:
    """The dump turns out not to be the store's after some records were handed over: the scan of the store that
    follows begins again, and the statistics are exactly the store's."""
    real = persistence._dump_records

    def given_up(*args: Any) -> Iterator[Any]:
        for n, record in enumerate(real(*args)):
            if n == 20:
                raise persistence.DumpUnusable("pretend: a line out of order")
            yield record

    monkeypatch.setattr(persistence, "_dump_records", given_up)
    settings = settings_for(copy_project(tmp_path / "p"), validate_whole_limit=0)
    build(settings, store_from_settings(settings), who="pytest")
    assert reads == []
    assert published(settings) == from_the_store(settings, tmp_path)


def test_a_build_from_the_published_generation_reads_no_names(tmp_path: Path, reads: list[str]) -> None:
    """A second build whose ledger compares only the changed IRIs hands nothing over: the statistics are the
    previous file recounted, as before."""
    settings = settings_for(copy_project(tmp_path / "p"), validate_whole_limit=0)
    build(settings, store_from_settings(settings), who="pytest")
    reads.clear()
    people = settings.root / "data" / "people.ttl"
    people.write_text(
        people.read_text(encoding="utf-8")
        + "\n<https://w3id.org/visitgraph/id/person/zz-new> a <http://schema.org/Person> ;\n"
        '    <http://schema.org/name> "Zz New Person" .\n',
        encoding="utf-8",
    )
    report = build(settings, store_from_settings(settings), who="pytest")
    assert report.match is not None and str(report.match["how"]).startswith("from "), report.match
    assert reads == [] and published(settings) == from_the_store(settings, tmp_path)
