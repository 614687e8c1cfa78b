"""Web hardening in one place: security headers, no caching of pages with personal data, a depth
limit on JSON bodies, every submitted string cleaned of invisible controls, the client's address
behind proxies, and no webhook secret in any request log.

Headers are one precomputed set per response kind (see docs/architecture.md, Security): the
webhook hot path pays one dictionary update, not a library's per-request hooks.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from flask import Flask, Request, Response, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from bot.text import clean, clean_tree

MAX_JSON_DEPTH = 32

# No inline script or style anywhere: the console and public pages load /static CSS only, and
# the simulator its own script file. SVG charts use presentation attributes, not style.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HTML_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
OTHER_HEADERS = {"X-Content-Type-Options": "nosniff"}
HSTS = "max-age=31536000; includeSubDomains"

# Console and REST answers carry names, phone digits, codes and tokens: never kept by a cache.
PRIVATE_PREFIXES = ("/console", "/api/")

KAKAO_PATH = re.compile(r"(/webhooks/kakao/)[^/?#\s\"]+")


def redact(text: str) -> str:
    """A request line or path with the Kakao webhook token replaced."""
    return KAKAO_PATH.sub(r"\1<redacted>", text)


class JSONTooDeep(ValueError):
    """Raised for a JSON document nested deeper than MAX_JSON_DEPTH (a ValueError, so every
    caller that treats unreadable JSON as a 400 does so here too)."""


def depth_within(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a parsed JSON value nests at most `limit` arrays/objects deep (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, dict | list))
    return True


def loads(data: str | bytes, **kwargs: Any) -> Any:
    """`json.loads` for untrusted bodies: too deep is a ValueError, never a RecursionError, and
    every string comes back cleaned of direction overrides and zero-width characters."""
    try:
        value = json.loads(data, **kwargs)
    except RecursionError as exc:
        raise JSONTooDeep(f"JSON nested deeper than {MAX_JSON_DEPTH}") from exc
    if not depth_within(value):
        raise JSONTooDeep(f"JSON nested deeper than {MAX_JSON_DEPTH}")
    return clean_tree(value)


class JSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s, **kwargs)


class CleanRequest(Request):
    """Form fields and query values arrive cleaned, like JSON strings (files stay bytes)."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form:
            self.__dict__["form"] = ImmutableMultiDict(
                [(key, clean(value)) for key, value in form.items(multi=True)])


class RedactWebhookTokens(logging.Filter):
    """For the development server's request log ("werkzeug"): no Kakao token in a line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


_LOG_FILTER = RedactWebhookTokens()


def install(app: Flask, production: bool, proxy_count: int) -> None:
    app.request_class = CleanRequest
    app.json = JSONProvider(app)
    app.json.ensure_ascii = False
    if proxy_count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxy_count, x_proto=proxy_count,
                                x_host=proxy_count)
    werkzeug_log = logging.getLogger("werkzeug")
    if _LOG_FILTER not in werkzeug_log.filters:
        werkzeug_log.addFilter(_LOG_FILTER)

    html_headers = dict(HTML_HEADERS)
    if production:
        html_headers["Strict-Transport-Security"] = HSTS

    @app.after_request
    def _security_headers(response: Response) -> Response:
        if response.mimetype == "text/html":
            response.headers.update(html_headers)
        else:
            response.headers.update(OTHER_HEADERS)
            if production:
                response.headers["Strict-Transport-Security"] = HSTS
        if request.path.startswith(PRIVATE_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        return response


class RowId(IntegerConverter):
    """`<int:...>` in a route: a row number the database can hold (1 to 2,147,483,647); any
    other number is simply not found, never a database error."""

    def __init__(self, url_map, *args, **kwargs) -> None:  # noqa: ANN001
        kwargs.setdefault("max", 2_147_483_647)
        super().__init__(url_map, *args, **kwargs)
