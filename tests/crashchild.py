"""A child process for the fault-injection tests: one write, build or rollback, killed where told.

Run as ``python tests/crashchild.py ROOT STORE MODE [ARG]`` with ``VISITGRAPH_CRASH_AT`` set; it
prints ``ACK <generation>`` when the operation returned (what a 2xx answer stands for).
"""

from __future__ import annotations

import sys
from pathlib import Path

from visitgraph.core.config import load_settings
from visitgraph.sparql.guards import Guard
from visitgraph.store.backend import store_from_settings


def main(root: str, store_path: str, mode: str, arg: str = "", *extra: str) -> None:
    """Run one operation on the project at `root`."""
    overrides: dict[str, object] = {"store": store_path}
    for pair in extra:
        key, _, value = pair.partition("=")
        overrides[key] = value
    settings = load_settings(Path(root), overrides, environ={})
    store = store_from_settings(settings)
    if mode == "write":
        from visitgraph.publish.writes import write_update

        report = write_update(settings, store, arg, who="child", what="crash test", guard=Guard())
        print("ACK", report.generation.id if report.generation else "", flush=True)
    elif mode == "build":
        from visitgraph.publish.pipeline import build

        report = build(settings, store, who="child")
        print("ACK", report.generation.id if report.generation else "", flush=True)
    elif mode == "rollback":
        from visitgraph.publish.undo import rollback

        done = rollback(settings, store, arg or None, who="child", restore_files=True)
        print("ACK", done.generation.id, flush=True)
    elif mode == "accept":
        from visitgraph.publish.linkset_review import review_linkset

        review_linkset(settings, store, arg, accept=True, reviewer="child")
        print("ACK", store.require_current().id, flush=True)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(*sys.argv[1:])
