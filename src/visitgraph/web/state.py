"""What the views share: the app's settings and store, reached through the current app (no globals)."""

from __future__ import annotations

from typing import Any

from flask import current_app

from visitgraph.core.config import Settings
from visitgraph.store.backend import Store


class AppState:
    """What the views share: settings and the store (no globals)."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.extras: dict[str, Any] = {}


def get_state() -> AppState:
    """Return the current app's shared state."""
    state: AppState = current_app.extensions["visitgraph"]
    return state


def get_store() -> Store:
    """Return the current app's store."""
    return get_state().store


def get_settings() -> Settings:
    """Return the current app's settings."""
    return get_state().settings
