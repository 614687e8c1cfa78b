"""Logging (docs/architecture.md, "Operations"): one JSON object per line in production, readable
lines in development; one line per request with its id, route, status, duration and channel.

What is never logged: an utterance, a name, a phone or birth digit, a token, a password. Request
lines carry the route's rule (`/webhooks/kakao/<token>`), never the path; the engine hides SQL
parameters (bot/db.py), so a database error cannot carry what a resident typed. The scheduler's
routine chatter (APScheduler's "Running job …") is at DEBUG.

Under gunicorn (Procfile: --logger-class bot.logs.AccessLogger) gunicorn's own lines are JSON too
in production, and its access log, when turned on, shows the Kakao webhook token as <redacted>.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from gunicorn.glogging import Logger
from pythonjsonlogger.json import JsonFormatter

from bot.web import redact

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
JSON_FIELDS = "%(levelname)s %(name)s %(message)s"
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
WEBHOOK_CHANNELS = {"kakao", "telegram", "simulator"}
PROBES = {"/healthz", "/readyz", "/metrics"}
log = logging.getLogger("maeul.request")


def wants_json(env: str, log_format: str | None) -> bool:
    """LOG_FORMAT json|text; unset: JSON in production, text elsewhere."""
    if log_format:
        return log_format.strip().lower() == "json"
    return env == "production"


class RequestIdFilter(logging.Filter):
    """Adds the request's id to every record logged while a request is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and "request_id" in g and not hasattr(record, "request_id"):
            record.request_id = g.request_id
        return True


def formatter(as_json: bool) -> logging.Formatter:
    if as_json:
        # "time": ISO 8601 in UTC, with microseconds.
        return JsonFormatter(JSON_FIELDS, rename_fields={"levelname": "level", "name": "logger"},
                             timestamp="time")
    return logging.Formatter(TEXT_FORMAT)


def configure(as_json: bool, level: str = "INFO", stream: Any = None) -> logging.Handler:
    """Root logging for a Maeul process (web, clock, demo). Returns the handler it installed."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "maeul", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.maeul = True  # type: ignore[attr-defined]
    handler.setFormatter(formatter(as_json))
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    chatter = logging.DEBUG if level.upper() == "DEBUG" else logging.WARNING
    for name in ("apscheduler", "werkzeug"):
        # Routine lines (each job run; the development server's request lines, which show the
        # path and so a webhook token) only when asked for.
        logging.getLogger(name).setLevel(chatter)
    return handler


def install(app: Flask) -> None:
    """Request ids and the one line per request (also where webhook latency is measured)."""
    from bot import metrics

    @app.before_request
    def _start() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        if "started" not in g:
            return response
        seconds = time.perf_counter() - g.started
        channel = request.blueprint if request.blueprint in WEBHOOK_CHANNELS else None
        if channel is not None:
            metrics.WEBHOOK_SECONDS.labels(channel, g.get("maeul_step", "none")).observe(seconds)
        response.headers["X-Request-Id"] = g.request_id
        rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
        # Probes come every few seconds: their lines only at DEBUG.
        level = logging.DEBUG if rule in PROBES else logging.INFO
        fields = {"request_id": g.request_id, "method": request.method, "route": rule,
                  "status": response.status_code, "duration_ms": round(seconds * 1000, 1),
                  "channel": channel}
        log.log(level, "%s %s %s %.1f ms", request.method, rule, response.status_code,
                seconds * 1000, extra=fields)
        return response


class AccessLogger(Logger):
    """gunicorn's logger: JSON lines in production, the webhook token redacted."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        env = os.environ.get("MAEUL_ENV", "production").lower()
        if wants_json(env, os.environ.get("LOG_FORMAT")):
            for handler in self.error_log.handlers + self.access_log.handlers:
                handler.setFormatter(formatter(True))

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in atoms.items()}
