"""제안: `1. 제안 보기` (5 per page, `8. 다음`) → a proposal → `1. 공감하기` → `1. 예`;
`2. 제안하기`: title → content → field → `1. 예 (제출)`; `3. 내 제안`.

Viewing needs nothing; agreeing and proposing need a verified resident of the proposal's
community. Every refusal says why and what to do.
"""

from __future__ import annotations

from bot import comments, proposals
from bot.catalogue import labels, lexicon
from bot.commands import read
from bot.commands.proposals import FIELD_CODES, Agree, SubmitProposal, draft_problems
from bot.conversation import Reply
from bot.eligibility import NOT_VERIFIED, OTHER_COMMUNITY
from bot.models import Community
from bot.models.proposal import Proposal
from bot.queries import community_by_slug
from handlers import states
from handlers.base import (
    Ctx,
    PromptStep,
    State,
    page_of,
    read_paged,
    turned,
    with_paging,
)


def _community(ctx: Ctx) -> Community | None:
    """The community being looked at: the room's or the picked one, else the resident's."""
    slug = ctx.inbound.community_slug
    if slug:
        found = community_by_slug(ctx.session, slug)
        if found is not None:
            return found
    return ctx.community


def _need_enrol(ctx: Ctx, then: str) -> Reply:
    return ctx.goto(states.ENROL_START, _prefix=ctx.t("proposal.need_enrol"), then=then)


# The menu's options, in order: 제안 보기, 제안하기, 내 제안.
MENU_TARGETS = (states.PROPOSAL_LIST, states.PROPOSAL_TITLE, states.PROPOSAL_MINE)


class ProposalMenu(State):
    name = states.PROPOSAL_MENU
    private_only = True

    def _labels(self, ctx: Ctx) -> list[str]:
        return [ctx.t("proposal.menu.list"), ctx.t("proposal.menu.new"),
                ctx.t("proposal.menu.mine")]

    def enter(self, ctx: Ctx) -> Reply:
        return ctx.reply(ctx.t("proposal.menu"), self._labels(ctx))

    def receive(self, ctx: Ctx, text: str) -> Reply:
        choice = ctx.choose(text, self._labels(ctx), lexicon.ALIASES["proposal.menu"])
        if choice is None:
            return ctx.reprompt()
        return ctx.goto(MENU_TARGETS[choice - 1])


class ProposalList(State):
    name = states.PROPOSAL_LIST
    private_only = True

    def _page(self, ctx: Ctx) -> tuple[list[Proposal], int, int]:
        community = _community(ctx)
        return page_of(proposals.public_list(ctx.session, community.id), ctx.data.get("page"))

    def _options(self, ctx: Ctx, shown: list[Proposal], page: int,
                 pages: int) -> tuple[list[str], list[int]]:
        labels = [ctx.t("proposal.list.item", title=p.title,
                        count=proposals.counts(ctx.session, p.id)[0]) for p in shown]
        return with_paging(ctx, labels, page, pages)

    def enter(self, ctx: Ctx) -> Reply:
        community = _community(ctx)
        if community is None:
            return ctx.goto(states.ENROL_START, _prefix=ctx.t("proposal.no_community"),
                            then=states.PROPOSAL_LIST)
        shown, page, pages = self._page(ctx)
        if not shown:
            return ctx.goto(states.PROPOSAL_MENU, _prefix=ctx.t("proposal.list.empty"))
        labels, numbers = self._options(ctx, shown, page, pages)
        return Reply(text=ctx.t("proposal.list", community=community.name, page=page,
                                pages=pages), options=labels, numbers=numbers, lang=ctx.lang)

    def receive(self, ctx: Ctx, text: str) -> Reply:
        shown, page, pages = self._page(ctx)
        labels, numbers = self._options(ctx, shown, page, pages)
        choice = read_paged(ctx, text, labels, numbers)
        if choice is None:
            return ctx.reprompt()
        return turned(ctx, choice, page) or ctx.goto(states.PROPOSAL_VIEW, proposal=shown[choice - 1].id, page=page)


