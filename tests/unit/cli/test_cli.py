"""CLI: every command has help with a runnable example, appears in the README, and works."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import ROOT, copy_project, settings_for
from visitgraph.cli.main import cli, register_commands
from visitgraph.core.config import Settings

register_commands()


def all_commands() -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for name, cmd in sorted(cli.commands.items()):
        out.append((name,))
        for sub in sorted(getattr(cmd, "commands", {})):
            out.append((name, sub))
    return out


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_cli_help_has_example(command: tuple[str, ...], runner: CliRunner) -> None:
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert re.search(r"visitgraph " + re.escape(" ".join(command)), result.output)


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_cli_command_in_readme(command: tuple[str, ...]) -> None:
    assert f"visitgraph {command[0]}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_cli_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and re.search(r"\d+\.\d+\.\d+", result.output)


def test_python_dash_m_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "visitgraph", "--help"], capture_output=True, text=True, check=True)
    assert "build" in out.stdout


def invoke(runner: CliRunner, settings: Settings, *args: str) -> str:
    result = runner.invoke(cli, ["--root", str(settings.root), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    "fmt,check",
    [
        ("json", lambda out: json.loads(out)["head"]["vars"] == ["n"]),
        ("csv", lambda out: out.splitlines()[0].strip() == "n"),
        ("tsv", lambda out: out.splitlines()[0].strip() == "?n"),
        ("xml", lambda out: "<sparql" in out),
        ("table", lambda out: out.splitlines()[0].strip() == "n"),
    ],
)
def test_cli_query_formats(fmt: str, check: object, built_project: Settings, runner: CliRunner) -> None:
    q = "SELECT (COUNT(?v) AS ?n) WHERE { ?v a <https://w3id.org/visitgraph/ontology#Visit> }"
    out = invoke(runner, built_project, "query", q, "--store", str(built_project.store), "--format", fmt)
    assert check(out)  # type: ignore[operator]
    assert "30" in out


def test_cli_query_construct_as_turtle(built_project: Settings, runner: CliRunner) -> None:
    q = "CONSTRUCT { ?v a ?t } WHERE { ?v a ?t } LIMIT 2"
    out = invoke(runner, built_project, "query", q, "--store", str(built_project.store), "--format", "ttl")
    assert " a " in out or "rdf-syntax-ns#type" in out


def test_cli_query_syntax_error_is_short(built_project: Settings, runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["--root", str(built_project.root), "query", "SELEC nope", "--store", str(built_project.store)]
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: The query does not parse") and "Traceback" not in result.output


def test_cli_query_before_build_says_what_to_do(project: Settings, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--root", str(project.root), "query", "ASK {}", "--store", str(project.store)])
    assert result.exit_code == 1 and "visitgraph build" in result.output


DUMP_FORMATS = ["ttl", "nt", "nq", "trig", "jsonld"]


@pytest.fixture(scope="module")
def dumps_around_a_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """Each format dumped by the CLI from a built copy of the repository, then again after one more build."""
    settings = settings_for(copy_project(tmp_path_factory.mktemp("dump-cli") / "project"))
    runner, store = CliRunner(), ["--store", str(settings.store)]
    invoke(runner, settings, "build", *store)
    first = {fmt: invoke(runner, settings, "dump", *store, "--format", fmt) for fmt in DUMP_FORMATS}
    invoke(runner, settings, "build", *store)
    return {fmt: (first[fmt], invoke(runner, settings, "dump", *store, "--format", fmt)) for fmt in DUMP_FORMATS}


@pytest.mark.parametrize("fmt", DUMP_FORMATS)
def test_cli_dump_is_deterministic(fmt: str, dumps_around_a_build: dict[str, tuple[str, str]]) -> None:
    first, second = dumps_around_a_build[fmt]
    assert first == second and len(first) > 1000


def test_cli_validate_ok_and_json(project: Settings, runner: CliRunner) -> None:
    assert "Conforms" in invoke(runner, project, "validate")
    data = json.loads(invoke(runner, project, "validate", "--format", "json"))
    assert data["conforms"] is True and data["violations"] == 0


def test_cli_serve_get_answers_without_port(built_project: Settings, runner: CliRunner) -> None:
    out = invoke(
        runner,
        built_project,
        "serve",
        "--store",
        str(built_project.store),
        "--get",
        "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
    )
    assert json.loads(out)["boolean"] is True


def test_cli_history_and_rollback(built_project: Settings, runner: CliRunner) -> None:
    store = ["--store", str(built_project.store)]
    invoke(runner, built_project, "build", *store)
    assert "g000002" in invoke(runner, built_project, "history", *store)
    assert "g000001 is current again" in invoke(runner, built_project, "rollback", *store)


def test_readme_first_lines_are_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [shlex.split(line, comments=True) for line in lines[:8] if line.startswith("./run ")]
    assert commands == [["./run", "serve"], ["./run", "test"]]
    assert "./run test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_generated_blocks_are_current() -> None:
    cog = ROOT / ".venv" / "bin" / "cog"
    exe = str(cog) if cog.exists() else "cog"
    result = subprocess.run([exe, "--check", "README.md"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr + "\nrun: cog -r README.md"
