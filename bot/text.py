"""Text as residents and managers send it, minus the invisible characters that disguise it.

Control characters (NUL cannot even be stored), bidirectional controls (U+202E turns "gpj.exe"
around) and zero-width characters (which make two identical-looking titles differ, or hide a
word from a moderator) are removed from every string a resident or manager submits. Hangul, emoji and ordinary punctuation stay: a zero-width joiner is
kept where it joins an emoji sequence (👨‍👩‍👧), and variation selectors and skin tones are untouched.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Control characters other than tab and line breaks (PostgreSQL refuses NUL in text); bidi
# embeddings, overrides, isolates and marks; zero-width space and non-joiner; word joiner and
# invisible operators; the byte-order mark used as a zero-width no-break space; Mongolian vowel
# separator.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
    "\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u180e]")
ZWJ = "\u200d"


def _emoji_side(char: str) -> bool:
    """Whether a neighbour of a zero-width joiner belongs to an emoji sequence."""
    return (unicodedata.category(char) == "So" or char in "\ufe0f\u20e3"
            or "\U0001f3fb" <= char <= "\U0001f3ff")


def clean(text: str) -> str:
    """`text` without direction controls and zero-width characters (emoji joins kept)."""
    if not isinstance(text, str):
        return text
    if INVISIBLE.search(text):
        text = INVISIBLE.sub("", text)
    if ZWJ in text:
        text = "".join(
            char for i, char in enumerate(text)
            if char != ZWJ or (0 < i < len(text) - 1 and _emoji_side(text[i - 1])
                               and _emoji_side(text[i + 1])))
    return text


def clean_tree(value: Any) -> Any:
    """`clean` applied to every string in a parsed JSON value (keys included), in place where it
    can be; returns the cleaned value."""
    if isinstance(value, str):
        return clean(value)
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key in list(item):
                child = item[key]
                if isinstance(child, str):
                    child = clean(child)
                elif isinstance(child, dict | list):
                    stack.append(child)
                new_key = clean(key) if isinstance(key, str) else key
                if new_key != key:
                    del item[key]
                item[new_key] = child
        elif isinstance(item, list):
            for i, child in enumerate(item):
                if isinstance(child, str):
                    item[i] = clean(child)
                elif isinstance(child, dict | list):
                    stack.append(child)
    return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run (OWASP CSV injection): text that begins like a
    formula gets a leading apostrophe; numbers and other text are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCSVWriter:
    """`csv.writer` whose every cell goes through `spreadsheet_cell` (use for every export)."""

    def __init__(self, out: Any) -> None:
        import csv

        self._writer = csv.writer(out)

    def writerow(self, row: list[Any]) -> None:
        self._writer.writerow([spreadsheet_cell(cell) for cell in row])
