"""Drafting rules added in the eighth round (issue 16; dev8, the former test half, and dev9; decision 0044).

Each case is a sentence of our own in the genre (not an item of any evaluation set), written for a class of
phrasing rather than one wording: dates written as ranges, ordinals or numbers; a title's field of work; gifts
told with "gifted", "received", "visited … and presented … to", or in the passive without a giver.
"""

from __future__ import annotations

import pytest

from visitgraph.authoring.draft import DraftContext, draft_item, plan_items
from visitgraph.authoring.extract import parse_org, split_descriptor
from visitgraph.authoring.newsdates import find_date
from visitgraph.authoring.newsfacts import GUEST, GUESTS, HOST, find_agreements, find_gifts
from visitgraph.authoring.visitors import analyse_visit, visiting_orgs_free

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
        ("On 04/05/2026 the delegation visited the library.", (2026, 5, 4)),
        ("On 05/24/2026 the delegation visited the library.", (2026, 5, 24)),
        ("On May 4 (Monday), 2026, the delegation visited the library.", (2026, 5, 4)),
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


# --- agreements ---------------------------------------------------------------------------------------------------


def _agreements(text: str) -> list[bool]:
    return [a.signed for a in find_agreements(text)]


def test_the_parties_intent_to_make_a_document_is_an_unsigned_agreement() -> None:
    assert _agreements("The two institutes intend to conclude a contract on joint research.") == []  # no parties
    assert _agreements("The parties plan to conclude a contract on joint research next spring.") == [False]
    assert _agreements("Both sides examined a protocol on exhibitions and decided to finalise its wording.") == [False]
    assert _agreements("The sides decided to hold a joint exhibition.") == []  # no document: not an agreement


def test_a_signed_document_and_an_agreed_one_in_one_sentence_are_two() -> None:
    text = "A protocol on exhibitions was signed, and the parties agreed to sign a contract on digitisation soon."
    assert _agreements(text) == [True, False]
    assert _agreements("The sides agreed on cooperation, and signed a memorandum.") == [True]  # one document


def test_a_document_described_by_a_participle_was_signed() -> None:
    assert _agreements("A data agreement granting the readers remote access was signed.") == [True]


# --- gifts: receivers, participles, presentations -----------------------------------------------------------------


def test_the_head_of_the_delegation_receives_for_the_guests() -> None:
    dirs = _dirs("Afterwards Mayil Ahmadov presented the leader of the delegation with a map.", [], ["Mayil Ahmadov"])
    assert dirs == [("Mayil Ahmadov", GUESTS)]


def test_a_participle_after_and_does_not_split_a_gift() -> None:
    gifts = find_gifts("The guest presented the library with an atlas compiled by her team and printed in Riga.")
    assert len(gifts) == 1
    two = find_gifts("The guest presented the library with an atlas and a set of postcards.")
    assert len(two) == 2


def test_presenting_a_platform_or_to_the_staff_is_not_a_gift() -> None:
    assert _dirs("The guests presented their new cataloguing software to the library staff.") == []
    assert _dirs("The guests presented the results of the survey to the readers.") == []
    assert _dirs("The guests presented two atlases to the library.") == [(GUESTS, HOST)]


# --- people and organisations -------------------------------------------------------------------------------------


def _visit(text: str) -> tuple[list[tuple[str, str | None]], list[str], list[str]]:
    found = analyse_visit(text, None, ["Presidential Library"], ["Mayil Ahmadov"])
    free = visiting_orgs_free(text, found, ["Presidential Library"])
    return (
        [(p.name, p.org.name if p.org else None) for p in found.visitors],
        [o.name for o in found.orgs + free],
        [p.name for p in found.hosts],
    )


def test_a_place_name_ends_before_a_person_and_names_no_organisation() -> None:
    people, orgs, _ = _visit(
        "On May 4, 2026, the curator of the Gallery in Tartu Kadri Tamm and the keeper of the archive in the House "
        "of Friendship Marta Kask visited the Presidential Library."
    )
    assert [name for name, _ in people] == ["Kadri Tamm", "Marta Kask"]
    assert "Friendship" not in orgs


