"""Read gifts, agreements and topics from a news item: rules for this genre's phrasing.

Gifts: "X was presented with …", "X presented the guest with …", "… was presented
by X to Y", "… presented to X by Y", "gave … as a gift", "donated … to …",
"handed over … to …", "X visited … and presented … to …". Agreements: "came to an agreement on …", "it was agreed to
…", "signed a memorandum …" (signed only when the text says signed). Topics:
existing concepts whose label words all occur close together in the text.

Longer than 400 lines because the gift, agreement and topic rules read the same sentences with shared patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from visitgraph.core.names import fold, short_form_of

HOST = "host"
GUESTS = "guests"
GUEST = "guest"


@dataclass(frozen=True)
class GiftMention:
    """One handing-over: who gave (host, guests, guest or a name) what to whom."""

    agent: str
    recipient: str
    description: str
    name: str | None
    item_type: str
    phrase: str


@dataclass(frozen=True)
class AgreementMention:
    """One agreement reached, named in the source's words, and whether a document was signed."""

    name: str
    signed: bool
    phrase: str


#: Longest stretch the per-sentence rules read at once: a longer "sentence" is read in pieces of
#: this size, so every rule's work is bounded per piece and linear in the text (issue 21).
MAX_SENTENCE = 400


def sentences(text: str) -> list[str]:
    """Split an item into sentences (initials and honorifics do not end one), long ones into pieces.

    A full stop inside a title in quotes that closes soon after does not end one either: the album "Nizami
    Ganjavi. Miniatures" (decision 0064). The quotes are counted once per character: linear.

    >>> sentences('He gave the album "Baku. Old and New" and a scarf. She thanked him.')
    ['He gave the album "Baku. Old and New" and a scarf.', 'She thanked him.']
    """
    out, start = [], 0
    counted, open_quote = 0, False  # whether a quote is open in text[start:counted]
    for m in re.finditer(r"\.(?=\s+[A-Z“\"])", text):
        for c in text[counted : m.start()]:
            open_quote = (not open_quote) if c == '"' else (True if c == "“" else (False if c == "”" else open_quote))
        counted = m.start()
        if open_quote and re.search(r"[\"”]", text[m.end() : m.end() + 80]):
            continue
        tail = text[max(start, m.start() - 12) : m.start()]  # bounded look-back: linear
        before = tail.rsplit(None, 1)[-1] if tail.strip() else ""
        # an initial ("N.", "A.B.") or an honorific; an acronym ("… of IFLA. A copy …") ends the sentence
        if re.fullmatch(r"[A-Z]|(?:[A-Z]\.)+[A-Z]|Mr|Mrs|Ms|Mme|Dr|Prof", before):
            continue
        out.extend(pieces(text[start : m.end()].strip()))
        start, counted, open_quote = m.end(), m.end(), False
    if text[start:].strip():
        out.extend(pieces(text[start:].strip()))
    return out


