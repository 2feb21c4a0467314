"""The W3C Entity Reconciliation API over the matcher: manifests, batches, suggest, preview, extend.

Two versions are served side by side because their manifests conflict: API 0.2
(what OpenRefine speaks: ``queries=`` batches keyed by name, JSONP) at
``/reconcile``, and the 1.0 draft (``{"queries": [...conditions...]}`` posted as
JSON to ``/match``) at ``/reconcile/v1``. Every function returns plain dicts.

Entity ids are ``kind/slug`` (``person/mayil-ahmadov``); any percent-encoded form
and the full IRI are accepted back. Type ids are class IRIs.

Longer than 400 lines because it holds the five services of one W3C API (manifest, query batches, suggest, preview, extend) and the request checks they share.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from visitgraph import __version__
from visitgraph.core import boundedjson, vocab
from visitgraph.core.errors import BadParameter, LimitExceeded
from visitgraph.core.names import fold, normalize
from visitgraph.linking import reconcile_request as checked
from visitgraph.linking.entities import KIND_TYPES, Entity
from visitgraph.linking.match import Candidate, Matcher, kinds_for, property_id

MAX_BATCH = checked.MAX_BATCH
MAX_LIMIT = checked.MAX_LIMIT
PREVIEW_SIZE = (420, 190)


@dataclass(frozen=True)
class Property:
    """A property the service can match on and fetch: id (CURIE path), name, kinds, value shape."""

    id: str
    name: str
    kinds: tuple[str, ...]
    shape: str  # "str", "ref" (another entity) or "iri" (an outside IRI)
    description: str = ""


ALL = tuple(KIND_TYPES)
PROPERTIES: tuple[Property, ...] = (
    Property("schema:name", "Name", ALL, "str", "Preferred name (skos:prefLabel for topics)"),
    Property("schema:alternateName", "Other names", ALL, "str", "Other spellings found in the source"),
    Property("schema:description", "Description", ALL, "str"),
    Property("schema:startDate", "Date", ("visit",), "str", "Date of the visit, YYYY-MM-DD (match a year too)"),
    Property("schema:attendee", "Visitors", ("visit",), "ref", "People (or organisations) who visited"),
    Property("schema:contributor", "Host-side participants", ("visit",), "ref"),
    Property("schema:about", "Topics discussed", ("visit",), "ref"),
    Property("schema:location", "Place", ("visit",), "ref"),
    Property("schema:jobTitle", "Job title", ("person",), "str"),
    Property("schema:honorificPrefix", "Honorific", ("person",), "str"),
    Property("schema:affiliation", "Affiliation", ("person",), "ref", "Organisation (name or id)"),
    Property(
        "schema:address/schema:addressCountry",
        "Country",
        ("organization",),
        "str",
        "ISO 3166-1 alpha-2 code (or an English country name when matching)",
    ),
    Property("schema:parentOrganization", "Parent organisation", ("organization",), "ref"),
    Property("skos:broader", "Broader topic", ("topic",), "ref"),
    Property(
        "visits",
        "Visits",
        ("person", "organization", "topic"),
        "ref",
        "Visits the resource attended, hosted or was discussed at",
    ),
    Property("owl:sameAs", "Same as (contributed links)", ALL, "iri"),
    Property("skos:exactMatch", "Exact match (contributed links)", ALL, "iri"),
    Property("skos:closeMatch", "Close match (contributed links)", ALL, "iri"),
    Property("schema:sameAs", "schema:sameAs (contributed links)", ALL, "iri"),
)
_PROPS = {p.id: p for p in PROPERTIES}


def types() -> list[dict[str, str]]:
    """Return the types the service offers, as reconciliation type objects."""
    return [{"id": iri, "name": name} for iri, name in KIND_TYPES.values()]


def _type_refs(entity: Entity) -> list[dict[str, str]]:
    iri, name = KIND_TYPES[entity.kind]
    return [{"id": iri, "name": name}]


def manifest_v02(service_url: str, base_iri: str, name: str) -> dict[str, Any]:
    """Return the API 0.2 service manifest for a service answering at `service_url` (``…/reconcile``)."""
    root = service_url.rstrip("/")

    def service(path: str) -> dict[str, str]:
        return {"service_url": root, "service_path": path}

    return {
        "versions": ["0.1", "0.2"],
        "name": name,
        "identifierSpace": base_iri,
        "schemaSpace": vocab.SCHEMA,
        "serviceVersion": __version__,
        "documentation": root,
        "view": {"url": root + "/view/{{id}}"},
        "defaultTypes": types(),
        "preview": {"url": root + "/preview?id={{id}}", "width": PREVIEW_SIZE[0], "height": PREVIEW_SIZE[1]},
        "suggest": {
            "entity": {**service("/suggest/entity"), "flyout_service_path": "/flyout/entity?id=${id}"},
            "type": service("/suggest/type"),
            "property": service("/suggest/property"),
        },
        "extend": {"propose_properties": service("/propose_properties"), "property_settings": []},
    }


def manifest_v1(service_url: str, name: str) -> dict[str, Any]:
    """Return the 1.0-draft service manifest for a service answering at `service_url` (``…/reconcile/v1``)."""
    root = service_url.rstrip("/")
    return {
        "versions": ["1.0-draft"],
        "name": name,
        "lang": "en",
        "serviceVersion": __version__,
        "documentation": root,
        "view": {"url": root + "/view/{id}"},
        "defaultTypes": types(),
        "preview": {"width": PREVIEW_SIZE[0], "height": PREVIEW_SIZE[1]},
        "suggest": {"entity": True, "property": True, "type": True},
        "extend": {"proposeProperties": True, "propertySettings": []},
        "standardizedScore": True,
    }


def parse_json(raw: str | bytes | Any, name: str) -> Any:
    """Decode a JSON parameter (bounded: depth, finite numbers, no lone surrogates).

    :raises BadParameter: saying what is wrong with it.
    """
    if not isinstance(raw, (str, bytes)):
        return raw
    return boundedjson.loads(raw, name)


def _limit(value: Any, default: int = 5) -> int:
    return checked.limit(value, "request", default)


class Deadline:
    """The time a reconciliation request may still use; checked between units of work."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.until = time.monotonic() + seconds if seconds else None

    def check(self) -> None:
        """Stop the request once its time is up.

        :raises LimitExceeded: 503 saying how to ask for less.
        """
        if self.until is not None and time.monotonic() > self.until:
            raise LimitExceeded(
                f"Reconciliation stopped after {self.seconds:g} s (reconcile_timeout); "
                "send fewer queries per batch, fewer properties or shorter names.",
                503,
                1,
            )


