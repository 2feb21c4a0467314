"""Decode JSON from strangers with bounds: nesting depth, finite numbers, well-formed strings.

The standard library's :func:`json.loads` recurses once per nesting level (20,000 ``[`` raise
``RecursionError``, which is no ``ValueError``), turns ``1e400`` into ``inf``, accepts
``NaN``/``Infinity`` and keeps lone surrogates (``"\\ud800"``) that fail later, when the
value is encoded. :func:`loads` refuses all of these with one :class:`BadParameter` naming
the field, so a request handler answers 400 instead of 500.
"""

from __future__ import annotations

import json
import math
from typing import Any

from visitgraph.core.bounded import json_depth
from visitgraph.core.errors import BadParameter

MAX_DEPTH = 32


def _refuse_constant(name: str) -> Any:
    def refuse(token: str) -> Any:
        raise ValueError(f"{token} is not a JSON number")

    return refuse


def _finite(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise ValueError(f"the number {token[:40]} is out of range")
    return value


def _check_strings(value: Any, name: str) -> None:
    """Refuse lone surrogates anywhere in a decoded value (keys included); iterative, no recursion."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as e:
                raise BadParameter(
                    name, f"`{name}` holds a lone surrogate ({item[e.start : e.end]!a}); send well-formed UTF-8 text."
                ) from e


def loads(raw: str | bytes, name: str, max_depth: int = MAX_DEPTH) -> Any:
    """Decode one JSON value sent as parameter (or body) `name`.

    :param max_depth: deepest nesting of arrays and objects accepted.
    :raises BadParameter: on syntax errors, nesting past `max_depth`, NaN, Infinity, numbers out of
        the float range, and lone surrogates — the message says which.

    >>> loads('{"limit": 3}', "queries")
    {'limit': 3}
    """
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise BadParameter(name, f"`{name}` is not UTF-8 text ({e}).") from e
    if json_depth(raw) > max_depth:  # the one depth scan (core.bounded), linear on any text
        raise BadParameter(name, f"`{name}` nests arrays/objects deeper than {max_depth} levels; send a flatter value.")
    try:
        value = json.loads(raw, parse_float=_finite, parse_constant=_refuse_constant(name))
    except ValueError as e:
        raise BadParameter(name, f"`{name}` is not valid JSON ({e}); send a JSON object.") from e
    _check_strings(value, name)
    return value
