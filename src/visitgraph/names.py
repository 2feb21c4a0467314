"""Normalise names the way the matcher compares them, and score one name against another.

Pure functions (no store): folding case and diacritics (Turkish dotted İ too),
dropping honorifics and naming noise, transliteration keys, the name score.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "madam"})
STOPWORDS = frozenset({"of", "the", "for", "and", "in", "on", "at", "a", "an", "named", "after", "to"})
_FOLD = str.maketrans({"İ": "I", "ı": "i", "ə": "e", "Ə": "E", "ß": "ss", "ø": "o", "Ø": "O",
                       "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "&": " and "})
_TRANSLIT = ((r"dzh|dj", "j"), (r"zh", "j"), (r"kh|x", "h"), (r"sch", "sh"), (r"ph", "f"),
             (r"\by[ei]", "e"), (r"\bie", "e"), (r"w", "v"), (r"q|ck", "k"), (r"y", "i"),
             (r"ou", "u"), (r"(?<=[a-z])([aou])e", r"\1"), (r"tre\b", "ter"), (r"(\w)\1", r"\1"),
             (r"ian\b", "ia"), (r"ij\b|ii\b", "i"))


def fold(text: str) -> str:
    """Lower-case and strip diacritics, keeping letters, digits and single spaces.

    >>> fold("Kunslu Serikovna İsinova")
    'kunslu serikovna isinova'
    >>> fold("All-Russia State Library; M.I. Rudomino")
    'all russia state library m i rudomino'
    """
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"['’`´]", "", text)
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


def normalize(text: str) -> str:
    """Fold a name and drop leading honorifics (Mr, Mrs, Ms, Dr, Prof …).

    >>> normalize("Dr. Mayil Ahmedov")
    'mayil ahmedov'
    """
    tokens = fold(text).split()
    while len(tokens) > 1 and tokens[0] in HONORIFICS:
        tokens.pop(0)
    return " ".join(tokens)


def core(text: str) -> str:
    """Drop naming noise from a normalised label: "named after …", parentheses, a leading "the".

    >>> core("National Library of Lithuania named after Martynas Mazvydas")
    'national library of lithuania'
    >>> core("OCLC (Online Computer Library Center)")
    'oclc'
    """
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.split(r"\bnamed after\b|\bnamed for\b", text, maxsplit=1)[0]
    tokens = normalize(text).split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens.pop(0)
    return " ".join(tokens)


def translit(normalised: str) -> str:
    """Fold transliteration variants of a normalised name onto one key.

    >>> translit("natalia ivanova") == translit("natalya ivanova")
    True
    >>> translit("all russian state library") == translit("all russia state library")
    True
    >>> translit("akbota xamitova") == translit("akbota khamitova")
    True
    """
    out = normalised
    for pattern, repl in _TRANSLIT:
        out = re.sub(pattern, repl, out)
    return out


@dataclass(frozen=True)
class LabelKeys:
    """One label of an entity, normalised the ways the matcher compares."""

    label: str
    norm: str
    core: str
    compact: str
    translit: str
    tokens: tuple[str, ...]

    @classmethod
    def of(cls, label: str) -> LabelKeys:
        """Compute every key of one label."""
        norm = normalize(label)
        core_ = core(label) or norm
        return cls(label, norm, core_, core_.replace(" ", ""), translit(core_), tuple(core_.split()))


def name_score(query: LabelKeys, label: LabelKeys, kind: str) -> float:
    """Score how well one query label names one entity label (0–100).

    >>> name_score(LabelKeys.of("Kunslu Isinova"), LabelKeys.of("Kunslu Serikovna İsinova"), "person")
    95.0
    """
    if query.norm == label.norm:
        return 100.0
    if query.core == label.core or query.compact == label.compact:
        return 98.0
    q, t = set(query.tokens), set(label.tokens)
    if q == t:
        return 97.0  # another word order, as in catalogue headings "Ahmadov, Mayil"
    if kind == "person" and len(q) >= 2 and q <= t and {label.tokens[0], label.tokens[-1]} <= q:
        return 95.0
    content_q, content_t = q - STOPWORDS, t - STOPWORDS
    if kind in ("organization", "topic") and len(content_q) >= 2 and content_q <= content_t:
        return round(85.0 + 15.0 * len(content_q) / len(content_t), 1)
    if query.translit == label.translit:
        return 88.0
    tq_content = set(query.translit.split()) - STOPWORDS
    tt_content = set(label.translit.split()) - STOPWORDS
    if kind in ("organization", "topic") and len(tq_content) >= 2 and tq_content <= tt_content:
        return round(81.0 + 15.0 * len(tq_content) / len(tt_content), 1)
    tq, tt = set(query.translit.split()), set(label.translit.split())
    if kind == "person" and len(tq) >= 2 and tq <= tt and {label.translit.split()[0], label.translit.split()[-1]} <= tq:
        return 86.0
    fuzzy = max(fuzz.ratio(query.core, label.core), fuzz.token_sort_ratio(query.core, label.core),
                fuzz.WRatio(query.translit, label.translit) * 0.95)
    return round(fuzzy * 0.9, 1)


COUNTRY_NAMES = {
    "azerbaijan": "AZ", "russia": "RU", "russian federation": "RU", "kazakhstan": "KZ",
    "belarus": "BY", "turkey": "TR", "turkiye": "TR", "morocco": "MA", "lithuania": "LT",
    "greece": "GR", "czechia": "CZ", "czech republic": "CZ", "egypt": "EG", "latvia": "LV",
    "france": "FR", "united kingdom": "GB", "great britain": "GB", "united states": "US",
    "usa": "US", "netherlands": "NL", "germany": "DE", "georgia": "GE", "iran": "IR",
    "ukraine": "UA", "uzbekistan": "UZ", "china": "CN", "japan": "JP", "italy": "IT",
}


def country_code(value: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a code or a common English country name.

    >>> country_code("ru"), country_code("Russian Federation"), country_code("Atlantis")
    ('RU', 'RU', None)
    """
    text = value.strip()
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    return COUNTRY_NAMES.get(fold(text))
