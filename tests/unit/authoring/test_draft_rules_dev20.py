"""Drafting, twentieth round (issue 16; decision 0069): reuse and inventions asked of the graph and a name's form.

Each case is a sentence of our own in the genre (not an item of any evaluation set). The known people and
institutions are the repository's own records.
"""

from __future__ import annotations

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext

# --- 1. a known person's name written by ear (in Azerbaijani and back): the one known person it sounds like ----------


def test_a_name_written_by_ear_is_the_one_known_person_it_sounds_like(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "The writer Qrem Uilson came to the Presidential Library on 2 February 2026 to work in the reading room.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Graham Wilson", False)]
    assert any("spelt by ear" in (e.check or "") for e in d.attendees)


def test_a_french_name_heard_without_its_silent_final_letter(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 12 May 2026 the novelist Jerar Kardonn visited the Presidential Library and met its director Mayil Ahmadov.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Gerard Cardonne", False)]


def test_a_name_that_sounds_like_no_known_person_is_new(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 12 May 2026 the novelist Jerar Kurdoglu visited the Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Jerar Kurdoglu", True)]


def test_another_given_name_with_a_known_family_name_is_another_person(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 12 May 2026 the historian Pyotr Uilson visited the Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Pyotr Uilson", True)]


# --- 2. a second subject joined to the host's known director before "received" is the host's too -------------------


def test_a_colleague_joined_to_the_known_director_before_received_is_a_host(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Director of the Presidential Library Mayıl Əhmədov and chief librarian Sevda Nuriyeva received on "
        "3 March 2026 Karl Brenner, director of the Austrian National Library.",
        repo_draft_context,
    )
    assert [name for name, _ in _people(d.attendees)] == ["Karl Brenner"]
    assert ("Sevda Nuriyeva", True) in _people(d.contributors)


def test_a_guest_joined_to_the_director_who_is_received_stays_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026 director Mayil Ahmadov and the writer Karl Brenner of Vienna visited the Nizami Museum.",
        repo_draft_context,
    )
    assert "Karl Brenner" not in [name for name, _ in _people(d.contributors)]


# --- 3. an acronym the matcher flags, then words in lower case: the known body, not a new "RSL for library" ---------


def test_a_known_acronym_before_lower_case_words_is_the_known_body(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 5 May 2026 Olga Belova, deputy director of the RSL for library collections, visited the Presidential "
        "Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Russian State Library", False)]


def test_an_unknown_acronym_before_lower_case_words_is_not_reused(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 5 May 2026 Olga Belova, deputy director of the QZX for library collections, visited the Presidential "
        "Library.",
        repo_draft_context,
    )
    assert all(not name.startswith("Russian") for name, _ in _orgs(d))


# --- 4. "X, who headed a delegation of the library": a delegation's head is a guest unless the graph knows X --------


def test_the_head_of_a_delegation_of_the_library_is_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 9 June 2026 the Presidential Library and the National Library of Estonia signed an agreement. It was "
        "signed by deputy director Kadri Tamm, who headed a delegation of the library in Baku.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Kadri Tamm", True)]
    assert _people(d.contributors) == []


def test_a_delegation_sent_to_another_city_leaves_its_head_a_host(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 9 June 2026 the writer Karl Brenner visited the Presidential Library and met deputy director of the "
        "library Sevil Hasanova, who headed a delegation of the library to Vienna last year.",
        repo_draft_context,
    )
    assert "Sevil Hasanova" in [name for name, _ in _people(d.contributors)]
    assert "Sevil Hasanova" not in [name for name, _ in _people(d.attendees)]


def test_a_guest_joined_to_the_director_who_meet_readers_stays_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026 director Mayil Ahmadov and the writer Karl Brenner met with readers at the Presidential "
        "Library.",
        repo_draft_context,
    )
    assert "Karl Brenner" in [name for name, _ in _people(d.attendees)]
