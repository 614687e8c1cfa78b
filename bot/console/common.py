"""What the console's pages share: their routes (`Pages`), local times, and running a service with
its refusal shown."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash

from bot.app import db_session
from bot.catalogue import t
from bot.console.guard import check_scope
from bot.errors import DomainError
from bot.models import Community
from bot.presenters import flash_error


def local(community: Community, moment) -> str:  # noqa: ANN001
    if moment is None:
        return "-"
    return moment.astimezone(ZoneInfo(community.timezone)).strftime("%Y-%m-%d %H:%M")


def owned(model: type, row_id: int):  # noqa: ANN201
    """A row of `model` (a ballot, a proposal) the manager may reach: 404 unknown, 403 another
    community's."""
    row = db_session().get(model, row_id)
    if row is None:
        abort(404)
    check_scope(row.community_id)
    return row


def attempt(action: Callable[[], object], success: str | Callable[[], str]) -> bool:
    """Run a service; commit and flash `success`, or roll back and show its refusal in plain
    words instead of failing."""
    try:
        action()
    except DomainError as refusal:
        db_session().rollback()
        flash_error(refusal)
        return False
    db_session().commit()
    flash(success() if callable(success) else success, "ok")
    return True


def said(key: str, **values: object) -> str:
    """A console sentence from the catalogue (`console.<key>`)."""
    return t(f"console.{key}", **values)


class Pages:
    """The routes and template helpers a page module declares; bot/console/__init__.py registers
    each module's `pages` on its blueprint (endpoint names stay `console.<view>`)."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, Callable, list[str]]] = []
        self.globals: list[tuple[str, Callable]] = []

    def route(self, rule: str, methods: list[str]) -> Callable[[Callable], Callable]:
        def add(view: Callable) -> Callable:
            self.routes.append((rule, view, methods))
            return view
        return add

    def get(self, rule: str) -> Callable[[Callable], Callable]:
        return self.route(rule, ["GET"])

    def post(self, rule: str) -> Callable[[Callable], Callable]:
        return self.route(rule, ["POST"])

    def template_global(self, name: str | None = None) -> Callable[[Callable], Callable]:
        def add(func: Callable) -> Callable:
            self.globals.append((name or func.__name__, func))
            return func
        return add

    def register(self, blueprint: Blueprint) -> None:
        for rule, view, methods in self.routes:
            blueprint.add_url_rule(rule, view.__name__, view, methods=methods)
        for name, func in self.globals:
            blueprint.add_app_template_global(func, name)
