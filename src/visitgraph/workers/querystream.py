"""Run one SPARQL query for the command line: answers streamed as they come, stopped at a time limit.

The query runs in a child process (``python -m visitgraph.workers.querystream``) that writes the answer
to a pipe in chunks as pyoxigraph serialises it; the parent copies each chunk to its output at
once, so a large CONSTRUCT starts arriving immediately and neither process holds it whole. At
the time limit the parent kills the child — pyoxigraph has no cancellation, and a killed process
gives its memory back — and raises :class:`QueryTimeout`. Errors travel back as one JSON line
on the child's stderr.
"""

from __future__ import annotations

import dataclasses
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from itertools import islice
from typing import IO, Any

from visitgraph.core.bounded import check_sparql
from visitgraph.core.config import Settings
from visitgraph.core.errors import BadQuery, QueryTimeout, VisitgraphError

CHUNK = 64 * 1024


@dataclasses.dataclass(frozen=True)
class QueryJob:
    """What the child needs: the settings, the query text, the output format and the table's row cap."""

    settings: dict[str, Any]
    sparql: str
    fmt: str
    max_rows: int

    @classmethod
    def of(cls, settings: Settings, sparql: str, fmt: str) -> QueryJob:
        """Describe a job for `settings` (paths as strings, so it travels as JSON)."""
        values = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}
        return cls(
            {k: str(v) if isinstance(v, os.PathLike) else v for k, v in values.items()}, sparql, fmt, settings.max_rows
        )


