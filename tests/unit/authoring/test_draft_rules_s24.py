"""Drafting rules of session 24 (issue 16): the same item in another surface form reads the same.

Found by rewriting development items in ways an editor does without changing what they say (a staff title written
in capitals, an Oxford comma, a title before a name, quotation marks of another language) and drafting both forms.
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
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
