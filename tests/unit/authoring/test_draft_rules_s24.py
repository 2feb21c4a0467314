"""Drafting rules of session 24 (issue 16): the same item in another surface form reads the same.

Found by rewriting development items in ways an editor does without changing what they say (a staff title written
in capitals, an Oxford comma, a title before a name, quotation marks of another language) and drafting both forms.
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext

_V = "On March 3, 2026, Director of the National Library of Estonia Kairi Lepp visited the Presidential Library. "


# --- host staff with a title in capitals after the name ------------------------------------------------------------


@pytest.mark.parametrize(
    "later",
    [
        "Fuad Jafarov, head of the electronic library department, told the guest about the library's resources.",
        "Fuad Jafarov, Head of the electronic library department, told the guest about the library's resources.",
        "Fuad Jafarov, Head of the library's electronic library department, told the guest about its resources.",
        "Fuad Jafarov, Deputy Director of the library, told the guest about the library's resources.",
        "Fuad Jafarov, Director of the Presidential Library, told the guest about the library's resources.",
        "Fuad Jafarov, Chief Librarian, showed the guest the reading halls.",
    ],
)
def test_a_staff_title_after_the_name_in_either_case(later: str, repo_draft_context: DraftContext) -> None:

    d = _draft(_V + later, repo_draft_context)
    assert [n for n, _ in _people(d.contributors)] == ["Fuad Jafarov"]
    assert [n for n, _ in _people(d.attendees)] == ["Kairi Lepp"]


def test_another_institutions_director_in_capitals_is_no_host(repo_draft_context: DraftContext) -> None:

    d = _draft(
        _V + "Jaan Tamm, Director of the Estonian Literary Museum, told the guests about its archive.",
        repo_draft_context,
    )
    assert _people(d.contributors) == []


# --- the author of a gift is no host ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "later",
    [
        'At the end of the meeting, the guest was presented with the book "Khamsa" by Nizami Ganjavi.',
        "The guest was presented with a novel by Chingiz Abdullayev.",
        "The guest was presented with a collection of poems written by Samad Vurgun.",
    ],
)
def test_the_author_of_a_gift_is_no_host(later: str, repo_draft_context: DraftContext) -> None:

    d = _draft(_V + later, repo_draft_context)
    assert _people(d.contributors) == []
    assert [g["host_gives"] for g in d.gifts] == [True]


def test_a_giver_with_a_title_after_by_is_the_host(repo_draft_context: DraftContext) -> None:

    d = _draft(_V + "The guests were in turn given the album by chief bibliographer Sevda Aliyeva.", repo_draft_context)
    assert [n for n, _ in _people(d.contributors)] == ["Sevda Aliyeva"]


# --- bodies ----------------------------------------------------------------------------------------------------------


def test_a_branch_named_by_its_place_is_a_body(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On February 6, 2057, a delegation of students of the Baku Branch of Lomonosov Moscow State University "
        "visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Baku Branch of Lomonosov Moscow State University", True)]
    d = _draft(
        "On February 6, 2057, Director of the Regional Branch of the National Library of Estonia Olga Belova visited "
        "the Presidential Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["National Library of Estonia"]


def test_the_hosts_director_vouches_for_no_guests_library(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On March 27, 2057, Deputy Director of the Library of the Russian Academy of Sciences Olga Belova visited "
        "the Presidential Library. Director of the library Mayil Ahmadov spoke about the funds of the library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["Library of the Russian Academy of Sciences", "Russian Academy of Sciences"]
    assert [n for n, _ in _people(d.contributors)] == ["Mayil Ahmadov"]


# --- quotation marks and honorifics of other styles ------------------------------------------------------------------


@pytest.mark.parametrize("quoted", ['"{}"', "“{}”", "«{}»", "„{}“"])
def test_a_gifts_title_in_any_quotation_marks_is_one_gift(quoted: str, repo_draft_context: DraftContext) -> None:

    title = quoted.format("Lithuania: History and Culture")
    d = _draft(_V + f"The guest presented the library with the book {title}.", repo_draft_context)
    assert [(g["name"], g["host_gives"]) for g in d.gifts] == [("Lithuania: History and Culture", False)]


def test_a_bodys_name_in_guillemets_keeps_them(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On April 9, 2032, Director of the National Library of Bulgaria «St. St. Cyril and Methodius» Krasimira "
        "Dimitrova visited the Presidential Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["National Library of Bulgaria «St. St. Cyril and Methodius»"]


@pytest.mark.parametrize(
    ("visit", "org"),
    [
        ("Director of the University Library of Bologna Dr. Giulia Ferrari", "University Library of Bologna"),
        ("President of the Library Association of Latvia Dr. Līga Bērziņa", "Library Association of Latvia"),
        (
            "Deputy Head of the National Library and Archives of Iran Dr. Mohammad Rezaei",
            "National Library and Archives of Iran",
        ),
        ("Vice-Chancellor of the University of the Punjab Prof. Dr. Tariq Mehmood Qureshi", "University of the Punjab"),
    ],
)
def test_an_honorific_between_a_body_and_a_name(visit: str, org: str, repo_draft_context: DraftContext) -> None:

    d = _draft(f"On April 26, 2028, {visit} visited the Presidential Library.", repo_draft_context)
    assert [n for n, _ in _orgs(d)] == [org]
    assert len(_people(d.attendees)) == 1


def test_a_gift_by_an_honoured_author_reads_in_one_space(repo_draft_context: DraftContext) -> None:

    d = _draft(
        _V + "The guest presented the library with a monograph of Prof. Dr. Ali Kaya on manuscripts.",
        repo_draft_context,
    )
    assert [g["description"] for g in d.gifts] == ["Monograph of Ali Kaya on manuscripts"]


# --- the host's staff under another spelling -----------------------------------------------------------------------

_K = (
    "On November 5, 2026, the Presidential Library received Gulzat Abdyrakhmanova, Director General of the National "
    "Library of the Kyrgyz Republic. "
)


@pytest.mark.parametrize("name", ["Mayil Ahmadov", "Mayil Akhmedov", "Mayıl Əhmədov", "M. Akhmedov"])
def test_the_director_under_any_spelling_acting_alone_is_the_host(name: str, repo_draft_context: DraftContext) -> None:

    d = _draft(_K + f"{name} acquainted the guest with the library's activity.", repo_draft_context)
    assert _people(d.contributors) == [("Mayil Ahmadov", False)]
    assert [n for n, _ in _people(d.attendees)] == ["Gulzat Abdyrakhmanova"]


# --- the host's full name, serial commas ---------------------------------------------------------------------------


def test_a_gift_after_the_hosts_full_official_name(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On May 6, 2026, Cultural Attaché of the Embassy of Japan in Azerbaijan Haruto Sakamoto visited the Presidential "
        "Library of the Administrative Department of the President of the Republic of Azerbaijan and donated to the "
        "library books on Japanese literature.",
        repo_draft_context,
    )
    assert [(g["description"], g["host_gives"]) for g in d.gifts] == [("Books on Japanese literature", False)]


def test_a_second_predicate_of_giving_after_a_comma(repo_draft_context: DraftContext) -> None:

    d = _draft(
        _V + "The guest got acquainted with the rare books fund, and presented his monograph "
        '"The Turkic Press of the Caucasus" to the library.',
        repo_draft_context,
    )
    assert [(g["name"], g["host_gives"]) for g in d.gifts] == [("The Turkic Press of the Caucasus", False)]


def test_a_serial_comma_in_a_title_keeps_the_body(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On August 18, 2026, Kunslu Isinova, head of the social, humanitarian, and educational projects service of the "
        "Library of the First President of the Republic of Kazakhstan, visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [
        ("Library of the First President of the Republic of Kazakhstan – the Leader of the Nation", False)
    ]


def test_a_serial_comma_in_a_list_of_guests(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On August 18, 2026, Kairi Lepp, Jaan Tamm, and Mari Kask of the National Library of Estonia visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.attendees)] == ["Jaan Tamm", "Kairi Lepp", "Mari Kask"]


# --- the guests as "the members of the delegation"; titles in capitals in gift clauses; hyphens as dashes ------------


def test_the_members_of_the_delegation_receive_and_give(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On June 25, 2031, a delegation of the National Library of Estonia headed by Kairi Lepp visited the "
        "Presidential Library. The library's fund received from the members of the delegation a facsimile of a "
        "Gospel. The Presidential Library, in turn, gave the members of the delegation the album “Baku”. At the end, "
        'the members of the delegation were presented with the book "Khamsa" by Nizami Ganjavi.',
        repo_draft_context,
    )
    assert [g["host_gives"] for g in d.gifts] == [False, True, True]
    assert [n for n, _ in _people(d.attendees)] == ["Kairi Lepp"]


@pytest.mark.parametrize("title", ["director", "Director"])
def test_the_hosts_gift_told_after_a_name_in_apposition(title: str, repo_draft_context: DraftContext) -> None:

    d = _draft(
        _V + f"The guest presented the library with her new book, and Mayil Ahmadov, {title} of the library, presented "
        "the guest with the album “Azerbaijan”.",
        repo_draft_context,
    )
    assert [g["host_gives"] for g in d.gifts] == [False, True]
    d = _draft(
        _V + f"Mayil Ahmadov, {title} of the library, thanked the guest and in his turn handed her the electronic "
        'edition "Azerbaijan".',
        repo_draft_context,
    )
    assert [g["host_gives"] for g in d.gifts] == [True]


def test_a_hyphen_between_spaces_is_a_dash_in_a_bodys_name(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On October 16, 2046, Deputy Director General of the Berlin State Library - Prussian Cultural Heritage Dr. "
        "Hans-Joachim von Reitzenstein visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Berlin State Library – Prussian Cultural Heritage", True)]
    assert _people(d.attendees) == [("Hans-Joachim von Reitzenstein", True)]


def test_a_companion_with_a_title_in_capitals_of_another_body_is_a_guest(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "Aleksandr Vislyi, President of the Russian State Library (RGB), was at the Presidential Library on April 23, "
        "2030. Accompanied by Marina Sokolova, Head of the Department of Electronic Resources of the RGB, he met with "
        "director Mayil Ahmedov.",
        repo_draft_context,
    )
    assert "Marina Sokolova" in [n for n, _ in _people(d.attendees)]
    assert _people(d.contributors) == [("Mayil Ahmadov", False)]


# --- what institutions hand each other; visits told in other words before a gift -------------------------------------


@pytest.mark.parametrize(
    "later",
    [
        "Kairi Lepp handed over to the library the proceedings of the congress.",
        "The guest spoke about the association's plans and handed over to the library the association's yearbook.",
    ],
)
def test_proceedings_and_yearbooks_are_things_handed_over(later: str, repo_draft_context: DraftContext) -> None:

    d = _draft(_V + later, repo_draft_context)
    assert [g["host_gives"] for g in d.gifts] == [False]


def test_telling_is_still_no_gift(repo_draft_context: DraftContext) -> None:

    d = _draft(
        _V + "The director gave the guest detailed information about the documents of the library.", repo_draft_context
    )
    assert d.gifts == []


@pytest.mark.parametrize(
    "visit",
    [
        "visited the Presidential Library in Baku and presented it with his book on Nizami Ganjavi",
        "paid a working visit to the Presidential Library and presented it with his book on Nizami Ganjavi",
        "visited the Presidential Library once more and donated to the library his book on Nizami Ganjavi",
    ],
)
def test_a_gift_after_a_visit_told_in_other_words(visit: str, repo_draft_context: DraftContext) -> None:

    d = _draft(f"On January 22, 2029, Professor of the University of Naples Marco Bellini {visit}.", repo_draft_context)
    assert [(g["description"], g["host_gives"]) for g in d.gifts] == [("His book on Nizami Ganjavi", False)]


def test_the_visitors_receive_as_the_guests_do(repo_draft_context: DraftContext) -> None:

    d = _draft(
        _V + "The Presidential Library, in turn, gave the visitors the album “Azerbaijani miniatures”.",
        repo_draft_context,
    )
    assert [(g["name"], g["host_gives"]) for g in d.gifts] == [("Azerbaijani miniatures", True)]


# --- dev55/dev56 rounds: fellows and presses, a draft discussed after a recalled memorandum, a signing that ends a
# --- meeting, "Dr. hab.", a host's department in capitals beside the host -------------------------------------------


def test_a_research_fellow_at_a_body(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On 14 March 2059, Tom Harris, Research Fellow at SOAS University of London, visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("SOAS University of London", True)]


def test_a_university_press_is_a_body_not_a_name(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On 14 March 2059, Regional Sales Director of Oxford University Press Rebecca Ashworth-Lyle visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Rebecca Ashworth-Lyle", True)]
    assert _orgs(d) == [("Oxford University Press", True)]


def test_a_draft_discussed_after_a_recalled_memorandum(repo_draft_context: DraftContext) -> None:

    d = _draft(
        _V
        + "The sides recalled the memorandum of understanding signed between the two libraries in 2019 and discussed "
        "the draft of a memorandum on the exchange of electronic copies.",
        repo_draft_context,
    )
    assert d.agreements == [("Draft memorandum on the exchange of electronic copies", False)]
    d = _draft(
        _V
        + "The sides recalled the memorandum signed between the two libraries in 2019 and discussed its implementation.",
        repo_draft_context,
    )
    assert d.agreements == []


def test_a_meeting_that_ended_with_a_signing(repo_draft_context: DraftContext) -> None:

    d = _draft(
        _V + "The meeting ended with the signing of a memorandum of understanding between the two institutions.",
        repo_draft_context,
    )
    assert d.agreements == [("Memorandum of understanding between the two institutions", True)]
    assert _draft(_V + "The meeting ended with a tour of the library.", repo_draft_context).agreements == []


def test_a_polish_habilitation_before_a_name(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On October 9, 2058, Director of the Jagiellonian Library, the main library of the Jagiellonian University in "
        "Kraków, Dr. hab. Katarzyna Wójcik-Nowak and head of the Digitization Department of the library Piotr Zieliński "
        "visited the Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Katarzyna Wójcik-Nowak", True), ("Piotr Zieliński", True)]
    assert _people(d.contributors) == []


@pytest.mark.parametrize(
    "host",
    [
        "Director of the library Mayil Ahmadov and head of the Acquisition Department",
        "Director of the library Mayil Ahmadov and head of the acquisition department",
        "Mayil Ahmadov, director of the library, and head of the Acquisition Department",
    ],
)
def test_a_hosts_department_head_beside_the_host_in_the_visit_sentence(
    host: str, repo_draft_context: DraftContext
) -> None:

    d = _draft(
        f"On May 29, 2058, Kairi Lepp, director of the National Library of Estonia, met with {host} Könül Rzayeva.",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.contributors)] == ["Könül Rzayeva", "Mayil Ahmadov"]
    assert [n for n, _ in _people(d.attendees)] == ["Kairi Lepp"]


@pytest.mark.parametrize(
    ("later", "gifts"),
    [
        ("The guest handed over to the library some two hundred books and periodicals published in Estonia.", 1),
        ("The guest donated to the library more than 200 books and periodicals published in Estonia.", 1),
        ("The guest donated 50 books and a CD.", 2),
        ("The guest presented the library with books and an album.", 2),
    ],
)
def test_a_counted_collection_of_two_kinds_is_one_gift(
    later: str, gifts: int, repo_draft_context: DraftContext
) -> None:

    d = _draft(_V + later, repo_draft_context)
    assert [g["host_gives"] for g in d.gifts] == [False] * gifts


@pytest.mark.parametrize(
    ("later", "thing"),
    [
        (
            "Mr. Lepp got acquainted with the library's rare books fund and handed over to the library his latest book.",
            "His latest book",
        ),
        (
            "Kairi Lepp spoke about the projects of the library and handed over to the library the latest annual report "
            "of the CENL.",
            "Latest annual report of the CENL",
        ),
        (
            "The library's fund received from the visitors a facsimile edition of a Gospel.",
            "Facsimile edition of a Gospel",
        ),
    ],
)
def test_a_guests_gift_after_another_predicate(later: str, thing: str, repo_draft_context: DraftContext) -> None:

    d = _draft(_V + later, repo_draft_context)
    assert [(g["description"], g["host_gives"]) for g in d.gifts] == [(thing, False)]


def test_a_report_given_is_told_not_handed_over(repo_draft_context: DraftContext) -> None:

    assert _draft(_V + "The director gave the guest a report on the library's work.", repo_draft_context).gifts == []


def test_a_name_after_an_honorific_after_a_foreign_bodys_name(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On June 2, 2054, Director of the Fondation Orient-Occident pour le Livre Dr. Jean-Baptiste Lefèvre-Duchamp "
        "visited the Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Jean-Baptiste Lefèvre-Duchamp", True)]
    assert _orgs(d) == [("Fondation Orient-Occident pour le Livre", True)]


def test_an_honorific_in_a_delegations_list_after_a_title_with_commas(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On December 2, 2033, the delegation headed by Kairi Lepp, director of the National Library of Estonia, visited "
        "the Presidential Library. The delegation included the head of the Centre for Social, Humanitarian and "
        "Educational Projects of the same library Jaan Tamm and the chief specialist of its Rare Books Department Dr. "
        "Mari Kask. The guests were received by Director of the Presidential Library Mayil Ahmedov.",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.attendees)] == ["Jaan Tamm", "Kairi Lepp", "Mari Kask"]
    assert _people(d.contributors) == [("Mayil Ahmadov", False)]


def test_a_guests_gift_with_an_apposition_before_and_the_hosts(repo_draft_context: DraftContext) -> None:

    d = _draft(
        _V + 'At the end of the meeting, Kairi Lepp presented the library with the facsimile of the "Catechism" of '
        "Martynas Mažvydas, the first printed book in Lithuanian, and the guests were presented with the album "
        '"Azerbaijan Miniature Art" and kelaghayi.',
        repo_draft_context,
    )
    assert [g["host_gives"] for g in d.gifts] == [False, True, True]


def test_came_to_an_agreement_to_sign(repo_draft_context: DraftContext) -> None:

    d = _draft(
        _V + "The sides exchanged views on training and came to an agreement to sign a cooperation protocol on joint "
        "seminars.",
        repo_draft_context,
    )
    assert d.agreements == [("Agreement to sign a cooperation protocol on joint seminars", False)]


def test_a_known_unit_of_the_university_named_before(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On April 6, 2061, Rector of the Bilecik Şeyh Edebali University Professor Mustafa Serin and Head of the "
        "Library and Information Centre of the university Elif Demirtaş-Yıldız visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [
        ("Bilecik Sheikh Edebali University", False),
        ("Library and Information Centre of the Bilecik Sheikh Edebali University", False),
    ]
    d = _draft(
        "On April 6, 2061, Rector of the University of Tartu Jaan Tamm and Head of the Library and Information Centre "
        "of the university Mari Kask visited the Presidential Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["University of Tartu"]  # no unit the graph does not know is minted


@pytest.mark.parametrize(
    ("visit", "body"),
    [
        (
            "Chief Executive Officer of the Belgian academic publishing house Brabant Academic Press Jan Van der Straeten",
            "Brabant Academic Press",
        ),
        ("Director of the leading Turkish company Anka Yayın Ahmet Kaya", "Anka Yayın"),
    ],
)
def test_a_firm_after_its_kind_word_with_modifiers(visit: str, body: str, repo_draft_context: DraftContext) -> None:

    d = _draft(f"On January 15, 2061, {visit} visited the Presidential Library.", repo_draft_context)
    assert [n for n, _ in _orgs(d)] == [body]
    assert len(_people(d.attendees)) == 1


@pytest.mark.parametrize(
    ("visit", "second"),
    [
        (
            "OCLC's Regional Director Sinan Tan and Product Manager for WorldCat Johanna Lindqvist-Berg",
            "Johanna Lindqvist-Berg",
        ),
        (
            "OCLC regional coordinator Rein van Haldropin and OCLC business development manager for Eastern Europe "
            "Hendrik de Vries-Bakker",
            "Hendrik de Vries-Bakker",
        ),
    ],
)
def test_a_product_or_a_region_of_two_words_before_a_name(
    visit: str, second: str, repo_draft_context: DraftContext
) -> None:

    d = _draft(f"On September 11, 2059, {visit} visited the Presidential Library.", repo_draft_context)
    assert second in [n for n, _ in _people(d.attendees)]


def test_names_with_a_capital_inside_stay_names(repo_draft_context: DraftContext) -> None:

    d = _draft(
        "On September 11, 2059, Ian McLeod and Anna DeVries visited the Presidential Library.", repo_draft_context
    )
    assert [n for n, _ in _people(d.attendees)] == ["Anna DeVries", "Ian McLeod"]


# --- the bodies a visit sentence names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bodies"),
    [
        (  # "Press" heads a body, not a title
            "On 14 March 2059, Press Secretary of the Embassy of Estonia Kairi Lepp visited the Presidential Library.",
            ["Embassy of Estonia"],
        ),
        (  # a unit named by its work in a delegation of a named body is no body of its own
            "On October 22, 2059, a delegation of the National Library of Korea headed by Director General of the "
            "Library Cooperation Bureau Kim Seo-yeon visited the Presidential Library.",
            ["National Library of Korea"],
        ),
        (
            "On October 22, 2059, a delegation of the National Library of Korea headed by Head of the Manuscripts and "
            "Rare Books Centre Kim Seo-yeon visited the Presidential Library.",
            ["National Library of Korea"],
        ),
        (  # ... but a regional centre is one
            "On October 22, 2059, Director of the Regional Library Centre Kim Seo-yeon visited the Presidential Library.",
            ["Regional Library Centre"],
        ),
        (  # a body named after someone ends at its eponym when the body it belongs to follows
            "On January 20, 2051, a group of young researchers of the Institute of Manuscripts named after Muhammad "
            "Fuzuli of the Azerbaijan National Academy of Sciences visited the Presidential Library.",
            ["Azerbaijan National Academy of Sciences", "Institute of Manuscripts named after Muhammad Fuzuli"],
        ),
    ],
)
def test_the_bodies_a_visit_sentence_names(text: str, bodies: list[str], repo_draft_context: DraftContext) -> None:

    assert [n for n, _ in _orgs(_draft(text, repo_draft_context))] == bodies
