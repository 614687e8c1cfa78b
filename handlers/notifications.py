"""알림 끄기 / 알림 켜기: a resident turns pushes off or on from anywhere in the chat."""

from __future__ import annotations

from bot.conversation import Reply
from handlers.base import Ctx, State, keyword, register


@register
class NotificationsOff(State):
    name = "notify.off"

    def enter(self, ctx: Ctx) -> Reply:
        ctx.account.notifications_enabled = False
        return ctx.goto("home", _prefix=ctx.t("notice.off"))


@register
class NotificationsOn(State):
    name = "notify.on"

    def enter(self, ctx: Ctx) -> Reply:
        ctx.account.notifications_enabled = True
        return ctx.goto("home", _prefix=ctx.t("notice.on"))


for _word in ("알림 끄기", "알림 꺼", "알림 꺼 주세요", "알림 그만"):
    keyword(_word, "notify.off")
for _word in ("알림 켜기", "알림 켜", "알림 켜 주세요"):
    keyword(_word, "notify.on")