def pieces(sentence: str, size: int = MAX_SENTENCE) -> list[str]:
    """Cut a sentence longer than `size` into pieces of at most `size` characters, at spaces where possible."""
    out = []
    while len(sentence) > size:
        cut = sentence.rfind(" ", size // 2, size)
        cut = cut if cut > 0 else size
        out.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return [*out, sentence] if sentence else out


_GIFT_NOUNS = (
    r"(?:gifts?|presents?|souvenirs?|kelaghay[iı]s?|headscar(?:f|ves)|scar(?:f|ves)|carpets?|rugs?|vases?|plates?|"
    r"stamps|medals?|figurines?|bowls?|khonchas?|tapestr(?:y|ies)|headdress(?:es)?|costumes?|dolls?|instruments?)"
)
_GIFT_WORDS = re.compile(r"\b" + _GIFT_NOUNS + r"\b", re.I)
_WORK_WORDS = re.compile(
    r"\b(?:books?|album|albums|album-books|publications?|pamphlets?|editions?|catalogu?es?|"
    r"magazines?|journals?|maps?|manuscripts?|copies|volumes?|encyclopa?edias?|works?|"
    r"newspapers?|collections?|CDs?|DVDs?|disks?|photographs?|prints?|novels?|poems?|stories|recordings?|"
    r"facsimiles?|archives?|translations?|classics|antholog(?:y|ies)|dictionar(?:y|ies)|monographs?|brochures?|"
    r"periodicals|posters?|paintings?|atlas(?:es)?|"
    # what institutions hand each other: "the proceedings of the congress", "the association's yearbook"
    # (not "report", "documents", "set", "issues", "letters": a talk, a topic or a procedure as often as a thing)
    r"proceedings|yearbooks?|bulletins?|guidebooks?|booklets?|calendars?|facsimile|reproductions?|folios|sets?|"
    r"phrasebooks?|handbooks?|textbooks?|reference\s+books?)\b",
    re.I,
)
#: Guests named by what they are ("the writer presented …", "the Ambassador was …"): a visitor, not the host.
GUEST_TITLES = frozenset(
    """writer poet novelist author journalist artist painter composer musician singer actor actress photographer
sculptor translator scholar historian researcher scientist professor ambassador consul envoy minister diplomat""".split()
)
_GUEST_WORDS = "(?:" + "|".join(sorted(GUEST_TITLES)) + ")"
#: A capital letter, Azerbaijani, Turkish and Baltic ones included ("Mayıl Əhmədov", "Şeyh", "Šimkus").
CAP = r"[A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽƏ]"
_SUBJECT = (
    r"(?P<giver>(?<![\w’'-])(?:the\s+)?(?:(?:" + CAP + r"[\w.’'-]*|van|von|de|der|al|el|bin|ibn|ter)\s+){0,6}?"
    r"[^\W\d_][\w.’'-]*)"
)
#: ", in its turn," or an apposition ("Mayil Ahmedov, director of the library, presented …") after a giver.
#: The first word of a title in apposition after a name: lower case, or a staff title in capitals ("…, Director of
#: the library, …").
_APPOSED_TITLE = r"(?:[a-z]|(?:Deputy|Director|Head|Chief|Senior|Leading|General)\b)"
_TURN_OR_APPOSITION = r"(?:,?\s+in\s+(?:(?:his|her|its|their)\s+)?turn,?|,\s+" + _APPOSED_TITLE + r"[^,.;]{0,80},)?"
#: The host library as a receiver, or its fund ("the library's fund", "the fund of the Presidential Library").
_LIBRARY = (
    r"(?:the\s+(?:fund|collection|stock)s?\s+of\s+)?the\s+(?:Presidential\s+)?[Ll]ibrary"
    # the host's official name in full, as the source's own items write it
    r"(?:\s+of\s+the\s+Administrative\s+Department\s+of\s+the\s+President\s+of\s+the\s+Republic\s+of\s+Azerbaijan)?"
    r"(?:[’']s\s+(?:fund|collection|stock)s?)?"
)
#: The library's director or staff named by office alone ("the director", "the library's deputy director").
_STAFF = (
    r"the\s+(?:library[’']s\s+)?(?:(?:deputy|general|executive)\s+)?(?:director|head|staff|librarians?)"
    r"(?:\s+of\s+the\s+(?:Presidential\s+)?[Ll]ibrary)?"
)
#: A clause that opens with a definite noun phrase whose modifiers are capitalised ("The ECI representatives", "The
#: Spanish guests", "The Uzbek delegation"): the sentence's subject by its form, whoever it names (decision 0061).
_DEFINITE_SUBJECT = r"^[Tt]he\s+(?:" + CAP + r"[\w’'-]*\s+){1,3}[a-z][\w’'-]+"
#: Words that open an adjunct or a new clause, not an object: "(books donated to the library) over the years".
_ADJUNCT = (
    r"(?:over|in|on|at|during|since|for|by|from|with|after|before|until|last|this|that|which|who|and|but|or|"
    r"was|were|is|are|has|have|had)"
)
#: What a passive receiver may put before its verb: "and was himself given", "and were in turn given".
_REFLEXIVE = r"(?:(?:himself|herself|themselves|itself|also|then|in\s+(?:(?:his|her|its|their)\s+)?turn)\s+)?"
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "by_to",
        re.compile(
            r"(?P<items>[^,;]{1,150}?)\s+(?:was|were)\s+(?:presented|donated|handed over|given)\s+by\s+"
            r"(?P<giver>.{1,150}?)\s+to\s+(?P<recv>.{1,150}?)(?:\.|$)"
        ),
    ),
    (
        "to_by",
        re.compile(
            r"(?:of\s+)?(?P<items>(?:the\s+)?[\w’'-]+(?:\s[\w’'-]+){0,2}?)(?P<be>\s+(?:was|were))?\s+(?:presented|donated|gifted|"
            r"handed over|given)(?:\s+(?:[a-z]+ly|today|yesterday|also|then|later|there))?\s+to\s+(?P<recv>.{1,150}?)\s+by\s+"
            r"(?P<giver>.{1,150}?)(?:\s+was\s+held|[.,;]|$)"
        ),
    ),
    (
        "passive",
        re.compile(
            r"(?P<recv>(?:the\s+)?[\w.’'-]+(?:\s+" + CAP + r"[\w.’'-]*){0,3}|(?:the\s+)?guests?)"
            r"(?:,\s+in\s+(?:(?:his|her|its|their)\s+)?turn,)?\s+(?:was|were)\s+"
            + _REFLEXIVE
            + r"(?P<verb>presented\s+with|given|gifted|handed(?!\s+(?:over\s+)?to\b))\s+(?P<items>.{1,200}?)(?:\.|$)"
        ),
    ),
    (
        "passive_to",  # "the books of the poet were handed over to the library fund": the guests gave them
        re.compile(
            r"(?P<items>[^,;]{1,150}?)\s+(?:was|were)\s+(?P<verb>presented|donated|handed\s+over|given|gifted)\s+to\s+"
            # "… were donated to the library of the Cultural Center": a guest's library, not the host
            # ("the Presidential Library of the Administration …" is the host's full name)
            r"(?P<recv>the\s+Presidential\s+Library|the\s+library\s+of\s+the\s+" + CAP + r"[^.,;]{1,80}|"
            r"the\s+[Ll]ibrary(?!\s+of\s+the\s+"
            + CAP
            + r")|"
            + _STAFF
            + r"|(?:the\s+)?(?:guests?|delegation|visitors?|"
            + _GUEST_WORDS
            + r")|him|her|them)\b(?![^.]{0,200}\bby\b)"
        ),
    ),
    (
        "active",
        re.compile(
            _SUBJECT + _TURN_OR_APPOSITION + r"\s+presented\s+"
            r"(?P<recv>(?:the|its|their|our|(?:each|all|every|both)\s+of\s+the|all\s+the)\s+"
            r"(?:(?:head|leader|members?|heads|leaders)\s+of\s+the\s+)?(?:\w+\s+)?(?:guests?|delegation|visitors|"
            + _GUEST_WORDS
            + r")|"
            + _LIBRARY
            + r"|him|her|them|"
            # "presented deputy director X with …": a staff title in lower case before the receiver's name
            r"(?:(?:deputy\s+|general\s+)?(?:director|head)(?:\s+of\s+the\s+library)?\s+)?"
            # an initial's full stop ends nothing: "… the Codex Gigas and M. Lukeš with a catalogue …"
            r"(?:"
            + CAP
            + r"[\w.’'-]*(?:\s+"
            + CAP
            + r"[\w.’'-]*){0,3}))\s+with\s+(?P<items>.{1,200}?)(?:(?<!\b[A-Z])\.|\.(?!\s*[A-Z][\w’'-]+\s+with\b)|$)"
        ),
    ),
    (
        "as_gift",
        re.compile(
            r"(?P<giver>(?:[Tt]he\s+)?guests?|(?:"
            + CAP
            + r"[\w’'-]*(?:\s+"
            + CAP
            + r"[\w’'-]*){0,3})|he|she|they)\b[^.]{0,150}?\b"
            r"(?:gave|presented|donated|gifted|brought(?!\s+(?:together|up|about|back|forward|out|in)\b))\s+"
            r"(?P<items>(?:(?!\breceived\b)[^.]){1,150}?)\s+as\s+(?:a\s+)?gifts?"
            r"(?:\s+to\s+(?P<recv>[^.,]+))?"
        ),
    ),
    (
        "as_gift_first",  # "The guest brought as a gift a selection of books …": the gift after "as a gift"
        re.compile(
            # "The library presented as a gift to the guests a book …": the host, and the receiver first
            r"(?P<giver>[Tt]he\s+(?:Presidential\s+)?[Ll]ibrary|(?:[Tt]he\s+)?guests?|(?:"
            + CAP
            + r"[\w’'-]*(?:\s+"
            + CAP
            + r"[\w’'-]*){0,3})|he|she|they)\b[^.]{0,150}?\b"
            r"(?<!had\s)(?:gave|presented|donated|gifted|brought|left|handed\s+over)\s+as\s+(?:a\s+)?gifts?\s+"
            r"(?:to\s+(?P<recv>the\s+(?:guests?|delegation|visitors?|(?:Presidential\s+)?[Ll]ibrary)|him|her|them)\s+)?"
            r"(?P<items>(?!to\b)[^.;]{1,150}?)(?:\s+to\s+(?:the\s+)?(?:Presidential\s+)?[Ll]ibrary)?"
            r"(?:\s+in\s+(?:19|20)\d\d)?(?:[.;]|$)"
        ),
    ),
    (
        "donated",
        re.compile(
            # "The head of the delegation handed over …": the delegation's head gives for it
            r"(?P<giver>(?:[Tt]he\s+)?(?:(?:head|leader|members?|heads|leaders)\s+of\s+the\s+(?:guests|delegation|visitors)|"
            r"guests?|delegation|"  # "The delegation donated books to the library"
            + _GUEST_WORDS
            # "…, and the library presented its publications to the guests": the host gives
            + r")|[Tt]he\s+(?:Presidential\s+)?[Ll]ibrary(?=\s+(?:also\s+|in\s+(?:its\s+)?turn\s+)?(?:presented|donated|gave|handed)\b)|"
            + _DEFINITE_SUBJECT
            + r"|[Hh]e|[Ss]he|[Tt]hey"  # "… and she in turn donated the books … to the library"
            + r"|(?:"
            + CAP
            + r"[\w’'-]*(?:\s+"
            + CAP
            + r"[\w’'-]*){0,3}))(?:,?\s+in\s+(?:(?:his|her|its|their)\s+)?turn|,\s+[a-z][^,.;]{0,80},)?,?\s+"
            r"(?P<verb>donated|handed over|presented|gave|gifted)\s+(?P<items>.{1,150}?)\s+to\s+(?P<recv>[^.,]{1,150})"
        ),
    ),
    (
        "to_first",  # "X donated to the Presidential Library a collection of books": the receiver first
        re.compile(
            # "Ivanova N. Ye., in her turn, handed over …": a family name, then initials
            r"(?:^|,\s+)(?P<giver>(?:(?:Mr|Mrs|Ms|Dr|Prof)\.\s+)?(?:" + CAP + r"\.\s?)*[^,.;]{1,150}?"
            r"(?:\s+(?:" + CAP + r"[a-z]?\.\s?){1,3})?)"
            # "G. Wilson, who is known as …, presented", "The delegation, for its part, handed over"
            r"(?:,\s+(?:who|whose|a|an|the)\s[^.;]{1,150}?,|,\s+(?:in\s+(?:(?:his|her|its|their)\s+)?turn|for\s+(?:his|her|its|their)\s+part),"
            r"|\s+in\s+(?:(?:his|her|its|their)\s+)?turn)?\s+"
            r"(?P<verb>donated|presented|handed\s+over|gave|gifted)\s+to\s+"
            # the thing is an object: "… the books donated to the library over the years" is a participle's adjunct;
            # "the library in turn donated to them a set of …": to the guests
            # "… handed over to the director of the Presidential Library, Mayil Ahmadov, a set of …": staff by office
            r"(?P<recv>"
            + _LIBRARY
            + r"|them|him|her|the\s+(?:guests?|delegation|visitors?)|"
            + _STAFF
            + r"(?:,\s+"
            + CAP
            + r"[^,.;]{1,60},)?)\s+(?!"
            + _ADJUNCT
            + r"\b)"
            # "… his novel "X", published in Paris, and noted that …": a second predicate ends the thing
            r"(?P<items>[^.]{1,150}?)(?:\.|$|,?\s+and\s+(?=(?:also\s+)?[a-z]+ed\s))"
        ),
    ),
    (
        "gave_to",  # "The guest gave the library books …"
        re.compile(
            r"(?P<giver>(?:[Tt]he\s+)?guests?|[Tt]he\s+(?:Presidential\s+)?[Ll]ibrary|"
            + _STAFF.replace("the", "[Tt]he", 1)
            + r"|(?:"
            + CAP
            + r"[\w.’'-]*(?:\s+"
            + CAP
            + r"[\w.’'-]*){0,3})|"
            r"[Hh]e|[Ss]he|[Tt]hey)" + _TURN_OR_APPOSITION + r"\s+(?P<verb>gave|donated|gifted|handed(?!\s+over)|"
            # "… presented her the album …": a pronoun, then the thing, with no "with"
            # (not the library's own: "presented them the library's rare manuscripts" shows them)
            r"presented(?=\s+(?:him|her|them)\s+(?:a|an|the|some|several|two|three|\d+)\s(?!library[’']s\b)))\s+"
            # "each guest", "each of them": every guest a copy (decision 0066)
            r"(?P<recv>"
            + _LIBRARY
            + r"|the\s+(?:guests?|visitors)|(?:each|every)\s+(?:guest|visitor)|each\s+of\s+(?:the\s+guests|them)|"
            + r"(?:the\s+)?(?:members\s+of\s+the\s+)?(?:delegation|group)|"
            + _STAFF
            + r"|him|her|them)\s+"
            r"(?P<items>[^.]{1,150}?)(?:\.|$)"
        ),
    ),
    (
        "and_gave",  # "X visited the library and presented the album … to the library"
        re.compile(
            r"(?P<giver>(?:[Tt]he\s+)?(?:guests?|delegation)|"
            + CAP
            + r"[\w’'-]*(?:\s"
            + CAP
            + r"[\w’'-]*){1,3})\s+visited\b"
            r"[^.]{0,150}?\band\s+"
            r"(?P<verb>donated|handed over|presented|gave|gifted)\s+(?P<items>[^.]{1,150}?)\s+to\s+(?P<recv>[^.,]{1,150})"
        ),
    ),
    (
        "received",  # "The guest received the book … (from X)": the receiver is the subject, the giver after "from"
        re.compile(
            r"(?P<recv>(?:[Tt]he\s+)?(?:guests?|delegation|visitors?|"
            + _GUEST_WORDS
            + r")|"
            + _DEFINITE_SUBJECT
            + r"|(?:[Tt]he\s+)?(?:Presidential\s+)?[Ll]ibrary|(?:"
            + CAP
            + r"[\w.’'-]*(?:\s+"
            + CAP
            + r"[\w.’'-]*){0,3})|[Hh]e|[Ss]he|[Tt]hey)"
            r"(?:,?\s+in\s+(?:(?:his|her|its|their)\s+)?turn,?)?\s+(?P<verb>received)\s+(?!from\b)(?P<items>[^.]{1,150}?)"
            r"(?:\s+from\s+(?P<giver>[^.,]{1,150}?))?(?:\s+as\s+(?:a\s+)?" + _GIFT_NOUNS + r")?(?:[.,;]|$)"
        ),
    ),
    (
        # "… worked in the reading hall and received from the library the electronic edition …": the giver before
        # the thing, the receiver the clause's subject (the other side)
        "received_from",
        re.compile(
            r"\breceived\s+from\s+(?P<giver>" + _LIBRARY + r"|the\s+hosts?|" + _STAFF + r"|(?:the\s+)?guests?|"
            r"(?:the\s+)?(?:members\s+of\s+the\s+)?delegation|(?:the\s+)?visitors|him|her|them)\s+(?P<items>(?!about\b|information\b)[^.;]{1,150}?)(?:[.;]|$)"
        ),
    ),
    (
        "visited_and",  # "…, visited (paid a visit to) the Presidential Library and handed over …": the guests gave
        re.compile(
            r"\b(?:visited|paid\s+an?\s+(?:(?:official|working|short|brief|return|first|second|another)\s+)?visit\s+to)\s+"
            + _LIBRARY
            # "… in Baku", "… once more", "… again", "… for the second time": where or when, before "and"
            + r"(?:\s+(?:in\s+Baku|again|once\s+(?:more|again)|for\s+the\s+(?:first|second|third|\w+th)\s+time))?"
            + r"\s+and\s+(?P<verb>donated|handed\s+over|gave|gifted|presented(?!\s+(?:him|her|them|the\s+[\w\s]{1,40}?)\s+with\b))"
            r"\s+(?:(?:to\s+)?"
            + _LIBRARY
            + r"\s+(?:with\s+)?|it\s+with\s+)?(?P<items>[^.]{1,150}?)(?:\s+to\s+"
            + _LIBRARY
            + r")?(?:\.|$)"
        ),
    ),  # The fallbacks below are read only when no rule above matched the clause: each asks who gives and who receives
    # by the clause's structure alone (decision 0052).
    (
        "to_whom",  # "… deputy director X, to whom Mrs Y presented a facsimile …": the receiver is the antecedent
        re.compile(
            r"(?P<recv>[^,;]{1,80}),\s+to\s+whom\s+(?P<giver>[^,.;]{1,80}?)\s+"
            r"(?P<verb>presented|gave|donated|handed\s+over|gifted)\s+(?P<items>[^.;]{1,150}?)(?:[.;]|$)"
        ),
    ),
    (
        "to_person",  # "the guests handed over to Mr. X several issues of …": to a person named first
        re.compile(
            r"(?P<giver>(?:[Tt]he\s+)?(?:guests?|delegation|visitors?|(?:Presidential\s+)?[Ll]ibrary)|[Hh]e|[Ss]he|"
            r"[Tt]hey|(?:"
            + CAP
            + r"[\w.’'-]*(?:\s+"
            + CAP
            + r"[\w.’'-]*){0,3}))\s+(?P<verb>handed\s+over|presented|gave|donated|gifted)\s+to\s+"
            # "… handed over to the RSL its electronic editions": a body by its abbreviation too
            r"(?P<recv>(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+|the\s+(?=[A-Z]{2,}\s+(?:its|their|his|her|a|an|the|some|several|\d)))?"
            + CAP
            + r"[\w’'-]*(?:\s+"
            + CAP
            + r"[\w’'-]*){0,2})\s+(?P<items>[^.;]{1,150}?)(?:[.;]|$)"
        ),
    ),
    (
        "subjectless",  # "The guests presented …, and were in turn given the album … by X": a second predicate
        re.compile(
            r"^(?:also\s+)?(?:was|were)\s+(?:(?:in\s+(?:their\s+|his\s+|her\s+)?turn|also|then)\s+)?"
            r"(?P<verb>given|presented\s+with|handed)\s+(?P<items>[^.;]{1,200}?)(?:\s+by\s+(?P<giver>[^.,;]{1,120}))?"
            r"(?:[.;]|$)"
        ),
    ),
    (
        # "The Spanish guests donated a catalogue of …", "The guest handed over books": no receiver named; the other
        # side's (decisions 0061, 0064)
        "donated_bare",
        re.compile(
            r"^(?P<giver>(?:[Tt]he\s+)?(?:guests?|delegation|visitors?|"
            + _GUEST_WORDS
            + r")|"
            + _DEFINITE_SUBJECT
            + r"|(?:"
            + CAP
            + r"[\w.’'-]*(?:\s+"
            + CAP
            + r"[\w.’'-]*){0,3})|[Hh]e|[Ss]he|They)"
            + _TURN_OR_APPOSITION
            + r"\s+(?:also\s+)?(?P<verb>donated|handed\s+over|presented(?=\s+(?:his|her|their)\s(?!(?:a|an|the|some|several)\s))|"
            # "…, and she in turn presented books published by …": a thing after the turn, the receiver unsaid
            r"(?<=turn\s)presented|(?<=turn,\s)presented|"
            # "The guest presented a book on the manuscripts of …": a thing handed over, the receiver unsaid
            r"presented(?=\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:book|album|copy|collection|set|monograph|facsimile|"
            r"volume|edition|map|painting|carpet)s?\b))"
            r"\s+(?P<items>(?!to\b)[^.;]{1,150}?)(?:[.;]|$)"
        ),
    ),
    (
        "left_for",  # "… and left a signed copy of his book for the library's fund": what a guest leaves is a gift
        re.compile(
            r"\bleft\s+(?P<items>(?!the\s+library\b)[^.;]{1,150}?)\s+(?:for|to|with|in)\s+(?P<recv>"
            + _LIBRARY
            + r")(?:[.;,]|\s+(?:as|on|after|before|at)\b|\s+and\s+(?=[a-z]+ed\b|spoke|wrote|met|told)|$)"
        ),
    ),
    (
        # "A. Vershinin enriched the library's collection with the Yeltsin Library's new album …": the subject gave it
        "enriched_with",
        re.compile(
            r"(?P<giver>(?:[Tt]he\s+)?(?:guests?|delegation|visitors?)|(?:"
            + CAP
            + r"[\w.’'-]*(?:\s+"
            + CAP
            + r"[\w.’'-]*){0,3})|[Hh]e|[Ss]he|They)"
            r"\s+(?:also\s+)?enriched\s+(?P<recv>the\s+(?:Presidential\s+)?[Ll]ibrary[’']s\s+(?:collections?|funds?|"
            r"holdings|stocks?))\s+with\s+(?P<items>[^.;]{1,150}?)(?:[.;]|,\s+and\b|$)"
        ),
    ),
    (
        # "The library's collection was enriched with more than two hundred books …": the guests gave them
        "enriched",
        re.compile(
            r"\b(?:the\s+)?(?:Presidential\s+)?[Ll]ibrary[’']s\s+(?:collections?|funds?|holdings|stocks?)\s+"
            r"(?:was|were|has\s+been|have\s+been)\s+(?:also\s+)?(?:enriched|replenished|supplemented)\s+with\s+"
            r"(?P<items>[^.;]{1,150}?)(?:,\s+(?:which|that)\b|[.;]|$)"
        ),
    ),
    (
        "left_with",  # "The guests left with the album …": what the guests take away, the host gave them
        re.compile(
            r"\b(?P<recv>(?:[Tt]he\s+)?(?:[A-Z][\w-]+\s+)?(?:guests?|visitors?|delegation)|[Hh]e|[Ss]he|They)\s+"
            r"(?:also\s+)?left\s+(?:Baku\s+|the\s+(?:Presidential\s+)?[Ll]ibrary\s+)?with\s+(?P<items>[^.;]{1,200}?)(?:[.;]|$)"
        ),
    ),
    (
        # "A copy of the anthology …, presented by the guest, now enriches the library's fund": the guests gave it
        "enriches_fund",
        re.compile(
            r"^(?P<items>[A-Z][^,;]{1,150}?)(?:,\s+[^,;]{1,120},)?\s+(?:now\s+)?(?:enriches|has\s+enriched|joined|"
            r"complements|adorns)\s+the\s+(?:Presidential\s+)?[Ll]ibrary[’']s\s+(?:[a-z]+\s+){0,3}?"
            r"(?:funds?|collections?|holdings)\b"
        ),
    ),
    (
        "recv_with",  # "… who spoke about … and presented the delegation with the album …": no subject of its own
        re.compile(
            r"\bpresented\s+(?P<recv>(?:the|its|their|(?:each|all|every|both)\s+of\s+the|all\s+the)\s+(?:guests?|"
            r"delegation|visitors?)|(?:each|every)\s+(?:guest|visitor)|each\s+of\s+them|him|her|them|"
            + _LIBRARY
            + r")\s+with\s+(?P<items>[^.;]{1,200}?)(?:[.;]|$)"
        ),
    ),
)


