"""What an adversarial review of session 25's drafting rules found (`git diff 39a197e -- src/visitgraph/authoring
src/visitgraph/core/places.py`): a city that ends an institution's name before its own qualifier, German names with
"zu" and compounds, a number after a name, a given name that is a common plural, Turkic patronymics read again
later, a handing-over told twice, companions and later givers, a recalled agreement and a new one, firms and fields.

Every input is a sentence of our own in the genre. Each case asserts the right reading. Each says in a comment whether
the same input read right before session 25 (checked against 39a197e: "regression") or was wrong before too ("wrong
before too"). All 40 failed on the rules the review was given (8901671); the 13 regressions and 11 of the others
were fixed the same session, and one more at its end (given names from ``faker`` instead of "any four words after
a city", the handing-over told twice only for the same things, the host's staff never a later giver, …; decision
0091). The 15 still open are strict
xfails: they fail now, and a fix must remove the mark.
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import Draft, DraftContext

_DATE = "On April 9, 2031, "
_END = " visited the Presidential Library."
_V = _DATE + "Director of the National Library of Estonia Kairi Lepp" + _END + " "
_D = _DATE + "the delegation headed by Kairi Lepp, director of the National Library of Estonia" + _END + " "
_K = _DATE + "Director of the National Library of Kyrgyzstan Nurlan Bakyt uulu" + _END + " "
_HANDOVER = (
    "On March 2, 2031 the handing over of the books presented to the Presidential Library by the Embassy of Poland in "
    "Azerbaijan was held. "
)
_P = (
    "On March 2, 2031, Ambassador of Poland in Azerbaijan Tomasz Nowak visited the Presidential Library and presented "
    "books on Polish history to the library. "
)


def _visitors(d: Draft) -> list[str]:
    return [n for n, _ in _people(d.attendees)]


def _hosts(d: Draft) -> list[str]:
    return [n for n, _ in _people(d.contributors)]


# --- 1. a city that ends an institution's name (core/places.py, `_after_city`) ---------------------------------------


@pytest.mark.parametrize(
    ("opening", "org", "person"),
    [
        # regression: "Paris" is a city, so "Nanterre" went to the guest ("Nanterre Claire Dubois")
        (
            "professor of the University of Paris Nanterre Claire Dubois",
            "University of Paris Nanterre",
            "Claire Dubois",
        ),
        # regression: "Tor Vergata Marco Rossi" (up to four words after the city are taken for the person)
        (
            "professor of the University of Rome Tor Vergata Marco Rossi",
            "University of Rome Tor Vergata",
            "Marco Rossi",
        ),
        # regression: "Alpes Pierre Lefebvre"
        (
            "professor of the University of Grenoble Alpes Pierre Lefebvre",
            "University of Grenoble Alpes",
            "Pierre Lefebvre",
        ),
        # regression: "Sophia Antipolis Marie Dupont"
        (
            "professor of the University of Nice Sophia Antipolis Marie Dupont",
            "University of Nice Sophia Antipolis",
            "Marie Dupont",
        ),
        # regression: "Docklands Sarah Jones", the museum cut to "Museum of London"
        ("Director of the Museum of London Docklands Sarah Jones", "Museum of London Docklands", "Sarah Jones"),
        # wrong before too: "Uprising Jan Ołdakowski" and "Museum of the Warsaw"
        pytest.param(
            "Director of the Museum of the Warsaw Uprising Jan Ołdakowski",
            "Museum of the Warsaw Uprising",
            "Jan Ołdakowski",
            marks=pytest.mark.xfail(
                strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open"
            ),
        ),
    ],
)
def test_a_city_followed_by_its_own_qualifier_stays_in_the_name(
    opening: str, org: str, person: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(_DATE + opening + _END, repo_draft_context)
    assert _visitors(d) == [person]
    assert [n for n, _ in _orgs(d)] == [org]


# --- 2. German names: "zu" and compounds ("Staatsbibliothek", "Nationalbibliothek") ------------------------------------


@pytest.mark.parametrize(
    ("opening", "org", "person"),
    [
        # wrong before too: without "Dr." the guest is "Berlin Karl Weber" and the library "Staatsbibliothek zu"
        ("Director of the Staatsbibliothek zu Berlin Karl Weber", "Staatsbibliothek zu Berlin", "Karl Weber"),
        # wrong before too: "Berlin Anna Schmidt", "Humboldt-Universität zu"
        (
            "Professor of the Humboldt-Universität zu Berlin Anna Schmidt",
            "Humboldt-Universität zu Berlin",
            "Anna Schmidt",
        ),
        # wrong before too: "Berlin Marion Ackermann" and no museum ("Museen" is no compound the rule knows)
        pytest.param(
            "Director General of the Staatliche Museen zu Berlin Marion Ackermann",
            "Staatliche Museen zu Berlin",
            "Marion Ackermann",
            marks=pytest.mark.xfail(
                strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open"
            ),
        ),
        # wrong before too: the library's full name with its dash: the guest read "Preußischer Kulturbesitz Achim Bonte"
        pytest.param(
            "Director General of the Staatsbibliothek zu Berlin – Preußischer Kulturbesitz Achim Bonte",
            None,
            "Achim Bonte",
            marks=pytest.mark.xfail(
                strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open"
            ),
        ),
        # wrong before too: the draft fails ("does not read as a visit"): the compound after an adjective is no body
        pytest.param(
            "Director General of the Bayerische Staatsbibliothek Klaus Ceynowa",
            "Bayerische Staatsbibliothek",
            "Klaus Ceynowa",
            marks=pytest.mark.xfail(
                strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open"
            ),
        ),
    ],
)
def test_german_names_with_zu_and_compounds(
    opening: str, org: str | None, person: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(_DATE + opening + _END, repo_draft_context)
    assert _visitors(d) == [person]
    if org is not None:
        assert [n for n, _ in _orgs(d)] == [org]


# --- 3. Chargé d'Affaires, numbers after a name, plurals before one --------------------------------------------------


# wrong before too: "Temporary Chargé" is read as a second guest (the modifier before the title makes a name)
@pytest.mark.xfail(strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open")
def test_a_temporary_charge_d_affaires_is_a_title(repo_draft_context: DraftContext) -> None:
    d = _draft(_DATE + "Temporary Chargé d'Affaires of Japan in Azerbaijan Kenji Tanaka" + _END, repo_draft_context)
    assert _visitors(d) == ["Kenji Tanaka"]


# wrong before too: the number inside the name ("Paris 1") ends the university, so "Panthéon-Sorbonne" goes to the guest
@pytest.mark.xfail(strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open")
def test_a_number_inside_a_university_name(repo_draft_context: DraftContext) -> None:
    d = _draft(_DATE + "Professor of the Université Paris 1 Panthéon-Sorbonne Claire Martin" + _END, repo_draft_context)
    assert _visitors(d) == ["Claire Martin"]
    assert [n for n, _ in _orgs(d)] == ["Université Paris 1 Panthéon-Sorbonne"]


# regression: a count right after a name ("Mayil Ahmadov 15 books") is read as a numbered university's name
# ("Lyon 3"): the director is no longer found as the host
def test_a_count_after_a_name_is_no_numbered_university(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _V + "The guest presented to the director of the library Mayil Ahmadov 15 books about the history of Estonia.",
        repo_draft_context,
    )
    assert _hosts(d) == ["Mayil Ahmadov"]


# wrong before too: the receiver's name before the count goes into the gift ("Mayil Ahmadov 15 books about …")
@pytest.mark.xfail(strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open")
def test_a_receivers_name_before_a_count_is_no_part_of_the_gift(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _V + "The guest presented to the director of the library Mayil Ahmadov 15 books about the history of Estonia.",
        repo_draft_context,
    )
    assert [g["description"] for g in d.gifts] == ["15 books about the history of Estonia"]


# regression: "Miles" is a common plural ("mile"), so the guest lost his given name and the institute was lost too
def test_a_given_name_that_is_a_plural_noun_stays_the_guests(repo_draft_context: DraftContext) -> None:
    d = _draft(_DATE + "Director of the Goethe Institute Miles Henry Carter" + _END, repo_draft_context)
    assert _visitors(d) == ["Miles Henry Carter"]
    assert [n for n, _ in _orgs(d)] == ["Goethe Institute"]


# --- 4. Turkic patronymics ----------------------------------------------------------------------------------------------


# regression in part: "N. Bakyt uulu" later no longer fits "Nurlan Bakyt uulu" (its last word is "uulu"): a second
# guest; before, "N. Bakyt" fitted the one guest (though he was named "Nurlan Bakyt", without his patronymic)
def test_a_patronymic_name_with_an_initial_later_is_the_same_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _DATE
        + "the delegation headed by the director of the National Library of Kyrgyzstan Nurlan Bakyt uulu"
        + _END
        + " Head of the delegation N. Bakyt uulu informed the participants about the library.",
        repo_draft_context,
    )
    assert _visitors(d) == ["Nurlan Bakyt uulu"]


# wrong before too: the host's gift to a guest named with a patronymic is not read at all
@pytest.mark.xfail(strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open")
def test_a_gift_to_a_guest_named_with_a_patronymic(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _K + "At the end of the meeting, director of the library Mayil Ahmadov presented Nurlan Bakyt uulu with books "
        "about Azerbaijan.",
        repo_draft_context,
    )
    assert [g["host_gives"] for g in d.gifts] == [True]


# wrong before too: the surname after the patronymic was cut off ("Elchin Ali oglu"); fixed in session 25
def test_a_surname_after_the_patronymic_is_the_guests(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _DATE + "the delegation of the National Library of Azerbaijan headed by Elchin Ali oglu Mammadov" + _END,
        repo_draft_context,
    )
    assert _visitors(d) == ["Elchin Ali oglu Mammadov"]


# wrong before too: the companion rule misses a companion when both names carry a patronymic
def test_a_companion_of_a_guest_named_with_a_patronymic(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _DATE
        + "the delegation headed by the director of the National Library of Kyrgyzstan Nurlan Bakyt uulu"
        + _END
        + " N. Bakyt uulu and the head of the department of the Kyrgyz library Aigul Asan kyzy spoke about the library.",
        repo_draft_context,
    )
    assert _visitors(d) == ["Aigul Asan kyzy", "Nurlan Bakyt uulu"]


# --- 5. a handing-over told twice, and the later giver -----------------------------------------------------------------


# regression: the album handed over with the books is lost ("the books" is the gift told before, so the whole
# sentence is dropped); before, the books and the album were two gifts
def test_a_second_thing_handed_over_with_the_books_told_before_is_kept(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _HANDOVER + "First Secretary of the Embassy Tomasz Nowak handed over the books on Polish history and the album "
        "of Krakow to the director of the library Mayil Ahmadov.",
        repo_draft_context,
    )
    assert any("album" in g["description"].casefold() for g in d.gifts)


# regression: a later gift of other books ("the books of Polish poets translated into Azerbaijani") is read as the
# books told before, and dropped
def test_later_books_of_another_kind_are_a_second_gift(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On March 2, 2031, First Secretary of the Embassy of Poland in Azerbaijan Tomasz Nowak visited the Presidential "
        "Library and presented books on Polish history to the library. Later, the guest handed over the books of Polish "
        "poets translated into Azerbaijani to the director of the library Mayil Ahmadov.",
        repo_draft_context,
    )
    assert [g["host_gives"] for g in d.gifts] == [False, False]


# regression: "also" says the books are more books, but only the handed-over words are checked for it
def test_also_handed_over_the_books_is_a_second_gift(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _P + "The Ambassador also handed over the books of the Polish Institute to the library.", repo_draft_context
    )
    assert [g["host_gives"] for g in d.gifts] == [False, False]


# regression: the host's deputy director, titled with the library's longer name, is made the guest, the embassy is no
# longer one and the gift goes from him to himself; before, the embassy was the guest and the host gave
def test_the_hosts_staff_under_the_librarys_full_name_is_no_later_giver(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _HANDOVER
        + "Deputy director of the Presidential Library under the Administration of the President Fuad Jafarov "
        "presented the guests with the books about Azerbaijan.",
        repo_draft_context,
    )
    assert "Fuad Jafarov" not in _visitors(d)
    assert [g["host_gives"] for g in d.gifts] == [False, True]


# wrong before too: the same books told twice under another word ("the publications") are two gifts
@pytest.mark.xfail(strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open")
def test_the_books_told_again_as_the_publications_are_one_gift(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _HANDOVER + "First Secretary of the Embassy Tomasz Nowak handed over the publications to the director of the "
        "library Mayil Ahmadov.",
        repo_draft_context,
    )
    assert [g["host_gives"] for g in d.gifts] == [False]


@pytest.mark.parametrize(
    "later",
    [
        # wrong before too: the name between commas after the title
        "First Secretary of the Embassy, Tomasz Nowak, handed over the books to the director of the library Mayil "
        "Ahmadov.",
        # wrong before too: the name first, the title after it
        "Tomasz Nowak, First Secretary of the Embassy, handed over the books to the director of the library Mayil "
        "Ahmadov.",
    ],
)
def test_the_later_giver_written_with_commas_is_a_guest(later: str, repo_draft_context: DraftContext) -> None:
    d = _draft(_HANDOVER + later, repo_draft_context)
    assert _visitors(d) == ["Tomasz Nowak"]


# --- 6. a companion joined to a guest by "and" in a later sentence ---------------------------------------------------


@pytest.mark.parametrize(
    ("later", "companion"),
    [
        # wrong before too: the companion's name between commas
        (
            "Head of the delegation K. Lepp and the head of the digitization department of the Estonian library, Anu "
            "Tamm, spoke about the digital archive.",
            "Anu Tamm",
        ),
        # wrong before too: a verb of speaking the rule does not list ("emphasized")
        (
            "K. Lepp and the head of the digitization department of the Estonian library Anu Tamm emphasized the "
            "importance of digitization.",
            "Anu Tamm",
        ),
        # wrong before too: the guests' ambassador thanking with the guest ("thanked" is not listed)
        (
            "K. Lepp and the Ambassador of Estonia to Azerbaijan Kaja Tael thanked the staff for the warm welcome.",
            "Kaja Tael",
        ),
    ],
)
def test_a_companion_in_a_later_sentence_is_a_guest(
    later: str, companion: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(_D + later, repo_draft_context)
    assert sorted(_visitors(d)) == sorted([companion, "Kairi Lepp"])


# --- 7. a recalled agreement followed by a new one ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "later",
    [
        # wrong before too: "agreed to" after the recalled agreement (the rule reads "came to an agreement" only)
        "The sides recalled the agreement reached in 2014 and agreed to hold joint book exhibitions.",
        # wrong before too: "and also came to an agreement"
        "The sides recalled the agreement reached in 2014 and also came to an agreement on the exchange of electronic "
        "resources.",
        # wrong before too: "recalled that …, and the sides came to an agreement": the second clause is this visit's
        "The guest recalled that the libraries had signed a memorandum in 2014, and the sides came to an agreement on "
        "holding joint book exhibitions.",
    ],
)
def test_a_new_agreement_after_a_recalled_one_is_kept(later: str, repo_draft_context: DraftContext) -> None:
    d = _draft(_V + later, repo_draft_context)
    assert [a[1] for a in d.agreements] == [False]


# --- 8. fields, firms and regions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "org", "person"),
    [
        # wrong before too: the field of work for a region, then the firm: the org is "Library Services for Europe,
        # Middle East and Africa at OCLC"
        pytest.param(
            "Anke Weber, Head of Library Services for Europe, Middle East and Africa at OCLC,",
            "Online Computer Library Center",
            "Anke Weber",
            marks=pytest.mark.xfail(
                strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open"
            ),
        ),
        # wrong before too: "Sales for Europe and Central Asia of Clarivate": no organisation at all
        pytest.param(
            "Anke Weber, Vice President of Sales for Europe and Central Asia of Clarivate,",
            "Clarivate",
            "Anke Weber",
            marks=pytest.mark.xfail(
                strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open"
            ),
        ),
        # wrong before too: a firm of its founders' names with "&": "Francis Svetlana Ivanova", no firm
        pytest.param(
            "Regional Manager of Taylor & Francis Svetlana Ivanova",
            "Taylor & Francis",
            "Svetlana Ivanova",
            marks=pytest.mark.xfail(
                strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open"
            ),
        ),
        # wrong before too: the firm after "the Dutch academic publisher" is one word: "Brill Jan de Vries"
        pytest.param(
            "Director of Sales of the Dutch academic publisher Brill Jan de Vries",
            "Brill",
            "Jan de Vries",
            marks=pytest.mark.xfail(
                strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open"
            ),
        ),
        # wrong before too: two kinds of body joined by "and": "Wales David Anderson", no organisation
        pytest.param(
            "Director of the National Museums and Galleries of Wales David Anderson",
            "National Museums and Galleries of Wales",
            "David Anderson",
            marks=pytest.mark.xfail(
                strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open"
            ),
        ),
        # regression: a quoted publishing house's name that is a country's is recorded as an organisation called
        # "Azerbaijan"; before, "Azerbaijan publishing house"
        (
            'Director of the publishing house "Azerbaijan" Ramiz Aliyev',
            "Azerbaijan publishing house",
            "Ramiz Aliyev",
        ),
    ],
)
def test_fields_firms_and_quoted_names(opening: str, org: str, person: str, repo_draft_context: DraftContext) -> None:
    d = _draft(_DATE + opening + _END, repo_draft_context)
    assert _visitors(d) == [person]
    assert [n for n, _ in _orgs(d)] == [org]


# --- 9. souvenirs after the last "and" --------------------------------------------------------------------------------


# wrong before too: "carpets" here is a subject of the album, not a second gift
@pytest.mark.xfail(strict=True, reason="wrong before session 25 too (the adversarial review of its rules); open")
def test_carpets_as_a_subject_of_the_album_are_no_second_gift(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _V + "At the end of the meeting, the guest was presented with the album dedicated to Azerbaijani national "
        "costumes and carpets.",
        repo_draft_context,
    )
    assert [g["host_gives"] for g in d.gifts] == [True]
