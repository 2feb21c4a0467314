"""Limits around query execution: a per-client budget of query seconds and a result cache."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from typing import Any

from visitgraph.answers import Answer
from visitgraph.errors import LimitExceeded


class ClientBudget:
    """Query seconds each client may use per sliding minute."""

    def __init__(self, seconds_per_minute: float, window: float = 60.0) -> None:
        self.limit = seconds_per_minute
        self.window = window
        self._spent: dict[str, deque[tuple[float, float]]] = {}
        self._totals: dict[str, float] = {}  # running sum of each client's deque: O(1) per request
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
        raise LimitExceeded(f"This client used its budget of {self.limit:g} query seconds per minute. "
                            f"Try again in {wait} s, or use the saved queries under /queries and the "
                            "dumps under /dumps/.", 429, wait)

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
