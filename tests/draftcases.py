"""What the drafting rules' case files (tests/unit/authoring/test_draft_rules_dev*.py) read of a draft.

Each case there is a sentence of our own in the genre, drafted against the repository's records.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from typing import Any

from visitgraph.authoring.draft import Draft, DraftContext, draft_item, plan_items


def draft_case(text: str, ctx: DraftContext) -> Draft:
    """Draft the one item of `text`."""
    return draft_item(plan_items(text, name="case")[0], ctx)


def people(entries: Any) -> list[tuple[str, bool]]:
    """(name, new) of the people among `entries`, sorted."""
    return sorted((e.name, e.new) for e in entries if e.kind == "person")


def orgs(d: Any) -> list[tuple[str, bool]]:
    """(name, new) of the draft's organisations, the host left out."""
    found = {e.iri: e for e in d.institutions + d.attendees if e.kind == "organization"}.values()
    return sorted((e.name, e.new) for e in found if not e.iri.endswith("/presidential-library"))


def seconds(run: Callable[[], object], budget: float = 1.5) -> float:
    """Time `run`, stopped by an alarm after `budget` seconds (pytest-timeout is not installed), so that a
    super-linear case costs the suite at most the budget."""

    def stop(*_: object) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, budget)
    start = time.perf_counter()
    try:
        run()
    except TimeoutError:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return time.perf_counter() - start
