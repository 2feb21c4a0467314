"""Read the people and organisations a news item names: rules for this genre's phrasing.

No statistical model: a rule-based recogniser over capitalised spans, with small
lexicons of the words that make a span an institution, a title or a place
(docs/decisions/0008-draft.md says why). The visit sentence (the first) names
the visitors, each with a descriptor either before the name ("Director General
of the IPR books Natalya Ivanova") or after it ("Driss Khrouz, Director of the
National Library of Morocco"); a descriptor splits into a job title and an
organisation at the "of (the)" that starts a capitalised institution name.
Host-side people are found anywhere ("Director of the library Mayil Ahmedov").

Longer than 400 lines because the genre's rules for people, titles and organisations share the word lists and the tokenizer.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from wordfreq import zipf_frequency

from visitgraph.core.countries import COUNTRIES, endonym_keys, is_subdivision
from visitgraph.core.givennames import is_given_name
from visitgraph.core.names import COUNTRY_NAMES, acronyms, fold
from visitgraph.core.places import is_city

#: Words that head an institution's name.
ORG_HEADS = frozenset(
    """library libraries centre center university ministry directorate association federation
agency museum institute academy embassy consulate council foundation society company archive archives chamber
office department union organization organisation committee school college bank corporation commission parliament
assembly conference administration theatre theater gallery publishers publishing bureau authority board network
consortium alliance service services news laboratory laboratories forum congress faculty room rooms hall halls
club press""".split()
)
#: Words that make a span a title rather than a name.
TITLE_HEADS = frozenset(
    """director head coordinator manager minister president chairperson chairman chairwoman
vice-chairman vice-chairperson vice-president editor representative representatives writer researcher expert
specialist member ambassador consul secretary rector dean professor
librarian curator attendee officer advisor adviser counsellor counselor ex-editor president-elect
scholar historian journalist poet author scientist envoy governor mayor leader founder principal lecturer
artist painter composer musician singer actor actress architect sculptor photographer translator publisher
diplomat teacher attaché attache doctor candidate bibliographer archivist cataloguer cataloger methodologist
novelist economist philologist linguist orientalist archaeologist ethnographer critic playwright essayist
analyst consultant chancellor vice-chancellor provost keeper conservator restorer engineer programmer supervisor
employee fellow docent instructor tutor administrator producer d'affaires d’affaires""".split()
)
TITLE_MODIFIERS = frozenset(
    """general deputy former vice executive acting senior leading project fund first chief
assistant honorary ex honoured honored people's regional past""".split()
)
#: Institution words that name a part of an institution ("the Digital Services of the National Library"):
#: followed by "of (the)" and an institution, the part belongs to the person's title, the institution is
#: the organisation (nothing is minted from a title fragment).
SUB_UNITS = frozenset(
    "department departments division services service sector section unit branch subdivision board council presidium "
    "secretariat laboratory laboratories faculty room rooms hall halls".split()
)
GROUP_NOUNS = frozenset(
    "employees staff workers delegation representatives members specialists experts students".split()
    # "a group of curators from X": people of an occupation, in the plural, from one institution
    + "librarians curators archivists researchers scientists scholars historians teachers lecturers professors "
    "colleagues participants journalists writers poets artists".split()
)
OTHER_CAPITALISED = frozenset(
    """the a an on in at of and for during with by after state national international
republic federation presidential palace nation leader cultural annual meeting conference european east west north
south central city global world catalogue scientific educational activities rare books art foreign literature
visitors book president first online countries computer intangible heritage humanity representative list democratic state
symbols attributes kingdom united arab emirates islamic people's democratic new old great royal
parliamentary pedagogical technical technological medical agrarian agricultural military economic polytechnic
academic musical linguistic humanitarian veterinary literary
day days week weeks month year festival fair copyright""".split()
)
#: What a text names besides people and bodies: capitalised words before one of these are its name, not a person's
#: ("the Erasmus+ Staff Mobility Programme", "the Silk Road Project").
THING_NOUNS = frozenset(
    """programme program programmes programs project projects initiative festival exhibition exhibitions competition
award prize grant scholarship fellowship""".split()
)
#: Kind words in lower case right after "the" and before a body's own name ("the company IPR BOOKS").
KIND_BEFORE_NAME = frozenset("company firm corporation agency holding".split())


def _place_word(word: str) -> bool:
    """Say whether a capitalised word names a country or a province ("Istanbul", "Dutch"), as the tables know them."""
    return is_cap(word) and (place_code(word) is not None or is_subdivision(word))


def _title_after_name(words: Sequence[Span], i: int) -> bool:
    """Say whether the title the word at `i` ends follows a person's name and a comma ("Giancarlo De Santis, head of
    the Florentine publishing house …"): the title is after its name, and no name follows."""
    for k in range(i - 1, max(0, i - 12) - 1, -1):
        if words[k].text == ",":
            between = {w.text.casefold() for w in words[k + 1 : i]}
            return k >= 1 and is_name_word(words[k - 1].text) and bool(between & TITLE_HEADS)
        if words[k].text in (".", ";"):
            return False
    return False


#: Words between "the" and a kind word that leave the body's name after it: "the Belgian academic publishing house X".
KIND_MODIFIERS = frozenset(
    "academic scientific educational private state leading international national local independent famous "
    "well-known major".split()
)


def _modified_kind(before: list[str]) -> bool:
    """Say whether the words before a kind word are "the", then one or two modifiers (a place in capitals or an
    adjective such as "academic"): "the Belgian academic", "the leading Turkish"."""
    for n in (2, 3):
        if len(before) >= n + 1 and before[-n - 1].casefold() == "the":
            mods = before[-n:]
            if all(m in KIND_MODIFIERS or (is_cap(m) and _place_adjective(m)) for m in mods) and any(
                m in KIND_MODIFIERS for m in mods
            ):
                return True  # not "the Brill academic publishing house X": the firm's own name came first
    return False


def _place_adjective(word: str) -> bool:
    """Say whether a capitalised word before a firm's kind says where it is ("Belgian", "Florentine", "Istanbul",
    "Leiden-based"), not what it is called ("Brill")."""
    return _demonym(word) or word.endswith(("ine", "-based")) or is_city(word)


def _after_kind_word(words: Sequence[Span], i: int) -> bool:
    """Say whether the word at `i` follows "the <kind word>" ("the company X", "the publishing house X").

    Not "the IPR Books company Natalia Ivanova" (the kind word ends the body's name) nor "the publisher X" (an
    occupation).
    """
    if i >= 1 and words[i].start - words[i - 1].end > 1:
        return False  # 'the company "IPR BOOKS" Natalia Ivanova': the body's name in quotes came between
    if i >= 2 and any(w.text == words[i - 1].text for w in words[: i - 2]):
        return (
            False  # "… of the IPR BOOKS company and head of … of the company Dmitry Solovyov": the company named before
        )
    low = [w.text for w in words[max(0, i - 4) : i]]
    if len(low) >= 3 and is_cap(low[-2]) and low[-1] in KIND_BEFORE_NAME and low[-3].casefold() == "the":
        return True  # "the Istanbul company X"
    if len(low) == 4 and is_cap(low[1]) and low[0].casefold() == "the" and low[2:] == ["publishing", "house"]:
        # "the Florentine publishing house X", "the Istanbul publishing house X"; not "the Harrassowitz publishing
        # house Katharina von der Lühe", where the firm's own name came before its kind word
        return _place_adjective(low[1])
    wide = [w.text for w in words[max(0, i - 6) : i]]
    if (wide[-2:] == ["publishing", "house"] or (wide and wide[-1] in KIND_BEFORE_NAME)) and _modified_kind(
        wide[: -2 if wide[-1] == "house" else -1]
    ):
        return True  # "the Belgian academic publishing house X", "the leading Turkish company X"
    return (len(low) >= 2 and low[-1] in KIND_BEFORE_NAME and low[-2].casefold() == "the") or low[-3:] == [
        "the",
        "publishing",
        "house",
    ]


HONORIFICS = {
    "mr": "Mr.",
    "mrs": "Mrs.",
    "ms": "Ms.",
    "miss": "Miss",
    "dr": "Dr.",
    "prof": "Prof.",
    "mme": "Mme",
    "mlle": "Mlle",
}
PARTICLES = frozenset(
    "van von de der den da di du al el ap bin binti bint ibn la le las los ter ten del della do dos das".split()
)
#: The words after a father's name that make it a patronymic in Turkic names, written in lower case ("Nurlan Bakyt
#: uulu", "Aigul Asan kyzy", "Elchin Ali oglu", "Aygun Vagif qizi").
PATRONYMIC_WORDS = frozenset("uulu kyzy qizi gizi kizi oglu ogly ogli uly uli".split())
MONTHS = frozenset("""january february march april may june july august september october november december""".split())
#: Every name and word of a country (:data:`visitgraph.core.countries.COUNTRIES`) to its code; `place_code` also
#: reads the shown names (names.COUNTRY_NAMES).
PLACES: dict[str, str] = {word: c.code for c in COUNTRIES for word in (*c.names, *c.words)}
_CAP = r"[A-ZÀ-ÖØ-ÞİŞÇĞÜÖƏ]"
_WORD_RE = re.compile(rf"(?:{_CAP}\.\s?){{1,6}}(?={_CAP})|{_CAP}\.|[\w’'`-]+|[^\w\s]")


@functools.lru_cache(maxsize=8192)
def place_code(word_or_phrase: str) -> str | None:
    """Return the country code a place name or demonym denotes, else None.

    >>> place_code("Belarusian"), place_code("the Republic of Latvia"), place_code("Library")
    ('BY', 'LV', None)
    """
    text = fold(word_or_phrase.replace("-", " ").replace("All Russia", "All-Russia"))
    text = re.sub(r"^(the )?(republic|kingdom|state) of (the )?", "", text)
    if not text:
        return None
    return PLACES.get(word_or_phrase.strip().casefold()) or PLACES.get(text) or COUNTRY_NAMES.get(text)


@dataclass
class OrgMention:
    """An organisation named in the item, as written, with what the text says of it."""

    name: str
    parent: OrgMention | None = None
    country: str | None = None
    host: bool = False
    #: "the library of X": the text names X's library, not X ("library"); reused as X's one known library
    library_of: bool = False
    #: reused when it is a known organisation, never minted (what someone edits: see PersonMention.edits)
    reuse_only: bool = False
    #: why the text does not say a guest belongs to it (named on its own, outside the slots that do): reused when
    #: known, never minted, and the draft says so in a check line (decision 0052)
    unclaimed: str | None = None
    #: named after its kind ("the publishing house Springer Nature", "the company X"): a firm, whatever its words
    firm: bool = False


@dataclass
class PersonMention:
    """A person named in the item: name as written, honorific, title, organisation, other forms."""

    name: str
    start: int = 0
    honorific: str | None = None
    job_title: str | None = None
    description: str | None = None
    org: OrgMention | None = None
    host: bool = False
    inherited: bool = False
    alternate_names: list[str] = field(default_factory=list)
    #: what an editor edits ("editor-in-chief of X"): maybe a periodical, so X is no organisation of theirs unless
    #: it is a known one
    edits: str | None = None
    #: the name opens a bracket ("… Presidential Library (Saint Petersburg)"): what a bracket after other words
    #: holds is their place, acronym or other form, not a guest's slot, so it is reused when known, never minted
    bracketed: bool = False


@dataclass(frozen=True)
class Span:
    """A stretch of text: where it starts and ends, and the words in it."""

    start: int
    end: int
    text: str


def tokens(text: str) -> list[Span]:
    """Split text into words, initials ("M. I.") and punctuation, with their offsets."""
    return [Span(m.start(), m.end(), m.group(0).strip()) for m in _WORD_RE.finditer(text)]


def is_cap(word: str) -> bool:
    """Say whether a word starts with a capital letter (Azerbaijani capitals included)."""
    return bool(word) and (word[0].isupper() or word[0] in "İŞÇĞÜÖƏ")


def _is_initials(word: str) -> bool:
    return bool(re.fullmatch(rf"(?:{_CAP}\.\s?)+", word))


#: A word with a capital after a lower-case letter ("WorldCat"), and the name prefixes that make one ("McLeod").
_CAMEL_CASE = re.compile(r"[A-Z][a-z]+[A-Z][\w’'-]*")
_CAMEL_NAME = re.compile(r"(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|Fitz)[A-Z]")


