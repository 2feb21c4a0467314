"""Draft visit records from news items: text in, reviewable Turtle out (reusing known IRIs).

``draft_news`` splits a file into items (one per paragraph), dates them
(``newsdates``), reads people, organisations, gifts, agreements and topics
(``visitors``, ``extract``, ``newsfacts``), reuses the IRIs of people and
organisations already in the graph through the reconciliation :class:`Matcher`,
mints new IRIs for the rest, and renders one Turtle file per item
(``draftfile``) in the form of ``data/visits/*.ttl``. Guesses carry a
``# check:`` comment. Bad input raises :class:`BadParameter` naming the paragraph.

Longer than 400 lines because reading items, reusing known IRIs and writing reviewable Turtle are the steps of one draft, in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from visitgraph.authoring.extract import (
    FOREIGN_HEADS,
    ORG_HEADS,
    OrgMention,
    PersonMention,
    bare_head,
    bare_part,
    find_people,
    foreign_head,
    institution_head,
    is_cap,
    is_name_word,
    outside,
    own_name,
    parse_org,
    place_code,
    quoted_spans,
    whole_of,
)
from visitgraph.authoring.namegate import known_under_other_words, refuse_person
from visitgraph.authoring.newsdates import DateMention, ResolvedDate, explain_missing, find_date, resolve_dates
from visitgraph.authoring.newsfacts import GUEST, GUESTS, HOST, find_agreements, find_gifts, match_topics
from visitgraph.authoring.visitors import VisitFindings, analyse_visit, first_sentence_end, visiting_orgs_free
from visitgraph.core import vocab
from visitgraph.core.countries import display_name
from visitgraph.core.errors import BadParameter
from visitgraph.core.names import FORM_WORDS, LabelKeys, acronyms, fold, normalize, org_tokens, person_tokens
from visitgraph.linking.entities import Entity
from visitgraph.linking.match import EXACT, MATCH_THRESHOLD, Candidate, Feature, Matcher
from visitgraph.linking.namescore import clipped_given, name_score, sounds_alike, spelt_otherwise

HOST_SLUG = "presidential-library"
#: A place right after an institution's name in the text ("… Centre in Cairo"), its capitalised words.
_PLACED = re.compile(r"\s+in\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})")
#: The most characters of one item the rules read (a news item is a paragraph of a few hundred words).
MAX_ANALYSED_CHARS = 5_000
#: A new resource whose best candidate scores at least this gets a "maybe the same as" check mark.
MAYBE_SCORE = 60.0
#: A top candidate whose runner-up is its own part is reused when its name scores at least this.
PART_OF_SCORE = 95.0
SOURCE_SLUG = "presidential-library-visits"
_VISIT_CUE = re.compile(
    r"\b(?:visit(?:ed|s|ing)?|hosted|met|meeting|delegation|guests?|acquainted|were at|was at|"
    r"handing over|handed over|donated|arrived|arriving|came to|returned to|received|toured|welcomed|lectures?|seminars?|"
    r"master class|"
    r"attended|took part|brought|represented at|called at|dropped in at|"
    # a guest's act placed at the host ("gave a talk at the Presidential Library"): being there (decision 0066)
    r"(?:gave|delivered|read|held)\s+(?:a|an|his|her|their)\s+(?:\w+\s+)?(?:talk|lecture|speech|presentation)\s+at)\b",
    re.I,
)


@dataclass(frozen=True)
class NewsItem:
    """One paragraph of the input, its number and its resolved date."""

    number: int
    total: int
    text: str
    date: ResolvedDate

    @property
    def preview(self) -> str:
        """Return the first words, to name the item in messages."""
        return describe_paragraph(self.number, self.text)


@dataclass
class Entry:
    """A person or organisation of a draft: its IRI, whether it is new, and what the file says of it."""

    iri: str
    kind: str
    name: str
    new: bool
    check: str | None = None
    props: list[tuple[str, str, str | None]] = field(default_factory=list)  # (predicate, turtle object, check)


@dataclass
class Draft:
    """One drafted record: the visit's facts, its entries, and (once rendered) its Turtle text."""

    item: NewsItem
    slug: str
    name: str
    attendees: list[Entry] = field(default_factory=list)
    contributors: list[Entry] = field(default_factory=list)
    entries: dict[str, Entry] = field(default_factory=dict)
    institutions: list[Entry] = field(default_factory=list)
    visitor_orgs: list[Entry] = field(default_factory=list)
    topics: list[tuple[str, str | None]] = field(default_factory=list)  # (iri, check)
    new_topics: list[tuple[str, str]] = field(default_factory=list)  # (iri, label)
    gifts: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[tuple[str, bool]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reviewer must know about the whole draft
    turtle: str = ""
    #: known bodies a known person named with them belongs to, by the folded name as written (decision 0064)
    vouched: dict[str, tuple[Candidate, str]] = field(default_factory=dict, repr=False)
    #: each institution's name as the text writes it, with the entry it became ("X (VGBIL, the Y)": a later "VGBIL")
    written_orgs: dict[str, Entry] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return what the draft holds, JSON-ready (for --json and tests)."""
        return {
            "item": self.item.number,
            "slug": self.slug,
            "date": self.item.date.date.isoformat(),
            "year_inferred": self.item.date.inferred,
            "name": self.name,
            "attendees": [e.iri for e in self.attendees],
            "contributors": [e.iri for e in self.contributors],
            "new": sorted(e.iri for e in self.entries.values() if e.new),
            "reused": sorted(e.iri for e in self.entries.values() if not e.new),
            "gifts": len(self.gifts),
            "agreements": [{"name": n, "signed": s} for n, s in self.agreements],
        }


def describe_paragraph(number: int, text: str) -> str:
    """Name a paragraph by its number and first words, for messages.

    >>> describe_paragraph(2, "On March 5, the director of the National Library visited us today.")
    'paragraph 2 ("On March 5, the director of the …")'
    """
    printable = "".join(ch if ch.isprintable() else " " for ch in text[:200])  # no terminal escapes echoed
    words = [w[:40] for w in printable.split()]
    head = " ".join(words[:7])
    more = len(words) > 7 or len(text) > 200
    return f'paragraph {number} ("{head}{" …" if more else ""}")'


def split_items(text: str) -> list[str]:
    """Split the input into items, one per paragraph (blank-line separated)."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def plan_items(text: str, year: int | None = None, name: str = "the input") -> list[NewsItem]:
    """Split and date the items; refuse an empty input or an item without a usable date.

    :raises BadParameter: naming the paragraph (number and first words) and what to do.
    """
    paragraphs = split_items(text)
    if not paragraphs:
        raise BadParameter(
            "news", f"{name} is empty: write one news item per paragraph (paragraphs separated by a blank line)."
        )
    mentions: list[DateMention | None] = [find_date(p) for p in paragraphs]
    dates = resolve_dates(mentions, year)
    items = []
    for i, (p, d) in enumerate(zip(paragraphs, dates, strict=True)):
        if d is None:
            raise BadParameter(
                "news",
                f"{describe_paragraph(i + 1, p)} of {name} "
                f"{explain_missing(mentions[i], mentions, i, year)}. Nothing was written.",
            )
        items.append(NewsItem(i + 1, len(paragraphs), p, d))
    return items


class DraftContext:
    """What drafting needs from the graph: the matcher, the host, the topics and the IRIs in use."""

    def __init__(self, matcher: Matcher, base: str, taken: Iterable[str] = ()) -> None:
        self.matcher = matcher
        self.base = base
        self.taken: set[str] = set(taken) | {e.iri for e in matcher.entities.values()}
        host = matcher.get(f"organization/{HOST_SLUG}") or next(
            (c.entity for c in matcher.reconcile("Presidential Library", type="organization", limit=1) if c.match), None
        )
        self.host = host.iri if host else vocab.mint(base, "organization", HOST_SLUG)
        self.host_labels = host.labels if host else ["Presidential Library"]
        self.host_people = [
            e
            for e in matcher.entities.values()
            if e.kind == "person" and self.host in e.props.get("schema:affiliation", [])
        ]
        self.topics = [(e.iri, e.name) for e in matcher.entities.values() if e.kind == "topic"]
        #: the known institutions' names as written, longest first (where a name spelt in full ends)
        self.org_labels = sorted(
            {n for e in matcher.entities.values() if e.kind == "organization" for n in e.labels or [e.name]},
            key=lambda n: (-len(n), n),
        )
        self.source = vocab.mint(base, "source", SOURCE_SLUG)
        #: new people and organisations of this run, so a later item reuses them: (kind, folded name) -> entry
        self.minted: dict[tuple[str, str], Entry] = {}
        #: the folded words of known people's names: a name word even when it is a common English word ("Brown")
        self.name_words = frozenset(
            w
            for e in matcher.entities.values()
            if e.kind == "person"
            for n in e.labels or [e.name]
            for w in fold(n).split()
        )

    @classmethod
    def from_store(cls, store: ox.Store, base: str) -> DraftContext:
        """Index a pyoxigraph store (the sources, or the published graph) for drafting."""
        taken = {
            q.subject.value
            for q in store.quads_for_pattern(None, None, None, None)
            if isinstance(q.subject, ox.NamedNode)
        }
        return cls(Matcher.from_store(store, base), base, taken)

    def mint(self, kind: str, label: str) -> str:
        """Mint a collision-free IRI for a new resource and reserve it."""
        # transliterated first (names.fold), so "Işık" and "Əliyev" keep every letter: isik, eliyev
        slug = "-".join(vocab.slugify(fold(label) or label).split("-")[:8]).strip("-") or kind
        iri, n = vocab.mint(self.base, kind, slug), 2
        while iri in self.taken:
            iri, n = vocab.mint(self.base, kind, f"{slug}-{n}"), n + 1
        self.taken.add(iri)
        return iri


_APOSTROPHE_IN_WORD = re.compile(r"(?<=\w)[‘ʻ](?=\w)")
_LOW_QUOTED = re.compile(r"„([^„“”\"]{0,300})[“”]")


#: An academic honorific before a full name ("Dr. Giulia Ferrari", "Prof. Dr. Mustafa Serin").
_HONORIFIC = re.compile(
    r"\b(?:(?:Dr|Prof|hab|habil|Assoc\.\s+Prof)\.\s+){1,3}"
    r"(?=[A-ZÀ-ÖØ-Þ][\w’'-]+\s+(?:(?:de|da|di|du|del|della|van|von|der|den|le|la|al|el|bin|binti|ibn)\s+)*[A-ZÀ-ÖØ-Þ])"
)


#: The serial ("Oxford") comma of a list: "…, B, and C", B a few words with no verb of its own.
_SERIAL_COMMA = re.compile(
    r"(?<=[\w”\"\)]),\s+((?:[\w’'-]+\s+){0,3}[\w’'-]+),\s+and\s+"
    r"(?!(?:he|she|they|it|we|in|at|then|also|later|there)\b)(?=[\w“\"])"  # "…, Kairi Lepp, and she …": a new clause
)
_NOT_A_LIST_WORD = re.compile(
    r"^(?:which|who|whom|whose|where|when|while|that|was|were|is|are|has|have|had|also|then|in|at|on|during|after)$"
    r"|ed$"
)


#: A subject of a few words and its verb after "and": a clause, not a list's last item.
_CLAUSE_AFTER_AND = re.compile(
    r"(?:[\w’'-]+\s+){1,3}(?:gave|presented|donated|handed|received|was|were|thanked|spoke|told|noted|visited|showed|"
    r"said|signed|met|took|got|expressed|invited|informed|acquainted|stressed|emphasized|emphasised|added)\b"
)


def without_serial_comma(text: str) -> str:
    """Drop the serial comma of a list ("history, literature, and art" → "history, literature and art"), which the
    rules, written for the source's house style, read as a clause's end.

    >>> without_serial_comma("the social, humanitarian, and educational projects service; Ann Lee, Bo Li, and Cy came")
    'the social, humanitarian and educational projects service; Ann Lee, Bo Li and Cy came'
    >>> without_serial_comma("At the meeting, the guests talked, and presented a book")
    'At the meeting, the guests talked, and presented a book'
    >>> without_serial_comma('the Ministry of Culture, Youth, and Sports; the album "Tallinn, old town, and port"')
    'the Ministry of Culture, Youth, and Sports; the album "Tallinn, old town, and port"'
    """

    unquoted = outside(quoted_spans(text))

    def one(m: re.Match[str]) -> str:
        if any(_NOT_A_LIST_WORD.search(w.casefold()) for w in m.group(1).split()):
            return m.group(0)
        if not unquoted(m.start()) or re.fullmatch(r"[A-Z][\w’'-]*", m.group(1)):
            return m.group(0)  # a title's words, or a body's ("Ministry of Culture, Youth, and Sports"): as written
        if _CLAUSE_AFTER_AND.match(text, m.end()):
            return m.group(0)  # "… to its guest, Kairi Lepp, and the guest gave …": a clause of its own
        return f", {m.group(1)} and "

    return _SERIAL_COMMA.sub(one, text)


#: "Professor" or "Academician" before a name that a title in apposition follows ("Professor Kenji Morita, Director of
#: Osaka University Library"): an honorific there, the title after the name says what they are (a lone "Professor
#: Jaan Tamm of Tartu University" keeps it: it is all the item says of him).
_TITLE_WORD_BEFORE_TITLED = re.compile(
    r"\b(?:Professor|Academician)\s+(?=(?:[A-ZÀ-ÖØ-Þ][\w’'-]+\s+){1,3}?[A-ZÀ-ÖØ-Þ][\w’'-]+,\s+(?:the\s+)?(?:[A-Za-z-]+\s+)?"
    r"(?i:director|head|rector|dean|chair(?:man|woman|person)?|president|deputy|chief|vice-rector|minister)\b)"
)


def blank_honorifics(text: str) -> str:
    """Blank an academic honorific before a full name, one space for each character (offsets stay): the rules then
    read "… of the University Library of Bologna Dr. Giulia Ferrari" as they read it without "Dr.", and the run of
    spaces still ends the body's name where the honorific did ("… of the Punjab Prof. Dr. Tariq Mehmood Qureshi":
    dropping it instead joined "Tariq" to the university; measured on dev26).

    >>> blank_honorifics("Director of the Library of Bologna Dr. Giulia Ferrari and Prof. Dr. Ali Kaya met Dr. Smith")
    'Director of the Library of Bologna     Giulia Ferrari and           Ali Kaya met Dr. Smith'
    >>> blank_honorifics('the book "Dr. Jaan Tamm: A Life" by Professor Mari Kask')
    'the book "Dr. Jaan Tamm: A Life" by Professor Mari Kask'
    >>> blank_honorifics("hosted Professor Kenji Morita, Director of Osaka University Library")
    'hosted           Kenji Morita, Director of Osaka University Library'
    """
    unquoted = outside(quoted_spans(text))

    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group(0)) if unquoted(m.start()) else m.group(0)

    return _TITLE_WORD_BEFORE_TITLED.sub(blank, _HONORIFIC.sub(blank, text))


