"""Drafting, twenty-sixth round (issue 16; decision 0086): institutions' own-language names and their countries,
a known guest's record, companions and guides, fields in titles, and gifts told without the word "gift".

Each case is a sentence of our own in the genre (not an item of any evaluation set). The known people and
institutions are the repository's own records.
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.extract import find_people, is_field, parse_org, split_descriptor
from visitgraph.authoring.newsfacts import find_agreements, find_gifts
from visitgraph.core.countries import endonym_keys
from visitgraph.core.names import LabelKeys, org_tokens
from visitgraph.linking.namescore import name_score

# --- 1. own-language names: their lower-case words, their countries, their kind words --------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Bibliothèque et Archives nationales du Québec",
        "Biblioteca Nacional de Chile",
        "Ethniki Vivliothiki tis Ellados",
    ],
)
def test_an_own_language_name_goes_on_over_its_lower_case_words(name: str) -> None:
    assert parse_org(name).name == name


def test_countries_are_named_in_other_languages_in_organisation_keys() -> None:
    assert endonym_keys()["maroc"] == "morocco"
    assert endonym_keys()["tschechien"] == "czechia"
    tokens = org_tokens("Bibliothèque nationale du Royaume du Maroc")
    assert "national" in tokens and org_tokens("Morocco")[0] in tokens and "librari" in tokens
    morocco = name_score(
        LabelKeys.of("Bibliothèque nationale du Royaume du Maroc"),
        LabelKeys.of("National Library of Morocco"),
        "organization",
    )
    assert morocco >= 85  # the matcher's flag, as the English name
    other = name_score(
        LabelKeys.of("Bibliothèque nationale du Royaume du Maroc"),
        LabelKeys.of("National Library of Tunisia"),
        "organization",
    )
    assert other < 70


def test_a_greek_name_ends_before_the_person() -> None:
    text = "Deputy Director of the Ethniki Vivliothiki tis Ellados Eleni Markou visited the library."
    assert [p.name for p in find_people(text)] == ["Eleni Markou"]
    assert find_people("former director of the Bibliothèque nationale du Royaume du Maroc, came") == []


def test_a_known_guests_body_named_in_its_own_language(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2030 Deputy Director General of the Ethniki Vivliothiki tis Ellados Antonia Arahova visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("National Library of Greece", False)]


def test_a_known_guest_now_at_another_body_is_not_given_the_recorded_one(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2030 Amerkhan Rakhimjanov, director of the National Academic Library of the Republic of "
        "Kazakhstan, visited the Presidential Library.",
        repo_draft_context,
    )
    assert ("Library of the First President of the Republic of Kazakhstan – the Leader of the Nation", False) not in (
        _orgs(d)
    )


# --- 2. titles: a unit's two fields, a field joined by "and", a region before a name ----------------------------------


def test_a_units_two_fields_are_not_a_first_name() -> None:
    text = "Head of the Department of Old Printed Books and Maps Olga Petrova visited."
    assert [p.name for p in find_people(text)] == ["Olga Petrova"]


def test_a_field_joined_by_and_to_an_institution_word_is_a_field() -> None:
    assert is_field("Foundation and Corporate Relations of the X")
    assert not is_field("Institute of International Relations")
    assert split_descriptor("Director of Donor and Foundation Relations of the Boston Public Library") == (
        "Director of Donor and Foundation Relations",
        "Boston Public Library",
    )


def test_a_region_before_a_name_after_an_article() -> None:
    text = "Regional Manager for Central Asia and the Caucasus Anna Nowak visited the library."
    assert [p.name for p in find_people(text)] == ["Anna Nowak"]


# --- 3. who is whose: a companion of another body, the host's guide -----------------------------------------------------


def test_accompanied_by_someone_of_the_guests_body_is_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2030 Alexander Visliy, President of the Russian State Library, visited the Presidential Library. "
        "Accompanied by Olga Orlova, head of the Department of Manuscripts of the RSL, he met with director Mayil "
        "Ahmadov.",
        repo_draft_context,
    )
    assert ("Olga Orlova", True) in _people(d.attendees)
    assert ("Olga Orlova", True) not in _people(d.contributors)


def test_accompanied_by_the_hosts_staff_is_still_the_hosts_guide(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2030 Alexander Visliy, President of the Russian State Library, visited the Presidential Library. "
        "Accompanied by Olga Orlova, head of the rare books department, the guest toured the reading halls.",
        repo_draft_context,
    )
    assert ("Olga Orlova", True) in _people(d.contributors)


def test_a_museum_of_things_of_a_known_body_is_that_body(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2030 Alexander Visliy, President of the Russian State Library (RSL), visited the Presidential "
        "Library together with Olga Orlova, head of the Museum of Books of the RSL.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Russian State Library", False)]


# --- 4. gifts told without "gift"; agreements "to that effect" ---------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("Mr. Ferri left a signed copy of his novel for the library's collection and talked with the staff.", "guests"),
        (
            "The library's collection was enriched with forty books on Italian history, which the guest brought.",
            "guests",
        ),
        ("The album, which collects photographs of Rome, was handed over to the director of the library.", "guests"),
        ('Prof. Ferri presented his new monograph "Baku in Italian Eyes".', "Luca Ferri"),
    ],
)
def test_gifts_told_without_the_word(sentence: str, want: str) -> None:
    found = find_gifts(sentence, ["Luca Ferri"])
    assert [(g.agent, g.recipient) for g in found] == [(want, "host")], found


def test_what_the_givers_received_in_return() -> None:
    found = find_gifts("The guests handed over to the library books in Italian and received a kelaghayi in return.")
    assert [(g.agent, g.recipient) for g in found] == [("guests", "host"), ("host", "guests")]
    assert find_gifts("The guests presented their plans for the year.") == []


def test_the_library_hands_over_to_a_body_by_its_abbreviation() -> None:
    found = find_gifts("The Presidential Library handed over to the RSL its electronic editions.")
    assert [g.agent for g in found] == ["host"]


def test_an_agreement_signed_to_that_effect() -> None:
    (found,) = find_agreements(
        "The sides discussed mutual access to their collections and signed an agreement to that effect."
    )
    assert found.signed
