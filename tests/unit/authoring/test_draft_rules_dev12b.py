"""Drafting mechanisms of the twelfth round (issue 16; dev12; decision 0052).

Each case is a sentence of our own in the genre (not an item of any evaluation set). The round asks a positive
question of every new entity instead of listing the phrasings that must not mint one: a new institution only where
the text says a guest belongs to it (a title's holder, a group of its people, "from", "on behalf of", the visit's
subject or agent); a new person only from words that are not a place.
"""

from __future__ import annotations

import pytest

from visitgraph.authoring.draft import DraftContext, draft_item, plan_items
from visitgraph.authoring.namegate import refuse_person, unclaimed_institution
from visitgraph.authoring.newsfacts import find_gifts
from visitgraph.core.errors import BadParameter


def _draft(text: str, ctx: DraftContext):  # noqa: ANN202 - a Draft
    return draft_item(plan_items(text, name="case")[0], ctx)


def _new_orgs(d) -> list[str]:  # noqa: ANN001
    return sorted({e.name for e in d.institutions + d.attendees if e.kind == "organization" and e.new})


def _new_people(d) -> list[str]:  # noqa: ANN001
    return [e.name for e in d.attendees + d.contributors if e.kind == "person" and e.new]


# --- a new institution only in a slot that says a guest belongs to it ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Oskar Lind, a guest of the Nordic Book Days sponsored through the Halvorsen Cultural Foundation, visited "
            "the library.",
            "Halvorsen Cultural Foundation",
        ),
        (
            "Oskar Lind, who came for the session of the Baltic Archives Council, visited the library.",
            "Baltic Archives Council",
        ),
        ("Oskar Lind, invited by the Caspian Heritage Foundation, visited the library.", "Caspian Heritage Foundation"),
        (
            "Oskar Lind, a laureate of the prize awarded by the Tallinn Literary Society, visited the library.",
            "Tallinn Literary Society",
        ),
        ("During the week of the Kyrgyz Film Academy, Oskar Lind visited the library.", "Kyrgyz Film Academy"),
        (
            "Oskar Lind, a professor at the Uppsala Music Academy, came at the invitation of the Caspian Heritage "
            "Foundation and visited the library.",
            "Caspian Heritage Foundation",
        ),
        (
            "Oskar Lind visited the library at the invitation of the Caspian Heritage Foundation.",
            "Caspian Heritage Foundation",
        ),
    ],
)
def test_what_is_named_outside_a_belonging_slot_is_unclaimed(text: str, name: str) -> None:
    start = text.index(name)
    assert unclaimed_institution(text, start, start + len(name)) is not None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Oskar Lind, director of the Archive of the Uppsala Music Academy, visited the library.",
            "Uppsala Music Academy",
        ),
        (
            "Oskar Lind, head of the rare prints department of the Lund City Library, visited the library.",
            "Lund City Library",
        ),
        ("Oskar Lind, a lecturer at the Malmo Art Academy, visited the library.", "Malmo Art Academy"),
        (
            "Oskar Lind, dean of the Faculty of Music and Drama of Gavle University, visited the library.",
            "Gavle University",
        ),
        (
            "Oskar Lind, director-general of the Vasa Heritage Institute, visited the library.",
            "Vasa Heritage Institute",
        ),
        ("Guests from the Orebro Youth Library visited the library.", "Orebro Youth Library"),
        ("On 4 May the library was visited by the Embassy of Iceland.", "Embassy of Iceland"),
        ("The Umea Regional Archive (URA) visited the library on 4 May.", "Umea Regional Archive"),
        ("On 4 May, the Embassy of Chile in Azerbaijan donated a set of books to the library.", "Embassy of Chile"),
        ("On 4 May the Baku Calligraphy Society met the staff of the library.", "Baku Calligraphy Society"),
        ("On 4 May the Baku Calligraphy Society organised an exhibition at the library.", "Baku Calligraphy Society"),
        (
            "On 4 May, the Embassy of Chile in the Republic of Azerbaijan donated books to the library.",
            "Embassy of Chile",
        ),
        ("On 4 May the Tartu City Library delegation headed by Ann Lee visited the library.", "Tartu City Library"),
        (
            "Maria Ivanova, an employee of the Kazan Federal University Library, visited the library.",
            "Kazan Federal University Library",
        ),
        (
            "Maria Ivanova, the Kazan Federal University Library's deputy director, visited the library.",
            "Kazan Federal University Library",
        ),
        (
            "Ann Lee and Mia Ots, both former presidents of the Baltic Library Association, visited the library.",
            "Baltic Library Association",
        ),
        (
            "Ann Lee, head of the material provision of the Chief Directorate of Archives, visited the library.",
            "Chief Directorate of Archives",
        ),
        (
            "Books presented to the library by the Sumqayit Writers Union were handed over on 4 May.",
            "Sumqayit Writers Union",
        ),
    ],
)
def test_a_title_a_group_from_or_the_subject_claims_an_institution(text: str, name: str) -> None:
    start = text.index(name)
    assert unclaimed_institution(text, start, start + len(name)) is None