def english_quotes(text: str) -> str:
    """Write the quotation marks of other languages' copy as English ones, one character for one (offsets stay):
    «…» and „…“ become “…”, so a book's title reads as one thing whatever marks the editor used.

    >>> english_quotes("the book «Lithuania: History and Culture» and „Kelaghayi“")
    'the book “Lithuania: History and Culture” and “Kelaghayi”'
    """
    # a quote inside guillemets ("«The poem „Leyli and Majnun“ in Europe»") is a quote in a quote: ‘…’
    text = re.sub(r"«[^«»]*»", lambda m: m.group(0).replace("„", "‘").replace("“", "’").replace("”", "’"), text)
    text = text.replace("«", "“").replace("»", "”")
    return _LOW_QUOTED.sub(lambda m: f"“{m.group(1)}”", text)


def spaced_hyphens_as_dashes(text: str) -> str:
    """Read a hyphen between spaces as a dash, one character for one (offsets stay), but not in a title in quotes.

    >>> spaced_hyphens_as_dashes('Berlin State Library - Prussian Cultural Heritage; the book "Baku - City of Winds"')
    'Berlin State Library – Prussian Cultural Heritage; the book "Baku - City of Winds"'
    """
    unquoted = outside(quoted_spans(text))
    return re.sub(r" - ", lambda m: " – " if unquoted(m.start()) else m.group(0), text)


