"""Tell who visited, who hosted, and which organisations came, from one news item.

The visit sentence is the item's first: every person named there is a visitor,
except host-side people and people the visit was about ("the interview of the
President … Ilham Aliyev"). Each visitor's descriptor is read in the style the
item uses: titles before names ("Director of X Name, Director of Y Name") or
after them ("Name, head of X and Name, the leading expert of that service").
People named in a list without a descriptor share their group's ("the
representatives of the OCLC Sezen Tan, Dr. Sinan Tan and Catherine Fureti").

Longer than 400 lines because the visitor, host and delegation rules share the sentence helpers and are evaluated together on the held-out items.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from visitgraph.authoring.extract import (
    GENERIC_MODIFIERS,
    GROUP_NOUNS,
    INSTITUTION_HEADS,
    KIND_MODIFIERS,
    MONTHS,
    ORG_HEADS,
    PART_WORDS,
    PLURAL_KINDS,
    SUB_UNITS,
    TITLE_HEADS,
    TITLE_MODIFIERS,
    OrgMention,
    PersonMention,
    Span,
    bare_head,
    bare_part,
    find_people,
    institution_head,
    is_cap,
    is_reference,
    looks_org,
    name_part,
    outside,
    parse_org,
    place_code,
    quoted_spans,
    split_descriptor,
    tokens,
)
from visitgraph.authoring.namegate import belonging_word, unclaimed_institution
from visitgraph.authoring.newsfacts import CAP
from visitgraph.core.names import fold, short_form_of

_WINDOW = 300
_VERBS = re.compile(
    r"(?:,\s*)?\b(?:visited|visit|acquainted|arrived|arriving|came|met|were|was|had|held|paid|toured|"
    r"got|took|gave|presented|hosted|attended|is|are|has|have|who|which|during|on arriving|delivered|spoke|"
    r"lectured|participated|conducted|donated|handed|"
    r"together with|along with|accompanied by|"
    # phrasal verbs of visiting end a descriptor as "visited" does: "X, head of Y, called at the library" (0068)
    r"called\s+(?:at|on)|dropped\s+(?:in|by)|stopped\s+by)\b"
)
#: An organisation in brackets right after a name ("Sinan Tan (OCLC)").
_PAREN_ORG = re.compile(r"\s*\(([^()]{2,120})\)")
#: A title, a comma and a body in brackets after a name: "(Director, National Library of Estonia)".
_TITLE_COMMA_BODY = re.compile(r"(?P<title>(?:[\w-]+\s+){0,3}[\w-]+),\s+(?P<org>[A-Z][^,()]{2,100})$")
#: "… of the library" in lower case at the end of a descriptor: in the visit sentence, after a visiting
#: institution of that kind was named, it is that institution (not the host).
_LOWER_REFERENCE = re.compile(
    r"\s+(?:of|at)\s+the\s+(?P<head>library|centre|center|university|institute|museum|foundation|academy)\s*,?\s*$"
)
_HOST_DESC = re.compile(r"\b(?:of|at)\s+(?:the\s+)?(?:Presidential\s+)?[Ll]ibrary\s*,?\s*$")
_GROUP = re.compile(
    rf"\b(?:[Tt]he\s+)?(?P<noun>(?i:{'|'.join(sorted(GROUP_NOUNS | {'representatives'}))}))\s+(?:of|from)\s+(?:the\s+)?"
    r"(?:(?:company|firm|corporation|agency|publishing\s+house|holding)\s+(?=[A-Z]))?"  # "of the company X": X
)
#: ", and" that starts the next entry of a list whose entries carry their own descriptors.
_NEXT_ENTRY = re.compile(r",\s+(?:and|accompanied\s+by|together\s+with|along\s+with)\s+")
#: A companion's entry without a comma: "X, head of A, visited the library together with the Head of B Y". What
#: follows it is the companion's own descriptor, not X's shared (decision 0068).
_WITH_ENTRY = re.compile(r"\s(?:accompanied\s+by|together\s+with|along\s+with)\s+")
#: Occupations held on one's own: a writer listed after a director does not share the director's institution.
INDEPENDENT_TITLES = frozenset(
    "writer poet artist painter composer musician singer actor actress journalist photographer sculptor".split()
)
_FUNCTION_END = re.compile(r"\b(?:and|with|by|between|of|the|to|for|from|a|an)\s*,?\s*$", re.I)


@dataclass
class VisitFindings:
    """The people and organisations of one item, as written in it."""

    visitors: list[PersonMention] = field(default_factory=list)
    hosts: list[PersonMention] = field(default_factory=list)
    orgs: list[OrgMention] = field(default_factory=list)
    host_mentioned: bool = False
    #: people the visit sentence names outside a guest's slot, with the words that say so (a check line each)
    not_guests: list[tuple[str, str]] = field(default_factory=list)


#: An acronym of two or more capitals ("the RSL. The guests …") ends a sentence; initials ("M. I.") do not.
_ACRONYM_END = re.compile(r"[(]?[A-Z]{2,}[)]?")
#: "SS." and "Sts." abbreviate "Saints" ("the SS. Cyril and Methodius National Library"): a name goes on after them,
#: as after "St." (decision 0066).
_SAINTS = frozenset({"SS", "Sts"})


def first_sentence_end(text: str) -> int:
    """Return where the first sentence ends (initials, honorifics and "M. I." do not end it).

    >>> t = "On May 5, Ms. A. Smith of the M. I. Rudomino library visited. Then more."
    >>> t[:first_sentence_end(t)]
    'On May 5, Ms. A. Smith of the M. I. Rudomino library visited.'
    >>> t = "Director of the SS. Cyril and Methodius Library A. B. visited. More."
    >>> t[:first_sentence_end(t)]
    'Director of the SS. Cyril and Methodius Library A. B. visited.'
    """
    for m in re.finditer(r"\.(?=\s+[A-Z“\"]|\s*$)", text):
        tail = text[max(0, m.start() - 12) : m.start()]  # bounded look-back: linear
        before = tail.rsplit(None, 1)[-1].lstrip('(“"') if tail.strip() else ""  # "(St. Petersburg)" too
        if re.fullmatch(r"(?:[A-Z]\.?)+|Mr|Mrs|Ms|Mme|Dr|Prof|St|Sts|No|[A-Z]\.[A-Z]", before) and (
            before in _SAINTS or not _ACRONYM_END.fullmatch(before)
        ):
            continue
        return m.end()
    return len(text)


#: ", and on April 12 they met …": a later event in the visit sentence; who is named there did not visit.
_LATER_EVENT = re.compile(
    r",?\s+and\s+(?:then\s+|later\s+)?on\s+(?:(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?:"
    + "|".join(m.capitalize() for m in sorted(MONTHS))
    + r")\b"
)


#: A visit sentence whose subject is guests by number or kind alone ("Two groups of guests came …", "Guests from three
#: countries visited …"): when it names no one, the sentence after it names them (decision 0066).
_NAMELESS_GUESTS = re.compile(
    # "On June 18, 2051, (Estonian) guests from Estonia visited …": a date of two commas, a people's adjective
    r"^(?:[^,.;]{0,40}?,\s*){0,2}(?:(?:two|three|four|five|several|many|a\s+number\s+of)\s+)?(?:groups?\s+of\s+)?"
    r"(?:(?:foreign|[A-Z][a-z]+(?:an|ian|ish|ese|ic|i))\s+)?(?:guests|visitors|delegations|delegates)\b",
    re.I,
)
#: "The Presidential Library received two delegations on …": guests by number in the object, named in the next.
_COUNTED_GUESTS = re.compile(
    r"\b(?:received|hosted|welcomed|greeted|visited\s+by)\s+(?:(?:two|three|four|five|several|a\s+number\s+of)\s+)?"
    r"(?:foreign\s+|[A-Z][a-z]+(?:an|ian|ish|ese|ic|i)\s+)?(?:groups?\s+of\s+)?(?:guests|visitors|delegations|delegates)\b"
    # "… hosted a guest from Austria", "… was visited by the Ambassador of X to Azerbaijan": one guest, named next
    r"|\b(?:received|hosted|welcomed|greeted|visited\s+by)\s+(?:an?\s+(?:foreign\s+|[A-Z][a-z]+(?:an|ian|ish|ese|ic|i)\s+)?"
    r"(?:guest|visitor)\b|the\s+(?:Ambassador|Consul(?:\s+General)?|Rector|Minister)\s+of\s+[^.;]{2,80}\.?\s*$)"
    # "A meeting with representatives of three organisations from Moscow was held at the library."
    r"|\bmeeting\s+with\s+(?:the\s+)?(?:representatives|delegates|members|guests|colleagues|specialists)\b",
    re.I,
)


#: Words of a sentence that names who came, after a visit sentence that only counts them: a title, a delegation's
#: head or members, arriving ("Rashid Behbudov's songs were played" names no guest).
_NAMES_WHO_CAME = re.compile(
    r"\b(?:[Dd]irector|[Hh]ead|[Rr]ector|[Aa]mbassador|[Mm]inister|[Cc]hairman|[Cc]hairperson|[Pp]resident|[Dd]ean|"
    r"[Pp]rofessor|[Ll]ibrarian|[Dd]elegation|headed|led|included|arrived|came|represented|accompanied)\b"
)


def visit_sentence_end(text: str) -> int:
    """Return where the visit sentence ends: its first sentence, cut before a later event in it.

    >>> t = "On May 5, X visited the library, and on May 6 they met the staff of Y University. More."
    >>> t[:visit_sentence_end(t)]
    'On May 5, X visited the library'
    """
    end = first_sentence_end(text)
    later = _LATER_EVENT.search(text, 0, end)
    return later.start() if later is not None and later.start() > 0 else end


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(max(0, a), min(len(chars), b)):
            chars[i] = " "
    return "".join(chars)


#: An institution's former name in brackets ("(formerly the State Library of …)"): not another visitor.
_FORMER_NAME = re.compile(r"\s*\((?:formerly|previously|former(?:ly)?\s+named|until\s+\d{4})\b[^()]{0,200}\)")


def _about_spans(sentence: str) -> list[tuple[int, int]]:
    """Stretches that say what a gift or talk was about: people named there did not visit."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\babout\b.{0,300}?(?=\s(?:was|were)\s)", sentence)]
    # "author of a novel about the poetess X, visited …": the subject of a work, up to the end of its phrase
    spans += [
        (m.start(), m.end())
        for m in re.finditer(
            r"\b(?:about|on|dedicated\s+to|devoted\s+to|on\s+the\s+life\s+of)\s+(?!\d)[^,.;()]{1,150}", sentence
        )
        if re.search(
            r"\b(?:novel|book|poem|film|play|biography|monograph|study|studies|works?|article|essay|"
            r"album|opera|story|stories)\s+$",
            sentence[max(0, m.start() - 40) : m.start()],
        )
    ]
    # "in Baku to take part in a symposium on Nizami Ganjavi": the person an event is about, a capitalised run right
    # after its "on" ("a forum on the information society X Y": the lower-case subject ends, the guests follow)
    spans += [(m.start(), m.end()) for m in _EVENT_ON_PERSON.finditer(sentence)]
    # "an edition of the poems of X", "translator of the works of X": whose work it is, not who came
    spans += [(m.start(), m.end()) for m in _WORK_OF.finditer(sentence)]
    return sorted(spans)


#: An event about a person: "a symposium on Nizami Ganjavi", "a conference dedicated to Fuzuli".
_EVENT_ON_PERSON = re.compile(
    r"\b(?:symposium|conference|seminar|forum|congress|festival|exhibition|lecture|readings|evening|round\s+table)\s+"
    r"(?:on|about|dedicated\s+to|devoted\s+to|in\s+memory\s+of|in\s+honou?r\s+of)\s+"
    r"[A-ZÀ-ÖØ-ÞƏİŞÇĞÜÖ][\w’'-]*(?:\s+[A-ZÀ-ÖØ-ÞƏİŞÇĞÜÖ][\w’'-]*){0,3}"
    # the run ends the phrase: "a conference on Azerbaijani Manuscripts Maria Rossi visited …" keeps the guest
    r"(?=\s*(?:[,.;)]|$|\s(?:in|at|held|organi[sz]ed|which|that|together\s+with)\b|\sand\s+[a-z]))"
)


#: A person named as whose work something is: "the poems of X", "a translation of the novels of X".
_WORK_OF = re.compile(
    r"\b(?:poems?|poetry|novels?|works|writings|letters|diaries|memoirs|manuscripts|legacy|heritage|oeuvre|"
    r"verses|songs|paintings|music|lyrics|ghazals|stories|plays|books)\s+of\s+(?!the\s)[^,.;()]{1,100}"
)


#: "their colleague from Geneva Marc Dubois": a person "from" a place, the place written before the name.
_FROM_PLACE = re.compile(
    r"\b(?:colleagues?|guests?|friends?|partners?|counterparts?|librarians?|specialists?|experts?)\s+from\s+$"
)


#: A lower-case noun and "of" right before a name: "the greetings of X", "the legacy of X".
_NOUN_OF = re.compile(
    r"\b([a-z][\w'’-]*)\s+of\s+(?:the\s+)?"
    # "the greetings of Chancellor X", "the works of Academician X": a title of the one whose something it is
    r"(?:(?i:"
    + "|".join(sorted(TITLE_HEADS | TITLE_MODIFIERS | {"academician", "professor", "sheikh"}, key=len, reverse=True))
    + r")\s+){0,2}$"
)


#: Nouns whose "of" names who leads or acts, a guest's slot: "under the leadership of X", "on behalf of X".
#: and the participles of what a group is made of ("a delegation consisting of X and Y": its members; 0068).
_LEAD_NOUNS = frozenset(
    "leadership guidance direction chairmanship headship behalf that those consisting composed comprised".split()
)
#: The visit itself when the item's events happen in it, whose "of" names who came: "during the visit of X" (not
#: "an exhibition on the visit of X", a topic; decision 0064).
_DURING_VISIT = re.compile(
    r"\b(?:during|in\s+the\s+course\s+of|on\s+the\s+occasion\s+of)\s+(?:the|a|his|her|their)\s+"
    r"(?:official\s+|working\s+|recent\s+)?(?:visit|arrival|stay)\s+of\s+(?:the\s+)?$",
    re.I,
)


def _genitive(sentence: str, p: PersonMention) -> str | None:
    """Return the words that make a name of the visit sentence whose something is ("the anniversary of X"), not a
    guest: a lower-case noun and "of" right before it, the noun neither a title's nor a group's ("director of",
    "delegation of" and "on behalf of" keep their slot). Else None."""
    m = _NOUN_OF.search(sentence[max(0, p.start - 60) : p.start])
    if m is None or belonging_word(m.group(1)) or m.group(1) in _LEAD_NOUNS:
        return None
    if _DURING_VISIT.search(sentence[max(0, p.start - 80) : p.start]):
        return None
    return f"{m.group(1)} of"


def _place_in_brackets(sentence: str, p: PersonMention) -> bool:
    """Say whether a name opens a bracket right after an institution's name and closes it ("… Library (Kazan)")."""
    before = sentence[max(0, p.start - 80) : p.start].rstrip()
    after = sentence[p.start + len(p.name) : p.start + len(p.name) + 2].lstrip()
    if not (p.bracketed and before.endswith("(") and after.startswith(")")):
        return False
    words = before[:-1].split()
    return bool(words) and words[-1].casefold().strip(".,") in ORG_HEADS


