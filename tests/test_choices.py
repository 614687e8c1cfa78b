"""The numbered-reply reader: what an elderly resident may type, and what must be asked again."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.choices import read_choice, read_choices

FOUR = ["가", "나", "다", "라"]
NINE = [f"항목{i}" for i in range(1, 10)]
YES_NO = ["찬성", "반대"]
CONFIRM = ["예 (제출)", "아니오 (다시 선택)"]


@pytest.mark.parametrize("said", [
    "3", "３", "③", "3️⃣", "3번", "3 번", "3번이요", "3번요", "3번입니다", "3.", "3)", " 3 ",
    "삼", "삼번", "삼 번", "셋", "세 번째", "셋째", "3번으로 할게요", "❸",
])
def test_reads_three_in_every_form(said):
    assert read_choice(said, FOUR) == 3


@pytest.mark.parametrize("said, expected", [
    ("첫 번째", 1), ("첫째", 1), ("하나", 1), ("일번", 1), ("일", 1), ("둘", 2), ("두 번째", 2),
    ("이번", 2), ("넷째", 4), ("네 번째", 4), ("사번", 4), ("다섯", 5), ("다섯 번째", 5),
    ("오번", 5), ("아홉", 9), ("구번", 9), ("9", 9), ("⑨", 9),
])
def test_reads_sino_and_native_korean_numbers(said, expected):
    assert read_choice(said, NINE) == expected


@pytest.mark.parametrize("said, expected", [
    ("찬성", 1), ("반대", 2), ("찬성이요", 1), ("찬성합니다", 1), ("반대해요", 2), ("반대요", 2),
    ("1번 찬성", 1), ("2 반대", 2),
])
def test_reads_the_options_own_label(said, expected):
    assert read_choice(said, YES_NO) == expected


@pytest.mark.parametrize("said, expected", [
    ("예", 1), ("네", 1), ("넵", 1), ("네요", 1), ("1", 1), ("아니오", 2), ("아니요", 2), ("아뇨", 2),
    ("제출", 1), ("다시 선택", 2),
])
def test_reads_yes_and_no_at_a_confirmation(said, expected):
    assert read_choice(said, CONFIRM) == expected


@pytest.mark.parametrize("said", [
    "1 2", "1,2", "12", "5", "0", "-1", "1번 반대", "2번 찬성", "", "   ", "ㅋㅋ", "ㅋㅋㅋㅋ", "ㅎㅎ",
    "👍", "😀😀", "뭐예요?", "1번이 뭐예요?", "찬성할까요", "3번은 싫어요", "아무거나", "찬성 반대",
    "100", "1.5",
])
def test_refuses_anything_ambiguous(said):
    assert read_choice(said, FOUR if said not in {"1번 반대", "2번 찬성", "찬성할까요", "찬성 반대"}
                       else YES_NO) is None


def test_a_bare_네_is_not_read_as_four_where_there_is_no_yes():
    assert read_choice("네", FOUR) is None
    assert read_choice("네 번째", FOUR) == 4


def test_aliases_name_options():
    assert read_choice("투표", ["투표하기", "도움말"]) == 1
    assert read_choice("사용법", ["투표하기", "도움말"], {"사용법": 2}) == 2


@pytest.mark.parametrize("said, expected", [
    ("1 3", [1, 3]), ("1,3", [1, 3]), ("1, 3", [1, 3]), ("1번 3번", [1, 3]), ("①③", [1, 3]),
    ("2번이랑 4번", [2, 4]), ("1, 3번이요", [1, 3]), ("삼 일", [3, 1]), ("2", [2]), ("둘째", [2]),
    ("3 1 2", [3, 1, 2]),
])
def test_multi_select_reads_several_numbers(said, expected):
    assert read_choices(said, FOUR, 3) == expected


@pytest.mark.parametrize("said", ["1 2 3 4", "13", "1 1", "1 5", "ㅋㅋ", "", "1번 그리고 뭐?", "0 1"])
def test_multi_select_refuses_too_many_repeats_and_nonsense(said):
    assert read_choices(said, FOUR, 3) is None


labels_strategy = st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=9)


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=30), labels=labels_strategy)
def test_never_raises_and_never_returns_an_option_not_offered(text, labels):
    choice = read_choice(text, labels)
    assert choice is None or 1 <= choice <= len(labels)


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet="0123456789 ,번이요①②③삼셋째", max_size=12),
       labels=labels_strategy, k=st.integers(min_value=1, max_value=9))
def test_multi_select_never_exceeds_k_or_range(text, labels, k):
    picked = read_choices(text, labels, k)
    assert picked is None or (
        1 <= len(picked) <= k and all(1 <= p <= len(labels) for p in picked)
        and len(set(picked)) == len(picked))


@settings(max_examples=300, deadline=None)
@given(number=st.integers(min_value=1, max_value=9), n=st.integers(min_value=1, max_value=9),
       suffix=st.sampled_from(["", "번", " 번", "번이요", "번요", "번입니다", ".", ")"]))
def test_a_digit_in_range_is_read_and_out_of_range_refused(number, n, suffix):
    labels = [f"선택지{i}" for i in range(n)]
    expected = number if number <= n else None
    assert read_choice(f"{number}{suffix}", labels) == expected


PARKS = ["풍산 공원", "햇살 공원", "느티나무 공원"]
TIMES = ["오후 7시", "오후 8시", "토요일 오전 10시"]


@pytest.mark.parametrize("said, labels, expected", [
    ("느티나무", PARKS, 3), ("느티나무요", PARKS, 3), ("햇살", PARKS, 2), ("햇살공원이요", PARKS, 2),
    ("오후 8시", TIMES, 2), ("8시", TIMES, 2), ("8시요", TIMES, 2), ("오전 10시", TIMES, 3),
    ("토요일", TIMES, 3), ("1", TIMES, 1), ("3번", TIMES, 3),
])
def test_an_option_is_named_by_a_part_of_its_own_words(said, labels, expected):
    assert read_choice(said, labels) == expected


@pytest.mark.parametrize("said, labels", [
    ("공원", PARKS), ("오후", TIMES), ("시", TIMES), ("나", PARKS), ("7 8", TIMES),
    ("공원 말고", PARKS), ("느티나무 말고 햇살", PARKS), ("10", TIMES), ("9시", TIMES),
])
def test_a_part_shared_by_several_options_or_too_short_names_nothing(said, labels):
    assert read_choice(said, labels) is None


@pytest.mark.parametrize("said, labels, expected", [
    ("1. 찬성", YES_NO, 1), ("2. 반대", YES_NO, 2), ("3. 느티나무 공원", PARKS, 3),
    ("1. 예 (제출)", CONFIRM, 1), ("2. 오후 8시", TIMES, 2),
    ("1. 찬성", PARKS, None), ("2. 반대", CONFIRM, None),  # a stale tap from another screen
    ("1. 풍산 공원", YES_NO, None), ("1. 반대", YES_NO, None),
])
def test_a_quick_reply_counts_only_on_the_screen_it_belongs_to(said, labels, expected):
    assert read_choice(said, labels) == expected


def test_too_many_picks_are_told_apart_from_nonsense():
    from bot.choices import too_many

    assert read_choices("1 2 3", FOUR, 2) is None
    assert too_many("1 2 3", FOUR, 2) and too_many("1,2,3번", FOUR, 2)
    assert not too_many("1 2", FOUR, 2) and not too_many("ㅋㅋ", FOUR, 2)
    assert not too_many("1 5", FOUR, 2)
