"""본인 인증: name → birth date → last 4 digits of the phone, or a code from the centre.

Between steps the conversation keeps the least it can: the name for one step, then only the
lookup key (an HMAC), never the birth date. A flow that needs a verified resident sends them here
with `then=<state>`; after binding they continue there.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from bot import enrolment
from bot.birthdate import read_birth_date
from bot.conversation import Reply
from bot.identity import lookup_key
from bot.models import Community
from handlers.base import Ctx, PromptStep, State, keyword, register

_NAME = re.compile(r"^[가-힣A-Za-z][가-힣A-Za-z .·]{0,29}$")
_SUFFIXES = ("입니다", "이에요", "예요", "이요", "요")


def _phone(ctx: Ctx, community: Community | None = None) -> str:
    return ctx.phone(community, fallback=ctx.t("enrol.centre"))


def _local(ctx: Ctx, moment: datetime) -> str:
    return moment.astimezone(ctx.zone).strftime("%H:%M")


def _continue(ctx: Ctx, prefix: str) -> Reply:
    then = ctx.data.get("then")
    return ctx.goto(then if then and then != "enrol.start" else "home", _prefix=prefix)


def _outcome_reply(ctx: Ctx, outcome: enrolment.Outcome) -> Reply:
    if outcome.status == enrolment.BOUND:
        return _continue(ctx, ctx.t("enrol.bound", community=outcome.resident.community.name))
    if outcome.status == enrolment.LOCKED:
        return ctx.goto("home", _prefix=ctx.t(
            "enrol.locked", minutes=ctx.settings["ENROLMENT_LOCK_MINUTES"],
            until=_local(ctx, outcome.locked_until), phone=_phone(ctx)))
    if outcome.status == enrolment.TAKEN:
        return ctx.goto("home", _prefix=ctx.t(
            "enrol.taken", phone=_phone(ctx, outcome.resident.community)))
    if outcome.status == enrolment.CODE_USED:
        return ctx.goto("home", _prefix=ctx.t("enrol.code_used", phone=_phone(ctx)))
    if outcome.status == enrolment.CODE_EXPIRED:
        return ctx.goto("home", _prefix=ctx.t("enrol.code_expired", phone=_phone(ctx)))
    if outcome.status == enrolment.PAUSED:
        return ctx.goto("enrol.start", _prefix=ctx.t("enrol.paused", phone=_phone(ctx)),
                        then=ctx.data.get("then"))
    return ctx.goto("enrol.start", _prefix=ctx.t("enrol.no_match", phone=_phone(ctx)),
                    then=ctx.data.get("then"))


@register
class EnrolStart(State):
    name = "enrol.start"
    private_only = True

    def enter(self, ctx: Ctx) -> Reply:
        if ctx.resident is not None:
            return _continue(ctx, ctx.t("enrol.already", community=ctx.resident.community.name))
        until = enrolment.locked_until(ctx.session, ctx.settings, ctx.account, ctx.now)
        if until is not None:
            return _outcome_reply(ctx, enrolment.Outcome(enrolment.LOCKED, locked_until=until))
        return ctx.reply(ctx.t("enrol.start"),
                         [ctx.t("enrol.option.details"), ctx.t("enrol.option.code")])

    def receive(self, ctx: Ctx, text: str) -> Reply:
        choice = ctx.choose(text, [ctx.t("enrol.option.details"), ctx.t("enrol.option.code")],
                            {"이름": 1, "생년월일": 1, "인증번호": 2, "번호": 2, "코드": 2})
        if choice is None:
            return ctx.reprompt()
        then = ctx.data.get("then")
        return ctx.goto("enrol.name" if choice == 1 else "enrol.code", then=then)


@register
class EnrolName(PromptStep):
    name = "enrol.name"
    prompt_key = "enrol.ask_name"
    hint_key = "enrol.bad_name"

    def receive(self, ctx: Ctx, text: str) -> Reply:
        name = unicodedata.normalize("NFC", text).strip()
        for suffix in _SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                name = name[: -len(suffix)].strip()
                break
        if not _NAME.match(name):
            return ctx.reprompt(self.hint_key)
        return ctx.goto("enrol.birth", then=ctx.data.get("then"), name=name)


@register
class EnrolBirth(PromptStep):
    name = "enrol.birth"
    prompt_key = "enrol.ask_birth"
    hint_key = "enrol.bad_birth"

    def receive(self, ctx: Ctx, text: str) -> Reply:
        born = read_birth_date(text, ctx.now.astimezone(ctx.zone).date())
        if born is None or "name" not in ctx.data:
            return ctx.reprompt(self.hint_key)
        lookup = lookup_key(ctx.settings["IDENTITY_PEPPER"], ctx.data["name"], born)
        return ctx.goto("enrol.phone", then=ctx.data.get("then"), lookup=lookup)


@register
class EnrolPhone(PromptStep):
    name = "enrol.phone"
    prompt_key = "enrol.ask_phone"
    hint_key = "enrol.bad_phone"

    def receive(self, ctx: Ctx, text: str) -> Reply:
        digits = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text))
        if not re.fullmatch(r"[0-9]{4}", digits) or "lookup" not in ctx.data:
            return ctx.reprompt(self.hint_key)
        outcome = enrolment.enrol_by_details(ctx.session, ctx.settings, ctx.account,
                                             ctx.community, ctx.data["lookup"], digits, ctx.now)
        return _outcome_reply(ctx, outcome)


@register
class EnrolCode(PromptStep):
    name = "enrol.code"
    prompt_key = "enrol.ask_code"
    hint_key = "enrol.bad_code"

    def receive(self, ctx: Ctx, text: str) -> Reply:
        digits = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text))
        if not re.fullmatch(r"[0-9]{8}", digits):
            return ctx.reprompt(self.hint_key)
        outcome = enrolment.enrol_by_code(ctx.session, ctx.settings, ctx.account, ctx.community,
                                          digits, ctx.now)
        return _outcome_reply(ctx, outcome)


for _word in ("인증", "본인 인증", "본인인증", "인증하기"):
    keyword(_word, "enrol.start")
