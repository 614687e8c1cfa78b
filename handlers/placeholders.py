"""States that later flows own, answering honestly until those flows exist.

Loaded last: a flow module that registers one of these names first replaces its placeholder.
"""

from __future__ import annotations

from bot.conversation import Reply
from handlers.base import KEYWORDS, STATES, Ctx, State, keyword

PENDING = {
    "enrol.start": ("core.menu.enrol", ("인증", "본인 인증", "본인인증")),
}


def _placeholder(state_name: str, label_key: str) -> State:
    class ComingSoon(State):
        name = state_name

        def enter(self, ctx: Ctx) -> Reply:
            return ctx.goto("home", _prefix=ctx.t("core.coming_soon", feature=ctx.t(label_key)))

    return ComingSoon()


for _name, (_label, _words) in PENDING.items():
    if _name not in STATES:
        STATES[_name] = _placeholder(_name, _label)
    for _word in _words:
        if _word not in KEYWORDS:
            keyword(_word, _name)
