"""Render drafts as Turtle in the curated files' form, check them, and write them all or none.

Every guessed value carries a ``# check: …`` comment at the end of its line; the
file parses and conforms to the shapes as it is, so once the librarian has
confirmed or fixed the guesses (and deleted the marks) it can be built.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from tqdm import tqdm

from visitgraph.authoring.draft import Draft, DraftContext, Entry, curie, draft_item, plan_items, turtle_literal
from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.core.errors import BadParameter, ShapesViolation, StoreError
from visitgraph.sources.load import apply_changeset, discover_sources, list_changesets, parse_rdf, read_source
from visitgraph.sources.validate import load_shapes, shapes_files, validate_quads

PREFIXES = (
    ("visit", "visit/"),
    ("person", "person/"),
    ("org", "organization/"),
    ("topic", "topic/"),
    ("gift", "gift/"),
    ("agreement", "agreement/"),
    ("source", "source/"),
    ("scheme", "scheme/"),
    ("schema", vocab.SCHEMA),
    ("vg", vocab.VG),
    ("prov", vocab.PROV),
    ("skos", vocab.SKOS),
    ("xsd", vocab.XSD),
)


def _line(indent: str, text: str, end: str, check: str | None) -> str:
    return f"{indent}{text} {end}" + (f"  # check: {check}" if check else "")


def _objects(pred: str, values: Sequence[tuple[str, str | None]]) -> list[str]:
    """Write one predicate with its objects, one per line when several, each with its own check."""
    if len(values) == 1:
        return [_line("    ", f"{pred} {values[0][0]}", ";", values[0][1])]
    out = [f"    {pred}"]
    for i, (obj, check) in enumerate(values):
        out.append(_line("        ", obj, "," if i + 1 < len(values) else ";", check))
    return out


def _block(subject: str, props: Sequence[tuple[str, str, str | None]]) -> list[str]:
    lines = [subject]
    for i, (pred, obj, check) in enumerate(props):
        lines.append(_line("    ", f"{pred} {obj}", "." if i + 1 == len(props) else ";", check))
    return lines


def render(draft: Draft, ctx: DraftContext, source_name: str) -> str:
    """Return the Turtle text of one draft."""
    base, item, d = ctx.base, draft.item, draft.item.date

    def c(iri: str) -> str:
        return curie(iri, base)

    head = [
        f"# Draft of item {item.number} of {item.total} in {source_name}, written by `visitgraph draft`.",
        "# Review every guess (each line whose comment starts with `check`), fix what is wrong, delete the marks.",
        "",
    ]
    head += [f"# check: {note}" for note in draft.notes]
    head += [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES] + [""]
    v = [
        f"visit:{draft.slug}",
        "    a vg:Visit , schema:Event ;",
        _line("    ", f"schema:name {turtle_literal(draft.name)}", ";", "a short label written by the drafter"),
        _line(
            "    ",
            f'schema:startDate "{d.date.isoformat()}"^^xsd:date',
            ";",
            "year not in the item" if d.inferred or d.from_option else None,
        ),
    ]
    if d.inferred:
        v.append("    vg:yearInferred true ;")
    if d.note:
        v.append(_line("    ", f"vg:dateNote {turtle_literal(d.note)}", ";", "how the year was found"))
    v += [f"    schema:location {c(ctx.host)} ;", f"    schema:organizer {c(ctx.host)} ;"]
    v += _objects("schema:attendee", [(c(e.iri), e.check) for e in draft.attendees])
    if draft.contributors:
        v += _objects("schema:contributor", [(c(e.iri), e.check) for e in draft.contributors])
    if draft.topics:
        v += _objects("schema:about", [(c(iri), chk) for iri, chk in draft.topics])
    gift_iris = [vocab.mint(base, "gift", f"{draft.slug}-{i + 1}") for i in range(len(draft.gifts))]
    if gift_iris:
        v += _objects("vg:gift", [(c(g), None) for g in gift_iris])
    agreement_iris = [
        vocab.mint(base, "agreement", draft.slug + (f"-{i + 1}" if len(draft.agreements) > 1 else ""))
        for i in range(len(draft.agreements))
    ]
    if agreement_iris:
        v += _objects("vg:outcome", [(c(a), None) for a in agreement_iris])
    v.append(_line("    ", f"prov:wasDerivedFrom {c(ctx.source)}", ";", "the news list the item was published in"))
    text = item.text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    v.append(f'    vg:sourceText """{text}""" .')
    blocks = [v]
    for g, gift in zip(gift_iris, draft.gifts, strict=True):
        blocks.append(
            _block(
                c(g),
                [
                    ("a", "vg:Gift , schema:GiveAction", None),
                    ("schema:agent", " , ".join(map(c, gift["agent"])), gift["agent_check"]),
                    ("schema:recipient", " , ".join(map(c, gift["recipient"])), gift["recipient_check"]),
                    ("schema:object", c(g + "-item"), None),
                ],
            )
        )
        item_props = [("a", f"schema:{gift['type']}", "item type guessed")]
        if gift["name"]:
            item_props.append(("schema:name", turtle_literal(gift["name"]), "title as quoted in the text"))
        item_props.append(("schema:description", turtle_literal(gift["description"]), "in the text's words"))
        blocks.append(_block(c(g + "-item"), item_props))
    for a, (name, signed) in zip(agreement_iris, draft.agreements, strict=True):
        blocks.append(
            _block(
                c(a),
                [
                    ("a", "vg:Agreement", None),
                    ("schema:name", turtle_literal(name), "in the text's words"),
                    (
                        "vg:signed",
                        "true" if signed else "false",
                        "the text says it was signed" if signed else "the text does not say signed",
                    ),
                ],
            )
        )
    for iri, label in draft.new_topics:
        blocks.append(
            _block(
                c(iri),
                [
                    ("a", "skos:Concept", None),
                    ("skos:prefLabel", turtle_literal(label) + "@en", None),
                    ("skos:inScheme", "scheme:topics", None),
                ],
            )
        )
    for e in sorted((e for e in draft.entries.values() if e.new), key=lambda e: (e.kind != "person", e.iri)):
        blocks.append(_entry_block(e))
    return "\n".join(head + ["\n".join(b) + "\n" for b in blocks]).rstrip() + "\n"


def _entry_block(e: Entry) -> list[str]:
    kind, _, slug = e.iri.rpartition("/")
    prefix = "org" if kind.endswith("organization") else kind.rsplit("/", 1)[-1]
    subject = f"{prefix}:{slug}" + (f"  # check: {e.check}" if e.check else "")
    return _block(subject, e.props)


def source_store(settings: Settings, exclude: Sequence[Path] = ()) -> ox.Store:
    """Load the repository's sources and changesets (what the next build reads) into a memory store."""
    store = ox.Store()
    skip = {p.resolve() for p in exclude}
    for source in discover_sources(settings):
        if (settings.root / source.relpath).resolve() in skip:
            continue
        store.bulk_extend(read_source(settings, source))
    for path in list_changesets(settings):
        apply_changeset(store, settings, path)
    return store


