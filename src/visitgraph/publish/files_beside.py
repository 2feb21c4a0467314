"""A whole build's search index and matcher statistics, derived in a child process beside the ledger (decision 0075).

Publishing a whole generation derives, from the generation in place, the ledger (persistent IRIs and the change
feed), the full-text index (:mod:`visitgraph.queries.searchindex`) and the matcher's statistics
(:mod:`visitgraph.linking.matchstats`). All three are Python work: in one process they take turns on one core
(at a million visits 328 + 221 + 212 s one after the other, while the stored answers' child held the other core
and was done sooner). The two files read only the generation, read-only, and write only their own file, so a
child of their own derives them while the build's process writes the ledger.

The child is one of :mod:`visitgraph.workers.pool`'s: killed when the publish fails or is interrupted (it may
leave a ``.building-*`` file, which the next prune removes, as an interrupted build always could). What it
reports is what the build reported before: each file's figures, or the error that left that file out (an
``OSError`` or ``sqlite3.Error``, or the child's end: derived data, the publish goes on and a missing file is
rebuilt when it is needed). Any other error in the child fails the publish.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from visitgraph.workers.pool import ChildGone, Handler, Pool, serve

#: The child has no deadline of its own: the build waits for it as it waited for the same work done in-process.
NO_DEADLINE_S = 7 * 24 * 3600.0


def derive_files(store_path: str, folder: str, gen_id: str, base: str) -> dict[str, dict[str, Any]]:
    """Write the search index and the matcher statistics of generation `gen_id` (in `folder`), whole.

    Returns ``{"search": {...}, "match": {...}}``: each the build report's entry (``how``, its count, ``seconds``)
    or ``{"error": ...}`` when that file could not be written.
    """
    import pyoxigraph as ox

    from visitgraph.linking.matchstats import build as build_match_stats
    from visitgraph.queries.searchindex import build as build_search_index

    reader = ox.Store.read_only(folder)
    out: dict[str, dict[str, Any]] = {}
    try:
        searched = build_search_index(store_path, reader, gen_id)
        out["search"] = {"how": searched.how, "values": searched.rows, "seconds": searched.seconds}
    except (OSError, sqlite3.Error) as e:
        out["search"] = {"error": f"search index not built: {e}"[:300]}
    try:
        counted = build_match_stats(store_path, reader, gen_id, base)
        out["match"] = {"how": counted.how, "entities": counted.entities, "seconds": counted.seconds}
    except (OSError, sqlite3.Error) as e:
        out["match"] = {"error": f"match statistics not built: {e}"[:300]}
    return out


class FilesBeside:
    """:func:`derive_files` in a child process, started now; :meth:`result` waits for it, :meth:`cancel` kills it."""

    def __init__(self, store_path: Path | str, folder: Path, gen_id: str, base: str) -> None:
        self.pool = Pool("visitgraph.publish.files_beside", keep_stderr=True)
        self._job = {"store": str(store_path), "folder": str(folder), "gen_id": gen_id, "base": base}
        self._outcome: list[tuple[str, Any]] = []
        self._thread = threading.Thread(target=self._run, name="files-beside", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            answer, _ = self.pool.run(self._job, NO_DEADLINE_S)
            if isinstance(answer, tuple):  # the pool's last resort: ("error", (status, message))
                self._outcome.append(("error", RuntimeError(str(answer[1][1]))))
            else:
                self._outcome.append(("ok", answer))
        except ChildGone as e:  # killed (memory) or crashed: the files are left out, like a file that cannot be written
            tail = (e.stderr.strip().splitlines()[-1:] or [e.how])[0]
            self._outcome.append(
                (
                    "ok",
                    {
                        "search": {"error": f"search index not built: its process ended ({tail})"[:300]},
                        "match": {"error": f"match statistics not built: its process ended ({tail})"[:300]},
                    },
                )
            )
        except BaseException as e:  # noqa: BLE001 - handed to the thread that asks for the result
            self._outcome.append(("error", e))
        finally:
            self.pool.close()

    def result(self) -> dict[str, dict[str, Any]]:
        """Wait for the child; its report (see :func:`derive_files`), or raise what stopped it."""
        self._thread.join()
        kind, value = self._outcome[0]
        if kind == "error":
            raise value
        return dict(value)

    def cancel(self) -> None:
        """Kill the child (idempotent) and wait for its thread: nothing more is written."""
        self.pool.close()
        self._thread.join()


def _handler(args: Sequence[str]) -> Handler:
    """The child's side (:func:`visitgraph.workers.pool.serve`)."""

    def answer(request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        return derive_files(request["store"], request["folder"], request["gen_id"], request["base"]), b""

    return answer


if __name__ == "__main__":
    serve(_handler)