def _without_home_town(sentence: str, people: list[PersonMention]) -> list[PersonMention]:
    """Drop the place from "a colleague from Geneva Marc Dubois" (three capitalised words after "from").

    >>> [p.name for p in _without_home_town("with their colleague from Geneva Marc Dubois",
    ...                                     find_people("with their colleague from Geneva Marc Dubois"))]
    ['Marc Dubois']
    """
    for p in people:
        words = p.name.split()
        if len(words) >= 3 and "." not in words[0] and _FROM_PLACE.search(sentence[max(0, p.start - 40) : p.start]):
            p.start += len(words[0]) + 1
            p.name = " ".join(words[1:])
    return people


def _is_host_org(name: str, host_labels: set[str]) -> bool:
    """Say whether an institution as written is the host or a part of it.

    A part of the host is a room, hall, centre or department "of the (Presidential) Library" or of a host label
    ("the Electronic Resources Centre of the Presidential Library"), or a part named with nothing after it
    ("its Reading Room", "the Cataloguing Department"): the visitors are at the host, so an unowned part is its.

    >>> _is_host_org("Electronic Resources Centre of the Presidential Library", set())
    True
    >>> _is_host_org("its Reading Room", set()), _is_host_org("Reading Room of the Yeltsin Presidential Library", set())
    (True, False)
    """
    folded = fold(name)
    hosts = {*host_labels, "library", "presidential library"}
    if folded in hosts or folded in ("the library",):
        return True
    alts = "|".join(re.escape(h) for h in sorted(hosts, key=len, reverse=True))
    if re.search(rf"\S\s+of (?:the |its )?(?:{alts})(?: and(?: of)? its\b.*| and\b(?!.*\sof\s).*)?$", folded):
        return True
    own = re.sub(r"^(?:its|their|the)\s+", "", name.strip(), flags=re.I)
    return bare_part(own) and (" of " not in own or own.split()[0].casefold() in PART_WORDS)


#: The rest of a list of fields inside an institution's name, after its comma: "Ministry of Higher Education, Science
#: and Innovation of …" (capitalised words, "and", capitalised words, then "of").
_FIELDS_LIST = r"(?:[A-Z][\w-]*\s+){1,3}and\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2}\s+of\s"


#: Where a group's institution ends: a dash, a comma (not one inside a list of fields), or the clause's next word.
_GROUP_END = re.compile(
    r":\s|\s+[–—-]\s+|,\s(?!"
    + _FIELDS_LIST
    + r")|\s(?:visited|met|was|were|headed|led|on|who|consisting|composed|comprising|accompanied|"
    r"together|along|including|included|arrived|came|paid|took|attended|under\s+the\s+"
    r"(?:leadership|guidance|direction))\b"
)


def _english_in_brackets(name: str) -> str:
    """Return the English name a body's own-language name gives in brackets ("Národní knihovna České republiky
    (National Library of the Czech Republic)": the bracket's), else the name as written."""
    m = re.fullmatch(r"(?P<native>[^()]{3,150}?)\s*\((?:the\s+)?(?P<english>[^()]{3,150})\)", name)
    if m is None or any(w.casefold() in ORG_HEADS for w in m.group("native").split()):
        return name
    if len(m.group("native").split()) < 2:
        return name  # "ECLA (European Council of …)": an abbreviation and its expansion, read as such
    return m.group("english") if any(w.casefold() in ORG_HEADS for w in m.group("english").split()) else name


#: A comma that coordinates capitalised words inside one name, up to its head ("the Islamic World Educational,
#: Scientific and Cultural Organization (ICESCO)").
_COMMA_IN_NAME = re.compile(
    r",\s+(?:[A-Z][\w-]*,\s+){0,4}[A-Z][\w-]*\s+and\s+(?:[A-Z][\w-]*\s+){0,3}"
    r"(?:Organi[sz]ation|Union|Association|Council|Institute|Centre|Center|Foundation|Society|Federation|Agency)\b"
)


def _groups(sentence: str, host_labels: set[str], stops: list[int]) -> list[tuple[int, int, str, OrgMention | None]]:
    """Find "the employees/delegation/representatives of (or from) <Org>" headers: (start, end, noun, org)."""
    out: list[tuple[int, int, str, OrgMention | None]] = []
    for m in _GROUP.finditer(sentence):
        rest_end = min([s for s in stops if s > m.end()] + [len(sentence), m.end() + 400])  # a body's name: bounded
        rest = sentence[m.end() : rest_end]
        # the name ends at the first break outside brackets: "the EBLIDA (European Bureau of Library, Information
        # and Documentation Associations)" keeps the comma its expansion holds
        depth = list(itertools.accumulate((c == "(") - (c == ")") for c in rest)) if "(" in rest else []
        cut = next(
            (
                c
                for c in _GROUP_END.finditer(rest)
                if (not depth or c.start() == 0 or depth[c.start() - 1] <= 0)
                # "Educational, Scientific and Cultural Organization": a comma inside a name with no head before it
                and not (_COMMA_IN_NAME.match(rest, c.start()) and institution_head(rest[: c.start()]) is None)
            ),
            None,
        )
        org_text = _english_in_brackets((rest[: cut.start()] if cut else rest).strip(" ,"))
        org = None
        if looks_org(org_text) and not _is_host_org(org_text, host_labels):
            org = parse_org(org_text)
        elif looks_org(org_text):
            org = OrgMention(org_text, host=True)
        end = m.end() + (cut.end() if cut else len(rest))
        both = _TWO_ORGS.split(org_text) if org is not None and not org.host else []
        if len(both) != 2 and org is not None and not org.host:
            both = _two_bodies_without_article(org_text)
        if len(both) == 2 and all(looks_org(x) and not _is_host_org(x, host_labels) for x in both):
            for x in both:  # "the delegation of the Russian State Library and the Rudomino Library": two
                out.append((m.start(), end, m.group("noun").casefold(), parse_org(x)))
            continue
        if org is not None:
            out.append((m.start(), end if org else m.end(), m.group("noun").casefold(), org))
    return out


#: "… of the university's Library and Information Centre": a part of the item's university named before.
_POSSESSIVE = re.compile(
    r"\s+of\s+the\s+(?P<head>library|centre|center|university|institute|museum|foundation|academy|ministry)[’']s\s+"
    r"(?P<part>[A-Z][^,.;]{2,120}?)\s*,?\s*$"
)
#: "head of its Department of International Relations": a part of the institution named before, in the title.
_ITS_PART = re.compile(r"\s(?:of|at)\s+its\s+[A-Z][^,.;]{2,120}?\s*[,.]?\s*$")
_TWO_ORGS = re.compile(r"\s+and\s+(?:of\s+|from\s+)?the\s+(?=[A-Z])")


def _two_bodies_without_article(text: str) -> list[str]:
    """Split "National Library of Estonia and Tallinn University" into two bodies, else return [].

    Only when the words before "and" are a whole name with its complement (an institution word, then "of …") and the
    words after end in an institution word of their own: "Ministry of Culture and Tourism", "Library and Information
    Centre" and "University of Science and Technology" stay one.

    >>> _two_bodies_without_article("National Library of Estonia and Tallinn University")
    ['National Library of Estonia', 'Tallinn University']
    >>> _two_bodies_without_article("Ministry of Culture and Tourism"), _two_bodies_without_article("Library and Information Centre")
    ([], [])
    """
    parts = text.split(" and ")
    if len(parts) != 2 or len(text) > 400:
        return []  # a body's name is short: longer text is no two bodies (and stays linear: review of session 23)
    first, second = parts[0].strip(), parts[1].strip()
    words = first.split()
    # "X of (the) Y": a capitalised word before "of" and after it (or after its "the")
    whole = any(
        words[k] == "of"
        and is_cap(words[k - 1])
        and (is_cap(words[k + 1]) or (words[k + 1] == "the" and k + 2 < len(words) and is_cap(words[k + 2])))
        for k in range(1, len(words) - 1)
    )
    if not whole or institution_head(first) is None:
        return []
    words = second.split()
    if len(words) < 2 or not is_cap(words[0]) or institution_head(second) is None:
        return []  # "School of Public and International Affairs of ADA University": the second has no head
    return [first, second]


def _pre_descriptor(pre: str) -> tuple[str | None, str | None]:
    """Return (descriptor, description) ending right before a name, if the text has one."""
    text = re.sub(r"(?:\s*(?:Mr|Mrs|Ms|Mme|Mlle|Dr|Prof|Miss)\.?)+\s*$", "", pre).rstrip(" ,")  # "Prof. Dr."
    if not text or _FUNCTION_END.search(text):
        return None, None
    unquoted = outside(quoted_spans(text))
    words = [w for w in tokens(text) if unquoted(w.start)]
    heads = [
        i
        for i, w in enumerate(words)
        if (
            w.text.casefold() in TITLE_HEADS
            or _hyphen_title(w.text)
            or (w.text.casefold() == "chief" and i + 1 < len(words) and words[i + 1].text == "of")  # "Chief of the X"
        )
        and not _in_org_name(words, i)
        and not _kind_of_body(words, i)
    ]
    if not heads:
        return None, None
    i = heads[-1]
    if (
        len(heads) > 1
        and i == len(words) - 1
        and words[i].text.casefold() in ("professor", "doctor", "academician")
        and any(w.text == "of" for w in words[heads[-2] : i])
    ):
        i = heads[-2]  # "Head of the Institute of … of the University of Munich Professor X": the title with its body
    while i > 0 and (
        words[i - 1].text.casefold() in TITLE_MODIFIERS | TITLE_HEADS | {"and", "ex", "-"}
        or (words[i - 1].text.isupper() and len(words[i - 1].text) > 1)
    ):
        i -= 1
    while i < heads[-1] and words[i].text.casefold() == "and":
        i += 1
    start = words[i].start
    acronym = re.search(r"\b[A-Z]{2,}\s+\([^()]{1,120}\)\s*$", text[max(0, start - 130) : start])
    if acronym:  # "OCLC (Online Computer Library Center) Regional Director": the institution, then the title
        start = max(0, start - 130) + acronym.start()
    desc = text[start:]
    before = text[:start].strip(" ,")
    description = before if before and before.split()[0].casefold() in {"attendee", "participant", "guest"} else None
    return desc, description


def _kind_of_body(words: Sequence[Span], i: int) -> bool:
    """Say whether a title word is the kind of the body named after it: "Director for Eurasia of the Dutch academic
    publisher Van Leeuwen & Dijkstra Publishers" (the publisher is the firm, the director is the title)."""
    if words[i].text.casefold() != "publisher":
        return False
    k = i - 1
    while k >= 0 and i - k <= 3 and (is_cap(words[k].text) or words[k].text in KIND_MODIFIERS):
        k -= 1
    return k >= 1 and words[k].text.casefold() == "the" and words[k - 1].text.casefold() in ("of", "at")


def _hyphen_title(word: str) -> bool:
    """Say whether a hyphenated word is a title by its first part ("editor-in-chief", "vice-rector").

    >>> _hyphen_title("editor-in-chief"), _hyphen_title("Vice-Rector"), _hyphen_title("All-Russia")
    (True, True, False)
    """
    parts = word.casefold().split("-")
    return len(parts) > 1 and (parts[0] in TITLE_HEADS or (parts[0] == "vice" and parts[1] in TITLE_HEADS))


def _independent(title: str | None) -> bool:
    """Say whether a job title is an occupation held on one's own ("Poet", "the Egyptian writer")."""
    return bool(title) and title.split()[-1].casefold() in INDEPENDENT_TITLES  # type: ignore[union-attr]


def _in_org_name(words: Sequence[Span], i: int) -> bool:
    """Say whether a title word sits inside an institution's name ("Library of the First President")."""
    j = i - 1
    while j >= 0 and words[j].text.casefold() in TITLE_MODIFIERS:
        j -= 1
    if j >= 1 and words[j].text.casefold() == "the":
        j -= 1
    return j >= 1 and words[j].text.casefold() == "of" and words[j - 1].text.casefold() in ORG_HEADS


#: "…, who is deputy director of X", "…, who heads X", "…, who works at X": a relative clause as a descriptor.
_RELATIVE = re.compile(
    r"^who\s+(?:(?P<is>is|was|serves\s+as|works\s+as)\s+|(?P<heads>heads|leads|directs|chairs)\s+|"
    r"(?P<at>works\s+(?:at|for|in)|represents)\s+)"
)


def _relative_title(m: re.Match[str]) -> str:
    if m.group("heads"):
        return {"heads": "head of ", "leads": "head of ", "directs": "director of ", "chairs": "chairperson of "}[
            m.group("heads")
        ]
    if m.group("at"):
        return "member of "
    return ""


def _post_descriptor(post: str) -> str | None:
    """Return the descriptor that follows a name ("…, Director of the National Library of Morocco")."""
    text = _RELATIVE.sub(_relative_title, post.lstrip(" ,"), count=1)
    shared = re.match(r"respectively\s+(?P<titles>[^,.;]{1,80}?)\s+and\s+[^,.;]{1,80}?\s+of\s", text)
    if shared and " of " not in shared.group("titles"):  # "X and Y, respectively director and coordinator of Z"
        text = text[len("respectively") :].lstrip()
    verb = _VERBS.search(text)
    text = text[: verb.start()] if verb else text
    text = _HONORIFIC_END.sub("", text).strip(" ,")  # "…, Dr. Thomas Reilly": the next entry's honorific
    words = text.split()
    if not words:
        return None
    bare = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I).split()
    first = bare[0].casefold()
    if len(bare) > 1 and bare[0].isupper() and len(bare[0]) > 1:  # "IFLA President-elect": the acronym's title
        first = bare[1].casefold()
    head = first.split("-")[0]  # "editor-in-chief", "vice-rector": the head word before the hyphen
    if first in TITLE_HEADS or first in TITLE_MODIFIERS or head in TITLE_HEADS:
        return text
    # "cultural attaché of …", "press secretary of …": lower-case words qualifying a title head
    lead = list(itertools.takewhile(lambda w: w.casefold() not in {"of", "at", "for"}, bare[:3]))
    qualifiers = lead[:-1]  # adjectives, not adverbs ("respectively head of A and director of B" is read elsewhere)
    if (
        qualifiers
        and lead[-1].casefold() in TITLE_HEADS
        and all(w.isalpha() and w.islower() and not w.endswith("ly") for w in qualifiers)
    ):
        return text
    return None


_HONORIFIC_END = re.compile(r"(?:(?:,\s*|\s+)(?:Mr|Mrs|Ms|Mme|Mlle|Dr|Prof|Miss)\.?)+\s*$")


def _normalise_title(title: str | None) -> str | None:
    if not title:
        return None
    t = re.sub(r"^(?:the|a|an|famous|well-known|renowned)\s+", "", title.strip(" ,–-"), flags=re.I)
    t = re.sub(r"^representatives\b", "representative", t, flags=re.I)
    return t[:1].upper() + t[1:] if t else None


