"""A domain refusal: what the rules do not allow (409) or input that is wrong (422).

Domain services raise it without knowing about HTTP; the web app turns it into a JSON error and
the chat never meets it (handlers check first and explain in their own words).
"""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details if details is not None else {}
