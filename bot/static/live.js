// The projector page of an on-site session (bot/console/live_pages.py): polls now.json every two
// seconds and redraws the password, the QR code, turnout, open questions and counted results.
// A dropped connection shows a notice and retries (up to every 15 s); the last screen stays.
(function () {
  "use strict";
  var screen = document.getElementById("screen");
  if (!screen) { return; }
  var url = screen.getAttribute("data-now");
  var delay = 2000;
  var shownCode = null;
  var secondsLeft = 0;
  var SVG = "http://www.w3.org/2000/svg";

  function setText(id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = value; }
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function chart(item) {
    var total = item.options.reduce(function (sum, o) { return sum + o.total; }, 0);
    var most = Math.max.apply(null, item.options.map(function (o) { return o.total; }).concat([1]));
    var row = 64;
    var box = svg("svg", {"class": "bars", viewBox: "0 0 1000 " + (row * item.options.length),
                          role: "img", "aria-label": item.title + " 결과"});
    item.options.forEach(function (o, i) {
      var y = i * row;
      var width = Math.round(420 * o.total / most);
      var share = total ? Math.round(1000 * o.total / total) / 10 : 0;
      box.appendChild(svg("text", {x: 0, y: y + 42, "font-size": 34}, o.label));
      box.appendChild(svg("rect", {x: 330, y: y + 10, width: Math.max(width, 2), height: 44,
                                   rx: 6, fill: "#2f6f4f"}));
      box.appendChild(svg("text", {x: 342 + width, y: y + 44, "font-size": 34,
                                   "font-weight": 700}, o.total + "표 (" + share + "%)"));
    });
    return box;
  }

  function resultCard(ballot) {
    var card = el("article", "board result");
    card.appendChild(el("h2", null, "결과: " + ballot.title));
    ballot.results.forEach(function (item) {
      if (ballot.results.length > 1) { card.appendChild(el("h3", null, item.number + ". " + item.title)); }
      card.appendChild(chart(item));
      if (item.passed === true) { card.appendChild(el("p", "verdict yes", "가결")); }
      if (item.passed === false) { card.appendChild(el("p", "verdict no", "부결")); }
    });
    return card;
  }

  function questionCard(q) {
    var card = el("article", "board question");
    card.appendChild(el("h2", null, "질문: " + q.title));
    var left = Math.max(0, Math.round((Date.parse(q.closes_at) - Date.now()) / 1000));
    var mm = Math.floor(left / 60), ss = ("0" + (left % 60)).slice(-2);
    card.appendChild(el("p", "answers", q.turnout.participants + "명 답함 · " + mm + ":" + ss + " 남음"));
    card.appendChild(el("p", "muted", "번호를 보내면 이 질문에 답할 수 있어요."));
    return card;
  }

  function render(s) {
    var open = s.status === "open";
    document.getElementById("join").hidden = !open;
    document.getElementById("ended").hidden = open;
    if (open && s.password !== shownCode) {
      shownCode = s.password;
      setText("password", s.password.slice(0, 3) + " " + s.password.slice(3));
      var qr = document.getElementById("qr");
      if (qr && s.qr_svg_url) { qr.src = s.qr_svg_url; }
    }
    secondsLeft = s.seconds_left || 0;
    var bar = document.getElementById("countdown");
    if (bar) { bar.value = secondsLeft; }
    var t = s.ballot.turnout;
    setText("participants", t.participants);
    setText("eligible", t.eligible);
    setText("rate", (t.rate * 100).toFixed(1));
    setText("onsite_app", t.onsite_app);
    setText("online", t.online);
    setText("onsite", t.onsite);
    var boards = document.getElementById("boards");
    var cards = [];
    s.questions.forEach(function (q) { if (q.status === "open") { cards.push(questionCard(q)); } });
    [s.ballot].concat(s.questions).forEach(function (b) { if (b.results) { cards.push(resultCard(b)); } });
    boards.replaceChildren.apply(boards, cards);
    // With questions or results to show, the password and QR code step aside (still readable).
    screen.classList.toggle("compact", cards.length > 0);
  }

  function offline(on) { document.getElementById("offline").hidden = !on; }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) {
        var type = r.headers.get("content-type") || "";
        if (!r.ok || type.indexOf("json") < 0) { throw new Error("HTTP " + r.status); }
        return r.json();
      })
      .then(function (s) { render(s); offline(false); delay = 2000; })
      .catch(function () { offline(true); delay = Math.min(delay * 2, 15000); })
      .then(function () { window.setTimeout(poll, delay); });
  }

  window.setInterval(function () {
    if (secondsLeft > 0) {
      secondsLeft -= 1;
      var bar = document.getElementById("countdown");
      if (bar) { bar.value = secondsLeft; }
    }
  }, 1000);
  poll();
}());
