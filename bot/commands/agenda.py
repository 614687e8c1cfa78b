"""The commands of the four-step cycle's last step and its discussion: a manager's progress on
an adopted item, a link to the agenda's material, a resident's comment, a manager hiding one."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from bot.commands.base import Command, Day, Text, problem

PROGRESS_TEXT_MAX = 2000
COMMENT_MAX = 300
REASON_MAX = 500
URL_MAX = 500
VIDEO_HOSTS = ("youtube.com", "youtu.be", "www.youtube.com", "m.youtube.com")


def video_link(url: str) -> bool:
    """A YouTube video or a BAND live (`band.us/band/<id>/live/<id>`)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return host in VIDEO_HOSTS or (host.endswith("band.us") and "/live" in parts.path)


def _url(value: Any) -> Any:
    if not isinstance(value, str):
        raise problem("error.agenda.url")
    value = value.strip()
    parts = urlsplit(value)
    if (parts.scheme not in ("https", "http") or not parts.hostname or len(value) > URL_MAX
            or any(ch.isspace() for ch in value)):
        raise problem("error.agenda.url")
    return value


Url = Annotated[str, BeforeValidator(_url), WithJsonSchema({
    "type": "string", "format": "uri", "maxLength": URL_MAX,
    "description": "an https:// (or http://) address"})]


class ProgressItem(Command):
    """추진계획 (`plan`, with the date it is to be done by), 추진경과 (`progress`, optionally a
    revised date) or 추진결과 (`result`) of an adopted item; for a budget item, of one funded
    project (`project`, its number in the item's list)."""

    stage: Literal["plan", "progress", "result"]
    text: Text(PROGRESS_TEXT_MAX)
    due_date: Day | None = None
    project: int | None = Field(default=None, ge=1, le=30)

    @model_validator(mode="after")
    def _dates(self) -> ProgressItem:
        if self.stage == "plan" and self.due_date is None:
            raise problem("error.agenda.plan_due", "due_date")
        if self.stage == "result" and self.due_date is not None:
            raise problem("error.agenda.result_due", "due_date")
        return self


class AddMaterial(Command):
    """A link shown with the ballot (no `item`) or one item: `document` or `video` (a YouTube or
    BAND live link is a video unless `kind` says otherwise)."""

    title: Text(100)
    url: Url
    item: int | None = Field(default=None, ge=1, le=50)
    kind: Literal["document", "video"] | None = None

    def kind_of(self) -> str:
        if self.kind is not None:
            return self.kind
        return "video" if video_link(self.url) else "document"


class PostComment(Command):
    """A resident's short comment (의견), or a reply to one (`reply_to`)."""

    text: Text(COMMENT_MAX, key="error.comment.text")
    reply_to: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _long_enough(self) -> PostComment:
        if len(self.text) < 2:
            raise problem("error.comment.text", "text", limit=COMMENT_MAX)
        return self


class HideComment(Command):
    """A manager hides a comment; the reason is shown in its place and kept in the audit."""

    reason: Text(REASON_MAX)


def comment_problem(text: str) -> bool:
    """Whether the chat must ask again for a comment's text."""
    stripped = text.strip()
    return not 2 <= len(stripped) <= COMMENT_MAX

