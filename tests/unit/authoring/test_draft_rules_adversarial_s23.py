"""What an adversarial review of session 23's drafting rounds found (`git diff e220ab1..HEAD -- src/visitgraph/authoring`):
a document under discussion as an unsigned agreement (`_discussed_document`), the one-guest and nameless-guest
openers (`_COUNTED_GUESTS`), an event about a person (`_EVENT_ON_PERSON`), a firm named after its kind word
(`_after_kind_word`, `OrgMention.firm`), the one embassy of an item (`_find_embassy_elsewhere`), two bodies without an
article (`_two_bodies_without_article`), the Uzbek o‘/g‘ apostrophe, and the new gift rules ('as a gift' first,
'presented him the …', 'in turn presented', the library as giver, the host's library 'of the …').

Every input is a sentence of our own. A comment "Found by the review" says what was wrong and what the right reading
is: each of the 23 was a strict xfail until it was fixed, the same session (decision 0089). The other tests pin what
the rounds got right and must stay so.
"""

from __future__ import annotations

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from draftcases import seconds as _seconds
from visitgraph.authoring.draft import Draft, DraftContext
from visitgraph.authoring.extract import find_people
from visitgraph.authoring.newsfacts import find_agreements, find_gifts
from visitgraph.authoring.visitors import _two_bodies_without_article, analyse_visit
from visitgraph.core.errors import BadParameter

_V = "On May 5, 2027, writer Ali Hasanov visited the Presidential Library. "


def _agreements(text: str) -> list[tuple[str, bool]]:
    return [(a.name, a.signed) for a in find_agreements(_V + text)]


def _gifts(text: str) -> list[tuple[str, str, str]]:
    return [(g.agent, g.recipient, g.description) for g in find_gifts(_V + text, ["Ali Hasanov"], ["Mayil Ahmadov"])]


def _draft_or_none(text: str, ctx: DraftContext) -> Draft | None:
    """The draft, or None when the item does not read as a visit (no visitor named: also a right reading)."""
    try:
        return _draft(text, ctx)
    except BadParameter:
        return None


# --- 1. performance -------------------------------------------------------------------------------------------


# Found by the review: `_two_bodies_without_article` searches `\b[A-Z][\w’'-]*\s+of\s+…` in the words before 'and';
# a word of capitals joined by apostrophes or hyphens has a word boundary before every capital, and each start
# runs to the word's end: quadratic. 20 KB ('A’A’…A and Tallinn University') takes 1.5 s, 10 KB 0.4 s. The right
# reading is linear (e.g. anchor the search on word starts after a space, or bound the name's words)
def test_two_bodies_split_is_linear_on_a_long_joined_word() -> None:
    text = "’".join(["A"] * 10000) + " and Tallinn University"
    assert _seconds(lambda: _two_bodies_without_article(text), budget=1.5) < 0.5


def test_many_discussed_drafts_are_read_in_linear_time() -> None:
    text = " ".join(
        "The sides discussed the draft of a cooperation agreement between the two libraries." for _ in range(3000)
    )
    assert _seconds(lambda: find_agreements(text), budget=2.0) < 1.0
    text = "The sides discussed the draft agreement on " + " and ".join(["rare books"] * 8000) + " and agreed."
    assert _seconds(lambda: find_agreements(text)) < 0.5


def test_many_gifts_as_a_gift_first_are_read_in_linear_time() -> None:
    text = _V + " ".join("The guest brought as a gift a book to the library." for _ in range(3000))
    assert _seconds(lambda: find_gifts(text), budget=2.0) < 1.0
    text = _V + "He " + "gave as gift " * 8000 + "."
    assert _seconds(lambda: find_gifts(text)) < 0.5


def test_many_firms_after_their_kind_word_are_read_in_linear_time() -> None:
    text = " ".join("the publishing house Edition Morgen Anna von Allmen and" for _ in range(2000))
    assert _seconds(lambda: find_people(text), budget=2.0) < 1.0
    text = "the Istanbul company " + " ".join(["Nizami"] * 8000) + " von Allmen visited."
    assert _seconds(lambda: find_people(text)) < 0.5


def test_many_events_on_a_person_are_read_in_near_linear_time() -> None:
    text = (
        "On May 5, 2027, "
        + " ".join("guests came to a symposium on Nizami Ganjavi," for _ in range(1000))
        + " Ali Hasanov visited the Presidential Library."
    )
    assert _seconds(lambda: analyse_visit(text), budget=2.5) < 1.2


# --- 2. a document under discussion (decision 0089) ---------------------------------------------------------------


def test_a_draft_discussed_is_an_unsigned_agreement() -> None:
    assert _agreements("The sides exchanged views on a draft memorandum on the exchange of rare books.") == [
        ("Draft memorandum on the exchange of rare books", False)
    ]


