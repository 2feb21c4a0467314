"""Query budgets and the result cache, checked where mutation testing found them unguarded.

What users rely on: a client gets its seconds per *minute* (not 59 or 61 s), a new or idle client gets
its whole budget and never more, admission reserves what is left and gives it back when the query ends,
and a cache of size one keeps one answer. Every expected number is worked out by hand from the charges
made in the test (a hand-driven clock), never read from the budget itself. These tests are in the
mutation tool's `querylimits` target (tools/mutation.py).
"""

from __future__ import annotations

import dataclasses

import pytest

from visitgraph.core.errors import BadQuery, LimitExceeded
from visitgraph.sparql import querylimits
from visitgraph.sparql.answers import Answer
from visitgraph.sparql.querylimits import MIN_GRANT, ClientBudget, Reservation, ResultCache, check_depth


class Clock:
    """A hand-driven monotonic clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(querylimits.time, "monotonic", c)
    return c


def test_the_default_window_is_one_minute(clock: Clock) -> None:
    """`ClientBudget(n)` means n query seconds per minute: a charge counts for 60 s, then no longer."""
    budget = ClientBudget(10.0)
    budget.charge("a", 10.0)  # at t=1000
    clock.now = 1059.0
    with pytest.raises(LimitExceeded):
        budget.check("a")
    clock.now = 1060.0  # exactly one minute later the charge still counts
    with pytest.raises(LimitExceeded):
        budget.check("a")
    clock.now = 1060.5  # and half a second later it is gone
    budget.check("a")


def test_a_new_client_gets_its_whole_budget_and_no_more(clock: Clock) -> None:
    small = ClientBudget(0.5)
    small.check("new")  # nothing used yet: 0 < 0.5
    assert small.reserve("new", 100.0)[1] == 0.5
    budget = ClientBudget(10.0)
    ticket, granted = budget.reserve("other", 100.0)
    assert granted == 10.0 and ticket.client == "other" and ticket.seconds == 10.0


def test_a_client_whose_charges_all_left_the_window_starts_afresh(clock: Clock) -> None:
    small = ClientBudget(0.5)
    small.charge("a", 5.0)
    budget = ClientBudget(10.0)
    budget.charge("a", 5.0)
    clock.now = 1061.0
    small.check("a")  # 0 used again, below even a budget under one second
    assert budget.reserve("a", 100.0)[1] == 10.0


def test_a_charge_that_left_the_window_is_no_longer_counted(clock: Clock) -> None:
    budget = ClientBudget(10.0)
    budget.charge("a", 4.0)  # t=1000
    clock.now = 1030.0
    budget.charge("a", 0.5)  # t=1030
    clock.now = 1061.0  # the 4 s charge has left, the 0.5 s one has not
    assert budget.reserve("a", 100.0)[1] == 9.5


def test_rounding_never_gives_a_client_more_than_its_limit(clock: Clock) -> None:
    """0.7 + 0.1 + 0.0 - 0.7 - 0.1 is -2.8e-17 in floating point: the seconds used are clamped at zero."""
    budget = ClientBudget(0.05)
    budget.charge("a", 0.7)
    clock.now = 1010.0
    budget.charge("a", 0.1)
    clock.now = 1020.0
    budget.charge("a", 0.0)
    clock.now = 1075.0  # the first two charges have left the window, the last has not
    assert budget.reserve("a", 1.0)[1] == 0.05


def test_reservations_share_the_budget_and_are_given_back(clock: Clock) -> None:
    budget = ClientBudget(10.0)
    first, granted = budget.reserve("a", 6.0)
    assert granted == 6.0
    second, granted = budget.reserve("a", 6.0)
    assert granted == 4.0  # only 4 s are left while the first query runs
    with pytest.raises(LimitExceeded) as info:
        budget.reserve("a", 1.0)
    assert info.value.status == 429 and info.value.retry_after == 61  # nothing spent yet: a whole window
    assert "holds in running queries" in str(info.value) and "Try again in 61 s" in str(info.value)
    budget.settle(first, 1.0)  # the first query used 1 s of its 6
    assert budget._reserved == {"a": 4.0}
    _, granted = budget.reserve("a", 100.0)
    assert granted == 5.0  # 10 - 1 spent - 4 held


def test_settling_the_last_reservation_releases_it_entirely(clock: Clock) -> None:
    budget = ClientBudget(10.0)
    ticket, _ = budget.reserve("a", 3.0)
    budget.settle(ticket, 3.0)
    assert budget._reserved == {} and budget.reserve("a", 100.0)[1] == 7.0


def test_a_reservation_below_the_smallest_grant_is_refused(clock: Clock) -> None:
    budget = ClientBudget(10.0)
    budget.charge("a", 10.0 - MIN_GRANT / 2)  # less than the smallest grant is left
    clock.now = 1030.0
    with pytest.raises(LimitExceeded) as info:
        budget.reserve("a", 5.0)
    assert info.value.retry_after == 31  # the charge at t=1000 leaves at t=1060: 30 s, plus one
    tiny = ClientBudget(10.0)
    assert tiny.reserve("b", MIN_GRANT / 2)[1] == MIN_GRANT / 2  # a short query asking little gets it


def test_a_grant_of_exactly_the_smallest_amount_is_given(clock: Clock) -> None:
    budget = ClientBudget(MIN_GRANT)  # left is exactly the smallest grant
    assert budget.reserve("a", 5.0)[1] == MIN_GRANT


def test_anonymous_and_unlimited_reservations_cost_nothing(clock: Clock) -> None:
    budget = ClientBudget(1.0)
    ticket, granted = budget.reserve(None, 30.0)
    assert (ticket.client, ticket.seconds, granted) == (None, 0.0, 30.0)
    budget.settle(ticket, 30.0)
    assert budget._spent == {} and budget._reserved == {}
    off = ClientBudget(0.0)
    assert off.reserve("a", 30.0)[1] == 30.0 and off._reserved == {}


def _answer(n: int) -> Answer:
    return Answer(b"x", "text/plain", "csv", "SELECT", n, False)


def test_a_cache_of_size_one_keeps_one_answer() -> None:
    cache = ResultCache(1)
    cache.put(("a",), _answer(1))
    assert cache.get(("a",)) == _answer(1)
    cache.put(("b",), _answer(2))
    assert cache.get(("a",)) is None and cache.get(("b",)) == _answer(2)


def test_a_reservation_ticket_cannot_be_altered() -> None:
    """A running query cannot raise the seconds its ticket gives back (or charge another client)."""
    ticket = Reservation("a", 2.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ticket.seconds = 99.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("query", "depth"),
    [
        ("SELECT * WHERE { FILTER((((((1)))))) }", 7),  # one brace, six parentheses
        ("SELECT * WHERE { ?s ?p [ ?q [ ?r [ ?t ?u ] ] ] }", 4),  # one brace, three brackets
        ("SELECT * WHERE " + "\\u007B " * 5 + "?s ?p ?o " + "\\u007D " * 5, 5),  # braces written as escapes
    ],
)
def test_queries_nested_too_deep_are_refused_whatever_the_openers(query: str, depth: int) -> None:
    with pytest.raises(BadQuery, match=f"nests {depth} groups or expressions deep; the limit is 3"):
        check_depth(query, 3)


def test_a_query_exactly_as_deep_as_the_limit_passes() -> None:
    check_depth("SELECT * WHERE { FILTER((1)) } ORDER BY (?s)", 3)  # four openers, three deep
    with pytest.raises(BadQuery, match="nests 4 groups"):
        check_depth("SELECT * WHERE { FILTER(((1))) } ORDER BY (?s)", 3)


def test_settling_every_ticket_leaves_nothing_held(clock: Clock) -> None:
    """Even when rounding drops the client's hold before its last (tiny) ticket is settled."""
    budget = ClientBudget(10.0)
    big, _ = budget.reserve("a", 1.0)
    tiny, granted = budget.reserve("a", 1e-10)
    assert granted == 1e-10
    budget.settle(big, 1.0)  # 1.0000000001 - 1.0 is below a nanosecond: the hold is dropped
    budget.settle(tiny, 0.0)
    assert budget._reserved == {}
    assert budget.reserve("a", 100.0)[1] == 9.0  # 10 - 1 spent, nothing held


