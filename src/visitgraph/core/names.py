"""Normalise names the way the matcher compares them, and score one name against another.

Pure functions (no store): folding any script to ASCII with ``anyascii`` (Cyrillic,
Azerbaijani ə, Turkish dotted İ and dotless ı, Czech and Lithuanian diacritics), dropping
honorifics and naming noise, transliteration keys. The one normalisation shared by the
matcher, the reconciliation suggest service and drafting. Scores are in ``namescore``.

Longer than 400 lines because the person keys, the organisation keys (with their tables of other languages' kind
words and country names) and the acronym and label keys are one normalisation, and splitting it would let the
matcher, search and drafting fold names two ways.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

from visitgraph.core.countries import COUNTRIES, endonym_keys, iso_names

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "madam", "mme", "mlle"})
STOPWORDS = frozenset({"of", "the", "for", "and", "in", "on", "at", "a", "an", "named", "after", "to"})
_FOLD = str.maketrans({"&": " and "})
_TRANSLIT = (
    (r"ks", "x"),
    (r"dzh|dj", "j"),
    (r"zh", "j"),
    (r"kh|x", "h"),
    (r"sch", "sh"),
    (r"tz", "ts"),  # Cyrillic ц written the German way: Katz, Kats
    (r"ph", "f"),
    (r"(?<=[aeiou])[jy](?=[aeiou])", ""),  # Cyrillic iotation between vowels: Polejayeva, Poleyaeva, Kutueva
    (r"\by[ei]", "e"),
    (r"\bie", "e"),
    (r"w", "v"),
    (r"q|ck", "k"),
    (r"y", "i"),
    (r"ou", "u"),
    (r"(?<=[a-z])([aou])e", r"\1"),
    (r"tre\b", "ter"),
    (r"(\w)\1", r"\1"),
    (r"ian\b", "ia"),
    (r"ij\b|ii\b", "i"),
)
_TRANSLIT_COMPILED = tuple((re.compile(pattern), repl) for pattern, repl in _TRANSLIT)


#: Patterns compiled once: a label's keys take ~55 substitutions, and ``re.sub`` with a pattern string
#: looks the compiled pattern up in ``re``'s cache each time (about half of ``LabelKeys.of``'s time).
_APOSTROPHES = re.compile(r"['’`´ʼ]")
_ASCII_APOSTROPHES = re.compile(r"['`]")
_NON_WORD = re.compile(r"[^\w]+|_")
_PARENTHESES = re.compile(r"\([^()]*\)")
_NAMED_AFTER = re.compile(r"\bnamed after\b|\bnamed for\b")
_NAMED_AFTER_ANY_CASE = re.compile(r"\bnamed (?:after|for)\b", re.I)
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_ACRONYM = re.compile(r"\(([A-Z]{2,8})\)")
#: A word in capitals in brackets (letters of any script: "(VGBIL)", "(TÜRKSOY)"), the short form a name restates.
_BRACKETED_CAPITALS = re.compile(r"\(\s*([^\W\d_]{2,10})\s*\)")


@functools.lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Lower-case and strip diacritics, keeping letters, digits and single spaces.

    >>> fold("Kunslu Serikovna İsinova")
    'kunslu serikovna isinova'
    >>> fold("All-Russia State Library; M.I. Rudomino")
    'all russia state library m i rudomino'
    >>> fold("Ильхам Алиев"), fold("Mayıl Əhmədov")
    ('ilkham aliev', 'mayil ehmedov')
    """
    text = unicodedata.normalize("NFC", text.translate(_FOLD))
    text = _APOSTROPHES.sub("", text)
    text = anyascii(text).casefold()
    text = _ASCII_APOSTROPHES.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


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
    text = _PARENTHESES.sub(" ", text)  # linear: a scan stops at the next "(" (issue 21)
    text = _NAMED_AFTER.split(text, maxsplit=1)[0]
    tokens = normalize(text).split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens.pop(0)
    return " ".join(tokens)


@functools.lru_cache(maxsize=65_536)
def translit_word(word: str) -> str:
    return translit(word)


def _bare(label: str) -> str:
    """Return a label as written without its parentheses and "named after …" (hyphens kept)."""
    text = _PARENTHESES.sub(" ", label)
    return _NAMED_AFTER_ANY_CASE.split(text, maxsplit=1)[0]


