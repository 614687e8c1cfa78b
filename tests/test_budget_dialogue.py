"""주민참여예산 in the chat, as residents meet it (resident says, bot answers): projects with their
costs five a page, several picks at once, the running total and what is left, an over-cap pick
refused with the amount, a pick taken out, finishing, the summary and submit. Unclear replies are
asked again and never add a project."""

from __future__ import annotations

import pytest

from tests.ballot_helpers import create_ballot, sealed_choices
from tests.dialogue import KakaoChat, converse

MAN = 10_000
PROJECTS = [("경로당 보수", 1200), ("어린이 도서관", 2000), ("골목 가로등", 800), ("마을 텃밭", 900),
            ("버스 정류장 그늘막", 500), ("공원 운동기구", 700), ("벽화 그리기", 300)]
ITEM = {"title": "2027 주민참여예산", "summary": "동네 사업을 골라 주세요.", "kind": "budget",
        "budget": 3000 * MAN, "max_choices": 4, "min_choices": 1,
        "options": [{"label": label, "cost": cost * MAN} for label, cost in PROJECTS]}
PAGE1 = ["안건 1/1. 2027 주민참여예산", "예산 3,000만 원 안에서 4개까지 골라요.", "아직 고른 사업이 없어요.",
         "사업 목록 1/2쪽", "1. 경로당 보수 · 1,200만 원", "5. 버스 정류장 그늘막 · 500만 원",
         "8. 다음", "9. 다 골랐어요", "0. 처음으로"]


@pytest.fixture
def ballot(client, admin_headers, community):
    return create_ballot(client, admin_headers, items=[ITEM])


def test_several_picks_the_cap_a_removal_and_submit(client, db, voter, ballot):
    chat = KakaoChat(client, voter)
    converse(chat, [
        ("투표", PAGE1),
        ("1 3", ["골랐어요: 경로당 보수, 골목 가로등",
                 "고르신 사업 2개, 합계 2,000만 원 / 남은 예산 1,000만 원", "- 경로당 보수",
                 "1. ✔ 경로당 보수 · 1,200만 원", "3. ✔ 골목 가로등 · 800만 원"]),
        ("2", ["예산을 1,000만 원 넘어서 고를 수 없어요: 어린이 도서관", "합계 2,000만 원"]),
        ("3번", ["뺐어요: 골목 가로등", "고르신 사업 1개, 합계 1,200만 원 / 남은 예산 1,800만 원"]),
        ("다음", ["사업 목록 2/2쪽", "1. 공원 운동기구 · 700만 원", "2. 벽화 그리기 · 300만 원",
                "7. 이전", "9. 다 골랐어요"]),
        ("1 2", ["고르신 사업 3개, 합계 2,200만 원 / 남은 예산 800만 원"]),
        ("다 골랐어요", ["선택하신 내용이에요.",
                     "→ 경로당 보수, 공원 운동기구, 벽화 그리기 (합계 2,200만 원)", "1. 예 (제출)"]),
    ])
    assert sum(sealed_choices(db).values()) == 0, "nothing is recorded before 1 at the summary"
    converse(chat, [("1", "투표가 접수되었어요")])
    assert sorted(option for (_, option) in sealed_choices(db)) == [1, 6, 7]


@pytest.mark.parametrize("unclear", ["음", "경로당이랑 뭐였지?", "1 8", "6", "1,1", "2번 말고"])
def test_unclear_replies_never_add_a_project(client, db, voter, ballot, unclear):
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", PAGE1)])
    converse(chat, [(unclear, ["사업 번호를 보내 주세요", "아직 고른 사업이 없어요."])],
             absent=["골랐어요:"])


def test_a_mix_of_picked_and_new_numbers_is_asked_again(client, db, voter, ballot):
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", PAGE1), ("1", "골랐어요: 경로당 보수"),
                    ("1 3", ["고른 사업을 빼려면 그 번호만 보내 주세요", "고르신 사업 1개"]),
                    ("9", "→ 경로당 보수 (합계 1,200만 원)")])


def test_finishing_needs_the_least_number_of_picks(client, admin_headers, db, voter):
    create_ballot(client, admin_headers, items=[{**ITEM, "min_choices": 2}])
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", "2027 주민참여예산"), ("9", "2개 이상 골라 주세요"),
                    ("경로당 보수", "골랐어요: 경로당 보수"), ("9", "2개 이상 골라 주세요"),
                    ("5", "골랐어요: 버스 정류장 그늘막"),
                    ("9", ["선택하신 내용이에요.", "(합계 1,700만 원)"]),
                    ("2", ["처음 안건부터 다시 고를게요", "아직 고른 사업이 없어요."])])
