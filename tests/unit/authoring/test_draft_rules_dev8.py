"""Drafting rules added in the eighth round (issue 16; dev8, the former test half, and dev9; decision 0044).

Each case is a sentence of our own in the genre (not an item of any evaluation set), written for a class of
phrasing rather than one wording: dates written as ranges, ordinals or numbers; a title's field of work; gifts
told with "gifted", "received", "visited … and presented … to", or in the passive without a giver.
"""

from __future__ import annotations

import pytest

from visitgraph.authoring.draft import DraftContext, draft_item, plan_items
from visitgraph.authoring.extract import split_descriptor
from visitgraph.authoring.newsdates import find_date
from visitgraph.authoring.newsfacts import GUEST, GUESTS, HOST, find_gifts

# --- dates --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("On May 4-6, 2026, the delegation visited the library.", (2026, 5, 4)),
        ("From 4 to 6 May 2026 the delegation visited the library.", (2026, 5, 4)),
        ("On 4–6 May 2026 the delegation visited the library.", (2026, 5, 4)),
        ("On May 4 and 5, 2026, the delegation visited the library.", (2026, 5, 4)),
        ("On May 30 – June 1, 2026, the delegation visited the library.", (2026, 5, 30)),
        ("On 30 May – 1 June 2026 the delegation visited the library.", (2026, 5, 30)),
        ("On the 4th of May, 2026, the delegation visited the library.", (2026, 5, 4)),
        ("On 04.05.2026 the delegation visited the library.", (2026, 5, 4)),
        ("On 2026-05-04 the delegation visited the library.", (2026, 5, 4)),
    ],
)
def test_a_date_written_as_a_range_an_ordinal_or_in_numbers_is_its_first_day(text: str, want: tuple) -> None:
    m = find_date(text)
    assert m is not None and (m.year, m.month, m.day) == want, m


def test_an_impossible_numeric_date_is_not_a_date() -> None:
    m = find_date("On 31.02.2026 nothing happened; on May 4, 2026 the delegation visited the library.")
    assert m is not None and (m.year, m.month, m.day) == (2026, 5, 4)


# --- titles -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("desc", "want"),
    [
        ("Head of Foreign Relations", ("Head of Foreign Relations", None)),
        ("Vice-Rector for Academic Affairs", ("Vice-Rector for Academic Affairs", None)),
        (
            "Director of Digital Projects of the Riverside City Library",
            ("Director of Digital Projects", "Riverside City Library"),
        ),
    ],
)
def test_a_title_of_a_field_of_work_names_no_organisation(desc: str, want: tuple) -> None:
    assert split_descriptor(desc) == want


def test_a_field_of_work_before_a_name_is_not_minted(repo_draft_context: DraftContext) -> None:
    d = draft_item(
        plan_items(
            "On May 4, 2026, a delegation of the Russian State Library headed by Director of External Relations "
            "Olga Berezina visited the Presidential Library.",
            name="case",
        )[0],
        repo_draft_context,
    )
    orgs = [(e.iri.rsplit("/", 1)[-1], e.new) for e in d.institutions + d.attendees if e.kind == "organization"]
    assert ("russian-state-library", False) in orgs
    assert not any(new for _, new in orgs), orgs
    people = [(e.iri.rsplit("/", 1)[-1], e.new) for e in d.attendees if e.kind == "person"]
    assert people == [("olga-berezina", True)]  # the field's words are not the start of her name


# --- gifts --------------------------------------------------------------------------------------------------------


def _dirs(text: str, people: list[str] = (), hosts: list[str] = ()) -> list[tuple[str, str]]:
    return [(g.agent, g.recipient) for g in find_gifts(text, people, hosts)]


def test_gifted_is_a_verb_of_giving() -> None:
    assert _dirs("Olga Berezina visited the Presidential Library and gifted the library a set of maps.") == [
        (GUESTS, HOST)
    ]
    assert _dirs("The guests gifted two albums to the library.") == [(GUESTS, HOST)]
    assert _dirs("The guest was gifted a book about the library.") == [(HOST, GUEST)]


def test_the_receiver_as_subject_takes_the_gift_from_the_other_side() -> None:
    assert _dirs("The library received a set of books from the guests.") == [(GUESTS, HOST)]
    assert _dirs("As a souvenir, the guest received the album “Old Baku”.") == [(HOST, GUEST)]
    assert _dirs("Olga Berezina received a copy of the catalogue.", ["Olga Berezina"]) == [(HOST, "Olga Berezina")]


def test_receiving_information_or_guests_is_no_gift() -> None:
    assert _dirs("The guests received information about the library's collections.") == []
    assert _dirs("The director received the guests in the reading room.") == []


def test_visited_and_presented_things_to_the_library_is_the_visitors_gift() -> None:
    text = (
        "Olga Berezina, a poet from Kazan, visited the Presidential Library and presented her books of verse "
        "to the library."
    )
    assert _dirs(text, ["Olga Berezina"]) == [(GUESTS, HOST)]


def test_visited_and_presented_the_guests_with_is_not_turned_around() -> None:
    """Guard: 'presented <someone> with' keeps its own reading."""
    assert _dirs("The delegation visited the Presidential Library and presented the library with a map.") != [
        (HOST, GUESTS)
    ]


def test_passive_gifts_without_a_giver_come_from_the_other_side() -> None:
    assert _dirs("Books about Azerbaijan were presented to the guests.") == [(HOST, GUESTS)]
    assert _dirs("Several albums were donated to the library by the guest.") == [(GUEST, HOST)]
    described = find_gifts("Several albums were donated to the library by the guest.")
    assert described[0].description == "Several albums"
