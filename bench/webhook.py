"""The webhook under load: Maeul's full Kakao path served by gunicorn against a bare Flask endpoint
that returns a static skill response of the same size, same server settings, same run.

Each simulated resident says `투표` (the ballot's first item), `1` (찬성: the summary) and `1`
(the vote is recorded): conversation writes on every request and a vote in one of three. The load
generator keeps 32 connections busy from 4 processes (so the client is not the bottleneck) and
records every latency. With `wrk` on the PATH (Debian package `wrk`) the load comes from wrk instead:
32 threads of one connection each (`bench/wrk_script.lua`), so the client costs little CPU and each
resident's steps still arrive in order.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bot import ballots, sealing
from bot.commands.ballots import CreateBallot, read_ballot
from bot.db import Database
from bot.models import ChannelAccount, Community, Conversation, Resident

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-token"
PROCESSES = int(os.environ.get("BENCH_PROCESSES", 4))
THREADS = int(os.environ.get("BENCH_THREADS", 8))  # 4 × 8 = 32 connections
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))  # gunicorn workers, for every server
# More gunicorn settings for every server, e.g. "--worker-class gthread --threads 4".
GUNICORN_ARGS = os.environ.get("BENCH_GUNICORN_ARGS", "").split()
# Maeul runs as the Procfile runs it (issue 22): gunicorn_conf's multiprocess metrics and JSON
# log lines, one per request. BENCH_OPERATIONS=off leaves both out, to see what they cost.
MAEUL_ARGS = (["--config", "python:bot.gunicorn_conf"]
              if os.environ.get("BENCH_OPERATIONS", "on") != "off" else [])
MAEUL_ENV = {"LOG_FORMAT": "json"} if MAEUL_ARGS else {}


def payload(user: str, utterance: str) -> bytes:
    return json.dumps({"bot": {"id": "bench-bot"}, "userRequest": {
        "utterance": utterance, "user": {"id": user, "type": "botUserKey"}}}).encode()


def seed(url: str, users: int) -> None:
    db = Database(url)
    db.create_all()
    now = datetime.now(UTC)
    with db.session() as session:
        community = Community(slug="bench", name="벤치동 주민자치회", phone="031-000-0000")
        session.add(community)
        session.flush()
        ballots.create(session, sealing.Keyring("bench-sealing-key"), community, read_ballot(
            CreateBallot, {
                "title": "벤치 주민총회", "overview": "부하 시험",
                "opens_at": (now - timedelta(hours=1)).isoformat(),
                "closes_at": (now + timedelta(days=1)).isoformat(),
                "items": [{"title": "축제 예산", "kind": "yes_no"}]}, community, now), "bench", now)
        ids = session.execute(insert(Resident).returning(Resident.id), [
            {"community_id": community.id, "identity_key": f"b{n}", "lookup_key": f"b{n}",
             "masked_name": "주*민", "birth_date": date(1970, 1, 1), "created_at": now,
             "updated_at": now} for n in range(users)]).scalars().all()
        new_accounts = insert(ChannelAccount).returning(ChannelAccount.id,
                                                        sort_by_parameter_order=True)
        accounts = session.execute(new_accounts, [
            {"channel": "kakao", "external_id": f"bench-{n}", "resident_id": rid,
             "bound_at": now, "lang": "ko", "notifications_enabled": True, "created_at": now}
            for n, rid in enumerate(ids)]).scalars().all()
        # A bound account enrolled through the chat, so it has a conversation, resting at home.
        session.execute(insert(Conversation), [
            {"account_id": aid, "state": "home", "data": {}, "misses": 0, "updated_at": now}
            for aid in accounts])
    db.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, target: str, env: dict) -> None:
        self.port = free_port()
        maeul = target == "bot:create_app()"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), *GUNICORN_ARGS,
             *(MAEUL_ARGS if maeul else []),
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", target],
            env={**os.environ, **env, **(MAEUL_ENV if maeul else {}), "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start: {target}")

    def worker_rss_mb(self) -> list[float]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
                             capture_output=True, text=True).stdout.split()
        sizes = []
        for pid in out:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def post(conn: http.client.HTTPConnection, body: bytes) -> bool:
    """One webhook request on the client's connection; whether it was answered 200. gunicorn's
    sync workers close the connection after each answer; it is opened again on the next."""
    try:
        conn.request("POST", f"/webhooks/kakao/{TOKEN}", body,
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
        return response.status == 200
    except (OSError, http.client.HTTPException):
        conn.close()
        return False


def _client(port: int, first_user: int, users_each: int, seconds: float, script: bool,
            out: multiprocessing.Queue) -> None:
    import threading

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def run(thread: int) -> None:
        mine: list[float] = []
        bad = 0
        user = first_user + thread * users_each
        steps = ("투표", "1", "1") if script else ("메뉴",)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = 0
        while time.monotonic() < deadline:
            body = payload(f"bench-{user + (n // len(steps)) % users_each}",
                           steps[n % len(steps)])
            started = time.perf_counter()
            ok = post(conn, body)
            mine.append(time.perf_counter() - started)
            bad += not ok
            n += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=run, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((latencies, errors[0]))


def load(port: int, seconds: float, script: bool, users: int, first: int = 0
         ) -> dict[str, float]:
    """Load from residents `bench-{first}` … `bench-{first + users - 1}`."""
    if shutil.which("wrk"):
        return load_wrk(port, seconds, script, users, first)
    return load_python(port, seconds, script, users, first)


def load_wrk(port: int, seconds: float, script: bool, users: int, first: int
             ) -> dict[str, float]:
    connections = PROCESSES * THREADS
    each = max(1, users // connections)
    out = subprocess.run(
        ["wrk", "-t", str(connections), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
         "--timeout", "30s", "-s", str(ROOT / "bench" / "wrk_script.lua"),
         f"http://127.0.0.1:{port}", "--", f"/webhooks/kakao/{TOKEN}", str(each),
         "vote" if script else "menu", str(first)], capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRK_JSON "))
    got = json.loads(line[len("WRK_JSON "):])
    return {"requests": got["requests"], "errors": got["errors"] + got["non2xx"],
            "rps": got["requests"] / (got["duration_us"] / 1e6),
            "p50_ms": got["p50_us"] / 1000, "p99_ms": got["p99_us"] / 1000, "client": "wrk"}


def load_python(port: int, seconds: float, script: bool, users: int, first: int
                ) -> dict[str, float]:
    out: multiprocessing.Queue = multiprocessing.Queue()
    each = max(1, users // (PROCESSES * THREADS))
    started = time.perf_counter()
    procs = [multiprocessing.Process(target=_client, args=(
        port, first + p * THREADS * each, each, seconds, script, out)) for p in range(PROCESSES)]
    for proc in procs:
        proc.start()
    latencies: list[float] = []
    errors = 0
    for _ in procs:
        got, bad = out.get()
        latencies.extend(got)
        errors += bad
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
            "p50_ms": statistics.median(latencies) * 1000,
            "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000, "client": "python"}


WARM_SECONDS = 2
# Between the overload of the closed loop and the open loop: PostgreSQL's background writer and
# autovacuum catch up on the rows just written, as they would between bursts.
SETTLE_SECONDS = 3


def measure(url: str, seconds: float, users: int) -> dict[str, object]:
    """Each server is warmed first (WARM_SECONDS of the same script on residents of its own, so
    the first requests' imports and statement compilation are not counted as latency).

    Residents: `bench-0…` the closed-loop runs (the floors too), `bench-{users}…` the warm-up,
    `bench-{2 × users}…` the open-loop run at half Maeul's measured maximum (bench/paced.py)."""
    from bench import paced

    seed(url, users * 3)
    env = _env(url)
    maeul = Gunicorn("bot:create_app()", env)
    try:
        load(maeul.port, WARM_SECONDS, True, users, first=users)
        full = load(maeul.port, seconds, True, users)
        time.sleep(SETTLE_SECONDS)
        open_loop = paced.load(maeul.port, full["rps"] / 2, seconds, users, first=users * 2)
        menu = load(maeul.port, seconds / 2, False, users)
        rss = maeul.worker_rss_mb()
    finally:
        maeul.stop()
    baseline = _other("bench.bare:app", env, seconds, users)
    result = {"maeul": full, "menu_only": menu, "open_loop": open_loop, "bare": baseline,
              "ratio": full["rps"] / baseline["rps"], "worker_rss_mb": rss,
              "requests_served": full["requests"] + menu["requests"] + open_loop["requests"]}
    if url.startswith("postgresql"):
        floor = _other("bench.floor:app", env, seconds, users)
        floor_menu = _other("bench.floor:app", env, seconds / 2, users, script=False)
        result.update(floor=floor, floor_menu=floor_menu,
                      floor_ratio=full["rps"] / floor["rps"],
                      menu_floor_ratio=menu["rps"] / floor_menu["rps"])
    return result


def _env(url: str) -> dict[str, str]:
    return {"MAEUL_ENV": "test", "DATABASE_URL": url, "KAKAO_WEBHOOK_TOKEN": TOKEN,
            "KAKAO_BOT_ID": "bench-bot", "DB_CREATE_ALL": "false", "DB_POOL_SIZE": "4",
            "BENCH_REPLY_BYTES": str(_reply_size(url))}


SOAK_CHUNK = 60  # seconds a sample
SOAK_RESIDENTS = 30_000  # fresh residents for each sample, so every one still has a vote to cast


def soak(url: str, seconds: float) -> dict[str, object]:
    """Maeul under the closed-loop load for `seconds`, sampled each minute: throughput, p99,
    errors and the workers' memory, each minute on residents who have not voted yet."""
    chunks = max(1, round(seconds / SOAK_CHUNK))
    seed(url, SOAK_RESIDENTS * (chunks + 1))
    maeul = Gunicorn("bot:create_app()", _env(url))
    samples = []
    try:
        load(maeul.port, WARM_SECONDS, True, SOAK_RESIDENTS, first=chunks * SOAK_RESIDENTS)
        for n in range(chunks):
            got = load(maeul.port, SOAK_CHUNK, True, SOAK_RESIDENTS, first=n * SOAK_RESIDENTS)
            samples.append({"minute": n + 1, "rps": got["rps"], "p99_ms": got["p99_ms"],
                            "errors": got["errors"], "worker_rss_mb": maeul.worker_rss_mb()})
    finally:
        maeul.stop()
    rates = [x["rps"] for x in samples]
    return {"seconds": chunks * SOAK_CHUNK, "samples": samples,
            "rps_min": min(rates), "rps_max": max(rates),
            "p99_max_ms": max(x["p99_ms"] for x in samples),
            "errors": sum(x["errors"] for x in samples),
            "rss_first_mb": max(samples[0]["worker_rss_mb"]),
            "rss_last_mb": max(samples[-1]["worker_rss_mb"])}


def _other(target: str, env: dict, seconds: float, users: int, script: bool = True
           ) -> dict[str, float]:
    """One of the yardsticks under the same gunicorn settings, warmed the same way."""
    server = Gunicorn(target, env)
    try:
        load(server.port, WARM_SECONDS, script, users, first=users)
        return load(server.port, seconds, script, users)
    finally:
        server.stop()


def _reply_size(url: str) -> int:
    """The size of Maeul's answer to `투표` (the ballot's first item), for the bare endpoint."""
    from bot import create_app

    app = create_app({"MAEUL_ENV": "test", "DATABASE_URL": url, "KAKAO_WEBHOOK_TOKEN": TOKEN,
                      "KAKAO_BOT_ID": "bench-bot", "DB_CREATE_ALL": False})
    try:
        response = app.test_client().post(f"/webhooks/kakao/{TOKEN}",
                                          data=payload("bench-size", "투표"),
                                          content_type="application/json")
        return len(response.get_data())
    finally:
        app.extensions["maeul.db"].dispose()
