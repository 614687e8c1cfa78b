"""The manager web console: server-rendered pages under /console, and the public results page.

Sign-in with a hashed password, throttled per client address (bot/console/signin.py); the session
lives on the server and the cookie (HttpOnly, SameSite=Lax, Secure in production) only names it;
every form carries a CSRF token; every page checks the manager's community. Pages call the same
domain services as the REST API, so the rules and refusals are the same.
"""

from __future__ import annotations

from flask import Blueprint

from bot.console import (
    access,
    agenda_pages,
    ballot_pages,
    guard,
    live_pages,
    login_pages,
    overview,
    proposal_pages,
    public_pages,
    resident_pages,
    room_pages,
)

console = Blueprint("console", __name__, url_prefix="/console", template_folder="templates")
public = Blueprint("public", __name__, template_folder="templates")

console.before_request(guard.guard)
console.app_context_processor(guard.template_helpers)
for _module in (login_pages, overview, ballot_pages, live_pages, proposal_pages, resident_pages,
                room_pages, access, agenda_pages):
    _module.pages.register(console)
public_pages.pages.register(public)
live_pages.public.register(public)

__all__ = ["console", "public"]