def analyse_visit(
    text: str,
    date_span: tuple[int, int] | None = None,
    host_labels: Iterable[str] = (),
    host_people: Iterable[str] = (),
) -> VisitFindings:
    """Find the visitors (with titles and organisations), host-side people and organisations of an item.

    :param date_span: where the item's date phrase is, so it is not read as part of a name.
    :param host_labels: the host institution's names (any form); :param host_people: known host staff names.
    """
    labels = {fold(x) for x in host_labels}
    known_hosts = {fold(x) for x in host_people}
    end = visit_sentence_end(text)
    first_end = end  # where the visit sentence itself ends (the next one may be read with it)
    counted = _COUNTED_GUESTS.search(text, 0, end)
    # "… received two delegations on the same day. General Director of X Y arrived …": the next sentence names them,
    # unless the visit sentence lists the groups itself ("two groups of guests: …") or the next takes them one by one
    # ("The first, from X, was led by …", read where the members are)
    counted = (
        counted
        if counted
        and ":" not in text[:end]
        and not re.match(r"\s*The\s+(?:first|second|other|[A-Z][\w-]*\s+(?:delegation|group))\b", text[end:])
        and _NAMES_WHO_CAME.search(text, end, end + first_sentence_end(text[end:]))
        else None
    )
    nameless = _NAMELESS_GUESTS.search(text, 0, end) is not None and not re.match(
        r"\s*The\s+(?:first|second|other)\b", text[end:]
    )  # "Two Russian delegations visited … . The first was led by …": read where the members are
    if (nameless or counted) and not find_people(text, 0, end):
        end += first_sentence_end(text[end:])  # "Two groups of guests came to the library on …": the next names them
    former = [(m.start(), m.end()) for m in _FORMER_NAME.finditer(text, 0, end)]
    sentence = _mask(text[:end], ([date_span] if date_span else []) + _about_spans(text[:end]) + former)
    out = VisitFindings(host_mentioned=bool(re.search(r"Presidential Library|\bthe [Ll]ibrary\b", text)))
    # a name that opens a bracket after an institution's name is its place ("… Library (Saint Petersburg)"): the
    # institution's name runs on over it, and nobody is read from it (decision 0052)
    people = [p for p in _without_home_town(sentence, find_people(sentence)) if not _place_in_brackets(sentence, p)]
    for p in [p for p in people if _genitive(sentence, p)]:
        people.remove(p)  # "the greetings of X", "the anniversary of X": whose something is, not a guest
        out.not_guests.append((p.name, _genitive(sentence, p) or ""))
    groups = _groups(sentence, labels, [p.start for p in people])
    for g in groups:
        if g[3] is not None and not g[3].host:
            out.orgs.append(g[3])
    masked = _mask(sentence, [(a, b) for a, b, _, _ in groups])
    visitors = _read_descriptors(masked, people, groups, labels)
    bodies = [g[3] for g in groups if g[3] is not None and not g[3].host]
    if len(bodies) == 1:  # "a delegation of the X headed by Director General of the Library Cooperation Bureau Y"
        for p in visitors:
            if p.org is not None and p.org is not bodies[0] and _unit_of_no_body(p.org.name):
                p.org, p.inherited = bodies[0], True
    _resolve_references(visitors, [g[3] for g in groups if g[3] is not None])
    agent = _AGENT_BY.search(masked)
    if agent is not None and any(p.start < agent.start() for p in visitors):
        for p in visitors:  # "X and Y were received at the library on … by Z, head of …, and W": Z and W host
            p.host = p.host or p.start >= agent.end()
    for p in visitors:
        if p.start >= first_end and not p.host and _PASSIVE_AGENT.search(masked[max(0, p.start - 80) : p.start]):
            p.host = True  # "… received a guest. The guest was welcomed by deputy director X": the host's
        if (not p.host and (p.org is None or p.inherited)) and _HOST_TITLE_BEFORE.search(
            masked[max(0, p.start - 120) : p.start]
        ):
            p.host = (
                True  # "… met with deputy director of the library X", "the Presidential Library's deputy director X"
            )
        after_host = _PART_AFTER_AND.search(masked, max(0, p.start - 160), p.start)
        if (
            not p.host
            and after_host is not None
            and (_lower_part(after_host.group("desc")) or _capital_part(after_host.group("desc")))
            and any(
                re.search(
                    re.escape(h.name) + r"(?:,[^,.;]{1,120},?)?$",
                    masked[max(0, after_host.start() - 200) : after_host.start()],
                )
                for h in out.hosts
            )
        ):
            p.host = True  # "… met with director of the library A and head of the Acquisition Department B": the host's
        (out.hosts if p.host or fold(p.name) in known_hosts else out.visitors).append(p)
    _find_led_guests_elsewhere(text, end, out)
    _find_hosts_elsewhere(text, end, out, known_hosts, labels)
    _find_members_elsewhere(text, end, out, labels, known_hosts)
    _find_delegation_heads_elsewhere(text, end, out)
    _find_companions_elsewhere(text, end, out, labels, known_hosts)
    if not out.visitors:
        _find_givers_elsewhere(text, end, out, labels)
    _alternate_names(text, out.visitors)
    _find_represented_elsewhere(text, end, out, labels)
    _find_represented_by(text, out, labels)
    _find_workplace_elsewhere(text, end, out, labels)
    _find_later_visits(text, end, out, host_labels, host_people)
    _find_embassy_elsewhere(text, out)
    for k, p in enumerate(out.visitors):
        before = out.visitors[k - 1] if k else None
        if (
            before is not None
            and p.org is not None
            and before.org is not None
            and p.start < end
            and _unit_of_no_body(p.org.name)
            and not _unit_of_no_body(before.org.name)
            and re.match(r"\s+and\s", text[before.start + len(before.name) : p.start])
        ):
            # "Director General of the X Library A and Head of the Centre for Slavic Cultures B visited": a unit named
            # by its work alone, right after a guest of X, is X's
            unit, p.org = p.org, before.org
            out.orgs = [o for o in out.orgs if o is not unit]
        fuller = _fuller_named_before(p.org, [q.org for q in out.visitors[max(0, k - 8) : k] if q.org is not None])
        if fuller is not None:  # "… of the National Parliamentary Library of Georgia X and head of … of the
            p.org = fuller  # Parliamentary Library Y": the short form of the body named before
        if p.org is not None and bare_head(p.org.name) is not None:
            p.org = None  # "the staff of the Foundation" with no foundation named: nothing is minted
        if p.org is not None and all(p.org is not o for o in out.orgs):
            out.orgs.append(p.org)
    named = [o for o in out.orgs if bare_head(o.name) is None]
    if named or out.visitors:  # a bare "the National Library" is kept only when the item names nothing else
        out.orgs = named
    return out


#: The agent of a passive about the guests in the sentence after the visit's: "The guest was welcomed (shown …) by
#: deputy director X" names the host's staff, not the guest.
_PASSIVE_AGENT = re.compile(
    r"\b(?:was|were)\s+(?:also\s+)?(?:welcomed|received|greeted|shown|guided|escorted|hosted|met|briefed|informed|"
    r"acquainted|told)\b[^.;]{0,80}?\bby\s+(?:the\s+)?(?:[a-z-]+\s+){0,4}$"
)


#: "<name> and (the) <title of a part>" right before a person: "… A and head of the Acquisition Department ".
_PART_AFTER_AND = re.compile(
    r"\s+and\s+(?:the\s+)?(?P<desc>(?:(?i:deputy|chief|senior|leading)\s+)?(?i:head|director|manager|librarian|specialist)"
    r"\s+of\s+the\s+[^,.;]{1,80}?)\s+$"
)
#: A title of the host's own right before a name in the visit sentence: "the Presidential Library's deputy director",
#: "(met with) deputy director of the library" (after "with", "by" or the sentence's start: not a guest's own title).
_HOST_TITLE_BEFORE = re.compile(
    r"(?:(?:^|,|\b(?:with|by))\s+(?:the\s+)?Presidential\s+Library[’']s\s+(?:[a-z-]+\s+){1,3}|"
    r"\b(?:with|by)\s+(?:the\s+)?(?:(?:deputy|chief|senior|leading)\s+)?"
    r"(?:director|head|librarian|specialist|bibliographer|curator|manager)"
    r"(?:\s+[a-z-]+){0,6}\s+of\s+the\s+(?:Presidential\s+)?[Ll]ibrary\s+)$"
)


def _fuller_named_before(org: OrgMention | None, before: list[OrgMention]) -> OrgMention | None:
    """Return the body named before (by a guest read before this one) whose name is this one's with generic words
    before it and perhaps its country after it ("Parliamentary Library" of "National Parliamentary Library of
    Georgia"), else None; not "Library of Congress" of "Law Library of Congress", nor words in another order."""
    if org is None:
        return None
    words = fold(org.name).split()
    for other in before:
        theirs = fold(other.name).split()
        if other is org or len(words) >= len(theirs):
            continue
        at = next((i for i in range(len(theirs) - len(words) + 1) if theirs[i : i + len(words)] == words), None)
        if at is None or not all(w in GENERIC_MODIFIERS for w in theirs[:at]):
            continue
        tail = " ".join(theirs[at + len(words) :])
        if not tail or re.fullmatch(r"of (?:the )?[\w ]+", tail) and place_code(re.sub(r"^of (?:the )?", "", tail)):
            return other
    return None


#: An embassy named anywhere in the item: "… noted that the Embassy of Mexico is planning …".
_EMBASSY = re.compile(r"\b[Ee]mbassy\s+of\s+(?:the\s+)?[A-Z][^,.;()]{1,80}")
#: A diplomat's title that names the country they represent: "Ambassador of the United Mexican States to …".
_DIPLOMAT_OF = re.compile(
    r"^(?:[\w-]+\s+){0,3}(?:ambassador|consul|attach[eé]|counsellor|secretary)\b[^,;]*?\bof\s+(?:the\s+)?"
    r"(?P<country>[A-Z][^,;]*?)(?:\s+to\b|$)",
    re.I,
)


def _find_embassy_elsewhere(text: str, out: VisitFindings) -> None:
    """Give a diplomat read with no institution the embassy of their country that the item names elsewhere
    ("Ambassador of the United Mexican States to the Republic of Azerbaijan X …; … the Embassy of Mexico is
    planning …": the Embassy of Mexico). Not when an embassy was read already (the item names it with a guest)."""
    named = [o.name for o in out.orgs] + [v.org.name for v in out.visitors if v.org is not None]
    if any(re.match(r"[Ee]mbassy\b", n) for n in named):
        return
    embassies: set[str] | None = None
    for p in out.visitors:
        if p.org is not None:
            continue
        title = _DIPLOMAT_OF.match(p.job_title or "")
        code = place_code(title.group("country")) if title is not None else None
        diplomat = re.match(
            r"(?:(?!former|ex)[\w-]+\s+){0,2}(?:ambassador|consul|attach[eé])\b", p.job_title or "", re.I
        )
        if code is None and diplomat is not None and " of " not in f" {p.job_title} ":  # "Ambassador Y" alone
            if embassies is None:  # read once, and only for a diplomat: linear in the item
                # an embassy the guests act for ("on behalf of", "of the embassy"), not one of another time or of
                # others ("had worked at the Embassy …", "attended by staff of the Embassy …")
                embassies = {
                    m.group(0).strip()
                    for m in _EMBASSY.finditer(text)
                    if not re.search(
                        r"\b(?:had|earlier|previously|former|formerly|attended|staff\s+of|employees\s+of)\b",
                        _sentence_before(text, m.start(), 200),
                    )
                }
            if len(embassies) == 1:
                # "… was visited by the Ambassador of X. Ambassador Y … on behalf of the Embassy of X": the one embassy
                p.org = parse_org(next(iter(embassies)))
            continue
        if code is None:
            continue
        for m in _EMBASSY.finditer(text):
            org = parse_org(m.group(0).strip())
            if (org.country or place_code(re.sub(r"^[Ee]mbassy\s+of\s+(?:the\s+)?", "", org.name))) == code:
                p.org = org
                break


#: A later sentence that tells a visit of its own: "In the afternoon, a group of lecturers of X headed by Y visited the
#: library" (a second delegation of the same day).
_LATER_VISIT = re.compile(r"\b(?:visited|came\s+to|arrived\s+at)\s+the\s+(?:Presidential\s+)?[Ll]ibrary\b(?![’']s)")
#: What makes a later visit sentence tell another time: a year, an earlier or first visit, a recollection.
_ANOTHER_VISIT_TIME = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b(?:first|earlier|previous|last|former|ago|when|used\s+to)\b|\brecall|\bremember"
    r"|\bhad\s+visited\b|\bwho\s+visited\b|\b(?:said|says|told|tells|according)\b",
    re.I,
)
#: How a later sentence of a second visit the same day opens: a time of that day, or the group or delegation itself
#: ("In the afternoon, a group of …", "On the same day, the delegation of …"); not a quotation, a book's story or a
#: habit ("Many students visited the library, said X").
_SAME_DAY_OPENING = re.compile(
    r"\s*(?:(?:In\s+the\s+(?:afternoon|morning|evening|second\s+half\s+of\s+the\s+day)|On\s+the\s+same\s+day|"
    r"Later(?:\s+that\s+day|\s+the\s+same\s+day)?|After\s+(?:that|lunch)|Then|At\s+noon),?\s+)?"
    r"(?:[Aa]|[Tt]he)\s+(?:[a-z-]+\s+)?(?:group|delegation)\b"
)


def _find_later_visits(
    text: str, start: int, out: VisitFindings, host_labels: Iterable[str], host_people: Iterable[str]
) -> None:
    """Add the guests and institutions of a later sentence that tells a visit of its own ("In the afternoon, a group
    of lecturers of X headed by Y visited the library"), read as a visit sentence; not one of another time."""
    seen = _named_already(out)
    for m in _LATER_VISIT.finditer(text, start):
        lo = max(start, m.start() - 400)  # a sentence's start within a bounded look-back (issue 21)
        breaks = list(_SENTENCE_BREAK.finditer(text, lo, m.start()))
        s0 = breaks[-1].end() if breaks else lo
        s1 = m.end() + first_sentence_end(text[m.end() :])
        piece = text[s0:s1]
        if _ANOTHER_VISIT_TIME.search(piece) or s0 >= s1 or not _SAME_DAY_OPENING.match(piece):
            continue
        found = analyse_visit(piece, None, host_labels, host_people)
        fresh = [p for p in found.visitors if fold(p.name) not in seen]
        for p in fresh:
            p.start += s0
            out.visitors.append(p)
            seen.add(fold(p.name))
        names = {fold(o.name) for o in out.orgs}
        out.orgs.extend(o for o in found.orgs if fold(o.name) not in names and not o.host)


#: The agent of the guests' reception in the visit sentence: whoever comes after "were received … by" received them.
_AGENT_BY = re.compile(r"\b(?:was|were)\s+(?:received|welcomed|met|greeted|hosted)\b[^.;]{0,120}?\bby\s+")


