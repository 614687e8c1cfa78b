"""A local channel for trying Maeul without a messenger: `/simulator` in the browser.

Enabled in demo, development and test only. Goes through the same dispatcher as Kakao.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select

from adapters.base import SendResult
from bot.catalogue import t
from bot.config import Settings
from bot.conversation import Inbound, Reply
from bot.presenters import error_response

CHANNEL = "simulator"
PRIVATE = True


def render(reply: Reply) -> dict:
    return {
        "text": reply.render_text(),
        "options": [{"digit": d, "label": label} for d, label in reply.numbered],
    }


def make_blueprint(settings: Settings) -> Blueprint | None:
    if not settings["SIMULATOR_ENABLED"]:
        return None
    from adapters.inbox import handle
    from bot.app import db_session
    from bot.models import Community

    bp = Blueprint("simulator", __name__)

    @bp.get("/simulator")
    def page() -> Response:
        return Response(PAGE, mimetype="text/html")

    @bp.get("/simulator/app.css")
    def stylesheet() -> Response:
        return Response(CSS, mimetype="text/css")

    @bp.get("/simulator/app.js")
    def script() -> Response:
        return Response(SCRIPT, mimetype="text/javascript")

    @bp.get("/simulator/communities")
    def communities() -> Response:
        rows = db_session().scalars(select(Community).order_by(Community.name)).all()
        items = [{"slug": c.slug, "name": c.name} for c in rows]
        return jsonify({"count": len(items), "items": items})

    @bp.post("/simulator/messages")
    def message():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return error_response(400, "invalid_json", t("error.json_object"))
        user, text = data.get("user"), data.get("text")
        community = data.get("community")
        if not isinstance(user, str) or not user.strip() or len(user) > 100:
            return error_response(400, "invalid_payload", "user must be a non-empty string")
        if not isinstance(text, str):
            return error_response(400, "invalid_payload", "text must be a string")
        if community is not None and not isinstance(community, str):
            return error_response(400, "invalid_payload", "community must be a string")
        inbound = Inbound(channel=CHANNEL, account_key=user.strip(), text=text,
                          community_slug=community)
        return jsonify(render(handle(inbound)))

    return bp


PAGE = """<!doctype html>
<html lang="ko"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>마을 도우미 시뮬레이터</title>
<link rel="stylesheet" href="/simulator/app.css"></head>
<body>
<header>
 <h1>마을 도우미 시뮬레이터</h1>
 <label>공동체 <select id="community"></select></label>
 <label>사용자 <input id="user" value="주민1" size="8"></label>
</header>
<main>
<div id="log" role="log" aria-live="polite" aria-label="대화" tabindex="0"></div>
<div id="quick"></div>
<form id="f"><input id="text" autocomplete="off" aria-label="메시지" placeholder="메시지를 입력하세요">
<button>보내기</button></form>
</main>
<script src="/simulator/app.js"></script></body></html>
"""

# Served as files, not inline: the Content-Security-Policy allows no inline script or style.
CSS = """ body{font-family:sans-serif;margin:0;background:#b2c7da;font-size:18px;word-break:keep-all;overflow-wrap:break-word}
 header{background:#fee500;padding:12px}
 header label{margin-right:12px;display:inline-block}
 header h1{font-size:1rem;margin:0 0 6px}
 #log:focus, input:focus, select:focus, button:focus{outline:3px solid #1c1c1c;outline-offset:2px}
 #log{padding:12px;height:60vh;overflow-y:auto}
 .me,.bot{max-width:80%;padding:10px 14px;border-radius:14px;margin:8px 0;white-space:pre-wrap}
 .me{background:#fee500;margin-left:auto}
 .bot{background:#fff}
 #quick button{font-size:18px;margin:4px;padding:8px 12px;border-radius:16px;border:1px solid #888}
 form{display:flex;padding:8px}
 #text{flex:1;min-width:0;font-size:18px;padding:8px}
 form button{font-size:18px;padding:8px 16px}
"""

SCRIPT = """const log=document.getElementById('log'),quick=document.getElementById('quick');
function add(cls,text){const d=document.createElement('div');d.className=cls;d.textContent=text;
 log.appendChild(d);log.scrollTop=log.scrollHeight;}
async function send(text){add('me',text);
 const r=await fetch('/simulator/messages',{method:'POST',headers:{'Content-Type':'application/json'},
  body:JSON.stringify({user:document.getElementById('user').value,
   community:document.getElementById('community').value||null,text})});
 const body=await r.json();
 if(!r.ok){add('bot',body.error?body.error.message:'오류');return;}
 add('bot',body.text);quick.innerHTML='';
 for(const o of body.options){const b=document.createElement('button');
  b.textContent=o.digit+'. '+o.label;b.onclick=()=>send(o.digit);quick.appendChild(b);}}
document.getElementById('f').onsubmit=e=>{e.preventDefault();const t=document.getElementById('text');
 if(t.value.trim()){send(t.value);t.value='';}};
fetch('/simulator/communities').then(r=>r.json()).then(b=>{const s=document.getElementById('community');
 for(const c of b.items){const o=document.createElement('option');o.value=c.slug;o.textContent=c.name;
  s.appendChild(o);} send('메뉴');});
"""


class SimulatorSender:
    """The simulator has no push: a notice to a simulator user is recorded as delivered here."""

    channel = CHANNEL
    batch_size = 100
    rate_per_second = 10_000.0

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, messages):  # noqa: ANN001, ANN201
        return [SendResult(True) for _ in messages]


SENDER = SimulatorSender  # listed in adapters/channels.py
