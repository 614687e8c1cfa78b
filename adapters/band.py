"""Naver BAND: the community's band is a room; notices are posts with a push to its members.

Errors come as `result_code` other than 1. Quota and cool-down codes are retried later; the rest
(no such band, no permission) are permanent.
"""

from __future__ import annotations

from collections.abc import Sequence

import requests

from adapters.base import OutMessage, SendResult, http_failure, register_sender
from bot.config import Settings

CHANNEL = "band"
RETRYABLE_CODES = {1001, 1002, 1003}  # app quota, user quota, cool-down


class BandSender:
    channel = CHANNEL
    batch_size = 1

    def __init__(self, settings: Settings, http: requests.Session | None = None) -> None:
        self.settings = settings
        self.rate_per_second = float(settings["BAND_RATE_PER_SECOND"])
        self.http = http or requests.Session()
        self.url = f"{settings['BAND_API_BASE'].rstrip('/')}/v2.2/band/post/create"

    def send(self, messages: Sequence[OutMessage]) -> list[SendResult]:
        return [self._one(message) for message in messages]

    def _one(self, message: OutMessage) -> SendResult:
        if message.target_kind != "room":
            return SendResult(False, permanent=True, error="BAND posts go to bands, not people")
        try:
            response = self.http.post(self.url, timeout=self.settings["HTTP_TIMEOUT_SECONDS"],
                                      params={"access_token": self.settings["BAND_ACCESS_TOKEN"]},
                                      data={"band_key": message.target, "content": message.text,
                                            "do_push": "true"})
        except requests.RequestException as exc:
            return SendResult(False, error=f"network: {exc.__class__.__name__}")
        if response.status_code != 200:
            return http_failure(response.status_code, response.text[:200])
        try:
            answer = response.json()
        except ValueError:
            return SendResult(False, error="200 with a body that is not JSON")
        code = answer.get("result_code")
        if code == 1:
            return SendResult(True)
        detail = f"result_code {code}: {answer.get('result_data')}"[:500]
        if code in RETRYABLE_CODES:
            return SendResult(False, error=detail)
        return SendResult(False, permanent=True, error=detail)


register_sender(CHANNEL, BandSender)
