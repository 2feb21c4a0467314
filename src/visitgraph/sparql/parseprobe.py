"""Parse a SPARQL text that may be a long flat chain in a child process first: Oxigraph's parser recurses on it.

Nesting is bounded by ``max_depth`` (:func:`visitgraph.core.bounded.sparql_depth`), but a *flat* chain is deep
for the parser too: ``1+1+…`` or ``BIND(…) BIND(…) …`` builds one tree level per operator or pattern, and about
7,000 ``+`` or 3,000 ``BIND`` overflow an 8 MiB thread stack (measured with pyoxigraph 0.5.13). That is a
SIGSEGV, which no ``try`` catches: in the server process, one update took the whole server down. Counting the
chain exactly would need the grammar (``<`` opens an IRI or compares, ``-`` is in names and numbers), so a text
that *may* be such a chain is parsed first in a child, on a thread with half the default stack; only if the
child survives does this process parse it. The child's cost (about 0.1–0.2 s) is paid only by texts with at least
:data:`SUSPECT` operator characters and pattern keywords outside strings, far above any ordinary query; a large
``INSERT DATA`` (its IRIs' ``<`` and ``/``) pays it, once per write.

Run as ``python -m visitgraph.sparql.parseprobe update|query`` with the text on standard input: exit 0 when the
parser returned (a syntax error is the caller's to report, from its own parse).
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading

from visitgraph.core.errors import BadQuery

#: Operator characters and pattern keywords outside strings below which no text is probed (the lowest crash
#: measured on an 8 MiB stack was about 3,000 ``BIND``; the probe's stack is half of that).
SUSPECT = 1000
#: The probe parses on a thread with this stack: half the default 8 MiB, so a text that passes leaves room for
#: the deeper call stack of the process that parses it next.
PROBE_STACK = 4 * 1024 * 1024
_STRINGS = re.compile(r"\"\"\".*?\"\"\"|'''.*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", re.DOTALL)
_CHAIN = re.compile(r"[-+*/|!&=<>^]|\b(?:UNION|MINUS|BIND|OPTIONAL|FILTER|VALUES|GRAPH|SERVICE)\b", re.IGNORECASE)


def chain_suspect(text: str) -> bool:
    """Whether `text` has enough operators and pattern keywords (outside strings) to be worth a probe.

    >>> chain_suspect("ASK { FILTER(1" + "+1" * 2000 + ") }"), chain_suspect('INSERT DATA { <a> <b> "1+1+1" }')
    (True, False)
    """
    if len(text) < SUSPECT:
        return False
    found = 0
    for _ in _CHAIN.finditer(_STRINGS.sub("", text)):
        found += 1
        if found >= SUSPECT:
            return True
    return False


def probe(text: str, kind: str, what: str) -> None:
    """Refuse `text` when Oxigraph's parser crashes on it in a child process (see the module's docstring).

    :param kind: ``"update"`` or ``"query"``.
    :param what: the subject of the message (``"The update"``).
    :raises BadQuery: the child was killed by a signal while parsing (a stack overflow).
    """
    if not chain_suspect(text):
        return
    done = subprocess.run(
        [sys.executable, "-m", "visitgraph.sparql.parseprobe", kind],
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=120,
        check=False,
    )
    if done.returncode < 0:
        raise BadQuery(
            f"{what} is a longer flat chain of operators or patterns (thousands of +, ||, UNION or BIND) than the "
            "SPARQL engine's parser can take: it crashed on it in a test process. Split it into smaller parts."
        )


def _parse(text: str, kind: str) -> None:
    import pyoxigraph as ox

    try:
        if kind == "update":
            ox.Store().update(text)
        else:
            ox.Store().query(text)
    except Exception:  # noqa: BLE001 - a syntax or runtime error is reported by the caller's own parse
        return


def main() -> int:
    kind = sys.argv[1] if len(sys.argv) > 1 else "query"
    text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    threading.stack_size(PROBE_STACK)
    worker = threading.Thread(target=_parse, args=(text, kind))
    worker.start()
    worker.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