@pytest.mark.parametrize(
    ("text", "claimed", "unclaimed"),
    [
        (
            "On 12 March 2026 Oskar Lindqvist, director of the Uppsala Music Academy, who is in Baku as a guest of "
            "the Caspian Song Days supported through the Halvorsen Cultural Foundation, visited the Presidential "
            "Library.",
            "Uppsala Music Academy",
            "Halvorsen Cultural Foundation",
        ),
        (
            "On 12 March 2026 Oskar Lindqvist, director of the Visby Music Academy, visited the Presidential Library "
            "on the last day of the Caspian Book Days hosted by the Absheron Literary Society.",
            "Visby Music Academy",
            "Absheron Literary Society",
        ),
        (
            "On 12 March 2026 Oskar Lindqvist, director of the Gotland Music Academy, who had come to the congress of "
            "the Nordic Heritage Society, visited the Presidential Library.",
            "Gotland Music Academy",
            "Nordic Heritage Society",
        ),
        (
            "On 12 March 2026 Oskar Lindqvist, director of the Kiruna Music Academy, visited the Presidential "
            "Library, where the preparations for the Nordic Libraries Symposium were discussed.",
            "Kiruna Music Academy",
            "Nordic Libraries",
        ),
    ],
)
def test_no_institution_minted_outside_a_belonging_slot(
    text: str, claimed: str, unclaimed: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(text, repo_draft_context)
    assert _new_orgs(d) == [claimed], (_new_orgs(d), unclaimed)


def test_an_unclaimed_institution_is_left_to_the_librarian_in_a_check_line(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 12 March 2026 Olof Berg, director of the Lulea Music Academy, a guest of the Song Days organised "
        "by the Halvorsen Cultural Foundation, visited the Presidential Library.",
        repo_draft_context,
    )
    assert "Halvorsen Cultural Foundation" not in _new_orgs(d)
    assert any(
        "Halvorsen Cultural Foundation" in n and "not drafted as an institution of the visit" in n for n in d.notes
    ), d.notes


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Kaisa Virtanen and Mikko Laine, respectively head of the manuscripts department of the National Library "
            "of Finland and director of the Scientific Library of Oulu State University, visited the Presidential "
            "Library on 2 June 2026.",
            {"National Library of Finland", "Scientific Library of Oulu State University"},
        ),
        (
            "Aino Koski, Eero Salo and Liisa Heino, respectively director general of the Turku City Museum, head of "
            "the museum's library and a curator at the Oulu Museum of Photography, were received at the Presidential "
            "Library on 2 June 2026.",
            {"Turku City Museum", "Oulu Museum of Photography"},
        ),
    ],
)
def test_an_institution_in_a_title_is_still_minted(
    text: str, names: set[str], repo_draft_context: DraftContext
) -> None:
    d = _draft(text, repo_draft_context)
    assert names <= set(_new_orgs(d)), _new_orgs(d)


def test_an_item_whose_only_institution_is_unclaimed_is_refused_with_the_reason(
    repo_draft_context: DraftContext,
) -> None:
    with pytest.raises(BadParameter, match="names no visitor the drafter may write.*Halvorsen Cultural Foundation"):
        _draft(
            "On 12 March 2026 the Presidential Library hosted a seminar organised by the Halvorsen Cultural "
            "Foundation, and the delegation visited the reading halls.",
            repo_draft_context,
        )


# --- a new person only from words that are not a place and stand in a guest's slot --------------------------------


def test_a_place_is_no_person() -> None:
    assert refuse_person("Saudi Arabia") == "the name of a place"
    assert refuse_person("Irina Sokolova") is None


