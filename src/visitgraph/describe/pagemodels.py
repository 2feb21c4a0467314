"""Page models for visits, people, organisations, topics and countries, plus their schema.org JSON-LD.

Each model is built from the store and holds values ready for a template:
labelled links, formatted dates, sorted lists. Templates only loop over them.

Longer than 400 lines because it holds one page model per kind of resource (visit, person, organisation, topic, country) side by side, so they stay alike.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.countries import display_name
from visitgraph.describe import valuecaps
from visitgraph.describe.resources import Labeller, ResourceView, Term, describe_resource
from visitgraph.store.backend import Reader

S, VG, SKOS = vocab.SCHEMA, vocab.VG, vocab.SKOS


JSONLD_CONTEXT: dict[str, str] = {
    "@vocab": S,
    "vg": VG,
    "skos": SKOS,
    "prov": vocab.PROV,
    "dcterms": vocab.DCTERMS,
    "rdfs": vocab.RDFS,
    "owl": vocab.OWL,
    "xsd": vocab.XSD,
}


def country_name(code: str) -> str:
    """Name a country from its ISO 3166-1 alpha-2 code (the code itself when unknown; :mod:`visitgraph.core.countries`).

    >>> country_name("az"), country_name("QQ")
    ('Azerbaijan', 'QQ')
    """
    return display_name(code)


def date_label(iso: str) -> str:
    """Write an ISO date for people.

    >>> date_label("2020-01-24")
    '24 January 2020'
    """
    try:
        return dt.date.fromisoformat(iso).strftime("%-d %B %Y")
    except ValueError:
        return iso


@dataclass
class VisitSummary:
    """One visit in a list: link, date and whether its year was inferred."""

    term: Term
    date: str
    date_label: str
    year_inferred: bool = False

    @property
    def year(self) -> str:
        return self.date[:4]

    def to_dict(self) -> dict[str, Any]:
        return {"visit": self.term.to_dict(), "date": self.date, "year_inferred": self.year_inferred}


def visit_summaries(store: Reader, base: str, pattern: str) -> list[VisitSummary]:
    """List the visits matching a SPARQL graph pattern over `?v`, oldest first."""
    query = f"""SELECT DISTINCT ?v ?date ?inferred WHERE {{ {pattern}
      ?v a <{VG}Visit> ; <{S}startDate> ?date . OPTIONAL {{ ?v <{VG}yearInferred> ?inferred }} }}
      ORDER BY ?date ?v"""
    labeller = Labeller(store, base)
    out = []
    for row in store.query(query, use_default_graph_as_union=True):
        inferred = row["inferred"] is not None and row["inferred"].value == "true"
        date = row["date"].value
        out.append(VisitSummary(labeller.term(row["v"]), date, date_label(date), inferred))
    return out


def group_by_year(visits: list[VisitSummary]) -> list[tuple[str, list[VisitSummary]]]:
    """Group visits by year, keeping their order."""
    groups: dict[str, list[VisitSummary]] = {}
    for v in visits:
        groups.setdefault(v.year, []).append(v)
    return list(groups.items())


def _literals(store: Reader, iri: str, predicate: str) -> list[str]:
    quads = store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(predicate), None, None)
    return sorted({q.object.value for q in quads if isinstance(q.object, ox.Literal)})


def _objects(store: Reader, node: ox.NamedNode | ox.BlankNode, predicate: str) -> list[ox.NamedNode]:
    quads = store.quads_for_pattern(node, ox.NamedNode(predicate), None, None)
    return sorted({q.object for q in quads if isinstance(q.object, ox.NamedNode)}, key=str)


@dataclass
class Participant:
    """A person (or organisation) taking part in a visit, with role and institutions."""

    who: Term
    is_person: bool
    role: str | None
    honorific: str | None
    institutions: list[Term]


def participant(store: Reader, labeller: Labeller, iri: ox.NamedNode) -> Participant:
    """Describe one visitor or host for a visit page."""
    is_person = any(
        True for _ in store.quads_for_pattern(iri, ox.NamedNode(vocab.RDF_TYPE), ox.NamedNode(S + "Person"), None)
    )
    roles = _literals(store, iri.value, S + "jobTitle")
    honorifics = _literals(store, iri.value, S + "honorificPrefix")
    institutions = [labeller.term(o) for o in _objects(store, iri, S + "affiliation")]
    return Participant(
        labeller.term(iri), is_person, "; ".join(roles) or None, honorifics[0] if honorifics else None, institutions
    )


@dataclass
class GiftItem:
    """The thing handed over."""

    name: str | None
    description: str | None
    kind: str | None


@dataclass
class GiftView:
    """One gift: who gave what to whom, and in which direction."""

    term: Term
    to_guests: bool
    givers: list[Term]
    recipients: list[Term]
    items: list[GiftItem]


@dataclass
class AgreementView:
    """One agreement reached during a visit."""

    term: Term
    name: str
    signed: bool


@dataclass
class VisitPage:
    """Everything a visit page shows."""

    view: ResourceView
    date: str | None
    date_label: str | None
    year_inferred: bool
    date_note: str | None
    source_text: str | None
    source: Term | None
    visitors: list[Participant]
    hosts: list[Participant]
    host_institutions: list[Term]
    gifts: list[GiftView]
    agreements: list[AgreementView]
    topics: list[Term]
    template: str = "visit.html"


def _gift(store: Reader, labeller: Labeller, gift: ox.NamedNode, host_side: set[str]) -> GiftView:
    givers = _objects(store, gift, S + "agent")
    items = []
    for item in _objects(store, gift, S + "object"):
        names = _literals(store, item.value, S + "name")
        descriptions = _literals(store, item.value, S + "description")
        types = [labeller.label(t.value) for t in _objects(store, item, vocab.RDF_TYPE)]
        items.append(
            GiftItem(names[0] if names else None, descriptions[0] if descriptions else None, ", ".join(types) or None)
        )
    return GiftView(
        labeller.term(gift),
        any(g.value in host_side for g in givers),
        [labeller.term(g) for g in givers],
        [labeller.term(r) for r in _objects(store, gift, S + "recipient")],
        items,
    )


def visit_page(store: Reader, view: ResourceView, base: str) -> VisitPage:
    """Build the visit page model: date, passage, visitors, hosts, gifts, agreements, topics."""
    labeller = Labeller(store, base)
    node = ox.NamedNode(view.iri)
    date = view.first(S + "startDate")
    note = view.first(VG + "dateNote")
    text = view.first(VG + "sourceText")
    inferred = view.first(VG + "yearInferred")
    hosts_inst = sorted({o.value for p in ("location", "organizer") for o in _objects(store, node, S + p)})
    hosts = [participant(store, labeller, o) for o in _objects(store, node, S + "contributor")]
    host_side = set(hosts_inst) | {h.who.value for h in hosts}
    visitors = [participant(store, labeller, o) for o in _objects(store, node, S + "attendee")]
    visitors.sort(key=lambda p: (not p.is_person, p.who.label.casefold()))
    gifts = [_gift(store, labeller, g, host_side) for g in _objects(store, node, VG + "gift")]
    gifts.sort(key=lambda g: (g.to_guests is False, g.term.value))
    agreements = []
    for a in _objects(store, node, VG + "outcome"):
        signed = _literals(store, a.value, VG + "signed")
        agreements.append(AgreementView(labeller.term(a), labeller.label(a.value), signed == ["true"]))
    return VisitPage(
        view=view,
        date=date.value if date else None,
        date_label=date_label(date.value) if date else None,
        year_inferred=bool(inferred and inferred.value == "true"),
        date_note=note.value if note else None,
        source_text=text.value if text else None,
        source=view.first(vocab.PROV + "wasDerivedFrom"),
        visitors=visitors,
        hosts=hosts,
        host_institutions=[labeller.term(ox.NamedNode(i)) for i in hosts_inst],
        gifts=gifts,
        agreements=agreements,
        topics=view.values(S + "about"),
    )


@dataclass
class PersonPage:
    """Everything a person page shows."""

    view: ResourceView
    name: str
    honorific: str | None
    alternate_names: list[str]
    job_titles: list[str]
    description: str | None
    affiliations: list[Term]
    visits: list[VisitSummary]
    hosted: list[VisitSummary]
    template: str = "person.html"


def person_page(store: Reader, view: ResourceView, base: str) -> PersonPage:
    """Build the person page model: names, role, institutions and the visits they took part in."""
    iri = view.iri
    honorific = _literals(store, iri, S + "honorificPrefix")
    description = _literals(store, iri, S + "description")
    return PersonPage(
        view=view,
        name=view.label,
        honorific=honorific[0] if honorific else None,
        alternate_names=_literals(store, iri, S + "alternateName"),
        job_titles=_literals(store, iri, S + "jobTitle"),
        description=description[0] if description else None,
        affiliations=view.values(S + "affiliation"),
        visits=visit_summaries(store, base, f"?v <{S}attendee> <{iri}> ."),
        hosted=visit_summaries(store, base, f"?v <{S}contributor> <{iri}> ."),
    )


@dataclass
class OrganizationPage:
    """Everything an organisation page shows, with its visits over time."""

    view: ResourceView
    name: str
    alternate_names: list[str]
    countries: list[tuple[str, str]]  # (code, name)
    parents: list[Term]
    parts: list[Term]
    members: list[Term]
    visits_by_year: list[tuple[str, list[VisitSummary]]]
    hosted_by_year: list[tuple[str, list[VisitSummary]]]
    visit_count: int = 0
    hosted_count: int = 0
    template: str = "organization.html"


def organization_countries(store: Reader, iri: str) -> list[str]:
    """Return the ISO codes of an organisation's addresses."""
    codes: set[str] = set()
    for address in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(S + "address"), None, None):
        if isinstance(address.object, (ox.BlankNode, ox.NamedNode)):
            for q in store.quads_for_pattern(address.object, ox.NamedNode(S + "addressCountry"), None, None):
                if not isinstance(q.object, ox.Triple):
                    codes.add(q.object.value.upper())
    return sorted(codes)