def candidate_v02(c: Candidate) -> dict[str, Any]:
    """Render one candidate (the same shape satisfies 0.2 and the 1.0 draft)."""
    out = {
        "id": c.id,
        "name": c.name,
        "score": c.score,
        "match": c.match,
        "type": _type_refs(c.entity),
        "features": [{"id": f.id, "name": f.name, "value": f.value} for f in c.features],
    }
    desc = describe(c.entity)
    if desc:
        out["description"] = desc
    return out


def reconcile_v02(matcher: Matcher, queries: Any, deadline: Deadline | None = None) -> dict[str, Any]:
    """Answer an API 0.2 batch ``{"q0": {"query", "type", "limit", "properties"}, ...}``.

    :raises BadParameter: when the batch is not an object of query objects, or a field is too long.
    :raises LimitExceeded: when the deadline passes before the batch is answered.
    """
    batch = checked.batch_v02(parse_json(queries, "queries"))
    deadline = deadline or Deadline(None)
    out = {}
    for key, q in batch.items():
        deadline.check()
        found = matcher.reconcile(q["query"], q["type"], q["properties"], q["limit"], check=deadline.check)
        out[key] = {"result": [candidate_v02(c) for c in found]}
    return out


def reconcile_v1(matcher: Matcher, body: Any, deadline: Deadline | None = None) -> dict[str, Any]:
    """Answer a 1.0-draft batch ``{"queries": [{"type", "limit", "conditions": [...]}]}``.

    Conditions: ``matchType`` "name" (the text matched), "id" (an id looked up directly) or
    "property" (``propertyId``/``propertyValue``; ``required: true`` drops candidates that disagree).
    """
    queries = checked.batch_v1(parse_json(body, "queries"))
    deadline = deadline or Deadline(None)
    results = []
    for q in queries:
        deadline.check()
        results.append({"candidates": [candidate_v02(c) for c in _answer_v1(matcher, q, deadline)]})
    return {"results": results}


