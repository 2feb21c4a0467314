"""One paging rule (describe/browse.Paged) for list pages and a resource's contributed links (issue #15).

Before, `describe/browse.ListPage` and `linking/linkpages.LinkPage` each wrote their own previous/next page
numbers; the structural test fails on that.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from visitgraph.describe.browse import ListPage, Paged
from visitgraph.linking.linkpages import LinkPage

SRC = Path(__file__).resolve().parents[3] / "src" / "visitgraph"


def test_prev_and_next_page_are_written_once() -> None:
    found = [
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path in sorted(SRC.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name in ("prev_page", "next_page")
    ]
    assert len(found) == 2 and all(f.startswith("describe/browse.py:") for f in found), found


@pytest.mark.parametrize(
    ("page", "pages", "prev", "nxt"),
    [(1, 1, None, None), (1, 3, None, 2), (2, 3, 1, 3), (3, 3, 2, None), (1, 0, None, None)],
)
def test_list_and_link_pages_page_alike(page: int, pages: int, prev: int | None, nxt: int | None) -> None:
    listed = ListPage("visits", "Visits", "", [], page, pages, total=0, per_page=25)
    links = LinkPage([], total=0, page=page, pages=pages)
    for paged in (listed, links):
        assert isinstance(paged, Paged)
        assert (paged.prev_page, paged.next_page) == (prev, nxt)
    assert listed.to_dict()["prev_page"] == prev and listed.to_dict()["next_page"] == nxt