def analysed_text(text: str) -> tuple[str, list[str]]:
    """Return the text the rules read (single spaces, at most :data:`MAX_ANALYSED_CHARS`) and a note if cut.

    A news item is a paragraph of a few hundred words; reading a longer one only up to the limit
    keeps drafting linear in the input (issue 21). The item's full text is still recorded.
    """
    flat = " ".join(text.split())
    if len(flat) <= MAX_ANALYSED_CHARS:
        return flat, []
    cut = flat.rfind(" ", MAX_ANALYSED_CHARS // 2, MAX_ANALYSED_CHARS)
    cut = cut if cut > 0 else MAX_ANALYSED_CHARS
    return flat[:cut], [
        f"only the first {cut:,} of the item's {len(flat):,} characters were read: "
        "check that nothing after them is missing from this draft"
    ]


def draft_item(item: NewsItem, ctx: DraftContext) -> Draft:
    """Read one item into a :class:`Draft`, reusing known IRIs and minting new ones.

    :raises BadParameter: when the item does not read as a visit (no visitor found).
    """
    text, notes = analysed_text(item.text)
    text = without_serial_comma(text)
    written = text
    # "Otabek Yo‘ldoshev": an opening quote between letters is the Uzbek o‘/g‘ apostrophe; the rules read it as "’"
    # (one character for one: offsets stay) and the names keep it as written
    text = _APOSTROPHE_IN_WORD.sub("’", text)
    text = english_quotes(text)
    text = spaced_hyphens_as_dashes(text)
    m = find_date(text)
    span = (m.start, m.start + len(m.text)) if m else None
    place = _DATELINE_PLACE.fullmatch(text[: span[0]]) if span else None  # "BAKU, September 21, 2027. …"
    dateline = _DATELINE_END.match(text, span[1]) if span and (span[0] <= 3 or place) else None
    if span and dateline:
        # "14.10.2026. Chairperson … visited": a dateline, not the visit sentence (blanked: offsets stay)
        text = " " * dateline.end() + text[dateline.end() :]
        span = None
    text = blank_honorifics(text)
    staff_names = [n for e in ctx.host_people for n in e.labels]
    found = analyse_visit(text, span, ctx.host_labels, staff_names + _staff_spelt_otherwise(text, staff_names, ctx))
    if written != text:
        for p in found.visitors + found.hosts:
            as_written = written[p.start : p.start + len(p.name)]
            if as_written != p.name and english_quotes(_APOSTROPHE_IN_WORD.sub("’", as_written)) == p.name:
                p.name = as_written
        named = found.orgs + [q.org for q in found.visitors + found.hosts if q.org is not None]
        for o in {id(o): o for o in named + [o.parent for o in named if o.parent is not None]}.values():
            # "… of O‘zbekiston", "… «St. St. Cyril and Methodius»": the body's name as written too
            at = text.find(o.name) if re.search("[’“”]", o.name) else -1
            if at >= 0:
                o.name = written[at : at + len(o.name)]
    for p in found.visitors + found.hosts:
        _known_body_ends_before(text, p, ctx)
    for p in found.visitors:
        _known_unit_of_body(p, ctx)
    _known_hosts_are_hosts(found.visitors, found.hosts, ctx, text)
    free = visiting_orgs_free(text, found, ctx.host_labels)
    if _VISIT_CUE.search(text) and not (found.visitors or found.orgs or free):
        found.visitors += _returning_guests(text, found, ctx)
    if not _VISIT_CUE.search(text) or not (found.visitors or found.orgs or free):
        raise BadParameter(
            "news",
            f"{item.preview} does not read as a visit: no visiting person or "
            "organisation named with words such as 'visited', 'met' or 'delegation'. "
            "Remove it or reword it. Nothing was written.",
        )
    draft = Draft(item, "", "", notes=notes)
    orgs: dict[str, Entry] = {}
    draft.vouched = _vouched_bodies(found.visitors + found.hosts, found.orgs + free, ctx)
    for name, words in found.not_guests:
        if FOREIGN_HEADS.search(name) and _org_entry(OrgMention(name, reuse_only=True), ctx, draft, orgs):
            continue  # "the library of Bilecik Şeyh Edebali Üniversitesi": a known institution in its own language
        draft.notes.append(
            f'"{name}" is named after "{words}", not as a guest or host, and was not drafted as a new person: '
            "add them if they visited"
        )
    for o in found.orgs + free:
        _org_entry(o, ctx, draft, orgs)
    if not orgs and not found.visitors:  # nothing else names the guests: the one institution the text has
        for o in found.orgs + free:
            _org_entry(o, ctx, draft, orgs, sole=True)
    bodies = _known_visiting_bodies(found.orgs + free, orgs, ctx)
    none_read = not found.visitors
    for p, body in [(h, _recorded_body(h.name, bodies, ctx)) for h in found.hosts]:
        if body is not None:  # the graph records them as staff of a body that came: a guest, as words misread
            _host_read_as_guest(found, p, body)
    for p in list(found.hosts):  # the graph records a guest of the host from another body the item names
        body = _of_body_naming(text, _guest_of_another_body(p, ctx), ctx)
        if body is not None:
            _host_read_as_guest(found, p, body)
    if none_read:  # the words read no guest (a host the graph made one does not count)
        found.visitors += _known_staff_of_guests(text, found, bodies, ctx)
        found.visitors += _earlier_companions(text, found, bodies, ctx)
    staff = {e.iri for e in ctx.host_people}
    for p in list(found.visitors):
        entry = _person_entry(p, ctx, draft, orgs)
        if entry is None or any(e.iri == entry.iri for e in draft.attendees):
            found.visitors.remove(p)  # none, or one guest named twice ("Aleksandr Vershinin … A. Vershinin")
        elif entry.iri in staff and not entry.new:  # "the library's director, Mr. Ahmadov": reused as its staff
            found.visitors.remove(p)
            p.host, p.org = True, None
            found.hosts.append(p)
        else:
            draft.attendees.append(entry)
            if p.org is None and not entry.new:
                p.org = _recorded_body_spelt(text, entry, ctx, draft, orgs)
    for p in list(found.hosts):
        entry = _person_entry(p, ctx, draft, orgs, host=True)
        if entry is None or any(e.iri == entry.iri for e in draft.contributors):
            found.hosts.remove(p)
        else:
            draft.contributors.append(entry)
    for p in found.visitors:
        entry = orgs.get(fold(p.org.name)) if p.org is not None else None
        if entry is not None and all(entry.iri != e.iri for e in draft.visitor_orgs):
            draft.visitor_orgs.append(entry)
    if not draft.attendees:
        draft.attendees = [orgs[fold(o.name)] for o in found.orgs + free if fold(o.name) in orgs][:1] or list(
            orgs.values()
        )[:1]
    if not draft.attendees:  # every institution named stands outside the slots that say a guest came from it
        raise BadParameter(
            "news",
            f"{item.preview} names no visitor the drafter may write: "
            + "; ".join(draft.notes or ["no visiting person or institution"])
            + ". Name who visited, or remove the paragraph. Nothing was written.",
        )
    draft.name, base_slug = _visit_label(found.visitors, draft)
    draft.slug = _visit_slug(ctx, item.date.date.isoformat(), base_slug)
    draft.topics = [
        (iri, f'the text matches the topic "{ctx.matcher.label_of(iri)}"') for iri in match_topics(text, ctx.topics)
    ]
    _new_topics(text, ctx, draft)
    _gifts(text, ctx, draft, found.visitors, found.hosts, orgs)
    draft.agreements = [(_one_spaced(a.name), a.signed) for a in find_agreements(text)]
    return draft


#: A dateline's place before its date: a city in capitals and a comma ("BAKU, ", "NEW YORK, ", "ST. PETERSBURG, ").
#: Or a place in title case, one to three words ("Baku, ", "New York, ", "St. Petersburg, "), but not a sentence's
#: first words ("On May 5, …", "Today, …").
_DATELINE_PLACE = re.compile(
    r"\s*(?:[A-ZÀ-ÖØ-ÞİŞÇĞÜÖƏ][A-ZÀ-ÖØ-ÞİŞÇĞÜÖƏ.'’ -]{1,30}[A-ZÀ-ÖØ-ÞİŞÇĞÜÖƏ.]"
    r"|(?!(?:On|In|At|By|Today|Yesterday|Earlier|Later|Then|Since|From|Until|Last|This|Next|Mr|Mrs|Ms|Dr|Prof)\b)"
    # one word, or two after a place's usual first word ("New York", "St. Petersburg"): not a person's name
    r"(?:(?:New|San|Santa|Saint|St\.|Los|Las|El|Al|Rio|Tel|Kuala|Buenos|Addis|Abu|Port|Cape)\s+)?"
    r"[A-ZÀ-ÖØ-ÞİŞÇĞÜÖƏ][a-zà-öø-ÿəışçğ'’.-]+),\s*"
)
#: What ends a dateline after its date: an agency's name in slashes or brackets ("/AZERTAC/", "(AZERTAC)"), then a
#: full stop, colon, semicolon or dash, and space.
_DATELINE_END = re.compile(r"(?:\s*/\s*[A-Z][\w-]*\s*/|\s*\([A-Z][\w-]*\))?\s*[.:;–—-]\s+")


def _known_visiting_bodies(named: list[OrgMention], orgs: dict[str, Entry], ctx: DraftContext) -> dict[str, OrgMention]:
    """Return the known bodies (reused, not the host) the item's guests come from, by IRI, with their mentions."""
    return {
        e.iri: o
        for o in named
        if not o.host and (e := orgs.get(fold(o.name))) is not None and not e.new and e.iri != ctx.host
    }


def _recorded_body(name: str, bodies: dict[str, OrgMention], ctx: DraftContext) -> OrgMention | None:
    """Return the visiting body the graph records a person as staff of: the matcher reuses the name alone (flagged)
    and their record's affiliation is one of `bodies`; None otherwise."""
    if not bodies:
        return None
    who = ctx.matcher.reconcile(name, type="person", limit=2)
    theirs = who[0].entity.props.get("schema:affiliation", []) if who and who[0].match else []
    return next((bodies[iri] for iri in theirs if iri in bodies), None)


#: A word right before a name that makes it whose work or subject something is ("the novels of X", "a book by X", "a
#: film about X", "dedicated to X", "named after X") or someone met at another time ("recalled the meeting with X"),
#: not someone the words place at this visit.
_WORK_OF_BEFORE = re.compile(r"\b(?:of|by|about|to|after|with)\s+$")
#: "by" after a verb of company ("accompanied by X", "was joined this time by X"): X is in the party, not an author.
_IN_COMPANY_BY = re.compile(r"\b(?:accompanied|joined|headed|led)(?:\s+[a-z]+){0,2}\s+by\s+$")


def _returning_guests(text: str, found: VisitFindings, ctx: DraftContext) -> list[PersonMention]:
    """Return the people the graph records as earlier guests of the host, named in an item that reads as a visit
    but whose words read no guest and no visiting body at all (decision 0071).

    "From Astana came A and B of …, and from Minsk C": the words put nobody in a guest's slot, so the item would be
    refused. A person the matcher reuses on the name alone whose record lists a visit, and who is not the host's
    staff, came before; named in a visit nobody else is named as the guest of, they are its guests. Only when the
    words read nobody, so a known visitor named in passing beside the guests read (a book of theirs shown) is
    never added; nor one named as whose work or subject something is ("an exhibition of the novels of X").
    """
    taken = {fold(p.name) for p in found.hosts} | {fold(name) for name, _ in found.not_guests}
    return _known_people_named(text, taken, ctx, lambda known: bool(known.props.get("visits")))


#: How close a name must be to a staff member's label to be read as theirs (the matcher's 0–100 score): a spelling
#: of the same name ("Mayil Akhmedov" 100, "M. Akhmedov" 97.1), not a name like it ("Mayil Mammadov" 92.9, "Mikayil
#: Akhmedov" 90, "M. Ahmadova" 92.4: another person; measured in the session-24 review).
STAFF_SPELLING_SCORE = 97.0
#: A title naming another body right after a name ("X, Counsellor of the Embassy of Kazakhstan"), or before it ("…
#: of the Embassy of Kazakhstan X"): whoever it names is that body's, however like the host's staff the name is.
_OTHER_BODY_AFTER = re.compile(r"^,\s+(?:[^,.;]{0,60}?\s)?(?:of|at)\s+(?:the\s+)?(?!Presidential\b|[Ll]ibrary\b)[A-Z]")
_OTHER_BODY_BEFORE = re.compile(r"\b(?:of|at)\s+(?:the\s+)?(?!Presidential\b)[A-Z][^,.;]{0,80}\s+$")


#: A unit named in a title, whose body is the person's institution: "Head of the Library and Information Centre"
#: (of the university named before).
_UNIT_IN_TITLE = re.compile(
    r"\bof\s+the\s+(?P<unit>(?:[A-Z][\w’'-]*\s+(?:and\s+)?){0,5}(?:Centre|Center|Library|Department|Institute|Archive|"
    r"Museum|Faculty|School))$"
)


def _known_unit_of_body(p: PersonMention, ctx: DraftContext) -> None:
    """Give a guest the known unit their title names of their institution: "Head of the Library and Information
    Centre of the university X" (the university named before) is the graph's "Library and Information Centre of the
    Bilecik Sheikh Edebali University" when the matcher flags that name and the graph records it as a part of the
    institution read for them. Only a known unit: nothing is minted from a title (decision 0088)."""
    if p.org is None or not p.job_title or (m := _UNIT_IN_TITLE.search(p.job_title)) is None:
        return
    unit = ctx.matcher.reconcile(f"{m.group('unit')} of the {p.org.name}", type="organization", limit=1)
    if not unit or not unit[0].match:
        return
    parents = unit[0].entity.props.get("schema:parentOrganization", [])
    # the institution read for them is that unit's parent: its best candidate, flagged or not (a known unit of it
    # may be the runner-up that keeps the flag off, as "Bilecik Şeyh Edebali University" 96.6 beside its centre)
    body = ctx.matcher.reconcile(p.org.name, type="organization", limit=1)
    if body and body[0].iri in parents and _name_score(body[0]) >= MAYBE_SCORE:
        p.org = OrgMention(unit[0].name)


def _staff_spelt_otherwise(text: str, staff_names: list[str], ctx: DraftContext) -> list[str]:
    """Return the names in `text` that the matcher reuses as the host's own staff though written otherwise than any
    of their labels ("Mayil Akhmedov", "Mayıl Əhmədov", "M. Akhmedov" for Mayil Ahmadov): the rules then read them as
    they read a label, so "Mayil Akhmedov acquainted the guest …" names the host as "Mayil Ahmadov …" does. Only a
    close spelling (:data:`STAFF_SPELLING_SCORE`) of a name no title gives to another body."""
    labels = {fold(n) for n in staff_names}
    staff = {e.iri for e in ctx.host_people}
    out: list[str] = []
    for p in find_people(text):
        if fold(p.name) in labels or p.name in out:
            continue
        end = p.start + len(p.name)
        if _OTHER_BODY_AFTER.match(text[end : end + 120]) or _OTHER_BODY_BEFORE.search(
            text[max(0, p.start - 120) : p.start]
        ):
            continue
        who = ctx.matcher.reconcile(p.name, type="person", limit=2)
        if who and who[0].match and who[0].iri in staff and who[0].score >= STAFF_SPELLING_SCORE:
            out.append(p.name)
    return out


def _known_people_named(
    text: str, taken: set[str], ctx: DraftContext, came: Callable[[Entity], bool]
) -> list[PersonMention]:
    """Return the people named in `text` (not in `taken`, not named as whose work or subject something is) whom the
    matcher reuses on the name alone, who are not the host's staff and whose record says they `came`; each with
    their recorded institution as the sentence names it after them, if it does (:func:`_recorded_body_named`)."""
    staff = {e.iri for e in ctx.host_people}
    out: list[PersonMention] = []
    for p in find_people(text):
        if (
            fold(p.name) in taken
            or _WORK_OF_BEFORE.search(text, 0, p.start)
            and not _IN_COMPANY_BY.search(text, 0, p.start)
        ):
            continue
        who = ctx.matcher.reconcile(p.name, type="person", limit=2)
        if who and who[0].match and who[0].iri not in staff and came(who[0].entity):
            taken.add(fold(p.name))
            p.org = _recorded_body_named(text, p, who[0].entity.props.get("schema:affiliation", []), ctx)
            out.append(p)
    return out


def _recorded_body_spelt(
    text: str, entry: Entry, ctx: DraftContext, draft: Draft, orgs: dict[str, Entry]
) -> OrgMention | None:
    """Return the institution a reused guest with none read is recorded at, when the item spells one of its labels
    (decision 0071): "A film crew of X, …, headed by A" names X where no slot ties it to A; the graph does. The
    body is reused (never minted) and is the guests'; the host is never one."""
    known = ctx.matcher.by_iri(entry.iri)
    for iri in known.props.get("schema:affiliation", []) if known is not None else []:
        body = ctx.matcher.by_iri(iri) if iri != ctx.host else None
        labels = (body.labels or [body.name]) if body is not None else []
        label = next((n for n in labels if len(n) > 3 and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)), None)
        label = label or next((w for n in labels if len(n) > 3 and (w := _label_spelt_in(text, n)) is not None), None)
        if label is not None:
            mention = OrgMention(label, reuse_only=True)
            if _org_entry(mention, ctx, draft, orgs) is not None:
                return mention
    return None


