"""A community's rooms and the notices posted to them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ValidationInfo, field_validator

from bot.commands.base import Command, Text, Time, context, problem

NOTICE_MAX = 2000
ROOM_CHANNELS = ("band", "telegram")


def _channel(value: Any) -> Any:
    if value not in ROOM_CHANNELS:
        raise problem("error.room.channel")
    return value


class AddRoom(Command):
    """A BAND band (its `band_key`, one the token can post to) or a Telegram group (its chat
    id) where the community's notices land."""

    channel: Annotated[Literal["band", "telegram"], BeforeValidator(_channel)]
    external_key: Text(200, key="error.room.key")
    title: Text(200, required=False) = ""


class QueueNotice(Command):
    """A notice to the rooms, now or at `send_at` (not more than 5 minutes in the past)."""

    text: Text(NOTICE_MAX, key="error.notice.text")
    send_at: Time | None = None

    @field_validator("send_at")
    @classmethod
    def _not_past(cls, send_at: datetime | None, info: ValidationInfo):
        now = context(info, "now")
        if send_at is not None and now is not None and send_at < now - timedelta(minutes=5):
            raise problem("error.notice.past")
        return send_at
