"""Telegram Bot API: private chats (the whole conversation) and groups (community rooms).

Inbound: `POST /webhooks/telegram`, verified by the secret-token header, deduplicated by
`update_id`. The reply rides back in the webhook response as a `sendMessage` method call, so the
request never waits on Telegram. Numbered options become a reply keyboard. In a group the bot
only links the group (`/link CODE`), helps (`/help`), and points personal business to the 1:1 chat.
Outbound pushes and room notices go through the outbox (`TelegramSender`); a chat id is the
target for a person and for a group alike.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from typing import Any

import requests
from flask import Blueprint, Response, jsonify, request

from adapters.base import (
    OutMessage,
    SendResult,
    http_failure,
    read_json_body,
)
from bot.catalogue.lexicon import KEYWORDS, MENU_WORD, START_WORDS
from bot.config import Settings
from bot.conversation import Inbound, Reply
from bot.presenters import error_response

CHANNEL = "telegram"
HELP_WORD = KEYWORDS["help"][0]  # /help and /start in a group ask for help
PRIVATE = True  # private chats are; groups are rooms
TEXT_MAX = 4096
BUTTON_MAX = 30
GROUPS = ("group", "supergroup")
LIVE_DIGITS = 6  # bot/live.py: `/start 123456` carries the on-site password


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
            body: dict[str, Any] = {"chat_id": message.target, "text": text}
            if message.next_step and message.target_kind == "user":
                # The push's next step as a button: one tap sends `투표하기`.
                body["reply_markup"] = {"keyboard": [[{"text": message.next_step}]],
                                        "resize_keyboard": True, "one_time_keyboard": True}
            response = self.http.post(self.url, json=body,
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


SENDER = TelegramSender  # listed in adapters/channels.py


def keyboard(reply: Reply) -> dict[str, Any]:
    """One button a row, `1. 찬성`; a long label is shown by its digit alone (the text has it)."""
    rows = []
    for digit, label in reply.buttons:
        text = f"{digit}. {label}"
        rows.append([{"text": text if len(text) <= BUTTON_MAX else digit}])
    if not rows:
        return {"remove_keyboard": True}
    return {"keyboard": rows, "resize_keyboard": True, "one_time_keyboard": True}


def render(reply: Reply, chat_id: int | str, reply_to: int | None = None) -> dict[str, Any]:
    text = reply.render_text()
    body: dict[str, Any] = {"method": "sendMessage", "chat_id": chat_id,
                            "text": text if len(text) <= TEXT_MAX else text[:TEXT_MAX - 1] + "…"}
    if reply_to is None:
        body["reply_markup"] = keyboard(reply)
    else:
        body["reply_to_message_id"] = reply_to
    return body


def _start_text(text: str) -> str:
    """`/start`, `/start vote`, `/help` in a private chat: what the resident meant."""
    command, _, payload = text.partition(" ")
    command = command.split("@")[0].lower()
    if command == "/help":
        return HELP_WORD
    if command == "/start":
        payload = payload.strip()
        if payload.isascii() and payload.isdigit() and len(payload) == LIVE_DIGITS:
            return payload  # the meeting's password, from the QR code on its screen
        return START_WORDS.get(payload, MENU_WORD)
    return text


def parse(update: Any) -> tuple[dict | None, str | None]:
    """The message of an update worth handling ({} for none), or why the update is malformed."""
    if not isinstance(update, dict) or isinstance(update.get("update_id"), bool) or \
            not isinstance(update.get("update_id"), int):
        return None, "update_id must be an integer"
    message = update.get("message")
    if message is None:
        return {}, None  # edits, joins, callbacks: acknowledged, nothing to do
    if not isinstance(message, dict):
        return None, "message must be an object"
    chat, sender = message.get("chat"), message.get("from")
    if not isinstance(chat, dict) or not isinstance(chat.get("id"), int):
        return None, "message.chat.id must be an integer"
    if not isinstance(sender, dict) or not isinstance(sender.get("id"), int):
        return None, "message.from.id must be an integer"
    if not isinstance(message.get("text", ""), str):
        return None, "message.text must be a string"
    return message, None


def make_blueprint(settings: Settings) -> Blueprint | None:
    if not settings["TELEGRAM_WEBHOOK_SECRET"]:
        return None
    from adapters.inbox import handle

    bp = Blueprint("telegram", __name__)
    max_bytes = settings["MAX_WEBHOOK_BYTES"]
    username = settings["TELEGRAM_BOT_USERNAME"]
    link_to_private = f"https://t.me/{username}?start=home" if username else ""

    @bp.post("/webhooks/telegram")
    def webhook() -> Response | tuple[Response, int]:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), settings["TELEGRAM_WEBHOOK_SECRET"].encode()):
            return error_response(401, "unauthorized", "secret token missing or wrong")
        update, refusal = read_json_body(max_bytes)
        if refusal is not None:
            return refusal
        message, problem = parse(update)
        if message is None:
            return error_response(400, "invalid_payload", problem)
        text = message.get("text", "").strip() if message else ""
        if not text:
            return jsonify({})
        chat = message["chat"]
        key = str(update["update_id"])
        sender = str(message["from"]["id"])
        if chat.get("type") in GROUPS:
            command = text.split(" ")[0].split("@")[0].lower()
            inbound = Inbound(channel=CHANNEL, account_key=sender,
                              text=HELP_WORD if command in ("/help", "/start") else text,
                              room_key=str(chat["id"]), message_id=key,
                              private_link=link_to_private,
                              room_title=str(chat.get("title", "")))
            reply = handle(inbound)
            return jsonify(render(reply, chat["id"], message.get("message_id")) if reply else {})
        inbound = Inbound(channel=CHANNEL, account_key=sender, text=_start_text(text),
                          message_id=key)
        reply = handle(inbound)
        return jsonify(render(reply, chat["id"]) if reply else {})

    return bp