def _label_spelt_in(text: str, label: str) -> str | None:
    """Return the words of `text` that spell `label` another way ("Sputnik Azərbaycan" for "Sputnik Azerbaijan"):
    a run of as many capitalised words whose name score against the label, by the matcher's own scorer, is at
    least :data:`MATCH_THRESHOLD`. Else None."""
    size = len(label.split())
    if size < 2:
        return None  # one word ("OCLC", "IFLA") is spelt as written or not at all
    keys = LabelKeys.of(label)
    word = r"[^\W\d_a-zà-ÿəışçğöü][\w'’-]*"  # a capitalised word, in any alphabet
    run = word + rf"(?:\s+{word})" * (size - 1)
    for m in re.finditer(rf"(?<!\w)(?={run}(?!\w))", text):
        words = re.match(run, text[m.start() :])
        if words and name_score(LabelKeys.of(words.group(0)), keys, "organization") >= MATCH_THRESHOLD:
            return words.group(0)
    return None


#: A body named "of the X", X capitalised words joined by "of", "the", "for": where a person's institution follows
#: their name.
_OF_BODY = re.compile(r"\bof\s+the\s+([A-Z][\w'’-]*(?:\s+(?:of|the|for|[A-Z][\w'’-]*))*)")


def _recorded_body_named(text: str, p: PersonMention, theirs: list[str], ctx: DraftContext) -> OrgMention | None:
    """Return the person's recorded institution as the sentence names it after them ("A and B of the Library of
    the First President of Kazakhstan"), else None (:func:`_of_body_naming` from the name to the sentence's end)."""
    start = p.start + len(p.name)
    return _of_body_naming(text, theirs, ctx, start, start + first_sentence_end(text[start:]))


def _host_read_as_guest(found: VisitFindings, p: PersonMention, body: OrgMention) -> None:
    """Move `p` from the hosts read to the guests, as a guest of `body` (the graph says whose they are)."""
    found.hosts.remove(p)
    p.host, p.org = False, body
    found.visitors.append(p)


def _guest_of_another_body(p: PersonMention, ctx: DraftContext) -> list[str]:
    """Return the recorded institutions (not the host) of a person read as the host's whom the graph records as a
    guest of an earlier visit, else [] (decision 0074).

    "… the delegation of the Y was led by General Director A. Director of the library B spoke …": the words put A in
    a host's slot (a title before the name, no body after it). The matcher reuses A on the name alone, A is not the
    host's recorded staff, A's record gives an affiliation that is not the host, and a recorded visit lists A among
    its guests (``schema:attendee``, not as a contributor): the graph says whose A is, and that A came before as a
    guest. When the item also names that institution (:func:`_of_body_naming`), A is read as its guest:
    asked with the host as affiliation, the matcher refuses A, and the drafter would mint a second A as host staff.
    """
    who = ctx.matcher.reconcile(p.name, type="person", limit=2)
    if not who or not who[0].match or who[0].iri in {e.iri for e in ctx.host_people}:
        return []
    known = who[0].entity
    theirs = [iri for iri in known.props.get("schema:affiliation", []) if iri != ctx.host]
    if not theirs:
        return []
    for visit in known.props.get("visits", []):
        record = ctx.matcher.by_iri(visit)
        if record is not None and known.iri in record.props.get("schema:attendee", []):
            return theirs
    return []


def _of_body_naming(
    text: str, theirs: list[str], ctx: DraftContext, start: int = 0, end: int | None = None
) -> OrgMention | None:
    """Return one of a person's recorded institutions (`theirs`) as `text` names it between `start` and `end` ("the
    delegation of the X … led by A"), else None: the first "of the X" whose matcher candidates include one of them
    with a name score of at least :data:`MAYBE_SCORE`, as :func:`_vouched_bodies` asks; that body is then reused."""
    for m in _OF_BODY.finditer(text, start, len(text) if end is None else end) if theirs else ():
        cands = ctx.matcher.reconcile(m.group(1), type="organization", limit=5)
        if any(c.iri in theirs and _name_score(c) >= MAYBE_SCORE for c in cands):
            return parse_org(m.group(1))
    return None


def _known_staff_of_guests(
    text: str, found: VisitFindings, bodies: dict[str, OrgMention], ctx: DraftContext
) -> list[PersonMention]:
    """Return the people the graph records as staff of a known visiting body (:func:`_recorded_body`), named
    anywhere in an item whose words read no guest (decision 0071).

    "A delegation of the X came to Baku … It was led by A, head of …, accompanied by B": the words name the body
    but no one in a guest's slot. A person the matcher reuses on the name alone whose record gives as affiliation
    a body the item's guests come from (a known one, reused) is one of its delegation: the graph says who they
    belong to, the item says that body came. Only when no guest was read at all, so a known colleague named in
    passing beside the guests read ("… presented a book by their director X") is not added; never a host, never
    someone the words keep out ("named after X", "the anniversary of X").
    """
    if not bodies:
        return []
    taken = {fold(p.name) for p in found.hosts + found.visitors} | {fold(name) for name, _ in found.not_guests}
    out: list[PersonMention] = []
    for p in find_people(text):
        body = _recorded_body(p.name, bodies, ctx) if fold(p.name) not in taken else None
        if body is not None:
            taken.add(fold(p.name))
            p.org = body
            out.append(p)
    return out


def _earlier_companions(
    text: str, found: VisitFindings, bodies: dict[str, OrgMention], ctx: DraftContext
) -> list[PersonMention]:
    """Return the people the graph records as having come to the host before together with a known body that came
    now, named in an item whose words read no guest (decision 0073).

    "A delegation of the X visited … It was headed by A, … and included B, coordinator of the Y": the words name the
    body but no one in a guest's slot; A is X's recorded staff (:func:`_known_staff_of_guests`), B is of another body
    but came with X's delegation before — a recorded visit of B's lists X or X's staff among its guests. The matcher
    must reuse B on the name alone, B is not the host's staff, and B is not named as whose work or subject something
    is (:data:`_WORK_OF_BEFORE`); B's own institution is the recorded one the sentence names after B, if any.
    """
    if not bodies:
        return []
    taken = {fold(p.name) for p in found.hosts + found.visitors} | {fold(name) for name, _ in found.not_guests}
    return _known_people_named(text, taken, ctx, lambda known: _came_with(known, bodies, ctx))


def _came_with(person: Entity, bodies: dict[str, OrgMention], ctx: DraftContext) -> bool:
    """Say whether a recorded visit of `person` lists one of `bodies`, or someone recorded at one, among its guests."""
    for visit in person.props.get("visits", []):
        known = ctx.matcher.by_iri(visit)
        for iri in known.props.get("schema:attendee", []) if known is not None else []:
            other = ctx.matcher.by_iri(iri) if iri != person.iri else None
            if iri in bodies or (other is not None and set(other.props.get("schema:affiliation", [])) & set(bodies)):
                return True
    return False


def _known_hosts_are_hosts(
    visitors: list[PersonMention], hosts: list[PersonMention], ctx: DraftContext, text: str = ""
) -> None:
    """Move to the hosts a person read as a guest whom the matcher reuses as the host's own staff (the graph gives
    their affiliation as the host): "Presidential Library director Mayil Əhmədov received X" spells the known
    director otherwise than his labels, so the words alone did not know him. No one visits their own library.

    A guest joined to such a person by "and" (and a title in lower case) as the subject of a receiving verb is the
    host's too (decision 0069): "Director … Mayıl Əhmədov and head of the … department Tural Hüseynli received …".
    A person read as host staff "who headed a delegation" (not one said to go "to" somewhere) is a guest, unless the
    matcher reuses them as the host's recorded staff: "… Rūta Jankauskienė, who headed a delegation of the library".
    """
    staff = {e.iri for e in ctx.host_people}

    def known_staff(p: PersonMention) -> bool:
        found = ctx.matcher.reconcile(p.name, type="person", limit=2)
        return bool(found) and found[0].match and found[0].iri in staff

    for p in list(visitors):
        if known_staff(p):
            visitors.remove(p)
            p.host, p.org = True, None
            hosts.append(p)
    for p in list(hosts):  # "X, who headed a delegation …": a delegation's head is a guest, unless the graph knows X
        after = text[p.start + len(p.name) : p.start + len(p.name) + 120]
        if _HEADED_DELEGATION.match(after) and not known_staff(p):
            hosts.remove(p)
            p.host = False
            visitors.append(p)
    for p in [h for h in hosts if known_staff(h)]:
        end = p.start + len(p.name)
        for q in list(visitors):
            between = text[end : q.start] if q.start > end else ""
            after = text[q.start + len(q.name) : q.start + len(q.name) + 40]
            if _CO_HOST.fullmatch(between) and _RECEIVES.match(after):
                visitors.remove(q)
                q.host, q.org = True, None
                hosts.append(q)


#: A relative clause after a name saying its bearer headed a delegation that is not said to go elsewhere ("to").
_HEADED_DELEGATION = re.compile(
    r",\s+who\s+(?:headed|led)\s+(?:a|the)\s+(?:[\w-]+\s+){0,2}delegation\b(?![^,;.]{0,60}?\s+to\s)"
)
#: What joins a known host to a second subject: "and", then at most eight words in lower case (a title).
_CO_HOST = re.compile(r"\s+and\s+(?:[a-z][\w’'-]*\s+){0,8}")
#: A receiving verb right after the second subject's name (not "met with": a guest meets too).
_RECEIVES = re.compile(r",?\s+(?:received|welcomed|greeted|hosted)\b")


#: Name words between a known body's label and a person's name as read: the person's (at most two).
_NAME_WORDS_AFTER = re.compile(r"\s+((?:[^\W\d_][\w’'-]*\s+){1,2})$")


