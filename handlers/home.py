"""The home menu and help: where every conversation starts and `0` returns."""

from __future__ import annotations

from bot.conversation import Reply
from handlers.base import Ctx, State, keyword, register

# (catalogue key of the label, state it opens). Later flows fill these states in.
HOME_MENU = [
    ("core.menu.vote", "ballot.start"),
    ("core.menu.proposals", "proposal.menu"),
    ("core.menu.mine", "mine"),
    ("core.menu.enrol", "enrol.start"),
    ("core.menu.help", "help"),
]


def home_labels(ctx: Ctx) -> list[str]:
    return [ctx.t(key) for key, _ in HOME_MENU]


@register
class Home(State):
    name = "home"

    def enter(self, ctx: Ctx) -> Reply:
        community = ctx.community
        if community is not None:
            text = ctx.t("core.home.community", community=community.name)
        else:
            text = ctx.t("core.home")
        return ctx.reply(text, home_labels(ctx), home=False)

    def receive(self, ctx: Ctx, text: str) -> Reply:
        choice = ctx.choose(text, home_labels(ctx))
        if choice is None:
            return ctx.reprompt()
        return ctx.goto(HOME_MENU[choice - 1][1])


@register
class Help(State):
    """Help text followed by the home menu, so a digit after reading it still works."""

    name = "help"

    def enter(self, ctx: Ctx) -> Reply:
        lines = [ctx.t("core.help")]
        community = ctx.community
        if community is not None and community.phone:
            lines.append(ctx.t("core.help.phone", phone=community.phone))
        return ctx.reply("\n\n".join(lines), home_labels(ctx), home=False)

    def receive(self, ctx: Ctx, text: str) -> Reply:
        return Home().receive(ctx, text)


keyword("도움말", "help")
keyword("도움", "help")
keyword("사용법", "help")
keyword("help", "help")