def _read_descriptors(
    sentence: str, people: list[PersonMention], groups: list[tuple[int, int, str, OrgMention | None]], labels: set[str]
) -> list[PersonMention]:
    """Attach title and organisation to each person, in the item's style (titles before or after names)."""
    if not people:
        return []
    starts = [p.start for p in people]
    ends = [p.start + len(p.name) for p in people]
    pre_style = _pre_descriptor(sentence[: starts[0]])[0] is not None
    for k, p in enumerate(people):
        lo = ends[k - 1] if k else 0
        hi = starts[k + 1] if k + 1 < len(people) else len(sentence)
        desc, description = _pre_descriptor(sentence[lo : starts[k]]) if (pre_style or k == 0) else (None, None)
        own_entry = False
        if desc is None and not pre_style:
            post = sentence[ends[k] : hi]
            if k + 1 < len(people):  # "X, Director of A, and Director of B Y": X's descriptor ends at ", and"
                cut = _NEXT_ENTRY.search(post)
                post = post[: cut.start()] if cut else re.sub(r"(?:,|\s)\s*(?:and\s*)?$", "", post)
            desc = _post_descriptor(post)
            entry = (
                (_NEXT_ENTRY.search(sentence[lo : starts[k]]) or _WITH_ENTRY.search(sentence[lo : starts[k]]))
                if k
                else None
            )
            if desc is None and entry is not None:  # … and its own descriptor before Y
                desc, description = _pre_descriptor(sentence[lo + entry.end() : starts[k]])
                own_entry = desc is not None
        if desc is None and pre_style and k == len(people) - 1 and sentence[ends[k] : ends[k] + 2] == ", ":
            desc = _post_descriptor(sentence[ends[k] :])  # "Director of A X and Y, director of B": Y's own
        p.description = description
        ref = _LOWER_REFERENCE.search(desc) if desc else None
        named = [q.org for q in people[:k] if q.org is not None] + [g[3] for g in groups if g[3] and g[1] <= p.start]
        same = _named_before(ref.group("head").casefold(), named) if ref else None
        owner = _POSSESSIVE.search(desc) if desc else None
        whole = _named_before(owner.group("head").casefold(), named) if owner else None
        its = _ITS_PART.search(desc) if desc else None
        if desc and its is not None and named:  # "X, …, and Y, head of its Department of …": X's institution
            p.org, p.job_title = named[-1], _normalise_title(desc)
        elif desc and ref is not None and same is not None:  # "… head of the branch of the library Y": theirs
            p.org, p.job_title = same, _normalise_title(desc[: ref.start()])
        elif desc and owner is not None and whole is not None:  # "director of the university's Library …"
            p.org = parse_org(f"{owner.group('part').strip()} of the {whole.name}")
            p.job_title = _normalise_title(desc[: owner.start()])
        else:
            _apply_descriptor(p, desc, labels)
        paren = _PAREN_ORG.match(sentence, ends[k], hi)
        titled_body = _TITLE_COMMA_BODY.match(paren.group(1)) if paren else None
        if titled_body is not None and not any(w.casefold() in TITLE_HEADS for w in titled_body.group("title").split()):
            titled_body = None  # "(Tallinn, Estonia)": a place
        # "researcher Mari Kask (Tartu University)": a title with no body of its own, the body in brackets after
        titled = desc is not None and p.org is None and institution_head(paren.group(1)) is not None if paren else False
        if titled_body is not None and p.org is None:
            if looks_org(titled_body.group("org")) and not _is_host_org(titled_body.group("org"), labels):
                p.org = parse_org(titled_body.group("org"))  # "Kairi Lepp (Director, National Library of Estonia)"
                p.job_title = _normalise_title(titled_body.group("title"))
        elif (desc is None or titled) and paren and looks_org(paren.group(1)) and not place_code(paren.group(1)):
            if not _is_host_org(paren.group(1), labels):
                p.org = parse_org(paren.group(1))  # "Sinan Tan (OCLC)": the organisation in brackets
        elif desc is None and paren and _post_descriptor(paren.group(1)) is not None:
            _apply_descriptor(p, _post_descriptor(paren.group(1)), labels)  # "X (regional manager of OCLC)"
        group = next((g for g in reversed(groups) if g[1] <= p.start), None)
        if group is not None and sum(g[0] == group[0] for g in groups) > 1:
            group = None  # a delegation of two institutions: whose member is not said
        prev = people[k - 1] if k else None
        if group is not None and group[3] is not None and p.org is None and not group[3].host:
            p.org, p.inherited = group[3], True
            if p.job_title is None and group[2] == "representatives":
                p.job_title = "Representative"
        for g in groups:  # "employees of X – Head of the branch of X in …": X is the organisation
            if (
                g[3] is not None
                and p.org is not None
                and p.org is not g[3]
                and fold(p.org.name).startswith(fold(g[3].name) + " ")
                and desc is not None
            ):
                p.org, p.job_title = g[3], _normalise_title(desc)
        if (
            prev is not None
            and not p.host
            and not own_entry
            and prev.org is not None
            and p.org is None
            and not _independent(p.job_title)
            and (p.job_title is None or " of " not in p.job_title or p.job_title.endswith(" of that service"))
        ):
            p.org = prev.org
            p.job_title = p.job_title or prev.job_title
            p.inherited = True
        who = re.match(r"\s*,\s*who\s+([^,.]+)", sentence[ends[-1] :])
        if who and p.job_title is None and p.description is None:
            p.description = who.group(1)[:1].upper() + who.group(1)[1:]
    _from_org(sentence, people, starts, ends, labels)
    return people


def _initials(name: str) -> str:
    """Initials of an institution's capitalised words ("Russian State Library" → "RSL")."""
    return "".join(w[0] for w in re.findall(r"[\w’'-]+", name) if w[0].isupper())


def _refers_to(acronym: str, org: OrgMention) -> bool:
    """Say whether an acronym names `org` as written in the item ("National Library of Greece (NLG)", "OCLC (…)")."""
    name = org.name.strip()
    paren = re.search(r"\(([^()]*)\)$", name)
    if paren and acronym in (paren.group(1).strip(), _initials(name[: paren.start()])):
        return True
    return name == acronym or name.startswith(acronym + " (") or _initials(name) == acronym


def _resolve_references(people: list[PersonMention], group_orgs: list[OrgMention]) -> None:
    """Point "… of the RSL" and "… of the same library" at the institution the item named before.

    An acronym resolves to an organisation of the item written with it ("Russian State Library (RSL)") or with
    those initials; "the same library" to the previous person's. Unresolved, an acronym stays as written (it is
    looked up as a label) and a "same library" is dropped: nothing is minted from a reference.
    """
    for k, p in enumerate(people):
        if p.org is None or not is_reference(p.org.name):
            continue
        ref = p.org.name.strip()
        earlier = [q.org for q in people if q.org is not None and q is not p and not is_reference(q.org.name)]
        head = bare_head(ref)
        if head is not None:  # "the coordinator of the Foundation": the item's institution of that kind, or none
            p.org = _named_before(head, [*earlier, *group_orgs])
        elif ref[:1].isupper():
            p.org = next((o for o in [*earlier, *group_orgs] if _refers_to(ref, o)), p.org)
        else:
            before = [q.org for q in people[:k] if q.org is not None and not is_reference(q.org.name)]
            p.org = before[-1] if before else (group_orgs[-1] if group_orgs else None)


def _named_before(head: str, orgs: Sequence[OrgMention]) -> OrgMention | None:
    """Return the last organisation of `orgs` whose name has the institution word `head`, else None."""
    return next(
        (o for o in reversed(orgs) if not o.host and bare_head(o.name) is None and head in fold(o.name).split()), None
    )


_FROM = re.compile(r"\s*,?\s+(?:from|of)\s+(?:the\s+)?")
_LIST_GLUE = re.compile(r"\s*(?:,\s*and|,|and)\s+(?:(?:Mr|Mrs|Ms|Mme|Mlle|Dr|Prof|Miss)\.?\s+)?")


def _from_org(sentence: str, people: list[PersonMention], starts: list[int], ends: list[int], labels: set[str]) -> None:
    """Read "X and Y from OCLC visited": the organisation after "from" is that of the list before it."""
    for k, p in enumerate(people):
        hi = starts[k + 1] if k + 1 < len(people) else len(sentence)
        m = _FROM.match(sentence, ends[k], hi)
        if m is None or (p.org is not None and not p.inherited):
            continue  # "… of IFLA, and Y from the Library of X": Y's own "from" beats the list's organisation
        rest = sentence[m.end() : min(hi, m.end() + _WINDOW)]
        cut = _VERBS.search(rest)
        org_text = re.split(r",|\s[–—-]\s", rest[: cut.start()] if cut else rest)[0].strip()
        # "X from the Y and Z from the W": the "and" before the next person is the list's, not the body's
        org_text = re.sub(r"\s+(?:and|as\s+well\s+as|together\s+with|with)$", "", org_text)
        if not looks_org(org_text) or _is_host_org(org_text, labels) or place_code(org_text):
            continue
        org = parse_org(org_text)
        j = k
        while j >= 0 and (people[j].org is None or (j == k and people[j].inherited)) and not people[j].host:
            people[j].org, people[j].inherited = org, False
            if j == 0 or not _LIST_GLUE.fullmatch(sentence[ends[j - 1] : starts[j]]):
                break
            j -= 1


#: A periodical named by its kind in lower case ("American Libraries magazine"): a title, not an institution.
_PUBLICATION = re.compile(r"\s(?:magazine|newspaper|journal|bulletin|yearbook)\s*$")
_PERIODICAL_NEXT = re.compile(r"\s(?:magazine|newspaper|journal|bulletin|yearbook)\b")
#: What someone took part in before ("who had taken part in the Internet Governance Forum"): not a visitor.
_TOOK_PART = re.compile(
    r"\b(?:(?:took|taken|taking|take)\s+part|participat\w{0,6})\s+in\s+[^,.;]{1,150}"
    r"|\b(?:come|came|arrived)\s+(?:to|in)\s+[A-Z][\w-]*\s+(?:for|to\s+attend)\s+[^,.;]{1,150}"
    r"|,\s+(?:a|an|the)\s+(?:participant|delegate|speaker|attendee)\s+(?:of|at|in|to)\s+(?:the\s+)?[^,.;]{1,150}"
    r"|\b(?:is|was|were|are)\s+in\s+[A-Z][\w-]*\s+(?:for|to\s+attend)\s+[^,.;]{1,150}"
    # who pays for or publishes something is not who came: "funded by the X Foundation", "published by X"
    r"|\b(?:funded|sponsored|supported|financed|published)\s+by\s+[^,.;]{1,150}|\bwith\s+the\s+support\s+of\s+[^,.;]{1,150}"
    # where or around what something else happens is no visiting institution: "a conference held at the X
    # University", "on the eve of the session of the X Council", "on the sidelines of the X Forum"
    r"|\b(?:held|organi[sz]ed|taking\s+place|took\s+place)\s+(?:at|in)\s+[^,.;]{1,150}"
    r"|\b(?:[Oo]n\s+the\s+eve|[Aa]head|[Oo]n\s+the\s+(?:sidelines|margins)|(?:[Ww]ith)?[Ii]n\s+the\s+framework)\s+of"
    r"\s+[^,.;]{1,150}"
)


#: Words that make what an editor works for a publisher, not a periodical ("editor of the Kitab Publishing House").
_PUBLISHER = re.compile(r"\b(?:publish\w*|press|house|agency|news|media)\b", re.I)


def _edits_periodical(title: str | None, org_text: str) -> bool:
    """Say whether a title's "of" names a periodical: an editor (in chief) of a name without a publisher's word.

    >>> _edits_periodical("former editor-in-chief", "American Libraries"), _edits_periodical("editor", "Kitab Press")
    (True, False)
    """
    head = (title or "").casefold().split()
    return bool(head) and head[-1].startswith(("editor", "ex-editor")) and not _PUBLISHER.search(org_text)


#: An owner's possessive opening an institution's name ("RSL's Oriental Literature Centre"): the part is the owner's.
_OWNER_PART = re.compile(r"^(?:the\s+)?(?P<owner>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,8})['’]s\s+(?P<part>\S.*)$")


#: A firm's kind right before its name: "… of the publishing house X", "… of the Istanbul company X".
_FIRM_KIND_BEFORE = re.compile(r"\b(?:publishing\s+house|company|firm|corporation|publisher)\s+[\"“]?$", re.I)


def _apply_descriptor(p: PersonMention, desc: str | None, labels: set[str]) -> None:
    if desc is None:
        return
    if _HOST_DESC.search(desc):
        p.host = True
        p.job_title = _normalise_title(_HOST_DESC.sub("", desc))
        return
    title, org_text = split_descriptor(desc)
    p.job_title = _normalise_title(title)
    # "editor-in-chief of the Istanbul publishing house Yeni Kervan Yayınları": the descriptor says it is a publisher
    if org_text and (
        _PUBLICATION.search(org_text) or (_edits_periodical(title, org_text) and not _PUBLISHER.search(desc))
    ):
        p.job_title = _normalise_title(desc)  # "editor-in-chief of American Libraries magazine": no institution
        if not _PUBLICATION.search(org_text):  # "editor-in-chief of Sputnik Azerbaijan": a known agency, or nothing
            p.edits = org_text.strip()
        return
    owned = _OWNER_PART.match(org_text) if org_text else None
    if owned is not None and place_code(owned.group("owner")) is None:
        # "head of the RSL's Oriental Literature Centre": a part of the owner, which is the organisation
        p.job_title = _normalise_title(f"{title or ''} of the {owned.group('part')}".strip())
        org_text = owned.group("owner")
    if org_text:
        if _is_host_org(org_text, labels):
            p.host = True
            return
        p.org = parse_org(org_text)
        at = desc.find(org_text)
        if at > 0 and _FIRM_KIND_BEFORE.search(desc[:at]):  # "of the publishing house Springer Nature": a firm
            p.org.firm = True
        if title and re.search(r"\bof\s+the\s+library$", title):  # "director of the library of X University"
            p.org.library_of = True


#: The end of a sentence inside a look-back window (a lower-case word and a full stop; not "M." or "Dr.").
#: ("… Trần Quốc Bảo. Deputy …": a word ending in a letter with diacritics ends a sentence too)
_SENTENCE_BREAK = re.compile(
    # two letters before the stop are enough to tell (a longer run is read once, not once per start: issue 21)
    r"(?:[a-zß-öø-ÿ\u0100-\u024f\u1e00-\u1eff\d”\"]{2}|\b[A-ZÀ-ÖØ-ÞİŞÇĞƏ]{2,}\)?)[.!?]\s+"
)  # "… of TÜRKSOY. The …"