def _known_body_ends_before(text: str, p: PersonMention, ctx: DraftContext) -> None:
    """Bound a person's name by a known institution's label spelt in full right before it.

    The rules end an institution's name by its words; where the text spells a known body's label, the graph knows
    where that name ends. Name words between the label's end and the name as read are the person's ("… of the
    Library of the X – the Leader of the Nation Aigerim Nurlanovna Zhaksylykova": the label ends at "Nation", so
    "Aigerim" is hers; at most two words move, only name words right before the name); a name as read that begins
    inside the label starts after it ("… of the Chief Directorate of Libraries and Broadcasting Zeynep Arslan": not
    "Broadcasting Zeynep Arslan"), when two words or more are left. The person's institution is then the known body.
    """
    end = p.start + len(p.name)
    for label in ctx.org_labels:
        at = text.rfind(label, max(0, p.start - 400), end)
        inside = at + len(label) - p.start if at >= 0 and len(label) > 3 else 0
        rest = text[p.start + inside : end].strip() if 0 < inside < len(p.name) and at < p.start else ""
        if len(rest.split()) >= 2 and text[p.start + inside : p.start + inside + 1] == " ":
            p.name, p.start = rest, end - len(rest)
            if p.org is None or not fold(p.org.name).startswith(fold(label)):
                p.org = parse_org(label)
            return
    window = text[max(0, p.start - 400) : p.start]
    for label in ctx.org_labels:
        at = window.rfind(label)
        gap = _NAME_WORDS_AFTER.fullmatch(window, at + len(label)) if at >= 0 and len(label) > 3 else None
        if gap is None or not all(is_name_word(w) for w in gap.group(1).split()):
            continue
        moved = " ".join(gap.group(1).split())
        if p.org is not None and not fold(p.org.name).endswith(fold(moved)):
            continue  # the institution as read is another one: it did not take these words
        p.name, p.start = f"{moved} {p.name}", p.start - len(gap.group(1))
        p.org = parse_org(label)
        return


def _short_forms(name: str) -> set[str]:
    """Return the folded abbreviations a name carries: a capitalised word leading it or in its brackets, and the
    initials of its words and of its bracketed expansion ("ALA (American Library Association)": ala)."""
    out = set(acronyms(name))
    for m in re.finditer(r"^([^\W\d_]{2,10})\s*\(|\(([^\W\d_]{2,10})(?:\)|[,;]\s)", name):  # "(VGBIL, the …)"
        word = m.group(1) or m.group(2)
        if word.isupper():
            out.add(fold(word))
    for m in re.finditer(r"\(([^()]{4,200})\)", name):
        out |= acronyms(m.group(1))
    return out


#: An abbreviation in capitals, the form a body's name is shortened to in brackets ("CENL", "TÜRKSOY").
_SHORT = r"[^\W\d_a-zà-ÿ]{2,10}"
_SHORT_FIRST = re.compile(rf"(?P<short>{_SHORT})\s*\((?P<full>[^()]{{4,200}})\)")
_SHORT_AFTER = re.compile(rf"(?P<full>[^()]{{4,200}}?)\s*\((?P<short>{_SHORT})\)")
_OWN_LANGUAGE_AFTER = re.compile(r"(?P<full>[^()]{4,200}?)\s*\((?P<own>[^\W\d_a-z][^()]{3,199})\)")  # a name: a capital


def full_and_short(name: str) -> tuple[str, str | None]:
    """Split a body's name written with its abbreviation in brackets into (full name, abbreviation).

    Either order: the abbreviation first with the name in brackets when the bracket names an institution or the
    abbreviation is its initials; the name first with the abbreviation (one word in capitals: its initials, or of
    three letters or more after an institution's name, "TÜRKSOY", "TKD"; not "(UK)") in brackets. A new body
    is minted under its full name, the abbreviation kept as its other name (issue 16: the names the text states).

    >>> full_and_short("CENL (Conference of European National Libraries)")
    ('Conference of European National Libraries', 'CENL')
    >>> full_and_short("National Library and Archives of Iran (NLAI)"), full_and_short("Diet Library (Tokyo)")
    (('National Library and Archives of Iran', 'NLAI'), ('Diet Library (Tokyo)', None))
    >>> full_and_short("KITAB (the Publishing House)"), full_and_short("British Library (UK)")
    (('KITAB (the Publishing House)', None), ('British Library (UK)', None))
    """
    first = _SHORT_FIRST.fullmatch(name.strip())
    if first is not None and (not first.group("short").isupper() or place_code(first.group("short"))):
        return name, None
    if first is not None:
        full, short = first.group("full").strip(), first.group("short")
        if (fold(short) in acronyms(full) or institution_head(full) is not None) and is_cap(full):
            return full, short
        return name, None
    own = _OWN_LANGUAGE_AFTER.fullmatch(name.strip())
    if (
        own is not None
        and institution_head(own.group("full")) is not None
        and any(foreign_head(w) for w in own.group("own").split())
    ):  # "National Library of France (Bibliothèque nationale de France)": the name in its own language, its other name
        return own.group("full").strip(), own.group("own").strip()
    if (
        own is not None
        and any(foreign_head(w) for w in own.group("full").split())
        and institution_head(own.group("own")) is not None
        and not any(foreign_head(w) for w in own.group("own").split())
    ):  # "Biblioteca Nazionale Centrale di Firenze (National Central Library of Florence)": the English one is other
        return own.group("full").strip(), own.group("own").strip()
    after = _SHORT_AFTER.fullmatch(name.strip())
    if after is None or not after.group("short").isupper() or place_code(after.group("short")) is not None:
        return name, None
    initials = fold(after.group("short")) in acronyms(after.group("full"))
    if initials or (len(after.group("short")) >= 3 and institution_head(after.group("full")) is not None):
        return after.group("full").strip(), after.group("short")
    return name, None


def _forms(e: Entry) -> list[str]:
    """An entry's name and the other names the draft gives it."""
    return [e.name] + [v.strip('"') for p, v, _ in e.props if p == "schema:alternateName"]


def _abbreviates(short: str, full: str) -> bool:
    """Say whether `short` is an abbreviation `full` carries ("ALA" of "ALA (American Library Association)")."""
    word = short.strip()
    return bool(re.fullmatch(r"[^\W\d_]{2,10}", word)) and word.isupper() and fold(word) in _short_forms(full)


def _two_known_bodies(ctx: DraftContext, name: str) -> tuple[str, str] | None:
    """Split "A and B" where the matcher flags A and B each as a known institution, and not the same one.

    Asked of the matcher, not of a list of names: "Museum of History and Art" stays one body (no known "Art"),
    and so does a name whose halves are one known body (two of its words on either side of "and").
    No country is asked: the one read from the joined name's end is its last half's.
    """
    words = name[:400]
    for m in list(re.finditer(r" and ", words))[:3]:
        a, b = words[: m.start()].strip(" ,"), re.sub(r"^the\s+", "", words[m.end() :].strip(" ,"))
        if institution_head(a) is None and not re.search(r"\b[A-Z]{2,}\b", a):
            continue
        left = _reconcile(ctx, a, "organization", [])
        right = _reconcile(ctx, b, "organization", []) if left is not None and left.match else None
        if left is not None and right is not None and left.match and right.match and left.iri != right.iri:
            return a, b
    return None


#: A body "named after" someone, then "of (the)" the body it belongs to: "Institute of Manuscripts named after Muhammad
#: Fuzuli of the Azerbaijan National Academy of Sciences".
_EPONYM_THEN_PARENT = re.compile(
    r"(?P<head>.+?\bnamed\s+after\s+(?:[A-ZÀ-ÖØ-Þ][\w’'-]*\.?\s+){0,3}[A-ZÀ-ÖØ-Þ][\w’'-]+)\s+of\s+(?:the\s+)?(?P<tail>[A-Z].+)"
)


def _eponym_ends_name(o: OrgMention) -> None:
    """End a body's name at its eponym when the body it belongs to follows ("Institute of Manuscripts named after
    Muhammad Fuzuli of the Azerbaijan National Academy of Sciences" is the institute "… named after Muhammad Fuzuli",
    a part of the Academy, as every evaluation set names it); the parent is kept as the parent."""
    m = _EPONYM_THEN_PARENT.fullmatch(o.name)
    if m is None or institution_head(m.group("tail")) is None:
        return
    if o.parent is None:
        o.parent = parse_org(m.group("tail"))
    elif fold(o.parent.name) != fold(m.group("tail")):
        return
    o.name = m.group("head")


def _org_entry(
    o: OrgMention, ctx: DraftContext, draft: Draft, orgs: dict[str, Entry], sole: bool = False
) -> Entry | None:
    """Return the entry of an organisation: a known one reused, else a new one, or None when the words name
    no institution to mint (no institution head noun: a title's end, a place, an event, a part of a body),
    unless it is all the item names (`sole`), and then with a check mark."""
    _eponym_ends_name(o)
    key = fold(o.name)
    if key in orgs:
        return orgs[key]
    same = next(
        (e for e in orgs.values() for n in _forms(e) if _abbreviates(o.name, n) or _abbreviates(n, o.name)), None
    ) or next((e for n, e in draft.written_orgs.items() if _abbreviates(o.name, n)), None)
    if same is not None:  # "ALA" after "ALA (American Library Association)": the body named before
        return same
    if o.unclaimed is not None:  # named, but nothing says a guest belongs to it: not the visit's, known or not
        draft.notes.append(
            f'"{o.name}" is named but was not drafted as an institution of the visit ({o.unclaimed}): '
            "add it if a guest belongs to it"
        )
        return None
    parent = _org_entry(o.parent, ctx, draft, orgs) if o.parent is not None else None
    props = [("country", o.country)] if o.country else []
    best = _reconcile(ctx, o.name, "organization", props)
    library = _library_of(best, ctx) if o.library_of and best is not None and best.match else None
    if library is not None:  # "the library of X University": X's one known library
        note = f'reused {vocab.shorten(library.iri, ctx.base)} "{library.name}" for "the library of {o.name}"'
        entry = Entry(library.iri, "organization", library.name, False, note)
    elif best is not None and best.match:
        entry = Entry(best.iri, "organization", best.name, False, _reuse_check(best, o.name, ctx))
    elif key in draft.vouched:  # a known person's own institution, named with other words
        vouch, person = draft.vouched[key]
        note = (
            f'reused {vocab.shorten(vouch.iri, ctx.base)} "{vouch.name}" for "{o.name}" (name score '
            f"{_name_score(vouch):g}): the institution of the known {person}, named with it"
        )
        entry = Entry(vouch.iri, "organization", vouch.name, False, note)
    elif (restated := _restated_after_dash(ctx, o.name, draft.item.text)) is not None:
        # "the X Library – the Library of the First President of Y – …": the name the graph knows, after a dash
        note = (
            f'reused {vocab.shorten(restated.iri, ctx.base)} "{restated.name}" for "{o.name}": the text restates '
            "it after a dash under a name the graph knows"
        )
        entry = Entry(restated.iri, "organization", restated.name, False, note)
    elif ("organization", key) in ctx.minted:
        entry = _earlier(ctx.minted[("organization", key)])
    elif (halves := _two_known_bodies(ctx, o.name)) is not None:
        # "the delegation of the X Library and Y Books": two known bodies the matcher flags each, not a third one
        entries = [_org_entry(OrgMention(h, reuse_only=True), ctx, draft, orgs) for h in halves]
        if entries[0] is not None:
            orgs[key] = entries[0]
        return entries[0]
    elif bare_head(o.name) is None and (known := _known_in_other_words(ctx, o.name, draft.item.text, best)) is not None:
        candidate, certain, differ = known
        if not certain:  # a known body is the likely referent: name it for the librarian rather than mint a second one
            note = (
                f'"{o.name}" was not drafted as a new institution: it may be {vocab.shorten(candidate.iri, ctx.base)} '
                f'"{candidate.name}", named here with other words ({", ".join(differ)}): use that IRI if it is, '
                "else add it as new"
            )
            if note not in draft.notes:
                draft.notes.append(note)
            return None
        reused = _reuse_check(candidate, o.name, ctx)
        entry = Entry(
            candidate.iri, "organization", candidate.name, False, reused and f"{reused}: the same distinguishing words"
        )
    elif o.reuse_only or ((institution_head(o.name) is None and not o.firm or bare_part(o.name)) and not sole):
        # nothing is minted from words that name no institution, or only a part of one ("Museum of the Book
        # Department"): better no organisation than a wrong one
        return None
    else:
        check = _maybe(best, o.name, ctx)
        if institution_head(o.name) is None and not o.firm:
            check = f'"{o.name}" does not read as an institution\'s name: name the institution, or delete it'
        if bare_head(o.name) is not None:  # "the staff of the Foundation": all the text says of them
            check = f'the text names no particular institution ("{o.name}"): name it, or delete it and say who came'
        written = own_name(o.name)  # "… of the Academy of Sciences (ANAS)": the acronym is the academy's
        written, short = full_and_short(written)  # "CENL (Conference of …)": the name, and its short form
        entry = Entry(ctx.mint("organization", _org_slug_label(written)), "organization", written, True, check)
        ctx.minted[("organization", key)] = entry
        types = ["schema:Organization"] + [
            t
            for w, t in (
                ("Library", "schema:Library"),
                ("Museum", "schema:Museum"),
                ("University", "schema:CollegeOrUniversity"),
            )
            if re.search(rf"\b{w}\b", o.name)
        ][:1]
        entry.props.append(("a", " , ".join(types), None if len(types) == 1 else "type guessed from the name"))
        entry.props.append(("schema:name", turtle_literal(written), None))
        if short is not None:
            entry.props.append(("schema:alternateName", turtle_literal(short), "the short form the text gives"))
        if o.country:
            entry.props.append(
                (
                    "schema:address",
                    f'[ a schema:PostalAddress ; schema:addressCountry "{o.country}" ]',
                    "country guessed from the text: keep it only if the text states or implies it",
                )
            )
        if parent is not None:
            entry.props.append(("schema:parentOrganization", curie(parent.iri, ctx.base), "parent as read"))
    orgs[key] = entry
    draft.written_orgs.setdefault(o.name, entry)
    draft.entries.setdefault(entry.iri, entry)
    if all(e.iri != entry.iri for e in draft.institutions):
        draft.institutions.append(entry)
    return entry


