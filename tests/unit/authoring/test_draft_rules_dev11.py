"""Drafting rules added in the tenth round (issue 16; dev11; decision 0046).

Each case is a sentence of our own in the genre (not an item of any evaluation set), written for a class of
mechanism rather than one wording: who is host staff in a later sentence, later mentions of a visitor under
another form, where a sentence ends, what may be minted as a person or an organisation, and abbreviations with
their expansions.
"""

from __future__ import annotations

import pytest

from visitgraph.authoring.draft import DraftContext, draft_item, plan_items
from visitgraph.authoring.newsdates import find_date
from visitgraph.authoring.newsfacts import GUESTS, HOST, find_agreements, find_gifts
from visitgraph.authoring.visitors import first_sentence_end
from visitgraph.core.names import org_tokens, short_form_of


def _draft(text: str, ctx: DraftContext):  # noqa: ANN202 - a Draft
    return draft_item(plan_items(text, name="case")[0], ctx)


def _people(d) -> tuple[list[str], list[str]]:  # noqa: ANN001
    return [e.name for e in d.attendees if e.kind == "person"], [e.name for e in d.contributors if e.kind == "person"]


def _orgs(d) -> list[tuple[str, bool]]:  # noqa: ANN001
    seen = {e.iri: e for e in d.institutions + d.attendees if e.kind == "organization"}
    return [(e.name, e.new) for e in seen.values()]


_VISIT = "On 3 March 2026, Dr. Piotr Zalewski, director of the Gdansk City Library, visited the Presidential Library. "


# --- host staff in later sentences --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "later",
    [
        "The guest was briefed by Orkhan Valiyev, head of the department of old maps, on the library's atlases.",
        "He was briefed by Orkhan Valiyev on the library's atlases.",
        "She was guided by Orkhan Valiyev through the reading halls.",
        "Accompanied by Orkhan Valiyev, head of the cataloguing sector, the guest toured the stacks.",
        "Escorted by deputy director Orkhan Valiyev, the guest saw the reading halls.",
        "Under the guidance of Orkhan Valiyev, the guest toured the stacks.",
        "The library staff, under the leadership of chief librarian Orkhan Valiyev, showed the atlases.",
        "Deputy director Orkhan Valiyev spoke about the library's work with schools.",
    ],
)
def test_a_later_sentences_staff_member_is_a_host(later: str, repo_draft_context: DraftContext) -> None:
    visitors, hosts = _people(_draft(_VISIT + later, repo_draft_context))
    assert visitors == ["Piotr Zalewski"] and hosts == ["Orkhan Valiyev"]


def test_a_known_host_written_surname_first_is_that_host(repo_draft_context: DraftContext) -> None:
    d = _draft(_VISIT + "The guest was received by Ahmadov Mayil, director of the library.", repo_draft_context)
    assert [(e.name, e.new) for e in d.contributors] == [("Mayil Ahmadov", False)]


@pytest.mark.parametrize(
    "later",
    [
        "Farid Aliyev, head of the reading hall, showed Mr. Zalewski the atlases.",
        "Dr. P. Zalewski spoke about the digital catalogue of his library.",
        "Zalewski Piotr thanked the staff for the meeting.",
    ],
)
def test_a_visitor_named_again_is_never_a_host(later: str, repo_draft_context: DraftContext) -> None:
    visitors, hosts = _people(_draft(_VISIT + later, repo_draft_context))
    assert visitors == ["Piotr Zalewski"] and "Zalewski" not in " ".join(hosts)


def test_a_member_of_the_delegation_in_a_later_sentence_stays_a_visitor(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026, a delegation of the Gdansk City Library visited the Presidential Library. The delegation "
        "was headed by its director Piotr Zalewski and included the head of the Maps Department Ewa Nowicka.",
        repo_draft_context,
    )
    visitors, hosts = _people(d)
    assert visitors == ["Piotr Zalewski", "Ewa Nowicka"] and hosts == []


# --- later forms of a name ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mention", "full", "same"),
    [
        ("Mr. Zalewski", "Piotr Zalewski", True),
        ("P. Zalewski", "Piotr Zalewski", True),
        ("Zalewski Piotr", "Piotr Zalewski", True),
        ("J. A. Kowalska", "Joanna Anna Kowalska", True),
        ("K. Zalewski", "Piotr Zalewski", False),
        ("Ewa Zalewska", "Piotr Zalewski", False),
        ("Piotr", "Piotr Zalewski", True),
    ],
)
def test_short_forms_of_a_name(mention: str, full: str, same: bool) -> None:
    assert short_form_of(mention, full) is same


