"""Core subcommands: build, validate, query, dump, serve, history, rollback.

Longer than 400 lines because it holds seven subcommands, each a thin wrapper, so the core command list stays in one place.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO, TextIO

import click

from visitgraph.cli.main import (
    cli,
    echo_json,
    fail_with_report,
    format_option,
    handle_errors,
    settings_for,
    store_option,
)
from visitgraph.core.errors import ShapesViolation, VisitgraphError
from visitgraph.core.fileio import output_errors
from visitgraph.core.termtext import safe
from visitgraph.core.textable import render_table

#: The formats `dump` writes.
DUMP_CHOICES = ("ttl", "nt", "nq", "trig", "jsonld")


@cli.command()
@store_option
@click.option("--who", default="cli", show_default=True, help="Who publishes (kept in the history).")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    help="Format of the violation report when the data does not conform.",
)
@click.option(
    "--full",
    is_flag=True,
    help="Reload and validate everything, even when only a few records changed since the last build.",
)
@click.option("--warnings", is_flag=True, help="List every advisory warning (default: one summary line).")
@click.option(
    "--allow-unreviewed", is_flag=True, help="Publish data files that still carry `# check:` marks (refused otherwise)."
)
@click.pass_context
@handle_errors
def build(
    ctx: click.Context,
    store_path: Path | None,
    who: str,
    as_json: bool,
    fmt: str,
    full: bool,
    warnings: bool,
    allow_unreviewed: bool,
) -> None:
    """Parse, validate and publish the repository's sources into the store.

    Only a conforming whole is published; on any error the published store is
    left exactly as it was and the command exits 1. Above validate_whole_limit
    triples, a build validates only the records that changed since the
    published generation (and starts from a checkpoint of it when only
    changesets were added); --full validates everything. Data files that
    still carry `# check:` marks (drafts not yet reviewed) are refused,
    naming file and line, unless --allow-unreviewed. Leftovers of an
    interrupted write are settled first (one line each on standard error).

    \b
    Example:
        visitgraph build
        visitgraph build --store /tmp/vg-store --json
        visitgraph build --full
    """
    from visitgraph.publish.pipeline import build as do_build
    from visitgraph.store.backend import store_from_settings

    settings = settings_for(ctx, store_path)
    try:
        report = do_build(
            settings,
            store_from_settings(settings),
            who=who,
            progress=sys.stderr.isatty(),
            full=full,
            allow_unreviewed=allow_unreviewed,
        )
    except ShapesViolation as e:
        fail_with_report(e, fmt)
        return
    if as_json:
        echo_json(report.to_dict())
        return
    assert report.generation is not None and report.validation is not None
    click.echo(
        f"Published generation {report.generation.id} to {settings.store}: "
        f"{report.triples} triples from {len(report.files)} files"
        + (f" and {len(report.changesets)} changesets" if report.changesets else "")
        + "."
    )
    if "how" in report.reused:
        checked = (
            f"validated {report.reused['focus_nodes']} record(s) touched by "
            f"{report.reused['changed_triples']} changed triple(s)"
            if "focus_nodes" in report.reused
            else "validated the whole graph"
        )
        click.echo(f"Reused generation {report.reused['generation']} ({report.reused['how']}); {checked}.")
    elif "full" in report.reused:
        click.echo(f"Validated everything: {report.reused['full']}.")
    click.echo(render_table(["class", "instances"], [[k, str(v)] for k, v in report.counts.items()]))
    if report.validation.warnings and not warnings:
        from visitgraph.sources.validate import warnings_summary

        click.echo(warnings_summary(report.validation.warnings, "`visitgraph build --warnings`"))
    elif report.validation.warnings:
        click.echo(f"{len(report.validation.warnings)} warning(s) (not blocking):")
        for w in report.validation.warnings:
            click.echo(f"  {w.describe(settings.base_iri)}")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="Report format: human-readable, JSON, or the SHACL report as Turtle.",
)
@click.option("--warnings", is_flag=True, help="List every advisory warning (default: one summary line).")
@click.option(
    "--progress/--no-progress", default=None, help="Show progress bars on stderr (default: when stderr is a terminal)."
)
@click.pass_context
@handle_errors
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str, warnings: bool, progress: bool | None) -> None:
    """Check the sources (plus FILES) against the shapes without publishing.

    FILES are extra Turtle files validated together with the repository's
    data, e.g. a new record before it is moved into data/. Exits 1 when
    there is any violation, or a data file (or FILE) still carries a
    `# check:` mark (named with its lines). On a large published graph built from the same
    sources, only the records FILES touch are checked (with their context).

    \b
    Example:
        visitgraph validate
        visitgraph validate data/visits/2020-01-24-rudomino-ipr-books.ttl --format json
    """
    from visitgraph.publish.pipeline import check
    from visitgraph.sources.review import describe, scan

    settings = settings_for(ctx)
    root = settings.root.resolve()
    extra = []
    for f in files:
        absolute = f.resolve()
        inside = absolute.is_relative_to(root) and any(
            absolute.is_relative_to(root / d) for d in ("data", "ontology", "linksets/accepted")
        )
        if not inside:
            extra.append(f)
    report = check(settings, extra, progress=sys.stderr.isatty() if progress is None else progress)
    marks = scan(settings, extra)
    if report.scope and fmt == "text":
        click.echo(report.scope)
    if fmt == "json":
        echo_json({**report.to_dict(), "unreviewed": marks})
    elif fmt == "turtle":
        click.echo(report.report_turtle)
    else:
        click.echo(report.to_text(warnings=warnings, listed_by="`visitgraph validate --warnings`"))
    if marks:
        click.echo(
            f"Not reviewed: {describe(marks)} `visitgraph build` refuses them until the marks are deleted "
            "(or --allow-unreviewed).",
            err=True,
        )
    if not report.conforms or marks:
        sys.exit(1)


class _EndsWithNewline:
    """A byte stream that remembers its last byte (answers end with exactly one newline)."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.last = b""

    def write(self, data: bytes) -> int:
        if data:
            self.last = data[-1:]
        with output_errors():
            return self.out.write(data)

    def flush(self) -> None:
        with output_errors():
            self.out.flush()


