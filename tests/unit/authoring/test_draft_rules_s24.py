"""Drafting rules of session 24 (issue 16): the same item in another surface form reads the same.

Found by rewriting development items in ways an editor does without changing what they say (a staff title written
in capitals, an Oxford comma, a title before a name, quotation marks of another language) and drafting both forms.
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext

_V = "On March 3, 2026, Director of the National Library of Estonia Kairi Lepp visited the Presidential Library. "


# --- host staff with a title in capitals after the name ------------------------------------------------------------


@pytest.mark.parametrize(
    "later",
    [
        "Fuad Jafarov, head of the electronic library department, told the guest about the library's resources.",
        "Fuad Jafarov, Head of the electronic library department, told the guest about the library's resources.",
        "Fuad Jafarov, Head of the library's electronic library department, told the guest about its resources.",
        "Fuad Jafarov, Deputy Director of the library, told the guest about the library's resources.",
        "Fuad Jafarov, Director of the Presidential Library, told the guest about the library's resources.",
        "Fuad Jafarov, Chief Librarian, showed the guest the reading halls.",
    ],
)
def test_a_staff_title_after_the_name_in_either_case(later: str, repo_draft_context: DraftContext) -> None:

    d = _draft(_V + later, repo_draft_context)
    assert [n for n, _ in _people(d.contributors)] == ["Fuad Jafarov"]
    assert [n for n, _ in _people(d.attendees)] == ["Kairi Lepp"]


def test_another_institutions_director_in_capitals_is_no_host(repo_draft_context: DraftContext) -> None:

    d = _draft(
        _V + "Jaan Tamm, Director of the Estonian Literary Museum, told the guests about its archive.",
        repo_draft_context,
    )
    assert _people(d.contributors) == []


# --- the author of a gift is no host ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "later",
    [
        'At the end of the meeting, the guest was presented with the book "Khamsa" by Nizami Ganjavi.',
        "The guest was presented with a novel by Chingiz Abdullayev.",
        "The guest was presented with a collection of poems written by Samad Vurgun.",
    ],
)
def test_the_author_of_a_gift_is_no_host(later: str, repo_draft_context: DraftContext) -> None:

    d = _draft(_V + later, repo_draft_context)
    assert _people(d.contributors) == []
    assert [g["host_gives"] for g in d.gifts] == [True]


def test_a_giver_with_a_title_after_by_is_the_host(repo_draft_context: DraftContext) -> None:

    d = _draft(_V + "The guests were in turn given the album by chief bibliographer Sevda Aliyeva.", repo_draft_context)
    assert [n for n, _ in _people(d.contributors)] == ["Sevda Aliyeva"]


# --- bodies ----------------------------------------------------------------------------------------------------------


def test_a_branch_named_by_its_place_is_a_body(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On February 6, 2057, a delegation of students of the Baku Branch of Lomonosov Moscow State University "
        "visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Baku Branch of Lomonosov Moscow State University", True)]
    d = _draft(
        "On February 6, 2057, Director of the Regional Branch of the National Library of Estonia Olga Belova visited "
        "the Presidential Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["National Library of Estonia"]


def test_the_hosts_director_vouches_for_no_guests_library(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On March 27, 2057, Deputy Director of the Library of the Russian Academy of Sciences Olga Belova visited "
        "the Presidential Library. Director of the library Mayil Ahmadov spoke about the funds of the library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["Library of the Russian Academy of Sciences", "Russian Academy of Sciences"]
    assert [n for n, _ in _people(d.contributors)] == ["Mayil Ahmadov"]
