"""The conversation's states by name: every transition (`ctx.goto`, a keyword, `then=`) names
one of these, and tests/test_states.py checks each has its state."""

from __future__ import annotations

HOME = "home"
HELP = "help"
ENROL_START = "enrol.start"
ENROL_CONSENT = "enrol.consent"
ENROL_NAME = "enrol.name"
ENROL_BIRTH = "enrol.birth"
ENROL_PHONE = "enrol.phone"
ENROL_CODE = "enrol.code"
PRIVACY_ME = "privacy.me"
PRIVACY_UNBIND = "privacy.unbind"
BALLOT_START = "ballot.start"
BALLOT_ITEM = "ballot.item"
BALLOT_CHECK = "ballot.check"
BALLOT_CONFIRM = "ballot.confirm"
BALLOT_PAUSED = "ballot.paused"
BALLOT_BUDGET = "ballot.budget"
MINE = "mine"
PROPOSAL_MENU = "proposal.menu"
PROPOSAL_LIST = "proposal.list"
PROPOSAL_VIEW = "proposal.view"
PROPOSAL_CONFIRM = "proposal.confirm"
PROPOSAL_TITLE = "proposal.title"
PROPOSAL_CONTENT = "proposal.content"
PROPOSAL_FIELD = "proposal.field"
PROPOSAL_DRAFT = "proposal.draft"
PROPOSAL_MINE = "proposal.mine"
NOTIFY_OFF = "notify.off"
NOTIFY_ON = "notify.on"
AGENDA_LIST = "agenda.list"
AGENDA_ITEM = "agenda.item"
COMMENT_LIST = "comment.list"
COMMENT_VIEW = "comment.view"
COMMENT_WRITE = "comment.write"
COMMENT_CONFIRM = "comment.confirm"
COMMENT_DELETE = "comment.delete"

ALL = (
    HOME,
    HELP,
    ENROL_START,
    ENROL_CONSENT,
    ENROL_NAME,
    ENROL_BIRTH,
    ENROL_PHONE,
    ENROL_CODE,
    PRIVACY_ME,
    PRIVACY_UNBIND,
    BALLOT_START,
    BALLOT_ITEM,
    BALLOT_CHECK,
    BALLOT_CONFIRM,
    BALLOT_PAUSED,
    BALLOT_BUDGET,
    MINE,
    PROPOSAL_MENU,
    PROPOSAL_LIST,
    PROPOSAL_VIEW,
    PROPOSAL_CONFIRM,
    PROPOSAL_TITLE,
    PROPOSAL_CONTENT,
    PROPOSAL_FIELD,
    PROPOSAL_DRAFT,
    PROPOSAL_MINE,
    NOTIFY_OFF,
    NOTIFY_ON,
    AGENDA_LIST,
    AGENDA_ITEM,
    COMMENT_LIST,
    COMMENT_VIEW,
    COMMENT_WRITE,
    COMMENT_CONFIRM,
    COMMENT_DELETE,
)
