"""What an adversarial review of session 24's drafting rules found (`git diff 79fdc7b..HEAD -- src/`): staff titles in
capitals after a name, the gift's author, a branch named by its place, honorifics blanked, quotation marks of other
styles, the host's staff under another spelling (the matcher), the serial comma dropped, "the members of the
delegation", hyphens as dashes, and the new gift nouns and visit phrasings.

Every input is a sentence of our own in the genre. Each finding asserts the right reading and says in a comment what
went wrong and why the expected reading is right; unless the comment says otherwise, the same input read right before
session 24 (checked against 79fdc7b). All were fixed the same session except three marked xfail (strict), which read
wrong before session 24 too. Tests marked "# holds" pin what the rounds got right.
"""

from __future__ import annotations

import pytest

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from draftcases import seconds as _seconds
from visitgraph.authoring.draft import Draft, DraftContext, blank_honorifics, english_quotes, without_serial_comma

_V = "On May 5, 2027, Director of the National Library of Estonia Kairi Lepp visited the Presidential Library. "
_D = (
    "On May 5, 2027, a delegation of the National Library of Estonia headed by Kairi Lepp visited the Presidential "
    "Library. "
)
_N = "On January 22, 2029, Professor of the University of Naples Marco Bellini "


def _job_titles(d: Draft, name: str) -> list[str]:
    return [o.strip('"') for e in d.entries.values() if e.name == name for p, o, _ in e.props if p == "schema:jobTitle"]


# --- 1. the new gift nouns (reports, documents, materials, letters, issues, guides, sets, miniatures, …) -------------


@pytest.mark.parametrize(
    "later",
    [
        # a tour is shown, not handed over; "miniatures" in what was toured made it a gift (host gives)
        "The guests were given a tour of the exhibition of miniatures.",
        # "guides" are people who led the tour: no thing handed over
        "The guests were given a tour of the library by its guides.",
        # access to documents is a permission, not a thing handed over
        "The guest was given access to the archival documents of the library.",
        # "issues" of discussion are not journal issues: an opportunity is no gift
        "The guests were given the opportunity to discuss issues of mutual interest.",
        # answers to letters are told, not handed over
        "The guests were given answers to their letters.",
        # a presentation about portraits and miniatures is a talk
        "The guests were given a presentation on the library's portraits and miniatures.",
        # a lecture about engravings is a talk
        "The guests were given a lecture on the engravings of the 19th century.",
        # time to look through documents is no gift
        "The guests were given time to look through the documents.",
    ],
)
def test_given_a_tour_or_a_talk_about_things_is_no_gift(later: str, repo_draft_context: DraftContext) -> None:
    # each read as a gift from the host since "miniatures/documents/issues/guides/letters" joined _WORK_WORDS, which
    # `_names_thing` checks on the whole object phrase; before session 24 none was a gift
    d = _draft(_V + later, repo_draft_context)
    assert d.gifts == []


# a report presented to the library's staff is a talk (it read as the guest's gift: "reports" now names a thing and
# `_presentation` asks `_names_thing` before `_SHOWN`, which lists "reports" as shown)
def test_a_report_presented_to_the_staff_is_a_talk(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _V + "The guest presented a report on the digitization projects of her library to the library staff.",
        repo_draft_context,
    )
    assert d.gifts == []


# "gave the guests a detailed report on the activities" is an account told (it read as the director's gift)
def test_a_detailed_report_given_to_the_guests_is_told(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _V + "Mayil Ahmadov gave the guests a detailed report on the activities of the library.", repo_draft_context
    )
    assert d.gifts == []


# documents handed over for signing are an agreement's paperwork, not a gift (read as the director's gift to the guest)
def test_documents_handed_over_for_signing_are_no_gift(repo_draft_context: DraftContext) -> None:
    d = _draft(_V + "Mayil Ahmadov handed over the documents for signing to the guest.", repo_draft_context)
    assert d.gifts == []


# a set of proposals is put forward, not handed over ("sets?" joined the nouns: read as the guest's gift)
def test_a_set_of_proposals_is_no_gift(repo_draft_context: DraftContext) -> None:
    d = _draft(_V + "The guest presented a set of proposals on cooperation.", repo_draft_context)
    assert d.gifts == []


# --- 2. "the members of the delegation", "the group", "the visitors" as receivers ---------------------------------


