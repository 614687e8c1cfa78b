"""Maeul core: the app factory, configuration, models and domain services."""

from bot.app import create_app

__all__ = ["create_app"]