def test_a_person_named_by_a_title_alone_who_receives_the_guests_is_a_host() -> None:
    _, _, hosts = _visit(
        "On May 4, 2026, Kadri Tamm visited the Presidential Library. She was welcomed by Chief Librarian Leyla "
        "Huseynova. Head Cataloguer Orkhan Aliyev showed the guest the card catalogue."
    )
    assert hosts == ["Leyla Huseynova", "Orkhan Aliyev"]


def test_a_part_named_by_what_it_keeps_is_no_organisation() -> None:
    people, orgs, _ = _visit(
        "On May 4, 2026, the head of the Department of Rare Maps Kadri Tamm visited the Presidential Library."
    )
    assert people == [("Kadri Tamm", None)] and orgs == []


def test_a_place_in_brackets_is_the_country_even_with_commas() -> None:
    o = parse_org("Tartu City Library (Republic of Estonia, European Union)")
    assert (o.name, o.country) == ("Tartu City Library", "EE")


def test_either_name_of_x_bracket_the_y_is_looked_up(repo_draft_context: DraftContext) -> None:
    d = draft_item(
        plan_items(
            "On May 4, 2026, a delegation of the Lenin Library (the Russian State Library) visited the Presidential "
            "Library.",
            name="case",
        )[0],
        repo_draft_context,
    )
    orgs = [(e.iri.rsplit("/", 1)[-1], e.new) for e in d.institutions + d.attendees if e.kind == "organization"]
    assert ("russian-state-library", False) in orgs and not any(new for _, new in orgs), orgs


def test_an_institution_with_turkish_capitals_is_read_whole() -> None:
    _, orgs, _ = _visit(
        "On May 4, 2026, Elif Kaya, head of the Documentation Centre of Niğde Ömer Halisdemir University of Türkiye, "
        "visited the Presidential Library."
    )
    assert "Ömer Halisdemir University" not in orgs and "Halisdemir University" not in orgs, orgs


def test_a_field_of_study_is_no_persons_name_and_a_faculty_of_it_is_a_part() -> None:
    people, orgs, _ = _visit(
        "On May 4, 2026, the dean of the Faculty of History and Political Science of Tartu University Prof. Kadri "
        "Tamm visited the Presidential Library."
    )
    assert people == [("Kadri Tamm", "Faculty of History and Political Science of Tartu University")]


def test_of_the_library_and_another_institution_is_not_the_host() -> None:
    people, _, hosts = _visit(
        "On May 4, 2026, the dean of the School of Library and Archive Studies of Tartu University Kadri Tamm visited "
        "the Presidential Library."
    )
    assert hosts == [] and [name for name, _ in people] == ["Kadri Tamm"]


def test_the_person_a_work_is_about_did_not_visit() -> None:
    people, _, _ = _visit(
        "On May 4, 2026, Kadri Tamm, author of a biography of and a film about the painter Sattar Bahlulzade, "
        "visited the Presidential Library."
    )
    assert [name for name, _ in people] == ["Kadri Tamm"]


def test_a_dateline_is_not_the_visit_sentence(repo_draft_context: DraftContext) -> None:
    for opening in ("04.05.2026.", "May 4, 2026 –", "4 May 2026:"):
        d = draft_item(
            plan_items(f"{opening} Librarian Kadri Tamm of Tartu City Library visited the Presidential Library.")[0],
            repo_draft_context,
        )
        assert d.item.date.date.isoformat() == "2026-05-04"
        assert [e.name for e in d.attendees if e.kind == "person"] == ["Kadri Tamm"], opening


