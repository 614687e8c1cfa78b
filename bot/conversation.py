"""The two shapes every channel shares: one inbound message in, one reply out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.catalogue import t
from bot.models.base import utcnow


@dataclass(frozen=True)
class Inbound:
    """A message as any adapter hands it to the dispatcher."""

    channel: str
    account_key: str
    text: str
    room_key: str | None = None
    message_id: str | None = None
    received_at: datetime = field(default_factory=utcnow)
    # The community a room belongs to, or the one a simulator user picked.
    community_slug: str | None = None
    # Where a room message that needs privacy is pointed (a Telegram t.me link, say).
    private_link: str = ""
    # A room's own name (a Telegram group's title), kept when the room is linked.
    room_title: str = ""

    @property
    def is_private(self) -> bool:
        return self.room_key is None


@dataclass
class Reply:
    """Text plus numbered options (1..n, at most 9); `home` adds `0. 처음으로`."""

    text: str
    options: list[str] = field(default_factory=list)
    home: bool = True
    lang: str = "ko"
    # The digit of each option when not 1..n (a page of 5 with `8. 다음`, say).
    numbers: list[int] | None = None
    # `0. 처음으로` set apart (a blank line before it, no button for it) where it must not be
    # hit by mistake next to `1. 예 (제출)` / `2. 아니오`.
    home_apart: bool = False
    # For the metrics (bot/metrics.py): the kind of step the message arrived in, and how it went.
    step: str = "other"
    outcome: str = "understood"

    def __post_init__(self) -> None:
        if len(self.options) > 9:
            raise ValueError("a prompt offers at most 9 options")
        if self.numbers is not None and (
                len(self.numbers) != len(self.options) or self.numbers != sorted(set(self.numbers))
                or not all(1 <= n <= 9 for n in self.numbers)):
            raise ValueError("option numbers must be increasing digits 1..9, one per option")

    @property
    def numbered(self) -> list[tuple[str, str]]:
        """(digit, label) pairs in the order shown, `0` last."""
        digits = self.numbers or range(1, len(self.options) + 1)
        pairs = [(str(i), label) for i, label in zip(digits, self.options, strict=True)]
        if self.home:
            pairs.append(("0", t("core.option.home", self.lang)))
        return pairs

    def render_text(self) -> str:
        """The whole message as plain lines: what BAND, the terminal and screen readers get."""
        lines = [self.text.rstrip()]
        if self.numbered:
            lines.append("")
            for digit, label in self.numbered:
                if digit == "0" and self.home_apart and len(self.numbered) > 1:
                    lines.append("")
                lines.append(f"{digit}. {label}")
        return "\n".join(lines)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """The options a channel offers as buttons: all of them, but `0` when it stands apart."""
        return [(d, label) for d, label in self.numbered if not (d == "0" and self.home_apart)]


@dataclass
class ConversationState:
    """Where an account is in the conversation: its `conversations` row, read with the account
    and written back by the dispatcher in one statement each (no unit of work on the hot path)."""

    account_id: int
    state: str
    data: dict[str, Any]
    misses: int
    updated_at: datetime
