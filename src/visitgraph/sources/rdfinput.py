"""Reading one RDF file with Oxigraph: past a leading byte-order mark, its errors named by file, line and column."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from visitgraph.core.errors import DataSyntaxError

#: The UTF-8 byte-order mark some editors write first; readers of Turtle and N-Triples commonly skip it.
BOM = b"\xef\xbb\xbf"
#: What Oxigraph's parsers raise (as MemoryError) when one term does not fit their buffer.
_TERM_LIMIT = re.compile(r"Reached the buffer maximal size of (\d+)")


def syntax_error(path: str, e: SyntaxError) -> DataSyntaxError:
    """Turn pyoxigraph's parse error into a :class:`DataSyntaxError` naming the file, line and column."""
    msg = str(e.msg or e)
    reason = re.sub(r"^Parser error at line \d+ (?:between columns \d+ and \d+|column \d+): ", "", msg)
    line, column = e.lineno, e.offset
    if line is None:
        m = re.search(r"line (\d+)(?: between columns (\d+)| column (\d+))?", msg)
        if m:
            line = int(m.group(1))
            col = m.group(2) or m.group(3)
            column = int(col) if col else None
    return DataSyntaxError(path, line, column, reason)


def term_too_long(name: str, e: MemoryError) -> DataSyntaxError:
    """Turn the MemoryError of Oxigraph's parsers for a term past their buffer into a :class:`DataSyntaxError`.

    :raises MemoryError: `e` itself when it is not that error (memory really ran out).
    """
    found = _TERM_LIMIT.search(str(e))
    if found is None:
        raise e
    mib = int(found.group(1)) // (1024 * 1024)
    return DataSyntaxError(
        name,
        None,
        None,
        f"a term is longer than {mib} MiB (Oxigraph's parser limit); split the text into several shorter literals",
    )


@contextmanager
def rdf_input(path: Path) -> Iterator[dict[str, Any]]:
    """Give the arguments that make Oxigraph read `path`, past a leading byte-order mark (:data:`BOM`) if any.

    Without one, Oxigraph opens the file itself; with one, it reads this open file on from after the mark
    (nothing is copied). Parse within the block: the file is closed after it.
    """
    with path.open("rb") as file:
        if file.read(len(BOM)) == BOM:
            yield {"input": file}
        else:
            yield {"path": str(path)}


def strip_bom(data: bytes | str) -> bytes | str:
    if isinstance(data, bytes):
        return data[len(BOM) :] if data.startswith(BOM) else data
    return data.removeprefix("\ufeff")
