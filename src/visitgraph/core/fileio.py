"""File writes: atomic ones (readers see the old file or the new one, never half of either), and output a user named.

:func:`write_output` writes to a path given on the command line as a careful Unix tool does: a regular file
(or a symbolic link to one) is replaced atomically, while a FIFO or a device is written through and never
replaced. :func:`output_errors` turns a failed write to standard output into a one-line error.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from visitgraph.core.errors import VisitgraphError

#: Bytes handed to one `write` when streaming into a FIFO or a device.
CHUNK = 1 << 20


def write_atomic(path: Path, data: bytes | str, *, parents: bool = True, mode: int | None = None) -> None:
    """Write `data` (text as UTF-8) to `path` through a synced temporary file and a rename.

    The temporary file is named after the process and thread, so two writers of one path never share it.

    :param parents: create missing folders above `path` (when False, a missing folder raises FileNotFoundError).
    :param mode: permission bits to give the new file (default: the process's umask decides).

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "sub" / "x.txt"
    >>> write_atomic(p, "hi"); p.read_text()
    'hi'
    """
    if parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_output(path: Path, data: bytes) -> None:
    """Write `data` to a file a user named, never replacing anything but a regular file.

    A regular file is replaced atomically (keeping its permissions); through a symbolic link, the link's
    target is (the link stays). A FIFO or a character device (`/dev/stdout`, a terminal, `/dev/null`) is
    opened and written through. A folder, a socket or a block device is refused.

    :raises VisitgraphError: `cannot write PATH: <why>` when the file cannot be written.

    >>> write_output(Path("/nonexistent/x.ttl"), b"")
    Traceback (most recent call last):
    ...
    visitgraph.core.errors.VisitgraphError: cannot write /nonexistent/x.ttl: the folder /nonexistent does not exist
    """
    try:
        _write_output(path, data)
    except OSError as e:
        raise VisitgraphError(f"cannot write {path}: {e.strerror or e}") from e


def _write_output(path: Path, data: bytes) -> None:
    try:
        found: os.stat_result | None = os.stat(path)  # through links: what a write would reach
    except FileNotFoundError:
        found = None
    if found is not None and not stat.S_ISREG(found.st_mode):
        if _write_through(path, data, found):
            return
        found = os.stat(path)  # it became a regular file in between: replace that one
    target = Path(os.path.realpath(path))
    folder = target.parent
    via = f" (a link to {target})" if target != Path(os.path.abspath(path)) else ""
    if not folder.is_dir():
        why = "does not exist" if not folder.exists() else "is not a folder"
        raise VisitgraphError(f"cannot write {path}{via}: the folder {folder} {why}")
    write_atomic(target, data, parents=False, mode=stat.S_IMODE(found.st_mode) if found is not None else None)


def _write_through(path: Path, data: bytes, found: os.stat_result) -> bool:
    """Stream `data` into a FIFO or character device; False when `path` turned out to be a regular file."""
    kind = _refused_kind(found.st_mode)
    if kind:
        raise VisitgraphError(f"cannot write {path}: it is {kind}, not a file; name a file (or a FIFO) instead")
    # No O_CREAT: if the node went away, fail rather than make a file. A FIFO blocks here until a reader comes.
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view[:CHUNK]) :]
    finally:
        os.close(fd)
    return True


def _refused_kind(mode: int) -> str:
    """Name the kinds of node no dump is written into (empty for a FIFO or character device)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISBLK(mode):
        return "a block device (a disk)"
    return ""


@contextlib.contextmanager
def output_errors() -> Iterator[None]:
    """Turn a failed write to standard output inside the block into `cannot write the output: <why>`.

    Standard output is flushed before the block ends, so a full disk or `> /dev/full` is reported here and
    not as a traceback at exit. After a failure, standard output is pointed at /dev/null, so the exit's own
    flush of what was left buffered does not fail a second time.

    :raises VisitgraphError: when writing or flushing standard output fails.
    """
    try:
        yield
        sys.stdout.flush()
    except OSError as e:
        _drop_stdout()
        raise VisitgraphError(f"cannot write the output: {e.strerror or e}") from e


def _drop_stdout() -> None:
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # a test runner's stream: nothing is flushed at exit
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)
