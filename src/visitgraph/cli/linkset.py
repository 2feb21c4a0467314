"""`visitgraph linkset`: take, review, list and withdraw links contributed by other institutions."""

from __future__ import annotations

from pathlib import Path

import click

from visitgraph.cli.main import cli, echo_json, handle_errors, settings_for, store_option
from visitgraph.core.errors import LinksetInvalid
from visitgraph.core.termtext import safe
from visitgraph.core.textable import render_table


@cli.group()
def linkset() -> None:
    """Contributed linksets: links from our IRIs to another institution's, reviewed before publishing.

    \b
    Example:
        visitgraph linkset list
    """


def _table(items: list[dict[str, object]]) -> str:
    rows = [
        [str(i["name"]), str(i["state"]), str(i["contributor"]), str(i["links"]), str(i["source"]), str(i["generated"])]
        for i in items
    ]
    return render_table(["name", "state", "contributor", "links", "source", "contributed"], rows)


@linkset.command("add")
@click.option("--contributor", required=True, help="The contributing institution's name.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print the stored linkset's description as JSON.")
@click.pass_context
@handle_errors
def add(ctx: click.Context, contributor: str, file: Path, store_path: Path | None, as_json: bool) -> None:
    """Check FILE (Turtle, N-Triples or CSV `ours,theirs[,predicate]`) and keep it for review.

    Every subject must be one of our published resources, every object an
    absolute IRI outside our namespace, every predicate owl:sameAs,
    skos:exactMatch, skos:closeMatch or schema:sameAs, and no link may repeat.
    Any bad line refuses the whole file (all bad lines are listed) and
    nothing is stored. Adding again for the same contributor replaces its
    pending linkset.

    \b
    Example:
        visitgraph build
        visitgraph linkset add --contributor "Example National Library" tests/data/linksets/good.csv
    """
    from visitgraph.linking.linkset_files import check_size
    from visitgraph.linking.linksets import add_linkset
    from visitgraph.store.backend import store_from_settings

    settings = settings_for(ctx, store_path)
    check_size(file.stat().st_size, file.name)
    try:
        info = add_linkset(settings, store_from_settings(settings), contributor, file.read_bytes(), file.name)
    except LinksetInvalid as e:
        if as_json:
            echo_json(e.to_dict())
        raise
    if as_json:
        echo_json(info.to_dict())
        return
    click.echo(
        f"Stored {info.links} link(s) from {safe(contributor)} as linksets/pending/{info.name}.ttl; "
        f"a librarian reviews it with `visitgraph linkset review {info.name} --accept`."
    )


@linkset.command("review")
@click.argument("name", required=False)
@click.option("--accept", "decision", flag_value="accept", help="Publish the links (rebuilds the store).")
@click.option("--reject", "decision", flag_value="reject", help="Refuse the links (kept under rejected/).")
@click.option("--reason", default="", help="Why (kept in the linkset's provenance).")
@click.option("--reviewer", default="librarian", show_default=True, help="Who reviews (kept in the provenance).")
@store_option
@click.pass_context
@handle_errors
def review(
    ctx: click.Context, name: str | None, decision: str | None, reason: str, reviewer: str, store_path: Path | None
) -> None:
    """List pending linksets, or accept or reject the one called NAME.

    \b
    Example:
        visitgraph linkset review
        visitgraph linkset review example-national-library --accept --reason "checked 20 links by hand"
    """
    from visitgraph.linking.linksets import list_linksets
    from visitgraph.publish.linkset_review import review_linkset
    from visitgraph.store.backend import store_from_settings

    settings = settings_for(ctx, store_path)
    if name is None:
        pending = [i.to_dict() for i in list_linksets(settings, "pending")]
        click.echo(_table(pending) if pending else "No linksets wait for review.")
        return
    if decision is None:
        raise click.UsageError("Say --accept or --reject (with --reason).")
    if decision == "reject" and not reason:
        raise click.UsageError("A rejection needs --reason, so the contributor learns why.")
    info = review_linkset(
        settings, store_from_settings(settings), name, accept=decision == "accept", reason=reason, reviewer=reviewer
    )
    verb = "Published" if decision == "accept" else "Rejected"
    click.echo(
        f"{verb} {info.links} link(s) from {safe(info.contributor)} ({Path(info.path).parent.name}/{info.name}.ttl)."
    )


@linkset.command("withdraw")
@click.argument("name")
@click.option("--reason", default="", help="Why (kept with the withdrawn copy).")
@click.option("--who", default="librarian", show_default=True, help="Who withdraws it.")
@store_option
@click.pass_context
@handle_errors
def withdraw(ctx: click.Context, name: str, reason: str, who: str, store_path: Path | None) -> None:
    """Unpublish a contributor's links (and drop pending ones); a copy is kept under withdrawn/.

    \b
    Example:
        visitgraph linkset withdraw example-national-library --reason "asked by the contributor"
    """
    from visitgraph.publish.linkset_review import withdraw_linkset
    from visitgraph.store.backend import store_from_settings

    settings = settings_for(ctx, store_path)
    info = withdraw_linkset(settings, store_from_settings(settings), name, who=who, reason=reason)
    click.echo(f"Withdrew {info.links} link(s) from {safe(info.contributor)}.")


@linkset.command("list")
@click.option(
    "--state",
    type=click.Choice(["pending", "accepted", "rejected", "withdrawn"]),
    default=None,
    help="Only linksets in this state.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@handle_errors
def list_(ctx: click.Context, state: str | None, as_json: bool) -> None:
    """List the stored linksets with contributor, link count, source file and state.

    \b
    Example:
        visitgraph linkset list --state accepted
    """
    from visitgraph.linking.linksets import list_linksets

    items = [i.to_dict() for i in list_linksets(settings_for(ctx), state)]
    if as_json:
        echo_json(items)
    else:
        click.echo(_table(items) if items else "No linksets.")
