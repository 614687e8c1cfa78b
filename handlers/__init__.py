"""Conversation handlers: one module per flow, each listing its states in `STATE_CLASSES`.

Nothing registers itself on import. `install()` fills the state table and the keywords (words
from bot/catalogue/lexicon.py) explicitly, once; `create_app` and the terminal chat call it.
"""

from __future__ import annotations

from bot.catalogue.lexicon import KEYWORDS as KEYWORD_WORDS
from handlers import (
    agenda,
    ballot,
    ballot_budget,
    ballot_steps,
    comments,
    enrol,
    home,
    mine,
    notifications,
    privacy,
    proposal,
)
from handlers.base import KEYWORDS, STATES, Ctx, State, keyword, register

FLOWS = (home, enrol, privacy, ballot, ballot_steps, ballot_budget, mine, proposal,
         notifications, agenda, comments)


def install() -> None:
    """Every flow's states and every keyword, in the tables the dispatcher reads."""
    if STATES:
        return
    for flow in FLOWS:
        for state in flow.STATE_CLASSES:
            register(state)
    for state_name, words in KEYWORD_WORDS.items():
        for word in words:
            keyword(word, state_name)


__all__ = ["FLOWS", "KEYWORDS", "STATES", "Ctx", "State", "install"]
