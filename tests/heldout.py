"""Score the matcher and the drafter on the held-out sets of tests/data/eval/ (issue 16).

Correctness is judged here independently of the code under test: a known entity by
its id, a new one by its name compared after a plain normalisation written below (not
the product's ``name_score`` or ``fold``).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from visitgraph.authoring.draft import Draft, DraftContext, NewsItem, draft_item, plan_items
from visitgraph.core.errors import BadParameter
from visitgraph.linking.match import Matcher

EVAL = Path(__file__).parent / "data" / "eval"


def plain(name: str) -> str:
    """Lower-case ASCII letters and digits, single spaces (the evaluation's own comparison)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


# --- reconciliation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    split: str
    text: str
    type: str | None
    expected: str | None
    note: str


def reconcile_queries(split: str) -> list[Query]:
    lines = [x for x in (EVAL / "reconcile.tsv").read_text(encoding="utf-8").splitlines() if not x.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        Query(r["split"], r["query"], r["type"] or None, None if r["expected"] == "none" else r["expected"], r["note"])
        for r in rows
        if r["split"] == split
    ]


@dataclass
class ReconcileScore:
    rows: int = 0
    exists: int = 0
    top1: int = 0
    flagged: int = 0
    flagged_right: int = 0
    false_flags_on_absent: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision_at_1(self) -> float:
        return self.top1 / self.exists if self.exists else 1.0

    @property
    def flag_precision(self) -> float:
        return self.flagged_right / self.flagged if self.flagged else 1.0

    @property
    def flag_recall(self) -> float:
        return self.flagged_right / self.exists if self.exists else 1.0

    def line(self, split: str) -> str:
        return (
            f"reconciliation {split} half: {self.rows} queries ({self.exists} names that exist); "
            f"precision@1 {self.precision_at_1:.3f} ({self.top1}/{self.exists}); match flag precision "
            f"{self.flag_precision:.3f} ({self.flagged_right}/{self.flagged}), recall {self.flag_recall:.3f} "
            f"({self.flagged_right}/{self.exists}); flags on names that do not exist: "
            f"{self.false_flags_on_absent}"
        )


def score_reconcile(matcher: Matcher, split: str) -> ReconcileScore:
    s = ReconcileScore()
    for q in reconcile_queries(split):
        found = matcher.reconcile(q.text, q.type, limit=3)
        top = found[0] if found else None
        s.rows += 1
        flagged = top is not None and top.match
        s.flagged += flagged
        if q.expected is None:
            s.false_flags_on_absent += flagged
            if flagged:
                s.misses.append(f"{q.text!r}: flagged {top.id if top else None} (expected none)")
            continue
        s.exists += 1
        s.top1 += top is not None and top.id == q.expected
        s.flagged_right += flagged and top is not None and top.id == q.expected
        if top is None or top.id != q.expected or not flagged:
            s.misses.append(f"{q.text!r}: want {q.expected}, got {[(c.id, c.score, c.match) for c in found[:2]]}")
    return s


# --- drafting -------------------------------------------------------------------------------------


NEWS_FILES = {
    "dev": "news.json",
    "dev8": "news.json",
    "dev9": "news-dev9.json",
    "dev10": "news-dev10.json",
    "dev11": "news-dev11.json",
    "dev12": "news-dev12.json",
    "dev13": "news-dev13.json",
    "dev14": "news-dev14.json",
    "dev15": "news-dev15.json",
    "dev16": "news-dev16.json",
    "dev17": "news-dev17.json",
    "dev18": "news-dev18.json",
    "dev19": "news-dev19.json",
    "dev20": "news-dev20.json",
    "dev21": "news-dev21.json",
    "dev22": "news-dev22.json",
    "dev23": "news-dev23.json",
    "dev24": "news-dev24.json",
    "dev25": "news-dev25.json",
    "dev26": "news-dev26.json",
    "dev27": "news-dev27.json",
    "dev28": "news-dev28.json",
    "dev29": "news-dev29.json",
    "dev30": "news-dev30.json",
    "dev31": "news-dev31.json",
    "dev32": "news-dev32.json",
    "dev33": "news-dev33.json",
    "dev34": "news-dev34.json",
    "dev35": "news-dev35.json",
    "dev36": "news-dev36.json",
    "dev37": "news-dev37.json",
    "dev38": "news-dev38.json",
    "dev39": "news-dev39.json",
    "dev40": "news-dev40.json",
    "dev41": "news-dev41.json",
    "dev42": "news-dev42.json",
    "dev43": "news-dev43.json",
    "dev44": "news-dev44.json",
    "dev45": "news-dev45.json",
    "dev46": "news-dev46.json",
    "dev47": "news-dev47.json",
    "dev48": "news-dev48.json",
    "dev49": "news-dev49.json",
    "dev50": "news-dev50.json",
    "dev51": "news-dev51.json",
    "dev52": "news-dev52.json",
    "dev53": "news-dev53.json",
    "dev54": "news-dev54.json",
    "dev55": "news-dev55.json",
    "dev56": "news-dev56.json",
    "dev57": "news-dev57.json",
    "dev58": "news-dev58.json",
    "dev59": "news-dev59.json",
    "dev60": "news-dev60.json",
    "dev61": "news-dev61.json",
    "dev62": "news-dev62.json",
    "dev63": "news-dev63.json",
    "dev64": "news-dev64.json",
    "dev65": "news-dev65.json",
    "dev66": "news-dev66.json",
    "dev67": "news-dev67.json",
    "dev68": "news-dev68.json",
    "dev69": "news-dev69.json",
    "dev70": "news-dev70.json",
    "dev71": "news-dev71.json",
    "dev72": "news-dev72.json",
    "dev73": "news-dev73.json",
    "dev74": "news-dev74.json",
    "dev75": "news-dev75.json",
    "dev76": "news-dev76.json",
    "dev77": "news-dev77.json",
    "dev78": "news-dev78.json",
    "dev79": "news-dev79.json",
    "dev2": "news-dev2.json",
    "dev3": "news-dev3.json",
    "dev4": "news-dev4.json",
    "dev5": "news-dev5.json",
    "dev6": "news-dev6.json",
    "dev7": "news-dev7.json",
    "test2": "news-test2.json",
}
"""Where each half of the drafting evaluation lives (``dev2`` to ``dev7`` were written after decision 0023,
``dev4`` to ``dev7`` with decision 0041). ``dev8`` was the held-out ``test`` half until 5 Dec 2026; the held-out
half since then is ``test2``, written that day before any tuning on it (decision 0044). ``dev9`` to ``dev12`` are
development sets written blind to the drafting rules (``dev11`` and ``dev12`` on 6 Dec 2026, ``dev12`` by another
hand; in some of their items only an institution visits, so their ``visitors`` are empty and the institution is in
``orgs``). ``dev13`` was written on 6 Dec 2026 blind to the drafting rules and to every other set, as a
representative check scored once after drafting round 11 and not tuned on during it. ``dev14`` was written on
6 Dec 2026 by another hand, blind to the drafting rules and to every other set, half ordinary items and half the
harder phenomena of issue 16, as a check set never tuned on; it is a development set since drafting round 14
(decision 0055), first scored there at 22/30. ``dev15`` was written on 6 Dec 2026 (session 11) by another
hand, blind to the drafting rules and to every other set, about 12 ordinary items and the rest the harder phenomena
of issue 16 (several delegations, institutions named after the name or in a later sentence, known institutions under
an official long form or a short form), as a check set never tuned on; it is a development set since drafting
round 15 (decision 0059), first scored there at 22/30. ``dev16`` was written on 6 Dec 2026 (session 11, late) by
another hand, blind to the drafting rules and to every other set, about half ordinary items and half the harder
phenomena of issue 16, as a check set never tuned on; it is a development set since drafting round 16 (decision
0061), first scored there at 22/30. ``dev17`` was written on 6 Dec 2026 (session 12) by another
hand, blind to the drafting rules and to every other set, 11 ordinary items and 19 with the harder phenomena of issue
16 (spelling variants and initials of returning visitors, items without a year, two-way gifts, memoranda signed vs
agreed vs only discussed, abbreviations, known institutions under another official form, several delegations), as a
check set never tuned on; it is a development set since drafting round 17 (decision 0064), first scored at 18/30.
``dev18`` was written on 6 Dec 2026 (session 12) by another hand, blind to the drafting
rules and to every other set, 12 ordinary items and 18 with the harder phenomena of issue 16 (returning visitors
spelled as another language would and named later by initial, items without a year, two-way gifts, memoranda signed
vs agreed vs only discussed, abbreviations with expansions, known institutions under another official form, several
delegations, department words in job titles, host staff beside guests), as a check set never tuned on; it is a
development set since drafting round 18 (decision 0066), first scored at 16/30. ``dev19`` was written on 6 Dec
2026 (session 12) by another hand, blind to the drafting rules and to every other set, scored once before and once
after round 18; 12 ordinary items and 18 with the harder phenomena of issue 16 (returning visitors spelled as another language
would or first named by initial, items without a year, one across a year boundary, two-way gifts, memoranda signed
vs agreed vs only discussed, abbreviations with expansions, known institutions under another official form, several
delegations, writers and scholars with no institution, host staff beside guests), in the voices of a wire service,
a press office, a regional newspaper and an interview, as a check set never tuned on; it is a development set since
drafting round 19 (decision 0068), first scored at 19/30. ``dev20`` was written on 6 Dec 2026
(session 12) by another hand, blind to the drafting rules and to every other set, 12 ordinary items and 18 with the
harder phenomena of issue 16 (returning visitors spelled as another language would and named later by initial or
surname, items without a year, one across a year boundary, two-way gifts, memoranda signed vs agreed vs only
discussed, abbreviations with expansions, known institutions under another official or foreign-language form,
several delegations, department words in job titles, writers and scholars with no or only a former institution,
host staff beside guests), in several journalists' voices, as a check set never tuned on; it is a development set
since drafting round 20 (decision 0069), first scored at 17/30. ``dev21`` was written
on 6 Dec 2026 (session 12) by another hand, blind to the drafting rules and to every other set, 12 ordinary items
and 18 with the harder phenomena of issue 16, weighted towards reuse of known entities (17 items name a returning
visitor or known institution under another spelling, form, abbreviation or former affiliation; items without a
year, two-way gifts, memoranda signed vs agreed vs only discussed, several delegations, "under the leadership of",
writers and scholars with no institution, department words in job titles, host staff beside guests), as a check
set never tuned on; it is a development set since drafting round 21 (decision 0071), first scored at 21/30. ``dev22`` was written on 6 Dec 2026 (session 14) by another hand, blind to the drafting rules
and to every other set, 15 ordinary items and 15 with the harder phenomena of issue 16 (returning visitors spelled
as Russian, Belarusian, Czech, Azerbaijani or Turkish would, with initials, inverted order or academic titles, and
named later by initial or surname; known institutions under another official, national-language or Latin form or an
abbreviation; items without a year, two-way gifts, memoranda signed vs agreed vs only discussed or suggested,
several delegations, writers and scholars with no institution, department words in job titles, host staff beside
guests), in the voices of a news agency, a press office, a long narrative and a terse brief, as a check set never
tuned on; it is a development set since drafting round 22 (decision 0073), first scored at 19/30. ``dev23`` was written on 6 Dec 2026 (session 14) by another hand, blind to the drafting rules
and to every other set and never drafted or scored by its writer, 15 ordinary items and 15 with the harder phenomena
of issue 16 (returning visitors spelled as Russian, Belarusian, Czech, Arabic, Azerbaijani or Turkish would, with
initials, inverted order or honorifics, and named later by initial or surname; known institutions under an official,
short or Latin form or an abbreviation; items without a year, two-way gifts, memoranda signed vs agreed vs only
discussed or raised, several delegations, writers with no institution, department and magazine words in job titles,
host staff beside guests), written blind in session 14 as a check set; it is a development set since drafting round
23 (decision 0074), first scored at 19/30. ``dev24`` was written on 6 Dec 2026 (session 14) by another
hand, blind to the drafting rules and to every other set and never drafted or scored by its writer, 15 ordinary items
and 15 with the harder phenomena of issue 16 (returning visitors spelled as Russian, Belarusian, Czech, Greek, Arabic,
French or Turkish would, in inverted order with patronymics, with honorifics or academic titles, and named later by
initial or surname; known institutions under another official, national-language or Latin form or an abbreviation
with its expansion; items without a year, two-way gifts, memoranda signed vs agreed vs only raised, discussed or
recalled, several delegations, writers and scholars with no or only a former institution, department and museum
words in job titles, host staff beside guests), written blind in session 14, never tuned on."""


def news_items(split: str) -> list[dict[str, Any]]:
    """The items of one half, newest first, as written in its file."""
    if split not in NEWS_FILES:
        raise ValueError(f"no drafting half named {split!r}; known: {sorted(NEWS_FILES)}")
    data = json.loads((EVAL / NEWS_FILES[split]).read_text(encoding="utf-8"))
    return [i for i in data["items"] if i["split"] == split]


@dataclass
class DraftScore:
    items: int = 0
    right: int = 0
    invented: int = 0
    items_with_invented: int = 0
    known: int = 0
    reused: int = 0
    dates: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def share_right(self) -> float:
        return self.right / self.items if self.items else 1.0

    @property
    def reuse(self) -> float:
        return self.reused / self.known if self.known else 1.0

    def line(self, split: str) -> str:
        return (
            f"drafting {split} half: {self.items} items; entirely right {self.share_right:.3f} "
            f"({self.right}/{self.items}); dates {self.dates}/{self.items}; reuse of known entities "
            f"{self.reuse:.3f} ({self.reused}/{self.known}); invented entities {self.invented} "
            f"in {self.items_with_invented} items"
        )


def _plan(items: list[dict[str, Any]]) -> list[NewsItem | None]:
    text = "\n\n".join(i["text"] for i in items)
    try:
        return list(plan_items(text, name="eval"))
    except BadParameter:
        out: list[NewsItem | None] = []
        for n, i in enumerate(items):
            try:
                out.append(plan_items(i["text"], name="eval")[0])
            except BadParameter:
                out.append(None)
            del n
        return out


def _check(
    expected: list[dict[str, Any]], got: list[tuple[str, str, bool]], base: str, optional: list[dict[str, Any]] = ()
) -> tuple[bool, int, int, list[str]]:
    """Compare expected entities with (iri, name, new) found: (all right, known, reused, new names unexpected)."""
    left = list(got)
    ok, known, reused = True, 0, 0
    for want in expected:
        if "id" in want:
            known += 1
            hit = next((g for g in left if g[0] == base + want["id"] and not g[2]), None)
            reused += hit is not None
        else:
            names = {plain(n) for n in want["new"]}
            hit = next((g for g in left if g[2] and plain(g[1]) in names), None)
        if hit is None:
            ok = False
        else:
            left.remove(hit)
    for extra in optional:
        if "id" in extra:
            left = [g for g in left if not (g[0] == base + extra["id"] and not g[2])]
        else:
            names = {plain(n) for n in extra["new"]}
            left = [g for g in left if not (g[2] and plain(g[1]) in names)]
    if left:
        ok = False
    return ok, known, reused, [g[1] for g in left if g[2]]


def score_drafts(ctx_factory: Any, split: str) -> DraftScore:
    s = DraftScore()
    items = news_items(split)
    planned = _plan(items)
    ctx: DraftContext = ctx_factory()
    base = ctx.base
    host = ctx.host
    # a resource minted by an earlier item of the same input is still new to the graph (the drafter refers to it
    # as "new in an earlier draft of this input"): it counts as new here, not as a reuse of a known entity
    known_at_start = set(ctx.taken)
    for n, (want, item) in enumerate(zip(items, planned, strict=True), 1):
        s.items += 1
        draft: Draft | None = None
        if item is not None:
            try:
                draft = draft_item(item, ctx)
            except BadParameter as e:
                s.problems.append(f"item {n}: {e}")
        expected_known = sum("id" in x for key in ("visitors", "hosts", "orgs") for x in want[key])
        if draft is None:
            s.known += expected_known
            s.problems.append(f"item {n}: not drafted")
            continue
        date_ok = draft.item.date.date.isoformat() == want["date"]
        s.dates += date_ok
        people = [(e.iri, e.name, e.new or e.iri not in known_at_start) for e in draft.attendees if e.kind == "person"]
        hosts = [
            (e.iri, e.name, e.new or e.iri not in known_at_start) for e in draft.contributors if e.kind == "person"
        ]
        orgs = list(
            {
                e.iri: (e.iri, e.name, e.new or e.iri not in known_at_start)
                for e in draft.institutions + draft.attendees
                if e.kind == "organization" and e.iri != host
            }.values()
        )
        v_ok, v_known, v_reused, v_inv = _check(want["visitors"], people, base)
        h_ok, h_known, h_reused, h_inv = _check(want["hosts"], hosts, base)
        o_ok, o_known, o_reused, o_inv = _check(want["orgs"], orgs, base, want.get("optional_orgs", []))
        s.known += v_known + h_known + o_known
        s.reused += v_reused + h_reused + o_reused
        invented = v_inv + h_inv + o_inv
        s.invented += len(invented)
        s.items_with_invented += bool(invented)
        gifts = Counter("host" if g["host_gives"] else "visitor" for g in draft.gifts)
        gifts_ok = gifts == Counter(want["gifts"])
        agreements_ok = Counter(signed for _, signed in draft.agreements) == Counter(want["agreements"])
        checks = {
            "date": date_ok,
            "visitors": v_ok,
            "hosts": h_ok,
            "orgs": o_ok,
            "gifts": gifts_ok,
            "agreements": agreements_ok,
        }
        if all(checks.values()):
            s.right += 1
        else:
            wrong = [k for k, v in checks.items() if not v]
            s.problems.append(
                f"item {n}: wrong {wrong}; visitors {people}; hosts {hosts}; orgs {orgs}; "
                f"gifts {dict(gifts)}; agreements {draft.agreements}; invented {invented}"
            )
    return s