def is_name_word(word: str) -> bool:
    """Say whether a capitalised word can be part of a person's name (not a title, place or institution word)."""
    low = word.casefold().strip(".").replace("’", "'")
    if re.fullmatch(r"(?:al|el|ad|ar|as|ash|at|az|ud|ul)-[A-Z][a-z’'-]+", word):
        return True  # "al-Mansouri", "el-Sayed", "ud-Din": an Arabic surname with its article
    if re.fullmatch(r"d[’'][A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ’'-]+", word) and low not in TITLE_HEADS:  # not "Chargé d'Affaires"
        return True  # "Amélie d’Harcourt": a French surname with its elided particle
    if not is_cap(word) or _is_initials(word):
        return False
    owner = re.sub(r"'s$", "", low)
    if owner != low and (owner in ORG_HEADS or owner in TITLE_HEADS or place_code(owner) is not None):
        return False  # "the British Library's Asian Collections": an institution's or a place's, no one's name
    if word.isupper() and len(word) > 1:
        return False  # acronyms: IFLA, OCLC, IPR
    if _CAMEL_CASE.fullmatch(word) and not _CAMEL_NAME.match(word):
        return False  # "WorldCat", "JSTOR's", "EBSCOhost": a product's or a firm's name ("McLeod", "DeVries" are names)
    if (
        low in ORG_HEADS
        or low in SUB_UNITS  # "… Digital Preservation Section Ola Brekke"
        or low in TITLE_HEADS
        or low in TITLE_MODIFIERS
        or low in OTHER_CAPITALISED
        or low in THING_NOUNS
    ):
        return False
    if low in MONTHS or low in HONORIFICS or place_code(word) is not None:
        return False
    if _hyphenated_title(low):
        return False  # "Vice-Rector", "Pro-Rector", "Co-Founder": a title joined by its hyphen, no one's name
    if _COMMON_NOUN.search(low):
        return False  # "Records Management", "Multicultural Populations", "Documentation": a title's words
    return bool(re.fullmatch(r"[^\W\d_][\w’'-]*", word))


#: Prefixes a title takes with a hyphen ("Vice-Rector", "Pro-Rector", "Co-Founder"), besides the title modifiers.
_TITLE_PREFIXES = frozenset({"pro", "co", "vice", "ex", "sub", "under"})


def _hyphenated_title(low: str) -> bool:
    """Say whether a folded hyphenated word is a title: its last part a title head, the others prefixes or modifiers.

    >>> _hyphenated_title("vice-rector"), _hyphenated_title("deputy-director"), _hyphenated_title("jean-paul")
    (True, True, False)
    """
    parts = low.split("-")
    return (
        len(parts) >= 2
        and parts[-1] in TITLE_HEADS
        and all(part in _TITLE_PREFIXES or part in TITLE_MODIFIERS for part in parts[:-1])
    )


#: English common-noun endings no name has (checked on the whole word): "Management", "Associations", "Partnership".
_COMMON_NOUN = re.compile(r"^[a-z]{4,}(?:tions?|sions?|ships?|nesses|ness|ologies|ology|ities)$|^[a-z]{5,}ments?$")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of every quoted stretch ("…", “…”, «…»)."""
    return [(m.start(), m.end()) for m in re.finditer(r"“[^”]*”?|\"[^\"]*\"|«[^«»]{0,2000}»", text)]


def outside(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """Return a test telling whether an offset lies outside every span (sorted, non-overlapping): a bisection."""
    starts = [a for a, _ in spans]

    def test(offset: int) -> bool:
        k = bisect.bisect_right(starts, offset) - 1
        return k < 0 or not spans[k][0] <= offset < spans[k][1]

    return test


def _caps_surname(word: str) -> bool:
    """Say whether a word is a surname written in capitals after a first name ("Mustafa SERİN", "Jean DUPONT").

    >>> _caps_surname("SERİN"), _caps_surname("DUPONT"), _caps_surname("UN"), _caps_surname("Serin")
    (True, True, False, False)
    """
    return len(word) >= 3 and word.isalpha() and word.isupper() and any(c in "AEIOUYİÖÜÄÅ" for c in word)


def _recase(name: str) -> str:
    """Write a surname in capitals as a name ("Mustafa SERİN": "Mustafa Serin"), keeping the name's length.

    >>> _recase("Mustafa SERİN"), _recase("Anna Petrova")
    ('Mustafa Serin', 'Anna Petrova')
    """
    words = name.split(" ")
    if len(words) < 2 or not _caps_surname(words[-1]):
        return name
    last = words[-1]
    return " ".join(
        [*words[:-1], last[0] + last[1:].replace("İ", "i").replace("I", "ı" if "İ" in last else "i").lower()]
    )


#: Institution words of other languages ("Bibliothèque", "Universidad", "Kütüphanesi"): a name in its own language.
FOREIGN_HEADS = re.compile(
    r"(?:[uü]niversit\w*|universidad\w*|kütüphane\w*|kitabxana\w*|bibliot\w+|biblioth\w+|akadem\w+|muze\w*|"
    r"museo|mus[eé]e|institut\w*|enstit\w*|fakült\w*|vakf\w*|kolleg\w*|ministerstv\w*|nazirliy\w*|"
    r"müdürlüğ\w*|bakanlığ\w*|başkanlığ\w*|idarəs\w*|knihovn\w*|könyvtár\w*|kirjasto\w*|raamatukogu\w*|"
    r"vivliothik\w*|archivo|archivio|arquivo|fondation|fondazione|fundaci[oó]n|funda[cç][aã]o|stiftung|"
    r"\w+bibliothek|\w+stiftung)",  # German compounds: "Staatsbibliothek", "Nationalbibliothek"
    re.IGNORECASE,
)
#: Function words of names in another language, on which a name does not end ("… de la", "… and").
_FOREIGN_FUNCTION = frozenset(
    "du de des la le les del della di do da dos das der den van von y e i et ve və und och og és a tis tou and "
    "pour per para sur sobre für".split()
)
#: Lower-case words of another language's name ("nationale du", "de la"): after one of the words above, what follows
#: in capitals is still that institution's name ("Bibliothèque nationale du Royaume du Maroc"), nobody's.
_FOREIGN_LINK = (_FOREIGN_FUNCTION - {"le", "les", "and"}) | frozenset(
    "nationale national nacional nazionale naţională narodowa nacionalinė nacionaline nationales nacionales "
    "nazionali".split()
)


def foreign_head(word: str) -> bool:
    """Say whether a word is an institution word of another language, not a family name built on one
    ("Kütüphanesi", "Müdürlüğü"; not "Institutova", "Akademov")."""
    return FOREIGN_HEADS.fullmatch(word) is not None and _SURNAME_END.search(word.casefold()) is None


#: Surname endings of the region's languages that no firm's name has ("Kutueva", "Shevchenko", "Beridze").
_SLAVIC_SURNAME = re.compile(r"[a-z]{2,}(?:ova|eva|yeva|ov|ev|yev|enko|yan|dze|shvili|skaya|ska|sky|ski)$")
_SURNAME_END = re.compile(r"(?:ov|ova|ev|eva|in|ina|ski|ska|sky|skaya|enko|yan|ian|dze|shvili|ic|ić|ich)$")


def _a_country(word: str) -> bool:
    """Say whether a word names a country, in English or in another language ("Maroc", "Ellada")."""
    return place_code(word) is not None or fold(word) in endonym_keys()


def _in_foreign_name(words: Sequence[Span], i: int) -> bool:
    """Say whether words[i] goes on an institution's name in another language: an institution word of that
    language, then only its lower-case linking words, right before it."""
    k = i - 1
    linked = False
    if i >= 1 and words[i].start - words[i - 1].end > 1:
        return False  # "… pour le Livre Dr. Jean-Baptiste …" (the honorific blanked): the name starts after the gap
    # back over linking words and the capitalised words of the name ("Bibliothèque nationale du Royaume du | Maroc",
    # "Biblioteca Nacional de la | República", "Universidad de | Salamanca Ricardo …") to its institution word
    while k >= 0 and i - k <= 6 and not foreign_head(words[k].text):
        if words[k].text.casefold() in _FOREIGN_LINK:
            linked = True
        elif words[k].text in ("le", "les") and k >= 1 and words[k - 1].text.casefold() in _FOREIGN_LINK:
            pass  # "Fondation Orient-Occident pour le | Livre": an article after a preposition of the name's language
        elif not is_cap(words[k].text) or words[k].text.casefold() in ("the", "of", "and"):
            return False
        k -= 1
    return linked and k >= 0 and foreign_head(words[k].text)


def find_people(text: str, start: int = 0, end: int | None = None) -> list[PersonMention]:
    """Find the person names in text[start:end]: runs of two to four name words (initials allowed).

    Eponyms ("named after M. I. Rudomino") and quoted titles are skipped; a name directly
    followed by an institution word ("Bilecik Sheikh Edebali University") is part of that name.

    >>> [p.name for p in find_people("the director of IPR books Natalya Ivanova and Mr. Reyn van Haldropin met")]
    ['Natalya Ivanova', 'Reyn van Haldropin']
    """
    end = len(text) if end is None else end
    unquoted = outside(quoted_spans(text))
    words = [w for w in tokens(text) if start <= w.start and w.end <= end and unquoted(w.start)]
    out: list[PersonMention] = []
    i = 0
    while i < len(words):
        w = words[i]
        prev = [x.text.casefold() for x in words[max(0, i - 2) : i]]
        if prev == ["named", "after"]:
            i = _skip_eponym(words, i)
            continue
        if not (
            is_name_word(w.text)
            or (_is_initials(w.text) and i + 1 < len(words) and is_name_word(words[i + 1].text))
            or (  # "R. van Haldropin": an initial, a particle, a surname
                _is_initials(w.text)
                and i + 2 < len(words)
                and words[i + 1].text in PARTICLES
                and is_name_word(words[i + 2].text)
            )
        ):
            i += 1
            continue
        j = i
        while (
            j + 1 < len(words)
            and (
                is_name_word(words[j + 1].text)
                or _is_initials(words[j + 1].text)
                or (j == i and is_name_word(w.text) and _caps_surname(words[j + 1].text))
                or (words[j + 1].text in PARTICLES and j + 2 < len(words) and is_name_word(words[j + 2].text))
                or (  # "Friederike von der Lühe", "Anneke van den Berg": two particles ("de la" also joins the
                    # words of a name in its own language: "Biblioteca Nacional de la República")
                    j + 3 < len(words)
                    and words[j + 1].text in ("van", "von")
                    and words[j + 2].text in ("der", "den", "de", "dem")
                    and is_name_word(words[j + 3].text)
                )
                or (  # "Juan Ignacio de la Cruz Ortega": "de la" inside a person's name, not an institution's
                    j + 3 < len(words)
                    and words[j + 1].text == "de"
                    and words[j + 2].text in ("la", "las", "los")
                    and is_name_word(words[j + 3].text)
                    and not any(
                        foreign_head(x.text) or x.text.casefold() in ORG_HEADS or _a_country(x.text)
                        for x in words[max(i, j - 6) : j + 4]
                    )
                )
            )
            and words[j + 1].start - words[j].end <= 1
        ):
            j += 1
        # "… of the United Mexican States (to …) Alejandro Ruiz": a country's name of several words, then the name
        if j - i >= 2 and i >= 2 and words[i - 1].text in ("of", "in") and words[i - 2].text == ")":
            i += 1  # "the University Library (BULAC) of Paris Anne-Sophie Duval": the acronym's city, then the name
        country = _country_opens(words, i, words[i : j + 1])
        if country and j + 1 - (i + country) < 2:
            i = j + 1
            continue
        run = _trim_org_tail(words, i + country, words[i + country : j + 1])
        if (
            run
            and run[0] is words[i]
            and _leads_own_language_name(run[0].text)
            and j + 2 < len(words)
            and words[j + 1].text == "of"
            and _a_country(words[j + 2].text)
        ):
            i = j + 1  # "the Biblioteca Nacional Mariano Moreno of Argentina": the name goes on to its country
            continue
        if run and run[0] is words[i] and _leads_own_language_name(run[0].text):
            # "Éditions du Caucase Hélène Marchetti-Roux", "Universidad de Salamanca Ricardo Rivero": an institution's
            # name in its own language runs to the word after its last particle; the person follows
            # the person starts at the last given name whose word before is none ("Ediciones Alhambra Nueva | José
            # María Sáenz de Ugarte", "Biblioteca Nacional Mariano Moreno | María José de la Fuente")
            given = max(
                (
                    k
                    for k in range(2, len(run) - 1)
                    if is_given_name(run[k].text)
                    and not is_given_name(run[k - 1].text)
                    and run[k - 1].text not in PARTICLES
                ),
                default=-1,
            )
            last = max((k for k, x in enumerate(run) if x.text in PARTICLES), default=-1)
            # with no particle the head and one word are the name ("Editions Gallimard Antoine Gallimard")
            second_head = len(run) > 1 and _leads_own_language_name(run[1].text)  # "Fondazione Biblioteca …"
            if given >= 2 and not second_head:
                run = run[given:]
            elif last >= 3 and run[last].text in ("von", "van", "bin", "binti", "ibn") and not second_head:
                run = run[last - 1 :]  # "Edition Morgenland Friederike von Allmen": the particle is the person's
            else:
                run = run[last + 2 :] if last >= 0 else ([] if second_head else run[2:])
            if len(run) < 2:
                i = j + 1
                continue
        if run and run[-1].text.casefold() in FIELD_WORDS:  # "Library and Information Science": no one's name
            i = j + 1
            continue
        if j + 1 < len(words) and words[j + 1].text.casefold() in THING_NOUNS:
            i = j + 1  # "the Staff Mobility Programme": a programme's name
            continue
        if (
            j + 1 < len(words)
            and re.fullmatch(r"\d{1,2}", words[j + 1].text)
            and words[j + 1].start - words[j].end == 1
            # not a count after a name ("… Mayil Ahmadov 15 books"): the number ends the name or a capital follows
            and (j + 2 >= len(words) or not words[j + 2].text[:1].islower())
        ):
            i = j + 1  # "Université Jean Moulin Lyon 3", "Paris 8": a numbered university's name, no person
            continue
        if j + 2 < len(words) and words[j + 1].text == "&" and is_cap(words[j + 2].text):
            i = j + 1  # "Van Leeuwen & Dijkstra Publishers", "Taylor & Francis": a firm's name of its founders
            continue
        if (
            _after_kind_word(words, i)
            # "… department of the company Oleg Sergeyevich Berezin": the company named before; a patronymic says
            # the words are a person's
            and not (len(run) == 3 and _PATRONYMIC.fullmatch(run[1].text))
            # "… Department of the company Vita Kutueva": a surname by its ending, the company named before
            and not (len(run) == 2 and not run[1].text.isupper() and _SLAVIC_SURNAME.search(fold(run[1].text)))
            and not (run and fold(run[-1].text) in _PUBLISHER_LAST)
            and (not run or run[0] is words[i])  # not when an own-language firm's name was cut off the run already
        ):
            # "the publishing house Edition Morgenland Friederike von Allmen": a firm's name, then a person's (a
            # particle's word before it starts the person; else the last two words when the run has three or more)
            particle = next((k for k, x in enumerate(run) if k >= 2 and x.text in PARTICLES), -1)
            start = particle - 1 if particle >= 2 else (len(run) - 2 if len(run) >= 3 else -1)
            house = max((k for k, x in enumerate(run[:-2]) if fold(x.text) in _PUBLISHER_LAST), default=-1)
            if house >= 0:  # "the publishing house Kültür Yayınları Ayşe Gül Öztürk": the firm ends at its kind word
                start, particle = house + 1, -1
            if (
                start >= 1
                and particle < 0
                and (
                    fold(run[-1].text) in _FIRM_LAST | _PUBLISHER_LAST | INSTITUTION_HEADS
                    or any(x.text in PARTICLES for x in run[:start])
                    or run[start].text in PARTICLES
                )
            ):
                start = -1  # "Taylor Francis Group", "Qanun Nashr Evi", "Philipp von Zabern": the firm's name whole
            if _title_after_name(words, i):
                start = -1  # "X, head of the publishing house Casa Editrice Lumen Orientis.": the person came first
            if start < 1 or not all(is_name_word(x.text) or x.text in PARTICLES for x in run[start:]):
                i = j + 1  # "the company IPR BOOKS", "the publishing house Springer Nature": the firm's name alone
                continue
            run = run[start:]
        elif run and fold(run[-1].text) in _PUBLISHER_LAST:
            i = j + 1  # "Yeni Kervan Yayınları"
            continue
        kind = max((k for k, x in enumerate(run[:-1]) if fold(x.text) in _PUBLISHER_LAST), default=-1)
        if kind >= 0:  # "Harrassowitz Verlag Barbara Krauss": the publisher's name ends at its kind word
            run = run[kind + 1 :]
            if len(run) < 2:
                i = j + 1
                continue
        if (
            len(run) >= 3
            and i >= 1
            and words[i - 1].text.casefold() in TITLE_HEADS | TITLE_MODIFIERS
            and re.search(r"(?:er|or|ist|ian|ant)$", run[0].text)
        ):
            run = run[
                1:
            ]  # "Head Cataloguer Orkhan Aliyev", "Senior Archivist Anna Petrova": an occupation, then the name
        if len(run) >= 3 and re.search(r"(?:olog(?:ist|ue|ian)|ographer)$", run[0].text):
            run = run[1:]  # "Japanese Turkologist Kenji Matsuda": a scholar's field is no one's given name
        field = [k for k, x in enumerate(run) if x.text.casefold() in FIELD_WORDS]
        field_cut = bool(field) and len(run) - field[-1] > 2 and not _heads_institution(words, j + 1)
        if field_cut:
            run = run[field[-1] + 1 :]  # "Director of External Relations Olga Petrova": the field ends before the name
        if len(run) >= 3 and run[0] is words[i] and _place_goes_on(words, i):
            run = run[1:]  # "… of Bosnia and Herzegovina Amra Hadžić", "… for Europe and Central Asia Anna K.": a place
        # "Vice-Rector for Research Katrin Saks": the title's field came after "for"; the name after it is a person's
        after_for = _after_for(words, i) and not field_cut
        if after_for and len(run) >= 3 and _is_region(run[0].text):
            run, after_for = run[1:], False  # "Director for Europe Catherine Furetti": a region, then the name
        if after_for and len(run) >= 4 and run[0].text.casefold() in _COMPASS and _is_region(run[1].text):
            run, after_for = run[2:], False  # "manager for Eastern Europe Hendrik de Vries": a region of two words
        if after_for and len(run) >= 3 and _after_org_for(words, i):
            run, after_for = run[-2:], False  # "Library for Youth Olga Petrova": the institution keeps one word
        if len(run) >= 3 and run[0] is words[i] and _is_region(run[0].text) and i >= 1:
            run = run[1:]  # "… for Central Asia and the Caucasus Marta Kowalczyk": a region, then the name
        if run and run[0] is words[i] and i >= 1 and words[i - 1].text.casefold() == "the":
            i = j + 1  # "Treasures of the Silk Road": a name takes no article
            continue
        if (
            run
            and run[0] is words[i]
            and i >= 1
            and is_cap(words[i - 1].text)
            and re.search(r"[’']s$", words[i - 1].text)
            and words[i - 1].text.casefold().replace("’", "'") != "people's"
        ):
            i = j + 1  # "the Riverside Library's Oriental Manuscripts": what an institution has, not a person
            continue
        if (
            run
            and run[0] is words[i]
            and i >= 2
            and words[i - 1].text == "in"
            and is_cap(words[i - 2].text)
            and words[i - 2].text.casefold() in ORG_HEADS
        ):
            i = j + 1  # "the Hermitage Museum in Saint Petersburg": where an institution is, not a person
            continue
        # "… Bibliothèque nationale de France | Ana Santos": the own-language name ended with its country
        after_country = i >= 1 and is_cap(words[i - 1].text) and _a_country(words[i - 1].text)
        if run and run[0] is words[i] and _in_foreign_name(words, i) and not after_country:
            if len([x for x in run if x.text not in PARTICLES]) < 3 or any(foreign_head(x.text) for x in run):
                i = j + 1  # "the Bibliothèque nationale du Royaume du Maroc": the rest of a name in its own language
                continue
            place = max((k for k, x in enumerate(run) if _a_country(x.text)), default=-1)
            # "… de la República Bolivariana de Venezuela Juan Pérez": the name goes on to its country, then the person;
            # "… Vivliothiki tis Ellados Antonía Arachová": no country we know: the name's last word, then the person
            run = run[place + 1 :] if place >= 0 else run[1:]
            while run and run[0].text in PARTICLES:
                run = run[1:]
            if len([x for x in run if x.text not in PARTICLES]) < 2:
                i = j + 1
                continue
        if j + 1 < len(words) and foreign_head(words[j + 1].text) and not is_cap(words[j + 1].text):
            i = j + 1  # "Lietuvos nacionalinė Martyno Mažvydo biblioteka": an institution's own-language name
            continue
        if (
            run
            and run[0] is words[i]
            and i >= 2
            and words[i - 1].text == "of"
            and words[i - 2].text.casefold() in _EVENT_NOUNS
            and is_cap(words[i - 2].text)
        ):
            i = j + 1  # "the Days of Kyrgyz Culture", "the Year of Nizami Ganjavi": an event's name
            continue
        if run and run[0] is words[i] and i >= 2 and words[i - 1].text == "on" and is_cap(words[i - 2].text):
            i = j + 1  # "the Summer School on Digital Humanities": a subject, not a person
            continue
        full = [x for x in run if not _is_initials(x.text)]
        if (
            (len(full) >= 2 or (len(full) == 1 and (len(run) >= 2 or _after_honorific(words, i))))
            and not _heads_institution(words, j + 1)
            and not after_for
        ):
            run = _last_four(run)
            stop = run[-1].end
            if (
                run[-1] is words[j]
                and j + 1 < len(words)
                and fold(words[j + 1].text) in PATRONYMIC_WORDS
                and words[j + 1].start - stop <= 1
            ):
                stop = words[j + 1].end  # "Nurlan Bakyt uulu", "Aygun Ali qizi": the father's name and "son/daughter"
                if (
                    j + 2 < len(words)
                    and is_name_word(words[j + 2].text)
                    and words[j + 2].start - stop <= 1
                    and not _heads_institution(words, j + 3)
                ):
                    stop = words[j + 2].end  # "Elchin Ali oglu Mammadov": the family name after the patronymic
                    j += 1
            p = PersonMention(_recase(text[run[0].start : stop]), run[0].start)
            before = [x.text for x in words[max(0, i - 2) : i]]
            dotted = bool(before) and before[-1] == "."
            word = before[-2] if dotted and len(before) > 1 else (before[-1] if before else "")
            if word.casefold() in HONORIFICS:
                p.honorific = word + ("." if dotted else "")  # as written: "Ms." or "Ms"
            p.bracketed = bool(before) and before[-1] == "("
            out.append(p)
        i = j + 1
    return out


#: Events named by what they celebrate: "the Days of Kyrgyz Culture", "the Week of Polish Literature".
_EVENT_NOUNS = frozenset("days week weeks festival year decade month evening evenings anniversary".split())


def _publisher_in_own_language(name: str) -> bool:
    """Say whether a name is a publisher's by its own language's kind word ("Éditions du Caucase", "X Verlag")."""
    words = [fold(w) for w in re.sub(r"^the\s+", "", name.strip()).split()]
    return len(words) >= 2 and (words[0] in _PUBLISHER_FIRST or words[-1] in _PUBLISHER_LAST)


def _leads_own_language_name(word: str) -> bool:
    """Say whether a word opens an institution's name in its own language ("Universidad", "Éditions", "Biblioteca")."""
    return fold(word) in _OWN_LANGUAGE_LEADS


