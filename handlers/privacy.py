"""Personal data in the chat: consent before enrolment, `내 정보` and `인증 해제`
(개인정보 보호법 art. 15, 22, 35–37). The rules live in bot/privacy.py."""

from __future__ import annotations

from bot import privacy
from bot.catalogue import lexicon
from bot.conversation import Reply
from handlers import states
from handlers.base import STATES, Ctx, State


def policy_line(ctx: Ctx) -> str | None:
    """`개인정보 처리방침: https://…/privacy` where the deployment has a public address."""
    base = str(ctx.settings.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if not base:
        return None
    community = ctx.community
    url = f"{base}/privacy" + (f"?c={community.slug}" if community is not None else "")
    return ctx.t("privacy.me.policy", url=url)


def consented(ctx: Ctx) -> bool:
    return privacy.has_consent(ctx.account, ctx.community, ctx.settings)


def ask_consent(ctx: Ctx, then_step: str, prefix: str | None = None) -> Reply:
    """Before any enrolment step: the consent text, then `then_step` on `1. 동의합니다`."""
    return ctx.goto(states.ENROL_CONSENT, _prefix=prefix, then=ctx.data.get("then"), step=then_step)


class EnrolConsent(State):
    """`1. 동의합니다` / `2. 동의하지 않습니다`: only 1 goes on; 2 stores nothing."""

    name = states.ENROL_CONSENT
    private_only = True

    def _labels(self, ctx: Ctx) -> list[str]:
        return [ctx.t("privacy.consent.yes"), ctx.t("privacy.consent.no")]

    def enter(self, ctx: Ctx) -> Reply:
        # One phone screen at a large font: the policy link is in 도움말 and 내 정보.
        return ctx.reply(privacy.consent_text(ctx.community, ctx.settings, ctx.lang),
                         self._labels(ctx))

    def receive(self, ctx: Ctx, text: str) -> Reply:
        choice = ctx.choose(text, self._labels(ctx),
                            lexicon.ALIASES["consent"])
        if choice is None:
            return ctx.reprompt()
        if choice == 2:
            return ctx.goto(states.HOME, _prefix=ctx.t("privacy.consent.refused"))
        privacy.give_consent(ctx.session, ctx.account, ctx.community, ctx.settings, ctx.now)
        step = ctx.data.get("step")
        back = step if step in (states.ENROL_START, states.ENROL_CODE) else states.ENROL_START
        return ctx.goto(back, then=ctx.data.get("then"))


class MyData(State):
    """`내 정보`: what Maeul holds about this resident, never a choice."""

    name = states.PRIVACY_ME

    def enter(self, ctx: Ctx) -> Reply:
        data = privacy.my_data(ctx.session, ctx.account)
        notices = ctx.t("privacy.me.on" if data.notifications else "privacy.me.off")
        link = policy_line(ctx)
        if data.masked_name is None:
            text = ctx.t("privacy.me.unverified", notices=notices)
            return ctx.reply(f"{text}\n{link}" if link else text)
        text = ctx.t("privacy.me", name=data.masked_name, community=data.community,
                     channels=", ".join(ctx.channel_name(c) for c in data.channels),
                     notices=notices,
                     consented=(f"{data.consented_at.astimezone(ctx.zone):%Y-%m-%d}"
                                if data.consented_at else ctx.t("privacy.me.none")),
                     votes=data.votes, agreements=data.agreements, proposals=data.proposals)
        return ctx.reply(f"{text}\n{link}" if link else text, [ctx.t("privacy.option.unbind")])

    def receive(self, ctx: Ctx, text: str) -> Reply:
        if ctx.resident is not None and ctx.choose(
                text, [ctx.t("privacy.option.unbind")]) == 1:
            return ctx.goto(states.PRIVACY_UNBIND)
        return STATES[states.HOME].receive(ctx, text)


class Unbind(State):
    """`인증 해제`: after `1. 예`, this account is unbound and forgets its data."""

    name = states.PRIVACY_UNBIND
    private_only = True

    def _labels(self, ctx: Ctx) -> list[str]:
        return [ctx.t("core.yes"), ctx.t("core.no")]

    def enter(self, ctx: Ctx) -> Reply:
        if ctx.resident is None:
            return ctx.goto(states.HOME, _prefix=ctx.t("privacy.unbind.none"))
        return ctx.reply(ctx.t("privacy.unbind.ask"), self._labels(ctx))

    def receive(self, ctx: Ctx, text: str) -> Reply:
        if ctx.resident is None:
            return ctx.goto(states.HOME, _prefix=ctx.t("privacy.unbind.none"))
        choice = ctx.choose(text, self._labels(ctx), lexicon.ALIASES["unbind"])
        if choice is None:
            return ctx.reprompt()
        if choice == 2:
            return ctx.goto(states.HOME, _prefix=ctx.t("privacy.unbind.kept"))
        phone = ctx.phone(fallback=ctx.t("enrol.centre"))
        privacy.withdraw(ctx.session, ctx.account, ctx.now)
        # The conversation row is gone: start a fresh one (the dispatcher writes it back).
        ctx.session.expire(ctx.account, ["resident"])
        return ctx.goto(states.HOME, _prefix=ctx.t("privacy.unbind.done", phone=phone), paused=None)


STATE_CLASSES = (EnrolConsent, MyData, Unbind)
