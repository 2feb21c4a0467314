"""The matcher's decision rule on a store written by hand: a match needs the threshold and a clear lead.

Scores follow the tiers documented in visitgraph.linking.match (100 equal; 97-98 equal up to word order; 88
equal up to transliteration), so the names below place two candidates 2-3 points apart, or far apart.
"""

from __future__ import annotations

import pyoxigraph as ox

from visitgraph.linking import match
from visitgraph.linking.match import Matcher

BASE = "https://w3id.org/visitgraph/id/"
SCHEMA = "http://schema.org/"


def matcher_of(*people: tuple[str, str]) -> Matcher:
    store = ox.Store()
    for slug, name in people:
        node = ox.NamedNode(f"{BASE}person/{slug}")
        store.add(
            ox.Quad(
                node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(SCHEMA + "Person")
            )
        )
        store.add(ox.Quad(node, ox.NamedNode(SCHEMA + "name"), ox.Literal(name)))
    return Matcher.from_store(store, BASE)


def test_a_clear_winner_is_a_match() -> None:
    found = match_of("Anna Karimova", ("anna-karimova", "Anna Karimova"), ("boris-lee", "Boris Lee"))
    assert found[0] == ("person/anna-karimova", True)
    assert all(not m for _, m in found[1:])


def test_a_runner_up_within_the_margin_blocks_the_match() -> None:
    """Equal name (100) against the same words in another order (97-98): less than 5 points apart."""
    found = match_of("Anna Karimova", ("anna-karimova", "Anna Karimova"), ("karimova-anna", "Karimova Anna"))
    assert found[0][0] == "person/anna-karimova"
    assert [m for _, m in found] == [False, False]


def test_a_unique_transliteration_variant_is_a_match() -> None:
    """Natalia/Natalya is one transliteration apart, and nobody else comes near: a clear, unique candidate."""
    found = match_of("Natalia Ivanova", ("natalya-ivanova", "Natalya Ivanova"))
    assert found == [("person/natalya-ivanova", True)]


def test_a_name_that_exists_nowhere_has_no_candidate() -> None:
    assert match_of("zzzzqqq", ("anna-karimova", "Anna Karimova"), ("boris-lee", "Boris Lee")) == []


def test_the_documented_constants() -> None:
    assert (match.MATCH_THRESHOLD, match.MATCH_MARGIN) == (85.0, 8.0)  # as the module docstring and README say


def match_of(query: str, *people: tuple[str, str]) -> list[tuple[str, bool]]:
    return [(c.id, c.match) for c in matcher_of(*people).reconcile(query, "person")]
