"""Pages read a store through one typed protocol (store/backend.Reader), not `Any` (issue #15).

Before, every function of `describe/` took `store: Any`; mypy could not see a page asking a reader for
something neither backend's reader has.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DESCRIBE = ROOT / "src" / "visitgraph" / "describe"


def test_no_describe_function_takes_an_untyped_store() -> None:
    found = []
    for path in sorted(DESCRIBE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
                    if arg.arg in ("store", "reader") and (
                        arg.annotation is None or ast.unparse(arg.annotation) == "Any"
                    ):
                        found.append(f"{path.name}:{node.lineno} {node.name}({arg.arg})")
    assert not found, "annotate readers with visitgraph.store.backend.Reader:\n" + "\n".join(found)


def test_both_backends_readers_are_readers(tmp_path: Path) -> None:
    """mypy --strict accepts an embedded (pyoxigraph) and a remote reader where pages take a `Reader`."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import pyoxigraph as ox\n"
        "from visitgraph.describe.browse import home_page\n"
        "from visitgraph.store.backend import Reader\n"
        "from visitgraph.store.remote import RemoteStore\n\n\n"
        "def readers(embedded: ox.Store, remote: RemoteStore) -> list[Reader]:\n"
        "    reveal_type(home_page)\n"
        "    home_page(embedded, 'http://e/')\n"
        "    return [embedded, remote.reader()]\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "mypy"),
            "--strict",
            "--ignore-missing-imports",
            "--no-incremental",
            str(probe),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "MYPYPATH": str(ROOT / "src")},  # else no visitgraph is found (no py.typed): all Any
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
    assert 'Revealed type is "def (store: visitgraph.store.backend.Reader' in done.stdout, done.stdout[-3000:]
