"""The one table of countries: ISO 3166-1 alpha-2 codes, the names shown on pages, and the words that name them.

Every other country lookup derives from :data:`COUNTRIES` (``tests/repo/test_architecture.py`` fails on a second
mapping to or from country codes anywhere else):

- pages show :func:`display_name` (:mod:`visitgraph.describe.pagemodels`);
- reconciliation reads a country written as a name with :func:`visitgraph.core.names.country_code`, from the
  shown names and :attr:`Country.names`;
- the matcher folds a country's names onto one key (:func:`visitgraph.core.names.org_tokens`), the table's
  :attr:`Country.names` and the ISO 3166-1 names ``pycountry`` knows for the code (:func:`iso_names`: the short
  name, the official name "Kyrgyz Republic", "Republic of Türkiye", "Hellenic Republic", and the common name);
- drafting also reads the :attr:`Country.words` (demonyms, and a region or capital the news items use for
  the country) in running text (:func:`visitgraph.authoring.extract.place_code`).

A country without a shown name is shown by its code (the pages name only the countries the data holds).
Names and words are written folded (:func:`visitgraph.core.names.fold`: lower case, no accents).
"""

from __future__ import annotations

import functools
import gettext
import unicodedata
from typing import NamedTuple

import pycountry
from anyascii import anyascii
from wordfreq import zipf_frequency


class Country(NamedTuple):
    """One country: its code, the English short name pages show (None: shown by its code), other names, words."""

    code: str
    name: str | None
    names: tuple[str, ...] = ()  # other names it goes by ("russian federation", "holland")
    words: tuple[str, ...] = ()  # words in running text that denote it ("russian", "dagestan")


