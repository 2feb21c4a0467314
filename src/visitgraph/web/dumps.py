"""Dumps, releases and the dataset description: `/dumps/…` and `/.well-known/void`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from flask import Blueprint, Response, abort, redirect, render_template, request, send_file
from werkzeug.wrappers import Response as BaseResponse

from visitgraph.core import formats
from visitgraph.release.dumps import dump_media_type, ensure_dumps, list_releases, live_void, read_manifest
from visitgraph.store.dump import dump_quads, store_prefixes
from visitgraph.web.http import (
    NotAcceptable,
    etag_for,
    last_modified,
    not_modified,
    ranged_response,
    set_cache_headers,
)
from visitgraph.web.negotiate import negotiate
from visitgraph.web.state import get_settings, get_store

bp = Blueprint("dumps", __name__)

IMMUTABLE = "public, max-age=31536000, immutable"
VOID_FORMATS = tuple(map(formats.get_format, ("ttl", "jsonld", "nt", "rdfxml")))
VOID_TYPES = tuple(f.media_type for f in VOID_FORMATS)
_RELEASE_MEDIA = {
    ".md": formats.MARKDOWN,
    ".json": formats.JSON,
    ".nt": formats.get_format("nt").media_type,
    ".ttl": formats.get_format("ttl").media_type,
}


def releases_dir() -> Path:
    """Return the folder `visitgraph release` writes to by default (`<root>/releases`, absolute)."""
    return get_settings().releases


@bp.get("/dumps")
def dumps_redirect() -> BaseResponse:
    """Send `/dumps` to the listing at `/dumps/`."""
    return redirect("/dumps/", 301)


@bp.get("/dumps/")
def dumps_index() -> Response:
    """List the current dumps (with sizes, SHA-256 and counts) and the releases."""
    store = get_store()
    gen = store.require_current()
    early = not_modified(gen, "dumps")
    if early is not None:
        return early
    _, manifest = ensure_dumps(store, get_settings())
    releases = list(reversed(list_releases(releases_dir())))
    resp = Response(render_template("dumps.html", manifest=manifest, releases=releases), mimetype=formats.HTML)
    return set_cache_headers(resp, gen, "dumps")


@bp.get("/dumps/<name>")
def dump_file(name: str) -> BaseResponse:
    """Serve one dump file of the current generation (or its manifest.json)."""
    store = get_store()
    gen = store.require_current()
    folder, manifest = ensure_dumps(store, get_settings())
    if name in manifest.left_out:  # 404, not 406 or 5xx: decision 0081
        others = [f.name for f in manifest.files if not f.encoding]
        abort(
            404,
            description=f"This generation has no {name}: {manifest.left_out[name]}. "
            f"Download {', '.join(others[:-1])} or {others[-1]} instead (see /dumps/).",
        )
    if name != "manifest.json" and manifest.file(name) is None:
        abort(404, description=f"No dump named {name!r}; see /dumps/ for the list.")
    early = not_modified(gen, name)
    if early is not None:
        return early
    media = formats.JSON if name == "manifest.json" else dump_media_type(name)
    resp = ranged_response(folder / name, media, etag_for(gen, name), last_modified(gen)) or send_file(
        folder / name, mimetype=media, as_attachment=False, etag=False, conditional=False
    )
    entry = manifest.file(name)
    if entry is not None and entry.encoding:
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.headers["Accept-Ranges"] = "bytes"
    resp.headers.pop("ETag", None)
    return set_cache_headers(resp, gen, name)


@bp.get("/dumps/releases/")
def releases_index() -> Response:
    """List the releases as JSON (version, date, counts)."""
    items = [
        {
            "version": m.version,
            "released": m.released,
            "triples": m.store_triples,
            "previous": m.previous,
            "url": f"/dumps/releases/{m.version}/",
        }
        for m in reversed(list_releases(releases_dir()))
    ]
    return Response(json.dumps({"ok": True, "releases": items}, indent=2), mimetype=formats.JSON)


@bp.get("/dumps/releases/<version>/")
def release_index(version: str) -> Response:
    """List the files of one release."""
    folder = _release_folder(version)
    manifest = read_manifest(folder)
    files = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    resp = Response(
        render_template("release.html", manifest=manifest, version=version, files=files), mimetype=formats.HTML
    )
    resp.headers["Cache-Control"] = IMMUTABLE
    return resp


def _entry(parent: Path, name: str, marker: str | None = None) -> Path | None:
    """Return `parent / name` resolved if it is a file (or, with `marker`, a folder holding that file) right in `parent`.

    Any other name gives None, never an error: hidden names, `..`, links out, and names the file system
    refuses (a NUL byte: ValueError; longer than NAME_MAX: OSError) — all of them a 404 to the client.
    """
    if name.startswith("."):
        return None
    try:
        path = (parent / name).resolve()
        found = path.parent == parent and ((path / marker).is_file() if marker else path.is_file())
    except (OSError, ValueError):
        return None
    return path if found else None


def _release_folder(version: str) -> Path:
    folder = _entry(releases_dir().resolve(), version, "manifest.json")
    if folder is None:
        abort(404, description=f"No release {version!r}; see /dumps/ for the releases.")
    return folder


@bp.get("/dumps/releases/<version>/<name>")
def release_file(version: str, name: str) -> BaseResponse:
    """Serve one file of a release: immutable, cacheable for a year."""
    folder = _release_folder(version)
    path = _entry(folder, name)
    if path is None:
        abort(404, description=f"Release {version} has no file {name!r}.")
    # A `.gz` is served as the gzip bytes it is (`dump_media_type`), as /dumps/ serves it: never as the
    # type of what it holds, which would need a Content-Encoding. Only the type's name is handed on:
    # werkzeug adds `; charset=utf-8` to text types itself (a second charset otherwise).
    media = (_RELEASE_MEDIA.get(Path(name).suffix) or dump_media_type(name)).partition(";")[0]
    stat = path.stat()
    etag = f'"{version}-{name}-{stat.st_size}"'
    modified = format_datetime(datetime.fromtimestamp(int(stat.st_mtime), UTC), usegmt=True)
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        resp = Response(status=304)
    else:
        resp = ranged_response(path, media, etag, modified) or send_file(
            path, mimetype=media, etag=False, conditional=False
        )
    resp.headers.update({"ETag": etag, "Last-Modified": modified, "Accept-Ranges": "bytes"})
    resp.headers["Cache-Control"] = IMMUTABLE
    return resp


@bp.get("/.well-known/void")
def void_description() -> Response:
    """Describe the dataset in VoID and DCAT (Turtle by default; JSON-LD, N-Triples, RDF/XML or an HTML page on request)."""
    store = get_store()
    gen = store.require_current()
    media = negotiate(request.headers.get("Accept"), (*VOID_TYPES, formats.HTML, formats.PLAIN), default=VOID_TYPES[0])
    if media is None:
        raise NotAcceptable(f"The dataset description is available as {', '.join((*VOID_TYPES, formats.HTML))}.")
    fmt = formats.get_format("ttl" if media == formats.HTML else media)
    variant = "void-html" if media == formats.HTML else "void-" + fmt.name
    early = not_modified(gen, variant)
    if early is not None:
        early.headers["Vary"] = "Accept"
        return early
    settings = get_settings()
    quads = live_void(store, settings)
    data = dump_quads(quads, fmt, store_prefixes(settings.base_iri)).data
    if media == formats.HTML:
        page = render_template(
            "void.html",
            turtle=data.decode("utf-8"),
            triples=len(quads),
            alternates=[(f.media_type, f.label) for f in VOID_FORMATS],
        )
        resp = Response(page, mimetype=formats.HTML)
    else:
        resp = Response(data, mimetype=fmt.media_type)
    resp.headers["Vary"] = "Accept"
    return set_cache_headers(resp, gen, variant)
