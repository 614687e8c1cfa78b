"""The Telegram webhook: forged requests, redeliveries, the reply keyboard, groups as rooms, the
group link flow, and that nothing personal (least of all a secret vote) happens in a group."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.models import ChannelAccount, Room
from bot.models.ballot import Participation
from bot.models.channels import ProcessedMessage
from tests import factories
from tests.ballot_helpers import create_ballot
from tests.conftest import TELEGRAM_SECRET
from tests.dialogue import post_telegram, telegram_update

GROUP = -1001234567


def _count(db, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                                     {"X-Telegram-Bot-Api-Secret-Token": ""}])
def test_forged_requests_are_refused_and_change_nothing(client, db, community, headers):
    response = client.post("/webhooks/telegram", json=telegram_update(42, "인증"),
                           headers=headers)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert _count(db, ChannelAccount) == 0 and _count(db, ProcessedMessage) == 0


@pytest.mark.parametrize("body, problem", [
    ("{", "invalid_json"), ("[]", "invalid_payload"), ('{"update_id": "1"}', "invalid_payload"),
    ('{"update_id": 1, "message": {"chat": {"id": "x"}, "from": {"id": 1}, "text": "1"}}',
     "invalid_payload"),
    ('{"update_id": 1, "message": {"chat": {"id": 1}, "from": {"id": 1}, "text": 5}}',
     "invalid_payload")])
def test_malformed_updates_get_a_json_400(client, community, body, problem):
    response = client.post("/webhooks/telegram", data=body, content_type="application/json",
                           headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == problem


def test_a_redelivered_update_is_ignored(client, db, community):
    update = telegram_update(42, "도움말", update_id=777)
    first = post_telegram(client, update).get_json()
    assert "사용법" in first["text"] and first["method"] == "sendMessage"
    assert post_telegram(client, update).get_json() == {}
    assert _count(db, ProcessedMessage) == 1


def test_options_come_as_a_reply_keyboard_and_start_opens_the_menu(client, community):
    body = post_telegram(client, telegram_update(42, "/start")).get_json()
    assert body["chat_id"] == 42 and "마을 도우미" in body["text"]
    buttons = [row[0]["text"] for row in body["reply_markup"]["keyboard"]]
    assert buttons == ["1. 투표하기", "2. 제안 보기·하기", "3. 내 참여 내역", "4. 본인 인증",
                       "5. 도움말"]
    tapped = post_telegram(client, telegram_update(42, "4. 본인 인증")).get_json()
    assert "본인 인증 전에 동의를 받을게요" in tapped["text"]
    assert post_telegram(client, telegram_update(42, "", update_id=99)).get_json() == {}


def test_a_group_is_linked_with_a_one_time_code(client, admin_headers, db, community):
    issued = client.post("/api/v1/communities/pungsan/room-link-codes", headers=admin_headers)
    assert issued.status_code == 201
    code = issued.get_json()["code"]
    wrong = post_telegram(client, telegram_update(7, "/link 00000000", GROUP, "supergroup"))
    assert "맞지 않거나 만료" in wrong.get_json()["text"]
    linked = post_telegram(client, telegram_update(7, f"/link {code}", GROUP, "supergroup"))
    assert "풍산동 주민자치회\n공지방으로 연결했어요" in linked.get_json()["text"]
    again = post_telegram(client, telegram_update(7, f"/link {code}", GROUP, "supergroup"))
    assert "이미 풍산동 주민자치회에" in again.get_json()["text"]
    other = post_telegram(client, telegram_update(7, f"/link {code}", GROUP - 1, "group"))
    assert "맞지 않거나 만료" in other.get_json()["text"], "a code works once"
    with db.session() as session:
        [room] = session.scalars(select(Room)).all()
        assert (room.channel, room.external_key, room.title) == ("telegram", str(GROUP),
                                                                 "풍산동 소통방")
    rooms = client.get("/api/v1/communities/pungsan/rooms", headers=admin_headers).get_json()
    assert rooms["count"] == 1 and rooms["items"][0]["channel"] == "telegram"


def test_in_a_group_personal_business_is_pointed_to_the_private_chat(client, db, community):
    for text in ("투표", "인증", "1", "찬성", "520315", "제 번호는 010-1234-5678"):
        body = post_telegram(client, telegram_update(7, text, GROUP, "group")).get_json()
        assert "1:1 대화에서만" in body["text"], text
        assert "https://t.me/maeul_bot?start=home" in body["text"]
        assert "reply_to_message_id" in body and "reply_markup" not in body
    chatter = post_telegram(client, telegram_update(7, "오늘 날씨 좋네요", GROUP, "group"))
    assert chatter.get_json() == {}, "neighbours' talk gets no answer"
    helped = post_telegram(client, telegram_update(7, "/help", GROUP, "group")).get_json()
    assert "이 방에는 공지가 올라와요" in helped["text"]


def test_a_secret_ballot_can_never_be_voted_in_a_group(client, admin_headers, db, community):
    create_ballot(client, admin_headers, items=[{"title": "축제 예산", "kind": "yes_no"}])
    with db.session() as session:
        factories.verified(session, session.merge(community), "4242", channel="telegram")
    for text, expected in (("투표", "안건 1/1"), ("찬성", "선택하신 내용이에요")):
        assert expected in post_telegram(client, telegram_update(4242, text)).get_json()["text"]
    in_group = post_telegram(client, telegram_update(4242, "1", GROUP, "group")).get_json()
    assert "1:1 대화에서만" in in_group["text"]
    assert _count(db, Participation) == 0
    confirmed = post_telegram(client, telegram_update(4242, "1")).get_json()
    assert "투표가 접수되었어요" in confirmed["text"], "the private conversation was untouched"
    assert _count(db, Participation) == 1
