"""Conversation handlers. Importing the package fills the state table (placeholders last)."""

from __future__ import annotations

import importlib
import pkgutil

from handlers.base import KEYWORDS, STATES, Ctx, State

for _module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _module.name not in {"base", "placeholders"}:
        importlib.import_module(f"{__name__}.{_module.name}")
importlib.import_module(f"{__name__}.placeholders")

__all__ = ["KEYWORDS", "STATES", "Ctx", "State"]