def draft_news(
    settings: Settings,
    text: str,
    *,
    name: str,
    out_dir: Path,
    year: int | None = None,
    force: bool = False,
    progress: bool = False,
) -> list[tuple[Path, Draft]]:
    """Draft every item of `text`, check the drafts parse and conform together with the data, and return them.

    Nothing is written here (see :func:`write_all`).

    :raises BadParameter: empty input, an item without a usable date, an item that is not a visit,
        or a target file that exists (without `force`).
    :raises ShapesViolation: the drafts do not conform (a bug: drafts are written to conform).
    """
    items = plan_items(text, year, name)
    store = source_store(settings, exclude=earlier_drafts(out_dir, [i.text for i in items]))
    ctx = DraftContext.from_store(store, settings.base_iri)
    out: list[tuple[Path, Draft]] = []
    for item in tqdm(items, desc="draft", unit="item", disable=not progress, leave=False):
        draft = draft_item(item, ctx)
        draft.turtle = render(draft, ctx, name)
        out.append((out_dir / f"{draft.slug}.ttl", draft))
    if not force:
        clash = [p for p, _ in out if p.exists()]
        if clash:
            raise BadParameter("out", f"{clash[0]} exists already: pass --force to replace it. Nothing was written.")
    _check(settings, store, out)
    return out


def earlier_drafts(out_dir: Path, texts: Sequence[str]) -> list[Path]:
    """Return earlier drafts of these same items in `out_dir`, which a new run replaces rather than reuses."""
    if not out_dir.is_dir():
        return []
    out = []
    for path in sorted(out_dir.glob("*.ttl")):
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if content.startswith("# Draft of item") and any(t in content for t in texts):
            out.append(path)
    return out


def _check(settings: Settings, store: ox.Store, drafts: Sequence[tuple[Path, Draft]]) -> None:
    quads = list(store)
    for path, draft in drafts:
        quads += parse_rdf(
            draft.turtle,
            base_iri=settings.base_iri,
            name=path.name,
            graph=vocab.graph_iri(settings.base_iri, f"draft/{path.name}"),
        )
    report = validate_quads(
        quads, load_shapes(shapes_files(settings.root)), base=settings.base_iri, engine=settings.shacl_engine
    )
    if not report.conforms:
        raise ShapesViolation(report)


def write_all(files: Sequence[tuple[Path, str]], force: bool = False) -> None:
    """Write every file atomically (temp file + rename), all or none.

    :raises BadParameter: a target exists and `force` is false (checked before anything is written).
    :raises StoreError: the disk refused a write; files written by this call are removed again.
    """
    if not force:
        for path, _ in files:
            if path.exists():
                raise BadParameter("out", f"{path} exists already: pass --force to replace it. Nothing was written.")
    temps: list[tuple[Path, Path]] = []
    done: list[tuple[Path, bytes | None]] = []
    try:
        for path, text in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            temps.append((Path(tmp_name), path))
        for tmp, path in temps:
            old = path.read_bytes() if path.exists() else None
            os.replace(tmp, path)
            done.append((path, old))
    except OSError as e:
        for path, old in reversed(done):
            if old is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(old)
        raise StoreError(f"Could not write the drafts ({e}); nothing was kept.") from e
    finally:
        for tmp, _ in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
