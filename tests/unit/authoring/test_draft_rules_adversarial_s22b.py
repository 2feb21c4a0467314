"""What an adversarial review of drafting rounds 36–37 found (session 22, second review; `git show 19b11c2 00fa1bb
1db33e3 -- src/visitgraph/authoring`): an own-language name with its English name in brackets (`full_and_short`),
'Neşriyat', 'who is now an adviser to the X' (`_WORKS_AT`), `_staff_after` with a part in lower case,
`_COMMA_IN_NAME` in `_groups`, a gift 'thanked … for the' / 'donated earlier' skipped (`find_gifts`), and
`_fuller_named_before` (a later short form of a body named before).

Every input is a sentence of our own. A comment above a test says what the review found there (each was a strict
xfail until it was fixed, the same session); the other tests pin what the rounds got right and must stay so.
"""

from __future__ import annotations

from draftcases import draft_case as _draft
from draftcases import orgs as _orgs
from draftcases import people as _people
from draftcases import seconds as _seconds
from visitgraph.authoring.draft import Draft, DraftContext, full_and_short
from visitgraph.authoring.extract import find_people, split_descriptor
from visitgraph.authoring.newsfacts import find_gifts
from visitgraph.authoring.visitors import analyse_visit

_V = "On May 5, 2027, writer Ali Hasanov visited the Presidential Library. "
_FIRST = ["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Gulnara", "Hasan"]
_LAST = ["Adams", "Brown", "Clark", "Dunn", "Evans", "Ford", "Gray", "Hill"]


def _affiliation(d: Draft, name: str) -> list[str]:
    """The affiliations (IRIs shortened) the draft gives a person."""
    return [
        v for e in d.attendees + d.contributors if e.name == name for p, v, _ in e.props if p == "schema:affiliation"
    ]


def _gifts(text: str) -> list[str]:
    return [g.description for g in find_gifts(_V + text)]


# --- 1. performance -------------------------------------------------------------------------------------------


# Found by the review: _fuller_named_before compares each visitor's body with every body before it (and calls
# institution_head inside the inner loop): quadratic in the number of visitors. 800 visitors (71 KB): 2.8 s where
# c1c9998 took 0.64 s
# Found by the second review, fixed in session 22: _fuller_named_before is quadratic in the visitors: 2.8 s for 800
# (c1c9998 0.64 s)
def test_many_visitors_with_bodies_are_read_in_near_linear_time() -> None:
    vis = ", ".join(
        f"{_FIRST[k % 8]} {_LAST[(k // 8) % 8]}, rector of the {' '.join(_LAST)} {_FIRST[k % 8]} University"
        for k in range(800)
    )
    text = "On May 5, 2027, " + vis + ", visited the Presidential Library."
    assert _seconds(lambda: analyse_visit(text), budget=2.5) < 1.2


# Found by the review: _COMMA_IN_NAME keeps each 'a delegation of the A, B and C Organization' header from being cut
# at its comma, so each header's body runs on over the rest of the sentence: 800 headers (45 KB) 3.3 s where c1c9998
# took 0.26 s
# Found by the second review, fixed in session 22: _COMMA_IN_NAME makes _groups quadratic in headers: 3.3 s for 800
# (c1c9998 0.26 s)
def test_many_group_headers_with_commas_are_read_in_near_linear_time() -> None:
    text = (
        "On May 5, 2027, "
        + " ".join(
            f"a delegation of the {_FIRST[k % 8]}, {_LAST[k % 8]} and {_FIRST[(k + 3) % 8]} Organization"
            for k in range(800)
        )
        + " visited the Presidential Library."
    )
    assert _seconds(lambda: analyse_visit(text), budget=2.5) < 1.0


def test_many_thanks_before_a_gift_are_read_in_linear_time() -> None:
    text = _V + "The guest " + " ".join("thanked the staff for the" for _ in range(8000)) + " books."
    assert _seconds(lambda: find_gifts(text)) < 0.5
    text = _V + " ".join("The guest thanked the staff for the help and gave the library a novel." for _ in range(4000))
    assert _seconds(lambda: find_gifts(text), budget=2.0) < 1.0


def test_a_long_bracketed_name_is_split_in_linear_time() -> None:
    name = " ".join(f"Biblioteca {_FIRST[k % 8]}" for k in range(8000))
    name += " (" + " ".join(f"National Library {_LAST[k % 8]}" for k in range(8000)) + ")"
    assert _seconds(lambda: full_and_short(name)) < 0.5


# --- 2. an own-language name with its English name in brackets ------------------------------------------------


def test_an_english_name_in_brackets_is_the_other_name() -> None:
    assert full_and_short("Biblioteca Nazionale Centrale di Firenze (National Central Library of Florence)") == (
        "Biblioteca Nazionale Centrale di Firenze",
        "National Central Library of Florence",
    )