_CLAUSE = re.compile(
    # "…, the library staff in their turn presented the guest with …": a second giver after a bare comma
    # "…, in turn, Mayil Ahmadov presented them with …": the turn first
    r",\s+in\s+(?:(?:his|her|its|their)\s+)?turn,\s+(?=(?:[A-Z]|the\s)[^,;.]{0,60}?\s+(?:presented|donated|gave|handed|gifted)\b)|"
    r",\s+(?!which\b|who\b)(?=[^,;.]{1,60}?\s+in\s+(?:his|her|its|their)\s+turn,?\s+(?:presented|donated|gave|handed|gifted)\b)|"
    r"(?:,\s+(?:and|while|whereas)|;)\s+(?=(?:in\s+(?:(?:his|her|its|their)\s+)?turn,\s+)?(?:[^,;]|,\s+in\s+(?:(?:his|her|its|their)\s+)?turn,|,\s+"
    + _APPOSED_TITLE
    + r"[^,.;]{0,80},){0,80}?"
    r"\b(?:presented|donated|gave|given|gifted|handed over)\b|(?:in\s+(?:turn|return),?\s+)?"
    r"(?:[Hh]e|[Ss]he|[Tt]hey|[Tt]he\s+guests?)\s+(?:\w+\s+)?received\b)"  # "…; in return she received …" (0066)
)


#: A name and the title in apposition after it, up to the comma that closes it: "Mayil Ahmadov, director of the
#: library" (the title in either case).
_APPOSITION_OPEN = re.compile(CAP + r"[\w’'-]+\s+" + CAP + r"[\w’'-]+,\s+" + _APPOSED_TITLE + r"[^,.;]{0,80}$")


def _clauses(sentence: str) -> list[str]:
    """Split "… was presented with books, and X in turn presented …" into its two handings-over."""
    parts, start = [], 0
    for m in _CLAUSE.finditer(sentence):
        if m.group(0).rstrip() == "," and _APPOSITION_OPEN.search(sentence, start, m.start()):
            continue  # "Mayil Ahmadov, director of the library, thanked … and in his turn handed …": an apposition's end
        parts.append(sentence[start : m.start()])
        start = m.end()
    relative = _RELATIVE_GIVER.search(sentence, start)
    if relative is not None and (antecedent := _ANTECEDENT.search(sentence, start, relative.start())) is not None:
        # "… to the library, which in its turn gave each guest …": the relative's antecedent gives (decision 0066)
        parts.append(sentence[start : relative.start()])
        sentence, start = antecedent.group(0) + " " + sentence[relative.end() :], 0
    out = []
    for whole in [*parts, sentence[start:]]:
        part = whole
        active = _AND_ACTIVE.search(part)
        # "At the end of the meeting, the guest presented …, and received …": the subject after the time adjunct
        when = _WHEN_FIRST.match(part) if active is not None else None
        opening = when.end() if when is not None else 0
        subject = _OPENING_SUBJECT.match(part, opening) if active is not None else None
        if active is not None and subject is None:
            subject = _OPENING_SUBJECT_OTHER_VERB.match(part, opening)
        if active is not None and subject is not None:
            # "The guests presented … and received in return …", "… were presented with … and in turn donated …":
            # a second handing-over with the first's subject
            out.append(part[: active.start()])
            rest = re.sub(r"^(\w+)\s+in\s+(?:turn|return)\b\s*,?\s*", r"\1 ", part[active.end() :])  # verb kept
            part = subject.group("subject").rstrip() + " " + rest
        passive = _AND_PASSIVE.search(part)
        if passive is None:
            out.append(part)
            continue
        # "The guests presented … and were given …": the second handing-over's receiver is the first's giver
        out += [part[: passive.start()], ("they " if passive.group(1) == "were" else "he ") + part[passive.end() :]]
    return out


#: A relative clause of giving after a comma: ", which in its turn gave …", ", who then presented …".
_RELATIVE_GIVER = re.compile(
    r",\s+(?:which|who)\s+(?=(?:in\s+(?:its|his|her|their)\s+turn,?\s+|also\s+|then\s+)?"
    r"(?:presented|donated|gave|handed\s+over|gifted)\b)"
)
#: The noun phrase a relative clause follows: "the (Presidential) library", "the guests", a name.
_ANTECEDENT = re.compile(
    r"(?:[Tt]he\s+(?:Presidential\s+)?[Ll]ibrary|[Tt]he\s+(?:guests?|visitors?|delegation)|"
    r"(?:" + CAP + r"[\w’'-]*\s){1,3}" + CAP + r"[\w’'-]*)(?=$)"
)


#: "… and (in turn) donated …", "… and received in return …": a second predicate of giving or receiving.
_AND_ACTIVE = re.compile(
    r"\s+and\s+(?:in\s+(?:(?:his|her|its|their)\s+)?(?:turn|return)\s*,?\s+)?"
    # "… and at the end of the visit received …": a time adjunct before the second predicate (decision 0066)
    r"(?:(?:at|after|before|during|towards)\s+the\s+(?:end|close|conclusion)?[^,.;]{0,40}?,?\s+)?"
    r"(?=(?:presented|donated|gave|handed|gifted|received)\b)"
)
#: The subject a sentence opens with ("The guests", "Dr. Lis", "The Ambassador"), before its first verb.
_OPENING_SUBJECT = re.compile(
    r"(?P<subject>(?:[^\s,;]+\s+){0,5}?)(?:was|were|presented|donated|gave|handed|gifted|received)\b"
)
#: The subject a sentence opens with when its first verb is another ("The scholar, who …, got acquainted with … and
#: presented …", "M. van Dijk spoke about … and presented …"): a noun after "the", a pronoun or a name (initials
#: and particles too), an apposition in commas, then a verb in the past.
_OPENING_SUBJECT_OTHER_VERB = re.compile(
    # "Director of the library Mayil Ahmadov thanked the guest and in his turn handed him …": a title may lead
    r"(?P<subject>(?:[Tt]he\s+[a-z]+|[Hh]e|[Ss]he|They|"
    # "Mr. Khrouz got acquainted with … and handed over …": a surname after an honorific
    r"(?:Mr|Mrs|Ms|Dr|Prof)\.\s+" + CAP + r"[\w’'-]+(?:\s+" + CAP + r"[\w’'-]+)?|"
    r"(?:(?:[Tt]he\s+)?(?:library[’']s\s+|Library[’']s\s+)?(?:[Dd]eputy\s+)?(?:[Dd]irector|[Hh]ead)(?:\s+[Gg]eneral)?"
    r"(?:\s+of\s+the\s+(?:Presidential\s+)?[Ll]ibrary)?\s+)?"
    r"(?:(?:" + CAP + r"\.\s?)+|" + CAP + r"[\w’'-]+\s+)"
    r"(?:(?:" + CAP + r"[\w’'-]*|van|von|de|der|al|el|bin|ibn|la|le|ter)\s+){0,3}" + CAP + r"[\w’'-]+))"
    r"(?:,\s+[^,;]{1,150},)?\s+(?:also\s+)?(?!visited\b|paid\s+an?\s+(?:\w+\s+)?visit\b)"  # "… visited … and handed over": the visit rules' own
    r"(?:[a-z]{2,}ed|got|spoke|met|took|saw|made|held|wrote|told|left|went|came|brought|showed|gave|paid|was|were)\b"
)
#: "… and were given …" with no subject of its own (the subject of the sentence receives).
_AND_PASSIVE = re.compile(
    r"\s+and,?\s+(?:in\s+(?:(?:his|her|its|their)\s+)?turn,?\s+)?(?=(was|were)\s+"
    + _REFLEXIVE
    + r"(?:presented\s+with|given|gifted|handed)\b)"
)


#: Words each gift rule needs (lower case; "a|b" is either): a sentence without them is not searched (issue 21).
_NEEDS = {
    "by_to": (" by ", " to "),
    "to_by": (" to ", " by "),
    "passive": ("presented with|given|gifted|handed",),
    "passive_to": (" to ",),
    "active": ("presented", "with"),
    "as_gift": ("gift",),
    "as_gift_first": ("as a gift|as gift",),
    "donated": (" to ",),
    "to_first": ("donated to|presented to|handed over to|gave to|gifted to",),
    "gave_to": ("gave|donated|gifted|handed|presented him|presented her|presented them",),
    "enriched_with": ("enriched",),
    "and_gave": ("visited", " and ", " to "),
    "visited_and": ("visit", " and "),
    "received": ("received",),
    "received_from": ("received from",),
    "to_whom": ("to whom",),
    "to_person": (" to ",),
    "recv_with": ("presented", "with"),
    "left_for": ("left",),
    "donated_bare": (
        "donated|handed over|presented his|presented her|presented their|turn presented|turn, presented|presented a",
    ),
    "enriched": ("enriched|replenished|supplemented",),
    "left_with": ("left",),
    "enriches_fund": ("enriches|has enriched|joined|complements|adorns",),
    "subjectless": ("was|were",),
}


_SHOWN = re.compile(
    # what one shows or tells ("its digitization strategy", "the history of the library"), and people introduced
    # ("the delegation members"): no thing handed over (review of session 23)
    r"\b(?:strateg(?:y|ies)|concepts?|(?:the|its|their)\s+(?:history|structure)|experience|achievements|members|"
    r"colleagues|team|"
    r"platforms?|projects?|programmes?|programs?|databases?|systems?|services?|software|applications?|apps?|"
    r"websites?|portals?|technolog(?:y|ies)|reports?|results|possibilities|capabilities|activities|plans?)\b",
    re.I,
)
_AUDIENCE = re.compile(r"\b(?:staff|readers|audience|participants|employees|specialists|colleagues|public)\b", re.I)


#: A service or collection in electronic form: shown or introduced, not handed over ("the library's new electronic
#: resources", "the electronic catalogue", "the digital collections").
_ELECTRONIC_SHOWN = re.compile(
    r"\b(?:electronic|digital|online|virtual|web)\s+(?:catalog(?:ue)?s?|librar(?:y|ies)|resources|databases?|"
    r"platforms?|services?|portals?|collections?|reading\s+rooms?)\b",
    re.I,
)


