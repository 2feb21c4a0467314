"""The test suite mirrors the packages (decision 0040).

- `tests/unit/<package>/`: tests of one subpackage of `src/visitgraph/`, in-process (the unit suite,
  `pytest tests/unit`); they may start short helper processes, never a server, a browser or a remote store;
- `tests/system/`: real `serve` processes, browsers, remote stores, the README, crash injection, 1 MB sweeps;
- `tests/repo/`: the repository as a whole (layering, code quality, the data).

Checked from the files' text, so a misplaced test fails here before it slows the unit suite down.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from conftest import ROOT

TESTS = ROOT / "tests"
PACKAGES = sorted(p.parent.name for p in (ROOT / "src" / "visitgraph").glob("*/__init__.py"))
#: What only a system test may use: markers, the live-server fixture, the remote servers, a browser.
SYSTEM_ONLY = re.compile(
    r"pytest\.mark\.(e2e|browser|remote)\b|\blive_server\b|\bLiveServer\b|\bremote_servers\b|\bchromium\b"
    r"|\bplaywright\b|\"serve\", \"--port\""
)


def all_test_files() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def test_every_test_file_is_in_unit_package_system_or_repo() -> None:
    misplaced = []
    for path in all_test_files():
        parts = path.relative_to(TESTS).parts
        if parts[0] == "data":
            continue
        ok = (len(parts) == 3 and parts[0] == "unit" and parts[1] in PACKAGES) or (
            len(parts) == 2 and parts[0] in ("system", "repo")
        )
        if not ok:
            misplaced.append(str(path.relative_to(ROOT)))
    assert not misplaced, f"test files belong in tests/unit/<one of {PACKAGES}>/, tests/system/ or tests/repo/"


def test_unit_folders_name_packages() -> None:
    folders = sorted(p.name for p in (TESTS / "unit").iterdir() if p.is_dir() and p.name != "__pycache__")
    assert set(folders) <= set(PACKAGES), set(folders) - set(PACKAGES)


def test_test_file_names_are_unique() -> None:
    """No `__init__.py` in tests/: pytest imports each test file by its base name, so two would clash."""
    names = Counter(p.name for p in all_test_files())
    assert [n for n, k in names.items() if k > 1] == []
    assert not list(TESTS.rglob("__init__.py"))


def test_unit_and_repo_tests_start_no_server_browser_or_remote_store() -> None:
    found = {
        str(path.relative_to(ROOT)): sorted({m.group(0) for m in SYSTEM_ONLY.finditer(path.read_text("utf-8"))})
        for folder in ("unit", "repo")
        for path in sorted((TESTS / folder).rglob("*.py"))
        if path.name != "test_test_layout.py"
    }
    assert {f: hits for f, hits in found.items() if hits} == {}, "move these tests to tests/system/"


def test_a_tests_cyclic_garbage_is_collected_on_the_main_thread_right_after_it() -> None:
    """conftest's teardown hook: a query result caught in a cycle is gone before any later thread allocates.

    Without it, a later test's background thread (a build's record count, its stored answers) ran the collector
    and dropped the result there: pyo3 leaks it and reports "unsendable … dropped on another thread", which
    failed CI against an unrelated test.
    """
    import gc
    import sys
    import threading
    import weakref

    import pyoxigraph as ox

    from conftest import pytest_runtest_teardown

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o")))

    class Box:
        pass

    box = Box()
    box.me = box  # type: ignore[attr-defined]
    box.result = store.query("SELECT * WHERE { ?s ?p ?o }")  # type: ignore[attr-defined]
    ref = weakref.ref(box)
    del box
    seen: list[object] = []
    hook, sys.unraisablehook = sys.unraisablehook, seen.append
    try:
        pytest_runtest_teardown(None, None)  # type: ignore[arg-type]
        assert ref() is None
        collector = threading.Thread(target=gc.collect)
        collector.start()
        collector.join()
    finally:
        sys.unraisablehook = hook
    assert seen == []
