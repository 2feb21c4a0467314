"""The web shell: `create_app()` builds a Flask app over the library."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from visitgraph.config import Settings, load_settings
from visitgraph.store import EmbeddedStore, store_from_settings

#: Blueprint modules, each exposing `bp`; registered in this order.
BLUEPRINTS = (
    "visitgraph.web.observe",
    "visitgraph.web.system",
    "visitgraph.web.sparql",
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