def test_the_head_of_a_department_of_something_who_informs_the_guests_is_a_host() -> None:
    _, _, hosts = _visit(
        "On May 4, 2026, Kadri Tamm visited the Presidential Library. The head of the Department of Periodicals "
        "Leyla Huseynova informed the guest about the newspaper archive."
    )
    assert hosts == ["Leyla Huseynova"]


def test_a_groups_institution_ends_before_accompanied_by() -> None:
    people, orgs, _ = _visit(
        "On May 4, 2026, a group of students of Tartu University accompanied by their lecturer Kadri Tamm visited "
        "the Presidential Library."
    )
    assert orgs == ["Tartu University"] and [name for name, _ in people] == ["Kadri Tamm"]


def test_a_person_a_later_sentence_says_accompanied_the_guest_is_a_visitor() -> None:
    people, _, _ = _visit(
        "On May 4, 2026, the Presidential Library was visited by Kadri Tamm, director of Tartu City Library. She was "
        "accompanied by Marta Kask, a bibliographer of the same library."
    )
    assert [name for name, _ in people] == ["Kadri Tamm", "Marta Kask"]


def test_the_head_of_the_delegation_named_later_is_a_visitor_and_an_apposition_keeps_the_giver() -> None:
    text = (
        "On May 4, 2026, employees of Tartu City Library visited the Presidential Library. Kadri Tamm, head of the "
        "delegation, gave the library a set of maps."
    )
    people, _, _ = _visit(text)
    assert people == [("Kadri Tamm", "Tartu City Library")]
    assert _dirs(text, ["Kadri Tamm"]) == [("Kadri Tamm", HOST)]
    assert _dirs("Kadri Tamm, head of the delegation, donated a set of maps to the library.", ["Kadri Tamm"]) == [
        ("Kadri Tamm", HOST)
    ]


def test_a_giver_or_receiver_named_by_office_alone_is_the_other_side_of_the_guest() -> None:
    people = ["Kadri Tamm"]
    assert _dirs("A map of Tartu was presented to her by chief curator Leyla Huseynova.", people) == [(HOST, GUEST)]
    assert _dirs("Kadri Tamm gave the director a book of Estonian verse.", people) == [("Kadri Tamm", HOST)]
    assert _dirs("The director gave her an album.", people) == [(HOST, GUEST)]


@pytest.mark.parametrize(
    "clause",
    [
        "who is the deputy director of Tartu City Library",
        "who heads Tartu City Library",
        "who works at Tartu City Library",
    ],
)
def test_a_relative_clause_after_a_name_is_its_descriptor(clause: str) -> None:
    people, _, _ = _visit(f"On May 4, 2026, Kadri Tamm, {clause}, visited the Presidential Library.")
    assert people == [("Kadri Tamm", "Tartu City Library")]


def test_a_board_of_an_acronyms_body_is_that_body() -> None:
    assert parse_org("ELA Executive Council").name == "ELA"
    assert parse_org("IPR BOOKS").name == "IPR BOOKS"  # guard: an acronym's own name is kept


def test_capitalised_words_after_the_article_are_no_persons_name() -> None:
    people, _, _ = _visit(
        "On May 4, 2026, Kadri Tamm visited the Presidential Library and saw the exhibition Songs of the Amber Coast."
    )
    assert [name for name, _ in people] == ["Kadri Tamm"]
    guard, _, _ = _visit(
        "On May 4, 2026, the rector of the Tallinn University for the Humanities Kadri Tamm visited the Presidential "
        "Library."
    )
    assert [name for name, _ in guard] == ["Kadri Tamm"]  # the name after a long institution's name is kept


def test_an_event_a_guest_attends_is_not_a_visiting_institution() -> None:
    _, orgs, _ = _visit(
        "On May 4, 2026, Kadri Tamm, a speaker at the Caspian Book Forum, visited the Presidential Library."
    )
    assert orgs == []
    _, orgs, _ = _visit(
        "On May 4, 2026, Kadri Tamm, who is in Baku for the Caspian Book Forum, visited the Presidential Library."
    )
    assert orgs == []
