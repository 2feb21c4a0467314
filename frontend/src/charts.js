// A chart chosen from the shape of an answer: counts per year → bars (line when there are many
// years), dates → a timeline, counts per category → horizontal bars. Drawn with Chart.js.

import {
  Chart, BarController, LineController, ScatterController, BarElement, LineElement, PointElement,
  CategoryScale, LinearScale, Tooltip, Legend,
} from "chart.js";

Chart.register(BarController, LineController, ScatterController, BarElement, LineElement, PointElement,
  CategoryScale, LinearScale, Tooltip, Legend);

const XSD = "http://www.w3.org/2001/XMLSchema#";
const NUMBER_TYPES = ["integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger", "positiveInteger", "unsignedInt"];
const COLOURS = ["#0b5cad", "#d9822b", "#2f8f5b", "#9b4dca", "#c23b3b", "#5b6475"];
const MAX_BARS = 30;

function all(rows, name, test) {
  const values = rows.map((r) => r[name]).filter(Boolean);
  return values.length > 0 && values.length >= rows.length * 0.9 && values.every(test);
}

const isNumber = (t) => t.type === "literal" && (NUMBER_TYPES.some((n) => t.datatype === XSD + n) || (!t.datatype && /^-?\d+(\.\d+)?$/.test(t.value)));
const isYear = (t) => t.type === "literal" && (t.datatype === XSD + "gYear" || (isNumber(t) && /^\d{4}$/.test(t.value)));
const isDate = (t) => t.type === "literal" && ([XSD + "date", XSD + "dateTime"].includes(t.datatype) || (!t.datatype && /^\d{4}-\d{2}-\d{2}/.test(t.value)));

function label(term) {
  if (!term) return "";
  if (term.type !== "uri") return term.value;
  const m = term.value.match(/[^/#]+$/);
  return m ? decodeURIComponent(m[0]) : term.value;
}

/**
 * Choose a chart for `vars` × `rows` (SPARQL JSON bindings): {kind, x, ys, label?} or null.
 * kind is "years" (a year column and counts), "timeline" (a date column) or "categories".
 */
export function chooseChart(vars, rows) {
  if (!rows.length || vars.length < 2 && !vars.some((v) => all(rows, v, isDate))) return null;
  const numbers = vars.filter((v) => all(rows, v, isNumber));
  const year = vars.find((v) => /year/i.test(v) && all(rows, v, isYear)) || vars.find((v) => all(rows, v, (t) => t.datatype === XSD + "gYear"));
  if (year && numbers.some((v) => v !== year)) return { kind: "years", x: year, ys: numbers.filter((v) => v !== year) };
  const date = vars.find((v) => all(rows, v, isDate));
  if (date) {
    const text = vars.find((v) => v !== date && !numbers.includes(v));
    return { kind: "timeline", x: date, ys: numbers.filter((v) => v !== date), label: text };
  }
  const category = vars.find((v) => !numbers.includes(v));
  if (category && numbers.length) return { kind: "categories", x: category, ys: numbers };
  return null;
}

function yearsConfig(shape, rows) {
  const sorted = rows.slice().sort((a, b) => Number(a[shape.x].value) - Number(b[shape.x].value));
  const line = sorted.length > MAX_BARS;
  return {
    type: line ? "line" : "bar",
    data: {
      labels: sorted.map((r) => r[shape.x].value.slice(0, 4)),
      datasets: shape.ys.map((y, i) => ({ label: y, data: sorted.map((r) => (r[y] ? Number(r[y].value) : 0)),
        backgroundColor: COLOURS[i % COLOURS.length], borderColor: COLOURS[i % COLOURS.length] })),
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  };
}

function categoriesConfig(shape, rows) {
  const first = shape.ys[0];
  const top = rows.slice().sort((a, b) => Number(b[first]?.value || 0) - Number(a[first]?.value || 0)).slice(0, MAX_BARS);
  return {
    type: "bar",
    data: {
      labels: top.map((r) => label(r[shape.x])),
      datasets: shape.ys.map((y, i) => ({ label: y, data: top.map((r) => (r[y] ? Number(r[y].value) : 0)),
        backgroundColor: COLOURS[i % COLOURS.length] })),
    },
    options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  };
}

function timelineConfig(shape, rows) {
  const names = shape.label ? [...new Set(rows.map((r) => label(r[shape.label])))] : [];
  const points = rows.filter((r) => r[shape.x]).map((r) => ({
    x: Date.parse(r[shape.x].value.slice(0, 10)),
    y: shape.ys.length ? Number(r[shape.ys[0]]?.value || 0) : shape.label ? names.indexOf(label(r[shape.label])) : 0,
    name: shape.label ? label(r[shape.label]) : "",
  }));
  const day = (ms) => new Date(ms).toISOString().slice(0, 10);
  const yAxis = shape.ys.length
    ? { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: shape.ys[0] } }
    : { ticks: { stepSize: 1, callback: (v) => names[v] ?? "" }, display: names.length > 0 && names.length <= 40 };
  return {
    type: "scatter",
    data: { datasets: [{ label: shape.x, data: points, backgroundColor: COLOURS[0], pointRadius: 4 }] },
    options: {
      scales: { x: { type: "linear", ticks: { callback: (v) => day(v) } }, y: yAxis },
      plugins: { tooltip: { callbacks: { label: (c) => `${day(c.raw.x)} ${c.raw.name}` } } },
    },
  };
}

/** Draw the chart for `shape` into `canvas`; returns the Chart (destroy it before drawing again). */
export function drawChart(canvas, shape, rows) {
  const config = shape.kind === "years" ? yearsConfig(shape, rows)
    : shape.kind === "categories" ? categoriesConfig(shape, rows) : timelineConfig(shape, rows);
  config.options = { ...config.options, animation: false, responsive: true, maintainAspectRatio: false,
    plugins: { legend: { display: config.data.datasets.length > 1 }, ...(config.options.plugins || {}) } };
  canvas.dataset.chart = shape.kind;
  canvas.dataset.chartType = config.type;
  return new Chart(canvas, config);
}

/** Describe a chart shape in words, for the page and screen readers. */
export function describeChart(shape) {
  if (shape.kind === "years") return `${shape.ys.join(", ")} per ${shape.x}`;
  if (shape.kind === "timeline") return `${shape.label || "rows"} over ${shape.x}`;
  return `${shape.ys.join(", ")} per ${shape.x}`;
}
