"""Bounded parsing of what strangers send: nesting depth of JSON, JSON-LD, XML and SPARQL, and no XML entities.

Parsers recurse: a body nested a few thousand deep overflows a native stack (a crash, not an
error) or Python's recursion limit (a 500), and RDF/XML with nested internal entities ("billion
laughs") grows without bound. Every body is therefore measured by a flat scan before a parser
sees it, and answered 400 naming the limit. :func:`loads_json` is the bounded JSON loader for
any view that reads JSON; :func:`check_sparql` guards every SPARQL text handed to Oxigraph
(5,000 nested groups kill the process with SIGSEGV, pyoxigraph 0.5).
"""

from __future__ import annotations

import heapq
import json
import re
from typing import Any
from xml.parsers import expat

from visitgraph.core.errors import VisitgraphError

#: Default deepest nesting accepted (the `max_depth` setting).
DEFAULT_MAX_DEPTH = 200
_STRUCTURAL = re.compile(r'[\[\]{}"]')


class InputTooDeep(VisitgraphError):
    """A body nests deeper than the `max_depth` setting, or declares XML entities."""

    status = 400


def _as_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data


def json_depth(data: bytes | str) -> int:
    r"""Return the deepest nesting of arrays and objects in a JSON text, without parsing it.

    One pass over the text, skipping strings (a stray closer never counts below zero). A regular
    expression for the strings backtracked: a string of 80,000 escaped quotes that never ends took
    4 minutes of CPU holding the interpreter lock; this scan is linear whatever the input.

    >>> json_depth('{"a": [1, {"b": "[[[["}]}'), json_depth("7"), json_depth(r'"\\" ['), json_depth(r'"\" [')
    (3, 0, 1, 0)
    """
    text = data.decode("utf-8", "surrogatepass") if isinstance(data, bytes) else data
    depth = deepest = 0
    position, end = 0, len(text)
    while True:  # jump from one structural character to the next; strings are skipped whole
        found = _STRUCTURAL.search(text, position)
        if found is None:
            return deepest
        char = found.group()
        position = found.end()
        if char == '"':
            while True:  # find the closing quote: a quote preceded by an even number of backslashes
                close = text.find('"', position)
                if close < 0:
                    return deepest
                between = text[position:close]
                backslashes = len(between) - len(between.rstrip("\\"))
                position = close + 1
                if backslashes % 2 == 0:
                    break
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
        if position >= end:
            return deepest


