"""Fidelity fixes of issue 16 in the curated data (checked on the sources, as `build` reads them)."""

from __future__ import annotations

import pyoxigraph as ox

from conftest import ROOT, settings_for
from visitgraph.authoring.draftfile import source_store
from visitgraph.core import vocab

S = vocab.SCHEMA


def test_head_of_state_title_is_not_the_kazakh_librarys_other_name() -> None:
    settings = settings_for(ROOT)
    store = source_store(settings)
    library = ox.NamedNode(settings.base_iri + "organization/kazakhstan-first-president-library")
    alternates = [q.object.value for q in store.quads_for_pattern(library, ox.NamedNode(S + "alternateName"), None)]
    assert "First President of the Republic of Kazakhstan – the Leader of the Nation" not in alternates


def test_item_15_is_not_tagged_exchange_of_experience() -> None:
    """The Khasavyurt staff learnt from the library ("got familiar with the experience of"): one way, no exchange."""
    settings = settings_for(ROOT)
    store = source_store(settings)
    visit = ox.NamedNode(settings.base_iri + "visit/2014-06-13-khasavyurt-library")
    topics = {q.object.value for q in store.quads_for_pattern(visit, ox.NamedNode(S + "about"), None)}
    assert settings.base_iri + "topic/exchange-of-experience" not in topics
    assert settings.base_iri + "topic/cooperation-between-libraries" in topics


def test_every_alternate_name_is_written_in_the_source() -> None:
    """Other names are recorded only where the source states them (issue 16)."""
    settings = settings_for(ROOT)
    store = source_store(settings)
    text = " ".join((ROOT / "data" / "source" / "presidential-library-visits.txt").read_text(encoding="utf-8").split())
    missing = [
        (q.subject.value, q.object.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(S + "alternateName"), None)
        if " ".join(q.object.value.split()) not in text
    ]
    assert not missing