def _last_four(run: list[Span]) -> list[Span]:
    """Keep the last four words of a name that are no particle, and the particles among them ("María José
    Fernández de Córdoba" is four names and a particle)."""
    kept = 0
    for k in range(len(run) - 1, -1, -1):
        kept += run[k].text not in PARTICLES
        if kept == 4:
            return run[k:]
    return run


#: The most words a country's or province's name has ("United Kingdom of Great Britain"): _country_opens reads no
#: longer prefix of a run of name words, so a long run costs it a constant per start (issue 21).
_COUNTRY_WORDS = 6


def _country_opens(words: list[Span], i: int, run: list[Span]) -> int:
    """Return how many words of a run of name words at `i` end a country's name of several words, which may begin
    with capitalised words before the run ("United | Mexican States Alejandro Ruiz"), else 0.

    >>> ws = [Span(0, 0, w) for w in "of the United Mexican States Alejandro Ruiz".split()]
    >>> _country_opens(ws, 3, ws[3:]), _country_opens(ws, 2, ws[2:]), _country_opens(ws, 5, ws[5:])
    (2, 3, 0)
    """
    for back in (2, 1, 0):
        if i - back < 0 or not all(is_cap(x.text) for x in words[i - back : i]):
            continue
        before = [x.text for x in words[i - back : i]]
        for k in range(min(len(run), _COUNTRY_WORDS), 0, -1):  # a country's name has a few words: bounded
            phrase = " ".join([*before, *(x.text for x in run[:k])])
            if back + k >= 2 and place_code(phrase):
                return k
            if back == 0 and k >= 2 and i >= 1 and words[i - 1].text == "of" and is_subdivision(phrase):
                return k  # "the University of São Paulo Ana Beatriz": a province's name of several words
    return 0


def _after_honorific(words: list[Span], i: int) -> bool:
    """Say whether the word at `i` follows an honorific ("Dr. Katz", "Mrs Arahova"): a surname on its own."""
    before = [x.text.casefold() for x in words[max(0, i - 2) : i]]
    if before[-1:] == ["."]:
        before = before[:-1]
    return bool(before) and before[-1] in HONORIFICS


def _heads_institution(words: list[Span], k: int) -> bool:
    """Say whether the words from `k` go on to an institution word ("… National Library"): an eponym, not a person."""
    while (
        k < len(words)
        and is_cap(words[k].text)
        and (words[k].text.casefold() in OTHER_CAPITALISED | TITLE_MODIFIERS or place_code(words[k].text) is not None)
    ):
        k += 1  # "M. I. Rudomino All-Russia State Library": a place word does not end the institution's name
    return k < len(words) and words[k].text.casefold() in ORG_HEADS


#: Regions a title can be "for" ("Regional Director for Europe"), besides countries (place_code).
REGIONS = frozenset(
    "europe asia africa america americas eurasia caucasus oceania scandinavia balkans baltics cis gulf mena".split()
)


#: Words that make a region of a region's word: "Eastern Europe", "South Caucasus".
_COMPASS = frozenset("eastern western northern southern central south north east west southeast south-east".split())


def _is_region(word: str) -> bool:
    return word.casefold() in REGIONS or place_code(word) is not None


def _place_goes_on(words: list[Span], i: int) -> bool:
    """Say whether the word at `i` ends a place whose name began before it: "Bosnia and | Herzegovina" (the words
    with "and" make one country), "Central | Asia", "Europe and | Asia" (a region after a word that is no title).

    >>> ws = lambda t: [Span(0, 0, w) for w in t.split()]
    >>> _place_goes_on(ws("of Bosnia and Herzegovina Amra"), 3), _place_goes_on(ws("Europe and Central Asia Anna"), 3)
    (True, True)
    >>> _place_goes_on(ws("Director Georgia Anna"), 1), _place_goes_on(ws("and Jordan Peter"), 1)
    (False, False)
    """
    if i < 1:
        return False
    prev = words[i - 1].text
    if prev.casefold() == "and":
        return i >= 2 and (
            place_code(f"{words[i - 2].text} and {words[i].text}") is not None
            or (_is_region(words[i - 2].text) and _is_region(words[i].text))
        )
    return (
        is_cap(prev)
        and prev.casefold() not in TITLE_HEADS | TITLE_MODIFIERS
        and not is_name_word(prev)
        and words[i].text.casefold() in REGIONS
    )


