"""Find the date of each news item and infer a missing year from its neighbours.

The source lists items in (nearly) reverse chronological order, so an item that
gives only a month and a day is dated by the items above (newer) and below
(older) it: the year is accepted only when exactly one such day falls between
them. ``dateparser`` parses the phrase; a regular expression finds it first, so
that stray numbers ("in 1760-1765", "the 25th anniversary") are never taken
for the visit date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import dateparser

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_ORD = r"(?:st|nd|rd|th)?"
#: The end of a range of days ("12-14", "12 to 14", "12 and 13"): the visit's date is its first day.
_UNTIL = r"\s*(?:-|–|—|to|and|&)\s*"
#: "January 24, 2020", "December, 3", "26 September 2013", "March 5th", "the 5th of March", ranges of days
#: ("March 12-14, 2024", "12–14 March 2024", "March 30 – April 2, 2024"), a weekday in brackets, "12.03.2024" and
#: "12/03/2024" (day first, as the source's country writes it, unless only the month can come first) and "2024-03-12".
DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MONTHS})\.?,?\s+(?P<d1>\d{{1,2}}){_ORD}\b"
    rf"(?:{_UNTIL}(?:(?:{_MONTHS})\.?\s+)?\d{{1,2}}{_ORD}\b)?(?:\s*\([A-Z][a-z]+\))?(?:,?\s+(?P<y1>\d{{4}})\b)?"
    rf"|(?P<d2>\d{{1,2}}){_ORD}(?:{_UNTIL}\d{{1,2}}{_ORD})?\s+(?:of\s+)?(?P<m2>{_MONTHS})\b\.?"
    rf"(?:{_UNTIL}\d{{1,2}}{_ORD}\s+(?:of\s+)?(?:{_MONTHS})\b\.?)?(?:,?\s+(?P<y2>\d{{4}})\b)?"
    rf"|(?P<d3>\d{{1,2}})(?P<sep>[./])(?P<m3>\d{{1,2}})(?P=sep)(?P<y3>\d{{4}})\b"
    rf"|(?P<y4>\d{{4}})-(?P<m4>\d{{2}})-(?P<d4>\d{{2}})\b)"
)
_PARSER_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}


@dataclass(frozen=True)
class DateMention:
    """The visit date an item states: month and day, and the year when the item gives one."""

    text: str
    start: int
    month: int
    day: int
    year: int | None


@dataclass(frozen=True)
class ResolvedDate:
    """An item's date, whether its year was inferred, and the note explaining how."""

    date: dt.date
    inferred: bool = False
    note: str = ""
    from_option: bool = False


def find_date(text: str) -> DateMention | None:
    """Return the first month-and-day phrase of `text`, parsed with dateparser, or None.

    >>> find_date("On December, 3, deputy General Director ... visited.")
    DateMention(text='December, 3', start=3, month=12, day=3, year=None)
    >>> find_date("On June 26, 2006 The President ...").year
    2006
    """
    for m in DATE_RE.finditer(text):
        numeric = (m.group("d3"), m.group("m3"), m.group("y3")) if m.group("d3") else None
        numeric = numeric or ((m.group("d4"), m.group("m4"), m.group("y4")) if m.group("d4") else None)
        if numeric is not None and m.group("d3") and int(numeric[1]) > 12 >= int(numeric[0]):
            numeric = (numeric[1], numeric[0], numeric[2])  # "03/25/2024": month first, as only it can be
        if numeric is not None:  # "12.03.2024", "12/03/2024" (day first), "2024-03-12": no words to parse
            try:
                d = dt.date(int(numeric[2]), int(numeric[1]), int(numeric[0]))
            except ValueError:
                continue
            return DateMention(m.group(0), m.start(), d.month, d.day, d.year)
        month = m.group("m1") or m.group("m2")
        day = m.group("d1") or m.group("d2")
        year = m.group("y1") or m.group("y2")
        # parse a normalised phrase: dateparser reads "December, 3" as ambiguous
        phrase = f"{month} {day} {year or 2000}"
        parsed = dateparser.parse(phrase, languages=["en"], settings=_PARSER_SETTINGS)
        if parsed is None:
            if 1 <= int(day) <= 31 and not _exists(_MONTH_NUMBER[month[:3].casefold()], int(day), year):
                # "April 31", "February 29, 2019": the item's date, misstated. Kept (never undated, never dated
                # by a later phrase such as a founding year) so that drafting says what is wrong with it.
                return DateMention(
                    m.group(0).strip(),
                    m.start(),
                    _MONTH_NUMBER[month[:3].casefold()],
                    int(day),
                    int(year) if year else None,
                )
            continue
        if year is None and (parsed.month, parsed.day) == (2, 29):
            pass  # a leap day without a year: keep it, the neighbours decide the year
        day_of_visit = _day_in_range(text, m, parsed.month)
        return DateMention(
            m.group(0).strip(), m.start(), parsed.month, day_of_visit or parsed.day, int(year) if year else None
        )
    return None


