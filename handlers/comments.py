"""의견: the discussion of an agenda item or a published proposal, in the 1:1 chat.

`의견 보기` lists the comments five a page, newest first, with masked names and times; a comment
picked shows `답글 달기` and, for one's own, `삭제하기`. `의견 남기기` asks for the text (300
characters at most) and posts it only after `1. 예 (올리기)`. Both words work from anywhere and
mean what the resident was just on (handlers/agenda.about). Nothing here knows or says how
anyone voted.
"""

from __future__ import annotations

from bot import comments
from bot.catalogue import lexicon
from bot.commands import read
from bot.commands.agenda import COMMENT_MAX, PostComment, comment_problem
from bot.conversation import Reply
from bot.eligibility import MOVED_OUT, NOT_VERIFIED, OTHER_COMMUNITY
from bot.models.agenda import Comment
from handlers import states
from handlers.agenda import about
from handlers.base import NEXT, PREV, Ctx, PromptStep, State, page_of, read_paged, turned

WRITE, BACK = 6, 9  # the list's own options, beside comments 1–5 and 7. 이전 / 8. 다음
SHORT = 120


def _where(ctx: Ctx) -> comments.Where | None:
    return comments.find(ctx.session, ctx.data.get("target") or about(ctx))


def _nowhere(ctx: Ctx) -> Reply:
    return ctx.goto(states.AGENDA_LIST, _prefix=ctx.t("comment.which"))


def _back_to(ctx: Ctx, where: comments.Where, prefix: str | None = None) -> Reply:
    """Where `돌아가기` leads: the agenda item, or the proposal."""
    if where.item is not None:
        return ctx.goto(states.AGENDA_ITEM, _prefix=prefix, target=where.key)
    return ctx.goto(states.PROPOSAL_VIEW, _prefix=prefix, proposal=where.proposal.id)


def _text(ctx: Ctx, comment: Comment, limit: int | None = None) -> str:
    if comment.hidden_at is not None:
        return ctx.t("comment.hidden", reason=comment.hidden_reason)
    if limit is not None and len(comment.text) > limit:
        return comment.text[:limit] + "…"
    return comment.text


def _heading(ctx: Ctx, comment: Comment) -> str:
    line = ctx.t("comment.by", author=comments.shown_author(comment), when=ctx.when(comment.at))
    if comment.reply_to is not None:
        line += " " + ctx.t("comment.reply_to", author=comments.shown_author(comment.reply_to))
    return line


class CommentList(State):
    name = states.COMMENT_LIST
    private_only = True

    def _options(self, ctx: Ctx, shown: list[Comment], page: int,
                 pages: int) -> tuple[list[str], list[int]]:
        labels = [ctx.t("comment.option", author=comments.shown_author(c),
                        when=ctx.when(c.at)) for c in shown]
        numbers = list(range(1, len(shown) + 1))
        extra = [(WRITE, ctx.t("comment.leave")), (PREV, ctx.t("proposal.prev")),
                 (NEXT, ctx.t("proposal.next")), (BACK, ctx.t("comment.back"))]
        for number, label in extra:
            if (number == PREV and page <= 1) or (number == NEXT and page >= pages):
                continue
            labels.append(label)
            numbers.append(number)
        if not shown:  # nothing to pick: the two options are 1 and 2
            numbers = list(range(1, len(labels) + 1))
        return labels, numbers

    def _page(self, ctx: Ctx, where: comments.Where) -> tuple[list[Comment], int, int]:
        return page_of(comments.listing(ctx.session, where), ctx.data.get("page"))

    def enter(self, ctx: Ctx) -> Reply:
        where = _where(ctx)
        if where is None:
            return _nowhere(ctx)
        ctx.set(target=where.key, about=where.key)
        shown, page, pages = self._page(ctx, where)
        labels, numbers = self._options(ctx, shown, page, pages)
        if not shown:
            text = ctx.t("comment.none", title=where.title)
        else:
            total = comments.count(ctx.session, where)
            lines = [f"{n}. {_heading(ctx, c)}\n{_text(ctx, c, SHORT)}"
                     for n, c in enumerate(shown, start=1)]
            text = ctx.t("comment.list", title=where.title, count=total, page=page,
                         pages=pages) + "\n\n" + "\n\n".join(lines)
        return Reply(text=text, options=labels, numbers=numbers, lang=ctx.lang)

    def receive(self, ctx: Ctx, text: str) -> Reply:
        where = _where(ctx)
        if where is None:
            return _nowhere(ctx)
        shown, page, pages = self._page(ctx, where)
        labels, numbers = self._options(ctx, shown, page, pages)
        choice = read_paged(ctx, text, labels, numbers)
        if choice is None:
            return ctx.reprompt()
        paged = turned(ctx, choice, page)
        if paged is not None:
            return paged
        picked = labels[numbers.index(choice)]
        if picked == ctx.t("comment.leave"):
            return ctx.goto(states.COMMENT_WRITE, target=where.key)
        if picked == ctx.t("comment.back"):
            return _back_to(ctx, where)
        return ctx.goto(states.COMMENT_VIEW, target=where.key, comment=shown[choice - 1].id,
                        page=page)