def _find_hosts_elsewhere(text: str, start: int, out: VisitFindings, known: set[str], labels: set[str]) -> None:
    """Add host-side people named after the visit sentence ("Director of the library Mayil Ahmedov").

    A later sentence's person is host staff when known as such (also in inverted order or with an initial), when
    the title names the library or one of its parts, when the title is a staff title with no institution
    ("deputy director Farid Najafov", "X, head of the department of rare books, …"), or when the guests are
    briefed, received, guided or accompanied by them. A later mention of a visitor (by surname, initials or in
    inverted order: "Mr. Serageldin", "Dr. S. Tan") is never a host.
    """
    seen = {fold(p.name) for p in out.hosts}
    for p in find_people(text, start):
        if any(short_form_of(p.name, v.name) for v in out.visitors):
            continue
        pre = text[max(0, p.start - 120) : p.start]
        ends = list(_SENTENCE_BREAK.finditer(pre))
        own = pre[ends[-1].end() :] if ends else pre
        if _OTHER_TIME.search(own):
            continue  # "… recalled that … during the visit of the then Director General X": someone of another time
        desc, _ = _pre_descriptor(own)
        window = text[max(0, p.start - 200) : p.start]
        breaks = list(_SENTENCE_BREAK.finditer(window))
        members = _MEMBERS.search(window[breaks[-1].end() :] if breaks else window)
        members = members if members is not None and _names_guests(members, out.orgs, labels) else None
        in_members = members is not None
        # "The delegation (also) included X, head of the library's branch": a list of the guests themselves, where
        # "the library's" is the guests' library ("attended/accompanied by" lists may name host staff)
        in_delegation = members is not None and not members.group(0).startswith(("was", "were"))
        is_host = (
            fold(p.name) in known
            or _inverted_known(p.name, known)
            or _initialled_known(p.name, known)
            # "The delegation was headed by the director of the library X": the delegation's library
            or (desc is not None and _HOST_DESC.search(desc) is not None and not in_delegation)
        )
        if not is_host and desc is None and not in_delegation:  # "X, head of the library's … sector, told …"
            desc = _staff_after(text, p)
            is_host = desc is not None
        if not is_host and desc is not None and not in_members:
            of = re.search(r"\s(?:of|at)\s+(.+)$", desc)  # "the head of the Reading Room X": a part of the host
            org_text = split_descriptor(desc)[1] or (of.group(1) if of else None)
            is_host = org_text is not None and _is_host_org(org_text, set())
            if org_text is not None and _HOLDINGS_FUND.fullmatch(org_text) and _receives_guests(text, pre, p):
                # "Head of the Rare Books Fund X acquainted the guests with …": a fund of holdings is the library's
                org_text, is_host = None, True
            if is_host:
                desc = desc[: desc.casefold().rfind(" of ")] if " of " in desc else desc
            elif (
                org_text is None
                and not _OTHERS_PART.search(own)
                and (_receives_guests(text, pre, p) or _staff_title(desc))
            ):
                is_host = True  # "They were received by Deputy Director X", "deputy director X showed the guests …"
        if (
            not is_host
            and not in_members
            and _GIVEN_BY.search(own)
            and not _AUTHOR_BY.search(own)
            and _GUESTS_BEFORE.search(_own_sentence(text, p))
        ):
            is_host = True  # "The guests … were in turn given the album by chief bibliographer X": who gives to them
        if not is_host and not in_members and _GIVEN_TO.search(own) and _GUESTS_BEFORE.search(_own_sentence(text, p)):
            is_host = True  # "The guest handed over to X, head of the acquisitions department, a set of …": receives
        slot = not is_host and desc is None and not in_members and (_HOST_SLOT.search(own) or _HOST_LIST.search(own))
        if slot and (body := _of_another_body_after(text, p, labels)) is not None:
            if re.match(r"\s*[Aa]ccompanied\s+by", own) and fold(p.name) not in {
                fold(v.name) for v in out.visitors
            }:  # "Accompanied by X, head of the … of the RGB, he met …": the guest's companion, of that body
                p.org = parse_org(body)
                out.visitors.append(p)
            continue
        if slot:
            is_host = True  # "The guest was briefed by X on …", "Under the guidance of X, the guests …"
        if not is_host and desc is not None and not in_members and _unnamed_part_in_host_slot(own, desc):
            is_host = True  # "received by X and head of the reading halls department Y": a part of the host
        if not is_host and desc is not None and _unnamed_part_after_host(own, desc, out.hosts):
            is_host = True  # "attended by <the library's deputy director> X and head of the … department Y"
        if not is_host and not in_members and _OWN_STAFF_LIST.search(own):
            is_host = True  # "The guest met the library's leading specialists X and Y": the host's, each of them
        if (
            not is_host
            and not in_delegation
            and not _OTHERS_PART.search(own)
            and _OWN_TITLE.search(own)
            and not re.search(r"\b(?:accompanied|joined)\s+by\b", own)  # a guest's companion: of the guest's library
        ):
            is_host = True  # "the library's chief bibliographer X spoke …", "The library's staff member X …"
        if (
            not is_host
            and desc is not None
            and not in_members
            and _lower_part(desc)
            and not _OTHERS_PART.search(own)
            and _as_staff(text, p, own, out.hosts)
        ):
            is_host = True  # "… and the head of the electronic resources department X presented the library's archive":
            # a part in lower-case words that no body owns, who tells or shows, or meets the guests with the host
        acts = not is_host and not in_members and _receives_guests(text, pre, p)
        if acts and desc is not None and _lower_part(desc):
            is_host = True  # "The head of the rare books department X (and …) showed them …": a part of the host
        if acts and not is_host and (neighbour := _acting_neighbour(own, out.hosts)) is not None:
            is_host, desc = True, neighbour  # "<host> and chief bibliographer Y showed them …": one predicate
        if is_host and fold(p.name) not in seen and not _initial_fits(p.name, seen):
            p.host = True
            p.job_title = _normalise_title(_HOST_DESC.sub("", desc)) if desc else None
            out.hosts.append(p)
            seen.add(fold(p.name))


#: Words that put a person named after them at another time than the visit.
_OTHER_TIME = re.compile(r"\b(?:the\s+then|the\s+late|at\s+that\s+time)\b[^,;.]{0,60}$")


#: The library's staff in the plural, then a list of names up to the one at the end of the text: "the library's
#: leading specialists X and Y", "the library's chief librarians X, Y and Z" (decision 0064).
_OWN_STAFF_LIST = re.compile(
    r"\bthe\s+library[’']s\s+(?:[a-z-]+\s+){0,2}(?:specialists|librarians|bibliographers|curators|experts|"
    r"employees|researchers|staff\s+members|members\s+of\s+staff)\s+"
    r"(?:[^\W\d_a-z][\w’'.-]*(?:\s+[^\W\d_a-z][\w’'.-]*){0,3}(?:\s+and\s+|,\s*(?:and\s+)?))*$"
)


#: A title of the library's own right before a name: "the library's chief bibliographer X", "The library's staff member
#: X".
_OWN_TITLE = re.compile(r"\b[Tt]he\s+library[’']s\s+(?:[a-z-]+\s+){1,3}$")


def _of_another_body_after(text: str, p: PersonMention, labels: set[str]) -> str | None:
    """Return the body other than the host that a title after a name ends with ("Accompanied by X, head of the …
    Department of the RGB, he met …": X is the guest's companion, not the host's guide), else None."""
    m = _TITLE_OF_BODY_AFTER.match(text, p.start + len(p.name))
    last = list(re.finditer(r"\s(?:of|at)\s+(?:the\s+)?", m.group("title"))) if m is not None else []  # the last "of"
    body = m.group("title")[last[-1].end() :].strip() if m is not None and last else ""
    if not body[:1].isupper():
        return None  # no body, or a part in lower-case words: the host's as much as anyone's
    host = _is_host_org(body, labels) or re.match(r"(?:Presidential\s+)?[Ll]ibrary\b", body)
    return None if host else body


def _unnamed_part_in_host_slot(own: str, desc: str) -> bool:
    """Say whether a person whose title comes before the name stands in the slot of who received the guests and
    the title names no institution of its own, only a part in lower-case words ("and head of the reading halls
    department Y"): the guests are at the host, so that part is the host's (the slot, not a list of parts).

    >>> _unnamed_part_in_host_slot("They were received by X and head of the rare books department ",
    ...                            "head of the rare books department")
    True
    >>> _unnamed_part_in_host_slot("They were received by X and head of the Rare Books Society ",
    ...                            "head of the Rare Books Society")
    False
    """
    at = own.rfind(desc)
    if at < 0:
        return False
    of = re.search(r"\s(?:of|at)\s+(.+)$", desc)
    if of is not None and re.search(CAP, of.group(1)):
        return False  # a named body: the guest's, or the host's by its name (decided above)
    before = own[:at]
    return _HOST_LIST.search(before) is not None or _HOST_SLOT.search(before) is not None


#: Words that name a part of a body, in lower case in a title ("head of the electronic resources department").
_PART_NOUNS = SUB_UNITS | PART_WORDS | frozenset({"centre", "center", "office", "fund", "funds"})


def _unnamed_part_after_host(own: str, desc: str, hosts: Sequence[PersonMention]) -> bool:
    """Say whether a person comes right after a host in one list ("X and <title> Y", "X, <title>, and <title> Y")
    with a title that names a part in lower-case words and no institution ("head of the maps sector"): the part is
    the host's, as its member's neighbour in the list is (any list: "attended by", "among them", not only "received
    by"). A title of a group ("head of the delegation"), naming a body, or owned by another ("of her department") is
    not such a part.

    >>> host = [PersonMention("Rashad Aliyev", host=True)]
    >>> own = "It was attended by deputy director of the library Rashad Aliyev and head of the maps sector "
    >>> _unnamed_part_after_host(own, "head of the maps sector", host), _unnamed_part_after_host(own, "head of the maps sector", [])
    (True, False)
    >>> own = "It was attended by deputy director of the library Rashad Aliyev and head of the delegation "
    >>> _unnamed_part_after_host(own, "head of the delegation", host)
    False
    """
    at = own.rfind(desc)
    if at < 0 or not (_lower_part(desc) or _capital_part(desc)):
        return False
    before = own[:at][-400:]
    return any(re.search(re.escape(h.name) + r"(?:,[^,.;]{1,120},)?\s+and\s+$", before) for h in hosts if h.host)


def _as_staff(text: str, p: PersonMention, own: str, hosts: list[PersonMention]) -> bool:
    """Say whether a later sentence's person acts as the host's staff: their verb tells or shows ("X presented the
    library's archive", "X spoke about …"), they are met with the host ("During the meeting with director A and the
    head of the … department X"), or a host is named before them in the same sentence."""
    verb = re.match(r"(?:,[^,.;]{1,80},)?\s+(?:also\s+|then\s+)?([a-z]+)", text[p.start + len(p.name) :])
    if verb is not None and verb.group(1) in _STAFF_VERBS:
        return True
    if re.search(r"\b(?:meeting|met|talks)\s+with\b", own):
        return True
    if re.match(
        r"(?:\s+and\s+[^.;]{1,80}?)?\s+(?:took\s+part|participated)\s+in\s+the\s+meeting\b",
        text[p.start + len(p.name) :],
    ):
        return True  # "X and the leading specialists of the library took part in the meeting": the host's side
    return any(h.name in own for h in hosts)


def _capital_part(desc: str) -> bool:
    """Say whether a title names a part in capitals and no body: a field, then the part's noun ("head of the
    Acquisition Department", "head of the Rare Books Sector"); read so only beside a host in one list.

    >>> _capital_part("head of the Acquisition Department"), _capital_part("head of the Rare Books Society")
    (True, False)
    >>> _capital_part("head of the National Library Department"), _capital_part("head of her Department")
    (False, False)
    """
    of = re.search(r"\s(?:of|at)\s+the\s+((?:[A-Z][\w-]*\s+(?:and\s+)?){1,4}([A-Z][a-z]+))$", desc)
    if of is None or of.group(2).casefold() not in _PART_NOUNS:
        return False
    return not any(w.casefold() in INSTITUTION_HEADS for w in of.group(1).split()[:-1])


def _lower_part(desc: str) -> bool:
    """Say whether a title names a part of a body in lower-case words and no body ("head of the maps sector"), and
    the part is not someone else's ("of her department", "of the guests' department").

    >>> _lower_part("head of the rare books department"), _lower_part("head of the Rare Books Society")
    (True, False)
    >>> _lower_part("head of her department"), _lower_part("head of the delegation")
    (False, False)
    """
    of = re.search(r"\s(?:of|at)\s+(?:the\s+)?([^,.;]+)$", desc)
    if of is None or of.group(1).split()[-1] not in _PART_NOUNS:  # the part's noun, in lower case
        return False
    if re.search(CAP, of.group(1)) and any(w.casefold() in INSTITUTION_HEADS for w in of.group(1).split()[:-1]):
        return False  # "head of the Rare Books Society", "of the National Library sector": a body's name in it
    if re.search(CAP, of.group(1)) and not re.fullmatch(r"(?:[A-Z][\w-]*\s+(?:and\s+)?){1,4}[a-z]+", of.group(1)):
        return False  # only a field in capitals before the part's noun: "the International Relations sector"
    return not re.search(r"['’]s\b|\b(?:their|his|her)\b", of.group(1))


def _acting_neighbour(own: str, hosts: Sequence[PersonMention]) -> str | None:
    """Return the lower-case title of a person written right after a host in one list ("<host> and chief
    bibliographer Y"), else None: with a predicate on the guests that both share (asked by the caller), Y is staff.

    >>> _acting_neighbour("The head of the maps sector Aysel Quliyeva and chief bibliographer ",
    ...                   [PersonMention("Aysel Quliyeva", host=True)])
    'chief bibliographer'
    >>> _acting_neighbour("Aysel Quliyeva and Professor ", [PersonMention("Aysel Quliyeva", host=True)]) is None
    True
    """
    for h in hosts:
        m = re.search(re.escape(h.name) + r"\s+and\s+((?:[a-z][\w-]*\s+){1,3})$", own[-400:]) if h.host else None
        if m is not None:
            return m.group(1).strip()
    return None


#: Where a later sentence names who received or guided the guests: "briefed by", "accompanied by" (opening the
#: sentence or after the guests), "under the guidance of".
_HOST_SLOT = re.compile(
    r"(?:\b(?:(?i:guests?|visitors?|they|he|she|delegation)|[Tt]he\s+[\w-]+)\s+(?:was|were)\s+(?:briefed|received|"
    r"welcomed|met|greeted|"
    r"hosted|guided|shown\s+around|escorted|accompanied)\s+by|^\s*(?:[Aa]ccompanied|[Gg]uided|[Ee]scorted)\s+by|"
    r"\b[Uu]nder\s+the\s+(?:guidance|leadership|direction)\s+of)\s+(?:the\s+)?$"
)
#: The next of several people who received or briefed the guests: "received by X, director of the library, and Y".
_HOST_LIST = re.compile(
    r"\b(?:briefed|received|welcomed|greeted|hosted|guided|escorted|met)\s+by\s+[^.;]{1,160}?,?\s+and\s+(?:by\s+)?(?:the\s+)?$"
)
#: The agent of a handing-over whose receivers are the sentence's subject: "… were (in turn) given the album by
#: (chief bibliographer) X" — whoever gives to the guests is on the host's side.
_GIVEN_BY = re.compile(
    r"\b(?:was|were)\s+(?:(?:in\s+(?:their\s+|his\s+|her\s+)?turn|also|then)\s+)?(?:given|presented|handed)\b"
    r"[^.;]{0,200}?\bby\s+(?:[a-z][\w-]*\s+){0,3}$"
)

#: The author of the thing handed over, not its giver: "were presented with the book \"Khamsa\" by X", "a novel by X"
#: (a title between "by" and the name makes a giver: "the album by chief bibliographer X").
_AUTHOR_BY = re.compile(
    r"(?:[\"”»]\s*|\b(?:books?|novels?|poems?|albums?|works?|collection|monographs?|editions?|stories|story|essays|"
    r"translations?|paintings?|portraits?|publications?|written|authored|compiled|edited|translated|illustrated|"
    r"published|painted|composed)\s+)by\s+$"
)