def test_the_possibility_of_signing_is_no_agreement() -> None:
    assert _agreements("The sides discussed the possibility of signing a memorandum of cooperation.") == []
    assert _agreements("The sides discussed the implementation of the draft agreement.") == []


# Found by the review: `_DRAFTED_DOC` lets up to three lower-case words of any kind lead the document ('issues of
# mutual', 'importance of international'), so a topic about agreements in general is drafted as an unsigned
# agreement 'Issues of mutual agreement' / 'Importance of international agreements' (e220ab1 read none). Nothing
# of the sides is under discussion: none
def test_a_topic_about_agreements_is_no_document() -> None:
    assert _agreements("The sides discussed issues of mutual agreement.") == []
    assert _agreements("The sides discussed the importance of international agreements.") == []


# Found by the review: 'ways of concluding agreements with publishers' is the possibility of making one, which the
# convention reads as none ('conclusion' is excluded, 'concluding' is not): drafted as an unsigned agreement
# 'Ways of concluding agreements with publishers'. None
def test_ways_of_concluding_agreements_is_no_document() -> None:
    assert _agreements("The sides discussed ways of concluding agreements with publishers.") == []


# Found by the review: 'signed … in 2031' after the document's 'on …' words is swallowed by the lazy `on` group, so
# `_DOC_OF_BEFORE` (tried only at the match's end) never sees it: a document signed before and only discussed now
# is drafted as an unsigned agreement 'Agreement on cooperation signed between the two libraries in 2031'. None
def test_a_document_signed_before_after_its_subject_is_no_agreement() -> None:
    assert (
        _agreements("The sides discussed the agreement on cooperation signed between the two libraries in 2031.") == []
    )
    assert _agreements("The sides discussed the memorandum of cooperation concluded in 2031.") == []


# Found by the review: the same in a relative clause ('that the libraries signed last year'): drafted as an unsigned
# 'Memorandum of understanding'. The document exists already: none
def test_a_document_the_sides_signed_last_year_is_no_agreement() -> None:
    assert _agreements("The sides discussed the memorandum of understanding that the libraries signed last year.") == []


# Found by the review: the passive reading takes 'the agreement between the libraries signed last year was
# discussed' as an unsigned 'Agreement between the libraries signed last year' (without the 'between' words it is
# none). None
def test_a_document_signed_last_year_discussed_in_the_passive_is_no_agreement() -> None:
    assert _agreements("During the meeting the agreement between the libraries signed last year was discussed.") == []


# Found by the review: an existing agreement (', which expires next year') is read as one under discussion: an
# unsigned 'Cooperation agreement between the libraries'. What an existing one says or how long it runs is none
def test_an_agreement_that_expires_is_no_new_document() -> None:
    assert (
        _agreements("The sides discussed the cooperation agreement between the libraries, which expires next year.")
        == []
    )


# Found by the review: the convention's own case is missed when the sentence goes on 'and the possibility of signing
# it …': the lookahead after the document allows 'and' only before a verb or 'the sides', so no agreement is read.
# The draft itself was discussed: an unsigned 'Draft memorandum'
def test_a_draft_discussed_with_the_possibility_of_signing_it_is_an_agreement() -> None:
    assert _agreements(
        "The sides discussed the draft of a memorandum and the possibility of signing it in the autumn."
    ) == [("Draft memorandum", False)]


# --- 2. gifts ------------------------------------------------------------------------------------------------------


def test_a_gift_as_a_gift_first_is_read() -> None:
    assert [d for _, _, d in _gifts("The guest brought as a gift a collection of his poems.")] == [
        "Collection of his poems"
    ]


def test_an_electronic_catalogue_shown_is_no_gift() -> None:
    assert _gifts("Mayil Ahmadov presented them the new electronic catalogue.") == []
    assert _gifts("The guests toured the halls, and were presented with information about the library's funds.") == []


# Found by the review: `as_gift_first` takes any capitalised word as the giver and 'brought' as a handing-over: an
# exhibition that 'brought together books received as gifts' is a gift from 'The' to the library, 'Together books
# received' (e220ab1 read none). Nothing is handed over: no gift
def test_an_exhibition_of_gifts_received_is_no_gift() -> None:
    assert _gifts("The exhibition brought together books received as gifts from foreign libraries.") == []


# Found by the review: 'The library presented as a gift to the guests a book' is read by `as_gift_first` with 'The'
# as giver, the library as receiver and 'To the guests a book about Baku' as the thing (e220ab1 read none). The
# host gives the guests a book about Baku
def test_the_library_giving_as_a_gift_to_the_guests_gives() -> None:
    assert _gifts("The library presented as a gift to the guests a book about Baku.") == [
        ("host", "guests", "Book about Baku")
    ]


