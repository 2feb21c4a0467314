"""Saved-query subcommands: `visitgraph queries list|show|run`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from visitgraph.cli.main import cli, echo_json, handle_errors, settings_for, store_option
from visitgraph.core.textable import render_table


@cli.group(name="queries")
def queries_group() -> None:
    """List, show and run the saved queries in queries/*.rq.

    \b
    Example:
        visitgraph queries list
    """


@queries_group.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
@click.pass_context
@handle_errors
def list_queries(ctx: click.Context, as_json: bool) -> None:
    """List the saved queries: name, title and parameters.

    \b
    Example:
        visitgraph queries list
        visitgraph queries list --json
    """
    from visitgraph.queries.catalog import discover_queries

    settings = settings_for(ctx)
    queries = discover_queries(settings.root, settings.max_depth)
    if as_json:
        echo_json([q.to_dict() for q in queries])
        return
    rows = [[q.name, q.title, " ".join(p.name + ("*" if p.required else "") for p in q.params)] for q in queries]
    click.echo(render_table(["name", "title", "parameters"], rows, max_width=70))


@queries_group.command(name="show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the query as JSON.")
@click.pass_context
@handle_errors
def show_query(ctx: click.Context, name: str, as_json: bool) -> None:
    """Show one saved query: what it asks, its parameters and its SPARQL.

    \b
    Example:
        visitgraph queries show visits-in-range
    """
    from visitgraph.queries.catalog import get_query

    settings = settings_for(ctx)
    query = get_query(settings.root, name, settings.max_depth)
    if as_json:
        echo_json(query.to_dict())
        return
    click.echo(f"{query.name}: {query.title}")
    if query.description:
        click.echo(query.description)
    click.echo("")
    for p in query.params:
        default = f" [default: {p.default}]" if p.default is not None else ""
        need = "required" if p.required else "optional"
        click.echo(f"  --param {p.name}=...  {p.type}, {need}{default}. {p.help} Expected: {p.expected()}.")
    if not query.params:
        click.echo("  (no parameters)")
    click.echo("")
    click.echo(query.sparql.rstrip())


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key:
            raise click.BadParameter(f"write --param NAME=VALUE, not {pair!r}", param_hint="--param")
        out[key.strip()] = value
    return out


@queries_group.command(name="run")
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter value (repeatable); missing ones take their defaults.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "tsv", "ttl", "srj"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option("--limit", default=None, help="Rows per page (paged queries; default 20, at most 500).")
@click.option("--offset", default=None, help="Rows to skip (paged queries).")
@store_option
@click.pass_context
@handle_errors
def run_query_command(
    ctx: click.Context,
    name: str,
    params: tuple[str, ...],
    fmt: str,
    limit: str | None,
    offset: str | None,
    store_path: Path | None,
) -> None:
    """Run a saved query against the published store, with typed parameters.

    \b
    Example:
        visitgraph queries run visits-per-year
        visitgraph queries run visits-in-range --param start=2013-01-01 --param end=2013-12-31 --format csv
        visitgraph queries run organization-people --param organization=organization/oclc --format json
    """
    from visitgraph.queries.answerindex import for_store
    from visitgraph.queries.catalog import get_query, run_saved_query
    from visitgraph.queries.query_output import page_to_dict, serialize_page
    from visitgraph.queries.searchindex import for_store as search_for
    from visitgraph.store.backend import store_from_settings
    from visitgraph.store.dump import store_prefixes

    settings = settings_for(ctx, store_path)
    query = get_query(settings.root, name, settings.max_depth)
    store = store_from_settings(settings)
    page = run_saved_query(
        store.reader(),
        query,
        _parse_params(params),
        limit,
        offset,
        base_iri=settings.base_iri,
        max_rows=settings.max_rows,
        answers=for_store(store),
        search=search_for(store, rebuild=False),
    )
    if fmt == "table":
        rows = [
            [_short(v, settings.base_iri) for v in rec]
            for rec in [[r.get(var, "") for var in page.variables] for r in page.records()]
        ]
        click.echo(render_table(page.variables, rows))
        more = "; more follow (use --offset)" if page.has_next else ""
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{more})", err=True)
        return
    if fmt == "json":
        echo_json(page_to_dict(page))
        return
    data = serialize_page(page, fmt, store_prefixes(settings.base_iri))
    sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")


def _short(value: str, base: str) -> str:
    return value[len(base) :] if value.startswith(base) else value


@queries_group.command(name="index")
@click.argument("names", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print what was stored as JSON.")
@store_option
@click.pass_context
@handle_errors
def index_command(ctx: click.Context, names: tuple[str, ...], as_json: bool, store_path: Path | None) -> None:
    """Store the saved queries' whole answers for the published generation.

    `build` does this at every publish (setting `answer_index`); run it after
    editing queries/*.rq, so their pages are read from the stored answers again
    instead of running SPARQL. Each query runs once, stopped at `index_timeout`
    seconds; one that takes longer or has more than `index_max_rows` rows stays
    SPARQL-only, and the table says why. Name queries to store only those
    again and keep the others' stored answers.

    \b
    Example:
        visitgraph queries index
        visitgraph queries index gifts people --json
    """
    from visitgraph.core.errors import VisitgraphError
    from visitgraph.queries.answerindex import build_index
    from visitgraph.queries.catalog import discover_queries
    from visitgraph.store.backend import store_from_settings

    settings = settings_for(ctx, store_path)
    store = store_from_settings(settings)
    if store.backend != "embedded":
        raise VisitgraphError(
            "Stored answers are kept for the embedded store only; with the remote backend "
            "saved queries always run on the server."
        )
    gen = store.require_current()
    queries = discover_queries(settings.root, settings.max_depth)
    unknown = sorted(set(names) - {q.name for q in queries})
    if unknown:
        raise VisitgraphError(f"No saved query named {', '.join(unknown)}; see `visitgraph queries list`.")
    keep = [q.name for q in queries if names and q.name not in names]
    with store.write_lock():
        report = build_index(settings, store.path, gen.path, gen.id, queries, keep=keep)
    if as_json:
        echo_json(
            {
                "generation": gen.id,
                "seconds": report.seconds,
                "stored": report.stored,
                "skipped": report.skipped,
                "queries": report.entries,
            }
        )
        return
    rows = [
        [name, str(entry.get("rows", "")), f"{entry.get('seconds', 0):.2f}", entry.get("error", "stored")]
        for name, entry in sorted(report.entries.items())
    ]
    click.echo(render_table(["query", "rows", "seconds", "status"], rows))
    click.echo(
        f"Stored {len(report.stored)} of {len(report.entries)} answers for generation {gen.id} "
        f"in {report.seconds:.1f} s.",
        err=True,
    )
