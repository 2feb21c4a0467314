"""Run mutation testing (cosmic-ray) on the modules where a silent regression hurts users most.

Usage (from the repository root, with the test extra installed):

    .venv/bin/python tools/mutation.py ssrf answers          # chosen targets, one after another
    .venv/bin/python tools/mutation.py --all --budget 900    # every target, each stopped after 900 s
    .venv/bin/python tools/mutation.py --report              # only rewrite docs/mutation-report.md

Each target is mutated in a scratch copy of the work tree (var/mutation/work, imported first through
PYTHONPATH, so subprocess servers and CLI runs see the mutant too) and tested with a fixed, fast subset
of the tests (`-x`, one process, no random order). Mutants run one at a time. Per-target results go to
tools/mutation-results/<target>.json; the report lists every surviving mutant with its diff, and the
reasons for survivors judged equivalent come from tools/mutation-equivalent.json. Not part of CI.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "mutation"
RESULTS = ROOT / "tools" / "mutation-results"
REPORT = ROOT / "docs" / "mutation-report.md"
EQUIVALENT = ROOT / "tools" / "mutation-equivalent.json"
PY = sys.executable
#: Everything in the report from this line on is written by hand and kept when the report is rewritten.
KEEP_MARK = "<!-- written by hand below: kept by tools/mutation.py -->"

# Operators left out: the 11 x 11 arithmetic/bitwise swaps (a string `+` made `**` only raises TypeError),
# comparisons that turn `==` into `<` and the like (mostly type errors too), decorator removal and
# variable inserter/replacer (noise). What stays flips the decisions users feel: boundaries, negations,
# constants, boolean connectives, loops and exception handlers.
EXCLUDE_OPERATORS = [
    r"core/ReplaceBinaryOperator_(?!Add_Sub|Sub_Add|Mul_Div|Div_Mul|FloorDiv_Div|Mod_FloorDiv).*",
    r"core/ReplaceComparisonOperator_(Eq|NotEq)_(Lt|LtE|Gt|GtE)",
    r"core/ReplaceComparisonOperator_(Lt|LtE|Gt|GtE)_(Eq|NotEq|Is|IsNot)",
    r"core/ReplaceComparisonOperator_(Is|IsNot)_(Lt|LtE|Gt|GtE)",
    r"core/ReplaceComparisonOperator_(Eq|NotEq)_(Is|IsNot)",
    r"core/ReplaceComparisonOperator_(Is|IsNot)_(Eq|NotEq)",
    r"core/ReplaceUnaryOperator_(UAdd|USub|Invert)_(Invert|Not)",
    r"core/ReplaceUnaryOperator_Delete_Invert",
    r"core/RemoveDecorator",
    r"core/Variable(Inserter|Replacer)",
]

# target -> module, the tests that guard it, and optionally the functions to mutate (others are skipped).
TARGETS: dict[str, dict[str, Any]] = {
    "ssrf": {"module": "src/visitgraph/sparql/ssrf.py", "tests": ["tests/unit/sparql/test_guard_units.py"]},
    "web-linksets-auth": {
        "module": "src/visitgraph/web/auth.py",
        "tests": ["tests/unit/web/test_guard_web.py"],
        "functions": ["require_write", "authenticated", "bearer_token"],
    },
    "web-http": {
        "module": "src/visitgraph/web/http.py",
        "tests": ["tests/unit/web/test_guard_web.py"],
        "functions": ["etag_for", "_published", "not_modified", "set_cache_headers"],
    },
    "answers": {
        "module": "src/visitgraph/sparql/answers.py",
        "tests": ["tests/unit/sparql/test_guard_units.py", "tests/unit/sparql/test_mutation_kills_answers.py"],
        "functions": ["serialize_capped", "serialize_solutions", "_csv_term", "_tsv_term", "_json_term_text"],
    },
    "querylimits": {
        "module": "src/visitgraph/sparql/querylimits.py",
        "tests": ["tests/unit/sparql/test_guard_units.py", "tests/unit/sparql/test_mutation_kills_querylimits.py"],
    },
    "sparqltext": {
        "module": "src/visitgraph/sparql/text.py",
        "tests": ["tests/unit/sparql/test_guard_units.py", "tests/unit/sparql/test_mutation_kills_sparqltext.py"],
    },
    "savedquery": {
        "module": "src/visitgraph/queries/savedquery.py",
        "tests": [
            "tests/unit/queries/test_mutation_kills_savedquery.py",
            "tests/unit/queries/test_queries.py",
            "-k",
            "mutation_kills or parse_param or bind_value or bind_parameters or page_limits",
        ],
        "functions": ["parse_param", "normalize_iri", "bind_value", "expand_curie"],
    },
    "dump": {
        "module": "src/visitgraph/store/dump.py",
        "tests": ["tests/unit/release/test_mutation_kills_dumps.py", "tests/unit/store/test_dump.py"],
    },
    "dumps": {
        "module": "src/visitgraph/release/dumps.py",
        "tests": ["tests/unit/release/test_mutation_kills_dumps.py"],
        "functions": [
            "file",
            "to_dict",
            "from_dict",
            "write_dumps",
            "_union_count",
            "ensure_dumps",
            "write_manifest",
            "_prune_dumps",
            "dump_media_type",
            "read_manifest",
            "list_releases",
            "default_version",
        ],
    },
    "match-constants": {
        "module": "src/visitgraph/linking/match.py",
        "tests": [
            "tests/unit/linking/test_mutation_kills_match.py",
            "tests/unit/linking/test_match_margin.py",
            "tests/unit/linking/test_match.py",
        ],
        "functions": ["<module>"],
    },
    "remote-rollback": {
        "module": "src/visitgraph/store/remote.py",
        "tests": [
            "tests/system/test_mutation_kills_remote.py",
            "tests/system/test_remote_backend.py",
            "-k",
            "mutation_kills or (oxigraph and not server_gone)",
        ],
        "functions": ["_switch", "push"],
    },
}


def function_lines(module: Path, names: list[str]) -> list[str]:
    """Return "start-end" line ranges of the named top-level functions ("<module>" = module-level code)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    ranges: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in names:
            ranges.append(f"{node.lineno}-{node.end_lineno}")
    if "<module>" in names:
        ranges += [f"{n.lineno}-{n.end_lineno}" for n in tree.body if isinstance(n, ast.Assign | ast.AnnAssign)]
    if not ranges:
        raise SystemExit(f"Error: none of {names} found in {module}")
    return ranges