_MONTH_NUMBER = {
    name[:3].casefold(): n
    for n, name in enumerate(
        "January February March April May June July August September October November December".split(), 1
    )
}
#: How far after an item's range of days a later sentence may name the day of the visit.
_LATER_WINDOW = 3000
#: A sentence that says the library itself was visited on a day ("On 24 June the guest visited the library").
_AT_THE_LIBRARY = re.compile(r"\b(?:visited|came\s+to|arrived\s+at|was\s+received|were\s+received)\b|\b[Ll]ibrary\b")


def _exists(month: int, day: int, year: str | int | None) -> bool:
    """Whether `month` `day` is a day of `year` (of some year, a leap year, when `year` is None)."""
    try:
        dt.date(int(year) if year else 2000, month, day)
    except ValueError:
        return False
    return True


def _day_in_range(text: str, m: re.Match[str], month: int) -> int | None:
    """Return the day a later sentence says the library was visited, when the item's date is a range of days in one
    month ("On 16–17 May … On the second day, 17 May, the guests came to the library"), else None.

    >>> t = "On 16–17 May 2026 a delegation was in Baku. On 17 May the guests visited the library."
    >>> _day_in_range(t, next(DATE_RE.finditer(t)), 5)
    17
    """
    days = [int(x) for x in re.findall(r"\b\d{1,2}\b", m.group(0))]
    if len(days) != 2 or not days[0] < days[1] or len(re.findall(_MONTHS, m.group(0))) != 1:
        return None
    for later in DATE_RE.finditer(text, m.end(), m.end() + _LATER_WINDOW):  # bounded: linear on hostile input
        said = later.group("m1") or later.group("m2")
        day = later.group("d1") or later.group("d2")
        if said is None or day is None or len(re.findall(r"\b\d{1,2}\b", later.group(0))) != 1:
            continue
        if _MONTH_NUMBER.get(said[:3].casefold()) != month or not days[0] <= int(day) <= days[1]:
            continue
        before = text[max(0, later.start() - 300) : later.start()]
        after = text[later.end() : later.end() + 300]
        sentence = before[before.rfind(". ") + 1 :] + after[: after.find(". ") if ". " in after else len(after)]
        if _AT_THE_LIBRARY.search(sentence):
            return int(day)
    return None


def _bounds(
    mentions: Sequence[DateMention | None], index: int, resolved: dict[int, dt.date]
) -> tuple[dt.date | None, dt.date | None]:
    newer = next((resolved[i] for i in range(index - 1, -1, -1) if i in resolved), None)
    older = next((resolved[i] for i in range(index + 1, len(mentions)) if i in resolved), None)
    return newer, older


