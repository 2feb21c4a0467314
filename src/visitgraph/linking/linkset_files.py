"""Linkset files: read a contributor's CSV or Turtle, check every link, write and read the stored form."""

from __future__ import annotations

import bisect
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.errors import BadParameter, LimitExceeded, LinksetInvalid
from visitgraph.core.names import fold
from visitgraph.sources.rdfinput import syntax_error
from visitgraph.store.backend import Reader

LINK_PREDICATES: dict[str, str] = {
    vocab.OWL + "sameAs": "owl:sameAs",
    vocab.SKOS + "exactMatch": "skos:exactMatch",
    vocab.SKOS + "closeMatch": "skos:closeMatch",
    vocab.SCHEMA + "sameAs": "schema:sameAs",
}
#: The predicate of a CSV row without a third column: a claim of the same concept, not OWL identity.
DEFAULT_PREDICATE = vocab.SKOS + "exactMatch"
LINKABLE_KINDS = frozenset({"visit", "person", "organization", "topic", "gift", "agreement", "source", "scheme"})
STATES = ("pending", "accepted", "rejected", "withdrawn")
_RELATIVE = "http://relative.invalid/"
#: Prefixes used to find a link's line (real linksets declare a handful).
MAX_PREFIXES = 64
#: Largest linkset file taken (bytes), by `visitgraph linkset add` and `POST /linksets` alike.
MAX_LINKSET_BYTES = 16 * 1024 * 1024
MAX_CONTRIBUTOR = 300
_PROJECT_NS = "https://w3id.org/visitgraph/"


@dataclass(frozen=True)
class Link:
    """One contributed link and the line of the contributor's file it came from."""

    subject: str
    predicate: str
    object: str
    line: int | None = None


@dataclass(frozen=True)
class LinksetInfo:
    """One stored linkset: who contributed it, when, from which file, how many links, its review."""

    name: str
    state: str
    contributor: str
    generated: str
    source: str
    links: int
    predicates: tuple[str, ...]
    path: str
    reviewer: str = ""
    reviewed: str = ""
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the linkset description as a JSON-ready mapping."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def contributor_slug(name: str) -> str:
    """Return the file-name slug of a contributor's name.

    A name with no Latin letter or digit (Cyrillic, Greek, CJK …) is transliterated first, as the matcher
    folds names (:func:`visitgraph.core.names.fold`); any other name keeps the slug it always had.

    >>> contributor_slug("Russian State Library (RSL)")
    'russian-state-library-rsl'
    >>> contributor_slug("Российская библиотека"), contributor_slug("Εθνική Βιβλιοθήκη"), contributor_slug("国立国会図書館")
    ('rossiyskaya-biblioteka', 'ethniki-vivliothiki', 'guoliguohuitushuguan')

    :raises BadParameter: the name is too long, or has no letters or digits in any script.
    """
    if len(name) > MAX_CONTRIBUTOR:
        raise BadParameter("contributor", f"Contributor name of {len(name)} characters; at most {MAX_CONTRIBUTOR}.")
    slug = (vocab.slugify(name) or vocab.slugify(fold(_words(name))))[:80].strip("-")
    if not slug:
        raise BadParameter("contributor", f"Contributor name {name!r} has no letters or digits; give a real name.")
    return slug


def _words(name: str) -> str:
    """Keep the letters, marks and digits of a name, in any script (symbols and emoji would be spelled out)."""
    return "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in name)


def check_size(size: int, filename: str) -> None:
    """Refuse a linkset file larger than :data:`MAX_LINKSET_BYTES` before reading it.

    :raises LimitExceeded: 413, naming the file, its size and the limit.
    """
    if size > MAX_LINKSET_BYTES:
        raise LimitExceeded(
            f"{filename} is {size} bytes; a linkset may have at most {MAX_LINKSET_BYTES} bytes. "
            "Split it into several files (one per contributor) or send fewer links.",
            413,
        )


