"""Roster files and imports for identity tests."""

from __future__ import annotations

ROSTER = [
    ("김민수", "1952-03-15", "010-1234-1234"),
    ("이영희", "1948-11-02", "010-9876-5678"),
    ("박지훈", "1985-07-30", "010-5555-4321"),
    ("최수아", "2012-05-05", "010-2222-8765"),
]


def roster_csv(rows=ROSTER, header: str = "name,birth_date,phone", encoding: str = "utf-8",
               bom: bool = False) -> bytes:
    lines = [header] + [",".join(row) for row in rows]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def import_roster(client, headers, data: bytes, slug: str = "pungsan"):
    return client.post(f"/api/v1/communities/{slug}/roster", data=data,
                       headers={**headers, "Content-Type": "text/csv"})
