"""Drafting rules added while tuning on the sixth development set (issue 16, news-dev6.json; decision 0041).

Each case is a sentence of our own in the genre (not an item of any evaluation set); each fails on the rules
before this round (bd196af).
"""

from __future__ import annotations

from visitgraph.authoring import draft as draft_module
from visitgraph.authoring import visitors
from visitgraph.authoring.draft import DraftContext, draft_item, plan_items
from visitgraph.authoring.newsfacts import GUESTS, HOST, find_agreements, find_gifts
from visitgraph.authoring.visitors import analyse_visit, visiting_orgs_free

HOST_LABELS = ["Presidential Library"]


def _visit(text: str) -> tuple[list[tuple[str, str | None]], list[str]]:
    """(visitor, organisation) pairs and every visiting organisation's name (named in descriptors or free)."""
    found = analyse_visit(text, None, HOST_LABELS, ["Mayil Ahmadov"])
    free = visiting_orgs_free(text, found, HOST_LABELS)
    people = [(p.name, p.org.name if p.org else None) for p in found.visitors]
    return people, [o.name for o in found.orgs + free]


# --- gifts and agreements -----------------------------------------------------------------------------------------


def test_exchanged_gifts_is_one_handing_over_each_way() -> None:
    gifts = find_gifts("At the end of the meeting the delegation and the staff of the library exchanged books.")
    assert [(g.agent, g.recipient) for g in gifts] == [(GUESTS, HOST), (HOST, GUESTS)]


def test_the_host_presents_the_delegation_with_a_gift() -> None:
    gifts = find_gifts("Mayil Ahmadov presented the delegation with the album “Shusha”.", [], ["Mayil Ahmadov"])
    assert [(g.agent, g.recipient) for g in gifts] == [("Mayil Ahmadov", GUESTS)]


def test_the_guest_and_the_staff_agreed_is_an_agreement() -> None:
    found = find_agreements("The guest and the staff of the library agreed to organise a joint seminar on rare books.")
    assert [a.signed for a in found] == [False]


# --- who visited ------------------------------------------------------------------------------------------------


def test_students_of_a_faculty_name_the_university_and_no_faculty_person() -> None:
    people, orgs = _visit(
        "On May 3, 2026, students of the History Faculty of Khazar University, accompanied by their lecturer "
        "Nigar Aliyeva, visited the Presidential Library."
    )
    assert [name for name, _ in people] == ["Nigar Aliyeva"]
    assert "Khazar University" in " ".join(orgs) and not any(o.endswith("Faculty") for o in orgs)


def test_a_later_event_in_the_visit_sentence_is_cut_off() -> None:
    text = (
        "On May 3, 2026, Jan Novak visited the Presidential Library, and on May 4 he met with the staff of the "
        "Baku Music Academy."
    )
    assert text[: visitors.visit_sentence_end(text)].endswith("Presidential Library")
    assert _visit(text) == ([("Jan Novak", None)], [])


def test_from_an_institution_beats_the_organisation_of_the_person_before() -> None:
    people, _ = _visit(
        "On May 3, 2026, Ms Ellen Tise, former President of IFLA, and Olga Petrenko from the National Library of "
        "Ukraine visited the Presidential Library."
    )
    assert dict(people)["Olga Petrenko"] == "National Library of Ukraine"


def test_a_periodical_is_not_an_institution() -> None:
    people, orgs = _visit(
        "On May 3, 2026, Anna Berg, former editor of Nordic Libraries magazine, visited the Presidential Library."
    )
    assert people == [("Anna Berg", None)] and orgs == []


def test_what_a_visitor_took_part_in_does_not_visit() -> None:
    _, orgs = _visit(
        "On May 3, 2026, Paul Martin, who had taken part in the World Book Congress in Baku, visited the Presidential "
        "Library again together with Eva Roth."
    )
    assert orgs == []


def test_members_named_in_a_later_sentence_are_visitors_of_the_delegation() -> None:
    people, orgs = _visit(
        "On May 3, 2026, a delegation of the National Library of Estonia visited the Presidential Library. The "
        "delegation was headed by Director General Martin Kask and included the head of the Rare Books Department Liis Tamm."
    )
    assert [name for name, _ in people] == ["Martin Kask", "Liis Tamm"]
    assert orgs == ["National Library of Estonia"]


def test_attendees_named_in_a_later_sentence_are_visitors_and_the_library_is_theirs() -> None:
    people, _ = _visit(
        "The exhibition “Estonian Books”, brought by the delegation of the National Library of Estonia, was opened "
        "at the Presidential Library on May 3, 2026. The opening was attended by Martin Kask, director of the "
        "library, and the Ambassador of Estonia to Azerbaijan Peeter Tamm."
    )
    assert people == [("Martin Kask", "National Library of Estonia"), ("Peeter Tamm", None)]


def test_a_delegation_of_two_institutions_names_both() -> None:
    _, orgs = _visit(
        "On May 3, 2026, the delegation of the National Library of Estonia and the Tartu University Library, headed "
        "by Martin Kask, visited the Presidential Library."
    )
    assert sorted(orgs) == ["National Library of Estonia", "Tartu University Library"]


def test_a_role_in_brackets_after_a_name_gives_its_organisation() -> None:
    people, _ = _visit("On May 3, 2026, Lena Holm (project manager of IFLA) visited the Presidential Library.")
    assert people == [("Lena Holm", "IFLA")]


def test_the_last_person_of_a_title_first_list_keeps_a_descriptor_after_the_name() -> None:
    people, _ = _visit(
        "On May 3, 2026, the Rector of Ganja State University Elnur Rzayev and Samir Guliyev, director of the "
        "National Library of Georgia, visited the Presidential Library."
    )
    assert dict(people)["Samir Guliyev"] == "National Library of Georgia"


def test_the_universitys_library_is_a_part_of_the_university_named_before() -> None:
    people, _ = _visit(
        "On May 3, 2026, the Rector of Ganja State University Elnur Rzayev and S. Guliyev, director of the "
        "university’s Library and Information Centre, visited the Presidential Library."
    )
    assert "Ganja State University" in (dict(people)["S. Guliyev"] or "")
    assert dict(people)["S. Guliyev"] != "Ganja State University"


def test_a_colleague_from_a_city_is_not_named_after_the_city() -> None:
    people, _ = _visit(
        "On May 3, 2026, Ari Katz visited the Presidential Library together with his colleague from Vienna Anna Gruber."
    )
    assert "Anna Gruber" in [name for name, _ in people]


# --- whole drafts -------------------------------------------------------------------------------------------------


def _draft(ctx: DraftContext, text: str) -> draft_module.Draft:
    return draft_item(plan_items(text, name="case")[0], ctx)


def test_bringing_a_group_to_the_library_is_a_visit(repo_draft_context: DraftContext) -> None:
    d = _draft(
        repo_draft_context,
        "On May 3, 2026, Leyla Hasanova, head of the Manuscripts Centre of Tbilisi, brought a group of young "
        "researchers to the Presidential Library.",
    )
    assert [(e.name, e.new) for e in d.attendees if e.kind == "person"] == [("Leyla Hasanova", True)]