#: An audience a talk is given to: "… to the readers", "… to the library's staff".
_TO_AN_AUDIENCE = re.compile(
    r"\bto\s+(?:the\s+)?(?:library[’']s\s+)?(?:readers|audience|public|participants|staff|students|employees)\b"
)
#: The head of what is "given" when it is an event or a telling: "a tour (of the fund)", "a lecture (on …)".
_NOT_A_THING_HEAD = re.compile(
    r"\b(?:tours?|lectures?|talks?|presentations?|access|opportunit(?:y|ies)|time|answers?|information|overview|"
    r"reports?|speech|account|chance|advice|explanations?|briefing|excursions?|concerts?|performances?|seminars?|"
    r"courses?|classes|consultations?|interviews?|reception|welcome|demonstration)$",
    re.I,
)


def _gives_thing(items: str) -> bool:
    """Say whether what is given names a thing and its head is no event or telling: "a lecture on the manuscripts of
    Nizami", "a tour of the manuscripts fund" are none; "a set of books", "X, head of …, a set of books" are.

    >>> _gives_thing("a tour of the manuscripts fund"), _gives_thing("a set of books"), _gives_thing("the album")
    (False, True, True)
    """
    head = re.split(r"\s(?:on|about|of|for|to|at|by|from|in|with|devoted|dedicated)\s", items, maxsplit=1)[0]
    if re.search(r"\bannual\s+reports?$", head, re.I):
        return True  # "handed over the latest annual report of the CENL": a printed report handed over
    return _names_thing(items) and not _NOT_A_THING_HEAD.search(head)


#: A set of what cannot be handed over: "a set of proposals on cooperation".
_ABSTRACT_SET = re.compile(
    r"\bsets?\s+of\s+(?:[\w-]+\s+){0,2}?(?:proposals|measures|recommendations|questions|ideas|initiatives|rules|"
    r"principles|activities|events|issues|tasks|criteria|standards|steps|actions)\b",
    re.I,
)


def _names_thing(text: str) -> bool:
    """Say whether text names a work or a gift ("the album", "souvenirs"), something one can hand over.

    >>> _names_thing("a set of traditional Korean hanji paper"), _names_thing("a set of proposals on cooperation")
    (True, False)
    """
    text = _ABSTRACT_SET.sub(" ", text)
    return bool(_WORK_WORDS.search(text) or _GIFT_WORDS.search(text))


def _presentation(items: str, receiver: str, given: bool = False) -> bool:
    """Say whether "presented <items> to <receiver>" shows something rather than hands a thing over.

    "Presented <receiver> with <items>" (`given`) has only the sense of handing over: what was presented does not
    make it a talk ("presented the library with its annual report"); an audience as the receiver still does.

    >>> _presentation("the new digital platform", "the library staff"), _presentation("a book", "the library")
    (True, False)
    >>> _presentation("the annual report", "the library", given=True), _presentation("the annual report", "the library")
    (False, True)
    >>> _presentation("detailed information about the fund", "the guests", given=True)
    True
    """
    head = re.split(r"\s(?:about|on|of|for)\s", items, maxsplit=1)[0]
    if not given and re.match(
        r"(?:the\s+)?(?:library[’']s\s+)?(?:readers|audience|public|participants)\b", receiver.strip()
    ):
        return True  # "presented her new book to the readers": a book presented at an event, not handed to the library
    if not given and _ELECTRONIC_SHOWN.search(head):
        return True  # "presented the new electronic catalogue to the guests": a service shown, not a thing given
    if _names_thing(head):
        return False
    return bool((_SHOWN.search(head) and not given) or _TOLD.search(head) or _AUDIENCE.search(receiver))


#: What one tells rather than hands over ("presented the guests with information about …", "… with an overview").
_TOLD = re.compile(r"\b(?:information|overview|details|briefing|explanations?|insights?)\b", re.I)


def _only_told(items: str) -> bool:
    """Say whether what was given is something told, whatever it is about: the words before its "about", "on" or
    "of" say so ("(the guest) detailed information about the library's manuscripts") and name no thing.

    >>> _only_told("the guest detailed information about the manuscripts"), _only_told("a book about the library")
    (True, False)
    """
    head = re.split(r"\s(?:about|on|of|regarding|concerning)\s", items, maxsplit=1)[0]
    return bool(_TOLD.search(head)) and not _names_thing(head)


def _received_gift(items: str) -> bool:
    """Say whether what was received is a thing given ("a copy of the book"), not "information about the books".

    >>> _received_gift("a copy of the album"), _received_gift("information about the collections")
    (True, False)
    """
    head = re.split(r"\s(?:about|on|of|regarding|concerning|from)\s", items, maxsplit=1)[0]
    if _names_thing(head):
        return True
    # "a set of books", "a copy of the album": a measure of things given
    return bool(re.search(_MEASURE, head, re.I) and _names_thing(items))


_MEASURE = r"\b(?:copy|copies|set|sets|number|selection|series|package|pack|bundle|box|boxes|samples?|dozens?)\b"


def _party(text: str, names: Sequence[str], host_names: Sequence[str]) -> str:
    """Map a giver or receiver phrase to host, guests, guest or a person's name."""
    t = text.strip(" ,.")
    folded = fold(t)
    for name in host_names:
        if fold(name) and (fold(name) in folded or re.search(rf"(?<!\w){re.escape(_initial_form(name))}\b", folded)):
            return name
    for name in host_names:  # "Mr. Guliyev" for the host's Mahammad Guliyev: a later mention of them
        if len(fold(name).split()) >= 2 and short_form_of(t, name):
            return name
    for name in names:
        if fold(name) in folded:
            return name
    for name in names:  # a later mention by initial or surname: "M. van Dijk", "Dijk" for Marieke van Dijk
        words = fold(name).split()
        if len(words) >= 2 and short_form_of(t, name):
            return name  # "Dr. Serin", "Ivanova N."
        if len(words) >= 2 and re.fullmatch(rf"{re.escape(words[-1])}\s+{re.escape(words[0][0])}\b.*", folded):
            return name  # "Ivanova N. Ye.": the family name, the first initial, and a patronymic's the record lacks
        if len(words) >= 2 and folded and (" " + fold(name)).endswith(" " + folded):
            return name
        if len(words) >= 2 and re.search(
            rf"(?<!\w){re.escape(words[0][0])} {re.escape(' '.join(words[1:]))}\b", folded
        ):
            return name
    if re.search(r"\bguests\b|\bvisitors\b|\bthem\b|\bthey\b|\bdelegation\b", t, re.I):
        return GUESTS
    if re.fullmatch(r"(?:the\s+)?(?:[\w-]+\s+)?" + _GUEST_WORDS, t, re.I):  # "the writer", "the Ambassador"
        return GUEST
    if re.search(r"\bguest\b|\bhim\b|\bher\b|\bhe\b|\bshe\b", t, re.I):
        return GUEST
    if re.search(r"\blibrary\b", t, re.I) and not re.search(r"\bof the\b.*\b(?:Centre|Center|University)\b", t):
        return HOST
    return t


def _initial_form(name: str) -> str:
    """Return a name as its first initial and last word, folded as names.fold folds "M. Ahmadov".

    >>> _initial_form("Mayil Ahmadov") == fold("M. Ahmadov")
    True
    """
    words = fold(name).split()
    return f"{words[0][0]} {words[-1]}" if len(words) >= 2 else fold(name)


#: Right before a gift's words, a list they end that a preposition governs: "books on literature, | history and art".
_LIST_GOVERNED = re.compile(r"[\w’'-]+\s+(?:about|on|of)\s[^.;]{0,120},\s*$")


#: "and" then a lower-case word and a determiner or possessive: a verb with its object ("and left a note", "and wrote
#: her impressions"), a second predicate of the giver, not a second thing ("and all the issues": a pre-determiner).
_PREDICATE_AFTER_AND = re.compile(
    r"\s+and\s+(?:also\s+|then\s+)?(?!(?:all|both|half|many|some|several|other|few|each|such|its|their|his|her|"
    r"with|of|on|in|for|to|from|by|about|at|into|as)\s)"
    r"(?:[a-z]+ly\s+)?[a-z]+\s+(?:a|an|the|her|his|their|its|our|my|some|several)\s"  # "and highly appreciated the"
)


#: A count opening what is handed over: "more than 200", "some two hundred", "about 50", "dozens of".
_COUNTED = re.compile(
    r"(?:(?:more\s+than|over|about|around|some|nearly|almost|approximately|up\s+to)\s+)?"
    r"(?:\d[\d,.]*|(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|a)\s+(?:hundred|thousand|dozen)|dozens\s+of|hundreds\s+of)\s+(?:new\s+)?[a-z]+s\b"
)
#: "and" then a bare plural ("and periodicals"): the counted things' second kind, not a second gift.
_BARE_PLURAL_AFTER_AND = re.compile(r"\s+and\s+(?:new\s+)?[a-z]+s\b(?!\s+(?:of|by)\b)")


def _items(phrase: str, before: str = "") -> list[str]:
    """Split "the album-books “Carpets of Azerbaijan” and women’s silk headscarf kelaghayi" into items.

    `before` is the sentence right before the phrase: when the phrase ends a list that a preposition governs there
    ("Sixty books on Japanese literature, | history and art were handed over …"), it is one thing, not two.
    """
    governed = _LIST_GOVERNED.search(before[-160:])
    if governed is not None:  # the whole list with its head: "books on Japanese literature, history and art"
        return [(governed.group(0) + phrase).strip(" ,.")]
    phrase = re.split(r"\s+(?:donated|presented|given|gifted)\s+to\b|\s+as\s+(?:a\s+)?gifts?\b", phrase)[0].strip(" ,.")
    bare = re.sub(r"“[^”]*”|\"[^\"]*\"", '""', phrase)
    also = re.search(
        r"(?:,?\s+as\s+well\s+as|,\s+(?:together|along)\s+with)\s+(?=(?:a|an|the|his|her|their|several|some|\d+)\s)",
        bare,
    )
    if also is not None and not _received_gift(bare[also.end() :]):
        also = None  # "a book on Baku as well as on Shirvan", "held in Paris as well as in London": one thing
    if also is not None:  # "the books about Poland, as well as (, together with) the Polish translation of …"
        return [
            phrase[: _original_index(phrase, bare, also.start())].strip(" ,"),
            phrase[_original_index(phrase, bare, also.end()) :].strip(" ,"),
        ]
    gapped = re.search(r"\s+and\s+(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+|(?:[A-Z]\.\s*)+)[A-Z][\w’'-]+\s+with\s+", bare)
    if gapped is not None:  # "… a facsimile of the Codex Gigas and M. Lukeš with a catalogue …": two givers, one verb
        idx = _original_index(phrase, bare, gapped.start())
        rest = phrase[_original_index(phrase, bare, gapped.end()) :]
        return [phrase[:idx].strip(" ,"), rest.strip(" ,")]
    cut = [m.start() for m in re.finditer(r"\s+and\s+", bare)]
    counted = _COUNTED.match(bare)
    if (
        counted is not None
        and len(cut) == 1
        and cut[0] >= counted.end()
        and _BARE_PLURAL_AFTER_AND.match(bare[cut[0] :])
    ):
        # "more than 200 books and periodicals published in Türkiye": one count of one collection (every set)
        return [phrase]
    predicate = next((c for c in cut[1:] if _PREDICATE_AFTER_AND.match(bare[c:])), None)
    if predicate is not None:  # "his monograph, published in French and Arabic, and left his impressions …"
        phrase, bare = phrase[: _original_index(phrase, bare, predicate)].strip(" ,"), bare[:predicate].strip(" ,")
        cut = [c for c in cut if c < predicate]
    # "his monograph, published in French and Arabic": an "and" inside a participle's phrase joins its words only
    cut = [c for c in cut if not re.search(r",\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|en|wn)\s[^,]*$", bare[:c])]
    participle = cut and re.match(
        r"\s+and\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|en|wn)\s+(?:by|with|in|into|at|for|to|on|under|from)\b", bare[cut[0] :]
    )
    if cut and _PREDICATE_AFTER_AND.match(bare[cut[0] :]):  # "… her book and left a note in …": a new predicate
        return [phrase[: _original_index(phrase, bare, cut[0])].strip(" ,")]
    # "a book on the history of the university and a ceramic bowl": an article after "and" opens a second thing,
    # whatever the first governs
    article = bool(
        cut
        and re.match(r"\s+and\s+(?:a|an|several|some|two|three|four|five|ten|\d+)\s", bare[cut[-1] :])
        and re.match(r"(?:a|an|the|his|her|their)\s", bare)
    )
    # "the books about Chinese history and culture and the album …": after a list the thing's own words, a second
    last = re.match(r"\s+and\s+(?:the|a|an|his|her|their)\s+(?:\S+\s+){0,2}\S+", bare[cut[-1] :]) if cut else None
    article = article or (len(cut) >= 2 and last is not None and _names_thing(last.group(0)))
    # 'the English version of the book "Baku" and the album "Carpets"', "the catalogue of the foundation's collections
    # and the books about Portugal": the words after the last "and", up to their own "of" or "about", name a thing of
    # their own (a first thing that ends in a title in quotes needs no article after "and": '"Baku" and kelaghayi')
    head = (
        re.match(
            r"\s+and\s+((?:the|a|an|his|her|their|its)\s+)?((?:(?!of\b|about\b|on\b|by\b)\S+\s*){1,3})", bare[cut[-1] :]
        )
        if cut
        else None
    )
    article = article or bool(
        head is not None
        and _names_thing(head.group(2))
        and (head.group(1) or bare[: cut[-1]].rstrip().endswith('""'))
        and _names_thing(bare[: cut[-1]])
    )
    # "the books about history and culture of Azerbaijan and women's silk headscarf kelaghayi": a souvenir after the
    # last "and" is a thing of its own, with or without its article
    article = article or bool(
        head is not None
        and len(cut) >= 2
        and _SOUVENIR.search(head.group(2))
        and not _SOUVENIR.search(bare[: cut[-1]])
        and _names_thing(bare[: cut[-1]])
    )
    if article:
        cut = cut[-1:]
    # "books by Brazilian writers in Portuguese and English": two languages joined, one thing
    languages = bool(
        cut
        and re.search(r"\b(?:in|into|from)\s+[A-Z]\w+$", bare[: cut[0]])
        and re.fullmatch(r"\s+and\s+[A-Z]\w+", bare[cut[0] :])
    )
    if cut and not participle and not languages and (article or not re.search(r"\b(?:about|on|of)\b", bare[: cut[0]])):
        first_len = cut[0]
        # map the cut back to the original phrase: the same count of characters before quotes' content
        idx = _original_index(phrase, bare, first_len)
        return [phrase[:idx].strip(" ,"), re.sub(r"^\s*and\s+", "", phrase[idx:]).strip(" ,")]
    return [phrase]


