"""Drafting, thirteenth round (issue 16; decision 0054): known institutions and people named with other words.

Each case is a sentence of our own in the genre (not an item of any evaluation set). A known body the matcher leaves
unflagged may still be what the text names ("the Ministry of Culture and Tourism of …" for a known "Ministry of
Culture of …"): the draft then names the candidate in a ``# check:`` line instead of minting a second body, and
reuses it only when both agree on every distinguishing word.
"""

from __future__ import annotations

import pytest

from visitgraph.authoring.draft import DraftContext, draft_item, plan_items
from visitgraph.authoring.namegate import known_under_other_words


def _draft(text: str, ctx: DraftContext):  # noqa: ANN202 - a Draft
    return draft_item(plan_items(text, name="case")[0], ctx)


def _new_orgs(d) -> list[str]:  # noqa: ANN001
    return sorted({e.name for e in d.institutions + d.attendees if e.kind == "organization" and e.new})


@pytest.mark.parametrize(
    ("text", "known"),
    [
        (
            "On 3 May 2026 Selim Arda, an adviser at the Ministry of Culture and Tourism of the Republic of Türkiye, "
            "visited the Presidential Library.",
            "turkey-ministry-of-culture",
        ),
        (
            "On 3 May 2026 Selim Arda, deputy head of the Turkish Ministry of Culture and Tourism, visited the "
            "Presidential Library.",
            "turkey-ministry-of-culture",
        ),
        (
            "On 3 May 2026 Yusuf Demir, director of the Egyptian Cultural Centre and Language School, visited the "
            "Presidential Library.",
            "egyptian-cultural-centre",
        ),
    ],
)
def test_a_known_body_named_with_more_words_is_named_in_a_check_line_not_minted(
    text: str, known: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(text, repo_draft_context)
    assert _new_orgs(d) == [], _new_orgs(d)
    assert any(known in n and "not drafted as a new institution" in n for n in d.notes), d.notes


@pytest.mark.parametrize(
    ("text", "new"),
    [
        (  # a place the known name lacks: another body
            "On 3 May 2026 Olga Petrova, director of the Presidential Library of Tajikistan, visited the "
            "Presidential Library.",
            "Presidential Library of Tajikistan",
        ),
        (  # the text places it in another country than the known one
            "On 3 May 2026 the staff of the Egyptian Cultural Centre and Arabic School in Cairo visited the "
            "Presidential Library.",
            "Egyptian Cultural Centre and Arabic School",
        ),
        (  # another kind of body first: a part, or a new one
            "On 3 May 2026 Yusuf Demir, director of the Egyptian Heritage Museum, visited the Presidential Library.",
            "Egyptian Heritage Museum",
        ),
    ],
)
def test_a_body_the_known_names_do_not_cover_is_still_minted(
    text: str, new: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(text, repo_draft_context)
    assert new in _new_orgs(d), (_new_orgs(d), d.notes)


@pytest.mark.parametrize(
    ("written", "labels", "want"),
    [
        (
            "Ministry of Culture and Tourism of Türkiye",
            ["Republic of Turkey Ministry of Culture"],
            (False, ["Tourism"]),
        ),
        ("Turkish Ministry of Culture", ["Republic of Turkey Ministry of Culture"], (True, [])),
        (
            "Egyptian Cultural Center and Educational Bureau",
            ["Egyptian Cultural Centre in Azerbaijan"],
            (False, ["Educational", "Bureau"]),
        ),
        ("Ministry of Culture", ["Ministry of Culture of the Republic of Moldova"], (False, ["Moldova"])),
        ("Ministry of Culture of Morocco", ["Ministry of Culture"], None),  # a place the known name lacks
        ("Yeltsin Presidential Library", ["Presidential Library"], None),  # a proper name it lacks
        ("Library of Bilecik University", ["Bilecik University"], None),  # a part: another kind of body first
        ("National Library of Latvia", ["National Library of Lithuania"], None),
        ("Egyptian Cultural Centre in Cairo", ["Egyptian Cultural Centre in Azerbaijan"], None),  # somewhere else
        ("Egyptian Cultural Centre", ["Egyptian Cultural Centre in Azerbaijan"], (True, [])),
        (
            "Egyptian Cultural Centre and Library in Baku",
            ["Egyptian Cultural Centre in Azerbaijan"],
            (False, ["Library"]),
        ),
    ],
)
def test_known_under_other_words(written: str, labels: list[str], want: object) -> None:
    assert known_under_other_words(written, labels) == want


@pytest.mark.parametrize(("place", "want"), [("Cairo", None), ("Baku", (True, [])), ("Azerbaijan", (True, []))])
def test_where_the_text_places_the_body_is_compared(place: str, want: object) -> None:
    assert (
        known_under_other_words("Egyptian Cultural Centre", ["Egyptian Cultural Centre in Azerbaijan"], place) == want
    )


# --- people: a known person's name spelt otherwise ---------------------------------------------------------------


def _new_people(d) -> list[str]:  # noqa: ANN001
    return [e.name for e in d.attendees + d.contributors if e.kind == "person" and e.new]


def test_a_known_person_spelt_otherwise_is_named_in_a_check_line_not_minted(repo_draft_context: DraftContext) -> None:
    """ "Esmail Serageldeen" scores 81.7 against the known Ismail Sirageldin (unflagged): each word a close spelling."""
    d = _draft(
        "On 3 May 2026 Esmail Serageldeen and Oskar Lindqvist visited the Presidential Library.", repo_draft_context
    )
    assert _new_people(d) == ["Oskar Lindqvist"], _new_people(d)
    assert any("person/ismail-sirageldin" in n and "spelt otherwise" in n for n in d.notes), d.notes


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("On 3 May 2026 Sinan Wilson visited the Presidential Library.", "Sinan Wilson"),  # another given name
        ("On 3 May 2026 Ismail Serageldin Karimov visited the Presidential Library.", None),  # reused or more words
    ],
)
def test_a_name_that_is_not_a_known_one_spelt_otherwise_is_minted(
    text: str, new: str | None, repo_draft_context: DraftContext
) -> None:
    d = _draft(text, repo_draft_context)
    if new is not None:
        assert new in _new_people(d), (_new_people(d), d.notes)
    assert not any("spelt otherwise" in n for n in d.notes), d.notes


# --- a known institution named in its own language -----------------------------------------------------------------


def test_a_known_institution_in_its_own_language_after_a_noun_of_is_reused(repo_draft_context: DraftContext) -> None:
    """The person gate keeps "… Üniversitesi" out of people's names; the matcher reads "Üniversitesi" as
    "University", so the known university is reused (never minted from such words)."""
    d = _draft(
        "On 5 May 2026 Dr. Ayla Demirtaş, who for years led the library of Bilecik Şeyh Edebali Üniversitesi, and "
        "Dr. Kaan Özkan visited the Presidential Library.",
        repo_draft_context,
    )
    assert [(e.iri.rsplit("/", 1)[1], e.new) for e in d.institutions] == [
        ("bilecik-sheikh-edebali-university", False)
    ], d.notes
    assert not any("Üniversitesi" in n and "new person" in n for n in d.notes), d.notes
