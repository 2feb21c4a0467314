"""Content negotiation by RFC 9110 §12.5.1: q-values, `q=0` exclusions, wildcards and specificity.

A pure module (no request object): the views pass the `Accept` header and the media types
they can produce, in their order of preference, and get one back or None (answer 406).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_RANGE = re.compile(rf"^\s*({_TOKEN})/({_TOKEN})\s*$")
_QVALUE = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")
#: Parameters that never change which representation fits.
_IGNORED_PARAMS = {"charset"}


@dataclass(frozen=True)
class MediaRange:
    """One element of an `Accept` header."""

    type: str
    subtype: str
    params: tuple[tuple[str, str], ...]
    q: float
    position: int

    @property
    def specificity(self) -> int:
        """Rank how precise the range is: `*/*` 0, `type/*` 1, `type/sub` 2, with parameters 3."""
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 3 if self.params else 2

    def matches(self, media_type: str) -> bool:
        """Say whether an offered media type falls in this range (parameters are not compared)."""
        otype, _, osub = media_type.lower().partition("/")
        if self.type == "*":
            return True
        if self.type != otype:
            return False
        return self.subtype in ("*", osub)


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    parts, buf, quoted, escaped = [], [], False, False
    for ch in text:
        if escaped:
            buf.append(ch)
            escaped = False
        elif ch == "\\" and quoted:
            buf.append(ch)
            escaped = True
        elif ch == '"':
            quoted = not quoted
            buf.append(ch)
        elif ch == sep and not quoted:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an `Accept` header into media ranges; malformed elements are skipped.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/*;q=0.5, application/json")]
    [('text', '*', 0.5), ('application', 'json', 1.0)]
    >>> parse_accept("nonsense, */*;q=2")
    []
    """
    out: list[MediaRange] = []
    for position, element in enumerate(_split_outside_quotes(header or "", ",")):
        if not element.strip():
            continue
        head, *raw_params = _split_outside_quotes(element, ";")
        m = _RANGE.match(head)
        if not m:
            continue
        mtype, subtype = m.group(1).lower(), m.group(2).lower()
        if mtype == "*" and subtype != "*":
            continue
        q, params, ok = 1.0, [], True
        for raw in raw_params:
            name, eq, value = raw.strip().partition("=")
            name = name.strip().lower()
            value = value.strip().strip('"')
            if not name:
                continue
            if name == "q":
                if not eq or not _QVALUE.match(value):
                    ok = False
                    break
                q = float(value)
                break  # anything after q is an accept-extension, not a media-type parameter
            if name not in _IGNORED_PARAMS:
                params.append((name, value))
        if ok:
            out.append(MediaRange(mtype, subtype, tuple(params), q, position))
    return out


def quality(ranges: Sequence[MediaRange], media_type: str) -> tuple[float, int, int]:
    """Return (q, specificity, -position) of the most specific range matching `media_type`.

    A type no range matches gets q 0 (not acceptable).
    """
    best: MediaRange | None = None
    for r in ranges:
        if r.matches(media_type) and (best is None or r.specificity > best.specificity):
            best = r
    if best is None:
        return (0.0, -1, 0)
    return (best.q, best.specificity, -best.position)


def negotiate(accept: str | None, offered: Sequence[str], default: str | None = None) -> str | None:
    """Pick the offered media type the client prefers, or None when none is acceptable.

    No (or a blank) `Accept` header, or one with no valid element, means "anything": the
    `default` (else the first offered type) is returned. Otherwise the offered type with the
    highest q wins; ties go to the more specific range, then to the earlier range in the header,
    then to the server's order. A type whose most specific range has `q=0` is never chosen.

    :param accept: the raw `Accept` header value, or None.
    :param offered: media types the view can produce, most preferred first.
    :param default: the type to use when the client states no preference.

    >>> negotiate("text/*;q=0.9, text/csv;q=0", ["text/csv", "text/tab-separated-values"])
    'text/tab-separated-values'
    >>> negotiate("", ["application/json"]) , negotiate("image/png", ["application/json"])
    ('application/json', None)
    """
    if not offered:
        return None
    ranges = parse_accept(accept)
    if not ranges:
        return default if default is not None else offered[0]
    scored = []
    for index, media_type in enumerate(offered):
        q, specificity, position = quality(ranges, media_type)
        if q > 0:
            scored.append(((q, specificity, position, -index), media_type))
    if not scored:
        return None
    return max(scored)[1]
