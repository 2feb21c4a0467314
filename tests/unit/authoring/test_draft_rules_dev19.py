"""Drafting, nineteenth round (issue 16; decision 0068): reuse and inventions asked of a sentence's structure.

Each case is a sentence of our own in the genre (not an item of any evaluation set). The known people and
institutions are the repository's own records.
"""

from __future__ import annotations

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from visitgraph.authoring.draft import DraftContext

# --- 1. a companion "together with" a title and a name has that title, not the first guest's ------------------------


def test_a_companion_together_with_has_their_own_title_and_body(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026 Dr. Laila Haddad, a curator of the Rare Books Center of the University of Jordan, came to the "
        "Presidential Library together with the Head of the Egyptian Cultural Center in Baku Ahmad Sami.",
        repo_draft_context,
    )
    assert ("Ahmed Sami", False) in _people(d.attendees)
    assert ("Egyptian Cultural Centre in Azerbaijan", False) in _orgs(d)


def test_a_companion_without_a_title_still_shares_the_first_guests_body(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 3 March 2026 Rania Saleh, a curator of the Yarmouk University, visited the Presidential Library "
        "together with Omar Khalil.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Omar Khalil", True), ("Rania Saleh", True)]
    assert [name for name, _ in _orgs(d)] == ["Yarmouk University"]


# --- 2. "Led by X, the visitors …" and "the visitors …, among them Y": guests by the sentence's structure -----------


def test_the_agent_of_a_fronted_led_by_is_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "A delegation of the National Library of Finland came to the Presidential Library on 4 April 2026. Led by "
        "Director General Kari Niemi, the visitors from Helsinki, among them Liisa Koski, curator of the library's "
        "map collection, were received by the library's director Mayil Ahmadov.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Kari Niemi", True), ("Liisa Koski", True)]
    assert [e.name for e in d.contributors if e.kind == "person"] == ["Mayil Ahmadov"]


def test_led_by_with_the_hosts_own_director_is_no_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "A delegation of the National Library of Finland visited the Presidential Library on 4 April 2026. Led by "
        "the library's director Mayil Ahmadov, the guests toured the reading halls.",
        repo_draft_context,
    )
    assert _people(d.attendees) == []
    assert [e.name for e in d.contributors if e.kind == "person"] == ["Mayil Ahmadov"]


def test_led_by_whose_subject_is_not_the_guests_adds_no_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Kari Niemi of the National Library of Finland visited the Presidential Library on 4 April 2026. Led by "
        "chief librarian Sevda Karimova, a tour of the reading halls followed.",
        repo_draft_context,
    )
    assert ("Sevda Karimova", True) not in _people(d.attendees)


# --- 3. "called at" ends a descriptor as "visited" does; delegations by number alone run on to the next sentence ----


def test_called_at_ends_the_descriptor_and_its_body_is_reused(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 5 May 2026 Aziz Aliyev, head of Sputnik Azerbaijan, called at the Presidential Library and presented his new book.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Aziz Aliyev", False)]
    assert _orgs(d) == [("Sputnik Azerbaijan", False)]


def test_delegations_by_number_alone_are_named_in_the_next_sentence(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Three delegations were received at the Presidential Library on 6 June 2026. From Tartu came Mart Lepp, a "
        "librarian of the University of Tartu Library, and from Riga two archivists of the Latvian State Archives.",
        repo_draft_context,
    )
    assert ("Mart Lepp", True) in _people(d.attendees)


def test_delegations_named_in_the_visit_sentence_do_not_run_on(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Two delegates of the National Library of Finland, Kari Niemi and Liisa Koski, visited the Presidential "
        "Library on 6 June 2026. Later Sevda Karimova showed them the manuscripts.",
        repo_draft_context,
    )
    assert [name for name, _ in _people(d.attendees)] == ["Kari Niemi", "Liisa Koski"]


# --- 4. whole items: "among them <title> Y", "a delegation consisting of X, …, and Y" -------------------------------


def test_among_them_with_a_title_before_the_name_is_a_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "A delegation of the National Library of Finland led by its director Kari Niemi visited the Presidential "
        "Library on 7 July 2026. The guests from Helsinki, among them the head of the map department Liisa Koski, "
        "toured the reading halls.",
        repo_draft_context,
    )
    assert [name for name, _ in _people(d.attendees)] == ["Kari Niemi", "Liisa Koski"]


def test_a_delegation_consisting_of_names_its_members(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 8 August 2026 a delegation of the National Library of Finland consisting of Kari Niemi, head of its "
        "digital division, and librarian Liisa Koski visited the Presidential Library.",
        repo_draft_context,
    )
    assert [name for name, _ in _people(d.attendees)] == ["Kari Niemi", "Liisa Koski"]


def test_the_anniversary_of_a_name_is_still_no_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On 8 August 2026 Kari Niemi of the National Library of Finland visited the Presidential Library for the "
        "anniversary of Elias Lönnrot.",
        repo_draft_context,
    )
    assert [name for name, _ in _people(d.attendees)] == ["Kari Niemi"]


# --- 5. found by probing: "Led by the library's <title> X, the guests …" is a guide of the host's --------------------


def test_led_by_a_title_of_the_host_is_no_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "A delegation of the University of Tartu visited the Presidential Library on 8 February 2026. Led by the "
        "library's chief bibliographer Sevda Karimova, the guests toured the reading halls.",
        repo_draft_context,
    )
    assert _people(d.attendees) == []


# --- 6. host staff after a name: "a <title> of the library's …", "<title> of the library, who accompanied …" ------


def _hosts(d) -> list[str]:  # noqa: ANN001
    return sorted(e.name for e in d.contributors if e.kind == "person")


def test_a_title_with_an_indefinite_article_of_the_librarys_part_is_host_staff(
    repo_draft_context: DraftContext,
) -> None:
    d = _draft(
        "Ana Ruiz of the National Library of Spain visited the Presidential Library on 3 April 2026. She was assisted "
        "by Rena Aliyeva, a senior specialist of the library's reference service.",
        repo_draft_context,
    )
    assert _hosts(d) == ["Rena Aliyeva"]


def test_who_accompanied_the_guest_with_a_title_of_the_library_is_host_staff(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "Ana Ruiz of the National Library of Spain visited the Presidential Library on 4 April 2026. Sona Guliyeva, "
        "deputy director of the library, who accompanied the guest, presented her with a book.",
        repo_draft_context,
    )
    assert _hosts(d) == ["Sona Guliyeva"]


def test_an_indefinite_title_naming_no_library_is_no_host(repo_draft_context: DraftContext) -> None:
    for text in (
        "Ana Ruiz of the National Library of Spain visited the Presidential Library on 5 April 2026. Pablo Gil, a "
        "curator from Madrid, told the staff about the exhibition.",
        "Ana Ruiz of the National Library of Spain visited the Presidential Library on 6 April 2026. Pablo Gil, a "
        "librarian, accompanied her.",
    ):
        assert _hosts(_draft(text, repo_draft_context)) == []