#: One row per country, by code.
COUNTRIES: tuple[Country, ...] = (
    Country("AE", None, ("emirates",), ()),
    Country("AF", None, ("afghanistan",), ()),
    Country("AL", None, ("albania",), ()),
    Country("AM", "Armenia", (), ("armenian", "yerevan")),
    Country("AR", None, ("argentina",), ()),
    Country("AT", "Austria", (), ("austrian",)),
    Country("AU", None, ("australia",), ()),
    Country("AZ", "Azerbaijan", (), ("azerbaijani", "baku", "azerbaycan")),
    Country("BA", None, ("bosnia",), ()),
    Country("BE", "Belgium", (), ()),
    Country("BG", None, ("bulgaria",), ()),
    Country("BR", None, ("brazil",), ()),
    Country("BY", "Belarus", (), ("belarusian", "minsk")),
    Country("CA", "Canada", (), ("canadian",)),
    Country("CH", "Switzerland", (), ("swiss",)),
    Country("CN", "China", (), ("chinese",)),
    Country("CY", None, ("cyprus",), ()),
    Country("CZ", "Czechia", ("czech republic",), ("czech", "ceska republika", "prague", "praha")),
    Country("DE", "Germany", (), ("german",)),
    Country("DK", None, ("denmark",), ()),
    Country("DZ", None, ("algeria",), ()),
    Country("EE", "Estonia", (), ("estonian", "tallinn")),
    Country("EG", "Egypt", ("arabian republic of egypt", "arab republic of egypt"), ("egyptian",)),
    Country("ES", "Spain", (), ("spanish",)),
    Country("FI", None, ("finland",), ("finnish",)),
    Country("FR", "France", (), ("french",)),
    Country("GB", "United Kingdom", ("great britain",), ("british",)),
    Country("GE", "Georgia", (), ("georgian", "sakartvelo", "tbilisi")),
    Country("GR", "Greece", (), ("greek", "hellas")),
    Country("HR", None, ("croatia",), ()),
    Country("HU", "Hungary", (), ("hungarian", "budapest")),
    Country("ID", None, ("indonesia",), ()),
    Country("IE", None, ("ireland",), ()),
    Country("IL", "Israel", (), ()),
    Country("IN", "India", (), ("indian",)),
    Country("IQ", None, ("iraq",), ()),
    Country("IR", "Iran", (), ("iranian",)),
    Country("IS", None, ("iceland",), ()),
    Country("IT", "Italy", (), ("italian",)),
    Country("JO", None, ("jordan",), ()),
    Country("JP", "Japan", (), ("japanese",)),
    Country("KG", "Kyrgyzstan", (), ("bishkek",)),
    Country("KR", "South Korea", ("korea",), ("korean",)),
    Country("KW", None, ("kuwait",), ()),
    Country("KZ", "Kazakhstan", (), ("kazakh", "qazaqstan", "kazakstan", "astana")),
    Country("LB", None, ("lebanon",), ()),
    Country("LT", "Lithuania", (), ("lithuanian", "lietuva", "vilnius")),
    Country("LU", None, ("luxembourg",), ()),
    Country("LV", "Latvia", (), ("latvian", "latvija", "riga")),
    Country("LY", None, ("libya",), ()),
    Country("MA", "Morocco", (), ("moroccan",)),
    Country("MD", "Moldova", (), ()),
    Country("ME", None, ("montenegro",), ()),
    Country("MK", None, ("macedonia",), ()),
    Country("MN", None, ("mongolia",), ()),
    Country("MT", None, ("malta",), ()),
    Country("MX", None, ("mexico",), ()),
    Country("MY", None, ("malaysia",), ()),
    Country("NL", "Netherlands", ("holland",), ("dutch",)),
    Country("NO", None, ("norway",), ()),
    Country("OM", None, ("oman",), ()),
    Country("PK", "Pakistan", (), ("pakistani",)),
    Country("PL", "Poland", (), ("polish", "polska", "warsaw")),
    Country("PT", None, ("portugal",), ()),
    Country("QA", None, ("qatar",), ()),
    Country("RO", "Romania", (), ()),
    Country("RS", None, ("serbia",), ()),
    Country("RU", "Russia", ("russian federation",), ("russian", "all-russia", "all-russian", "dagestan", "rossiya")),
    Country("SA", "Saudi Arabia", ("saudi",), ()),
    Country("SD", None, ("sudan",), ()),
    Country("SE", None, ("sweden",), ()),
    Country("SG", None, ("singapore",), ()),
    Country("SI", None, ("slovenia",), ()),
    Country("SK", None, ("slovakia",), ()),
    Country("SY", None, ("syria",), ()),
    Country("TJ", "Tajikistan", (), ("dushanbe",)),
    Country("TM", "Turkmenistan", (), ("ashgabat",)),
    Country("TN", None, ("tunisia",), ()),
    Country("TR", "Türkiye", ("turkey",), ("turkish", "ankara")),
    Country("UA", "Ukraine", (), ("ukrainian", "ukraina", "kyiv", "kiev")),
    Country("US", "United States", ("usa", "america"), ("american",)),
    Country("UZ", "Uzbekistan", (), ("uzbek", "ozbekiston", "tashkent")),
    Country("VN", None, ("vietnam",), ()),
    Country("ZA", "South Africa", (), ()),
)


#: ISO 3166-1 names that are also given names or common words in running text: not read as a place there.
_NOT_IN_RUNNING_TEXT = frozenset({"chad", "jersey", "guernsey", "georgia", "jordan", "niger", "guinea", "mali", "togo"})


def _plain(name: str) -> str:
    """Lower case without accents, as :func:`visitgraph.core.names.fold` writes names (not imported: it imports
    this module)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)).casefold()


def _every_other_country(listed: tuple[Country, ...]) -> tuple[Country, ...]:
    """One row for each ISO 3166-1 country the table above does not list, named by its ISO names: the news items
    name countries from every continent ("the National Library of Uruguay"), and a country the table lacks would
    be read as a person's first name. Shown by its code, like the other rows without a shown name."""
    have = {c.code for c in listed}
    rows = []
    for found in pycountry.countries:
        if found.alpha_2 in have:
            continue
        names = (getattr(found, key, None) for key in ("common_name", "name"))
        plain = tuple(dict.fromkeys(_plain(n) for n in names if n and "," not in n and "(" not in n))
        plain = tuple(n for n in plain if n not in _NOT_IN_RUNNING_TEXT)
        if plain:
            rows.append(Country(found.alpha_2, None, plain, ()))
    return tuple(rows)


