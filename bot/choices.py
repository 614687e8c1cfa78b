"""The numbered-reply reader: the heart of the elderly-friendly design.

For a prompt with options 1..n, `read_choice` reads exactly one option, or says it could not
(None), in which case the caller asks again and acts on nothing. It never guesses: two numbers,
a number out of range, a number that contradicts a label, a question, laughter or emoji are all
refused. An option may also be named by its own words or a part of them that no other option
has (`느티나무` for `느티나무 공원`, `8시` for `오후 8시`), and a quick-reply button's `1. 찬성` counts
only where option 1 is 찬성 (a stale tap is refused). `read_choices` reads several numbers for a
multi-select prompt.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from bot.catalogue.lexicon import (
    FILLER,
    NATIVE,
    NATIVE_DET,
    NO,
    NOT_BEFORE_BEON,
    ORDINAL,
    ORDINAL_TAILS,
    POLITE_SUFFIXES,
    QUESTION_ENDINGS,
    SEPARATOR_WORDS,
    SINO,
    VERB_ENDING,
    YES,
)

# Circled and keycap digits become plain digits with spaces around, so `①③` is two numbers.
_CIRCLED = {chr(0x2460 + i): str(i + 1) for i in range(9)}  # ①..⑨
_CIRCLED.update({chr(0x2776 + i): str(i + 1) for i in range(9)})  # ❶..❾
_CIRCLED.update({chr(0x278A + i): str(i + 1) for i in range(9)})  # ➊..➒
_KEYCAP = re.compile(r"([0-9])\ufe0f?\u20e3")
_DIGITS = re.compile(r"[0-9]+")
# What a quick-reply button sends: `1. 찬성` (digit, dot, the option's label).
_QUICK = re.compile(r"^([0-9])\s*[.)]\s*(.+)$")
PARTIAL_MIN = 2  # a part of a label shorter than this names nothing
_DROP = re.compile(r"[\s.,!~)(\]\[:;'\"`·…\-_/、。]+")


def _prepare(text: str) -> str:
    for glyph, digit in _CIRCLED.items():
        text = text.replace(glyph, f" {digit} ")
    text = _KEYCAP.sub(lambda m: f" {m.group(1)} ", text)
    return unicodedata.normalize("NFKC", text).strip().lower()


def _compact(text: str) -> str:
    return _DROP.sub("", text)


def _stripped(word: str) -> list[str]:
    """`word` and what is left after taking off one or two polite endings."""
    forms = [word]
    for _ in range(2):
        for form in list(forms):
            for suffix in POLITE_SUFFIXES:
                if form.endswith(suffix):
                    rest = form[: -len(suffix)]
                    if rest not in forms:
                        forms.append(rest)
    return forms


def _label_table(labels: Sequence[str], aliases: Mapping[str, int] | None
                 ) -> Mapping[str, frozenset[int]]:
    """Every compact way of saying each option: the label, its core, yes/no synonyms, aliases.
    Worked out once per set of options (a worker meets the same few prompts over and over)."""
    return _label_table_of(tuple(labels), tuple((aliases or {}).items()))


@functools.lru_cache(maxsize=1024)
def _label_table_of(labels: tuple[str, ...], aliases: tuple[tuple[str, int], ...]
                    ) -> Mapping[str, frozenset[int]]:
    table: dict[str, set[int]] = {}

    def add(word: str, number: int) -> None:
        word = _compact(_prepare(word))
        if word and not _DIGITS.fullmatch(word):
            table.setdefault(word, set()).add(number)

    for number, label in enumerate(labels, start=1):
        label = _prepare(label)
        forms = {label, re.sub(r"\(.*?\)", "", label)}
        forms.update(re.findall(r"\((.*?)\)", label))
        for form in list(forms):
            core = _compact(form)
            if core.endswith(VERB_ENDING) and len(core) > len(VERB_ENDING):
                forms.add(core[:-len(VERB_ENDING)])
        for form in forms:
            add(form, number)
            core = _compact(form)
            if core in YES:
                for word in YES:
                    add(word, number)
            if core in NO:
                for word in NO:
                    add(word, number)
    for word, number in aliases:
        add(word, number)
    return MappingProxyType({word: frozenset(numbers) for word, numbers in table.items()})


def _label_meaning(word: str, table: dict[str, set[int]]) -> set[int]:
    meanings: set[int] = set()
    for form in _stripped(word):
        meanings |= table.get(form, set())
    return meanings


def _number_word(word: str) -> int | None:
    """`삼`, `삼번`, `셋`, `셋째`, `세번째`, `첫번째`, `다섯` (spaces already removed)."""
    for form in _stripped(word):
        if form in NATIVE:
            return NATIVE[form]
        if form in ORDINAL:
            return ORDINAL[form]
        for tail in ORDINAL_TAILS[:2]:  # 번째, 째
            if form.endswith(tail) and form[: -len(tail)] in NATIVE_DET:
                return NATIVE_DET[form[: -len(tail)]]
        beon = ORDINAL_TAILS[2]
        if form.endswith(beon):
            head = form[:-len(beon)]
            if head in SINO:
                return SINO[head]
            if head in NATIVE_DET and head not in NOT_BEFORE_BEON:
                return NATIVE_DET[head]
        if form in SINO:
            return SINO[form]
    return None


def _is_question(text: str) -> bool:
    return "?" in text or text.endswith(QUESTION_ENDINGS)


def _read_one(word: str, n: int, table: dict[str, set[int]]) -> int | None:
    """One compact word (no digits) read as a label or a Korean number word."""
    labelled = _label_meaning(word, table)
    if len(labelled) > 1:
        return None
    if labelled:
        return next(iter(labelled))
    number = _number_word(word)
    if number is not None and 1 <= number <= n:
        return number
    return None


def read_choice(text: str, labels: Sequence[str],
                aliases: Mapping[str, int] | None = None) -> int | None:
    """The option (1..len(labels)) the text names, or None when it names none or several."""
    try:
        return _read_choice(text, labels, aliases)
    except (ValueError, TypeError):  # pragma: no cover - defensive, the reader never raises
        return None


def _full_labels(labels: Sequence[str]) -> list[str]:
    return [_compact(_prepare(label)) for label in labels]


def _partial(compact: str, labels: Sequence[str]) -> int | None:
    """The one option whose words contain `compact` (`느티나무` for `느티나무 공원`, `8시` for
    `오후 8시`), trying the text with its polite ending taken off too; None when no option or
    more than one does, or the text is too short or only digits to name anything."""
    full = _full_labels(labels)
    for form in _stripped(compact):
        if len(form) < PARTIAL_MIN or form.isdigit():
            continue
        matches = {number for number, label in enumerate(full, start=1) if form in label}
        if len(matches) == 1:
            return matches.pop()
        if matches:
            return None
    return None


def _button(prepared: str, full: list[str]) -> int | None | bool:
    """A button's `N. label`: N when digit and label belong together on this screen, None for a
    button of another screen (a stale or double tap), False when it is not a button at all."""
    quick = _QUICK.match(prepared)
    if not quick:
        return False
    number, said = int(quick.group(1)), _compact(quick.group(2))
    if 1 <= number <= len(full) and said == full[number - 1]:
        return number
    return None if said in full else False


def _numbered(prepared: str, compact: str, digits: str, labels: Sequence[str],
              table: Mapping[str, set[int]]) -> int | None:
    """A reply with one number in it: `1`, `1번이요`, `1번 찬성` (`1번 반대`, where 1 is 찬성,
    contradicts itself and is refused)."""
    number = int(digits)
    if (len(digits) > 2 or not 1 <= number <= len(labels)
            or not prepared.lstrip("(").startswith(digits)):
        return _partial(compact, labels)
    rest = compact.replace(digits, "", 1)
    for tail in sorted(ORDINAL_TAILS, key=len, reverse=True):  # 번째 before 번
        if rest.startswith(tail):
            rest = rest[len(tail):]
            break
    if any(form in FILLER for form in _stripped(rest)):
        return number
    labelled = _label_meaning(rest, table)
    if labelled:
        return number if labelled == {number} else None
    return _partial(compact, labels)


def _read_choice(text: str, labels: Sequence[str], aliases: Mapping[str, int] | None) -> int | None:
    if not isinstance(text, str) or not labels:
        return None
    prepared = _prepare(text)
    if not prepared or _is_question(prepared):
        return None
    compact = _compact(prepared)
    if not compact:
        return None
    full = _full_labels(labels)
    button = _button(prepared, full)
    if button is not False:
        return button
    if compact in full and full.count(compact) == 1:
        return full.index(compact) + 1  # the whole label, digits and all (`오후 8시`)
    table = _label_table(labels, aliases)
    numbers = _DIGITS.findall(prepared)
    if len(numbers) > 1:
        return _partial(compact, labels)
    if len(numbers) == 1:
        return _numbered(prepared, compact, numbers[0], labels, table)
    one = _read_one(compact, len(labels), table)
    return one if one is not None else _partial(compact, labels)


_SEPARATORS = re.compile(r"(?:\s|,|、|/|" + "|".join(SEPARATOR_WORDS) + ")+")


def too_many(text: str, labels: Sequence[str], max_choices: int) -> bool:
    """Whether `text` clearly names more options than allowed (`1 2 3` where 2 may be chosen):
    the resident is told the limit instead of "I did not understand"."""
    picked = read_choices(text, labels, len(labels))
    return picked is not None and len(picked) > max_choices


def _picked_numbers(prepared: str, n: int) -> list[int] | None:
    """`1 3`, `1,3`, `1번 3번`: the numbers, or None when a number is out of range or a word
    between them is not filler."""
    picked = []
    for piece in (p for p in re.split(r"([0-9]+)", prepared) if p.strip(" ")):
        if _DIGITS.fullmatch(piece):
            if not 1 <= int(piece) <= n:
                return None
            picked.append(int(piece))
        elif not any(form in FILLER
                     for form in _stripped(_compact(_SEPARATORS.sub("", piece)))):
            return None
    return picked


def _picked_words(prepared: str, labels: Sequence[str]) -> list[int] | None:
    """`하나 셋`, `①③`, labels: each word one option, or None."""
    table = _label_table(labels, None)
    picked = []
    for word in (w for w in (_compact(p) for p in re.split(r"[\s,、/]+", prepared)) if w):
        number = _read_one(word, len(labels), table)
        if number is None:
            return None
        picked.append(number)
    return picked


def read_choices(text: str, labels: Sequence[str], max_choices: int) -> list[int] | None:
    """Several options for a multi-select prompt (`1 3`, `1,3`, `1번 3번`, `①③`), in the order
    given, at most `max_choices`, no repeats; None when anything is unreadable."""
    if not isinstance(text, str) or not labels or max_choices < 1:
        return None
    prepared = _prepare(text)
    if not prepared or _is_question(prepared):
        return None
    single = read_choice(text, labels)
    if single is not None:
        return [single]
    picked = (_picked_numbers(prepared, len(labels)) if _DIGITS.search(prepared)
              else _picked_words(prepared, labels))
    if not picked or len(set(picked)) != len(picked) or len(picked) > max_choices:
        return None
    return picked
