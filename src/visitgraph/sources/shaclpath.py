"""The fast SHACL engine's property paths, written as validate.py writes pyshacl's path nodes (decision 0033).

Split out of :mod:`visitgraph.sources.shacl_engine` (decision 0049), which maps every result's path through it.
"""

from __future__ import annotations

from visitgraph.core import vocab


def path_text(sparql_path: str) -> str:
    """Write the engine's SPARQL property path as validate.py writes pyshacl's path nodes.

    >>> path_text("<http://schema.org/name>")
    'http://schema.org/name'
    >>> path_text("^<https://w3id.org/visitgraph/ontology#outcome>")
    '^https://w3id.org/visitgraph/ontology#outcome'
    >>> path_text("(<http://schema.org/address>/<http://schema.org/addressCountry>)")
    'schema:address/schema:addressCountry'
    >>> path_text("(<http://schema.org/knows>)*")
    '(complex path)'
    """
    tree, rest = _parse_path(sparql_path.strip())
    return _render(tree) if not rest.strip() else "(complex path)"


_Path = tuple[str, object]


def _parse_path(text: str) -> tuple[_Path, str]:
    """Parse a SPARQL path: ("iri", str) | ("inv", path) | ("seq", [paths]) | ("other", None)."""
    items: list[_Path] = []
    alternative = False
    while True:
        item, text = _parse_unary(text)
        items.append(item)
        text = text.lstrip()
        if text.startswith("/"):
            text = text[1:]
        elif text.startswith("|"):
            alternative, text = True, text[1:]
        else:
            break
    if alternative:
        return ("other", None), text
    return (items[0] if len(items) == 1 else ("seq", items)), text


def _parse_unary(text: str) -> tuple[_Path, str]:
    text = text.lstrip()
    if text.startswith("^"):
        inner, text = _parse_unary(text[1:])
        item: _Path = ("inv", inner)
    elif text.startswith("<"):
        end = text.index(">")
        item, text = ("iri", text[1:end]), text[end + 1 :]
    elif text.startswith("("):
        item, text = _parse_path(text[1:])
        text = text.lstrip()
        if not text.startswith(")"):
            return ("other", None), ""
        text = text[1:]
    else:
        return ("other", None), ""
    if text[:1] in ("*", "+", "?"):
        return ("other", None), text[1:]
    return item, text


def _render(path: _Path) -> str:
    kind, value = path
    if kind == "iri":
        return str(value)
    if kind == "inv":
        return "^" + _render(value)  # type: ignore[arg-type]
    if kind == "seq":
        return "/".join(vocab.shorten(_render(p)) for p in value)  # type: ignore[attr-defined]
    return "(complex path)"
