"""Check reconciliation requests before any matching: types, counts and the size of every field.

A batch is refused as a whole (400 naming the query and the field) when a value has the wrong
JSON type or is longer than its cap, so the matcher only ever sees short strings and the work
of one request is bounded by ``MAX_BATCH`` × ``MAX_PROPERTIES`` × ``MAX_TEXT``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from visitgraph.core.errors import BadParameter

MAX_BATCH = 500
MAX_LIMIT = 100
#: Longest name or property value matched (characters); real names are far shorter.
MAX_TEXT = 500
#: Longest id, type or property id (characters).
MAX_ID = 300
#: Most properties (0.2) or conditions (1.0) in one query, and most values of one property.
MAX_PROPERTIES = 20
MAX_VALUES = 20
#: Most types one query may filter on.
MAX_TYPES = 10


def text(value: Any, field: str, cap: int = MAX_TEXT, param: str = "queries") -> str:
    """Return `value` as a string of at most `cap` characters (numbers become their JSON text).

    :raises BadParameter: for objects, lists, null and strings past the cap.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str):
        raise BadParameter(param, f"{field} must be a string, got {type(value).__name__}.")
    if len(value) > cap:
        raise BadParameter(param, f"{field} is {len(value)} characters long; at most {cap} are matched.")
    return value


def limit(value: Any, field: str, default: int = 5, param: str = "queries") -> int:
    """Return a result limit clamped to 0..MAX_LIMIT (a JSON integer or a string of ASCII digits).

    :raises BadParameter: for floats, booleans, other types and digits with anything else.
    """
    if value is None:
        return default
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadParameter("limit", f"{field}: limit must be a whole number from 0 to {MAX_LIMIT}, got {value!r:.40}.")
    return max(0, min(MAX_LIMIT, value))


def types(value: Any, field: str) -> str | list[str] | None:
    """Return a query's `type` (one id or a list of ids), checked."""
    if value is None or value == "":
        return None
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_TYPES:
        raise BadParameter("queries", f"{field}.type lists {len(items)} types; at most {MAX_TYPES}.")
    for i, t in enumerate(items):
        if not isinstance(t, str):
            raise BadParameter("queries", f"{field}.type[{i}] must be a type id (a string), got {t!r:.40}.")
        text(t, f"{field}.type", MAX_ID)
    return items if isinstance(value, list) else value


def value(raw: Any, field: str) -> Any:
    """Return a property value: a string, or ``{"id", "name"}`` of a referenced entity, or a list of them."""
    if isinstance(raw, list):
        if len(raw) > MAX_VALUES:
            raise BadParameter("queries", f"{field} has {len(raw)} values; at most {MAX_VALUES}.")
        if any(isinstance(v, list) for v in raw):
            raise BadParameter("queries", f"{field} must be a value or a list of values, not a list of lists.")
        return [value(v, f"{field}[{i}]") for i, v in enumerate(raw)]
    if isinstance(raw, Mapping):
        out = {}
        if raw.get("id") is not None and not isinstance(raw["id"], str):
            raise BadParameter("queries", f"{field}.id must be an entity id (a string), got {raw['id']!r:.40}.")
        for key in ("id", "name", "str", "date", "float", "int", "bool"):
            if raw.get(key) is not None:
                out[key] = text(raw[key], f"{field}.{key}", MAX_ID if key == "id" else MAX_TEXT)
        if "id" not in out and "name" not in out:
            found = next((out[k] for k in ("str", "date", "float", "int", "bool") if k in out), None)
            if found is None:
                raise BadParameter("queries", f"{field} must be a string or an object with `id` or `name`.")
            return found
        return out
    if raw is None:
        return None
    return text(raw, field)


