"""Who may write: the bearer tokens (read, write, admin) of a request, checked in this one place.

Every write endpoint (SPARQL Update, the Graph Store Protocol, contributed linksets and
reconciliation links) calls :func:`require_write`; destructive writes are confirmed through
:func:`write_guard` (the admin token and ``confirm=destructive``).
"""

from __future__ import annotations

import hmac

from flask import request

from visitgraph.core.errors import Forbidden
from visitgraph.sparql.guards import CONFIRM_WORD, Guard
from visitgraph.web.state import get_settings


def bearer_token() -> str | None:
    """Return the bearer token of this request, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def require_write() -> None:
    """Allow only requests carrying the write token: 401 without or with a wrong one, 403 for the read token.

    :raises Forbidden: with status 401 or 403.
    """
    settings = get_settings()
    token = bearer_token()
    if not settings.write_token:
        raise Forbidden("Writes are disabled on this server (no write_token is set).", 403)
    if token is None:
        raise Forbidden("This write needs `Authorization: Bearer <write token>`.", 401)
    if hmac.compare_digest(token, settings.write_token):
        return
    if settings.admin_token and hmac.compare_digest(token, settings.admin_token):
        return
    if settings.read_token and hmac.compare_digest(token, settings.read_token):
        raise Forbidden("This token may only read; writes need the write token.", 403)
    raise Forbidden("The bearer token is not valid; check it and send it again.", 401)


def authenticated() -> bool:
    """Say whether this request carries the write or the read token (it may see pending linksets)."""
    settings = get_settings()
    token = bearer_token()
    return token is not None and any(
        t and hmac.compare_digest(token, t) for t in (settings.write_token, settings.read_token)
    )


def write_guard(reason: str = "") -> Guard:
    """Return how this write request is guarded: confirmed by the admin token and `confirm=destructive`."""
    settings = get_settings()
    token = bearer_token()
    admin = bool(settings.admin_token and token and hmac.compare_digest(token, settings.admin_token))
    return Guard(
        confirmed=admin and request.values.get("confirm") == CONFIRM_WORD,
        max_share=settings.max_removal_share,
        reason=reason,
    )
