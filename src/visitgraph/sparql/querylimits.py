"""Limits around query execution: a per-client budget of query seconds and a result cache."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

from visitgraph.core.errors import BadQuery, LimitExceeded
from visitgraph.sparql.answers import Answer

#: Smallest budget grant worth running a query with (seconds).
MIN_GRANT = 0.05


@dataclass(frozen=True)
class Reservation:
    """Seconds of one client's budget held by a running query (client None: nobody pays)."""

    client: str | None
    seconds: float


class ClientBudget:
    """Query seconds each client may use per sliding minute."""

    def __init__(self, seconds_per_minute: float, window: float = 60.0) -> None:
        self.limit = seconds_per_minute
        self.window = window
        self._spent: dict[str, deque[tuple[float, float]]] = {}
        self._totals: dict[str, float] = {}  # running sum of each client's deque: O(1) per request
        self._reserved: dict[str, float] = {}  # seconds held by each client's running queries
        self._lock = threading.Lock()

    def _used(self, client: str, now: float) -> float:
        spent = self._spent.get(client)
        if not spent:
            return 0.0
        total = self._totals[client]
        while spent and spent[0][0] < now - self.window:
            total -= spent.popleft()[1]
        if not spent:
            del self._spent[client], self._totals[client]  # forget idle clients
            return 0.0
        self._totals[client] = max(0.0, total)
        return self._totals[client]

    def check(self, client: str | None) -> None:
        """Refuse a client who has used up this minute's budget.

        :raises LimitExceeded: 429 with the seconds until enough budget returns.
        """
        if client is None or self.limit <= 0:
            return
        now = time.monotonic()
        with self._lock:
            if self._used(client, now) < self.limit:
                return
            oldest = self._spent[client][0][0]
        wait = max(1, int(oldest + self.window - now) + 1)
        raise LimitExceeded(
            f"This client used its budget of {self.limit:g} query seconds per minute. "
            f"Try again in {wait} s, or use the saved queries under /queries and the "
            "dumps under /dumps/.",
            429,
            wait,
        )

    def reserve(self, client: str | None, seconds: float) -> tuple[Reservation, float]:
        """Reserve up to `seconds` of a client's budget at admission; return the ticket and the seconds granted.

        Running queries hold their reservations, so parallel queries cannot overspend: the grant is
        what is left of the minute's budget when less than `seconds` is, and 429 when nothing is.

        :raises LimitExceeded: 429 with the seconds until enough budget returns.
        """
        if client is None or self.limit <= 0:
            return Reservation(None, 0.0), seconds
        now = time.monotonic()
        with self._lock:
            left = self.limit - self._used(client, now) - self._reserved.get(client, 0.0)
            if left >= min(seconds, MIN_GRANT):
                granted = min(seconds, left)
                self._reserved[client] = self._reserved.get(client, 0.0) + granted
                return Reservation(client, granted), granted
            spent = self._spent.get(client)
            oldest = spent[0][0] if spent else now
        wait = max(1, int(oldest + self.window - now) + 1)
        raise LimitExceeded(
            f"This client used (or holds in running queries) its budget of {self.limit:g} query "
            f"seconds per minute. Try again in {wait} s, or use the saved queries under /queries "
            "and the dumps under /dumps/.",
            429,
            wait,
        )

    def settle(self, ticket: Reservation, seconds: float) -> None:
        """Release a reservation and charge the seconds really used."""
        if ticket.client is None:
            return
        with self._lock:
            left = self._reserved.get(ticket.client, 0.0) - ticket.seconds
            if left > 1e-9:
                self._reserved[ticket.client] = left
            else:
                self._reserved.pop(ticket.client, None)
        self.charge(ticket.client, seconds)

    def charge(self, client: str | None, seconds: float) -> None:
        """Record query time spent on a client's behalf."""
        if client is None:
            return
        with self._lock:
            self._spent.setdefault(client, deque()).append((time.monotonic(), seconds))
            self._totals[client] = self._totals.get(client, 0.0) + seconds


class ResultCache:
    """A small LRU of answers; keys carry the generation, so a publish invalidates it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Answer | None:
        """Return a cached answer and mark it recently used."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], answer: Answer) -> None:
        """Keep an answer, dropping the least recently used past `size`."""
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = answer
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def check_depth(sparql: str, max_depth: int) -> None:
    """Refuse a query nested deeper than `max_depth` (:func:`visitgraph.core.bounded.sparql_depth`: as written and
    with escapes decoded, every reading of ``<``, triple terms included; one scanner for every path that hands
    SPARQL to Oxigraph, whose parser recurses).

    :raises BadQuery: naming the depth found and the setting.
    """
    from visitgraph.core.bounded import InputTooDeep, check_sparql

    try:
        check_sparql(sparql, "The query", max_depth)
    except InputTooDeep as e:
        raise BadQuery(str(e)) from e
