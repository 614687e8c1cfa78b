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


SENTENCE_ENDS = ("요", "다", ".", "?", "!", ")", ":", "]", "}", "…")


def test_korean_lines_break_between_sentences_never_inside_one():
    """On a phone at its largest font a hard break inside a sentence leaves a syllable or two
    alone on a line: lines break only after a sentence (or before a list line), and the phone
    wraps the rest. Sentences stay short."""
    inside, long = [], []
    for key in keys():
        lines = _load()[key]["ko"].split("\n")
        for line, following in zip(lines, lines[1:], strict=False):
            if (line.strip() and following.strip() and line.strip() not in ("안건",)
                    and not line.rstrip().endswith(SENTENCE_ENDS)
                    and not following.lstrip().startswith(("-", "(", "[", "{"))
                    and not following.lstrip()[:1].isdigit()):
                inside.append((key, line, following))
        for line in lines:
            for sentence in line.format_map(_Blank()).replace("? ", "?|").replace(
                    ". ", ".|").replace("요 ", "요|").split("|"):
                if len(sentence) > 60:
                    long.append((key, sentence))
    assert inside == []
    assert long == []


def test_missing_language_falls_back_to_korean_and_values_fill_in():
    assert t("core.help.phone", "fr", phone="031-000-0000") == t(
        "core.help.phone", "ko", phone="031-000-0000")
    assert "031-000-0000" in t("core.help.phone", phone="031-000-0000")


class _Blank(dict):
    def __missing__(self, key):
        return ""


def test_every_catalogue_module_is_loaded():
    """The catalogue lists its modules explicitly: a new one must be added there."""
    import importlib
    import pkgutil

    import bot.catalogue

    loaded = keys()
    for module in pkgutil.iter_modules(bot.catalogue.__path__):
        if module.name == "lexicon":
            continue
        messages = importlib.import_module(f"bot.catalogue.{module.name}").MESSAGES
        assert set(messages) <= set(loaded), module.name
