"""The word index behind the matcher: which entities share a word with a query, and how much words weigh.

Built once per published generation (with the :class:`~visitgraph.linking.match.Matcher`): every
label's words are keyed three ways — the transliteration key, its first three letters,
and its consonants — so a query reaches the entities it may name through dictionary
look-ups instead of a scan of every entity, and spelling variants ("Serageldin" /
"Sirageldin", "Arachova" / "Arahova") still meet. Word weights are inverse document
frequencies per kind, so generic words weigh little.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from visitgraph.core.names import LabelKeys

_VOWELS = re.compile(r"[aeiouy]")


def word_keys(word: str) -> set[str]:
    """Return the look-up keys of one word: itself, its first three letters, its consonants.

    >>> sorted(word_keys("serageldin"))
    ['=serageldin', '^ser', '~srgldn']
    """
    if len(word) < 2:
        return set()
    keys = {"=" + word}
    if len(word) >= 3:
        keys.add("^" + word[:3])
    skeleton = _VOWELS.sub("", word)
    if len(skeleton) >= 2:
        keys.add("~" + skeleton)
    return keys


def label_keys(keys: LabelKeys) -> set[str]:
    """Return every look-up key of one label (its words, its compact form, its acronyms)."""
    out = {"#" + keys.compact} | {"#" + a for a in keys.acronyms}
    for word in {*keys.person, *keys.org}:
        out |= word_keys(word)
    return out


class WordIndex:
    """Entities by look-up key, and word weights per kind."""

    def __init__(self, entities: Iterable[tuple[str, str, list[LabelKeys]]]) -> None:
        self.by_key: dict[str, set[str]] = defaultdict(set)
        df: dict[str, Counter[str]] = defaultdict(Counter)
        count: Counter[str] = Counter()
        for ident, kind, keys in entities:
            count[kind] += 1
            words: set[str] = set()
            for k in keys:
                words |= set(k.org)
                for key in label_keys(k):
                    self.by_key[key].add(ident)
            df[kind].update(words)
        self._idf = {
            kind: {w: math.log((count[kind] + 1) / (n + 1)) + 1.0 for w, n in d.items()} for kind, d in df.items()
        }
        self._unseen = {kind: math.log(count[kind] + 1) + 1.0 for kind in count}

    def weight(self, kind: str, word: str) -> float:
        """Return a word's weight among `kind`'s labels (an unseen word weighs most)."""
        idf = self._idf.get(kind, {})
        return idf.get(word, self._unseen.get(kind, 1.0))

    def count(self, query: LabelKeys) -> int:
        """Return how many candidates :meth:`candidates` may return at most (the sum over its keys)."""
        return sum(len(self.by_key.get(key, ())) for key in label_keys(query))

    def candidates(self, query: LabelKeys) -> set[str]:
        """Return the ids of entities sharing at least one look-up key with the query."""
        out: set[str] = set()
        for key in label_keys(query):
            out |= self.by_key.get(key, set())
        return out
