"""The web shell: `create_app()` builds a Flask app over the library.

Layer 12 (a shell, below only `cli`): may import every library layer; views reach the store through
:mod:`visitgraph.web.state`, never through this package's `__init__`.
"""

from __future__ import annotations

import functools
import logging
import sys
from typing import Any

from flask import Flask

from visitgraph.core.config import Settings, find_root, load_settings
from visitgraph.store.backend import store_from_settings
from visitgraph.web.admission import SERVER_NAME
from visitgraph.web.state import AppState, get_settings, get_state, get_store

__all__ = ["SERVER_NAME", "AppState", "create_app", "get_settings", "get_state", "get_store"]

#: Blueprint modules, each exposing `bp`; registered in this order.
BLUEPRINTS = (
    "visitgraph.web.observe",
    "visitgraph.web.system",
    "visitgraph.web.sparql",
    "visitgraph.web.workbench",
    "visitgraph.web.queries",
    "visitgraph.web.reconcile",
    "visitgraph.web.linksets",
    "visitgraph.web.pages",
    "visitgraph.web.search",
    "visitgraph.web.dumps",
    "visitgraph.web.graphstore",
    "visitgraph.web.validation",
    "visitgraph.web.feed",
)


def create_app(settings: Settings | None = None) -> Flask:
    """Create the visitgraph web application.

    :param settings: the instance's settings (default: those of the project at or above the current folder).
    """
    import importlib

    from visitgraph.web.admission import BodyGate, HeavyGate
    from visitgraph.web.errors import register_error_handlers
    from visitgraph.web.http import safe_href
    from visitgraph.web.lane import QueryLane

    settings = settings or load_settings(find_root())
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["visitgraph"] = AppState(settings, store_from_settings(settings))
    for name in BLUEPRINTS:
        module = importlib.import_module(name)
        app.register_blueprint(module.bp)
    register_error_handlers(app)
    app.jinja_env.filters["safe_href"] = safe_href
    heavy = HeavyGate(settings.threads)
    app.extensions["visitgraph_gate"] = heavy
    app.wsgi_app = BodyGate(app.wsgi_app, heavy, settings.max_body)  # type: ignore[method-assign]
    app.wsgi_app = QueryLane(app, app.wsgi_app)  # type: ignore[method-assign]  # plain query GETs: decision 0053
    return app


def configure_access_log(level: str) -> None:
    """Send the `visitgraph.*` loggers (the JSON access log at INFO) to stderr at `level`."""
    logger = logging.getLogger("visitgraph")
    logger.setLevel(getattr(logging, str(level).upper(), logging.INFO))
    if not any(getattr(h, "_visitgraph", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler._visitgraph = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.propagate = False


def _served_app(settings: Settings) -> Any:
    """Build the app inside the server's process (spawned: nothing of the parent's store state is inherited).

    It is served through the ASGI gateway: bodies are received under `body_timeout` before the
    Flask app runs on `threads` threads (decision 0031).
    """
    from visitgraph.web.gateway import Gateway

    configure_access_log(settings.log_level)
    return Gateway(create_app(settings), settings.threads, settings.max_body, settings.body_timeout)


def port_taken(host: str, port: int) -> bool:
    """Say whether another process already listens on (host, port) — even one that shares ports."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def serve_forever(settings: Settings) -> None:
    """Serve the app under granian (Rust HTTP/1.1 server, ASGI interface) until interrupted.

    One server process receives request bodies on its event loop (within `body_timeout`, else 408)
    and runs the WSGI app with `settings.threads` Python threads; HTTP parsing and writing stay in
    Rust. The query-worker processes are children of that process. A port already in use is
    refused (granian shares ports, so two servers would split the traffic); headers must arrive
    within `header_timeout`; a server process that dies is started again, however often.

    :raises VisitgraphError: the port is taken.
    """
    import multiprocessing

    from granian.constants import Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels

    from visitgraph.core.errors import VisitgraphError

    if port_taken(settings.host, int(settings.port)):
        raise VisitgraphError(
            f"Port {settings.port} on {settings.host} is already in use (another server?). "
            "Stop it, or choose another port with --port or the port setting."
        )
    # A fresh interpreter for the server process, not a fork: a build run by `serve` before this
    # point has started RocksDB's background threads, which a forked child would wait on forever.
    multiprocessing.set_start_method("spawn", force=True)
    http1 = HTTP1Settings(header_read_timeout=max(1, int(settings.header_timeout * 1000)))
    server = _supervisor_class()(
        "visitgraph.web:create_app",
        address=settings.host,
        port=int(settings.port),
        interface=Interfaces.ASGINL,
        workers=1,
        blocking_threads=1,
        runtime_threads=1,
        log_enabled=True,
        log_level=LogLevels.error,
        log_access=False,
        respawn_failed_workers=True,
        http1_settings=http1,
    )
    server.serve(target_loader=functools.partial(_served_app, settings), wrap_loader=False)


#: Pause before starting a server process again after a crash (no busy loop on a crash at start-up).
RESPAWN_PAUSE_S = 0.2


def _supervisor_class() -> type[Any]:
    """Return granian's server with its crash-loop exit removed: `serve` restarts a dead server process every time.

    granian gives up ("Worker crash loop detected, exiting") when a worker dies twice within 5.5 s,
    which left the port closed until someone restarted the service; here the respawn time it checks
    is forgotten, and a short pause keeps a crash at start-up from spinning (decision 0015).
    """
    import time

    from granian.server import Server

    class Supervisor(Server):  # type: ignore[misc, valid-type]
        def _respawn_workers(self, workers: Any, spawn_target: Any, target_loader: Any, delay: float = 0) -> None:
            if not delay:  # granian respawns a crashed worker without delay (reloads and lifetimes with one)
                time.sleep(RESPAWN_PAUSE_S)
            super()._respawn_workers(workers, spawn_target, target_loader, delay)
            for idx in workers:
                self.respawned_wrks.pop(idx, None)

    return Supervisor