def _candidates(month: int, day: int, newer: dt.date | None, older: dt.date | None) -> list[dt.date]:
    lo = older.year if older else (newer.year - 1 if newer else 0)
    hi = newer.year if newer else (older.year + 1 if older else 0)
    out = []
    for year in range(lo, hi + 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            continue
        if (older is None or d >= older) and (newer is None or d <= newer):
            out.append(d)
    return out


def _label(d: dt.date) -> str:
    return f"{d:%B} {d.day}"


def resolve_dates(mentions: Sequence[DateMention | None], year: int | None = None) -> list[ResolvedDate | None]:
    """Date every item: stated dates as they are, missing years from `year` or the neighbours.

    An item without a date, or whose year cannot be told (no dated neighbour, or
    more than one matching day between them) gets None.

    >>> ms = [find_date("On March 19, 2018, x"), find_date("On February 28, y"), find_date("On April 14, 2017, z")]
    >>> [str(r.date) for r in resolve_dates(ms)]
    ['2018-03-19', '2018-02-28', '2017-04-14']
    """
    resolved: dict[int, dt.date] = {}
    out: list[ResolvedDate | None] = [None] * len(mentions)
    for i, m in enumerate(mentions):
        if m is not None and m.year is not None:
            try:
                resolved[i] = dt.date(m.year, m.month, m.day)
            except ValueError:
                continue
            out[i] = ResolvedDate(resolved[i])
    stated = dict(resolved)  # neighbours are items whose own text gives the year
    for i, m in enumerate(mentions):
        if m is None or m.year is not None:
            continue
        if year is not None:
            try:
                d = dt.date(year, m.month, m.day)
            except ValueError:
                continue
            out[i] = ResolvedDate(
                d,
                False,
                f"The item gives no year; {year} was given by the librarian "
                "(visitgraph draft --year) when the record was drafted.",
                True,
            )
            continue
        newer, older = _bounds(mentions, i, stated)
        if newer is None and older is None:
            continue
        found = _candidates(m.month, m.day, newer, older)
        if len(found) > 1 and (newer is None or older is None):
            # one neighbour only: the nearest such day to it (items are listed newest first)
            found = [max(found)] if newer is not None else [min(found)]
        if len(found) != 1:
            continue
        out[i] = ResolvedDate(found[0], True, _note(m, found[0], newer, older))
    return out


def _note(m: DateMention, d: dt.date, newer: dt.date | None, older: dt.date | None) -> str:
    where = []
    if newer is not None:
        where.append(f"after the visit of {newer.isoformat()}")
    if older is not None:
        where.append(f"before the visit of {older.isoformat()}")
    if newer is not None and older is not None:
        return (
            f"The item gives no year. It comes {' and '.join(where)} in the reverse-chronological source, "
            f"and the only {_label(d)} between those dates is in {d.year}."
        )
    return (
        f"The item gives no year. It comes {where[0]} in the reverse-chronological source; "
        f"the nearest {_label(d)} {'before' if newer is not None else 'after'} it is in {d.year}."
    )


def explain_missing(
    m: DateMention | None, mentions: Sequence[DateMention | None], index: int, year: int | None = None
) -> str:
    """Say why an item could not be dated, and what to do about it (`year`: the librarian's ``--year``).

    >>> explain_missing(find_date("On April 31, 2020, a guest came."), [], 0)
    'gives "April 31, 2020", which is not a day of any year: correct the date'
    >>> explain_missing(find_date("On February 29, a guest came."), [], 0, 2019)
    'gives "February 29" without a year, and 2019 (--year) is not a leap year: correct the year or the date'
    """
    if m is None:
        return 'gives no date (no month and day such as "On March 5, 2021")'
    if not _exists(m.month, m.day, None):
        return f'gives "{m.text}", which is not a day of any year: correct the date'
    if m.year is not None and not _exists(m.month, m.day, m.year):
        return f'gives "{m.text}", which is not a day: {m.year} is not a leap year; correct the date'
    if m.year is None and year is not None and not _exists(m.month, m.day, year):
        return f'gives "{m.text}" without a year, and {year} (--year) is not a leap year: correct the year or the date'
    newer, older = _bounds(
        mentions,
        index,
        {i: dt.date(x.year, x.month, x.day) for i, x in enumerate(mentions) if x is not None and x.year is not None},
    )
    if newer is None and older is None:
        return f'gives no year for "{m.text}" and no neighbouring item states one: pass --year YYYY'
    found = _candidates(m.month, m.day, newer, older)
    return f'gives no year for "{m.text}" and {len(found)} such days fall between its neighbours: pass --year YYYY'
