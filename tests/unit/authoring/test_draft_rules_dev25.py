"""Drafting, twenty-fifth round (issue 16; decision 0085): countries of every continent, names in other languages,
titles and their fields, lists whose verb is said once, and a known guest's institution spelt another way.

Each case is a sentence of our own in the genre (not an item of any evaluation set). The known people and
institutions are the repository's own records.
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.extract import find_people, institution_head, place_code, split_descriptor
from visitgraph.authoring.newsfacts import _items, find_gifts
from visitgraph.core.countries import BY_CODE, display_name

_CZ_LIBRARY = "National Library of Czechia"
_CZ_MUSEUM = "National Museum of Czechia"

# --- 1. every ISO 3166 country is a place, not a first name ------------------------------------------------------


@pytest.mark.parametrize(("word", "code"), [("Uruguay", "UY"), ("Kenya", "KE"), ("Chile", "CL"), ("Peru", "PE")])
def test_countries_of_every_continent_are_places(word: str, code: str) -> None:
    assert place_code(word) == code
    assert display_name(code) == code  # shown by its code, as every country without a shown name


def test_names_that_are_given_names_too_are_not_read_as_places() -> None:
    assert "TD" not in BY_CODE or "chad" not in BY_CODE["TD"].names
    assert [p.name for p in find_people("Director of the Museum Chad Brown visited.")] == ["Chad Brown"]


def test_a_country_ends_the_institution_before_a_three_word_name() -> None:
    text = "Director of the National Library of Uruguay Martín Sosa Arbelo visited the library."
    assert [p.name for p in find_people(text)] == ["Martín Sosa Arbelo"]


# --- 2. names in other languages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the General Directorate (Kütüphaneler ve Yayımlar Genel Müdürlüğü) of the ministry",
        "the Lithuanian national library (Lietuvos nacionalinė Martyno Mažvydo biblioteka) sent",
    ],
)
def test_capitalised_words_of_an_own_language_name_are_nobody(text: str) -> None:
    assert find_people(text) == []


def test_a_family_name_built_on_an_institution_word_is_still_a_name() -> None:
    assert [p.name for p in find_people("Director Anna Institutova visited the library.")] == ["Anna Institutova"]


def test_an_own_language_name_with_the_english_one_in_brackets(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2028 the delegation of the Národní knihovna České republiky (National Library of the Czech "
        "Republic) headed by its director Petr Novotný visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [(_CZ_LIBRARY, False)]
    assert _people(d.attendees) == [("Petr Novotný", True)]


def test_an_institution_word_joined_by_a_hyphen() -> None:
    assert institution_head("Goethe-Institut Moskau") == "institut"
    assert split_descriptor("head of the Library Department of the Goethe-Institut Moskau") == (
        "head of the Library Department",
        "Goethe-Institut Moskau",
    )


def test_a_library_service_is_an_institution_a_digital_service_a_part() -> None:
    assert institution_head("Kenya National Library Service") == "service"
    assert institution_head("Digital Services of the National Library") is None


# --- 3. titles: "Prof. Dr.", "Chief of the", two fields, a region after an acronym ---------------------------------


def test_two_honorifics_between_a_title_and_a_name(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2028 Vice-Chancellor of the University of Sindh Prof. Dr. Imran Ali Shah visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("University of Sindh", True)]


def test_chief_of_the_x_is_a_title() -> None:
    text = "Chief of the Digital Services of the Kenya National Library Service Grace Wanjiru Mwangi visited."
    assert [p.name for p in find_people(text)] == ["Grace Wanjiru Mwangi"]


def test_a_titles_second_field_is_not_a_first_name() -> None:
    text = "headed by Director of Books and Reading Aminata Diop Ndiaye visited the library."
    assert [p.name for p in find_people(text)] == ["Aminata Diop Ndiaye"]


def test_a_region_after_an_acronyms_body_is_the_titles_scope() -> None:
    assert split_descriptor("Regional director of OCLC for Eastern Europe and Central Asia") == (
        "Regional director for Eastern Europe and Central Asia",
        "OCLC",
    )
    assert split_descriptor("Director of the Institute for Central Asia") == ("Director", "Institute for Central Asia")


# --- 4. guests named in the next sentence; lists whose verb is said once --------------------------------------------


def test_guests_received_from_a_country_are_named_in_the_next_sentence(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2028 the Presidential Library received guests from the Czech Republic. The delegation of the "
        "National Library of the Czech Republic was headed by its director Petr Novotný, while the National Museum "
        "in Prague was represented by its director Michal Lukeš.",
        repo_draft_context,
    )
    assert sorted(_orgs(d)) == [(_CZ_LIBRARY, False), (_CZ_MUSEUM, False)]
    assert ("Mikhail Lukesh", False) in _people(d.attendees)


def test_each_body_of_a_represented_by_list_gives_its_agents_its_name(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2028 a meeting with representatives of two organisations from Tashkent was held at the "
        "Presidential Library. The Alisher Navoi Library was represented by Saida Karimova, director of its "
        "reading halls, and the Tashkent Book Foundation by its coordinator Bahrom Yusupov.",
        repo_draft_context,
    )
    assert sorted(_orgs(d)) == [("Alisher Navoi Library", True), ("Tashkent Book Foundation", True)]
    assert sorted(_people(d.attendees)) == [("Bahrom Yusupov", True), ("Saida Karimova", True)]


def test_met_by_the_director_and_the_head_of_a_department(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2028 Saida Karimova, director of the Alisher Navoi Library, visited the Presidential Library. "
        "The guest was met by the director of the library Mayil Ahmadov and the head of the electronic resources "
        "department Nigar Rzayeva.",
        repo_draft_context,
    )
    assert sorted(_people(d.contributors)) == [("Mayil Ahmadov", False), ("Nigar Rzayeva", True)]


def test_a_person_a_book_is_on_did_not_visit(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2028 Professor of the University of Bologna Luca Ferri visited the Presidential Library and "
        "presented it with his book on Fuzuli Baghdadi.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Luca Ferri", True)]


# --- 5. a known guest's recorded institution, spelt another way --------------------------------------------------


def test_a_known_guests_institution_spelt_in_another_alphabet(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 4 March 2028 a photo album prepared by Sputnik Azərbaycan was presented to the Presidential Library. "
        "The album was handed over by Aziz Aliyev.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Sputnik Azerbaijan", False)]


# --- 6. gifts ------------------------------------------------------------------------------------------------------


def test_an_article_after_and_opens_a_second_thing() -> None:
    assert _items("a book on the history of the university and a ceramic bowl") == [
        "a book on the history of the university",
        "a ceramic bowl",
    ]
    assert _items("a book on the poets of Georgia and Armenia") == ["a book on the poets of Georgia and Armenia"]


def test_later_mentions_by_honorific_or_inverted_initials_name_the_giver() -> None:
    found = find_gifts(
        "Dr. Serin handed over to Mr. Guliyev a copy of his monograph, published in Istanbul by Hiperlink.",
        ["Mustafa Serin"],
        ["Mahammad Guliyev"],
    )
    assert [(g.agent, g.recipient) for g in found] == [("Mustafa Serin", "Mahammad Guliyev")]
    found = find_gifts("Ivanova N. Ye., in her turn, handed over to the library a set of books.", ["Natalya Ivanova"])
    assert [(g.agent, g.recipient) for g in found] == [("Natalya Ivanova", "host")]
