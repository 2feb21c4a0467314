"""Reading the ledger (`visitgraph.release.ledger`) by version number: any integer, never an error."""

from __future__ import annotations

import pytest

from visitgraph.release.ledger import SEQ_MAX, SEQ_MIN, open_ledger
from visitgraph.store.embedded import EmbeddedStore


@pytest.mark.parametrize("seq", [0, -1, SEQ_MAX, SEQ_MAX + 1, 10**40, SEQ_MIN, SEQ_MIN - 1, -(10**40)])
def test_a_number_no_version_has_finds_none(repo_store: EmbeddedStore, seq: int) -> None:
    with open_ledger(repo_store.path) as ledger:
        assert ledger.version(seq) is None
        assert ledger.versions_between(seq, seq) == []


def test_a_range_past_sqlites_integers_is_read_up_to_them(repo_store: EmbeddedStore) -> None:
    with open_ledger(repo_store.path) as ledger:
        first = ledger.version(1)
        assert first is not None
        assert ledger.versions_between(-(10**30), 1) == [first]
        assert len(ledger.versions_between(1, 10**30)) == ledger.visible_versions()
        assert ledger.versions_between(10**30, 1) == []
