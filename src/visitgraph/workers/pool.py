"""The one pool of killable child processes: work the server may have to stop runs here.

pyoxigraph cannot cancel a query, so anything that may run too long or too big runs in a child
process that is killed at its deadline. Three users share this module: the endpoint's query workers
(:mod:`visitgraph.workers.executor`, which also validates posted graphs in them,
:mod:`visitgraph.workers.validation_job`) and the children that derive and maintain stored answers at
publish time (:mod:`visitgraph.queries.answerindex`). What they share:

- :class:`Child`: `python -m <module> <fd> <memory MiB> <no network> <args…>` over a socket pair; the
  child confines itself first (:func:`visitgraph.workers.sandbox.confine`: a memory ceiling, and no
  network namespace when nothing may be reached), says it is ready, then answers one job at a time
  (:func:`serve`). Waiting uses `poll`, never `select` (which refuses descriptors past 1,024, and a
  long-running server or the test suite passes that).
- the wire: length-prefixed frames (:func:`send_frame`, :func:`recv_frame`): a pickled meta tuple
  and raw body bytes, so an answer's body is neither pickled nor copied. Parent and child are the
  same program, so pickle is safe here.
- :class:`Pool`: idle children kept for reuse, a killed one never reused (a fresh spare can be started
  ahead of need), every child killed on :meth:`Pool.close` or when the pool is collected.

Admission (how many queries may run, the long-query lane, budgets) stays with the executor: it is
the endpoint's policy, not the pool's.
"""

from __future__ import annotations

import pickle
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from visitgraph.workers.sandbox import confine

#: Most seconds a new child may take to start (import, open nothing yet, confine itself).
START_S = 60.0

# -- the wire: length-prefixed frames over the socket pair -------------------------------------
#
# A frame is `!II` (meta length, body length), a pickled meta tuple, then the raw body bytes.

_HEAD = struct.Struct("!II")
_SMALL = 1 << 16  # frames up to this size go out in one send; larger ones in two


def send_frame(sock: socket.socket, meta: Any, body: bytes = b"") -> None:
    """Send one frame: `meta` pickled, `body` as it is."""
    packed = pickle.dumps(meta, pickle.HIGHEST_PROTOCOL)
    head = _HEAD.pack(len(packed), len(body))
    if len(body) < _SMALL:
        sock.sendall(head + packed + body)
    else:
        sock.sendall(head + packed)
        sock.sendall(body)


def recv_frame(sock: socket.socket) -> tuple[Any, bytes]:
    """Read one frame (usually one `recv`); raise EOFError when the peer has gone."""
    data = sock.recv(_SMALL)
    while len(data) < _HEAD.size:
        more = sock.recv(_SMALL)
        if not more:
            raise EOFError("the peer closed the socket")
        data += more
    meta_len, body_len = _HEAD.unpack_from(data)
    end = _HEAD.size + meta_len + body_len
    if len(data) < end:
        buf = bytearray(end)
        buf[: len(data)] = data
        view, got = memoryview(buf), len(data)
        while got < end:
            n = sock.recv_into(view[got:])
            if n == 0:
                raise EOFError("the peer closed the socket mid-frame")
            got += n
        data = bytes(buf)
    meta = pickle.loads(data[_HEAD.size : _HEAD.size + meta_len])
    return meta, data[_HEAD.size + meta_len : end]


def readable_within(stream: socket.socket | BinaryIO | int, timeout: float) -> bool:
    """Wait until `stream` has something to read (or is closed), at most `timeout` seconds.

    `poll`, not `select`: select() refuses any file descriptor numbered 1024 or more, and a
    long-running process (a server whose RocksDB stores hold hundreds of files open, the test
    suite after 2,600 tests) passes that; the full CI run failed there with "filedescriptor out
    of range in select()".
    """
    return _poll(_poller(stream), timeout)


def _poller(stream: socket.socket | BinaryIO | int) -> select.poll:
    """A poller that wakes when `stream` has something to read, or is closed or broken."""
    poller = select.poll()
    poller.register(stream, select.POLLIN | select.POLLHUP | select.POLLERR)
    return poller


def _poll(poller: select.poll, seconds: float) -> bool:
    """Wait on `poller` at most `seconds` (rounded up to the millisecond); say whether it woke."""
    return bool(poller.poll(max(0, int(seconds * 1000 + 0.999))))


# -- the child's side ------------------------------------------------------------------------

