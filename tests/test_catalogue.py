"""The message catalogue: every sentence in Korean and English, with the same blanks to fill."""

import string

from bot.catalogue import _load, keys, t


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_korean_and_english_with_the_same_blanks():
    problems = []
    for key, texts in _load().items():
        if not texts.get("ko", "").strip() or not texts.get("en", "").strip():
            problems.append(f"{key}: missing ko or en")
        elif _fields(texts["ko"]) != _fields(texts["en"]):
            problems.append(f"{key}: ko {_fields(texts['ko'])} vs en {_fields(texts['en'])}")
    assert problems == []


def test_korean_lines_are_short_for_small_phones():
    long_lines = [(key, line) for key in keys() for line in _load()[key]["ko"].splitlines()
                  if len(line.format_map(_Blank())) > 45]
    assert long_lines == []


def test_missing_language_falls_back_to_korean_and_values_fill_in():
    assert t("core.help.phone", "fr", phone="031-000-0000") == t(
        "core.help.phone", "ko", phone="031-000-0000")
    assert "031-000-0000" in t("core.help.phone", phone="031-000-0000")


class _Blank(dict):
    def __missing__(self, key):
        return ""
