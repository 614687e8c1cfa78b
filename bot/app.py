"""The Flask application factory: configuration read and checked once, blueprints per audience."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.orm import Session

import handlers
from bot import logs, metrics, presenters, readiness, web
from bot.config import Settings, load_settings
from bot.db import Database
from bot.models import utcnow
from bot.text import clean


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web app. Raises `ConfigError` naming every problem before serving anything."""
    settings = load_settings(config)
    app = Flask(__name__)
    app.url_map.converters["int"] = web.RowId
    app.config["SECRET_KEY"] = settings["SECRET_KEY"]
    app.config["MAX_CONTENT_LENGTH"] = max(settings["MAX_WEBHOOK_BYTES"], 10 * 1024 * 1024)
    app.config["JSON_AS_ASCII"] = False
    web.install(app, production=settings.env == "production", proxy_count=settings["PROXY_COUNT"])
    # What was stored before input was cleaned is cleaned on the way out too.
    app.jinja_env.finalize = lambda value: clean(value) if isinstance(value, str) else value
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = settings.env == "production"
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=settings["CONSOLE_SESSION_MAX_HOURS"])
    app.extensions["maeul.settings"] = settings
    database = Database(settings["DATABASE_URL"], settings["DB_POOL_SIZE"])
    app.extensions["maeul.db"] = database
    if settings["DB_CREATE_ALL"]:
        database.create_all()
    if not logging.getLogger().handlers or settings.env == "production":
        logs.configure(logs.wants_json(settings.env, settings["LOG_FORMAT"]),
                       settings["LOG_LEVEL"])
    logs.install(app)

    presenters.install(app)
    handlers.install()
    _register_blueprints(app, settings)
    _operations(app, settings, database)

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    return app


def _operations(app: Flask, settings: Settings, database: Database) -> None:
    """/healthz (alive), /readyz (able to work) and /metrics (for Prometheus)."""
    scraped = metrics.database_registry(database)

    @app.get("/healthz")
    def healthz():
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return jsonify({"status": "ok"})

    @app.get("/readyz")
    def readyz():
        without = frozenset(request.args.get("without", "").split(",")) & set(readiness.CHECKS)
        results = readiness.checks(database, settings, utcnow(), without)
        ready = all(check["ok"] for check in results.values())
        return jsonify({"status": "ready" if ready else "not_ready",
                        "checks": results}), 200 if ready else 503

    @app.get("/metrics")
    def metrics_view():
        refusal = metrics.access(settings, request.headers.get("Authorization", ""),
                                 request.remote_addr)
        if refusal is not None:
            status = 403 if refusal != "metrics_token_required" else 401
            answer, status = presenters.error_response(status, refusal, METRICS_REFUSALS[refusal])
            if status == 401:
                answer.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return answer, status
        return Response(metrics.exposition(scraped), mimetype=CONTENT_TYPE_LATEST)


METRICS_REFUSALS = {
    "metrics_disabled": "Metrics are off: set METRICS_TOKEN or METRICS_ALLOW_FROM.",
    "metrics_token_required": "Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.",
    "metrics_address_refused": "This address is not in METRICS_ALLOW_FROM.",
}


def _register_blueprints(app: Flask, settings: Settings) -> None:
    import adapters
    from bot.api import api
    from bot.api.openapi import docs
    from bot.console import console, public

    app.register_blueprint(api)
    app.register_blueprint(docs)
    app.register_blueprint(console)
    app.register_blueprint(public)
    for blueprint in adapters.blueprints(settings):
        app.register_blueprint(blueprint)


def settings() -> Settings:
    return current_app.extensions["maeul.settings"]


def database() -> Database:
    return current_app.extensions["maeul.db"]


def db_session() -> Session:
    """The request's session; closed (and rolled back if uncommitted) when the request ends."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    return g.db_session


def without_transaction() -> None:
    """End the request's transaction (keeping what it wrote) before waiting on another service:
    on SQLite an open transaction holds the write lock, so every webhook would wait too."""
    if "db_session" in g:
        g.db_session.commit()
