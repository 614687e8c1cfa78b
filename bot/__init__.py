"""Maeul core: the app factory, configuration, models and domain services."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # The app (and with it prometheus_client) is imported on first use, not with the package:
    # gunicorn's master reads bot.gunicorn_conf first, which must set PROMETHEUS_MULTIPROC_DIR
    # before any metric exists.
    if name == "create_app":
        from bot.app import create_app

        return create_app
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
