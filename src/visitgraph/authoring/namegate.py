"""Gates on minting: words become a new person only when they look like a personal name (decision 0050), and a
new institution only when the text says a guest belongs to it (decision 0052).

The drafter reuses what the graph knows through the matcher; a new resource is the one step that can
invent, so it is taken only when the words themselves carry a name. When the gate refuses, the drafter
mints nothing and tells the librarian in a ``# check:`` line (abstaining beats inventing: issue 16).
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import zipf_frequency

from visitgraph.authoring.extract import (
    GROUP_NOUNS,
    ORG_HEADS,
    PART_WORDS,
    PARTICLES,
    SUB_UNITS,
    TITLE_HEADS,
    TITLE_MODIFIERS,
    foreign_head,
    institution_head,
    is_cap,
    place_code,
)
from visitgraph.core.names import FORM_WORDS, fold, org_tokens

#: Zipf frequency (log10 of uses per billion words) from which an English word is common. Every new person's
#: name of the development sets has at least one word below it (the highest, "Sarah Mitchell", 4.24); "Records
#: Management" (4.9, 5.1) and "Public Relations" have none.
COMMON_ZIPF = 4.5

#: Institution words of other languages that head a body's name ("Bilecik Şeyh Edebali Üniversitesi").

_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")
#: Initials and particles that are part of a name but not a name word ("Jan de Vries", "K. S. Isinova").
_PARTICLES = PARTICLES | frozenset("del della den bint ben y e".split())  # the extractor's, and a few it does not join


#: Zipf frequency from which a word a known institution's name lacks is a field or a kind ("Tourism" 4.3,
#: "Educational" 4.6, "Humanities" 3.6), not a proper name that makes it another body ("Yeltsin" 2.8, "Nizami" 1.8).
GENERIC_ZIPF = 3.5


@lru_cache(maxsize=4096)
def _common(word: str, zipf: float = COMMON_ZIPF) -> bool:
    """Say whether a word is common in English (case folded: wordfreq keeps no case)."""
    return zipf_frequency(word.casefold(), "en") >= zipf


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
    if place_code(name) is not None:
        return "the name of a place"
    words = [w for w in _WORD.findall(name) if len(w) > 1 and w.casefold() not in _PARTICLES]
    if len(words) < 2 and not (honorific and words):
        return "one name word only"
    for w in words:
        if w.casefold() in ORG_HEADS or foreign_head(w):
            return f'an institution\'s word ("{w}")'
    if institution_head(name) is not None and not any(w.isupper() and len(w) > 1 for w in words):
        return "the name of an institution"
    if all(_common(w) and fold(w) not in name_words for w in words):
        return "common English words only"
    return None


# --- institutions: a positive question (decision 0052) ---------------------------------------------------------

#: Words a chain of bodies is joined by ("director of the Library of the University of X", "named after").
_CHAIN = frozenset("the of and & within in named after its their".split())
#: Lower-case words that name a part of a body ("head of the international relations department of X").
_PARTS = SUB_UNITS | PART_WORDS | frozenset({"centre", "center", "office"})
#: Words that say who the people of the next body are: a group of its people, a title's holder, where they come
#: from, whom they act for.
_BELONGING = GROUP_NOUNS | TITLE_HEADS | frozenset("delegation group team from behalf representing".split())
_TOKEN = re.compile(r"[\w’'`.-]+|[,;:()\[\]—–\"“”]")
#: What follows the visit sentence's subject: its verb, in the past or a form of "to be" (after an acronym in
#: brackets, an apposition or its place).
_VISIT_VERB = re.compile(
    r"(?:\s+in\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s*|of\s+|the\s+){1,6})?\s*(?:\([^()]{1,120}\)\s*)?(?:,[^,.;]{1,150},\s*)?(?:\s*and\s[^,.;]{1,150}?)?\s*(?:has\s+|have\s+|had\s+)?"
    r"(?:[a-z]{2,}ed|was|were|is|are|paid|came|made|gave|sent|brought|held|took|met|sent|won|spoke|showed|wrote)\b"
)
#: The agent of the visit or of what the guests handed over, right before its "by": "was visited by the X", "books
#: presented to the library by the X".
_AGENT_BEFORE_BY = re.compile(
    r"\b(?:visited|presented|donated|given|gifted|handed\s+over|sent|brought)(?:\s+to\s+[^,.;]{1,80}?)?\s+by\s*$"
)
_LOOK_BACK = 400
#: The words after an institution's possessive: "the X's (deputy) director".
_POSSESSIVE_AFTER = re.compile(r"['’]s\s+((?:[\w-]+\s+){0,2}[\w-]+)")


def belonging_word(word: str) -> bool:
    """A group of a body's people, a title's holder (also in the plural: "former presidents of"), "from"."""
    w = word.casefold()
    return (
        w in _BELONGING
        or w + "s" in GROUP_NOUNS  # "an employee of", "a student of"
        or any(part in TITLE_HEADS or part[:-1] in TITLE_HEADS for part in w.split("-"))
    )


#: A group of its people right after an institution's name: "the Lithuanian National Library delegation".
_GROUP_AFTER = re.compile(r"\s+(?:" + "|".join(sorted(GROUP_NOUNS | {"delegation", "group", "team"})) + r")\b", re.I)


def unclaimed_institution(sentence: str, start: int, end: int) -> str | None:
    """Return why an institution named at ``sentence[start:end]`` is no guest's, else None.

    The question is positive: a new institution is minted only when the words before it say a guest belongs to
    it, walking back over the bodies it is part of ("of the Library of the", "department of the", "named
    after …"): a title's holder ("director of", "a curator at"), a group of its people ("delegation of",
    "representatives of", "staff of"), "from", "on behalf of", or the visit's own agent ("visited by"); or it
    is the visit sentence's subject (it opens its clause and the visit's verb follows). Anything else — the
    organiser of an event, a meeting's body, what something was prepared for — is not minted, whatever its words.

    >>> s = "Ann Lee, director of the Library of the University of Tartu, visited the library."
    >>> unclaimed_institution(s, s.index("University"), s.index(", visited"))
    >>> s = "Ann Lee, a guest of the forum organised by the Ganjavi Center, visited the library."
    >>> unclaimed_institution(s, s.index("Ganjavi"), s.index(", visited"))
    'named after "by", not in a slot that says a guest belongs to it'
    >>> s = "The Embassy of Japan visited the library."
    >>> unclaimed_institution(s, s.index("Embassy"), s.index(" visited"))
    """
    words = _TOKEN.findall(sentence[max(0, start - _LOOK_BACK) : start])
    modifiers = 0  # lower-case words allowed before a part's word ("the international relations department")
    for k in range(len(words) - 1, -1, -1):
        word, w = words[k], words[k].casefold()
        if belonging_word(w):
            return None
        if w == "by" and _AGENT_BEFORE_BY.search(" ".join(words[: k + 1])):
            return None  # "was visited by the X", "presented to the library by the X": the visit's agent
        if w == "at":  # "a curator at the X": the slot is the title right before "at", nothing further back
            before = words[k - 1].casefold() if k else ""
            if belonging_word(before) or before in _PARTS:
                return None
            return f'named after "{words[k - 1] if k else word} at", not in a slot that says a guest belongs to it'
        if w in _CHAIN:
            # what an "of" belongs to may be a lower-case noun phrase ("head of the material provision of the X");
            # "the" and the rest end it
            modifiers = 4 if w == "of" else 0
            continue
        if w.endswith(("'s", "’s")):
            continue  # an owner in the chain ("of the faculty's Department of …")
        if w in _PARTS:
            modifiers = 4
            continue
        if w in TITLE_MODIFIERS and word.islower():
            continue  # "director general of the X": a title's word after its head
        if is_cap(word) and word[0].isalpha():
            continue  # a name the body is part of ("the Faculty of Languages and History of X")
        if word[0].isalpha() and word.islower() and modifiers > 0:
            modifiers -= 1
            continue
        if w in ',;:(—–["“”' or w[0].isdigit():
            break
        return f'named after "{word}", not in a slot that says a guest belongs to it'
    if _VISIT_VERB.match(sentence, end) or _GROUP_AFTER.match(sentence, end):
        return None  # the visit sentence's subject, or "the X delegation"
    owner = _POSSESSIVE_AFTER.match(sentence, end)
    if owner is not None and any(belonging_word(w) for w in owner.group(1).split()):
        return None  # "the X's director", "the X's deputy director for research"
    return "not the visit's subject nor in a slot that says a guest belongs to it"


#: A label's place after "in" at its end ("Egyptian Cultural Centre in Azerbaijan"): where the body is, not which.
_LOCATED = re.compile(r"^(?P<name>.{3,}?)\s+in\s+(?:the\s+)?(?P<place>[^\W\d_][\w'’ -]{1,60})$")


def distinguishing_words(name: str) -> tuple[dict[str, str], str | None]:
    """Return the words that tell one institution from another, by comparison key (one spelling per word, countries
    and their adjectives folded together by :func:`~visitgraph.core.names.org_tokens`), and the country of a place
    the name ends with after "in" (where the body is: its words are left out, its country, or the place as written,
    is compared apart; a written name placed elsewhere than the label, or placed where the label is not, is another
    body). The
    words of a legal form ("Republic") are left out.

    >>> words, where = distinguishing_words("Egyptian Cultural Centre in Azerbaijan")
    >>> sorted(words.values()), where
    (['Centre', 'Cultural', 'Egyptian'], 'AZ')
    >>> sorted(distinguishing_words("Republic of Turkey Ministry of Culture")[0].values())
    ['Culture', 'Ministry', 'Turkey']
    """
    text = re.split(r"\s+named\s+(?:after|for)\s+|\s*\(", name[:400], maxsplit=1)[0].strip()
    located = _LOCATED.match(text)
    where = None
    if located is not None and is_cap(located.group("place")):  # a place the table does not know is compared as written
        where = place_code(located.group("place")) or fold(located.group("place"))
        text = located.group("name")
    out: dict[str, str] = {}
    for word in _WORD.findall(text):
        keys = org_tokens(word)
        if keys and keys[0] not in FORM_WORDS:
            out.setdefault(keys[0], word)
    return out, where


def _first_head(name: str) -> str | None:
    """Return the comparison key of the first institution word of a name ("Egyptian Cultural Center and …": center)."""
    word = next((w for w in _WORD.findall(name[:400]) if w.casefold() in ORG_HEADS), None)
    keys = org_tokens(word) if word is not None else ()
    return keys[0] if keys else None


#: An adjective of a field ("Historical", "Technical", "Medical", "Pedagogical"): a body the written name adds it to
#: is one of that field, another body than the known one without it (decision 0066).
_SPECIALTY = re.compile(r"^[a-z]{3,}ical$")


def known_under_other_words(written: str, labels: list[str], place: str | None = None) -> tuple[bool, list[str]] | None:
    """Say whether a known institution (its `labels`) is what `written` names, perhaps in other words.

    A known body is the likely referent when the words that distinguish one of its labels are all among the written
    name's, or the written name's all among the label's, and the written name's first institution word is one of the
    label's (else the written name is another kind of body: "Faculty … of X University" is X's part, not X), and
    the written name's words the label lacks are generic (a field, a kind: "… and Tourism"), not a place or a proper
    name, which would make it another body ("Presidential Library of Belarus" is not a known "Presidential Library").
    `place` is where the text places the body when the name as read leaves it out ("… Centre" in "… Centre in
    Cairo"); a label placed elsewhere, or placed nowhere, is then another body.
    Returns None when no label is so related; else whether a label agrees on every distinguishing word (both ways),
    and the words in which the closest label and the written name differ.

    >>> known_under_other_words("Ministry of Culture and Tourism of the Republic of Türkiye",
    ...                         ["Republic of Turkey Ministry of Culture"])
    (False, ['Tourism'])
    >>> known_under_other_words("Ministry of Culture of the Republic of Türkiye", ["Republic of Turkey Ministry of Culture"])
    (True, [])
    >>> known_under_other_words("Faculty of Humanities of Bilecik University", ["Bilecik University"]) is None
    True
    >>> known_under_other_words("National Library of Latvia", ["National Library of Lithuania"]) is None
    True
    >>> known_under_other_words("Presidential Library of Belarus", ["Presidential Library"]) is None
    True
    >>> known_under_other_words("Egyptian Cultural Centre in Cairo", ["Egyptian Cultural Centre in Azerbaijan"]) is None
    True
    >>> known_under_other_words("State Public Historical Library of Russia", ["Russian State Library"]) is None
    True
    """
    said, there = distinguishing_words(written)
    if place is not None and there is None:  # where the text places it, after the name as read
        there = place_code(place) or fold(place)
    head = _first_head(written)
    best: list[str] | None = None
    for label in labels:
        have, where = distinguishing_words(label)
        if not said or not have or head is None or head not in have or (there and there != where):
            continue  # nothing to compare, another kind of body, or one somewhere else ("… in Cairo")
        extra = [said[k] for k in said.keys() - have.keys()]
        if any(place_code(w) is not None or not _common(w, GENERIC_ZIPF) for w in extra):
            continue  # "Presidential Library of Belarus" is not a known "Presidential Library": a place, a name
        if any(_SPECIALTY.search(w.casefold()) for w in extra):
            continue  # "State Public Historical Library of Russia" is not "Russian State Library": a field's adjective
        if have.keys() <= said.keys() or said.keys() <= have.keys():
            differ = [said[k] for k in said if k not in have] + [have[k] for k in have if k not in said]
            if best is None or len(differ) < len(best):
                best = differ
    return None if best is None else (not best, best)
