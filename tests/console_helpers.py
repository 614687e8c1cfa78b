"""Managers with console passwords, and signing in through the real form."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from werkzeug.security import generate_password_hash

from bot.models import Manager

PASSWORD = "마을-비밀번호-2026"


def manager(db, email: str, name: str, community_id: int | None) -> int:
    with db.session() as session:
        row = Manager(email=email, name=name, community_id=community_id,
                      password_hash=generate_password_hash(PASSWORD))
        session.add(row)
        session.flush()
        return row.id


def csrf(client, path: str = "/console/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/console/login", data={"email": email, "password": password,
                                               "csrf_token": csrf(client)})


def local_input(days: float) -> str:
    """A moment `days` from now as a datetime-local form field in Seoul time."""
    return (datetime.now(ZoneInfo("Asia/Seoul")) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")
