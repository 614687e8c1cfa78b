"""알림 끄기 / 알림 켜기: a resident turns pushes off or on from anywhere in the chat."""

from __future__ import annotations

from bot.conversation import Reply
from handlers import states
from handlers.base import Ctx, State


class NotificationsOff(State):
    name = states.NOTIFY_OFF

    def enter(self, ctx: Ctx) -> Reply:
        ctx.account.notifications_enabled = False
        return ctx.goto(states.HOME, _prefix=ctx.t("notice.off"))


class NotificationsOn(State):
    name = states.NOTIFY_ON

    def enter(self, ctx: Ctx) -> Reply:
        ctx.account.notifications_enabled = True
        return ctx.goto(states.HOME, _prefix=ctx.t("notice.on"))


STATE_CLASSES = (NotificationsOff, NotificationsOn)
