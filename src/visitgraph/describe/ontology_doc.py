"""Readable documentation of the visitgraph ontology, and its RDF, from the published store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.describe.resources import Labeller, Term
from visitgraph.store.backend import Reader

RDFS, OWL = vocab.RDFS, vocab.OWL
_CLASS_TYPES = {OWL + "Class", RDFS + "Class"}


@dataclass
class TermDoc:
    """One class or property of the ontology, ready for a template."""

    iri: str
    name: str
    anchor: str
    label: str
    comment: str
    types: list[Term]
    domain: list[Term] = field(default_factory=list)
    range: list[Term] = field(default_factory=list)
    sub_class_of: list[Term] = field(default_factory=list)
    sub_property_of: list[Term] = field(default_factory=list)
    deprecated: bool = False
    replaced_by: list[Term] = field(default_factory=list)
    used_with: list[Term] = field(default_factory=list)  # properties whose domain is this class

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "iri": self.iri,
            "name": self.name,
            "label": self.label,
            "comment": self.comment,
            "types": [t.value for t in self.types],
        }
        for key in ("domain", "range", "sub_class_of", "sub_property_of", "replaced_by"):
            values = getattr(self, key)
            if values:
                out[key] = [t.value for t in values]
        if self.deprecated:
            out["deprecated"] = True
        return out


@dataclass
class OntologyDoc:
    """The ontology's header and its terms, classes first."""

    iri: str
    title: str
    description: str
    version: str | None
    license: Term | None
    preferred_prefix: str | None
    classes: list[TermDoc]
    properties: list[TermDoc]

    def to_dict(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "namespace": vocab.VG,
            "title": self.title,
            "description": self.description,
            "version": self.version,
            "license": self.license.value if self.license else None,
            "classes": [c.to_dict() for c in self.classes],
            "properties": [p.to_dict() for p in self.properties],
        }


def _values(store: Reader, subject: str, predicate: str) -> list[ox.NamedNode | ox.Literal | ox.BlankNode]:
    seen: dict[str, Any] = {}
    for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None):
        seen.setdefault(str(q.object), q.object)
    return [seen[k] for k in sorted(seen)]


def _text(store: Reader, subject: str, predicate: str) -> str:
    lits = [v for v in _values(store, subject, predicate) if isinstance(v, ox.Literal)]
    lits.sort(key=lambda lit: (lit.language not in (None, "en"), lit.value))
    return lits[0].value if lits else ""


def ontology_terms(store: Reader) -> list[str]:
    """List the IRIs of the ontology's terms (everything in its namespace that the store describes)."""
    subjects = {
        q.subject.value
        for q in store.quads_for_pattern(None, ox.NamedNode(vocab.RDF_TYPE), None, None)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(vocab.VG)
    }
    return sorted(subjects)


def _term_doc(store: Reader, labeller: Labeller, iri: str) -> TermDoc:
    def terms(pred: str) -> list[Term]:
        return [labeller.term(v) for v in _values(store, iri, pred) if isinstance(v, ox.NamedNode)]

    name = iri[len(vocab.VG) :]
    deprecated = any(isinstance(v, ox.Literal) and v.value == "true" for v in _values(store, iri, OWL + "deprecated"))
    return TermDoc(
        iri=iri,
        name=name,
        anchor=name,
        label=_text(store, iri, RDFS + "label") or name,
        comment=_text(store, iri, RDFS + "comment"),
        types=terms(vocab.RDF_TYPE),
        domain=terms(RDFS + "domain"),
        range=terms(RDFS + "range"),
        sub_class_of=terms(RDFS + "subClassOf"),
        sub_property_of=terms(RDFS + "subPropertyOf"),
        deprecated=deprecated,
        replaced_by=terms(vocab.DCTERMS + "isReplacedBy"),
    )


def ontology_doc(store: Reader, base: str) -> OntologyDoc | None:
    """Document every class and property of the ontology, or None when it is not published."""
    iri = vocab.VG_ONTOLOGY
    if next(iter(store.quads_for_pattern(ox.NamedNode(iri), None, None, None)), None) is None:
        return None
    labeller = Labeller(store, base)
    docs = [_term_doc(store, labeller, t) for t in ontology_terms(store)]
    classes = [d for d in docs if any(t.value in _CLASS_TYPES for t in d.types)]
    properties = [d for d in docs if d not in classes]
    for c in classes:
        c.used_with = [
            labeller.term(ox.NamedNode(p.iri)) for p in properties if any(d.value == c.iri for d in p.domain)
        ]
    licence = [v for v in _values(store, iri, vocab.DCTERMS + "license") if isinstance(v, ox.NamedNode)]
    return OntologyDoc(
        iri=iri,
        title=_text(store, iri, vocab.DCTERMS + "title") or "visitgraph ontology",
        description=_text(store, iri, vocab.DCTERMS + "description"),
        version=_text(store, iri, OWL + "versionInfo") or None,
        license=labeller.term(licence[0]) if licence else None,
        preferred_prefix=_text(store, iri, "http://purl.org/vocab/vann/preferredNamespacePrefix") or None,
        classes=classes,
        properties=properties,
    )


def ontology_quads(store: Reader) -> list[ox.Quad]:
    """Return the ontology's triples (the ontology header and every term in its namespace), sorted."""
    triples: set[ox.Triple] = set()
    pending: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(vocab.VG_ONTOLOGY)]
    pending += [ox.NamedNode(t) for t in ontology_terms(store)]
    seen: set[Any] = set()
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        for q in store.quads_for_pattern(node, None, None, None):
            triples.add(q.triple)
            if isinstance(q.object, ox.BlankNode):
                pending.append(q.object)
    return [ox.Quad(t.subject, t.predicate, t.object) for t in sorted(triples, key=str)]


def ontology_jsonld(doc: OntologyDoc) -> dict[str, Any]:
    """Describe the ontology as a schema.org DefinedTermSet."""
    return {
        "@context": {"@vocab": vocab.SCHEMA},
        "@type": "DefinedTermSet",
        "@id": doc.iri,
        "name": doc.title,
        "description": doc.description,
        "hasDefinedTerm": [
            {"@type": "DefinedTerm", "@id": d.iri, "name": d.label, "description": d.comment, "termCode": d.name}
            for d in doc.classes + doc.properties
        ],
    }
