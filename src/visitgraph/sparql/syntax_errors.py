"""Turn the SPARQL parser's error into a message people can act on.

pyoxigraph reports a syntax error as ``error at LINE:COLUMN: expected one of …``, where the list
is the parser's own alternatives (character ranges included). This module keeps the position,
quotes the query line with a caret under it, and says in a plain sentence what the common
mistakes are: an undeclared prefix (naming the prefixes this service knows), a missing `.`
between triple patterns, an unclosed `{` or string, and a misspelled keyword.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from visitgraph.core import vocab
from visitgraph.core.errors import BadQuery

_POSITION = re.compile(r"error at (\d+):(\d+)")
_EXPECTED = re.compile(r"expected (?:one of )?(.*)", re.S)

#: SPARQL 1.1 keywords and built-in function names (a misspelling of one gets a suggestion).
KEYWORDS = frozenset(
    """
    BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED DISTINCT REDUCED AS ORDER BY ASC DESC
    LIMIT OFFSET GROUP HAVING VALUES OPTIONAL UNION MINUS GRAPH SERVICE SILENT FILTER BIND UNDEF
    EXISTS NOT IN LATERAL INSERT DELETE DATA LOAD CLEAR DROP CREATE ADD MOVE COPY TO INTO WITH
    USING DEFAULT ALL STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND
    CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR
    MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512
    COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE
    COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR TRUE FALSE A
""".split()
)

#: Keywords worth suggesting for a misspelling (short ones like AS, BY, IN, A match too much).
_SUGGESTIBLE = sorted(k for k in KEYWORDS if len(k) >= 4)

#: Strings, IRIs, comments, variables and prefixed names: spans that are not bare words. A prefix name is
#: read 128 characters far at most: unbounded, every offset of a run like `a.a.a.…` was read to its end
#: (quadratic; 100 KB took over 40 s of CPU).
_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"?'
    r"|'(?:[^'\\\n]|\\.)*'?|<[^<>\"{}|^`\\\s]*>|#[^\n]*|[?$]\w+|[A-Za-z_][\w.-]{0,127}:[\w.:%-]*|_:[\w.-]+"
    r"|\^\^|@[A-Za-z]+(?:-[A-Za-z0-9]+)*"
)
_WORD = re.compile(r"[A-Za-z_]\w*")
_PREFIX_DECL = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:")
_PREFIXED_NAME = re.compile(r"(?<![\w?$:<])([A-Za-z][\w.-]*)?:(?=[\w%])")


@dataclass(frozen=True)
class SyntaxProblem:
    """What went wrong in a query, and where (1-based line and column)."""

    line: int | None
    column: int | None
    sentence: str
    parser: str

    def excerpt(self, query: str) -> str:
        """Return the offending query line with a caret under the column, numbered."""
        lines = query.split("\n")
        if not query.strip() or self.line is None or not 1 <= self.line <= len(lines):
            return ""
        text = lines[self.line - 1].rstrip("\r").replace("\t", " ")
        number = f"{self.line} | "
        caret = " " * (len(number) - 2) + "| " + " " * max(0, (self.column or 1) - 1) + "^"
        return f"{number}{text}\n{caret}"


def _bare_words(query: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, word) of every bare word outside strings, IRIs, comments, variables and prefixed names."""
    pos = 0
    for m in _SKIP.finditer(query):
        yield from ((pos + w.start(), w.group()) for w in _WORD.finditer(query[pos : m.start()]))
        pos = m.end()
    yield from ((pos + w.start(), w.group()) for w in _WORD.finditer(query[pos:]))