def _view_text(ctx: Ctx, proposal: Proposal) -> str:
    agreed, disagreed = proposals.counts(ctx.session, proposal.id)
    extra = (ctx.t("proposal.view.disagreements", count=disagreed)
             if proposal.community.uses_disagree else "")
    parts = [ctx.t("proposal.view", field=ctx.t(f"proposal.field.{proposal.field}"),
                   title=proposal.title, status=ctx.t(f"proposal.status.{proposal.status}"),
                   agreements=agreed, disagreements=extra)]
    following = proposals.next_stage(proposal)
    if (proposal.status in (proposals.COLLECTING, proposals.AWAITING) and following
            and proposal.window_ends_at is not None):
        parts.append(ctx.t("proposal.view.goal", goal=following.agreements,
                           actor=ctx.t(f"proposal.actor.{following.actor}"),
                           until=ctx.when(proposal.window_ends_at)))
    if proposal.status == proposals.AWAITING and proposal.answer_due is not None:
        actor = ctx.t(f"proposal.actor.{proposal.answer_actor}")
        parts.append(ctx.t("proposal.view.due", actor=actor, due=ctx.when(proposal.answer_due)))
    body = proposal.content if len(proposal.content) <= 600 else proposal.content[:600] + "…"
    parts.append(body)
    if proposal.answer_text:
        parts.append(ctx.t("proposal.view.answer", text=proposal.answer_text))
    elif proposal.screen_reason and proposal.status == proposals.HIDDEN:
        parts.append(ctx.t("proposal.view.answer", text=proposal.screen_reason))
    return "\n\n".join(parts)


class ProposalView(State):
    name = states.PROPOSAL_VIEW
    private_only = True

    def _proposal(self, ctx: Ctx) -> Proposal | None:
        return ctx.session.get(Proposal, ctx.data.get("proposal", 0))

    def _mine(self, ctx: Ctx, proposal: Proposal):  # noqa: ANN202
        """The resident's own 공감 (or 비공감) of this proposal, if any."""
        if ctx.resident is None:
            return None
        return proposals.agreement_of(ctx.session, proposal.id, ctx.resident.id)

    def _actions(self, ctx: Ctx, proposal: Proposal) -> list[tuple[str, str]]:
        actions = []
        if (proposal.status in proposals.PUBLIC and proposals.agreements_open(proposal, ctx.now)
                and self._mine(ctx, proposal) is None):  # done once: not offered again
            actions.append((proposals.AGREE, ctx.t("proposal.agree")))
            if proposal.community.uses_disagree:
                actions.append((proposals.DISAGREE, ctx.t("proposal.disagree")))
        actions.append(("back", ctx.t("proposal.back")))
        if proposal.status in proposals.PUBLIC:  # its discussion (handlers/comments.py)
            where = comments.Where(proposal.community_id, proposal=proposal)
            actions.append(("comments", ctx.t("comment.see",
                                              count=comments.count(ctx.session, where))))
            if where.open(ctx.now):
                actions.append(("comment", ctx.t("comment.leave")))
        return actions

    def enter(self, ctx: Ctx) -> Reply:
        proposal = self._proposal(ctx)
        if proposal is None:
            return ctx.goto(states.PROPOSAL_MENU)
        ctx.set(about=f"proposal:{proposal.id}")
        text = _view_text(ctx, proposal)
        mine = self._mine(ctx, proposal)
        if mine is not None:
            text += "\n\n" + ctx.t(f"proposal.view.mine.{mine.kind}", when=ctx.when(mine.at))
        return ctx.reply(text, [label for _, label in self._actions(ctx, proposal)])

    def receive(self, ctx: Ctx, text: str) -> Reply:
        proposal = self._proposal(ctx)
        if proposal is None:
            return ctx.goto(states.PROPOSAL_MENU)
        actions = self._actions(ctx, proposal)
        aliases = {lexicon.LIST_WORD: [a for a, _ in actions].index("back") + 1}
        if actions[0][0] == proposals.AGREE:
            aliases[lexicon.AGREE_WORD] = 1
        choice = ctx.choose(text, [label for _, label in actions], aliases)
        if choice is None and lexicon.AGREE_WORD in text and self._mine(ctx, proposal) is not None:
            refused = proposals.refusal(ctx.session, proposal, ctx.resident, proposals.AGREE,
                                        ctx.now)
            if refused is not None:  # 공감 again: say when they did, not "I did not understand"
                return ctx.refused(_refusal_reply(ctx, proposal, refused))
        if choice is None:
            return ctx.reprompt()
        action = actions[choice - 1][0]
        if action in ("comments", "comment"):
            return ctx.goto(states.COMMENT_LIST if action == "comments" else states.COMMENT_WRITE,
                            target=f"proposal:{proposal.id}")
        if action == "back":
            back = states.PROPOSAL_MINE if ctx.data.get("mine") else states.PROPOSAL_LIST
            return ctx.goto(back, page=ctx.data.get("page", 1))
        refused = proposals.refusal(ctx.session, proposal, ctx.resident, action, ctx.now)
        if refused is not None:
            return ctx.refused(_refusal_reply(ctx, proposal, refused))
        return ctx.goto(states.PROPOSAL_CONFIRM, proposal=proposal.id, kind=action,
                        page=ctx.data.get("page", 1))


