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


# --- a new institution only where a visiting institution can stand ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "On 5 May 2026 Anna Berzina, director of the Riga Central Library, visited the Presidential Library with "
        "colleagues from the library's Baltic Heritage Centre.",
        "On 5 May 2026 Anna Berzina, director of the Riga Central Library, and Janis Ozols, who runs its Baltic "
        "Heritage Centre, visited the Presidential Library.",
    ],
)
def test_what_a_body_owns_is_no_institution_of_its_own(text: str, repo_draft_context: DraftContext) -> None:
    assert not any("Heritage" in o for o in _new_orgs(_draft(text, repo_draft_context)))


@pytest.mark.parametrize(
    ("text", "not_a_guest"),
    [
        (
            "On the eve of the session of the General Council of the Silk Road Heritage Foundation in Ganja, Dr. Ali "
            "Vefaoglu, a historian of the Ege University, visited the Presidential Library on 6 May 2026.",
            "Council",
        ),
        (
            "Dr. Ali Vefaoglu, a historian of the Ege University, visited the Presidential Library on 6 May 2026, on "
            "his way back from a seminar held at the Baku Engineering University.",
            "Engineering",
        ),
        (
            "On the sidelines of the Caspian Libraries Forum, Dr. Ali Vefaoglu of the Ege University and a group of "
            "the Baku Book Centre visited the Presidential Library on 6 May 2026.",
            "Forum",
        ),
    ],
)
def test_where_or_around_what_something_happens_is_no_guest(
    text: str, not_a_guest: str, repo_draft_context: DraftContext
) -> None:
    orgs = _new_orgs(_draft(text, repo_draft_context))
    assert not any(not_a_guest in o for o in orgs), orgs


@pytest.mark.parametrize(
    "text",
    [
        "Staff of the Regional Library of Shaki and employees of the Ministry of Culture of the Republic of Azerbaijan "
        "got acquainted with the electronic catalogue at the Presidential Library on 7 May 2026.",
        "Librarians of the Central Library of the Ganja State University and specialists of the Ganja Archive "
        "visited the rare books department of the Presidential Library on 7 May 2026.",
    ],
)
def test_an_institutions_name_stops_where_a_clause_runs_on(text: str, repo_draft_context: DraftContext) -> None:
    orgs = _new_orgs(_draft(text, repo_draft_context))
    assert orgs, orgs
    for o in orgs:
        assert not any(w.islower() and w not in {"of", "the", "and"} for w in o.split()), orgs


# --- who is host staff: by who received the guests, or by a title naming the library -------------------------------


def _people(d) -> tuple[list[str], list[str]]:  # noqa: ANN001
    return [e.name for e in d.attendees if e.kind == "person"], [e.name for e in d.contributors if e.kind == "person"]


@pytest.mark.parametrize(
    "text",
    [
        "Anna Berzina and Janis Ozols, director and curator of the Riga Central Library, were received at the "
        "Presidential Library on 8 May 2026 by Leyla Mammadli, head of the library's periodicals department, and "
        "senior librarian Orkhan Aliyev.",
        "Anna Berzina and Janis Ozols of the Riga Central Library were welcomed on 8 May 2026 at the Presidential "
        "Library by Leyla Mammadli and Orkhan Aliyev.",
    ],
)
def test_who_received_the_guests_in_the_visit_sentence_is_host_staff(
    text: str, repo_draft_context: DraftContext
) -> None:
    visitors, hosts = _people(_draft(text, repo_draft_context))
    assert sorted(visitors) == ["Anna Berzina", "Janis Ozols"], (visitors, hosts)
    assert sorted(hosts) == ["Leyla Mammadli", "Orkhan Aliyev"], (visitors, hosts)


@pytest.mark.parametrize(
    "later",
    [
        "The talk was chaired by Leyla Mammadli, head of the library's periodicals department, who thanked nobody.",
        "The books were accepted by Leyla Mammadli, head of the library's periodicals department.",
        "Questions were answered by Leyla Mammadli, head of the library's periodicals department; tea followed.",
    ],
)
def test_a_title_naming_the_librarys_part_makes_host_staff_whatever_the_verb(
    later: str, repo_draft_context: DraftContext
) -> None:
    text = "On 8 May 2026 Anna Berzina, director of the Riga Central Library, visited the Presidential Library. "
    visitors, hosts = _people(_draft(text + later, repo_draft_context))
    assert visitors == ["Anna Berzina"] and hosts == ["Leyla Mammadli"], (visitors, hosts)


@pytest.mark.parametrize(
    "text",
    [
        "On 9 May 2026 the Presidential Library hosted the Georgian translator Nino Beridze, who is preparing an "
        "edition of the poems of Mirza Shafi Vazeh.",
        "Nino Beridze, the translator of the novels of Yusif Vazir Chamanzaminli, visited the Presidential Library "
        "on 9 May 2026.",
    ],
)
def test_whose_work_it_is_did_not_visit(text: str, repo_draft_context: DraftContext) -> None:
    visitors, _ = _people(_draft(text, repo_draft_context))
    assert visitors == ["Nino Beridze"], visitors


# --- names as written in other styles ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "On 10 May 2026 Prof. Jean DUPONT, director of the Lyon Municipal Library, visited the Presidential Library.",
            "Jean Dupont",
        ),
        (
            "The Presidential Library was visited on 10 May 2026 by Dr. Ayşe YILDIRIM of the Ege University.",
            "Ayşe Yıldırım",
        ),
    ],
)
def test_a_surname_in_capitals_is_part_of_the_name(text: str, name: str, repo_draft_context: DraftContext) -> None:
    visitors, _ = _people(_draft(text, repo_draft_context))
    assert visitors == [name] or visitors == [name.replace("ı", "i")], visitors


def test_a_known_person_with_a_surname_in_capitals_is_reused(repo_draft_context: DraftContext) -> None:
    known = next(
        e for e in repo_draft_context.matcher.entities.values() if e.kind == "person" and len(e.name.split()) == 2
    )
    first, last = known.name.split()
    text = f"On 10 May 2026 Dr. {first} {last.upper()}, a guest from abroad, visited the Presidential Library."
    d = _draft(text, repo_draft_context)
    assert [e.iri for e in d.attendees] == [known.iri], [(e.name, e.new) for e in d.attendees]


def test_an_acronym_after_the_last_body_of_a_name_is_that_bodys(repo_draft_context: DraftContext) -> None:
    text = (
        "Staff of the Central Library of the Georgian Academy of Arts (GAA) visited the Presidential Library on 11 "
        "May 2026."
    )
    orgs = _new_orgs(_draft(text, repo_draft_context))
    assert "Central Library of the Georgian Academy of Arts" in orgs, orgs


def test_a_list_of_fields_inside_an_institutions_name_keeps_its_comma(repo_draft_context: DraftContext) -> None:
    text = (
        "Representatives of the Ministry of Culture, Tourism and Sport of the Republic of Moldova visited the "
        "Presidential Library on 12 May 2026."
    )
    orgs = _new_orgs(_draft(text, repo_draft_context))
    assert orgs == ["Ministry of Culture, Tourism and Sport of the Republic of Moldova"], orgs
