"""Browsable lists with paging, and the home page: counts, a timeline of visits per year, the latest visits."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.errors import BadParameter
from visitgraph.describe.pagemodels import VisitSummary, country_name, date_label, visit_summaries
from visitgraph.describe.resources import Labeller, Term
from visitgraph.store.backend import Reader

S, VG, SKOS = vocab.SCHEMA, vocab.VG, vocab.SKOS
PER_PAGE = 25


class Paged:
    """Anything shown a page at a time, `page` of `pages` (from 1): the previous and next page numbers.

    The one paging rule of the pages (lists here, a resource's contributed links in
    :mod:`visitgraph.linking.linkpages`).

    >>> @dataclass
    ... class P(Paged):
    ...     page: int
    ...     pages: int
    >>> (P(1, 3).prev_page, P(1, 3).next_page), (P(3, 3).prev_page, P(3, 3).next_page), P(1, 0).next_page
    ((None, 2), (2, None), None)
    """

    page: int
    pages: int

    @property
    def prev_page(self) -> int | None:
        """The previous page number, if any."""
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        """The next page number, if any."""
        return self.page + 1 if self.page < self.pages else None


@dataclass
class ListItem:
    """One row of a list page."""

    term: Term
    detail: str = ""
    count: int | None = None
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {**self.term.to_dict()}
        if self.detail:
            out["detail"] = self.detail
        if self.count is not None:
            out["visits"] = self.count
        if self.date:
            out["date"] = self.date
        return out


@dataclass
class ListPage(Paged):
    """One page of a browsable list."""

    name: str
    title: str
    intro: str
    items: list[ListItem]
    page: int
    pages: int
    total: int
    per_page: int
    count_label: str = "visits"

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "list": self.name,
            "title": self.title,
            "page": self.page,
            "pages": self.pages,
            "per_page": self.per_page,
            "total": self.total,
            "next_page": self.next_page,
            "prev_page": self.prev_page,
            "items": [i.to_dict() for i in self.items],
        }


#: List name -> (title, intro, the class listed).
LISTS: dict[str, tuple[str, str, str]] = {
    "visits": ("Visits", "Every visit received by the Presidential Library, newest first.", VG + "Visit"),
    "people": ("People", "Every named visitor and host, by name.", S + "Person"),
    "organizations": ("Organisations", "Visiting and host organisations, by name.", S + "Organization"),
    "topics": ("Topics", "What was discussed during the visits.", SKOS + "Concept"),
    "countries": ("Countries", "Countries of the organisations (ISO 3166-1 codes from schema:addressCountry).", ""),
}

_COUNTS = {
    "people": f"?v <{S}attendee>|<{S}contributor> ?x .",
    "organizations": f"{{ ?v <{S}attendee> ?x }} UNION {{ ?v <{S}attendee>/<{S}affiliation> ?x }}",
    "topics": f"?v <{S}about> ?x .",
}


def page_number(raw: str | None) -> int:
    """Parse a `page` parameter (1 when missing).

    :raises BadParameter: when it is not a positive whole number.

    >>> page_number(None), page_number("3")
    (1, 3)
    """
    if raw is None or raw == "":
        return 1
    if not raw.isdigit() or int(raw) < 1:
        raise BadParameter("page", f"`page` must be a whole number from 1, not {raw!r}.")
    return int(raw)


def _paged(name: str, items: list[ListItem], page: int, per_page: int) -> ListPage:
    title, intro, _ = LISTS[name]
    pages = max(1, math.ceil(len(items) / per_page))
    if page > pages:
        raise BadParameter("page", f"There are only {pages} page(s) of {name}; ask for page 1 to {pages}.")
    chunk = items[(page - 1) * per_page : page * per_page]
    return ListPage(
        name,
        title,
        intro,
        chunk,
        page,
        pages,
        len(items),
        per_page,
        "organisations" if name == "countries" else "visits",
    )


def _visit_items(store: Reader, base: str) -> list[ListItem]:
    visits = visit_summaries(store, base, "")
    visits.reverse()
    return [
        ListItem(v.term, v.date_label + (" (year inferred)" if v.year_inferred else ""), date=v.date) for v in visits
    ]


def _class_items(store: Reader, base: str, name: str, cls: str) -> list[ListItem]:
    labeller = Labeller(store, base)
    counts: dict[str, int] = {}
    if name in _COUNTS:
        query = f"""SELECT ?x (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {_COUNTS[name]}
          ?v a <{VG}Visit> }} GROUP BY ?x"""
        counts = {row["x"].value: int(row["n"].value) for row in store.query(query, use_default_graph_as_union=True)}
    subjects = {
        q.subject
        for q in store.quads_for_pattern(None, ox.NamedNode(vocab.RDF_TYPE), ox.NamedNode(cls), None)
        if isinstance(q.subject, ox.NamedNode)
    }
    items = []
    for node in subjects:
        detail = ""
        if name == "people":
            titles = sorted(
                {
                    q.object.value
                    for q in store.quads_for_pattern(node, ox.NamedNode(S + "jobTitle"), None, None)
                    if not isinstance(q.object, ox.Triple)
                }
            )
            detail = "; ".join(titles)
        items.append(ListItem(labeller.term(node), detail, counts.get(node.value, 0)))
    items.sort(key=lambda i: (i.term.label.casefold(), i.term.value))
    return items


def country_counts(store: Reader) -> dict[str, int]:
    """Count the organisations per ISO country code."""
    query = f"""SELECT ?c (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o <{S}address>/<{S}addressCountry> ?c }}
      GROUP BY ?c"""
    out: dict[str, int] = {}
    for row in store.query(query, use_default_graph_as_union=True):
        code = row["c"].value.upper()
        out[code] = out.get(code, 0) + int(row["n"].value)
    return dict(sorted(out.items()))


def _country_items(store: Reader) -> list[ListItem]:
    items = [
        ListItem(Term("iri", code, f"{country_name(code)} ({code})", f"/countries/{code}"), count=n)
        for code, n in country_counts(store).items()
    ]
    items.sort(key=lambda i: i.term.label.casefold())
    return items


def list_page(store: Reader, base: str, name: str, page: int = 1, per_page: int = PER_PAGE) -> ListPage:
    """Return one page of a list (`visits`, `people`, `organizations`, `topics`, `countries`).

    :raises BadParameter: for a page past the end.
    """
    if name == "visits":
        items = _visit_items(store, base)
    elif name == "countries":
        items = _country_items(store)
    else:
        items = _class_items(store, base, name, LISTS[name][2])
    return _paged(name, items, page, per_page)


@dataclass
class Bar:
    """One bar of the timeline chart, in SVG user units."""

    year: str
    count: int
    x: float
    y: float
    width: float
    height: float
    label_x: float


@dataclass
class Timeline:
    """Visits per year drawn as an SVG bar chart (geometry computed here; the template draws it)."""

    bars: list[Bar]
    width: int
    height: int
    baseline: float
    max_count: int
    description: str


def timeline(per_year: dict[str, int], width: int = 720, height: int = 200) -> Timeline:
    """Lay out a bar chart of visits per year, every year in the range shown (zeros too).

    >>> t = timeline({"2019": 2, "2021": 1})
    >>> [(b.year, b.count) for b in t.bars]
    [('2019', 2), ('2020', 0), ('2021', 1)]
    """
    years = sorted(per_year)
    if years:
        span = [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]
    else:
        span = []
    top, bottom = 20.0, 30.0
    baseline = height - bottom
    max_count = max(per_year.values(), default=0) or 1
    slot = (width - 20) / max(1, len(span))
    bars = []
    for i, year in enumerate(span):
        n = per_year.get(year, 0)
        h = (baseline - top) * n / max_count
        x = 10 + i * slot + slot * 0.15
        bars.append(
            Bar(
                year,
                n,
                round(x, 1),
                round(baseline - h, 1),
                round(slot * 0.7, 1),
                round(h, 1),
                round(x + slot * 0.35, 1),
            )
        )
    text = ", ".join(f"{b.year}: {b.count}" for b in bars)
    return Timeline(bars, width, height, baseline, max_count, f"Visits per year — {text}.")


@dataclass
class HomePage:
    """The home page: what this is, counts, a timeline, the latest visits."""

    counts: dict[str, int]
    timeline: Timeline
    latest: list[VisitSummary]
    first_year: str | None
    last_year: str | None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "visits_per_year": {b.year: b.count for b in self.timeline.bars},
            "latest": [v.to_dict() for v in self.latest],
        }


def home_page(store: Reader, base: str, latest: int = 6) -> HomePage:
    """Gather the home page's counts, visits per year and the latest visits."""
    counts = {}
    for key, cls in (
        ("visits", VG + "Visit"),
        ("people", S + "Person"),
        ("organizations", S + "Organization"),
        ("topics", SKOS + "Concept"),
        ("gifts", VG + "Gift"),
        ("agreements", VG + "Agreement"),
    ):
        query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}"
        counts[key] = int(next(iter(store.query(query, use_default_graph_as_union=True)))["n"].value)
    counts["countries"] = len(country_counts(store))
    visits = visit_summaries(store, base, "")
    per_year: dict[str, int] = {}
    for v in visits:
        per_year[v.year] = per_year.get(v.year, 0) + 1
    return HomePage(
        counts,
        timeline(per_year),
        list(reversed(visits))[:latest],
        visits[0].year if visits else None,
        visits[-1].year if visits else None,
    )