@pytest.mark.parametrize(
    "later",
    [
        # new receiver "the members of the delegation" + "documents" as a thing: a tour read as the director's gift
        "Mayil Ahmadov gave the members of the delegation a tour of the halls where documents are kept.",
        # new receiver "the group": a tour read as a gift, and from the guests to the guests
        "The director gave the group a tour of the manuscripts fund.",
        # new receiver "the visitors" + "documents": a tour read as the host's gift
        "The library's staff gave the visitors a tour of the exhibition of rare documents.",
    ],
)
def test_a_tour_given_to_the_delegation_is_no_gift(later: str, repo_draft_context: DraftContext) -> None:
    d = _draft(_D + later, repo_draft_context)
    assert d.gifts == []


@pytest.mark.parametrize(
    "members",
    [
        "The members of the delegation were renowned Estonian writers Jaan Tamm and Mari Kask.",
        "The members of the delegation were distinguished scholars Jaan Tamm and Mari Kask.",
        "The members of the delegation were retired diplomat Jaan Tamm and writer Mari Kask.",
        "Members of the delegation were experienced librarians Jaan Tamm and Mari Kask.",
    ],
)
def test_members_were_with_an_adjective_in_ed_still_lists_them(members: str, repo_draft_context: DraftContext) -> None:
    # the new look-ahead `were(?![a-z]+ed …)` meant for "were presented with" also refuses an adjective in -ed
    # ("renowned", "distinguished", "retired", "experienced"): the list is lost and no guest is named; before, both were
    d = _draft(
        "On May 5, 2027, a delegation of the National Library of Estonia visited the Presidential Library. " + members,
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.attendees)] == ["Jaan Tamm", "Mari Kask"]


# --- 3. a staff title in capitals after a name ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ["Head of the delegation", "Head of the Estonian delegation", "Deputy Director of the visiting library"],
)
def test_a_guests_title_in_capitals_makes_no_host(title: str, repo_draft_context: DraftContext) -> None:
    # the capitalised title now reads as the lower-case one did, and "head of the delegation" already made a host
    # (pre-existing in lower case, now reached in the capitalised form news copy uses): the delegation's head is a guest
    d = _draft(
        _D + f"Jaan Tamm, {title}, told the hosts about the digitization of the Estonian press.", repo_draft_context
    )
    assert _people(d.contributors) == []


# the guest delegation's head gives the catalogue: he read as a host and the gift as the host's (before: the guests')
def test_the_head_of_the_guest_delegation_gives_as_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _D
        + 'Jaan Tamm, Head of the guest delegation, presented the library with the catalogue "Estonian Manuscripts".',
        repo_draft_context,
    )
    assert _people(d.contributors) == []
    assert [g["host_gives"] for g in d.gifts] == [False]


# holds: a director of another body, in capitals, is no host
def test_another_librarys_director_in_capitals_is_no_host(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _D + "Jaan Tamm, Director of the Tartu University Library, told the guests about its archive.",
        repo_draft_context,
    )
    assert _people(d.contributors) == []


# --- 4. the host's staff under another spelling (the matcher) --------------------------------------------------------


@pytest.mark.parametrize("name", ["Mikayil Akhmedov", "Mail Ahmedov", "Mayil Mammadov", "M. Ahmadova"])
def test_a_guest_with_a_name_like_the_directors_is_no_host(name: str, repo_draft_context: DraftContext) -> None:
    # the matcher reuses Mayil Ahmadov for these (another first name, another surname, a woman's "-ova"); the new
    # `_staff_spelt_otherwise` trusts it and reads the embassy's counsellor as the host (before: no host at all)
    d = _draft(
        "On May 5, 2027, Ambassador of Kazakhstan Serik Nurlan visited the Presidential Library. "
        f'{name}, Counsellor of the Embassy of Kazakhstan, presented the library with the book "Abai".',
        repo_draft_context,
    )
    assert _people(d.contributors) == []
    assert [g["host_gives"] for g in d.gifts] == [False]


# the companion "Mikayil Ahmadov, adviser of the Embassy of Estonia" is now read as host staff, and the Embassy of
# Estonia is lost (before it was kept; the companion was already misread as the host by the matcher)
@pytest.mark.xfail(
    strict=True,
    reason="wrong before session 24 too: the matcher reuses Mayil Ahmadov for 'Mikayil Ahmadov' (its own flag), so the companion is read as the host; the embassy is now kept",
)
def test_a_companion_like_the_director_keeps_his_embassy(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _V + "She was accompanied by Mikayil Ahmadov, adviser of the Embassy of Estonia. Mikayil Ahmadov thanked the "
        "library for the reception.",
        repo_draft_context,
    )
    assert "Embassy of Estonia" in [n for n, _ in _orgs(d)]
    assert "Mikayil Ahmadov" in [n for n, _ in _people(d.attendees)]