#: The receiver of a handing-over whose giver is the sentence's guest: "The guest handed over to X …".
_GIVEN_TO = re.compile(
    r"\b(?:handed\s+over|presented|donated|gave|gifted)\s+"
    r"(?:(?!\b(?:with|dedicated|devoted|related|due|according|thanks|addressed)\b)[^.;,]){0,80}?\bto\s+(?:the\s+)?$"
)


def _own_sentence(text: str, p: PersonMention, reach: int = 600) -> str:
    """The person's sentence up to the name (at most `reach` characters back)."""
    return _sentence_before(text, p.start, reach)


def _sentence_before(text: str, at: int, reach: int) -> str:
    """The sentence `at` is in, up to `at`, at most `reach` characters back ("Dr." ends no sentence)."""
    pre = text[max(0, at - reach) : at]
    ends = list(_SENTENCE_BREAK.finditer(pre))
    return pre[ends[-1].end() :] if ends else pre


_GUESTS_BEFORE = re.compile(r"\b(?:[Tt]he\s+(?:guests?|visitors?|delegation)|[Tt]hey|[Hh]e|[Ss]he)\b")
#: A part of the guests' own body opening the list a name is in ("The head of her department X and senior bibliographer
#: Y showed him …"): who acts with them is not read as the host's by the title alone.
_OTHERS_PART = re.compile(r"\b(?:his|her|their)\s+(?:own\s+)?(?:department|sector|division|section|unit|office)\b")
#: Staff titles that name no institution: a later sentence's "deputy director X" is the host's.
_STAFF_HEADS = frozenset("director head librarian curator manager specialist coordinator".split())
#: A staff title after a name that ends with a body in capitals: "X, head of the Department of Electronic Resources
#: of the RGB, …".
_TITLE_OF_BODY_AFTER = re.compile(
    r",\s+(?:the\s+)?(?:[a-z-]+\s+|(?:Deputy|Chief|Senior|Leading)\s+){0,3}(?i:"
    + "|".join(sorted(_STAFF_HEADS | {"chief"}))
    + r")\s(?P<title>[^,;.]{0,200})"
)


#: A library's holdings named as its fund ("the Rare Books Fund", "the Manuscripts Fund"): a part of the library, no
#: foundation ("the Heydar Aliyev Fund" is one).
_HOLDINGS_FUND = re.compile(
    r"(?:[A-Z][\w-]*\s+){0,3}(?:Books|Manuscripts|Periodicals|Editions|Prints|Maps|Collections?|Literature|Library)"
    r"\s+Fund"
)


def _staff_title(desc: str) -> bool:
    """Say whether a descriptor is a staff title naming no institution ("deputy director", "director").

    >>> _staff_title("deputy director"), _staff_title("Director General"), _staff_title("Ambassador")
    (True, True, False)
    """
    words = re.sub(r"^(?:the|a|an)\s+", "", desc.strip(" ,"), flags=re.I).casefold().split()
    return 0 < len(words) <= 3 and any(w in _STAFF_HEADS for w in words) and " of " not in f" {desc} "


def _inverted_known(name: str, known: set[str]) -> bool:
    """Say whether a name is a known host-side person's written surname first ("Ahmadov Mayil").

    >>> _inverted_known("Ahmadov Mayil", {"mayil ahmadov"}), _inverted_known("Mayil Rzayev", {"mayil ahmadov"})
    (True, False)
    """
    words = fold(name).split()
    return len(words) == 2 and f"{words[1]} {words[0]}" in known


def _initialled_known(name: str, known: set[str]) -> bool:
    """Say whether a name written with initials ("M. Ahmadov") fits exactly one known host-side person.

    >>> _initialled_known("M. Ahmadov", {"mayil ahmadov", "nigar hasanova"}), _initialled_known("K. Ahmadov", {"mayil ahmadov"})
    (True, False)
    """
    return len(_initial_fits(name, known)) == 1


def _initial_fits(name: str, names: Iterable[str]) -> list[str]:
    """Return the folded full names a name written with initials ("M. Ahmadov") can be."""
    words = fold(name).replace(".", " ").split()
    if len(words) < 2 or any(len(w) > 1 for w in words[:-1]):
        return []
    return [k for k in names if k.split()[-1] == words[-1] and k.split()[0].startswith(words[0])]


#: A staff title after a name, of the library or of a part with no owner named ("head of the department of rare
#: books", "head of the library's public relations sector", "deputy director for information technologies").
_STAFF_AFTER = re.compile(
    r"^,\s+(?P<desc>(?:the\s+|an?\s+)?(?i:deputy\s+|chief\s+|senior\s+|leading\s+)?(?i:head|director|librarian|manager|"
    r"specialist|curator|coordinator)\b[^,.;()]{0,100}?)(?:,\s+(?:who\s+)?(?P<verb>[a-z]+)|(?P<end>[.;]|,?\s+and\s))"
)
#: A title that names the host in its own words: "head of the library's acquisitions department" ("director of the
#: library" alone is not enough: in "attended by X, director of the library" the library may be the guests').
_OWN_LIBRARY = re.compile(r"\bthe\s+library[’']s\b|\bof\s+the\s+Presidential\s+Library\b")
#: What host staff do in a later sentence: receive, show, tell, thank the guests, or speak about the library.
#: Verbs of going with the guests: a colleague may too, so they make host staff only of a title "of the library"
#: ("X, deputy director of the library, who accompanied the guest, …"; decision 0068).
_ESCORT_VERBS = frozenset("accompanied assisted escorted".split())
_STAFF_VERBS = frozenset(
    "acquainted showed told informed introduced presented spoke talked guided thanked greeted welcomed received "
    "demonstrated explained briefed familiarized familiarised answered "
    # what staff do for a reader: "X, head of the Periodicals sector, brought out for him newspapers of 1918"
    "brought prepared selected provided offered organised organized conducted".split()
)


def _staff_after(text: str, p: PersonMention) -> str | None:
    """Return the title written after a later sentence's person who acts as host staff, else None: the title
    names the library itself ("X, head of the library's acquisitions department", whatever the sentence says of
    them), or they receive, show or tell the guests."""
    after = text[p.start + len(p.name) : p.start + len(p.name) + 200]
    m = _STAFF_AFTER.match(after)
    if m is None:
        return None
    desc = m.group("desc")
    if re.search(r"\b(?:delegation|guests?|visiting|visitors?|group)\b", desc, re.I):
        return None  # "X, Head of the Estonian delegation, told …": the guests' own
    escorts = m.group("verb") in _ESCORT_VERBS and re.search(r"\bof\s+the\s+library\b", desc) is not None
    # "The guest met with X, head of the library automation department, and …": whom the guests meet, at the host
    met = re.search(r"\b(?:met|meeting|talks|talked)\s+with\s+$", text[max(0, p.start - 40) : p.start]) is not None
    # "Information about the library was given by X, head of the reader services department": who tells the guests
    met = (
        met
        or re.search(
            r"\b(?:was|were)\s+(?:given|provided|conducted|delivered|made|shown)\s+by\s+$",
            text[max(0, p.start - 40) : p.start],
        )
        is not None
    )
    if m.group("verb") not in _STAFF_VERBS and not _OWN_LIBRARY.search(desc) and not escorts and not met:
        return None  # what they did says nothing, and the title names no part of the host
    if re.match(r"an?\s", desc) and not _OWN_LIBRARY.search(desc) and not escorts:
        return None  # "X, a curator from Madrid, told …": one of many such, whose is not said (decision 0068)
    org = split_descriptor(desc)[1]
    if (
        org is not None
        and not _is_host_org(org, set())
        and not re.search(r"\bthe library[’']s\b", desc)
        and not _lower_part(desc)  # "X, head of the Reader Services department, told …": a part of the host
    ):
        return None  # "X, director of the City Library, spoke …": another institution's
    return re.sub(r"\s+of\s+the\s+library[’']s\b", " of the", desc)


_RECEIVED_BY = re.compile(r"\b(?:received|welcomed|met|greeted|hosted|accompanied)\s+by\s+(?:the\s+)?[^,.;]{0,60}$")
_ACTS_ON_GUESTS = re.compile(
    # "X, …, showed them", "X and chief bibliographer Y showed them": the person's predicate, shared in a list
    r"^(?:,[^,.;]{1,80},)?(?:\s+and\s+[^,.;]{1,80}?)?\s+(?:greeted|welcomed|received|met|showed|informed|told|acquainted|introduced|thanked|"
    r"presented|gave|handed|guided|accompanied|demonstrated|explained|briefed)\b[^.;]{0,120}?"
    r"\b(?:guests?|them|him|her|delegation|visitors?|students|participants|pupils|group)\b"
)


def _receives_guests(text: str, pre: str, p: PersonMention) -> bool:
    """Say whether a person named by a title alone acts as the host: received the guests, or acts on them."""
    after = text[p.start + len(p.name) : p.start + len(p.name) + 200]
    return bool(_RECEIVED_BY.search(pre) or _ACTS_ON_GUESTS.search(after))


#: A later sentence that names who came: "The delegation was headed by …", "The delegation included …",
#: "The opening was attended by …", "Its members, X and Y, …". Members of a delegation share its organisation;
#: attendees do not.
_MEMBERS = re.compile(
    # "The first (delegation), from X, was led by …; the second consisted of …": several delegations by their order
    # "The TURKSOY group included …", "The Kyrgyz delegation was led by …": a group named by its body or country
    r"\b(?:[Tt]he\s+(?:(?P<ordinal>first|second|third|other)(?:\s+(?:delegation|group))?|"
    r"(?:(?P<named>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})\s+)?(?P<noun>delegation|group))"
    r"(?:,\s+which|,\s+from\s+(?:the\s+)?(?P<from>[A-Z][^,;.]{2,150}),)?\s+(?:also\s+)?"
    r"(?:was\s+(?:headed|led)\s+by|included|consisted\s+of|comprised)"
    r"|(?P<its>[Ii]ts|[Tt]heir)\s+members(?:\s+(?:were|included))?,?"
    # "The delegation members were X, Y and Z", "Members of the delegation were …"
    r"|\b(?:[Tt]he\s+(?P<its2>delegation|group)(?:[’']s)?\s+members|[Mm]embers\s+of\s+the\s+(?:delegation|group))"
    # ("the members of the delegation were presented with …": a passive, not their list)
    r"\s+(?:were(?!\s+(?:also\s+)?(?:presented|given|shown|told|taken|brought|informed|acquainted|welcomed|received|"
    r"familiari[sz]ed|briefed|introduced|handed|offered|invited|awarded|impressed|interested|accompanied|met)\b)|included)"
    r"|\b[Tt]he\s+(?P<side>[A-Z][\w-]*)\s+side\s+was\s+represented\s+by"  # "the Kyrgyz side was represented by"
    r"|(?:was|were)\s+(?:also\s+)?(?:attended|joined|accompanied)\s+by"
    # the visitors named back as a whole, then listed: "Among the guests were …", "The participants included …"
    r"|\b[Aa]mong\s+(?:the\s+|them\s+)?(?:guests|visitors|participants|delegates)\s+(?:were|was)"
    r"|\b[Tt]he\s+(?:guests|visitors|participants)\s+included"
    # the subject after its verb, the guests its companions: "Together with them came X" (decision 0061)
    r"|\b(?:[Tt]ogether|[Aa]long)\s+with\s+(?:them|him|her|the\s+(?:guests?|visitors?|delegation))\s+"
    r"(?:came|arrived|travelled|traveled|was|were)"
    # and without "together", a pronoun and a verb of coming only: "With him came X" ("With the guests was X, head of
    # the library's department" may be the host's, who is with them at the library; decision 0066)
    r"|(?:^|(?<=[.;]\s))With\s+(?:them|him|her)\s+(?:came|arrived|travelled|traveled)"
    # the subject after its verb, the delegation where it is: "Also in the delegation was X" (decision 0066)
    r"|\b(?:[Aa]lso\s+)?(?:[Ii]n|[Aa]mong)\s+the\s+(?:delegation|group)\s+(?:was|were))\s+"
)


def _find_companions_elsewhere(
    text: str, start: int, out: VisitFindings, labels: set[str], known_hosts: set[str]
) -> None:
    """Add a titled person a later sentence joins to a guest as the subject of one verb: "Head of the delegation A.
    Rakhimzhanov and the head of the digitization department of the Kazakh library Aigerim Zhaksylykova spoke about
    …" (the second speaks with the guest, for the guests' side; a title of the host's library makes host staff)."""
    seen = _named_already(out)
    guests = {fold(p.name) for p in out.visitors} | {fold(n) for p in out.visitors for n in p.alternate_names}
    for m in _SENTENCE_START.finditer(text, start):
        stop = first_sentence_end(text[m.end() : m.end() + 600]) + m.end()
        people = _people_in(text, m.end(), stop)
        for before, p in itertools.pairwise(people):
            between = text[before.start + len(before.name) : p.start]
            if fold(before.name) not in guests and not any(short_form_of(before.name, v.name) for v in out.visitors):
                continue
            joined = _COMPANION_JOIN.fullmatch(between)
            if joined is None or fold(p.name) in seen or fold(p.name) in known_hosts or _initial_fits(p.name, seen):
                continue
            if not _COMPANION_VERB.match(text, p.start + len(p.name)):
                continue  # "A. Rakhimzhanov and X spoke …": one verb for both; not "… thanked A and X"
            desc, _ = _pre_descriptor(between[joined.start("desc") :])
            if desc is None or _HOST_DESC.search(desc) or _OWN_LIBRARY.search(desc):
                continue
            _apply_descriptor(p, desc, labels)
            if p.org is not None and (bare_head(p.org.name) is not None or _unit_of_no_body(p.org.name)):
                p.org = None  # "of the Kazakh library": the guests' library, named before
            if not p.host:
                out.visitors.append(p)
                seen.add(fold(p.name))


#: Between a guest's name and a companion's: "and", then the companion's title ("and the head of … of the X library").
_COMPANION_JOIN = re.compile(r"\s+and\s+(?P<desc>(?:the\s+)?[^,.;()]{3,160}?)\s*,?\s*")
#: The verb the two share, right after the second name (or the comma that closes it: "…, Anu Tamm, spoke").
_COMPANION_VERB = re.compile(
    r",?\s+(?:also\s+)?(?:spoke|talked|told|informed|presented|gave|noted|stressed|said|shared|emphasi[sz]ed|"
    r"underlined|highlighted|expressed|thanked)\b"
)


def _named_already(out: VisitFindings) -> set[str]:
    """Return the folded names of the people found so far, a visitor's other forms included."""
    return {fold(p.name) for p in out.visitors + out.hosts} | {fold(n) for p in out.visitors for n in p.alternate_names}


