"""Drafting, twenty-second round (issue 16; decision 0073): reuse and inventions asked of the matcher and the graph.

Each case is a sentence of our own in the genre (not an item of any evaluation set). The known people and
institutions are the repository's own records.
"""

from __future__ import annotations

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext
from visitgraph.core.names import LabelKeys
from visitgraph.linking.namescore import name_score

_VGBIL = "All-Russia State Library for Foreign Literature named after M. I. Rudomino"

# --- 1. an abbreviation in brackets restates the name: not a word the known label must have -----------------------


def test_a_name_with_its_abbreviation_in_brackets_is_the_known_body(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 12 May 2026 a delegation of the Rudomino State Library for Foreign Literature (VGBIL) visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [(_VGBIL, False)]


def test_the_matcher_weighs_a_bracketed_abbreviation_by_what_the_label_says_of_it() -> None:
    query = LabelKeys.of("Russian State Library (RSL)")
    assert name_score(query, LabelKeys.of("Russian State Library"), "organization") == 100.0  # its initials
    contradicted = name_score(query, LabelKeys.of("State Library of Russia (RGB)"), "organization")
    neutral = name_score(query, LabelKeys.of("State Library of Russia"), "organization")
    assert contradicted < 80 < neutral


def test_a_generic_name_with_an_abbreviation_stays_unknown(repo_draft_context: DraftContext) -> None:
    c = repo_draft_context.matcher.reconcile("National Library (NLW)", type="organization", limit=2)
    assert not any(x.match for x in c)


# --- 2. one person named twice (in full, then by initial) is one guest ---------------------------------------------


def test_a_guest_named_twice_is_drafted_once(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026 colleagues from Prague were at the Presidential Library. Tomas Boehm spoke about "
        "digitisation, and T. Boehm later invited the library's staff to Prague.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Tomas Boehm", False)]


# --- 3. "accompanied by X": X is in the party, not the author of a work -------------------------------------------


def test_an_earlier_guest_accompanying_another_is_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026 the Presidential Library was visited by guests from the Czech Republic. Tomas Boehm came "
        "again, accompanied this time by Mikhail Lukesh, director of the National Museum of Czechia.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Mikhail Lukesh", False), ("Tomas Boehm", False)]
    assert ("National Museum of Czechia", False) in _orgs(d)


def test_an_earlier_guest_whose_book_is_read_is_still_kept_out_by_by(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026 colleagues from Prague were at the Presidential Library. Tomas Boehm presented a book "
        "by Mikhail Lukesh.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Tomas Boehm", False)]


# --- 4. an earlier guest who came before with the known body that came now ----------------------------------------


def test_an_earlier_companion_of_the_visiting_body_is_its_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026 a delegation of the All-Russian State Library for Foreign Literature came to Baku. It was "
        "headed by Svetlana Gorokhova and included Mariya Kolpakova, coordinator of the Center for Conservation and "
        "Protection for CIS and East European Countries.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Mariya Kolpakova", False), ("Svetlana Gorokhova", False)]
    assert ("Center for Conservation and Protection for CIS and East European Countries", False) in _orgs(d)


def test_an_earlier_guest_with_another_body_is_no_companion(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026 a delegation of the National Library of Georgia came to Baku. Mariya Kolpakova sent "
        "greetings.",
        repo_draft_context,
    )
    assert _people(d.attendees) == []


def test_a_companion_named_as_whose_work_something_is_is_not_added(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026 a delegation of the All-Russian State Library for Foreign Literature came to Baku. The "
        "guests were shown a booklet prepared with Mariya Kolpakova.",
        repo_draft_context,
    )
    assert _people(d.attendees) == []


# --- 5. a new body's abbreviation of three capitals in brackets is its other name, not part of its name ----------


def test_a_three_letter_abbreviation_after_a_new_body_is_its_short_form(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026 a group of librarians of the Turkish Librarians' Association (TKD) visited the Presidential "
        "Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Turkish Librarians' Association", True)]
    entry = next(e for e in d.institutions if e.new)
    assert ("schema:alternateName", '"TKD"') in [(p, v) for p, v, _ in entry.props]


def test_a_country_code_in_brackets_is_not_a_short_form(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026 a delegation of the Library of Congress (USA) visited the Presidential Library.",
        repo_draft_context,
    )
    entry = next(e for e in d.institutions if e.new)
    assert not any(p == "schema:alternateName" for p, _, _ in entry.props)
