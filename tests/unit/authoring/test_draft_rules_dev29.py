"""Drafting, twenty-seventh round (issue 16; decision 0087): agreements in other words, workplaces told in relative
clauses or later sentences, parts of bodies, and gifts with gapped or second predicates.

Each case is a sentence of our own in the genre (not an item of any evaluation set). The known people and
institutions are the repository's own records.
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.extract import bare_part, find_people, parse_org, split_descriptor
from visitgraph.authoring.newsfacts import find_agreements, find_gifts

# --- 1. agreements ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("The sides reached an understanding to prepare a joint exhibition of maps.", [False]),
        ("The sides decided that a memorandum of cooperation will be signed in Tashkent next year.", [False]),
        ("A draft was discussed; the sides decided to continue work on the text.", []),
        (
            "A memorandum between the two libraries was signed, and the Presidential Library and the Khujand "
            "library agreed to prepare a joint programme of exhibitions.",
            [True, False],
        ),
        ("The guests reached the library at noon.", []),
    ],
)
def test_agreements_in_other_words(sentence: str, want: list[bool]) -> None:
    assert [a.signed for a in find_agreements(sentence)] == want


# --- 2. workplaces: relative clauses, later sentences, advisers, a country's ministry ---------------------------------


def test_who_has_headed_a_body_since(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2032 Ewa Lis, who has headed the Wroclaw University Library since 2029, visited the Presidential "
        "Library together with her deputy Jan Kos.",
        repo_draft_context,
    )
    assert ("Wroclaw University Library", True) in _orgs(d)


def test_she_heads_a_department_of_a_body(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2032 Dr. Ewa Lis visited the Presidential Library. She heads the Department of Oriental "
        "Collections of the Wroclaw University Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Wroclaw University Library", True)]


def test_who_now_teaches_at(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2032 Professor Karim Amrani visited the Presidential Library. The former director of the "
        "National Library of Tunisia, who now teaches at the University of Sousse, spoke about manuscripts.",
        repo_draft_context,
    )
    assert ("University of Sousse", True) in _orgs(d)


def test_an_adviser_to_a_body_and_a_countrys_ministry() -> None:
    assert split_descriptor("an adviser to the Bibliotheca Alexandrina") == ("adviser", "Bibliotheca Alexandrina")
    org = parse_org("Directorate of Libraries of Türkiye's Ministry of Culture")
    assert org.name == "Directorate of Libraries"
    assert org.parent is not None and org.parent.name == "Ministry of Culture of Türkiye"


# --- 3. parts of bodies ------------------------------------------------------------------------------------------------


def test_parts_are_not_minted_and_are_no_names() -> None:
    assert bare_part("Museum of the Book Department")
    assert not bare_part("Museum of the Book")
    text = "The delegation also included Head of the Digital Preservation Section Ola Brekke."
    assert [p.name for p in find_people(text)] == ["Ola Brekke"]
    assert parse_org("Digitization Centre of the National Library of Chile").name == "National Library of Chile"
    assert parse_org("Egyptian Cultural Centre of the Arab Republic of Egypt").name != "Arab Republic of Egypt"


def test_a_department_of_a_field_owned_by_a_named_body() -> None:
    name = "Department of Oriental Collections of the National Library of the Czech Republic"
    assert parse_org(name).name == "National Library of the Czech Republic"
    assert parse_org("Faculty of Oriental Studies of the University of Warsaw").name.startswith("Faculty")


def test_a_colon_ends_a_delegations_body(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2032 the Presidential Library was visited by a delegation of the Russian State Library (RSL): "
        "Scientific Secretary Dr. Olga Orlova, head of the Museum of the Book Department Ivan Lebedev and leading "
        "bibliographer Anna Frolova.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Russian State Library", False)]
    assert len(_people(d.attendees)) == 3


# --- 4. gifts ----------------------------------------------------------------------------------------------------------


def test_a_gapped_second_giver() -> None:
    found = find_gifts(
        "T. Novak presented the library with a facsimile of the Prague Bible and M. Dvorak with a catalogue of maps, "
        "while the guests were presented with an album.",
        ["Tomas Novak", "Milan Dvorak"],
    )
    assert [g.agent == "host" for g in found] == [False, False, True]


def test_handed_him_after_thanking_in_his_turn() -> None:
    found = find_gifts(
        'Director of the library Mayil Ahmadov thanked the guest and in his turn handed him the album "Baku".',
        [],
        ["Mayil Ahmadov"],
    )
    assert [(g.agent, g.recipient) for g in found] == [("Mayil Ahmadov", "guest")]


def test_enriched_the_collection_with() -> None:
    found = find_gifts(
        "A. Petrov enriched the library's collection with a new album on Russian history.", ["Anton Petrov"]
    )
    assert [(g.agent, g.recipient) for g in found] == [("Anton Petrov", "host")]


def test_an_article_after_and_opens_a_second_gift_after_the() -> None:
    found = find_gifts("The writer presented the library with the French edition of his novel and a book of essays.")
    assert len(found) == 2
