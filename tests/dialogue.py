"""Dialogue tests read like the conversation: (resident says, bot answers). The same tables run
through KakaoTalk and through Telegram private chats (the `messenger` fixture).

`expect` is one substring or a list of substrings the answer must contain; a failure prints the
whole exchange so far.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Sequence

from tests.conftest import KAKAO_BOT, KAKAO_TOKEN, TELEGRAM_SECRET


def kakao_payload(user: str, utterance: str, bot_id: str = KAKAO_BOT) -> dict:
    return {
        "bot": {"id": bot_id, "name": "마을 도우미"},
        "intent": {"id": "fallback", "name": "폴백 블록"},
        "action": {"id": "a1", "name": "maeul", "params": {}, "detailParams": {},
                   "clientExtra": {}},
        "userRequest": {
            "timezone": "Asia/Seoul", "lang": "ko", "utterance": utterance,
            "block": {"id": "b1", "name": "폴백 블록"},
            "user": {"id": user, "type": "botUserKey",
                     "properties": {"botUserKey": user, "isFriend": True}},
        },
        "contexts": [],
    }


CHANNEL = "kakao"  # the messenger the dialogue tests talk through (set by `messenger` fixture)
CHANNEL_LABELS = {"kakao": "카카오톡", "telegram": "텔레그램"}
# What the bot asks before the first enrolment (`1. 동의합니다` goes on; see bot/privacy.py).
CONSENT = ["본인 인증 전에 동의를 받을게요", "투표와 공감은 할 수 없어요", "1. 동의합니다",
           "2. 동의하지 않습니다"]
_UPDATES = itertools.count(1)


def account_key(user: str, channel: str | None = None) -> str:
    """The channel's id for a named test user: Kakao keys are strings, Telegram ids numbers."""
    if (channel or CHANNEL) == "telegram":
        return str(1000 + zlib.crc32(user.encode()) % 10**9)
    return user


def channel_label() -> str:
    return CHANNEL_LABELS[CHANNEL]


def telegram_update(user_id: int, text: str, chat_id: int | None = None,
                    chat_type: str = "private", update_id: int | None = None) -> dict:
    return {"update_id": update_id or next(_UPDATES) + 10_000_000,
            "message": {"message_id": next(_UPDATES), "date": 1764000000, "text": text,
                        "from": {"id": user_id, "is_bot": False, "first_name": "주민",
                                 "language_code": "ko"},
                        "chat": {"id": chat_id if chat_id is not None else user_id,
                                 "type": chat_type, "title": "풍산동 소통방"}}}


def post_telegram(client, update: dict):
    return client.post("/webhooks/telegram", json=update,
                       headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})


class Chat:
    """A resident talking to the bot through the real webhook of the messenger under test:
    KakaoTalk's skill server, or a Telegram private chat."""

    def __init__(self, client, user: str = "kakao-user-1") -> None:
        self.client = client
        self.user = user
        self.channel = CHANNEL
        self.transcript: list[tuple[str, str]] = []
        self.last: dict = {}

    def say(self, utterance: str) -> str:
        if self.channel == "telegram":
            response = post_telegram(self.client, telegram_update(
                int(account_key(self.user, "telegram")), utterance))
            assert response.status_code == 200, response.get_data(as_text=True)
            self.last = response.get_json()
            answer = self.last.get("text", "")
        else:
            response = self.client.post(f"/webhooks/kakao/{KAKAO_TOKEN}",
                                        json=kakao_payload(self.user, utterance))
            assert response.status_code == 200, response.get_data(as_text=True)
            self.last = response.get_json()
            outputs = self.last["template"]["outputs"]
            answer = "\n".join(o["simpleText"]["text"] for o in outputs)
        self.transcript.append((utterance, answer))
        return answer

    @property
    def quick_replies(self) -> list[dict]:
        return self.last["template"].get("quickReplies", [])

    def show(self) -> str:
        return "\n".join(f"주민: {said}\n  봇: {answer.replace(chr(10), chr(10) + '       ')}"
                         for said, answer in self.transcript)


KakaoChat = Chat  # the name the dialogue tests were first written with


def converse(chat: KakaoChat, turns: Sequence[tuple[str, str | Sequence[str]]],
             absent: Sequence[str] = ()) -> None:
    """Play the turns; every expected substring must be in the answer to that turn."""
    for said, expected in turns:
        answer = chat.say(said)
        wanted = [expected] if isinstance(expected, str) else list(expected)
        for piece in wanted:
            assert piece in answer, f"expected {piece!r} after {said!r}\n\n{chat.show()}"
        for piece in absent:
            assert piece not in answer, f"did not expect {piece!r} after {said!r}\n\n{chat.show()}"
