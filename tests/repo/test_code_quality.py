"""The code-quality gates of issue #15, run by the test command (so `.ci/run` runs them): `ruff check`,
`ruff format --check` and `mypy --strict` (configured in pyproject.toml) over the repository, and no store or
reader typed `Any` (or `object`) anywhere in the package, where mypy would accept anything.

The tool versions are pinned to a minor range in pyproject.toml's `dev` extra: a new formatter
release may format differently, and a fresh clone must not fail for that.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = BIN / tool
    if not exe.exists():
        pytest.fail(f"{tool} is not installed next to {sys.executable}: run ./run test (it installs the dev extra)")
    return subprocess.run([str(exe), *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_check_is_clean() -> None:
    done = run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_ruff_format_is_clean() -> None:
    done = run("ruff", "format", "--check", ".")
    assert done.returncode == 0, "run `.venv/bin/ruff format .`\n" + done.stdout[-4000:] + done.stderr[-2000:]


def test_mypy_strict_is_clean() -> None:
    done = run("mypy")  # files and strict = true come from [tool.mypy]
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


PACKAGE = ROOT / "src" / "visitgraph"


def holds_store(name: str) -> bool:
    """Say whether a parameter, attribute or function of this name holds or returns a store or a reader.

    >>> [holds_store(n) for n in ("store", "_reader", "source_store", "stores", "store_path", "restore_files")]
    [True, True, True, True, False, False]
    """
    bare = name.lstrip("_")
    return bare in ("store", "reader", "stores", "readers") or bare.endswith(
        ("_store", "_reader", "_stores", "_readers")
    )


def loose(annotation: ast.expr | None) -> bool:
    """Say whether an annotation lets anything through: `Any` or `object` anywhere in it (`list[Any]`,
    `ox.Store | Any`, `"Any"`), or no annotation at all."""
    if annotation is None:
        return True
    for node in ast.walk(annotation):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                quoted = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                continue
            if loose(quoted):
                return True
        if (isinstance(node, ast.Name) and node.id in ("Any", "object")) or (
            isinstance(node, ast.Attribute) and node.attr == "Any"
        ):
            return True
    return False


def loosely_typed_stores(source: str, name: str = "<source>") -> list[str]:
    """Every parameter, annotated attribute or variable, and function return of a store or reader typed loosely."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                if holds_store(arg.arg) and loose(arg.annotation):
                    found.append(f"{name}:{arg.lineno} {node.name}({arg.arg}: {ast.unparse(arg.annotation or arg)})")
            if holds_store(node.name) and node.returns is not None and loose(node.returns):
                found.append(f"{name}:{node.lineno} def {node.name}(...) -> {ast.unparse(node.returns)}")
        elif isinstance(node, ast.AnnAssign):
            target = node.target
            label = (
                target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""
            )
            if holds_store(label) and loose(node.annotation):
                found.append(f"{name}:{node.lineno} {ast.unparse(target)}: {ast.unparse(node.annotation)}")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "def f(store: Any) -> None: ...",
        "def f(x: int, *, reader: 'Any') -> None: ...",
        "def f(stores: list[Any]) -> None: ...",
        "def f(source_store: object) -> None: ...",
        "def f(store: ox.Store | typing.Any) -> None: ...",
        "def f(store) -> None: ...",
        "class S:\n    def reader(self) -> Any: ...",
        "class S:\n    def __init__(self) -> None:\n        self._store: Any = None",
    ],
)
def test_loosely_typed_store_is_found(source: str) -> None:
    assert loosely_typed_stores(source)


def test_typed_stores_pass() -> None:
    source = (
        "def f(store: Store, reader: Reader | None, stores: Sequence[Reader], store_path: Path, x: Any) -> Any: ...\n"
        "def open_store(path: Path) -> EmbeddedStore: ...\n"
    )
    assert loosely_typed_stores(source) == []


def test_no_store_or_reader_is_typed_any() -> None:
    """Stores and readers say which protocol they are (store.backend.Store or Reader, sparql.engine.Queryable) or
    which pyoxigraph type: with `Any`, mypy let a reader be handed where a store is needed, and `len()` be called
    on a reader whose protocol had no `__len__`."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += loosely_typed_stores(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not found, "type these with store.backend.Store / Reader (or a pyoxigraph type):\n" + "\n".join(found)