def test_a_refused_reservation_waits_for_the_oldest_charge(clock: Clock) -> None:
    budget = ClientBudget(10.0)
    budget.charge("a", 5.0)  # t=1000: leaves the window at t=1060
    clock.now = 1020.0
    budget.charge("a", 5.0)  # t=1020: leaves at t=1080
    clock.now = 1030.0
    with pytest.raises(LimitExceeded) as info:
        budget.reserve("a", 1.0)
    assert info.value.retry_after == 31  # 1060 - 1030, plus one: the oldest charge frees budget first


def test_a_refused_reservation_waits_one_second_when_budget_returns_within_it(clock: Clock) -> None:
    budget = ClientBudget(10.0)
    budget.charge("a", 10.0)
    clock.now = 1059.5  # the charge leaves in half a second
    with pytest.raises(LimitExceeded) as info:
        budget.reserve("a", 1.0)
    assert info.value.retry_after == 1


def test_a_hold_under_one_second_still_counts(clock: Clock) -> None:
    budget = ClientBudget(10.0)
    first, _ = budget.reserve("a", 6.0)
    budget.reserve("a", 0.5)  # still running
    budget.settle(first, 1.0)
    assert budget.reserve("a", 100.0)[1] == 8.5  # 10 - 1 spent - 0.5 held
