"""The README is a contract: every block, command and URL in it works for a newcomer.

A copy of the repository (the files git would commit) is served the README's way — what `./run
serve` runs, `.venv/bin/visitgraph serve` from the project folder, default settings but a free port —
then every block of README.md runs in order against it, in that copy: shell blocks must succeed,
`console` blocks must print what they show (`...` stands for any lines, or any text within a line),
SPARQL blocks must answer (and print the `text` block that follows them, if any). Every local URL the
README names is fetched, and every link of the pages it names is followed one hop: no 5xx.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, ServerExited, free_port, start_on_free_port

pytestmark = pytest.mark.e2e

README = ROOT / "README.md"
VENV = Path(sys.prefix)
#: Ports the README names, and the servers they stand for.
MAIN_PORT, TOKEN_PORT = "8080", "8081"
ACCEPTS = ("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "text/turtle, application/json;q=0.9, */*;q=0.1")
#: Commands the test does not run itself, and why.
NOT_RUN = {
    "./run serve": "the server this test starts is what `./run serve` executes after setting up .venv",
    "./run test": "the whole suite, which this test is part of; .ci/run is checked to call exactly it",
    ".venv/bin/pytest": "the test suite itself",
    # Mutation runs break the product on purpose for minutes to hours (not CI, issue 20); their
    # scripts' --help is run instead (test_mutation_tools_answer_help).
    ".venv/bin/python tools/mutation.py": "a mutation run (minutes to hours; not part of CI)",
    ".venv/bin/python tools/mutation_shapes.py": "a shape-mutation run (minutes to hours; not part of CI)",
}


@dataclass(frozen=True)
class Block:
    """One fenced block of the README."""

    lang: str
    text: str
    line: int


def readme_blocks(text: str) -> list[Block]:
    """Return every fenced code block with its language and line, outside cog sections."""
    text = re.sub(r"<!-- \[\[\[cog.*?\]\]\] -->", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
    return [
        Block(m.group(1), m.group(2), text[: m.start()].count("\n") + 1)
        for m in re.finditer(r"^```(\w*)\n(.*?)^```$", text, flags=re.M | re.S)
    ]


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))


def console_steps(text: str) -> list[tuple[str, list[str]]]:
    """Split a console block into (command, expected output lines)."""
    steps: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            assert steps, f"output before any command: {line!r}"
            steps[-1][1].append(line)
    return steps


def _line_matches(expected: str, actual: str) -> bool:
    if "..." not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual) is not None


def output_matches(expected: list[str], actual: list[str]) -> bool:
    """Say whether output lines match the shown ones; a line `...` stands for any number of lines.

    >>> output_matches(["a", "...", "z"], ["a", "b", "c", "z"]), output_matches(["x ... y"], ["x 1 y"])
    (True, True)
    """
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(output_matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and _line_matches(expected[0], actual[0]) and output_matches(expected[1:], actual[1:])


# -- the copy and its servers ---------------------------------------------------------------------------


def copy_repository(dest: Path) -> Path:
    """Copy what git would commit (tracked and unignored files) to `dest`, as a fresh clone has it."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    git = ["git", "-c", "user.name=readme", "-c", "user.email=readme@localhost"]
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    subprocess.run(["git", "add", "-A"], cwd=dest, check=True)
    subprocess.run([*git, "commit", "-qm", "copy"], cwd=dest, check=True)
    (dest / ".venv").symlink_to(VENV)  # the installed environment, as `./run` leaves it (ignored by git)
    return dest


def clean_env(**extra: str) -> dict[str, str]:
    """Return this environment without any VISITGRAPH_* setting: a newcomer's defaults."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VISITGRAPH_")}
    env.update(PYTHONUNBUFFERED="1", **extra)
    return env


def get(url: str, accept: str = "*/*") -> tuple[int | str, bytes]:
    """GET a URL; return (status or the error's name, body)."""
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return int(r.status), r.read()
    except urllib.error.HTTPError as e:
        return int(e.code), e.read()
    except (urllib.error.URLError, OSError) as e:
        return type(e).__name__, b""


class Server:
    """A `visitgraph serve` process in its own session, stopped by its process id."""

    def __init__(self, args: list[str], cwd: Path, port: int, env: dict[str, str], log: Path) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.log = log
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [*args, "--port", str(port)] if "--port" not in args else args,
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 300
        while get(self.base + "/-/health")[0] != 200:
            if self.proc.poll() is not None:  # e.g. another process took the port: start_on_free_port retries
                raise ServerExited(f"serve exited: {log.read_text(errors='replace')[-2000:]}")
            assert time.monotonic() < deadline, f"serve did not answer: {log.read_text(errors='replace')[-2000:]}"
            time.sleep(0.5)

    def stop(self) -> None:
        """Stop the server and its query workers."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


@dataclass
class Stage:
    """The copy, its README server, and what the README's commands started."""

    root: Path
    server: Server
    ports: dict[str, int]
    extra: list[Server]
    editor: Path


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    if not (VENV / "bin" / "visitgraph").exists():
        pytest.skip("visitgraph is not installed in this environment")
    root = copy_repository(tmp_path_factory.mktemp("readme") / "visitgraph")
    server = start_on_free_port(
        lambda port: Server(
            [str(root / ".venv" / "bin" / "visitgraph"), "serve"],
            root,
            port,
            clean_env(VISITGRAPH_PORT=str(port)),
            root.parent / "serve.log",
        )
    )
    port = int(server.base.rsplit(":", 1)[1])
    editor = root.parent / "editor.sh"  # the librarian confirms every guess: the `# check:` marks go
    editor.write_text("#!/bin/sh\nsed -i -e 's/  *# check:.*$//' \"$@\"\n", encoding="utf-8")
    editor.chmod(0o755)
    made = Stage(root, server, {MAIN_PORT: port, TOKEN_PORT: free_port()}, [], editor)
    try:
        yield made
    finally:
        for s in [server, *made.extra]:
            s.stop()


def localize(command: str, ports: dict[str, int]) -> str:
    """Point the README's ports at the test's servers."""
    for readme_port, port in ports.items():
        command = re.sub(rf"(?<=[:\s]){readme_port}\b", str(port), command)
    return command


def run_shell(stage: Stage, script: str) -> subprocess.CompletedProcess[str]:
    """Run a README script in the copy with bash (stdout and stderr together, as a terminal shows them)."""
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", localize(script, stage.ports)],
        cwd=stage.root,
        env=clean_env(EDITOR=str(stage.editor)),
        capture_output=True,
        text=True,
        timeout=600,
    )


