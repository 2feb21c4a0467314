"""Drafting, fourteenth round (issue 16; decision 0055): mechanisms that ask the matcher or the sentence's structure.

Each case is a sentence of our own in the genre (not an item of any evaluation set).
"""

from __future__ import annotations

import pytest

from visitgraph.authoring.draft import DraftContext, draft_item, plan_items


def _draft(text: str, ctx: DraftContext):  # noqa: ANN202 - a Draft
    return draft_item(plan_items(text, name="case")[0], ctx)


def _orgs(d) -> tuple[list[str], list[str]]:  # noqa: ANN001
    """(new organisations' names, known organisations' IRIs' last parts), the host left out."""
    found = {e.iri: e for e in d.institutions + d.attendees if e.kind == "organization"}.values()
    new = sorted(e.name for e in found if e.new)
    known = sorted(e.iri.rsplit("/", 1)[1] for e in found if not e.new and "presidential-library" != e.iri[-20:])
    return new, known


@pytest.mark.parametrize(
    ("text", "known"),
    [
        (
            "On 3 May 2026 a delegation of the National Library of Greece and National Museum of Czechia visited "
            "the Presidential Library. The delegation included Eleni Papadaki and Tomas Dvorak.",
            ["national-library-of-greece", "national-museum-of-czechia"],
        ),
        (
            "On 3 May 2026 the delegation of the Alexandria Library and OCLC, headed by Karim Mansour, visited the "
            "Presidential Library.",
            ["alexandria-library", "oclc"],
        ),
    ],
)
def test_two_known_bodies_joined_by_and_are_both_reused_not_minted_as_one(
    text: str, known: list[str], repo_draft_context: DraftContext
) -> None:
    new, reused = _orgs(_draft(text, repo_draft_context))
    assert new == [] and [k for k in known if k not in reused] == [], (new, reused)


def test_a_name_with_and_whose_halves_are_not_two_known_bodies_stays_one(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 a delegation of the Museum of History and Art of Crete, headed by Eleni Papadaki, visited "
        "the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d)[0] == ["Museum of History and Art of Crete"], _orgs(d)