# Found by the review: `as_gift_first` has no guard for a gift of another time: 'his father had brought as a gift
# a manuscript to the library in 1995' is today's gift from the guest (e220ab1 read none). None
def test_a_gift_brought_decades_ago_is_no_gift() -> None:
    assert _gifts("He noted that his father had brought as a gift a manuscript to the library in 1995.") == []


# Found by the review: the new 'presented him/her/them the …' of `gave_to` reads a thing shown or told as handed
# over: 'presented them the library's rare manuscripts' and 'presented him the history of the library' are gifts
# from the host (e220ab1 read none). The host showed its own collection and told its history: no gift
def test_a_collection_shown_to_the_guests_is_no_gift() -> None:
    assert _gifts("Deputy director Sevinj Quliyeva presented them the library's rare manuscripts.") == []
    assert _gifts("Deputy director Sevinj Quliyeva presented him the history of the library.") == []


# Found by the review: the library as giver in `donated` ('The library presented … to the guests') reads a strategy
# presented as a thing handed over: 'Its digitization strategy' from the host to the guests. No gift
def test_a_strategy_presented_by_the_library_is_no_gift() -> None:
    assert _gifts("The library presented its digitization strategy to the guests.") == []


# Found by the review: 'the head of the delegation' as giver in `donated` reads people introduced as a thing: 'The
# head of the delegation presented the delegation members to the director' is a gift 'Delegation members' from the
# guests (e220ab1 read none). No gift
def test_members_introduced_by_the_head_of_the_delegation_are_no_gift() -> None:
    assert _gifts("The head of the delegation presented the delegation members to the director.") == []


# Found by the review: the negative lookahead that sends 'the library of the X' to the guests' library also stops
# `passive_to` on the host's own full name: 'A collection of books was presented to the Presidential Library of the
# Administration of the President …' gives the giver 'A collection of books was' and the thing 'Of the
# Administration …' (e220ab1: the guests gave 'Collection of books' to the host). The guests give the collection
def test_a_gift_to_the_presidential_library_of_the_administration_is_the_hosts() -> None:
    assert _gifts(
        "A collection of books was presented to the Presidential Library of the Administration of the President of "
        "the Republic of Azerbaijan."
    ) == [("guests", "host", "Collection of books")]


# --- 2. guests named in the sentence after -------------------------------------------------------------------------


def test_a_host_after_nameless_guests_is_no_guest(repo_draft_context: DraftContext) -> None:
    d = _draft_or_none(
        "On June 18, 2051, Estonian guests visited the Presidential Library. Deputy director of the library Sevinj "
        "Quliyeva told them about the library's history.",
        repo_draft_context,
    )
    assert d is None or ("Sevinj Quliyeva", True) not in _people(d.attendees)


# Found by the review: the one-guest alternative of `_COUNTED_GUESTS` ('received a guest', 'was visited by the
# Ambassador of X to Azerbaijan') takes the next sentence as the one naming the guest, so the host staff who welcome
# or guide the guest there become the visitor (e220ab1 read no visitor). Sevinj Quliyeva is the host's: not a guest
def test_the_host_who_shows_one_guest_round_is_no_guest(repo_draft_context: DraftContext) -> None:
    d = _draft_or_none(
        "On June 18, 2051, the Presidential Library received a guest. The guest was shown the reading rooms by "
        "chief librarian Sevinj Quliyeva.",
        repo_draft_context,
    )
    assert d is None or ("Sevinj Quliyeva", True) not in _people(d.attendees)


def test_the_host_who_welcomes_an_ambassador_is_no_guest(repo_draft_context: DraftContext) -> None:
    d = _draft_or_none(
        "On June 18, 2051, the Presidential Library was visited by the Ambassador of Italy to Azerbaijan. The guest "
        "was welcomed by deputy director Sevinj Quliyeva.",
        repo_draft_context,
    )
    assert d is None or ("Sevinj Quliyeva", True) not in _people(d.attendees)


# --- 2. the person an event is about ---------------------------------------------------------------------------


