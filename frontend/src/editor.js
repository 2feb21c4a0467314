// The SPARQL editor: CodeMirror 6 with the SPARQL mode, completion, errors from the server's parser
// as you type, formatting, and Ctrl/Cmd-Enter to run. It replaces the page's textarea, which it
// keeps in step so the form still submits the query.

import { EditorState } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput, syntaxTree,
} from "@codemirror/language";
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { linter, lintGutter, lintKeymap } from "@codemirror/lint";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { Parser, Generator } from "sparqljs";
import { completionSources } from "./complete.js";

/** Ask the server's parser (POST /sparql/check) and turn its answer into a diagnostic. */
function serverLinter(urls) {
  return linter(async (view) => {
    const text = view.state.doc.toString();
    if (!text.trim()) return [];
    let body;
    try {
      const resp = await fetch(urls.check, { method: "POST", body: text,
        headers: { "Content-Type": "application/sparql-query", Accept: "application/json" } });
      if (!resp.ok) return []; // over the size cap, rate-limited or busy: no verdict, no marks
      body = await resp.json();
    } catch {
      return [];
    }
    if (view.state.doc.toString() !== text || body.valid) return [];
    const doc = view.state.doc;
    const line = doc.line(Math.min(Math.max(body.line || 1, 1), doc.lines));
    let from = Math.min(line.from + Math.max((body.column || 1) - 1, 0), doc.length);
    if (from >= doc.length && doc.length > 0) from = doc.length - 1;
    return [{ from, to: Math.min(from + 1, doc.length), severity: "error", message: body.message }];
  }, { delay: 500 });
}

/** Find the comments of the query (the SPARQL mode's "comment" tokens), as {from, to}. */
function comments(state) {
  const found = [];
  syntaxTree(state).iterate({ enter: (node) => { if (node.name === "comment") found.push({ from: node.from, to: node.to }); } });
  return found;
}

const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/** Mark rdf:type in predicate and path positions so the generator writes it as `a` again. */
function markTypePredicates(node) {
  if (Array.isArray(node)) { node.forEach(markTypePredicates); return; }
  if (!node || typeof node !== "object") return;
  const isType = (t) => t && t.termType === "NamedNode" && t.value === RDF_TYPE;
  if (isType(node.predicate)) node.predicate = { termType: "NamedNode", value: RDF_TYPE, writeAsA: true };
  if (node.type === "path" && Array.isArray(node.items)) {
    node.items = node.items.map((t) => (isType(t) ? { termType: "NamedNode", value: RDF_TYPE, writeAsA: true } : t));
  }
  for (const value of Object.values(node)) if (value && typeof value === "object") markTypePredicates(value);
}

/** Write a parsed query back as text (SPARQL.js's generator, with `a` kept for rdf:type). */
function generate(parsed) {
  const generator = new Generator({ indent: "  ", prefixes: parsed.prefixes }).createGenerator();
  const toEntity = generator.toEntity.bind(generator);
  generator.toEntity = (value) => (value && value.writeAsA ? "a" : toEntity(value));
  return generator.toQuery(parsed);
}

/** Reformat the query with SPARQL.js; refuses (returns a reason) when formatting would lose comments. */
export function formatQuery(view) {
  const text = view.state.doc.toString();
  const header = text.match(/^(\s*#[^\n]*\n)*/)[0];
  const lost = comments(view.state).filter((c) => c.from >= header.length);
  if (lost.length) {
    const line = view.state.doc.lineAt(lost[0].from).number;
    return `Not formatted: the comment on line ${line} would be lost (only comments at the top are kept).`;
  }
  let formatted;
  try {
    const parsed = new Parser({ skipValidation: true }).parse(text.slice(header.length));
    markTypePredicates(parsed.where || []);
    formatted = generate(parsed);
  } catch (e) {
    return `Not formatted: ${e.message.split("\n")[0]}`;
  }
  view.dispatch({ changes: { from: 0, to: text.length, insert: header.replace(/^\s+/, "") + formatted + "\n" } });
  return "";
}

/** Replace `textarea` with the editor; `hooks.run()` runs the query, `hooks.format()` formats it. */
export function createEditor(textarea, urls, vocab, hooks) {
  const sync = EditorView.updateListener.of((update) => {
    if (update.docChanged) textarea.value = update.state.doc.toString();
  });
  const runKeys = keymap.of([
    { key: "Mod-Enter", run: () => { hooks.run(); return true; }, preventDefault: true },
    { key: "Shift-Alt-f", run: () => { hooks.format(); return true; } },
  ]);
  const state = EditorState.create({
    doc: textarea.value,
    extensions: [
      runKeys, lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(), history(),
      indentOnInput(), bracketMatching(), closeBrackets(), StreamLanguage.define(sparql),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      autocompletion({ override: completionSources(urls, vocab), activateOnTyping: true, maxRenderedOptions: 60 }),
      serverLinter(urls), lintGutter(), sync, EditorView.lineWrapping,
      keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap, indentWithTab]),
      EditorView.contentAttributes.of({ "aria-label": "SPARQL query", "data-testid": "editor" }),
    ],
  });
  const host = document.createElement("div");
  host.className = "wb-editor";
  textarea.after(host);
  textarea.hidden = true;
  textarea.removeAttribute("required"); // a hidden required field would block the form's own submit
  return new EditorView({ state, parent: host });
}

/** Replace the whole text of the editor. */
export function setText(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