@cli.command()
@click.argument("sparql", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.File("r", encoding="utf-8"),
    help="Read the query from a file ('-' for standard input).",
)
@store_option
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "json", "csv", "tsv", "xml", "ttl", "nt", "jsonld", "rdfxml"]),
    help="Output format.",
)
@click.option(
    "--timeout",
    type=float,
    default=None,
    help="Stop the query after this many seconds (default: setting query_timeout; 0: no limit).",
)
@click.pass_context
@handle_errors
def query(
    ctx: click.Context,
    sparql: str | None,
    query_file: TextIO | None,
    store_path: Path | None,
    fmt: str,
    timeout: float | None,
) -> None:
    """Run a SPARQL query against the published store.

    The default graph is the union of every graph. The answer is written as
    it comes (a large CONSTRUCT streams), and the query is stopped after
    query_timeout seconds (--timeout). Tables show at most max_rows rows.

    \b
    Example:
        visitgraph query 'SELECT ?name WHERE { ?p a <http://schema.org/Person> ; <http://schema.org/name> ?name } ORDER BY ?name LIMIT 5'
        visitgraph query -f queries/visits-per-year.rq --format csv --timeout 10
    """
    from visitgraph.workers.querystream import stream_query

    if query_file is not None:
        sparql = query_file.read()
    if not sparql:
        raise click.UsageError("Give a query as an argument or with -f FILE.")
    settings = settings_for(ctx, store_path)
    out = _EndsWithNewline(sys.stdout.buffer)
    _, notes = stream_query(
        settings,
        sparql,
        fmt,
        out,  # type: ignore[arg-type]
        settings.query_timeout if timeout is None else timeout,
    )
    if out.last not in (b"", b"\n"):
        out.write(b"\n")
    if notes:
        click.echo(safe(notes, lines=True), err=True)


