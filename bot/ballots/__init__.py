"""Assembly ballots (주민총회 투표), one module per concern:

- `state`: the life cycle read off the times, the row lock, the sealed box;
- `lifecycle`: create, update, cancel;
- `voting`: a resident's sealed vote;
- `counting`: close, trustees' secrets, the count, publishing;
- `desk`: the assembly's desk (on-site marks and paper counts);
- `results`: eligibility, turnout and the result.

What a manager's command may say is read in bot/commands/ballots.py.
Callers use the names below (`ballots.submit`, `ballots.status`, ...).
"""

from bot.ballots.cache import ballot as cached
from bot.ballots.counting import (
    close,
    close_due,
    count,
    open_envelopes,
    publish,
    set_trustee_secret,
)
from bot.ballots.desk import desk_lookup, mark_onsite, set_onsite_counts
from bot.ballots.lifecycle import cancel, create, default_reminders, update
from bot.ballots.results import eligible_conditions, eligible_query, results, turnout
from bot.ballots.state import (
    CANCELLED,
    CLOSED,
    OPEN,
    PUBLISHED,
    SCHEDULED,
    SMALL_GROUP,
    STATES,
    closing_day,
    closing_time,
    due_times,
    missing_trustees,
    parse_time,
    ready,
    status,
)
from bot.ballots.voting import (
    ALREADY_VOTED,
    INELIGIBLE,
    INVALID,
    NOT_OPEN,
    NOT_PRESENT,
    RECORDED,
    Submission,
    next_ballot,
    open_ballots,
    option_counts,
    participation_of,
    submit,
    valid_picks,
    voted,
    voted_ballots,
)
from bot.commands.ballots import (
    MAX_ITEMS,
    MAX_OPTIONS,
    MAX_TRUSTEES,
    MIN_TRUSTEE_SECRET,
    yes_no_options,
)

__all__ = [
    "ALREADY_VOTED", "CANCELLED", "CLOSED", "INELIGIBLE", "INVALID", "MAX_ITEMS", "MAX_OPTIONS",
    "MAX_TRUSTEES", "MIN_TRUSTEE_SECRET", "NOT_OPEN", "NOT_PRESENT", "OPEN", "PUBLISHED", "RECORDED",
    "SCHEDULED", "SMALL_GROUP", "STATES", "Submission", "cancel", "close",
    "close_due", "closing_day", "closing_time", "count", "create", "default_reminders",
    "desk_lookup", "due_times", "eligible_conditions", "eligible_query", "mark_onsite",
    "cached", "missing_trustees", "next_ballot", "open_ballots", "open_envelopes", "option_counts",
    "parse_time", "participation_of", "publish", "ready", "results", "set_onsite_counts",
    "set_trustee_secret", "status", "submit", "turnout", "update", "valid_picks",
    "voted", "voted_ballots", "yes_no_options",
]
