"""Issue 12, the SERVICE/LOAD guard, differentially: generated queries and updates go to a real `serve`
and a local socket listener is the oracle — it must never receive a connection.

The server here has a non-empty allow-list (`http://127.0.0.1:<listener>/ok/`), so its query workers
keep the network and the text guard alone stands between a query and the listener; a positive
control shows that an allowed target does reach it. The sandbox (no network in workers while the
allow-list is empty) is tested the same way, with the guard bypassed. Last, `serve` survives
repeated crashes of its server process (granian's crash-loop exit is gone).
"""

from __future__ import annotations

import os
import signal
import time
import urllib.parse
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adversarial import Listener, MemoryWatch, assert_error, assert_healthy, call, server_process, server_processes
from conftest import TEST_DATA, WRITE_TOKEN, LiveServer, copy_project, start_on_free_port, wait_until
from visitgraph.core.config import load_settings
from visitgraph.store.backend import store_from_settings
from visitgraph.workers.pool import Child

pytestmark = [pytest.mark.e2e]

FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, listener: Listener) -> Iterator[LiveServer]:
    root = copy_project(tmp_path_factory.mktemp("guard") / "mini", TEST_DATA / "mini")
    env = {
        "VISITGRAPH_SERVICE_ALLOWLIST": f"http://127.0.0.1:{listener.port}/ok/",
        "VISITGRAPH_QUERY_TIMEOUT": "5",
        "VISITGRAPH_CLIENT_BUDGET": "100000",
        "VISITGRAPH_RESULT_CACHE": "0",
        "VISITGRAPH_LOG_LEVEL": "WARNING",
    }
    live = start_on_free_port(lambda port: LiveServer(root, port, extra_env=env))
    yield live
    live.stop()


# -- the generator ---------------------------------------------------------------------------------

#: What may stand between tokens: the grammar's blanks and comments (likely), then odd ones (rarer).
BLANKS = [
    " ",
    " ",
    " ",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "#c\r",
    "#c\r",
    "#c\r\n",
    "#c\n",
    "#c\n",
    "# SERVICE <http://x/> \r",
    "#\\u000A\r",
    "",
    "\f",
    "\v",
    "\u00a0",
    "\u2028",
    "\u3000",
    "\ufeff",
    "#c\f",
    "#c\u2028",
    "#c\x85",
]
#: What may end a comment just before the keyword (the finding: `#x\r`).
LEADS = ["#x\r", "#x\r", "#x\r\n", "#x\n", " ", "#x\r\t", "#x\f", "#x\u2028", "#x\x85", "#\r#\r"]


def escape_some(word: str, picks: list[bool]) -> str:
    """Write some letters of a keyword as `\\uXXXX` escapes (SPARQL decodes them first)."""
    return "".join(
        f"\\u{ord(c):04X}" if pick else c for c, pick in zip(word, picks + [False] * len(word), strict=False)
    )


@st.composite
def keyword(draw: st.DrawFn, word: str) -> str:
    cased = "".join(c.lower() if draw(st.booleans()) else c for c in word)
    if draw(st.integers(0, 3)) == 0:
        return escape_some(cased, draw(st.lists(st.booleans(), max_size=len(word))))
    return cased


@st.composite
def target(draw: st.DrawFn, port: int) -> tuple[str, str]:
    """Return (declarations, target term) naming the listener in one of many spellings."""
    host = draw(
        st.sampled_from(
            [
                "127.0.0.1",
                "[::1]",
                "[::ffff:127.0.0.1]",
                "[::ffff:7f00:1]",
                "localhost",
                "127.1",
                "2130706433",
                "0x7f.0.0.1",
                "LOCALHOST",
                "127.0.0.1.",
            ]
        )
    )
    path = draw(
        st.sampled_from(
            [
                "",
                "/",
                "/sparql",
                "/ok/../x",
                "/ok/%2e%2e/x",
                "/ok/./../x",
                "/OK/",
                "/o%6B/x",
                "/ok%2F..%2Fx",
                "/ok/..%2fx",
            ]
        )
    )
    scheme = draw(st.sampled_from(["http", "HTTP", "https", "Http"]))
    iri = f"{scheme}://{host}:{port}{path}"
    form = draw(st.sampled_from(["iri", "iri", "iri", "escaped", "prefixed", "base", "relative", "userinfo"]))
    if form == "escaped":
        return "", "<" + iri.replace(":", "\\u003A", 1) + ">"
    if form == "prefixed":
        name = draw(st.sampled_from(["e", "", "service", "a.b"]))
        return f"PREFIX {name}: <{scheme}://{host}:{port}/> ", f"{name}:{path.lstrip('/')}".rstrip(".")
    if form == "base":
        return f"BASE <{scheme}://{host}:{port}/> ", f"<{path.lstrip('/') or '.'}>"
    if form == "relative":
        return "", f"<//{host}:{port}{path}>"
    if form == "userinfo":
        return "", f"<{scheme}://127.0.0.1:{port}@{host}:{port}{path}>"
    return "", f"<{iri}>"


