"""The same items in another surface form read the same (issue 16, decision 0090).

Development items the drafter reads entirely right are rewritten the way an editor may write them without changing
what they say: a staff title in capitals after a name, guillemets around a title, an academic honorific before a
guest's name, the director's name in Azerbaijani letters, the host's full official name, "in Baku" after the visit.
Every item right before a rewrite must stay right after it (its labels stay valid: the rewrites touch no name the
labels list). Session 24 found every rule gap these rewrites expose on the development sets and fixed it; this test
keeps them closed. Only development sets are rewritten (never `test2` or the blind checks).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

import heldout
from conftest import ROOT, settings_for
from heldout import score_drafts
from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.draftfile import source_store

Rewrite = Callable[[str, dict[str, Any]], str]


def _new_names(item: dict[str, Any], key: str) -> list[str]:
    return [x["new"][0] for x in item.get(key) or [] if "new" in x]


def _capital_titles(text: str, item: dict[str, Any]) -> str:
    return re.sub(
        r"(, )(director|head|deputy director|chairman|rector|dean)( of)",
        lambda m: m.group(1) + m.group(2).title() + m.group(3),
        text,
    )


def _guillemets(text: str, item: dict[str, Any]) -> str:
    return re.sub(r'"([^"]+)"', "«\\1»", text)


def _honorific(text: str, item: dict[str, Any]) -> str:
    for name in _new_names(item, "visitors"):
        at = text.find(name)
        if at > 0 and not re.search(r"(?:Dr|Prof|Mr|Ms|Mrs)\. $", text[:at]):
            text = text[:at] + "Dr. " + text[at:]
    return text


def _azerbaijani_letters(text: str, item: dict[str, Any]) -> str:
    return text.replace("Mayil Ahmadov", "Mayıl Əhmədov")


def _full_host_name(text: str, item: dict[str, Any]) -> str:
    return re.sub(
        r"\bvisited the Presidential Library\b(?! of the Administrative)",
        "visited the Presidential Library of the Administrative Department of the President of the Republic of "
        "Azerbaijan",
        text,
        count=1,
    )


def _in_baku(text: str, item: dict[str, Any]) -> str:
    return re.sub(r"\bvisited the Presidential Library\b", "visited the Presidential Library in Baku", text, count=1)


REWRITES: dict[str, Rewrite] = {
    "capital titles": _capital_titles,
    "guillemets": _guillemets,
    "honorific": _honorific,
    "Azerbaijani letters": _azerbaijani_letters,
    "full host name": _full_host_name,
    "in Baku": _in_baku,
}
SETS = ("dev9", "dev13", "dev16", "dev17", "dev22", "dev26")


def _wrong(split: str, items: list[dict[str, Any]] | None = None) -> set[int]:
    settings = settings_for(ROOT)
    store, base = source_store(settings), settings.base_iri
    original = heldout.news_items
    if items is not None:
        heldout.news_items = lambda _split: items  # type: ignore[assignment]
    try:
        score = score_drafts(lambda: DraftContext.from_store(store, base), split)
    finally:
        heldout.news_items = original
    return {int(p.split(":")[0].split()[1]) for p in score.problems}


@pytest.fixture(scope="module")
def wrong_before() -> dict[str, set[int]]:
    return {split: _wrong(split) for split in SETS}


@pytest.mark.parametrize("name", list(REWRITES))
def test_a_rewritten_item_reads_as_the_item_did(name: str, wrong_before: dict[str, set[int]]) -> None:

    broke: dict[str, list[int]] = {}
    changed = 0
    for split in SETS:
        items = heldout.news_items(split)
        rewritten = [dict(i, text=REWRITES[name](i["text"], i)) for i in items]
        changed += sum(a["text"] != b["text"] for a, b in zip(items, rewritten, strict=True))
        newly = sorted(_wrong(split, rewritten) - wrong_before[split])
        if newly:
            broke[split] = newly
    assert changed > 0, f"the rewrite {name!r} changed no item: it tests nothing"
    assert broke == {}, f"items right before the rewrite {name!r} and wrong after it: {broke}"
