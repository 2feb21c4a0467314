"""The held-out evaluation of issue 16: matcher and drafter on sets they were never tuned on.

The `test` halves of tests/data/eval/ were written before any tuning and are never tuned
on; these tests print the figures on them (run with ``-s`` to see them) and assert the
issue's targets. The `dev` figures (and, for drafting, the development halves `dev2` to `dev7`,
tests/data/eval/news-dev2.json … news-dev7.json) are printed for comparison only.
"""

from __future__ import annotations

import pytest

from conftest import ROOT, settings_for
from heldout import DraftScore, ReconcileScore, score_drafts, score_reconcile
from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.draftfile import source_store
from visitgraph.linking.match import Matcher


@pytest.fixture(scope="module")
def sources() -> tuple[object, str]:
    settings = settings_for(ROOT)
    return source_store(settings), settings.base_iri


@pytest.fixture(scope="module")
def reconcile_scores(sources: tuple[object, str]) -> dict[str, ReconcileScore]:
    store, base = sources
    matcher = Matcher.from_store(store, base)
    out = {split: score_reconcile(matcher, split) for split in ("dev", "test")}
    print()
    for split, s in out.items():
        print(s.line(split))
    return out


@pytest.fixture(scope="module")
def indexed_scores(
    sources: tuple[object, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, ReconcileScore]]:
    """The same halves with the full-text index handing candidates: as served (the word index
    below its limit) and with every query through the index (``word_limit`` 0)."""
    from visitgraph.queries.searchindex import SearchIndex, build

    store, base = sources
    index = SearchIndex(build(tmp_path_factory.mktemp("search"), store, "eval").path)  # type: ignore[arg-type]
    out = {}
    for mode, limit in (("served", None), ("every query", 0)):
        matcher = Matcher.from_store(store, base, search=index)
        if limit is not None:
            matcher.word_limit = limit
        out[mode] = {split: score_reconcile(matcher, split) for split in ("dev", "test")}
        print()
        for split, score in out[mode].items():
            print(f"[search index, {mode}, {matcher.lookups} look-ups] " + score.line(split))
    return out


@pytest.mark.parametrize("mode", ["served", "every query"])
def test_reconcile_with_the_search_index_is_no_worse(
    reconcile_scores: dict[str, ReconcileScore], indexed_scores: dict[str, dict[str, ReconcileScore]], mode: str
) -> None:
    for split in ("dev", "test"):
        plain, indexed = reconcile_scores[split], indexed_scores[mode][split]
        assert indexed.top1 >= plain.top1, indexed.line(split) + " | " + "; ".join(indexed.misses)
        assert indexed.flagged_right >= plain.flagged_right, indexed.line(split)
        assert indexed.false_flags_on_absent <= plain.false_flags_on_absent, indexed.line(split)
        assert indexed.flagged - indexed.flagged_right <= plain.flagged - plain.flagged_right, indexed.line(split)


