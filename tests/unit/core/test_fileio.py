"""Writing a file a user named: atomic for regular files, through for FIFOs and devices, never replacing a node."""

from __future__ import annotations

import errno
import os
import socket
import stat
import threading
from pathlib import Path

import pytest

from visitgraph.core.errors import VisitgraphError
from visitgraph.core.fileio import output_errors, write_atomic, write_output

DATA = b"<http://e/a> <http://e/p> <http://e/b> .\n" * 50_000  # 2 MB: more than a FIFO's buffer


def read_fifo(path: Path, into: list[bytes]) -> threading.Thread:
    """Start a reader of FIFO `path` that keeps what it read in `into`."""

    def run() -> None:
        with open(path, "rb") as fh:
            into.append(fh.read())

    reader = threading.Thread(target=run, daemon=True)
    reader.start()
    return reader


def test_write_output_missing_folder_names_it(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.ttl"
    with pytest.raises(VisitgraphError) as e:
        write_output(target, DATA)
    assert str(e.value) == f"cannot write {target}: the folder {tmp_path / 'missing'} does not exist"
    assert not (tmp_path / "missing").exists()


def test_write_output_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    real, link = tmp_path / "real.ttl", tmp_path / "link.ttl"
    real.write_bytes(b"old")
    real.chmod(0o600)
    link.symlink_to(real)
    write_output(link, DATA)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == DATA
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.ttl", "real.ttl"]


def test_write_output_into_a_fifo_streams_and_keeps_it(tmp_path: Path) -> None:
    fifo = tmp_path / "ff"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = read_fifo(fifo, got)
    write_output(fifo, DATA)
    reader.join(10)
    assert got == [DATA]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["ff"]


def test_write_output_through_a_symlink_to_a_fifo_keeps_both(tmp_path: Path) -> None:
    fifo, link = tmp_path / "ff", tmp_path / "link"
    os.mkfifo(fifo)
    link.symlink_to(fifo)
    got: list[bytes] = []
    reader = read_fifo(fifo, got)
    write_output(link, DATA)
    reader.join(10)
    assert got == [DATA] and link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_write_output_refuses_a_socket_and_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(VisitgraphError, match=f"^cannot write {path}: it is a socket"):
            write_output(path, DATA)
        assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_write_output_to_dev_full_says_no_space_and_keeps_the_device() -> None:
    before = os.lstat("/dev/full")
    assert stat.S_ISCHR(before.st_mode), "this test needs /dev/full to be the character device"
    with pytest.raises(VisitgraphError) as e:
        write_output(Path("/dev/full"), DATA)
    assert str(e.value) == "cannot write /dev/full: No space left on device"
    after = os.lstat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_write_atomic_leaves_another_writers_temporary_file_alone(tmp_path: Path) -> None:
    target = tmp_path / "x.ttl"
    theirs = tmp_path / ".x.ttl.tmp"  # the fixed name every dump once used
    theirs.write_bytes(b"half of another dump")
    write_atomic(target, DATA, parents=False)
    assert target.read_bytes() == DATA and theirs.read_bytes() == b"half of another dump"


class FullStream:
    """A standard output whose writes fail as /dev/full's do."""

    def write(self, data: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        pass


def test_output_errors_turns_a_full_disk_into_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout", FullStream())
    with pytest.raises(VisitgraphError) as e, output_errors():
        print("hello")
    assert str(e.value) == "cannot write the output: No space left on device"
