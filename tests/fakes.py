"""Loopback fakes of the messengers' send APIs, speaking their wire formats.

One threaded HTTP server answers as:
- Kakao Event API   POST /v2/bots/<bot>/talk              (KakaoAK auth, ≤100 distinct users)
- Telegram Bot API  POST /bot<token>/sendMessage           (ok / ok:false with error_code)
- Naver BAND        POST /v2.2/band/post/create?access_token=…  (result_code 1, or an error code)

`script(channel, *failures)` makes the next requests on a channel fail in order: ("http", 500),
("http", 429, retry_after), ("timeout", seconds), ("kakao_fail",), ("telegram", code,
retry_after), ("band", result_code). `blocked` chat ids answer Telegram's 403. Every accepted
message is recorded, so tests count what each recipient actually received.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

KAKAO_KEY = "kakao-rest-key"
KAKAO_BOT = "bot-test"
TELEGRAM_TOKEN = "123:telegram-token"
BAND_TOKEN = "band-token"


class FakeMessengers:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kakao: list[tuple[str, str]] = []
        self.telegram: list[tuple[str, str]] = []
        self.telegram_markup: list[tuple[str, dict | None]] = []  # (chat, reply_markup) a send
        self.band: list[tuple[str, str]] = []
        self.band_posts: dict[str, str] = {}  # post_key → band_key
        self.band_comments: dict[str, list[dict]] = {}  # post_key → comments, oldest first
        self.band_replies: list[tuple[str, str, str]] = []  # (band_key, post_key, body)
        self.bands = [{"band_key": "band-pungsan", "name": "풍산동 소통방"},
                      {"band_key": "band-hwajeong", "name": "화정동 소통방"}]
        self.page_size = 2
        self.requests: Counter = Counter()
        self.failures: dict[str, deque] = {"kakao": deque(), "telegram": deque(),
                                           "band": deque()}
        self.blocked: set[str] = set()
        # Called with the path while a BAND read is being answered (to look at Maeul meanwhile).
        self.on_band_read: Callable[[str], None] | None = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> FakeMessengers:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, channel: str, *failures: tuple) -> None:
        with self.lock:
            self.failures[channel].extend(failures)

    def settings(self) -> dict:
        """Configuration that points Maeul's senders here."""
        return {"KAKAO_API_BASE": self.base, "KAKAO_REST_API_KEY": KAKAO_KEY,
                "KAKAO_BOT_ID": KAKAO_BOT, "TELEGRAM_API_BASE": self.base,
                "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN, "BAND_API_BASE": self.base,
                "BAND_ACCESS_TOKEN": BAND_TOKEN}

    def received(self, channel: str) -> Counter:
        with self.lock:
            return Counter(target for target, _ in getattr(self, channel))

    def comment(self, post_key: str, author: str, content: str, user_key: str | None = None,
                ) -> str:
        """A resident comments under a post (as BAND would show it to the poller)."""
        with self.lock:
            items = self.band_comments.setdefault(post_key, [])
            key = f"c{post_key[:6]}{len(items)}"
            items.append({"comment_key": key, "content": content,
                          "created_at": 1764000000000 + len(items),
                          "author": {"name": author, "user_key": user_key or f"u-{author}"}})
            return key

    def _next_failure(self, channel: str) -> tuple | None:
        with self.lock:
            return self.failures[channel].popleft() if self.failures[channel] else None

    def _handler(self):  # noqa: ANN202
        return type("Handler", (FakeHandler,), {"fake": self})


