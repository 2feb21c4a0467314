"""Hostile input, second pass (issue 21): the command line.

`visitgraph query` streams and stops at its time limit (a real process, its memory watched);
text from data never reaches the terminal with its control characters; release versions are
SemVer; linkset files have a size limit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from visitgraph.cli.main import cli, register_commands
from visitgraph.core.config import Settings
from visitgraph.store.embedded import EmbeddedStore

register_commands()
CONTROL = "\x1b]0;owned\x07Evil \x1b[2J Library\r"
HUGE_CONSTRUCT = "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _tree_rss(pid: int) -> int:
    """Return the resident memory (bytes) of `pid` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total


def test_query_streams_a_huge_construct_and_stops_at_the_timeout(store: EmbeddedStore, mini_project: Settings) -> None:
    env = {**os.environ, "VISITGRAPH_STORE": str(mini_project.store), "VISITGRAPH_QUERY_TIMEOUT": "4"}
    started = time.monotonic()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "visitgraph",
            "--root",
            str(mini_project.root),
            "query",
            HUGE_CONSTRUCT,
            "--format",
            "nt",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    peak = [0]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    killer = threading.Timer(40, proc.kill)  # a query that never stops must not hang the suite
    killer.start()
    assert proc.stdout is not None
    first = proc.stdout.read(4096)
    first_at = time.monotonic() - started
    total = len(first)
    while chunk := proc.stdout.read(1 << 20):
        total += len(chunk)
    try:
        proc.wait(30)
    finally:
        done.set()
        killer.cancel()
        proc.kill()
    elapsed = time.monotonic() - started
    assert proc.stderr is not None
    with proc.stdout, proc.stderr:  # closed here, not by the garbage collector (a ResourceWarning under -W error)
        stderr = proc.stderr.read().decode()
    assert proc.returncode == 1 and stderr.startswith("Error: Query timed out after 4 s"), stderr
    # the answer came while the query ran: its first lines seconds before the 4 s timeout stopped it (measured
    # from the end, not the start: a loaded machine took 5.2 s just to start the process and send them)
    assert first.count(b"\n") > 10 and elapsed - first_at > 2, (first_at, elapsed)
    assert total > len(first), total  # and kept streaming (the amount in 4 s depends on the machine's load)
    assert elapsed < 30, elapsed  # stopped (the message above says by the timeout), well before the 40 s killer
    assert peak[0] < 600 * 1024 * 1024, f"peak {peak[0] / 2**20:.0f} MB"
    print(
        f"streamed {total / 2**20:.1f} MB in {elapsed:.1f} s, first bytes after {first_at:.2f} s, "
        f"peak RSS of the process tree {peak[0] / 2**20:.0f} MB"
    )


def test_query_table_is_capped(store: EmbeddedStore, mini_project: Settings, runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        ["--root", str(mini_project.root), "query", "SELECT * WHERE { ?s ?p ?o }", "--store", str(mini_project.store)],
        env={"VISITGRAPH_MAX_ROWS": "7"},
    )
    assert result.exit_code == 0, result.output
    assert "first 7 rows" in result.output


def _pending_linkset(settings: Settings, store: EmbeddedStore, contributor: str) -> None:
    from visitgraph.linking.linksets import add_linkset

    csv = f"ours,theirs\n{settings.base_iri}person/svetlana-gorokhova,https://example.org/p/1\n"
    add_linkset(settings, store, contributor, csv.encode(), "links.csv")


def test_linkset_review_escapes_control_characters(
    store: EmbeddedStore, mini_project: Settings, runner: CliRunner
) -> None:
    _pending_linkset(mini_project, store, CONTROL)
    result = runner.invoke(
        cli, ["--root", str(mini_project.root), "linkset", "review", "--store", str(mini_project.store)]
    )
    assert result.exit_code == 0, result.output
    assert "Evil" in result.output and "\\x1b]0;owned\\x07" in result.output
    assert not any(c in result.output for c in "\x1b\x07\r")


