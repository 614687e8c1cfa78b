"""The JSON REST API for managers and integrations, under /api/v1.

Each resource lives in its own module of this package and adds its routes to `api`.
"""

from __future__ import annotations

import importlib
import pkgutil

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")

for _module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["api"]