@cli.command()
@store_option
@format_option(DUMP_CHOICES, "ttl")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically; a FIFO or device is written through) instead of standard output.",
)
@click.pass_context
@handle_errors
def dump(ctx: click.Context, store_path: Path | None, fmt: str, output: Path | None) -> None:
    """Write the whole published graph, deterministically (same data, same bytes).

    Triple formats (ttl, nt, jsonld) hold the union of all graphs; quad
    formats (nq, trig) keep every named graph. JSON-LD cannot hold RDF 1.2
    triple terms: a graph with them is refused in that format. -o replaces a
    regular file atomically (through a symbolic link, its target), and
    writes a FIFO or device such as /dev/stdout through.

    \b
    Example:
        visitgraph dump --format nt -o /tmp/visitgraph.nt
        visitgraph dump --format trig | head
    """
    from visitgraph.core.fileio import write_output
    from visitgraph.store.backend import store_from_settings
    from visitgraph.store.dump import TripleTermsUnsupported, dump_quads, store_prefixes

    settings = settings_for(ctx, store_path)
    store = store_from_settings(settings)
    try:
        result = dump_quads(store.reader(), fmt, store_prefixes(settings.base_iri))
    except TripleTermsUnsupported as e:
        raise VisitgraphError(f"{e.reason}; use --format {_either(e.alternatives(DUMP_CHOICES))}") from e
    if output is None:
        with output_errors():
            sys.stdout.buffer.write(result.data)
        return
    write_output(output, result.data)
    click.echo(f"Wrote {result.statements} statements to {output} (sha256 {result.sha256}).", err=True)


def _either(names: list[str]) -> str:
    """Join names as `a, b or c`.

    >>> _either(["nq", "ttl", "trig"])
    'nq, ttl or trig'
    """
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


@cli.command()
@store_option
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8080).")
@click.option("--threads", type=int, default=None, help="Python threads running the app (WSGI).")
@click.option(
    "--get",
    "get_path",
    default=None,
    metavar="PATH",
    help="Print the response to one GET request and exit, without opening a port.",
)
@click.option("--accept", default=None, help="Accept header for --get.")
@click.pass_context
@handle_errors
def serve(
    ctx: click.Context,
    store_path: Path | None,
    host: str | None,
    port: int | None,
    threads: int | None,
    get_path: str | None,
    accept: str | None,
) -> None:
    """Serve the SPARQL endpoint and pages under a production HTTP server (granian, ASGI).

    Builds the store from the repository's files first if nothing is published yet.

    \b
    Example:
        visitgraph serve --port 8080
        visitgraph serve --get '/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D'
    """
    from visitgraph.publish.journal import recover
    from visitgraph.publish.pipeline import build as do_build
    from visitgraph.store.backend import store_from_settings
    from visitgraph.web import create_app

    settings = settings_for(ctx, store_path, host=host, port=port, threads=threads)
    store = store_from_settings(settings)
    with store.write_lock():
        recover(store, settings.root)  # settle what an interrupted write left; logs one line each
    if store.current() is None:
        click.echo(f"Nothing published in {settings.store} yet: building from {settings.root} ...", err=True)
        report = do_build(settings, store, who="serve")
        click.echo(f"Published {report.triples} triples.", err=True)
    del store  # nothing opened here survives into the server process
    if get_path is not None:
        headers = {"Accept": accept} if accept else {}
        response = create_app(settings).test_client().get(get_path, headers=headers)
        sys.stdout.buffer.write(response.get_data())
        if response.status_code >= 400:
            sys.exit(1)
        return
    from visitgraph.web import port_taken, serve_forever

    if port_taken(settings.host, int(settings.port)):
        raise VisitgraphError(
            f"Port {settings.port} on {settings.host} is already in use (another server?). "
            "Stop it, or choose another port with --port or the port setting."
        )
    click.echo(f"Serving on http://{settings.host}:{settings.port}/ (SPARQL at /sparql)", err=True)
    serve_forever(settings)


