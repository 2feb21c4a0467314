"""Run each text-handling entry point on adversarial 1 MB inputs and print one timing line per case.

Started in a subprocess by tests/system/test_hostile_text.py, so a regular expression that
backtracks without end is stopped by the subprocess's timeout rather than hanging the suite.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from visitgraph.authoring import extract, newsdates, newsfacts, visitors
from visitgraph.authoring.draft import DraftContext, draft_item, plan_items
from visitgraph.core import names
from visitgraph.linking.match import Matcher

SIZE = 1_000_000
UNITS = {
    "parens": "(",
    "letters": "a",
    "capitalised words": "Aa ",
    "initials": "A. ",
    "open quotes": "“",
    "guillemets": "«",
    "quote pairs": '"a',
    "title words": "Director of the ",
    "gift phrases": "the guests were presented ",
    "agreement phrases": "the sides agreed on ",
    "eponyms": "named after ",
    "blanks": " " * 7 + "x",
    "institution words": "National Library Aaa ",
    "hyphens": "a-",
    "digits": "1",
    "about": "about ",
    "within": " within the A",
    "commas": ", ",
    "Cyrillic": "Ильхам ",
}


def hostile(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


def main(root: str) -> None:
    from visitgraph.authoring.draftfile import source_store
    from visitgraph.core.config import load_settings

    settings = load_settings(root, environ={})
    store = source_store(settings)
    matcher = Matcher.from_store(store, settings.base_iri)
    ctx = DraftContext(matcher, settings.base_iri)
    entry_points: dict[str, Callable[[str], object]] = {
        "names.fold": names.fold,
        "names.core": names.core,
        "names.country_code": names.country_code,
        "Matcher.reconcile": lambda t: matcher.reconcile(t, limit=3),
        "Matcher.reconcile+property": lambda t: matcher.reconcile("Ingrid Parent", properties=[("affiliation", t)]),
        "newsdates.find_date": newsdates.find_date,
        "newsfacts.sentences": newsfacts.sentences,
        "newsfacts.find_gifts": newsfacts.find_gifts,
        "newsfacts.find_agreements": newsfacts.find_agreements,
        "extract.quoted_spans": extract.quoted_spans,
        "extract.place_code": extract.place_code,
        "extract.parse_org": extract.parse_org,
        "visitors.first_sentence_end": visitors.first_sentence_end,
        "draft_item": lambda t: draft_item(plan_items("On May 5, 2021, Ina Gudele visited the library. " + t)[0], ctx),
    }
    for unit_name, unit in UNITS.items():
        text = hostile(unit)
        for name, call in entry_points.items():
            start = time.perf_counter()
            try:
                call(text)
            except ValueError:
                pass  # a clear refusal is fine: what matters is that it comes quickly
            print(f"{time.perf_counter() - start:.3f}\t{name}\t{unit_name}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
