"""The home menu and help: where every conversation starts and `0` returns."""

from __future__ import annotations

import re
import unicodedata

from bot.catalogue.lexicon import GREETINGS, HOW_TO, THANKS
from bot.choices import YES
from bot.conversation import Reply
from handlers import states
from handlers.base import STATES, Ctx, State
from handlers.privacy import ask_consent, consented, policy_line

_PLAIN = re.compile(r"[\s.,!?~…·'\"]+")
_CODE = re.compile(r"^[0-9]{8}$")


def _plain(text: str) -> str:
    return _PLAIN.sub("", unicodedata.normalize("NFKC", text)).lower()


def small_talk(text: str) -> str | None:
    """`greeting`, `thanks` or `how_to` when the resident is talking to the bot rather than
    choosing; None otherwise."""
    plain = _plain(text)
    if not plain:
        return None
    if any(word in plain for word in HOW_TO):
        return "how_to"
    if plain.startswith(THANKS):
        return "thanks"
    if plain.startswith(GREETINGS):
        return "greeting"
    return None

# (catalogue key of the label, state it opens). Later flows fill these states in.
HOME_MENU = [
    ("core.menu.vote", states.BALLOT_START),
    ("core.menu.proposals", states.PROPOSAL_MENU),
    ("core.menu.mine", states.MINE),
    ("core.menu.enrol", states.ENROL_START),
    ("core.menu.help", states.HELP),
]


def home_labels(ctx: Ctx) -> list[str]:
    return [ctx.t(key) for key, _ in HOME_MENU]


class Home(State):
    name = states.HOME

    def enter(self, ctx: Ctx) -> Reply:
        ctx.conversation.data.pop("about", None)  # `의견 보기` from home means no one item
        community = ctx.community
        if community is not None:
            text = ctx.t("core.home.community", community=community.name)
        else:
            text = ctx.t("core.home")
        return ctx.reply(text, home_labels(ctx), home=False)

    def receive(self, ctx: Ctx, text: str) -> Reply:
        choice = ctx.choose(text, home_labels(ctx))
        if choice is not None:
            return ctx.goto(HOME_MENU[choice - 1][1])
        return understood_at_home(ctx, text) or ctx.reprompt()


def understood_at_home(ctx: Ctx, text: str) -> Reply | None:
    """What a resident at the menu means when they do not pick a number: `네` to a push about a
    ballot starts it; a centre code typed straight in is tried; a greeting, thanks or a question
    about the bot gets a short help and the menu."""
    from handlers.ballot import start_pushed_ballot

    plain = _plain(text)
    if plain in YES:
        started = start_pushed_ballot(ctx)
        if started is not None:
            return started
    if _CODE.match(re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", text))) and \
            ctx.resident is None:
        if not consented(ctx):  # the code is not kept: asked again after the consent
            return ask_consent(ctx, "enrol.code", ctx.t("privacy.consent.code_first"))
        ctx.conversation.state = states.ENROL_CODE
        return STATES[states.ENROL_CODE].receive(ctx, text)
    kind = small_talk(text)
    if kind == "how_to":
        return ctx.goto(states.HELP)
    if kind is not None:
        return ctx.goto(states.HOME, _prefix=ctx.t(f"core.{kind}"))
    return None


class Help(State):
    """Help text followed by the home menu, so a digit after reading it still works."""

    name = states.HELP

    def enter(self, ctx: Ctx) -> Reply:
        lines = [ctx.t("core.help")]
        community = ctx.community
        if community is not None and community.phone:
            lines.append(ctx.t("core.help.phone", phone=community.phone))
        policy = policy_line(ctx)
        if policy:
            lines.append(policy)
        return ctx.reply("\n\n".join(lines), home_labels(ctx), home=False)

    def receive(self, ctx: Ctx, text: str) -> Reply:
        return STATES[states.HOME].receive(ctx, text)


STATE_CLASSES = (Home, Help)
