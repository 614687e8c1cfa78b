"""The count's seal: what a count found, with a MAC keyed by the sealing key (issue 22).

The count keeps only tallies; the envelopes are destroyed. So that a tally changed by hand
afterwards (or a restore that went wrong) is noticed, the count stores on the ballot how many
envelopes it opened, how many were not genuine, and a MAC over those and every tally row.
`maeul verify` recomputes the MAC from the rows as they are now. Someone who can write the
database but does not hold SEALING_KEY cannot make a changed tally match.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping

from bot.sealing import Keyring

Totals = Mapping[tuple[int, int], int]


def _message(ballot_id: int, envelopes: int, invalid: int, totals: Totals) -> bytes:
    rows = sorted([item_id, option, count] for (item_id, option), count in totals.items()
                  if count)
    return json.dumps({"ballot": ballot_id, "envelopes": envelopes, "invalid": invalid,
                       "tallies": rows}, separators=(",", ":")).encode()


def make(keys: Keyring, ballot_id: int, envelopes: int, invalid: int, totals: Totals,
         carried: bool) -> dict:
    """What `ballots.count_seal` keeps. `carried`: the tallies include counts from before
    sealing, so they need not add up to the envelopes."""
    return {"envelopes": envelopes, "invalid": invalid, "carried": carried,
            "mac": keys.tally_mac(ballot_id, _message(ballot_id, envelopes, invalid, totals))}


def matches(keys: Keyring, ballot_id: int, seal: Mapping, totals: Totals) -> bool:
    expected = keys.tally_mac(ballot_id, _message(ballot_id, int(seal["envelopes"]),
                                                  int(seal["invalid"]), totals))
    return hmac.compare_digest(expected, str(seal.get("mac", "")))
