"""KakaoTalk channel chatbot: the Open Builder skill server (1:1 chats).

Inbound is verified by a secret path segment and the bot id (the payload carries no signature),
rendered back as a skill response v2.0 with quick replies that send the option's digit and label.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from typing import Any

import requests
from flask import Blueprint, Response, jsonify

from adapters.base import (
    OutMessage,
    SendResult,
    http_failure,
    read_json_body,
    retry_after_header,
)
from bot.config import Settings
from bot.conversation import Inbound, Reply
from bot.presenters import error_response

CHANNEL = "kakao"
PRIVATE = True
SIMPLE_TEXT_MAX = 1000  # (check) simpleText character limit
MAX_OUTPUTS = 3
MAX_QUICK_REPLIES = 10
QUICK_REPLY_LABEL_MAX = 14  # (check) quick reply label limit


def split_text(text: str, limit: int = SIMPLE_TEXT_MAX, parts: int = MAX_OUTPUTS) -> list[str]:
    """Split at line breaks into at most `parts` chunks of at most `limit` characters."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current or not chunks:
        chunks.append(current)
    if len(chunks) > parts:
        head = chunks[: parts - 1]
        tail = "\n".join(chunks[parts - 1:])
        chunks = [*head, tail[: limit - 1] + "…"]
    return chunks


def render(reply: Reply) -> dict[str, Any]:
    """A skill response v2.0: the text as simpleText outputs, the options as quick replies."""
    outputs = [{"simpleText": {"text": chunk}} for chunk in split_text(reply.render_text())]
    template: dict[str, Any] = {"outputs": outputs}
    quick = []
    for digit, label in reply.buttons[:MAX_QUICK_REPLIES]:
        text = f"{digit}. {label}"
        if len(text) > QUICK_REPLY_LABEL_MAX:
            text = text[: QUICK_REPLY_LABEL_MAX - 1] + "…"
        # The button says which option it is (`1. 찬성`): the chat history reads as the resident
        # meant it, and a tap left over from an earlier screen is re-asked, not applied.
        quick.append({"label": text, "action": "message", "messageText": f"{digit}. {label}"})
    if quick:
        template["quickReplies"] = quick
    return {"version": "2.0", "template": template}


def parse(payload: Any) -> tuple[Inbound | None, str | None]:
    """The inbound message, or the reason the payload is not a skill request."""
    if not isinstance(payload, dict):
        return None, "body must be a JSON object"
    user_request = payload.get("userRequest")
    if not isinstance(user_request, dict):
        return None, "userRequest is missing"
    user = user_request.get("user")
    if not isinstance(user, dict):
        return None, "userRequest.user is missing"
    user_id = user.get("id")
    if not isinstance(user_id, str) or not user_id.strip() or len(user_id) > 200:
        return None, "userRequest.user.id must be a non-empty string"
    utterance = user_request.get("utterance")
    if not isinstance(utterance, str):
        return None, "userRequest.utterance must be a string"
    return Inbound(channel=CHANNEL, account_key=user_id, text=utterance), None


def known_token(token: str, expected: Sequence[str]) -> bool:
    """Whether `token` is one of the configured ones (two during a rotation), compared in
    constant time against every one of them."""
    matched = False
    for candidate in expected:
        matched |= hmac.compare_digest(token.encode(), candidate.encode())
    return matched


def make_blueprint(settings: Settings) -> Blueprint:
    from adapters.inbox import handle

    bp = Blueprint("kakao", __name__)
    max_bytes = settings["MAX_WEBHOOK_BYTES"]

    @bp.post("/webhooks/kakao/<token>")
    def webhook(token: str) -> Response | tuple[Response, int]:
        if not known_token(token, settings["KAKAO_WEBHOOK_TOKENS"]):
            return error_response(404, "not_found")
        payload, refusal = read_json_body(max_bytes)
        if refusal is not None:
            return refusal
        bot_id = settings["KAKAO_BOT_ID"]
        if bot_id:
            bot = payload.get("bot") if isinstance(payload, dict) else None
            if not isinstance(bot, dict) or bot.get("id") != bot_id:
                return error_response(403, "wrong_bot")
        inbound, problem = parse(payload)
        if inbound is None:
            return error_response(400, "invalid_payload", problem)
        return jsonify(render(handle(inbound)))

    return bp


class KakaoSender:
    """Pushes through the Event API: one request per text for up to 100 users.

    SUCCESS means Kakao accepted the task (delivery is billed per user, so a row is never sent
    twice on purpose); FAIL and other 4xx are permanent; 429, 5xx and network errors are retried.
    """

    channel = CHANNEL
    batch_size = 100

    def __init__(self, settings: Settings, http: requests.Session | None = None) -> None:
        self.settings = settings
        self.rate_per_second = float(settings["KAKAO_RATE_PER_SECOND"])
        self.http = http or requests.Session()
        self.url = (f"{settings['KAKAO_API_BASE'].rstrip('/')}/v2/bots/"
                    f"{settings['KAKAO_BOT_ID']}/talk")

    def send(self, messages: Sequence[OutMessage]) -> list[SendResult]:
        results: dict[int, SendResult] = {}
        by_text: dict[str, list[OutMessage]] = {}
        for message in messages:
            if message.target_kind != "user":
                results[message.outbox_id] = SendResult(
                    False, permanent=True, error="KakaoTalk has no rooms for this bot")
            else:
                by_text.setdefault(message.text, []).append(message)
        for text, group in by_text.items():
            for start in range(0, len(group), self.batch_size):
                chunk = group[start:start + self.batch_size]
                outcome = self._post(text, [m.target for m in chunk])
                for message in chunk:
                    results[message.outbox_id] = outcome
        return [results[m.outbox_id] for m in messages]

    def _post(self, text: str, users: list[str]) -> SendResult:
        body = {"event": {"name": self.settings["KAKAO_EVENT_NAME"], "data": {"text": text}},
                "user": [{"type": "botUserKey", "id": user} for user in dict.fromkeys(users)]}
        try:
            response = self.http.post(
                self.url, json=body, timeout=self.settings["HTTP_TIMEOUT_SECONDS"],
                headers={"Authorization": f"KakaoAK {self.settings['KAKAO_REST_API_KEY']}"})
        except requests.RequestException as exc:
            return SendResult(False, error=f"network: {exc.__class__.__name__}")
        if response.status_code != 200:
            return http_failure(response.status_code, response.text[:200],
                                retry_after_header(response.headers.get("Retry-After")))
        try:
            answer = response.json()
        except ValueError:
            return SendResult(False, error="200 with a body that is not JSON")
        if answer.get("status") == "SUCCESS":
            return SendResult(True)
        return SendResult(False, permanent=True, error=f"FAIL: {answer.get('message', '')}"[:500])


SENDER = KakaoSender  # listed in adapters/channels.py
