"""Keep strangers' SPARQL off the network: find every `SERVICE` and `LOAD` target before running.

pyoxigraph ships an HTTP client, so `SERVICE <http://internal/…>` in a query or `LOAD <…>` in an
update would make the server fetch any URL (server-side request forgery). This module finds
their targets with a tokenizer that skips strings, comments and IRIs in other positions, and
refuses every target that is not, after resolving prefixes and the base IRI, under a prefix of
the configured allow-list. Because the SPARQL grammar lets `\\uXXXX` escapes appear anywhere,
the text is scanned twice — as written and with the escapes decoded — and a target found in
either view must be allowed: whichever way the parser reads the text, nothing slips through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urljoin

from visitgraph.errors import BadQuery
from visitgraph.sparqltext import Token, tokenize

NETWORK_KEYWORDS = ("SERVICE", "LOAD")
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_codepoints(text: str) -> str:
    r"""Decode SPARQL's `\uXXXX` / `\UXXXXXXXX` escapes everywhere, as the grammar's first step does.

    >>> unescape_codepoints(r"\u0053ERVICE")
    'SERVICE'
    """
    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _ESCAPE.sub(repl, text)


def _views(text: str) -> list[str]:
    decoded = unescape_codepoints(text)
    return [text] if decoded == text else [text, decoded]


def _code_tokens(text: str) -> Iterator[Token]:
    return (t for t in tokenize(text) if t.kind != "comment")


def operation_kind(text: str) -> str | None:
    """Return the query form (SELECT, ASK, CONSTRUCT, DESCRIBE), "UPDATE", or None if neither.

    >>> operation_kind("PREFIX s: <http://schema.org/> # SELECT\\nconstruct { ?s ?p ?o } {}")
    'CONSTRUCT'
    >>> operation_kind("BASE <x:> INSERT DATA { <a> <b> <c> }")
    'UPDATE'
    """
    for tok in _code_tokens(unescape_codepoints(text)):
        if tok.kind == "iri" or (tok.kind == "word" and ":" in tok.text):
            continue
        upper = tok.text.upper()
        if tok.kind == "word" and upper in ("PREFIX", "BASE"):
            continue
        if upper in QUERY_FORMS:
            return upper
        if upper in UPDATE_WORDS:
            return "UPDATE"
        return None
    return None


def _resolve(target: Token, prefixes: dict[str, str], base: str | None) -> str | None:
    if target.kind == "iri":
        iri = target.text[1:-1]
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri):
            return iri
        return urljoin(base, iri) if base else None
    if target.kind == "word" and ":" in target.text:
        prefix, _, local = target.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None


def network_targets(text: str, base_iri: str | None = None) -> list[tuple[str, str | None]]:
    """List `(keyword, resolved IRI or None)` for every SERVICE and LOAD in a query or update.

    A target that is a variable, an unknown prefix or a relative IRI without a base is None.

    >>> network_targets('PREFIX e: <http://e.org/> SELECT * { SERVICE SILENT e:x { ?s ?p ?o } } # LOAD <y>')
    [('SERVICE', 'http://e.org/x')]
    >>> network_targets('SELECT * { ?s ?p "SERVICE <http://x/>" }')
    []
    """
    found: list[tuple[str, str | None]] = []
    lowered = text.lower()
    if "\\u" not in lowered and not any(word.lower() in lowered for word in NETWORK_KEYWORDS):
        return found  # no keyword can hide in this text: skip the tokenizer (every query passes here)
    for view in _views(text):
        tokens = list(_code_tokens(view))
        prefixes: dict[str, str] = {}
        base = base_iri
        for i, tok in enumerate(tokens):
            upper = tok.text.upper() if tok.kind == "word" else ""
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if upper == "PREFIX" and nxt is not None and i + 2 < len(tokens) and tokens[i + 2].kind == "iri":
                resolved = _resolve(tokens[i + 2], prefixes, base)
                if resolved is not None:
                    prefixes[nxt.text.rstrip(":")] = resolved
            elif upper == "BASE" and nxt is not None and nxt.kind == "iri":
                base = _resolve(nxt, prefixes, base) or base
            elif upper in NETWORK_KEYWORDS:
                j = i + 1
                while j < len(tokens) and tokens[j].kind == "word" and tokens[j].text.upper() == "SILENT":
                    j += 1
                target = tokens[j] if j < len(tokens) else None
                found.append((upper, _resolve(target, prefixes, base) if target is not None else None))
    return list(dict.fromkeys(found))


def allowed(iri: str | None, allowlist: Iterable[str]) -> bool:
    """Say whether a resolved target IRI starts with an allow-list entry.

    >>> allowed("https://query.wikidata.org/sparql", ["https://query.wikidata.org/"]), allowed(None, ["x"])
    (True, False)
    """
    return iri is not None and any(entry and iri.startswith(entry) for entry in allowlist)


def check_network(text: str, allowlist: Iterable[str], base_iri: str | None = None) -> None:
    """Refuse a query or update that would make the server reach a target off the allow-list.

    :raises BadQuery: naming the first refused target and how to get the data instead.
    """
    entries = tuple(allowlist)
    for keyword, iri in network_targets(text, base_iri):
        if not allowed(iri, entries):
            shown = f"<{iri}>" if iri else "a target that is not a plain IRI"
            hint = (f"Allowed prefixes: {', '.join(entries)}." if entries
                    else "This server reaches no other server on a client's behalf.")
            raise BadQuery(f"{keyword} {shown} is refused: the server does not fetch URLs for clients. {hint} "
                           "Fetch the data yourself and query it locally, or use the dumps under /dumps/.")
