"""Drafting, eighteenth round (issue 16; decision 0066): reuse and inventions asked of a name's form and the graph.

Each case is a sentence of our own in the genre (not an item of any evaluation set). The known people and
institutions are the repository's own records.
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.newsfacts import find_agreements, find_gifts
from visitgraph.core.names import person_tokens

# --- 1. Azerbaijani ə is "a" in a person's name written in English ------------------------------------------------


def test_schwa_folds_to_a_in_a_persons_keys() -> None:
    assert person_tokens("Əziz Əliyev") == person_tokens("Aziz Aliyev")
    assert person_tokens("Həsən Məmmədov") == person_tokens("Hasan Mammadov")


def test_a_known_visitor_spelt_in_azerbaijani_is_reused(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Əziz Əliyev, head of Sputnik Azerbaijan, visited the Presidential Library on 2 May 2026 with two reporters.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Aziz Aliyev", False)]


def test_an_unknown_azerbaijani_name_is_still_minted_as_written(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "The poet Rəşad Məlikov visited the Presidential Library on 2 May 2026 and met readers.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Rəşad Məlikov", True)]


# --- 2. a title joined by its hyphen is no part of a name -----------------------------------------------------------


@pytest.mark.parametrize("title", ["Vice-Rector", "Pro-Rector", "Vice-Dean", "Co-Founder"])
def test_a_hyphenated_title_before_a_name_is_not_the_name(title: str, repo_draft_context: DraftContext) -> None:
    d = _draft(
        f"A delegation of Ardahan University headed by {title} Selim Karaca visited the Presidential Library on "
        "3 May 2026.",
        repo_draft_context,
    )
    assert [name for name, _ in _people(d.attendees)] == ["Selim Karaca"]  # minted once, by the first case


def test_a_hyphenated_given_name_stays_a_name(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "French historian Jean-Paul Moreau visited the Presidential Library on 3 May 2026.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Jean-Paul Moreau", True)]


# --- 3. a unit "of the" a known body: the body, looked up by its whole name -----------------------------------------


@pytest.mark.parametrize("unit", ["Rare Books Center", "Arabic Manuscripts Department", "Digital Services Division"])
def test_a_unit_of_a_known_body_is_that_body(unit: str, repo_draft_context: DraftContext) -> None:
    d = _draft(
        f"Omar Nabil, director of the {unit} of the Bibliotheca Alexandrina, visited the Presidential Library on "
        "4 May 2026.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Alexandria Library", False)]


def test_a_unit_of_an_unknown_body_reuses_nothing(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Omar Nabil, director of the Rare Books Center of the Bibliotheca Tunisiana, visited the Presidential Library "
        "on 4 May 2026.",
        repo_draft_context,
    )
    assert all(new for _, new in _orgs(d))


# --- 4. a field's adjective before the head: the country stays, no known body is that one ---------------------------


def test_a_specialised_library_of_a_country_keeps_its_country_and_is_new(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 5 May 2026, employees of the State Public Technical Library of Russia visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("State Public Technical Library of Russia", True)]


def test_a_proper_name_before_the_head_still_drops_the_country(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 5 May 2026, a delegation of the Kilis University of Turkey visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Kilis University", True)]


# --- 5. a guest's act placed at the host, and "<institution> was represented … by" ----------------------------------


def test_a_talk_given_at_the_library_is_a_visit(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Gerard Cardonne gave a short talk at the Presidential Library on 6 May 2026 about French novels of Baku.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Gerard Cardonne", False)]


def test_the_agents_of_represented_act_for_the_institution(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "The Online Computer Library Center (OCLC) was represented at the Presidential Library on 6 May 2026 by "
        "consultant Lena Holm and by Arne Berg.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Online Computer Library Center", False)]
    assert [name for name, _ in _people(d.attendees)] == ["Arne Berg", "Lena Holm"]


def test_represented_by_a_host_body_gives_the_guests_nothing(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Lena Holm and Arne Berg visited the Presidential Library on 6 May 2026. The Presidential Library was "
        "represented at the meeting by Farid Jafarli.",
        repo_draft_context,
    )
    assert _orgs(d) == []


def test_the_agents_of_the_host_represented_are_no_guests(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Lena Holm of the National Library of Estonia visited the Presidential Library on 6 May 2026; the "
        "Presidential Library was represented at the talks by Rauf Guliyev.",
        repo_draft_context,
    )
    assert [name for name, _ in _people(d.attendees)] == ["Lena Holm"]
    assert [name for name, _ in _people(d.contributors)] == ["Rauf Guliyev"]


# --- 6. a visit sentence naming guests by number or kind alone: the next sentence names them -----------------------


def test_guests_named_in_the_sentence_after_a_nameless_visit_sentence(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Three visitors came to the Presidential Library on 7 May 2026. Lena Holm and Arne Berg, librarians of the "
        "National Library of Estonia, were in Baku for a conference.",
        repo_draft_context,
    )
    assert [name for name, _ in _people(d.attendees)] == ["Arne Berg", "Lena Holm"]
    assert [name for name, _ in _orgs(d)] == ["National Library of Estonia"]


def test_a_visit_sentence_that_names_its_guest_is_not_extended(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Guests from Estonia, among them Lena Holm, came to the Presidential Library on 7 May 2026. Arne Berg, "
        "head of the library's reading room, showed them the manuscripts.",
        repo_draft_context,
    )
    assert "Arne Berg" not in [name for name, _ in _people(d.attendees)]


# --- 7. gifts: a receiver's clause after ";", a time adjunct before "and received", "left … for the library" --------


@pytest.mark.parametrize(
    ("sentence", "gifts"),
    [
        (
            'The guest presented the library with a map of Riga; in return she received the album "Old Baku".',
            [("guest", "host"), ("host", "guest")],
        ),
        (
            "The guests toured the reading rooms and at the end of the visit received a copy of the album.",
            [("host", "guests")],
        ),
        (
            "The historian thanked the staff and left a copy of his monograph for the library's fund.",
            [("guests", "host")],
        ),
    ],
)
def test_gifts_by_clause_structure(sentence: str, gifts: list[tuple[str, str]]) -> None:
    assert [(g.agent, g.recipient) for g in find_gifts(sentence)] == gifts


@pytest.mark.parametrize(
    "sentence",
    [
        "The guests left the library at noon.",
        "He left his impressions in the library's book of honoured guests.",
        "The guest spoke about the collections; in return she received detailed information on the catalogue.",
    ],
)
def test_leaving_or_receiving_no_thing_is_no_gift(sentence: str) -> None:
    assert find_gifts(sentence) == []


# --- 8. "SS." abbreviates "Saints": a name goes on after it --------------------------------------------------------


def test_saints_abbreviated_end_no_sentence(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 8 May 2026, Director of the SS. Cyril and Methodius State Library of Macedonia Marko Petrov visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert [name for name, _ in _people(d.attendees)] == ["Marko Petrov"]
    assert _orgs(d) == [("SS. Cyril and Methodius State Library of Macedonia", True)]


# --- 9. the subject after its verb: "With him came X", "Also in the delegation was X" -------------------------------


@pytest.mark.parametrize(
    "later",
    [
        "With him came Arne Berg, head of the library's map department.",
        "Also in the delegation was Arne Berg, head of its map department.",
        "Among the delegation was Arne Berg.",
    ],
)
def test_a_companion_named_after_the_verb_is_a_guest(later: str, repo_draft_context: DraftContext) -> None:
    d = _draft(
        f"A delegation of the National Library of Estonia headed by Lena Holm visited the Presidential Library on "
        f"9 May 2026. {later}",
        repo_draft_context,
    )
    assert [name for name, _ in _people(d.attendees)] == ["Arne Berg", "Lena Holm"]


def test_with_the_guests_was_the_host_staff_stays_a_host(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Lena Holm of the National Library of Estonia visited the Presidential Library on 9 May 2026. With the guests "
        "was Rauf Guliyev, head of the library's map department.",
        repo_draft_context,
    )
    assert [name for name, _ in _people(d.attendees)] == ["Lena Holm"]
    assert [name for name, _ in _people(d.contributors)] == ["Rauf Guliyev"]


# --- 10. a document signed on its own subject, then "agreed to …": two agreements -----------------------------------


def test_a_signed_document_with_its_subject_and_a_further_plan_are_two() -> None:
    found = find_agreements(
        "The two archives signed a protocol on the exchange of copies and agreed to hold a joint exhibition in Riga."
    )
    assert [a.signed for a in found] == [True, False]


def test_a_document_without_its_subject_is_what_was_agreed() -> None:
    found = find_agreements("The two archives signed a protocol and agreed to exchange copies of maps.")
    assert [a.signed for a in found] == [True]


# --- 11. a relative clause's antecedent gives; "each guest" receives ------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "gifts"),
    [
        (
            'Ms. Lind handed over a set of maps to the library, which in its turn gave each guest the album "Baku".',
            [("Lind", "host"), ("host", "guest")],
        ),
        ("The library gave each of the guests a copy of the album.", [("host", "guests")]),
    ],
)
def test_a_relative_clause_and_each_guest(sentence: str, gifts: list[tuple[str, str]]) -> None:
    assert [(g.agent, g.recipient) for g in find_gifts(sentence)] == gifts


def test_a_relative_clause_that_gives_nothing_is_no_gift() -> None:
    assert find_gifts("The guests toured the library, which was founded in 2003.") == []
