"""Helpers of the adversarial suites: a socket listener as the SSRF oracle, raw HTTP from chosen
loopback addresses, the server's process tree and its memory, and the "still healthy" check."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conftest import LiveServer, cpu_ticks, wait_until


class Listener:
    """Listen on 127.0.0.1 and ::1 (same port where possible) and count every connection made to it."""

    def __init__(self) -> None:
        self.socks: list[socket.socket] = []
        v4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        v4.bind(("127.0.0.1", 0))
        self.port = int(v4.getsockname()[1])
        self.socks.append(v4)
        try:
            v6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            v6.bind(("::1", self.port))
            self.socks.append(v6)
        except OSError:
            pass
        self.connections: list[tuple[str, Any]] = []
        self._stop = threading.Event()
        self._threads = []
        for s in self.socks:
            s.listen(16)
            s.settimeout(0.1)
            t = threading.Thread(target=self._accept, args=(s,), daemon=True)
            t.start()
            self._threads.append(t)

    def _accept(self, sock: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                conn, addr = sock.accept()
            except OSError:
                continue
            self.connections.append(("accepted", addr))
            conn.close()

    def close(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(2)
        for s in self.socks:
            s.close()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    server: LiveServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    source: str = "127.0.0.1",
    timeout: float = 30.0,
) -> Answer:
    """Send one request from a chosen loopback address and return its answer (any status)."""
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout, source_address=(source, 0))
    try:
        try:
            conn.request(method, path, body=body, headers=headers or {})
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the whole body was read (a 503 at once): its answer is already in the socket
        resp = conn.getresponse()
        data = resp.read()
        return Answer(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data, time.monotonic() - started)
    finally:
        conn.close()


def children(pid: int) -> list[int]:
    """Return the direct children of `pid` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def server_process(pid: int) -> int:
    """Return granian's server process below `serve` (not multiprocessing's resource tracker)."""
    for child in children(pid):
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
            return child
    raise AssertionError("serve has no server process")


def tree(pid: int) -> list[int]:
    """Return `pid` and every process below it."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out


def worker_ticks(server: LiveServer) -> dict[int, int]:
    """CPU clock ticks of every process below granian's server process (its query and validation workers)."""
    out = {}
    for pid in tree(server_process(server.proc.pid))[1:]:
        try:
            out[pid] = cpu_ticks(pid)
        except OSError:  # ended meanwhile
            continue
    return out


def wait_for_busy_workers(server: LiveServer, before: dict[int, int], what: str, ticks: int = 5) -> None:
    """Wait until a worker has used `ticks` clock ticks more than in `before` (taken before the work was
    sent; a worker started later counts from when it is first seen): the work is running, not queued."""
    seen = dict(before)

    def busy() -> bool:
        now = worker_ticks(server)
        for pid, used in now.items():
            seen.setdefault(pid, used)
        return any(used - seen[pid] >= ticks for pid, used in now.items())

    wait_until(busy, what)


def server_processes(server: LiveServer) -> tuple[int, ...]:
    """The `serve` process and its direct children (granian's server process): what must never change."""
    return (server.proc.pid, *sorted(children(server.proc.pid)))


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


@dataclass
class MemoryWatch:
    """Sample the RSS of the whole server tree every 50 ms while a test runs; keep the peak."""

    pid: int
    peak: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> MemoryWatch:
        def run() -> None:
            while not self._stop.is_set():
                self.peak = max(self.peak, rss_mb(tree(self.pid)))
                self._stop.wait(0.05)

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)


def assert_healthy(
    server: LiveServer, processes: tuple[int, ...], listener: Listener, watch: MemoryWatch, memory_mb: float
) -> None:
    """The server answers health within 1 s, with the same process tree; nothing reached the listener;
    the tree's memory stayed under `memory_mb`."""
    assert server.proc.poll() is None, "the serve process exited"
    health = call(server, "GET", "/-/health", timeout=1.0)
    assert health.status == 200 and health.seconds < 1.0, (health.status, health.seconds)
    assert server_processes(server) == processes, "the server's process tree changed (a crash was not contained)"
    assert listener.connections == [], f"the listener was reached: {listener.connections}"
    assert watch.peak < memory_mb, f"the server tree grew to {watch.peak:.0f} MB"


def assert_error(answer: Answer, *statuses: int, mentions: str | None = None) -> None:
    """The answer is one of `statuses` in the project's JSON error shape (naming `mentions`, when given)."""
    assert answer.status in statuses, (answer.status, answer.body[:300])
    doc = answer.json()
    assert doc["ok"] is False and doc["status"] == answer.status and doc["error"]
    if mentions is not None:
        assert mentions in doc["error"], doc["error"]