# Found by the review: the round-36 branch asks only that the bracket hold an institution's head word, so a remark
# in brackets that names another body ('under the Ministry of Culture', 'next to the University of Barcelona')
# becomes the library's other name (schema:alternateName)
# Found by the second review, fixed in session 22: a bracketed remark naming another body is taken as the body's
# other name
def test_a_remark_in_brackets_is_no_other_name() -> None:
    name = "Biblioteca Nacional de España (under the Ministry of Culture)"
    assert full_and_short(name)[1] is None
    name = "Biblioteca de Catalunya (next to the University of Barcelona)"
    assert full_and_short(name)[1] is None


# --- 2. publishers and advisers ---------------------------------------------------------------------------------


def test_nesriyat_is_a_publishers_kind_word() -> None:
    assert split_descriptor("director of the Ankara publishing house Bilgi Neşriyat") == ("director", "Bilgi Neşriyat")
    assert [p.name for p in find_people("Director of Bilgi Neşriyat Ahmet Yılmaz visited.")] == ["Ahmet Yılmaz"]


def test_an_adviser_to_a_body_belongs_to_it(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, writer Ali Hasanov, who is currently a senior adviser to the National Academy of Sciences, "
        "visited the Presidential Library.",
        repo_draft_context,
    )
    assert _affiliation(d, "Ali Hasanov") == ["org:national-academy-of-sciences"]