# holds: a guest whose first name differs clearly stays a guest
def test_a_guest_with_the_directors_surname_spelt_otherwise_holds(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, Rector of Baku State University Murad Akhmedov visited the Presidential Library. Murad got "
        "acquainted with the library's funds.",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.attendees)] == ["Murad Akhmedov"]
    assert _people(d.contributors) == []


# --- 5. the serial comma dropped -----------------------------------------------------------------------------------


# a book's title is written as the author wrote it: `without_serial_comma` runs on the whole text, quotes included
def test_a_serial_comma_inside_a_books_title_is_kept(repo_draft_context: DraftContext) -> None:
    d = _draft(_V + 'The guest presented the library with the book "Tallinn, Tartu, and Narva".', repo_draft_context)
    assert [g["name"] for g in d.gifts] == ["Tallinn, Tartu, and Narva"]


# a body's name is kept as written (the rewrite is not offset-preserving, so `written` already lacks the comma)
@pytest.mark.xfail(
    strict=True,
    reason="wrong before session 24 too: the matcher reuses the Turkish Ministry of Culture for this ministry (the comma is now kept)",
)
def test_a_serial_comma_in_a_bodys_name_is_kept(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, a delegation of the Ministry of Culture, Youth, and Sports of Estonia visited the Presidential "
        "Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["Ministry of Culture, Youth, and Sports of Estonia"]


# ", Kairi Lepp, and she presented …" is an apposition's end, then a new clause: dropping the comma as a list's joins
# the clauses and loses the director's album (before: both gifts)
def test_an_apposition_before_and_a_new_clause_keeps_both_gifts(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _V
        + 'Mayil Ahmadov presented the album "Baku" to the guest, Kairi Lepp, and she presented the library with her '
        'book "Tallinn".',
        repo_draft_context,
    )
    assert [(g["name"], g["host_gives"]) for g in d.gifts] == [("Baku", True), ("Tallinn", False)]


# the same with the library as giver: the guest's book was lost (before: both gifts)
def test_an_apposition_before_and_the_guests_gift_is_kept(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _V + 'The library gave the album "Baku" to its guest, Kairi Lepp, and the guest gave the library her book '
        '"Tallinn".',
        repo_draft_context,
    )
    assert [(g["name"], g["host_gives"]) for g in d.gifts] == [("Baku", True), ("Tallinn", False)]


# ", and presented him with …" shares the sentence's subject, the guest (the stated intent of `_AND_GIVING`); it reads
# as the host's gift to the guest (the object "Mayil Ahmadov" taken as giver; wrong before too, with or without comma)
@pytest.mark.xfail(
    strict=True,
    reason="wrong before session 24 too, with or without the comma: 'him' after a named host reads the host as giver",
)
def test_and_presented_him_after_a_named_host_shares_the_guests_subject(repo_draft_context: DraftContext) -> None:
    d = _draft(_V + 'The guest thanked Mayil Ahmadov, and presented him with her book "Tallinn".', repo_draft_context)
    assert [(g["name"], g["host_gives"]) for g in d.gifts] == [("Tallinn", False)]


# holds: two appositions in a list of guests
def test_two_guests_with_appositions_holds(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, Kairi Lepp, the director, and Jaan Tamm, her deputy, of the National Library of Estonia "
        "visited the Presidential Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _people(d.attendees)] == ["Jaan Tamm", "Kairi Lepp"]


# holds: ", and" before a clause with an agreement keeps it
def test_an_agreement_after_a_clause_and_holds(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _V + "The sides discussed cooperation, and an agreement on the exchange of publications was signed.",
        repo_draft_context,
    )
    assert d.agreements == [("Agreement on the exchange of publications", True)]


# --- 6. honorifics blanked -----------------------------------------------------------------------------------------


# "Professor" before the name is the only title the item gives him; blanking it drops his jobTitle (before: kept)
def test_professor_as_the_only_title_is_kept(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, Professor Jaan Tamm of Tartu University visited the Presidential Library.", repo_draft_context
    )
    assert _job_titles(d, "Jaan Tamm") == ["Professor"]


@pytest.mark.parametrize("title", ["Professor Jaan Tamm: A Life", "Academician Zarifa Aliyeva: Life and Work"])
def test_an_honorific_inside_a_books_title_is_kept(title: str, repo_draft_context: DraftContext) -> None:
    # the blanking runs inside quotes too: the title lost its first word (before: kept as written)
    d = _draft(_V + f'The guest presented the library with the book "{title}".', repo_draft_context)
    assert [g["name"] for g in d.gifts] == [title]


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("a delegation of the Professor Jaan Tamm Foundation", "Professor Jaan Tamm Foundation"),
        ("Director of the Academician Jaan Tamm Museum Kairi Lepp", "Academician Jaan Tamm Museum"),
    ],
)
def test_an_honorific_in_a_bodys_name_is_kept(text: str, org: str, repo_draft_context: DraftContext) -> None:
    # a body named after an honoured person ("Academician … Museum") lost the honorific from its name
    d = _draft(f"On May 5, 2027, {text} visited the Presidential Library.", repo_draft_context)
    assert [n for n, _ in _orgs(d)] == [org]