def _after_for(words: list[Span], i: int) -> bool:
    """Say whether a run follows "for (the)": the end of a title ("Minister for Electronic Affairs")."""
    prev = [x.text.casefold() for x in words[max(0, i - 2) : i]]
    return bool(prev) and (prev[-1] == "for" or prev == ["for", "the"])


def _after_org_for(words: list[Span], i: int) -> bool:
    """Say whether a run follows "<institution word> for (the)": "Library for Youth Olga Petrova", "University for
    the Humanities Pavel Smirnov" end in a name."""
    k = i - 1
    if k >= 2 and words[k].text.casefold() == "the":
        k -= 1
    return k >= 1 and words[k].text.casefold() == "for" and words[k - 1].text.casefold() in ORG_HEADS


#: A patronymic (Russian, Ukrainian, Central Asian forms): the middle of a three-word name, given name before it.
_PATRONYMIC = re.compile(r"[^\W\d_]{2,}(?:ovna|evna|ivna|yevna|ovich|evich|yevich|ovych|evych|ovič|kyzy|qizi|uly)")


#: Particles written with a capital that open a surname of two words ("De Santis", "Van Dijk", "Di Stefano").
_CAP_PARTICLES = frozenset("De Di Da Del Della Van Von Le La Du Dos Das".split())


def _trim_org_tail(words: list[Span], i: int, run: list[Span]) -> list[Span]:
    """Drop the leading words of a long run that end an institution's name ("University of Bologna Marco Rinaldi").

    A patronymic second from the end makes the last three words one name ("… of Oriental Studies Gulnora Akmalovna
    Yusupova"), whatever came before.
    """
    if len(run) >= 3 and _PATRONYMIC.fullmatch(run[-2].text):
        return run[-3:]
    if len(run) >= 3 and i >= 1 and words[i - 1].text in ("zu", "zum", "zur"):
        return _person_at_run_end(run)  # "Staatsbibliothek zu Berlin Karl Weber": the place "zu" names ends the body
    if len(run) >= 3 and run[-2].text in _CAP_PARTICLES:
        # "… of Bologna Francesca De Santis": a given name, then a surname with its capitalised particle (and the
        # lower-case particles before it: "Jean-Baptiste de La Roche")
        k = len(run) - 3
        while k > 0 and run[k].text in PARTICLES:
            k -= 1
        return run[k:]
    if _in_foreign_name(words, i):
        return run  # the end of a name in another language: read where such names are (find_people)
    if (
        len(run) >= 3
        and i >= 1
        and is_cap(words[i - 1].text)
        and (_common_plural(run[0].text) or zipf_frequency(run[0].text.casefold(), "en") >= _FIELD_NOUN_ZIPF)
        and not is_given_name(run[0].text)  # "… Goethe Institute Miles Henry Carter": "Miles" is his
    ):
        return run[
            1:
        ]  # "… for Scientific Work Olga Shumilina": "Work" ends the field  # "… Department of Manuscripts and Old Prints Kateřina Nováková": the field's last word
    k = i - 1
    if k >= 0 and words[k].text.casefold() == "the":
        k -= 1
    if len(run) >= 3 and k >= 1 and words[k].text.casefold() == "of" and _org_name_before(words, k):
        return _person_at_run_end(run)
    if (  # "the Museum of Art and History Jean Dupont": the second field after "and" ends the name (decision 0064)
        len(run) >= 3
        and k >= 3
        and words[k].text.casefold() == "and"
        and is_cap(words[k - 1].text)
        and words[k - 2].text.casefold() == "of"
        and (_org_name_before(words, k - 2) or words[k - 3].text.casefold() in TITLE_HEADS)
        and not is_given_name(run[0].text)
    ):
        return run[1:]  # and "Director of Books and Reading Aminata Diop": a title's two fields
    if (
        len(run) >= 3
        and k >= 3
        and words[k].text.casefold() == "and"
        and _field_of_unit(words, k)
        and not is_given_name(run[0].text)  # "representatives of OCLC Sezen Tan and Hans-Peter van der Meulen"
    ):
        return run[1:]  # "Head of the Department of Old Printed Books and Manuscripts Volha Sidarenka"
    if k >= 0 and is_cap(words[k].text) and words[k].text.casefold() in ORG_HEADS:
        return run  # "… of the Kenya National Library Service Grace Wanjiru Mwangi": the institution ended before
    q = i - 1
    while q >= 1 and is_cap(words[q].text) and not is_name_word(words[q].text) and not _is_initials(words[q].text):
        q -= 1  # "the Department of Rare Maps Anna Petrova": capitalised words that are no name before the run
    if q < i - 1 and place_code(" ".join(w.text for w in words[q + 1 : i])) is not None:
        return run  # "the National Library of Pakistan Muhammad Imran Qureshi": a place ended the name before the run
    if q >= 0 and words[q].text.casefold() == "the":
        q -= 1
    if (
        len(run) >= 3
        and q >= 1
        and words[q].text.casefold() in ("of", "in", "at")
        and is_cap(words[q - 1].text)
        and not _is_initials(words[q - 1].text)
        and (not is_name_word(words[q - 1].text) or (q >= 2 and words[q - 2].text.casefold() == "the"))
        # "Director of International Relations Maryam Sadat Rezaei": a title's field, then a name of three words
        # ("Coordinator of Rare Works Beatriz Nogueira": the field's last word, a common plural, ran on)
        and (
            q == i - 1  # "Minister of Culture Anar Karimov": the field's one word is the run's first
            or words[q - 1].text.casefold() not in TITLE_HEADS | TITLE_MODIFIERS
            or _common_plural(run[0].text)
        )
    ):
        return _person_at_run_end(
            run
        )  # "the Museum in Prague Jan Novak", "the House of Friendship Anna Petrova": a place
    if (
        len(run) == 2
        and k >= 1
        and words[k].text.casefold() == "of"
        and words[k - 1].text.casefold() in ORG_HEADS
        and is_cap(words[k - 1].text)
    ):
        return []  # "the University of Cape Town": two words right after "<Institution> of" end its name
    return run


def _person_at_run_end(run: list[Span]) -> list[Span]:
    """Return the person's words of a run that an institution's name ends: the last two name words (and the particles
    between), reaching back over the given names before them ("Bologna | Anna Maria Dell'Orto", "Coimbra | Maria do
    Carmo Figueiredo", "Riyadh | Abdullah bin Saleh Al-Otaibi"), never into a city that opens the run (GeoNames) nor
    over a word that is no given name ("Paris Nanterre | Claire Dubois", "Rome Tor Vergata | Marco Rossi")."""
    city = next(
        (
            k
            for k in range(min(3, len(run) - 2), 0, -1)
            if all(is_name_word(x.text) for x in run[:k]) and is_city(" ".join(x.text for x in run[:k]))
        ),
        0,
    )
    names = [k for k, x in enumerate(run) if x.text not in PARTICLES]
    if len(names) < 2:
        return run[-2:]
    start, count, j = names[-2], 2, names[-2] - 1
    while j >= city and count < 4:
        if run[j].text in PARTICLES:
            j -= 1
        elif is_given_name(run[j].text):
            start, count, j = j, count + 1, j - 1
        else:
            break
    return run[start:]


#: Zipf frequency from which a capitalised word before a name ends a title's field rather than starting the name
#: ("Work" 6.0, "Research" 5.3; given names such as "Grace" 4.9 are kept by the given-name lists first).
_FIELD_NOUN_ZIPF = 5.0


def _common_plural(word: str) -> bool:
    """Say whether a word is an English noun in the plural ("Works", "Collections"), not a given name."""
    low = word.casefold()
    return low.endswith("s") and zipf_frequency(low[:-1], "en") >= 4.5 and zipf_frequency(low, "en") >= 4.0


def _field_of_unit(words: list[Span], k: int) -> bool:
    """Say whether the capitalised words before words[k] ("and") are the field of a title or of a part of a body:
    "… Department of Old Printed Books | and", "Director of Rare Books | and" (at most four words back to "of")."""
    j = k - 1
    while j >= 0 and k - j <= 4 and is_cap(words[j].text):
        j -= 1
    return (
        j >= 1
        and j < k - 1
        and words[j].text.casefold() == "of"
        and words[j - 1].text.casefold() in TITLE_HEADS | SUB_UNITS
    )


def _org_name_before(words: list[Span], k: int) -> bool:
    """Say whether an institution's name ends right before words[k] ("Foundation for the Preservation" of …).

    Looks back at most six words, over capitalised words and "for", "the", "and", "of".
    """
    for j in range(k - 1, max(-1, k - 7), -1):
        w = words[j].text
        if w.casefold() in ORG_HEADS and is_cap(w):
            return True
        if not (is_cap(w) or w.casefold() in ("for", "the", "and", "of")):
            return False
    return False


def _skip_eponym(words: list[Span], i: int) -> int:
    """Skip the person an institution is named after: initials and a surname, or two names; a saint (or two
    saints joined by "and") by one name each ("named after St. St. Cyril and Methodius", "Saints Cyril and
    Methodius"), and two one-word names joined by "and" ("named after Cyril and Methodius")."""
    j = i
    saint = False
    while j < len(words) and (words[j].text.casefold() in _SAINT_WORDS or (saint and words[j].text == ".")):
        j, saint = j + 1, True
    two_after = i + 4 < len(words) and is_name_word(words[i + 3].text) and is_name_word(words[i + 4].text)
    if saint or (i + 2 < len(words) and words[i + 1].text == "and" and two_after):
        j += 1  # one name, then perhaps "and" and another
        if j + 1 < len(words) and words[j].text == "and":
            j += 2
        return min(j, len(words))
    while j < len(words) and _is_initials(words[j].text):
        j += 1
    return j + 1 if j > i else min(i + 2, len(words))


_SAINT_WORDS = frozenset("st sts ss saint saints sainte".split())


_OF = re.compile(r"\s(?:of|within|at)\s(?:the\s)?")
_WINDOW = 300
MAX_PARENTS = 3


#: Where a name's first chunk ends: a preposition, a bracket, a dash, or a comma that does not coordinate
#: capitalised words before "and" ("Educational, Scientific and Cultural Organization" is one name: decision 0064).
_CHUNK_END = re.compile(
    r"\s(?:of|for|in|within|at|on|named)\s|[(–]|,(?!\s[A-Z][\w-]*(?:,\s[A-Z][\w-]*){0,4}\sand\s[A-Z])"
)


def _chunk(text: str) -> str:
    """The words of a name up to its first preposition, bracket, dash or comma (:data:`_CHUNK_END`).

    >>> _chunk("Islamic World Educational, Scientific and Cultural Organization (ICESCO) Karim")
    'Islamic World Educational, Scientific and Cultural Organization '
    >>> _chunk("National Library, Baku")
    'National Library'
    """
    return _CHUNK_END.split(text, maxsplit=1)[0]


def looks_org(text: str) -> bool:
    """Say whether text starts an institution name (a head word, an acronym, or all capitalised words)."""
    if not text or text[0] in '“"«':
        return False
    chunk = _chunk(text).strip()
    words = [w for w in re.split(r"[\s-]+", chunk) if w]
    if not words or not is_cap(words[0]):
        return False
    if any(w.casefold() in ORG_HEADS and is_cap(w) for w in words) or (words[0].isupper() and len(words[0]) > 1):
        return True
    if any(foreign_head(w) for w in words[:6]):
        return True  # "Národní knihovna České republiky", "Lietuvos nacionalinė … biblioteka": its own language
    lower = len(words) - next((k + 1 for k in range(len(words) - 1, -1, -1) if is_cap(words[k])), 0)
    if words[-1] in ORG_HEADS and 1 <= lower <= 2 and lower < len(words):
        return True  # "Sputnik Azerbaijan news agency", "IPR Books company": a name and its kind
    content = [w for w in words if w.casefold() not in ("and", "the", "of", "for")]
    core = re.split(r"\s(?:to|in)\s", text[:_WINDOW], maxsplit=1)[0]  # "Republic of Poland to Azerbaijan": a place
    return all(is_cap(w) for w in content) and place_code(text) is None and not _only_place(core)


def _only_place(text: str) -> bool:
    return place_code(re.sub(r"^the\s", "", text.strip(" ,.")).strip()) is not None


#: A kind word in lower case before a body's own name ("of the company IPR BOOKS", "at the agency Baltic News"):
#: the name is the body's.
_KIND_BEFORE_NAME = re.compile(
    r"\b(of|at)\s+the\s+(?:(?:" + "|".join(sorted(KIND_MODIFIERS)) + r")\s+){0,2}(?:(?P<where>[A-Z][\w-]+)\s+)?"
    r"(?:(?:" + "|".join(sorted(KIND_MODIFIERS)) + r")\s+){0,2}"
    r"(?:company|firm|corporation|agency|publishing\s+house|publisher|holding)\s+(?=[\"“]?[A-ZÀ-ÖØ-Þ])"
)


