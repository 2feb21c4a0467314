"""The drafter answers every news text with a draft or a clear refusal, never an exception from inside its rules.

A blind evaluation set (dev21, 6 Dec 2026) made `find_gifts` raise IndexError: a second predicate of giving ("… and
were in turn given …") in a sentence where nothing had been handed over before it. The sentences here are our own;
the property test recombines clauses of the genre (visits, gifts in both directions, second predicates, agreements,
titles, names) in any order, so a rule that assumes an earlier clause is caught wherever it sits.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from visitgraph.authoring.draft import DraftContext, draft_item, plan_items
from visitgraph.authoring.newsfacts import find_agreements, find_gifts

CLAUSES = [
    "On May 4, 2026, the Presidential Library was visited by Anna Novak, director of the National Library of Erewhon",
    "the guests toured the reading halls",
    'and were in turn given the album "Baku"',
    "were then presented with books by the director",
    "was given a catalogue",
    "also were handed a set of stamps by chief bibliographer Leyla Aliyeva",
    "the guests presented the library with a facsimile edition",
    "the library, for its part, handed over publications",
    "in return she received a vase",
    "the sides signed a memorandum of cooperation",
    "the possibility of a memorandum was discussed",
    "Together with them came G. Wilson",
    "Led by deputy director Elnur Mammadli, the visitors saw the rare books fund",
    "the delegation consisting of X and Y",
    "which in its turn gave each guest a book",
    "and",
    "",
]
JOINS = [". ", ", ", "; ", " ", ", and ", " – "]


def _draft(text: str, ctx: DraftContext) -> object:
    items = plan_items(text, name="case")
    return [draft_item(item, ctx) for item in items if item is not None]


def test_a_second_predicate_of_giving_with_nothing_given_before_it() -> None:
    for text in (
        'The guests toured the reading halls, and were in turn given the album "Baku".',
        "Were given books.",
        "were in turn given a vase by the director; and were then handed books.",
    ):
        assert isinstance(find_gifts(text, ["Anna Novak"], []), list)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(CLAUSES), st.sampled_from(JOINS)), min_size=1, max_size=6))
def test_any_order_of_the_genres_clauses_is_read_without_an_exception(parts: list[tuple[str, str]]) -> None:
    text = "".join(clause + join for clause, join in parts)
    assert isinstance(find_gifts(text, ["Anna Novak", "G. Wilson"], ["Leyla Aliyeva"]), list)
    assert isinstance(find_agreements(text), list)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(CLAUSES), st.sampled_from(JOINS)), min_size=2, max_size=6))
def test_whole_items_of_recombined_clauses_draft_without_an_exception(
    repo_draft_context: DraftContext, parts: list[tuple[str, str]]
) -> None:
    text = CLAUSES[0] + ". " + "".join(clause + join for clause, join in parts) + "."
    _draft(text, repo_draft_context)
