// The results table: sortable by any column, paged, IRIs linked (only http/https ones; IRIs under the
// service's base go to this server's own pages).

import { compact } from "./prefixes.js";

const PAGE = 25;
const NUMERIC = /#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger|negativeInteger|nonPositiveInteger|unsignedInt|unsignedLong)$/;

/** Return a sort key for a SPARQL JSON term (numbers compare as numbers). */
function key(term) {
  if (!term) return [2, ""];
  if (term.type === "literal" && NUMERIC.test(term.datatype || "")) return [0, Number(term.value)];
  return [1, term.value.toLowerCase()];
}

function compare(a, b) {
  const [ka, kb] = [key(a), key(b)];
  if (ka[0] !== kb[0]) return ka[0] - kb[0];
  return ka[1] < kb[1] ? -1 : ka[1] > kb[1] ? 1 : 0;
}

/** Return the href for an IRI: this server's path for IRIs under `base`, the IRI for http(s), else null. */
export function iriHref(iri, base) {
  if (base && iri.startsWith(base)) return "/id/" + iri.slice(base.length);
  return /^https?:\/\//i.test(iri) ? iri : null;
}

function cell(term, ctx) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const short = compact(term.value, ctx.prefixes);
    const text = short ? `${short.prefix}:${short.local}` : term.value;
    const href = iriHref(term.value, ctx.base);
    const node = document.createElement(href ? "a" : "span");
    if (href) node.href = href;
    node.textContent = text;
    node.title = term.value;
    td.append(node);
  } else if (term.type === "bnode") {
    td.textContent = "_:" + term.value;
    td.className = "muted";
  } else {
    td.textContent = term.value;
    const tag = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? (compact(term.datatype, ctx.prefixes) || {}).local : "";
    if (tag && !NUMERIC.test(term.datatype || "")) {
      const small = document.createElement("small");
      small.className = "muted";
      small.textContent = " " + tag;
      td.append(small);
    }
  }
  return td;
}

/** Render `vars` × `rows` (SPARQL JSON bindings) into `host` as a sortable, paged table. */
export function renderTable(host, vars, rows, ctx) {
  const view = { rows: rows.slice(), page: 0, sortBy: null, desc: false };
  const table = document.createElement("table");
  table.className = "results wb-table";
  const pager = document.createElement("nav");
  pager.className = "wb-pager";
  pager.setAttribute("aria-label", "Result pages");

  const draw = () => {
    table.replaceChildren();
    const head = table.createTHead().insertRow();
    vars.forEach((name) => {
      const th = document.createElement("th");
      th.scope = "col";
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = name + (view.sortBy === name ? (view.desc ? " ▼" : " ▲") : "");
      button.title = `Sort by ${name}`;
      button.addEventListener("click", () => {
        view.desc = view.sortBy === name ? !view.desc : false;
        view.sortBy = name;
        view.rows.sort((a, b) => compare(a[name], b[name]) * (view.desc ? -1 : 1));
        view.page = 0;
        draw();
      });
      th.setAttribute("aria-sort", view.sortBy === name ? (view.desc ? "descending" : "ascending") : "none");
      th.append(button);
      head.append(th);
    });
    const body = table.createTBody();
    const start = view.page * PAGE;
    for (const row of view.rows.slice(start, start + PAGE)) {
      const tr = body.insertRow();
      vars.forEach((name) => tr.append(cell(row[name], ctx)));
    }
    if (!view.rows.length) {
      const td = body.insertRow().insertCell();
      td.colSpan = Math.max(vars.length, 1);
      td.className = "muted";
      td.textContent = "No results.";
    }
    drawPager(start);
  };

  const drawPager = (start) => {
    pager.replaceChildren();
    const pages = Math.ceil(view.rows.length / PAGE);
    const info = document.createElement("span");
    info.textContent = view.rows.length ? `Rows ${start + 1}–${Math.min(start + PAGE, view.rows.length)} of ${view.rows.length}` : "";
    const button = (label, page, enabled) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.disabled = !enabled;
      b.addEventListener("click", () => { view.page = page; draw(); });
      return b;
    };
    pager.append(button("← Previous", view.page - 1, view.page > 0), info, button("Next →", view.page + 1, view.page < pages - 1));
  };

  draw();
  host.replaceChildren(table, pager);
}