#: A named part's "of" with no article: "Department of Archives" names what it keeps, not an institution.
_PART_KEEPS = re.compile(
    r"\b(?:" + "|".join(sorted(w.capitalize() for w in SUB_UNITS | {"centre", "center", "office"})) + r")\s+of\s+$"
)


#: "… of the <name in its own language>, the <English name with an institution word>" (at the descriptor's end).
_NATIVE_THEN_ENGLISH = re.compile(
    r"^.*?\b(?:of|at)\s+(?:the\s+)?(?P<native>[^\W\d_a-z][^,()]{2,120}?),\s+(?:the\s+)?"
    r"(?P<english>[A-Z][^,()]{2,160})$"
)


#: A title whose body follows "to": "an adviser to the X", "consultant to the X".
_ADVISER_TO = re.compile(
    r"^(?:an?\s+|the\s+)?(?P<title>(?:[\w-]+\s+){0,2}(?:adviser|advisor|consultant|counsellor|counselor))\s+to\s+"
    r"(?:the\s+)?(?P<org>[A-Z][^,;()]{2,150})$"
)
#: A body's name and then "for" a region or countries ("OCLC for Eastern Europe and Central Asia").
_REGION_SCOPE = re.compile(r"^(.{2,200}?)\s+(for\s+(?:the\s+)?[A-Z][^;()]{2,120})$")  # "for Türkiye, Azerbaijan and …"
_REGION_WORDS = frozenset("for the and eastern western northern southern central east west north south middle".split())


_NAMED_PUBLISHER = re.compile(
    r"(?:the\s+)?[A-Z][\w&’'.-]*(?:\s+(?:&\s+)?[A-Z][\w&’'.-]*){0,2}\s+publishing\s+house\b"  # "Hagedorn & Söhne"
)


_MODIFIED_PUBLISHER = re.compile(r"([A-Z][\w&’'.-]*)\s+(?:academic|scientific|educational)\s+publishing\s+house\b")


def _named_modified_publisher(desc: str, at: int) -> bool:
    """Say whether a firm's name and its kind with a modifier start at `at` ("Brill academic publishing house"), not
    a place's adjective ("Belgian academic publishing house", whose name comes after it)."""
    m = _MODIFIED_PUBLISHER.match(desc, at)
    return m is not None and not _place_adjective(m.group(1))


_QUOTED_HOUSE = re.compile(
    r"\b(of|at)\s+the\s+(?:[A-Z][\w-]+\s+)?publishing\s+house\s+[\"“](?P<name>[^\"”]{2,80})[\"”]"
)
#: A firm's name by its kind after the name: "the Brill publishing house", "Springer Nature company".
_FIRM = re.compile(r"\s(?:publishing\s+house|company|corporation|firm|holding)$", re.I)


def split_descriptor(desc: str) -> tuple[str | None, str | None]:
    """Split a descriptor into (job title, organisation name as written): :func:`_split_descriptor`, then a region
    after an acronym's body goes to the title ("Regional director of OCLC for Eastern Europe and Central Asia":
    OCLC; a name in words keeps its "for": "Institute for Central Asia").

    >>> split_descriptor("Regional director of OCLC for Eastern Europe and Central Asia")
    ('Regional director for Eastern Europe and Central Asia', 'OCLC')
    """
    adviser = _ADVISER_TO.match(desc.strip())
    office = adviser is not None and adviser.group("org").split()[0].casefold() in TITLE_HEADS | TITLE_MODIFIERS
    if adviser is not None and not office and looks_org(adviser.group("org")):  # "an adviser to the Bibliotheca …"
        return adviser.group("title"), adviser.group("org")
    title, org = _split_descriptor(desc)
    trailing = re.search(r"\s+(?:Professor|Prof\.?|Dr\.?|Doctor|Academician|Associate\s+Professor)$", org or "")
    if org is not None and trailing is not None:  # "… of the University of Munich Professor X": a second title
        title = f"{title} {trailing.group(0).strip()}" if title else trailing.group(0).strip()
        org = org[: trailing.start()]
    if org is not None and bare_part(org):
        return desc, None  # "head of the Museum of the Book Department": a part the text does not say whose
    region = _REGION_SCOPE.match(org) if org else None
    if (
        region is not None
        and (
            re.fullmatch(r"[^\W\d_a-z]{2,10}", region.group(1))
            # "Brill for Central Asia", "the Brill publishing house for …": a brand's name of one word, or a firm's,
            # is no "Institute for …"
            or (re.fullmatch(r"[A-Z][a-z]{2,20}", region.group(1)) and region.group(1).casefold() not in ORG_HEADS)
            or _FIRM.search(region.group(1)) is not None
            or re.match(r"[A-Z]{2,}\s", region.group(1)) is not None  # "EBSCO Information Services for the …"
        )
        and all(_is_region(w) or w.casefold() in _REGION_WORDS for w in re.findall(r"[^\W\d_][\w-]*", region.group(2)))
    ):
        return f"{title} {region.group(2)}" if title else region.group(2), region.group(1)
    if (
        region is not None
        and region.group(1).split()[-1].casefold() in _WORK_FOR_A_REGION
        and all(_is_region(w) or w.casefold() in _REGION_WORDS for w in re.findall(r"[^\W\d_][\w-]*", region.group(2)))
    ):
        return desc, None  # "Head of Library Services for Europe, Middle East and Africa": a field of work, no body
    return title, org


#: The last word of a field of work a title serves a region in ("Library Services for Europe", "Sales for Asia").
_WORK_FOR_A_REGION = frozenset("services sales operations relations affairs programmes programs partnerships".split())


def _split_descriptor(desc: str) -> tuple[str | None, str | None]:
    """Split a descriptor into (job title, organisation name as written).

    >>> split_descriptor("Director of International Activities of the All-Russia State Library for Foreign Literature")
    ('Director of International Activities', 'All-Russia State Library for Foreign Literature')
    >>> split_descriptor("Minister of affairs of the Republic of Latvia")
    ('Minister of affairs of the Republic of Latvia', None)
    >>> split_descriptor("coordinator of OCLC (Online Computer Library Center) on CIS states")
    ('coordinator on CIS states', 'OCLC (Online Computer Library Center)')
    >>> split_descriptor("Deputy Director of the British Library (BL) for Collections")
    ('Deputy Director for Collections', 'British Library (BL)')
    >>> split_descriptor("Director of Libraries of the Ministry of Culture of Georgia")
    ('Director of Libraries', 'Ministry of Culture of Georgia')
    >>> split_descriptor("Director of the Libraries of the Moscow Kremlin")
    ('Director', 'Libraries of the Moscow Kremlin')
    """
    desc = re.sub(r"^(?:the|a|an|famous|well-known|renowned)\s+", "", desc.strip(" ,.–-"), flags=re.I).strip()
    if not desc:
        return None, None
    presidency = re.match(
        r"((?:(?!\bof\b)[^,;]){2,60}?)\s+of\s+the\s+(Presidency\s+of\s+(?!the\s+Republic\b)(?:the\s+)?[A-Z].{2,200})$",
        desc,
    )
    if presidency is not None:  # "President of the Presidency of State Archives of …": a Turkish body's name
        return presidency.group(1).strip(), presidency.group(2).strip()
    quoted = _QUOTED_HOUSE.search(desc)
    if (
        quoted is not None
        and institution_head(quoted.group("name")) is None
        and quoted.start() > 0
        and place_code(quoted.group("name")) is None  # 'the publishing house "Azerbaijan"': no body is a country
    ):
        # 'Director of the publishing house "Hagedorn & Söhne" (Leipzig, Germany)': the name in quotes is the firm's
        # whole name, as written (where it is, after it, belongs to no name)
        return desc[: quoted.start()].strip() or None, quoted.group("name").strip()
    desc = _QUOTED_HOUSE.sub(  # 'of the Russian publishing house "Nauka"': the Nauka publishing house
        lambda m: (
            f"{m.group(1)} the {m.group('name')} publishing house"
            if institution_head(m.group("name")) is None
            else f"{m.group(1)} {m.group('name')}"
        ),
        desc,
    )
    # 'the publishing house "Harrassowitz Verlag"': the name in quotes after its kind is the name
    desc = re.sub(
        r"\b(company|firm|corporation|agency|publishing\s+house|holding)\s+[\"“]([^\"”]{2,80})[\"”]", r"\1 \2", desc
    )
    unkinded = desc
    desc = _KIND_BEFORE_NAME.sub(  # "of the (Istanbul) company IPR BOOKS": the company is IPR BOOKS
        lambda m: (
            m.group(1) + " "
            if not m.group("where")
            or _place_word(m.group("where"))
            # "the Paris publishing house Éditions du Caucase": a name that is an institution's by its own words
            or institution_head(_chunk(m.string[m.end() :])) is not None
            else m.group(0)
        ),
        desc,
    )
    native = _NATIVE_THEN_ENGLISH.match(desc)
    if (
        native is not None
        and not any(w.casefold() in ORG_HEADS for w in native.group("native").split())
        and any(w.casefold() in ORG_HEADS for w in native.group("english").split())
    ):
        # "Director General of the Národní knihovna České republiky, the National Library of the Czech Republic":
        # the institution's own-language name, then the English one in apposition; the English one is read
        return _split_descriptor(desc[: native.start("native")] + native.group("english"))
    m = re.match(r"^([A-Z]{2,}\s+\([^()]{1,120}\))\s+((?:[\w-]+\s+){0,2}?([\w-]+)(?:\s+for\s+[^()]{1,80})?)$", desc)
    if m and m.group(3).casefold() in TITLE_HEADS:  # "OCLC (Online …) Regional Director for Europe"
        return m.group(2), m.group(1)
    positions = [m for m in _OF.finditer(desc)]
    # each candidate is read through a bounded window: linear in the descriptor (issue 21)
    institutions = [
        m
        for m in positions
        if (
            looks_org(desc[m.end() : m.end() + _WINDOW])
            and any(
                w.casefold() in ORG_HEADS
                or w.casefold().rsplit("-", 1)[-1] in HEAD_FIRST  # "Goethe-Institut"
                or foreign_head(w)  # "Ethniki Vivliothiki tis Ellados"
                for w in _chunk(desc[m.end() : m.end() + _WINDOW]).split()
            )
            or _NAMED_PUBLISHER.match(desc, m.end()) is not None  # "of the Brill publishing house": a named firm
            or _named_modified_publisher(desc, m.end())  # "of the Brill academic publishing house"
            or _publisher_in_own_language(_chunk(desc[m.end() : m.end() + _WINDOW]))  # "of Éditions du Caucase"
        )
        and not _PART_KEEPS.search(desc[max(0, m.start() - 20) : m.end()])
        and not is_field(desc[m.end() : m.end() + _WINDOW])
    ]
    chosen = next((m for m in institutions if not _sub_unit(desc[m.end() : m.end() + _WINDOW])), None)
    chosen = chosen or next(iter(institutions), None)
    if chosen is None:
        minister = next(
            (
                m
                for m in positions
                if re.search(r"\b[Mm]inister$", desc[: m.start()])
                and is_cap(desc[m.end() : m.end() + 1])
                and _domain(desc[m.end() :])
            ),
            None,
        )
        if minister is not None:  # "Minister of Culture of Turkey": the ministry the text implies
            return desc[: minister.start()].strip(), "Ministry of " + desc[minister.end() :].strip()
        chosen = next(
            (
                m
                for m in positions
                if looks_org(desc[m.end() : m.end() + _WINDOW])
                and not _domain(desc[m.end() :])
                and not is_field(desc[m.end() : m.end() + _WINDOW])
                and not _inner_of(desc[: m.start()])
                and not _ministers_field(desc[: m.start()], desc[m.end() : m.end() + _WINDOW])
                and not _of_inside_name(desc[: m.start()])
            ),
            None,
        )
    kind = _KIND_BEFORE_NAME.search(unkinded) if chosen is None and desc != unkinded else None
    if kind is not None and is_cap(unkinded[kind.end() : kind.end() + 1]):
        # "publishing director of the academic publishing house Van Oosterhout & Zonen (the Netherlands)": whatever
        # its words, the name after its kind is a firm's
        return unkinded[: kind.start()].strip() or None, unkinded[kind.end() :].strip()
    if chosen is None:
        acronym = _acronym_title(desc)
        if acronym is not None:  # "former IFLA President", "the OCLC coordinator for the CIS countries"
            return acronym
        return desc, None
    title, org = desc[: chosen.start()].strip(), desc[chosen.end() :].strip()
    field = _PLURAL_FIELD.match(org) if " the " not in desc[chosen.start() : chosen.end() + 1] else None
    if field is not None and institution_head(org[field.end() :]) is not None:
        # "Director of Libraries of the Ministry of …": a kind of body in the plural, with no name or article of its
        # own, is the title's field; the institution is the one after it (nothing minted from a title's words)
        title, org = f"{title} of {field.group(1)}", org[field.end() :].strip()
    tail = _sub_unit_tail(org)
    if tail is not None and is_reference(org[tail:]):  # "head of the … Department of the RSL": the RSL
        title, org = f"{desc[: chosen.end()]}{org[:tail]}".strip(), org[tail:].strip()
        title = re.sub(r"\s+of(?:\s+the)?$", "", title)
    deputy = _DEPUTY_FOR.match(org) if title and _DEPUTY.search(title) else None
    if deputy is not None:  # "Vice-Rector of the Jagiellonian University for International Relations": his field
        title, org = f"{title} {deputy.group(2)}", deputy.group(1)
    scoped = re.match(r"(.{3,200}?\([A-ZÀ-ÖØ-ÞİŞÇĞÜÖƏ]{2,10}\))\s+((?:for|on)\s+[^()]{2,120})$", org)
    if scoped is not None:  # "the British Library (BL) for Collections": its own acronym ends the name, the rest is
        title, org = f"{title} {scoped.group(2)}", scoped.group(1)  # the title's scope
    clause = re.search(r",\s+(?=[a-z])", org[:_WINDOW])  # "IFLA, together with …": the name ends at the comma
    org = org[: clause.start()] if clause else org
    if bare_part(org):  # "head of the Conservation Laboratory": a part of an institution the text does not name
        return desc, None
    end = org[-_WINDOW:]
    scope = re.search(r"\son\s(?![A-Z][a-z]+\s(?:of|for)\b)[\w\s]+$", end)
    if scope:  # "OCLC (…) on CIS states": the scope belongs to the title
        cut = len(org) - len(end) + scope.start()
        title, org = f"{title} {scope.group(0).strip()}", org[:cut].strip()
    return (title or None), (org or None)


