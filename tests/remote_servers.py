"""Start real SPARQL servers on 127.0.0.1 for the remote-backend tests: Oxigraph server and Virtuoso."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conftest import ServerExited, start_on_free_port


@dataclass
class SparqlServer:
    """A running SPARQL server process and how to reach it."""

    name: str
    query_url: str
    update_url: str
    user: str = ""
    password: str = ""
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    log: Path | None = None
    log_file: Any = field(default=None, repr=False)

    def settings_overrides(self) -> dict[str, object]:
        return {
            "backend": "remote",
            "remote_query_url": self.query_url,
            "remote_update_url": self.update_url,
            "remote_user": self.user,
            "remote_password": self.password,
        }

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._close_log()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        self._close_log()

    def _close_log(self) -> None:
        if self.log_file is not None and not self.log_file.closed:
            self.log_file.close()


def _wait_sparql(url: str, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll the query URL until it answers; raise ServerExited if `proc` ends first (port taken)."""
    deadline = time.monotonic() + timeout
    query = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise ServerExited(f"the server for {url} exited with {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(query, timeout=3):
                return
        except (urllib.error.URLError, OSError) as e:
            last = e
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up in {timeout} s: {last}")


def oxigraph_binary() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


def start_oxigraph(workdir: Path) -> SparqlServer:
    """Start `oxigraph serve` (PyPI package `oxigraph`) on a free loopback port."""
    exe = oxigraph_binary()
    if exe is None:
        raise RuntimeError("the `oxigraph` server is not installed: pip install oxigraph==0.5.13")
    return start_on_free_port(lambda port: _start_oxigraph(exe, workdir, port))


def _start_oxigraph(exe: str, workdir: Path, port: int) -> SparqlServer:
    log = workdir / "oxigraph.log"
    log_file = open(log, "wb")  # noqa: SIM115 (closed by stop/kill)
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(workdir / "oxigraph-db"), "--bind", f"127.0.0.1:{port}"],
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    server = SparqlServer("oxigraph", base + "/query", base + "/update", proc=proc, log=log, log_file=log_file)
    try:
        _wait_sparql(server.query_url, 30, proc)
    except RuntimeError:
        server.stop()
        raise
    return server


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {d}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def start_virtuoso(workdir: Path) -> SparqlServer:
    """Start Virtuoso Open Source (Debian `virtuoso-opensource`) on free loopback ports."""
    exe = shutil.which("virtuoso-t")
    if exe is None:
        raise RuntimeError("Virtuoso is not installed: apt-get install virtuoso-opensource")
    d = workdir / "virtuoso"
    d.mkdir(parents=True, exist_ok=True)
    return start_on_free_port(lambda http: start_on_free_port(lambda sql: _start_virtuoso(exe, d, http, sql), 1))


def _start_virtuoso(exe: str, d: Path, http: int, sql: int) -> SparqlServer:
    if http == sql:
        raise ServerExited("the HTTP and SQL ports came out equal")
    (d / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=d, sql=sql, http=http))
    log = d / "stdout.log"
    log_file = open(log, "wb")  # noqa: SIM115 (closed by stop/kill)
    proc = subprocess.Popen(
        [exe, "+foreground", "+configfile", str(d / "virtuoso.ini")], cwd=d, stdout=log_file, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{http}"
    server = SparqlServer(
        "virtuoso",
        base + "/sparql",
        base + "/sparql-auth",
        user="dba",
        password="dba",
        proc=proc,
        log=log,
        log_file=log_file,
    )
    try:
        _wait_sparql(server.query_url, 90, proc)
    except RuntimeError:
        server.stop()
        raise
    return server