#: Things given as souvenirs, which no list of subjects holds ("history, culture and kelaghayi" is no book's subject).
_SOUVENIR = re.compile(r"\b(?:kelaghayi|headscarf|headscarves|souvenirs?|carpets?|vases?|medals?|plaques?)\b", re.I)


def _original_index(original: str, bare: str, bare_index: int) -> int:
    """Return the index in `original` that corresponds to `bare_index` in the quote-emptied copy."""
    oi = bi = 0
    while bi < bare_index and oi < len(original):
        if original[oi] in '“"' and bare[bi] == '"':
            close = "”" if original[oi] == "“" else '"'
            oi = original.index(close, oi + 1) + 1 if close in original[oi + 1 :] else len(original)
            bi += 2
            continue
        oi += 1
        bi += 1
    return oi


def _describe(item: str) -> tuple[str | None, str, str]:
    """Return (name, description, item type) for one item phrase."""
    item = re.sub(r"^(?:the|a|an|some)\s+", "", item.strip(), flags=re.I)
    quoted = re.search(r"[“\"]([^”\"]+)[”\"]", item)
    name = quoted.group(1).strip() if quoted else None
    desc = re.sub(r"\s*[“\"][^”\"]+[”\"]\s*", " ", item).strip(" ,") if quoted else item
    desc = desc[:1].upper() + desc[1:] if desc else (name or "")
    if re.fullmatch(r"(?:\w+\s+)?(?:gifts?|presents?|souvenirs?)", item, re.I):
        return None, f"{desc}; the source does not say what they were", "Thing"
    kind = "CreativeWork" if _WORK_WORDS.search(item) else "Product"
    return name, desc, kind


#: "The guests and the librarians exchanged souvenirs": a handing-over each way (what, unnamed or named).
_EXCHANGED = re.compile(
    r"\bexchanged\s+(?P<items>(?:[\w-]+\s+){0,2}?(?:gifts?|presents?|souvenirs?|books|publications))\b"
    # "Souvenirs were exchanged": the same, in the passive
    r"|\b(?P<pitems>(?:[\w-]+\s+){0,2}?(?:gifts?|presents?|souvenirs?|books|publications))\s+were\s+"
    r"(?:also\s+|then\s+)?exchanged\b",
    re.I,
)


#: A sentence that opens with a definite subject handed over in the passive, with nothing saying it is another
#: thing: "The collection of books was handed over to the library by …".
_DEFINITE_PASSIVE = re.compile(
    r"\s*The\s+[^.;\"“]{0,150}?\b(?:was|were)\s+(?:(?:later|then|officially|solemnly)\s+)?"
    r"(?:handed(?:\s+over)?|presented|donated|given|gifted|transferred)\b"
)
_ANOTHER = re.compile(r"\b(?:also|too|as\s+well|in\s+addition|another|other|further|more\s+gifts?)\b", re.I)


def _host_side(who: str, host_names: Sequence[str]) -> bool:
    """Say whether a party of a handing-over is the host's side: the library, or one of its staff named."""
    return who == HOST or who in host_names


def _told_again(
    sentence: str, agent: str, recipient: str, before: Sequence[GiftMention], host_names: Sequence[str]
) -> bool:
    """Say whether a gift read in `sentence` is one an earlier sentence already told: the sentence opens with a
    definite subject handed over in the passive (it points back: "The collection …"), names no title of its own,
    says nothing of another thing, and an earlier gift went the same way (the giver's side and the receiver).

    >>> g = GiftMention("the Embassy", HOST, "Books", None, "CreativeWork", "")
    >>> _told_again("The collection was handed over to the library by its staff.", "its staff", HOST, [g], [])
    True
    >>> _told_again("The album was also handed over to the library by its staff.", "its staff", HOST, [g], [])
    False
    """
    if not _DEFINITE_PASSIVE.match(sentence) or _ANOTHER.search(sentence) or re.search(r"[\"“]", sentence):
        return False

    return any(
        g.recipient == recipient and _host_side(g.agent, host_names) == _host_side(agent, host_names) for g in before
    )


def _same_things_again(
    items: str, agent: str, recipient: str, before: Sequence[GiftMention], host_names: Sequence[str], phrase: str = ""
) -> bool:
    """Say whether what a later sentence hands over is the things an earlier sentence told of, pointed back to with
    "the" and the same noun, going the same way ("the handing over of the books presented by the Embassy … was held.
    Counsellor X handed over the books on Russian art to the director": one gift, not two).

    >>> g = GiftMention("the Embassy", HOST, "Books", None, "CreativeWork", "")
    >>> _same_things_again("the books on Russian art", "Dmitry Kovalenko", "Mayil Ahmadov", [g], ["Mayil Ahmadov"])
    True
    >>> _same_things_again("the album of Baku", "Dmitry Kovalenko", "Mayil Ahmadov", [g], ["Mayil Ahmadov"])
    False
    >>> _same_things_again("books on Russian art", "Dmitry Kovalenko", "Mayil Ahmadov", [g], ["Mayil Ahmadov"])
    False
    """
    m = re.match(r"\s*the\s+([a-z][\w-]*)\b", items)
    if (
        m is None
        or _ANOTHER.search(items + " " + phrase)  # "The Ambassador also handed over the books …": more books
        or re.search(r"[\"“«]", items)
        or re.search(r"\s(?:and|as\s+well\s+as)\s+(?:a|an|the|his|her|their)\s", items)  # "the books and the album"
    ):
        return False

    def content(words: str) -> set[str]:
        return {w for w in re.findall(r"[a-z]{3,}", words.casefold()) if w not in _FUNCTION_WORDS}

    noun = m.group(1).casefold()
    said = content(items[m.end() :])  # what the later mention says of them: none of it new
    return any(
        _host_side(g.recipient, host_names) == _host_side(recipient, host_names)
        and _host_side(g.agent, host_names) == _host_side(agent, host_names)
        and g.description.split()[0].casefold() == noun
        and (len(g.description.split()) == 1 or said <= content(g.description))
        for g in before
        if g.description
    )


#: Words that say nothing of what a thing is ("the books *on the* history …").
_FUNCTION_WORDS = frozenset("the and for with from into about that this these those its their his her".split())


def _turn_first(sentence: str) -> str:
    """Move "in (their) turn" after a passive's verb to before it, where the rules read it ("were presented in turn
    with" is "were in turn presented with").

    >>> _turn_first("and were presented in turn with the album")
    'and were in turn presented with the album'
    """
    return re.sub(
        r"\b(presented|given|gifted|handed)\s+(in\s+(?:(?:his|her|its|their)\s+)?turn),?\s+(?=with\b|an?\b|the\b)",
        lambda m: f"{m.group(2)} {m.group(1)} ",
        sentence,
    )


#: ", and" before a second predicate of giving with no subject of its own ("… got acquainted with the fund, and
#: presented his monograph …"): read as "and", whose predicate shares the sentence's subject.
_AND_GIVING = re.compile(
    r",\s+and\s+(?=(?:in\s+(?:(?:his|her|its|their)\s+)?(?:turn|return),?\s+)?(?:also\s+)?"
    r"(?:presented|donated|gave|handed|gifted|received)\b)"
)


#: "In turn(,) she donated …", "and in his turn he handed over …": the turn before its subject, which the rules read
#: after it ("she in turn donated").
_TURN_BEFORE_SUBJECT = re.compile(
    r"\b([Ii]n\s+(?:(?:his|her|its|their)\s+)?turn),?\s+(he|she|they|the\s+guests?|the\s+delegation)\s+"
    r"(?=(?:also\s+)?(?:presented|donated|gave|handed|gifted)\b)"
)


def _subject_first(m: re.Match[str]) -> str:
    subject = m.group(2)
    subject = subject[:1].upper() + subject[1:] if m.group(1)[:1] == "I" else subject
    return f"{subject} {m.group(1).casefold()} "


#: A receiver, then "and" and a second thing given ("… to the library and the album "Vilnius"").
_THING_AFTER_RECEIVER = re.compile(
    r"(?P<recv>(?:the\s+)?(?:Presidential\s+)?[Ll]ibrary|the\s+guests?|the\s+delegation|him|her|them)\s+and\s+"
    r"(?P<more>(?!(?:the\s+)?(?:staff|director|employees|readers|guests?|delegation)\b).{3,})$"
)
_THE_VISITORS = re.compile(r"\b([Tt]he)\s+visitor(s?)\b(?![’'])")


