"""Keep strangers' SPARQL off the network: find every `SERVICE` and `LOAD` target before running.

pyoxigraph ships an HTTP client, so `SERVICE <http://internal/…>` in a query or `LOAD <…>` in an
update would make the server fetch any URL (server-side request forgery). This module finds
their targets with a tokenizer that skips strings, comments and IRIs in other positions, and
refuses every target that is not, after resolving prefixes and the base IRI, under a prefix of
the configured allow-list. Because the SPARQL grammar lets `\\uXXXX` escapes appear anywhere,
the text is scanned twice — as written and with the escapes decoded — and a target found in
either view must be allowed: whichever way the parser reads the text, nothing slips through.

The tokenizer is one reading of the text; the engine's grammar is another, and wherever the two
could disagree the guard fails closed: :func:`suspect_targets` also looks for the keywords
*everywhere* (inside what the tokenizer takes for comments, strings and IRIs too), ends comments
at LF, at CR/LF and at any line-breaking character in turn, and collects every IRI, prefixed
name or variable that could follow them. Targets are compared after normalisation (scheme and
host case, default ports, percent-escapes of unreserved characters, `.` and `..` segments), on
whole path segments (decision 0014).

Longer than 400 lines because the guard's two readings (the tokenizer's targets and the fail-closed suspect readings) and the IRI normalisation are reviewed together.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import urljoin, urlsplit

from visitgraph.core.errors import BadQuery
from visitgraph.sparql.text import Token, code_matches

NETWORK_KEYWORDS = ("SERVICE", "LOAD")
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


def _token(m: re.Match[str]) -> Token:
    return Token(m.lastgroup or "other", m.group(), m.start())


def views(text: str) -> list[str]:
    """The readings of a text the guard checks: as written and, when it holds escapes, decoded."""
    return _views(text)


def may_reach_network(text: str) -> bool:
    """Say whether a text can hold SERVICE or LOAD at all (the common case, no: skip the tokenizer)."""
    lowered = text.lower()
    return "\\u" in lowered or any(word.lower() in lowered for word in NETWORK_KEYWORDS)


def view_may_reach_network(view: str) -> bool:
    """Say whether one view holds a network keyword (a token whose upper case is one makes the view's hold it)."""
    shouted = view.upper()
    return any(word in shouted for word in NETWORK_KEYWORDS)


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
    (:class:`visitgraph.sparql.analysis.Analysed` reads the same from tokens it shares with the write path.)

    >>> network_targets('PREFIX e: <http://e.org/> SELECT * { SERVICE SILENT e:x { ?s ?p ?o } } # LOAD <y>')
    [('SERVICE', 'http://e.org/x')]
    >>> network_targets('SELECT * { ?s ?p "SERVICE <http://x/>" }')
    []
    """
    if not may_reach_network(text):
        return []  # no keyword can hide in this text: skip the tokenizer (every query passes here)
    # e.g. escapes only: 1 MB of them took 4 CPU seconds to tokenize twice for nothing
    read = [view for view in _views(text) if view_may_reach_network(view)]
    return targets_in([list(code_matches(view)) for view in read], base_iri)


def targets_in(token_views: Iterable[Sequence[re.Match[str]]], base_iri: str | None) -> list[tuple[str, str | None]]:
    """List `(keyword, resolved IRI or None)` for every SERVICE and LOAD in the code tokens of each view."""
    found: list[tuple[str, str | None]] = []
    for tokens in token_views:
        # match objects, not Tokens: 1 MB of tokens took 2 CPU seconds per view in the request thread
        words = [i for i, m in enumerate(tokens) if m.lastgroup == "word"]  # only words start a reading
        prefixes: dict[str, str] = {}
        base = base_iri
        for i in words:
            upper = tokens[i].group().upper()
            nxt = _token(tokens[i + 1]) if i + 1 < len(tokens) else None
            if upper == "PREFIX" and nxt is not None and i + 2 < len(tokens) and tokens[i + 2].lastgroup == "iri":
                resolved = _resolve(_token(tokens[i + 2]), prefixes, base)
                if resolved is not None:
                    prefixes[nxt.text.rstrip(":")] = resolved
            elif upper == "BASE" and nxt is not None and nxt.kind == "iri":
                base = _resolve(nxt, prefixes, base) or base
            elif upper in NETWORK_KEYWORDS:
                j = i + 1
                while j < len(tokens) and tokens[j].lastgroup == "word" and tokens[j].group().upper() == "SILENT":
                    j += 1
                target = _token(tokens[j]) if j < len(tokens) else None
                found.append((upper, _resolve(target, prefixes, base) if target is not None else None))
    return list(dict.fromkeys(found))


#: How a comment may end, in the readings tried: the grammar's (CR or LF), LF only, and any line break.
COMMENT_ENDS = ("\r\n", "\n", "\n\r\f\v\x1c\x1d\x1e\x85\u2028\u2029")
_KEYWORD = re.compile(r"(?<![\w?$:])(SERVICE|LOAD)(?![\w:])", re.IGNORECASE)
_SILENT = re.compile(r"SILENT(?![\w:])", re.IGNORECASE)
#: Longest prefix name or IRI the guard reads after a keyword; past it a target is unreadable and refused
#: (fail closed). With it and the memoised readings below, the guard reads a text in linear time: before,
#: 100,000 keywords each reading to the end of a 1 MB text took hours of CPU in a request thread (issue 21).
MAX_READ = 2048
_PREFIX_KEYWORD = re.compile(r"(?<![\w?$:])PREFIX\s*", re.IGNORECASE)
_PREFIX_IRI = re.compile(r":\s*<([^<>]*)>")
_NAME_RUN = re.compile(r"[\w.-]+")
_LOCAL_RUN = re.compile(r"[^\s<>{}()\[\],;\"'#]*")
_BASE_DECL = re.compile(r"(?<![\w?$:])BASE\s*<([^<>]*)>", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _blank(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cf", "Cc")


class _Names:
    """The runs of prefix-name characters (`[\\w.-]`) of a text, found once: where a name read from any offset ends."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in _NAME_RUN.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def end(self, i: int) -> int:
        at = bisect.bisect_right(self.starts, i) - 1
        return self.ends[at] if at >= 0 and self.ends[at] > i else i


def _prefix_decls(text: str, names: _Names) -> Iterator[tuple[str, str]]:
    """Yield (name, IRI text) of every `PREFIX name: <IRI>` in the text, in linear time."""
    iris: dict[int, str | None] = {}
    for m in _PREFIX_KEYWORD.finditer(text):
        colon = names.end(m.end())
        if colon not in iris:
            decl = _PREFIX_IRI.match(text, colon)
            iris[colon] = decl.group(1) if decl is not None else None
        iri = iris[colon]
        if iri is not None and colon - m.end() <= MAX_READ:
            yield text[m.end() : colon], iri


class _Reader:
    """Read what follows each keyword in one view of the text, with comments ended by any character of `ends`.

    Linear in the text however many keywords it holds: a comment is crossed by a binary search for its
    end, a name by the precomputed runs, the stretch after a comment and every target are read once
    (memoised by offset), and no target is read past :data:`MAX_READ` characters.
    """

    def __init__(self, text: str, ends: str, names: _Names) -> None:
        self.text = text
        self.names = names
        self.line_ends = [i for i, ch in enumerate(text) if ch in ends]
        self.skipped: dict[int, int] = {}
        self.targets: dict[int, list[str] | None] = {}
        self.locals: dict[int, int] = {}

    def skip(self, i: int) -> int:
        """Skip blanks and comments from offset `i`."""
        text, starts = self.text, [i]
        while i < len(text):
            if i in self.skipped:
                i = self.skipped[i]
                break
            if _blank(text[i]):
                i += 1
            elif text[i] == "#":
                at = bisect.bisect_left(self.line_ends, i)
                i = self.line_ends[at] if at < len(self.line_ends) else len(text)
                starts.append(i)
            else:
                break
        for start in starts:
            self.skipped[start] = i
        return i

    def targets_after(self, i: int) -> list[str] | None:
        """Read what could be the target at `i`: [IRI text], [prefixed name], [""] (variable/unreadable), None."""
        text, seen = self.text, []
        i = self.skip(i)
        while i not in self.targets and (m := _SILENT.match(text, i)) is not None:
            seen.append(i)
            i = self.skip(m.end())
        if i not in self.targets:
            self.targets[i] = self._read(i)
        for at in seen:
            self.targets[at] = self.targets[i]
        return self.targets[i]

    def _read(self, i: int) -> list[str] | None:
        text = self.text
        if i >= len(text):
            return None
        ch = text[i]
        if ch == "<":
            end = text.find(">", i, i + MAX_READ)
            return ["<" + text[i + 1 : end] + ">"] if end > 0 else [""]
        if ch in "?$":
            return [""]
        colon = self.names.end(i)
        if colon - i > MAX_READ:
            return [""]  # a name too long to read: fail closed
        if colon >= len(text) or text[colon] != ":":
            return None
        if colon not in self.locals:
            local = _LOCAL_RUN.match(text, colon + 1, colon + 2 + MAX_READ)  # `*`: always matches
            self.locals[colon] = local.end() if local is not None else colon + 1
        end = self.locals[colon]
        if end > colon + 1 + MAX_READ:
            return [""]
        return [text[i:end].rstrip(".")]


def _resolve_all(target: str, prefixes: dict[str, set[str]], bases: set[str]) -> set[str | None]:
    if not target:
        return {None}
    if target.startswith("<"):
        iri = target[1:-1]
        if _SCHEME.match(iri):
            return {iri}
        return {urljoin(b, iri) for b in bases} or {None}
    prefix, _, local = target.partition(":")
    return {ns + local for ns in prefixes.get(prefix, ())} or {None}


def suspect_targets(text: str, base_iri: str | None = None) -> set[tuple[str, str | None]]:
    """Return every `(keyword, IRI or None)` a SERVICE or LOAD could reach in any reading of the text.

    A keyword inside a string or comment counts too when a target-like term follows it: the guard
    refuses rather than guess which reading the engine takes.

    >>> sorted(suspect_targets("SELECT * { #x" + chr(13) + "SERVICE <http://h/> { ?s ?p ?o } }"))
    [('SERVICE', 'http://h/')]
    >>> suspect_targets("SELECT ?service ?download { ?s <http://x/load> ?o }")
    set()
    """
    return set(iter_suspects(text, base_iri))


def iter_suspects(text: str, base_iri: str | None) -> Iterator[tuple[str, str | None]]:
    """Yield what :func:`suspect_targets` returns, each once, as it is found (the guard stops at the first refusal)."""
    found: set[tuple[str, str | None]] = set()
    for view in _views(text):
        if not _KEYWORD.search(view):
            continue
        bases = {base_iri} if base_iri else set()
        for m in _BASE_DECL.finditer(view):
            bases |= {
                r
                for r in _resolve_all(f"<{m.group(1)}>", {}, bases | ({base_iri} if base_iri else set()))
                if r is not None
            }
        prefixes: dict[str, set[str]] = {}
        names = _Names(view)
        for name, namespace in _prefix_decls(view, names):
            prefixes.setdefault(name, set()).update(
                r for r in _resolve_all(f"<{namespace}>", {}, bases) if r is not None
            )
        readers = [_Reader(view, ends, names) for ends in COMMENT_ENDS]
        for m in _KEYWORD.finditer(view):
            for reader in readers:
                for target in reader.targets_after(m.end()) or ():
                    for iri in _resolve_all(target, prefixes, bases):
                        if (m.group(1).upper(), iri) not in found:
                            found.add((m.group(1).upper(), iri))
                            yield m.group(1).upper(), iri


_UNRESERVED = re.compile(r"%(2[DdEe]|5[Ff]|7[Ee]|3[0-9]|[46][1-9A-Fa-f]|[57][0-9Aa])")


def _remove_dot_segments(path: str) -> str:
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == ".":
            if last:
                out.append("")
        elif seg == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(seg)
    joined = "/".join(out)
    return joined if joined.startswith("/") else "/" + joined


def normalize_iri(iri: str) -> str | None:
    """Normalise an http(s) IRI for prefix matching; None for anything the guard will not reason about.

    >>> normalize_iri("HTTP://Example.ORG:80/ok/%2e%2E/./a/../b?x#f")
    'http://example.org/b?x'
    >>> normalize_iri("http://user@h/"), normalize_iri("file:///etc/passwd"), normalize_iri("http://h/a%2Fb")
    (None, None, None)
    """
    if "\\" in iri or any(_blank(c) for c in iri):
        return None
    try:
        parts = urlsplit(iri)
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host or parts.username is not None or parts.password is not None:
        return None
    path = _UNRESERVED.sub(lambda m: chr(int(m.group(1), 16)), parts.path)
    if re.search(r"%(2[Ff]|5[Cc])", path):
        return None
    shown_host = f"[{host}]" if ":" in host else host
    shown_port = "" if port is None or port == {"http": 80, "https": 443}[scheme] else f":{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{shown_host}{shown_port}{_remove_dot_segments(path)}{query}"


def allowed(iri: str | None, allowlist: Iterable[str]) -> bool:
    """Say whether a target IRI, normalised, lies under an allow-list entry (on whole path segments).

    >>> allowed("https://query.wikidata.org/sparql", ["https://query.wikidata.org/"]), allowed(None, ["x"])
    (True, False)
    >>> allowed("http://h/ok/../../escape", ["http://h/ok/"]), allowed("http://h/sparql2", ["http://h/sparql"])
    (False, False)
    """
    target = normalize_iri(iri) if iri is not None else None
    if target is None:
        return False
    for entry in allowlist:
        norm = normalize_iri(entry.strip()) if entry.strip() else None
        if norm is None:
            continue
        if target == norm or (target.startswith(norm) and (norm.endswith("/") or target[len(norm)] in "/?")):
            return True
    return False


def check_network(text: str, allowlist: Iterable[str], base_iri: str | None = None) -> None:
    """Refuse a query or update that would make the server reach a target off the allow-list.

    Both the tokenizer's targets and the :func:`suspect_targets` of every other reading must be allowed.

    :raises BadQuery: naming the first refused target and how to get the data instead.
    """
    refuse_unallowed(itertools.chain(network_targets(text, base_iri), iter_suspects(text, base_iri)), allowlist)


def refuse_unallowed(targets: Iterable[tuple[str, str | None]], allowlist: Iterable[str]) -> None:
    """Refuse the first `(keyword, IRI)` target off the allow-list (targets are read lazily, in order).

    :raises BadQuery: naming the refused target and how to get the data instead.
    """
    entries = tuple(allowlist)
    for keyword, iri in targets:
        if not allowed(iri, entries):
            shown = f"<{iri}>" if iri else "a target that is not a plain IRI"
            hint = (
                f"Allowed prefixes: {', '.join(entries)}."
                if entries
                else "This server reaches no other server on a client's behalf."
            )
            raise BadQuery(
                f"{keyword} {shown} is refused: the server does not fetch URLs for clients "
                f"(a SERVICE or LOAD in a comment or string followed by a target counts too). {hint} "
                "Fetch the data yourself and query it locally, or use the dumps under /dumps/."
            )
