"""Issue 12, replayed against a real `serve` (granian): every finding of the adversarial review gets an
error answer, reaches no listener, keeps the server tree's memory bounded, and leaves the same server
processes answering `/-/health` within 1 s.

One server for the module: query_timeout 3 s, 6 request threads (3 for heavy work), 384 MiB per
query worker, 2 s to send the headers and 4 s for a body, a client budget of 5 query-seconds per minute per address (each
test speaks from its own loopback address, so budgets do not mix).
"""

from __future__ import annotations

import re
import selectors
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pytest

from adversarial import (
    Answer,
    Listener,
    MemoryWatch,
    assert_error,
    assert_healthy,
    call,
    server_processes,
    wait_for_busy_workers,
    worker_ticks,
)
from conftest import READ_TOKEN, TEST_DATA, WRITE_TOKEN, LiveServer, copy_project, start_on_free_port

pytestmark = [pytest.mark.e2e]

QUERY_TIMEOUT = 3.0
BODY_TIMEOUT = 4.0
#: Far below what SLOW takes when nothing stops it, far above QUERY_TIMEOUT on a loaded machine.
UNBOUNDED = 25.0
BUDGET = 5.0
MEMORY_LIMIT_MB = 2000  # the whole tree: server, granian process and at most 3 workers of 384 MiB
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON = {"Accept": "application/json"}
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = copy_project(tmp_path_factory.mktemp("adversarial") / "mini", TEST_DATA / "mini")
    env = {
        "VISITGRAPH_QUERY_TIMEOUT": str(QUERY_TIMEOUT),
        "VISITGRAPH_THREADS": "6",
        "VISITGRAPH_WORKER_MEMORY_MB": "384",
        "VISITGRAPH_HEADER_TIMEOUT": "2",
        "VISITGRAPH_BODY_TIMEOUT": str(BODY_TIMEOUT),
        "VISITGRAPH_CLIENT_BUDGET": str(BUDGET),
        "VISITGRAPH_RESULT_CACHE": "0",
        "VISITGRAPH_LOG_LEVEL": "WARNING",
    }
    live = start_on_free_port(lambda port: LiveServer(root, port, extra_env=env))
    yield live
    live.stop()


@pytest.fixture(scope="module")
def processes(server: LiveServer) -> tuple[int, ...]:
    return server_processes(server)


@pytest.fixture(autouse=True)
def watch(server: LiveServer, processes: tuple[int, ...], listener: Listener) -> Iterator[MemoryWatch]:
    with MemoryWatch(server.proc.pid) as found:
        yield found
    assert_healthy(server, processes, listener, found, MEMORY_LIMIT_MB)


def query(
    server: LiveServer, text: str, source: str = "127.0.0.1", accept: str = "application/json", timeout: float = 30.0
) -> Answer:
    body = urllib.parse.urlencode({"query": text}).encode()
    return call(
        server,
        "POST",
        "/sparql",
        body,
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        source=source,
        timeout=timeout,
    )


# -- 1. deep JSON-LD / JSON ------------------------------------------------------------------------


def nested_jsonld(depth: int) -> bytes:
    return (
        '{"@id":"http://x/s","http://x/p":' + '{"http://x/p":' * depth + '{"@value":"v"}' + "}" * depth + "}"
    ).encode()


def test_deep_jsonld_on_validate_is_400_twice(server: LiveServer) -> None:
    """Finding 1: 20,000-deep JSON-LD (it crashed the server process; twice made granian give up)."""
    for _ in range(2):
        answer = call(
            server,
            "POST",
            "/validate",
            nested_jsonld(20_000),
            {"Content-Type": "application/ld+json", **JSON},
            source="127.0.0.11",
        )
        assert_error(answer, 400, mentions="max_depth")
        # the attack repeated a second later, as in the finding (each crashed the server process; granian
        # gave up after two crashes within 5.5 s): not an ordering wait
        time.sleep(1)