COUNTRIES = COUNTRIES + _every_other_country(COUNTRIES)

#: The languages partners write institutions' own names in, whose country names ``pycountry``'s ISO 3166 translations
#: give ("Bibliothèque nationale du Royaume du Maroc": Maroc).
ENDONYM_LANGUAGES = (
    "fr de es it pt nl ru uk be bg sr mk el tr az kk ky uz tg ka hy cs sk pl lt lv et hu fi sv da nb ro hr sl sq ar fa"
).split()


@functools.lru_cache(maxsize=1)
def translated_names() -> dict[str, tuple[str, ...]]:
    """Return each country's name in :data:`ENDONYM_LANGUAGES`, by code, as ``pycountry``'s translations write them
    (any script: the caller transliterates)."""
    out: dict[str, tuple[str, ...]] = {}
    books = []
    for language in ENDONYM_LANGUAGES:
        try:
            books.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language]))
        except OSError:  # a language pycountry does not ship: none of its names
            continue
    for found in pycountry.countries:
        english = found.name
        names = {book.gettext(english) for book in books} - {english}
        out[found.alpha_2] = tuple(sorted(names))
    return out


BY_CODE: dict[str, Country] = {c.code: c for c in COUNTRIES}


def display_name(code: str) -> str:
    """Name a country from its ISO 3166-1 alpha-2 code for a page (the code itself when it has no shown name).

    >>> display_name("az"), display_name("FI"), display_name("QQ")
    ('Azerbaijan', 'FI', 'QQ')
    """
    country = BY_CODE.get(code.upper())
    return country.name if country is not None and country.name else code.upper()


@functools.lru_cache(maxsize=512)
def iso_names(code: str) -> tuple[str, ...]:
    """Return the ISO 3166-1 names of a country (short, official, common) as ``pycountry`` spells them, none with a
    comma ("Korea, Republic of" is an index form, not a way of writing the name).

    >>> iso_names("KG"), iso_names("QQ")
    (('Kyrgyzstan', 'Kyrgyz Republic'), ())
    """
    found = pycountry.countries.get(alpha_2=code.upper())
    if found is None:
        return ()
    names = (getattr(found, key, None) for key in ("name", "official_name", "common_name"))
    return tuple(dict.fromkeys(n for n in names if n and "," not in n))


#: From this Zipf frequency an English word is common (about once per ten million words): a country's name in
#: another language that is also such a word is left out of the keys.
_COMMON_ZIPF = 2.5


@functools.lru_cache(maxsize=1)
def endonym_keys() -> dict[str, str]:
    """Map a country's one-word name in another language, folded and transliterated ("maroc", "ellada", "cesko",
    "yunanistan"), to its English one-word key ("morocco"): an institution's own-language name names its country so
    (``core.names.org_tokens``). Words of fewer than four letters, and words that are some country's English name or
    another name of the table's, are left out."""
    english = {_plain(c.name or c.names[0]): c for c in COUNTRIES if c.name or c.names}
    taken = set(english) | {n for c in COUNTRIES for n in (*c.names, *c.words)}
    out: dict[str, str] = {}
    for key, country in english.items():
        if " " in key:
            continue
        for name in translated_names().get(country.code, ()):
            word = _plain(anyascii(name))
            if word.isalpha() and len(word) >= 4 and word not in taken and zipf_frequency(word, "en") < _COMMON_ZIPF:
                out.setdefault(word, key)  # not an English word or name ("island", "chin", "maurice", "columbia")
    return out


@functools.lru_cache(maxsize=1)
def _subdivision_words() -> frozenset[str]:
    return frozenset(_plain(anyascii(sub.name)) for sub in pycountry.subdivisions)


def is_subdivision(word: str) -> bool:
    """Say whether a word names a province, region or city-region in ISO 3166-2 as ``pycountry`` lists it ("Istanbul",
    "Tartu", "Dublin"): a place that may stand before an institution's kind word ("the Istanbul publishing house").

    >>> is_subdivision("Istanbul"), is_subdivision("Brill")
    (True, False)
    """
    return _plain(anyascii(word)) in _subdivision_words()
