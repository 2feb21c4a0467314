"""The matcher's constants, checked by what users see (the mutation tool's `match-constants` target).

The README promises that a query is read up to its first 500 characters, and the matcher's rule says a
candidate whose name equals the query wins when no other candidate's name does, even with a close
runner-up. Stores are written by hand; the expected winners follow from those rules and the names.
"""

from __future__ import annotations

import pyoxigraph as ox

from visitgraph.linking.match import Matcher

BASE = "https://w3id.org/visitgraph/id/"
SCHEMA = "http://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def match_of(query: str, *people: tuple[str, str]) -> list[tuple[str, bool]]:
    """Reconcile `query` against a store of the given (slug, name) persons: (id, match) best first."""
    store = ox.Store()
    for slug, name in people:
        node = ox.NamedNode(f"{BASE}person/{slug}")
        store.add(ox.Quad(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(SCHEMA + "Person")))
        store.add(ox.Quad(node, ox.NamedNode(SCHEMA + "name"), ox.Literal(name)))
    return [(c.id, c.match) for c in Matcher.from_store(store, BASE).reconcile(query, "person")]


def test_a_query_is_read_up_to_its_500th_character() -> None:
    """The name ends exactly at character 500: all of it is read (at 499 it would name Anna Karimov)."""
    query = " " * 487 + "Anna Karimova"
    assert len(query) == 500
    found = match_of(query, ("anna-karimova", "Anna Karimova"), ("anna-karimov", "Anna Karimov"))
    assert found[0] == ("person/anna-karimova", True)


def test_nothing_after_the_500th_character_is_read() -> None:
    """A word starting at character 501 is ignored, so the name still equals the label."""
    query = "Anna Karimova" + " " * 487 + "Petrova"
    assert query.index("Petrova") == 500
    assert match_of(query, ("anna-karimova", "Anna Karimova"), ("boris-lee", "Boris Lee")) == [
        ("person/anna-karimova", True)
    ]


def test_the_only_equal_name_wins_over_a_close_runner_up() -> None:
    """The name "Anna M. Karimova" has a middle initial the query lacks: close, but not equal; the equal name wins."""
    found = match_of("Anna Karimova", ("anna-karimova", "Anna Karimova"), ("anna-m-karimova", "Anna M. Karimova"))
    assert found == [("person/anna-karimova", True), ("person/anna-m-karimova", False)]


def test_a_name_equal_but_for_a_bracketed_tag_counts_as_equal() -> None:
    """The name "Anna Karimova (IFLA)" equals the query once the tag is set aside; the middle-initial name does not."""
    found = match_of(
        "Anna Karimova", ("anna-karimova-ifla", "Anna Karimova (IFLA)"), ("anna-m-karimova", "Anna M. Karimova")
    )
    assert found == [("person/anna-karimova-ifla", True), ("person/anna-m-karimova", False)]


def test_two_equal_names_block_each_other() -> None:
    found = match_of("Anna Karimova", ("anna-karimova", "Anna Karimova"), ("karimova-anna", "Karimova Anna"))
    assert [m for _, m in found] == [False, False]
