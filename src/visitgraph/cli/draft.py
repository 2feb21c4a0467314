"""The librarians' workflow commands: draft records from news text, and diff before a build."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from visitgraph.cli.main import cli, echo_json, handle_errors, settings_for, store_option
from visitgraph.core.errors import BadParameter


@cli.command()
@click.argument("news", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the draft files (default: data/visits/ of the project).",
)
@click.option(
    "--year",
    type=click.IntRange(1900, 2100),
    default=None,
    help="Year of items that give none (otherwise inferred from neighbouring items).",
)
@click.option("--force", is_flag=True, help="Replace draft files that exist already.")
@click.option("--json", "as_json", is_flag=True, help="Print what was drafted as JSON.")
@click.pass_context
@handle_errors
def draft(ctx: click.Context, news: Path, out_dir: Path | None, year: int | None, force: bool, as_json: bool) -> None:
    """Draft one visit record per news item (paragraph) of NEWS, ready for review.

    Each draft is a Turtle file in the curated form: date (a missing year is
    inferred from the neighbouring items, or taken from --year), visitors with
    their titles and institutions, host-side people, gifts, agreements, topics
    and the verbatim text. People and institutions already in the graph are
    reused; new ones are described in the draft. Every guess is marked
    `# check: …`. All files are written, or none (exit 1 on bad input).

    \b
    Example:
        visitgraph draft data/source/presidential-library-visits.txt --out /tmp/drafts --force
        visitgraph diff && visitgraph build
    """
    from visitgraph.authoring.draftfile import draft_news, write_all

    settings = settings_for(ctx)
    target = out_dir if out_dir is not None else settings.root / "data" / "visits"
    try:
        text = news.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise BadParameter("news", f"{news} is not UTF-8 text ({e}). Nothing was written.") from e
    drafts = draft_news(
        settings, text, name=news.name, out_dir=target, year=year, force=force, progress=sys.stderr.isatty()
    )
    write_all([(path, d.turtle) for path, d in drafts], force=force)
    if as_json:
        echo_json([{**d.to_dict(), "path": str(path)} for path, d in drafts])
        return
    for path, d in drafts:
        checks = d.turtle.count("# check:")
        new = sum(1 for e in d.entries.values() if e.new)
        click.echo(
            f"{path}: {d.name} ({d.item.date.date.isoformat()}); "
            f"{len(d.entries) - new} reused, {new} new; {checks} value(s) to check"
        )
    click.echo("Review the `# check:` marks, then run `visitgraph diff` and `visitgraph build`.")


@cli.command()
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "nt"]),
    default="text",
    show_default=True,
    help="text: per resource with labels; json: the same as data; nt: +/- N-Triples patch lines.",
)
@click.pass_context
@handle_errors
def diff(ctx: click.Context, store_path: Path | None, fmt: str) -> None:
    """Show what the next `build` would add to and remove from the published graph.

    Compares the current sources (data/, ontology/, accepted linksets and
    changesets) with the published generation, per resource, grouped into
    added, changed and removed resources and properties. Blank nodes
    (addresses) are compared by content. Nothing is published.

    \b
    Example:
        visitgraph diff
        visitgraph diff --format json
    """
    from visitgraph.authoring.diff import diff_settings, render_nt, render_text
    from visitgraph.sources.review import describe, scan

    settings = settings_for(ctx, store_path)
    result = diff_settings(settings)
    if marks := scan(settings):
        click.echo(
            f"Not reviewed: {describe(marks)} `visitgraph build` refuses them until the marks are "
            "deleted (or --allow-unreviewed).",
            err=True,
        )
    if fmt == "json":
        echo_json(result.to_dict(settings.base_iri))
    elif fmt == "nt":
        click.echo(render_nt(result), nl=False)
    else:
        click.echo(render_text(result, settings.base_iri))
