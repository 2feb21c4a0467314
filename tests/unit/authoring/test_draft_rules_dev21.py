"""Drafting, twenty-first round (issue 16; decision 0071): reuse and inventions asked of the graph and a name's form.

Each case is a sentence of our own in the genre (not an item of any evaluation set). The known people and
institutions are the repository's own records.
"""

from __future__ import annotations

from draftcases import draft_case as _draft
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext

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
