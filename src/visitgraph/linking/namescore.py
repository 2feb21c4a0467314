"""Score how well a written name names one label of a known entity (0–100).

People are compared word by word, in any order: each written word is paired with the
label word it resembles most (equal, equal up to transliteration, an initial, or a close
spelling), the given and family names count most, middle names and patronymics little.
Organisations, topics and visits are compared as weighted bags of words: a word weighs
its inverse document frequency over all labels (``weights``), so "Library", "National"
or "Presidential" count less than "Yeltsin" or "Morocco"; words the index has never seen
weigh most, so a written word no label has ("Wales") pulls the score down hard.
"""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from visitgraph.core.names import FORM_WORDS, LabelKeys, org_tokens

#: Smallest word similarity (0–1) that counts as the same word spelt another way (people, institutions).
WORD_SIMILARITY = 0.78
ORG_WORD_SIMILARITY = 0.85
#: Most letters two spellings of one word may differ by ("Wilkinson" is not "Wilson").
MAX_EDITS = 2
#: Score ceiling for a one-word person query ("Aliyev"): never strong enough to match alone.
ONE_WORD_PERSON_CAP = 75.0
LABEL_END_MISSING = 20.0
LABEL_MIDDLE_MISSING = 2.0
LABEL_UNMATCHED_ORG = 15.0
ACRONYM_SCORE = 95.0

Weight = Callable[[str], float]


def _uniform(_: str) -> float:
    return 1.0


def word_similarity(q: str, t: str, floor: float = WORD_SIMILARITY) -> float:
    """Return how alike two transliteration keys of words are (1 equal, 0.9 an initial, else a ratio or 0).

    >>> word_similarity("r", "renaldas"), word_similarity("serageldin", "sirageldin")
    (0.9, 0.9)
    """
    if q == t:
        return 1.0
    if len(q) == 1:
        return 0.9 if t.startswith(q) else 0.0
    if len(t) == 1 or min(len(q), len(t)) < 3:
        return 0.0
    ratio = fuzz.ratio(q, t) / 100.0
    if ratio >= floor and Levenshtein.distance(q, t) <= MAX_EDITS:
        return ratio
    if len(q) >= 3 and t.startswith(q) and len(q) < len(t):
        return 0.85  # an abbreviated word ("Int." for "International")
    return 0.0


def _align(
    query: tuple[str, ...], label: tuple[str, ...], floor: float = WORD_SIMILARITY
) -> list[tuple[int, int, float]]:
    """Pair query words with label words, best pairs first, each word used once: (qi, li, similarity)."""
    pairs = sorted(
        ((word_similarity(q, t, floor), -abs(i - j), i, j) for i, q in enumerate(query) for j, t in enumerate(label)),
        reverse=True,
    )
    used_q: set[int] = set()
    used_l: set[int] = set()
    out = []
    for sim, _, i, j in pairs:
        if sim <= 0 or i in used_q or j in used_l:
            continue
        used_q.add(i)
        used_l.add(j)
        out.append((i, j, sim))
    return out


def person_score(query: tuple[str, ...], label: tuple[str, ...]) -> float:
    """Score a written person name against one label (word order free, patronymics optional).

    >>> person_score(("mail", "ehmedov"), ("mail", "ahmedov")) >= 90
    True
    >>> person_score(("maria", "ivanova"), ("natalia", "ivanova")) < 60
    True
    """
    if not query or not label:
        return 0.0
    query = initials_first(query)
    pairs = _align(query, label)
    if not any(len(query[i]) > 1 for i, _, _ in pairs):
        return 0.0  # initials alone never name a person

    def weight(i: int) -> float:
        middle = 0 < i < len(query) - 1
        return (0.1 if len(query[i]) == 1 else 0.2) if middle else (0.4 if len(query[i]) == 1 else 1.0)

    total = sum(weight(i) for i in range(len(query)))
    got = sum(weight(i) * sim for i, _, sim in pairs)
    matched = {j for _, j, _ in pairs}
    penalty = sum(
        LABEL_END_MISSING if j in (0, len(label) - 1) else LABEL_MIDDLE_MISSING
        for j in range(len(label))
        if j not in matched
    )
    score = max(0.0, 100.0 * got / total - penalty)
    return min(score, ONE_WORD_PERSON_CAP) if len(query) == 1 else score


def initials_first(query: tuple[str, ...]) -> tuple[str, ...]:
    """Put a family name written before its initials back after them ("Gorokhova S. V." is "S. V. Gorokhova"):
    a written-out first word followed only by initials is the inverted order of official Russian, Belarusian or
    Czech usage, and the initials are the given name (and patronymic) the label writes out. Any other order is kept.

    >>> initials_first(("gorokhova", "s", "v")), initials_first(("svetlana", "gorokhova")), initials_first(("a", "b"))
    (('s', 'v', 'gorokhova'), ('svetlana', 'gorokhova'), ('a', 'b'))
    """
    if len(query) >= 2 and len(query[0]) > 1 and all(len(w) == 1 for w in query[1:]):
        return (*query[1:], query[0])
    return query