def find_gifts(text: str, people: Sequence[str] = (), host_names: Sequence[str] = ()) -> list[GiftMention]:
    """Find every gift handed over, with its direction, in the item's sentence order.

    >>> [(g.agent, g.recipient, g.description) for g in find_gifts("The guest gave books as a gift.")]
    [('guest', 'host', 'Books')]
    >>> [(g.agent, g.recipient) for g in find_gifts("The guest was presented with books, and G. Wilson in his "
    ...                                              "turn presented the library with his book.", ["G. Wilson"])]
    [('host', 'guest'), ('G. Wilson', 'host')]
    """
    out: list[GiftMention] = []
    opened = 0  # how many gifts were read before the current sentence
    lead = ""  # the current sentence's first clause
    for sentence, first in (
        (c, k == 0)
        for s in sentences(text)
        for k, c in enumerate(
            _clauses(_turn_first(_AND_GIVING.sub(" and ", _TURN_BEFORE_SUBJECT.sub(_subject_first, s))))
        )
    ):
        opened = len(out) if first else opened
        lead = sentence if first else lead
        sentence = _QUOTED.sub(lambda q: q.group(0).replace(".", _STOP), sentence)  # a title's stop ends nothing
        # "the visitors (in their turn) donated …": the guests, as every rule names them
        sentence = _THE_VISITORS.sub(lambda v: f"{v.group(1)} guest{v.group(2)}", sentence)
        # "The album, which collects photographs of Baku, was handed over to …": the relative clause between the
        # thing and its verb says what it is, not who gave it
        sentence = _RELATIVE_BEFORE_PASSIVE.sub(" ", sentence)
        # "At the end of the meeting T. Böhm presented …": when it happened is not who gave
        sentence = _WHEN_FIRST.sub("", sentence, count=1)
        low = sentence.casefold()
        swap = _EXCHANGED.search(sentence) if "exchanged" in low else None
        if swap is not None:  # one gift from the guests and one from the host
            name, desc, kind = _describe(swap.group("items") or swap.group("pitems"))
            out.append(GiftMention(GUESTS, HOST, desc, name, kind, swap.group(0)))
            out.append(GiftMention(HOST, GUESTS, desc, name, kind, swap.group(0)))
            continue
        for rule, pattern in _RULES:
            if not all(any(alt in low for alt in word.split("|")) for word in _NEEDS[rule]):
                continue  # the rule cannot match: skip its regular expression
            m = pattern.search(sentence)
            if m is None:
                continue
            if re.search(
                r"\b(?:donated|presented|given|handed\s+over)\s+(?:earlier|previously|before)\b(?!\s+(?:today|this))",
                m.group(0),
            ):
                continue  # "thanked the staff for the books … donated earlier to the library of the Center": past
            if rule == "to_by" and _MADE_BY.search(m.group("recv")):
                continue  # "handed over to X a copy of his monograph, published in Istanbul by Y": Y made it
            if rule == "to_by" and m.group("be") is None and _AGENT_NOUN.search(m.group("items")):
                continue  # "The ambassador handed over to the library 25 books, among them "…" by Z": Z wrote one
            if rule in ("to_by", "by_to") and re.search(
                r"\b(?:acquainted\s+with|shown|showed|saw|seen|viewed|exhibition\s+of|familiari[sz]ed\s+with)\b",
                sentence[max(0, m.end("items") - 80) : m.end("items")],
            ):
                continue  # "The guest got acquainted with the books presented to the library by X": gifts of before
            if re.fullmatch(r"(?:[Tt]he\s+)?(?:Presidential\s+)?[Ll]ibrary", m.group("items").strip()):
                continue  # "The library was presented to the guests": the host introduced, nothing handed over
            if (m.groupdict().get("verb") or "presented").startswith("presented") and _ELECTRONIC_SHOWN.search(
                re.split(r"\s(?:about|on|of|for)\s", m.group("items"), maxsplit=1)[0]
            ):
                continue  # "The guests were presented with the library's new electronic resources": shown
            verb = m.groupdict().get("verb") or "presented"
            if verb == "presented" and _presentation(
                m.group("items"), m.groupdict().get("recv") or "", given=rule in ("active", "recv_with")
            ):
                continue  # "presented the digital platform to the staff": a presentation, not a gift
            if verb.startswith(("given", "handed", "gave")) and not _gives_thing(m.group("items")):
                continue  # "were given a tour (of the manuscripts fund)", "gave detailed information": not a gift
            if verb.startswith("presented") and _TO_AN_AUDIENCE.search(m.group("items")):
                continue  # "presented his research on the letters of Nizami to the readers": a talk
            if _only_told(m.group("items")):
                continue  # "gave the guest detailed information about the library's collection of manuscripts"
            agent = (
                _party(m.group("giver"), people, host_names) if "giver" in m.groupdict() and m.group("giver") else HOST
            )
            if rule == "passive":
                agent = HOST
            if rule in ("visited_and", "left_for"):
                agent = GUESTS
            if rule == "left_for" and not _received_gift(m.group("items")):
                continue  # "left his impressions in the library's visitors' book": no thing handed over
            if (
                rule in ("received", "received_from")
                and not _received_gift(m.group("items"))
                and not re.search(r"\bin\s+return\b", m.group(0))  # "… a Novruz khoncha in return": given back
            ):
                continue  # "received information about the collections", "received the guests": not a gift
            recv_text = m.groupdict().get("recv")
            more = _THING_AFTER_RECEIVER.match(recv_text) if recv_text else None
            if more is not None and (
                not _names_thing(more.group("more")) or _PREDICATE_AFTER_AND.match(" and " + more.group("more"))
            ):
                more = None  # "… to the library and wrote his wishes in the Visitors' Book": a second predicate
            if more is not None:  # "presented the book "X" to the library and the album "Y"": a second thing
                recv_text = more.group("recv")
            recipient = _party(recv_text, people, host_names) if recv_text else HOST
            if rule == "subjectless" and len(out) == opened:
                # "They got acquainted with the halls, and were presented with the album …": no handing-over before
                # in the sentence; its opening subject receives, when it names a side (decision 0089)
                opener = _OPENING_SUBJECT_OTHER_VERB.match(lead)
                who = _party(opener.group("subject"), people, host_names) if opener is not None else ""
                if who not in {HOST, GUESTS, GUEST, *people, *host_names}:
                    continue
                recipient = who
                agent = GUESTS if who == HOST or who in host_names else HOST
            elif rule == "subjectless":  # the previous clause's giver receives; the other side gives
                recipient = out[-1].agent
                guest_giver = recipient in {GUESTS, GUEST, *people}
                agent = _party(m.group("giver"), people, host_names) if m.group("giver") else ""
                if agent not in {HOST, GUESTS, GUEST, *people, *host_names}:
                    agent = HOST if guest_giver else GUESTS  # "by chief bibliographer X": the other side
            if rule == "subjectless" and not _names_thing(m.group("items")):
                continue
            library = re.fullmatch(_LIBRARY, (m.groupdict().get("recv") or "").strip()) is not None
            if rule == "recv_with" and not _names_thing(m.group("items")) and not library:
                continue  # "presented the guests with information": no thing handed over (the library is given things)
            if rule in ("passive_to", "recv_with") or (rule == "received" and not m.group("giver")):
                # no giver written: the other side gave ("books were presented to the guests", "the library received …")
                agent = GUESTS if recipient == HOST or recipient in host_names else HOST
            if rule in ("as_gift", "as_gift_first") and recv_text is None:
                recipient = HOST
            if rule == "donated_bare" and verb == "presented" and not _names_thing(m.group("items")):
                continue  # "presented his plans": not a thing handed over
            if rule == "donated_bare" and re.search(
                r"\bto\s+(?:the\s+)?(?:library[’']s\s+)?(?:readers|audience|public|participants|staff|students)\b"
                # "presented a new book at the conference": a presentation at an event
                r"|\b(?:at|during)\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?(?:conference|event|forum|festival|fair|"
                r"presentation|ceremony|symposium|seminar|round\s+table|evening)\b",
                m.group("items"),
            ):
                continue  # "presented her new book to the readers": an event's presentation
            if rule == "enriched" and not re.search(
                r"\b(?:guests?|visitors?|delegation|he|she|they|his|her|their|brought|donated|presented|handed)\b",
                sentence,
                re.I,
            ):
                continue  # "… was enriched with new editions thanks to the State Programme": no guest gave them
            if rule == "enriched" or rule == "enriches_fund":
                agent, recipient = GUESTS, HOST
            if rule in ("left_with", "enriches_fund") and not _received_gift(m.group("items")):
                continue  # "left with a deep understanding of the library's work": what it is of is no thing given
            if rule == "enriches_fund" and not re.search(
                r"\b(?:guests?|visitors?|delegation|presented|donated|handed|gift|brought|author)\b", sentence, re.I
            ):
                continue  # "Every new book … joined the library's fund under the law on legal deposit": no guest gave it
            if rule in ("donated_bare", "received_from"):  # no receiver written: the other side of the giver
                recipient = GUESTS if agent == HOST or agent in host_names else HOST
            sides = {HOST, GUESTS, GUEST, *people, *host_names}
            guest_side = {GUESTS, GUEST, *people}
            if agent not in sides and recipient in guest_side:
                agent = HOST  # "… was presented to her by deputy director X", "the director gave her …": the host's
            elif recipient not in sides and agent in guest_side:
                recipient = HOST  # "X gave the director a book": to the host
            if agent == recipient:
                continue
            if first and _told_again(sentence, agent, recipient, out[:opened], host_names):
                break  # "The collection … was handed over to the library by …": the gift a sentence before told
            if first and _same_things_again(m.group("items"), agent, recipient, out[:opened], host_names, m.group(0)):
                break  # "… X handed over the books to the director": the books the sentence before told of
            # what the receiver's words list ("to the director of the library, X, a set of …") is no gift's list
            recv_end = m.end("recv") if "recv" in m.groupdict() and m.group("recv") else -1
            context_from = recv_end if 0 <= recv_end <= m.start("items") else 0
            things = _items(m.group("items"), sentence[context_from : m.start("items")])
            for item in [*things, *([more.group("more").strip(" ,")] if more is not None else [])]:
                if _NO_THING.match(item):
                    continue  # "left their impressions in the guest book and a souvenir …": the souvenir only
                name, desc, kind = _describe(item)
                out.append(GiftMention(agent, recipient, desc, name, kind, m.group(0).strip()))
            break  # one rule per sentence: "presented with … donated to …" is one gift
    return [_unmasked(g) for g in out]


#: Who acts, not what is given: the subject of an active "X handed over to the library … by Z".
_AGENT_NOUN = re.compile(
    r"\b(?:ambassadors?|guests?|visitors?|delegation|directors?|professors?|rectors?|consuls?|ministers?|heads?|"
    r"chairm[ae]n|presidents?|he|she|they|attach[eé]s?|secretar(?:y|ies)|scholars?|writers?|authors?)$",
    re.I,
)


#: A time adjunct that opens a sentence: "At the end of the meeting(,) X presented …", "Finally, …".
_WHEN_FIRST = re.compile(
    r"^(?:(?:At|Towards?)\s+the\s+(?:end|close|conclusion)\s+of\s+(?:the|this|their|his|her)\s+(?:[a-z]+\s+)?"
    r"(?:meeting|visit|event|talks|conversation|ceremony|tour|reception|programme|program|day)"
    r"|(?:After|Following)\s+the\s+(?:meeting|visit|talks|conversation|tour|presentation)"
    r"|In\s+conclusion|Finally|Afterwards|Then|Later|At\s+the\s+end)(?:,\s*|\s+(?=[A-Z]|(?:the|they|he|she)\s))"
)


#: Words one leaves or conveys that are no thing handed over.
_NO_THING = re.compile(
    r"(?:(?:his|her|their|its|the\s+guests?['’]s?)\s+)?(?:impressions|wishes|thanks|gratitude|greetings|regards|"
    r"best\s+wishes|kind\s+words)\b",
    re.I,
)


#: The end of a phrase whose "by" names who made a thing, not who gave it.
_MADE_BY = re.compile(
    r"\b(?:published|written|edited|prepared|compiled|issued|printed|translated|authored|made|produced)"
    r"(?:\s+(?:in|at)\s+[^,;]{1,60})?\s*$"
)


_RELATIVE_BEFORE_PASSIVE = re.compile(
    r",\s+(?:which|that)\s[^,;]{1,200},\s+(?=(?:was|were)\s+(?:presented|donated|handed\s+over|given|gifted)\b)"
)


#: A title in quotes, and what stands for a full stop inside one while the rules read a sentence (decision 0064).
_QUOTED = re.compile(r'"[^"]{1,120}"|“[^”]{1,120}”')
_STOP = "\u2024"


def _unmasked(g: GiftMention) -> GiftMention:
    """Put a title's full stops back ("the album "Nizami Ganjavi. Miniatures"")."""
    if _STOP not in g.description + (g.name or "") + g.phrase:
        return g
    name = g.name.replace(_STOP, ".") if g.name is not None else None
    return replace(g, description=g.description.replace(_STOP, "."), name=name, phrase=g.phrase.replace(_STOP, "."))


