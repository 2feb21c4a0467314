"""Drafting, fourteenth round (issue 16; decision 0055): mechanisms that ask the matcher or the sentence's structure.

Each case is a sentence of our own in the genre (not an item of any evaluation set).
"""

from __future__ import annotations

import pytest

from visitgraph.authoring.draft import DraftContext, draft_item, plan_items
from visitgraph.authoring.newsfacts import find_agreements, find_gifts


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


@pytest.mark.parametrize(
    "second",
    [
        "head of the reading halls department Gunel Mammadli",
        "chief specialist of the manuscripts sector Gunel Mammadli",
    ],
)
def test_the_next_host_titled_by_an_unnamed_part_is_host_staff(second: str, repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 Marta Kowalska, head of the manuscripts department of the National Library of Poland, visited "
        f"the Presidential Library. The guest was received by deputy director of the library Rashad Aliyev and {second}, "
        "who showed her the exhibition.",
        repo_draft_context,
    )
    hosts = sorted(e.name for e in d.contributors if e.kind == "person")
    guests = sorted(e.name for e in d.attendees if e.kind == "person")
    assert hosts == ["Gunel Mammadli", "Rashad Aliyev"] and guests == ["Marta Kowalska"], (hosts, guests)


def test_a_title_naming_a_body_of_its_own_is_not_made_host_staff(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 Marta Kowalska, head of the manuscripts department of the National Library of Poland, visited "
        "the Presidential Library. The guest was received by deputy director of the library Rashad Aliyev and "
        "head of the Polish Book Society Gunel Mammadli.",
        repo_draft_context,
    )
    assert "Gunel Mammadli" not in [e.name for e in d.contributors], [e.name for e in d.contributors]


@pytest.mark.parametrize(
    "listing",
    [
        "Among the guests were Lars Henriksen, head of the map collection of the Royal Danish Library, and Mei "
        "Tanaka, professor of Kyoto University.",
        "The participants included Lars Henriksen, head of the map collection of the Royal Danish Library, and Mei "
        "Tanaka, professor of Kyoto University.",
    ],
)
def test_guests_named_as_a_whole_then_listed_in_a_later_sentence_are_the_visitors(
    listing: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(
        'On 3 May 2026, participants of the international forum "Archives of the Future" held in Baku visited the '
        f"Presidential Library. {listing}",
        repo_draft_context,
    )
    guests = sorted(e.name for e in d.attendees if e.kind == "person")
    assert guests == ["Lars Henriksen", "Mei Tanaka"], guests
    orgs = sorted({e.name for e in d.institutions + d.attendees if e.kind == "organization"})
    assert orgs == ["Kyoto University", "Royal Danish Library"], orgs  # minted here or by the case before


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ('I. Solberg presented the library with her collection "Northern Light" and left a note in the guest book.', 1),
        ("I. Solberg presented the library with her novel and wrote her impressions in the Book of Honour.", 1),
        ("I. Solberg presented the library with her novel and signed the visitors' book.", 1),
        ("I. Solberg presented the library with her novel and with a map of Bergen.", 2),
        ("I. Solberg presented the library with her novel and all the issues of her journal.", 2),
    ],
)
def test_a_second_predicate_after_a_gift_is_not_a_second_gift(
    sentence: str, count: int, repo_draft_context: DraftContext
) -> None:
    d = _draft(
        "On 3 May 2026 the Norwegian poet Ingrid Solberg visited the Presidential Library during her stay in Baku. "
        + sentence,
        repo_draft_context,
    )
    assert len(d.gifts) == count and not any(g["host_gives"] for g in d.gifts), d.gifts


@pytest.mark.parametrize(
    ("second", "count"),
    [
        ("The collection of forty atlases was handed over to the library by the staff of the consulate.", 1),
        ("The books were solemnly handed over to the library by the consul.", 1),
        ("The consulate also handed over to the library a set of maps.", 2),
        ('The album "Old Maps of Europe" was handed over to the library by the consul.', 2),
    ],
)
def test_a_gift_told_again_by_a_definite_passive_is_one_gift(second: str, count: int) -> None:
    gifts = find_gifts(
        "On 5 June 2025 the handing over of the atlases presented to the Presidential Library by the Consulate "
        f"General of Norway took place. {second}"
    )
    assert len(gifts) == count and all(g.recipient == "host" for g in gifts), gifts


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "At the end of the visit, the heads of the two archives signed a programme of joint exhibitions for 2027.",
            "Programme of joint exhibitions for 2027",
        ),
        ("The sides signed a roadmap for cooperation in digitisation.", "Roadmap for cooperation in digitisation"),
    ],
)
def test_what_both_sides_sign_is_an_agreement_whatever_its_noun(sentence: str, name: str) -> None:
    found = find_agreements(sentence)
    assert [(a.name, a.signed) for a in found] == [(name, True)], found


def test_what_a_guest_alone_signs_is_no_agreement() -> None:
    assert find_agreements("Before leaving, the guest signed the book of honour of the library.") == []
