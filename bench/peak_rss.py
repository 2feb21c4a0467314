"""Sample the resident memory of every build of one project and its child processes, every 0.5 s, until stopped.

A build is a process whose command line contains `--root <project>` and `build`; with it, all its descendants
(stored-answer children, the ledger / search index / matcher statistics children of decision 0057). On SIGTERM
or SIGINT it prints, per build (pid, and the PYTHONPATH it ran with: which checkout), the peak of the sum of
their RSS, when it was reached, and the largest RSS each kind of process reached. In the example it is
started in the background, the builds of /tmp/s11-bench/p100k are run, then it is stopped.

Example:

    python bench/peak_rss.py /tmp/s11-bench/p100k > rss.txt &
    kill %1
"""

from __future__ import annotations

import argparse
import signal
import time
from pathlib import Path
from typing import Any


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _table() -> dict[int, tuple[int, int, str]]:
    """pid -> (parent pid, RSS in KiB, command line)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _read(entry / "stat").decode(errors="replace")
        status = _read(entry / "status").decode(errors="replace")
        if not stat or not status:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        rss = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        cmd = _read(entry / "cmdline").replace(b"\0", b" ").decode(errors="replace").strip()
        out[int(entry.name)] = (ppid, rss, cmd)
    return out


def _kind(cmd: str) -> str:
    for name in ("visitgraph.queries.answerindex", "visitgraph.publish.derived", "shacl"):
        if name in cmd:
            return name.rsplit(".", 1)[-1]
    return "build" if " build" in cmd else cmd.split(" ", 2)[-1][:40]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("project", type=Path, help="the project folder the builds run with (--root)")
    project_dir = parser.parse_args().project
    if not project_dir.is_dir():
        parser.error(f"{project_dir} is not a folder: give the project the builds are started with (--root)")
    project = str(project_dir)
    builds: dict[int, dict[str, Any]] = {}
    stop = False

    def done(*_: Any) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, done)
    signal.signal(signal.SIGINT, done)
    while not stop:
        table = _table()
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in table.items():
            children.setdefault(ppid, []).append(pid)
        for pid, (_, _, cmd) in table.items():
            if f"--root {project} " in cmd + " " and " build" in cmd:
                if pid not in builds:
                    env = _read(Path(f"/proc/{pid}/environ")).split(b"\0")
                    where = next((e.decode() for e in env if e.startswith(b"PYTHONPATH=")), "")
                    builds[pid] = {"where": where, "peak": 0, "at": "", "kinds": {}}
                tree, todo = [], [pid]
                while todo:
                    p = todo.pop()
                    tree.append(p)
                    todo += children.get(p, [])
                total = sum(table[p][1] for p in tree if p in table)
                b = builds[pid]
                if total > b["peak"]:
                    b["peak"], b["at"] = total, time.strftime("%H:%M:%S", time.gmtime())
                    b["at_kinds"] = sorted((_kind(table[p][2]), table[p][1] // 1024) for p in tree if p in table)
                for p in tree:
                    if p in table:
                        k = _kind(table[p][2])
                        b["kinds"][k] = max(b["kinds"].get(k, 0), table[p][1])
        time.sleep(0.5)
    for pid, b in builds.items():
        kinds = ", ".join(f"{k} {v // 1024} MiB" for k, v in sorted(b["kinds"].items()))
        print(f"build {pid} {b['where']}: peak {b['peak'] // 1024} MiB at {b['at']} UTC {b.get('at_kinds')}")
        print(f"  largest per kind of process: {kinds}")


if __name__ == "__main__":
    main()
