"""What became of what residents adopted (the four-step cycle's last step), by time travel with
`maeul tick --now` against the loopback messengers: the plan, the passed due date, progress and
the result each reach everyone who took part in the ballot once, and nobody else; managers see the
overdue plan in the alerts and on the console's banner; the public page shows the trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import agenda
from bot.errors import Conflict
from bot.models import Outbox
from bot.models.agenda import AgendaProgress
from bot.models.ballot import Ballot
from tests.agenda_helpers import adopted_ballot, at, make_village, post_progress


def agenda_rows(db) -> list[tuple[str, str]]:
    with db.session() as session:
        return sorted(session.execute(select(Outbox.idempotency_key, Outbox.status).where(
            Outbox.idempotency_key.like("agenda:%"))).all())


def test_plan_overdue_progress_and_result_each_reach_every_participant_once(
        client, admin_headers, db, community, fake, tick, desk):
    ids = make_village(db, community)
    ballot_id = adopted_ballot(db, ids, tick)
    assert fake.received("kakao") == {"minsu": 1}, "the results, to those who voted"
    with db.session() as session:  # step 1 → 2: the proposer heard their proposal went to vote
        [told] = session.scalars(select(Outbox.text).where(
            Outbox.target == "proposer", Outbox.text.contains("주민총회 안건"))).all()
        assert "놀이터에 그늘막을 달아 주세요" in told
    assert fake.received("telegram") == {"777": 1, "-100123": 2}, "the proposal, the results"

    # 추진계획, due 20 November: those who took part hear it (not `idle`, who did not vote, and
    # not `quiet`, who voted but turned notices off).
    post_progress(db, ballot_id, 1, at(11, 6, 10), stage="plan", due_date="2026-11-20",
                  text="업체를 고르고 11월 20일까지 설치해요.")
    tick(at(11, 6, 10, 1))
    tick(at(11, 6, 10, 2))  # a second tick sends nothing again
    assert fake.received("kakao") == {"minsu": 2}
    assert fake.received("telegram") == {"777": 2, "-100123": 2}, "rooms are not told"
    plan = fake.kakao[-1][1]
    assert "[추진계획]" in plan and "놀이터 그늘막 설치" in plan and "11월 20일" in plan

    # The due day itself is not late; the next morning is, once.
    tick(at(11, 20, 12))
    assert fake.received("kakao") == {"minsu": 2}
    with db.session() as session:
        assert agenda.alerts(session, community.id, at(11, 20, 12)) == [{
            "kind": "agenda", "proposal_id": None, "ballot_id": ballot_id, "item": 1,
            "project": None, "community": "pungsan", "title": "놀이터 그늘막 설치",
            "answer_due": None, "due_date": "2026-11-20", "overdue": False}]
    tick(at(11, 21, 9))
    tick(at(11, 22, 9))
    assert fake.received("kakao") == {"minsu": 3} and fake.received("telegram")["777"] == 3
    assert "[추진 지연]" in fake.kakao[-1][1] and "11월 20일" in fake.kakao[-1][1]
    with db.session() as session:
        [late] = agenda.alerts(session, community.id, at(11, 21, 9))
        assert late["overdue"] is True
    # Managers see it: REST alerts and the console's banner (both as of today, after 21 Nov).
    alerts = client.get("/api/v1/alerts", headers=admin_headers).get_json()["items"]
    assert [(a["kind"], a["title"], a["overdue"]) for a in alerts] == [
        ("agenda", "놀이터 그늘막 설치", True)]
    banner = desk.get("/console/c/pungsan").get_data(as_text=True)
    assert "추진 예정일" in banner and "예정일 지남" in banner

    # 추진경과 with a new date, then 추진결과: each pushed once, the alert gone.
    post_progress(db, ballot_id, 1, at(11, 25, 10), stage="progress", due_date="2026-11-28",
                  text="기둥 공사를 마쳤어요. 천막은 28일에 달아요.")
    tick(at(11, 25, 10, 1))
    post_progress(db, ballot_id, 1, at(11, 28, 15), stage="result",
                  text="그늘막 4개를 모두 달았어요.")
    tick(at(11, 28, 15, 1))
    tick(at(11, 30, 9))  # the new date passed, but the result is in: nothing is late
    assert fake.received("kakao") == {"minsu": 5} and fake.received("telegram")["777"] == 5
    assert "[추진결과]" in fake.kakao[-1][1]
    assert [m for _, m in fake.telegram if "[추진" in m] == [m for _, m in fake.kakao
                                                           if "[추진" in m]
    rows = agenda_rows(db)
    assert len(rows) == 8 and {status for _, status in rows} == {"sent"}, rows
    assert client.get("/api/v1/alerts", headers=admin_headers).get_json()["items"] == []
    with pytest.raises(Conflict) as done:
        post_progress(db, ballot_id, 1, at(11, 29, 9), stage="progress", text="덧붙여요")
    assert done.value.code == "agenda_done"
    with db.session() as session:
        stages = session.scalars(select(AgendaProgress.stage).order_by(AgendaProgress.id)).all()
        assert stages == ["plan", "overdue", "progress", "result"]
        assert session.get(Ballot, ballot_id).items[0].progress[-1].stage == "result"

    # The public page shows the whole trail under step 4.
    page = client.get("/public/pungsan").get_data(as_text=True)
    for words in ("1. 주민 제안", "2. 안건과 자료", "3. 투표와 결과", "4. 추진 상황",
                  "놀이터에 그늘막을 달아 주세요", "추진계획: 업체를 고르고", "완료 예정일(2026-11-20)이 지났어요",
                  "추진경과: 기둥 공사를", "추진결과: 그늘막 4개를", "부결되어 추진하지 않아요"):
        assert words in page, words


def test_the_rejected_item_takes_no_trail_and_progress_needs_a_plan(
        client, admin_headers, db, community, fake, tick):
    ids = make_village(db, community)
    ballot_id = adopted_ballot(db, ids, tick)
    with pytest.raises(Conflict) as refused:
        post_progress(db, ballot_id, 2, at(11, 6, 10), stage="plan", due_date="2026-11-30",
                      text="축제를 늘려요.")
    assert refused.value.code == "agenda_not_adopted"
    with pytest.raises(Conflict) as early:
        post_progress(db, ballot_id, 1, at(11, 6, 10), stage="progress", text="시작했어요.")
    assert early.value.code == "agenda_no_plan"
    assert agenda_rows(db) == []