_AGREED = (
    # "An agreement was reached to sign a memorandum …": agreed, not yet signed
    re.compile(
        r"\b(?:an\s+)?agreement\s+was\s+(?:also\s+)?reached\s+(?P<prep>to|on)\s+"
        r"(?P<what>.{1,200}?)(?=\s+next year\b|\s+in the future\b|,\s+and\b|[.;]|$)",
        re.I,
    ),
    re.compile(r"came to an agreement on\s+(?P<what>.{1,200}?)(?=\s+and\s+signed\b|\s+in the future\b|[.;]|$)", re.I),
    # "… came to an agreement to sign a cooperation protocol on …": agreed, not yet signed
    re.compile(r"came\s+to\s+an\s+agreement\s+(?P<prep>to)\s+(?P<what>.{1,200}?)(?=\s+in the future\b|[.;]|$)", re.I),
    re.compile(
        r"(?:reached|concluded) an agreement on\s+(?P<what>.{1,200}?)(?=\s+and\b|\s+in the future\b|[.;]|$)", re.I
    ),
    # "The sides reached an understanding to prepare a joint exhibition …"
    re.compile(
        r"\breached\s+(?:an?\s+)?(?:understanding|agreement|accord)\s+(?P<prep>to|on|that)\s+(?P<what>.{1,200}?)"
        r"(?=\s+in the future\b|[.;]|$)",
        re.I,
    ),
    # "The sides decided that a memorandum of cooperation will be signed in Astana next spring": one to be made
    re.compile(
        r"\bdecided\s+that\s+(?P<what>(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:memorand(?:um|a)|agreements?|"
        r"protocols?|contracts?)\b[^.;]{0,120}?)\s+(?:will|would|is\s+to|are\s+to|should)\s+be\s+(?:signed|concluded)\b",
        re.I,
    ),
    re.compile(r"\bit was (?:also\s+)?decided\s+(?P<prep>to)\s+(?P<what>.{1,200}?)(?=\s+in the future\b|[.;]|$)", re.I),
    re.compile(
        r"(?:it was|they|the (?:sides|parties)|both (?:sides|parties))\s+(?:also\s+)?agreed\s+"
        r"(?P<prep>to|on|upon|that)\s+(?P<what>.{1,200}?)(?=\s+in the future\b|[.;]|$)",
        re.I,
    ),
    re.compile(
        r"\b(?:the (?:sides|parties|guests?|staff|delegation|libraries|participants)|both (?:sides|parties)|"
        # "the two libraries", "both directors": both sides (decision 0061); "the three libraries": all (0064)
        r"(?:the\s+(?:two|three|four|five)|both|all)\s+[a-z][\w-]*s)\b"
        r"[^.;]{0,200}?\b(?:and\s+)?agreed\s+(?P<prep>to|on|upon)\s+"
        r"(?P<what>.{1,200}?)(?=\s+in the future\b|[.;]|$)",
        re.I,
    ),
    # "… signed an agreement and agreed to prepare a protocol": the second predicate, its subject before "and"
    re.compile(
        r"^(?:also\s+)?(?:agreed|decided)\s+(?P<prep>to|on|upon)\s+(?P<what>.{1,200}?)(?=\s+in the future\b|[.;]|$)",
        re.I,
    ),
    # "… and the Presidential Library and the Library for Foreign Literature agreed to prepare a joint programme": two
    # bodies named as the subject
    re.compile(
        r"\b(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,6}\s+and\s+the\s+[A-Z][^.;,]{2,120}?\s+agreed\s+"
        r"(?P<prep>to|on|upon)\s+(?P<what>.{1,200}?)(?=\s+in the future\b|[.;]|$)"
    ),
    # "…, while the Cyprus Library agreed to sign a similar document later in the year": whoever agrees, to make a
    # document
    re.compile(
        r"\bagreed\s+(?P<prep>to)\s+(?P<what>(?:sign|prepare|conclude|draft)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?"
        r"(?:memorand(?:um|a)|agreements?|protocols?|contracts?|documents?)\b[^.;]{0,200}?)"
        r"(?=\s+in the future\b|\s+later\b|[.;]|$)",
        re.I,
    ),
    # "The sides plan to sign a memorandum …", "they decided to prepare its text": the parties' own intent to
    # make a document (read only when the sentence names one: _INTENT)
    re.compile(
        r"\b(?:the (?:sides|parties|guests?|libraries|participants)|both (?:sides|parties)|they|we)\b"
        r"[^.;]{0,200}?\b(?:decided|plans?|planned|intends?|intended)\s+(?P<prep>to)\s+"
        r"(?P<what>.{1,200}?)(?=\s+in the future\b|\s+next year\b|\s+later\b|[.;]|$)",
        re.I,
    ),
)
_INTENT = _AGREED[-1]
_DOC = (
    r"(?P<doc>memorand(?:um|a)(?:\s+of\s+(?:understanding|cooperation))?|agreements?|protocols?|contracts?|"
    r"treaty|treaties|accords?|declarations?)"
)
#: Verbs that say a document was made: signed, initialled (a signature of its text), concluded.
_SIGN_VERB = r"(?:signed|initial+ed|concluded)"
_SIGNED = re.compile(
    r"\b"
    + _SIGN_VERB
    + r"\s+(?:a|an|the)\s+(?P<mods>(?:(?!memorandum\b|agreement\b)[\w-]+\s+){0,3}?)"
    + _DOC
    # "… for 2027–2029", "… with the university": what the document is for is part of its name; where and when
    # it was signed ("… in Baku", "… during the visit") is not
    # "… an additional agreement extending the library's access to …": a participle says what it does
    + r"(?P<on>\s+(?:on|of|between|for|with|regarding|concerning|(?!during\b|following\b)[a-z]{3,}ing)\s+[^.;]{1,200}?)?"
    r"(?=,?\s+and\b|\s+(?:in|at|during|following|after|within|today|yesterday)\b|\s+to\s+th(?:at|is)\s+effect\b|"
    r"[.;,]|$)",
    re.I,
)
#: "A memorandum of cooperation … was signed" (not "is to be signed", "will be signed").
_SIGNED_PASSIVE = re.compile(
    r"\b(?:(?:a|an|the|two|both)\s+)?(?P<mods>(?:(?!memorandum\b|agreement\b|an?\b|the\b)[\w-]+\s+){0,3}?)"
    + _DOC
    + r"(?P<on>\s+(?:on|of|between|for|giving|granting|providing|allowing)\s+[^.;]{1,200}?)?"
    r"\s+(?:was|were|has\s+been|have\s+been)\s+" + _SIGN_VERB + r"\b",
    re.I,
)


#: Both sides as the subject of "signed": what they signed is a document between them, whatever its noun ("the heads
#: of the two libraries signed a plan of joint events"); a guest alone signs a guest book, so the subject decides.
_SIGNED_BY_BOTH = re.compile(
    r"\b(?:(?:the|both)\s+(?:sides|parties)|(?:the\s+)?(?:heads|directors|leaders|representatives|rectors)\s+of\s+"
    r"(?:the\s+)?(?:two|three|four|five|both|all)\s+[\w-]+|the\s+(?:two|three|four|five)\s+"
    r"(?:sides|directors|heads|libraries|institutions))"
    r"\s+(?:also\s+|then\s+)?signed\s+(?:a|an|the)\s+(?P<mods>(?:[\w-]+\s+){0,3}?)(?P<doc>[a-z][\w-]*)"
    r"(?P<on>\s+(?:on|of|for|between)\s+[^.;]{1,200}?)?(?=,?\s+and\b|[.;,]|$)",
    re.I,
)


#: "The signing ceremony of the memorandum … took place" (a signature that happened).
_SIGNING_HELD = re.compile(
    r"\bsigning\s+(?:ceremony\s+)?of\s+(?:a|an|the)\s+(?P<mods>(?:(?!memorandum\b|agreement\b)[\w-]+\s+){0,3}?)"
    + _DOC
    + r"(?P<on>\s+(?:on|of|between)\s+[^.;]{1,200}?)?\s+(?:took\s+place|was\s+held)\b",
    re.I,
)
#: "The meeting ended with the signing of a memorandum …": what the meeting ended in (the groups as above).
_SIGNING_ENDED = re.compile(
    r"\b(?:ended|concluded|culminated|closed|finished|was\s+crowned)\s+(?:with|in|by)\s+the\s+signing\s+"
    r"(?:ceremony\s+)?of\s+(?:a|an|the)\s+(?P<mods>(?:(?!memorandum\b|agreement\b)[\w-]+\s+){0,3}?)"
    + _DOC
    + r"(?P<on>\s+(?:on|of|between)\s+[^.;]{1,200}?)?(?=\s*[.;]|$)",
    re.I,
)


#: A document itself under discussion (decision 0089): its draft ("discussed the draft of a memorandum on …", "views were
#: exchanged on a draft agreement …"), a possible one ("exchanged views on a possible cooperation agreement") or the
#: document named ("a memorandum of understanding between … was discussed"). It is an unsigned agreement. The
#: possibility of doing something ("discussed the possibility of signing a memorandum"), its preparation or signing,
#: or what an existing one says ("the implementation of the memorandum") is no document under discussion.
_DISCUSS_VERB = (
    r"(?:discussed|considered|examined|reviewed|debated|exchanged\s+(?:their\s+)?views\s+on|"
    r"(?:views|opinions)\s+(?:were|was)\s+(?:also\s+)?exchanged\s+on)"
)
_DRAFTED_DOC = (
    r"(?P<draft>(?:the\s+|a\s+)?(?:draft|text)\s+(?:of\s+)?|possible\s+|new\s+)?"
    # the words before the document are its own modifiers ("cooperation", "new"), never a phrase with a preposition
    # ("issues of mutual agreement", "ways of concluding agreements": a topic, no document; review of session 23)
    r"(?:(?:a|an|the)\s+)?(?P<mods>(?:(?!memorandum\b|agreement\b|an?\b|the\b|existing\b|current\b|earlier\b|"
    r"previous\b|old\b|signed\b|implementation\b|possibility\b|prospects?\b|terms\b|conditions\b|signing\b|"
    r"preparation\b|conclusion\b|concluding\b|future\b|mutual\b|international\b|such\b|these\b|those\b|all\b|"
    r"of\b|to\b|for\b|in\b|on\b|with\b|about\b|and\b|or\b|[a-z]+ing\b)[a-z][\w-]*\s+){0,2}?)"
    + _DOC
    # its subject, up to what says it exists already ("… signed in 2031", "… which expires next year")
    + r"(?P<on>\s+(?:on|of|between|for|regarding|concerning|about|with|in\s+the\s+(?:field|area|sphere)s?\s+of)"
    r"\s+(?:(?!(?:signed|concluded|initial+ed|expires?|expired|valid)\b)[^.;]){1,200}?)?"
)
_DISCUSSED_DOC = re.compile(
    r"\b"
    + _DISCUSS_VERB
    + r"\s+(?:(?:a|an|the)\s+)?"
    + _DRAFTED_DOC
    + r"(?=,|\s+(?:but|while|which|that|during|in\s+the\s+future|(?:at|in)\s+the\s+(?:meeting|end|course)|"
    r"and\s+(?:agreed|decided|signed|noted|stressed|it|the\s+sides|the\s+parties|they|also|expressed|"
    r"the\s+(?:possibility|prospects?|question|issue|terms))|signed|concluded|initial+ed)\b|[.;]|$)",
    re.I,
)
_DISCUSSED_DOC_PASSIVE = re.compile(
    # "During the meeting the draft of the agreement … was discussed": after an opening adverbial too
    r"(?:^|[.;:,]\s+|\b(?:and|also|meeting|visit|talks|conversation)\s+)(?:(?:a|an|the)\s+)?"
    + _DRAFTED_DOC
    + r"\s+(?:was|were|has\s+been|have\s+been)\s+(?:also\s+|widely\s+|then\s+)?"
    r"(?:discussed|considered|examined|reviewed|debated)\b",
    re.I,
)
#: A document to be signed: "a memorandum of cooperation would be signed during the next visit".
_TO_BE_SIGNED = re.compile(
    r"\b(?:a|an|the)\s+(?P<mods>(?:(?!memorandum\b|agreement\b|an?\b|the\b)[a-z][\w-]*\s+){0,2}?)"
    + _DOC
    + r"(?P<on>\s+(?:on|of|between|for)\s+[^.;]{1,120}?)?\s+(?:will|would|is\s+to|are\s+to|shall)\s+be\s+signed\b",
    re.I,
)
#: What the rest of a discussed document's clause may say of it that makes it an existing one.
_EXISTS_ALREADY = re.compile(
    # (not one "expected to be signed", "which will be signed": a document to be made)
    r"^(?:,?\s+(?:which|that)\b(?![^,]{0,80}?\b(?:will|to\s+be|expected|planned|shall|would)\b)[^,]{0,80}?"
    r"\b(?:signed|concluded|initial+ed|expires?|expired|runs|is\s+valid)\b)"
    r"|^\s*(?:signed|concluded|initial+ed)\b"
)
#: What keeps a discussed document from being this visit's: one that exists already or was signed before.
_DOC_OF_BEFORE = re.compile(
    r"\s*,?\s*(?:(?:which|that)\s+(?:was|were|had\s+been|has\s+been)\s+)?"
    r"(?:(?:already|earlier|previously)\s+)?(?:signed|concluded|initial+ed|in\s+force|of\s+(?:19|20)\d\d)\b",
    re.I,
)