def stream_query(
    settings: Settings, sparql: str, fmt: str, out: IO[bytes], timeout: float, what: str = "The query"
) -> tuple[int, str]:
    """Run `sparql` in a child process, copying its answer to `out` as it comes.

    :returns: the bytes written and the child's notes for the terminal (the table's row count).

    :param fmt: a format name of :mod:`visitgraph.core.formats`, or ``table``.
    :param timeout: seconds before the child is killed (0 or less: no limit).
    :param what: how an error names the query (``"The query"``, or the file it was read from).
    :raises InputTooDeep: the query nests deeper than the `max_depth` setting (Oxigraph's parser
        would overflow its stack: a crash, not an error).
    :raises QueryTimeout: the query ran past `timeout` (what was written so far stays written).
    :raises VisitgraphError: the child's error (bad query, nothing published, wrong format, the
        child killed by a signal …).
    """
    check_sparql(sparql, what, settings.max_depth)
    job = json.dumps(dataclasses.asdict(QueryJob.of(settings, sparql, fmt)))
    with subprocess.Popen(
        [sys.executable, "-m", "visitgraph.workers.querystream"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as child:
        assert child.stdin is not None
        child.stdin.write(job.encode())
        child.stdin.close()
        written, errors = _copy(child, out, time.monotonic() + timeout if timeout > 0 else None, timeout)
    if child.returncode != 0:
        raise _child_error(bytes(errors), child.returncode)
    return written, errors.decode("utf-8", "replace").strip()


def _copy(
    child: subprocess.Popen[bytes], out: IO[bytes], deadline: float | None, timeout: float
) -> tuple[int, bytearray]:
    """Copy the child's stdout to `out` chunk by chunk and collect its stderr, until both close or time is up."""
    assert child.stdout is not None and child.stderr is not None
    written = 0
    errors = bytearray()
    with selectors.DefaultSelector() as sel:
        sel.register(child.stdout, selectors.EVENT_READ, "out")
        sel.register(child.stderr, selectors.EVENT_READ, "err")
        open_streams = 2
        while open_streams:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                child.kill()
                child.wait()
                out.flush()
                raise QueryTimeout(timeout)
            for key, _ in sel.select(left):
                chunk = os.read(key.fileobj.fileno(), CHUNK)  # type: ignore[union-attr]
                if not chunk:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                elif key.data == "out":
                    out.write(chunk)
                    out.flush()
                    written += len(chunk)
                else:
                    errors += chunk[: 65536 - len(errors)]
    child.wait()
    return written, errors


#: What to do when the child dies from a signal, by signal (anything else: the generic advice).
_SIGNAL_ADVICE: dict[int, str] = {
    signal.SIGSEGV: "the query engine most likely ran out of stack on a query nested or chained too deep "
    "(thousands of groups, BINDs, UNIONs or operators in a row); write it flatter or in smaller parts",
    signal.SIGKILL: "the system most likely ran out of memory; ask for fewer rows (LIMIT) or a narrower pattern",
}


def _child_error(raw: bytes, returncode: int) -> VisitgraphError:
    """Turn a failed child's stderr and exit status into one sentence: its JSON error, the signal that
    killed it, or the last line it wrote (never a traceback)."""
    lines = [line for line in raw.decode("utf-8", "replace").strip().splitlines() if line.strip()]
    try:
        info = json.loads(lines[-1])
        error = VisitgraphError(str(info["error"]))
        error.status = int(info.get("status", 500))
        return error
    except (ValueError, KeyError, IndexError, TypeError):
        pass
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = "unknown signal"
        advice = _SIGNAL_ADVICE.get(-returncode, "run it again, and report it if it happens again")
        return VisitgraphError(f"The query process was killed by signal {-returncode} ({name}): {advice}.")
    last = lines[-1].strip()[:500] if lines else "no message"
    return VisitgraphError(f"The query process stopped unexpectedly (exit status {returncode}): {last}")


def _rows(result: Any) -> Iterator[list[str]]:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        yield ["true" if bool(result) else "false"]
    elif isinstance(result, ox.QueryTriples):
        yield from ([str(t.subject), str(t.predicate), str(t.object)] for t in result)
    else:
        names = [v.value for v in result.variables]
        for sol in result:
            yield ["" if sol[n] is None else str(sol[n].value) for n in names]


def _header(result: Any) -> list[str]:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return ["result"]
    if isinstance(result, ox.QueryTriples):
        return ["subject", "predicate", "object"]
    return [v.value for v in result.variables]


def _write_answer(job: QueryJob, out: IO[bytes]) -> None:
    import pyoxigraph as ox

    from visitgraph.core.config import load_settings
    from visitgraph.core.formats import get_format
    from visitgraph.core.textable import render_table
    from visitgraph.sparql.engine import run_query
    from visitgraph.store.backend import store_from_settings

    settings = load_settings(job.settings["root"], job.settings, environ={})
    result = run_query(store_from_settings(settings).reader(), job.sparql, base_iri=settings.base_iri)
    if job.fmt == "table":
        rows = list(islice(_rows(result), job.max_rows + 1))
        cut = len(rows) > job.max_rows
        out.write((render_table(_header(result), rows[: job.max_rows]) + "\n").encode())
        note = (
            f"(first {job.max_rows} rows; use --format csv for all)"
            if cut
            else f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
        )
        sys.stderr.write(note + "\n")
        return
    fmt = get_format(job.fmt)
    if isinstance(result, ox.QueryTriples):
        if fmt.rdf is None:
            raise BadQuery(f"{fmt.media_type} cannot carry a graph; ask for Turtle, N-Triples, JSON-LD or RDF/XML.")
        triples: Iterator[Any] = iter(result)
        if fmt.kind == "dataset":
            triples = (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        ox.serialize(triples, output=out, format=fmt.rdf)
        return
    if fmt.results is None:
        raise BadQuery(f"{fmt.media_type} cannot carry SELECT/ASK results; ask for JSON, XML, CSV or TSV.")
    result.serialize(output=out, format=fmt.results)


def _fail(message: str, status: int) -> None:
    sys.stderr.write(json.dumps({"error": message, "status": status}) + "\n")
    sys.exit(1)


def main() -> None:
    """Run the job read from stdin, the answer to stdout (child side of :func:`stream_query`).

    Every error leaves as one JSON line on stderr, never a traceback: pyoxigraph raises its own
    errors while the answer is read (a SERVICE that cannot be reached, an evaluation error), after
    :func:`~visitgraph.sparql.engine.run_query` has mapped those of parsing.
    """
    job = QueryJob(**json.loads(sys.stdin.read()))
    out = sys.stdout.buffer
    try:
        _write_answer(job, out)
        out.flush()
    except VisitgraphError as e:
        _fail(str(e), e.status)
    except (OSError, RuntimeError, ValueError, SyntaxError) as e:
        _fail(f"The query failed while it ran: {str(e).rstrip('.') or type(e).__name__}.", 500)


if __name__ == "__main__":
    main()