#: What a child does with one job: return the answer's (meta, body).
Handler = Callable[[Any], tuple[Any, bytes]]


def serve(make_handler: Callable[[Sequence[str]], Handler], argv: Sequence[str] | None = None) -> None:
    """Run a child: confine it, say it is ready, then answer jobs from the parent until the socket closes.

    `argv` (default `sys.argv[1:]`) is what :class:`Child` passes: the socket's descriptor, the memory
    ceiling in MiB, "1" for no network, then the user's own arguments, given to `make_handler`.
    A handler that raises answers `("error", (500, message))`; the child keeps serving (handlers map
    their own errors: this is the last resort).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    sock = socket.socket(fileno=int(args[0]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    confine(int(args[1]), args[2] == "1")
    handler = make_handler(args[3:])
    send_frame(sock, ("ready", None))
    while True:
        try:
            job, _ = recv_frame(sock)
        except (EOFError, OSError):
            return
        try:
            meta, body = handler(job)
        except Exception as e:  # noqa: BLE001 - report, never die silently
            meta, body = ("error", (500, f"The job failed: {e}")), b""
        send_frame(sock, meta, body)


# -- the parent's side -----------------------------------------------------------------------


class ChildGone(Exception):
    """The child closed its socket (it crashed, ran out of memory, or was killed)."""

    def __init__(self, how: str, stderr: str = "") -> None:
        super().__init__(how)
        self.how = how
        self.stderr = stderr  # what it wrote on stderr, when its pool keeps that


class ChildTimeout(Exception):
    """The child did not answer within the time given; it was killed."""


class Child:
    """One child process (`python -m module …`, see :func:`serve`), talking over a socket pair."""

    def __init__(
        self,
        module: str,
        args: Sequence[str] = (),
        *,
        memory_mb: int = 0,
        no_network: bool = False,
        keep_stderr: bool = False,
    ) -> None:
        parent, child = socket.socketpair()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", module, str(child.fileno()), str(memory_mb), str(int(no_network)), *args],
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
                stderr=subprocess.PIPE if keep_stderr else None,
                close_fds=True,
            )
        except BaseException:
            parent.close()  # a spawn that failed (e.g. OSError from exec) leaves no socket behind
            raise
        finally:
            child.close()
        self.sock = parent
        self._closing = threading.Lock()  # kill() from two threads (a cancel beside a discard) reads stderr once
        self.up = False
        self.poller = _poller(parent)
        self.stderr = ""

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def started(self, seconds: float = START_S) -> None:
        """Wait for the child's first frame (it has imported and confined itself): start-up is not job time.

        :raises ChildGone: the child died while starting.
        :raises ChildTimeout: it did not start within `seconds` (it is killed).
        """
        if self.up:
            return
        if not self.wait_ready(seconds):
            self.kill()
            raise ChildTimeout(f"a worker process did not start within {seconds:g} s")
        try:
            recv_frame(self.sock)
        except (EOFError, OSError) as e:
            raise ChildGone(self.death(), self.stderr) from e
        self.up = True

    def send(self, job: Any) -> None:
        """Send one job (the child must have started)."""
        send_frame(self.sock, job)

    def wait_ready(self, seconds: float) -> bool:
        """Wait up to `seconds` for an answer (or the child's death) on the socket."""
        return _poll(self.poller, seconds)

    def receive(self) -> tuple[Any, bytes]:
        """Read the answer that :meth:`wait_ready` saw coming.

        :raises EOFError: the child has gone (its socket closed).
        """
        return recv_frame(self.sock)

    def call(self, job: Any, timeout: float) -> tuple[Any, bytes]:
        """Start the child if needed, send `job`, and return its answer within `timeout` seconds of sending.

        :raises ChildTimeout: no answer in time: the child is killed (never reused).
        :raises ChildGone: the child died on the job (its exit is in the message, its stderr in `stderr`).
        """
        self.started()
        try:
            self.send(job)
            if not self.wait_ready(timeout):
                self.kill()
                raise ChildTimeout(f"not answered within {timeout:g} s")
            return self.receive()
        except (EOFError, OSError) as e:
            raise ChildGone(self.death(), self.stderr) from e

    def death(self) -> str:
        """Say how the child ended (after its socket closed), for the error answer."""
        try:
            code = self.proc.wait(1)
        except subprocess.TimeoutExpired:
            return "it stopped answering"
        with self._closing:
            self._collect_stderr()
        return f"it was stopped by signal {-code}" if code < 0 else f"it exited with status {code}"

    def kill(self) -> None:
        """Kill the child (if alive), reap it, and close the socket and its stderr pipe (idempotent, thread-safe).

        Every descriptor of the child is closed here even when it does not die within 5 s (a process in
        uninterruptible sleep): a pipe left to the garbage collector is a ResourceWarning in whatever runs then.
        """
        with self._closing:
            if self.alive():
                self.proc.kill()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
            self._collect_stderr()
            if self.proc.stderr is not None:
                self.proc.stderr.close()  # not dead yet: what it wrote is not read, but nothing stays open
            self.sock.close()

    def _collect_stderr(self) -> None:
        if self.proc.stderr is not None and not self.proc.stderr.closed and self.proc.poll() is not None:
            self.stderr += self.proc.stderr.read().decode("utf-8", "replace")
            self.proc.stderr.close()


class Pool:
    """Children of one kind, kept idle for reuse; a child that was killed or died is never reused.

    Thread-safe. :meth:`take` gives an idle live child or a new one; :meth:`give_back` keeps it or kills
    it; :meth:`spare` starts one ahead of need. Every child is killed by :meth:`close` (idempotent), and
    when the pool is garbage-collected.
    """

    def __init__(
        self,
        module: str,
        args: Sequence[str] = (),
        *,
        memory_mb: int = 0,
        no_network: bool = False,
        keep_stderr: bool = False,
    ) -> None:
        self.module, self.args = module, tuple(args)
        self.memory_mb, self.no_network, self.keep_stderr = memory_mb, no_network, keep_stderr
        self._idle: list[Child] = []
        self._all: set[Child] = set()
        self._lock = threading.Lock()
        self.closed = False
        self._finalizer = weakref.finalize(self, Pool._kill_all, self._all)

    def _new(self) -> Child:
        return Child(
            self.module, self.args, memory_mb=self.memory_mb, no_network=self.no_network, keep_stderr=self.keep_stderr
        )

    @staticmethod
    def _kill_all(children: set[Child]) -> None:
        for child in list(children):
            child.kill()
        children.clear()

    def close(self) -> None:
        """Kill every child (idempotent); children given back later are killed too."""
        with self._lock:
            self.closed = True
        self._finalizer()

    def pids(self) -> list[int]:
        """The process ids of the live children."""
        return [c.pid for c in list(self._all) if c.alive()]

    def idle(self) -> int:
        """How many children wait for a job."""
        return len(self._idle)

    def take(self) -> Child:
        """An idle live child, or a new one (not yet started: :meth:`Child.started` waits for it).

        :raises ChildGone: the pool was closed while the new child started (it is killed, never handed out).
        """
        with self._lock:
            child = self._idle.pop() if self._idle else None
        if child is not None and not child.alive():
            self.discard(child)
            child = None
        if child is None:
            child = self._new()
            with self._lock:
                closed = self.closed
                if not closed:
                    self._all.add(child)
            if closed:  # closed while it started: close() has already killed the others and will not see it
                child.kill()
                raise ChildGone("its pool was closed (the work was cancelled)")
        return child

    def give_back(self, child: Child, keep: bool) -> bool:
        """Keep `child` for the next job, or kill it (`keep` False, or the pool closed); say whether it was kept."""
        with self._lock:
            reuse = keep and not self.closed and child.alive()
            if reuse:
                self._idle.append(child)
        if not reuse:
            self.discard(child)
        return reuse

    def discard(self, child: Child) -> None:
        """Kill a child and forget it."""
        with self._lock:
            self._all.discard(child)
        child.kill()

    def spare(self, most_idle: int) -> bool:
        """Start a child ahead of need, kept if fewer than `most_idle` are idle; say whether it was kept."""
        child = self._new()
        with self._lock:
            keep = not self.closed and len(self._idle) < most_idle
            if keep:
                self._all.add(child)
                self._idle.append(child)
        if not keep:
            child.kill()
        return keep

    def run(self, job: Any, timeout: float) -> tuple[Any, bytes]:
        """Run one job in a child of the pool: :meth:`take`, :meth:`Child.call`, :meth:`give_back`.

        :raises ChildTimeout: no answer within `timeout` seconds (the child was killed).
        :raises ChildGone: the child died on the job (`stderr`: what it wrote there, if the pool keeps it).
        """
        child = self.take()
        keep = False
        try:
            answer = child.call(job, timeout)
            keep = True
            return answer
        finally:
            self.give_back(child, keep)