#: A spaced dash right after an institution's name, then what stands between it and the next dash or the clause's end.
_DASH_APPOSITION = re.compile(r"\s+[–—]\s+(?:the\s+)?([A-Z][^–—,;:.()]{7,200}?)\s*(?:[–—,;:.(]|$)")


def _restated_after_dash(ctx: DraftContext, written: str, text: str) -> Candidate | None:
    """Return the known institution the text names right after `written` between spaced dashes, else None.

    "A delegation of the X Library – the Library of the First President of Y – …" gives the body a second name in
    apposition, as brackets do ("Rudomino Library (the All-Russia State Library …)", :func:`_variants`). When the
    matcher flags that second name (held to the same terms as a name as written, :func:`_reconcile`), the body is
    the known one, whatever the first name is (decision 0071). A dash before a new clause or a list ("– the guests
    were shown …") names no known body, so reuses nothing.
    """
    at = text.find(written)
    m = _DASH_APPOSITION.match(text, at + len(written)) if at >= 0 else None
    if m is None:
        return None
    found = _reconcile(ctx, m.group(1).strip(), "organization", [])
    return found if found is not None and found.match else None


def _name_score(c: Candidate) -> float:
    return next((float(f.value) for f in c.features if f.id == "name"), 0.0)


def _vouched_bodies(
    people: list[PersonMention], named: list[OrgMention], ctx: DraftContext
) -> dict[str, tuple[Candidate, str]]:
    """Return the known bodies that known people vouch for, by the folded name of the institution as written.

    Two signals that agree ask the graph: a person the matcher reuses on the name alone (flagged) whose record
    gives an affiliation, and the institution the text names with them (theirs as read, or the one institution
    the item names when it gives them none), whose candidates (any of the matcher's five, by name only) include
    that affiliation with a name score of at least :data:`MAYBE_SCORE`. "Tatiana Polezhaeva and S. G., directors at
    the Margarita Rudomino All-Russia State Library" are the known Polejayeva of the known Rudomino library, named
    with other words (67.6). A known person now at another body is not misread: that body's name would not
    resemble their recorded one, and nothing is reused then.
    """
    out: dict[str, tuple[Candidate, str]] = {}
    sole = [o for o in named if not o.host][:2]
    for p in people:
        # the host's staff vouch for no guest's body: "Director of the library X" beside "the Library of the Y" is
        # the host's director, whose recorded body is the host, not the Y
        bodies = [p.org] if p.org is not None else sole if len(sole) == 1 and not p.host else []
        if not bodies or fold(bodies[0].name) in out:
            continue
        who = ctx.matcher.reconcile(p.name, type="person", limit=2)
        if not who or not who[0].match:
            continue
        theirs = set(who[0].entity.props.get("schema:affiliation", []))
        for query in _variants(bodies[0].name, "organization") if theirs else []:
            cands = ctx.matcher.reconcile(query, type="organization", limit=5)
            hit = next((c for c in cands if c.iri in theirs and _name_score(c) >= MAYBE_SCORE), None)
            hit = hit or _recorded_ties_best(query, theirs, cands, ctx)
            if hit is not None and hit.iri != ctx.host:
                out[fold(bodies[0].name)] = (hit, f'person "{who[0].name}"')
                break
    return out


def _recorded_ties_best(query: str, theirs: set[str], cands: list[Candidate], ctx: DraftContext) -> Candidate | None:
    """Return the person's recorded body when it scores, by name, at least :data:`MAYBE_SCORE` and no lower than the
    best candidate: "Ethniki Vivliothiki tis Ellados" is 61.7 for every "National Library of <country>", so the five
    best may leave out the one the known guest's record names; a body that scores higher than it is another one.
    The record's body is scored on its labels without the index's word weights, as :func:`_label_spelt_in` scores
    (with them the Greek example falls below the candidates; measured on dev27 in the session-21 review)."""
    keys = LabelKeys.of(query)
    best = max((_name_score(c) for c in cands), default=0.0)
    for iri in sorted(theirs):
        entity = ctx.matcher.by_iri(iri)
        if entity is None or entity.kind != "organization" or iri == ctx.host:
            continue
        score = max(name_score(keys, LabelKeys.of(label), "organization") for label in entity.labels or [entity.name])
        found = Candidate(entity, score, False, (Feature("name", "name", score),))
        if score >= MAYBE_SCORE and score >= best and not _kind_words_missing(query, found):
            return found  # and every kind word of the name is the record's ("National Academic Library" is not
            # "Library of the First President": a known guest now at another body)
    return None


def _known_in_other_words(
    ctx: DraftContext, written: str, text: str, best: Candidate | None
) -> tuple[Candidate, bool, list[str]] | None:
    """Return a known institution the written name may denote in other words, whether it is certainly that one, and
    the words in which they differ (:func:`known_under_other_words`); None when no candidate is so related.

    Certain only when the two agree on every distinguishing word and no other candidate does; the candidates are the
    matcher's (the same ranking as reuse), strong or not: the words decide, not the score. Where the item places the
    body ("the Egyptian Cultural Centre in Cairo": the words after the name, which the name as read leaves out) is
    compared with where a candidate's label places it.
    """
    at = text.find(written)
    placed = _PLACED.match(text, at + len(written)) if at >= 0 else None
    place = placed.group(1) if placed is not None else None
    cands = ctx.matcher.reconcile(written, type="organization", limit=5)
    if best is not None and all(c.iri != best.iri for c in cands):
        cands.insert(0, best)
    related = [
        (c, *found)
        for c in cands
        if (found := known_under_other_words(written, c.entity.labels or [c.name], place)) is not None
    ]
    if not related:
        return None
    same = [r for r in related if r[1]]
    if len(same) == 1:
        return same[0]
    first = related[0]
    return first[0], False, first[2] or ["another known body with the same words"]


def _library_of(whole: Candidate, ctx: DraftContext) -> Entity | None:
    """Return the one known library whose parent is `whole` ("the library of X University"), else None."""
    found = [
        e
        for e in ctx.matcher.entities.values()
        if e.kind == "organization"
        and whole.iri in e.props.get("schema:parentOrganization", [])
        and "http://schema.org/Library" in e.types
    ]
    return found[0] if len(found) == 1 else None


def _reuse_check(best: Candidate, written: str, ctx: DraftContext) -> str | None:
    """Say what was reused for a name the graph does not spell exactly that way (None when it does)."""
    if normalize(written) in {k.norm for k in best.entity.keys}:
        return None
    return f'reused {vocab.shorten(best.iri, ctx.base)} "{best.name}" for "{written}" (score {best.score:g})'


def _earlier(entry: Entry) -> Entry:
    """Refer to a resource an earlier item of the same input introduced (described in that draft)."""
    return Entry(entry.iri, entry.kind, entry.name, False, "new in an earlier draft of this input, described there")


def _variants(name: str, kind: str) -> list[str]:
    """Return the forms to look a name up by: as written, its acronym "(IFLA)", "X" for "Library of the X"."""
    out = [name]
    if kind == "organization":
        acronym = re.search(r"\(([A-Z]{2,})\)", name) or re.match(r"([A-Z]{2,})\s*\(", name)
        if acronym:
            out.append(acronym.group(1))
        expanded = re.fullmatch(r"(.{3,}?)\s*\([A-Z]{2,}\)|[A-Z]{2,}\s*\(([^()]{3,})\)", name.strip())
        if expanded:  # "X (ABC)" and "ABC (X)": the expansion alone
            out.append((expanded.group(1) or expanded.group(2)).strip())
        named = re.fullmatch(r"(.{3,}?)\s*\((?:the\s+)?([^()]{8,})\)", name.strip())
        if named and not expanded:  # "Rudomino Library (the All-Russia State Library … )": either name
            out += [named.group(1).strip(), named.group(2).strip()]
            placed = re.fullmatch(r"(.{3,}?),\s+([A-Z][\w'’ -]{2,40})", named.group(2).strip())
            if placed and place_code(placed.group(2)):  # "(Library of Alexandria, Egypt)": the name, its place
                out.append(placed.group(1))
        m = re.match(r"^(?:Library|Centre|Center|Museum)\s+of\s+the\s+(.+)$", name) or _UNIT_OF.match(name)
        if m:  # "Manuscripts Center of the Bibliotheca Alexandrina": a unit of a body the graph knows by that name
            out.append(m.group(1))
        located = re.match(r"^(.{3,}?)\s+in\s+(?:the\s+)?[A-Z]", name)
        if located:  # "Belarusian Presidential Library in the Palace of Independence": the name before "in"
            out.append(located.group(1))
        capital = re.fullmatch(r"((?:the\s+)?National\s+[^()]{3,80}?)\s+in\s+([A-Z][\w-]+)", name.strip())
        code = place_code(capital.group(2)) if capital else None
        if capital and code:  # "National Museum in Prague": a national institution in the capital is the country's
            out.append(f"{capital.group(1)} of {display_name(code)}")
        whole = whole_of(name)
        if whole is not None:  # "Chief Directorate … of the Ministry of …": the part's own name
            out.append(re.sub(r"\s+of\s+the\s+$", "", name[:whole]))
        dashed = _DASHED.match(name) if len(name) <= 300 else None
        if dashed:  # "Library of the First President of X – Elbasy": the name before an epithet after a dash
            out.append(dashed.group(1))
        generic = re.fullmatch(r"(.+?[A-Z][^\s]*)((?:\s+[a-z][\w-]*){1,2})", name)
        if generic:  # "Sputnik Azerbaijan news agency": the name without its lower-case kind
            out.append(generic.group(1))
    return out