def _comment(ctx: Ctx, where: comments.Where) -> Comment | None:
    found = ctx.session.get(Comment, ctx.data.get("comment", 0))
    if found is None or found.deleted_at is not None or not where.holds(found):
        return None
    return found


class CommentView(State):
    """One comment: `답글 달기`, `삭제하기` (one's own), `목록으로`."""

    name = states.COMMENT_VIEW
    private_only = True

    def _actions(self, ctx: Ctx, comment: Comment) -> list[tuple[str, str]]:
        actions = []
        if comment.hidden_at is None:
            actions.append(("reply", ctx.t("comment.reply")))
        if ctx.resident is not None and comment.resident_id == ctx.resident.id:
            actions.append(("delete", ctx.t("comment.delete")))
        actions.append(("list", ctx.t("comment.to_list")))
        return actions

    def enter(self, ctx: Ctx) -> Reply:
        where = _where(ctx)
        comment = _comment(ctx, where) if where is not None else None
        if comment is None:
            return ctx.goto(states.COMMENT_LIST, target=ctx.data.get("target"))
        return ctx.reply(f"{_heading(ctx, comment)}\n{_text(ctx, comment)}",
                         [label for _, label in self._actions(ctx, comment)])

    def receive(self, ctx: Ctx, text: str) -> Reply:
        where = _where(ctx)
        comment = _comment(ctx, where) if where is not None else None
        if comment is None:
            return ctx.goto(states.COMMENT_LIST, target=ctx.data.get("target"))
        actions = self._actions(ctx, comment)
        choice = ctx.choose(text, [label for _, label in actions])
        if choice is None:
            return ctx.reprompt()
        action = actions[choice - 1][0]
        if action == "reply":
            return ctx.goto(states.COMMENT_WRITE, target=where.key, reply_to=comment.id)
        if action == "delete":
            return ctx.goto(states.COMMENT_DELETE, target=where.key, comment=comment.id)
        return ctx.goto(states.COMMENT_LIST, target=where.key, page=ctx.data.get("page", 1))


def _refused(ctx: Ctx, where: comments.Where) -> Reply | None:
    """Who may not comment here now, told why (an unverified resident enrols first)."""
    reason = comments.refusal(ctx.session, where, ctx.resident, ctx.now)
    if reason is None:
        return None
    if reason == NOT_VERIFIED:
        return ctx.goto(states.ENROL_START, _prefix=ctx.t("comment.need_enrol"),
                        then=states.COMMENT_WRITE)
    if reason == OTHER_COMMUNITY:
        text = ctx.t("comment.other_community", own=ctx.resident.community.name)
    elif reason == MOVED_OUT:
        text = ctx.t("comment.moved_out", phone=ctx.phone())
    else:
        text = ctx.t(f"comment.refused.{reason}", limit=comments.DAILY_LIMIT)
    return ctx.goto(states.COMMENT_LIST, _prefix=text, target=where.key)