def test_draft_error_escapes_control_characters(mini_project: Settings, runner: CliRunner, tmp_path: Path) -> None:
    news = tmp_path / "news.txt"
    news.write_text("\x1b[2J\x1b]0;owned\x07 The weather was fine\r on 5 May 2020.\n", encoding="utf-8")
    result = runner.invoke(cli, ["--root", str(mini_project.root), "draft", str(news), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and result.output.startswith("Error: "), result.output
    assert not any(c in result.output for c in "\x1b\x07\r"), repr(result.output)


@pytest.mark.parametrize(
    "version", ["9" * 300, "-rf", "\uff11.\uff10.\uff10", "1.0.0\u00e9", "1.0", "../x", "1.0.0\n", "01.2.3"]
)
def test_release_refuses_versions_that_are_not_semver(
    store: EmbeddedStore, mini_project: Settings, runner: CliRunner, tmp_path: Path, version: str
) -> None:
    out = tmp_path / "rel"
    result = runner.invoke(
        cli,
        [
            "--root",
            str(mini_project.root),
            "release",
            "--store",
            str(mini_project.store),
            "--version",
            version,
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 1 and result.output.startswith("Error: Release version"), result.output
    assert "Traceback" not in result.output and len(result.output) < 400
    assert not out.exists() or not any(out.iterdir())


def test_release_accepts_semver(
    store: EmbeddedStore, mini_project: Settings, runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(
        cli,
        [
            "--root",
            str(mini_project.root),
            "release",
            "--store",
            str(mini_project.store),
            "--version",
            "1.2.0-rc.1+b5",
            "--out",
            str(tmp_path / "rel"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rel" / "1.2.0-rc.1+b5" / "manifest.json").is_file()


def test_linkset_add_refuses_a_file_past_the_size_limit(
    mini_project: Settings, runner: CliRunner, tmp_path: Path
) -> None:
    from visitgraph.linking.linkset_files import MAX_LINKSET_BYTES

    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(MAX_LINKSET_BYTES + 1)
    started = time.monotonic()
    result = runner.invoke(
        cli,
        [
            "--root",
            str(mini_project.root),
            "linkset",
            "add",
            "--contributor",
            "Big",
            str(big),
            "--store",
            str(mini_project.store),
        ],
    )
    assert result.exit_code == 1 and "at most 16777216 bytes" in result.output, result.output
    assert time.monotonic() - started < 2


def test_linkset_add_blank_node_file_is_linear(
    store: EmbeddedStore, mini_project: Settings, runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "blank.ttl"
    path.write_text("[] <http://www.w3.org/2002/07/owl#sameAs> [] .\n" * 20_000, encoding="utf-8")
    started = time.monotonic()
    result = runner.invoke(
        cli,
        [
            "--root",
            str(mini_project.root),
            "linkset",
            "add",
            "--contributor",
            "Blank",
            str(path),
            "--store",
            str(mini_project.store),
        ],
    )
    assert result.exit_code == 1 and "20000 problem(s)" in result.output, result.output[:300]
    assert time.monotonic() - started < 10


def test_validate_shows_progress(mini_project: Settings, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--root", str(mini_project.root), "validate", "--progress"])
    assert result.exit_code == 0, result.output
    assert "read: " in result.stderr and "file/s" in result.stderr


def new_people_file(folder: Path, base: str, count: int = 40) -> Path:
    """Write `count` new, valid person records to a Turtle file (above a lowered validate_whole_limit)."""
    extra = folder / "new-people.ttl"
    extra.write_text(
        "".join(
            f'<{base}person/new-{i}> a <http://schema.org/Person> ; <http://schema.org/name> "New Person {i}" .\n'
            for i in range(count)
        ),
        encoding="utf-8",
    )
    return extra


def test_validate_of_a_big_file_goes_in_batches_with_progress(
    mini_project: Settings, runner: CliRunner, tmp_path: Path
) -> None:
    # above validate_whole_limit triples the check streams the file into a scratch store and
    # validates batches of focus nodes, so memory follows the batch (200 MB: bench/README.md)
    extra = new_people_file(tmp_path, mini_project.base_iri)
    # the batched path is pyshacl's (the shacl engine checks the whole scratch store in one call, decision 0033)
    env = {
        "VISITGRAPH_VALIDATE_WHOLE_LIMIT": "50",
        "VISITGRAPH_VALIDATE_BATCH": "10",
        "VISITGRAPH_SHACL_ENGINE": "pyshacl",
    }
    result = runner.invoke(cli, ["--root", str(mini_project.root), "validate", "--progress", str(extra)], env=env)
    assert result.exit_code == 0, result.output
    assert "validate: " in result.stderr and "batch/s" in result.stderr


def test_validate_of_a_big_file_with_the_default_engine_shows_it_is_working(
    mini_project: Settings, runner: CliRunner, tmp_path: Path
) -> None:
    # the default shacl engine checks the scratch store in one call that reports nothing while it runs
    # (200 MB: about 7 minutes, 488 MiB peak; bench/README.md): a line with the elapsed time says it works
    extra = new_people_file(tmp_path, mini_project.base_iri)
    env = {"VISITGRAPH_VALIDATE_WHOLE_LIMIT": "50", "VISITGRAPH_SHACL_ENGINE": "shacl"}
    result = runner.invoke(cli, ["--root", str(mini_project.root), "validate", "--progress", str(extra)], env=env)
    assert result.exit_code == 0, result.output
    assert "(shacl engine)" in result.stderr and "elapsed" in result.stderr, result.stderr[-500:]


def test_build_says_what_to_do_when_the_data_cannot_be_streamed_to_the_engine(
    mini_project: Settings, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read error while the dump streams to the SHACL engine (decision 0070): `Error: …` naming what to do, exit 1,
    no traceback, and nothing published."""
    import shutil

    def broken(source: object, out: object, length: int = 0) -> None:
        raise OSError("Input/output error")

    monkeypatch.setattr(shutil, "copyfileobj", broken)
    result = runner.invoke(
        cli,
        ["--root", str(mini_project.root), "build", "--store", str(mini_project.store)],
        env={"VISITGRAPH_VALIDATE_WHOLE_LIMIT": "0"},
    )
    assert result.exit_code == 1, result.output
    assert "Error: " in result.output and "Traceback" not in result.output
    assert "could not be streamed whole to the SHACL engine (Input/output error)" in result.output
    assert "Build again; if it recurs, check the disk" in result.output
    assert not (mini_project.store / "CURRENT").exists()
