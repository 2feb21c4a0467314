"""A small SPARQL tokenizer: enough to find keywords and braces outside strings, IRIs and comments.

Comments end at CR or LF and one-line strings hold neither, as in the SPARQL grammar (and Oxigraph).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import NamedTuple

import pyoxigraph as ox

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\ufffd]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_-]*(?::[^\s{}()<>,;.]*)?|:[^\s{}()<>,;]*)
  | (?P<punct>[{}()])
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):
    """One lexical token of a query: its kind, text and offset (a named tuple: the guards make
    dozens per request, and a tuple is made faster than a frozen dataclass)."""

    kind: str
    text: str
    start: int


def tokenize(query: str) -> Iterator[Token]:
    """Split a SPARQL text into tokens (comments, strings, IRIs, variables, words, braces, other).

    >>> [t.text for t in tokenize('SELECT * { ?s <p> "a { b" } # }')]
    ['SELECT', '*', '{', '?s', '<p>', '"a { b"', '}', '# }']
    """
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        yield Token(kind, m.group(), m.start())


def code_matches(view: str) -> Iterator[re.Match[str]]:
    """Yield the tokens of a text as match objects, comments left out: one tokenizer pass, read lazily.

    Match objects, not :class:`Token`: 1 MB of tokens took 2 CPU seconds more as named tuples.

    >>> [m.group() for m in code_matches("ASK { } # done")]
    ['ASK', '{', '}']
    """
    return (m for m in _TOKEN.finditer(view) if m.lastgroup != "comment")


def where_brace(query: str) -> int | None:
    """Return the offset of the `{` that opens the query's WHERE clause, or None.

    >>> q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    >>> q[where_brace(q):]
    '{ ?s ?p ?o }'
    >>> q = "PREFIX a: <x:> SELECT ?s { ?s ?p ?o }"
    >>> q[where_brace(q):]
    '{ ?s ?p ?o }'
    """
    form = None
    depth = 0
    for tok in tokenize(query):
        upper = tok.text.upper()
        if tok.kind == "word" and form is None and upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            form = upper
            continue
        if form is None:
            continue
        if tok.kind == "word" and upper == "WHERE" and depth == 0:
            form = "WHERE"
            continue
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.text == "{" and depth == 0:
            if form == "CONSTRUCT":
                form = "TEMPLATE"
                depth = 1
                continue
            return tok.start
        elif tok.text == "}" and form == "TEMPLATE":
            depth -= 1
            if depth == 0:
                form = "CONSTRUCT-DONE"
        elif tok.text == "{" and form == "TEMPLATE":
            depth += 1
    return None


def has_dataset_clause(query: str) -> bool:
    """Say whether a query names its own dataset (`FROM` / `FROM NAMED` before its WHERE clause).

    >>> has_dataset_clause("SELECT * FROM NAMED <http://g> { GRAPH ?g { ?s ?p ?o } }")
    True
    >>> has_dataset_clause('SELECT * { ?s ?p "FROM <x>" } # FROM <y>')
    False
    """
    if "from" not in query.lower():
        return False  # the common case, without the tokenizer
    brace = where_brace(query)
    for tok in tokenize(query):
        if brace is not None and tok.start >= brace:
            return False
        if tok.kind == "word" and tok.text.upper() == "FROM":
            return True
    return False


def inject_values(query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode]) -> str:
    """Bind variables by a `VALUES` block opening the WHERE clause (for servers without SEP-0007).

    The terms are written by pyoxigraph in N-Triples syntax, so a value can never end the
    block early: it stays one RDF term.

    >>> inject_values("SELECT ?n WHERE { ?s ?p ?n }", {"s": ox.NamedNode("http://e/x")})
    'SELECT ?n WHERE { VALUES (?s) { (<http://e/x>) } ?s ?p ?n }'
    """
    if not bindings:
        return query
    brace = where_brace(query)
    if brace is None:
        raise ValueError("cannot find the WHERE clause to bind parameters in")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f"{query[: brace + 1]} VALUES ({names}) {{ ({terms}) }}{query[brace + 1 :]}"


def iris_after(query: str, keywords: tuple[str, ...]) -> list[tuple[str, str]]:
    """List `(keyword, target)` pairs where a keyword (e.g. SERVICE, LOAD) is followed by an IRI or name.

    >>> iris_after('SELECT * { SERVICE SILENT <http://x/> { ?s ?p ?o } } # SERVICE <y>', ("SERVICE",))
    [('SERVICE', '<http://x/>')]
    """
    out = []
    pending: str | None = None
    for tok in tokenize(query):
        if tok.kind in ("comment",):
            continue
        upper = tok.text.upper()
        if pending is not None:
            if tok.kind == "word" and upper == "SILENT":
                continue
            out.append((pending, tok.text))
            pending = None
            continue
        if tok.kind == "word" and upper in keywords:
            pending = upper
    if pending is not None:
        out.append((pending, ""))
    return out


def aggregate_columns(query: str, functions: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """Each call of one of `functions` (upper case) outside comments and strings, with the variable ``AS``
    binds it to right after its closing parenthesis (None when none does).

    >>> aggregate_columns('SELECT (GROUP_CONCAT(?n; separator=", ") AS ?ns) (sample(?x) AS ?one) { }', ("GROUP_CONCAT", "SAMPLE"))
    [('GROUP_CONCAT', 'ns'), ('SAMPLE', 'one')]
    >>> aggregate_columns("SELECT * { ?s ?p ?o } # GROUP_CONCAT(?o) AS ?x", ("GROUP_CONCAT",))
    []
    """
    tokens = [(m.lastgroup, m.group()) for m in code_matches(query)]
    found: list[tuple[str, str | None]] = []
    for at, (kind, text) in enumerate(tokens):
        if kind != "word" or text.upper() not in functions or tokens[at + 1 : at + 2] != [("punct", "(")]:
            continue
        depth, end = 0, len(tokens)
        for end in range(at + 1, len(tokens)):
            depth += {"(": 1, ")": -1}.get(tokens[end][1], 0) if tokens[end][0] == "punct" else 0
            if depth == 0:
                break
        after = tokens[end + 1 : end + 3]
        named = len(after) == 2 and after[0][1].upper() == "AS" and after[1][0] == "var"
        found.append((text.upper(), after[1][1][1:] if named else None))
    return found
