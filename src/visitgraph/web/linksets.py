"""Contributed linksets over HTTP: `POST /linksets` (write token) and `GET /linksets`."""

from __future__ import annotations

import hmac
from pathlib import Path

from flask import Blueprint, Response, jsonify, request

from visitgraph.core.errors import BadParameter, Forbidden
from visitgraph.linking.linksets import add_linkset, list_linksets
from visitgraph.web.state import get_settings, get_store

bp = Blueprint("linksets", __name__)

_SUFFIX_BY_TYPE = {"text/csv": ".csv", "text/tab-separated-values": ".tsv", "text/turtle": ".ttl",
                   "application/n-triples": ".nt", "text/plain": ".csv"}


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


def _authenticated() -> bool:
    settings = get_settings()
    token = bearer_token()
    return token is not None and any(
        t and hmac.compare_digest(token, t) for t in (settings.write_token, settings.read_token))


@bp.post("/linksets")
def contribute() -> tuple[Response, int]:
    """Take a contributed linkset (multipart `file`, or the raw body) for review: 202 with its description."""
    require_write()
    contributor = request.values.get("contributor", "").strip()
    if not contributor:
        raise BadParameter("contributor", "Say who contributes the links: `contributor=<institution name>`.")
    upload = request.files.get("file")
    if upload is not None:
        data, filename = upload.read(), upload.filename or "linkset.csv"
    else:
        data = request.get_data()
        filename = request.values.get("filename") or "linkset" + _SUFFIX_BY_TYPE.get(request.mimetype, ".csv")
    info = add_linkset(get_settings(), get_store(), contributor, data, Path(filename).name)
    resp = jsonify({"ok": True, "linkset": {**info.to_dict(), "path": f"linksets/pending/{info.name}.ttl"},
                    "next": f"a librarian reviews it: visitgraph linkset review {info.name} --accept"})
    resp.headers["Location"] = f"/linksets#{info.name}"
    return resp, 202


@bp.get("/linksets")
def listing() -> Response:
    """List the published linksets (all states for an authenticated client)."""
    state = None if _authenticated() else "accepted"
    root = get_settings().root
    items = []
    for info in list_linksets(get_settings(), state):
        item = info.to_dict()
        item["path"] = Path(info.path).relative_to(root).as_posix() if Path(info.path).is_relative_to(root) \
            else info.path
        items.append(item)
    resp = jsonify({"linksets": items})
    return resp
