"""The narrow interface between the outbox and a channel: send texts, report each outcome."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.config import Settings


@dataclass(frozen=True)
class OutMessage:
    """One outbox row as a sender sees it."""

    outbox_id: int
    target_kind: str  # "user" or "room"
    target: str
    text: str


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
SENDERS: dict[str, SenderFactory] = {}


def register_sender(channel: str, factory: SenderFactory) -> None:
    SENDERS[channel] = factory


def sender_for(channel: str, settings: Settings) -> Sender | None:
    import adapters  # noqa: F401  (adapter modules register their senders on import)

    adapters.load_all()
    factory = SENDERS.get(channel)
    return factory(settings) if factory else None
