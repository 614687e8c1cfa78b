"""Home menu, help, keywords and re-asking, as a resident meets them on KakaoTalk."""

from datetime import timedelta

from sqlalchemy import select

from bot.models import ChannelAccount, Conversation
from tests.dialogue import KakaoChat, account_key, converse

HOME = ["마을 도우미", "1. 투표하기", "2. 제안 보기·하기", "3. 내 참여 내역", "4. 본인 인증",
        "5. 도움말"]


def test_home_menu_and_help(client):
    converse(KakaoChat(client), [
        ("안녕하세요", ["반가워요", *HOME]),
        ("메뉴", HOME),
        ("5", ["사용법", "'0'을 쓰면 언제든 처음으로"]),
        ("도움말", ["사용법"]),
        ("0", HOME),
    ])


def test_home_understands_many_ways_of_saying_five(client):
    chat = KakaoChat(client)
    for said in ["5", "５", "⑤", "5번", "5번이요", "오번", "다섯", "다섯 번째", "도움말"]:
        chat.say("처음")
        assert "사용법" in chat.say(said), f"{said!r}\n{chat.show()}"


def test_unreadable_replies_reprompt_and_the_third_adds_the_phone(client, community):
    chat = KakaoChat(client)
    chat.say("메뉴")
    converse(chat, [
        ("ㅋㅋ", ["잘 알아듣지 못했어요", *HOME]),
        ("1 2", ["잘 알아듣지 못했어요"]),
    ], absent=["031-8075-5000"])
    converse(chat, [("ㅠㅠ", ["잘 알아듣지 못했어요", "주민센터(031-8075-5000)로 전화"])])


def test_without_a_known_community_the_third_miss_points_to_the_nearest_centre(client):
    chat = KakaoChat(client)
    for said in ["메뉴", "ㅋㅋ", "ㅋㅋ"]:
        chat.say(said)
    converse(chat, [("ㅎㅎ", ["잘 알아듣지 못했어요", "가까운 주민센터에 문의"])])


def test_keywords_work_at_any_step(client):
    chat = KakaoChat(client)
    converse(chat, [("메뉴", HOME), ("도움말", "사용법"), ("처음으로", HOME), ("메뉴요", HOME)])


def test_conversation_state_lives_in_the_database_and_resets_after_idle(client, db):
    chat = KakaoChat(client, user="idle-user")
    chat.say("도움말")
    with db.session() as session:
        account = session.scalars(select(ChannelAccount).where(
            ChannelAccount.external_id == account_key("idle-user"))).one()
        conv = session.get(Conversation, account.id)
        assert conv.state == "help"
        conv.updated_at = conv.updated_at - timedelta(minutes=31)
    converse(chat, [("1", ["한동안 말씀이 없어서 처음으로", *HOME])])


def test_each_user_has_their_own_conversation(client):
    one, two = KakaoChat(client, "u-one"), KakaoChat(client, "u-two")
    one.say("도움말")
    converse(two, [("ㅋㅋ", "잘 알아듣지 못했어요")])