def _answer_v1(matcher: Matcher, q: Mapping[str, Any], deadline: Deadline) -> list[Candidate]:
    conditions = q["conditions"]
    names = [_as_text(c["propertyValue"]) for c in conditions if c["matchType"] == "name"]
    ids = [c["propertyValue"] for c in conditions if c["matchType"] == "id"]
    props = [c for c in conditions if c["matchType"] == "property" and c["propertyId"]]
    if ids:
        wanted = [v for value in ids for v in (value if isinstance(value, list) else [value])]
        hits = [matcher.get(str(v.get("id", "")) if isinstance(v, Mapping) else str(v)) for v in wanted if v]
        return [Candidate(e, 100.0, True) for e in hits if e is not None][: q["limit"]]
    found = matcher.reconcile(" ".join(names)[: checked.MAX_TEXT], q["type"], props, MAX_LIMIT, check=deadline.check)
    required = {property_id(str(c["propertyId"])) for c in props if c["required"]}
    if required:
        found = [c for c in found if required <= {f.id for f in c.features if f.value is True}]
    return found[: q["limit"]]


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_as_text(v) for v in value)
    if isinstance(value, Mapping):
        return str(value.get("name") or value.get("id") or "")
    return "" if value is None else str(value)


def suggest_entities(
    matcher: Matcher, prefix: str, type_: str | None = None, cursor: int = 0, limit: int = 10
) -> dict[str, Any]:
    """Complete a typed prefix to entities (labels starting with it first, then words, then fuzzy)."""
    key = normalize(prefix)
    kinds = kinds_for(type_)
    ranked = []
    for e in matcher.suggest_pool(prefix, kinds):
        if not key or (kinds is not None and e.kind not in kinds and not (e.types & kinds)):
            continue
        best = 0.0
        for k in e.keys:
            if k.norm.startswith(key):
                best = max(best, 100.0)
            elif all(any(t.startswith(w) for t in k.norm.split()) for w in key.split()):
                best = max(best, 90.0)
            else:
                best = max(best, fuzz.partial_ratio(key, k.norm) * 0.85)
        if best >= 70:
            ranked.append((-best, e.name, e))
    ranked.sort(key=lambda r: (r[0], r[1]))
    page = ranked[max(0, cursor) : max(0, cursor) + _limit(limit, 10)]
    return {
        "result": [
            {"id": e.id, "name": e.name, "notable": _type_refs(e), **({"description": d} if (d := describe(e)) else {})}
            for _, _, e in page
        ]
    }


def suggest_types(prefix: str) -> dict[str, Any]:
    """Complete a prefix to the offered types (by name, kind or IRI)."""
    key = fold(prefix)
    return {
        "result": [
            t
            for t in types()
            if key in fold(t["name"])
            or key in fold(t["id"])
            or any(key in k for k, (iri, _) in KIND_TYPES.items() if iri == t["id"])
        ]
    }


def properties_for(type_: str | None) -> list[Property]:
    """List the properties that apply to a type (all when no type is given)."""
    kinds = kinds_for(type_)
    return [p for p in PROPERTIES if kinds is None or set(p.kinds) & kinds]


def suggest_properties(prefix: str, type_: str | None = None) -> dict[str, Any]:
    """Complete a prefix to property ids and names."""
    key = fold(prefix)
    return {
        "result": [
            {"id": p.id, "name": p.name, **({"description": p.description} if p.description else {})}
            for p in properties_for(type_)
            if key in fold(p.name) or key in fold(p.id)
        ]
    }


def propose_properties(type_: str | None, limit: int | None = None) -> dict[str, Any]:
    """Propose the properties worth fetching for entities of a type (data extension)."""
    props = properties_for(type_)[: _limit(limit, len(PROPERTIES))]
    out: dict[str, Any] = {"properties": [{"id": p.id, "name": p.name} for p in props]}
    if type_:
        out["type"] = type_
    if limit is not None:
        out["limit"] = _limit(limit)
    return out