def _find_members_elsewhere(text: str, start: int, out: VisitFindings, labels: set[str], known_hosts: set[str]) -> None:
    """Add the people a later sentence names as members of the delegation or attendees of the event."""
    seen = _named_already(out)
    for m in _MEMBERS.finditer(text, start):
        stop = m.end() + first_sentence_end(text[m.end() : m.end() + 400])
        after = _MEMBERS.search(text, m.end(), stop)  # "…; the second consisted of …": the next list starts there
        stop = after.start() if after is not None else stop
        piece = re.sub(r"\s+and\s+(?:included|was\s+joined\s+by)\s+", ", and ", text[m.end() : stop])
        # a blanked honorific's spaces closed up: a list's titles run into its names as written without one
        piece = re.sub(r"(?<=\S) {2,}(?=\S)", " ", piece)
        people = find_people(piece)
        if not people or any(fold(p.name) in seen for p in people):
            continue  # the visit sentence named them already
        noun: str = m.group("noun") or (
            "delegation" if m.group("its") or m.group("its2") or m.group("ordinal") or m.group("side") else "attendees"
        )
        own = [parse_org(name_part(m.group("from")).strip())] if m.group("from") else []
        if not _names_guests(m, out.orgs, labels):
            continue  # "The Presidential Library group included …", "the Azerbaijani side …": not the guests
        named = m.group("named") or m.group("side")
        if named and not own:
            own = _group_named(named, out.orgs, labels)
        # another delegation by its order shares no institution with the ones named before it
        shared = own or ([] if m.group("ordinal") else out.orgs)
        groups: list[tuple[int, int, str, OrgMention | None]] = [(0, 0, noun, o) for o in shared]
        if m.group("ordinal") and not own:  # "… consisted of X and Y, specialists of Z": the list's own group
            groups = _groups(piece, labels, [p.start for p in people])
            out.orgs.extend(g[3] for g in groups if g[3] is not None and not g[3].host)
            piece = _mask(piece, [(a, b) for a, b, _, _ in groups])
        if own and all(not _is_host_org(o.name, labels) for o in own):
            # "The first, from X, was led by Y": X is the first delegation's institution
            out.orgs.extend(o for o in own if all(o is not x for x in out.orgs))
        # the delegation's institution: the one it is named with, else the one its guests read so far come from
        theirs = shared or list({id(v.org): v.org for v in out.visitors if v.org is not None}.values())
        for p in _read_descriptors(piece, people, groups if len(groups) == 1 else [], labels):
            if p.org is not None and len(theirs) == 1 and _unit_of_no_body(p.org.name):
                p.org = theirs[0]  # "The delegation included the head of the Center of Oriental Literature X": theirs
            if noun == "delegation" and p.host and fold(p.name) not in known_hosts:
                # "The delegation included Head of the International Cooperation Division of the library X": the
                # delegation's library (decision 0064's lists)
                p.host = False
                p.org = p.org or (theirs[0] if len(theirs) == 1 else None)
            # the list was read in a piece of its own (rewritten: "and included" is ", and"): a person's offset is
            # the item's, as every other finder's, for what later reads the text around the name (decision 0074)
            at = text.find(p.name, m.end(), stop)
            p.start = at if at >= 0 else m.end() + p.start
            if noun == "attendees" and p.inherited:
                p.org, p.inherited = None, False  # an attendee is not a member of the visiting institution
            (out.hosts if p.host or fold(p.name) in known_hosts else out.visitors).append(p)
            seen.add(fold(p.name))


#: Institution words that name a unit's work ("Library Cooperation Bureau"), and words that make a unit's name a
#: body's own ("National Library Bureau", "Regional Centre").
_WORK_FIELDS = frozenset("library libraries archive archives museum".split())
_NOT_A_FIELD = frozenset("national state central regional international republican presidential".split())


def _unit_of_no_body(name: str) -> bool:
    """Say whether a body's name is a unit's that names no institution it belongs to ("Center of Oriental
    Literature", "Department of Manuscripts"): in a delegation's list, a unit of the delegation's institution."""
    words = name.split()
    units = PART_WORDS | {"centre", "center", "office", "sector", "service", "bureau", "laboratory", "unit", "division"}
    # "the head of the Digitisation Centre X", "the Conservation Laboratory": a unit named by its work alone
    # (a library's or an archive's work names a unit too: "Library Cooperation Bureau", "Manuscripts and Rare Books
    # Centre")
    by_work = (
        2 <= len(words) <= 5
        and words[-1].casefold() in units
        and all(
            w == "and"
            or (
                is_cap(w)
                and (w.casefold() not in INSTITUTION_HEADS or w.casefold() in _WORK_FIELDS)
                and place_code(w) is None
                and w.casefold() not in _NOT_A_FIELD
            )
            for w in words[:-1]
        )
        and not any(w.isupper() and len(w) > 1 for w in words)
    )
    return by_work or (
        len(words) >= 3
        and words[0].casefold() in units
        and words[1] in ("of", "for")
        and not any(w.casefold() in INSTITUTION_HEADS or (w.isupper() and len(w) > 1) for w in words[2:])
    )


def _names_guests(m: re.Match[str], orgs: list[OrgMention], labels: set[str]) -> bool:
    """Say whether a members' list is the guests': a group or side named by a word must be one of theirs."""
    named = m.group("named") or m.group("side")
    return not named or bool(_group_named(named, orgs, labels))


def _group_named(named: str, orgs: list[OrgMention], labels: set[str]) -> list[OrgMention]:
    """Return the institution of a group named by a word before "group", "delegation" or "side" (decision 0064).

    A country's adjective ("the Kyrgyz side") names the one institution of that country the item has named; a body's
    name or acronym ("the TURKSOY group") names the institution the item gave with it, or itself. The host, or a
    word that is neither, names none.
    """
    code = place_code(named)
    if code is not None:
        same = [o for o in orgs if (o.country or place_code(o.name)) == code]
        return same if len(same) == 1 else []
    if _is_host_org(named, labels) or not (named.isupper() and len(named) > 2 or looks_org(named)):
        return []
    known = [o for o in orgs if re.search(rf"\b{re.escape(named)}\b", o.name)]
    return known[:1] or [parse_org(named)]


#: A sentence opened by a participle of leading whose subject is the guests: "Led by Director General X, the visitors
#: …" (X leads the guests: one of them, whatever the title; decision 0068).
_LED_BEFORE = re.compile(r"(?:^|[.;!?]\s+)(?:Led|Headed)\s+by\s+(?P<title>(?:[^\W\d_][\w’'.-]*\s+){0,5})$")
#: A title of the host's: "the library's chief bibliographer", "director of the Presidential Library".
_HOST_TITLE = re.compile(r"\bthe\s+library['’]s\b|\b(?:of|at)\s+the\s+(?:Presidential\s+)?[Ll]ibrary\b")
_GUESTS_AFTER = re.compile(r"^,\s+the\s+(?:visitors|guests|delegation|delegates|group)\b")
#: "the visitors from X, among them Y, …": a list of the guests themselves, after the guests' noun (decision 0068).
_AMONG_THEM = re.compile(
    r"\b[Tt]he\s+(?:visitors|guests|delegation|delegates)\b[^.;()]{0,80},\s+among\s+them\s+(?P<title>[^,.;()]{0,80}\s)?$"
)


#: The end of a thing's description naming whose work it is: "a collection of poems by", "the novels of".
_WORK_BY = re.compile(r"\b(?:by|of|about|after)\s+$")


def _find_led_guests_elsewhere(text: str, start: int, out: VisitFindings) -> None:
    """Add the guests a later sentence names by its structure: the agent of a fronted "Led by …" whose subject is
    the guests ("Led by Director General X, the visitors …"), and "the visitors …, among them Y, …".

    The structure says whose they are: a title or "the library's" in their descriptor does not make them host staff
    (in the guests' own list, "the library's" is the guests' library, as in decision 0064's delegation lists).
    """
    seen = _named_already(out)
    for p in find_people(text, start):
        end = p.start + len(p.name)
        before = text[max(0, p.start - 200) : p.start]
        by = _LED_BEFORE.search(before)
        led = by is not None and _GUESTS_AFTER.match(text[end : end + 40]) is not None
        if by is not None and led and _HOST_TITLE.search(by.group("title")):
            continue  # "Led by the library's chief bibliographer X, the guests toured …": a guide of the host's
        among = _AMONG_THEM.search(before)
        if among is not None and among.group("title") and _WORK_BY.search(among.group("title")):
            # "The guests presented books by Dagestani poets, among them a collection of poems by X": X wrote them
            among = None
        if fold(p.name) in seen or not (led or among):
            continue
        if by is not None and led:
            p.job_title = _normalise_title(by.group("title").strip()) or None
        elif among is not None and among.group("title"):  # "among them the head of the X department Y"
            p.job_title = _normalise_title(among.group("title").strip())
        elif not led and (post := _post_descriptor(re.split(r"[.;]", text[end : end + 160])[0])) is not None:
            p.job_title = _normalise_title(re.split(r"\s+of\s+", post)[0])
        if len(out.orgs) == 1:
            p.org, p.inherited = out.orgs[0], True  # a member of the one visiting institution's delegation
        out.visitors.append(p)
        seen.add(fold(p.name))


_OF_DELEGATION = r"(?:the\s+)?(?:head|leader|chair(?:man|woman|person)?|members?)\s+of\s+the\s+(?:delegation|group)"
_HEAD_AFTER = re.compile(r"^,\s+" + _OF_DELEGATION + r"\b")
_HEAD_BEFORE = re.compile(r"\b" + _OF_DELEGATION + r",?\s+$", re.I)


def _find_delegation_heads_elsewhere(text: str, start: int, out: VisitFindings) -> None:
    """Add a person a later sentence calls the head or a member of the delegation ("X, head of the delegation, …")."""
    seen = _named_already(out)
    for p in find_people(text, start):
        after = text[p.start + len(p.name) : p.start + len(p.name) + 80]
        before = text[max(0, p.start - 60) : p.start]
        if fold(p.name) in seen or not (_HEAD_AFTER.match(after) or _HEAD_BEFORE.search(before)):
            continue
        if any(short_form_of(p.name, v.name) for v in out.visitors):
            continue  # "Head of the delegation N. Bakyt uulu": the guest named before, by an initial
        if len(out.orgs) == 1:
            p.org, p.inherited = out.orgs[0], True  # a member of the one visiting institution's delegation
        out.visitors.append(p)
        seen.add(fold(p.name))


#: "… were handed over by" a person: the agent of a handing-over named after the visit sentence.
_HANDED_BY = re.compile(r"\b(?:was|were)\s+(?:presented|donated|handed\s+over|given)\s+(?:to\s+[^.]{1,80}?\s+)?by\s+")


def _find_givers_elsewhere(text: str, start: int, out: VisitFindings, labels: set[str]) -> None:
    """Add the guest who handed over an institution's gift when the visit sentence names no person.

    "The Embassy … donated … . The books were handed over by the counsellor of the embassy Dmitry Orlov."
    """
    seen = {fold(p.name) for p in out.hosts}
    for m in _HANDED_BY.finditer(text, start):
        stop = first_sentence_end(text[m.end() : m.end() + 400]) + m.end()
        for p in find_people(text[:stop], m.end()):
            desc, _ = _pre_descriptor(text[max(0, p.start - 60) : p.start])
            if fold(p.name) in seen or (desc is not None and _HOST_DESC.search(desc)):
                return
            _apply_descriptor(p, desc, labels)
            if not p.host:
                out.visitors.append(p)
            return
    # "… the handing over of the books presented by the Embassy of X was held. Counsellor of the Embassy Dmitry
    # Kovalenko handed over the books to …": the subject of a later sentence of giving, titled as the guests' staff
    for m in _SENTENCE_START.finditer(text, start):
        stop = first_sentence_end(text[m.end() : m.end() + 400]) + m.end()
        people = _people_in(text, m.end(), stop)
        if not people:
            continue
        p = people[0]
        after = text[p.start + len(p.name) : stop]
        lead = text[m.end() : p.start]
        desc, _ = _pre_descriptor(lead.rstrip(" ,"))
        titled_after = _TITLE_BETWEEN_COMMAS.match(after) if not lead.strip() else None
        if titled_after is not None:  # "Tomasz Nowak, First Secretary of the Embassy, handed over …"
            desc, after = titled_after.group("desc"), after[titled_after.end() :]
        elif lead.rstrip().endswith(",") and after.startswith(","):  # "First Secretary of the Embassy, Tomasz Nowak,"
            after, lead = after[1:], lead.rstrip(" ,")
        if (
            desc is None
            or _HOST_DESC.search(desc)
            or _OF_THE_LIBRARY.search(desc)  # "Deputy director of the Presidential Library under the Administration …"
            or fold(p.name) in seen
            or not _GIVES_NEXT.match(after)
            or _TO_THE_GUESTS.match(after)  # "… presented the guests with …": the host gives
            or not re.fullmatch(r"[^,;]*", lead)
        ):
            continue
        _apply_descriptor(p, desc, labels)
        if not p.host:
            out.visitors.append(p)
        return


def _people_in(text: str, start: int, stop: int) -> list[PersonMention]:
    """The people named in one sentence text[start:stop], at their offsets in the item (read in the sentence alone,
    so a later sentence costs its own length, not the item's)."""
    people = find_people(text[start:stop])
    for p in people:
        p.start += start
    return people


#: A title between commas right after a name: "X, First Secretary of the Embassy, …".
_TITLE_BETWEEN_COMMAS = re.compile(r",\s+(?P<desc>[A-Z][^,.;()]{3,120}?),(?=\s)")
#: A title of the host's library anywhere in it, whatever follows its name.
_OF_THE_LIBRARY = re.compile(r"\b(?:of|at)\s+the\s+(?:Presidential\s+)?[Ll]ibrary\b(?![’']s)")
#: A giving whose receiver is the guests: the giver is the host's.
_TO_THE_GUESTS = re.compile(r"\s+(?:also\s+)?presented\s+the\s+(?:guests?|visitors?|delegation)\s+with\b")
#: Where a sentence begins (after the one that ended before it).
_SENTENCE_START = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
#: A verb of giving right after a subject's name ("… Dmitry Kovalenko handed over", "…, in turn, presented").
_GIVES_NEXT = re.compile(r"(?:\s*,[^,.;]{1,60},)?\s+(?:also\s+)?(?:handed\s+over|presented|donated|gave|gifted)\b")


#: "On behalf of the Embassy of X, Mr. Y donated …": the institution a guest acts for, named in a later sentence.
_ON_BEHALF = re.compile(r"\b[Oo]n\s+behalf\s+of\s+(?:the\s+)?(?P<org>[A-Z][^,.;()]{2,150}?)\s*,\s+")


_TITLED = re.compile(r"(?:(?:Mr|Mrs|Ms|Mme|Dr|Prof)\.?\s+){1,3}")


def _find_represented_elsewhere(text: str, start: int, out: VisitFindings, labels: set[str]) -> None:
    """Give a guest with no institution the one a later sentence says they act for ("On behalf of X, Mr. Y …")."""
    for m in _ON_BEHALF.finditer(text, start):
        org = m.group("org")
        if not looks_org(org) or _is_host_org(org, labels):
            continue
        titled = _TITLED.match(text, m.end())  # "On behalf of X, Mr. Y": the guest right after the comma
        after = find_people(text, m.end(), m.end() + 60)
        if not after or after[0].start != (titled.end() if titled else m.end()):
            continue
        guest = next((v for v in out.visitors if short_form_of(after[0].name, v.name)), None)
        if guest is not None and guest.org is None:
            guest.org = parse_org(org)


