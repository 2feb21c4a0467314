"""Drafting, seventeenth round (issue 16; decision 0064): reuse asked of the graph, names bounded by their form.

Each case is a sentence of our own in the genre (not an item of any evaluation set). The known people and
institutions are the repository's own records.
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.newsfacts import find_agreements, find_gifts

# --- 1. a delegation's own list: "the library's" is the guests' library -------------------------------------------


def test_a_member_of_the_delegation_titled_by_the_librarys_part_is_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "A delegation of the Belarusian Presidential Library visited the Presidential Library on 9 May 2026. "
        "The delegation also included Natalia Mizovchova, head of the library's department of manuscripts.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Natalia Mizovchova", False)] and _people(d.contributors) == []


def test_who_accompanies_the_guests_titled_by_the_librarys_part_is_still_a_host(
    repo_draft_context: DraftContext,
) -> None:
    d = _draft(
        "A delegation of the National Library of Latvia visited the Presidential Library on 9 May 2026. "
        "The guests were accompanied by Elvira Mammadova, head of the library's reading halls department.",
        repo_draft_context,
    )
    assert _people(d.contributors) == [("Elvira Mammadova", True)]


# --- 2. a known person vouches for their known institution named with other words ---------------------------------


@pytest.mark.parametrize(
    ("sentence", "person", "org"),
    [
        (
            "Ekrem Isik, president of the Eurasian Library Association, visited the Presidential Library on 5 May 2026.",
            "Ekrem Ishik",
            "Eurasian Librarians' Association",
        ),
        (
            "Mustafa Serin, head of the Library and Documentation Centre of Bilecik University, visited the "
            "Presidential Library on 6 May 2026.",
            "Mustafa Serin",
            "Library and Information Centre of the Bilecik Sheikh Edebali University",
        ),
        (
            "Svetlana Gorokhova and Jana Kralova, curators at the Margarita Rudomino All-Russia Library of Foreign Literature, "
            "visited the Presidential Library on 7 May 2026.",
            "Svetlana Gorokhova",
            "All-Russia State Library for Foreign Literature named after M. I. Rudomino",
        ),
    ],
)
def test_a_known_persons_institution_named_otherwise_is_reused(
    sentence: str, person: str, org: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(sentence, repo_draft_context)
    assert (person, False) in _people(d.attendees)
    assert _orgs(d) == [(org, False)]
    assert any("the institution of the known person" in (e.check or "") for e in d.entries.values())


@pytest.mark.parametrize(
    ("sentence", "org"),
    [
        # a known person now at another body: its name is not like their recorded one
        (
            "Alexander Visliy, now director of the Moscow State University Library, visited the Presidential "
            "Library on 9 May 2026.",
            "Moscow State University Library",
        ),
        # a body like a known one, and nobody known named with it
        (
            "Selma Aksoy, president of the Eurasian Library Association, visited the Presidential Library on "
            "5 May 2026.",
            "Eurasian Library Association",
        ),
    ],
)
def test_no_reuse_without_a_known_person_of_that_body(
    sentence: str, org: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(sentence, repo_draft_context)
    assert _orgs(d) == [(org, True)]


def test_a_bracket_with_another_name_and_its_place(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Dr. Hassan Nafaa, curator of the Bibliotheca Alexandrina (Library of Alexandria, Egypt), visited the "
        "Presidential Library on 17 May 2026.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Alexandria Library", False)]


# --- 3. a place whose name goes on before a person's name ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "Regional Director for Europe and Central Asia Jan Piotr Kowalski visited the Presidential Library on 11 May "
            "2026.",
            "Jan Piotr Kowalski",
        ),
        (
            "Ambassador of Bosnia and Herzegovina Emir Hodžić visited the Presidential Library on 12 May 2026.",
            "Emir Hodžić",
        ),
    ],
)
def test_a_place_of_two_parts_ends_before_the_name(sentence: str, name: str, repo_draft_context: DraftContext) -> None:
    assert _people(_draft(sentence, repo_draft_context).attendees) == [(name, True)]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "Director Anna Maria Lopez of the Bodleian Library visited the Presidential Library on 14 May 2026.",
            "Anna Maria Lopez",
        ),
        (
            "Head of the Department of Central Asia Studies Aigul Serikovna Bekova visited the Presidential Library on "
            "16 May 2026.",
            "Aigul Serikovna Bekova",
        ),
    ],
)
def test_no_place_cut_from_a_name_after_a_title(sentence: str, name: str, repo_draft_context: DraftContext) -> None:
    assert _people(_draft(sentence, repo_draft_context).attendees) == [(name, True)]


# --- 4. the host's own staff, known to the graph, spelt otherwise ----------------------------------------------------


def test_a_known_host_spelt_otherwise_is_a_host_not_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Presidential Library director Mayil Əhmədov received Ana Lopez Garcia, head of the Cervantes Institute "
        "library, on 2 June 2026.",
        repo_draft_context,
    )
    assert _people(d.contributors) == [("Mayil Ahmadov", False)]
    assert _people(d.attendees) == [("Ana Lopez Garcia", True)]


def test_a_guest_with_a_host_staff_members_first_name_stays_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Mayil Hasanli, a writer from Ganja, visited the Presidential Library on 3 June 2026.", repo_draft_context
    )
    assert _people(d.attendees) == [("Mayil Hasanli", True)] and _people(d.contributors) == []


# --- 5. "returned to" the library is a visit ---------------------------------------------------------------------


def test_returned_to_the_library_is_a_visit(repo_draft_context: DraftContext) -> None:
    d = _draft("Czech poet Jan Dvorak returned to the Presidential Library on 3 March 2026.", repo_draft_context)
    assert _people(d.attendees) == [("Jan Dvorak", True)]


# --- 6. found by probing: where an institution is, after "in", is no person -----------------------------------------


@pytest.mark.parametrize(
    ("sentence", "org"),
    [
        (
            "Olga Smirnova, director of the Central City Library in Nizhny Novgorod, visited the Presidential Library "
            "on 5 May 2026.",
            ("Central City Library in Nizhny Novgorod", True),
        ),
        (
            "Olga Smirnova of the Hermitage Museum in Saint Petersburg visited the Presidential Library on 5 May 2026.",
            ("Hermitage Museum", True),
        ),
    ],
)
def test_a_two_word_place_after_an_institution_and_in_is_no_person(
    sentence: str, org: tuple[str, bool], repo_draft_context: DraftContext
) -> None:
    d = _draft(sentence, repo_draft_context)
    assert [n for n, _ in _people(d.attendees)] == ["Olga Smirnova"]
    assert _orgs(d) == [org]


# --- 7. whole items: all sides by number, a title's full stop, the visit's own "of", a described body -------------


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "The three museums agreed to prepare a joint catalogue of carpets.",
            "Agreement to prepare a joint catalogue of carpets",
        ),
        ("The heads of the four archives signed a protocol on digitisation.", "Protocol on digitisation"),
    ],
)
def test_all_sides_by_number_agree_or_sign(sentence: str, name: str) -> None:
    assert [a.name for a in find_agreements(sentence)] == [name]


def test_a_full_stop_inside_a_title_in_quotes_ends_no_sentence() -> None:
    gifts = find_gifts(
        'The director presented the guest with the book "Shirvan. Carpets and Stories" and a silk scarf.'
    )
    assert [(g.description, g.name) for g in gifts] == [("Book", "Shirvan. Carpets and Stories"), ("Silk scarf", None)]


def test_during_the_visit_of_names_the_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "The two libraries signed an agreement on 3 May 2026 during the official visit of Anna Novak, director of "
        "the Silesian Library in Katowice.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Anna Novak", True)]


def test_an_exhibition_on_a_visit_of_long_ago_names_no_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "An exhibition on the visit of Hermann Hesse to Baku opened at the Presidential Library on 4 May 2026; "
        "a delegation of the Goethe Institute attended.",
        repo_draft_context,
    )
    assert _people(d.attendees) == []


def test_a_lower_case_library_after_a_peoples_adjective_is_the_body_named_before(
    repo_draft_context: DraftContext,
) -> None:
    d = _draft(
        "A delegation of the National Library of Laos visited the Presidential Library on 5 May 2026. The "
        "delegation was headed by Somsak Vongsa, deputy director of the Laotian library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("National Library of Laos", True)]


# --- 8. a name with a comma in a coordinated list, the library's staff in the plural, a bare handing-over --------


def test_a_name_whose_comma_coordinates_capitalised_words_is_one_name(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Head of the Heritage Sector of the Arab League Educational, Cultural and Scientific Organization (ALECSO) "
        "Samir Haddad visited the Presidential Library on 6 May 2026.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Arab League Educational, Cultural and Scientific Organization", True)]
    assert _people(d.attendees) == [("Samir Haddad", True)]


def test_the_librarys_staff_in_the_plural_before_a_list_are_hosts(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Anna Nowak, director of the Silesian Library, visited the Presidential Library on 4 February 2026. The guest "
        "met the library's chief bibliographers Leyla Aliyeva, Ramin Guliyev and Sabina Huseynova.",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.contributors)] == ["Leyla Aliyeva", "Ramin Guliyev", "Sabina Huseynova"]


def test_staff_of_another_library_in_the_plural_are_not_hosts(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Anna Nowak, director of the Silesian Library, visited the Presidential Library on 4 February 2026, together "
        "with the Silesian Library's chief bibliographers Ewa Lis and Jan Kot.",
        repo_draft_context,
    )
    assert _people(d.contributors) == []


@pytest.mark.parametrize(
    ("sentence", "gifts"),
    [
        ("The guest handed over books published by her institute.", [("guest", "host")]),
        ("The delegation handed over a set of maps of Riga and received an album in return.", [("guests", "host")]),
    ],
)
def test_handed_over_with_no_receiver_is_a_gift_to_the_other_side(sentence: str, gifts: list[tuple[str, str]]) -> None:
    assert [(g.agent, g.recipient) for g in find_gifts(sentence)][:1] == gifts


def test_handed_over_what_is_no_thing_is_no_gift() -> None:
    assert find_gifts("The guest handed over the chairmanship of the association to Turkey.") == []


# --- 9. found by probing: a second field after "and" ends an institution's name before a person's -----------------


@pytest.mark.parametrize(
    ("sentence", "name", "org"),
    [
        (
            "Director of the Museum of Art and History Jean Dupont visited the Presidential Library on 14 March 2026.",
            "Jean Dupont",
            "Museum of Art and History",
        ),
        (
            "Deputy Head of the Institute of Language and Literature Anna Maria Rossi visited the Presidential Library "
            "on 15 March 2026.",
            "Anna Maria Rossi",
            "Institute of Language and Literature",
        ),
    ],
)
def test_a_second_field_after_and_ends_the_institutions_name(
    sentence: str, name: str, org: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(sentence, repo_draft_context)
    assert _people(d.attendees) == [(name, True)] and _orgs(d) == [(org, True)]


# --- 10. a group or side named by its body or its country ----------------------------------------------------------


def test_groups_named_by_a_country_or_a_body_list_their_guests(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 2 May 2026 the Presidential Library received two groups: students of the Ankara University and "
        "librarians of the National Library of Latvia. The Turkish group was led by Professor Ayse Kaya; the Latvian "
        "side was represented by Ilze Berzina, head of a department.",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.attendees)] == ["Ayse Kaya", "Ilze Berzina"]
    assert [n for n, _ in _orgs(d)] == ["Ankara University", "National Library of Latvia"]


def test_a_group_named_by_its_acronym_is_that_bodys(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 the Presidential Library received participants of a seminar of the NLLA and librarians of "
        "Georgia. The NLLA group included Secretary General Hans Berg and expert Marta Lind.",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.attendees)] == ["Hans Berg", "Marta Lind"]
    assert _orgs(d) == [("NLLA", True)]


@pytest.mark.parametrize(
    "later",
    [
        "The Presidential Library group included deputy director Farid Najafov and chief librarian Aysel Karimova.",
        "The Azerbaijani side was represented by deputy director Farid Najafov and chief librarian Aysel Karimova.",
    ],
)
def test_the_hosts_group_or_side_lists_no_guests(later: str, repo_draft_context: DraftContext) -> None:
    d = _draft(
        f"A delegation of the National Library of Latvia visited the Presidential Library on 4 May 2026. {later}",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.contributors)] == ["Aysel Karimova", "Farid Najafov"]
    assert _people(d.attendees) == []
