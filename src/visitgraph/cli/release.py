"""The `release` subcommand: a versioned folder of dumps, manifest, VoID and a changelog."""

from __future__ import annotations

from pathlib import Path

import click

from visitgraph.cli.main import cli, echo_json, handle_errors, settings_for, store_option


@cli.command()
@store_option
@click.option(
    "--version", "version", default=None, help="Release name, e.g. 1.2.0 (default: today's date, then .2, .3 ...)."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding the releases (default: <root>/releases).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.pass_context
@handle_errors
def release(ctx: click.Context, store_path: Path | None, version: str | None, out: Path | None, as_json: bool) -> None:
    """Write a versioned release: every dump (plain and gzip), manifest, VoID and a changelog.

    The changelog (CHANGES.md, added.nt, removed.nt) lists the triples added and
    removed since the previous release in the same folder, grouped by subject.
    A release folder never changes once written; `serve` publishes it under
    /dumps/releases/<version>/ as immutable.

    \b
    Example:
        visitgraph release --version 0.1.0 --out /tmp/vg-releases
        visitgraph release --out /tmp/vg-releases --json
    """
    from visitgraph.release.releases import release as do_release
    from visitgraph.store.backend import store_from_settings

    settings = settings_for(ctx, store_path)
    report = do_release(store_from_settings(settings), settings, version=version, out=out)
    if as_json:
        echo_json(report.to_dict())
        return
    click.echo(
        f"Wrote release {report.version} to {report.folder}: {report.manifest.store_triples} triples, "
        f"{len(report.manifest.files)} dump files."
    )
    if report.previous:
        click.echo(
            f"Since {report.previous}: {report.added} triples added, {report.removed} removed "
            f"(see {report.folder / 'CHANGES.md'})."
        )
    else:
        click.echo("First release in this folder: no changelog to compare with.")
