"""The one pool of killable children (workers/pool.py): used by the query workers and the stored answers alike.

Before, `workers/executor.py` and `queries/answerindex.py` each started, awaited and killed children of their
own (a socket pair with frames in one, JSON lines on pipes in the other). The structural test fails on that; the
others hold the pool to what both relied on: a deadline that kills, a killed child never reused, a crash
reported with what the child said, the memory ceiling applied in the child, and poll-based waiting.
"""

from __future__ import annotations

import ast
import os
import resource
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from visitgraph.workers.pool import ChildGone, ChildTimeout, Pool, readable_within

SRC = Path(__file__).resolve().parents[3] / "src" / "visitgraph"
POOL = SRC / "workers" / "pool.py"
#: Modules that may start or await a child process themselves, each with the reason.
OWN_CHILDREN = {
    # The CLI's `visitgraph query` streams a one-shot child's stdout to the terminal as it comes (no frames, no
    # reuse, epoll through `selectors`): a different shape of work, not a killable worker kept for reuse.
    SRC / "workers" / "querystream.py": "streams one child's output to the terminal",
}

CHILD = textwrap.dedent(
    """
    import os, resource, sys, time
    from visitgraph.workers.pool import serve

    def make(args):
        def answer(job):
            if job == "sleep":
                time.sleep(60)
            if job == "die":
                sys.stderr.write("dying on purpose\\n")
                sys.stderr.flush()
                os._exit(3)
            if job == "limit":
                return ("limit", resource.getrlimit(resource.RLIMIT_DATA)[0]), b""
            if job == "raise":
                raise ValueError("no such job")
            return ("echo", job, args, os.getpid()), b"x" * 200_000
        return answer

    serve(make)
    """
)


def _starts_children(path: Path) -> list[int]:
    """Lines where a module calls `subprocess.Popen` or `select.poll`/`select.select` (its own children, its own wait)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in (("subprocess", "Popen"), ("select", "poll"), ("select", "select")):
                lines.append(node.lineno)
    return lines


def test_only_the_pool_starts_and_awaits_worker_children() -> None:
    found = {
        f"{path.relative_to(SRC)}:{line}"
        for path in sorted(SRC.rglob("*.py"))
        if path != POOL and path not in OWN_CHILDREN
        for line in _starts_children(path)
    }
    assert not found, f"start killable children through visitgraph.workers.pool, not by hand: {sorted(found)}"
    assert _starts_children(POOL)  # the check sees what it looks for


@pytest.fixture
def pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pool]:
    (tmp_path / "pool_test_child.py").write_text(CHILD, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    made = Pool("pool_test_child", ("an-argument",), memory_mb=512, keep_stderr=True)
    yield made
    made.close()


def test_a_child_answers_and_is_reused(pool: Pool) -> None:
    (kind, job, args, pid), body = pool.run("hello", 30)
    assert (kind, job, args, len(body)) == ("echo", "hello", ["an-argument"], 200_000)
    (_, _, _, again), _ = pool.run("hello", 30)
    assert again == pid and pool.pids() == [pid] and pool.idle() == 1
    (kind, message), _ = pool.run("raise", 30)  # a handler's error is answered; the child lives on
    assert kind == "error" and "no such job" in message[1]
    assert pool.pids() == [pid]


def test_the_memory_ceiling_is_set_in_the_child(pool: Pool) -> None:
    (_, limit), _ = pool.run("limit", 30)
    assert limit == 512 * 1024 * 1024


def test_past_the_deadline_the_child_is_killed_and_never_reused(pool: Pool) -> None:
    (_, _, _, pid), _ = pool.run("hello", 30)
    with pytest.raises(ChildTimeout):
        pool.run("sleep", 0.3)
    assert pid not in pool.pids() and pool.idle() == 0
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped, not left running
    (_, _, _, fresh), _ = pool.run("hello", 30)
    assert fresh != pid


def test_a_crash_is_reported_with_what_the_child_said(pool: Pool) -> None:
    with pytest.raises(ChildGone) as gone:
        pool.run("die", 30)
    assert "exited with status 3" in gone.value.how
    assert "dying on purpose" in gone.value.stderr
    assert pool.pids() == [] and pool.idle() == 0


def test_close_kills_every_child(pool: Pool) -> None:
    pool.run("hello", 30)
    (pid,) = pool.pids()
    pool.close()
    assert pool.pids() == []
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_child_answer_is_awaited_on_a_file_descriptor_past_1024() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    high = 1500
    if hard != resource.RLIM_INFINITY and hard <= high:
        pytest.skip(f"the hard limit of open files ({hard}) is below {high}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, high + 1), hard))
    read_end, write_end = os.pipe()
    try:
        os.dup2(read_end, high)
        try:
            assert readable_within(high, 0.05) is False
            os.write(write_end, b"x")
            assert readable_within(high, 5.0) is True
        finally:
            os.close(high)
    finally:
        os.close(read_end)
        os.close(write_end)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_spawn_the_os_refuses_raises_and_leaves_no_socket(pool: Pool, monkeypatch: pytest.MonkeyPatch) -> None:
    # Seen once in CI: exec of the interpreter failed with EFAULT. The error reaches the caller, and the socket
    # pair made for the child is closed (before: the parent's end stayed open, one descriptor per failed spawn).
    import subprocess

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(14, "Bad address")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    before = _open_fds()
    for _ in range(5):
        with pytest.raises(OSError, match="Bad address"):
            pool.spare(most_idle=2)
    assert _open_fds() == before
    assert pool.idle() == 0 and pool.pids() == []


def test_a_child_started_while_the_pool_closes_is_killed_not_handed_out(
    pool: Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seen in CI as "unclosed file <_io.BufferedReader name=390>" in an unrelated test: the stored answers'
    # cancel closed the pool while a thread was starting a child, which was then added to a pool nobody would
    # close again, and left to the garbage collector with its stderr pipe, socket and process.
    made = []
    real_new = Pool._new

    def closing_meanwhile(self: Pool) -> object:
        child = real_new(self)
        made.append(child)
        self.close()
        return child

    monkeypatch.setattr(Pool, "_new", closing_meanwhile)
    with pytest.raises(ChildGone, match="pool was closed"):
        pool.take()
    (child,) = made
    assert not child.alive() and child.sock.fileno() == -1
    assert child.proc.stderr is not None and child.proc.stderr.closed
    assert pool.pids() == []


def test_kill_closes_every_descriptor_even_when_the_child_does_not_die_in_time(
    pool: Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    child = pool.take()
    child.started()
    real_wait = child.proc.wait

    def slow_wait(timeout: float | None = None) -> int:
        raise subprocess.TimeoutExpired("child", timeout or 0)

    monkeypatch.setattr(child.proc, "wait", slow_wait)
    child.kill()  # a process in uninterruptible sleep: SIGKILL sent, not yet reaped
    assert child.proc.stderr is not None and child.proc.stderr.closed
    assert child.sock.fileno() == -1
    monkeypatch.setattr(child.proc, "wait", real_wait)
    assert child.proc.wait(10) < 0  # it did get the signal


def test_kill_from_two_threads_at_once_reads_stderr_once(pool: Pool) -> None:
    import threading

    child = pool.take()
    child.started()
    errors: list[BaseException] = []

    def kill() -> None:
        try:
            child.kill()
        except BaseException as e:  # noqa: BLE001 - collected for the assertion
            errors.append(e)

    threads = [threading.Thread(target=kill) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == [] and not child.alive()
