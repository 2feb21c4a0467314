"""Memento (RFC 7089) for resource IRIs: choosing a version by datetime, TimeMaps and the Link headers.

The ledger's versions of a resource are its Mementos (URI-M ``/memento/<n>``); the TimeGate
``/timegate/<kind>/<slug>`` is separate from the original resource (Pattern 2.1 of RFC 7089,
302-style negotiation), and ``/timemap/<kind>/<slug>`` lists the Mementos in link-format (RFC 6690).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from visitgraph.core import formats
from visitgraph.core.errors import BadParameter
from visitgraph.release.ledger import Version

LINK_FORMAT = formats.LINK_FORMAT


def parse_iso(text: str) -> datetime:
    """Read an ISO 8601 UTC timestamp as written by the store (`2026-12-02T10:00:00Z`).

    >>> parse_iso("2026-12-02T10:00:00Z").isoformat()
    '2026-12-02T10:00:00+00:00'
    """
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def http_date(text: str) -> str:
    """Write a store timestamp as an HTTP date (RFC 7231 IMF-fixdate, as RFC 7089 requires).

    >>> http_date("2007-05-30T18:47:52Z")
    'Wed, 30 May 2007 18:47:52 GMT'
    """
    return format_datetime(parse_iso(text), usegmt=True)


def parse_accept_datetime(value: str) -> datetime:
    """Read an `Accept-Datetime` header (RFC 1123 date in GMT).

    >>> parse_accept_datetime("Wed, 30 May 2007 18:47:52 GMT").year
    2007

    :raises BadParameter: when the value is not an RFC 1123 date in GMT.
    """
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        when = None
    if when is None or not value.strip().endswith("GMT"):
        raise BadParameter(
            "Accept-Datetime",
            f"Accept-Datetime {value!r} is not an RFC 1123 date in GMT: write it like 'Wed, 30 May 2007 18:47:52 GMT'.",
        )
    return when.astimezone(UTC)


def choose(versions: list[Version], when: datetime | None) -> Version:
    """Pick the version that was published at `when` (the latest one when `when` is None).

    Before the first version, the first one is the closest (RFC 7089 §4.5.3 leaves the choice to the
    TimeGate).
    """
    if when is None:
        return versions[-1]
    best = versions[0]
    for v in versions:
        if parse_iso(v.published) <= when:
            best = v
    return best


def link_header(original: str, timegate: str, timemap: str, *, memento: tuple[str, Version] | None = None) -> str:
    """Write the Memento `Link` header: original, timegate, timemap (and the memento itself)."""
    parts = [
        f'<{original}>; rel="original"',
        f'<{timegate}>; rel="timegate"',
        f'<{timemap}>; rel="timemap"; type="{LINK_FORMAT}"',
    ]
    if memento is not None:
        url, version = memento
        parts.append(f'<{url}>; rel="memento"; datetime="{http_date(version.published)}"')
    return ", ".join(parts)


def timemap(
    versions: list[Version], original: str, timegate: str, self_url: str, memento_url: Callable[[Version], str]
) -> str:
    """Write the TimeMap of a resource in link-format (RFC 7089 §5.1)."""
    lines = [
        f'<{original}>;rel="original"',
        f'<{self_url}>;rel="self";type="{LINK_FORMAT}";from="{http_date(versions[0].published)}";'
        f'until="{http_date(versions[-1].published)}"',
        f'<{timegate}>;rel="timegate"',
    ]
    for i, v in enumerate(versions):
        rel = "memento"
        if i == 0:
            rel = "first memento"
        if i == len(versions) - 1:
            rel = "last memento" if len(versions) > 1 else "first last memento"
        lines.append(f'<{memento_url(v)}>;rel="{rel}";datetime="{http_date(v.published)}"')
    return ",\n".join(lines) + "\n"