def test_reconcile_reading_entities_from_the_store_answers_the_same(
    sources: tuple[object, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Every query of both halves: the store matcher (decision 0048) ranks, scores and flags as the
    in-memory matcher does (the first three candidates, with their features), and reads fewer entities."""
    from heldout import reconcile_queries
    from visitgraph.linking.matchstats import MatchStats
    from visitgraph.linking.matchstats import build as build_stats
    from visitgraph.linking.matchstore import StoreMatcher
    from visitgraph.queries.searchindex import SearchIndex, build

    store, base = sources
    folder = tmp_path_factory.mktemp("matchstore")
    index = SearchIndex(build(folder, store, "eval").path)  # type: ignore[arg-type]
    stats = MatchStats(build_stats(folder, store, "eval", base).path)  # type: ignore[arg-type]
    plain, stored = Matcher.from_store(store, base), StoreMatcher(store, base, index, stats)  # type: ignore[arg-type]
    queries = reconcile_queries("dev") + reconcile_queries("test")
    assert len(queries) >= 90
    for q in queries:
        want = [(c.id, c.score, c.match, c.features) for c in plain.reconcile(q.text, q.type, limit=3)]
        assert [(c.id, c.score, c.match, c.features) for c in stored.reconcile(q.text, q.type, limit=3)] == want, q
    assert stats.entities == len(plain.entities) and stored.entities_read < len(plain.entities)
    for split in ("dev", "test"):
        assert score_reconcile(stored, split) == score_reconcile(plain, split)


DEV_HALVES = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11", "dev12")


def _scored(sources: tuple[object, str], split: str) -> DraftScore:
    """Draft and score one split against the repository's records (each split's own fixture calls it, so a
    ``-k`` that leaves a split's tests out never scores that split)."""
    store, base = sources
    return score_drafts(lambda: DraftContext.from_store(store, base), split)


def _no_worse(
    d: DraftScore, split: str, *, right: int, dates: int, invented: int, reused: int, blind: bool = False
) -> None:
    """Assert a set's figures are at least those last measured (at most `invented` entities); a blind set's failure
    shows only its figures, a tuned set's its problems too."""
    assert d.right >= right and d.dates >= dates and d.invented <= invented and d.reused >= reused, (
        d.line(split) if blind else (d.line(split), d.problems)
    )


@pytest.fixture(scope="module")
def draft_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The development halves only: running their guards never scores the held-out half (decision 0046)."""
    out = {split: _scored(sources, split) for split in DEV_HALVES}
    print()
    for split, s in out.items():
        print(s.line(split))
    return out


@pytest.fixture(scope="module")
def held_out_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The held-out half ``test2``, scored only by the tests about it (all named ``test_draft_test_half_*`` or
    ``test_print_the_held_out_*``), so ``-k "not test_half and not held_out"`` never computes it."""
    return {"test2": _scored(sources, "test2")}


@pytest.fixture(scope="module")
def dev13_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The representative check ``dev13``, scored only by the test about it (named ``test_dev13_*``), so that
    ``-k "not dev13"`` never computes it for someone tuning on the development halves (decision 0052)."""
    return {"dev13": _scored(sources, "dev13")}


@pytest.fixture(scope="module")
def dev14_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The blind check ``dev14``, scored only by the test about it (named ``test_dev14_*``), like ``dev13``."""
    return {"dev14": _scored(sources, "dev14")}


def test_print_the_held_out_drafting_figures(held_out_scores: dict[str, DraftScore]) -> None:
    """Print the held-out half's summary (``-s``) in a test of its own, so that the captured output of
    another test's failure (shown by pytest) never carries it to someone tuning on the dev halves."""
    s = held_out_scores["test2"]
    print()
    print(s.line("test2"))
    assert s.items == 20


def test_reconcile_test_half_precision_at_1(reconcile_scores: dict[str, ReconcileScore]) -> None:
    s = reconcile_scores["test"]
    assert s.precision_at_1 >= 0.95, s.line("test")


def test_reconcile_test_half_match_flag(reconcile_scores: dict[str, ReconcileScore]) -> None:
    s = reconcile_scores["test"]
    assert s.flag_precision == 1.0, s.line("test")
    assert s.flag_recall >= 0.9, s.line("test")
    assert s.false_flags_on_absent == 0, s.line("test")


UNMET = (
    "issue 16 target not met on the held-out drafting half test2 (tests/data/eval/news-test2.json, 20 items written "
    "5 Dec 2026 before any tuning on it), measured once per round: before the first 5/20 items entirely right "
    "(6/20 with the scoring of 0044's eighth round), dates 16/20, reuse 23/30, 8 invented entities in 6 items; "
    "after the eighth round (dev8, dev9) 9/20, dates 20/20, reuse 26/30, 9 invented entities in 7 items; "
    "after the ninth (dev9, dev10) 10/20, dates 20/20, reuse 26/30, 9 invented entities in 7 items; "
    "after the tenth (dev11) 10/20, 20/20, 26/30, 8 invented in 6 items; "
    "after the eleventh (dev12's even half) 10/20, 20/20, 26/30, 7 invented in 5 items; "
    "after the twelfth (all of dev12, gates that ask a positive question) 11/20, 20/20, 26/30, 6 invented in 4 items; "
    "after the thirteenth (known entities under other names) 12/20, 20/20, 28/30, 4 invented in 3 items; "
    "after the fourteenth (dev14) unchanged; after the fifteenth (dev15) unchanged; after the sixteenth (dev16) "
    "unchanged; after the seventeenth (dev17, reuse and inventions through the matcher first) 13/20, 20/20, 29/30, "
    "2 invented in 2 items; after the eighteenth (dev18), nineteenth (dev19), twentieth (dev20) and twenty-first "
    "(dev21) unchanged; after the twenty-second (dev22) 13/20, 20/20, 29/30, 1 invented in 1 item; after the "
    "twenty-third (dev23) unchanged; after the twenty-fourth (dev24) unchanged; after the twenty-fifth (dev25, "
    "dev26) 13/20, 20/20, 30/30, nothing invented; after the twenty-sixth (dev27, dev28), twenty-seventh (dev29, dev30) and twenty-eighth (dev13, dev31 to dev34) unchanged; after the twenty-ninth (dev35, dev36) 15/20, 20/20, 30/30, nothing invented; after the thirtieth to thirty-seventh (dev37 to dev45) and the review's fixes unchanged; session 23 (decision 0089): after the agreement convention unchanged, after the phrasing probes and the dev48 round 17/20, 20/20, 30/30, nothing invented; after the dev50 to dev53 rounds, the review's fixes and the last probes unchanged; session 24 (decision 0090): after meaning-preserving rewrites of development items, the dev54 to dev58 rounds and the review's fixes unchanged (17/20, 20/20, 30/30, nothing invented); session 25 (decision 0091): after the rounds on dev60 to dev75, cities and given names from GeoNames and faker, rewrites of the new sets and the review's fixes unchanged (17/20, 20/20, 30/30, nothing invented); decisions 0023, 0041, 0044, 0046, 0050, 0052, 0054, 0055, 0059, "
    "0061, 0064, 0066, 0068, 0069, 0071, 0073, 0074, 0084, 0085, 0086, 0087, 0088, 0089, 0090, 0091"
)


@pytest.mark.xfail(strict=True, reason=UNMET)
def test_draft_test_half_items_right(held_out_scores: dict[str, DraftScore]) -> None:
    s = held_out_scores["test2"]
    assert s.share_right >= 0.9, s.line("test2")


def test_draft_test_half_nothing_invented(held_out_scores: dict[str, DraftScore]) -> None:
    """Met since round 25 (decision 0085): nothing invented; it was 1 entity in 1 item after round 22, 8 in 6 items
    before the first round."""
    s = held_out_scores["test2"]
    assert s.items_with_invented == 0, s.line("test2")


def test_draft_test_half_reuse(held_out_scores: dict[str, DraftScore]) -> None:
    """Met since round 17 (decision 0064): 29/30 (0.967), 30/30 since round 25 (decision 0085); it was 28/30 after
    round 13 and 23/30 before the first."""
    s = held_out_scores["test2"]
    assert s.reuse >= 0.95, s.line("test2")


def test_draft_test_half_no_worse_than_measured(held_out_scores: dict[str, DraftScore]) -> None:
    """Guard the figures last measured on the held-out half (README, decisions 0044, 0050, 0052, 0054, 0064, 0073,
    0085, 0088, 0089)."""
    s = held_out_scores["test2"]
    assert s.right >= 17 and s.invented == 0 and s.dates >= 20 and s.reused >= 30, s.line("test2")


def test_dev13_representative_check_no_worse(dev13_scores: dict[str, DraftScore]) -> None:
    """dev13 (news-dev13.json, 30 ordinary items written blind on 6 Dec 2026) was never tuned on: scored once
    before round 11 and once after (decision 0050), 25/30 both times, dates 30/30, reuse 38/39, nothing invented;
    26/30 after round 17 (decision 0064), the rest unchanged; 27/30 and reuse 39/39 after round 18 (decision 0066),
    and 27/30 until round 28 (decision 0088), where it became a development set: 30/30."""
    d = dev13_scores["dev13"]
    assert d.right >= 30 and d.dates >= 30 and d.invented == 0 and d.reused >= 39, (d.line("dev13"), d.problems)


def test_dev14_blind_check_no_worse(dev14_scores: dict[str, DraftScore]) -> None:
    """dev14 (news-dev14.json, 30 items written blind on 6 Dec 2026) is a development set since round 14 (decision
    0055): first sight 22/30, dates 29/30, reuse 45/46, 2 invented entities in 2 items (the same on the rules before
    round 12 and after rounds 12 and 13); after round 14 29/30, dates 30/30, reuse 46/46, 1 invented entity in 1 item
    (item 24, whose annotation leaves out the "Name (ACRONYM)" form the older sets accept: decision 0055); after
    round 15 (decision 0059: a new body written with its abbreviation in brackets is minted under its full name, the
    abbreviation its alternateName) 30/30, dates 30/30, reuse 46/46, nothing invented. Its problems are printed on
    failure: it is tuned on now. After round 31 (decision 0088: a university's unit of a field is named with its university) one item fewer: it names the university alone, and the draft names the unit too."""
    d = dev14_scores["dev14"]
    assert d.right >= 29 and d.dates >= 30 and d.invented <= 1 and d.reused >= 46, (d.line("dev14"), d.problems)


@pytest.fixture(scope="module")
def dev15_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The set ``dev15``, scored only by the test about it (named ``test_dev15_*``), like ``dev14``."""
    return {"dev15": _scored(sources, "dev15")}


def test_dev15_development_no_worse(dev15_scores: dict[str, DraftScore]) -> None:
    """dev15 (news-dev15.json, 30 items written blind on 6 Dec 2026 by a helper who saw no rules, never tuned on
    before) is a development set since round 15 (decision 0059): first sight 22/30, dates 30/30, reuse 35/35, 3
    invented entities in 3 items; after round 15 28/30, dates 30/30, reuse 35/35, nothing invented. Its two misses
    (items 19 and 30) are annotations that contradict dev4 to dev7 ("the sides discussed a draft agreement" as an
    unsigned agreement, where the older sets count none: decisions 0044, 0059), so it is guarded at what was reached.
    Its problems are printed on failure: it is tuned on now. Session 23 (decision 0089) took its convention for a
    document under discussion for all sets: 30/30."""
    d = dev15_scores["dev15"]
    assert d.right >= 30 and d.dates >= 30 and d.invented == 0 and d.reused >= 35, (d.line("dev15"), d.problems)


@pytest.fixture(scope="module")
def dev16_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The set ``dev16``, scored only by the test about it (named ``test_dev16_*``), like ``dev14``."""
    return {"dev16": _scored(sources, "dev16")}


def test_dev16_development_no_worse(dev16_scores: dict[str, DraftScore]) -> None:
    """dev16 (news-dev16.json, 30 items written blind late on 6 Dec 2026, 13 ordinary, never tuned on before) is a
    development set since round 16 (decision 0061): first sight (measured blind after round 15 and again at the start
    of round 16) 22/30, dates 29/30, reuse 24/24, nothing invented; after round 16 30/30, dates 30/30, reuse 24/24,
    nothing invented. Its problems are printed on failure: it is tuned on now."""
    d = dev16_scores["dev16"]
    assert d.right >= 30 and d.dates >= 30 and d.invented == 0 and d.reused >= 24, (d.line("dev16"), d.problems)


@pytest.fixture(scope="module")
def dev17_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The set ``dev17``, scored only by the test about it (named ``test_dev17_*``), like ``dev14``."""
    return {"dev17": _scored(sources, "dev17")}


def test_dev17_development_no_worse(dev17_scores: dict[str, DraftScore]) -> None:
    """dev17 (news-dev17.json, 30 items written blind on 6 Dec 2026 in session 12, 11 ordinary, never tuned on before)
    is a development set since round 17 (decision 0064): first sight (scored once blind after round 16, and again at
    the start of round 17) 18/30, dates 29/30, reuse 32/37, 5 invented entities in 4 items; after round 17 29/30,
    dates 30/30, reuse 37/37, nothing invented. Its problems are printed on failure: it is tuned on now."""
    d = dev17_scores["dev17"]
    assert d.right >= 30 and d.dates >= 30 and d.invented == 0 and d.reused >= 37, (d.line("dev17"), d.problems)


@pytest.fixture(scope="module")
def dev18_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The set ``dev18``, scored only by the test about it (named ``test_dev18_*``), like ``dev14``."""
    return {"dev18": _scored(sources, "dev18")}


def test_dev18_development_no_worse(dev18_scores: dict[str, DraftScore]) -> None:
    """dev18 (news-dev18.json, 30 items written blind on 6 Dec 2026 in session 12, 12 ordinary, never tuned on before)
    is a development set since round 18 (decision 0066): first sight (scored once blind after round 17, and again at
    the start of round 18) 16/30, dates 27/30, reuse 22/29, 4 invented entities in 4 items; after round 18 29/30,
    dates 30/30, reuse 29/29, nothing invented. Its problems are printed on failure: it is tuned on now. After round 31 (decision 0088: a university's unit of a field is named with its university) one item fewer: it names the university alone, and the draft names the unit too."""
    d = dev18_scores["dev18"]
    assert d.right >= 29 and d.dates >= 30 and d.invented <= 1 and d.reused >= 29, (d.line("dev18"), d.problems)


@pytest.fixture(scope="module")
def dev19_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The set ``dev19``, scored only by the test about it (named ``test_dev19_*``), like ``dev14``."""
    return {"dev19": _scored(sources, "dev19")}


def test_dev19_development_no_worse(dev19_scores: dict[str, DraftScore]) -> None:
    """dev19 (news-dev19.json, 30 items written blind on 6 Dec 2026 in session 12, 12 ordinary, in four journalistic
    voices, never tuned on before) is a development set since round 19 (decision 0068): first sight (scored blind
    before and after round 18, and again at the start of round 19) 19/30, dates 29/30, reuse 32/38, 3 invented
    entities in 2 items; after round 19 23/30, dates 30/30, reuse 38/38, nothing invented. Its problems are printed
    on failure: it is tuned on now."""
    d = dev19_scores["dev19"]
    assert d.right >= 25 and d.dates >= 30 and d.invented == 0 and d.reused >= 38, (d.line("dev19"), d.problems)


@pytest.fixture(scope="module")
def dev20_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The set ``dev20``, scored only by the test about it (named ``test_dev20_*``), like ``dev14``."""
    return {"dev20": _scored(sources, "dev20")}


def test_dev20_development_no_worse(dev20_scores: dict[str, DraftScore]) -> None:
    """dev20 (news-dev20.json, 30 items written blind on 6 Dec 2026 in session 12, 12 ordinary, never tuned on
    before) is a development set since round 20 (decision 0069): first sight (scored blind before and after round 19,
    and again at the start of round 20) 17/30, dates 28/30, reuse 36/43, 5 invented entities in 5 items; after round
    20 22/30, dates 28/30, reuse 38/43, nothing invented; after round 21 (decision 0071) 23/30, dates 29/30, reuse
    43/43, nothing invented; after round 28 (decision 0088) 24/30. Its problems are printed on failure: it is tuned on
    now. After round 31 (decision 0088: a university's unit of a field is named with its university) one item fewer: it names the university alone, and the draft names the unit too."""
    d = dev20_scores["dev20"]
    assert d.right >= 25 and d.dates >= 29 and d.invented <= 1 and d.reused >= 43, (d.line("dev20"), d.problems)


@pytest.fixture(scope="module")
def dev21_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The set ``dev21``, scored only by the test about it (named ``test_dev21_*``), like ``dev14``."""
    return {"dev21": _scored(sources, "dev21")}


def test_dev21_development_no_worse(dev21_scores: dict[str, DraftScore]) -> None:
    """dev21 (news-dev21.json, 30 items written blind on 6 Dec 2026 in session 12, 12 ordinary, 17 with a known entity
    under another form, never tuned on before) is a development set since round 21 (decision 0071): first sight
    (scored before and after round 20, and again at the start of round 21) 21/30, dates 28/30, reuse 40/45, 3 invented
    entities in 3 items (its first scoring found the IndexError of find_gifts, fixed before it was scored); after
    round 21 23/30, dates 28/30, reuse 44/45, 1 invented entity in 1 item. Its problems are printed on failure: it
    is tuned on now. After round 31 (decision 0088: a university's unit of a field is named with its university) one item fewer: it names the university alone, and the draft names the unit too."""
    d = dev21_scores["dev21"]
    assert d.right >= 23 and d.dates >= 28 and d.invented <= 2 and d.reused >= 44, (d.line("dev21"), d.problems)


@pytest.fixture(scope="module")
def dev22_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The set ``dev22``, scored only by the test about it (named ``test_dev22_*``), like ``dev14``."""
    return {"dev22": _scored(sources, "dev22")}


def test_dev22_development_no_worse(dev22_scores: dict[str, DraftScore]) -> None:
    """dev22 (news-dev22.json, 30 items written blind on 6 Dec 2026 in session 14, 15 ordinary, never tuned on
    before) is a development set since round 22 (decision 0073): first sight (scored blind before round 21: 19/30,
    dates 27/30, reuse 33/47, 3 invented entities in 3 items; after round 21 and again at the start of round 22:
    19/30, dates 29/30, reuse 39/47, 4 invented entities in 4 items); after round 22 21/30, dates 29/30, reuse 45/47,
    2 invented entities in 2 items. Its problems are printed on failure: it is tuned on now."""
    d = dev22_scores["dev22"]
    # session 24 (decision 0090): 24/30, dates 30/30, reuse 46/47, 1 invented entity
    assert d.right >= 24 and d.dates >= 30 and d.invented <= 1 and d.reused >= 46, (d.line("dev22"), d.problems)


@pytest.fixture(scope="module")
def dev23_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The set ``dev23``, scored only by the test about it (named ``test_dev23_*``), like ``dev14``."""
    return {"dev23": _scored(sources, "dev23")}


def test_dev23_development_no_worse(dev23_scores: dict[str, DraftScore]) -> None:
    """dev23 (news-dev23.json, 30 items written blind on 6 Dec 2026 in session 14, 15 ordinary, never tuned on
    before) is a development set since round 23 (decision 0074): first sight (scored blind before and after round
    22, and again at the start of round 23: 19/30, dates 28/30, reuse 35/43, 2 invented entities in 2 items); after
    round 23 24/30, dates 30/30, reuse 43/43, nothing invented. Its problems are printed on failure: it is tuned on
    now."""
    d = dev23_scores["dev23"]
    # session 24 (decision 0090): 27/30
    assert d.right >= 27 and d.dates >= 30 and d.invented == 0 and d.reused >= 43, (d.line("dev23"), d.problems)


@pytest.fixture(scope="module")
def dev24_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The set ``dev24``, scored only by the test about it (named ``test_dev24_*``), like ``dev14``."""
    return {"dev24": _scored(sources, "dev24")}


def test_dev24_development_no_worse(dev24_scores: dict[str, DraftScore]) -> None:
    """dev24 (news-dev24.json, 30 items written blind on 6 Dec 2026 in session 14, 15 ordinary) was a blind check
    until round 23 (19/30 before and after it, dates 29/30, reuse 37/39, 5 invented entities in 5 items) and is a
    development set since round 24 (decision 0084): 30/30, dates 30/30, reuse 39/39, nothing invented."""
    _no_worse(dev24_scores["dev24"], "dev24", right=30, dates=30, invented=0, reused=39)


@pytest.fixture(scope="module")
def dev25_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The sets ``dev25`` and ``dev26``, scored only by the test about them (named ``test_dev25_*``)."""
    return {split: _scored(sources, split) for split in ("dev25", "dev26")}


def test_dev25_and_dev26_development_no_worse(dev25_scores: dict[str, DraftScore]) -> None:
    """dev25 and dev26 (news-dev25.json, news-dev26.json: 30 items each, written blind on 7 Dec 2026) are development
    sets since round 25 (decision 0085). First sight on the rules before round 24: dev25 22/30, dates 29/30, reuse
    47/57, 3 invented entities in 2 items; dev26 19/30, dates 26/30, reuse 22/26, 4 in 3 items. After round 24 (not
    tuned on them): dev25 24/30, dates 29/30, reuse 47/57, 2 in 2; dev26 22/30, dates 30/30, reuse 25/26, 5 in 4.
    After round 25: both 30/30, dates 30/30, reuse 57/57 and 26/26, nothing invented."""
    for split, reused in (("dev25", 57), ("dev26", 26)):
        d = dev25_scores[split]
        _no_worse(d, split, right=30, dates=30, invented=0, reused=reused)


@pytest.fixture(scope="module")
def dev27_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The blind checks ``dev27`` and ``dev28``, scored only by the test about them (named ``test_dev27_*``), so
    ``-k "not dev27"`` never computes them for someone tuning on other sets."""
    return {split: _scored(sources, split) for split in ("dev27", "dev28")}


def test_dev27_and_dev28_development_no_worse(dev27_scores: dict[str, DraftScore]) -> None:
    """dev27 and dev28 (news-dev27.json, news-dev28.json: 30 items each, written blind on 7 Dec 2026) were round 25's
    blind checks (on the rules before round 24: dev27 17/30, dates 29/30, reuse 56/65, 6 invented entities in 4
    items; dev28 22/30, dates 29/30, reuse 34/36, 4 in 4 items; after round 25: dev27 18/30, reuse 57/65, 4 in 3;
    dev28 unchanged) and are development sets since round 26 (decision 0086): dev27 26/30, dates 29/30, reuse 61/65,
    nothing invented; dev28 27/30, dates 29/30, reuse 34/36, 1 invented entity in 1 item."""
    _no_worse(dev27_scores["dev27"], "dev27", right=26, dates=29, invented=0, reused=61)
    _no_worse(dev27_scores["dev28"], "dev28", right=28, dates=29, invented=1, reused=34)  # 28 since session 24


@pytest.fixture(scope="module")
def dev29_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The blind checks ``dev29`` and ``dev30``, scored only by the test about them (named ``test_dev29_*``), so
    ``-k "not dev29"`` never computes them for someone tuning on other sets."""
    return {split: _scored(sources, split) for split in ("dev29", "dev30")}


def test_dev29_and_dev30_development_no_worse(dev29_scores: dict[str, DraftScore]) -> None:
    """dev29 and dev30 (news-dev29.json, news-dev30.json: 30 items each, written blind on 7 Dec 2026) were round 26's
    blind checks (on the rules at the session's start, 90e6139: dev29 14/30, dates 30/30, reuse 35/39, 5 invented
    entities in 5 items; dev30 20/30, dates 30/30, reuse 42/45, 6 in 5 items; after round 26: dev29 16/30, dev30
    23/30) and are development sets since round 27 (decision 0087): dev29 25/30, dates 30/30, reuse 39/39, 3 invented
    entities in 3 items; dev30 28/30, dates 30/30, reuse 45/45, 1 in 1 item (29/30, nothing invented, after session 22)."""
    _no_worse(dev29_scores["dev29"], "dev29", right=26, dates=30, invented=2, reused=39)  # session 24
    _no_worse(dev29_scores["dev30"], "dev30", right=29, dates=30, invented=0, reused=45)


@pytest.fixture(scope="module")
def dev31_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The sets ``dev31`` and ``dev32``, scored only by the test about them (named ``test_dev31_*``)."""
    return {split: _scored(sources, split) for split in ("dev31", "dev32")}


def test_dev31_and_dev32_development_no_worse(dev31_scores: dict[str, DraftScore]) -> None:
    """dev31 and dev32 (news-dev31.json, news-dev32.json: 30 items each, written blind on 7 Dec 2026) were blind
    checks until round 28 (decision 0088). On the rules at session 21's start (90e6139): dev31 21/30, dates 29/30,
    reuse 31/31, 3 invented entities in 3 items; dev32 14/30, dates 28/30, reuse 32/36, 5 in 4 items. After round 27
    (decision 0087), their last blind score: dev31 24/30, dates 30/30, reuse 31/31, 3 in 3 items; dev32 16/30, dates
    28/30, reuse 32/36, 5 in 4 items. After round 28, tuned on: dev31 29/30, dates 30/30, reuse 31/31, 1 invented
    entity in 1 item; dev32 26/30, dates 28/30, reuse 32/36, 1 in 1 item."""
    _no_worse(dev31_scores["dev31"], "dev31", right=29, dates=30, invented=1, reused=31)
    _no_worse(dev31_scores["dev32"], "dev32", right=26, dates=28, invented=1, reused=32)


@pytest.fixture(scope="module")
def dev33_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The sets ``dev33`` and ``dev34``, scored only by the test about them (named ``test_dev33_*``)."""
    return {split: _scored(sources, split) for split in ("dev33", "dev34")}


def test_dev33_and_dev34_development_no_worse(dev33_scores: dict[str, DraftScore]) -> None:
    """dev33 and dev34 (news-dev33.json, news-dev34.json: 30 representative items each, in the source's style as the
    held-out half was written, written blind on 7 Dec 2026) were round 28's development sets (decision 0088). First
    sight, on the rules at session 22's start (4c67eb7): dev33 22/30, dates 30/30, reuse 42/42, 3 invented entities in
    3 items; dev34 14/30, dates 30/30, reuse 46/47, 8 in 7 items. After round 28: dev33 29/30, dev34 29/30, both with
    every date and every known entity, nothing invented; after round 31 (a university's unit named with it) both
    30/30."""
    _no_worse(dev33_scores["dev33"], "dev33", right=30, dates=30, invented=0, reused=42)
    _no_worse(dev33_scores["dev34"], "dev34", right=30, dates=30, invented=0, reused=47)


@pytest.fixture(scope="module")
def dev35_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The sets ``dev35`` to ``dev45``, scored only by the test about them (named ``test_dev35_*``)."""
    return {split: _scored(sources, split) for split in (f"dev{n}" for n in range(35, 46))}


def test_dev35_to_dev45_development_no_worse(dev35_scores: dict[str, DraftScore]) -> None:
    """dev35 to dev45 (30 representative items each, in the source's style, written blind on 7 Dec 2026) were the
    development sets of rounds 29 to 37 (decision 0088), each scored blind before it was tuned on. First sight on
    the rules at session 22's start (4c67eb7) / last blind score before tuned on / after round 37: dev35 19 / 21 /
    29, dev36 24 / 26 / 28, dev37 18 / 24 / 30, dev38 23 / 25 / 27, dev39 17 / 20 / 24, dev40 19 / 21 / 27, dev41
    16 / 20 / 25, dev42 18 / 22 / 27, dev43 21 / 25 / 29, dev44 24 / 28 / 30, dev45 16 / 24 / 27 (of 30). dev35's
    summary line was also used, as a blind check, to find two rules of round 28 that cost it an item or a date (they
    were narrowed)."""
    want = {
        "dev35": (29, 30, 0, 41),
        "dev36": (29, 30, 0, 44),  # 29 since session 24
        "dev37": (30, 30, 0, 37),
        "dev38": (28, 29, 0, 47),  # 28 since session 25
        "dev39": (28, 30, 1, 41),  # 28 since session 25
        "dev40": (28, 29, 1, 42),  # 28 since session 25
        "dev41": (27, 30, 1, 44),  # 27 since session 24
        "dev42": (29, 30, 0, 43),  # 29 since session 25
        "dev43": (29, 30, 1, 33),
        "dev44": (30, 30, 0, 40),
        "dev45": (28, 30, 0, 42),  # 28 since session 24
    }
    for split, (right, dates, invented, reused) in want.items():
        _no_worse(dev35_scores[split], split, right=right, dates=dates, invented=invented, reused=reused)


@pytest.fixture(scope="module")
def dev46_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The blind checks ``dev46`` and ``dev47``, scored only by the test about them (named ``test_dev46_*``), so
    ``-k "not dev46"`` never computes them for someone tuning on other sets."""
    return {
        split: _scored(sources, split)
        for split in ("dev46", "dev47", "dev49", "dev57", "dev59", "dev64", "dev65", "dev70", "dev71", "dev78", "dev79")
    }


def test_dev46_and_dev47_blind_checks_no_worse(dev46_scores: dict[str, DraftScore]) -> None:
    """dev46 and dev47 (news-dev46.json, news-dev47.json: 30 representative items each, written blind on 7 Dec 2026
    after round 37 and never tuned on). On the rules at session 22's start (4c67eb7): dev46 24/30, dates 30/30,
    reuse 41/41, 2 invented entities in 1 item; dev47 20/30, dates 30/30, reuse 45/45, 7 in 7 items. After round 37
    (decision 0088): dev46 26/30, 30/30, 41/41, nothing invented; dev47 28/30, 30/30, 45/45, 1 in 1 item. Only
    figures are asserted and nothing of their items is printed. Session 23: dev46 invented one entity (in an item
    already counted wrong: 26/30 unchanged) after 09d5934 (foundations and firms named in their own language, a firm
    after its kind word with a place adjective, 'Yayın'); found by the guard, located by the summary line of the two
    commits around it (nothing of the item was read), kept because every probe of our own it changed read better
    (decision 0089)."""
    _no_worse(dev46_scores["dev46"], "dev46", right=27, dates=30, invented=1, reused=41, blind=True)  # session 24
    _no_worse(dev46_scores["dev47"], "dev47", right=30, dates=30, invented=0, reused=45, blind=True)  # session 25
    # dev49 (news-dev49.json): written blind in session 23 and never tuned on (decision 0089): 21/30 on the rules at
    # the session's start (e220ab1), 23/30, dates 30/30, reuse 44/44, 2 invented entities in 2 items at its end
    _no_worse(dev46_scores["dev49"], "dev49", right=23, dates=30, invented=2, reused=44, blind=True)
    # dev57 and dev59 (news-dev57.json, news-dev59.json): written blind in session 24 and never tuned on (decision
    # 0090). On the rules at the session's start (79fdc7b): dev57 29/30, dev59 22/30; at its end: dev57 30/30 (dates
    # 30/30, reuse 44/44, nothing invented), dev59 24/30 (30/30, 43/43, 3 invented entities in 3 items)
    _no_worse(dev46_scores["dev57"], "dev57", right=30, dates=30, invented=0, reused=44, blind=True)
    _no_worse(dev46_scores["dev59"], "dev59", right=25, dates=30, invented=3, reused=43, blind=True)  # session 25
    # dev64, dev65, dev70 and dev71 (news-dev64.json …): written blind in session 25 and never looked at (decision
    # 0091). On the rules at the session's start (39a197e) / at its end: dev64 24 / 26, dev65 24 / 26, dev70 28 / 29,
    # dev71 25 / 25 of 30 (dates 30/30 each)
    _no_worse(dev46_scores["dev64"], "dev64", right=26, dates=30, invented=1, reused=44, blind=True)
    _no_worse(dev46_scores["dev65"], "dev65", right=26, dates=30, invented=1, reused=47, blind=True)
    _no_worse(dev46_scores["dev70"], "dev70", right=29, dates=30, invented=1, reused=42, blind=True)
    _no_worse(dev46_scores["dev71"], "dev71", right=25, dates=30, invented=4, reused=49, blind=True)
    # dev78 and dev79: written blind late in session 25 and never looked at: on the rules at the session's start
    # (39a197e) 29 and 27 of 30, the same at its end (dates 30/30, reuse 48/49 and 46/46, 1 invented entity each)
    _no_worse(dev46_scores["dev78"], "dev78", right=29, dates=30, invented=1, reused=48, blind=True)
    _no_worse(dev46_scores["dev79"], "dev79", right=27, dates=30, invented=1, reused=46, blind=True)


@pytest.fixture(scope="module")
def dev48_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The sets ``dev48`` and ``dev50`` to ``dev53``, scored only by the test about them (named ``test_dev48_*``)."""
    return {split: _scored(sources, split) for split in ("dev48", "dev50", "dev51", "dev52", "dev53")}


def test_dev48_to_dev53_development_no_worse(dev48_scores: dict[str, DraftScore]) -> None:
    """dev48 and dev50 to dev53 (30 representative items each, written blind in session 23) were the development sets of
    its rounds (decision 0089), each scored blind before it was tuned on. On the rules at the session's start
    (e220ab1) / on the session's rules before the set was looked at / now: dev48 22 / 26 / 28 of 30; dev50 21 / 24 /
    27; dev51 17 / 19 / 27; dev52 24 / 25 / 29; dev53 20 / 24 / 25 (dates 29/30; 6 invented entities in 4 items)."""
    _no_worse(dev48_scores["dev48"], "dev48", right=29, dates=30, invented=1, reused=41)  # 29 since session 24
    _no_worse(dev48_scores["dev50"], "dev50", right=30, dates=30, invented=0, reused=47)  # 30 since session 25
    _no_worse(dev48_scores["dev51"], "dev51", right=29, dates=30, invented=0, reused=42)  # 29 since session 25
    _no_worse(dev48_scores["dev52"], "dev52", right=29, dates=30, invented=0, reused=48)
    _no_worse(dev48_scores["dev53"], "dev53", right=28, dates=29, invented=1, reused=43)  # 28 since session 25


@pytest.fixture(scope="module")
def dev54_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The sets ``dev54``, ``dev55``, ``dev56`` and ``dev58``, scored only by the test about them (``test_dev54_*``)."""
    return {split: _scored(sources, split) for split in ("dev54", "dev55", "dev56", "dev58")}


def test_dev54_to_dev58_development_no_worse(dev54_scores: dict[str, DraftScore]) -> None:
    """dev54, dev55, dev56 and dev58 (30 representative items each, written blind in session 24) were the development
    sets of its rounds (decision 0090), each scored before it was looked at. On the rules at the session's start
    (79fdc7b) / on the session's rules before the set was looked at / now: dev54 26 / 26 / 30 of 30; dev55 24 / 24 /
    28; dev56 24 / 24 / 29; dev58 23 / 24 / 28 (dates 29/30)."""
    _no_worse(dev54_scores["dev54"], "dev54", right=30, dates=30, invented=0, reused=46)
    _no_worse(dev54_scores["dev55"], "dev55", right=28, dates=30, invented=0, reused=48)
    _no_worse(dev54_scores["dev56"], "dev56", right=29, dates=30, invented=1, reused=43)
    _no_worse(dev54_scores["dev58"], "dev58", right=29, dates=29, invented=0, reused=46)  # 29 since session 25


@pytest.fixture(scope="module")
def dev60_scores(sources: tuple[object, str]) -> dict[str, DraftScore]:
    """The development sets of session 25, scored only by the test about them (``test_dev60_*``)."""
    return {split: _scored(sources, split) for split in _SESSION_25}


#: Session 25's development sets: (items right, dates, invented entities, known entities reused) at its end.
_SESSION_25 = {
    "dev60": (29, 30, 0, 41),
    "dev61": (28, 30, 0, 36),
    "dev62": (30, 30, 0, 46),
    "dev63": (27, 30, 1, 41),
    "dev66": (30, 30, 0, 42),
    "dev67": (28, 30, 0, 46),
    "dev68": (28, 30, 1, 47),
    "dev69": (30, 30, 0, 40),
    "dev72": (30, 30, 0, 43),
    "dev73": (29, 30, 0, 46),
    "dev74": (30, 30, 0, 40),
    "dev75": (30, 30, 0, 44),
    "dev76": (30, 30, 0, 44),
    "dev77": (29, 30, 0, 44),
}


def test_dev60_to_dev77_development_no_worse(dev60_scores: dict[str, DraftScore]) -> None:
    """dev60 to dev63, dev66 to dev69 and dev72 to dev77 (30 representative items each, written blind in session 25)
    were the development sets of its rounds (decision 0091), each scored before it was looked at. On the rules at the
    session's start (39a197e) / on the session's rules before the set was looked at / now: dev60 27 / 27 / 29, dev61
    26 / 26 / 28, dev62 27 / 27 / 30, dev63 25 / 25 / 27, dev66 27 / 27 / 30, dev67 26 / 26 / 28, dev68 25 / 26 / 28,
    dev69 26 / 26 / 30, dev72 27 / 28 / 30, dev73 26 / 27 / 29, dev74 29 / 30 / 30, dev75 25 / 27 / 30, dev76 25 / 26 /
    30, dev77 28 / 28 / 29 (of 30)."""
    for split, (right, dates, invented, reused) in _SESSION_25.items():
        _no_worse(dev60_scores[split], split, right=right, dates=dates, invented=invented, reused=reused)


def test_dev_halves_stay_as_tuned(
    reconcile_scores: dict[str, ReconcileScore], draft_scores: dict[str, DraftScore]
) -> None:
    """The dev halves were tuned to 1.00: a change that breaks one of their cases shows here."""
    r, d = reconcile_scores["dev"], draft_scores["dev"]
    assert r.precision_at_1 == 1.0 and r.flag_precision == 1.0 and r.flag_recall == 1.0, r.misses
    assert r.false_flags_on_absent == 0, r.misses
    assert d.right == d.items and d.invented == 0, d.problems
    # tuned to 23/23, 24/24 (0023), 26/26, 28/28, 29/29 (after the dev7 round), 26/26 (0041) and 16/16 (0044)
    for split in ("dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8"):
        d = draft_scores[split]
        assert d.right == d.items and d.invented == 0 and d.dates == d.items, (split, d.problems)


def test_dev9_no_worse_than_tuned(draft_scores: dict[str, DraftScore]) -> None:
    """dev9 (news-dev9.json, written blind) after the ninth round (decision 0044): 28/30, dates 30/30, 0 invented.

    Its two misses are annotations that disagree with dev4 and dev7 (dev9 counts "discussed the draft of an
    agreement" and "exchanged views on a possible agreement" as unsigned agreements, dev4 and dev7 count no agreement
    for the same phrasing), so it is guarded at what was reached rather than at 100 %. Session 23 (decision 0089)
    took dev9's convention for all sets (dev4, dev7 and nine other items relabelled): 30/30."""
    d = draft_scores["dev9"]
    assert d.right >= 30 and d.dates >= 30 and d.invented == 0, (d.line("dev9"), d.problems)


def test_dev10_no_worse_than_tuned(draft_scores: dict[str, DraftScore]) -> None:
    """dev10 (news-dev10.json, written blind) after its first round (decision 0044, "Ninth round"): 5/30 on the
    rules before the round, 29/30 after, dates 30/30, at most 1 invented entity. One of its misses is an annotation
    that disagrees with dev9 (the faculty a group of students comes from), so it is guarded, not held at 100 %."""
    d = draft_scores["dev10"]
    assert d.right >= 29 and d.dates >= 30 and d.invented <= 1, (d.line("dev10"), d.problems)


def test_dev11_no_worse_than_tuned(draft_scores: dict[str, DraftScore]) -> None:
    """dev11 (news-dev11.json, written blind on 6 Dec 2026) after its first round (decision 0046): 8/30 on the rules
    before the round (dates 28/30, reuse 57/63, 15 invented entities in 11 items), 30/30 after, dates 30/30, reuse
    63/63, nothing invented. After round 31 (decision 0088: a university's unit of a field is named with its university) one item fewer: it names the university alone, and the draft names the unit too."""
    d = draft_scores["dev11"]
    assert d.right >= 29 and d.dates >= 30 and d.invented <= 1 and d.reused >= 63, (d.line("dev11"), d.problems)


def test_dev12_no_worse_than_tuned(draft_scores: dict[str, DraftScore]) -> None:
    """dev12 (news-dev12.json, written blind on 6 Dec 2026 by another hand) after its first round (decision 0050):
    3/30 on the rules before the round (dates 29/30, reuse 45/54, 21 invented entities in 15 items), 7/30 after,
    dates 29/30, reuse 46/54, 9 invented entities in 7 items. Only its even items were tuned on (0 invented there);
    its odd items were the round's own check of whether the mechanisms generalise, so it is guarded at what was
    reached, not at 100 %. After the twelfth round (decision 0052: all of dev12 development, gates that ask a
    positive question of every new entity, gifts by clause structure): 19/30, dates 29/30, reuse 46/54, 2 invented
    entities in 2 items; then its host-staff-by-slot mechanism was taken out because it invented an entity in the
    blind check dev13 (found by the lead bisecting on dev13's summary line): 18/30, dates 29/30, reuse 46/54,
    3 invented entities in 3 items. After the thirteenth round (decision 0054: a known body named with other words is
    named in a check line, not minted; a known institution named in its own language is reused): 20/30, dates 29/30,
    reuse 47/54, 1 invented entity in 1 item. After the seventeenth round (decision 0064: a comma that coordinates
    capitalised words stays inside a name, "… Educational, Scientific and Cultural Organization (ICESCO)"): 21/30.
    After the twenty-first round (decision 0071: earlier guests and recorded institutions through the graph): 22/30,
    dates 30/30, reuse 51/54, 1 invented entity in 1 item. Session 23 (decision 0089: a draft under discussion is an
    unsigned agreement, as dev12's own convention says): 23/30."""
    d = draft_scores["dev12"]
    assert d.right >= 23 and d.dates >= 30 and d.invented <= 1 and d.reused >= 51, (d.line("dev12"), d.problems)
