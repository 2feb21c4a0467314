"""Readers of the current generation, cached per store: only the newest generation of each store is kept.

Stored answers and the search index open files per generation (SQLite, one connection per
request thread and query). Caches keyed by generation kept up to 17 of them alive, each with
its files open — in a process with many publishes, or the test suite with many projects, that
ran past 1,024 open files, and a pruned generation's deleted files stayed open (their disk space
not returned). :class:`NewestPerStore` keeps one generation per store and a few stores; a
replaced reader is dropped and its connections close when it is collected.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class NewestPerStore(Generic[T]):
    """A small map: store key -> (version, reader) for the newest version asked of each store.

    >>> cache: NewestPerStore[str] = NewestPerStore(stores=2)
    >>> cache.put("a", 1, "a1"); cache.get("a", 1), cache.get("a", 0)
    ('a1', None)
    >>> cache.put("a", 2, "a2"); cache.put("b", 1, "b1"); cache.put("c", 1, "c1")
    >>> cache.get("a", 2), cache.get("b", 1), cache.get("c", 1), len(cache)
    (None, 'b1', 'c1', 2)
    """

    def __init__(self, stores: int = 4) -> None:
        self.stores = stores
        self._items: OrderedDict[str, tuple[Hashable, T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, store: str, version: Hashable) -> T | None:
        """Return the reader of `store` at `version`, or None when another version (or none) is kept."""
        with self._lock:
            found = self._items.get(store)
            if found is None or found[0] != version:
                return None
            self._items.move_to_end(store)
            return found[1]

    def put(self, store: str, version: Hashable, reader: T) -> None:
        """Keep `reader` as the store's newest; drop its older one and the least recently used stores."""
        with self._lock:
            self._items[store] = (version, reader)
            self._items.move_to_end(store)
            while len(self._items) > self.stores:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Drop every reader."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
