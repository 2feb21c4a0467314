"""`visitgraph dump -o` and output that cannot be written, run as the real command (a process of its own)."""

from __future__ import annotations

import os
import stat
import subprocess
import threading
from functools import partial
from pathlib import Path

import pytest

from conftest import run_visitgraph
from visitgraph.core.config import Settings
from visitgraph.store.embedded import EmbeddedStore

#: The command in a process of its own, its output as bytes (a dump is compared byte for byte).
visitgraph = partial(run_visitgraph, text=False)


@pytest.fixture
def dumped(store: EmbeddedStore, mini_project: Settings) -> bytes:
    """The mini project's Turtle dump, as `dump` writes it to standard output."""
    done = visitgraph(mini_project, "dump")
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_dump_into_a_missing_folder_says_so(dumped: bytes, mini_project: Settings) -> None:
    done = visitgraph(mini_project, "dump", "-o", "/nonexistent/x.ttl")
    assert done.returncode == 1
    assert done.stderr.decode() == "Error: cannot write /nonexistent/x.ttl: the folder /nonexistent does not exist\n"


def test_dump_through_a_symlink_writes_its_target_and_keeps_the_link(
    dumped: bytes, mini_project: Settings, tmp_path: Path
) -> None:
    real, link = tmp_path / "real.ttl", tmp_path / "link.ttl"
    real.write_bytes(b"old")
    link.symlink_to(real)
    done = visitgraph(mini_project, "dump", "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and real.read_bytes() == dumped


def dump_into_fifo(settings: Settings, fifo: Path) -> tuple[subprocess.CompletedProcess[bytes], list[bytes]]:
    """Run `dump -o FIFO` with a reader on the FIFO; return the run and what the reader got."""
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)  # blocks for good if the FIFO is replaced: daemon
    reader.start()
    done = visitgraph(settings, "dump", "-o", str(fifo))
    reader.join(30)
    return done, got


def test_dump_into_a_fifo_streams_and_keeps_the_fifo(dumped: bytes, mini_project: Settings, tmp_path: Path) -> None:
    done, got = dump_into_fifo(mini_project, tmp_path / "ff")
    assert done.returncode == 0, done.stderr
    assert got == [dumped] and stat.S_ISFIFO(os.lstat(tmp_path / "ff").st_mode)


def test_dump_to_dev_full_is_a_short_error(dumped: bytes, mini_project: Settings, tmp_path: Path) -> None:
    # An older `dump -o` renamed a regular file over /dev/full: try it only on code that kept a FIFO in place.
    _, got = dump_into_fifo(mini_project, tmp_path / "ff")
    assert stat.S_ISFIFO(os.lstat(tmp_path / "ff").st_mode) and got == [dumped], "dump -o replaces special files"
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode), "this test needs /dev/full to be the character device"
    done = visitgraph(mini_project, "dump", "-o", "/dev/full")
    assert done.returncode == 1
    assert done.stderr.decode() == "Error: cannot write /dev/full: No space left on device\n"
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


def test_dump_keeps_another_dumps_temporary_file(dumped: bytes, mini_project: Settings, tmp_path: Path) -> None:
    theirs = tmp_path / ".x.ttl.tmp"  # what a concurrent dump to x.ttl wrote under the old fixed name
    theirs.write_bytes(b"half of another dump")
    done = visitgraph(mini_project, "dump", "-o", str(tmp_path / "x.ttl"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "x.ttl").read_bytes() == dumped and theirs.read_bytes() == b"half of another dump"


@pytest.mark.parametrize("command", [("dump",), ("history",), ("history", "--json")])
def test_standard_output_on_a_full_device_is_a_short_error(
    command: tuple[str, ...], store: EmbeddedStore, mini_project: Settings
) -> None:
    with open("/dev/full", "wb") as full:
        done = visitgraph(mini_project, *command, stdout=full.fileno())
    assert done.returncode == 1
    assert done.stderr.decode() == "Error: cannot write the output: No space left on device\n"
