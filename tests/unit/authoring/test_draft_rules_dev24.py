"""Drafting, twenty-fourth round (issue 16; decision 0084): datelines, guests counted before they are named,
parts of a visiting body, names in another language, saints as eponyms, and what is or is not an agreement.

Each case is a sentence of our own in the genre (not an item of any evaluation set). The known people and
institutions are the repository's own records.
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.extract import find_people, split_descriptor
from visitgraph.authoring.newsfacts import find_agreements, find_gifts

_ALEXANDRIA = "Alexandria Library"
_VGBIL = "All-Russia State Library for Foreign Literature named after M. I. Rudomino"

# --- 1. a dateline with a place in title case, or an agency's name after its date ----------------------------------


@pytest.mark.parametrize(
    "dateline",
    [
        "Ganja, 4 March 2027.",
        "New York, March 4, 2027 –",
        "Baku, 4 March 2027 /AZERTAC/.",
        "Baku, 4 March 2027 (AZERTAC):",
    ],
)
def test_a_dateline_is_not_the_visit_sentence(dateline: str, repo_draft_context: DraftContext) -> None:
    d = _draft(
        f"{dateline} A delegation of the Central Library of Khujand State University headed by its director "
        "Rustam Nazarov visited the Presidential Library today.",
        repo_draft_context,
    )
    assert d.item.date.date.isoformat() == "2027-03-04"
    assert _people(d.attendees) == [("Rustam Nazarov", True)]
    assert _orgs(d) == [("Central Library of Khujand State University", True)]


def test_a_sentence_opening_is_no_dateline_place(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Today, 4 March 2027, Rustam Nazarov, director of the Central Library of Khujand State University, visited "
        "the Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Rustam Nazarov", True)]


# --- 2. guests counted in the object of the visit sentence, named in the next ----------------------------------------


def test_guests_counted_in_the_visit_sentence_are_named_in_the_next(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2027 the Presidential Library received three guests from Tajikistan. Director of the Central "
        "Library of Khujand State University Rustam Nazarov came together with Zarina Qodirova, head of the "
        "Periodicals Sector of the same library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Rustam Nazarov", True), ("Zarina Qodirova", True)]
    assert _orgs(d) == [("Central Library of Khujand State University", True)]


# --- 3. titles of library occupations, and a part of the guests' own body opening a list ---------------------------


def test_a_bibliographer_who_meets_the_guest_is_host_staff(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2027 the writer Rustam Nazarov visited the Presidential Library. He was met by chief "
        "bibliographer Sabina Quliyeva and archivist Elvin Mirzayev.",
        repo_draft_context,
    )
    assert sorted(_people(d.contributors)) == [("Elvin Mirzayev", True), ("Sabina Quliyeva", True)]
    assert _people(d.attendees) == [("Rustam Nazarov", True)]


# --- 4. a museum or archive of a known body is that body; a name in its own language, then in English ---------------


def test_a_museum_of_a_known_body_in_a_title_is_that_body(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2027 Leila Fawzi, head of the Papyrus Museum of the Bibliotheca Alexandrina, visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [(_ALEXANDRIA, False)]


def test_the_english_name_after_the_own_language_one_is_read() -> None:
    assert split_descriptor("Director of the Biblioteka Narodowa w Lublinie, the Public Library of Lublin") == (
        "Director",
        "Public Library of Lublin",
    )
    # an apposition that is no institution's name leaves the descriptor as it was
    assert split_descriptor("Director of the National Library of Georgia, the largest library")[1] == (
        "National Library of Georgia"
    )


def test_capitalised_words_inside_a_name_in_another_language_are_nobody(repo_draft_context: DraftContext) -> None:
    people = find_people("Mr. Amrani, former director of the Bibliothèque nationale du Royaume du Maroc, came.")
    assert "Royaume du Maroc" not in [p.name for p in people]
    d = _draft(
        "On 4 March 2027 Karim Amrani, former director of the Bibliothèque nationale du Royaume du Maroc, visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Karim Amrani", True)]


@pytest.mark.parametrize(
    ("eponym", "name"),
    [
        ("St. St. Cyril and Methodius", "Ivan Petrov"),
        ("Saints Cyril and Methodius", "Ivan Petrov"),
        ("Cyril and Methodius", "Ivan Petrov"),
        ("M. I. Rudomino", "Olga Ivanova"),
    ],
)
def test_an_eponym_ends_where_its_saints_or_initials_do(eponym: str, name: str) -> None:
    text = f"Director of the National Library named after {eponym} {name} visited the library."
    assert [p.name for p in find_people(text)] == [name]


# --- 5. an abbreviation given in brackets with another name is the same body later ---------------------------------


def test_an_abbreviation_bracketed_with_another_name_is_the_body_later(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2027 a delegation of the All-Russia State Library for Foreign Literature (VGBIL, the Rudomino "
        "Library) headed by Svetlana Gorokhova visited the Presidential Library. The delegation included Pavel "
        "Smirnov, chief curator of the Rare Book Department of the VGBIL.",
        repo_draft_context,
    )
    assert _orgs(d) == [(_VGBIL, False)]


# --- 6. gifts: received from the library; a second clause after "in turn" -------------------------------------------


def test_received_from_the_library_is_a_gift_to_the_guest() -> None:
    gifts = find_gifts(
        "Mr. Nazarov worked in the reading hall and received from the library a set of books on Azerbaijani history."
    )
    assert [(g.agent, g.recipient) for g in gifts] == [("host", "guests")]
    assert find_gifts("He received from the library information about its collections.") == []


def test_in_turn_without_a_possessive_opens_the_second_gift() -> None:
    gifts = find_gifts(
        'The guests were presented with the album "Baku"; Mr. Nazarov, in turn, donated to the library his monograph.',
        ["Mr. Nazarov"],
    )
    assert [(g.agent, g.recipient) for g in gifts] == [("host", "guests"), ("Mr. Nazarov", "host")]


# --- 7. agreements: going on negotiating is none; a similar document agreed by the other party is one -----------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The parties decided to continue negotiations on a licence agreement.",
        "The sides agreed to continue the talks on a memorandum next year.",
        "It was decided to consider a cooperation agreement.",
    ],
)
def test_going_on_talking_is_no_agreement(sentence: str) -> None:
    assert find_agreements(sentence) == []


def test_a_similar_document_agreed_by_the_other_party_is_a_second_agreement() -> None:
    found = find_agreements(
        "The library signed a memorandum on the exchange of publications with the first delegation, while the "
        "Khujand library agreed to sign a similar document next year."
    )
    assert [a.signed for a in found] == [True, False]


def test_no_article_in_a_signed_document_name() -> None:
    (found,) = find_agreements("During the meeting an agreement on cooperation between the two libraries was signed.")
    assert found.name == "Agreement on cooperation between the two libraries"