def translit(normalised: str) -> str:
    """Fold transliteration variants of a normalised name onto one key.

    >>> translit("natalia ivanova") == translit("natalya ivanova")
    True
    >>> translit("all russian state library") == translit("all russia state library")
    True
    >>> translit("akbota xamitova") == translit("akbota khamitova")
    True
    >>> translit("tatyana poleyaeva") == translit("tatyana polejayeva") == translit("tatiana polejaeva")
    True
    >>> translit("ari kats") == translit("ari katz")
    True
    """
    out = normalised
    for pattern, repl in _TRANSLIT_COMPILED:
        out = pattern.sub(repl, out)
    return out


#: Words around a person's name that are not part of it (honorifics, degrees, patronymic markers).
PERSON_NOISE = HONORIFICS | frozenset({"phd", "jr", "sr", "oglu", "ogly", "qizi", "kizi", "gizi", "kyzy"})
#: One spelling per word for organisation and topic names: demonyms to countries, British/American.
_ORG_SYNONYMS = {
    "lithuanian": "lithuania",
    "czech": "czechia",
    "belarusian": "belarus",
    "russian": "russia",
    "turkish": "turkey",
    "turkiye": "turkey",
    "egyptian": "egypt",
    "greek": "greece",
    "moroccan": "morocco",
    "kazakh": "kazakhstan",
    "azerbaijani": "azerbaijan",
    "centre": "center",
    "eastern": "east",
    "western": "west",
    "northern": "north",
    "southern": "south",
    "catalogue": "catalog",
    "int": "international",
    "intl": "international",
    "natl": "national",
    "univ": "university",
    "baku": "azerbaijan",
}


@functools.lru_cache(maxsize=1)
def _endonyms() -> dict[str, str]:
    """A country's one-word name in another language, to its English key ("maroc": "morocco"; decision 0086); read
    on first use, not at import (the translations take about 40 ms to load)."""
    return {word: key for word, key in endonym_keys().items() if word not in _ORG_SYNONYMS}


#: Institution words of the languages the partners write in (Turkish, Azerbaijani, Russian, the Romance and Germanic
#: ones), folded, and the English word each is: "Bilecik Şeyh Edebali Üniversitesi" is "… University". The stems of
#: :data:`visitgraph.authoring.namegate.FOREIGN_HEADS`, which keeps such words out of people's names.
_FOREIGN_KINDS = tuple(
    (re.compile(pattern), english)
    for pattern, english in (
        (r"(?:universite(?:si)?|universitet(?:i|a)?|universidad|universitat|universita)$", "university"),
        (r"(?:kutuphane(?:si)?|kitabxana(?:si)?|biblioteka|bibliot(?:h)?eca|bibliotheque|bibliothek)$", "library"),
        (r"(?:muze(?:si|yi)?|muzey(?:i)?|museo|musee)$", "museum"),
        (r"(?:akademi(?:si|ya|yasi)?|akademie|academia)$", "academy"),
        (r"(?:enstitu(?:su)?|institutu|instituti|instituto)$", "institute"),
        (r"(?:fakulte(?:si)?|fakultet(?:i)?|facultad)$", "faculty"),
        (r"(?:nazirliyi|ministerstvo|ministerio|ministere)$", "ministry"),
        (r"(?:knihovn[ay]|vivliothik[ie]|konyvtar|kirjasto|raamatukogu|bibliotek(?:en|et)?)$", "library"),
        (r"(?:nationale?s?|nacional(?:es)?|nazionale|narodni|narodowa|nacionaline|ethniki|natsional\w*)$", "national"),
        (r"(?:royaume|reino|regno|konigreich|krolestwo)$", "kingdom"),
        (r"(?:republique|republica|republik|republiky|republiki|cumhuriyeti|respublikasi)$", "republic"),
    )
)
#: Function words of those languages inside institutions' names ("du", "de la", "tis"): no key, as "of" and "the".
_FOREIGN_STOPWORDS = frozenset("du des de la le les del della di tis tou ve und et".split())
_ORG_PHRASES = (
    (r"\bczech republic\b", "czechia"),
    (r"\brussian federation\b", "russia"),
    # one body translated three ways (Turkish "Genel Müdürlük", Russian "Главное управление"): one key
    (r"\b(?:chief|main|general) (directorate|administration)\b", r"general \1"),
    (r"\b(\w+)isation\b", r"\1ization"),
    (r"\b(\w+)ise\b", r"\1ize"),
)
_ORG_PHRASES_COMPILED = tuple((re.compile(pattern), repl) for pattern, repl in _ORG_PHRASES)
#: Words that name the legal form or the kind of a body, not which one it is: they weigh little.
FORM_WORDS = frozenset({"republic", "kingdom", "federation", "inc", "ltd", "llc", "company", "news", "agency", "co"})


