"""Gates on minting: words become a new person only when they look like a personal name (decision 0050).

The drafter reuses what the graph knows through the matcher; a new resource is the one step that can
invent, so it is taken only when the words themselves carry a name. When the gate refuses, the drafter
mints nothing and tells the librarian in a ``# check:`` line (abstaining beats inventing: issue 16).
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import zipf_frequency

from visitgraph.authoring.extract import ORG_HEADS, PARTICLES, institution_head
from visitgraph.core.names import fold

#: Zipf frequency (log10 of uses per billion words) from which an English word is common. Every new person's
#: name of the development sets has at least one word below it (the highest, "Sarah Mitchell", 4.24); "Records
#: Management" (4.9, 5.1) and "Public Relations" have none.
COMMON_ZIPF = 4.5

#: Institution words of other languages that head a body's name ("Bilecik Şeyh Edebali Üniversitesi").
FOREIGN_HEADS = re.compile(
    r"(?:[uü]niversit\w*|universidad\w*|kütüphane\w*|kitabxana\w*|bibliot\w+|biblioth\w+|akadem\w+|muze\w*|"
    r"museo|mus[eé]e|institut\w*|enstit\w*|fakült\w*|vakf\w*|kolleg\w*|ministerstv\w*|nazirliy\w*)",
    re.IGNORECASE,
)

_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")
#: Initials and particles that are part of a name but not a name word ("Jan de Vries", "K. S. Isinova").
_PARTICLES = PARTICLES | frozenset("del della den bint ben y e".split())  # the extractor's, and a few it does not join


@lru_cache(maxsize=4096)
def _common(word: str) -> bool:
    """Say whether a word is common in English (case folded: wordfreq keeps no case)."""
    return zipf_frequency(word.casefold(), "en") >= COMMON_ZIPF


def refuse_person(name: str, name_words: frozenset[str] = frozenset(), honorific: bool = False) -> str | None:
    """Return why the words cannot be minted as a new person, else None.

    A new person needs two name words or more (one word is a surname, a first name or a fragment the librarian
    must complete), or one after an honorific (`honorific`: "Ms. Tan" is a person, whoever she is), none of them an institution's word in any language, and not all of them common English
    words (a title's or a subject's words: "Records Management") unless one is a word of a known person's name
    (`name_words`, folded: "Brown", "Young").

    >>> refuse_person("Elif Karaca"), refuse_person("Sarah Mitchell"), refuse_person("Jan de Vries")
    (None, None, None)
    >>> refuse_person("Mustafa"), refuse_person("Tan", honorific=True)
    ('one name word only', None)
    >>> refuse_person("Bilecik Şeyh Edebali Üniversitesi")
    'an institution\\'s word ("Üniversitesi")'
    >>> refuse_person("Records Management")
    'common English words only'
    """
    words = [w for w in _WORD.findall(name) if len(w) > 1 and w.casefold() not in _PARTICLES]
    if len(words) < 2 and not (honorific and words):
        return "one name word only"
    for w in words:
        if w.casefold() in ORG_HEADS or FOREIGN_HEADS.fullmatch(w):
            return f'an institution\'s word ("{w}")'
    if institution_head(name) is not None and not any(w.isupper() and len(w) > 1 for w in words):
        return "the name of an institution"
    if all(_common(w) and fold(w) not in name_words for w in words):
        return "common English words only"
    return None
