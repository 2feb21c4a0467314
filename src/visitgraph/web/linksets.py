"""Contributed linksets over HTTP: `POST /linksets` (write token) and `GET /linksets`."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, jsonify, request

from visitgraph.core import formats
from visitgraph.core.errors import BadParameter
from visitgraph.linking.linksets import add_linkset, list_linksets
from visitgraph.web.auth import authenticated, require_write
from visitgraph.web.state import get_settings, get_store

bp = Blueprint("linksets", __name__)

#: A raw linkset body's file suffix by its Content-Type; `text/plain` (curl's default) is read as CSV.
_SUFFIX_BY_TYPE = {f.media_type: "." + f.suffix for f in map(formats.get_format, ("csv", "tsv", "ttl", "nt"))} | {
    formats.PLAIN: ".csv"
}


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
    resp = jsonify(
        {
            "ok": True,
            "linkset": {**info.to_dict(), "path": f"linksets/pending/{info.name}.ttl"},
            "next": f"a librarian reviews it: visitgraph linkset review {info.name} --accept",
        }
    )
    resp.headers["Location"] = f"/linksets#{info.name}"
    return resp, 202


@bp.get("/linksets")
def listing() -> Response:
    """List the published linksets (all states for an authenticated client)."""
    state = None if authenticated() else "accepted"
    root = get_settings().root
    items = []
    for info in list_linksets(get_settings(), state):
        item = info.to_dict()
        item["path"] = (
            Path(info.path).relative_to(root).as_posix() if Path(info.path).is_relative_to(root) else info.path
        )
        items.append(item)
    resp = jsonify({"linksets": items})
    return resp