#: A deputy's title, whose field may follow the body's name ("Vice-Rector of X University for Research").
_DEPUTY = re.compile(r"(?i)\b(?:vice|pro|deputy)[-\s]?(?:rector|president|director|chancellor|head|dean)\b")
#: A body's name, then the field a deputy works in: "… University | for International Relations".
_DEPUTY_FOR = re.compile(
    r"(.{3,200}?\b(?:University|Library|Academy|Institute|Archives?))\s+"
    # a field of a deputy's work, not the end of a body's name ("… State Library for Foreign Literature")
    r"(for\s+(?:International|Research|Science|Scientific|Academic|Education|Educational|Development|Cooperation|"
    r"Administrative|Administration|Finance|Financial|Digitization|Digitisation|Innovation|Innovations|Strategic|"
    r"Strategy|External|Information|Quality|Student|Students)\b(?:\s+(?:and\s+)?[A-Z][\w-]*){0,3})$"
)


#: A kind of body in the plural right after a title's "of" and before the body it works for ("Libraries of the").
#: Kinds of body in the plural ("Libraries", "Museums", "Ministries").
PLURAL_KINDS = frozenset(w[:-1] + "ies" if w.endswith("y") else w if w.endswith("s") else w + "s" for w in ORG_HEADS)
_PLURAL_FIELD = re.compile(
    # "Director General of Libraries and Publications of the Ministry …": two fields joined by "and"
    r"((?:" + "|".join(sorted(w.capitalize() for w in PLURAL_KINDS)) + r")(?:\s+and\s+[A-Z][a-z]+)?)"
    r"\s+of\s+(?:the\s+)?(?=[A-Z])"
)

#: Words that only ever name a part of an institution ("Department", "Laboratory"), never a whole one written alone.
PART_WORDS = frozenset(
    "department departments division sector section unit laboratory laboratories subdivision faculty room rooms hall halls".split()
)


def bare_part(org: str) -> bool:
    """Say whether an organisation as written is a part of an institution and nothing more ("Rare Books Department").

    >>> bare_part("Conservation Laboratory"), bare_part("Digital Library Department of the RSL")
    (True, False)
    >>> bare_part("Russian State Library"), bare_part("British Council")
    (False, False)
    """
    words = org.split()
    if (
        len(words) > 2
        and words[0].casefold() in PART_WORDS
        and words[1] == "of"
        and not any(w.casefold() in ORG_HEADS - PART_WORDS or (w.isupper() and len(w) > 1) for w in words[2:])
    ):
        return True  # "Department of Manuscripts": a part named by what it keeps
    return (
        bool(words)
        and words[-1].casefold() in PART_WORDS
        and all(is_cap(w) or w in ("and", "of", "the") for w in words)
    )  # "Museum of the Book Department": a department


def _acronym_title(desc: str) -> tuple[str, str] | None:
    """Split "former IFLA President" or "OCLC coordinator for the CIS countries" into (title, acronym), else None.

    >>> _acronym_title("OCLC coordinator for the CIS countries"), _acronym_title("IFLA Secretary General")
    (('coordinator for the CIS countries', 'OCLC'), ('Secretary General', 'IFLA'))
    >>> _acronym_title("former IFLA President"), _acronym_title("IFLA Library Association")
    (('former President', 'IFLA'), None)
    """
    m = re.match(r"^((?:former|ex-?)\s+)?([A-Z]{2,})\s+([^()]{1,120})$", desc)
    if m is None:
        return None
    core = re.split(r"\s(?:for|on)\s", m.group(3), maxsplit=1)[0].split()
    words = {w.casefold() for w in core}
    if not words & TITLE_HEADS or not words <= TITLE_HEADS | TITLE_MODIFIERS:
        return None
    return (m.group(1) or "") + m.group(3), m.group(2)


def _of_inside_name(before: str) -> bool:
    """Say whether an "of" joins the words of one name ("the House | of Friendship", "Palace | of Culture"): the word
    before it is capitalised and no title's ("Director | of", "General | of").

    >>> _of_inside_name("keeper of the archive in the House"), _of_inside_name("Director General")
    (True, False)
    """
    words = before.split()
    return (
        bool(words)
        and is_cap(words[-1])
        and words[-1].casefold() not in TITLE_HEADS | TITLE_MODIFIERS
        and (len(words) < 2 or words[-2].casefold() in {"the", "in", "at"})
    )


def _ministers_field(title: str, rest: str) -> bool:
    """Say whether "of" after a minister's title names the ministry's field ("Deputy Minister of Culture"), no body.

    >>> _ministers_field("Deputy Minister", "Culture and Tourism"), _ministers_field("Minister", "Culture Ministry")
    (True, False)
    >>> _ministers_field("Director", "Culture")
    False
    """
    words = _chunk(rest).split()
    return (
        bool(re.search(r"\b[Mm]inister$", title.strip()))
        and bool(words)
        and not any(w.casefold() in ORG_HEADS or (w.isupper() and len(w) > 1) for w in words)
    )


def _inner_of(before: str) -> bool:
    """Say whether "of" follows a capitalised word that is no title and no institution ("the Palace of …"): the
    "of" is inside a place's name, which names no organisation.

    A title's field ("Director of International Activities of the …") is no place: the "of" after it is the title's.

    >>> _inner_of("head of the branch in the Palace"), _inner_of("Minister"), _inner_of("Deputy Director")
    (True, False, False)
    >>> _inner_of("Director of International Activities")
    False
    """
    words = before.split()
    if not words or not is_cap(words[-1]) or words[-1].isupper():
        return False
    low = words[-1].casefold()
    if low in FIELD_WORDS and is_field(" ".join(words[-3:])):
        return False
    return low not in TITLE_HEADS | TITLE_MODIFIERS | ORG_HEADS and not is_name_word(words[-1])


#: Words that end the name of a field of work, not of a body: "Director of International Activities".
FIELD_WORDS = frozenset(
    """activities relations affairs cooperation co-operation programmes programs projects development communications
research studies policy policies collections acquisitions marketing outreach partnerships protocol finance finances
operations technologies innovation innovations digitization digitisation preservation conservation science sciences
technology philology philosophy pedagogy linguistics""".split()
)


def is_field(text: str) -> bool:
    """Say whether text starts with a field of work a title is of ("International Activities"), no institution.

    >>> is_field("International Activities"), is_field("Foreign Relations of the RSL"), is_field("Sputnik Azerbaijan")
    (True, True, False)
    >>> is_field("Institute of International Relations"), is_field("IFLA Relations")
    (False, False)
    """
    words = _chunk(text).split()
    if not words or words[-1].casefold() not in FIELD_WORDS:
        return False
    if any(w.isupper() and len(w) > 1 for w in words):
        return False  # "IFLA Relations": a body's
    # "Foundation and Corporate Relations", "Donor and Foundation Relations": relations with foundations, a field,
    # whatever institution words "and" joins
    return "and" in words or not any(w.casefold() in ORG_HEADS for w in words)


def _domain(text: str) -> bool:
    """Say whether text is a title's field and a country ("Culture of the Republic of Lithuania"), no institution.

    >>> _domain("Culture of the Republic of Lithuania"), _domain("Sputnik Azerbaijan"), _domain("IFLA of Lithuania")
    (True, False, False)
    """
    m = re.match(r"([\w’'-]+)\s+of\s+(?:the\s+)?(.{1,80})$", text[:_WINDOW])
    return m is not None and not m.group(1).isupper() and place_code(m.group(2).strip(" ,.")) is not None


#: An institution named again by a reference ("the RSL", "the same library") rather than by its name.
_REFERENCE = re.compile(
    r"(?:[A-Z][A-Za-z]*[A-Z])(?![\w-])|(?:same|that|this|said)\s+(?:library|institution|centre|center|university|"
    r"organi[sz]ation|museum|agency|association|company)\b"
)


def is_reference(name: str) -> bool:
    """Say whether an organisation as written is an acronym, "the same library" or a bare institution word.

    A bare institution word ("the coordinator of the Foundation") names an institution the item named
    before; it is resolved in the item, never minted (issue 16: nothing new from a title fragment).

    >>> is_reference("RSL"), is_reference("same library"), is_reference("Russian State Library")
    (True, True, False)
    >>> is_reference("Foundation"), is_reference("the Centre"), is_reference("Caspian Heritage Foundation")
    (True, True, False)
    """
    return _REFERENCE.fullmatch(name.strip()) is not None or bare_head(name) is not None


#: Words that say only what kind an institution is: "the National Library" names none in particular.
GENERIC_MODIFIERS = frozenset(
    """national state central city regional republican public scientific municipal district provincial
presidential main digital electronic royal""".split()
)


def bare_head(name: str) -> str | None:
    """Return the institution word when an organisation is written with kind words only ("Foundation"), else None.

    A head in lower case after a country's adjective describes a body named elsewhere, it is no name of its own
    ("the Mongolian library", decision 0064).

    >>> bare_head("the Foundation"), bare_head("National Library"), bare_head("Heritage Foundation")
    ('foundation', 'library', None)
    >>> bare_head("the Mongolian library"), bare_head("Mongolian Library"), bare_head("the Mongolian Heritage library")
    ('library', None, None)
    """
    words = re.sub(r"^the\s+", "", name.strip(), flags=re.I).split()
    if not words or len(words) > 3 or words[-1].casefold() not in ORG_HEADS:
        return None
    lower = words[-1].islower()
    # "the Mongolian library", "the Florence library": a body named elsewhere, by its country's or city's word
    generic = all(w.casefold() in GENERIC_MODIFIERS or (lower and (_demonym(w) or is_city(w))) for w in words[:-1])
    return words[-1].casefold() if generic else None


def _demonym(word: str) -> bool:
    """Say whether a word is a country's or a people's adjective ("Mongolian", "Kyrgyz", "Chinese", "Turkish")."""
    return place_code(word) is not None or re.fullmatch(r"[A-Z][a-z]+(?:ian|an|ese|ish|i|ic)", word) is not None


#: Head nouns that make a name a body one can belong to or come from: :data:`ORG_HEADS` less the events
#: ("Forum", "Conference"), places ("Hall", "Room") and parts ("Department", "Services") it also lists.
INSTITUTION_HEADS = ORG_HEADS - frozenset(
    """conference forum congress room rooms hall halls news network department departments service services
laboratory laboratories""".split()
)


