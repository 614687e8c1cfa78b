"""Dialogue tests read like the conversation: (resident says, bot answers).

`expect` is one substring or a list of substrings the answer must contain; a failure prints the
whole exchange so far.
"""

from __future__ import annotations

from collections.abc import Sequence

from tests.conftest import KAKAO_BOT, KAKAO_TOKEN


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


class KakaoChat:
    """A resident talking to the bot through the real Kakao webhook."""

    def __init__(self, client, user: str = "kakao-user-1") -> None:
        self.client = client
        self.user = user
        self.transcript: list[tuple[str, str]] = []
        self.last: dict = {}

    def say(self, utterance: str) -> str:
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