def test_an_adviser_to_a_minister_names_no_body(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, writer Ali Hasanov, who is now an adviser to the Minister of Culture, visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert _affiliation(d, "Ali Hasanov") == []


def test_a_former_adviser_does_not_belong(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, Ali Hasanov, director of the National Library of Georgia, visited the Presidential Library. "
        "He is a former adviser to the Ministry of Culture.",
        repo_draft_context,
    )
    assert _affiliation(d, "Ali Hasanov") == ["org:national-library-of-georgia"]


# --- 2. a part of the host in a later sentence ------------------------------------------------------------------


def test_a_part_of_the_host_in_capitals_makes_host_staff(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _V + "Kamala Rustamova, head of the Reader Services department, showed him the reading rooms.",
        repo_draft_context,
    )
    assert ("Kamala Rustamova", True) in _people(d.contributors)


def test_a_part_of_another_body_makes_no_host_staff(repo_draft_context: DraftContext) -> None:
    d = _draft(
        _V + "Kamala Rustamova, head of the Reader Services department of the National Library of Georgia, showed "
        "him the reading rooms.",
        repo_draft_context,
    )
    assert _people(d.contributors) == []


# --- 2. a comma inside a group's body name ----------------------------------------------------------------------


def test_a_comma_inside_one_bodys_name_keeps_it_whole(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, a delegation of the Islamic World Educational, Scientific and Cultural Organization (ICESCO) "
        "visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("Islamic World Educational, Scientific and Cultural Organization", True)]


# Found by the review: _COMMA_IN_NAME does not cut at a comma followed by '<Word> and <Words> Council', even when the
# words before the comma are a whole body's name: 'the National Library of Georgia, TÜRKSOY and Turkic Council' is
# minted as one body (19b11c2^ read two)
# Found by the second review, fixed in session 22: a comma list of bodies is minted as one body 'X, TÜRKSOY and
# Turkic Council'
def test_a_list_of_bodies_after_a_comma_is_no_one_name(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, representatives of the National Library of Georgia, TÜRKSOY and Turkic Council visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    names = [n for n, _ in _orgs(d)]
    assert "National Library of Georgia" in names
    assert not any(", " in n for n in names)


# Found by the review: the same: 'the Goethe Institute, UNESCO and Asia Foundation' is one new body
# Found by the second review, fixed in session 22: 'Goethe Institute, UNESCO and Asia Foundation' is minted as one
# body
def test_three_bodies_in_a_list_are_no_one_name(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, representatives of the Goethe Institute, UNESCO and Asia Foundation visited the "
        "Presidential Library.",
        repo_draft_context,
    )
    assert not any(", " in n for n, _ in _orgs(d))


# --- 2. a later short form of a body named before ---------------------------------------------------------------


def test_a_later_short_form_is_the_body_named_before(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, Ali Hasanov, director of the National Parliamentary Library of Georgia, and Nino Beridze, "
        "head of the rare books department of the Parliamentary Library, visited the Presidential Library.",
        repo_draft_context,
    )
    assert _orgs(d) == [("National Parliamentary Library of Georgia", True)]


def test_two_bodies_of_one_kind_stay_two(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, Ali Hasanov, director of the National Library of Georgia, and Farid Aliyev, director of the "
        "National Library of Armenia, visited the Presidential Library.",
        repo_draft_context,
    )
    assert len(_orgs(d)) == 2


# Found by the review: _fuller_named_before asks only that every word of the shorter name be in the longer one with
# the same head: the Library of Congress is read as the Law Library of Congress (a part of it), and the second guest
# is given the first's body; c1c9998 kept both
# Found by the second review, fixed in session 22: 'Library of Congress' is merged into the 'Law Library of
# Congress' named before
def test_a_body_is_not_its_own_part_named_before(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, Ali Hasanov, head of the Law Library of Congress, and Farid Aliyev, a curator of the Library "
        "of Congress, visited the Presidential Library.",
        repo_draft_context,
    )
    assert _affiliation(d, "Farid Aliyev") == ["org:library-of-congress"]


# Found by the review: the same subset test ignores word order and reads bodies named after as 'before' (out.orgs):
# the professor of the University of Tehran is given the Tehran University of Medical Sciences, another university,
# while the University of Tehran is still minted with no one in it
# Found by the second review, fixed in session 22: 'University of Tehran' is read as 'Tehran University of Medical
# Sciences'
def test_two_universities_of_one_city_stay_apart(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, Ali Hasanov, rector of the Tehran University of Medical Sciences, and Farid Aliyev, professor "
        "of the University of Tehran, visited the Presidential Library.",
        repo_draft_context,
    )
    assert _affiliation(d, "Farid Aliyev") == ["org:university-of-tehran"]


# Found by the review: a later guest of the Institute of Manuscripts is read as one of the Institute of Oriental
# Manuscripts, the group's body named before (another institute; c1c9998 minted both)
# Found by the second review, fixed in session 22: 'Institute of Manuscripts' is merged into 'Institute of Oriental
# Manuscripts'
def test_an_institute_is_not_a_longer_named_one(repo_draft_context: DraftContext) -> None:
    d = _draft(
        "On May 5, 2027, a delegation of the Institute of Oriental Manuscripts visited the Presidential Library. The "
        "delegation included Farid Aliyev, director of the Institute of Manuscripts.",
        repo_draft_context,
    )
    assert ("Institute of Manuscripts", True) in _orgs(d)


# --- 2. gifts thanked for, and gifts from before ----------------------------------------------------------------


def test_thanks_for_books_donated_earlier_are_no_gift() -> None:
    assert _gifts("The guest thanked the staff for the books donated earlier to the library of the Center.") == []


def test_thanks_before_a_gift_keep_it() -> None:
    assert _gifts("Thanking the staff for the warm welcome, the guest presented the library with his novels.") == [
        "His novels"
    ]
    assert _gifts(
        "The guest thanked the director for the tour and presented the library with a collection of his books."
    ) == ["Collection of his books"]


# Found by the review: the skip is searched in the whole match of the gift rule, which runs past the gift: thanks
# after the gift, in the same sentence, drop it (19b11c2 kept 'His novels')
# Found by the second review, fixed in session 22: thanks after the gift in its sentence drop the gift
def test_thanks_after_the_gift_keep_it() -> None:
    assert _gifts("The guest presented the library with his novels and thanked the staff for the hospitality.") == [
        "His novels"
    ]


# Found by the review: the same, after a comma ('…, and thanked the director for the meeting'; 19b11c2: 'Album')
# Found by the second review, fixed in session 22: ', and thanked the director for the meeting' after the gift drops
# it
def test_thanks_after_a_comma_keep_the_gift() -> None:
    assert _gifts("The guest presented the library with an album, and thanked the director for the meeting.") == [
        "Album"
    ]


# Found by the review: 'presented earlier' is read as a gift from before even when it is the book's launch today, not
# the gift; 19b11c2 drafted a gift
# Found by the second review, fixed in session 22: 'the books presented earlier today at the book fair' drops
# today's gift
def test_books_launched_earlier_today_are_still_a_gift() -> None:
    assert len(_gifts("The guest donated to the library the books presented earlier today at the book fair.")) == 1


# Found by the review: 'presented in 2026' (the novel's launch) and 'given in 2025 the State Prize' are read as a
# gift given before; both are today's gifts (19b11c2 drafted them)
# Found by the second review, fixed in session 22: a year after 'presented'/'given' about the book, not the gift,
# drops the gift
def test_a_book_launched_in_an_earlier_year_is_still_a_gift() -> None:
    assert (
        len(_gifts("The guest presented the library with the novel presented in 2026 at the Frankfurt Book Fair.")) == 1
    )
    assert len(_gifts("The guest donated to the library his novel, given in 2025 the State Prize.")) == 1


def test_a_gift_as_done_before_is_still_a_gift() -> None:
    assert _gifts("The guest donated his novels to the library, as he had done earlier.") == ["His novels"]