def involving(org: str) -> str:
    """Return a SPARQL pattern binding `?v` to visits an organisation took part in as a guest."""
    return (
        f"{{ ?v <{S}attendee> <{org}> }} UNION {{ ?v <{S}attendee>/<{S}affiliation> <{org}> }} "
        f"UNION {{ ?v <{VG}gift>/(<{S}agent>|<{S}recipient>) <{org}> . "
        f"FILTER NOT EXISTS {{ ?v <{S}organizer>|<{S}location> <{org}> }} }}"
    )


def organization_page(store: Reader, view: ResourceView, base: str) -> OrganizationPage:
    """Build the organisation page model: names, country, parents, people and visits over time."""
    iri = view.iri
    visits = visit_summaries(store, base, involving(iri))
    hosted = visit_summaries(store, base, f"?v <{S}location>|<{S}organizer> <{iri}> .")
    codes = organization_countries(store, iri)
    return OrganizationPage(
        view=view,
        name=view.label,
        alternate_names=_literals(store, iri, S + "alternateName"),
        countries=[(c, country_name(c)) for c in codes],
        parents=view.values(S + "parentOrganization"),
        parts=view.subjects(S + "parentOrganization"),
        members=view.subjects(S + "affiliation"),
        visits_by_year=group_by_year(visits),
        hosted_by_year=group_by_year(hosted),
        visit_count=len(visits),
        hosted_count=len(hosted),
    )