def properties_v02(raw: Any, field: str) -> list[dict[str, Any]]:
    """Return the checked ``properties`` of an API 0.2 query as ``{"pid", "v"}`` mappings."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise BadParameter("queries", f'{field}.properties must be a list of {{"pid", "v"}} objects.')
    if len(raw) > MAX_PROPERTIES:
        raise BadParameter("queries", f"{field}.properties has {len(raw)} entries; at most {MAX_PROPERTIES}.")
    out = []
    for i, p in enumerate(raw):
        where = f"{field}.properties[{i}]"
        if not isinstance(p, Mapping):
            raise BadParameter("queries", f'{where} must be an object {{"pid": ..., "v": ...}}.')
        pid = p.get("pid", p.get("propertyId"))
        out.append(
            {
                "pid": text(pid, f"{where}.pid", MAX_ID) if pid is not None else None,
                "v": value(p.get("v", p.get("propertyValue")), f"{where}.v"),
            }
        )
    return out


def query_v02(key: str, q: Any) -> dict[str, Any]:
    """Return one checked API 0.2 query ``{"query", "type", "limit", "properties"}``."""
    field = f"query {key!r:.60}"
    if len(key) > MAX_ID:
        raise BadParameter("queries", f"query key of {len(key)} characters; at most {MAX_ID}.")
    if isinstance(q, str):
        q = {"query": q}
    if not isinstance(q, Mapping):
        raise BadParameter("queries", f"{field} must be an object with a string `query`.")
    name = q.get("query", "")
    if not isinstance(name, str):
        raise BadParameter("queries", f"{field} must be an object with a string `query`.")
    return {
        "query": text(name, f"{field}.query"),
        "type": types(q.get("type"), field),
        "limit": limit(q.get("limit"), field),
        "properties": properties_v02(q.get("properties"), field),
    }


def batch_v02(batch: Any) -> dict[str, dict[str, Any]]:
    """Return a checked API 0.2 batch ``{key: query}``.

    :raises BadParameter: when the batch or any field of any query is malformed or too long.
    """
    if not isinstance(batch, Mapping) or len(batch) > MAX_BATCH:
        raise BadParameter("queries", f"`queries` must be a JSON object of at most {MAX_BATCH} queries.")
    return {str(key): query_v02(str(key), q) for key, q in batch.items()}


def condition_v1(c: Any, where: str) -> dict[str, Any]:
    """Return one checked 1.0-draft condition ``{matchType, propertyId?, propertyValue, required?}``."""
    if not isinstance(c, Mapping):
        raise BadParameter("queries", f"{where} must be an object with `matchType` and `propertyValue`.")
    kind = text(c.get("matchType", ""), f"{where}.matchType", 20)
    pid = c.get("propertyId")
    required = c.get("required", False)
    if not isinstance(required, bool):
        raise BadParameter("queries", f"{where}.required must be true or false.")
    return {
        "matchType": kind,
        "propertyId": text(pid, f"{where}.propertyId", MAX_ID) if pid is not None else None,
        "propertyValue": value(c.get("propertyValue"), f"{where}.propertyValue"),
        "required": required,
    }


def batch_v1(body: Any) -> list[dict[str, Any]]:
    """Return the checked queries of a 1.0-draft batch ``{"queries": [{"type", "limit", "conditions"}]}``.

    :raises BadParameter: when the batch or any field of any query is malformed or too long.
    """
    queries = body.get("queries") if isinstance(body, Mapping) else None
    if not isinstance(queries, list) or len(queries) > MAX_BATCH:
        raise BadParameter("queries", f'Send {{"queries": [...]}} with at most {MAX_BATCH} queries.')
    out = []
    for i, q in enumerate(queries):
        conditions = q.get("conditions") if isinstance(q, Mapping) else None
        if not isinstance(conditions, list):
            raise BadParameter("queries", f"query {i} needs a list of `conditions`.")
        if len(conditions) > MAX_PROPERTIES:
            raise BadParameter("queries", f"query {i} has {len(conditions)} conditions; at most {MAX_PROPERTIES}.")
        assert isinstance(q, Mapping)
        out.append(
            {
                "type": types(q.get("type"), f"query {i}"),
                "limit": limit(q.get("limit"), f"query {i}"),
                "conditions": [condition_v1(c, f"query {i} condition {j}") for j, c in enumerate(conditions)],
            }
        )
    return out


def ids(raw: Any, field: str = "ids") -> list[str]:
    """Return a checked list of entity ids (data extension)."""
    if not isinstance(raw, list) or len(raw) > MAX_BATCH:
        raise BadParameter("extend", f"`{field}` must be a list of at most {MAX_BATCH} ids.")
    return [text(v, f"{field}[{i}]", MAX_ID, "extend") for i, v in enumerate(raw)]