def test_deep_json_on_reconcile_is_400(server: LiveServer) -> None:
    """Finding 1: `queries=` nested 20,000 deep gave 500."""
    deep = "[" * 20_000 + "]" * 20_000
    answer = call(
        server,
        "POST",
        "/reconcile",
        urllib.parse.urlencode({"queries": deep}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", **JSON},
        source="127.0.0.12",
    )
    assert_error(answer, 400)


# -- 2. SERVICE / LOAD behind a CR-ended comment ---------------------------------------------------


def test_service_after_cr_comment_is_refused(server: LiveServer, listener: Listener) -> None:
    """Finding 2: `#x\\rSERVICE <listener>` reached the listener (the guard ended comments at LF only)."""
    text = f"SELECT * {{ #x\rSERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"
    assert_error(query(server, text, source="127.0.0.13"), 400, mentions="refused")


def test_load_after_cr_comment_is_refused_with_the_token(server: LiveServer, listener: Listener) -> None:
    """Finding 2: with the token, `#x\\rLOAD <…> INTO GRAPH <…>` fetched and published a URL."""
    update = f"#x\rLOAD <http://127.0.0.1:{listener.port}/data.ttl> INTO GRAPH <http://example.org/loaded>"
    answer = call(
        server,
        "POST",
        "/sparql/update",
        urllib.parse.urlencode({"update": update}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", **AUTH, **JSON},
    )
    assert_error(answer, 400, mentions="refused")


# -- 3. slow request bodies ------------------------------------------------------------------------


def stalled_body(server: LiveServer, chunked: bool = False) -> socket.socket:
    """Open a connection that sends headers and 11 bytes of a 1,000-byte body, then nothing more."""
    s = socket.create_connection(("127.0.0.1", server.port), timeout=BODY_TIMEOUT + 10)
    framing = b"Transfer-Encoding: chunked\r\n\r\nb\r\n" if chunked else b"Content-Length: 1000\r\n\r\n"
    s.sendall(
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n" + framing + b"SELECT * {"
    )
    return s


def read_until_closed(s: socket.socket) -> bytes:
    data = b""
    while chunk := s.recv(4096):
        data += chunk
    return data


def test_slow_bodies_do_not_hold_the_threads(server: LiveServer) -> None:
    """Finding 3: 20 connections send headers with Content-Length 1000 (or a chunked body), then 11 bytes
    and nothing more. While they stall, health, pages and a SPARQL query answer within 1 s; each stalled
    one gets 408 in the error shape, and its connection closed, once body_timeout has passed."""
    started = time.monotonic()
    socks = [stalled_body(server, chunked=i % 4 == 0) for i in range(20)]
    try:
        for path in ("/-/health", "/", "/queries/people"):  # while they stay open
            page = call(server, "GET", path, timeout=1.0)
            assert page.status == 200 and page.seconds < 1.0, (path, page.status, page.seconds)
        answer = query(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", source="127.0.0.14", timeout=1.0)
        assert answer.status == 200 and answer.seconds < 1.0, (answer.status, answer.seconds)
        with selectors.DefaultSelector() as waiting:  # epoll: no limit on descriptor numbers, unlike select()
            for s in socks:
                waiting.register(s, selectors.EVENT_READ)
            assert not waiting.select(0)  # all of the above happened while they were still waiting
        for s in socks:
            head, _, body = read_until_closed(s).partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 408 "), head
            assert b"connection: close" in head.lower()
            assert_error(Answer(408, {}, body, 0.0), 408, mentions="body_timeout")
        assert time.monotonic() - started < BODY_TIMEOUT + 5
    finally:
        for s in socks:
            s.close()


def test_slow_but_steady_body_is_answered(server: LiveServer) -> None:
    """A body that arrives in pieces, 0.2 s apart, within body_timeout is read and answered as usual."""
    text = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).encode()
    pieces = [text[i : i + len(text) // 6 + 1] for i in range(0, len(text), len(text) // 6 + 1)]
    s = socket.create_connection(("127.0.0.1", server.port), timeout=BODY_TIMEOUT + 10)
    try:
        s.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nConnection: close\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: " + str(len(text)).encode() + b"\r\n\r\n"
        )
        for piece in pieces:
            time.sleep(0.2)  # a slow but steady body (the point)
            s.sendall(piece)
        head, _, body = read_until_closed(s).partition(b"\r\n\r\n")
    finally:
        s.close()
    assert len(pieces) * 0.2 < BODY_TIMEOUT
    assert head.startswith(b"HTTP/1.1 200 "), head
    assert b'"n"' in body


def test_slow_headers_are_cut_off(server: LiveServer) -> None:
    """Finding 3: headers have a read timeout (header_timeout, 2 s here): the connection is closed."""
    s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    try:
        s.sendall(b"GET /-/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        started = time.monotonic()
        data = s.recv(4096)
        assert time.monotonic() - started < 5
        assert data == b"" or b" 408 " in data.split(b"\r\n", 1)[0]
    finally:
        s.close()


# -- 4. slow queries from several addresses -------------------------------------------------------


def test_slow_queries_leave_health_pages_and_saved_queries_responsive(server: LiveServer) -> None:
    """Finding 4: 8 slow queries from 4 addresses (inside every budget) held all request threads."""
    answers: list[Answer] = []
    threads = [
        threading.Thread(target=lambda src=f"127.0.0.{2 + i % 4}": answers.append(query(server, SLOW, src)))
        for i in range(8)
    ]
    idle = worker_ticks(server)
    for t in threads:
        t.start()
    wait_for_busy_workers(server, idle, "the slow queries to run in the query workers")
    try:
        for path in ("/-/health", "/", "/queries/people", "/id/person/svetlana-gorokhova"):
            page = call(server, "GET", path, headers={"Accept": "text/html"}, timeout=5)
            # answered while the slow queries still ran (none stopped by its budget yet), whatever the
            # machine's load: a 1 s bound failed at load average 14 (1.12 s)
            stopped = [a for a in answers if b"QueryTimeout" in a.body]
            assert page.status == 200 and not stopped, (path, page.status, page.seconds, len(stopped))
    finally:
        for t in threads:
            t.join(30)
    assert len(answers) == 8
    for answer in answers:  # stopped at the time budget, or refused at once (no slot / budget): never hung
        assert_error(answer, 503, 429)
        # stopped by the budget, not run to its end (SLOW's 4-way cross product runs for hours); a tight
        # bound (QUERY_TIMEOUT + 2) failed on a loaded 2-core machine (5.4 s at load average 11)
        assert answer.seconds < UNBOUNDED
    assert any(a.headers.get("retry-after") for a in answers)


# -- 5. billion laughs -----------------------------------------------------------------------------

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"> <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"> <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"> <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/s"><ex:p>&i;</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_billion_laughs_on_graph_store_is_400(server: LiveServer, watch: MemoryWatch) -> None:
    """Finding 5: nested internal entities PUT to /graph-store grew the process to 21 GB."""
    answer = call(
        server,
        "PUT",
        "/graph-store?graph=http%3A%2F%2Fexample.org%2Flaughs",
        LAUGHS,
        {"Content-Type": "application/rdf+xml", **AUTH, **JSON},
    )
    assert_error(answer, 400, mentions="entity")
    assert answer.seconds < 2


def answered_while_health_stays_fast(
    server: LiveServer, method: str, path: str, body: bytes, headers: dict[str, str], source: str
) -> Answer:
    """Send one request in a thread; meanwhile `/-/health` must answer within 1 s three times."""
    answers: list[Answer] = []
    sender = threading.Thread(
        target=lambda: answers.append(call(server, method, path, body, headers, source=source, timeout=60))
    )
    sender.start()
    try:
        for _ in range(3):
            health = call(server, "GET", "/-/health", timeout=5.0)
            assert health.status == 200 and health.seconds < 1.0, health.seconds
            time.sleep(0.2)  # health asked over time while the request runs (the point)
    finally:
        sender.join(60)
    assert len(answers) == 1
    return answers[0]


def test_jsonld_string_of_escaped_quotes_is_answered_while_health_stays_fast(server: LiveServer) -> None:
    """Found after the issue: the JSON-LD depth check matched strings with a backtracking regular
    expression, quadratic on a string of escaped quotes that never ends (160 KB took 4 minutes of CPU,
    holding the interpreter lock). 200 KB PUT with the token must be refused at once, health fast meanwhile."""
    body = ('"' + '\\"' * 100_000).encode()
    answer = answered_while_health_stays_fast(
        server,
        "PUT",
        "/graph-store?graph=http%3A%2F%2Fexample.org%2Fquotes",
        body,
        {"Content-Type": "application/ld+json", **AUTH, **JSON},
        "127.0.0.41",
    )
    assert_error(answer, 400)
    assert answer.seconds < 10


def test_sparql_guard_keyword_run_is_answered_while_health_stays_fast(server: LiveServer) -> None:
    """Found after the issue: the SERVICE/LOAD guard (run in the request thread before any worker) read
    from every keyword to the end of the text; 100 KB of `SERVICE-` took over 40 s of CPU holding the
    interpreter lock. 880 KB from an anonymous client must be refused at once, health fast meanwhile."""
    body = ("SELECT * { ?s ?p ?o } # " + "SERVICE-" * 110_000).encode()
    answer = answered_while_health_stays_fast(
        server, "POST", "/sparql", body, {"Content-Type": "application/sparql-query", **JSON}, "127.0.0.42"
    )
    assert_error(answer, 400, mentions="SERVICE")
    assert answer.seconds < 10


# -- 6. unsafe links and missing headers ----------------------------------------------------------


def links(html: bytes) -> list[str]:
    return re.findall(r'(?:href|src|action)\s*=\s*"([^"]*)"', html.decode("utf-8"))


def assert_safe_links(html: bytes) -> None:
    for target in links(html):
        scheme = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):", target)
        assert scheme is None or scheme.group(1).lower() in ("http", "https"), target


def test_javascript_iri_in_sparql_html_is_not_a_link(server: LiveServer) -> None:
    """Finding 6 (reflected): `SELECT (<javascript:alert(1)> AS ?x) {}` rendered a clickable link."""
    text = "SELECT (<javascript:alert(1)> AS ?x) {}"
    answer = call(
        server,
        "GET",
        "/sparql?" + urllib.parse.urlencode({"query": text}),
        headers={"Accept": "text/html"},
        source="127.0.0.14",
    )
    assert answer.status == 200 and b"javascript:alert(1)" in answer.body  # shown as text...
    assert_safe_links(answer.body)  # ...never as a link


def test_javascript_iri_stored_on_a_page_is_not_a_link(server: LiveServer) -> None:
    """Finding 6 (stored): a `schema:sameAs <javascript:…>` became a link on the person's page."""
    update = (
        "INSERT DATA { GRAPH <http://example.org/adversarial> { <https://w3id.org/visitgraph/id/person/"
        "svetlana-gorokhova> <http://schema.org/sameAs> <javascript:alert(document.domain)> } }"
    )
    written = call(
        server,
        "POST",
        "/sparql/update",
        urllib.parse.urlencode({"update": update}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", **AUTH, **JSON},
    )
    assert written.status == 200, written.body
    page = call(server, "GET", "/id/person/svetlana-gorokhova", headers={"Accept": "text/html"})
    assert page.status == 200 and b"javascript:alert(document.domain)" in page.body
    assert_safe_links(page.body)


@pytest.mark.parametrize(
    "path", ["/", "/sparql", "/id/person/svetlana-gorokhova", "/id/person/nobody-at-all", "/queries/people"]
)
def test_every_html_answer_has_the_security_headers(server: LiveServer, path: str) -> None:
    """Finding 6: no CSP, X-Content-Type-Options, frame-ancestors or Referrer-Policy (errors included)."""
    answer = call(server, "GET", path, headers={"Accept": "text/html"})
    assert answer.headers["content-type"].startswith("text/html")
    csp = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"]


# -- 7. /validate without limits -------------------------------------------------------------------


def big_turtle(size: int = 1_000_000) -> bytes:
    lines = ["@prefix schema: <http://schema.org/> .", "@prefix p: <https://w3id.org/visitgraph/id/person/> ."]
    i = 0
    while sum(len(x) + 1 for x in lines) < size:
        lines.append(
            f'p:x{i} a schema:Person ; schema:name "Person {i}" ; schema:jobTitle "Title {i}" ; '
            f"schema:affiliation p:x{i + 1} ."
        )
        i += 1
    return "\n".join(lines).encode()


def test_validate_runs_in_workers_under_the_time_budget(server: LiveServer) -> None:
    """Finding 7: 1 MB of Turtle took ~20 s and 1.8 GB in the server process; 8 in parallel stalled the site."""
    body = big_turtle()
    answers: list[Answer] = []
    threads = [
        threading.Thread(
            target=lambda i=i: answers.append(
                call(
                    server,
                    "POST",
                    "/validate",
                    body,
                    {"Content-Type": "text/turtle", **JSON},
                    source=f"127.0.1.{i + 1}",
                )
            )
        )
        for i in range(8)
    ]
    idle = worker_ticks(server)
    for t in threads:
        t.start()
    wait_for_busy_workers(server, idle, "the validations to run in the workers")
    try:
        health = call(server, "GET", "/-/health", timeout=1.0)
        assert health.status == 200 and health.seconds < 1.0
    finally:
        for t in threads:
            t.join(60)
    assert len(answers) == 8
    for answer in answers:
        assert answer.status in (200, 503), answer.body[:200]
        assert answer.seconds < UNBOUNDED
    assert any(a.status == 503 for a in answers)


# -- 8. worker memory ------------------------------------------------------------------------------


def test_concat_bomb_hits_the_worker_memory_limit(server: LiveServer) -> None:
    """Finding 8: nested CONCAT built a 10^9-character string (2 GB in 9 s) in a worker with no limit."""
    names = "abcdefghij"
    parts = ['BIND("0123456789" AS ?a)'] + [
        f"BIND(CONCAT({','.join(['?' + p] * 10)}) AS ?{c})" for p, c in zip(names, names[1:], strict=False)
    ]
    answer = query(server, "SELECT (STRLEN(?j) AS ?n) WHERE { " + " ".join(parts) + " }", source="127.0.0.15")
    assert_error(answer, 503, mentions="worker_memory_mb")


# -- 9. metrics labels -----------------------------------------------------------------------------


def test_odd_methods_do_not_grow_the_metrics(server: LiveServer) -> None:
    """Finding 9: 20k odd method names made 18k series."""
    for i in range(200):
        call(server, f"X{i}Y", "/-/health")
    text = call(server, "GET", "/-/metrics").body.decode()
    methods = set(re.findall(r'visitgraph_requests_total\{[^}]*method="([^"]*)"', text))
    assert methods <= {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "other"}, methods
    assert len(text.splitlines()) < 400


# -- 10. a second serve on the same port -----------------------------------------------------------


def test_second_serve_on_the_same_port_is_refused(server: LiveServer) -> None:
    """Finding 10: a second `serve` started silently and the two split the traffic (one had no token)."""
    env = {"VISITGRAPH_STORE": str(server.root / "var" / "store"), "VISITGRAPH_READ_TOKEN": READ_TOKEN}
    import os

    done = subprocess.run(
        [sys.executable, "-m", "visitgraph", "--root", str(server.root), "serve", "--port", str(server.port)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Error:" in done.stderr and "already in use" in done.stderr


# -- 11. invalid IRIs under /id/ -------------------------------------------------------------------


@pytest.mark.parametrize(
    "rest",
    ["a%20b", "a%22b", "a%3Cb", "a%3Eb", "a%7Bb", "a%7Db", "a%7Cb", "a%5Eb", "a%5Cb", "a%60b", "%25", "%00", "%ff"],
)
def test_invalid_iris_under_id_are_404(server: LiveServer, rest: str) -> None:
    """Finding 11: `/id/person/a%20b` (and `" < > { } | ^ \\` % %00 %ff`) gave 500 "Invalid IRI"."""
    assert_error(call(server, "GET", f"/id/person/{rest}", headers=JSON), 404)
    html = call(server, "GET", f"/id/person/{rest}", headers={"Accept": "text/html"})
    assert html.status == 404 and html.headers["content-type"].startswith("text/html")


# -- 12. deep query nesting ------------------------------------------------------------------------


def test_deeply_nested_query_is_400(server: LiveServer) -> None:
    """Finding 12: 5,000 nested groups crashed the worker's parser (503)."""
    answer = query(server, "SELECT * " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000, source="127.0.0.16")
    assert_error(answer, 400, mentions="max_depth")


# -- 13. budgets reserved at admission -------------------------------------------------------------


def test_parallel_queries_cannot_overspend_the_client_budget(server: LiveServer) -> None:
    """Finding 13: 20 parallel queries from one address used 150 query-seconds of a 120 s budget."""
    answers: list[Answer] = []
    threads = [threading.Thread(target=lambda: answers.append(query(server, SLOW, "127.0.0.20"))) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # Admitted queries are the ones stopped by the time limit (SLOW never ends by itself); the rest were
    # refused at admission (429 budget, 503 no free slot). Counting them, not adding up client-side wall
    # time, is what a loaded machine cannot blur (the wall-time sum failed at load average 6-9 on the old
    # and new code alike): each admitted query reserves its grant at admission (3 s, then the 2 s left), so
    # two run; with reservations left out (checked by hand), three ran at once and the test failed.
    ran = [a for a in answers if b"QueryTimeout" in a.body or a.status == 200]
    assert 1 <= len(ran) <= int(BUDGET // QUERY_TIMEOUT) + 1, [(a.status, round(a.seconds, 2)) for a in answers]
    assert all(a.seconds < UNBOUNDED for a in ran)
    assert any(a.status == 429 for a in answers)
