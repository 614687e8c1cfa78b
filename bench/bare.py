"""The baseline: a bare Flask endpoint answering a static skill response of Maeul's size."""

from __future__ import annotations

import json
import os

from flask import Flask, Response

app = Flask(__name__)
_SIZE = int(os.environ.get("BENCH_REPLY_BYTES", "600"))
_TEMPLATE = {"version": "2.0", "template": {"outputs": [{"simpleText": {"text": ""}}],
                                            "quickReplies": [{"label": "1. 찬성", "action":
                                                              "message", "messageText": "1"}]}}
_filler = max(0, _SIZE - len(json.dumps(_TEMPLATE, ensure_ascii=False).encode()))
_TEMPLATE["template"]["outputs"][0]["simpleText"]["text"] = "가" * (_filler // 3)
BODY = json.dumps(_TEMPLATE, ensure_ascii=False).encode()


@app.post("/webhooks/kakao/<token>")
def webhook(token: str) -> Response:
    return Response(BODY, mimetype="application/json")