def spelt_otherwise(query: tuple[str, ...], label: tuple[str, ...]) -> bool:
    """Say whether a written person name is a label's name spelt another way: two written-out words or more, each
    paired with a label word (equal up to transliteration, an initial, or a close spelling: :func:`word_similarity`),
    and the label's first and last words both paired (its given and family name; a middle name or patronymic may be
    left out). A different given name ("Maria" for "Natalia") or a word the label lacks is another person.

    >>> spelt_otherwise(("mail", "ehmedov"), ("mail", "ahmedov")), spelt_otherwise(("graham", "wilsonn"), ("graham", "wilson"))
    (True, True)
    >>> spelt_otherwise(("maria", "ivanova"), ("natalia", "ivanova")), spelt_otherwise(("ivanova",), ("natalia", "ivanova"))
    (False, False)
    """
    if sum(len(w) > 1 for w in query) < 2 or not label:
        return False
    pairs = _align(query, label)
    paired = {j for _, j, _ in pairs}
    return len(pairs) == len(query) and {0, len(label) - 1} <= paired


def org_score(query: tuple[str, ...], label: tuple[str, ...], weight: Weight = _uniform) -> float:
    """Score an organisation (or topic, or visit) name as a weighted bag of words.

    The share of the written words' weight found in the label, less a little for label
    words left over (so the fuller of two labels that both contain the query ranks lower).
    """
    if not query or not label:
        return 0.0

    def w(word: str) -> float:
        return 0.2 if word in FORM_WORDS or len(word) == 1 else weight(word)

    pairs = _align(query, label, ORG_WORD_SIMILARITY)
    total = sum(w(q) for q in query)
    got = sum(w(query[i]) * sim for i, _, sim in pairs)
    matched = {j for _, j, _ in pairs}
    label_total = sum(w(t) for t in label)
    left = sum(w(t) for j, t in enumerate(label) if j not in matched)
    return max(0.0, 100.0 * got / total - LABEL_UNMATCHED_ORG * left / label_total)


def name_score(query: LabelKeys, label: LabelKeys, kind: str, weight: Weight = _uniform) -> float:
    """Score how well one query label names one entity label (0–100).

    >>> name_score(LabelKeys.of("Kunslu Isinova"), LabelKeys.of("Kunslu Serikovna İsinova"), "person") >= 95
    True
    """
    if query.norm == label.norm:
        return 100.0
    if query.org == query.org_core and (query.core == label.core or query.compact == label.compact):
        return 99.0  # equal once the label's noise ("named after …", "(IFLA)") is set aside
    if kind == "person":
        return round(person_score(query.person, label.person), 1)
    if (len(query.org) == 1 or all(len(t) == 1 for t in query.org)) and query.compact in label.acronyms:
        return ACRONYM_SCORE
    # the query's own eponym or parenthesis is kept: it may be what tells two institutions apart
    best = _against_label(query.org, label, weight)
    if query.abbreviation:
        best = max(best, _abbreviated_score(query, label, weight))
    return round(best, 1)


def _abbreviated_score(query: LabelKeys, label: LabelKeys, weight: Weight) -> float:
    """Score a query that gives its name's abbreviation in brackets ("Russian State Library (RSL)", "Rudomino Library
    for Foreign Literature (VGBIL)") against a label, the abbreviation weighed by what the label says of it.

    The bracket restates the name: it is not a word the label must have. When the label's own abbreviations (its
    initials, its bracket) include it, the name before it is scored alone; when the label gives no abbreviation in
    brackets, it may be one in another language ("VGBIL" for the All-Russia State Library …, "TKD"), so it weighs as
    little as a word of legal form; when the label gives another in brackets, it counts in full, as before.

    >>> q = LabelKeys.of("Russian State Library (RSL)")
    >>> _abbreviated_score(q, LabelKeys.of("Russian State Library"), _uniform)
    100.0
    >>> neutral, other = (LabelKeys.of(f"State Library of Russia{s}") for s in ("", " (RGB)"))
    >>> _abbreviated_score(q, other, _uniform) < 80 < _abbreviated_score(q, neutral, _uniform)
    True
    """
    key = _org_key(query.abbreviation)
    if query.abbreviation in label.acronyms:
        rest = list(query.org)
        if key in rest:
            rest.remove(key)
        return _against_label(tuple(rest), label, weight)
    if label.abbreviation:
        return _against_label(query.org, label, weight)

    def light(word: str) -> float:
        return 0.2 if word == key else weight(word)

    return _against_label(query.org, label, light)


