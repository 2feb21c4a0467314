"""Contributed linksets: links from our IRIs to another institution's, reviewed before they are published.

A contributor's file (Turtle, N-Triples, or a CSV of ``ours,theirs[,predicate]``) is
checked line by line, then kept as ``linksets/pending/<contributor-slug>.ttl`` with
its PROV-O provenance. A librarian accepts it (moved to ``linksets/accepted/``, which
every build reads as one named graph per file, then published through
:func:`visitgraph.publish.pipeline.build`) or rejects it (``linksets/rejected/`` with the
reason). Replacing or withdrawing a contributor's published links swaps one file
and rebuilds; if the build fails the file is put back, so nothing else changes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.core.errors import LinksetInvalid, VisitgraphError
from visitgraph.core.fileio import write_atomic
from visitgraph.linking.linkset_files import (
    DEFAULT_PREDICATE,
    LINK_PREDICATES,
    STATES,
    Link,
    LinksetInfo,
    check_links,
    contributor_slug,
    published_resources,
    read_links,
    read_linkset_file,
    render_linkset,
)
from visitgraph.store.embedded import EmbeddedStore, now_iso

__all__ = ["DEFAULT_PREDICATE", "LINK_PREDICATES", "Link", "LinksetInfo", "add_linkset", "add_links", "also_known_as",
           "check_links", "contributor_slug", "linkset_void_triples", "list_linksets", "read_links",
           "review_linkset", "withdraw_linkset"]

def linksets_dir(settings: Settings) -> Path:
    """Return the folder holding pending/, accepted/, rejected/ and withdrawn/ linksets."""
    return settings.root / "linksets"



@contextlib.contextmanager
def _locked(settings: Settings) -> Iterator[None]:
    folder = linksets_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _path(settings: Settings, state: str, slug: str) -> Path:
    return linksets_dir(settings) / state / f"{slug}.ttl"


def add_linkset(settings: Settings, store: EmbeddedStore, contributor: str, data: bytes | str,
                filename: str, *, merge: bool = False) -> LinksetInfo:
    """Check a contributed file and keep it as the contributor's pending linkset (replacing any).

    :param merge: add to the contributor's pending (else published) links instead of replacing them.
    :raises LinksetInvalid: naming every bad line; nothing is stored.
    """
    name = Path(filename).name or "linkset"
    links, problems = read_links(data, name, settings.base_iri)
    return add_links(settings, store, contributor, links, name, merge=merge, problems=problems)


def add_links(settings: Settings, store: EmbeddedStore, contributor: str, links: list[Link], source: str,
              *, merge: bool = False, problems: list[tuple[int | None, str]] | None = None) -> LinksetInfo:
    """Check links (e.g. matches a reconciliation client confirmed) and keep them as a pending linkset.

    :raises LinksetInvalid: naming every bad link; nothing is stored.
    """
    slug = contributor_slug(contributor)
    problems = list(problems or [])
    problems += check_links(links, published_resources(store.reader(), settings.base_iri), settings.base_iri)
    if problems:
        raise LinksetInvalid(source, sorted(problems, key=lambda p: (p[0] or 0, p[1])))
    if not links:
        raise LinksetInvalid(source, [(None, "the file holds no links")])
    with _locked(settings):
        if merge:
            for state in ("pending", "accepted"):
                if _path(settings, state, slug).exists():
                    _, old = read_linkset_file(_path(settings, state, slug), settings.base_iri, state)
                    have = {(k.subject, k.predicate, k.object) for k in links}
                    links = links + [k for k in old if (k.subject, k.predicate, k.object) not in have]
                    break
        text = render_linkset(settings.base_iri, slug, contributor, now_iso(), source, links)
        write_atomic(_path(settings, "pending", slug), text)
    return read_linkset_file(_path(settings, "pending", slug), settings.base_iri, "pending")[0]


def list_linksets(settings: Settings, state: str | None = None) -> list[LinksetInfo]:
    """List stored linksets (of one state, or all), by state then name."""
    out = []
    for st in STATES if state is None else (state,):
        folder = linksets_dir(settings) / st
        for path in sorted(folder.glob("*.ttl")) if folder.is_dir() else []:
            if not path.name.startswith("."):
                out.append(read_linkset_file(path, settings.base_iri, st)[0])
    return out


def _require_pending(settings: Settings, slug: str) -> Path:
    path = _path(settings, "pending", slug)
    if not path.exists():
        waiting = ", ".join(i.name for i in list_linksets(settings, "pending")) or "none"
        raise VisitgraphError(f"No pending linkset for {slug!r} (pending: {waiting}); "
                              "see `visitgraph linkset review`.")
    return path


def _swap_and_build(settings: Settings, store: EmbeddedStore, swaps: dict[Path, str | None],
                    who: str, note: str) -> None:
    """Put each text at its path (None: remove it) and rebuild, in the build's durable order.

    The files are swapped only once the build's journal entry is durable and put back unless the
    generation is published, after a crash too (:mod:`visitgraph.publish.journal`).
    """
    from visitgraph.publish.pipeline import FileSwap, build

    files = [FileSwap(path.relative_to(settings.root).as_posix(), text) for path, text in swaps.items()]
    build(settings, store, who=who, note=note, files=files)


def review_linkset(settings: Settings, store: EmbeddedStore, name: str, *, accept: bool,
                   reason: str = "", reviewer: str = "cli") -> LinksetInfo:
    """Accept (publish, replacing the contributor's earlier links) or reject a pending linkset.

    :raises LinksetInvalid: on accept, if a link no longer fits the published data.
    :raises ShapesViolation: if the data with these links does not conform (nothing changes).
    """
    slug = contributor_slug(name)
    with _locked(settings):
        pending = _require_pending(settings, slug)
        info, links = read_linkset_file(pending, settings.base_iri, "pending")
        review = {"status": "accepted" if accept else "rejected", "reviewer": reviewer,
                  "when": now_iso(), "reason": reason}
        text = render_linkset(settings.base_iri, slug, info.contributor, info.generated, info.source,
                              links, review)
        if accept:
            problems = check_links(links, published_resources(store.reader(), settings.base_iri),
                                   settings.base_iri)
            if problems:
                raise LinksetInvalid(pending.name, problems)
            target = _path(settings, "accepted", slug)
            _swap_and_build(settings, store, {target: text, pending: None}, who=reviewer,
                            note=f"linkset {slug} accepted ({len(links)} links)")
        else:
            target = _path(settings, "rejected", slug)
            write_atomic(target, text)
            pending.unlink()
    return read_linkset_file(target, settings.base_iri, review["status"])[0]


def withdraw_linkset(settings: Settings, store: EmbeddedStore, name: str, *, who: str = "cli",
                     reason: str = "") -> LinksetInfo:
    """Unpublish a contributor's links (and drop any pending ones); keep a copy under withdrawn/."""
    slug = contributor_slug(name)
    with _locked(settings):
        accepted, pending = _path(settings, "accepted", slug), _path(settings, "pending", slug)
        source = accepted if accepted.exists() else pending
        if not source.exists():
            raise VisitgraphError(f"No linkset for {slug!r} to withdraw; see `visitgraph linkset list`.")
        info, links = read_linkset_file(source, settings.base_iri, "withdrawn")
        review = {"status": "withdrawn", "reviewer": who, "when": now_iso(), "reason": reason}
        kept = _path(settings, "withdrawn", f"{slug}-{review['when'].replace(':', '')}")
        text = render_linkset(settings.base_iri, slug, info.contributor, info.generated, info.source, links, review)
        if accepted.exists():
            swaps: dict[Path, str | None] = {kept: text, accepted: None}
            if pending.exists():
                swaps[pending] = None
            _swap_and_build(settings, store, swaps, who=who, note=f"linkset {slug} withdrawn")
        else:
            write_atomic(kept, text)
            pending.unlink(missing_ok=True)
    return LinksetInfo(**{**info.__dict__, "path": str(kept), "reviewer": who,
                          "reviewed": review["when"], "reason": reason})


def _linkset_graphs(reader: Any, base: str) -> list[ox.NamedNode]:
    prefix = vocab.graph_iri(base, "linksets/accepted/")
    return sorted((g for g in reader.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith(prefix)),
                  key=lambda g: g.value)


def _common_namespace(iris: list[str]) -> str:
    """Return the namespace the objects share (their common prefix up to a '/' or '#').

    >>> _common_namespace(["http://viaf.org/viaf/1", "http://viaf.org/viaf/22"])
    'http://viaf.org/viaf/'
    """
    prefix = os.path.commonprefix(iris)
    cut = max(prefix.rfind("/"), prefix.rfind("#"))
    namespace = prefix[: cut + 1]
    if not re.match(r"^[A-Za-z][\w+.-]*://[^/]+/", namespace):
        hosts = Counter(m.group(0) for i in iris if (m := re.match(r"^[A-Za-z][\w+.-]*://[^/?#]+/?", i)))
        namespace = hosts.most_common(1)[0][0] if hosts else namespace
    return namespace


def linkset_void_triples(store: Any, base: str, dataset_iri: str | None = None) -> list[ox.Triple]:
    """Describe every published linkset as a void:Linkset (one subset per link predicate).

    Each gets void:linkPredicate, void:triples, void:subjectsTarget (our dataset, by
    default the base IRI) and void:objectsTarget (the namespace its objects share).

    :param store: an EmbeddedStore (its published generation) or a pyoxigraph Store.
    """
    reader = store.reader() if hasattr(store, "reader") else store
    ours = ox.NamedNode(dataset_iri or base)
    void, rdf_type = vocab.VOID, ox.NamedNode(vocab.RDF_TYPE)
    out: list[ox.Triple] = []
    for graph in _linkset_graphs(reader, base):
        nodes = [q.subject for q in reader.quads_for_pattern(None, rdf_type, ox.NamedNode(void + "Linkset"), graph)]
        if not nodes:
            continue
        ls = nodes[0]
        by_pred: dict[str, list[str]] = {}
        for pred in LINK_PREDICATES:
            objs = [q.object.value for q in reader.quads_for_pattern(None, ox.NamedNode(pred), None, graph)]
            if objs:
                by_pred[pred] = objs
        every = [o for objs in by_pred.values() for o in objs]
        out += _void_node(ls, ours, every, by_pred if len(by_pred) == 1 else {})
        out.append(ox.Triple(ls, ox.NamedNode(vocab.DCTERMS + "source"), ox.NamedNode(graph.value)))
        if len(by_pred) > 1:
            for pred, objs in sorted(by_pred.items()):
                sub = ox.NamedNode(f"{ls.value}#{LINK_PREDICATES[pred].replace(':', '-')}")
                out.append(ox.Triple(ls, ox.NamedNode(void + "subset"), sub))
                out += _void_node(sub, ours, objs, {pred: objs})
    return out


def _void_node(node: Any, ours: ox.NamedNode, objects: list[str], preds: dict[str, list[str]]) -> list[ox.Triple]:
    void = vocab.VOID
    out = [ox.Triple(node, ox.NamedNode(vocab.RDF_TYPE), ox.NamedNode(void + "Linkset")),
           ox.Triple(node, ox.NamedNode(void + "triples"), ox.Literal(str(len(objects)), datatype=ox.NamedNode(vocab.XSD + "integer"))),
           ox.Triple(node, ox.NamedNode(void + "subjectsTarget"), ours),
           ox.Triple(node, ox.NamedNode(void + "objectsTarget"), ox.NamedNode(_common_namespace(objects)))]
    out += [ox.Triple(node, ox.NamedNode(void + "linkPredicate"), ox.NamedNode(p)) for p in preds]
    return out


def also_known_as(store: Any, iri: str, base: str | None = None) -> list[tuple[str, str, str]]:
    """List where else a resource is known: (link predicate IRI, their IRI, contributor name), sorted.

    Only links from published (accepted) linksets count.

    :param store: an EmbeddedStore (its published generation) or a pyoxigraph Store.
    :param base: our IRI base (default: the part of `iri` before its kind).
    """
    reader = store.reader() if hasattr(store, "reader") else store
    if base is None:
        base = re.sub(r"[^/]+/[^/]+$", "", iri)
    out = set()
    for graph in _linkset_graphs(reader, base):
        for pred in LINK_PREDICATES:
            for q in reader.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(pred), None, graph):
                out.add((pred, q.object.value, _contributor(reader, graph)))
    return sorted(out)


def _contributor(reader: Any, graph: ox.NamedNode) -> str:
    for q in reader.quads_for_pattern(None, ox.NamedNode(vocab.PROV + "wasAttributedTo"), None, graph):
        for n in reader.quads_for_pattern(q.object, ox.NamedNode(vocab.SCHEMA + "name"), None, graph):
            return str(n.object.value)
    return graph.value.rsplit("/", 1)[-1].removesuffix(".ttl")
