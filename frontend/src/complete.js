// Completion sources: prefixes, the ontology's and the data's classes and properties, resources by
// label (the server's name search), variables and keywords. Completing a prefixed name declares its
// prefix when the query does not.

import { declaredPrefixes, prefixChange, compact } from "./prefixes.js";

const KEYWORDS = ["SELECT", "DISTINCT", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "BIND",
  "VALUES", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX",
  "COUNT", "SAMPLE", "GROUP_CONCAT", "LANG", "LANGMATCHES", "STR", "CONTAINS", "REGEX", "YEAR", "DESC",
  "ASC", "EXISTS", "NOT EXISTS", "COALESCE", "IF", "STRSTARTS", "LCASE", "UCASE", "isIRI", "BOUND"];

/** Apply a completion `label` over [from, to) and declare its prefix when missing. */
function insertWithPrefix(prefix, namespace) {
  return (view, completion, from, to) => {
    const changes = [{ from, to, insert: completion.label }];
    const extra = prefixChange(view.state.doc.toString(), prefix, namespace);
    if (extra) changes.push(extra);
    const shift = extra && extra.from <= from ? extra.insert.length : 0;
    view.dispatch({ changes, selection: { anchor: from + completion.label.length + shift }, scrollIntoView: true });
  };
}

function termOption(term, prefixes, boost) {
  const short = compact(term.iri, prefixes);
  const detail = [term.kind, term.uses ? `${term.uses} uses` : "", term.in_ontology ? "ontology" : ""]
    .filter(Boolean).join(" · ");
  const option = {
    label: short ? `${short.prefix}:${short.local}` : `<${term.iri}>`,
    detail, info: term.label || term.comment ? `${term.label}${term.comment ? " — " + term.comment : ""}` : undefined,
    type: term.kind === "class" ? "class" : "property", boost,
  };
  if (short) option.apply = insertWithPrefix(short.prefix, short.namespace);
  return option;
}

/** Completion after `PREFIX ` and of `name:` anywhere: the known prefixes. */
function prefixSource(vocab) {
  return (ctx) => {
    const decl = ctx.matchBefore(/PREFIX\s+[A-Za-z][\w.-]*$/i);
    if (decl) {
      const start = decl.to - decl.text.replace(/^PREFIX\s+/i, "").length;
      return {
        from: start,
        options: Object.entries(vocab.prefixes).map(([p, ns]) => ({ label: `${p}: <${ns}>`, type: "namespace" })),
      };
    }
    return null;
  };
}

/** Completion of terms: prefixed names and bare words matched against local names and labels. */
function termSource(vocab) {
  return (ctx) => {
    const word = ctx.matchBefore(/[A-Za-z][\w.-]*:?[\w.-]*$/);
    if (!word || (word.from === word.to && !ctx.explicit)) return null;
    const before = ctx.state.sliceDoc(Math.max(0, word.from - 1), word.from);
    if (before === "?" || before === "$" || before === "<" || before === '"') return null;
    const text = ctx.state.doc.toString();
    const prefixes = { ...vocab.prefixes, ...declaredPrefixes(text) };
    const wantsClass = /\ba\s+$|rdf:type\s+$/.test(ctx.state.sliceDoc(Math.max(0, word.from - 12), word.from));
    const options = vocab.terms
      .filter((t) => !wantsClass || t.kind === "class")
      .map((t) => termOption(t, prefixes, (t.kind === "class") === wantsClass ? 2 : 0));
    if (!word.text.includes(":")) {
      for (const [p, ns] of Object.entries(prefixes)) {
        options.push({ label: `${p}:`, type: "namespace", detail: ns, apply: insertWithPrefix(p, ns), boost: -1 });
      }
      for (const k of KEYWORDS) options.push({ label: k, type: "keyword", boost: -2 });
    }
    return { from: word.from, options, validFor: /^[\w.:-]*$/ };
  };
}

/** Completion of the variables the query already uses. */
function variableSource() {
  return (ctx) => {
    const word = ctx.matchBefore(/[?$][\w]*$/);
    if (!word) return null;
    const names = new Set(ctx.state.doc.toString().match(/[?$][A-Za-z_]\w*/g) || []);
    names.delete(word.text);
    return { from: word.from, options: [...names].map((n) => ({ label: n, type: "variable" })), validFor: /^[?$]\w*$/ };
  };
}

/** Completion of resources by label, from the server's name search (`/reconcile/suggest/entity`). */
function resourceSource(urls, vocab) {
  return async (ctx) => {
    const word = ctx.matchBefore(/[A-Za-z\u00C0-\u024F][\w\u00C0-\u024F-]{2,}$/);
    if (!word) return null;
    const before = ctx.state.sliceDoc(Math.max(0, word.from - 1), word.from);
    if (/[?$:<"'@]/.test(before)) return null;
    let found;
    try {
      const resp = await fetch(`${urls.suggest}?prefix=${encodeURIComponent(word.text)}`, { headers: { Accept: "application/json" } });
      if (!resp.ok) return null;
      found = (await resp.json()).result || [];
    } catch {
      return null;
    }
    if (ctx.aborted) return null;
    const prefixes = { ...vocab.prefixes, ...declaredPrefixes(ctx.state.doc.toString()) };
    const options = found.map((e) => {
      const iri = /^https?:/.test(e.id) ? e.id : vocab.base + e.id;
      const short = compact(iri, prefixes);
      const option = { label: short ? `${short.prefix}:${short.local}` : `<${iri}>`, detail: e.name,
        info: e.description, type: "constant", boost: 1 };
      option.displayLabel = `${e.name} (${option.label})`;
      if (short) option.apply = insertWithPrefix(short.prefix, short.namespace);
      return option;
    });
    return { from: word.from, options, filter: false };
  };
}

/** Return the completion sources, given the vocabulary from `/sparql/vocabulary.json`. */
export function completionSources(urls, vocab) {
  return [prefixSource(vocab), variableSource(), termSource(vocab), resourceSource(urls, vocab)];
}
