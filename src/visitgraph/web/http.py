"""Shared HTTP helpers for the Linked Data views: representation choice, alternates, caching headers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

from flask import Response, request

from visitgraph.core import formats
from visitgraph.core.errors import VisitgraphError
from visitgraph.store.embedded import Generation
from visitgraph.web.negotiate import negotiate as choose

#: Representations of a page, in the order offered (HTML first: browsers and `*/*` get the page).
REPRESENTATIONS: tuple[tuple[str, str, str], ...] = (
    ("html", formats.HTML, "HTML"),
    *((f.suffix, f.media_type, f.label) for f in map(formats.get_format, ("ttl", "jsonld", "nt", "rdfxml"))),
    ("json", formats.JSON, "JSON"),
)
SUFFIXES = {suffix for suffix, _, _ in REPRESENTATIONS}
#: Other media types a representation answers to: `text/plain` gets N-Triples, as on `/sparql`.
ALIASES = {formats.XHTML: "html", formats.PLAIN: "nt"}
MEDIA = {suffix: media for suffix, media, _ in REPRESENTATIONS}


class NotAcceptable(VisitgraphError):
    """No representation the client accepts."""

    status = 406


@dataclass(frozen=True)
class Alternate:
    """One alternate representation of a page, for `<link rel="alternate">` and the `Link` header."""

    suffix: str
    media_type: str
    label: str
    href: str


def alternates(path: str) -> list[Alternate]:
    """List the non-HTML representations of the page at `path` (suffix URLs)."""
    return [Alternate(s, m, label, f"{path}.{s}") for s, m, label in REPRESENTATIONS if s != "html"]


def split_suffix(rest: str) -> tuple[str, str | None]:
    """Split a known representation suffix off a path segment.

    >>> split_suffix("person/x.ttl"), split_suffix("person/x")
    (('person/x', 'ttl'), ('person/x', None))
    """
    stem, dot, suffix = rest.rpartition(".")
    if dot and stem and suffix in SUFFIXES:
        return stem, suffix
    return rest, None


def negotiate() -> str:
    """Pick the representation suffix from the `Accept` header (HTML when absent or `*/*`).

    :raises NotAcceptable: when the client accepts none of them, naming those on offer.
    """
    offered = [m for _, m, _ in REPRESENTATIONS] + list(ALIASES)
    best = choose(request.headers.get("Accept"), offered, default=formats.HTML)
    if best is None:
        listed = ", ".join(m for _, m, _ in REPRESENTATIONS)
        raise NotAcceptable(f"None of the accepted types is available here; ask for one of: {listed}.")
    return ALIASES.get(best) or next(s for s, m, _ in REPRESENTATIONS if m == best)


def rdf_format(suffix: str) -> formats.Format:
    """Return the RDF format of a representation suffix."""
    return formats.get_format("rdfxml" if suffix == "rdf" else suffix)


def etag_for(gen: Generation, variant: str) -> str:
    """Return the entity tag of one representation of the published state.

    >>> etag_for(Generation("g000001", None, "2026-01-01T00:00:00Z"), "ttl")  # type: ignore[arg-type]
    '"g000001-ttl"'
    """
    return f'"{gen.id}-{variant}"'


def _published(gen: Generation) -> datetime:
    return datetime.fromisoformat(gen.published.replace("Z", "+00:00"))


def not_modified(gen: Generation, variant: str) -> Response | None:
    """Answer 304 when the client's copy is still current (If-None-Match, else If-Modified-Since)."""
    etag = etag_for(gen, variant)
    inm = request.headers.get("If-None-Match")
    fresh = False
    if inm is not None:
        tags = [t.strip() for t in inm.split(",")]
        fresh = "*" in tags or etag in tags or f"W/{etag}" in tags
    elif request.headers.get("If-Modified-Since"):
        try:
            since = parsedate_to_datetime(request.headers["If-Modified-Since"])
            fresh = since is not None and _published(gen).replace(microsecond=0) <= since
        except (TypeError, ValueError):
            fresh = False
    if not fresh:
        return None
    resp = Response(status=304)
    set_cache_headers(resp, gen, variant)
    return resp


@lru_cache(maxsize=16)
def _http_date(gen: Generation) -> str:
    return format_datetime(_published(gen), usegmt=True)


def last_modified(gen: Generation) -> str:
    """Return the HTTP date a generation was published (the `Last-Modified` of its representations)."""
    return _http_date(gen)


#: How long caches may keep an answer before revalidating it (ETag / Last-Modified).
CACHE_CONTROL = "public, max-age=60, must-revalidate"


