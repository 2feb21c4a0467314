"""Describe the saved queries as an OpenAPI 3.1 document, so API clients can be generated from it.

Each saved query is one GET operation at ``/queries/<name>.json`` whose query parameters are
the saved query's parameters (JSON Schema with pattern, format, enum, bounds and examples),
plus ``limit`` / ``offset`` for paged queries. The CSV, TSV, Turtle and SPARQL-JSON forms of
the same answer are named in each description (same URL with another suffix).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from visitgraph.core import formats
from visitgraph.queries.savedquery import (
    DEFAULT_LIMIT,
    ISO_COUNTRIES,
    MAX_IRI,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_STRING,
    PATTERNS,
    Param,
    SavedQuery,
)

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ok", "error", "status"],
    "properties": {
        "ok": {"const": False},
        "error": {"type": "string", "description": "What went wrong and what to do next."},
        "status": {"type": "integer"},
        "parameter": {"type": "string", "description": "The parameter at fault, for 400 answers."},
    },
}

PAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ok", "query", "parameters", "variables", "rows", "limit", "offset", "has_next"],
    "properties": {
        "ok": {"const": True},
        "query": {"type": "string"},
        "title": {"type": "string"},
        "parameters": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "The values bound, defaults included.",
        },
        "variables": {"type": "array", "items": {"type": "string"}},
        "rows": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": {"type": "string"}},
            "description": "One object per row: variable -> IRI or literal text; unbound variables left out.",
        },
        "limit": {"type": "integer"},
        "offset": {"type": "integer"},
        "has_next": {"type": "boolean", "description": "True when one more row than the page exists."},
        "next": {"type": ["string", "null"]},
        "previous": {"type": ["string", "null"]},
    },
}

LIST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ok", "queries"],
    "properties": {"ok": {"const": True}, "queries": {"type": "array", "items": {"type": "object"}}},
}

LINKSET_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "state", "contributor", "links"],
    "properties": {
        "name": {"type": "string", "description": "The linkset's name: contributor slug and date."},
        "state": {"enum": ["pending", "accepted", "rejected", "withdrawn"]},
        "contributor": {"type": "string"},
        "generated": {"type": "string", "description": "When it was received (ISO 8601)."},
        "source": {"type": "string", "description": "The file name it came in."},
        "links": {"type": "integer", "description": "How many links it holds."},
        "predicates": {"type": "array", "items": {"type": "string"}},
        "path": {"type": "string", "description": "Where it is kept in the repository."},
        "reviewer": {"type": "string"},
        "reviewed": {"type": "string"},
        "reason": {"type": "string"},
    },
}

CONTRIBUTED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ok", "linkset", "next"],
    "properties": {
        "ok": {"const": True},
        "linkset": {"$ref": "#/components/schemas/Linkset"},
        "next": {"type": "string", "description": "What happens next (a librarian reviews it)."},
    },
}

_CONTRIBUTOR = {
    "type": "string",
    "minLength": 1,
    "maxLength": 200,
    "description": "Who contributes the links: the institution's name.",
}
_LINKS_TEXT = (
    "Links from our IRIs to yours. CSV or TSV: a header `ours,theirs[,predicate]`, then one link a "
    "line (a header line is optional); `ours` is an IRI of this dataset or its id (`person/mayil-ahmadov`), `theirs` an absolute "
    "IRI, `predicate` (default `skos:exactMatch`) one of skos:exactMatch, skos:closeMatch, owl:sameAs, "
    "schema:sameAs. Turtle or N-Triples: the link triples themselves."
)


def _linkset_paths() -> dict[str, Any]:
    """Return the `/linksets` operations: contribute (POST, write token) and list (GET)."""
    error = {"content": {formats.JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}}
    raw = {"schema": {"type": "string"}}
    return {
        "/linksets": {
            "post": {
                "operationId": "contribute_linkset",
                "tags": ["linksets"],
                "security": [{"writeToken": []}],
                "summary": "Contribute links to your records, for review",
                "description": "Stores the links under `linksets/pending/`; nothing is published until a librarian "
                "accepts them (`visitgraph linkset review NAME --accept`). Send a multipart form with "
                "`contributor` and `file`, or the file itself as the body with `contributor` (and "
                "optionally `filename`) in the query string.",
                "parameters": [
                    {
                        "name": "contributor",
                        "in": "query",
                        "required": False,
                        "schema": _CONTRIBUTOR,
                        "description": "Required unless sent as a form field.",
                    },
                    {
                        "name": "filename",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "Name of the file (its suffix says the format when the body is raw).",
                    },
                ],
                "requestBody": {
                    "required": True,
                    "description": _LINKS_TEXT,
                    "content": {
                        formats.MULTIPART: {
                            "schema": {
                                "type": "object",
                                "required": ["contributor", "file"],
                                "properties": {
                                    "contributor": _CONTRIBUTOR,
                                    "file": {
                                        "type": "string",
                                        "contentMediaType": formats.BY_NAME["csv"].media_type,
                                        "description": _LINKS_TEXT,
                                    },
                                },
                            }
                        },
                        formats.BY_NAME["csv"].media_type: raw,
                        formats.BY_NAME["tsv"].media_type: raw,
                        formats.BY_NAME["ttl"].media_type: raw,
                        formats.BY_NAME["nt"].media_type: raw,
                    },
                },
                "responses": {
                    "202": {
                        "description": "Received, waiting for review.",
                        "headers": {
                            "Location": {"schema": {"type": "string"}, "description": "Where the linkset is listed."}
                        },
                        "content": {formats.JSON: {"schema": {"$ref": "#/components/schemas/Contributed"}}},
                    },
                    "400": {"description": "`contributor` is missing.", **error},
                    "401": {"description": "No bearer token, or a wrong one.", **error},
                    "403": {"description": "Writes are disabled, or the token may only read.", **error},
                    "413": {"description": "The body is larger than `max_body`.", **error},
                    "422": {
                        "description": "Some lines are not valid links; `problems` names each (nothing was stored).",
                        **error,
                    },
                },
            },
            "get": {
                "operationId": "list_linksets",
                "tags": ["linksets"],
                "summary": "List the linksets",
                "description": "Accepted linksets for everyone; every state for a client with a token.",
                "responses": {
                    "200": {
                        "description": "The linksets.",
                        "content": {
                            formats.JSON: {
                                "schema": {
                                    "type": "object",
                                    "required": ["linksets"],
                                    "properties": {
                                        "linksets": {"type": "array", "items": {"$ref": "#/components/schemas/Linkset"}}
                                    },
                                }
                            }
                        },
                    }
                },
            },
        }
    }


def param_schema(param: Param) -> dict[str, Any]:
    """Return the JSON Schema of one parameter's values.

    >>> param_schema(Param("d", "xsd:date"))["format"]
    'date'
    """
    schema: dict[str, Any]
    if param.type == "xsd:integer":
        schema = {"type": "integer"}
        if param.minimum is not None:
            schema["minimum"] = param.minimum
        if param.maximum is not None:
            schema["maximum"] = param.maximum
    elif param.type == "xsd:boolean":
        schema = {"type": "boolean"}
    elif param.type == "country":
        schema = {"type": "string", "enum": sorted(ISO_COUNTRIES)}
    elif param.type == "xsd:string":
        schema = {"type": "string", "maxLength": MAX_STRING}
    elif param.is_iri:
        schema = {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_IRI,
            "description": f"IRI of a {param.type[4:]}: full IRI, /id/<kind>/<slug> or <kind>/<slug>.",
        }
    else:
        schema = {"type": "string", "pattern": PATTERNS[param.type]}
        if param.type == "xsd:date":
            schema["format"] = "date"
    if param.choices:
        schema["enum"] = [_typed(param, c) for c in param.choices]
    if param.default is not None:
        schema["default"] = _typed(param, param.default)
    if param.sample is not None:
        schema["examples"] = [_typed(param, param.sample)]
    return schema


def _typed(param: Param, value: str) -> Any:
    if param.type == "xsd:integer":
        return int(value)
    if param.type == "xsd:boolean":
        return value == "true"
    return value


def _parameter(param: Param) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": param.name,
        "in": "query",
        # A required parameter with a default may be left out: the default is bound.
        "required": param.required and param.default is None,
        "description": (param.help + " " if param.help else "") + f"Expected: {param.expected()}.",
        "schema": param_schema(param),
    }
    if param.sample is not None:
        out["example"] = _typed(param, param.sample)
    return out


PAGING = [
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": "Rows per page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    },
    {
        "name": "offset",
        "in": "query",
        "required": False,
        "description": "Rows to skip.",
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
    },
]


def _operation(query: SavedQuery) -> dict[str, Any]:
    params = [_parameter(p) for p in query.params] + (PAGING if query.paged else [])
    error = {"content": {formats.JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {
        "operationId": "query_" + query.name.replace("-", "_"),
        "summary": query.title,
        "description": (query.description + "\n\n" if query.description else "")
        + f"The same answer as CSV, TSV, Turtle or SPARQL JSON: `/queries/{query.name}.csv`, `.tsv`, "
        f"`.ttl`, `.srj`. The query's RDF description: `/id/query/{query.name}`.",
        "tags": ["saved queries"],
        "parameters": params,
        "responses": {
            "200": {
                "description": "One page of the answer.",
                "content": {formats.JSON: {"schema": {"$ref": "#/components/schemas/Page"}}},
            },
            "400": {"description": "A parameter does not fit its type; `parameter` names it.", **error},
            "503": {"description": "The query ran out of time or the store is unavailable.", **error},
        },
    }


def openapi_document(
    queries: Sequence[SavedQuery], title: str, version: str, server_url: str | None = None
) -> dict[str, Any]:
    """Build the OpenAPI 3.1 document of the saved-query API.

    :param queries: the saved queries, each becoming a GET operation.
    :param server_url: the public root URL, when known (else clients use the document's own origin).
    """
    paths: dict[str, Any] = {
        "/queries.json": {
            "get": {
                "operationId": "list_queries",
                "summary": "List the saved queries",
                "tags": ["saved queries"],
                "responses": {
                    "200": {
                        "description": "Every saved query with its parameters.",
                        "content": {formats.JSON: {"schema": {"$ref": "#/components/schemas/QueryList"}}},
                    }
                },
            }
        },
    }
    for query in queries:
        paths[f"/queries/{query.name}.json"] = {"get": _operation(query)}
    paths.update(_linkset_paths())
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": "Named, parameterised questions over the graph of visits received by the "
            "Presidential Library. Parameters are bound as typed RDF terms, never pasted "
            "into the SPARQL text.",
        },
        "paths": paths,
        "components": {
            "schemas": {
                "Page": PAGE_SCHEMA,
                "Error": ERROR_SCHEMA,
                "QueryList": LIST_SCHEMA,
                "Linkset": LINKSET_SCHEMA,
                "Contributed": CONTRIBUTED_SCHEMA,
            },
            "securitySchemes": {
                "writeToken": {"type": "http", "scheme": "bearer", "description": "The server's `write_token` setting."}
            },
        },
    }
    if server_url:
        doc["servers"] = [{"url": server_url}]
    return doc
