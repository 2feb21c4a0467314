"""Drafting, twenty-third round (issue 16; decision 0074): reuse and inventions asked of the matcher and the graph.

Each case is a sentence of our own in the genre (not an item of any evaluation set). The known people and
institutions are the repository's own records.
"""

from __future__ import annotations

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.extract import parse_org, split_descriptor
from visitgraph.core.names import LabelKeys, abbreviation_last
from visitgraph.linking.namescore import name_score

_VGBIL = "All-Russia State Library for Foreign Literature named after M. I. Rudomino"
_YELTSIN = "Presidential Library of the Russian Federation named after Boris Yeltsin"

# --- 1. a family name before its initials ("Gorokhova S. V.") is the name in the other order ----------------------


def test_a_family_name_before_its_initials_is_the_known_person(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 14 June 2026 Gorokhova S. V. of the All-Russia State Library for Foreign Literature visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Svetlana Gorokhova", False)]


def test_initials_after_a_family_name_must_still_fit_the_given_name() -> None:
    known = LabelKeys.of("Svetlana Gorokhova")
    assert name_score(LabelKeys.of("Gorokhova S. V."), known, "person") >= 90
    assert name_score(LabelKeys.of("Gorokhova A. V."), known, "person") < 60


# --- 2. an abbreviation written before its expansion in brackets ---------------------------------------------------


def test_an_abbreviation_before_its_expansion_is_the_known_body(repo_draft_context: DraftContext) -> None:
    c = repo_draft_context.matcher.reconcile("RSL (Russian State Library)", type="organization", limit=2)
    assert c and c[0].match and c[0].name == "Russian State Library"
    d = _draft(
        "On 20 May 2026 Svetlana Gorokhova, Head of International Activities of the VGBIL (All-Russia State "
        "Library for Foreign Literature), visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [(_VGBIL, False)]


def test_a_place_or_a_country_code_in_brackets_is_left_as_written() -> None:
    assert abbreviation_last("UNESCO (Paris)") == "UNESCO (Paris)"
    assert abbreviation_last("RU (Russian Federation)") == "RU (Russian Federation)"


# --- 3. "of" after a title's field ("Director of International Activities of the …") is the title's --------------


def test_the_of_after_a_field_of_work_starts_the_institution() -> None:
    assert split_descriptor("Head of Foreign Relations of the NLK (National Library of Kazakhstan)") == (
        "Head of Foreign Relations",
        "NLK (National Library of Kazakhstan)",
    )


def test_the_of_inside_a_place_name_still_names_no_institution() -> None:
    assert split_descriptor("head of the branch in the Palace of Independence")[1] is None


# --- 4. a known guest of another body, read in a host's slot, is that body's guest when the item names it ---------


def test_a_recorded_guest_of_a_named_body_in_a_hosts_slot_is_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 2 May 2026 bibliographers Olga Sidorova and Ivan Markov visited the Presidential Library. The delegation "
        "of the Boris Yeltsin Presidential Library was led by General Director Alexander Vershinin.",
        repo_draft_context,
    )
    assert ("Alexander Vershinin", False) in _people(d.attendees)
    assert _people(d.contributors) == []
    assert _orgs(d) == [(_YELTSIN, False)]


def test_a_recorded_guest_whose_body_the_item_does_not_name_stays_as_read(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 2 May 2026 bibliographers Olga Sidorova and Ivan Markov visited the Presidential Library. General "
        "Director Alexander Vershinin sent greetings to the director of the library.",
        repo_draft_context,
    )
    assert ("Alexander Vershinin", False) not in _people(d.attendees)


def test_the_hosts_own_director_stays_a_host(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 2 May 2026 a delegation of the Boris Yeltsin Presidential Library visited the Presidential Library. "
        "Director of the library Mayil Ahmadov showed the guests the reading halls.",
        repo_draft_context,
    )
    assert _people(d.contributors) == [("Mayil Ahmadov", False)]


# --- 5. an affiliation the graph has never seen is no evidence against a known person ------------------------------


def test_a_known_person_at_a_new_workplace_is_reused(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 5 June 2026 Ellen R. Tise, now Dean of the Library School of the University of Pretoria, visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Ellen Tise", False)]


def test_a_known_other_affiliation_still_counts_against_a_name(repo_draft_context: DraftContext) -> None:
    matcher, base = repo_draft_context.matcher, repo_draft_context.base
    unseen = matcher.reconcile(
        "Ellen R. Tise", "person", [("affiliation", base + "organization/university-of-pretoria")], limit=1
    )
    other = matcher.reconcile("Ellen R. Tise", "person", [("affiliation", base + "organization/oclc")], limit=1)
    assert unseen[0].match and unseen[0].score > other[0].score


# --- 6. a bracket the reading cut open at a comma is not part of a body's name -------------------------------------


def test_a_bracket_left_open_after_a_name_is_left_out(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 9 May 2026 Ismail Serageldin, adviser of the Bibliotheca Alexandrina (the new Library of Alexandria, "
        "Egypt), visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Alexandria Library", False)]
    assert parse_org("Moravian Library (Brno").name == "Moravian Library"


# --- 7. a dateline's place in capitals before the date --------------------------------------------------------------


def test_a_dateline_with_a_place_is_not_the_visit_sentence(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "NEW YORK, 3 March 2026. Librarian Sarah Collins of the Queens Public Library visited the Presidential "
        "Library.",
        repo_draft_context,
    )
    assert d.item.date.date.isoformat() == "2026-03-03"
    assert _people(d.attendees) == [("Sarah Collins", True)]


def test_words_before_a_date_that_are_no_place_in_capitals_stay_in_the_sentence(
    repo_draft_context: DraftContext,
) -> None:
    d = _draft(
        "Yesterday, 3 March 2026, a delegation of the Turkish National Library visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Turkish National Library", True)]


# --- 8. a delegation's members read in a later sentence keep the item's offsets ------------------------------------


def test_a_later_list_of_members_keeps_each_name_whole(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "The Presidential Library welcomed a delegation of the National Library of Estonia on 9 May 2026. The "
        "delegation was headed by Deputy Director Kristiina Tammsaare and included librarian Mari Kask.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Kristiina Tammsaare", True), ("Mari Kask", True)]
    assert _orgs(d) == [("National Library of Estonia", True)]
