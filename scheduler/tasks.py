"""Loads every `scheduler/*_jobs.py` module: each domain registers its clock jobs in its own."""

from __future__ import annotations

import importlib
import pkgutil

import scheduler

for _module in sorted(pkgutil.iter_modules(scheduler.__path__), key=lambda m: m.name):
    if _module.name.endswith("_jobs"):
        importlib.import_module(f"scheduler.{_module.name}")