def copy_tree(dest: Path) -> None:
    """Copy the tracked and untracked-but-not-ignored files of the work tree to `dest`."""
    if dest.exists():
        shutil.rmtree(dest)
    files = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True, capture_output=True
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def write_config(target: str, spec: dict[str, Any], work: Path, timeout: float) -> Path:
    """Write the cosmic-ray TOML for one target and return its path."""
    tests = shlex.join(spec["tests"])
    # hypothesis and schemathesis plugins cost seconds of start-up per mutant; the target tests do not need them
    cmd = (
        f"{PY} -m pytest -x -q -p no:randomly -p no:cacheprovider -p no:hypothesispytest -p no:schemathesis "
        f"--no-header {tests}"
    )
    lines = [
        "[cosmic-ray]",
        f'module-path = "{spec["module"]}"',
        f"timeout = {timeout}",
        "excluded-modules = []",
        f"test-command = {json.dumps(cmd)}",
        "[cosmic-ray.distributor]",
        'name = "local"',
        "[cosmic-ray.filters.operators-filter]",
        f"exclude-operators = {json.dumps(EXCLUDE_OPERATORS)}",
    ]
    if spec.get("functions"):
        ranges = function_lines(work / spec["module"], spec["functions"])
        lines += ["[cosmic-ray.filters.line-filter.lines]", f'"{spec["module"]}" = {json.dumps(ranges)}']
    path = WORK / f"{target}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_target(target: str, budget: float, timeout: float) -> dict[str, Any]:
    """Mutate one target within `budget` seconds and return its summary."""
    spec = TARGETS[target]
    work = WORK / "work"
    copy_tree(work)
    env = {**os.environ, "PYTHONPATH": str(work / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    where = subprocess.run(
        [PY, "-c", "import visitgraph; print(visitgraph.__file__)"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not where.startswith(str(work)):
        raise SystemExit(f"Error: visitgraph imports from {where}, not the scratch copy")
    config = write_config(target, spec, work, timeout)
    session = WORK / f"{target}.sqlite"
    session.unlink(missing_ok=True)
    cr = str(Path(PY).parent / "cosmic-ray")

    def run(*args: str, limit: float | None = None) -> None:
        subprocess.run(list(args), cwd=work, env=env, check=True, timeout=limit)

    started = dt.datetime.now(dt.UTC)
    run(PY, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *spec["tests"])  # baseline
    run(cr, "init", str(config), str(session))
    run(str(Path(PY).parent / "cr-filter-operators"), str(session), str(config))
    if spec.get("functions"):
        run(str(Path(PY).parent / "cr-filter-lines"), "--config", str(config), str(session))
    finished = True
    try:
        run(cr, "exec", str(config), str(session), limit=budget)
    except subprocess.TimeoutExpired:
        finished = False
    dump = subprocess.run(
        [cr, "dump", str(session)], cwd=work, env=env, check=True, capture_output=True, text=True
    ).stdout
    summary = summarize(target, spec, dump, finished, started)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{target}.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary


def summarize(target: str, spec: dict[str, Any], dump: str, finished: bool, started: dt.datetime) -> dict[str, Any]:
    """Count outcomes in a cosmic-ray dump and keep the survivors' diffs."""
    counts = {"killed": 0, "survived": 0, "incompetent": 0, "skipped": 0, "not run": 0}
    survivors = []
    for line in dump.splitlines():
        item, result = json.loads(line)
        mutation = item["mutations"][0]
        if result is None:
            counts["not run"] += 1
        elif result["worker_outcome"] == "skipped":
            counts["skipped"] += 1
        elif result["test_outcome"] in ("killed", "survived", "incompetent"):
            counts[result["test_outcome"]] += 1
            if result["test_outcome"] == "survived":
                survivors.append(
                    {
                        "line": mutation["start_pos"][0],
                        "operator": mutation["operator_name"],
                        "occurrence": mutation["occurrence"],
                        "diff": result.get("diff") or "",
                    }
                )
    return {
        "target": target,
        "module": spec["module"],
        "tests": spec["tests"],
        "functions": spec.get("functions"),
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "finished": finished,
        "command": f"python tools/mutation.py {target}",
        "counts": counts,
        "survivors": sorted(survivors, key=lambda s: (s["line"], s["operator"])),
    }


# The audit's breakages (issue #20), each with the test that now fails on it.
AUDIT = [
    (
        "write token accepted for any prefix of it (`web/linksets.py`)",
        "tests/unit/web/test_guard_web.py::test_write_token_compared_exactly, ::test_linkset_post_refuses_a_token_prefix_over_http",
    ),
    (
        "`If-Modified-Since` comparison inverted (`web/http.py`)",
        "tests/unit/web/test_guard_web.py::test_not_modified_only_for_the_current_state, ::test_no_stale_304_after_a_publish",
    ),
    (
        "row cap says truncated at exactly `max_rows` (`answers.py`)",
        "tests/unit/sparql/test_guard_units.py::test_select_truncated_only_past_the_cap, ::test_construct_truncated_only_past_the_cap",
    ),
    (
        "privacy shape narrowed to persons (`shapes/visitgraph-shapes.ttl`)",
        "tests/unit/sources/test_shapes.py (4 new fixtures), tests/unit/publish/test_privacy_write_paths.py; tools/mutation_shapes.py mutant #1",
    ),
    (
        "remote rollback moves the pointer, not the data (`remote.py`)",
        "tests/system/test_remote_backend.py::test_backend_rollback (a changed title must be gone after rollback)",
    ),
    (
        "`MATCH_MARGIN` 5 -> 1 (`match.py`)",
        "tests/unit/linking/test_match_margin.py::test_a_runner_up_within_the_margin_blocks_the_match",
    ),
    (
        "SSRF `allowed()` accepts an unresolvable target (`ssrf.py`)",
        "tests/unit/sparql/test_guard_units.py::test_allowed, ::test_check_network_refuses_unresolvable_and_unlisted_targets",
    ),
]


def write_report() -> None:
    """Rewrite docs/mutation-report.md from every stored per-target result."""
    equivalent = json.loads(EQUIVALENT.read_text(encoding="utf-8")) if EQUIVALENT.exists() else {}
    out = [
        "# Mutation report",
        "",
        "Written by `tools/mutation.py` (cosmic-ray, one worker, operators as listed in the script). "
        "Rates count killed + survived mutants; skipped ones are outside the chosen functions or operators. "
        "A survivor is *killed since* when a test added after the run fails on its diff (checked by applying "
        "the diff to a copy of `src/` and running that test), *explained* when it is equivalent or harmless "
        "(reasons in `tools/mutation-equivalent.json`), and *unexplained* otherwise.",
        "",
        "Rows dated before the package layout (decision 0030) landed on 2026-12-05 ran on the modules' old "
        "paths, and some name them (`tools/relayout.py` maps old paths to new ones; `tools/mutation.py` names "
        "the new paths). The shapes row is written by `tools/mutation_shapes.py`.",
        "",
        "| target | module | tests | date | mutants run | killed | survived | killed since | explained "
        "| unexplained | finished |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    details: list[str] = []
    for path in sorted(RESULTS.glob("*.json")):
        s = json.loads(path.read_text(encoding="utf-8"))
        c = s["counts"]
        run = c["killed"] + c["survived"]
        reasons = [
            equivalent.get(f"{s['target']}:{m['line']}:{m['operator']}:{m['occurrence']}") for m in s["survivors"]
        ]
        later = sum(1 for r in reasons if r and r.startswith("killed since"))
        unexplained = sum(1 for r in reasons if r is None)

        def pct(n: int, run: int = run) -> str:
            return f"{n} ({100 * n / run:.1f} %)" if run else str(n)

        out.append(
            f"| {s['target']} | `{s['module']}` | `{' '.join(s['tests'])}` | {s['date']} | {run} | "
            f"{c['killed']} | {pct(c['survived'])} | {later} | {len(reasons) - later - unexplained} | "
            f"{pct(unexplained)} | {'yes' if s['finished'] else 'no, budget'} |"
        )
        if s["survivors"]:
            details += [f"## {s['target']}: surviving mutants", "", f"Command: `{s['command']}`", ""]
            for m in s["survivors"]:
                key = f"{s['target']}:{m['line']}:{m['operator']}:{m['occurrence']}"
                why = equivalent.get(key, "**not yet explained**")
                details += [
                    f"- line {m['line']}, `{m['operator']}` #{m['occurrence']}: {why}",
                    "",
                    "  ```diff",
                    *(
                        "  " + d
                        for d in m["diff"].splitlines()
                        if d.startswith(("+", "-")) and not d.startswith(("+++", "---"))
                    ),
                    "  ```",
                    "",
                ]
    audit = ["## The audit's breakages", "", "| breakage | now caught by |", "|---|---|"]
    audit += [f"| {what} | {tests} |" for what, tests in AUDIT]
    audit += [
        "",
        "How each was checked: the `If-Modified-Since` inversion (`<=` to `>=`), the truncation boundary "
        "(`>` to `>=`) and the unresolvable target (`and` to `or` in `allowed`) are cosmic-ray mutants of the "
        "runs above; the token prefix was checked by swapping `hmac.compare_digest` for a prefix test "
        "(require_write then lets `s3cret-writ` through, the test expects 401); the privacy narrowing is "
        "shape mutant #1; `MATCH_MARGIN = 1.0` was edited in and the margin test failed; remote rollback: "
        "the test requires the title changed by the newer build to be gone after rollback on "
        "Oxigraph server and Virtuoso; on 2026-12-05 it was run against a hand-written mutant of "
        "`RemoteStore._switch` that, for a rollback, moves only the generation pointer in the server's state "
        "graph and leaves the data graphs (`test_backend_rollback[oxigraph]` failed on "
        "`old_title in titles()`, with the pointer moved).",
    ]
    kept = ""
    if REPORT.exists() and KEEP_MARK in (text := REPORT.read_text(encoding="utf-8")):
        kept = text[text.index(KEEP_MARK) :]  # hand-written sections (test order runs) survive a rewrite
    REPORT.write_text("\n".join(out + ["", *audit, ""] + details) + "\n" + kept, encoding="utf-8")


def main() -> None:
    """Parse arguments, run the chosen targets one by one, and rewrite the report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", help=f"targets: {', '.join(TARGETS)}")
    parser.add_argument("--all", action="store_true", help="run every target")
    parser.add_argument("--budget", type=float, default=900.0, help="seconds per target (default 900)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per mutant's test run (default 60)")
    parser.add_argument("--report", action="store_true", help="only rewrite the report from stored results")
    args = parser.parse_args()
    chosen = list(TARGETS) if args.all else args.targets
    unknown = [t for t in chosen if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    WORK.mkdir(parents=True, exist_ok=True)
    for target in [] if args.report else chosen:
        s = run_target(target, args.budget, args.timeout)
        print(f"{target}: {s['counts']}", flush=True)
    write_report()


if __name__ == "__main__":
    main()