def start_background(stage: Stage, command: str) -> None:
    """Start a `visitgraph serve … &` line of the README as a server this test stops."""
    assert "visitgraph serve" in command, f"only servers are started in the background: {command}"
    words = command.rstrip("& ").split()
    env = clean_env(**dict(w.split("=", 1) for w in words if "=" in w and not w.startswith("-")))
    args = [w for w in words if "=" not in w or w.startswith("-")]
    args[0] = str(stage.root / args[0])
    port = stage.ports[args[args.index("--port") + 1]] if "--port" in args else free_port()
    if "--port" in args:
        args[args.index("--port") + 1] = str(port)
    stage.extra.append(Server(args, stage.root, port, env, stage.root.parent / f"serve-{port}.log"))


def skipped(command: str) -> str | None:
    """Return why a README command is not run by this test, or None."""
    return next((why for start, why in NOT_RUN.items() if command.startswith(start)), None)


# -- the blocks ---------------------------------------------------------------------------------------


def test_readme_opens_with_run_serve_and_run_test() -> None:
    first = [line.split("#")[0].strip() for line in BLOCKS[0].text.splitlines()]
    assert first == ["./run serve", "./run test"]


def test_run_serve_executes_what_the_fixture_starts() -> None:
    """The fixture's server is `./run serve` after its setup: `.venv/bin/visitgraph serve` from the project folder."""
    script = (ROOT / "run").read_text(encoding="utf-8")
    assert 'cd "$(dirname "$0")"' in script
    serve = script[script.index("  serve)") : script.index(";;", script.index("  serve)"))]
    assert serve.strip().splitlines()[-1].strip() == 'exec .venv/bin/visitgraph serve "$@"'


