"""Drafting rules of session 23 (issue 16), in sentences of our own.

Agreements (decision 0089): a document itself under discussion — its draft, a possible one, or the document named as
what was discussed — is an unsigned agreement; the possibility of signing one, its preparation or signing, or what an
existing one says, is none; one signed before and only discussed now is none.
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from draftcases import seconds as _seconds
from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.extract import find_people, split_descriptor
from visitgraph.authoring.newsfacts import find_agreements, find_gifts
from visitgraph.core.errors import BadParameter

_V = "On May 5, 2027, director of the National Library of Estonia Kairi Lepp visited the Presidential Library. "


def _agreements(text: str) -> list[tuple[str, bool]]:
    return [(a.name, a.signed) for a in find_agreements(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The sides discussed the draft of a cooperation agreement between the two libraries.",
            [("Draft cooperation agreement between the two libraries", False)],
        ),
        (
            "During the meeting, the sides discussed a draft agreement on the mutual exchange of electronic copies.",
            [("Draft agreement on the mutual exchange of electronic copies", False)],
        ),
        (
            "A draft memorandum on the exchange of rare books was also discussed.",
            [("Draft memorandum on the exchange of rare books", False)],
        ),
        (
            "Views were exchanged on a draft memorandum between the library and the university, which is expected "
            "to be signed at the book fair.",
            [("Draft memorandum between the library and the university", False)],
        ),
        (
            "The sides exchanged views on a possible cooperation agreement between the two libraries.",
            [("Possible cooperation agreement between the two libraries", False)],
        ),
        (
            "A memorandum of understanding between the association and the library was discussed during the meeting.",
            [("Memorandum of understanding between the association and the library", False)],
        ),
        (
            "The sides discussed the draft of a memorandum on cooperation between the Association and the library.",
            [("Draft memorandum on cooperation between the Association and the library", False)],
        ),
        (
            "The sides discussed the draft of a memorandum in the field of digitization and the exchange of books.",
            [("Draft memorandum in the field of digitization and the exchange of books", False)],
        ),
        # the draft discussed and agreed to be signed: one document, not two
        (
            "The sides discussed a draft agreement on book exchange and agreed to sign it next year.",
            [("Agreement to sign it next year", False)],
        ),
        (
            "During the meeting the draft of the agreement on cooperation between the two libraries was discussed.",
            [("Draft agreement on cooperation between the two libraries", False)],
        ),
        # a document to be signed: planned, so unsigned (as 'agreed that … will be signed' is)
        (
            "It was noted that a memorandum of cooperation would be signed during the next visit.",
            [("Memorandum of cooperation", False)],
        ),
        ("It was noted that no memorandum would be signed this year.", []),
        # a signing of another year
        (
            "Mayil Ahmadov noted that R. Gudauskas visited the library in 2013, when a memorandum of understanding "
            "was signed between the two libraries.",
            [],
        ),
        # no document under discussion
        ("The sides discussed the possibility of signing a memorandum of cooperation.", []),
        ("The sides discussed the prospects of signing a memorandum on cooperation.", []),
        ("The sides discussed the preparation of a memorandum of understanding.", []),
        ("The sides discussed the signing of a memorandum of cooperation in the future.", []),
        ("The sides discussed the terms of a future agreement.", []),
        ("The sides discussed the implementation of the memorandum signed in 2031.", []),
        ("The sides reviewed the memorandum signed in 2031.", []),
        ("The sides discussed the agreement of 2031 on exchange.", []),
        ("The guests considered the library's catalogue and discussed the digitisation of manuscripts.", []),
        ("The sides recalled the memorandum of cooperation and discussed its draft protocol.", []),
        ("The sides discussed the existing agreement on book exchange.", []),
    ],
)
def test_a_document_under_discussion_is_unsigned(text: str, expected: list[tuple[str, bool]]) -> None:
    assert _agreements(text) == expected


def test_a_signed_document_and_a_discussed_draft_keep_their_own_reading() -> None:
    # a signature in the sentence wins: the discussed-document reading is only for sentences nothing else reads
    assert _agreements("The sides signed a memorandum of understanding on the exchange of publications.") == [
        ("Memorandum of understanding on the exchange of publications", True)
    ]


def test_the_draft_reaches_the_visit_record(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _V + "The sides discussed the draft of a memorandum on the exchange of electronic resources.",
        repo_draft_context,
    )
    assert d.agreements == [("Draft memorandum on the exchange of electronic resources", False)]


def test_a_long_run_of_discussed_words_stays_linear() -> None:
    # hostile: thousands of document words after one verb, and many verbs without a document
    text = "The sides discussed the draft " + "memorandum agreement protocol " * 2000 + "."
    assert _seconds(lambda: find_agreements(text)) < 1.0
    text = "The sides discussed and reviewed and considered " * 1500 + "the catalogue."
    assert _seconds(lambda: find_agreements(text)) < 1.0


# --- gifts in common phrasings the rules missed ----------------------------------------------------------------

_G = "On May 5, 2027, Director of the National Library of Estonia Kairi Lepp visited the Presidential Library. "


def _gifts(text: str) -> list[tuple[str, str, str]]:

    return [(g.agent, g.recipient, g.description) for g in find_gifts(_G + text, ["Kairi Lepp"], ["Mayil Ahmadov"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a second predicate after ", and" with no handing-over before it: the sentence's subject receives
        (
            'They got acquainted with the reading halls, and were presented with the album "Azerbaijani Miniatures".',
            [("host", "guests", "Album")],
        ),
        (
            "The guests were acquainted with the rare books fund, and were presented with a set of books.",
            [("host", "guests", "Set of books")],
        ),
        # the library's guests by a possessive or by "each of"
        (
            "Before she left, the library presented its guest with a set of mugham recordings.",
            [("host", "guest", "Set of mugham recordings")],
        ),
        (
            "The library presented each of the guests with a set of its electronic editions.",
            [("host", "guests", "Set of its electronic editions")],
        ),
        # "as a gift" before the thing
        (
            "The guest brought as a gift a selection of books recently published in Estonia.",
            [("guest", "host", "Selection of books recently published in Estonia")],
        ),
        (
            "The guest brought a collection of Estonian stamps as a gift.",
            [("guest", "host", "Collection of Estonian stamps")],
        ),
        # the receiver by office with the name in apposition: the commas are the receiver's, not a list of gifts
        (
            "Kairi Lepp handed over to the director of the Presidential Library, Mayil Ahmadov, a set of photo albums.",
            [("Kairi Lepp", "Mayil Ahmadov", "Set of photo albums")],
        ),
        # the delegation's head gives for it; a thing after "in turn" with no receiver goes to the other side
        (
            "The head of the delegation handed over a set of books to the library, and the library in turn "
            "presented the guests with its publications.",
            [("guests", "host", "Set of books"), ("host", "guests", "Its publications")],
        ),
        (
            "The guest was presented with the library's electronic publications, and she, in turn, presented books "
            "published by the National Library of Estonia.",
            [
                ("host", "guest", "Library's electronic publications"),
                ("guest", "host", "Books published by the National Library of Estonia"),
            ],
        ),
        # the host as the giver of "presented … to the guests"; a pronoun receiver without "with"
        (
            "At the end of the meeting, the guests presented their publications to the library, and the library "
            "presented its publications to the guests.",
            [("guests", "host", "Their publications"), ("host", "guests", "Its publications")],
        ),
        (
            'The director of the library Mayil Ahmadov thanked the guest for the books and presented her the album "Baku".',
            [("Mayil Ahmadov", "guest", "Album")],
        ),
        # a time adjunct before the subject of two predicates of giving and receiving
        (
            'At the end of the meeting, the guest presented to the library her book "Tallinn", and received the album '
            '"Baku" as a gift.',
            [("guest", "host", "Her book"), ("host", "guest", "Album")],
        ),
        (
            'At the end of the meeting the guests presented the library with books and received in return the album "Baku".',
            [("guests", "host", "Books"), ("host", "guests", "Album")],
        ),
        # a thing presented with no receiver, by the guest: to the host
        (
            "The guest presented a book on the manuscripts of the Estonian national library, and Mayil Ahmadov gave "
            "her books on Azerbaijani history.",
            [
                ("guest", "host", "Book on the manuscripts of the Estonian national library"),
                ("Mayil Ahmadov", "guest", "Books on Azerbaijani history"),
            ],
        ),
        (
            "The guest presented the library with books on literature, history and art.",
            [("guest", "host", "Books on literature, history and art")],
        ),
    ],
)
def test_gifts_in_common_phrasings(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _gifts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # nothing handed over, though the words are near
        "They got acquainted with the reading halls, and were given a tour of the exhibition.",
        "The library staff told about the fund, and were presented with nothing new.",
        "The guest brought greetings from her colleagues as a gift of friendship.",
        "The library presented its guests with information about the electronic catalogue.",
        "The guest, in turn, presented her new projects.",
        # a book presented to an audience, a service shown
        "The guest presented her new book about Tallinn to the readers.",
        "The guest presented a new book at the conference.",
        # gifts of before, shown; the host introduced; electronic resources shown
        "The guest got acquainted with the books presented to the library by foreign guests.",
        "The guest was shown the books donated to the library by Estonian authors.",
        "The guest was shown the exhibition of books presented to the library by the President.",
        "The library was presented to the guests.",
        "The guests were presented with the library's new electronic resources.",
        "The guest presented a report on the digitization of manuscripts.",
        "The library presented the new electronic catalogue to the guests.",
        "Head of the department Rauf Guliyev presented the library's new digital collections to the guests.",
        "The guest in turn presented the digital platform of her library to the staff.",
    ],
)
def test_no_gift_where_nothing_is_handed_over(text: str) -> None:
    assert _gifts(text) == []


# --- a firm named after its kind word, then a person ------------------------------------------------------------

_PEOPLE_ORGS = "On July 15, 2051, {} visited the Presidential Library."


@pytest.mark.parametrize(
    ("who", "person", "org"),
    [
        # the firm's name, then the person's with a particle
        (
            "Managing Director of the publishing house Edition Morgenland Friederike von Allmen",
            "Friederike von Allmen",
            "Edition Morgenland",
        ),
        (
            "Managing Director of the publishing house Edition Morgenland (Germany) Dr. Friederike von Allmen",
            "Friederike von Allmen",
            "Edition Morgenland",
        ),
        # a firm's name in its own language ("Editura", "Edition" lead it)
        ("Director of the publishing house Editura Humanitas Ion Popescu", "Ion Popescu", "Editura Humanitas"),
        ("Director of Éditions du Caucase Hélène Marchetti-Roux", "Hélène Marchetti-Roux", "Éditions du Caucase"),
        # a foundation named in its own language, with "pour le"
        (
            "Director of the Fondation Orient-Occident pour le Livre Jean-Baptiste Lefèvre-Duchamp",
            "Jean-Baptiste Lefèvre-Duchamp",
            "Fondation Orient-Occident pour le Livre",
        ),
        ("Director of the Fundación Carolina María López", "María López", "Fundación Carolina"),
        # the name first, then the title with the firm's kind and a place adjective
        (
            "Giancarlo De Santis, head of the Florentine publishing house Casa Editrice Lumen Orientis,",
            "Giancarlo De Santis",
            "Casa Editrice Lumen Orientis",
        ),
        ("Director of the Istanbul company Kitap Yayın Ahmet Kaya", "Ahmet Kaya", "Kitap Yayın"),
        # a firm named after its kind is drafted whatever its words
        (
            "the director of sales for the Caucasus and Central Asia of the publishing house Springer Nature "
            "Hendrik-Jan van der Meulen",
            "Hendrik-Jan van der Meulen",
            "Springer Nature",
        ),
        ("Director of the company Caspian Media Group Leyla Aliyeva", "Leyla Aliyeva", "Caspian Media Group"),
    ],
)
def test_a_firm_after_its_kind_word_then_a_person(
    who: str, person: str, org: str, repo_draft_context: DraftContext
) -> None:

    d = _draft(_PEOPLE_ORGS.format(who), repo_draft_context)
    assert _people(d.attendees) == [(person, True)]
    assert _orgs(d) == [(org, True)]


def test_a_firm_named_alone_after_its_kind_word_is_no_person(repo_draft_context: DraftContext) -> None:

    d = _draft(_PEOPLE_ORGS.format("the representatives of the publishing house Springer Nature"), repo_draft_context)
    assert _people(d.attendees) == []
    assert _orgs(d) == [("Springer Nature", True)]


def test_a_title_field_after_for_then_a_person() -> None:

    text = "the Rector of Tallinn University Tõnu Viik and Vice-Rector for Research Katrin Saks visited the library."
    assert [p.name for p in find_people(text)] == ["Tõnu Viik", "Katrin Saks"]
    assert [p.name for p in find_people("the Minister for Electronic Affairs visited the library.")] == []


def test_a_gift_to_a_guests_library_comes_from_the_host() -> None:
    assert _gifts(
        "At the end of the meeting, books about the history of Azerbaijan were donated to the library of the "
        "Cultural Center."
    ) == [("host", "the library of the Cultural Center", "Books about the history of Azerbaijan")]
    assert _gifts("Books about Estonia were presented to the library.") == [("guests", "host", "Books about Estonia")]


# --- host staff in later sentences ------------------------------------------------------------------------------

_H = "On June 18, 2051, Director of the National Library of Estonia Kairi Lepp visited the Presidential Library. "


@pytest.mark.parametrize(
    ("later", "host"),
    [
        (
            "During the meeting, the library's chief bibliographer Sevda Aliyeva spoke about the catalogue.",
            "Sevda Aliyeva",
        ),
        ("The library's staff member Tural Babayev gave a tour of the reading halls.", "Tural Babayev"),
        (
            "Information about the library was given by Aynur Karimova, head of the reader services department.",
            "Aynur Karimova",
        ),
        ("Employee of the library Farid Hasanov acquainted the guest with the exhibition.", "Farid Hasanov"),
    ],
)
def test_host_staff_named_in_a_later_sentence(later: str, host: str, repo_draft_context: DraftContext) -> None:

    d = _draft(_H + later, repo_draft_context)
    assert _people(d.contributors) == [(host, True)]
    assert [n for n, _ in _people(d.attendees)] == ["Kairi Lepp"]


def test_staff_who_bring_a_reader_what_they_ask_for_are_hosts(repo_draft_context: DraftContext) -> None:

    d = _draft(
        _H + "Aytan Karimova, head of the Periodicals sector, brought out for her newspapers of 1918 from the "
        "library's collection.",
        repo_draft_context,
    )
    assert _people(d.contributors) == [("Aytan Karimova", True)]
    d = _draft(
        _H + "Anna Smith, head of the rare books department of the British Library, brought her a letter.",
        repo_draft_context,
    )
    assert _people(d.contributors) == []


def test_a_guests_own_librarys_staff_stay_guests(repo_draft_context: DraftContext) -> None:

    d = _draft(_H + "She was accompanied by her library's chief bibliographer Anu Tamm.", repo_draft_context)
    assert _people(d.contributors) == []
    assert [n for n, _ in _people(d.attendees)] == ["Anu Tamm", "Kairi Lepp"]
    d = _draft(
        _H + "She was accompanied by the head of the library's foreign relations department Anu Tamm.",
        repo_draft_context,
    )
    assert _people(d.contributors) == []
    assert [n for n, _ in _people(d.attendees)] == ["Anu Tamm", "Kairi Lepp"]


# --- guests named in the sentence after a visit of nameless guests ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "On June 18, 2051, guests from Estonia visited the Presidential Library. Director of the National Library of "
        "Estonia Kairi Lepp got acquainted with the library's activity.",
        "On June 18, 2051, Estonian guests visited the Presidential Library. Director of the National Library of "
        "Estonia Kairi Lepp got acquainted with the library's activity.",
        "On June 18, 2051, the Presidential Library hosted Estonian guests. Kairi Lepp, Director of the National "
        "Library of Estonia, got acquainted with the library's activity.",
    ],
)
def test_nameless_guests_named_in_the_next_sentence(text: str, repo_draft_context: DraftContext) -> None:

    d = _draft(text, repo_draft_context)
    assert _people(d.attendees) == [("Kairi Lepp", True)]
    assert _orgs(d) == [("National Library of Estonia", True)]


def test_nameless_foreign_guests_with_only_host_staff_after_are_no_visit(repo_draft_context: DraftContext) -> None:

    with pytest.raises(BadParameter, match="does not read as a visit"):
        _draft(
            "On June 18, 2051, foreign guests visited the Presidential Library. The director of the library Mayil "
            "Ahmadov told them about the library.",
            repo_draft_context,
        )


# --- bodies in lists and brackets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "people", "orgs"),
    [
        (
            "Kairi Lepp from the National Library of Estonia and Mari Sarv from the Estonian Literary Museum",
            ["Kairi Lepp", "Mari Sarv"],
            ["Estonian Literary Museum", "National Library of Estonia"],
        ),
        (
            "the staff of the National Library of Estonia and Tallinn University",
            [],
            ["National Library of Estonia", "Tallinn University"],
        ),
        # one body with "and" in its name stays one
        (
            "a delegation of the University of Science and Technology of Hong Kong",
            [],
            ["University of Science and Technology of Hong Kong"],
        ),
        (
            "a delegation of students of the School of Public and International Affairs of ADA University",
            [],
            ["ADA University", "School of Public and International Affairs of ADA University"],
        ),
        # a title before the name, the body in brackets after it
        ("researcher Mari Kask (Tartu University)", ["Mari Kask"], ["Tartu University"]),
        ("Professor Mari Kask (University of Tartu)", ["Mari Kask"], ["University of Tartu"]),
        ("writer Jaan Kross (Estonia)", ["Jaan Kross"], []),
    ],
)
def test_bodies_in_lists_and_brackets(
    who: str, people: list[str], orgs: list[str], repo_draft_context: DraftContext
) -> None:

    d = _draft(_PEOPLE_ORGS.format(who), repo_draft_context)
    assert [n for n, _ in _people(d.attendees)] == people
    assert [n for n, _ in _orgs(d)] == orgs


# --- one guest named in the sentence after the visit's ----------------------------------------------------------


def test_a_guest_from_a_country_named_in_the_next_sentence(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On December 10, 2054, the Presidential Library hosted a guest from Austria. Deputy Director General of the "
        "Austrian National Library Christoph Überacker got acquainted with the reading halls.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Christoph Überacker", True)]
    assert _orgs(d) == [("Austrian National Library", True)]


def test_an_ambassador_named_next_with_the_one_embassy_of_the_item(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On January 21, 2054, the Presidential Library was visited by the Ambassador of the Kingdom of the "
        "Netherlands to Azerbaijan. Ambassador Pieter-Jan van den Bosch got acquainted with the library's stocks. "
        "The ambassador presented the library with books on behalf of the Embassy of the Kingdom of the Netherlands.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Pieter-Jan van den Bosch", True)]
    assert _orgs(d) == [("Embassy of the Kingdom of the Netherlands", True)]


def test_an_uzbek_apostrophe_stays_inside_a_name(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On August 5, 2054, head of the department of libraries of the Ministry of Culture of Uzbekistan Otabek "
        "Yo‘ldoshev visited the Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Otabek Yo‘ldoshev", True)]


def test_the_person_an_event_is_about_did_not_visit(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On June 17, 2054, Professor of the Jagiellonian University Tomasz Wiśniewski, who is in Baku to take part "
        "in a symposium on Nizami Ganjavi, visited the Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Tomasz Wiśniewski", True)]
    d = _draft(
        "On February 3, 2054, participants of the Baku forum on the information society Stuart Hamilton and Irina "
        "Trouchina met the staff of the Presidential Library.",
        repo_draft_context,
    )
    assert len(_people(d.attendees)) == 2  # the forum's subject is lower-case: the guests after it are read


def test_a_regional_scope_after_an_acronym_is_the_title_s() -> None:

    assert split_descriptor("Regional Director of OCLC for Eastern Europe and the CIS") == (
        "Regional Director for Eastern Europe and the CIS",
        "OCLC",
    )
    assert split_descriptor("Regional Director of OCLC for Türkiye, Azerbaijan and Central Asia")[1] == "OCLC"
    assert split_descriptor("Director of the Institute for Central Asia") == ("Director", "Institute for Central Asia")


def test_a_unit_named_by_its_work_in_a_delegation_is_the_delegations(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On September 30, 2054, the Presidential Library hosted a delegation of the National Library of Finland. "
        "The delegation was headed by the director Kristiina Hormia and included the head of the Digitisation "
        "Centre Ruta Petrauskiene.",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.attendees)] == ["Kristiina Hormia", "Ruta Petrauskiene"]
    assert [n for n, _ in _orgs(d)] == ["National Library of Finland"]


@pytest.mark.parametrize(
    ("text", "visitors", "hosts"),
    [
        (
            "On June 18, 2051, the Presidential Library's deputy director Leyla Huseynova met with Kairi Lepp, "
            "Director of the National Library of Estonia.",
            ["Kairi Lepp"],
            ["Leyla Huseynova"],
        ),
        (
            "On June 18, 2051, Kairi Lepp, Director of the National Library of Estonia, met with deputy director of "
            "the library Leyla Huseynova.",
            ["Kairi Lepp"],
            ["Leyla Huseynova"],
        ),
        # "and deputy director of the library Y" in the guests' list: the guests' library
        (
            "On June 18, 2051, Kairi Lepp, Director of the National Library of Estonia, and deputy director of the "
            "library Anu Tamm visited the Presidential Library.",
            ["Anu Tamm", "Kairi Lepp"],
            [],
        ),
    ],
)
def test_host_titles_in_the_visit_sentence(
    text: str, visitors: list[str], hosts: list[str], repo_draft_context: DraftContext
) -> None:

    d = _draft(text, repo_draft_context)
    assert [n for n, _ in _people(d.attendees)] == visitors
    assert [n for n, _ in _people(d.contributors)] == hosts


@pytest.mark.parametrize(
    ("who", "person", "orgs"),
    [
        # an own-language name that ends with its country, then the person
        (
            "Deputy Director of the Bibliothèque nationale de France Jean-Baptiste Lefèvre",
            "Jean-Baptiste Lefèvre",
            ["Bibliothèque nationale de France"],
        ),
        # a surname with a capitalised particle after a place
        (
            "Director of the University Library of Bologna Francesca De Santis",
            "Francesca De Santis",
            ["University Library of Bologna"],
        ),
        # a publisher's kind word inside the run after 'the publishing house'
        (
            "General Manager of the Istanbul publishing house Kültür Yayınları Ayşe Gül Öztürk",
            "Ayşe Gül Öztürk",
            ["Kültür Yayınları"],
        ),
        # a second title right before the name is no part of the body
        (
            "Head of the Institute of Oriental Studies of the University of Munich Professor Karl-Heinz Müller",
            "Karl-Heinz Müller",
            ["Institute of Oriental Studies of the University of Munich", "University of Munich"],
        ),
    ],
)
def test_the_end_of_a_body_and_the_start_of_a_name(
    who: str, person: str, orgs: list[str], repo_draft_context: DraftContext
) -> None:

    d = _draft(_PEOPLE_ORGS.format(who), repo_draft_context)
    assert [n for n, _ in _people(d.attendees)] == [person]
    assert sorted(n for n, _ in _orgs(d)) == sorted(orgs)


def test_a_day_of_the_calendar_is_no_person(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On World Book and Copyright Day, April 23, 2056, President of the Russian State Library Alexander Visliy "
        "visited the Presidential Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.attendees)] == ["Alexander Visliy"]


@pytest.mark.parametrize(
    ("text", "visitors", "orgs"),
    [
        (
            "On June 18, 2051, Kairi Lepp (Director, National Library of Estonia) visited the Presidential Library.",
            ["Kairi Lepp"],
            ["National Library of Estonia"],
        ),
        ("On June 18, 2051, Kairi Lepp (Tallinn, Estonia) visited the Presidential Library.", ["Kairi Lepp"], []),
        (
            "On June 18, 2051, a delegation of the National Library of Estonia visited the Presidential Library. The "
            "delegation members were Kairi Lepp, Anu Tamm and Mari Kask.",
            ["Anu Tamm", "Kairi Lepp", "Mari Kask"],
            ["National Library of Estonia"],
        ),
        (
            "On June 18, 2051, a delegation of the National Library of Estonia visited the Presidential Library. "
            "Members of the delegation were director Kairi Lepp and her deputy Anu Tamm.",
            ["Anu Tamm", "Kairi Lepp"],
            ["National Library of Estonia"],
        ),
    ],
)
def test_members_listed_and_a_title_with_its_body_in_brackets(
    text: str, visitors: list[str], orgs: list[str], repo_draft_context: DraftContext
) -> None:

    d = _draft(text, repo_draft_context)
    assert [n for n, _ in _people(d.attendees)] == visitors
    assert [n for n, _ in _orgs(d)] == orgs


def test_who_receives_a_guests_gift_and_whom_a_guest_presents_with_are_hosts(repo_draft_context: DraftContext) -> None:

    d = _draft(
        _H + "The guest handed over to Nigar Hasanova, head of the acquisitions department, a set of Estonian books.",
        repo_draft_context,
    )
    assert _people(d.contributors) == [("Nigar Hasanova", True)]
    assert [g["host_gives"] for g in d.gifts] == [False]
    d = _draft(_H + "The guest presented deputy director Leyla Huseynova with her book.", repo_draft_context)
    assert [g["host_gives"] for g in d.gifts] == [False]
    d = _draft(
        _H + "The guest was presented with a set of stamps dedicated to Nizami Ganjavi.",
        repo_draft_context,
    )
    assert _people(d.contributors) == []


def test_a_meeting_also_attended_by_a_guest(repo_draft_context: DraftContext) -> None:

    d = _draft(
        _H + "The meeting was also attended by the Ambassador of Estonia to Azerbaijan Mart Laar.", repo_draft_context
    )
    assert [n for n, _ in _people(d.attendees)] == ["Kairi Lepp", "Mart Laar"]
