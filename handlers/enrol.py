"""본인 인증: name → birth date → last 4 digits of the phone, or a code from the centre.

Between steps the conversation keeps the least it can: the name for one step, then only the
lookup key (an HMAC), never the birth date. A flow that needs a verified resident sends them here
with `then=<state>`; after binding they continue there.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from bot import enrolment, privacy
from bot.birthdate import read_birth_date
from bot.catalogue import lexicon
from bot.conversation import Reply
from bot.identity import lookup_key
from bot.models import Community
from handlers import states
from handlers.base import Ctx, PromptStep, State
from handlers.privacy import ask_consent, consented

_NAME = re.compile(lexicon.NAME_PATTERN)
# A name said as a sentence: `저는 김민수입니다`, `제 이름은 이영희예요`, `김민수라고 합니다`.
_NAME_LEADS = re.compile(lexicon.NAME_LEADS_PATTERN)
_SUFFIXES = lexicon.NAME_SUFFIXES
# The 주민등록번호 habit: `481102-2` (birth date and the digit after it), or more digits.
_ID_NUMBER = re.compile(r"^\s*(\d{6})\s*-\s*(\d{1,7})\s*$")
_PHONE_POLITE = re.compile(lexicon.PHONE_POLITE_PATTERN)


def read_name(text: str) -> str:
    """The name in what was typed, without `저는`, `제 이름은` or a polite ending."""
    name = unicodedata.normalize("NFC", text).strip().rstrip(".!~ ")
    name = _NAME_LEADS.sub("", name, count=1).strip()
    compact = name.replace(" ", "")
    for suffix in _SUFFIXES:
        if compact.endswith(suffix) and len(compact) > len(suffix) + 1:
            return compact[: -len(suffix)]
    return name


def read_phone_last4(text: str) -> str | None:
    """The last 4 digits from `5678`, `5678이요`, `010-1234-5678` or `01012345678`."""
    plain = re.sub(r"[\s\-.()]", "", unicodedata.normalize("NFKC", text))
    plain = _PHONE_POLITE.sub("", plain)
    if re.fullmatch(r"[0-9]{4}", plain):
        return plain
    if re.fullmatch(r"01[016789][0-9]{7,8}", plain):
        return plain[-4:]
    return None


def _phone(ctx: Ctx, community: Community | None = None) -> str:
    return ctx.phone(community, fallback=ctx.t("enrol.centre"))


def _local(ctx: Ctx, moment: datetime) -> str:
    return moment.astimezone(ctx.zone).strftime("%H:%M")


def _continue(ctx: Ctx, prefix: str) -> Reply:
    then = ctx.data.get("then")
    return ctx.goto(then if then and then != states.ENROL_START else states.HOME, _prefix=prefix)


def _outcome_reply(ctx: Ctx, outcome: enrolment.Outcome) -> Reply:
    if outcome.status == enrolment.BOUND:
        return _continue(ctx, ctx.t("enrol.bound", community=outcome.resident.community.name))
    ctx.outcome = "refused"  # every other outcome tells the resident why not
    if outcome.status == enrolment.LOCKED:
        return ctx.goto(states.HOME, _prefix=ctx.t(
            "enrol.locked", until=_local(ctx, outcome.locked_until), phone=_phone(ctx)))
    if outcome.status == enrolment.TAKEN:
        return ctx.goto(states.HOME, _prefix=ctx.t(
            "enrol.taken", phone=_phone(ctx, outcome.resident.community)))
    if outcome.status == enrolment.CODE_USED:
        return ctx.goto(states.HOME, _prefix=ctx.t("enrol.code_used", phone=_phone(ctx)))
    if outcome.status == enrolment.CODE_EXPIRED:
        return ctx.goto(states.HOME, _prefix=ctx.t("enrol.code_expired", phone=_phone(ctx)))
    if outcome.status == enrolment.UNDER_14:
        return ctx.goto(states.HOME, _prefix=ctx.t("privacy.under_14", phone=_phone(ctx)))
    if outcome.status == enrolment.NO_CONSENT:
        return ask_consent(ctx, states.ENROL_START)
    if outcome.status == enrolment.PAUSED:
        return ctx.goto(states.ENROL_START, _prefix=ctx.t("enrol.paused", phone=_phone(ctx)),
                        then=ctx.data.get("then"))
    left = enrolment.tries_left(ctx.session, ctx.settings, ctx.account, ctx.now)
    return ctx.goto(states.ENROL_NAME,
                    _prefix=ctx.t("enrol.no_match", phone=_phone(ctx), left=left),
                    then=ctx.data.get("then"))


def _from_id_number(six: str, seventh: str, today: date) -> date | None:
    """YYMMDD and the digit after the dash of a 주민등록번호: 1, 2, 5, 6 are born in the 1900s,
    3, 4, 7, 8 in the 2000s, 9 and 0 in the 1800s."""
    century = {"1": 1900, "2": 1900, "5": 1900, "6": 1900, "3": 2000, "4": 2000, "7": 2000,
               "8": 2000, "9": 1800, "0": 1800}.get(seventh)
    if century is None:
        return None
    born = read_birth_date(f"{century + int(six[:2])}{six[2:]}", today)
    return born


class EnrolStart(State):
    name = states.ENROL_START
    private_only = True

    def enter(self, ctx: Ctx) -> Reply:
        if ctx.resident is not None:
            return _continue(ctx, ctx.t("enrol.already", community=ctx.resident.community.name))
        until = enrolment.locked_until(ctx.session, ctx.settings, ctx.account, ctx.now)
        if until is not None:
            return _outcome_reply(ctx, enrolment.Outcome(enrolment.LOCKED, locked_until=until))
        if not consented(ctx):
            return ask_consent(ctx, states.ENROL_START)
        return ctx.reply(ctx.t("enrol.start"),
                         [ctx.t("enrol.option.details"), ctx.t("enrol.option.code")])

    def receive(self, ctx: Ctx, text: str) -> Reply:
        choice = ctx.choose(text, [ctx.t("enrol.option.details"), ctx.t("enrol.option.code")],
                            lexicon.ALIASES["enrol.method"])
        if choice is None:
            return ctx.reprompt()
        then = ctx.data.get("then")
        return ctx.goto(states.ENROL_NAME if choice == 1 else states.ENROL_CODE, then=then)


class _ConsentedStep(PromptStep):
    """A step that collects personal data: never shown without the consent in force (an account
    may arrive here from an old conversation); the enrolment services also refuse an account
    that never agreed (`no_consent`)."""

    def enter(self, ctx: Ctx) -> Reply:
        if not consented(ctx):
            return ask_consent(ctx, states.ENROL_START)
        return super().enter(ctx)


class EnrolName(_ConsentedStep):
    name = states.ENROL_NAME
    prompt_key = "enrol.ask_name"
    hint_key = "enrol.bad_name"

    def receive(self, ctx: Ctx, text: str) -> Reply:
        name = read_name(text)
        if not _NAME.match(name):
            return ctx.reprompt(self.hint_key)
        return ctx.goto(states.ENROL_BIRTH, then=ctx.data.get("then"), name=name)


class EnrolBirth(_ConsentedStep):
    name = states.ENROL_BIRTH
    prompt_key = "enrol.ask_birth"
    hint_key = "enrol.bad_birth"

    def receive(self, ctx: Ctx, text: str) -> Reply:
        today = ctx.now.astimezone(ctx.zone).date()
        id_number = _ID_NUMBER.match(unicodedata.normalize("NFKC", text))
        born = (_from_id_number(id_number.group(1), id_number.group(2)[0], today) if id_number
                else read_birth_date(text, today))
        if born is None or "name" not in ctx.data:
            return ctx.reprompt(self.hint_key)
        if privacy.too_young_to_enrol(born, today):  # nothing typed is kept: home, fresh data
            return ctx.goto(states.HOME, _prefix=ctx.t("privacy.under_14", phone=_phone(ctx)))
        lookup = lookup_key(ctx.settings["IDENTITY_PEPPER"], ctx.data["name"], born)
        warning = ctx.t("enrol.id_number") if id_number else None
        return ctx.goto(states.ENROL_PHONE, _prefix=warning, then=ctx.data.get("then"),
                        lookup=lookup)


class EnrolPhone(_ConsentedStep):
    name = states.ENROL_PHONE
    prompt_key = "enrol.ask_phone"
    hint_key = "enrol.bad_phone"

    def receive(self, ctx: Ctx, text: str) -> Reply:
        digits = read_phone_last4(text)
        if digits is None or "lookup" not in ctx.data:
            return ctx.reprompt(self.hint_key)
        outcome = enrolment.enrol_by_details(ctx.session, ctx.settings, ctx.account,
                                             ctx.community, ctx.data["lookup"], digits, ctx.now)
        return _outcome_reply(ctx, outcome)


class EnrolCode(_ConsentedStep):
    name = states.ENROL_CODE
    prompt_key = "enrol.ask_code"
    hint_key = "enrol.bad_code"

    def receive(self, ctx: Ctx, text: str) -> Reply:
        digits = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text))
        if not re.fullmatch(r"[0-9]{8}", digits):
            return ctx.reprompt(self.hint_key)
        outcome = enrolment.enrol_by_code(ctx.session, ctx.settings, ctx.account, ctx.community,
                                          digits, ctx.now)
        return _outcome_reply(ctx, outcome)


STATE_CLASSES = (EnrolStart, EnrolName, EnrolBirth, EnrolPhone, EnrolCode)
