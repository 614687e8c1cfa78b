"""The JSON REST API for managers and integrations, under /api/v1.

Each resource has its own module and blueprint (`routes`); they are listed here, nested in `api`,
which `create_app` registers. bot/api/openapi.py describes every route and refuses a query
parameter an operation does not take.
"""

from __future__ import annotations

from flask import Blueprint

from bot.api import (
    access,
    agenda,
    ballots,
    communities,
    live,
    me,
    notices,
    openapi,
    proposals,
    residents,
    rooms,
)

api = Blueprint("api", __name__, url_prefix=openapi.PREFIX)
api.before_request(openapi.known_parameters)
for _resource in (communities, access, ballots, live, proposals, residents, rooms, notices, me,
                  agenda, openapi):
    api.register_blueprint(_resource.routes)

__all__ = ["api"]
