"""A store's whole N-Quads dump, its graphs written by Oxigraph several at a time (decision 0078).

Oxigraph writes a store's N-Quads in one thread, and most of that time is reading each term back from the store.
The same text is the default graph's statements and then each named graph's, in ``named_graphs()`` order, each
graph's lines in ``quads_for_pattern`` order. :func:`write_nquads` has Oxigraph write each graph as N-Triples in
threads of its own (the dump runs without the GIL), each thread adds its lines' graph name, and the parts are joined
in that order. The bytes are the same as ``store.dump(path, format=RdfFormat.N_QUADS)`` writes; a test compares them.

A whole build may also say which graphs hold exactly one source file's statements (:class:`FilePart`, decision 0080):
such a graph's lines are then written by parsing that file again, 4–5× faster than reading the same terms back from
the store. The dump then has the same lines, but a file's graph lists them sorted instead of in the store's order.
Every other graph, and any file part that fails a check, is the store's own text as before.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from visitgraph.core.crashpoints import crash_point

_PIECE = 1 << 24  # bytes read from a part at a time


@dataclass(frozen=True)
class FilePart:
    """A named graph that holds exactly the statements of one source file, which nothing has changed since (0080).

    The caller vouches that nothing else wrote to the graph (no changeset touched it, no other file names it).
    :func:`write_nquads` checks the rest after parsing the file again, and dumps the graph from the store instead
    when any check fails (:func:`_from_file`): the file is still `stat` (size, modification time in ns, as seen before
    it was loaded), the store would write its statements as the file's parser and writer do, and they are `quads`
    distinct lines, the graph's size in the store.
    """

    path: Path
    format: ox.RdfFormat
    base_iri: str | None
    quads: int
    stat: tuple[int, int]


def write_nquads(
    store: ox.Store,
    path: Path,
    *,
    threads: int = 1,
    sizes: Mapping[str, int] | None = None,
    files: Mapping[str, FilePart] | None = None,
) -> set[str]:
    """Write `store`'s N-Quads dump at `path`, the same bytes as ``store.dump`` writes, `threads` graphs at a time.

    Returns the IRIs of the graphs written from their files (`files`); without them, the bytes are the store's.

    :param threads: graphs written at the same time (1, or a store with fewer than two named graphs: Oxigraph's
        one call).
    :param sizes: quads expected per graph IRI, if known: the biggest graphs are begun first, so that one begun
        last does not finish alone. Unknown graphs count as empty. Only the schedule depends on it, never the text.
    :param files: graphs (by IRI) whose lines may be read from their source file (:class:`FilePart`): the same
        lines as the store's, sorted.

    Each graph is written by its thread as a file beside `path` (``.<name>.<pid>.<n>.nt``, then ``.nq`` with the
    graph's name on each line), and the files are appended to `path` in the store's order by the kernel
    (``copy_file_range``), each removed once appended, or on any error. The caller makes `path` whole and atomic (it
    is written in place).
    """
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = list(store.named_graphs())
    sources = files or {}
    if (threads <= 1 and not sources) or len(graphs) < 2:
        store.dump(str(path), format=ox.RdfFormat.N_QUADS)
        return set()
    graphs.insert(0, ox.DefaultGraph())  # written first by the N-Quads writer; its lines are N-Triples lines
    stem = f".{path.name}.{os.getpid()}"
    parts = [path.with_name(f"{stem}.{n}.nt") for n in range(len(graphs))]
    quads = [path.with_name(f"{stem}.{n}.nq") for n in range(len(graphs))]
    known = sizes or {}
    used: set[str] = set()

    def size(n: int) -> int:
        graph = graphs[n]
        return known.get(graph.value, 0) if isinstance(graph, ox.NamedNode) else 0

    def one(n: int) -> Path:
        """Write graph `n`'s part: Oxigraph's N-Triples, then (a named graph) each line given its graph name."""
        graph = graphs[n]
        iri = graph.value if isinstance(graph, ox.NamedNode) else ""
        if iri in sources and _from_file(sources[iri], quads[n], f" {graph} .\n".encode()):
            used.add(iri)
            return quads[n]
        store.dump(str(parts[n]), format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        if isinstance(graph, ox.DefaultGraph):
            return parts[n]
        with quads[n].open("wb") as out:
            _append(parts[n], out, f" {graph} .\n".encode())
        parts[n].unlink()
        return quads[n]

    pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="dump-graph")
    try:
        futures: dict[int, Future[Path]] = {}
        for n in sorted(range(len(graphs)), key=lambda n: -size(n)):  # stable: ties keep the store's order
            futures[n] = pool.submit(one, n)
        with path.open("wb") as out:
            for n in range(len(graphs)):  # the store's order
                part = futures[n].result()
                _copy(part, out)
                part.unlink()
                if n == 1:
                    crash_point("validation.dump_part")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for part in parts + quads:
            with contextlib.suppress(FileNotFoundError):
                part.unlink()
    return used


def _from_file(source: FilePart, out_path: Path, tail: bytes) -> bool:
    """Write a graph's N-Quads part from its source file (:class:`FilePart`); False, leaving nothing, if any check fails.

    The file is parsed by Oxigraph's parser (the one its bulk loader used) and written by its N-Triples writer (the
    one the store's dump uses). The store's text differs from that in three cases, each sent to the store's dump:

    - its loader gives blank nodes labels of its own: a file with ``_:`` anywhere is dumped from the store;
    - a triple term (``<<``, anywhere) is dumped from the store too: the literals inside it are kept as values;
    - it keeps typed literals of XSD datatypes as values and writes them back in canonical form (``"01"`` of
      ``xsd:integer`` as ``"1"``, ``"PT60S"`` as ``"PT1M"``): each distinct one is put through an in-memory store,
      which keeps them the same way, and one that comes back otherwise means the store's text instead.

    Then every line is one of the graph's, and the graph has no other (the caller vouches that only this file
    filled it): once a line the file repeats is kept once, their number must be the graph's (`quads`).

    The lines are then sorted, so that each subject's statements are next to each other as in the store's own dump
    (what the ledger cuts records from; a source file need not keep them together), and each is given `tail`.
    """
    try:
        if source.path.stat().st_size > FILE_PART_BYTES:
            return False
        parsed = ox.parse(path=str(source.path), format=source.format, base_iri=source.base_iri)
        text = ox.serialize(parsed, format=ox.RdfFormat.N_TRIPLES) or b""
        st = source.path.stat()
    except (OSError, SyntaxError, ValueError):
        return False
    if (st.st_size, st.st_mtime_ns) != source.stat or b"_:" in text or (text and not text.endswith(b"\n")):
        return False
    if b"<<" in text:  # a triple term: the store keeps the literals inside it as values too, unchecked here
        return False
    lines = text.split(b"\n")
    del text
    lines.pop()
    try:
        if len(lines) < source.quads or not _kept_as_written(lines):
            return False
    except (SyntaxError, ValueError):  # a line the check cannot restate: the store's text, never a failed dump
        return False
    lines.sort()  # a subject's lines start with its term and a space: sorted, they are next to each other
    if len(lines) > source.quads:  # a statement the file repeats is once in the store
        lines = [line for line, _ in groupby(lines)]
        if len(lines) != source.quads:
            return False
    try:
        with out_path.open("wb") as out:
            for start in range(0, len(lines), _LINES_AT_ONCE):
                out.write((b"\n".join(lines[start : start + _LINES_AT_ONCE]) + b"\n").replace(b" .\n", tail))
    except OSError:
        out_path.unlink(missing_ok=True)
        raise
    return True


#: A source file bigger than this is dumped from the store: its part is sorted in memory (about twice its size).
FILE_PART_BYTES = 1 << 30
_LINES_AT_ONCE = 100_000
#: What a line whose object is a typed literal of an XSD datatype holds (in N-Triples, a literal is only an object).
_XSD_TYPED = b'"^^<http://www.w3.org/2001/XMLSchema#'
_PROBE = b"<x:s> <x:p> "


def _kept_as_written(lines: list[bytes]) -> bool:
    """Say whether the store keeps every XSD-typed literal of these N-Triples lines as the lines write it.

    A line's object starts at its first ``"`` (an IRI or a blank node label holds none). Each distinct object is
    written as a statement of its own into an in-memory store and read back from its dump.
    """
    written = {_PROBE + line[line.index(b'"') :] for line in lines if _XSD_TYPED in line}
    if not written:
        return True
    memory = ox.Store()
    memory.load(input=b"\n".join(written) + b"\n", format=ox.RdfFormat.N_TRIPLES)
    back = (memory.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b"").split(b"\n")
    back.pop()
    return len(back) == len(written) and written.issuperset(back)


def _copy(part: Path, out: BinaryIO) -> None:
    """Append the whole file `part` to `out`, in the kernel where it can (no bytes through Python)."""
    out.flush()
    with part.open("rb") as text:
        left = os.fstat(text.fileno()).st_size
        try:
            while left > 0:
                copied = os.copy_file_range(text.fileno(), out.fileno(), left)
                if copied == 0:
                    break
                left -= copied
        except OSError:  # not between these files (another file system, say): through Python from where it was
            pass
        if left > 0:
            text.seek(os.fstat(text.fileno()).st_size - left)
            out.seek(0, os.SEEK_END)
            shutil.copyfileobj(text, out, _PIECE)


def _append(part: Path, out: BinaryIO, tail: bytes) -> None:
    """Copy the N-Triples `part` to `out`, each line's final ``" ."`` made `tail` (its graph name, then ``" ."``).

    A line of Oxigraph's N-Triples ends with ``" .\\n"`` and a newline is nowhere else (a literal's is escaped), so
    replacing every ``" .\\n"`` of whole lines is exact.
    """
    with part.open("rb") as text:
        rest = b""
        while piece := text.read(_PIECE):
            whole = rest + piece
            cut = whole.rfind(b"\n") + 1
            out.write(whole[:cut].replace(b" .\n", tail))
            rest = whole[cut:]
    if rest:
        raise ValueError(f"{part.name}: the graph's N-Triples do not end with a newline")
