"""The local channels and the operator commands: simulator page, `maeul chat`, demo, tick, managers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from sqlalchemy import select

from bot import create_app
from bot.cli import main
from bot.models import ApiToken, Community, Manager

SIM = "/simulator/messages"


def test_simulator_page_and_a_conversation_through_the_dispatcher(client, community):
    page = client.get("/simulator")
    assert page.status_code == 200 and "마을 도우미 시뮬레이터" in page.get_data(as_text=True)
    assert client.get("/simulator/communities").get_json()["items"] == [
        {"slug": "pungsan", "name": "풍산동 주민자치회"}]
    first = client.post(SIM, json={"user": "주민1", "text": "메뉴", "community": "pungsan"})
    body = first.get_json()
    assert "풍산동 주민자치회" in body["text"]
    assert [o["digit"] for o in body["options"]] == ["1", "2", "3", "4", "5"]
    helped = client.post(SIM, json={"user": "주민1", "text": "5"}).get_json()
    assert "사용법" in helped["text"]


@pytest.mark.parametrize("payload", [
    None, [], {"text": "메뉴"}, {"user": "", "text": "메뉴"}, {"user": "u", "text": 5},
    {"user": "u", "text": "x", "community": 3},
])
def test_simulator_rejects_bad_messages_with_json_400(client, payload):
    response = client.post(SIM, json=payload) if payload is not None else client.post(
        SIM, data="not json", content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.get_json()


def test_simulator_is_off_when_disabled(config):
    app = create_app({**config, "SIMULATOR_ENABLED": "false"})
    try:
        assert app.test_client().get("/simulator").status_code == 404
        assert app.test_client().post(SIM, json={"user": "u", "text": "메뉴"}).status_code == 404
    finally:
        app.extensions["maeul.db"].dispose()


def _env(database_url: str) -> dict:
    return {**os.environ, "MAEUL_ENV": "development", "DATABASE_URL": database_url,
            "PYTHONPATH": os.getcwd()}


def test_maeul_chat_talks_in_the_terminal(tmp_path):
    url = f"sqlite:///{tmp_path / 'chat.db'}"
    done = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--user", "할머니"],
                          input="5\n0\n", capture_output=True, text=True, timeout=60,
                          env=_env(url))
    assert done.returncode == 0, done.stderr
    assert "1. 투표하기" in done.stdout and "사용법" in done.stdout


def test_manager_add_prints_a_token_that_works_and_is_stored_hashed(db, community, app, capsys):
    url = app.extensions["maeul.settings"]["DATABASE_URL"]
    os.environ["DATABASE_URL"] = url
    try:
        assert main(["manager", "add", "--email", "kim@pungsan.kr", "--name", "김담당",
                     "--community", "pungsan"]) == 0
    finally:
        del os.environ["DATABASE_URL"]
    out = capsys.readouterr().out
    token = re.search(r"API 토큰 \(한 번만 보여요\): (\S+)", out).group(1)
    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json()["city_admin"] is False
    with db.session() as session:
        manager = session.scalars(select(Manager)).one()
        assert manager.community_id == session.scalars(select(Community.id)).one()
        stored = session.scalars(select(ApiToken.token_hash)).all()
        assert token not in stored and len(stored) == 1


def test_manager_add_refuses_an_unknown_community(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'm.db'}")
    assert main(["manager", "add", "--email", "a@b.kr", "--name", "이", "--community", "nowhere"]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_tick_runs_every_job_once(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 't.db'}")
    assert main(["tick", "--now", "2026-11-25T09:00+09:00"]) == 0
    assert "failed" not in capsys.readouterr().out


def test_tick_refuses_a_time_without_an_offset(capsys):
    with pytest.raises(SystemExit):
        main(["tick", "--now", "2026-11-25T09:00"])
    assert "offset" in capsys.readouterr().err


def test_db_upgrade_builds_a_fresh_database(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'up.db'}")
    assert main(["db", "upgrade"]) == 0
    assert "최신" in capsys.readouterr().out
    assert (tmp_path / "up.db").stat().st_size > 0


def _simulate(base: str, text: str) -> str:
    request = urllib.request.Request(
        f"{base}/simulator/messages", method="POST",
        data=json.dumps({"user": "demo-visitor", "community": "pungsan", "text": text}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["text"]


def test_maeul_demo_serves_the_simulator_and_prints_where(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "demo", "--port", "0",
                             "--database", url], stdout=subprocess.PIPE, text=True,
                            env=_env(url))
    try:
        base = None
        deadline = time.monotonic() + 60
        while base is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            found = re.search(r"(http://127\.0\.0\.1:\d+)/simulator", line)
            base = found.group(1) if found else None
        assert base, "demo never printed the simulator address"
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
            assert response.status == 200
        with urllib.request.urlopen(f"{base}/simulator/communities", timeout=10) as response:
            assert "풍산동 주민자치회" in response.read().decode()
        answers = [_simulate(base, said) for said in ("인증", "1", "1", "김민수", "520315", "1234",
                                                      "투표")]
        assert "인증되었어요" in answers[-2] and "[2026 풍산동 주민총회]" in answers[-1]
        listed = [_simulate(base, said) for said in ("제안", "1")]
        assert "놀이터에 그늘막을 설치해 주세요 (공감 0)" in listed[-1]
        with urllib.request.urlopen(f"{base}/console/login", timeout=10) as response:
            assert "담당자 로그인" in response.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
