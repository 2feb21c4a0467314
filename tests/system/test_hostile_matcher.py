"""Issue 21, finding 3, replayed against a real `serve`: after a publish, parallel reconciliation
requests share one matcher index built once (under a lock, with sets), quickly, and `/-/health`
keeps answering.

On the code before the matcher rewrite (`match.MatcherCache` lock, set-based entity reading),
indexing 22,000 links on one person took 52 s here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import TEST_DATA, LiveServer, copy_project, start_on_free_port
from many_links import linkset_with_many_links
from test_hostile_input import call, form, health_watch

pytestmark = [pytest.mark.e2e]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = copy_project(tmp_path_factory.mktemp("hostile-matcher") / "mini", TEST_DATA / "mini")
    linkset_with_many_links(root, 22_000)
    live = start_on_free_port(lambda port: LiveServer(root, port, extra_env={"VISITGRAPH_CLIENT_BUDGET": "100000"}))
    yield live
    live.stop()


def test_parallel_reconcile_after_publish_builds_one_index_quickly(server: LiveServer) -> None:
    queries = json.dumps({"q0": {"query": "Svetlana Gorokhova", "type": "person"}})
    with health_watch(server.url), ThreadPoolExecutor(8) as pool:
        started = time.monotonic()
        results = list(pool.map(lambda _: call(server.url + "/reconcile", form(queries=queries)), range(8)))
        took = time.monotonic() - started
    answered = [json.loads(body) for status, _, body in results if status == 200]
    assert answered and all(s in (200, 503) for s, _, _ in results), [s for s, _, _ in results]
    assert all(a["q0"]["result"][0]["id"] == "person/svetlana-gorokhova" for a in answered)
    assert took < 10, took