class CommentWrite(PromptStep):
    name = states.COMMENT_WRITE
    prompt_key = "comment.ask"
    hint_key = "comment.bad_text"

    def enter(self, ctx: Ctx) -> Reply:
        where = _where(ctx)
        if where is None:
            return _nowhere(ctx)
        refused = _refused(ctx, where)
        if refused is not None:
            return ctx.refused(refused)
        ctx.set(target=where.key, about=where.key)
        key = "comment.ask.reply" if ctx.data.get("reply_to") else self.prompt_key
        return ctx.reply(ctx.t(key, title=where.title, limit=COMMENT_MAX))

    def receive(self, ctx: Ctx, text: str) -> Reply:
        if comment_problem(text):
            return ctx.reprompt(self.hint_key, limit=COMMENT_MAX)
        return ctx.goto(states.COMMENT_CONFIRM, target=ctx.data.get("target"),
                        reply_to=ctx.data.get("reply_to"), text=text.strip())


class CommentConfirm(State):
    """`이 의견을 올릴까요?` — only `1. 예 (올리기)` posts it."""

    name = states.COMMENT_CONFIRM
    private_only = True

    def _labels(self, ctx: Ctx) -> list[str]:
        return [ctx.t("comment.post"), ctx.t("comment.rewrite")]

    def enter(self, ctx: Ctx) -> Reply:
        return ctx.reply(ctx.t("comment.confirm", text=ctx.data.get("text", "")),
                         self._labels(ctx))

    def receive(self, ctx: Ctx, text: str) -> Reply:
        where = _where(ctx)
        if where is None:
            return _nowhere(ctx)
        choice = ctx.choose(text, self._labels(ctx), lexicon.ALIASES["redo"])
        if choice is None:
            return ctx.reprompt()
        if choice == 2:
            return ctx.goto(states.COMMENT_WRITE, target=where.key,
                            reply_to=ctx.data.get("reply_to"))
        refused = _refused(ctx, where)
        if refused is not None:
            return ctx.refused(refused)
        command = read(PostComment, {"text": ctx.data.get("text"),
                                     "reply_to": ctx.data.get("reply_to")}, "invalid_comment")
        if command.reply_to is not None and _gone(ctx, where, command.reply_to):
            return ctx.goto(states.COMMENT_LIST, _prefix=ctx.t("comment.gone"), target=where.key)
        comments.post(ctx.session, where, ctx.resident, command, ctx.account.channel, ctx.now)
        return ctx.goto(states.COMMENT_LIST, _prefix=ctx.t("comment.posted"), target=where.key)


def _gone(ctx: Ctx, where: comments.Where, comment_id: int) -> bool:
    answered = ctx.session.get(Comment, comment_id)
    return answered is None or answered.deleted_at is not None or not where.holds(answered)


class CommentDelete(State):
    name = states.COMMENT_DELETE
    private_only = True

    def _labels(self, ctx: Ctx) -> list[str]:
        return [ctx.t("comment.delete.yes"), ctx.t("core.no")]

    def enter(self, ctx: Ctx) -> Reply:
        where = _where(ctx)
        comment = _comment(ctx, where) if where is not None else None
        if comment is None or ctx.resident is None or comment.resident_id != ctx.resident.id:
            return ctx.goto(states.COMMENT_LIST, target=ctx.data.get("target"))
        return ctx.reply(ctx.t("comment.delete.ask", text=_text(ctx, comment, SHORT)),
                         self._labels(ctx))

    def receive(self, ctx: Ctx, text: str) -> Reply:
        where = _where(ctx)
        comment = _comment(ctx, where) if where is not None else None
        if comment is None or ctx.resident is None or comment.resident_id != ctx.resident.id:
            return ctx.goto(states.COMMENT_LIST, target=ctx.data.get("target"))
        choice = ctx.choose(text, self._labels(ctx))
        if choice is None:
            return ctx.reprompt()
        if choice == 2:
            return ctx.goto(states.COMMENT_VIEW, target=where.key, comment=comment.id)
        comments.delete(ctx.session, comment, ctx.resident, ctx.now)
        return ctx.goto(states.COMMENT_LIST, _prefix=ctx.t("comment.deleted"), target=where.key)


STATE_CLASSES = (CommentList, CommentView, CommentWrite, CommentConfirm, CommentDelete)
