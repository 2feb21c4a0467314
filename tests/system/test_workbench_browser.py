"""The SPARQL workbench in real headless Chromium (driven by Playwright) against a real `serve` process.

Types a query with completions, sees an error marked, runs it, reads the table and the chart,
cancels a runaway query (its worker process is gone afterwards), reopens a shared link, and takes
the README's screenshots of /sparql and a saved-query page.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import LiveServer, cpu_ticks

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

pytest.importorskip("playwright.sync_api", reason="Playwright (test extra) is not installed")
from playwright.sync_api import Page, Playwright, sync_playwright  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
BUNDLE = REPO / "src" / "visitgraph" / "web" / "static" / "workbench.js"
SCREENSHOTS = REPO / "docs" / "img"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
VISITS = (
    "PREFIX vg: <https://w3id.org/visitgraph/ontology#>\nPREFIX schema: <http://schema.org/>\n"
    "SELECT ?visit ?date WHERE { ?visit a vg:Visit ; schema:startDate ?date } ORDER BY ?date LIMIT 40"
)


@pytest.fixture(scope="module")
def pw() -> Iterator[Playwright]:
    if CHROMIUM is None:
        pytest.skip("chromium is not on PATH (Debian package `chromium`; ./run test installs it)")
    if not BUNDLE.exists():
        pytest.skip("the workbench bundle is not built (./run test builds it: npm ci + node frontend/build.mjs)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def page(pw: Playwright, live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = pw.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=True,
        args=FLAGS,
        viewport={"width": 1280, "height": 1000},
        base_url=live_server.url,
    )
    pg = context.pages[0] if context.pages else context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def _editor_text(pg: Page) -> str:
    return pg.locator(".cm-content").inner_text()


def _clear_and_type(pg: Page, text: str) -> None:
    pg.locator(".cm-content").click()
    pg.keyboard.press("Control+a")
    pg.keyboard.press("Delete")
    pg.keyboard.type(text, delay=15)


def _accept(pg: Page, option: str) -> None:
    """Wait for the completion list to offer `option` and accept it."""
    item = pg.locator(".cm-tooltip-autocomplete li", has_text=option).first
    item.wait_for()
    item.click()


def _open_workbench(pg: Page) -> None:
    pg.goto("/sparql")
    pg.locator("form.sparql[data-workbench=ready][data-vocabulary=ready]").wait_for()


def test_error_is_marked_as_you_type(page: Page) -> None:
    _open_workbench(page)
    _clear_and_type(page, "SELECT * WHERE { ?s ?p")
    page.keyboard.press("Escape")
    page.locator(".cm-lintRange-error").first.wait_for()
    page.locator(".cm-lint-marker-error").first.wait_for()


def test_complete_run_table_and_chart(page: Page) -> None:
    _open_workbench(page)
    _clear_and_type(page, "SELECT ?year (COUNT(?visit) AS ?visits) WHERE { ?visit a Visi")
    _accept(page, "vg:Visit")
    page.keyboard.type(" ; startDa", delay=15)
    _accept(page, "schema:startDate")
    page.keyboard.type(" ?date . BIND(YEAR(?date) AS ?year) } GROUP BY ?year ORDER BY ?year", delay=10)
    page.keyboard.press("Escape")
    text = _editor_text(page)
    assert "PREFIX vg: <https://w3id.org/visitgraph/ontology#>" in text
    assert "PREFIX schema: <http://schema.org/>" in text
    assert "a vg:Visit ; schema:startDate ?date" in text
    page.locator(".wb-format").click()
    formatted = _editor_text(page)
    assert formatted.count("\n") >= 6 and "GROUP BY ?year" in formatted and "PREFIX vg:" in formatted
    page.wait_for_timeout(800)
    assert page.locator(".cm-lintRange-error").count() == 0
    page.keyboard.press("Control+Enter")
    page.locator(".wb-status[data-state=done]").wait_for()
    headers = page.locator(".wb-table th").all_inner_texts()
    assert [h.strip() for h in headers] == ["year", "visits"]
    years = page.locator(".wb-table tbody tr td:first-child").all_inner_texts()
    assert years == sorted(years) and len(years) >= 3
    page.locator(".wb-table th button", has_text="visits").click()
    assert page.locator(".wb-table th").nth(1).get_attribute("aria-sort") == "ascending"
    counts = [int(c) for c in page.locator(".wb-table tbody tr td:nth-child(2)").all_inner_texts()]
    assert counts == sorted(counts)
    page.locator(".wb-tab", has_text="Chart").click()
    canvas = page.locator(".wb-chart canvas[data-chart=years]")
    canvas.wait_for()
    assert canvas.get_attribute("data-chart-type") == "bar"
    box = canvas.bounding_box()
    assert box is not None and box["height"] > 100
    formats = page.locator(".wb-downloads a").evaluate_all("els => els.map(e => [e.dataset.format, e.href])")
    assert {f for f, _ in formats} == {"json", "xml", "csv", "tsv"}
    for _, href in formats:
        assert page.request.get(href).status == 200
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 1150})
    page.screenshot(path=str(SCREENSHOTS / "sparql-workbench.png"))
    page.set_viewport_size({"width": 1280, "height": 1000})
    recent = page.locator(".wb-recent option").all_inner_texts()
    assert any("SELECT ?year" in r for r in recent)


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - found
        found |= frontier
    return found


def _busy_query_worker(server: LiveServer) -> int:
    """Return the pid of the query worker that is burning CPU under the server."""
    workers = [
        p
        for p in _descendants(server.proc.pid)
        if b"visitgraph.workers.executor" in Path(f"/proc/{p}/cmdline").read_bytes()
    ]
    before = {p: cpu_ticks(p) for p in workers}
    time.sleep(1.5)  # the window CPU use is measured over (the point)
    grown = sorted(((cpu_ticks(p) - t, p) for p, t in before.items() if Path(f"/proc/{p}").exists()), reverse=True)
    # The runaway query keeps its worker on the CPU (at least a few ticks even on a loaded machine).
    assert grown and grown[0][0] >= 3, f"no busy query worker among {workers}: {grown}"
    return grown[0][1]


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def test_cancel_stops_the_worker_on_the_server(page: Page, live_server: LiveServer) -> None:
    _open_workbench(page)
    _clear_and_type(page, RUNAWAY)
    page.keyboard.press("Escape")
    page.locator("form.sparql button[type=submit]").click()
    status = page.locator(".wb-status[data-state=running]")
    status.wait_for()
    pid = _busy_query_worker(live_server)
    assert re.search(r"Running… \d+\.\d s", status.inner_text())
    page.locator(".wb-cancel").click()
    page.locator(".wb-status[data-state=cancelled]").wait_for(timeout=10_000)
    assert "cancelled" in page.locator(".wb-status").inner_text()
    deadline = time.monotonic() + 10
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(pid), f"worker {pid} still runs after the cancel"
    metrics = page.request.get("/-/metrics").text()
    assert re.search(r"workers_replaced\S* [1-9]", metrics)


def test_shared_link_reopens_the_query(page: Page) -> None:
    _open_workbench(page)
    _clear_and_type(page, VISITS)
    page.keyboard.press("Escape")
    page.locator(".wb-share").click()
    link = page.locator(".wb-share-link").input_value()
    assert "#query=" in link
    page.goto("about:blank")
    page.goto(link)
    page.locator("form.sparql[data-workbench=ready]").wait_for()
    assert _editor_text(page).replace("\n", " ") == VISITS.replace("\n", " ")
    page.locator("form.sparql button[type=submit]").click()
    page.locator(".wb-status[data-state=done]").wait_for()
    hrefs = page.locator(".wb-table tbody a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.startswith("/id/visit/") for h in hrefs)
    assert page.locator(".wb-tab", has_text="Chart").is_enabled()


@pytest.mark.parametrize(
    ("name", "kind"), [("visits-per-year", "years"), ("gifts-per-year", "years"), ("visits-per-country", "categories")]
)
def test_saved_query_page_shows_its_chart(page: Page, name: str, kind: str) -> None:
    page.goto(f"/queries/{name}")
    canvas = page.locator(f"figure.wb-chart canvas[data-chart={kind}]")
    canvas.wait_for()
    assert page.locator("table.results tbody tr").count() > 0
    if name == "visits-per-year":
        page.set_viewport_size({"width": 1280, "height": 1300})
        page.wait_for_timeout(300)
        page.screenshot(path=str(SCREENSHOTS / "saved-query-chart.png"))
        page.set_viewport_size({"width": 1280, "height": 1000})


def test_resource_completion_by_name_declares_its_prefix(page: Page) -> None:
    _open_workbench(page)
    _clear_and_type(page, "SELECT ?p ?o WHERE { Graham")
    _accept(page, "Graham Wilson (person:graham-wilson)")
    page.keyboard.type(" ?p ?o }", delay=10)
    page.keyboard.press("Escape")
    text = _editor_text(page)
    assert "PREFIX person: <https://w3id.org/visitgraph/id/person/>" in text
    assert "{ person:graham-wilson ?p ?o }" in text
    page.keyboard.press("Control+Enter")
    page.locator(".wb-status[data-state=done]").wait_for()
    assert page.locator(".wb-table tbody tr").count() > 3


def test_example_and_recent_queries_load_into_the_editor(page: Page) -> None:
    _open_workbench(page)
    page.locator("details.examples h3 a", has_text="Topics discussed").click()
    page.locator(".wb-status[data-state=done]").wait_for()
    assert "skos:Concept" in _editor_text(page) and page.url.endswith("/sparql")
    _clear_and_type(page, "ASK { ?s ?p ?o }")
    page.keyboard.press("Escape")
    options = page.locator(".wb-recent option").evaluate_all("os => os.map(o => [o.value, o.textContent])")
    value = next(v for v, label in options if "SELECT ?topic" in label)
    page.locator(".wb-recent").select_option(value=value)
    assert "skos:Concept" in _editor_text(page)


def test_answer_page_opens_in_the_workbench(page: Page) -> None:
    page.goto("/sparql?format=html&query=" + "SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20a%20%3Fc%20%7D%20LIMIT%202")
    assert page.locator("table.results tbody tr").count() == 2
    page.locator("a", has_text="Edit this query in the workbench").click()
    page.locator("form.sparql[data-workbench=ready]").wait_for()
    assert _editor_text(page) == "SELECT ?s WHERE { ?s a ?c } LIMIT 2"


def test_query_page_works_without_javascript(pw: Playwright, live_server: LiveServer) -> None:
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
    try:
        context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
        pg = context.new_page()
        pg.goto("/sparql")
        assert pg.locator(".cm-editor").count() == 0 and pg.locator("textarea[name=query]").is_visible()
        pg.locator("textarea[name=query]").fill("SELECT ?s WHERE { ?s a ?c } LIMIT 3")
        pg.locator("form.sparql button[type=submit]").click()
        pg.wait_for_load_state()
        assert pg.locator("table.results tbody tr").count() == 3
    finally:
        browser.close()