class FakeHandler(BaseHTTPRequestHandler):
    """The fakes' wire formats; `fake` is the FakeMessengers the server belongs to."""

    fake: FakeMessengers
    protocol_version = "HTTP/1.1"
    # One write per response and no Nagle delay: otherwise every keep-alive request
    # waits ~40 ms for a delayed ACK and the fake, not Maeul, sets the pace.
    disable_nagle_algorithm = True
    wbufsize = -1

    def log_message(self, *args) -> None:  # noqa: ANN002
        return

    def _reply(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _fail(self, channel: str) -> bool:
        failure = self.fake._next_failure(channel)
        if failure is None:
            return False
        kind = failure[0]
        if kind == "timeout":
            time.sleep(failure[1])
            self.close_connection = True
            return True
        if kind == "http":
            headers = {"Retry-After": str(failure[2])} if len(failure) > 2 else {}
            self._reply(failure[1], {"error": "scripted"}, headers)
        elif kind == "kakao_fail":
            self._reply(200, {"taskId": "t", "status": "FAIL", "message": "scripted"})
        elif kind == "telegram":
            params = {"retry_after": failure[2]} if len(failure) > 2 else {}
            self._reply(failure[1], {"ok": False, "error_code": failure[1],
                                     "description": "scripted", "parameters": params})
        elif kind == "band":
            self._reply(200, {"result_code": failure[1],
                              "result_data": {"message": "scripted"}})
        return True

    def do_GET(self) -> None:  # noqa: N802
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if self._band_refused(query):
            return
        if self.fake.on_band_read is not None:
            self.fake.on_band_read(url.path)
        if url.path == "/v2/profile":
            self._reply(200, {"result_code": 1, "result_data": {
                "user_key": "bot-user", "name": "마을 도우미"}})
        elif url.path == "/v2.1/bands":
            self._reply(200, {"result_code": 1, "result_data": {"bands": self.fake.bands}})
        elif url.path == "/v2/band/post/comments":
            post_key = query.get("post_key", [""])[0]
            start = int(query.get("after", ["0"])[0])
            items = self.fake.band_comments.get(post_key, [])
            page = items[start:start + self.fake.page_size]
            more = start + self.fake.page_size < len(items)
            paging = {"next_params": {"band_key": query["band_key"][0],
                                      "post_key": post_key,
                                      "after": str(start + self.fake.page_size)}} if more else {}
            self._reply(200, {"result_code": 1, "result_data": {"items": page,
                                                                "paging": paging}})
        else:
            self._reply(404, {"error": "no such endpoint"})

    def do_POST(self) -> None:  # noqa: N802
        url = urlparse(self.path)
        raw = self._body()
        if url.path == f"/v2/bots/{KAKAO_BOT}/talk":
            self._kakao(raw)
        elif url.path == f"/bot{TELEGRAM_TOKEN}/sendMessage":
            self._telegram(raw)
        elif url.path == "/v2.2/band/post/create":
            self._band(raw, parse_qs(url.query))
        elif url.path == "/v2/band/post/comment/create":
            form = parse_qs(raw.decode())
            with self.fake.lock:
                self.fake.band_replies.append((form["band_key"][0], form["post_key"][0],
                                          form["body"][0]))
                post_items = self.fake.band_comments.setdefault(form["post_key"][0], [])
                post_items.append({"comment_key": f"bot{len(self.fake.band_replies)}",
                                   "content": form["body"][0], "created_at": 0,
                                   "author": {"name": "마을 도우미",
                                              "user_key": "bot-user"}})
            self._reply(200, {"result_code": 1, "result_data": {}})
        else:
            self._reply(404, {"error": "no such endpoint"})

    def _kakao(self, raw: bytes) -> None:
        self.fake.requests["kakao"] += 1
        if self.headers.get("Authorization") != f"KakaoAK {KAKAO_KEY}":
            self._reply(401, {"code": -401, "msg": "wrong key"})
            return
        if self._fail("kakao"):
            return
        body = json.loads(raw)
        users = [u["id"] for u in body["user"]]
        if len(users) > 100 or len(set(users)) != len(users) or not body["event"]["name"]:
            self._reply(400, {"code": -400, "msg": "bad request"})
            return
        with self.fake.lock:
            self.fake.kakao.extend((user, body["event"]["data"]["text"]) for user in users)
        self._reply(200, {"taskId": uuid.uuid4().hex, "status": "SUCCESS"})

    def _telegram(self, raw: bytes) -> None:
        self.fake.requests["telegram"] += 1
        if self._fail("telegram"):
            return
        body = json.loads(raw)
        chat = str(body["chat_id"])
        if chat in self.fake.blocked:
            self._reply(403, {"ok": False, "error_code": 403,
                              "description": "Forbidden: bot was blocked by the user"})
            return
        if len(body["text"]) > 4096:
            self._reply(400, {"ok": False, "error_code": 400,
                              "description": "Bad Request: message is too long"})
            return
        with self.fake.lock:
            self.fake.telegram.append((chat, body["text"]))
            self.fake.telegram_markup.append((chat, body.get("reply_markup")))
        self._reply(200, {"ok": True, "result": {"message_id": len(self.fake.telegram),
                                                 "chat": {"id": chat}}})

    def _band_refused(self, query: dict) -> bool:
        """Count a BAND request; answer a wrong token or a scripted failure."""
        self.fake.requests["band"] += 1
        if query.get("access_token") != [BAND_TOKEN]:
            self._reply(200, {"result_code": 10401, "result_data": {"message": "token"}})
            return True
        return self._fail("band")

    def _band(self, raw: bytes, query: dict) -> None:
        if self._band_refused(query):
            return
        form = parse_qs(raw.decode())
        post_key = uuid.uuid4().hex
        with self.fake.lock:
            self.fake.band.append((form["band_key"][0], form["content"][0]))
            self.fake.band_posts[post_key] = form["band_key"][0]
        self._reply(200, {"result_code": 1, "result_data": {"post_key": post_key}})
