"""The roster import: Excel's encodings, all-or-nothing validation, re-imports, and privacy."""

from __future__ import annotations

import io
import os
import subprocess

import pytest
from sqlalchemy import func, inspect, select

from bot.models import AuditEvent, Resident
from tests.identity_helpers import ROSTER, import_roster, roster_csv


def _residents(db) -> list[tuple]:
    with db.session() as session:
        return [(r.masked_name, r.birth_date, r.moved_out_at is not None, r.identity_key)
                for r in session.scalars(select(Resident).order_by(Resident.id))]


@pytest.mark.parametrize("encoding, bom", [("utf-8", False), ("utf-8", True), ("cp949", False)])
def test_imports_excel_encodings(client, admin_headers, community, db, encoding, bom):
    response = import_roster(client, admin_headers, roster_csv(encoding=encoding, bom=bom))
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"added": 4, "updated": 0, "unchanged": 0, "moved_out": 0,
                                   "mode": "add"}
    assert [r[0] for r in _residents(db)] == ["김*수", "이*희", "박*훈", "최*아"]


def test_korean_headers_and_multipart_upload(client, admin_headers, community):
    data = roster_csv(header="이름,생년월일,전화번호,주소",
                      rows=[(n, b, p + ",고양시 덕양구") for n, b, p in ROSTER[:2]])
    response = client.post("/api/v1/communities/pungsan/roster", headers=admin_headers,
                           data={"file": (io.BytesIO(data), "명부.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["added"] == 2


BAD_ROWS = [
    ("missing column", roster_csv(header="name,birth_date"), [(1, "phone")]),
    ("bad date", roster_csv(rows=[("김민수", "1952-13-45", "010-1234-1234")]),
     [(2, "birth_date")]),
    ("future birth date", roster_csv(rows=[("김민수", "2099-01-01", "010-1234-1234")]),
     [(2, "birth_date")]),
    ("duplicate row", roster_csv(rows=[ROSTER[0], ROSTER[1], ROSTER[0]]), [(4, "row")]),
    ("bad phone", roster_csv(rows=[("김민수", "1952-03-15", "12")]), [(2, "phone")]),
    ("empty name", roster_csv(rows=[("", "1952-03-15", "010-1234-1234")]), [(2, "name")]),
    ("wrong encoding", "name,birth_date,phone\n김민수,1952-03-15,010-1234-1234\n"
     .encode("utf-16"), [(1, "file")]),
    ("several at once", roster_csv(rows=[ROSTER[0], ("이영희", "nope", "010"), ROSTER[2]]),
     [(3, "birth_date"), (3, "phone")]),
]


@pytest.mark.parametrize("label, data, expected", BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_every_bad_row_is_listed_and_nothing_changes(client, admin_headers, community, db,
                                                     label, data, expected):
    import_roster(client, admin_headers, roster_csv(rows=ROSTER[:2]))
    before = _residents(db)
    response = import_roster(client, admin_headers, data)
    assert response.status_code == 422
    error = response.get_json()["error"]
    rows = error["details"]["rows"]
    assert [(r["line"], r["field"]) for r in rows] == expected, rows
    assert all(r["message"] for r in rows)
    assert "아무것도 가져오지 않았어요" in error["message"]
    assert _residents(db) == before


def test_reimport_adds_updates_and_marks_moved_out(client, admin_headers, community, db):
    import_roster(client, admin_headers, roster_csv())
    replace = "/api/v1/communities/pungsan/roster?mode=replace&confirm_moved_out="
    csv_headers = {**admin_headers, "Content-Type": "text/csv"}
    second = client.post(replace + "2&confirm_large=yes", headers=csv_headers, data=roster_csv(
        rows=[ROSTER[0], ROSTER[1], ("정하늘", "1990-01-01", "010-3333-3333")]))
    assert second.get_json() == {"added": 1, "updated": 0, "unchanged": 2, "moved_out": 2,
                                 "mode": "replace"}
    moved = {name for name, _, gone, _ in _residents(db) if gone}
    assert moved == {"박*훈", "최*아"}
    back = client.post(replace + "1&confirm_large=yes", headers=csv_headers, data=roster_csv())
    assert back.get_json() == {"added": 0, "updated": 2, "unchanged": 2, "moved_out": 1,
                               "mode": "replace"}
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Resident)) == 5
        actions = session.scalars(select(AuditEvent.action)).all()
        assert actions.count("roster.imported") == 3


def test_roster_needs_csv_and_a_manager_of_the_community(client, admin_headers, community):
    assert client.post("/api/v1/communities/pungsan/roster", data=roster_csv()).status_code == 401
    wrong = client.post("/api/v1/communities/pungsan/roster", headers=admin_headers,
                        json={"rows": []})
    assert wrong.status_code == 415 and wrong.get_json()["error"]["message"]
    assert import_roster(client, admin_headers, b"", slug="pungsan").status_code == 422


def test_a_database_dump_reveals_no_name_and_no_phone(client, admin_headers, community, db,
                                                      app):
    assert import_roster(client, admin_headers, roster_csv()).status_code == 200
    secrets = [part for name, _, phone in ROSTER
               for part in (name, phone, phone.replace("-", ""))]
    url = app.extensions["maeul.settings"]["DATABASE_URL"]
    if url.startswith("sqlite"):
        db.engine.dispose()
        path = url.removeprefix("sqlite:///")
        dump = b"".join(open(p, "rb").read() for p in (path, path + "-wal")
                        if os.path.exists(p)).decode("utf-8", "replace")
    else:
        dump = subprocess.run(["pg_dump", "--data-only", url.replace("+psycopg", "")],
                              capture_output=True, text=True, check=True).stdout
    assert "김*수" in dump  # the dump is readable: the masked name is there
    for secret in secrets:
        assert secret not in dump, f"{secret!r} found in the database dump"


def test_only_keys_masked_name_and_birth_date_are_kept(db):
    columns = {c["name"] for c in inspect(db.engine).get_columns("residents")}
    assert not {"name", "full_name", "phone", "address", "phone_last4"} & columns