#: A unit named by up to three capitalised words and a unit word, "of the" a body: "Manuscripts Center of the X",
#: "Oriental Literature Centre of the X". The body alone is looked up, and must equal a known label (decision 0066).
_UNIT_OF = re.compile(
    r"^(?:(?:[A-Z][\w'’-]*\s+){1,3}(?:Centre|Center|Department|Division|Sector|Section|Unit|Branch|Laboratory|Office|"
    r"Museum|Archives?)|(?:Museum|Archives?)\s+of\s+[A-Z][\w'’-]*(?:\s+(?:and\s+)?[A-Z][\w'’-]*){0,2})"  # "Museum of Books"
    r"\s+of\s+the\s+([A-Z].{1,200})$"
)
#: An acronym, then one or two words in lower case that are no name ("RSL for library", decision 0069).
_ACRONYM_THEN_LOWER = re.compile(r"[A-Z]{2,6}(?:\s+[a-z][\w-]*){1,2}")
#: A name, then an epithet after a spaced dash ("… of Kazakhstan – the Leader of the Nation", "… – Elbasy").
_DASHED = re.compile(r"(.{12,}?)\s+[–—-]\s+\S.{0,80}$")


def _before_dash_of(query: str, top: Candidate) -> bool:
    """Say whether `query` is, word for word, what one of the candidate's labels says before its epithet's dash.

    An institution known as "X – the Leader of the Nation" written "X – Elbasy" (the epithet translated) is X.
    """
    want = fold(query)
    return any(
        len(label) <= 300 and (m := _DASHED.match(label)) is not None and fold(m.group(1)) == want
        for label in top.entity.labels or [top.entity.name]
    )


def _reconcile(ctx: DraftContext, name: str, kind: str, props: list[tuple[str, Any]]) -> Candidate | None:
    """Return the best candidate; it keeps ``match`` only when the name alone is strong enough to reuse.

    The same matcher as the reconciliation service (one normalisation, one calibrated flag); a
    property (affiliation, country) may separate namesakes but never carries a weak name.
    Also looked up: the acronym in "OCLC (Online …)" / "(IFLA)", and "X" for "Library of the X",
    which must then equal a label; "X" for "<unit> Center of the X" is X's whole name, held to the usual threshold.
    """
    best: Candidate | None = None
    unit = _UNIT_OF.match(name) if kind == "organization" else None
    for i, query in enumerate(_variants(name, kind)):
        if i > 0 and place_code(query) is not None:
            continue  # "State Archives of the Republic of Türkiye": the country it is of, no body it is part of
        cands = ctx.matcher.reconcile(query, type=kind, properties=props, limit=2)
        if not cands:
            continue
        top = cands[0]
        score = next((float(f.value) for f in top.features if f.id == "name"), 0.0)
        # a variant, or a name of kind words only ("the Central Library"), must equal a label
        written = i == 0 or (unit is not None and query == unit.group(1))  # the body's whole name, as written
        close = score >= (EXACT if not written or (kind == "organization" and bare_head(query)) else MATCH_THRESHOLD)
        if kind == "organization" and i > 0 and top.match and _ACRONYM_THEN_LOWER.fullmatch(name) and query.isupper():
            close = True  # "RSL for library": an acronym the matcher itself flags, then words in lower case
        if kind == "organization" and i > 0 and _before_dash_of(query, top):
            close, top = True, Candidate(top.entity, top.score, True, top.features)  # the same name, another epithet
        if kind == "organization" and score < EXACT and _kind_words_missing(query, top):
            close = False  # "National Library of X" is not "Library of the First President of X"
        flagged = top.match or (score >= PART_OF_SCORE and len(cands) > 1 and _part_of(cands[1], top))
        top = Candidate(top.entity, top.score, flagged and close, top.features)
        if best is None or (top.match and not best.match):
            best = top
    return best


#: Words that say what kind of institution a name is ("National", "State", "Ministry", …): a name not spelt
#: exactly like a label is reused only when the candidate's labels have each of these words of the name.
KIND_WORDS = frozenset(
    org_tokens(
        " ".join(sorted(ORG_HEADS - FORM_WORDS))
        + " national state presidential central city regional republican public scientific municipal district"
        + " provincial academic youth children military medical technical pedagogical agrarian royal"
    )
)


def _kind_words_missing(name: str, top: Candidate) -> bool:
    """Say whether `name` has a kind word ("National", "Ministry") that none of the candidate's labels has.

    >>> from visitgraph.linking.entities import Entity
    >>> label = "Library of the First President of Kazakhstan"
    >>> kz = Entity("https://example.org/organization/kz", "organization/kz", "organization", label, [label])
    >>> c = Candidate(kz, 87.0, True, [])
    >>> _kind_words_missing("National Library of Kazakhstan", c), _kind_words_missing("Library of Kazakhstan", c)
    (True, False)
    """
    wanted = {t for t in org_tokens(name) if t in KIND_WORDS}
    have = {t for label in top.entity.labels or [top.entity.name] for t in org_tokens(label)}
    return bool(wanted - have)


def _part_of(runner_up: Candidate, top: Candidate) -> bool:
    """Say whether the runner-up is a part of the top candidate (a university's library for the university).

    The matcher leaves a strong top candidate unflagged when the runner-up is close; when the
    runner-up is the top's own sub-organisation, a name this close to the top's names the whole.
    """
    return top.iri in runner_up.entity.props.get("schema:parentOrganization", [])


def _org_slug_label(name: str) -> str:
    core = re.split(r"\s+named after\s+|\s*\(", name)[0]
    return re.sub(r"^(?:the)\s+", "", core, flags=re.I)


def _maybe(best: Candidate | None, written: str, ctx: DraftContext) -> str | None:
    """Point a reviewer at a known resource whose name is close to a new one's (whatever the properties say)."""
    name = next((float(f.value) for f in best.features if f.id == "name"), 0.0) if best is not None else 0.0
    if best is None or name < MAYBE_SCORE:
        return None
    return (
        f'new; maybe the same as {vocab.shorten(best.iri, ctx.base)} "{best.name}" '
        f"(name score {name:g}): if so, use that IRI and delete this description"
    )


def _known_by_sound(p: PersonMention, ctx: DraftContext, props: list[tuple[str, Any]]) -> Entity | None:
    """Return the one known person a name the matcher finds no candidate for sounds like, else None (decision 0069).

    "Qrem Uilson" and "Jerar Kardonn" are "Graham Wilson" and "Gerard Cardonne" written by ear (in Azerbaijani and
    back): no word is close in letters, so the matcher offers nothing, but both words have the known name's consonant
    skeleton (:func:`sounds_alike`). Reused only when exactly one known person sounds so and their recorded
    affiliation does not disagree with the one the text gives; a name the matcher does see is left to it.
    """
    return _one_known_like(p, ctx, props, sounds_alike)


def _known_clipped(p: PersonMention, ctx: DraftContext, props: list[tuple[str, Any]]) -> Entity | None:
    """Return the one known person a name the matcher finds no candidate for is with its given name clipped, else
    None (decision 0071): "Len Kniffel" is the known "Leonard Kniffel" (:func:`clipped_given`), under the same terms
    as a name written by ear (:func:`_known_by_sound`)."""
    return _one_known_like(p, ctx, props, clipped_given)


def _known_after_a_word(p: PersonMention, ctx: DraftContext, props: list[tuple[str, Any]]) -> Entity | None:
    """Return the known person a three-word name is without its first word, when the matcher flags that two-word
    name and the person's recorded affiliation is the institution the text gives them ("… the Republic of Kazakhstan
    – Elbasy Amerkhan Rakhimzhanov": the last word of the library's name, then the known director); else None."""
    words = p.name.split()
    said = next((v for k, v in props if k == "affiliation"), None)
    if len(words) != 3 or said is None or said == ctx.host:
        return None
    found = ctx.matcher.reconcile(" ".join(words[1:]), type="person", limit=2)
    if not found or not found[0].match or said not in found[0].entity.props.get("schema:affiliation", []):
        return None
    return found[0].entity


_WORD_BEFORE_REASON = "the known person of that institution, the word before the name read as part of it; check it"


def _one_known_like(
    p: PersonMention,
    ctx: DraftContext,
    props: list[tuple[str, Any]],
    alike: Callable[[tuple[str, ...], tuple[str, ...]], bool],
) -> Entity | None:
    """Return the one known person one of whose labels the two-word name is `alike`, and whose recorded
    affiliation does not disagree with the one the text gives; None when none or several fit."""
    words = tuple(fold(p.name).split())
    if len(words) != 2:
        return None
    said = next((v for k, v in props if k == "affiliation"), None)
    fits = {
        e.iri: e
        for e in ctx.matcher.entities.values()
        if e.kind == "person"
        and any(alike(words, tuple(fold(label).split())) for label in e.labels or [e.name])
        and (said is None or not e.props.get("schema:affiliation") or said in e.props["schema:affiliation"])
    }
    return next(iter(fits.values())) if len(fits) == 1 else None


_SOUND_REASON = "the only known person whose name sounds so, spelt by ear; check it is the same person"
_CLIPPED_REASON = (
    "the only known person with this family name and a given name it shortens; check it is the same person"
)
_PARTS_REASON = "the only known person whose name has these words in this order; check it is the same person"


def _known_by_name_parts(p: PersonMention, ctx: DraftContext) -> Entity | None:
    """Return the one known person a shortened name can only be, else None (decision 0041, seventh set).

    Two forms, each reused only when exactly one known person fits (two fits, or none, mint a new person):
    a surname after an honorific and nothing else ("Dr. Katz": the last word of one known name), and a name
    of three or more words that is the beginning of a longer known name ("Amir Ali Sardari" for "Amir Ali
    Sardari Iravani"). A different first name, or a word the known name lacks, never fits.
    """
    words = fold(p.name).split()
    if not words or (len(words) == 1 and not p.honorific) or len(words) == 2:
        return None
    fits = _known_people_whose_label(
        ctx,
        lambda known: (
            (len(words) == 1 and len(known) >= 2 and known[-1] == words[0])
            or (len(words) >= 3 and len(known) > len(words) and known[: len(words)] == words)
        ),
    )
    return fits[0] if len(fits) == 1 else None


