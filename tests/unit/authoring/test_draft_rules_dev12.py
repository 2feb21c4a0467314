"""Drafting mechanisms of the eleventh round (issue 16; dev12; decision 0050).

Each case is a sentence of our own in the genre (not an item of any evaluation set). The round prefers gates on
what may be minted, which hold whatever the wording, to rules for one phrasing: a new person only from words that
look like a personal name, a new institution only where a visiting institution can stand.
"""

from __future__ import annotations

import pytest

from visitgraph.authoring.draft import DraftContext, draft_item, plan_items
from visitgraph.authoring.namegate import refuse_person


def _draft(text: str, ctx: DraftContext):  # noqa: ANN202 - a Draft
    return draft_item(plan_items(text, name="case")[0], ctx)


def _new_people(d) -> list[str]:  # noqa: ANN001
    return [e.name for e in d.attendees + d.contributors if e.kind == "person" and e.new]


def _new_orgs(d) -> list[str]:  # noqa: ANN001
    return sorted({e.name for e in d.institutions + d.attendees if e.kind == "organization" and e.new})


# --- a new person only from words that look like a personal name ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "refused"),
    [
        ("Selin Aydın", False),
        ("Pieter van Dam", False),
        ("Tan Wei Ming", False),
        ("Kim Min-jun", False),
        ("Orhan", True),
        ("Karadeniz Teknik Üniversitesi", True),
        ("Ankara Kütüphanesi", True),
        ("Riga Museum Society", True),
        ("Customer Service", True),
        ("Public Relations", True),
        ("Open Access Week", True),
    ],
)
def test_what_looks_like_a_personal_name(name: str, refused: bool) -> None:
    assert (refuse_person(name) is not None) is refused, refuse_person(name)


def test_a_common_word_that_is_a_known_persons_name_word_is_a_name_word() -> None:
    assert refuse_person("Young Green") is not None
    assert refuse_person("Young Green", frozenset({"green"})) is None


@pytest.mark.parametrize(
    "text",
    [
        "On 4 May 2026 the Presidential Library was visited by Prof. Dr. Orhan YILMAZ, who long headed the library of "
        "Karadeniz Teknik Üniversitesi, and by Dr. Selin Aydın, his colleague.",
        "The Presidential Library was visited on 4 May 2026 by Prof. Dr. Orhan ÇELİK, who has headed the library of "
        "Karadeniz Teknik Üniversitesi since 2010, and by his colleague from the same university, Dr. Selin Aydın.",
    ],
)
def test_no_person_from_a_first_name_alone_or_an_institutions_words(
    text: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(text, repo_draft_context)
    people = _new_people(d)
    assert not any(len(p.split()) < 2 or "Üniversitesi" in p for p in people), people
    assert any("not drafted as a new person" in line for line in d.notes), d.notes
