"""Parameter binding of saved queries at its edges (the mutation tool's `savedquery` target).

What users rely on: the documented limits are inclusive (an IRI of 2,000 characters, a text of 1,000,
a number equal to `min` or `max` is accepted; one more is refused), values are taken as typed terms
or refused with the parameter's name, and a header line means what the README says it means. Every
expected term is written by hand.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from visitgraph.core.errors import BadParameter
from visitgraph.queries.savedquery import Param, bind_value, expand_curie, normalize_iri, parse_param

BASE = "https://w3id.org/visitgraph/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
PERSON = Param("who", "iri:schema:Person")


def test_an_iri_of_exactly_2000_characters_is_accepted_and_one_more_refused() -> None:
    iri = "http://example.org/" + "a" * (2000 - len("http://example.org/"))
    assert len(iri) == 2000
    assert bind_value(PERSON, iri, BASE) == ox.NamedNode(iri)
    with pytest.raises(BadParameter, match="longer than 2000 characters"):
        bind_value(PERSON, iri + "a", BASE)


def test_a_text_of_exactly_1000_characters_is_accepted() -> None:
    assert bind_value(Param("t", "xsd:string"), "x" * 1000, BASE) == ox.Literal("x" * 1000)


def test_integer_bounds_are_inclusive() -> None:
    n = Param("n", "xsd:integer", minimum=1, maximum=10)
    integer = ox.NamedNode(XSD + "integer")
    assert bind_value(n, "1", BASE) == ox.Literal("1", datatype=integer)
    assert bind_value(n, "10", BASE) == ox.Literal("10", datatype=integer)
    for outside in ("0", "11"):
        with pytest.raises(BadParameter, match="out of range"):
            bind_value(n, outside, BASE)
    only_min = Param("n", "xsd:integer", minimum=5)
    assert bind_value(only_min, "999999", BASE) == ox.Literal("999999", datatype=integer)
    with pytest.raises(BadParameter, match=r"between 5 and ∞"):
        bind_value(only_min, "4", BASE)
    only_max = Param("n", "xsd:integer", maximum=5)
    assert bind_value(only_max, "-3", BASE) == ox.Literal("-3", datatype=integer)
    with pytest.raises(BadParameter, match=r"between -∞ and 5"):
        bind_value(only_max, "6", BASE)


def test_year_one_is_a_year_and_year_zero_is_not() -> None:
    year = Param("y", "xsd:gYear")
    assert bind_value(year, "0001", BASE) == ox.Literal("0001", datatype=ox.NamedNode(XSD + "gYear"))
    with pytest.raises(BadParameter, match="no year 0000"):
        bind_value(year, "0000", BASE)


def test_a_value_outside_the_choices_is_refused() -> None:
    p = Param("d", "xsd:string", choices=("received", "given"))
    assert bind_value(p, "given", BASE) == ox.Literal("given")
    with pytest.raises(BadParameter, match="not one of the choices; expected one of: received, given"):
        bind_value(p, "taken", BASE)


def test_a_date_that_does_not_exist_is_refused_by_name() -> None:
    with pytest.raises(BadParameter, match="'when': no such day"):
        bind_value(Param("when", "xsd:date"), "2013-02-29", BASE)
    leap = bind_value(Param("when", "xsd:date"), "2012-02-29", BASE)
    assert leap == ox.Literal("2012-02-29", datatype=ox.NamedNode(XSD + "date"))


def test_non_ascii_or_padded_values_are_told_so() -> None:
    for raw in ("٢٠١٣", "2013\n", " 2013"):
        with pytest.raises(BadParameter, match="only ASCII digits and letters in the exact form"):
            bind_value(Param("y", "xsd:gYear"), raw, BASE)
    with pytest.raises(BadParameter, match=r"'y': bad value; expected a year"):
        bind_value(Param("y", "xsd:gYear"), "13", BASE)


def test_iri_values_are_trimmed_and_short_forms_expanded() -> None:
    anna = ox.NamedNode(BASE + "person/anna")
    assert bind_value(PERSON, "  person/anna \n", BASE) == anna
    assert bind_value(PERSON, " /id/person/anna", BASE) == anna


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/id/person/x", BASE + "person/x"),
        ("person/x", BASE + "person/x"),
        ("organization/oclc", BASE + "organization/oclc"),
        ("planet/x", "planet/x"),  # not a kind: left as written (then refused as not absolute)
        ("person/../x", "person/../x"),  # not a slug
        ("person", "person"),
        ("http://example.org/person/x", "http://example.org/person/x"),
    ],
)
def test_normalize_iri(value: str, expected: str) -> None:
    assert normalize_iri(value, BASE) == expected


def test_short_forms_that_are_not_ours_are_refused() -> None:
    for raw in ("planet/x", "person/../x", "person"):
        with pytest.raises(BadParameter, match="not an absolute IRI"):
            bind_value(PERSON, raw, BASE)


def test_expand_curie_needs_a_known_prefix_and_a_local_name() -> None:
    assert expand_curie("schema:Person") == "http://schema.org/Person"
    for bad in ("schema:", "nope:Person", "Person"):
        with pytest.raises(ValueError, match="unknown prefix"):
            expand_curie(bad)


def test_parse_param_options() -> None:
    p = parse_param("n xsd:integer required min=0 max=7 choices=|1||2| filter=date>= — How many.")
    assert (p.required, p.minimum, p.maximum, p.choices, p.filter, p.help) == (
        True,
        0,
        7,
        ("1", "2"),
        ("date", ">="),
        "How many.",
    )
    assert parse_param("n xsd:integer").required is False
    with pytest.raises(ValueError, match="unknown option 'colour=red' of parameter 'n'"):
        parse_param("n xsd:integer colour=red")
    with pytest.raises(ValueError, match="bad parameter name 'offset'"):
        parse_param("offset xsd:integer")
    with pytest.raises(ValueError, match="bad parameter name '2x'"):
        parse_param("2x xsd:integer")


@pytest.mark.parametrize("raw", ["http://example.org/a%zz", "http://[::1", "http://example.org/a#b#c"])
def test_an_iri_the_store_cannot_parse_is_a_bad_parameter(raw: str) -> None:
    """Absolute in form but not an IRI (bad percent-escape, broken host, two fragments): a 400, never a 500."""
    with pytest.raises(BadParameter, match="'who': not an IRI") as info:
        bind_value(PERSON, raw, BASE)
    assert info.value.status == 400


def test_help_text_may_hold_the_separator_itself() -> None:
    """Only the first " — " (or " -- ") ends the options; the help after it is kept whole."""
    assert parse_param("y xsd:gYear — From — to, or -- until.").help == "From — to, or -- until."