@dataclass
class TopicPage:
    """Everything a topic page shows."""

    view: ResourceView
    label: str
    schemes: list[Term]
    broader: list[Term]
    narrower: list[Term]
    visits: list[VisitSummary]
    template: str = "topic.html"


def topic_page(store: Reader, view: ResourceView, base: str) -> TopicPage:
    """Build the topic page model: its place in the scheme and the visits that discussed it."""
    iri = view.iri
    return TopicPage(
        view=view,
        label=view.label,
        schemes=view.values(SKOS + "inScheme"),
        broader=view.values(SKOS + "broader"),
        narrower=view.subjects(SKOS + "broader"),
        visits=visit_summaries(store, base, f"?v <{S}about> <{iri}> ."),
    )


@dataclass
class CountryPage:
    """A country: its organisations and the visits they took part in."""

    code: str
    name: str
    organizations: list[Term]
    visits: list[VisitSummary]
    template: str = "country.html"
    iris: list[str] = field(default_factory=list)

    def jsonld(self) -> dict[str, Any]:
        """Describe the country as schema.org JSON-LD."""
        return {"@context": {"@vocab": S}, "@type": "Country", "name": self.name, "identifier": self.code}

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "organizations": [o.to_dict() for o in self.organizations],
            "visits": [v.to_dict() for v in self.visits],
        }


def country_page(store: Reader, code: str, base: str) -> CountryPage | None:
    """Build the page of one country (ISO 3166-1 alpha-2), or None if no organisation is there."""
    code = code.upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        return None
    query = f"""SELECT DISTINCT ?o WHERE {{ ?o <{S}address>/<{S}addressCountry> ?c .
      FILTER(UCASE(STR(?c)) = "{code}") }}"""
    orgs = sorted(
        (row["o"] for row in store.query(query, use_default_graph_as_union=True) if isinstance(row["o"], ox.NamedNode)),
        key=str,
    )
    if not orgs:
        return None
    labeller = Labeller(store, base)
    terms = sorted((labeller.term(o) for o in orgs), key=lambda t: t.label.casefold())
    pattern = " UNION ".join(f"{{ {involving(o.value)} }}" for o in orgs)
    return CountryPage(
        code, country_name(code), terms, visit_summaries(store, base, pattern), iris=[o.value for o in orgs]
    )


