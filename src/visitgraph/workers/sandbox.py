"""Confine a query-worker process: a memory ceiling, and no network at all when nothing may be reached.

Called first thing in a fresh worker (still single-threaded): the network namespace is left by
`unshare(2)` (as root directly; otherwise inside a new user namespace), so even a SERVICE or LOAD
the text guard missed finds no route off the machine — not even to the loopback of the host.
The memory ceiling is `RLIMIT_DATA` (heap and private mappings, not the store's file mappings).
"""

from __future__ import annotations

import ctypes
import os
import resource
import sys

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def drop_network() -> bool:
    """Move this process into a new, empty network namespace; say whether it worked."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    attempts = (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET) if os.geteuid() == 0 else (CLONE_NEWUSER | CLONE_NEWNET,)
    return any(libc.unshare(flags) == 0 for flags in attempts)


def limit_memory(megabytes: int) -> None:
    """Cap this process's data segment at `megabytes` MiB (0: leave it alone)."""
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def confine(memory_mb: int, no_network: bool) -> None:
    """Apply both confinements; a network namespace that cannot be had is reported on stderr (the guard remains)."""
    if no_network and not drop_network():
        print(
            "visitgraph: this query worker could not leave the network (unshare refused); "
            "the SERVICE/LOAD guard alone keeps queries off the network.",
            file=sys.stderr,
        )
    limit_memory(memory_mb)
