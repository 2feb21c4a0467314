"""The package layout holds: no import cycles between modules, and no import from a lower layer to a higher one.

Imports are read with `ast` from the source files (nothing is imported), including imports inside functions and
under ``if TYPE_CHECKING:``: a cycle hidden in a function body is still a cycle. :data:`LAYERS` is the one place
the layer order is written down; each package's docstring states its layer and is checked against it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "visitgraph"

#: Subpackages from the bottom layer to the top. A module may import modules of its own package and of the
#: packages before it, never of a package after it. `web` and `cli` are the two shells; `cli` is above `web`
#: because `visitgraph serve` starts the web app.
LAYERS: tuple[str, ...] = (
    "core",
    "sparql",
    "store",
    "sources",
    "workers",
    "describe",
    "queries",
    "linking",
    "release",
    "publish",
    "authoring",
    "web",
    "cli",
)


def module_name(path: Path) -> str:
    """`src/visitgraph/store/remote.py` -> `visitgraph.store.remote`; a package's `__init__` is the package."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(name: str, path: Path) -> dict[str, int]:
    """The visitgraph modules `name` imports anywhere in its source, each with the line of its first import."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from visitgraph.core import vocab` imports the module vocab; `from visitgraph.core.vocab import X`
            # imports the module vocab itself.
            submodules = [f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in MODULES]
            candidates = submodules or [target]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        for candidate in candidates:
            if candidate in MODULES and candidate != name:
                found.setdefault(candidate, node.lineno)
    return found


GRAPH: dict[str, dict[str, int]] = {name: imported_modules(name, path) for name, path in MODULES.items()}


def layer_of(module: str) -> int | None:
    """The index in :data:`LAYERS` of a module's subpackage; None for the top-level `visitgraph` modules."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the groups of two or more modules that import each other in a ring."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def test_every_subpackage_has_a_layer() -> None:
    """Each subpackage of visitgraph is in LAYERS, and each layer is a package (no new package escapes the rule)."""
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert packages == set(LAYERS)


def test_no_flat_modules_beyond_the_entry_points() -> None:
    """Modules live in the subpackages; only `__init__` and `__main__` stay at the top."""
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py", "__main__.py"]


@pytest.mark.parametrize("package", LAYERS)
def test_package_docstring_states_its_layer(package: str) -> None:
    """Each package's docstring says which layer it is, in the order LAYERS gives."""
    docstring = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
    assert docstring, f"visitgraph.{package} has no docstring"
    number = re.search(r"Layer (\d+)", docstring)
    assert number, f"visitgraph.{package}'s docstring does not say its layer"
    assert int(number[1]) == LAYERS.index(package) + 1


def test_no_import_cycles() -> None:
    """No ring of modules that import each other, however the imports are hidden."""
    rings = strongly_connected(GRAPH)
    details = [
        " -> ".join(ring)
        + "; edges: "
        + ", ".join(f"{a}:{GRAPH[a][b]} imports {b}" for a in ring for b in sorted(GRAPH[a]) if b in ring)
        for ring in rings
    ]
    assert not rings, "import cycles:\n" + "\n".join(details)


def test_no_upward_imports() -> None:
    """A module never imports from a package in a higher layer."""
    upward = [
        f"{MODULES[source].relative_to(SRC)}:{line} imports {target} ({LAYERS[layer_of(source) or 0]} is below "
        f"{LAYERS[layer_of(target) or 0]})"
        for source, targets in GRAPH.items()
        for target, line in targets.items()
        if layer_of(source) is not None
        and layer_of(target) is not None
        and (layer_of(target) or 0) > (layer_of(source) or 0)
    ]
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    """The parser finds an import in a function body and under TYPE_CHECKING, and resolves relative ones."""
    source = tmp_path / "probe.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from visitgraph.core.errors import StoreError\n"
        "def f():\n    from visitgraph.publish import pipeline\n"
        "from ..core import vocab, formats\n",
        encoding="utf-8",
    )
    found = imported_modules("visitgraph.store.probe", source)
    assert set(found) == {
        "visitgraph.core.errors",
        "visitgraph.publish.pipeline",
        "visitgraph.core.vocab",
        "visitgraph.core.formats",
    }
    assert strongly_connected({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}) == [["a", "b", "c"]]


#: Media types are facts of one table (issue #15): they are named only in core/formats.py.
MEDIA_TYPE = re.compile(r"^(?:text|application|multipart|image|audio|video)/[A-Za-z0-9.+-]+")


def media_type_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """Return (line, text) of string constants that start with a media type; docstrings and other bare
    string expressions (no value the code uses) are left out."""
    bare = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in bare
        and MEDIA_TYPE.match(node.value)
    )


def test_media_types_are_named_in_one_table() -> None:
    found = [
        f"{path.relative_to(SRC)}:{line}: {text!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "core" / "formats.py"
        for line, text in media_type_literals(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not found, "use the constants of visitgraph.core.formats instead:\n" + "\n".join(found)


def test_the_media_type_check_sees_literals_but_not_docstrings() -> None:
    tree = ast.parse(
        '"""Answers text/html."""\nA = {"application/json": 1}\nB = f"{A}; text/plain"\nC = "text/csv; x"\n'
    )
    assert media_type_literals(tree) == [(2, "application/json"), (4, "text/csv; x")]


#: Countries are facts of one table (issue #15): core/countries.py. A literal holding three or more of its
#: ISO 3166-1 codes anywhere else is a second table (the old ones mapped names to codes, or codes to names).
COUNTRY_TABLE = PACKAGE / "core" / "countries.py"
ISO_CODE = re.compile(r"^[A-Z]{2}$")


def table_codes() -> set[str]:
    """The codes of the one table, read from its source (`Country("AZ", …)` calls)."""
    tree = ast.parse(COUNTRY_TABLE.read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Country"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def country_code_literals(tree: ast.AST, codes: set[str]) -> list[int]:
    """Lines of dict, set, list and tuple literals holding three or more country codes (as keys or values)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            items: list[ast.expr | None] = [*node.keys, *node.values]
        elif isinstance(node, ast.Set | ast.List | ast.Tuple):
            items = list(node.elts)
        else:
            continue
        named = {
            item.value
            for item in items
            if isinstance(item, ast.Constant) and isinstance(item.value, str) and ISO_CODE.match(item.value)
        }
        if len(named & codes) >= 3:
            found.append(node.lineno)
    return found


def test_countries_are_named_in_one_table() -> None:
    codes = table_codes()
    assert len(codes) > 40  # the check reads the table
    found = [
        f"{path.relative_to(SRC)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != COUNTRY_TABLE
        for line in country_code_literals(ast.parse(path.read_text(encoding="utf-8")), codes)
    ]
    assert not found, "derive country lookups from visitgraph.core.countries instead:\n" + "\n".join(found)


def test_the_country_check_sees_a_second_table() -> None:
    tree = ast.parse('A = {"russia": "RU", "france": "FR", "azerbaijan": "AZ"}\nB = ("RU", "FR")\nC = {"AZ": 1}\n')
    assert country_code_literals(tree, {"RU", "FR", "AZ"}) == [1]
