"""Channel adapters: each turns its provider's payload into an `Inbound` and renders a `Reply`.

adapters/channels.py lists them; `create_app` registers the blueprint of each that has one.
"""

from __future__ import annotations

from flask import Blueprint

from bot.config import Settings


def blueprints(settings: Settings) -> list[Blueprint]:
    from adapters.channels import CHANNELS

    found = []
    for mod in CHANNELS:
        factory = getattr(mod, "make_blueprint", None)
        if factory is not None:
            blueprint = factory(settings)
            if blueprint is not None:
                found.append(blueprint)
    return found