def read_links(data: bytes | str, filename: str, base: str) -> tuple[list[Link], list[tuple[int | None, str]]]:
    """Parse a linkset file (CSV, Turtle or N-Triples, by suffix, else sniffed) into links and problems.

    :raises LinksetInvalid: when the file does not parse at all (names the line).
    """
    check_size(len(data), filename)
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    suffix = Path(filename).suffix.lower()
    if suffix in (".csv", ".tsv", ".txt") or (suffix not in (".ttl", ".nt") and not _looks_like_rdf(text)):
        return _read_csv(text, base, "\t" if suffix == ".tsv" else ",")
    fmt = ox.RdfFormat.N_TRIPLES if suffix == ".nt" else ox.RdfFormat.TURTLE
    return _read_rdf(text, filename, fmt)


def _looks_like_rdf(text: str) -> bool:
    head = text.lstrip()[:400]
    return head.startswith(("@prefix", "PREFIX", "prefix", "@base", "<", "#")) and "<" in head


def _our_iri(cell: str, base: str) -> str:
    """Expand `kind/slug` or `/id/kind/slug` in a CSV's first column to our full IRI."""
    text = cell.strip().removeprefix("/id/")
    kind, _, slug = text.partition("/")
    if kind in vocab.KINDS and vocab.is_slug(slug):
        return base + text
    return cell.strip()


def expand_predicate(text: str) -> str:
    prefix, sep, local = text.strip().partition(":")
    if sep and prefix in vocab.PREFIXES and not local.startswith("//"):
        return vocab.PREFIXES[prefix] + local
    return text.strip().strip("<>")


