"""The Kakao skill webhook: every error class, and the skill response v2.0 it renders."""

import json

import pytest

from adapters.kakao import SIMPLE_TEXT_MAX, render, split_text
from bot.conversation import Reply
from tests.conftest import KAKAO_TOKEN
from tests.dialogue import kakao_payload

URL = f"/webhooks/kakao/{KAKAO_TOKEN}"


def test_a_good_request_gets_a_skill_response(client):
    response = client.post(URL, json=kakao_payload("u1", "메뉴"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["version"] == "2.0"
    assert "마을 도우미" in body["template"]["outputs"][0]["simpleText"]["text"]
    digits = [q["messageText"] for q in body["template"]["quickReplies"]]
    assert digits == ["1. 투표하기", "2. 제안 보기·하기", "3. 내 참여 내역", "4. 본인 인증", "5. 도움말"]
    assert body["template"]["quickReplies"][0]["label"] == "1. 투표하기"
    assert all(q["action"] == "message" for q in body["template"]["quickReplies"])


def test_wrong_token_is_404_and_reveals_nothing(client):
    response = client.post("/webhooks/kakao/guess", json=kakao_payload("u1", "메뉴"))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert "kakao" not in response.get_data(as_text=True).lower()


def test_other_bot_is_403(client):
    response = client.post(URL, json=kakao_payload("u1", "메뉴", bot_id="someone-else"))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "wrong_bot"


def test_missing_bot_is_403(client):
    payload = kakao_payload("u1", "메뉴")
    del payload["bot"]
    assert client.post(URL, json=payload).status_code == 403


@pytest.mark.parametrize("body", [b"{not json", b"", "\ud55c".encode("utf-16"), b"\xff\xfe"])
def test_malformed_json_is_400(client, body):
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code in (400, 403)
    assert response.get_json()["error"]["code"] in ("invalid_json", "wrong_bot")


def test_malformed_json_is_400_exactly(client):
    response = client.post(URL, data=b"{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


def _without(path: list[str]) -> dict:
    payload = kakao_payload("u1", "메뉴")
    node = payload
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return payload


@pytest.mark.parametrize("path", [["userRequest"], ["userRequest", "user"],
                                  ["userRequest", "user", "id"], ["userRequest", "utterance"]])
def test_missing_fields_are_400(client, path):
    response = client.post(URL, json=_without(path))
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"]["code"] == "invalid_payload"
    assert body["error"]["details"] or body["error"]["message"]


@pytest.mark.parametrize("mutate", [
    lambda p: p["userRequest"].__setitem__("utterance", 1),
    lambda p: p["userRequest"].__setitem__("utterance", None),
    lambda p: p["userRequest"]["user"].__setitem__("id", 42),
    lambda p: p["userRequest"]["user"].__setitem__("id", ""),
    lambda p: p.__setitem__("userRequest", "text"),
    lambda p: p["userRequest"].__setitem__("user", ["u1"]),
])
def test_wrong_types_are_400(client, mutate):
    payload = kakao_payload("u1", "메뉴")
    mutate(payload)
    response = client.post(URL, json=payload)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_payload"


def test_a_json_array_is_400(client):
    response = client.post(URL, data=json.dumps([1, 2]), content_type="application/json")
    assert response.status_code in (400, 403)


def test_body_over_64_kb_is_413(client):
    payload = kakao_payload("u1", "가" * 30_000)  # about 90 KB of UTF-8
    response = client.post(URL, data=json.dumps(payload, ensure_ascii=False).encode(),
                           content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_long_text_splits_at_the_limit_into_at_most_three_outputs():
    line = "가" * 300
    reply = Reply("\n".join([line] * 12), options=["찬성", "반대"])
    outputs = render(reply)["template"]["outputs"]
    assert len(outputs) == 3
    assert all(len(o["simpleText"]["text"]) <= SIMPLE_TEXT_MAX for o in outputs)


def test_split_text_keeps_short_text_whole_and_splits_long_lines():
    assert split_text("안녕하세요") == ["안녕하세요"]
    chunks = split_text("나" * 2500)
    assert [len(c) for c in chunks] == [1000, 1000, 500]


def test_quick_replies_send_the_digit_and_label_and_include_home():
    body = render(Reply("찬성하세요?", options=["찬성", "반대"]))
    quick = body["template"]["quickReplies"]
    assert [(q["label"], q["messageText"]) for q in quick] == [
        ("1. 찬성", "1. 찬성"), ("2. 반대", "2. 반대"), ("0. 처음으로", "0. 처음으로")]


def test_a_database_failure_gets_a_polite_skill_response(client, db, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def broken():
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db, "sessions", broken)
    response = client.post(URL, json=kakao_payload("u1", "메뉴"))
    assert response.status_code == 200
    text = response.get_json()["template"]["outputs"][0]["simpleText"]["text"]
    assert "잠시 후 다시" in text


def test_a_webhook_request_makes_no_outbound_connection(client, community, monkeypatch):
    """Replies are rendered in the request; anything for other services waits in the outbox."""
    import socket

    attempts: list = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("outbound connection attempted during a webhook request")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a))
    for said in ["메뉴", "5", "도움말", "0"]:
        response = client.post(f"/webhooks/kakao/{KAKAO_TOKEN}", json=kakao_payload("u-net", said))
        assert response.status_code == 200
        assert "잠시 후" not in response.get_data(as_text=True)
    assert attempts == []
