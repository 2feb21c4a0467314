"""What an adversarial review of drafting rounds 24–27 found (session 21; decision 0087): a regular expression that
took time to the fifth power of a run of capitals, and rules that read too much into ordinary sentences.

Each case failed (or took seconds) on the rules before the fix; the inputs are sentences of our own.
"""

from __future__ import annotations

import time

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.extract import find_people, parse_org, split_descriptor
from visitgraph.authoring.newsfacts import find_gifts
from visitgraph.core.countries import endonym_keys

_V = "On May 5, 2027, Director of the National Library of Georgia Giorgi Kekelidze visited the Presidential Library. "


@pytest.mark.parametrize(
    "tail", ["The library's collection was enriched with an album.", "handed over the book to the library."]
)
def test_a_run_of_capitals_before_a_gift_verb_is_read_in_linear_time(tail: str) -> None:
    """The givers' "(?:CAP\\w*\\s?){1,4}" split one run of capitals every way (17 s at 160 characters); the words of a
    giver are now separated by spaces. Timed as a ratio of two sizes, not against a fixed budget."""

    def run(n: int) -> float:
        text = "Photo: " + ("IMG_2027_PRESIDENTIAL_LIBRARY_GEORGIAN_DELEGATION_" * 100)[:n] + " " + tail
        start = time.perf_counter()
        for _ in range(5):
            find_gifts(text)
        return time.perf_counter() - start

    small, large = run(200), run(3200)
    assert large < max(small, 0.002) * 64, (small, large)  # 16 times the input: linear is 16, n^5 is a million


def test_a_third_persons_workplace_is_not_the_guests(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, writer Ali Hasanov visited the Presidential Library. He presented his book about Lotfi "
        "Zadeh, who worked at the University of California for many years.",
        repo_draft_context,
    )
    assert _orgs(d) == []


def test_a_collection_growing_is_no_gift_from_the_guests() -> None:
    found = find_gifts("The library's collection was enriched with new editions thanks to the State Programme.")
    assert found == []


def test_two_places_joined_by_and_are_no_second_giver() -> None:
    found = find_gifts("The guest presented the library with a map of the Caucasus and Georgia with the old borders.")
    assert len(found) == 1


def test_names_in_a_sentence_after_counted_guests_must_read_as_who_came(repo_draft_context: DraftContext) -> None:
    from visitgraph.core.errors import BadParameter

    with pytest.raises(BadParameter):
        _draft(
            "On May 5, 2027, the Presidential Library received guests. Rashid Behbudov's songs were played in the "
            "hall.",
            repo_draft_context,
        )


def test_a_later_body_of_a_represented_by_list_is_never_the_host(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Two groups of guests visited the Presidential Library on May 5, 2027. The Ilia State University was "
        "represented by its rector Giga Zedania, and the Tbilisi City Hall by Nino Beridze.",
        repo_draft_context,
    )
    assert ("Nino Beridze", True) in _people(d.attendees)


def test_a_countrys_possessive_parent_only_for_a_ministry() -> None:
    assert parse_org("Library of Türkiye's Grand National Assembly").parent is None
    assert parse_org("University of Georgia's Ministry of Defence").name.startswith("University of Georgia")


def test_a_name_in_another_language_runs_on_to_its_country() -> None:
    text = "Director of the Biblioteca Nacional de la República Bolivariana de Venezuela Juan Pérez visited."
    assert [p.name for p in find_people(text)] == ["Juan Pérez"]
    text = "Director of the Bibliothèque nationale du Royaume du Maroc Mohamed Fathi visited."
    assert [p.name for p in find_people(text)] == ["Mohamed Fathi"]


def test_an_adviser_to_an_office_is_not_an_adviser_to_a_body() -> None:
    assert split_descriptor("adviser to the Minister of Culture of Georgia")[1] != "Minister of Culture of Georgia"


def test_impressions_left_in_the_guest_book_are_no_gift() -> None:
    found = find_gifts(
        "The guests left their impressions in the library's guest book and a souvenir for the library.", [], []
    )
    assert [g.description for g in found] == ["Souvenir"] or len(found) == 1


def test_an_initials_full_stop_ends_a_gift_before_a_new_sentence() -> None:
    (gift,) = find_gifts(_V + "The guest presented the library with a book on Vitamin C. The director thanked him.")
    assert gift.description == "Book on Vitamin C"


def test_english_words_are_no_country_keys() -> None:
    keys = endonym_keys()
    assert not {"island", "chin", "maurice", "columbia"} & set(keys)
    assert keys["maroc"] == "morocco"


def test_a_person_before_a_date_is_no_dateline(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Giorgi Kekelidze, May 5, 2027. The director of the National Library of Georgia visited the Presidential "
        "Library.",
        repo_draft_context,
    )
    assert ("Giorgi Kekelidze", True) in _people(d.attendees)