def test_a_place_in_brackets_after_an_institution_is_its_place(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 9 April 2026 Irina Sokolova, director of the Volga Regional Library (Nizhny Novgorod), visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _new_people(d) == ["Irina Sokolova"], _new_people(d)
    assert _new_orgs(d) == ["Volga Regional Library"], _new_orgs(d)


def test_a_name_in_brackets_is_not_minted_and_the_librarian_is_told(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 9 April 2026 Olga Chernova, director of the Kama Regional Library, visited the Presidential Library and "
        "brought greetings from her home town (Naberezhnye Chelny).",
        repo_draft_context,
    )
    assert _new_people(d) == ["Olga Chernova"], _new_people(d)
    assert any("Naberezhnye Chelny" in n and "not drafted as a new person" in n for n in d.notes), d.notes


# --- host staff: a staff title naming no institution, after the host in the visit sentence ------------------------


def _hosts(d) -> list[str]:  # noqa: ANN001
    return [e.name for e in d.contributors if e.kind == "person"]


def _visitors(d) -> list[str]:  # noqa: ANN001
    return [e.name for e in d.attendees if e.kind == "person"]


@pytest.mark.parametrize(
    ("text", "visitor"),
    [
        (
            "On 3 February 2026 the Presidential Library welcomed a delegation of the Viljandi Music Academy headed "
            "by its deputy director Toomas Saar.",
            "Toomas Saar",
        ),
        (
            "On 3 February 2026 the staff of the Presidential Library of the Republic of Estonia – head of its "
            "branch Lauri Kask and deputy director Piret Tamm – visited the Presidential Library.",
            "Piret Tamm",
        ),
        (
            "On 3 February 2026 Lauri Kask, director of the Rakvere Music Academy, visited the Presidential Library "
            "with his deputy director Piret Lepp.",
            "Piret Lepp",
        ),
    ],
)
def test_a_guest_with_a_staff_title_stays_a_guest(text: str, visitor: str, repo_draft_context: DraftContext) -> None:
    d = _draft(text, repo_draft_context)
    assert visitor in _visitors(d), (_hosts(d), _visitors(d))


# --- an owner's possessive opening a name: the part is the owner's ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        (
            "On 2 May 2026 Pavel Orlov, director of the Russian State Library, and Anna Frolova, head of the RSL's "
            "Slavic Manuscripts Centre, visited the Presidential Library.",
            [("Russian State Library", False)],
        ),
        (
            "On 2 May 2026 Pia Holm, head of the Uppsala University Library's Map Collection, visited the "
            "Presidential Library.",
            [("Uppsala University Library", True)],
        ),
    ],
)
def test_a_part_named_with_its_owners_possessive_is_the_owners(
    text: str, orgs: list[tuple[str, bool]], repo_draft_context: DraftContext
) -> None:
    d = _draft(text, repo_draft_context)
    got = [(e.name, e.new) for e in d.institutions if e.iri != repo_draft_context.host]
    assert got == orgs, got


def test_a_known_institution_outside_a_belonging_slot_is_not_the_visits(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Representatives of the Sumqayit University Library, led by its director Farida Qasimova, visited the "
        "Presidential Library on 14 January 2027 during the Week of Libraries proclaimed by the Ministry of Culture.",
        repo_draft_context,
    )
    assert [e.name for e in d.institutions if e.iri != repo_draft_context.host] == ["Sumqayit University Library"]
    assert any('"Ministry of Culture"' in n for n in d.notes), d.notes


# --- a person of the visit sentence only in a guest's slot: not whose something is ---------------------------------


@pytest.mark.parametrize(
    ("text", "guest", "other"),
    [
        (
            "On 20 February 2027 the Presidential Library was visited by Anna Weber, who conveyed the greetings of "
            "Chancellor Olaf Scholz to the library's readers.",
            "Anna Weber",
            "Olaf Scholz",
        ),
        (
            "On 20 February 2027 Nodira Azimova, head of the Termez Regional Library, visited the Presidential Library "
            "on the eve of the anniversary of Alisher Navoi.",
            "Nodira Azimova",
            "Alisher Navoi",
        ),
        (
            "On 20 February 2027 Jonas Petraitis, director of the Siauliai City Library, visited the Presidential "
            "Library to discuss the translations of Kristijonas Donelaitis.",
            "Jonas Petraitis",
            "Kristijonas Donelaitis",
        ),
    ],
)
def test_whose_something_is_no_guest(text: str, guest: str, other: str, repo_draft_context: DraftContext) -> None:
    d = _draft(text, repo_draft_context)
    assert _visitors(d) == [guest], _visitors(d)
    assert any(other in n and "not as a guest or host" in n for n in d.notes), d.notes


