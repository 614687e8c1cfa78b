"""Channel adapters: each turns its provider's payload into an `Inbound` and renders a `Reply`.

Every module here that defines `make_blueprint(settings)` gets its routes registered, so adding a
channel touches only this package and configuration.
"""

from __future__ import annotations

import importlib
import pkgutil

from flask import Blueprint

from bot.config import Settings


def load_all() -> list:
    """Import every adapter module (they register their senders and blueprints)."""
    return [importlib.import_module(f"{__name__}.{module.name}")
            for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)]


def blueprints(settings: Settings) -> list[Blueprint]:
    found = []
    for mod in load_all():
        factory = getattr(mod, "make_blueprint", None)
        if factory is not None:
            blueprint = factory(settings)
            if blueprint is not None:
                found.append(blueprint)
    return found