def _known_people_whose_label(ctx: DraftContext, fits: Callable[[list[str]], bool]) -> list[Entity]:
    """Return the known people one of whose names, folded and split into words, `fits`."""
    return [
        e
        for e in ctx.matcher.entities.values()
        if e.kind == "person" and any(fits(fold(label).split()) for label in e.labels or [e.name])
    ]


_INITIALS_REASON = "the one known person of that surname and initial, at the institution the text names"


def _known_by_initials(p: PersonMention, ctx: DraftContext, org: Entry | None) -> Entity | None:
    """Return the one known person an initialled name at its first mention can only be ("Rector of Bilecik Şeyh
    Edebali University Prof. Dr. M. Serin": Mustafa Serin, whose library is the university's), else None.

    The initials must begin the known given names and the surname be the same; the institution the text gives must
    be the known person's, or its parent or part; with no institution named, or two people who fit, nothing is reused.
    """
    words = fold(p.name.replace(".", ". ")).split()
    if len(words) < 2 or any(len(w) > 1 for w in words[:-1]) or org is None or org.new:
        return None
    fits = _known_people_whose_label(
        ctx,
        lambda known: (
            len(known) >= len(words)
            and known[-1] == words[-1]
            and all(k.startswith(w) for k, w in zip(known, words[:-1], strict=False))
        ),
    )
    if len(fits) != 1:
        return None
    related = {org.iri}
    whole = ctx.matcher.entities.get(org.iri)
    related.update(whole.props.get("schema:parentOrganization", []) if whole is not None else [])
    related.update(
        e.iri
        for e in ctx.matcher.entities.values()
        if e.kind == "organization" and org.iri in e.props.get("schema:parentOrganization", [])
    )
    return fits[0] if related & set(fits[0].props.get("schema:affiliation", [])) else None


def _person_entry(
    p: PersonMention, ctx: DraftContext, draft: Draft, orgs: dict[str, Entry], host: bool = False
) -> Entry | None:
    """Return the entry of a person: a known one reused, else a new one, or None when the words do not look like
    a personal name (:func:`refuse_person`; a ``# check:`` note says what was left out)."""
    org = orgs.get(fold(p.org.name)) if p.org is not None else None
    if p.org is not None and org is None:
        org = _org_entry(p.org, ctx, draft, orgs)
    if p.org is None and p.edits:  # "editor-in-chief of Sputnik Azerbaijan": a known organisation, or none
        org = _org_entry(OrgMention(p.edits, reuse_only=True), ctx, draft, orgs)
    props: list[tuple[str, Any]] = [("affiliation", org.iri if org else ctx.host)] if (org or host) else []
    best = _reconcile(ctx, p.name, "person", props)
    if best is None or not best.match:
        known, reason = _known_by_name_parts(p, ctx), _PARTS_REASON
        if known is None and best is None:
            known, reason = _known_by_sound(p, ctx, props), _SOUND_REASON
        if known is None and best is None:
            known, reason = _known_clipped(p, ctx, props), _CLIPPED_REASON
        if known is None:
            known, reason = _known_after_a_word(p, ctx, props), _WORD_BEFORE_REASON
        if known is None:
            known, reason = _known_by_initials(p, ctx, org), _INITIALS_REASON
        if known is not None:
            note = f'reused {vocab.shorten(known.iri, ctx.base)} "{known.name}" for "{p.name}" ({reason})'
            entry = Entry(known.iri, "person", known.name, False, note)
            draft.entries.setdefault(entry.iri, entry)
            return entry
    if best is not None and best.match:
        entry = Entry(best.iri, "person", best.name, False, _reuse_check(best, p.name, ctx))
        draft.entries.setdefault(entry.iri, entry)
        return entry
    if ("person", fold(p.name)) in ctx.minted:
        entry = _earlier(ctx.minted[("person", fold(p.name))])
        draft.entries.setdefault(entry.iri, entry)
        return entry
    refused = refuse_person(p.name, ctx.name_words, honorific=bool(p.honorific))
    variant = _spelt_otherwise(ctx, p.name, props) if refused is None else None
    if variant is not None:  # a known person is the likely referent: name them rather than mint a second one
        refused = f'it may be {vocab.shorten(variant.iri, ctx.base)} "{variant.name}" with the name spelt otherwise'
    if refused is None and p.bracketed:
        refused = "in brackets after other words: their place or another form, not a guest named on their own"
    if refused is not None:
        role = "host" if host else "visitor"
        draft.notes.append(
            f'"{p.name}" may be a {role} but was not drafted as a new person ({refused}): add them if so'
        )
        return None
    entry = Entry(ctx.mint("person", p.name), "person", p.name, True, _maybe(best, p.name, ctx))
    ctx.minted[("person", fold(p.name))] = entry
    entry.props.append(("a", "schema:Person", None))
    entry.props.append(("schema:name", turtle_literal(p.name), None))
    for alt in p.alternate_names:
        entry.props.append(("schema:alternateName", turtle_literal(alt), "another form of the name in the text"))
    if p.honorific:
        entry.props.append(("schema:honorificPrefix", turtle_literal(p.honorific), None))
    inherited = "shared with the person named before in the list" if p.inherited else None
    if p.job_title:
        entry.props.append(("schema:jobTitle", turtle_literal(p.job_title), inherited or "job title as read"))
    if p.description:
        entry.props.append(("schema:description", turtle_literal(p.description), "description as read"))
    if org is not None or host:
        target = org.iri if org is not None else ctx.host
        entry.props.append(("schema:affiliation", curie(target, ctx.base), inherited or "affiliation as read"))
    draft.entries.setdefault(entry.iri, entry)
    return entry


def _spelt_otherwise(ctx: DraftContext, written: str, props: list[tuple[str, Any]]) -> Candidate | None:
    """Return the known person whose name the written one may be spelt otherwise (:func:`spelt_otherwise`), if one.

    The matcher's candidates with the item's properties: one whose affiliation disagrees with the text's is another
    person (a namesake), and two that fit leave it to the librarian too (the first is named).
    """
    query = person_tokens(written)
    for c in ctx.matcher.reconcile(written, type="person", properties=props, limit=3):
        if any(f.id != "name" and f.value is False for f in c.features):
            continue
        if any(spelt_otherwise(query, person_tokens(label)) for label in c.entity.labels or [c.name]):
            return c
    return None


def _visit_label(visitors: list[PersonMention], draft: Draft) -> tuple[str, str]:
    people = [e for e in draft.attendees if e.kind == "person"]
    if len(people) == 1:
        title = visitors[0].job_title if visitors else None
        short = f"{title} {people[0].name}" if title and len(title.split()) <= 4 else people[0].name
        return f"Visit of {short}", people[0].name
    if people:
        org = next(iter(draft.visitor_orgs or draft.institutions), None)
        if org is not None:
            slug = org.iri.rsplit("/", 1)[1] if not org.new else _org_slug_label(org.name)
            return f"Visit of the {_org_slug_label(org.name)} delegation", slug
        return f"Visit of {people[0].name} and others", people[0].name
    org_name = draft.attendees[0].name if draft.attendees else "guests"
    return f"Visit of the {_org_slug_label(org_name)}", _org_slug_label(org_name)


def _visit_slug(ctx: DraftContext, iso: str, label: str) -> str:
    iri = ctx.mint("visit", f"{iso}-{'-'.join(vocab.slugify(label).split('-')[:5])}")
    return iri.rsplit("/", 1)[1]


_DISCUSSED = re.compile(
    r"(?:^|[.;]\s+)(?P<what>[A-Z][^.;]{5,120}?)\s+(?:was|were)\s+(?:widely\s+|also\s+)?discussed"
    r"|on the topic\s+[“\"](?P<topic>[^”\"]+)[”\"]"
)


def _new_topics(text: str, ctx: DraftContext, draft: Draft) -> None:
    """Mint a topic for a plainly stated subject of talks that matches no existing topic."""
    for m in _DISCUSSED.finditer(text):
        phrase = (m.group("what") or m.group("topic") or "").strip()
        if match_topics(phrase, ctx.topics) or len(phrase.split()) > 10 or not phrase:
            continue
        label = phrase[:1].upper() + phrase[1:]
        iri = ctx.mint("topic", label)
        draft.new_topics.append((iri, label))
        draft.topics.append((iri, "new topic from the words of the text: rename it, or use an existing one"))


def _gifts(
    text: str,
    ctx: DraftContext,
    draft: Draft,
    visitors: list[PersonMention],
    hosts: list[PersonMention],
    orgs: dict[str, Entry],
) -> None:
    names = [n for p in visitors for n in [p.name, *p.alternate_names]]
    host_names = [p.name for p in hosts]
    visitor_entries = [e for e in draft.attendees if e.kind == "person"]
    guest_orgs = draft.visitor_orgs or [e for e in draft.attendees if e.kind == "organization"]

    def party(who: str) -> tuple[list[str], str | None]:
        if who == HOST:
            return [ctx.host], None
        if who == GUESTS or (who == GUEST and len(visitor_entries) != 1):
            chosen = guest_orgs or visitor_entries
            return [e.iri for e in chosen], "the guests' organisations" if guest_orgs else "the guests"
        if who == GUEST:
            return [visitor_entries[0].iri], None
        for p, e in zip(visitors, draft.attendees, strict=False):
            if who == p.name or who in p.alternate_names:
                return [e.iri], None
        for p, e in zip(hosts, draft.contributors, strict=False):
            if p.name == who:
                return [e.iri], None
        for key, e in orgs.items():
            if key in fold(who) or fold(who) in key:
                return [e.iri], None
        return [e.iri for e in guest_orgs or visitor_entries], f'"{who}" read as the guests'

    for g in find_gifts(text, names, host_names):
        agent, a_check = party(g.agent)
        recipient, r_check = party(g.recipient)
        if not agent or not recipient:
            continue
        draft.gifts.append(
            {
                "agent": agent,
                "recipient": recipient,
                "name": g.name and _one_spaced(g.name),
                "description": g.description and _one_spaced(g.description),
                "type": g.item_type,
                "agent_check": a_check,
                "recipient_check": r_check,
                "host_gives": ctx.host in agent or any(e.iri in agent for e in draft.contributors),
            }
        )


def _one_spaced(words: str) -> str:
    """A name or description read from the text with its blanked honorifics closed up ("Monograph of  Umberto …")."""
    return re.sub(r"\s{2,}", " ", words)


def turtle_literal(value: str) -> str:
    """Write a string as a Turtle literal (quotes, backslashes and line breaks escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "") + '"'


def curie(iri: str, base: str) -> str:
    """Write one of our IRIs as `kind:slug` (`org:` for organisations) when Turtle allows it, else as `<iri>`."""
    split = vocab.split_iri(base, iri)
    if split is None:
        return f"<{iri}>"
    kind, slug = split
    prefix = "org" if kind == "organization" else kind
    return f"{prefix}:{slug}" if re.fullmatch(r"[A-Za-z0-9][\w.-]*", slug) and not slug.endswith(".") else f"<{iri}>"
