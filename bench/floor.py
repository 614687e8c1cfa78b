"""The same-work floor: the least a conversational step can do on this stack and still be correct.

Flask + psycopg 3, one connection per worker, no ORM. For each Kakao skill request it parses the
JSON, reads the account's conversation row-locked (creating it when missing), writes it back,
commits and answers a skill response of Maeul's size, serialised per request. PostgreSQL only.
Maeul ÷ this is the webhook bench's yardstick (issue 21); Maeul ÷ a bare endpoint is kept beside it.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime

import psycopg
from flask import Flask, Response, request
from psycopg.types.json import Json

from bench.bare import BODY

app = Flask(__name__)
_REPLY = json.loads(BODY)
_local = threading.local()  # one connection per worker, or per thread of a threaded worker

_READ = ("SELECT c.account_id, c.state, c.data FROM channel_accounts a "
         "JOIN conversations c ON c.account_id = a.id "
         "WHERE a.channel = 'kakao' AND a.external_id = %s FOR UPDATE OF c")
_CREATE = ("INSERT INTO conversations (account_id, state, data, misses, updated_at) "
           "SELECT id, 'home', '{}', 0, %s FROM channel_accounts "
           "WHERE channel = 'kakao' AND external_id = %s "
           "ON CONFLICT (account_id) DO NOTHING")
_WRITE = ("UPDATE conversations SET state = %s, data = %s, misses = 0, updated_at = %s "
          "WHERE account_id = %s")


def connection() -> psycopg.Connection:
    conn = getattr(_local, "connection", None)
    if conn is None or conn.closed:
        url = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
        conn = _local.connection = psycopg.connect(url)
    return conn


@app.post("/webhooks/kakao/<token>")
def webhook(token: str) -> Response:
    payload = request.get_json()
    user = payload["userRequest"]["user"]["id"]
    utterance = payload["userRequest"]["utterance"]
    now = datetime.now(UTC)
    conn = connection()
    with conn.transaction():
        row = conn.execute(_READ, (user,)).fetchone()
        if row is None:
            conn.execute(_CREATE, (now, user))
            row = conn.execute(_READ, (user,)).fetchone()
        account_id, _state, data = row
        data = dict(data or {})
        data["last"] = utterance
        conn.execute(_WRITE, ("home", Json(data), now, account_id))
    return Response(json.dumps(_REPLY, ensure_ascii=False), mimetype="application/json")