def list_quads(store: Reader, iris: list[str]) -> list[ox.Quad]:
    """Return the RDF alternate of a list page: the type and name triples of the listed resources."""
    keep = (
        ox.NamedNode(vocab.RDF_TYPE),
        ox.NamedNode(S + "name"),
        ox.NamedNode(SKOS + "prefLabel"),
        ox.NamedNode(S + "startDate"),
        ox.NamedNode(S + "address"),
    )
    triples: set[ox.Triple] = set()
    for iri in iris:
        for pred in keep:
            for q in store.quads_for_pattern(ox.NamedNode(iri), pred, None, None):
                triples.add(q.triple)
                if isinstance(q.object, ox.BlankNode):
                    triples.update(b.triple for b in store.quads_for_pattern(q.object, None, None, None))
    return [ox.Quad(t.subject, t.predicate, t.object) for t in sorted(triples, key=str)]


SCHEMA_CONTEXT = {"@vocab": S}


def list_jsonld(page: ListPage) -> dict[str, Any]:
    """Describe a list page as a schema.org ItemList."""
    elements = []
    for n, item in enumerate(page.items, start=page.first_index):
        entry: dict[str, Any] = {"name": item.term.label}
        if item.term.href and not item.term.href.startswith("/countries/"):
            entry["@id"] = item.term.value
        elements.append({"@type": "ListItem", "position": n, "item": entry})
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "ItemList",
        "name": page.title,
        "numberOfItems": page.total,
        "itemListElement": elements,
    }


def dataset_jsonld(site: str, license: str, publisher: str, distributions: list[tuple[str, str]]) -> dict[str, Any]:
    """Describe the dataset as a schema.org Dataset (for the home page and search engines)."""
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "Dataset",
        "@id": site,
        "name": "Visits received by the Presidential Library",
        "description": "Linked open data about the visits received by the Presidential Library of the "
        "Administrative Department of the President of the Republic of Azerbaijan.",
        "license": {"@id": license},
        "publisher": {"@type": "Organization", "name": publisher},
        "distribution": [
            {"@type": "DataDownload", "contentUrl": {"@id": url}, "encodingFormat": media}
            for url, media in distributions
        ],
    }


__all__ = [
    "ListPage",
    "Paged",
    "HomePage",
    "home_page",
    "list_page",
    "list_quads",
    "date_label",
    "page_number",
    "timeline",
]
