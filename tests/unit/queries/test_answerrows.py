"""The stored rows' text (visitgraph.queries.answerrows): the same bytes as json.dumps, hostile strings included."""

from __future__ import annotations

import json

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from visitgraph.queries.answerrows import RowEncoder, encode_term, filter_number

HOSTILE = [
    "",
    'a "quoted" \\ back\\slash',
    "line\nbreak\ttab\rreturn\x00nul\x1f\x7f",
    "\u2028\u2029 separators",
    "Ильхам Əliyev 😀 \U0010ffff",
    "</script><!--",
    "x" * 100_000,
]
XSD = "http://www.w3.org/2001/XMLSchema#"


def _terms() -> list[ox.NamedNode | ox.Literal | ox.BlankNode | None]:
    out: list[ox.NamedNode | ox.Literal | ox.BlankNode | None] = [
        None,
        ox.BlankNode("b0"),
        ox.NamedNode("http://e/ä%20x"),
    ]
    for text in HOSTILE:
        out += [
            ox.Literal(text),
            ox.Literal(text, language="az-Latn"),
            ox.Literal(text, datatype=ox.NamedNode(XSD + "token")),
        ]
    out += [
        ox.Literal("2013", datatype=ox.NamedNode(XSD + "gYear")),
        ox.Literal("-0044-03-15", datatype=ox.NamedNode(XSD + "date")),
    ]
    out += [
        ox.Literal("12.5", datatype=ox.NamedNode(XSD + "decimal")),
        ox.Literal("x", datatype=ox.NamedNode(XSD + "integer")),
    ]
    return out


def _reference(n, terms, columns, where, key_at):  # type: ignore[no-untyped-def]
    """The row as decision 0058 wrote it: json.dumps of the encoded terms."""
    key = terms[key_at] if key_at is not None else None
    values = [n, json.dumps([encode_term(t) for t in terms], ensure_ascii=False), None if key is None else str(key)]
    for c in columns:
        term = terms[where[c]] if c in where else None
        values += [None if term is None else term.value, filter_number(term)]
    return tuple(values)


def test_each_term_is_written_as_json_dumps_writes_it() -> None:
    encoder = RowEncoder(limit=3)  # a small memory: cleared and refilled on the way
    for _ in range(2):
        for term in _terms():
            assert encoder.text(term) == json.dumps(encode_term(term), ensure_ascii=False)
            assert json.loads(encoder.text(term)) == encode_term(term)


def test_rows_are_the_same_bytes_as_before() -> None:
    terms = _terms()
    columns, where = ["a", "b", "missing"], {"a": 1, "b": 4}
    row = RowEncoder().for_columns(columns, where, 2)
    for start in range(0, len(terms) - 5, 3):
        part = terms[start : start + 6]
        assert row(start, part) == _reference(start, part, columns, where, 2)
        assert RowEncoder().row_values(start, part, columns, where, None) == _reference(
            start, part, columns, where, None
        )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=6), st.sampled_from(["", "en", "az-Cyrl"]))
def test_any_text_is_written_as_json_dumps_writes_it(texts: list[str], language: str) -> None:
    terms = [ox.Literal(t, language=language) if language else ox.Literal(t) for t in texts]
    row = RowEncoder(limit=2).for_columns(["c"], {"c": 0}, 0)
    assert row(7, terms) == _reference(7, terms, ["c"], {"c": 0}, 0)
