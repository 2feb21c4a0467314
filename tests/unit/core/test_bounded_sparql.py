"""The SPARQL depth check (core/bounded.py): what counts as nesting, what does not, and its limit.

Oxigraph's parser recurses: 5,000 nested groups kill the process with SIGSEGV (pyoxigraph 0.5), so every
text is measured before it is handed over. The disguises are the ones a flat count gets wrong either way:
braces in strings, comments and IRIs must not count, and a `<` that is "less than" (not an IRI) or an
escaped quote in a prefixed name must not hide nesting the parser sees.
"""

from __future__ import annotations

import time

import pytest

from visitgraph.core.bounded import DEFAULT_MAX_DEPTH, InputTooDeep, check_sparql, sparql_depth


def nested(n: int) -> str:
    return "SELECT * WHERE " + "{" * n + " ?s ?p ?o " + "}" * n


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (nested(3), 3),
        ('SELECT * WHERE { ?s ?p "{{{ ((( [[[" }', 1),
        ("SELECT * WHERE { ?s ?p '{{{' }", 1),
        ('SELECT * WHERE { ?s ?p """{{{\n{{{\n""" }', 1),
        ("SELECT * WHERE { ?s ?p '''{{{ ' '' \\''' }", 1),
        ('SELECT * WHERE { ?s ?p "a \\" {{{" }', 1),
        ("SELECT * WHERE { ?s ?p ?o } # {{{{{{", 1),
        ("SELECT * WHERE { ?s ?p ?o # {{{\r?s ?p ?o }", 1),
        # parentheses in an IRI count where they stand (the text could be "less than" and code), never beyond it
        ("SELECT * WHERE { ?s <http://x/a_(b)#c> ?o . ?s <http://x/a_(b)#c> ?o }", 2),
        ("SELECT * WHERE { ?s <http://x/))))> ?o }", 1),
        ("PREFIX ex: <x:> SELECT * WHERE { ex:a\\( ex:b\\[ ex:c\\{ }", 1),
        ("SELECT * WHERE { FILTER((((1)))) }", 5),
        ("SELECT * WHERE { ?s ?p [ ?q [ ?r ?o ] ] }", 3),
        ("SELECT * WHERE { ?s ?p ((1 (2))) }", 4),
        ("SELECT * WHERE { << << ?s ?p ?o >> ?q ?o >> ?r ?o }", 3),
        ("SELECT * WHERE { ?s ?p <<( ?s ?p ?o )>> }", 3),
        ("SELECT * WHERE { { SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } } } } }", 5),
        ("SELECT * WHERE \\u007B \\u007B ?s ?p ?o \\u007D \\u007D", 2),
        ("ASK {}}}}}{", 1),
    ],
)
def test_sparql_depth_counts_only_what_the_parser_nests(text: str, depth: int) -> None:
    assert sparql_depth(text) == depth


DEEP = 5000


@pytest.mark.parametrize(
    "text",
    [
        nested(DEEP),
        "SELECT * WHERE { FILTER(" + "(" * DEEP + "1" + ")" * DEEP + ") }",
        "SELECT * WHERE " + "{ SELECT * WHERE " * DEEP + "{ ?s ?p ?o }" + " }" * DEEP,
        "SELECT * WHERE { ?s ?p " + "[ ?q " * DEEP + "?o" + " ]" * DEEP + " }",
        "SELECT * WHERE { " + "<< " * DEEP + "?s ?p ?o" + " >> ?p ?o" * DEEP + " }",
        # "less than", not an IRI: the parser reads `2)((((…` as code, so must the check
        "SELECT * WHERE { ?s ?p ?o FILTER(1<2)" + "(" * DEEP + "?x" + ")" * DEEP + "?p?o.FILTER(3>2) }",
        # and the `'` after `<CONCAT(` opens a string only when `<` is "less than"
        "SELECT * WHERE { ?s ?p ?o FILTER(1<CONCAT('>'))" + "{" * DEEP + "?s ?p ?o" + "}" * DEEP + " FILTER('x') }",
        # an IRI with `#` in it on the same line must not comment the rest out
        "SELECT * WHERE { <x:#> ?p ?o FILTER(1<CONCAT('>'))" + "{" * DEEP + "?s ?p ?o" + "}" * DEEP + "}",
        "SELECT * WHERE { ?s ?p ?o FILTER(?a<<x:#>)" + "{" * DEEP + "?s ?p ?o" + "}" * DEEP + "}",
        # an escaped quote in a prefixed name opens no string
        "PREFIX ex: <x:> SELECT * WHERE { ex:a\\' " + "{" * DEEP + "?s ?p ?o" + "}" * DEEP + " ex:b\\' }",
        # closers inside an IRI do not undo the nesting around it
        "SELECT * WHERE " + "{" * 2500 + " <x:" + ")" * 2500 + "> " + "{" * 2500 + "?s ?p ?o" + "}" * DEEP,
        "SELECT * WHERE " + "\\u007B" * DEEP + "?s ?p ?o" + "\\u007D" * DEEP,
    ],
    ids=[
        "groups",
        "parentheses",
        "subqueries",
        "blank-nodes",
        "triple-terms",
        "less-than-iri",
        "less-than-string",
        "hash-iri-then-less-than",
        "less-less-than",
        "escaped-quote",
        "iri-closers",
        "codepoint-escapes",
    ],
)
def test_disguised_deep_nesting_is_refused(text: str) -> None:
    assert sparql_depth(text) >= DEEP
    with pytest.raises(InputTooDeep, match=r"The query nests \d+ groups or expressions deep; the limit is 200 "):
        check_sparql(text, "The query")


@pytest.mark.parametrize(
    "text",
    [
        'INSERT DATA { <x:s> <x:p> "' + "{" * DEEP + '" }',
        "INSERT DATA { <x:s> <x:p> '''" + "{\n" * DEEP + "''' }",
        "# " + "{" * DEEP + "\nINSERT DATA { <x:s> <x:p> <x:o> }",
        "INSERT DATA { " + " ".join(f"<x:s{i}> <x:p> [ <x:q> <http://x/a_(b)#c> ] ." for i in range(DEEP)) + " }",
    ],
    ids=["string", "long-string", "comment", "many-blank-nodes"],
)
def test_braces_in_strings_and_comments_and_many_flat_groups_pass(text: str) -> None:
    check_sparql(text, "changesets/0001-x.ru")


def test_check_sparql_allows_the_limit_and_names_file_and_setting_past_it() -> None:
    check_sparql(nested(DEFAULT_MAX_DEPTH), "queries/deep.rq")
    with pytest.raises(InputTooDeep) as refused:
        check_sparql(nested(DEFAULT_MAX_DEPTH + 1), "queries/deep.rq")
    assert str(refused.value) == (
        "queries/deep.rq nests 201 groups or expressions deep; the limit is 200 (setting max_depth). Write it flatter."
    )
    assert refused.value.status == 400
    with pytest.raises(InputTooDeep, match="the limit is 10 "):
        check_sparql(nested(11), "The query", max_depth=10)


def test_sparql_depth_is_linear_on_one_long_line_of_ambiguous_iris() -> None:
    # every `<x:#>` is an IRI or "less than" followed by a comment to the end of the line; searching for
    # that end once per reading took 70 s for 100,000 of them
    text = "{" + "<x:#>'(" * 40_000
    started = time.perf_counter()
    assert sparql_depth(text) >= 1
    assert time.perf_counter() - started < 2.0
