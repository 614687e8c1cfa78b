"""Telegram Bot API: private chats and groups (rooms). This module holds the sender; a chat id
is the target for a person (private chat) and for a room (group) alike."""

from __future__ import annotations

from collections.abc import Sequence

import requests

from adapters.base import OutMessage, SendResult, http_failure, register_sender
from bot.config import Settings

CHANNEL = "telegram"
TEXT_MAX = 4096


class TelegramSender:
    """`sendMessage`, one message a request. 429 carries `retry_after`; 403 means blocked."""

    channel = CHANNEL
    batch_size = 1

    def __init__(self, settings: Settings, http: requests.Session | None = None) -> None:
        self.settings = settings
        self.rate_per_second = float(settings["TELEGRAM_RATE_PER_SECOND"])
        self.http = http or requests.Session()
        self.url = (f"{settings['TELEGRAM_API_BASE'].rstrip('/')}/bot"
                    f"{settings['TELEGRAM_BOT_TOKEN']}/sendMessage")

    def send(self, messages: Sequence[OutMessage]) -> list[SendResult]:
        return [self._one(message) for message in messages]

    def _one(self, message: OutMessage) -> SendResult:
        text = message.text if len(message.text) <= TEXT_MAX else message.text[:TEXT_MAX - 1] + "…"
        try:
            response = self.http.post(self.url, json={"chat_id": message.target, "text": text},
                                      timeout=self.settings["HTTP_TIMEOUT_SECONDS"])
        except requests.RequestException as exc:
            return SendResult(False, error=f"network: {exc.__class__.__name__}")
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code == 200 and answer.get("ok"):
            return SendResult(True)
        code = answer.get("error_code") or response.status_code
        retry = (answer.get("parameters") or {}).get("retry_after")
        return http_failure(int(code), str(answer.get("description", response.text[:200])),
                            float(retry) if isinstance(retry, int | float) else None)


register_sender(CHANNEL, TelegramSender)