def test_under_the_leadership_of_is_still_a_guests_slot(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 20 February 2027 the delegation of the Pavlodar Regional Library under the leadership of Aigul Serikova "
        "visited the Presidential Library.",
        repo_draft_context,
    )
    assert _visitors(d) == ["Aigul Serikova"], _visitors(d)


# --- one gift whose words end a list a preposition governs ---------------------------------------------------------


def test_a_list_governed_by_a_preposition_is_one_gift() -> None:
    gifts = find_gifts(
        "Forty books on Uzbek poetry, music and cinema were handed over to the Presidential Library on 4 May 2026 by "
        "Dilshod Karimov, counsellor of the Embassy of Uzbekistan.",
        ["Dilshod Karimov"],
    )
    assert [(g.recipient, g.description) for g in gifts] == [("host", "Books on Uzbek poetry, music and cinema")]


def test_two_things_handed_over_are_still_two_gifts() -> None:
    gifts = find_gifts("The guest presented the library with an album and a set of postcards.")
    assert len(gifts) == 2, gifts


def test_a_passive_handing_over_with_an_adverb_and_a_long_apposition_after_its_giver() -> None:
    gifts = find_gifts(
        "Thirty albums of Kazakh art were handed over yesterday to the fund of the Presidential Library by Aidos "
        "Zhakupov, first secretary of the Embassy of the Republic of Kazakhstan in the Republic of Azerbaijan, who was "
        "accompanied by Dana Serikova, attaché of the Embassy.",
        ["Aidos Zhakupov", "Dana Serikova"],
    )
    assert [(g.agent, g.recipient) for g in gifts] == [("Aidos Zhakupov", "host")], gifts


@pytest.mark.parametrize(
    ("sentence", "people", "hosts", "want"),
    [
        (
            "A joint exhibition was discussed with deputy director Gunel Abbasova, to whom Mrs Lind presented a "
            "facsimile of a medieval psalter.",
            ["Eva Lind"],
            ["Gunel Abbasova"],
            [("Eva Lind", "Gunel Abbasova")],  # the guest, by her surname after an honorific
        ),
        (
            "At the end of the meeting the guests handed over to Mr. Guliyev several issues of the journal "
            '"Kitab Dunyasi".',
            [],
            ["Tural Guliyev"],
            [("guests", "Tural Guliyev")],  # the host's own staff member, by his surname after an honorific
        ),
        (
            "The guests were received by the director, who spoke about the rare maps of the library and presented the "
            'delegation with the album "Old Baku".',
            [],
            [],
            [("host", "guests")],
        ),
        (
            'The director of the library, T. Guliyev, presented the guest with the album "Old Baku" and with a '
            "kelaghayi.",
            [],
            ["Tural Guliyev"],
            [("host", "guest"), ("host", "guest")],
        ),
    ],
)
def test_who_gives_and_who_receives_by_the_clauses_structure(
    sentence: str, people: list[str], hosts: list[str], want: list[tuple[str, str]]
) -> None:
    gifts = find_gifts(sentence, people, hosts)
    assert [(g.agent, g.recipient) for g in gifts] == want, gifts


def test_presenting_the_guests_with_no_thing_is_no_gift() -> None:
    assert (
        find_gifts(
            "The guests were received by the director, who spoke about the rare maps of the library and presented the "
            "delegation with the history of the fund."
        )
        == []
    )


def test_whoever_gives_to_the_guests_in_a_second_predicate_is_the_host(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 2 March 2027 the Presidential Library was visited by Marta Ilves, director of the Narva City Library. "
        "The guest presented the library with a set of Estonian dictionaries, issued by the Narva Book Centre, and "
        'was in turn given the library\'s album "Baku: the Old City" by chief bibliographer Sevda Rzayeva.',
        repo_draft_context,
    )
    assert _hosts(d) == ["Sevda Rzayeva"], (_hosts(d), _visitors(d))
    assert sorted(g["host_gives"] for g in d.gifts) == [False, True], d.gifts


def test_a_second_predicate_with_no_gift_before_it_is_no_gift() -> None:
    assert find_gifts("The guests toured the halls, and were then given a short lecture on the fund.") == []


def test_the_next_of_several_who_met_the_guests_is_a_host(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 2 March 2027 Lina Berg, director of the Malmo City Archive, visited the Presidential Library. The guest, "
        "who was met by deputy director Sevil Rustamova and by Kamran Ismayilov, head of the department of rare "
        "books, was shown the collection of lithographs.",
        repo_draft_context,
    )
    assert sorted(_hosts(d)) == ["Kamran Ismayilov", "Sevil Rustamova"], (_hosts(d), _visitors(d))
