"""Test fixtures: a fresh database per test (SQLite file), or per run (PostgreSQL, truncated).

Set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test to run on PostgreSQL: the run
creates its own database next to the one named, and drops it at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import create_engine, text

from bot import create_app
from bot.db import Database, normalise_url
from bot.models import Base, Community
from tests.scratch import postgres_database

# Production is the default everywhere else; the test suite says it is a test (subprocesses and
# in-process CLI runs inherit this).
os.environ.setdefault("MAEUL_ENV", "test")
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
ADMIN_TOKEN = "admin-test-token"
KAKAO_TOKEN = "kakao-test-token"
KAKAO_BOT = "bot-test"
TELEGRAM_SECRET = "telegram-test-secret"

requires_postgres = pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """A database of this run's own on the PostgreSQL server, dropped at the end."""
    if not PG_URL:
        yield None
        return
    with postgres_database(PG_URL, "maeul_test") as url:
        Database(url).create_all()
        yield url


@pytest.fixture
def database_url(pg_database: str | None, tmp_path) -> Iterator[str]:
    if pg_database is None:
        yield f"sqlite:///{tmp_path / 'maeul-test.db'}"
        return
    yield pg_database
    engine = create_engine(normalise_url(pg_database))
    with engine.begin() as conn:
        # cache_state keeps its one row (the workers' cache version, bot/models/cache.py); it
        # moves, as the triggers would move it for the rows emptied here.
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables
                           if t.name != "cache_state")
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(text("UPDATE cache_state SET version = version + 1"))
    engine.dispose()


@pytest.fixture
def config(database_url: str) -> dict:
    return {
        "MAEUL_ENV": "test",
        "DATABASE_URL": database_url,
        "ADMIN_API_TOKEN": ADMIN_TOKEN,
        "KAKAO_WEBHOOK_TOKEN": KAKAO_TOKEN,
        "KAKAO_BOT_ID": KAKAO_BOT,
        "IDENTITY_PEPPER": "test-pepper",
        "SECRET_KEY": "test-secret",
        "KAKAO_API_BASE": "http://127.0.0.1:9",
        "BAND_API_BASE": "http://127.0.0.1:9",
        "TELEGRAM_API_BASE": "http://127.0.0.1:9",
        "TELEGRAM_BOT_TOKEN": "123:telegram-token",
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_BOT_USERNAME": "maeul_bot",
    }


@pytest.fixture
def app(config: dict):
    app = create_app(config)
    yield app
    app.extensions["maeul.db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db(app) -> Database:
    return app.extensions["maeul.db"]


@pytest.fixture
def settings(app):
    return app.extensions["maeul.settings"]


@pytest.fixture
def admin_headers() -> dict:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def fake():
    """Loopback fakes of the Kakao, Telegram and BAND APIs (tests/fakes.py)."""
    from tests.fakes import FakeMessengers

    messengers = FakeMessengers().start()
    yield messengers
    messengers.stop()


@pytest.fixture
def community(db) -> Community:
    """풍산동 주민자치회, the community most dialogues happen in."""
    with db.session() as session:
        c = Community(slug="pungsan", name="풍산동 주민자치회", phone="031-8075-5000",
                      complaint_text="민원은 국민신문고나 120으로 알려 주세요.")
        session.add(c)
    return c


@pytest.fixture
def voter(db, community):
    """김*수, a verified resident of 풍산동 on the messenger under test (`grandpa`)."""
    from tests import factories

    with db.session() as session:
        factories.verified(session, session.merge(community), "grandpa")
    return "grandpa"


@pytest.fixture
def desk(client, db, community):
    """The test client signed in to the console as 풍산동's manager."""
    from tests.console_helpers import manager, sign_in

    manager(db, "desk@pungsan.kr", "풍산 담당", community.id)
    assert sign_in(client, "desk@pungsan.kr").status_code == 302
    return client


@pytest.fixture(autouse=True)
def messenger(request):
    """The messenger dialogue tests talk through: KakaoTalk, and (for the *_dialogue modules)
    Telegram private chats too, with the same tables."""
    from tests import dialogue

    dialogue.CHANNEL = getattr(request, "param", "kakao")
    yield dialogue.CHANNEL
    dialogue.CHANNEL = "kakao"


def pytest_generate_tests(metafunc):
    if metafunc.module.__name__.rsplit(".", 1)[-1].endswith("_dialogue"):
        metafunc.parametrize("messenger", ["kakao", "telegram"], indirect=True)


@pytest.fixture
def server(app):
    """The app on a loopback port, for a real browser."""
    import threading

    from werkzeug.serving import make_server

    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


@pytest.fixture
def page():
    """A phone-sized Chromium page (390×844, Korean locale)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import ARTIFACTS, CHROMIUM, PHONE

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="ko-KR")
        yield context.new_page()
        browser.close()


@pytest.fixture
def tick(monkeypatch, config, fake, capsys):
    """`maeul tick --now T`, with the environment an operator would set."""
    from bot.cli import main

    for key, value in {**config, **fake.settings(), "KAKAO_RATE_PER_SECOND": 100_000,
                       "TELEGRAM_RATE_PER_SECOND": 100_000, "BAND_RATE_PER_SECOND": 100_000,
                       "HTTP_TIMEOUT_SECONDS": 2}.items():
        monkeypatch.setenv(key, str(value))

    def run(moment: datetime) -> str:
        capsys.readouterr()
        assert main(["tick", "--now", moment.isoformat()]) == 0
        out = capsys.readouterr().out
        assert "failed" not in out.replace('"failed"', ""), out
        return out
    return run
