"""Console pages through the test client: scheduling and editing a ballot before it opens,
refusals shown in plain words, roster preview before import, linking a band, a notice."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from bot import create_app
from bot.models import Outbox, Resident, Room
from bot.models.ballot import Ballot
from tests.console_helpers import csrf, local_input, manager, sign_in
from tests.factories import database_is_free
from tests.fakes import FakeMessengers
from tests.identity_helpers import roster_csv


def test_a_ballot_is_scheduled_edited_before_opening_and_refusals_read_plainly(desk, db):
    token = csrf(desk, "/console/c/pungsan/ballots/new")
    form = {"csrf_token": token, "title": "12월 주민총회", "overview": "안건 두 가지",
            "opens_at": local_input(2), "closes_at": local_input(9), "item1_title": "축제 예산",
            "item1_kind": "yes_no"}
    refused = desk.post("/console/c/pungsan/ballots/new", data={**form, "closes_at": local_input(1)})
    assert refused.status_code == 422
    assert "마감 시간은 시작 시간보다 뒤여야 해요." in refused.get_data(as_text=True)
    created = desk.post("/console/c/pungsan/ballots/new", data=form)
    assert created.status_code == 302
    with db.session() as session:
        ballot_id = session.scalars(select(Ballot.id)).one()
    page = desk.get(f"/console/ballots/{ballot_id}").get_data(as_text=True)
    assert "상태: 예정" in page and "고치기" in page
    edit = desk.get(f"/console/ballots/{ballot_id}/edit").get_data(as_text=True)
    assert 'value="12월 주민총회"' in edit
    saved = desk.post(f"/console/ballots/{ballot_id}/edit", data={
        **form, "title": "12월 주민총회 (장소 변경)", "item2_title": "공원 이름",
        "item2_kind": "choose_one", "item2_options": "풍산공원\n햇살공원", "item2_abstain": "on"})
    assert saved.status_code == 302
    with db.session() as session:
        ballot = session.get(Ballot, ballot_id)
        assert ballot.title == "12월 주민총회 (장소 변경)"
        assert [item.title for item in ballot.items] == ["축제 예산", "공원 이름"]
        assert [item.allow_abstain for item in ballot.items] == [False, True]
    assert "기권 가능" in desk.get(f"/console/ballots/{ballot_id}").get_data(as_text=True)
    assert 'name="item2_abstain" checked' in desk.get(
        f"/console/ballots/{ballot_id}/edit").get_data(as_text=True)
    closing = desk.post(f"/console/ballots/{ballot_id}/close",
                        data={"csrf_token": token}, follow_redirects=True)
    assert "아직 시작하지 않은 투표는 마감할 수 없어요" in closing.get_data(as_text=True)


def test_the_ballot_form_takes_as_many_items_as_the_domain_allows(desk, db):
    """Finding (issue 20): the form read 5 item slots and showed 3 where a ballot may have 20."""
    token = csrf(desk, "/console/c/pungsan/ballots/new")
    more = desk.get("/console/c/pungsan/ballots/new?slots=20").get_data(as_text=True)
    assert 'name="item20_title"' in more and 'name="item21_title"' not in more
    form = {"csrf_token": token, "title": "안건이 많은 총회", "opens_at": local_input(2),
            "closes_at": local_input(9)}
    for n in range(1, 13):
        form.update({f"item{n}_title": f"사업 {n}", f"item{n}_kind": "yes_no"})
    assert desk.post("/console/c/pungsan/ballots/new", data=form).status_code == 302
    with db.session() as session:
        ballot = session.scalars(select(Ballot)).one()
        assert [item.title for item in ballot.items] == [f"사업 {n}" for n in range(1, 13)]
        ballot_id = ballot.id
    edit = desk.get(f"/console/ballots/{ballot_id}/edit").get_data(as_text=True)
    assert 'value="사업 12"' in edit and 'name="item14_title"' in edit


def test_the_roster_preview_lists_every_bad_row_before_anything_is_imported(desk, db):
    token = csrf(desk, "/console/c/pungsan/residents")
    bad = roster_csv([("김민수", "1952-13-15", "010-1234-1234"), ("", "1948-11-02", "010-1")])
    preview = desk.post("/console/c/pungsan/roster", data={
        "csrf_token": token, "file": (io.BytesIO(bad), "roster.csv")})
    text = preview.get_data(as_text=True)
    assert "아무것도 가져오지 않았어요" in text and text.count("<tr><td>") >= 3
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Resident)) == 0
    good = desk.post("/console/c/pungsan/roster", data={
        "csrf_token": token, "file": (io.BytesIO(roster_csv()), "roster.csv")})
    assert "4명을 읽었어요" in good.get_data(as_text=True)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Resident)) == 0
    import base64  # the preview carries the uploaded bytes themselves, not decoded text

    done = desk.post("/console/c/pungsan/roster", data={
        "csrf_token": token, "confirm": "yes", "data": base64.b64encode(roster_csv()).decode()},
        follow_redirects=True)
    assert "새로 4명" in done.get_data(as_text=True)


def test_a_band_is_linked_from_the_console_and_a_notice_queued(config, db, community):
    fake = FakeMessengers().start()
    app = create_app({**config, **fake.settings()})
    try:
        client = app.test_client()
        manager(db, "desk@pungsan.kr", "풍산 담당", community.id)
        sign_in(client, "desk@pungsan.kr")
        free_while_band_answers: list[bool] = []
        fake.on_band_read = lambda _path: free_while_band_answers.append(database_is_free(db))
        page = client.get("/console/c/pungsan/rooms").get_data(as_text=True)
        assert "풍산동 소통방 연결" in page
        assert free_while_band_answers == [True], "no transaction open while BAND answers"
        token = csrf(client, "/console/c/pungsan/rooms")
        linked = client.post("/console/c/pungsan/rooms/band", data={
            "csrf_token": token, "band_key": "band-pungsan"}, follow_redirects=True)
        assert "공지방으로 연결했어요" in linked.get_data(as_text=True)
        forged = client.post("/console/c/pungsan/rooms/band", data={
            "csrf_token": token, "band_key": "band-nowhere"}, follow_redirects=True)
        assert "쓸 수 있는 밴드가 아니에요" in forged.get_data(as_text=True)
        sent = client.post("/console/c/pungsan/rooms/notice", data={
            "csrf_token": token, "text": "12월 5일 주민총회가 열려요."}, follow_redirects=True)
        assert "방 1곳에 보내도록" in sent.get_data(as_text=True)
    finally:
        app.extensions["maeul.db"].dispose()
        fake.stop()
    with db.session() as session:
        assert session.scalars(select(Room.external_key)).all() == ["band-pungsan"]
        assert session.scalars(select(Outbox.text)).all() == ["12월 5일 주민총회가 열려요."]