def _read_csv(text: str, base: str, delimiter: str) -> tuple[list[Link], list[tuple[int | None, str]]]:
    links: list[Link] = []
    problems: list[tuple[int | None, str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    first = True
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            problems.append((reader.line_num, f"the row does not parse as CSV ({e})"))
            break
        line = reader.line_num
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if first and not any(":" in c or "/" in c for c in cells):
            first = False
            continue  # a header such as "ours,theirs,predicate"
        first = False
        if len(cells) not in (2, 3) or not cells[0] or not cells[1]:
            problems.append(
                (
                    line,
                    f"expected 2 or 3 non-empty columns (ours, theirs[, predicate]), found {len(cells)}"
                    f" ({delimiter.join(cells)[:80]!r})",
                )
            )
            continue
        predicate = expand_predicate(cells[2]) if len(cells) == 3 and cells[2] else DEFAULT_PREDICATE
        links.append(Link(_our_iri(cells[0], base), predicate, cells[1], line))
    return links, problems


def _read_rdf(text: str, filename: str, fmt: ox.RdfFormat) -> tuple[list[Link], list[tuple[int | None, str]]]:
    parser = ox.parse(text, format=fmt, base_iri=_RELATIVE)
    try:
        quads = list(parser)
    except SyntaxError as e:
        err = syntax_error(filename, e)
        raise LinksetInvalid(filename, [(err.line, err.reason)]) from e
    # The parser's own prefix table: no regular expression over the file (40,000 blank lines made
    # `(?m)^\s*@?prefix` quadratic).
    prefixes = dict(list(parser.prefixes.items())[:MAX_PREFIXES]) if fmt == ox.RdfFormat.TURTLE else {}
    index = _token_lines(text)
    links: list[Link] = []
    problems: list[tuple[int | None, str]] = []
    line_at = 1
    for q in quads:
        forms = _forms(q.object, prefixes) or _forms(q.subject, prefixes)
        line = _find_line(index, forms, line_at)
        line_at = line or line_at
        if not isinstance(q.subject, ox.NamedNode) or not isinstance(q.object, ox.NamedNode):
            problems.append((line, f"subject and object must both be IRIs, found {q.subject} {q.object}"))
            continue
        links.append(Link(q.subject.value, q.predicate.value, q.object.value, line))
    return links, problems


#: IRIs in angle brackets, and runs of characters that may form a prefixed name. Both are single
#: character classes that stop at the next delimiter, so a scan is linear in the line's length.
_IRI_TOKEN = re.compile(r"<[^<>\n]*>")
_NAME_TOKEN = re.compile(r"[^\s<>\"'(),;\[\]{}]+")


def _token_lines(text: str) -> dict[str, list[int]]:
    """Map every IRI and prefixed-name token of a Turtle text to the lines it appears on, in one pass."""
    index: dict[str, list[int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        tokens = {m.group() for m in _IRI_TOKEN.finditer(line)}
        if ":" in line:
            tokens |= {t.rstrip(".") for m in _NAME_TOKEN.finditer(line) if ":" in (t := m.group())}
        for token in tokens:
            index.setdefault(token, []).append(number)
    return index


def _forms(term: Any, prefixes: dict[str, str]) -> list[str]:
    """List the ways the IRI `term` may be written in a Turtle file, to find its line (none for others)."""
    if not isinstance(term, ox.NamedNode):
        return []
    iri = term.value
    out = [f"<{iri}>"]
    if iri.startswith(_RELATIVE):
        out.append(f"<{iri[len(_RELATIVE) :]}>")
    out += [f"{p}:{iri[len(ns) :]}" for p, ns in prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)]
    return out


def _find_line(index: dict[str, list[int]], forms: list[str], start: int) -> int | None:
    """Return the first line at or after `start` where one of `forms` is written (dictionary look-ups)."""
    best: int | None = None
    for form in forms:
        lines = index.get(form)
        if lines:
            i = bisect.bisect_left(lines, start)
            if i < len(lines) and (best is None or lines[i] < best):
                best = lines[i]
    return best


def _well_formed(iri: str) -> bool:
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri) or iri.startswith(_RELATIVE):
        return False
    if re.match(r"(?i)^https?:", iri) and not re.match(r"(?i)^https?://[^/?#\s]+", iri):
        return False
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def published_resources(reader: Reader, base: str) -> set[str]:
    """Return the IRIs of our typed resources in a published store (the only allowed link subjects)."""
    out = set()
    for q in reader.quads_for_pattern(None, ox.NamedNode(vocab.RDF_TYPE), None, None):
        if not isinstance(q.subject, ox.NamedNode):
            continue
        split = vocab.split_iri(base, q.subject.value)
        if split is not None and split[0] in LINKABLE_KINDS:
            out.add(q.subject.value)
    return out


def check_links(links: list[Link], resources: set[str], base: str) -> list[tuple[int | None, str]]:
    """Return a problem (line, message) for every link that may not be published."""
    problems: list[tuple[int | None, str]] = []
    seen: dict[tuple[str, str, str], int | None] = {}
    allowed = ", ".join(LINK_PREDICATES.values())
    for link in links:
        s, p, o = link.subject, link.predicate, link.object
        if s.startswith(_RELATIVE) or not _well_formed(s):
            problems.append(
                (
                    link.line,
                    f"subject {s.removeprefix(_RELATIVE)!r} is a relative or malformed IRI; "
                    f"write our full IRI, e.g. {base}person/mayil-ahmadov",
                )
            )
        elif s not in resources:
            problems.append(
                (
                    link.line,
                    f"<{s}> is not one of our published resources (we never minted it); "
                    "find the right IRI with /reconcile",
                )
            )
        if p not in LINK_PREDICATES:
            problems.append((link.line, f"predicate <{p}> is not allowed; use one of {allowed}"))
        if o.startswith(_RELATIVE):
            problems.append((link.line, f"object {o.removeprefix(_RELATIVE)!r} is a relative IRI; write it in full"))
        elif not _well_formed(o):
            problems.append((link.line, f"object {o!r} is not a well-formed absolute IRI"))
        elif o.startswith((base, _PROJECT_NS)):
            problems.append((link.line, f"object <{o}> is in our own namespace; links must go to your IRIs"))
        key = (s, p, o)
        if key in seen:
            problems.append((link.line, f"duplicate of the link on line {seen[key]}"))
        else:
            seen[key] = link.line
    return problems


def linkset_iri(base: str, slug: str) -> str:
    """Return the IRI of a contributor's linkset."""
    return vocab.mint(base, "linkset", slug)


def render_linkset(
    base: str,
    slug: str,
    contributor: str,
    generated: str,
    source: str,
    links: list[Link],
    review: dict[str, str] | None = None,
) -> str:
    """Write a linkset with its PROV-O provenance as Turtle (our IRIs relative to the base)."""

    def iri(value: str) -> str:
        return f"<{value[len(base) :]}>" if value.startswith(base) else str(ox.NamedNode(value))

    def lit(value: str) -> str:
        return str(ox.Literal(value))

    ls, agent = f"<linkset/{slug}>", f"<linkset/{slug}#contributor>"
    preds = sorted({LINK_PREDICATES[link.predicate] for link in links})
    out = [
        f"# Links contributed by {' '.join(contributor.split())}.",
        "# Written by `visitgraph linkset`; replace it with `visitgraph linkset add`, do not edit by hand.",
        "",
    ]
    out += [f"@prefix {p}: <{vocab.PREFIXES[p]}> ." for p in ("owl", "skos", "prov", "dcterms", "void", "xsd", "rdfs")]
    out += [f"@prefix schema: <{vocab.SCHEMA}> .", ""]
    out += [
        f"{ls} a void:Linkset , prov:Entity ;",
        f"    schema:name {lit('Links contributed by ' + contributor)} ;",
        f"    prov:wasAttributedTo {agent} ;",
        f'    prov:generatedAtTime "{generated}"^^xsd:dateTime ;',
        f"    dcterms:source {lit(source)} ;",
        f"    void:triples {len(links)} ;",
        f"    void:linkPredicate {' , '.join(preds)} .",
        "",
        f"{agent} a prov:Agent ; schema:name {lit(contributor)} .",
        "",
    ]
    if review:
        act, who = f"<linkset/{slug}#review>", f"<linkset/{slug}#reviewer>"
        out += [
            f"{act} a prov:Activity ; prov:used {ls} ; dcterms:type {lit(review['status'])} ;",
            f'    prov:wasAssociatedWith {who} ; prov:endedAtTime "{review["when"]}"^^xsd:dateTime'
            + (f" ;\n    rdfs:comment {lit(review['reason'])} ." if review.get("reason") else " ."),
            f"{who} a prov:Agent ; schema:name {lit(review['reviewer'])} .",
            "",
        ]
    out.append("# The links")
    for link in sorted(links, key=lambda k: (k.subject, k.predicate, k.object)):
        out.append(f"{iri(link.subject)} {LINK_PREDICATES[link.predicate]} {iri(link.object)} .")
    return "\n".join(out) + "\n"


def read_linkset_file(path: Path, base: str, state: str) -> tuple[LinksetInfo, list[Link]]:
    """Read a stored linkset file back: its description and its links."""
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base))
    by = {(q.subject.value, q.predicate.value): q.object.value for q in quads}
    ls = next(
        (
            q.subject.value
            for q in quads
            if q.predicate.value == vocab.RDF_TYPE and q.object.value == vocab.VOID + "Linkset"
        ),
        linkset_iri(base, path.stem),
    )
    agent = by.get((ls, vocab.PROV + "wasAttributedTo"), "")
    review, reviewer = ls + "#review", ls + "#reviewer"
    links = [
        Link(q.subject.value, q.predicate.value, q.object.value) for q in quads if q.predicate.value in LINK_PREDICATES
    ]
    info = LinksetInfo(
        name=ls.rsplit("/", 1)[-1],
        state=state,
        contributor=by.get((agent, vocab.SCHEMA + "name"), path.stem),
        generated=by.get((ls, vocab.PROV + "generatedAtTime"), ""),
        source=by.get((ls, vocab.DCTERMS + "source"), ""),
        links=len(links),
        predicates=tuple(sorted({LINK_PREDICATES[k.predicate] for k in links})),
        path=str(path),
        reviewer=by.get((reviewer, vocab.SCHEMA + "name"), ""),
        reviewed=by.get((review, vocab.PROV + "endedAtTime"), ""),
        reason=by.get((review, vocab.RDFS + "comment"), ""),
    )
    return info, links