# holds: an honorific before a single surname ("Dr. Jekyll") is not blanked
def test_an_honorific_before_a_single_surname_holds(repo_draft_context: DraftContext) -> None:
    d = _draft(_V + 'The guest presented the library with the book "Dr. Jekyll and Mr. Hyde".', repo_draft_context)
    assert [g["name"] for g in d.gifts] == ["Dr. Jekyll and Mr. Hyde"]


# --- 7. quotation marks and dashes ---------------------------------------------------------------------------------


# a title in guillemets with an inner „…“ quote is one book; «→“ and „…“→“…” nest two “ and the title is cut at the
# inner closing mark ('The poem “Leyli and Majnun' / 'Book in Europe”'; before it was split in two)
def test_a_title_with_an_inner_quote_in_guillemets_is_one_book(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _V + "The guest presented the library with the book «The poem „Leyli and Majnun“ in Europe».",
        repo_draft_context,
    )
    assert len(d.gifts) == 1
    assert d.gifts[0]["description"] == "Book"
    assert d.gifts[0]["name"].endswith("in Europe")


# a book's title keeps its hyphen as written: " - " → " – " is meant for a body's name, not a quoted title
def test_a_hyphen_in_a_books_title_is_kept(repo_draft_context: DraftContext) -> None:
    d = _draft(_V + 'The guest presented the library with the album "Baku - City of Winds".', repo_draft_context)
    assert [g["name"] for g in d.gifts] == ["Baku - City of Winds"]


# --- 8. visit phrasings before "and <verb>" --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "visit",
    [
        # a report at a round table is a talk (read as the university's gift)
        "visited the Presidential Library once more and presented a report on the manuscripts of Nizami at the round "
        "table",
        # a report on studies is a talk (read as a gift)
        "paid a working visit to the Presidential Library and presented a report on the Italian studies of Nizami",
        # a lecture is given, not handed over ("manuscripts" in the object made it a thing)
        "visited the Presidential Library in Baku and gave a lecture on the manuscripts of Nizami",
        # research presented to the readers is a talk
        "visited the Presidential Library for the first time and presented his research on the letters of Nizami to "
        "the readers",
    ],
)
def test_a_talk_after_a_visit_told_in_other_words_is_no_gift(visit: str, repo_draft_context: DraftContext) -> None:
    d = _draft(_N + visit + ".", repo_draft_context)
    assert d.gifts == []


# --- 9. branches -----------------------------------------------------------------------------------------------------


# holds: a department-like branch ("Rare Books Branch") of a body is no body of its own
def test_a_branch_named_by_its_subject_is_no_body_holds(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, Head of the Rare Books Branch of the National Library of Estonia Jaan Tamm visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["National Library of Estonia"]


# holds: explanations about letters are told
def test_explanations_about_letters_are_told_holds(repo_draft_context: DraftContext) -> None:
    d = _draft(_V + "The guests were given explanations about the letters of Nizami.", repo_draft_context)
    assert d.gifts == []


# --- 10. time on hostile input -------------------------------------------------------------------------------------


# holds: the new whole-text rewrites are linear on 20 KB of commas, honorifics, quotes and hyphens
@pytest.mark.parametrize(
    "text",
    [
        ", ".join(["history"] * 3000) + ", and art",
        " ".join(["x, y, and z"] * 2000),
        "Dr. " * 5000 + "Jaan Tamm",
        "Prof " * 5000 + "de " * 2000 + "Tamm",
        "„a " * 7000,
        " - ".join(["A"] * 5000),
    ],
)
def test_the_rewrites_are_linear(text: str) -> None:
    run = lambda: english_quotes(blank_honorifics(without_serial_comma(text)))  # noqa: E731
    assert _seconds(run, budget=1.5) < 0.5
