"""Drafting, sixteenth round (issue 16; decision 0061): a sentence's structure, not the words of the items.

Each case is a sentence of our own in the genre (not an item of any evaluation set).
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.newsfacts import find_agreements, find_gifts

# --- 1. agreements: what a signed document is for, and both sides named as "the two …" ---------------------------


@pytest.mark.parametrize(
    ("sentence", "name", "signed"),
    [
        ("The two rectors signed a cooperation agreement for 2028–2030.", "Cooperation agreement for 2028–2030", True),
        ("The director signed a memorandum with the Tartu archive in Baku.", "Memorandum with the Tartu archive", True),
        ("The guest signed the agreement in the presence of the staff.", "Agreement", True),
        (
            "The director spoke about the fund, and the two institutes agreed to exchange catalogues.",
            "Agreement to exchange catalogues",
            False,
        ),
        ("Both museums agreed on a joint exhibition of maps.", "Agreement on a joint exhibition of maps", False),
    ],
)
def test_a_signed_documents_purpose_and_both_sides_agreeing(sentence: str, name: str, signed: bool) -> None:
    assert [(a.name, a.signed) for a in find_agreements(sentence)] == [(name, signed)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The two guests spoke about the signing of an agreement planned for next year.",
        "The director recalled the agreement signed by the two libraries in 2015.",
    ],
)
def test_no_agreement_where_none_was_made_or_agreed(sentence: str) -> None:
    assert find_agreements(sentence) == []


# --- 2. gifts: a definite subject with capitalised modifiers, "for its part", "was himself given", bare "donated" --


@pytest.mark.parametrize(
    ("sentence", "gifts"),
    [
        ("The NLE representatives donated the agency's yearbooks to the library.", [("guests", "host")]),
        (
            "The Estonian delegation, for its part, handed over to the library an album of Tallinn.",
            [("guests", "host")],
        ),
        (
            "J. Tamm presented the library with a map of Tartu and was himself given the book of poems.",
            [("Jaan Tamm", "host"), ("host", "guest")],
        ),
        ("The Estonian guests donated a catalogue of their exhibition.", [("guests", "host")]),
        ("Jaan Tamm also donated his monograph on Baltic maps.", [("Jaan Tamm", "host")]),
    ],
)
def test_who_gives_by_the_clauses_form(sentence: str, gifts: list[tuple[str, str]]) -> None:
    found = find_gifts(sentence, ["Jaan Tamm"])
    got = [(g.agent if g.agent != "The NLE representatives" else "guests", g.recipient) for g in found]
    assert got == gifts, found


@pytest.mark.parametrize(
    "sentence",
    [
        "The director spoke about the books donated to the library over the years.",
        "The library donated.",
        "The Estonian guests donated to charity last year, the director said.",
    ],
)
def test_no_gift_from_donated_without_a_thing_or_a_giver(sentence: str) -> None:
    assert find_gifts(sentence, ["Jaan Tamm"]) == []


# --- 3. a part of a body "at" a body, and where the guests work said with a copula -----------------------------------


def test_a_part_at_an_institution_is_the_title_the_institution_the_guests(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 Ama Owusu, Head of Reader Services at the Kumasi Polytechnic Library, visited the Presidential "
        "Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Kumasi Polytechnic Library", True)], _orgs(d)


@pytest.mark.parametrize(
    ("later", "org"),
    [
        ("Both guests are researchers of the Khujand Institute of History.", "Khujand Institute of History"),
        ("Both are senior lecturers at the Samarkand State University.", "Samarkand State University"),
        ("Both work at the Tartu University Library, where they study old maps.", "Tartu University Library"),
    ],
)
def test_a_copula_with_a_title_says_where_the_guests_work(
    later: str, org: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(
        f"On 3 May 2026 Farrukh Sodiqov and Malika Nurova visited the Presidential Library. {later}", repo_draft_context
    )
    assert _orgs(d) == [(org, True)], (_orgs(d), _people(d.attendees))


@pytest.mark.parametrize(
    "later",
    [
        "Both guests are interested in the history of the Samarkand State University.",
        "Both were guests of honour at the Baku Book Fair.",
        # found by probing: a copula in the past is a former affiliation
        "Both were students of the Samarkand State University in the 1990s.",
    ],
)
def test_no_workplace_from_a_copula_without_a_title(later: str, repo_draft_context: DraftContext) -> None:
    d = _draft(
        f"On 3 May 2026 Farrukh Sodiqov and Malika Nurova visited the Presidential Library. {later}", repo_draft_context
    )
    assert _orgs(d) == [], _orgs(d)


# --- 4. host staff: a lower-case part acting on the guests, and the host's neighbour sharing that predicate ----------


def test_staff_named_by_a_part_who_act_on_the_guests_are_hosts(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 Farrukh Sodiqov, director of the Khujand City Library, visited the Presidential Library. The "
        "head of the periodicals sector Nargiz Hasanli and senior bibliographer Orkhan Valiyev showed him the "
        "newspapers of the 1920s.",
        repo_draft_context,
    )
    assert _people(d.contributors) == [("Nargiz Hasanli", True), ("Orkhan Valiyev", True)], _people(d.contributors)


@pytest.mark.parametrize(
    "later",
    [
        "The head of her department Nargiz Hasanli and senior bibliographer Orkhan Valiyev showed him the newspapers.",
        "The head of the periodicals sector Nargiz Hasanli and senior bibliographer Orkhan Valiyev wrote a book.",
    ],
)
def test_no_host_from_a_part_someone_else_owns_or_a_predicate_not_on_the_guests(
    later: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(
        "On 3 May 2026 Farrukh Sodiqov, director of the Khujand City Library, visited the Presidential Library. "
        + later,
        repo_draft_context,
    )
    assert _people(d.contributors) == [], _people(d.contributors)


# --- 5. guests named in a later sentence: an inverted subject after "together with them", delegations by order ------


def test_the_subject_after_together_with_them_came_is_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 Ilse Vogel visited the Presidential Library. Together with her came the archivist Jonas Berg "
        "of the Bergen City Archive.",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.attendees)] == ["Ilse Vogel", "Jonas Berg"] and _orgs(d) == [
        ("Bergen City Archive", True)
    ], (_people(d.attendees), _orgs(d))


def test_several_delegations_by_their_order(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 the Presidential Library received two delegations. The first, from the Lviv Regional "
        "Library, was led by its director Oksana Melnyk; the second consisted of Ruta Kalnina and Ilze Berzina, "
        "employees of the Riga Central Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.attendees)] == ["Ilze Berzina", "Oksana Melnyk", "Ruta Kalnina"], d.attendees
    assert _orgs(d) == [("Lviv Regional Library", True), ("Riga Central Library", True)], _orgs(d)


@pytest.mark.parametrize(
    "later",
    [
        "Together with her she brought the first volume of the Bergen chronicle by Jonas Berg.",
        "The first was the director of the library Rashad Aliyev, who spoke about the fund.",
    ],
)
def test_no_guest_from_a_companion_or_an_order_without_a_list(later: str, repo_draft_context: DraftContext) -> None:
    d = _draft(f"On 3 May 2026 Ilse Vogel visited the Presidential Library. {later}", repo_draft_context)
    assert [n for n, _ in _people(d.attendees)] == ["Ilse Vogel"], _people(d.attendees)