def _refusal_reply(ctx: Ctx, proposal: Proposal, outcome: proposals.AgreeOutcome) -> Reply:
    """Why this resident may not agree, in words, back at the proposal."""
    back = {"proposal": proposal.id, "page": ctx.data.get("page", 1)}
    if outcome.reason == NOT_VERIFIED:
        return _need_enrol(ctx, states.PROPOSAL_LIST)
    if outcome.reason == OTHER_COMMUNITY:
        text = ctx.t("proposal.other_community", here=proposal.community.name,
                     own=ctx.resident.community.name)
    elif outcome.status == proposals.INELIGIBLE:
        text = ctx.t("proposal.ineligible", phone=ctx.phone())
    elif outcome.status == proposals.ALREADY:
        text = ctx.t("proposal.already", when=ctx.when(outcome.earlier.at))
    elif outcome.status == proposals.OWN:
        text = ctx.t("proposal.own")
    else:
        text = ctx.t("proposal.closed")
    return ctx.goto(states.PROPOSAL_VIEW, _prefix=text, **back)


class ProposalConfirm(State):
    """`'…'에 공감할까요?` — only `1. 예` records it."""

    name = states.PROPOSAL_CONFIRM
    private_only = True

    def _labels(self, ctx: Ctx) -> list[str]:
        return [ctx.t("core.yes"), ctx.t("core.no")]

    def enter(self, ctx: Ctx) -> Reply:
        proposal = ctx.session.get(Proposal, ctx.data.get("proposal", 0))
        if proposal is None:
            return ctx.goto(states.PROPOSAL_MENU)
        key = "proposal.confirm.disagree" if ctx.data.get("kind") == proposals.DISAGREE else (
            "proposal.confirm.agree")
        return ctx.reply(ctx.t(key, title=proposal.title), self._labels(ctx))

    def receive(self, ctx: Ctx, text: str) -> Reply:
        proposal = ctx.session.get(Proposal, ctx.data.get("proposal", 0))
        if proposal is None:
            return ctx.goto(states.PROPOSAL_MENU)
        choice = ctx.choose(text, self._labels(ctx), {lexicon.AGREE_WORD: 1})
        if choice is None:
            return ctx.reprompt()
        back = {"proposal": proposal.id, "page": ctx.data.get("page", 1)}
        if choice == 2:
            return ctx.goto(states.PROPOSAL_VIEW, **back)
        kind = ctx.data.get("kind", proposals.AGREE)
        outcome = proposals.agree(ctx.session, proposal, ctx.resident, Agree(kind=kind),
                                  ctx.account.channel, ctx.now)
        if outcome.status != proposals.RECORDED:
            return ctx.refused(_refusal_reply(ctx, proposal, outcome))
        lines = [ctx.t("proposal.agreed", count=outcome.agreements) if kind == proposals.AGREE
                 else ctx.t("proposal.disagreed")]
        if outcome.reached:
            actor = ctx.t(f"proposal.actor.{proposal.answer_actor}")
            lines.append(ctx.t("proposal.reached", actor=actor))
        return ctx.goto(states.PROPOSAL_VIEW, _prefix="\n".join(lines), **back)


class _DraftStep(PromptStep):
    def enter(self, ctx: Ctx) -> Reply:
        if ctx.resident is None:
            return _need_enrol(ctx, states.PROPOSAL_TITLE)
        return super().enter(ctx)


