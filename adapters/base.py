"""The narrow interface between the outbox and a channel: send texts, report each outcome."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flask import request

from bot.config import Settings
from bot.presenters import error_response
from bot.web import loads as web_loads


@dataclass(frozen=True)
class OutMessage:
    """One outbox row as a sender sees it."""

    outbox_id: int
    target_kind: str  # "user" or "room"
    target: str
    text: str
    next_step: str | None = None  # a button with the resident's next step, where possible


@dataclass(frozen=True)
class SendResult:
    """What happened to one message. Not ok and not permanent means: try again later."""

    ok: bool
    permanent: bool = False
    retry_after: float | None = None
    error: str = ""
    # The person blocked the bot or the room is gone: stop sending to this target.
    unreachable: bool = False
    # What the provider calls what was made (a BAND post_key), kept to find replies later.
    provider_ref: str | None = None


def http_failure(status: int, error: str, retry_after: float | None = None) -> SendResult:
    """The common reading of an HTTP failure: 429 and 5xx are worth a retry, other 4xx are not."""
    if status == 429 or status >= 500:
        return SendResult(False, retry_after=retry_after, error=f"{status}: {error}"[:500])
    return SendResult(False, permanent=True, unreachable=status == 403,
                      error=f"{status}: {error}"[:500])


def retry_after_header(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


class Sender(Protocol):
    channel: str
    # How many messages one `send` call may carry (Kakao's Event API takes 100 users at once).
    batch_size: int
    # Messages a second this channel may be sent (per-channel rate limit, from configuration).
    rate_per_second: float

    def send(self, messages: Sequence[OutMessage]) -> list[SendResult]:
        """One result per message, in order. Must not raise for provider errors."""
        ...


SenderFactory = Callable[[Settings], Sender]


def sender_for(channel: str, settings: Settings) -> Sender | None:
    from adapters.channels import CHANNELS

    factory = next((m.SENDER for m in CHANNELS if m.CHANNEL == channel), None)
    return factory(settings) if factory else None


def read_json_body(max_bytes: int) -> tuple[Any, Any]:
    """A webhook's JSON body and None, or None and the 4xx to answer (too large, not JSON)."""
    if request.content_length is not None and request.content_length > max_bytes:
        return None, error_response(413, "payload_too_large")
    body = request.stream.read(max_bytes + 1)
    if len(body) > max_bytes:
        return None, error_response(413, "payload_too_large")
    try:
        return web_loads(body), None
    except (ValueError, UnicodeDecodeError):
        return None, error_response(400, "invalid_json")