# --- where a sentence ends ----------------------------------------------------------------------------------------


def test_an_acronym_ends_a_sentence_but_initials_do_not() -> None:
    text = "X, head of a department of the RSL. The guests were briefed."
    assert text[: first_sentence_end(text)] == "X, head of a department of the RSL."
    text = "Ms. A. B. Smith of the M. I. Rudomino library came. Then more."
    assert text[: first_sentence_end(text)] == "Ms. A. B. Smith of the M. I. Rudomino library came."


def test_a_host_after_a_sentence_ending_in_an_acronym_is_no_member(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026, a delegation of the Gdansk City Library (GCL) visited the Presidential Library. The "
        "delegation also included Ewa Nowicka, head of the Maps Department of the GCL. The guests were briefed by "
        "Orkhan Valiyev on the library's atlases.",
        repo_draft_context,
    )
    visitors, hosts = _people(d)
    assert visitors == ["Ewa Nowicka"] and hosts == ["Orkhan Valiyev"]


# --- no person from a title's words -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "descriptor",
    [
        "chair of the Section on Reading Services to Rural Communities",
        "lecturer of the Department of Archives and Knowledge Management",
        "secretary of the Council of Library and Documentation Associations",
        "head of the Office for Research Partnerships",
        "coordinator of the Working Group on Digital Preservation Technologies",
    ],
)
def test_no_person_is_minted_from_a_titles_words(descriptor: str, repo_draft_context: DraftContext) -> None:
    d = _draft(
        f"On 3 March 2026, Ewa Nowicka, {descriptor} of the Gdansk City Library, visited the Presidential Library.",
        repo_draft_context,
    )
    assert _people(d)[0] == ["Ewa Nowicka"]


@pytest.mark.parametrize("name", ["Clement Durand", "Ines Mansion", "Anna Lindqvist"])
def test_names_with_such_endings_still_read(name: str, repo_draft_context: DraftContext) -> None:
    d = _draft(f"On 3 March 2026, {name}, a writer from Lyon, visited the Presidential Library.", repo_draft_context)
    assert _people(d)[0] == [name]


# --- parts of institutions, honorifics, abbreviations ---------------------------------------------------------------


def test_an_office_of_an_institution_is_a_part_and_the_next_honorific_is_no_name(
    repo_draft_context: DraftContext,
) -> None:
    d = _draft(
        "On 3 March 2026, Ewa Nowicka, Director of the Foreign Liaison Office of the PLA (Polish Librarians "
        "Association), Dr. Jan Brzezinski, Head of the Maps Department of the Gdansk City Library, and Anna Lis "
        "visited the Presidential Library. Ms. Nowicka handed over a set of PLA yearbooks.",
        repo_draft_context,
    )
    # minted under its full name, "PLA" its alternateName, since decision 0059
    assert [n for n, _ in _orgs(d)] == ["Polish Librarians Association", "Gdansk City Library"]


