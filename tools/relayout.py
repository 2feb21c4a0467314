"""Move src/visitgraph's flat modules into subpackages and rewrite every reference to them (issue #15).

Kept so the lead can re-run the rewrite over branches that still use the flat names:
`python tools/relayout.py --rewrite-only FILE...` rewrites references in the given files without moving anything
(module paths, then the names that moved out of their module when the import cycles were cut). Run ruff's
import sorting afterwards (`ruff check --fix --select I`). The rewrite is for text written against the flat
names only: run over files that already use the new names, it rewrites some of them a second time.
`python tools/relayout.py --move` did the one-time move (it fails now: the flat modules are gone).

Example: python tools/relayout.py --rewrite-only tests/unit/web/test_new_feature.py
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

# package -> {new module name: old flat module name}
LAYOUT: dict[str, dict[str, str]] = {
    "core": {
        m: m
        for m in (
            "errors",
            "config",
            "vocab",
            "fileio",
            "bounded",
            "boundedjson",
            "formats",
            "termtext",
            "textable",
            "crashpoints",
            "names",
        )
    },
    "sparql": {
        "text": "sparqltext",
        "syntax_errors": "sparql_errors",
        "engine": "sparql",
        "answers": "answers",
        "ssrf": "ssrf",
        "guards": "guards",
        "querylimits": "querylimits",
        "service_description": "service_description",
    },
    "store": {"embedded": "store", "remote": "remote", "dump": "dump"},
    "sources": {m: m for m in ("load", "validate", "review", "shacl_engine")},
    "workers": {m: m for m in ("executor", "querystream", "workbench", "validation_job", "sandbox")},
    "describe": {m: m for m in ("resources", "pagemodels", "browse", "ontology_doc", "valuecaps")},
    "queries": {
        "catalog": "queries",
        "savedquery": "savedquery",
        "answerindex": "answerindex",
        "query_output": "query_output",
        "openapi": "openapi",
        "searchindex": "searchindex",
    },
    "linking": {
        m: m
        for m in (
            "namescore",
            "match",
            "matchindex",
            "matchread",
            "reconcile",
            "reconcile_request",
            "linkset_files",
            "linksets",
            "linkpages",
        )
    },
    "release": {
        m: m for m in ("ledger", "persistence", "releases", "dumps", "void", "history", "memento", "changefeed")
    },
    "publish": {
        "pipeline": "publish",
        "incremental": "incremental",
        "journal": "journal",
        "undo": "undo",
        "writes": "writes",
    },
    "authoring": {m: m for m in ("extract", "newsfacts", "newsdates", "visitors", "draft", "draftfile", "diff")},
    "cli": {
        "main": "cli",
        "commands": "cli_commands",
        "draft": "cli_draft",
        "linkset": "cli_linkset",
        "queries": "cli_queries",
        "release": "cli_release",
    },
}
OLD_TO_NEW: dict[str, str] = {old: f"{pkg}.{new}" for pkg, mods in LAYOUT.items() for new, old in mods.items()}

_NAMES = "|".join(sorted(OLD_TO_NEW, key=len, reverse=True))
# visitgraph.old (dotted: imports, mock targets, `python -m`, entry points), not followed by a word character.
DOTTED = re.compile(rf"\bvisitgraph\.({_NAMES})(?![\w])")
# src/visitgraph/old.py and visitgraph/old.py paths in docs and configuration.
PATH = re.compile(rf"\b(src/)?visitgraph/({_NAMES})\.py\b")
# from visitgraph import a, b as c
FROM_PKG = re.compile(r"^(?P<indent>[ \t]*)from visitgraph import (?P<names>[\w, ]+?)[ \t]*$", re.MULTILINE)


def _split_from(match: re.Match[str]) -> str:
    indent = match["indent"]
    keep: list[str] = []
    by_pkg: dict[str, list[str]] = {}
    for item in (part.strip() for part in match["names"].split(",")):
        name, _, alias = item.partition(" as ")
        name = name.strip()
        if name not in OLD_TO_NEW:
            keep.append(item)
            continue
        pkg, new = OLD_TO_NEW[name].split(".")
        alias = alias.strip() or (name if new != name else "")
        by_pkg.setdefault(pkg, []).append(f"{new} as {alias}" if alias and alias != new else new)
    lines = [f"{indent}from visitgraph import {', '.join(keep)}"] if keep else []
    lines += [f"{indent}from visitgraph.{pkg} import {', '.join(items)}" for pkg, items in by_pkg.items()]
    return "\n".join(lines)


# Names that moved to another module after the move, when the import cycles were cut (module -> name -> new module
# and new name). Applied after the module rewrite, to `from module import ...` statements.
MOVED_NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "visitgraph.store.embedded": {"store_from_settings": ("visitgraph.store.backend", "store_from_settings")},
    "visitgraph.linking.linksets": {
        n: ("visitgraph.publish.linkset_review", n) for n in ("review_linkset", "withdraw_linkset")
    },
    "visitgraph.linking.match": {
        n: ("visitgraph.linking.entities", n)
        for n in ("KIND_TYPES", "LABEL_PREDICATES", "PROPERTY_PATHS", "VISIT_LINKS", "Entity", "resolve_id")
    },
    "visitgraph.release.releases": {n: ("visitgraph.release.ntdiff", n) for n in ("Line", "diffable", "data_triples")},
    "visitgraph.web.sparql": {n: ("visitgraph.web.errors", n) for n in ("NotAcceptable", "UnsupportedMediaType")},
    "visitgraph.web.linksets": {
        "require_write": ("visitgraph.web.auth", "require_write"),
        "bearer_token": ("visitgraph.web.auth", "bearer_token"),
        "_authenticated": ("visitgraph.web.auth", "authenticated"),
    },
    "visitgraph.web.graphstore": {"write_guard": ("visitgraph.web.auth", "write_guard")},
    "visitgraph.sources.load": {"_syntax_error": ("visitgraph.sources.load", "syntax_error")},
    "visitgraph.authoring.draft": {
        "_curie": ("visitgraph.authoring.draft", "curie"),
        "_lit": ("visitgraph.authoring.draft", "turtle_literal"),
    },
    "visitgraph.authoring.extract": {
        "_is_cap": ("visitgraph.authoring.extract", "is_cap"),
        "_looks_org": ("visitgraph.authoring.extract", "looks_org"),
    },
}
FROM_MODULE = re.compile(
    r"^(?P<indent>[ \t]*)from (?P<module>visitgraph[\w.]*) import "
    r"(?:\((?P<multi>[^)]*)\)|(?P<names>[\w, ]+?)[ \t]*$)",
    re.MULTILINE,
)


def _move_names(match: re.Match[str]) -> str:
    moved = MOVED_NAMES.get(match["module"])
    names = [n.strip() for n in (match["multi"] or match["names"] or "").replace("\n", " ").split(",") if n.strip()]
    if not moved or not any(n.partition(" as ")[0].strip() in moved for n in names):
        return match[0]
    by_module: dict[str, list[str]] = {}
    for item in names:
        name, _, alias = item.partition(" as ")
        target, new = moved.get(name.strip(), (match["module"], name.strip()))
        alias = alias.strip() or (name.strip() if new != name.strip() else "")  # the body keeps its name for it
        by_module.setdefault(target, []).append(f"{new} as {alias}" if alias and alias != new else new)
    return "\n".join(f"{match['indent']}from {module} import {', '.join(items)}" for module, items in by_module.items())


def rewrite(text: str) -> str:
    """Rewrite references to flat modules into references to their new places (and moved names to theirs)."""
    text = DOTTED.sub(lambda m: "visitgraph." + OLD_TO_NEW[m[1]], text)  # first: its output never matches FROM_PKG
    text = FROM_PKG.sub(_split_from, text)
    text = FROM_MODULE.sub(_move_names, text)
    return PATH.sub(lambda m: f"{m[1] or ''}visitgraph/{OLD_TO_NEW[m[2]].replace('.', '/')}.py", text)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in ("--rewrite-only", "--move"):
        print(__doc__)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    if argv[0] == "--rewrite-only":
        files = [Path(f) for f in argv[1:]]
    else:
        src = Path("src/visitgraph")
        for pkg, mods in LAYOUT.items():
            (src / pkg).mkdir(exist_ok=True)
            for new, old in mods.items():
                subprocess.run(["git", "mv", str(src / f"{old}.py"), str(src / pkg / f"{new}.py")], check=True)
        listed = subprocess.run(["git", "ls-files"], check=True, capture_output=True, text=True).stdout.split()
        files = [
            Path(f)
            for f in listed
            if f.endswith((".py", ".md", ".toml", ".cfg", ".ini", ".txt", ".sh")) and f != "CHANGELOG.md"
        ] + [Path("run")]
    for path in files:
        if not path.is_file():
            continue
        old = path.read_text(encoding="utf-8")
        new = rewrite(old)
        if new != old:
            path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
