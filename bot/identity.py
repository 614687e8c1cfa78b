"""Identity keys: how a roster entry is matched without keeping who the resident is.

The match key is an HMAC of the normalised name, birth date and the phone's last 4 digits; the
lookup key (for the desk: name + birth date) leaves the phone out. Two more pair keys (name +
phone digits, birth date + phone digits) let a re-imported roster row be recognised as the same
person when any two of the three still agree (a changed phone, a corrected spelling). Only these
keys and a masked name are stored (개인정보보호법: collect the minimum, protect what is kept).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFC", name))


def _hmac(pepper: str, message: str) -> str:
    return hmac.new(pepper.encode(), message.encode(), hashlib.sha256).hexdigest()


def lookup_key(pepper: str, name: str, birth_date: date) -> str:
    return _hmac(pepper, f"lookup|{normalise_name(name)}|{birth_date.isoformat()}")


def identity_key_from_lookup(pepper: str, lookup: str, phone_last4: str) -> str:
    """The match key from the lookup key: enrolment keeps only this between chat steps,
    never the name or the birth date typed a message earlier."""
    return _hmac(pepper, f"id|{lookup}|{phone_last4}")


def identity_key(pepper: str, name: str, birth_date: date, phone_last4: str) -> str:
    return identity_key_from_lookup(pepper, lookup_key(pepper, name, birth_date), phone_last4)


def name_phone_key(pepper: str, name: str, phone_last4: str) -> str:
    return _hmac(pepper, f"np|{normalise_name(name)}|{phone_last4}")


def birth_phone_key(pepper: str, birth_date: date, phone_last4: str) -> str:
    return _hmac(pepper, f"bp|{birth_date.isoformat()}|{phone_last4}")


def code_key(pepper: str, code: str) -> str:
    """How a one-time enrolment code is stored: keyed, so a dump does not reveal live codes."""
    return _hmac(pepper, f"code|{code}")


def mask_name(name: str) -> str:
    """김민수 → 김*수, 이수 → 이*, 남궁민수 → 남**수."""
    name = normalise_name(name)
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
