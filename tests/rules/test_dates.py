from datetime import date

import pytest

from jamsos.rules.calc.dates import (
    add_months,
    birthday,
    bpu_due_date,
    next_working_day,
    pu_due_date,
    retirement_age_in,
    retirement_date,
)
from jamsos.rules.calc.tables import RuleNotInForce, rule_book

BOOK = rule_book()


@pytest.mark.parametrize(
    ("month", "due"),
    [
        (date(2026, 5, 1), date(2026, 6, 15)),  # Monday
        (date(2026, 10, 1), date(2026, 11, 16)),  # 15 Nov is a Sunday
        (date(2026, 2, 1), date(2026, 3, 16)),  # 15 Mar is a Sunday
        (date(2025, 4, 1), date(2025, 5, 15)),
        (date(2024, 7, 1), date(2024, 8, 15)),
    ],
)
def test_pu_due_date_is_the_15th_of_the_next_month_on_a_working_day(month, due):
    assert pu_due_date(month, BOOK) == due


def test_due_dates_move_past_national_holidays_but_not_collective_leave():
    # 2026-05-14 (Thu) is Kenaikan Yesus Kristus (public); 2026-05-15 (Fri) is cuti bersama
    assert next_working_day(date(2026, 5, 14), BOOK) == date(2026, 5, 15)
    # 2026-03-19 Nyepi (public), 20 Mar cuti bersama, 21-22 Idulfitri (weekend too)
    assert next_working_day(date(2026, 3, 19), BOOK) == date(2026, 3, 20)
    # 2024-04-10/11 Idulfitri public holidays -> Friday 12 Apr (cuti bersama, still a due day)
    assert next_working_day(date(2024, 4, 10), BOOK) == date(2024, 4, 12)


def test_bpu_due_date_is_the_15th_of_the_month_itself():
    # 15 Aug 2026 is a Saturday, 17 Aug (Monday) is Proklamasi: due Tuesday 18 Aug
    assert bpu_due_date(date(2026, 8, 1), BOOK) == date(2026, 8, 18)
    assert bpu_due_date(date(2026, 1, 20), BOOK) == date(2026, 1, 15)


def test_a_year_without_a_holiday_calendar_is_refused():
    # the computed calendar covers up to 2050; beyond it no year has a calendar
    with pytest.raises(RuleNotInForce, match="no version of HOLIDAYS is in force on 2051-01-02"):
        next_working_day(date(2051, 1, 2), BOOK)


@pytest.mark.parametrize(
    ("month", "pu_due", "bpu_due"),
    [
        # 15 Jan 2027 is a Friday: December 2026 is due on time
        (date(2026, 12, 1), date(2027, 1, 15), date(2026, 12, 15)),
        # 15-16 May 2027 weekend, 17 May Iduladha (computed, estimated): due Tuesday 18 May
        (date(2027, 4, 1), date(2027, 5, 18), date(2027, 4, 15)),
        (date(2027, 5, 1), date(2027, 6, 15), date(2027, 5, 18)),
        # 15 Aug 2027 Sunday, 16 Aug Monday: a working day (17 Aug is the holiday)
        (date(2027, 7, 1), date(2027, 8, 16), date(2027, 7, 15)),
    ],
)
def test_2027_due_dates_come_from_the_computed_provisional_calendar(month, pu_due, bpu_due):
    assert pu_due_date(month, BOOK) == pu_due
    assert bpu_due_date(month, BOOK) == bpu_due
    iduladha = BOOK.calendar(2027)[date(2027, 5, 17)]
    assert (iduladha.kind, iduladha.status) == ("public", "provisional")


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_E17_retirement_age_lookups():
    assert retirement_age_in(2024, BOOK) == 58
    assert retirement_age_in(2025, BOOK) == 59
    assert retirement_age_in(2043, BOOK) == 65
    assert retirement_age_in(2060, BOOK) == 65
    # reaching 58 in 2024: retired at 58
    assert retirement_date(date(1966, 7, 1), BOOK) == (date(2024, 7, 1), 58)
    # reaching 58 in 2025 is below 59: retires at 59 in 2026
    assert retirement_date(date(1967, 7, 1), BOOK) == (date(2026, 7, 1), 59)
    assert retirement_date(date(1990, 1, 1), BOOK) == (date(2055, 1, 1), 65)


def test_leap_day_birthdays():
    assert birthday(date(1968, 2, 29), 58) == date(2026, 3, 1)
    assert birthday(date(1968, 2, 29), 56) == date(2024, 2, 29)
