"""The access log under gunicorn (Procfile: --logger-class bot.logs.AccessLogger): the usual
lines, with the Kakao webhook token replaced by <redacted> wherever the request shows it (the
request line, the path, the referrer, any header or environ atom)."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from bot.web import redact


class AccessLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in atoms.items()}