#: A country's other names of several words ("arab republic of egypt", and the ISO official names "kyrgyz republic",
#: "republic of turkiye") and the folded short name each stands for.
_COUNTRY_SHORT = {
    alt: fold(c.name or c.names[0])
    for c in COUNTRIES
    if c.name or c.names
    for alt in (*c.names, *(fold(n) for n in iso_names(c.code)))
    if " " in alt and alt != fold(c.name or c.names[0])
}
_COUNTRY_LONG = (
    re.compile(r"\b(?:the )?(" + "|".join(re.escape(a) for a in sorted(_COUNTRY_SHORT, key=len, reverse=True)) + r")\b")
    if _COUNTRY_SHORT
    else None
)


#: Azerbaijani ə, which a name written in English spells "a" (Əliyev Aliyev, Həsənov Hasanov, Əhmədov Ahmadov);
#: ``anyascii`` gives "e", two letters off in "Əhmədov", so a person's words take "a" (decision 0066).
_SCHWA = str.maketrans({"ə": "a", "Ə": "A"})


def person_tokens(text: str) -> tuple[str, ...]:
    """Return a person's name as transliteration keys in natural order ("Ahmadov, Mayil" -> mayil ahmadov).

    >>> person_tokens("Gudauskas, R."), person_tokens("Ильхам Гейдар оглу Алиев")
    (('r', 'gudauskas'), ('ilham', 'geidar', 'aliev'))
    >>> person_tokens("Əmir Əli Sərdari İrəvani") == person_tokens("Amir Ali Sardari Iravani")
    True
    """
    head, comma, tail = text.partition(",")
    if comma and tail.strip() and "," not in tail:
        text = f"{tail} {head}"
    words = [w for w in fold(text.translate(_SCHWA)).split() if w not in PERSON_NOISE]
    return tuple(translit_word(w) for w in words)


