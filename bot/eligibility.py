"""Who may vote or agree: one function every flow calls (verified, member, present, old enough)."""

from __future__ import annotations

from datetime import date

from bot.models import ChannelAccount, Community, Resident

NOT_VERIFIED = "not_verified"
OTHER_COMMUNITY = "other_community"
MOVED_OUT = "moved_out"
TOO_YOUNG = "too_young"


def age_on(birth: date, day: date) -> int:
    """Full years (만 나이) on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def ineligibility(account: ChannelAccount | Resident | None, community: Community,
                  on: date) -> str | None:
    """None when eligible; else the reason code (`not_verified`, `other_community`, ...).

    `on` is the relevant date: a ballot's closing day, or today for an agreement.
    """
    resident = account.resident if isinstance(account, ChannelAccount) else account
    if resident is None:
        return NOT_VERIFIED
    if resident.community_id != community.id:
        return OTHER_COMMUNITY
    if resident.moved_out_at is not None:
        return MOVED_OUT
    if age_on(resident.birth_date, on) < community.min_voting_age:
        return TOO_YOUNG
    return None
