"""A store's whole N-Quads dump, its graphs written by Oxigraph several at a time (decision 0078).

Oxigraph writes a store's N-Quads in one thread, and most of that time is reading each term back from the store.
The same text is the default graph's statements and then each named graph's, in ``named_graphs()`` order, each
graph's lines in ``quads_for_pattern`` order. :func:`write_nquads` has Oxigraph write each graph as N-Triples in
threads of its own (the dump runs without the GIL), each thread adds its lines' graph name, and the parts are joined
in that order. The bytes are the same as ``store.dump(path, format=RdfFormat.N_QUADS)`` writes; a test compares them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from visitgraph.core.crashpoints import crash_point

_PIECE = 1 << 24  # bytes read from a part at a time


def write_nquads(store: ox.Store, path: Path, *, threads: int = 1, sizes: Mapping[str, int] | None = None) -> None:
    """Write `store`'s N-Quads dump at `path`, the same bytes as ``store.dump`` writes, `threads` graphs at a time.

    :param threads: graphs written at the same time (1, or a store with fewer than two named graphs: Oxigraph's
        one call).
    :param sizes: quads expected per graph IRI, if known: the biggest graphs are begun first, so that one begun
        last does not finish alone. Unknown graphs count as empty. Only the schedule depends on it, never the text.

    Each graph is written by its thread as a file beside `path` (``.<name>.<pid>.<n>.nt``, then ``.nq`` with the
    graph's name on each line), and the files are appended to `path` in the store's order by the kernel
    (``copy_file_range``), each removed once appended, or on any error. The caller makes `path` whole and atomic (it
    is written in place).
    """
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = list(store.named_graphs())
    if threads <= 1 or len(graphs) < 2:
        store.dump(str(path), format=ox.RdfFormat.N_QUADS)
        return
    graphs.insert(0, ox.DefaultGraph())  # written first by the N-Quads writer; its lines are N-Triples lines
    stem = f".{path.name}.{os.getpid()}"
    parts = [path.with_name(f"{stem}.{n}.nt") for n in range(len(graphs))]
    quads = [path.with_name(f"{stem}.{n}.nq") for n in range(len(graphs))]
    known = sizes or {}

    def size(n: int) -> int:
        graph = graphs[n]
        return known.get(graph.value, 0) if isinstance(graph, ox.NamedNode) else 0

    def one(n: int) -> Path:
        """Write graph `n`'s part: Oxigraph's N-Triples, then (a named graph) each line given its graph name."""
        store.dump(str(parts[n]), format=ox.RdfFormat.N_TRIPLES, from_graph=graphs[n])
        if isinstance(graphs[n], ox.DefaultGraph):
            return parts[n]
        with quads[n].open("wb") as out:
            _append(parts[n], out, f" {graphs[n]} .\n".encode())
        parts[n].unlink()
        return quads[n]

    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="dump-graph")
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
