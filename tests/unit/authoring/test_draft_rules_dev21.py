"""Drafting, twenty-first round (issue 16; decision 0071): reuse and inventions asked of the graph and a name's form.

Each case is a sentence of our own in the genre (not an item of any evaluation set). The known people and
institutions are the repository's own records.
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext
from visitgraph.core.errors import BadParameter

# --- 1. a known person's given name clipped ("Len" for "Leonard"): the one known person it can be --------------------


def test_a_clipped_given_name_is_the_one_known_person_it_shortens(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 April 2026 the journalist Len Kniffel visited the Presidential Library and met readers.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Leonard Kniffel", False)]
    assert any("given name it shortens" in (e.check or "") for e in d.attendees)


def test_a_given_name_ending_on_a_vowel_is_a_name_of_its_own(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 April 2026 the journalist Lena Kniffel visited the Presidential Library and met readers.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Lena Kniffel", True)]


def test_a_clipped_name_with_another_family_name_is_another_person(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 April 2026 the journalist Len Knoppel visited the Presidential Library and met readers.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Len Knoppel", True)]


# --- 2. a body given a second name between dashes that the graph knows: the known body ------------------------------


def test_a_name_the_graph_knows_between_dashes_is_the_known_body(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 8 October 2026 a delegation of the Nursultan Library – the Library of the First President of the Republic "
        "of Kazakhstan – visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [
        ("Library of the First President of the Republic of Kazakhstan – the Leader of the Nation", False)
    ]


def test_words_between_dashes_that_name_no_body_leave_the_body_new(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 8 October 2026 a delegation of the Tallinn City Library – its director and two librarians – visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Tallinn City Library", True)]


def test_a_second_name_the_graph_does_not_know_leaves_the_body_new(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 8 October 2026 a delegation of the Tartu Town Library – the Oldest Public Library of Estonia – visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Tartu Town Library", True)]


# --- 3. no guest read, a known body came: the people the graph records as its staff are its delegation -------------

_KZ = "Library of the First President of the Republic of Kazakhstan"


def test_the_known_staff_of_a_known_visiting_body_are_its_guests(repo_draft_context: DraftContext) -> None:
    d = _draft(
        f"A delegation of the {_KZ} came to Baku on 2 March 2026. Akbota Khamitova and her colleagues were shown "
        "the reading rooms.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Akbota Kamoyovna Xamitova", False)]


def test_a_known_colleague_named_beside_a_guest_read_is_not_added(repo_draft_context: DraftContext) -> None:
    d = _draft(
        f"A delegation of the {_KZ} led by Aigerim Tulegenova visited the Presidential Library on 2 March 2026. The "
        "guests spoke of the projects of Kunslu Isinova.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Aigerim Tulegenova", True)]


def test_a_known_person_of_another_body_is_not_the_delegation(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "A delegation of the National Library of Georgia came to Baku on 2 March 2026. The guests were shown a book "
        "edited by Kunslu Isinova.",
        repo_draft_context,
    )
    assert _people(d.attendees) == []


# --- 4. a person read as host staff whom the graph records as staff of the known body that came: a guest -----------


def test_the_known_head_of_a_visiting_body_read_as_host_is_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        f"A delegation of the {_KZ} came to Baku on 2 March 2026. Its head was Kunslu Isinova; Akbota Khamitova was "
        "also part of it.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Akbota Kamoyovna Xamitova", False), ("Kunslu Serikovna İsinova", False)]
    assert _people(d.contributors) == []


def test_the_host_s_director_receiving_a_known_body_stays_a_host(repo_draft_context: DraftContext) -> None:
    d = _draft(
        f"On 2 March 2026 director Mayil Ahmadov received a delegation of the {_KZ} headed by Kunslu Isinova.",
        repo_draft_context,
    )
    assert _people(d.contributors) == [("Mayil Ahmadov", False)]
    assert _people(d.attendees) == [("Kunslu Serikovna İsinova", False)]


# --- 5. a guest the drafter reuses as the host's recorded staff (whatever way it found them) is a host --------------


def test_a_surname_reused_as_the_host_s_director_is_a_host(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 students of Baku State University led by Aysel Karimova came to the Presidential Library to "
        "talk with its director, Mr. Ahmadov, about reading.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Aysel Karimova", True)]
    assert _people(d.contributors) == [("Mayil Ahmadov", False)]


def test_a_surname_reused_as_a_known_guest_stays_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 the American journalist Mr. Kniffel came to the Presidential Library to write about its reading "
        "rooms.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Leonard Kniffel", False)]
    assert _people(d.contributors) == []


# --- 6. a visit whose words read nobody: the people the graph records as earlier guests, with their recorded body --


def test_earlier_guests_named_where_the_words_read_nobody_are_the_guests(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 colleagues from Astana were at the Presidential Library. Kunslu Isinova and Akbota Khamitova "
        "of the Library of the First President of Kazakhstan saw the reading halls.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Akbota Kamoyovna Xamitova", False), ("Kunslu Serikovna İsinova", False)]
    assert _orgs(d) == [(f"{_KZ} – the Leader of the Nation", False)]


def test_an_earlier_guest_whose_novels_are_shown_is_not_a_guest(repo_draft_context: DraftContext) -> None:
    with pytest.raises(BadParameter, match="does not read as a visit"):
        _draft(
            "On 3 May 2026 the library's reading room held an exhibition of the novels of Gerard Cardonne, who "
            "visited the library in 2017.",
            repo_draft_context,
        )


def test_an_earlier_guest_recalled_is_not_a_guest(repo_draft_context: DraftContext) -> None:
    with pytest.raises(BadParameter, match="does not read as a visit"):
        _draft(
            "A round table on translation was held at the Presidential Library on 3 May 2026. Participants recalled "
            "the meeting with Gerard Cardonne in 2017.",
            repo_draft_context,
        )


# --- 7. a reused guest with no institution read: the one the graph records them at, when the item spells it -------


def test_a_known_guest_s_recorded_body_spelt_in_the_item_is_theirs(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "A television crew of Sputnik Azerbaijan, led by Aziz Aliyev, was at the Presidential Library on 3 May 2026 "
        "to film the new reading room.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Aziz Aliyev", False)]
    assert _orgs(d) == [("Sputnik Azerbaijan", False)]


def test_a_known_guest_s_recorded_body_not_named_is_not_drafted(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 the journalist Aziz Aliyev visited the Presidential Library to write about its new reading room.",
        repo_draft_context,
    )
    assert _orgs(d) == []