def check_json(data: bytes | str, what: str, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Refuse JSON (or JSON-LD) nested deeper than `max_depth`.

    :raises InputTooDeep: naming `what`, the depth found and the setting.
    """
    found = json_depth(data)
    if found > max_depth:
        raise InputTooDeep(
            f"The {what} nests {found} levels deep; the limit is {max_depth} (setting max_depth). Send flatter JSON."
        )


def loads_json(data: bytes | str, what: str = "JSON body", max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Parse JSON after checking its depth (the bounded JSON loader).

    :raises InputTooDeep: nested deeper than `max_depth`.
    :raises ValueError: not JSON (as :func:`json.loads`).
    """
    check_json(data, what, max_depth)
    return json.loads(data)


class _XmlRefused(Exception):
    pass


def check_xml(data: bytes | str, what: str, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Refuse XML that declares entities (no expansion, internal or external) or nests too deep.

    The document is read by expat with every handler cheap; a malformed document is left to the
    real parser, which reports it with its position.

    :raises InputTooDeep: naming `what` and what was refused.
    """
    parser = expat.ParserCreate()
    depth = [0]

    def entity(name: str, *_: Any) -> None:
        raise _XmlRefused(
            f"The {what} declares the XML entity {name!r}; entity declarations are refused "
            "(they can expand without bound). Write the text out instead."
        )

    def start(*_: Any) -> None:
        depth[0] += 1
        if depth[0] > max_depth:
            raise _XmlRefused(
                f"The {what} nests elements more than {max_depth} levels deep; the limit is "
                f"{max_depth} (setting max_depth)."
            )

    def end(*_: Any) -> None:
        depth[0] -= 1

    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(_as_bytes(data), True)
    except _XmlRefused as e:
        raise InputTooDeep(str(e)) from None
    except expat.ExpatError:
        return


def check_rdf(data: bytes | str, format_name: str, what: str, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Check an RDF body before parsing: JSON-LD by :func:`check_json`, RDF/XML by :func:`check_xml`.

    :param format_name: a pyoxigraph `RdfFormat` name or media type (anything naming JSON-LD or XML).
    """
    lowered = format_name.lower()
    if "json" in lowered:
        check_json(data, what, max_depth)
    elif "xml" in lowered:
        check_xml(data, what, max_depth)


_SPARQL_TOKEN = re.compile(
    r"""
    (?P<skip>'''(?:[^'\\]|\\.|'(?!''))*''' | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\r\n]|\\.)*' | "(?:[^"\\\r\n]|\\.)*"
      | \\.)
  | (?P<comment>\#)
  | (?P<lt><)
  | (?P<open>[{(\[])
  | (?P<close>[})\]]|>>)
    """,
    re.VERBOSE | re.DOTALL,
)
_IRI = re.compile(r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>")
#: What makes an IRI's text read differently as code ("less than"): without these both readings agree.
_CODE_IN_IRI = re.compile(r"[#'\\()\[\]]")
_LINE_END = re.compile(r"[\r\n]")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: Readings of a text followed at once before :func:`sparql_depth` falls back to counting every opener.
_MAX_READINGS = 32


def sparql_depth(text: str) -> int:
    r"""Return the deepest nesting of a SPARQL text, without parsing it: groups ``{}``, parentheses,
    brackets and triple terms ``<< >>``, outside comments, strings and IRIs.

    Linear in the text, as :func:`json_depth`. A ``<`` opens an IRI, a triple term or is "less than"
    (``FILTER(1<CONCAT('>'))`` holds no IRI), which only the grammar can tell; every reading is
    followed, side by side, and the deepest wins (readings at the same place merge), so no reading
    hides an opener the parser sees. A ``\`` outside strings escapes one character (``ex:a\(``).
    Codepoint escapes (``\u007B``) are measured decoded too, as the SPARQL grammar decodes them.

    >>> sparql_depth('SELECT * { { ?s ?p "{{{" } FILTER((1)) } # {{{')
    3
    >>> sparql_depth("SELECT * { ?s <http://x/#(> ?o FILTER(?a<CONCAT('>')) }"), sparql_depth("ASK {}}}{")
    (3, 1)
    """
    views = [text]
    if "\\u" in text or "\\U" in text:
        decoded = _CODEPOINT.sub(_codepoint, text)
        if decoded != text:
            views.append(decoded)
    return max(_view_depth(view) for view in views)


def _codepoint(m: re.Match[str]) -> str:
    code = int(m.group(1) or m.group(2), 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)


def _view_depth(text: str) -> int:
    """Follow every reading of `text` one token at a time, the one furthest behind first."""
    depth_at = {0: 0}  # where each open reading stands -> its depth (readings at one place merge)
    waiting = [0]
    deepest = 0
    line = (0, -1)  # the last comment's start and its line's end: many readings meet comments on one line
    while waiting:
        if len(depth_at) > _MAX_READINGS:
            return max(deepest, _openers(text))  # an upper bound: every level needs an opener
        position = heapq.heappop(waiting)
        depth = depth_at.pop(position)
        found = _SPARQL_TOKEN.search(text, position)
        if found is None:
            continue
        kind, start = found.lastgroup, found.start()
        after = [(found.end(), depth + (kind == "open"))]
        if kind == "close":
            after = [(found.end(), max(0, depth - 1))]
        elif kind == "comment":
            if not line[0] <= start <= line[1]:  # a search per reading would be quadratic on one long line
                end = _LINE_END.search(text, start)
                line = (start, len(text) if end is None else end.start())
            after = [(line[1], depth)]
        elif kind == "lt":  # "less than", and maybe an IRI or a triple term too
            iri = _IRI.match(text, start)
            if iri is not None:
                after = [(iri.end(), depth)] + (after if _CODE_IN_IRI.search(text, start, iri.end()) else [])
            if text.startswith("<<", start):
                after.append((start + 2, depth + 1))
        for place, level in after:
            deepest = max(deepest, level)
            if place in depth_at:
                depth_at[place] = max(depth_at[place], level)
            else:
                depth_at[place] = level
                heapq.heappush(waiting, place)
    return deepest


def _openers(text: str) -> int:
    return sum(text.count(c) for c in "{([") + text.count("<<")


def check_sparql(text: str, what: str, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Refuse SPARQL nested deeper than `max_depth` before Oxigraph parses it (its parser recurses).

    :param what: the subject of the message: ``"The query"``, or the file (``queries/deep.rq``).
    :raises InputTooDeep: naming `what`, the depth found and the setting.
    """
    if _openers(text) + text.count("\\") <= max_depth:
        return  # cannot nest deeper than it has openers (the common case, without the scan)
    found = sparql_depth(text)
    if found > max_depth:
        raise InputTooDeep(
            f"{what} nests {found} groups or expressions deep; the limit is {max_depth} "
            "(setting max_depth). Write it flatter."
        )