def cache_headers(gen: Generation, variant: str) -> list[tuple[str, str]]:
    """The ETag, Last-Modified and Cache-Control headers of an answer from `gen` (for a new response)."""
    return [("ETag", etag_for(gen, variant)), ("Last-Modified", _http_date(gen)), ("Cache-Control", CACHE_CONTROL)]


def set_cache_headers(resp: Response, gen: Generation, variant: str) -> Response:
    """Stamp a response with the state's ETag and Last-Modified, and let caches revalidate."""
    resp.headers["ETag"] = etag_for(gen, variant)
    resp.headers["Last-Modified"] = _http_date(gen)
    resp.headers.setdefault("Cache-Control", CACHE_CONTROL)
    return resp


def link_header(alts: list[Alternate], canonical: str | None = None) -> str:
    """Write the `Link` header naming a page's alternates."""
    parts = [f'<{a.href}>; rel="alternate"; type="{a.media_type}"' for a in alts]
    if canonical:
        parts.insert(0, f'<{canonical}>; rel="canonical"')
    return ", ".join(parts)


def safe_href(target: str | None) -> str:
    """Return a link target that is safe to put in `href`: site paths and http(s) IRIs; "" for anything else.

    >>> safe_href("https://x.org/a"), safe_href("/id/person/x"), safe_href("javascript:alert(1)"), safe_href("//evil")
    ('https://x.org/a', '/id/person/x', '', '')
    """
    if not target:
        return ""
    if target.startswith("/") and not target.startswith("//"):
        return target
    scheme, colon, _ = target.partition(":")
    return target if colon and scheme.lower() in ("http", "https") else ""


#: Headers on every HTML answer: no scripts from elsewhere, no framing, no sniffing, no full Referer.
HTML_SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)

#: Bytes read per chunk when streaming a file or a slice of it.
CHUNK = 256 * 1024


def requested_range(size: int, etag: str, last_modified: str) -> tuple[int, int] | None:
    """Return the one byte range (start, end exclusive) to send, or None for the whole file.

    Follows RFC 9110 §14: a `Range` is honoured only on GET, only when `If-Range` (an entity tag
    compared strongly, or a date equal to Last-Modified) is absent or still matches, and only
    for one `bytes=` range; malformed, multiple or other-unit ranges are ignored (the whole file).

    :raises RangeNotSatisfiable: a well-formed single range that starts past the end.
    """
    header = request.headers.get("Range")
    if request.method != "GET" or not header or size <= 0:
        return None
    if_range = request.headers.get("If-Range")
    if if_range is not None:
        if_range = if_range.strip()
        if if_range.startswith(('"', "W/")):
            if if_range != etag:  # weak tags never match for ranges
                return None
        elif if_range != last_modified:
            return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    first, last = first.strip(), last.strip()
    if not dash or not all(p == "" or (p.isascii() and p.isdigit() and len(p) <= 19) for p in (first, last)):
        return None
    if first == "":
        if last == "":
            return None
        suffix = int(last)
        if suffix == 0:
            raise RangeNotSatisfiable(size)
        return max(0, size - suffix), size
    start = int(first)
    end = min(size, int(last) + 1) if last else size
    if last and int(last) < start:
        return None
    if start >= size:
        raise RangeNotSatisfiable(size)
    return start, end


class RangeNotSatisfiable(VisitgraphError):
    """A byte range that starts past the end of the file (416, with `Content-Range: bytes */size`)."""

    status = 416

    def __init__(self, size: int) -> None:
        self.size = size
        super().__init__(
            f"The requested range starts past the end of the file ({size} bytes); ask for bytes=0- to get all of it."
        )


def file_slice(path: Path, start: int, end: int) -> Iterator[bytes]:
    """Yield the bytes [start, end) of a file in chunks."""
    with path.open("rb") as f:
        f.seek(start)
        left = end - start
        while left > 0:
            chunk = f.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


def ranged_response(path: Path, mimetype: str, etag: str, last_modified: str) -> Response | None:
    """Return a 206 (one range) or 416 response for this request, or None to send the whole file."""
    size = path.stat().st_size
    try:
        span = requested_range(size, etag, last_modified)
    except RangeNotSatisfiable as e:
        from visitgraph.web.errors import error_response

        resp = error_response(str(e), 416)
        resp.headers["Content-Range"] = f"bytes */{size}"
        resp.headers["Accept-Ranges"] = "bytes"
        return resp
    if span is None:
        return None
    start, end = span
    resp = Response(file_slice(path, start, end), 206, mimetype=mimetype, direct_passthrough=True)
    resp.headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    resp.headers["Content-Length"] = str(end - start)
    resp.headers["Accept-Ranges"] = "bytes"
    return resp