@cli.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
@handle_errors
def history(ctx: click.Context, store_path: Path | None, as_json: bool) -> None:
    """List every publish and rollback: generation, who, when, counts.

    \b
    Example:
        visitgraph history
    """
    from visitgraph.publish.undo import reverted_changesets
    from visitgraph.store.backend import store_from_settings

    settings = settings_for(ctx, store_path)
    store = store_from_settings(settings)
    entries = store.history()
    if as_json:
        with output_errors():
            echo_json([e.to_dict() for e in entries])
        return
    current = store.current()
    on_disk = set(store.generation_ids())
    rows = [
        [
            ("* " if current and e.generation == current.id and i == len(entries) - 1 else "  ") + e.generation,
            e.action,
            e.who,
            e.when,
            str(e.triples),
            "yes" if e.generation in on_disk else "pruned",
            e.note,
        ]
        for i, e in enumerate(entries)
    ]
    reverted = reverted_changesets(settings)
    with output_errors():
        click.echo(render_table(["generation", "action", "who", "when", "triples", "on disk", "note"], rows))
        if reverted:
            click.echo(
                f"Reverted changesets (set aside by rollback, kept in changesets/reverted/, not replayed): "
                f"{', '.join(reverted)}"
            )


@cli.command()
@store_option
@click.argument("generation", required=False)
@click.option("--who", default="cli", show_default=True, help="Who rolls back (kept in the history).")
@click.option(
    "--restore-files",
    is_flag=True,
    help="Also put back the data files that differ from GENERATION, from its recorded inputs "
    "(the current versions are kept under changesets/reverted/files/).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
@click.pass_context
@handle_errors
def rollback(
    ctx: click.Context, store_path: Path | None, generation: str | None, who: str, restore_files: bool, as_json: bool
) -> None:
    """Make an earlier published generation current again (default: the previous one), inputs too.

    Changesets the rollback steps back over are set aside in
    changesets/reverted/ (kept, listed by `history`, no longer replayed), so
    the next build publishes the same state again. Data files that differ
    from GENERATION are named; --restore-files puts GENERATION's versions back.

    \b
    Example:
        visitgraph history
        visitgraph rollback g000001
        visitgraph rollback g000001 --restore-files
    """
    from visitgraph.publish.undo import rollback as do_rollback
    from visitgraph.store.backend import store_from_settings

    settings = settings_for(ctx, store_path)
    report = do_rollback(settings, store_from_settings(settings), generation, who=who, restore_files=restore_files)
    if as_json:
        echo_json(report.to_dict())
        return
    gen = report.generation.id
    click.echo(f"Generation {gen} is current again.")
    if report.reverted:
        click.echo(
            f"Set aside {len(report.reverted)} changeset(s) it stepped back over (kept in changesets/reverted/, "
            f"no longer replayed): {', '.join(report.reverted)}"
        )
    if report.reinstated:
        click.echo(f"Replayed again from now on ({gen} was built with them): {', '.join(report.reinstated)}")
    for path in report.restored:
        click.echo(f"Restored {path} as it was in {gen}.")
    for path in report.unrecorded:
        click.echo(f"Cannot restore {path}: {gen}'s version of it was not recorded; restore it from version control.")
    left = [(p, how) for p, how in report.differing if p not in report.restored]
    if left:
        click.echo(f"These files differ from {gen}; the next build publishes them as they are now:")
        for path, how in left:
            click.echo(f"  {path} ({how} {gen})")
        if not restore_files:
            click.echo(f"Run `visitgraph rollback {gen} --restore-files` to put {gen}'s versions back.")
    if not report.inputs_known:
        click.echo(
            f"{gen} does not record its inputs (built by an older version): changesets and files were left as they are."
        )