def test_the_poet_a_festival_is_dedicated_to_is_no_guest(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On June 18, 2051, Ali Hasanov, a participant of the festival dedicated to Fuzuli Muhammad, visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Ali Hasanov", True)]


# Found by the review: `_EVENT_ON_PERSON` masks the person only when the run is followed by a stop or 'in', 'at',
# 'held' …; 'a symposium on Nizami Ganjavi and visited the library' (and '… together with X') leaves the poet a
# visitor. The visitor is Ali Hasanov alone
def test_the_poet_a_symposium_is_on_is_no_guest_before_and(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On June 18, 2051, Ali Hasanov came to Baku to take part in a symposium on Nizami Ganjavi and visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Ali Hasanov", True)]


# --- 2. firms named after their kind word ---------------------------------------------------------------------


def test_a_firm_after_its_kind_word_is_drafted(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, Ali Hasanov, director of the company Caspian Media Group, visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Caspian Media Group", True)]


# Found by the review: after 'the publishing house', a run of three capitalised words with no person's name before
# it is cut into a firm of one word and a person of the last two: 'Taylor' and a visitor 'Francis Group' (e220ab1:
# no visitor). The firm is 'Taylor Francis Group'; the director is not named
def test_a_three_word_firm_is_no_firm_and_person(repo_draft_context: DraftContext) -> None:
    d = _draft_or_none(
        "On May 5, 2027, the director of the publishing house Taylor Francis Group visited the Presidential Library.",
        repo_draft_context,
    )
    assert d is None or ("Francis Group", True) not in _people(d.attendees)


# Found by the review: the same cut makes the delegation of 'the publishing house Qanun Nashr Evi' a visitor 'Nashr
# Evi' ('publishing house' in Azerbaijani) and drops the firm (e220ab1 read the one body 'Qanun Nashr Evi')
def test_a_publishers_own_language_name_is_no_person(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, a delegation of the publishing house Qanun Nashr Evi visited the Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == []
    assert _orgs(d) == [("Qanun Nashr Evi", True)]


# Found by the review: a firm whose own name holds a particle ('Philipp von Zabern') is cut at it: the firm minted
# is 'Philipp' (e220ab1 read no visit). The firm is 'Philipp von Zabern'
def test_a_firm_named_with_a_particle_stays_whole(repo_draft_context: DraftContext) -> None:
    d = _draft_or_none(
        "On May 5, 2027, the director of the publishing house Philipp von Zabern visited the Presidential Library.",
        repo_draft_context,
    )
    assert d is None or ("Philipp", True) not in _orgs(d)


# --- 2. the one embassy of the item -----------------------------------------------------------------------------


# Found by the review: `_find_embassy_elsewhere` gives an ambassador named with no country the one embassy the item
# names anywhere, whatever the sentence says of it: a former ambassador is given the Embassy of Italy whose staff
# attended, and an ambassador the embassy where he worked earlier in his career (e220ab1 gave none). Neither
# belongs: no embassy
def test_an_embassy_named_for_another_reason_is_not_the_ambassadors(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, former ambassador Ali Hasanov visited the Presidential Library. The meeting was also "
        "attended by staff of the Embassy of Italy.",
        repo_draft_context,
    )
    assert ("Embassy of Italy", True) not in _orgs(d)
    d = _draft(
        "On May 5, 2027, Ambassador Ali Hasanov visited the Presidential Library. Earlier in his career he had "
        "worked at the Embassy of Azerbaijan in Rome.",
        repo_draft_context,
    )
    assert _orgs(d) == []


# --- 2. bodies and lists ----------------------------------------------------------------------------------------


def test_a_whole_name_and_another_headed_body_are_two(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, a delegation of the Ministry of Culture of Estonia and Tallinn University visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Ministry of Culture of Estonia", True), ("Tallinn University", True)]


def test_the_lists_with_and_and_are_no_part_of_the_body(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On June 18, 2051, Mari Kask from the National Library of Estonia with Jaan Tamm visited the Presidential "
        "Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("National Library of Estonia", True)]
    d = _draft(
        "On June 18, 2051, Mari Kask from the Institute of Language and Literature and Jaan Tamm visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Institute of Language and Literature", True)]


def test_the_librarys_staff_title_makes_host_staff_but_not_a_companion(repo_draft_context: DraftContext) -> None:
    d = _draft(_V + "The library's chief bibliographer Sevinj Quliyeva showed him the rare books.", repo_draft_context)
    assert _people(d.contributors) == [("Sevinj Quliyeva", True)]
    d = _draft(
        "On May 5, 2027, Ali Hasanov, director of the National Library of Georgia, visited the Presidential Library. "
        "He was joined by the library's chief bibliographer Nino Beridze.",
        repo_draft_context,
    )
    assert ("Nino Beridze", True) in _people(d.attendees)


# --- 2. the Uzbek apostrophe --------------------------------------------------------------------------------------


def test_an_uzbek_name_keeps_its_apostrophe(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On June 18, 2051, Otabek Yo‘ldoshev, director of the Alisher Navoi National Library of O‘zbekiston, visited "
        "the Presidential Library.",
        repo_draft_context,
    )
    assert _people(d.attendees) == [("Otabek Yo‘ldoshev", True)]


# Found by the review: the o‘ apostrophe is read as '’' for the whole item, and only people's names are given back
# the written form: the body is minted as 'Alisher Navoi National Library of O’zbekiston', a spelling the text does
# not have. The body keeps 'O‘zbekiston' as written
def test_an_uzbek_body_keeps_its_apostrophe(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On June 18, 2051, Otabek Yo‘ldoshev, director of the Alisher Navoi National Library of O‘zbekiston, visited "
        "the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Alisher Navoi National Library of O‘zbekiston", True)]