def _discussed_document(sentence: str) -> AgreementMention | None:
    """Return a document whose draft, or itself, the sentence says was discussed, unsigned; else None.

    >>> _discussed_document("The sides discussed the draft of a cooperation agreement between the two libraries.")
    AgreementMention(name='Draft cooperation agreement between the two libraries', signed=False, phrase='discussed the draft of a cooperation agreement between the two libraries')
    >>> _discussed_document("The sides discussed the possibility of signing a memorandum of cooperation.") is None
    True
    """
    low = sentence.casefold()
    if not any(w in low for w in ("discuss", "view", "consider", "examined", "reviewed", "debated")):
        return None
    m = _DISCUSSED_DOC.search(sentence) or _DISCUSSED_DOC_PASSIVE.search(sentence)
    if m is None:
        return None
    clause = re.split(r"[.;]", sentence[m.end() :], maxsplit=1)[0]
    if _EXISTS_ALREADY.search(clause):
        return None  # "the memorandum … that the libraries signed last year", "…, which expires next year"
    on = (m.group("on") or "").rstrip()
    if _DOC_OF_BEFORE.match(sentence, m.end()) or _RECALLED.search(sentence) or re.match(r"\s+of\s+(?:19|20)\d\d", on):
        return None  # "discussed the memorandum signed in 2031": a document of another time
    doc = (m.group("mods") + m.group("doc")).strip()
    draft = (m.group("draft") or "").strip().casefold()
    lead = (
        "Draft " if draft.startswith(("draft", "the draft", "a draft")) else "Possible " if draft == "possible" else ""
    )
    name = (lead + doc.casefold() if lead else _document_name(m)) + on
    return AgreementMention(name, False, m.group(0).strip(" ,.;"))


def _discussed_next(sentence: str) -> AgreementMention | None:
    """Return the document a second predicate discusses after one about an earlier document: "The sides recalled the
    memorandum signed in 2056 and discussed the draft of a memorandum on …" (the recalled one is none)."""
    rest = re.split(
        r"\s+and\s+(?=(?:also\s+)?(?:discussed|considered|examined|reviewed|exchanged)\b)", sentence, maxsplit=1
    )
    if len(rest) != 2 or re.match(r"(?:also\s+)?\w+\s+(?:its|their)\b", rest[1]):
        return None  # "… recalled the memorandum and discussed its draft protocol": the recalled one's
    return _discussed_document(rest[1])


def _agreed_next(rest: str) -> str | None:
    """Return the second predicate of a sentence that recalled an earlier agreement, when it agrees or signs anew
    ("… recalled the agreement reached in 2014 | and came to an agreement on …"), else None.

    >>> _agreed_next(" in 2014 and came to an agreement on holding joint exhibitions.")
    'came to an agreement on holding joint exhibitions.'
    >>> _agreed_next(" in 2014 and had agreed to hold exhibitions.") is None
    True
    """
    # "recalled that X had signed … and agreed …" goes on with what is recalled; ", and the sides came to …" does not
    that = re.match(r"\s*that\b", rest) is not None
    for m in re.finditer(
        r"(?P<comma>,)?\s+and\s+(?P<subject>(?:the\s+sides|the\s+parties|both\s+sides|they)\s+)?"
        r"(?:(?:also|then)\s+)?(?=(?:came\s+to|reached|agreed|decided|signed)\b)",
        rest,
    ):
        if that and not (m.group("comma") and m.group("subject")):
            continue
        return None if _RECALLED.search(rest[m.end() :]) else rest[m.end() :]
    return None


def _planned_document(sentence: str) -> AgreementMention | None:
    """Return a document the sentence says is to be signed, unsigned; else None (decision 0089).

    >>> _planned_document("It was noted that a memorandum of cooperation would be signed during the next visit.")
    AgreementMention(name='Memorandum of cooperation', signed=False, phrase='a memorandum of cooperation would be signed')
    """
    planned = _TO_BE_SIGNED.search(sentence) if "be signed" in sentence.casefold() else None
    if planned is None or _RECALLED.search(sentence) or re.search(r"\bnot\b|\bno\b", sentence):
        return None
    return AgreementMention(_document_name(planned) + (planned.group("on") or "").rstrip(), False, planned.group(0))


def _document_name(m: re.Match[str]) -> str:
    """A document's name from its modifiers and noun, capitalised once ("Cooperation agreement")."""
    doc = (m.group("mods") + m.group("doc")).strip()
    return doc[:1].upper() + doc[1:].casefold()


def find_agreements(text: str) -> list[AgreementMention]:
    """Find agreements; one per sentence, signed when the sentence says a document was signed.

    >>> find_agreements("Both sides came to an agreement on cooperation of the libraries in the future "
    ...                 "and signed a memorandum of understanding.")[0].name
    'Memorandum of understanding on cooperation of the libraries'
    """
    out = []
    for sentence in (c for s in sentences(_SIGNATURES.sub("signed", text)) for c in _agreement_clauses(s)):
        low = sentence.casefold()
        cue = any(w in low for w in ("agree", "decided", "plan", "intend", "understanding", "reached"))
        found = ((p, p.search(sentence)) for p in _AGREED) if cue else iter(())
        agreed = next(
            (m for p, m in found if m and (p is not _INTENT or re.search(_DOC, sentence, re.I))),
            None,
        )
        made = re.search(_SIGN_VERB, low) is not None
        signed = (_SIGNED.search(sentence) or _SIGNED_PASSIVE.search(sentence)) if made else None
        if signed is None and "signing" in low:  # the first of the two ways a signing is told
            told = [m for m in (_SIGNING_HELD.search(sentence), _SIGNING_ENDED.search(sentence)) if m is not None]
            signed = min(told, key=lambda m: m.start()) if told else None
        if signed is None and made:  # "the heads of the two libraries signed a plan of …": both sides sign a document
            signed = _SIGNED_BY_BOTH.search(sentence)
        if agreed is not None and _ONLY_TALKS.match(agreed.group("what")):
            agreed = None  # "decided to continue negotiations on a licence agreement": nothing agreed yet
        if agreed is None and signed is None:
            unsigned = _discussed_document(sentence) or _planned_document(sentence) or _discussed_next(sentence)
            if unsigned is not None:
                out.append(unsigned)
            continue
        found_at = (signed or agreed).start()  # type: ignore[union-attr]
        bounds = [b.end() for b in re.finditer(r",\s+(?:and|but|while|whereas)\s+|;\s+", sentence[:found_at])]
        # "The sides recalled the agreement reached in 2014 and came to an agreement on …": a second predicate of
        # the sides' own (not "recalled that they had signed … and agreed …", where the clause recalled goes on)
        bounds += [
            b.end()
            for b in re.finditer(r"\s+and\s+(?=(?:also\s+|then\s+)?(?:came\s+to|reached|agreed|decided)\b)", sentence)
            if b.end() == found_at
            and not re.search(r"\b(?:recalled|reminded|remembered)\s+that\b", sentence[:found_at])
        ]
        bounds.sort()
        found_end = (signed or agreed).end()  # type: ignore[union-attr]
        if (recall := _RECALLED.search(sentence[:found_end], bounds[-1] if bounds else 0)) is not None:
            # "… recalled that the two libraries had signed a memorandum during his first visit": not this visit's;
            # what the sentence goes on to discuss is ("… recalled the memorandum signed in 2056 and discussed the
            # draft of a memorandum on …")
            if (later := _discussed_next(sentence[found_end:])) is not None:
                out.append(later)
            elif (rest := _agreed_next(sentence[recall.end() :])) is not None:
                out.extend(find_agreements(rest))  # "… recalled the agreement reached in 2014 and came to an
                # agreement on holding joint exhibitions": the second predicate is this visit's
            continue
        what = agreed.group("what").strip(" ,") if agreed else ""
        prep = (agreed.groupdict().get("prep") or "on").casefold() if agreed else "on"
        if signed is not None:
            doc = _document_name(signed)
            on = signed.group("on")
            name = doc + (on.rstrip() if on else (f" {prep} {what}" if what else ""))
        else:
            name = f"Agreement {prep} {what}"
        out.append(AgreementMention(name, signed is not None, (signed or agreed).group(0)))  # type: ignore[union-attr]
        second = _AND_DOC.match(sentence, signed.end()) if signed is not None else None
        if second is not None:  # "signed an agreement on X and a protocol on Y": two documents
            name = _document_name(second) + (second.group("on") or "").rstrip()
            out.append(AgreementMention(name, True, second.group(0).strip()))
    return out


#: Signing told with the noun: "both sides put their signatures to a memorandum", "affixed their signatures under".
_SIGNATURES = re.compile(r"\b(?:put|affixed|placed|set)\s+(?:their|his|her|its)\s+signatures?\s+(?:to|under|on)\b")


#: A document of another time: told in the past perfect, recalled, or made at an earlier visit.
_RECALLED = re.compile(
    r"\bhad\s+(?:already\s+|earlier\s+|previously\s+)?(?:been\s+)?(?:signed|agreed|concluded|initial+ed)\b"
    r"|\b(?:recalled|reminded|remembered)\b|\b(?:first|previous|earlier|last)\s+visit\b"
    # "X visited the library in 2013, when a memorandum … was signed": a signing of that year
    r"|\b(?:in|since)\s+(?:19|20)\d\d,?\s+when\b",
    re.I,
)


#: What only keeps talking: an intent to go on negotiating or to look into something is no agreement.
_ONLY_TALKS = re.compile(
    r"(?:continue|keep|resume|carry\s+on(?:\s+with)?|go\s+on\s+with|hold)\s+(?:the\s+|their\s+)?(?:[\w-]+\s+)?"
    r"(?:negotiations?|talks|discussions?|consultations?)\b|(?:consider|study|examine|explore|discuss|look\s+into)\b"
    r"|(?:continue|keep)\s+(?:work|working)\s+on\b",  # "decided to continue work on the text"
    re.I,
)


#: The second document of one signature: "… and a protocol on the exchange of publications".
_AND_DOC = re.compile(
    r",?\s+and\s+(?:a|an|the)\s+(?P<mods>(?:(?!memorandum\b|agreement\b)[\w-]+\s+){0,3}?)"
    + _DOC
    + r"(?P<on>\s+(?:on|of|between)\s+[^.;]{1,200}?)?(?=[.;,]|$)",
    re.I,
)


_AGREEMENT_CLAUSE = re.compile(
    r",\s+(?:and|while|but|whereas)\s+|;\s+"
    r"|\s+and\s+(?=(?:also\s+)?(?:signed|agreed|decided|planned|intended|initial+ed|concluded)\b)"  # a 2nd predicate
)
_AGREEMENT_CUE = re.compile(r"\b(?:signed|agreed|decided|plans?|planned|intends?|intended)\b", re.I)


def _agreement_clauses(sentence: str) -> list[str]:
    """Split "A memorandum … was signed, and the sides agreed to sign an agreement …" into its two documents.

    The sentence is split only when two of its clauses each name a document and say what became of it.

    >>> _agreement_clauses("The sides agreed on cooperation, and signed a memorandum.")
    ['The sides agreed on cooperation, and signed a memorandum.']
    """
    parts = _AGREEMENT_CLAUSE.split(sentence)
    # "a similar document" stands for the document of the other clause
    full = [
        p
        for p in parts
        if re.search(_DOC + r"|\bsimilar\s+documents?\b|\bagreed\s+to\s+(?:prepare|draft|hold|organi[sz]e)\b", p, re.I)
        and _AGREEMENT_CUE.search(p)
    ]
    if len(parts) == 2 and _SIGNED_ON.search(parts[0]) and re.match(r"(?:also\s+)?(?:agreed|decided)\s+to\b", parts[1]):
        return parts  # "signed a memorandum on X and agreed to hold Y": the document has its subject, Y is another
    return parts if len(parts) > 1 and len(full) >= 2 else [sentence]


#: A document signed with its own subject ("signed a memorandum on cooperation in …"; decision 0066).
_SIGNED_ON = re.compile(
    r"\b" + _SIGN_VERB + r"\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?" + _DOC + r"\s+(?:on|of)\s+\w", re.I
)


_STEM = re.compile(r"(?:ies|es|s|ing|ion|ions|al|ic|y)$")


def _stem(word: str) -> str:
    word = word.casefold()
    if word in ("libraries", "library"):
        return "librar"
    return _STEM.sub("", word) if len(word) > 4 else word


_TOPIC_STOP = frozenset("of the in and for a an on to with between about its their".split())


def match_topics(text: str, topics: Iterable[tuple[str, str]], window: int = 3) -> list[str]:
    """Return the ids of topics whose label words all occur within a few words of each other.

    Words of the host's own name ("Presidential Library") do not count.

    >>> match_topics("they spoke about automation of the library processes", [("t1", "Library automation")])
    ['t1']
    """
    clean = re.sub(r"\b(?:the\s+)?Presidential Library\b", " ", text)
    words = [_stem(w) for w in re.findall(r"[\w-]+", clean) if w.casefold() not in _TOPIC_STOP]
    out = []
    for tid, label in topics:
        wanted = [_stem(w) for w in re.findall(r"[\w-]+", label) if w.casefold() not in _TOPIC_STOP]
        if not wanted:
            continue
        span = len(wanted) + window
        for i in range(len(words)):
            if set(wanted) <= set(words[i : i + span]) and words[i] in wanted:
                out.append(tid)
                break
    return out
