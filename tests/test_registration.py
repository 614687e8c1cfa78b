"""Registration is explicit (issue 20): create_app, handlers.install, scheduler/tasks.py,
adapters/channels.py, bot/api and bot/console list what they register. These tests fail when a
new module's routes, jobs or channel would be silently left out, and when discovery by import
(pkgutil, importlib) creeps back."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import adapters
import bot.api
import bot.console
import scheduler
from adapters.channels import CHANNELS
from scheduler.tasks import JOBS

ROOT = Path(__file__).resolve().parent.parent


def _modules(package) -> list:  # noqa: ANN001
    return [importlib.import_module(f"{package.__name__}.{m.name}")
            for m in pkgutil.iter_modules(package.__path__)]


def test_every_clock_job_is_listed_once():
    named = {func for module in _modules(scheduler) if module.__name__.endswith("_jobs")
             for _, func in inspect.getmembers(module, inspect.isfunction)
             if hasattr(func, "job_name")}
    assert named == set(JOBS)
    assert len({func.job_name for func in JOBS}) == len(JOBS) == 10


def test_every_channel_module_is_listed():
    speaking = {module for module in _modules(adapters) if hasattr(module, "SENDER")}
    assert speaking == set(CHANNELS)


def test_every_api_and_console_route_is_registered(app):
    rules = {rule.endpoint for rule in app.url_map.iter_rules()}
    for module in _modules(bot.api):
        if hasattr(module, "routes"):
            views = [name for name, f in inspect.getmembers(module, inspect.isfunction)
                     if hasattr(f, "operation")]
            assert views and {f"api.{module.routes.name}.{v}" for v in views} <= rules, \
                module.__name__
    for module in _modules(bot.console):
        pages = getattr(module, "pages", None)
        if pages is not None:
            assert pages.routes, module.__name__
            assert {view.__name__ for _, view, _ in pages.routes} <= {
                endpoint.split(".", 1)[1] for endpoint in rules
                if endpoint.startswith(("console.", "public."))}, module.__name__


def test_nothing_is_discovered_by_importing_modules():
    for package in ("bot", "handlers", "adapters", "scheduler"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text()
            assert "pkgutil" not in text and "import_module(" not in text, path
