// Progressive enhancement of /sparql (an editor, running with Cancel, table and chart) and of the
// saved-query pages (a chart of the answer). Without this script both pages work as plain forms.

import { createEditor, formatQuery, setText } from "./editor.js";
import { renderTable } from "./results.js";
import { chooseChart, drawChart, describeChart } from "./charts.js";

const URLS = { run: "/sparql/run", cancel: "/sparql/cancel", check: "/sparql/check",
  vocabulary: "/sparql/vocabulary.json", suggest: "/reconcile/suggest/entity" };
const RECENT_KEY = "visitgraph.recentQueries";
const RECENT_MAX = 20;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

/** Make up a query id the server can cancel by (random, so no one else can guess it). */
function newQueryId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function loadRecent() {
  try { return JSON.parse(localStorage.getItem(RECENT_KEY) || "[]"); } catch { return []; }
}

function remember(text) {
  const recent = [{ query: text, at: new Date().toISOString() }, ...loadRecent().filter((r) => r.query !== text)];
  try { localStorage.setItem(RECENT_KEY, JSON.stringify(recent.slice(0, RECENT_MAX))); } catch { /* storage full or off */ }
}

function fillRecent(select) {
  select.replaceChildren(el("option", { value: "" }, "Recent queries…"));
  loadRecent().forEach((r, i) => {
    const line = r.query.replace(/^(PREFIX[^\n]*\n|\s*#[^\n]*\n)*/i, "").replace(/\s+/g, " ").trim();
    select.append(el("option", { value: String(i) }, `${r.at.slice(0, 16).replace("T", " ")} · ${line.slice(0, 70)}`));
  });
}

/** Show `results` (the /sparql/run answer) as a table, a chart when the shape fits, and downloads. */
function showAnswer(parts, answer, prefixes) {
  const vars = answer.head.vars || [];
  if ("boolean" in answer) {
    parts.table.replaceChildren(el("p", { class: "wb-boolean" }, `Answer: ${answer.boolean ? "yes (true)" : "no (false)"}`));
  } else {
    renderTable(parts.table, vars, answer.results.bindings, { base: answer.base, prefixes });
  }
  const rows = answer.results ? answer.results.bindings : [];
  const shape = chooseChart(vars, rows);
  if (parts.chart) { parts.chart.destroy(); parts.chart = null; }
  parts.chartTab.disabled = !shape;
  parts.chartTab.title = shape ? `Chart: ${describeChart(shape)}` : "No chart fits this answer (it needs counts per year or category, or dates).";
  if (shape) {
    parts.chart = drawChart(parts.canvas, shape, rows);
    parts.caption.textContent = describeChart(shape);
  }
  parts.downloads.replaceChildren("Download: ", ...answer.downloads.map((d) => el("a", { href: d.href, download: "", "data-format": d.format }, d.label)));
}

function buildResults(form) {
  const parts = {};
  parts.status = el("p", { class: "wb-status", role: "status", "aria-live": "polite" });
  parts.tableTab = el("button", { type: "button", class: "wb-tab", "aria-pressed": "true" }, "Table");
  parts.chartTab = el("button", { type: "button", class: "wb-tab", "aria-pressed": "false" }, "Chart");
  parts.table = el("div", { class: "wb-table-host" });
  parts.canvas = el("canvas", { class: "wb-canvas", role: "img" });
  parts.caption = el("figcaption", { class: "muted" });
  parts.figure = el("figure", { class: "wb-chart", hidden: "" }, el("div", { class: "wb-chart-box" }, parts.canvas), parts.caption);
  parts.downloads = el("nav", { class: "wb-downloads", "aria-label": "Downloads" });
  const show = (chart) => {
    parts.figure.hidden = !chart;
    parts.table.hidden = chart;
    parts.tableTab.setAttribute("aria-pressed", String(!chart));
    parts.chartTab.setAttribute("aria-pressed", String(chart));
    if (chart && parts.chart) parts.chart.resize();
  };
  parts.tableTab.addEventListener("click", () => show(false));
  parts.chartTab.addEventListener("click", () => show(true));
  parts.show = show;
  parts.section = el("section", { class: "wb-results", id: "wb-results", hidden: "" },
    el("h2", {}, "Results"), parts.status, el("div", { class: "wb-tabs" }, parts.tableTab, parts.chartTab),
    parts.table, parts.figure, parts.downloads);
  form.after(parts.section);
  return parts;
}

function dropServerResults() {
  const heading = document.getElementById("results");
  if (heading) {
    let node = heading.nextElementSibling;
    while (node && (node.matches("p.muted") || node.matches("table.results"))) {
      const next = node.nextElementSibling;
      node.remove();
      node = next;
    }
    heading.remove();
  }
  document.querySelectorAll("main > .error[role=alert]").forEach((n) => n.remove());
}

async function postForm(url, fields) {
  const resp = await fetch(url, { method: "POST", body: new URLSearchParams(fields), headers: { Accept: "application/json" } });
  let body;
  try { body = await resp.json(); } catch { body = { ok: false, error: `The server answered ${resp.status}.` }; }
  return { status: resp.status, body };
}

function enhanceSparqlPage(form) {
  const textarea = form.querySelector("textarea[name=query]");
  const vocab = { prefixes: {}, terms: [], base: "" };
  const state = { id: null, started: 0, timer: null };
  const parts = buildResults(form);
  const cancel = el("button", { type: "button", class: "wb-cancel", disabled: "" }, "Cancel");
  const format = el("button", { type: "button", class: "wb-format", title: "Format (Shift-Alt-F)" }, "Format");
  const share = el("button", { type: "button", class: "wb-share" }, "Share link");
  const shareBox = el("input", { type: "url", class: "wb-share-link", readonly: "", hidden: "", "aria-label": "Share link" });
  const recent = el("select", { class: "wb-recent", "aria-label": "Recent queries" });
  const note = el("span", { class: "wb-note muted", role: "status" });
  const runButton = form.querySelector("button[type=submit]");
  runButton.title = "Run (Ctrl/Cmd-Enter)";
  runButton.after(cancel, format, share, recent);
  form.querySelector(".row").after(el("div", { class: "row wb-row" }, shareBox, note));
  fillRecent(recent);

  const setStatus = (text, kind) => { parts.status.textContent = text; parts.status.dataset.state = kind; };
  const tick = () => setStatus(`Running… ${((performance.now() - state.started) / 1000).toFixed(1)} s`, "running");

  const run = async () => {
    if (state.id) return;
    if (form.elements.format.value !== "html") { form.requestSubmit(); return; }
    const text = view.state.doc.toString();
    remember(text);
    fillRecent(recent);
    dropServerResults();
    state.id = newQueryId();
    state.started = performance.now();
    parts.section.hidden = false;
    cancel.disabled = false;
    runButton.disabled = true;
    tick();
    state.timer = setInterval(tick, 100);
    const { status, body } = await postForm(URLS.run, { query: text, id: state.id, timeout: form.elements.timeout.value });
    clearInterval(state.timer);
    const seconds = ((performance.now() - state.started) / 1000).toFixed(2);
    state.id = null;
    cancel.disabled = true;
    runButton.disabled = false;
    if (body.ok) {
      showAnswer(parts, body, { ...vocab.prefixes });
      const cut = body.truncated ? ` — cut at ${body.rows} rows: add LIMIT/OFFSET to page through the rest` : "";
      setStatus(`${body.rows} row${body.rows === 1 ? "" : "s"} in ${seconds} s${body.cached ? " (from cache)" : ""}${cut}.`, "done");
      parts.show(false);
    } else {
      setStatus(status === 409 ? `Cancelled after ${seconds} s: ${body.error}` : `The query was not answered. ${body.error}`,
        status === 409 ? "cancelled" : "error");
    }
  };

  cancel.addEventListener("click", async () => {
    if (!state.id) return;
    cancel.disabled = true;
    const { body } = await postForm(URLS.cancel, { id: state.id });
    if (!body.ok) note.textContent = body.error;
  });
  format.addEventListener("click", () => { note.textContent = formatQuery(view); view.focus(); });
  form.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) { e.preventDefault(); run(); }
  });
  share.addEventListener("click", () => {
    const url = `${location.origin}${location.pathname}#query=${encodeURIComponent(view.state.doc.toString())}`;
    shareBox.value = url;
    shareBox.hidden = false;
    shareBox.select();
    navigator.clipboard?.writeText(url).then(() => { note.textContent = "Link copied."; }, () => { note.textContent = "Copy the link above."; });
  });
  recent.addEventListener("change", () => {
    const item = loadRecent()[Number(recent.value)];
    if (recent.value !== "" && item) setText(view, item.query);
    recent.value = "";
  });
  form.addEventListener("submit", (e) => { if (form.elements.format.value === "html") { e.preventDefault(); run(); } });

  document.querySelectorAll("details.examples h3 a").forEach((link) => {
    const text = link.closest("h3").nextElementSibling;
    if (!text || text.tagName !== "PRE") return;
    link.addEventListener("click", (e) => {
      e.preventDefault();
      setText(view, text.textContent);
      form.scrollIntoView({ behavior: "smooth" });
      run();
    });
  });
  const fromHash = () => {
    const m = location.hash.match(/^#query=(.*)$/s);
    if (m) setText(view, decodeURIComponent(m[1]));
  };
  const view = createEditor(textarea, URLS, vocab, { run, format: () => { note.textContent = formatQuery(view); } });
  fromHash();
  window.addEventListener("hashchange", fromHash);
  fetch(URLS.vocabulary, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : null))
    .then((v) => { if (v) { Object.assign(vocab, { prefixes: v.prefixes, terms: v.terms, base: v.base }); form.dataset.vocabulary = "ready"; } })
    .catch(() => { /* completion falls back to variables and keywords */ });
  form.dataset.workbench = "ready";
}

/** Add the chart of a saved query's answer above its table (from its SPARQL JSON download). */
async function enhanceSavedQuery(table) {
  const link = document.querySelector('nav.formats a[href*=".srj"]');
  if (!link) return;
  let answer;
  try {
    const resp = await fetch(link.href, { headers: { Accept: "application/sparql-results+json" } });
    if (!resp.ok) return;
    answer = await resp.json();
  } catch {
    return;
  }
  const rows = answer.results.bindings;
  const shape = chooseChart(answer.head.vars, rows);
  if (!shape) return;
  const canvas = el("canvas", { class: "wb-canvas", role: "img", "aria-label": `Chart: ${describeChart(shape)}` });
  table.before(el("figure", { class: "wb-chart" }, el("div", { class: "wb-chart-box" }, canvas),
    el("figcaption", { class: "muted" }, `Chart: ${describeChart(shape)}`)));
  drawChart(canvas, shape, rows);
}

function start() {
  const form = document.querySelector("form.sparql");
  if (form && form.querySelector("textarea[name=query]")) enhanceSparqlPage(form);
  const saved = document.querySelector("form.params ~ table.results, table.results");
  if (!form && saved && document.querySelector("form.params")) enhanceSavedQuery(saved);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
