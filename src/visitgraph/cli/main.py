"""The `visitgraph` command line: a thin shell over the library."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from visitgraph import __version__
from visitgraph.core.config import Settings, find_root, load_settings
from visitgraph.core.errors import ShapesViolation, VisitgraphError
from visitgraph.core.termtext import safe

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
F = TypeVar("F", bound=Callable[..., Any])


class Ctx:
    """What every command needs: settings and the --debug flag."""

    def __init__(self, settings: Settings, debug: bool) -> None:
        self.settings = settings
        self.debug = debug


def handle_errors(fn: F) -> F:
    """Turn VisitgraphError into `Error: ...` and exit 1 (tracebacks only with --debug)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except VisitgraphError as e:
            ctx = click.get_current_context().find_object(Ctx)
            if ctx is not None and ctx.debug:
                raise
            raise click.ClickException(safe(str(e), lines=True)) from e

    return wrapper  # type: ignore[return-value]


def store_option(fn: F) -> F:
    """Add `--store PATH` (the embedded store folder), meaning the same in every command."""
    return click.option(
        "--store",
        "store_path",
        type=click.Path(path_type=Path),
        default=None,
        help="Store folder (default: setting `store`, var/store).",
    )(fn)


def format_option(choices: tuple[str, ...], default: str) -> Callable[[F], F]:
    """Add `--format`, meaning the output format in every command."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default, show_default=True, help="Output format."
    )


def settings_for(ctx: click.Context, store_path: Path | None = None, **overrides: Any) -> Settings:
    """Return the group's settings with per-command overrides applied."""
    obj = ctx.find_object(Ctx)
    assert obj is not None, "commands run inside the visitgraph group"
    settings = obj.settings
    changes = {k: v for k, v in overrides.items() if v is not None}
    if store_path is not None:
        changes["store"] = store_path if store_path.is_absolute() else Path.cwd() / store_path
    return settings.replace(**changes) if changes else settings


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="visitgraph")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="VISITGRAPH_ROOT",
    default=None,
    help="Project folder (ontology/, data/, shapes/, queries/); default: the nearest one at or above "
    "the current folder.",
)
@click.option("--base-iri", default=None, help="Base IRI of minted resources.")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of short errors.")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, base_iri: str | None, debug: bool) -> None:
    """visitgraph: build, check, query and serve the Presidential Library visits graph.

    \b
    Example:
        visitgraph build && visitgraph query 'SELECT (COUNT(*) AS ?n) WHERE { ?v a <https://w3id.org/visitgraph/ontology#Visit> }'
    """
    try:
        settings = load_settings(root if root is not None else find_root(), {"base_iri": base_iri})
    except VisitgraphError as e:
        raise click.ClickException(str(e)) from e
    ctx.obj = Ctx(settings, debug)


def main() -> None:
    """Entry point of the `visitgraph` console script."""
    register_commands()
    cli(prog_name="visitgraph")


#: Modules whose import registers subcommands on :data:`cli`.
COMMAND_MODULES = (
    "visitgraph.cli.commands",
    "visitgraph.cli.queries",
    "visitgraph.cli.linkset",
    "visitgraph.cli.release",
    "visitgraph.cli.draft",
)


def register_commands() -> None:
    """Import every command module so its subcommands join the group."""
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name)


def echo_json(data: Any) -> None:
    """Print data as indented, key-sorted JSON."""
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


def fail_with_report(e: ShapesViolation, fmt: str) -> None:
    """Print a violation report in the requested format, then exit 1."""
    if fmt == "json":
        echo_json(e.report.to_dict())
    elif fmt == "turtle":
        click.echo(e.report.report_turtle)
    else:
        click.echo(safe(e.report.to_text(), lines=True), err=True)
    click.echo("Error: the data does not conform to the shapes; nothing was published.", err=True)
    sys.exit(1)
