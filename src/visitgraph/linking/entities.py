"""What the matcher indexes: the kinds of resource, their label predicates, the properties kept, and the record.

Shared by :mod:`visitgraph.linking.matchread` (which reads entities from a store) and
:mod:`visitgraph.linking.match` (which scores names against them), so neither imports the other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from visitgraph.core import vocab
from visitgraph.core.names import LabelKeys

#: Kinds the matcher indexes, with the class that defines each and its type name.
KIND_TYPES: dict[str, tuple[str, str]] = {
    "visit": (vocab.VG + "Visit", "Visit"),
    "person": (vocab.SCHEMA + "Person", "Person"),
    "organization": (vocab.SCHEMA + "Organization", "Organisation"),
    "topic": (vocab.SKOS + "Concept", "Topic"),
}
LABEL_PREDICATES = (
    vocab.SCHEMA + "name",
    vocab.SKOS + "prefLabel",
    vocab.SCHEMA + "alternateName",
    vocab.SKOS + "altLabel",
)
#: Property paths kept per entity: short id -> predicates followed from the entity.
PROPERTY_PATHS: dict[str, tuple[str, ...]] = {
    "schema:startDate": (vocab.SCHEMA + "startDate",),
    "schema:jobTitle": (vocab.SCHEMA + "jobTitle",),
    "schema:honorificPrefix": (vocab.SCHEMA + "honorificPrefix",),
    "schema:description": (vocab.SCHEMA + "description",),
    "schema:affiliation": (vocab.SCHEMA + "affiliation",),
    "schema:attendee": (vocab.SCHEMA + "attendee",),
    "schema:contributor": (vocab.SCHEMA + "contributor",),
    "schema:about": (vocab.SCHEMA + "about",),
    "schema:location": (vocab.SCHEMA + "location",),
    "schema:parentOrganization": (vocab.SCHEMA + "parentOrganization",),
    "schema:address/schema:addressCountry": (vocab.SCHEMA + "address", vocab.SCHEMA + "addressCountry"),
    "skos:broader": (vocab.SKOS + "broader",),
    "owl:sameAs": (vocab.OWL + "sameAs",),
    "schema:sameAs": (vocab.SCHEMA + "sameAs",),
    "skos:exactMatch": (vocab.SKOS + "exactMatch",),
    "skos:closeMatch": (vocab.SKOS + "closeMatch",),
}
#: Reverse links gathered as the "visits" of a person, organisation or topic.
VISIT_LINKS = ("schema:attendee", "schema:contributor", "schema:about")


@dataclass
class Entity:
    """One indexed resource: its id, kind, labels, types and the properties the service shows."""

    iri: str
    id: str
    kind: str
    name: str
    labels: list[str] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    props: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    keys: list[LabelKeys] = field(default_factory=list)


def resolve_id(ref: str, base: str) -> str | None:
    """Return the `kind/slug` id for a short id, an IRI, a `/id/` path, or a percent-encoded one.

    >>> resolve_id("person%2Fmayil-ahmadov", "https://w3id.org/visitgraph/id/")
    'person/mayil-ahmadov'
    >>> resolve_id("https://w3id.org/visitgraph/id/organization/oclc", "https://w3id.org/visitgraph/id/")
    'organization/oclc'
    """
    from urllib.parse import unquote

    text = ref.strip()
    for _ in range(3):
        if "%" not in text:
            break
        text = unquote(text)
    text = text.removeprefix(base).removeprefix("/id/").strip("/")
    kind, _, slug = text.partition("/")
    if kind in KIND_TYPES and vocab.is_slug(slug):
        return f"{kind}/{slug}"
    return None