def short_form_of(mention: str, full: str) -> bool:
    """Say whether a mention is another form of a full name: its surname alone, initials for first names, or the
    words in another order ("Mr. Serageldin", "G. Wilson", "Dr. S. Tan", "Ahmadov Mayil", "K. S. Isinova").

    Every written word must be one of the full name's (transliteration variants folded) and every initial must
    stand for one of its other words; at least one word must be written out.

    >>> short_form_of("Mr. Serageldin", "Ismail Serageldin"), short_form_of("G. Wilson", "Graham Wilson")
    (True, True)
    >>> short_form_of("Ahmadov Mayil", "Mayil Ahmadov"), short_form_of("K. Wilson", "Graham Wilson")
    (True, False)
    >>> short_form_of("Sezen Tan", "Sinan Tan"), short_form_of("K. S. Isinova", "Kunslu Serikovna Isinova")
    (False, True)
    """
    said = person_tokens(mention.replace(".", ". "))
    left = list(person_tokens(full))
    words = [w for w in said if len(w) > 1]
    if not words or len(said) > len(left):
        return False
    for w in words:
        if w not in left:
            return False
        left.remove(w)
    for initial in (w for w in said if len(w) == 1):
        hit = next((x for x in left if x.startswith(initial)), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def org_tokens(text: str) -> tuple[str, ...]:
    """Return an organisation's or topic's name as weighted-comparison keys (stopwords out, one spelling).

    >>> org_tokens("National Library of the Czech Republic") == org_tokens("National Library of Czechia")
    True
    >>> org_tokens("Eastern European Countries") == org_tokens("East European Countries")
    True
    >>> org_tokens("Bilecik Edebali Üniversitesi") == org_tokens("Bilecik Edebali University")
    True
    """
    folded = fold(_INNER_HYPHEN.sub("", text))  # "All-Russia" is one word, not "Russia"
    for pattern, repl in _ORG_PHRASES_COMPILED:
        folded = pattern.sub(repl, folded)
    if _COUNTRY_LONG is not None:  # "of the Arab Republic of Egypt": the country's short name
        folded = _COUNTRY_LONG.sub(lambda m: _COUNTRY_SHORT[m.group(1)], folded)
    return tuple(key for key in map(_org_word, folded.split()) if key is not None)


@functools.lru_cache(maxsize=65_536)
def _org_word(w: str) -> str | None:
    """Return one folded word's organisation key, None for a stopword (words repeat: computed once each)."""
    if w in STOPWORDS:
        return None
    if w in FORM_WORDS:
        return w
    if w in _FOREIGN_STOPWORDS:
        return None
    w = next((english for pattern, english in _FOREIGN_KINDS if pattern.match(w)), w) if len(w) > 5 else w
    w = _ORG_SYNONYMS.get(w, w)
    w = _endonyms().get(w, w)
    return translit_word(_ORG_SYNONYMS.get(_stem(w), _stem(w)))


def acronyms(label: str) -> frozenset[str]:
    """Return the acronyms a label may be written as: its capitals in parentheses, and its words' initials.

    >>> sorted(acronyms("Russian State Library"))
    ['rsl']
    """
    out = {m.casefold() for m in _ACRONYM.findall(label)}
    words = [w for w in fold(core(label)).split() if w not in STOPWORDS]
    if len(words) >= 2:
        out.add("".join(w[0] for w in words))
    return frozenset(out)


def bracketed_abbreviation(label: str) -> str:
    """Return the folded abbreviation a name gives in brackets, one word in capitals that names no country, else "".

    >>> bracketed_abbreviation("Rudomino Library for Foreign Literature (VGBIL)"), bracketed_abbreviation("RSL")
    ('vgbil', '')
    >>> bracketed_abbreviation("British Library (UK)"), bracketed_abbreviation("Diet Library (Tokyo)")
    ('', '')
    """
    found = _BRACKETED_CAPITALS.findall(label) if "(" in label else []
    if len(found) != 1 or not found[0].isupper() or country_code(found[0]) is not None:
        return ""
    return fold(found[0])


#: An abbreviation written first, its expansion in brackets: "VGBIL (All-Russia State Library for Foreign Literature)".
_ABBREVIATION_FIRST = re.compile(r"^\s*(?:[Tt]he\s+)?([A-Z][A-Z0-9]{1,9})\s*\(\s*([A-Z][^()]{2,200}?)\s*\)\s*$")


def abbreviation_last(label: str) -> str:
    """Write an abbreviation followed by its expansion in brackets (two words or more; no country code) the usual way
    round: the expansion is the name, the abbreviation restates it. Anything else is returned as written.

    >>> abbreviation_last("the RSL (Russian State Library)"), abbreviation_last("UNESCO (Paris)")
    ('Russian State Library (RSL)', 'UNESCO (Paris)')
    """
    m = _ABBREVIATION_FIRST.match(label) if "(" in label else None
    if m is None or len(m.group(2).split()) < 2 or country_code(m.group(1)) is not None:
        return label
    return f"{m.group(2)} ({m.group(1)})"


@dataclass(frozen=True)
class LabelKeys:
    """One label of an entity, normalised the ways the matcher compares."""

    label: str
    norm: str
    core: str
    compact: str
    translit: str
    tokens: tuple[str, ...]
    person: tuple[str, ...] = ()
    org: tuple[str, ...] = ()
    org_core: tuple[str, ...] = ()
    acronyms: frozenset[str] = frozenset()
    #: The abbreviation the label gives in brackets (:func:`bracketed_abbreviation`), folded; "" when none.
    abbreviation: str = ""

    @classmethod
    def of(cls, label: str) -> LabelKeys:
        """Compute every key of one label (kept as written; keys read it through :func:`abbreviation_last`)."""
        written, label = label, abbreviation_last(label)
        norm = normalize(label)
        core_ = core(label) or norm
        return cls(
            written,
            norm,
            core_,
            core_.replace(" ", ""),
            translit(core_),
            tuple(core_.split()),
            person_tokens(label),
            org_tokens(label),
            org_tokens(_bare(label)),
            acronyms(label),
            bracketed_abbreviation(label),
        )


#: Folded country names (the shown name and the other names of :data:`visitgraph.core.countries.COUNTRIES`, and the
#: ISO 3166-1 names of its countries: :func:`~visitgraph.core.countries.iso_names`) to codes.
COUNTRY_NAMES: dict[str, str] = (
    {fold(n): c.code for c in COUNTRIES for n in iso_names(c.code)}
    | {fold(c.name): c.code for c in COUNTRIES if c.name}
    | {name: c.code for c in COUNTRIES for name in c.names}
)


def country_code(value: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a code or a common English country name.

    >>> country_code("ru"), country_code("Russian Federation"), country_code("Atlantis")
    ('RU', 'RU', None)
    >>> country_code("Kyrgyz Republic"), country_code("Hellenic Republic")
    ('KG', 'GR')
    """
    text = value.strip()
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    return COUNTRY_NAMES.get(fold(text))