@pytest.mark.parametrize("part", ["Digitisation Centre", "Conservation Office", "Foreign Liaison Office"])
def test_a_centre_or_office_of_the_visitors_library_names_no_organisation(
    part: str, repo_draft_context: DraftContext
) -> None:
    d = _draft(
        f"On 3 March 2026, Piotr Zalewski, director of the Gdansk City Library, and Ewa Nowicka, head of the {part} "
        "of the library, visited the Presidential Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["Gdansk City Library"]


def test_a_cultural_centre_of_a_country_is_still_an_institution(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026, Ewa Nowicka, head of the Cultural Centre of the Republic of Poland in Baku, visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["Cultural Centre of the Republic of Poland"]


def test_an_event_is_not_minted_beside_an_institution_named_by_acronym(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026, a delegation of ÇAĞDAŞ (Union of Baltic Book Societies) visited the Presidential "
        "Library in preparation for the Second Baltic Readers Congress. A memorandum was signed.",
        repo_draft_context,
    )
    # minted under its full name, "ÇAĞDAŞ" its alternateName, since decision 0059
    assert [n for n, _ in _orgs(d)] == ["Union of Baltic Book Societies"]


def test_a_part_of_a_faculty_of_a_university_is_named_with_the_university(repo_draft_context: DraftContext) -> None:
    """Until round 31 only the university was named; since decision 0088 a university's unit of a field is the body,
    its university the parent, both named (the sets written blind disagree; the newer ones name both)."""
    d = _draft(
        "On 3 March 2026, Dr. Ewa Nowicka of the Department of Rare Maps of the Faculty of "
        "History of Gdansk University visited the Presidential Library.",
        repo_draft_context,
    )
    assert sorted(n for n, _ in _orgs(d)) == [
        "Department of Rare Maps of the Faculty of History of Gdansk University",
        "Gdansk University",
    ]


def test_a_universitys_department_before_a_name_is_named_with_its_university(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026, Head of the Department of Old Prints of the Faculty of Letters of Poznan University Anna "
        "Wrona visited the Presidential Library.",
        repo_draft_context,
    )
    assert sorted(n for n, _ in _orgs(d)) == [
        "Department of Old Prints of the Faculty of Letters of Poznan University",
        "Poznan University",
    ]


@pytest.mark.parametrize("kind", ["company", "firm", "agency", "publishing house"])
def test_a_kind_word_before_a_bodys_name_is_not_part_of_it(kind: str, repo_draft_context: DraftContext) -> None:
    d = _draft(
        f"On 3 March 2026, Ewa Nowicka, director of the {kind} Baltic Books Corporation, visited the Presidential "
        "Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["Baltic Books Corporation"]


def test_a_known_company_after_its_kind_word_is_reused(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026, Jan Kowalski, deputy director of the company IPR BOOKS, visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("IPR books", False)]


def test_the_institution_a_guest_acts_for_in_a_later_sentence(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026, Jan Kowalski, Ambassador of Poland to Azerbaijan, visited the Presidential Library. On "
        "behalf of the Embassy of the Republic of Poland in Azerbaijan, Mr. Kowalski donated books to the library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["Embassy of the Republic of Poland in Azerbaijan"]


def test_on_behalf_of_the_library_names_no_visiting_institution(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026, Jan Kowalski, a writer from Gdansk, visited the Presidential Library. On behalf of the "
        "Presidential Library, Orkhan Valiyev thanked Mr. Kowalski.",
        repo_draft_context,
    )
    assert _orgs(d) == []


@pytest.mark.parametrize(
    ("visit", "orgs"),
    [
        ("Ewa Nowicka of the Department of Archives and Jan Lis of Gdansk University", ["Gdansk University"]),
        ("Ewa Nowicka, head of the Department of Archives of the Gdansk City Library,", ["Gdansk City Library"]),
        ("Ewa Nowicka, director of the Department of Museums and Archives,", []),
        ("Ewa Nowicka, head of the Office of Libraries,", []),
    ],
)
def test_what_a_named_department_keeps_is_no_institution(
    visit: str, orgs: list[str], repo_draft_context: DraftContext
) -> None:
    d = _draft(f"On 3 March 2026, {visit} visited the Presidential Library.", repo_draft_context)
    assert [n for n, _ in _orgs(d)] == orgs


# --- the day of a visit inside a range of days ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("On 8–10 May 2026 Jan Lis was in Baku for a fair. On 9 May he visited the Presidential Library.", 9),
        ("On May 8-10, 2026 Jan Lis was in Baku. On the last day, May 10, he came to the library.", 10),
        ("On 8–10 May 2026 Jan Lis visited Baku. On 9 May he gave a talk at a school.", 8),
        ("On 8–10 May 2026 Jan Lis visited the library. On 12 May he visited the library again.", 8),
        ("On 30 May – 1 June 2026 Jan Lis was in Baku. On 1 June he visited the library.", 30),
    ],
)
def test_the_day_the_library_was_visited_inside_a_range(text: str, day: int) -> None:
    found = find_date(text)
    assert found is not None and found.day == day


def test_an_abbreviation_in_brackets_does_not_end_the_sentence(repo_draft_context: DraftContext) -> None:
    text = "Jan Lis, director of the Gdansk City Library (St. Mary Street), visited the library. More."
    assert text[: first_sentence_end(text)].endswith("visited the library.")


# --- a second predicate with the first one's subject ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "signed"),
    [
        ("The sides signed a memorandum on exchanges and agreed to prepare a contract on access.", [True, False]),
        ("The libraries signed a protocol on training and decided to draft an agreement on loans.", [True, False]),
        ("The sides agreed to prepare a memorandum and signed a protocol on loans.", None),
    ],
)
def test_a_signed_document_and_an_agreed_one_joined_by_and(sentence: str, signed: list[bool] | None) -> None:
    found = [a.signed for a in find_agreements(sentence)]
    if signed is None:  # the split needs a document in each predicate: here the older reading stands
        assert len(found) >= 1
    else:
        assert found == signed


@pytest.mark.parametrize(
    ("sentence", "ways"),
    [
        (
            "The guests presented the library with a set of atlases and received in return a book on Baku.",
            [(GUESTS, HOST), (HOST, GUESTS)],
        ),
        (
            "The guests were presented with an album and in turn donated to the library two atlases.",
            [(HOST, GUESTS), (GUESTS, HOST)],
        ),
        (
            "The guests presented the library with a set of atlases and received information about the stacks.",
            [(GUESTS, HOST)],
        ),
    ],
)
def test_a_second_handing_over_with_the_first_ones_subject(sentence: str, ways: list[tuple[str, str]]) -> None:
    assert [(g.agent, g.recipient) for g in find_gifts(sentence)] == ways


# --- reuse of known institutions under other names ------------------------------------------------------------------


def test_a_known_institution_with_another_epithet_after_its_dash_is_reused(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026, Aigul Nurova, a curator of the Library of the First President of the Republic of "
        "Kazakhstan – Nursultan, visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [
        ("Library of the First President of the Republic of Kazakhstan – the Leader of the Nation", False)
    ]


def test_a_new_institution_with_a_dash_is_not_reused_for_another(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026, Aigul Nurova, a curator of the Library of the First President of the Republic of "
        "Kyrgyzstan – Bishkek, visited the Presidential Library.",
        repo_draft_context,
    )
    assert all(new for _, new in _orgs(d))


@pytest.mark.parametrize(
    ("long", "short"),
    [
        ("Cultural Centre of the Arab Republic of Egypt", "Egyptian Cultural Centre"),
        ("House of the Czech Republic", "Czech House"),
    ],
)
def test_a_countrys_official_name_in_an_institutions_name_is_the_country(long: str, short: str) -> None:
    assert sorted(org_tokens(long)) == sorted(org_tokens(short))


def test_a_title_qualified_by_lower_case_words_is_read(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026, Jan Lis, director of the Gdansk City Library, and Ewa Nowicka, cultural attaché of the "
        "Embassy of Poland in Azerbaijan, visited the Presidential Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["Gdansk City Library", "Embassy of Poland in Azerbaijan"]


# --- programmes, projects, funders and publishers are no visitors ----------------------------------------------------


@pytest.mark.parametrize(
    "visit",
    [
        "Dr. Ines Vidal of the Porto City Library visited the Presidential Library under its Staff Exchange Programme",
        "Dr. Ines Vidal of the Porto City Library visited the Presidential Library under a European Maps Project",
        "Dr. Ines Vidal of the Porto City Library, winner of the Golden Quill Prize, visited the Presidential Library",
    ],
)
def test_no_person_from_a_programme_project_or_prize(visit: str, repo_draft_context: DraftContext) -> None:
    d = _draft(f"On 3 March 2026, {visit}.", repo_draft_context)
    assert _people(d)[0] == ["Ines Vidal"]


def test_a_funder_is_no_visiting_institution(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026, researchers of the Porto City Library, led by Dr. Ines Vidal, visited the Presidential "
        "Library within a project funded by the Atlantic Heritage Foundation.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["Porto City Library"]


@pytest.mark.parametrize(
    ("visit", "people"),
    [
        ("representatives of the publishing house Lusitania Books, Rui Costa and Ana Reis,", ["Rui Costa", "Ana Reis"]),
        ("Rui Costa, sales director of the company Lusitania Books,", ["Rui Costa"]),
        ("the director of the Lusitania Books company Rui Costa", ["Rui Costa"]),
        ("the publisher Rui Costa", ["Rui Costa"]),
    ],
)
def test_a_bodys_name_after_its_kind_word_is_no_person(
    visit: str, people: list[str], repo_draft_context: DraftContext
) -> None:
    d = _draft(f"On 3 March 2026, {visit} visited the Presidential Library.", repo_draft_context)
    assert _people(d)[0] == people


def test_a_qualified_title_in_brackets_keeps_its_organisation_clean(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026, Ewa Nowicka (senior curator of the Gdansk City Library) visited the Presidential Library.",
        repo_draft_context,
    )
    assert [n for n, _ in _orgs(d)] == ["Gdansk City Library"]


@pytest.mark.parametrize(
    "later",
    [
        "The Ambassador was received by Orkhan Valiyev on the first floor.",
        "The guest was received by Mayil Ahmadov, director of the library, and Orkhan Valiyev, his deputy.",
        "The writer was welcomed by Mayil Ahmadov and Orkhan Valiyev.",
    ],
)
def test_who_received_the_guest_in_a_later_sentence_is_host_staff(later: str, repo_draft_context: DraftContext) -> None:
    visitors, hosts = _people(_draft(_VISIT + later, repo_draft_context))
    assert visitors == ["Piotr Zalewski"] and "Orkhan Valiyev" in hosts
