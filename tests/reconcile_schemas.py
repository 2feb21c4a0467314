"""The W3C reconciliation API's JSON Schemas (tests/data/reconciliation-schemas/, versions 0.2 and 1.0 draft),
shared by the reconciliation tests in tests/unit/linking/ and tests/system/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMAS = Path(__file__).parent / "data" / "reconciliation-schemas"
PERSON = "http://schema.org/Person"
ORG = "http://schema.org/Organization"


def _registry(version: str) -> tuple[Registry, dict[str, Any]]:
    registry: Registry = Registry()
    by_name = {}
    for path in sorted((SCHEMAS / version).glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        by_name[path.stem] = contents
        registry = registry.with_resource(contents["$id"].rstrip("#"), Resource(contents, DRAFT7))
    return registry.crawl(), by_name


REGISTRIES = {v: _registry(v) for v in ("0.2", "1.0-draft")}


def assert_valid(version: str, schema: str, instance: Any) -> None:
    """Validate `instance` against one of the specification's schemas, listing every error."""
    registry, by_name = REGISTRIES[version]
    errors = list(Draft7Validator(by_name[schema], registry=registry).iter_errors(instance))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
