"""Presenters: a service's error as the front end shows it.

- JSON (REST API and webhooks): `{"error": {"code", "message", "details"}}` with a status chosen
  by the error's kind; every 4xx answers in this shape and no response carries a stack trace.
- Console: one flash line, the message and what to fix.
The chat has its own words for every refusal (handlers check before they act).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, flash, jsonify
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from bot.catalogue import keys, t
from bot.errors import DomainError

log = logging.getLogger("maeul")

STATUS = {"malformed": 400, "unauthenticated": 401, "forbidden": 403, "not_found": 404,
          "conflict": 409, "too_large": 413, "unsupported": 415, "invalid": 422,
          "unavailable": 502}


def http_message(status: int, code: str) -> str:
    """The sentence for a code when the catalogue has one, else the status's."""
    for key in (f"error.{code}", f"http.{status}"):
        if key in keys():
            return t(key)
    return code


def error_response(status: int, code: str, message: str | None = None, details: Any = None):
    body = {"error": {"code": code, "message": message or http_message(status, code),
                      "details": details if details is not None else {}}}
    return jsonify(body), status


def error_json(error: DomainError):
    return error_response(STATUS[error.kind], error.code, error.message(), error.details())


def flash_error(error: DomainError) -> None:
    """The console's line: what was refused and, after it, each thing to fix."""
    fixes = "; ".join(problem.message() for problem in error.problems)
    flash(f"{error.message()} {fixes}".strip(), "error")


def install(app: Flask) -> None:
    app.register_error_handler(DomainError, error_json)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(status, code, http_message(status, code))

    @app.errorhandler(OperationalError)
    def _database_down(exc: OperationalError):
        log.error("database unavailable: %s", exc.__class__.__name__)
        return error_response(503, "database_unavailable", t("http.503"))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        return error_response(500, "internal_error", t("http.500"))