def institution_head(name: str) -> str | None:
    """Return the word that makes a name an institution's (its head noun, or an acronym), else None.

    The head is the last word before the name's first "of", "for", "in", "named", comma or bracket
    ("National Library of Latvia": Library; "Sputnik Azerbaijan news agency": agency). A name whose head is
    an event, a place, a part of a body or no institution word at all ("Leader of the Nation", "Songs of the
    Amber Coast", "International Book Forum", "Digital Services of the X") names no institution to mint.

    >>> institution_head("National Library of Latvia"), institution_head("OCLC (Online Computer Library Center)")
    ('library', 'OCLC')
    >>> institution_head("Leader of the Nation"), institution_head("Baku International Book Forum")
    (None, None)
    >>> institution_head("Digital Services of the National Library"), institution_head("Palace of Independence")
    (None, None)
    >>> institution_head("Instituto Cervantes"), institution_head("Sala Cervantes")
    ('instituto', None)
    >>> institution_head("UNESCO Memory of the World Programme"), institution_head("UNESCO Office in Baku")
    (None, 'office')
    """
    words = re.sub(r"^the\s+", "", _chunk(name.strip()), flags=re.I).split()
    # an acronym names a body when it is the name ("IFLA", "OCLC (Online …)"), not when it qualifies one
    # ("UNESCO Memory of the World Programme": a programme)
    one = words[0] if len(words) == 1 else ""
    acronym = one if re.fullmatch(r"[^\W\d_](?:[^\W\d_]|&)+", one) and one.isupper() else None  # "TÜRKSOY" too
    if words and words[-1].casefold() in INSTITUTION_HEADS:
        return words[-1].casefold()
    if [w.casefold() for w in words] == ["presidency"] and any(
        w.casefold() in INSTITUTION_HEADS for w in name.split()[1:8]
    ):
        return "presidency"  # "Presidency of State Archives of the Republic of Türkiye": the body that heads them
    if len(words) >= 3 and words[-2].casefold() in INSTITUTION_HEADS and is_cap(words[-2]) and _a_country(words[-1]):
        return words[-2].casefold()  # "International Islamic University Malaysia": the country closes the name
    owner = whole_of(name.strip()) if words and words[0].casefold() in {"department", "chair", "school"} else None
    if owner is not None and re.match(_A_UNIVERSITY, name.strip()[owner:]):
        return words[0].casefold()  # "Department of Oriental Studies of the University of Vienna": a university's
    if len(words) >= 3 and [w.casefold() for w in words[-2:]] == ["publishing", "house"] and is_cap(words[-3]):
        return "publishing house"  # "Brill publishing house": a named firm
    if (
        len(words) >= 4
        and [w.casefold() for w in words[-2:]] == ["publishing", "house"]
        and words[-3] in KIND_MODIFIERS
        and is_cap(words[-4])
        and not _place_adjective(words[-4])
    ):
        return "publishing house"  # "Brill academic publishing house"; not "Belgian academic publishing house"
    if len(words) >= 2 and fold(words[-1]) in _PUBLISHER_LAST:  # "Yeni Kervan Yayınları", "Suhrkamp Verlag"
        return words[-1].casefold()
    if len(words) >= 2 and fold(words[0]) in _PUBLISHER_FIRST:  # "Editorial Planeta", "Wydawnictwo Literackie"
        return words[0].casefold()
    if len(words) >= 3 and fold(words[0]) == "casa" and fold(words[1]) == "editrice":  # "Casa Editrice Lumen Orientis"
        return "casa editrice"
    if (
        len(words) >= 2
        and words[-1].casefold() in ("service", "services")
        and words[-2].casefold() in (INSTITUTION_HEADS)
    ):
        return words[-1].casefold()  # "Kenya National Library Service": a service that is an institution
    if words and words[0].casefold() in HEAD_FIRST:  # "Instituto Cervantes", "Biblioteca Nacional"
        return words[0].casefold()
    for word in words:  # "Goethe-Institut Moskau": an institution word joined to a name by its hyphen
        parts = word.casefold().split("-")
        if len(parts) > 1 and parts[-1] in HEAD_FIRST | INSTITUTION_HEADS:
            return parts[-1]
        compound = _GERMAN_HEAD.search(fold(word).replace(" ", "")) if is_cap(word) else None
        if compound is not None:  # "Staatsbibliothek zu Berlin", "Konrad-Adenauer-Stiftung": a German compound
            return compound.group(0)
    return acronym


#: The last part of a German compound that names an institution ("Staats|bibliothek", "Konrad-Adenauer-|Stiftung").
_GERMAN_HEAD = re.compile(r"(?<=\w)(?:bibliothek|stiftung|archiv|museum|akademie|universitat|hochschule)$")


#: Publishers' kind words in other languages, after the name (Turkish, German, Hungarian, Azerbaijani) or before it.
_PUBLISHER_LAST = frozenset(
    "yayinlari yayinevi yayincilik yayin nesriyat verlag kiado nesriyyati nəşriyyatı evi".split()
)
#: Last words of a firm's name ("Taylor & Francis Group", "Cambridge University Press").
_FIRM_LAST = frozenset("group press publishing publishers books media holding editions house".split())
_PUBLISHER_FIRST = frozenset(
    "editorial ediciones editions edition editura editora edizioni wydawnictwo nakladatelstvi izdatelstvo".split()
)


#: Institution words of languages that put the head first ("Instituto Cervantes", "Bibliothèque nationale").
HEAD_FIRST = frozenset(
    """instituto institut istituto universidad universidade università université universitat biblioteca bibliothèque
biblioteka museo musée muzeum akademia academia fundación fundação fondation fondazione""".split()
)
#: The words that open an institution's name in its own language: the head-first institution words and publishers'.
_OWN_LANGUAGE_LEADS = frozenset({fold(w) for w in HEAD_FIRST} | _PUBLISHER_FIRST)


def _sub_unit_tail(text: str, depth: int = 0) -> int | None:
    """Return where the institution starts after a part of one ("Digital Services of the X": X), or None.

    >>> t = "International Relations Department of the RSL"
    >>> t[_sub_unit_tail(t):], _sub_unit_tail("Russian State Library")
    ('RSL', None)
    """
    head = _chunk(text)
    chunk = head.split()
    unit = chunk[-1].casefold() if chunk else ""
    if unit not in SUB_UNITS and unit not in _SOFT_UNITS:  # "Digital Library Department": its last word decides
        return None
    if (
        unit == "branch"
        and len(chunk) >= 2
        and chunk[-2][:1].isupper()
        and chunk[-2].casefold() not in (ORG_HEADS | GENERIC_MODIFIERS | TITLE_HEADS | TITLE_MODIFIERS)
    ):
        return None  # "Baku Branch of Lomonosov Moscow State University": a branch named by its place is a body
    rest = re.match(r"\s+(?:of|at)\s+(?:the\s+)?", text[len(head) : len(head) + 12])  # "Digital Services at the X"
    if rest is None:
        return None
    at = len(head) + rest.end()
    after = text[at : at + _WINDOW]
    if unit in _SOFT_UNITS:  # "Digitisation Centre of the library", "Relations Office of the ALA (…)": a part
        reference = _REFERENCE.match(after) or re.match(r"(?:library|university|institute)\b(?!\s+of\b)", after)
        owned = (  # "… Office of the ALA", "Digitization Centre of the National Library of Chile": a part of a library
            (
                unit == "office"
                or re.match(r"(?:National\s+|State\s+|Central\s+|Public\s+)*(?:Library|University)\b", after)
            )
            and looks_org(after)
            and any(w.casefold() in INSTITUTION_HEADS for w in _chunk(after).split())
        )
        return at if reference or owned else None
    field_of = re.match(r"[A-Z][\w-]*(?:,?\s+(?:and\s+)?[A-Z][\w-]*){0,5}\s+of\s+(?:the\s+)?", after)
    if (
        unit in {"faculty", "department", "chair", "school"}
        and field_of is not None
        and re.match(_UNITS_BEFORE + _A_UNIVERSITY, after[field_of.end() :])
    ):
        return None  # "Faculty of Humanities of Eötvös Loránd University": a university's unit of a field is the body
    subject = _chunk(after).split()
    if subject and subject[-1].casefold() in FIELD_WORDS:  # "Faculty of Library and Information Science": its field
        # "Department of Oriental Collections of the National Library of X": the field, then whose part it is
        owner = re.match(r"[A-Z][\w-]*(?:\s+(?:and\s+)?[A-Z][\w-]*){0,3}\s+of\s+(?:the\s+)?", after)
        whole = after[owner.end() :] if owner else ""
        academic = unit == "faculty" or (unit in {"department", "chair", "school"} and re.match(_A_UNIVERSITY, whole))
        if owner and not academic and looks_org(whole) and any(_whole_body_word(w) for w in _chunk(whole).split()):
            # (a faculty of a field stays the body it is, "Faculty of Oriental Studies of X", and so does a university's
            # department of a field, "Department of Oriental Studies of the University of Vienna"; decision 0088)
            return at + owner.end()
        return None
    # "Department of Archives", "… of Museums and Archives": what the department keeps (no article, kind words
    # only), not an institution; an institution may still own the department ("… of Archives of the X Library")
    kept_only = "the" not in rest.group() and all(
        w.casefold() in ORG_HEADS | GENERIC_MODIFIERS | {"and"} or w.casefold()[:-1] in ORG_HEADS
        for w in _chunk(after).split()[:4]
    )
    if (
        "the" not in rest.group()
        and re.fullmatch(
            r"(?:[A-Z][\w-]*\s+){0,2}(?:Archives|Manuscripts|Books|Collections|Documents|Prints)", _chunk(after).strip()
        )
        and not re.match(r"\s*(?:of|at|in)\s", after[len(_chunk(after)) :])
    ):
        return None  # "Department of Ottoman Archives": what the department keeps, no archive it belongs to
    if not kept_only and looks_org(after) and any(_whole_body_word(w) for w in _chunk(after).split()):
        return at
    reference = _REFERENCE.match(after)  # "… Department of the RSL", "… Department of the same library"
    if reference and not re.match(r"\s*\w", after[reference.end() :]):
        return at
    # "… of Manuscripts, Incunabula and Rare Books of the X": what it keeps, listed
    kept = re.match(r"[A-Z][\w-]*(?:,?\s+(?:and\s+)?[A-Z][\w-]*){0,4}\s+of\s+(?:the\s+)?", after)
    # "Department of Manuscripts of the National Library", "Board of Trustees of the X Foundation"
    if kept and head.split()[-1].casefold() in PART_WORDS | {"board"}:
        whole = after[kept.end() :]
        if looks_org(whole) and any(w.casefold() in ORG_HEADS - SUB_UNITS for w in _chunk(whole).split()):
            return at + kept.end()
        if depth < MAX_PARENTS and _sub_unit_tail(whole, depth + 1) is not None:
            return at + kept.end()  # "Department of Records of the Faculty of Letters of X University": a part's part
    return None


#: A university's name, not one of its bodies' ("Wroclaw University Library" is a library).
_A_UNIVERSITY = r"(?:[A-Z][\w’'-]*\s+){0,4}University\b(?!\s+(?:Library|Press|Museum|Hospital|Archives?)\b)"


#: A faculty or school between a department and its university: "… of the Faculty of History of Gdansk University".
_UNITS_BEFORE = (
    r"(?:(?:Faculty|School|Institute)\s+of\s+[A-Z][\w-]*(?:,?\s+(?:and\s+)?[A-Z][\w-]*){0,4}\s+of\s+(?:the\s+)?)?"
)


#: Words that name a part only when an institution or a reference to one owns them: "the Cultural Center of Egypt"
#: is an institution, "the Digitisation Centre of the library" and "the International Office of the ALA" are parts.
_SOFT_UNITS = frozenset({"centre", "center", "office"})


def _whole_body_word(word: str) -> bool:
    """Say whether a word makes a name a whole institution's, not a part's: an institution word in English, one
    that leads a name in another language ("Biblioteca"), or one joined to a name by its hyphen ("Goethe-Institut")."""
    low = word.casefold()
    return (
        low in ORG_HEADS - SUB_UNITS
        or low in HEAD_FIRST
        or low.rsplit("-", 1)[-1] in HEAD_FIRST
        or (is_cap(word) and _GERMAN_HEAD.search(fold(word).replace(" ", "")) is not None)  # "Staatsbibliothek"
    )


def _sub_unit(text: str) -> bool:
    """Say whether text starts with a part of an institution ("Digital Services of the …") that an institution follows.

    >>> _sub_unit("Digital Library Department of the Russian State Library"), _sub_unit("Russian State Library")
    (True, False)
    """
    return _sub_unit_tail(text) is not None


#: Lower-case words an institution's name may hold outside brackets ("Library for Foreign Literature", "University
#: named after X", "Embassy of Japan in the Republic of Azerbaijan", "Instituto de …").
NAME_CONNECTORS = frozenset(
    """of the and for in on at named after within under by with to de des du la le les las los el y und für der
die das van von di da do dos del et al bin ibn e i zu zum zur""".split()
)
#: Lower-case kind words a body's name may end with ("Anadolu news agency", "Kitab publishing house").
_KIND_WORDS_IN_NAMES = frozenset("house press group media holding firm".split())
_CONNECTORS_AT_END = re.compile(r"(?:\s+(?:and|of|the|for|in|on|at|by|with|to|,))+\s*$")
_NAME_TOKEN = re.compile(r"[(\[]|[)\]]|[^\s()\[\]]+")


def name_part(text: str) -> str:
    """Cut an organisation as written before its first lower-case word that no name holds: a clause ran on.

    >>> name_part("Ministry of Science and Education of Azerbaijan got acquainted with the system")
    'Ministry of Science and Education of Azerbaijan'
    >>> name_part("Academy of Sciences (ANAS) and representatives of the Ministry")
    'Academy of Sciences (ANAS)'
    >>> name_part("Anadolu news agency"), name_part("Kitab publishing house of Baku")
    ('Anadolu news agency', 'Kitab publishing house of Baku')
    >>> name_part("Egyptian National Library and Archives (ENLA) and Dr")
    'Egyptian National Library and Archives (ENLA)'
    >>> name_part("University named after Mirzo Ulugbek (the national university)")
    'University named after Mirzo Ulugbek (the national university)'
    """
    depth = 0
    foreign = False  # a name in another language so far: its lower-case words go on ("… nationale du Québec")
    for m in _NAME_TOKEN.finditer(text):
        tok = m.group(0)
        depth += (tok in "([") - (tok in ")]")
        word = tok.strip(",;:\"“”'’")
        foreign = foreign or foreign_head(word)
        if (
            depth == 0
            and word[:1].islower()
            and word.isalpha()
            and not (foreign and word.casefold() in _FOREIGN_LINK)
            and word not in NAME_CONNECTORS
            and word not in ORG_HEADS
            and word not in _KIND_WORDS_IN_NAMES
            and not (word in KIND_MODIFIERS and re.match(r"\s+publishing\s+house\b", text[m.end() :]))
        ) or (depth == 0 and m.start() > 0 and word.rstrip(".").casefold() in HONORIFICS and word[:1].isupper()):
            # a clause ran on, or the next person's honorific: "… Archives (ENLA) and Dr. Mona Saleh of …"
            cut = text[: m.start()].rstrip(" ,")
            while foreign and cut.rsplit(None, 1)[-1].casefold() in _FOREIGN_FUNCTION:  # "… de la", "… and"
                cut = cut.rsplit(None, 1)[0] if " " in cut else cut
                if " " not in cut:
                    break
            # the connectors left at the end ("… (ANAS) and"), looked for in a bounded tail: linear (issue 21)
            end = _CONNECTORS_AT_END.search(cut, max(0, len(cut) - 80))
            cut = cut[: end.start()] if end else cut
            return cut.rstrip(" ,") or text
    return text