def _against_label(words: tuple[str, ...], label: LabelKeys, weight: Weight) -> float:
    """Score an institution's words against a label as written and without its eponym or parenthesis, the better."""
    return max(org_score(words, label.org, weight), org_score(words, label.org_core, weight))


def _org_key(folded_word: str) -> str | None:
    keys = org_tokens(folded_word)
    return keys[0] if keys else None


#: Letters a name keeps when written by ear in another script and back (decision 0069): consonants by class, so that
#: "Qrem" is "Graham", "Kardonn" "Cardonne", "Uilson" "Wilson"; vowels, "h", "w" and "y" are left out.
_SOUND_CLASSES = str.maketrans("cgjkqzdbvw", "kkkkkstpf ", "aeiouyh")


def sound_key(word: str) -> str:
    """Return a folded name word's consonant skeleton: consonants by class, repeats collapsed.

    >>> sound_key("qrem"), sound_key("graham"), sound_key("kardonn"), sound_key("cardonne")
    ('krm', 'krm', 'krtn', 'krtn')
    >>> sound_key("uilson"), sound_key("wilson"), sound_key("jerar"), sound_key("gerard")
    ('lsn', 'lsn', 'kr', 'krt')
    """
    letters = word.replace("ph", "f").replace("x", "ks").translate(_SOUND_CLASSES).replace(" ", "")
    return "".join(c for i, c in enumerate(letters) if i == 0 or c != letters[i - 1])


def sounds_alike(query: tuple[str, ...], label: tuple[str, ...]) -> bool:
    """Say whether a written two-word name is a label's given and family name written by ear (:func:`sound_key`).

    The family names' skeletons are equal and of three consonants or more; the given names' are equal, or one is the
    other with a final "t" (a silent final "d", as French "Gerard" heard as "Jerar"). Only for a name the matcher
    finds no candidate for at all (the drafter asks, decision 0069).

    >>> sounds_alike(("jerar", "kardonn"), ("gerard", "cardonne")), sounds_alike(("qrem", "uilson"), ("graham", "wilson"))
    (True, True)
    >>> sounds_alike(("maria", "ivanova"), ("marina", "ivanova")), sounds_alike(("ali", "aliyev"), ("ali", "ilyas"))
    (False, False)
    """
    if len(query) != 2 or len(label) < 2:
        return False
    family, known_family = sound_key(query[1]), sound_key(label[-1])
    if len(family) < 3 or family != known_family:
        return False
    given, known_given = sound_key(query[0]), sound_key(label[0])
    return bool(given) and given[0] == known_given[:1] and given.rstrip("t") == known_given.rstrip("t")


#: Fewest letters a clipped given name keeps ("Len" for "Leonard", "Tom" for "Thomas"; not "Al" or "Ed").
CLIPPED_GIVEN_MIN = 3


def _in_order(short: str, full: str) -> bool:
    """Say whether the letters of `short` occur in `full` in the same order (not necessarily together)."""
    rest = iter(full)
    return all(c in rest for c in short)


def clipped_given(query: tuple[str, ...], label: tuple[str, ...]) -> bool:
    """Say whether a written two-word name is a label's given and family name with one given name clipped.

    The family names are the same word (folded) of four letters or more; the shorter given name is at least
    :data:`CLIPPED_GIVEN_MIN` letters and two fewer than the other, begins with its letter, keeps its letters in
    order and ends on a consonant, as clipped forms do ("Len" for "Leonard", "Tom" for "Thomas", "Alex" for
    "Alexander"); a name ending on a vowel is a name of its own ("Lena" is not "Leonard"). Only for a name the matcher
    finds no candidate for at all (the drafter asks, decision 0071).

    >>> clipped_given(("len", "kniffel"), ("leonard", "kniffel")), clipped_given(("thomas", "brown"), ("tom", "brown"))
    (True, True)
    >>> clipped_given(("lena", "kniffel"), ("leonard", "kniffel")), clipped_given(("lev", "kniffel"), ("leonard", "kniffel"))
    (False, False)
    >>> clipped_given(("al", "brown"), ("alan", "brown")), clipped_given(("len", "kniffel"), ("leonard", "kniff"))
    (False, False)
    """
    if len(query) != 2 or len(label) < 2 or query[1] != label[-1] or len(query[1]) < 4:
        return False
    short, full = sorted((query[0], label[0]), key=len)
    return (
        CLIPPED_GIVEN_MIN <= len(short) <= len(full) - 2
        and short[0] == full[0]
        and short[-1] not in "aeiouy"
        and _in_order(short, full)
    )
