"""Drafting, fifteenth round (issue 16; decision 0059): where a name ends, asked of the graph and of the sentence.

Each case is a sentence of our own in the genre (not an item of any evaluation set).
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.newsfacts import find_gifts

# --- 1. where a name ends: a known body's label spelt in full, a place -------------------------------------------


@pytest.mark.parametrize(
    ("text", "guest", "org"),
    [
        (  # a known label that ends in a word no name has: the three name words after it are the guest's
            "On 3 May 2026 the curator of the Library of the First President of the Republic of Kazakhstan – the "
            "Leader of the Nation Saule Maratovna Dauletova visited the Presidential Library.",
            "Saule Maratovna Dauletova",
            ("Library of the First President of the Republic of Kazakhstan – the Leader of the Nation", False),
        ),
        (  # a known label whose last word reads as a name word: the name starts after the label
            "On 3 May 2026 deputy head of the Chief Directorate of Libraries and Broadcasting Zeynep Gul Arslan "
            "visited the Presidential Library.",
            "Zeynep Gul Arslan",
            ("Chief Directorate of Libraries and Broadcasting", False),
        ),
        (  # a new body whose name ends with a country: the three name words after it are the guest's
            "On 3 May 2026 the Rector of the State University of Mongolia Bat-Erdene Ganbold Tsogt visited the "
            "Presidential Library.",
            "Bat-Erdene Ganbold Tsogt",
            ("State University of Mongolia", True),
        ),
        (
            "On 3 May 2026 an adviser of the Administrative Department of the President of the Republic of Azerbaijan "
            "Leyla Arif Mammadova visited the Presidential Library.",
            "Leyla Arif Mammadova",
            ("Administrative Department of the President of the Republic of Azerbaijan", False),
        ),
    ],
)
def test_a_known_label_or_a_place_ends_the_institution_before_a_three_word_name(
    text: str, guest: str, org: tuple[str, bool], repo_draft_context: DraftContext
) -> None:
    d = _draft(text, repo_draft_context)
    assert _people(d.attendees) == [(guest, True)] and _orgs(d) == [org], (_people(d.attendees), _orgs(d))


@pytest.mark.parametrize(
    ("title", "guest", "org"),
    [
        (
            "the Rector of the Samarkand Institute of Oriental Studies",
            "Dilfuza Akmalovna Nazarova",
            "Samarkand Institute of Oriental Studies",
        ),
        ("a researcher of the Kyiv Centre of Book History", "Olena Petrivna Koval", "Kyiv Centre of Book History"),
        ("the director of the Aktobe Museum of Local Lore", "Aizhan Serikkyzy Bekova", "Aktobe Museum of Local Lore"),
    ],
)
def test_a_patronymic_keeps_a_three_word_name_whole(
    title: str, guest: str, org: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(f"On 3 May 2026 {title} {guest} visited the Presidential Library.", repo_draft_context)
    assert _people(d.attendees) == [(guest, True)] and _orgs(d) == [(org, True)], (_people(d.attendees), _orgs(d))


@pytest.mark.parametrize(
    ("text", "guest"),
    [  # unchanged: a city right after "in" is the institution's, a name after a part's own words keeps two words
        ("On 3 May 2026 the director of the Museum in Prague Jan Novak visited the Presidential Library.", "Jan Novak"),
        (
            "On 3 May 2026 the Rector of the University of Bologna Marco Rinaldi visited the Presidential Library.",
            "Marco Rinaldi",
        ),
    ],
)
def test_a_place_word_that_opens_the_run_still_ends_the_institution(
    text: str, guest: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(text, repo_draft_context)
    assert _people(d.attendees) == [(guest, True)], _people(d.attendees)


# --- 2. a new body written with its abbreviation in brackets ------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "full", "short"),
    [
        ("the Secretary General of the BLA (Baltic Library Alliance) Ieva Ozola", "Baltic Library Alliance", "BLA"),
        ("Ieva Ozola, Secretary General of the Baltic Library Alliance (BLA),", "Baltic Library Alliance", "BLA"),
        (
            "Ieva Ozola, Secretary General of the Nordic Council of Reading Societies (NORREAD),",
            "Nordic Council of Reading Societies",
            "NORREAD",
        ),
    ],
)
def test_a_new_body_with_its_abbreviation_in_brackets_is_minted_under_its_full_name(
    written: str, full: str, short: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(f"On 3 May 2026 {written} visited the Presidential Library.", repo_draft_context)
    assert _orgs(d) == [(full, True)], _orgs(d)
    entry = next(e for e in d.institutions if e.new)
    assert ("schema:alternateName", f'"{short}"', "the short form the text gives") in entry.props, entry.props


def test_a_later_mention_by_the_abbreviation_is_the_same_body(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 Ieva Ozola, Secretary General of the Latgale Readers Union (LRU), visited the Presidential "
        "Library. A delegation of the LRU will come in autumn.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Latgale Readers Union", True)], _orgs(d)


@pytest.mark.parametrize(
    "written",
    [  # what a bracket holds that is no abbreviation of the body: a place, a country's letters
        "Ieva Ozola, director of the Central Library (Riga),",
        "Ieva Ozola, director of the Reading Society (UK),",
    ],
)
def test_a_bracket_that_is_no_abbreviation_gives_no_other_name(written: str, repo_draft_context: DraftContext) -> None:
    d = _draft(f"On 3 May 2026 {written} visited the Presidential Library.", repo_draft_context)
    assert all(p != "schema:alternateName" for e in d.institutions for p, _, _ in e.props), _orgs(d)


# --- 3. the giver of a second predicate; "presented <receiver> with <thing>" ---------------------------------------


@pytest.mark.parametrize(
    ("sentence", "giver"),
    [
        (
            "The historian, who studies old maps of the Caspian, got acquainted with the manuscripts and presented "
            "her atlas to the library.",
            "guest",
        ),
        ("Jan de Groot toured the reading halls and donated his collected essays to the library.", "Jan de Groot"),
        (
            "J. de Groot spoke about the society's work and presented the library with the society's yearbook.",
            "Jan de Groot",
        ),
        ("The guest presented the library with the annual report of the society.", "guest"),
    ],
)
def test_the_sentence_subject_gives_in_a_second_predicate(sentence: str, giver: str) -> None:
    gifts = find_gifts(sentence, ["Jan de Groot"])
    assert [(g.agent, g.recipient) for g in gifts] == [(giver, "host")], gifts


@pytest.mark.parametrize(
    "sentence",
    [
        "The director spoke about the library's history and presented the new platform to the staff.",
        "The guest got acquainted with the fund and presented the society's projects to the library staff.",
    ],
)
def test_a_presentation_in_a_second_predicate_is_no_gift(sentence: str) -> None:
    assert find_gifts(sentence, ["Jan de Groot"]) == []


def test_a_later_mention_by_initial_gives_in_a_draft(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 Jan de Groot, a bookbinder, visited the Presidential Library. J. de Groot spoke about his "
        "craft and presented the library with a bound facsimile.",
        repo_draft_context,
    )
    person = next(e.iri for e in d.attendees if e.kind == "person")
    assert [(g["agent"], g["host_gives"]) for g in d.gifts] == [([person], False)], d.gifts


# --- 4. where the guests work, said in a later sentence -----------------------------------------------------------


@pytest.mark.parametrize(
    ("guests", "later", "orgs", "with_org"),
    [
        (
            "Karen Moller and Jens Bak",
            "Both guests work at the Royal Danish Library, where K. Moller heads the maps department.",
            [("Royal Danish Library", True)],
            ["Jens Bak", "Karen Moller"],
        ),
        (
            "Sigrid Dahl and Ole Berg",
            "The two visitors work at the Russian State Library.",
            [("Russian State Library", False)],
            ["Ole Berg", "Sigrid Dahl"],
        ),
        (
            "Lene Vik and Tor Aasen",
            "T. Aasen works at the Aarhus University Library.",
            [("Aarhus University Library", True)],
            ["Tor Aasen"],
        ),
    ],
)
def test_a_later_sentence_saying_where_the_guests_work_gives_their_institution(
    guests: str, later: str, orgs: list[tuple[str, bool]], with_org: list[str], repo_draft_context: DraftContext
) -> None:
    d = _draft(f"On 3 May 2026 {guests} visited the Presidential Library. {later}", repo_draft_context)
    assert _orgs(d) == orgs, _orgs(d)
    affiliated = sorted(e.name for e in d.attendees if any(p == "schema:affiliation" for p, _, _ in e.props))
    assert affiliated == with_org, [(e.name, e.props) for e in d.attendees]


def test_one_guest_said_to_teach_at_a_university_is_its(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 the poet Marta Kowal visited the Presidential Library. She teaches at the Jagiellonian "
        "University and translates Azerbaijani poetry.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Jagiellonian University", True)], _orgs(d)


@pytest.mark.parametrize(
    "later",
    [
        "Both guests work in Copenhagen.",  # a place, no institution
        "She worked at the Presidential Library in the 1990s.",  # the host
        "They spoke at the Baku Book Forum.",  # no belonging verb
        "Both guests work at the reading rooms of their city.",  # no name
    ],
)
def test_no_institution_from_a_later_sentence_that_names_none_of_the_guests(
    later: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(f"On 3 May 2026 Karin Larsen and Per Holm visited the Presidential Library. {later}", repo_draft_context)
    assert _orgs(d) == [], _orgs(d)


# --- 5. the next host in any list: a host's neighbour titled by an unnamed part -----------------------------------


@pytest.mark.parametrize(
    "listed",
    [
        "The meeting was attended by deputy director of the Presidential Library Rashad Aliyev and head of the maps "
        "sector Sevda Karimli, who showed the guest the atlases.",
        "Also present were Rashad Aliyev, deputy director of the Presidential Library, and chief specialist of the "
        "conservation laboratory Sevda Karimli.",
    ],
)
def test_a_hosts_neighbour_titled_by_an_unnamed_part_is_host_staff(
    listed: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(
        f"On 3 May 2026 Ilse Brandt, a conservator of the Bavarian State Library, visited the Presidential Library. {listed}",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.contributors)] == ["Rashad Aliyev", "Sevda Karimli"], _people(d.contributors)
    assert [n for n, _ in _people(d.attendees)] == ["Ilse Brandt"], _people(d.attendees)


@pytest.mark.parametrize(
    "second",
    [
        "head of the delegation Sevda Karimli",  # a group, not a part
        "head of her own manuscripts department Sevda Karimli",  # someone else's part
        "head of the Riga Book Society Sevda Karimli",  # a named body
    ],
)
def test_a_hosts_neighbour_whose_title_is_no_part_of_the_host_is_not_made_host(
    second: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(
        "On 3 May 2026 Ilse Brandt, a conservator of the Bavarian State Library, visited the Presidential Library. "
        f"The meeting was attended by deputy director of the Presidential Library Rashad Aliyev and {second}.",
        repo_draft_context,
    )
    assert "Sevda Karimli" not in [n for n, _ in _people(d.contributors)], _people(d.contributors)


def test_a_pronoun_after_host_staff_are_named_gives_no_guest_an_institution(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 the poet Rita Baltina visited the Presidential Library. She was received by deputy director "
        "of the Presidential Library Rashad Aliyev. He worked at the Baltic Book Institute for ten years.",
        repo_draft_context,
    )
    assert _orgs(d) == [], _orgs(d)


def test_a_comma_inside_a_bracketed_expansion_does_not_end_a_delegations_institution(
    repo_draft_context: DraftContext,
) -> None:
    d = _draft(
        "On 3 May 2026 a delegation of the ECLA (European Council of Library Associations, Archives and Museums) "
        "visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("European Council of Library Associations, Archives and Museums", True)], _orgs(d)


# --- 7. a kind of body in the plural after a title's "of" is the title's field ------------------------------------


@pytest.mark.parametrize(
    ("title", "orgs"),
    [
        ("Director of Libraries of the Ministry of Culture of Georgia", [("Ministry of Culture of Georgia", True)]),
        ("Head of Archives of the Russian State Library", [("Russian State Library", False)]),
        ("Curator of Museums of the Tbilisi State University", [("Tbilisi State University", True)]),
    ],
)
def test_a_plural_kind_of_body_after_a_title_is_its_field_not_an_institution(
    title: str, orgs: list[tuple[str, bool]], repo_draft_context: DraftContext
) -> None:
    d = _draft(f"On 3 May 2026 {title} Nino Kapanadze visited the Presidential Library.", repo_draft_context)
    assert _orgs(d) == orgs, _orgs(d)


# --- 8. found by probing: a giver by initial before "presented to the library …"; an acronym ends a name -----------


@pytest.mark.parametrize(
    "sentence",
    [
        "J. de Groot presented to the library a facsimile of an old atlas.",
        "J. de Groot, who collects old atlases, donated to the library a facsimile of one.",
    ],
)
def test_a_giver_by_initial_or_with_an_apposition_before_to_the_library(sentence: str) -> None:
    assert [(g.agent, g.recipient) for g in find_gifts(sentence, ["Jan de Groot"])] == [("Jan de Groot", "host")]


def test_a_bodys_own_acronym_ends_its_name_before_the_titles_scope(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 the Deputy Director of the National Library of Belgium (NLB) for Digital Services Marc Peeters "
        "visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("National Library of Belgium", True)], _orgs(d)


@pytest.mark.parametrize(
    ("sentence", "gifts"),
    [
        (
            "On 3 May the Secretary of the Riga Book Society visited the Presidential Library and presented the "
            "library with the society's yearbook.",
            [("guests", "host")],
        ),
        ("The director presented the guests with detailed information about the collections.", []),
        ("The director spoke about the fund and presented the guests with an overview of its history.", []),
    ],
)
def test_the_library_is_given_things_and_what_is_told_is_no_gift(sentence: str, gifts: list[tuple[str, str]]) -> None:
    assert [(g.agent, g.recipient) for g in find_gifts(sentence, ["Jan de Groot"])] == gifts


# --- 10. found by probing: the next person's honorific ends an institution's name; "paid a visit to … and gave" ---


def test_the_next_persons_honorific_ends_an_institutions_name(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 May 2026 the Presidential Library hosted Dr. Omar Farouk of the Sudan National Records Office and "
        "Prof. Amira Idris of the University of Khartoum.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Sudan National Records Office", True), ("University of Khartoum", True)], _orgs(d)


def test_paid_a_visit_and_handed_over_is_the_guests_gift() -> None:
    gifts = find_gifts(
        "On 3 May 2026 Mrs. Vera Dimitrova, director of the Plovdiv Public Library, paid a visit to the Presidential "
        "Library and handed over to the library a collection of Bulgarian books.",
        ["Vera Dimitrova"],
    )
    assert [(g.agent, g.recipient) for g in gifts] == [("guests", "host")], gifts