_TRAILING_ACRONYM = re.compile(r"^(?P<whole>.+?\sof\s(?:the\s)?(?P<last>[^()]{3,200}?))\s*\((?P<acr>[A-Z]{2,10})\)$")


def own_name(name: str) -> str:
    """Leave out a bracketed acronym that names the last body of a name, not the name's own body.

    >>> own_name("Central Library of the Azerbaijan National Academy of Sciences (ANAS)")
    'Central Library of the Azerbaijan National Academy of Sciences'
    >>> own_name("Azerbaijan National Academy of Sciences (ANAS)"), own_name("Library of Congress (LC)")
    ('Azerbaijan National Academy of Sciences (ANAS)', 'Library of Congress (LC)')
    """
    m = _TRAILING_ACRONYM.match(name[:400])
    if m is None:
        return name
    acr = m.group("acr").casefold()
    inner = m.group("last")
    for k in range(len(inner)):  # the acronym names a tail of the name after an "of": "… of the (Academy … (ANAS))"
        if (k == 0 or inner[k - 1] == " ") and acr in acronyms(inner[k:]):
            return m.group("whole").rstrip()
    return name


#: " of <Place>'s <Body>" at a name's end ("… of Türkiye's Ministry of Culture").
_PLACE_POSSESSIVE = re.compile(
    r"\s+of\s+(?P<place>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)[’']s\s+(?P<org>[A-Z][^,;()]{2,150})$"
)


def parse_org(written: str, depth: int = 0) -> OrgMention:
    """Read an organisation as written: parent ("within the …", "… of the X University"), country.

    >>> o = parse_org("Chief Directorate of Libraries and Broadcasting within the Republic of Turkey Ministry of Culture")
    >>> o.name, o.parent.name, o.parent.country
    ('Chief Directorate of Libraries and Broadcasting', 'Republic of Turkey Ministry of Culture', 'TR')
    >>> o = parse_org("Library and Information Centre of the Bilecik Sheikh Edebali University of Turkey")
    >>> o.name, o.parent.name, o.country
    ('Library and Information Centre of the Bilecik Sheikh Edebali University', 'Bilecik Sheikh Edebali University', 'TR')
    """
    text = name_part(" ".join(written.split()).strip(" ,."))  # single spaces: no regex rescans a run of blanks
    part = re.fullmatch(r"([A-Z]{2,})\s+(?:[A-Z][\w-]*\s+){0,3}([\w-]+)", text)
    if part and part.group(2).casefold() in SUB_UNITS:  # "IFLA Governing Board": a part of the acronym's body
        return OrgMention(part.group(1))
    tail = _sub_unit_tail(text) if depth < MAX_PARENTS else None
    if tail is not None:  # "Digital Library Department of the X": the organisation is X
        return parse_org(text[tail:], depth + 1)
    parent = None
    owner = _PLACE_POSSESSIVE.search(text) if depth < MAX_PARENTS else None
    if (
        owner is not None
        and place_code(owner.group("place")) is not None
        and re.match(r"(?:Ministry|Government|Cabinet)\b", owner.group("org"))
        and len(text[: owner.start()].split()) >= 3  # "University of Georgia's Ministry …" is another university
    ):
        # "X of Türkiye's Ministry of Culture": the ministry of that country is X's parent
        text = text[: owner.start()] + " within the " + owner.group("org") + " of " + owner.group("place")
    m = re.search(r"\swithin\s(?:the\s)?(.+)$", text, re.S) if depth < MAX_PARENTS else None
    if m:  # "X within the Y": Y is X's parent (a chain of at most MAX_PARENTS)
        parent = parse_org(m.group(1), depth + 1)
        text = text[: m.start()]
    country = None
    paren = re.search(r"\s*\(([^()]*)\)?$", text)  # "(Republic of Dagestan, Russian Federation)", even cut short
    places = [place_code(re.sub(r"^\s*the\s+", "", x)) for x in paren.group(1).split(",")] if paren else []
    if paren and places and places[0]:
        country, text = next(c for c in places if c), text[: paren.start()]
    elif (
        paren
        and paren.group(0).endswith(")")
        and _city_in_brackets(paren.group(1))
        and institution_head(text[: paren.start()])
    ):
        # "Harrassowitz Verlag (Wiesbaden, Germany)", "Éditions Lavoisier-Dumont (Paris)": where it is, not its name
        country, text = next((c for c in places if c), None), text[: paren.start()]
    elif (
        paren
        and not paren.group(0).endswith(")")
        and re.match(r"(?:Republic|Region|Province|Oblast)\b", paren.group(1))
    ):
        text = text[: paren.start()]  # a place the text was cut in: not part of the name
    elif paren and not paren.group(0).endswith(")") and paren.start() > 0 and looks_org(text[: paren.start()]):
        # "Bibliotheca Alexandrina (the Library of Alexandria, Arab Republic of Egypt)" cut at its comma: a bracket
        # left open restates the name or places it; the name is what stands before it (decision 0074)
        text = text[: paren.start()]
    text, city_country = _without_location(text)
    country = country or city_country
    m = re.search(r"\sof\s(?:the\s)?([\w-]+(?:\s[\w-]+)?)$", text)
    if m and place_code(m.group(1)):
        stem = text[: m.start()].split()
        country = country or place_code(m.group(1))
        if (
            len(stem) >= 2
            and stem[-1].casefold() in ORG_HEADS
            and is_name_word(stem[-2])
            and not _ADJECTIVE.search(stem[-2])
        ):
            text = " ".join(stem)  # "… Edebali University of Turkey": the country is not part of the name
    # "… of ANAS" (with no article: "… Museum of Books of the RSL" is a part of the RSL the text named before)
    text = re.sub(r"(\([A-Z]{2,10}\))\s+(?:of|in)\s+[A-Z][\w-]+$", r"\1", text)  # "… (BULAC) of Paris": where it is
    owner_acronym = re.search(r"\s+of\s+([A-Z]{3,10})$", text) if parent is None else None
    if (
        owner_acronym is not None
        and len(text[: owner_acronym.start()].split()) >= 3
        and institution_head(text[: owner_acronym.start()]) is not None
    ):  # "Institute of Manuscripts named after Muhammad Fuzuli of ANAS": the acronym's body is the parent
        parent, text = OrgMention(owner_acronym.group(1), country=country), text[: owner_acronym.start()]
    whole = whole_of(text) if parent is None and len(text) <= _WINDOW else None
    if whole is not None:  # "Scientific Library of the X University": X University is the parent
        parent = OrgMention(text[whole:], country=country)
    country = country or _country_in(text)
    if parent is not None and parent.country is None:
        parent.country = _country_in(parent.name) or country
    country = country or (parent.country if parent is not None else None)
    return OrgMention(text.strip(), parent, country)


#: Adjective endings no proper name has: "State Public Historical Library of Russia" keeps its country, which a name
#: before the head ("Edebali University of Turkey") does not (decision 0066).
_ADJECTIVE = re.compile(r"[a-z]{3,}(?:ical|ional)$")
#: Institutions whose name says where they represent their country ("Embassy of Hungary in Azerbaijan"): the place
#: after "in" is part of the name.
ABROAD_HEADS = frozenset("embassy consulate mission representation delegation".split())
#: A region of the world at the end of a body's name: "in the South Caucasus", "in Central Asia", "for the Middle East".
_REGION_TAIL = re.compile(
    r"\s+in\s+(?:the\s+)?(?:(?:Eastern|Western|Northern|Southern|Central|South|North|East|West|Middle)\s+)?"
    r"(?:Europe|Asia|Africa|America|Americas|Eurasia|Caucasus|Balkans|Baltics|Baltic\s+States|Gulf|East|Scandinavia)$"
)
_LOCATION = re.compile(r"(?:\s+in\s+|\s*\()(?P<place>(?:[A-Z][\w'’-]*\.?\s?){1,3}?)\)?$")


def _city_in_brackets(inside: str) -> bool:
    """Say whether a bracket names a place: a province or a city (one or two capitalised words, no acronym and no
    institution word), then perhaps its country ("Wiesbaden, Germany", "Paris", "Venice, Italy")."""
    parts = [x.strip() for x in inside.split(",")]
    first = parts[0]
    return (
        bool(re.fullmatch(r"[A-ZÀ-ÖØ-Þ][a-zß-ÿ’'-]+(?:\s+[A-ZÀ-ÖØ-Þ][a-zß-ÿ’'-]+)?", first))
        and not any(w.casefold() in ORG_HEADS for w in first.split())
        and all(place_code(x) is not None for x in parts[1:])
    )


def _without_location(text: str) -> tuple[str, str | None]:
    """Cut the city an institution is in off its name: "National Library of Serbia in Belgrade", "… (Athens)".

    Returns the name and the country the place denotes (if the table knows it). Kept: a place that is itself an
    institution's words, an acronym in brackets ("(IFLA)"), a country ("Cultural Centre of Egypt in Azerbaijan"),
    the place an embassy or consulate is in, and the place of a name that is kind words without it ("National Museum
    in Prague").

    >>> _without_location("National Library of Estonia in Tallinn"), _without_location("Diet Library (Tokyo)")
    (('National Library of Estonia', 'EE'), ('Diet Library', None))
    >>> _without_location("National Museum in Prague")
    ('National Museum in Prague', None)
    >>> _without_location("Embassy of Hungary in Azerbaijan"), _without_location("Library of the IFLA (IFLA)")
    (('Embassy of Hungary in Azerbaijan', None), ('Library of the IFLA (IFLA)', None))
    """
    region = _REGION_TAIL.search(text)
    if region is not None and any(fold(w) in ORG_HEADS | HEAD_FIRST for w in text[: region.start()].split()):
        # "Konrad Adenauer Foundation in the South Caucasus": the region an office serves, no part of the name
        return text[: region.start()].strip(), None
    m = _LOCATION.search(text)
    if m is None or (m.group(0).lstrip().startswith("(") != m.group(0).endswith(")")):
        return text, None
    place, name = m.group("place").strip(), text[: m.start()].strip()
    words = [w.casefold().strip(".") for w in name.split()]
    if (
        place.isupper()
        or any(w.casefold() in ORG_HEADS for w in place.split())
        or not any(w in ORG_HEADS or w in HEAD_FIRST for w in words)
        or any(w in ABROAD_HEADS for w in words)
        or fold(place) in COUNTRY_NAMES  # "Egyptian Cultural Center in Azerbaijan": a country, not a city
        or bare_head(name) is not None  # "National Museum in Prague": the place is what names it
    ):
        return text, None
    return name, place_code(place)


#: Institutions that have parts named "<part> of the <institution>".
WHOLE_HEADS = frozenset("university ministry academy".split())


def whole_of(name: str) -> int | None:
    """Return where the institution starts in "<part> of the <institution>", else None.

    The part names an institution word of its own; the institution's first words name a university,
    ministry or academy.

    >>> t = "Chief Directorate of Libraries and Broadcasting of the Ministry of Culture of the Republic of Turkey"
    >>> t[whole_of(t):]
    'Ministry of Culture of the Republic of Turkey'
    >>> whole_of("Library of the First President of the Republic of Kazakhstan"), whole_of("Bilecik University")
    (None, None)
    """
    # "Department of History of McGill University": a university's own name takes no article (for a unit of a field;
    # "Scientific Library of X University" is read as before: the sets disagree on it)
    academic = re.match(r"(?:Faculty|Department|Chair|School|Institute)\s+of\s", name) is not None
    for m in re.finditer(
        r"\sof\sthe\s" + (r"|\sof\s(?=(?:[A-Z][\w’'-]*\s){1,3}University\b)" if academic else ""), name[:_WINDOW]
    ):
        part, rest = name[: m.start()], name[m.end() : m.end() + _WINDOW]
        head = _chunk(rest).split()
        if (
            head
            and all(is_cap(w) for w in head)
            and any(w.casefold() in WHOLE_HEADS for w in head)
            and any(w.casefold() in ORG_HEADS and is_cap(w) for w in part.split())
        ):
            return m.end()
    return None


def _country_in(name: str) -> str | None:
    m = re.search(r"\bin\s+(?:the\s+)?([A-Z][\w-]+(?:\s[A-Z][\w-]+)?)", name)
    if m and place_code(m.group(1)):
        return place_code(m.group(1))
    for m in re.finditer(r"\bof\s+(?:the\s+)?((?:Republic of\s+)?[A-Z][\w-]+\s[A-Z][\w-]+)", name):
        if place_code(m.group(1)):
            return place_code(m.group(1))
    for word in re.findall(r"[\w-]+", name):
        if is_cap(word) and place_code(word):
            return place_code(word)
    return None
