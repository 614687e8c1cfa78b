"""Naver BAND: the community's band is a room. Notices are posts with a push to its members; the
bot reads the comments on its own posts by polling (BAND has no webhook) and answers a comment
under it when the comment tries to vote or shows personal data.

Errors come as `result_code` other than 1. Quota and cool-down codes are retried later; the rest
(no such band, no permission) are permanent. Targets: a band_key for a post, `band_key|post_key`
for a comment under a post.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import requests

from adapters.base import OutMessage, SendResult, http_failure
from bot.config import Settings
from bot.errors import Conflict, Unavailable

CHANNEL = "band"
RETRYABLE_CODES = {1001, 1002, 1003}  # app quota, user quota, cool-down


class BandError(Exception):
    def __init__(self, code: Any, detail: str) -> None:
        super().__init__(f"BAND result_code {code}: {detail}")
        self.code = code


class BandClient:
    """The few BAND Open API calls Maeul makes; every call carries the access token."""

    def __init__(self, settings: Settings, http: requests.Session | None = None) -> None:
        self.base = settings["BAND_API_BASE"].rstrip("/")
        self.token = settings["BAND_ACCESS_TOKEN"]
        self.timeout = settings["HTTP_TIMEOUT_SECONDS"]
        self.http = http or requests.Session()

    def call(self, method: str, path: str, **params: Any) -> dict:
        try:
            response = self.http.request(method, f"{self.base}{path}", timeout=self.timeout,
                                         params={"access_token": self.token,
                                                 **(params if method == "GET" else {})},
                                         data=params if method == "POST" else None)
        except requests.RequestException as exc:
            raise BandError("network", exc.__class__.__name__) from exc
        if response.status_code != 200:
            raise BandError(response.status_code, response.text[:200])
        try:
            answer = response.json()
        except ValueError as exc:
            raise BandError("json", "not JSON") from exc
        if answer.get("result_code") != 1:
            raise BandError(answer.get("result_code"), str(answer.get("result_data"))[:200])
        return answer.get("result_data") or {}

    def own_key(self) -> str | None:
        """The user_key of the account the token belongs to: the bot's own comments."""
        return self.call("GET", "/v2/profile").get("user_key")

    def bands(self) -> list[dict]:
        return [{"band_key": b.get("band_key"), "name": b.get("name")}
                for b in self.call("GET", "/v2.1/bands").get("bands", [])]

    def comments(self, band_key: str, post_key: str) -> Iterator[dict]:
        """Every comment under a post, following the pages."""
        params: dict[str, Any] = {"band_key": band_key, "post_key": post_key, "sort": "+created_at"}
        while True:
            data = self.call("GET", "/v2/band/post/comments", **params)
            yield from data.get("items", [])
            following = (data.get("paging") or {}).get("next_params")
            if not following:
                return
            params = {**following}


def band_choices(settings: Settings) -> list[dict]:
    """The bands the configured token can post to; a typed error says why they cannot be listed
    (no token configured, or BAND not answering)."""
    if not settings["BAND_ACCESS_TOKEN"]:
        raise Conflict("band_not_configured")
    try:
        return BandClient(settings).bands()
    except BandError as exc:
        raise Unavailable("band_unreachable", reason=str(exc)) from None


class BandSender:
    channel = CHANNEL
    batch_size = 1

    def __init__(self, settings: Settings, http: requests.Session | None = None) -> None:
        self.rate_per_second = float(settings["BAND_RATE_PER_SECOND"])
        self.client = BandClient(settings, http)

    def send(self, messages: Sequence[OutMessage]) -> list[SendResult]:
        return [self._one(message) for message in messages]

    def _one(self, message: OutMessage) -> SendResult:
        try:
            if message.target_kind == "room":
                data = self.client.call("POST", "/v2.2/band/post/create",
                                        band_key=message.target, content=message.text,
                                        do_push="true")
                return SendResult(True, provider_ref=data.get("post_key"))
            if message.target_kind == "comment":
                band_key, _, post_key = message.target.partition("|")
                self.client.call("POST", "/v2/band/post/comment/create", band_key=band_key,
                                 post_key=post_key, body=message.text)
                return SendResult(True)
        except BandError as exc:
            if isinstance(exc.code, int) and exc.code >= 400 and exc.code < 600:
                return http_failure(exc.code, str(exc))
            if exc.code in RETRYABLE_CODES or exc.code in ("network", "json"):
                return SendResult(False, error=str(exc)[:500])
            return SendResult(False, permanent=True, error=str(exc)[:500])
        return SendResult(False, permanent=True, error="BAND posts go to bands, not people")


SENDER = BandSender  # listed in adapters/channels.py