#: An institution as a sentence's subject, "represented" and its agents: "The X was represented at the library on …
#: by A and by B" (the passive's agents act for the subject, as "on behalf of" says; decision 0066).
_REPRESENTED_BY = re.compile(
    # a sentence's or a clause's subject: "…, while the National Museum in Prague was represented by its director X"
    r"(?:^|(?<=[.;]\s)|(?<=,\swhile\s)|(?<=,\swhereas\s)|(?<=,\sand\s))(?:[Tt]he\s+)?(?P<org>[A-Z][^,.;]{2,150}?)"
    r"\s+(?:was|were)\s+represented\b[^.;]{0,160}?\bby\s"
)


#: A participle before "by" ("the Georgian Academy founded by X"): who made it, not whom it sent.
_MADE_BY_END = re.compile(
    r"\b(?:founded|established|created|written|published|edited|organi[sz]ed|built|made|led|headed|directed|chaired)$"
)
#: A body with its own "by" after the first of a list whose verb is said once: ", (and) the Y by …".
_GAPPED_BY = re.compile(r",\s+(?:and\s+)?(?:the\s+)?(?P<org>[A-Z][^,;.]{2,150}?)\s+by\s+")


def _find_represented_by(text: str, out: VisitFindings, labels: set[str]) -> None:
    """Give the guests named as the agents of "<institution> was represented … by" that institution, when they have
    none: everyone named after the "by" up to the sentence's end. The agents of the host ("the Presidential Library
    was represented at the meeting by X") are host staff."""
    for m in _REPRESENTED_BY.finditer(text):
        org = m.group("org")
        host = _is_host_org(org, labels)
        if not looks_org(org):
            continue
        # the sentence's end, not an initial's full stop ("by Polezhaeva T. A., …")
        semi = text.find(";", m.end())
        until = m.end() + first_sentence_end(text[m.end() :])
        until = semi if 0 <= semi < until else until
        # "X was represented by A, the Y by its coordinator B, and the Z company by C": each later body with its
        # own "by" (the verb said once) gives its agents its name
        parts = [(m.end(), org, host)] + [
            (g.end(), g.group("org"), False)  # a later body of the list is another guest's, never the host
            for g in _GAPPED_BY.finditer(text, m.end(), until)
            if looks_org(g.group("org")) and not _MADE_BY_END.search(g.group("org"))
        ]
        for p in list(out.visitors):
            if not m.end() <= p.start < until:
                continue
            _, own, own_host = next(part for part in reversed(parts) if part[0] <= p.start)
            if own_host:
                out.visitors.remove(p)
                p.host = True
                out.hosts.append(p)
            elif p.org is None or own is not org or fold(p.org.name) != fold(parse_org(own).name):
                p.org = parse_org(own)  # the body the clause names them for, over one a list before gave them


#: People named by what they do or are: a title's head or a group's noun, singular or plural.
_PEOPLE_NOUNS = (
    TITLE_HEADS
    | {w + "s" for w in TITLE_HEADS if not w.endswith("s")}
    | GROUP_NOUNS
    | {w[:-1] for w in GROUP_NOUNS if w.endswith("s")}
    | {"employee", "employees", "fellow", "fellows", "staff"}
)
#: A later sentence that says where the guests work: "Both guests work at X", "She teaches at X", "A. B. is employed
#: at X" — a belonging slot (decision 0052) whose subject points back to the guests or names one of them.
_WORKS_AT = re.compile(
    # ", who now teaches at X": a relative pronoun after a guest's description
    r"(?P<who>\b(?:[Bb]oth|[Aa]ll|[Tt]he)\s+(?:(?:two|three|four|five)\s+)?(?:guests?|visitors?|scholars?|"
    r"librarians?|researchers?|specialists?|colleagues)\b|\b(?:[Hh]e|[Ss]he|They|Both)\b|(?<=,\s)who\b|"
    r"(?:" + CAP + r"\.\s?|" + CAP + r"[\w’'-]*\s+){1,3}(?:" + CAP + r"[\w’'-]+))"  # a name, initials: no full stop
    r"\s+(?:both\s+|also\s+|currently\s+|now\s+)?"
    r"(?:(?:works?|worked|teach(?:es)?|taught|lectures?|lectured|stud(?:y|ies)|studied|(?:is|are|was|were)\s+"
    r"(?:employed|working|teaching|studying|lecturing))\s+(?:at|for|in)"
    # "She heads the Department of Oriental Collections of the X": the body of what they head (a part's owner)
    r"|(?:heads|directs|leads|chairs|manages|has\s+(?:headed|directed|led|chaired|managed))(?=\s+(?:the\s+)?[A-Z])"
    # "who heads the department of digital preservation of the X", "who directs the international programmes of
    # the X": what they head, in lower-case words, and whose it is
    r"|(?:heads|directs|leads|chairs|manages|runs|coordinates|oversees)\s+(?:the\s+|its\s+)?(?:[a-z][\w-]*\s+){1,5}?"
    r"(?:of|at)"
    # "The guests represent the Library of Congress of the United States"
    r"|(?:represents?|(?:is|are)\s+representing)"
    # "who is now an adviser to the American Library Association (ALA)"
    r"|(?:is|are)\s+(?:now\s+|currently\s+)?an?\s+(?:[a-z][\w-]*\s+)?(?:adviser|advisor|consultant)s?\s+to"
    # "Both guests are researchers of X", "She is a senior curator at X": a title or a group of people with its
    # belonging slot, after a copula in the present ("He was a student of X" is a former one; decision 0061)
    r"|(?:is|are)\s+(?:both\s+|also\s+)?(?:an?\s+|the\s+)?(?:[a-z][\w-]*\s+){0,2}?"
    r"(?i:" + "|".join(sorted(_PEOPLE_NOUNS, key=len, reverse=True)) + r")\s+(?:of|at))"
    r"\s+(?:the\s+)?(?P<org>[A-Z][^,.;:()]{2,150})"
)
_PLURAL_WHO = re.compile(r"\b(?:[Bb]oth|[Aa]ll|They|two|three|four|five)\b|s$")


#: A guest's title in apposition in a later sentence: "Ms. Takahashi, a senior librarian of the National Diet Library
#: of Japan, was interested …" (the name, then ", a <title> of/at the X,").
_APPOSED_AT = re.compile(
    r"(?P<who>(?:(?:Mr|Mrs|Ms|Dr|Prof)\.\s+)?(?:" + CAP + r"\.\s?|" + CAP + r"[\w’'-]*\s+){0,3}" + CAP + r"[\w’'-]+)"
    r",\s+(?:an?|the)\s+(?:[a-z][\w-]*\s+){0,2}?(?i:"
    + "|".join(sorted(_PEOPLE_NOUNS, key=len, reverse=True))
    + r")\s+(?:of|at)\s+(?:the\s+)?(?P<org>[A-Z][^,.;:()]{2,150}),"
)


def _find_workplace_elsewhere(text: str, start: int, out: VisitFindings, labels: set[str]) -> None:
    """Give guests with no institution the one a later sentence says they work at ("Both guests work at X").

    The subject decides whom: the guests (plural: each guest with no institution; singular: the one such guest),
    "he"/"she" (the one such guest, and only when the item names no host person, who may be meant), or a guest's
    name or its short form. The words must read as an institution's
    name (its head noun), and not the host's.
    """
    found = sorted([*_WORKS_AT.finditer(text), *_APPOSED_AT.finditer(text, start)], key=lambda x: x.start())
    for m in found:
        if m.start() < start and m.group("who") != "who":
            continue  # the visit sentence's own descriptors are read there; its relative clauses only here
        org = parse_org(name_part(m.group("org")).strip()).name  # "the Department of … of the X": X
        if institution_head(org) is None or _is_host_org(org, labels):
            continue
        who = m.group("who").strip()
        bare = [v for v in out.visitors if v.org is None]
        named = [v for v in out.visitors if short_form_of(who, v.name) or fold(who) == fold(v.name)]
        if named:
            chosen = [v for v in named if v.org is None]
        elif re.match(r"(?:[Hh]e|[Ss]he|They)\b", who) and out.hosts:
            chosen = []  # a pronoun after the host's people are named may be one of them: no guest is meant for sure
        elif who == "who":  # ", who now teaches at X": the guest named right before it, or the one with none
            before = [v for v in bare if re.fullmatch(r"\s*,\s*", text[v.start + len(v.name) : m.start("who")])]
            clause = text[max(0, m.start("who") - 200) : m.start("who")]
            clause = clause[clause.rfind(".") + 1 :]
            # someone else named right before it ("his book about Lotfi Zadeh, who worked at X"): X is theirs
            other = any(re.search(re.escape(q.name) + r"[’']?s?\s*,\s*$", clause) for q in find_people(clause))
            # "Dr. Ozola, who heads …": a later short form of a guest's name right before it
            window = _sentence_before(text, m.start("who"), 200)
            last = [q for q in find_people(window) if re.fullmatch(r"\s*,\s*", window[q.start + len(q.name) :])]
            before = before or [v for v in bare if last and short_form_of(last[-1].name, v.name)]
            # "The guest, who directs …": the guests named back by a noun, the one guest with no institution
            guest_noun = re.search(r"\b(?:[Tt]he\s+)?(?:guest|visitor|scholar|librarian)\s*,\s*$", clause) is not None
            chosen = before or ([] if other else bare[:1] if len(bare) == 1 and (not out.hosts or guest_noun) else [])
        elif re.match(r"(?:[Bb]oth|[Aa]ll|[Tt]he|[Hh]e|[Ss]he|They)\b", who):
            chosen = bare if _PLURAL_WHO.search(who) else bare[:1] if len(bare) == 1 else []
        else:
            chosen = []
        for v in chosen:
            v.org = parse_org(org)


def _alternate_names(text: str, visitors: list[PersonMention]) -> None:
    """Record other forms of a visitor's name the item uses ("A. Rakhimjanov", "Amir Ali")."""
    for other in find_people(text):
        words = other.name.replace(".", ". ").split()
        for p in visitors:
            full = p.name.split()
            if other.name == p.name or other.name in p.alternate_names or len(full) < 2:
                continue
            initial_form = (
                len(words) == 2
                and words[0].rstrip(".") == full[0][0]
                and words[1] == full[-1]
                and words[0].endswith(".")
            )
            prefix_form = len(words) >= 2 and full[: len(words)] == words and len(words) < len(full)
            if initial_form or prefix_form:
                p.alternate_names.append(other.name)


def _title_part(name: str, people: Sequence[PersonMention]) -> bool:
    """Say whether a free-standing name is a part of an institution already in someone's title ("… Department")."""
    head = re.split(r"\sof\s", name, maxsplit=1)[0].strip()
    words = head.split()
    return (
        bool(words)
        and (
            words[-1].casefold() in SUB_UNITS
            or words[-1].casefold() in {"centre", "center", "office"}
            or (len(words) == 1 and words[0].casefold() in PLURAL_KINDS)  # "Director of Libraries of the X"
        )
        and any(p.job_title and head.casefold() in p.job_title.casefold() for p in people)
    )


#: An owner right before a name: a common noun's possessive ("the library's", "the museum’s") or a possessive
#: pronoun. What follows is a part of that body, never an institution of its own ("Lithuania's National Library",
#: a place's possessive, is not matched: its owner is capitalised).
_OWNED_BEFORE = re.compile(r"(?:\b[a-z]{3,}['’]s|\b(?:its|their|our|his|her))\s+$")

#: A named part's "of" right before a word, with no article: "Department of Archives" names what it keeps.
_PART_OF_BEFORE = re.compile(
    r"\b(?:" + "|".join(sorted(w.capitalize() for w in SUB_UNITS | {"centre", "center", "office"})) + r")\s+of\s+$"
)


def visiting_orgs_free(text: str, findings: VisitFindings, host_labels: Iterable[str] = ()) -> list[OrgMention]:
    """Find institutions named on their own in the visit sentence ("… by the Embassy of the Russian Federation")."""
    labels = {fold(x) for x in host_labels}
    end = visit_sentence_end(text)
    took_part = [(m.start(), m.end()) for m in _TOOK_PART.finditer(text, 0, end)]
    took_part += [(m.start(), m.end()) for m in _FORMER_NAME.finditer(text, 0, end)]
    sentence = _mask(text[:end], _about_spans(text[:end]) + quoted_spans(text[:end]) + took_part)
    taken = {fold(o.name) for o in findings.orgs} | {fold(o.parent.name) for o in findings.orgs if o.parent}
    out = []
    pattern = (
        r"(?:"
        + CAP
        + r"[\w’'`-]*\s){0,8}?(?:"
        + "|".join(w.capitalize() for w in sorted(ORG_HEADS))
        + r")\b(?:\sof\s(?:the\s)?"
        + CAP
        + r"[\w-]*(?:\s"
        + CAP
        + r"[\w-]*){0,6}){0,3}"
    )
    starts = [p.start for p in find_people(sentence)]
    for m in re.finditer(pattern, sentence):
        inside = [a for a in starts if m.start() < a < m.end()]  # "… of Poland Tomasz Makowski": the name ends it
        name = sentence[m.start() : inside[0]].strip() if inside else m.group(0).strip()
        name = _HONORIFIC_END.sub("", name)  # "… of Bologna Dr. Giulia Ferrari": the honorific is the person's
        if (
            not is_cap(name)
            or _is_host_org(name, labels)
            or any(fold(name) in t or t in fold(name) for t in taken)
            or any(p.description and name in p.description for p in findings.visitors)
            or _title_part(name, findings.visitors)
            or (_unit_of_no_body(name) and any(not o.host for o in findings.orgs))  # "… of the Digitization Centre"
            or any(
                p.job_title
                and p.job_title.endswith(" of " + name)
                and _edits_periodical(p.job_title[: -len(" of " + name)], name)
                for p in findings.visitors
            )
        ):
            continue
        if fold(name).startswith("presidential library") or place_code(name) or bare_head(name) is not None:
            continue
        if _PART_OF_BEFORE.search(sentence[max(0, m.start() - 40) : m.start()]):
            continue  # "the Department of Archives and …": what a part keeps, not an institution
        if _OWNED_BEFORE.search(sentence[max(0, m.start() - 40) : m.start()]):
            continue  # "the library's Lithuanian Studies Centre", "its Archive": a part of a body named elsewhere
        owned = _OWNER_PART.match(name)
        if owned is not None and place_code(owned.group("owner")) is None:
            continue  # "the RSL's Oriental Literature Centre": a part of its owner, named on its own elsewhere
        follows = re.match(r"\s([A-Z][\w-]*)", sentence[m.end() : m.end() + 40])
        if follows and follows.group(1).casefold() in ORG_HEADS:  # "Digital Library Department": a fragment
            continue
        if _PERIODICAL_NEXT.match(sentence, m.end()):  # "American Libraries magazine": a periodical
            continue
        org = parse_org(name)
        why = unclaimed_institution(text[:end], m.start(), m.start() + len(name))
        if why is not None:  # reused when known, never minted: nothing says a guest belongs to it
            org.unclaimed = why
            part: OrgMention | None = org
            while part is not None:
                part.reuse_only, part = True, part.parent
        out.append(org)
        taken.add(fold(name))
    return out