@st.composite
def service_query(draw: st.DrawFn, port: int) -> str:
    decls, term = draw(target(port))
    gap = st.sampled_from(BLANKS)
    silent = draw(st.sampled_from(["", "", "SILENT", "silent", "S\\u0049LENT"]))
    lead = draw(st.sampled_from(LEADS))
    clause = (
        f"{lead}{draw(keyword('SERVICE'))}{draw(gap) or ' '}{silent}{draw(gap) or ' '}{term}{draw(gap)}{{ ?s ?p ?o }}"
    )
    for _ in range(draw(st.integers(0, 3))):
        wrapper = draw(
            st.sampled_from(
                [
                    "{ %s }",
                    "OPTIONAL { %s }",
                    "{ %s } UNION { ?a ?b ?c }",
                    "MINUS { %s }",
                    "GRAPH ?g { %s }",
                    "{ ?x ?y ?z . %s }",
                ]
            )
        )
        clause = wrapper % clause
    return f"{decls}{draw(gap)}{draw(keyword('SELECT'))} * WHERE {{{draw(gap)}{clause}{draw(gap)}}}"


@st.composite
def load_update(draw: st.DrawFn, port: int) -> str:
    decls, term = draw(target(port))
    gap = st.sampled_from(BLANKS)
    return (
        f"{decls}{draw(st.sampled_from(LEADS))}{draw(keyword('LOAD'))}{draw(gap) or ' '}{term}{draw(gap) or ' '}"
        "INTO GRAPH <http://example.org/loaded>"
    )


# -- the properties --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def processes(server: LiveServer) -> tuple[int, ...]:
    return server_processes(server)


def test_allowed_target_reaches_the_listener(server: LiveServer, listener: Listener) -> None:
    """Positive control: the oracle sees a connection when the guard lets a target through."""
    text = f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/ok/sparql> {{ ?s ?p ?o }} }}"
    call(server, "POST", "/sparql", urllib.parse.urlencode({"query": text}).encode(), FORM)
    deadline = time.monotonic() + 5
    while not listener.connections and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections, "an allowed SERVICE call should have reached the listener"
    listener.connections.clear()


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_service_queries_never_reach_the_listener(
    server: LiveServer, listener: Listener, data: st.DataObject
) -> None:
    """Finding 2 and 14: CR/LF/CRLF/FF-ended comments, odd spaces, escapes, case, nesting, prefixed,
    relative and based IRIs, IPv6 and mapped addresses, dot segments: none reaches the listener."""
    text = data.draw(service_query(listener.port))
    answer = call(server, "POST", "/sparql", urllib.parse.urlencode({"query": text}).encode(), FORM)
    assert answer.status in (400, 503), (text, answer.status, answer.body[:200])
    assert answer.status != 500
    assert listener.connections == [], f"reached by {text!r}"


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_load_updates_never_reach_the_listener(
    server: LiveServer, listener: Listener, data: st.DataObject
) -> None:
    """Finding 2: LOAD with the write token, in the same spellings."""
    text = data.draw(load_update(listener.port))
    answer = call(
        server,
        "POST",
        "/sparql/update",
        urllib.parse.urlencode({"update": text}).encode(),
        {**FORM, "Authorization": f"Bearer {WRITE_TOKEN}"},
    )
    assert answer.status == 400, (text, answer.status, answer.body[:200])
    assert listener.connections == [], f"reached by {text!r}"


def test_dot_segments_do_not_escape_the_allow_list(server: LiveServer, listener: Listener) -> None:
    """Finding 14: `…/ok/../../escape` matched the raw prefix `…/ok/`."""
    text = f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/ok/../../escape> {{ ?s ?p ?o }} }}"
    answer = call(server, "POST", "/sparql", urllib.parse.urlencode({"query": text}).encode(), FORM)
    assert_error(answer, 400, mentions="refused")
    assert listener.connections == []


def test_server_still_healthy_after_the_generated_queries(
    server: LiveServer, listener: Listener, processes: tuple[int, ...]
) -> None:
    with MemoryWatch(server.proc.pid) as watch:
        time.sleep(0.1)  # a few memory samples (the point)
    assert_healthy(server, processes, listener, watch, 1500)


# -- the sandbox -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("no_network", "reaches"), [(True, False), (False, True)])
def test_worker_without_network_cannot_connect(
    server: LiveServer, listener: Listener, no_network: bool, reaches: bool
) -> None:
    """Defence in depth: with the guard bypassed, a worker started without network reaches nothing
    (and, as the control, one with network does)."""
    store = store_from_settings(
        load_settings(server.root, environ={"VISITGRAPH_STORE": str(server.root / "var" / "store")})
    )
    path = str(store.require_current().path)
    worker = Child("visitgraph.workers.executor", ("0",), memory_mb=0, no_network=no_network)
    try:
        worker.started()
        text = f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"
        worker.send((path, text, "json", (), (), {}, "https://w3id.org/visitgraph/id/", 10))
        assert worker.wait_ready(10)
        (status, _), _ = worker.receive()
        assert status in ("error", "bad")
        if reaches:  # the listener's accept thread records the connection the worker made before answering
            wait_until(lambda: bool(listener.connections), "the control worker's connection")
        else:
            time.sleep(0.2)  # the point: an absence can only be watched for a while
        assert bool(listener.connections) == reaches
    finally:
        worker.kill()
        listener.connections.clear()


# -- supervision -----------------------------------------------------------------------------------


def test_serve_survives_repeated_server_process_crashes(server: LiveServer) -> None:
    """Finding 1 (containment): a server process that dies twice within 5.5 s made granian exit
    ("Worker crash loop detected"); `serve` now starts it again every time, on the same port."""
    for _ in range(3):
        granian_worker = server_process(server.proc.pid)
        os.kill(granian_worker, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if call(server, "GET", "/-/health", timeout=1.0).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        assert server.proc.poll() is None, "serve exited"
        health = call(server, "GET", "/-/health", timeout=1.0)
        assert health.status == 200 and health.seconds < 1.0
        assert server_process(server.proc.pid) != granian_worker
