"""Birth dates as residents type them."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.birthdate import read_birth_date

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize("said", [
    "520315", "19520315", "1952-03-15", "1952.3.15", "52년 3월 15일", "1952년 3월 15일",
    "1952/3/15", "1952 3 15", "52.3.15", "1952.03.15.", "52년3월15일이요", "５２０３１５",
])
def test_reads_the_forms_people_type(said):
    assert read_birth_date(said, TODAY) == date(1952, 3, 15)


def test_two_digit_years_take_the_latest_past_century():
    assert read_birth_date("050101", TODAY) == date(2005, 1, 1)
    assert read_birth_date("261231", TODAY) == date(1926, 12, 31)


@pytest.mark.parametrize("said", [
    "", "abc", "19520230", "20301231", "1952-13-01", "15", "1952", "3월 15일", "52 3", "1850-01-01",
    "520315 1234",
])
def test_refuses_what_is_not_one_real_past_date(said):
    assert read_birth_date(said, TODAY) is None


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=20))
def test_never_raises_and_never_returns_a_future_date(text):
    born = read_birth_date(text, TODAY)
    assert born is None or born <= TODAY


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=TODAY - timedelta(days=365 * 120), max_value=TODAY),
       st.sampled_from(["{y:04d}{m:02d}{d:02d}", "{y:04d}-{m:02d}-{d:02d}", "{y}.{m}.{d}",
                        "{y}년 {m}월 {d}일", "{y}/{m}/{d}"]))
def test_round_trips_every_four_digit_year_form(day, form):
    text = form.format(y=day.year, m=day.month, d=day.day)
    assert read_birth_date(text, TODAY) == day
