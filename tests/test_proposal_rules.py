"""Tiered thresholds, per preset: stage transitions at exactly the threshold, the 공감 ≥ 비공감
rule, window expiry, answer deadlines, more input, send-back, progress, and the history of it all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import proposal_clock, proposal_reports, proposals
from bot.commands.proposals import (
    AnswerProposal,
    ProgressProposal,
    ScreenProposal,
    SendBackProposal,
)
from bot.errors import Conflict
from bot.models import Community
from bot.models.proposal import Proposal
from bot.proposal_rules import PRESETS
from tests.proposal_helpers import (
    T0,
    agree,
    bulk_agree,
    later,
    notices,
    published,
    residents,
    state,
)


def _community(db, preset: str | None = None, rules: list | None = None,
               uses_disagree: bool = False) -> int:
    with db.session() as session:
        community = Community(slug=f"c-{preset or 'own'}", name="풍산동 주민자치회",
                              phone="031-8075-5000", proposal_preset=preset,
                              proposal_rules=rules or [], uses_disagree=uses_disagree,
                              complaint_text="민원은 120으로 알려 주세요.")
        session.add(community)
        session.flush()
        return community.id


def _actions(db, pid: int) -> list[str]:
    return [event["action"] for event in state(db, pid)["history"]]


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_each_preset_moves_up_at_exactly_each_threshold(db, preset):
    cid = _community(db, preset, uses_disagree=preset == "chuncheon")
    pid = published(db, cid)
    stages = PRESETS[preset]
    assert state(db, pid)["window_ends_at"] == (T0 + timedelta(days=stages[0].window_days)
                                                ).isoformat()
    counted, started = 0, T0
    for number, stage in enumerate(stages, start=1):
        at = started + timedelta(days=stage.window_days - 1)
        people = residents(db, cid, stage.agreements - counted, prefix=f"s{number}")
        bulk_agree(db, pid, people[:-2], at)
        short = agree(db, pid, people[-2], at)
        assert short.status == proposals.RECORDED and short.agreements == stage.agreements - 1
        assert short.reached is None and state(db, pid)["stage"] == number - 1
        crossing = agree(db, pid, people[-1], at)
        assert crossing.agreements == stage.agreements and crossing.reached == number
        now = state(db, pid, at)
        assert now["status"] == "awaiting_answer" and now["stage"] == number
        assert now["answer_actor"] == stage.actor
        assert now["answer_due"] == (at + timedelta(days=stage.answer_days)).isoformat()
        if number < len(stages):
            assert now["window_ends_at"] == (
                at + timedelta(days=stages[number].window_days)).isoformat()
            assert now["next_threshold"] == stages[number].agreements
        else:
            assert now["window_ends_at"] is None and now["next_threshold"] is None
        counted, started = stage.agreements, at
    assert _actions(db, pid) == ["submitted", "approved"] + ["stage_reached"] * len(stages)
    reached = [e["details"]["agreements"] for e in state(db, pid)["history"][2:]]
    assert reached == [s.agreements for s in stages]


def test_chuncheon_needs_as_many_agreements_as_disagreements(db):
    cid = _community(db, "chuncheon", uses_disagree=True)
    pid = published(db, cid)
    at = later(5)
    bulk_agree(db, pid, residents(db, cid, 51, prefix="no"), at, kind=proposals.DISAGREE)
    people = residents(db, cid, 51, prefix="yes")
    bulk_agree(db, pid, people[:49], at)
    at_threshold = agree(db, pid, people[49], at)
    assert at_threshold.agreements == 50 and at_threshold.disagreements == 51
    assert at_threshold.reached is None, "50 공감 against 51 비공감 must not move up"
    balanced = agree(db, pid, people[50], at)
    assert (balanced.agreements, balanced.reached) == (51, 1)


def test_a_disagreement_is_refused_where_the_community_does_not_use_it(db):
    cid = _community(db, "geumcheon")
    pid = published(db, cid)
    [rid] = residents(db, cid, 1)
    assert agree(db, pid, rid, later(1), proposals.DISAGREE).status == proposals.NO_DISAGREE
    assert state(db, pid)["disagreements"] == 0


def test_a_proposal_that_misses_its_window_closes_as_expired(db):
    cid = _community(db, "geumcheon")
    pid = published(db, cid)
    bulk_agree(db, pid, residents(db, cid, 5), later(3))
    with db.session() as session:
        assert proposal_clock.expire_due(session, later(29.9)) == {"expired": 0, "awaiting_answer": 0}
    [late] = residents(db, cid, 1, prefix="late")
    assert agree(db, pid, late, later(30.5)).status == proposals.CLOSED  # window over
    with db.session() as session:
        assert proposal_clock.expire_due(session, later(30.5)) == {"expired": 1, "awaiting_answer": 0}
        assert proposal_clock.expire_due(session, later(31)) == {"expired": 0, "awaiting_answer": 0}
    final = state(db, pid)
    assert final["status"] == "expired" and final["status_label"] == "기간 만료"
    assert final["agreements"] == 5
    assert _actions(db, pid) == ["submitted", "approved", "expired"]
    assert [n.text.splitlines()[0] for n in notices(db, pid)][-1] == (
        "제안 '놀이터 그늘막'은(는) 기간 안에 공감이 모이지 않아 마감되었어요.")


def _reach_first_stage(db, cid: int, pid: int, at: datetime) -> None:
    with db.session() as session:
        need = proposals.stages(session.get(Proposal, pid))[0].agreements
    people = residents(db, cid, need, accounts=True, prefix=f"a{pid}")
    bulk_agree(db, pid, people[:-1], at)
    assert agree(db, pid, people[-1], at).reached == 1


def test_answer_deadlines_make_a_proposal_overdue_and_count_in_the_stats(db):
    cid = _community(db, "daejeon")
    on_time, late = published(db, cid, title="제때"), published(db, cid, title="늦게",
                                                              proposer_account="p2")
    _reach_first_stage(db, cid, on_time, later(2))
    _reach_first_stage(db, cid, late, later(2))
    due = later(12)  # 대전: a department answers within 10 days
    with db.session() as session:
        for pid in (on_time, late):
            assert not proposals.overdue(session.get(Proposal, pid), due - timedelta(seconds=1))
            assert proposals.overdue(session.get(Proposal, pid), due + timedelta(seconds=1))
        proposals.answer(session, session.get(Proposal, on_time), AnswerProposal(outcome="rejected", text="예산이 없어요."), "manager:1", later(5))
        proposals.answer(session, session.get(Proposal, late), AnswerProposal(outcome="accepted", text="내년에 설치해요.", due_date="2027-06-30"), "manager:1", later(15))
    with db.session() as session:
        figures = proposal_reports.stats(session, session.get(Community, cid), later(16))
    assert figures["answered"] == 2 and figures["answered_on_time"] == 1
    assert figures["reached_stage"] == {"1": 2, "2": 0, "3": 0}
    assert state(db, late)["history"][-1]["details"]["on_time"] is False


def test_more_input_reopens_agreements_then_awaits_an_answer_again(db):
    cid = _community(db, "geumcheon")
    pid = published(db, cid)
    _reach_first_stage(db, cid, pid, later(1))
    with db.session() as session:
        proposals.answer(session, session.get(Proposal, pid), AnswerProposal(outcome="more_input", due_date="2026-12-10"),
                         "manager:1", later(4))
    assert state(db, pid)["status"] == "answered_more_input"
    [extra] = residents(db, cid, 1, prefix="more")
    assert agree(db, pid, extra, later(6)).status == proposals.RECORDED
    with db.session() as session:
        assert proposal_clock.expire_due(session, later(9)) == {"expired": 0, "awaiting_answer": 0}
        assert proposal_clock.expire_due(session, later(10)) == {"expired": 0, "awaiting_answer": 1}
    back = state(db, pid)
    assert back["status"] == "awaiting_answer" and back["agreements"] == 21
    assert back["answer_due"] == (later(10) + timedelta(days=20)).isoformat()
    assert _actions(db, pid)[-2:] == ["answered", "input_closed"]


def test_send_back_returns_an_answer_for_rewriting_with_a_deadline(db):
    cid = _community(db, "daejeon")
    pid = published(db, cid)
    _reach_first_stage(db, cid, pid, later(1))
    with db.session() as session:
        proposal = session.get(Proposal, pid)
        proposals.answer(session, proposal, AnswerProposal(outcome="rejected", text="안 돼요."), "manager:1", later(3))
        proposals.send_back(session, proposal, SendBackProposal(reason="이유가 부족해요."), "admin-token", later(4))
    sent = state(db, pid)
    assert sent["status"] == "awaiting_answer"
    # 5 days from 12월 5일 (Seoul), to the end of that day in Seoul
    assert sent["answer_due"] == "2026-12-10T14:59:59+00:00"
    assert sent["history"][-1]["details"] == {"reason": "이유가 부족해요.",
                                              "due_date": "2026-12-10",
                                              "previous_outcome": "rejected"}
    with db.session() as session:
        proposals.answer(session, session.get(Proposal, pid), AnswerProposal(outcome="accepted", text="설치 계획을 세웠어요.", due_date="2027-03-31"), "manager:1", later(6))
        proposals.progress(session, session.get(Proposal, pid), ProgressProposal(stage="plan", text="3월 착공"), "manager:1",
                           later(7))
        proposals.progress(session, session.get(Proposal, pid), ProgressProposal(stage="result", text="설치 완료"),
                           "manager:1", later(90))
    assert state(db, pid)["status"] == "done"
    assert _actions(db, pid) == ["submitted", "approved", "stage_reached", "answered",
                                 "sent_back", "answered", "progress", "progress"]
    assert [e["status"] for e in state(db, pid)["history"]] == [
        "pending_review", "collecting", "awaiting_answer", "answered_rejected",
        "awaiting_answer", "answered_accepted", "in_progress", "done"]


def test_everyone_who_agreed_hears_each_step_once(db):
    cid = _community(db, rules=[{"agreements": 3, "window_days": 10, "actor": "council",
                                 "answer_days": 7}])
    pid = published(db, cid)
    people = residents(db, cid, 3, accounts=True, prefix="fb")
    for rid in people:
        agree(db, pid, rid, later(1))
    with db.session() as session:
        proposal = session.get(Proposal, pid)
        proposals.answer(session, proposal, AnswerProposal(outcome="accepted", text="하기로 했어요.", due_date="2027-01-31"),
                         "manager:1", later(2))
        proposals.progress(session, proposal, ProgressProposal(stage="progress", text="공사 중이에요."), "manager:1", later(9))
    sent = notices(db, pid)
    by_event: dict[str, list[str]] = {}
    for notice in sent:
        event = notice.idempotency_key.split(":account:")[0]
        by_event.setdefault(event, []).append(notice.target)
    # approved (proposer only), stage reached, answer, progress (proposer + 3 each)
    assert sorted(len(targets) for targets in by_event.values()) == [1, 4, 4, 4]
    assert all(len(set(targets)) == len(targets) for targets in by_event.values())
    texts = [n.text for n in sent]
    assert any("주민자치회 심의로 넘어가" in text for text in texts)
    assert any("수용되었어요" in text and "1월 31일까지" in text for text in texts)
    assert any("추진경과" in text and "공사 중이에요." in text for text in texts)


def test_changing_the_rules_later_does_not_move_a_published_proposals_goalposts(db):
    cid = _community(db, "geumcheon")
    pid = published(db, cid)
    with db.session() as session:
        session.get(Community, cid).proposal_preset = "seoul"
    assert state(db, pid)["next_threshold"] == 20
    assert state(db, pid)["stages"] == [PRESETS["geumcheon"][0].as_dict()]


def test_wrong_moves_are_refused_with_the_reason(db):
    cid = _community(db, "geumcheon")
    pid = published(db, cid)
    with db.session() as session:
        proposal = session.get(Proposal, pid)
        with pytest.raises(Conflict, match="공감 모으는 중"):
            proposals.answer(session, proposal, AnswerProposal(outcome="accepted", text="x", due_date="2027-01-01"), "m", later(1))
        with pytest.raises(Conflict, match="검토할"):
            proposals.screen(session, proposal, ScreenProposal(decision="approve"), "m", later(1))
        with pytest.raises(Conflict, match="추진 상황"):
            proposals.progress(session, proposal, ProgressProposal(stage="plan", text="x"), "m", later(1))
    assert state(db, pid)["status"] == "collecting"


def test_expiry_uses_the_time_it_is_given(db):
    """Nothing reads the wall clock: a tick at T decides as of T."""
    cid = _community(db, "gwangsan")
    pid = published(db, cid, at=datetime(2026, 1, 1, tzinfo=UTC))
    with db.session() as session:
        assert proposal_clock.expire_due(session, datetime(2026, 1, 20, tzinfo=UTC))["expired"] == 0
        assert proposal_clock.expire_due(session, datetime(2026, 1, 21, tzinfo=UTC))["expired"] == 1
    assert state(db, pid)["status"] == "expired"


def test_answer_deadlines_remind_three_days_before_and_on_the_day_then_escalate(db):
    cid = _community(db, "geumcheon")  # the department answers within 20 days
    pid = published(db, cid)
    _reach_first_stage(db, cid, pid, later(1))  # due at T0 + 21 days
    with db.session() as session:
        steps = [proposal_clock.deadline_due(session, later(day)) for day in
                 (10, 18, 18.5, 21 - 1 / 24, 21.5, 22, 30)]
    assert steps == [{"reminded": 0, "escalated": 0}, {"reminded": 1, "escalated": 0},
                     {"reminded": 0, "escalated": 0}, {"reminded": 1, "escalated": 0},
                     {"reminded": 0, "escalated": 1}, {"reminded": 0, "escalated": 0},
                     {"reminded": 0, "escalated": 0}]
    history = state(db, pid)["history"]
    assert [(e["action"], e["details"].get("kind")) for e in history[3:]] == [
        ("answer_reminder", "d-3"), ("answer_reminder", "d-day"), ("escalated", None)]
    with db.session() as session:
        [alert] = proposal_reports.alerts(session, None, later(22))
        assert alert["overdue"] and alert["escalated"] and alert["proposal_id"] == pid
        assert proposal_reports.alerts(session, cid + 1, later(22)) == []