PageModel = VisitPage | PersonPage | OrganizationPage | TopicPage


def page_for(
    store: Reader, iri: str, base: str, cap: int | None = None
) -> tuple[ResourceView, PageModel | None] | None:
    """Describe a resource and build its kind's page model (None for kinds shown generically).

    `cap` bounds the values described per predicate (:func:`describe_resource`).
    """
    view = describe_resource(store, iri, base, cap)
    if view is None:
        return None
    if view.has_type(VG + "Visit"):
        return view, visit_page(store, view, base)
    if view.has_type(S + "Person"):
        return view, person_page(store, view, base)
    if view.has_type(S + "Organization"):
        return view, organization_page(store, view, base)
    if view.has_type(SKOS + "Concept"):
        return view, topic_page(store, view, base)
    return view, None


def model_to_dict(model: Any) -> dict[str, Any]:
    """Return a page model as JSON-ready data (Terms become mappings)."""
    if hasattr(model, "to_dict"):
        out: dict[str, Any] = model.to_dict()
        return out
    data = asdict(model)
    data.pop("view", None)
    data.pop("template", None)
    return data


# -- schema.org JSON-LD ------------------------------------------------------------


def compact_iri(iri: str) -> str:
    """Write an IRI against :data:`JSONLD_CONTEXT` (schema.org terms bare, others as CURIEs).

    >>> compact_iri("http://schema.org/name"), compact_iri("https://w3id.org/visitgraph/ontology#gift")
    ('name', 'vg:gift')
    """
    for prefix, ns in JSONLD_CONTEXT.items():
        rest = iri[len(ns) :]
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z][\w-]*", rest):
            return rest if prefix == "@vocab" else f"{prefix}:{rest}"
    return iri


def _literal_json(lit: ox.Literal) -> Any:
    if lit.language:
        return {"@value": lit.value, "@language": lit.language}
    if lit.datatype is None or lit.datatype.value == vocab.XSD + "string":
        return lit.value
    return {"@value": lit.value, "@type": lit.datatype.value}


#: Most values of one property in a page's JSON-LD (contributed links can be tens of thousands).
MAX_JSONLD_VALUES = 50
#: Deepest node a page's JSON-LD describes: names are followed to what they name, and a chain of them (blank
#: nodes named by blank nodes, IRIs naming each other) would otherwise be followed without end.
MAX_JSONLD_DEPTH = 16


def _node_json(store: Reader, node: ox.NamedNode | ox.BlankNode, depth: int, full: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"@id": node.value} if isinstance(node, ox.NamedNode) else {}
    by_key: dict[str, list[ox.Triple]] = {}
    # a resource with many values is read a capped number per predicate (valuecaps)
    for t in valuecaps.outgoing(store, node, MAX_JSONLD_VALUES)[0]:
        pred = t.predicate.value
        if not full and pred not in (S + "name", SKOS + "prefLabel"):
            continue
        key = "@type" if pred == vocab.RDF_TYPE and isinstance(t.object, ox.NamedNode) else compact_iri(pred)
        by_key.setdefault(key, []).append(t)
    for key, triples in by_key.items():
        # only the first values (in term order) are described: each linked IRI costs a look-up
        triples.sort(key=lambda t: str(t.object))
        values = sorted((_value_json(store, t, key, depth) for t in triples[:MAX_JSONLD_VALUES]), key=str)
        out[key] = values[0] if len(values) == 1 else values
    return out


def _value_json(store: Reader, t: ox.Triple, key: str, depth: int) -> Any:
    obj = t.object
    if key == "@type" and isinstance(obj, ox.NamedNode):
        return compact_iri(obj.value)
    if isinstance(obj, ox.Literal):
        return _literal_json(obj)
    if depth >= MAX_JSONLD_DEPTH:
        return {"@id": obj.value} if isinstance(obj, ox.NamedNode) else {}
    if isinstance(obj, ox.BlankNode):
        return _node_json(store, obj, depth + 1, depth < 3)
    return _node_json(store, obj, depth + 1, False)  # type: ignore[arg-type]


def schema_jsonld(store: Reader, iri: str) -> dict[str, Any]:
    """Describe a resource as compact schema.org JSON-LD for a page's ``<script type="application/ld+json">``.

    Holds the resource's own triples, its blank nodes, and the names of what it
    links to — every statement is one the store holds.
    """
    return {"@context": JSONLD_CONTEXT, **_node_json(store, ox.NamedNode(iri), 0, True)}