def _line_col(query: str, offset: int) -> tuple[int, int]:
    before = query[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _offset(query: str, line: int, column: int) -> int:
    lines = query.split("\n")
    return sum(len(t) + 1 for t in lines[: line - 1]) + column - 1


#: The suggestible keywords by length: a word of length n can only come within the 0.75 cutoff of a
#: keyword of length k when 2·min(n, k) / (n + k) >= 0.75, so each word is compared with those alone.
_BY_LENGTH = {n: [k for k in _SUGGESTIBLE if 2 * min(n, len(k)) >= 0.75 * (n + len(k))] for n in range(64)}


def _misspelled(query: str) -> tuple[int, str, str] | None:
    tried: set[str] = set()  # each distinct word is compared once (1 MB of one word repeated took 23 s)
    for offset, word in _bare_words(query):
        upper = word.upper()
        if upper in KEYWORDS or len(word) < 3 or upper in tried:
            continue
        tried.add(upper)
        close = difflib.get_close_matches(upper, _BY_LENGTH.get(len(upper), []), n=1, cutoff=0.75)
        if close:
            return offset, word, close[0]
    return None


def _prefixed_names(query: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, prefix) of every prefixed name's `prefix:`, as `_PREFIXED_NAME.finditer` finds them.

    Driven by the colons, so each run of name characters is read once: the regular expression tried every
    offset of a run like `a.a.a.…` to its end (quadratic; 100 KB took over 40 s of CPU).
    """
    for colon in _NAME_COLON.finditer(query):
        c = colon.start()
        run = c
        while run > 0 and _NAME_CHAR.match(query, run - 1):
            run -= 1
        for s in range(run, c + 1):
            if s > 0 and _BEFORE_NAME.match(query, s - 1):
                continue
            if s == c:
                yield c, ""
            elif "a" <= query[s].lower() <= "z" and query[s].isascii():
                yield s, query[s:c]
            else:
                continue
            break


_NAME_COLON = re.compile(r":(?=[\w%])")
_NAME_CHAR = re.compile(r"[\w.-]")
_BEFORE_NAME = re.compile(r"[\w?$:<]")


def _undeclared_prefix(query: str) -> tuple[int, str] | None:
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(query)}
    spans = [(m.start(), m.end(), m.group()) for m in _SKIP.finditer(query)]
    starts = [start for start, _, _ in spans]
    for offset, name in _prefixed_names(query):
        if _inside_skipped(spans, starts, offset):
            continue
        if name not in declared:
            return offset, name
    return None


def _inside_skipped(spans: list[tuple[int, int, str]], starts: list[int], offset: int) -> bool:
    at = bisect.bisect_left(starts, offset) - 1  # the last span that starts before the offset: only it can hold it
    if at < 0:
        return False
    start, end, text = spans[at]
    return start < offset < end and not re.match(r"[A-Za-z_][\w.-]*:", text)


_TOKEN = re.compile(_SKIP.pattern + r"|[^\s.;,{}()]+|[(){}]")


def _missing_dot(query: str, offset: int) -> tuple[int, str] | None:
    """Return (offset, token) just after the third term of a pattern that runs on without `.`, if any."""
    end = offset
    while end > 0 and query[end - 1] in " \t\r\n}":
        end -= 1
    start = max(query.rfind(c, 0, end) for c in ".;{}") + 1
    tokens = list(_TOKEN.finditer(query, start, max(end, offset + 1)))
    if len(tokens) >= 4 and not any(t.group() in "(){}" for t in tokens[:4]):
        third = tokens[2]
        return third.end(), third.group()
    return None


def _unclosed_string(query: str) -> tuple[int, str] | None:
    """Return (offset, quote) of a one-line string with no closing quote, if any."""
    for m in _SKIP.finditer(query):
        text = m.group()
        if text[0] in "\"'" and not text.startswith(('"""', "'''")) and (len(text) < 2 or text[-1] != text[0]):
            return m.start(), text[0]
    return None


def _brace_balance(query: str) -> int:
    text = _SKIP.sub(lambda m: " " * len(m.group()), query)
    return text.count("{") - text.count("}")


def _prefix_sentence(name: str, known: Mapping[str, str]) -> str:
    if name in known:
        return f"the prefix `{name}:` is not declared. Add `PREFIX {name}: <{known[name]}>` at the top of the query."
    listed = ", ".join(f"{p}: <{ns}>" for p, ns in sorted(known.items()))
    return (
        f"the prefix `{name}:` is not declared. Declare it with `PREFIX {name}: <…>` at the top of the query, "
        f"or use one this service knows: {listed}."
    )


def _expected(message: str) -> list[str]:
    m = _EXPECTED.search(message)
    if not m:
        return []
    items = re.findall(r'"((?:[^"\\]|\\.)*)"|\b([A-Z][A-Z_]+)\b', m.group(1))
    return [(a.replace('\\"', '"').replace("\\\\", "\\") if a else b) for a, b in items if (a or b)]


def explain(query: str, message: str, known: Mapping[str, str] | None = None) -> SyntaxProblem:
    """Say what is wrong with a query the parser refused, in a sentence, with its position.

    :param query: the query text as sent.
    :param message: the parser's message (``str()`` of pyoxigraph's ``SyntaxError``).
    :param known: the prefixes this service knows (default: :data:`visitgraph.core.vocab.PREFIXES`).

    >>> explain("SELEC * WHERE { ?s ?p ?o }", "error at 1:10: expected CONSTRUCT").sentence
    '`SELEC` is not a SPARQL keyword; did you mean `SELECT`?'
    """
    known = vocab.PREFIXES if known is None else known
    pos = _POSITION.search(message)
    line, column = (int(pos.group(1)), int(pos.group(2))) if pos else (None, None)
    if "Prefix not found" in message and (found := _undeclared_prefix(query)):
        line, column = _line_col(query, found[0])
        return SyntaxProblem(line, column, _prefix_sentence(found[1], known), message)
    if (wrong := _misspelled(query)) is not None:
        line, column = _line_col(query, wrong[0])
        sentence = f"`{wrong[1]}` is not a SPARQL keyword; did you mean `{wrong[2]}`?"
        return SyntaxProblem(line, column, sentence, message)
    expected = _expected(message)
    at_end = line is not None and column is not None and not query[_offset(query, line, column) :].strip()
    if at_end and (opened := _unclosed_string(query)) is not None:
        line, column = _line_col(query, opened[0])
        return SyntaxProblem(
            line,
            column,
            f"the string that starts here is not closed: add the closing `{opened[1]}` on the same line.",
            message,
        )
    if at_end and _brace_balance(query) > 0:
        n = _brace_balance(query)
        return SyntaxProblem(line, column, f"the query ends before every `{{` is closed: add {n} `}}`.", message)
    if _brace_balance(query) < 0:
        return SyntaxProblem(line, column, "there is a `}` with no `{` before it to close: remove it.", message)
    if line is not None and column is not None and {"OPTIONAL", "BIND"} & set(expected):
        dot = _missing_dot(query, _offset(query, line, column))
        if dot is not None:
            line, column = _line_col(query, dot[0])
            return SyntaxProblem(
                line, column, f"the `.` that ends a triple pattern is missing: add it here, after `{dot[1]}`.", message
            )
    if "." in expected or "OPTIONAL" in expected:
        return SyntaxProblem(
            line,
            column,
            "a triple pattern is not finished, or the `.` that ends the previous "
            "one is missing: each pattern is `subject predicate object .`.",
            message,
        )
    if {"LATERAL", "SERVICE"} & set(expected):
        return SyntaxProblem(
            line,
            column,
            "a triple pattern is incomplete here: each pattern needs a subject, a predicate and an object.",
            message,
        )
    shown = ", ".join(f"`{e}`" for e in expected if e not in ("[_]",))
    sentence = (
        f"the parser expected {shown} here."
        if shown
        else "the query is empty."
        if not query.strip()
        else "the parser could not go on from here."
    )
    return SyntaxProblem(line, column, sentence, message)


def syntax_error(query: str, error: SyntaxError, known: Mapping[str, str] | None = None) -> BadQuery:
    """Return :class:`BadQuery` for a parser error: position, sentence, and the line with a caret.

    :param query: the query text as sent.
    :param error: pyoxigraph's ``SyntaxError`` for it.
    :param known: the prefixes this service knows.
    """
    problem = explain(query, str(error), known)
    where = f" at line {problem.line}, column {problem.column}" if problem.line is not None else ""
    text = f"The query does not parse{where}: {problem.sentence}"
    excerpt = problem.excerpt(query)
    return BadQuery(f"{text}\n{excerpt}" if excerpt else text, problem.line, problem.column)