def values_of(matcher: Matcher, entity: Entity, pid: str) -> list[dict[str, Any]]:
    """Return the values of one property of an entity as reconciliation value objects."""
    prop = _PROPS.get(property_id(pid)) or _PROPS.get(pid)
    if prop is None:
        return []
    if prop.id == "schema:name":
        return [{"str": entity.name}]
    if prop.id == "schema:alternateName":
        return [{"str": label} for label in entity.labels if label != entity.name]
    out: list[dict[str, Any]] = []
    for value in entity.props.get(prop.id, []):
        other = matcher.by_iri(value)
        if other is not None:
            out.append({"id": other.id, "name": other.name})
        else:
            out.append({"str": value})
    return out


def extend(matcher: Matcher, query: Any, version: str = "0.2") -> dict[str, Any]:
    """Fetch properties of reconciled entities: ``{"ids": [...], "properties": [{"id": ...}]}``.

    :param version: "0.2" (rows keyed by id) or "1.0" (rows as a list).
    :raises BadParameter: on a malformed query or an unknown property.
    """
    body = parse_json(query, "extend")
    ids, props = (body.get("ids"), body.get("properties")) if isinstance(body, Mapping) else (None, None)
    if not isinstance(ids, list) or not isinstance(props, list) or len(ids) > MAX_BATCH or len(props) > len(PROPERTIES):
        raise BadParameter(
            "extend",
            f'Send {{"ids": [...], "properties": [{{"id": ...}}]}} '
            f"with at most {MAX_BATCH} ids and {len(PROPERTIES)} properties.",
        )
    ids = checked.ids(ids)
    pids = [
        checked.text(p.get("id") if isinstance(p, Mapping) else p, f"properties[{i}]", checked.MAX_ID, "extend")
        for i, p in enumerate(props)
    ]
    unknown = [p for p in pids if property_id(p) not in _PROPS and p not in _PROPS]
    if unknown:
        raise BadParameter("extend", f"Unknown properties {unknown}; ask /propose_properties for the list.")
    meta = [{"id": pid, "name": (_PROPS.get(property_id(pid)) or _PROPS[pid]).name} for pid in pids]
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for raw in ids:
        entity = matcher.get(str(raw))
        rows[str(raw)] = {pid: values_of(matcher, entity, pid) if entity else [] for pid in pids}
    if version == "0.2":
        return {"meta": meta, "rows": rows}
    return {
        "meta": meta,
        "rows": [{"id": i, "properties": [{"id": p, "values": v} for p, v in r.items()]} for i, r in rows.items()],
    }


def describe(entity: Entity) -> str:
    """Return a one-line description that tells namesakes apart (date, job, country …)."""
    p = entity.props
    bits: list[str] = []
    if entity.kind == "visit":
        bits += p.get("schema:startDate", [])
    elif entity.kind == "person":
        bits += p.get("schema:jobTitle", [])[:1]
    elif entity.kind == "organization":
        bits += [f"country {c}" for c in p.get("schema:address/schema:addressCountry", [])]
    if not bits:
        bits += [d[:120] for d in p.get("schema:description", [])[:1]]
    return "; ".join(bits)


def preview_data(matcher: Matcher, ref: str) -> dict[str, Any] | None:
    """Gather what the preview card shows for one entity, or None if the id is unknown."""
    entity = matcher.get(ref)
    if entity is None:
        return None
    rows = []
    for prop in PROPERTIES:
        if entity.kind not in prop.kinds or prop.id == "schema:name":
            continue
        values = values_of(matcher, entity, prop.id)
        if values:
            rows.append((prop.name, [v.get("name") or v.get("str", "") for v in values[:6]], len(values)))
    return {
        "id": entity.id,
        "iri": entity.iri,
        "name": entity.name,
        "type": KIND_TYPES[entity.kind][1],
        "path": vocab.local_path(matcher.base, entity.iri),
        "description": describe(entity),
        "rows": rows,
    }