@pytest.mark.parametrize("script", ["tools/mutation.py", "tools/mutation_shapes.py"])
def test_mutation_tools_answer_help(script: str) -> None:
    """The README's mutation commands are not run here (too long), but their scripts must at least start."""
    done = subprocess.run(
        [sys.executable, str(ROOT / script), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0 and "usage:" in done.stdout, done.stderr


def test_ci_runs_exactly_the_readme_test_command() -> None:
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    commands = [line for line in lines if line and not line.startswith(("#", "set ", "cd "))]
    assert commands == ["./run test"]


def test_readme_links_to_files_that_exist() -> None:
    text = README.read_text(encoding="utf-8")
    for target in re.findall(r"\]\((?!https?:)([^)#]+)\)", text):
        assert (ROOT / target).exists(), target


def test_served_from_a_copy_with_default_settings(stage: Stage) -> None:
    """`./run serve`'s way: the store is the copy's var/store, and every dump is served whole."""
    assert (stage.root / "var" / "store").is_dir()
    status, body = get(stage.server.base + "/dumps/manifest.json")
    assert status == 200, body[:500]
    import hashlib

    for entry in json.loads(body)["files"]:
        status, data = get(stage.server.base + "/dumps/" + entry["name"])
        assert status == 200 and hashlib.sha256(data).hexdigest() == entry["sha256"], entry["name"]
    import visitgraph

    assert not (Path(visitgraph.__file__).parent / "web" / "var").exists()


@pytest.mark.parametrize("where", ["elsewhere", "subfolder"])
def test_served_with_cwd_outside_the_project_root(stage: Stage, tmp_path: Path, where: str) -> None:
    """From another folder (`--root`) or a subfolder of the project, paths still resolve against the project."""
    exe = str(stage.root / ".venv" / "bin" / "visitgraph")
    args, cwd = (
        ([exe, "--root", str(stage.root), "serve"], tmp_path)
        if where == "elsewhere"
        else ([exe, "serve"], stage.root / "data" / "visits")
    )
    server = start_on_free_port(lambda port: Server(args, cwd, port, clean_env(), tmp_path / "serve.log"))
    try:
        for path in ("/dumps/manifest.json", "/dumps/visitgraph.ttl", "/sparql?query=ASK%7B%7D"):
            assert get(server.base + path)[0] == 200, path
    finally:
        server.stop()
    assert not (tmp_path / "var").exists() and not (stage.root / "data" / "visits" / "var").exists()


@pytest.mark.parametrize("block", BLOCKS[1:], ids=[f"line{b.line}-{b.lang}" for b in BLOCKS[1:]])
def test_readme_block_runs(stage: Stage, block: Block) -> None:
    if block.lang == "console":
        _run_console(stage, block)
    elif block.lang == "bash":
        _run_bash(stage, block)
    elif block.lang == "sparql":
        _run_sparql(stage, block)
    else:
        assert block.lang == "text", f"README line {block.line}: a ```{block.lang} block the test cannot run"


def _run_console(stage: Stage, block: Block) -> None:
    for command, expected in console_steps(block.text):
        if skipped(command):
            continue
        if command.split("#")[0].rstrip().endswith("&"):
            start_background(stage, command.split("#")[0])
            continue
        done = run_shell(stage, command)
        actual = (done.stdout + done.stderr).replace("\r\n", "\n").rstrip("\n").splitlines()
        assert output_matches(expected, actual), (
            f"README line {block.line}: `{command}` printed\n" + "\n".join(actual) + "\nnot\n" + "\n".join(expected)
        )


def _run_bash(stage: Stage, block: Block) -> None:
    lines = [line for line in block.text.splitlines() if not skipped(line)]
    done = run_shell(stage, "set -eu\n" + "\n".join(lines))
    assert done.returncode == 0, f"README line {block.line}:\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stdout + done.stderr


def _run_sparql(stage: Stage, block: Block) -> None:
    shown = next((b for b in BLOCKS if b.line > block.line), None)
    status, body = get(
        stage.server.base + "/sparql?" + urllib.parse.urlencode({"query": block.text}),
        "application/sparql-results+json",
    )
    assert status == 200 and json.loads(body)["results"]["bindings"], f"README line {block.line}: {body[:500]!r}"
    if shown is not None and shown.lang == "text":
        done = subprocess.run(
            [str(stage.root / ".venv" / "bin" / "visitgraph"), "query", "--format", "table", block.text],
            cwd=stage.root,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        actual = (done.stdout + done.stderr).rstrip("\n").splitlines()
        assert output_matches(shown.text.rstrip("\n").splitlines(), actual), "\n".join(actual)


# -- the URLs -----------------------------------------------------------------------------------------


def readme_paths(text: str) -> list[str]:
    """Return every local URL path the README names (placeholders such as <name> kept)."""
    found = set()
    for m in re.finditer(r"http://127\.0\.0\.1:\d+(/[^\s'\"`)]*)", text):
        found.add(m.group(1))
    for m in re.finditer(r"`(/[^`\s]*)`", text):
        path = m.group(1)
        if not re.match(r"^/(tmp|usr|etc|bin|opt|var|home)\b", path):
            found.add(path)
    return sorted(found)


def fill(path: str, base: str) -> list[str]:
    """Fill placeholders (<kind>/<slug>, <name>) with values the server publishes; drop the unfillable."""
    path = path.split("|")[0]
    values = {"name": "visits-in-range", "kind": "person", "slug": "mayil-ahmadov", "iri": "urn:x-readme:none"}
    for key, value in values.items():
        path = path.replace(f"<{key}>", value)
    return [] if "<" in path or "…" in path else [path]


def test_readme_urls_and_their_links_answer_without_5xx(stage: Stage) -> None:
    base = stage.server.base
    failures, linked, seen = [], [], set()
    paths = [p for raw in readme_paths(README.read_text(encoding="utf-8")) for p in fill(raw, base)]
    assert "/dumps/" in paths and "/sparql" in paths and "/.well-known/void" in paths, paths
    for path in paths:
        seen.add(path)
        for accept in ACCEPTS:
            status, body = get(base + path, accept)
            if not isinstance(status, int) or status >= 500:
                failures.append(f"{status} GET {path} ({accept.split(',')[0]})")
            if accept == ACCEPTS[0] and status == 200:
                linked += re.findall(r'href="(/[^"#]*)"', body.decode("utf-8", "replace"))
    hops = [p.replace("&amp;", "&") for p in dict.fromkeys(linked) if p not in seen]
    for path in hops:
        status, _ = get(base + path, ACCEPTS[0])
        if not isinstance(status, int) or status >= 500:
            failures.append(f"{status} GET {path} (linked from a README page)")
    assert len(hops) > 50, hops
    assert not failures, "\n".join(failures)


def test_git_status_after_the_readme_shows_only_data(stage: Stage) -> None:
    """Run after the blocks: what they leave is data a librarian commits, never locks or stores."""
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=stage.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = [line[3:] for line in status.splitlines()]
    assert not [n for n in names if n.endswith(".lock") or n.startswith(("var/", ".venv"))], names
