"""Decisions on contributed linksets that publish: accept, reject, withdraw (each rebuild goes through the build).

The linksets themselves (checking, storing, listing, VoID) are :mod:`visitgraph.linking.linksets`; this module
is in the publish layer because accepting or withdrawing links rebuilds the published graph.
"""

from __future__ import annotations

from pathlib import Path

from visitgraph.core.config import Settings
from visitgraph.core.errors import LinksetInvalid, VisitgraphError
from visitgraph.core.fileio import write_atomic
from visitgraph.linking.linkset_files import published_resources, read_linkset_file, render_linkset
from visitgraph.linking.linksets import (
    LinksetInfo,
    check_links,
    contributor_slug,
    linkset_path,
    linksets_lock,
    list_linksets,
)
from visitgraph.publish.pipeline import FileSwap, build
from visitgraph.store.backend import Store
from visitgraph.store.embedded import now_iso


def _require_pending(settings: Settings, slug: str) -> Path:
    path = linkset_path(settings, "pending", slug)
    if not path.exists():
        waiting = ", ".join(i.name for i in list_linksets(settings, "pending")) or "none"
        raise VisitgraphError(f"No pending linkset for {slug!r} (pending: {waiting}); see `visitgraph linkset review`.")
    return path


def _swap_and_build(settings: Settings, store: Store, swaps: dict[Path, str | None], who: str, note: str) -> None:
    """Put each text at its path (None: remove it) and rebuild, in the build's durable order.

    The files are swapped only once the build's journal entry is durable and put back unless the
    generation is published, after a crash too (:mod:`visitgraph.publish.journal`).
    """
    files = [FileSwap(path.relative_to(settings.root).as_posix(), text) for path, text in swaps.items()]
    build(settings, store, who=who, note=note, files=files)


def review_linkset(
    settings: Settings, store: Store, name: str, *, accept: bool, reason: str = "", reviewer: str = "cli"
) -> LinksetInfo:
    """Accept (publish, replacing the contributor's earlier links) or reject a pending linkset.

    :raises LinksetInvalid: on accept, if a link no longer fits the published data.
    :raises ShapesViolation: if the data with these links does not conform (nothing changes).
    """
    slug = contributor_slug(name)
    with linksets_lock(settings):
        pending = _require_pending(settings, slug)
        info, links = read_linkset_file(pending, settings.base_iri, "pending")
        review = {
            "status": "accepted" if accept else "rejected",
            "reviewer": reviewer,
            "when": now_iso(),
            "reason": reason,
        }
        text = render_linkset(settings.base_iri, slug, info.contributor, info.generated, info.source, links, review)
        if accept:
            problems = check_links(links, published_resources(store.reader(), settings.base_iri), settings.base_iri)
            if problems:
                raise LinksetInvalid(pending.name, problems)
            target = linkset_path(settings, "accepted", slug)
            _swap_and_build(
                settings,
                store,
                {target: text, pending: None},
                who=reviewer,
                note=f"linkset {slug} accepted ({len(links)} links)",
            )
        else:
            target = linkset_path(settings, "rejected", slug)
            write_atomic(target, text)
            pending.unlink()
    return read_linkset_file(target, settings.base_iri, review["status"])[0]


def withdraw_linkset(settings: Settings, store: Store, name: str, *, who: str = "cli", reason: str = "") -> LinksetInfo:
    """Unpublish a contributor's links (and drop any pending ones); keep a copy under withdrawn/."""
    slug = contributor_slug(name)
    with linksets_lock(settings):
        accepted, pending = linkset_path(settings, "accepted", slug), linkset_path(settings, "pending", slug)
        source = accepted if accepted.exists() else pending
        if not source.exists():
            raise VisitgraphError(f"No linkset for {slug!r} to withdraw; see `visitgraph linkset list`.")
        info, links = read_linkset_file(source, settings.base_iri, "withdrawn")
        review = {"status": "withdrawn", "reviewer": who, "when": now_iso(), "reason": reason}
        kept = linkset_path(settings, "withdrawn", f"{slug}-{review['when'].replace(':', '')}")
        text = render_linkset(settings.base_iri, slug, info.contributor, info.generated, info.source, links, review)
        if accepted.exists():
            swaps: dict[Path, str | None] = {kept: text, accepted: None}
            if pending.exists():
                swaps[pending] = None
            _swap_and_build(settings, store, swaps, who=who, note=f"linkset {slug} withdrawn")
        else:
            write_atomic(kept, text)
            pending.unlink(missing_ok=True)
    return LinksetInfo(
        **{**info.__dict__, "path": str(kept), "reviewer": who, "reviewed": review["when"], "reason": reason}
    )
