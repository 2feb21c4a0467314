// Prefix bookkeeping for the editor: which prefixes a query declares, and adding a missing one.

const PREFIX_DECL = /^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>/gim;

/** Return {prefix: namespace} for every PREFIX the query text declares. */
export function declaredPrefixes(text) {
  const out = {};
  for (const m of text.matchAll(PREFIX_DECL)) out[m[1] || ""] = m[2];
  return out;
}

/** Return the CodeMirror change that declares `prefix`, or null when it is declared already. */
export function prefixChange(text, prefix, namespace) {
  if (prefix in declaredPrefixes(text)) return null;
  let at = 0;
  const lines = text.split("\n");
  let offset = 0;
  for (const line of lines) {
    offset += line.length + 1;
    if (/^\s*(PREFIX|BASE)\b/i.test(line) || /^\s*#/.test(line)) at = Math.min(offset, text.length);
    else if (line.trim() !== "") break;
  }
  const insert = `PREFIX ${prefix}: <${namespace}>\n`;
  return { from: at, insert: at === text.length && text.length && !text.endsWith("\n") ? "\n" + insert : insert };
}

/** Write an IRI as prefix:local with the first namespace that fits, or null. */
export function compact(iri, prefixes) {
  let best = null;
  for (const [p, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) {
      const local = iri.slice(ns.length);
      if (/^[A-Za-z_][\w.-]*$/.test(local) && !local.endsWith(".")) best = [p, ns, local];
    }
  }
  return best ? { prefix: best[0], namespace: best[1], local: best[2] } : null;
}
