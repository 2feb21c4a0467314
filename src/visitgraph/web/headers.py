"""Response headers as HTTP/1.1 carries them: ISO-8859-1 values, IRIs sent as their URIs (RFC 3987 §3.1)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

#: Response headers whose values are URI references: Location and Content-Location (RFC 9110) whole, Link
#: (RFC 8288) between its `<` and `>`.
IRI_HEADERS = frozenset(("location", "content-location", "link"))
_LINK_TARGET = re.compile(r"<[^>]*>")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


class UnsendableHeader(ValueError):
    """A response header's value has characters outside ISO-8859-1, which HTTP/1.1 cannot carry."""


def _as_uri(text: str) -> str:
    """Percent-encode the non-ASCII characters of an IRI as UTF-8: its URI (RFC 3987 §3.1; `%` stays as it is)."""
    return _NON_ASCII.sub(lambda m: quote(m.group(), safe=""), text)


def encode_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """Encode WSGI response headers for ASGI: names lower-cased, values as ISO-8859-1 (PEP 3333).

    Request text reaches headers (a path in a Link, a file name in Content-Disposition), so a value may
    hold any character. Two cases, chosen for what a client can still use:

    - an IRI in Location, Content-Location or a Link target is sent as its URI, the non-ASCII characters
      percent-encoded as UTF-8 (RFC 3987 §3.1, as RFC 8288 asks of Link): lossless, the client follows
      the same link. werkzeug does this for Location and Content-Location of its own responses, but not for
      Link, nor for headers written by WSGI middleware;
    - any other value outside ISO-8859-1 has no faithful form (re-encoding a file name or an ETag would
      send a different one), so it raises: the gateway then answers its JSON 500 with CORS (`Exchange.run`)
      and logs the header's name, instead of granian's bare 500 without CORS.

    >>> encode_headers([("Link", '</memento/٣>; rel="memento"'), ("X-Seen", "café")])
    [(b'link', b'</memento/%D9%A3>; rel="memento"'), (b'x-seen', b'caf\\xe9')]

    :raises UnsendableHeader: a value that is not an IRI header's has characters outside ISO-8859-1.
    """
    out = []
    for name, value in headers:
        key = name.lower()
        if not value.isascii() and key in IRI_HEADERS:
            value = _LINK_TARGET.sub(lambda m: _as_uri(m.group()), value) if key == "link" else _as_uri(value)
        try:
            out.append((key.encode("latin-1"), value.encode("latin-1")))
        except UnicodeEncodeError as e:
            raise UnsendableHeader(f"The {name} header of the answer holds characters HTTP cannot carry.") from e
    return out
