"""What the write path published and what its kept inputs give, for the crash-injection tests
(tests/system/test_durable.py) and the undo tests (tests/unit/publish/test_undo.py)."""

from __future__ import annotations

import pyoxigraph as ox

from visitgraph.core.config import Settings
from visitgraph.sources.load import apply_update, discover_sources, list_changesets, read_source
from visitgraph.store.backend import store_from_settings
from visitgraph.store.dump import dump_quads


def insert(tag: str) -> str:
    """An update adding one triple nobody else writes (untyped: no shape targets it)."""
    return (
        f"INSERT DATA {{ GRAPH <http://example.org/crash/{tag}> "
        f'{{ <http://example.org/s/{tag}> <http://example.org/p> "{tag}" }} }}'
    )


def canonical(quads: list[ox.Quad]) -> set[str]:
    """N-Quads lines with blank nodes labelled canonically, so two loads of the same data compare equal."""
    data = dump_quads(quads, "nq").data
    text = data.decode() if isinstance(data, bytes) else str(data)
    return {line for line in text.splitlines() if line.strip()}


def replayed(settings: Settings) -> set[str]:
    """What the kept inputs give: every source, then every kept changeset in order."""
    scratch = ox.Store()
    for source in discover_sources(settings):
        scratch.bulk_extend(read_source(settings, source))
    for path in list_changesets(settings):
        apply_update(scratch, path.read_text(encoding="utf-8"), base_iri=settings.base_iri, name=path.name)
    return canonical(list(scratch))


def published(settings: Settings) -> set[str]:
    """The published state."""
    return canonical(list(store_from_settings(settings).quads()))


def has(settings: Settings, tag: str) -> bool:
    """Whether the published state holds the triple `insert(tag)` added."""
    return any(f"<http://example.org/s/{tag}>" in line for line in published(settings))
