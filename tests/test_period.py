"""The contribution month as a value: parsing, formatting, arithmetic, one month difference."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamsos.core.errors import RuleViolation
from jamsos.core.period import Period, months_between, parse_period
from jamsos.rules.calc.dates import add_months


def test_parse_and_format():
    assert Period.parse("2026-09") == Period(2026, 9)
    assert Period.parse("2026-9") == Period(2026, 9)
    assert str(Period(2026, 9)) == "2026-09" and str(Period(987, 1)) == "0987-01"
    assert Period.of(date(2026, 12, 31)) == Period(2026, 12)


@pytest.mark.parametrize("text", ["", "2026", "2026-13", "2026-00", "26-01", "2026-1-1", "x-01"])
def test_what_is_not_a_month(text):
    with pytest.raises(ValueError):
        Period.parse(text)
    with pytest.raises(RuleViolation) as error:
        parse_period(text, "month")
    assert error.value.field == "month"
    assert error.value.message_for("id") == "month: harus YYYY-MM"


def test_parse_period_strips_what_was_typed():
    assert parse_period(" 2026-02 ") == Period(2026, 2)


def test_arithmetic_and_bounds():
    assert Period(2026, 12) + 1 == Period(2027, 1)
    assert Period(2026, 1) - 1 == Period(2025, 12)
    assert Period(2026, 1) - Period(2025, 1) == 12
    assert Period(2024, 2).last_day == date(2024, 2, 29)
    assert Period(2026, 2).first_day == date(2026, 2, 1)
    assert Period(2026, 2) < Period(2026, 10) < Period(2027, 1)
    assert [str(p) for p in Period(2025, 11).until(Period(2026, 2))] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert list(Period(2026, 3).until(Period(2026, 2))) == []


def test_one_convention_for_month_differences():
    # steps from the first to the last: a span counting both ends is one more
    assert months_between(Period(2025, 10), Period(2026, 9)) == 11
    assert len(list(Period(2025, 10).until(Period(2026, 9)))) == 12
    assert months_between(Period(2026, 9), Period(2025, 10)) == -11


def test_an_impossible_month_is_refused():
    with pytest.raises(ValueError):
        Period(2026, 13)
    with pytest.raises(ValueError):
        Period(0, 1)


periods = st.builds(Period, st.integers(1900, 2200), st.integers(1, 12))


@given(p=periods, n=st.integers(-1200, 1200))
def test_adding_months_is_undone_by_subtracting(p, n):
    assert (p + n) - n == p
    assert months_between(p, p + n) == n
    assert Period.parse(str(p + n)) == p + n


@given(p=periods, n=st.integers(-1200, 1200))
def test_periods_agree_with_add_months(p, n):
    assert Period.of(add_months(p.first_day, n)) == p + n


@given(a=periods, b=periods)
def test_text_order_is_month_order(a, b):
    assert (str(a) < str(b)) == (a < b)
