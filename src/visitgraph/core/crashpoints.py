"""Named crash points along the write path, for fault-injection tests.

Set ``VISITGRAPH_CRASH_AT=<name>`` in a process's environment and it kills itself with SIGKILL
(no cleanup, no ``finally``, no flush) the moment it reaches that point: the same as a power cut
or ``kill -9`` there. Unset, a crash point costs one comparison with ``None``.

Every point a call site names must be listed in :data:`POINTS` (a test enumerates them, kills a
child at each, restarts and checks that nothing acknowledged was lost; see decision 0016).
"""

from __future__ import annotations

import os
import signal

#: Every crash point, in the order a write reaches them.
POINTS: tuple[str, ...] = (
    "journal.written",  # the intent is durable; no input changed yet
    "inputs.written",  # the pending changeset / swapped files are durable; nothing staged yet
    "validation.dump_part",  # a whole build's dump: a graph's part joined, other parts on disk, others being written (0078)
    "validation.beside",  # a whole build's dump is written and validated in a thread; nothing in place (0065)
    "generation.before_rename",  # validated and flushed; the staged folder is not in place
    "generation.after_rename",  # generations/gNNNNNN is in place; inputs and answers not saved
    "answers.before_rename",  # the new stored answers are written aside (maintained or derived); not in place
    "validation.verdict",  # ledger, search index and statistics derived beside the validation; its report not read
    "switch.before",  # derived data saved; CURRENT still names the old generation
    "remote.after_push",  # remote backend: the server shows the new state; CURRENT not yet written
    "switch.after",  # CURRENT names the new generation; the history line is not written
    "history.after",  # the history line is written; the pending changeset is not renamed
    "changeset.after_rename",  # the changeset has its final name; the journal entry remains
    "journal.removed",  # everything done, just before the caller is answered
    "rollback.journal_written",  # rollback: the intent is durable; the pointer is unchanged
    "rollback.after_switch",  # rollback: the older generation is current; inputs not yet set aside
    "rollback.inputs_moved",  # rollback: inputs set aside / restored; the journal entry remains
)

_AT = os.environ.get("VISITGRAPH_CRASH_AT") or None


def crash_point(name: str) -> None:
    """Kill this process at once (SIGKILL) if `VISITGRAPH_CRASH_AT` names this point."""
    if _AT is not None and _AT == name:
        os.kill(os.getpid(), signal.SIGKILL)
