"""IRIs: graph names of source files stay as they are where an IRI can hold the path, and are always valid IRIs."""

from __future__ import annotations

from urllib.parse import unquote

import pyoxigraph as ox
import pytest

from visitgraph.core import vocab

BASE = "https://w3id.org/visitgraph/id/"

#: Names valid before graph names were escaped: published, so their graph IRIs must not change.
KEPT = [
    "data/people.ttl",
    "data/visits/2020-01-24-rudomino-ipr-books.ttl",
    "linksets/accepted/oclc.ttl",
    "data/A-Z_0.9~x.ttl",
    "data/!$&'()*+,;=:@.ttl",
    "data/Bakı-şəhəri.ttl",
    "data/Москва.ttl",
    "data/東京.nt",
    "data/😀.trig",
    "data/a%20b.ttl",
    "data/%C3%A9.ttl",
]

ESCAPED = [
    ("data/new visit.ttl", "data/new%20visit.ttl"),
    ("data/a#b.ttl", "data/a%23b.ttl"),
    ("data/what?.ttl", "data/what%3F.ttl"),
    ("data/100%.ttl", "data/100%25.ttl"),
    ("data/%zz.ttl", "data/%25zz.ttl"),
    ("data/%2.ttl", "data/%252.ttl"),
    ('data/"<>\\^`{|}[].ttl', "data/%22%3C%3E%5C%5E%60%7B%7C%7D%5B%5D.ttl"),
    ("data/line\nbreak\t\x00\x7f.ttl", "data/line%0Abreak%09%00%7F.ttl"),
    ("data/\u0085\ue000\ufffe.ttl", "data/%C2%85%EE%80%80%EF%BF%BE.ttl"),
    ("data/\udcff.ttl", "data/%FF.ttl"),  # a file name byte that is not UTF-8, as Python reads it
]


@pytest.mark.parametrize("relpath", KEPT)
def test_graph_iri_keeps_a_path_an_iri_can_hold(relpath: str) -> None:
    assert vocab.graph_iri(BASE, relpath) == f"{BASE}graph/{relpath}"
    ox.NamedNode(vocab.graph_iri(BASE, relpath))


@pytest.mark.parametrize(("relpath", "path"), ESCAPED, ids=[repr(r) for r, _ in ESCAPED])
def test_graph_iri_escapes_what_an_iri_path_cannot_hold(relpath: str, path: str) -> None:
    """Before: the raw name (`data/new visit.ttl`: ValueError at build; `a#b.ttl`: a fragment)."""
    iri = vocab.graph_iri(BASE, relpath)
    assert iri == f"{BASE}graph/{path}"
    assert ox.NamedNode(iri).value == iri


def test_iri_path_escapes_exactly_what_oxigraph_refuses_in_a_path_plus_fragment_and_query() -> None:
    """Every code point of the Basic Multilingual Plane and the start and end of every other plane."""
    points = [*range(0xD800), *range(0xE000, 0x10000)]
    points += [p + d for p in range(0x10000, 0x110000, 0x10000) for d in (0, 1, 0xFFFD, 0xFFFE, 0xFFFF)]
    points += [0xE0FFF, 0xE1000]
    wrong = []
    for point in points:
        text = f"a{chr(point)}b"
        try:
            ox.NamedNode(BASE + text)
            valid = True
        except ValueError:
            valid = False
        escaped = vocab.iri_path(text)
        if (escaped != text) != (not valid or chr(point) in "#?"):
            wrong.append(hex(point))
        ox.NamedNode(BASE + escaped)
    assert wrong == []


@pytest.mark.parametrize("relpath", [*KEPT[:3], *(r for r, _ in ESCAPED[:-1])])
def test_iri_for_path_of_a_graph_page_gives_its_graph(relpath: str) -> None:
    """A graph's page URL, decoded as Flask decodes a request path, leads back to the graph's IRI."""
    iri = vocab.graph_iri(BASE, relpath)
    url = vocab.local_path(BASE, iri)
    assert url is not None
    assert vocab.iri_for_path(BASE, unquote(url)) == iri
    assert vocab.iri_for_path(BASE, url) == iri  # not decoded: the same (a path with its escapes is kept)


def test_iri_for_path_leaves_other_kinds_as_they_were() -> None:
    assert vocab.iri_for_path(BASE, "/id/person/x#me") == BASE + "person/x#me"