class ProposalTitle(_DraftStep):
    name = states.PROPOSAL_TITLE
    prompt_key = "proposal.ask_title"
    hint_key = "proposal.bad_title"

    def receive(self, ctx: Ctx, text: str) -> Reply:
        if draft_problems(text, None, None):
            return ctx.reprompt(self.hint_key)
        return ctx.goto(states.PROPOSAL_CONTENT, title=text.strip())


class ProposalContent(_DraftStep):
    name = states.PROPOSAL_CONTENT
    prompt_key = "proposal.ask_content"
    hint_key = "proposal.bad_content"

    def receive(self, ctx: Ctx, text: str) -> Reply:
        if draft_problems(None, text, None) or "title" not in ctx.data:
            return ctx.reprompt(self.hint_key)
        return ctx.goto(states.PROPOSAL_FIELD, title=ctx.data["title"], content=text.strip())


def _field_labels(ctx: Ctx) -> list[str]:
    return list(labels("proposal.field", FIELD_CODES, ctx.lang).values())


class ProposalField(State):
    name = states.PROPOSAL_FIELD
    private_only = True

    def enter(self, ctx: Ctx) -> Reply:
        return ctx.reply(ctx.t("proposal.ask_field"), _field_labels(ctx))

    def receive(self, ctx: Ctx, text: str) -> Reply:
        choice = ctx.choose(text, _field_labels(ctx),
                            lexicon.ALIASES["proposal.field"])
        if choice is None:
            return ctx.reprompt()
        return ctx.goto(states.PROPOSAL_DRAFT, title=ctx.data.get("title", ""),
                        content=ctx.data.get("content", ""),
                        field=FIELD_CODES[choice - 1])


class ProposalDraft(State):
    name = states.PROPOSAL_DRAFT
    private_only = True

    def _labels(self, ctx: Ctx) -> list[str]:
        return [ctx.t("proposal.submit"), ctx.t("proposal.rewrite")]

    def enter(self, ctx: Ctx) -> Reply:
        data = ctx.data
        return ctx.reply(ctx.t("proposal.draft", field=ctx.t(f"proposal.field.{data['field']}"),
                               title=data["title"], content=data["content"]),
                         self._labels(ctx))

    def receive(self, ctx: Ctx, text: str) -> Reply:
        choice = ctx.choose(text, self._labels(ctx), lexicon.ALIASES["redo"])
        if choice is None:
            return ctx.reprompt()
        if choice == 2:
            return ctx.goto(states.PROPOSAL_TITLE)
        if ctx.resident is None:
            return _need_enrol(ctx, states.PROPOSAL_TITLE)
        command = read(SubmitProposal, {name: ctx.data.get(name)
                                        for name in ("title", "content", "field")},
                       "invalid_proposal")
        proposals.submit(ctx.session, ctx.resident, command, ctx.account.channel, ctx.now)
        return ctx.goto(states.HOME, _prefix=ctx.t("proposal.submitted"))


class ProposalMine(State):
    name = states.PROPOSAL_MINE
    private_only = True

    def _rows(self, ctx: Ctx) -> list[Proposal]:
        return proposals.own_list(ctx.session, ctx.resident.id)[:9]

    def _labels(self, ctx: Ctx, rows: list[Proposal]) -> list[str]:
        return [ctx.t("proposal.mine.item", title=p.title,
                      status=ctx.t(f"proposal.status.{p.status}")) for p in rows]

    def enter(self, ctx: Ctx) -> Reply:
        if ctx.resident is None:
            return _need_enrol(ctx, states.PROPOSAL_MINE)
        rows = self._rows(ctx)
        if not rows:
            return ctx.goto(states.PROPOSAL_MENU, _prefix=ctx.t("proposal.mine.none"))
        return ctx.reply(ctx.t("proposal.mine"), self._labels(ctx, rows))

    def receive(self, ctx: Ctx, text: str) -> Reply:
        rows = self._rows(ctx)
        choice = ctx.choose(text, self._labels(ctx, rows))
        if choice is None:
            return ctx.reprompt()
        return ctx.goto(states.PROPOSAL_VIEW, proposal=rows[choice - 1].id, mine=True)


# `공감하기` is an option label at a proposal, so `공감` is not a keyword.


STATE_CLASSES = (ProposalMenu, ProposalList, ProposalView, ProposalConfirm, ProposalTitle,
                 ProposalContent, ProposalField, ProposalDraft, ProposalMine)
