"""The web shell: `create_app()` builds a Flask app over the library."""

from __future__ import annotations

import functools
import logging
import sys
from typing import Any

from flask import Flask, current_app

from visitgraph.config import Settings, load_settings
from visitgraph.store import EmbeddedStore, store_from_settings

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
    "visitgraph.web.dumps",
    "visitgraph.web.graphstore",
    "visitgraph.web.validation",
)


class AppState:
    """What the views share: settings and the store (no globals)."""

    def __init__(self, settings: Settings, store: EmbeddedStore) -> None:
        self.settings = settings
        self.store = store
        self.extras: dict[str, Any] = {}


def create_app(settings: Settings | None = None) -> Flask:
    """Create the visitgraph web application.

    :param settings: the instance's settings (defaults to :func:`load_settings` of the cwd).
    """
    import importlib

    from visitgraph.web.errors import register_error_handlers

    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["visitgraph"] = AppState(settings, store_from_settings(settings))
    for name in BLUEPRINTS:
        module = importlib.import_module(name)
        app.register_blueprint(module.bp)
    register_error_handlers(app)
    return app


def get_state() -> AppState:
    """Return the current app's shared state."""
    state: AppState = current_app.extensions["visitgraph"]
    return state


def get_store() -> EmbeddedStore:
    """Return the current app's store."""
    return get_state().store


def get_settings() -> Settings:
    """Return the current app's settings."""
    return get_state().settings


#: The `Server` header of every response of `serve` (tests and operators check it).
SERVER_NAME = "visitgraph"


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


def _served_app(settings: Settings) -> Flask:
    """Build the app inside the server's process (spawned: nothing of the parent's store state is inherited)."""
    configure_access_log(settings.log_level)
    return create_app(settings)


def serve_forever(settings: Settings) -> None:
    """Serve the app under granian (Rust HTTP/1.1 server, WSGI interface) until interrupted.

    One server process runs the app with `settings.threads` Python threads; HTTP parsing and
    writing stay in Rust. The query-worker processes are children of that process.
    """
    import multiprocessing

    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    # A fresh interpreter for the server process, not a fork: a build run by `serve` before this
    # point has started RocksDB's background threads, which a forked child would wait on forever.
    multiprocessing.set_start_method("spawn", force=True)
    server = Server("visitgraph.web:create_app", address=settings.host, port=int(settings.port),
                    interface=Interfaces.WSGI, workers=1, blocking_threads=max(1, int(settings.threads)),
                    runtime_threads=1, log_enabled=True, log_level=LogLevels.error, log_access=False, respawn_failed_workers=True)
    server.serve(target_loader=functools.partial(_served_app, settings), wrap_loader=False)
