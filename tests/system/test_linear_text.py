"""Every regular expression and scanner that reads user input in the hardened modules runs in linear
time: each gets an adversarial 1 MB input, in a subprocess (so a regression cannot hang the suite
or hold its interpreter lock), and must use at most a few CPU seconds. CPU time, not wall-clock time: on
a loaded 2-core machine (load average 14) the blank-line linkset took 3.7 s of wall-clock time for 0.7 s
of CPU, while a quadratic scan costs minutes of CPU however idle the machine is."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

MB = 1_000_000
LIMIT = 3.0  # CPU seconds: linear work on 1 MB is 0.7 s at most; the quadratic versions took minutes to hours

#: (name, Python expression run with `x` bound to the adversarial input, the input expression)
CASES = [
    ("reconcile JSONP callback", "_CALLBACK.fullmatch(x)", "'a.' * (MB // 2) + '!'"),
    ("reconcile JSONP callback, no dots", "_CALLBACK.fullmatch(x)", "'a' * MB + '!'"),
    ("bounded JSON depth scan", "json_depth(x)", "'[' * MB"),
    # a regular expression for JSON strings backtracked here: 160 KB took 4 minutes of CPU
    ("bounded JSON depth scan, escaped quotes never closed", "json_depth(x)", "'\"' + '\\\\\"' * (MB // 2)"),
    ("bounded JSON depth scan, quotes", "json_depth(x)", "'\"' * MB"),
    (
        "bounded JSON-LD body, escaped quotes",
        "try_(lambda: check_rdf(x, 'JSON_LD', 'body'))",
        "'\"' + '\\\\\"' * (MB // 2)",
    ),
    ("bounded JSON, escapes", "try_(lambda: loads(x, 'q'))", "'\"' + '\\\\' * MB"),
    ("bounded JSON, deep", "try_(lambda: loads(x, 'q'))", "'[' * MB"),
    ("reconcile batch, long name", "try_(lambda: batch_v02(x))", "{'q0': {'query': '(' * MB}}"),
    ("linkset IRI tokens", "list(_IRI_TOKEN.finditer(x))", "'<' * MB"),
    ("linkset IRI tokens, unclosed", "list(_IRI_TOKEN.finditer(x))", "'<' + 'a' * MB"),
    ("linkset name tokens", "list(_NAME_TOKEN.finditer(x))", "'a:' * (MB // 2)"),
    ("linkset token index, blank lines", "_token_lines(x)", "'\\n' * MB"),
    ("linkset well-formed IRI, no colon", "_well_formed(x)", "'a' * MB"),
    ("linkset well-formed IRI, http", "_well_formed(x)", "'http:' + '/' * MB"),
    ("linkset file, blank lines", "try_(lambda: read_links(x, 'x.ttl', BASE))", "'\\n' * MB + '<a> <b> <c> .'"),
    (
        "linkset file, blank nodes",
        "try_(lambda: read_links(x, 'x.ttl', BASE))",
        "'[] <http://www.w3.org/2002/07/owl#sameAs> [] .\\n' * (MB // 48)",
    ),
    ("linkset CSV, long cell", "try_(lambda: read_links(x, 'x.csv', BASE))", "'person/' + 'a' * MB + '!,http://x/'"),
    ("slug check", "is_slug(x)", "'a' * MB + '!'"),
    ("slug check, dashes", "is_slug(x)", "'a-' * (MB // 2) + '!'"),
    ("typed parameter, year", "try_(lambda: bind_value(YEAR, x, BASE))", "'1' * MB + 'x'"),
    ("typed parameter, Arabic digits", "try_(lambda: bind_value(YEAR, x, BASE))", "'\\u0662' * MB"),
    ("typed parameter, IRI", "_IRI_RE.match(x)", "'a:' + 'b' * MB + ' '"),
    ("release version", "try_(lambda: check_version(x))", "'1.' * (MB // 2)"),
    ("release version pattern", "_VERSION.fullmatch(x)", "'1.1.1-' + 'a.' * (MB // 2) + '!'"),
    ("terminal escape", "safe(x)", "'\\x1b' * MB"),
    ("CSV formula neutralise", "neutralise(x)", "'=' * MB"),
    # the SERVICE/LOAD guard read from every keyword to the end of the text: 100 KB took over 40 s each
    ("SPARQL guard, keywords joined by dashes", "suspect_targets(x)", "'SERVICE-' * (MB // 8)"),
    ("SPARQL guard, keywords in one comment", "suspect_targets(x)", "'SERVICE #' * (MB // 9)"),
    ("SPARQL guard, comment then blanks", "suspect_targets(x)", "'SERVICE #' * (MB // 18) + '\\n' + ' ' * (MB // 2)"),
    ("SPARQL guard, SILENT chain", "suspect_targets(x)", "'SERVICE ' + 'SILENT #SERVICE\\n' * (MB // 16)"),
    ("SPARQL guard, PREFIX joined by dashes", "suspect_targets(x)", "'-PREFIX' * (MB // 7) + ' SERVICE'"),
    ("SPARQL guard, unclosed IRIs", "suspect_targets(x)", "'SERVICE <' * (MB // 9)"),
    (
        "SPARQL guard, allowed targets",
        "try_(lambda: check_network(x, ('http://ok/',)))",
        "'SELECT * { ' + 'SERVICE <http://ok/a> {} ' * (MB // 25) + '}'",
    ),
    # the syntax-error explainer (in the query worker, and in-process for `visitgraph query`): 100 KB over 40 s
    ("SPARQL syntax error, dotted run", "explain(x, 'Prefix not found error at 1:1')", "'a.' * (MB // 2)"),
    ("SPARQL syntax error, dashed run", "explain(x, 'error at 1:1: expected x')", "'-a' * (MB // 2)"),
    (
        "SPARQL syntax error, prefixed names in a string",
        "explain(x, 'Prefix not found error at 1:1')",
        "'SELECT * { ?s ?p \"' + 'a:b ' * (MB // 4) + '\" . zz:x ?p ?o }'",
    ),
    ("SPARQL syntax error, words", "explain(x, 'error at 1:1: expected x')", "'zzqz ' * (MB // 5)"),
    # linear but heavy in the request thread before any worker: 2.9 and 4.0 CPU seconds for 1 MB
    ("SPARQL depth check, balanced braces", "check_depth(x, 50)", "'{}' * (MB // 2)"),
    ("SPARQL guard, braces and one escape", "check_network(x, ())", "'{}' * (MB // 2 - 3) + '\\\\u0041'"),
]

#: Cases held to a tighter CPU bound than LIMIT (the code before them took about twice that).
TIGHT = {"SPARQL depth check, balanced braces": 1.5, "SPARQL guard, braces and one escape": 1.5}

SCRIPT = textwrap.dedent("""
    import json, sys, time
    from visitgraph.core.bounded import check_rdf, json_depth
    from visitgraph.core.boundedjson import loads
    from visitgraph.linking.linkset_files import _IRI_TOKEN, _NAME_TOKEN, _token_lines, _well_formed, read_links
    from visitgraph.queries.query_output import neutralise
    from visitgraph.linking.reconcile_request import batch_v02
    from visitgraph.release.releases import _VERSION, check_version
    from visitgraph.queries.savedquery import _IRI_RE, bind_value, parse_param
    from visitgraph.core.termtext import safe
    from visitgraph.core.vocab import is_slug
    from visitgraph.sparql.ssrf import check_network, suspect_targets
    from visitgraph.sparql.syntax_errors import explain
    from visitgraph.sparql.querylimits import check_depth
    from visitgraph.web.reconcile import _CALLBACK

    MB = 1_000_000
    BASE = "https://w3id.org/visitgraph/id/"
    YEAR = parse_param("year xsd:gYear")

    def try_(fn):
        try:
            return fn()
        except Exception as e:  # the refusal is the expected outcome; only its time matters here
            return type(e).__name__

    out = {}
    for name, expr, make in json.loads(sys.stdin.read()):
        x = eval(make)
        started = time.process_time()  # CPU seconds of this single-threaded process
        eval(expr)
        out[name] = time.process_time() - started
    print(json.dumps(out))
""")


@pytest.fixture(scope="module")
def timings() -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], input=json.dumps(CASES), capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return dict(json.loads(proc.stdout))


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_adversarial_megabyte_is_linear(timings: dict[str, float], name: str) -> None:
    assert timings[name] < TIGHT.get(name, LIMIT), f"{name}: {timings[name]:.2f} CPU s on 1 MB"


def test_prefixed_names_scan_finds_what_the_regular_expression_finds() -> None:
    """The colon-driven scan that replaced `_PREFIXED_NAME.finditer` finds the same (offset, prefix) pairs."""
    import random

    from visitgraph.sparql import syntax_errors as se

    rng = random.Random(21)
    for _ in range(5000):
        text = "".join(rng.choice("ab1_.-:?$<% \u00e9") for _ in range(rng.randint(0, 14)))
        want = [(m.start(), m.group(1) or "") for m in se._PREFIXED_NAME.finditer(text)]
        assert list(se._prefixed_names(text)) == want, text
