"""JSON errors for every 4xx, and no stack trace in any response."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from bot.refusals import Refused

log = logging.getLogger("maeul")

MESSAGES = {
    400: "요청 형식이 올바르지 않아요.",
    401: "인증 토큰이 필요해요.",
    403: "이 작업을 할 권한이 없어요.",
    404: "찾는 것이 없어요.",
    405: "이 주소에서는 그 방법을 쓸 수 없어요.",
    409: "지금 상태에서는 할 수 없어요.",
    413: "보낸 내용이 너무 커요.",
    415: "지원하지 않는 형식이에요.",
    422: "입력값을 확인해 주세요.",
    429: "요청이 너무 많아요. 잠시 후 다시 해 주세요.",
    503: "잠시 서비스를 쓸 수 없어요. 잠시 후 다시 해 주세요.",
}


class ApiError(Exception):
    """An error a client can act on: status, stable code, Korean message, details."""

    def __init__(self, status: int, code: str, message: str | None = None,
                 details: Any = None) -> None:
        super().__init__(message or MESSAGES.get(status, code))
        self.status = status
        self.code = code
        self.message = message or MESSAGES.get(status, code)
        self.details = details if details is not None else {}


def error_response(status: int, code: str, message: str | None = None, details: Any = None):
    body = {"error": {"code": code, "message": message or MESSAGES.get(status, code),
                      "details": details if details is not None else {}}}
    return jsonify(body), status


def install(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @app.errorhandler(Refused)
    def _refused(exc: Refused):
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(status, code, MESSAGES.get(status, exc.name))

    @app.errorhandler(OperationalError)
    def _database_down(exc: OperationalError):
        log.error("database unavailable: %s", exc.__class__.__name__)
        return error_response(503, "database_unavailable")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        return error_response(500, "internal_error", "서버에 문제가 생겼어요. 잠시 후 다시 해 주세요.")
